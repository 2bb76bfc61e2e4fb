/* hart.h - the software RISC-V hart (RV64GC, M/S/U, Sv39/48/57).
 *
 * The hart is the only code that executes guest instructions. It knows
 * nothing about devices or SBI: hart_run() executes until it must leave and
 * returns an exit record, like KVM's kvm_run. The VMM handles the exit
 * (an MMIO access, an SBI call, an idle WFI, ...) and calls hart_run() again.
 *
 * Threading: a hart is driven by one host thread. Other threads may only
 * call the functions marked "any thread" (they touch atomics). */
#ifndef RVISOR_CPU_HART_H
#define RVISOR_CPU_HART_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/vclock.h"
#include "cpu/tlb.h"
#include "mem/guest_mem.h"

enum priv { PRV_U = 0, PRV_S = 1, PRV_M = 3 };

enum exit_reason {
	EXIT_NONE = 0,
	EXIT_MMIO,     /* load/store outside RAM: see exit.mmio */
	EXIT_SBI,      /* ecall from S-mode with sbi_in_vmm: a0-a7 in x[] */
	EXIT_WFI,      /* WFI with no interrupt pending */
	EXIT_WATCH,    /* store to a watched RAM address (HTIF tohost) */
	EXIT_REQUEST,  /* hart_kick() asked the hart to return */
	EXIT_INTERNAL, /* rvisor cannot go on (reason in exit.msg) */
	EXIT_DEBUG,    /* ebreak with debug_ebreak set */
	EXIT__COUNT
};

struct hart_exit {
	enum exit_reason reason;
	struct {
		uint64_t addr;
		uint64_t data; /* store data; for loads the VMM fills it */
		uint8_t size;  /* 1, 2, 4, 8 */
		bool is_write;
	} mmio;
	uint64_t watch_addr; /* EXIT_WATCH: address stored to */
	const char *msg;
};

/* interrupt numbers and mip/mie bits */
enum {
	IRQ_S_SOFT = 1,
	IRQ_M_SOFT = 3,
	IRQ_S_TIMER = 5,
	IRQ_M_TIMER = 7,
	IRQ_S_EXT = 9,
	IRQ_M_EXT = 11,
	IRQ_LCOF = 13,
};
#define MIP_SSIP (1ull << IRQ_S_SOFT)
#define MIP_MSIP (1ull << IRQ_M_SOFT)
#define MIP_STIP (1ull << IRQ_S_TIMER)
#define MIP_MTIP (1ull << IRQ_M_TIMER)
#define MIP_SEIP (1ull << IRQ_S_EXT)
#define MIP_MEIP (1ull << IRQ_M_EXT)

/* exception causes */
enum {
	CAUSE_MISALIGNED_FETCH = 0,
	CAUSE_FETCH_ACCESS = 1,
	CAUSE_ILLEGAL_INSN = 2,
	CAUSE_BREAKPOINT = 3,
	CAUSE_MISALIGNED_LOAD = 4,
	CAUSE_LOAD_ACCESS = 5,
	CAUSE_MISALIGNED_STORE = 6,
	CAUSE_STORE_ACCESS = 7,
	CAUSE_USER_ECALL = 8,
	CAUSE_SUPERVISOR_ECALL = 9,
	CAUSE_MACHINE_ECALL = 11,
	CAUSE_FETCH_PAGE_FAULT = 12,
	CAUSE_LOAD_PAGE_FAULT = 13,
	CAUSE_STORE_PAGE_FAULT = 15,
};

/* hart.events bits: set by any thread, checked at block boundaries */
enum {
	EV_IRQ = 1 << 0,   /* interrupt state may have changed */
	EV_KICK = 1 << 1,  /* return EXIT_REQUEST */
	EV_CODE = 1 << 2,  /* predecoded pages were written by another thread */
	EV_FLUSH = 1 << 3, /* another hart asked for a TLB/code flush */
};

#define PMP_COUNT 16

struct pmp_state {
	uint8_t cfg[PMP_COUNT];
	uint64_t addr[PMP_COUNT];
	/* decoded ranges [lo, hi] inclusive, valid when cfg.A != OFF */
	uint64_t lo[PMP_COUNT], hi[PMP_COUNT];
	int active; /* number of entries with A != OFF */
};

struct code_cache;
struct jit;

/* how an MMIO load result is written back (hart.mmio_pending.kind) */
enum mmio_kind {
	MMIO_LD_S8,
	MMIO_LD_S16,
	MMIO_LD_S32,
	MMIO_LD_64,
	MMIO_LD_U8,
	MMIO_LD_U16,
	MMIO_LD_U32,
	MMIO_LD_F32,
	MMIO_LD_F64,
	MMIO_ST,
};

