/* mmu.c - Sv39/Sv48/Sv57 page walks, PMP, TLB fills and the memory slow
 * paths: misaligned accesses, MMIO and watched pages. */
#include "cpu/mmu.h"

#include <string.h>

#include "base/log.h"
#include "cpu/code_cache.h"
#include "cpu/trap.h"

#define PTE_V	       (1ull << 0)
#define PTE_R	       (1ull << 1)
#define PTE_W	       (1ull << 2)
#define PTE_X	       (1ull << 3)
#define PTE_U	       (1ull << 4)
#define PTE_G	       (1ull << 5)
#define PTE_A	       (1ull << 6)
#define PTE_D	       (1ull << 7)
#define PTE_PPN_SHIFT  10
#define PTE_PPN_MASK   ((1ull << 44) - 1)
#define PTE_PBMT_SHIFT 61
#define PTE_N	       (1ull << 63)
#define PTE_RESERVED   (0x7full << 54)

#define MENVCFG_PBMTE (1ull << 62)

static enum priv mmu_priv(int idx)
{
	switch (idx) {
	case MMU_M: return PRV_M;
	case MMU_U: return PRV_U;
	default: return PRV_S;
	}
}

static int mmu_index_for(enum priv p, uint64_t mstatus)
{
	if (p == PRV_M)
		return MMU_M;
	if (p == PRV_U)
		return MMU_U;
	return (mstatus & MSTATUS_SUM) ? MMU_S_SUM : MMU_S;
}

void mmu_update_index(struct hart *h)
{
	enum priv dp = h->priv;

	if (h->priv == PRV_M && (h->mstatus & MSTATUS_MPRV))
		dp = (enum priv)((h->mstatus >> MSTATUS_MPP_SHIFT) & 3);
	h->dmmu = mmu_index_for(dp, h->mstatus);
	h->immu = mmu_index_for(h->priv, h->mstatus);
	h->asid = (uint16_t)((h->satp >> 44) & 0xffff);
	tlb_set_asid(&h->tlb, h->asid);
}

/* ---- PMP ---- */

#define PMP_R	    0x01
#define PMP_W	    0x02
#define PMP_X	    0x04
#define PMP_A_SHIFT 3
#define PMP_L	    0x80
enum { PMP_OFF = 0, PMP_TOR = 1, PMP_NA4 = 2, PMP_NAPOT = 3 };

void pmp_update(struct pmp_state *p)
{
	p->active = 0;
	for (int i = 0; i < PMP_COUNT; i++) {
		uint64_t a = p->addr[i];
		unsigned mode = (p->cfg[i] >> PMP_A_SHIFT) & 3;
		p->lo[i] = 1;
		p->hi[i] = 0; /* empty unless set below */
		switch (mode) {
		case PMP_OFF: continue;
		case PMP_TOR: {
			uint64_t lo = i ? p->addr[i - 1] << 2 : 0;
			uint64_t hi = a << 2;
			if (hi > lo) {
				p->lo[i] = lo;
				p->hi[i] = hi - 1;
			}
			break;
		}
		case PMP_NA4:
			p->lo[i] = a << 2;
			p->hi[i] = (a << 2) + 3;
			break;
		case PMP_NAPOT: {
			int ones = __builtin_ctzll(~a); /* a has only 54 bits */
			uint64_t size = ones >= 54 ? 0 : 1ull << (ones + 3);
			if (ones >= 54) {
				p->lo[i] = 0;
				p->hi[i] = ~0ull;
			} else {
				p->lo[i] = (a & ~((1ull << ones) - 1)) << 2;
				p->hi[i] = p->lo[i] + size - 1;
			}
			break;
		}
		}
		p->active++;
	}
}

/* Does the first matching entry allow [pa, pa+len)? An access that only
 * partly overlaps the first matching entry fails, as the spec requires. */
bool pmp_allows(struct hart *h, uint64_t pa, uint64_t len, enum access acc,
		enum priv priv)
{
	struct pmp_state *p = &h->pmp;
	uint64_t last = pa + len - 1;
	static const uint8_t need[3] = {PMP_R, PMP_W, PMP_X};

