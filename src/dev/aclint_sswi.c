#include "dev/aclint_sswi.h"

#include <libfdt.h>
#include <stdlib.h>

#include "dev/fdt_node.h"

struct sswi {
	struct hart **harts;
	unsigned nharts;
};

static bool sswi_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	(void)dev;
	(void)off;
	*val = 0;
	return size == 4;
}

static bool sswi_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
	struct sswi *s = dev;

	if (size != 4 || (off & 3))
		return false;
	if (off / 4 < s->nharts && (val & 1))
		hart_set_pending(s->harts[off / 4], MIP_SSIP);
	return true;
}

static int sswi_fdt(void *dev, void *fdt, const struct dev_fdt_ctx *ctx)
{
	struct sswi *s = dev;
	int r = dev_fdt_node(fdt, "sswi", "riscv,aclint-sswi", 0, ctx, false,
			     true);

	if (!r) {
		fdt32_t *cells = calloc(2 * (size_t)s->nharts, sizeof(*cells));
		if (!cells)
			return -FDT_ERR_NOSPACE;
		for (unsigned i = 0; i < s->nharts; i++) {
			cells[2 * i] = cpu_to_fdt32(ctx->cpu_intc_phandles[i]);
			cells[2 * i + 1] = cpu_to_fdt32(IRQ_S_SOFT);
		}
		r = fdt_property(fdt, "interrupts-extended", cells,
				 2 * (int)s->nharts * (int)sizeof(*cells));
		free(cells);
	}
	if (!r)
		r = fdt_property(fdt, "interrupt-controller", NULL, 0);
	if (!r)
		r = fdt_property_u32(fdt, "#interrupt-cells", 0);
	if (!r)
		r = fdt_end_node(fdt);
	return r;
}

static void sswi_destroy(void *dev)
{
	free(dev);
}

const struct device_ops aclint_sswi_ops = {
	.name = "aclint-sswi",
	.read = sswi_read,
	.write = sswi_write,
	.destroy = sswi_destroy,
	.fdt = sswi_fdt,
};

void *aclint_sswi_new(struct hart **harts, unsigned nharts)
{
	struct sswi *s = calloc(1, sizeof(*s));

	if (s) {
		s->harts = harts;
		s->nharts = nharts;
	}
	return s;
}
