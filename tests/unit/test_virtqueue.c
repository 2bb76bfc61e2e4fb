// SPDX-License-Identifier: MIT
/* test_virtqueue.c - the virtqueue walker: the tests play the driver,
 * laying out split and packed rings by hand in guest RAM, and check what the
 * device side pops, copies, pushes and decides about notifications - and
 * that every kind of malformed ring is refused with -1 (and the rule it
 * broke) without touching memory outside guest RAM. */
#include <endian.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guest_access.h"
#include "mem/guest_mem.h"
#include "virtio/virtqueue.h"

#define RAM	 0x80000000ull
#define RAM_SIZE 0x100000ull
#define RAM_END	 (RAM + RAM_SIZE)

/* Where the tests put things. */
#define DESC   (RAM + 0x10000) /* up to 4096 descriptors */
#define AVAIL  (RAM + 0x20000) /* split driver area */
#define USED   (RAM + 0x30000) /* split device area */
#define DRV_EV (RAM + 0x20000) /* packed driver area */
#define DEV_EV (RAM + 0x30000) /* packed device area */
#define ITAB   (RAM + 0x3f000) /* indirect tables */
#define BUF    (RAM + 0x40000) /* data buffers */

#define F_NEXT	   VQ_DESC_F_NEXT
#define F_WRITE	   VQ_DESC_F_WRITE
#define F_INDIRECT VQ_DESC_F_INDIRECT

struct fx {
	struct guest_mem mem;
	struct virtqueue vq;
	struct vq_chain chain;
	uint16_t avail_idx; /* split driver: next avail idx */
	/* packed driver */
	uint16_t next;
	bool wrap;
	uint16_t used_next;
	bool used_wrap;
	uint16_t sgs[VQ_MAX_SIZE];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(gmem_init(&f->mem), 0);
	assert_int_equal(gmem_add_ram(&f->mem, RAM, RAM_SIZE), 0);
	f->wrap = f->used_wrap = true;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	gmem_destroy(&f->mem);
	free(f);
	return 0;
}

/* ---- guest memory, little-endian ---------------------------------------- */

/* ---- split driver ------------------------------------------------------- */

/* Fresh, zeroed rings (as a driver allocates them). */
static void clear_rings(struct fx *f)
{
	memset(hp(f, DESC), 0, BUF - DESC);
}

static void split_setup(struct fx *f, uint16_t num, bool event_idx)
{
	clear_rings(f);
	assert_int_equal(vq_setup(&f->vq, &f->mem, num, false, event_idx, DESC,
				  AVAIL, USED),
			 0);
	f->avail_idx = 0;
}

/* A descriptor in a table at base (the ring, or an indirect table). */
static void desc_at(struct fx *f, uint64_t base, unsigned i, uint64_t addr,
		    uint32_t len, uint16_t flags, uint16_t next)
{
	uint64_t d = base + 16ull * i;

	w64(f, d, addr);
	w32(f, d + 8, len);
	w16(f, d + 12, flags);
	w16(f, d + 14, next);
}

static void sdesc(struct fx *f, unsigned i, uint64_t addr, uint32_t len,
		  uint16_t flags, uint16_t next)
{
	desc_at(f, DESC, i, addr, len, flags, next);
}

/* Offers head and publishes it. */
static void savail(struct fx *f, uint16_t head)
{
	w16(f, AVAIL + 4 + 2 * (f->avail_idx % f->vq.num), head);
	f->avail_idx++;
	w16(f, AVAIL + 2, f->avail_idx);
}

static uint16_t used_idx(struct fx *f)
{
	return r16(f, USED + 2);
}

static uint16_t avail_event(struct fx *f)
{
	return r16(f, USED + 4 + 8 * f->vq.num);
}

static void set_used_event(struct fx *f, uint16_t v)
{
	w16(f, AVAIL + 4 + 2 * f->vq.num, v);
}

/* Pops and expects -1 for the given reason; the queue then stays broken. */
static void expect_bad(struct fx *f, const char *why)
{
	uint64_t errors = f->vq.stats.errors;

	assert_int_equal(vq_pop(&f->vq, &f->chain), -1);
	assert_non_null(f->vq.error);
	assert_string_equal(f->vq.error, why);
	assert_int_equal(f->vq.stats.errors, errors + 1);
	assert_int_equal(vq_pop(&f->vq, &f->chain), -1);
}

/* ---- split: good chains ------------------------------------------------- */

static void test_split_simple(void **state)
{
	struct fx *f = *state;
	char hdr[16] = "request header!", got[16];
	const char reply[] = "0123456789abcdefghijklmnopqrstu";

	split_setup(f, 8, false);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 0);
	memcpy(hp(f, BUF), hdr, sizeof(hdr));
	sdesc(f, 5, BUF, 16, F_NEXT, 2);
	sdesc(f, 2, BUF + 0x100, 32, F_WRITE, 0);
	savail(f, 5);

	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.id, 5);
	assert_int_equal(f->chain.nout, 1);
	assert_int_equal(f->chain.nin, 1);
	assert_int_equal(f->chain.out_len, 16);
	assert_int_equal(f->chain.in_len, 32);
	assert_int_equal(f->chain.segs[0].addr, BUF);
	assert_int_equal(f->chain.segs[1].addr, BUF + 0x100);
	assert_int_equal(vq_chain_read(&f->vq, &f->chain, 0, got, 16), 16);
	assert_memory_equal(got, hdr, 16);
	assert_int_equal(vq_chain_write(&f->vq, &f->chain, 0, reply, 32), 32);
	assert_memory_equal(hp(f, BUF + 0x100), reply, 32);

	vq_push(&f->vq, &f->chain, 32);
	assert_int_equal(used_idx(f), 1);
	assert_int_equal(r32(f, USED + 4), 5);
	assert_int_equal(r32(f, USED + 8), 32);
	assert_true(vq_need_interrupt(&f->vq));
	assert_false(vq_need_interrupt(&f->vq)); /* nothing new */
	assert_int_equal(vq_pop(&f->vq, &f->chain), 0);
	assert_int_equal(f->vq.stats.popped, 1);
	assert_int_equal(f->vq.stats.out_bytes, 16);
	assert_int_equal(f->vq.stats.in_bytes, 32);
	assert_int_equal(f->vq.stats.irqs, 1);
}

