/* exec.c - the interpreter: predecoded instructions, computed-goto dispatch.
 *
 * Execution runs straight through a predecoded code page until a taken
 * branch, a jump or the page end ("block boundary"). Only there are the
 * event word (interrupts, kicks) and the timer poll checked, and only when
 * leaving the page is the fetch TLB consulted. Anything that changes the
 * translation context (CSR writes, traps, xRET, sfence) goes back through
 * `refetch`, which re-translates pc from scratch. */
#include <string.h>

#include "base/log.h"
#include "cpu/code_cache.h"
#include "cpu/csr.h"
#include "cpu/decode.h"
#include "cpu/fp_exec.h"
#include "cpu/fpu.h"
#include "cpu/hart.h"
#include "cpu/jit/jit.h"
#include "cpu/mmu.h"
#include "cpu/trap.h"

#define TIMER_POLL_BLOCKS 4096
/* instructions translated code runs between timer checks (~0.1 ms) */
#define JIT_BUDGET (1 << 18)

static inline uint64_t box32(uint32_t v)
{
	return 0xffffffff00000000ull | v;
}

static inline int64_t sx32(uint64_t v)
{
	return (int64_t)(int32_t)v;
}

static uint64_t mulhu64(uint64_t a, uint64_t b)
{
	return (uint64_t)(((unsigned __int128)a * b) >> 64);
}

static uint64_t mulh64(int64_t a, int64_t b)
{
	return (uint64_t)(((__int128)a * b) >> 64);
}

static uint64_t mulhsu64(int64_t a, uint64_t b)
{
	return (uint64_t)(((__int128)a * (__int128)b) >> 64);
}

static uint64_t orc_b(uint64_t v)
{
	uint64_t r = 0;

	for (int i = 0; i < 8; i++)
		if ((v >> (8 * i)) & 0xff)
			r |= 0xffull << (8 * i);
	return r;
}

static bool cbo_allowed(struct hart *h, uint64_t m_bits, uint64_t s_bits)
{
	if (h->priv == PRV_M)
		return true;
	if (!(h->menvcfg & m_bits))
		return false;
	if (h->priv == PRV_U && !(h->senvcfg & s_bits))
		return false;
	return true;
}

/* Dispatch on the code-cache entry; record the mmio load kind. */
enum exit_reason hart_run(struct hart *h)
{
#define LABEL_ADDR(name) [OP_##name] = &&L_##name,
	static const void *const labels[OP__COUNT] = {INSN_OPS(LABEL_ADDR)};
#undef LABEL_ADDR
	uint64_t *const x = h->x;
	uint64_t *const f = h->f;
	uint64_t pc = h->pc;
	uint64_t icount = 0;
	uint32_t poll = h->timer_poll;
	struct insn *ins;
	struct insn *page_ins = NULL; /* slots of the page being executed */
	uint64_t page_va = 1;	      /* its virtual address (1: none) */
	struct insn xpage[3];	      /* an instruction crossing a page */

