/* placeholder until the virtio-net device lands (this session) */
#include "virtio/net.h"

#include <stdio.h>

const struct virtio_dev_ops virtio_net_ops = {.name = "net", .device_id = 1};

void *virtio_net_new(const struct net_config *cfg, struct guest_mem *mem,
		     char *err, size_t errlen)
{
	(void)cfg;
	(void)mem;
	snprintf(err, errlen, "--net: virtio-net is not available yet");
	return NULL;
}
