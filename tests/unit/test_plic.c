// SPDX-License-Identifier: MIT
/* test_plic.c - the SiFive PLIC: claim order, thresholds, per-context
 * enables, level-triggered gateways, the hart lines it drives, offsets the
 * guest may throw at it, and its device tree node. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>
#include <pthread.h>

#include "base/vclock.h"
#include "cpu/hart.h"
#include "dev/plic.h"
#include "mem/guest_mem.h"

#define NHARTS 2

#define PRIO(s)	     (4ull * (s))
#define PENDING(w)   (0x1000ull + 4ull * (w))
#define ENABLE(c, w) (0x2000ull + 0x80ull * (c) + 4ull * (w))
#define THRESH(c)    (0x200000ull + 0x1000ull * (c))
#define CLAIM(c)     (0x200004ull + 0x1000ull * (c))

/* contexts of the two harts */
enum { H0_M = 0, H0_S = 1, H1_M = 2, H1_S = 3 };

struct fixture {
	struct guest_mem mem;
	struct vclock clock;
	struct hart *harts[NHARTS];
	void *plic;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(gmem_init(&f->mem), 0);
	assert_int_equal(gmem_add_ram(&f->mem, 0x80000000ull, 0x10000), 0);
	vclock_init(&f->clock);
	for (unsigned i = 0; i < NHARTS; i++) {
		f->harts[i] = calloc(1, sizeof(struct hart));
		assert_non_null(f->harts[i]);
		assert_int_equal(hart_init(f->harts[i], i, &f->mem, &f->clock),
				 0);
	}
	f->plic = plic_new(f->harts, NHARTS);
	assert_non_null(f->plic);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	plic_ops.destroy(f->plic);
	for (unsigned i = 0; i < NHARTS; i++) {
		hart_destroy(f->harts[i]);
		free(f->harts[i]);
	}
	gmem_destroy(&f->mem);
	free(f);
	return 0;
}

static uint32_t rd(void *p, uint64_t off)
{
	uint64_t v = 0xdeadbeefcafeull;

	assert_true(plic_ops.read(p, off, 4, &v));
	assert_true(v <= UINT32_MAX);
	return (uint32_t)v;
}

static void wr(void *p, uint64_t off, uint32_t v)
{
	assert_true(plic_ops.write(p, off, 4, v));
}

static bool line(const struct hart *h, uint64_t bit)
{
	return (atomic_load(&h->irq_lines) & bit) != 0;
}

static void enable(void *p, unsigned ctx, unsigned src)
{
	wr(p, ENABLE(ctx, src / 32),
	   rd(p, ENABLE(ctx, src / 32)) | 1u << (src % 32));
}

static void test_new_rejects_bad_counts(void **state)
{
	struct fixture *f = *state;

	assert_null(plic_new(f->harts, 0));
	assert_null(plic_new(f->harts, PLIC_MAX_HARTS + 1));
}

static void test_claim_empty_returns_zero(void **state)
{
	struct fixture *f = *state;

	for (unsigned c = 0; c < 2 * NHARTS; c++)
		assert_int_equal(rd(f->plic, CLAIM(c)), 0);
	/* enabled and prioritised but not pending: still nothing */
	wr(f->plic, PRIO(4), 3);
	enable(f->plic, H0_S, 4);
	assert_int_equal(rd(f->plic, CLAIM(H0_S)), 0);
	assert_false(line(f->harts[0], MIP_SEIP));
}