	hart_set_current(h);
	hart_process_code_invalidations(h);
	if (atomic_load_explicit(&h->flush_done, memory_order_relaxed) !=
	    atomic_load_explicit(&h->flush_seq, memory_order_relaxed))
		hart_process_flushes(h);
	h->code->decode_handler = labels[OP_DECODE];
	h->code->page_end_handler = labels[OP_PAGE_END];
	h->exit.reason = EXIT_NONE;
	memset(xpage, 0, sizeof(xpage));
	xpage[2].handler = labels[OP_BLOCK_END];

#define SYNC()	 (h->pc = pc)
#define RETIRE() (icount++)
#define NEXT()                                                                 \
	do {                                                                   \
		unsigned len_ = ins->len;                                      \
		RETIRE();                                                      \
		pc += len_;                                                    \
		ins += len_ >> 1;                                              \
		goto * ins->handler;                                           \
	} while (0)
#define JUMP(target)                                                           \
	do {                                                                   \
		RETIRE();                                                      \
		pc = (target);                                                 \
		goto block_boundary;                                           \
	} while (0)
	/* raise an exception for the current instruction */
#define TRAP(cause, tval)                                                      \
	do {                                                                   \
		SYNC();                                                        \
		hart_raise(h, (cause), (tval));                                \
		pc = h->pc;                                                    \
		goto refetch;                                                  \
	} while (0)
#define ILLEGAL() TRAP(CAUSE_ILLEGAL_INSN, ins->raw)
	/* leave hart_run with h->pc pointing at the current instruction */
#define EXIT(reason_)                                                          \
	do {                                                                   \
		SYNC();                                                        \
		h->exit.reason = (reason_);                                    \
		goto out;                                                      \
	} while (0)
#define RS1 x[ins->rs1]
#define RS2 x[ins->rs2]
#define RD  x[ins->rd]
#define IMM ((int64_t)ins->imm)

refetch:
	/* Full translation of pc: after traps and context changes. */
	{
		struct tlb_fetch_entry *fe =
			&h->tlb.x[h->immu][tlb_x_index(pc)];
		struct code_page *cp;
		if (likely(fe->tag == (pc & ~0xfffull) &&
			   tlb_ctx_valid(&h->tlb, fe->ctx))) {
			cp = fe->cp;
		} else {
			SYNC();
			cp = mmu_fetch_slow(h, pc);
			if (!cp) {
				pc = h->pc; /* fetch fault taken */
				goto check_events;
			}
		}
		page_ins = cp->insns;
		page_va = pc & ~0xfffull;
		ins = &page_ins[(pc & 0xfff) >> 1];
		goto * ins->handler;
	}

block_boundary:
	if (unlikely(atomic_load_explicit(&h->events, memory_order_relaxed)) ||
	    unlikely(--poll == 0))
		goto check_events;
	if (h->jit) {
		/* translated code runs until it needs the interpreter */
		enum jit_exit why;
		SYNC();
		h->jit_budget = JIT_BUDGET;
		why = jit_run(h);
		icount += (uint64_t)(JIT_BUDGET - h->jit_budget);
		pc = h->pc;
		if (why == JIT_EXIT_BUDGET) {
			poll = 0;
			goto check_events;
		}
		if (why == JIT_EXIT_EVENTS)
			goto check_events;
		/* translating may have recycled predecoded pages, page_ins
		 * among them: translate pc afresh */
		goto refetch;
	}
	if (likely((pc & ~0xfffull) == page_va)) {
		ins = &page_ins[(pc & 0xfff) >> 1];
		goto * ins->handler;
	}
	goto refetch;

check_events:
	if (poll == 0) {
		poll = TIMER_POLL_BLOCKS;
		hart_update_timers(h);
	}
	{
		uint32_t ev = atomic_exchange_explicit(&h->events, 0,
						       memory_order_acquire);
		if (ev & EV_CODE)
			hart_process_code_invalidations(h);
		if (ev & EV_FLUSH) {
			hart_process_flushes(h);
			page_va = 1; /* the page's slots may be gone */
		}
		if (ev & EV_KICK) {
			atomic_fetch_and(&h->events, ~(uint32_t)EV_KICK);
			EXIT(EXIT_REQUEST);
		}
		SYNC();
		hart_take_interrupt(h);
		pc = h->pc;
	}
	goto refetch;

L_DECODE : {
	/* first execution of this slot: decode in place, then run it */
	struct code_page *cp =
		(struct code_page *)((char *)page_ins -
				     offsetof(struct code_page, insns));
	unsigned off = (unsigned)(pc & 0xfff);
	uint32_t raw;
	if (!cp->armed)
		code_page_arm(h, cp);
	if (off == 4094) {
		uint16_t lo;
		memcpy(&lo, cp->host + off, 2);
		if ((lo & 3) == 3) { /* crosses into the next page */
			ins->op = OP_CROSS_PAGE;
			ins->handler = labels[OP_CROSS_PAGE];
			goto L_CROSS_PAGE;
		}
		raw = lo;
	} else {
		memcpy(&raw, cp->host + off, 4);
	}
	insn_decode(ins, raw);
	ins->handler = labels[ins->op];
	goto * ins->handler;
}

L_CROSS_PAGE : {
	uint16_t lo, hi;
	SYNC();
	if (!mmu_fetch16(h, pc, &lo) || !mmu_fetch16(h, pc + 2, &hi)) {
		pc = h->pc;
		goto refetch;
	}
	insn_decode(&xpage[0], (uint32_t)lo | ((uint32_t)hi << 16));
	xpage[0].handler = labels[xpage[0].op];
	ins = &xpage[0];
	goto * ins->handler;
}

L_PAGE_END:
L_BLOCK_END:
	/* pc already points past the last instruction of the page */
	goto block_boundary;

L_ILLEGAL:
	ILLEGAL();

