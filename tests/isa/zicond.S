/* zicond.S - Zicond: czero.eqz / czero.nez, full 64-bit condition test,
 * x0 as condition, register overlap, and the branchless select idiom.
 *
 * binutils 2.40 does not know Zicond, so the instructions are emitted with
 * .insn (OP opcode, funct7 0000111, funct3 101 = eqz, 111 = nez).
 * QEMU 7.2 cannot run this file (no Zicond). Its logic was cross-checked on
 * QEMU by building with -DZICOND_AS_VENTANA, which substitutes XVentanaCondOps
 * vt.maskc/vt.maskcn (same semantics, custom-3 encoding) and running with
 * -cpu rv64,xventanacondops=true. */
#include "common.inc"

#ifdef ZICOND_AS_VENTANA
.macro czero_eqz rd, rs1, rs2
	.insn	r 0x7b, 6, 0, \rd, \rs1, \rs2	/* vt.maskc */
.endm
.macro czero_nez rd, rs1, rs2
	.insn	r 0x7b, 7, 0, \rd, \rs1, \rs2	/* vt.maskcn */
.endm
#else
.macro czero_eqz rd, rs1, rs2
	.insn	r 0x33, 5, 7, \rd, \rs1, \rs2
.endm
.macro czero_nez rd, rs1, rs2
	.insn	r 0x33, 7, 7, \rd, \rs1, \rs2
.endm
#endif

	.text
test_main:

	/* czero_eqz: rd = (rs2 == 0) ? 0 : rs1 */
	TEST_RR   1, czero_eqz, 0x0, 0x1234, 0
	TEST_RR   2, czero_eqz, 0x1234, 0x1234, 1
	TEST_RR   3, czero_eqz, 0xffffffffffffffff, -1, 0x8000000000000000
	TEST_RR   4, czero_eqz, 0xffffffffffffffff, -1, 0x100000000
	TEST_RR   5, czero_eqz, 0x0, 0, 5
	TEST_RR   6, czero_eqz, 0x8000000000000000, 0x8000000000000000, -1

	/* czero_nez: rd = (rs2 != 0) ? 0 : rs1 */
	TEST_RR   7, czero_nez, 0x1234, 0x1234, 0
	TEST_RR   8, czero_nez, 0x0, 0x1234, 1
	TEST_RR   9, czero_nez, 0x0, -1, 0x8000000000000000
	TEST_RR  10, czero_nez, 0x0, -1, 0x100000000
	TEST_RR  11, czero_nez, 0xffffffffffffffff, -1, 0
	TEST_RR  12, czero_nez, 0x8000000000000000, 0x8000000000000000, 0

	/* x0 as the condition: eqz always gives 0, nez always passes rs1 */
	TEST_CASE 13
	li	a1, 0x55
	czero_eqz a0, a1, zero
	CHECK_EQ a0, 0
	TEST_CASE 14
	czero_nez a0, a1, zero
	CHECK_EQ a0, 0x55
	/* rd == rs1 == rs2 */
	TEST_CASE 15
	li	a0, 0x77
	czero_eqz a0, a0, a0
	CHECK_EQ a0, 0x77
	TEST_CASE 16
	czero_nez a0, a0, a0
	CHECK_EQ a0, 0
	/* rd == rs2: condition read before the write */
	TEST_CASE 17
	li	a1, 9
	li	a2, 0
	czero_nez a2, a1, a2
	CHECK_EQ a2, 9
	/* select: r = c ? x : y */
	TEST_CASE 18
	li	a1, 111				/* x */
	li	a2, 222				/* y */
	li	a3, 4				/* c != 0 */
	czero_eqz a4, a1, a3
	czero_nez a5, a2, a3
	or	a0, a4, a5
	CHECK_EQ a0, 111
	TEST_CASE 19
	li	a3, 0				/* c == 0 */
	czero_eqz a4, a1, a3
	czero_nez a5, a2, a3
	or	a0, a4, a5
	CHECK_EQ a0, 222

	j	pass
