/* x86_64.c - the x86-64 JIT backend.
 *
 * Register use inside translated code:
 *   rbp                the struct hart
 *   rax, rcx, rdx      scratch
 *   r15                h->jit_budget (kept in a register: counting it
 *                      down in memory made every block wait for the
 *                      previous one's store)
 *   10 other registers the hottest guest registers (jit_buf.pins), loaded on
 *                      entry and stored back on leaving; the others live
 *                      in h->x[] and are used as memory operands.
 * A block starts by testing the event word and taking its length off the
 * budget; exits in the middle of a block give back what did not retire. */
#if defined(__x86_64__)

#include <stddef.h>

#include "cpu/fp_exec.h"
#include "cpu/hart.h"
#include "cpu/jit/jit_arch.h"
#include "cpu/mmu.h"
#include "cpu/jit/x86_64_emit.h"

#define OFF(f) ((int32_t)offsetof(struct hart, f))
#define GX(g)  M(RBP, OFF(x) + 8 * (int32_t)(g))
#define BUDGET R15

_Static_assert(sizeof(struct tlb_entry) == 40, "tlb_entry layout");
_Static_assert(sizeof(struct tlb_jump) == 32, "tlb_jump layout");
_Static_assert(TLB_JC_SIZE == 4096 && TLB_JC_GROUP == 64, "jc index");
_Static_assert(offsetof(struct hart, tlb) + sizeof(struct tlb) < (1u << 30),
	       "hart fits disp32");

/* the host registers of the pin slots (jit_buf.pins says which guest
 * register each holds) */
static const uint8_t pin_host[JIT_PINS] = {RBX, R12, R13, R14, R11,
					   RSI, RDI, R8,  R9,  R10};

static int host_of(const struct jit_buf *b, unsigned g)
{
	for (unsigned i = 0; i < JIT_PINS; i++)
		if (b->pins[i] == g && g != 0)
			return pin_host[i];
	return NOREG;
}

enum { T_LEAVE, T_MISS, T_FILL, T_CALL };

struct stub {
	uint8_t *from[3]; /* rel32s that jump here */
	unsigned nfrom;
	uint64_t pc;
	int32_t unretire;
	int reason;
	/* a TLB miss: first try to refill (mmu_fill_for_jit) and go back to
	 * `resume` with rax = the entry's addend */
	const uint8_t *resume;
	unsigned size_write;
	/* a taken branch in the middle of the block: continue at target */
	bool branch;
	uint64_t target;
};

struct xlat {
	struct emit e;
	const struct jit_buf *b;
	uint64_t vpc;  /* the block's first pc */
	uint64_t pc;   /* the instruction being translated */
	unsigned n, k; /* block length, index of the current instruction */
	struct stub stubs[2 * JIT_MAX_BLOCK_INSNS + 2];
	/* copies of instructions handed to C helpers, placed after the
	 * block's code: the `mov rdx, imm64` to point at each */
	struct {
		uint8_t *imm;
		struct insn in;
	} data[JIT_MAX_BLOCK_INSNS];
	unsigned ndata;
	unsigned nstubs;
	int hreg[33]; /* host_of() for each guest register */
};

static struct opnd gop(struct xlat *t, unsigned g)
{
	return t->hreg[g] != NOREG ? R(t->hreg[g]) : GX(g);
}

static void load_g(struct xlat *t, int dst, unsigned g)
{
	if (g == 0)
		mov_ri(&t->e, dst, 0);
	else if (t->hreg[g] != NOREG)
		mov_rr(&t->e, dst, t->hreg[g]);
	else
		mov_r_m(&t->e, dst, GX(g));
}

static void store_g(struct xlat *t, unsigned g, int src)
{
	if (g == 0 || g == 32)
		return;
	if (t->hreg[g] != NOREG)
		mov_rr(&t->e, t->hreg[g], src);
	else
		mov_m_r(&t->e, GX(g), src);
}

static void set_g_const(struct xlat *t, unsigned g, uint64_t v)
{
	if (g == 0 || g == 32)
		return;
	if (t->hreg[g] != NOREG) {
		mov_ri(&t->e, t->hreg[g], v);
	} else if ((int64_t)v == (int32_t)v) {
		x86_op(&t->e, W64, 0xc7, 1, 0, GX(g));
		e32(&t->e, (uint32_t)v);
	} else {
		mov_ri(&t->e, RCX, v);
		mov_m_r(&t->e, GX(g), RCX);
	}
}

/* where to compute rd: its own register, unless that would clobber a
 * source (`keep`) read after the first write */
static int dst_reg(struct xlat *t, unsigned rd, unsigned keep)
{
	if (t->hreg[rd] != NOREG && rd != keep)
		return t->hreg[rd];
	return RAX;
}

static void finish(struct xlat *t, unsigned rd, int d)
{
	if (t->hreg[rd] == NOREG || t->hreg[rd] != d)
		store_g(t, rd, d);
}

static void set_pc(struct xlat *t, uint64_t pc)
{
	mov_ri(&t->e, RAX, pc);
	mov_m_r(&t->e, M(RBP, OFF(pc)), RAX);
}

static void leave(struct xlat *t, int reason)
{
	mov_ri(&t->e, RAX, (uint64_t)reason);
	jmp_to(&t->e, t->b->arch[T_LEAVE]);
}

static struct stub *new_stub(struct xlat *t, uint64_t pc, int reason)
{
	struct stub *s = &t->stubs[t->nstubs++];
	s->nfrom = 0;
	s->pc = pc;
	s->unretire = (int32_t)(t->n - t->k);
	s->reason = reason;
	s->resume = NULL;
	s->branch = false;
	return s;
}

