// SPDX-License-Identifier: MIT
/* fpu.c - IEEE 754 binary32/binary64 arithmetic for the F and D extensions.
 *
 * Pure integer arithmetic on bit patterns, so results and flags never depend
 * on the host FPU: every RISC-V rounding mode (including RMM, which x86 lacks)
 * is handled by one rounding routine, and tininess is detected after rounding
 * as RISC-V requires. Both formats share generic inline helpers taking the
 * format as (mb = fraction bits, eb = exponent bits); callers pass constants
 * so the compiler specialises them.
 *
 * Internal convention: a finite nonzero value is sign * sig * 2^e with sig an
 * unsigned integer; "jamming" ORs shifted-out bits into bit 0 (sticky bit),
 * which is exact for rounding as long as bit 0 lies below the round bit. */
#include "cpu/fpu.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

typedef unsigned __int128 u128;

#define F32 23, 8
#define F64 52, 11

/* force specialisation of the generic helpers for each format */
#define INLINE static inline __attribute__((always_inline))

/* ---- field helpers ----------------------------------------------------- */

INLINE uint64_t sign_bit(int mb, int eb)
{
	return 1ull << (mb + eb);
}

INLINE int sign_of(uint64_t x, int mb, int eb)
{
	return (int)(x >> (mb + eb)) & 1;
}

INLINE int exp_max(int eb)
{
	return (1 << eb) - 1;
}

INLINE int bias_of(int eb)
{
	return (1 << (eb - 1)) - 1;
}

INLINE int exp_of(uint64_t x, int mb, int eb)
{
	return (int)(x >> mb) & exp_max(eb);
}

INLINE uint64_t frac_of(uint64_t x, int mb)
{
	return x & ((1ull << mb) - 1);
}

INLINE uint64_t inf_of(int mb, int eb)
{
	return (uint64_t)exp_max(eb) << mb;
}

INLINE uint64_t qnan_of(int mb, int eb)
{
	return inf_of(mb, eb) | 1ull << (mb - 1);
}

INLINE bool is_nan(uint64_t x, int mb, int eb)
{
	return exp_of(x, mb, eb) == exp_max(eb) && frac_of(x, mb);
}

INLINE bool is_snan(uint64_t x, int mb, int eb)
{
	return is_nan(x, mb, eb) && !(x >> (mb - 1) & 1);
}

INLINE bool is_inf(uint64_t x, int mb, int eb)
{
	return (x & ~sign_bit(mb, eb)) == inf_of(mb, eb);
}

INLINE bool is_zero(uint64_t x, int mb, int eb)
{
	return (x & ~sign_bit(mb, eb)) == 0;
}

/* NaN result of a binary/ternary op: canonical, NV if any input signals. */
INLINE uint64_t nan_result(uint64_t a, uint64_t b, uint64_t c, uint32_t *ff,
			   int mb, int eb)
{
	if (is_snan(a, mb, eb) || is_snan(b, mb, eb) || is_snan(c, mb, eb))
		*ff |= FFLAG_NV;
	return qnan_of(mb, eb);
}

INLINE uint64_t invalid(uint32_t *ff, int mb, int eb)
{
	*ff |= FFLAG_NV;
	return qnan_of(mb, eb);
}

/* Exact zero from x + (-x): +0 except -0 when rounding down (IEEE 6.3). */
INLINE uint64_t cancel_zero(int rm, int mb, int eb)
{
	return rm == RM_RDN ? sign_bit(mb, eb) : 0;
}

/* Significand of a finite nonzero value, normalised so its MSB is bit mb;
 * *e receives the exponent of bit 0. */
INLINE uint64_t unpack(uint64_t x, int *e, int mb, int eb)
{
	int ex = exp_of(x, mb, eb);
	uint64_t f = frac_of(x, mb);
	int sh;

	if (ex) {
		*e = ex - bias_of(eb) - mb;
		return f | 1ull << mb;
	}
	sh = __builtin_clzll(f) - (63 - mb);
	*e = 1 - bias_of(eb) - mb - sh;
	return f << sh;
}

INLINE uint64_t shr_jam64(uint64_t x, unsigned n)
{
	if (n == 0)
		return x;
	if (n < 64)
		return x >> n | ((x << (64 - n)) != 0);
	return x != 0;
}

INLINE u128 shr_jam128(u128 x, unsigned n)
{
	if (n == 0)
		return x;
	if (n < 128)
		return x >> n | ((x << (128 - n)) != 0);
	return x != 0;
}

