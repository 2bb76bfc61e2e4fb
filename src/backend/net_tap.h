/* net_tap.h - a host tap interface (/dev/net/tun, IFF_TAP | IFF_NO_PI) as
 * the guest's Ethernet: frames go through unchanged, no virtio header on
 * the tap side. The interface must exist or rvisor must be allowed to
 * create it (CAP_NET_ADMIN); addressing and bridging are the host's
 * business. The fd is non-blocking and serviced by the device's I/O
 * thread. */
#ifndef RVISOR_BACKEND_NET_TAP_H
#define RVISOR_BACKEND_NET_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* rx(opaque, frame, len) receives each frame read from the tap; while it
 * returns false no more are read in this turn. NULL with a message in err
 * if the interface cannot be attached. */
void *net_tap_new(const char *ifname,
		  bool (*rx)(void *opaque, const uint8_t *frame, size_t len),
		  void *opaque, char *err, size_t errlen);
/* Waits for wake_fd or a frame on the tap (not polled while rx_ok is
 * false), reads what is there. Returns true if wake_fd is readable. */
bool net_tap_poll(void *be, int wake_fd, bool rx_ok);
/* Writes one frame to the tap; false if the kernel refused it (interface
 * down, queue full). */
bool net_tap_send(void *be, const uint8_t *frame, size_t len);
void net_tap_destroy(void *be);

#endif