static void stub_from(struct stub *s, uint8_t *rel32)
{
	s->from[s->nfrom++] = rel32;
}

static void exit_to(struct xlat *t, uint64_t target);

static void emit_stubs(struct xlat *t)
{
	for (unsigned i = 0; i < t->nstubs; i++) {
		struct stub *s = &t->stubs[i];
		for (unsigned f = 0; f < s->nfrom; f++)
			bind(&t->e, s->from[f]);
		if (s->branch) {
			if (s->unretire)
				alu_i(&t->e, W64, ALU_ADD, R(BUDGET),
				      s->unretire);
			exit_to(t, s->target);
			continue;
		}
		if (s->resume) {
			mov_ri(&t->e, RDX, s->size_write);
			call_to(&t->e, t->b->arch[T_FILL]);
			x86_op(&t->e, W64, 0x85, 1, RAX, R(RAX));
			jcc_to(&t->e, CC_NE, s->resume);
		}
		set_pc(t, s->pc);
		if (s->unretire)
			alu_i(&t->e, W64, ALU_ADD, R(BUDGET), s->unretire);
		leave(t, s->reason);
	}
}

#define JC_OFF(f) (OFF(tlb.jc) + (int32_t)offsetof(struct tlb_jump, f))

/* Jump to the block for guest pc rax through the jump cache (see
 * tlb_jc_index()), or to T_MISS. Emitted at each indirect jump, so each
 * has a host indirect branch of its own to predict. */
static void emit_lookup(struct emit *e, const struct jit_buf *b)
{
	mov_rr(e, RCX, RAX);
	shift_i(e, W64, SH_SHR, RCX, 12 - TLB_JC_ADDR_BITS);
	alu_i(e, 0, ALU_AND, R(RCX),
	      (int32_t)((TLB_JC_SIZE - 1) & ~(TLB_JC_GROUP - 1)));
	mov_rr(e, RDX, RAX);
	shift_i(e, W64, SH_SHR, RDX, 1);
	alu_i(e, 0, ALU_AND, R(RDX), TLB_JC_GROUP - 1);
	alu_r(e, 0, ALU_OR, RCX, R(RDX));
	shift_i(e, 0, SH_SHL, RCX, 5);
	alu_r(e, W64, ALU_CMP, RAX, MX(RBP, RCX, JC_OFF(vpc)));
	jcc_to(e, CC_NE, b->arch[T_MISS]);
	mov_r_m(e, RDX, M(RBP, OFF(jit_ctx)));
	alu_r(e, W64, ALU_CMP, RDX, MX(RBP, RCX, JC_OFF(ctx)));
	jcc_to(e, CC_NE, b->arch[T_MISS]);
	x86_op(e, 0, 0xff, 1, 4, MX(RBP, RCX, JC_OFF(code))); /* jmp */
}

/* the same for a pc known at translation time: the slot is too */
static void emit_lookup_const(struct emit *e, const struct jit_buf *b,
			      uint64_t pc)
{
	int32_t slot = (int32_t)(tlb_jc_index(pc) * sizeof(struct tlb_jump));

	mov_ri(e, RAX, pc);
	alu_r(e, W64, ALU_CMP, RAX, M(RBP, JC_OFF(vpc) + slot));
	jcc_to(e, CC_NE, b->arch[T_MISS]);
	mov_r_m(e, RDX, M(RBP, OFF(jit_ctx)));
	alu_r(e, W64, ALU_CMP, RDX, M(RBP, JC_OFF(ctx) + slot));
	jcc_to(e, CC_NE, b->arch[T_MISS]);
	x86_op(e, 0, 0xff, 1, 4, M(RBP, JC_OFF(code) + slot)); /* jmp */
}

/* continue at `target`, known at translation time */
static void exit_to(struct xlat *t, uint64_t target)
{
	struct emit *e = &t->e;

	if (((target ^ t->vpc) & ~0xfffull) == 0) {
		/* same page: a jump patched to the target block once it
		 * exists; until then it falls into the code below */
		uint8_t *site = jmp32(e);
		bind(e, site);
		mov_ri(e, RAX, (uint64_t)(uintptr_t)site);
		mov_m_r(e, M(RBP, OFF(jit_patch)), RAX);
		set_pc(t, target);
		leave(t, JX_CHAIN);
	} else {
		emit_lookup_const(e, t->b, target);
	}
}

/* ---- instructions ---- */

static void alu_rr(struct xlat *t, const struct insn *in, int op)
{
	int d = dst_reg(t, in->rd, in->rs2);
	load_g(t, d, in->rs1);
	alu_r(&t->e, W64, op, d, gop(t, in->rs2));
	finish(t, in->rd, d);
}

static void alu_ri(struct xlat *t, const struct insn *in, int op)
{
	int d = dst_reg(t, in->rd, 99);
	if (in->rs1 == 0 && op != ALU_AND) {
		mov_ri(&t->e, d, (uint64_t)(int64_t)in->imm);
	} else {
		load_g(t, d, in->rs1);
		if (in->imm || op == ALU_AND)
			alu_i(&t->e, W64, op, R(d), in->imm);
	}
	finish(t, in->rd, d);
}

/* 32-bit op, result sign-extended */
static void alu_rr_w(struct xlat *t, const struct insn *in, int op)
{
	load_g(t, RAX, in->rs1);
	alu_r(&t->e, 0, op, RAX, gop(t, in->rs2));
	int d = dst_reg(t, in->rd, 99);
	movsxd(&t->e, d, R(RAX));
	finish(t, in->rd, d);
}

