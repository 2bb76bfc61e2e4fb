// SPDX-License-Identifier: MIT
/* test_fpu.c - bit-exact tests of the F/D arithmetic library.
 *
 * Table vectors give result bits and accrued flags for chosen inputs; every
 * expected value was derived by hand from the spec and cross-checked against
 * QEMU's RISC-V softfloat (qemu-riscv64). Randomised tests then compare
 * against the host's IEEE hardware (x86-64 SSE detects tininess after
 * rounding, like RISC-V) and check algebraic identities. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <fenv.h>
#include <math.h>

#include "cpu/fpu.h"

/* operations, in the order of the QEMU reference harness */
enum {
	ADD_S,
	SUB_S,
	MUL_S,
	DIV_S,
	SQRT_S,
	MADD_S,
	MSUB_S,
	NMSUB_S,
	NMADD_S,
	MIN_S,
	MAX_S,
	EQ_S,
	LT_S,
	LE_S,
	CLASS_S,
	ADD_D,
	SUB_D,
	MUL_D,
	DIV_D,
	SQRT_D,
	MADD_D,
	MSUB_D,
	NMSUB_D,
	NMADD_D,
	MIN_D,
	MAX_D,
	EQ_D,
	LT_D,
	LE_D,
	CLASS_D,
	CVT_W_S,
	CVT_WU_S,
	CVT_L_S,
	CVT_LU_S,
	CVT_W_D,
	CVT_WU_D,
	CVT_L_D,
	CVT_LU_D,
	CVT_S_W,
	CVT_S_WU,
	CVT_S_L,
	CVT_S_LU,
	CVT_D_W,
	CVT_D_WU,
	CVT_D_L,
	CVT_D_LU,
	CVT_S_D,
	CVT_D_S,
};

static const char *const op_names[] = {
	"fadd.s",    "fsub.s",	  "fmul.s",    "fdiv.s",    "fsqrt.s",
	"fmadd.s",   "fmsub.s",	  "fnmsub.s",  "fnmadd.s",  "fmin.s",
	"fmax.s",    "feq.s",	  "flt.s",     "fle.s",	    "fclass.s",
	"fadd.d",    "fsub.d",	  "fmul.d",    "fdiv.d",    "fsqrt.d",
	"fmadd.d",   "fmsub.d",	  "fnmsub.d",  "fnmadd.d",  "fmin.d",
	"fmax.d",    "feq.d",	  "flt.d",     "fle.d",	    "fclass.d",
	"fcvt.w.s",  "fcvt.wu.s", "fcvt.l.s",  "fcvt.lu.s", "fcvt.w.d",
	"fcvt.wu.d", "fcvt.l.d",  "fcvt.lu.d", "fcvt.s.w",  "fcvt.s.wu",
	"fcvt.s.l",  "fcvt.s.lu", "fcvt.d.w",  "fcvt.d.wu", "fcvt.d.l",
	"fcvt.d.lu", "fcvt.s.d",  "fcvt.d.s",
};

static uint64_t run_op(int op, int rm, uint64_t a, uint64_t b, uint64_t c,
		       uint32_t *fl)
{
	uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b, c32 = (uint32_t)c;

	switch (op) {
	case ADD_S: return f32_add(a32, b32, rm, fl);
	case SUB_S: return f32_sub(a32, b32, rm, fl);
	case MUL_S: return f32_mul(a32, b32, rm, fl);
	case DIV_S: return f32_div(a32, b32, rm, fl);
	case SQRT_S: return f32_sqrt(a32, rm, fl);
	case MADD_S: return f32_fma(a32, b32, c32, 0, 0, rm, fl);
	case MSUB_S: return f32_fma(a32, b32, c32, 0, 1, rm, fl);
	case NMSUB_S: return f32_fma(a32, b32, c32, 1, 0, rm, fl);
	case NMADD_S: return f32_fma(a32, b32, c32, 1, 1, rm, fl);
	case MIN_S: return f32_min(a32, b32, fl);
	case MAX_S: return f32_max(a32, b32, fl);
	case EQ_S: return f32_eq(a32, b32, fl);
	case LT_S: return f32_lt(a32, b32, fl);
	case LE_S: return f32_le(a32, b32, fl);
	case CLASS_S: return f32_classify(a32);
	case ADD_D: return f64_add(a, b, rm, fl);
	case SUB_D: return f64_sub(a, b, rm, fl);
	case MUL_D: return f64_mul(a, b, rm, fl);
	case DIV_D: return f64_div(a, b, rm, fl);
	case SQRT_D: return f64_sqrt(a, rm, fl);
	case MADD_D: return f64_fma(a, b, c, 0, 0, rm, fl);
	case MSUB_D: return f64_fma(a, b, c, 0, 1, rm, fl);
	case NMSUB_D: return f64_fma(a, b, c, 1, 0, rm, fl);
	case NMADD_D: return f64_fma(a, b, c, 1, 1, rm, fl);
	case MIN_D: return f64_min(a, b, fl);
	case MAX_D: return f64_max(a, b, fl);
	case EQ_D: return f64_eq(a, b, fl);
	case LT_D: return f64_lt(a, b, fl);
	case LE_D: return f64_le(a, b, fl);
	case CLASS_D: return f64_classify(a);
	case CVT_W_S: return f32_to_i32(a32, rm, fl);
	case CVT_WU_S: return f32_to_u32(a32, rm, fl);
	case CVT_L_S: return f32_to_i64(a32, rm, fl);
	case CVT_LU_S: return f32_to_u64(a32, rm, fl);
	case CVT_W_D: return f64_to_i32(a, rm, fl);
	case CVT_WU_D: return f64_to_u32(a, rm, fl);
	case CVT_L_D: return f64_to_i64(a, rm, fl);
	case CVT_LU_D: return f64_to_u64(a, rm, fl);
	case CVT_S_W: return i32_to_f32((int32_t)a32, rm, fl);
	case CVT_S_WU: return u32_to_f32(a32, rm, fl);
	case CVT_S_L: return i64_to_f32((int64_t)a, rm, fl);
	case CVT_S_LU: return u64_to_f32(a, rm, fl);
	case CVT_D_W: return i32_to_f64((int32_t)a32, rm, fl);
	case CVT_D_WU: return u32_to_f64(a32, rm, fl);
	case CVT_D_L: return i64_to_f64((int64_t)a, rm, fl);
	case CVT_D_LU: return u64_to_f64(a, rm, fl);
	case CVT_S_D: return f64_to_f32(a, rm, fl);
	case CVT_D_S: return f32_to_f64(a32, fl);
	}
	fail_msg("bad op %d", op);
	return 0;
}

/* ---- vector tables ----------------------------------------------------- */

#define NX  FFLAG_NX
#define UF  FFLAG_UF
#define OF  FFLAG_OF
#define DZ  FFLAG_DZ
#define NV  FFLAG_NV
#define ALL (-1) /* same result in every rounding mode */

struct vec {
	int op, rm;
	uint64_t a, b, c, r;
	uint32_t fl;
};

#define V(op, rm, a, b, c, r, fl)                                              \
	{                                                                      \
		op, rm, a, b, c, r, fl                                         \
	}
/* one vector per rounding mode, all raising the same flags */
#define V5(op, a, b, c, fl, rne, rtz, rdn, rup, rmm)                           \
	V(op, RM_RNE, a, b, c, rne, fl), V(op, RM_RTZ, a, b, c, rtz, fl),      \
		V(op, RM_RDN, a, b, c, rdn, fl),                               \
		V(op, RM_RUP, a, b, c, rup, fl),                               \
		V(op, RM_RMM, a, b, c, rmm, fl)

/* binary32 */
#define S_ONE	 0x3f800000u
#define S_NONE	 0xbf800000u
#define S_TWO	 0x40000000u
#define S_THREE	 0x40400000u
#define S_HALF	 0x3f000000u
#define S_1P5	 0x3fc00000u
#define S_NZ	 0x80000000u
#define S_MAX	 0x7f7fffffu
#define S_NMAX	 0xff7fffffu
#define S_INF	 0x7f800000u
#define S_NINF	 0xff800000u
#define S_MINN	 0x00800000u /* smallest normal, 2^-126 */
#define S_MAXSUB 0x007fffffu
#define S_MINSUB 0x00000001u /* 2^-149 */
#define S_QNAN	 0x7fc00000u
#define S_NQNAN	 0xffc00000u
#define S_QNANP	 0x7fc12345u /* quiet NaN with payload */
#define S_SNAN	 0x7f800001u
#define S_NSNAN	 0xff800001u
#define S_SNANP	 0x7fa00000u
/* binary64 */
#define D_ONE	 0x3ff0000000000000ull
#define D_NONE	 0xbff0000000000000ull
#define D_TWO	 0x4000000000000000ull
#define D_THREE	 0x4008000000000000ull
#define D_HALF	 0x3fe0000000000000ull
#define D_1P5	 0x3ff8000000000000ull
#define D_NZ	 0x8000000000000000ull
#define D_MAX	 0x7fefffffffffffffull
#define D_NMAX	 0xffefffffffffffffull
#define D_INF	 0x7ff0000000000000ull
#define D_NINF	 0xfff0000000000000ull
#define D_MINN	 0x0010000000000000ull
#define D_MAXSUB 0x000fffffffffffffull
#define D_MINSUB 0x0000000000000001ull
#define D_QNAN	 0x7ff8000000000000ull
#define D_NQNAN	 0xfff8000000000000ull
#define D_QNANP	 0x7ff8000000001234ull
#define D_SNAN	 0x7ff0000000000001ull
#define D_NSNAN	 0xfff4000000000000ull
/* integer results */
#define I32_MAX 0x7fffffffull
#define I32_MIN 0xffffffff80000000ull /* sign-extended */
#define I64_MAX 0x7fffffffffffffffull
#define I64_MIN 0x8000000000000000ull
#define ONES	0xffffffffffffffffull

