/* hart.c - hart lifecycle and the interface the VMM drives it through. */
#include "cpu/hart.h"
#include "cpu/jit/jit.h"

#include <linux/futex.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cpu/code_cache.h"
#include "cpu/csr.h"
#include "cpu/mmu.h"
#include "cpu/trap.h"

const char *const exit_reason_names[EXIT__COUNT] = {
	[EXIT_NONE] = "none",	      [EXIT_MMIO] = "mmio",
	[EXIT_SBI] = "sbi",	      [EXIT_WFI] = "wfi",
	[EXIT_WATCH] = "watch",	      [EXIT_REQUEST] = "request",
	[EXIT_INTERNAL] = "internal", [EXIT_DEBUG] = "debug",
};

/* The hart in memory aligned to 2 MiB, which the kernel can back with
 * huge pages: translated code reaches into it on every access (registers,
 * site entries, TLB arrays megabytes apart), and in 4 KiB pages each of
 * those costs a host TLB entry. From calloc, where it started in a huge
 * page depended on address space randomisation, and so did the speed:
 * intmix ran in 0.345 s or 0.445 s from one run to the next. Huge pages
 * for the first 2 MiB only (registers, site entries, jump cache) left it at
 * 0.36 s; all of it costs about 6 MB more resident memory for a Linux
 * guest (ru_maxrss 84488 -> 90836 KB). Zeroed. */
struct hart *hart_new(void)
{
	return map_huge(sizeof(struct hart));
}

void hart_free(struct hart *h)
{
	if (h)
		munmap(h, sizeof(*h));
}

int hart_init(struct hart *h, uint64_t hartid, struct guest_mem *mem,
	      struct vclock *clock)
{
	/* Everything but the TLB, which is megabytes of mostly untouched
	 * memory: tlb_init() makes whatever it holds stale. */
	memset(h, 0, offsetof(struct hart, tlb));
	memset((char *)h + offsetof(struct hart, tlb) + sizeof(h->tlb), 0,
	       sizeof(*h) - offsetof(struct hart, tlb) - sizeof(h->tlb));
	h->code = code_cache_new();
	if (!h->code)
		return -1;
	tlb_init(&h->tlb);
	pthread_mutex_init(&h->inval_lock, NULL);
	h->mhartid = hartid;
	h->mem = mem;
	h->clock = clock;
	hart_reset(h, 0);
	return 0;
}

void hart_destroy(struct hart *h)
{
	code_cache_free(h->code);
	h->code = NULL;
	jit_free(h->jit);
	h->jit = NULL;
	free(h->inval_pages);
	h->inval_pages = NULL;
	pthread_mutex_destroy(&h->inval_lock);
}

void hart_reset(struct hart *h, uint64_t pc)
{
	memset(h, 0, offsetof(struct hart, reset_end));
	h->pc = pc;
	h->priv = PRV_M;
	h->misa = MISA_RV64GC_SU;
	h->resv_addr = ~0ull;
	h->timer_poll = 1;
	atomic_store(&h->mtimecmp, ~0ull);
	h->stimecmp = ~0ull;
	pmp_update(&h->pmp);
	tlb_flush_all(&h->tlb);
	tlb_jc_clear(&h->tlb);
	if (h->code)
		code_cache_flush(h->code);
	jit_flush(h);
	mmu_update_index(h);
}

void hart_complete_mmio(struct hart *h, uint64_t value, bool ok)
{
	unsigned rd = h->mmio_pending.rd;

	if (!ok) {
		hart_raise(h,
			   h->exit.mmio.is_write ? CAUSE_STORE_ACCESS
						 : CAUSE_LOAD_ACCESS,
			   h->exit.mmio.addr);
		return;
	}
	if (!h->exit.mmio.is_write) {
		switch (h->mmio_pending.kind) {
		case MMIO_LD_S8:
			h->x[rd] = (uint64_t)(int64_t)(int8_t)value;
			break;
		case MMIO_LD_S16:
			h->x[rd] = (uint64_t)(int64_t)(int16_t)value;
			break;
		case MMIO_LD_S32:
			h->x[rd] = (uint64_t)(int64_t)(int32_t)value;
			break;
		case MMIO_LD_64: h->x[rd] = value; break;
		case MMIO_LD_U8: h->x[rd] = (uint8_t)value; break;
		case MMIO_LD_U16: h->x[rd] = (uint16_t)value; break;
		case MMIO_LD_U32: h->x[rd] = (uint32_t)value; break;
		case MMIO_LD_F32:
			h->f[rd] = 0xffffffff00000000ull | (uint32_t)value;
			h->mstatus |= MSTATUS_FS;
			break;
		case MMIO_LD_F64:
			h->f[rd] = value;
			h->mstatus |= MSTATUS_FS;
			break;
		}
		h->x[32] = 0;
	}
	h->pc += h->mmio_pending.len;
	hart_retire(h, 1);
}

void hart_complete_sbi(struct hart *h, uint64_t a0, uint64_t a1)
{
	h->x[10] = a0;
	h->x[11] = a1;
	h->pc += 4;
	hart_retire(h, 1);
}

void hart_complete_wfi(struct hart *h)
{
	h->pc += 4;
	hart_retire(h, 1);
	hart_update_timers(h);
	hart_request_irq_check(h);
}

void hart_set_irq_line(struct hart *h, uint64_t mip_bit, bool level)
{
	if (level)
		atomic_fetch_or(&h->irq_lines, mip_bit);
	else
		atomic_fetch_and(&h->irq_lines, ~mip_bit);
	hart_request_irq_check(h);
}

