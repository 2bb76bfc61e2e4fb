/* x86_64.h - what the two halves of the x86-64 backend share: x86_64.c
 * (block structure, exits, trampolines, the inline TLB) and x86_64_insn.c
 * (one translator per guest operation). Not for use outside src/cpu/jit. */
#ifndef RVISOR_CPU_JIT_X86_64_H
#define RVISOR_CPU_JIT_X86_64_H

#include <stddef.h>

#include "cpu/hart.h"
#include "cpu/jit/jit_arch.h"
#include "cpu/jit/x86_64_emit.h"

#define OFF(f) ((int32_t)offsetof(struct hart, f))
#define GX(g)  M(RBP, OFF(x) + 8 * (int32_t)(g))
#define BUDGET R15

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
	int areg;      /* with resume: the register holding the address */
	int32_t site;  /* with resume: the access's site entry (0: none) */
	int32_t array; /* with site: the TLB array behind it */
	/* a taken branch in the middle of the block: continue at target */
	bool branch;
	uint64_t target;
	bool borrowed; /* made while registers were lent (see borrow) */
	bool relookup; /* with branch: through the jump cache, never chained
			* (the translation context changed) */
	int local;     /* with branch: index of the target instruction when
			* it lies further on in this block, else -1 */
};

/* a memory access's part in a group of accesses through one base
 * register that share one TLB check (x86_64_group.c) */
enum { GRP_NONE, GRP_LEADER, GRP_MEMBER };
struct grp {
	uint8_t role;
	uint8_t slot;	/* h->jit_addend[slot] holds the shared addend */
	int32_t lo, hi; /* leader: the group's bytes, relative to the base */
};
#define GRP_SLOTS 4

struct xlat {
	struct emit e;
	struct jit_buf *b;
	uint64_t vpc;  /* the block's first pc */
	int dmmu;      /* the data MMU index it runs under */
	bool loop;     /* a branch in the block goes back to its start */
	unsigned body; /* the loop's body: up to the last such branch */
	uint64_t pc;   /* the instruction being translated */
	unsigned n, k; /* block length, index of the current instruction */
	const struct insn *ins;		   /* the block's instructions */
	uint8_t *pos[JIT_MAX_BLOCK_INSNS]; /* where each one's code starts */
	/* each one's guest pc, and the pc after the last: a jump the block
	 * went on through (jit.c) makes them not follow on by length */
	uint64_t pcs[JIT_MAX_BLOCK_INSNS + 1];
	/* at most three an instruction (a helper call that may leave after
	 * it), one for the entry */
	struct stub stubs[3 * JIT_MAX_BLOCK_INSNS + 8];
	/* copies of instructions handed to C helpers, placed after the
	 * block's code: the `mov rdx, imm64` to point at each */
	struct {
		uint8_t *imm;
		struct insn in;
	} data[JIT_MAX_BLOCK_INSNS];
	unsigned ndata;
	unsigned nstubs;
	int hreg[33]; /* host_of() for each guest register */
	int areg;     /* where address() left the access's address */
	struct stub *budget_exit; /* the entry's: budget used up */
	/* host registers of pinned guest registers lent to unpinned ones
	 * the block uses much more (x86_64.c: plan_borrows) */
	struct {
		int host;
		unsigned pinned, guest;
	} borrow[8];
	unsigned nborrow;
	bool borrow_on; /* the code being emitted runs with them lent */
	/* for each conditional branch: the index of its target when that
	 * lies in the block (further on, or back before it but not at the
	 * start, which is a loop of its own), else -1 (plan_local_targets) */
	int16_t local[JIT_MAX_BLOCK_INSNS];
	bool target[JIT_MAX_BLOCK_INSNS]; /* some local[] is this index */
	struct grp grp[JIT_MAX_BLOCK_INSNS];
	/* what the group access just translated left in rax (the addend of
	 * slot held_slot) and rcx (base + held_rcx_off), for the next */
	int held_k;
	unsigned held_slot;
	bool held_rcx;
	int32_t held_rcx_off;
};

