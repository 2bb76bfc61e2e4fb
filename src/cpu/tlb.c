#include "cpu/tlb.h"

#include <stdatomic.h>

#include "mem/guest_mem.h"

#define GEN_ONE (1ull << TLB_GEN_SHIFT)

static void wipe_sites(struct tlb *t)
{
	for (int m = 0; m < MMU_COUNT; m++)
		for (unsigned i = 0; i < TLB_SITES; i++)
			t->site[m][i].tag = TLB_INVALID_TAG;
}

static void wipe_data(struct tlb *t)
{
	for (int m = 0; m < MMU_COUNT; m++) {
		for (uint64_t i = 0; i <= t->touched; i++) {
			t->r[m][i].tag = TLB_INVALID_TAG;
			t->w[m][i].tag = TLB_INVALID_TAG;
		}
	}
	wipe_sites(t);
}

/* give the current (generation, ASID) its context id */
static void assign_cid(struct tlb *t)
{
	uint64_t gen = t->ctx >> TLB_GEN_SHIFT;
	uint32_t asid = (uint32_t)(t->ctx & TLB_ASID_MASK);
	unsigned slot = asid % 64;

	uint64_t before = t->cid;

	if (t->cids[slot].gen == gen && t->cids[slot].asid == asid) {
		t->cid = (uint64_t)t->cids[slot].cid << TLB_CID_SHIFT;
		if (t->cid != before)
			wipe_sites(t); /* their tags hold no context id */
		return;
	}
	if (t->next_cid == 0 || t->next_cid > TLB_CID_MAX) {
		/* out of ids: no entry may keep an id handed out again */
		wipe_data(t);
		t->ctx += GEN_ONE;
		gen = t->ctx >> TLB_GEN_SHIFT;
		t->next_cid = 1;
	}
	t->cids[slot].gen = gen;
	t->cids[slot].asid = asid;
	t->cids[slot].cid = t->next_cid++;
	t->cid = (uint64_t)t->cids[slot].cid << TLB_CID_SHIFT;
	wipe_sites(t);
}

void tlb_set_asid(struct tlb *t, uint16_t asid)
{
	t->ctx = (t->ctx & ~TLB_ASID_MASK) | asid;
	assign_cid(t);
}
void tlb_init(struct tlb *t)
{
	/* a generation newer than any entry: the arrays are zeroed memory
	 * (generation 0) or were filled by an earlier user of this tlb */
	t->ctx = (t->ctx & ~TLB_ASID_MASK) + GEN_ONE;
	t->gctx = ((t->gctx & ~(TLB_ASID_MASK | TLB_GLOBAL)) + GEN_ONE) |
		  TLB_GLOBAL;
	t->mask = (1u << TLB_MIN_BITS) - 1;
	t->mask32 = t->mask << 5;
	/* ids restart: entries an earlier user left behind must go (a
	 * zeroed tlb has touched == 0 and tag 0, which no id matches) */
	wipe_data(t);
	t->touched = t->mask;
	t->next_cid = 0;
	assign_cid(t);
	t->jc_used = true;
	tlb_jc_clear(t);
	for (int m = 0; m < MMU_COUNT; m++)
		for (unsigned i = 0; i < TLB_X_SIZE; i++)
			t->x[m][i].tag = TLB_INVALID_TAG;
}

void tlb_jc_clear(struct tlb *t)
{
	if (!t->jc_used)
		return;
	for (unsigned i = 0; i < TLB_JC_SIZE; i++)
		t->jc[i].vpc = TLB_INVALID_TAG;
	t->jc_used = false;
}

void tlb_jc_drop_gpa_page(struct tlb *t, uint64_t gpa_page)
{
	if (!t->jc_used)
		return;
	for (unsigned i = 0; i < TLB_JC_SIZE; i++)
		if (t->jc[i].gpa_page == gpa_page)
			t->jc[i].vpc = TLB_INVALID_TAG;
}

