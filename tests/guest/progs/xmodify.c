/* xmodify.c - cross-modifying code inside the guest: one thread rewrites
 * a function (`li a0, N; ret`) on a page that it also keeps storing data
 * to, and after each rewrite (and the icache flush Linux turns into a
 * remote fence.i) another thread calls it and must get the new N. The
 * writer's stores must leave the fast path once the page holds code
 * (rvisor drops every hart's write-TLB entries for a page when it starts
 * translating it). Prints "xmodify: ok N" or "xmodify: FAIL ...".
 * usage: xmodify ROUNDS */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define LI_A0(n) (0x00000513u | ((uint32_t)(n)&0x7ff) << 20)
#define RET	 0x00008067u

static volatile uint32_t *page;
static long rounds;
static long gen, ack;
static long bad;

static void *runner(void *arg)
{
	(void)arg;
	for (long i = 1; i <= rounds; i++) {
		while (__atomic_load_n(&gen, __ATOMIC_ACQUIRE) != i)
			;
		long (*fn)(void) = (long (*)(void))(uintptr_t)page;
		long got = fn();
		if (got != (i & 0x7ff) && !bad) {
			bad = i;
			fprintf(stderr, "round %ld: got %ld\n", i, got);
		}
		__atomic_store_n(&ack, i, __ATOMIC_RELEASE);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;

	rounds = argc > 1 ? atol(argv[1]) : 2000;
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		perror("xmodify: mmap");
		return 1;
	}
	page[1] = RET;
	if (pthread_create(&t, NULL, runner, NULL)) {
		fprintf(stderr, "xmodify: FAIL pthread_create\n");
		return 1;
	}
	for (long i = 1; i <= rounds; i++) {
		page[0] = LI_A0(i);
		__builtin___clear_cache((char *)page, (char *)page + 8);
		__atomic_store_n(&gen, i, __ATOMIC_RELEASE);
		/* data stores to the code page while the other thread runs */
		for (unsigned k = 0;
		     __atomic_load_n(&ack, __ATOMIC_ACQUIRE) != i; k++)
			page[512 + (k & 255)] = (uint32_t)k;
		/* and the writer runs it too */
		long (*fn)(void) = (long (*)(void))(uintptr_t)page;
		if (fn() != (i & 0x7ff) && !bad)
			bad = -i;
	}
	pthread_join(t, NULL);
	if (bad) {
		printf("xmodify: FAIL at round %ld\n", bad);
		return 1;
	}
	printf("xmodify: ok %ld\n", rounds);
	return 0;
}
