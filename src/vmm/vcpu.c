#include "vmm/vcpu.h"


#include "base/log.h"
#include "sbi/sbi.h"

void vcpu_idle(struct vcpu *v)
{
	struct hart *h = v->hart;
	uint64_t deadline = hart_timer_deadline(h);

	for (;;) {
		/* consumed here: anything raised later wakes the futex */
		atomic_fetch_and(&h->events, ~(uint32_t)EV_IRQ);
		if (atomic_load(v->stop) || hart_wfi_wakeup(h) ||
		    (atomic_load(&h->events) & EV_KICK))
			return;
		uint64_t now_ticks = vclock_ticks(h->clock);
		if (deadline != ~0ull && now_ticks >= deadline)
			return;
		uint64_t ns = 1000000000ull; /* re-check at least each second */
		if (deadline != ~0ull &&
		    (deadline - now_ticks) < ns / (1000000000ull / VCLOCK_HZ))
			ns = (deadline - now_ticks) *
			     (1000000000ull / VCLOCK_HZ);
		v->wfi_sleeps++;
		hart_idle_wait(h, ns);
	}
}

static void handle_mmio(struct vcpu *v)
{
	struct hart *h = v->hart;
	struct hart_exit *e = &h->exit;
	uint64_t val = 0;
	bool ok;

	if (e->mmio.is_write)
		ok = bus_write(v->bus, e->mmio.addr, e->mmio.size, e->mmio.data);
	else
		ok = bus_read(v->bus, e->mmio.addr, e->mmio.size, &val);
	hart_complete_mmio(h, val, ok);
}

void vcpu_run(struct vcpu *v)
{
	struct hart *h = v->hart;

	while (!atomic_load(v->stop)) {
		enum exit_reason r = hart_run(h);
		h->stats.exits[r]++;
		switch (r) {
		case EXIT_MMIO:
			handle_mmio(v);
			break;
		case EXIT_SBI:
			if (v->sbi)
				sbi_handle(v->sbi, h);
			else
				hart_complete_sbi(h, (uint64_t)SBI_ERR_NOT_SUPPORTED,
						  0);
			break;
		case EXIT_WFI:
			vcpu_idle(v);
			hart_complete_wfi(h);
			break;
		case EXIT_WATCH:
			if (v->htif)
				htif_on_write(v->htif, h->exit.watch_addr);
			break;
		case EXIT_REQUEST:
		case EXIT_NONE:
			break;
		case EXIT_DEBUG:
		case EXIT_INTERNAL:
		case EXIT__COUNT:
			log_error("hart %llu: internal error: %s",
				  (unsigned long long)h->mhartid,
				  h->exit.msg ? h->exit.msg : "unknown");
			atomic_store(v->stop, 1);
			break;
		}
	}
}
