/* rng.h - virtio-rng (device id 4): one queue of device-writable buffers,
 * filled from the host's getrandom(). */
#ifndef RVISOR_VIRTIO_RNG_H
#define RVISOR_VIRTIO_RNG_H

#include "virtio/mmio.h"

extern const struct virtio_dev_ops virtio_rng_ops;
void *virtio_rng_new(void);

#endif
