/* net_slirp.h - user-mode networking through libslirp (4.x).
 *
 * The guest sees QEMU's default user network: 10.0.2.0/24, gateway and
 * host 10.0.2.2 (connections to it reach the host's 127.0.0.1), DNS
 * 10.0.2.3, DHCP hands out 10.0.2.15. IPv4 only. Outbound TCP/UDP is
 * allowed; hostfwd rules listen on the host's 127.0.0.1:HOSTPORT and
 * connect to 10.0.2.15:GUESTPORT.
 *
 * libslirp is not thread-safe: after net_slirp_new() every call must come
 * from one thread (the device's I/O thread). */
#ifndef RVISOR_BACKEND_NET_SLIRP_H
#define RVISOR_BACKEND_NET_SLIRP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct net_slirp_fwd {
	uint16_t host_port, guest_port;
};

/* rx(opaque, frame, len) receives each frame slirp sends to the guest; it
 * returns false when it would rather get no more for now. Returns NULL
 * with a message in err (e.g. a hostfwd port that cannot be bound). */
void *net_slirp_new(const struct net_slirp_fwd *fwd, unsigned nfwd,
		    bool (*rx)(void *opaque, const uint8_t *frame, size_t len),
		    void *opaque, char *err, size_t errlen);
/* One turn of the event loop: waits for wake_fd, slirp's sockets or its
 * next timer, then lets slirp handle what happened. While rx_ok is false,
 * host sockets are not read. Returns true if wake_fd is readable. */
bool net_slirp_poll(void *be, int wake_fd, bool rx_ok);
/* A frame from the guest. */
bool net_slirp_send(void *be, const uint8_t *frame, size_t len);
void net_slirp_destroy(void *be);

#endif
