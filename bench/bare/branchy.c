/* branchy.c - unpredictable branches and indirect jumps: a bytecode
 * interpreter with switch dispatch running a Collatz / classification
 * program over pseudo-random numbers, and a quicksort of random keys.
 * Deterministic: the same source built for the host (-DHOST) prints the
 * expected fingerprint, which the guest build compares against. */
#include "bare.h"

#ifndef ITERS
#ifdef QUICK
#define ITERS 3
#else
#define ITERS 50
#endif
#endif

#define KEYS 4096

/* A register machine: 8 registers, 16 opcodes, one instruction per word
 * (op:8 a:8 b:8 c:8). Branch targets are absolute instruction indexes. */
enum {
	OP_LI,   /* ra = imm(b,c) */
	OP_ADD,  /* ra = rb + rc */
	OP_SUB,  /* ra = rb - rc */
	OP_MUL,  /* ra = rb * rc */
	OP_SHR,  /* ra = rb >> c */
	OP_AND,  /* ra = rb & rc */
	OP_XOR,  /* ra = rb ^ rc */
	OP_ADDI, /* ra = rb + (int8)c */
	OP_BEQZ, /* if ra == 0 goto imm(b,c) */
	OP_BNEZ, /* if ra != 0 goto imm(b,c) */
	OP_BLT,  /* if ra < rb goto c */
	OP_JMP,  /* goto imm(b,c) */
	OP_RND,  /* ra = next pseudo-random number */
	OP_MIX,  /* acc = acc * 31 + ra */
	OP_HALT,
};

#define I(op, a, b, c) ((uint32_t)(op) | (uint32_t)(a) << 8 | (uint32_t)(b) << 16 | (uint32_t)(c) << 24)
#define IMM(op, a, imm) I(op, a, (imm) & 0xff, ((imm) >> 8) & 0xff)

/* for n in 0..r0: x = rnd & 1023 + 1; count Collatz steps of x (odd/even
 * branches are data dependent); classify the count into 3 buckets. */
static const uint32_t program[] = {
	/* 0 */ IMM(OP_LI, 7, 0),      /* r7 = 0: loop counter */
	/* 1 */ I(OP_RND, 1, 0, 0),    /* r1 = rnd */
	/* 2 */ IMM(OP_LI, 2, 1023),   /* r2 = 1023 */
	/* 3 */ I(OP_AND, 1, 1, 2),    /* r1 &= 1023 */
	/* 4 */ I(OP_ADDI, 1, 1, 1),   /* r1 += 1 */
	/* 5 */ IMM(OP_LI, 3, 0),      /* r3 = steps = 0 */
	/* 6 */ I(OP_ADDI, 4, 1, -1),  /* r4 = r1 - 1 */
	/* 7 */ IMM(OP_BEQZ, 4, 17),   /* x == 1: done */
	/* 8 */ I(OP_ADDI, 3, 3, 1),   /* steps++ */
	/* 9 */ IMM(OP_LI, 5, 1),      /* r5 = 1 */
	/* 10 */ I(OP_AND, 5, 1, 5),   /* r5 = x & 1 */
	/* 11 */ IMM(OP_BNEZ, 5, 14),  /* odd */
	/* 12 */ I(OP_SHR, 1, 1, 1),   /* x >>= 1 */
	/* 13 */ IMM(OP_JMP, 0, 6),
	/* 14 */ I(OP_ADD, 5, 1, 1),   /* r5 = 2x */
	/* 15 */ I(OP_ADD, 1, 5, 1),   /* x = 3x */
	/* 16 */ I(OP_ADDI, 1, 1, 1),  /* x = 3x + 1; fall into the loop */
	/* 17 */ IMM(OP_BEQZ, 4, 19),  /* (came from 7 with r4 == 0) */
	/* 18 */ IMM(OP_JMP, 0, 6),
	/* 19 */ IMM(OP_LI, 6, 40),
	/* 20 */ I(OP_BLT, 3, 6, 24),  /* steps < 40: bucket 0 */
	/* 21 */ IMM(OP_LI, 6, 100),
	/* 22 */ I(OP_BLT, 3, 6, 26),  /* steps < 100: bucket 1 */
	/* 23 */ IMM(OP_JMP, 0, 28),   /* else bucket 2 */
	/* 24 */ I(OP_XOR, 3, 3, 7),
	/* 25 */ IMM(OP_JMP, 0, 28),
	/* 26 */ I(OP_MUL, 3, 3, 3),
	/* 27 */ IMM(OP_JMP, 0, 28),
	/* 28 */ I(OP_MIX, 3, 0, 0),
	/* 29 */ I(OP_ADDI, 7, 7, 1),
	/* 30 */ I(OP_BLT, 7, 0, 1),   /* next number while r7 < r0 */
	/* 31 */ I(OP_HALT, 0, 0, 0),
};

static uint64_t interp(const uint32_t *code, uint64_t n, uint64_t *rng)
{
	uint64_t r[8] = {n}, acc = 0;
	uint32_t pc = 0;

	for (;;) {
		uint32_t w = code[pc++];
		uint32_t a = (w >> 8) & 0xff, b = (w >> 16) & 0xff, c = w >> 24;
		uint32_t imm = w >> 16;
		switch (w & 0xff) {
		case OP_LI: r[a] = imm; break;
		case OP_ADD: r[a] = r[b] + r[c]; break;
		case OP_SUB: r[a] = r[b] - r[c]; break;
		case OP_MUL: r[a] = r[b] * r[c]; break;
		case OP_SHR: r[a] = r[b] >> c; break;
		case OP_AND: r[a] = r[b] & r[c]; break;
		case OP_XOR: r[a] = r[b] ^ r[c]; break;
		case OP_ADDI: r[a] = r[b] + (uint64_t)(int64_t)(int8_t)c; break;
		case OP_BEQZ: if (r[a] == 0) pc = imm; break;
		case OP_BNEZ: if (r[a] != 0) pc = imm; break;
		case OP_BLT: if ((int64_t)r[a] < (int64_t)r[b]) pc = c; break;
		case OP_JMP: pc = imm; break;
		case OP_RND:
			*rng ^= *rng << 13, *rng ^= *rng >> 7, *rng ^= *rng << 17;
			r[a] = *rng;
			break;
		case OP_MIX: acc = acc * 31 + r[a]; break;
		case OP_HALT: return acc;
		default: return ~0ull;
		}
	}
}

static uint32_t keys[KEYS];

static void quicksort(uint32_t *v, int lo, int hi)
{
	while (lo < hi) {
		uint32_t pivot = v[lo + (hi - lo) / 2];
		int i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				uint32_t t = v[i];
				v[i++] = v[j];
				v[j--] = t;
			}
		}
		if (j - lo < hi - i) { /* recurse into the smaller half */
			quicksort(v, lo, j);
			lo = i;
		} else {
			quicksort(v, i, hi);
			hi = j;
		}
	}
}

uint64_t work(void);
uint64_t work(void)
{
	uint64_t h = 0, rng = 88172645463325252ull;

	for (int it = 0; it < ITERS; it++) {
		h = h * 0x100000001b3ull ^ interp(program, 2000, &rng);
		for (int i = 0; i < KEYS; i++) {
			rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
			keys[i] = (uint32_t)rng;
		}
		quicksort(keys, 0, KEYS - 1);
		for (int i = 1; i < KEYS; i++)
			if (keys[i - 1] > keys[i])
				return 0; /* not sorted: the fingerprint cannot match */
		for (int i = 0; i < KEYS; i += 97)
			h = h * 0x100000001b3ull ^ keys[i];
	}
	return h;
}

BENCH_MAIN("branchy")
