/* x86_64_group.c - one TLB check for several accesses.
 *
 * Code often touches several words through one base register: a
 * function's register saves and restores at sp, a structure's fields, a
 * byte loop unrolled by the compiler. When the base does not change in
 * between, the accesses fall in one range of bytes; if that range lies in
 * one page, the first access's TLB test covers them all, and the others
 * use the host address it found (kept in h->jit_addend[]).
 *
 * Why this is sound:
 * - Within a block the mapping cannot change: fences, satp writes and
 *   remote fence requests are handled at block boundaries, and anything
 *   but plain loads, stores, ALU operations and conditional branches ends
 *   a group.
 * - The leader runs first on every path to a member: groups end at every
 *   instruction another branch in the block jumps to.
 * - Members are aligned if the leader is: they are no wider than it and
 *   sit a multiple of their size away from it.
 * - Reads and writes form separate groups, so a member store is on a page
 *   the leader found writable, dirty and holding no code.
 * - The leader tests that the range lies in one page; when it does not,
 *   the interpreter runs the leader and translation starts over after it.
 */
#if defined(__x86_64__)

#include "cpu/jit/x86_64.h"

/* keeps the range check likely to pass */
#define GRP_MAX_SPAN 512

unsigned x86_access_size(unsigned op, bool *write)
{
	*write = op >= OP_SB && op <= OP_SD;
	switch (op) {
	case OP_LB:
	case OP_LBU:
	case OP_SB: return 1;
	case OP_LH:
	case OP_LHU:
	case OP_SH: return 2;
	case OP_LW:
	case OP_LWU:
	case OP_SW: return 4;
	case OP_LD:
	case OP_SD: return 8;
	default: return 0;
	}
}

struct open_grp {
	bool open;
	bool write;
	unsigned base;
	int leader;
	int32_t off0;
	unsigned size0;
};

static void close_grp(struct open_grp *o)
{
	o->open = false;
}

void x86_plan_groups(struct xlat *t)
{
	struct open_grp open[GRP_SLOTS] = {0};
	unsigned members[JIT_MAX_BLOCK_INSNS] = {0};

	for (unsigned i = 0; i < t->n; i++) {
		const struct insn *in = &t->ins[i];
		bool write;
		unsigned size = x86_access_size(in->op, &write);

		t->grp[i].role = GRP_NONE;
		if (t->target[i])
			for (unsigned s = 0; s < GRP_SLOTS; s++)
				close_grp(&open[s]);
		if (!size && !x86_is_pure_alu(in->op) &&
		    !(in->op >= OP_BEQ && in->op <= OP_BGEU)) {
			for (unsigned s = 0; s < GRP_SLOTS; s++)
				close_grp(&open[s]);
			continue;
		}
		if (size && in->rs1 != 0) {
			struct open_grp *o = NULL, *free_slot = NULL;
			for (unsigned s = 0; s < GRP_SLOTS; s++) {
				if (open[s].open && open[s].base == in->rs1 &&
				    open[s].write == write)
					o = &open[s];
				else if (!open[s].open && !free_slot)
					free_slot = &open[s];
			}
			if (o) {
				struct grp *l = &t->grp[o->leader];
				int32_t lo = l->lo < in->imm ? l->lo : in->imm;
				int32_t end = in->imm + (int32_t)size;
				int32_t hi = l->hi > end ? l->hi : end;
				if (size <= o->size0 &&
				    (in->imm - o->off0) % (int32_t)size == 0 &&
				    hi - lo <= GRP_MAX_SPAN) {
					l->lo = lo;
					l->hi = hi;
					t->grp[i].role = GRP_MEMBER;
					t->grp[i].slot = l->slot;
					members[o->leader]++;
				} else {
					close_grp(o);
					free_slot = o;
					o = NULL;
				}
			}
			if (!o && free_slot) {
				*free_slot = (struct open_grp){
					.open = true,
					.write = write,
					.base = in->rs1,
					.leader = (int)i,
					.off0 = in->imm,
					.size0 = size,
				};
				t->grp[i] = (struct grp){
					.role = GRP_LEADER,
					.slot = (uint8_t)(free_slot - open),
					.lo = in->imm,
					.hi = in->imm + (int32_t)size,
				};
			}
		}
		/* a new value in a base register ends its groups (after
		 * this instruction's own access through it) */
		bool writes_rd = (size && !write) || x86_is_pure_alu(in->op);
		if (writes_rd && in->rd < 32)
			for (unsigned s = 0; s < GRP_SLOTS; s++)
				if (open[s].open && open[s].base == in->rd)
					close_grp(&open[s]);
	}
	for (unsigned i = 0; i < t->n; i++)
		if (t->grp[i].role == GRP_LEADER && !members[i])
			t->grp[i].role = GRP_NONE;
}

/* Members right after another access of their group find the addend
 * (and an unpinned base) still in rax (rcx): nothing between them
 * touches those, and no branch lands between them (groups end there). */
struct opnd x86_member_operand(struct xlat *t, const struct insn *in)
{
	unsigned slot = t->grp[t->k].slot;
	bool held = t->held_k == (int)t->k - 1 && t->held_slot == slot;
	int b = t->hreg[in->rs1];
	int32_t disp = in->imm;

	if (!held)
		mov_r_m(&t->e, RAX,
			M(RBP, OFF(jit_addend) + 8 * (int32_t)slot));
	if (b == NOREG) {
		if (held && t->held_rcx) {
			disp -= t->held_rcx_off;
		} else {
			load_g(t, RCX, in->rs1);
			t->held_rcx = true;
			t->held_rcx_off = 0;
		}
		b = RCX;
	} else if (!held) {
		t->held_rcx = false;
	}
	t->held_k = (int)t->k;
	t->held_slot = slot;
	return MX(RAX, b, disp);
}

void x86_leader_range(struct xlat *t, const struct insn *in)
{
	const struct grp *g = &t->grp[t->k];
	struct emit *e = &t->e;
	bool write;
	int32_t size = (int32_t)x86_access_size(in->op, &write);

	/* within the leader's own bytes (the same words again): its
	 * alignment test keeps them in one page */
	if (g->lo >= in->imm && g->hi <= in->imm + size)
		return;
	struct stub *s = new_stub(t, t->pc, JX_INTERP);

	/* (address of the group's first byte) & 0xfff + span <= 4096 */
	x86_op(e, 0, 0x8d, 1, RDX, M(t->areg, g->lo - in->imm)); /* lea edx */
	alu_i(e, 0, ALU_AND, R(RDX), 0xfff);
	alu_i(e, 0, ALU_CMP, R(RDX), 4096 - (g->hi - g->lo));
	stub_from(s, jcc32(e, CC_A));
}

void x86_leader_keep(struct xlat *t)
{
	mov_m_r(&t->e, M(RBP, OFF(jit_addend) + 8 * (int32_t)t->grp[t->k].slot),
		RAX);
	t->held_k = (int)t->k;
	t->held_slot = t->grp[t->k].slot;
	t->held_rcx = t->areg == RCX;
	t->held_rcx_off = t->ins[t->k].imm;
}

#endif
