/* ipi_latency.c - round trips between two threads pinned to different
 * harts, each waiting in futex (so every hand-over is a wake-up IPI).
 * Prints the mean round-trip time in microseconds.
 * usage: ipi_latency ROUNDS */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static uint32_t turn; /* 0: ping's turn, 1: pong's */
static long rounds;

static void wait_for(uint32_t want)
{
	uint32_t v;

	while ((v = __atomic_load_n(&turn, __ATOMIC_ACQUIRE)) != want)
		syscall(SYS_futex, &turn, FUTEX_WAIT, v, NULL, NULL, 0);
}

static void hand_to(uint32_t who)
{
	__atomic_store_n(&turn, who, __ATOMIC_RELEASE);
	syscall(SYS_futex, &turn, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static void pin(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	sched_setaffinity(0, sizeof(s), &s);
}

static void *pong(void *arg)
{
	(void)arg;
	pin(1);
	for (long i = 0; i < rounds; i++) {
		wait_for(1);
		hand_to(0);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	struct timespec a, b;

	rounds = argc > 1 ? atol(argv[1]) : 1000;
	pin(0);
	pthread_create(&t, NULL, pong, NULL);
	usleep(100000);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < rounds; i++) {
		hand_to(1);
		wait_for(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	pthread_join(t, NULL);
	double us = ((double)(b.tv_sec - a.tv_sec) * 1e9 +
		     (double)(b.tv_nsec - a.tv_nsec)) /
		    1e3 / (double)rounds;
	printf("ipi_latency: %ld round trips, %.1f us each\n", rounds, us);
	return 0;
}