/* Many requests around the 16-bit index wrap and the ring wrap. */
static void test_split_many_and_index_wrap(void **state)
{
	struct fx *f = *state;

	split_setup(f, 4, false);
	/* Pretend 65534 requests went by already. */
	f->vq.last_avail = f->vq.used_idx = 65534;
	f->avail_idx = 65534;
	for (unsigned r = 0; r < 10; r++) {
		uint16_t head = r % 4;

		sdesc(f, head, BUF + r, 1 + r, r & 1 ? F_WRITE : 0, 0);
		savail(f, head);
		assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
		assert_int_equal(f->chain.id, head);
		assert_int_equal(f->chain.segs[0].len, 1 + r);
		vq_push(&f->vq, &f->chain, 1);
		assert_int_equal(used_idx(f), (uint16_t)(65535 + r));
		assert_int_equal(r32(f, USED + 4 + 8 * ((65534 + r) % 4)),
				 head);
	}
	assert_int_equal(vq_pop(&f->vq, &f->chain), 0);
}

/* Several offered at once, completed out of order. */
static void test_split_batch_out_of_order(void **state)
{
	struct fx *f = *state;
	struct vq_chain *c = malloc(3 * sizeof(*c));

	assert_non_null(c);
	split_setup(f, 8, false);
	for (unsigned i = 0; i < 3; i++) {
		sdesc(f, i, BUF + 0x1000 * i, 100, F_WRITE, 0);
		savail(f, i);
	}
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(vq_pop(&f->vq, &c[i]), 1);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 0);
	vq_push(&f->vq, &c[2], 7);
	vq_push(&f->vq, &c[0], 500); /* clamped to in_len */
	vq_push(&f->vq, &c[1], 0);
	assert_int_equal(used_idx(f), 3);
	assert_int_equal(r32(f, USED + 4), 2);
	assert_int_equal(r32(f, USED + 8), 7);
	assert_int_equal(r32(f, USED + 12), 0);
	assert_int_equal(r32(f, USED + 16), 100);
	assert_int_equal(r32(f, USED + 20), 1);
	free(c);
}

static void test_split_indirect(void **state)
{
	struct fx *f = *state;

	split_setup(f, 8, false);
	/* A lone indirect descriptor; its WRITE flag is ignored. */
	desc_at(f, ITAB, 0, BUF, 8, F_NEXT, 2);
	desc_at(f, ITAB, 2, BUF + 8, 8, F_NEXT, 1);
	desc_at(f, ITAB, 1, BUF + 16, 64, F_WRITE, 0);
	sdesc(f, 3, ITAB, 3 * 16, F_INDIRECT | F_WRITE, 0);
	savail(f, 3);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.id, 3);
	assert_int_equal(f->chain.nout, 2);
	assert_int_equal(f->chain.nin, 1);
	assert_int_equal(f->chain.segs[1].addr, BUF + 8);
	assert_int_equal(f->chain.segs[2].addr, BUF + 16);
	assert_int_equal(f->chain.in_len, 64);

	/* Direct descriptors followed by an indirect one (allowed). */
	sdesc(f, 0, BUF + 0x200, 4, F_NEXT, 6);
	sdesc(f, 6, ITAB, 16, F_INDIRECT, 0);
	desc_at(f, ITAB, 0, BUF + 0x300, 10, F_WRITE, 0);
	savail(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.id, 0);
	assert_int_equal(f->chain.nout, 1);
	assert_int_equal(f->chain.nin, 1);
	assert_int_equal(f->chain.segs[0].addr, BUF + 0x200);
	assert_int_equal(f->chain.segs[1].addr, BUF + 0x300);
}

/* Zero-length descriptors: allowed, no segment, address not looked at, but
 * their flags still count for ordering. */
static void test_split_zero_length(void **state)
{
	struct fx *f = *state;

	split_setup(f, 8, false);
	sdesc(f, 0, BUF, 4, F_NEXT, 1);
	sdesc(f, 1, 0xdead0000000ull, 0, F_NEXT, 2); /* not RAM: fine */
	sdesc(f, 2, BUF + 4, 4, F_WRITE, 0);
	savail(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.nout, 1);
	assert_int_equal(f->chain.nin, 1);
	assert_int_equal(f->chain.ndesc, 3);

	/* A chain of nothing but a zero-length descriptor is empty. */
	sdesc(f, 4, 0, 0, 0, 0);
	savail(f, 4);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.nout + f->chain.nin, 0);
	assert_int_equal(f->chain.out_len + f->chain.in_len, 0);
	vq_push(&f->vq, &f->chain, 99); /* the first one is still ours */
	assert_int_equal(r32(f, USED + 4), 4);
	assert_int_equal(r32(f, USED + 8), 0); /* clamped to in_len */

	/* ...but a zero-length readable one after a writable one is not. */
	sdesc(f, 0, BUF, 4, F_WRITE | F_NEXT, 1);
	sdesc(f, 1, BUF, 0, 0, 0);
	savail(f, 0);
	expect_bad(f, "readable descriptor after a writable one");
}

static void test_chain_copy_offsets(void **state)
{
	struct fx *f = *state;
	uint8_t data[40], got[40];

	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	split_setup(f, 8, false);
	/* out: 3 + 5 + 2 bytes in scattered places; in: 4 + 6 bytes */
	memcpy(hp(f, BUF + 0x000), data, 3);
	memcpy(hp(f, BUF + 0x100), data + 3, 5);
	memcpy(hp(f, BUF + 0x200), data + 8, 2);
	sdesc(f, 0, BUF + 0x000, 3, F_NEXT, 1);
	sdesc(f, 1, BUF + 0x100, 5, F_NEXT, 2);
	sdesc(f, 2, BUF + 0x200, 2, F_NEXT, 3);
	sdesc(f, 3, BUF + 0x300, 4, F_NEXT | F_WRITE, 4);
	sdesc(f, 4, BUF + 0x400, 6, F_WRITE, 0);
	savail(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.out_len, 10);
	assert_int_equal(f->chain.in_len, 10);

	for (size_t off = 0; off <= 10; off++) {
		memset(got, 0, sizeof(got));
		assert_int_equal(vq_chain_read(&f->vq, &f->chain, off, got, 40),
				 10 - off);
		assert_memory_equal(got, data + off, 10 - off);
	}
	assert_int_equal(vq_chain_read(&f->vq, &f->chain, 2, got, 4), 4);
	assert_memory_equal(got, data + 2, 4);
	assert_int_equal(vq_chain_read(&f->vq, &f->chain, 11, got, 4), 0);

	/* Writes land in the writable part only, and are logged dirty. */
	assert_int_equal(gmem_dirty_log_start(&f->mem), 0);
	assert_int_equal(vq_chain_write(&f->vq, &f->chain, 2, data, 40), 8);
	assert_memory_equal(hp(f, BUF + 0x302), data, 2);
	assert_memory_equal(hp(f, BUF + 0x400), data + 2, 6);
	{
		struct mem_slot *s = gmem_find(&f->mem, BUF, 1);
		uint64_t page = (BUF + 0x400 - RAM) >> GUEST_PAGE_SHIFT;

		assert_true(s->dirty[page / 64] & (1ull << (page % 64)));
		/* the used ring store is logged too */
		vq_push(&f->vq, &f->chain, 10);
		page = (USED - RAM) >> GUEST_PAGE_SHIFT;
		assert_true(s->dirty[page / 64] & (1ull << (page % 64)));
	}
	gmem_dirty_log_stop(&f->mem);
}

