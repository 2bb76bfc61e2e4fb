// SPDX-License-Identifier: MIT
/* test_jit_diff.c - differential test of the JIT against the interpreter.
 *
 * Two machines, each with its own guest RAM and one hart: machine 0's hart
 * has a JIT (h->jit = jit_new()), machine 1's interprets only. Both run the
 * same randomly generated instruction stream from the same state, in
 * lockstep from exit to exit, and after every exit (every block end, MMIO
 * access, trap, WFI) their architectural state must be identical: x1..x31,
 * f0..f31, pc, privilege, instret/cycle/`executed`, the trap CSRs, the exit
 * record itself and the guest memory the stream can write.
 *
 * A stream is a series of blocks. Each block is a run of random
 * instructions from everything the decoder knows of RV64IMAFD + C + Zba/
 * Zbb/Zbs/Zicond/Zicbo (so translated code hands over to the interpreter
 * and back all the time), with forward branches, jumps, short counted
 * loops, loads/stores/AMOs to a scratch area whose bases are set up just
 * before (sometimes misaligned, across pages, to MMIO, to unmapped or
 * read-only pages), and CSR/fence/trap instructions; it ends with
 * `sb x0, 0(x0)`, a store to the watched page at address 0, so the hart
 * leaves with EXIT_WATCH. (The hart has no debug-ebreak exit: EXIT_DEBUG
 * exists but nothing raises it.) A trap goes to mtvec, whose handler is
 * `sb x0, 8(x0); mret`: the harness sees the watch exit, points mepc at the
 * next block and lets the mret run.
 *
 * Streams run in M-mode (bare), S-mode and U-mode with Sv39 (data pages
 * mapped crosswise, an unmapped page, a read-only alias, an MMIO window, a
 * megapage, pages that share a TLB set so inline TLB lookups miss, satp
 * switches to a second table under other ASIDs, SUM, MPRV). After what the
 * JIT leaves to the interpreter, the interpreter runs on to the next taken
 * branch or jump, so the generator often adds a jump to the next
 * instruction to get the following code translated.
 * Dedicated tests lean on division edge cases, shifts by >= 32 for the W
 * forms, x0 as destination and source, overwritten load bases, self-
 * modifying code (an instruction that already ran is overwritten, fence.i,
 * and it runs again), F/D with every rounding mode and mstatus.FS state,
 * other host-register assignments (the JIT is made to remap), kicks from
 * another thread (event exits from translated code) and loops that use up
 * the JIT's instruction budget.
 *
 * On a mismatch the test prints the seed, the block's listing and the
 * differences, then replays the block from its saved starting state with
 * instructions k.. replaced by the terminator, k = 1, 2, ..., to name the
 * first instruction after which the two harts disagree.
 *
 * Environment: JIT_DIFF_SEED=0x... runs only that stream (seeds are printed
 * on failure; the high half names the test), JIT_DIFF_SCALE=N runs N times
 * as many streams (soak), JIT_DIFF_VERBOSE=1 prints per-test statistics. */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/vclock.h"
#include "cpu/csr.h"
#include "cpu/decode.h"
#include "cpu/hart.h"
#include "cpu/jit/jit.h"
#include "cpu/jit/jit_arch.h"
#include "cpu/mmu.h"
#include "cpu/trap.h"
#include "mem/guest_mem.h"

/* ---- the board ----
 * low RAM  [0, 0x4000): page 0 watched (block ends, trap exits), pages 2-3
 *          scratch data; page 1 plain RAM
 * 0x4000.. not RAM: MMIO exits (0x4f00-0x4fff complete with an access fault)
 * alias RAM page at 0x102000: same TLB set as 0x2000 in a 256-entry TLB
 * main RAM at 0x80000000: trap handler, code region, page tables */
#define LOW_SIZE   0x4000ull
#define ALIAS_PA   0x102000ull
#define MMIO_PA	   0x4000ull
#define RAM_BASE   0x80000000ull
#define RAM_SIZE   (1ull << 20)
#define HANDLER	   RAM_BASE
#define PRIME	   (RAM_BASE + 0x1000) /* register-remap priming code */
#define CODE_BASE  (RAM_BASE + 0x10000)
#define CODE_PAGES 16
#define PT_BASE	   (RAM_BASE + 0x80000)
#define PT_PAGES   16
#define CODE_SPAN  0x4000u /* most a stream may occupy */
/* Sv39 roots: S (data pages crosswise), U (U bit everywhere), S2 (data
 * pages straight; streams switch to it with ASIDs 4-6) */
#define ROOT_S	PT_BASE
#define ROOT_U	(PT_BASE + 0x1000)
#define ROOT_S2 (PT_BASE + 0x2000)

#define TERMINATOR 0x00000023u /* sb x0, 0(x0) */
#define TRAP_EXIT  0x00000423u /* sb x0, 8(x0) */
#define MRET	   0x30200073u
#define C_NOP	   0x0001u

#define PTE_V (1ull << 0)
#define PTE_R (1ull << 1)
#define PTE_W (1ull << 2)
#define PTE_X (1ull << 3)
#define PTE_U (1ull << 4)
#define PTE_A (1ull << 6)
#define PTE_D (1ull << 7)

struct machine {
	struct guest_mem mem;
	struct vclock clock;
	struct hart *h;
};

/* ---- streams ---- */

#define MAX_RECS   6000
#define MAX_BLOCKS 48

struct rec {
	uint32_t off; /* from the stream's start */
	uint32_t raw;
	uint8_t len;
	uint16_t op;
};

struct block {
	uint32_t start, end; /* offsets; end is past the terminator */
	unsigned first, n;   /* recs, terminator included */
};

struct stream {
	uint64_t seed;
	enum priv mode;
	uint16_t asid;
	uint64_t va; /* code address (virtual = physical) */
	uint32_t len;
	uint8_t code[CODE_SPAN];
	struct rec recs[MAX_RECS];
	unsigned nrecs;
	struct block blocks[MAX_BLOCKS];
	unsigned nblocks;
	uint64_t x[32], f[32];
	uint64_t mscratch, sscratch;
	uint8_t low[LOW_SIZE];
	uint8_t alias[4096];
};

/* what a test leans on; mode MIXED: each stream picks M, S or U */
#define MIXED ((enum priv)2)
struct focus {
	const char *name;
	unsigned test_id;
	unsigned streams;
	enum priv mode;
	bool kicks;    /* another thread kicks the JIT hart at random moments */
	bool remap;    /* the JIT learns other host registers before each */
	unsigned p_x0; /* % of register picks that are x0 */
	unsigned p_jit; /* % of picks of an op the JIT leaves that retry */
	/* weights of the unit kinds in a block */
	unsigned w_alu, w_li, w_mem, w_branch, w_jump, w_loop, w_smc, w_sys,
		w_trap, w_fp, w_c, w_div, w_shift, w_base, w_ctx;
	bool long_loops; /* every third block starts with one */
};

/* ---- test fixture ---- */

/* a thread kicking the JIT hart (hart_kick: "any thread") */
struct kicker {
	pthread_t thread;
	struct hart *h;
	_Atomic bool stop;
	bool running;
	uint64_t seed;
};

struct fx {
	struct machine m[2]; /* 0: JIT, 1: interpreter only */
	struct stream *s;
	struct kicker kick;
	/* the state at the start of the current block, for bisecting */
	struct snap *snap;
	unsigned cur_block;
	/* statistics */
	uint64_t n_streams, n_blocks, n_exits[EXIT__COUNT], n_traps;
	uint64_t n_insns, n_executed, n_cause[16], n_kicks, n_remaps;
};

static const char *const mode_names[4] = {"U", "S", "mixed", "M"};

/* ---- PRNG: splitmix64 ---- */

struct gen {
	struct stream *s;
	const struct focus *fo;
	uint64_t rng;
	uint32_t reserved; /* registers random code must not write */
	uint32_t pos;
	unsigned depth;
	bool safe; /* memory targets that neither trap nor exit */
	/* FP state a unit broke: the next block repairs it first */
	bool fix_fs, fix_frm;
};

