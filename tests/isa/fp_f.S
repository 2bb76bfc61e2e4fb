/* fp_f.S - F extension arithmetic: rounding in all five static modes,
 * overflow/underflow (tininess after rounding)/inexact/divide-by-zero/
 * invalid flags, canonical NaN results, fmin/fmax with NaNs and signed
 * zeros, quiet vs signalling comparisons, fclass, fcvt saturation, fused
 * multiply-add rounding once, and sign injection on NaNs. NaN boxing, flag
 * accrual, frm and mstatus.FS are in fp_state.S. */
#include "common.inc"
#include "fp.inc"

#define ONE	0x3f800000
#define TWO	0x40000000
#define THREE	0x40400000
#define HALF	0x3f000000
#define MONE	0xbf800000
#define PINF	0x7f800000
#define NINF	0xff800000
#define QNAN	0x7fc00000		/* the canonical NaN */
#define SNAN	0x7f800001
#define MAXF	0x7f7fffff
#define MINN	0x00800000		/* smallest normal */
#define MINS	0x00000001		/* smallest subnormal */
#define NZERO	0x80000000
#define EPS24	0x33800000		/* 2^-24: half an ulp of 1.0 */

	.text
test_main:
	/* fadd/fsub: 1 + 2^-24 is a tie between 1.0 and 1.0 + ulp */
	FT_S_RR   1, fadd.s, THREE, 0, ONE, TWO
	FT_S_RR   2, fadd.s, ONE, NX, ONE, EPS24, rne
	FT_S_RR   3, fadd.s, 0x3f800001, NX, ONE, EPS24, rup
	FT_S_RR   4, fadd.s, ONE, NX, ONE, EPS24, rtz
	FT_S_RR   5, fadd.s, ONE, NX, ONE, EPS24, rdn
	FT_S_RR   6, fadd.s, 0x3f800001, NX, ONE, EPS24, rmm
	FT_S_RR   7, fadd.s, 0xbf800001, NX, MONE, 0xb3800000, rdn
	FT_S_RR   8, fadd.s, 0xbf800000, NX, MONE, 0xb3800000, rup
	FT_S_RR   9, fadd.s, 0xbf800001, NX, MONE, 0xb3800000, rmm
	/* overflow: inf or the largest finite value depending on the mode */
	FT_S_RR  10, fadd.s, PINF, OF|NX, MAXF, MAXF, rne
	FT_S_RR  11, fadd.s, MAXF, OF|NX, MAXF, MAXF, rtz
	FT_S_RR  12, fadd.s, MAXF, OF|NX, MAXF, MAXF, rdn
	FT_S_RR  13, fadd.s, NINF, OF|NX, 0xff7fffff, 0xff7fffff, rdn
	FT_S_RR  14, fadd.s, 0xff7fffff, OF|NX, 0xff7fffff, 0xff7fffff, rup
	/* invalid and NaN results: always the canonical NaN */
	FT_S_RR  15, fadd.s, QNAN, NV, PINF, NINF
	FT_S_RR  16, fadd.s, QNAN, 0, 0x7fc12345, ONE
	FT_S_RR  17, fadd.s, QNAN, NV, SNAN, ONE
	/* exact zero sums are +0, except -0 when rounding down */
	FT_S_RR  18, fadd.s, 0, 0, ONE, MONE, rne
	FT_S_RR  19, fadd.s, NZERO, 0, ONE, MONE, rdn
	FT_S_RR  20, fsub.s, NZERO, 0, ONE, ONE, rdn
	FT_S_RR  21, fsub.s, QNAN, NV, PINF, PINF
	FT_S_RR  22, fadd.s, NZERO, 0, NZERO, NZERO

	/* fmul: subnormals, underflow */
	FT_S_RR  23, fmul.s, 0x40c00000, 0, THREE, TWO
	FT_S_RR  24, fmul.s, 0x00400000, 0, MINN, HALF	/* exact: no UF */
	FT_S_RR  25, fmul.s, 0, UF|NX, MINS, HALF, rne
	FT_S_RR  26, fmul.s, MINS, UF|NX, MINS, HALF, rup
	FT_S_RR  27, fmul.s, QNAN, NV, PINF, 0
	FT_S_RR  28, fmul.s, PINF, OF|NX, MAXF, TWO
	FT_S_RR  29, fmul.s, NZERO, 0, NZERO, ONE
	/* tininess is detected after rounding: (1 - 2^-24) * (MINN + ulp)
	 * rounds to MINN with an unbounded exponent, so no UF */
	FT_S_RR  30, fmul.s, MINN, NX, 0x3f7fffff, 0x00800001
	/* MINN * (1 - 2^-24) is tiny even after rounding: UF, result MINN */
	FT_S_RR  31, fmul.s, MINN, UF|NX, MINN, 0x3f7fffff

	/* fdiv */
	FT_S_RR  32, fdiv.s, PINF, DZ, ONE, 0
	FT_S_RR  33, fdiv.s, NINF, DZ, MONE, 0
	FT_S_RR  34, fdiv.s, QNAN, NV, 0, 0
	FT_S_RR  35, fdiv.s, 0x3eaaaaab, NX, ONE, THREE, rne
	FT_S_RR  36, fdiv.s, 0x3eaaaaaa, NX, ONE, THREE, rtz
	FT_S_RR  37, fdiv.s, 0x3eaaaaaa, NX, ONE, THREE, rdn
	FT_S_RR  38, fdiv.s, 0x3eaaaaab, NX, ONE, THREE, rup
	FT_S_RR  39, fdiv.s, PINF, 0, PINF, 0		/* inf/0: no DZ */
	FT_S_RR  40, fdiv.s, 0, 0, ONE, PINF

	/* fsqrt */
	FT_S_R   41, fsqrt.s, TWO, 0, 0x40800000
	FT_S_R   42, fsqrt.s, QNAN, NV, MONE
	FT_S_R   43, fsqrt.s, NZERO, 0, NZERO
	FT_S_R   44, fsqrt.s, 0x3fb504f3, NX, TWO, rne
	FT_S_R   45, fsqrt.s, 0x3fb504f4, NX, TWO, rup
	FT_S_R   46, fsqrt.s, PINF, 0, PINF
	FT_S_R   47, fsqrt.s, QNAN, NV, NINF

	/* fmin/fmax: a single NaN operand is ignored, sNaN still signals,
	 * two NaNs give the canonical NaN, -0 < +0 */
	FT_S_RR  48, fmin.s, ONE, 0, ONE, QNAN
	FT_S_RR  49, fmin.s, ONE, NV, ONE, SNAN
	FT_S_RR  50, fmax.s, ONE, NV, SNAN, ONE
	FT_S_RR  51, fmin.s, QNAN, 0, QNAN, 0x7fc12345
	FT_S_RR  52, fmax.s, QNAN, NV, SNAN, SNAN
	FT_S_RR  53, fmin.s, NZERO, 0, NZERO, 0
	FT_S_RR  54, fmin.s, NZERO, 0, 0, NZERO
	FT_S_RR  55, fmax.s, 0, 0, NZERO, 0
	FT_S_RR  56, fmax.s, 0, 0, 0, NZERO
	FT_S_RR  57, fmax.s, MAXF, 0, NINF, MAXF

	/* comparisons: feq is quiet (NV only for sNaN), flt/fle signal */
	FT_X_SS  58, feq.s, 0, 0, QNAN, ONE
	FT_X_SS  59, feq.s, 0, NV, SNAN, ONE
	FT_X_SS  60, flt.s, 0, NV, QNAN, ONE
	FT_X_SS  61, fle.s, 0, NV, ONE, QNAN
	FT_X_SS  62, feq.s, 1, 0, NZERO, 0
	FT_X_SS  63, flt.s, 0, 0, NZERO, 0
	FT_X_SS  64, fle.s, 1, 0, NZERO, 0
	FT_X_SS  65, flt.s, 1, 0, ONE, TWO
	FT_X_SS  66, fle.s, 1, 0, NINF, NINF

	/* fclass: one bit per class */
	FT_X_S   67, fclass.s, 0x001, 0, NINF
	FT_X_S   68, fclass.s, 0x002, 0, MONE
	FT_X_S   69, fclass.s, 0x004, 0, 0x80000001
	FT_X_S   70, fclass.s, 0x008, 0, NZERO
	FT_X_S   71, fclass.s, 0x010, 0, 0
	FT_X_S   72, fclass.s, 0x020, 0, MINS
	FT_X_S   73, fclass.s, 0x040, 0, ONE
	FT_X_S   74, fclass.s, 0x080, 0, PINF
	FT_X_S   75, fclass.s, 0x100, 0, SNAN
	FT_X_S   76, fclass.s, 0x200, 0, QNAN

	/* float -> integer: rounding, then saturation with NV */
	FT_X_S   77, fcvt.w.s, 2, NX, 0x3fc00000, rne	/* 1.5 */
	FT_X_S   78, fcvt.w.s, 2, NX, 0x40200000, rne	/* 2.5 */
	FT_X_S   79, fcvt.w.s, 3, NX, 0x40200000, rmm
	FT_X_S   80, fcvt.w.s, -1, NX, 0xbfc00000, rtz	/* -1.5 */
	FT_X_S   81, fcvt.w.s, -2, NX, 0xbfc00000, rdn
	FT_X_S   82, fcvt.w.s, 2, NX, 0x3f8ccccd, rup	/* 1.1 */
	FT_X_S   83, fcvt.w.s, 0x7fffffff, NV, QNAN, rtz
	FT_X_S   84, fcvt.w.s, 0x7fffffff, NV, PINF, rtz
	FT_X_S   85, fcvt.w.s, 0xffffffff80000000, NV, NINF, rtz
	FT_X_S   86, fcvt.w.s, 0x7fffffff, NV, 0x4f32d05e, rtz	/* 3e9 */
	FT_X_S   87, fcvt.w.s, 0xffffffff80000000, 0, 0xcf000000, rtz /* -2^31 */
	FT_X_S   88, fcvt.wu.s, 0, NV, MONE, rtz
	FT_X_S   89, fcvt.wu.s, 0, NX, 0xbf000000, rtz	/* -0.5 -> 0 */
	FT_X_S   90, fcvt.wu.s, 0xffffffffffffffff, NV, QNAN, rtz
	FT_X_S   91, fcvt.wu.s, 0xffffffffb2d05e00, 0, 0x4f32d05e, rtz /* sign-extended */
	FT_X_S   92, fcvt.wu.s, 0xffffffffffffffff, NV, 0x4f802666, rtz /* 4.3e9 */
	FT_X_S   93, fcvt.l.s, 0x7fffffffffffffff, NV, QNAN, rtz
	FT_X_S   94, fcvt.l.s, 0x8000000000000000, NV, NINF, rtz
	FT_X_S   95, fcvt.l.s, 0x7fffffffffffffff, NV, 0x5f000000, rtz	/* 2^63 */
	FT_X_S   96, fcvt.l.s, 0x8000000000000000, 0, 0xdf000000, rtz	/* -2^63 */
	FT_X_S   97, fcvt.lu.s, 0, NV, MONE, rtz
	FT_X_S   98, fcvt.lu.s, 0xffffffffffffffff, NV, 0x5f800000, rtz	/* 2^64 */
	FT_X_S   99, fcvt.lu.s, 0x8000000000000000, 0, 0x5f000000, rtz
	FT_X_S  100, fcvt.lu.s, 0xffffffffffffffff, NV, SNAN, rtz

	/* integer -> float */
	FT_S_X  101, fcvt.s.w, 0x4b800000, NX, 16777217, rne
	FT_S_X  102, fcvt.s.w, 0x4b800001, NX, 16777217, rup
	FT_S_X  103, fcvt.s.w, MONE, 0, -1
	FT_S_X  104, fcvt.s.w, 0x40a00000, 0, 0x100000005	/* upper half ignored */
	FT_S_X  105, fcvt.s.wu, 0x4f800000, NX, -1, rne
	FT_S_X  106, fcvt.s.l, 0xdf000000, 0, 0x8000000000000000
	FT_S_X  107, fcvt.s.lu, 0x5f800000, NX, -1, rne
	FT_S_X  108, fcvt.s.lu, 0x5f7fffff, NX, -1, rtz

	/* fused multiply-add rounds once: (1+u)^2 - (1+2u) = u^2 exactly,
	 * which a separate multiply would have rounded away */
	FT_S_RRR 109, fmadd.s,  0x28800000, 0, 0x3f800001, 0x3f800001, 0xbf800002
	FT_S_RRR 110, fmsub.s,  0x28800000, 0, 0x3f800001, 0x3f800001, 0x3f800002
	FT_S_RRR 111, fnmsub.s, 0xa8800000, 0, 0x3f800001, 0x3f800001, 0x3f800002
	FT_S_RRR 112, fnmadd.s, 0xa8800000, 0, 0x3f800001, 0x3f800001, 0xbf800002
	FT_S_RRR 113, fmadd.s, QNAN, NV, PINF, 0, QNAN	/* inf*0 is invalid even with a qNaN addend */
	FT_S_RRR 114, fmadd.s, QNAN, NV, ONE, ONE, SNAN
	FT_S_RRR 115, fmadd.s, 0x40e00000, 0, TWO, THREE, ONE	/* 7 */

	/* sign injection: bit copies, NaN payloads kept, no flags */
	FT_S_RR 116, fsgnj.s, MONE, 0, ONE, 0xc0000000
	FT_S_RR 117, fsgnjn.s, ONE, 0, ONE, 0xc0000000
	FT_S_RR 118, fsgnjx.s, ONE, 0, MONE, 0xc0000000
	FT_S_RR 119, fsgnj.s, 0xffc12345, 0, 0x7fc12345, MONE
	FT_S_RR 120, fsgnjn.s, 0xff800001, 0, SNAN, SNAN

	j	pass
