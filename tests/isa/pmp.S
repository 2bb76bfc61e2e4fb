/* pmp.S - physical memory protection: all 16 pmpaddr registers and the
 * RV64 pmpcfg0/pmpcfg2 layout, NAPOT (4 KiB and 8 bytes), NA4 and TOR
 * regions, lowest-numbered match wins, accesses only partially inside a
 * region fail, S/U denied where no entry matches (once entries are active),
 * M-mode unrestricted except by locked entries, MPRV using MPP's privilege,
 * locked entries ignoring writes (and locking pmpaddr i-1 under TOR), and
 * the fault causes 1/5/7 with mtval = the address.
 *
 * Layout of the test pages (all in .pages, after code and data):
 *   pageA  e0  NAPOT 4 KiB, R
 *   pageB  e2  TOR [pageB, pageC) (e1 = base, OFF), RW
 *   pageC  e3  NA4 at pageC+8, no access; e6 NAPOT 8 bytes at pageC+32
 *   pageE  e4  NAPOT 4 KiB, locked, R     (set up last)
 *   pageF  e5  NAPOT 4 KiB, locked, none  (set up last)
 *   pageD      beyond e15 = TOR [RAM base, pageD) RWX: matches nothing */
#include "common.inc"

#define RAM_BASE 0x80000000
#define NAPOT_4K(base) (((base) >> 2) | 0x1ff)

/* Set the configuration byte of PMP entry idx (0-15). */
.macro SET_PMPCFG idx, cfg
	.if \idx < 8
	li	a0, 0xff << (8 * \idx)
	csrc	pmpcfg0, a0
	li	a0, (\cfg) << (8 * \idx)
	csrs	pmpcfg0, a0
	.else
	li	a0, 0xff << (8 * (\idx - 8))
	csrc	pmpcfg2, a0
	li	a0, (\cfg) << (8 * (\idx - 8))
	csrs	pmpcfg2, a0
	.endif
.endm

/* Check n: `insn` (using address a1) in `mode` must trap with `cause` and
 * mtval = a1. */
.macro EXPECT_AF mode, n, cause, insn:vararg
	li	gp, \n
	TRAP_ARM .Lc\@
	ENTER_MODE \mode, .Li\@
.Li\@:	\insn
	j	fail
.Lc\@:	li	s11, \cause
	bne	t5, s11, fail
	bne	t6, a1, fail
.endm

/* Check n: `insn` in `mode` completes (then ecall back to M). */
.macro DO_IN mode, n, insn:vararg
	li	gp, \n
	TRAP_ARM .Lc\@
	ENTER_MODE \mode, .Li\@
.Li\@:	\insn
	ecall
.Lc\@:	li	s11, 8 + \mode			/* ecall from U = 8, S = 9 */
	bne	t5, s11, fail
.endm

	.text
