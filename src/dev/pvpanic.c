#include "dev/pvpanic.h"
#include "dev/fdt_node.h"

#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/log.h"

#define PVPANIC_PANICKED     (1u << 0)
#define PVPANIC_CRASH_LOADED (1u << 1)

struct pvpanic {
	struct power_ctl power;
};

static bool pv_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	(void)dev;
	(void)size;
	/* the feature byte: which events the host understands */
	*val = off == 0 ? (PVPANIC_PANICKED | PVPANIC_CRASH_LOADED) : 0;
	return true;
}

static bool pv_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
	struct pvpanic *p = dev;

	(void)size;
	if (off != 0)
		return true;
	if (val & PVPANIC_PANICKED) {
		log_error("guest kernel panicked (pvpanic)");
		p->power.request(p->power.vm, POWER_FAIL, 1);
	}
	return true;
}

static int pv_fdt(void *dev, void *fdt, const struct dev_fdt_ctx *ctx)
{
	(void)dev;
	return dev_fdt_node(fdt, "pvpanic", "qemu,pvpanic-mmio", 0, ctx, false,
			    false);
}

static void pv_destroy(void *dev)
{
	free(dev);
}

const struct device_ops pvpanic_ops = {
	.name = "pvpanic",
	.read = pv_read,
	.write = pv_write,
	.destroy = pv_destroy,
	.fdt = pv_fdt,
};

void *pvpanic_new(struct power_ctl power)
{
	struct pvpanic *p = calloc(1, sizeof(*p));

	if (p)
		p->power = power;
	return p;
}
