/* interrupts.S - interrupts: machine timer (CLINT mtimecmp), machine
 * software (CLINT msip), supervisor software (mip.SSIP set by M, delegated
 * to S), Sstc (menvcfg.STCE + stimecmp), priorities when several are
 * pending (MSI > MTI > SEI > SSI > STI; MEI needs an interrupt controller
 * and is not covered), the global enable rules (mstatus.MIE/SIE gate only
 * their own mode; a lower privilege is always interruptible by a higher
 * one; delegated interrupts never fire in M), WFI waking up with MIE = 0,
 * and vectored mtvec.
 *
 * QEMU 7.2 stops at check 26: without AIA it takes the pending interrupt
 * with the lowest number first instead of the priority order, so those
 * checks (26-31) come last; all checks before pass on QEMU. */
#include "common.inc"

#define SPIN_LIMIT 20000000		/* iterations before a wait gives up */
#define FAR_FUTURE -1

.macro SET_MTIMECMP_FROM_NOW delta
	li	a0, CLINT_MTIME
	ld	a1, 0(a0)
	addi	a1, a1, \delta
	li	a0, CLINT_MTIMECMP
	sd	a1, 0(a0)
.endm

.macro SET_MTIMECMP value
	li	a0, CLINT_MTIMECMP
	li	a1, \value
	sd	a1, 0(a0)
.endm

.macro SET_MSIP value
	li	a0, CLINT_MSIP
	li	a1, \value
	sw	a1, 0(a0)
.endm

/* Spin until (csr & mask) != 0; fail after SPIN_LIMIT tries. */
.macro WAIT_CSR csr, mask
	li	a2, SPIN_LIMIT
	li	a3, \mask
.Lwait\@:
	csrr	a0, \csr
	and	a0, a0, a3
	bnez	a0, .Lok\@
	addi	a2, a2, -1
	bnez	a2, .Lwait\@
	j	fail
.Lok\@:
.endm

/* Spin a while with nothing expected to happen. */
.macro IDLE
	li	a2, 2000
.Lidle\@:
	addi	a2, a2, -1
	bnez	a2, .Lidle\@
.endm

	.text
test_main:
	SET_MTIMECMP FAR_FUTURE
	SET_MSIP 0
	csrw	mie, zero
	csrw	mideleg, zero

	/* ---- machine timer ---- */
	TEST_CASE 1				/* mtimecmp in the future: no MTIP */
	csrr	a0, mip
	andi	a0, a0, MIP_MTIP
	CHECK_EQ a0, 0
	TEST_CASE 2				/* mtime runs and reaches mtimecmp */
	li	a0, CLINT_MTIME
	ld	a1, 0(a0)
	IDLE
	ld	a2, 0(a0)
	bleu	a2, a1, fail
	SET_MTIMECMP_FROM_NOW 100
	WAIT_CSR mip, MIP_MTIP
	TEST_CASE 3				/* MTIE but MIE = 0 in M: nothing */
	li	a0, MIP_MTIP
	csrs	mie, a0
	IDLE
	TEST_CASE 4				/* MIE = 1: taken at once */
	TRAP_ARM 2f
	csrsi	mstatus, MSTATUS_MIE
1:	j	fail
2:	CHECK_EQ t5, CAUSE_INTR | IRQ_MTI
	lla	a0, 1b				/* mepc = next instruction */
	bne	t4, a0, fail
	csrr	a0, mstatus			/* catcher left MIE = 0 */
	andi	a0, a0, MSTATUS_MIE
	CHECK_EQ a0, 0
	TEST_CASE 5				/* moving mtimecmp clears MTIP */
	SET_MTIMECMP FAR_FUTURE
	csrr	a0, mip
	andi	a0, a0, MIP_MTIP
	CHECK_EQ a0, 0
	csrw	mie, zero

	/* ---- machine software interrupt ---- */
	TEST_CASE 6
	SET_MSIP 1
	WAIT_CSR mip, MIP_MSIP
	li	a0, MIP_MSIP
	csrs	mie, a0
	TRAP_ARM 2f
	csrsi	mstatus, MSTATUS_MIE
	j	fail
2:	CHECK_EQ t5, CAUSE_INTR | IRQ_MSI
	TEST_CASE 7				/* MSIP follows the CLINT register */
	li	a0, CLINT_MSIP
	lw	a1, 0(a0)
	CHECK_EQ a1, 1
	SET_MSIP 0
	csrr	a0, mip
	andi	a0, a0, MIP_MSIP
	CHECK_EQ a0, 0

	/* M interrupts are always enabled below M, whatever mstatus.MIE */
	TEST_CASE 8
	SET_MSIP 1
	WAIT_CSR mip, MIP_MSIP
	li	a0, MSTATUS_MPIE		/* mret leaves MIE = 0 */
	csrc	mstatus, a0
	TRAP_ARM 2f
	ENTER_MODE PRV_S, 1f
