// SPDX-License-Identifier: MIT
/* test_decode.c - insn_decode(): immediates of every format, the x0 sink,
 * compressed expansion, reserved encodings, Zba/Zbb/Zbs/Zicond/Zicbo*, CSR
 * numbers, FP rounding modes, AMO ordering bits, and exhaustive/random
 * sweeps that must never crash or produce out-of-range fields.
 *
 * Every encoding below was produced by GNU as 2.40
 *   riscv64-linux-gnu-as -march=rv64gc_zba_zbb_zbs_zicsr_zifencei_zicboz_zicbom
 * and read back with objdump -M no-aliases; the comment next to each value
 * is the assembly it came from. Zicond is not known to that assembler: its
 * encodings come from `.insn r 0x33, f3, 0x07, rd, rs1, rs2`. Reserved
 * encodings are hand-built from the field layouts of the unprivileged spec
 * (chapter "RV32/64G Instruction Set Listings" and the C extension's
 * "RVC Instruction Set Listings"); objdump was used to confirm it does not
 * decode them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/decode.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* "do not check" markers for the table-driven cases */
#define NR   (-1)      /* register field */
#define NI   INT64_MIN /* immediate */
#define SINK 32	       /* x0 as a destination */

struct dcase {
	uint32_t raw;
	const char *text; /* the assembly the encoding came from */
	int op;
	int rd, rs1, rs2;
	int64_t imm;
};

static const char *op_name(unsigned op)
{
	return op < OP__COUNT ? insn_op_names[op] : "<out of range>";
}

/* Decodes every case and reports all mismatches before failing. */
static void check_cases_(const struct dcase *c, size_t n, const char *file,
			 int line)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		struct insn in;
		unsigned len = (c[i].raw & 3) == 3 ? 4 : 2;
		uint32_t raw = len == 4 ? c[i].raw : c[i].raw & 0xffff;

		insn_decode(&in, c[i].raw);
		if (in.op != c[i].op) {
			print_error("0x%08x (%s): op %s, expected %s\n",
				    c[i].raw, c[i].text, op_name(in.op),
				    op_name((unsigned)c[i].op));
			bad++;
			continue;
		}
		if (in.len != len || in.raw != raw) {
			print_error("0x%08x (%s): len %u raw 0x%x, expected "
				    "len %u raw 0x%x\n",
				    c[i].raw, c[i].text, in.len, in.raw, len,
				    raw);
			bad++;
		}
#define CHECK_REG(f)                                                           \
	if (c[i].f != NR && in.f != c[i].f) {                                  \
		print_error("0x%08x (%s): " #f " %u, expected %d\n", c[i].raw, \
			    c[i].text, in.f, c[i].f);                          \
		bad++;                                                         \
	}
		CHECK_REG(rd)
		CHECK_REG(rs1)
		CHECK_REG(rs2)
#undef CHECK_REG
		if (c[i].imm != NI && in.imm != c[i].imm) {
			print_error("0x%08x (%s): imm %d (0x%x), expected "
				    "%lld (0x%llx)\n",
				    c[i].raw, c[i].text, in.imm,
				    (unsigned)in.imm, (long long)c[i].imm,
				    (unsigned long long)c[i].imm);
			bad++;
		}
	}
	if (bad) {
		print_error("%d mismatching field(s)\n", bad);
		_fail(file, line);
	}
}
#define check_cases(t) check_cases_((t), N(t), __FILE__, __LINE__)

static struct insn dec(uint32_t raw)
{
	struct insn in;

	insn_decode(&in, raw);
	return in;
}

/* ------------------------------------------------------------------ */
/* immediates of the base formats                                      */

static void test_imm_i_type(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0xfff10093, "addi x1, x2, -1", OP_ADDI, 1, 2, NR, -1},
		{0x800403e7, "jalr x7, -2048(x8)", OP_JALR, 7, 8, NR, -2048},
		{0x7ff403e7, "jalr x7, 2047(x8)", OP_JALR, 7, 8, NR, 2047},
		{0x80050483, "lb x9, -2048(x10)", OP_LB, 9, 10, NR, -2048},
		{0x7ff53483, "ld x9, 2047(x10)", OP_LD, 9, 10, NR, 2047},
		{0xffc12007, "flw f0, -4(x2)", OP_FLW, 0, 2, NR, -4},
		{0x00112083, "lw x1, 1(x2)", OP_LW, 1, 2, NR, 1},
	};
	check_cases(t);
}

static void test_imm_s_type(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0x80b60023, "sb x11, -2048(x12)", OP_SB, NR, 12, 11, -2048},
		{0x7eb63fa3, "sd x11, 2047(x12)", OP_SD, NR, 12, 11, 2047},
		{0xfe002fa3, "sw x0, -1(x0)", OP_SW, NR, 0, 0, -1},
		{0x00013427, "fsd f0, 8(x2)", OP_FSD, NR, 2, 0, 8},
		/* one immediate bit at a time: catches swapped fields */
		{0x001130a3, "sd x1, 1(x2)", OP_SD, NR, 2, 1, 1},
		{0x00113123, "sd x1, 2(x2)", OP_SD, NR, 2, 1, 2},
		{0x00113223, "sd x1, 4(x2)", OP_SD, NR, 2, 1, 4},
		{0x00113423, "sd x1, 8(x2)", OP_SD, NR, 2, 1, 8},
		{0x00113823, "sd x1, 16(x2)", OP_SD, NR, 2, 1, 16},
		{0x02113023, "sd x1, 32(x2)", OP_SD, NR, 2, 1, 32},
		{0x04113023, "sd x1, 64(x2)", OP_SD, NR, 2, 1, 64},
		{0x08113023, "sd x1, 128(x2)", OP_SD, NR, 2, 1, 128},
		{0x10113023, "sd x1, 256(x2)", OP_SD, NR, 2, 1, 256},
		{0x20113023, "sd x1, 512(x2)", OP_SD, NR, 2, 1, 512},
		{0x40113023, "sd x1, 1024(x2)", OP_SD, NR, 2, 1, 1024},
	};
	check_cases(t);
}

static void test_imm_b_type(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0x80208063, "beq x1, x2, .-4096", OP_BEQ, NR, 1, 2, -4096},
		{0x7e419fe3, "bne x3, x4, .+4094", OP_BNE, NR, 3, 4, 4094},
		{0x0020c163, "blt x1, x2, .+2", OP_BLT, NR, 1, 2, 2},
		{0xfe007fe3, "bgeu x0, x0, .-2", OP_BGEU, NR, 0, 0, -2},
		{0x0062d0e3, "bge x5, x6, .+2048", OP_BGE, NR, 5, 6, 2048},
		{0x00208163, "beq x1, x2, .+2", OP_BEQ, NR, 1, 2, 2},
		{0x00208263, "beq x1, x2, .+4", OP_BEQ, NR, 1, 2, 4},
		{0x00208463, "beq x1, x2, .+8", OP_BEQ, NR, 1, 2, 8},
		{0x00208863, "beq x1, x2, .+16", OP_BEQ, NR, 1, 2, 16},
		{0x02208063, "beq x1, x2, .+32", OP_BEQ, NR, 1, 2, 32},
		{0x04208063, "beq x1, x2, .+64", OP_BEQ, NR, 1, 2, 64},
		{0x08208063, "beq x1, x2, .+128", OP_BEQ, NR, 1, 2, 128},
		{0x10208063, "beq x1, x2, .+256", OP_BEQ, NR, 1, 2, 256},
		{0x20208063, "beq x1, x2, .+512", OP_BEQ, NR, 1, 2, 512},
		{0x40208063, "beq x1, x2, .+1024", OP_BEQ, NR, 1, 2, 1024},
		{0x002080e3, "beq x1, x2, .+2048", OP_BEQ, NR, 1, 2, 2048},
	};
	check_cases(t);
}

static void test_imm_u_type(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0xfffff2b7, "lui x5, 0xfffff", OP_LUI, 5, NR, NR, -4096},
		{0x800002b7, "lui x5, 0x80000", OP_LUI, 5, NR, NR, INT32_MIN},
		{0x7fffff97, "auipc x31, 0x7ffff", OP_AUIPC, 31, NR, NR,
		 0x7ffff000},
		{0x000010b7, "lui x1, 1", OP_LUI, 1, NR, NR, 0x1000},
		{0x00001097, "auipc x1, 1", OP_AUIPC, 1, NR, NR, 0x1000},
	};
	check_cases(t);
}