static uint64_t rnd(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned below(struct gen *g, unsigned n)
{
	return (unsigned)(rnd(g) % n);
}

static bool chance(struct gen *g, unsigned pct)
{
	return below(g, 100) < pct;
}

/* ---- encoders ---- */

static uint32_t enc_r(unsigned opc, unsigned f3, unsigned f7, unsigned rd,
		      unsigned rs1, unsigned rs2)
{
	return opc | rd << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 | f7 << 25;
}

static uint32_t enc_i(unsigned opc, unsigned f3, unsigned rd, unsigned rs1,
		      int32_t imm)
{
	return opc | rd << 7 | f3 << 12 | rs1 << 15 |
	       ((uint32_t)imm & 0xfff) << 20;
}

static uint32_t enc_s(unsigned opc, unsigned f3, unsigned rs1, unsigned rs2,
		      int32_t imm)
{
	uint32_t u = (uint32_t)imm;
	return opc | (u & 0x1f) << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 |
	       ((u >> 5) & 0x7f) << 25;
}

static uint32_t enc_b(unsigned f3, unsigned rs1, unsigned rs2, int32_t imm)
{
	uint32_t u = (uint32_t)imm;
	return 0x63 | ((u >> 11) & 1) << 7 | ((u >> 1) & 0xf) << 8 | f3 << 12 |
	       rs1 << 15 | rs2 << 20 | ((u >> 5) & 0x3f) << 25 |
	       ((u >> 12) & 1) << 31;
}

static uint32_t enc_u(unsigned opc, unsigned rd, uint32_t imm20)
{
	return opc | rd << 7 | (imm20 & 0xfffff) << 12;
}

static uint32_t enc_j(unsigned rd, int32_t imm)
{
	uint32_t u = (uint32_t)imm;
	return 0x6f | rd << 7 | ((u >> 12) & 0xff) << 12 |
	       ((u >> 11) & 1) << 20 | ((u >> 1) & 0x3ff) << 21 |
	       ((u >> 20) & 1) << 31;
}

static uint32_t c_ci(unsigned f3, unsigned rd, int32_t imm, unsigned q)
{
	uint32_t u = (uint32_t)imm;
	return f3 << 13 | ((u >> 5) & 1) << 12 | rd << 7 | (u & 0x1f) << 2 | q;
}

static uint32_t c_j(int32_t off)
{
	uint32_t u = (uint32_t)off;
	return 0xa001 | ((u >> 11) & 1) << 12 | ((u >> 4) & 1) << 11 |
	       ((u >> 8) & 3) << 9 | ((u >> 10) & 1) << 8 |
	       ((u >> 6) & 1) << 7 | ((u >> 7) & 1) << 6 | ((u >> 1) & 7) << 3 |
	       ((u >> 5) & 1) << 2;
}

static uint32_t c_b(bool nez, unsigned rs1p, int32_t off)
{
	uint32_t u = (uint32_t)off;
	return (nez ? 0xe001u : 0xc001u) | (rs1p - 8) << 7 |
	       ((u >> 8) & 1) << 12 | ((u >> 3) & 3) << 10 |
	       ((u >> 6) & 3) << 5 | ((u >> 1) & 3) << 3 | ((u >> 5) & 1) << 2;
}

/* ---- emitting ---- */

static void put(struct gen *g, uint32_t off, uint32_t raw, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		g->s->code[off + i] = (uint8_t)(raw >> (8 * i));
}

static void check_decode(uint32_t raw, unsigned len, unsigned op, int rs1,
			 int64_t imm, bool chk_imm)
{
	struct insn in;

	insn_decode(&in, raw);
	if (in.len != len || in.op != op || (rs1 >= 0 && in.rs1 != rs1) ||
	    (chk_imm && in.imm != imm))
		fail_msg("generator bug: 0x%08x decodes as %s (len %u rs1 %u "
			 "imm %d), meant %s (rs1 %d imm %lld)",
			 raw, insn_op_names[in.op], in.len, in.rs1, in.imm,
			 insn_op_names[op], rs1, (long long)imm);
}

/* append one instruction; returns its record index */
static unsigned emit_chk(struct gen *g, uint32_t raw, unsigned op, int rs1,
			 int64_t imm, bool chk_imm)
{
	struct stream *s = g->s;
	unsigned len = (raw & 3) == 3 ? 4 : 2;

	if (len == 2)
		raw &= 0xffff;
	assert_true(g->pos + len <= CODE_SPAN);
	assert_true(s->nrecs < MAX_RECS);
	check_decode(raw, len, op, rs1, imm, chk_imm);
	put(g, g->pos, raw, len);
	s->recs[s->nrecs] =
		(struct rec){g->pos, raw, (uint8_t)len, (uint16_t)op};
	g->pos += len;
	return s->nrecs++;
}

static unsigned emit(struct gen *g, uint32_t raw, unsigned op)
{
	return emit_chk(g, raw, op, -1, 0, false);
}

/* rewrite an emitted instruction (same length) */
static void repatch(struct gen *g, unsigned ri, uint32_t raw, unsigned op,
		    int64_t imm)
{
	struct rec *r = &g->s->recs[ri];

	if (r->len == 2)
		raw &= 0xffff;
	check_decode(raw, r->len, op, -1, imm, true);
	put(g, r->off, raw, r->len);
	r->raw = raw;
}

/* room left for a unit of generated code (leave space to finish) */
static bool room(struct gen *g)
{
	return g->pos + 512 < CODE_SPAN && g->s->nrecs + 64 < MAX_RECS;
}

/* ---- registers ---- */

static unsigned pick_src(struct gen *g)
{
	if (chance(g, g->fo->p_x0))
		return 0;
	return 1 + below(g, 31);
}

static unsigned pick_rd(struct gen *g)
{
	unsigned r;

	if (chance(g, g->fo->p_x0))
		return 0;
	do
		r = 1 + below(g, 31);
	while (g->reserved & (1u << r));
	return r;
}

/* a register random code may write, never x0 */
static unsigned pick_free(struct gen *g)
{
	unsigned r;

	do
		r = 1 + below(g, 31);
	while (g->reserved & (1u << r));
	return r;
}

/* x8..x15 that may be written; 0 if none */
static unsigned pick_free_c(struct gen *g)
{
	for (int tries = 0; tries < 16; tries++) {
		unsigned r = 8 + below(g, 8);
		if (!(g->reserved & (1u << r)))
			return r;
	}
	return 0;
}

/* ---- immediates and values ---- */

static int32_t imm12(struct gen *g)
{
	static const int32_t edge[] = {0,  1,	  -1,  2047, -2048, 31,
				       32, 63,	  64,  -32,  0x7ff, 0x555,
				       -2, 0x100, 255, 1024};
	if (chance(g, 40))
		return edge[below(g, sizeof(edge) / sizeof(edge[0]))];
	return (int32_t)below(g, 4096) - 2048;
}

static uint64_t interesting64(struct gen *g)
{
	static const uint64_t v[] = {
		0,
		1,
		~0ull,
		0x8000000000000000ull,
		0x7fffffffffffffffull,
		0xffffffff80000000ull,
		0x0000000080000000ull,
		0x00000000ffffffffull,
		0x0000000100000000ull,
		0xffffffff00000000ull,
		0x000000007fffffffull,
		31,
		32,
		33,
		63,
		64,
		0xffffffffffffffe0ull,
		0x00000000deadbeefull,
		0x0123456789abcdefull,
		0x8000000000000001ull,
	};
	switch (below(g, 4)) {
	case 0: return v[below(g, sizeof(v) / sizeof(v[0]))];
	case 1: return (uint64_t)(int64_t)(int32_t)rnd(g);
	case 2: return rnd(g) & 0xff;
	default: return rnd(g);
	}
}

/* FP register contents: doubles and NaN-boxed singles, specials included,
 * and now and then an improperly boxed single */
static uint64_t interesting_fp(struct gen *g)
{
	static const uint64_t d[] = {
		0x0000000000000000ull, 0x8000000000000000ull, /* +-0 */
		0x3ff0000000000000ull, 0xbff8000000000000ull, /* 1, -1.5 */
		0x7ff0000000000000ull, 0xfff0000000000000ull, /* +-inf */
		0x7ff8000000000000ull, 0x7ff4000000000000ull, /* qNaN, sNaN */
		0x0000000000000001ull, 0x000fffffffffffffull, /* subnormal */
		0x7fefffffffffffffull, 0x43e0000000000000ull, /* max, 2^63 */
		0xc3e0000000000000ull, 0x41dfffffffc00000ull, /* -2^63, ~2^31 */
	};
	static const uint32_t f[] = {
		0x00000000, 0x80000000, 0x3f800000, 0xbfc00000, 0x7f800000,
		0xff800000, 0x7fc00000, 0x7fa00000, 0x00000001, 0x007fffff,
		0x7f7fffff, 0x5f000000, 0xdf000000, 0x4f000000, 0x3eaaaaab,
	};
	switch (below(g, 6)) {
	case 0: return d[below(g, sizeof(d) / sizeof(d[0]))];
	case 1:
		return 0xffffffff00000000ull |
		       f[below(g, sizeof(f) / sizeof(f[0]))];
	case 2: return 0xffffffff00000000ull | (uint32_t)rnd(g);
	case 3:
		return (uint64_t)
			f[below(g, sizeof(f) / sizeof(f[0]))]; /* unboxed */
	default: return rnd(g);
	}
}

/* rd <- a 32-bit value, sign-extended (lui/addiw or addi) */
static void li32(struct gen *g, unsigned rd, int32_t v)
{
	if (v >= -2048 && v < 2048) {
		emit(g, enc_i(0x13, 0, rd, 0, v), OP_ADDI);
		return;
	}
	uint32_t hi = ((uint32_t)v + 0x800) >> 12;
	int32_t lo = (int32_t)((uint32_t)v - (hi << 12));
	emit(g, enc_u(0x37, rd, hi), OP_LUI);
	if (lo)
		emit(g, enc_i(0x1b, 0, rd, rd, lo), OP_ADDIW);
}

/* the edge values of division and shifts, in at most two instructions */
static void li_edge(struct gen *g, unsigned rd)
{
	switch (below(g, 16)) {
	case 0: emit(g, enc_i(0x13, 0, rd, 0, 0), OP_ADDI); break;
	case 1: emit(g, enc_i(0x13, 0, rd, 0, -1), OP_ADDI); break;
	case 2: emit(g, enc_i(0x13, 0, rd, 0, 1), OP_ADDI); break;
	case 3: /* INT64_MIN */
		emit(g, enc_i(0x13, 0, rd, 0, 1), OP_ADDI);
		emit(g, enc_i(0x13, 1, rd, rd, 63), OP_SLLI);
		break;
	case 4: /* INT64_MAX */
		emit(g, enc_i(0x13, 0, rd, 0, -1), OP_ADDI);
		emit(g, enc_i(0x13, 5, rd, rd, 1), OP_SRLI);
		break;
	case 5: /* INT32_MIN, sign-extended */
		emit(g, enc_u(0x37, rd, 0x80000), OP_LUI);
		break;
	case 6: /* 0x80000000 */
		emit(g, enc_i(0x13, 0, rd, 0, 1), OP_ADDI);
		emit(g, enc_i(0x13, 1, rd, rd, 31), OP_SLLI);
		break;
	case 7: /* 2^32: low word zero */
		emit(g, enc_i(0x13, 0, rd, 0, 1), OP_ADDI);
		emit(g, enc_i(0x13, 1, rd, rd, 32), OP_SLLI);
		break;
	case 8: /* 0xffffffff: low word -1 */
		emit(g, enc_i(0x13, 0, rd, 0, -1), OP_ADDI);
		emit(g, enc_i(0x13, 5, rd, rd, 32), OP_SRLI);
		break;
	case 9: /* 0xffffffff00000000 */
		emit(g, enc_i(0x13, 0, rd, 0, -1), OP_ADDI);
		emit(g, enc_i(0x13, 1, rd, rd, 32), OP_SLLI);
		break;
	case 10: /* INT32_MAX */
		emit(g, enc_u(0x37, rd, 0x80000), OP_LUI);
		emit(g, enc_i(0x1b, 0, rd, rd, -1), OP_ADDIW);
		break;
	case 11: /* 0x180000000: low word INT32_MIN, high bits set */
		emit(g, enc_i(0x13, 0, rd, 0, 3), OP_ADDI);
		emit(g, enc_i(0x13, 1, rd, rd, 31), OP_SLLI);
		break;
	case 12: /* 0x1ffffffff: low word -1, high bits set */
		emit(g, enc_i(0x13, 0, rd, 0, -1), OP_ADDI);
		emit(g, enc_i(0x13, 5, rd, rd, 31), OP_SRLI);
		break;
	case 13: { /* a shift amount around 32 or 64 */
		static const int32_t sh[] = {31, 32, 33, 63, 64, 65, 95, 96};
		emit(g, enc_i(0x13, 0, rd, 0, sh[below(g, 8)]), OP_ADDI);
		break;
	}
	case 14: /* -2^31 + 1 */
		emit(g, enc_u(0x37, rd, 0x80000), OP_LUI);
		emit(g, enc_i(0x1b, 0, rd, rd, 1), OP_ADDIW);
		break;
	default: /* keep what it holds (random) */
		emit(g, enc_i(0x13, 0, rd, rd, (int32_t)below(g, 8) - 4),
		     OP_ADDI);
		break;
	}
}

/* ---- ALU operations ---- */

enum { K_R, K_I, K_SH, K_SHW, K_UN, K_LUI, K_AUIPC };
enum { C_PLAIN, C_DIV, C_SHIFT };

struct aop {
	uint16_t op;
	uint8_t kind, opc, f3, f7; /* K_SH: f7 holds funct6 */
	uint16_t f12;		   /* K_UN */
	uint8_t cls;
};

static const struct aop aops[] = {
	{OP_ADD, K_R, 0x33, 0, 0x00, 0, C_PLAIN},
	{OP_SUB, K_R, 0x33, 0, 0x20, 0, C_PLAIN},
	{OP_SLL, K_R, 0x33, 1, 0x00, 0, C_SHIFT},
	{OP_SLT, K_R, 0x33, 2, 0x00, 0, C_PLAIN},
	{OP_SLTU, K_R, 0x33, 3, 0x00, 0, C_PLAIN},
	{OP_XOR, K_R, 0x33, 4, 0x00, 0, C_PLAIN},
	{OP_SRL, K_R, 0x33, 5, 0x00, 0, C_SHIFT},
	{OP_SRA, K_R, 0x33, 5, 0x20, 0, C_SHIFT},
	{OP_OR, K_R, 0x33, 6, 0x00, 0, C_PLAIN},
	{OP_AND, K_R, 0x33, 7, 0x00, 0, C_PLAIN},
	{OP_MUL, K_R, 0x33, 0, 0x01, 0, C_DIV},
	{OP_MULH, K_R, 0x33, 1, 0x01, 0, C_DIV},
	{OP_MULHSU, K_R, 0x33, 2, 0x01, 0, C_DIV},
	{OP_MULHU, K_R, 0x33, 3, 0x01, 0, C_DIV},
	{OP_DIV, K_R, 0x33, 4, 0x01, 0, C_DIV},
	{OP_DIVU, K_R, 0x33, 5, 0x01, 0, C_DIV},
	{OP_REM, K_R, 0x33, 6, 0x01, 0, C_DIV},
	{OP_REMU, K_R, 0x33, 7, 0x01, 0, C_DIV},
	{OP_SH1ADD, K_R, 0x33, 2, 0x10, 0, C_PLAIN},
	{OP_SH2ADD, K_R, 0x33, 4, 0x10, 0, C_PLAIN},
	{OP_SH3ADD, K_R, 0x33, 6, 0x10, 0, C_PLAIN},
	{OP_ANDN, K_R, 0x33, 7, 0x20, 0, C_PLAIN},
	{OP_ORN, K_R, 0x33, 6, 0x20, 0, C_PLAIN},
	{OP_XNOR, K_R, 0x33, 4, 0x20, 0, C_PLAIN},
	{OP_MAX, K_R, 0x33, 6, 0x05, 0, C_PLAIN},
	{OP_MAXU, K_R, 0x33, 7, 0x05, 0, C_PLAIN},
	{OP_MIN, K_R, 0x33, 4, 0x05, 0, C_PLAIN},
	{OP_MINU, K_R, 0x33, 5, 0x05, 0, C_PLAIN},
	{OP_ROL, K_R, 0x33, 1, 0x30, 0, C_SHIFT},
	{OP_ROR, K_R, 0x33, 5, 0x30, 0, C_SHIFT},
	{OP_BCLR, K_R, 0x33, 1, 0x24, 0, C_SHIFT},
	{OP_BEXT, K_R, 0x33, 5, 0x24, 0, C_SHIFT},
	{OP_BINV, K_R, 0x33, 1, 0x34, 0, C_SHIFT},
	{OP_BSET, K_R, 0x33, 1, 0x14, 0, C_SHIFT},
	{OP_CZERO_EQZ, K_R, 0x33, 5, 0x07, 0, C_PLAIN},
	{OP_CZERO_NEZ, K_R, 0x33, 7, 0x07, 0, C_PLAIN},
	{OP_ADDW, K_R, 0x3b, 0, 0x00, 0, C_PLAIN},
	{OP_SUBW, K_R, 0x3b, 0, 0x20, 0, C_PLAIN},
	{OP_SLLW, K_R, 0x3b, 1, 0x00, 0, C_SHIFT},
	{OP_SRLW, K_R, 0x3b, 5, 0x00, 0, C_SHIFT},
	{OP_SRAW, K_R, 0x3b, 5, 0x20, 0, C_SHIFT},
	{OP_MULW, K_R, 0x3b, 0, 0x01, 0, C_DIV},
	{OP_DIVW, K_R, 0x3b, 4, 0x01, 0, C_DIV},
	{OP_DIVUW, K_R, 0x3b, 5, 0x01, 0, C_DIV},
	{OP_REMW, K_R, 0x3b, 6, 0x01, 0, C_DIV},
	{OP_REMUW, K_R, 0x3b, 7, 0x01, 0, C_DIV},
	{OP_ADD_UW, K_R, 0x3b, 0, 0x04, 0, C_PLAIN},
	{OP_SH1ADD_UW, K_R, 0x3b, 2, 0x10, 0, C_PLAIN},
	{OP_SH2ADD_UW, K_R, 0x3b, 4, 0x10, 0, C_PLAIN},
	{OP_SH3ADD_UW, K_R, 0x3b, 6, 0x10, 0, C_PLAIN},
	{OP_ROLW, K_R, 0x3b, 1, 0x30, 0, C_SHIFT},
	{OP_RORW, K_R, 0x3b, 5, 0x30, 0, C_SHIFT},
	{OP_ADDI, K_I, 0x13, 0, 0, 0, C_PLAIN},
	{OP_SLTI, K_I, 0x13, 2, 0, 0, C_PLAIN},
	{OP_SLTIU, K_I, 0x13, 3, 0, 0, C_PLAIN},
	{OP_XORI, K_I, 0x13, 4, 0, 0, C_PLAIN},
	{OP_ORI, K_I, 0x13, 6, 0, 0, C_PLAIN},
	{OP_ANDI, K_I, 0x13, 7, 0, 0, C_PLAIN},
	{OP_ADDIW, K_I, 0x1b, 0, 0, 0, C_PLAIN},
	{OP_SLLI, K_SH, 0x13, 1, 0x00, 0, C_SHIFT},
	{OP_SRLI, K_SH, 0x13, 5, 0x00, 0, C_SHIFT},
	{OP_SRAI, K_SH, 0x13, 5, 0x10, 0, C_SHIFT},
	{OP_RORI, K_SH, 0x13, 5, 0x18, 0, C_SHIFT},
	{OP_BCLRI, K_SH, 0x13, 1, 0x12, 0, C_SHIFT},
	{OP_BEXTI, K_SH, 0x13, 5, 0x12, 0, C_SHIFT},
	{OP_BINVI, K_SH, 0x13, 1, 0x1a, 0, C_SHIFT},
	{OP_BSETI, K_SH, 0x13, 1, 0x0a, 0, C_SHIFT},
	{OP_SLLI_UW, K_SH, 0x1b, 1, 0x02, 0, C_SHIFT},
	{OP_SLLIW, K_SHW, 0x1b, 1, 0x00, 0, C_SHIFT},
	{OP_SRLIW, K_SHW, 0x1b, 5, 0x00, 0, C_SHIFT},
	{OP_SRAIW, K_SHW, 0x1b, 5, 0x20, 0, C_SHIFT},
	{OP_RORIW, K_SHW, 0x1b, 5, 0x30, 0, C_SHIFT},
	{OP_CLZ, K_UN, 0x13, 1, 0, 0x600, C_PLAIN},
	{OP_CTZ, K_UN, 0x13, 1, 0, 0x601, C_PLAIN},
	{OP_CPOP, K_UN, 0x13, 1, 0, 0x602, C_PLAIN},
	{OP_SEXT_B, K_UN, 0x13, 1, 0, 0x604, C_PLAIN},
	{OP_SEXT_H, K_UN, 0x13, 1, 0, 0x605, C_PLAIN},
	{OP_ORC_B, K_UN, 0x13, 5, 0, 0x287, C_PLAIN},
	{OP_REV8, K_UN, 0x13, 5, 0, 0x6b8, C_PLAIN},
	{OP_CLZW, K_UN, 0x1b, 1, 0, 0x600, C_PLAIN},
	{OP_CTZW, K_UN, 0x1b, 1, 0, 0x601, C_PLAIN},
	{OP_CPOPW, K_UN, 0x1b, 1, 0, 0x602, C_PLAIN},
	{OP_ZEXT_H, K_UN, 0x3b, 4, 0, 0x080, C_PLAIN},
	{OP_LUI, K_LUI, 0x37, 0, 0, 0, C_PLAIN},
	{OP_AUIPC, K_AUIPC, 0x17, 0, 0, 0, C_PLAIN},
};
#define NAOPS (sizeof(aops) / sizeof(aops[0]))

/* whether the backend translates op (its own answer where there is one) */
static bool jit_translates(unsigned op)
{
#if defined(__x86_64__)
	struct insn in = {.op = (uint16_t)op};
	return jit_arch_supports(&in);
#else
	(void)op;
	return true;
#endif
}

static const struct aop *pick_aop(struct gen *g, int cls)
{
	for (;;) {
		const struct aop *a = &aops[below(g, NAOPS)];
		if (cls >= 0 && a->cls != cls)
			continue;
		/* long translated runs need ops the JIT takes */
		if (!jit_translates(a->op) && chance(g, g->fo->p_jit))
			continue;
		return a;
	}
}

static unsigned shamt64(struct gen *g)
{
	static const unsigned e[] = {0, 1, 31, 32, 33, 62, 63};
	return chance(g, 50) ? e[below(g, 7)] : below(g, 64);
}

static unsigned shamt32(struct gen *g)
{
	static const unsigned e[] = {0, 1, 15, 16, 30, 31};
	return chance(g, 50) ? e[below(g, 6)] : below(g, 32);
}

/* one ALU instruction writing rd (not emitted); *op receives its op */
static uint32_t make_alu(struct gen *g, const struct aop *a, unsigned rd,
			 unsigned rs1, unsigned rs2, unsigned *op)
{
	*op = a->op;
	switch (a->kind) {
	case K_R: return enc_r(a->opc, a->f3, a->f7, rd, rs1, rs2);
	case K_I: return enc_i(a->opc, a->f3, rd, rs1, imm12(g));
	case K_SH:
		return enc_i(a->opc, a->f3, rd, rs1,
			     (int32_t)((unsigned)a->f7 << 6 | shamt64(g)));
	case K_SHW:
		return enc_i(a->opc, a->f3, rd, rs1,
			     (int32_t)((unsigned)a->f7 << 5 | shamt32(g)));
	case K_UN: return enc_i(a->opc, a->f3, rd, rs1, (int32_t)a->f12);
	case K_LUI: {
		static const uint32_t e[] = {0, 1, 0x80000, 0x7ffff, 0xfffff};
		return enc_u(0x37, rd,
			     chance(g, 40) ? e[below(g, 5)]
					   : (uint32_t)rnd(g) & 0xfffff);
	}
	default: return enc_u(0x17, rd, (uint32_t)rnd(g) & 0xfffff);
	}
}

/* a random ALU instruction honouring the reserved registers */
static uint32_t alu_random(struct gen *g, unsigned *op)
{
	const struct aop *a = pick_aop(g, -1);
	unsigned rd = pick_rd(g), rs1 = pick_src(g), rs2 = pick_src(g);
	return make_alu(g, a, rd, rs1, rs2, op);
}

static void gen_alu_cls(struct gen *g, int cls)
{
	unsigned op;
	const struct aop *a = pick_aop(g, cls);
	unsigned rd = pick_rd(g), rs1 = pick_src(g), rs2 = pick_src(g);
	uint32_t raw = make_alu(g, a, rd, rs1, rs2, &op);
	emit(g, raw, op);
}

static void gen_alu(struct gen *g)
{
	gen_alu_cls(g, -1);
}

/* division and multiplication on edge values */
static void gen_div(struct gen *g)
{
	unsigned ra = pick_free(g), rb = pick_free(g), op;
	const struct aop *a = pick_aop(g, C_DIV);

	li_edge(g, ra);
	if (rb != ra)
		li_edge(g, rb);
	unsigned rd = chance(g, 20) ? ra : chance(g, 20) ? rb : pick_rd(g);
	unsigned s1 = chance(g, 10) ? 0 : ra, s2 = chance(g, 10) ? 0 : rb;
	if (chance(g, 15))
		s1 = s2; /* x / x */
	uint32_t raw = make_alu(g, a, rd, s1, s2, &op);
	emit(g, raw, op);
}

/* shifts and rotates by amounts at and beyond 32 and 64 */
static void gen_shift(struct gen *g)
{
	unsigned ra = pick_free(g), rb = pick_free(g), op;
	const struct aop *a = pick_aop(g, C_SHIFT);

	if (chance(g, 50))
		li_edge(g, ra);
	if (rb != ra)
		li_edge(g, rb);
	unsigned rd = chance(g, 20) ? rb : pick_rd(g);
	unsigned s1 = chance(g, 10) ? 0 : ra;
	uint32_t raw = make_alu(g, a, rd, s1, rb, &op);
	emit(g, raw, op);
	if (chance(g, 5)) {
		/* SLLIW/SRLIW/SRAIW with shamt[5] set: reserved, illegal */
		static const uint32_t w[] = {0x1b | 1 << 12, 0x1b | 5 << 12,
					     0x1b | 5 << 12 | 0x20u << 25};
		uint32_t raw = w[below(g, 3)];
		raw |= pick_rd(g) << 7;
		raw |= pick_src(g) << 15;
		raw |= (32 + below(g, 32)) << 20;
		emit(g, raw, OP_ILLEGAL);
	}
}

static void gen_li(struct gen *g)
{
	unsigned rd = pick_rd(g);

	switch (below(g, 3)) {
	case 0: li_edge(g, rd ? rd : pick_free(g)); break;
	case 1: li32(g, rd, (int32_t)interesting64(g)); break;
	default: emit(g, enc_i(0x13, 0, rd, 0, imm12(g)), OP_ADDI); break;
	}
}

/* compressed integer ops */
static void gen_c_alu(struct gen *g)
{
	unsigned rd = pick_free(g), rdp = pick_free_c(g),
		 rs2p = 8 + below(g, 8);
	int32_t imm = (int32_t)below(g, 64) - 32;

	switch (below(g, 10)) {
	case 0: emit(g, c_ci(0, rd, imm ? imm : 1, 1), OP_ADDI); break;
	case 1: emit(g, c_ci(1, rd, imm, 1), OP_ADDIW); break;
	case 2: emit(g, c_ci(2, rd, imm, 1), OP_ADDI); break; /* c.li */
	case 3:
		if (rd == 2)
			break;
		emit(g, c_ci(3, rd, imm ? imm : 1, 1), OP_LUI);
		break;
	case 4: { /* c.mv / c.add */
		unsigned rs2 = 1 + below(g, 31);
		emit(g,
		     (chance(g, 50) ? 0x8002u : 0x9002u) | rd << 7 | rs2 << 2,
		     OP_ADD);
		break;
	}
	case 5: { /* c.slli */
		unsigned sh = 1 + below(g, 63);
		emit(g, c_ci(0, rd, (int32_t)sh, 2), OP_SLLI);
		break;
	}
	case 6: { /* c.srli / c.srai / c.andi */
		static const uint16_t ops[] = {OP_SRLI, OP_SRAI, OP_ANDI};
		unsigned k = below(g, 3), sh = 1 + below(g, 63);
		if (!rdp)
			break;
		uint32_t v = k == 2 ? (uint32_t)imm : sh;
		emit(g,
		     0x8001u | ((v >> 5) & 1) << 12 | k << 10 | (rdp - 8) << 7 |
			     (v & 0x1f) << 2,
		     ops[k]);
		break;
	}
	case 7:
	case 8: { /* c.sub c.xor c.or c.and c.subw c.addw */
		static const uint16_t ops[] = {OP_SUB, OP_XOR,	OP_OR,
					       OP_AND, OP_SUBW, OP_ADDW};
		unsigned k = below(g, 6);
		if (!rdp)
			break;
		emit(g,
		     (k < 4 ? 0x8c01u : 0x9c01u) | (rdp - 8) << 7 |
			     (k & 3) << 5 | (rs2p - 8) << 2,
		     ops[k]);
		break;
	}
	default: emit(g, C_NOP, OP_ADDI); break;
	}
}

/* ---- memory ---- */

/* a data address: mostly the scratch pages, sometimes their edges, the
 * watched page, MMIO, the TLB-set alias, unmapped or read-only pages */
static uint64_t pick_target(struct gen *g, unsigned size)
{
	unsigned r = below(g, g->safe ? 81 : 100);
	uint64_t page, off;

	if (r < 68) /* scratch data (mapped crosswise under Sv39) */
		page = chance(g, 50) ? 0x2000 : 0x3000;
	else if (r < 77) /* same TLB set as 0x2000 */
		page = ALIAS_PA;
	else if (r < 81)
		page = 0x1000;
	else if (r < 84) /* the watched page */
		page = 0x0;
	else if (r < 88) /* Sv39 megapage onto low RAM (M: MMIO) */
		page = 0x200000 + 0x2000;
	else if (r < 93) /* MMIO (M: 0x5000 is MMIO too) */
		page = g->s->mode == PRV_M ? 0x4000 : 0x5000;
	else if (r < 96) /* Sv39: read-only alias of 0x2000 */
		page = 0x6000;
	else if (r < 98) /* Sv39: unmapped */
		page = 0x4000;
	else /* megapage onto a hole: MMIO */
		page = 0x200000 + 0x103000;

	if (chance(g, 4) && !g->safe) { /* straddle a page boundary */
		off = 4096 - 1 - below(g, size);
		if (page == 0x3000 && chance(g, 50))
			off = 4096 - size / 2; /* into 0x4000 */
	} else {
		off = below(g, 4096 - size + 1);
		if (!chance(g, 20))
			off &= ~(uint64_t)(size - 1);
	}
	if (page == 0 && off < 0x10)
		off += 0x10; /* 0 and 8 mark block ends and traps */
	return page + off;
}

/* base register set up so that base + off == target */
static unsigned setup_base(struct gen *g, uint64_t target, int32_t off)
{
	unsigned rb = pick_free(g);

	li32(g, rb, (int32_t)(target - (uint64_t)(int64_t)off));
	return rb;
}

/* some unrelated instructions between setting a base and using it */
static void filler(struct gen *g, unsigned max)
{
	unsigned n = below(g, max + 1);

	for (unsigned i = 0; i < n; i++)
		gen_alu(g);
}

struct mop {
	uint16_t op;
	uint8_t opc, f3, size;
	bool store, fp;
};

static const struct mop mops[] = {
	{OP_LB, 0x03, 0, 1, false, false},  {OP_LH, 0x03, 1, 2, false, false},
	{OP_LW, 0x03, 2, 4, false, false},  {OP_LD, 0x03, 3, 8, false, false},
	{OP_LBU, 0x03, 4, 1, false, false}, {OP_LHU, 0x03, 5, 2, false, false},
	{OP_LWU, 0x03, 6, 4, false, false}, {OP_SB, 0x23, 0, 1, true, false},
	{OP_SH, 0x23, 1, 2, true, false},   {OP_SW, 0x23, 2, 4, true, false},
	{OP_SD, 0x23, 3, 8, true, false},   {OP_FLW, 0x07, 2, 4, false, true},
	{OP_FLD, 0x07, 3, 8, false, true},  {OP_FSW, 0x27, 2, 4, true, true},
	{OP_FSD, 0x27, 3, 8, true, true},
};

static uint32_t make_mem(const struct mop *m, unsigned reg, unsigned rb,
			 int32_t off)
{
	return m->store ? enc_s(m->opc, m->f3, rb, reg, off)
			: enc_i(m->opc, m->f3, reg, rb, off);
}

/* a plain load or store, with its base set up first, then perhaps moved
 * by a write to the base register, then perhaps reused */
static void gen_ldst_m(struct gen *g, bool base_games, const struct mop *m)
{
	if (!m)
		m = &mops[below(g, chance(g, g->fo->w_fp > 20 ? 60 : 90) ? 11
									 : 15)];
	uint64_t t = pick_target(g, m->size);
	int32_t off = chance(g, 30) ? 0 : imm12(g);
	unsigned rb = setup_base(g, t, off);
	uint32_t saved = g->reserved;

	g->reserved |= 1u << rb;
	filler(g, base_games ? 2 : 1);
	if (base_games && chance(g, 60)) {
		/* write the base register again before the access */
		int32_t d = (int32_t)below(g, 512) - 256;
		switch (below(g, 3)) {
		case 0:
			emit(g, enc_i(0x13, 0, rb, rb, d), OP_ADDI);
			off -= d;
			if (off < -2048 || off > 2047) {
				emit(g, enc_i(0x13, 0, rb, rb, -d), OP_ADDI);
				off += d;
			}
			break;
		case 1: /* re-aim it somewhere else */
			t = pick_target(g, m->size);
			li32(g, rb, (int32_t)(t - (uint64_t)(int64_t)off));
			break;
		default: { /* via another register */
			unsigned rt = pick_free(g);
			li32(g, rt, (int32_t)(t - (uint64_t)(int64_t)off));
			emit(g, enc_r(0x33, 0, 0, rb, rt, 0), OP_ADD);
			break;
		}
		}
	}
	unsigned reg = m->fp	  ? below(g, 32)
		       : m->store ? pick_src(g)
				  : pick_rd(g);
	if (!m->store && !m->fp && chance(g, base_games ? 30 : 10))
		reg = rb; /* the load overwrites its own base */
	emit_chk(g, make_mem(m, reg, rb, off), m->op, (int)rb, off, true);
	if (!(m->store || m->fp) && reg == rb)
		goto out;
	/* a second access through the same base */
	if (chance(g, base_games ? 60 : 25)) {
		const struct mop *m2 = &mops[below(g, 11)];
		int32_t o2 = off + (int32_t)below(g, 64) - 32;
		uint64_t a2 =
			t - (uint64_t)(int64_t)off + (uint64_t)(int64_t)o2;
		/* not 0 or 8: block ends and traps store there */
		if (o2 >= -2048 && o2 <= 2047 && a2 >= 0x10) {
			unsigned r2 = m2->store ? pick_src(g) : pick_rd(g);
			emit_chk(g, make_mem(m2, r2, rb, o2), m2->op, (int)rb,
				 o2, true);
		}
	}
out:
	g->reserved = saved;
}

static void gen_ldst(struct gen *g, bool base_games)
{
	gen_ldst_m(g, base_games, NULL);
}

/* flw / fld / fsw / fsd */
static void gen_fp_ldst(struct gen *g)
{
	gen_ldst_m(g, false, &mops[11 + below(g, 4)]);
}

/* compressed loads and stores: c.lw c.ld c.sw c.sd (x8..x15 base) and the
 * sp-based forms */
static void gen_c_ldst(struct gen *g)
{
	bool sp = chance(g, 35);
	bool store = chance(g, 50), dbl = chance(g, 50);
	unsigned size = dbl ? 8 : 4;
	unsigned rb = sp ? 2 : pick_free_c(g);
	uint32_t off = (uint32_t)below(g, sp ? 64 : 32) * size;
	uint64_t t;

	if (!rb || (g->reserved & (1u << rb)))
		return;
	if (!sp)
		off &= dbl ? 0xf8 : 0x7c;
	else
		off &= dbl ? 0x1f8 : 0xfc;
	t = pick_target(g, size);
	li32(g, rb, (int32_t)(t - off));
	uint32_t saved = g->reserved;
	g->reserved |= 1u << rb;
	uint32_t raw;
	unsigned op = store ? (dbl ? OP_SD : OP_SW) : (dbl ? OP_LD : OP_LW);
	if (!sp) {
		unsigned r = 8 + below(g, 8);
		if (!store && (g->reserved & (1u << r) & ~(1u << rb)))
			r = rb;
		raw = (store ? 0xc000u : 0x4000u) | (dbl ? 0x2000u : 0) |
		      (rb - 8) << 7 | (r - 8) << 2 | ((off >> 3) & 7) << 10;
		raw |= dbl ? ((off >> 6) & 3) << 5
			   : ((off >> 2) & 1) << 6 | ((off >> 6) & 1) << 5;
	} else {
		unsigned r = store ? pick_src(g) : pick_free(g);
		if (store)
			raw = (dbl ? 0xe002u : 0xc002u) | r << 2 |
			      (dbl ? (((off >> 3) & 7) << 10 | ((off >> 6) & 7)
								       << 7)
				   : (((off >> 2) & 15) << 9 | ((off >> 6) & 3)
								       << 7));
		else
			raw = (dbl ? 0x6002u : 0x4002u) | r << 7 |
			      ((off >> 5) & 1) << 12 |
			      (dbl ? (((off >> 3) & 3) << 5 | ((off >> 6) & 7)
								      << 2)
				   : (((off >> 2) & 7) << 4 | ((off >> 6) & 3)
								      << 2));
	}
	emit_chk(g, raw, op, (int)rb, off, true);
	g->reserved = saved;
}

/* AMOs, LR/SC and cbo.zero: base register, no offset */
static void gen_atomic(struct gen *g)
{
	static const uint8_t f5[] = {0x01, 0x00, 0x04, 0x0c, 0x08,
				     0x10, 0x14, 0x18, 0x1c};
	static const uint16_t opw[] = {
		OP_AMOSWAP_W, OP_AMOADD_W,  OP_AMOXOR_W,
		OP_AMOAND_W,  OP_AMOOR_W,   OP_AMOMIN_W,
		OP_AMOMAX_W,  OP_AMOMINU_W, OP_AMOMAXU_W};
	bool dbl = chance(g, 50);
	unsigned size = dbl ? 8 : 4;
	uint64_t t = pick_target(g, size);
	unsigned rb, k = below(g, 9);
	uint32_t saved = g->reserved;
	unsigned dop = OP_LR_D - OP_LR_W;

	if (chance(g, 85))
		t &= ~(uint64_t)(size - 1);
	rb = setup_base(g, t, 0);
	g->reserved |= 1u << rb;
	unsigned rd = pick_rd(g), rs2 = pick_src(g);
	switch (below(g, 4)) {
	case 0:
	case 1:
		emit(g,
		     enc_r(0x2f, dbl ? 3 : 2, (unsigned)f5[k] << 2, rd, rb,
			   rs2),
		     opw[k] + (dbl ? dop : 0));
		break;
	case 2: /* lr; maybe something in between; sc */
		emit(g, enc_r(0x2f, dbl ? 3 : 2, 0x02 << 2, rd, rb, 0),
		     OP_LR_W + (dbl ? dop : 0));
		if (chance(g, 30))
			gen_ldst(g, false);
		else
			filler(g, 2);
		rd = pick_rd(g);
		emit(g, enc_r(0x2f, dbl ? 3 : 2, 0x03 << 2, rd, rb, rs2),
		     OP_SC_W + (dbl ? dop : 0));
		break;
	default: emit(g, enc_i(0x0f, 2, 0, rb, 4), OP_CBO_ZERO); break;
	}
	g->reserved = saved;
}

static void gen_mem(struct gen *g, bool base_games)
{
	unsigned k = below(g, 10);

	if (k < 7)
		gen_ldst(g, base_games);
	else if (k < 9)
		gen_c_ldst(g);
	else
		gen_atomic(g);
}

/* A jump to the next instruction. The interpreter runs on after an
 * instruction the JIT leaves to it (CSR, fence.i, a trap's return...) until
 * a taken branch or jump; this makes the code after it translated code. */
static void gen_boundary(struct gen *g)
{
	switch (below(g, 3)) {
	case 0: emit_chk(g, enc_j(0, 4), OP_JAL, -1, 4, true); break;
	case 1: emit_chk(g, c_j(2), OP_JAL, -1, 2, true); break;
	default: emit_chk(g, enc_b(0, 0, 0, 4), OP_BEQ, -1, 4, true); break;
	}
}

/* ---- floating point ---- */

enum { FK_FF, FK_F1, FK_XF, FK_FX, FK_FMA };

struct fop {
	uint16_t op_s; /* the S form; the D form is the same distance on */
	uint8_t f5;
	int8_t f3;  /* -1: a rounding mode */
	int8_t rs2; /* -1: a register */
	uint8_t kind;
};

static const struct fop fops[] = {
	{OP_FADD_S, 0x00, -1, -1, FK_FF},   {OP_FSUB_S, 0x01, -1, -1, FK_FF},
	{OP_FMUL_S, 0x02, -1, -1, FK_FF},   {OP_FDIV_S, 0x03, -1, -1, FK_FF},
	{OP_FSQRT_S, 0x0b, -1, 0, FK_F1},   {OP_FSGNJ_S, 0x04, 0, -1, FK_FF},
	{OP_FSGNJN_S, 0x04, 1, -1, FK_FF},  {OP_FSGNJX_S, 0x04, 2, -1, FK_FF},
	{OP_FMIN_S, 0x05, 0, -1, FK_FF},    {OP_FMAX_S, 0x05, 1, -1, FK_FF},
	{OP_FCVT_W_S, 0x18, -1, 0, FK_XF},  {OP_FCVT_WU_S, 0x18, -1, 1, FK_XF},
	{OP_FCVT_L_S, 0x18, -1, 2, FK_XF},  {OP_FCVT_LU_S, 0x18, -1, 3, FK_XF},
	{OP_FMV_X_W, 0x1c, 0, 0, FK_XF},    {OP_FEQ_S, 0x14, 2, -1, FK_XF},
	{OP_FLT_S, 0x14, 1, -1, FK_XF},	    {OP_FLE_S, 0x14, 0, -1, FK_XF},
	{OP_FCLASS_S, 0x1c, 1, 0, FK_XF},   {OP_FCVT_S_W, 0x1a, -1, 0, FK_FX},
	{OP_FCVT_S_WU, 0x1a, -1, 1, FK_FX}, {OP_FCVT_S_L, 0x1a, -1, 2, FK_FX},
	{OP_FCVT_S_LU, 0x1a, -1, 3, FK_FX}, {OP_FMV_W_X, 0x1e, 0, 0, FK_FX},
	{OP_FMADD_S, 0, -1, -1, FK_FMA},    {OP_FMSUB_S, 1, -1, -1, FK_FMA},
	{OP_FNMSUB_S, 2, -1, -1, FK_FMA},   {OP_FNMADD_S, 3, -1, -1, FK_FMA},
};

/* F and D arithmetic, every rounding mode (dynamic, and now and then a
 * reserved one: illegal), and the conversions between them */
static void gen_fp(struct gen *g)
{
	const struct fop *f = &fops[below(g, sizeof(fops) / sizeof(fops[0]))];
	bool d = chance(g, 50);
	unsigned fmt = d ? 1 : 0, op = f->op_s;
	unsigned rd = below(g, 32), rs1 = below(g, 32), rs2 = below(g, 32);
	unsigned rs3 = below(g, 32), rm;
	static const uint8_t rms[] = {0, 1, 2, 3, 4, 7, 7, 7, 7, 5, 6};

	rm = f->f3 >= 0 ? (unsigned)f->f3
			: rms[below(g, chance(g, 97) ? 9 : 11)];
	if (d)
		op += OP_FMADD_D - OP_FMADD_S;
	if (f->kind == FK_XF)
		rd = pick_rd(g);
	if (f->kind == FK_FX)
		rs1 = pick_src(g);
	if (f->rs2 >= 0)
		rs2 = (unsigned)f->rs2;
	if (chance(g, 6)) { /* fcvt.s.d / fcvt.d.s */
		emit(g, enc_r(0x53, rm, 0x08 << 2 | fmt, rd, rs1, d ? 0 : 1),
		     d ? OP_FCVT_D_S : OP_FCVT_S_D);
		return;
	}
	if (f->kind == FK_FMA)
		emit(g,
		     (0x43u + 4 * f->f5) | rd << 7 | rm << 12 | rs1 << 15 |
			     rs2 << 20 | fmt << 25 | rs3 << 27,
		     op);
	else
		emit(g,
		     enc_r(0x53, rm, (unsigned)f->f5 << 2 | fmt, rd, rs1, rs2),
		     op);
}

/* mstatus.FS off and on again (FP then traps as illegal), frm changes */
static void gen_fp_state(struct gen *g)
{
	unsigned rt = pick_free(g);
	unsigned csr = g->s->mode == PRV_M ? 0x300 : 0x100;

	if (g->s->mode == PRV_U || chance(g, 50)) {
		/* frm, sometimes reserved (5-7: dynamic rounding illegal) */
		unsigned rd = pick_rd(g);
		unsigned v = chance(g, 80) ? below(g, 5) : 5 + below(g, 3);
		emit(g, enc_i(0x73, 5, rd, v, 0x002), OP_CSRRWI);
		gen_boundary(g);
		if (v >= 5)
			g->fix_frm = true;
		return;
	}
	switch (below(g, 3)) {
	case 0:					       /* off */
		emit(g, enc_u(0x37, rt, 0x6), OP_LUI); /* FS: 0x6000 */
		emit(g, enc_i(0x73, 3, 0, rt, (int32_t)csr), OP_CSRRC);
		gen_boundary(g);
		filler(g, 2);
		if (chance(g, 60)) {
			/* illegal now: the block ends in a trap */
			if (chance(g, 50))
				gen_fp(g);
			else
				gen_fp_ldst(g);
			g->fix_fs = true;
		} else {
			emit(g, enc_i(0x73, 2, 0, rt, (int32_t)csr), OP_CSRRS);
		}
		break;
	default: /* Initial or Clean: the next FP write makes it Dirty */
		emit(g, enc_u(0x37, rt, chance(g, 50) ? 0x2 : 0x4), OP_LUI);
		emit(g, enc_i(0x73, 3, 0, rt, (int32_t)csr), OP_CSRRC);
		gen_boundary(g);
		filler(g, 2);
		if (chance(g, 50))
			gen_fp(g);
		else
			gen_fp_ldst(g);
		g->fix_fs = true; /* in case it trapped */
		break;
	}
}

/* at a block's start: undo what an earlier block left broken */
static void fix_fp_state(struct gen *g)
{
	if (g->fix_fs) {
		unsigned rt = pick_free(g);
		emit(g, enc_u(0x37, rt, 0x6), OP_LUI);
		emit(g,
		     enc_i(0x73, 2, 0, rt, g->s->mode == PRV_M ? 0x300 : 0x100),
		     OP_CSRRS);
		g->fix_fs = false;
	}
	if (g->fix_frm) {
		emit(g, enc_i(0x73, 5, 0, below(g, 5), 0x002), OP_CSRRWI);
		g->fix_frm = false;
	}
}

/* ---- system: CSRs, fences, traps ---- */

static void gen_sys_op(struct gen *g);

static void gen_sys(struct gen *g)
{
	gen_sys_op(g);
	if (chance(g, 50))
		gen_boundary(g);
}

static void gen_sys_op(struct gen *g)
{
	enum priv m = g->s->mode;
	unsigned rd = pick_rd(g), rs = pick_src(g);

	switch (below(g, 9)) {
	case 0: /* rdinstret / rdcycle: the retired count mid-block */
	case 1:
		emit(g, enc_i(0x73, 2, rd, 0, chance(g, 50) ? 0xc02 : 0xc00),
		     OP_CSRRS);
		break;
	case 2: /* minstret, M only */
		if (m == PRV_M)
			emit(g, enc_i(0x73, 2, rd, 0, 0xb02), OP_CSRRS);
		break;
	case 3: /* scratch registers */
		if (m == PRV_M)
			emit(g, enc_i(0x73, 1, rd, rs, 0x340), OP_CSRRW);
		else if (m == PRV_S) {
			unsigned k = below(g, 3);
			emit(g, enc_i(0x73, 1 + k, rd, rs, 0x140),
			     OP_CSRRW + k);
		}
		break;
	case 4: /* fflags / frm */
		if (chance(g, 50))
			emit(g, enc_i(0x73, 2, rd, 0, 0x001), OP_CSRRS);
		else
			emit(g, enc_i(0x73, 5, rd, rs % 5, 0x002), OP_CSRRWI);
		break;
	case 5:
		emit(g, enc_i(0x0f, 0, 0, 0, (int32_t)below(g, 256)), OP_FENCE);
		break;
	case 6: emit(g, 0x0000100f, OP_FENCE_I); break;
	case 7:
		if (m != PRV_U) {
			unsigned r1 = chance(g, 50) ? pick_src(g) : 0;
			unsigned r2 = chance(g, 30) ? pick_src(g) : 0;
			emit(g, 0x12000073u | r1 << 15 | r2 << 20,
			     OP_SFENCE_VMA);
		}
		break;
	default:
		if (m != PRV_U)
			emit(g, 0x10500073u, OP_WFI); /* no interrupt: exits */
		break;
	}
}

/* satp value for a root and ASID */
static void li_satp(struct gen *g, unsigned rt, uint64_t root, unsigned asid)
{
	unsigned ru;
	uint32_t ppn = (uint32_t)(root >> 12);

	do
		ru = pick_free(g);
	while (ru == rt);
	emit(g, enc_i(0x13, 0, rt, 0, SATP_MODE_SV39), OP_ADDI);
	emit(g, enc_i(0x13, 1, rt, rt, 16), OP_SLLI);
	emit(g, enc_i(0x13, 6, rt, rt, (int32_t)asid), OP_ORI);
	emit(g, enc_i(0x13, 1, rt, rt, 44), OP_SLLI);
	emit(g, enc_u(0x37, ru, ppn >> 12), OP_LUI);
	emit(g, enc_i(0x13, 0, ru, ru, (int32_t)(ppn & 0xfff)), OP_ADDI);
	emit(g, enc_r(0x33, 6, 0, rt, rt, ru), OP_OR);
}

/* translation context changes: satp (another root under other ASIDs),
 * sstatus.SUM, mstatus.MPRV with MPP=S (data MMU differs from fetch),
 * sfence.vma of a data page or the megapage */
static void gen_ctx(struct gen *g)
{
	enum priv m = g->s->mode;
	unsigned rt = pick_free(g);

	switch (below(g, 4)) {
	case 0: /* satp: S root under its ASID, or S2 under ASIDs 4..6 */
		if (m == PRV_U)
			break;
		if (chance(g, 50))
			li_satp(g, rt, ROOT_S, g->s->asid);
		else
			li_satp(g, rt, ROOT_S2, 4 + below(g, 3));
		emit(g, enc_i(0x73, 1, pick_rd(g), rt, 0x180), OP_CSRRW);
		if (chance(g, 30))
			emit(g, 0x12000073u, OP_SFENCE_VMA);
		gen_boundary(g);
		break;
	case 1: /* SUM on or off */
		if (m != PRV_S)
			break;
		emit(g, enc_u(0x37, rt, 0x40), OP_LUI); /* 1 << 18 */
		{
			bool set = chance(g, 50);
			emit(g, enc_i(0x73, set ? 2 : 3, 0, rt, 0x100),
			     set ? OP_CSRRS : OP_CSRRC);
		}
		gen_boundary(g);
		break;
	case 2: /* M: MPRV with MPP=S around a few accesses */
		if (m != PRV_M)
			break;
		emit(g, enc_u(0x37, rt, 0x1), OP_LUI); /* MPP bit 12 */
		emit(g, enc_i(0x73, 3, 0, rt, 0x300), OP_CSRRC);
		emit(g, enc_u(0x37, rt, 0x21), OP_LUI);
		emit(g, enc_i(0x13, 0, rt, rt, -2048), OP_ADDI); /* MPRV|MPP0 */
		emit(g, enc_i(0x73, 2, 0, rt, 0x300), OP_CSRRS);
		gen_boundary(g);
		{
			uint32_t saved = g->reserved;
			g->reserved |= 1u << rt;
			for (unsigned i = 0, n = 1 + below(g, 4); i < n; i++)
				gen_ldst(g, false);
			g->reserved = saved;
		}
		emit(g, enc_i(0x73, 3, 0, rt, 0x300), OP_CSRRC);
		break;
	default: { /* sfence.vma of a page we use */
		static const uint32_t pages[] = {0x2000, 0x3000, ALIAS_PA,
						 0x200000, 0x202000};
		if (m == PRV_U)
			break;
		int32_t va = (int32_t)pages[below(g, 5)];
		va += (int32_t)below(g, 4096);
		li32(g, rt, va);
		unsigned ra = 0;
		if (chance(g, 30)) {
			ra = pick_free(g);
			if (ra == rt)
				ra = 0;
			else
				emit(g,
				     enc_i(0x13, 0, ra, 0,
					   (int32_t)(g->s->asid +
						     below(g, 2) * 3)),
				     OP_ADDI);
		}
		emit(g, 0x12000073u | rt << 15 | ra << 20, OP_SFENCE_VMA);
		gen_boundary(g);
		break;
	}
	}
}

/* a loop long enough to use up the JIT's instruction budget (2^18 a run)
 * inside translated code */
static void gen_long_loop(struct gen *g)
{
	unsigned rc = pick_free(g);
	uint32_t saved = g->reserved;
	bool was_safe = g->safe;

	g->reserved |= 1u << rc;
	g->safe = true;
	li32(g, rc, 19000 + (int32_t)below(g, 21000));
	uint32_t top = g->pos;
	for (unsigned i = 0, n = 6 + below(g, 10); i < n; i++)
		if (chance(g, 25))
			gen_ldst(g, false);
		else
			gen_alu(g);
	emit(g, enc_i(0x13, 0, rc, rc, -1), OP_ADDI);
	int32_t d = (int32_t)top - (int32_t)g->pos;
	emit_chk(g, enc_b(1, rc, 0, d), OP_BNE, -1, d, true);
	g->reserved = saved;
	g->safe = was_safe;
}

static void gen_trap(struct gen *g)
{
	switch (below(g, 6)) {
	case 0: emit(g, 0x00000073u, OP_ECALL); break;
	case 1: emit(g, 0x00100073u, OP_EBREAK); break;
	case 2: emit(g, 0x9002u, OP_EBREAK); break; /* c.ebreak */
	case 3: emit(g, 0x00000000u, OP_ILLEGAL); break;
	case 4: emit(g, 0xffffffffu, OP_ILLEGAL); break;
	default: { /* write a read-only CSR (mhartid): illegal everywhere */
		unsigned rd = pick_rd(g), rs = pick_src(g);
		emit(g, enc_i(0x73, 1, rd, rs, 0xf14), OP_CSRRW);
		break;
	}
	}
}

/* ---- control flow ---- */

static void gen_unit(struct gen *g);

static void gen_body(struct gen *g, unsigned max)
{
	unsigned n = 1 + below(g, max);

	g->depth++;
	for (unsigned i = 0; i < n && room(g); i++)
		gen_unit(g);
	g->depth--;
}

static const uint8_t bf3[] = {0, 1, 4, 5, 6, 7};
static const uint16_t bop[] = {OP_BEQ, OP_BNE,	OP_BLT,
			       OP_BGE, OP_BLTU, OP_BGEU};

/* a forward branch over a few instructions */
static void gen_branch(struct gen *g)
{
	uint32_t at = g->pos;
	unsigned k = below(g, 6), ri;
	bool c = chance(g, 25);
	unsigned rs1 = c ? 8 + below(g, 8) : pick_src(g);
	unsigned rs2 = chance(g, 20) ? rs1 : pick_src(g);

	if (c) {
		/* c.beqz/c.bnez reach 256 bytes: a short plain body */
		ri = emit(g, c_b(k & 1, rs1, 2), k & 1 ? OP_BNE : OP_BEQ);
		for (unsigned i = 0, n = 1 + below(g, 4); i < n; i++)
			if (chance(g, 50))
				gen_c_alu(g);
			else
				gen_alu(g);
	} else {
		ri = emit(g, enc_b(bf3[k], rs1, rs2, 4), bop[k]);
		gen_body(g, 4);
	}
	int32_t d = (int32_t)(g->pos - at);
	if (c)
		repatch(g, ri, c_b(k & 1, rs1, d), k & 1 ? OP_BNE : OP_BEQ, d);
	else
		repatch(g, ri, enc_b(bf3[k], rs1, rs2, d), bop[k], d);
}

/* jal / c.j over dead code, or auipc + jalr (c.jr / c.jalr) forward */
static void gen_jump(struct gen *g)
{
	unsigned n = below(g, 3);

	if (chance(g, 50)) {
		uint32_t at = g->pos;
		bool c = chance(g, 30);
		unsigned rd = pick_rd(g);
		unsigned ri = c ? emit(g, c_j(2), OP_JAL)
				: emit(g, enc_j(rd, 4), OP_JAL);
		for (unsigned i = 0; i < n; i++)
			gen_alu(g); /* skipped */
		int32_t d = (int32_t)(g->pos - at);
		repatch(g, ri, c ? c_j(d) : enc_j(rd, d), OP_JAL, d);
		return;
	}
	unsigned rt = pick_free(g);
	uint32_t saved = g->reserved, at = g->pos;
	g->reserved |= 1u << rt;
	emit(g, enc_u(0x17, rt, 0), OP_AUIPC);
	filler(g, 2);
	if (chance(g, 30)) {
		/* auipc; addi rt, rt, target; c.jr / c.jalr rt */
		unsigned ai = emit(g, enc_i(0x13, 0, rt, rt, 0), OP_ADDI);
		/* c.jalr links in x1 */
		bool link = chance(g, 50) && !(g->reserved & 2u);
		emit(g, (link ? 0x9002u : 0x8002u) | rt << 7, OP_JALR);
		for (unsigned i = 0; i < n; i++)
			gen_alu(g);
		int32_t d = (int32_t)(g->pos - at);
		repatch(g, ai, enc_i(0x13, 0, rt, rt, d), OP_ADDI, d);
	} else {
		unsigned rd = chance(g, 20) ? rt : pick_rd(g);
		unsigned odd = below(g, 2); /* jalr clears bit 0 */
		unsigned ji = emit(g, enc_i(0x67, 0, rd, rt, 0), OP_JALR);
		for (unsigned i = 0; i < n; i++)
			gen_alu(g);
		int32_t d = (int32_t)(g->pos - at + odd);
		repatch(g, ji, enc_i(0x67, 0, rd, rt, d), OP_JALR, d);
	}
	g->reserved = saved;
}

/* a counted loop: chaining back into a block already translated */
static void gen_loop(struct gen *g)
{
	unsigned rc = pick_free(g);
	uint32_t saved = g->reserved;

	g->reserved |= 1u << rc;
	emit(g, enc_i(0x13, 0, rc, 0, 1 + (int32_t)below(g, 4)), OP_ADDI);
	uint32_t top = g->pos;
	gen_body(g, 6);
	emit(g, enc_i(0x13, 0, rc, rc, -1), OP_ADDI);
	int32_t d = (int32_t)top - (int32_t)g->pos;
	if (rc >= 8 && rc <= 15 && d >= -256 && chance(g, 30))
		emit_chk(g, c_b(true, rc, d), OP_BNE, -1, d, true);
	else if (chance(g, 50))
		emit_chk(g, enc_b(1, rc, 0, d), OP_BNE, -1, d, true);
	else /* blt x0, rc */
		emit_chk(g, enc_b(4, 0, rc, d), OP_BLT, -1, d, true);
	g->reserved = saved;
}

/* self-modifying code: overwrite an instruction that already ran (loop) or
 * is still ahead, fence.i, run it */
static void gen_smc(struct gen *g)
{
	unsigned rp = pick_free(g), rn, rc, op_new;
	uint32_t saved = g->reserved;

	g->reserved |= 1u << rp;
	rn = pick_free(g);
	g->reserved |= 1u << rn;
	rc = pick_free(g);
	g->reserved |= 1u << rc;

	/* the replacement: any ALU op (sometimes one the JIT leaves to the
	 * interpreter), writing a register the loop does not need */
	uint32_t nw = alu_random(g, &op_new);
	uint32_t p0 = g->pos;
	emit(g, enc_u(0x17, rp, 0), OP_AUIPC);
	li32(g, rn, (int32_t)nw);
	if (chance(g, 70)) {
		/* X runs, gets overwritten, runs again */
		emit(g, enc_i(0x13, 0, rc, 0, 2 + (int32_t)below(g, 2)),
		     OP_ADDI);
		uint32_t top = g->pos;
		filler(g, 2);
		uint32_t x = g->pos;
		unsigned op_old;
		uint32_t old = alu_random(g, &op_old);
		emit(g, old, op_old);
		filler(g, 2);
		emit(g, enc_s(0x23, 2, rp, rn, (int32_t)(x - p0)), OP_SW);
		if (chance(g, 90))
			emit(g, 0x0000100f, OP_FENCE_I);
		emit(g, enc_i(0x13, 0, rc, rc, -1), OP_ADDI);
		int32_t d = (int32_t)top - (int32_t)g->pos;
		emit_chk(g, enc_b(1, rc, 0, d), OP_BNE, -1, d, true);
	} else {
		/* store over an instruction further on, then reach it */
		unsigned si = emit(g, enc_s(0x23, 2, rp, rn, 0), OP_SW);
		if (chance(g, 90))
			emit(g, 0x0000100f, OP_FENCE_I);
		filler(g, 3);
		uint32_t y = g->pos;
		unsigned op_old;
		uint32_t old = alu_random(g, &op_old);
		emit(g, old, op_old);
		repatch(g, si, enc_s(0x23, 2, rp, rn, (int32_t)(y - p0)), OP_SW,
			(int32_t)(y - p0));
	}
	g->reserved = saved;
}

static void gen_unit(struct gen *g)
{
	const struct focus *f = g->fo;
	unsigned w[] = {f->w_alu,  f->w_li,  f->w_mem,	 f->w_branch, f->w_jump,
			f->w_loop, f->w_smc, f->w_sys,	 f->w_trap,   f->w_fp,
			f->w_c,	   f->w_div, f->w_shift, f->w_base,   f->w_ctx};
	unsigned total = 0, k;

	if (g->depth > 1) {
		/* nested: nothing with its own control flow */
		w[3] = w[4] = w[5] = w[6] = 0;
	}
	for (k = 0; k < sizeof(w) / sizeof(w[0]); k++)
		total += w[k];
	unsigned r = below(g, total);
	for (k = 0; r >= w[k]; k++)
		r -= w[k];
	switch (k) {
	case 0:
		if (chance(g, 4))
			gen_boundary(g);
		else
			gen_alu(g);
		break;
	case 1: gen_li(g); break;
	case 2: gen_mem(g, false); break;
	case 3: gen_branch(g); break;
	case 4: gen_jump(g); break;
	case 5: gen_loop(g); break;
	case 6: gen_smc(g); break;
	case 7: gen_sys(g); break;
	case 8: gen_trap(g); break;
	case 9:
		if (chance(g, 8))
			gen_fp_state(g);
		else
			gen_fp(g);
		break;
	case 10:
		if (chance(g, 60))
			gen_c_alu(g);
		else
			gen_c_ldst(g);
		break;
	case 11: gen_div(g); break;
	case 12: gen_shift(g); break;
	case 13: gen_mem(g, true); break;
	default: gen_ctx(g); break;
	}
}

static const enum priv any_mode[] = {PRV_M, PRV_S, PRV_U};

static void gen_stream(struct stream *s, const struct focus *fo, uint64_t seed)
{
	struct gen g = {.s = s, .fo = fo, .rng = seed};

	s->seed = seed;
	s->mode = fo->mode == MIXED ? any_mode[below(&g, 3)] : fo->mode;
	s->asid = (uint16_t)(1 + below(&g, 3));
	s->va = CODE_BASE + (uint64_t)below(&g, CODE_PAGES - 4) * 4096;
	s->va += 2 * below(&g, 2048);
	s->nrecs = 0;
	s->nblocks = 0;
	for (unsigned i = 1; i < 32; i++)
		s->x[i] = interesting64(&g);
	s->x[0] = 0;
	for (unsigned i = 0; i < 32; i++)
		s->f[i] = interesting_fp(&g);
	s->mscratch = rnd(&g);
	s->sscratch = rnd(&g);
	for (unsigned i = 0; i < LOW_SIZE; i += 8) {
		uint64_t v = rnd(&g);
		memcpy(&s->low[i], &v, 8);
	}
	for (unsigned i = 0; i < 4096; i += 8) {
		uint64_t v = rnd(&g);
		memcpy(&s->alias[i], &v, 8);
	}
	memset(s->code, 0, sizeof(s->code));

	unsigned nb = 6 + below(&g, 20);
	for (unsigned b = 0; b < nb && b < MAX_BLOCKS && room(&g); b++) {
		struct block *bl = &s->blocks[s->nblocks++];
		unsigned units = 3 + below(&g, 22);
		bl->start = g.pos;
		bl->first = s->nrecs;
		g.reserved = 0;
		fix_fp_state(&g);
		if (fo->long_loops && b % 3 == 1)
			gen_long_loop(&g);
		for (unsigned u = 0; u < units && room(&g); u++)
			gen_unit(&g);
		emit(&g, TERMINATOR, OP_SB);
		bl->end = g.pos;
		bl->n = s->nrecs - bl->first;
	}
	s->len = g.pos;
}

/* ---- machines ---- */

static void code_hook(void *opaque, uint64_t gpa_page)
{
	hart_code_written(opaque, gpa_page);
}

static void both_write(struct fx *fx, uint64_t gpa, const void *p, uint64_t len)
{
	for (int i = 0; i < 2; i++)
		assert_true(gmem_write(&fx->m[i].mem, gpa, p, len));
}

/* Sv39 tables for S (no U bit) and U (U bit everywhere), built host-side */
static uint64_t pt[PT_PAGES][512];
static unsigned pt_used;

static uint64_t pt_new(void)
{
	assert_true(pt_used < PT_PAGES);
	memset(pt[pt_used], 0, sizeof(pt[0]));
	return PT_BASE + 4096ull * pt_used++;
}

static uint64_t *pt_host(uint64_t gpa)
{
	return pt[(gpa - PT_BASE) / 4096];
}

static void pt_map(uint64_t root, uint64_t va, uint64_t pa, int leaf_level,
		   uint64_t flags)
{
	uint64_t table = root;

	for (int lvl = 2; lvl > leaf_level; lvl--) {
		uint64_t *e = &pt_host(table)[(va >> (12 + 9 * lvl)) & 0x1ff];
		if (!(*e & PTE_V))
			*e = (pt_new() >> 12) << 10 | PTE_V;
		table = (*e >> 10) << 12;
	}
	pt_host(table)[(va >> (12 + 9 * leaf_level)) & 0x1ff] =
		(pa >> 12) << 10 | flags;
}

static void build_tables(struct fx *fx)
{
	const uint64_t rw = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;

	pt_used = 0;
	assert_true(pt_new() == ROOT_S);
	assert_true(pt_new() == ROOT_U);
	assert_true(pt_new() == ROOT_S2);
	for (int k = 0; k < 3; k++) {
		static const uint64_t roots[] = {ROOT_S, ROOT_U, ROOT_S2};
		uint64_t root = roots[k];
		uint64_t uf = k == 1 ? PTE_U : 0;
		bool straight = k == 2;
		pt_map(root, 0x0000, 0x0000, 0, rw | uf);
		pt_map(root, 0x1000, 0x1000, 0, rw | uf);
		/* crosswise (straight in S2) */
		pt_map(root, 0x2000, straight ? 0x2000 : 0x3000, 0, rw | uf);
		pt_map(root, 0x3000, straight ? 0x3000 : 0x2000, 0, rw | uf);
		/* 0x4000 unmapped */
		pt_map(root, 0x5000, MMIO_PA, 0, rw | uf);
		pt_map(root, 0x6000, 0x2000, 0,
		       PTE_V | PTE_R | PTE_A | uf); /* read-only alias */
		pt_map(root, ALIAS_PA, ALIAS_PA, 0, rw | uf);
		pt_map(root, 0x200000, 0x0, 1, rw | uf); /* megapage */
		for (unsigned i = 0; i < CODE_PAGES; i++)
			pt_map(root, CODE_BASE + 4096ull * i,
			       CODE_BASE + 4096ull * i, 0, rw | PTE_X | uf);
	}
	for (unsigned i = 0; i < pt_used; i++)
		both_write(fx, PT_BASE + 4096ull * i, pt[i], 4096);
}

static bool have_jit;

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->s = calloc(1, sizeof(*fx->s));
	assert_non_null(fx->s);
	for (int i = 0; i < 2; i++) {
		struct machine *m = &fx->m[i];
		assert_int_equal(gmem_init(&m->mem), 0);
		assert_int_equal(gmem_add_ram(&m->mem, 0, LOW_SIZE), 0);
		assert_int_equal(gmem_add_ram(&m->mem, ALIAS_PA, 4096), 0);
		assert_int_equal(gmem_add_ram(&m->mem, RAM_BASE, RAM_SIZE), 0);
		gmem_set_page_flag(&m->mem, 0, GPAGE_WATCH);
		vclock_init(&m->clock);
		m->h = calloc(1, sizeof(*m->h));
		assert_non_null(m->h);
		assert_int_equal(hart_init(m->h, 0, &m->mem, &m->clock), 0);
		m->mem.code_write_hook = code_hook;
		m->mem.code_write_opaque = m->h;
	}
	fx->m[0].h->jit = jit_new();
	have_jit = fx->m[0].h->jit != NULL;
	build_tables(fx);
	/* the trap handler: report, then return to wherever mepc says */
	uint32_t handler[2] = {TRAP_EXIT, MRET};
	both_write(fx, HANDLER, handler, sizeof(handler));
	/* one hart_run each, so the harts are fully set up (the code cache
	 * learns its handlers there) before prime_remap() calls jit_run() */
	for (int i = 0; i < 2; i++) {
		fx->m[i].h->pc = HANDLER;
		assert_int_equal(hart_run(fx->m[i].h), EXIT_WATCH);
	}
	*state = fx;
	return 0;
}