test_main:
	/* ---- 16 entries, RV64 register layout ---- */
	TEST_CASE 1
	csrw	pmpcfg0, zero			/* everything OFF while probing */
	csrw	pmpcfg2, zero
	li	a1, 0x20000000			/* = 0x80000000 >> 2 */
	csrw	pmpaddr0, a1
	csrw	pmpaddr1, a1
	csrw	pmpaddr2, a1
	csrw	pmpaddr3, a1
	csrw	pmpaddr4, a1
	csrw	pmpaddr5, a1
	csrw	pmpaddr6, a1
	csrw	pmpaddr7, a1
	csrw	pmpaddr8, a1
	csrw	pmpaddr9, a1
	csrw	pmpaddr10, a1
	csrw	pmpaddr11, a1
	csrw	pmpaddr12, a1
	csrw	pmpaddr13, a1
	csrw	pmpaddr14, a1
	csrw	pmpaddr15, a1
	csrr	a0, pmpaddr0
	bne	a0, a1, fail
	csrr	a0, pmpaddr7
	bne	a0, a1, fail
	csrr	a0, pmpaddr8
	bne	a0, a1, fail
	csrr	a0, pmpaddr15
	bne	a0, a1, fail
	TEST_CASE 2				/* entries 8-15 live in pmpcfg2 */
	li	a1, (PMP_NAPOT | PMP_R) << 56
	csrw	pmpcfg2, a1
	csrr	a0, pmpcfg2
	bne	a0, a1, fail
	csrw	pmpcfg2, zero
	EXPECT_ILLEGAL 3, csrr a0, pmpcfg1	/* odd pmpcfg do not exist on RV64 */
	EXPECT_ILLEGAL 4, csrr a0, pmpcfg3

	/* ---- the regions ---- */
	lla	s0, pageA
	lla	s1, pageB
	lla	s2, pageC
	lla	s3, pageD
	lla	s4, pageE
	lla	s5, pageF
	srli	a0, s0, 2
	ori	a0, a0, 0x1ff
	csrw	pmpaddr0, a0
	srli	a0, s1, 2
	csrw	pmpaddr1, a0
	li	a0, 4096
	add	a0, s1, a0
	srli	a0, a0, 2
	csrw	pmpaddr2, a0
	addi	a0, s2, 8
	srli	a0, a0, 2
	csrw	pmpaddr3, a0
	addi	a0, s2, 32
	srli	a0, a0, 2			/* NAPOT, 8 bytes: ...y0 */
	csrw	pmpaddr6, a0
	li	a0, RAM_BASE >> 2
	csrw	pmpaddr14, a0
	srli	a0, s3, 2
	csrw	pmpaddr15, a0
	li	a2, (PMP_NAPOT | PMP_R) | (PMP_TOR | PMP_R | PMP_W) << 16 | (PMP_NA4) << 24 | (PMP_NAPOT) << 48
	csrw	pmpcfg0, a2
	li	a3, (PMP_TOR | PMP_R | PMP_W | PMP_X) << 56
	csrw	pmpcfg2, a3

	TEST_CASE 5				/* the configuration reads back */
	csrr	a1, pmpcfg0
	bne	a1, a2, fail
	csrr	a1, pmpcfg2
	bne	a1, a3, fail

	/* pageA: R only, for S and U */
	mv	a1, s0
	DO_IN	PRV_S, 6, ld a0, 0(a1)
	EXPECT_AF PRV_S, 7, CAUSE_STORE_ACCESS, sd a0, 0(a1)
	EXPECT_AF PRV_S, 8, CAUSE_STORE_ACCESS, amoadd.w a0, a0, (a1)
	EXPECT_AF PRV_S, 9, CAUSE_FETCH_ACCESS, jalr ra, 0(a1)
	DO_IN	PRV_U, 10, lw a0, 8(a1)
	EXPECT_AF PRV_U, 11, CAUSE_STORE_ACCESS, sw a0, 0(a1)
	TEST_CASE 12				/* unlocked entries do not bind M */
	li	a0, 0x4141
	sd	a0, 16(s0)
	ld	a2, 16(s0)
	bne	a0, a2, fail
	TEST_CASE 13				/* ... unless MPRV makes it an S access */
	li	a0, MSTATUS_MPP
	csrc	mstatus, a0
	li	a0, MSTATUS_MPRV | MSTATUS_MPP_S
	csrs	mstatus, a0
	TRAP_ARM 1f
	sd	a0, 0(a1)
	j	fail
