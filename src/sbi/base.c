/* base.c - BASE extension (EID 0x10): versions and extension probing. All
 * functions must succeed; only an unknown FID is an error. */
#include "sbi/sbi_ext.h"

enum {
	BASE_GET_SPEC_VERSION = 0,
	BASE_GET_IMPL_ID = 1,
	BASE_GET_IMPL_VERSION = 2,
	BASE_PROBE_EXTENSION = 3,
	BASE_GET_MVENDORID = 4,
	BASE_GET_MARCHID = 5,
	BASE_GET_MIMPID = 6,
};

static bool base_handle(struct sbi *s, struct hart *h, uint64_t fid,
			struct sbi_ret *ret)
{
	ret->error = SBI_SUCCESS;
	switch (fid) {
	case BASE_GET_SPEC_VERSION: ret->value = SBI_SPEC_VERSION; break;
	case BASE_GET_IMPL_ID: ret->value = SBI_IMPL_ID_RVISOR; break;
	case BASE_GET_IMPL_VERSION: ret->value = SBI_IMPL_VERSION; break;
	case BASE_PROBE_EXTENSION:
		/* the whole register: a stray upper bit names nothing */
		ret->value = sbi_find_ext(s, h->x[10]) ? 1 : 0;
		break;
	case BASE_GET_MVENDORID:
	case BASE_GET_MARCHID:
	case BASE_GET_MIMPID:
		/* the hart's values: its CSRs read as 0 (a legal value for
		 * all three: "not implemented / non-commercial") */
		ret->value = 0;
		break;
	default:
		ret->error = SBI_ERR_NOT_SUPPORTED;
		ret->value = 0;
		break;
	}
	return true;
}

const struct sbi_ext sbi_ext_base = {
	.first = SBI_EXT_BASE,
	.last = SBI_EXT_BASE,
	.slot = SBI_SLOT_BASE,
	.handle = base_handle,
};
