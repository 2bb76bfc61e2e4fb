/* pvpanic.h - QEMU's pvpanic device, MMIO flavour ("qemu,pvpanic-mmio"):
 * the guest kernel writes PANICKED (bit 0) when it panics, so rvisor can
 * exit with a failure instead of leaving a dead guest running. */
#ifndef RVISOR_DEV_PVPANIC_H
#define RVISOR_DEV_PVPANIC_H

#include "dev/device.h"

#define PVPANIC_SIZE 0x1000

extern const struct device_ops pvpanic_ops;
void *pvpanic_new(struct power_ctl power);

#endif