INLINE int clz128(u128 x)
{
	uint64_t hi = (uint64_t)(x >> 64);

	return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll((uint64_t)x);
}

/* Whether to add one ulp to a truncated magnitude whose discarded part is
 * rem, scaled so that bit 63 is the round bit (rem == 2^63 is a tie). The
 * hart never passes DYN or a reserved rm here. */
INLINE bool round_up(uint64_t rem, bool odd, int sign, int rm)
{
	bool rbit = rem >> 63, sticky = (rem << 1) != 0;

	/* bitwise, not logical, ops keep this branch-free on random data */
	switch (rm) {
	case RM_RNE: return rbit & (sticky | odd);
	case RM_RMM: return rbit;
	case RM_RDN: return (rbit | sticky) & sign;
	case RM_RUP: return (rbit | sticky) & !sign;
	default: /* RTZ */ return false;
	}
}

/* ---- rounding and packing ---------------------------------------------- */

/* Round sign * sig * 2^e (sig != 0) to the format and pack it, raising
 * NX/UF/OF. Tininess is judged after rounding: the value is tiny if rounding
 * it to mb+1 bits with an unbounded exponent leaves it below 2^emin. */
INLINE uint64_t round_pack(int sign, int e, uint64_t sig, int rm, uint32_t *ff,
			   int mb, int eb)
{
	const int sh = 63 - mb; /* bits below the mb+1 kept ones */
	const uint64_t s = (uint64_t)sign << (mb + eb);
	int lz = __builtin_clzll(sig);
	int be = e + 63 - lz + bias_of(eb); /* biased exponent of the MSB */
	uint64_t k, rem;

	sig <<= lz;
	if (be >= 1) {
		k = sig >> sh;
		rem = sig << (64 - sh);
		k += round_up(rem, k & 1, sign,
			      rm); /* no branch: it is random */
		if (__builtin_expect(k >> (mb + 1), 0)) { /* next binade */
			k >>= 1;
			be++;
		}
		if (be >= exp_max(eb)) {
			bool inf = rm == RM_RNE || rm == RM_RMM ||
				   (rm == RM_RDN && sign) ||
				   (rm == RM_RUP && !sign);

			*ff |= FFLAG_OF | FFLAG_NX;
			return s | (inf ? inf_of(mb, eb) : inf_of(mb, eb) - 1);
		}
		if (rem)
			*ff |= FFLAG_NX;
		/* the hidden bit in k bumps the exponent field from be-1 */
		return s | (((uint64_t)(be - 1) << mb) + k);
	}

	/* Subnormal range. With an unbounded exponent only be == 0 can round
	 * up to 2^emin, making the value not tiny after all. */
	bool tiny = true;
	if (be == 0) {
		k = sig >> sh;
		rem = sig << (64 - sh);
		tiny = !(k == (2ull << mb) - 1 &&
			 round_up(rem, true, sign, rm));
	}
	sig = shr_jam64(sig, (unsigned)(1 - be));
	k = sig >> sh;
	rem = sig << (64 - sh);
	k += round_up(rem, k & 1, sign, rm); /* k == 2^mb packs as 2^emin */
	if (rem)
		*ff |= tiny ? FFLAG_NX | FFLAG_UF : FFLAG_NX;
	return s | k;
}

/* ---- arithmetic -------------------------------------------------------- */

INLINE uint64_t add_gen(uint64_t a, uint64_t b, int rm, uint32_t *ff, int mb,
			int eb)
{
	int sa = sign_of(a, mb, eb), sb = sign_of(b, mb, eb);
	bool same = sa == sb;
	int ea, e_b;
	uint64_t ma, mbb, r;

	if (is_nan(a, mb, eb) || is_nan(b, mb, eb))
		return nan_result(a, b, 0, ff, mb, eb);
	if (is_inf(a, mb, eb)) {
		if (is_inf(b, mb, eb) && sa != sb)
			return invalid(ff, mb, eb);
		return a;
	}
	if (is_inf(b, mb, eb))
		return b;
	if (is_zero(a, mb, eb)) {
		if (is_zero(b, mb, eb))
			return sa == sb ? a : cancel_zero(rm, mb, eb);
		return b;
	}
	if (is_zero(b, mb, eb))
		return a;

	/* MSB at bit 62 leaves bit 63 for the carry of an addition */
	ma = unpack(a, &ea, mb, eb) << (62 - mb);
	mbb = unpack(b, &e_b, mb, eb) << (62 - mb);
	if (ea < e_b || (ea == e_b && ma < mbb)) { /* make |a| >= |b| */
		uint64_t t = ma;
		int te = ea;

		ma = mbb;
		mbb = t;
		ea = e_b;
		e_b = te;
		sa = sb; /* the larger operand gives the sign */
	}
	mbb = shr_jam64(mbb, (unsigned)(ea - e_b));
	if (same) {
		r = ma + mbb;
	} else {
		r = ma - mbb;
		if (!r)
			return cancel_zero(rm, mb, eb);
	}
	return round_pack(sa, ea - (62 - mb), r, rm, ff, mb, eb);
}

