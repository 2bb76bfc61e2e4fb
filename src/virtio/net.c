/* net.c - virtio-net: the device (virtio 1.2, 5.1) and its I/O thread.
 *
 * Data paths, all on the I/O thread:
 *  - transmit: the driver kicks queue 1 -> queue_notify (vcpu thread, lock
 *    held) sets a flag and writes the eventfd -> the I/O thread pops chains
 *    under the transport lock, copies header + frame out, returns the
 *    buffer, drops the lock and hands the frame to the backend.
 *  - receive: the backend calls virtio_net_rx() from inside its poll() or
 *    send(); frames are appended to a bounded pending list (no lock: only
 *    this thread touches it), then moved into receive buffers under the
 *    lock. With no buffer posted they wait until the driver kicks queue 0;
 *    above PENDING_HIGH the backend is asked to stop reading, beyond
 *    PENDING_MAX frames are dropped.
 * Receive kicks are only asked for while frames wait for buffers, transmit
 * kicks are off while the thread drains the ring. */
#include "virtio/net.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "backend/net_slirp.h"
#include "backend/net_tap.h"
#include "base/log.h"

enum { Q_RX = 0, Q_TX = 1 };

#define NET_QUEUE_MAX 256
#define PENDING_HIGH  256  /* ask the backend to stop reading */
#define PENDING_MAX   1024 /* drop beyond this */
#define TX_BATCH      256  /* frames per turn before looking at rx */
#define IRQ_BATCH     32   /* used-ring entries between notifications */

/* struct virtio_net_hdr, VERSION_1 layout */
#define HDR_F_NEEDS_CSUM 1
#define HDR_GSO_NONE	 0

static const uint8_t default_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

struct frame {
	struct frame *next;
	size_t len;
	unsigned gen; /* reset_gen when it arrived */
	uint8_t data[];
};

struct virtio_net {
	const struct net_backend_ops *be_ops;
	void *be;
	_Atomic(struct virtio_mmio *) t;
	uint8_t config[12]; /* mac[6], status, max_virtqueue_pairs, mtu */

	pthread_t thread;
	bool thread_started;
	int wake_fd;
	atomic_bool stop;
	atomic_uint kicks; /* 1 << queue: kicked since the thread looked */

	/* bumped by reset (under the transport lock): frames that arrived
	 * before it are stale */
	atomic_uint reset_gen;

	/* I/O thread only */
	struct frame *pend_head, **pend_tail;
	unsigned npending;
	bool tx_more;
	struct vq_chain chain;
	uint8_t txbuf[VIRTIO_NET_HDR_LEN + VIRTIO_NET_MAX_FRAME];

	/* written by the I/O thread, read by anyone */
	_Atomic uint64_t tx_packets, tx_bytes, tx_dropped;
	_Atomic uint64_t rx_packets, rx_bytes, rx_dropped;
	_Atomic unsigned rx_queued;
};

