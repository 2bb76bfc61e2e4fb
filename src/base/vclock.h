/* vclock.h - the guest's time base, kept in one place.
 *
 * Guest time (the `time` CSR, ACLINT mtime) counts at VCLOCK_HZ from the
 * host's monotonic clock plus a per-VM offset. Snapshot and migration only
 * need to save guest ticks and re-derive the offset on restore. */
#ifndef RVISOR_BASE_VCLOCK_H
#define RVISOR_BASE_VCLOCK_H

#include <stdint.h>

#define VCLOCK_HZ 10000000ull

struct vclock {
	/* guest_ticks = host_ticks + offset (two's complement wrap is fine) */
	uint64_t offset;
};

uint64_t vclock_host_ns(void);
void vclock_init(struct vclock *c);
uint64_t vclock_ticks(const struct vclock *c);
/* Make the guest clock read `ticks` now (restore after snapshot). */
void vclock_set_ticks(struct vclock *c, uint64_t ticks);
/* Host monotonic nanoseconds at which the guest clock reaches `ticks`. */
uint64_t vclock_ticks_to_host_ns(const struct vclock *c, uint64_t ticks);

#endif
