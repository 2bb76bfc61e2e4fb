// SPDX-License-Identifier: MIT
/* test_goldfish_rtc.c - the goldfish RTC: wall-clock reads against the
 * host's, setting the time, the alarm and its interrupt line, rejected
 * accesses, reset, and the device tree node. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>
#include <libfdt.h>

#include "dev/goldfish_rtc.h"

enum {
	TIME_LOW = 0x00,
	TIME_HIGH = 0x04,
	ALARM_LOW = 0x08,
	ALARM_HIGH = 0x0c,
	IRQ_ENABLED = 0x10,
	CLEAR_ALARM = 0x14,
	ALARM_STATUS = 0x18,
	CLEAR_INTERRUPT = 0x1c,
};

#define NS	1000000000ull
#define RTC_IRQ 11

struct fixture {
	void *rtc;
	bool level;
	unsigned calls;
	unsigned irq_seen;
};

static void fake_set_irq(void *ctrl, unsigned irq, bool level)
{
	struct fixture *f = ctrl;

	f->level = level;
	f->irq_seen = irq;
	f->calls++;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->rtc = goldfish_rtc_new((struct irq_line){fake_set_irq, f, RTC_IRQ});
	assert_non_null(f->rtc);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	goldfish_rtc_ops.destroy(f->rtc);
	free(f);
	return 0;
}

static uint64_t host_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {0, (long)ms * 1000000};

	while (nanosleep(&ts, &ts))
		;
}

static uint32_t rd(void *r, uint64_t off)
{
	uint64_t v = 0xdeadbeefcafeull;

	assert_true(goldfish_rtc_ops.read(r, off, 4, &v));
	assert_true(v <= UINT32_MAX);
	return (uint32_t)v;
}

static void wr(void *r, uint64_t off, uint32_t v)
{
	assert_true(goldfish_rtc_ops.write(r, off, 4, v));
}

/* as Linux's goldfish_rtc_read_time */
static uint64_t read_time(void *r)
{
	uint64_t lo = rd(r, TIME_LOW);

	return (uint64_t)rd(r, TIME_HIGH) << 32 | lo;
}

/* as Linux's goldfish_rtc_set_time */
static void set_time(void *r, uint64_t t)
{
	wr(r, TIME_HIGH, (uint32_t)(t >> 32));
	wr(r, TIME_LOW, (uint32_t)t);
}

/* as Linux's goldfish_rtc_set_alarm */
static void set_alarm(void *r, uint64_t t)
{
	wr(r, ALARM_HIGH, (uint32_t)(t >> 32));
	wr(r, ALARM_LOW, (uint32_t)t);
}

static void test_time_tracks_host(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 3; i++) {
		uint64_t before = host_ns();
		uint64_t t = read_time(f->rtc);
		uint64_t after = host_ns();
		assert_true(t >= before);
		assert_true(t <= after);
	}
	assert_false(f->level);
}

static void test_time_high_is_latched(void **state)
{
	struct fixture *f = *state;
	uint32_t high;

	(void)rd(f->rtc, TIME_LOW);
	high = rd(f->rtc, TIME_HIGH);
	wr(f->rtc, TIME_HIGH, high + 5);
	/* no TIME_LOW read since: still the latched half */
	assert_int_equal(rd(f->rtc, TIME_HIGH), high);
	(void)rd(f->rtc, TIME_LOW);
	assert_int_equal(rd(f->rtc, TIME_HIGH), high + 5);
}

static void test_set_time(void **state)
{
	struct fixture *f = *state;
	/* 2000-01-01T00:00:00Z plus a bit */
	uint64_t target = 946684800ull * NS + 123456789;
	uint64_t t0 = host_ns(), t, t2;

	set_time(f->rtc, target);
	t = read_time(f->rtc);
	assert_true(t >= target);
	assert_true(t - target <= host_ns() - t0);
	/* and it keeps running */
	sleep_ms(2);
	t2 = read_time(f->rtc);
	assert_true(t2 >= t + 2000000);
	assert_true(t2 < t + 10 * NS);

	/* a time far in the future; then only the low half */
	target = 0x7fffffff00000000ull;
	set_time(f->rtc, target);
	t = read_time(f->rtc);
	assert_true(t >= target && t - target < 10 * NS);
	wr(f->rtc, TIME_LOW, 0x10);
	t = read_time(f->rtc);
	assert_true(t >= target + 0x10 && t - target < 10 * NS);
}

