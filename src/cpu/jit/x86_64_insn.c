/* x86_64_insn.c - the x86-64 translation of each guest operation.
 * Register use and block structure: x86_64.c. */
#if defined(__x86_64__)

#include "cpu/csr.h"
#include "cpu/jit/x86_64.h"

static void alu_rr(struct xlat *t, const struct insn *in, int op)
{
	/* moves (c.mv is add rd, x0, rs2): no dependence on a zero */
	unsigned src = 99;
	if (in->rs2 == 0 && op != ALU_AND)
		src = in->rs1;
	else if (in->rs1 == 0 &&
		 (op == ALU_ADD || op == ALU_OR || op == ALU_XOR))
		src = in->rs2;
	if (src != 99) {
		int d = dst_reg(t, in->rd, 99);
		load_g(t, d, src);
		finish(t, in->rd, d);
		return;
	}
	int a = t->hreg[in->rs1], b = t->hreg[in->rs2], r = t->hreg[in->rd];
	if (op == ALU_ADD && a != NOREG && b != NOREG && r != NOREG && r != a &&
	    r != b) {
		lea(&t->e, r, MX(a, b, 0)); /* three operands in one */
		return;
	}
	int d = dst_reg(t, in->rd, in->rs2);
	load_g(t, d, in->rs1);
	alu_r(&t->e, W64, op, d, gop(t, in->rs2));
	finish(t, in->rd, d);
}

static void alu_ri(struct xlat *t, const struct insn *in, int op)
{
	int a = t->hreg[in->rs1], r = t->hreg[in->rd];
	if (op == ALU_ADD && a != NOREG && r != NOREG && r != a && in->imm) {
		lea(&t->e, r, M(a, in->imm));
		return;
	}
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
	int s1 = t->hreg[in->rs1], s2 = t->hreg[in->rs2];
	if (op == ALU_ADD && s1 != NOREG && s2 != NOREG) {
		int d = dst_reg(t, in->rd, 99);
		x86_op(&t->e, 0, 0x8d, 1, RAX, MX(s1, s2, 0)); /* lea eax */
		movsxd(&t->e, d, R(RAX));
		finish(t, in->rd, d);
		return;
	}
	load_g(t, RAX, in->rs1);
	alu_r(&t->e, 0, op, RAX, gop(t, in->rs2));
	int d = dst_reg(t, in->rd, 99);
	movsxd(&t->e, d, R(RAX));
	finish(t, in->rd, d);
}

/* slli rd, rs, s followed by srli/srai rd, rd, s: GCC's zero and sign
 * extension of the low 8, 16 or 32 bits without Zbb/Zba (uint16_t
 * arithmetic, a uint32_t widened), one movzx/movsx instead of a chain of
 * two shifts. The second must not be a branch target of its own. */
static bool extend_pair(struct xlat *t, const struct insn *in)
{
	unsigned i = t->k + 1, s = (unsigned)in->imm & 63;
	if (i >= t->n || t->target[i] || in->rd == 0 || in->rd == 32 ||
	    (s != 32 && s != 48 && s != 56))
		return false;
	const struct insn *nx = &t->ins[i];
	if ((nx->op != OP_SRLI && nx->op != OP_SRAI) || nx->rd != in->rd ||
	    nx->rs1 != in->rd || ((unsigned)nx->imm & 63) != s)
		return false;
	bool sign = nx->op == OP_SRAI;
	int d = dst_reg(t, in->rd, 99);
	struct opnd src = gop(t, in->rs1);
	if (in->rs1 == 0) {
		mov_ri(&t->e, d, 0);
	} else if (s == 32) {
		/* mov r32, r/m32 clears the upper half; movsxd extends */
		x86_op(&t->e, sign ? W64 : 0, sign ? 0x63 : 0x8b, 1, d, src);
	} else {
		uint32_t opc = (s == 48 ? 0x0fb7 : 0x0fb6) | (sign ? 8 : 0);
		x86_op(&t->e, (sign ? W64 : 0) | (s == 56 ? BYTE : 0), opc, 2,
		       d, src);
	}
	finish(t, in->rd, d);
	t->k = i;
	t->pos[i] = t->e.p;
	return true;
}

