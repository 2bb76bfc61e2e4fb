/* x86_64_emit.h - a small x86-64 instruction encoder for the JIT backend.
 *
 * Only what the backend uses: 64/32-bit integer operations on registers
 * and [base + index + disp] memory operands, jumps with 32-bit
 * displacements, and patching of those displacements. */
#ifndef RVISOR_CPU_JIT_X86_64_EMIT_H
#define RVISOR_CPU_JIT_X86_64_EMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum {
	RAX,
	RCX,
	RDX,
	RBX,
	RSP,
	RBP,
	RSI,
	RDI,
	R8,
	R9,
	R10,
	R11,
	R12,
	R13,
	R14,
	R15,
	NOREG = -1,
};

/* condition codes (the low nibble of Jcc/SETcc/CMOVcc) */
enum {
	CC_O = 0,
	CC_B = 2,
	CC_AE = 3,
	CC_E = 4,
	CC_NE = 5,
	CC_BE = 6,
	CC_A = 7,
	CC_S = 8,
	CC_L = 12,
	CC_GE = 13,
	CC_LE = 14,
	CC_G = 15,
};

/* ALU group numbers (the /digit of 0x81, and opcode >> 3 for 0x01..0x3b) */
enum {
	ALU_ADD = 0,
	ALU_OR = 1,
	ALU_AND = 4,
	ALU_SUB = 5,
	ALU_XOR = 6,
	ALU_CMP = 7
};
/* shift group numbers */
enum { SH_ROL = 0, SH_ROR = 1, SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 };

/* p, start and end are addresses in the executable view; bytes are
 * written at the same place in the writable one, wx further on */
struct emit {
	uint8_t *p, *start, *end;
	ptrdiff_t wx;
};

/* a register or [base + index + disp] operand */
struct opnd {
	bool mem;
	int reg;   /* !mem */
	int base;  /* mem */
	int index; /* mem, NOREG for none */
	int scale; /* mem: index is multiplied by 1 << scale */
	int32_t disp;
};

static inline struct opnd R(int r) {
	return (struct opnd){.mem = false, .reg = r, .index = NOREG};
}

static inline struct opnd
M(int base, int32_t disp) {
	return (struct opnd){
		.mem = true, .base = base, .index = NOREG, .disp = disp};
}

static inline struct opnd
MX(int base, int index, int32_t disp) {
	return (struct opnd){
		.mem = true, .base = base, .index = index, .disp = disp};
}

static inline struct opnd
MXS(int base, int index, int scale, int32_t disp) {
	return (struct opnd){.mem = true,
			     .base = base,
			     .index = index,
			     .scale = scale,
			     .disp = disp};
}

static inline void
e8(struct emit *e, unsigned v)
{
	if (e->p < e->end)
		e->p[e->wx] = (uint8_t)v;
	e->p++;
}

static inline void e32(struct emit *e, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		e8(e, (v >> (8 * i)) & 0xff);
}

static inline void e64(struct emit *e, uint64_t v)
{
	e32(e, (uint32_t)v);
	e32(e, (uint32_t)(v >> 32));
}

/* flags for x86_op */
#define W64   1u /* REX.W */
#define BYTE  2u /* reg is a byte register: spl/bpl/sil/dil need REX */
#define OPS16 4u /* 0x66 prefix */
#define PF2   8u /* 0xf2 prefix (scalar double SSE) */

/* [prefix] [REX] opcode... modrm [sib] [disp] */
static inline void x86_op(struct emit *e, unsigned flags, uint32_t opcode,
			  int nopc, int reg, struct opnd rm)
{
	int b = rm.mem ? rm.base : rm.reg;
	int x = rm.mem && rm.index != NOREG ? rm.index : 0;
	unsigned rex = 0x40 | ((flags & W64) ? 8 : 0) | ((reg & 8) ? 4 : 0) |
		       ((x & 8) ? 2 : 0) | ((b & 8) ? 1 : 0);
	bool need_rex = rex != 0x40 ||
			((flags & BYTE) && ((reg >= 4 && reg <= 7) ||
					    (!rm.mem && b >= 4 && b <= 7)));

	if (flags & OPS16)
		e8(e, 0x66);
	if (flags & PF2)
		e8(e, 0xf2);
	if (need_rex)
		e8(e, rex);
	for (int i = nopc - 1; i >= 0; i--)
		e8(e, (opcode >> (8 * i)) & 0xff);
	if (!rm.mem) {
		e8(e, 0xc0 | ((reg & 7) << 3) | (b & 7));
		return;
	}
	int mod = (rm.disp == 0 && (b & 7) != 5)	? 0
		  : (rm.disp >= -128 && rm.disp <= 127) ? 1
							: 2;
	if (rm.index != NOREG || (b & 7) == 4) {
		int idx = rm.index != NOREG ? rm.index : RSP; /* RSP: none */
		e8(e, (mod << 6) | ((reg & 7) << 3) | 4);
		e8(e, (rm.scale << 6) | ((idx & 7) << 3) | (b & 7));
	} else {
		e8(e, (mod << 6) | ((reg & 7) << 3) | (b & 7));
	}
	if (mod == 1)
		e8(e, (uint8_t)rm.disp);
	else if (mod == 2)
		e32(e, (uint32_t)rm.disp);
}

