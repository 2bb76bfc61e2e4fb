/* rv64i_mem.S - RV64I loads and stores: every width, sign vs zero
 * extension, offsets at the 12-bit limits, partial stores leaving the
 * neighbouring bytes alone, rd == base, and misaligned accesses. Misaligned
 * loads/stores may either complete correctly or trap with cause 4/6 (load/
 * store address misaligned) and mtval = the address; both are accepted, but
 * the outcome must be right. */
#include "common.inc"

/* Check n: `inst a0, off(a1)` with a1 = &ldata gives expected. */
.macro TEST_LD n, inst, off, expected
	li	gp, \n
	lla	a1, ldata
	\inst	a0, \off(a1)
	li	s11, \expected
	bne	a0, s11, fail
.endm

/* Check n: misaligned load at ldata + off: either the right value or a
 * load-address-misaligned trap with mtval = address. */
.macro TEST_MISALIGNED_LD n, inst, off, expected
	li	gp, \n
	lla	a1, ldata
	addi	a1, a1, \off
	TRAP_ARM .Ltrap\@
	\inst	a0, 0(a1)
	TRAP_DISARM
	li	s11, \expected
	bne	a0, s11, fail
	j	.Ldone\@
.Ltrap\@:
	li	s11, CAUSE_MISALIGNED_LOAD
	bne	t5, s11, fail
	bne	t6, a1, fail
.Ldone\@:
.endm

/* Check n: misaligned store of `value` to sbuf + off: afterwards the two
 * dwords at sbuf must equal exp_lo/exp_hi, or the store trapped (cause 6,
 * mtval = address) and memory is unchanged (all ones). */
.macro TEST_MISALIGNED_ST n, inst, off, value, exp_lo, exp_hi
	li	gp, \n
	lla	a1, sbuf
	li	a2, -1
	sd	a2, 0(a1)
	sd	a2, 8(a1)
	li	a2, \value
	addi	a3, a1, \off
	TRAP_ARM .Ltrap\@
	\inst	a2, 0(a3)
	TRAP_DISARM
	ld	a0, 0(a1)
	li	s11, \exp_lo
	bne	a0, s11, fail
	ld	a0, 8(a1)
	li	s11, \exp_hi
	bne	a0, s11, fail
	j	.Ldone\@
.Ltrap\@:
	li	s11, CAUSE_MISALIGNED_STORE
	bne	t5, s11, fail
	bne	t6, a3, fail
	ld	a0, 0(a1)
	li	s11, -1
	bne	a0, s11, fail
	ld	a0, 8(a1)
	bne	a0, s11, fail
.Ldone\@:
.endm

	.text
