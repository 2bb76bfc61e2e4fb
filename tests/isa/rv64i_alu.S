/* rv64i_alu.S - RV64I integer computation: register/immediate ALU ops, the
 * 32-bit W forms (results sign-extended from bit 31), shifts at the edge
 * amounts (only the low 6 / 5 bits of the amount count), lui/auipc, and
 * writes to x0 being discarded. */
#include "common.inc"

	.text
test_main:
	/* add / sub */
	TEST_RR  1, add, 3, 1, 2
	TEST_RR  2, add, 0x8000000000000000, 0x7fffffffffffffff, 1
	TEST_RR  3, add, -2, -1, -1
	TEST_RR  4, sub, -1, 0, 1
	TEST_RR  5, sub, 0x7fffffffffffffff, 0x8000000000000000, 1
	TEST_RI  6, addi, -2048, 0, -2048
	TEST_RI  7, addi, 0x80000000000007ff, 0x8000000000000000, 2047
	/* set-less-than: signed vs unsigned, immediates sign-extended */
	TEST_RR  8, slt, 1, -1, 1
	TEST_RR  9, slt, 0, 1, -1
	TEST_RR 10, sltu, 0, -1, 1
	TEST_RR 11, sltu, 1, 1, -1
	TEST_RI 12, slti, 1, -1, 0
	TEST_RI 13, sltiu, 1, 0, -1	/* imm -1 is 0xffff...ffff unsigned */
	TEST_RI 14, sltiu, 0, 5, 1
	TEST_RR 15, slt, 0, 0x8000000000000000, 0x8000000000000000
	/* logic */
	TEST_RR 16, and, 0x0f000f000f000f00, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0
	TEST_RR 17, or,  0xfff0fff0fff0fff0, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0
	TEST_RR 18, xor, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0
	TEST_RI 19, andi, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0f, -16
	TEST_RI 20, ori, -1, 0x0123456789abcdef, -1
	TEST_RI 21, xori, 0xfedcba9876543210, 0x0123456789abcdef, -1
	TEST_RI 22, andi, 0x7ff, -1, 0x7ff
	/* 64-bit shifts: amount is rs2[5:0] */
	TEST_RR 23, sll, 0x8000000000000000, 1, 63
	TEST_RR 24, sll, 1, 1, 64
	TEST_RR 25, sll, 2, 1, 65
	TEST_RR 26, srl, 1, 0x8000000000000000, 63
	TEST_RR 27, sra, -1, 0x8000000000000000, 63
	TEST_RR 28, sra, 0x8000000000000000, 0x8000000000000000, 0
	TEST_RR 29, srl, 1, -1, 127
	TEST_RR 30, sra, 0xc000000000000000, 0x8000000000000000, -63
	TEST_RI 31, slli, 0x8000000000000000, 1, 63
	TEST_RI 32, srli, 0x7fffffffffffffff, -1, 1
	TEST_RI 33, srai, 0, 0x7fffffffffffffff, 63
	TEST_RI 34, srai, -1, -1, 1
	TEST_RI 35, slli, 0x123456789abcdef0, 0x0123456789abcdef, 4
	TEST_RI 36, srli, 0x000123456789abcd, 0x0123456789abcdef, 8
	/* W forms: operate on the low 32 bits, sign-extend the 32-bit result */
	TEST_RR 37, addw, 0xffffffff80000000, 0x7fffffff, 1
	TEST_RR 38, addw, 0x23456789, 0x123456789, 0
	TEST_RR 39, subw, -1, 0, 1
	TEST_RR 40, subw, 0x7fffffff, 0xffffffff80000000, 1
	TEST_RR 41, addw, 0, 0xffffffff, 1
	TEST_RI 42, addiw, 0xffffffff80000000, 0x7fffffff, 1
	TEST_RI 43, addiw, -1, 0xffffffff, 0		/* sext.w */
	TEST_RI 44, addiw, 0x7ffff7ff, 0x17fffffff, -2048
	TEST_RR 45, sllw, 0xffffffff80000000, 1, 31
	TEST_RR 46, sllw, 1, 1, 32		/* amount is rs2[4:0] */
	TEST_RR 47, srlw, 1, 0xffffffff80000000, 31
	TEST_RR 48, srlw, 0xffffffff80000000, 0x80000000, 0
	TEST_RR 49, srlw, 1, 0xffffffff00000001, 0	/* upper half ignored */
	TEST_RR 50, sraw, -1, 0x80000000, 31
	TEST_RR 51, sraw, 0xffffffffc0000000, 0x80000000, 33
	TEST_RR 52, srlw, 0x40000000, 0x80000000, 33
	TEST_RI 53, slliw, 0xffffffff80000000, 0xffffffff00000001, 31
	TEST_RI 54, srliw, 0xffffffff80000000, 0x80000000, 0
	TEST_RI 55, srliw, 0x40000000, 0xffffffff80000000, 1
	TEST_RI 56, sraiw, 0, 0x7fffffff, 31
	TEST_RI 57, sraiw, 0xfffffffff8000000, 0x0000000080000000, 4
	TEST_RI 58, slliw, 0x12345670, 0xabcdef0001234567, 4

	/* lui: 20-bit immediate << 12, sign-extended from bit 31 */
	TEST_CASE 59
	lui	a0, 0x80000
	CHECK_EQ a0, 0xffffffff80000000
	TEST_CASE 60
	lui	a0, 0x7ffff
	CHECK_EQ a0, 0x7ffff000
	TEST_CASE 61
	lui	a0, 0xfffff
	CHECK_EQ a0, 0xfffffffffffff000

	/* auipc: pc of the auipc itself + imm << 12 */
	TEST_CASE 62
