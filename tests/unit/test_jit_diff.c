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
#define PTE_G (1ull << 5)
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
		w_trap, w_fp, w_c, w_div, w_shift, w_base, w_ctx, w_group;
	bool long_loops; /* every third block starts with one */
};

/* The rest of the generator is in jit_diff_gen.h, the harness that runs
 * the two machines in jit_diff_machine.h: parts of this one translation
 * unit, kept apart so that each file can be read in one sitting. */
#include "jit_diff_gen.h"

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
		/* translated code carries on under the new data MMU index
		 * (a jump-cache lookup from inside the block) */
		if (chance(g, 50)) {
			gen_boundary(g);
		} else {
			unsigned r = pick_free(g);
			for (unsigned i = 0, n = 2 + below(g, 4); i < n; i++)
				emit(g, enc_i(0x13, 0, r, r, imm12(g)),
				     OP_ADDI);
			gen_ldst(g, false);
		}
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

/* rd = rs or rd = imm in one of its spellings (the bodies of selects:
 * the JIT turns a branch over moves only into cmovs) */
static void gen_move(struct gen *g)
{
	unsigned rd = pick_rd(g), rs = pick_src(g);

	switch (below(g, 7)) {
	case 0:
		if (rd && rs)
			emit(g, 0x8002u | rd << 7 | rs << 2, OP_ADD); /* c.mv */
		break;
	case 1: emit(g, enc_i(0x13, 0, rd, rs, 0), OP_ADDI); break;
	case 2: emit(g, enc_i(0x13, 0, rd, 0, imm12(g)), OP_ADDI); break;
	case 3:
		emit(g, enc_u(0x37, rd, (uint32_t)rnd(g) & 0xfffff), OP_LUI);
		break;
	case 4: emit(g, enc_r(0x33, 6, 0, rd, 0, rs), OP_OR); break;
	case 5: emit(g, enc_r(0x33, 0, 0, rd, rs, 0), OP_ADD); break;
	default: emit(g, enc_i(0x13, 4, rd, rs, 0), OP_XORI); break;
	}
}

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
		if (chance(g, 30))
			for (unsigned i = 0, n = 1 + below(g, 4); i < n; i++)
				gen_move(g);
		else
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

/* ---- accesses through one base that share a TLB check ----
 * (x86_64_group.c): bases near page ends so that a group's bytes cross
 * pages, two bases at once, loads and stores mixed, a base moved or
 * overwritten in the middle, and a forward branch landing after the
 * group's first access */
static void gen_group(struct gen *g)
{
	uint32_t saved = g->reserved;
	unsigned nb = chance(g, 40) ? 2 : 1, rb[2], n = 2 + below(g, 7);
	uint64_t at[2];
	int bri = -1;
	unsigned bk = 0, brs = 0, land = 0;
	uint32_t bat = 0;

	for (unsigned b = 0; b < nb; b++) {
		uint64_t page = pick_target(g, 8) & ~0xfffull;
		uint64_t a = page + (chance(g, 50) ? 4096 - below(g, 40)
						   : below(g, 4096 - 64));
		if (chance(g, 70))
			a &= ~7ull;
		at[b] = a;
		rb[b] = setup_base(g, a, 0);
		g->reserved |= 1u << rb[b];
	}
	if (chance(g, 30)) {
		bk = below(g, 6);
		brs = pick_src(g);
		bat = g->pos;
		bri = (int)emit(g, enc_b(bf3[bk], brs, pick_src(g), 4),
				bop[bk]);
		land = 2 + below(g, n);
	}
	for (unsigned i = 0; i < n; i++) {
		unsigned b = below(g, nb);
		const struct mop *m = &mops[below(g, 11)];
		int32_t off = (int32_t)below(g, 48) - 16;

		if (bri >= 0 && i == land) {
			int32_t d = (int32_t)(g->pos - bat);
			const struct rec *r = &g->s->recs[bri];
			uint32_t raw = r->raw & ~0xfe000f80u;
			repatch(g, (unsigned)bri,
				raw | (enc_b(bf3[bk], 0, 0, d) & 0xfe000f80u),
				bop[bk], d);
			bri = -1;
		}
		if (chance(g, 85))
			off &= ~(int32_t)(m->size - 1);
		uint64_t a = at[b] + (uint64_t)(int64_t)off;
		if (a < 0x10)
			continue; /* 0 and 8 mark block ends and traps */
		unsigned reg = m->store ? pick_src(g) : pick_rd(g);
		emit_chk(g, make_mem(m, reg, rb[b], off), m->op, (int)rb[b],
			 off, true);
		if (chance(g, 12))
			gen_alu(g);
		if (chance(g, 8)) { /* a moved base ends its group */
			int32_t d = (int32_t)below(g, 16) - 8;
			emit(g, enc_i(0x13, 0, rb[b], rb[b], d), OP_ADDI);
			at[b] += (uint64_t)(int64_t)d;
		}
	}
	if (bri >= 0) { /* lands after the last access */
		int32_t d = (int32_t)(g->pos - bat);
		uint32_t raw = g->s->recs[bri].raw & ~0xfe000f80u;
		repatch(g, (unsigned)bri,
			raw | (enc_b(bf3[bk], 0, 0, d) & 0xfe000f80u), bop[bk],
			d);
	}
	g->reserved = saved;
}

static void gen_unit(struct gen *g)
{
	const struct focus *f = g->fo;
	unsigned w[] = {f->w_alu,   f->w_li,   f->w_mem, f->w_branch,
			f->w_jump,  f->w_loop, f->w_smc, f->w_sys,
			f->w_trap,  f->w_fp,   f->w_c,	 f->w_div,
			f->w_shift, f->w_base, f->w_ctx, f->w_group};
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
	case 14: gen_ctx(g); break;
	default: gen_group(g); break;
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

#include "jit_diff_machine.h"

/* ---- the tests ---- */

#define BASE_MIX                                                               \
	.p_x0 = 6, .p_jit = 50, .w_alu = 40, .w_li = 6, .w_mem = 18,           \
	.w_branch = 6, .w_jump = 3, .w_loop = 3, .w_sys = 4, .w_trap = 1,      \
	.w_fp = 5, .w_c = 8, .w_div = 4, .w_shift = 3, .w_base = 3,            \
	.w_ctx = 2, .w_group = 3

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

/* S-mode context changes (SUM, satp, fences) in the middle of translated
 * code that uses registers it has to borrow host registers for */
static const struct focus f_ctx = {
	"context_changes", 16,		150,	   PRV_S,	.p_x0 = 5,
	.p_jit = 90,	   .w_alu = 30, .w_li = 4, .w_mem = 10, .w_branch = 3,
	.w_jump = 2,	   .w_loop = 3, .w_c = 4,  .w_ctx = 25, .w_group = 5};

/* groups of accesses sharing one TLB check */
static const struct focus f_group = {
	"grouped_accesses", 15,		 200,	    MIXED,	  .p_x0 = 5,
	.p_jit = 90,	    .w_alu = 10, .w_li = 2, .w_mem = 5,	  .w_branch = 3,
	.w_jump = 1,	    .w_loop = 3, .w_c = 4,  .w_group = 40};

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
static void test_context_changes(void **state)
{
	run_focus(state, &f_ctx);
}
static void test_grouped_accesses(void **state)
{
	run_focus(state, &f_group);
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
		cmocka_unit_test_setup_teardown(test_grouped_accesses, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_context_changes, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
