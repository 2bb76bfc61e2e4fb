/* sort.c - merge sort and heap sort of pseudo-random 64-bit keys; both
 * results must be ordered, equal, and a permutation of the input (same
 * sum and xor). */
#include <stdlib.h>
#include <string.h>

#include "lbench.h"

#define KEYS (1u << 16)

static void merge_sort(uint64_t *v, uint64_t *tmp, size_t n)
{
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = v[i] <= v[j] ? v[i++] : v[j++];
			while (i < mid)
				tmp[k++] = v[i++];
			while (j < hi)
				tmp[k++] = v[j++];
		}
		memcpy(v, tmp, n * sizeof(*v));
	}
}

static void sift_down(uint64_t *v, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && v[child + 1] > v[child])
			child++;
		if (v[root] >= v[child])
			return;
		uint64_t t = v[root];
		v[root] = v[child];
		v[child] = t;
		root = child;
	}
}

static void heap_sort(uint64_t *v, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(v, i, n);
	for (size_t end = n; end-- > 1;) {
		uint64_t t = v[0];
		v[0] = v[end];
		v[end] = t;
		sift_down(v, 0, end);
	}
}

int bench_sort(unsigned scale, uint64_t *checksum)
{
	uint64_t *a = malloc(KEYS * sizeof(*a)), *b = malloc(KEYS * sizeof(*b));
	uint64_t *tmp = malloc(KEYS * sizeof(*tmp)), seed = 0x2545f4914f6cdd1dull;
	uint64_t h = 0xcbf29ce484222325ull;
	int ok = a && b && tmp;

	for (unsigned round = 0; ok && round < scale; round++) {
		uint64_t sum = 0, x = 0, sum2 = 0, x2 = 0;
		for (size_t i = 0; i < KEYS; i++) {
			a[i] = b[i] = xorshift(&seed) >> (round % 40); /* more duplicates later */
			sum += a[i];
			x ^= a[i];
		}
		merge_sort(a, tmp, KEYS);
		heap_sort(b, KEYS);
		for (size_t i = 0; i < KEYS; i++) {
			if ((i && a[i - 1] > a[i]) || a[i] != b[i])
				ok = 0;
			sum2 += a[i];
			x2 ^= a[i];
		}
		ok = ok && sum == sum2 && x == x2;
		for (size_t i = 0; i < KEYS; i += 251)
			h = fnv(h, a[i]);
	}
	free(a);
	free(b);
	free(tmp);
	*checksum = h;
	return ok;
}