static void count(_Atomic uint64_t *c, uint64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static void wake(struct virtio_net *n)
{
	uint64_t one = 1;

	/* EAGAIN: the counter is saturated, the thread wakes anyway */
	if (write(n->wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_warn("virtio-net: eventfd write: %s", strerror(errno));
}

/* ---- receive ------------------------------------------------------------ */

bool virtio_net_rx(void *dev, const uint8_t *frame, size_t len)
{
	struct virtio_net *n = dev;
	struct frame *f;

	if (len < VIRTIO_NET_MIN_FRAME || len > VIRTIO_NET_MAX_FRAME ||
	    n->npending >= PENDING_MAX || !(f = malloc(sizeof(*f) + len))) {
		count(&n->rx_dropped, 1);
		return false;
	}
	f->next = NULL;
	f->len = len;
	f->gen = atomic_load_explicit(&n->reset_gen, memory_order_relaxed);
	memcpy(f->data, frame, len);
	*n->pend_tail = f;
	n->pend_tail = &f->next;
	n->npending++;
	atomic_store_explicit(&n->rx_queued, n->npending, memory_order_relaxed);
	return n->npending < PENDING_HIGH;
}

static void pending_pop(struct virtio_net *n)
{
	struct frame *f = n->pend_head;

	n->pend_head = f->next;
	if (!n->pend_head)
		n->pend_tail = &n->pend_head;
	n->npending--;
	atomic_store_explicit(&n->rx_queued, n->npending, memory_order_relaxed);
	free(f);
}

static void pending_drop_all(struct virtio_net *n)
{
	if (n->npending)
		count(&n->rx_dropped, n->npending);
	while (n->pend_head)
		pending_pop(n);
}

static bool driver_live(const struct virtio_mmio *t, unsigned q)
{
	return (t->status & VIRTIO_STATUS_DRIVER_OK) &&
	       !(t->status & VIRTIO_STATUS_NEEDS_RESET) && t->vq[q].ready;
}

/* Moves pending frames into receive buffers. */
static void flush_rx(struct virtio_net *n)
{
	struct virtio_mmio *t = atomic_load(&n->t);
	struct virtqueue *vq;
	unsigned since_irq = 0;

	if (!t) {
		pending_drop_all(n);
		return;
	}
	virtio_mmio_lock(t);
	vq = &t->vq[Q_RX];
	if (!driver_live(t, Q_RX)) {
		pending_drop_all(n);
		virtio_mmio_unlock(t);
		return;
	}
	while (n->pend_head) {
		struct frame *f = n->pend_head;
		uint8_t hdr[VIRTIO_NET_HDR_LEN] = {0};
		int got;

		if (f->gen != atomic_load(&n->reset_gen)) {
			/* arrived before the driver reset the device */
			count(&n->rx_dropped, 1);
			pending_pop(n);
			continue;
		}
		got = vq_pop(vq, &n->chain);
		if (got < 0) {
			virtio_mmio_fail_locked(t, vq->error ? vq->error
							     : "bad ring");
			pending_drop_all(n);
			break;
		}
		if (got == 0) {
			/* out of buffers: have the driver kick when it posts
			 * more, unless some arrived meanwhile */
			if (vq_enable_kicks(vq))
				continue;
			break;
		}
		if (n->chain.in_len < VIRTIO_NET_HDR_LEN + f->len) {
			/* without MRG_RXBUF a buffer must hold the whole frame;
			 * return it empty (the driver counts a length error) */
			vq_push(vq, &n->chain, 0);
			count(&n->rx_dropped, 1);
		} else {
			hdr[10] = 1; /* num_buffers, little-endian */
			vq_chain_write(vq, &n->chain, 0, hdr, sizeof(hdr));
			vq_chain_write(vq, &n->chain, sizeof(hdr), f->data,
				       f->len);
			vq_push(vq, &n->chain,
				(uint32_t)(VIRTIO_NET_HDR_LEN + f->len));
			count(&n->rx_packets, 1);
			count(&n->rx_bytes, f->len);
		}
		pending_pop(n);
		if (++since_irq == IRQ_BATCH) {
			since_irq = 0;
			virtio_mmio_used_locked(t, Q_RX);
		}
	}
	/* Nothing waits: receive kicks would only cost exits. */
	if (!n->pend_head && !vq->broken)
		vq_disable_kicks(vq);
	virtio_mmio_used_locked(t, Q_RX);
	virtio_mmio_unlock(t);
}

/* ---- transmit ----------------------------------------------------------- */

/* Takes the next frame off the transmit ring into txbuf. Returns its
 * length (> 0), 0 when the ring is empty (kicks re-enabled), -1 for a
 * frame that was dropped (the caller goes on). */
static long tx_pop_locked(struct virtio_net *n, struct virtio_mmio *t)
{
	struct virtqueue *vq = &t->vq[Q_TX];
	int got;

	for (;;) {
		got = vq_pop(vq, &n->chain);
		if (got < 0) {
			virtio_mmio_fail_locked(t, vq->error ? vq->error
							     : "bad ring");
			return 0;
		}
		if (got == 1)
			break;
		if (!vq_enable_kicks(vq))
			return 0;
	}
	uint32_t len = n->chain.out_len;
	long ret = -1;
	if (len >= VIRTIO_NET_HDR_LEN + VIRTIO_NET_MIN_FRAME &&
	    len <= VIRTIO_NET_HDR_LEN + VIRTIO_NET_MAX_FRAME &&
	    vq_chain_read(vq, &n->chain, 0, n->txbuf, len) == len) {
		/* No offloads were offered: a partial checksum or a GSO
		 * frame cannot be sent as it is. */
		uint8_t flags = n->txbuf[0], gso_type = n->txbuf[1];
		if (!(flags & HDR_F_NEEDS_CSUM) && gso_type == HDR_GSO_NONE)
			ret = (long)len;
	}
	vq_push(vq, &n->chain, 0);
	if (ret < 0)
		count(&n->tx_dropped, 1);
	return ret;
}

static void process_tx(struct virtio_net *n)
{
	struct virtio_mmio *t = atomic_load(&n->t);
	unsigned done = 0, since_irq = 0;

	n->tx_more = false;
	if (!t)
		return;
	for (;;) {
		long len;

		virtio_mmio_lock(t);
		if (!driver_live(t, Q_TX)) {
			virtio_mmio_unlock(t);
			return;
		}
		if (done == 0)
			vq_disable_kicks(&t->vq[Q_TX]);
		if (done == TX_BATCH) {
			/* let receive run; come back without sleeping */
			virtio_mmio_used_locked(t, Q_TX);
			virtio_mmio_unlock(t);
			n->tx_more = true;
			return;
		}
		len = tx_pop_locked(n, t);
		if (len == 0 || ++since_irq == IRQ_BATCH) {
			since_irq = 0;
			virtio_mmio_used_locked(t, Q_TX);
		}
		virtio_mmio_unlock(t);
		if (len == 0)
			return;
		done++;
		if (len < 0)
			continue;
		const uint8_t *frame = n->txbuf + VIRTIO_NET_HDR_LEN;
		size_t flen = (size_t)len - VIRTIO_NET_HDR_LEN;
		if (n->be_ops->send(n->be, frame, flen)) {
			count(&n->tx_packets, 1);
			count(&n->tx_bytes, flen);
		} else {
			count(&n->tx_dropped, 1);
		}
	}
}

/* ---- the I/O thread ----------------------------------------------------- */

static void *io_thread(void *arg)
{
	struct virtio_net *n = arg;
	sigset_t all;

	/* Signals belong to the main thread; a SIGPIPE from a host socket
	 * libslirp writes to stays pending here instead of killing us. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);

	while (!atomic_load(&n->stop)) {
		bool rx_ok = n->npending < PENDING_HIGH;

		if (n->tx_more) {
			/* do not sleep: more transmit work is waiting */
			wake(n);
		}
		if (n->be_ops->poll(n->be, n->wake_fd, rx_ok)) {
			uint64_t v;
			if (read(n->wake_fd, &v, sizeof(v)) < 0 &&
			    errno != EAGAIN)
				log_warn("virtio-net: eventfd read: %s",
					 strerror(errno));
		}
		unsigned k = atomic_exchange(&n->kicks, 0);
		if ((k & (1u << Q_TX)) || n->tx_more)
			process_tx(n);
		if (n->pend_head || (k & (1u << Q_RX)))
			flush_rx(n);
	}
	return NULL;
}

/* ---- virtio_dev_ops ----------------------------------------------------- */

static void net_attach(void *dev, struct virtio_mmio *t)
{
	struct virtio_net *n = dev;

	atomic_store(&n->t, t);
}

static void net_config_read(void *dev, uint32_t off, void *buf, uint32_t len)
{
	struct virtio_net *n = dev;

	memcpy(buf, n->config + off, len); /* bounds checked by the transport */
}

static void net_queue_notify(void *dev, struct virtio_mmio *t, unsigned q)
{
	struct virtio_net *n = dev;

	(void)t;
	/* If the bit was already set the thread has yet to look: no need to
	 * wake it again. */
	if (!(atomic_fetch_or(&n->kicks, 1u << q) & (1u << q)))
		wake(n);
}

static void net_reset(void *dev, struct virtio_mmio *t)
{
	struct virtio_net *n = dev;

	(void)t;
	atomic_fetch_add(&n->reset_gen, 1); /* the I/O thread drops what it
						 queued before */
}

static void net_destroy(void *dev)
{
	struct virtio_net *n = dev;

	if (!n)
		return;
	if (n->thread_started) {
		atomic_store(&n->stop, true);
		wake(n);
		pthread_join(n->thread, NULL);
	}
	if (n->be)
		n->be_ops->destroy(n->be);
	while (n->pend_head)
		pending_pop(n);
	if (n->wake_fd >= 0)
		close(n->wake_fd);
	free(n);
}

const struct virtio_dev_ops virtio_net_ops = {
	.name = "net",
	.device_id = 1,
	.features = (1ull << VIRTIO_NET_F_MAC) | (1ull << VIRTIO_NET_F_STATUS) |
		    (1ull << VIRTIO_NET_F_MTU),
	.nqueues = 2,
	.queue_max = NET_QUEUE_MAX,
	.config_size = sizeof(((struct virtio_net *)0)->config),
	.attach = net_attach,
	.config_read = net_config_read,
	.queue_notify = net_queue_notify,
	.reset = net_reset,
	.destroy = net_destroy,
};

void virtio_net_get_stats(void *dev, struct virtio_net_stats *st)
{
	struct virtio_net *n = dev;

	st->tx_packets =
		atomic_load_explicit(&n->tx_packets, memory_order_relaxed);
	st->tx_bytes = atomic_load_explicit(&n->tx_bytes, memory_order_relaxed);
	st->tx_dropped =
		atomic_load_explicit(&n->tx_dropped, memory_order_relaxed);
	st->rx_packets =
		atomic_load_explicit(&n->rx_packets, memory_order_relaxed);
	st->rx_bytes = atomic_load_explicit(&n->rx_bytes, memory_order_relaxed);
	st->rx_dropped =
		atomic_load_explicit(&n->rx_dropped, memory_order_relaxed);
	st->rx_queued =
		atomic_load_explicit(&n->rx_queued, memory_order_relaxed);
}

/* ---- construction ------------------------------------------------------- */

static struct virtio_net *net_alloc(char *err, size_t errlen)
{
	struct virtio_net *n = calloc(1, sizeof(*n));

	if (!n) {
		snprintf(err, errlen, "virtio-net: out of memory");
		return NULL;
	}
	n->pend_tail = &n->pend_head;
	memcpy(n->config, default_mac, 6);
	n->config[6] = VIRTIO_NET_S_LINK_UP;   /* status, le16 */
	n->config[8] = 1;		       /* max_virtqueue_pairs, le16 */
	n->config[10] = VIRTIO_NET_MTU & 0xff; /* mtu, le16 */
	n->config[11] = VIRTIO_NET_MTU >> 8;
	n->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (n->wake_fd < 0) {
		snprintf(err, errlen, "virtio-net: eventfd: %s",
			 strerror(errno));
		free(n);
		return NULL;
	}
	return n;
}

static void *net_start(struct virtio_net *n, const struct net_backend_ops *ops,
		       void *be, char *err, size_t errlen)
{
	int r;

	n->be_ops = ops;
	n->be = be;
	r = pthread_create(&n->thread, NULL, io_thread, n);
	if (r) {
		snprintf(err, errlen, "virtio-net: cannot start I/O thread: %s",
			 strerror(r));
		net_destroy(n);
		return NULL;
	}
	pthread_setname_np(n->thread, "net-io");
	n->thread_started = true;
	return n;
}

static const struct net_backend_ops slirp_ops = {
	.name = "user",
	.poll = net_slirp_poll,
	.send = net_slirp_send,
	.destroy = net_slirp_destroy,
};

static const struct net_backend_ops tap_ops = {
	.name = "tap",
	.poll = net_tap_poll,
	.send = net_tap_send,
	.destroy = net_tap_destroy,
};

void *virtio_net_new(const struct net_config *cfg, struct guest_mem *mem,
		     char *err, size_t errlen)
{
	struct virtio_net *n = net_alloc(err, errlen);
	const struct net_backend_ops *ops;
	void *be = NULL;

	(void)mem; /* guest memory is reached through the transport's rings */
	if (!n)
		return NULL;
	switch (cfg->mode) {
	case NET_USER: {
		struct net_slirp_fwd fwd[NET_MAX_FWD];
		unsigned nfwd =
			cfg->nfwd < NET_MAX_FWD ? cfg->nfwd : NET_MAX_FWD;
		for (unsigned i = 0; i < nfwd; i++)
			fwd[i] = (struct net_slirp_fwd){cfg->fwd[i].host_port,
							cfg->fwd[i].guest_port};
		ops = &slirp_ops;
		be = net_slirp_new(fwd, nfwd, virtio_net_rx, n, err, errlen);
		break;
	}
	case NET_TAP:
		ops = &tap_ops;
		be = net_tap_new(cfg->tap_ifname, virtio_net_rx, n, err,
				 errlen);
		break;
	default:
		snprintf(err, errlen, "--net: no backend");
		net_destroy(n);
		return NULL;
	}
	if (!be) {
		net_destroy(n);
		return NULL;
	}
	return net_start(n, ops, be, err, errlen);
}

void *virtio_net_new_backend(const struct net_backend_ops *ops, void *be,
			     struct guest_mem *mem, char *err, size_t errlen)
{
	struct virtio_net *n = net_alloc(err, errlen);

	(void)mem;
	if (!n) {
		ops->destroy(be);
		return NULL;
	}
	return net_start(n, ops, be, err, errlen);
}