/* ---- split: notifications ----------------------------------------------- */

static void pop_push_one(struct fx *f, uint16_t head)
{
	sdesc(f, head, BUF, 16, F_WRITE, 0);
	savail(f, head);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	vq_push(&f->vq, &f->chain, 16);
}

static void test_split_event_idx_interrupts(void **state)
{
	struct fx *f = *state;
	unsigned irqs = 0;

	split_setup(f, 8, true);
	/* "Interrupt me when you write used entry 3": only the 4th push. */
	set_used_event(f, 3);
	for (unsigned i = 0; i < 4; i++) {
		pop_push_one(f, (uint16_t)i);
		irqs += vq_need_interrupt(&f->vq);
		assert_int_equal(irqs, i == 3);
	}
	assert_int_equal(f->vq.stats.irqs, 1);
	assert_int_equal(f->vq.stats.irqs_suppressed, 3);

	/* Batched: four pushes, one decision, event inside the batch. */
	set_used_event(f, 5);
	for (unsigned i = 0; i < 4; i++)
		pop_push_one(f, (uint16_t)i);
	assert_true(vq_need_interrupt(&f->vq));
	/* Event already behind us: quiet. */
	pop_push_one(f, 0);
	assert_false(vq_need_interrupt(&f->vq));
	/* NO_INTERRUPT is ignored with event index. */
	w16(f, AVAIL, VQ_AVAIL_F_NO_INTERRUPT);
	set_used_event(f, used_idx(f));
	pop_push_one(f, 1);
	assert_true(vq_need_interrupt(&f->vq));
}

static void test_split_event_idx_wraps(void **state)
{
	struct fx *f = *state;

	split_setup(f, 8, true);
	f->vq.last_avail = f->vq.used_idx = f->avail_idx = 65534;
	set_used_event(f, 65535);
	pop_push_one(f, 0); /* used idx 65534 -> 65535 */
	assert_false(vq_need_interrupt(&f->vq));
	pop_push_one(f, 1); /* 65535 -> 0: entry 65535 written */
	assert_true(vq_need_interrupt(&f->vq));
	set_used_event(f, 1);
	pop_push_one(f, 2);
	pop_push_one(f, 3);
	assert_true(vq_need_interrupt(&f->vq));
}

static void test_split_no_interrupt_flag(void **state)
{
	struct fx *f = *state;

	split_setup(f, 8, false);
	w16(f, AVAIL, VQ_AVAIL_F_NO_INTERRUPT);
	pop_push_one(f, 0);
	assert_false(vq_need_interrupt(&f->vq));
	w16(f, AVAIL, 0);
	pop_push_one(f, 1);
	assert_true(vq_need_interrupt(&f->vq));
	assert_false(vq_need_interrupt(&f->vq)); /* nothing pushed since */
	assert_int_equal(f->vq.stats.irqs, 1);
	assert_int_equal(f->vq.stats.irqs_suppressed, 1);
}

static void test_split_kicks_flags(void **state)
{
	struct fx *f = *state;

	split_setup(f, 8, false);
	assert_int_equal(r16(f, USED), 0);
	vq_disable_kicks(&f->vq);
	assert_int_equal(r16(f, USED), VQ_USED_F_NO_NOTIFY);
	assert_false(vq_enable_kicks(&f->vq)); /* empty */
	assert_int_equal(r16(f, USED), 0);
	vq_disable_kicks(&f->vq);
	sdesc(f, 0, BUF, 1, 0, 0);
	savail(f, 0);
	assert_true(vq_enable_kicks(&f->vq)); /* arrived while disabled */
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_false(vq_enable_kicks(&f->vq));
	vq_note_kick(&f->vq);
	assert_int_equal(f->vq.stats.kicks, 1);
}

/* The driver kicks iff vq_need_event(avail_event, new, old) for its
 * new/old avail idx; check what the device leaves there. */
static void test_split_kicks_event_idx(void **state)
{
	struct fx *f = *state;
	uint16_t old;

	split_setup(f, 8, true);
	assert_int_equal(avail_event(f), 0);
	/* Enabled: every pop moves avail_event to the next entry. */
	for (unsigned i = 0; i < 3; i++) {
		old = f->avail_idx;
		sdesc(f, 0, BUF, 1, 0, 0);
		savail(f, 0);
		assert_true(vq_need_event(avail_event(f), f->avail_idx, old));
		assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
		assert_int_equal(avail_event(f), f->avail_idx);
	}
	/* Disabled: the driver does not kick for new entries. */
	vq_disable_kicks(&f->vq);
	for (unsigned i = 0; i < 3; i++) {
		old = f->avail_idx;
		savail(f, 0);
		assert_false(vq_need_event(avail_event(f), f->avail_idx, old));
		assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	}
	assert_int_equal(r16(f, USED), 0); /* flags stay 0 with event idx */
	/* Re-enabled on an empty ring: the next entry kicks. */
	assert_false(vq_enable_kicks(&f->vq));
	old = f->avail_idx;
	savail(f, 0);
	assert_true(vq_need_event(avail_event(f), f->avail_idx, old));
}

/* ---- split: malformed rings --------------------------------------------- */