1:	CHECK_EQ t5, CAUSE_STORE_ACCESS
	bne	t6, a1, fail

	/* pageB: TOR, RW */
	mv	a1, s1
	DO_IN	PRV_S, 14, sd a1, 0(a1)
	addi	a1, a1, 2044
	addi	a1, a1, 2044
	DO_IN	PRV_S, 15, ld a0, 0(a1)		/* last dword of the range */
	mv	a1, s1
	EXPECT_AF PRV_S, 16, CAUSE_FETCH_ACCESS, jalr ra, 0(a1)
	EXPECT_AF PRV_U, 17, CAUSE_FETCH_ACCESS, jalr ra, 0(a1)

	/* pageC: NA4 at +8 and NAPOT-8 at +32 forbid everything */
	addi	a1, s2, 8
	EXPECT_AF PRV_S, 18, CAUSE_LOAD_ACCESS, lw a0, 0(a1)
	EXPECT_AF PRV_S, 19, CAUSE_STORE_ACCESS, sb a0, 0(a1)
	addi	a1, s2, 4
	DO_IN	PRV_S, 20, lw a0, 0(a1)		/* neighbours are fine (via e15) */
	DO_IN	PRV_S, 21, lw a0, 8(a1)
	/* an 8-byte access half inside the NA4 region fails */
	EXPECT_AF PRV_S, 22, CAUSE_LOAD_ACCESS, ld a0, 0(a1)
	addi	a1, s2, 32
	EXPECT_AF PRV_S, 23, CAUSE_LOAD_ACCESS, lw a0, 0(a1)
	addi	a1, s2, 36
	EXPECT_AF PRV_S, 24, CAUSE_LOAD_ACCESS, lw a0, 0(a1)
	addi	a1, s2, 40
	DO_IN	PRV_S, 25, lw a0, 0(a1)

	/* pageD: no entry matches: S/U denied, M allowed */
	mv	a1, s3
	EXPECT_AF PRV_S, 26, CAUSE_LOAD_ACCESS, ld a0, 0(a1)
	EXPECT_AF PRV_S, 27, CAUSE_STORE_ACCESS, sd a0, 0(a1)
	EXPECT_AF PRV_U, 28, CAUSE_LOAD_ACCESS, lbu a0, 0(a1)
	EXPECT_AF PRV_S, 29, CAUSE_FETCH_ACCESS, jalr ra, 0(a1)
	TEST_CASE 30
	li	a0, 0x4444
	sd	a0, 0(s3)
	ld	a2, 0(s3)
	bne	a0, a2, fail

	/* ---- locked entries (stay locked until reset: keep these last) ---- */
	srli	a0, s4, 2
	ori	a0, a0, 0x1ff
	csrw	pmpaddr4, a0
	srli	a0, s5, 2
	ori	a0, a0, 0x1ff
	csrw	pmpaddr5, a0
	SET_PMPCFG 4, PMP_L | PMP_NAPOT | PMP_R
	SET_PMPCFG 5, PMP_L | PMP_NAPOT
	TEST_CASE 31				/* locked R: M may read ... */
	ld	a0, 0(s4)
	mv	a1, s4
	EXPECT_TRAP 32, CAUSE_STORE_ACCESS, sd a0, 0(a1)	/* ... not write */
	bne	t6, a1, fail
	mv	a1, s5
	EXPECT_TRAP 33, CAUSE_LOAD_ACCESS, ld a0, 0(a1)	/* locked, no access */
	bne	t6, a1, fail
	EXPECT_TRAP 34, CAUSE_FETCH_ACCESS, jalr ra, 0(a1)
	bne	t6, a1, fail
	mv	a1, s4
	EXPECT_AF PRV_S, 35, CAUSE_STORE_ACCESS, sd a0, 0(a1)
	TEST_CASE 36				/* locked pmpaddr4 ignores writes */
	csrr	a2, pmpaddr4
	csrw	pmpaddr4, zero
	csrr	a0, pmpaddr4
	bne	a0, a2, fail
	TEST_CASE 37				/* locked cfg byte ignores writes ... */
	li	a0, 0xff << 32
	csrc	pmpcfg0, a0
	csrr	a0, pmpcfg0
	srli	a0, a0, 32
	andi	a0, a0, 0xff
	CHECK_EQ a0, PMP_L | PMP_NAPOT | PMP_R
	TEST_CASE 38				/* ... while unlocked bytes still change */
	SET_PMPCFG 0, PMP_NAPOT | PMP_R | PMP_W
	csrr	a0, pmpcfg0
	andi	a1, a0, 0xff
	CHECK_EQ a1, PMP_NAPOT | PMP_R | PMP_W
	srli	a0, a0, 32
	andi	a0, a0, 0xff
	CHECK_EQ a0, PMP_L | PMP_NAPOT | PMP_R
	mv	a1, s0				/* pageA is writable for S now */
	DO_IN	PRV_S, 38, sd a0, 0(a1)
	TEST_CASE 39				/* locking a TOR entry locks pmpaddr i-1 */
	SET_PMPCFG 2, PMP_L | PMP_TOR | PMP_R | PMP_W
	csrr	a2, pmpaddr1
	csrw	pmpaddr1, zero
	csrr	a0, pmpaddr1
	bne	a0, a2, fail

	j	pass

	.section .pages, "aw", @nobits
	.balign	4096
pageA:	.skip	4096
pageB:	.skip	4096
pageC:	.skip	4096
pageE:	.skip	4096
pageF:	.skip	4096
pageD:	.skip	4096