static void shift_imm(struct xlat *t, const struct insn *in, int op,
		      bool word)
{
	int d = word ? RAX : dst_reg(t, in->rd, 99);
	load_g(t, d, in->rs1);
	shift_i(&t->e, word ? 0 : W64, op, d,
		(unsigned)in->imm & (word ? 31 : 63));
	if (word) {
		d = dst_reg(t, in->rd, 99);
		movsxd(&t->e, d, R(RAX));
	}
	finish(t, in->rd, d);
}

static void shift_reg(struct xlat *t, const struct insn *in, int op,
		      bool word)
{
	load_g(t, RCX, in->rs2);
	int d = word ? RAX : dst_reg(t, in->rd, 99);
	load_g(t, d, in->rs1);
	shift_cl(&t->e, word ? 0 : W64, op, d);
	if (word) {
		d = dst_reg(t, in->rd, 99);
		movsxd(&t->e, d, R(RAX));
	}
	finish(t, in->rd, d);
}

static void set_cond(struct xlat *t, const struct insn *in, int cc,
		     bool imm)
{
	load_g(t, RAX, in->rs1);
	if (imm)
		alu_i(&t->e, W64, ALU_CMP, R(RAX), in->imm);
	else
		alu_r(&t->e, W64, ALU_CMP, RAX, gop(t, in->rs2));
	setcc_movzx(&t->e, cc, RAX);
	store_g(t, in->rd, RAX);
}

static void branch(struct xlat *t, const struct insn *in, int cc)
{
	int a = t->hreg[in->rs1];
	if (a == NOREG) {
		load_g(t, RAX, in->rs1);
		a = RAX;
	}
	if (in->rs2 == 0)
		x86_op(&t->e, W64, 0x85, 1, a, R(a)); /* test a, a */
	else
		alu_r(&t->e, W64, ALU_CMP, a, gop(t, in->rs2));
	uint64_t target = t->pc + (uint64_t)(int64_t)in->imm;
	if (t->k + 1 < t->n) {
		/* inside the block: the fall-through path carries on here,
		 * the taken one leaves from the cold end of the block */
		struct stub *s = new_stub(t, t->pc, JX_CHAIN);
		s->branch = true;
		s->target = target;
		s->unretire = (int32_t)(t->n - t->k - 1);
		stub_from(s, jcc32(&t->e, cc));
		return;
	}
	uint8_t *taken = jcc32(&t->e, cc);
	exit_to(t, t->pc + in->len);
	bind(&t->e, taken);
	exit_to(t, target);
}

/* rcx = rs1 + imm */
static void address(struct xlat *t, const struct insn *in)
{
	int b = t->hreg[in->rs1];
	if (b != NOREG) {
		lea(&t->e, RCX, M(b, in->imm));
	} else {
		load_g(t, RCX, in->rs1);
		if (in->imm)
			alu_i(&t->e, W64, ALU_ADD, R(RCX), in->imm);
	}
}

/* The inline TLB hit test for an access of `size` bytes at rcx; leaves
 * rax = the host address of the guest page (minus its guest address), or
 * jumps to the instruction's exit stub. */
static void tlb_hit(struct xlat *t, unsigned size, bool write)
{
	struct emit *e = &t->e;
	struct stub *s = new_stub(t, t->pc, JX_INTERP);

	mov_rr(e, RAX, RCX);
	shift_i(e, W64, SH_SHR, RAX, 12);
	alu_r(e, 0, ALU_AND, RAX, M(RBP, OFF(tlb.mask)));
	lea(e, RAX, MXS(RAX, RAX, 2, 0)); /* rax * 5 */
	shift_i(e, 0, SH_SHL, RAX, 3);	   /* * 8: sizeof(struct tlb_entry) */
	alu_r(e, W64, ALU_ADD, RAX,
	      M(RBP, write ? OFF(jit_wtlb) : OFF(jit_rtlb)));
	mov_rr(e, RDX, RCX);
	alu_i(e, W64, ALU_AND, R(RDX), (int32_t)(0xfffff000u | (size - 1)));
	alu_r(e, W64, ALU_CMP, RDX,
	      M(RAX, (int32_t)offsetof(struct tlb_entry, tag)));
	stub_from(s, jcc32(e, CC_NE));
	mov_r_m(e, RDX, M(RBP, OFF(tlb.ctx)));
	alu_r(e, W64, ALU_CMP, RDX,
	      M(RAX, (int32_t)offsetof(struct tlb_entry, ctx)));
	stub_from(s, jcc32(e, CC_NE));
	if (write) {
		mov_r_m(e, RDX,
			M(RAX, (int32_t)offsetof(struct tlb_entry, flags)));
		x86_op(e, 0, 0x80, 1, ALU_CMP, M(RDX, 0)); /* cmp byte */
		e8(e, 0);
		stub_from(s, jcc32(e, CC_NE));
	}
	mov_r_m(e, RAX, M(RAX, (int32_t)offsetof(struct tlb_entry, addend)));
	s->resume = e->p;
	s->size_write = size | (write ? 0x100 : 0);
}

static void load(struct xlat *t, const struct insn *in, unsigned size,
		 unsigned flags, uint32_t opcode, int nopc)
{
	address(t, in);
	tlb_hit(t, size, false);
	int d = t->hreg[in->rd] != NOREG ? t->hreg[in->rd] : RDX;
	x86_op(&t->e, flags, opcode, nopc, d, MX(RAX, RCX, 0));
	finish(t, in->rd, d);
}

static void store(struct xlat *t, const struct insn *in, unsigned size)
{
	static const unsigned fl[9] = {[1] = BYTE, [2] = OPS16, [4] = 0,
				       [8] = W64};
	address(t, in);
	tlb_hit(t, size, true);
	int v = t->hreg[in->rs2];
	if (v == NOREG) {
		load_g(t, RDX, in->rs2);
		v = RDX;
	}
	x86_op(&t->e, fl[size], size == 1 ? 0x88 : 0x89, 1, v,
	       MX(RAX, RCX, 0));
}

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

