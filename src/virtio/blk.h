/* blk.h - virtio-blk (device id 2) over a host file backend.
 *
 * One request queue. Requests: IN, OUT, FLUSH, GET_ID, DISCARD and
 * WRITE_ZEROES (virtio 1.2, 5.2); anything else is answered
 * VIRTIO_BLK_S_UNSUPP, malformed requests VIRTIO_BLK_S_IOERR, and a chain
 * without a device-writable status byte sets DEVICE_NEEDS_RESET.
 *
 * Many requests are in flight at once: the vcpu thread that kicks the queue
 * pops requests and submits them to io_uring; an I/O thread of the device
 * completes them. Without io_uring (io_uring_queue_init() fails, or
 * RVISOR_NO_IO_URING=1 in the environment) a few worker threads run them
 * with preadv/pwritev/fdatasync/fallocate. See blk.c for the locking. */
#ifndef RVISOR_VIRTIO_BLK_H
#define RVISOR_VIRTIO_BLK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virtio/mmio.h"

struct blk_config {
	const char *path;
	bool readonly;
	const char *serial; /* VIRTIO_BLK_T_GET_ID; NULL: none */
};

/* Host-visible counters (since the device was created). */
struct virtio_blk_stats {
	uint64_t reads, writes, flushes, get_ids, discards, write_zeroes;
	uint64_t read_bytes, write_bytes;
	uint64_t unsupported;  /* answered VIRTIO_BLK_S_UNSUPP */
	uint64_t bad_requests; /* malformed by the driver: IOERR, no host I/O */
	uint64_t io_errors;    /* the host I/O failed: IOERR */
	uint64_t inflight;     /* requests with the host now */
	uint64_t max_inflight; /* ... at most, at one time */
	uint64_t inline_completions; /* reaped right after submission */
	uint64_t async_completions;  /* reaped by the I/O thread / workers */
	uint64_t short_transfers;    /* a read/write resubmitted for the rest */
	uint64_t zero_fallbacks;     /* WRITE_ZEROES done by writing zeros */
	uint64_t stalls;    /* the ring held more requests than request slots */
	uint64_t cancelled; /* in flight when the driver reset the device */
	bool io_uring;	    /* false: preadv/pwritev worker threads */
};

extern const struct virtio_dev_ops virtio_blk_ops;
/* Opens (and locks) the image. NULL with a message naming the problem. */
void *virtio_blk_new(const struct blk_config *cfg, struct guest_mem *mem,
		     char *err, size_t errlen);
/* A consistent snapshot of the counters (takes the transport lock once the
 * device is attached: not from inside a transport callback). */
void virtio_blk_get_stats(void *dev, struct virtio_blk_stats *out);

#endif
