/* x86_64_fp.c - the x86-64 translation of F/D operations: loads and
 * stores inline, arithmetic on the host FPU when the result cannot differ
 * from the software FPU, else a call to fp_exec(). */
#if defined(__x86_64__)

#include "cpu/csr.h"
#include "cpu/fp_exec.h"
#include "cpu/fpu.h"
#include "cpu/jit/x86_64.h"

/* clang-format off */
static bool fp_reads_x(unsigned op)
{
	switch (op) {
	case OP_FCVT_S_W: case OP_FCVT_S_WU: case OP_FCVT_S_L:
	case OP_FCVT_S_LU: case OP_FMV_W_X: case OP_FCVT_D_W:
	case OP_FCVT_D_WU: case OP_FCVT_D_L: case OP_FCVT_D_LU:
	case OP_FMV_D_X:
		return true;
	default:
		return false;
	}
}

static bool fp_writes_x(unsigned op)
{
	switch (op) {
	case OP_FCVT_W_S: case OP_FCVT_WU_S: case OP_FCVT_L_S:
	case OP_FCVT_LU_S: case OP_FMV_X_W: case OP_FEQ_S: case OP_FLT_S:
	case OP_FLE_S: case OP_FCLASS_S: case OP_FCVT_W_D: case OP_FCVT_WU_D:
	case OP_FCVT_L_D: case OP_FCVT_LU_D: case OP_FMV_X_D: case OP_FEQ_D:
	case OP_FLT_D: case OP_FLE_D: case OP_FCLASS_D:
		return true;
	default:
		return false;
	}
}

/* clang-format on */

static bool is_fp_arith(unsigned op)
{
	return op >= OP_FMADD_S && op <= OP_FCVT_D_S;
}

/* F/D arithmetic: a call to fp_exec() (exact software IEEE, shared with
 * the interpreter); if it declines (FS off, bad rounding mode) the
 * interpreter raises the exception */
#define MSTATUS_FS_BITS 0x6000 /* mstatus.FS, in the low word */

/* jump to `slow` unless the double in `reg` has an exponent field in
 * [lo, 0x7fe]: normal, and for lo = 2 not the smallest binade either */
static void need_normal(struct emit *e, int reg, unsigned lo, uint8_t **slow,
			unsigned *nslow)
{
	mov_rr(e, RDX, reg);
	shift_i(e, W64, SH_SHL, RDX, 1);
	shift_i(e, W64, SH_SHR, RDX, 53);
	alu_i(e, 0, ALU_SUB, R(RDX), (int32_t)lo);
	alu_i(e, 0, ALU_CMP, R(RDX), (int32_t)(0x7fe - lo + 1));
	slow[(*nslow)++] = jcc32(e, CC_AE);
}

/* FADD/FSUB/FMUL/FDIV.D on the host FPU when it cannot differ from
 * fpu.c (its hard path's rules, checked inline): FS already dirty,
 * inexact already accrued, round to nearest even, normal operands, a
 * normal result above the smallest binade. Returns the jumps to take to
 * the exact path otherwise. */
