/* x86_64_fp.c - the x86-64 translation of F/D operations: loads, stores,
 * moves, sign injection, comparisons and exact conversions inline,
 * arithmetic on the host FPU when the result cannot differ from the
 * software FPU, and a call to fp_exec() for everything else (and for the
 * cases the inline code declines).
 *
 * What the inline code must match (fp_exec.c): FS off makes every F/D
 * operation illegal; all but FMV.X.W, FMV.X.D, FCLASS and the stores set
 * FS dirty; a reserved rounding mode (static, or frm when dynamic) is
 * illegal for the operations that round; singles read from a register
 * that is not NaN-boxed are the canonical NaN. */
#if defined(__x86_64__)

#include "cpu/csr.h"
#include "cpu/fp_exec.h"
#include "cpu/fpu.h"
#include "cpu/jit/x86_64.h"

#define MSTATUS_FS_BITS 0x6000 /* mstatus.FS, in the low word */
#define FREG(r)		M(RBP, OFF(f) + 8 * (int32_t)(r))

/* clang-format off */
static bool fp_reads_x(unsigned op)
{
	switch (op) {
	case OP_FCVT_S_W: case OP_FCVT_S_WU: case OP_FCVT_S_L:
	case OP_FCVT_S_LU: case OP_FMV_W_X: case OP_FCVT_D_W:
	case OP_FCVT_D_WU: case OP_FCVT_D_L: case OP_FCVT_D_LU:
	case OP_FMV_D_X:
		return true;
	default:
		return false;
	}
}

static bool fp_writes_x(unsigned op)
{
	switch (op) {
	case OP_FCVT_W_S: case OP_FCVT_WU_S: case OP_FCVT_L_S:
	case OP_FCVT_LU_S: case OP_FMV_X_W: case OP_FEQ_S: case OP_FLT_S:
	case OP_FLE_S: case OP_FCLASS_S: case OP_FCVT_W_D: case OP_FCVT_WU_D:
	case OP_FCVT_L_D: case OP_FCVT_LU_D: case OP_FMV_X_D: case OP_FEQ_D:
	case OP_FLT_D: case OP_FLE_D: case OP_FCLASS_D:
		return true;
	default:
		return false;
	}
}

/* the operations that leave FS as it was (fp_exec.c: no FP_DIRTY) */
static bool keeps_fs(unsigned op)
{
	switch (op) {
	case OP_FMV_X_W: case OP_FMV_X_D: case OP_FCLASS_S: case OP_FCLASS_D:
	case OP_FSW: case OP_FSD:
		return true;
	default:
		return false;
	}
}
/* clang-format on */

static bool is_fp_arith(unsigned op)
{
	return op >= OP_FMADD_S && op <= OP_FCVT_D_S;
}

/* ---- what a block knows about the FP state ----
 *
 * K_FS: mstatus.FS is Dirty. K_HARD: that, inexact accrued in fflags and
 * frm = RNE, which is all the host fast paths need to know besides their
 * operands (fpu.c's hard_ok()). Testing these before each operation costs
 * more than many of the operations; within a block they only have to be
 * tested until they are known, because
 *   - nothing translated takes them back: F/D operations (inline or in
 *     fp_exec) only set FS dirty and only add fflags bits, neither they
 *     nor any other translated operation write frm (fsrm, fsflags and fcsr
 *     writes are not translated and end the block), the TLB refill and
 *     the LR/SC helper touch none of them; the exceptions are the CSR and
 *     system operations (a translated sstatus write can turn FS to Off,
 *     Initial or Clean), after which nothing is known;
 *   - every path that completes an operation leaves what the operation
 *     establishes true: a dirtying operation's inline path tests FS Dirty
 *     and its slow path (fp_exec) makes it so; an operation that tests for
 *     K_HARD and fails runs fp_exec, then tests again and, if K_HARD still
 *     does not hold, leaves the block for the next instruction's (so the
 *     code after it may assume it). Paths that leave the block (traps,
 *     stubs, fp_exec declining) take nothing along.
 * Code inside a block is entered only at its start and at the target of a
 * forward branch within it; at any instruction such a branch may reach,
 * nothing is known. The knowledge is recomputed from the block's
 * instructions rather than kept in struct xlat, which x86_64.c does not
 * initialise for this file, and a translation-time fold of at most
 * JIT_MAX_BLOCK_INSNS instructions is cheap. */
