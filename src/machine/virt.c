/* virt.c - the `virt` board: QEMU-compatible memory map, its devices and
 * their wiring, and the host side of SBI (what harts, IPIs, fences and the
 * console mean on this board). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "cpu/jit/jit.h"
#include "cpu/jit/jit_arch.h"
#include "cpu/tlb.h"
#include "dev/aclint.h"
#include "dev/aclint_sswi.h"
#include "dev/goldfish_rtc.h"
#include "dev/plic.h"
#include "dev/pvpanic.h"
#include "dev/sifive_test.h"
#include "dev/uart16550.h"
#include "machine/machine.h"
#include "virtio/console.h"
#include "virtio/rng.h"

#define VIRT_RTC_IRQ	 11
#define DEFAULT_BOOTARGS "console=ttyS0"

void machine_power_request(void *opaque, enum power_request req, int code)
{
	struct machine *m = opaque;

	switch (req) {
	case POWER_OFF:
		m->exit_code = 0;
		atomic_store(&m->state, MACHINE_POWEROFF);
		break;
	case POWER_FAIL:
		m->exit_code = code ? code : 1;
		atomic_store(&m->state, MACHINE_FAILED);
		break;
	case POWER_RESET: atomic_store(&m->state, MACHINE_RESET); break;
	}
	atomic_store(&m->stop, 1);
	for (unsigned i = 0; i < m->nharts; i++)
		if (m->vcpus[i].hart)
			vcpu_wake(&m->vcpus[i]);
}

void machine_signal_stop(struct machine *m, int code)
{
	m->exit_code = code;
	atomic_store(&m->state, MACHINE_FAILED);
	atomic_store(&m->stop, 1);
	for (unsigned i = 0; i < m->nharts; i++)
		hart_kick(m->harts[i]);
}

static void console_quit(void *opaque)
{
	struct machine *m = opaque;

	/* as QEMU: a user's C-a x is a normal exit */
	console_restore(&m->console);
	log_error("terminated by the user (C-a x)");
	machine_power_request(m, POWER_OFF, 0);
}

/* Guest RAM writes that hit predecoded code: every hart drops its copy. */
static void code_written(void *opaque, uint64_t gpa_page)
{
	struct machine *m = opaque;

	for (unsigned i = 0; i < m->nharts; i++)
		hart_code_written(m->harts[i], gpa_page);
}

static void page_flag_set(void *opaque, uintptr_t host_page, uint64_t va_page)
{
	struct machine *m = opaque;

	for (unsigned i = 0; i < m->nharts; i++)
		if (m->harts[i]) /* (during setup) */
			tlb_drop_write_page(&m->harts[i]->tlb, host_page,
					    va_page);
}

/* ---- SBI host side ---- */

static void sbi_hart_start(void *opaque, unsigned hartid, uint64_t start,
			   uint64_t arg)
{
	struct machine *m = opaque;

	vcpu_start(&m->vcpus[hartid], start, arg);
}

static void sbi_hart_stop(void *opaque, unsigned hartid)
{
	struct machine *m = opaque;

	vcpu_park_self(&m->vcpus[hartid]);
}

static void sbi_send_ipi(void *opaque, unsigned hartid)
{
	struct machine *m = opaque;

	hart_set_pending(m->harts[hartid], MIP_SSIP);
}

static void sbi_remote_fence(void *opaque, unsigned hartid,
			     enum sbi_fence_kind kind, uint64_t start,
			     uint64_t size, uint64_t asid)
{
	struct machine *m = opaque;
	struct vcpu *self = vcpu_self(), *target = &m->vcpus[hartid];
	struct hart *h = target->hart;

	if (self != target || kind == SBI_FENCE_I) {
		/* other harts flush everything: rare enough to stay simple */
		vcpu_remote_fence(self, target, kind == SBI_FENCE_I);
		return;
	}
	if (size == ~0ull || size > (64ull << 12) || start + size < start) {
		if (kind == SBI_FENCE_VMA_ASID)
			tlb_flush(&h->tlb, -1, (int64_t)asid);
		else
			tlb_flush_all(&h->tlb);
		return;
	}
	for (uint64_t va = start & ~0xfffull; va < start + size; va += 4096)
		tlb_flush(&h->tlb, (int64_t)va,
			  kind == SBI_FENCE_VMA_ASID ? (int64_t)asid : -1);
}