struct hart_stats {
	uint64_t exits[EXIT__COUNT];
	uint64_t traps;
	uint64_t interrupts;
	uint64_t tlb_flushes;
	uint64_t code_pages_decoded;
};

struct hart {
	/* hot state first */
	uint64_t x[33]; /* x[32] is the sink for writes to x0 */
	uint64_t f[32];
	uint64_t pc;
	uint64_t instret;  /* synced from the run loop's local counter */
	uint64_t cycle;	   /* mcycle: one per retired instruction */
	uint64_t executed; /* instructions run, whatever mcountinhibit says */
	enum priv priv;
	_Atomic uint32_t events;
	_Atomic uint32_t idle; /* the vcpu thread sleeps on `events` */
	/* the vcpu thread runs translated code, which tests no event word:
	 * whoever sets one sends it a signal (hart_post_events) */
	_Atomic bool in_jit;
	_Atomic bool jit_kicked; /* a signal is on its way */

	int dmmu;	  /* mmu index for data accesses (honours MPRV) */
	int immu;	  /* mmu index for fetches */
	int walk_level;	  /* leaf level of the last page walk (0: 4 KiB) */
	bool walk_global; /* and whether its leaf was global (PTE.G) */
	uint16_t asid;

	/* reservation for LR/SC: guest-physical address, or -1 */
	uint64_t resv_addr;
	uint64_t resv_value;
	uint8_t resv_size;

	/* CSRs */
	uint64_t mstatus;
	uint64_t misa;
	uint64_t medeleg, mideleg;
	uint64_t mie;
	_Atomic uint64_t mip;	    /* software-visible pending bits */
	_Atomic uint64_t irq_lines; /* levels driven by devices and timers */
	uint64_t mtvec, stvec;
	uint64_t mscratch, sscratch;
	uint64_t mepc, sepc;
	uint64_t mcause, scause;
	uint64_t mtval, stval;
	uint32_t mcounteren, scounteren, mcountinhibit;
	uint64_t menvcfg, senvcfg;
	uint64_t satp;
	uint64_t stimecmp;
	/* The VMM's SBI drives STIP from stimecmp (SBI set_timer), even
	 * without menvcfg.STCE, as KVM does for its guests. */
	bool stimer_from_sbi;
	_Atomic uint64_t
		mtimecmp; /* ACLINT mtimer compare, owned by the hart */
	uint32_t fflags;
	uint32_t frm;
	uint64_t tselect;
	struct pmp_state pmp;

	/* When set, ecall from S-mode exits to the VMM (it provides SBI). */
	bool sbi_in_vmm;
	uint32_t timer_poll; /* blocks until the next timer check */

	/* set by hart_run on return */
	struct hart_exit exit;
	/* an MMIO load in flight: where the value goes */
	struct {
		uint8_t rd;
		uint8_t kind; /* see exec.c */
		uint8_t len;  /* instruction length, to step past it */
	} mmio_pending;

	struct hart_stats stats;

	/* Translated code's view of the hart while it runs (cpu/jit/jit.h):
	 * set by jit_run on entry, read by generated code. */
	uint64_t jit_ctx;     /* jump cache: tlb.ctx << 4 | dmmu << 2 | immu */
	uint64_t jit_gctx;    /* the same for global pages (TLB_GLOBAL) */
	int64_t jit_budget;   /* instructions left before a timer
			       * check; blocks count it down */
	int64_t jit_stolen;   /* taken off the budget to make translated
			       * code leave (jit.c: kicks), given back */
	uint8_t *jit_patch;   /* a chain exit's jump to patch */
	uint64_t jit_scratch; /* an AMO operand, while its CAS loop runs */
	uint64_t jit_ifc[3];  /* an if-converted branch: taken?, and the old
			       * values of the registers it may keep */
	uint64_t jit_addend[4]; /* TLB addends shared by accesses through
				 * one base register (x86_64_group.c) */

	/* ---- everything above is cleared by hart_reset() ---- */
	int reset_end;

	pthread_t jit_thread; /* where jit_run last ran: jit_kick's target */

	uint64_t mhartid;
	struct guest_mem *mem;
	/* TLB: per mmu index (see tlb.h), read/write/fetch. Not cleared by
	 * hart_reset (it is large and mostly untouched): a reset flushes it. */
	struct tlb tlb;
	struct vclock *clock;
	/* predecoded code, private to this hart */
	struct code_cache *code;
	/* translated code, private to this hart (NULL: interpreter only) */
	struct jit *jit;
	/* pages other threads wrote, to drop from `code` at the next block
	 * boundary (EV_CODE): only the hart's own thread touches `code` */
	pthread_mutex_t inval_lock;
	uint64_t *inval_pages;
	unsigned inval_count, inval_cap;
	bool inval_overflow; /* too many: flush everything */
	/* remote fences: requests counted up by other harts, acknowledged by
	 * this hart's thread after flushing */
	_Atomic uint32_t flush_what; /* FLUSH_TLB | FLUSH_CODE */
	_Atomic uint64_t flush_seq, flush_done;
};

