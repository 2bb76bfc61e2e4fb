/* c.S - C extension: every RV64C instruction in its explicit c.* form
 * (immediates at their limits, sign extension, the stack-pointer forms,
 * FP loads/stores), c.jalr's link of pc + 2, c.ebreak (cause 3), reserved
 * encodings raising illegal instruction with mtval = the 16 bits, 32-bit
 * instructions at 2-byte aligned addresses and straddling a page boundary. */
#include "common.inc"

	.text
test_main:
	/* c.li / c.lui / c.addi / c.addiw */
	TEST_CASE 1
	c.li	a0, -32
	CHECK_EQ a0, -32
	TEST_CASE 2
	c.li	a0, 31
	CHECK_EQ a0, 31
	TEST_CASE 3
	c.lui	a0, 0x1f
	CHECK_EQ a0, 0x1f000
	TEST_CASE 4
	c.lui	a0, 0xfffe0			/* nzimm -32: sign-extended */
	CHECK_EQ a0, 0xfffffffffffe0000
	TEST_CASE 5
	li	a0, 100
	c.addi	a0, -32
	CHECK_EQ a0, 68
	TEST_CASE 6
	li	a0, 0x7fffffff
	c.addiw	a0, 1
	CHECK_EQ a0, 0xffffffff80000000
	TEST_CASE 7
	li	a0, 0x1ffffffff
	c.addiw	a0, 0				/* sext.w */
	CHECK_EQ a0, -1

	/* c.addi16sp / c.addi4spn */
	TEST_CASE 8
	mv	s1, sp
	c.addi16sp sp, -512
	sub	a0, s1, sp
	CHECK_EQ a0, 512
	TEST_CASE 9
	c.addi16sp sp, 496
	sub	a0, sp, s1
	CHECK_EQ a0, -16
	c.addi16sp sp, 16
	bne	sp, s1, fail
	TEST_CASE 10
	addi	sp, sp, -1024
	c.addi4spn a0, sp, 1020
	sub	a0, a0, sp
	CHECK_EQ a0, 1020
	TEST_CASE 11
	c.addi4spn s0, sp, 4
	sub	a0, s0, sp
	CHECK_EQ a0, 4

	/* stack-pointer relative loads and stores (sp = s1 - 1024 here) */
	TEST_CASE 12
	li	a0, 0x8badf00d12345678
	c.sdsp	a0, 504(sp)
	ld	a1, 504(sp)
	bne	a0, a1, fail
	TEST_CASE 13
	c.ldsp	a2, 504(sp)
	bne	a2, a0, fail
	TEST_CASE 14
	sd	a0, 248(sp)
	c.lwsp	a2, 252(sp)			/* 0x8badf00d sign-extended */
	CHECK_EQ a2, 0xffffffff8badf00d
	TEST_CASE 15
	li	a3, 0x55aa55aa
	c.swsp	a3, 252(sp)
	lwu	a2, 252(sp)
	CHECK_EQ a2, 0x55aa55aa
	c.lwsp	a2, 252(sp)
	CHECK_EQ a2, 0x55aa55aa

	/* register-based c.ld/c.sd/c.lw/c.sw (x8-x15 only) */
	TEST_CASE 16
	lla	s0, cbuf
	li	a0, 0xfedcba9876543210
	c.sd	a0, 248(s0)
	ld	a1, 248(s0)
	bne	a0, a1, fail
	TEST_CASE 17
	c.ld	a2, 248(s0)
	bne	a2, a0, fail
	TEST_CASE 18
	sd	a0, 120(s0)
	c.lw	a2, 124(s0)
	CHECK_EQ a2, 0xfffffffffedcba98
	TEST_CASE 19
	li	a3, 0x12345678
	c.sw	a3, 124(s0)
	c.lw	a2, 124(s0)
	CHECK_EQ a2, 0x12345678
	TEST_CASE 20
	c.sw	a0, 0(s0)			/* low word 0x76543210 */
	c.lw	a2, 0(s0)
	CHECK_EQ a2, 0x76543210

	/* c.fld/c.fsd, c.fldsp/c.fsdsp */
	TEST_CASE 21
	li	a0, 0x400921fb54442d18		/* pi */
	fmv.d.x	fa0, a0
	c.fsd	fa0, 16(s0)
	ld	a1, 16(s0)
	bne	a0, a1, fail
	TEST_CASE 22
	c.fld	fa1, 16(s0)
	fmv.x.d	a1, fa1
	bne	a0, a1, fail
	TEST_CASE 23
	c.fsdsp	fa0, 496(sp)
	c.fldsp	fa2, 496(sp)
	fmv.x.d	a1, fa2
	bne	a0, a1, fail
	mv	sp, s1

	/* c.mv / c.add */
	TEST_CASE 24
	li	a6, 0x123456789
	c.mv	a0, a6
	CHECK_EQ a0, 0x123456789
	TEST_CASE 25
	c.add	a0, a6
	CHECK_EQ a0, 0x2468acf12

	/* shifts and c.andi */
	TEST_CASE 26
	li	a0, 1
	c.slli	a0, 63
	CHECK_EQ a0, 0x8000000000000000
	TEST_CASE 27
	c.srli	a0, 63
	CHECK_EQ a0, 1
	TEST_CASE 28
	li	a0, 0x8000000000000000
	c.srai	a0, 60
	CHECK_EQ a0, 0xfffffffffffffff8
	TEST_CASE 29
	li	a0, 0xff
	c.srli	a0, 4
	CHECK_EQ a0, 0xf
	TEST_CASE 30
	li	a0, 0x123456789abcdef0
	c.andi	a0, -16				/* sign-extended immediate */
	CHECK_EQ a0, 0x123456789abcdef0
	TEST_CASE 31
	c.andi	a0, 31
	CHECK_EQ a0, 0x10

	/* register-register ALU forms */
	TEST_CASE 32
	li	a0, 10
	li	a1, 25
	c.sub	a0, a1
	CHECK_EQ a0, -15
	TEST_CASE 33
	li	a0, 0xff00
	li	a1, 0x0ff0
	c.xor	a0, a1
	CHECK_EQ a0, 0xf0f0
	TEST_CASE 34
	li	a0, 0xff00
	c.or	a0, a1
	CHECK_EQ a0, 0xfff0
	TEST_CASE 35
	li	a0, 0xff00
	c.and	a0, a1
	CHECK_EQ a0, 0x0f00
	TEST_CASE 36
	li	a0, 0x80000000
	li	a1, 1
	c.subw	a0, a1
	CHECK_EQ a0, 0x7fffffff
	TEST_CASE 37
	li	a0, 0x7fffffff
	c.addw	a0, a1
	CHECK_EQ a0, 0xffffffff80000000
	TEST_CASE 38
	li	a0, 0x100000000
	li	a1, 0
	c.addw	a0, a1				/* upper half dropped */
	CHECK_EQ a0, 0

	/* control flow */
	TEST_CASE 39
	c.j	1f
	j	fail
