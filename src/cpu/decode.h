/* decode.h - RISC-V instruction decoding into predecoded form.
 *
 * Compressed instructions are expanded to the base operation they stand for
 * (len = 2), so the interpreter and the JIT see one operation set. Writes to
 * x0 are redirected to the sink register 32 so handlers never test rd. */
#ifndef RVISOR_CPU_DECODE_H
#define RVISOR_CPU_DECODE_H

#include <stdint.h>

/* One operation per X(), grouped by extension. */
/* clang-format off */
#define INSN_OPS(X)                                                            \
	X(DECODE) X(ILLEGAL) X(PAGE_END) X(CROSS_PAGE) X(BLOCK_END)            \
	X(LUI) X(AUIPC) X(JAL) X(JALR) X(BEQ) X(BNE) X(BLT) X(BGE) X(BLTU)    \
	X(BGEU) X(LB) X(LH) X(LW) X(LD) X(LBU) X(LHU) X(LWU) X(SB) X(SH)      \
	X(SW) X(SD) X(ADDI) X(SLTI) X(SLTIU) X(XORI) X(ORI) X(ANDI) X(SLLI)   \
	X(SRLI) X(SRAI) X(ADD) X(SUB) X(SLL) X(SLT) X(SLTU) X(XOR) X(SRL)     \
	X(SRA) X(OR) X(AND) X(ADDIW) X(SLLIW) X(SRLIW) X(SRAIW) X(ADDW)        \
	X(SUBW) X(SLLW) X(SRLW) X(SRAW) X(FENCE) X(FENCE_I) X(ECALL)           \
	X(EBREAK) X(MRET) X(SRET) X(WFI) X(SFENCE_VMA) X(CSRRW) X(CSRRS)       \
	X(CSRRC) X(CSRRWI) X(CSRRSI) X(CSRRCI)                                 \
	X(MUL) X(MULH) X(MULHSU) X(MULHU) X(DIV) X(DIVU) X(REM) X(REMU)        \
	X(MULW) X(DIVW) X(DIVUW) X(REMW) X(REMUW)                              \
	X(LR_W) X(SC_W) X(AMOSWAP_W) X(AMOADD_W) X(AMOXOR_W) X(AMOAND_W)       \
	X(AMOOR_W) X(AMOMIN_W) X(AMOMAX_W) X(AMOMINU_W) X(AMOMAXU_W)           \
	X(LR_D) X(SC_D) X(AMOSWAP_D) X(AMOADD_D) X(AMOXOR_D) X(AMOAND_D)       \
	X(AMOOR_D) X(AMOMIN_D) X(AMOMAX_D) X(AMOMINU_D) X(AMOMAXU_D)           \
	X(FLW) X(FSW) X(FLD) X(FSD)                                            \
	X(FMADD_S) X(FMSUB_S) X(FNMSUB_S) X(FNMADD_S) X(FADD_S) X(FSUB_S)      \
	X(FMUL_S) X(FDIV_S) X(FSQRT_S) X(FSGNJ_S) X(FSGNJN_S) X(FSGNJX_S)      \
	X(FMIN_S) X(FMAX_S) X(FCVT_W_S) X(FCVT_WU_S) X(FCVT_L_S) X(FCVT_LU_S) \
	X(FMV_X_W) X(FEQ_S) X(FLT_S) X(FLE_S) X(FCLASS_S) X(FCVT_S_W)         \
	X(FCVT_S_WU) X(FCVT_S_L) X(FCVT_S_LU) X(FMV_W_X)                       \
	X(FMADD_D) X(FMSUB_D) X(FNMSUB_D) X(FNMADD_D) X(FADD_D) X(FSUB_D)      \
	X(FMUL_D) X(FDIV_D) X(FSQRT_D) X(FSGNJ_D) X(FSGNJN_D) X(FSGNJX_D)      \
	X(FMIN_D) X(FMAX_D) X(FCVT_W_D) X(FCVT_WU_D) X(FCVT_L_D) X(FCVT_LU_D) \
	X(FMV_X_D) X(FEQ_D) X(FLT_D) X(FLE_D) X(FCLASS_D) X(FCVT_D_W)         \
	X(FCVT_D_WU) X(FCVT_D_L) X(FCVT_D_LU) X(FMV_D_X) X(FCVT_S_D)           \
	X(FCVT_D_S)                                                            \
	X(ADD_UW) X(SH1ADD) X(SH2ADD) X(SH3ADD) X(SH1ADD_UW) X(SH2ADD_UW)      \
	X(SH3ADD_UW) X(SLLI_UW)                                                \
	X(ANDN) X(ORN) X(XNOR) X(CLZ) X(CLZW) X(CTZ) X(CTZW) X(CPOP) X(CPOPW)  \
	X(MAX) X(MAXU) X(MIN) X(MINU) X(SEXT_B) X(SEXT_H) X(ZEXT_H) X(ROL)     \
	X(ROLW) X(ROR) X(RORI) X(RORIW) X(RORW) X(ORC_B) X(REV8)               \
	X(BCLR) X(BCLRI) X(BEXT) X(BEXTI) X(BINV) X(BINVI) X(BSET) X(BSETI)    \
	X(CZERO_EQZ) X(CZERO_NEZ)                                              \
	X(CBO_ZERO) X(CBO_CLEAN) X(CBO_FLUSH) X(CBO_INVAL)
/* clang-format on */

#define INSN_OP_ENUM(name) OP_##name,
enum insn_op { INSN_OPS(INSN_OP_ENUM) OP__COUNT };
#undef INSN_OP_ENUM

/* JAL, JALR and the six conditional branches, adjacent in INSN_OPS */
_Static_assert(OP_BGEU - OP_JAL == 7, "control transfers are adjacent");
static inline int insn_is_control(unsigned op)
{
	return op >= OP_JAL && op <= OP_BGEU;
}

struct insn {
	const void *handler; /* interpreter label; set from op lazily */
	int32_t imm;	     /* immediate; CSR number for CSR ops */
	uint8_t rd, rs1, rs2, rs3;
	uint16_t op;
	uint8_t len;  /* 2 or 4 */
	uint8_t rm;   /* FP rounding mode field; aq/rl for atomics */
	uint32_t raw; /* the instruction bits as fetched (mtval) */
};

/* Decodes `raw` (a 16-bit parcel in the low half if compressed). Unknown or
 * reserved encodings give OP_ILLEGAL. Never fails otherwise. */
void insn_decode(struct insn *in, uint32_t raw);

static inline unsigned insn_length(uint32_t raw)
{
	return (raw & 3) == 3 ? 4 : 2;
}

extern const char *const insn_op_names[OP__COUNT];

#endif