enum { FLUSH_TLB = 1, FLUSH_CODE = 2 };

/* A zeroed hart in memory the host can map with huge pages (hart.c) */
struct hart *hart_new(void);
void hart_free(struct hart *h);

/* Lifecycle. The hart starts in M-mode at `pc` with all state reset. */
int hart_init(struct hart *h, uint64_t hartid, struct guest_mem *mem,
	      struct vclock *clock);
void hart_destroy(struct hart *h);
void hart_reset(struct hart *h, uint64_t pc);

/* Run until an exit; returns h->exit.reason. */
enum exit_reason hart_run(struct hart *h);

/* Finish the MMIO access of an EXIT_MMIO. For loads, `value` is the data
 * read (the hart sign/zero-extends it). ok=false raises an access fault. */
void hart_complete_mmio(struct hart *h, uint64_t value, bool ok);
/* Finish an EXIT_SBI: a0/a1 are the SBI return values; steps past ecall. */
void hart_complete_sbi(struct hart *h, uint64_t a0, uint64_t a1);
/* Step past the WFI of an EXIT_WFI (call once an interrupt is pending or the
 * VMM decides to resume anyway). */
void hart_complete_wfi(struct hart *h);

/* Any thread: raise/lower a device-driven interrupt line (MEIP, SEIP, MSIP). */
void hart_set_irq_line(struct hart *h, uint64_t mip_bit, bool level);
/* Any thread: set a software-pending bit (ACLINT SSWI sets SSIP). */
void hart_set_pending(struct hart *h, uint64_t mip_bit);
/* Any thread: make hart_run return EXIT_REQUEST at the next block boundary. */
void hart_kick(struct hart *h);
/* Any thread: set bits of the event word and make sure the hart sees them
 * soon: wake it if idle, signal it if it runs translated code. */
void hart_post_events(struct hart *h, uint32_t ev);
/* The vcpu thread: sleep until the event word changes or `timeout_ns`
 * (relative, UINT64_MAX: none) passes. */
void hart_idle_wait(struct hart *h, uint64_t timeout_ns);
/* SBI set_timer: program the supervisor timer (STIP when time >= value;
 * writing a future value clears a pending STIP). */
void hart_set_stimer(struct hart *h, uint64_t value);
/* ACLINT mtimer compare for this hart. */
void hart_set_mtimecmp(struct hart *h, uint64_t value);
uint64_t hart_get_mtimecmp(struct hart *h);
/* Earliest guest tick at which a timer interrupt becomes pending for this
 * hart (UINT64_MAX if none): the idle loop sleeps until then. */
uint64_t hart_timer_deadline(struct hart *h);
/* True if an interrupt is pending and enabled in mie (WFI wake condition). */
bool hart_wfi_wakeup(struct hart *h);

/* Flush all translations and predecoded code (remote fence.i / sfence). */
void hart_flush_tlb(struct hart *h);
/* Any thread: guest RAM page gpa_page was written; the hart drops its
 * predecoded instructions (at once on its own thread, else at its next
 * block boundary - before it could observe the write through a fence). */
void hart_code_written(struct hart *h, uint64_t gpa_page);
/* Any thread: ask for a flush; returns the sequence number to wait for
 * (hart_flush_done(h) >= seq). */
uint64_t hart_request_flush(struct hart *h, uint32_t what);
/* The hart's own thread: carry out requested flushes. */
void hart_process_flushes(struct hart *h);

/* Records which hart this thread runs (hart_run does it). */
void hart_set_current(struct hart *h);
/* The hart's own thread: apply invalidations queued by other threads. */
void hart_process_code_invalidations(struct hart *h);

/* CSR access as the hart sees it (for tests and debug tooling). Returns
 * false if the CSR does not exist or is not accessible at `priv`. */
bool hart_csr_read(struct hart *h, uint32_t csr, uint64_t *val);
bool hart_csr_write(struct hart *h, uint32_t csr, uint64_t val);

/* Account n retired instructions (honours mcountinhibit CY/IR). */
static inline void hart_retire(struct hart *h, uint64_t n)
{
	h->executed += n;
	if (!(h->mcountinhibit & 4))
		h->instret += n;
	if (!(h->mcountinhibit & 1))
		h->cycle += n;
}

extern const char *const exit_reason_names[EXIT__COUNT];

#endif
