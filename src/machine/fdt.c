#include "machine/fdt.h"

#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "machine/machine.h"

/* What the hart implements, in the order the ISA string requires. */
#define RISCV_ISA                                                              \
	"rv64imafdc_zicbom_zicboz_zicntr_zicond_zicsr_zifencei_"               \
	"zihintpause_zba_zbb_zbs_sstc_svpbmt"

#define CHECK(expr)                                                            \
	do {                                                                   \
		int r_ = (expr);                                               \
		if (r_ < 0) {                                                  \
			snprintf(err, errlen, "device tree: %s at %s",         \
				 fdt_strerror(r_), #expr);                     \
			return -1;                                             \
		}                                                              \
	} while (0)

static int add_cpus(struct machine *m, void *fdt, uint32_t *intc, char *err,
		    size_t errlen)
{
	CHECK(fdt_begin_node(fdt, "cpus"));
	CHECK(fdt_property_u32(fdt, "#address-cells", 1));
	CHECK(fdt_property_u32(fdt, "#size-cells", 0));
	CHECK(fdt_property_u32(fdt, "timebase-frequency", VCLOCK_HZ));
	for (unsigned i = 0; i < m->nharts; i++) {
		char name[32];
		snprintf(name, sizeof(name), "cpu@%u", i);
		CHECK(fdt_begin_node(fdt, name));
		CHECK(fdt_property_string(fdt, "device_type", "cpu"));
		CHECK(fdt_property_u32(fdt, "reg", i));
		CHECK(fdt_property_string(fdt, "status", "okay"));
		CHECK(fdt_property_string(fdt, "compatible", "riscv"));
		CHECK(fdt_property_string(fdt, "riscv,isa", RISCV_ISA));
		CHECK(fdt_property_string(fdt, "mmu-type", "riscv,sv57"));
		CHECK(fdt_property_u32(fdt, "riscv,cbom-block-size", 64));
		CHECK(fdt_property_u32(fdt, "riscv,cboz-block-size", 64));
		CHECK(fdt_begin_node(fdt, "interrupt-controller"));
		CHECK(fdt_property_u32(fdt, "#interrupt-cells", 1));
		CHECK(fdt_property(fdt, "interrupt-controller", NULL, 0));
		CHECK(fdt_property_string(fdt, "compatible", "riscv,cpu-intc"));
		CHECK(fdt_property_u32(fdt, "phandle", intc[i]));
		CHECK(fdt_end_node(fdt));
		CHECK(fdt_end_node(fdt));
	}
	CHECK(fdt_end_node(fdt));
	return 0;
}

int machine_build_fdt(struct machine *m, void *buf, char *err, size_t errlen)
{
	void *fdt = buf;
	uint32_t intc[MACHINE_MAX_HARTS];
	uint32_t next_phandle = 1;
	char name[64];

	for (unsigned i = 0; i < m->nharts; i++)
		intc[i] = next_phandle++;

	CHECK(fdt_create(fdt, FDT_MAX_SIZE));
	CHECK(fdt_finish_reservemap(fdt));
	CHECK(fdt_begin_node(fdt, ""));
	CHECK(fdt_property_u32(fdt, "#address-cells", 2));
	CHECK(fdt_property_u32(fdt, "#size-cells", 2));
	CHECK(fdt_property_string(fdt, "compatible", "riscv-virtio"));
	CHECK(fdt_property_string(fdt, "model", "rvisor,virt"));

	/* chosen */
	CHECK(fdt_begin_node(fdt, "chosen"));
	CHECK(fdt_property_string(fdt, "bootargs", m->bootargs));
	if (m->uart_region) {
		snprintf(name, sizeof(name), "/soc/serial@%" PRIx64,
			 m->uart_region->base);
		CHECK(fdt_property_string(fdt, "stdout-path", name));
	}
	if (m->initrd_size) {
		CHECK(fdt_property_u64(fdt, "linux,initrd-start",
				       m->initrd_addr));
		CHECK(fdt_property_u64(fdt, "linux,initrd-end",
				       m->initrd_addr + m->initrd_size));
	}
	CHECK(fdt_end_node(fdt));

	/* memory */
	snprintf(name, sizeof(name), "memory@%" PRIx64,
		 (uint64_t)VIRT_RAM_BASE);
	CHECK(fdt_begin_node(fdt, name));
	CHECK(fdt_property_string(fdt, "device_type", "memory"));
	{
		fdt64_t reg[2] = {cpu_to_fdt64(VIRT_RAM_BASE),
				  cpu_to_fdt64(m->cfg.mem_size)};
		CHECK(fdt_property(fdt, "reg", reg, sizeof(reg)));
	}
	CHECK(fdt_end_node(fdt));

	if (add_cpus(m, fdt, intc, err, errlen) < 0)
		return -1;

	/* devices, each writing its own node */
	CHECK(fdt_begin_node(fdt, "soc"));
	CHECK(fdt_property_u32(fdt, "#address-cells", 2));
	CHECK(fdt_property_u32(fdt, "#size-cells", 2));
	CHECK(fdt_property_string(fdt, "compatible", "simple-bus"));
	CHECK(fdt_property(fdt, "ranges", NULL, 0));
	/* phandles first: interrupt-parent references must resolve */
	for (int i = 0; i < m->bus.n; i++)
		m->bus.r[i].phandle = next_phandle++;
	for (int i = 0; i < m->bus.n; i++) {
		struct bus_region *r = &m->bus.r[i];
		struct dev_fdt_ctx ctx = {
			.base = r->base,
			.size = r->size,
			.irq = r->irq,
			.intc_phandle =
				m->plic_region ? m->plic_region->phandle : 0,
			.phandle = r->phandle,
			.cpu_intc_phandles = intc,
			.nharts = m->nharts,
		};
		if (r->ops->fdt)
			CHECK(r->ops->fdt(r->dev, fdt, &ctx));
	}
	CHECK(fdt_end_node(fdt));

	CHECK(fdt_end_node(fdt));
	CHECK(fdt_finish(fdt));
	return 0;
}
