/* rfence.c - RFENCE extension: remote fence.i / sfence.vma on the named
 * harts. The hypervisor fences (FIDs 3-6) need the H extension, which the
 * hart does not implement: NOT_SUPPORTED, as the spec says. */
#include "sbi/sbi_ext.h"

enum {
	RFENCE_FENCE_I = 0,
	RFENCE_SFENCE_VMA = 1,
	RFENCE_SFENCE_VMA_ASID = 2,
};

static bool rfence_available(const struct sbi *s)
{
	return s->ops->remote_fence != NULL;
}

static bool rfence_handle(struct sbi *s, struct hart *h, uint64_t fid,
			  struct sbi_ret *ret)
{
	static const enum sbi_fence_kind kind[] = {
		[RFENCE_FENCE_I] = SBI_FENCE_I,
		[RFENCE_SFENCE_VMA] = SBI_FENCE_VMA,
		[RFENCE_SFENCE_VMA_ASID] = SBI_FENCE_VMA_ASID,
	};
	uint64_t harts;

	if (fid > RFENCE_SFENCE_VMA_ASID)
		return true; /* NOT_SUPPORTED */
	ret->error = sbi_hart_mask(s, h->x[10], h->x[11], &harts);
	if (ret->error != SBI_SUCCESS)
		return true;
	/* Any start/size is a valid request: "start and size both 0" and
	 * "size = 2^XLEN-1" mean everything, and the machine may always
	 * flush more than asked, so INVALID_ADDRESS is never needed. */
	sbi_remote_fences(s, harts, kind[fid],
			  fid == RFENCE_FENCE_I ? 0 : h->x[12],
			  fid == RFENCE_FENCE_I ? 0 : h->x[13],
			  fid == RFENCE_SFENCE_VMA_ASID ? h->x[14] : 0);
	return true;
}

const struct sbi_ext sbi_ext_rfence = {
	.first = SBI_EXT_RFENCE,
	.last = SBI_EXT_RFENCE,
	.slot = SBI_SLOT_RFENCE,
	.available = rfence_available,
	.handle = rfence_handle,
};