static const struct vec add_vecs[] = {
	V(ADD_S, ALL, S_ONE, S_ONE, 0, S_TWO, 0),
	/* 1 + 2^-24: exact tie, RNE keeps the even 1.0, RMM goes away */
	V5(ADD_S, S_ONE, 0x33800000, 0, NX, S_ONE, S_ONE, S_ONE, 0x3f800001,
	   0x3f800001),
	/* (1 + 2^-23) + 2^-24: tie with an odd kept bit */
	V5(ADD_S, 0x3f800001, 0x33800000, 0, NX, 0x3f800002, 0x3f800001,
	   0x3f800001, 0x3f800002, 0x3f800002),
	V5(ADD_S, S_NONE, 0xb3800000, 0, NX, S_NONE, S_NONE, 0xbf800001, S_NONE,
	   0xbf800001),
	/* quarter and three quarters of an ulp */
	V5(ADD_S, S_ONE, 0x33000000, 0, NX, S_ONE, S_ONE, S_ONE, 0x3f800001,
	   S_ONE),
	V5(ADD_S, S_ONE, 0x33c00000, 0, NX, 0x3f800001, S_ONE, S_ONE,
	   0x3f800001, 0x3f800001),
	/* 1 - 2^-25 is a tie between 1 - 2^-24 and 1 */
	V5(SUB_S, S_ONE, 0x33000000, 0, NX, S_ONE, 0x3f7fffff, 0x3f7fffff,
	   S_ONE, S_ONE),
	/* exact cancellation: +0, except -0 when rounding down */
	V5(SUB_S, S_ONE, S_ONE, 0, 0, 0, 0, S_NZ, 0, 0),
	V5(ADD_S, S_NONE, S_ONE, 0, 0, 0, 0, S_NZ, 0, 0),
	V5(ADD_S, 0, S_NZ, 0, 0, 0, 0, S_NZ, 0, 0),
	V5(SUB_S, 0, 0, 0, 0, 0, 0, S_NZ, 0, 0),
	V(ADD_S, ALL, S_NZ, S_NZ, 0, S_NZ, 0),
	V(SUB_S, ALL, S_NZ, 0, 0, S_NZ, 0),
	V(SUB_S, ALL, 0, S_NZ, 0, 0, 0),
	/* subnormal sums are exact: no UF */
	V(ADD_S, ALL, 0, S_MINSUB, 0, S_MINSUB, 0),
	V(ADD_S, ALL, S_MINSUB, S_MINSUB, 0, 0x00000002, 0),
	V(ADD_S, ALL, S_MAXSUB, S_MINSUB, 0, S_MINN, 0),
	V(SUB_S, ALL, S_MINN, S_MINSUB, 0, S_MAXSUB, 0),
	V(SUB_S, ALL, 0x00800001, S_MINN, 0, S_MINSUB, 0),
	/* far-apart exponents: the small operand is only a sticky bit */
	V5(ADD_S, S_ONE, S_MINSUB, 0, NX, S_ONE, S_ONE, S_ONE, 0x3f800001,
	   S_ONE),
	V5(SUB_S, S_ONE, S_MINSUB, 0, NX, S_ONE, 0x3f7fffff, 0x3f7fffff, S_ONE,
	   S_ONE),
	/* overflow: inf or the largest finite number, by mode and sign */
	V5(ADD_S, S_MAX, S_MAX, 0, OF | NX, S_INF, S_MAX, S_MAX, S_INF, S_INF),
	V5(ADD_S, S_NMAX, S_NMAX, 0, OF | NX, S_NINF, S_NMAX, S_NINF, S_NMAX,
	   S_NINF),
	/* max + half an ulp: overflows only where it rounds up */
	V(ADD_S, RM_RNE, S_MAX, 0x73000000, 0, S_INF, OF | NX),
	V(ADD_S, RM_RTZ, S_MAX, 0x73000000, 0, S_MAX, NX),
	V(ADD_S, RM_RDN, S_MAX, 0x73000000, 0, S_MAX, NX),
	V(ADD_S, RM_RUP, S_MAX, 0x73000000, 0, S_INF, OF | NX),
	V(ADD_S, RM_RMM, S_MAX, 0x73000000, 0, S_INF, OF | NX),
	V(ADD_S, RM_RNE, S_MAX, 0x72800000, 0, S_MAX, NX),
	V(ADD_S, RM_RMM, S_MAX, 0x72800000, 0, S_MAX, NX),
	V(ADD_S, RM_RUP, S_MAX, 0x72800000, 0, S_INF, OF | NX),
	/* infinities and NaNs */
	V(ADD_S, ALL, S_INF, S_NINF, 0, S_QNAN, NV),
	V(SUB_S, ALL, S_INF, S_INF, 0, S_QNAN, NV),
	V(ADD_S, ALL, S_INF, S_INF, 0, S_INF, 0),
	V(ADD_S, ALL, S_INF, S_NMAX, 0, S_INF, 0),
	V(ADD_S, ALL, S_NINF, S_MAX, 0, S_NINF, 0),
	V(SUB_S, ALL, S_ONE, S_INF, 0, S_NINF, 0),
	V(ADD_S, ALL, S_QNANP, S_ONE, 0, S_QNAN, 0),
	V(ADD_S, ALL, S_ONE, S_NQNAN, 0, S_QNAN, 0),
	V(ADD_S, ALL, S_QNAN, S_INF, 0, S_QNAN, 0),
	V(ADD_S, ALL, S_SNAN, S_ONE, 0, S_QNAN, NV),
	V(ADD_S, ALL, S_QNAN, S_SNAN, 0, S_QNAN, NV),
	V(ADD_S, ALL, S_NSNAN, S_INF, 0, S_QNAN, NV),
	V(SUB_S, ALL, 0, S_SNANP, 0, S_QNAN, NV),
	/* binary64 */
	V(ADD_D, ALL, D_ONE, D_ONE, 0, D_TWO, 0),
	V5(ADD_D, D_ONE, 0x3ca0000000000000, 0, NX, D_ONE, D_ONE, D_ONE,
	   0x3ff0000000000001, 0x3ff0000000000001),
	V5(ADD_D, 0x3ff0000000000001, 0x3ca0000000000000, 0, NX,
	   0x3ff0000000000002, 0x3ff0000000000001, 0x3ff0000000000001,
	   0x3ff0000000000002, 0x3ff0000000000002),
	V5(SUB_D, D_ONE, D_MINSUB, 0, NX, D_ONE, 0x3fefffffffffffff,
	   0x3fefffffffffffff, D_ONE, D_ONE),
	V5(SUB_D, D_ONE, D_ONE, 0, 0, 0, 0, D_NZ, 0, 0),
	V5(ADD_D, D_MAX, D_MAX, 0, OF | NX, D_INF, D_MAX, D_MAX, D_INF, D_INF),
	V5(SUB_D, D_NMAX, D_MAX, 0, OF | NX, D_NINF, D_NMAX, D_NINF, D_NMAX,
	   D_NINF),
	V(ADD_D, ALL, D_MAXSUB, D_MINSUB, 0, D_MINN, 0),
	V(ADD_D, ALL, D_NZ, D_NZ, 0, D_NZ, 0),
	V(ADD_D, ALL, D_INF, D_NINF, 0, D_QNAN, NV),
	V(ADD_D, ALL, D_SNAN, D_ONE, 0, D_QNAN, NV),
	V(ADD_D, ALL, D_QNANP, D_ONE, 0, D_QNAN, 0),
	V(SUB_D, ALL, D_NQNAN, D_NSNAN, 0, D_QNAN, NV),
};

static const struct vec mul_vecs[] = {
	V(MUL_S, ALL, S_THREE, S_HALF, 0, S_1P5, 0),
	V(MUL_S, ALL, 0x7effffff, S_TWO, 0, S_MAX, 0),
	/* (1 + 3*2^-23) * 1.5: tie with an even kept bit */
	V5(MUL_S, 0x3f800003, S_1P5, 0, NX, 0x3fc00004, 0x3fc00004, 0x3fc00004,
	   0x3fc00005, 0x3fc00005),
	V5(MUL_S, 0xbf800003, S_1P5, 0, NX, 0xbfc00004, 0xbfc00004, 0xbfc00005,
	   0xbfc00004, 0xbfc00005),
	V5(MUL_S, 0x7f000000, S_TWO, 0, OF | NX, S_INF, S_MAX, S_MAX, S_INF,
	   S_INF),
	V5(MUL_S, 0xff000000, S_TWO, 0, OF | NX, S_NINF, S_NMAX, S_NINF, S_NMAX,
	   S_NINF),
	/* exact subnormal results raise nothing */
	V(MUL_S, ALL, S_MINN, S_HALF, 0, 0x00400000, 0),
	V(MUL_S, ALL, S_MINSUB, 0x4b000000, 0, S_MINN, 0),
	/* half the smallest subnormal */
	V5(MUL_S, S_MINSUB, S_HALF, 0, UF | NX, 0, 0, 0, 1, 1),
	V5(MUL_S, 0x80000001, S_HALF, 0, UF | NX, S_NZ, S_NZ, 0x80000001, S_NZ,
	   0x80000001),
	V5(MUL_S, 0x00000003, S_HALF, 0, UF | NX, 2, 1, 1, 2, 2),
	V5(MUL_S, S_MINSUB, 0x3e800000, 0, UF | NX, 0, 0, 0, 1, 0),
	V5(MUL_S, S_MINSUB, S_MINSUB, 0, UF | NX, 0, 0, 0, 1, 0),
	V5(MUL_S, S_MINSUB, 0x80000001, 0, UF | NX, S_NZ, S_NZ, 0x80000001,
	   S_NZ, S_NZ),
	/* Tininess after rounding. (1 - 2^-24) * 2^-126 is representable with
	 * an unbounded exponent, so it is tiny, even where it rounds up to
	 * the smallest normal. */
	V5(MUL_S, 0x3f7fffff, S_MINN, 0, UF | NX, S_MINN, S_MAXSUB, S_MAXSUB,
	   S_MINN, S_MINN),
	/* (1 + 2^-23) * (2^-126 - 2^-149) = 2^-126 * (1 - 2^-46): rounding
	 * to 24 bits reaches 2^-126 (not tiny, no UF) except towards zero */
	V(MUL_S, RM_RNE, 0x3f800001, S_MAXSUB, 0, S_MINN, NX),
	V(MUL_S, RM_RTZ, 0x3f800001, S_MAXSUB, 0, S_MAXSUB, UF | NX),
	V(MUL_S, RM_RDN, 0x3f800001, S_MAXSUB, 0, S_MAXSUB, UF | NX),
	V(MUL_S, RM_RUP, 0x3f800001, S_MAXSUB, 0, S_MINN, NX),
	V(MUL_S, RM_RMM, 0x3f800001, S_MAXSUB, 0, S_MINN, NX),
	V(MUL_S, RM_RDN, 0xbf800001, S_MAXSUB, 0, 0x80800000, NX),
	V(MUL_S, RM_RUP, 0xbf800001, S_MAXSUB, 0, 0x807fffff, UF | NX),
	/* specials */
	V(MUL_S, ALL, S_INF, 0, 0, S_QNAN, NV),
	V(MUL_S, ALL, S_NZ, S_NINF, 0, S_QNAN, NV),
	V(MUL_S, ALL, S_NZ, S_THREE, 0, S_NZ, 0),
	V(MUL_S, ALL, S_NINF, S_NONE, 0, S_INF, 0),
	V(MUL_S, ALL, S_NINF, S_MINSUB, 0, S_NINF, 0),
	V(MUL_S, ALL, S_QNAN, 0, 0, S_QNAN, 0),
	V(MUL_S, ALL, S_NQNAN, S_INF, 0, S_QNAN, 0),
	V(MUL_S, ALL, S_SNAN, S_INF, 0, S_QNAN, NV),
	V(MUL_S, ALL, S_ONE, S_SNANP, 0, S_QNAN, NV),
	/* binary64 */
	V5(MUL_D, 0x3ff0000000000003, D_1P5, 0, NX, 0x3ff8000000000004,
	   0x3ff8000000000004, 0x3ff8000000000004, 0x3ff8000000000005,
	   0x3ff8000000000005),
	V5(MUL_D, 0x7fe0000000000000, D_TWO, 0, OF | NX, D_INF, D_MAX, D_MAX,
	   D_INF, D_INF),
	V5(MUL_D, D_MINSUB, D_HALF, 0, UF | NX, 0, 0, 0, 1, 1),
	V5(MUL_D, 0x3fefffffffffffff, D_MINN, 0, UF | NX, D_MINN, D_MAXSUB,
	   D_MAXSUB, D_MINN, D_MINN),
	V(MUL_D, RM_RNE, 0x3ff0000000000001, D_MAXSUB, 0, D_MINN, NX),
	V(MUL_D, RM_RTZ, 0x3ff0000000000001, D_MAXSUB, 0, D_MAXSUB, UF | NX),
	V(MUL_D, RM_RMM, 0x3ff0000000000001, D_MAXSUB, 0, D_MINN, NX),
	V(MUL_D, ALL, D_MINN, D_HALF, 0, 0x0008000000000000, 0),
	V(MUL_D, ALL, D_MAXSUB, D_TWO, 0, 0x001ffffffffffffe, 0),
	V(MUL_D, ALL, D_INF, D_NZ, 0, D_QNAN, NV),
	V(MUL_D, ALL, D_NQNAN, D_TWO, 0, D_QNAN, 0),
	V(MUL_D, ALL, D_SNAN, 0, 0, D_QNAN, NV),
};

