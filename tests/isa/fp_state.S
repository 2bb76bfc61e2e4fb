/* fp_state.S - F/D architectural state: NaN boxing (a single-precision
 * operand whose upper 32 bits are not all ones reads as the canonical NaN;
 * results, flw and fmv.w.x box; fmv.x.w/fsw/fsgnj move raw bits), fflags
 * accrual and the fcsr/frm/fflags views, dynamic rounding via frm, reserved
 * rounding modes (static and dynamic) raising illegal instruction, and
 * mstatus.FS: Off makes every FP instruction and FP CSR access illegal;
 * writing FP state makes FS Dirty and sets SD. */
#include "common.inc"
#include "fp.inc"

#define ONE	0x3f800000
#define THREE	0x40400000
#define EPS24	0x33800000
#define BADBOX	0x000000003f800000	/* 1.0f without its NaN box */

#define RM_RNE 0
#define RM_RTZ 1
#define RM_RDN 2
#define RM_RUP 3
#define RM_RMM 4

	.text
test_main:
	/* ---- NaN boxing ---- */
	TEST_CASE 1				/* bad box + 1.0 = canonical NaN, quietly */
	FLI_D	fa1, BADBOX
	FLI_S	fa2, ONE
	fsflags	zero
	fadd.s	fa0, fa1, fa2
	fmv.x.d	a0, fa0
	FT_CHECK 0xffffffff7fc00000, 0
	TEST_CASE 2				/* fsgnj reads the bad box as NaN too */
	fsgnj.s	fa0, fa1, fa2
	fmv.x.d	a0, fa0
	CHECK_EQ a0, 0xffffffff7fc00000
	TEST_CASE 3
	fsgnjn.s fa0, fa1, fa2
	fmv.x.d	a0, fa0
	CHECK_EQ a0, 0xffffffffffc00000
	TEST_CASE 4				/* sign taken from a badly boxed rs2 */
	FLI_D	fa3, 0x00000000bf800000	/* would be -1.0f, reads as +qNaN */
	fsgnj.s	fa0, fa2, fa3
	fmv.x.d	a0, fa0
	CHECK_EQ a0, 0xffffffff3f800000
	TEST_CASE 5
	fclass.s a0, fa1
	CHECK_EQ a0, 0x200
	TEST_CASE 6				/* compares see a quiet NaN: no NV */
	fsflags	zero
	feq.s	a0, fa1, fa1
	FT_CHECK 0, 0
	TEST_CASE 7				/* fmin ignores the (quiet) NaN */
	fmin.s	fa0, fa1, fa2
	fmv.x.d	a0, fa0
	FT_CHECK 0xffffffff3f800000, 0
	TEST_CASE 8				/* upper bits almost all ones: still bad */
	FLI_D	fa1, 0xfffffffe3f800000
	fadd.s	fa0, fa1, fa2
	fmv.x.d	a0, fa0
	CHECK_EQ a0, 0xffffffff7fc00000
	TEST_CASE 9
	FLI_D	fa3, BADBOX
	fmadd.s	fa0, fa2, fa2, fa3
	fmv.x.d	a0, fa0
	CHECK_EQ a0, 0xffffffff7fc00000
	TEST_CASE 10
	fsflags	zero
	fcvt.w.s a0, fa3, rtz
	FT_CHECK 0x7fffffff, NV
	TEST_CASE 11
	fsflags	zero
	fcvt.d.s fa0, fa3
	fmv.x.d	a0, fa0
	FT_CHECK 0x7ff8000000000000, 0
	TEST_CASE 12				/* fmv.x.w: raw low 32 bits, sign-extended */
	FLI_D	fa1, 0x000000008000abcd
	fmv.x.w	a0, fa1
	CHECK_EQ a0, 0xffffffff8000abcd
	TEST_CASE 13				/* fsw: raw low 32 bits */
	lla	a2, fbuf
	sd	zero, 0(a2)
	fsw	fa1, 0(a2)
	ld	a0, 0(a2)
	CHECK_EQ a0, 0x8000abcd
	TEST_CASE 14				/* flw boxes */
	li	a1, 0x12345678
	sw	a1, 8(a2)
	flw	fa0, 8(a2)
	fmv.x.d	a0, fa0
	CHECK_EQ a0, 0xffffffff12345678
	TEST_CASE 15				/* fmv.w.x boxes the low 32 bits */
	li	a1, 0xabcdef0012345678
	fmv.w.x	fa0, a1
	fmv.x.d	a0, fa0
	CHECK_EQ a0, 0xffffffff12345678
	TEST_CASE 16				/* fcvt.s.d result is boxed */
	FLI_D	fa1, 0x3ff0000000000000
	fcvt.s.d fa0, fa1
	fmv.x.d	a0, fa0
	CHECK_EQ a0, 0xffffffff3f800000

	/* ---- fflags accrue until cleared ---- */
	TEST_CASE 17
	fsflags	zero
	FLI_S	fa1, ONE
	FLI_S	fa2, 0
	fdiv.s	fa0, fa1, fa2			/* DZ */
	FLI_S	fa2, THREE
	fdiv.s	fa0, fa1, fa2			/* NX */
	frflags	a0
	CHECK_EQ a0, DZ|NX
	TEST_CASE 18				/* an exact op leaves them alone */
	fadd.s	fa0, fa1, fa1
	frflags	a0
	CHECK_EQ a0, DZ|NX
	TEST_CASE 19				/* fsflags returns the old value */
	li	a1, NV
	fsflags	a0, a1
	CHECK_EQ a0, DZ|NX
	frflags	a0
	CHECK_EQ a0, NV
	TEST_CASE 20				/* fcsr = frm << 5 | fflags */
	li	a1, RM_RUP
	fsrm	a1
	csrr	a0, fcsr
	CHECK_EQ a0, (RM_RUP << 5) | NV
	TEST_CASE 21				/* only 8 bits of fcsr exist */
	li	a1, -1
	csrw	fcsr, a1
	csrr	a0, fcsr
	CHECK_EQ a0, 0xff
	csrr	a0, frm
	CHECK_EQ a0, 7
	csrr	a0, fflags
	CHECK_EQ a0, 0x1f
	TEST_CASE 22				/* fflags/frm writes are masked too */
	csrw	fcsr, zero
	csrw	fflags, a1
	csrr	a0, fcsr
	CHECK_EQ a0, 0x1f
	csrw	frm, a1
	csrr	a0, fcsr
	CHECK_EQ a0, 0xff
	csrw	fcsr, zero

	/* ---- dynamic rounding via frm ---- */
	FLI_S	fa1, ONE
	FLI_S	fa2, THREE
	TEST_CASE 23
	fsrmi	RM_RTZ
	fdiv.s	fa0, fa1, fa2			/* dyn */
	fmv.x.w	a0, fa0
	CHECK_EQ a0, 0x3eaaaaaa
	TEST_CASE 24
	fsrmi	RM_RUP
	fdiv.s	fa0, fa1, fa2, dyn
	fmv.x.w	a0, fa0
	CHECK_EQ a0, 0x3eaaaaab
	TEST_CASE 25				/* a static mode overrides frm */
	fdiv.s	fa0, fa1, fa2, rtz
	fmv.x.w	a0, fa0
	CHECK_EQ a0, 0x3eaaaaaa
	TEST_CASE 26
	fsrmi	RM_RDN
	fneg.s	fa3, fa1
	fdiv.s	fa0, fa3, fa2
	fmv.x.w	a0, fa0
	CHECK_EQ a0, 0xffffffffbeaaaaab	/* fmv.x.w sign-extends */
	TEST_CASE 27				/* rmm: tie goes away from zero */
	fsrmi	RM_RMM
	FLI_S	fa2, EPS24
	fadd.s	fa0, fa1, fa2
	fmv.x.w	a0, fa0
	CHECK_EQ a0, 0x3f800001
	TEST_CASE 28
	fsrmi	RM_RNE
	fadd.s	fa0, fa1, fa2
	fmv.x.w	a0, fa0
	CHECK_EQ a0, 0x3f800000
	TEST_CASE 29				/* dyn also applies to conversions */
	fsrmi	RM_RUP
	li	a1, 16777217
	fcvt.s.w fa0, a1
	fmv.x.w	a0, fa0
	CHECK_EQ a0, 0x4b800001
	TEST_CASE 30
	FLI_D	fa1, 0xbff8000000000000		/* -1.5 */
	fsrmi	RM_RDN
	fcvt.l.d a0, fa1
	CHECK_EQ a0, -2

	/* ---- reserved rounding modes ---- */
	fsrmi	5
	EXPECT_ILLEGAL 31, fadd.s fa0, fa1, fa2	/* dyn with frm = 5 */
	fsrmi	6
	EXPECT_ILLEGAL 32, fmul.d fa0, fa1, fa2
	fsrmi	7
	EXPECT_ILLEGAL 33, fcvt.w.d a0, fa1
	TEST_CASE 34			/* no rounding involved: frm does not matter */
	fsgnj.s	fa0, fa1, fa1
	fmin.d	fa0, fa1, fa1
	feq.d	a0, fa1, fa1
	fmv.x.d	a0, fa1
	fsrmi	RM_RNE
	/* static rm 5 and 6 in the encoding (fadd.s fa0, fa1, fa2) */
	EXPECT_ILLEGAL 35, .insn r 0x53, 5, 0x00, fa0, fa1, fa2
	EXPECT_ILLEGAL 36, .insn r 0x53, 6, 0x00, fa0, fa1, fa2
	EXPECT_ILLEGAL 37, .insn r 0x53, 5, 0x2c, fa0, fa1, f0	/* fsqrt.s */

	/* ---- mstatus.FS ---- */
	TEST_CASE 38				/* Initial: SD clear */
	li	a1, MSTATUS_FS
	csrc	mstatus, a1
	li	a1, MSTATUS_FS_INITIAL
	csrs	mstatus, a1
	csrr	a0, mstatus
	bltz	a0, fail
	TEST_CASE 39				/* writing an f register: Dirty + SD */
	fmv.w.x	fa0, zero
	csrr	a0, mstatus
	li	a1, MSTATUS_FS
	and	a2, a0, a1
	CHECK_EQ a2, MSTATUS_FS_DIRTY
	bgez	a0, fail
	TEST_CASE 40				/* sstatus shows the same */
	csrr	a0, sstatus
	and	a2, a0, a1
	CHECK_EQ a2, MSTATUS_FS_DIRTY
	bgez	a0, fail
	TEST_CASE 41				/* Clean, then an fflags write dirties */
	li	a1, MSTATUS_FS
	csrc	mstatus, a1
	li	a1, MSTATUS_FS_CLEAN
	csrs	mstatus, a1
	csrr	a0, mstatus
	bltz	a0, fail
	csrwi	fflags, 1
	csrr	a0, mstatus
	li	a1, MSTATUS_FS
	and	a2, a0, a1
	CHECK_EQ a2, MSTATUS_FS_DIRTY
	bgez	a0, fail
	TEST_CASE 42				/* Clean, then fld dirties */
	li	a1, MSTATUS_FS
	csrc	mstatus, a1
	li	a1, MSTATUS_FS_CLEAN
	csrs	mstatus, a1
	lla	a2, fbuf
	fld	fa0, 0(a2)
	csrr	a0, mstatus
	li	a1, MSTATUS_FS
	and	a2, a0, a1
	CHECK_EQ a2, MSTATUS_FS_DIRTY

	/* FS = Off: every FP instruction and FP CSR is illegal */
	li	a1, MSTATUS_FS
	csrc	mstatus, a1
	lla	a2, fbuf
	EXPECT_ILLEGAL 43, fadd.s fa0, fa1, fa2
	EXPECT_ILLEGAL 44, fld fa0, 0(a2)
	EXPECT_ILLEGAL 45, fsw fa0, 0(a2)
	EXPECT_ILLEGAL 46, fmv.x.w a0, fa0
	EXPECT_ILLEGAL 47, fmv.d.x fa0, a0
	EXPECT_ILLEGAL 48, csrr a0, fflags
	EXPECT_ILLEGAL 49, csrw fcsr, zero
	EXPECT_ILLEGAL 50, csrr a0, frm
	EXPECT_ILLEGAL 51, fmadd.d fa0, fa1, fa2, fa3
	EXPECT_ILLEGAL 52, fcvt.d.l fa0, a0
	EXPECT_ILLEGAL 53, c.fld fa0, 0(a2)
	EXPECT_ILLEGAL 54, c.fsdsp fa0, 0(sp)
	TEST_CASE 55				/* still Off after the traps */
	csrr	a0, mstatus
	li	a1, MSTATUS_FS
	and	a2, a0, a1
	CHECK_EQ a2, 0
	bltz	a0, fail
	li	a1, MSTATUS_FS_INITIAL
	csrs	mstatus, a1

	j	pass

	.data
	.align	3
fbuf:	.dword	0, 0
