/* guest_mem.h - guest-physical memory: RAM slots and bounds-checked access.
 *
 * Guest RAM is anonymous memory backed by transparent huge pages (fewer
 * page faults and TLB misses), or with `shared_ram` a memfd that can be
 * handed to a backend process. Every access that does not
 * come from the hart's own TLB goes through the helpers below, which check
 * the whole range and keep two pieces of per-page state up to date:
 *  - the dirty log (for live migration), and
 *  - the code bit: a page the hart has predecoded; writing it must drop the
 *    predecoded instructions, so writers call the registered hook. */
#ifndef RVISOR_MEM_GUEST_MEM_H
#define RVISOR_MEM_GUEST_MEM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_PAGE_SHIFT 12
#define GUEST_PAGE_SIZE	 (1ull << GUEST_PAGE_SHIFT)
#define GMEM_MAX_SLOTS	 8

/* per-page flag bits (guest_mem.page_flags) */
enum {
	GPAGE_CODE = 1 << 0,  /* predecoded by some hart */
	GPAGE_WATCH = 1 << 1, /* stores must leave the fast path (e.g. HTIF) */
};

struct mem_slot {
	uint64_t gpa;
	uint64_t size;
	uint8_t *host;
	_Atomic uint8_t *page_flags; /* one byte per page */
	/* per page: the guest-virtual page of the write-TLB fills made
	 * since its flags were last set, GMEM_WVA_SEVERAL for more than one
	 * (or 0: none), so that setting a flag can find the entries */
	_Atomic uint64_t *write_va;
	_Atomic uint64_t *dirty; /* one bit per page, NULL when not logging */
};

struct guest_mem {
	struct mem_slot slots[GMEM_MAX_SLOTS];
	int nslots;
	int ram_fd;	 /* memfd backing the main RAM slot, -1 if none */
	bool shared_ram; /* set before gmem_add_ram: back RAM with a memfd */
	/* Called when a write lands on a GPAGE_CODE page (the flag is already
	 * cleared): the CPU layer drops its predecoded copy. */
	void (*code_write_hook)(void *opaque, uint64_t gpa_page);
	void *code_write_opaque;
	/* Called when a page gets its first flag: every hart drops its
	 * write-TLB entries for it (translated stores do not look at the
	 * flags). va_page as recorded in write_va; the same opaque. */
	void (*flag_set_hook)(void *opaque, uintptr_t host_page,
			      uint64_t va_page);
};

int gmem_init(struct guest_mem *m);
/* Adds RAM at gpa (page aligned). Returns 0 or -errno. */
int gmem_add_ram(struct guest_mem *m, uint64_t gpa, uint64_t size);
void gmem_destroy(struct guest_mem *m);

/* The slot holding [gpa, gpa+len), or NULL: the range must lie in one slot.
 * Overflow-safe for any 64-bit gpa and len. */
struct mem_slot *gmem_find(struct guest_mem *m, uint64_t gpa, uint64_t len);

/* Host pointer to [gpa, gpa+len) if it is entirely RAM, else NULL. The
 * pointer is for reading; writers use gmem_write() or gmem_ptr_for_write(). */
void *gmem_ptr(struct guest_mem *m, uint64_t gpa, uint64_t len);
/* As gmem_ptr, and marks the range dirty and drops predecoded code first. */
void *gmem_ptr_for_write(struct guest_mem *m, uint64_t gpa, uint64_t len);

bool gmem_read(struct guest_mem *m, uint64_t gpa, void *buf, uint64_t len);
bool gmem_write(struct guest_mem *m, uint64_t gpa, const void *buf,
		uint64_t len);

/* Called by writers that bypass the helpers (the hart's store slow path). */
void gmem_note_write(struct guest_mem *m, struct mem_slot *s, uint64_t gpa,
		     uint64_t len);

static inline uint8_t gmem_page_flags(struct mem_slot *s, uint64_t gpa)
{
	return atomic_load_explicit(
		&s->page_flags[(gpa - s->gpa) >> GUEST_PAGE_SHIFT],
		memory_order_relaxed);
}

#define GMEM_WVA_SEVERAL 1ull

void gmem_set_page_flag(struct guest_mem *m, uint64_t gpa, uint8_t flag);
/* A write-TLB entry for the page at gpa was filled under va: recorded for
 * gmem_set_page_flag. Returns false if the page has flags now (the caller
 * must drop the entry: setting them may have missed it). */
bool gmem_note_write_fill(struct mem_slot *s, uint64_t gpa, uint64_t va);

/* Dirty logging for migration. */
int gmem_dirty_log_start(struct guest_mem *m);
void gmem_dirty_log_stop(struct guest_mem *m);

/* The guest-physical address of a host pointer into RAM; false if it
 * points elsewhere. */
bool gmem_host_to_gpa(const struct guest_mem *m, const void *host,
		      uint64_t *gpa);

/* size bytes of zeroed anonymous memory on 2 MiB boundaries, advised to
 * use transparent huge pages; NULL on failure (munmap to free). */
void *map_huge(uint64_t size);

#endif
