/* net.h - virtio-net (device id 1) over user-mode networking (libslirp)
 * or a host tap interface.
 *
 * The device offers VIRTIO_NET_F_MAC (52:54:00:12:34:56), F_STATUS (link
 * up) and F_MTU (1500), no offloads and no mergeable receive buffers, so
 * every buffer carries a 12-byte virtio_net_hdr (VERSION_1 layout) and one
 * whole frame. Queue 0 receives, queue 1 transmits.
 *
 * Threads: each device has one I/O thread that runs its backend's event
 * loop, pops the transmit ring and fills the receive ring (both under the
 * transport lock). A vcpu's QueueNotify only sets a flag and wakes that
 * thread through an eventfd, so the backend (libslirp is not thread-safe)
 * is only ever used from the I/O thread. */
#ifndef RVISOR_VIRTIO_NET_H
#define RVISOR_VIRTIO_NET_H

#include <stdbool.h>
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

/* virtio 1.2, 5.1.3 */
#define VIRTIO_NET_F_MTU     3
#define VIRTIO_NET_F_MAC     5
#define VIRTIO_NET_F_STATUS  16
#define VIRTIO_NET_S_LINK_UP 1
#define VIRTIO_NET_HDR_LEN   12 /* struct virtio_net_hdr with num_buffers */
#define VIRTIO_NET_MTU	     1500
#define VIRTIO_NET_MIN_FRAME 14 /* an Ethernet header */
#define VIRTIO_NET_MAX_FRAME 65535

extern const struct virtio_dev_ops virtio_net_ops;
/* Creates the device with the backend cfg asks for and starts its I/O
 * thread. NULL with a message in err if the backend cannot be set up
 * (a hostfwd port in use, no /dev/net/tun, ...). */
void *virtio_net_new(const struct net_config *cfg, struct guest_mem *mem,
		     char *err, size_t errlen);

/* Host-visible counters. */
struct virtio_net_stats {
	/* frames handed to the backend; dropped: bad length or header, or
	 * the backend refused them */
	uint64_t tx_packets, tx_bytes, tx_dropped;
	/* frames put into guest buffers; dropped: queue full, buffer too
	 * small, driver not ready or reset */
	uint64_t rx_packets, rx_bytes, rx_dropped;
	uint64_t rx_queued; /* frames waiting for receive buffers now */
};
void virtio_net_get_stats(void *dev, struct virtio_net_stats *st);

/* ---- backends -------------------------------------------------------------
 * A backend moves Ethernet frames (without virtio header) between the
 * device and the outside. All three functions run on the device's I/O
 * thread only. Received frames go to virtio_net_rx(dev, ...), called from
 * inside poll() or send() (libslirp answers some frames right away). */
struct net_backend_ops {
	const char *name;
	/* Sleeps until wake_fd (an eventfd) is readable or the backend has
	 * something to do, then does it. While rx_ok is false the device's
	 * receive queue is full: take in no new frames if the backend can
	 * avoid it. Returns true if wake_fd is readable (the caller drains
	 * it). */
	bool (*poll)(void *be, int wake_fd, bool rx_ok);
	/* Sends one frame (VIRTIO_NET_MIN_FRAME..MAX_FRAME bytes). Returns
	 * false if it was dropped. */
	bool (*send)(void *be, const uint8_t *frame, size_t len);
	void (*destroy)(void *be);
};

/* A frame from the outside for the guest. Returns false once the device
 * would rather not get more during this poll() (its queue is filling). */
bool virtio_net_rx(void *dev, const uint8_t *frame, size_t len);

/* A device on a backend made by the caller (tests): the backend must call
 * virtio_net_rx() with the returned pointer, and is destroyed with the
 * device (also when this fails and returns NULL). */
void *virtio_net_new_backend(const struct net_backend_ops *ops, void *be,
			     struct guest_mem *mem, char *err, size_t errlen);

#endif
