#include "virtio/rng.h"

#include <stdlib.h>
#include <sys/random.h>

#define RNG_CHUNK 4096

struct virtio_rng {
	struct vq_chain chain;
	uint8_t buf[RNG_CHUNK];
	uint64_t bytes;
};

static void rng_notify(void *dev, struct virtio_mmio *t, unsigned q)
{
	struct virtio_rng *r = dev;
	struct virtqueue *vq = &t->vq[q];
	int got;

	/* requests are served inline: getrandom() does not block once the
	 * host pool is initialised, and the buffers are small */
	while ((got = vq_pop(vq, &r->chain)) == 1) {
		uint32_t want = r->chain.in_len, done = 0;
		while (done < want) {
			size_t n = want - done < RNG_CHUNK ? want - done
							   : RNG_CHUNK;
			ssize_t g = getrandom(r->buf, n, 0);
			if (g <= 0)
				break;
			vq_chain_write(vq, &r->chain, done, r->buf, (size_t)g);
			done += (uint32_t)g;
		}
		r->bytes += done;
		vq_push(vq, &r->chain, done);
	}
	if (got < 0)
		virtio_mmio_fail_locked(t, vq->error ? vq->error : "bad ring");
	virtio_mmio_used_locked(t, q);
}

static void rng_destroy(void *dev)
{
	free(dev);
}

const struct virtio_dev_ops virtio_rng_ops = {
	.name = "rng",
	.device_id = 4,
	.nqueues = 1,
	.queue_max = 256,
	.queue_notify = rng_notify,
	.destroy = rng_destroy,
};

void *virtio_rng_new(void)
{
	return calloc(1, sizeof(struct virtio_rng));
}
