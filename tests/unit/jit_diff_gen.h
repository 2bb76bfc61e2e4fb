/* jit_diff_gen.h - the instruction-level half of test_jit_diff.c's random
 * stream generator: PRNG, encoders, emitting, registers, values, and the
 * ALU, memory and FP units. Not a standalone header: it is one part of
 * test_jit_diff.c's translation unit (the Makefile builds each test_*.c
 * alone), included once after the board and stream types it writes into.
 * The block-level units (system, control flow) and gen_stream() stay in
 * test_jit_diff.c, beside the focus weights that pick them. */
#ifndef RVISOR_TESTS_JIT_DIFF_GEN_H
#define RVISOR_TESTS_JIT_DIFF_GEN_H

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
	if (chance(g, 30)) {
		/* slli + srli/srai by one amount: zero or sign extension,
		 * which the JIT makes one movzx/movsx (8, 16, 32 bits) */
		static const unsigned amount[] = {32, 48, 56, 32,
						  48, 56, 40, 1};
		unsigned sh = amount[below(g, 8)];
		unsigned rx = chance(g, 10) ? pick_rd(g) : rd;
		emit(g, enc_i(0x13, 1, rd, s1, (int32_t)sh), OP_SLLI);
		if (chance(g, 50))
			emit(g, enc_i(0x13, 5, rx, rd, (int32_t)sh), OP_SRLI);
		else
			emit(g, enc_i(0x13, 5, rx, rd, (int32_t)(sh | 0x400)),
			     OP_SRAI);
		return;
	}
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

/* Narrow stores that together write a wider word, then a load of it (a
 * byte-wise copy through a stack slot; the JIT may take the value from
 * the stored registers): through the same base or another register that
 * may or may not hold the same address, with perhaps something between
 * that writes a stored register, the base, or the bytes through another
 * base. */
static void gen_spill(struct gen *g)
{
	static const uint8_t loads[] = {1, 2, 3, 5, 6}; /* lh lw ld lhu lwu */
	const struct mop *lm = &mops[loads[below(g, 5)]];
	unsigned size = lm->size, ps = size == 2 ? 1 : 1u << below(g, 2);
	unsigned n = size / ps, order[8];
	uint64_t t = pick_target(g, size);
	int32_t off = chance(g, 30) ? 0 : imm12(g) / 2;
	unsigned rb = setup_base(g, t, off);
	uint32_t saved = g->reserved;

	if (size == 8 && chance(g, 30)) /* two words make a doubleword */
		ps = 4, n = 2;
	g->reserved |= 1u << rb;
	for (unsigned i = 0; i < n; i++)
		order[i] = i;
	for (unsigned i = n; i > 1; i--) {
		unsigned j = below(g, i), x = order[i - 1];
		order[i - 1] = order[j];
		order[j] = x;
	}
	const struct mop *sm = &mops[7 + (ps == 1 ? 0 : ps == 2 ? 1 : 2)];
	for (unsigned i = 0; i < n; i++) {
		int32_t o = off + (int32_t)(order[i] * ps);
		emit_chk(g, make_mem(sm, pick_src(g), rb, o), sm->op, (int)rb,
			 o, true);
		if (chance(g, 10))
			gen_alu(g); /* may write a stored register */
		if (chance(g, 5))
			emit(g, enc_i(0x13, 0, rb, rb, 0), OP_ADDI);
		if (chance(g, 5)) { /* the same bytes through another base */
			unsigned rt = pick_free(g);
			uint64_t a = t + below(g, size);
			li32(g, rt, (int32_t)a);
			emit_chk(g, make_mem(&mops[7], pick_src(g), rt, 0),
				 OP_SB, (int)rt, 0, true);
		}
	}
	unsigned rd = chance(g, 10) ? rb : pick_rd(g);
	switch (below(g, 4)) {
	case 0:
	case 1: /* the same base, the same bytes */
		emit_chk(g, make_mem(lm, rd, rb, off), lm->op, (int)rb, off,
			 true);
		break;
	case 2: { /* the same base, bytes partly elsewhere */
		int32_t o = off + (int32_t)(below(g, 2 * size)) - (int32_t)size;
		uint64_t a = t + (uint64_t)(int64_t)(o - off);
		if (a >= 0x10)
			emit_chk(g, make_mem(lm, rd, rb, o), lm->op, (int)rb, o,
				 true);
		break;
	}
	default: { /* through another register: the same address, or not */
		unsigned rl = pick_free(g);
		int32_t o2 = chance(g, 50) ? 0 : imm12(g) / 2;
		uint64_t a = t + (chance(g, 60) ? 0 : below(g, size + 1));
		li32(g, rl, (int32_t)(a - (uint64_t)(int64_t)o2));
		if (a >= 0x10)
			emit_chk(g, make_mem(lm, rd, rl, o2), lm->op, (int)rl,
				 o2, true);
		break;
	}
	}
	g->reserved = saved;
}