static void test_imm_j_type(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0x800000ef, "jal x1, .-1048576", OP_JAL, 1, NR, NR, -1048576},
		{0x7ffff0ef, "jal x1, .+1048574", OP_JAL, 1, NR, NR, 1048574},
		{0x002000ef, "jal x1, .+2", OP_JAL, 1, NR, NR, 2},
		{0x004000ef, "jal x1, .+4", OP_JAL, 1, NR, NR, 4},
		{0x008000ef, "jal x1, .+8", OP_JAL, 1, NR, NR, 8},
		{0x010000ef, "jal x1, .+16", OP_JAL, 1, NR, NR, 16},
		{0x020000ef, "jal x1, .+32", OP_JAL, 1, NR, NR, 32},
		{0x040000ef, "jal x1, .+64", OP_JAL, 1, NR, NR, 64},
		{0x080000ef, "jal x1, .+128", OP_JAL, 1, NR, NR, 128},
		{0x100000ef, "jal x1, .+256", OP_JAL, 1, NR, NR, 256},
		{0x200000ef, "jal x1, .+512", OP_JAL, 1, NR, NR, 512},
		{0x400000ef, "jal x1, .+1024", OP_JAL, 1, NR, NR, 1024},
		{0x001000ef, "jal x1, .+2048", OP_JAL, 1, NR, NR, 2048},
		{0x000010ef, "jal x1, .+4096", OP_JAL, 1, NR, NR, 4096},
		{0x000020ef, "jal x1, .+8192", OP_JAL, 1, NR, NR, 8192},
		{0x000040ef, "jal x1, .+16384", OP_JAL, 1, NR, NR, 16384},
		{0x000080ef, "jal x1, .+32768", OP_JAL, 1, NR, NR, 32768},
		{0x000100ef, "jal x1, .+65536", OP_JAL, 1, NR, NR, 65536},
		{0x000200ef, "jal x1, .+131072", OP_JAL, 1, NR, NR, 131072},
		{0x000400ef, "jal x1, .+262144", OP_JAL, 1, NR, NR, 262144},
		{0x000800ef, "jal x1, .+524288", OP_JAL, 1, NR, NR, 524288},
	};
	check_cases(t);
}

/* Shift amounts: the handler masks imm (6 bits, 5 for *W), so only the low
 * bits are architectural; the funct6/7 bits above them may stay in imm. */