static void test_priority_order_and_ties(void **state)
{
	struct fixture *f = *state;
	void *p = f->plic;

	wr(p, PRIO(3), 1);
	wr(p, PRIO(40), 5);
	wr(p, PRIO(7), 5);
	wr(p, PRIO(95), 6);
	wr(p, PRIO(60), 0); /* priority 0 never interrupts */
	for (unsigned s = 1; s <= 95; s++)
		enable(p, H0_S, s);
	plic_set_irq(p, 3, true);
	plic_set_irq(p, 40, true);
	plic_set_irq(p, 7, true);
	plic_set_irq(p, 60, true);
	assert_true(line(f->harts[0], MIP_SEIP));
	plic_set_irq(p, 95, true);
	assert_int_equal(rd(p, PENDING(0)), 1u << 3 | 1u << 7);
	assert_int_equal(rd(p, PENDING(1)), 1u << (40 - 32) | 1u << (60 - 32));
	assert_int_equal(rd(p, PENDING(2)), 1u << (95 - 64));

	/* highest priority first; equal priorities: lowest id first */
	assert_int_equal(rd(p, CLAIM(H0_S)), 95);
	assert_int_equal(rd(p, CLAIM(H0_S)), 7);
	assert_int_equal(rd(p, CLAIM(H0_S)), 40);
	assert_int_equal(rd(p, CLAIM(H0_S)), 3);
	/* all claimed: the line drops although the inputs are still high */
	assert_false(line(f->harts[0], MIP_SEIP));
	assert_int_equal(rd(p, CLAIM(H0_S)), 0);
	/* claimed sources are no longer pending; 60 (priority 0) still is */
	assert_int_equal(rd(p, PENDING(0)), 0);
	assert_int_equal(rd(p, PENDING(1)), 1u << (60 - 32));
	assert_int_equal(rd(p, PENDING(2)), 0);

	/* lowering the inputs while claimed, completing: nothing comes back */
	for (unsigned s = 1; s <= 95; s++)
		plic_set_irq(p, s, false);
	wr(p, CLAIM(H0_S), 95);
	wr(p, CLAIM(H0_S), 7);
	wr(p, CLAIM(H0_S), 40);
	wr(p, CLAIM(H0_S), 3);
	assert_int_equal(rd(p, CLAIM(H0_S)), 0);
	assert_false(line(f->harts[0], MIP_SEIP));
	for (unsigned w = 0; w < 3; w++)
		assert_int_equal(rd(p, PENDING(w)), 0);
}

static void test_priority_change_reorders(void **state)
{
	struct fixture *f = *state;
	void *p = f->plic;

	wr(p, PRIO(10), 2);
	wr(p, PRIO(11), 3);
	enable(p, H1_M, 10);
	enable(p, H1_M, 11);
	plic_set_irq(p, 10, true);
	plic_set_irq(p, 11, true);
	wr(p, PRIO(10), 4);
	assert_int_equal(rd(p, CLAIM(H1_M)), 10);
	assert_int_equal(rd(p, CLAIM(H1_M)), 11);
	/* a source pending at priority 0 is masked until it gets one */
	plic_set_irq(p, 12, true);
	enable(p, H1_M, 12);
	assert_false(line(f->harts[1], MIP_MEIP));
	wr(p, PRIO(12), 1);
	assert_true(line(f->harts[1], MIP_MEIP));
	wr(p, PRIO(12), 0);
	assert_false(line(f->harts[1], MIP_MEIP));
}

static void test_threshold(void **state)
{
	struct fixture *f = *state;
	void *p = f->plic;

	wr(p, PRIO(5), 3);
	enable(p, H0_M, 5);
	wr(p, THRESH(H0_M), 3);
	assert_int_equal(rd(p, THRESH(H0_M)), 3);
	plic_set_irq(p, 5, true);
	/* priority must exceed the threshold */
	assert_false(line(f->harts[0], MIP_MEIP));
	assert_int_equal(rd(p, CLAIM(H0_M)), 0);
	assert_int_equal(rd(p, PENDING(0)), 1u << 5);
	wr(p, THRESH(H0_M), 2);
	assert_true(line(f->harts[0], MIP_MEIP));
	wr(p, THRESH(H0_M), 7);
	assert_false(line(f->harts[0], MIP_MEIP));
	/* thresholds above the top priority are ignored, as in QEMU */
	wr(p, THRESH(H0_M), 8);
	assert_int_equal(rd(p, THRESH(H0_M)), 7);
	wr(p, THRESH(H0_M), 0);
	assert_true(line(f->harts[0], MIP_MEIP));
	assert_int_equal(rd(p, CLAIM(H0_M)), 5);
	assert_false(line(f->harts[0], MIP_MEIP));
	/* the threshold is per context */
	assert_int_equal(rd(p, THRESH(H0_S)), 0);
}

