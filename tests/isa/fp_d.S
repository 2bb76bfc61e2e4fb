/* fp_d.S - D extension arithmetic: rounding modes, exception flags,
 * canonical NaNs, fmin/fmax and comparisons with NaNs and signed zeros,
 * fclass, conversions to/from integers (saturation, and values that are in
 * range only after rounding), conversions between single and double (NaN
 * canonicalisation, overflow, underflow), fused multiply-add rounding once,
 * sign injection and raw moves/loads/stores of NaN bit patterns. */
#include "common.inc"
#include "fp.inc"

#define ONE	0x3ff0000000000000
#define TWO	0x4000000000000000
#define THREE	0x4008000000000000
#define HALF	0x3fe0000000000000
#define MONE	0xbff0000000000000
#define PINF	0x7ff0000000000000
#define NINF	0xfff0000000000000
#define QNAN	0x7ff8000000000000	/* the canonical NaN */
#define SNAN	0x7ff0000000000001
#define MAXD	0x7fefffffffffffff
#define MINN	0x0010000000000000
#define MINS	0x0000000000000001
#define NZERO	0x8000000000000000
#define EPS53	0x3ca0000000000000	/* 2^-53: half an ulp of 1.0 */

	.text
test_main:
	/* fadd/fsub */
	FT_D_RR   1, fadd.d, THREE, 0, ONE, TWO
	FT_D_RR   2, fadd.d, ONE, NX, ONE, EPS53, rne
	FT_D_RR   3, fadd.d, 0x3ff0000000000001, NX, ONE, EPS53, rup
	FT_D_RR   4, fadd.d, 0x3ff0000000000001, NX, ONE, EPS53, rmm
	FT_D_RR   5, fadd.d, ONE, NX, ONE, EPS53, rtz
	FT_D_RR   6, fadd.d, PINF, OF|NX, MAXD, MAXD, rne
	FT_D_RR   7, fadd.d, MAXD, OF|NX, MAXD, MAXD, rdn
	FT_D_RR   8, fadd.d, QNAN, NV, PINF, NINF
	FT_D_RR   9, fadd.d, QNAN, NV, SNAN, ONE
	FT_D_RR  10, fadd.d, QNAN, 0, 0x7ff8000000012345, ONE
	FT_D_RR  11, fadd.d, NZERO, 0, ONE, MONE, rdn
	FT_D_RR  12, fsub.d, 0, 0, ONE, ONE, rne

	/* fmul/fdiv/fsqrt */
	FT_D_RR  13, fmul.d, 0x0008000000000000, 0, MINN, HALF
	FT_D_RR  14, fmul.d, 0, UF|NX, MINS, HALF, rne
	FT_D_RR  15, fmul.d, MINS, UF|NX, MINS, HALF, rup
	FT_D_RR  16, fmul.d, QNAN, NV, PINF, 0
	FT_D_RR  17, fdiv.d, 0x3fd5555555555555, NX, ONE, THREE, rne
	FT_D_RR  18, fdiv.d, 0x3fd5555555555556, NX, ONE, THREE, rup
	FT_D_RR  19, fdiv.d, PINF, DZ, ONE, 0
	FT_D_RR  20, fdiv.d, QNAN, NV, 0, 0
	FT_D_RR  21, fdiv.d, 0x0005555555555555, UF|NX, MINN, THREE, rne
	FT_D_R   22, fsqrt.d, 0x3ff6a09e667f3bcd, NX, TWO, rne
	FT_D_R   23, fsqrt.d, 0x3ff6a09e667f3bcc, NX, TWO, rdn
	FT_D_R   24, fsqrt.d, QNAN, NV, MONE
	FT_D_R   25, fsqrt.d, NZERO, 0, NZERO

	/* fmin/fmax, comparisons */
	FT_D_RR  26, fmin.d, ONE, 0, ONE, QNAN
	FT_D_RR  27, fmin.d, ONE, NV, ONE, SNAN
	FT_D_RR  28, fmax.d, QNAN, 0, QNAN, 0x7ff8000000012345
	FT_D_RR  29, fmin.d, NZERO, 0, 0, NZERO
	FT_D_RR  30, fmax.d, 0, 0, NZERO, 0
	FT_D_RR  31, fmax.d, 0, 0, 0, NZERO
	FT_X_DD  32, feq.d, 0, NV, SNAN, ONE
	FT_X_DD  33, feq.d, 0, 0, QNAN, QNAN
	FT_X_DD  34, flt.d, 0, NV, QNAN, ONE
	FT_X_DD  35, fle.d, 1, 0, NZERO, 0
	FT_X_DD  36, flt.d, 1, 0, ONE, TWO

	/* fclass */
	FT_X_D   37, fclass.d, 0x001, 0, NINF
	FT_X_D   38, fclass.d, 0x002, 0, MONE
	FT_X_D   39, fclass.d, 0x004, 0, 0x8000000000000001
	FT_X_D   40, fclass.d, 0x008, 0, NZERO
	FT_X_D   41, fclass.d, 0x010, 0, 0
	FT_X_D   42, fclass.d, 0x020, 0, 0x000fffffffffffff
	FT_X_D   43, fclass.d, 0x040, 0, MINN
	FT_X_D   44, fclass.d, 0x080, 0, PINF
	FT_X_D   45, fclass.d, 0x100, 0, SNAN
	FT_X_D   46, fclass.d, 0x200, 0, QNAN

	/* double -> integer: the range check applies to the rounded value */
	FT_X_D   47, fcvt.w.d, 0x7fffffff, NV, 0x41e0000000000000, rtz	/* 2^31 */
	FT_X_D   48, fcvt.w.d, 0xffffffff80000000, NV, 0xc1e0000000200000, rtz /* -2^31-1 */
	FT_X_D   49, fcvt.w.d, 0xffffffff80000000, NX, 0xc1e0000000100000, rtz /* -2^31-0.5 */
	FT_X_D   50, fcvt.w.d, 0xffffffff80000000, NV, 0xc1e0000000100000, rdn
	FT_X_D   51, fcvt.w.d, 0x7fffffff, NV, 0x41dfffffffe00000, rne	/* 2^31-0.5 -> 2^31 */
	FT_X_D   52, fcvt.w.d, 0x7fffffff, NX, 0x41dfffffffe00000, rtz
	FT_X_D   53, fcvt.w.d, 0x7fffffff, NV, QNAN, rtz
	FT_X_D   54, fcvt.wu.d, 0xffffffffffffffff, 0, 0x41efffffffe00000, rtz /* 2^32-1 */
	FT_X_D   55, fcvt.wu.d, 0xffffffffffffffff, NV, 0x41f0000000000000, rtz /* 2^32 */
	FT_X_D   56, fcvt.wu.d, 0, NX, 0xbfe0000000000000, rtz	/* -0.5 -> 0 */
	FT_X_D   57, fcvt.wu.d, 0, NV, 0xbfe0000000000000, rdn	/* -0.5 -> -1 */
	FT_X_D   58, fcvt.wu.d, 0, NV, NINF, rtz
	FT_X_D   59, fcvt.l.d, 0x7fffffffffffffff, NV, 0x43e0000000000000, rtz /* 2^63 */
	FT_X_D   60, fcvt.l.d, 0x8000000000000000, 0, 0xc3e0000000000000, rtz
	FT_X_D   61, fcvt.l.d, 0x7fffffffffffffff, NV, QNAN, rtz
	FT_X_D   62, fcvt.l.d, 0x8000000000000000, NV, NINF, rtz
	FT_X_D   63, fcvt.l.d, 0, 0, NZERO, rtz
	FT_X_D   64, fcvt.lu.d, 0, NV, MONE, rtz
	FT_X_D   65, fcvt.lu.d, 0xffffffffffffffff, NV, 0x43f0000000000000, rtz /* 2^64 */
	FT_X_D   66, fcvt.lu.d, 0xffffffffffffffff, NV, PINF, rtz
	FT_X_D   67, fcvt.lu.d, 0x8000000000000000, 0, 0x43e0000000000000, rtz
	FT_X_D   68, fcvt.lu.d, 2, NX, 0x3ff8000000000000, rmm	/* 1.5 */

	/* integer -> double */
	FT_D_X   69, fcvt.d.w, MONE, 0, -1
	FT_D_X   70, fcvt.d.wu, 0x41efffffffe00000, 0, -1
	FT_D_X   71, fcvt.d.l, 0xc3e0000000000000, 0, 0x8000000000000000
	FT_D_X   72, fcvt.d.l, 0x4340000000000000, NX, 0x20000000000001, rne	/* 2^53+1 */
	FT_D_X   73, fcvt.d.l, 0x4340000000000001, NX, 0x20000000000001, rup
	FT_D_X   74, fcvt.d.lu, 0x43f0000000000000, NX, -1, rne
	FT_D_X   75, fcvt.d.lu, 0x43efffffffffffff, NX, -1, rtz

	/* double <-> single */
	FT_S_D   76, fcvt.s.d, 0x7f800000, OF|NX, MAXD, rne
	FT_S_D   77, fcvt.s.d, 0x7f7fffff, OF|NX, MAXD, rtz
	FT_S_D   78, fcvt.s.d, 0x3f800000, NX, 0x3ff0000010000000, rne	/* 1+2^-24 */
	FT_S_D   79, fcvt.s.d, 0x3f800001, NX, 0x3ff0000010000000, rup
	FT_S_D   80, fcvt.s.d, 0x7fc00000, 0, 0x7ff8000000012345
	FT_S_D   81, fcvt.s.d, 0x7fc00000, NV, SNAN
	FT_S_D   82, fcvt.s.d, 0, UF|NX, 0x3690000000000000, rne	/* 2^-150 */
	FT_D_S   83, fcvt.d.s, 0x3ff8000000000000, 0, 0x3fc00000
	FT_D_S   84, fcvt.d.s, QNAN, NV, 0x7f800001
	FT_D_S   85, fcvt.d.s, 0x36a0000000000000, 0, 0x00000001	/* 2^-149 */
	FT_D_S   86, fcvt.d.s, NINF, 0, 0xff800000

	/* fused multiply-add: (1+u)^2 - (1+2u) = u^2 = 2^-104 */
	FT_D_RRR 87, fmadd.d,  0x3970000000000000, 0, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000002
	FT_D_RRR 88, fmsub.d,  0x3970000000000000, 0, 0x3ff0000000000001, 0x3ff0000000000001, 0x3ff0000000000002
	FT_D_RRR 89, fnmsub.d, 0xb970000000000000, 0, 0x3ff0000000000001, 0x3ff0000000000001, 0x3ff0000000000002
	FT_D_RRR 90, fnmadd.d, 0xb970000000000000, 0, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000002
	FT_D_RRR 91, fmadd.d, QNAN, NV, PINF, 0, QNAN
	FT_D_RRR 92, fmadd.d, 0x401c000000000000, 0, TWO, THREE, ONE
	FT_D_RRR 93, fmadd.d, ONE, NX, ONE, ONE, EPS53, rtz
	FT_D_RRR 94, fmadd.d, 0x3ff0000000000001, NX, ONE, ONE, EPS53, rup

	/* sign injection */
	FT_D_RR  95, fsgnj.d, MONE, 0, ONE, 0xc000000000000000
	FT_D_RR  96, fsgnjn.d, ONE, 0, ONE, 0xc000000000000000
	FT_D_RR  97, fsgnjx.d, ONE, 0, MONE, 0xc000000000000000
	FT_D_RR  98, fsgnjn.d, 0xfff0000000000001, 0, SNAN, SNAN
	FT_D_RR  99, fsgnj.d, 0xfff8000000012345, 0, 0x7ff8000000012345, MONE

	/* moves, loads and stores copy bits: no canonicalisation, no flags */
	TEST_CASE 100
	fsflags	zero
	li	a1, SNAN
	fmv.d.x	fa0, a1
	fmv.x.d	a0, fa0
	bne	a0, a1, fail
	TEST_CASE 101
	lla	a2, dbuf
	fsd	fa0, 0(a2)
	ld	a0, 0(a2)
	bne	a0, a1, fail
	TEST_CASE 102
	li	a1, 0x7ff4000000000abc
	sd	a1, 8(a2)
	fld	fa1, 8(a2)
	fmv.x.d	a0, fa1
	bne	a0, a1, fail
	frflags	a0
	CHECK_EQ a0, 0

	j	pass

	.data
	.align	3
dbuf:	.dword	0, 0
