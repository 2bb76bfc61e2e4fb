/* misc.S - Zicntr (cycle/time/instret advance, time matches the CLINT's
 * mtime, mcounteren/scounteren gate S/U access, minstret writable),
 * fences (all forms, reserved fields ignored), fence.i making freshly
 * written code visible, pause and other HINT encodings as no-ops.
 *
 * QEMU 7.2 stops at check 25: its instret is not an instruction count. */
#include "common.inc"

#define SPIN_LIMIT 20000000

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

	.text
test_main:
	/* ---- counters ---- */
	TEST_CASE 1				/* cycle advances */
	rdcycle	a0
	li	a2, 100
1:	addi	a2, a2, -1
	bnez	a2, 1b
	rdcycle	a1
	bleu	a1, a0, fail
	TEST_CASE 2				/* instret advances */
	rdinstret a0
	nop
	rdinstret a1
	bleu	a1, a0, fail
	TEST_CASE 3				/* time advances */
	rdtime	a0
	li	a2, SPIN_LIMIT
1:	rdtime	a1
	bne	a1, a0, 2f
	addi	a2, a2, -1
	bnez	a2, 1b
	j	fail
2:	bltu	a1, a0, fail
	TEST_CASE 4				/* time is mtime */
	li	a3, CLINT_MTIME
	ld	a0, 0(a3)
	rdtime	a1
	ld	a2, 0(a3)
	bltu	a1, a0, fail
	bltu	a2, a1, fail
	TEST_CASE 5				/* mcycle too */
	li	a1, 0x100000000
	csrw	mcycle, a1
	csrr	a0, mcycle
	bltu	a0, a1, fail
	rdcycle	a2				/* cycle is the same counter */
	bltu	a2, a0, fail

	/* ---- counter access from S and U ---- */
	csrw	mcounteren, zero
	csrw	scounteren, zero
	EXPECT_ILLEGAL_IN PRV_S, 6, rdcycle a0
	EXPECT_ILLEGAL_IN PRV_S, 7, rdtime a0
	EXPECT_ILLEGAL_IN PRV_S, 8, rdinstret a0
	li	a0, 7				/* CY, TM, IR */
	csrw	mcounteren, a0
	DO_IN	PRV_S, 9, rdcycle a0
	DO_IN	PRV_S, 10, rdtime a0
	DO_IN	PRV_S, 11, rdinstret a0
	EXPECT_ILLEGAL_IN PRV_U, 12, rdcycle a0	/* scounteren still 0 */
	EXPECT_ILLEGAL_IN PRV_U, 13, rdtime a0
	li	a0, 2				/* TM only */
	csrw	scounteren, a0
	DO_IN	PRV_U, 14, rdtime a0
	EXPECT_ILLEGAL_IN PRV_U, 15, rdinstret a0
	li	a0, 7
	csrw	scounteren, a0
	DO_IN	PRV_U, 16, rdinstret a0
	li	a0, 5				/* mcounteren.TM = 0 wins over scounteren */
	csrw	mcounteren, a0
	EXPECT_ILLEGAL_IN PRV_U, 17, rdtime a0
	TEST_CASE 18				/* a value read in U is sane */
	li	a0, 7
	csrw	mcounteren, a0
	rdtime	a2
	DO_IN	PRV_U, 18, rdtime a0
	bltu	a0, a2, fail
	csrw	mcounteren, zero
	csrw	scounteren, zero

	/* ---- fences ---- */
	TEST_CASE 19
	fence
	fence	rw, rw
	fence	r, r
	fence	w, w
	fence	i, o
	fence	iorw, iorw
	fence.tso
	.word	0x0ff1008f			/* fence with rd = x1, rs1 = x2: ignored */
	fence.i
	sfence.vma
	TEST_CASE 20				/* fence.i makes new code visible */
	lla	a1, patch_me
	lwu	a2, 0(a1)
	lla	a3, new_insn
	lwu	a3, 0(a3)
	jal	ra, patch_me			/* warm up any decode cache */
	CHECK_EQ a0, 1
	TEST_CASE 21
	sw	a3, 0(a1)
	fence.i
	jal	ra, patch_me
	CHECK_EQ a0, 2
	TEST_CASE 22				/* and back */
	sw	a2, 0(a1)
	fence.i
	jal	ra, patch_me
	CHECK_EQ a0, 1
	TEST_CASE 23				/* patch code on the same page as the store */
	lla	a1, 1f
	lla	a3, new_insn
	lwu	a3, 0(a3)
	sw	a3, 0(a1)
	fence.i
	.option	push
	.option	norvc
1:	li	a0, 1
	.option	pop
	CHECK_EQ a0, 2

	/* ---- hints run as no-ops ---- */
	TEST_CASE 24
	li	a0, 77
	pause
	.word	0x00500013			/* addi x0, x0, 5 */
	.word	0x00501013			/* slli x0, x0, 5 */
	.word	0x00a02013			/* slti x0, x0, 10 */
	.hword	0x0005				/* c.addi x0, 1 */
	.hword	0x4081				/* c.li x1, 0: not a hint, a real li */
	.hword	0x8006				/* c.mv x0, ra */
	CHECK_EQ a0, 77
	CHECK_EQ ra, 0

	/* QEMU 7.2 (TCG without icount) runs instret off a host clock, so
	 * these two come last */
	TEST_CASE 25				/* minstret is writable from M */
	csrw	minstret, zero
	csrr	a0, minstret
	li	a1, 8
	bgeu	a0, a1, fail
	TEST_CASE 26				/* instret counts retired instructions */
	rdinstret a0
	.rept	100
	nop
	.endr
	rdinstret a1
	sub	a1, a1, a0
	CHECK_EQ a1, 101

	TEST_CASE 27				/* an instruction across a page end */
	li	s2, 40
1:	jal	ra, cross_fn			/* often: translated, if ever */
	addi	s2, s2, -1
	bnez	s2, 1b
	CHECK_EQ a0, 1
	TEST_CASE 28				/* its second half rewritten */
	lla	a1, cross_page
	li	a2, 0x0020			/* li a0, 1 -> li a0, 2 */
	sh	a2, 0(a1)
	fence.i
	li	s2, 40
1:	jal	ra, cross_fn
	addi	s2, s2, -1
	bnez	s2, 1b
	CHECK_EQ a0, 2

	j	pass

	.option	push
	.option	norvc
	.balign	4
patch_me:
	li	a0, 1
	ret
new_insn:
	li	a0, 2
	.option	pop

	/* li a0, 1 (0x00100513) from 2 bytes before a page end to 2 after */
	.balign	4096
	.skip	4096 - 6
cross_fn:
	.hword	0x0001				/* c.nop */
	.hword	0x0001
	.hword	0x0513
cross_page:
	.hword	0x0010
	ret