static void sbi_system_reset(void *opaque, enum sbi_reset_type type,
			     uint32_t reason)
{
	struct machine *m = opaque;

	if (reason == 1) { /* system failure */
		log_error("guest reported a system failure (SBI SRST)");
		machine_power_request(m, POWER_FAIL, 1);
		return;
	}
	machine_power_request(
		m, type == SBI_RESET_SHUTDOWN ? POWER_OFF : POWER_RESET, 0);
}

static void sbi_console_write(void *opaque, const uint8_t *buf, uint64_t len)
{
	struct machine *m = opaque;

	console_write(&m->console, buf, len);
}

static int sbi_console_read(void *opaque)
{
	struct machine *m = opaque;

	return console_read_byte(&m->console);
}

static void sbi_hart_idle(void *opaque, unsigned hartid)
{
	struct machine *m = opaque;

	vcpu_idle(&m->vcpus[hartid]);
}

static const struct sbi_host_ops virt_sbi_ops = {
	.hart_idle = sbi_hart_idle,
	.hart_start = sbi_hart_start,
	.hart_stop = sbi_hart_stop,
	.send_ipi = sbi_send_ipi,
	.remote_fence = sbi_remote_fence,
	.system_reset = sbi_system_reset,
	.console_write = sbi_console_write,
	.console_read = sbi_console_read,
};

/* ---- building the board ---- */

static struct bus_region *add_device(struct machine *m, uint64_t base,
				     uint64_t size,
				     const struct device_ops *ops, void *dev,
				     unsigned irq, char *err, size_t errlen)
{
	if (!dev) {
		snprintf(err, errlen, "cannot create device %s", ops->name);
		return NULL;
	}
	if (bus_add(&m->bus, base, size, ops, dev) < 0) {
		snprintf(err, errlen, "device %s at 0x%llx overlaps another",
			 ops->name, (unsigned long long)base);
		ops->destroy(dev);
		return NULL;
	}
	bus_last(&m->bus)->irq = irq;
	return bus_last(&m->bus);
}

/* The next virtio-mmio slot: 0x10001000 + n * 0x1000, irq 1 + n. */
static int add_virtio(struct machine *m, const struct virtio_dev_ops *ops,
		      void *dev, char *err, size_t errlen)
{
	unsigned n = m->nvirtio;
	struct virtio_mmio *t;

	if (!dev)
		return -1; /* the constructor wrote err */
	if (n == VIRT_VIRTIO_SLOTS) {
		snprintf(err, errlen, "too many virtio devices (at most %d)",
			 VIRT_VIRTIO_SLOTS);
		ops->destroy(dev);
		return -1;
	}
	t = virtio_mmio_new(ops, dev, &m->mem,
			    (struct irq_line){plic_set_irq, m->plic, 1 + n});
	if (!t) {
		snprintf(err, errlen, "cannot create virtio-%s", ops->name);
		ops->destroy(dev);
		return -1;
	}
	if (!add_device(m, VIRT_VIRTIO_BASE + n * VIRTIO_MMIO_SIZE,
			VIRTIO_MMIO_SIZE, &virtio_mmio_ops, t, 1 + n, err,
			errlen))
		return -1;
	m->virtio[m->nvirtio++] = t;
	return 0;
}

static int add_virtio_devices(struct machine *m, char *err, size_t errlen)
{
	const struct machine_config *cfg = &m->cfg;

	for (unsigned i = 0; i < cfg->ndisks; i++)
		if (add_virtio(m, &virtio_blk_ops,
			       virtio_blk_new(&cfg->disks[i], &m->mem, err,
					      errlen),
			       err, errlen) < 0)
			return -1;
	if (cfg->net.mode != NET_NONE &&
	    add_virtio(m, &virtio_net_ops,
		       virtio_net_new(&cfg->net, &m->mem, err, errlen), err,
		       errlen) < 0)
		return -1;
	if (cfg->virtio_console) {
		m->vcon = virtio_console_new(STDOUT_FILENO);
		if (!m->vcon)
			snprintf(err, errlen, "cannot create virtio-console");
		if (add_virtio(m, &virtio_console_ops, m->vcon, err, errlen) <
		    0)
			return -1;
		console_set_sink(&m->console, virtio_console_input, m->vcon,
				 true);
	}
	if (cfg->rng) {
		void *rng = virtio_rng_new();
		if (!rng)
			snprintf(err, errlen, "cannot create virtio-rng");
		if (add_virtio(m, &virtio_rng_ops, rng, err, errlen) < 0)
			return -1;
	}
	return 0;
}

