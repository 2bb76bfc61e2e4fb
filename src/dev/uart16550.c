/* uart16550.c - the ns16550a: the trap-and-emulate baseline, one exit per
 * register access. Transmit is immediate (write to the host fd), so THR is
 * always empty; receive has a 16-byte FIFO fed by the console thread. */
#include "dev/uart16550.h"
#include "dev/fdt_node.h"

#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

enum {
	UART_RBR_THR = 0, /* DLL when DLAB */
	UART_IER = 1,	  /* DLM when DLAB */
	UART_IIR_FCR = 2,
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
	UART_MSR = 6,
	UART_SCR = 7,
};

#define IER_RDI	   0x01
#define IER_THRI   0x02
#define IIR_NO_INT 0x01
#define IIR_THRI   0x02
#define IIR_RDI	   0x04
#define IIR_FIFO   0xc0
#define LCR_DLAB   0x80
#define LSR_DR	   0x01
#define LSR_THRE   0x20
#define LSR_TEMT   0x40
#define MCR_LOOP   0x10
#define FIFO_SIZE  16

struct uart {
	pthread_mutex_t lock;
	int out_fd;
	struct irq_line irq;
	uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
	bool thr_pending; /* THR-empty interrupt armed (cleared by IIR read) */
	uint8_t rx[FIFO_SIZE];
	unsigned rx_head, rx_count;
	void (*room)(void *opaque);
	void *room_opaque;
};

static uint8_t iir(struct uart *u)
{
	uint8_t fifo = (u->fcr & 1) ? IIR_FIFO : 0;

	if ((u->ier & IER_RDI) && u->rx_count)
		return IIR_RDI | fifo;
	if ((u->ier & IER_THRI) && u->thr_pending)
		return IIR_THRI | fifo;
	return IIR_NO_INT | fifo;
}

static void update_irq(struct uart *u)
{
	irq_line_set(&u->irq, !(iir(u) & IIR_NO_INT));
}

static void emit(struct uart *u, uint8_t c)
{
	for (;;) {
		ssize_t n = write(u->out_fd, &c, 1);
		if (n == 1 || (n < 0 && errno != EINTR && errno != EAGAIN))
			return;
	}
}

static void rx_push(struct uart *u, uint8_t c)
{
	if (u->rx_count < FIFO_SIZE) {
		u->rx[(u->rx_head + u->rx_count) % FIFO_SIZE] = c;
		u->rx_count++;
	}
}

static bool uart_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	struct uart *u = dev;
	uint8_t v = 0;
	bool emptied = false;

	if (size != 1 && size != 4)
		return false;
	pthread_mutex_lock(&u->lock);
	switch (off & 7) {
	case UART_RBR_THR:
		if (u->lcr & LCR_DLAB) {
			v = u->dll;
		} else if (u->rx_count) {
			v = u->rx[u->rx_head];
			u->rx_head = (u->rx_head + 1) % FIFO_SIZE;
			emptied = --u->rx_count == 0;
		}
		break;
	case UART_IER: v = (u->lcr & LCR_DLAB) ? u->dlm : u->ier; break;
	case UART_IIR_FCR:
		v = iir(u);
		if ((v & 0x0f) == IIR_THRI)
			u->thr_pending = false; /* reading IIR acks THRE */
		break;
	case UART_LCR: v = u->lcr; break;
	case UART_MCR: v = u->mcr; break;
	case UART_LSR:
		v = LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0);
		break;
	case UART_MSR:
		/* loopback reflects MCR; otherwise DCD, DSR and CTS asserted */
		v = (u->mcr & MCR_LOOP) ? (uint8_t)((u->mcr & 0x0f) << 4)
					: 0xb0;
		break;
	case UART_SCR: v = u->scr; break;
	}
	update_irq(u);
	void (*room)(void *) = u->room;
	void *room_opaque = u->room_opaque;
	pthread_mutex_unlock(&u->lock);
	/* outside the lock: the console takes its own, then this one */
	if (emptied && room)
		room(room_opaque);
	*val = v;
	return true;
}

static bool uart_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
	struct uart *u = dev;
	uint8_t v = (uint8_t)val;

	if (size != 1 && size != 4)
		return false;
	pthread_mutex_lock(&u->lock);
	switch (off & 7) {
	case UART_RBR_THR:
		if (u->lcr & LCR_DLAB) {
			u->dll = v;
		} else {
			if (u->mcr & MCR_LOOP)
				rx_push(u, v);
			else
				emit(u, v);
			u->thr_pending = true;
		}
		break;
	case UART_IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = v;
		} else {
			/* enabling THRI with an empty THR raises it at once */
			if (!(u->ier & IER_THRI) && (v & IER_THRI))
				u->thr_pending = true;
			u->ier = v & 0x0f;
		}
		break;
	case UART_IIR_FCR:
		u->fcr = v;
		if (v & 0x02) /* clear RX FIFO */
			u->rx_count = 0;
		break;
	case UART_LCR: u->lcr = v; break;
	case UART_MCR: u->mcr = v & 0x1f; break;
	case UART_SCR: u->scr = v; break;
	}
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
	return true;
}

size_t uart16550_input(void *dev, const uint8_t *buf, size_t len)
{
	struct uart *u = dev;
	size_t n = 0;

	pthread_mutex_lock(&u->lock);
	while (n < len && u->rx_count < FIFO_SIZE)
		rx_push(u, buf[n++]);
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
	return n;
}

void uart16550_set_room(void *dev, void (*room)(void *opaque), void *opaque)
{
	struct uart *u = dev;

	pthread_mutex_lock(&u->lock);
	u->room = room;
	u->room_opaque = opaque;
	pthread_mutex_unlock(&u->lock);
}

static void uart_reset(void *dev)
{
	struct uart *u = dev;

	pthread_mutex_lock(&u->lock);
	u->ier = u->lcr = u->mcr = u->scr = u->fcr = u->dll = u->dlm = 0;
	u->thr_pending = false;
	u->rx_head = u->rx_count = 0;
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
}

static int uart_fdt(void *dev, void *fdt, const struct dev_fdt_ctx *ctx)
{
	int r = dev_fdt_node(fdt, "serial", "ns16550a", 0, ctx, true, true);

	(void)dev;
	if (!r)
		r = fdt_property_u32(fdt, "clock-frequency", 3686400);
	if (!r)
		r = fdt_end_node(fdt);
	return r;
}

static void uart_destroy(void *dev)
{
	struct uart *u = dev;

	pthread_mutex_destroy(&u->lock);
	free(u);
}

const struct device_ops uart16550_ops = {
	.name = "uart16550",
	.read = uart_read,
	.write = uart_write,
	.reset = uart_reset,
	.destroy = uart_destroy,
	.fdt = uart_fdt,
};

void *uart16550_new(int out_fd, struct irq_line irq)
{
	struct uart *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	pthread_mutex_init(&u->lock, NULL);
	u->out_fd = out_fd;
	u->irq = irq;
	return u;
}
