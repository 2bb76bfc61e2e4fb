// SPDX-License-Identifier: MIT
/* test_virtio_net.c - the virtio-net device through its virtio-mmio
 * transport. The test plays the driver (register writes, split rings laid
 * out by hand in guest RAM) and the outside world (a fake backend that
 * records transmitted frames and injects received ones on the device's
 * own I/O thread, as libslirp or a tap would). The device is asynchronous,
 * so results are waited for with a deadline. */
#include <endian.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "guest_access.h"
#include "mem/guest_mem.h"
#include "virtio/mmio.h"
#include "virtio/net.h"

#define RAM	 0x80000000ull
#define RAM_SIZE 0x100000ull

/* per queue: descriptors, avail ring, used ring */
#define QBASE(q) (RAM + 0x10000 + 0x10000 * (uint64_t)(q))
#define DESC(q)	 (QBASE(q))
#define AVAIL(q) (QBASE(q) + 0x1000)
#define USED(q)	 (QBASE(q) + 0x2000)
#define BUF(q, i)                                                              \
	(RAM + 0x40000 + 0x40000 * (uint64_t)(q) + 0x4000 * (uint64_t)(i))
#define QNUM 8

#define RXQ 0
#define TXQ 1

/* ---- the fake backend --------------------------------------------------- */

struct pkt {
	struct pkt *next;
	size_t len;
	uint8_t data[];
};

struct fake {
	pthread_mutex_t mu;
	int inject_fd;
	struct pkt *inject; /* to deliver on the I/O thread */
	struct pkt *sent, **sent_tail;
	unsigned nsent;
	void *dev;
	atomic_bool destroyed;
};

static struct pkt *pkt_new(const void *data, size_t len)
{
	struct pkt *p = malloc(sizeof(*p) + len);

	assert_non_null(p);
	p->next = NULL;
	p->len = len;
	memcpy(p->data, data, len);
	return p;
}

static bool fake_poll(void *be, int wake_fd, bool rx_ok)
{
	struct fake *fk = be;
	struct pollfd pfd[2] = {{.fd = wake_fd, .events = POLLIN},
				{.fd = fk->inject_fd, .events = POLLIN}};
	struct pkt *list;

	(void)rx_ok;
	if (poll(pfd, 2, -1) <= 0)
		return false;
	if (pfd[1].revents & POLLIN) {
		uint64_t v;
		assert_int_equal(read(fk->inject_fd, &v, sizeof(v)), 8);
		pthread_mutex_lock(&fk->mu);
		list = fk->inject;
		fk->inject = NULL;
		pthread_mutex_unlock(&fk->mu);
		/* the list was built by prepending: reverse for order */
		struct pkt *rev = NULL;
		while (list) {
			struct pkt *p = list;
			list = p->next;
			p->next = rev;
			rev = p;
		}
		while (rev) {
			struct pkt *p = rev;
			rev = p->next;
			virtio_net_rx(fk->dev, p->data, p->len);
			free(p);
		}
	}
	return pfd[0].revents & POLLIN;
}

static bool fake_send(void *be, const uint8_t *frame, size_t len)
{
	struct fake *fk = be;
	struct pkt *p = pkt_new(frame, len);

	pthread_mutex_lock(&fk->mu);
	*fk->sent_tail = p;
	fk->sent_tail = &p->next;
	fk->nsent++;
	pthread_mutex_unlock(&fk->mu);
	return true;
}

static void fake_destroy(void *be)
{
	struct fake *fk = be;

	atomic_store(&fk->destroyed, true);
}

static const struct net_backend_ops fake_ops = {
	.name = "fake",
	.poll = fake_poll,
	.send = fake_send,
	.destroy = fake_destroy,
};

static void inject(struct fake *fk, const void *data, size_t len)
{
	uint64_t one = 1;
	struct pkt *p = pkt_new(data, len);

	pthread_mutex_lock(&fk->mu);
	p->next = fk->inject;
	fk->inject = p;
	pthread_mutex_unlock(&fk->mu);
	assert_int_equal(write(fk->inject_fd, &one, 8), 8);
}

static unsigned nsent(struct fake *fk)
{
	pthread_mutex_lock(&fk->mu);
	unsigned n = fk->nsent;
	pthread_mutex_unlock(&fk->mu);
	return n;
}