static void stop_kicks(struct fx *fx);

static int teardown(void **state)
{
	struct fx *fx = *state;

	stop_kicks(fx); /* a failed test longjmps past its own cleanup */
	for (int i = 0; i < 2; i++) {
		hart_destroy(fx->m[i].h);
		free(fx->m[i].h);
		gmem_destroy(&fx->m[i].mem);
	}
	free(fx->snap);
	free(fx->s);
	free(fx);
	return 0;
}

static void csr_w(struct hart *h, unsigned csr, uint64_t v)
{
	if (!hart_csr_write(h, csr, v))
		fail_msg("cannot write CSR 0x%x", csr);
}

/* put machine m in the stream's starting state: M-mode at the handler's
 * mret, which enters the stream's mode at its first instruction */
static void load_stream(struct fx *fx, struct machine *m)
{
	struct stream *s = fx->s;
	struct hart *h = m->h;
	uint64_t satp = 0;

	hart_set_priv(h, PRV_M);
	csr_w(h, CSR_PMPADDR0, (1ull << 54) - 1);
	csr_w(h, CSR_PMPCFG0, 0x1f); /* NAPOT, everything, RWX */
	csr_w(h, CSR_MSTATUS,
	      (uint64_t)s->mode << MSTATUS_MPP_SHIFT | MSTATUS_FS);
	if (s->mode != PRV_M || (s->seed & 1))
		satp = (uint64_t)SATP_MODE_SV39 << 60 |
		       (uint64_t)s->asid << 44 |
		       (s->mode == PRV_U ? ROOT_U : ROOT_S) >> 12;
	csr_w(h, CSR_SATP, satp);
	csr_w(h, CSR_MTVEC, HANDLER);
	csr_w(h, CSR_MEDELEG, 0);
	csr_w(h, CSR_MIE, 0);
	csr_w(h, CSR_MCOUNTEREN, 5); /* CY, IR: not TM (time differs) */
	csr_w(h, CSR_SCOUNTEREN, 5);
	csr_w(h, CSR_MENVCFG, MENVCFG_CBZE);
	csr_w(h, CSR_SENVCFG, MENVCFG_CBZE);
	csr_w(h, CSR_MSCRATCH, s->mscratch);
	csr_w(h, CSR_SSCRATCH, s->sscratch);
	csr_w(h, CSR_FCSR, 0);
	csr_w(h, CSR_MEPC, s->va);
	memcpy(h->x, s->x, sizeof(s->x));
	memcpy(h->f, s->f, sizeof(s->f));
	h->resv_addr = ~0ull;
	h->instret = h->cycle = h->executed = 0;
	h->mcause = h->mtval = 0;
	h->pc = HANDLER + 4;
	assert_true(gmem_write(&m->mem, 0, s->low, LOW_SIZE));
	assert_true(gmem_write(&m->mem, ALIAS_PA, s->alias, 4096));
	assert_true(gmem_write(&m->mem, s->va, s->code, s->len));
}