static const struct vec div_vecs[] = {
	V(DIV_S, ALL, S_THREE, S_TWO, 0, S_1P5, 0),
	V5(DIV_S, S_ONE, S_THREE, 0, NX, 0x3eaaaaab, 0x3eaaaaaa, 0x3eaaaaaa,
	   0x3eaaaaab, 0x3eaaaaab),
	V5(DIV_S, S_NONE, S_THREE, 0, NX, 0xbeaaaaab, 0xbeaaaaaa, 0xbeaaaaab,
	   0xbeaaaaaa, 0xbeaaaaab),
	V(DIV_S, ALL, S_ONE, 0, 0, S_INF, DZ),
	V(DIV_S, ALL, S_NONE, 0, 0, S_NINF, DZ),
	V(DIV_S, ALL, S_ONE, S_NZ, 0, S_NINF, DZ),
	V(DIV_S, ALL, S_MINSUB, 0, 0, S_INF, DZ),
	V(DIV_S, ALL, 0, 0, 0, S_QNAN, NV),
	V(DIV_S, ALL, S_NZ, 0, 0, S_QNAN, NV),
	V(DIV_S, ALL, S_INF, S_NINF, 0, S_QNAN, NV),
	V(DIV_S, ALL, S_INF, 0, 0, S_INF, 0), /* no DZ for inf / 0 */
	V(DIV_S, ALL, 0, S_INF, 0, 0, 0),
	V(DIV_S, ALL, S_ONE, S_NINF, 0, S_NZ, 0),
	V(DIV_S, ALL, S_QNAN, 0, 0, S_QNAN, 0),
	V(DIV_S, ALL, 0, S_SNAN, 0, S_QNAN, NV),
	V5(DIV_S, S_MAX, S_HALF, 0, OF | NX, S_INF, S_MAX, S_MAX, S_INF, S_INF),
	V5(DIV_S, S_MINSUB, S_TWO, 0, UF | NX, 0, 0, 0, 1, 1),
	/* 2^-126 / (1 + 2^-23) is just below the max subnormal's upper
	 * neighbour: tiny in every mode */
	V5(DIV_S, S_MINN, 0x3f800001, 0, UF | NX, S_MAXSUB, S_MAXSUB, S_MAXSUB,
	   S_MINN, S_MAXSUB),
	V5(DIV_D, D_ONE, D_THREE, 0, NX, 0x3fd5555555555555, 0x3fd5555555555555,
	   0x3fd5555555555555, 0x3fd5555555555556, 0x3fd5555555555555),
	V5(DIV_D, D_TWO, D_THREE, 0, NX, 0x3fe5555555555555, 0x3fe5555555555555,
	   0x3fe5555555555555, 0x3fe5555555555556, 0x3fe5555555555555),
	V(DIV_D, ALL, D_ONE, 0, 0, D_INF, DZ),
	V(DIV_D, ALL, D_NONE, 0, 0, D_NINF, DZ),
	V(DIV_D, ALL, D_NZ, D_NZ, 0, D_QNAN, NV),
	V(DIV_D, ALL, D_INF, D_INF, 0, D_QNAN, NV),
	V(DIV_D, ALL, D_NQNAN, 0, 0, D_QNAN, 0),
	V5(DIV_D, D_MINN, 0x4330000000000000, 0, 0, /* exact: 2^-1074 */
	   D_MINSUB, D_MINSUB, D_MINSUB, D_MINSUB, D_MINSUB),
	V5(DIV_D, D_MAX, D_HALF, 0, OF | NX, D_INF, D_MAX, D_MAX, D_INF, D_INF),
};

static const struct vec sqrt_vecs[] = {
	V(SQRT_S, ALL, 0x40800000, 0, 0, S_TWO, 0),
	V5(SQRT_S, S_TWO, 0, 0, NX, 0x3fb504f3, 0x3fb504f3, 0x3fb504f3,
	   0x3fb504f4, 0x3fb504f3),
	V5(SQRT_S, S_MINSUB, 0, 0, NX, 0x1a3504f3, 0x1a3504f3, 0x1a3504f3,
	   0x1a3504f4, 0x1a3504f3),
	V(SQRT_S, ALL, 0x00000002, 0, 0, 0x1a800000, 0),
	V5(SQRT_S, S_MAX, 0, 0, NX, 0x5f7fffff, 0x5f7fffff, 0x5f7fffff,
	   0x5f800000, 0x5f7fffff),
	V(SQRT_S, ALL, 0, 0, 0, 0, 0),
	V(SQRT_S, ALL, S_NZ, 0, 0, S_NZ, 0),
	V(SQRT_S, ALL, S_INF, 0, 0, S_INF, 0),
	V(SQRT_S, ALL, S_NONE, 0, 0, S_QNAN, NV),
	V(SQRT_S, ALL, 0x80000001, 0, 0, S_QNAN, NV),
	V(SQRT_S, ALL, S_NINF, 0, 0, S_QNAN, NV),
	V(SQRT_S, ALL, S_QNANP, 0, 0, S_QNAN, 0),
	V(SQRT_S, ALL, S_NQNAN, 0, 0, S_QNAN, 0),
	V(SQRT_S, ALL, S_SNAN, 0, 0, S_QNAN, NV),
	V5(SQRT_D, D_TWO, 0, 0, NX, 0x3ff6a09e667f3bcd, 0x3ff6a09e667f3bcc,
	   0x3ff6a09e667f3bcc, 0x3ff6a09e667f3bcd, 0x3ff6a09e667f3bcd),
	V(SQRT_D, ALL, 0x4010000000000000, 0, 0, D_TWO, 0),
	V(SQRT_D, ALL, D_MINSUB, 0, 0, 0x1e60000000000000, 0),
	V(SQRT_D, ALL, D_NZ, 0, 0, D_NZ, 0),
	V(SQRT_D, ALL, D_NONE, 0, 0, D_QNAN, NV),
	V(SQRT_D, ALL, D_NINF, 0, 0, D_QNAN, NV),
	V(SQRT_D, ALL, D_INF, 0, 0, D_INF, 0),
	V(SQRT_D, ALL, D_SNAN, 0, 0, D_QNAN, NV),
	V(SQRT_D, ALL, D_NQNAN, 0, 0, D_QNAN, 0),
};

