/* sbi.h - the hypercall ABI: SBI 2.0 implemented by the VMM.
 *
 * An `ecall` from guest S-mode exits the hart (EXIT_SBI); the vcpu loop hands
 * it to sbi_handle(), which decodes a7 (EID) / a6 (FID) through a table of
 * extensions (OpenSBI style: each extension in its own file covers an EID
 * range), validates every argument and completes the call with the spec's
 * error code in a0 and value in a1. The SBI layer never touches the board:
 * everything it needs from the machine comes through sbi_host_ops. */
#ifndef RVISOR_SBI_SBI_H
#define RVISOR_SBI_SBI_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "cpu/hart.h"

#define SBI_SUCCESS		  0
#define SBI_ERR_FAILED		  (-1)
#define SBI_ERR_NOT_SUPPORTED	  (-2)
#define SBI_ERR_INVALID_PARAM	  (-3)
#define SBI_ERR_DENIED		  (-4)
#define SBI_ERR_INVALID_ADDRESS	  (-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)
#define SBI_ERR_ALREADY_STARTED	  (-7)
#define SBI_ERR_ALREADY_STOPPED	  (-8)
#define SBI_ERR_NO_SHMEM	  (-9)

/* BASE: spec version 2.0 (minor in bits 23:0, major in 30:24). */
#define SBI_SPEC_VERSION ((2u << 24) | 0u)
/* BASE impl id. The registered ids are small integers (0 BBL, 1 OpenSBI,
 * 2 Xvisor, 3 KVM, ... 11 bhyve); rvisor is not registered, so it uses
 * 0x7276 ("rv"), far above the sequentially assigned ids so that it will
 * not collide with the next registrations. Its firmware-specific EID space
 * is therefore 0x0A007276. */
#define SBI_IMPL_ID_RVISOR 0x7276u
/* BASE impl version: major << 16 | minor */
#define SBI_IMPL_VERSION ((1u << 16) | 0u)

/* extension ids (a7) */
#define SBI_EXT_LEGACY_FIRST 0x00
#define SBI_EXT_LEGACY_LAST  0x08
#define SBI_EXT_BASE	     0x10
#define SBI_EXT_TIME	     0x54494D45
#define SBI_EXT_IPI	     0x735049
#define SBI_EXT_RFENCE	     0x52464E43
#define SBI_EXT_HSM	     0x48534D
#define SBI_EXT_SRST	     0x53525354
#define SBI_EXT_PMU	     0x504D55
#define SBI_EXT_DBCN	     0x4442434E
#define SBI_EXT_SUSP	     0x53555350

/* legacy (v0.1) extension ids: one function each */
enum sbi_legacy_eid {
	SBI_LEGACY_SET_TIMER = 0,
	SBI_LEGACY_CONSOLE_PUTCHAR = 1,
	SBI_LEGACY_CONSOLE_GETCHAR = 2,
	SBI_LEGACY_CLEAR_IPI = 3,
	SBI_LEGACY_SEND_IPI = 4,
	SBI_LEGACY_REMOTE_FENCE_I = 5,
	SBI_LEGACY_REMOTE_SFENCE_VMA = 6,
	SBI_LEGACY_REMOTE_SFENCE_VMA_ASID = 7,
	SBI_LEGACY_SHUTDOWN = 8,
};

/* HSM hart_suspend types / SUSP sleep types we implement */
#define SBI_HSM_SUSPEND_RETENTIVE     0x00000000u
#define SBI_HSM_SUSPEND_NON_RETENTIVE 0x80000000u
#define SBI_SUSP_SUSPEND_TO_RAM	      0x00000000u

/* HSM hart states (SBI spec, HSM chapter) */
enum sbi_hsm_state {
	SBI_HSM_STARTED = 0,
	SBI_HSM_STOPPED = 1,
	SBI_HSM_START_PENDING = 2,
	SBI_HSM_STOP_PENDING = 3,
	SBI_HSM_SUSPENDED = 4,
	SBI_HSM_SUSPEND_PENDING = 5,
	SBI_HSM_RESUME_PENDING = 6,
};

enum sbi_fence_kind {
	SBI_FENCE_I,
	SBI_FENCE_VMA,	    /* start, size */
	SBI_FENCE_VMA_ASID, /* start, size, asid */
};

enum sbi_reset_type { SBI_RESET_SHUTDOWN, SBI_RESET_COLD, SBI_RESET_WARM };