static void test_shift_amounts(void **state)
{
	(void)state;
	static const struct {
		uint32_t raw;
		const char *text;
		int op, rd, rs1;
		unsigned shamt, mask;
	} t[] = {
		{0x03f21193, "slli x3, x4, 63", OP_SLLI, 3, 4, 63, 63},
		{0x43f25193, "srai x3, x4, 63", OP_SRAI, 3, 4, 63, 63},
		{0x00125193, "srli x3, x4, 1", OP_SRLI, 3, 4, 1, 63},
		{0x41f2519b, "sraiw x3, x4, 31", OP_SRAIW, 3, 4, 31, 31},
		{0x63f15093, "rori x1, x2, 63", OP_RORI, 1, 2, 63, 63},
		{0x61f1509b, "roriw x1, x2, 31", OP_RORIW, 1, 2, 31, 31},
		{0x0bf1109b, "slli.uw x1, x2, 63", OP_SLLI_UW, 1, 2, 63, 63},
		{0x4bf11093, "bclri x1, x2, 63", OP_BCLRI, 1, 2, 63, 63},
		{0x4bf15093, "bexti x1, x2, 63", OP_BEXTI, 1, 2, 63, 63},
		{0x6bf11093, "binvi x1, x2, 63", OP_BINVI, 1, 2, 63, 63},
		{0x2bf11093, "bseti x1, x2, 63", OP_BSETI, 1, 2, 63, 63},
		{0x907d, "c.srli x8, 63", OP_SRLI, 8, 8, 63, 63},
		{0x8485, "c.srai x9, 1", OP_SRAI, 9, 9, 1, 63},
		{0x1ffe, "c.slli x31, 63", OP_SLLI, 31, 31, 63, 63},
	};
	int bad = 0;

	for (size_t i = 0; i < N(t); i++) {
		struct insn in = dec(t[i].raw);
		if (in.op != t[i].op || in.rd != t[i].rd ||
		    in.rs1 != t[i].rs1 ||
		    ((unsigned)in.imm & t[i].mask) != t[i].shamt) {
			print_error("0x%08x (%s): got %s rd=%u rs1=%u "
				    "shamt=%u\n",
				    t[i].raw, t[i].text, op_name(in.op), in.rd,
				    in.rs1, (unsigned)in.imm & t[i].mask);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* ------------------------------------------------------------------ */
/* the x0 sink                                                         */

/* rd = x0 on an instruction that writes an integer rd goes to x[32], so the
 * handler can write unconditionally. */
static void test_rd_x0_redirected_to_sink(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0x12345037, "lui x0, 0x12345", OP_LUI, SINK, NR, NR,
		 0x12345000},
		{0x00000013, "addi x0, x0, 0", OP_ADDI, SINK, 0, NR, 0},
		{0x00208033, "add x0, x1, x2", OP_ADD, SINK, 1, 2, NI},
		{0x0000006f, "jal x0, .", OP_JAL, SINK, NR, NR, 0},
		{0x00008067, "jalr x0, 0(x1)", OP_JALR, SINK, 1, NR, 0},
		{0x0000e003, "lwu x0, 0(x1)", OP_LWU, SINK, 1, NR, 0},
		{0xc0002073, "csrrs x0, cycle, x0", OP_CSRRS, SINK, 0, NR,
		 0xc00},
		{0xc0008053, "fcvt.w.s x0, f1, rne", OP_FCVT_W_S, SINK, 1, NR,
		 NI},
		{0xe2008053, "fmv.x.d x0, f1", OP_FMV_X_D, SINK, 1, NR, NI},
		{0xa220a053, "feq.d x0, f1, f2", OP_FEQ_D, SINK, 1, 2, NI},
		{0x0653202f, "amoadd.w.aqrl x0, x5, (x6)", OP_AMOADD_W, SINK, 6,
		 5, NI},
		/* compressed forms whose rd is x0 (HINTs and jumps) */
		{0x0001, "c.nop", OP_ADDI, SINK, 0, NR, 0},
		{0x4015, "c.li x0, 5", OP_ADDI, SINK, 0, NR, 5},
		{0x802e, "c.mv x0, x11", OP_ADD, SINK, 0, 11, NI},
		{0xb001, "c.j .-2048", OP_JAL, SINK, NR, NR, -2048},
		{0x8082, "c.jr x1", OP_JALR, SINK, 1, NR, 0},
	};
	check_cases(t);
}

/* Stores, branches, fences and FP destinations keep their fields: rd is not
 * a destination there (or names f0), and x0 as a source must stay 0. */
static void test_rd_not_redirected(void **state)
{
	(void)state;
	static const struct {
		uint32_t raw;
		const char *text;
		int op;
		int rd; /* NR: only "not the sink" is checked */
		int rs1, rs2;
	} t[] = {
		{0xfe002fa3, "sw x0, -1(x0)", OP_SW, NR, 0, 0},
		{0x00003023, "sd x0, 0(x0)", OP_SD, NR, 0, 0},
		{0xfe007fe3, "bgeu x0, x0, .-2", OP_BGEU, NR, 0, 0},
		{0x00000063, "beq x0, x0, .", OP_BEQ, NR, 0, 0},
		{0xffc12007, "flw f0, -4(x2)", OP_FLW, 0, 2, NR},
		{0x00013427, "fsd f0, 8(x2)", OP_FSD, NR, 2, 0},
		{0xf2000053, "fmv.d.x f0, x0", OP_FMV_D_X, 0, 0, NR},
		{0x00310053, "fadd.s f0, f2, f3, rne", OP_FADD_S, 0, 2, 3},
		{0xd2000053, "fcvt.d.w f0, x0", OP_FCVT_D_W, 0, 0, NR},
		{0x0330000f, "fence rw, rw", OP_FENCE, NR, 0, NR},
		{0x0000100f, "fence.i", OP_FENCE_I, NR, 0, NR},
		{0x00000073, "ecall", OP_ECALL, NR, 0, NR},
		{0x12208073, "sfence.vma x1, x2", OP_SFENCE_VMA, NR, 1, 2},
		{0x0045200f, "cbo.zero (x10)", OP_CBO_ZERO, NR, 10, NR},
		{0xdf82, "c.swsp x0, 252(x2)", OP_SW, NR, 2, 0},
		{0xd001, "c.beqz x8, .-256", OP_BEQ, NR, 8, 0},
		{0x3ce0, "c.fld f8, 248(x9)", OP_FLD, 8, 9, NR},
		{0x2002, "c.fldsp f0, 0(x2)", OP_FLD, 0, 2, NR},
	};
	int bad = 0;

	for (size_t i = 0; i < N(t); i++) {
		struct insn in = dec(t[i].raw);
		bool ok = in.op == t[i].op && in.rd != SINK &&
			  (t[i].rd == NR || in.rd == t[i].rd) &&
			  (t[i].rs1 == NR || in.rs1 == t[i].rs1) &&
			  (t[i].rs2 == NR || in.rs2 == t[i].rs2);
		if (!ok) {
			print_error("0x%08x (%s): got %s rd=%u rs1=%u rs2=%u\n",
				    t[i].raw, t[i].text, op_name(in.op), in.rd,
				    in.rs1, in.rs2);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* ------------------------------------------------------------------ */
/* op mapping of the whole RV64G base                                  */

static void test_rv64g_op_mapping(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0x000010b7, "lui x1, 1", OP_LUI, 1, NR, NR, NI},
		{0x00001097, "auipc x1, 1", OP_AUIPC, 1, NR, NR, NI},
		{0x008000ef, "jal x1, .+8", OP_JAL, 1, NR, NR, 8},
		{0x000100e7, "jalr x1, 0(x2)", OP_JALR, 1, 2, NR, 0},
		{0x00208463, "beq x1, x2, .+8", OP_BEQ, NR, 1, 2, 8},
		{0x00209463, "bne x1, x2, .+8", OP_BNE, NR, 1, 2, 8},
		{0x0020c463, "blt x1, x2, .+8", OP_BLT, NR, 1, 2, 8},
		{0x0020d463, "bge x1, x2, .+8", OP_BGE, NR, 1, 2, 8},
		{0x0020e463, "bltu x1, x2, .+8", OP_BLTU, NR, 1, 2, 8},
		{0x0020f463, "bgeu x1, x2, .+8", OP_BGEU, NR, 1, 2, 8},
		{0x00010083, "lb x1, 0(x2)", OP_LB, 1, 2, NR, 0},
		{0x00011083, "lh x1, 0(x2)", OP_LH, 1, 2, NR, 0},
		{0x00012083, "lw x1, 0(x2)", OP_LW, 1, 2, NR, 0},
		{0x00013083, "ld x1, 0(x2)", OP_LD, 1, 2, NR, 0},
		{0x00014083, "lbu x1, 0(x2)", OP_LBU, 1, 2, NR, 0},
		{0x00015083, "lhu x1, 0(x2)", OP_LHU, 1, 2, NR, 0},
		{0x00016083, "lwu x1, 0(x2)", OP_LWU, 1, 2, NR, 0},
		{0x00110023, "sb x1, 0(x2)", OP_SB, NR, 2, 1, 0},
		{0x00111023, "sh x1, 0(x2)", OP_SH, NR, 2, 1, 0},
		{0x00112023, "sw x1, 0(x2)", OP_SW, NR, 2, 1, 0},
		{0x00113023, "sd x1, 0(x2)", OP_SD, NR, 2, 1, 0},
		{0x00110093, "addi x1, x2, 1", OP_ADDI, 1, 2, NR, 1},
		{0x00112093, "slti x1, x2, 1", OP_SLTI, 1, 2, NR, 1},
		{0x00113093, "sltiu x1, x2, 1", OP_SLTIU, 1, 2, NR, 1},
		{0x00114093, "xori x1, x2, 1", OP_XORI, 1, 2, NR, 1},
		{0x00116093, "ori x1, x2, 1", OP_ORI, 1, 2, NR, 1},
		{0x00117093, "andi x1, x2, 1", OP_ANDI, 1, 2, NR, 1},
		{0x00111093, "slli x1, x2, 1", OP_SLLI, 1, 2, NR, NI},
		{0x00115093, "srli x1, x2, 1", OP_SRLI, 1, 2, NR, NI},
		{0x40115093, "srai x1, x2, 1", OP_SRAI, 1, 2, NR, NI},
		{0x003100b3, "add x1, x2, x3", OP_ADD, 1, 2, 3, NI},
		{0x403100b3, "sub x1, x2, x3", OP_SUB, 1, 2, 3, NI},
		{0x003110b3, "sll x1, x2, x3", OP_SLL, 1, 2, 3, NI},
		{0x003120b3, "slt x1, x2, x3", OP_SLT, 1, 2, 3, NI},
		{0x003130b3, "sltu x1, x2, x3", OP_SLTU, 1, 2, 3, NI},
		{0x003140b3, "xor x1, x2, x3", OP_XOR, 1, 2, 3, NI},
		{0x003150b3, "srl x1, x2, x3", OP_SRL, 1, 2, 3, NI},
		{0x403150b3, "sra x1, x2, x3", OP_SRA, 1, 2, 3, NI},
		{0x003160b3, "or x1, x2, x3", OP_OR, 1, 2, 3, NI},
		{0x003170b3, "and x1, x2, x3", OP_AND, 1, 2, 3, NI},
		{0x0011009b, "addiw x1, x2, 1", OP_ADDIW, 1, 2, NR, 1},
		{0x0011109b, "slliw x1, x2, 1", OP_SLLIW, 1, 2, NR, NI},
		{0x0011509b, "srliw x1, x2, 1", OP_SRLIW, 1, 2, NR, NI},
		{0x4011509b, "sraiw x1, x2, 1", OP_SRAIW, 1, 2, NR, NI},
		{0x003100bb, "addw x1, x2, x3", OP_ADDW, 1, 2, 3, NI},
		{0x403100bb, "subw x1, x2, x3", OP_SUBW, 1, 2, 3, NI},
		{0x003110bb, "sllw x1, x2, x3", OP_SLLW, 1, 2, 3, NI},
		{0x003150bb, "srlw x1, x2, x3", OP_SRLW, 1, 2, 3, NI},
		{0x403150bb, "sraw x1, x2, x3", OP_SRAW, 1, 2, 3, NI},
		{0x023100b3, "mul x1, x2, x3", OP_MUL, 1, 2, 3, NI},
		{0x023110b3, "mulh x1, x2, x3", OP_MULH, 1, 2, 3, NI},
		{0x023120b3, "mulhsu x1, x2, x3", OP_MULHSU, 1, 2, 3, NI},
		{0x023130b3, "mulhu x1, x2, x3", OP_MULHU, 1, 2, 3, NI},
		{0x023140b3, "div x1, x2, x3", OP_DIV, 1, 2, 3, NI},
		{0x023150b3, "divu x1, x2, x3", OP_DIVU, 1, 2, 3, NI},
		{0x023160b3, "rem x1, x2, x3", OP_REM, 1, 2, 3, NI},
		{0x023170b3, "remu x1, x2, x3", OP_REMU, 1, 2, 3, NI},
		{0x023100bb, "mulw x1, x2, x3", OP_MULW, 1, 2, 3, NI},
		{0x023140bb, "divw x1, x2, x3", OP_DIVW, 1, 2, 3, NI},
		{0x023150bb, "divuw x1, x2, x3", OP_DIVUW, 1, 2, 3, NI},
		{0x023160bb, "remw x1, x2, x3", OP_REMW, 1, 2, 3, NI},
		{0x023170bb, "remuw x1, x2, x3", OP_REMUW, 1, 2, 3, NI},
		{0x02a4f43b, "remuw x8, x9, x10", OP_REMUW, 8, 9, 10, NI},
		{0x100120af, "lr.w x1, (x2)", OP_LR_W, 1, 2, 0, NI},
		{0x183120af, "sc.w x1, x3, (x2)", OP_SC_W, 1, 2, 3, NI},
		{0x083120af, "amoswap.w x1, x3, (x2)", OP_AMOSWAP_W, 1, 2, 3,
		 NI},
		{0x003120af, "amoadd.w x1, x3, (x2)", OP_AMOADD_W, 1, 2, 3, NI},
		{0x203120af, "amoxor.w x1, x3, (x2)", OP_AMOXOR_W, 1, 2, 3, NI},
		{0x603120af, "amoand.w x1, x3, (x2)", OP_AMOAND_W, 1, 2, 3, NI},
		{0x403120af, "amoor.w x1, x3, (x2)", OP_AMOOR_W, 1, 2, 3, NI},
		{0x803120af, "amomin.w x1, x3, (x2)", OP_AMOMIN_W, 1, 2, 3, NI},
		{0xa03120af, "amomax.w x1, x3, (x2)", OP_AMOMAX_W, 1, 2, 3, NI},
		{0xc03120af, "amominu.w x1, x3, (x2)", OP_AMOMINU_W, 1, 2, 3,
		 NI},
		{0xe03120af, "amomaxu.w x1, x3, (x2)", OP_AMOMAXU_W, 1, 2, 3,
		 NI},
		{0x100130af, "lr.d x1, (x2)", OP_LR_D, 1, 2, 0, NI},
		{0x183130af, "sc.d x1, x3, (x2)", OP_SC_D, 1, 2, 3, NI},
		{0x083130af, "amoswap.d x1, x3, (x2)", OP_AMOSWAP_D, 1, 2, 3,
		 NI},
		{0x003130af, "amoadd.d x1, x3, (x2)", OP_AMOADD_D, 1, 2, 3, NI},
		{0x203130af, "amoxor.d x1, x3, (x2)", OP_AMOXOR_D, 1, 2, 3, NI},
		{0x603130af, "amoand.d x1, x3, (x2)", OP_AMOAND_D, 1, 2, 3, NI},
		{0x403130af, "amoor.d x1, x3, (x2)", OP_AMOOR_D, 1, 2, 3, NI},
		{0x803130af, "amomin.d x1, x3, (x2)", OP_AMOMIN_D, 1, 2, 3, NI},
		{0xa03130af, "amomax.d x1, x3, (x2)", OP_AMOMAX_D, 1, 2, 3, NI},
		{0xc03130af, "amominu.d x1, x3, (x2)", OP_AMOMINU_D, 1, 2, 3,
		 NI},
		{0xe03130af, "amomaxu.d x1, x3, (x2)", OP_AMOMAXU_D, 1, 2, 3,
		 NI},
		{0x0330000f, "fence rw, rw", OP_FENCE, NR, NR, NR, NI},
		{0x0ff0000f, "fence iorw, iorw", OP_FENCE, NR, NR, NR, NI},
		{0x0000100f, "fence.i", OP_FENCE_I, NR, NR, NR, NI},
		{0x00000073, "ecall", OP_ECALL, NR, NR, NR, NI},
		{0x00100073, "ebreak", OP_EBREAK, NR, NR, NR, NI},
		{0x30200073, "mret", OP_MRET, NR, NR, NR, NI},
		{0x10200073, "sret", OP_SRET, NR, NR, NR, NI},
		{0x10500073, "wfi", OP_WFI, NR, NR, NR, NI},
		{0x12208073, "sfence.vma x1, x2", OP_SFENCE_VMA, NR, 1, 2, NI},
		{0x12000073, "sfence.vma x0, x0", OP_SFENCE_VMA, NR, 0, 0, NI},
	};
	check_cases(t);
}

static void test_fp_op_mapping(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0x00012087, "flw f1, 0(x2)", OP_FLW, 1, 2, NR, 0},
		{0x00112027, "fsw f1, 0(x2)", OP_FSW, NR, 2, 1, 0},
		{0x00013087, "fld f1, 0(x2)", OP_FLD, 1, 2, NR, 0},
		{0x00113027, "fsd f1, 0(x2)", OP_FSD, NR, 2, 1, 0},
		{0x203170c3, "fmadd.s f1, f2, f3, f4", OP_FMADD_S, 1, 2, 3, NI},
		{0x203170c7, "fmsub.s f1, f2, f3, f4", OP_FMSUB_S, 1, 2, 3, NI},
		{0x203170cb, "fnmsub.s f1, f2, f3, f4", OP_FNMSUB_S, 1, 2, 3,
		 NI},
		{0x203170cf, "fnmadd.s f1, f2, f3, f4", OP_FNMADD_S, 1, 2, 3,
		 NI},
		{0x003170d3, "fadd.s f1, f2, f3", OP_FADD_S, 1, 2, 3, NI},
		{0x083170d3, "fsub.s f1, f2, f3", OP_FSUB_S, 1, 2, 3, NI},
		{0x103170d3, "fmul.s f1, f2, f3", OP_FMUL_S, 1, 2, 3, NI},
		{0x183170d3, "fdiv.s f1, f2, f3", OP_FDIV_S, 1, 2, 3, NI},
		{0x580170d3, "fsqrt.s f1, f2", OP_FSQRT_S, 1, 2, NR, NI},
		{0x203100d3, "fsgnj.s f1, f2, f3", OP_FSGNJ_S, 1, 2, 3, NI},
		{0x203110d3, "fsgnjn.s f1, f2, f3", OP_FSGNJN_S, 1, 2, 3, NI},
		{0x203120d3, "fsgnjx.s f1, f2, f3", OP_FSGNJX_S, 1, 2, 3, NI},
		{0x283100d3, "fmin.s f1, f2, f3", OP_FMIN_S, 1, 2, 3, NI},
		{0x283110d3, "fmax.s f1, f2, f3", OP_FMAX_S, 1, 2, 3, NI},
		{0xc00170d3, "fcvt.w.s x1, f2", OP_FCVT_W_S, 1, 2, NR, NI},
		{0xc01170d3, "fcvt.wu.s x1, f2", OP_FCVT_WU_S, 1, 2, NR, NI},
		{0xc02170d3, "fcvt.l.s x1, f2", OP_FCVT_L_S, 1, 2, NR, NI},
		{0xc03170d3, "fcvt.lu.s x1, f2", OP_FCVT_LU_S, 1, 2, NR, NI},
		{0xe00100d3, "fmv.x.w x1, f2", OP_FMV_X_W, 1, 2, NR, NI},
		{0xa03120d3, "feq.s x1, f2, f3", OP_FEQ_S, 1, 2, 3, NI},
		{0xa03110d3, "flt.s x1, f2, f3", OP_FLT_S, 1, 2, 3, NI},
		{0xa03100d3, "fle.s x1, f2, f3", OP_FLE_S, 1, 2, 3, NI},
		{0xe00110d3, "fclass.s x1, f2", OP_FCLASS_S, 1, 2, NR, NI},
		{0xd00170d3, "fcvt.s.w f1, x2", OP_FCVT_S_W, 1, 2, NR, NI},
		{0xd01170d3, "fcvt.s.wu f1, x2", OP_FCVT_S_WU, 1, 2, NR, NI},
		{0xd02170d3, "fcvt.s.l f1, x2", OP_FCVT_S_L, 1, 2, NR, NI},
		{0xd03170d3, "fcvt.s.lu f1, x2", OP_FCVT_S_LU, 1, 2, NR, NI},
		{0xf00100d3, "fmv.w.x f1, x2", OP_FMV_W_X, 1, 2, NR, NI},
		{0x223170c3, "fmadd.d f1, f2, f3, f4", OP_FMADD_D, 1, 2, 3, NI},
		{0x223170c7, "fmsub.d f1, f2, f3, f4", OP_FMSUB_D, 1, 2, 3, NI},
		{0x223170cb, "fnmsub.d f1, f2, f3, f4", OP_FNMSUB_D, 1, 2, 3,
		 NI},
		{0x223170cf, "fnmadd.d f1, f2, f3, f4", OP_FNMADD_D, 1, 2, 3,
		 NI},
		{0x023170d3, "fadd.d f1, f2, f3", OP_FADD_D, 1, 2, 3, NI},
		{0x0a3170d3, "fsub.d f1, f2, f3", OP_FSUB_D, 1, 2, 3, NI},
		{0x123170d3, "fmul.d f1, f2, f3", OP_FMUL_D, 1, 2, 3, NI},
		{0x1a3170d3, "fdiv.d f1, f2, f3", OP_FDIV_D, 1, 2, 3, NI},
		{0x5a0170d3, "fsqrt.d f1, f2", OP_FSQRT_D, 1, 2, NR, NI},
		{0x223100d3, "fsgnj.d f1, f2, f3", OP_FSGNJ_D, 1, 2, 3, NI},
		{0x223110d3, "fsgnjn.d f1, f2, f3", OP_FSGNJN_D, 1, 2, 3, NI},
		{0x223120d3, "fsgnjx.d f1, f2, f3", OP_FSGNJX_D, 1, 2, 3, NI},
		{0x2a3100d3, "fmin.d f1, f2, f3", OP_FMIN_D, 1, 2, 3, NI},
		{0x2a3110d3, "fmax.d f1, f2, f3", OP_FMAX_D, 1, 2, 3, NI},
		{0xc20170d3, "fcvt.w.d x1, f2", OP_FCVT_W_D, 1, 2, NR, NI},
		{0xc21170d3, "fcvt.wu.d x1, f2", OP_FCVT_WU_D, 1, 2, NR, NI},
		{0xc22170d3, "fcvt.l.d x1, f2", OP_FCVT_L_D, 1, 2, NR, NI},
		{0xc23170d3, "fcvt.lu.d x1, f2", OP_FCVT_LU_D, 1, 2, NR, NI},
		{0xe20100d3, "fmv.x.d x1, f2", OP_FMV_X_D, 1, 2, NR, NI},
		{0xa23120d3, "feq.d x1, f2, f3", OP_FEQ_D, 1, 2, 3, NI},
		{0xa23110d3, "flt.d x1, f2, f3", OP_FLT_D, 1, 2, 3, NI},
		{0xa23100d3, "fle.d x1, f2, f3", OP_FLE_D, 1, 2, 3, NI},
		{0xe20110d3, "fclass.d x1, f2", OP_FCLASS_D, 1, 2, NR, NI},
		{0xd20170d3, "fcvt.d.w f1, x2", OP_FCVT_D_W, 1, 2, NR, NI},
		{0xd21170d3, "fcvt.d.wu f1, x2", OP_FCVT_D_WU, 1, 2, NR, NI},
		{0xd22170d3, "fcvt.d.l f1, x2", OP_FCVT_D_L, 1, 2, NR, NI},
		{0xd23170d3, "fcvt.d.lu f1, x2", OP_FCVT_D_LU, 1, 2, NR, NI},
		{0xf20100d3, "fmv.d.x f1, x2", OP_FMV_D_X, 1, 2, NR, NI},
		{0x401170d3, "fcvt.s.d f1, f2", OP_FCVT_S_D, 1, 2, NR, NI},
		{0x420100d3, "fcvt.d.s f1, f2", OP_FCVT_D_S, 1, 2, NR, NI},
	};
	check_cases(t);
}

