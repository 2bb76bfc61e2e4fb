// SPDX-License-Identifier: MIT
/* test_uart16550.c - the ns16550a's receive side: the 16-byte FIFO, the
 * data-ready bit and interrupt, and the room callback through which input
 * waiting behind a full FIFO follows as soon as the guest has read it. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dev/uart16550.h"

enum { RBR = 0, IER = 1, IIR = 2, LSR = 5 };
#define LSR_DR 0x01

struct fixture {
	void *uart;
	bool level;
	unsigned rooms;
	/* what waits behind the FIFO, as the console's ring would */
	const uint8_t *pending;
	size_t npending;
};

static void fake_set_irq(void *ctrl, unsigned irq, bool level)
{
	struct fixture *f = ctrl;
	(void)irq;
	f->level = level;
}

static void room(void *opaque)
{
	struct fixture *f = opaque;
	f->rooms++;
	size_t n = uart16550_input(f->uart, f->pending, f->npending);
	f->pending += n;
	f->npending -= n;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int null_fd = open("/dev/null", O_WRONLY);
	assert_true(null_fd >= 0);
	f->uart =
		uart16550_new(null_fd, (struct irq_line){fake_set_irq, f, 10});
	assert_non_null(f->uart);
	uart16550_set_room(f->uart, room, f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	uart16550_ops.destroy(f->uart);
	free(f);
	return 0;
}

static uint8_t rd(struct fixture *f, unsigned reg)
{
	uint64_t v = 0xdead;
	assert_true(uart16550_ops.read(f->uart, reg, 1, &v));
	assert_true(v <= 0xff);
	return (uint8_t)v;
}

static void test_fifo_holds_sixteen(void **state)
{
	struct fixture *f = *state;
	uint8_t in[40];

	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)('a' + i % 26);
	assert_int_equal(uart16550_input(f->uart, in, sizeof(in)), 16);
	assert_true(rd(f, LSR) & LSR_DR);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(rd(f, RBR), in[i]);
	assert_false(rd(f, LSR) & LSR_DR);
}

/* A line longer than the FIFO arrives whole in one pass of the guest's
 * receive loop (read while data ready): each time the FIFO empties, the
 * rest follows at once. */
static void test_room_refills_at_once(void **state)
{
	struct fixture *f = *state;
	static const uint8_t line[] =
		"/bench/lbench sort 36; echo __done__ $?\n";
	size_t len = sizeof(line) - 1;
	uint8_t got[64];
	size_t n = 0;

	assert_true(uart16550_ops.write(f->uart, IER, 1, 1)); /* RX irq */
	size_t first = uart16550_input(f->uart, line, len);
	assert_int_equal(first, 16);
	f->pending = line + first;
	f->npending = len - first;
	assert_true(f->level);
	while ((rd(f, LSR) & LSR_DR) && n < sizeof(got)) {
		unsigned before = f->rooms;
		got[n++] = rd(f, RBR);
		/* the callback comes exactly when the FIFO empties */
		assert_int_equal(f->rooms - before,
				 (n == 16 || n == 32 || n == len) ? 1 : 0);
	}
	assert_int_equal(n, len);
	assert_memory_equal(got, line, len);
	assert_false(f->level);
	/* reading an empty FIFO is no new room */
	unsigned before = f->rooms;
	assert_int_equal(rd(f, RBR), 0);
	assert_int_equal(f->rooms, before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fifo_holds_sixteen, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_room_refills_at_once,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
