/* boot.c - what goes where in RAM, and the state the harts start in.
 *
 *  - rvisor's SBI (--kernel only): the kernel runs in S-mode at
 *    RAM + text_offset (2 MiB for Linux), hart 0 gets a0 = hartid,
 *    a1 = DTB, and the M-mode state a firmware would have set up.
 *  - --firmware [--kernel]: the firmware runs in M-mode from its entry;
 *    a kernel goes to RAM + 2 MiB (OpenSBI fw_jump's convention).
 * The initrd sits at RAM + 128 MiB (half of RAM when smaller), as QEMU puts
 * it, and the DTB in the 2 MiB-aligned window right after it, so both stay
 * within the first 256 MiB that Linux maps early. */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/csr.h"
#include "cpu/mmu.h"
#include "cpu/trap.h"
#include "machine/fdt.h"
#include "machine/machine.h"

#define KERNEL_OFFSET  (2ull << 20)
#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((uint64_t)(a)-1))

/* Linux RISC-V Image header (Documentation/riscv/boot-image-header.rst) */
struct riscv_image_header {
	uint32_t code0, code1;
	uint64_t text_offset;
	uint64_t image_size;
	uint64_t flags;
	uint32_t version, res1;
	uint64_t res2;
	uint64_t magic;
	uint32_t magic2;
	uint32_t res3;
};
#define RISCV_IMAGE_MAGIC2 0x05435352u /* "RSC\x05" */

static int load_kernel(struct machine *m, char *err, size_t errlen)
{
	size_t size;
	uint8_t *img = load_file(m->cfg.kernel, &size, err, errlen);
	struct riscv_image_header hdr;

	if (!img)
		return -1;
	if (size >= sizeof(hdr)) {
		memcpy(&hdr, img, sizeof(hdr));
		if (hdr.magic2 == RISCV_IMAGE_MAGIC2) {
			uint64_t off = hdr.text_offset ? hdr.text_offset
						       : KERNEL_OFFSET;
			uint64_t need =
				hdr.image_size > size ? hdr.image_size : size;
			uint8_t *dst;
			if (off & ((2ull << 20) - 1))
				off = ALIGN_UP(off, 2ull << 20);
			dst = gmem_ptr_for_write(&m->mem, VIRT_RAM_BASE + off,
						 need);
			if (!dst) {
				snprintf(err, errlen,
					 "kernel '%s' needs %llu MiB "
					 "at RAM + %llu MiB: more than --mem "
					 "allows",
					 m->cfg.kernel,
					 (unsigned long long)(need >> 20) + 1,
					 (unsigned long long)(off >> 20));
				free(img);
				return -1;
			}
			memcpy(dst, img, size);
			m->kernel_entry = VIRT_RAM_BASE + off;
			free(img);
			return 0;
		}
	}
	if (size < 4 || memcmp(img, "\177ELF", 4)) {
		snprintf(err, errlen,
			 "kernel '%s' is neither a RISC-V Linux "
			 "Image (no RSC\\x05 magic) nor an ELF",
			 m->cfg.kernel);
		free(img);
		return -1;
	}
	free(img);
	/* ELF kernels (vmlinux) load where their headers say */
	{
		struct load_info li;
		if (load_program(&m->mem, m->cfg.kernel, ~0ull, &li, err,
				 errlen) < 0)
			return -1;
		m->kernel_entry = li.entry;
	}
	return 0;
}