/* ------------------------------------------------------------------ */
/* compressed instructions                                              */

static void test_compressed_quadrant0(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0x0040, "c.addi4spn x8, x2, 4", OP_ADDI, 8, 2, NR, 4},
		{0x1ffc, "c.addi4spn x15, x2, 1020", OP_ADDI, 15, 2, NR, 1020},
		{0x5d64, "c.lw x9, 124(x10)", OP_LW, 9, 10, NR, 124},
		{0x7e6c, "c.ld x11, 248(x12)", OP_LD, 11, 12, NR, 248},
		{0x3ce0, "c.fld f8, 248(x9)", OP_FLD, 8, 9, NR, 248},
		{0xdf74, "c.sw x13, 124(x14)", OP_SW, NR, 14, 13, 124},
		{0xfc7c, "c.sd x15, 248(x8)", OP_SD, NR, 8, 15, 248},
		{0xa51c, "c.fsd f15, 8(x10)", OP_FSD, NR, 10, 15, 8},
		/* each offset bit alone */
		{0x0020, "c.addi4spn x8, x2, 8", OP_ADDI, 8, 2, NR, 8},
		{0x0800, "c.addi4spn x8, x2, 16", OP_ADDI, 8, 2, NR, 16},
		{0x1000, "c.addi4spn x8, x2, 32", OP_ADDI, 8, 2, NR, 32},
		{0x0080, "c.addi4spn x8, x2, 64", OP_ADDI, 8, 2, NR, 64},
		{0x0100, "c.addi4spn x8, x2, 128", OP_ADDI, 8, 2, NR, 128},
		{0x0200, "c.addi4spn x8, x2, 256", OP_ADDI, 8, 2, NR, 256},
		{0x0400, "c.addi4spn x8, x2, 512", OP_ADDI, 8, 2, NR, 512},
		{0x40c0, "c.lw x8, 4(x9)", OP_LW, 8, 9, NR, 4},
		{0x4480, "c.lw x8, 8(x9)", OP_LW, 8, 9, NR, 8},
		{0x4880, "c.lw x8, 16(x9)", OP_LW, 8, 9, NR, 16},
		{0x5080, "c.lw x8, 32(x9)", OP_LW, 8, 9, NR, 32},
		{0x40a0, "c.lw x8, 64(x9)", OP_LW, 8, 9, NR, 64},
		{0x6480, "c.ld x8, 8(x9)", OP_LD, 8, 9, NR, 8},
		{0x6880, "c.ld x8, 16(x9)", OP_LD, 8, 9, NR, 16},
		{0x7080, "c.ld x8, 32(x9)", OP_LD, 8, 9, NR, 32},
		{0x60a0, "c.ld x8, 64(x9)", OP_LD, 8, 9, NR, 64},
		{0x60c0, "c.ld x8, 128(x9)", OP_LD, 8, 9, NR, 128},
	};
	check_cases(t);
}

