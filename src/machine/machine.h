/* machine.h - a board instance: memory map, harts, devices, wiring.
 *
 * The machine owns everything a VM is made of and is the only place that
 * knows addresses and interrupt numbers; devices and harts get handed what
 * they need. The layout follows QEMU's `virt` board (see DESIGN.md). */
#ifndef RVISOR_MACHINE_MACHINE_H
#define RVISOR_MACHINE_MACHINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/vclock.h"
#include "cpu/hart.h"
#include "dev/htif.h"
#include "machine/loader.h"
#include "mem/guest_mem.h"
#include "sbi/sbi.h"
#include "virtio/blk.h"
#include "virtio/mmio.h"
#include "virtio/net.h"
#include "vmm/bus.h"
#include "vmm/console.h"
#include "vmm/vcpu.h"

#define VIRT_TEST_BASE	      0x00100000ull
#define VIRT_RTC_BASE	      0x00101000ull
#define VIRT_PVPANIC_BASE     0x00102000ull
#define VIRT_ACLINT_BASE      0x02000000ull
#define VIRT_ACLINT_SSWI_BASE 0x02f00000ull /* as QEMU's virt,aclint=on */
#define VIRT_PLIC_BASE	      0x0c000000ull
#define VIRT_UART_BASE	      0x10000000ull
#define VIRT_UART_IRQ	      10
#define VIRT_VIRTIO_BASE      0x10001000ull
#define VIRT_VIRTIO_SLOTS     8 /* irqs 1..8 */
#define VIRT_RAM_BASE	      0x80000000ull

#define MACHINE_MAX_HARTS   32
#define MACHINE_DEFAULT_MEM (256ull << 20)

struct machine_config {
	const char *firmware;
	const char *kernel;
	const char *initrd;
	const char *append;
	const char *dump_dtb;
	uint64_t mem_size;
	unsigned smp;
	bool stats;
	bool no_reboot;
	bool no_jit; /* interpret only */
	struct blk_config disks[VIRT_VIRTIO_SLOTS];
	unsigned ndisks;
	struct net_config net;
	bool virtio_console;
	bool rng;
};

enum machine_state {
	MACHINE_RUNNING,
	MACHINE_POWEROFF,
	MACHINE_RESET,
	MACHINE_FAILED,
};

struct machine {
	struct machine_config cfg;
	struct guest_mem mem;
	struct vclock clock;
	struct hart *harts[MACHINE_MAX_HARTS];
	struct vcpu vcpus[MACHINE_MAX_HARTS];
	unsigned nharts;
	struct bus bus;
	struct htif htif;
	bool has_htif;
	void *uart;
	void *plic;
	void *vcon; /* virtio-console, when --console virtio */
	struct virtio_mmio *virtio[VIRT_VIRTIO_SLOTS];
	unsigned nvirtio;
	struct bus_region *uart_region, *plic_region;
	struct console console;
	struct sbi sbi;
	struct load_info prog;

	/* boot layout */
	const char *bootargs;
	uint64_t kernel_entry;
	uint64_t initrd_addr, initrd_size;
	uint64_t dtb_addr;
	bool kernel_in_s_mode; /* rvisor provides SBI */
	unsigned reboots;

	_Atomic int stop;
	_Atomic int state; /* enum machine_state */
	int exit_code;
	uint64_t run_ns;
};

/* Loads firmware, kernel, initrd and DTB into RAM and resets the harts to
 * their boot state (boot.c). Used at start and on every reboot. */
int machine_boot(struct machine *m, char *err, size_t errlen);
void machine_power_request(void *opaque, enum power_request req, int code);
/* From a signal handler: end the run with exit status `code`. */
void machine_signal_stop(struct machine *m, int code);

/* Builds the board from cfg. Returns 0, or -1 with a message in err. */
int machine_create(struct machine *m, const struct machine_config *cfg,
		   char *err, size_t errlen);
/* Runs until the guest powers off or fails; returns the exit status. */
int machine_run(struct machine *m);
void machine_print_stats(struct machine *m);
void machine_destroy(struct machine *m);

#endif
