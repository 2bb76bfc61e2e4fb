/* aclint_sswi.h - ACLINT supervisor software interrupts (RISC-V ACLINT
 * spec): one 32-bit SETSSIP register per hart; writing 1 makes SSIP
 * pending on that hart (the hart clears it through sip). Reads are 0. */
#ifndef RVISOR_DEV_ACLINT_SSWI_H
#define RVISOR_DEV_ACLINT_SSWI_H

#include "cpu/hart.h"
#include "dev/device.h"

#define ACLINT_SSWI_SIZE 0x4000

extern const struct device_ops aclint_sswi_ops;
void *aclint_sswi_new(struct hart **harts, unsigned nharts);

#endif
