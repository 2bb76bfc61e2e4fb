/* blk.h - virtio-blk (device id 2) over a host file backend. */
#ifndef RVISOR_VIRTIO_BLK_H
#define RVISOR_VIRTIO_BLK_H

#include <stdbool.h>
#include <stddef.h>

#include "virtio/mmio.h"

struct blk_config {
	const char *path;
	bool readonly;
	const char *serial; /* VIRTIO_BLK_T_GET_ID; NULL: none */
};

extern const struct virtio_dev_ops virtio_blk_ops;
/* Opens (and locks) the image. NULL with a message naming the problem. */
void *virtio_blk_new(const struct blk_config *cfg, struct guest_mem *mem,
		     char *err, size_t errlen);

#endif
