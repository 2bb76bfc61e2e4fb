// SPDX-License-Identifier: MIT
/* test_virtio_blk.c - virtio-blk against a temporary image file. The tests
 * play the driver through the transport's registers (virtio_mmio_ops on a
 * struct virtio_mmio), with a split ring laid out by hand in guest RAM, and
 * check what lands in the image and in guest memory. Every I/O test runs
 * twice: with io_uring and with the preadv/pwritev worker threads
 * (RVISOR_NO_IO_URING=1). */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "guest_access.h"
#include "mem/guest_mem.h"
#include "virtio/blk.h"
#include "virtio/mmio.h"

#define RAM	 0x80000000ull
#define RAM_SIZE (4ull << 20)

#define QNUM	  128
#define DESC	  (RAM + 0x0000) /* QNUM * 16 */
#define AVAIL	  (RAM + 0x1000)
#define USED	  (RAM + 0x2000)
#define HDRS	  (RAM + 0x3000) /* 16 bytes a slot */
#define STATS	  (RAM + 0x3800) /* 1 byte a slot */
#define SEGS	  (RAM + 0x3c00) /* discard segments, 512 bytes a slot... */
#define DATA	  (RAM + 0x10000)
#define SLOTS	  32	  /* 4 descriptors each */
#define SLOT_DATA 0x10000 /* 64 KiB of data buffer each */
#define SLOT_SEGS 16	  /* DWZ segment bytes: slot * 16 (one each) */

#define IMG_SECTORS 2048 /* 1 MiB image */
#define SECTOR	    512

/* transport registers */

/* virtio-blk */
#define F_SEG_MAX      2
#define F_RO	       5
#define F_BLK_SIZE     6
#define F_FLUSH	       9
#define F_DISCARD      13
#define F_WRITE_ZEROES 14
#define T_IN	       0
#define T_OUT	       1
#define T_FLUSH	       4
#define T_GET_ID       8
#define T_DISCARD      11
#define T_WRITE_ZEROES 13
#define S_OK	       0
#define S_IOERR	       1
#define S_UNSUPP       2

#define F_NEXT	VQ_DESC_F_NEXT
#define F_WRITE VQ_DESC_F_WRITE

struct fx {
	struct guest_mem mem;
	struct virtio_mmio *t;
	void *blk;
	bool workers; /* RVISOR_NO_IO_URING=1 */
	char dir[64];
	char path[96];
	int fd; /* our own view of the image */
	uint16_t avail_idx, used_seen;
	atomic_int irq_raises;
	atomic_bool irq_level;
};

/* ---- fixture ---------------------------------------------------------------
 */

static void irq_set(void *ctrl, unsigned irq, bool level)
{
	struct fx *f = ctrl;

	(void)irq;
	if (level && !atomic_exchange(&f->irq_level, true))
		atomic_fetch_add(&f->irq_raises, 1);
	if (!level)
		atomic_store(&f->irq_level, false);
}

static void fill_pattern(uint8_t *p, size_t n, uint64_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)((i * 131 + seed * 7 + (i >> 9) * 17) ^ seed);
}

/* A temporary image of the given size, in dir. */
static void make_image(struct fx *f, const char *dir, size_t size)
{
	snprintf(f->dir, sizeof(f->dir), "%s/rvblkXXXXXX", dir);
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/disk.img", f->dir);
	f->fd = open(f->path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(f->fd >= 0);
	uint8_t *buf = malloc(size ? size : 1);
	assert_non_null(buf);
	for (size_t s = 0; s < size; s += SECTOR)
		fill_pattern(buf + s, size - s < SECTOR ? size - s : SECTOR,
			     s / SECTOR);
	assert_int_equal(pwrite(f->fd, buf, size, 0), (ssize_t)size);
	free(buf);
}

static int setup_common(void **state, bool workers)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->workers = workers;
	f->fd = -1;
	assert_int_equal(gmem_init(&f->mem), 0);
	assert_int_equal(gmem_add_ram(&f->mem, RAM, RAM_SIZE), 0);
	make_image(f, "/tmp", IMG_SECTORS * SECTOR);
	*state = f;
	return 0;
}

static int setup_uring(void **state)
{
	return setup_common(state, false);
}

static int setup_workers(void **state)
{
	return setup_common(state, true);
}

static void stop(struct fx *f)
{
	if (f->t)
		virtio_mmio_ops.destroy(f->t); /* resets, destroys the device */
	f->t = NULL;
	f->blk = NULL;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	stop(f);
	if (f->fd >= 0)
		close(f->fd);
	unlink(f->path);
	rmdir(f->dir);
	gmem_destroy(&f->mem);
	free(f);
	return 0;
}

/* ---- guest memory and registers --------------------------------------------
 */

static uint32_t reg_read(struct fx *f, uint64_t off, unsigned size)
{
	uint64_t v = 0;

	assert_true(virtio_mmio_ops.read(f->t, off, size, &v));
	return (uint32_t)v;
}

static void reg_write(struct fx *f, uint64_t off, uint32_t v)
{
	assert_true(virtio_mmio_ops.write(f->t, off, 4, v));
}

static uint64_t cfg64(struct fx *f, unsigned off)
{
	return reg_read(f, VIRTIO_MMIO_CONFIG + off, 4) |
	       (uint64_t)reg_read(f, VIRTIO_MMIO_CONFIG + off + 4, 4) << 32;
}

static uint32_t cfg32(struct fx *f, unsigned off)
{
	return reg_read(f, VIRTIO_MMIO_CONFIG + off, 4);
}

/* ---- the driver -------------------------------------------------------------
 */