INLINE uint64_t mul_gen(uint64_t a, uint64_t b, int rm, uint32_t *ff, int mb,
			int eb)
{
	int sign = sign_of(a, mb, eb) ^ sign_of(b, mb, eb);
	uint64_t s = (uint64_t)sign << (mb + eb), ma, mbb;
	int ea, e_b;

	if (is_nan(a, mb, eb) || is_nan(b, mb, eb))
		return nan_result(a, b, 0, ff, mb, eb);
	if (is_inf(a, mb, eb) || is_inf(b, mb, eb)) {
		if (is_zero(a, mb, eb) || is_zero(b, mb, eb))
			return invalid(ff, mb, eb);
		return s | inf_of(mb, eb);
	}
	if (is_zero(a, mb, eb) || is_zero(b, mb, eb))
		return s;

	ma = unpack(a, &ea, mb, eb);
	mbb = unpack(b, &e_b, mb, eb);
	if (mb > 31) {
		/* 106-bit product: keep 64 bits, jam the rest */
		u128 p = (u128)ma * mbb;
		uint64_t r = (uint64_t)(p >> 42) | (((uint64_t)p << 22) != 0);

		return round_pack(sign, ea + e_b + 42, r, rm, ff, mb, eb);
	}
	return round_pack(sign, ea + e_b, ma * mbb, rm, ff, mb, eb);
}

INLINE uint64_t div_gen(uint64_t a, uint64_t b, int rm, uint32_t *ff, int mb,
			int eb)
{
	int sign = sign_of(a, mb, eb) ^ sign_of(b, mb, eb);
	uint64_t s = (uint64_t)sign << (mb + eb), ma, mbb, q, r;
	int ea, e_b, sh;

	if (is_nan(a, mb, eb) || is_nan(b, mb, eb))
		return nan_result(a, b, 0, ff, mb, eb);
	if (is_inf(a, mb, eb)) {
		if (is_inf(b, mb, eb))
			return invalid(ff, mb, eb);
		return s | inf_of(mb, eb);
	}
	if (is_inf(b, mb, eb))
		return s;
	if (is_zero(b, mb, eb)) {
		if (is_zero(a, mb, eb))
			return invalid(ff, mb, eb);
		*ff |= FFLAG_DZ;
		return s | inf_of(mb, eb);
	}
	if (is_zero(a, mb, eb))
		return s;

	ma = unpack(a, &ea, mb, eb);
	mbb = unpack(b, &e_b, mb, eb);
	/* quotient of at least mb+3 bits; the remainder gives the sticky bit */
	if (mb > 31) {
		u128 n = (u128)ma << 62;

		sh = 62;
		q = (uint64_t)(n / mbb);
		r = (uint64_t)(n - (u128)q * mbb);
	} else {
		sh = 39;
		q = (ma << sh) / mbb;
		r = (ma << sh) - q * mbb;
	}
	return round_pack(sign, ea - e_b - sh, q | (r != 0), rm, ff, mb, eb);
}

