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
 *                      in h->x[] and are used as memory operands. A block
 *                      that loops may lend some of them to its own hot
 *                      registers (plan_borrows).
 * A block starts by taking its length off the budget; exits in the middle
 * of a block give back what did not retire. Events arrive as a signal that
 * takes the budget away (jit.c, jit_arch_kicked). */
#if defined(__x86_64__)

#include "cpu/jit/x86_64.h"

#include <ucontext.h>

#include "base/log.h"
#include "cpu/mmu.h"

_Static_assert(sizeof(struct tlb_entry) == 32, "tlb_entry layout");
_Static_assert(sizeof(struct tlb_jump) == 32, "tlb_jump layout");
_Static_assert(TLB_JC_GROUP == 64, "jc index");
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

struct opnd gop(struct xlat *t, unsigned g)
{
	return t->hreg[g] != NOREG ? R(t->hreg[g]) : GX(g);
}

void load_g(struct xlat *t, int dst, unsigned g)
{
	if (g == 0)
		mov_ri(&t->e, dst, 0);
	else if (t->hreg[g] != NOREG)
		mov_rr(&t->e, dst, t->hreg[g]);
	else
		mov_r_m(&t->e, dst, GX(g));
}

void store_g(struct xlat *t, unsigned g, int src)
{
	if (g == 0 || g == 32)
		return;
	if (t->hreg[g] != NOREG)
		mov_rr(&t->e, t->hreg[g], src);
	else
		mov_m_r(&t->e, GX(g), src);
}

void set_g_const(struct xlat *t, unsigned g, uint64_t v)
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
int dst_reg(struct xlat *t, unsigned rd, unsigned keep)
{
	if (t->hreg[rd] != NOREG && rd != keep)
		return t->hreg[rd];
	return RAX;
}

void finish(struct xlat *t, unsigned rd, int d)
{
	if (t->hreg[rd] == NOREG || t->hreg[rd] != d)
		store_g(t, rd, d);
}

void set_pc(struct xlat *t, uint64_t pc)
{
	mov_ri(&t->e, RAX, pc);
	mov_m_r(&t->e, M(RBP, OFF(pc)), RAX);
}

void leave(struct xlat *t, int reason)
{
	unborrow(t);
	mov_ri(&t->e, RAX, (uint64_t)reason);
	jmp_to(&t->e, t->b->arch[T_LEAVE]);
}

struct stub *new_stub(struct xlat *t, uint64_t pc, int reason)
{
	BUG_ON(t->nstubs >= sizeof(t->stubs) / sizeof(t->stubs[0]));
	struct stub *s = &t->stubs[t->nstubs++];
	s->nfrom = 0;
	s->pc = pc;
	s->unretire = (int32_t)(t->n - t->k);
	s->reason = reason;
	s->resume = NULL;
	s->site = 0;
	s->branch = false;
	s->relookup = false;
	s->borrowed = t->borrow_on;
	s->local = -1;
	return s;
}

void stub_from(struct stub *s, uint8_t *rel32)
{
	s->from[s->nfrom++] = rel32;
}

void exit_to(struct xlat *t, uint64_t target);
static void emit_lookup_const(struct emit *e, const struct jit_buf *b,
			      uint64_t pc);

#define ENTRY_TAG    ((int32_t)offsetof(struct tlb_entry, tag))
#define ENTRY_ADDEND ((int32_t)offsetof(struct tlb_entry, addend))

/* rax = (va >> 12 & mask) * 32, the offset of va's entry in an array */
static void entry_offset(struct emit *e, int a)
{
	if (__builtin_cpu_supports("bmi2")) {
		/* rorx rax, a, 7 (BMI2): the low 32 bits are the shift's */
		e8(e, 0xc4);
		e8(e, a & 8 ? 0xc3 : 0xe3);
		e8(e, 0xfb);
		e8(e, 0xf0);
		e8(e, 0xc0 | (a & 7));
		e8(e, 12 - 5);
	} else {
		mov_rr(e, RAX, a);
		shift_i(e, W64, SH_SHR, RAX, 12 - 5);
	}
	alu_r(e, 0, ALU_AND, RAX, M(RBP, OFF(tlb.mask32)));
}

