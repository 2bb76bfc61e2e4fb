#include "cpu/decode.h"

#include <string.h>

#define INSN_OP_NAME(name) #name,
const char *const insn_op_names[OP__COUNT] = {INSN_OPS(INSN_OP_NAME)};
#undef INSN_OP_NAME

static inline uint32_t bits(uint32_t v, int hi, int lo)
{
	return (v >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static inline int32_t sext(uint32_t v, int width)
{
	return (int32_t)(v << (32 - width)) >> (32 - width);
}

static int32_t imm_i(uint32_t r)
{
	return (int32_t)r >> 20;
}

static int32_t imm_s(uint32_t r)
{
	return sext((bits(r, 31, 25) << 5) | bits(r, 11, 7), 12);
}

static int32_t imm_b(uint32_t r)
{
	uint32_t v = (bits(r, 31, 31) << 12) | (bits(r, 7, 7) << 11) |
		     (bits(r, 30, 25) << 5) | (bits(r, 11, 8) << 1);
	return sext(v, 13);
}

static int32_t imm_j(uint32_t r)
{
	uint32_t v = (bits(r, 31, 31) << 20) | (bits(r, 19, 12) << 12) |
		     (bits(r, 20, 20) << 11) | (bits(r, 30, 21) << 1);
	return sext(v, 21);
}

/* ops that write an integer rd: x0 writes go to the sink */
static int writes_xrd(unsigned op)
{
	switch (op) {
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
	case OP_FSW:
	case OP_FSD:
	case OP_FENCE:
	case OP_FENCE_I:
	case OP_ECALL:
	case OP_EBREAK:
	case OP_MRET:
	case OP_SRET:
	case OP_WFI:
	case OP_SFENCE_VMA:
	case OP_ILLEGAL:
	case OP_CBO_ZERO:
	case OP_CBO_CLEAN:
	case OP_CBO_FLUSH:
	case OP_CBO_INVAL:
	case OP_FLW:
	case OP_FLD:
	case OP_FMADD_S:
	case OP_FMSUB_S:
	case OP_FNMSUB_S:
	case OP_FNMADD_S:
	case OP_FADD_S:
	case OP_FSUB_S:
	case OP_FMUL_S:
	case OP_FDIV_S:
	case OP_FSQRT_S:
	case OP_FSGNJ_S:
	case OP_FSGNJN_S:
	case OP_FSGNJX_S:
	case OP_FMIN_S:
	case OP_FMAX_S:
	case OP_FCVT_S_W:
	case OP_FCVT_S_WU:
	case OP_FCVT_S_L:
	case OP_FCVT_S_LU:
	case OP_FMV_W_X:
	case OP_FMADD_D:
	case OP_FMSUB_D:
	case OP_FNMSUB_D:
	case OP_FNMADD_D:
	case OP_FADD_D:
	case OP_FSUB_D:
	case OP_FMUL_D:
	case OP_FDIV_D:
	case OP_FSQRT_D:
	case OP_FSGNJ_D:
	case OP_FSGNJN_D:
	case OP_FSGNJX_D:
	case OP_FMIN_D:
	case OP_FMAX_D:
	case OP_FCVT_D_W:
	case OP_FCVT_D_WU:
	case OP_FCVT_D_L:
	case OP_FCVT_D_LU:
	case OP_FMV_D_X:
	case OP_FCVT_S_D:
	case OP_FCVT_D_S: return 0;
	default: return 1;
	}
}

static unsigned decode_op_imm(uint32_t r, int rv32w)
{
	unsigned f3 = bits(r, 14, 12), f6 = bits(r, 31, 26);
	unsigned f7 = bits(r, 31, 25), f12 = bits(r, 31, 20);

	if (!rv32w) {
		switch (f3) {
		case 0: return OP_ADDI;
		case 2: return OP_SLTI;
		case 3: return OP_SLTIU;
		case 4: return OP_XORI;
		case 6: return OP_ORI;
		case 7: return OP_ANDI;
		case 1:
			if (f6 == 0x00)
				return OP_SLLI;
			if (f6 == 0x12)
				return OP_BCLRI;
			if (f6 == 0x1a)
				return OP_BINVI;
			if (f6 == 0x0a)
				return OP_BSETI;
			if (f12 == 0x600)
				return OP_CLZ;
			if (f12 == 0x601)
				return OP_CTZ;
			if (f12 == 0x602)
				return OP_CPOP;
			if (f12 == 0x604)
				return OP_SEXT_B;
			if (f12 == 0x605)
				return OP_SEXT_H;
			return OP_ILLEGAL;
		case 5:
			if (f6 == 0x00)
				return OP_SRLI;
			if (f6 == 0x10)
				return OP_SRAI;
			if (f6 == 0x18)
				return OP_RORI;
			if (f6 == 0x12)
				return OP_BEXTI;
			if (f12 == 0x287)
				return OP_ORC_B;
			if (f12 == 0x6b8)
				return OP_REV8;
			return OP_ILLEGAL;
		}
		return OP_ILLEGAL;
	}
	switch (f3) {
	case 0: return OP_ADDIW;
	case 1:
		if (f7 == 0x00)
			return OP_SLLIW;
		if (f6 == 0x02)
			return OP_SLLI_UW;
		if (f12 == 0x600)
			return OP_CLZW;
		if (f12 == 0x601)
			return OP_CTZW;
		if (f12 == 0x602)
			return OP_CPOPW;
		return OP_ILLEGAL;
	case 5:
		if (f7 == 0x00)
			return OP_SRLIW;
		if (f7 == 0x20)
			return OP_SRAIW;
		if (f7 == 0x30)
			return OP_RORIW;
		return OP_ILLEGAL;
	}
	return OP_ILLEGAL;
}

static unsigned decode_op(uint32_t r)
{
	unsigned f3 = bits(r, 14, 12), f7 = bits(r, 31, 25);

	switch (f7) {
	case 0x00: {
		static const unsigned t[8] = {OP_ADD, OP_SLL, OP_SLT, OP_SLTU,
					      OP_XOR, OP_SRL, OP_OR,  OP_AND};
		return t[f3];
	}
	case 0x20:
		switch (f3) {
		case 0: return OP_SUB;
		case 5: return OP_SRA;
		case 4: return OP_XNOR;
		case 6: return OP_ORN;
		case 7: return OP_ANDN;
		}
		return OP_ILLEGAL;
	case 0x01: {
		static const unsigned t[8] = {OP_MUL,	OP_MULH, OP_MULHSU,
					      OP_MULHU, OP_DIV,	 OP_DIVU,
					      OP_REM,	OP_REMU};
		return t[f3];
	}
	case 0x10:
		if (f3 == 2)
			return OP_SH1ADD;
		if (f3 == 4)
			return OP_SH2ADD;
		if (f3 == 6)
			return OP_SH3ADD;
		return OP_ILLEGAL;
	case 0x05:
		switch (f3) {
		case 4: return OP_MIN;
		case 5: return OP_MINU;
		case 6: return OP_MAX;
		case 7: return OP_MAXU;
		}
		return OP_ILLEGAL;
	case 0x30:
		if (f3 == 1)
			return OP_ROL;
		if (f3 == 5)
			return OP_ROR;
		return OP_ILLEGAL;
	case 0x24:
		if (f3 == 1)
			return OP_BCLR;
		if (f3 == 5)
			return OP_BEXT;
		return OP_ILLEGAL;
	case 0x34:
		if (f3 == 1)
			return OP_BINV;
		return OP_ILLEGAL;
	case 0x14:
		if (f3 == 1)
			return OP_BSET;
		return OP_ILLEGAL;
	case 0x07:
		if (f3 == 5)
			return OP_CZERO_EQZ;
		if (f3 == 7)
			return OP_CZERO_NEZ;
		return OP_ILLEGAL;
	}
	return OP_ILLEGAL;
}

static unsigned decode_op32(uint32_t r)
{
	unsigned f3 = bits(r, 14, 12), f7 = bits(r, 31, 25);

	switch (f7) {
	case 0x00:
		switch (f3) {
		case 0: return OP_ADDW;
		case 1: return OP_SLLW;
		case 5: return OP_SRLW;
		}
		return OP_ILLEGAL;
	case 0x20:
		if (f3 == 0)
			return OP_SUBW;
		if (f3 == 5)
			return OP_SRAW;
		return OP_ILLEGAL;
	case 0x01:
		switch (f3) {
		case 0: return OP_MULW;
		case 4: return OP_DIVW;
		case 5: return OP_DIVUW;
		case 6: return OP_REMW;
		case 7: return OP_REMUW;
		}
		return OP_ILLEGAL;
	case 0x04:
		if (f3 == 0)
			return OP_ADD_UW;
		if (f3 == 4 && bits(r, 24, 20) == 0)
			return OP_ZEXT_H;
		return OP_ILLEGAL;
	case 0x10:
		if (f3 == 2)
			return OP_SH1ADD_UW;
		if (f3 == 4)
			return OP_SH2ADD_UW;
		if (f3 == 6)
			return OP_SH3ADD_UW;
		return OP_ILLEGAL;
	case 0x30:
		if (f3 == 1)
			return OP_ROLW;
		if (f3 == 5)
			return OP_RORW;
		return OP_ILLEGAL;
	}
	return OP_ILLEGAL;
}

static unsigned decode_amo(uint32_t r)
{
	unsigned f3 = bits(r, 14, 12), f5 = bits(r, 31, 27);
	static const unsigned w[32] = {
		[0x02] = OP_LR_W,      [0x03] = OP_SC_W,
		[0x01] = OP_AMOSWAP_W, [0x00] = OP_AMOADD_W,
		[0x04] = OP_AMOXOR_W,  [0x0c] = OP_AMOAND_W,
		[0x08] = OP_AMOOR_W,   [0x10] = OP_AMOMIN_W,
		[0x14] = OP_AMOMAX_W,  [0x18] = OP_AMOMINU_W,
		[0x1c] = OP_AMOMAXU_W,
	};
	unsigned op;

	if (f3 != 2 && f3 != 3)
		return OP_ILLEGAL;
	op = w[f5];
	if (op == 0 /* OP_DECODE: hole in the table */)
		return OP_ILLEGAL;
	if ((op == OP_LR_W) && bits(r, 24, 20) != 0)
		return OP_ILLEGAL;
	if (f3 == 3)
		op += OP_LR_D - OP_LR_W;
	return op;
}

static unsigned decode_fp(uint32_t r)
{
	unsigned f7 = bits(r, 31, 25), rs2 = bits(r, 24, 20);
	unsigned f3 = bits(r, 14, 12);
	int d = f7 & 1;

	if ((f7 >> 1) & 1) /* fmt 2/3 (H, Q) not implemented */
		return OP_ILLEGAL;
	switch (f7 >> 2) {
	case 0x00: return d ? OP_FADD_D : OP_FADD_S;
	case 0x01: return d ? OP_FSUB_D : OP_FSUB_S;
	case 0x02: return d ? OP_FMUL_D : OP_FMUL_S;
	case 0x03: return d ? OP_FDIV_D : OP_FDIV_S;
	case 0x0b:
		if (rs2 != 0)
			return OP_ILLEGAL;
		return d ? OP_FSQRT_D : OP_FSQRT_S;
	case 0x04:
		if (f3 == 0)
			return d ? OP_FSGNJ_D : OP_FSGNJ_S;
		if (f3 == 1)
			return d ? OP_FSGNJN_D : OP_FSGNJN_S;
		if (f3 == 2)
			return d ? OP_FSGNJX_D : OP_FSGNJX_S;
		return OP_ILLEGAL;
	case 0x05:
		if (f3 == 0)
			return d ? OP_FMIN_D : OP_FMIN_S;
		if (f3 == 1)
			return d ? OP_FMAX_D : OP_FMAX_S;
		return OP_ILLEGAL;
	case 0x08: /* fcvt.s.d (f7=0x20, rs2=1) / fcvt.d.s (f7=0x21, rs2=0) */
		if (!d && rs2 == 1)
			return OP_FCVT_S_D;
		if (d && rs2 == 0)
			return OP_FCVT_D_S;
		return OP_ILLEGAL;
	case 0x18:
		switch (rs2) {
		case 0: return d ? OP_FCVT_W_D : OP_FCVT_W_S;
		case 1: return d ? OP_FCVT_WU_D : OP_FCVT_WU_S;
		case 2: return d ? OP_FCVT_L_D : OP_FCVT_L_S;
		case 3: return d ? OP_FCVT_LU_D : OP_FCVT_LU_S;
		}
		return OP_ILLEGAL;
	case 0x1a:
		switch (rs2) {
		case 0: return d ? OP_FCVT_D_W : OP_FCVT_S_W;
		case 1: return d ? OP_FCVT_D_WU : OP_FCVT_S_WU;
		case 2: return d ? OP_FCVT_D_L : OP_FCVT_S_L;
		case 3: return d ? OP_FCVT_D_LU : OP_FCVT_S_LU;
		}
		return OP_ILLEGAL;
	case 0x14:
		if (f3 == 2)
			return d ? OP_FEQ_D : OP_FEQ_S;
		if (f3 == 1)
			return d ? OP_FLT_D : OP_FLT_S;
		if (f3 == 0)
			return d ? OP_FLE_D : OP_FLE_S;
		return OP_ILLEGAL;
	case 0x1c:
		if (rs2 != 0)
			return OP_ILLEGAL;
		if (f3 == 0)
			return d ? OP_FMV_X_D : OP_FMV_X_W;
		if (f3 == 1)
			return d ? OP_FCLASS_D : OP_FCLASS_S;
		return OP_ILLEGAL;
	case 0x1e:
		if (rs2 != 0 || f3 != 0)
			return OP_ILLEGAL;
		return d ? OP_FMV_D_X : OP_FMV_W_X;
	}
	return OP_ILLEGAL;
}

static unsigned decode_system(struct insn *in, uint32_t r)
{
	unsigned f3 = bits(r, 14, 12);

	if (f3 == 0) {
		if (bits(r, 11, 7) != 0)
			return OP_ILLEGAL;
		if (r == 0x00000073)
			return OP_ECALL;
		if (r == 0x00100073)
			return OP_EBREAK;
		if (r == 0x30200073)
			return OP_MRET;
		if (r == 0x10200073)
			return OP_SRET;
		if (r == 0x10500073)
			return OP_WFI;
		if (bits(r, 31, 25) == 0x09)
			return OP_SFENCE_VMA;
		return OP_ILLEGAL;
	}
	in->imm = (int32_t)bits(r, 31, 20);
	switch (f3) {
	case 1: return OP_CSRRW;
	case 2: return OP_CSRRS;
	case 3: return OP_CSRRC;
	case 5: return OP_CSRRWI;
	case 6: return OP_CSRRSI;
	case 7: return OP_CSRRCI;
	}
	return OP_ILLEGAL;
}

static unsigned decode32(struct insn *in, uint32_t r)
{
	unsigned f3 = bits(r, 14, 12);

	in->rd = bits(r, 11, 7);
	in->rs1 = bits(r, 19, 15);
	in->rs2 = bits(r, 24, 20);
	in->rs3 = bits(r, 31, 27);
	in->rm = f3;
	switch (bits(r, 6, 0)) {
	case 0x37: in->imm = (int32_t)(r & 0xfffff000); return OP_LUI;
	case 0x17: in->imm = (int32_t)(r & 0xfffff000); return OP_AUIPC;
	case 0x6f: in->imm = imm_j(r); return OP_JAL;
	case 0x67: in->imm = imm_i(r); return f3 == 0 ? OP_JALR : OP_ILLEGAL;
	case 0x63: {
		static const unsigned t[8] = {OP_BEQ,	  OP_BNE, OP_ILLEGAL,
					      OP_ILLEGAL, OP_BLT, OP_BGE,
					      OP_BLTU,	  OP_BGEU};
		in->imm = imm_b(r);
		return t[f3];
	}
	case 0x03: {
		static const unsigned t[8] = {OP_LB,  OP_LH,	 OP_LW,
					      OP_LD,  OP_LBU,	 OP_LHU,
					      OP_LWU, OP_ILLEGAL};
		in->imm = imm_i(r);
		return t[f3];
	}
	case 0x23: {
		static const unsigned t[8] = {
			OP_SB,	    OP_SH,	OP_SW,	    OP_SD,
			OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL};
		in->imm = imm_s(r);
		return t[f3];
	}
	case 0x13: in->imm = imm_i(r); return decode_op_imm(r, 0);
	case 0x1b: in->imm = imm_i(r); return decode_op_imm(r, 1);
	case 0x33: return decode_op(r);
	case 0x3b: return decode_op32(r);
	case 0x0f:
		if (f3 == 0)
			return OP_FENCE;
		if (f3 == 1)
			return OP_FENCE_I;
		if (f3 == 2 && in->rd == 0) {
			switch (bits(r, 31, 20)) {
			case 0: return OP_CBO_INVAL;
			case 1: return OP_CBO_CLEAN;
			case 2: return OP_CBO_FLUSH;
			case 4: return OP_CBO_ZERO;
			}
		}
		return OP_ILLEGAL;
	case 0x73: return decode_system(in, r);
	case 0x2f: in->rm = bits(r, 26, 25); return decode_amo(r);
	case 0x07:
		in->imm = imm_i(r);
		if (f3 == 2)
			return OP_FLW;
		if (f3 == 3)
			return OP_FLD;
		return OP_ILLEGAL;
	case 0x27:
		in->imm = imm_s(r);
		if (f3 == 2)
			return OP_FSW;
		if (f3 == 3)
			return OP_FSD;
		return OP_ILLEGAL;
	case 0x43:
	case 0x47:
	case 0x4b:
	case 0x4f: {
		unsigned fmt = bits(r, 26, 25), k = (bits(r, 6, 0) - 0x43) >> 2;
		if (fmt > 1)
			return OP_ILLEGAL;
		return (fmt ? OP_FMADD_D : OP_FMADD_S) + k;
	}
	case 0x53: return decode_fp(r);
	}
	return OP_ILLEGAL;
}

/* Compressed: expand to the equivalent base op. Register fields rd'/rs1'/rs2'
 * name x8..x15. Reserved encodings are illegal. */
static unsigned decode16(struct insn *in, uint32_t r)
{
	unsigned q = r & 3, f3 = bits(r, 15, 13);
	unsigned rdp = 8 + bits(r, 4, 2), rs1p = 8 + bits(r, 9, 7);
	unsigned rd = bits(r, 11, 7), rs2 = bits(r, 6, 2);
	int32_t ci = sext((bits(r, 12, 12) << 5) | bits(r, 6, 2), 6);

	in->rm = 7; /* compressed FP loads/stores have no rm; unused */
	if (q == 0) {
		switch (f3) {
		case 0: { /* c.addi4spn */
			uint32_t nz =
				(bits(r, 10, 7) << 6) | (bits(r, 12, 11) << 4) |
				(bits(r, 5, 5) << 3) | (bits(r, 6, 6) << 2);
			if (nz == 0)
				return OP_ILLEGAL;
			in->rd = rdp;
			in->rs1 = 2;
			in->imm = (int32_t)nz;
			return OP_ADDI;
		}
		case 1:
		case 3: /* c.fld, c.ld */
			in->rd = rdp;
			in->rs1 = rs1p;
			in->imm = (int32_t)((bits(r, 12, 10) << 3) |
					    (bits(r, 6, 5) << 6));
			return f3 == 1 ? OP_FLD : OP_LD;
		case 2: /* c.lw */
			in->rd = rdp;
			in->rs1 = rs1p;
			in->imm = (int32_t)((bits(r, 12, 10) << 3) |
					    (bits(r, 6, 6) << 2) |
					    (bits(r, 5, 5) << 6));
			return OP_LW;
		case 5:
		case 7: /* c.fsd, c.sd */
			in->rs2 = rdp;
			in->rs1 = rs1p;
			in->imm = (int32_t)((bits(r, 12, 10) << 3) |
					    (bits(r, 6, 5) << 6));
			return f3 == 5 ? OP_FSD : OP_SD;
		case 6: /* c.sw */
			in->rs2 = rdp;
			in->rs1 = rs1p;
			in->imm = (int32_t)((bits(r, 12, 10) << 3) |
					    (bits(r, 6, 6) << 2) |
					    (bits(r, 5, 5) << 6));
			return OP_SW;
		}
		return OP_ILLEGAL;
	}
	if (q == 1) {
		switch (f3) {
		case 0: /* c.addi (c.nop when rd = 0) */
			in->rd = rd;
			in->rs1 = rd;
			in->imm = ci;
			return OP_ADDI;
		case 1: /* c.addiw */
			if (rd == 0)
				return OP_ILLEGAL;
			in->rd = rd;
			in->rs1 = rd;
			in->imm = ci;
			return OP_ADDIW;
		case 2: /* c.li */
			in->rd = rd;
			in->rs1 = 0;
			in->imm = ci;
			return OP_ADDI;
		case 3:
			if (rd == 2) { /* c.addi16sp */
				uint32_t v = (bits(r, 12, 12) << 9) |
					     (bits(r, 4, 3) << 7) |
					     (bits(r, 5, 5) << 6) |
					     (bits(r, 2, 2) << 5) |
					     (bits(r, 6, 6) << 4);
				if (v == 0)
					return OP_ILLEGAL;
				in->rd = 2;
				in->rs1 = 2;
				in->imm = sext(v, 10);
				return OP_ADDI;
			}
			/* c.lui */
			if (ci == 0)
				return OP_ILLEGAL;
			in->rd = rd;
			in->imm = (int32_t)((uint32_t)ci << 12);
			return OP_LUI;
		case 4: {
			unsigned f2 = bits(r, 11, 10);
			unsigned sh = (bits(r, 12, 12) << 5) | bits(r, 6, 2);
			in->rd = rs1p;
			in->rs1 = rs1p;
			in->rs2 = rdp;
			if (f2 == 0) {
				in->imm = (int32_t)sh;
				return OP_SRLI;
			}
			if (f2 == 1) {
				in->imm = (int32_t)sh;
				return OP_SRAI;
			}
			if (f2 == 2) {
				in->imm = ci;
				return OP_ANDI;
			}
			switch ((bits(r, 12, 12) << 2) | bits(r, 6, 5)) {
			case 0: return OP_SUB;
			case 1: return OP_XOR;
			case 2: return OP_OR;
			case 3: return OP_AND;
			case 4: return OP_SUBW;
			case 5: return OP_ADDW;
			}
			return OP_ILLEGAL;
		}
		case 5: { /* c.j */
			uint32_t v =
				(bits(r, 12, 12) << 11) |
				(bits(r, 11, 11) << 4) | (bits(r, 10, 9) << 8) |
				(bits(r, 8, 8) << 10) | (bits(r, 7, 7) << 6) |
				(bits(r, 6, 6) << 7) | (bits(r, 5, 3) << 1) |
				(bits(r, 2, 2) << 5);
			in->rd = 0;
			in->imm = sext(v, 12);
			return OP_JAL;
		}
		case 6:
		case 7: { /* c.beqz, c.bnez */
			uint32_t v =
				(bits(r, 12, 12) << 8) |
				(bits(r, 11, 10) << 3) | (bits(r, 6, 5) << 6) |
				(bits(r, 4, 3) << 1) | (bits(r, 2, 2) << 5);
			in->rs1 = rs1p;
			in->rs2 = 0;
			in->imm = sext(v, 9);
			return f3 == 6 ? OP_BEQ : OP_BNE;
		}
		}
		return OP_ILLEGAL;
	}
	if (q == 2) {
		switch (f3) {
		case 0: { /* c.slli */
			unsigned sh = (bits(r, 12, 12) << 5) | bits(r, 6, 2);
			in->rd = rd;
			in->rs1 = rd;
			in->imm = (int32_t)sh;
			return OP_SLLI;
		}
		case 1:
		case 3: /* c.fldsp, c.ldsp */
			if (f3 == 3 && rd == 0)
				return OP_ILLEGAL;
			in->rd = rd;
			in->rs1 = 2;
			in->imm = (int32_t)((bits(r, 12, 12) << 5) |
					    (bits(r, 6, 5) << 3) |
					    (bits(r, 4, 2) << 6));
			return f3 == 1 ? OP_FLD : OP_LD;
		case 2: /* c.lwsp */
			if (rd == 0)
				return OP_ILLEGAL;
			in->rd = rd;
			in->rs1 = 2;
			in->imm = (int32_t)((bits(r, 12, 12) << 5) |
					    (bits(r, 6, 4) << 2) |
					    (bits(r, 3, 2) << 6));
			return OP_LW;
		case 4:
			if (!bits(r, 12, 12)) {
				if (rs2 == 0) { /* c.jr */
					if (rd == 0)
						return OP_ILLEGAL;
					in->rd = 0;
					in->rs1 = rd;
					in->imm = 0;
					return OP_JALR;
				}
				/* c.mv */
				in->rd = rd;
				in->rs1 = 0;
				in->rs2 = rs2;
				return OP_ADD;
			}
			if (rs2 == 0) {
				if (rd == 0)
					return OP_EBREAK; /* c.ebreak */
				/* c.jalr */
				in->rd = 1;
				in->rs1 = rd;
				in->imm = 0;
				return OP_JALR;
			}
			/* c.add */
			in->rd = rd;
			in->rs1 = rd;
			in->rs2 = rs2;
			return OP_ADD;
		case 5:
		case 7: /* c.fsdsp, c.sdsp */
			in->rs1 = 2;
			in->rs2 = rs2;
			in->imm = (int32_t)((bits(r, 12, 10) << 3) |
					    (bits(r, 9, 7) << 6));
			return f3 == 5 ? OP_FSD : OP_SD;
		case 6: /* c.swsp */
			in->rs1 = 2;
			in->rs2 = rs2;
			in->imm = (int32_t)((bits(r, 12, 9) << 2) |
					    (bits(r, 8, 7) << 6));
			return OP_SW;
		}
	}
	return OP_ILLEGAL;
}

void insn_decode(struct insn *in, uint32_t raw)
{
	unsigned op;

	memset(in, 0, sizeof(*in));
	if ((raw & 3) == 3) {
		in->len = 4;
		in->raw = raw;
		op = decode32(in, raw);
	} else {
		in->len = 2;
		in->raw = raw & 0xffff;
		op = decode16(in, raw & 0xffff);
	}
	in->op = (uint16_t)op;
	if (op == OP_ILLEGAL) {
		in->rd = in->rs1 = in->rs2 = in->rs3 = 0;
		in->imm = 0;
	}
	if (in->rd == 0 && writes_xrd(op))
		in->rd = 32;
}
