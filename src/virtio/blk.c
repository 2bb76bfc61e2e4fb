/* placeholder until the virtio-blk device lands (this session) */
#include "virtio/blk.h"

#include <stdio.h>

const struct virtio_dev_ops virtio_blk_ops = {.name = "blk", .device_id = 2};

void *virtio_blk_new(const struct blk_config *cfg, struct guest_mem *mem,
		     char *err, size_t errlen)
{
	(void)mem;
	snprintf(err, errlen, "--disk %s: virtio-blk is not available yet",
		 cfg->path);
	return NULL;
}