	for (int i = 0; i < PMP_COUNT; i++) {
		uint8_t cfg = p->cfg[i];
		if (!((cfg >> PMP_A_SHIFT) & 3) || p->lo[i] > p->hi[i])
			continue;
		if (last < p->lo[i] || pa > p->hi[i])
			continue;
		if (pa < p->lo[i] || last > p->hi[i])
			return false; /* partial match */
		if (priv == PRV_M && !(cfg & PMP_L))
			return true;
		return (cfg & need[acc]) != 0;
	}
	return priv == PRV_M;
}

/* ---- translation ---- */

static int fault_cause(enum access acc, bool page)
{
	static const int pf[3] = {CAUSE_LOAD_PAGE_FAULT, CAUSE_STORE_PAGE_FAULT,
				  CAUSE_FETCH_PAGE_FAULT};
	static const int af[3] = {CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS,
				  CAUSE_FETCH_ACCESS};
	return page ? pf[acc] : af[acc];
}

int mmu_translate(struct hart *h, uint64_t va, enum access acc, int mmu_idx,
		  uint64_t *gpa)
{
	enum priv priv = mmu_priv(mmu_idx);
	unsigned mode = (unsigned)(h->satp >> 60);
	int levels, va_bits;
	uint64_t base;

	h->walk_level = 0;
	h->walk_global = false;
	if (priv == PRV_M || mode == SATP_MODE_BARE) {
		*gpa = va;
		return 0;
	}
	levels = mode - SATP_MODE_SV39 + 3;
	va_bits = 12 + 9 * levels;
	/* bits above va_bits-1 must all equal bit va_bits-1 */
	if ((uint64_t)((int64_t)(va << (64 - va_bits)) >> (64 - va_bits)) != va)
		return fault_cause(acc, true);

	base = (h->satp & ((1ull << 44) - 1)) << 12;
	for (int level = levels - 1; level >= 0; level--) {
		uint64_t vpn = (va >> (12 + 9 * level)) & 0x1ff;
		uint64_t pte_addr = base + vpn * 8;
		_Atomic uint64_t *ptep;
		uint64_t pte;

		if (!pmp_allows(h, pte_addr, 8, ACC_READ, PRV_S))
			return fault_cause(acc, false);
		ptep = gmem_ptr(h->mem, pte_addr, 8);
		if (!ptep)
			return fault_cause(acc, false);
	reload:
		pte = atomic_load_explicit(ptep, memory_order_acquire);
		if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)))
			return fault_cause(acc, true);
		if (pte & (PTE_RESERVED | PTE_N))
			return fault_cause(acc, true);
		if (pte >> PTE_PBMT_SHIFT & 3) {
			if (!(h->menvcfg & MENVCFG_PBMTE) ||
			    (pte >> PTE_PBMT_SHIFT & 3) == 3)
				return fault_cause(acc, true);
		}
		uint64_t ppn = (pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK;
		if (!(pte & (PTE_R | PTE_X))) {
			/* pointer to the next level; A/D/U reserved here */
			if (pte & (PTE_A | PTE_D | PTE_U) ||
			    (pte >> PTE_PBMT_SHIFT & 3))
				return fault_cause(acc, true);
			base = ppn << 12;
			continue;
		}
		/* leaf */
		if (level > 0 && (ppn & ((1ull << (9 * level)) - 1)))
			return fault_cause(acc,
					   true); /* misaligned superpage */
		switch (acc) {
		case ACC_FETCH:
			if (!(pte & PTE_X))
				return fault_cause(acc, true);
			if (priv == PRV_U ? !(pte & PTE_U) : (pte & PTE_U) != 0)
				return fault_cause(acc, true);
			break;
		case ACC_READ:
			if (!((pte & PTE_R) ||
			      ((pte & PTE_X) && (h->mstatus & MSTATUS_MXR))))
				return fault_cause(acc, true);
			goto user_check;
		case ACC_WRITE:
			if (!(pte & PTE_W))
				return fault_cause(acc, true);
		user_check:
			if (priv == PRV_U && !(pte & PTE_U))
				return fault_cause(acc, true);
			if (priv == PRV_S && (pte & PTE_U) &&
			    mmu_idx != MMU_S_SUM)
				return fault_cause(acc, true);
			break;
		}
		/* hardware A/D update, atomically against other harts */
		uint64_t want = pte | PTE_A | (acc == ACC_WRITE ? PTE_D : 0);
		if (want != pte) {
			if (!pmp_allows(h, pte_addr, 8, ACC_WRITE, PRV_S))
				return fault_cause(acc, false);
			if (!atomic_compare_exchange_strong(ptep, &pte, want))
				goto reload;
			gmem_note_write(h->mem, gmem_find(h->mem, pte_addr, 8),
					pte_addr, 8);
		}
		uint64_t off_mask = (1ull << (12 + 9 * level)) - 1;
		*gpa = ((ppn << 12) & ~off_mask) | (va & off_mask);
		h->walk_level = level;
		h->walk_global = (pte & PTE_G) != 0;
		return 0;
	}
	return fault_cause(acc, true);
}