/* a fence naming one page: its entries all sit in one group */
static void jc_drop_va_page(struct tlb *t, uint64_t page)
{
	unsigned base = tlb_jc_index(page) & ~(TLB_JC_GROUP - 1);

	for (unsigned i = 0; i < TLB_JC_GROUP; i++)
		if ((t->jc[base + i].vpc & ~0xfffull) == page)
			t->jc[base + i].vpc = TLB_INVALID_TAG;
}

void tlb_flush_all(struct tlb *t)
{
	/* a new generation: every entry, data, fetch and jump cache, was
	 * filled under an older one and no longer matches */
	t->ctx += GEN_ONE;
	t->gctx += GEN_ONE;
	t->super_kernel = false;
	t->super_user = 0;
	t->fills = 0;
	t->full_flushes++;
	assign_cid(t);
}

void tlb_note_fill(struct tlb *t)
{
	/* QEMU resizes its TLB at flushes by how full it got; a direct-mapped
	 * TLB that refills four times its size in a row is thrashing */
	if (++t->fills <= 4 * (t->mask + 1))
		return; /* (the count starts again at each full flush) */
	t->fills = 0;
	if (t->mask + 1 < TLB_MAX_SIZE) {
		t->mask = t->mask * 2 + 1;
		t->mask32 = t->mask << 5;
		if (t->mask > t->touched)
			t->touched = t->mask;
		tlb_flush_all(t);
	}
}

static void drop_page(struct tlb *t, uint64_t page)
{
	for (int m = 0; m < MMU_COUNT; m++) {
		if (m == MMU_M)
			continue; /* physical: not affected by sfence */
		struct tlb_entry *r = &t->r[m][tlb_index(t, page)];
		struct tlb_entry *w = &t->w[m][tlb_index(t, page)];
		struct tlb_fetch_entry *x = &t->x[m][tlb_x_index(page)];
		if ((r->tag & ~0xfffull) == page)
			r->tag = TLB_INVALID_TAG;
		if ((w->tag & ~0xfffull) == page)
			w->tag = TLB_INVALID_TAG;
		if (x->tag == page)
			x->tag = TLB_INVALID_TAG;
		for (unsigned i = 0; i < TLB_SITES; i++)
			if ((t->site[m][i].tag & ~0xfffull) == page)
				t->site[m][i].tag = TLB_INVALID_TAG;
	}
}

void tlb_flush(struct tlb *t, int64_t va, int64_t asid)
{
	uint64_t page = (uint64_t)va & ~0xfffull;

	/* Dropping more than asked is always allowed: a fence for all
	 * addresses (of one ASID or all) starts a new generation. */
	if (va == -1 && asid >= 0) {
		/* one address space: all but global mappings */
		t->ctx += GEN_ONE;
		t->full_flushes++;
		assign_cid(t);
		return;
	}
	if (va == -1 ||
	    ((int64_t)page < 0 ? t->super_kernel
			       : !!(t->super_user & tlb_region_bit(page)))) {
		tlb_flush_all(t);
		return;
	}
	drop_page(t, page);
	jc_drop_va_page(t, page);
}

static void drop_write_entry(struct tlb_entry *e, uintptr_t host_page)
{
	uint64_t tag = atomic_load_explicit((_Atomic uint64_t *)&e->tag,
					    memory_order_relaxed);
	uint64_t page = tag & ~0xfffull;
	if (tag != TLB_INVALID_TAG && e->addend + page == host_page)
		atomic_store_explicit((_Atomic uint64_t *)&e->tag,
				      TLB_INVALID_TAG, memory_order_relaxed);
}

void tlb_drop_write_page(struct tlb *t, uintptr_t host_page, uint64_t va_page)
{
	for (int m = 0; m < MMU_COUNT; m++) {
		if (va_page == GMEM_WVA_SEVERAL) { /* look everywhere */
			for (unsigned i = 0; i < TLB_MAX_SIZE; i++)
				drop_write_entry(&t->w[m][i], host_page);
			continue;
		}
		/* the owner may be resizing: every size's index */
		for (unsigned b = TLB_MIN_BITS; b <= TLB_MAX_BITS; b++)
			drop_write_entry(
				&t->w[m][(va_page >> 12) & ((1u << b) - 1)],
				host_page);
	}
}
