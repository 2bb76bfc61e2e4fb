/* intloop.c - CPU-bound integer work: an insertion sort, a hash mix and a
 * sieve, repeated. The same source built for the host gives the expected
 * checksum (EXPECT), so a wrong guest CPU fails instead of running fast. */
#include "bare.h"

#ifndef ITERS
#ifdef QUICK
#define ITERS 200
#else
#define ITERS 4000
#endif
#endif

static uint32_t arr[512];
static uint8_t sieve[8192];

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

uint64_t work(void);
uint64_t work(void)
{
	uint64_t h = 1;

	for (int it = 0; it < ITERS; it++) {
		uint32_t seed = (uint32_t)it * 2654435761u;
		for (int i = 0; i < 512; i++) {
			seed = seed * 1103515245u + 12345u;
			arr[i] = seed >> 8;
		}
		/* insertion sort: branchy and memory bound in L1 */
		for (int i = 1; i < 512; i++) {
			uint32_t v = arr[i];
			int j = i - 1;
			while (j >= 0 && arr[j] > v) {
				arr[j + 1] = arr[j];
				j--;
			}
			arr[j + 1] = v;
		}
		for (int i = 0; i < 512; i += 7)
			h = mix(h, arr[i]);
		for (int i = 2; i < 8192; i++)
			sieve[i] = 1;
		for (int i = 2; i * i < 8192; i++)
			if (sieve[i])
				for (int j = i * i; j < 8192; j += i)
					sieve[j] = 0;
		int primes = 0;
		for (int i = 2; i < 8192; i++)
			primes += sieve[i];
		h = mix(h, (uint64_t)primes);
	}
	return h;
}

BENCH_MAIN("intloop")