/* ---- fixture ------------------------------------------------------------ */

struct fx {
	struct guest_mem mem;
	struct fake fk;
	struct virtio_mmio *t;
	void *dev;
	uint16_t avail_idx[2];
	uint16_t next_desc[2];
};

static atomic_int irq_level, irq_raises;

static void irq_set(void *ctrl, unsigned irq, bool level)
{
	(void)ctrl;
	(void)irq;
	if (level && !atomic_exchange(&irq_level, 1))
		atomic_fetch_add(&irq_raises, 1);
	if (!level)
		atomic_store(&irq_level, 0);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char err[256];

	assert_non_null(f);
	assert_int_equal(gmem_init(&f->mem), 0);
	assert_int_equal(gmem_add_ram(&f->mem, RAM, RAM_SIZE), 0);
	pthread_mutex_init(&f->fk.mu, NULL);
	f->fk.sent_tail = &f->fk.sent;
	f->fk.inject_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	assert_true(f->fk.inject_fd >= 0);
	f->dev = virtio_net_new_backend(&fake_ops, &f->fk, &f->mem, err,
					sizeof(err));
	assert_non_null(f->dev);
	f->fk.dev = f->dev;
	f->t = virtio_mmio_new(&virtio_net_ops, f->dev, &f->mem,
			       (struct irq_line){irq_set, NULL, 1});
	assert_non_null(f->t);
	atomic_store(&irq_level, 0);
	atomic_store(&irq_raises, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	virtio_mmio_ops.destroy(f->t); /* stops the I/O thread */
	assert_true(atomic_load(&f->fk.destroyed));
	while (f->fk.sent) {
		struct pkt *p = f->fk.sent;
		f->fk.sent = p->next;
		free(p);
	}
	while (f->fk.inject) {
		struct pkt *p = f->fk.inject;
		f->fk.inject = p->next;
		free(p);
	}
	close(f->fk.inject_fd);
	pthread_mutex_destroy(&f->fk.mu);
	gmem_destroy(&f->mem);
	free(f);
	return 0;
}

/* ---- guest memory and registers ----------------------------------------- */

static void wreg(struct fx *f, uint64_t off, uint32_t v)
{
	assert_true(virtio_mmio_ops.write(f->t, off, 4, v));
}

static uint32_t rreg(struct fx *f, uint64_t off)
{
	uint64_t v;

	assert_true(virtio_mmio_ops.read(f->t, off, 4, &v));
	return (uint32_t)v;
}

static uint8_t rcfg8(struct fx *f, uint64_t off)
{
	uint64_t v;

	assert_true(
		virtio_mmio_ops.read(f->t, VIRTIO_MMIO_CONFIG + off, 1, &v));
	return (uint8_t)v;
}

static void setup_queue(struct fx *f, unsigned q)
{
	memset(hp(f, QBASE(q)), 0, 0x3000);
	f->avail_idx[q] = 0;
	f->next_desc[q] = 0;
	wreg(f, VIRTIO_MMIO_QUEUE_SEL, q);
	wreg(f, VIRTIO_MMIO_QUEUE_NUM, QNUM);
	wreg(f, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)DESC(q));
	wreg(f, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(DESC(q) >> 32));
	wreg(f, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)AVAIL(q));
	wreg(f, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(AVAIL(q) >> 32));
	wreg(f, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)USED(q));
	wreg(f, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(USED(q) >> 32));
	wreg(f, VIRTIO_MMIO_QUEUE_READY, 1);
	assert_int_equal(rreg(f, VIRTIO_MMIO_QUEUE_READY), 1);
}