/* ---- snapshots (the state at a block's start) ---- */

struct snap {
	uint64_t x[32], f[32], pc, mstatus, mepc, mcause, mtval, mscratch,
		sscratch, instret, cycle, executed;
	uint32_t fflags, frm;
	enum priv priv;
	uint8_t low[LOW_SIZE], alias[4096], code[CODE_SPAN];
};

static void take_snap(struct fx *fx)
{
	struct hart *h = fx->m[1].h;
	struct snap *p = fx->snap;

	memcpy(p->x, h->x, sizeof(p->x));
	memcpy(p->f, h->f, sizeof(p->f));
	p->pc = h->pc;
	p->mstatus = h->mstatus;
	p->mepc = h->mepc;
	p->mcause = h->mcause;
	p->mtval = h->mtval;
	p->mscratch = h->mscratch;
	p->sscratch = h->sscratch;
	p->instret = h->instret;
	p->cycle = h->cycle;
	p->executed = h->executed;
	p->fflags = h->fflags;
	p->frm = h->frm;
	p->priv = h->priv;
	assert_true(gmem_read(&fx->m[1].mem, 0, p->low, LOW_SIZE));
	assert_true(gmem_read(&fx->m[1].mem, ALIAS_PA, p->alias, 4096));
	assert_true(gmem_read(&fx->m[1].mem, fx->s->va, p->code, fx->s->len));
}

