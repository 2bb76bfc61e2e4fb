#include "base/vclock.h"

#include <time.h>

uint64_t vclock_host_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t host_ticks(void)
{
	return vclock_host_ns() / (1000000000ull / VCLOCK_HZ);
}

void vclock_init(struct vclock *c)
{
	/* A fresh VM's clock starts at zero, as on real hardware at reset. */
	c->offset = 0 - host_ticks();
}

uint64_t vclock_ticks(const struct vclock *c)
{
	return host_ticks() + c->offset;
}

void vclock_set_ticks(struct vclock *c, uint64_t ticks)
{
	c->offset = ticks - host_ticks();
}

uint64_t vclock_ticks_to_host_ns(const struct vclock *c, uint64_t ticks)
{
	uint64_t host = ticks - c->offset;

	return host * (1000000000ull / VCLOCK_HZ);
}