static uint64_t device_features(struct fx *f)
{
	reg_write(f, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	uint64_t lo = reg_read(f, VIRTIO_MMIO_DEVICE_FEATURES, 4);
	reg_write(f, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	return lo | (uint64_t)reg_read(f, VIRTIO_MMIO_DEVICE_FEATURES, 4) << 32;
}

/* Status, features (all offered but packed rings and event index), one
 * split queue of QNUM, DRIVER_OK. */
static void driver_init(struct fx *f)
{
	/* what a driver checks first (virtio 1.2, 4.2.3.1.1) */
	assert_int_equal(reg_read(f, VIRTIO_MMIO_MAGIC, 4), 0x74726976);
	assert_int_equal(reg_read(f, VIRTIO_MMIO_VERSION, 4), 2);
	uint64_t feat;

	memset(hp(f, DESC), 0, DATA - DESC);
	f->avail_idx = f->used_seen = 0;
	reg_write(f, VIRTIO_MMIO_STATUS, 0);
	reg_write(f, VIRTIO_MMIO_STATUS, 1);
	reg_write(f, VIRTIO_MMIO_STATUS, 3);
	feat = device_features(f) & ~(1ull << 34) & ~(1ull << 29);
	reg_write(f, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	reg_write(f, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)feat);
	reg_write(f, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	reg_write(f, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(feat >> 32));
	reg_write(f, VIRTIO_MMIO_STATUS, 11);
	assert_int_equal(reg_read(f, VIRTIO_MMIO_STATUS, 4), 11);
	reg_write(f, VIRTIO_MMIO_QUEUE_SEL, 0);
	reg_write(f, VIRTIO_MMIO_QUEUE_NUM, QNUM);
	reg_write(f, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)DESC);
	reg_write(f, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(DESC >> 32));
	reg_write(f, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)AVAIL);
	reg_write(f, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(AVAIL >> 32));
	reg_write(f, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)USED);
	reg_write(f, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(USED >> 32));
	reg_write(f, VIRTIO_MMIO_QUEUE_READY, 1);
	reg_write(f, VIRTIO_MMIO_STATUS, 15);
	assert_int_equal(reg_read(f, VIRTIO_MMIO_STATUS, 4), 15);
}

/* Creates the device on f's image (optionally read-only / with a serial)
 * and its transport, and initialises it as a driver would. */
static void start(struct fx *f, bool ro, const char *serial)
{
	struct blk_config cfg = {f->path, ro, serial};
	char err[256] = "";

	if (f->workers)
		setenv("RVISOR_NO_IO_URING", "1", 1);
	f->blk = virtio_blk_new(&cfg, &f->mem, err, sizeof(err));
	unsetenv("RVISOR_NO_IO_URING");
	if (!f->blk)
		fail_msg("virtio_blk_new: %s", err);
	f->t = virtio_mmio_new(&virtio_blk_ops, f->blk, &f->mem,
			       (struct irq_line){irq_set, f, 1});
	assert_non_null(f->t);
	driver_init(f);
}

static struct virtio_blk_stats stats(struct fx *f)
{
	struct virtio_blk_stats s;

	virtio_blk_get_stats(f->blk, &s);
	return s;
}

struct d {
	uint64_t addr;
	uint32_t len;
	uint16_t flags; /* F_WRITE; F_NEXT is added */
};

/* Writes a chain of n (<= 4) descriptors at slot's descriptors and offers
 * it (no kick). Returns the head. */
static uint16_t post(struct fx *f, unsigned slot, unsigned n, const struct d *d)
{
	uint16_t head = (uint16_t)(slot * 4);

	assert_true(slot < SLOTS && n >= 1 && n <= 4);
	for (unsigned i = 0; i < n; i++) {
		uint64_t a = DESC + 16ull * (head + i);
		w64(f, a, d[i].addr);
		w32(f, a + 8, d[i].len);
		w16(f, a + 12,
		    (uint16_t)(d[i].flags | (i + 1 < n ? F_NEXT : 0)));
		w16(f, a + 14, (uint16_t)(head + i + 1));
	}
	w16(f, AVAIL + 4 + 2 * (f->avail_idx % QNUM), head);
	f->avail_idx++;
	__atomic_store_n((uint16_t *)hp(f, AVAIL + 2), htole16(f->avail_idx),
			 __ATOMIC_RELEASE);
	return head;
}

static void kick(struct fx *f)
{
	reg_write(f, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
}

static uint16_t used_idx(struct fx *f)
{
	return le16toh(
		__atomic_load_n((uint16_t *)hp(f, USED + 2), __ATOMIC_ACQUIRE));
}

/* Waits until n more used entries are there (at most 10 s). */
static void wait_used(struct fx *f, unsigned n)
{
	uint16_t want = (uint16_t)(f->used_seen + n);
	struct timespec t0, now;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (used_idx(f) != want) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec > 10)
			fail_msg("timed out: used idx %u, want %u", used_idx(f),
				 want);
		usleep(100);
	}
}

/* The used entry for head among the last n (or fails). */
static uint32_t used_len_of(struct fx *f, uint16_t head, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t e =
			USED + 4 + 8ull * ((uint16_t)(f->used_seen + i) % QNUM);
		if (r32(f, e) == head)
			return r32(f, e + 4);
	}
	fail_msg("head %u not in the used ring", head);
	return 0;
}

static void consumed(struct fx *f, unsigned n)
{
	f->used_seen = (uint16_t)(f->used_seen + n);
}

static uint64_t hdr_at(unsigned slot)
{
	return HDRS + 16ull * slot;
}

