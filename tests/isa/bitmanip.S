/* bitmanip.S - Zba, Zbb and Zbs: every instruction, including the .uw
 * forms (zero-extended low word of rs1), the W forms (sign-extended 32-bit
 * results), counts of zero inputs, shift/rotate/bit-index amounts using only
 * their low 6 (or 5) bits, and signed vs unsigned min/max. Zicond is in
 * zicond.S. */
#include "common.inc"

	.text
test_main:

	/* Zba: shifted adds; .uw forms zero-extend the low word of rs1 */
	TEST_RR   1, add.uw, 0x80000001, 0xffffffff80000000, 1
	TEST_RR   2, add.uw, 0x1023456789, 0x123456789, 0x1000000000
	TEST_RR   3, sh1add, 0x8000000000000007, 0x4000000000000001, 5
	TEST_RR   4, sh2add, 0x4, -1, 8
	TEST_RR   5, sh3add, 0x8010, 0x1000, 0x10
	TEST_RR   6, sh3add, 0x8, 0x2000000000000001, 0
	TEST_RR   7, sh1add.uw, 0x100000000, 0xffffffff80000000, 0
	TEST_RR   8, sh2add.uw, 0x3fffffffd, 0x1ffffffff, 1
	TEST_RR   9, sh3add.uw, 0x91a2c3c0, 0xabcdef0012345678, 0x1000
	TEST_RI  10, slli.uw, 0x80000001, 0xffffffff80000001, 0
	TEST_RI  11, slli.uw, 0x800000010, 0xffffffff80000001, 4
	TEST_RI  12, slli.uw, 0xffffffff00000000, 0xffffffffffffffff, 32
	TEST_RI  13, slli.uw, 0x8000000000000000, 0x87654321, 63

	/* Zbb: logic with negate */
	TEST_RR  14, andn, 0xf000f000f000f000, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0
	TEST_RR  15, orn, 0xff0fff0fff0fff0f, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0
	TEST_RR  16, xnor, 0xf0f0f0f0f0f0f0f, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0

	/* Zbb: counts (zero input gives the width) */
	TEST_R   17, clz, 0x40, 0
	TEST_R   18, clz, 0x3f, 1
	TEST_R   19, clz, 0x0, 0x8000000000000000
	TEST_R   20, clz, 0x13, 0x0000100000000000
	TEST_R   21, clzw, 0x20, 0
	TEST_R   22, clzw, 0x1f, 0xffffffff00000001
	TEST_R   23, clzw, 0x0, 0x80000000
	TEST_R   24, ctz, 0x40, 0
	TEST_R   25, ctz, 0x3f, 0x8000000000000000
	TEST_R   26, ctz, 0x8, 0x100
	TEST_R   27, ctzw, 0x20, 0
	TEST_R   28, ctzw, 0x20, 0xffffffff00000000
	TEST_R   29, ctzw, 0x1f, 0x80000000
	TEST_R   30, ctzw, 0x4, 0x1000000010
	TEST_R   31, cpop, 0x0, 0
	TEST_R   32, cpop, 0x40, -1
	TEST_R   33, cpop, 0x20, 0x0f0f0f0f0f0f0f0f
	TEST_R   34, cpopw, 0x20, -1
	TEST_R   35, cpopw, 0x2, 0xffffffff00000003

	/* Zbb: min/max signed and unsigned */
	TEST_RR  36, max, 0x1, -1, 1
	TEST_RR  37, maxu, 0xffffffffffffffff, -1, 1
	TEST_RR  38, min, 0xffffffffffffffff, -1, 1
	TEST_RR  39, minu, 0x1, -1, 1
	TEST_RR  40, max, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff
	TEST_RR  41, min, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff
	TEST_RR  42, minu, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff
	TEST_RR  43, maxu, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff

	/* Zbb: sign and zero extension */
	TEST_R   44, sext.b, 0xffffffffffffff80, 0x80
	TEST_R   45, sext.b, 0x7f, 0x123456789abcde7f
	TEST_R   46, sext.h, 0xffffffffffff8000, 0x8000
	TEST_R   47, sext.h, 0x7fff, 0xffffffffffff7fff
	TEST_R   48, zext.h, 0x8001, 0xffffffffffff8001
	TEST_R   49, zext.h, 0x2345, 0x12345

	/* Zbb: rotates (amount = low 6 / 5 bits) */
	TEST_RR  50, rol, 0x3, 0x8000000000000001, 1
	TEST_RR  51, rol, 0x123456789abcdef0, 0x0123456789abcdef, 68
	TEST_RR  52, ror, 0xc000000000000000, 0x8000000000000001, 1
	TEST_RR  53, ror, 0x123456789abcdef0, 0x0123456789abcdef, 124
	TEST_RI  54, rori, 0xef0123456789abcd, 0x0123456789abcdef, 8
	TEST_RI  55, rori, 0x123456789abcdef, 0x0123456789abcdef, 0
	TEST_RI  56, rori, 0x2, 1, 63
	TEST_RR  57, rolw, 0x3, 0x80000001, 1
	TEST_RR  58, rolw, 0xffffffff80000000, 0xffffffff40000000, 1
	TEST_RR  59, rolw, 0x23456781, 0x12345678, 36
	TEST_RR  60, rorw, 0xffffffffc0000000, 0x80000001, 1
	TEST_RR  61, rorw, 0xffffffff80000000, 0x00000001, 1
	TEST_RR  62, rorw, 0x1, 0xffffffff00000002, 33
	TEST_RI  63, roriw, 0xffffffff80000000, 0x00000001, 1
	TEST_RI  64, roriw, 0x56781234, 0x12345678, 16
	TEST_RI  65, roriw, 0x0, 0xffffffff00000000, 0
	TEST_RI  66, roriw, 0xffffffff80000000, 0x80000000, 0

	/* Zbb: orc.b and rev8 */
	TEST_R   67, orc.b, 0xffffff00ff00ff, 0x0001020300ff0080
	TEST_R   68, orc.b, 0x0, 0
	TEST_R   69, rev8, 0xefcdab8967452301, 0x0123456789abcdef
	TEST_R   70, rev8, 0x8000000000000000, 0x80

	/* Zbs: single-bit ops (index = low 6 bits) */
	TEST_RR  71, bclr, 0x7fffffffffffffff, -1, 63
	TEST_RR  72, bclr, 0xfffffffffffffffe, -1, 64
	TEST_RI  73, bclri, 0xfffffffffffffffe, -1, 0
	TEST_RI  74, bclri, 0x0, 0x8000000000000000, 63
	TEST_RR  75, bext, 0x1, 0x8000000000000000, 63
	TEST_RR  76, bext, 0x1, 0x8000000000000000, 127
	TEST_RR  77, bext, 0x0, 0x4, 1
	TEST_RI  78, bexti, 0x1, 0x4, 2
	TEST_RI  79, bexti, 0x0, 0x4, 3
	TEST_RR  80, binv, 0x8000000000000000, 0, 63
	TEST_RR  81, binv, 0xfffffffffffffffd, -1, 65
	TEST_RI  82, binvi, 0x0, 0x10, 4
	TEST_RI  83, binvi, 0x80000000, 0, 31
	TEST_RR  84, bset, 0x8000000000000000, 0, 63
	TEST_RR  85, bset, 0x1, 0, 64
	TEST_RI  86, bseti, 0x80000000, 0, 31
	TEST_RI  87, bseti, 0x8, 0x8, 3

	/* zext.w is add.uw rd, rs, zero */
	TEST_CASE 88
	li	a1, 0xdeadbeefcafef00d
	add.uw	a0, a1, zero
	CHECK_EQ a0, 0xcafef00d
	/* rd == rs */
	TEST_CASE 89
	li	a0, 0x00ff00ff00ff00ff
	rev8	a0, a0
	CHECK_EQ a0, 0xff00ff00ff00ff00
	TEST_CASE 90
	li	a0, 3
	sh3add	a0, a0, a0
	CHECK_EQ a0, 27
	TEST_CASE 91
	li	a0, 0x8000
	binv	a0, a0, a0			/* index = 0x8000 & 63 = 0 */
	CHECK_EQ a0, 0x8001
	/* ror with amount 0 and rol/ror inverse */
	TEST_CASE 92
	li	a1, 0x0123456789abcdef
	li	a2, 23
	rol	a3, a1, a2
	ror	a0, a3, a2
	bne	a0, a1, fail
	ror	a0, a1, zero
	bne	a0, a1, fail

	j	pass
