/* sbi_ext.h - private to src/sbi: the extension table and shared helpers.
 *
 * Each extension file defines one `const struct sbi_ext`; sbi.c lists them
 * in an EID-range table (OpenSBI style) and dispatches on a7. */
#ifndef RVISOR_SBI_SBI_EXT_H
#define RVISOR_SBI_SBI_EXT_H

#include "sbi/sbi.h"

/* what a handler hands back: a0 (error) and a1 (value) */
struct sbi_ret {
	int64_t error;
	uint64_t value;
};

struct sbi_ext {
	uint64_t first, last; /* EID range, inclusive */
	enum sbi_ext_slot slot;
	/* NULL: always there. Otherwise false when the machine lacks the ops
	 * the extension needs; probe then says 0 and calls NOT_SUPPORTED. */
	bool (*available)(const struct sbi *s);
	/* Handle function `fid` (a6) of the call in h's a0-a5. Returns true
	 * to complete the call with *ret; false when the call does not return
	 * and the handler has set up h itself. */
	bool (*handle)(struct sbi *s, struct hart *h, uint64_t fid,
		       struct sbi_ret *ret);
};

extern const struct sbi_ext sbi_ext_legacy, sbi_ext_base, sbi_ext_time,
	sbi_ext_ipi, sbi_ext_rfence, sbi_ext_hsm, sbi_ext_srst, sbi_ext_pmu,
	sbi_ext_dbcn, sbi_ext_susp;

/* the extension covering eid if it is present on this machine, else NULL */
const struct sbi_ext *sbi_find_ext(const struct sbi *s, uint64_t eid);

/* Resolve a (hart_mask, hart_mask_base) pair to a bitmap of hart ids.
 * base == -1 means all harts. Returns SBI_SUCCESS, or INVALID_PARAM if any
 * hart id named is >= nharts; then *harts is 0 and nothing must be sent. */
int64_t sbi_hart_mask(const struct sbi *s, uint64_t mask, uint64_t base,
		      uint64_t *harts);

/* Shared by IPI, RFENCE and legacy: act on every hart in the bitmap. */
void sbi_send_ipis(struct sbi *s, uint64_t harts);
void sbi_remote_fences(struct sbi *s, uint64_t harts, enum sbi_fence_kind kind,
		       uint64_t start, uint64_t size, uint64_t asid);

/* HSM state change from -> to, atomically; false if the state was not
 * `from` (another hart got there first). */
bool sbi_hsm_change(struct sbi *s, unsigned hartid, enum sbi_hsm_state from,
		    enum sbi_hsm_state to);
/* Is addr somewhere a hart can start executing (guest RAM)? */
bool sbi_valid_entry(const struct sbi *s, uint64_t addr);
/* Suspend the calling hart (STARTED) until it is woken, going through the
 * HSM suspend states; then resume it at resume_addr when non-retentive.
 * Returns false (and changes nothing) if h is not STARTED. */
bool sbi_hsm_suspend(struct sbi *s, struct hart *h, bool retentive,
		     uint64_t resume_addr, uint64_t opaque);

#endif
