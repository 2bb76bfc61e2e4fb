/* vcpu.h - the run loop of one hart: run, dispatch the exit, resume. */
#ifndef RVISOR_VMM_VCPU_H
#define RVISOR_VMM_VCPU_H

#include "cpu/hart.h"
#include "dev/htif.h"
#include "vmm/bus.h"

struct sbi;

struct vcpu {
	struct hart *hart;
	struct bus *bus;
	struct htif *htif; /* NULL when the program has no tohost */
	struct sbi *sbi;   /* NULL: SBI calls get NOT_SUPPORTED */
	_Atomic int *stop; /* nonzero: leave the loop */
	uint64_t wfi_sleeps;
};

void vcpu_run(struct vcpu *v);
/* Sleep until an interrupt is pending or the hart's timer deadline. */
void vcpu_idle(struct vcpu *v);

#endif
