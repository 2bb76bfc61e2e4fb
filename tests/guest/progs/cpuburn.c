/* cpuburn.c - a parallel CPU-bound workload for SMP speedup measurements:
 * each thread runs an integer hash loop; prints elapsed wall time.
 * usage: cpuburn THREADS ITERATIONS_PER_THREAD */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long iters;
static volatile uint64_t
	sink[64]; /* keeps the loop from being optimised away */

static void *work(void *arg)
{
	uint64_t h = (uintptr_t)arg + 1;

	for (long i = 0; i < iters; i++)
		h = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ull + (uint64_t)i;
	sink[(uintptr_t)arg] = h;
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	pthread_t t[64];
	struct timespec a, b;

	iters = argc > 2 ? atol(argv[2]) : 20000000;
	if (n < 1 || n > 64)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, work, (void *)(uintptr_t)i);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	uint64_t sum = 0;
	for (int i = 0; i < n; i++)
		sum += sink[i];
	printf("cpuburn: %d threads %.3f s (checksum %llx)\n", n,
	       (double)(b.tv_sec - a.tv_sec) +
		       (double)(b.tv_nsec - a.tv_nsec) / 1e9,
	       (unsigned long long)sum);
	return 0;
}
