/* code_cache.h - instructions predecoded per guest-physical page.
 *
 * A code page holds one predecoded slot per 2-byte offset, filled lazily
 * the first time execution reaches it, plus a sentinel that ends the page.
 * When the page is written (by this hart, another hart or a device's DMA),
 * guest_mem's code hook resets the slots, so self-modifying code is caught
 * precisely; the page itself stays allocated until a full flush, so the
 * interpreter may hold pointers into it across a store. */
#ifndef RVISOR_CPU_CODE_CACHE_H
#define RVISOR_CPU_CODE_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/decode.h"

#define CODE_PAGE_SLOTS	     2048 /* 4096 / 2 */
#define CODE_HASH_SIZE	     4096
#define CODE_CACHE_MAX_PAGES 4096

struct code_page {
	uint64_t gpa_page;
	struct code_page *next; /* hash chain */
	const uint8_t *host;	/* the page's bytes in guest RAM */
	bool armed;		/* GPAGE_CODE is set: writes will reach us */
	struct insn insns[CODE_PAGE_SLOTS + 1];
};

struct code_cache {
	struct code_page *hash[CODE_HASH_SIZE];
	unsigned npages;
	struct code_page *pool; /* CODE_CACHE_MAX_PAGES, used in order */
	/* handlers the interpreter installs in fresh slots */
	const void *decode_handler;
	const void *page_end_handler;
};

struct hart;
struct code_cache *code_cache_new(void);
void code_cache_free(struct code_cache *c);
/* Lookup or create. Creating may empty a full cache first (and with it the
 * hart's fetch TLB), so callers must drop older code_page pointers. */
struct code_page *code_cache_get(struct hart *h, uint64_t gpa_page,
				 const uint8_t *host);
/* Make sure writes to the page invalidate it (after an invalidation). */
void code_page_arm(struct hart *h, struct code_page *cp);
void code_cache_invalidate(struct code_cache *c, uint64_t gpa_page);
void code_cache_flush(struct code_cache *c);

#endif
