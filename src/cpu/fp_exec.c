/* fp_exec.c - the F and D arithmetic, shared by the interpreter and the
 * JIT (which calls it for every FP operation but loads and stores).
 * Software IEEE 754 from fpu.c; see fpu.h for the rules. */
#include "cpu/fp_exec.h"

#include "base/log.h"
#include "cpu/fpu.h"
#include "cpu/hart.h"
#include "cpu/trap.h"

static inline uint32_t unbox32(uint64_t v)
{
	return (v >> 32) == 0xffffffffu ? (uint32_t)v : F32_CANONICAL_NAN;
}

static inline uint64_t box32(uint32_t v)
{
	return 0xffffffff00000000ull | v;
}

static inline int64_t sx32(uint64_t v)
{
	return (int64_t)(int32_t)v;
}

#define RD	   x[ins->rd]
#define RS1	   x[ins->rs1]
#define FP_CHECK() ((void)0) /* done once, up front */
/* no store when already dirty: consecutive FP operations would otherwise
 * wait on each other through mstatus */
#define FP_DIRTY()                                                             \
	do {                                                                   \
		if ((h->mstatus & MSTATUS_FS) != MSTATUS_FS)                   \
			h->mstatus |= MSTATUS_FS;                              \
	} while (0)
/* resolve the rounding mode; reserved modes are illegal */
#define FP_RM(rm_)                                                             \
	int rm_ = ins->rm == RM_DYN ? (int)h->frm : ins->rm;                   \
	do {                                                                   \
		if (unlikely(rm_ > RM_RMM))                                    \
			return false;                                          \
	} while (0)
#define F1S(a) unbox32(f[ins->a])
#define F1D(a) f[ins->a]
#define SIGN64 0x8000000000000000ull
#define FOP_S(expr)                                                            \
	do {                                                                   \
		FP_RM(rm);                                                     \
		f[ins->rd] = box32(expr);                                      \
		FP_DIRTY();                                                    \
		return true;                                                   \
	} while (0)
#define FOP_D(expr)                                                            \
	do {                                                                   \
		FP_RM(rm);                                                     \
		f[ins->rd] = (expr);                                           \
		FP_DIRTY();                                                    \
		return true;                                                   \
	} while (0)
/* ops without rounding: rm field is a function code, never checked */
#define FNR_S(expr)                                                            \
	do {                                                                   \
		FP_CHECK();                                                    \
		f[ins->rd] = box32(expr);                                      \
		FP_DIRTY();                                                    \
		return true;                                                   \
	} while (0)
#define FNR_D(expr)                                                            \
	do {                                                                   \
		FP_CHECK();                                                    \
		f[ins->rd] = (expr);                                           \
		FP_DIRTY();                                                    \
		return true;                                                   \
	} while (0)
/* FP -> integer register */
#define FTOX(expr, rounds)                                                     \
	do {                                                                   \
		FP_RM(rm);                                                     \
		(void)rm;                                                      \
		RD = (expr);                                                   \
		FP_DIRTY();                                                    \
		return true;                                                   \
	} while (0)
#define FTOX_NR(expr)                                                          \
	do {                                                                   \
		FP_CHECK();                                                    \
		RD = (expr);                                                   \
		FP_DIRTY();                                                    \
		return true;                                                   \
	} while (0)