enum { K_FS = 1, K_HARD = 2 };

/* Also known: which FP register xmm0 holds a copy of (bits 8 up: the
 * register + 1, 0 for none), so that an operation on the result of the
 * one before need not wait for it to go through h->f (a store-forwarding
 * delay on every step of a dependency chain). The operations that leave
 * their result there do so on every path that continues in the block (the
 * slow path reloads it); h->f stays up to date all the same. Only integer
 * operations that compute from registers may come in between (x86_64_insn.c
 * translates them without any call that could clobber xmm0). */
#define K_X0_SHIFT 8

static int known_x0(unsigned k)
{
	return (int)(k >> K_X0_SHIFT) - 1;
}

/* operations with a host fast path that needs K_HARD */
static bool is_hard(const struct insn *in)
{
	switch (in->op) {
	case OP_FADD_D:
	case OP_FSUB_D:
	case OP_FMUL_D:
	case OP_FDIV_D:
	case OP_FSQRT_D:
	case OP_FCVT_D_L: return in->rm == RM_RNE || in->rm == RM_DYN;
	default: return false;
	}
}

/* instructions after which the FP state is as it was or more known: all
 * but the CSR and system ones (and anything unknown) */
static bool keeps_knowledge(unsigned op)
{
	return (op >= OP_LUI && op <= OP_FENCE) ||
	       (op >= OP_MUL && op <= OP_AMOMAXU_D) ||
	       (op >= OP_FLW && op <= OP_FCVT_D_S) ||
	       (op >= OP_ADD_UW && op <= OP_CZERO_NEZ);
}

/* FCVT.D.W/.WU with a valid static or a dynamic rounding mode */
static bool is_exact_cvt(const struct insn *in)
{
	return (in->op == OP_FCVT_D_W || in->op == OP_FCVT_D_WU) &&
	       (in->rm <= RM_RMM || in->rm == RM_DYN);
}

/* the operations that leave their result in xmm0 */
static bool leaves_x0(const struct insn *in)
{
	return is_hard(in) || is_exact_cvt(in) || in->op == OP_FLD;
}

static bool is_reg_alu(unsigned op)
{
	return (op >= OP_ADDI && op <= OP_SRAW) || op == OP_LUI ||
	       op == OP_AUIPC;
}

static unsigned knowledge_after(const struct insn *in, unsigned k)
{
	unsigned x0 = k & ~((1u << K_X0_SHIFT) - 1);

	k &= (1u << K_X0_SHIFT) - 1;
	if (!keeps_knowledge(in->op))
		return 0;
	if (leaves_x0(in))
		x0 = (in->rd + 1u) << K_X0_SHIFT;
	else if (!is_reg_alu(in->op))
		x0 = 0;
	if (!(in->op >= OP_FLW && in->op <= OP_FCVT_D_S) || keeps_fs(in->op))
		return k | x0;
	return k | K_FS | (is_hard(in) ? K_HARD : 0) | x0;
}

/* what holds on every path into the current instruction */
static unsigned fp_known(const struct xlat *t)
{
	uint64_t targets[JIT_MAX_BLOCK_INSNS];
	unsigned nt = 0, k = 0, i;

	for (i = 0;; i++) {
		for (unsigned j = 0; j < nt; j++)
			if (targets[j] == t->pcs[i])
				k = 0;
		if (i == t->k || i >= t->n)
			break;
		const struct insn *in = &t->ins[i];
		if (insn_is_control(in->op) && in->op != OP_JALR)
			targets[nt++] = t->pcs[i] + (uint64_t)(int64_t)in->imm;
		k = knowledge_after(in, k);
	}
	return t->pcs[i] == t->pc ? k : 0;
}

/* ---- one operation: inline code, and fp_exec() when it declines ---- */

/* movq r64, xmm */
static void movq_rx(struct emit *e, int reg, int xmm)
{
	x86_op(e, OPS16 | W64, 0x0f7e, 2, xmm, R(reg));
}

/* movsd xmm, [f reg] / movsd [f reg], xmm */
static void movsd_load(struct emit *e, int xmm, unsigned r)
{
	x86_op(e, PF2, 0x0f10, 2, xmm, FREG(r));
}
static void movsd_store(struct emit *e, unsigned r, int xmm)
{
	x86_op(e, PF2, 0x0f11, 2, xmm, FREG(r));
}

