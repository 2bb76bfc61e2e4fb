#include "virtio/mmio.h"
#include "dev/fdt_node.h"

#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"

#define VIRTIO_MMIO_MAGIC_VALUE 0x74726976 /* "virt" */
#define VIRTIO_VENDOR_ID	0x52564953 /* "SIVR": rvisor */
#define ISR_USED		1
#define ISR_CONFIG		2

#define TRANSPORT_FEATURES                                                     \
	((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_EVENT_IDX) |         \
	 (1ull << VIRTIO_F_INDIRECT_DESC) | (1ull << VIRTIO_F_RING_PACKED))

void virtio_mmio_lock(struct virtio_mmio *t)
{
	pthread_mutex_lock(&t->lock);
}

void virtio_mmio_unlock(struct virtio_mmio *t)
{
	pthread_mutex_unlock(&t->lock);
}

static void update_irq(struct virtio_mmio *t)
{
	irq_line_set(&t->irq, t->isr != 0);
}

static void reset_locked(struct virtio_mmio *t)
{
	if (t->ops->reset)
		t->ops->reset(t->dev, t);
	t->status = 0;
	t->dev_features_sel = t->drv_features_sel = t->queue_sel = 0;
	t->drv_features = t->acked = 0;
	t->isr = 0;
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++) {
		memset(&t->qcfg[q], 0, sizeof(t->qcfg[q]));
		vq_reset(&t->vq[q]);
	}
	update_irq(t);
}

void virtio_mmio_fail_locked(struct virtio_mmio *t, const char *why)
{
	static time_t last_log;
	time_t now = time(NULL);

	t->errors++;
	if (now != last_log) { /* at most one line a second */
		last_log = now;
		log_warn("virtio-%s: %s: device needs reset", t->ops->name,
			 why);
	}
	t->status |= VIRTIO_STATUS_NEEDS_RESET;
	if (t->status & VIRTIO_STATUS_DRIVER_OK) {
		t->isr |= ISR_CONFIG;
		update_irq(t);
	}
}

void virtio_mmio_used_locked(struct virtio_mmio *t, unsigned q)
{
	if (q >= t->ops->nqueues || !t->vq[q].ready)
		return;
	if (vq_need_interrupt(&t->vq[q])) {
		t->isr |= ISR_USED;
		t->irqs_raised++;
		update_irq(t);
	}
}

void virtio_mmio_used(struct virtio_mmio *t, unsigned q)
{
	pthread_mutex_lock(&t->lock);
	virtio_mmio_used_locked(t, q);
	pthread_mutex_unlock(&t->lock);
}

void virtio_mmio_config_changed(struct virtio_mmio *t)
{
	pthread_mutex_lock(&t->lock);
	t->config_generation++;
	if (t->status & VIRTIO_STATUS_DRIVER_OK) {
		t->isr |= ISR_CONFIG;
		update_irq(t);
	}
	pthread_mutex_unlock(&t->lock);
}

/* Legal status changes (virtio 1.2, 3.1.1): each step adds one bit in
 * order; FAILED may be set at any time; 0 resets. */
static bool status_transition_ok(uint32_t old, uint32_t new)
{
	static const uint32_t order[] = {
		0,
		VIRTIO_STATUS_ACKNOWLEDGE,
		VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER,
		VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
			VIRTIO_STATUS_FEATURES_OK,
		VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
			VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK,
	};
	uint32_t o = old & ~(VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED);
	uint32_t n = new & ~(VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED);

	if (o == n)
		return true; /* rewriting the same bits, or adding FAILED */
	for (unsigned i = 0; i + 1 < sizeof(order) / sizeof(order[0]); i++)
		if (o == order[i] && n == order[i + 1])
			return true;
	return false;
}

static void write_status(struct virtio_mmio *t, uint32_t v)
{
	if (v == 0) {
		reset_locked(t);
		return;
	}
	if (!status_transition_ok(t->status, v)) {
		t->bad_status_writes++;
		return;
	}
	if ((v & VIRTIO_STATUS_FEATURES_OK) &&
	    !(t->status & VIRTIO_STATUS_FEATURES_OK)) {
		/* accept only offered features, and modern devices only */
		if ((t->drv_features & ~t->offered) ||
		    !(t->drv_features & (1ull << VIRTIO_F_VERSION_1)))
			v &= ~(uint32_t)VIRTIO_STATUS_FEATURES_OK;
		else
			t->acked = t->drv_features;
	}
	bool going_live = (v & VIRTIO_STATUS_DRIVER_OK) &&
			  !(t->status & VIRTIO_STATUS_DRIVER_OK);
	t->status = (t->status & VIRTIO_STATUS_NEEDS_RESET) | v;
	if (going_live && t->ops->driver_ok)
		t->ops->driver_ok(t->dev, t);
}