bool fp_exec(struct hart *h, const struct insn *ins)
{
	uint64_t *const x = h->x;
	uint64_t *const f = h->f;
	uint32_t *const ff = &h->fflags;

	if (unlikely(!(h->mstatus & MSTATUS_FS)))
		return false;
	switch (ins->op) {
	case OP_FMADD_S:
		FOP_S(f32_fma(F1S(rs1), F1S(rs2), F1S(rs3), 0, 0, rm, ff));
	case OP_FMSUB_S:
		FOP_S(f32_fma(F1S(rs1), F1S(rs2), F1S(rs3), 0, 1, rm, ff));
	case OP_FNMSUB_S:
		FOP_S(f32_fma(F1S(rs1), F1S(rs2), F1S(rs3), 1, 0, rm, ff));
	case OP_FNMADD_S:
		FOP_S(f32_fma(F1S(rs1), F1S(rs2), F1S(rs3), 1, 1, rm, ff));
	case OP_FADD_S: FOP_S(f32_add(F1S(rs1), F1S(rs2), rm, ff));
	case OP_FSUB_S: FOP_S(f32_sub(F1S(rs1), F1S(rs2), rm, ff));
	case OP_FMUL_S: FOP_S(f32_mul(F1S(rs1), F1S(rs2), rm, ff));
	case OP_FDIV_S: FOP_S(f32_div(F1S(rs1), F1S(rs2), rm, ff));
	case OP_FSQRT_S: FOP_S(f32_sqrt(F1S(rs1), rm, ff));
	case OP_FSGNJ_S:
		FNR_S((F1S(rs1) & 0x7fffffffu) | (F1S(rs2) & 0x80000000u));
	case OP_FSGNJN_S:
		FNR_S((F1S(rs1) & 0x7fffffffu) | (~F1S(rs2) & 0x80000000u));
	case OP_FSGNJX_S: FNR_S(F1S(rs1) ^ (F1S(rs2) & 0x80000000u));
	case OP_FMIN_S: FNR_S(f32_min(F1S(rs1), F1S(rs2), ff));
	case OP_FMAX_S: FNR_S(f32_max(F1S(rs1), F1S(rs2), ff));
	case OP_FCVT_W_S: FTOX(f32_to_i32(F1S(rs1), rm, ff), 1);
	case OP_FCVT_WU_S: FTOX(f32_to_u32(F1S(rs1), rm, ff), 1);
	case OP_FCVT_L_S: FTOX(f32_to_i64(F1S(rs1), rm, ff), 1);
	case OP_FCVT_LU_S: FTOX(f32_to_u64(F1S(rs1), rm, ff), 1);
	case OP_FMV_X_W:
		FP_CHECK();
		RD = (uint64_t)sx32(f[ins->rs1]);
		return true;
	case OP_FEQ_S: FTOX_NR(f32_eq(F1S(rs1), F1S(rs2), ff));
	case OP_FLT_S: FTOX_NR(f32_lt(F1S(rs1), F1S(rs2), ff));
	case OP_FLE_S: FTOX_NR(f32_le(F1S(rs1), F1S(rs2), ff));
	case OP_FCLASS_S:
		FP_CHECK();
		RD = f32_classify(F1S(rs1));
		return true;
	case OP_FCVT_S_W: FOP_S(i32_to_f32((int32_t)RS1, rm, ff));
	case OP_FCVT_S_WU: FOP_S(u32_to_f32((uint32_t)RS1, rm, ff));
	case OP_FCVT_S_L: FOP_S(i64_to_f32((int64_t)RS1, rm, ff));
	case OP_FCVT_S_LU: FOP_S(u64_to_f32(RS1, rm, ff));
	case OP_FMV_W_X: FNR_S((uint32_t)RS1);
	case OP_FMADD_D:
		FOP_D(f64_fma(F1D(rs1), F1D(rs2), F1D(rs3), 0, 0, rm, ff));
	case OP_FMSUB_D:
		FOP_D(f64_fma(F1D(rs1), F1D(rs2), F1D(rs3), 0, 1, rm, ff));
	case OP_FNMSUB_D:
		FOP_D(f64_fma(F1D(rs1), F1D(rs2), F1D(rs3), 1, 0, rm, ff));
	case OP_FNMADD_D:
		FOP_D(f64_fma(F1D(rs1), F1D(rs2), F1D(rs3), 1, 1, rm, ff));
	case OP_FADD_D: FOP_D(f64_add(F1D(rs1), F1D(rs2), rm, ff));
	case OP_FSUB_D: FOP_D(f64_sub(F1D(rs1), F1D(rs2), rm, ff));
	case OP_FMUL_D: FOP_D(f64_mul(F1D(rs1), F1D(rs2), rm, ff));
	case OP_FDIV_D: FOP_D(f64_div(F1D(rs1), F1D(rs2), rm, ff));
#define SIGN64 0x8000000000000000ull
	case OP_FSQRT_D: FOP_D(f64_sqrt(F1D(rs1), rm, ff));
	case OP_FSGNJ_D: FNR_D((F1D(rs1) & ~SIGN64) | (F1D(rs2) & SIGN64));
	case OP_FSGNJN_D: FNR_D((F1D(rs1) & ~SIGN64) | (~F1D(rs2) & SIGN64));
	case OP_FSGNJX_D: FNR_D(F1D(rs1) ^ (F1D(rs2) & SIGN64));
	case OP_FMIN_D: FNR_D(f64_min(F1D(rs1), F1D(rs2), ff));
	case OP_FMAX_D: FNR_D(f64_max(F1D(rs1), F1D(rs2), ff));
	case OP_FCVT_W_D: FTOX(f64_to_i32(F1D(rs1), rm, ff), 1);
	case OP_FCVT_WU_D: FTOX(f64_to_u32(F1D(rs1), rm, ff), 1);
	case OP_FCVT_L_D: FTOX(f64_to_i64(F1D(rs1), rm, ff), 1);
	case OP_FCVT_LU_D: FTOX(f64_to_u64(F1D(rs1), rm, ff), 1);
	case OP_FMV_X_D:
		FP_CHECK();
		RD = f[ins->rs1];
		return true;
	case OP_FEQ_D: FTOX_NR(f64_eq(F1D(rs1), F1D(rs2), ff));
	case OP_FLT_D: FTOX_NR(f64_lt(F1D(rs1), F1D(rs2), ff));
	case OP_FLE_D: FTOX_NR(f64_le(F1D(rs1), F1D(rs2), ff));
	case OP_FCLASS_D:
		FP_CHECK();
		RD = f64_classify(F1D(rs1));
		return true;
	case OP_FCVT_D_W: FOP_D(i32_to_f64((int32_t)RS1, rm, ff));
	case OP_FCVT_D_WU: FOP_D(u32_to_f64((uint32_t)RS1, rm, ff));
	case OP_FCVT_D_L: FOP_D(i64_to_f64((int64_t)RS1, rm, ff));
	case OP_FCVT_D_LU: FOP_D(u64_to_f64(RS1, rm, ff));
	case OP_FMV_D_X: FNR_D(RS1);
	case OP_FCVT_S_D: FOP_S(f64_to_f32(F1D(rs1), rm, ff));
	case OP_FCVT_D_S: FOP_D(((void)rm, f32_to_f64(F1S(rs1), ff)));
	default: return false;
	}
}