/* guest register g as an operand: its host register or h->x[g] */
struct opnd gop(struct xlat *t, unsigned g);
void load_g(struct xlat *t, int dst, unsigned g);
void store_g(struct xlat *t, unsigned g, int src);
void set_g_const(struct xlat *t, unsigned g, uint64_t v);
int dst_reg(struct xlat *t, unsigned rd, unsigned keep);
void finish(struct xlat *t, unsigned rd, int d);
void set_pc(struct xlat *t, uint64_t pc);
void leave(struct xlat *t, int reason);
/* an exit from the current instruction, jumped to from stub_from() */
struct stub *new_stub(struct xlat *t, uint64_t pc, int reason);
void stub_from(struct stub *s, uint8_t *rel32);
/* before leaving the block's code: give lent registers back */
void unborrow(struct xlat *t);
/* continue at a guest pc known now: chained in the page, else looked up */
void exit_to(struct xlat *t, uint64_t target);
/* jump to the block for guest pc rax through the jump cache */
void emit_lookup(struct emit *e, const struct jit_buf *b);
/* the access's address: t->areg = the base's own register when it has
 * one and the offset is 0, else rcx = rs1 + imm */
void address(struct xlat *t, const struct insn *in);
/* rax = the TLB addend for an access of `size` at t->areg, or leave;
 * the host address is then rax + t->areg */
void tlb_hit(struct xlat *t, unsigned size, bool write);
/* call fn(h, copy of in) through T_CALL, with the guest registers it
 * reads (`reads`: bit per register) in h->x and rd reloaded after it;
 * if it returns false (having done nothing) the interpreter takes over.
 * may_leave_after: a return of 2 leaves after the instruction, 3 goes on
 * under a new MMU context (CSR writes). */
void helper_call(struct xlat *t, const struct insn *in, const void *fn,
		 uint64_t reads, bool writes_rd, bool may_leave_after);
/* operations that only compute rd from registers: no memory, no traps,
 * no exits, no stubs, and only rax/rcx/rdx and flags as scratch */
bool x86_is_pure_alu(unsigned op);
bool x86_jal_followed(const struct xlat *t, unsigned i);
/* the size of an integer load or store, 0 for other operations */
unsigned x86_access_size(unsigned op, bool *write);
/* fill t->grp for the block (x86_64_group.c) */
void x86_plan_groups(struct xlat *t);
/* a group member's operand, or for a leader: check the group's range
 * (t->areg = the address) before its TLB test, and keep rax after it */
struct opnd x86_member_operand(struct xlat *t, const struct insn *in);
void x86_leader_range(struct xlat *t, const struct insn *in);
void x86_leader_keep(struct xlat *t);
/* a load of bytes stored just before in the block (x86_64_forward.c):
 * the stores (indices), their base register and where the load's bytes
 * start relative to it; same: the load uses that base too */
struct fwd {
	unsigned n;
	unsigned idx[8];
	unsigned base;
	int32_t d;
	bool same;
};
/* can the current load of `size` bytes take them from registers? */
bool x86_forward_plan(const struct xlat *t, unsigned size, struct fwd *f);
/* rd from the stored registers (extended as flags/opcode/nopc load it);
 * when the address is only checked at run time, *done is a jump to bind
 * after the load's ordinary code, which follows for other addresses */
void x86_forward_emit(struct xlat *t, const struct fwd *f, unsigned flags,
		      uint32_t opcode, int nopc, uint8_t **done);
/* translate one instruction (x86_64_insn.c) */
void x86_translate_insn(struct xlat *t, const struct insn *in);
/* F/D operations (x86_64_fp.c): can it, and do it if it can */
bool x86_fp_supports(const struct insn *in);
bool x86_translate_fp(struct xlat *t, const struct insn *in);

#endif