static void test_split_bad_loop(void **state)
{
	struct fx *f = *state;

	split_setup(f, 8, false);
	sdesc(f, 0, BUF, 1, F_NEXT, 1);
	sdesc(f, 1, BUF, 1, F_NEXT, 0); /* a -> b -> a */
	savail(f, 0);
	expect_bad(f, "loop in descriptor chain");

	/* A self-loop. */
	split_setup(f, 8, false);
	sdesc(f, 3, BUF, 1, F_NEXT, 3);
	savail(f, 3);
	expect_bad(f, "loop in descriptor chain");

	/* A loop inside an indirect table. */
	split_setup(f, 8, false);
	desc_at(f, ITAB, 0, BUF, 1, F_NEXT, 1);
	desc_at(f, ITAB, 1, BUF, 1, F_NEXT, 0);
	sdesc(f, 0, ITAB, 32, F_INDIRECT, 0);
	savail(f, 0);
	expect_bad(f, "loop in indirect table");
}

static void test_split_chain_as_long_as_queue(void **state)
{
	struct fx *f = *state;

	/* All num descriptors in one chain is the longest legal chain. */
	split_setup(f, 8, false);
	for (unsigned i = 0; i < 8; i++)
		sdesc(f, i, BUF + i, 1, i < 7 ? F_NEXT : 0, (uint16_t)(i + 1));
	savail(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.nout, 8);
	/* Starting in the middle, the 9th step is a loop. */
	sdesc(f, 7, BUF, 1, F_NEXT, 0);
	savail(f, 1);
	expect_bad(f, "loop in descriptor chain");
}

static void test_split_bad_indices(void **state)
{
	struct fx *f = *state;

	split_setup(f, 8, false);
	sdesc(f, 0, BUF, 1, F_NEXT, 8); /* next == num */
	savail(f, 0);
	expect_bad(f, "next index out of range");

	split_setup(f, 8, false);
	savail(f, 8); /* head == num */
	expect_bad(f, "head index out of range");

	split_setup(f, 8, false);
	savail(f, 0xffff);
	expect_bad(f, "head index out of range");

	/* next beyond an indirect table's own length */
	split_setup(f, 8, false);
	desc_at(f, ITAB, 0, BUF, 1, F_NEXT, 2);
	sdesc(f, 0, ITAB, 32, F_INDIRECT, 0);
	savail(f, 0);
	expect_bad(f, "next index out of range");
}

static void test_split_avail_idx_jump(void **state)
{
	struct fx *f = *state;

	split_setup(f, 8, false);
	sdesc(f, 0, BUF, 1, 0, 0);
	/* 8 pending is fine (full ring)... */
	w16(f, AVAIL + 2, 8);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	/* ...9 beyond what we consumed is not. */
	w16(f, AVAIL + 2, 10);
	expect_bad(f, "avail idx ahead by more than the queue size");
	/* Going backwards looks like a huge jump too. */
	split_setup(f, 8, false);
	w16(f, AVAIL + 2, 0xffff);
	expect_bad(f, "avail idx ahead by more than the queue size");
}

static void test_split_bad_buffers(void **state)
{
	struct fx *f = *state;
	static const struct {
		uint64_t addr;
		uint32_t len;
	} bad[] = {
		{RAM_END - 8, 16},	  /* straddles the end */
		{RAM_END, 1},		  /* just past it */
		{RAM - 1, 2},		  /* straddles the start */
		{0, 16},		  /* not RAM at all */
		{UINT64_MAX - 7, 16},	  /* addr + len wraps */
		{UINT64_MAX, 1},	  /* the very last byte */
		{RAM + 0x10, 0xffffffff}, /* longer than RAM */
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		split_setup(f, 8, false);
		sdesc(f, 0, BUF, 4, F_NEXT, 1);
		sdesc(f, 1, bad[i].addr, bad[i].len, F_WRITE, 0);
		savail(f, 0);
		expect_bad(f, "buffer outside guest RAM");
	}
	/* The last bytes of RAM are fine. */
	split_setup(f, 8, false);
	sdesc(f, 0, RAM_END - 16, 16, 0, 0);
	savail(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
}

static void test_split_bad_indirect(void **state)
{
	struct fx *f = *state;
	static const uint32_t bad_len[] = {0, 15, 17, 24};

	for (unsigned i = 0; i < 4; i++) {
		split_setup(f, 8, false);
		sdesc(f, 0, ITAB, bad_len[i], F_INDIRECT, 0);
		savail(f, 0);
		expect_bad(f, "indirect table empty or not a multiple of 16");
	}

	split_setup(f, 8, false);
	desc_at(f, ITAB, 0, ITAB + 0x100, 16, F_INDIRECT, 0);
	desc_at(f, ITAB + 0x100, 0, BUF, 1, 0, 0);
	sdesc(f, 0, ITAB, 16, F_INDIRECT, 0);
	savail(f, 0);
	expect_bad(f, "nested indirect descriptor");

	split_setup(f, 8, false);
	desc_at(f, ITAB, 0, BUF, 1, 0, 0);
	sdesc(f, 0, ITAB, 16, F_INDIRECT | F_NEXT, 1);
	sdesc(f, 1, BUF, 1, 0, 0);
	savail(f, 0);
	expect_bad(f, "indirect descriptor with NEXT");

	split_setup(f, 8, false);
	sdesc(f, 0, RAM_END - 16, 32, F_INDIRECT, 0);
	savail(f, 0);
	expect_bad(f, "indirect table outside guest RAM");

	split_setup(f, 8, false);
	sdesc(f, 0, UINT64_MAX - 15, 32, F_INDIRECT, 0);
	savail(f, 0);
	expect_bad(f, "indirect table outside guest RAM");

	split_setup(f, 8, false);
	sdesc(f, 0, ITAB, 16 * (VQ_MAX_SEGS + 1), F_INDIRECT, 0);
	savail(f, 0);
	expect_bad(f, "indirect table too long");

	/* A table of exactly VQ_MAX_SEGS entries is fine. */
	split_setup(f, 8, false);
	for (unsigned i = 0; i < VQ_MAX_SEGS; i++)
		desc_at(f, BUF, i, BUF, 1, i + 1 < VQ_MAX_SEGS ? F_NEXT : 0,
			(uint16_t)(i + 1));
	sdesc(f, 0, BUF, 16 * VQ_MAX_SEGS, F_INDIRECT, 0);
	savail(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.nout, VQ_MAX_SEGS);
}

static void test_split_readable_after_writable(void **state)
{
	struct fx *f = *state;

	split_setup(f, 8, false);
	sdesc(f, 0, BUF, 4, F_WRITE | F_NEXT, 1);
	sdesc(f, 1, BUF, 4, 0, 0);
	savail(f, 0);
	expect_bad(f, "readable descriptor after a writable one");

	/* Also across the ring -> indirect table boundary. */
	split_setup(f, 8, false);
	sdesc(f, 0, BUF, 4, F_WRITE | F_NEXT, 1);
	sdesc(f, 1, ITAB, 16, F_INDIRECT | F_WRITE, 0);
	desc_at(f, ITAB, 0, BUF, 4, 0, 0);
	savail(f, 0);
	expect_bad(f, "readable descriptor after a writable one");
}

static void test_split_too_many_segments(void **state)
{
	struct fx *f = *state;

	split_setup(f, 2048, false);
	for (unsigned i = 0; i <= VQ_MAX_SEGS; i++)
		sdesc(f, i, BUF, 1, F_NEXT, (uint16_t)(i + 1));
	sdesc(f, VQ_MAX_SEGS, BUF, 1, 0, 0);
	savail(f, 0);
	expect_bad(f, "chain has too many segments");
}

/* 2^32 bytes needs more than 1 MiB of RAM: a sparse 4 GiB slot. */
static void test_split_total_length(void **state)
{
	struct fx *f = *state;
	const uint64_t big = 0x100000000ull;

	assert_int_equal(gmem_add_ram(&f->mem, big, 0x100000000ull), 0);
	split_setup(f, 8, false);
	sdesc(f, 0, big, 0x80000000u, F_NEXT, 1);
	sdesc(f, 1, big, 0x7fffffffu, 0, 0);
	savail(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.out_len, UINT32_MAX);
	sdesc(f, 1, big, 0x80000000u, 0, 0);
	savail(f, 0);
	expect_bad(f, "chain longer than 2^32 bytes");
}

static void test_broken_until_setup(void **state)
{
	struct fx *f = *state;

	split_setup(f, 8, false);
	savail(f, 9);
	expect_bad(f, "head index out of range");
	/* Fixing the ring does not help: the device must be reset. */
	w16(f, AVAIL + 4, 0);
	sdesc(f, 0, BUF, 1, 0, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), -1);
	split_setup(f, 8, false);
	assert_null(f->vq.error);
	assert_int_equal(f->vq.stats.errors, 1); /* stats survive */
	sdesc(f, 0, BUF, 1, 0, 0);
	savail(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	vq_reset(&f->vq);
	assert_false(f->vq.ready);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 0);
	assert_false(vq_need_interrupt(&f->vq));
}

