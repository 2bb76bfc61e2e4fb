/* x86_64_forward.c - a load of bytes the block has just stored, taken
 * from the registers that were stored.
 *
 * Compilers that may not assume fast misaligned accesses copy a word
 * byte by byte into a stack slot and load it back whole (GCC's memcpy of
 * 4 unaligned bytes). On x86 a load that several narrower stores wrote
 * cannot be forwarded from the store buffer: it waits until they reach
 * the cache, a dozen cycles or more on the load's critical path. When
 * the stores are in the same block, the value is known without memory:
 * it is the stored registers, put together.
 *
 * Why this is sound:
 * - The stores ran before the load on every path to it: nothing between
 *   them is a branch or a branch target, and there is no other write to
 *   memory (other bases could alias) and no call, fence or CSR access.
 * - The bytes are RAM the hart may read: each store passed its inline
 *   TLB test for writing (a store to anything else leaves the block), and
 *   a writable page is readable at the same privilege.
 * - RVWMO lets a hart's load return its own latest store to the bytes
 *   before that store is visible to others: this is that value.
 * - The stored registers and the stores' base still hold what they held
 *   at the stores: nothing in between writes them.
 * - When the load's address is not the stores' by construction (another
 *   base register), it is compared at run time, and a load elsewhere goes
 *   to memory as usual.
 */
#if defined(__x86_64__)

#include "cpu/jit/x86_64.h"

/* how far back to look for the stores */
#define FWD_WINDOW 24

/* does instruction i write guest register r (r != 0)? */
static bool writes(const struct insn *in, unsigned r)
{
	bool write;
	unsigned size = x86_access_size(in->op, &write);
	if (size && write)
		return false;
	return in->rd == r;
}

/* Finds the stores that wrote all of the load's bytes, each of them
 * wholly inside it, at least two (one store of the load's size or wider
 * the host forwards by itself). */
bool x86_forward_plan(const struct xlat *t, unsigned size, struct fwd *f)
{
	const struct insn *ld = &t->ins[t->k];
	unsigned k = t->k, first = k, base = 0;

	if (size < 2 || ld->rd == 0 || ld->rd == 32 ||
	    t->grp[k].role != GRP_NONE)
		return false;
	/* the straight run of plain loads, ALU operations and stores
	 * through one base that ends at the load */
	while (first > 0 && k - first < FWD_WINDOW && !t->target[first]) {
		const struct insn *in = &t->ins[first - 1];
		bool write;
		unsigned sz = x86_access_size(in->op, &write);
		if (sz && write) {
			if (in->rs1 == 0 || (base && in->rs1 != base))
				break;
			base = in->rs1;
		} else if (!sz && !x86_is_pure_alu(in->op)) {
			break;
		}
		first--;
	}
	if (!base)
		return false;
	/* the load's first byte relative to the base: known when it uses
	 * the same one, else tried at each store's offset */
	f->same = ld->rs1 == base;
	for (unsigned c = k; c-- > first;) {
		const struct insn *cand = &t->ins[c];
		bool write;
		if (!x86_access_size(cand->op, &write) || !write)
			continue;
		int32_t d = f->same ? ld->imm : cand->imm;
		f->n = 0;
		f->base = base;
		f->d = d;
		bool ok = true;
		/* for each byte, the latest store to it, wholly inside */
		for (unsigned byte = 0; ok && byte < size; byte++) {
			int32_t at = d + (int32_t)byte;
			ok = false;
			for (unsigned i = k; i-- > first;) {
				const struct insn *s = &t->ins[i];
				unsigned sz = x86_access_size(s->op, &write);
				if (!sz || !write || at < s->imm ||
				    at >= s->imm + (int32_t)sz)
					continue;
				ok = s->imm >= d &&
				     s->imm + (int32_t)sz <= d + (int32_t)size;
				bool known = false;
				for (unsigned m = 0; m < f->n; m++)
					known |= f->idx[m] == i;
				if (ok && !known)
					f->idx[f->n++] = i;
				break;
			}
		}
		/* the base and the stored registers unchanged since */
		for (unsigned m = 0; ok && m < f->n; m++)
			for (unsigned i = f->idx[m] + 1; ok && i < k; i++)
				ok = !(writes(&t->ins[i], base) ||
				       (t->ins[f->idx[m]].rs2 &&
					writes(&t->ins[i],
					       t->ins[f->idx[m]].rs2)));
		if (ok && f->n >= 2)
			return true;
		if (f->same)
			return false;
	}
	return false;
}

/* rax = the load's bytes from the stored registers, zero-extended */
static void compose(struct xlat *t, const struct fwd *f)
{
	struct emit *e = &t->e;
	bool first = true;

	for (unsigned m = 0; m < f->n; m++) {
		const struct insn *s = &t->ins[f->idx[m]];
		bool write;
		unsigned sz = x86_access_size(s->op, &write);
		unsigned shift = 8u * (unsigned)(s->imm - f->d);
		int r = first ? RAX : RDX;
		if (s->rs2 == 0)
			continue; /* zeros: nothing to add */
		struct opnd v = gop(t, s->rs2);
		switch (sz) {
		case 1: x86_op(e, BYTE, 0x0fb6, 2, r, v); break; /* movzx */
		case 2: x86_op(e, 0, 0x0fb7, 2, r, v); break;
		case 4: x86_op(e, 0, 0x8b, 1, r, v); break; /* mov r32 */
		default: x86_op(e, W64, 0x8b, 1, r, v); break;
		}
		if (shift)
			shift_i(e, W64, SH_SHL, r, shift);
		if (!first)
			alu_r(e, W64, ALU_OR, RAX, R(RDX));
		first = false;
	}
	if (first)
		x86_op(e, 0, 0x33, 1, RAX, R(RAX)); /* all zeros */
}

void x86_forward_emit(struct xlat *t, const struct fwd *f, unsigned flags,
		      uint32_t opcode, int nopc, uint8_t **done)
{
	const struct insn *ld = &t->ins[t->k];
	struct emit *e = &t->e;
	uint8_t *elsewhere = NULL;

	*done = NULL;
	if (!f->same) {
		/* the load's address against the stores' */
		address(t, ld);
		int b = t->hreg[f->base];
		if (b != NOREG && f->d == 0) {
			mov_rr(e, RDX, b);
		} else if (b != NOREG) {
			lea(e, RDX, M(b, f->d));
		} else {
			load_g(t, RDX, f->base);
			if (f->d)
				alu_i(e, W64, ALU_ADD, R(RDX), f->d);
		}
		alu_r(e, W64, ALU_CMP, t->areg, R(RDX));
		elsewhere = jcc32(e, CC_NE);
	}
	compose(t, f);
	/* the load's own extension of its bytes */
	int d = t->hreg[ld->rd] != NOREG ? t->hreg[ld->rd] : RAX;
	x86_op(e, flags, opcode, nopc, d, R(RAX));
	finish(t, ld->rd, d);
	if (elsewhere) {
		*done = jmp32(e);
		bind(e, elsewhere);
	}
}

#endif
