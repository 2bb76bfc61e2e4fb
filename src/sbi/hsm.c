/* hsm.c - Hart State Management: start, stop, status, suspend.
 *
 * hsm_state[] is the one source of truth for HSM status. Harts run on
 * different host threads, so every transition is a compare-exchange. A
 * hart leaves STOPPED only through another hart's hart_start (STOPPED ->
 * START_PENDING -> STARTED); it leaves STARTED only by its own call. */
#include "sbi/sbi_ext.h"

enum {
	HSM_HART_START = 0,
	HSM_HART_STOP = 1,
	HSM_HART_GET_STATUS = 2,
	HSM_HART_SUSPEND = 3,
};

static bool hsm_available(const struct sbi *s)
{
	return s->ops->hart_start && s->ops->hart_stop;
}

/* A hart that makes an SBI call is running. If its starter has not yet
 * moved it from START_PENDING to STARTED, do it here, so that a freshly
 * started hart can stop or suspend at once. */
static bool hsm_self(struct sbi *s, struct hart *h, unsigned *id)
{
	if (h->mhartid >= s->nharts)
		return false;
	*id = (unsigned)h->mhartid;
	sbi_hsm_change(s, *id, SBI_HSM_START_PENDING, SBI_HSM_STARTED);
	return true;
}

static int64_t hsm_start(struct sbi *s, uint64_t id, uint64_t addr,
			 uint64_t opaque)
{
	/* checked in OpenSBI's order: hart id, address, then state */
	if (id >= s->nharts)
		return SBI_ERR_INVALID_PARAM;
	if (!sbi_valid_entry(s, addr))
		return SBI_ERR_INVALID_ADDRESS;
	/* only one starter wins; anything but STOPPED is "already started" */
	if (!sbi_hsm_change(s, (unsigned)id, SBI_HSM_STOPPED,
			    SBI_HSM_START_PENDING))
		return SBI_ERR_ALREADY_AVAILABLE;
	s->ops->hart_start(s->m, (unsigned)id, addr, opaque);
	/* fails harmlessly if the new hart already promoted itself */
	sbi_hsm_change(s, (unsigned)id, SBI_HSM_START_PENDING, SBI_HSM_STARTED);
	return SBI_SUCCESS;
}

static bool hsm_stop(struct sbi *s, struct hart *h, struct sbi_ret *ret)
{
	unsigned id;

	if (!hsm_self(s, h, &id) ||
	    !sbi_hsm_change(s, id, SBI_HSM_STARTED, SBI_HSM_STOP_PENDING)) {
		ret->error = SBI_ERR_FAILED;
		return true;
	}
	s->ops->hart_stop(s->m, id);
	/* From here another hart may start this one again; the machine
	 * latches that start even if our vcpu thread has not parked yet. */
	sbi_hsm_change(s, id, SBI_HSM_STOP_PENDING, SBI_HSM_STOPPED);
	return false;
}

bool sbi_hsm_suspend(struct sbi *s, struct hart *h, bool retentive,
		     uint64_t resume_addr, uint64_t opaque)
{
	unsigned id;

	if (!hsm_self(s, h, &id) ||
	    !sbi_hsm_change(s, id, SBI_HSM_STARTED, SBI_HSM_SUSPEND_PENDING))
		return false;
	sbi_hsm_change(s, id, SBI_HSM_SUSPEND_PENDING, SBI_HSM_SUSPENDED);
	/* Woken by any interrupt that sie enables, whatever sstatus.SIE
	 * says - the WFI rule, which is what "resumes when it receives an
	 * interrupt" means for a suspended hart. */
	if (s->ops->hart_idle)
		s->ops->hart_idle(s->m, id);
	sbi_hsm_change(s, id, SBI_HSM_SUSPENDED, SBI_HSM_RESUME_PENDING);
	if (!retentive) {
		hart_retire(h, 1); /* the ecall retired */
		sbi_hart_enter(h, resume_addr, opaque);
	}
	sbi_hsm_change(s, id, SBI_HSM_RESUME_PENDING, SBI_HSM_STARTED);
	return true;
}

static bool hsm_suspend(struct sbi *s, struct hart *h, struct sbi_ret *ret)
{
	/* suspend_type is 32 bits wide: upper register bits are ignored
	 * (kvm-unit-tests checks this with the MSB set) */
	uint32_t type = (uint32_t)h->x[10];
	bool retentive = type == SBI_HSM_SUSPEND_RETENTIVE;

	/* Only the default types. Reserved and platform-specific types
	 * are INVALID_PARAM: "reserved or platform-specific and
	 * unimplemented". */
	if (!retentive && type != SBI_HSM_SUSPEND_NON_RETENTIVE) {
		ret->error = SBI_ERR_INVALID_PARAM;
		return true;
	}
	if (!retentive && !sbi_valid_entry(s, h->x[11])) {
		ret->error = SBI_ERR_INVALID_ADDRESS;
		return true;
	}
	if (!sbi_hsm_suspend(s, h, retentive, h->x[11], h->x[12])) {
		ret->error = SBI_ERR_FAILED;
		return true;
	}
	ret->error = SBI_SUCCESS;
	return retentive; /* non-retentive: h now runs at resume_addr */
}

static bool hsm_handle(struct sbi *s, struct hart *h, uint64_t fid,
		       struct sbi_ret *ret)
{
	switch (fid) {
	case HSM_HART_START:
		ret->error = hsm_start(s, h->x[10], h->x[11], h->x[12]);
		return true;
	case HSM_HART_STOP: return hsm_stop(s, h, ret);
	case HSM_HART_GET_STATUS:
		if (h->x[10] >= s->nharts) {
			ret->error = SBI_ERR_INVALID_PARAM;
			return true;
		}
		ret->error = SBI_SUCCESS;
		ret->value = (uint64_t)atomic_load(&s->hsm_state[h->x[10]]);
		return true;
	case HSM_HART_SUSPEND: return hsm_suspend(s, h, ret);
	default: return true; /* NOT_SUPPORTED */
	}
}

const struct sbi_ext sbi_ext_hsm = {
	.first = SBI_EXT_HSM,
	.last = SBI_EXT_HSM,
	.slot = SBI_SLOT_HSM,
	.available = hsm_available,
	.handle = hsm_handle,
};
