/* tlb.h - the hart's software TLB: guest-virtual page -> host pointer.
 *
 * One set of direct-mapped arrays per MMU index, so switching privilege or
 * toggling SUM needs no flush, and every entry carries the context it was
 * filled under - the ASID and a flush generation - so a satp switch needs
 * no flush and a full flush is one increment. A hit costs a shift, a mask
 * and two compares. Misaligned accesses that would cross a page never hit:
 * the tag compare keeps the low address bits that must be zero.
 *
 * The data arrays grow (up to TLB_MAX_BITS) when a working set keeps
 * missing: the mask widens and the generation moves on, which is all a
 * resize takes, since entries of other generations never match. Only the
 * part in use is ever touched, so a small guest keeps a small TLB. */
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

#define TLB_MIN_BITS	8
#define TLB_MAX_BITS	15
#define TLB_MAX_SIZE	(1u << TLB_MAX_BITS)
#define TLB_X_BITS	8 /* fetch: pages, not accesses */
#define TLB_X_SIZE	(1u << TLB_X_BITS)
#define TLB_INVALID_TAG (~0ull)
#define TLB_ASID_MASK	0xffffull
/* A context (struct tlb.ctx) is generation << TLB_GEN_SHIFT | ASID. In
 * place of the ASID, TLB_GLOBAL marks fetch and jump-cache entries made
 * from global mappings (PTE.G, the kernel's): valid under every ASID of
 * their generation, so kernel code is not looked up again after each
 * address-space switch. Software must keep global mappings the same in
 * every address space (privileged spec, "Virtual Address Translation"). */
#define TLB_GLOBAL    (TLB_ASID_MASK + 1)
#define TLB_GEN_SHIFT 17

/* Data entries are tagged with the page address and, in the tag's free
 * low bits (above the alignment bits the compare keeps), a context id
 * standing for the (generation, ASID) they were filled under: the hit
 * test is one compare, and entries of other contexts never match. */
#define TLB_CID_SHIFT 3
#define TLB_CID_MAX   511

struct tlb_entry {
	uint64_t tag;	  /* page | cid << 3, or TLB_INVALID_TAG */
	uintptr_t addend; /* host pointer = addend + guest virtual address */
	/* write entries: the page's guest_mem flags. A store may use the
	 * entry only while they are zero (no predecoded code, no watch, no
	 * pending dirty log), so no other hart ever has to flush our entries
	 * when it starts treating a page specially. */
	_Atomic uint8_t *flags;
	uint64_t spare;
};

/* Site entries: a load in a loop gets one of its own, beside the TLB
 * proper, holding the last page it hit: in a loop that walks a page the
 * test is a compare with a fixed slot, and the host address does not
 * wait on the TLB index. Filled (by translated code) only from a hit in
 * the TLB proper under the same MMU index, and dropped whenever such an
 * entry could be: a page fence scans them, and any change of context id
 * wipes them, so their tags need no id (one operation less a test).
 * Loads only: write entries must also go when another hart flags a page,
 * which would mean a scan from other threads. */
#define TLB_SITES 128

struct tlb_site {
	uint64_t tag; /* as tlb_entry.tag, without the context id */
	uintptr_t addend;
};

struct code_page;
struct tlb_fetch_entry {
	uint64_t tag;
	uint64_t ctx;
	uintptr_t addend;
	struct code_page *cp;
};

/* The JIT's jump cache: guest-virtual pc -> translated block, valid for as
 * long as the fetch translation is. Entries carry the TLB context (ASID
 * and generation, so a full flush retires them all) and the fetch MMU
 * index; page fences and code writes drop entries one by one. Indexed so
 * that one page's entries share a group of TLB_JC_GROUP slots. */
#define TLB_JC_PAGE_BITS 8
#define TLB_JC_ADDR_BITS 6
#define TLB_JC_SIZE	 (1u << (TLB_JC_PAGE_BITS + TLB_JC_ADDR_BITS))
#define TLB_JC_GROUP	 (1u << TLB_JC_ADDR_BITS)

struct tlb_jump {
	uint64_t vpc;
	uint64_t ctx; /* hart.jit_ctx: TLB context and MMU indexes */
	const void *code;
	uint64_t gpa_page;
};

static inline unsigned tlb_jc_index(uint64_t vpc)
{
	/* in the group: offset bits 1-6 folded with 6-11, so that targets
	 * a multiple of 128 bytes apart (an interpreter's handlers, a
	 * switch's cases) do not all fight for one slot */
	return (unsigned)(((vpc >> (12 - TLB_JC_ADDR_BITS)) &
			   ((TLB_JC_SIZE - 1) & ~(TLB_JC_GROUP - 1))) |
			  (((vpc >> 1) ^ (vpc >> 6)) & (TLB_JC_GROUP - 1)));
}