static void restore_snap(struct fx *fx, struct machine *m, const uint8_t *code)
{
	struct hart *h = m->h;
	const struct snap *p = fx->snap;

	memcpy(h->x, p->x, sizeof(p->x));
	h->x[0] = 0;
	memcpy(h->f, p->f, sizeof(p->f));
	h->pc = p->pc;
	h->mstatus = p->mstatus;
	h->mepc = p->mepc;
	h->mcause = p->mcause;
	h->mtval = p->mtval;
	h->mscratch = p->mscratch;
	h->sscratch = p->sscratch;
	h->instret = p->instret;
	h->cycle = p->cycle;
	h->executed = p->executed;
	h->fflags = p->fflags;
	h->frm = p->frm;
	h->resv_addr = ~0ull;
	/* Leave no event pending (hart_set_priv would post EV_IRQ, a code
	 * write for a hart not "current" EV_CODE): with one, the first block
	 * boundary goes to check_events and the interpreter runs on where
	 * the JIT ran the first time. */
	h->priv = p->priv;
	mmu_update_index(h);
	hart_set_current(h); /* invalidate its code at once */
	assert_true(gmem_write(&m->mem, 0, p->low, LOW_SIZE));
	assert_true(gmem_write(&m->mem, ALIAS_PA, p->alias, 4096));
	assert_true(gmem_write(&m->mem, fx->s->va, code, fx->s->len));
}

