/* htif.h - the Berkeley host-target interface used by riscv-tests and other
 * bare-metal programs: a `tohost` word in guest RAM. The hart exits when it
 * is written (the page is watched) and the VMM acts on the command:
 * device 0 with bit 0 set ends the run with status value >> 1; device 1
 * command 1 prints a character. */
#ifndef RVISOR_DEV_HTIF_H
#define RVISOR_DEV_HTIF_H

#include "dev/device.h"
#include "mem/guest_mem.h"

struct htif {
	struct guest_mem *mem;
	uint64_t tohost, fromhost;
	int out_fd;
	struct power_ctl power;
};

void htif_init(struct htif *t, struct guest_mem *mem, uint64_t tohost,
	       uint64_t fromhost, int out_fd, struct power_ctl power);
/* After a store to the watched page at `addr`. */
void htif_on_write(struct htif *t, uint64_t addr);

#endif