/* mov dst, src (64-bit); also loads from / stores to memory */
static inline void mov_rr(struct emit *e, int dst, int src)
{
	if (dst != src)
		x86_op(e, W64, 0x8b, 1, dst, R(src));
}
static inline void mov_r_m(struct emit *e, int dst, struct opnd m)
{
	x86_op(e, W64, 0x8b, 1, dst, m);
}
static inline void mov_m_r(struct emit *e, struct opnd m, int src)
{
	x86_op(e, W64, 0x89, 1, src, m);
}
/* dst <- imm, the shortest way */
static inline void mov_ri(struct emit *e, int dst, uint64_t imm)
{
	if (imm == 0) {
		x86_op(e, 0, 0x33, 1, dst, R(dst)); /* xor r32, r32 */
	} else if (imm <= 0xffffffffull) {
		if (dst & 8)
			e8(e, 0x41);
		e8(e, 0xb8 + (dst & 7));
		e32(e, (uint32_t)imm);
	} else if ((int64_t)imm == (int32_t)imm) {
		x86_op(e, W64, 0xc7, 1, 0, R(dst));
		e32(e, (uint32_t)imm);
	} else {
		e8(e, 0x48 | ((dst & 8) ? 1 : 0));
		e8(e, 0xb8 + (dst & 7));
		e64(e, imm);
	}
}
/* op dst, src: ALU_* with a register or memory source */
static inline void alu_r(struct emit *e, unsigned flags, int op, int dst,
			 struct opnd src)
{
	x86_op(e, flags, (unsigned)(op << 3) | 3, 1, dst, src);
}
/* op dst, imm32 (sign-extended); dst register or memory */
static inline void alu_i(struct emit *e, unsigned flags, int op,
			 struct opnd dst, int32_t imm)
{
	if (imm >= -128 && imm <= 127) {
		x86_op(e, flags, 0x83, 1, op, dst);
		e8(e, (uint8_t)imm);
	} else {
		x86_op(e, flags, 0x81, 1, op, dst);
		e32(e, (uint32_t)imm);
	}
}
static inline void shift_i(struct emit *e, unsigned flags, int op, int dst,
			   unsigned n)
{
	x86_op(e, flags, 0xc1, 1, op, R(dst));
	e8(e, n);
}
static inline void shift_cl(struct emit *e, unsigned flags, int op, int dst)
{
	x86_op(e, flags, 0xd3, 1, op, R(dst));
}
static inline void lea(struct emit *e, int dst, struct opnd m)
{
	x86_op(e, W64, 0x8d, 1, dst, m);
}
static inline void movsxd(struct emit *e, int dst, struct opnd src)
{
	x86_op(e, W64, 0x63, 1, dst, src);
}
/* F7 group: /2 not, /3 neg, /4 mul, /5 imul, /6 div, /7 idiv */
static inline void grp3(struct emit *e, unsigned flags, int ext, struct opnd rm)
{
	x86_op(e, flags, 0xf7, 1, ext, rm);
}
static inline void imul_r(struct emit *e, unsigned flags, int dst,
			  struct opnd src)
{
	x86_op(e, flags, 0x0faf, 2, dst, src);
}
static inline void setcc_movzx(struct emit *e, int cc, int dst)
{
	x86_op(e, BYTE, 0x0f90 | (unsigned)cc, 2, 0, R(dst));
	x86_op(e, 0, 0x0fb6, 2, dst, R(dst)); /* movzx r32, r8 */
}
static inline void cmov(struct emit *e, unsigned flags, int cc, int dst,
			struct opnd src)
{
	x86_op(e, flags, 0x0f40 | (unsigned)cc, 2, dst, src);
}

/* jumps: return the offset of the rel32 for later patching */
static inline uint8_t *jcc32(struct emit *e, int cc)
{
	e8(e, 0x0f);
	e8(e, 0x80 | (unsigned)cc);
	e32(e, 0);
	return e->p - 4;
}
static inline uint8_t *jmp32(struct emit *e)
{
	e8(e, 0xe9);
	e32(e, 0);
	return e->p - 4;
}
/* make the rel32 at `at` (executable view) reach `target` */
static inline void patch_rel32(ptrdiff_t wx, uint8_t *at, const uint8_t *target)
{
	int32_t rel = (int32_t)(target - (at + 4));
	memcpy(at + wx, &rel, 4);
}
static inline void bind(struct emit *e, uint8_t *rel32_at)
{
	if (e->p <= e->end && rel32_at + 4 <= e->end)
		patch_rel32(e->wx, rel32_at, e->p);
}
static inline void jmp_to(struct emit *e, const uint8_t *target)
{
	uint8_t *at = jmp32(e);
	if (e->p <= e->end)
		patch_rel32(e->wx, at, target);
}
static inline void call_to(struct emit *e, const uint8_t *target)
{
	e8(e, 0xe8);
	e32(e, 0);
	if (e->p <= e->end)
		patch_rel32(e->wx, e->p - 4, target);
}
static inline void jcc_to(struct emit *e, int cc, const uint8_t *target)
{
	uint8_t *at = jcc32(e, cc);
	if (e->p <= e->end)
		patch_rel32(e->wx, at, target);
}

#endif