int machine_create(struct machine *m, const struct machine_config *cfg,
		   char *err, size_t errlen)
{
	struct power_ctl power = {machine_power_request, m};
	int r;

	memset(m, 0, sizeof(*m));
	m->cfg = *cfg;
	/* A kernel with the SBI console (HVC_RISCV_SBI, as ours and Debian's)
	 * registers it as hvc0 first, so virtio-console becomes hvc1. */
	m->bootargs = cfg->append	    ? cfg->append
		      : cfg->virtio_console ? "console=hvc1"
					    : DEFAULT_BOOTARGS;
	gmem_init(&m->mem);
	vclock_init(&m->clock);
	console_init(&m->console, STDIN_FILENO, STDOUT_FILENO);
	m->console.on_quit = console_quit;
	m->console.quit_opaque = m;
	r = gmem_add_ram(&m->mem, VIRT_RAM_BASE, cfg->mem_size);
	if (r < 0) {
		snprintf(err, errlen,
			 "cannot allocate %llu MiB of guest RAM: %s",
			 (unsigned long long)(cfg->mem_size >> 20),
			 strerror(-r));
		return -1;
	}
	m->mem.code_write_hook = code_written;
	m->mem.flag_set_hook = page_flag_set;
	m->mem.code_write_opaque = m;

	m->nharts = cfg->smp;
	for (unsigned i = 0; i < m->nharts; i++) {
		m->harts[i] = hart_new();
		if (!m->harts[i] ||
		    hart_init(m->harts[i], i, &m->mem, &m->clock) < 0) {
			snprintf(err, errlen, "out of memory creating hart %u",
				 i);
			return -1;
		}
		if (!cfg->no_jit) {
			m->harts[i]->jit = jit_new();
			if (!m->harts[i]->jit && i == 0)
				log_warn("no JIT on this host (or no memory "
					 "for its code): interpreting");
		}
	}

	m->plic = plic_new(m->harts, m->nharts);
	m->plic_region = add_device(m, VIRT_PLIC_BASE, PLIC_SIZE, &plic_ops,
				    m->plic, 0, err, errlen);
	if (!m->plic_region)
		return -1;
	m->uart = uart16550_new(
		STDOUT_FILENO,
		(struct irq_line){plic_set_irq, m->plic, VIRT_UART_IRQ});
	m->uart_region =
		add_device(m, VIRT_UART_BASE, UART16550_SIZE, &uart16550_ops,
			   m->uart, VIRT_UART_IRQ, err, errlen);
	if (!m->uart_region)
		return -1;
	console_set_sink(&m->console, uart16550_input, m->uart, false);
	uart16550_set_room(m->uart, console_room, &m->console);
	if (!add_device(m, VIRT_TEST_BASE, SIFIVE_TEST_SIZE, &sifive_test_ops,
			sifive_test_new(power), 0, err, errlen) ||
	    !add_device(m, VIRT_RTC_BASE, GOLDFISH_RTC_SIZE, &goldfish_rtc_ops,
			goldfish_rtc_new((struct irq_line){
				plic_set_irq, m->plic, VIRT_RTC_IRQ}),
			VIRT_RTC_IRQ, err, errlen) ||
	    !add_device(m, VIRT_PVPANIC_BASE, PVPANIC_SIZE, &pvpanic_ops,
			pvpanic_new(power), 0, err, errlen) ||
	    !add_device(m, VIRT_ACLINT_BASE, ACLINT_SIZE, &aclint_ops,
			aclint_new(m->harts, m->nharts, &m->clock), 0, err,
			errlen) ||
	    !add_device(m, VIRT_ACLINT_SSWI_BASE, ACLINT_SSWI_SIZE,
			&aclint_sswi_ops, aclint_sswi_new(m->harts, m->nharts),
			0, err, errlen))
		return -1;

	if (add_virtio_devices(m, err, errlen) < 0)
		return -1;

	sbi_init(&m->sbi, &virt_sbi_ops, m, m->harts, m->nharts, &m->mem);

	if (machine_boot(m, err, errlen) < 0)
		return -1;
	if (m->prog.has_tohost) {
		if (!gmem_find(&m->mem, m->prog.tohost, 8)) {
			snprintf(err, errlen,
				 "'%s': tohost (0x%llx) is not in "
				 "guest RAM",
				 cfg->firmware,
				 (unsigned long long)m->prog.tohost);
			return -1;
		}
		htif_init(&m->htif, &m->mem, m->prog.tohost, m->prog.fromhost,
			  STDOUT_FILENO, power);
		m->has_htif = true;
	}
	for (unsigned i = 0; i < m->nharts; i++) {
		m->vcpus[i] = (struct vcpu){
			.hart = m->harts[i],
			.all = m->vcpus,
			.nvcpus = m->nharts,
			.bus = &m->bus,
			.htif = m->has_htif ? &m->htif : NULL,
			.sbi = &m->sbi,
			.stop = &m->stop,
		};
		vcpu_init(&m->vcpus[i], i == 0);
	}
	return 0;
}

