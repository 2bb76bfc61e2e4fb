/* fpu.h - IEEE 754 arithmetic for the F and D extensions.
 *
 * Pure functions on raw bit patterns: the hart passes operands as they sit
 * in the FP register file (NaN-boxing is the hart's job for single precision
 * inputs: the hart unboxes before calling, so f32 operands arrive as the low
 * 32 bits of a properly boxed value or as the canonical NaN if the box was
 * broken), a resolved rounding mode (RM_RNE..RM_RMM, never DYN), and a
 * pointer to the accrued exception flags, which each call ORs into.
 * Results are canonical NaNs wherever RISC-V demands them. */
#ifndef RVISOR_CPU_FPU_H
#define RVISOR_CPU_FPU_H

#include <stdint.h>

enum { RM_RNE = 0, RM_RTZ = 1, RM_RDN = 2, RM_RUP = 3, RM_RMM = 4, RM_DYN = 7 };

enum {
	FFLAG_NX = 1 << 0, /* inexact */
	FFLAG_UF = 1 << 1, /* underflow */
	FFLAG_OF = 1 << 2, /* overflow */
	FFLAG_DZ = 1 << 3, /* divide by zero */
	FFLAG_NV = 1 << 4, /* invalid */
};

#define F32_CANONICAL_NAN 0x7fc00000u
#define F64_CANONICAL_NAN 0x7ff8000000000000ull

/* Arithmetic. rm is 0..4. */
uint32_t f32_add(uint32_t a, uint32_t b, int rm, uint32_t *fflags);
uint32_t f32_sub(uint32_t a, uint32_t b, int rm, uint32_t *fflags);
uint32_t f32_mul(uint32_t a, uint32_t b, int rm, uint32_t *fflags);
uint32_t f32_div(uint32_t a, uint32_t b, int rm, uint32_t *fflags);
uint32_t f32_sqrt(uint32_t a, int rm, uint32_t *fflags);
/* fused: (a*b)+c with the sign options of fmadd/fmsub/fnmsub/fnmadd:
 * negprod negates a*b, negc negates c (before the single rounding). */
uint32_t f32_fma(uint32_t a, uint32_t b, uint32_t c, int negprod, int negc,
		 int rm, uint32_t *fflags);
uint32_t f32_min(uint32_t a, uint32_t b, uint32_t *fflags);
uint32_t f32_max(uint32_t a, uint32_t b, uint32_t *fflags);
/* comparisons return 0/1; feq is quiet (NV only on sNaN), flt/fle signal */
uint64_t f32_eq(uint32_t a, uint32_t b, uint32_t *fflags);
uint64_t f32_lt(uint32_t a, uint32_t b, uint32_t *fflags);
uint64_t f32_le(uint32_t a, uint32_t b, uint32_t *fflags);
uint64_t f32_classify(uint32_t a);

uint64_t f64_add(uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t f64_sub(uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t f64_mul(uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t f64_div(uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t f64_sqrt(uint64_t a, int rm, uint32_t *fflags);
uint64_t f64_fma(uint64_t a, uint64_t b, uint64_t c, int negprod, int negc,
		 int rm, uint32_t *fflags);
uint64_t f64_min(uint64_t a, uint64_t b, uint32_t *fflags);
uint64_t f64_max(uint64_t a, uint64_t b, uint32_t *fflags);
uint64_t f64_eq(uint64_t a, uint64_t b, uint32_t *fflags);
uint64_t f64_lt(uint64_t a, uint64_t b, uint32_t *fflags);
uint64_t f64_le(uint64_t a, uint64_t b, uint32_t *fflags);
uint64_t f64_classify(uint64_t a);

/* Conversions. Integer results are returned as the 64-bit value to write to
 * the integer register (32-bit results sign-extended, as RV64 requires);
 * out-of-range and NaN inputs saturate per the spec and raise NV. */
uint64_t f32_to_i32(uint32_t a, int rm, uint32_t *fflags);
uint64_t f32_to_u32(uint32_t a, int rm, uint32_t *fflags);
uint64_t f32_to_i64(uint32_t a, int rm, uint32_t *fflags);
uint64_t f32_to_u64(uint32_t a, int rm, uint32_t *fflags);
uint64_t f64_to_i32(uint64_t a, int rm, uint32_t *fflags);
uint64_t f64_to_u32(uint64_t a, int rm, uint32_t *fflags);
uint64_t f64_to_i64(uint64_t a, int rm, uint32_t *fflags);
uint64_t f64_to_u64(uint64_t a, int rm, uint32_t *fflags);
uint32_t i32_to_f32(int32_t a, int rm, uint32_t *fflags);
uint32_t u32_to_f32(uint32_t a, int rm, uint32_t *fflags);
uint32_t i64_to_f32(int64_t a, int rm, uint32_t *fflags);
uint32_t u64_to_f32(uint64_t a, int rm, uint32_t *fflags);
uint64_t i32_to_f64(int32_t a, int rm, uint32_t *fflags);
uint64_t u32_to_f64(uint32_t a, int rm, uint32_t *fflags);
uint64_t i64_to_f64(int64_t a, int rm, uint32_t *fflags);
uint64_t u64_to_f64(uint64_t a, int rm, uint32_t *fflags);
uint32_t f64_to_f32(uint64_t a, int rm, uint32_t *fflags);
uint64_t f32_to_f64(uint32_t a, uint32_t *fflags);

#endif
