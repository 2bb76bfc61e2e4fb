/* susp.c - System Suspend.
 *
 * A VM has nothing to power down, so SUSPEND_TO_RAM (type 0, implied by the
 * extension's presence) is the spec's entry check plus a non-retentive
 * suspend of the calling hart: all other harts must be STOPPED (else
 * DENIED); the caller sleeps until any interrupt that sie enables is
 * pending (timer, UART, ... - rvisor's wake-up devices are "any") and then
 * resumes at resume_addr with a0 = hartid, a1 = opaque, satp = 0,
 * sstatus.SIE = 0. No other sleep type exists here. */
#include "sbi/sbi_ext.h"

static bool susp_handle(struct sbi *s, struct hart *h, uint64_t fid,
			struct sbi_ret *ret)
{
	/* sleep_type is 32 bits wide: upper register bits are ignored
	 * (kvm-unit-tests "sleep_type upper bits" expects a real suspend) */
	uint32_t type = (uint32_t)h->x[10];
	uint64_t resume_addr = h->x[11];

	if (fid != 0)
		return true;
	/* reserved and platform-specific types: none implemented */
	if (type != SBI_SUSP_SUSPEND_TO_RAM) {
		ret->error = SBI_ERR_INVALID_PARAM;
		return true;
	}
	if (!sbi_valid_entry(s, resume_addr)) {
		ret->error = SBI_ERR_INVALID_ADDRESS;
		return true;
	}
	/* No race: only a running hart can start a stopped one, and the
	 * caller is the only one left running. */
	for (unsigned i = 0; i < s->nharts; i++) {
		if (i != h->mhartid &&
		    atomic_load(&s->hsm_state[i]) != SBI_HSM_STOPPED) {
			ret->error = SBI_ERR_DENIED;
			return true;
		}
	}
	if (!sbi_hsm_suspend(s, h, false, resume_addr, h->x[12])) {
		ret->error = SBI_ERR_FAILED;
		return true;
	}
	return false; /* h now runs at resume_addr */
}

const struct sbi_ext sbi_ext_susp = {
	.first = SBI_EXT_SUSP,
	.last = SBI_EXT_SUSP,
	.slot = SBI_SLOT_SUSP,
	.handle = susp_handle,
};
