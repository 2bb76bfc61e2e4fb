/* sbi.c - SBI dispatch: the EID-range table, call counting, and the hart
 * mask / HSM helpers that several extensions share. */
#include "sbi/sbi.h"

#include <string.h>

#include "cpu/csr.h"
#include "cpu/mmu.h"
#include "cpu/trap.h"
#include "sbi/sbi_ext.h"

/* hart bitmaps are one uint64_t */
_Static_assert(SBI_MAX_HARTS <= 64, "hart bitmaps must fit in 64 bits");

const char *const sbi_slot_names[SBI_SLOT__COUNT] = {
	[SBI_SLOT_LEGACY] = "legacy",	[SBI_SLOT_BASE] = "base",
	[SBI_SLOT_TIME] = "time",	[SBI_SLOT_IPI] = "ipi",
	[SBI_SLOT_RFENCE] = "rfence",	[SBI_SLOT_HSM] = "hsm",
	[SBI_SLOT_SRST] = "srst",	[SBI_SLOT_PMU] = "pmu",
	[SBI_SLOT_DBCN] = "dbcn",	[SBI_SLOT_SUSP] = "susp",
	[SBI_SLOT_UNKNOWN] = "unknown",
};

/* Linear search: ten entries, and the hot ones (TIME, IPI, RFENCE) first. */
static const struct sbi_ext *const sbi_exts[] = {
	&sbi_ext_time, &sbi_ext_ipi,  &sbi_ext_rfence, &sbi_ext_base,
	&sbi_ext_hsm,  &sbi_ext_dbcn, &sbi_ext_legacy, &sbi_ext_srst,
	&sbi_ext_pmu,  &sbi_ext_susp,
};

void sbi_init(struct sbi *s, const struct sbi_host_ops *ops, void *m,
	      struct hart **harts, unsigned nharts, struct guest_mem *mem)
{
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->m = m;
	s->harts = harts;
	/* more harts than the HSM array holds cannot be addressed */
	s->nharts = nharts < SBI_MAX_HARTS ? nharts : SBI_MAX_HARTS;
	s->mem = mem;
	/* the boot hart runs; the others wait for HSM hart_start */
	for (unsigned i = 0; i < SBI_MAX_HARTS; i++)
		atomic_init(&s->hsm_state[i],
			    i == 0 ? SBI_HSM_STARTED : SBI_HSM_STOPPED);
	for (unsigned i = 0; i < SBI_SLOT__COUNT; i++)
		atomic_init(&s->calls[i], 0);
}

const struct sbi_ext *sbi_find_ext(const struct sbi *s, uint64_t eid)
{
	for (size_t i = 0; i < sizeof(sbi_exts) / sizeof(sbi_exts[0]); i++) {
		const struct sbi_ext *e = sbi_exts[i];
		if (eid >= e->first && eid <= e->last)
			return !e->available || e->available(s) ? e : NULL;
	}
	return NULL;
}

void sbi_handle(struct sbi *s, struct hart *h)
{
	/* EID and FID are compared as full registers: a value with stray
	 * upper bits names no extension (as in OpenSBI and KVM). */
	const struct sbi_ext *e = sbi_find_ext(s, h->x[17]);
	struct sbi_ret ret = {SBI_ERR_NOT_SUPPORTED, 0};

	if (!e) {
		atomic_fetch_add_explicit(&s->calls[SBI_SLOT_UNKNOWN], 1,
					  memory_order_relaxed);
		hart_complete_sbi(h, (uint64_t)ret.error, 0);
		return;
	}
	atomic_fetch_add_explicit(&s->calls[e->slot], 1, memory_order_relaxed);
	if (e->handle(s, h, h->x[16], &ret))
		hart_complete_sbi(h, (uint64_t)ret.error, ret.value);
}

int64_t sbi_hart_mask(const struct sbi *s, uint64_t mask, uint64_t base,
		      uint64_t *harts)
{
	uint64_t out = 0;

	*harts = 0;
	if (base == UINT64_MAX) {
		*harts = s->nharts == 64 ? UINT64_MAX : (1ull << s->nharts) - 1;
		return SBI_SUCCESS;
	}
	/* An empty mask names no hart, so no base can be wrong for it
	 * (kvm-unit-tests expects SUCCESS for mask 0 with any base). */
	for (unsigned bit = 0; bit < 64; bit++) {
		if (!(mask >> bit & 1))
			continue;
		/* base + bit may wrap: treat that as out of range too */
		if (base >= s->nharts || bit >= s->nharts - base)
			return SBI_ERR_INVALID_PARAM;
		out |= 1ull << (base + bit);
	}
	*harts = out;
	return SBI_SUCCESS;
}

/* IPIs and fences go to every named hart whatever its HSM state, as KVM
 * does: a stopped hart is reset by hart_start anyway, and a fence that is
 * not needed is harmless, while a missed one is not. */
void sbi_send_ipis(struct sbi *s, uint64_t harts)
{
	for (unsigned i = 0; i < s->nharts; i++)
		if (harts >> i & 1)
			s->ops->send_ipi(s->m, i);
}

void sbi_remote_fences(struct sbi *s, uint64_t harts, enum sbi_fence_kind kind,
		       uint64_t start, uint64_t size, uint64_t asid)
{
	for (unsigned i = 0; i < s->nharts; i++)
		if (harts >> i & 1)
			s->ops->remote_fence(s->m, i, kind, start, size, asid);
}

bool sbi_hsm_change(struct sbi *s, unsigned hartid, enum sbi_hsm_state from,
		    enum sbi_hsm_state to)
{
	int expected = (int)from;

	return atomic_compare_exchange_strong(&s->hsm_state[hartid], &expected,
					      (int)to);
}

bool sbi_valid_entry(const struct sbi *s, uint64_t addr)
{
	/* The hart starts with the MMU off, so this is a physical address;
	 * it must hold at least one (compressed) instruction of RAM. No
	 * G-stage exists, and PMP is not consulted: a hart's PMP is what the
	 * machine sets up when it (re)starts the hart. */
	return gmem_find(s->mem, addr, 2) != NULL;
}

void sbi_hart_enter(struct hart *h, uint64_t addr, uint64_t opaque)
{
	hart_set_priv(h, PRV_S);
	/* through the CSR path, which also drops translations and updates
	 * the MMU index; S-mode may write satp unless mstatus.TVM, which an
	 * S-mode guest without firmware cannot set */
	if (!hart_csr_write(h, CSR_SATP, 0)) {
		h->satp = 0;
		hart_flush_tlb(h);
		mmu_update_index(h);
	}
	h->mstatus &= ~MSTATUS_SIE;
	h->x[10] = h->mhartid;
	h->x[11] = opaque;
	h->pc = addr;
}