/* ---- comparing ---- */

struct report {
	char buf[4096];
	size_t n;
};

static void rep(struct report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->n >= sizeof(r->buf) - 1)
		return;
	va_start(ap, fmt);
	int k = vsnprintf(r->buf + r->n, sizeof(r->buf) - r->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		r->n += (size_t)k;
	if (r->n >= sizeof(r->buf))
		r->n = sizeof(r->buf) - 1;
}

#define CMP(field, name)                                                       \
	do {                                                                   \
		if ((uint64_t)a->field != (uint64_t)b->field) {                \
			rep(r, "  %-9s jit 0x%016llx  interp 0x%016llx\n",     \
			    name, (unsigned long long)a->field,                \
			    (unsigned long long)b->field);                     \
			bad = true;                                            \
		}                                                              \
	} while (0)

static bool cmp_mem(struct fx *fx, uint64_t gpa, uint64_t len, struct report *r)
{
	const uint8_t *pa = gmem_ptr(&fx->m[0].mem, gpa, len);
	const uint8_t *pb = gmem_ptr(&fx->m[1].mem, gpa, len);

	assert_non_null(pa);
	assert_non_null(pb);
	if (!memcmp(pa, pb, len))
		return false;
	for (uint64_t i = 0; i < len; i++)
		if (pa[i] != pb[i]) {
			uint64_t o = i & ~7ull;
			uint64_t va = 0, vb = 0;
			memcpy(&va, pa + o, o + 8 <= len ? 8 : len - o);
			memcpy(&vb, pb + o, o + 8 <= len ? 8 : len - o);
			rep(r,
			    "  mem[0x%llx] jit 0x%016llx  interp 0x%016llx\n",
			    (unsigned long long)(gpa + o),
			    (unsigned long long)va, (unsigned long long)vb);
			break;
		}
	return true;
}