struct fpx {
	struct xlat *t;
	const struct insn *in;
	unsigned known;
	uint8_t *slow[8]; /* jumps to the fp_exec() call */
	unsigned nslow;
};

static void to_slow(struct fpx *x, int cc)
{
	x->slow[x->nslow++] = jcc32(&x->t->e, cc);
}

/* the tests for what `known` lacks of `want`; each a jump taken when it
 * fails */
static unsigned state_tests(struct emit *e, unsigned known, unsigned want,
			    uint8_t **jumps)
{
	unsigned n = 0;

	if ((want & (K_FS | K_HARD)) && !(known & (K_FS | K_HARD))) {
		x86_op(e, 0, 0x8b, 1, RAX, M(RBP, OFF(mstatus))); /* mov eax */
		grp3(e, 0, 2, R(RAX));				  /* not eax */
		x86_op(e, 0, 0xf7, 1, 0, R(RAX));		  /* test eax */
		e32(e, MSTATUS_FS_BITS);
		jumps[n++] = jcc32(e, CC_NE);
	}
	if ((want & K_HARD) && !(known & K_HARD)) {
		x86_op(e, 0, 0xf6, 1, 0, M(RBP, OFF(fflags))); /* test byte */
		e8(e, FFLAG_NX);
		jumps[n++] = jcc32(e, CC_E);
		alu_i(e, 0, ALU_CMP, M(RBP, OFF(frm)), RM_RNE);
		jumps[n++] = jcc32(e, CC_NE);
	}
	return n;
}

static void need(struct fpx *x, unsigned want)
{
	x->nslow += state_tests(&x->t->e, x->known, want, x->slow + x->nslow);
}

/* for the operations that round but cannot be inexact: a dynamic rounding
 * mode must be a valid one (a static one is, or the op went to fp_exec) */
static void need_valid_rm(struct fpx *x)
{
	if (x->in->rm == RM_DYN && !(x->known & K_HARD)) {
		alu_i(&x->t->e, 0, ALU_CMP, M(RBP, OFF(frm)), RM_RMM);
		to_slow(x, CC_A);
	}
}

/* the slow path (if the inline code has one) and the join after it */
static void end_op(struct fpx *x)
{
	struct xlat *t = x->t;
	struct emit *e = &t->e;
	const struct insn *in = x->in;

	if (!x->nslow)
		return;
	uint8_t *done = jmp32(e);
	for (unsigned i = 0; i < x->nslow; i++)
		bind(e, x->slow[i]);
	helper_call(t, in, (const void *)fp_exec,
		    fp_reads_x(in->op) ? 1ull << in->rs1 : 0,
		    fp_writes_x(in->op), false);
	if (is_hard(in) && !(x->known & K_HARD)) {
		/* the code after this may assume K_HARD (see above): when
		 * fp_exec has not made it so, go on in another block */
		uint8_t *fail[3];
		unsigned n = state_tests(e, x->known, K_HARD, fail);
		struct stub *s = new_stub(t, t->pc, JX_CHAIN);
		s->branch = true;
		s->target = t->pc + in->len;
		s->unretire = (int32_t)(t->n - t->k - 1);
		for (unsigned i = 0; i < n; i++)
			stub_from(s, fail[i]);
	}
	if (leaves_x0(in))
		movsd_load(e, 0, in->rd);
	bind(e, done);
}

/* Store the double in xmm0 to f[rd] if it is a normal number above the
 * smallest binade, else jump to the slow path. That result check is all
 * FADD/FSUB/FMUL/FDIV/FSQRT.D need under K_HARD: both the host and fpu.c
 * round correctly (IEEE 754, host MXCSR as rvisor leaves it: RNE, no DAZ
 * or FTZ), so the only differences can be NaN results and flags; a NaN,
 * infinite, zero, subnormal or just normal result (which any NaN, infinite
 * or invalid operand gives; and DZ, OF, UF and a tininess question come
 * with nothing else) takes the slow path, and inexact is accrued already.
 * Unlike fpu.c's d_hard() the operands need no test: a subnormal one
 * gives the same correctly rounded normal result on both. */
