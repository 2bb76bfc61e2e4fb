#include "backend/net_slirp.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <slirp/libslirp.h>

#include "base/log.h"

struct slirp_timer {
	struct slirp_timer *next;
	SlirpTimerCb cb; /* timer_new() timers */
	void *cb_opaque;
	SlirpTimerId id;   /* timer_new_opaque() timers (cb == NULL) */
	int64_t expire_ms; /* -1: not armed */
};

struct net_slirp {
	Slirp *slirp;
	bool (*rx)(void *opaque, const uint8_t *frame, size_t len);
	void *rx_opaque;
	struct slirp_timer *timers;
	/* the pollfd set of the current turn; [0] is the wake fd */
	struct pollfd *pfd;
	int npfd, cap;
	bool rx_ok;
	bool oom;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- SlirpCb ------------------------------------------------------------ */

static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque)
{
	struct net_slirp *s = opaque;

	/* When the device's queue is full the frame is dropped: slirp's TCP
	 * retransmits, as the libslirp API intends. */
	s->rx(s->rx_opaque, buf, len);
	return (ssize_t)len;
}

static void cb_guest_error(const char *msg, void *opaque)
{
	(void)opaque;
	log_debug("net user: guest error: %s", msg);
}

static int64_t cb_clock_get_ns(void *opaque)
{
	(void)opaque;
	return now_ns();
}

static struct slirp_timer *timer_add(struct net_slirp *s)
{
	struct slirp_timer *t = calloc(1, sizeof(*t));

	if (!t) {
		/* libslirp cannot take a NULL timer; its only timer is the
		 * IPv6 router advertisement one, which we do not use */
		log_error("net user: out of memory");
		abort();
	}
	t->expire_ms = -1;
	t->next = s->timers;
	s->timers = t;
	return t;
}

static void *cb_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
	struct slirp_timer *t = timer_add(opaque);

	t->cb = cb;
	t->cb_opaque = cb_opaque;
	return t;
}

static void *cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
	struct slirp_timer *t = timer_add(opaque);

	t->id = id;
	t->cb_opaque = cb_opaque;
	return t;
}

static void cb_timer_free(void *timer, void *opaque)
{
	struct net_slirp *s = opaque;

	for (struct slirp_timer **p = &s->timers; *p; p = &(*p)->next) {
		if (*p == timer) {
			*p = (*p)->next;
			free(timer);
			return;
		}
	}
}

static void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	struct slirp_timer *t = timer;

	(void)opaque;
	t->expire_ms = expire_ms < 0 ? 0 : expire_ms;
}

static void cb_register_poll_fd(int fd, void *opaque)
{
	(void)fd;
	(void)opaque;
}

static void cb_unregister_poll_fd(int fd, void *opaque)
{
	(void)fd;
	(void)opaque;
}

static void cb_notify(void *opaque)
{
	(void)opaque; /* slirp runs on the thread that would be kicked */
}

static const SlirpCb callbacks = {
	.send_packet = cb_send_packet,
	.guest_error = cb_guest_error,
	.clock_get_ns = cb_clock_get_ns,
	.timer_new = cb_timer_new,
	.timer_free = cb_timer_free,
	.timer_mod = cb_timer_mod,
	.register_poll_fd = cb_register_poll_fd,
	.unregister_poll_fd = cb_unregister_poll_fd,
	.notify = cb_notify,
	.timer_new_opaque = cb_timer_new_opaque,
};

/* ---- poll set ------------------------------------------------------------ */

static int pfd_add(struct net_slirp *s, int fd, short events)
{
	if (s->npfd == s->cap) {
		int cap = s->cap ? 2 * s->cap : 32;
		struct pollfd *p = realloc(s->pfd, (size_t)cap * sizeof(*p));
		if (!p) {
			s->oom = true;
			return -1;
		}
		s->pfd = p;
		s->cap = cap;
	}
	s->pfd[s->npfd] = (struct pollfd){.fd = fd, .events = events};
	return s->npfd++;
}

static int cb_add_poll(int fd, int events, void *opaque)
{
	struct net_slirp *s = opaque;
	short ev = 0;

	if ((events & SLIRP_POLL_IN) && s->rx_ok)
		ev |= POLLIN;
	if ((events & SLIRP_POLL_PRI) && s->rx_ok)
		ev |= POLLPRI;
	if (events & SLIRP_POLL_OUT)
		ev |= POLLOUT;
	/* nothing wanted (reading is paused): poll() skips negative fds,
	 * so a hung-up socket does not wake us over and over */
	return pfd_add(s, ev ? fd : -1, ev);
}

static int cb_get_revents(int idx, void *opaque)
{
	struct net_slirp *s = opaque;
	int ev = 0;
	short re;

	if (idx < 0 || idx >= s->npfd)
		return 0;
	re = s->pfd[idx].revents;
	if (re & POLLIN)
		ev |= SLIRP_POLL_IN;
	if (re & POLLOUT)
		ev |= SLIRP_POLL_OUT;
	if (re & POLLPRI)
		ev |= SLIRP_POLL_PRI;
	if (re & POLLERR)
		ev |= SLIRP_POLL_ERR;
	if (re & POLLHUP)
		ev |= SLIRP_POLL_HUP;
	return ev;
}

