/* mmio.h - the virtio-mmio transport (virtio 1.2, register layout version 2).
 *
 * The transport is the bus device; a virtio device (blk, net, console, rng)
 * plugs in below it with a small ops table and sees only its queues and its
 * config space. The transport owns feature negotiation, the status state
 * machine, queue configuration (validated once, when the driver sets
 * QueueReady) and interrupts. A device that finds a malformed ring calls
 * virtio_mmio_fail(): DEVICE_NEEDS_RESET, a config interrupt, the VM runs on.
 *
 * Threads: registers are accessed from vcpu threads; devices may complete
 * requests from their own I/O threads. Everything below is serialised by
 * the transport lock, which device callbacks are called with held - so a
 * device must not call back into the transport from inside a callback
 * except through the *_locked functions. */
#ifndef RVISOR_VIRTIO_MMIO_H
#define RVISOR_VIRTIO_MMIO_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "dev/device.h"
#include "mem/guest_mem.h"
#include "virtio/virtqueue.h"

#define VIRTIO_MMIO_SIZE  0x1000
#define VIRTIO_MAX_QUEUES 8

/* the register map (virtio 1.2, 4.2.2) */
enum virtio_mmio_reg {
	VIRTIO_MMIO_MAGIC = 0x000,
	VIRTIO_MMIO_VERSION = 0x004,
	VIRTIO_MMIO_DEVICE_ID = 0x008,
	VIRTIO_MMIO_VENDOR_ID = 0x00c,
	VIRTIO_MMIO_DEVICE_FEATURES = 0x010,
	VIRTIO_MMIO_DEVICE_FEATURES_SEL = 0x014,
	VIRTIO_MMIO_DRIVER_FEATURES = 0x020,
	VIRTIO_MMIO_DRIVER_FEATURES_SEL = 0x024,
	VIRTIO_MMIO_QUEUE_SEL = 0x030,
	VIRTIO_MMIO_QUEUE_NUM_MAX = 0x034,
	VIRTIO_MMIO_QUEUE_NUM = 0x038,
	VIRTIO_MMIO_QUEUE_READY = 0x044,
	VIRTIO_MMIO_QUEUE_NOTIFY = 0x050,
	VIRTIO_MMIO_INTERRUPT_STATUS = 0x060,
	VIRTIO_MMIO_INTERRUPT_ACK = 0x064,
	VIRTIO_MMIO_STATUS = 0x070,
	VIRTIO_MMIO_QUEUE_DESC_LOW = 0x080,
	VIRTIO_MMIO_QUEUE_DESC_HIGH = 0x084,
	VIRTIO_MMIO_QUEUE_DRIVER_LOW = 0x090,
	VIRTIO_MMIO_QUEUE_DRIVER_HIGH = 0x094,
	VIRTIO_MMIO_QUEUE_DEVICE_LOW = 0x0a0,
	VIRTIO_MMIO_QUEUE_DEVICE_HIGH = 0x0a4,
	VIRTIO_MMIO_SHM_SEL = 0x0ac,
	VIRTIO_MMIO_SHM_LEN_LOW = 0x0b0,
	VIRTIO_MMIO_SHM_LEN_HIGH = 0x0b4,
	VIRTIO_MMIO_SHM_BASE_LOW = 0x0b8,
	VIRTIO_MMIO_SHM_BASE_HIGH = 0x0bc,
	VIRTIO_MMIO_QUEUE_RESET = 0x0c0,
	VIRTIO_MMIO_CONFIG_GENERATION = 0x0fc,
	VIRTIO_MMIO_CONFIG = 0x100,
};

/* device status bits */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER	  2
#define VIRTIO_STATUS_DRIVER_OK	  4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED	  0x80

/* transport feature bits */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX     29
#define VIRTIO_F_VERSION_1     32
#define VIRTIO_F_RING_PACKED   34

struct virtio_mmio;

struct virtio_dev_ops {
	const char *name;
	uint32_t device_id;
	uint64_t
		features; /* device-specific bits; the transport adds its own */
	unsigned nqueues;
	uint16_t queue_max;
	uint32_t config_size;
	/* called once by virtio_mmio_new(): the transport the device sits
	 * on, for completions from its own threads */
	void (*attach)(void *dev, struct virtio_mmio *t);
	/* config space access (offset + len <= config_size, checked) */
	void (*config_read)(void *dev, uint32_t off, void *buf, uint32_t len);
	void (*config_write)(void *dev, uint32_t off, const void *buf,
			     uint32_t len);
	/* the driver kicked queue q (QueueNotify) */
	void (*queue_notify)(void *dev, struct virtio_mmio *t, unsigned q);
	/* DRIVER_OK: features are final, queues are set up */
	void (*driver_ok)(void *dev, struct virtio_mmio *t);
	/* the driver reset the device: drop in-flight work (the transport
	 * resets the queues after this returns) */
	void (*reset)(void *dev, struct virtio_mmio *t);
	void (*destroy)(void *dev);
};

struct virtio_queue_cfg {
	uint16_t num;
	bool ready;
	uint64_t desc, driver, device;
};

struct virtio_mmio {
	pthread_mutex_t lock;
	const struct virtio_dev_ops *ops;
	void *dev;
	struct guest_mem *mem;
	struct irq_line irq;

	uint32_t status;
	uint32_t dev_features_sel, drv_features_sel, queue_sel;
	uint64_t offered; /* all features offered */
	uint64_t acked;	  /* what the driver accepted (after FEATURES_OK) */
	uint64_t drv_features;
	uint32_t isr; /* InterruptStatus: bit 0 used ring, bit 1 config */
	uint32_t config_generation;
	struct virtio_queue_cfg qcfg[VIRTIO_MAX_QUEUES];
	struct virtqueue vq[VIRTIO_MAX_QUEUES];

	/* host-visible counters */
	uint64_t notifies[VIRTIO_MAX_QUEUES]; /* QueueNotify writes */
	uint64_t irqs_raised;
	uint64_t errors;
	uint64_t bad_status_writes;
};

extern const struct device_ops virtio_mmio_ops;

/* Wraps a virtio device; returns the bus device (NULL on failure). */
struct virtio_mmio *virtio_mmio_new(const struct virtio_dev_ops *ops, void *dev,
				    struct guest_mem *mem, struct irq_line irq);

static inline bool virtio_has_feature(const struct virtio_mmio *t, int bit)
{
	return (t->acked >> bit) & 1;
}

/* The device put buffers on queue q's used ring: interrupt the driver
 * unless event suppression says it does not need one. */
void virtio_mmio_used(struct virtio_mmio *t, unsigned q);
void virtio_mmio_used_locked(struct virtio_mmio *t, unsigned q);
/* Config space changed. */
void virtio_mmio_config_changed(struct virtio_mmio *t);
/* The driver broke the ring rules: DEVICE_NEEDS_RESET (rate-limited log). */
void virtio_mmio_fail_locked(struct virtio_mmio *t, const char *why);

void virtio_mmio_lock(struct virtio_mmio *t);
void virtio_mmio_unlock(struct virtio_mmio *t);

#endif
