#include "vmm/vcpu.h"

#include <sched.h>

#include "base/log.h"
#include "sbi/sbi.h"

void vcpu_idle(struct vcpu *v)
{
	struct hart *h = v->hart;
	uint64_t deadline = hart_timer_deadline(h);

	for (;;) {
		/* Consumed here, so the futex sleeps; anything raised later
		 * changes the word and wakes it. Requests other threads queue
		 * for this hart are served while it sleeps, too. */
		uint32_t ev = atomic_fetch_and(
			&h->events, ~(uint32_t)(EV_IRQ | EV_CODE | EV_FLUSH));
		if (ev & EV_CODE)
			hart_process_code_invalidations(h);
		if (atomic_load(&h->flush_done) != atomic_load(&h->flush_seq))
			hart_process_flushes(h);
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
		ok = bus_write(v->bus, e->mmio.addr, e->mmio.size,
			       e->mmio.data);
	else
		ok = bus_read(v->bus, e->mmio.addr, e->mmio.size, &val);
	hart_complete_mmio(h, val, ok);
}

void vcpu_init(struct vcpu *v, bool runnable)
{
	pthread_mutex_init(&v->lock, NULL);
	pthread_cond_init(&v->cond, NULL);
	v->runnable = runnable;
}

void vcpu_destroy(struct vcpu *v)
{
	pthread_mutex_destroy(&v->lock);
	pthread_cond_destroy(&v->cond);
}

void vcpu_start(struct vcpu *v, uint64_t addr, uint64_t arg)
{
	pthread_mutex_lock(&v->lock);
	v->start_pending = true;
	v->start_addr = addr;
	v->start_arg = arg;
	pthread_cond_signal(&v->cond);
	pthread_mutex_unlock(&v->lock);
}

void vcpu_park_self(struct vcpu *v)
{
	v->park_request = true;
}

void vcpu_wake(struct vcpu *v)
{
	pthread_mutex_lock(&v->lock);
	pthread_cond_signal(&v->cond);
	pthread_mutex_unlock(&v->lock);
	hart_kick(v->hart);
}

void vcpu_remote_fence(struct vcpu *self, struct vcpu *target, bool fence_i)
{
	struct hart *t = target->hart;
	uint64_t seq;

	if (self == target) {
		if (fence_i)
			hart_process_code_invalidations(t);
		else
			tlb_flush_all(&t->tlb);
		return;
	}
	seq = hart_request_flush(t, fence_i ? FLUSH_CODE : FLUSH_TLB);
	/* A parked hart flushes when it starts; everyone else acknowledges
	 * from its own thread. Serve our own requests while waiting, or two
	 * harts fencing each other would wait forever. */
	while (atomic_load(&t->flush_done) < seq &&
	       !atomic_load(&target->parked) && !atomic_load(self->stop)) {
		if (atomic_load(&self->hart->flush_done) !=
		    atomic_load(&self->hart->flush_seq))
			hart_process_flushes(self->hart);
		sched_yield();
	}
}

void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;

	while (!atomic_load(v->stop)) {
		pthread_mutex_lock(&v->lock);
		while (!v->runnable && !v->start_pending &&
		       !atomic_load(v->stop)) {
			atomic_store(&v->parked, 1);
			pthread_cond_wait(&v->cond, &v->lock);
		}
		atomic_store(&v->parked, 0);
		if (v->start_pending) {
			v->start_pending = false;
			v->runnable = true;
			/* everything from before the stop is stale */
			hart_flush_tlb(v->hart);
			sbi_hart_enter(v->hart, v->start_addr, v->start_arg);
		}
		pthread_mutex_unlock(&v->lock);
		if (atomic_load(v->stop))
			break;
		vcpu_run(v);
	}
	atomic_store(&v->parked, 1);
	return NULL;
}

static _Thread_local struct vcpu *current_vcpu;

struct vcpu *vcpu_self(void)
{
	return current_vcpu;
}

void vcpu_run(struct vcpu *v)
{
	struct hart *h = v->hart;

	current_vcpu = v;
	while (!atomic_load(v->stop)) {
		if (v->park_request) {
			pthread_mutex_lock(&v->lock);
			v->park_request = false;
			v->runnable = false;
			pthread_mutex_unlock(&v->lock);
			return;
		}
		enum exit_reason r = hart_run(h);
		h->stats.exits[r]++;
		switch (r) {
		case EXIT_MMIO: handle_mmio(v); break;
		case EXIT_SBI:
			if (v->sbi)
				sbi_handle(v->sbi, h);
			else
				hart_complete_sbi(
					h, (uint64_t)SBI_ERR_NOT_SUPPORTED, 0);
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
		case EXIT_NONE: break;
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
