/* jit_arch.h - what a host backend provides to jit.c.
 *
 * The backend owns a code buffer: it emits shared trampolines once (enter,
 * leave, jump-cache lookup) and then one block per jit_arch_translate().
 * Generated code leaves with one of the JX_* reasons, h->pc set to the
 * guest pc to go on from. */
#ifndef RVISOR_CPU_JIT_JIT_ARCH_H
#define RVISOR_CPU_JIT_JIT_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/decode.h"

struct hart;

enum {
	JX_EVENTS = 0, /* leave to look at events after a helper asked to */
	JX_INTERP = 1, /* leave the instruction at pc to the interpreter */
	JX_LOOKUP = 2, /* jump-cache miss for pc */
	JX_CHAIN = 3,  /* direct jump to pc in the same page, not yet
			* chained: h->jit_patch is the jump to patch */
	JX_BUDGET = 4, /* h->jit_budget would go negative at a block entry */
	JX__COUNT
};

/* Guest registers a backend keeps in host registers. */
#define JIT_PINS 10

struct jit_buf {
	uint8_t *base; /* where the code runs: read and execute only */
	/* base + wx is the same memory mapped read-write: all writing goes
	 * there (W^X; 0 if the host gave no second mapping) */
	ptrdiff_t wx;
	size_t size;
	size_t used;
	size_t trampolines_end; /* a flush resets `used` to here */
	const uint8_t *enter;	/* int enter(struct hart *, const void *) */
	const uint8_t *arch[8]; /* the backend's other trampolines */
	/* from here in `enter` to arch[0] (leave, the last trampoline), and
	 * in all blocks, the backend's budget register is live */
	const uint8_t *budget_live;
	/* the guest register each of the backend's pin slots holds, chosen
	 * by jit.c; changing them means jit_arch_init() and a flush */
	uint8_t pins[JIT_PINS];
	unsigned next_site; /* the TLB site entry the next load takes */
};

/* Largest block in guest instructions (exit stubs: one per instruction
 * and two for the entry). */
#define JIT_MAX_BLOCK_INSNS 128
/* Room a block of JIT_MAX_BLOCK_INSNS may need at most. */
#define JIT_MAX_BLOCK_BYTES (JIT_MAX_BLOCK_INSNS * 160 + 512)

bool jit_arch_init(struct jit_buf *b);
/* For the backend's jump-cache miss path (a call from translated code):
 * the block for pc, found or translated without flushing anything, or
 * NULL to leave with JX_LOOKUP. */
const uint8_t *jit_lookup_from_code(struct hart *h, uint64_t pc);
/* LR/SC for translated code (x[] must hold the operands): false, having
 * changed nothing, unless the access is plain cacheable RAM. */
bool jit_lr_sc(struct hart *h, const struct insn *in);
/* An instruction that ends its page (h->pc) and goes on into the next:
 * whether that page's half of it is still what `in` was decoded from
 * (false: nothing done, the interpreter's). */
bool jit_crossing_ok(struct hart *h, const struct insn *in);
/* CSR access for translated code: 0 (nothing done: the interpreter's),
 * 1 (done), 2 (done, but leave before the next instruction so pending
 * interrupts and a new MMU context are looked at), 3 (done, the data MMU
 * index changed: go on at the next instruction through a lookup). */
int jit_csr(struct hart *h, const struct insn *in);
/* Whether the backend translates this operation (else the block ends
 * before it and the interpreter runs it). */
bool jit_arch_supports(const struct insn *in);
/* Translate n instructions starting at guest-virtual `vpc`. The last may
 * be a jump or branch; otherwise execution continues at the instruction
 * after the last, which the backend treats as `next_kind` says. Returns the
 * block's entry, or NULL if the buffer is full. */
enum jit_next { NEXT_CHAIN, NEXT_INTERP, NEXT_LOOKUP };
/* Blocks are made for one data MMU index (`dmmu`): its TLB arrays are at
 * a fixed place in the hart. */
const uint8_t *jit_arch_translate(struct jit_buf *b, const struct insn *in,
				  unsigned n, uint64_t vpc,
				  enum jit_next next_kind, int dmmu);
/* In the kick signal's handler on h's thread, interrupted at the state in
 * `ucontext`: if that is translated code, take `steal` off the budget it
 * holds (and add it to h->jit_stolen), so that it leaves at its next
 * budget test. Anywhere else, nothing: C code and the entry look at the
 * event word themselves. */
void jit_arch_kicked(const struct jit_buf *b, struct hart *h, void *ucontext,
		     int64_t steal);
/* Point the chain jump at `site` to `target`. */
void jit_arch_patch(struct jit_buf *b, uint8_t *site, const uint8_t *target);

static inline int jit_arch_enter(const struct jit_buf *b, struct hart *h,
				 const void *code)
{
	int (*fn)(struct hart *, const void *) =
		(int (*)(struct hart *, const void *))(uintptr_t)b->enter;
	return fn(h, code);
}

#endif