static void gen_mem(struct gen *g, bool base_games)
{
	unsigned k = below(g, 11);

	if (k == 10)
		gen_spill(g);
	else if (k < 7)
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
static void gen_fp_one(struct gen *g)
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

/* f register fr <- a value the inline FP code must tell apart: a special
 * or edge double (its high word; now and then a low bit), a boxed single,
 * or a single's bits without the box (then the canonical NaN to .S) */
static void gen_fp_value(struct gen *g, unsigned fr)
{
	static const uint32_t hi[] = {
		0x00000000, 0x80000000, 0x3ff00000, 0xbff80000, /* 0, 1 */
		0x7ff00000, 0xfff00000, 0x7ff80000, 0x7ff40000, /* inf, NaNs */
		0xfff80000, 0x00100000, 0x80100000, 0x00000000, /* min normal */
		0x000fffff, 0x800fffff, 0x7fefffff, 0xffefffff, /* subn., max */
		0x00200000, 0x40000000, 0x3fe00000, 0x5fe00000, /* 2^-1021.. */
		0x20000000, 0x1ff00000, 0x00180000, 0x3cb00000,
	};
	static const uint32_t sv[] = {
		0x00000000, 0x80000000, 0x3f800000, 0xbfc00000,
		0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000,
		0x00000001, 0x007fffff, 0x7f7fffff, 0x3eaaaaab,
		0x00800000, 0x80800001, 0xffc00000, 0x4f000000,
	};
	unsigned rt = pick_free(g);
	unsigned k = below(g, 4);

	if (k < 2) {
		li32(g, rt, (int32_t)hi[below(g, sizeof(hi) / sizeof(hi[0]))]);
		emit(g, enc_i(0x13, 1, rt, rt, 32), OP_SLLI);
		if (chance(g, 30)) /* a low bit: NaN payloads, subnormals */
			emit(g, enc_i(0x13, 0, rt, rt, chance(g, 50) ? 1 : -1),
			     OP_ADDI);
		emit(g, enc_r(0x53, 0, 0x79, fr, rt, 0), OP_FMV_D_X);
		return;
	}
	li32(g, rt, (int32_t)sv[below(g, sizeof(sv) / sizeof(sv[0]))]);
	if (k == 2) {
		emit(g, enc_r(0x53, 0, 0x78, fr, rt, 0), OP_FMV_W_X);
		return;
	}
	emit(g, enc_i(0x13, 1, rt, rt, 32), OP_SLLI);
	emit(g, enc_i(0x13, 5, rt, rt, 32), OP_SRLI);
	emit(g, enc_r(0x53, 0, 0x79, fr, rt, 0), OP_FMV_D_X);
}

/* A run of the operations the JIT translates inline (arithmetic with a
 * host fast path, sign injection, comparisons, moves, exact conversions)
 * on a few registers, so that results feed the next operations: the fast
 * paths, their slow paths and what the JIT assumes from one operation to
 * the next in a block */
static void gen_fp_run_op(struct gen *g, const unsigned *r)
{
	static const uint8_t rms[] = {7, 7, 7, 7, 7, 7, 0, 0, 1, 2, 3, 4, 5};
	unsigned rd = r[below(g, 4)], a = r[below(g, 4)], b = r[below(g, 4)];
	unsigned rm = rms[below(g, chance(g, 97) ? 12 : 13)];
	unsigned s = chance(g, 25) ? 0 : 1; /* .S or .D */
	unsigned k = below(g, 20);

	if (k < 6) { /* fadd fsub fmul fdiv .d */
		unsigned f5 = below(g, 4);
		emit(g, enc_r(0x53, rm, f5 << 2 | 1, rd, a, b), OP_FADD_D + f5);
	} else if (k < 8) {
		emit(g, enc_r(0x53, rm, 0x2d, rd, a, 0), OP_FSQRT_D);
	} else if (k < 10) {
		unsigned f3 = below(g, 3);
		emit(g, enc_r(0x53, f3, 0x10 | s, rd, a, b),
		     (s ? OP_FSGNJ_D : OP_FSGNJ_S) + f3);
	} else if (k < 12) { /* feq flt fle */
		unsigned f3 = below(g, 3);
		emit(g, enc_r(0x53, f3, 0x50 | s, pick_rd(g), a, b),
		     (s ? OP_FLE_D : OP_FLE_S) - f3);
	} else if (k == 12) {
		emit(g, enc_r(0x53, 0, 0x78 | s, rd, pick_src(g), 0),
		     s ? OP_FMV_D_X : OP_FMV_W_X);
	} else if (k == 13) {
		emit(g, enc_r(0x53, 0, 0x70 | s, pick_rd(g), a, 0),
		     s ? OP_FMV_X_D : OP_FMV_X_W);
	} else if (k == 14) { /* fcvt.d.w .wu .l */
		unsigned t = below(g, 3);
		emit(g, enc_r(0x53, rm, 0x69, rd, pick_src(g), t),
		     OP_FCVT_D_W + t);
	} else if (k < 17) {
		gen_fp_value(g, rd);
	} else if (k == 17) { /* fld / fsd on the run's registers */
		uint64_t tg = pick_target(g, 8);
		int32_t off =
			chance(g, 50) ? 0 : (int32_t)below(g, 64) * 8 - 256;
		unsigned rb = setup_base(g, tg, off);
		if (chance(g, 40))
			emit(g, enc_s(0x27, 3, rb, a, off), OP_FSD);
		else
			emit(g, enc_i(0x07, 3, rd, rb, off), OP_FLD);
	} else if (k == 18) {
		gen_alu(g); /* integer work in between */
	} else {
		gen_fp_one(g);
	}
}

/* A run of the operations the JIT translates inline (arithmetic with a
 * host fast path, sign injection, comparisons, moves, exact conversions)
 * on a few registers, so that results feed the next operations: the fast
 * paths, their slow paths and what the JIT assumes from one operation to
 * the next in a block. Forward branches over some of them and FS changes
 * (sstatus writes stay in translated code) in between test where it may
 * not assume anything. */
static void gen_fp_run(struct gen *g)
{
	unsigned r[4], n = 2 + below(g, 10);

	for (unsigned i = 0; i < 4; i++)
		r[i] = below(g, 32);
	for (unsigned i = 0; i < n && room(g); i++) {
		if (chance(g, 12)) {
			uint32_t at = g->pos;
			unsigned rs1 = pick_src(g);
			unsigned rs2 = chance(g, 30) ? rs1 : pick_src(g);
			unsigned f3 = below(g, 2); /* beq bne */
			unsigned op = f3 ? OP_BNE : OP_BEQ;
			unsigned ri = emit(g, enc_b(f3, rs1, rs2, 4), op);
			for (unsigned m = 1 + below(g, 3); m > 0; m--)
				gen_fp_run_op(g, r);
			int32_t d = (int32_t)(g->pos - at);
			repatch(g, ri, enc_b(f3, rs1, rs2, d), op, d);
			continue;
		}
		if (g->s->mode != PRV_U && chance(g, 5)) {
			/* FS Off, Initial or Clean, in mid-block */
			unsigned rt = pick_free(g);
			static const uint8_t fs[] = {0x6, 0x2, 0x4};
			emit(g, enc_u(0x37, rt, fs[below(g, 3)]), OP_LUI);
			emit(g, enc_i(0x73, 3, 0, rt, 0x100), OP_CSRRC);
			g->fix_fs = true;
		}
		gen_fp_run_op(g, r);
	}
}

static void gen_fp(struct gen *g)
{
	if (chance(g, 40))
		gen_fp_run(g);
	else
		gen_fp_one(g);
}

/* mstatus.FS off and on again (FP then traps as illegal), frm changes,
 * fflags cleared (inexact not accrued: no host fast path) */
static void gen_fp_state(struct gen *g)
{
	unsigned rt = pick_free(g);
	unsigned csr = g->s->mode == PRV_M ? 0x300 : 0x100;

	if (chance(g, 30)) {
		/* fflags, usually cleared */
		unsigned v = chance(g, 70) ? 0 : below(g, 32);
		emit(g, enc_i(0x73, 5, pick_rd(g), v, 0x001), OP_CSRRWI);
		gen_boundary(g);
		return;
	}
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

#endif /* RVISOR_TESTS_JIT_DIFF_GEN_H */
