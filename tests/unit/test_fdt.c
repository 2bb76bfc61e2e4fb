/* test_fdt.c - the device tree the virt board generates round-trips
 * through libfdt with every node Linux and OpenSBI need. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libfdt.h>

#include "machine/fdt.h"
#include "machine/machine.h"

static struct machine m;
static uint8_t dtb[FDT_MAX_SIZE];
static char fw_path[64];

static int setup(void **state, unsigned smp)
{
	char err[256];
	static const uint32_t loop[] = {0x0000006f}; /* j . */
	struct machine_config cfg = {
		.mem_size = 128ull << 20,
		.smp = smp,
		.append = "console=ttyS0 quiet",
	};
	int fd;

	(void)state;
	strcpy(fw_path, "/tmp/rvisor-test-fdt-XXXXXX");
	fd = mkstemp(fw_path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, loop, sizeof(loop)), sizeof(loop));
	close(fd);
	cfg.firmware = fw_path;
	if (machine_create(&m, &cfg, err, sizeof(err)) < 0)
		fail_msg("machine_create: %s", err);
	if (machine_build_fdt(&m, dtb, err, sizeof(err)) < 0)
		fail_msg("machine_build_fdt: %s", err);
	assert_int_equal(fdt_check_header(dtb), 0);
	return 0;
}

static int setup1(void **state)
{
	return setup(state, 1);
}
static int setup4(void **state)
{
	return setup(state, 4);
}

static int teardown(void **state)
{
	(void)state;
	machine_destroy(&m);
	unlink(fw_path);
	return 0;
}

static const void *prop(const char *path, const char *name, int *len)
{
	int off = fdt_path_offset(dtb, path);

	if (off < 0)
		fail_msg("node %s missing: %s", path, fdt_strerror(off));
	const void *p = fdt_getprop(dtb, off, name, len);
	if (!p)
		fail_msg("%s: property %s missing", path, name);
	return p;
}

static uint32_t prop_u32(const char *path, const char *name)
{
	int len;
	const fdt32_t *p = prop(path, name, &len);

	assert_int_equal(len, 4);
	return fdt32_to_cpu(*p);
}

static void test_root_and_chosen(void **state)
{
	int len;

	(void)state;
	assert_int_equal(prop_u32("/", "#address-cells"), 2);
	assert_int_equal(prop_u32("/", "#size-cells"), 2);
	assert_string_equal(prop("/chosen", "bootargs", &len),
			    "console=ttyS0 quiet");
	assert_string_equal(prop("/chosen", "stdout-path", &len),
			    "/soc/serial@10000000");
}

static void test_memory(void **state)
{
	int len;
	fdt64_t reg[2]; /* properties are only 4-byte aligned: copy out */

	(void)state;
	memcpy(reg, prop("/memory@80000000", "reg", &len), sizeof(reg));
	assert_int_equal(len, 16);
	assert_int_equal(fdt64_to_cpu(reg[0]), 0x80000000ull);
	assert_int_equal(fdt64_to_cpu(reg[1]), 128ull << 20);
	assert_string_equal(prop("/memory@80000000", "device_type", &len),
			    "memory");
}

static void test_cpus(void **state)
{
	char path[64];
	int len;

	(void)state;
	assert_int_equal(prop_u32("/cpus", "timebase-frequency"), 10000000);
	for (unsigned i = 0; i < m.nharts; i++) {
		snprintf(path, sizeof(path), "/cpus/cpu@%u", i);
		assert_int_equal(prop_u32(path, "reg"), i);
		assert_string_equal(prop(path, "device_type", &len), "cpu");
		assert_string_equal(prop(path, "status", &len), "okay");
		const char *isa = prop(path, "riscv,isa", &len);
		assert_true(strncmp(isa, "rv64imafdc", 10) == 0);
		snprintf(path, sizeof(path),
			 "/cpus/cpu@%u/interrupt-controller", i);
		assert_string_equal(prop(path, "compatible", &len),
				    "riscv,cpu-intc");
		assert_int_equal(prop_u32(path, "#interrupt-cells"), 1);
		prop(path, "interrupt-controller", &len);
		prop_u32(path, "phandle");
	}
}

/* The PLIC lists M and S external interrupts of every hart. */
static void test_plic(void **state)
{
	int len;
	const char *p = "/soc/plic@c000000";
	const fdt32_t *ie = prop(p, "interrupts-extended", &len);

	(void)state;
	assert_int_equal(len, (int)(16 * m.nharts));
	for (unsigned i = 0; i < m.nharts; i++) {
		assert_int_equal(fdt32_to_cpu(ie[4 * i + 1]), 11);
		assert_int_equal(fdt32_to_cpu(ie[4 * i + 3]), 9);
	}
	assert_int_equal(prop_u32(p, "riscv,ndev"), 95);
	prop(p, "interrupt-controller", &len);
}

static void test_devices(void **state)
{
	int len;
	uint32_t plic = prop_u32("/soc/plic@c000000", "phandle");

	(void)state;
	assert_string_equal(prop("/soc/serial@10000000", "compatible", &len),
			    "ns16550a");
	assert_int_equal(prop_u32("/soc/serial@10000000", "interrupts"), 10);
	assert_int_equal(prop_u32("/soc/serial@10000000", "interrupt-parent"),
			 plic);
	assert_string_equal(prop("/soc/test@100000", "compatible", &len),
			    "sifive,test1");
	assert_int_equal(prop_u32("/soc/poweroff", "value"), 0x5555);
	assert_int_equal(prop_u32("/soc/poweroff", "regmap"),
			 prop_u32("/soc/test@100000", "phandle"));
	assert_int_equal(prop_u32("/soc/reboot", "value"), 0x7777);
	assert_string_equal(prop("/soc/rtc@101000", "compatible", &len),
			    "google,goldfish-rtc");
	assert_string_equal(prop("/soc/clint@2000000", "compatible", &len),
			    "sifive,clint0");
	prop("/soc/clint@2000000", "interrupts-extended", &len);
	assert_int_equal(len, (int)(16 * m.nharts));
}

int main(void)
{
	const struct CMUnitTest one[] = {
		cmocka_unit_test(test_root_and_chosen),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_plic),
		cmocka_unit_test(test_devices),
	};
	const struct CMUnitTest four[] = {
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_plic),
		cmocka_unit_test(test_devices),
	};
	int r = cmocka_run_group_tests_name("fdt, 1 hart", one, setup1,
					    teardown);
	return r | cmocka_run_group_tests_name("fdt, 4 harts", four, setup4,
					       teardown);
}
