#include "dev/sifive_test.h"
#include "dev/fdt_node.h"

#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>

struct sifive_test {
	struct power_ctl power;
};

static bool st_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	(void)dev;
	(void)off;
	(void)size;
	*val = 0;
	return true;
}

static bool st_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
	struct sifive_test *t = dev;

	/* OpenSBI writes the status with a 16-bit store; the failure code
	 * needs the upper half, so only 32-bit stores carry one */
	if (off != 0 || size < 2)
		return true;
	switch (val & 0xffff) {
	case 0x5555: t->power.request(t->power.vm, POWER_OFF, 0); break;
	case 0x3333:
		t->power.request(t->power.vm, POWER_FAIL,
				 (int)((val >> 16) & 0xffff));
		break;
	case 0x7777: t->power.request(t->power.vm, POWER_RESET, 0); break;
	}
	return true;
}

/* The device node plus the syscon-poweroff and syscon-reboot nodes that
 * point at it, as on QEMU's virt, so Linux's generic drivers use it. */
static int st_fdt(void *dev, void *fdt, const struct dev_fdt_ctx *ctx)
{
	static const char compat[] = "sifive,test1\0sifive,test0\0syscon";
	static const struct {
		const char *node, *compat;
		uint32_t value;
	} ctl[] = {
		{"poweroff", "syscon-poweroff", 0x5555},
		{"reboot", "syscon-reboot", 0x7777},
	};
	int r = dev_fdt_node(fdt, "test", compat, sizeof(compat), ctx, false,
			     true);

	(void)dev;
	if (!r)
		r = fdt_property_u32(fdt, "phandle", ctx->phandle);
	if (!r)
		r = fdt_end_node(fdt);
	/* syscon-poweroff/-reboot nodes point at it, as on QEMU's virt */
	for (unsigned i = 0; i < 2 && !r; i++) {
		r = fdt_begin_node(fdt, ctl[i].node);
		if (!r)
			r = fdt_property_string(fdt, "compatible",
						ctl[i].compat);
		if (!r)
			r = fdt_property_u32(fdt, "regmap", ctx->phandle);
		if (!r)
			r = fdt_property_u32(fdt, "offset", 0);
		if (!r)
			r = fdt_property_u32(fdt, "value", ctl[i].value);
		if (!r)
			r = fdt_end_node(fdt);
	}
	return r;
}

static void st_destroy(void *dev)
{
	free(dev);
}

const struct device_ops sifive_test_ops = {
	.name = "sifive_test",
	.read = st_read,
	.write = st_write,
	.destroy = st_destroy,
	.fdt = st_fdt,
};

void *sifive_test_new(struct power_ctl power)
{
	struct sifive_test *t = calloc(1, sizeof(*t));

	if (t)
		t->power = power;
	return t;
}