INLINE uint64_t sqrt_gen(uint64_t a, int rm, uint32_t *ff, int mb, int eb)
{
	uint64_t m, q;
	u128 n;
	int e, k;

	if (is_nan(a, mb, eb))
		return nan_result(a, 0, 0, ff, mb, eb);
	if (is_zero(a, mb, eb))
		return a;
	if (sign_of(a, mb, eb))
		return invalid(ff, mb, eb);
	if (is_inf(a, mb, eb))
		return a;

	m = unpack(a, &e, mb, eb);
	if (e & 1) { /* make the exponent even */
		m <<= 1;
		e--;
	}
	/* n = m * 2^2k has an integer root q of mb+2 bits (f32: 25 or 26) */
	k = mb > 31 ? 27 : 13;
	n = (u128)m << (2 * k);
	/* The host's root of the exact double m, scaled, is within about an
	 * ulp of sqrt(n) whatever the host rounding mode; pin floor(sqrt(n))
	 * down branch-free, then the loops make it exact in any case. */
	q = (uint64_t)(sqrt((double)m) * (double)(1ull << k));
	q = q - 1 + ((u128)q * q <= n) + ((u128)(q + 1) * (q + 1) <= n);
	while ((u128)q * q > n)
		q--;
	while ((u128)(q + 1) * (q + 1) <= n)
		q++;
	/* bit 0 of q is the round bit: append a sticky bit below it */
	return round_pack(0, (e - 2 * k) / 2 - 1, q << 1 | ((u128)q * q != n),
			  rm, ff, mb, eb);
}

INLINE uint64_t fma_gen(uint64_t a, uint64_t b, uint64_t c, int negprod,
			int negc, int rm, uint32_t *ff, int mb, int eb)
{
	int sp = sign_of(a, mb, eb) ^ sign_of(b, mb, eb) ^ !!negprod;
	int sc = sign_of(c, mb, eb) ^ !!negc;
	bool pinf = is_inf(a, mb, eb) || is_inf(b, mb, eb);
	bool pzero = is_zero(a, mb, eb) || is_zero(b, mb, eb);
	int ea, e_b, ec, ep, sign;
	uint64_t ma, mbb, mc, sig;
	u128 p, x, y, r;
	int lz;

	/* inf * 0 is invalid even when c is a quiet NaN */
	if (pinf && pzero)
		return invalid(ff, mb, eb);
	if (is_nan(a, mb, eb) || is_nan(b, mb, eb) || is_nan(c, mb, eb))
		return nan_result(a, b, c, ff, mb, eb);
	if (pinf) {
		if (is_inf(c, mb, eb) && sc != sp)
			return invalid(ff, mb, eb);
		return (uint64_t)sp << (mb + eb) | inf_of(mb, eb);
	}
	if (is_inf(c, mb, eb))
		return (uint64_t)sc << (mb + eb) | inf_of(mb, eb);
	if (pzero) {
		if (is_zero(c, mb, eb))
			return sp == sc ? (uint64_t)sp << (mb + eb)
					: cancel_zero(rm, mb, eb);
		return c ^ (negc ? sign_bit(mb, eb) : 0);
	}

	ma = unpack(a, &ea, mb, eb);
	mbb = unpack(b, &e_b, mb, eb);
	p = (u128)ma * mbb;
	if (is_zero(c, mb, eb)) {
		/* exact product of at most 106 bits, jam it into 64 */
		lz = clz128(p);
		p <<= lz;
		sig = (uint64_t)(p >> 64) | ((uint64_t)p != 0);
		return round_pack(sp, ea + e_b - lz + 64, sig, rm, ff, mb, eb);
	}

	/* Product MSB at bit 124 or 125, addend MSB at bit 124: both keep at
	 * least 20 zero low bits, so no bits are lost when the exponents are
	 * within 1 (the only case with heavy cancellation). */
	mc = unpack(c, &ec, mb, eb);
	x = p << (124 - 2 * mb);
	ep = ea + e_b - (124 - 2 * mb);
	y = (u128)mc << (124 - mb);
	ec -= 124 - mb;
	sign = sp;
	if (ec > ep) { /* x gets the larger exponent */
		int te = ep;

		r = x;
		x = y;
		y = r;
		ep = ec;
		ec = te;
		sign = sc;
	}
	y = shr_jam128(y, (unsigned)(ep - ec));
	if (sp == sc) {
		r = x + y;
	} else if (x >= y) {
		r = x - y;
		if (!r)
			return cancel_zero(rm, mb, eb);
	} else {
		r = y - x;
		sign = !sign;
	}
	lz = clz128(r);
	r <<= lz;
	sig = (uint64_t)(r >> 64) | ((uint64_t)r != 0);
	return round_pack(sign, ep - lz + 64, sig, rm, ff, mb, eb);
}

/* ---- min/max and comparisons ------------------------------------------- */

/* a < b for non-NaN values, ordering -0 below +0 */
INLINE bool total_lt(uint64_t a, uint64_t b, int mb, int eb)
{
	int sa = sign_of(a, mb, eb), sb = sign_of(b, mb, eb);

	if (sa != sb)
		return sa;
	return a != b && ((a < b) ^ sa);
}

