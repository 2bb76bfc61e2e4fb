/* lbench.h - the CPU-bound programs run inside the Linux guest (one static
 * multi-call binary, /bench/lbench NAME SCALE). Each workload fills its
 * input from a fixed seed, checks its own result, and returns a checksum
 * that the harness also compares across VMMs. */
#ifndef LBENCH_H
#define LBENCH_H
#include <stdint.h>

/* each returns 0 on a failed self-check (the harness reports FAIL) */
int bench_sort(unsigned scale, uint64_t *checksum);
int bench_hash(unsigned scale, uint64_t *checksum);
int bench_lz(unsigned scale, uint64_t *checksum);

static inline uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static inline uint64_t fnv(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001b3ull;
}
#endif