/* What the SBI layer needs from the machine. All hart ids are validated by
 * the SBI layer (< nharts) before these are called. Hart id i is harts[i].
 * An extension whose ops are NULL is reported as absent by probe_extension
 * and its calls get SBI_ERR_NOT_SUPPORTED. */
struct sbi_host_ops {
	/* Start hart `hartid` in S-mode at start_addr with a0 = hartid,
	 * a1 = opaque (HSM hart_start; sbi_hart_enter() sets up exactly the
	 * register state the spec defines). The SBI layer has checked the
	 * state. It may be called as soon as that hart's hart_stop() has
	 * returned, before its vcpu thread has actually parked: latch it. */
	void (*hart_start)(void *m, unsigned hartid, uint64_t start_addr,
			   uint64_t opaque);
	/* The calling hart stops (HSM hart_stop). Called on that hart's own
	 * vcpu thread; it returns, and the vcpu loop parks after sbi_handle()
	 * returns, until hart_start(). The call is not completed: the hart's
	 * pc still points at the ecall. */
	void (*hart_stop)(void *m, unsigned hartid);
	/* Raise the supervisor software interrupt on a hart. */
	void (*send_ipi)(void *m, unsigned hartid);
	/* Apply a remote fence on a hart; returns when it has taken effect. */
	void (*remote_fence)(void *m, unsigned hartid, enum sbi_fence_kind kind,
			     uint64_t start, uint64_t size, uint64_t asid);
	/* SRST: end or restart the machine. reason: SBI reset reason. The
	 * call is not completed; the vcpu loop must not resume the hart
	 * before the machine has acted. */
	void (*system_reset)(void *m, enum sbi_reset_type type,
			     uint32_t reason);
	/* Console: write bytes (DBCN, legacy putchar); read one byte or -1. */
	void (*console_write)(void *m, const uint8_t *buf, uint64_t len);
	int (*console_read)(void *m);
	/* Optional (appended): block the calling hart's vcpu thread until the
	 * hart has a pending interrupt that mie enables (the WFI wake-up
	 * condition, as vcpu_idle() does) or the machine wants the thread
	 * back. HSM hart_suspend and SUSP sleep here. NULL: wake at once,
	 * which the spec allows (a spurious wake-up). */
	void (*hart_idle)(void *m, unsigned hartid);
};

#define SBI_MAX_HARTS 32

/* per-extension call counters, for --stats and benchmarks */
enum sbi_ext_slot {
	SBI_SLOT_LEGACY,
	SBI_SLOT_BASE,
	SBI_SLOT_TIME,
	SBI_SLOT_IPI,
	SBI_SLOT_RFENCE,
	SBI_SLOT_HSM,
	SBI_SLOT_SRST,
	SBI_SLOT_PMU,
	SBI_SLOT_DBCN,
	SBI_SLOT_SUSP,
	SBI_SLOT_UNKNOWN,
	SBI_SLOT__COUNT
};

struct sbi {
	const struct sbi_host_ops *ops;
	void *m;
	struct hart **harts;
	unsigned nharts;
	struct guest_mem *mem;
	_Atomic int hsm_state[SBI_MAX_HARTS]; /* enum sbi_hsm_state */
	_Atomic uint64_t calls[SBI_SLOT__COUNT];
};

void sbi_init(struct sbi *s, const struct sbi_host_ops *ops, void *m,
	      struct hart **harts, unsigned nharts, struct guest_mem *mem);
/* Handle the EXIT_SBI of hart h (its a0-a7 hold the call) and complete it
 * with hart_complete_sbi() - except for calls that do not return to the
 * caller (HSM stop, non-retentive suspend, SUSP, SRST, legacy shutdown),
 * which set up the hart's state themselves, and a legacy call whose
 * hart-mask pointer faults: the spec redirects that fault to the guest
 * (sepc = the ecall), so h->pc is then the guest's trap handler.
 * Runs on h's vcpu thread; HSM/SUSP suspend block in ops->hart_idle. */
void sbi_handle(struct sbi *s, struct hart *h);

extern const char *const sbi_slot_names[SBI_SLOT__COUNT];

/* Put h into the state the spec defines for a hart entering S-mode through
 * HSM hart_start, a non-retentive resume or a system resume: S-mode at
 * addr, a0 = hartid, a1 = opaque, satp = 0, sstatus.SIE = 0. All other
 * state is left as it is (the machine resets a hart before starting it). */
void sbi_hart_enter(struct hart *h, uint64_t addr, uint64_t opaque);

#endif