/* ---- TLB fills ---- */

static enum priv pmp_priv(int mmu_idx)
{
	return mmu_priv(mmu_idx);
}

/* Translate va and, if the whole page is plain RAM with uniform PMP
 * permission, fill the TLB entry. Returns 0 or an exception cause; *host is
 * NULL when the address is not RAM (MMIO). */
static int translate_fill(struct hart *h, uint64_t va, unsigned size,
			  enum access acc, int mmu_idx, uint64_t *gpa_out,
			  uint8_t **host, struct mem_slot **slot_out)
{
	uint64_t gpa;
	enum priv pp = pmp_priv(mmu_idx);
	int cause = mmu_translate(h, va, acc, mmu_idx, &gpa);
	struct mem_slot *s;

	if (cause)
		return cause;
	if (!pmp_allows(h, gpa, size, acc, pp))
		return fault_cause(acc, false);
	*gpa_out = gpa;
	s = gmem_find(h->mem, gpa, size);
	*slot_out = s;
	if (!s) {
		*host = NULL;
		return 0;
	}
	*host = s->host + (gpa - s->gpa);
	uint64_t gpage = gpa & ~0xfffull;
	if (!gmem_find(h->mem, gpage, 4096) ||
	    !pmp_allows(h, gpage, 4096, acc, pp))
		return 0; /* usable, but not cacheable by page */
	uintptr_t addend = (uintptr_t)(s->host + (gpage - s->gpa)) -
			   (uintptr_t)(va & ~0xfffull);
	if (acc != ACC_FETCH)
		tlb_note_fill(&h->tlb); /* first: it may resize */
	tlb_note_superpage(&h->tlb, va, h->walk_level);
	unsigned i = tlb_index(&h->tlb, va);
	if (acc == ACC_READ) {
		struct tlb_entry *e = &h->tlb.r[mmu_idx][i];
		e->tag = tlb_tag(&h->tlb, va, 1);
		e->addend = addend;
	} else if (acc == ACC_WRITE && !gmem_page_flags(s, gpage)) {
		/* no write entries for pages with flags: translated stores
		 * do not look at them (setting one drops the entries) */
		struct tlb_entry *e = &h->tlb.w[mmu_idx][i];
		e->flags = &s->page_flags[(gpage - s->gpa) >> GUEST_PAGE_SHIFT];
		e->addend = addend;
		e->tag = tlb_tag(&h->tlb, va, 1);
		if (!gmem_note_write_fill(s, gpage, va))
			e->tag = TLB_INVALID_TAG;
	}
	return 0;
}

uintptr_t mmu_fill_for_jit(struct hart *h, uint64_t va, unsigned size_write)
{
	unsigned size = size_write & 0xff;
	bool write = size_write >> 8;
	uint64_t gpa;
	uint8_t *host;
	struct mem_slot *s;

	if (va & (size - 1))
		return 0;
	if (translate_fill(h, va, size, write ? ACC_WRITE : ACC_READ, h->dmmu,
			   &gpa, &host, &s) ||
	    !host)
		return 0;
	struct tlb_entry *e =
		write ? &h->tlb.w[h->dmmu][tlb_index(&h->tlb, va)]
		      : &h->tlb.r[h->dmmu][tlb_index(&h->tlb, va)];
	if (e->tag != tlb_tag(&h->tlb, va, 1))
		return 0; /* not cacheable by page */
	if (write && atomic_load_explicit(e->flags, memory_order_relaxed))
		return 0; /* code, watched or dirty-logged: the slow path */
	return e->addend;
}