struct tlb {
	uint64_t ctx;	 /* current generation << 17 | current ASID */
	uint64_t gctx;	 /* global generation << 17 | TLB_GLOBAL: a fence
			  * for one ASID starts a new generation but keeps
			  * the global one */
	uint64_t cid;	 /* the context id of ctx, << TLB_CID_SHIFT */
	uint64_t mask;	 /* data arrays in use: index mask */
	uint64_t mask32; /* mask << 5: as a byte offset (for the JIT) */
	uint64_t fills;	 /* data fills since the last resize */
	/* Superpages are cached as 4 KiB entries; an sfence.vma naming one
	 * address of a superpage must drop them all, which here means a
	 * full flush. Kernels map themselves with superpages and fence user
	 * pages one at a time, so the two halves of the address space are
	 * told apart: any kernel-half superpage makes kernel-half fences
	 * full, and user-half ones are tracked per 2 MiB region (hashed). */
	bool super_kernel;
	uint64_t super_user;
	uint64_t full_flushes; /* generations started (statistics) */
	bool jc_used; /* any jump-cache entry filled since the last clear */
	/* context ids: handed out in order; when they run out, every data
	 * entry ever touched (up to index `touched`) is cleared */
	unsigned next_cid;
	uint64_t touched;
	struct {
		uint64_t gen;
		uint32_t asid;
		uint32_t cid;
	} cids[64]; /* recent ASIDs of this generation, by ASID % 64 */
	struct tlb_site site[MMU_COUNT][TLB_SITES];
	struct tlb_fetch_entry x[MMU_COUNT][TLB_X_SIZE];
	struct tlb_jump jc[TLB_JC_SIZE];
	/* last: only the first mask + 1 entries of each are touched */
	struct tlb_entry r[MMU_COUNT][TLB_MAX_SIZE];
	struct tlb_entry w[MMU_COUNT][TLB_MAX_SIZE];
};

/* a fetch or jump-cache entry's context still valid now */
static inline bool tlb_ctx_valid(const struct tlb *t, uint64_t entry_ctx)
{
	return entry_ctx == t->ctx || entry_ctx == t->gctx;
}

static inline unsigned tlb_index(const struct tlb *t, uint64_t va)
{
	return (unsigned)((va >> 12) & t->mask);
}

static inline uint64_t tlb_region_bit(uint64_t va)
{
	return 1ull << ((va >> 21) & 63);
}

/* A translation of va from a leaf at walk level `level` (0: 4 KiB) is
 * about to be cached. */
static inline void tlb_note_superpage(struct tlb *t, uint64_t va, int level)
{
	if (!level)
		return;
	if ((int64_t)va < 0)
		t->super_kernel = true;
	else
		t->super_user |= level == 1 ? tlb_region_bit(va) : ~0ull;
}

static inline unsigned tlb_x_index(uint64_t va)
{
	return (unsigned)(va >> 12) & (TLB_X_SIZE - 1);
}

/* Set up a struct tlb that is zeroed memory or was used before (the
 * arrays are not cleared: a new generation makes their entries stale). */
void tlb_init(struct tlb *t);
/* The hart's ASID changed (satp write). */
void tlb_set_asid(struct tlb *t, uint16_t asid);

/* What a data entry for an access of `size` bytes at va must hold to
 * hit now (misaligned accesses never do). */
static inline uint64_t tlb_tag(const struct tlb *t, uint64_t va, unsigned size)
{
	return (va & (~0xfffull | (size - 1))) | t->cid;
}
/* Count a data fill; grows the arrays (a full flush) when the working set
 * has outgrown them. */
void tlb_note_fill(struct tlb *t);

void tlb_flush_all(struct tlb *t);
/* Drop the write entries that map host_page under va_page, or under any
 * page (va_page == GMEM_WVA_SEVERAL); callable from any thread. */
void tlb_drop_write_page(struct tlb *t, uintptr_t host_page, uint64_t va_page);
/* drop the jump cache entries of one guest-physical page (code written) */
void tlb_jc_drop_gpa_page(struct tlb *t, uint64_t gpa_page);
void tlb_jc_clear(struct tlb *t);
/* sfence.vma semantics: va == -1 means all addresses, asid == -1 all ASIDs */
void tlb_flush(struct tlb *t, int64_t va, int64_t asid);

#endif