1:	j	fail
2:	CHECK_EQ t5, CAUSE_INTR | IRQ_MSI
	lla	a0, 1b
	bne	t4, a0, fail
	TEST_CASE 9				/* and in U */
	li	a0, MSTATUS_MPIE
	csrc	mstatus, a0
	TRAP_ARM 2f
	ENTER_MODE PRV_U, 1f
1:	j	fail
2:	CHECK_EQ t5, CAUSE_INTR | IRQ_MSI
	SET_MSIP 0
	TEST_CASE 10				/* a timer interrupt out of U-mode */
	li	a0, MIP_MTIP
	csrw	mie, a0
	TRAP_ARM 2f
	ENTER_MODE PRV_U, 1f
1:	SET_MTIMECMP_FROM_NOW 50		/* U can reach the CLINT (PMP entry 0) */
3:	j	3b
2:	CHECK_EQ t5, CAUSE_INTR | IRQ_MTI
	SET_MTIMECMP FAR_FUTURE
	csrw	mie, zero

	/* ---- supervisor software interrupt, delegated to S ---- */
	TEST_CASE 11
	li	a0, MIP_SSIP
	csrw	mideleg, a0
	csrw	mie, a0				/* = sie.SSIE */
	csrs	mip, a0				/* M raises SSIP */
	csrsi	mstatus, MSTATUS_MIE		/* delegated: never taken in M */
	IDLE
	csrci	mstatus, MSTATUS_MIE
	TEST_CASE 12				/* S with SIE = 0: held off */
	csrci	sstatus, MSTATUS_SIE
	TRAP_ARM 2f
	ENTER_MODE PRV_S, 1f
1:	IDLE
	csrr	a0, sip
	andi	a0, a0, MIP_SSIP
	beqz	a0, fail
	TEST_CASE 13				/* S with SIE = 1: taken in S */
	STRAP_ARM 3f
	csrsi	sstatus, MSTATUS_SIE
	j	fail
3:	li	s11, CAUSE_INTR | IRQ_SSI
	bne	t5, s11, fail			/* scause */
	csrci	sip, MIP_SSIP			/* S clears its own SSIP */
	csrr	a0, sip
	andi	a0, a0, MIP_SSIP
	bnez	a0, fail
	ecall
2:	CHECK_EQ t5, CAUSE_ECALL_S
	TEST_CASE 14				/* in U it fires even with SIE = 0 */
	li	a0, MIP_SSIP
	csrs	mip, a0
	csrci	sstatus, MSTATUS_SIE
	STRAP_ARM 3f
	TRAP_ARM 2f
	ENTER_MODE PRV_U, 1f
1:	j	fail
3:	li	s11, CAUSE_INTR | IRQ_SSI
	bne	t5, s11, fail
	csrr	a0, sstatus			/* came from U */
	andi	a0, a0, MSTATUS_SPP
	bnez	a0, fail
	csrci	sip, MIP_SSIP
	ecall
2:	CHECK_EQ t5, CAUSE_ECALL_S
	TEST_CASE 15				/* not delegated: SSI goes to M */
	csrw	mideleg, zero
	li	a0, MIP_SSIP
	csrs	mip, a0
	TRAP_ARM 2f
	csrsi	mstatus, MSTATUS_MIE
	j	fail
2:	CHECK_EQ t5, CAUSE_INTR | IRQ_SSI
	li	a0, MIP_SSIP
	csrc	mip, a0
	csrw	mie, zero

	/* ---- WFI: wakes on pending & enabled even with MIE = 0 ---- */
	TEST_CASE 16
	li	a0, MIP_MTIP
	csrw	mie, a0
	SET_MTIMECMP_FROM_NOW 1000		/* 100 us */
	wfi
	WAIT_CSR mip, MIP_MTIP			/* (wfi may also return early) */
	TEST_CASE 17				/* with MTIP already pending: no wait */
	wfi
	csrr	a0, mstatus
	andi	a0, a0, MSTATUS_MIE
	CHECK_EQ a0, 0
	SET_MTIMECMP FAR_FUTURE
	csrw	mie, zero

	/* ---- vectored mtvec: interrupts go to base + 4 * cause ---- */
	TEST_CASE 18
	lla	a0, vectors
	ori	a0, a0, 1
	csrw	mtvec, a0
	csrr	a1, mtvec
	bne	a0, a1, fail
	li	t3, -1
	li	a0, MIP_MSIP
	csrw	mie, a0
	SET_MSIP 1
	TRAP_ARM 2f
	csrsi	mstatus, MSTATUS_MIE
	j	fail
2:	CHECK_EQ t5, CAUSE_INTR | IRQ_MSI
	CHECK_EQ t3, IRQ_MSI
	SET_MSIP 0
	csrw	mie, zero
	TEST_CASE 19				/* exceptions still use the base */
	li	t3, -1
	TRAP_ARM 2f
	ecall
	j	fail