static void test_compressed_quadrant1(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0x0001, "c.nop", OP_ADDI, SINK, 0, NR, 0},
		{0x1281, "c.addi x5, -32", OP_ADDI, 5, 5, NR, -32},
		{0x02fd, "c.addi x5, 31", OP_ADDI, 5, 5, NR, 31},
		{0x337d, "c.addiw x6, -1", OP_ADDIW, 6, 6, NR, -1},
		{0x5381, "c.li x7, -32", OP_ADDI, 7, 0, NR, -32},
		{0x7401, "c.lui x8, 0xfffe0", OP_LUI, 8, NR, NR, -131072},
		{0x647d, "c.lui x8, 0x1f", OP_LUI, 8, NR, NR, 0x1f000},
		{0x6085, "c.lui x1, 1", OP_LUI, 1, NR, NR, 0x1000},
		{0x7101, "c.addi16sp x2, -512", OP_ADDI, 2, 2, NR, -512},
		{0x617d, "c.addi16sp x2, 496", OP_ADDI, 2, 2, NR, 496},
		{0x6141, "c.addi16sp x2, 16", OP_ADDI, 2, 2, NR, 16},
		{0x6105, "c.addi16sp x2, 32", OP_ADDI, 2, 2, NR, 32},
		{0x6121, "c.addi16sp x2, 64", OP_ADDI, 2, 2, NR, 64},
		{0x6109, "c.addi16sp x2, 128", OP_ADDI, 2, 2, NR, 128},
		{0x6111, "c.addi16sp x2, 256", OP_ADDI, 2, 2, NR, 256},
		{0x907d, "c.srli x8, 63", OP_SRLI, 8, 8, NR, NI},
		{0x8485, "c.srai x9, 1", OP_SRAI, 9, 9, NR, NI},
		{0x9901, "c.andi x10, -32", OP_ANDI, 10, 10, NR, -32},
		{0x8c05, "c.sub x8, x9", OP_SUB, 8, 8, 9, NI},
		{0x8d2d, "c.xor x10, x11", OP_XOR, 10, 10, 11, NI},
		{0x8e55, "c.or x12, x13", OP_OR, 12, 12, 13, NI},
		{0x8f7d, "c.and x14, x15", OP_AND, 14, 14, 15, NI},
		{0x9c1d, "c.subw x8, x15", OP_SUBW, 8, 8, 15, NI},
		{0x9fa1, "c.addw x15, x8", OP_ADDW, 15, 15, 8, NI},
		{0x9c01, "c.subw x8, x8", OP_SUBW, 8, 8, 8, NI},
		{0xb001, "c.j .-2048", OP_JAL, SINK, NR, NR, -2048},
		{0xaffd, "c.j .+2046", OP_JAL, SINK, NR, NR, 2046},
		{0xa009, "c.j .+2", OP_JAL, SINK, NR, NR, 2},
		{0xa011, "c.j .+4", OP_JAL, SINK, NR, NR, 4},
		{0xa021, "c.j .+8", OP_JAL, SINK, NR, NR, 8},
		{0xa801, "c.j .+16", OP_JAL, SINK, NR, NR, 16},
		{0xa005, "c.j .+32", OP_JAL, SINK, NR, NR, 32},
		{0xa081, "c.j .+64", OP_JAL, SINK, NR, NR, 64},
		{0xa041, "c.j .+128", OP_JAL, SINK, NR, NR, 128},
		{0xa201, "c.j .+256", OP_JAL, SINK, NR, NR, 256},
		{0xa401, "c.j .+512", OP_JAL, SINK, NR, NR, 512},
		{0xa101, "c.j .+1024", OP_JAL, SINK, NR, NR, 1024},
		{0xd001, "c.beqz x8, .-256", OP_BEQ, NR, 8, 0, -256},
		{0xeffd, "c.bnez x15, .+254", OP_BNE, NR, 15, 0, 254},
		{0xc009, "c.beqz x8, .+2", OP_BEQ, NR, 8, 0, 2},
		{0xc011, "c.beqz x8, .+4", OP_BEQ, NR, 8, 0, 4},
		{0xc401, "c.beqz x8, .+8", OP_BEQ, NR, 8, 0, 8},
		{0xc801, "c.beqz x8, .+16", OP_BEQ, NR, 8, 0, 16},
		{0xc005, "c.beqz x8, .+32", OP_BEQ, NR, 8, 0, 32},
		{0xc021, "c.beqz x8, .+64", OP_BEQ, NR, 8, 0, 64},
		{0xc041, "c.beqz x8, .+128", OP_BEQ, NR, 8, 0, 128},
	};
	check_cases(t);
}