/* IEEE 754-2019 minimumNumber/maximumNumber (RISC-V F/D 2.2) */
INLINE uint64_t minmax_gen(uint64_t a, uint64_t b, bool max, uint32_t *ff,
			   int mb, int eb)
{
	bool na = is_nan(a, mb, eb), nb = is_nan(b, mb, eb);

	if (na || nb) {
		if (is_snan(a, mb, eb) || is_snan(b, mb, eb))
			*ff |= FFLAG_NV;
		if (na && nb)
			return qnan_of(mb, eb);
		return na ? b : a;
	}
	return total_lt(a, b, mb, eb) ^ max ? a : b;
}

INLINE bool both_zero(uint64_t a, uint64_t b, int mb, int eb)
{
	return ((a | b) & ~sign_bit(mb, eb)) == 0;
}

INLINE uint64_t eq_gen(uint64_t a, uint64_t b, uint32_t *ff, int mb, int eb)
{
	if (is_nan(a, mb, eb) || is_nan(b, mb, eb)) {
		if (is_snan(a, mb, eb) || is_snan(b, mb, eb))
			*ff |= FFLAG_NV;
		return 0;
	}
	return a == b || both_zero(a, b, mb, eb);
}

INLINE uint64_t lt_gen(uint64_t a, uint64_t b, uint32_t *ff, int mb, int eb)
{
	if (is_nan(a, mb, eb) || is_nan(b, mb, eb)) {
		*ff |= FFLAG_NV;
		return 0;
	}
	return total_lt(a, b, mb, eb) && !both_zero(a, b, mb, eb);
}

INLINE uint64_t le_gen(uint64_t a, uint64_t b, uint32_t *ff, int mb, int eb)
{
	if (is_nan(a, mb, eb) || is_nan(b, mb, eb)) {
		*ff |= FFLAG_NV;
		return 0;
	}
	return !total_lt(b, a, mb, eb) || both_zero(a, b, mb, eb);
}

INLINE uint64_t classify_gen(uint64_t a, int mb, int eb)
{
	int sign = sign_of(a, mb, eb), ex = exp_of(a, mb, eb);
	uint64_t f = frac_of(a, mb);

	if (ex == exp_max(eb)) {
		if (!f)
			return sign ? 1 << 0 : 1 << 7;
		return f >> (mb - 1) ? 1 << 9 : 1 << 8;
	}
	if (ex == 0) {
		if (!f)
			return sign ? 1 << 3 : 1 << 4;
		return sign ? 1 << 2 : 1 << 5;
	}
	return sign ? 1 << 1 : 1 << 6;
}

/* ---- conversions ------------------------------------------------------- */

/* Float to an integer of `bits` bits; results saturate and raise NV when
 * out of range (NaN counts as +large), 32-bit ones are sign-extended. */
INLINE uint64_t to_int_gen(uint64_t a, int rm, uint32_t *ff, bool is_signed,
			   int bits, int mb, int eb)
{
	const uint64_t max =
		is_signed ? (1ull << (bits - 1)) - 1 : ~0ull >> (64 - bits);
	const uint64_t min = is_signed ? -(max + 1) : 0;
	int sign = sign_of(a, mb, eb), e;
	uint64_t m, mag, rem = 0, r;

	if (is_nan(a, mb, eb)) {
		sign = 0;
		goto invalid;
	}
	if (is_inf(a, mb, eb))
		goto invalid;
	if (is_zero(a, mb, eb))
		return 0;

	m = unpack(a, &e, mb, eb);
	if (e >= 0) {
		if (e + mb >= 64) /* |a| >= 2^64 */
			goto invalid;
		mag = m << e;
	} else {
		/* m < 2^63, so a shift of 64+ leaves less than half an ulp */
		mag = -e < 64 ? m >> -e : 0;
		rem = -e < 64 ? m << (64 + e) : 1;
		mag += round_up(rem, mag & 1, sign, rm);
	}
	if (mag > (is_signed ? max + sign : sign ? 0 : max))
		goto invalid;
	if (rem)
		*ff |= FFLAG_NX;
	r = sign ? -mag : mag;
	return bits == 32 ? (uint64_t)(int64_t)(int32_t)(uint32_t)r : r;

invalid:
	*ff |= FFLAG_NV;
	r = sign ? min : max;
	return bits == 32 ? (uint64_t)(int64_t)(int32_t)(uint32_t)r : r;
}