static uint64_t status_at(unsigned slot)
{
	return STATS + slot;
}

static uint64_t data_at(unsigned slot)
{
	return DATA + (uint64_t)SLOT_DATA * slot;
}

/* Queues a standard request (header, optional data, status) in slot. */
static uint16_t queue_req(struct fx *f, unsigned slot, uint32_t type,
			  uint64_t sector, uint32_t len, bool data_in)
{
	struct d d[3];
	unsigned n = 0;

	w32(f, hdr_at(slot), type);
	w32(f, hdr_at(slot) + 4, 0);
	w64(f, hdr_at(slot) + 8, sector);
	*hp(f, status_at(slot)) = 0xee;
	d[n++] = (struct d){hdr_at(slot), 16, 0};
	if (len)
		d[n++] = (struct d){data_at(slot), len, data_in ? F_WRITE : 0};
	d[n++] = (struct d){status_at(slot), 1, F_WRITE};
	return post(f, slot, n, d);
}

/* One request, waited for: returns the status byte. */
static uint8_t req(struct fx *f, uint32_t type, uint64_t sector, void *buf,
		   uint32_t len, bool data_in, uint32_t *used_len)
{
	uint16_t head;
	uint32_t ul;

	assert_true(len <= SLOT_DATA);
	if (len && !data_in)
		memcpy(hp(f, data_at(0)), buf, len);
	if (len && data_in)
		memset(hp(f, data_at(0)), 0xcc, len);
	head = queue_req(f, 0, type, sector, len, data_in);
	kick(f);
	wait_used(f, 1);
	ul = used_len_of(f, head, 1);
	consumed(f, 1);
	if (used_len)
		*used_len = ul;
	if (len && data_in)
		memcpy(buf, hp(f, data_at(0)), len);
	return *hp(f, status_at(0));
}

static uint8_t read_sectors(struct fx *f, uint64_t sector, void *buf,
			    uint32_t len)
{
	return req(f, T_IN, sector, buf, len, true, NULL);
}

static uint8_t write_sectors(struct fx *f, uint64_t sector, const void *buf,
			     uint32_t len)
{
	return req(f, T_OUT, sector, (void *)buf, len, false, NULL);
}

/* A DISCARD / WRITE_ZEROES request with nseg segments. */
static uint8_t dwz(struct fx *f, uint32_t type, unsigned nseg,
		   const uint64_t *sector, const uint32_t *num,
		   const uint32_t *flags)
{
	uint64_t segs = data_at(0);
	uint16_t head;

	for (unsigned i = 0; i < nseg; i++) {
		w64(f, segs + 16 * i, sector[i]);
		w32(f, segs + 16 * i + 8, num[i]);
		w32(f, segs + 16 * i + 12, flags[i]);
	}
	w32(f, hdr_at(0), type);
	w32(f, hdr_at(0) + 4, 0);
	w64(f, hdr_at(0) + 8, 0);
	*hp(f, status_at(0)) = 0xee;
	head = post(f, 0, 3,
		    (struct d[]){{hdr_at(0), 16, 0},
				 {segs, 16 * nseg, 0},
				 {status_at(0), 1, F_WRITE}});
	kick(f);
	wait_used(f, 1);
	used_len_of(f, head, 1);
	consumed(f, 1);
	return *hp(f, status_at(0));
}

static void file_read(struct fx *f, uint64_t off, void *buf, size_t n)
{
	assert_int_equal(pread(f->fd, buf, n, (off_t)off), (ssize_t)n);
}