static void run_harts(struct machine *m)
{
	bool all = m->cfg.firmware != NULL; /* firmware starts every hart */

	for (unsigned i = 0; i < m->nharts; i++) {
		struct vcpu *v = &m->vcpus[i];
		v->runnable = all || i == 0;
		v->park_request = v->start_pending = false;
		atomic_store(&v->parked, 0);
	}
	for (unsigned i = 1; i < m->nharts; i++)
		if (pthread_create(&m->vcpus[i].thread, NULL, vcpu_thread,
				   &m->vcpus[i]) != 0) {
			log_error("cannot start the thread of hart %u", i);
			machine_power_request(m, POWER_FAIL, 1);
		}
	vcpu_thread(&m->vcpus[0]);
	/* hart 0's loop only ends when the machine stops */
	for (unsigned i = 1; i < m->nharts; i++) {
		vcpu_wake(&m->vcpus[i]);
		pthread_join(m->vcpus[i].thread, NULL);
	}
}

int machine_run(struct machine *m)
{
	uint64_t t0 = vclock_host_ns();
	char err[512];

	if (console_start(&m->console) < 0)
		log_warn("no console input: cannot start the input thread");
	for (;;) {
		atomic_store(&m->state, MACHINE_RUNNING);
		atomic_store(&m->stop, 0);
		run_harts(m);
		if (atomic_load(&m->state) != MACHINE_RESET || m->cfg.no_reboot)
			break;
		/* reboot: devices and harts back to reset, images reloaded */
		m->reboots++;
		bus_reset(&m->bus);
		sbi_init(&m->sbi, &virt_sbi_ops, m, m->harts, m->nharts,
			 &m->mem);
		if (machine_boot(m, err, sizeof(err)) < 0) {
			log_error("reboot failed: %s", err);
			m->exit_code = 1;
			atomic_store(&m->state, MACHINE_FAILED);
			break;
		}
	}
	console_stop(&m->console);
	m->run_ns = vclock_host_ns() - t0;
	switch (atomic_load(&m->state)) {
	case MACHINE_POWEROFF: return 0;
	case MACHINE_FAILED: return m->exit_code;
	case MACHINE_RESET:
		log_error("guest rebooted (--no-reboot given)");
		return 0;
	default: log_error("the machine stopped unexpectedly"); return 125;
	}
}

