/* plic.h - SiFive PLIC as on QEMU's virt board: 95 sources (1..95, source 0
 * does not exist), 7 priority levels, two contexts per hart (context 2*i is
 * hart i in M-mode and drives MEIP, context 2*i+1 is S-mode and drives SEIP).
 *
 * Register map (32-bit accesses only):
 *   0x000000 + 4*src        source priority (0 = never interrupts)
 *   0x001000                pending bits, one per source
 *   0x002000 + 0x80*ctx     enable bits of a context
 *   0x200000 + 0x1000*ctx   priority threshold of a context
 *   0x200004 + 0x1000*ctx   claim (read) / complete (write)
 *
 * Sources are level-triggered: plic_set_irq() may be called from any thread
 * (device I/O threads as well as vcpu threads in MMIO). */
#ifndef RVISOR_DEV_PLIC_H
#define RVISOR_DEV_PLIC_H

#include <stdbool.h>

#include "cpu/hart.h"
#include "dev/device.h"

/* QEMU virt sizes the region for 512 harts whatever -smp says, and so do we
 * (the device tree's reg must agree). */
#define PLIC_SIZE      0x600000
#define PLIC_NDEV      95  /* riscv,ndev: sources 1..95 */
#define PLIC_MAX_PRIO  7   /* priorities and thresholds are 0..7 */
#define PLIC_MAX_HARTS 512 /* 2 contexts each fill the region exactly */

extern const struct device_ops plic_ops;
/* harts[0..nharts) receive MEIP/SEIP; the pointers are copied. Returns NULL
 * if nharts is 0 or more than PLIC_MAX_HARTS, or out of memory. */
void *plic_new(struct hart **harts, unsigned nharts);
/* Any thread: drive the level of source `irq` (1..PLIC_NDEV; others are
 * ignored). Matches struct irq_line.set, with ctrl = the PLIC. */
void plic_set_irq(void *ctrl, unsigned irq, bool level);

#endif