static unsigned fp_fast_d(struct xlat *t, const struct insn *in, uint8_t **slow)
{
	struct emit *e = &t->e;
	unsigned n = 0, op;

	switch (in->op) {
	case OP_FADD_D: op = 0x58; break;
	case OP_FMUL_D: op = 0x59; break;
	case OP_FSUB_D: op = 0x5c; break;
	case OP_FDIV_D: op = 0x5e; break;
	default: return 0;
	}
	if (in->rm != RM_RNE && in->rm != RM_DYN)
		return 0;
	x86_op(e, 0, 0x8b, 1, RAX, M(RBP, OFF(mstatus))); /* mov eax */
	grp3(e, 0, 2, R(RAX));				  /* not eax */
	x86_op(e, 0, 0xf7, 1, 0, R(RAX));		  /* test eax */
	e32(e, MSTATUS_FS_BITS);
	slow[n++] = jcc32(e, CC_NE);
	x86_op(e, 0, 0xf6, 1, 0, M(RBP, OFF(fflags))); /* test byte */
	e8(e, FFLAG_NX);
	slow[n++] = jcc32(e, CC_E);
	if (in->rm == RM_DYN) {
		alu_i(e, 0, ALU_CMP, M(RBP, OFF(frm)), RM_RNE);
		slow[n++] = jcc32(e, CC_NE);
	}
	mov_r_m(e, RAX, M(RBP, OFF(f) + 8 * in->rs1));
	need_normal(e, RAX, 1, slow, &n);
	mov_r_m(e, RCX, M(RBP, OFF(f) + 8 * in->rs2));
	need_normal(e, RCX, 1, slow, &n);
	x86_op(e, OPS16 | W64, 0x0f6e, 2, 0, R(RAX)); /* movq xmm0, rax */
	x86_op(e, OPS16 | W64, 0x0f6e, 2, 1, R(RCX)); /* movq xmm1, rcx */
	x86_op(e, PF2, 0x0f00 | op, 2, 0, R(1));      /* op xmm0, xmm1 */
	x86_op(e, OPS16 | W64, 0x0f7e, 2, 0, R(RAX)); /* movq rax, xmm0 */
	need_normal(e, RAX, 2, slow, &n);
	mov_m_r(e, M(RBP, OFF(f) + 8 * in->rd), RAX);
	return n;
}

static void fp_op(struct xlat *t, const struct insn *in)
{
	struct emit *e = &t->e;
	uint8_t *slow[8], *done = NULL;
	unsigned nslow = fp_fast_d(t, in, slow);

	if (nslow) {
		done = jmp32(e);
		for (unsigned i = 0; i < nslow; i++)
			bind(e, slow[i]);
	}
	helper_call(t, in, (const void *)fp_exec,
		    fp_reads_x(in->op) ? 1ull << in->rs1 : 0,
		    fp_writes_x(in->op), false);
	if (done)
		bind(e, done);
}

static void fp_check(struct xlat *t)
{
	struct stub *s = new_stub(t, t->pc, JX_INTERP);
	x86_op(&t->e, 0, 0xf7, 1, 0, M(RBP, OFF(mstatus))); /* test */
	e32(&t->e, MSTATUS_FS_BITS);
	stub_from(s, jcc32(&t->e, CC_E));
}

static void fp_load(struct xlat *t, const struct insn *in, unsigned size)
{
	struct emit *e = &t->e;

	fp_check(t);
	address(t, in);
	tlb_hit(t, size, false);
	if (size == 4) {
		x86_op(e, 0, 0x8b, 1, RDX, MX(RAX, RCX, 0)); /* mov edx */
		mov_ri(e, RAX, 0xffffffff00000000ull);	     /* NaN-box */
		alu_r(e, W64, ALU_OR, RDX, R(RAX));
	} else {
		mov_r_m(e, RDX, MX(RAX, RCX, 0));
	}
	mov_m_r(e, M(RBP, OFF(f) + 8 * in->rd), RDX);
	/* dirty, with a 64-bit store: C reads mstatus whole, and a load
	 * wider than the store before it cannot be forwarded */
	x86_op(e, W64, 0x81, 1, ALU_OR, M(RBP, OFF(mstatus)));
	e32(e, MSTATUS_FS_BITS);
}

static void fp_store(struct xlat *t, const struct insn *in, unsigned size)
{
	fp_check(t);
	address(t, in);
	tlb_hit(t, size, true);
	mov_r_m(&t->e, RDX, M(RBP, OFF(f) + 8 * in->rs2));
	x86_op(&t->e, size == 8 ? W64 : 0, 0x89, 1, RDX, MX(RAX, RCX, 0));
}

bool x86_fp_supports(const struct insn *in)
{
	return is_fp_arith(in->op) || (in->op >= OP_FLW && in->op <= OP_FSD);
}

bool x86_translate_fp(struct xlat *t, const struct insn *in)
{
	switch (in->op) {
	case OP_FLW: fp_load(t, in, 4); return true;
	case OP_FLD: fp_load(t, in, 8); return true;
	case OP_FSW: fp_store(t, in, 4); return true;
	case OP_FSD: fp_store(t, in, 8); return true;
	default:
		if (!is_fp_arith(in->op))
			return false;
		fp_op(t, in);
		return true;
	}
}

#endif
