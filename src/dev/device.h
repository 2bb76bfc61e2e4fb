/* device.h - what every emulated device provides to the machine.
 *
 * A device is an ops table and an opaque pointer. It never knows which board
 * it sits on or at which address: the machine description maps it onto the
 * bus and wires its interrupt line. Accesses reach it already bounds-checked
 * against its region, as an offset, with size 1, 2, 4 or 8. */
#ifndef RVISOR_DEV_DEVICE_H
#define RVISOR_DEV_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

/* What a device needs to describe itself in the device tree. */
struct dev_fdt_ctx {
	uint64_t base, size;   /* where the machine mapped it */
	unsigned irq;	       /* its interrupt number, if any */
	uint32_t intc_phandle; /* phandle of the interrupt controller */
	uint32_t phandle;      /* a phandle reserved for this device */
	/* per-hart "riscv,cpu-intc" phandles (for PLIC / ACLINT) */
	const uint32_t *cpu_intc_phandles;
	unsigned nharts;
};

struct device_ops {
	const char *name;
	/* Adds the device's node under the FDT's root (libfdt sequential-write
	 * API: the caller has opened the root node). Returns 0 or a libfdt
	 * error. NULL: the device has no node. */
	int (*fdt)(void *dev, void *fdt, const struct dev_fdt_ctx *ctx);
	/* Return false for an access the device rejects (the hart then takes
	 * an access fault). */
	bool (*read)(void *dev, uint64_t offset, unsigned size, uint64_t *val);
	bool (*write)(void *dev, uint64_t offset, unsigned size, uint64_t val);
	void (*reset)(void *dev);
	void (*destroy)(void *dev);
};

/* An interrupt line from a device to an interrupt controller. */
struct irq_line {
	void (*set)(void *ctrl, unsigned irq, bool level);
	void *ctrl;
	unsigned irq;
};

static inline void irq_line_set(const struct irq_line *l, bool level)
{
	if (l->set)
		l->set(l->ctrl, l->irq, level);
}

/* How a device asks the VMM to end or restart the machine. */
enum power_request { POWER_OFF, POWER_RESET, POWER_FAIL };
struct power_ctl {
	void (*request)(void *vm, enum power_request req, int code);
	void *vm;
};

#endif
