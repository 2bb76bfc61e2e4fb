/* lz.c - LZ77 with a hash-chain match finder over generated text (words
 * from a small vocabulary, so it compresses about 3:1), then decompression;
 * the round trip must give the input back. The checksum covers the
 * compressed stream, so both VMMs must also compress identically. */
#include <stdlib.h>
#include <string.h>

#include "lbench.h"

#define INPUT (1u << 18)
#define WINDOW (1u << 15)
#define HBITS 14
#define MIN_MATCH 4
#define MAX_MATCH 255
#define CHAIN 16

static const char *words[] = {"the ", "rvisor ", "hart ", "page ", "table ", "walk ", "translation ",
			      "block ", "qemu ", "risc-v ", "guest ", "kernel ", "\n", "and ", "of ",
			      "benchmark ", "compress ", "emulator "};

static void gen(uint8_t *buf, size_t n, uint64_t *seed)
{
	size_t i = 0;

	while (i < n) {
		uint64_t r = xorshift(seed);
		const char *w = words[r % (sizeof(words) / sizeof(words[0]))];
		if ((r >> 32) % 11 == 0) { /* some noise: a random byte */
			buf[i++] = (uint8_t)(r >> 40);
			continue;
		}
		while (*w && i < n)
			buf[i++] = (uint8_t)*w++;
	}
}

static uint32_t hash4(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return (v * 2654435761u) >> (32 - HBITS);
}

/* output: literal runs "0 len bytes..." and matches "1 len dist_lo dist_hi" */
static size_t compress(const uint8_t *in, size_t n, uint8_t *out, int32_t *head, int32_t *prev)
{
	size_t o = 0, i = 0, lit_start = 0;

	for (size_t k = 0; k < (1u << HBITS); k++)
		head[k] = -1;
	while (i < n) {
		size_t best = 0, best_dist = 0;
		if (i + MIN_MATCH <= n) {
			uint32_t hv = hash4(in + i);
			int32_t cand = head[hv];
			for (int c = 0; c < CHAIN && cand >= 0 && i - (size_t)cand < WINDOW; c++) {
				size_t len = 0;
				while (len < MAX_MATCH && i + len < n && in[cand + len] == in[i + len])
					len++;
				if (len > best) {
					best = len;
					best_dist = i - (size_t)cand;
				}
				cand = prev[cand];
			}
			prev[i] = head[hv];
			head[hv] = (int32_t)i;
		}
		if (best >= MIN_MATCH) {
			while (lit_start < i) { /* flush literals */
				size_t len = i - lit_start > 255 ? 255 : i - lit_start;
				out[o++] = 0;
				out[o++] = (uint8_t)len;
				memcpy(out + o, in + lit_start, len);
				o += len;
				lit_start += len;
			}
			out[o++] = 1;
			out[o++] = (uint8_t)best;
			out[o++] = (uint8_t)best_dist;
			out[o++] = (uint8_t)(best_dist >> 8);
			for (size_t k = 1; k < best && i + k + MIN_MATCH <= n; k++) {
				uint32_t hv = hash4(in + i + k);
				prev[i + k] = head[hv];
				head[hv] = (int32_t)(i + k);
			}
			i += best;
			lit_start = i;
		} else {
			i++;
		}
	}
	while (lit_start < n) {
		size_t len = n - lit_start > 255 ? 255 : n - lit_start;
		out[o++] = 0;
		out[o++] = (uint8_t)len;
		memcpy(out + o, in + lit_start, len);
		o += len;
		lit_start += len;
	}
	return o;
}

static size_t decompress(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	size_t i = 0, o = 0;

	while (i < n) {
		size_t len = in[i + 1];
		if (in[i] == 0) {
			if (o + len > cap)
				return 0;
			memcpy(out + o, in + i + 2, len);
			o += len;
			i += 2 + len;
		} else {
			size_t dist = in[i + 2] | (size_t)in[i + 3] << 8;
			if (dist == 0 || dist > o || o + len > cap)
				return 0;
			for (size_t k = 0; k < len; k++, o++) /* may overlap */
				out[o] = out[o - dist];
			i += 4;
		}
	}
	return o;
}

int bench_lz(unsigned scale, uint64_t *checksum)
{
	uint8_t *in = malloc(INPUT), *back = malloc(INPUT), *z = malloc(INPUT * 2);
	int32_t *head = malloc((1u << HBITS) * sizeof(*head)), *prev = malloc(INPUT * sizeof(*prev));
	uint64_t seed = 0x9e3779b97f4a7c15ull, h = 0xcbf29ce484222325ull;
	int ok = in && back && z && head && prev;

	for (unsigned round = 0; ok && round < scale; round++) {
		gen(in, INPUT, &seed);
		size_t zn = compress(in, INPUT, z, head, prev);
		size_t bn = decompress(z, zn, back, INPUT);
		ok = bn == INPUT && !memcmp(in, back, INPUT) && zn < INPUT / 2;
		for (size_t i = 0; i < zn; i += 61)
			h = fnv(h, z[i]);
		h = fnv(h, zn);
	}
	free(in);
	free(back);
	free(z);
	free(head);
	free(prev);
	*checksum = h;
	return ok;
}