static void test_compressed_quadrant2(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0x1ffe, "c.slli x31, 63", OP_SLLI, 31, 31, NR, NI},
		{0x50fe, "c.lwsp x1, 252(x2)", OP_LW, 1, 2, NR, 252},
		{0x7ffe, "c.ldsp x31, 504(x2)", OP_LD, 31, 2, NR, 504},
		{0x31fe, "c.fldsp f3, 504(x2)", OP_FLD, 3, 2, NR, 504},
		{0xdf82, "c.swsp x0, 252(x2)", OP_SW, NR, 2, 0, 252},
		{0xfffe, "c.sdsp x31, 504(x2)", OP_SD, NR, 2, 31, 504},
		{0xa47e, "c.fsdsp f31, 8(x2)", OP_FSD, NR, 2, 31, 8},
		{0x8082, "c.jr x1", OP_JALR, SINK, 1, NR, 0},
		{0x9282, "c.jalr x5", OP_JALR, 1, 5, NR, 0},
		{0x852e, "c.mv x10, x11", OP_ADD, 10, 0, 11, NI},
		{0x9636, "c.add x12, x13", OP_ADD, 12, 12, 13, NI},
		{0x9002, "c.ebreak", OP_EBREAK, NR, NR, NR, NI},
		/* each offset bit alone */
		{0x4412, "c.lwsp x8, 4(x2)", OP_LW, 8, 2, NR, 4},
		{0x4422, "c.lwsp x8, 8(x2)", OP_LW, 8, 2, NR, 8},
		{0x4442, "c.lwsp x8, 16(x2)", OP_LW, 8, 2, NR, 16},
		{0x5402, "c.lwsp x8, 32(x2)", OP_LW, 8, 2, NR, 32},
		{0x4406, "c.lwsp x8, 64(x2)", OP_LW, 8, 2, NR, 64},
		{0x440a, "c.lwsp x8, 128(x2)", OP_LW, 8, 2, NR, 128},
		{0x6422, "c.ldsp x8, 8(x2)", OP_LD, 8, 2, NR, 8},
		{0x6442, "c.ldsp x8, 16(x2)", OP_LD, 8, 2, NR, 16},
		{0x7402, "c.ldsp x8, 32(x2)", OP_LD, 8, 2, NR, 32},
		{0x6406, "c.ldsp x8, 64(x2)", OP_LD, 8, 2, NR, 64},
		{0x640a, "c.ldsp x8, 128(x2)", OP_LD, 8, 2, NR, 128},
		{0x6412, "c.ldsp x8, 256(x2)", OP_LD, 8, 2, NR, 256},
		{0xc222, "c.swsp x8, 4(x2)", OP_SW, NR, 2, 8, 4},
		{0xc422, "c.swsp x8, 8(x2)", OP_SW, NR, 2, 8, 8},
		{0xc822, "c.swsp x8, 16(x2)", OP_SW, NR, 2, 8, 16},
		{0xd022, "c.swsp x8, 32(x2)", OP_SW, NR, 2, 8, 32},
		{0xc0a2, "c.swsp x8, 64(x2)", OP_SW, NR, 2, 8, 64},
		{0xc122, "c.swsp x8, 128(x2)", OP_SW, NR, 2, 8, 128},
		{0xe422, "c.sdsp x8, 8(x2)", OP_SD, NR, 2, 8, 8},
		{0xe822, "c.sdsp x8, 16(x2)", OP_SD, NR, 2, 8, 16},
		{0xf022, "c.sdsp x8, 32(x2)", OP_SD, NR, 2, 8, 32},
		{0xe0a2, "c.sdsp x8, 64(x2)", OP_SD, NR, 2, 8, 64},
		{0xe122, "c.sdsp x8, 128(x2)", OP_SD, NR, 2, 8, 128},
		{0xe222, "c.sdsp x8, 256(x2)", OP_SD, NR, 2, 8, 256},
	};
	check_cases(t);
}

/* The upper half of the word is the next parcel: it must not leak in. */
static void test_compressed_ignores_upper_half(void **state)
{
	(void)state;
	struct insn a = dec(0x852e), b = dec(0xdead852e);

	assert_int_equal(b.len, 2);
	assert_int_equal(b.raw, 0x852e);
	assert_int_equal(a.op, b.op);
	assert_int_equal(a.rd, b.rd);
	assert_int_equal(a.rs1, b.rs1);
	assert_int_equal(a.rs2, b.rs2);
	assert_int_equal(a.imm, b.imm);
}

/* ------------------------------------------------------------------ */
/* reserved encodings                                                   */

static void test_reserved_encodings_illegal(void **state)
{
	(void)state;
	static const struct {
		uint32_t raw;
		const char *why;
	} t[] = {
		/* RVC */
		{0x0000, "all-zero parcel (defined illegal)"},
		{0x0004, "c.addi4spn x9 with nzuimm=0"},
		{0x8000, "quadrant 0 funct3=100 (reserved)"},
		{0x9ffc, "quadrant 0 funct3=100 (reserved), other bits set"},
		{0x6401, "c.lui x8 with nzimm=0"},
		{0x6181, "c.lui x3 with nzimm=0"},
		{0x6101, "c.addi16sp with nzimm=0"},
		{0x2001, "c.addiw with rd=x0"},
		{0x9c41, "quadrant 1 funct6=100111 funct2=10 (reserved)"},
		{0x9c61, "quadrant 1 funct6=100111 funct2=11 (reserved)"},
		{0x4002, "c.lwsp with rd=x0"},
		{0x507e, "c.lwsp x0, 252(x2)"},
		{0x6002, "c.ldsp with rd=x0"},
		{0x8002, "c.jr with rs1=x0"},
		/* FP formats H (fmt=2) and Q (fmt=3) are not implemented */
		{0x043110d3, "fadd with fmt=2 (.h)"},
		{0x063110d3, "fadd with fmt=3 (.q)"},
		{0x3c62c243, "fmadd with fmt=2 (.h)"},
		{0x3e62c243, "fmadd with fmt=3 (.q)"},
		{0x400080d3, "fcvt.s.s (funct7=0x20, rs2=0)"},
		{0x421080d3, "fcvt.d.d (funct7=0x21, rs2=1)"},
		{0x5a1170d3, "fsqrt.d with rs2=1"},
		{0xc04080d3, "fcvt.w.s with rs2=4"},
		{0xe01080d3, "fmv.x.d with rs2=1"},
		{0xe01090d3, "fclass.d with rs2=1"},
		{0xf00090d3, "fmv.w.x with funct3=1"},
		/* unknown funct7 / funct6 / funct3 */
		{0x04208033, "OP funct7=0x02"},
		{0x0ce0c0b3, "OP funct7=0x06"},
		{0x40209033, "sll with funct7=0x20"},
		{0x48308033, "OP funct7=0x24 funct3=0"},
		{0x0420803b, "OP-32 funct7=0x02"},
		{0x04209013, "slli with funct6=0x01"},
		{0x080140b3, "zext.h RV32 encoding (OP, not OP-32) on RV64"},
		{0x0000f003, "load funct3=7"},
		{0x00004023, "store funct3=4"},
		{0x0000a063, "branch funct3=2"},
		{0x000010e7, "jalr funct3=1"},
		{0x2830a0af, "AMO funct5=0x05"},
		{0x0830c0af, "AMO funct3=4"},
		{0x141120af, "lr.w.aq with rs2=x1"},
		{0x161130af, "lr.d.aqrl with rs2=x1"},
		/* SYSTEM */
		{0x000000f3, "ecall with rd=x1"},
		{0x00108073, "ebreak with rs1=x1"},
		{0x00004073, "SYSTEM funct3=4"},
		{0x22208073, "hfence.vvma (no H extension)"},
		/* MISC-MEM */
		{0x0045208f, "cbo.zero with rd=x1"},
		{0x0035200f, "cbo funct12=3"},
		/* other major opcodes */
		{0x0000000b, "custom-0"},
		{0x0000001f, "48-bit encoding prefix"},
		{0xffffffff, "all ones"},
	};
	int bad = 0;

	for (size_t i = 0; i < N(t); i++) {
		struct insn in = dec(t[i].raw);
		unsigned len = (t[i].raw & 3) == 3 ? 4 : 2;
		if (in.op != OP_ILLEGAL || in.len != len) {
			print_error("0x%08x (%s): decoded as %s len %u, "
				    "expected ILLEGAL len %u\n",
				    t[i].raw, t[i].why, op_name(in.op), in.len,
				    len);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* ------------------------------------------------------------------ */
/* extensions                                                            */

static void test_zba(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0x203120b3, "sh1add x1, x2, x3", OP_SH1ADD, 1, 2, 3, NI},
		{0x203140b3, "sh2add x1, x2, x3", OP_SH2ADD, 1, 2, 3, NI},
		{0x203160b3, "sh3add x1, x2, x3", OP_SH3ADD, 1, 2, 3, NI},
		{0x083100bb, "add.uw x1, x2, x3", OP_ADD_UW, 1, 2, 3, NI},
		{0x203120bb, "sh1add.uw x1, x2, x3", OP_SH1ADD_UW, 1, 2, 3, NI},
		{0x203140bb, "sh2add.uw x1, x2, x3", OP_SH2ADD_UW, 1, 2, 3, NI},
		{0x203160bb, "sh3add.uw x1, x2, x3", OP_SH3ADD_UW, 1, 2, 3, NI},
		{0x0bf1109b, "slli.uw x1, x2, 63", OP_SLLI_UW, 1, 2, NR, NI},
	};
	check_cases(t);
}

static void test_zbb(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0x403170b3, "andn x1, x2, x3", OP_ANDN, 1, 2, 3, NI},
		{0x403160b3, "orn x1, x2, x3", OP_ORN, 1, 2, 3, NI},
		{0x403140b3, "xnor x1, x2, x3", OP_XNOR, 1, 2, 3, NI},
		{0x60011093, "clz x1, x2", OP_CLZ, 1, 2, NR, NI},
		{0x6001109b, "clzw x1, x2", OP_CLZW, 1, 2, NR, NI},
		{0x60111093, "ctz x1, x2", OP_CTZ, 1, 2, NR, NI},
		{0x6011109b, "ctzw x1, x2", OP_CTZW, 1, 2, NR, NI},
		{0x60211093, "cpop x1, x2", OP_CPOP, 1, 2, NR, NI},
		{0x6021109b, "cpopw x1, x2", OP_CPOPW, 1, 2, NR, NI},
		{0x0a3160b3, "max x1, x2, x3", OP_MAX, 1, 2, 3, NI},
		{0x0a3170b3, "maxu x1, x2, x3", OP_MAXU, 1, 2, 3, NI},
		{0x0a3140b3, "min x1, x2, x3", OP_MIN, 1, 2, 3, NI},
		{0x0a3150b3, "minu x1, x2, x3", OP_MINU, 1, 2, 3, NI},
		{0x60411093, "sext.b x1, x2", OP_SEXT_B, 1, 2, NR, NI},
		{0x60511093, "sext.h x1, x2", OP_SEXT_H, 1, 2, NR, NI},
		{0x080140bb, "zext.h x1, x2", OP_ZEXT_H, 1, 2, NR, NI},
		{0x603110b3, "rol x1, x2, x3", OP_ROL, 1, 2, 3, NI},
		{0x603110bb, "rolw x1, x2, x3", OP_ROLW, 1, 2, 3, NI},
		{0x603150b3, "ror x1, x2, x3", OP_ROR, 1, 2, 3, NI},
		{0x63f15093, "rori x1, x2, 63", OP_RORI, 1, 2, NR, NI},
		{0x61f1509b, "roriw x1, x2, 31", OP_RORIW, 1, 2, NR, NI},
		{0x603150bb, "rorw x1, x2, x3", OP_RORW, 1, 2, 3, NI},
		{0x28715093, "orc.b x1, x2", OP_ORC_B, 1, 2, NR, NI},
		{0x6b815093, "rev8 x1, x2", OP_REV8, 1, 2, NR, NI},
	};
	check_cases(t);
}

