/* trap.h - exceptions, interrupts and returns from traps. */
#ifndef RVISOR_CPU_TRAP_H
#define RVISOR_CPU_TRAP_H

#include "cpu/hart.h"

#define MSTATUS_SIE  (1ull << 1)
#define MSTATUS_MIE  (1ull << 3)
#define MSTATUS_SPIE (1ull << 5)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_SPP  (1ull << 8)
#define MSTATUS_MPP  (3ull << 11)
#define MSTATUS_FS   (3ull << 13)
#define MSTATUS_TVM  (1ull << 20)
#define MSTATUS_TW   (1ull << 21)
#define MSTATUS_TSR  (1ull << 22)
#define MSTATUS_SD   (1ull << 63)

/* Take exception `cause` at h->pc with trap value `tval`; h->pc becomes the
 * handler address and privilege changes per medeleg. */
void hart_raise(struct hart *h, uint64_t cause, uint64_t tval);

/* If an enabled interrupt is pending, take it (h->pc must be current) and
 * return true. */
bool hart_take_interrupt(struct hart *h);

/* Pending-and-enabled-in-mie bits, with timer levels brought up to date. */
uint64_t hart_pending_irqs(struct hart *h);
/* Re-evaluate timer compare levels (MTIP, and STIP under Sstc). */
void hart_update_timers(struct hart *h);

/* mret / sret: false if not allowed at this privilege (illegal insn). */
bool hart_mret(struct hart *h);
bool hart_sret(struct hart *h);

/* Privilege change bookkeeping (mmu index, interrupt recheck). */
void hart_set_priv(struct hart *h, enum priv p);

void hart_wake(struct hart *h);

static inline void hart_request_irq_check(struct hart *h)
{
	hart_post_events(h, EV_IRQ);
}

#endif