static void test_priority_warl(void **state)
{
	struct fixture *f = *state;
	void *p = f->plic;

	wr(p, PRIO(1), 0xffffffff);
	assert_int_equal(rd(p, PRIO(1)), PLIC_MAX_PRIO);
	wr(p, PRIO(95), 9);
	assert_int_equal(rd(p, PRIO(95)), 1);
	/* source 0 does not exist */
	wr(p, PRIO(0), 5);
	assert_int_equal(rd(p, PRIO(0)), 0);
	wr(p, ENABLE(H0_M, 0), 0xffffffff);
	assert_int_equal(rd(p, ENABLE(H0_M, 0)), 0xfffffffe);
	wr(p, ENABLE(H0_M, 2), 0xffffffff);
	assert_int_equal(rd(p, ENABLE(H0_M, 2)), 0xffffffff);
	/* pending bits are read-only */
	wr(p, PENDING(0), 0xffffffff);
	assert_int_equal(rd(p, PENDING(0)), 0);
	plic_set_irq(p, 0, true);
	assert_int_equal(rd(p, PENDING(0)), 0);
}

static void test_enable_per_context(void **state)
{
	struct fixture *f = *state;
	void *p = f->plic;

	wr(p, PRIO(33), 1);
	enable(p, H0_M, 33);
	plic_set_irq(p, 33, true);
	assert_true(line(f->harts[0], MIP_MEIP));
	assert_false(line(f->harts[0], MIP_SEIP));
	assert_false(line(f->harts[1], MIP_MEIP));
	assert_false(line(f->harts[1], MIP_SEIP));
	assert_int_equal(rd(p, CLAIM(H0_S)), 0);
	assert_int_equal(rd(p, CLAIM(H1_S)), 0);

	enable(p, H1_S, 33);
	assert_true(line(f->harts[1], MIP_SEIP));
	assert_false(line(f->harts[1], MIP_MEIP));
	assert_int_equal(rd(p, ENABLE(H1_S, 1)), 1u << 1);
	assert_int_equal(rd(p, ENABLE(H1_M, 1)), 0);

	/* a claim by one context takes it from all of them */
	assert_int_equal(rd(p, CLAIM(H1_S)), 33);
	assert_false(line(f->harts[0], MIP_MEIP));
	assert_false(line(f->harts[1], MIP_SEIP));
	assert_int_equal(rd(p, CLAIM(H0_M)), 0);

	/* disabling a pending source lowers the line */
	wr(p, CLAIM(H1_S), 33);
	assert_true(line(f->harts[0], MIP_MEIP));
	assert_true(line(f->harts[1], MIP_SEIP));
	wr(p, ENABLE(H0_M, 1), 0);
	assert_false(line(f->harts[0], MIP_MEIP));
	assert_true(line(f->harts[1], MIP_SEIP));
	plic_set_irq(p, 33, false);
	assert_false(line(f->harts[1], MIP_SEIP));
}

static void test_level_reasserts_after_complete(void **state)
{
	struct fixture *f = *state;
	void *p = f->plic;

	wr(p, PRIO(10), 1);
	enable(p, H0_S, 10);
	plic_set_irq(p, 10, true);
	assert_true(line(f->harts[0], MIP_SEIP));
	assert_int_equal(rd(p, CLAIM(H0_S)), 10);
	assert_false(line(f->harts[0], MIP_SEIP));

	/* the input bounces while claimed: not pending again yet */
	plic_set_irq(p, 10, false);
	plic_set_irq(p, 10, true);
	plic_set_irq(p, 10, true);
	assert_int_equal(rd(p, PENDING(0)), 0);
	assert_false(line(f->harts[0], MIP_SEIP));
	assert_int_equal(rd(p, CLAIM(H0_S)), 0);

	/* completed with the level still high: a new request at once */
	wr(p, CLAIM(H0_S), 10);
	assert_int_equal(rd(p, PENDING(0)), 1u << 10);
	assert_true(line(f->harts[0], MIP_SEIP));
	assert_int_equal(rd(p, CLAIM(H0_S)), 10);

	/* the device drops its line before the completion: nothing more */
	plic_set_irq(p, 10, false);
	wr(p, CLAIM(H0_S), 10);
	assert_int_equal(rd(p, PENDING(0)), 0);
	assert_false(line(f->harts[0], MIP_SEIP));

	/* pending follows the level while unclaimed */
	plic_set_irq(p, 10, true);
	assert_true(line(f->harts[0], MIP_SEIP));
	plic_set_irq(p, 10, false);
	assert_int_equal(rd(p, PENDING(0)), 0);
	assert_false(line(f->harts[0], MIP_SEIP));
	assert_int_equal(rd(p, CLAIM(H0_S)), 0);
}