static void expect_pattern(struct fx *f, uint64_t sector, unsigned nsect)
{
	uint8_t want[SECTOR], got[SECTOR];

	for (unsigned i = 0; i < nsect; i++) {
		fill_pattern(want, SECTOR, sector + i);
		file_read(f, (sector + i) * SECTOR, got, SECTOR);
		assert_memory_equal(got, want, SECTOR);
	}
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* ---- tests: configuration ------------------------------------------------ */

static void test_config(void **state)
{
	struct fx *f = *state;

	start(f, false, NULL);
	uint64_t feat = device_features(f);
	assert_true(feat & (1ull << F_SEG_MAX));
	assert_true(feat & (1ull << F_BLK_SIZE));
	assert_true(feat & (1ull << F_FLUSH));
	assert_true(feat & (1ull << F_DISCARD));
	assert_true(feat & (1ull << F_WRITE_ZEROES));
	assert_false(feat & (1ull << F_RO));
	assert_true(feat & (1ull << 32)); /* VERSION_1 */
	assert_int_equal(cfg64(f, 0), IMG_SECTORS);
	assert_int_equal(cfg32(f, 12), 254); /* seg_max */
	assert_int_equal(cfg32(f, 20), 512); /* blk_size */
	assert_true(cfg32(f, 36) > 0);	     /* max_discard_sectors */
	assert_true(cfg32(f, 40) >= 1);	     /* max_discard_seg */
	assert_true(cfg32(f, 44) >= 1);	     /* discard_sector_alignment */
	assert_true(cfg32(f, 48) > 0);	     /* max_write_zeroes_sectors */
	assert_true(cfg32(f, 52) >= 1);	     /* max_write_zeroes_seg */
	assert_int_equal(reg_read(f, VIRTIO_MMIO_CONFIG + 56, 1),
			 1); /* may unmap */
	assert_int_equal(reg_read(f, VIRTIO_MMIO_CONFIG + 57, 1),
			 0);			    /* unused1 */
	assert_int_equal(reg_read(f, 0x008, 4), 2); /* device id */
	assert_int_equal(stats(f).io_uring, !f->workers);
}

static void test_config_ro(void **state)
{
	struct fx *f = *state;

	start(f, true, NULL);
	uint64_t feat = device_features(f);
	assert_true(feat & (1ull << F_RO));
	assert_true(feat & (1ull << F_FLUSH));
	assert_false(feat & (1ull << F_DISCARD));
	assert_false(feat & (1ull << F_WRITE_ZEROES));
	assert_int_equal(cfg64(f, 0), IMG_SECTORS);
	assert_int_equal(cfg32(f, 36), 0);
}

/* ---- tests: I/O
 * -------------------------------------------------------------- */

static void test_read(void **state)
{
	struct fx *f = *state;
	uint8_t buf[8 * SECTOR], want[SECTOR];
	uint32_t ul;

	start(f, false, NULL);
	assert_int_equal(req(f, T_IN, 3, buf, sizeof(buf), true, &ul), S_OK);
	assert_int_equal(ul, sizeof(buf) + 1); /* data + status */
	for (unsigned i = 0; i < 8; i++) {
		fill_pattern(want, SECTOR, 3 + i);
		assert_memory_equal(buf + i * SECTOR, want, SECTOR);
	}
	/* the last sector */
	assert_int_equal(read_sectors(f, IMG_SECTORS - 1, buf, SECTOR), S_OK);
	fill_pattern(want, SECTOR, IMG_SECTORS - 1);
	assert_memory_equal(buf, want, SECTOR);
	/* zero-length read at the very end is fine */
	assert_int_equal(req(f, T_IN, IMG_SECTORS, NULL, 0, true, NULL), S_OK);
	struct virtio_blk_stats s = stats(f);
	assert_int_equal(s.reads, 3);
	assert_int_equal(s.read_bytes, 9 * SECTOR);
	assert_true(atomic_load(&f->irq_raises) >= 1);
}

static void test_write(void **state)
{
	struct fx *f = *state;
	uint8_t buf[16 * SECTOR], back[16 * SECTOR];

	start(f, false, NULL);
	fill_pattern(buf, sizeof(buf), 0x5a);
	assert_int_equal(write_sectors(f, 100, buf, sizeof(buf)), S_OK);
	file_read(f, 100 * SECTOR, back, sizeof(back));
	assert_memory_equal(back, buf, sizeof(buf));
	expect_pattern(f, 99, 1); /* neighbours untouched */
	expect_pattern(f, 116, 1);
	memset(back, 0, sizeof(back));
	assert_int_equal(read_sectors(f, 100, back, sizeof(back)), S_OK);
	assert_memory_equal(back, buf, sizeof(buf));
	assert_int_equal(stats(f).write_bytes, sizeof(buf));
}

/* Data split over several descriptors, the header sharing one with data. */
static void test_scattered(void **state)
{
	struct fx *f = *state;
	uint8_t buf[4 * SECTOR], back[4 * SECTOR];
	uint64_t a = data_at(1);

	start(f, false, NULL);
	fill_pattern(buf, sizeof(buf), 0x33);
	/* OUT: [header + 1000 data bytes][1048 bytes][status] */
	w32(f, a, T_OUT);
	w32(f, a + 4, 0);
	w64(f, a + 8, 40);
	memcpy(hp(f, a + 16), buf, 1000);
	memcpy(hp(f, data_at(2)), buf + 1000, sizeof(buf) - 1000);
	*hp(f, status_at(0)) = 0xee;
	post(f, 0, 3,
	     (struct d[]){{a, 16 + 1000, 0},
			  {data_at(2), sizeof(buf) - 1000, 0},
			  {status_at(0), 1, F_WRITE}});
	kick(f);
	wait_used(f, 1);
	consumed(f, 1);
	assert_int_equal(*hp(f, status_at(0)), S_OK);
	file_read(f, 40 * SECTOR, back, sizeof(back));
	assert_memory_equal(back, buf, sizeof(buf));

	/* IN: [header][700 bytes][data rest + status in one buffer] */
	w32(f, hdr_at(0), T_IN);
	w64(f, hdr_at(0) + 8, 40);
	memset(hp(f, data_at(1)), 0, SLOT_DATA);
	memset(hp(f, data_at(2)), 0, SLOT_DATA);
	uint16_t head = post(
		f, 0, 3,
		(struct d[]){{hdr_at(0), 16, 0},
			     {data_at(1), 700, F_WRITE},
			     {data_at(2), sizeof(buf) - 700 + 1, F_WRITE}});
	kick(f);
	wait_used(f, 1);
	assert_int_equal(used_len_of(f, head, 1), sizeof(buf) + 1);
	consumed(f, 1);
	assert_int_equal(*hp(f, data_at(2) + sizeof(buf) - 700), S_OK);
	memcpy(back, hp(f, data_at(1)), 700);
	memcpy(back + 700, hp(f, data_at(2)), sizeof(buf) - 700);
	assert_memory_equal(back, buf, sizeof(buf));
}

static void test_flush(void **state)
{
	struct fx *f = *state;
	uint8_t buf[SECTOR];

	start(f, false, NULL);
	fill_pattern(buf, sizeof(buf), 9);
	assert_int_equal(write_sectors(f, 7, buf, sizeof(buf)), S_OK);
	assert_int_equal(req(f, T_FLUSH, 0, NULL, 0, false, NULL), S_OK);
	assert_int_equal(stats(f).flushes, 1);
	assert_int_equal(stats(f).io_errors, 0);
}

static void test_get_id(void **state)
{
	struct fx *f = *state;
	uint8_t id[20];

	start(f, false, "rvisor-disk0");
	memset(id, 0xcc, sizeof(id));
	assert_int_equal(req(f, T_GET_ID, 0, id, sizeof(id), true, NULL), S_OK);
	assert_memory_equal(id, "rvisor-disk0\0\0\0\0\0\0\0\0", 20);
	stop(f);

	/* 20 characters: no NUL */
	start(f, false, "abcdefghijklmnopqrst");
	assert_int_equal(req(f, T_GET_ID, 0, id, sizeof(id), true, NULL), S_OK);
	assert_memory_equal(id, "abcdefghijklmnopqrst", 20);
	/* a short buffer gets what fits */
	uint8_t small[8];
	assert_int_equal(req(f, T_GET_ID, 0, small, sizeof(small), true, NULL),
			 S_OK);
	assert_memory_equal(small, "abcdefgh", 8);
	stop(f);

	/* no serial: an empty string */
	start(f, false, NULL);
	assert_int_equal(req(f, T_GET_ID, 0, id, sizeof(id), true, NULL), S_OK);
	assert_true(all_zero(id, sizeof(id)));
	assert_int_equal(stats(f).get_ids, 1);
}

static void test_discard(void **state)
{
	struct fx *f = *state;
	uint8_t buf[64 * SECTOR];

	start(f, false, NULL);
	/* 4 KiB aligned ranges: punched holes read back as zeros */
	assert_int_equal(dwz(f, T_DISCARD, 2, (uint64_t[]){64, 256},
			     (uint32_t[]){64, 8}, (uint32_t[]){0, 0}),
			 S_OK);
	file_read(f, 64 * SECTOR, buf, sizeof(buf));
	assert_true(all_zero(buf, sizeof(buf)));
	file_read(f, 256 * SECTOR, buf, 8 * SECTOR);
	assert_true(all_zero(buf, 8 * SECTOR));
	expect_pattern(f, 63, 1);
	expect_pattern(f, 128, 1);
	expect_pattern(f, 264, 1);
	/* unmap is not for discard; unknown flags never */
	assert_int_equal(dwz(f, T_DISCARD, 1, (uint64_t[]){8}, (uint32_t[]){8},
			     (uint32_t[]){1}),
			 S_UNSUPP);
	assert_int_equal(dwz(f, T_DISCARD, 1, (uint64_t[]){8}, (uint32_t[]){8},
			     (uint32_t[]){4}),
			 S_UNSUPP);
	expect_pattern(f, 8, 8);
	/* out of range */
	assert_int_equal(dwz(f, T_DISCARD, 1, (uint64_t[]){IMG_SECTORS - 4},
			     (uint32_t[]){8}, (uint32_t[]){0}),
			 S_IOERR);
	expect_pattern(f, IMG_SECTORS - 4, 4);
	assert_int_equal(stats(f).discards, 4);
	/* the file keeps its size */
	struct stat st;
	assert_int_equal(fstat(f->fd, &st), 0);
	assert_int_equal(st.st_size, IMG_SECTORS * SECTOR);
}

static void test_write_zeroes(void **state)
{
	struct fx *f = *state;
	uint8_t buf[32 * SECTOR];

	start(f, false, NULL);
	/* unaligned ranges, with and without unmap */
	assert_int_equal(dwz(f, T_WRITE_ZEROES, 2, (uint64_t[]){3, 500},
			     (uint32_t[]){11, 21}, (uint32_t[]){0, 1}),
			 S_OK);
	file_read(f, 3 * SECTOR, buf, 11 * SECTOR);
	assert_true(all_zero(buf, 11 * SECTOR));
	file_read(f, 500 * SECTOR, buf, 21 * SECTOR);
	assert_true(all_zero(buf, 21 * SECTOR));
	expect_pattern(f, 2, 1);
	expect_pattern(f, 14, 1);
	expect_pattern(f, 499, 1);
	expect_pattern(f, 521, 1);
	/* reads through the device agree */
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(read_sectors(f, 500, buf, 21 * SECTOR), S_OK);
	assert_true(all_zero(buf, 21 * SECTOR));
	/* unknown flag */
	assert_int_equal(dwz(f, T_WRITE_ZEROES, 1, (uint64_t[]){30},
			     (uint32_t[]){1}, (uint32_t[]){2}),
			 S_UNSUPP);
	expect_pattern(f, 30, 1);
	/* overflowing sector */
	assert_int_equal(dwz(f, T_WRITE_ZEROES, 1, (uint64_t[]){UINT64_MAX - 1},
			     (uint32_t[]){4}, (uint32_t[]){0}),
			 S_IOERR);
	struct stat st;
	assert_int_equal(fstat(f->fd, &st), 0);
	assert_int_equal(st.st_size, IMG_SECTORS * SECTOR);
}

/* tmpfs cannot FALLOC_FL_ZERO_RANGE: the device writes zeros instead. */
static void test_write_zeroes_fallback(void **state)
{
	struct fx *f = *state;
	struct statfs sfs;
	uint8_t buf[40 * SECTOR];

	if (statfs("/dev/shm", &sfs) < 0 ||
	    sfs.f_type != 0x01021994 /* tmpfs */)
		skip();
	close(f->fd);
	unlink(f->path);
	rmdir(f->dir);
	make_image(f, "/dev/shm", IMG_SECTORS * SECTOR);
	start(f, false, NULL);
	assert_int_equal(dwz(f, T_WRITE_ZEROES, 1, (uint64_t[]){1000},
			     (uint32_t[]){40}, (uint32_t[]){0}),
			 S_OK);
	file_read(f, 1000 * SECTOR, buf, sizeof(buf));
	assert_true(all_zero(buf, sizeof(buf)));
	expect_pattern(f, 999, 1);
	expect_pattern(f, 1040, 1);
	assert_int_equal(stats(f).zero_fallbacks, 1);
	/* a big one: several zero-writing steps (3 MiB > one 1 MiB step) */
	stop(f);
	close(f->fd);
	unlink(f->path);
	rmdir(f->dir);
	make_image(f, "/dev/shm", 8 << 20);
	start(f, false, NULL);
	assert_int_equal(dwz(f, T_WRITE_ZEROES, 1, (uint64_t[]){1},
			     (uint32_t[]){6144}, (uint32_t[]){0}),
			 S_OK);
	uint8_t *big = malloc(6144 * SECTOR);
	assert_non_null(big);
	file_read(f, SECTOR, big, 6144 * SECTOR);
	assert_true(all_zero(big, 6144 * SECTOR));
	free(big);
	expect_pattern(f, 0, 1);
	expect_pattern(f, 6145, 1);
}

/* ---- tests: what the driver gets wrong --------------------------------------
 */

static void test_out_of_range(void **state)
{
	struct fx *f = *state;
	uint8_t buf[2 * SECTOR];

	start(f, false, NULL);
	assert_int_equal(read_sectors(f, IMG_SECTORS - 1, buf, sizeof(buf)),
			 S_IOERR);
	assert_int_equal(read_sectors(f, IMG_SECTORS, buf, SECTOR), S_IOERR);
	assert_int_equal(read_sectors(f, UINT64_MAX, buf, SECTOR), S_IOERR);
	/* sector * 512 and sector + n both overflow here */
	assert_int_equal(read_sectors(f, UINT64_MAX / 256, buf, SECTOR),
			 S_IOERR);
	fill_pattern(buf, sizeof(buf), 1);
	assert_int_equal(write_sectors(f, IMG_SECTORS - 1, buf, sizeof(buf)),
			 S_IOERR);
	assert_int_equal(write_sectors(f, UINT64_MAX - 1, buf, sizeof(buf)),
			 S_IOERR);
	expect_pattern(f, IMG_SECTORS - 1, 1);
	struct stat st;
	assert_int_equal(fstat(f->fd, &st), 0);
	assert_int_equal(st.st_size, IMG_SECTORS * SECTOR);
	assert_int_equal(stats(f).bad_requests, 6);
}

static void test_unaligned_length(void **state)
{
	struct fx *f = *state;
	uint8_t buf[2 * SECTOR];

	start(f, false, NULL);
	assert_int_equal(read_sectors(f, 0, buf, 100), S_IOERR);
	fill_pattern(buf, sizeof(buf), 2);
	assert_int_equal(write_sectors(f, 0, buf, SECTOR + 1), S_IOERR);
	expect_pattern(f, 0, 2);
	/* DISCARD payload not a multiple of 16 */
	w32(f, hdr_at(0), T_DISCARD);
	*hp(f, status_at(0)) = 0xee;
	post(f, 0, 3,
	     (struct d[]){{hdr_at(0), 16, 0},
			  {data_at(0), 20, 0},
			  {status_at(0), 1, F_WRITE}});
	kick(f);
	wait_used(f, 1);
	consumed(f, 1);
	assert_int_equal(*hp(f, status_at(0)), S_IOERR);
}

static void test_readonly(void **state)
{
	struct fx *f = *state;
	uint8_t buf[SECTOR];

	start(f, true, NULL);
	fill_pattern(buf, sizeof(buf), 77);
	assert_int_equal(write_sectors(f, 5, buf, sizeof(buf)), S_IOERR);
	expect_pattern(f, 5, 1);
	assert_int_equal(read_sectors(f, 5, buf, sizeof(buf)), S_OK);
	assert_int_equal(req(f, T_FLUSH, 0, NULL, 0, false, NULL), S_OK);
	/* not offered, so not supported */
	assert_int_equal(dwz(f, T_DISCARD, 1, (uint64_t[]){0}, (uint32_t[]){8},
			     (uint32_t[]){0}),
			 S_UNSUPP);
	assert_int_equal(dwz(f, T_WRITE_ZEROES, 1, (uint64_t[]){0},
			     (uint32_t[]){8}, (uint32_t[]){0}),
			 S_UNSUPP);
	expect_pattern(f, 0, 8);
}

static void test_bad_header(void **state)
{
	struct fx *f = *state;

	start(f, false, NULL);
	/* an 8-byte header */
	w32(f, hdr_at(0), T_IN);
	*hp(f, status_at(0)) = 0xee;
	post(f, 0, 3,
	     (struct d[]){{hdr_at(0), 8, 0},
			  {data_at(0), SECTOR, F_WRITE},
			  {status_at(0), 1, F_WRITE}});
	kick(f);
	wait_used(f, 1);
	consumed(f, 1);
	assert_int_equal(*hp(f, status_at(0)), S_IOERR);
	/* no readable part at all */
	*hp(f, status_at(0)) = 0xee;
	post(f, 0, 2,
	     (struct d[]){{data_at(0), SECTOR, F_WRITE},
			  {status_at(0), 1, F_WRITE}});
	kick(f);
	wait_used(f, 1);
	consumed(f, 1);
	assert_int_equal(*hp(f, status_at(0)), S_IOERR);
	assert_int_equal(reg_read(f, VIRTIO_MMIO_STATUS, 4),
			 15); /* still fine */
}

static void test_unknown_type(void **state)
{
	struct fx *f = *state;
	uint8_t buf[SECTOR];

	start(f, false, NULL);
	assert_int_equal(req(f, 2 /* legacy SCSI */, 0, NULL, 0, false, NULL),
			 S_UNSUPP);
	assert_int_equal(req(f, 0x80000001u, 0, buf, SECTOR, false, NULL),
			 S_UNSUPP);
	assert_int_equal(req(f, 10 /* GET_LIFETIME */, 0, buf, 6, true, NULL),
			 S_UNSUPP);
	assert_int_equal(stats(f).unsupported, 3);
	expect_pattern(f, 0, 1);
}

/* No device-writable status byte: the device cannot answer; it asks for a
 * reset, and works again after one. */
static void test_missing_status(void **state)
{
	struct fx *f = *state;
	uint8_t buf[SECTOR];

	start(f, false, NULL);
	w32(f, hdr_at(0), T_OUT);
	w64(f, hdr_at(0) + 8, 0);
	post(f, 0, 2,
	     (struct d[]){{hdr_at(0), 16, 0}, {data_at(0), SECTOR, 0}});
	kick(f);
	assert_true(reg_read(f, VIRTIO_MMIO_STATUS, 4) &
		    VIRTIO_STATUS_NEEDS_RESET);
	assert_true(reg_read(f, VIRTIO_MMIO_INTERRUPT_STATUS, 4) &
		    2); /* config irq */
	expect_pattern(f, 0, 1);
	driver_init(f);
	assert_int_equal(read_sectors(f, 0, buf, SECTOR), S_OK);
}

/* A ring the walker refuses: DEVICE_NEEDS_RESET. */
static void test_malformed_ring(void **state)
{
	struct fx *f = *state;
	uint8_t buf[SECTOR];

	start(f, false, NULL);
	/* a descriptor loop */
	w32(f, hdr_at(0), T_IN);
	post(f, 0, 2,
	     (struct d[]){{hdr_at(0), 16, 0}, {status_at(0), 1, F_WRITE}});
	w16(f, DESC + 16 * 1 + 12, F_WRITE | F_NEXT);
	w16(f, DESC + 16 * 1 + 14, 0);
	kick(f);
	assert_true(reg_read(f, VIRTIO_MMIO_STATUS, 4) &
		    VIRTIO_STATUS_NEEDS_RESET);
	driver_init(f);
	assert_int_equal(read_sectors(f, 0, buf, SECTOR), S_OK);
}

/* ---- tests: concurrency
 * -------------------------------------------------------- */

/* 30 requests in one kick: reads and writes to distinct places, then a
 * flush. */
static void test_many_in_flight(void **state)
{
	struct fx *f = *state;
	uint16_t heads[SLOTS];
	const unsigned n = 30;

	start(f, false, NULL);
	for (unsigned i = 0; i < n; i++) {
		uint32_t len = (i % 8 + 1) * 4096;
		if (i % 2) {
			fill_pattern(hp(f, data_at(i)), len, 1000 + i);
			heads[i] = queue_req(f, i, T_OUT, 1024 + i * 32, len,
					     false);
		} else {
			memset(hp(f, data_at(i)), 0, len);
			heads[i] = queue_req(f, i, T_IN, i * 32, len, true);
		}
	}
	kick(f);
	wait_used(f, n);
	for (unsigned i = 0; i < n; i++) {
		uint32_t len = (i % 8 + 1) * 4096;
		uint32_t ul = used_len_of(f, heads[i], n);
		assert_int_equal(*hp(f, status_at(i)), S_OK);
		if (i % 2) {
			uint8_t *want = malloc(len), *got = malloc(len);
			assert_non_null(want);
			assert_non_null(got);
			fill_pattern(want, len, 1000 + i);
			file_read(f, (1024 + i * 32) * SECTOR, got, len);
			assert_memory_equal(got, want, len);
			free(want);
			free(got);
			assert_int_equal(ul, 1);
		} else {
			uint8_t want[SECTOR];
			for (unsigned s = 0; s < len / SECTOR; s++) {
				fill_pattern(want, SECTOR, i * 32 + s);
				assert_memory_equal(
					hp(f, data_at(i) + s * SECTOR), want,
					SECTOR);
			}
			assert_int_equal(ul, len + 1);
		}
	}
	consumed(f, n);
	assert_int_equal(req(f, T_FLUSH, 0, NULL, 0, false, NULL), S_OK);
	struct virtio_blk_stats s = stats(f);
	assert_int_equal(s.reads, n / 2);
	assert_int_equal(s.writes, n / 2);
	assert_true(s.max_inflight > 1);
	assert_int_equal(s.inflight, 0);
	assert_int_equal(s.io_errors + s.bad_requests, 0);
}

/* More requests than the queue has room for in flight, over many kicks,
 * while the test keeps the ring full: completions must keep it going. */
static void test_sustained(void **state)
{
	struct fx *f = *state;
	unsigned submitted = 0, completed = 0;
	const unsigned total = 600;
	uint16_t slot_of_head[QNUM];
	bool busy[SLOTS] = {0};

	start(f, false, NULL);
	while (completed < total) {
		for (unsigned s = 0; s < SLOTS && submitted < total; s++) {
			if (busy[s])
				continue;
			busy[s] = true;
			slot_of_head[queue_req(
				f, s, submitted % 3 ? T_IN : T_OUT,
				(submitted * 8) % IMG_SECTORS, 4096,
				submitted % 3)] = (uint16_t)s;
			submitted++;
		}
		kick(f);
		/* reap whatever is there */
		struct timespec t0, now;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		while (used_idx(f) == f->used_seen) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - t0.tv_sec > 10)
				fail_msg("stuck at %u of %u", completed, total);
			usleep(50);
		}
		uint16_t u = used_idx(f);
		while (f->used_seen != u) {
			uint64_t e = USED + 4 + 8ull * (f->used_seen % QNUM);
			unsigned s = slot_of_head[r32(f, e)];
			assert_int_equal(*hp(f, status_at(s)), S_OK);
			busy[s] = false;
			f->used_seen++;
			completed++;
		}
	}
	struct virtio_blk_stats st = stats(f);
	assert_int_equal(st.reads + st.writes, total);
	assert_int_equal(st.inflight, 0);
}

