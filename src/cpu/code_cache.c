#include "cpu/code_cache.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/log.h"
#include "cpu/hart.h"
#include "mem/guest_mem.h"

/* Pages come from one huge-page-backed pool: fresh 48 KiB allocations
 * fault page by page, which costs more than decoding. */
#define POOL_BYTES ((uint64_t)CODE_CACHE_MAX_PAGES * sizeof(struct code_page))

struct code_cache *code_cache_new(void)
{
	struct code_cache *c = calloc(1, sizeof(struct code_cache));

	if (!c)
		return NULL;
	c->pool = map_huge(POOL_BYTES);
	if (!c->pool) {
		free(c);
		return NULL;
	}
	return c;
}

void code_cache_flush(struct code_cache *c)
{
	memset(c->hash, 0, sizeof(c->hash));
	c->npages = 0;
}

void code_cache_free(struct code_cache *c)
{
	if (!c)
		return;
	munmap(c->pool, POOL_BYTES);
	free(c);
}

static unsigned hash_page(uint64_t gpa_page)
{
	return (unsigned)((gpa_page >> 12) ^ (gpa_page >> 24)) &
	       (CODE_HASH_SIZE - 1);
}

static void reset_slots(struct code_cache *c, struct code_page *p)
{
	for (unsigned i = 0; i < CODE_PAGE_SLOTS; i++)
		p->insns[i].handler = c->decode_handler;
}

void code_page_arm(struct hart *h, struct code_page *cp)
{
	/* from now on every store to the page, by any hart or device, leaves
	 * the fast path and reports the write (write-TLB entries check the
	 * flag on each store) */
	gmem_set_page_flag(h->mem, cp->gpa_page, GPAGE_CODE);
	cp->armed = true;
}

struct code_page *code_cache_get(struct hart *h, uint64_t gpa_page,
				 const uint8_t *host)
{
	struct code_cache *c = h->code;
	unsigned b = hash_page(gpa_page);
	struct code_page *p;

	for (p = c->hash[b]; p; p = p->next)
		if (p->gpa_page == gpa_page)
			goto found;
	if (c->npages >= CODE_CACHE_MAX_PAGES) {
		/* Bounded memory: start over. Fetch entries point at pages. */
		code_cache_flush(c);
		for (int m = 0; m < MMU_COUNT; m++)
			for (unsigned i = 0; i < TLB_X_SIZE; i++)
				h->tlb.x[m][i].tag = TLB_INVALID_TAG;
	}
	p = &c->pool[c->npages];
	p->gpa_page = gpa_page;
	p->host = host;
	p->armed = false;
	reset_slots(c, p);
	p->insns[CODE_PAGE_SLOTS].handler = c->page_end_handler;
	p->next = c->hash[b];
	c->hash[b] = p;
	c->npages++;
	h->stats.code_pages_decoded++;
found:
	if (!p->armed)
		code_page_arm(h, p);
	return p;
}

void code_cache_invalidate(struct code_cache *c, uint64_t gpa_page)
{
	struct code_page *p;

	for (p = c->hash[hash_page(gpa_page)]; p; p = p->next)
		if (p->gpa_page == gpa_page) {
			reset_slots(c, p);
			p->armed = false;
			return;
		}
}