static const struct vec fma_vecs[] = {
	V(MADD_S, ALL, S_TWO, S_THREE, S_ONE, 0x40e00000, 0),  /* 7 */
	V(MSUB_S, ALL, S_TWO, S_THREE, S_ONE, 0x40a00000, 0),  /* 5 */
	V(NMSUB_S, ALL, S_TWO, S_THREE, S_ONE, 0xc0a00000, 0), /* -5 */
	V(NMADD_S, ALL, S_TWO, S_THREE, S_ONE, 0xc0e00000, 0), /* -7 */
	/* single rounding: (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46 exactly */
	V(MADD_S, ALL, 0x3f800001, 0x3f7ffffe, S_NONE, 0xa8800000, 0),
	V(MSUB_S, ALL, 0x3f800001, 0x3f7ffffe, S_ONE, 0xa8800000, 0),
	V(NMSUB_S, ALL, 0x3f800001, 0x3f7ffffe, S_ONE, 0x28800000, 0),
	/* 2*max - max does not overflow when fused */
	V(MADD_S, ALL, S_MAX, S_TWO, S_NMAX, S_MAX, 0),
	V5(MADD_S, S_MAX, S_TWO, 0, OF | NX, S_INF, S_MAX, S_MAX, S_INF, S_INF),
	V5(MADD_S, S_ONE, S_ONE, 0x33800000, NX, S_ONE, S_ONE, S_ONE,
	   0x3f800001, 0x3f800001),
	V5(MADD_S, S_ONE, S_ONE, S_MINSUB, NX, S_ONE, S_ONE, S_ONE, 0x3f800001,
	   S_ONE),
	V5(MSUB_S, S_ONE, S_ONE, S_MINSUB, NX, S_ONE, 0x3f7fffff, 0x3f7fffff,
	   S_ONE, S_ONE),
	/* inf * 0 is invalid even with a quiet NaN addend */
	V(MADD_S, ALL, S_INF, 0, S_QNAN, S_QNAN, NV),
	V(MADD_S, ALL, 0, S_NINF, S_ONE, S_QNAN, NV),
	V(NMADD_S, ALL, S_NINF, S_NZ, S_NQNAN, S_QNAN, NV),
	V(MADD_S, ALL, S_INF, 0, S_SNAN, S_QNAN, NV),
	V(MADD_S, ALL, S_QNAN, 0, S_ONE, S_QNAN, 0),
	V(MADD_S, ALL, S_QNAN, S_INF, 0, S_QNAN, 0),
	V(MADD_S, ALL, S_ONE, S_QNANP, S_ONE, S_QNAN, 0),
	V(MADD_S, ALL, S_ONE, S_ONE, S_SNAN, S_QNAN, NV),
	V(MADD_S, ALL, S_SNAN, S_ONE, S_QNAN, S_QNAN, NV),
	/* inf - inf */
	V(MADD_S, ALL, S_INF, S_ONE, S_NINF, S_QNAN, NV),
	V(MSUB_S, ALL, S_INF, S_ONE, S_INF, S_QNAN, NV),
	V(NMSUB_S, ALL, S_INF, S_ONE, S_INF, S_QNAN, NV),
	V(NMADD_S, ALL, S_INF, S_ONE, S_INF, S_NINF, 0),
	V(MADD_S, ALL, S_ONE, S_ONE, S_NINF, S_NINF, 0),
	V(MSUB_S, ALL, S_ONE, S_ONE, S_INF, S_NINF, 0),
	V(MADD_S, ALL, S_INF, S_NONE, S_MAX, S_NINF, 0),
	/* signs of zero results */
	V5(MADD_S, S_ONE, 0, S_NZ, 0, 0, 0, S_NZ, 0, 0),
	V(MADD_S, ALL, S_NONE, 0, S_NZ, S_NZ, 0),
	V5(MADD_S, S_ONE, S_ONE, S_NONE, 0, 0, 0, S_NZ, 0, 0),
	V(NMADD_S, ALL, 0, S_ONE, 0, S_NZ, 0),
	V5(NMSUB_S, 0, S_ONE, 0, 0, 0, 0, S_NZ, 0, 0),
	V5(MSUB_S, 0, S_ONE, 0, 0, 0, 0, S_NZ, 0, 0),
	V(MADD_S, ALL, 0, S_ONE, S_TWO, S_TWO, 0),
	V(MSUB_S, ALL, 0, S_ONE, S_TWO, 0xc0000000, 0),
	/* a tiny positive product plus -0 is positive, even in RDN */
	V5(MADD_S, S_MINSUB, S_MINSUB, S_NZ, UF | NX, 0, 0, 0, S_MINSUB, 0),
	/* tininess after rounding through the fused path */
	V(MADD_S, RM_RNE, 0x3f800001, S_MAXSUB, 0, S_MINN, NX),
	V(MADD_S, RM_RTZ, 0x3f800001, S_MAXSUB, 0, S_MAXSUB, UF | NX),
	V(MADD_S, RM_RNE, 0x3f800001, S_MAXSUB, S_NZ, S_MINN, NX),
	V5(MADD_S, 0x3f7fffff, S_MINN, 0, UF | NX, S_MINN, S_MAXSUB, S_MAXSUB,
	   S_MINN, S_MINN),
	V(MADD_S, ALL, 0x00c00000, S_ONE, 0x80800000, 0x00400000, 0),
	/* binary64: (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104 */
	V(MADD_D, ALL, 0x3ff0000000000001, 0x3feffffffffffffe, D_NONE,
	  0xb970000000000000, 0),
	V(MADD_D, ALL, D_MAX, D_TWO, D_NMAX, D_MAX, 0),
	V5(MADD_D, D_ONE, D_ONE, 0x3ca0000000000000, NX, D_ONE, D_ONE, D_ONE,
	   0x3ff0000000000001, 0x3ff0000000000001),
	V5(NMADD_D, D_ONE, D_ONE, 0x3ca0000000000000, NX, D_NONE, D_NONE,
	   0xbff0000000000001, D_NONE, 0xbff0000000000001),
	V(MADD_D, ALL, D_INF, 0, D_QNAN, D_QNAN, NV),
	V(MADD_D, ALL, D_NZ, D_INF, D_NQNAN, D_QNAN, NV),
	V(MADD_D, ALL, D_ONE, D_ONE, D_SNAN, D_QNAN, NV),
	V(MSUB_D, ALL, D_INF, D_TWO, D_INF, D_QNAN, NV),
	V5(MSUB_D, D_TWO, D_HALF, D_ONE, 0, 0, 0, D_NZ, 0, 0),
	V5(MADD_D, 0x3fefffffffffffff, D_MINN, 0, UF | NX, D_MINN, D_MAXSUB,
	   D_MAXSUB, D_MINN, D_MINN),
	V5(MADD_D, D_MAX, D_MAX, D_NMAX, OF | NX, D_INF, D_MAX, D_MAX, D_INF,
	   D_INF),
};

static const struct vec minmax_vecs[] = {
	V(MIN_S, ALL, S_ONE, S_TWO, 0, S_ONE, 0),
	V(MAX_S, ALL, S_ONE, S_TWO, 0, S_TWO, 0),
	V(MIN_S, ALL, S_NONE, 0xc0000000, 0, 0xc0000000, 0),
	V(MAX_S, ALL, S_NONE, 0xc0000000, 0, S_NONE, 0),
	/* -0 < +0 */
	V(MIN_S, ALL, S_NZ, 0, 0, S_NZ, 0),
	V(MIN_S, ALL, 0, S_NZ, 0, S_NZ, 0),
	V(MAX_S, ALL, S_NZ, 0, 0, 0, 0),
	V(MAX_S, ALL, 0, S_NZ, 0, 0, 0),
	V(MIN_S, ALL, S_MINSUB, 0, 0, 0, 0),
	V(MAX_S, ALL, S_MINSUB, 0, 0, S_MINSUB, 0),
	V(MIN_S, ALL, 0x80000001, S_NZ, 0, 0x80000001, 0),
	V(MAX_S, ALL, S_INF, S_MAX, 0, S_INF, 0),
	V(MIN_S, ALL, S_NINF, S_NMAX, 0, S_NINF, 0),
	/* one NaN: the other operand; sNaN still signals */
	V(MIN_S, ALL, S_QNAN, S_ONE, 0, S_ONE, 0),
	V(MIN_S, ALL, S_ONE, S_QNANP, 0, S_ONE, 0),
	V(MAX_S, ALL, S_NQNAN, S_NINF, 0, S_NINF, 0),
	V(MIN_S, ALL, S_SNAN, S_ONE, 0, S_ONE, NV),
	V(MAX_S, ALL, S_NONE, S_SNANP, 0, S_NONE, NV),
	V(MAX_S, ALL, S_NSNAN, S_NZ, 0, S_NZ, NV),
	/* two NaNs: canonical */
	V(MIN_S, ALL, S_QNANP, S_NQNAN, 0, S_QNAN, 0),
	V(MAX_S, ALL, S_SNAN, S_QNAN, 0, S_QNAN, NV),
	V(MIN_S, ALL, S_QNAN, S_NSNAN, 0, S_QNAN, NV),
	V(MIN_D, ALL, D_ONE, D_NONE, 0, D_NONE, 0),
	V(MAX_D, ALL, D_ONE, D_NONE, 0, D_ONE, 0),
	V(MIN_D, ALL, D_NZ, 0, 0, D_NZ, 0),
	V(MAX_D, ALL, D_NZ, 0, 0, 0, 0),
	V(MAX_D, ALL, 0, D_NZ, 0, 0, 0),
	V(MIN_D, ALL, D_MAXSUB, D_MINN, 0, D_MAXSUB, 0),
	V(MIN_D, ALL, D_SNAN, D_ONE, 0, D_ONE, NV),
	V(MAX_D, ALL, D_QNANP, D_NINF, 0, D_NINF, 0),
	V(MAX_D, ALL, D_QNAN, D_QNANP, 0, D_QNAN, 0),
	V(MIN_D, ALL, D_NSNAN, D_NQNAN, 0, D_QNAN, NV),
};