/* The driver resets the device with requests in flight: they are dropped
 * (never pushed into the new rings), and the device works afterwards. */
static void test_reset_in_flight(void **state)
{
	struct fx *f = *state;
	uint8_t buf[SECTOR];

	start(f, false, NULL);
	for (unsigned round = 0; round < 5; round++) {
		for (unsigned i = 0; i < SLOTS; i++) {
			if (i % 4 == 3)
				queue_req(f, i, T_FLUSH, 0, 0, false);
			else
				queue_req(f, i, i % 2 ? T_OUT : T_IN,
					  (i * 64) % (IMG_SECTORS - 128),
					  SLOT_DATA, !(i % 2));
		}
		kick(f);
		reg_write(f, VIRTIO_MMIO_STATUS,
			  0); /* reset: waits for the host I/O */
		struct virtio_blk_stats s = stats(f);
		assert_int_equal(s.inflight, 0);
		driver_init(f);
		assert_int_equal(used_idx(f), 0);
		assert_int_equal(read_sectors(f, 2047, buf, SECTOR), S_OK);
		assert_int_equal(used_idx(f), 1);
		consumed(f, 1);
	}
}

/* ---- tests: the image
 * ------------------------------------------------------------ */

static void test_lock_conflict(void **state)
{
	struct fx *f = *state;
	char err[256] = "";
	struct blk_config rw = {f->path, false, NULL},
			  ro = {f->path, true, NULL};

	start(f, false, NULL);
	assert_null(virtio_blk_new(&rw, &f->mem, err, sizeof(err)));
	assert_non_null(strstr(err, "in use by another process"));
	assert_non_null(strstr(err, f->path));
	err[0] = 0;
	assert_null(virtio_blk_new(&ro, &f->mem, err, sizeof(err)));
	assert_non_null(strstr(err, "in use by another process"));
	stop(f);

	/* readers share */
	start(f, true, NULL);
	void *b2 = virtio_blk_new(&ro, &f->mem, err, sizeof(err));
	assert_non_null(b2);
	virtio_blk_ops.destroy(b2);
	assert_null(virtio_blk_new(&rw, &f->mem, err, sizeof(err)));
	stop(f);

	/* closing releases the lock */
	b2 = virtio_blk_new(&rw, &f->mem, err, sizeof(err));
	assert_non_null(b2);
	virtio_blk_ops.destroy(b2);
}

