/* virt.c - the `virt` board: QEMU-compatible memory map. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "dev/aclint.h"
#include "dev/sifive_test.h"
#include "dev/uart16550.h"
#include "machine/machine.h"

static void power_request(void *opaque, enum power_request req, int code)
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
	case POWER_RESET:
		atomic_store(&m->state, MACHINE_RESET);
		break;
	}
	atomic_store(&m->stop, 1);
	for (unsigned i = 0; i < m->nharts; i++)
		hart_kick(m->harts[i]);
}

/* Guest RAM writes that hit predecoded code: every hart drops its copy. */
static void code_written(void *opaque, uint64_t gpa_page)
{
	struct machine *m = opaque;

	for (unsigned i = 0; i < m->nharts; i++)
		hart_code_written(m->harts[i], gpa_page);
}

static int add_device(struct machine *m, uint64_t base, uint64_t size,
		      const struct device_ops *ops, void *dev, char *err,
		      size_t errlen)
{
	if (!dev) {
		snprintf(err, errlen, "cannot create device %s", ops->name);
		return -1;
	}
	if (bus_add(&m->bus, base, size, ops, dev) < 0) {
		snprintf(err, errlen, "device %s at 0x%llx overlaps another",
			 ops->name, (unsigned long long)base);
		ops->destroy(dev);
		return -1;
	}
	return 0;
}

int machine_create(struct machine *m, const struct machine_config *cfg,
		   char *err, size_t errlen)
{
	struct power_ctl power = {power_request, m};
	int r;

	memset(m, 0, sizeof(*m));
	m->cfg = *cfg;
	gmem_init(&m->mem);
	vclock_init(&m->clock);
	r = gmem_add_ram(&m->mem, VIRT_RAM_BASE, cfg->mem_size);
	if (r < 0) {
		snprintf(err, errlen, "cannot allocate %llu MiB of guest RAM: %s",
			 (unsigned long long)(cfg->mem_size >> 20),
			 strerror(-r));
		return -1;
	}
	m->mem.code_write_hook = code_written;
	m->mem.code_write_opaque = m;

	m->nharts = cfg->smp;
	for (unsigned i = 0; i < m->nharts; i++) {
		m->harts[i] = calloc(1, sizeof(struct hart));
		if (!m->harts[i] ||
		    hart_init(m->harts[i], i, &m->mem, &m->clock) < 0) {
			snprintf(err, errlen, "out of memory creating hart %u", i);
			return -1;
		}
	}

	if (add_device(m, VIRT_TEST_BASE, SIFIVE_TEST_SIZE, &sifive_test_ops,
		       sifive_test_new(power), err, errlen) ||
	    add_device(m, VIRT_ACLINT_BASE, ACLINT_SIZE, &aclint_ops,
		       aclint_new(m->harts, m->nharts, &m->clock), err,
		       errlen))
		return -1;
	m->uart = uart16550_new(STDOUT_FILENO, (struct irq_line){0});
	if (add_device(m, VIRT_UART_BASE, UART16550_SIZE, &uart16550_ops,
		       m->uart, err, errlen))
		return -1;

	if (!cfg->firmware) {
		snprintf(err, errlen, "booting a kernel without --firmware is "
			 "not supported yet; give --firmware FILE");
		return -1;
	}
	if (load_program(&m->mem, cfg->firmware, VIRT_RAM_BASE, &m->prog, err,
			 errlen) < 0)
		return -1;
	if (m->prog.has_tohost) {
		if (!gmem_find(&m->mem, m->prog.tohost, 8)) {
			snprintf(err, errlen, "'%s': tohost (0x%llx) is not in "
				 "guest RAM", cfg->firmware,
				 (unsigned long long)m->prog.tohost);
			return -1;
		}
		htif_init(&m->htif, &m->mem, m->prog.tohost, m->prog.fromhost,
			  STDOUT_FILENO, power);
		m->has_htif = true;
	}
	for (unsigned i = 0; i < m->nharts; i++) {
		hart_reset(m->harts[i], m->prog.entry);
		m->harts[i]->x[10] = i; /* a0 = hartid, as firmware expects */
		m->vcpus[i] = (struct vcpu){
			.hart = m->harts[i],
			.bus = &m->bus,
			.htif = m->has_htif ? &m->htif : NULL,
			.stop = &m->stop,
		};
	}
	return 0;
}

int machine_run(struct machine *m)
{
	uint64_t t0 = vclock_host_ns();

	atomic_store(&m->state, MACHINE_RUNNING);
	vcpu_run(&m->vcpus[0]);
	m->run_ns = vclock_host_ns() - t0;
	switch (atomic_load(&m->state)) {
	case MACHINE_POWEROFF:
		return 0;
	case MACHINE_FAILED:
		return m->exit_code;
	case MACHINE_RESET:
		log_error("guest requested a reset");
		return 0;
	default:
		log_error("the machine stopped unexpectedly");
		return 125;
	}
}

void machine_print_stats(struct machine *m)
{
	for (unsigned i = 0; i < m->nharts; i++) {
		struct hart *h = m->harts[i];
		double secs = (double)m->run_ns / 1e9;
		fprintf(stderr, "hart %u: %llu instructions in %.3f s (%.1f MIPS)\n",
			i, (unsigned long long)h->instret, secs,
			secs > 0 ? (double)h->instret / secs / 1e6 : 0.0);
		fprintf(stderr, "  exits:");
		for (int r = 1; r < EXIT__COUNT; r++)
			if (h->stats.exits[r])
				fprintf(stderr, " %s=%llu", exit_reason_names[r],
					(unsigned long long)h->stats.exits[r]);
		fprintf(stderr, "\n  traps=%llu interrupts=%llu sfence=%llu "
			"code_pages=%llu wfi_sleeps=%llu\n",
			(unsigned long long)h->stats.traps,
			(unsigned long long)h->stats.interrupts,
			(unsigned long long)h->stats.tlb_flushes,
			(unsigned long long)h->stats.code_pages_decoded,
			(unsigned long long)m->vcpus[i].wfi_sleeps);
	}
}

void machine_destroy(struct machine *m)
{
	bus_destroy(&m->bus);
	for (unsigned i = 0; i < m->nharts; i++) {
		if (m->harts[i])
			hart_destroy(m->harts[i]);
		free(m->harts[i]);
	}
	gmem_destroy(&m->mem);
}
