/* fdt.h - the device tree the guest gets, built with libfdt from the harts
 * and devices the machine actually has (each device writes its own node). */
#ifndef RVISOR_MACHINE_FDT_H
#define RVISOR_MACHINE_FDT_H

#include <stddef.h>

struct machine;

#define FDT_MAX_SIZE (64 * 1024)

/* Builds the tree into buf (FDT_MAX_SIZE bytes). Returns 0 or -1 with err. */
int machine_build_fdt(struct machine *m, void *buf, char *err, size_t errlen);

#endif