static void store_if_normal(struct fpx *x)
{
	struct emit *e = &x->t->e;

	movq_rx(e, RAX, 0);
	lea(e, RDX, MX(RAX, RAX, 0)); /* the sign shifted out */
	shift_i(e, W64, SH_SHR, RDX, 53);
	alu_i(e, 0, ALU_SUB, R(RDX), 2);
	alu_i(e, 0, ALU_CMP, R(RDX), 0x7fe - 2 + 1);
	to_slow(x, CC_AE);
	movsd_store(e, x->in->rd, 0);
}

/* FADD/FSUB/FMUL/FDIV/FSQRT.D on the host FPU (sse: the SSE2 opcode) */
static void arith_d(struct fpx *x, unsigned sse)
{
	struct emit *e = &x->t->e;
	const struct insn *in = x->in;

	int x0 = known_x0(x->known);

	need(x, K_HARD);
	if (in->op == OP_FSQRT_D) {
		x86_op(e, PF2, 0x0f51, 2, 0,
		       in->rs1 == x0 ? R(0) : FREG(in->rs1));
	} else if (in->rs1 == x0) {
		x86_op(e, PF2, 0x0f00 | sse, 2, 0,
		       in->rs2 == x0 ? R(0) : FREG(in->rs2));
	} else if (in->rs2 == x0) {
		x86_op(e, OPS16, 0x0f28, 2, 1, R(0)); /* movapd xmm1, xmm0 */
		movsd_load(e, 0, in->rs1);
		x86_op(e, PF2, 0x0f00 | sse, 2, 0, R(1));
	} else {
		movsd_load(e, 0, in->rs1);
		x86_op(e, PF2, 0x0f00 | sse, 2, 0, FREG(in->rs2));
	}
	store_if_normal(x);
}

/* FCVT.D.W, .WU (always exact) and .L (under K_HARD: host rounding) */
static void cvt_d_x(struct fpx *x)
{
	struct emit *e = &x->t->e;
	const struct insn *in = x->in;

	if (in->op == OP_FCVT_D_L) {
		need(x, K_HARD);
	} else {
		need(x, K_FS);
		need_valid_rm(x);
	}
	load_g(x->t, RAX, in->rs1);
	if (in->op == OP_FCVT_D_WU)
		x86_op(e, 0, 0x8b, 1, RAX, R(RAX)); /* mov eax, eax */
	x86_op(e, 0, 0x0f57, 2, 0, R(0));	    /* xorps: no false dep */
	/* cvtsi2sd xmm0, eax / rax */
	x86_op(e, PF2 | (in->op == OP_FCVT_D_W ? 0 : W64), 0x0f2a, 2, 0,
	       R(RAX));
	movsd_store(e, in->rd, 0);
}

/* FEQ/FLT/FLE.D: ucomisd agrees with fpu.c unless an operand is a NaN
 * (unordered, then fp_exec raises what it must) */
static void cmp_d(struct fpx *x, int cc)
{
	struct emit *e = &x->t->e;
	const struct insn *in = x->in;

	need(x, K_FS);
	x86_op(e, PF2, 0x0f10, 2, 0, FREG(in->rs1));   /* movsd xmm0 */
	x86_op(e, OPS16, 0x0f2e, 2, 0, FREG(in->rs2)); /* ucomisd */
	to_slow(x, 0xa);			       /* jp */
	setcc_movzx(e, cc, RAX);
	store_g(x->t, in->rd, RAX);
}

/* eax = the single in FP register r, or the canonical NaN if it is not
 * NaN-boxed (the upper half of rax cleared either way) */
static void unbox_s(struct emit *e, int dst, unsigned r)
{
	mov_r_m(e, dst, FREG(r));
	mov_rr(e, RDX, dst);
	shift_i(e, W64, SH_SHR, RDX, 32);
	alu_i(e, 0, ALU_CMP, R(RDX), -1);
	mov_ri(e, RDX, F32_CANONICAL_NAN); /* mov: flags kept */
	cmov(e, 0, CC_NE, dst, R(RDX));	   /* 32-bit: zero-extends */
}

