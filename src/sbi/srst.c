/* srst.c - System Reset: shutdown, cold and warm reboot. */
#include "sbi/sbi_ext.h"

#define SRST_REASON_NONE	 0x00000000u
#define SRST_REASON_SYSFAIL	 0x00000001u
#define SRST_REASON_VENDOR_FIRST 0xF0000000u

static bool srst_available(const struct sbi *s)
{
	return s->ops->system_reset != NULL;
}

static bool srst_handle(struct sbi *s, struct hart *h, uint64_t fid,
			struct sbi_ret *ret)
{
	/* both parameters are 32 bits wide; upper register bits ignored */
	uint32_t type = (uint32_t)h->x[10];
	uint32_t reason = (uint32_t)h->x[11];

	if (fid != 0)
		return true;
	/* 3..0xEFFFFFFF are reserved; 0xF0000000.. are vendor types, and
	 * rvisor defines none: both INVALID_PARAM */
	if (type > SBI_RESET_WARM) {
		ret->error = SBI_ERR_INVALID_PARAM;
		return true;
	}
	/* Reasons 2..0xDFFFFFFF are reserved and rvisor defines no
	 * SBI-implementation reasons (0xE.......). Vendor reasons
	 * (0xF.......) are passed on: a reason only annotates the reset,
	 * and refusing a guest's shutdown over it helps nobody. */
	if (reason > SRST_REASON_SYSFAIL && reason < SRST_REASON_VENDOR_FIRST) {
		ret->error = SBI_ERR_INVALID_PARAM;
		return true;
	}
	s->ops->system_reset(s->m, (enum sbi_reset_type)type, reason);
	return false; /* does not return when it succeeds */
}

const struct sbi_ext sbi_ext_srst = {
	.first = SBI_EXT_SRST,
	.last = SBI_EXT_SRST,
	.slot = SBI_SLOT_SRST,
	.available = srst_available,
	.handle = srst_handle,
};
