/* console.h - virtio-console (device id 3): hvc0 for the guest, the user's
 * terminal on the host side. */
#ifndef RVISOR_VIRTIO_CONSOLE_H
#define RVISOR_VIRTIO_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#include "virtio/mmio.h"

extern const struct virtio_dev_ops virtio_console_ops;
void *virtio_console_new(int out_fd);
/* Any thread: bytes typed by the user. Returns how many were taken. */
size_t virtio_console_input(void *dev, const uint8_t *buf, size_t len);

#endif