INLINE uint64_t from_int_gen(int sign, uint64_t mag, int rm, uint32_t *ff,
			     int mb, int eb)
{
	if (!mag)
		return 0;
	return round_pack(sign, 0, mag, rm, ff, mb, eb);
}

/* ---- host fast path ---------------------------------------------------- */

/* QEMU's "hardfloat": the host FPU gives the very same answer whenever the
 * rounding is to nearest even (the host's, which rvisor never changes),
 * inexact has already been accrued (so it need not be detected), the
 * operands are zeros or normal numbers, and the result is a normal number
 * above the smallest one (no tininess question) or an exact zero. Anything
 * else - NaNs, infinities, subnormals, other rounding modes, a first
 * inexact result - takes the software path. */
static inline bool hard_ok(int rm, const uint32_t *ff)
{
	return rm == RM_RNE && (*ff & FFLAG_NX);
}

static inline bool d_zn(uint64_t a) /* zero or normal */
{
	uint64_t e = (a >> 52) & 0x7ff;
	return e != 0x7ff && (e != 0 || (a << 1) == 0);
}

static inline bool s_zn(uint32_t a)
{
	uint32_t e = (a >> 23) & 0xff;
	return e != 0xff && (e != 0 || (a << 1) == 0);
}

static inline double d_of(uint64_t a)
{
	double d;
	memcpy(&d, &a, 8);
	return d;
}

static inline uint64_t d_bits(double d)
{
	uint64_t a;
	memcpy(&a, &d, 8);
	return a;
}

static inline float s_of(uint32_t a)
{
	float f;
	memcpy(&f, &a, 4);
	return f;
}

static inline uint32_t s_bits(float f)
{
	uint32_t a;
	memcpy(&a, &f, 4);
	return a;
}

static inline bool d_normal_result(double r)
{
	double m = fabs(r);
	return m > DBL_MIN && m <= DBL_MAX;
}

static inline bool s_normal_result(float r)
{
	float m = fabsf(r);
	return m > FLT_MIN && m <= FLT_MAX;
}

/* op: 0 add, 1 mul, 2 div, 3 sqrt; true with *out set if done. One body
 * for both widths: FT is the host type, UT its bit pattern's. */
#define HARD_OP(name, FT, UT, zn, of, bits, sqrtfn, normal_result)             \
	static bool name(int op, UT a, UT b, int rm, const uint32_t *ff,       \
			 UT *out)                                              \
	{                                                                      \
		if (!hard_ok(rm, ff) || !zn(a) || !zn(b))                      \
			return false;                                          \
		FT x = of(a), y = of(b), r;                                    \
		bool exact_zero;                                               \
		switch (op) {                                                  \
		case 0:                                                        \
			r = x + y;                                             \
			exact_zero = true;                                     \
			break;                                                 \
		case 1:                                                        \
			r = x * y;                                             \
			exact_zero = x == 0 || y == 0;                         \
			break;                                                 \
		case 2:                                                        \
			if (y == 0)                                            \
				return false;                                  \
			r = x / y;                                             \
			exact_zero = x == 0;                                   \
			break;                                                 \
		default:                                                       \
			if (x < 0)                                             \
				return false;                                  \
			r = sqrtfn(x);                                         \
			exact_zero = x == 0;                                   \
			break;                                                 \
		}                                                              \
		if (!normal_result(r) && !(r == 0 && exact_zero))              \
			return false;                                          \
		*out = bits(r);                                                \
		return true;                                                   \
	}
HARD_OP(d_hard, double, uint64_t, d_zn, d_of, d_bits, sqrt, d_normal_result)
HARD_OP(s_hard, float, uint32_t, s_zn, s_of, s_bits, sqrtf, s_normal_result)
#undef HARD_OP

/* ---- public API -------------------------------------------------------- */

uint32_t f32_add(uint32_t a, uint32_t b, int rm, uint32_t *fflags)
{
	uint32_t r_;
	if (s_hard(0, a, b, rm, fflags, &r_))
		return r_;
	return (uint32_t)add_gen(a, b, rm, fflags, F32);
}

uint32_t f32_sub(uint32_t a, uint32_t b, int rm, uint32_t *fflags)
{
	uint32_t r_;
	if (s_hard(0, a, b ^ 0x80000000u, rm, fflags, &r_))
		return r_;
	return (uint32_t)add_gen(a, b ^ 0x80000000u, rm, fflags, F32);
}