	/* ---- RV64I ---- */
L_LUI:
	RD = (uint64_t)IMM;
	NEXT();
L_AUIPC:
	RD = pc + (uint64_t)IMM;
	NEXT();
L_JAL : {
	uint64_t t = pc + (uint64_t)IMM;
	RD = pc + ins->len;
	JUMP(t);
}
L_JALR : {
	uint64_t t = (RS1 + (uint64_t)IMM) & ~1ull;
	RD = pc + ins->len;
	JUMP(t);
}
#define BRANCH(cond)                                                           \
	do {                                                                   \
		if (cond)                                                      \
			JUMP(pc + (uint64_t)IMM);                              \
		NEXT();                                                        \
	} while (0)
L_BEQ:
	BRANCH(RS1 == RS2);
L_BNE:
	BRANCH(RS1 != RS2);
L_BLT:
	BRANCH((int64_t)RS1 < (int64_t)RS2);
L_BGE:
	BRANCH((int64_t)RS1 >= (int64_t)RS2);
L_BLTU:
	BRANCH(RS1 < RS2);
L_BGEU:
	BRANCH(RS1 >= RS2);

	/* Loads: TLB hit inline, everything else in mmu_load_slow. The tag
	 * compare keeps the alignment bits, so misaligned accesses miss. */
#define LOAD(T, kind_, dest, conv)                                             \
	do {                                                                   \
		uint64_t va_ = RS1 + (uint64_t)IMM;                            \
		struct tlb_entry *e_ =                                         \
			&h->tlb.r[h->dmmu][tlb_index(&h->tlb, va_)];           \
		uint64_t v_;                                                   \
		if (likely(e_->tag == tlb_tag(&h->tlb, va_, sizeof(T)))) {     \
			T t_;                                                  \
			memcpy(&t_, (void *)(e_->addend + va_), sizeof(T));    \
			v_ = (uint64_t)t_;                                     \
		} else {                                                       \
			SYNC();                                                \
			switch (mmu_load_slow(h, va_, sizeof(T), &v_)) {       \
			case MEM_OK: break;                                    \
			case MEM_MMIO:                                         \
				h->mmio_pending.rd = ins->rd;                  \
				h->mmio_pending.kind = (kind_);                \
				h->mmio_pending.len = ins->len;                \
				hart_retire(h, icount);                        \
				icount = 0;                                    \
				goto out;                                      \
			default: pc = h->pc; goto refetch;                     \
			}                                                      \
			{                                                      \
				T t_;                                          \
				memcpy(&t_, &v_, sizeof(T));                   \
				v_ = (uint64_t)t_;                             \
			}                                                      \
		}                                                              \
		dest = conv(v_);                                               \
		NEXT();                                                        \
	} while (0)
#define AS_IS(v) (v)
L_LB:
	LOAD(int8_t, MMIO_LD_S8, RD, (uint64_t)(int64_t));
L_LH:
	LOAD(int16_t, MMIO_LD_S16, RD, (uint64_t)(int64_t));
L_LW:
	LOAD(int32_t, MMIO_LD_S32, RD, (uint64_t)(int64_t));
L_LD:
	LOAD(uint64_t, MMIO_LD_64, RD, AS_IS);
L_LBU:
	LOAD(uint8_t, MMIO_LD_U8, RD, AS_IS);
L_LHU:
	LOAD(uint16_t, MMIO_LD_U16, RD, AS_IS);
L_LWU:
	LOAD(uint32_t, MMIO_LD_U32, RD, AS_IS);

#define STORE(T, val)                                                          \
	do {                                                                   \
		uint64_t va_ = RS1 + (uint64_t)IMM;                            \
		struct tlb_entry *e_ =                                         \
			&h->tlb.w[h->dmmu][tlb_index(&h->tlb, va_)];           \
		T t_ = (T)(val);                                               \
		if (likely(e_->tag == tlb_tag(&h->tlb, va_, sizeof(T)) &&      \
			   !atomic_load_explicit(e_->flags,                    \
						 memory_order_relaxed))) {     \
			memcpy((void *)(e_->addend + va_), &t_, sizeof(T));    \
			NEXT();                                                \
		}                                                              \
		SYNC();                                                        \
		switch (mmu_store_slow(h, va_, sizeof(T), (uint64_t)t_)) {     \
		case MEM_OK: NEXT();                                           \
		case MEM_MMIO:                                                 \
			h->mmio_pending.kind = MMIO_ST;                        \
			h->mmio_pending.len = ins->len;                        \
			hart_retire(h, icount);                                \
			icount = 0;                                            \
			goto out;                                              \
		case MEM_WATCH:                                                \
			RETIRE();                                              \
			pc += ins->len;                                        \
			EXIT(EXIT_WATCH);                                      \
		default: pc = h->pc; goto refetch;                             \
		}                                                              \
	} while (0)
L_SB:
	STORE(uint8_t, RS2);
L_SH:
	STORE(uint16_t, RS2);
L_SW:
	STORE(uint32_t, RS2);
L_SD:
	STORE(uint64_t, RS2);

L_ADDI:
	RD = RS1 + (uint64_t)IMM;
	NEXT();
L_SLTI:
	RD = (int64_t)RS1 < IMM;
	NEXT();
L_SLTIU:
	RD = RS1 < (uint64_t)IMM;
	NEXT();
L_XORI:
	RD = RS1 ^ (uint64_t)IMM;
	NEXT();
L_ORI:
	RD = RS1 | (uint64_t)IMM;
	NEXT();
L_ANDI:
	RD = RS1 & (uint64_t)IMM;
	NEXT();
L_SLLI:
	RD = RS1 << (IMM & 63);
	NEXT();
L_SRLI:
	RD = RS1 >> (IMM & 63);
	NEXT();
L_SRAI:
	RD = (uint64_t)((int64_t)RS1 >> (IMM & 63));
	NEXT();
L_ADD:
	RD = RS1 + RS2;
	NEXT();
L_SUB:
	RD = RS1 - RS2;
	NEXT();
L_SLL:
	RD = RS1 << (RS2 & 63);
	NEXT();
L_SLT:
	RD = (int64_t)RS1 < (int64_t)RS2;
	NEXT();
L_SLTU:
	RD = RS1 < RS2;
	NEXT();
L_XOR:
	RD = RS1 ^ RS2;
	NEXT();
L_SRL:
	RD = RS1 >> (RS2 & 63);
	NEXT();
L_SRA:
	RD = (uint64_t)((int64_t)RS1 >> (RS2 & 63));
	NEXT();
L_OR:
	RD = RS1 | RS2;
	NEXT();
L_AND:
	RD = RS1 & RS2;
	NEXT();
L_ADDIW:
	RD = (uint64_t)sx32(RS1 + (uint64_t)IMM);
	NEXT();
L_SLLIW:
	RD = (uint64_t)sx32((uint32_t)RS1 << (IMM & 31));
	NEXT();
L_SRLIW:
	RD = (uint64_t)sx32((uint32_t)RS1 >> (IMM & 31));
	NEXT();
L_SRAIW:
	RD = (uint64_t)(int64_t)((int32_t)RS1 >> (IMM & 31));
	NEXT();
L_ADDW:
	RD = (uint64_t)sx32(RS1 + RS2);
	NEXT();
L_SUBW:
	RD = (uint64_t)sx32(RS1 - RS2);
	NEXT();
L_SLLW:
	RD = (uint64_t)sx32((uint32_t)RS1 << (RS2 & 31));
	NEXT();
L_SRLW:
	RD = (uint64_t)sx32((uint32_t)RS1 >> (RS2 & 31));
	NEXT();
L_SRAW:
	RD = (uint64_t)(int64_t)((int32_t)RS1 >> (RS2 & 31));
	NEXT();

L_FENCE:
	atomic_thread_fence(memory_order_seq_cst);
	NEXT();
L_FENCE_I:
	/* Our own stores invalidated our code pages as they happened; other
	 * threads' stores were queued for us, and fence.i is where RVWMO says
	 * we must see them. */
	hart_process_code_invalidations(h);
	RETIRE();
	pc += ins->len;
	goto refetch;

L_ECALL:
	if (h->priv == PRV_S && h->sbi_in_vmm) {
		hart_retire(h, icount);
		icount = 0;
		EXIT(EXIT_SBI);
	}
	TRAP(CAUSE_USER_ECALL + (h->priv == PRV_M ? 3 : h->priv), 0);
L_EBREAK:
	TRAP(CAUSE_BREAKPOINT, pc);
L_MRET:
	SYNC();
	if (!hart_mret(h))
		ILLEGAL();
	RETIRE();
	pc = h->pc;
	goto check_events;
L_SRET:
	SYNC();
	if (!hart_sret(h))
		ILLEGAL();
	RETIRE();
	pc = h->pc;
	goto check_events;
L_WFI:
	if (h->priv == PRV_U || (h->priv == PRV_S && (h->mstatus & MSTATUS_TW)))
		ILLEGAL();
	if (hart_wfi_wakeup(h))
		NEXT();
	hart_retire(h, icount);
	icount = 0;
	EXIT(EXIT_WFI);
L_SFENCE_VMA:
	if (h->priv == PRV_U ||
	    (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM)))
		ILLEGAL();
	tlb_flush(&h->tlb, ins->rs1 ? (int64_t)(RS1 & ~0xfffull) : -1,
		  ins->rs2 ? (int64_t)(RS2 & 0xffff) : -1);
	h->stats.tlb_flushes++;
	RETIRE();
	pc += ins->len;
	goto refetch;