static void queue_ready(struct virtio_mmio *t, unsigned q, uint32_t v)
{
	struct virtio_queue_cfg *c = &t->qcfg[q];

	if (!v) {
		c->ready = false;
		vq_reset(&t->vq[q]);
		return;
	}
	if (c->ready)
		return;
	if (!(t->status & VIRTIO_STATUS_FEATURES_OK)) {
		virtio_mmio_fail_locked(t, "queue enabled before FEATURES_OK");
		return;
	}
	if (c->num == 0 || c->num > t->ops->queue_max ||
	    vq_setup(&t->vq[q], t->mem, c->num,
		     virtio_has_feature(t, VIRTIO_F_RING_PACKED),
		     virtio_has_feature(t, VIRTIO_F_EVENT_IDX), c->desc,
		     c->driver, c->device) < 0) {
		virtio_mmio_fail_locked(t, "invalid queue configuration");
		return;
	}
	c->ready = true;
}

static uint32_t read_reg(struct virtio_mmio *t, uint64_t off)
{
	struct virtio_queue_cfg *c =
		t->queue_sel < t->ops->nqueues ? &t->qcfg[t->queue_sel] : NULL;

	switch (off) {
	case VIRTIO_MMIO_MAGIC: return VIRTIO_MMIO_MAGIC_VALUE;
	case VIRTIO_MMIO_VERSION: return 2;
	case VIRTIO_MMIO_DEVICE_ID: return t->ops->device_id;
	case VIRTIO_MMIO_VENDOR_ID: return VIRTIO_VENDOR_ID;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		return t->dev_features_sel < 2
			       ? (uint32_t)(t->offered >>
					    (32 * t->dev_features_sel))
			       : 0;
	case VIRTIO_MMIO_QUEUE_NUM_MAX: return c ? t->ops->queue_max : 0;
	case VIRTIO_MMIO_QUEUE_READY: return c ? c->ready : 0;
	case VIRTIO_MMIO_INTERRUPT_STATUS: return t->isr;
	case VIRTIO_MMIO_STATUS: return t->status;
	case VIRTIO_MMIO_CONFIG_GENERATION: return t->config_generation;
	case VIRTIO_MMIO_SHM_LEN_LOW:
	case VIRTIO_MMIO_SHM_LEN_HIGH:
	case VIRTIO_MMIO_SHM_BASE_LOW:
	case VIRTIO_MMIO_SHM_BASE_HIGH:
		return ~0u; /* no shared memory regions */
	case VIRTIO_MMIO_QUEUE_NUM: return c ? c->num : 0;
	case VIRTIO_MMIO_QUEUE_DESC_LOW: return c ? (uint32_t)c->desc : 0;
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		return c ? (uint32_t)(c->desc >> 32) : 0;
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW: return c ? (uint32_t)c->driver : 0;
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
		return c ? (uint32_t)(c->driver >> 32) : 0;
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW: return c ? (uint32_t)c->device : 0;
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
		return c ? (uint32_t)(c->device >> 32) : 0;
	}
	return 0;
}

static void set_lo(uint64_t *r, uint32_t v)
{
	*r = (*r & ~0xffffffffull) | v;
}

static void set_hi(uint64_t *r, uint32_t v)
{
	*r = (*r & 0xffffffffull) | ((uint64_t)v << 32);
}