1:	TEST_CASE 40
	li	a0, 0
	c.beqz	a0, 1f
	j	fail
1:	li	a0, 1
	c.beqz	a0, fail
	TEST_CASE 41
	c.bnez	a0, 1f
	j	fail
1:	li	a0, 0
	c.bnez	a0, fail
	TEST_CASE 42				/* backward c.bnez loop */
	li	a0, 5
	li	a1, 0
1:	c.addi	a1, 2
	c.addi	a0, -1
	c.bnez	a0, 1b
	CHECK_EQ a1, 10
	TEST_CASE 43
	lla	a1, 1f
	c.jr	a1
	j	fail
1:	TEST_CASE 44				/* c.jalr: ra = pc + 2 */
	lla	a1, 2f
	c.jalr	a1
1:	j	fail
2:	lla	a2, 1b
	bne	ra, a2, fail
	TEST_CASE 45				/* backward c.j */
	li	a0, 0
	j	2f
1:	li	a0, 7
	j	3f
2:	c.j	1b
3:	CHECK_EQ a0, 7

	/* 32-bit instructions at 2-byte aligned addresses */
	TEST_CASE 46
	.balign	4
	c.nop
	.option push
	.option norvc
	lla	a0, 1f				/* auipc at 4n + 2 */
	addi	a1, zero, 5
1:	addi	a1, a1, 1
	.option pop
	andi	a2, a0, 3
	CHECK_EQ a2, 2
	CHECK_EQ a1, 6
	TEST_CASE 47				/* jump to a 4n + 2 target */
	lla	a0, .Lhalf
	andi	a1, a0, 3
	CHECK_EQ a1, 2
	jalr	ra, 0(a0)
	CHECK_EQ a2, 0x2222

	/* a 32-bit instruction straddling a 4 KiB page boundary */
	TEST_CASE 48
	li	a0, 1
	jal	ra, .Lstraddle
	CHECK_EQ a0, 1001
	lla	a1, .Lstraddle
	li	a2, 0xfff
	and	a1, a1, a2
	CHECK_EQ a1, 0xffe

	/* c.ebreak: breakpoint, mepc = its address */
	TEST_CASE 49
	TRAP_ARM 2f
1:	c.ebreak
	j	fail
2:	CHECK_EQ t5, CAUSE_BREAKPOINT
	lla	a0, 1b
	bne	t4, a0, fail

	/* reserved encodings: illegal instruction, mtval = the 16-bit encoding */
	EXPECT_TRAP 50, CAUSE_ILLEGAL, .hword 0x0000	/* c.unimp */
	CHECK_EQ t6, 0
	EXPECT_TRAP 51, CAUSE_ILLEGAL, .hword 0x0004	/* c.addi4spn, imm 0 */
	CHECK_EQ t6, 0x0004
	EXPECT_TRAP 52, CAUSE_ILLEGAL, .hword 0x6501	/* c.lui a0, 0 */
	CHECK_EQ t6, 0x6501
	EXPECT_TRAP 53, CAUSE_ILLEGAL, .hword 0x6101	/* c.addi16sp, imm 0 */
	CHECK_EQ t6, 0x6101
	EXPECT_TRAP 54, CAUSE_ILLEGAL, .hword 0x8002	/* c.jr x0 */
	CHECK_EQ t6, 0x8002
	EXPECT_TRAP 55, CAUSE_ILLEGAL, .hword 0x4002	/* c.lwsp x0 */
	CHECK_EQ t6, 0x4002
	EXPECT_TRAP 56, CAUSE_ILLEGAL, .hword 0x6002	/* c.ldsp x0 */
	CHECK_EQ t6, 0x6002

	j	pass

	.balign	4
	.hword	0x0001				/* c.nop: .Lhalf is at 4n + 2 */
.Lhalf:
	li	a2, 0x2222
	ret

	/* .Lstraddle: the addi spans two pages */
	.section .text.straddle, "ax"
	.balign	0x1000
	.skip	0x1000 - 2 - 8, 0
	.option push
	.option norvc
	.hword	0x0001, 0x0001, 0x0001, 0x0001	/* c.nop padding */
.Lstraddle:
	addi	a0, a0, 1000
	ret
	.option pop

	.data
	.align	4
cbuf:	.skip	512