static void test_bad_complete_ignored(void **state)
{
	struct fixture *f = *state;
	void *p = f->plic;

	wr(p, PRIO(20), 1);
	enable(p, H0_S, 20);
	enable(p, H1_S, 20);
	plic_set_irq(p, 20, true);
	assert_int_equal(rd(p, CLAIM(H0_S)), 20);

	/* another context, nonsense ids: the claim stands */
	wr(p, CLAIM(H1_S), 20);
	wr(p, CLAIM(H0_S), 0);
	wr(p, CLAIM(H0_S), 21);
	wr(p, CLAIM(H0_S), 96);
	wr(p, CLAIM(H0_S), 0xffffffff);
	wr(p, CLAIM(H0_S), 20 + 0x100);
	assert_false(line(f->harts[0], MIP_SEIP));
	assert_false(line(f->harts[1], MIP_SEIP));
	assert_int_equal(rd(p, CLAIM(H1_S)), 0);

	/* not enabled for the claiming context any more: ignored too */
	wr(p, ENABLE(H0_S, 0), 0);
	wr(p, CLAIM(H0_S), 20);
	assert_false(line(f->harts[1], MIP_SEIP));
	/* enabled again (what Linux does to complete a masked irq) */
	enable(p, H0_S, 20);
	wr(p, CLAIM(H0_S), 20);
	assert_true(line(f->harts[0], MIP_SEIP));
	assert_true(line(f->harts[1], MIP_SEIP));
	assert_int_equal(rd(p, CLAIM(H1_S)), 20);
	assert_false(line(f->harts[0], MIP_SEIP));
}