static const struct vec cmp_vecs[] = {
	V(EQ_S, ALL, S_ONE, S_ONE, 0, 1, 0),
	V(EQ_S, ALL, 0, S_NZ, 0, 1, 0),
	V(EQ_S, ALL, S_ONE, S_TWO, 0, 0, 0),
	V(EQ_S, ALL, S_INF, S_INF, 0, 1, 0),
	V(EQ_S, ALL, S_QNAN, S_QNAN, 0, 0, 0), /* quiet */
	V(EQ_S, ALL, S_NQNAN, S_ONE, 0, 0, 0),
	V(EQ_S, ALL, S_SNAN, S_ONE, 0, 0, NV),
	V(EQ_S, ALL, S_ONE, S_SNANP, 0, 0, NV),
	V(LT_S, ALL, S_ONE, S_TWO, 0, 1, 0),
	V(LT_S, ALL, S_TWO, S_ONE, 0, 0, 0),
	V(LT_S, ALL, S_ONE, S_ONE, 0, 0, 0),
	V(LT_S, ALL, S_NZ, 0, 0, 0, 0),
	V(LT_S, ALL, 0, S_NZ, 0, 0, 0),
	V(LT_S, ALL, S_NONE, S_ONE, 0, 1, 0),
	V(LT_S, ALL, 0xc0000000, S_NONE, 0, 1, 0),
	V(LT_S, ALL, S_NONE, 0xc0000000, 0, 0, 0),
	V(LT_S, ALL, S_NINF, S_INF, 0, 1, 0),
	V(LT_S, ALL, 0x80000001, S_NZ, 0, 1, 0),
	V(LT_S, ALL, S_NZ, S_MINSUB, 0, 1, 0),
	V(LT_S, ALL, S_QNAN, S_ONE, 0, 0, NV), /* signalling */
	V(LT_S, ALL, S_ONE, S_NQNAN, 0, 0, NV),
	V(LT_S, ALL, S_SNAN, S_ONE, 0, 0, NV),
	V(LE_S, ALL, S_ONE, S_ONE, 0, 1, 0),
	V(LE_S, ALL, 0, S_NZ, 0, 1, 0),
	V(LE_S, ALL, S_NZ, 0, 0, 1, 0),
	V(LE_S, ALL, S_TWO, S_ONE, 0, 0, 0),
	V(LE_S, ALL, S_NONE, 0xc0000000, 0, 0, 0),
	V(LE_S, ALL, 0xc0000000, S_NONE, 0, 1, 0),
	V(LE_S, ALL, S_INF, S_INF, 0, 1, 0),
	V(LE_S, ALL, S_QNAN, S_QNAN, 0, 0, NV),
	V(LE_S, ALL, S_ONE, S_SNAN, 0, 0, NV),
	V(EQ_D, ALL, D_ONE, D_ONE, 0, 1, 0),
	V(EQ_D, ALL, D_NZ, 0, 0, 1, 0),
	V(EQ_D, ALL, D_QNAN, D_ONE, 0, 0, 0),
	V(EQ_D, ALL, D_SNAN, D_SNAN, 0, 0, NV),
	V(LT_D, ALL, D_NONE, D_NZ, 0, 1, 0),
	V(LT_D, ALL, D_MINSUB, D_MINN, 0, 1, 0),
	V(LT_D, ALL, D_MAX, D_INF, 0, 1, 0),
	V(LT_D, ALL, D_QNAN, D_ONE, 0, 0, NV),
	V(LE_D, ALL, D_NZ, 0, 0, 1, 0),
	V(LE_D, ALL, D_ONE, D_NONE, 0, 0, 0),
	V(LE_D, ALL, D_NQNAN, D_ONE, 0, 0, NV),
};

static const struct vec class_vecs[] = {
	V(CLASS_S, ALL, S_NINF, 0, 0, 1 << 0, 0),
	V(CLASS_S, ALL, S_NONE, 0, 0, 1 << 1, 0),
	V(CLASS_S, ALL, S_NMAX, 0, 0, 1 << 1, 0),
	V(CLASS_S, ALL, 0x80800000, 0, 0, 1 << 1, 0),
	V(CLASS_S, ALL, 0x80000001, 0, 0, 1 << 2, 0),
	V(CLASS_S, ALL, 0x807fffff, 0, 0, 1 << 2, 0),
	V(CLASS_S, ALL, S_NZ, 0, 0, 1 << 3, 0),
	V(CLASS_S, ALL, 0, 0, 0, 1 << 4, 0),
	V(CLASS_S, ALL, S_MINSUB, 0, 0, 1 << 5, 0),
	V(CLASS_S, ALL, S_MAXSUB, 0, 0, 1 << 5, 0),
	V(CLASS_S, ALL, S_MINN, 0, 0, 1 << 6, 0),
	V(CLASS_S, ALL, S_MAX, 0, 0, 1 << 6, 0),
	V(CLASS_S, ALL, S_INF, 0, 0, 1 << 7, 0),
	V(CLASS_S, ALL, S_SNAN, 0, 0, 1 << 8, 0),
	V(CLASS_S, ALL, S_NSNAN, 0, 0, 1 << 8, 0),
	V(CLASS_S, ALL, 0x7fbfffff, 0, 0, 1 << 8, 0),
	V(CLASS_S, ALL, S_QNAN, 0, 0, 1 << 9, 0),
	V(CLASS_S, ALL, S_NQNAN, 0, 0, 1 << 9, 0),
	V(CLASS_S, ALL, 0x7fffffff, 0, 0, 1 << 9, 0),
	V(CLASS_D, ALL, D_NINF, 0, 0, 1 << 0, 0),
	V(CLASS_D, ALL, D_NMAX, 0, 0, 1 << 1, 0),
	V(CLASS_D, ALL, 0x8000000000000001, 0, 0, 1 << 2, 0),
	V(CLASS_D, ALL, D_NZ, 0, 0, 1 << 3, 0),
	V(CLASS_D, ALL, 0, 0, 0, 1 << 4, 0),
	V(CLASS_D, ALL, D_MAXSUB, 0, 0, 1 << 5, 0),
	V(CLASS_D, ALL, D_MINN, 0, 0, 1 << 6, 0),
	V(CLASS_D, ALL, D_INF, 0, 0, 1 << 7, 0),
	V(CLASS_D, ALL, D_SNAN, 0, 0, 1 << 8, 0),
	V(CLASS_D, ALL, 0x7ff7ffffffffffff, 0, 0, 1 << 8, 0),
	V(CLASS_D, ALL, D_QNAN, 0, 0, 1 << 9, 0),
	V(CLASS_D, ALL, D_NQNAN, 0, 0, 1 << 9, 0),
	/* the f32 functions see only 32 bits: a boxed-looking f64 is moot */
	V(CLASS_S, ALL, 0xffffffff3f800000, 0, 0, 1 << 6, 0),
};