static void test_zbs(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0x483110b3, "bclr x1, x2, x3", OP_BCLR, 1, 2, 3, NI},
		{0x4bf11093, "bclri x1, x2, 63", OP_BCLRI, 1, 2, NR, NI},
		{0x483150b3, "bext x1, x2, x3", OP_BEXT, 1, 2, 3, NI},
		{0x4bf15093, "bexti x1, x2, 63", OP_BEXTI, 1, 2, NR, NI},
		{0x683110b3, "binv x1, x2, x3", OP_BINV, 1, 2, 3, NI},
		{0x6bf11093, "binvi x1, x2, 63", OP_BINVI, 1, 2, NR, NI},
		{0x283110b3, "bset x1, x2, x3", OP_BSET, 1, 2, 3, NI},
		{0x2bf11093, "bseti x1, x2, 63", OP_BSETI, 1, 2, NR, NI},
	};
	check_cases(t);
}

static void test_zicond(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0x0e3150b3, "czero.eqz x1, x2, x3", OP_CZERO_EQZ, 1, 2, 3, NI},
		{0x0e3170b3, "czero.nez x1, x2, x3", OP_CZERO_NEZ, 1, 2, 3, NI},
		{0x0e315033, "czero.eqz x0, x2, x3", OP_CZERO_EQZ, SINK, 2, 3,
		 NI},
	};
	check_cases(t);
	/* funct3 4 and 6 under funct7=0x07 are not Zicond */
	assert_int_equal(dec(0x0e3140b3).op, OP_ILLEGAL);
	assert_int_equal(dec(0x0e3160b3).op, OP_ILLEGAL);
}

static void test_zicbo(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0x0045200f, "cbo.zero (x10)", OP_CBO_ZERO, NR, 10, NR, NI},
		{0x0015a00f, "cbo.clean (x11)", OP_CBO_CLEAN, NR, 11, NR, NI},
		{0x0026200f, "cbo.flush (x12)", OP_CBO_FLUSH, NR, 12, NR, NI},
		{0x0006a00f, "cbo.inval (x13)", OP_CBO_INVAL, NR, 13, NR, NI},
	};
	check_cases(t);
}

/* ------------------------------------------------------------------ */
/* fields with a special meaning                                         */

/* The CSR number is an unsigned 12-bit field: 0xfff must not become -1. The
 * immediate forms carry their 5-bit uimm in rs1. */
static void test_csr_number_in_imm(void **state)
{
	(void)state;
	static const struct dcase t[] = {
		{0x300110f3, "csrrw x1, mstatus, x2", OP_CSRRW, 1, 2, NR,
		 0x300},
		{0xc0002073, "csrrs x0, cycle, x0", OP_CSRRS, SINK, 0, NR,
		 0xc00},
		{0x344433f3, "csrrc x7, mip, x8", OP_CSRRC, 7, 8, NR, 0x344},
		{0x1803d2f3, "csrrwi x5, satp, 7", OP_CSRRWI, 5, 7, NR, 0x180},
		{0x1040e373, "csrrsi x6, sie, 1", OP_CSRRSI, 6, 1, NR, 0x104},
		{0xfffff1f3, "csrrci x3, 0xfff, 31", OP_CSRRCI, 3, 31, NR,
		 0xfff},
		{0x800024f3, "csrrs x9, 0x800, x0", OP_CSRRS, 9, 0, NR, 0x800},
	};
	check_cases(t);
}

