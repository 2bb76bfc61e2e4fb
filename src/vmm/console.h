/* console.h - the user's terminal (or pipe) as the guest console.
 *
 * A thread reads stdin into a ring. Two consumers may take bytes from it:
 * the UART (pushed into its FIFO as it has room) and SBI getchar (pulled).
 * When the guest polls SBI getchar (hvc0), input is left for it rather than
 * pushed into a UART nobody reads. On a tty the terminal is in raw mode and
 * Ctrl-A is the escape key, as in QEMU: Ctrl-A x quits, Ctrl-A h helps. */
#ifndef RVISOR_VMM_CONSOLE_H
#define RVISOR_VMM_CONSOLE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

#define CONSOLE_RING 4096

struct console {
	int in_fd, out_fd;
	bool is_tty, raw;
	struct termios saved;
	pthread_t thread;
	bool thread_started;
	_Atomic int quit; /* stop the input thread */

	pthread_mutex_t lock;
	uint8_t ring[CONSOLE_RING];
	unsigned head, count;
	bool escape; /* last byte was Ctrl-A */
	uint64_t last_sbi_poll_ns;

	/* where pushed input goes (the UART), and the user's quit request */
	size_t (*push)(void *dev, const uint8_t *buf, size_t len);
	void *push_dev;
	/* all input goes to the sink (virtio-console): SBI getchar gets none,
	 * or an SBI hvc driver polling alongside would eat the user's typing */
	bool sink_only;
	void (*on_quit)(void *opaque);
	void *quit_opaque;
};

int console_init(struct console *c, int in_fd, int out_fd);
void console_set_sink(struct console *c,
		      size_t (*push)(void *dev, const uint8_t *, size_t),
		      void *dev, bool sink_only);
int console_start(struct console *c);
/* The sink has room again (any thread, none of the sink's locks held):
 * push what waits in the ring now. */
void console_room(void *console);
void console_stop(struct console *c);
/* Output from the guest (SBI putchar / DBCN / HTIF). */
void console_write(struct console *c, const uint8_t *buf, size_t len);
/* SBI getchar: one byte or -1. */
int console_read_byte(struct console *c);
/* Restore the terminal (also safe from a signal handler's exit path). */
void console_restore(struct console *c);

#endif