2:	CHECK_EQ t5, CAUSE_ECALL_M
	CHECK_EQ t3, 0
	la	a0, trap_entry
	csrw	mtvec, a0

	/* ---- Sstc: stimecmp drives STIP when menvcfg.STCE = 1 ---- */
	/* STCE = 0: S may not touch stimecmp */
	li	a0, MENVCFG_STCE
	csrc	CSR_MENVCFG, a0
	csrsi	mcounteren, 2			/* TM: S may read time */
	EXPECT_ILLEGAL_IN PRV_S, 20, csrr a0, stimecmp
	TEST_CASE 21				/* STCE = 1 */
	li	a0, MENVCFG_STCE
	csrs	CSR_MENVCFG, a0
	li	a0, -1
	csrw	stimecmp, a0
	csrr	a1, stimecmp
	bne	a0, a1, fail
	csrr	a0, mip
	andi	a0, a0, MIP_STIP
	CHECK_EQ a0, 0
	TEST_CASE 22				/* mip.STIP is read-only then */
	li	a0, MIP_STIP
	csrs	mip, a0
	csrr	a0, mip
	andi	a0, a0, MIP_STIP
	CHECK_EQ a0, 0
	TEST_CASE 23				/* S arms its own timer */
	li	a0, MIP_STIP
	csrw	mideleg, a0
	csrw	mie, a0
	li	a0, MSTATUS_SIE
	csrc	sstatus, a0
	STRAP_ARM 3f
	TRAP_ARM 2f
	ENTER_MODE PRV_S, 1f
1:	csrr	a0, time
	addi	a0, a0, 100
	csrw	stimecmp, a0
	WAIT_CSR sip, MIP_STIP
	TEST_CASE 24
	csrsi	sstatus, MSTATUS_SIE
	j	fail
3:	li	s11, CAUSE_INTR | IRQ_STI
	bne	t5, s11, fail
	li	a0, -1				/* writing stimecmp clears STIP */
	csrw	stimecmp, a0
	csrr	a0, sip
	andi	a0, a0, MIP_STIP
	bnez	a0, fail
	ecall
2:	CHECK_EQ t5, CAUSE_ECALL_S
	TEST_CASE 25				/* not delegated: STI goes to M */
	csrw	mideleg, zero
	csrw	stimecmp, zero
	WAIT_CSR mip, MIP_STIP
	TRAP_ARM 2f
	csrsi	mstatus, MSTATUS_MIE
	j	fail
2:	CHECK_EQ t5, CAUSE_INTR | IRQ_STI
	li	a0, -1
	csrw	stimecmp, a0
	csrw	mie, zero
	li	a0, MENVCFG_STCE
	csrc	CSR_MENVCFG, a0

	/* ---- priorities: all pending at once, M-mode, nothing delegated.
	 * QEMU 7.2 takes the lowest-numbered one (SSI) first, so these are last. */
	TEST_CASE 26
	SET_MSIP 1
	SET_MTIMECMP 0
	li	a0, MIP_SEIP | MIP_SSIP | MIP_STIP
	csrs	mip, a0
	WAIT_CSR mip, MIP_MTIP
	WAIT_CSR mip, MIP_MSIP
	li	a0, MIP_MSIP | MIP_MTIP | MIP_SEIP | MIP_SSIP | MIP_STIP
	csrw	mie, a0
	TRAP_ARM 2f
	csrsi	mstatus, MSTATUS_MIE
	j	fail
2:	CHECK_EQ t5, CAUSE_INTR | IRQ_MSI
	SET_MSIP 0
	TEST_CASE 27
	TRAP_ARM 2f
	csrsi	mstatus, MSTATUS_MIE
	j	fail
2:	CHECK_EQ t5, CAUSE_INTR | IRQ_MTI
	SET_MTIMECMP FAR_FUTURE
	TEST_CASE 28
	TRAP_ARM 2f
	csrsi	mstatus, MSTATUS_MIE
	j	fail
2:	CHECK_EQ t5, CAUSE_INTR | IRQ_SEI
	li	a0, MIP_SEIP
	csrc	mip, a0
	TEST_CASE 29
	TRAP_ARM 2f
	csrsi	mstatus, MSTATUS_MIE
	j	fail
2:	CHECK_EQ t5, CAUSE_INTR | IRQ_SSI
	li	a0, MIP_SSIP
	csrc	mip, a0
	TEST_CASE 30
	TRAP_ARM 2f
	csrsi	mstatus, MSTATUS_MIE
	j	fail
2:	CHECK_EQ t5, CAUSE_INTR | IRQ_STI
	li	a0, MIP_STIP
	csrc	mip, a0
	TEST_CASE 31				/* all quiet again */
	csrr	a0, mip
	li	a1, MIP_MSIP | MIP_MTIP | MIP_SEIP | MIP_SSIP | MIP_STIP
	and	a0, a0, a1
	CHECK_EQ a0, 0
	csrw	mie, zero

	j	pass

/* vectored trap table: entry i records i in t3 and joins the catcher */
	.balign	256
	.option	push
	.option	norvc
vectors:
.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	j	vec_\n
.endr
	.option	pop
.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
vec_\n:
	li	t3, \n
	j	trap_entry
.endr
