/* vcpu.h - the run loop of one hart: run, dispatch the exit, resume. */
#ifndef RVISOR_VMM_VCPU_H
#define RVISOR_VMM_VCPU_H

#include <pthread.h>

#include "cpu/hart.h"
#include "dev/htif.h"
#include "vmm/bus.h"

struct sbi;

struct vcpu {
	struct hart *hart;
	struct vcpu *all; /* every vcpu of the machine (remote fences) */
	unsigned nvcpus;
	struct bus *bus;
	struct htif *htif; /* NULL when the program has no tohost */
	struct sbi *sbi;   /* NULL: SBI calls get NOT_SUPPORTED */
	_Atomic int *stop; /* nonzero: leave the loop */
	uint64_t wfi_sleeps;

	/* HSM: a stopped hart's thread parks until another hart starts it */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool runnable;	    /* not parked */
	bool park_request;  /* set by the hart itself (HSM stop) */
	bool start_pending; /* set by another hart (HSM start) */
	uint64_t start_addr, start_arg;
	_Atomic int parked; /* the thread sleeps in vcpu_thread's park loop */
};

void vcpu_init(struct vcpu *v, bool runnable);
void vcpu_destroy(struct vcpu *v);
/* Run until the machine stops or the hart parks itself. */
void vcpu_run(struct vcpu *v);
/* A vcpu's thread: park while stopped, run while started, until *stop. */
void *vcpu_thread(void *v);
/* Any thread: start a parked hart at addr in S-mode (a0 = hartid, a1 = arg). */
void vcpu_start(struct vcpu *v, uint64_t addr, uint64_t arg);
/* The vcpu's own thread: park after the current exit. */
void vcpu_park_self(struct vcpu *v);
/* The vcpu whose loop runs on this thread (NULL elsewhere). */
struct vcpu *vcpu_self(void);
/* Wake parked threads so they see *stop. */
void vcpu_wake(struct vcpu *v);
/* From hart `self`'s thread: flush TLB (and code if fence_i) on `target`
 * and return once it has taken effect. */
void vcpu_remote_fence(struct vcpu *self, struct vcpu *target, bool fence_i);
/* Sleep until an interrupt is pending or the hart's timer deadline. */
void vcpu_idle(struct vcpu *v);

#endif
