/* mmu.h - address translation, PMP and the slow paths behind the TLB. */
#ifndef RVISOR_CPU_MMU_H
#define RVISOR_CPU_MMU_H

#include "cpu/hart.h"

enum access { ACC_READ = 0, ACC_WRITE = 1, ACC_FETCH = 2 };

/* Results of a slow-path memory access. */
enum mem_result {
	MEM_OK = 0,
	MEM_TRAP,  /* exception raised: h->pc is the trap vector */
	MEM_MMIO,  /* h->exit describes an MMIO access for the VMM */
	MEM_WATCH, /* the store landed on a watched page: exit after it */
};

#define SATP_MODE_BARE 0
#define SATP_MODE_SV39 8
#define SATP_MODE_SV48 9
#define SATP_MODE_SV57 10

/* mstatus bits the MMU cares about */
#define MSTATUS_MPRV	  (1ull << 17)
#define MSTATUS_SUM	  (1ull << 18)
#define MSTATUS_MXR	  (1ull << 19)
#define MSTATUS_MPP_SHIFT 11

/* Recompute h->dmmu / h->immu after priv or mstatus changes. */
void mmu_update_index(struct hart *h);

/* Full translation of one address. On success *gpa is set and 0 returned;
 * otherwise the exception cause to raise (tval = va). */
int mmu_translate(struct hart *h, uint64_t va, enum access acc, int mmu_idx,
		  uint64_t *gpa);

bool pmp_allows(struct hart *h, uint64_t pa, uint64_t len, enum access acc,
		enum priv priv);
void pmp_update(struct pmp_state *p);

/* Slow paths. `pc` has been synced to h->pc. */
enum mem_result mmu_load_slow(struct hart *h, uint64_t va, unsigned size,
			      uint64_t *val);
enum mem_result mmu_store_slow(struct hart *h, uint64_t va, unsigned size,
			       uint64_t val);
/* Host pointer for an atomic access (AMO, SC when is_write, LR when not);
 * NULL if an exception was raised. *gpa receives the physical address. */
void *mmu_atomic_ptr(struct hart *h, uint64_t va, unsigned size, bool is_write,
		     uint64_t *gpa);
/* Translate a fetch and find (or make) the predecoded page. NULL if an
 * exception was raised. */
struct code_page *mmu_fetch_slow(struct hart *h, uint64_t pc);
/* The same without raising anything: NULL unless the page's translation
 * is now in the fetch TLB (for the JIT, which leaves faults to the
 * interpreter). */
struct code_page *mmu_fetch_probe(struct hart *h, uint64_t pc);
/* Fetch a 16-bit parcel (for instructions crossing a page). */
bool mmu_fetch16(struct hart *h, uint64_t va, uint16_t *parcel);

/* For translated code after a TLB miss: fill the data TLB entry for an
 * aligned access of (size_write & 0xff) bytes, a store if size_write >> 8,
 * and return its addend - or 0 if the access is anything but plain
 * cacheable RAM the fast path may touch (a fault, MMIO, a code page...),
 * which the interpreter then performs. Raises nothing. */
uintptr_t mmu_fill_for_jit(struct hart *h, uint64_t va, unsigned size_write);

#endif