.Lauipc0:
	auipc	a0, 0
	lla	a1, .Lauipc0
	bne	a0, a1, fail
	TEST_CASE 63
.Lauipc1:
	auipc	a0, 1
	lla	a1, .Lauipc1
	sub	a0, a0, a1
	CHECK_EQ a0, 0x1000
	TEST_CASE 64
.Lauipc2:
	auipc	a0, 0xfffff		/* -0x1000 */
	lla	a1, .Lauipc2
	sub	a0, a0, a1
	CHECK_EQ a0, -0x1000
	TEST_CASE 65
.Lauipc3:
	auipc	a0, 0x80000		/* -2 GiB, sign-extended */
	lla	a1, .Lauipc3
	sub	a0, a0, a1
	CHECK_EQ a0, -0x80000000

	/* x0 is hard-wired to zero */
	TEST_CASE 66
	li	a0, 55
	addi	x0, x0, 5
	add	x0, a0, a0
	lui	x0, 0x12345
	add	a1, x0, x0
	bnez	a1, fail
	bnez	x0, fail
	TEST_CASE 67
	lla	a0, scratch
	li	a1, -1
	sd	a1, 0(a0)
	ld	x0, 0(a0)		/* the load happens, the write is dropped */
	mv	a1, x0
	bnez	a1, fail
	TEST_CASE 68
	auipc	x0, 1
	jal	x0, 1f			/* jal x0 = plain jump, no link */
1:	bnez	x0, fail

	/* rd == rs1 == rs2 */
	TEST_CASE 69
	li	a3, 21
	add	a3, a3, a3
	CHECK_EQ a3, 42
	TEST_CASE 70
	li	a3, 0x00ff
	sub	a3, a3, a3
	CHECK_EQ a3, 0

	/* immediates sign-extended to 64 bits */
	TEST_RI 71, addi, 0xfffffffffffff800, 0, -2048
	TEST_RI 72, xori, 0xffffffffffffff00, 0xff, -1
	TEST_RI 73, ori, 0xfffffffffffff800, 0, -2048

	j	pass

	.data
	.align	3
scratch: .dword 0
