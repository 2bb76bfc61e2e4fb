/* uart16550.h - ns16550a UART. Output goes to a host fd; input is queued by
 * the VMM's console thread with uart16550_input(). */
#ifndef RVISOR_DEV_UART16550_H
#define RVISOR_DEV_UART16550_H

#include <stddef.h>

#include "dev/device.h"

#define UART16550_SIZE 0x100

extern const struct device_ops uart16550_ops;
void *uart16550_new(int out_fd, struct irq_line irq);
/* Any thread: queue bytes typed by the user. Returns bytes accepted. */
size_t uart16550_input(void *dev, const uint8_t *buf, size_t len);
/* room(opaque) runs (on the reading hart's thread, without the UART's
 * lock) when the guest empties the receive FIFO: input the FIFO had no
 * room for can follow at once rather than at the console's next retry. */
void uart16550_set_room(void *dev, void (*room)(void *opaque), void *opaque);

#endif
