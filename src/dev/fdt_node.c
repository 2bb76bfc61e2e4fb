#include "dev/fdt_node.h"

#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

int dev_fdt_node(void *fdt, const char *name, const char *compat,
		 size_t compat_size, const struct dev_fdt_ctx *ctx, bool irq,
		 bool open_node)
{
	fdt64_t reg[2] = {cpu_to_fdt64(ctx->base), cpu_to_fdt64(ctx->size)};
	char node[64];
	int r;

	snprintf(node, sizeof(node), "%s@%" PRIx64, name, ctx->base);
	r = fdt_begin_node(fdt, node);
	if (!r)
		r = fdt_property(
			fdt, "compatible", compat,
			(int)(compat_size ? compat_size : strlen(compat) + 1));
	if (!r)
		r = fdt_property(fdt, "reg", reg, sizeof(reg));
	if (!r && irq)
		r = fdt_property_u32(fdt, "interrupts", ctx->irq);
	if (!r && irq)
		r = fdt_property_u32(fdt, "interrupt-parent",
				     ctx->intc_phandle);
	if (!r && !open_node)
		r = fdt_end_node(fdt);
	return r;
}