static bool is_fp_arith(unsigned op)
{
	return op >= OP_FMADD_S && op <= OP_FCVT_D_S;
}

/* F/D arithmetic: a call to fp_exec() (exact software IEEE, shared with
 * the interpreter); if it declines (FS off, bad rounding mode) the
 * interpreter raises the exception */
static void fp_op(struct xlat *t, const struct insn *in)
{
	struct emit *e = &t->e;
	struct stub *s = new_stub(t, t->pc, JX_INTERP);

	if (fp_reads_x(in->op) && t->hreg[in->rs1] != NOREG)
		mov_m_r(e, GX(in->rs1), t->hreg[in->rs1]);
	mov_ri(e, RAX, (uint64_t)(uintptr_t)fp_exec);
	/* mov rdx, imm64: the instruction's copy, placed later */
	e8(e, 0x48);
	e8(e, 0xba);
	t->data[t->ndata].imm = e->p;
	t->data[t->ndata++].in = *in;
	e64(e, 0);
	call_to(e, t->b->arch[T_CALL]);
	x86_op(e, BYTE, 0x84, 1, RAX, R(RAX)); /* test al, al */
	stub_from(s, jcc32(e, CC_E));
	if (fp_writes_x(in->op) && t->hreg[in->rd] != NOREG)
		mov_r_m(e, t->hreg[in->rd], GX(in->rd));
}

#define MSTATUS_FS_BITS 0x6000 /* mstatus.FS, in the low word */

static void fp_check(struct xlat *t)
{
	struct stub *s = new_stub(t, t->pc, JX_INTERP);
	x86_op(&t->e, 0, 0xf7, 1, 0, M(RBP, OFF(mstatus))); /* test */
	e32(&t->e, MSTATUS_FS_BITS);
	stub_from(s, jcc32(&t->e, CC_E));
}

static void fp_load(struct xlat *t, const struct insn *in, unsigned size)
{
	struct emit *e = &t->e;

	fp_check(t);
	address(t, in);
	tlb_hit(t, size, false);
	if (size == 4) {
		x86_op(e, 0, 0x8b, 1, RDX, MX(RAX, RCX, 0)); /* mov edx */
		mov_ri(e, RAX, 0xffffffff00000000ull);	     /* NaN-box */
		alu_r(e, W64, ALU_OR, RDX, R(RAX));
	} else {
		mov_r_m(e, RDX, MX(RAX, RCX, 0));
	}
	mov_m_r(e, M(RBP, OFF(f) + 8 * in->rd), RDX);
	/* dirty, with a 64-bit store: C reads mstatus whole, and a load
	 * wider than the store before it cannot be forwarded */
	x86_op(e, W64, 0x81, 1, ALU_OR, M(RBP, OFF(mstatus)));
	e32(e, MSTATUS_FS_BITS);
}

static void fp_store(struct xlat *t, const struct insn *in, unsigned size)
{
	fp_check(t);
	address(t, in);
	tlb_hit(t, size, true);
	mov_r_m(&t->e, RDX, M(RBP, OFF(f) + 8 * in->rs2));
	x86_op(&t->e, size == 8 ? W64 : 0, 0x89, 1, RDX, MX(RAX, RCX, 0));
}

/* AMOs on a RAM page the write TLB maps (anything else, misaligned
 * included, is left to the interpreter). Locked x86 operations are full
 * barriers, which covers aq and rl. */
static void amo(struct xlat *t, const struct insn *in, unsigned size,
		int alu)
{
	struct emit *e = &t->e;
	unsigned w = size == 8 ? W64 : 0;

	address(t, in);
	tlb_hit(t, size, true);
	lea(e, RCX, MX(RAX, RCX, 0));
	load_g(t, RDX, in->rs2);
	if (alu == -1) {
		x86_op(e, w, 0x87, 1, RDX, M(RCX, 0)); /* xchg */
		mov_rr(e, RAX, RDX);
	} else if (alu == ALU_ADD) {
		e8(e, 0xf0); /* lock */
		x86_op(e, w, 0x0fc1, 2, RDX, M(RCX, 0)); /* xadd */
		mov_rr(e, RAX, RDX);
	} else {
		mov_m_r(e, M(RBP, OFF(jit_scratch)), RDX);
		x86_op(e, w, 0x8b, 1, RAX, M(RCX, 0));
		uint8_t *again = e->p;
		mov_rr(e, RDX, RAX);
		alu_r(e, W64, alu, RDX, M(RBP, OFF(jit_scratch)));
		e8(e, 0xf0);
		x86_op(e, w, 0x0fb1, 2, RDX, M(RCX, 0)); /* cmpxchg */
		jcc_to(e, CC_NE, again);
	}
	if (size == 4)
		movsxd(e, RAX, R(RAX));
	store_g(t, in->rd, RAX);
}

static void mul_high(struct xlat *t, const struct insn *in, int ext)
{
	load_g(t, RAX, in->rs1);
	grp3(&t->e, W64, ext, gop(t, in->rs2));
	store_g(t, in->rd, RDX);
}

/* DIV/DIVU/REM/REMU and their W forms, with RISC-V's answers for
 * division by zero and overflow instead of x86's #DE */
