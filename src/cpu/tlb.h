/* tlb.h - the hart's software TLB: guest-virtual page -> host pointer.
 *
 * One set of direct-mapped arrays per MMU index, so switching privilege or
 * toggling SUM needs no flush, and every entry carries the ASID it was
 * filled under, so a satp switch needs no flush either. A hit costs a shift,
 * a mask and two compares. Misaligned accesses that would cross a page
 * never hit: the tag compare keeps the low address bits that must be zero. */
#ifndef RVISOR_CPU_TLB_H
#define RVISOR_CPU_TLB_H

#include <stdbool.h>
#include <stdint.h>

enum mmu_index {
	MMU_M,	   /* M-mode: physical, only locked PMP entries apply */
	MMU_S,	   /* S-mode, SUM=0 */
	MMU_S_SUM, /* S-mode, SUM=1 */
	MMU_U,	   /* U-mode */
	MMU_COUNT
};

#define TLB_BITS	8
#define TLB_SIZE	(1u << TLB_BITS)
#define TLB_INVALID_TAG (~0ull)

struct tlb_entry {
	uint64_t tag; /* virtual page address, or TLB_INVALID_TAG */
	uint64_t asid;
	uintptr_t addend; /* host pointer = addend + guest virtual address */
	uint64_t gpa_page;
	/* write entries: the page's guest_mem flags. A store may use the
	 * entry only while they are zero (no predecoded code, no watch, no
	 * pending dirty log), so no other hart ever has to flush our entries
	 * when it starts treating a page specially. */
	_Atomic uint8_t *flags;
};

struct code_page;
struct tlb_fetch_entry {
	uint64_t tag;
	uint64_t asid;
	uintptr_t addend;
	struct code_page *cp;
};

/* The JIT's jump cache: guest-virtual pc -> translated block, valid under
 * the translation context `ctx` (fetch MMU index and ASID) for as long as
 * the fetch translation is, so every TLB flush drops the matching entries.
 * Indexed so that one page's entries share a group of TLB_JC_GROUP slots. */
#define TLB_JC_PAGE_BITS 6
#define TLB_JC_ADDR_BITS 6
#define TLB_JC_SIZE	 (1u << (TLB_JC_PAGE_BITS + TLB_JC_ADDR_BITS))
#define TLB_JC_GROUP	 (1u << TLB_JC_ADDR_BITS)

struct tlb_jump {
	uint64_t vpc;
	uint64_t ctx;
	const void *code;
	uint64_t gpa_page;
};

static inline unsigned tlb_jc_index(uint64_t vpc)
{
	return (unsigned)(((vpc >> (12 - TLB_JC_ADDR_BITS)) &
			   ((TLB_JC_SIZE - 1) & ~(TLB_JC_GROUP - 1))) |
			  ((vpc >> 1) & (TLB_JC_GROUP - 1)));
}

struct tlb {
	/* Superpages are cached as 4 KiB entries; an sfence.vma naming one
	 * address of a superpage must drop them all, so while any are cached
	 * an address-specific fence flushes everything (of that ASID). */
	bool superpages;
	struct tlb_entry r[MMU_COUNT][TLB_SIZE];
	struct tlb_entry w[MMU_COUNT][TLB_SIZE];
	struct tlb_fetch_entry x[MMU_COUNT][TLB_SIZE];
	struct tlb_jump jc[TLB_JC_SIZE];
	bool jc_used; /* any entry filled since the last full clear */
};

static inline unsigned tlb_index(uint64_t va)
{
	return (unsigned)(va >> 12) & (TLB_SIZE - 1);
}

void tlb_flush_all(struct tlb *t);
/* drop the jump cache entries of one guest-physical page (code written) */
void tlb_jc_drop_gpa_page(struct tlb *t, uint64_t gpa_page);
void tlb_jc_clear(struct tlb *t);
/* sfence.vma semantics: va == -1 means all addresses, asid == -1 all ASIDs */
void tlb_flush(struct tlb *t, int64_t va, int64_t asid);

#endif
