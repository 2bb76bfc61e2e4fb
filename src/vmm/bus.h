/* bus.h - guest-physical MMIO dispatch to devices. */
#ifndef RVISOR_VMM_BUS_H
#define RVISOR_VMM_BUS_H

#include "dev/device.h"

#define BUS_MAX_REGIONS 64

struct bus_region {
	uint64_t base, size;
	const struct device_ops *ops;
	void *dev;
	uint64_t reads, writes;
	/* for the device tree: the device's irq and phandle, if any */
	unsigned irq;
	uint32_t phandle;
};

struct bus {
	struct bus_region r[BUS_MAX_REGIONS];
	int n;
	uint64_t unassigned; /* accesses that hit no device */
};

/* Returns 0, or -1 if the region overlaps another or the bus is full. */
int bus_add(struct bus *b, uint64_t base, uint64_t size,
	    const struct device_ops *ops, void *dev);
/* The region a device was added as (to fill in irq / phandle). */
struct bus_region *bus_last(struct bus *b);
bool bus_read(struct bus *b, uint64_t addr, unsigned size, uint64_t *val);
bool bus_write(struct bus *b, uint64_t addr, unsigned size, uint64_t val);
void bus_reset(struct bus *b);
void bus_destroy(struct bus *b);

#endif