#define CSR_OP(op_, operand_, write_)                                          \
	do {                                                                   \
		uint64_t old_, opnd_ = (operand_);                             \
		hart_retire(h, icount);                                        \
		icount = 0;                                                    \
		SYNC();                                                        \
		if (!csr_access(h, (unsigned)ins->imm, (op_), opnd_, (write_), \
				&old_))                                        \
			ILLEGAL();                                             \
		RD = old_;                                                     \
		RETIRE();                                                      \
		pc += ins->len;                                                \
		if (write_)                                                    \
			goto check_events;                                     \
		ins += ins->len >> 1;                                          \
		goto * ins->handler;                                           \
	} while (0)
L_CSRRW:
	CSR_OP(CSR_WRITE, RS1, true);
L_CSRRS:
	CSR_OP(CSR_SET, RS1, ins->rs1 != 0);
L_CSRRC:
	CSR_OP(CSR_CLEAR, RS1, ins->rs1 != 0);
L_CSRRWI:
	CSR_OP(CSR_WRITE, ins->rs1, true);
L_CSRRSI:
	CSR_OP(CSR_SET, ins->rs1, ins->rs1 != 0);
L_CSRRCI:
	CSR_OP(CSR_CLEAR, ins->rs1, ins->rs1 != 0);

	/* ---- M ---- */