static void test_bad_accesses(void **state)
{
	struct fixture *f = *state;
	void *p = f->plic;
	uint64_t v;

	wr(p, PRIO(1), 1);
	enable(p, H0_M, 1);
	plic_set_irq(p, 1, true);

	/* only aligned 32-bit accesses */
	for (unsigned size = 1; size <= 8; size *= 2) {
		if (size == 4)
			continue;
		assert_false(plic_ops.read(p, PRIO(1), size, &v));
		assert_false(plic_ops.write(p, PRIO(1), size, 0));
		assert_false(plic_ops.read(p, CLAIM(H0_M), size, &v));
		assert_false(plic_ops.write(p, CLAIM(H0_M), size, 1));
	}
	assert_false(plic_ops.read(p, CLAIM(H0_M) + 2, 4, &v));
	assert_false(plic_ops.write(p, PRIO(1) + 1, 4, 0));
	assert_int_equal(rd(p, PRIO(1)), 1);
	assert_true(line(f->harts[0], MIP_MEIP));

	/* inputs that do not exist */
	plic_set_irq(p, 0, true);
	plic_set_irq(p, 96, true);
	plic_set_irq(p, 1000, true);
	plic_set_irq(p, ~0u, true);

	/* registers of sources and contexts that do not exist */
	assert_int_equal(rd(p, PRIO(96)), 0);
	assert_int_equal(rd(p, PRIO(1023)), 0);
	assert_int_equal(rd(p, PENDING(3)), 0);
	assert_int_equal(rd(p, ENABLE(H0_M, 3)), 0);
	assert_int_equal(rd(p, ENABLE(2 * NHARTS, 0)), 0);
	assert_int_equal(rd(p, THRESH(2 * NHARTS)), 0);
	assert_int_equal(rd(p, CLAIM(2 * NHARTS)), 0);
	assert_int_equal(rd(p, CLAIM(1023)), 0);
	assert_int_equal(rd(p, THRESH(H0_M) + 8), 0);
	assert_int_equal(rd(p, PLIC_SIZE - 4), 0);
	/* beyond the region (the bus never sends these; still no harm) */
	assert_int_equal(rd(p, PLIC_SIZE), 0);
	assert_int_equal(rd(p, 0xfffffffffffffffcull), 0);
	wr(p, 0xfffffffffffffffcull, 1);

	/* Every word of the region: reads never fault, and writing all ones
	 * everywhere but the real registers leaves the state alone; so do
	 * reads, except of the real claim registers. (ASan/UBSan catch any
	 * out-of-bounds index.) */
	for (uint64_t off = 0; off < PLIC_SIZE; off += 4) {
		bool ctx = off >= THRESH(0) && off < THRESH(2 * NHARTS);
		bool real =
			(off >= ENABLE(0, 0) && off < ENABLE(2 * NHARTS, 0)) ||
			ctx || off < PENDING(0);
		if (!ctx || off % 0x1000 != 4)
			(void)rd(p, off);
		if (!real)
			wr(p, off, 0xffffffff);
	}
	assert_int_equal(rd(p, PRIO(1)), 1);
	assert_int_equal(rd(p, ENABLE(H0_M, 0)), 2);
	assert_int_equal(rd(p, PENDING(0)), 2);
	assert_true(line(f->harts[0], MIP_MEIP));
	assert_false(line(f->harts[0], MIP_SEIP));
	assert_false(line(f->harts[1], MIP_MEIP));
	assert_false(line(f->harts[1], MIP_SEIP));
	/* now the real ones too, claims included */
	for (uint64_t off = 0; off < PLIC_SIZE; off += 4)
		wr(p, off, 0xffffffff);
	for (uint64_t off = 0; off < PLIC_SIZE; off += 4)
		(void)rd(p, off);
}

static void test_reset(void **state)
{
	struct fixture *f = *state;
	void *p = f->plic;

	wr(p, PRIO(2), 5);
	wr(p, PRIO(3), 5);
	wr(p, THRESH(H1_S), 1);
	enable(p, H0_M, 2);
	enable(p, H1_S, 3);
	plic_set_irq(p, 2, true);
	plic_set_irq(p, 3, true);
	assert_int_equal(rd(p, CLAIM(H0_M)), 2);
	assert_true(line(f->harts[1], MIP_SEIP));

	plic_ops.reset(p);
	assert_false(line(f->harts[0], MIP_MEIP));
	assert_false(line(f->harts[1], MIP_SEIP));
	assert_int_equal(rd(p, PRIO(2)), 0);
	assert_int_equal(rd(p, THRESH(H1_S)), 0);
	assert_int_equal(rd(p, ENABLE(H1_S, 0)), 0);
	/* the inputs are still asserted, the claim is gone: both pending */
	assert_int_equal(rd(p, PENDING(0)), 1u << 2 | 1u << 3);
	wr(p, PRIO(2), 1);
	enable(p, H0_M, 2);
	assert_true(line(f->harts[0], MIP_MEIP));
	assert_int_equal(rd(p, CLAIM(H0_M)), 2);
}

/* Device threads raise and lower lines while the vcpu claims and
 * completes: no deadlock, no lost state, lines settle low at the end. */
struct toggler {
	void *plic;
	unsigned src;
	unsigned rounds;
};

static void *toggle_thread(void *arg)
{
	struct toggler *t = arg;

	for (unsigned i = 0; i < t->rounds; i++)
		plic_set_irq(t->plic, t->src, i & 1);
	plic_set_irq(t->plic, t->src, false);
	return NULL;
}

