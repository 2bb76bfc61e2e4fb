/* jit.h - translation of guest basic blocks into host code.
 *
 * The interpreter (exec.c) stays the reference and runs everything the
 * translator does not: it calls jit_run() at block boundaries, and
 * translated code hands control back whenever it meets something it leaves
 * to the interpreter (a TLB miss, MMIO, a CSR, a trap, floating point, ...),
 * with the hart's state exactly as if the interpreter had run up to there.
 *
 * Blocks never cross a 4 KiB guest page and are keyed by guest-physical and
 * guest-virtual pc. Direct jumps within a page are chained (patched to jump
 * straight to their target); everything else goes through the jump cache
 * in the TLB (tlb.h), which every TLB flush clears. A write to a page drops
 * all of that page's blocks: chains never leave a page, so nothing else
 * can still reach them.
 *
 * Host backends implement jit_arch.h; x86_64.c is the only one so far. */
#ifndef RVISOR_CPU_JIT_JIT_H
#define RVISOR_CPU_JIT_JIT_H

#include <stdbool.h>
#include <stdint.h>

struct hart;
struct jit;

/* NULL if this host has no backend or its code memory cannot be mapped. */
struct jit *jit_new(void);
void jit_free(struct jit *j);
bool jit_host_supported(void);

enum jit_exit {
	JIT_EXIT_NONE,	 /* no translation at h->pc: interpret from there */
	JIT_EXIT_EVENTS, /* the event word or the timer poll needs a look */
	JIT_EXIT_INTERP, /* interpret the instruction at h->pc */
	JIT_EXIT_BUDGET, /* h->jit_budget ran out: time for a timer check */
};

/* The hart's own thread, at a block boundary: run translated code from
 * h->pc for about h->jit_budget instructions. On return h->pc is where to
 * go on, and the budget has been counted down by exactly the number of
 * instructions retired (the caller accounts them). */
enum jit_exit jit_run(struct hart *h);

/* Another thread set h's event word while h may be running translated
 * code (which does not test it): interrupt it with a signal so that it
 * leaves soon. Any thread; at most one signal on its way at a time. */
void jit_kick(struct hart *h);

/* Drop all translations (code cache flush, reset). */
void jit_flush(struct hart *h);
/* Guest-physical page `gpa_page` was written: drop its translations. */
void jit_invalidate_page(struct hart *h, uint64_t gpa_page);

struct jit_stats {
	uint64_t blocks;	 /* translated */
	uint64_t insns;		 /* guest instructions translated */
	uint64_t flushes;	 /* whole-cache flushes */
	uint64_t inval_pages;	 /* pages whose blocks were dropped */
	uint64_t chains;	 /* direct jumps patched */
	uint64_t exits[5];	 /* returns to C by reason (jit_arch.h) */
	uint64_t code_bytes;	 /* host code emitted */
	uint64_t remaps;	 /* host register assignments learnt */
	uint64_t inline_lookups; /* jump-cache misses served without leaving */
};
const struct jit_stats *jit_get_stats(const struct jit *j);

#endif