static void divide(struct xlat *t, const struct insn *in, bool is_signed,
		   bool rem, bool word)
{
	struct emit *e = &t->e;
	unsigned w = word ? 0 : W64;
	uint8_t *zero, *done1 = NULL, *done2, *normal = NULL;

	load_g(t, RAX, in->rs1);
	load_g(t, RCX, in->rs2);
	x86_op(e, w, 0x85, 1, RCX, R(RCX)); /* test rcx, rcx */
	zero = jcc32(e, CC_E);
	if (is_signed) {
		alu_i(e, w, ALU_CMP, R(RCX), -1);
		normal = jcc32(e, CC_NE);
		if (rem)
			mov_ri(e, RAX, 0);
		else
			grp3(e, w, 3, R(RAX)); /* neg: MIN / -1 = MIN */
		done1 = jmp32(e);
		bind(e, normal);
		if (word)
			e8(e, 0x99); /* cdq */
		else {
			e8(e, 0x48);
			e8(e, 0x99); /* cqo */
		}
		grp3(e, w, 7, R(RCX)); /* idiv */
	} else {
		mov_ri(e, RDX, 0);
		grp3(e, w, 6, R(RCX)); /* div */
	}
	if (rem)
		mov_rr(e, RAX, RDX);
	done2 = jmp32(e);
	bind(e, zero);
	if (!rem)
		mov_ri(e, RAX, ~0ull);
	/* x % 0 = x: rax still holds rs1 */
	if (done1)
		bind(e, done1);
	bind(e, done2);
	if (word)
		movsxd(e, RAX, R(RAX));
	store_g(t, in->rd, RAX);
}

static void minmax(struct xlat *t, const struct insn *in, int cc)
{
	load_g(t, RAX, in->rs1);
	load_g(t, RCX, in->rs2);
	alu_r(&t->e, W64, ALU_CMP, RAX, R(RCX));
	cmov(&t->e, W64, cc, RAX, R(RCX));
	store_g(t, in->rd, RAX);
}

static void shadd(struct xlat *t, const struct insn *in, unsigned sh,
		  bool uw)
{
	if (uw)
		x86_op(&t->e, 0, 0x8b, 1, RAX, gop(t, in->rs1)); /* mov r32 */
	else
		load_g(t, RAX, in->rs1);
	if (sh)
		shift_i(&t->e, W64, SH_SHL, RAX, sh);
	alu_r(&t->e, W64, ALU_ADD, RAX, gop(t, in->rs2));
	store_g(t, in->rd, RAX);
}

bool jit_arch_supports(const struct insn *in)
{
	switch (in->op) {
	case OP_LUI: case OP_AUIPC: case OP_JAL: case OP_JALR:
	case OP_BEQ: case OP_BNE: case OP_BLT: case OP_BGE: case OP_BLTU:
	case OP_BGEU:
	case OP_LB: case OP_LH: case OP_LW: case OP_LD: case OP_LBU:
	case OP_LHU: case OP_LWU:
	case OP_SB: case OP_SH: case OP_SW: case OP_SD:
	case OP_ADDI: case OP_SLTI: case OP_SLTIU: case OP_XORI: case OP_ORI:
	case OP_ANDI: case OP_SLLI: case OP_SRLI: case OP_SRAI:
	case OP_ADD: case OP_SUB: case OP_SLL: case OP_SLT: case OP_SLTU:
	case OP_XOR: case OP_SRL: case OP_SRA: case OP_OR: case OP_AND:
	case OP_ADDIW: case OP_SLLIW: case OP_SRLIW: case OP_SRAIW:
	case OP_ADDW: case OP_SUBW: case OP_SLLW: case OP_SRLW: case OP_SRAW:
	case OP_FENCE:
	case OP_MUL: case OP_MULH: case OP_MULHU: case OP_MULW:
	case OP_DIV: case OP_DIVU: case OP_REM: case OP_REMU:
	case OP_DIVW: case OP_DIVUW: case OP_REMW: case OP_REMUW:
	case OP_ADD_UW: case OP_SH1ADD: case OP_SH2ADD: case OP_SH3ADD:
	case OP_SH1ADD_UW: case OP_SH2ADD_UW: case OP_SH3ADD_UW:
	case OP_ANDN: case OP_ORN: case OP_XNOR:
	case OP_MAX: case OP_MAXU: case OP_MIN: case OP_MINU:
	case OP_SEXT_B: case OP_SEXT_H: case OP_ZEXT_H: case OP_REV8:
	case OP_CZERO_EQZ: case OP_CZERO_NEZ:
	case OP_FLW: case OP_FLD: case OP_FSW: case OP_FSD:
	case OP_AMOSWAP_W: case OP_AMOADD_W: case OP_AMOXOR_W: case OP_AMOAND_W:
	case OP_AMOOR_W: case OP_AMOSWAP_D: case OP_AMOADD_D: case OP_AMOXOR_D:
	case OP_AMOAND_D: case OP_AMOOR_D:
		return true;
	default:
		return is_fp_arith(in->op);
	}
}