/* FEQ/FLT/FLE.S: as for .D, and a single that is not boxed is a NaN */
static void cmp_s(struct fpx *x, int cc)
{
	struct emit *e = &x->t->e;
	const struct insn *in = x->in;

	need(x, K_FS);
	mov_r_m(e, RAX, FREG(in->rs1));
	mov_r_m(e, RCX, FREG(in->rs2));
	mov_rr(e, RDX, RAX);
	alu_r(e, W64, ALU_AND, RDX, R(RCX));
	shift_i(e, W64, SH_SHR, RDX, 32);
	alu_i(e, 0, ALU_CMP, R(RDX), -1);
	to_slow(x, CC_NE);
	x86_op(e, OPS16, 0x0f6e, 2, 0, R(RAX)); /* movd xmm0, eax */
	x86_op(e, OPS16, 0x0f6e, 2, 1, R(RCX)); /* movd xmm1, ecx */
	x86_op(e, 0, 0x0f2e, 2, 0, R(1));	/* ucomiss xmm0, xmm1 */
	to_slow(x, 0xa);			/* jp */
	setcc_movzx(e, cc, RAX);
	store_g(x->t, in->rd, RAX);
}

/* FSGNJ/FSGNJN/FSGNJX: rax = rs1 with its sign bit replaced by rs2's, its
 * complement, or their exclusive or (bit `top` is the sign) */
static void sign_inject(struct emit *e, unsigned kind, unsigned top, bool w)
{
	unsigned fl = w ? W64 : 0;

	if (kind == 1)
		grp3(e, fl, 2, R(RCX)); /* not */
	if (kind != 2)
		alu_r(e, fl, ALU_XOR, RCX, R(RAX));
	shift_i(e, fl, SH_SHR, RCX, top);
	shift_i(e, fl, SH_SHL, RCX, top);
	alu_r(e, fl, ALU_XOR, RAX, R(RCX));
}

static void sgnj(struct fpx *x, unsigned kind, bool dbl)
{
	struct emit *e = &x->t->e;
	const struct insn *in = x->in;

	need(x, K_FS);
	if (dbl) {
		mov_r_m(e, RAX, FREG(in->rs1));
		if (in->rs1 == in->rs2) {
			/* fmv.d, fneg.d, fabs.d: bt{s,c,r} rax, 63 */
			if (kind != 0) {
				x86_op(e, W64, 0x0fba, 2, kind == 1 ? 7 : 6,
				       R(RAX));
				e8(e, 63);
			}
		} else {
			mov_r_m(e, RCX, FREG(in->rs2));
			sign_inject(e, kind, 63, true);
		}
	} else {
		unbox_s(e, RAX, in->rs1);
		if (in->rs1 == in->rs2)
			mov_rr(e, RCX, RAX);
		else
			unbox_s(e, RCX, in->rs2);
		sign_inject(e, kind, 31, false);
		mov_ri(e, RCX, 0xffffffff00000000ull); /* NaN-box */
		alu_r(e, W64, ALU_OR, RAX, R(RCX));
	}
	mov_m_r(e, FREG(in->rd), RAX);
}

/* FMV.D.X, FMV.W.X */
static void mv_f_x(struct fpx *x, bool dbl)
{
	struct emit *e = &x->t->e;
	const struct insn *in = x->in;

	need(x, K_FS);
	load_g(x->t, RAX, in->rs1);
	if (!dbl) {
		x86_op(e, 0, 0x8b, 1, RAX, R(RAX)); /* mov eax, eax */
		mov_ri(e, RCX, 0xffffffff00000000ull);
		alu_r(e, W64, ALU_OR, RAX, R(RCX));
	}
	mov_m_r(e, FREG(in->rd), RAX);
}

/* leave for the interpreter (an illegal instruction) if FS is Off */
static void fp_check(struct xlat *t)
{
	struct stub *s = new_stub(t, t->pc, JX_INTERP);
	x86_op(&t->e, 0, 0xf7, 1, 0, M(RBP, OFF(mstatus))); /* test */
	e32(&t->e, MSTATUS_FS_BITS);
	stub_from(s, jcc32(&t->e, CC_E));
}

/* FMV.X.D, FMV.X.W: no dirtying */
static void mv_x_f(struct xlat *t, const struct insn *in, unsigned known)
{
	if (!(known & K_FS))
		fp_check(t);
	if (in->rd == 32)
		return;
	int d = dst_reg(t, in->rd, 99);
	if (in->op == OP_FMV_X_D)
		mov_r_m(&t->e, d, FREG(in->rs1));
	else
		movsxd(&t->e, d, FREG(in->rs1));
	finish(t, in->rd, d);
}