/* ---- setup -------------------------------------------------------------- */

static void test_setup_rules(void **state)
{
	struct fx *f = *state;
	struct virtqueue *vq = &f->vq;
	struct guest_mem *m = &f->mem;

	assert_int_equal(vq_setup(vq, m, 256, false, true, DESC, AVAIL, USED),
			 0);
	assert_true(vq->ready);
	/* split sizes: power of two, 1..32768 */
	assert_int_not_equal(
		vq_setup(vq, m, 0, false, false, DESC, AVAIL, USED), 0);
	assert_false(vq->ready);
	assert_int_not_equal(
		vq_setup(vq, m, 3, false, false, DESC, AVAIL, USED), 0);
	assert_int_not_equal(
		vq_setup(vq, m, 96, false, false, DESC, AVAIL, USED), 0);
	assert_int_not_equal(
		vq_setup(vq, m, 65535, false, false, DESC, AVAIL, USED), 0);
	assert_int_equal(vq_setup(vq, m, 1, false, false, DESC, AVAIL, USED),
			 0);
	/* packed sizes: any 1..32768 */
	assert_int_equal(vq_setup(vq, m, 3, true, false, DESC, DRV_EV, DEV_EV),
			 0);
	assert_int_equal(
		vq_setup(vq, m, 1000, true, true, DESC, DRV_EV, DEV_EV), 0);
	assert_int_not_equal(
		vq_setup(vq, m, 0, true, false, DESC, DRV_EV, DEV_EV), 0);
	assert_int_not_equal(
		vq_setup(vq, m, 40000, true, false, DESC, DRV_EV, DEV_EV), 0);
	/* split alignment: desc 16, avail 2, used 4 */
	assert_int_not_equal(
		vq_setup(vq, m, 8, false, false, DESC + 8, AVAIL, USED), 0);
	assert_int_equal(
		vq_setup(vq, m, 8, false, false, DESC, AVAIL + 2, USED + 4), 0);
	assert_int_not_equal(
		vq_setup(vq, m, 8, false, false, DESC, AVAIL + 1, USED), 0);
	assert_int_not_equal(
		vq_setup(vq, m, 8, false, false, DESC, AVAIL, USED + 2), 0);
	/* packed alignment: desc 16, event structures 4 */
	assert_int_not_equal(
		vq_setup(vq, m, 8, true, false, DESC + 4, DRV_EV, DEV_EV), 0);
	assert_int_not_equal(
		vq_setup(vq, m, 8, true, false, DESC, DRV_EV + 2, DEV_EV), 0);
	assert_int_not_equal(
		vq_setup(vq, m, 8, true, false, DESC, DRV_EV, DEV_EV + 2), 0);
	/* rings straddling the end of RAM: the trailing event fields count */
	assert_int_equal(
		vq_setup(vq, m, 8, false, false, RAM_END - 128, AVAIL, USED),
		0);
	assert_int_not_equal(
		vq_setup(vq, m, 16, false, false, RAM_END - 128, AVAIL, USED),
		0);
	assert_int_equal(
		vq_setup(vq, m, 8, false, false, DESC, RAM_END - 22, USED), 0);
	assert_int_not_equal(
		vq_setup(vq, m, 8, false, false, DESC, RAM_END - 20, USED), 0);
	assert_int_equal(
		vq_setup(vq, m, 8, false, false, DESC, AVAIL, RAM_END - 72), 0);
	assert_int_not_equal(
		vq_setup(vq, m, 8, false, false, DESC, AVAIL, RAM_END - 68), 0);
	assert_int_equal(
		vq_setup(vq, m, 8, true, false, DESC, RAM_END - 4, RAM_END - 8),
		0);
	assert_int_not_equal(
		vq_setup(vq, m, 8, true, false, DESC, RAM_END, DEV_EV), 0);
	/* outside RAM, or wrapping the address space */
	assert_int_not_equal(vq_setup(vq, m, 8, false, false, 0, AVAIL, USED),
			     0);
	assert_int_not_equal(
		vq_setup(vq, m, 8, false, false, DESC, AVAIL, UINT64_MAX - 3),
		0);
	assert_int_not_equal(vq_setup(vq, m, 8, true, false, UINT64_MAX - 15,
				      DRV_EV, DEV_EV),
			     0);
	assert_int_not_equal(
		vq_setup(vq, m, 8, false, false, RAM - 64, AVAIL, USED), 0);
	assert_false(vq->ready);
	assert_int_equal(vq_pop(vq, &f->chain), 0);
}