static void translate_one(struct xlat *t, const struct insn *in)
{
	struct emit *e = &t->e;

	if (is_fp_arith(in->op)) {
		fp_op(t, in);
		return;
	}
	/* results written to x0 (the sink) are dropped; only memory
	 * accesses and control flow still have to happen */
	if (in->rd == 32 && in->op != OP_FLW && in->op != OP_FLD &&
	    in->op != OP_FSW && in->op != OP_FSD &&
	    !(in->op >= OP_AMOSWAP_W && in->op <= OP_AMOMAXU_D)) {
		switch (in->op) {
		case OP_JAL: case OP_JALR: case OP_BEQ: case OP_BNE:
		case OP_BLT: case OP_BGE: case OP_BLTU: case OP_BGEU:
		case OP_LB: case OP_LH: case OP_LW: case OP_LD: case OP_LBU:
		case OP_LHU: case OP_LWU: case OP_SB: case OP_SH: case OP_SW:
		case OP_SD: case OP_FENCE:
			break;
		default:
			return;
		}
	}
	switch (in->op) {
	case OP_LUI: {
		int d = dst_reg(t, in->rd, 99);
		mov_ri(e, d, (uint64_t)(int64_t)in->imm);
		finish(t, in->rd, d);
		break;
	}
	case OP_AUIPC:
		set_g_const(t, in->rd, t->pc + (uint64_t)(int64_t)in->imm);
		break;
	case OP_JAL:
		set_g_const(t, in->rd, t->pc + in->len);
		exit_to(t, t->pc + (uint64_t)(int64_t)in->imm);
		break;
	case OP_JALR:
		load_g(t, RAX, in->rs1);
		if (in->imm)
			alu_i(e, W64, ALU_ADD, R(RAX), in->imm);
		alu_i(e, W64, ALU_AND, R(RAX), -2);
		set_g_const(t, in->rd, t->pc + in->len); /* uses rcx only */
		emit_lookup(e, t->b);
		break;
	case OP_BEQ: branch(t, in, CC_E); break;
	case OP_BNE: branch(t, in, CC_NE); break;
	case OP_BLT: branch(t, in, CC_L); break;
	case OP_BGE: branch(t, in, CC_GE); break;
	case OP_BLTU: branch(t, in, CC_B); break;
	case OP_BGEU: branch(t, in, CC_AE); break;
	case OP_LB: load(t, in, 1, W64, 0x0fbe, 2); break;
	case OP_LH: load(t, in, 2, W64, 0x0fbf, 2); break;
	case OP_LW: load(t, in, 4, W64, 0x63, 1); break;
	case OP_LD: load(t, in, 8, W64, 0x8b, 1); break;
	case OP_LBU: load(t, in, 1, 0, 0x0fb6, 2); break;
	case OP_LHU: load(t, in, 2, 0, 0x0fb7, 2); break;
	case OP_LWU: load(t, in, 4, 0, 0x8b, 1); break;
	case OP_SB: store(t, in, 1); break;
	case OP_SH: store(t, in, 2); break;
	case OP_SW: store(t, in, 4); break;
	case OP_SD: store(t, in, 8); break;
	case OP_AMOSWAP_W: amo(t, in, 4, -1); break;
	case OP_AMOADD_W: amo(t, in, 4, ALU_ADD); break;
	case OP_AMOXOR_W: amo(t, in, 4, ALU_XOR); break;
	case OP_AMOAND_W: amo(t, in, 4, ALU_AND); break;
	case OP_AMOOR_W: amo(t, in, 4, ALU_OR); break;
	case OP_AMOSWAP_D: amo(t, in, 8, -1); break;
	case OP_AMOADD_D: amo(t, in, 8, ALU_ADD); break;
	case OP_AMOXOR_D: amo(t, in, 8, ALU_XOR); break;
	case OP_AMOAND_D: amo(t, in, 8, ALU_AND); break;
	case OP_AMOOR_D: amo(t, in, 8, ALU_OR); break;
	case OP_FLW: fp_load(t, in, 4); break;
	case OP_FLD: fp_load(t, in, 8); break;
	case OP_FSW: fp_store(t, in, 4); break;
	case OP_FSD: fp_store(t, in, 8); break;
	case OP_ADDI: alu_ri(t, in, ALU_ADD); break;
	case OP_XORI: alu_ri(t, in, ALU_XOR); break;
	case OP_ORI: alu_ri(t, in, ALU_OR); break;
	case OP_ANDI: alu_ri(t, in, ALU_AND); break;
	case OP_SLTI: set_cond(t, in, CC_L, true); break;
	case OP_SLTIU: set_cond(t, in, CC_B, true); break;
	case OP_SLLI: shift_imm(t, in, SH_SHL, false); break;
	case OP_SRLI: shift_imm(t, in, SH_SHR, false); break;
	case OP_SRAI: shift_imm(t, in, SH_SAR, false); break;
	case OP_ADD: alu_rr(t, in, ALU_ADD); break;
	case OP_SUB: alu_rr(t, in, ALU_SUB); break;
	case OP_XOR: alu_rr(t, in, ALU_XOR); break;
	case OP_OR: alu_rr(t, in, ALU_OR); break;
	case OP_AND: alu_rr(t, in, ALU_AND); break;
	case OP_SLT: set_cond(t, in, CC_L, false); break;
	case OP_SLTU: set_cond(t, in, CC_B, false); break;
	case OP_SLL: shift_reg(t, in, SH_SHL, false); break;
	case OP_SRL: shift_reg(t, in, SH_SHR, false); break;
	case OP_SRA: shift_reg(t, in, SH_SAR, false); break;
	case OP_ADDIW: {
		load_g(t, RAX, in->rs1);
		if (in->imm)
			alu_i(e, 0, ALU_ADD, R(RAX), in->imm);
		int d = dst_reg(t, in->rd, 99);
		movsxd(e, d, R(RAX));
		finish(t, in->rd, d);
		break;
	}
	case OP_SLLIW: shift_imm(t, in, SH_SHL, true); break;
	case OP_SRLIW: shift_imm(t, in, SH_SHR, true); break;
	case OP_SRAIW: shift_imm(t, in, SH_SAR, true); break;
	case OP_ADDW: alu_rr_w(t, in, ALU_ADD); break;
	case OP_SUBW: alu_rr_w(t, in, ALU_SUB); break;
	case OP_SLLW: shift_reg(t, in, SH_SHL, true); break;
	case OP_SRLW: shift_reg(t, in, SH_SHR, true); break;
	case OP_SRAW: shift_reg(t, in, SH_SAR, true); break;
	case OP_FENCE: {
		unsigned pred = (in->raw >> 24) & 15, succ = (in->raw >> 20) & 15;
		/* x86 keeps every order but store -> load */
		if ((pred & 1) && (succ & 2)) {
			e8(e, 0x0f);
			e8(e, 0xae);
			e8(e, 0xf0); /* mfence */
		}
		break;
	}
	case OP_MUL: {
		int d = dst_reg(t, in->rd, in->rs2);
		load_g(t, d, in->rs1);
		imul_r(e, W64, d, gop(t, in->rs2));
		finish(t, in->rd, d);
		break;
	}
	case OP_MULW: {
		load_g(t, RAX, in->rs1);
		imul_r(e, 0, RAX, gop(t, in->rs2));
		int d = dst_reg(t, in->rd, 99);
		movsxd(e, d, R(RAX));
		finish(t, in->rd, d);
		break;
	}
	case OP_MULH: mul_high(t, in, 5); break;
	case OP_MULHU: mul_high(t, in, 4); break;
	case OP_DIV: divide(t, in, true, false, false); break;
	case OP_DIVU: divide(t, in, false, false, false); break;
	case OP_REM: divide(t, in, true, true, false); break;
	case OP_REMU: divide(t, in, false, true, false); break;
	case OP_DIVW: divide(t, in, true, false, true); break;
	case OP_DIVUW: divide(t, in, false, false, true); break;
	case OP_REMW: divide(t, in, true, true, true); break;
	case OP_REMUW: divide(t, in, false, true, true); break;
	case OP_ADD_UW: shadd(t, in, 0, true); break;
	case OP_SH1ADD: shadd(t, in, 1, false); break;
	case OP_SH2ADD: shadd(t, in, 2, false); break;
	case OP_SH3ADD: shadd(t, in, 3, false); break;
	case OP_SH1ADD_UW: shadd(t, in, 1, true); break;
	case OP_SH2ADD_UW: shadd(t, in, 2, true); break;
	case OP_SH3ADD_UW: shadd(t, in, 3, true); break;
	case OP_ANDN:
	case OP_ORN:
	case OP_XNOR:
		load_g(t, RAX, in->rs2);
		if (in->op != OP_XNOR)
			grp3(e, W64, 2, R(RAX)); /* not */
		alu_r(e, W64, in->op == OP_ANDN	 ? ALU_AND
			      : in->op == OP_ORN ? ALU_OR
						 : ALU_XOR,
		      RAX, gop(t, in->rs1));
		if (in->op == OP_XNOR)
			grp3(e, W64, 2, R(RAX));
		store_g(t, in->rd, RAX);
		break;
	case OP_MAX: minmax(t, in, CC_L); break;
	case OP_MAXU: minmax(t, in, CC_B); break;
	case OP_MIN: minmax(t, in, CC_G); break;
	case OP_MINU: minmax(t, in, CC_A); break;
	case OP_SEXT_B:
	case OP_SEXT_H:
	case OP_ZEXT_H:
		load_g(t, RAX, in->rs1);
		x86_op(e, in->op == OP_ZEXT_H ? 0 : W64,
		       in->op == OP_SEXT_B   ? 0x0fbe
		       : in->op == OP_SEXT_H ? 0x0fbf
					     : 0x0fb7,
		       2, RAX, R(RAX));
		store_g(t, in->rd, RAX);
		break;
	case OP_REV8:
		load_g(t, RAX, in->rs1);
		e8(e, 0x48);
		e8(e, 0x0f);
		e8(e, 0xc8); /* bswap rax */
		store_g(t, in->rd, RAX);
		break;
	case OP_CZERO_EQZ:
	case OP_CZERO_NEZ:
		load_g(t, RAX, in->rs1);
		mov_ri(e, RCX, 0);
		alu_i(e, W64, ALU_CMP, gop(t, in->rs2), 0);
		cmov(e, W64, in->op == OP_CZERO_EQZ ? CC_E : CC_NE, RAX,
		     R(RCX));
		store_g(t, in->rd, RAX);
		break;
	default:
		break; /* not reached: jit_arch_supports() said no */
	}
}

