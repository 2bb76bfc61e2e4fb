/* net.h - virtio-net (device id 1) over user-mode networking (libslirp)
 * or a host tap interface. */
#ifndef RVISOR_VIRTIO_NET_H
#define RVISOR_VIRTIO_NET_H

#include <stddef.h>
#include <stdint.h>

#include "virtio/mmio.h"

#define NET_MAX_FWD 16

enum net_mode { NET_NONE, NET_USER, NET_TAP };

struct net_fwd {
	uint16_t host_port, guest_port;
};

struct net_config {
	enum net_mode mode;
	const char *tap_ifname;
	struct net_fwd fwd[NET_MAX_FWD];
	unsigned nfwd;
};

extern const struct virtio_dev_ops virtio_net_ops;
void *virtio_net_new(const struct net_config *cfg, struct guest_mem *mem,
		     char *err, size_t errlen);

#endif