static void fill_mmio_exit(struct hart *h, uint64_t gpa, unsigned size,
			   bool is_write, uint64_t val)
{
	h->exit.reason = EXIT_MMIO;
	h->exit.mmio.addr = gpa;
	h->exit.mmio.size = (uint8_t)size;
	h->exit.mmio.is_write = is_write;
	h->exit.mmio.data = val;
}

enum mem_result mmu_load_slow(struct hart *h, uint64_t va, unsigned size,
			      uint64_t *val)
{
	uint64_t gpa;
	uint8_t *host;
	struct mem_slot *s;
	int cause;

	if ((va & (size - 1)) && ((va & 0xfff) + size > 4096)) {
		/* misaligned across a page: byte by byte, all or nothing */
		uint8_t buf[8];
		for (unsigned i = 0; i < size; i++) {
			cause = translate_fill(h, va + i, 1, ACC_READ, h->dmmu,
					       &gpa, &host, &s);
			if (cause) {
				hart_raise(h, cause, va + i);
				return MEM_TRAP;
			}
			if (!host) {
				hart_raise(h, CAUSE_MISALIGNED_LOAD, va);
				return MEM_TRAP;
			}
			buf[i] = *host;
		}
		*val = 0;
		memcpy(val, buf, size);
		return MEM_OK;
	}
	cause = translate_fill(h, va, size, ACC_READ, h->dmmu, &gpa, &host, &s);
	if (cause) {
		hart_raise(h, cause, va);
		return MEM_TRAP;
	}
	if (!host) {
		if (va & (size - 1)) {
			hart_raise(h, CAUSE_MISALIGNED_LOAD, va);
			return MEM_TRAP;
		}
		fill_mmio_exit(h, gpa, size, false, 0);
		return MEM_MMIO;
	}
	*val = 0;
	memcpy(val, host, size);
	return MEM_OK;
}