/* ---- the backend -------------------------------------------------------- */

bool net_slirp_poll(void *be, int wake_fd, bool rx_ok)
{
	struct net_slirp *s = be;
	uint32_t timeout = UINT32_MAX;
	int64_t now_ms = now_ns() / 1000000;
	int n, to;

	s->npfd = 0;
	s->rx_ok = rx_ok;
	s->oom = false;
	pfd_add(s, wake_fd, POLLIN); /* cannot fail: cap > 0 */
	slirp_pollfds_fill(s->slirp, &timeout, cb_add_poll, s);
	for (struct slirp_timer *t = s->timers; t; t = t->next) {
		if (t->expire_ms < 0)
			continue;
		int64_t d = t->expire_ms - now_ms;
		if (d < 0)
			d = 0;
		if ((uint64_t)d < timeout)
			timeout = (uint32_t)d;
	}
	if (s->oom && timeout > 10)
		timeout = 10; /* some fd is missing: look again soon */
	to = timeout > INT_MAX ? -1 : (int)timeout;
	n = poll(s->pfd, (nfds_t)s->npfd, to);
	if (n < 0 && errno != EINTR)
		log_warn("net user: poll: %s", strerror(errno));
	slirp_pollfds_poll(s->slirp, n < 0, cb_get_revents, s);

	now_ms = now_ns() / 1000000;
	for (bool again = true; again;) {
		/* a handler may free or re-arm timers: rescan after each */
		again = false;
		for (struct slirp_timer *t = s->timers; t; t = t->next) {
			if (t->expire_ms < 0 || t->expire_ms > now_ms)
				continue;
			t->expire_ms = -1;
			if (t->cb)
				t->cb(t->cb_opaque);
			else
				slirp_handle_timer(s->slirp, t->id,
						   t->cb_opaque);
			again = true;
			break;
		}
	}
	return n > 0 && (s->pfd[0].revents & POLLIN);
}

bool net_slirp_send(void *be, const uint8_t *frame, size_t len)
{
	struct net_slirp *s = be;

	if (len > INT_MAX)
		return false;
	slirp_input(s->slirp, frame, (int)len);
	return true;
}

void net_slirp_destroy(void *be)
{
	struct net_slirp *s = be;

	if (!s)
		return;
	if (s->slirp)
		slirp_cleanup(s->slirp);
	while (s->timers) { /* slirp_cleanup frees its own; to be sure */
		struct slirp_timer *t = s->timers;
		s->timers = t->next;
		free(t);
	}
	free(s->pfd);
	free(s);
}

void *net_slirp_new(const struct net_slirp_fwd *fwd, unsigned nfwd,
		    bool (*rx)(void *opaque, const uint8_t *frame, size_t len),
		    void *opaque, char *err, size_t errlen)
{
	struct net_slirp *s = calloc(1, sizeof(*s));
	SlirpConfig cfg = {
		.version = 4,
		.restricted = 0,
		.in_enabled = true,
		.in6_enabled = false,
		.vhostname = "rvisor",
		.if_mtu = 1500,
		.if_mru = 1500,
		.disable_host_loopback = false,
		.enable_emu = false,
	};

	if (!s) {
		snprintf(err, errlen, "--net user: out of memory");
		return NULL;
	}
	s->rx = rx;
	s->rx_opaque = opaque;
	s->cap = 32;
	s->pfd = calloc((size_t)s->cap, sizeof(*s->pfd));
	if (!s->pfd) {
		snprintf(err, errlen, "--net user: out of memory");
		net_slirp_destroy(s);
		return NULL;
	}
	inet_pton(AF_INET, "10.0.2.0", &cfg.vnetwork);
	inet_pton(AF_INET, "255.255.255.0", &cfg.vnetmask);
	inet_pton(AF_INET, "10.0.2.2", &cfg.vhost);
	inet_pton(AF_INET, "10.0.2.15", &cfg.vdhcp_start);
	inet_pton(AF_INET, "10.0.2.3", &cfg.vnameserver);
	s->slirp = slirp_new(&cfg, &callbacks, s);
	if (!s->slirp) {
		snprintf(err, errlen, "--net user: cannot start libslirp");
		net_slirp_destroy(s);
		return NULL;
	}
	for (unsigned i = 0; i < nfwd; i++) {
		struct in_addr host, guest = cfg.vdhcp_start;
		host.s_addr = htonl(INADDR_LOOPBACK);
		errno = 0;
		if (slirp_add_hostfwd(s->slirp, 0, host, fwd[i].host_port,
				      guest, fwd[i].guest_port) < 0) {
			int e = errno;
			snprintf(err, errlen,
				 "--net user: hostfwd=tcp::%u-:%u: "
				 "cannot listen on 127.0.0.1:%u%s%s",
				 fwd[i].host_port, fwd[i].guest_port,
				 fwd[i].host_port, e ? ": " : "",
				 e ? strerror(e) : "");
			net_slirp_destroy(s);
			return NULL;
		}
	}
	return s;
}