static void test_fp_rounding_mode(void **state)
{
	(void)state;
	static const struct {
		uint32_t raw;
		const char *text;
		int op;
		unsigned rm, rs3;
	} t[] = {
		{0x003100d3, "fadd.s f1, f2, f3, rne", OP_FADD_S, 0, 0},
		{0x003110d3, "fadd.s f1, f2, f3, rtz", OP_FADD_S, 1, 0},
		{0x003120d3, "fadd.s f1, f2, f3, rdn", OP_FADD_S, 2, 0},
		{0x003130d3, "fadd.s f1, f2, f3, rup", OP_FADD_S, 3, 0},
		{0x023170d3, "fadd.d f1, f2, f3, dyn", OP_FADD_D, 7, 0},
		{0x3a62c243, "fmadd.d f4, f5, f6, f7, rmm", OP_FMADD_D, 4, 7},
		{0xf83110c3, "fmadd.s f1, f2, f3, f31, rtz", OP_FMADD_S, 1, 31},
		{0x5a0f3fd3, "fsqrt.d f31, f30, rup", OP_FSQRT_D, 3, 0},
		{0xc225c553, "fcvt.l.d x10, f11, rmm", OP_FCVT_L_D, 4, 0},
		{0xc0008053, "fcvt.w.s x0, f1, rne", OP_FCVT_W_S, 0, 0},
	};
	int bad = 0;

	for (size_t i = 0; i < N(t); i++) {
		struct insn in = dec(t[i].raw);
		bool r4 = (t[i].raw & 0x73) == 0x43; /* R4 format */
		if (in.op != t[i].op || in.rm != t[i].rm ||
		    (r4 && in.rs3 != t[i].rs3)) {
			print_error("0x%08x (%s): got %s rm=%u rs3=%u\n",
				    t[i].raw, t[i].text, op_name(in.op), in.rm,
				    in.rs3);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* aq is instruction bit 26, rl bit 25: rm = aq << 1 | rl. */
static void test_amo_ordering_bits(void **state)
{
	(void)state;
	static const struct {
		uint32_t raw;
		const char *text;
		int op;
		unsigned rm;
	} t[] = {
		{0x100120af, "lr.w x1, (x2)", OP_LR_W, 0},
		{0x140120af, "lr.w.aq x1, (x2)", OP_LR_W, 2},
		{0x160130af, "lr.d.aqrl x1, (x2)", OP_LR_D, 3},
		{0x1a3130af, "sc.d.rl x1, x3, (x2)", OP_SC_D, 1},
		{0x0653222f, "amoadd.w.aqrl x4, x5, (x6)", OP_AMOADD_W, 3},
		{0x0a3120af, "amoswap.w.rl x1, x3, (x2)", OP_AMOSWAP_W, 1},
		{0x443130af, "amoor.d.aq x1, x3, (x2)", OP_AMOOR_D, 2},
		{0xe053322f, "amomaxu.d x4, x5, (x6)", OP_AMOMAXU_D, 0},
	};
	int bad = 0;

	for (size_t i = 0; i < N(t); i++) {
		struct insn in = dec(t[i].raw);
		if (in.op != t[i].op || in.rm != t[i].rm) {
			print_error("0x%08x (%s): got %s rm=%u, expected %s "
				    "rm=%u\n",
				    t[i].raw, t[i].text, op_name(in.op), in.rm,
				    op_name((unsigned)t[i].op), t[i].rm);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* ------------------------------------------------------------------ */
/* sweeps                                                                 */

static bool is_fp_op(unsigned op)
{
	return op >= OP_FLW && op <= OP_FCVT_D_S;
}

/* FP ops whose destination is an integer register */
static bool fp_writes_xreg(unsigned op)
{
	switch (op) {
	case OP_FCVT_W_S:
	case OP_FCVT_WU_S:
	case OP_FCVT_L_S:
	case OP_FCVT_LU_S:
	case OP_FMV_X_W:
	case OP_FEQ_S:
	case OP_FLT_S:
	case OP_FLE_S:
	case OP_FCLASS_S:
	case OP_FCVT_W_D:
	case OP_FCVT_WU_D:
	case OP_FCVT_L_D:
	case OP_FCVT_LU_D:
	case OP_FMV_X_D:
	case OP_FEQ_D:
	case OP_FLT_D:
	case OP_FLE_D:
	case OP_FCLASS_D: return true;
	}
	return false;
}

/* Ops without an integer destination (spec classification, written
 * independently of decode.c's list). */
static bool no_xrd(unsigned op)
{
	switch (op) {
	case OP_ILLEGAL:
	case OP_BEQ:
	case OP_BNE:
	case OP_BLT:
	case OP_BGE:
	case OP_BLTU:
	case OP_BGEU:
	case OP_SB:
	case OP_SH:
	case OP_SW:
	case OP_SD:
	case OP_FENCE:
	case OP_FENCE_I:
	case OP_ECALL:
	case OP_EBREAK:
	case OP_MRET:
	case OP_SRET:
	case OP_WFI:
	case OP_SFENCE_VMA:
	case OP_CBO_ZERO:
	case OP_CBO_CLEAN:
	case OP_CBO_FLUSH:
	case OP_CBO_INVAL: return true;
	}
	return is_fp_op(op) && !fp_writes_xreg(op);
}

/* Invariants every decode result must satisfy; returns a reason or NULL. */
static const char *insn_invariant(const struct insn *in, uint32_t raw)
{
	unsigned len = (raw & 3) == 3 ? 4 : 2;

	if (in->op >= OP__COUNT)
		return "op out of range";
	if (in->op == OP_DECODE || in->op == OP_PAGE_END ||
	    in->op == OP_CROSS_PAGE || in->op == OP_BLOCK_END)
		return "internal pseudo-op produced by the decoder";
	if (in->len != len)
		return "wrong length";
	if (in->raw != (len == 4 ? raw : (raw & 0xffff)))
		return "raw not preserved";
	if (in->handler != NULL)
		return "handler set by the decoder";
	if (in->op == OP_ILLEGAL)
		return (in->rd | in->rs1 | in->rs2 | in->rs3 | in->imm)
			       ? "illegal with non-zero fields"
			       : NULL;
	if (in->rd > 32 || in->rs1 > 32 || in->rs2 > 32 || in->rs3 > 32)
		return "register index > 32";
	if (in->rs1 == 32 || in->rs2 == 32 || in->rs3 == 32)
		return "source register is the sink";
	if (!no_xrd(in->op) && in->rd == 0)
		return "integer destination x0 not redirected to the sink";
	if (no_xrd(in->op) && in->rd == 32)
		return "op without integer destination has rd = sink";
	if (in->rm > 7)
		return "rm out of range";
	return NULL;
}

/* What the RV64C expansion of a legal parcel may look like (unprivileged
 * spec, "C" chapter): the base ops it names, offsets scaled by the access
 * size, c.j / c.jr / c.jalr link registers, c.beqz / c.bnez comparing a
 * popular register (x8-x15) with x0. */
static const char *rvc_shape(const struct insn *in)
{
	int size = 0;

	switch (in->op) {
	case OP_ADDI:
	case OP_ADDIW:
	case OP_LUI:
	case OP_SRLI:
	case OP_SRAI:
	case OP_ANDI:
	case OP_SUB:
	case OP_XOR:
	case OP_OR:
	case OP_AND:
	case OP_SUBW:
	case OP_ADDW:
	case OP_SLLI:
	case OP_ADD:
	case OP_EBREAK: return NULL;
	case OP_LW:
	case OP_SW: size = 4; break;
	case OP_LD:
	case OP_SD:
	case OP_FLD:
	case OP_FSD: size = 8; break;
	case OP_JAL:
		if (in->rd != 32)
			return "c.j must not link";
		return (in->imm & 1) ? "odd jump offset" : NULL;
	case OP_JALR:
		if (in->imm != 0 || (in->rd != 32 && in->rd != 1))
			return "c.jr/c.jalr with offset or odd link register";
		return NULL;
	case OP_BEQ:
	case OP_BNE:
		if (in->rs2 != 0 || in->rs1 < 8 || in->rs1 > 15)
			return "c.beqz/c.bnez register fields";
		return (in->imm & 1) ? "odd branch offset" : NULL;
	default: return "op no RV64C instruction expands to";
	}
	if (in->imm < 0 || in->imm % size)
		return "negative or unscaled load/store offset";
	return NULL;
}

static void test_sweep_all_16bit(void **state)
{
	(void)state;
	unsigned legal = 0, bad = 0;

	for (uint32_t v = 0; v < 0x10000; v++) {
		struct insn in;
		const char *why;

		/* (v & 3) == 3: a 32-bit encoding with zero upper half */
		insn_decode(&in, v);
		why = insn_invariant(&in, v);
		if (!why && in.len == 2 && in.op != OP_ILLEGAL)
			why = rvc_shape(&in);
		if (why && bad++ < 20)
			print_error("0x%04x -> %s: %s\n", v, op_name(in.op),
				    why);
		legal += in.op != OP_ILLEGAL;
	}
	assert_int_equal(bad, 0);
	/* 3 quadrants x 2^14 compressed encodings; few are reserved */
	assert_true(legal > 45000);
}

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static void test_sweep_random_32bit(void **state)
{
	(void)state;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	unsigned legal = 0, bad = 0;

	for (unsigned i = 0; i < (1u << 20); i++) {
		uint32_t v = (uint32_t)xorshift64(&seed) | 3;
		struct insn in;
		const char *why;

		insn_decode(&in, v);
		why = insn_invariant(&in, v);
		if (why && bad++ < 20)
			print_error("0x%08x -> %s: %s\n", v, op_name(in.op),
				    why);
		legal += in.op != OP_ILLEGAL;
	}
	assert_int_equal(bad, 0);
	assert_true(legal > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_imm_i_type),
		cmocka_unit_test(test_imm_s_type),
		cmocka_unit_test(test_imm_b_type),
		cmocka_unit_test(test_imm_u_type),
		cmocka_unit_test(test_imm_j_type),
		cmocka_unit_test(test_shift_amounts),
		cmocka_unit_test(test_rd_x0_redirected_to_sink),
		cmocka_unit_test(test_rd_not_redirected),
		cmocka_unit_test(test_rv64g_op_mapping),
		cmocka_unit_test(test_fp_op_mapping),
		cmocka_unit_test(test_compressed_quadrant0),
		cmocka_unit_test(test_compressed_quadrant1),
		cmocka_unit_test(test_compressed_quadrant2),
		cmocka_unit_test(test_compressed_ignores_upper_half),
		cmocka_unit_test(test_reserved_encodings_illegal),
		cmocka_unit_test(test_zba),
		cmocka_unit_test(test_zbb),
		cmocka_unit_test(test_zbs),
		cmocka_unit_test(test_zicond),
		cmocka_unit_test(test_zicbo),
		cmocka_unit_test(test_csr_number_in_imm),
		cmocka_unit_test(test_fp_rounding_mode),
		cmocka_unit_test(test_amo_ordering_bits),
		cmocka_unit_test(test_sweep_all_16bit),
		cmocka_unit_test(test_sweep_random_32bit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
