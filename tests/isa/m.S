/* m.S - M extension: mul/mulh/mulhsu/mulhu/div/divu/rem/remu and the W
 * forms, including division by zero (quotient all ones, remainder = dividend)
 * and signed overflow (INT_MIN / -1 = INT_MIN, remainder 0), sign
 * extension of 32-bit results, and register overlap. */
#include "common.inc"

	.text
test_main:
	/* mul: low 64 bits of the product */
	TEST_RR   1, mul, 0x000000000000000c, 3, 4
	TEST_RR   2, mul, 0x0000000000000001, -1, -1
	TEST_RR   3, mul, 0x8000000000000000, 0x8000000000000000, -1
	TEST_RR   4, mul, 0x2236d88fe5618cf0, 0x0123456789abcdef, 0xfedcba9876543210
	TEST_RR   5, mul, 0x0000000000000001, 0x7fffffffffffffff, 0x7fffffffffffffff

	/* mulh: high 64 bits, signed x signed */
	TEST_RR   6, mulh, 0x0000000000000000, 3, 4
	TEST_RR   7, mulh, 0x0000000000000000, -1, -1
	TEST_RR   8, mulh, 0xffffffffffffffff, -1, 1
	TEST_RR   9, mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000
	TEST_RR  10, mulh, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff
	TEST_RR  11, mulh, 0xfffeb49923cc0953, 0x0123456789abcdef, 0xfedcba9876543210

	/* mulhsu: high 64 bits, signed rs1 x unsigned rs2 */
	TEST_RR  12, mulhsu, 0xffffffffffffffff, -1, -1
	TEST_RR  13, mulhsu, 0xffffffffffffffff, -1, 1
	TEST_RR  14, mulhsu, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff
	TEST_RR  15, mulhsu, 0x7ffffffffffffffe, 0x7fffffffffffffff, 0xffffffffffffffff
	TEST_RR  16, mulhsu, 0x0121fa00ad77d742, 0x0123456789abcdef, 0xfedcba9876543210

	/* mulhu: high 64 bits, unsigned x unsigned */
	TEST_RR  17, mulhu, 0xfffffffffffffffe, -1, -1
	TEST_RR  18, mulhu, 0x0000000000000001, 0x8000000000000000, 2
	TEST_RR  19, mulhu, 0x0121fa00ad77d742, 0x0123456789abcdef, 0xfedcba9876543210
	TEST_RR  20, mulhu, 0x0000000000000000, 5, 7

	/* mulw: low 32 bits of the product, sign-extended */
	TEST_RR  21, mulw, 0xfffffffffffffffe, 0x7fffffff, 2
	TEST_RR  22, mulw, 0x0000000000000001, 0x100000001, 0x100000001
	TEST_RR  23, mulw, 0x0000000000000001, -1, -1
	TEST_RR  24, mulw, 0x00000000242d2080, 0x12345678, 0x9abcdef0
	TEST_RR  25, mulw, 0xffffffff80000000, 0x80000000, 1

	/* div: rounds toward zero; x/0 = -1; INT64_MIN/-1 = INT64_MIN */
	TEST_RR  26, div, 0x0000000000000003, 20, 6
	TEST_RR  27, div, 0xfffffffffffffffd, -20, 6
	TEST_RR  28, div, 0xfffffffffffffffd, 20, -6
	TEST_RR  29, div, 0x0000000000000003, -20, -6
	TEST_RR  30, div, 0xffffffffffffffff, 7, 0
	TEST_RR  31, div, 0x8000000000000000, 0x8000000000000000, -1
	TEST_RR  32, div, 0x8000000000000000, 0x8000000000000000, 1
	TEST_RR  33, div, 0xffffffffffffffff, 0, 0

	/* divu: x/0 = 2^64-1 */
	TEST_RR  34, divu, 0x0000000000000003, 20, 6
	TEST_RR  35, divu, 0xffffffffffffffff, -1, 1
	TEST_RR  36, divu, 0x7fffffffffffffff, -1, 2
	TEST_RR  37, divu, 0xffffffffffffffff, 7, 0
	TEST_RR  38, divu, 0x0000000000000000, 0x8000000000000000, -1

	/* rem: sign of the dividend; x%0 = x; INT64_MIN%-1 = 0 */
	TEST_RR  39, rem, 0x0000000000000002, 20, 6
	TEST_RR  40, rem, 0xfffffffffffffffe, -20, 6
	TEST_RR  41, rem, 0x0000000000000002, 20, -6
	TEST_RR  42, rem, 0xfffffffffffffffe, -20, -6
	TEST_RR  43, rem, 0x0000000000000007, 7, 0
	TEST_RR  44, rem, 0xfffffffffffffff9, -7, 0
	TEST_RR  45, rem, 0x0000000000000000, 0x8000000000000000, -1

	/* remu: x%0 = x */
	TEST_RR  46, remu, 0x0000000000000002, 20, 6
	TEST_RR  47, remu, 0x0000000000000005, -1, 10
	TEST_RR  48, remu, 0x0000000000000007, 7, 0
	TEST_RR  49, remu, 0x8000000000000000, 0x8000000000000000, -1

	/* divw: 32-bit signed, result sign-extended; INT32_MIN/-1 = INT32_MIN */
	TEST_RR  50, divw, 0x0000000000000003, 20, 6
	TEST_RR  51, divw, 0xfffffffffffffffd, -20, 6
	TEST_RR  52, divw, 0xffffffff80000000, 0xffffffff80000000, -1
	TEST_RR  53, divw, 0xffffffff80000000, 0x80000000, -1
	TEST_RR  54, divw, 0xffffffffffffffff, 7, 0
	TEST_RR  55, divw, 0x0000000000000003, 0x100000014, 0x100000006

	/* divuw: 32-bit unsigned, result still sign-extended from bit 31 */
	TEST_RR  56, divuw, 0xffffffffffffffff, 0xffffffff, 1
	TEST_RR  57, divuw, 0x000000007fffffff, 0xfffffffe, 2
	TEST_RR  58, divuw, 0xffffffffffffffff, 7, 0
	TEST_RR  59, divuw, 0xffffffff80000000, 0x80000000, 1

	/* remw: 32-bit signed remainder, sign-extended */
	TEST_RR  60, remw, 0xfffffffffffffffe, -20, 6
	TEST_RR  61, remw, 0x0000000000000002, 20, -6
	TEST_RR  62, remw, 0x0000000000000000, 0x80000000, -1
	TEST_RR  63, remw, 0x0000000000000007, 7, 0
	TEST_RR  64, remw, 0xfffffffffffffff9, 0x1fffffff9, 0

	/* remuw: 32-bit unsigned remainder, sign-extended */
	TEST_RR  65, remuw, 0x0000000000000002, -20, 6
	TEST_RR  66, remuw, 0x0000000000000007, 7, 0
	TEST_RR  67, remuw, 0xffffffff80000007, 0x80000007, 0
	TEST_RR  68, remuw, 0x0000000000000002, 0x1000000007, 5

	/* rd overlapping the sources */
	TEST_CASE 69
	li	a0, -7
	mul	a0, a0, a0
	CHECK_EQ a0, 49
	TEST_CASE 70
	li	a0, 100
	li	a1, 7
	div	a1, a0, a1
	CHECK_EQ a1, 14
	TEST_CASE 71
	li	a0, -100
	rem	a0, a0, a0
	CHECK_EQ a0, 0
	TEST_CASE 72
	li	a0, 0x123456789
	mulhu	a0, a0, a0
	CHECK_EQ a0, 1

	/* mulh + mul give the full 128-bit product */
	TEST_CASE 73
	li	a1, 0x7654321076543210
	li	a2, -0x1234567812345678
	mulh	a3, a1, a2
	mul	a4, a1, a2
	CHECK_EQ a3, 0xf795e368e3a2ef51
	CHECK_EQ a4, 0xe0843468f4772880

	j	pass