/* The driver's initialisation sequence (virtio 1.2, 3.1.1). */
static void driver_init(struct fx *f)
{
	uint64_t want =
		(1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_NET_F_MAC) |
		(1ull << VIRTIO_NET_F_STATUS) | (1ull << VIRTIO_NET_F_MTU);

	wreg(f, VIRTIO_MMIO_STATUS, 0);
	wreg(f, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wreg(f, VIRTIO_MMIO_STATUS,
	     VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wreg(f, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wreg(f, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)want);
	wreg(f, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wreg(f, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(want >> 32));
	wreg(f, VIRTIO_MMIO_STATUS,
	     VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
		     VIRTIO_STATUS_FEATURES_OK);
	assert_true(rreg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);
	setup_queue(f, RXQ);
	setup_queue(f, TXQ);
	wreg(f, VIRTIO_MMIO_STATUS,
	     VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
		     VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

static void desc(struct fx *f, unsigned q, unsigned i, uint64_t addr,
		 uint32_t len, uint16_t flags, uint16_t next)
{
	uint64_t d = DESC(q) + 16ull * i;

	w64(f, d, addr);
	w32(f, d + 8, len);
	w16(f, d + 12, flags);
	w16(f, d + 14, next);
}

static void publish(struct fx *f, unsigned q, uint16_t head)
{
	w16(f, AVAIL(q) + 4 + 2 * (f->avail_idx[q] % QNUM), head);
	f->avail_idx[q]++;
	uint16_t le = htole16(f->avail_idx[q]);
	__atomic_store((uint16_t *)(void *)hp(f, AVAIL(q) + 2), &le,
		       __ATOMIC_RELEASE);
}

static void kick(struct fx *f, unsigned q)
{
	wreg(f, VIRTIO_MMIO_QUEUE_NOTIFY, q);
}

/* One-descriptor buffer; returns its head. */
static uint16_t post1(struct fx *f, unsigned q, uint64_t addr, uint32_t len,
		      uint16_t flags)
{
	uint16_t i = f->next_desc[q]++ % QNUM;

	desc(f, q, i, addr, len, flags, 0);
	publish(f, q, i);
	return i;
}

static uint16_t used_idx(struct fx *f, unsigned q)
{
	return r16(f, USED(q) + 2);
}

static uint32_t used_len(struct fx *f, unsigned q, unsigned n)
{
	return r32(f, USED(q) + 4 + 8 * (n % QNUM) + 4);
}

static uint32_t used_id(struct fx *f, unsigned q, unsigned n)
{
	return r32(f, USED(q) + 4 + 8 * (n % QNUM));
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Waits up to 5 s for cond. */
#define WAIT_FOR(cond)                                                         \
	do {                                                                   \
		double deadline_ = now_s() + 5;                                \
		while (!(cond) && now_s() < deadline_)                         \
			usleep(500);                                           \
		assert_true(cond);                                             \
	} while (0)

static struct virtio_net_stats stats(struct fx *f)
{
	struct virtio_net_stats st;

	virtio_net_get_stats(f->dev, &st);
	return st;
}

static void make_frame(uint8_t *buf, size_t len, uint8_t seed)
{
	static const uint8_t dst[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

	memcpy(buf, dst, 6);
	for (size_t i = 6; i < len; i++)
		buf[i] = (uint8_t)(seed + i * 7);
}

/* ---- device identity and config ----------------------------------------- */

static void test_identity_and_config(void **state)
{
	struct fx *f = *state;
	uint32_t lo, hi;

	assert_int_equal(rreg(f, VIRTIO_MMIO_DEVICE_ID), 1);
	wreg(f, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	lo = rreg(f, VIRTIO_MMIO_DEVICE_FEATURES);
	wreg(f, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	hi = rreg(f, VIRTIO_MMIO_DEVICE_FEATURES);
	assert_true(lo & (1u << VIRTIO_NET_F_MAC));
	assert_true(lo & (1u << VIRTIO_NET_F_STATUS));
	assert_true(lo & (1u << VIRTIO_NET_F_MTU));
	assert_false(lo & 1u);	       /* no VIRTIO_NET_F_CSUM */
	assert_false(lo & (1u << 15)); /* no MRG_RXBUF */
	assert_false(lo & (1u << 11)); /* no HOST_TSO4 */
	assert_true(hi & 1u);	       /* VERSION_1 */

	static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
	for (int i = 0; i < 6; i++)
		assert_int_equal(rcfg8(f, i), mac[i]);
	assert_true(mac[0] & 2);  /* locally administered */
	assert_false(mac[0] & 1); /* unicast */
	assert_int_equal(rcfg8(f, 6) | rcfg8(f, 7) << 8, VIRTIO_NET_S_LINK_UP);
	assert_int_equal(rcfg8(f, 10) | rcfg8(f, 11) << 8, 1500);
}

/* ---- transmit ----------------------------------------------------------- */

static void test_tx_frame_reaches_backend(void **state)
{
	struct fx *f = *state;
	uint8_t frame[60];

	driver_init(f);
	make_frame(frame, sizeof(frame), 1);
	memset(hp(f, BUF(TXQ, 0)), 0, VIRTIO_NET_HDR_LEN);
	memcpy(hp(f, BUF(TXQ, 0)) + VIRTIO_NET_HDR_LEN, frame, sizeof(frame));
	uint16_t head = post1(f, TXQ, BUF(TXQ, 0),
			      VIRTIO_NET_HDR_LEN + sizeof(frame), 0);
	kick(f, TXQ);
	WAIT_FOR(used_idx(f, TXQ) == 1);
	assert_int_equal(used_id(f, TXQ, 0), head);
	assert_int_equal(used_len(f, TXQ, 0), 0);
	WAIT_FOR(nsent(&f->fk) == 1);
	assert_int_equal(f->fk.sent->len, sizeof(frame));
	assert_memory_equal(f->fk.sent->data, frame, sizeof(frame));

	/* header and frame in separate descriptors, the frame itself split */
	uint8_t big[1514];
	make_frame(big, sizeof(big), 2);
	memset(hp(f, BUF(TXQ, 1)), 0, VIRTIO_NET_HDR_LEN);
	memcpy(hp(f, BUF(TXQ, 2)), big, 1000);
	memcpy(hp(f, BUF(TXQ, 3)), big + 1000, sizeof(big) - 1000);
	desc(f, TXQ, 1, BUF(TXQ, 1), VIRTIO_NET_HDR_LEN, VQ_DESC_F_NEXT, 2);
	desc(f, TXQ, 2, BUF(TXQ, 2), 1000, VQ_DESC_F_NEXT, 3);
	desc(f, TXQ, 3, BUF(TXQ, 3), sizeof(big) - 1000, 0, 0);
	publish(f, TXQ, 1);
	kick(f, TXQ);
	WAIT_FOR(nsent(&f->fk) == 2);
	WAIT_FOR(used_idx(f, TXQ) == 2);
	assert_int_equal(used_id(f, TXQ, 1), 1);
	assert_int_equal(f->fk.sent->next->len, sizeof(big));
	assert_memory_equal(f->fk.sent->next->data, big, sizeof(big));

	struct virtio_net_stats st = stats(f);
	assert_int_equal(st.tx_packets, 2);
	assert_int_equal(st.tx_bytes, sizeof(frame) + sizeof(big));
	assert_int_equal(st.tx_dropped, 0);
	assert_true(atomic_load(&irq_raises) >= 1); /* used-buffer interrupt */
	assert_true(rreg(f, VIRTIO_MMIO_INTERRUPT_STATUS) & 1);
}

static void test_tx_bad_frames_dropped(void **state)
{
	struct fx *f = *state;
	uint8_t *p;

	driver_init(f);
	/* 1: header + 13 bytes: shorter than an Ethernet header */
	memset(hp(f, BUF(TXQ, 0)), 0, 64);
	post1(f, TXQ, BUF(TXQ, 0), VIRTIO_NET_HDR_LEN + 13, 0);
	/* 2: a bare header */
	post1(f, TXQ, BUF(TXQ, 0), VIRTIO_NET_HDR_LEN, 0);
	/* 3: less than a header */
	post1(f, TXQ, BUF(TXQ, 0), 5, 0);
	/* 4: a GSO frame, never negotiated */
	p = hp(f, BUF(TXQ, 1));
	memset(p, 0, 100);
	p[1] = 1; /* VIRTIO_NET_HDR_GSO_TCPV4 */
	post1(f, TXQ, BUF(TXQ, 1), 100, 0);
	/* 5: a partial checksum, never negotiated */
	p = hp(f, BUF(TXQ, 2));
	memset(p, 0, 100);
	p[0] = 1; /* VIRTIO_NET_HDR_F_NEEDS_CSUM */
	post1(f, TXQ, BUF(TXQ, 2), 100, 0);
	/* 6: longer than 65535 bytes after the header (two descriptors) */
	desc(f, TXQ, 5, BUF(TXQ, 3), 0x10000, VQ_DESC_F_NEXT, 6);
	desc(f, TXQ, 6, BUF(TXQ, 3), 0x10, 0, 0);
	f->next_desc[TXQ] = 7;
	publish(f, TXQ, 5);
	/* 7: a good one at the end: the queue keeps working */
	p = hp(f, BUF(TXQ, 4));
	memset(p, 0, VIRTIO_NET_HDR_LEN);
	make_frame(p + VIRTIO_NET_HDR_LEN, 14, 3);
	post1(f, TXQ, BUF(TXQ, 4), VIRTIO_NET_HDR_LEN + 14, 0);
	kick(f, TXQ);

	WAIT_FOR(used_idx(f, TXQ) == 7);
	WAIT_FOR(nsent(&f->fk) == 1);
	assert_int_equal(f->fk.sent->len, 14);
	struct virtio_net_stats st = stats(f);
	assert_int_equal(st.tx_dropped, 6);
	assert_int_equal(st.tx_packets, 1);
	assert_int_equal(st.tx_bytes, 14);
	assert_false(rreg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
}

/* ---- receive ------------------------------------------------------------ */

static void check_rx(struct fx *f, unsigned n, uint64_t buf,
		     const uint8_t *frame, size_t len)
{
	static const uint8_t want_hdr[VIRTIO_NET_HDR_LEN] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0}; /* num_buffers = 1 */

	assert_int_equal(used_len(f, RXQ, n), VIRTIO_NET_HDR_LEN + len);
	assert_memory_equal(hp(f, buf), want_hdr, VIRTIO_NET_HDR_LEN);
	assert_memory_equal(hp(f, buf) + VIRTIO_NET_HDR_LEN, frame, len);
}

static void test_rx_into_posted_buffer(void **state)
{
	struct fx *f = *state;
	uint8_t frame[100];

	driver_init(f);
	memset(hp(f, BUF(RXQ, 0)), 0xee, 2048);
	uint16_t head = post1(f, RXQ, BUF(RXQ, 0), 1526, VQ_DESC_F_WRITE);
	kick(f, RXQ);
	make_frame(frame, sizeof(frame), 4);
	inject(&f->fk, frame, sizeof(frame));
	WAIT_FOR(used_idx(f, RXQ) == 1);
	assert_int_equal(used_id(f, RXQ, 0), head);
	check_rx(f, 0, BUF(RXQ, 0), frame, sizeof(frame));
	/* nothing written past the frame */
	assert_int_equal(hp(f, BUF(RXQ, 0))[VIRTIO_NET_HDR_LEN + sizeof(frame)],
			 0xee);
	WAIT_FOR(rreg(f, VIRTIO_MMIO_INTERRUPT_STATUS) & 1);
	wreg(f, VIRTIO_MMIO_INTERRUPT_ACK, 1);
	assert_int_equal(atomic_load(&irq_level), 0);

	/* header and data in separate writable descriptors */
	desc(f, RXQ, 1, BUF(RXQ, 1), VIRTIO_NET_HDR_LEN,
	     VQ_DESC_F_WRITE | VQ_DESC_F_NEXT, 2);
	desc(f, RXQ, 2, BUF(RXQ, 1) + VIRTIO_NET_HDR_LEN, 1514, VQ_DESC_F_WRITE,
	     0);
	f->next_desc[RXQ] = 3;
	publish(f, RXQ, 1);
	kick(f, RXQ);
	make_frame(frame, sizeof(frame), 5);
	inject(&f->fk, frame, sizeof(frame));
	WAIT_FOR(used_idx(f, RXQ) == 2);
	check_rx(f, 1, BUF(RXQ, 1), frame, sizeof(frame));

	struct virtio_net_stats st = stats(f);
	assert_int_equal(st.rx_packets, 2);
	assert_int_equal(st.rx_bytes, 2 * sizeof(frame));
	assert_int_equal(st.rx_dropped, 0);
}

static void test_rx_waits_for_buffers(void **state)
{
	struct fx *f = *state;
	uint8_t frames[3][200];

	driver_init(f);
	for (int i = 0; i < 3; i++) {
		make_frame(frames[i], sizeof(frames[i]), (uint8_t)(10 + i));
		inject(&f->fk, frames[i], sizeof(frames[i]));
	}
	WAIT_FOR(stats(f).rx_queued == 3);
	usleep(20000);
	assert_int_equal(used_idx(f, RXQ), 0);

	/* the driver posts buffers and kicks: all three arrive, in order */
	for (int i = 0; i < 3; i++)
		post1(f, RXQ, BUF(RXQ, i), 1526, VQ_DESC_F_WRITE);
	kick(f, RXQ);
	WAIT_FOR(used_idx(f, RXQ) == 3);
	for (int i = 0; i < 3; i++)
		check_rx(f, (unsigned)i, BUF(RXQ, i), frames[i],
			 sizeof(frames[i]));
	struct virtio_net_stats st = stats(f);
	assert_int_equal(st.rx_packets, 3);
	assert_int_equal(st.rx_queued, 0);
	assert_int_equal(st.rx_dropped, 0);
}

static void test_rx_buffer_too_small(void **state)
{
	struct fx *f = *state;
	uint8_t frame[100];

	driver_init(f);
	post1(f, RXQ, BUF(RXQ, 0), VIRTIO_NET_HDR_LEN + 50, VQ_DESC_F_WRITE);
	post1(f, RXQ, BUF(RXQ, 1), 1526, VQ_DESC_F_WRITE);
	kick(f, RXQ);
	make_frame(frame, sizeof(frame), 6);
	inject(&f->fk, frame, sizeof(frame));
	inject(&f->fk, frame, sizeof(frame));
	WAIT_FOR(used_idx(f, RXQ) == 2);
	assert_int_equal(used_len(f, RXQ, 0), 0); /* returned empty */
	check_rx(f, 1, BUF(RXQ, 1), frame, sizeof(frame));
	struct virtio_net_stats st = stats(f);
	assert_int_equal(st.rx_dropped, 1);
	assert_int_equal(st.rx_packets, 1);
}

static void test_rx_before_driver_ok_dropped(void **state)
{
	struct fx *f = *state;
	uint8_t frame[64];

	make_frame(frame, sizeof(frame), 7);
	inject(&f->fk, frame, sizeof(frame));
	WAIT_FOR(stats(f).rx_dropped == 1);
	assert_int_equal(stats(f).rx_queued, 0);
}

/* ---- errors and reset --------------------------------------------------- */

static void test_malformed_tx_ring_needs_reset(void **state)
{
	struct fx *f = *state;
	uint8_t frame[60];

	driver_init(f);
	atomic_store(&irq_raises, 0);
	/* a chain whose next index is outside the ring */
	desc(f, TXQ, 0, BUF(TXQ, 0), VIRTIO_NET_HDR_LEN, VQ_DESC_F_NEXT,
	     QNUM + 3);
	publish(f, TXQ, 0);
	kick(f, TXQ);
	WAIT_FOR(rreg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
	WAIT_FOR(rreg(f, VIRTIO_MMIO_INTERRUPT_STATUS) & 2); /* config change */
	assert_int_equal(f->t->errors, 1);
	assert_int_equal(nsent(&f->fk), 0);

	/* the driver resets and starts over: the device works again */
	driver_init(f);
	assert_false(rreg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
	uint8_t *p = hp(f, BUF(TXQ, 1));
	memset(p, 0, VIRTIO_NET_HDR_LEN);
	make_frame(frame, sizeof(frame), 8);
	memcpy(p + VIRTIO_NET_HDR_LEN, frame, sizeof(frame));
	post1(f, TXQ, BUF(TXQ, 1), VIRTIO_NET_HDR_LEN + sizeof(frame), 0);
	kick(f, TXQ);
	WAIT_FOR(nsent(&f->fk) == 1);
	assert_memory_equal(f->fk.sent->data, frame, sizeof(frame));
}

static void test_malformed_rx_ring_needs_reset(void **state)
{
	struct fx *f = *state;
	uint8_t frame[60];

	driver_init(f);
	/* the available index runs more than a ring's worth ahead */
	uint16_t le = htole16(QNUM + 5);
	memcpy(hp(f, AVAIL(RXQ) + 2), &le, 2);
	make_frame(frame, sizeof(frame), 9);
	inject(&f->fk, frame, sizeof(frame));
	WAIT_FOR(rreg(f, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
	WAIT_FOR(stats(f).rx_dropped == 1);
	assert_int_equal(used_idx(f, RXQ), 0);
}

static void test_reset_drops_queued_frames(void **state)
{
	struct fx *f = *state;
	uint8_t old[80], fresh[90];

	driver_init(f);
	make_frame(old, sizeof(old), 11);
	inject(&f->fk, old, sizeof(old));
	inject(&f->fk, old, sizeof(old));
	WAIT_FOR(stats(f).rx_queued == 2);

	driver_init(f); /* starts with a reset */
	for (int i = 0; i < 4; i++)
		post1(f, RXQ, BUF(RXQ, i), 1526, VQ_DESC_F_WRITE);
	kick(f, RXQ);
	make_frame(fresh, sizeof(fresh), 12);
	inject(&f->fk, fresh, sizeof(fresh));
	WAIT_FOR(used_idx(f, RXQ) >= 1);
	usleep(20000);
	assert_int_equal(used_idx(f, RXQ), 1);
	check_rx(f, 0, BUF(RXQ, 0), fresh, sizeof(fresh));
	struct virtio_net_stats st = stats(f);
	assert_int_equal(st.rx_dropped, 2);
	assert_int_equal(st.rx_queued, 0);
}

/* Many frames through small rings both ways: nothing lost or reordered. */
static void test_many_frames(void **state)
{
	struct fx *f = *state;
	enum { N = 200 };
	uint8_t frame[300];

	driver_init(f);
	/* receive: the driver keeps QNUM buffers posted, refilling as the
	 * device uses them */
	for (int i = 0; i < QNUM; i++)
		post1(f, RXQ, BUF(RXQ, i), 1526, VQ_DESC_F_WRITE);
	kick(f, RXQ);
	uint16_t seen = 0;
	int injected = 0;
	double deadline = now_s() + 10;
	while (seen < N) {
		assert_true(now_s() < deadline);
		if (injected < N && injected - seen < 64) {
			make_frame(frame, sizeof(frame), (uint8_t)injected);
			frame[6] = (uint8_t)injected;
			inject(&f->fk, frame, sizeof(frame));
			injected++;
		}
		uint16_t u = used_idx(f, RXQ);
		while (seen != u) {
			uint32_t id = used_id(f, RXQ, seen);
			assert_true(id < QNUM);
			assert_int_equal(used_len(f, RXQ, seen),
					 VIRTIO_NET_HDR_LEN + sizeof(frame));
			assert_int_equal(
				hp(f, BUF(RXQ, id))[VIRTIO_NET_HDR_LEN + 6],
				(uint8_t)seen);
			publish(f, RXQ, (uint16_t)id); /* recycle */
			kick(f, RXQ);
			seen++;
		}
		if (injected == N)
			usleep(100);
	}
	/* frames beyond the ring's size waited in the device, none lost */
	assert_int_equal(stats(f).rx_dropped, 0);
	assert_int_equal(stats(f).rx_packets, N);

	/* transmit: N frames through an 8-entry ring */
	for (int i = 0; i < N; i++) {
		while ((uint16_t)(f->avail_idx[TXQ] - used_idx(f, TXQ)) == QNUM)
			usleep(100);
		unsigned slot = (unsigned)i % QNUM;
		uint8_t *p = hp(f, BUF(TXQ, slot));
		memset(p, 0, VIRTIO_NET_HDR_LEN);
		make_frame(p + VIRTIO_NET_HDR_LEN, 64, (uint8_t)i);
		p[VIRTIO_NET_HDR_LEN + 6] = (uint8_t)i;
		desc(f, TXQ, slot, BUF(TXQ, slot), VIRTIO_NET_HDR_LEN + 64, 0,
		     0);
		publish(f, TXQ, (uint16_t)slot);
		kick(f, TXQ);
	}
	WAIT_FOR(nsent(&f->fk) == N);
	int i = 0;
	for (struct pkt *p = f->fk.sent; p; p = p->next, i++)
		assert_int_equal(p->data[6], (uint8_t)i);
	assert_int_equal(stats(f).tx_packets, N);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_identity_and_config),
		T(test_tx_frame_reaches_backend),
		T(test_tx_bad_frames_dropped),
		T(test_rx_into_posted_buffer),
		T(test_rx_waits_for_buffers),
		T(test_rx_buffer_too_small),
		T(test_rx_before_driver_ok_dropped),
		T(test_malformed_tx_ring_needs_reset),
		T(test_malformed_rx_ring_needs_reset),
		T(test_reset_drops_queued_frames),
		T(test_many_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