static void test_alarm_registers(void **state)
{
	struct fixture *f = *state;

	/* far in the future (host time is now about 0x18.. << 56 ns) */
	set_alarm(f->rtc, 0x7123456789abcdefull);
	assert_int_equal(rd(f->rtc, ALARM_LOW), 0x89abcdef);
	assert_int_equal(rd(f->rtc, ALARM_HIGH), 0x71234567);
	assert_int_equal(rd(f->rtc, ALARM_STATUS), 1);
	assert_int_equal(rd(f->rtc, IRQ_ENABLED), 0);
	wr(f->rtc, IRQ_ENABLED, 0xffffffff);
	assert_int_equal(rd(f->rtc, IRQ_ENABLED), 1);
	wr(f->rtc, CLEAR_ALARM, 1);
	assert_int_equal(rd(f->rtc, ALARM_STATUS), 0);
	assert_false(f->level);
}

static void test_alarm_in_past_fires_at_once(void **state)
{
	struct fixture *f = *state;

	wr(f->rtc, IRQ_ENABLED, 1);
	assert_false(f->level);
	set_alarm(f->rtc, host_ns() - NS);
	assert_true(f->level);
	assert_int_equal(f->irq_seen, RTC_IRQ);
	assert_int_equal(rd(f->rtc, ALARM_STATUS), 0);
	/* the interrupt stays until acknowledged */
	(void)read_time(f->rtc);
	assert_true(f->level);
	wr(f->rtc, CLEAR_INTERRUPT, 1);
	assert_false(f->level);
	/* and a fired alarm does not fire again */
	goldfish_rtc_poll(f->rtc);
	assert_false(f->level);
}

static void test_alarm_in_future_fires_when_due(void **state)
{
	struct fixture *f = *state;

	wr(f->rtc, IRQ_ENABLED, 1);
	set_alarm(f->rtc, read_time(f->rtc) + 20000000);
	assert_int_equal(rd(f->rtc, ALARM_STATUS), 1);
	assert_false(f->level);
	sleep_ms(40);
	/* documented limitation: nothing fires until someone looks */
	assert_false(f->level);
	goldfish_rtc_poll(f->rtc);
	assert_true(f->level);
	assert_int_equal(rd(f->rtc, ALARM_STATUS), 0);
	wr(f->rtc, CLEAR_INTERRUPT, 1);
	assert_false(f->level);

	/* any register access notices a due alarm too */
	set_alarm(f->rtc, read_time(f->rtc) + 20000000);
	sleep_ms(40);
	assert_false(f->level);
	assert_int_equal(rd(f->rtc, ALARM_STATUS), 0);
	assert_true(f->level);
}

static void test_clear_alarm(void **state)
{
	struct fixture *f = *state;

	wr(f->rtc, IRQ_ENABLED, 1);
	set_alarm(f->rtc, read_time(f->rtc) + 10000000);
	wr(f->rtc, CLEAR_ALARM, 1);
	assert_int_equal(rd(f->rtc, ALARM_STATUS), 0);
	sleep_ms(20);
	goldfish_rtc_poll(f->rtc);
	(void)read_time(f->rtc);
	assert_false(f->level);
}

static void test_irq_enable_gates_line(void **state)
{
	struct fixture *f = *state;

	set_alarm(f->rtc, host_ns() - 1);
	assert_int_equal(rd(f->rtc, ALARM_STATUS), 0);
	assert_false(f->level);
	/* the alarm fired; enabling delivers it */
	wr(f->rtc, IRQ_ENABLED, 1);
	assert_true(f->level);
	wr(f->rtc, IRQ_ENABLED, 0);
	assert_false(f->level);
	wr(f->rtc, CLEAR_INTERRUPT, 1);
	wr(f->rtc, IRQ_ENABLED, 1);
	assert_false(f->level);
}

static void test_alarm_uses_guest_time(void **state)
{
	struct fixture *f = *state;
	uint64_t guest = 946684800ull * NS; /* 2000: long before host time */

	wr(f->rtc, IRQ_ENABLED, 1);
	set_time(f->rtc, guest);
	/* due in guest time 10 s from now, though long past in host time */
	set_alarm(f->rtc, guest + 10 * NS);
	assert_int_equal(rd(f->rtc, ALARM_STATUS), 1);
	goldfish_rtc_poll(f->rtc);
	assert_false(f->level);
	/* moving the guest clock past it makes it due */
	set_time(f->rtc, guest + 11 * NS);
	assert_true(f->level);
	assert_int_equal(rd(f->rtc, ALARM_STATUS), 0);
}