L_MUL:
	RD = RS1 * RS2;
	NEXT();
L_MULH:
	RD = mulh64((int64_t)RS1, (int64_t)RS2);
	NEXT();
L_MULHSU:
	RD = mulhsu64((int64_t)RS1, RS2);
	NEXT();
L_MULHU:
	RD = mulhu64(RS1, RS2);
	NEXT();
L_DIV : {
	int64_t a = (int64_t)RS1, b = (int64_t)RS2;
	RD = b == 0			   ? ~0ull
	     : (a == INT64_MIN && b == -1) ? (uint64_t)a
					   : (uint64_t)(a / b);
	NEXT();
}
L_DIVU:
	RD = RS2 == 0 ? ~0ull : RS1 / RS2;
	NEXT();
L_REM : {
	int64_t a = (int64_t)RS1, b = (int64_t)RS2;
	RD = b == 0			   ? (uint64_t)a
	     : (a == INT64_MIN && b == -1) ? 0
					   : (uint64_t)(a % b);
	NEXT();
}
L_REMU:
	RD = RS2 == 0 ? RS1 : RS1 % RS2;
	NEXT();
L_MULW:
	RD = (uint64_t)sx32(RS1 * RS2);
	NEXT();
L_DIVW : {
	int32_t a = (int32_t)RS1, b = (int32_t)RS2;
	RD = (uint64_t)(int64_t)(b == 0			       ? -1
				 : (a == INT32_MIN && b == -1) ? a
							       : a / b);
	NEXT();
}
L_DIVUW : {
	uint32_t a = (uint32_t)RS1, b = (uint32_t)RS2;
	RD = (uint64_t)sx32(b == 0 ? 0xffffffffu : a / b);
	NEXT();
}
L_REMW : {
	int32_t a = (int32_t)RS1, b = (int32_t)RS2;
	RD = (uint64_t)(int64_t)(b == 0			       ? a
				 : (a == INT32_MIN && b == -1) ? 0
							       : a % b);
	NEXT();
}
L_REMUW : {
	uint32_t a = (uint32_t)RS1, b = (uint32_t)RS2;
	RD = (uint64_t)sx32(b == 0 ? a : a % b);
	NEXT();
}

/* ---- A: host atomics on guest memory ---- */
#define ATOMIC_PTR(T, is_write, p)                                             \
	do {                                                                   \
		uint64_t gpa_;                                                 \
		SYNC();                                                        \
		p = mmu_atomic_ptr(h, RS1, sizeof(T), (is_write), &gpa_);      \
		if (!p) {                                                      \
			pc = h->pc;                                            \
			goto refetch;                                          \
		}                                                              \
		(void)gpa_;                                                    \
	} while (0)
