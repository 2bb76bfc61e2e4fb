/* fdt_node.h - the node most devices write: "NAME@BASE" with compatible,
 * reg and, for devices with an interrupt, interrupts + interrupt-parent. */
#ifndef RVISOR_DEV_FDT_NODE_H
#define RVISOR_DEV_FDT_NODE_H

#include <stdbool.h>
#include <stddef.h>

#include "dev/device.h"

/* compat is one string, or a NUL-separated list whose total size (with the
 * final NUL) is compat_size; pass 0 for a single string. The node is left
 * open when open_node is set, so the caller can add properties and end it. */
int dev_fdt_node(void *fdt, const char *name, const char *compat,
		 size_t compat_size, const struct dev_fdt_ctx *ctx, bool irq,
		 bool open_node);

#endif
