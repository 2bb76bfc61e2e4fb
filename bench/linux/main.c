/* main.c - /bench/lbench: run one guest workload and report
 *
 *   lbench sort|hash|lz SCALE   ->  "lbench NAME PASS|FAIL checksum 0x... guest_ms N"
 *   lbench now                  ->  CLOCK_MONOTONIC in ms (for shell timing)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lbench.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(unsigned, uint64_t *);
	} benches[] = {{"sort", bench_sort}, {"hash", bench_hash}, {"lz", bench_lz}};

	if (argc == 2 && !strcmp(argv[1], "now")) {
		printf("%.3f\n", now_ms());
		return 0;
	}
	for (size_t i = 0; argc == 3 && i < sizeof(benches) / sizeof(benches[0]); i++) {
		if (strcmp(argv[1], benches[i].name))
			continue;
		uint64_t sum = 0;
		double t0 = now_ms();
		int ok = benches[i].fn((unsigned)strtoul(argv[2], 0, 0), &sum);
		double t1 = now_ms();
		printf("lbench %s %s checksum 0x%016" PRIx64 " guest_ms %.1f\n", benches[i].name,
		       ok ? "PASS" : "FAIL", sum, t1 - t0);
		return ok ? 0 : 1;
	}
	fprintf(stderr, "usage: lbench sort|hash|lz SCALE | lbench now\n");
	return 2;
}
