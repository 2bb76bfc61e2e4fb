#include "backend/net_tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/log.h"

#define TAP_READ_BATCH 64 /* frames per turn */

struct net_tap {
	int fd;
	bool dead; /* the tap failed for good: stop polling it */
	char ifname[IFNAMSIZ];
	bool (*rx)(void *opaque, const uint8_t *frame, size_t len);
	void *rx_opaque;
	uint64_t send_errors;
	uint8_t buf[65536];
};

bool net_tap_poll(void *be, int wake_fd, bool rx_ok)
{
	struct net_tap *t = be;
	bool readable = rx_ok && !t->dead;
	struct pollfd pfd[2] = {
		{.fd = wake_fd, .events = POLLIN},
		{.fd = readable ? t->fd : -1, .events = POLLIN},
	};
	int n = poll(pfd, 2, -1);

	if (n < 0) {
		if (errno != EINTR)
			log_warn("net tap %s: poll: %s", t->ifname,
				 strerror(errno));
		return false;
	}
	if (pfd[1].revents & (POLLERR | POLLNVAL)) {
		log_error("net tap %s: device error; no more frames from it",
			  t->ifname);
		t->dead = true;
	} else if (pfd[1].revents & (POLLIN | POLLHUP)) {
		for (int i = 0; i < TAP_READ_BATCH; i++) {
			ssize_t r = read(t->fd, t->buf, sizeof(t->buf));
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0 && errno == EAGAIN)
				break;
			if (r <= 0) {
				log_error("net tap %s: read: %s; ignoring it "
					  "from now on",
					  t->ifname,
					  r ? strerror(errno) : "end of file");
				t->dead = true;
				break;
			}
			if (!t->rx(t->rx_opaque, t->buf, (size_t)r))
				break;
		}
	}
	return pfd[0].revents & POLLIN;
}

bool net_tap_send(void *be, const uint8_t *frame, size_t len)
{
	struct net_tap *t = be;
	ssize_t w;

	do
		w = write(t->fd, frame, len);
	while (w < 0 && errno == EINTR);
	if (w == (ssize_t)len)
		return true;
	/* EIO while the interface is down, EAGAIN when its queue is full:
	 * a dropped frame, as on a real link. Say so once. */
	if (t->send_errors++ == 0)
		log_warn("net tap %s: frame dropped: %s", t->ifname,
			 w < 0 ? strerror(errno) : "short write");
	return false;
}

void net_tap_destroy(void *be)
{
	struct net_tap *t = be;

	if (!t)
		return;
	if (t->fd >= 0)
		close(t->fd);
	free(t);
}

void *net_tap_new(const char *ifname,
		  bool (*rx)(void *opaque, const uint8_t *frame, size_t len),
		  void *opaque, char *err, size_t errlen)
{
	struct net_tap *t;
	struct ifreq ifr;

	if (!ifname || !*ifname || strlen(ifname) >= IFNAMSIZ) {
		snprintf(err, errlen,
			 "--net tap=%s: interface names have "
			 "1 to %d characters",
			 ifname ? ifname : "", IFNAMSIZ - 1);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(err, errlen, "--net tap=%s: out of memory", ifname);
		return NULL;
	}
	t->rx = rx;
	t->rx_opaque = opaque;
	snprintf(t->ifname, sizeof(t->ifname), "%s", ifname);
	t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0) {
		int e = errno;
		snprintf(err, errlen,
			 "--net tap=%s: cannot open /dev/net/tun: %s%s", ifname,
			 strerror(e),
			 e == ENOENT ? " (no tun driver: modprobe tun)" : "");
		net_tap_destroy(t);
		return NULL;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, t->ifname, sizeof(ifr.ifr_name));
	if (ioctl(t->fd, TUNSETIFF, &ifr) < 0) {
		int e = errno;
		const char *hint = "";
		if (e == EPERM)
			hint = " (needs CAP_NET_ADMIN, or a tap created for "
			       "this user: ip tuntap add dev IF mode tap "
			       "user USER)";
		else if (e == EBUSY)
			hint = " (in use by another process, or not a tap)";
		else if (e == EINVAL)
			hint = " (exists but is not a tap interface?)";
		snprintf(err, errlen, "--net tap=%s: cannot attach: %s%s",
			 ifname, strerror(e), hint);
		net_tap_destroy(t);
		return NULL;
	}
	return t;
}