void machine_print_stats(struct machine *m)
{
	double secs = (double)m->run_ns / 1e9;

	for (unsigned i = 0; i < m->nharts; i++) {
		struct hart *h = m->harts[i];
		fprintf(stderr,
			"hart %u: %llu instructions in %.3f s (%.1f MIPS)\n", i,
			(unsigned long long)h->executed, secs,
			secs > 0 ? (double)h->executed / secs / 1e6 : 0.0);
		fprintf(stderr, "  exits:");
		for (int r = 1; r < EXIT__COUNT; r++)
			if (h->stats.exits[r])
				fprintf(stderr, " %s=%llu",
					exit_reason_names[r],
					(unsigned long long)h->stats.exits[r]);
		fprintf(stderr,
			"\n  traps=%llu interrupts=%llu sfence=%llu "
			"tlb_full_flushes=%llu tlb_entries=%llu "
			"code_pages=%llu wfi_sleeps=%llu\n",
			(unsigned long long)h->stats.traps,
			(unsigned long long)h->stats.interrupts,
			(unsigned long long)h->stats.tlb_flushes,
			(unsigned long long)h->tlb.full_flushes,
			(unsigned long long)(h->tlb.mask + 1),
			(unsigned long long)h->stats.code_pages_decoded,
			(unsigned long long)m->vcpus[i].wfi_sleeps);
		if (h->jit) {
			const struct jit_stats *js = jit_get_stats(h->jit);
			fprintf(stderr,
				"  jit: blocks=%llu insns=%llu code=%llu KiB "
				"chains=%llu flushes=%llu inval_pages=%llu "
				"remaps=%llu inline_lookups=%llu\n"
				"  jit exits: events=%llu interp=%llu "
				"lookup=%llu chain=%llu budget=%llu\n",
				(unsigned long long)js->blocks,
				(unsigned long long)js->insns,
				(unsigned long long)(js->code_bytes >> 10),
				(unsigned long long)js->chains,
				(unsigned long long)js->flushes,
				(unsigned long long)js->inval_pages,
				(unsigned long long)js->remaps,
				(unsigned long long)js->inline_lookups,
				(unsigned long long)js->exits[JX_EVENTS],
				(unsigned long long)js->exits[JX_INTERP],
				(unsigned long long)js->exits[JX_LOOKUP],
				(unsigned long long)js->exits[JX_CHAIN],
				(unsigned long long)js->exits[JX_BUDGET]);
		}
	}
	fprintf(stderr, "  sbi calls:");
	for (int s = 0; s < SBI_SLOT__COUNT; s++)
		if (m->sbi.calls[s])
			fprintf(stderr, " %s=%llu", sbi_slot_names[s],
				(unsigned long long)m->sbi.calls[s]);
	fprintf(stderr, "\n  mmio:");
	for (int i = 0; i < m->bus.n; i++)
		if (m->bus.r[i].reads || m->bus.r[i].writes)
			fprintf(stderr, " %s=%llu/%llu", m->bus.r[i].ops->name,
				(unsigned long long)m->bus.r[i].reads,
				(unsigned long long)m->bus.r[i].writes);
	fprintf(stderr, " (reads/writes)\n");
	for (unsigned i = 0; i < m->nvirtio; i++) {
		struct virtio_mmio *t = m->virtio[i];
		fprintf(stderr, "  virtio-%s:", t->ops->name);
		for (unsigned q = 0; q < t->ops->nqueues; q++) {
			struct vq_stats *st = &t->vq[q].stats;
			fprintf(stderr,
				" q%u kicks=%llu chains=%llu irqs=%llu "
				"suppressed=%llu;",
				q, (unsigned long long)t->notifies[q],
				(unsigned long long)st->popped,
				(unsigned long long)st->irqs,
				(unsigned long long)st->irqs_suppressed);
		}
		fprintf(stderr, " errors=%llu\n",
			(unsigned long long)t->errors);
	}
}

void machine_destroy(struct machine *m)
{
	for (unsigned i = 0; i < m->nharts; i++)
		if (m->vcpus[i].hart)
			vcpu_destroy(&m->vcpus[i]);
	bus_destroy(&m->bus);
	for (unsigned i = 0; i < m->nharts; i++) {
		if (m->harts[i])
			hart_destroy(m->harts[i]);
		hart_free(m->harts[i]);
	}
	gmem_destroy(&m->mem);
}