static int load_initrd(struct machine *m, uint64_t *end, char *err,
		       size_t errlen)
{
	size_t size;
	uint8_t *img;
	uint64_t mem = m->cfg.mem_size;
	uint64_t at =
		VIRT_RAM_BASE + (mem < (256ull << 20) ? mem / 2 : 128ull << 20);

	*end = at;
	m->initrd_size = 0;
	if (!m->cfg.initrd)
		return 0;
	img = load_file(m->cfg.initrd, &size, err, errlen);
	if (!img)
		return -1;
	/* leave room for the DTB window after it */
	if (size + (4ull << 20) > VIRT_RAM_BASE + mem - at) {
		snprintf(
			err, errlen,
			"initrd '%s' (%zu MiB) does not fit: with "
			"--mem %llu MiB at most %llu MiB fit at RAM + %llu MiB",
			m->cfg.initrd, size >> 20,
			(unsigned long long)(mem >> 20),
			(unsigned long long)((VIRT_RAM_BASE + mem - at) >> 20) -
				4,
			(unsigned long long)((at - VIRT_RAM_BASE) >> 20));
		free(img);
		return -1;
	}
	gmem_write(&m->mem, at, img, size);
	free(img);
	m->initrd_addr = at;
	m->initrd_size = size;
	*end = at + size;
	return 0;
}

/* The M-mode state OpenSBI leaves for a kernel: everything delegated to S,
 * counters visible, Sstc and CBO enabled, PMP open for S/U. */
static void enter_s_mode(struct hart *h, uint64_t entry, uint64_t a1)
{
	hart_reset(h, entry);
	h->sbi_in_vmm = true;
	h->medeleg = 0xb1ff; /* all but ecall from S/M (S ecalls exit) */
	h->mideleg = MIP_SSIP | MIP_STIP | MIP_SEIP;
	h->mcounteren = ~0u;
	h->scounteren = 7; /* CY, TM, IR for U-mode, as OpenSBI leaves it */
	h->menvcfg = MENVCFG_STCE_BIT | MENVCFG_PBMTE_BIT | MENVCFG_CBZE |
		     MENVCFG_CBCFE | MENVCFG_CBIE;
	hart_csr_write(h, CSR_PMPADDR0, ~0ull);
	hart_csr_write(h, CSR_PMPCFG0, 0x1f); /* NAPOT, RWX */
	h->x[10] = h->mhartid;
	h->x[11] = a1;
	hart_set_priv(h, PRV_S);
}

int machine_boot(struct machine *m, char *err, size_t errlen)
{
	static uint8_t dtb[FDT_MAX_SIZE];
	uint64_t initrd_end, fw_entry = 0;

	if (m->cfg.firmware) {
		if (load_program(&m->mem, m->cfg.firmware, VIRT_RAM_BASE,
				 &m->prog, err, errlen) < 0)
			return -1;
		fw_entry = m->prog.entry;
	}
	if (m->cfg.kernel && load_kernel(m, err, errlen) < 0)
		return -1;
	if (load_initrd(m, &initrd_end, err, errlen) < 0)
		return -1;
	if (machine_build_fdt(m, dtb, err, errlen) < 0)
		return -1;
	m->dtb_addr = ALIGN_UP(initrd_end, 2ull << 20);
	if (!gmem_write(&m->mem, m->dtb_addr, dtb, fdt_totalsize(dtb))) {
		snprintf(err, errlen,
			 "no room for the device tree at 0x%llx "
			 "(--mem too small)",
			 (unsigned long long)m->dtb_addr);
		return -1;
	}
	if (m->cfg.dump_dtb) {
		FILE *f = fopen(m->cfg.dump_dtb, "wb");
		if (!f ||
		    fwrite(dtb, 1, fdt_totalsize(dtb), f) !=
			    fdt_totalsize(dtb) ||
		    fclose(f) != 0) {
			snprintf(err, errlen, "cannot write '%s'",
				 m->cfg.dump_dtb);
			return -1;
		}
	}

	m->kernel_in_s_mode = !m->cfg.firmware;
	for (unsigned i = 0; i < m->nharts; i++) {
		struct hart *h = m->harts[i];
		if (m->kernel_in_s_mode) {
			enter_s_mode(h, m->kernel_entry, m->dtb_addr);
		} else {
			hart_reset(h, fw_entry);
			h->x[10] = i;
			h->x[11] = m->dtb_addr;
		}
	}
	return 0;
}