L_LR_W:
L_LR_D : {
	void *p;
	uint64_t gpa, v;
	unsigned size = ins->op == OP_LR_W ? 4 : 8;
	SYNC();
	p = mmu_atomic_ptr(h, RS1, size, false, &gpa);
	if (!p) {
		pc = h->pc;
		goto refetch;
	}
	if (size == 4)
		v = (uint64_t)(int64_t)(int32_t)__atomic_load_n(
			(uint32_t *)p, __ATOMIC_ACQUIRE);
	else
		v = __atomic_load_n((uint64_t *)p, __ATOMIC_ACQUIRE);
	h->resv_addr = gpa;
	h->resv_value = v;
	h->resv_size = (uint8_t)size;
	RD = v;
	NEXT();
}
L_SC_W:
L_SC_D : {
	void *p;
	uint64_t gpa;
	unsigned size = ins->op == OP_SC_W ? 4 : 8;
	bool ok = false;
	SYNC();
	p = mmu_atomic_ptr(h, RS1, size, true, &gpa);
	if (!p) {
		pc = h->pc;
		goto refetch;
	}
	if (h->resv_addr == gpa && h->resv_size == size) {
		/* The reservation holds if memory still has the value LR
		 * saw; a CAS makes that check and the store one step. */
		if (size == 4) {
			uint32_t expect = (uint32_t)h->resv_value;
			ok = __atomic_compare_exchange_n(
				(uint32_t *)p, &expect, (uint32_t)RS2, false,
				__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		} else {
			uint64_t expect = h->resv_value;
			ok = __atomic_compare_exchange_n(
				(uint64_t *)p, &expect, RS2, false,
				__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		}
	}
	h->resv_addr = ~0ull;
	RD = !ok;
	NEXT();
}
#define AMO_W(expr)                                                            \
	do {                                                                   \
		uint32_t *p_, old_, new_, b_ = (uint32_t)RS2;                  \
		ATOMIC_PTR(uint32_t, true, p_);                                \
		old_ = __atomic_load_n(p_, __ATOMIC_RELAXED);                  \
		do {                                                           \
			uint32_t a_ = old_;                                    \
			new_ = (expr);                                         \
		} while (!__atomic_compare_exchange_n(p_, &old_, new_, true,   \
						      __ATOMIC_SEQ_CST,        \
						      __ATOMIC_RELAXED));      \
		RD = (uint64_t)(int64_t)(int32_t)old_;                         \
		NEXT();                                                        \
	} while (0)
#define AMO_D(expr)                                                            \
	do {                                                                   \
		uint64_t *p_, old_, new_, b_ = RS2;                            \
		ATOMIC_PTR(uint64_t, true, p_);                                \
		old_ = __atomic_load_n(p_, __ATOMIC_RELAXED);                  \
		do {                                                           \
			uint64_t a_ = old_;                                    \
			new_ = (expr);                                         \
		} while (!__atomic_compare_exchange_n(p_, &old_, new_, true,   \
						      __ATOMIC_SEQ_CST,        \
						      __ATOMIC_RELAXED));      \
		RD = old_;                                                     \
		NEXT();                                                        \
	} while (0)
L_AMOSWAP_W:
	AMO_W(((void)a_, b_));
L_AMOADD_W:
	AMO_W(a_ + b_);
L_AMOXOR_W:
	AMO_W(a_ ^ b_);
L_AMOAND_W:
	AMO_W(a_ & b_);
L_AMOOR_W:
	AMO_W(a_ | b_);
L_AMOMIN_W:
	AMO_W((int32_t)a_ < (int32_t)b_ ? a_ : b_);
L_AMOMAX_W:
	AMO_W((int32_t)a_ > (int32_t)b_ ? a_ : b_);
L_AMOMINU_W:
	AMO_W(a_ < b_ ? a_ : b_);
L_AMOMAXU_W:
	AMO_W(a_ > b_ ? a_ : b_);
L_AMOSWAP_D:
	AMO_D(((void)a_, b_));
L_AMOADD_D:
	AMO_D(a_ + b_);
L_AMOXOR_D:
	AMO_D(a_ ^ b_);
L_AMOAND_D:
	AMO_D(a_ & b_);
L_AMOOR_D:
	AMO_D(a_ | b_);
L_AMOMIN_D:
	AMO_D((int64_t)a_ < (int64_t)b_ ? a_ : b_);
L_AMOMAX_D:
	AMO_D((int64_t)a_ > (int64_t)b_ ? a_ : b_);
L_AMOMINU_D:
	AMO_D(a_ < b_ ? a_ : b_);
L_AMOMAXU_D:
	AMO_D(a_ > b_ ? a_ : b_);

	/* ---- F and D ---- */
#define FP_CHECK()                                                             \
	do {                                                                   \
		if (unlikely(!(h->mstatus & MSTATUS_FS)))                      \
			ILLEGAL();                                             \
	} while (0)
#define FP_DIRTY() (h->mstatus |= MSTATUS_FS)
L_FLW:
	FP_CHECK();
	FP_DIRTY();
	LOAD(uint32_t, MMIO_LD_F32, f[ins->rd], box32);
L_FLD:
	FP_CHECK();
	FP_DIRTY();
	LOAD(uint64_t, MMIO_LD_F64, f[ins->rd], AS_IS);
L_FSW:
	FP_CHECK();
	STORE(uint32_t, f[ins->rs2]);
L_FSD:
	FP_CHECK();
	STORE(uint64_t, f[ins->rs2]);

L_FMADD_S:
L_FMSUB_S:
L_FNMSUB_S:
L_FNMADD_S:
L_FADD_S:
L_FSUB_S:
L_FMUL_S:
L_FDIV_S:
L_FSQRT_S:
L_FSGNJ_S:
L_FSGNJN_S:
L_FSGNJX_S:
L_FMIN_S:
L_FMAX_S:
L_FCVT_W_S:
L_FCVT_WU_S:
L_FCVT_L_S:
L_FCVT_LU_S:
L_FMV_X_W:
L_FEQ_S:
L_FLT_S:
L_FLE_S:
L_FCLASS_S:
L_FCVT_S_W:
L_FCVT_S_WU:
L_FCVT_S_L:
L_FCVT_S_LU:
L_FMV_W_X:
L_FMADD_D:
L_FMSUB_D:
L_FNMSUB_D:
L_FNMADD_D:
L_FADD_D:
L_FSUB_D:
L_FMUL_D:
L_FDIV_D:
L_FSQRT_D:
L_FSGNJ_D:
L_FSGNJN_D:
L_FSGNJX_D:
L_FMIN_D:
L_FMAX_D:
L_FCVT_W_D:
L_FCVT_WU_D:
L_FCVT_L_D:
L_FCVT_LU_D:
L_FMV_X_D:
L_FEQ_D:
L_FLT_D:
L_FLE_D:
L_FCLASS_D:
L_FCVT_D_W:
L_FCVT_D_WU:
L_FCVT_D_L:
L_FCVT_D_LU:
L_FMV_D_X:
L_FCVT_S_D:
L_FCVT_D_S:
	/* the arithmetic is shared with the JIT (fp_exec.c) */
	if (unlikely(!fp_exec(h, ins)))
		ILLEGAL();
	NEXT();

	/* ---- Zba / Zbb / Zbs / Zicond ---- */
L_ADD_UW:
	RD = (uint64_t)(uint32_t)RS1 + RS2;
	NEXT();
L_SH1ADD:
	RD = (RS1 << 1) + RS2;
	NEXT();
L_SH2ADD:
	RD = (RS1 << 2) + RS2;
	NEXT();
L_SH3ADD:
	RD = (RS1 << 3) + RS2;
	NEXT();
L_SH1ADD_UW:
	RD = ((uint64_t)(uint32_t)RS1 << 1) + RS2;
	NEXT();
L_SH2ADD_UW:
	RD = ((uint64_t)(uint32_t)RS1 << 2) + RS2;
	NEXT();
L_SH3ADD_UW:
	RD = ((uint64_t)(uint32_t)RS1 << 3) + RS2;
	NEXT();
L_SLLI_UW:
	RD = (uint64_t)(uint32_t)RS1 << (IMM & 63);
	NEXT();
L_ANDN:
	RD = RS1 & ~RS2;
	NEXT();
L_ORN:
	RD = RS1 | ~RS2;
	NEXT();
L_XNOR:
	RD = ~(RS1 ^ RS2);
	NEXT();
L_CLZ:
	RD = RS1 ? (uint64_t)__builtin_clzll(RS1) : 64;
	NEXT();
L_CLZW:
	RD = (uint32_t)RS1 ? (uint64_t)__builtin_clz((uint32_t)RS1) : 32;
	NEXT();
L_CTZ:
	RD = RS1 ? (uint64_t)__builtin_ctzll(RS1) : 64;
	NEXT();
L_CTZW:
	RD = (uint32_t)RS1 ? (uint64_t)__builtin_ctz((uint32_t)RS1) : 32;
	NEXT();
L_CPOP:
	RD = (uint64_t)__builtin_popcountll(RS1);
	NEXT();
L_CPOPW:
	RD = (uint64_t)__builtin_popcount((uint32_t)RS1);
	NEXT();
L_MAX:
	RD = (int64_t)RS1 > (int64_t)RS2 ? RS1 : RS2;
	NEXT();
L_MAXU:
	RD = RS1 > RS2 ? RS1 : RS2;
	NEXT();
L_MIN:
	RD = (int64_t)RS1 < (int64_t)RS2 ? RS1 : RS2;
	NEXT();
L_MINU:
	RD = RS1 < RS2 ? RS1 : RS2;
	NEXT();
L_SEXT_B:
	RD = (uint64_t)(int64_t)(int8_t)RS1;
	NEXT();
L_SEXT_H:
	RD = (uint64_t)(int64_t)(int16_t)RS1;
	NEXT();
L_ZEXT_H:
	RD = (uint16_t)RS1;
	NEXT();
L_ROL : {
	unsigned s = RS2 & 63;
	RD = (RS1 << s) | (RS1 >> ((64 - s) & 63));
	NEXT();
}
L_ROR : {
	unsigned s = RS2 & 63;
	RD = (RS1 >> s) | (RS1 << ((64 - s) & 63));
	NEXT();
}
L_RORI : {
	unsigned s = IMM & 63;
	RD = (RS1 >> s) | (RS1 << ((64 - s) & 63));
	NEXT();
}
L_ROLW : {
	uint32_t v = (uint32_t)RS1;
	unsigned s = RS2 & 31;
	RD = (uint64_t)sx32((v << s) | (v >> ((32 - s) & 31)));
	NEXT();
}
L_RORW : {
	uint32_t v = (uint32_t)RS1;
	unsigned s = RS2 & 31;
	RD = (uint64_t)sx32((v >> s) | (v << ((32 - s) & 31)));
	NEXT();
}
L_RORIW : {
	uint32_t v = (uint32_t)RS1;
	unsigned s = IMM & 31;
	RD = (uint64_t)sx32((v >> s) | (v << ((32 - s) & 31)));
	NEXT();
}
L_ORC_B:
	RD = orc_b(RS1);
	NEXT();
L_REV8:
	RD = __builtin_bswap64(RS1);
	NEXT();
L_BCLR:
	RD = RS1 & ~(1ull << (RS2 & 63));
	NEXT();
L_BCLRI:
	RD = RS1 & ~(1ull << (IMM & 63));
	NEXT();
L_BEXT:
	RD = (RS1 >> (RS2 & 63)) & 1;
	NEXT();
L_BEXTI:
	RD = (RS1 >> (IMM & 63)) & 1;
	NEXT();
L_BINV:
	RD = RS1 ^ (1ull << (RS2 & 63));
	NEXT();
L_BINVI:
	RD = RS1 ^ (1ull << (IMM & 63));
	NEXT();
L_BSET:
	RD = RS1 | (1ull << (RS2 & 63));
	NEXT();
L_BSETI:
	RD = RS1 | (1ull << (IMM & 63));
	NEXT();
L_CZERO_EQZ:
	RD = RS2 == 0 ? 0 : RS1;
	NEXT();
L_CZERO_NEZ:
	RD = RS2 != 0 ? 0 : RS1;
	NEXT();

	/* ---- Zicbom / Zicboz ---- */
L_CBO_ZERO : {
	void *p;
	uint64_t gpa;
	if (!cbo_allowed(h, MENVCFG_CBZE, MENVCFG_CBZE))
		ILLEGAL();
	SYNC();
	p = mmu_atomic_ptr(h, RS1 & ~63ull, 64, true, &gpa);
	if (!p) {
		pc = h->pc;
		goto refetch;
	}
	memset(p, 0, 64);
	NEXT();
}
L_CBO_CLEAN:
L_CBO_FLUSH:
L_CBO_INVAL : {
	uint64_t g;
	bool ok = ins->op == OP_CBO_INVAL
			  ? cbo_allowed(h, MENVCFG_CBIE, MENVCFG_CBIE)
			  : cbo_allowed(h, MENVCFG_CBCFE, MENVCFG_CBCFE);
	if (!ok)
		ILLEGAL();
	/* memory is coherent: only the permission checks remain */
	SYNC();
	int cause = mmu_translate(h, RS1, ACC_READ, h->dmmu, &g);
	if (cause == CAUSE_LOAD_PAGE_FAULT)
		TRAP(CAUSE_STORE_PAGE_FAULT, RS1);
	if (cause)
		TRAP(CAUSE_STORE_ACCESS, RS1);
	NEXT();
}

out:
	hart_retire(h, icount);
	h->timer_poll = poll;
	return h->exit.reason;
}