static void test_bad_accesses(void **state)
{
	struct fixture *f = *state;
	uint64_t v;

	for (unsigned size = 1; size <= 8; size *= 2) {
		if (size == 4)
			continue;
		assert_false(goldfish_rtc_ops.read(f->rtc, TIME_LOW, size, &v));
		assert_false(
			goldfish_rtc_ops.write(f->rtc, IRQ_ENABLED, size, 1));
	}
	assert_false(goldfish_rtc_ops.read(f->rtc, TIME_LOW + 2, 4, &v));
	assert_false(goldfish_rtc_ops.write(f->rtc, IRQ_ENABLED + 1, 4, 1));
	assert_int_equal(rd(f->rtc, IRQ_ENABLED), 0);
	/* unknown registers read 0 and ignore writes */
	for (uint64_t off = 0x20; off < GOLDFISH_RTC_SIZE; off += 4) {
		wr(f->rtc, off, 0xffffffff);
		assert_int_equal(rd(f->rtc, off), 0);
	}
	/* write-only registers read 0 */
	assert_int_equal(rd(f->rtc, CLEAR_ALARM), 0);
	assert_int_equal(rd(f->rtc, CLEAR_INTERRUPT), 0);
	assert_false(f->level);
}

static void test_reset(void **state)
{
	struct fixture *f = *state;
	uint64_t guest = 946684800ull * NS;

	set_time(f->rtc, guest);
	wr(f->rtc, IRQ_ENABLED, 1);
	set_alarm(f->rtc, guest - NS);
	assert_true(f->level);
	goldfish_rtc_ops.reset(f->rtc);
	assert_false(f->level);
	assert_int_equal(rd(f->rtc, IRQ_ENABLED), 0);
	assert_int_equal(rd(f->rtc, ALARM_STATUS), 0);
	assert_int_equal(rd(f->rtc, ALARM_LOW), 0);
	assert_int_equal(rd(f->rtc, ALARM_HIGH), 0);
	/* a wall clock keeps its time across a reset */
	uint64_t t = read_time(f->rtc);
	assert_true(t >= guest && t - guest < 10 * NS);
}

static void test_fdt_node(void **state)
{
	struct fixture *f = *state;
	struct dev_fdt_ctx ctx = {
		.base = 0x101000,
		.size = GOLDFISH_RTC_SIZE,
		.irq = RTC_IRQ,
		.intc_phandle = 3,
	};
	char buf[1024];
	const fdt64_t *reg;
	const fdt32_t *cell;
	int node, len;

	assert_int_equal(fdt_create(buf, sizeof(buf)), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_int_equal(fdt_property_u32(buf, "#address-cells", 2), 0);
	assert_int_equal(fdt_property_u32(buf, "#size-cells", 2), 0);
	assert_int_equal(goldfish_rtc_ops.fdt(f->rtc, buf, &ctx), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
	assert_int_equal(fdt_check_header(buf), 0);

	node = fdt_path_offset(buf, "/rtc@101000");
	assert_true(node >= 0);
	assert_string_equal(fdt_getprop(buf, node, "compatible", &len),
			    "google,goldfish-rtc");
	assert_int_equal(len, sizeof("google,goldfish-rtc"));
	reg = fdt_getprop(buf, node, "reg", &len);
	assert_non_null(reg);
	assert_int_equal(len, 16);
	assert_int_equal(fdt64_ld(&reg[0]), 0x101000);
	assert_int_equal(fdt64_ld(&reg[1]), 0x1000);
	cell = fdt_getprop(buf, node, "interrupts", &len);
	assert_non_null(cell);
	assert_int_equal(len, 4);
	assert_int_equal(fdt32_ld(cell), RTC_IRQ);
	cell = fdt_getprop(buf, node, "interrupt-parent", &len);
	assert_non_null(cell);
	assert_int_equal(len, 4);
	assert_int_equal(fdt32_ld(cell), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_time_tracks_host),
		T(test_time_high_is_latched),
		T(test_set_time),
		T(test_alarm_registers),
		T(test_alarm_in_past_fires_at_once),
		T(test_alarm_in_future_fires_when_due),
		T(test_clear_alarm),
		T(test_irq_enable_gates_line),
		T(test_alarm_uses_guest_time),
		T(test_bad_accesses),
		T(test_reset),
		T(test_fdt_node),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