static const struct vec to_int_vecs[] = {
	/* fcvt.w.s */
	V5(CVT_W_S, S_1P5, 0, 0, NX, 2, 1, 1, 2, 2),
	V5(CVT_W_S, 0x40200000, 0, 0, NX, 2, 2, 2, 3, 3), /* 2.5 */
	V5(CVT_W_S, 0xc0200000, 0, 0, NX,		  /* -2.5 */
	   ONES - 1, ONES - 1, ONES - 2, ONES - 1, ONES - 2),
	V5(CVT_W_S, S_HALF, 0, 0, NX, 0, 0, 0, 1, 1),
	V5(CVT_W_S, 0xbf000000, 0, 0, NX, 0, 0, ONES, 0, ONES),
	V5(CVT_W_S, S_MINSUB, 0, 0, NX, 0, 0, 0, 1, 0),
	V5(CVT_W_S, 0x80000001, 0, 0, NX, 0, 0, ONES, 0, 0),
	V(CVT_W_S, ALL, S_NZ, 0, 0, 0, 0),
	V(CVT_W_S, ALL, S_NONE, 0, 0, ONES, 0),
	V(CVT_W_S, ALL, 0x4effffff, 0, 0, 0x7fffff80, 0),
	V(CVT_W_S, ALL, 0xcf000000, 0, 0, I32_MIN, 0),
	V(CVT_W_S, ALL, 0x4f000000, 0, 0, I32_MAX, NV),
	V(CVT_W_S, ALL, 0xcf000001, 0, 0, I32_MIN, NV),
	V(CVT_W_S, ALL, S_MAX, 0, 0, I32_MAX, NV),
	V(CVT_W_S, ALL, S_NMAX, 0, 0, I32_MIN, NV),
	V(CVT_W_S, ALL, S_INF, 0, 0, I32_MAX, NV),
	V(CVT_W_S, ALL, S_NINF, 0, 0, I32_MIN, NV),
	V(CVT_W_S, ALL, S_QNAN, 0, 0, I32_MAX, NV),
	V(CVT_W_S, ALL, S_NQNAN, 0, 0, I32_MAX, NV), /* NaN is +large */
	V(CVT_W_S, ALL, S_NSNAN, 0, 0, I32_MAX, NV),
	/* fcvt.wu.s: the 32-bit result is sign-extended */
	V(CVT_WU_S, ALL, S_THREE, 0, 0, 3, 0),
	V(CVT_WU_S, ALL, 0x4f000000, 0, 0, 0xffffffff80000000, 0),
	V(CVT_WU_S, ALL, 0x4f7fffff, 0, 0, 0xffffffffffffff00, 0),
	V(CVT_WU_S, ALL, 0x4f800000, 0, 0, ONES, NV),
	V(CVT_WU_S, ALL, S_NONE, 0, 0, 0, NV),
	V(CVT_WU_S, ALL, S_NZ, 0, 0, 0, 0),
	V(CVT_WU_S, ALL, S_INF, 0, 0, ONES, NV),
	V(CVT_WU_S, ALL, S_NINF, 0, 0, 0, NV),
	V(CVT_WU_S, ALL, S_QNAN, 0, 0, ONES, NV),
	V(CVT_WU_S, ALL, S_NQNAN, 0, 0, ONES, NV),
	/* -0.5 is fine if it rounds to 0, invalid if it rounds to -1 */
	V(CVT_WU_S, RM_RNE, 0xbf000000, 0, 0, 0, NX),
	V(CVT_WU_S, RM_RTZ, 0xbf000000, 0, 0, 0, NX),
	V(CVT_WU_S, RM_RUP, 0xbf000000, 0, 0, 0, NX),
	V(CVT_WU_S, RM_RDN, 0xbf000000, 0, 0, 0, NV),
	V(CVT_WU_S, RM_RMM, 0xbf000000, 0, 0, 0, NV),
	V(CVT_WU_S, RM_RMM, 0xbe800000, 0, 0, 0, NX),
	V5(CVT_WU_S, 0x40200000, 0, 0, NX, 2, 2, 2, 3, 3),
	/* fcvt.l.s */
	V(CVT_L_S, ALL, 0x5effffff, 0, 0, 0x7fffff8000000000, 0),
	V(CVT_L_S, ALL, 0xdf000000, 0, 0, I64_MIN, 0),
	V(CVT_L_S, ALL, 0x5f000000, 0, 0, I64_MAX, NV),
	V(CVT_L_S, ALL, 0xdf000001, 0, 0, I64_MIN, NV),
	V(CVT_L_S, ALL, S_INF, 0, 0, I64_MAX, NV),
	V(CVT_L_S, ALL, S_NINF, 0, 0, I64_MIN, NV),
	V(CVT_L_S, ALL, S_QNAN, 0, 0, I64_MAX, NV),
	V(CVT_L_S, ALL, S_NONE, 0, 0, ONES, 0),
	V5(CVT_L_S, 0xc0200000, 0, 0, NX, ONES - 1, ONES - 1, ONES - 2,
	   ONES - 1, ONES - 2),
	/* fcvt.lu.s */
	V(CVT_LU_S, ALL, 0x5f7fffff, 0, 0, 0xffffff0000000000, 0),
	V(CVT_LU_S, ALL, 0x5f000000, 0, 0, I64_MIN, 0),
	V(CVT_LU_S, ALL, 0x5f800000, 0, 0, ONES, NV),
	V(CVT_LU_S, ALL, S_NONE, 0, 0, 0, NV),
	V(CVT_LU_S, ALL, S_INF, 0, 0, ONES, NV),
	V(CVT_LU_S, ALL, S_NINF, 0, 0, 0, NV),
	V(CVT_LU_S, ALL, S_SNAN, 0, 0, ONES, NV),
	V(CVT_LU_S, RM_RNE, 0xbf000000, 0, 0, 0, NX),
	V(CVT_LU_S, RM_RDN, 0xbf000000, 0, 0, 0, NV),
	V5(CVT_LU_S, S_1P5, 0, 0, NX, 2, 1, 1, 2, 2),
	/* fcvt.w.d */
	V(CVT_W_D, ALL, 0x41dfffffffc00000, 0, 0, I32_MAX, 0),
	V(CVT_W_D, ALL, 0xc1e0000000000000, 0, 0, I32_MIN, 0),
	V(CVT_W_D, ALL, 0x41e0000000000000, 0, 0, I32_MAX, NV),
	V(CVT_W_D, ALL, 0x4202a05f20000000, 0, 0, I32_MAX, NV), /* 1e10 */
	/* 2^31 - 0.5 is in range only if it rounds down */
	V(CVT_W_D, RM_RNE, 0x41dfffffffe00000, 0, 0, I32_MAX, NV),
	V(CVT_W_D, RM_RTZ, 0x41dfffffffe00000, 0, 0, I32_MAX, NX),
	V(CVT_W_D, RM_RDN, 0x41dfffffffe00000, 0, 0, I32_MAX, NX),
	V(CVT_W_D, RM_RUP, 0x41dfffffffe00000, 0, 0, I32_MAX, NV),
	V(CVT_W_D, RM_RMM, 0x41dfffffffe00000, 0, 0, I32_MAX, NV),
	/* -2^31 - 0.5 */
	V(CVT_W_D, RM_RNE, 0xc1e0000000100000, 0, 0, I32_MIN, NX),
	V(CVT_W_D, RM_RTZ, 0xc1e0000000100000, 0, 0, I32_MIN, NX),
	V(CVT_W_D, RM_RDN, 0xc1e0000000100000, 0, 0, I32_MIN, NV),
	V(CVT_W_D, RM_RUP, 0xc1e0000000100000, 0, 0, I32_MIN, NX),
	V(CVT_W_D, RM_RMM, 0xc1e0000000100000, 0, 0, I32_MIN, NV),
	V(CVT_W_D, ALL, 0xc000000000000000, 0, 0, ONES - 1, 0),
	V5(CVT_W_D, D_MINSUB, 0, 0, NX, 0, 0, 0, 1, 0),
	V(CVT_W_D, ALL, D_QNAN, 0, 0, I32_MAX, NV),
	V(CVT_W_D, ALL, D_NQNAN, 0, 0, I32_MAX, NV),
	V(CVT_W_D, ALL, D_SNAN, 0, 0, I32_MAX, NV),
	V(CVT_W_D, ALL, D_NINF, 0, 0, I32_MIN, NV),
	V(CVT_W_D, ALL, D_MAX, 0, 0, I32_MAX, NV),
	/* fcvt.wu.d */
	V(CVT_WU_D, ALL, 0x41efffffffe00000, 0, 0, ONES, 0),
	V(CVT_WU_D, ALL, 0x41e0000000000000, 0, 0, 0xffffffff80000000, 0),
	V(CVT_WU_D, ALL, 0x41dfffffffc00000, 0, 0, 0x7fffffff, 0),
	V(CVT_WU_D, RM_RNE, 0x41effffffff00000, 0, 0, ONES, NV),
	V(CVT_WU_D, RM_RTZ, 0x41effffffff00000, 0, 0, ONES, NX),
	V(CVT_WU_D, RM_RDN, 0x41effffffff00000, 0, 0, ONES, NX),
	V(CVT_WU_D, RM_RUP, 0x41effffffff00000, 0, 0, ONES, NV),
	V(CVT_WU_D, RM_RMM, 0x41effffffff00000, 0, 0, ONES, NV),
	V(CVT_WU_D, ALL, 0x41f0000000000000, 0, 0, ONES, NV),
	V(CVT_WU_D, ALL, D_NONE, 0, 0, 0, NV),
	V(CVT_WU_D, ALL, D_NZ, 0, 0, 0, 0),
	V(CVT_WU_D, RM_RUP, 0xbfe0000000000000, 0, 0, 0, NX),
	V(CVT_WU_D, RM_RDN, 0xbfe0000000000000, 0, 0, 0, NV),
	V(CVT_WU_D, ALL, D_QNAN, 0, 0, ONES, NV),
	V(CVT_WU_D, ALL, D_INF, 0, 0, ONES, NV),
	V(CVT_WU_D, ALL, D_NINF, 0, 0, 0, NV),
	/* fcvt.l.d */
	V(CVT_L_D, ALL, 0x43dfffffffffffff, 0, 0, 0x7ffffffffffffc00, 0),
	V(CVT_L_D, ALL, 0xc3e0000000000000, 0, 0, I64_MIN, 0),
	V(CVT_L_D, ALL, 0x43e0000000000000, 0, 0, I64_MAX, NV),
	V(CVT_L_D, ALL, 0xc3e0000000000001, 0, 0, I64_MIN, NV),
	V(CVT_L_D, ALL, D_MAX, 0, 0, I64_MAX, NV),
	V(CVT_L_D, ALL, D_NMAX, 0, 0, I64_MIN, NV),
	V(CVT_L_D, ALL, D_QNAN, 0, 0, I64_MAX, NV),
	V(CVT_L_D, ALL, D_NINF, 0, 0, I64_MIN, NV),
	V5(CVT_L_D, 0xbfe0000000000000, 0, 0, NX, 0, 0, ONES, 0, ONES),
	V5(CVT_L_D, 0x4012000000000000, 0, 0, NX, 4, 4, 4, 5, 5), /* 4.5 */
	V5(CVT_L_D, 0x4016000000000000, 0, 0, NX, 6, 5, 5, 6, 6), /* 5.5 */
	/* fcvt.lu.d */
	V(CVT_LU_D, ALL, 0x43efffffffffffff, 0, 0, 0xfffffffffffff800, 0),
	V(CVT_LU_D, ALL, 0x43e0000000000000, 0, 0, I64_MIN, 0),
	V(CVT_LU_D, ALL, 0x43f0000000000000, 0, 0, ONES, NV),
	V(CVT_LU_D, ALL, D_NONE, 0, 0, 0, NV),
	V(CVT_LU_D, ALL, D_QNAN, 0, 0, ONES, NV),
	V(CVT_LU_D, ALL, D_INF, 0, 0, ONES, NV),
	V(CVT_LU_D, ALL, D_NINF, 0, 0, 0, NV),
	V5(CVT_LU_D, D_MINSUB, 0, 0, NX, 0, 0, 0, 1, 0),
	V(CVT_LU_D, RM_RNE, 0x8000000000000001, 0, 0, 0, NX),
	V(CVT_LU_D, RM_RUP, 0x8000000000000001, 0, 0, 0, NX),
	V(CVT_LU_D, RM_RDN, 0x8000000000000001, 0, 0, 0, NV),
};

static const struct vec from_int_vecs[] = {
	/* 2^24 + 1 and -(2^24 + 1): ties with an even kept bit */
	V5(CVT_S_W, 0x01000001, 0, 0, NX, 0x4b800000, 0x4b800000, 0x4b800000,
	   0x4b800001, 0x4b800001),
	V5(CVT_S_W, 0xfeffffff, 0, 0, NX, 0xcb800000, 0xcb800000, 0xcb800001,
	   0xcb800000, 0xcb800001),
	V5(CVT_S_W, 0x01000003, 0, 0, NX, 0x4b800002, 0x4b800001, 0x4b800001,
	   0x4b800002, 0x4b800002),
	V5(CVT_S_W, 0x7fffffff, 0, 0, NX, 0x4f000000, 0x4effffff, 0x4effffff,
	   0x4f000000, 0x4f000000),
	V(CVT_S_W, ALL, 0x80000000, 0, 0, 0xcf000000, 0),
	V(CVT_S_W, ALL, 0xffffffff, 0, 0, S_NONE, 0),
	V(CVT_S_W, ALL, 0, 0, 0, 0, 0), /* +0 even in RDN */
	V5(CVT_S_WU, 0xffffffff, 0, 0, NX, 0x4f800000, 0x4f7fffff, 0x4f7fffff,
	   0x4f800000, 0x4f800000),
	V(CVT_S_WU, ALL, 0x80000000, 0, 0, 0x4f000000, 0),
	V(CVT_S_WU, ALL, 1, 0, 0, S_ONE, 0),
	V(CVT_S_L, ALL, 0x8000000000000000, 0, 0, 0xdf000000, 0),
	V(CVT_S_L, ALL, ONES, 0, 0, S_NONE, 0),
	V5(CVT_S_L, 0x7fffffffffffffff, 0, 0, NX, 0x5f000000, 0x5effffff,
	   0x5effffff, 0x5f000000, 0x5f000000),
	V5(CVT_S_L, 0x1000001000000000, 0, 0, NX, 0x5d800000, 0x5d800000,
	   0x5d800000, 0x5d800001, 0x5d800001),
	V5(CVT_S_L, 0x1000001000000001, 0, 0, NX, 0x5d800001, 0x5d800000,
	   0x5d800000, 0x5d800001, 0x5d800001),
	V5(CVT_S_LU, ONES, 0, 0, NX, 0x5f800000, 0x5f7fffff, 0x5f7fffff,
	   0x5f800000, 0x5f800000),
	V(CVT_S_LU, ALL, 0x8000000000000000, 0, 0, 0x5f000000, 0),
	V(CVT_S_LU, ALL, 0, 0, 0, 0, 0),
	V(CVT_D_W, ALL, 0x80000000, 0, 0, 0xc1e0000000000000, 0),
	V(CVT_D_W, ALL, 0x7fffffff, 0, 0, 0x41dfffffffc00000, 0),
	V(CVT_D_W, ALL, 0xffffffff, 0, 0, D_NONE, 0),
	V(CVT_D_W, ALL, 0, 0, 0, 0, 0),
	V(CVT_D_WU, ALL, 0xffffffff, 0, 0, 0x41efffffffe00000, 0),
	V(CVT_D_WU, ALL, 0x80000000, 0, 0, 0x41e0000000000000, 0),
	V5(CVT_D_L, 0x0020000000000001, 0, 0, NX, 0x4340000000000000,
	   0x4340000000000000, 0x4340000000000000, 0x4340000000000001,
	   0x4340000000000001),
	V5(CVT_D_L, 0xffdfffffffffffff, 0, 0, NX, 0xc340000000000000,
	   0xc340000000000000, 0xc340000000000001, 0xc340000000000000,
	   0xc340000000000001),
	V(CVT_D_L, ALL, 0x8000000000000000, 0, 0, 0xc3e0000000000000, 0),
	V(CVT_D_L, ALL, 0x001fffffffffffff, 0, 0, 0x433fffffffffffff, 0),
	V5(CVT_D_LU, ONES, 0, 0, NX, 0x43f0000000000000, 0x43efffffffffffff,
	   0x43efffffffffffff, 0x43f0000000000000, 0x43f0000000000000),
	V(CVT_D_LU, ALL, 0x8000000000000000, 0, 0, 0x43e0000000000000, 0),
};

