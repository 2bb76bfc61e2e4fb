#include "vmm/console.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/vclock.h"

#define CTRL_A		   0x01
#define SBI_POLL_WINDOW_NS 1000000000ull

int console_init(struct console *c, int in_fd, int out_fd)
{
	memset(c, 0, sizeof(*c));
	c->in_fd = in_fd;
	c->out_fd = out_fd;
	c->is_tty = isatty(in_fd);
	pthread_mutex_init(&c->lock, NULL);
	return 0;
}

void console_set_sink(struct console *c,
		      size_t (*push)(void *dev, const uint8_t *, size_t),
		      void *dev, bool sink_only)
{
	c->push = push;
	c->push_dev = dev;
	c->sink_only = sink_only;
}

void console_restore(struct console *c)
{
	if (c->raw) {
		tcsetattr(c->in_fd, TCSANOW, &c->saved);
		c->raw = false;
	}
}

void console_write(struct console *c, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = write(c->out_fd, buf, len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void help(struct console *c)
{
	static const char text[] = "\r\nC-a h    print this help\r\n"
				   "C-a x    exit rvisor\r\n"
				   "C-a C-a  send C-a to the guest\r\n";
	console_write(c, (const uint8_t *)text, sizeof(text) - 1);
}

/* Push what the UART will take; the rest waits in the ring. */
static void push_pending(struct console *c)
{
	if (!c->push || !c->count)
		return;
	if (!c->sink_only && c->last_sbi_poll_ns &&
	    vclock_host_ns() - c->last_sbi_poll_ns < SBI_POLL_WINDOW_NS)
		return; /* the guest reads SBI getchar: keep input for it */
	while (c->count) {
		unsigned run = c->count;
		if (c->head + run > CONSOLE_RING)
			run = CONSOLE_RING - c->head;
		size_t n = c->push(c->push_dev, c->ring + c->head, run);
		if (!n)
			break;
		c->head = (c->head + (unsigned)n) % CONSOLE_RING;
		c->count -= (unsigned)n;
	}
}

static void enqueue(struct console *c, uint8_t b)
{
	if (c->count < CONSOLE_RING) {
		c->ring[(c->head + c->count) % CONSOLE_RING] = b;
		c->count++;
	}
}

static void input(struct console *c, const uint8_t *buf, size_t len)
{
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < len; i++) {
		uint8_t b = buf[i];
		if (c->is_tty && c->escape) {
			c->escape = false;
			if (b == 'x' || b == 'X') {
				pthread_mutex_unlock(&c->lock);
				console_write(c, (const uint8_t *)"\r\n", 2);
				if (c->on_quit)
					c->on_quit(c->quit_opaque);
				return;
			}
			if (b == 'h' || b == 'H' || b == '?')
				help(c);
			else if (b == CTRL_A)
				enqueue(c, b);
			continue;
		}
		if (c->is_tty && b == CTRL_A) {
			c->escape = true;
			continue;
		}
		enqueue(c, b);
	}
	push_pending(c);
	pthread_mutex_unlock(&c->lock);
}

void console_room(void *console)
{
	struct console *c = console;

	pthread_mutex_lock(&c->lock);
	push_pending(c);
	pthread_mutex_unlock(&c->lock);
}

static void *input_thread(void *arg)
{
	struct console *c = arg;
	uint8_t buf[256];

	while (!atomic_load(&c->quit)) {
		struct pollfd p = {.fd = c->in_fd, .events = POLLIN};
		/* wake periodically to retry input the UART had no room for */
		int r = poll(&p, 1, 10);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0 && (p.revents & (POLLIN | POLLHUP))) {
			ssize_t n = read(c->in_fd, buf, sizeof(buf));
			if (n > 0) {
				input(c, buf, (size_t)n);
				continue;
			}
			if (n == 0 ||
			    (n < 0 && errno != EINTR && errno != EAGAIN))
				break; /* end of input: the guest runs on */
		}
		pthread_mutex_lock(&c->lock);
		push_pending(c);
		pthread_mutex_unlock(&c->lock);
	}
	return NULL;
}

int console_start(struct console *c)
{
	if (c->is_tty) {
		struct termios t;
		if (tcgetattr(c->in_fd, &c->saved) == 0) {
			t = c->saved;
			cfmakeraw(&t);
			if (tcsetattr(c->in_fd, TCSANOW, &t) == 0)
				c->raw = true;
		}
	}
	if (pthread_create(&c->thread, NULL, input_thread, c) != 0)
		return -1;
	c->thread_started = true;
	return 0;
}

void console_stop(struct console *c)
{
	atomic_store(&c->quit, 1);
	if (c->thread_started) {
		pthread_join(c->thread, NULL);
		c->thread_started = false;
	}
	console_restore(c);
}

int console_read_byte(struct console *c)
{
	int b = -1;

	if (c->sink_only)
		return -1;
	pthread_mutex_lock(&c->lock);
	c->last_sbi_poll_ns = vclock_host_ns();
	if (c->count) {
		b = c->ring[c->head];
		c->head = (c->head + 1) % CONSOLE_RING;
		c->count--;
	}
	pthread_mutex_unlock(&c->lock);
	return b;
}
