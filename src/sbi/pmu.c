/* pmu.c - Performance Monitoring with zero counters.
 *
 * The extension is present (Linux probes it) but offers no counter, so
 * every counter index is invalid: the functions that take one, or a set of
 * them, answer INVALID_PARAM - an empty set too, as KVM does. Snapshot
 * shared memory is optional and not implemented: NOT_SUPPORTED. */
#include "sbi/sbi_ext.h"

enum {
	PMU_NUM_COUNTERS = 0,
	PMU_COUNTER_GET_INFO = 1,
	PMU_COUNTER_CONFIG_MATCHING = 2,
	PMU_COUNTER_START = 3,
	PMU_COUNTER_STOP = 4,
	PMU_COUNTER_FW_READ = 5,
	PMU_COUNTER_FW_READ_HI = 6,
	PMU_SNAPSHOT_SET_SHMEM = 7,
};

static bool pmu_handle(struct sbi *s, struct hart *h, uint64_t fid,
		       struct sbi_ret *ret)
{
	(void)s;
	(void)h;
	switch (fid) {
	case PMU_NUM_COUNTERS:
		ret->error = SBI_SUCCESS;
		ret->value = 0;
		break;
	case PMU_COUNTER_GET_INFO:
	case PMU_COUNTER_CONFIG_MATCHING:
	case PMU_COUNTER_START:
	case PMU_COUNTER_STOP:
	case PMU_COUNTER_FW_READ:
	case PMU_COUNTER_FW_READ_HI: ret->error = SBI_ERR_INVALID_PARAM; break;
	case PMU_SNAPSHOT_SET_SHMEM:
	default: break; /* NOT_SUPPORTED */
	}
	return true;
}

const struct sbi_ext sbi_ext_pmu = {
	.first = SBI_EXT_PMU,
	.last = SBI_EXT_PMU,
	.slot = SBI_SLOT_PMU,
	.handle = pmu_handle,
};