static const struct vec cvt_fp_vecs[] = {
	V(CVT_S_D, ALL, D_ONE, 0, 0, S_ONE, 0),
	V(CVT_S_D, ALL, D_NZ, 0, 0, S_NZ, 0),
	V(CVT_S_D, ALL, D_INF, 0, 0, S_INF, 0),
	V(CVT_S_D, ALL, D_NINF, 0, 0, S_NINF, 0),
	V(CVT_S_D, ALL, D_QNANP, 0, 0, S_QNAN, 0),
	V(CVT_S_D, ALL, D_NQNAN, 0, 0, S_QNAN, 0),
	V(CVT_S_D, ALL, D_SNAN, 0, 0, S_QNAN, NV),
	V(CVT_S_D, ALL, 0x47efffffe0000000, 0, 0, S_MAX, 0),
	V(CVT_S_D, ALL, 0x36a0000000000000, 0, 0, S_MINSUB, 0),
	V5(CVT_S_D, 0x3ff0000010000000, 0, 0, NX, /* 1 + 2^-24 */
	   S_ONE, S_ONE, S_ONE, 0x3f800001, 0x3f800001),
	V5(CVT_S_D, D_MAX, 0, 0, OF | NX, S_INF, S_MAX, S_MAX, S_INF, S_INF),
	V5(CVT_S_D, D_NMAX, 0, 0, OF | NX, S_NINF, S_NMAX, S_NINF, S_NMAX,
	   S_NINF),
	/* max binary32 + half an ulp */
	V(CVT_S_D, RM_RNE, 0x47effffff0000000, 0, 0, S_INF, OF | NX),
	V(CVT_S_D, RM_RTZ, 0x47effffff0000000, 0, 0, S_MAX, NX),
	V(CVT_S_D, RM_RDN, 0x47effffff0000000, 0, 0, S_MAX, NX),
	V(CVT_S_D, RM_RUP, 0x47effffff0000000, 0, 0, S_INF, OF | NX),
	V(CVT_S_D, RM_RMM, 0x47effffff0000000, 0, 0, S_INF, OF | NX),
	V5(CVT_S_D, 0x3690000000000000, 0, 0, UF | NX, 0, 0, 0, 1, 1),
	V5(CVT_S_D, D_MINSUB, 0, 0, UF | NX, 0, 0, 0, 1, 0),
	V5(CVT_S_D, 0x8000000000000001, 0, 0, UF | NX, S_NZ, S_NZ, 0x80000001,
	   S_NZ, S_NZ),
	/* 2^-126 * (1 - 2^-26): rounds to 2^-126 at 24 bits, not tiny */
	V(CVT_S_D, RM_RNE, 0x380ffffff8000000, 0, 0, S_MINN, NX),
	V(CVT_S_D, RM_RTZ, 0x380ffffff8000000, 0, 0, S_MAXSUB, UF | NX),
	V(CVT_S_D, RM_RDN, 0x380ffffff8000000, 0, 0, S_MAXSUB, UF | NX),
	V(CVT_S_D, RM_RUP, 0x380ffffff8000000, 0, 0, S_MINN, NX),
	V(CVT_S_D, RM_RMM, 0x380ffffff8000000, 0, 0, S_MINN, NX),
	/* 2^-126 * (1 - 2^-25): a 24-bit tie that rounds up to 2^-126 */
	V(CVT_S_D, RM_RNE, 0x380ffffff0000000, 0, 0, S_MINN, NX),
	V(CVT_S_D, RM_RMM, 0x380ffffff0000000, 0, 0, S_MINN, NX),
	V(CVT_S_D, RM_RTZ, 0x380ffffff0000000, 0, 0, S_MAXSUB, UF | NX),
	/* 2^-126 * (1 - 2^-24): exact at 24 bits, so tiny */
	V5(CVT_S_D, 0x380fffffe0000000, 0, 0, UF | NX, S_MINN, S_MAXSUB,
	   S_MAXSUB, S_MINN, S_MINN),
	V(CVT_D_S, ALL, S_ONE, 0, 0, D_ONE, 0),
	V(CVT_D_S, ALL, S_MINSUB, 0, 0, 0x36a0000000000000, 0),
	V(CVT_D_S, ALL, S_MAXSUB, 0, 0, 0x380fffffc0000000, 0),
	V(CVT_D_S, ALL, S_MAX, 0, 0, 0x47efffffe0000000, 0),
	V(CVT_D_S, ALL, S_NZ, 0, 0, D_NZ, 0),
	V(CVT_D_S, ALL, S_NINF, 0, 0, D_NINF, 0),
	V(CVT_D_S, ALL, S_QNANP, 0, 0, D_QNAN, 0),
	V(CVT_D_S, ALL, S_NQNAN, 0, 0, D_QNAN, 0),
	V(CVT_D_S, ALL, S_SNAN, 0, 0, D_QNAN, NV),
	V(CVT_D_S, ALL, S_NSNAN, 0, 0, D_QNAN, NV),
};

struct table {
	const char *name;
	const struct vec *v;
	size_t n;
};

#define TABLE(t)                                                               \
	{                                                                      \
#t, t, sizeof(t) / sizeof((t)[0])                              \
	}
static const struct table tables[] = {
	TABLE(add_vecs),      TABLE(mul_vecs),	  TABLE(div_vecs),
	TABLE(sqrt_vecs),     TABLE(fma_vecs),	  TABLE(minmax_vecs),
	TABLE(cmp_vecs),      TABLE(class_vecs),  TABLE(to_int_vecs),
	TABLE(from_int_vecs), TABLE(cvt_fp_vecs),
};

static void check_one(const struct table *t, size_t i, int rm)
{
	const struct vec *v = &t->v[i];
	uint32_t fl = 0;
	uint64_t r = run_op(v->op, rm, v->a, v->b, v->c, &fl);

	if (r != v->r || fl != v->fl)
		fail_msg("%s[%zu] %s rm=%d a=%#llx b=%#llx c=%#llx: got %#llx "
			 "flags %#x, want %#llx flags %#x",
			 t->name, i, op_names[v->op], rm,
			 (unsigned long long)v->a, (unsigned long long)v->b,
			 (unsigned long long)v->c, (unsigned long long)r, fl,
			 (unsigned long long)v->r, v->fl);
}

static void run_table(void **state)
{
	const struct table *t = *state;

	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].rm != ALL) {
			check_one(t, i, t->v[i].rm);
			continue;
		}
		for (int rm = RM_RNE; rm <= RM_RMM; rm++)
			check_one(t, i, rm);
	}
}

/* ---- hand-written checks ----------------------------------------------- */

/* Exact zero sums: +0 in every mode but RDN. Flags accrue by OR. */
static void test_zero_sign_and_flag_accrual(void **state)
{
	uint32_t fl;

	(void)state;
	for (int rm = RM_RNE; rm <= RM_RMM; rm++) {
		uint32_t want = rm == RM_RDN ? S_NZ : 0;

		fl = 0;
		assert_int_equal(f32_add(S_ONE, S_NONE, rm, &fl), want);
		assert_int_equal(fl, 0);
		assert_int_equal(f64_fma(D_ONE, D_NONE, D_ONE, 0, 0, rm, &fl),
				 (uint64_t)want << 32);
		assert_int_equal(fl, 0);
	}
	/* existing flags are kept, never cleared */
	fl = NV | DZ;
	assert_int_equal(f64_add(D_ONE, D_ONE, RM_RNE, &fl), D_TWO);
	assert_int_equal(fl, NV | DZ);
	assert_int_equal(f64_div(D_ONE, D_THREE, RM_RNE, &fl),
			 0x3fd5555555555555ull);
	assert_int_equal(fl, NV | DZ | NX);
}

/* ---- randomised checks ------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	/* splitmix64: deterministic, so failures reproduce */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Random value biased towards interesting exponents and bit patterns. */
static uint64_t rnd_float(int mb, int eb)
{
	uint64_t emax = (1u << eb) - 1, bias = emax >> 1;
	uint64_t fmask = (1ull << mb) - 1, r = rnd(), ex, frac;

	switch (r % 8) {
	case 0: ex = r >> 8 & 1; break;		     /* zero/subnormal */
	case 1: ex = emax - 1 - (r >> 8 & 1); break; /* near overflow */
	case 2: ex = emax; break;		     /* inf/NaN */
	case 3:
	case 4: ex = bias - 2 + (r >> 8) % 5; break;
	default: ex = (r >> 8) % (emax + 1); break;
	}
	frac = rnd() & fmask;
	if (r >> 20 & 1) /* few significant bits: exact results and ties */
		frac &= ~(fmask >> (r >> 24) % (mb + 1));
	return (r >> 40 & 1) << (mb + eb) | ex << mb | frac;
}