static void test_threads(void **state)
{
	struct fixture *f = *state;
	void *p = f->plic;
	struct toggler t[2] = {{p, 8, 20000}, {p, 9, 20001}};
	pthread_t th[2];

	for (unsigned s = 8; s <= 9; s++) {
		wr(p, PRIO(s), 1);
		enable(p, H0_S, s);
		enable(p, H1_M, s);
	}
	for (int i = 0; i < 2; i++)
		assert_int_equal(
			pthread_create(&th[i], NULL, toggle_thread, &t[i]), 0);
	for (unsigned i = 0; i < 20000; i++) {
		unsigned ctx = (i & 1) ? H0_S : H1_M;
		uint32_t src = rd(p, CLAIM(ctx));
		assert_true(src == 0 || src == 8 || src == 9);
		if (src)
			wr(p, CLAIM(ctx), src);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(rd(p, PENDING(0)), 0);
	assert_false(line(f->harts[0], MIP_SEIP));
	assert_false(line(f->harts[1], MIP_MEIP));
}

static void test_fdt_node(void **state)
{
	struct fixture *f = *state;
	static const uint32_t intc[NHARTS] = {7, 9};
	struct dev_fdt_ctx ctx = {
		.base = 0x0c000000,
		.size = PLIC_SIZE,
		.phandle = 42,
		.cpu_intc_phandles = intc,
		.nharts = NHARTS,
	};
	char buf[4096];
	const fdt32_t *cells;
	const fdt64_t *reg;
	const char *compat;
	int node, len;

	assert_int_equal(fdt_create(buf, sizeof(buf)), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_int_equal(fdt_property_u32(buf, "#address-cells", 2), 0);
	assert_int_equal(fdt_property_u32(buf, "#size-cells", 2), 0);
	assert_int_equal(plic_ops.fdt(f->plic, buf, &ctx), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
	assert_int_equal(fdt_check_header(buf), 0);

	node = fdt_path_offset(buf, "/plic@c000000");
	assert_true(node >= 0);

	compat = fdt_getprop(buf, node, "compatible", &len);
	assert_non_null(compat);
	assert_int_equal(fdt_stringlist_count(buf, node, "compatible"), 2);
	assert_string_equal(compat, "sifive,plic-1.0.0");
	assert_string_equal(compat + strlen(compat) + 1, "riscv,plic0");
	assert_int_equal(fdt_node_check_compatible(buf, node, "riscv,plic0"),
			 0);

	reg = fdt_getprop(buf, node, "reg", &len);
	assert_non_null(reg);
	assert_int_equal(len, 16);
	assert_int_equal(fdt64_ld(&reg[0]), 0x0c000000);
	assert_int_equal(fdt64_ld(&reg[1]), 0x600000);

	cells = fdt_getprop(buf, node, "#address-cells", &len);
	assert_non_null(cells);
	assert_int_equal(len, 4);
	assert_int_equal(fdt32_ld(&cells[0]), 0);
	cells = fdt_getprop(buf, node, "#interrupt-cells", &len);
	assert_non_null(cells);
	assert_int_equal(fdt32_ld(&cells[0]), 1);
	assert_non_null(fdt_getprop(buf, node, "interrupt-controller", &len));
	assert_int_equal(len, 0);
	cells = fdt_getprop(buf, node, "riscv,ndev", &len);
	assert_non_null(cells);
	assert_int_equal(fdt32_ld(&cells[0]), 0x5f);
	assert_int_equal(fdt_get_phandle(buf, node), 42);
	assert_int_equal(fdt_node_offset_by_phandle(buf, 42), node);

	cells = fdt_getprop(buf, node, "interrupts-extended", &len);
	assert_non_null(cells);
	assert_int_equal(len, NHARTS * 4 * 4);
	static const uint32_t want[] = {7, 11, 7, 9, 9, 11, 9, 9};
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(fdt32_ld(&cells[i]), want[i]);

	/* a hart count that does not match the PLIC's is refused */
	ctx.nharts = 1;
	assert_int_equal(fdt_create(buf, sizeof(buf)), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_true(plic_ops.fdt(f->plic, buf, &ctx) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_new_rejects_bad_counts),
		T(test_claim_empty_returns_zero),
		T(test_priority_order_and_ties),
		T(test_priority_change_reorders),
		T(test_threshold),
		T(test_priority_warl),
		T(test_enable_per_context),
		T(test_level_reasserts_after_complete),
		T(test_bad_complete_ignored),
		T(test_bad_accesses),
		T(test_reset),
		T(test_threads),
		T(test_fdt_node),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
