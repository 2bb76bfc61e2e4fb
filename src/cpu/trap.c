#include "cpu/trap.h"

#include "cpu/mmu.h"

#define MENVCFG_STCE (1ull << 63)

void hart_set_priv(struct hart *h, enum priv p)
{
	h->priv = p;
	mmu_update_index(h);
	/* Another privilege may take an interrupt this one could not, but
	 * only one already pending and enabled: a line raised later asks for
	 * the check itself. (Every system call comes through here twice;
	 * asking always made translated code leave at the next block.) */
	if (hart_pending_irqs(h))
		hart_request_irq_check(h);
}

void hart_raise(struct hart *h, uint64_t cause, uint64_t tval)
{
	bool irq = (int64_t)cause < 0;
	uint64_t code = cause & 63;
	uint64_t deleg = irq ? h->mideleg : h->medeleg;
	uint64_t s = h->mstatus;

	h->stats.traps++;
	if (h->priv <= PRV_S && ((deleg >> code) & 1)) {
		h->scause = cause;
		h->sepc = h->pc;
		h->stval = tval;
		s = (s & ~MSTATUS_SPIE) |
		    ((s & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
		s = (s & ~MSTATUS_SPP) | (h->priv == PRV_S ? MSTATUS_SPP : 0);
		s &= ~MSTATUS_SIE;
		h->mstatus = s;
		h->pc = (h->stvec & ~3ull) +
			((irq && (h->stvec & 1)) ? 4 * code : 0);
		hart_set_priv(h, PRV_S);
	} else {
		h->mcause = cause;
		h->mepc = h->pc;
		h->mtval = tval;
		s = (s & ~MSTATUS_MPIE) |
		    ((s & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
		s = (s & ~MSTATUS_MPP) | ((uint64_t)h->priv << 11);
		s &= ~MSTATUS_MIE;
		h->mstatus = s;
		h->pc = (h->mtvec & ~3ull) +
			((irq && (h->mtvec & 1)) ? 4 * code : 0);
		hart_set_priv(h, PRV_M);
	}
}

void hart_update_timers(struct hart *h)
{
	uint64_t now = vclock_ticks(h->clock);
	uint64_t set = 0, clr = 0;

	if (now >= atomic_load_explicit(&h->mtimecmp, memory_order_relaxed))
		set |= MIP_MTIP;
	else
		clr |= MIP_MTIP;
	if ((h->menvcfg & MENVCFG_STCE) || h->stimer_from_sbi) {
		if (now >= h->stimecmp)
			set |= MIP_STIP;
		else
			clr |= MIP_STIP;
	}
	uint64_t old =
		atomic_load_explicit(&h->irq_lines, memory_order_relaxed);
	if (((old | set) & ~clr) != old) {
		atomic_fetch_or(&h->irq_lines, set);
		atomic_fetch_and(&h->irq_lines, ~clr);
		hart_request_irq_check(h);
	}
}

uint64_t hart_pending_irqs(struct hart *h)
{
	return (atomic_load(&h->mip) | atomic_load(&h->irq_lines)) & h->mie;
}

/* Priority order of the standard interrupts (privileged spec 3.1.9). */
static const int irq_order[] = {IRQ_M_EXT,  IRQ_M_SOFT,	 IRQ_M_TIMER, IRQ_S_EXT,
				IRQ_S_SOFT, IRQ_S_TIMER, IRQ_LCOF};

bool hart_take_interrupt(struct hart *h)
{
	uint64_t pend = hart_pending_irqs(h);
	uint64_t m_en, s_en, take;

	if (!pend)
		return false;
	/* M-level interrupts: enabled below M, or in M with MIE */
	m_en = (h->priv < PRV_M || (h->mstatus & MSTATUS_MIE))
		       ? pend & ~h->mideleg
		       : 0;
	/* S-level: enabled below S, or in S with SIE; never in M */
	s_en = (h->priv < PRV_S ||
		(h->priv == PRV_S && (h->mstatus & MSTATUS_SIE)))
		       ? pend & h->mideleg
		       : 0;
	take = m_en ? m_en : s_en;
	if (!take)
		return false;
	for (unsigned i = 0; i < sizeof(irq_order) / sizeof(irq_order[0]); i++)
		if (take & (1ull << irq_order[i])) {
			h->stats.interrupts++;
			hart_raise(h, (1ull << 63) | (uint64_t)irq_order[i], 0);
			return true;
		}
	return false;
}

bool hart_mret(struct hart *h)
{
	uint64_t s = h->mstatus;
	enum priv mpp = (enum priv)((s >> 11) & 3);

	if (h->priv != PRV_M)
		return false;
	s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
	s |= MSTATUS_MPIE;
	s &= ~MSTATUS_MPP; /* MPP <- U (least privileged) */
	if (mpp != PRV_M)
		s &= ~MSTATUS_MPRV;
	h->mstatus = s;
	h->pc = h->mepc;
	hart_set_priv(h, mpp);
	return true;
}

bool hart_sret(struct hart *h)
{
	uint64_t s = h->mstatus;
	enum priv spp = (s & MSTATUS_SPP) ? PRV_S : PRV_U;

	if (h->priv < PRV_S || (h->priv == PRV_S && (s & MSTATUS_TSR)))
		return false;
	s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
	s |= MSTATUS_SPIE;
	s &= ~MSTATUS_SPP;
	s &= ~MSTATUS_MPRV; /* spp is never M */
	h->mstatus = s;
	h->pc = h->sepc;
	hart_set_priv(h, spp);
	return true;
}