static void emit_stubs(struct xlat *t)
{
	for (unsigned i = 0; i < t->nstubs; i++) {
		struct stub *s = &t->stubs[i];
		t->borrow_on = s->borrowed;
		for (unsigned f = 0; f < s->nfrom; f++)
			bind(&t->e, s->from[f]);
		if (s->branch) {
			if (s->unretire)
				alu_i(&t->e, W64, ALU_ADD, R(BUDGET),
				      s->unretire);
			if (s->local >= 0) {
				/* a forward branch within the block */
				jmp_to(&t->e, t->pos[s->local]);
			} else if (s->relookup) {
				/* under the new context: never chained */
				unborrow(t);
				emit_lookup_const(&t->e, t->b, s->target);
			} else {
				exit_to(t, s->target);
			}
			continue;
		}
		if (s->site) {
			/* the site entry missed: the TLB proper, and on a hit
			 * the site takes its page (rdx: the tag sought, but
			 * for the context id) */
			struct emit *e = &t->e;
			entry_offset(e, s->areg);
			alu_r(e, W64, ALU_OR, RDX, M(RBP, OFF(tlb.cid)));
			alu_r(e, W64, ALU_CMP, RDX,
			      MX(RBP, RAX, s->array + ENTRY_TAG));
			uint8_t *miss = jcc32(e, CC_NE);
			mov_r_m(e, RAX, MX(RBP, RAX, s->array + ENTRY_ADDEND));
			alu_r(e, W64, ALU_XOR, RDX, M(RBP, OFF(tlb.cid)));
			mov_m_r(e, M(RBP, s->site), RDX);
			mov_m_r(e, M(RBP, s->site + 8), RAX);
			jmp_to(e, s->resume);
			bind(e, miss);
		}
		if (s->resume) {
			if (s->areg != RCX)
				mov_rr(&t->e, RCX, s->areg);
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
void emit_lookup(struct emit *e, const struct jit_buf *b)
{
	mov_rr(e, RCX, RAX);
	shift_i(e, W64, SH_SHR, RCX, 12 - TLB_JC_ADDR_BITS);
	mov_rr(e, RDX, RAX);
	shift_i(e, W64, SH_SHR, RDX, 1);
	alu_r(e, 0, ALU_XOR, RDX, R(RCX));
	alu_i(e, 0, ALU_AND, R(RDX), TLB_JC_GROUP - 1);
	alu_i(e, 0, ALU_AND, R(RCX),
	      (int32_t)((TLB_JC_SIZE - 1) & ~(TLB_JC_GROUP - 1)));
	alu_r(e, 0, ALU_OR, RCX, R(RDX));
	shift_i(e, 0, SH_SHL, RCX, 5);
	alu_r(e, W64, ALU_CMP, RAX, MX(RBP, RCX, JC_OFF(vpc)));
	jcc_to(e, CC_NE, b->arch[T_MISS]);
	mov_r_m(e, RDX, MX(RBP, RCX, JC_OFF(ctx)));
	alu_r(e, W64, ALU_CMP, RDX, M(RBP, OFF(jit_ctx)));
	uint8_t *hit = jcc32(e, CC_E);
	alu_r(e, W64, ALU_CMP, RDX, M(RBP, OFF(jit_gctx)));
	jcc_to(e, CC_NE, b->arch[T_MISS]);
	bind(e, hit);
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
	mov_r_m(e, RDX, M(RBP, JC_OFF(ctx) + slot));
	alu_r(e, W64, ALU_CMP, RDX, M(RBP, OFF(jit_ctx)));
	uint8_t *hit = jcc32(e, CC_E);
	alu_r(e, W64, ALU_CMP, RDX, M(RBP, OFF(jit_gctx)));
	jcc_to(e, CC_NE, b->arch[T_MISS]);
	bind(e, hit);
	x86_op(e, 0, 0xff, 1, 4, M(RBP, JC_OFF(code) + slot)); /* jmp */
}

/* continue at `target`, known at translation time */
void exit_to(struct xlat *t, uint64_t target)
{
	struct emit *e = &t->e;
	bool lent = t->borrow_on;

	unborrow(t);
	t->borrow_on = false; /* for leave() below */

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
	t->borrow_on = lent;
}

/* ---- instructions ---- */

/* rcx = rs1 + imm */
void address(struct xlat *t, const struct insn *in)
{
	int b = t->hreg[in->rs1];
	t->areg = RCX;
	if (b != NOREG && in->imm == 0) {
		t->areg = b;
	} else if (b != NOREG) {
		lea(&t->e, RCX, M(b, in->imm));
	} else {
		load_g(t, RCX, in->rs1);
		if (in->imm)
			alu_i(&t->e, W64, ALU_ADD, R(RCX), in->imm);
	}
}

/* A load in a loop whose block starts at t->vpc: the loop's body is
 * this block, so the load comes round again, most often to the same
 * page: it gets a site entry (tlb.h). */
static int32_t site_for(struct xlat *t, bool write)
{
	if (write || !t->loop)
		return 0;
	unsigned i = t->b->next_site++ % TLB_SITES;
	return OFF(tlb.site[t->dmmu]) + (int32_t)(i * sizeof(struct tlb_site));
}

/* The inline TLB hit test for an access of `size` bytes at t->areg;
 * leaves rax = the host address of the guest page (minus its guest
 * address), or jumps to the instruction's exit stub. */
void tlb_hit(struct xlat *t, unsigned size, bool write)
{
	struct emit *e = &t->e;
	struct stub *s = new_stub(t, t->pc, JX_INTERP);
	/* the block's data MMU index is fixed: the entry is at
	 * rbp + array + (va >> 12 & mask) * 32 */
	int32_t arr = write ? OFF(tlb.w[t->dmmu]) : OFF(tlb.r[t->dmmu]);
	int32_t site = site_for(t, write);
	int a = t->areg;

	if (!site)
		entry_offset(e, a);
	/* tlb_tag(): page, alignment bits and (not for a site) the
	 * context id */
	mov_rr(e, RDX, a);
	alu_i(e, W64, ALU_AND, R(RDX), (int32_t)(0xfffff000u | (size - 1)));
	if (site) {
		alu_r(e, W64, ALU_CMP, RDX, M(RBP, site));
		stub_from(s, jcc32(e, CC_NE));
		mov_r_m(e, RAX, M(RBP, site + 8));
	} else {
		alu_r(e, W64, ALU_OR, RDX, M(RBP, OFF(tlb.cid)));
		/* a write entry exists only while its page has no flags (no
		 * code, not watched): gmem_set_page_flag() drops them */
		alu_r(e, W64, ALU_CMP, RDX, MX(RBP, RAX, arr + ENTRY_TAG));
		stub_from(s, jcc32(e, CC_NE));
		mov_r_m(e, RAX, MX(RBP, RAX, arr + ENTRY_ADDEND));
	}
	s->resume = e->p;
	s->areg = a;
	s->size_write = size | (write ? 0x100 : 0);
	s->site = site;
	s->array = arr;
}

/* A JAL before the block's last instruction is one the block went on
 * through (jit.c ends blocks at jumps it does not follow). */
bool x86_jal_followed(const struct xlat *t, unsigned i)
{
	return t->ins[i].op == OP_JAL && i + 1 < t->n;
}

static void plan_pcs(struct xlat *t)
{
	t->pcs[0] = t->vpc;
	for (unsigned i = 0; i < t->n; i++)
		t->pcs[i + 1] =
			t->pcs[i] + (x86_jal_followed(t, i)
					     ? (uint64_t)(int64_t)t->ins[i].imm
					     : t->ins[i].len);
}

static void plan_local_targets(struct xlat *t)
{
	t->loop = false;
	t->body = 0;
	memset(t->target, 0, t->n * sizeof(t->target[0]));
	for (unsigned i = 0; i < t->n; i++) {
		const struct insn *in = &t->ins[i];
		t->local[i] = -1;
		if (in->op >= OP_BEQ && in->op <= OP_BGEU) {
			uint64_t to = t->pcs[i] + (uint64_t)(int64_t)in->imm;
			if (to == t->vpc) {
				t->loop = true;
				t->body = i + 1;
			}
			for (unsigned j = i + 1; j < t->n; j++) {
				if (t->pcs[j] == to) {
					t->local[i] = (int16_t)j;
					t->target[j] = true;
					break;
				}
			}
			/* back to an instruction after the start: a loop
			 * whose head is not where the block was entered, or
			 * one path of two that take turns (a merge) */
			for (unsigned j = 1; t->local[i] < 0 && j <= i; j++) {
				if (t->pcs[j] == to) {
					t->local[i] = (int16_t)j;
					t->target[j] = true;
					t->loop = true;
					t->body = i + 1;
				}
			}
		}
	}
}

/* Ten guest registers have host registers for good (the pins, learnt
 * over the whole run). A block that loops back to its own start and uses
 * another register much more often than one of the pinned ones (its
 * loop's body counting four times) borrows that one's host register for
 * it: swapped in after the entry checks (the pinned register then lives in
 * h->x for the block), swapped back before every way out of the block's
 * code (leave, chain, lookup); a loop back to the block's start stays
 * inside. Calls to C (fills, helpers) keep all host registers, so they
 * need no swap. Register fields of any kind count as uses (an F
 * register's number too), which only makes choices worse. */
#define BORROW_MIN_USES 8
#define BORROW_MARGIN	4
static void plan_borrows(struct xlat *t)
{
	unsigned uses[33] = {0};
	bool moved[33] = {false};

	for (unsigned i = 0; i < t->n; i++) {
		const struct insn *in = &t->ins[i];
		unsigned w = i < t->body ? 4 : 1;
		uses[in->rd < 33 ? in->rd : 32] += w;
		uses[in->rs1 < 33 ? in->rs1 : 32] += w;
		uses[in->rs2 < 33 ? in->rs2 : 32] += w;
		uses[in->rs3 < 33 ? in->rs3 : 32] += w;
	}
	while (t->loop &&
	       t->nborrow < sizeof(t->borrow) / sizeof(t->borrow[0])) {
		unsigned hot = 0, cold = 0;
		for (unsigned g = 1; g < 32; g++) {
			if (moved[g])
				continue;
			if (t->hreg[g] == NOREG &&
			    (!hot || uses[g] > uses[hot]))
				hot = g;
			if (t->hreg[g] != NOREG &&
			    (!cold || uses[g] < uses[cold]))
				cold = g;
		}
		/* worth two moves in and two out on the way out */
		if (!hot || !cold || uses[hot] < BORROW_MIN_USES ||
		    uses[hot] < uses[cold] + BORROW_MARGIN)
			break;
		unsigned k = t->nborrow++;
		t->borrow[k].host = t->hreg[cold];
		t->borrow[k].pinned = cold;
		t->borrow[k].guest = hot;
		t->hreg[hot] = t->hreg[cold];
		t->hreg[cold] = NOREG;
		moved[hot] = moved[cold] = true;
	}
}

static void borrow(struct xlat *t)
{
	for (unsigned k = 0; k < t->nborrow; k++) {
		mov_m_r(&t->e, GX(t->borrow[k].pinned), t->borrow[k].host);
		mov_r_m(&t->e, t->borrow[k].host, GX(t->borrow[k].guest));
	}
	t->borrow_on = t->nborrow > 0;
}

void unborrow(struct xlat *t)
{
	if (!t->borrow_on)
		return;
	for (unsigned k = 0; k < t->nborrow; k++) {
		mov_m_r(&t->e, GX(t->borrow[k].guest), t->borrow[k].host);
		mov_r_m(&t->e, t->borrow[k].host, GX(t->borrow[k].pinned));
	}
}

const uint8_t *jit_arch_translate(struct jit_buf *b, const struct insn *in,
				  unsigned n, uint64_t vpc,
				  enum jit_next next_kind, int dmmu)
{
	struct xlat local, *t = &local; /* harts translate concurrently */
	uint8_t *start = b->base + b->used;
	struct stub *ev;

	t->e.p = t->e.start = start;
	t->e.wx = b->wx;
	t->e.end = b->base + b->size;
	t->b = b;
	t->vpc = vpc;
	t->pc = vpc;
	t->dmmu = dmmu;
	t->n = n;
	t->k = 0;
	t->nstubs = 0;
	t->ndata = 0;
	t->nborrow = 0;
	t->borrow_on = false;
	t->held_k = -1;
	for (unsigned g = 0; g < 33; g++)
		t->hreg[g] = host_of(b, g);

	/* entry: count the block as retired if the budget allows (events
	 * come by signal, which takes the budget away: jit.c) */
	ev = new_stub(t, vpc, JX_BUDGET);
	ev->unretire = (int32_t)n;
	t->budget_exit = ev;
	alu_i(&t->e, W64, ALU_SUB, R(BUDGET), (int32_t)n);
	stub_from(ev, jcc32(&t->e, CC_L));

	t->ins = in;
	plan_pcs(t);
	plan_local_targets(t);
	plan_borrows(t);
	borrow(t);
	x86_plan_groups(t);
	for (unsigned i = 0; i < n; i++) {
		t->k = i;
		t->pos[i] = t->e.p;
		if ((t->pc & 0xfff) == 0xffe && in[i].len == 4) {
			/* the half in the next page may have changed */
			set_pc(t, t->pc);
			helper_call(t, &in[i], (const void *)jit_crossing_ok, 0,
				    false, false);
			t->held_k = -1; /* the call took rax and rcx */
		}
		x86_translate_insn(t, &in[i]);
		i = t->k; /* an if-converted branch translated on to here */
		t->pc = t->pcs[i + 1];
	}
	/* a block ending in a jump or branch has its exits in place */
	if (!insn_is_control(in[n - 1].op)) {
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
			memcpy(t->data[i].imm + b->wx, &at, 8);
	}
	if (t->e.p > t->e.end)
		return NULL;
	b->used = (size_t)(t->e.p - b->base);
	b->used = (b->used + 15) & ~(size_t)15;
	return start;
}

void jit_arch_patch(struct jit_buf *b, uint8_t *site, const uint8_t *target)
{
	patch_rel32(b->wx, site, target);
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

/* After a call to C from translated code: an event set meanwhile (by
 * this thread, or by another whose signal found C code running) makes
 * the code leave at its next budget test, as a kick would. Flags are
 * free here; rax holds the result. */
static void kicked_in_c(struct emit *e)
{
	const int32_t steal = 1 << 30;
	alu_i(e, 0, ALU_CMP, M(RBP, OFF(events)), 0);
	uint8_t *none = jcc32(e, CC_E);
	alu_i(e, W64, ALU_SUB, R(BUDGET), steal);
	alu_i(e, W64, ALU_ADD, M(RBP, OFF(jit_stolen)), steal);
	bind(e, none);
}

void jit_arch_kicked(const struct jit_buf *b, struct hart *h, void *ucontext,
		     int64_t steal)
{
	greg_t *g = ((ucontext_t *)ucontext)->uc_mcontext.gregs;
	const uint8_t *rip = (const uint8_t *)(uintptr_t)g[REG_RIP];

	if ((rip >= b->budget_live && rip < b->arch[T_LEAVE]) ||
	    (rip >= b->base + b->trampolines_end && rip < b->base + b->size)) {
		g[REG_R15] -= steal; /* translated code or a trampoline */
		h->jit_stolen += steal;
	} else if (rip >= b->enter && rip < b->budget_live) {
		h->jit_budget -= steal; /* on the way in: not loaded yet */
		h->jit_stolen += steal;
	}
}

bool jit_arch_init(struct jit_buf *b)
{
	static const int saved[] = {RBP, RBX, R12, R13, R14, R15};
	struct emit em = {b->base, b->base, b->base + b->size, b->wx};
	struct emit *e = &em;

	/* int enter(struct hart *h, const void *code) */
	b->enter = e->p;
	for (unsigned i = 0; i < 6; i++)
		push(e, saved[i]);
	alu_i(e, W64, ALU_SUB, R(RSP), 8); /* 16-byte aligned for calls */
	mov_rr(e, RBP, RDI);
	mov_rr(e, RAX, RSI);
	/* from here to T_LEAVE r15 is the budget (jit_arch_kicked) */
	mov_r_m(e, BUDGET, M(RBP, OFF(jit_budget)));
	b->budget_live = e->p;
	for (unsigned i = 0; i < JIT_PINS; i++)
		if (b->pins[i])
			mov_r_m(e, pin_host[i], GX(b->pins[i]));
	/* a kick whose signal found run() in C after its look at the event
	 * word did nothing: the event word, set before the signal was sent,
	 * says so here (a later signal finds r15 live) */
	kicked_in_c(e);
	x86_op(e, 0, 0xff, 1, 4, R(RAX)); /* jmp rax */

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
	uint8_t *leave_at = jmp32(e); /* to T_LEAVE, emitted last */

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
	kicked_in_c(e);
	for (int i = 6; i >= 0; i--)
		pop(e, keep[i]);
	e8(e, 0xc3);

	/* call: rax = a C function fn(struct hart *, rdx), result in rax;
	 * guest registers in caller-saved host registers survive */
	b->arch[T_CALL] = e->p;
	if (call_at + 4 <= e->end)
		patch_rel32(b->wx, call_at, b->arch[T_CALL]);
	for (unsigned i = 0; i < 7; i++)
		push(e, keep[i]);
	mov_rr(e, RDI, RBP);
	mov_rr(e, RSI, RDX);
	x86_op(e, 0, 0xff, 1, 2, R(RAX)); /* call rax */
	kicked_in_c(e);
	for (int i = 6; i >= 0; i--)
		pop(e, keep[i]);
	e8(e, 0xc3);

	/* leave: eax = reason (last: r15 is no budget from here on) */
	b->arch[T_LEAVE] = e->p;
	if (leave_at + 4 <= e->end)
		patch_rel32(b->wx, leave_at, b->arch[T_LEAVE]);
	for (unsigned i = 0; i < JIT_PINS; i++)
		if (b->pins[i])
			mov_m_r(e, GX(b->pins[i]), pin_host[i]);
	mov_m_r(e, M(RBP, OFF(jit_budget)), BUDGET);
	alu_i(e, W64, ALU_ADD, R(RSP), 8);
	for (int i = 5; i >= 0; i--)
		pop(e, saved[i]);
	e8(e, 0xc3);

	if (e->p > e->end)
		return false;
	b->used = ((size_t)(e->p - b->base) + 15) & ~(size_t)15;
	return true;
}

/* call fn(h, copy of in) through T_CALL, with the guest registers it
 * reads (`reads`: bit per register) in h->x and rd reloaded after it;
 * if it returns false (having done nothing) the interpreter takes over */
void helper_call(struct xlat *t, const struct insn *in, const void *fn,
		 uint64_t reads, bool writes_rd, bool may_leave_after)
{
	struct emit *e = &t->e;
	struct stub *s = new_stub(t, t->pc, JX_INTERP);

	/* rd too: it is reloaded whatever the helper did */
	if (writes_rd && in->rd < 32)
		reads |= 1ull << in->rd;
	for (unsigned g = 1; g < 32; g++)
		if (((reads >> g) & 1) && t->hreg[g] != NOREG)
			mov_m_r(e, GX(g), t->hreg[g]);
	mov_ri(e, RAX, (uint64_t)(uintptr_t)fn);
	e8(e, 0x48); /* mov rdx, imm64: the copy, placed after the block */
	e8(e, 0xba);
	t->data[t->ndata].imm = e->p;
	t->data[t->ndata++].in = *in;
	e64(e, 0);
	call_to(e, t->b->arch[T_CALL]);
	/* rd first: leaving stores the host registers back */
	if (writes_rd && t->hreg[in->rd] != NOREG)
		mov_r_m(e, t->hreg[in->rd], GX(in->rd));
	x86_op(e, BYTE, 0x84, 1, RAX, R(RAX)); /* test al, al */
	stub_from(s, jcc32(e, CC_E));
	if (may_leave_after) {
		/* 2: done, but leave before the next instruction */
		struct stub *after = new_stub(t, t->pc + in->len, JX_EVENTS);
		after->unretire = (int32_t)(t->n - t->k - 1);
		x86_op(e, BYTE, 0x80, 1, ALU_CMP, R(RAX)); /* cmp al, 2 */
		e8(e, 2);
		stub_from(after, jcc32(e, CC_E));
		/* 3: done, go on at the next instruction under the new MMU
		 * context, found afresh */
		struct stub *again = new_stub(t, t->pc, JX_CHAIN);
		again->branch = again->relookup = true;
		again->target = t->pc + in->len;
		again->unretire = (int32_t)(t->n - t->k - 1);
		stub_from(again, jcc32(e, CC_A));
	}
}

#endif