#if defined(__x86_64__) && defined(__SSE2_MATH__)
/* x86-64 SSE implements IEEE 754 with tininess after rounding, so for the
 * four modes it has, its results and flags must match bit for bit (except
 * NaN payloads, which RISC-V canonicalises). */
static uint32_t host_flags(int ex)
{
	return (ex & FE_INEXACT ? NX : 0) | (ex & FE_UNDERFLOW ? UF : 0) |
	       (ex & FE_OVERFLOW ? OF : 0) | (ex & FE_DIVBYZERO ? DZ : 0) |
	       (ex & FE_INVALID ? NV : 0);
}

static const int host_rm[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD,
			       FE_UPWARD};

static double as_d(uint64_t x)
{
	double d;

	memcpy(&d, &x, sizeof(d));
	return d;
}

static float as_f(uint32_t x)
{
	float f;

	memcpy(&f, &x, sizeof(f));
	return f;
}

static uint64_t host_f64(int op, uint64_t a, uint64_t b, int hrm, int *ex)
{
	/* volatile keeps the operation between the fenv calls */
	volatile double x = as_d(a), y = as_d(b), r;
	double out;
	uint64_t bits;

	fesetround(hrm);
	feclearexcept(FE_ALL_EXCEPT);
	switch (op) {
	case ADD_D: r = x + y; break;
	case SUB_D: r = x - y; break;
	case MUL_D: r = x * y; break;
	case DIV_D: r = x / y; break;
	default: r = sqrt(x); break;
	}
	*ex = fetestexcept(FE_ALL_EXCEPT);
	fesetround(FE_TONEAREST);
	out = r;
	memcpy(&bits, &out, sizeof(bits));
	return bits;
}

static uint64_t host_f32(int op, uint32_t a, uint32_t b, int hrm, int *ex)
{
	volatile float x = as_f(a), y = as_f(b), r;
	float out;
	uint32_t bits;

	fesetround(hrm);
	feclearexcept(FE_ALL_EXCEPT);
	switch (op) {
	case ADD_S: r = x + y; break;
	case SUB_S: r = x - y; break;
	case MUL_S: r = x * y; break;
	case DIV_S: r = x / y; break;
	default: r = sqrtf(x); break;
	}
	*ex = fetestexcept(FE_ALL_EXCEPT);
	fesetround(FE_TONEAREST);
	out = r;
	memcpy(&bits, &out, sizeof(bits));
	return bits;
}

static void compare_host(int op, int rm, uint64_t a, uint64_t b)
{
	bool dbl = op >= ADD_D;
	int ex;
	uint32_t fl = 0;
	uint64_t want =
		dbl ? host_f64(op, a, b, host_rm[rm], &ex)
		    : host_f32(op, (uint32_t)a, (uint32_t)b, host_rm[rm], &ex);
	uint64_t got = run_op(op, rm, a, b, 0, &fl);
	bool nan = dbl ? (want & ~D_NZ) > D_INF : (want & ~S_NZ) > S_INF;

	if (nan)
		want = dbl ? D_QNAN : S_QNAN;
	if (got != want || fl != host_flags(ex))
		fail_msg("%s rm=%d a=%#llx b=%#llx: got %#llx flags %#x, host "
			 "%#llx flags %#x",
			 op_names[op], rm, (unsigned long long)a,
			 (unsigned long long)b, (unsigned long long)got, fl,
			 (unsigned long long)want, host_flags(ex));
}

static void test_vs_host_random(void **state)
{
	static const int ops[] = {ADD_S, SUB_S, MUL_S, DIV_S, SQRT_S,
				  ADD_D, SUB_D, MUL_D, DIV_D, SQRT_D};

	(void)state;
	for (int i = 0; i < 400000; i++) {
		int op = ops[rnd() % 10], rm = (int)(rnd() % 4);
		bool dbl = op >= ADD_D;
		uint64_t a = dbl ? rnd_float(52, 11) : rnd_float(23, 8);
		uint64_t b = dbl ? rnd_float(52, 11) : rnd_float(23, 8);

		if (rnd() % 4 == 0) /* nearly equal operands: cancellation */
			b = (a ^ (rnd() & (dbl ? D_NZ : S_NZ))) + rnd() % 5 - 2;
		if (rnd() % 4 == 0 && (op == MUL_S || op == MUL_D)) {
			/* aim the product at the subnormal boundary */
			int mb = dbl ? 52 : 23, bias = dbl ? 1023 : 127;
			int ea = (int)(a >> mb & (dbl ? 0x7ff : 0xff));
			int eb = 2 * bias - ea - (int)(rnd() % 3);

			if (eb > 0 && eb < 2 * bias + 1)
				b = (b & ~((uint64_t)(2 * bias + 1) << mb)) |
				    (uint64_t)eb << mb;
		}
		compare_host(op, rm, a, b);
	}
}

/* Every 4093rd positive binary32 through sqrt, in all four host modes. */
static void test_f32_sqrt_sweep(void **state)
{
	(void)state;
	for (uint64_t a = 0; a <= S_INF; a += 4093)
		for (int rm = 0; rm < 4; rm++)
			compare_host(SQRT_S, rm, a, 0);
}
#endif

static int neg_rm_swap(int rm)
{
	return rm == RM_RDN ? RM_RUP : rm == RM_RUP ? RM_RDN : rm;
}

/* Identities that must hold for any input. */
static void test_identities_random(void **state)
{
	(void)state;
	for (int i = 0; i < 300000; i++) {
		int rm = (int)(rnd() % 5);
		uint64_t a = rnd_float(52, 11), b = rnd_float(52, 11);
		uint64_t c = rnd_float(52, 11);
		uint32_t a32 = (uint32_t)rnd_float(23, 8);
		uint32_t b32 = (uint32_t)rnd_float(23, 8);
		uint32_t c32 = (uint32_t)rnd_float(23, 8);
		uint32_t f1 = 0, f2 = 0;
		uint64_t r1, r2;

		/* a - b == a + (-b), flags included */
		r1 = f64_sub(a, b, rm, &f1);
		r2 = f64_add(a, b ^ D_NZ, rm, &f2);
		assert_int_equal(r1, r2);
		assert_int_equal(f1, f2);

		/* fnmadd(a, b, c) == -fmadd(a, b, c) with the directed modes
		 * swapped, unless the result is NaN or an exact zero */
		f1 = f2 = 0;
		r1 = f32_fma(a32, b32, c32, 1, 1, rm, &f1);
		r2 = f32_fma(a32, b32, c32, 0, 0, neg_rm_swap(rm), &f2);
		if ((r2 & ~S_NZ) != 0 && (r2 & ~S_NZ) <= S_INF)
			assert_int_equal(r1, r2 ^ S_NZ);
		assert_int_equal(f1, f2);
		f1 = f2 = 0;
		r1 = f64_fma(a, b, c, 1, 0, rm, &f1);
		r2 = f64_fma(a, b, c, 0, 1, neg_rm_swap(rm), &f2);
		if ((r2 & ~D_NZ) != 0 && (r2 & ~D_NZ) <= D_INF)
			assert_int_equal(r1, r2 ^ D_NZ);
		assert_int_equal(f1, f2);

		/* a * b + 0 rounds like a * b when the product is nonzero */
		f1 = f2 = 0;
		r1 = f64_fma(a, b, D_NZ, 0, 0, rm, &f1);
		r2 = f64_mul(a, b, rm, &f2);
		if ((r2 & ~D_NZ) != 0) {
			assert_int_equal(r1, r2);
			assert_int_equal(f1, f2);
		}

		/* conversions: widening is exact and round-trips */
		f1 = 0;
		r1 = f32_to_f64(a32, &f1);
		if ((a32 & ~S_NZ) <= S_INF) {
			assert_int_equal(f1, 0);
			assert_int_equal(f64_to_f32(r1, rm, &f1), a32);
			assert_int_equal(f1, 0);
		}
		f1 = 0;
		r1 = i32_to_f64((int32_t)a, rm, &f1);
		assert_int_equal(f64_to_i32(r1, rm, &f1),
				 (uint64_t)(int64_t)(int32_t)a);
		assert_int_equal(f1, 0);

		/* comparisons agree with each other; min/max pick operands */
		f1 = 0;
		if (f32_eq(a32, b32, &f1))
			assert_true(f32_le(a32, b32, &f1) &&
				    f32_le(b32, a32, &f1));
		if (f32_lt(a32, b32, &f1))
			assert_true(f32_le(a32, b32, &f1) &&
				    !f32_lt(b32, a32, &f1));
		r1 = f64_min(a, b, &f1);
		r2 = f64_max(a, b, &f1);
		assert_true(r1 == a || r1 == b || r1 == D_QNAN);
		assert_true(r2 == a || r2 == b || r2 == D_QNAN);
		if ((a & ~D_NZ) <= D_INF && (b & ~D_NZ) <= D_INF)
			assert_true(r1 != r2 || a == b);

		/* fclass sets exactly one bit */
		r1 = f32_classify(a32);
		assert_true(r1 && !(r1 & (r1 - 1)) && r1 < 1 << 10);
		r1 = f64_classify(c);
		assert_true(r1 && !(r1 & (r1 - 1)) && r1 < 1 << 10);
	}
}

int main(void)
{
	struct CMUnitTest tests[32];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		tests[n++] = (struct CMUnitTest){
			.name = tables[i].name,
			.test_func = run_table,
			.initial_state = (void *)&tables[i],
		};
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		test_zero_sign_and_flag_accrual);
	tests[n++] =
		(struct CMUnitTest)cmocka_unit_test(test_identities_random);
#if defined(__x86_64__) && defined(__SSE2_MATH__)
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_vs_host_random);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_f32_sqrt_sweep);
#endif
	return _cmocka_run_group_tests("fpu", tests, n, NULL, NULL);
}