void hart_set_pending(struct hart *h, uint64_t mip_bit)
{
	atomic_fetch_or(&h->mip, mip_bit);
	hart_request_irq_check(h);
}

void hart_kick(struct hart *h)
{
	hart_post_events(h, EV_KICK);
}

void hart_post_events(struct hart *h, uint32_t ev)
{
	/* sequentially consistent, as jit_run's setting of in_jit and its
	 * look at the event word: one of the two sees the other */
	atomic_fetch_or(&h->events, ev);
	if (atomic_load(&h->idle))
		hart_wake(h);
	else if (atomic_load(&h->in_jit))
		jit_kick(h);
}

void hart_wake(struct hart *h)
{
	syscall(SYS_futex, &h->events, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

void hart_idle_wait(struct hart *h, uint64_t timeout_ns)
{
	struct timespec ts, *tsp = NULL;

	if (timeout_ns != UINT64_MAX) {
		ts.tv_sec = (time_t)(timeout_ns / 1000000000ull);
		ts.tv_nsec = (long)(timeout_ns % 1000000000ull);
		tsp = &ts;
	}
	atomic_store(&h->idle, 1);
	/* events is re-checked by the kernel: a wake-up between our check
	 * and the sleep is not lost */
	if (atomic_load(&h->events) == 0)
		syscall(SYS_futex, &h->events, FUTEX_WAIT_PRIVATE, 0, tsp, NULL,
			0);
	atomic_store(&h->idle, 0);
}

void hart_set_mtimecmp(struct hart *h, uint64_t value)
{
	atomic_store(&h->mtimecmp, value);
	hart_update_timers(h);
}

void hart_set_stimer(struct hart *h, uint64_t value)
{
	h->stimer_from_sbi = true;
	h->stimecmp = value;
	hart_update_timers(h);
}

uint64_t hart_get_mtimecmp(struct hart *h)
{
	return atomic_load(&h->mtimecmp);
}

uint64_t hart_timer_deadline(struct hart *h)
{
	uint64_t d = ~0ull;

	if (h->mie & MIP_MTIP)
		d = atomic_load(&h->mtimecmp);
	if ((h->mie & MIP_STIP) &&
	    ((h->menvcfg & MENVCFG_STCE_BIT) || h->stimer_from_sbi) &&
	    h->stimecmp < d)
		d = h->stimecmp;
	return d;
}

bool hart_wfi_wakeup(struct hart *h)
{
	hart_update_timers(h);
	return hart_pending_irqs(h) != 0;
}

void hart_flush_tlb(struct hart *h)
{
	tlb_flush_all(&h->tlb);
	code_cache_flush(h->code);
	jit_flush(h);
}

/* the hart whose hart_run() this thread is in, if any */
static _Thread_local struct hart *current_hart;

void hart_set_current(struct hart *h)
{
	current_hart = h;
}

#define INVAL_MAX 256

void hart_code_written(struct hart *h, uint64_t gpa_page)
{
	if (h == current_hart) {
		code_cache_invalidate(h->code, gpa_page);
		jit_invalidate_page(h, gpa_page);
		return;
	}
	/* Another thread (a hart, a device's I/O thread, the loader): only
	 * the hart's own thread may touch its code cache. */
	pthread_mutex_lock(&h->inval_lock);
	if (h->inval_count == h->inval_cap) {
		if (h->inval_cap == INVAL_MAX) {
			h->inval_overflow = true;
		} else {
			unsigned cap = h->inval_cap ? h->inval_cap * 2 : 16;
			uint64_t *p = realloc(h->inval_pages, cap * sizeof(*p));
			if (p) {
				h->inval_pages = p;
				h->inval_cap = cap;
			} else {
				h->inval_overflow = true;
			}
		}
	}
	if (h->inval_count < h->inval_cap)
		h->inval_pages[h->inval_count++] = gpa_page;
	pthread_mutex_unlock(&h->inval_lock);
	hart_post_events(h, EV_CODE);
}

void hart_process_code_invalidations(struct hart *h)
{
	pthread_mutex_lock(&h->inval_lock);
	if (h->inval_overflow) {
		hart_flush_tlb(h);
	} else {
		for (unsigned i = 0; i < h->inval_count; i++) {
			code_cache_invalidate(h->code, h->inval_pages[i]);
			jit_invalidate_page(h, h->inval_pages[i]);
		}
	}
	h->inval_count = 0;
	h->inval_overflow = false;
	pthread_mutex_unlock(&h->inval_lock);
}

uint64_t hart_request_flush(struct hart *h, uint32_t what)
{
	atomic_fetch_or(&h->flush_what, what);
	uint64_t seq = atomic_fetch_add(&h->flush_seq, 1) + 1;
	hart_post_events(h, EV_FLUSH);
	return seq;
}

void hart_process_flushes(struct hart *h)
{
	/* read the sequence first: requests after it are flushed next time */
	uint64_t seq = atomic_load(&h->flush_seq);
	uint32_t what = atomic_exchange(&h->flush_what, 0);

	/* Predecoded code is invalidated page by page as it is written, with
	 * other threads' writes queued for us: a remote fence.i only has to
	 * apply that queue, not throw everything away. */
	if (what & FLUSH_CODE)
		hart_process_code_invalidations(h);
	if (what & FLUSH_TLB)
		tlb_flush_all(&h->tlb);
	atomic_store(&h->flush_done, seq);
}
