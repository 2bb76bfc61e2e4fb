#include "dev/aclint.h"

#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>

#define MSIP_BASE     0x0000
#define MTIMECMP_BASE 0x4000
#define MTIME_OFF     0xbff8

struct aclint {
	struct hart **harts;
	unsigned nharts;
	struct vclock *clock;
};

/* 64-bit registers may be accessed as two 32-bit halves. */
static uint64_t merge(uint64_t old, uint64_t off, unsigned size, uint64_t val)
{
	if (size == 8)
		return val;
	unsigned shift = (off & 4) * 8;
	uint64_t mask = 0xffffffffull << shift;
	return (old & ~mask) | ((val & 0xffffffffull) << shift);
}

static uint64_t extract(uint64_t reg, uint64_t off, unsigned size)
{
	return size == 8 ? reg : (reg >> ((off & 4) * 8)) & 0xffffffffull;
}

static bool aclint_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	struct aclint *c = dev;

	if (size != 4 && size != 8)
		return false;
	if (off < MSIP_BASE + 4ull * c->nharts) {
		struct hart *h = c->harts[off / 4];
		*val = (atomic_load(&h->irq_lines) & MIP_MSIP) ? 1 : 0;
		return size == 4;
	}
	if (off >= MTIMECMP_BASE && off < MTIMECMP_BASE + 8ull * c->nharts) {
		struct hart *h = c->harts[(off - MTIMECMP_BASE) / 8];
		*val = extract(hart_get_mtimecmp(h), off, size);
		return true;
	}
	if (off >= MTIME_OFF && off < MTIME_OFF + 8) {
		*val = extract(vclock_ticks(c->clock), off, size);
		return true;
	}
	*val = 0;
	return true;
}

static bool aclint_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
	struct aclint *c = dev;

	if (size != 4 && size != 8)
		return false;
	if (off < MSIP_BASE + 4ull * c->nharts) {
		hart_set_irq_line(c->harts[off / 4], MIP_MSIP, val & 1);
		return size == 4;
	}
	if (off >= MTIMECMP_BASE && off < MTIMECMP_BASE + 8ull * c->nharts) {
		struct hart *h = c->harts[(off - MTIMECMP_BASE) / 8];
		hart_set_mtimecmp(h,
				  merge(hart_get_mtimecmp(h), off, size, val));
		return true;
	}
	if (off >= MTIME_OFF && off < MTIME_OFF + 8) {
		vclock_set_ticks(c->clock,
				 merge(vclock_ticks(c->clock), off, size, val));
		for (unsigned i = 0; i < c->nharts; i++)
			hart_set_mtimecmp(c->harts[i],
					  hart_get_mtimecmp(c->harts[i]));
		return true;
	}
	return true;
}

/* The CLINT binding: one node for MSWI + MTIMER, as QEMU's virt has. */
static int aclint_fdt(void *dev, void *fdt, const struct dev_fdt_ctx *ctx)
{
	static const char compat[] = "sifive,clint0\0riscv,clint0";
	struct aclint *c = dev;
	fdt64_t reg[2] = {cpu_to_fdt64(ctx->base), cpu_to_fdt64(ctx->size)};
	fdt32_t *cells;
	char name[32];
	int r;

	if (!ctx->cpu_intc_phandles || ctx->nharts != c->nharts)
		return -FDT_ERR_BADVALUE;
	cells = calloc(4 * (size_t)c->nharts, sizeof(*cells));
	if (!cells)
		return -FDT_ERR_NOSPACE;
	for (unsigned i = 0; i < c->nharts; i++) {
		cells[4 * i + 0] = cpu_to_fdt32(ctx->cpu_intc_phandles[i]);
		cells[4 * i + 1] = cpu_to_fdt32(IRQ_M_SOFT);
		cells[4 * i + 2] = cpu_to_fdt32(ctx->cpu_intc_phandles[i]);
		cells[4 * i + 3] = cpu_to_fdt32(IRQ_M_TIMER);
	}
	snprintf(name, sizeof(name), "clint@%" PRIx64, ctx->base);
	r = fdt_begin_node(fdt, name);
	if (!r)
		r = fdt_property(fdt, "compatible", compat, sizeof(compat));
	if (!r)
		r = fdt_property(fdt, "interrupts-extended", cells,
				 4 * (int)c->nharts * (int)sizeof(*cells));
	if (!r)
		r = fdt_property(fdt, "reg", reg, sizeof(reg));
	if (!r)
		r = fdt_end_node(fdt);
	free(cells);
	return r;
}

static void aclint_destroy(void *dev)
{
	free(dev);
}

const struct device_ops aclint_ops = {
	.name = "aclint",
	.read = aclint_read,
	.write = aclint_write,
	.destroy = aclint_destroy,
	.fdt = aclint_fdt,
};

void *aclint_new(struct hart **harts, unsigned nharts, struct vclock *clock)
{
	struct aclint *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->harts = harts;
	c->nharts = nharts;
	c->clock = clock;
	return c;
}
