/* zicbo.S - Zicboz and Zicbom: cbo.zero clears exactly the naturally
 * aligned 64-byte block holding the address (any address inside it), the
 * management ops cbo.clean/flush/inval leave memory alone, and the
 * menvcfg/senvcfg enables: CBZE for cbo.zero, CBCFE for clean/flush, CBIE
 * for inval, from S-mode and U-mode. cbo.zero is a store for PMP.
 *
 * QEMU 7.2 cannot run this file (no Zicbom/Zicboz). */
#include "common.inc"

#define BLOCK 64

/* fill the three blocks of cbuf with 0xa5 bytes */
.macro FILL
	lla	a4, cbuf
	li	a5, 3 * BLOCK
	li	a6, 0xa5a5a5a5a5a5a5a5
.Lfill\@:
	sd	a6, 0(a4)
	addi	a4, a4, 8
	addi	a5, a5, -8
	bnez	a5, .Lfill\@
.endm

/* a0 = number of zero dwords in block k of cbuf; fail if block k is not
 * all `value` */
.macro BLOCK_IS k, value
	lla	a4, cbuf + \k * BLOCK
	li	a5, BLOCK
	li	a6, \value
.Lchk\@:
	ld	a7, 0(a4)
	bne	a7, a6, fail
	addi	a4, a4, 8
	addi	a5, a5, -8
	bnez	a5, .Lchk\@
.endm

/* Check n: `insn` in `mode` completes (then ecall back to M). */
.macro DO_IN mode, n, insn:vararg
	li	gp, \n
	TRAP_ARM .Lc\@
	ENTER_MODE \mode, .Li\@
.Li\@:	\insn
	ecall
.Lc\@:	li	s11, 8 + \mode
	bne	t5, s11, fail
.endm

/* one-instruction wrappers: `cbo.x (reg)` cannot be a macro argument */
.macro CBO_ZERO r
	cbo.zero (\r)
.endm
.macro CBO_CLEAN r
	cbo.clean (\r)
.endm
.macro CBO_FLUSH r
	cbo.flush (\r)
.endm
.macro CBO_INVAL r
	cbo.inval (\r)
.endm

	.text
test_main:
	csrw	CSR_MENVCFG, zero
	csrw	CSR_SENVCFG, zero

	/* ---- cbo.zero in M-mode ---- */
	TEST_CASE 1
	FILL
	lla	a1, cbuf + BLOCK + 13		/* inside the middle block */
	cbo.zero (a1)
	BLOCK_IS 0, 0xa5a5a5a5a5a5a5a5
	BLOCK_IS 1, 0
	BLOCK_IS 2, 0xa5a5a5a5a5a5a5a5
	TEST_CASE 2				/* last byte of a block */
	FILL
	lla	a1, cbuf + 3 * BLOCK - 1
	cbo.zero (a1)
	BLOCK_IS 1, 0xa5a5a5a5a5a5a5a5
	BLOCK_IS 2, 0
	TEST_CASE 3				/* management ops: memory unchanged */
	FILL
	lla	a1, cbuf + BLOCK
	cbo.clean (a1)
	cbo.flush (a1)
	cbo.inval (a1)
	BLOCK_IS 1, 0xa5a5a5a5a5a5a5a5
	TEST_CASE 4				/* a store then inval: still there */
	li	a0, 0x1234
	sd	a0, 8(a1)
	cbo.inval (a1)
	ld	a2, 8(a1)
	CHECK_EQ a2, 0x1234

	/* ---- S-mode: enabled by menvcfg ---- */
	lla	a1, cbuf + BLOCK
	EXPECT_ILLEGAL_IN PRV_S, 5, CBO_ZERO a1
	EXPECT_ILLEGAL_IN PRV_S, 6, CBO_CLEAN a1
	EXPECT_ILLEGAL_IN PRV_S, 7, CBO_FLUSH a1
	EXPECT_ILLEGAL_IN PRV_S, 8, CBO_INVAL a1
	TEST_CASE 9
	FILL
	li	a0, MENVCFG_CBZE
	csrs	CSR_MENVCFG, a0
	DO_IN	PRV_S, 9, CBO_ZERO a1
	BLOCK_IS 1, 0
	BLOCK_IS 0, 0xa5a5a5a5a5a5a5a5
	li	a0, MENVCFG_CBCFE
	csrs	CSR_MENVCFG, a0
	DO_IN	PRV_S, 10, CBO_CLEAN a1
	DO_IN	PRV_S, 11, CBO_FLUSH a1
	EXPECT_ILLEGAL_IN PRV_S, 12, CBO_INVAL a1	/* CBIE still 00 */
	li	a0, 0x10			/* CBIE = 01: inval runs as flush */
	csrs	CSR_MENVCFG, a0
	DO_IN	PRV_S, 13, CBO_INVAL a1
	li	a0, 0x30			/* CBIE = 11: inval */
	csrs	CSR_MENVCFG, a0
	DO_IN	PRV_S, 14, CBO_INVAL a1
	BLOCK_IS 1, 0

	/* ---- U-mode: needs senvcfg too ---- */
	FILL
	EXPECT_ILLEGAL_IN PRV_U, 15, CBO_ZERO a1
	EXPECT_ILLEGAL_IN PRV_U, 16, CBO_CLEAN a1
	EXPECT_ILLEGAL_IN PRV_U, 17, CBO_INVAL a1
	TEST_CASE 18
	li	a0, MENVCFG_CBZE | MENVCFG_CBCFE | 0x30
	csrs	CSR_SENVCFG, a0
	csrr	a2, CSR_SENVCFG
	and	a2, a2, a0
	bne	a2, a0, fail
	DO_IN	PRV_U, 18, CBO_ZERO a1
	BLOCK_IS 1, 0
	DO_IN	PRV_U, 19, CBO_FLUSH a1
	DO_IN	PRV_U, 20, CBO_INVAL a1
	TEST_CASE 21				/* senvcfg alone is not enough */
	li	a0, MENVCFG_CBZE
	csrc	CSR_MENVCFG, a0
	EXPECT_ILLEGAL_IN PRV_U, 21, CBO_ZERO a1

	/* ---- cbo.zero is a store: PMP read-only block faults ---- */
	TEST_CASE 22
	li	a0, MENVCFG_CBZE
	csrs	CSR_MENVCFG, a0
	lla	a1, cbuf + 2 * BLOCK
	srli	a0, a1, 2
	ori	a0, a0, (BLOCK / 8) - 1		/* NAPOT, 64 bytes */
	csrw	pmpaddr0, a0
	li	a0, -1
	csrw	pmpaddr1, a0
	li	a0, (PMP_NAPOT | PMP_R) | (PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 8
	csrw	pmpcfg0, a0
	FILL
	li	gp, 22
	TRAP_ARM 2f
	ENTER_MODE PRV_S, 1f
1:	cbo.zero (a1)
	j	fail
2:	CHECK_EQ t5, CAUSE_STORE_ACCESS
	BLOCK_IS 2, 0xa5a5a5a5a5a5a5a5
	li	a0, -1				/* back to the startup PMP setup */
	csrw	pmpaddr0, a0
	li	a0, PMP_NAPOT | PMP_R | PMP_W | PMP_X
	csrw	pmpcfg0, a0

	j	pass

	.data
	.balign	64
cbuf:	.skip	3 * BLOCK