/* true if the two harts differ after an exit `ra` / `rb` */
static bool differ(struct fx *fx, enum exit_reason ra, enum exit_reason rb,
		   struct report *r)
{
	const struct hart *a = fx->m[0].h, *b = fx->m[1].h;
	bool bad = false;
	char name[8];

	if (ra != rb) {
		rep(r, "  exit      jit %s  interp %s\n", exit_reason_names[ra],
		    exit_reason_names[rb]);
		bad = true;
	} else if (ra == EXIT_MMIO) {
		CMP(exit.mmio.addr, "mmio addr");
		CMP(exit.mmio.size, "mmio size");
		CMP(exit.mmio.is_write, "mmio wr");
		if (a->exit.mmio.is_write)
			CMP(exit.mmio.data, "mmio data");
	} else if (ra == EXIT_WATCH) {
		CMP(exit.watch_addr, "watch");
	}
	CMP(pc, "pc");
	CMP(priv, "priv");
	for (int i = 1; i < 32; i++) {
		snprintf(name, sizeof(name), "x%d", i);
		CMP(x[i], name);
	}
	for (int i = 0; i < 32; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		CMP(f[i], name);
	}
	CMP(instret, "instret");
	CMP(cycle, "cycle");
	CMP(executed, "executed");
	CMP(mstatus, "mstatus");
	CMP(mepc, "mepc");
	CMP(mcause, "mcause");
	CMP(mtval, "mtval");
	CMP(mscratch, "mscratch");
	CMP(sscratch, "sscratch");
	CMP(fflags, "fflags");
	CMP(frm, "frm");
	bad |= cmp_mem(fx, 0, LOW_SIZE, r);
	bad |= cmp_mem(fx, ALIAS_PA, 4096, r);
	bad |= cmp_mem(fx, fx->s->va, fx->s->len, r);
	return bad;
}

/* ---- running ---- */

static uint64_t mmio_value(uint64_t addr)
{
	uint64_t z = addr * 0x9e3779b97f4a7c15ull;
	return z ^ (z >> 29);
}

static int block_of(const struct stream *s, uint64_t pc)
{
	for (unsigned i = 0; i < s->nblocks; i++)
		if (pc >= s->va + s->blocks[i].start &&
		    pc < s->va + s->blocks[i].end)
			return (int)i;
	return -1;
}

enum run_result { RUN_OK, RUN_DIFF, RUN_STUCK };

/* Run both harts in lockstep until the stream ends (or, when `only` >= 0,
 * until block `only` ends or traps). Snapshots each block start when
 * `snaps` is set. */
static enum run_result run(struct fx *fx, int only, bool snaps,
			   struct report *r)
{
	struct stream *s = fx->s;
	unsigned limit = 40 * MAX_BLOCKS + 4 * s->nrecs;

	for (unsigned iter = 0; iter < limit; iter++) {
		enum exit_reason ra, rb;
		/* a kick (EXIT_REQUEST) is invisible to the guest: go on */
		while ((ra = hart_run(fx->m[0].h)) == EXIT_REQUEST)
			fx->n_kicks++;
		rb = hart_run(fx->m[1].h);
		struct hart *h = fx->m[1].h;

		if (only < 0)
			fx->n_exits[rb]++;
		if (differ(fx, ra, rb, r))
			return RUN_DIFF;
		switch (rb) {
		case EXIT_MMIO: {
			uint64_t addr = h->exit.mmio.addr;
			bool ok = (addr & 0xf00) != 0xf00;
			for (int i = 0; i < 2; i++)
				hart_complete_mmio(fx->m[i].h, mmio_value(addr),
						   ok);
			break;
		}
		case EXIT_WFI:
			for (int i = 0; i < 2; i++)
				hart_complete_wfi(fx->m[i].h);
			break;
		case EXIT_WATCH: {
			int bi;
			uint64_t wa = h->exit.watch_addr;
			if (wa == 8 && h->pc == HANDLER + 4) { /* a trap */
				bi = block_of(s, h->mepc);
				if (bi < 0) {
					rep(r,
					    "  trap from outside the "
					    "stream: mepc 0x%llx mcause "
					    "%llu\n",
					    (unsigned long long)h->mepc,
					    (unsigned long long)h->mcause);
					return RUN_STUCK;
				}
				if (only < 0) {
					fx->n_traps++;
					fx->n_cause[h->mcause & 15]++;
				}
				if (only >= 0 || (unsigned)bi + 1 == s->nblocks)
					return RUN_OK;
				for (int i = 0; i < 2; i++)
					fx->m[i].h->mepc =
						s->va + s->blocks[bi + 1].start;
			} else if (wa == 0) { /* a terminator */
				bi = block_of(s, h->pc - 4);
				if (bi >= 0 && only == bi)
					return RUN_OK; /* (perhaps cut short) */
				if (bi < 0 ||
				    h->pc != s->va + s->blocks[bi].end) {
					rep(r,
					    "  terminator out of place: pc "
					    "0x%llx\n",
					    (unsigned long long)h->pc);
					return RUN_STUCK;
				}
				if (only < 0)
					fx->n_blocks++;
				if ((unsigned)bi + 1 == s->nblocks)
					return RUN_OK;
			} else {
				/* the stream stored to the watched page */
				break;
			}
			fx->cur_block = (unsigned)bi + 1;
			if (snaps)
				take_snap(fx);
			break;
		}
		default:
			rep(r, "  unexpected exit %s\n", exit_reason_names[rb]);
			return RUN_STUCK;
		}
	}
	rep(r, "  no end after %u exits\n", limit);
	return RUN_STUCK;
}

static void print_insn(const struct stream *s, const struct rec *rc,
		       const char *mark)
{
	struct insn in;

	insn_decode(&in, rc->raw);
	fprintf(stderr,
		"    %08llx: %0*x  %-10s rd=x%u rs1=x%u rs2=x%u imm=%d%s\n",
		(unsigned long long)(s->va + rc->off), rc->len == 2 ? 4 : 8,
		rc->raw, insn_op_names[in.op], in.rd == 32 ? 0 : in.rd, in.rs1,
		in.rs2, in.imm, mark);
}

static void print_block(const struct stream *s, unsigned bi, int mark)
{
	const struct block *b = &s->blocks[bi];

	fprintf(stderr, "  block %u (%u instructions, 0x%llx..0x%llx):\n", bi,
		b->n, (unsigned long long)(s->va + b->start),
		(unsigned long long)(s->va + b->end));
	for (unsigned i = 0; i < b->n; i++)
		print_insn(s, &s->recs[b->first + i],
			   (int)i == mark ? "   <== last before divergence"
					  : "");
}

/* Replay block bi from its snapshot with recs k.. replaced by terminators
 * (c.nop for 2-byte slots), for k = 1, 2, ...: the first k whose run
 * differs names recs[k-1]. Returns that index within the block, or -1. */
static int bisect(struct fx *fx, unsigned bi, struct report *out)
{
	struct stream *s = fx->s;
	const struct block *b = &s->blocks[bi];
	uint8_t *code = malloc(CODE_SPAN);

	assert_non_null(code);
	for (unsigned k = 1; k <= b->n; k++) {
		struct report r = {.n = 0};
		memcpy(code, fx->snap->code, s->len);
		for (unsigned j = k; j + 1 < b->n; j++) {
			const struct rec *rc = &s->recs[b->first + j];
			uint32_t t = rc->len == 2 ? C_NOP : TERMINATOR;
			for (unsigned i = 0; i < rc->len; i++)
				code[rc->off + i] = (uint8_t)(t >> (8 * i));
		}
		for (int i = 0; i < 2; i++)
			restore_snap(fx, &fx->m[i], code);
		if (run(fx, (int)bi, false, &r) == RUN_DIFF) {
			*out = r;
			free(code);
			return (int)k - 1;
		}
	}
	free(code);
	return -1;
}

static void fail_stream(struct fx *fx, const struct focus *fo, struct report *r,
			enum run_result why)
{
	struct stream *s = fx->s;
	unsigned bi = fx->cur_block < s->nblocks ? fx->cur_block : 0;

	fprintf(stderr,
		"\njit_diff: %s: seed 0x%llx (%s-mode, %u blocks) %s in "
		"block %u; reproduce with JIT_DIFF_SEED=0x%llx\n",
		fo->name, (unsigned long long)s->seed, mode_names[s->mode],
		s->nblocks,
		why == RUN_DIFF ? "JIT and interpreter differ"
				: "stream did not finish",
		bi, (unsigned long long)s->seed);
	fprintf(stderr, "%s", r->buf);
	if (why == RUN_DIFF) {
		struct report br = {.n = 0};
		int k = bisect(fx, bi, &br);
		if (k >= 0) {
			fprintf(stderr,
				"  replayed from the block's start, the harts "
				"first differ after instruction %d:\n",
				k);
			print_insn(s, &s->recs[s->blocks[bi].first + k], "");
			fprintf(stderr, "%s", br.buf);
		} else {
			fprintf(stderr, "  (replaying the block alone does "
					"not reproduce it: it depends on "
					"earlier translations)\n");
		}
		print_block(s, bi, k);
	} else {
		print_block(s, bi, -1);
	}
	fail_msg("jit_diff %s: seed 0x%llx", fo->name,
		 (unsigned long long)s->seed);
}

/* ---- kicks from another thread ---- */

static void *kick_loop(void *arg)
{
	struct kicker *k = arg;
	struct gen g = {.rng = k->seed};

	while (!atomic_load(&k->stop)) {
		hart_kick(k->h);
		/* a few microseconds: many kicks per stream, at varying
		 * points of the translated code */
		for (unsigned i = below(&g, 2000); i; i--)
			__asm__ volatile("" ::: "memory");
		if (chance(&g, 10))
			usleep(1);
	}
	return NULL;
}