/* ---- packed driver ------------------------------------------------------ */

static void packed_setup(struct fx *f, uint16_t num, bool event_idx)
{
	clear_rings(f);
	assert_int_equal(vq_setup(&f->vq, &f->mem, num, true, event_idx, DESC,
				  DRV_EV, DEV_EV),
			 0);
	f->next = f->used_next = 0;
	f->wrap = f->used_wrap = true;
}

static uint16_t avail_bits(bool wrap)
{
	return wrap ? VQ_DESC_F_AVAIL : VQ_DESC_F_USED;
}

/* Writes one packed descriptor at pos; flags get AVAIL/USED for wrap. */
static void pdesc(struct fx *f, uint16_t pos, uint64_t addr, uint32_t len,
		  uint16_t id, uint16_t flags, bool wrap)
{
	uint64_t d = DESC + 16ull * pos;

	w64(f, d, addr);
	w32(f, d + 8, len);
	w16(f, d + 12, id);
	w16(f, d + 14, flags | avail_bits(wrap));
}

/* An entry of a packed indirect table: the packed layout, flags raw. */
static void ptab(struct fx *f, unsigned i, uint64_t addr, uint32_t len,
		 uint16_t id, uint16_t flags)
{
	uint64_t d = ITAB + 16ull * i;

	w64(f, d, addr);
	w32(f, d + 8, len);
	w16(f, d + 12, id);
	w16(f, d + 14, flags);
}

/* Makes a list of n descriptors available the way the spec's example driver
 * does: the head's flags last. Buffers are readable, the last one writable. */
static void padd(struct fx *f, unsigned n, uint16_t id)
{
	uint16_t first = f->next, head_flags = 0;
	bool first_wrap = f->wrap;

	for (unsigned j = 0; j < n; j++) {
		uint16_t fl =
			(j + 1 < n ? F_NEXT : 0) | (j + 1 == n ? F_WRITE : 0);

		if (j == 0) {
			head_flags = fl;
			pdesc(f, f->next, BUF + 0x100 * j, 16, 0, fl, !f->wrap);
		} else {
			pdesc(f, f->next, BUF + 0x100 * j, 16, id, fl, f->wrap);
		}
		if (j + 1 == n)
			w16(f, DESC + 16ull * f->next + 12, id);
		if (++f->next == f->vq.num) {
			f->next = 0;
			f->wrap = !f->wrap;
		}
	}
	f->sgs[id] = (uint16_t)n;
	w16(f, DESC + 16ull * first + 14, head_flags | avail_bits(first_wrap));
}

/* The driver's view: the next used buffer's id, or -1. */
static int pused(struct fx *f, uint32_t *len)
{
	uint64_t d = DESC + 16ull * f->used_next;
	uint16_t flags = r16(f, d + 14);
	uint16_t id;

	if (!!(flags & VQ_DESC_F_USED) != f->used_wrap ||
	    !!(flags & VQ_DESC_F_AVAIL) != f->used_wrap)
		return -1;
	id = r16(f, d + 12);
	if (len)
		*len = r32(f, d + 8);
	f->used_next += f->sgs[id];
	if (f->used_next >= f->vq.num) {
		f->used_next -= f->vq.num;
		f->used_wrap = !f->used_wrap;
	}
	return id;
}

/* ---- packed: good lists ------------------------------------------------- */

static void test_packed_simple(void **state)
{
	struct fx *f = *state;
	uint32_t len;

	packed_setup(f, 8, false);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 0);
	padd(f, 3, 6);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.id, 6);
	assert_int_equal(f->chain.ndesc, 3);
	assert_int_equal(f->chain.nout, 2);
	assert_int_equal(f->chain.nin, 1);
	assert_int_equal(f->chain.segs[2].addr, BUF + 0x200);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 0);
	assert_int_equal(pused(f, NULL), -1);
	vq_push(&f->vq, &f->chain, 5);
	/* used: id, len, AVAIL == USED == wrap, WRITE since len is valid */
	assert_int_equal(r16(f, DESC + 14),
			 VQ_DESC_F_AVAIL | VQ_DESC_F_USED | VQ_DESC_F_WRITE);
	assert_int_equal(pused(f, &len), 6);
	assert_int_equal(len, 5);
	assert_int_equal(f->vq.used_idx, 3);
	assert_int_equal(f->vq.inflight, 0);
	assert_true(vq_need_interrupt(&f->vq));
}

/* Lists of 1..3 descriptors on a 5-entry ring, two in flight at a time and
 * completed in reverse: crosses the ring end many times. */
static void test_packed_wrap_around(void **state)
{
	struct fx *f = *state;
	struct vq_chain *c = malloc(2 * sizeof(*c));

	assert_non_null(c);
	packed_setup(f, 5, false);
	for (unsigned r = 0; r < 40; r++) {
		unsigned n1 = 1 + r % 2, n2 = 1 + (r / 2) % 3;
		uint16_t id1 = r % 5, id2 = (r + 1) % 5;
		uint32_t len;

		padd(f, n1, id1);
		padd(f, n2, id2);
		assert_int_equal(vq_pop(&f->vq, &c[0]), 1);
		assert_int_equal(vq_pop(&f->vq, &c[1]), 1);
		assert_int_equal(vq_pop(&f->vq, &f->chain), 0);
		assert_int_equal(c[0].id, id1);
		assert_int_equal(c[0].ndesc, n1);
		assert_int_equal(c[1].id, id2);
		assert_int_equal(c[1].ndesc, n2);
		assert_int_equal(f->vq.inflight, n1 + n2);
		vq_push(&f->vq, &c[1], 2);
		vq_push(&f->vq, &c[0], 1);
		assert_int_equal(pused(f, &len), id2);
		assert_int_equal(len, 2);
		assert_int_equal(pused(f, &len), id1);
		assert_int_equal(len, 1);
		assert_int_equal(pused(f, NULL), -1);
		assert_int_equal(f->vq.last_avail, f->next);
		assert_int_equal(f->vq.avail_wrap, f->wrap);
		assert_int_equal(f->vq.used_idx, f->used_next);
		assert_int_equal(f->vq.used_wrap, f->used_wrap);
	}
	free(c);
}

