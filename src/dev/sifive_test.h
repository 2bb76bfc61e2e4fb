/* sifive_test.h - SiFive test / syscon power device ("sifive,test0").
 * A 32-bit write of 0x5555 powers off, 0x3333 | code << 16 fails with
 * `code`, 0x7777 resets. */
#ifndef RVISOR_DEV_SIFIVE_TEST_H
#define RVISOR_DEV_SIFIVE_TEST_H

#include "dev/device.h"

#define SIFIVE_TEST_SIZE 0x1000

extern const struct device_ops sifive_test_ops;
void *sifive_test_new(struct power_ctl power);

#endif
