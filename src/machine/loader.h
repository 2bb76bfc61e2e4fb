/* loader.h - putting guest programs into RAM: ELF64 (RISC-V) or raw
 * binaries. Every failure is a message for the user naming the file and the
 * problem; nothing is written to guest RAM unless the whole image fits. */
#ifndef RVISOR_MACHINE_LOADER_H
#define RVISOR_MACHINE_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem/guest_mem.h"

struct load_info {
	uint64_t entry;
	uint64_t lo, hi; /* guest-physical range written: [lo, hi) */
	bool is_elf;
	bool has_tohost;
	uint64_t tohost, fromhost; /* HTIF symbols, if the ELF has them */
};

/* Loads `path`. ELF files go where their program headers say; anything
 * else is a raw binary placed at raw_addr. Returns 0 or -1 with `err`. */
int load_program(struct guest_mem *m, const char *path, uint64_t raw_addr,
		 struct load_info *info, char *err, size_t errlen);

/* Reads a whole file (for initrd and the like). Returns NULL with `err`. */
uint8_t *load_file(const char *path, size_t *len, char *err, size_t errlen);

#endif
