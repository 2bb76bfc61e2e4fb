#include "virtio/console.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

enum { Q_RX = 0, Q_TX = 1 };

struct virtio_console {
	int out_fd;
	struct virtio_mmio *t; /* set once, before any thread runs */
	struct vq_chain chain;
	uint8_t buf[4096];
	uint64_t tx_bytes, rx_bytes;
};

static void emit(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void con_notify(void *dev, struct virtio_mmio *t, unsigned q)
{
	struct virtio_console *c = dev;
	struct virtqueue *vq = &t->vq[q];
	int got;

	if (q != Q_TX)
		return; /* new receive buffers: used when input arrives */
	while ((got = vq_pop(vq, &c->chain)) == 1) {
		size_t off = 0, n;
		while ((n = vq_chain_read(vq, &c->chain, off, c->buf,
					  sizeof(c->buf))) > 0) {
			emit(c->out_fd, c->buf, n);
			off += n;
		}
		c->tx_bytes += off;
		vq_push(vq, &c->chain, 0);
	}
	if (got < 0)
		virtio_mmio_fail_locked(t, vq->error ? vq->error : "bad ring");
	virtio_mmio_used_locked(t, q);
}

static void con_attach(void *dev, struct virtio_mmio *t)
{
	struct virtio_console *c = dev;

	c->t = t;
}

size_t virtio_console_input(void *dev, const uint8_t *buf, size_t len)
{
	struct virtio_console *c = dev;
	struct virtio_mmio *t = c->t;
	size_t done = 0;

	if (!t)
		return 0;
	virtio_mmio_lock(t);
	struct virtqueue *vq = &t->vq[Q_RX];
	if ((t->status & VIRTIO_STATUS_DRIVER_OK) && vq->ready) {
		while (done < len) {
			int got = vq_pop(vq, &c->chain);
			if (got < 0)
				virtio_mmio_fail_locked(
					t, vq->error ? vq->error : "bad ring");
			if (got != 1)
				break;
			size_t n = vq_chain_write(vq, &c->chain, 0, buf + done,
						  len - done);
			vq_push(vq, &c->chain, (uint32_t)n);
			done += n;
			if (!n)
				break;
		}
		c->rx_bytes += done;
		virtio_mmio_used_locked(t, Q_RX);
	}
	virtio_mmio_unlock(t);
	return done;
}

static void con_destroy(void *dev)
{
	free(dev);
}

const struct virtio_dev_ops virtio_console_ops = {
	.name = "console",
	.device_id = 3,
	.nqueues = 2,
	.queue_max = 256,
	.queue_notify = con_notify,
	.attach = con_attach,
	.destroy = con_destroy,
};

void *virtio_console_new(int out_fd)
{
	struct virtio_console *c = calloc(1, sizeof(*c));

	if (c)
		c->out_fd = out_fd;
	return c;
}