uint32_t f32_mul(uint32_t a, uint32_t b, int rm, uint32_t *fflags)
{
	uint32_t r_;
	if (s_hard(1, a, b, rm, fflags, &r_))
		return r_;
	return (uint32_t)mul_gen(a, b, rm, fflags, F32);
}

uint32_t f32_div(uint32_t a, uint32_t b, int rm, uint32_t *fflags)
{
	uint32_t r_;
	if (s_hard(2, a, b, rm, fflags, &r_))
		return r_;
	return (uint32_t)div_gen(a, b, rm, fflags, F32);
}

uint32_t f32_sqrt(uint32_t a, int rm, uint32_t *fflags)
{
	uint32_t r_;
	if (s_hard(3, a, 0, rm, fflags, &r_))
		return r_;
	return (uint32_t)sqrt_gen(a, rm, fflags, F32);
}

uint32_t f32_fma(uint32_t a, uint32_t b, uint32_t c, int negprod, int negc,
		 int rm, uint32_t *fflags)
{
	return (uint32_t)fma_gen(a, b, c, negprod, negc, rm, fflags, F32);
}

uint32_t f32_min(uint32_t a, uint32_t b, uint32_t *fflags)
{
	return (uint32_t)minmax_gen(a, b, false, fflags, F32);
}

uint32_t f32_max(uint32_t a, uint32_t b, uint32_t *fflags)
{
	return (uint32_t)minmax_gen(a, b, true, fflags, F32);
}

uint64_t f32_eq(uint32_t a, uint32_t b, uint32_t *fflags)
{
	return eq_gen(a, b, fflags, F32);
}

uint64_t f32_lt(uint32_t a, uint32_t b, uint32_t *fflags)
{
	return lt_gen(a, b, fflags, F32);
}

uint64_t f32_le(uint32_t a, uint32_t b, uint32_t *fflags)
{
	return le_gen(a, b, fflags, F32);
}

uint64_t f32_classify(uint32_t a)
{
	return classify_gen(a, F32);
}

uint64_t f64_add(uint64_t a, uint64_t b, int rm, uint32_t *fflags)
{
	uint64_t r_;
	if (d_hard(0, a, b, rm, fflags, &r_))
		return r_;
	return add_gen(a, b, rm, fflags, F64);
}

uint64_t f64_sub(uint64_t a, uint64_t b, int rm, uint32_t *fflags)
{
	uint64_t r_;
	if (d_hard(0, a, b ^ (1ull << 63), rm, fflags, &r_))
		return r_;
	return add_gen(a, b ^ (1ull << 63), rm, fflags, F64);
}

uint64_t f64_mul(uint64_t a, uint64_t b, int rm, uint32_t *fflags)
{
	uint64_t r_;
	if (d_hard(1, a, b, rm, fflags, &r_))
		return r_;
	return mul_gen(a, b, rm, fflags, F64);
}

uint64_t f64_div(uint64_t a, uint64_t b, int rm, uint32_t *fflags)
{
	uint64_t r_;
	if (d_hard(2, a, b, rm, fflags, &r_))
		return r_;
	return div_gen(a, b, rm, fflags, F64);
}

uint64_t f64_sqrt(uint64_t a, int rm, uint32_t *fflags)
{
	uint64_t r_;
	if (d_hard(3, a, 0, rm, fflags, &r_))
		return r_;
	return sqrt_gen(a, rm, fflags, F64);
}

uint64_t f64_fma(uint64_t a, uint64_t b, uint64_t c, int negprod, int negc,
		 int rm, uint32_t *fflags)
{
	return fma_gen(a, b, c, negprod, negc, rm, fflags, F64);
}

uint64_t f64_min(uint64_t a, uint64_t b, uint32_t *fflags)
{
	return minmax_gen(a, b, false, fflags, F64);
}

uint64_t f64_max(uint64_t a, uint64_t b, uint32_t *fflags)
{
	return minmax_gen(a, b, true, fflags, F64);
}

uint64_t f64_eq(uint64_t a, uint64_t b, uint32_t *fflags)
{
	return eq_gen(a, b, fflags, F64);
}

uint64_t f64_lt(uint64_t a, uint64_t b, uint32_t *fflags)
{
	return lt_gen(a, b, fflags, F64);
}

