#include "cpu/tlb.h"

static void invalidate(struct tlb_entry *e)
{
	e->tag = TLB_INVALID_TAG;
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
	unsigned base = tlb_jc_index(page);

	for (unsigned i = 0; i < TLB_JC_GROUP; i++)
		if ((t->jc[base + i].vpc & ~0xfffull) == page)
			t->jc[base + i].vpc = TLB_INVALID_TAG;
}

void tlb_flush_all(struct tlb *t)
{
	tlb_jc_clear(t);
	t->superpages = false;
	for (int m = 0; m < MMU_COUNT; m++)
		for (unsigned i = 0; i < TLB_SIZE; i++) {
			invalidate(&t->r[m][i]);
			invalidate(&t->w[m][i]);
			t->x[m][i].tag = TLB_INVALID_TAG;
		}
}

void tlb_flush(struct tlb *t, int64_t va, int64_t asid)
{
	uint64_t page = (uint64_t)va & ~0xfffull;

	if (t->superpages)
		va = -1;
	if (va == -1 && asid == -1) {
		tlb_flush_all(t);
		return;
	}
	if (va == -1)
		tlb_jc_clear(t);
	else
		jc_drop_va_page(t, page);
	for (int m = 0; m < MMU_COUNT; m++) {
		if (m == MMU_M)
			continue; /* physical: not affected by sfence */
		for (unsigned i = 0; i < TLB_SIZE; i++) {
			struct tlb_entry *r = &t->r[m][i], *w = &t->w[m][i];
			struct tlb_fetch_entry *x = &t->x[m][i];
			/* Entries of global pages are tagged with the ASID
			 * they were filled under, so matching on ASID also
			 * over-approximates, which is always allowed. */
			if ((va == -1 || r->tag == page) &&
			    (asid == -1 || r->asid == (uint64_t)asid))
				invalidate(r);
			if ((va == -1 || w->tag == page) &&
			    (asid == -1 || w->asid == (uint64_t)asid))
				invalidate(w);
			if ((va == -1 || x->tag == page) &&
			    (asid == -1 || x->asid == (uint64_t)asid))
				x->tag = TLB_INVALID_TAG;
		}
	}
}