static void shift_imm(struct xlat *t, const struct insn *in, int op, bool word)
{
	if (op == SH_SHL && !word && extend_pair(t, in))
		return;
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

static void shift_reg(struct xlat *t, const struct insn *in, int op, bool word)
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

static void set_cond(struct xlat *t, const struct insn *in, int cc, bool imm)
{
	load_g(t, RAX, in->rs1);
	if (imm)
		alu_i(&t->e, W64, ALU_CMP, R(RAX), in->imm);
	else
		alu_r(&t->e, W64, ALU_CMP, RAX, gop(t, in->rs2));
	setcc_movzx(&t->e, cc, RAX);
	store_g(t, in->rd, RAX);
}

bool x86_is_pure_alu(unsigned op)
{
	switch (op) {
	case OP_LUI:
	case OP_AUIPC:
	case OP_ADDI:
	case OP_SLTI:
	case OP_SLTIU:
	case OP_XORI:
	case OP_ORI:
	case OP_ANDI:
	case OP_SLLI:
	case OP_SRLI:
	case OP_SRAI:
	case OP_ADD:
	case OP_SUB:
	case OP_SLL:
	case OP_SLT:
	case OP_SLTU:
	case OP_XOR:
	case OP_SRL:
	case OP_SRA:
	case OP_OR:
	case OP_AND:
	case OP_ADDIW:
	case OP_SLLIW:
	case OP_SRLIW:
	case OP_SRAIW:
	case OP_ADDW:
	case OP_SUBW:
	case OP_SLLW:
	case OP_SRLW:
	case OP_SRAW:
	case OP_MUL:
	case OP_MULW:
	case OP_ADD_UW:
	case OP_SH1ADD:
	case OP_SH2ADD:
	case OP_SH3ADD:
	case OP_ANDN:
	case OP_ORN:
	case OP_XNOR:
	case OP_MAX:
	case OP_MAXU:
	case OP_MIN:
	case OP_MINU:
	case OP_SEXT_B:
	case OP_SEXT_H:
	case OP_ZEXT_H: return true;
	default: return false;
	}
}

#define IFC_MAX_INSNS 4

/* A forward branch over at most IFC_MAX_INSNS pure ALU instructions
 * writing at most two registers (a "hammock") whose outcome depends on
 * data is a misprediction half the time on the host too; running the
 * skipped instructions anyway and putting the old values back with cmov
 * when the branch is taken costs a few cycles instead. Returns the
 * hammock's end (the target's index), or -1 to branch normally. Other
 * branches must not jump into the hammock: its code is not theirs. */
static int hammock_end(const struct xlat *t, int j, unsigned *dst)
{
	unsigned nd = 0;

	if (j < 0 || (unsigned)j - t->k - 1 > IFC_MAX_INSNS)
		return -1;
	for (unsigned i = t->k + 1; i < (unsigned)j; i++) {
		const struct insn *in = &t->ins[i];
		if (!x86_is_pure_alu(in->op))
			return -1;
		if (in->rd == 0 || in->rd == 32)
			continue;
		if (!(nd >= 1 && dst[0] == in->rd) &&
		    !(nd >= 2 && dst[1] == in->rd)) {
			if (nd == 2)
				return -1;
			dst[nd++] = in->rd;
		}
	}
	/* no other branch, earlier or later, may land inside it */
	for (unsigned i = t->k + 1; i < (unsigned)j; i++)
		if (t->target[i])
			return -1;
	dst[2] = nd;
	return j;
}

/* the hammock's instructions, from the branch's next to j (exclusive) */
static void translate_hammock(struct xlat *t, unsigned j)
{
	for (unsigned i = t->k + 1; i < j; i++) {
		t->pc = t->pcs[i];
		t->k = i;
		t->pos[i] = t->e.p;
		x86_translate_insn(t, &t->ins[i]);
		i = t->k; /* an extension pair goes two at a time */
	}
}

/* under cc (the branch taken): the skipped instructions did not retire
 * (one add: a kick may change the budget between any two instructions).
 * Leaves the flags as they are. */
static void give_back_skipped(struct xlat *t, int cc, unsigned skipped)
{
	struct emit *e = &t->e;
	e8(e, 0xba); /* mov edx, 0 (not xor: the flags are still needed) */
	e32(e, 0);
	e8(e, 0xb9); /* mov ecx, skipped */
	e32(e, skipped);
	cmov(e, W64, cc, RDX, R(RCX));
	alu_r(e, W64, ALU_ADD, BUDGET, R(RDX));
}

/* rd = rs (mv, in any of its spellings) or rd = imm (li, lui): *src is
 * the source register, 0 for the immediate in *imm */
static bool as_move(const struct insn *in, unsigned *src, int64_t *imm)
{
	*imm = 0;
	switch (in->op) {
	case OP_ADDI:
	case OP_ORI:
	case OP_XORI:
		*src = in->rs1;
		*imm = in->imm;
		return in->rs1 == 0 || in->imm == 0;
	case OP_LUI: *src = 0, *imm = in->imm; return true;
	case OP_ADD:
	case OP_OR:
	case OP_XOR:
		*src = in->rs1 ? in->rs1 : in->rs2;
		return in->rs1 == 0 || in->rs2 == 0;
	default: return false;
	}
}

/* A hammock of moves only, none reading what an earlier one wrote
 * (max/min and argmax selections): each becomes a cmov under the
 * branch's own flags, which nothing in between touches (mov and cmov
 * leave them be), with no copies of the old values kept. */
static bool cmov_hammock(struct xlat *t, int cc, unsigned j)
{
	struct emit *e = &t->e;
	uint32_t written = 0;
	unsigned src;
	int64_t imm;

	for (unsigned i = t->k + 1; i < j; i++) {
		const struct insn *in = &t->ins[i];
		if (!as_move(in, &src, &imm) || (written >> src & 1))
			return false;
		if (in->rd != 0 && in->rd != 32)
			written |= 1u << in->rd;
	}
	int run = cc ^ 1; /* the moves happen when the branch is not taken */
	for (unsigned i = t->k + 1; i < j; i++) {
		const struct insn *in = &t->ins[i];
		t->pos[i] = e->p;
		if (in->rd == 0 || in->rd == 32)
			continue;
		as_move(in, &src, &imm);
		struct opnd from;
		if (src != 0) {
			from = gop(t, src);
		} else {
			/* mov r64, simm32 or movabs: neither is xor */
			if ((int64_t)(int32_t)imm == imm) {
				x86_op(e, W64, 0xc7, 1, 0, R(RCX));
				e32(e, (uint32_t)imm);
			} else {
				mov_ri(e, RCX, (uint64_t)imm);
			}
			from = R(RCX);
		}
		int r = t->hreg[in->rd];
		if (r != NOREG) {
			cmov(e, W64, run, r, from);
		} else {
			mov_r_m(e, RAX, GX(in->rd));
			cmov(e, W64, run, RAX, from);
			mov_m_r(e, GX(in->rd), RAX);
		}
	}
	give_back_skipped(t, cc, j - t->k - 1);
	t->k = j - 1;
	return true;
}

static int branch_compare(struct xlat *t, const struct insn *in, int cc);

/* The hammock with its old values kept in host registers: those of pinned
 * guest registers that neither it nor its branch touches, spilled to their
 * homes for the while (stores and loads off the hammock's own dependency
 * chains). The branch's compare is made again after it, so its outcome
 * does not go through memory either: the branch's operands must survive
 * the hammock. Through memory (if_convert), the old value and the
 * condition waited for store forwarding: the CRC loop of intmix spent
 * twice its time there. */
static bool if_convert_spare(struct xlat *t, const struct insn *br, int cc,
			     unsigned j, const unsigned *dst)
{
	struct emit *e = &t->e;
	unsigned nd = dst[2], skipped = j - t->k - 1;
	uint32_t used = 1u | 1u << br->rs1 | 1u << br->rs2;
	unsigned spare[2];
	unsigned found = 0;

	for (unsigned i = t->k + 1; i < j; i++) {
		const struct insn *in = &t->ins[i];
		const unsigned f[4] = {in->rd, in->rs1, in->rs2, in->rs3};
		for (unsigned q = 0; q < 4; q++)
			if (f[q] < 32)
				used |= 1u << f[q];
	}
	for (unsigned i = 0; i < nd; i++)
		if (dst[i] == br->rs1 || dst[i] == br->rs2)
			return false; /* the compare could not be made again */
	for (unsigned g = 1; g < 32 && found < nd; g++)
		if (!(used >> g & 1) && t->hreg[g] != NOREG)
			spare[found++] = g;
	if (found < nd)
		return false;
	for (unsigned i = 0; i < nd; i++) {
		int s = t->hreg[spare[i]];
		mov_m_r(e, GX(spare[i]), s);
		if (t->hreg[dst[i]] != NOREG)
			mov_rr(e, s, t->hreg[dst[i]]);
		else
			mov_r_m(e, s, GX(dst[i]));
	}
	translate_hammock(t, j);
	cc = branch_compare(t, br, cc);
	for (unsigned i = 0; i < nd; i++) {
		int s = t->hreg[spare[i]], r = t->hreg[dst[i]];
		if (r != NOREG) {
			cmov(e, W64, cc, r, R(s));
		} else {
			mov_r_m(e, RAX, GX(dst[i]));
			cmov(e, W64, cc, RAX, R(s));
			mov_m_r(e, GX(dst[i]), RAX);
		}
	}
	give_back_skipped(t, cc, skipped);
	for (unsigned i = 0; i < nd; i++)
		mov_r_m(e, t->hreg[spare[i]], GX(spare[i]));
	return true;
}

static void if_convert(struct xlat *t, int cc, unsigned j, const unsigned *dst)
{
	struct emit *e = &t->e;
	unsigned nd = dst[2], skipped = j - t->k - 1;

	x86_op(e, BYTE, 0x0f90 | (unsigned)cc, 2, 0,
	       M(RBP, OFF(jit_ifc))); /* setcc */
	for (unsigned i = 0; i < nd; i++) {
		int r = t->hreg[dst[i]];
		if (r == NOREG) {
			mov_r_m(e, RAX, GX(dst[i]));
			r = RAX;
		}
		mov_m_r(e, M(RBP, OFF(jit_ifc) + 8 * (int32_t)(i + 1)), r);
	}
	translate_hammock(t, j);
	x86_op(e, BYTE, 0x80, 1, ALU_CMP, M(RBP, OFF(jit_ifc))); /* cmp */
	e8(e, 0);
	for (unsigned i = 0; i < nd; i++) {
		struct opnd old = M(RBP, OFF(jit_ifc) + 8 * (int32_t)(i + 1));
		int r = t->hreg[dst[i]];
		if (r != NOREG) {
			cmov(e, W64, CC_NE, r, old);
		} else {
			mov_r_m(e, RAX, GX(dst[i]));
			cmov(e, W64, CC_NE, RAX, old);
			mov_m_r(e, GX(dst[i]), RAX);
		}
	}
	give_back_skipped(t, CC_NE, skipped);
}

/* A branch back to instruction m of the block (0: its start): a loop.
 * The taken path goes round in place of leaving through a stub and coming
 * back in: the budget (events take it away: jit.c), charged with what one
 * more time round will retire from m on. The block's length from m on is
 * charged for each pass; the rest after this branch was charged and will
 * not retire this time: k + 1 - m more. */
static void loop_back(struct xlat *t, int cc, unsigned m)
{
	struct emit *e = &t->e;
	uint8_t *stay = jcc32(e, cc ^ 1);
	alu_i(e, W64, ALU_SUB, R(BUDGET), (int32_t)(t->k + 1 - m));
	jcc_to(e, CC_GE, t->pos[m]);
	/* used up: as if a block at m had found it so at its entry (a stub
	 * of its own: this one gives back lent registers, see plan_borrows) */
	struct stub *used_up = new_stub(t, t->pcs[m], JX_BUDGET);
	used_up->unretire = (int32_t)(t->n - m);
	stub_from(used_up, jmp32(e));
	bind(e, stay);
	if (t->k + 1 == t->n)
		exit_to(t, t->pc + t->ins[t->k].len);
}

/* set the flags for branch `in`; returns the condition code that means
 * taken (cc, or its mirror when the compare had to be turned round) */
static int branch_compare(struct xlat *t, const struct insn *in, int cc)
{
	int a = t->hreg[in->rs1];
	if (in->rs1 == 0 && in->rs2 != 0) {
		/* bgtz/blez and the like: 0 op b is b op' 0 */
		static const int swapped[16] = {
			[CC_E] = CC_E,	 [CC_NE] = CC_NE, [CC_L] = CC_G,
			[CC_GE] = CC_LE, [CC_B] = CC_NE,  [CC_AE] = CC_E};
		a = t->hreg[in->rs2];
		if (a == NOREG) {
			load_g(t, RAX, in->rs2);
			a = RAX;
		}
		x86_op(&t->e, W64, 0x85, 1, a, R(a)); /* test a, a */
		cc = swapped[cc];
	} else {
		if (a == NOREG) {
			load_g(t, RAX, in->rs1);
			a = RAX;
		}
		if (in->rs2 == 0)
			x86_op(&t->e, W64, 0x85, 1, a, R(a)); /* test a, a */
		else
			alu_r(&t->e, W64, ALU_CMP, a, gop(t, in->rs2));
	}
	return cc;
}

static void branch(struct xlat *t, const struct insn *in, int cc)
{
	const int cc_in = cc;

	cc = branch_compare(t, in, cc);
	uint64_t target = t->pc + (uint64_t)(int64_t)in->imm;
	if (target == t->vpc) {
		loop_back(t, cc, 0);
		return;
	}
	if (t->local[t->k] >= 0 && (unsigned)t->local[t->k] <= t->k) {
		loop_back(t, cc, (unsigned)t->local[t->k]);
		return;
	}
	if (t->k + 1 < t->n) {
		/* inside the block: the fall-through path carries on here,
		 * the taken one leaves from the cold end of the block */
		struct stub *s = new_stub(t, t->pc, JX_CHAIN);
		s->branch = true;
		s->target = target;
		s->unretire = (int32_t)(t->n - t->k - 1);
		/* a forward target further on in the block: jump there,
		 * giving back only the instructions skipped */
		int j = t->local[t->k];
		unsigned dst[3];
		if (hammock_end(t, j, dst) >= 0) {
			t->nstubs--; /* not needed after all */
			if (!cmov_hammock(t, cc, (unsigned)j) &&
			    !if_convert_spare(t, in, cc_in, (unsigned)j, dst))
				if_convert(t, cc, (unsigned)j, dst);
			return;
		}
		if (j >= 0) {
			s->local = j;
			s->unretire = (int32_t)(j - t->k - 1);
		}
		stub_from(s, jcc32(&t->e, cc));
		return;
	}
	uint8_t *taken = jcc32(&t->e, cc);
	exit_to(t, t->pc + in->len);
	bind(&t->e, taken);
	exit_to(t, target);
}

/* the host memory operand of a load or store: through the TLB test, or
 * as a member of a group (x86_64_group.c) through its leader's */
static struct opnd access_operand(struct xlat *t, const struct insn *in,
				  unsigned size, bool write)
{
	if (t->grp[t->k].role == GRP_MEMBER)
		return x86_member_operand(t, in);
	address(t, in);
	if (t->grp[t->k].role == GRP_LEADER)
		x86_leader_range(t, in);
	tlb_hit(t, size, write);
	if (t->grp[t->k].role == GRP_LEADER)
		x86_leader_keep(t);
	return MX(RAX, t->areg, 0);
}

static void load(struct xlat *t, const struct insn *in, unsigned size,
		 unsigned flags, uint32_t opcode, int nopc)
{
	struct fwd f;
	uint8_t *done = NULL;
	if (x86_forward_plan(t, size, &f)) {
		x86_forward_emit(t, &f, flags, opcode, nopc, &done);
		if (!done)
			return;
	}
	int d = t->hreg[in->rd] != NOREG ? t->hreg[in->rd] : RDX;
	struct opnd m = access_operand(t, in, size, false);
	x86_op(&t->e, flags, opcode, nopc, d, m);
	finish(t, in->rd, d);
	if (done)
		bind(&t->e, done);
}

static void store(struct xlat *t, const struct insn *in, unsigned size)
{
	static const unsigned fl[9] = {
		[1] = BYTE, [2] = OPS16, [4] = 0, [8] = W64};
	struct opnd m = access_operand(t, in, size, true);
	int v = t->hreg[in->rs2];
	if (v == NOREG) {
		load_g(t, RDX, in->rs2);
		v = RDX;
	}
	x86_op(&t->e, fl[size], size == 1 ? 0x88 : 0x89, 1, v, m);
}

/* AMOs on a RAM page the write TLB maps (anything else, misaligned
 * included, is left to the interpreter). Locked x86 operations are full
 * barriers, which covers aq and rl. */
static void amo(struct xlat *t, const struct insn *in, unsigned size, int alu)
{
	struct emit *e = &t->e;
	unsigned w = size == 8 ? W64 : 0;

	address(t, in);
	tlb_hit(t, size, true);
	lea(e, RCX, MX(RAX, t->areg, 0));
	load_g(t, RDX, in->rs2);
	if (alu == -1) {
		x86_op(e, w, 0x87, 1, RDX, M(RCX, 0)); /* xchg */
		mov_rr(e, RAX, RDX);
	} else if (alu == ALU_ADD) {
		e8(e, 0xf0);				 /* lock */
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

static void shadd(struct xlat *t, const struct insn *in, unsigned sh, bool uw)
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

/* clang-format off: operation tables read better as tables */
bool jit_arch_supports(const struct insn *in)
{
	/* jumps, branches, loads and stores: all (see has_effects) */
	if (x86_is_pure_alu(in->op) || (in->op >= OP_JAL && in->op <= OP_SD))
		return true;
	switch (in->op) {
	case OP_FENCE:
	case OP_MULH:
	case OP_MULHU:
	case OP_DIV:
	case OP_DIVU:
	case OP_REM:
	case OP_REMU:
	case OP_DIVW:
	case OP_DIVUW:
	case OP_REMW:
	case OP_REMUW:
	case OP_SH1ADD_UW:
	case OP_SH2ADD_UW:
	case OP_SH3ADD_UW:
	case OP_REV8:
	case OP_CZERO_EQZ:
	case OP_CZERO_NEZ:
	case OP_AMOSWAP_W:
	case OP_AMOADD_W:
	case OP_AMOXOR_W:
	case OP_AMOAND_W:
	case OP_AMOOR_W:
	case OP_AMOSWAP_D:
	case OP_AMOADD_D:
	case OP_AMOXOR_D:
	case OP_AMOAND_D:
	case OP_AMOOR_D:
	case OP_LR_W:
	case OP_SC_W:
	case OP_LR_D:
	case OP_SC_D: return true;
	case OP_CSRRW:
	case OP_CSRRS:
	case OP_CSRRC:
	case OP_CSRRWI:
	case OP_CSRRSI:
	case OP_CSRRCI: return (unsigned)in->imm == CSR_SSTATUS;
	default: return x86_fp_supports(in);
	}
}

/* Jumps, branches, memory accesses, atomics, fences and CSR accesses
 * (each group adjacent in INSN_OPS, checked below). */
_Static_assert(OP_SD - OP_JAL == 18 && OP_FSD - OP_FLW == 3 &&
		       OP_AMOMAXU_D - OP_LR_W == 21 &&
		       OP_CSRRCI - OP_CSRRW == 5,
	       "INSN_OPS groups");
static bool has_effects(unsigned op)
{
	return (op >= OP_JAL && op <= OP_SD) || op == OP_FENCE ||
	       (op >= OP_FLW && op <= OP_FSD) ||
	       (op >= OP_LR_W && op <= OP_AMOMAXU_D) ||
	       (op >= OP_CSRRW && op <= OP_CSRRCI);
}

void x86_translate_insn(struct xlat *t, const struct insn *in)
{
	struct emit *e = &t->e;

	if (x86_translate_fp(t, in))
		return;
	/* results written to x0 (the sink) are dropped: only operations
	 * that do more than compute rd still have to happen */
	if (in->rd == 32 && !has_effects(in->op))
		return;
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
		if (!x86_jal_followed(t, t->k))
			exit_to(t, t->pc + (uint64_t)(int64_t)in->imm);
		break;
	case OP_JALR:
		load_g(t, RAX, in->rs1);
		if (in->imm)
			alu_i(e, W64, ALU_ADD, R(RAX), in->imm);
		alu_i(e, W64, ALU_AND, R(RAX), -2);
		set_g_const(t, in->rd, t->pc + in->len); /* uses rcx only */
		unborrow(t);
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
	case OP_LR_W:
	case OP_SC_W:
	case OP_LR_D:
	case OP_SC_D:
		helper_call(t, in, (const void *)jit_lr_sc,
			    1ull << in->rs1 | 1ull << in->rs2, true, false);
		break;
	case OP_CSRRW:
	case OP_CSRRS:
	case OP_CSRRC:
	case OP_CSRRWI:
	case OP_CSRRSI:
	case OP_CSRRCI:
		helper_call(t, in, (const void *)jit_csr, 1ull << in->rs1, true,
			    true);
		break;
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
		int s = t->hreg[in->rs1], d = dst_reg(t, in->rd, 99);
		if (in->imm == 0 && in->rs1 != 0) {
			movsxd(e, d, gop(t, in->rs1)); /* sext.w */
		} else if (s != NOREG) {
			x86_op(e, 0, 0x8d, 1, RAX, M(s, in->imm)); /* lea eax */
			movsxd(e, d, R(RAX));
		} else {
			load_g(t, RAX, in->rs1);
			alu_i(e, 0, ALU_ADD, R(RAX), in->imm);
			movsxd(e, d, R(RAX));
		}
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
		unsigned pred = (in->raw >> 24) & 15,
			 succ = (in->raw >> 20) & 15;
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
		alu_r(e, W64,
		      in->op == OP_ANDN	 ? ALU_AND
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
	default: break; /* not reached: jit_arch_supports() said no */
	}
}

/* clang-format on */

#endif