static void test_packed_indirect(void **state)
{
	struct fx *f = *state;

	packed_setup(f, 4, false);
	/* Table entries: only WRITE counts; NEXT/INDIRECT/ids are ignored. */
	ptab(f, 0, BUF, 8, 0x1234, F_NEXT);
	ptab(f, 1, BUF + 8, 8, 0, F_INDIRECT | VQ_DESC_F_AVAIL);
	ptab(f, 2, BUF + 16, 32, 0, F_WRITE);
	pdesc(f, 0, ITAB, 48, 3, F_INDIRECT | F_WRITE, true);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.id, 3);
	assert_int_equal(f->chain.ndesc, 1);
	assert_int_equal(f->chain.nout, 2);
	assert_int_equal(f->chain.nin, 1);
	assert_int_equal(f->chain.in_len, 32);
	assert_int_equal(f->vq.last_avail, 1);
}

static void test_packed_zero_length(void **state)
{
	struct fx *f = *state;

	packed_setup(f, 4, false);
	pdesc(f, 1, 0xdead000000ull, 0, 0, F_WRITE, true);
	pdesc(f, 0, BUF, 16, 0, F_NEXT, true);
	w16(f, DESC + 16 + 12, 2);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(f->chain.id, 2);
	assert_int_equal(f->chain.ndesc, 2);
	assert_int_equal(f->chain.nout, 1);
	assert_int_equal(f->chain.nin, 0);
}

/* ---- packed: notifications ---------------------------------------------- */

static void set_driver_event(struct fx *f, uint16_t flags, uint16_t off,
			     bool wrap)
{
	w16(f, DRV_EV, (uint16_t)(off | (wrap ? 0x8000 : 0)));
	w16(f, DRV_EV + 2, flags);
}

static void ppop_push_one(struct fx *f)
{
	padd(f, 1, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	vq_push(&f->vq, &f->chain, 0);
	assert_int_equal(pused(f, NULL), 0);
}

static void test_packed_interrupts(void **state)
{
	struct fx *f = *state;
	unsigned irqs = 0, pushes = 0;
	bool got[12];

	packed_setup(f, 8, true);
	set_driver_event(f, VQ_EVENT_F_DISABLE, 0, true);
	ppop_push_one(f);
	assert_false(vq_need_interrupt(&f->vq));
	set_driver_event(f, VQ_EVENT_F_ENABLE, 0, true);
	ppop_push_one(f);
	assert_true(vq_need_interrupt(&f->vq));
	assert_int_equal(f->vq.used_idx, 2);

	/* DESC: notify when position 4 of this lap is used, then position 1
	 * of the next lap. */
	set_driver_event(f, VQ_EVENT_F_DESC, 4, true);
	for (unsigned i = 0; i < 9; i++) {
		ppop_push_one(f);
		pushes++;
		got[i] = vq_need_interrupt(&f->vq);
		irqs += got[i];
		if (got[i])
			set_driver_event(f, VQ_EVENT_F_DESC, 1, false);
	}
	/* writes positions 2,3,4 | 5,6,7,0,1 | 2 */
	assert_int_equal(irqs, 2);
	assert_true(got[2]);
	assert_true(got[7]);
	assert_int_equal(f->vq.stats.irqs, 3);
	assert_int_equal(f->vq.stats.irqs_suppressed, 1 + pushes - 2);
}

/* One decision for a batch that crosses the ring end, with the event on
 * the previous lap. */
static void test_packed_interrupt_batch_across_wrap(void **state)
{
	struct fx *f = *state;

	packed_setup(f, 8, true);
	set_driver_event(f, VQ_EVENT_F_DISABLE, 0, true);
	for (unsigned i = 0; i < 6; i++)
		ppop_push_one(f);
	assert_false(vq_need_interrupt(&f->vq));
	set_driver_event(f, VQ_EVENT_F_DESC, 7, true);
	for (unsigned i = 0; i < 3; i++) /* positions 6, 7, 0 */
		ppop_push_one(f);
	assert_int_equal(f->vq.used_idx, 1);
	assert_false(f->vq.used_wrap);
	assert_true(vq_need_interrupt(&f->vq));
	/* An event further back (position 5, already signalled) is quiet. */
	set_driver_event(f, VQ_EVENT_F_DESC, 5, true);
	ppop_push_one(f);
	ppop_push_one(f);
	assert_false(vq_need_interrupt(&f->vq));
	/* A full lap without a decision: notify whatever the event says. */
	for (unsigned i = 0; i < 8; i++)
		ppop_push_one(f);
	assert_true(vq_need_interrupt(&f->vq));
	/* DESC without the feature negotiated is treated as ENABLE. */
	packed_setup(f, 8, false);
	set_driver_event(f, VQ_EVENT_F_DESC, 5, true);
	ppop_push_one(f);
	assert_true(vq_need_interrupt(&f->vq));
}

static void test_packed_kicks(void **state)
{
	struct fx *f = *state;

	packed_setup(f, 8, false);
	assert_int_equal(r16(f, DEV_EV + 2), VQ_EVENT_F_ENABLE);
	vq_disable_kicks(&f->vq);
	assert_int_equal(r16(f, DEV_EV + 2), VQ_EVENT_F_DISABLE);
	assert_false(vq_enable_kicks(&f->vq));
	assert_int_equal(r16(f, DEV_EV + 2), VQ_EVENT_F_ENABLE);
	vq_disable_kicks(&f->vq);
	padd(f, 2, 1);
	assert_true(vq_enable_kicks(&f->vq));

	/* With event index: DESC at the next position we will read. */
	packed_setup(f, 4, true);
	assert_int_equal(r16(f, DEV_EV + 2), VQ_EVENT_F_DESC);
	assert_int_equal(r16(f, DEV_EV), 0x8000);
	padd(f, 3, 1);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(r16(f, DEV_EV), 3 | 0x8000);
	vq_push(&f->vq, &f->chain, 0);
	padd(f, 2, 2); /* positions 3, 0 */
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	assert_int_equal(r16(f, DEV_EV), 1); /* next lap: wrap 0 */
	vq_disable_kicks(&f->vq);
	assert_int_equal(r16(f, DEV_EV + 2), VQ_EVENT_F_DISABLE);
	assert_false(vq_enable_kicks(&f->vq));
	assert_int_equal(r16(f, DEV_EV + 2), VQ_EVENT_F_DESC);
	assert_int_equal(r16(f, DEV_EV), 1);
}

/* ---- packed: malformed rings -------------------------------------------- */

static void test_packed_wrap_bits(void **state)
{
	struct fx *f = *state;

	/* A head that looks used (AVAIL == USED), or available for the other
	 * lap, is simply not available: nothing to do, no error. */
	packed_setup(f, 4, false);
	w16(f, DESC + 14, VQ_DESC_F_AVAIL | VQ_DESC_F_USED);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 0);
	w16(f, DESC + 14, VQ_DESC_F_USED);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 0);
	w16(f, DESC + 14, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 0);
	assert_false(f->vq.broken);

	/* A list whose later descriptor is not available is malformed. */
	packed_setup(f, 4, false);
	pdesc(f, 0, BUF, 4, 0, F_NEXT, true);
	pdesc(f, 1, BUF, 4, 1, 0, false); /* wrong wrap bits */
	expect_bad(f, "list runs into a descriptor that is not available");

	/* Across the ring end the continuation needs the toggled counter. */
	packed_setup(f, 4, false);
	padd(f, 3, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	vq_push(&f->vq, &f->chain, 0);
	pdesc(f, 3, BUF, 4, 0, F_NEXT, true);
	pdesc(f, 0, BUF, 4, 1, 0, true); /* should be wrap 0 now */
	expect_bad(f, "list runs into a descriptor that is not available");
}