const uint8_t *jit_arch_translate(struct jit_buf *b, const struct insn *in,
				  unsigned n, uint64_t vpc,
				  enum jit_next next_kind)
{
	struct xlat local, *t = &local; /* harts translate concurrently */
	uint8_t *start = b->base + b->used;
	struct stub *ev;

	t->e.p = t->e.start = start;
	t->e.end = b->base + b->size;
	t->b = b;
	t->vpc = vpc;
	t->pc = vpc;
	t->n = n;
	t->k = 0;
	t->nstubs = 0;
	t->ndata = 0;
	for (unsigned g = 0; g < 33; g++)
		t->hreg[g] = host_of(b, g);

	/* entry: events, then count the block as retired if the budget
	 * allows */
	ev = new_stub(t, vpc, JX_EVENTS);
	ev->unretire = 0;
	alu_i(&t->e, 0, ALU_CMP, M(RBP, OFF(events)), 0);
	stub_from(ev, jcc32(&t->e, CC_NE));
	ev = new_stub(t, vpc, JX_BUDGET);
	ev->unretire = (int32_t)n;
	alu_i(&t->e, W64, ALU_SUB, R(BUDGET), (int32_t)n);
	stub_from(ev, jcc32(&t->e, CC_L));

	for (unsigned i = 0; i < n; i++) {
		t->k = i;
		translate_one(t, &in[i]);
		t->pc += in[i].len;
	}
	switch (in[n - 1].op) {
	case OP_JAL: case OP_JALR: case OP_BEQ: case OP_BNE: case OP_BLT:
	case OP_BGE: case OP_BLTU: case OP_BGEU:
		break; /* the block's own exits are in place */
	default:
		if (next_kind == NEXT_INTERP) {
			set_pc(t, t->pc);
			leave(t, JX_INTERP);
		} else {
			exit_to(t, t->pc); /* chain or lookup by page */
		}
	}
	emit_stubs(t);
	/* the instruction copies for helpers, 8-byte aligned */
	while ((uintptr_t)t->e.p & 7)
		e8(&t->e, 0xcc);
	for (unsigned i = 0; i < t->ndata; i++) {
		uint64_t at = (uint64_t)(uintptr_t)t->e.p;
		for (unsigned k = 0; k < sizeof(struct insn); k++)
			e8(&t->e, ((const uint8_t *)&t->data[i].in)[k]);
		if (t->e.p <= t->e.end)
			memcpy(t->data[i].imm, &at, 8);
	}
	if (t->e.p > t->e.end)
		return NULL;
	b->used = (size_t)(t->e.p - b->base);
	b->used = (b->used + 15) & ~(size_t)15;
	return start;
}