uint64_t f64_le(uint64_t a, uint64_t b, uint32_t *fflags)
{
	return le_gen(a, b, fflags, F64);
}

uint64_t f64_classify(uint64_t a)
{
	return classify_gen(a, F64);
}

uint64_t f32_to_i32(uint32_t a, int rm, uint32_t *fflags)
{
	return to_int_gen(a, rm, fflags, true, 32, F32);
}

uint64_t f32_to_u32(uint32_t a, int rm, uint32_t *fflags)
{
	return to_int_gen(a, rm, fflags, false, 32, F32);
}

uint64_t f32_to_i64(uint32_t a, int rm, uint32_t *fflags)
{
	return to_int_gen(a, rm, fflags, true, 64, F32);
}

uint64_t f32_to_u64(uint32_t a, int rm, uint32_t *fflags)
{
	return to_int_gen(a, rm, fflags, false, 64, F32);
}

uint64_t f64_to_i32(uint64_t a, int rm, uint32_t *fflags)
{
	return to_int_gen(a, rm, fflags, true, 32, F64);
}

uint64_t f64_to_u32(uint64_t a, int rm, uint32_t *fflags)
{
	return to_int_gen(a, rm, fflags, false, 32, F64);
}

uint64_t f64_to_i64(uint64_t a, int rm, uint32_t *fflags)
{
	return to_int_gen(a, rm, fflags, true, 64, F64);
}

uint64_t f64_to_u64(uint64_t a, int rm, uint32_t *fflags)
{
	return to_int_gen(a, rm, fflags, false, 64, F64);
}

/* magnitude of a signed integer, correct for INT_MIN too */
INLINE uint64_t mag_of(int64_t a)
{
	return a < 0 ? -(uint64_t)a : (uint64_t)a;
}

uint32_t i32_to_f32(int32_t a, int rm, uint32_t *fflags)
{
	return (uint32_t)from_int_gen(a < 0, mag_of(a), rm, fflags, F32);
}

uint32_t u32_to_f32(uint32_t a, int rm, uint32_t *fflags)
{
	return (uint32_t)from_int_gen(0, a, rm, fflags, F32);
}

uint32_t i64_to_f32(int64_t a, int rm, uint32_t *fflags)
{
	return (uint32_t)from_int_gen(a < 0, mag_of(a), rm, fflags, F32);
}

uint32_t u64_to_f32(uint64_t a, int rm, uint32_t *fflags)
{
	return (uint32_t)from_int_gen(0, a, rm, fflags, F32);
}

uint64_t i32_to_f64(int32_t a, int rm, uint32_t *fflags)
{
	return from_int_gen(a < 0, mag_of(a), rm, fflags, F64);
}

uint64_t u32_to_f64(uint32_t a, int rm, uint32_t *fflags)
{
	return from_int_gen(0, a, rm, fflags, F64);
}

uint64_t i64_to_f64(int64_t a, int rm, uint32_t *fflags)
{
	return from_int_gen(a < 0, mag_of(a), rm, fflags, F64);
}

uint64_t u64_to_f64(uint64_t a, int rm, uint32_t *fflags)
{
	return from_int_gen(0, a, rm, fflags, F64);
}

uint32_t f64_to_f32(uint64_t a, int rm, uint32_t *fflags)
{
	int sign = sign_of(a, F64), e;
	uint64_t m;

	if (is_nan(a, F64)) {
		if (is_snan(a, F64))
			*fflags |= FFLAG_NV;
		return F32_CANONICAL_NAN;
	}
	if (is_inf(a, F64))
		return (uint32_t)sign << 31 | 0x7f800000u;
	if (is_zero(a, F64))
		return (uint32_t)sign << 31;
	m = unpack(a, &e, F64);
	return (uint32_t)round_pack(sign, e, m, rm, fflags, F32);
}

uint64_t f32_to_f64(uint32_t a, uint32_t *fflags)
{
	int sign = sign_of(a, F32), e;
	uint64_t m;

	if (is_nan(a, F32)) {
		if (is_snan(a, F32))
			*fflags |= FFLAG_NV;
		return F64_CANONICAL_NAN;
	}
	if (is_inf(a, F32))
		return (uint64_t)sign << 63 | inf_of(F64);
	if (is_zero(a, F32))
		return (uint64_t)sign << 63;
	m = unpack(a, &e, F32);
	return round_pack(sign, e, m, RM_RNE, fflags, F64); /* exact */
}