static void expect_open_error(struct fx *f, const char *path, bool ro,
			      const char *want)
{
	struct blk_config cfg = {path, ro, NULL};
	char err[512] = "";

	assert_null(virtio_blk_new(&cfg, &f->mem, err, sizeof(err)));
	if (!strstr(err, want) || !strstr(err, path))
		fail_msg("error '%s' lacks '%s' or the path", err, want);
}

static void test_open_errors(void **state)
{
	struct fx *f = *state;
	char p[128];

	snprintf(p, sizeof(p), "%s/missing.img", f->dir);
	expect_open_error(f, p, false, "No such file");
	expect_open_error(f, f->dir, true,
			  "not a regular file or block device");
	snprintf(p, sizeof(p), "%s/empty.img", f->dir);
	int fd = open(p, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	expect_open_error(f, p, false, "is empty");
	/* less than a sector is empty too */
	fd = open(p, O_WRONLY);
	assert_int_equal(write(fd, "x", 1), 1);
	close(fd);
	expect_open_error(f, p, false, "is empty");
	unlink(p);
	expect_open_error(f, "/dev/null", true,
			  "not a regular file or block device");
}

/* A size that is not a multiple of 512: the tail is not visible. */
static void test_odd_size(void **state)
{
	struct fx *f = *state;
	uint8_t buf[2 * SECTOR];

	assert_int_equal(ftruncate(f->fd, 3 * SECTOR + 100), 0);
	start(f, false, NULL);
	assert_int_equal(cfg64(f, 0), 3);
	assert_int_equal(read_sectors(f, 2, buf, SECTOR), S_OK);
	assert_int_equal(read_sectors(f, 2, buf, 2 * SECTOR), S_IOERR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define U(fn) cmocka_unit_test_setup_teardown(fn, setup_uring, teardown)
#define W(fn) cmocka_unit_test_setup_teardown(fn, setup_workers, teardown)
#define B(fn) U(fn), W(fn)
		B(test_config),		U(test_config_ro),
		B(test_read),		B(test_write),
		B(test_scattered),	B(test_flush),
		U(test_get_id),		B(test_discard),
		B(test_write_zeroes),	B(test_write_zeroes_fallback),
		B(test_out_of_range),	B(test_unaligned_length),
		B(test_readonly),	U(test_bad_header),
		U(test_unknown_type),	B(test_missing_status),
		U(test_malformed_ring), B(test_many_in_flight),
		B(test_sustained),	B(test_reset_in_flight),
		U(test_lock_conflict),	U(test_open_errors),
		U(test_odd_size),
#undef B
#undef W
#undef U
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