static void stop_kicks(struct fx *fx)
{
	if (!fx->kick.running)
		return;
	atomic_store(&fx->kick.stop, true);
	pthread_join(fx->kick.thread, NULL);
	fx->kick.running = false;
	/* a kick may still be pending: consume it */
	atomic_fetch_and(&fx->m[0].h->events, ~(uint32_t)EV_KICK);
}

static char alarm_msg[160];

static void on_alarm(int sig)
{
	(void)sig;
	ssize_t w = write(2, alarm_msg, strlen(alarm_msg));
	(void)w;
	_exit(3);
}

/* Make the JIT hart's translator keep 10 random guest registers in host
 * registers. The JIT learns its register assignment at budget exits: each
 * samples the running block's register uses, and every 2048 samples a
 * clearly better set replaces the current one (everything is translated
 * again). A run with no budget left leaves at the first block entry having
 * retired nothing, so calling jit_run() with h->jit_budget = 0 on a block
 * of additions among the chosen registers samples that block without
 * changing any architectural state. */
static void prime_remap(struct fx *fx, uint64_t seed)
{
	struct hart *h = fx->m[0].h;
	struct gen g = {.s = fx->s, .rng = seed ^ 0x5eed};
	uint8_t regs[JIT_PINS];
	uint32_t code[25];
	unsigned n = 0;
	uint64_t before = jit_get_stats(h->jit)->remaps;

	while (n < JIT_PINS) {
		uint8_t r = (uint8_t)(1 + below(&g, 31));
		bool dup = false;
		for (unsigned i = 0; i < n; i++)
			dup |= regs[i] == r;
		if (!dup)
			regs[n++] = r;
	}
	for (unsigned i = 0; i < 24; i++) {
		unsigned rd = regs[below(&g, JIT_PINS)];
		unsigned rs1 = regs[below(&g, JIT_PINS)];
		unsigned rs2 = regs[below(&g, JIT_PINS)];
		code[i] = enc_r(0x33, 0, 0, rd, rs1, rs2); /* add */
	}
	code[24] = enc_j(0, -96); /* back to the start */
	both_write(fx, PRIME, code, sizeof(code));

	uint64_t pc = h->pc;
	enum priv priv = h->priv;
	h->priv = PRV_M;
	mmu_update_index(h);
	hart_set_current(h);
	hart_process_code_invalidations(h);
	/* no interrupt is enabled: a pending EV_IRQ check is moot, and any
	 * event would make translated code leave before its budget check */
	atomic_store(&h->events, 0);
	for (unsigned i = 0; i < 3 * 2048; i++) {
		h->pc = PRIME;
		h->jit_budget = 0;
		enum jit_exit why = jit_run(h);
		assert_int_equal(why, JIT_EXIT_BUDGET);
		assert_int_equal(h->pc, PRIME);
		if (jit_get_stats(h->jit)->remaps != before)
			break;
	}
	h->pc = pc;
	h->priv = priv;
	mmu_update_index(h);
	fx->n_remaps += jit_get_stats(h->jit)->remaps - before;
}

static void run_one(struct fx *fx, const struct focus *fo, uint64_t seed)
{
	struct report r = {.n = 0};
	enum run_result res;

	gen_stream(fx->s, fo, seed);
	for (int i = 0; i < 2; i++)
		load_stream(fx, &fx->m[i]);
	if (fo->remap)
		prime_remap(fx, seed);
	snprintf(alarm_msg, sizeof(alarm_msg),
		 "\njit_diff: %s: seed 0x%llx hangs (a hart never exits)\n",
		 fo->name, (unsigned long long)seed);
	alarm(60);
	fx->cur_block = 0;
	/* the snapshot of block 0: the state at the handler's mret */
	take_snap(fx);
	res = run(fx, -1, true, &r);
	alarm(0);
	if (res != RUN_OK)
		fail_stream(fx, fo, &r, res);
	fx->n_streams++;
	fx->n_insns += fx->s->nrecs;
	fx->n_executed += fx->m[1].h->executed;
}

static void run_focus(void **state, const struct focus *fo)
{
	struct fx *fx = *state;
	const char *env = getenv("JIT_DIFF_SEED");
	const char *scale = getenv("JIT_DIFF_SCALE");
	unsigned n = fo->streams * (scale ? (unsigned)atoi(scale) : 1);

	if (!have_jit) {
		print_message("no JIT on this host (jit_new() returned NULL): "
			      "skipping the JIT/interpreter comparison\n");
		skip();
	}
	fx->snap = calloc(1, sizeof(*fx->snap));
	assert_non_null(fx->snap);
	signal(SIGALRM, on_alarm);
	if (fo->kicks) {
		fx->kick.h = fx->m[0].h;
		fx->kick.seed = fo->test_id;
		atomic_store(&fx->kick.stop, false);
		assert_int_equal(pthread_create(&fx->kick.thread, NULL,
						kick_loop, &fx->kick),
				 0);
		fx->kick.running = true;
	}
	if (env) {
		uint64_t seed = strtoull(env, NULL, 0);
		if ((seed >> 32) != fo->test_id)
			return; /* another test's seed */
		run_one(fx, fo, seed);
	} else {
		for (unsigned i = 0; i < n; i++)
			run_one(fx, fo, (uint64_t)fo->test_id << 32 | i);
	}
	stop_kicks(fx);

	const struct jit_stats *js = jit_get_stats(fx->m[0].h->jit);
	if (getenv("JIT_DIFF_VERBOSE")) {
		print_message(
			"%s: %llu streams, %llu blocks, %llu instructions "
			"(%llu executed), %llu traps, exits mmio %llu wfi %llu "
			"watch %llu, kicks %llu, register remaps %llu\n",
			fo->name, (unsigned long long)fx->n_streams,
			(unsigned long long)fx->n_blocks,
			(unsigned long long)fx->n_insns,
			(unsigned long long)fx->n_executed,
			(unsigned long long)fx->n_traps,
			(unsigned long long)fx->n_exits[EXIT_MMIO],
			(unsigned long long)fx->n_exits[EXIT_WFI],
			(unsigned long long)fx->n_exits[EXIT_WATCH],
			(unsigned long long)fx->n_kicks,
			(unsigned long long)fx->n_remaps);
		print_message("  JIT: %llu blocks (%llu insns), %llu chains, "
			      "%llu pages invalidated, %llu flushes; exits by "
			      "reason:",
			      (unsigned long long)js->blocks,
			      (unsigned long long)js->insns,
			      (unsigned long long)js->chains,
			      (unsigned long long)js->inval_pages,
			      (unsigned long long)js->flushes);
		for (size_t i = 0; i < sizeof(js->exits) / sizeof(js->exits[0]);
		     i++)
			print_message(" %llu",
				      (unsigned long long)js->exits[i]);
		print_message("\n  trap causes:");
		for (int i = 0; i < 16; i++)
			if (fx->n_cause[i])
				print_message(
					" %d:%llu", i,
					(unsigned long long)fx->n_cause[i]);
		print_message("\n");
	}
	if (fo->remap && fx->n_streams >= 4 && fx->n_remaps == 0) {
		print_message("%s: the JIT never changed its host registers "
			      "(did the remap heuristic change?)\n",
			      fo->name);
		fail();
	}
	/* the comparison means nothing if translated code never ran */
	if (fx->n_streams >= 4) {
		assert_true(js->blocks > 0);
		assert_true(js->chains > 0 || fo->w_loop + fo->w_branch == 0);
	}
}

/* ---- the tests ---- */

#define BASE_MIX                                                               \
	.p_x0 = 6, .p_jit = 50, .w_alu = 40, .w_li = 6, .w_mem = 18,           \
	.w_branch = 6, .w_jump = 3, .w_loop = 3, .w_sys = 4, .w_trap = 1,      \
	.w_fp = 5, .w_c = 8, .w_div = 4, .w_shift = 3, .w_base = 3, .w_ctx = 2

static const struct focus f_m = {"random_m", 1, 350, PRV_M, BASE_MIX};
static const struct focus f_s = {"random_s_sv39", 2, 350, PRV_S, BASE_MIX};
static const struct focus f_u = {"random_u_sv39", 3, 180, PRV_U, BASE_MIX};
/* long translated blocks: almost only what the backend takes */
static const struct focus f_jit = {
	"translated_runs", 10,		250,	   MIXED,	.p_x0 = 5,
	.p_jit = 97,	   .w_alu = 60, .w_li = 6, .w_mem = 14, .w_branch = 6,
	.w_jump = 2,	   .w_loop = 4, .w_c = 8,  .w_div = 3,	.w_shift = 3,
	.w_base = 4};
static const struct focus f_div = {
	"div_edges", 4,		  160,	     MIXED,	 .p_x0 = 8,
	.p_jit = 90, .w_alu = 10, .w_li = 2, .w_mem = 3, .w_branch = 2,
	.w_jump = 1, .w_loop = 2, .w_c = 2,  .w_div = 40};
static const struct focus f_shift = {
	"shifts",    5,		  160,	     MIXED,	   .p_x0 = 8,
	.p_jit = 60, .w_alu = 10, .w_li = 2, .w_mem = 3,   .w_branch = 2,
	.w_jump = 1, .w_loop = 2, .w_c = 2,  .w_shift = 40};
static const struct focus f_x0 = {"x0",		6,
				  120,		MIXED,
				  .p_x0 = 35,	.p_jit = 70,
				  .w_alu = 40,	.w_li = 6,
				  .w_mem = 15,	.w_branch = 6,
				  .w_jump = 3,	.w_loop = 3,
				  .w_sys = 2,	.w_fp = 1,
				  .w_c = 8,	.w_div = 4,
				  .w_shift = 4, .w_base = 4};
static const struct focus f_base = {
	"load_bases", 7,	   160,	      MIXED,	   .p_x0 = 5,
	.p_jit = 90,  .w_alu = 10, .w_li = 2, .w_mem = 10, .w_branch = 3,
	.w_jump = 1,  .w_loop = 2, .w_c = 4,  .w_base = 40};
static const struct focus f_smc = {
	"self_modifying", 8,	       180,	     MIXED,	 .p_x0 = 5,
	.p_jit = 70,	  .w_alu = 20, .w_li = 2,    .w_mem = 8, .w_branch = 3,
	.w_jump = 2,	  .w_loop = 2, .w_smc = 20,  .w_sys = 2, .w_fp = 1,
	.w_c = 4,	  .w_div = 2,  .w_shift = 2, .w_base = 4};
static const struct focus f_mix = {"handoffs_and_traps",
				   9,
				   160,
				   MIXED,
				   .p_x0 = 6,
				   .p_jit = 0,
				   .w_alu = 25,
				   .w_li = 4,
				   .w_mem = 20,
				   .w_branch = 4,
				   .w_jump = 3,
				   .w_loop = 3,
				   .w_smc = 2,
				   .w_sys = 12,
				   .w_trap = 6,
				   .w_fp = 10,
				   .w_c = 10,
				   .w_div = 3,
				   .w_shift = 3,
				   .w_base = 6,
				   .w_ctx = 6};
/* F/D arithmetic, conversions, FP loads/stores, FS and frm changes */
static const struct focus f_fp = {
	"fp",	     13,	  150,	      MIXED,	   .p_x0 = 5,
	.p_jit = 90, .w_alu = 10, .w_li = 3,  .w_mem = 10, .w_branch = 3,
	.w_jump = 1, .w_loop = 3, .w_sys = 1, .w_fp = 45,  .w_c = 2,
	.w_base = 2};
/* budget exits: loops of 20000-40000 iterations in translated code */
static const struct focus f_long = {"long_loops",
				    12,
				    10,
				    MIXED,
				    .long_loops = true,
				    .p_x0 = 5,
				    .p_jit = 100,
				    .w_alu = 40,
				    .w_li = 4,
				    .w_mem = 10,
				    .w_branch = 4,
				    .w_loop = 2,
				    .w_c = 4,
				    .w_div = 2,
				    .w_shift = 2,
				    .w_base = 2};

/* the translator keeps 10 random guest registers in host registers */
static const struct focus f_remap = {"remapped_pins", 14,      150, MIXED,
				     .remap = true,   BASE_MIX};

/* not reproducible by seed alone: where the kicks land varies */
static const struct focus f_kick = {
	"async_kicks", 11,	     100,	  MIXED,      .kicks = true,
	.p_x0 = 5,     .p_jit = 95,  .w_alu = 60, .w_li = 6,  .w_mem = 14,
	.w_branch = 6, .w_jump = 2,  .w_loop = 8, .w_smc = 1, .w_c = 8,
	.w_div = 3,    .w_shift = 3, .w_base = 4};

static void test_random_m(void **state)
{
	run_focus(state, &f_m);
}
static void test_random_s_sv39(void **state)
{
	run_focus(state, &f_s);
}
static void test_random_u_sv39(void **state)
{
	run_focus(state, &f_u);
}
static void test_div_edges(void **state)
{
	run_focus(state, &f_div);
}
static void test_shifts(void **state)
{
	run_focus(state, &f_shift);
}
static void test_x0(void **state)
{
	run_focus(state, &f_x0);
}
static void test_load_bases(void **state)
{
	run_focus(state, &f_base);
}
static void test_self_modifying(void **state)
{
	run_focus(state, &f_smc);
}
static void test_handoffs_and_traps(void **state)
{
	run_focus(state, &f_mix);
}
static void test_translated_runs(void **state)
{
	run_focus(state, &f_jit);
}
static void test_async_kicks(void **state)
{
	run_focus(state, &f_kick);
}
static void test_long_loops(void **state)
{
	run_focus(state, &f_long);
}
static void test_fp(void **state)
{
	run_focus(state, &f_fp);
}
static void test_remapped_pins(void **state)
{
	run_focus(state, &f_remap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_random_m, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_s_sv39, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_random_u_sv39, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_translated_runs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_div_edges, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_shifts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_x0, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_bases, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_self_modifying, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_handoffs_and_traps, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remapped_pins, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_async_kicks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_long_loops, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
