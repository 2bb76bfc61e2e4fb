/* ipi.c - IPI extension: send_ipi(hart_mask, hart_mask_base) raises the
 * supervisor software interrupt on each named hart. */
#include "sbi/sbi_ext.h"

static bool ipi_available(const struct sbi *s)
{
	return s->ops->send_ipi != NULL;
}

static bool ipi_handle(struct sbi *s, struct hart *h, uint64_t fid,
		       struct sbi_ret *ret)
{
	uint64_t harts;

	if (fid != 0)
		return true;
	/* the whole mask is checked before any IPI goes out */
	ret->error = sbi_hart_mask(s, h->x[10], h->x[11], &harts);
	if (ret->error == SBI_SUCCESS)
		sbi_send_ipis(s, harts);
	return true;
}

const struct sbi_ext sbi_ext_ipi = {
	.first = SBI_EXT_IPI,
	.last = SBI_EXT_IPI,
	.slot = SBI_SLOT_IPI,
	.available = ipi_available,
	.handle = ipi_handle,
};
