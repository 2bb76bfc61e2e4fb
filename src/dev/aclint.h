/* aclint.h - SiFive CLINT-compatible ACLINT: MSWI (msip per hart at 0x0),
 * MTIMER (mtimecmp per hart at 0x4000, mtime at 0xbff8). The compare
 * registers live in the harts, which evaluate them against the VM clock. */
#ifndef RVISOR_DEV_ACLINT_H
#define RVISOR_DEV_ACLINT_H

#include "base/vclock.h"
#include "cpu/hart.h"
#include "dev/device.h"

#define ACLINT_SIZE 0x10000

extern const struct device_ops aclint_ops;
void *aclint_new(struct hart **harts, unsigned nharts, struct vclock *clock);

#endif
