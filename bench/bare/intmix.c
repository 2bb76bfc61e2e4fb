/* intmix.c - a CoreMark-like integer mix: linked-list search and merge
 * sort, a small integer matrix multiply, a text-scanning state machine and
 * a CRC-16 over every intermediate result (fingerprinted to 64 bits). Deterministic: the same source
 * built for the host (-DHOST) prints the expected CRC, which the guest
 * build compares against. */
#include "bare.h"

#ifndef ITERS
#ifdef QUICK
#define ITERS 300
#else
#define ITERS 6000
#endif
#endif

#define NODES 256
#define MAT 24
#define TEXT 512

struct node {
	struct node *next;
	int32_t key;
	int32_t val;
};

static struct node pool[NODES];
static int32_t ma[MAT][MAT], mb[MAT][MAT], mc[MAT][MAT];
static char text[TEXT];

static uint16_t crc16(uint16_t crc, uint32_t v)
{
	for (int i = 0; i < 32; i++) {
		uint16_t bit = (uint16_t)((crc ^ v) & 1);
		crc >>= 1;
		if (bit)
			crc ^= 0xa001;
		v >>= 1;
	}
	return crc;
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/* merge sort of a singly linked list by key (bottom-up, as CoreMark does) */
static struct node *list_sort(struct node *list)
{
	for (int insize = 1;; insize *= 2) {
		struct node *p = list, *tail = 0;
		int merges = 0;
		list = 0;
		while (p) {
			struct node *q = p;
			int psize = 0, qsize = insize;
			merges++;
			for (int i = 0; i < insize && q; i++, psize++)
				q = q->next;
			while (psize > 0 || (qsize > 0 && q)) {
				struct node *e;
				if (psize == 0) {
					e = q, q = q->next, qsize--;
				} else if (qsize == 0 || !q || p->key <= q->key) {
					e = p, p = p->next, psize--;
				} else {
					e = q, q = q->next, qsize--;
				}
				if (tail)
					tail->next = e;
				else
					list = e;
				tail = e;
			}
			p = q;
		}
		tail->next = 0;
		if (merges <= 1)
			return list;
	}
}

static uint16_t bench_list(uint32_t seed, uint16_t crc)
{
	struct node *head = 0;

	for (int i = 0; i < NODES; i++) {
		pool[i].key = (int32_t)(lcg(&seed) & 0xffff);
		pool[i].val = i;
		pool[i].next = head;
		head = &pool[i];
	}
	for (int k = 0; k < 16; k++) { /* searches: find the first key with low bits k */
		int pos = 0;
		struct node *n = head;
		while (n && (n->key & 15) != k)
			n = n->next, pos++;
		crc = crc16(crc, (uint32_t)pos);
	}
	head = list_sort(head);
	for (struct node *n = head; n; n = n->next)
		crc = crc16(crc, (uint32_t)n->val);
	return crc;
}

static uint16_t bench_matrix(uint32_t seed, uint16_t crc)
{
	for (int i = 0; i < MAT; i++)
		for (int j = 0; j < MAT; j++) {
			ma[i][j] = (int32_t)(lcg(&seed) & 0xff) - 128;
			mb[i][j] = (int32_t)(lcg(&seed) & 0xff) - 128;
		}
	for (int i = 0; i < MAT; i++)
		for (int j = 0; j < MAT; j++) {
			int32_t s = 0;
			for (int k = 0; k < MAT; k++)
				s += ma[i][k] * mb[k][j];
			mc[i][j] = s;
		}
	int32_t acc = 0;
	for (int i = 0; i < MAT; i++)
		for (int j = 0; j < MAT; j++) {
			int32_t v = mc[i][j] + 7;
			acc += (v > 1000) ? v >> 3 : (v < -1000 ? -(v >> 5) : v); /* data-dependent */
		}
	return crc16(crc, (uint32_t)acc);
}

/* classify comma-separated tokens: integer, decimal, scientific, invalid */
enum { S_START, S_INT, S_FRAC, S_EXP, S_EXPSIGN, S_EXPINT, S_INVALID, S_N };

static uint16_t bench_state(uint32_t seed, uint16_t crc)
{
	static const char alphabet[] = "0123456789.,eE+-x,12";
	uint32_t counts[S_N] = {0};
	int st = S_START;

	for (int i = 0; i < TEXT - 1; i++)
		text[i] = alphabet[lcg(&seed) % (sizeof(alphabet) - 1)];
	text[TEXT - 1] = ',';
	for (int i = 0; i < TEXT; i++) {
		char c = text[i];
		int digit = c >= '0' && c <= '9';
		if (c == ',') {
			counts[st]++;
			st = S_START;
			continue;
		}
		switch (st) {
		case S_START: st = digit ? S_INT : (c == '+' || c == '-') ? S_INT : S_INVALID; break;
		case S_INT: st = digit ? S_INT : c == '.' ? S_FRAC : (c == 'e' || c == 'E') ? S_EXP : S_INVALID; break;
		case S_FRAC: st = digit ? S_FRAC : (c == 'e' || c == 'E') ? S_EXP : S_INVALID; break;
		case S_EXP: st = (c == '+' || c == '-') ? S_EXPSIGN : digit ? S_EXPINT : S_INVALID; break;
		case S_EXPSIGN: st = digit ? S_EXPINT : S_INVALID; break;
		case S_EXPINT: st = digit ? S_EXPINT : S_INVALID; break;
		default: break;
		}
	}
	for (int s = 0; s < S_N; s++)
		crc = crc16(crc, counts[s]);
	return crc;
}

uint64_t work(void);
uint64_t work(void)
{
	uint16_t crc = 0;
	uint64_t h = 0xcbf29ce484222325ull; /* 64-bit fingerprint of every CRC */

	for (uint32_t it = 0; it < ITERS; it++) {
		uint32_t seed = it * 2654435761u + 1;
		crc = bench_list(seed, crc);
		crc = bench_matrix(seed ^ 0x5a5a5a5a, crc);
		crc = bench_state(seed ^ 0x3c3c3c3c, crc);
		h = (h ^ crc) * 0x100000001b3ull;
	}
	return h;
}

BENCH_MAIN("intmix")
