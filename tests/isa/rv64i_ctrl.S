/* rv64i_ctrl.S - RV64I control transfer: every conditional branch taken and
 * not taken on signed/unsigned edge values, backward branches, jal/jalr link
 * values, jalr offsets, jalr clearing bit 0 of the target, rd == rs1 for
 * jalr, and long jumps. */
#include "common.inc"

/* Check n: `br v1, v2` must be taken. */
.macro TEST_BR_TAKEN n, br, v1, v2
	li	gp, \n
	li	a1, \v1
	li	a2, \v2
	\br	a1, a2, .Ltaken\@
	j	fail
.Ltaken\@:
.endm

/* Check n: `br v1, v2` must fall through. */
.macro TEST_BR_NOT n, br, v1, v2
	li	gp, \n
	li	a1, \v1
	li	a2, \v2
	\br	a1, a2, fail
.endm

	.text
test_main:
	TEST_BR_TAKEN  1, beq, -1, -1
	TEST_BR_NOT    2, beq, 0, 1
	TEST_BR_NOT    3, beq, 0x100000000, 0	/* all 64 bits compared */
	TEST_BR_TAKEN  4, bne, 0, 1
	TEST_BR_NOT    5, bne, 5, 5
	TEST_BR_TAKEN  6, bne, 0x8000000000000000, 0
	TEST_BR_TAKEN  7, blt, -1, 0
	TEST_BR_NOT    8, blt, 0, -1
	TEST_BR_NOT    9, blt, 3, 3
	TEST_BR_TAKEN 10, blt, 0x8000000000000000, 0x7fffffffffffffff
	TEST_BR_TAKEN 11, bge, 3, 3
	TEST_BR_TAKEN 12, bge, 0, -1
	TEST_BR_NOT   13, bge, -1, 0
	TEST_BR_NOT   14, bge, 0x8000000000000000, 0x7fffffffffffffff
	TEST_BR_TAKEN 15, bltu, 0, -1
	TEST_BR_NOT   16, bltu, -1, 0
	TEST_BR_NOT   17, bltu, 7, 7
	TEST_BR_NOT   18, bltu, 0x8000000000000000, 0x7fffffffffffffff
	TEST_BR_TAKEN 19, bgeu, -1, 0
	TEST_BR_TAKEN 20, bgeu, 7, 7
	TEST_BR_NOT   21, bgeu, 0, -1
	TEST_BR_TAKEN 22, bgeu, 0x8000000000000000, 0x7fffffffffffffff
	TEST_BR_TAKEN 23, blt, 0xffffffff00000000, 0x00000000ffffffff
	TEST_BR_NOT   24, bltu, 0xffffffff00000000, 0x00000000ffffffff

	/* backward branch: a 10-iteration loop */
	TEST_CASE 25
	li	a0, 10
	li	a1, 0
1:	addi	a1, a1, 3
	addi	a0, a0, -1
	bnez	a0, 1b
	CHECK_EQ a1, 30

	/* branch with rs1 == rs2 */
	TEST_CASE 26
	li	a1, 9
	bne	a1, a1, fail
	blt	a1, a1, fail
	bltu	a1, a1, fail
	beq	a1, a1, 1f
	j	fail
1:

	/* jal: rd = address of the jal + 4 (uncompressed encodings here) */
	.option push
	.option norvc
	TEST_CASE 27
	jal	ra, .Ljal1
.Ljal1_ret:
	j	fail
.Ljal1:
	lla	a0, .Ljal1_ret
	bne	ra, a0, fail

	TEST_CASE 28
	jal	a5, .Ljal2			/* any rd can be the link */
.Ljal2_ret:
	j	fail
.Ljal2:
	lla	a0, .Ljal2_ret
	bne	a5, a0, fail

	/* jal backward */
	TEST_CASE 29
	li	a1, 0
	j	.Ljal3_fwd
.Ljal3_back:
	li	a1, 1
	j	.Ljal3_done
.Ljal3_fwd:
	jal	x0, .Ljal3_back
	j	fail
.Ljal3_done:
	CHECK_EQ a1, 1

	/* jalr: target = (rs1 + imm) & ~1, rd = pc + 4 */
	TEST_CASE 30
	lla	a1, .Ljalr1
	jalr	ra, 0(a1)
.Ljalr1_ret:
	j	fail
.Ljalr1:
	lla	a0, .Ljalr1_ret
	bne	ra, a0, fail

	TEST_CASE 31
	lla	a1, .Ljalr2 + 16
	jalr	t0, -16(a1)			/* negative offset */
	j	fail
.Ljalr2:
	TEST_CASE 32
	lla	a1, .Ljalr3 - 2040
	jalr	t0, 2040(a1)			/* positive offset */
	j	fail
.Ljalr3:
	/* bit 0 of the sum is cleared: no misaligned fetch */
	TEST_CASE 33
	lla	a1, .Ljalr4 + 1
	jalr	ra, 0(a1)
	j	fail
.Ljalr4:
	TEST_CASE 34
	lla	a1, .Ljalr5 + 5
	jalr	ra, -4(a1)			/* (x+5-4) & ~1 = x */
	j	fail
.Ljalr5:
	TEST_CASE 35
	lla	a1, .Ljalr6
	addi	a1, a1, -7
	jalr	ra, 8(a1)			/* x - 7 + 8 = x + 1 -> x */
	j	fail
.Ljalr6:

	/* rd == rs1: the target uses the old value */
	TEST_CASE 36
	lla	a0, .Ljalr7
	jalr	a0, 0(a0)
.Ljalr7_ret:
	j	fail
.Ljalr7:
	lla	a1, .Ljalr7_ret
	bne	a0, a1, fail

	/* jalr x0: plain indirect jump, x0 unchanged */
	TEST_CASE 37
	lla	a1, .Ljalr8
	jalr	x0, 0(a1)
	j	fail
.Ljalr8:
	bnez	x0, fail

	/* call/return through a subroutine */
	TEST_CASE 38
	li	a0, 4
	jal	ra, double_it
	CHECK_EQ a0, 8
	.option pop

	/* long jumps over 64 KiB of illegal instructions */
	TEST_CASE 39
	jal	ra, .Lfar_fwd
.Lfar_ret:
	j	.Lfar_after
.Lfar_back:
	lla	a1, .Lfar_ret2
	bne	ra, a1, fail
	j	.Lfar_done
	.skip	0x10000				/* zeros: illegal instructions */
.Lfar_fwd:
	lla	a1, .Lfar_ret
	bne	ra, a1, fail
	TEST_CASE 40
	jal	ra, .Lfar_back
.Lfar_ret2:
	j	fail
.Lfar_after:
	j	fail
.Lfar_done:

	/* far jump through auipc + jalr */
	TEST_CASE 41
1:	auipc	a1, %pcrel_hi(.Lfar_target)
	jalr	ra, %pcrel_lo(1b)(a1)
.Lfar_target_ret:
	j	.Lfar_target_done
	.skip	0x1000
.Lfar_target:
	lla	a1, .Lfar_target_ret
	bne	ra, a1, fail
	jr	ra
.Lfar_target_done:

	j	pass

double_it:
	add	a0, a0, a0
	ret