test_main:
	/* ldata bytes: 88 97 a6 b5 c4 d3 e2 f1 | 08 07 06 05 04 03 02 01 */
	TEST_LD  1, lb,  0, 0xffffffffffffff88
	TEST_LD  2, lbu, 0, 0x88
	TEST_LD  3, lb,  7, 0xfffffffffffffff1
	TEST_LD  4, lb,  8, 0x08
	TEST_LD  5, lbu, 15, 0x01
	TEST_LD  6, lh,  0, 0xffffffffffff9788
	TEST_LD  7, lhu, 0, 0x9788
	TEST_LD  8, lh,  6, 0xfffffffffffff1e2
	TEST_LD  9, lh,  8, 0x0708
	TEST_LD 10, lhu, 14, 0x0102
	TEST_LD 11, lw,  0, 0xffffffffb5a69788
	TEST_LD 12, lwu, 0, 0xb5a69788
	TEST_LD 13, lw,  4, 0xfffffffff1e2d3c4
	TEST_LD 14, lw,  8, 0x05060708
	TEST_LD 15, lwu, 12, 0x01020304
	TEST_LD 16, ld,  0, 0xf1e2d3c4b5a69788
	TEST_LD 17, ld,  8, 0x0102030405060708

	/* negative and maximal offsets */
	TEST_CASE 18
	lla	a1, ldata + 8
	ld	a0, -8(a1)
	CHECK_EQ a0, 0xf1e2d3c4b5a69788
	TEST_CASE 19
	lla	a1, ldata - 2047
	lbu	a0, 2047(a1)
	CHECK_EQ a0, 0x88
	TEST_CASE 20
	lla	a1, ldata + 2048 + 8
	ld	a0, -2048(a1)
	CHECK_EQ a0, 0x0102030405060708

	/* rd == base register */
	TEST_CASE 21
	lla	a0, ldata
	ld	a0, 8(a0)
	CHECK_EQ a0, 0x0102030405060708

	/* stores write exactly their width */
	TEST_CASE 22
	lla	a1, sbuf
	li	a2, -1
	sd	a2, 0(a1)
	sd	a2, 8(a1)
	li	a2, 0x1122334455667788
	sb	a2, 1(a1)
	ld	a0, 0(a1)
	CHECK_EQ a0, 0xffffffffffff88ff
	TEST_CASE 23
	sh	a2, 4(a1)
	ld	a0, 0(a1)
	CHECK_EQ a0, 0xffff7788ffff88ff
	TEST_CASE 24
	sw	a2, 8(a1)
	ld	a0, 8(a1)
	CHECK_EQ a0, 0xffffffff55667788
	TEST_CASE 25
	sd	a2, 0(a1)
	ld	a0, 0(a1)
	CHECK_EQ a0, 0x1122334455667788
	ld	a0, 8(a1)
	CHECK_EQ a0, 0xffffffff55667788
	/* store then read back narrower / wider */
	TEST_CASE 26
	li	a2, 0x80
	sb	a2, 15(a1)
	lb	a0, 15(a1)
	CHECK_EQ a0, -128
	TEST_CASE 27
	ld	a0, 8(a1)
	CHECK_EQ a0, 0x80ffffff55667788
	TEST_CASE 28
	li	a2, 0x8000
	sh	a2, 2(a1)
	lh	a0, 2(a1)
	CHECK_EQ a0, -32768
	lhu	a0, 2(a1)
	CHECK_EQ a0, 0x8000
	TEST_CASE 29
	sw	zero, 0(a1)		/* storing x0 stores zeros */
	ld	a0, 0(a1)
	CHECK_EQ a0, 0x1122334400000000
	TEST_CASE 30
	sd	a2, -8(a1)		/* negative offset store */
	ld	a0, -8(a1)
	CHECK_EQ a0, 0x8000
	/* store with a maximal positive offset */
	TEST_CASE 31
	lla	a3, sbuf - 2047
	li	a2, 0x5a
	sb	a2, 2047(a3)
	lbu	a0, 0(a1)
	CHECK_EQ a0, 0x5a

	/* misaligned loads (work or trap 4 with mtval) */
	TEST_MISALIGNED_LD 32, lh,  1, 0xffffffffffffa697
	TEST_MISALIGNED_LD 33, lhu, 7, 0x08f1
	TEST_MISALIGNED_LD 34, lw,  1, 0xffffffffc4b5a697
	TEST_MISALIGNED_LD 35, lw,  2, 0xffffffffd3c4b5a6
	TEST_MISALIGNED_LD 36, lwu, 3, 0xe2d3c4b5
	TEST_MISALIGNED_LD 37, lw,  6, 0x0708f1e2
	TEST_MISALIGNED_LD 38, ld,  1, 0x08f1e2d3c4b5a697
	TEST_MISALIGNED_LD 39, ld,  4, 0x05060708f1e2d3c4
	TEST_MISALIGNED_LD 40, ld,  7, 0x02030405060708f1
	/* misaligned stores (work or trap 6 with mtval, memory untouched) */
	TEST_MISALIGNED_ST 41, sh, 1, 0xa1b2, 0xffffffffffa1b2ff, -1
	TEST_MISALIGNED_ST 42, sh, 7, 0xa1b2, 0xb2ffffffffffffff, 0xffffffffffffffa1
	TEST_MISALIGNED_ST 43, sw, 2, 0x11223344, 0xffff11223344ffff, -1
	TEST_MISALIGNED_ST 44, sw, 5, 0x11223344, 0x223344ffffffffff, 0xffffffffffffff11
	TEST_MISALIGNED_ST 45, sd, 3, 0x0102030405060708, 0x0405060708ffffff, 0xffffffffff010203
	TEST_MISALIGNED_ST 46, sd, 8, 0x0102030405060708, -1, 0x0102030405060708

	/* misaligned doubleword spanning a 4 KiB page boundary */
	TEST_CASE 47
	lla	a1, pagebuf + 0x1000 - 4
	li	a2, 0x1111111122222222
	sw	a2, 0(a1)
	srli	a2, a2, 32
	sw	a2, 4(a1)
	TRAP_ARM 1f
	ld	a0, 0(a1)
	TRAP_DISARM
	CHECK_EQ a0, 0x1111111122222222
	j	2f
1:	CHECK_EQ t5, CAUSE_MISALIGNED_LOAD
	bne	t6, a1, fail
2:
	j	pass

	.data
	.align	3
	.dword	0			/* target of the -8 offset store */
sbuf:	.dword	0, 0
ldata:	.byte	0x88, 0x97, 0xa6, 0xb5, 0xc4, 0xd3, 0xe2, 0xf1
	.byte	0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01

	.section .pages, "aw", @nobits
	.align	12
pagebuf: .skip	0x2000