enum mem_result mmu_store_slow(struct hart *h, uint64_t va, unsigned size,
			       uint64_t val)
{
	uint64_t gpa[8];
	uint8_t *host[8];
	struct mem_slot *s[8];
	unsigned n = 1, step = size;
	bool watch = false;
	int cause;

	if ((va & (size - 1)) && ((va & 0xfff) + size > 4096)) {
		n = size;
		step = 1;
	}
	/* translate everything first so a fault leaves memory untouched */
	for (unsigned i = 0; i < n; i++) {
		cause = translate_fill(h, va + i * step, step, ACC_WRITE,
				       h->dmmu, &gpa[i], &host[i], &s[i]);
		if (cause) {
			hart_raise(h, cause, va + i * step);
			return MEM_TRAP;
		}
		if (!host[i]) {
			if (n > 1 || (va & (size - 1))) {
				hart_raise(h, CAUSE_MISALIGNED_STORE, va);
				return MEM_TRAP;
			}
			fill_mmio_exit(h, gpa[0], size, true, val);
			return MEM_MMIO;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		uint8_t *src = (uint8_t *)&val + i * step;
		memcpy(host[i], src, step);
		gmem_note_write(h->mem, s[i], gpa[i], step);
		if (gmem_page_flags(s[i], gpa[i]) & GPAGE_WATCH) {
			watch = true;
			h->exit.watch_addr = gpa[i];
		}
		/* the hart's own stores leave its reservation alone (the
		 * ISA lets its SC succeed; one that changes the reserved
		 * bytes fails it through the value check): breaking it
		 * here only, not on TLB hits, made the outcome depend on
		 * the TLB */
	}
	return watch ? MEM_WATCH : MEM_OK;
}

void *mmu_atomic_ptr(struct hart *h, uint64_t va, unsigned size, bool is_write,
		     uint64_t *gpa_out)
{
	uint64_t gpa;
	uint8_t *host;
	struct mem_slot *s;
	enum access acc = is_write ? ACC_WRITE : ACC_READ;
	int cause;

	if (va & (size - 1)) {
		hart_raise(h,
			   is_write ? CAUSE_MISALIGNED_STORE
				    : CAUSE_MISALIGNED_LOAD,
			   va);
		return NULL;
	}
	/* TLB hit: write entries exist only for plain RAM pages that hold
	 * no code, and PMP never grants W without R. */
	{
		struct tlb_entry *e =
			is_write ? &h->tlb.w[h->dmmu][tlb_index(&h->tlb, va)]
				 : &h->tlb.r[h->dmmu][tlb_index(&h->tlb, va)];
		if (e->tag == tlb_tag(&h->tlb, va, 1) &&
		    (va & 0xfff) + size <= 4096 &&
		    (!is_write ||
		     !atomic_load_explicit(e->flags, memory_order_relaxed))) {
			uint8_t *host_p = (uint8_t *)(e->addend + va);
			if (gmem_host_to_gpa(h->mem, host_p, gpa_out))
				return host_p;
		}
	}
	cause = translate_fill(h, va, size, acc, h->dmmu, &gpa, &host, &s);
	if (!cause && is_write &&
	    !pmp_allows(h, gpa, size, ACC_READ, pmp_priv(h->dmmu)))
		cause = CAUSE_STORE_ACCESS;
	if (cause) {
		hart_raise(h, cause, va);
		return NULL;
	}
	if (!host) { /* no atomics on MMIO */
		hart_raise(h, is_write ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS,
			   va);
		return NULL;
	}
	if (is_write)
		gmem_note_write(h->mem, s, gpa, size);
	*gpa_out = gpa;
	return host;
}

static struct code_page *fetch_fill(struct hart *h, uint64_t pc, bool raise)
{
	uint64_t gpa;
	struct mem_slot *s;
	int cause = mmu_translate(h, pc, ACC_FETCH, h->immu, &gpa);
	enum priv pp = pmp_priv(h->immu);

	if (cause) {
		if (raise)
			hart_raise(h, cause, pc);
		return NULL;
	}
	if (!pmp_allows(h, gpa, 2, ACC_FETCH, pp) ||
	    !(s = gmem_find(h->mem, gpa, 2))) {
		if (raise)
			hart_raise(h, CAUSE_FETCH_ACCESS, pc);
		return NULL;
	}
	uint64_t gpage = gpa & ~0xfffull;
	const uint8_t *host = s->host + (gpage - s->gpa);
	struct code_page *cp = code_cache_get(h, gpage, host);
	/* Cache the translation only if the whole page may be executed;
	 * otherwise every block start comes back here and re-checks PMP. */
	if (pmp_allows(h, gpage, 4096, ACC_FETCH, pp)) {
		tlb_note_superpage(&h->tlb, pc, h->walk_level);
		struct tlb_fetch_entry *e = &h->tlb.x[h->immu][tlb_x_index(pc)];
		e->tag = pc & ~0xfffull;
		e->ctx = h->walk_global ? h->tlb.gctx : h->tlb.ctx;
		e->addend = (uintptr_t)host - (uintptr_t)(pc & ~0xfffull);
		e->cp = cp;
	}
	return cp;
}

struct code_page *mmu_fetch_slow(struct hart *h, uint64_t pc)
{
	return fetch_fill(h, pc, true);
}

struct code_page *mmu_fetch_probe(struct hart *h, uint64_t pc)
{
	struct code_page *cp = fetch_fill(h, pc, false);

	/* only a translation the fetch TLB now holds counts */
	struct tlb_fetch_entry *e = &h->tlb.x[h->immu][tlb_x_index(pc)];
	if (cp &&
	    (e->tag != (pc & ~0xfffull) || !tlb_ctx_valid(&h->tlb, e->ctx)))
		return NULL;
	return cp;
}

bool mmu_fetch16(struct hart *h, uint64_t va, uint16_t *parcel)
{
	uint64_t gpa;
	int cause = mmu_translate(h, va, ACC_FETCH, h->immu, &gpa);
	const uint8_t *p;

	if (cause) {
		hart_raise(h, cause, va);
		return false;
	}
	if (!pmp_allows(h, gpa, 2, ACC_FETCH, pmp_priv(h->immu)) ||
	    !(p = gmem_ptr(h->mem, gpa, 2))) {
		hart_raise(h, CAUSE_FETCH_ACCESS, va);
		return false;
	}
	memcpy(parcel, p, 2);
	return true;
}