static void test_packed_bad_id(void **state)
{
	struct fx *f = *state;

	packed_setup(f, 4, false);
	pdesc(f, 0, BUF, 4, 4, 0, true);
	expect_bad(f, "buffer id out of range");

	packed_setup(f, 4, false);
	pdesc(f, 0, ITAB, 16, 0xffff, F_INDIRECT, true);
	ptab(f, 0, BUF, 4, 0, 0);
	expect_bad(f, "buffer id out of range");
}

static void test_packed_bad_lists(void **state)
{
	struct fx *f = *state;

	/* Every descriptor has NEXT: the list runs into its own head. */
	packed_setup(f, 4, false);
	for (uint16_t i = 0; i < 4; i++)
		pdesc(f, i, BUF, 4, 0, F_NEXT, true);
	expect_bad(f, "chain longer than the free ring");

	/* A list running into descriptors still in flight. */
	packed_setup(f, 4, false);
	padd(f, 3, 0);
	assert_int_equal(vq_pop(&f->vq, &f->chain), 1);
	pdesc(f, 3, BUF, 4, 1, F_NEXT, true);
	pdesc(f, 0, BUF, 4, 1, 0, false); /* slot 0 is still ours */
	expect_bad(f, "chain longer than the free ring");

	packed_setup(f, 4, false);
	pdesc(f, 0, ITAB, 16, 0, F_INDIRECT | F_NEXT, true);
	pdesc(f, 1, BUF, 4, 0, 0, true);
	expect_bad(f, "indirect descriptor in a chain");

	packed_setup(f, 4, false);
	pdesc(f, 0, BUF, 4, 0, F_NEXT, true);
	pdesc(f, 1, ITAB, 16, 0, F_INDIRECT, true);
	ptab(f, 0, BUF, 4, 0, 0);
	expect_bad(f, "indirect descriptor in a chain");

	packed_setup(f, 4, false);
	pdesc(f, 0, ITAB, 24, 0, F_INDIRECT, true);
	expect_bad(f, "indirect table empty or not a multiple of 16");

	packed_setup(f, 4, false);
	pdesc(f, 0, BUF, 4, 0, F_NEXT | F_WRITE, true);
	pdesc(f, 1, BUF, 4, 0, 0, true);
	expect_bad(f, "readable descriptor after a writable one");

	packed_setup(f, 4, false);
	pdesc(f, 0, ITAB, 32, 0, F_INDIRECT, true);
	ptab(f, 0, BUF, 4, 0, F_WRITE);
	ptab(f, 1, BUF, 4, 0, 0);
	expect_bad(f, "readable descriptor after a writable one");

	packed_setup(f, 4, false);
	pdesc(f, 0, RAM_END - 4, 8, 0, 0, true);
	expect_bad(f, "buffer outside guest RAM");

	packed_setup(f, 4, false);
	pdesc(f, 0, ITAB, 16, 0, F_INDIRECT, true);
	ptab(f, 0, UINT64_MAX, 2, 0, 0);
	expect_bad(f, "buffer outside guest RAM");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_split_simple),
		T(test_split_many_and_index_wrap),
		T(test_split_batch_out_of_order),
		T(test_split_indirect),
		T(test_split_zero_length),
		T(test_chain_copy_offsets),
		T(test_split_event_idx_interrupts),
		T(test_split_event_idx_wraps),
		T(test_split_no_interrupt_flag),
		T(test_split_kicks_flags),
		T(test_split_kicks_event_idx),
		T(test_split_bad_loop),
		T(test_split_chain_as_long_as_queue),
		T(test_split_bad_indices),
		T(test_split_avail_idx_jump),
		T(test_split_bad_buffers),
		T(test_split_bad_indirect),
		T(test_split_readable_after_writable),
		T(test_split_too_many_segments),
		T(test_split_total_length),
		T(test_broken_until_setup),
		T(test_setup_rules),
		T(test_packed_simple),
		T(test_packed_wrap_around),
		T(test_packed_indirect),
		T(test_packed_zero_length),
		T(test_packed_interrupts),
		T(test_packed_interrupt_batch_across_wrap),
		T(test_packed_kicks),
		T(test_packed_wrap_bits),
		T(test_packed_bad_id),
		T(test_packed_bad_lists),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