void jit_arch_patch(uint8_t *site, const uint8_t *target)
{
	patch_rel32(site, target);
}

static void push(struct emit *e, int r)
{
	if (r & 8)
		e8(e, 0x41);
	e8(e, 0x50 + (r & 7));
}

static void pop(struct emit *e, int r)
{
	if (r & 8)
		e8(e, 0x41);
	e8(e, 0x58 + (r & 7));
}

bool jit_arch_init(struct jit_buf *b)
{
	static const int saved[] = {RBP, RBX, R12, R13, R14, R15};
	struct emit em = {b->base, b->base, b->base + b->size};
	struct emit *e = &em;

	/* int enter(struct hart *h, const void *code) */
	b->enter = e->p;
	for (unsigned i = 0; i < 6; i++)
		push(e, saved[i]);
	alu_i(e, W64, ALU_SUB, R(RSP), 8); /* 16-byte aligned for calls */
	mov_rr(e, RBP, RDI);
	mov_rr(e, RAX, RSI);
	for (unsigned i = 0; i < JIT_PINS; i++)
		if (b->pins[i])
			mov_r_m(e, pin_host[i], GX(b->pins[i]));
	mov_r_m(e, BUDGET, M(RBP, OFF(jit_budget)));
	x86_op(e, 0, 0xff, 1, 4, R(RAX)); /* jmp rax */

	/* leave: eax = reason */
	b->arch[T_LEAVE] = e->p;
	for (unsigned i = 0; i < JIT_PINS; i++)
		if (b->pins[i])
			mov_m_r(e, GX(b->pins[i]), pin_host[i]);
	mov_m_r(e, M(RBP, OFF(jit_budget)), BUDGET);
	alu_i(e, W64, ALU_ADD, R(RSP), 8);
	for (int i = 5; i >= 0; i--)
		pop(e, saved[i]);
	e8(e, 0xc3);

	/* lookup: rax = guest pc; the jump cache (tlb_jc_index()) */
	/* jump-cache miss: rax = the guest pc. Ask C for the block (after
	 * T_CALL, emitted below) and go on there; leave only if there is
	 * none. */
	b->arch[T_MISS] = e->p;
	mov_m_r(e, M(RBP, OFF(pc)), RAX);
	mov_rr(e, RDX, RAX);
	mov_ri(e, RAX, (uint64_t)(uintptr_t)jit_lookup_from_code);
	uint8_t *call_at = e->p + 1;
	call_to(e, b->base); /* patched to T_CALL below */
	x86_op(e, W64, 0x85, 1, RAX, R(RAX));
	uint8_t *none = jcc32(e, CC_E);
	x86_op(e, 0, 0xff, 1, 4, R(RAX)); /* jmp rax */
	bind(e, none);
	mov_ri(e, RAX, JX_LOOKUP);
	jmp_to(e, b->arch[T_LEAVE]);

	/* fill: rcx = address, edx = size | write << 8; returns the addend
	 * or 0 in rax, every other register as it was */
	b->arch[T_FILL] = e->p;
	static const int keep[] = {RCX, RSI, RDI, R8, R9, R10, R11};
	for (unsigned i = 0; i < 7; i++) /* 7 + return address: aligned */
		push(e, keep[i]);
	mov_rr(e, RDI, RBP);
	mov_rr(e, RSI, RCX);
	mov_ri(e, RAX, (uint64_t)(uintptr_t)mmu_fill_for_jit);
	x86_op(e, 0, 0xff, 1, 2, R(RAX)); /* call rax */
	for (int i = 6; i >= 0; i--)
		pop(e, keep[i]);
	e8(e, 0xc3);

	/* call: rax = a C function fn(struct hart *, rdx), result in rax;
	 * guest registers in caller-saved host registers survive */
	b->arch[T_CALL] = e->p;
	if (call_at + 4 <= e->end)
		patch_rel32(call_at, b->arch[T_CALL]);
	for (unsigned i = 0; i < 7; i++)
		push(e, keep[i]);
	mov_rr(e, RDI, RBP);
	mov_rr(e, RSI, RDX);
	x86_op(e, 0, 0xff, 1, 2, R(RAX)); /* call rax */
	for (int i = 6; i >= 0; i--)
		pop(e, keep[i]);
	e8(e, 0xc3);

	if (e->p > e->end)
		return false;
	b->used = ((size_t)(e->p - b->base) + 15) & ~(size_t)15;
	return true;
}

#endif