static void write_reg(struct virtio_mmio *t, uint64_t off, uint32_t v)
{
	struct virtio_queue_cfg *c =
		t->queue_sel < t->ops->nqueues ? &t->qcfg[t->queue_sel] : NULL;
	/* queue registers may only change while the queue is disabled */
	bool qw = c && !c->ready;

	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL: t->dev_features_sel = v; return;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL: t->drv_features_sel = v; return;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (t->status & VIRTIO_STATUS_FEATURES_OK)
			return; /* too late to renegotiate */
		if (t->drv_features_sel == 0)
			set_lo(&t->drv_features, v);
		else if (t->drv_features_sel == 1)
			set_hi(&t->drv_features, v);
		return;
	case VIRTIO_MMIO_QUEUE_SEL: t->queue_sel = v; return;
	case VIRTIO_MMIO_QUEUE_NUM:
		if (qw)
			c->num = v > 0xffff ? 0 : (uint16_t)v;
		return;
	case VIRTIO_MMIO_QUEUE_READY:
		if (c)
			queue_ready(t, t->queue_sel, v & 1);
		return;
	case VIRTIO_MMIO_QUEUE_NOTIFY: {
		unsigned q =
			v & 0xffff; /* high half: packed ring notify data */
		if (q >= t->ops->nqueues || !t->qcfg[q].ready ||
		    !(t->status & VIRTIO_STATUS_DRIVER_OK) ||
		    (t->status & VIRTIO_STATUS_NEEDS_RESET))
			return;
		t->notifies[q]++;
		vq_note_kick(&t->vq[q]);
		if (t->ops->queue_notify)
			t->ops->queue_notify(t->dev, t, q);
		return;
	}
	case VIRTIO_MMIO_INTERRUPT_ACK:
		t->isr &= ~v;
		update_irq(t);
		return;
	case VIRTIO_MMIO_STATUS: write_status(t, v); return;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
		if (qw)
			set_lo(&c->desc, v);
		return;
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		if (qw)
			set_hi(&c->desc, v);
		return;
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
		if (qw)
			set_lo(&c->driver, v);
		return;
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
		if (qw)
			set_hi(&c->driver, v);
		return;
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
		if (qw)
			set_lo(&c->device, v);
		return;
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
		if (qw)
			set_hi(&c->device, v);
		return;
	}
}

static bool mmio_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	struct virtio_mmio *t = dev;

	*val = 0;
	pthread_mutex_lock(&t->lock);
	if (off >= VIRTIO_MMIO_CONFIG) {
		uint64_t co = off - VIRTIO_MMIO_CONFIG;
		if (co < t->ops->config_size &&
		    size <= t->ops->config_size - co && t->ops->config_read)
			t->ops->config_read(t->dev, (uint32_t)co, val, size);
	} else if (size == 4 && !(off & 3)) {
		*val = read_reg(t, off);
	}
	pthread_mutex_unlock(&t->lock);
	return true;
}

static bool mmio_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
	struct virtio_mmio *t = dev;

	pthread_mutex_lock(&t->lock);
	if (off >= VIRTIO_MMIO_CONFIG) {
		uint64_t co = off - VIRTIO_MMIO_CONFIG;
		if (co < t->ops->config_size &&
		    size <= t->ops->config_size - co && t->ops->config_write)
			t->ops->config_write(t->dev, (uint32_t)co, &val, size);
	} else if (size == 4 && !(off & 3)) {
		write_reg(t, off, (uint32_t)val);
	}
	pthread_mutex_unlock(&t->lock);
	return true;
}

static void mmio_reset(void *dev)
{
	struct virtio_mmio *t = dev;

	pthread_mutex_lock(&t->lock);
	reset_locked(t);
	pthread_mutex_unlock(&t->lock);
}

static void mmio_destroy(void *dev)
{
	struct virtio_mmio *t = dev;

	mmio_reset(t);
	if (t->ops->destroy)
		t->ops->destroy(t->dev);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static int mmio_fdt(void *dev, void *fdt, const struct dev_fdt_ctx *ctx)
{
	int r = dev_fdt_node(fdt, "virtio_mmio", "virtio,mmio", 0, ctx, true,
			     true);

	(void)dev;
	if (!r)
		r = fdt_property(fdt, "dma-coherent", NULL, 0);
	if (!r)
		r = fdt_end_node(fdt);
	return r;
}

const struct device_ops virtio_mmio_ops = {
	.name = "virtio-mmio",
	.read = mmio_read,
	.write = mmio_write,
	.reset = mmio_reset,
	.destroy = mmio_destroy,
	.fdt = mmio_fdt,
};

struct virtio_mmio *virtio_mmio_new(const struct virtio_dev_ops *ops, void *dev,
				    struct guest_mem *mem, struct irq_line irq)
{
	struct virtio_mmio *t;

	if (ops->nqueues > VIRTIO_MAX_QUEUES)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	pthread_mutex_init(&t->lock, NULL);
	t->ops = ops;
	t->dev = dev;
	t->mem = mem;
	t->irq = irq;
	t->offered = ops->features | TRANSPORT_FEATURES;
	/* for measuring what event suppression saves (bench/) */
	if (getenv("RVISOR_NO_EVENT_IDX"))
		t->offered &= ~(1ull << VIRTIO_F_EVENT_IDX);
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		vq_reset(&t->vq[q]);
	if (ops->attach)
		ops->attach(dev, t);
	return t;
}