static void fp_op(struct xlat *t, const struct insn *in, unsigned known)
{
	struct fpx x = {.t = t, .in = in, .known = known};
	bool inl = true;

	switch (in->op) {
	case OP_FADD_D:
	case OP_FSUB_D:
	case OP_FMUL_D:
	case OP_FDIV_D:
		inl = is_hard(in);
		if (inl) {
			static const uint8_t sse[] = {0x58, 0x5c, 0x59, 0x5e};
			arith_d(&x, sse[in->op - OP_FADD_D]);
		}
		break;
	case OP_FSQRT_D:
		inl = is_hard(in);
		if (inl)
			arith_d(&x, 0x51);
		break;
	case OP_FCVT_D_W:
	case OP_FCVT_D_WU:
		inl = is_exact_cvt(in);
		if (inl)
			cvt_d_x(&x);
		break;
	case OP_FCVT_D_L:
		inl = is_hard(in);
		if (inl)
			cvt_d_x(&x);
		break;
	case OP_FEQ_D: cmp_d(&x, CC_E); break;
	case OP_FLT_D: cmp_d(&x, CC_B); break;
	case OP_FLE_D: cmp_d(&x, CC_BE); break;
	case OP_FEQ_S: cmp_s(&x, CC_E); break;
	case OP_FLT_S: cmp_s(&x, CC_B); break;
	case OP_FLE_S: cmp_s(&x, CC_BE); break;
	case OP_FSGNJ_D:
	case OP_FSGNJN_D:
	case OP_FSGNJX_D: sgnj(&x, in->op - OP_FSGNJ_D, true); break;
	case OP_FSGNJ_S:
	case OP_FSGNJN_S:
	case OP_FSGNJX_S: sgnj(&x, in->op - OP_FSGNJ_S, false); break;
	case OP_FMV_D_X: mv_f_x(&x, true); break;
	case OP_FMV_W_X: mv_f_x(&x, false); break;
	case OP_FMV_X_D:
	case OP_FMV_X_W: mv_x_f(t, in, known); return;
	default: inl = false; break;
	}
	if (inl)
		end_op(&x);
	else
		helper_call(t, in, (const void *)fp_exec,
			    fp_reads_x(in->op) ? 1ull << in->rs1 : 0,
			    fp_writes_x(in->op), false);
}

static void fp_load(struct xlat *t, const struct insn *in, unsigned size,
		    unsigned known)
{
	struct emit *e = &t->e;

	if (!(known & K_FS))
		fp_check(t);
	address(t, in);
	tlb_hit(t, size, false);
	if (size == 4) {
		x86_op(e, 0, 0x8b, 1, RDX, MX(RAX, t->areg, 0)); /* mov edx */
		mov_ri(e, RAX, 0xffffffff00000000ull);		 /* NaN-box */
		alu_r(e, W64, ALU_OR, RDX, R(RAX));
	} else {
		mov_r_m(e, RDX, MX(RAX, t->areg, 0));
		x86_op(e, OPS16 | W64, 0x0f6e, 2, 0, R(RDX)); /* movq xmm0 */
	}
	mov_m_r(e, FREG(in->rd), RDX);
	/* dirty, with a 64-bit store: C reads mstatus whole, and a load
	 * wider than the store before it cannot be forwarded */
	if (!(known & K_FS)) {
		x86_op(e, W64, 0x81, 1, ALU_OR, M(RBP, OFF(mstatus)));
		e32(e, MSTATUS_FS_BITS);
	}
}

static void fp_store(struct xlat *t, const struct insn *in, unsigned size,
		     unsigned known)
{
	if (!(known & K_FS))
		fp_check(t);
	address(t, in);
	tlb_hit(t, size, true);
	mov_r_m(&t->e, RDX, FREG(in->rs2));
	x86_op(&t->e, size == 8 ? W64 : 0, 0x89, 1, RDX, MX(RAX, t->areg, 0));
}

bool x86_fp_supports(const struct insn *in)
{
	return is_fp_arith(in->op) || (in->op >= OP_FLW && in->op <= OP_FSD);
}

bool x86_translate_fp(struct xlat *t, const struct insn *in)
{
	if (!x86_fp_supports(in))
		return false;
	unsigned known = fp_known(t);
	switch (in->op) {
	case OP_FLW: fp_load(t, in, 4, known); break;
	case OP_FLD: fp_load(t, in, 8, known); break;
	case OP_FSW: fp_store(t, in, 4, known); break;
	case OP_FSD: fp_store(t, in, 8, known); break;
	default: fp_op(t, in, known); break;
	}
	return true;
}

#endif
