/* time.c - TIME extension: set_timer programs the supervisor timer. */
#include "sbi/sbi_ext.h"

static bool time_handle(struct sbi *s, struct hart *h, uint64_t fid,
			struct sbi_ret *ret)
{
	(void)s;
	if (fid != 0)
		return true; /* NOT_SUPPORTED, preset by sbi_handle */
	/* absolute time; a future value also clears a pending STIP, as the
	 * spec requires (UINT64_MAX: no timer) */
	hart_set_stimer(h, h->x[10]);
	ret->error = SBI_SUCCESS;
	return true;
}

const struct sbi_ext sbi_ext_time = {
	.first = SBI_EXT_TIME,
	.last = SBI_EXT_TIME,
	.slot = SBI_SLOT_TIME,
	.handle = time_handle,
};
