/* goldfish_rtc.c - the goldfish RTC: host CLOCK_REALTIME plus an offset the
 * guest sets by writing the time registers, so the guest's wall clock
 * follows the host's (NTP steps included) until the guest changes it.
 *
 * Limitation: the alarm has no timer of its own. It fires when it is found
 * due: on any access to the RTC (QEMU's semantics when the alarm is already
 * in the past) or when the VMM calls goldfish_rtc_poll(). Linux arms the
 * alarm only for its RTC timer queue (wakealarm, RTC_AIE/UIE ioctls,
 * alarmtimers), not for timekeeping; until a VMM timer polls, such an alarm
 * is delivered late, at the next access or poll, but never early or lost.
 *
 * Behaviour otherwise follows QEMU's hw/rtc/goldfish_rtc.c: reading
 * TIME_LOW latches TIME_HIGH; writing ALARM_LOW arms the alarm (firing at
 * once if it is not in the future); a fired alarm sets an interrupt pending
 * that stays until CLEAR_INTERRUPT and reaches the line only while
 * IRQ_ENABLED. The time offset survives reset, as a wall clock should.
 *
 * A mutex guards the state: several vcpus may access the RTC, and the poll
 * may come from another thread. The irq line is driven with the lock held
 * (the interrupt controller never calls back into devices). */
#include "dev/goldfish_rtc.h"
#include "dev/fdt_node.h"

#include <inttypes.h>
#include <libfdt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum {
	RTC_TIME_LOW = 0x00,
	RTC_TIME_HIGH = 0x04,
	RTC_ALARM_LOW = 0x08,
	RTC_ALARM_HIGH = 0x0c,
	RTC_IRQ_ENABLED = 0x10,
	RTC_CLEAR_ALARM = 0x14,
	RTC_ALARM_STATUS = 0x18,
	RTC_CLEAR_INTERRUPT = 0x1c,
};

struct goldfish_rtc {
	pthread_mutex_t lock;
	struct irq_line irq;
	/* guest time = host realtime + offset, modulo 2^64 */
	uint64_t offset;
	uint64_t alarm_next;
	uint32_t time_high; /* latched by a TIME_LOW read */
	bool alarm_running;
	bool irq_pending;
	bool irq_enabled;
};

static uint64_t host_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t now_ns(const struct goldfish_rtc *r)
{
	return host_realtime_ns() + r->offset;
}

static uint64_t deposit32(uint64_t v, unsigned shift, uint32_t half)
{
	return (v & ~(0xffffffffull << shift)) | ((uint64_t)half << shift);
}

/* Fire a due alarm and drive the line. Lock held. */
static void update(struct goldfish_rtc *r)
{
	if (r->alarm_running && now_ns(r) >= r->alarm_next) {
		r->alarm_running = false;
		r->irq_pending = true;
	}
	irq_line_set(&r->irq, r->irq_pending && r->irq_enabled);
}

static bool rtc_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	struct goldfish_rtc *r = dev;
	uint64_t t;

	if (size != 4 || (off & 3))
		return false;
	pthread_mutex_lock(&r->lock);
	update(r);
	switch (off) {
	case RTC_TIME_LOW:
		t = now_ns(r);
		r->time_high = (uint32_t)(t >> 32);
		*val = (uint32_t)t;
		break;
	case RTC_TIME_HIGH: *val = r->time_high; break;
	case RTC_ALARM_LOW: *val = (uint32_t)r->alarm_next; break;
	case RTC_ALARM_HIGH: *val = (uint32_t)(r->alarm_next >> 32); break;
	case RTC_IRQ_ENABLED: *val = r->irq_enabled; break;
	case RTC_ALARM_STATUS: *val = r->alarm_running; break;
	default: *val = 0; break;
	}
	pthread_mutex_unlock(&r->lock);
	return true;
}

static bool rtc_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
	struct goldfish_rtc *r = dev;
	uint32_t v = (uint32_t)val;
	uint64_t cur;

	if (size != 4 || (off & 3))
		return false;
	pthread_mutex_lock(&r->lock);
	switch (off) {
	case RTC_TIME_LOW:
	case RTC_TIME_HIGH:
		/* Replace one half of the current time. Linux writes HIGH
		 * then LOW; each write only moves the offset. */
		cur = now_ns(r);
		r->offset +=
			deposit32(cur, off == RTC_TIME_HIGH ? 32 : 0, v) - cur;
		break;
	case RTC_ALARM_LOW:
		r->alarm_next = deposit32(r->alarm_next, 0, v);
		r->alarm_running = true; /* update() fires it if due */
		break;
	case RTC_ALARM_HIGH:
		r->alarm_next = deposit32(r->alarm_next, 32, v);
		break;
	case RTC_IRQ_ENABLED: r->irq_enabled = v & 1; break;
	case RTC_CLEAR_ALARM: r->alarm_running = false; break;
	case RTC_CLEAR_INTERRUPT: r->irq_pending = false; break;
	}
	update(r);
	pthread_mutex_unlock(&r->lock);
	return true;
}

void goldfish_rtc_poll(void *dev)
{
	struct goldfish_rtc *r = dev;

	pthread_mutex_lock(&r->lock);
	update(r);
	pthread_mutex_unlock(&r->lock);
}

static void rtc_reset(void *dev)
{
	struct goldfish_rtc *r = dev;

	pthread_mutex_lock(&r->lock);
	r->alarm_next = 0;
	r->alarm_running = false;
	r->irq_pending = false;
	r->irq_enabled = false;
	r->time_high = 0;
	update(r);
	pthread_mutex_unlock(&r->lock);
}

static void rtc_destroy(void *dev)
{
	struct goldfish_rtc *r = dev;

	pthread_mutex_destroy(&r->lock);
	free(r);
}

/* The node QEMU virt emits. */
static int rtc_fdt(void *dev, void *fdt, const struct dev_fdt_ctx *ctx)
{
	(void)dev;
	return dev_fdt_node(fdt, "rtc", "google,goldfish-rtc", 0, ctx, true,
			    false);
}

const struct device_ops goldfish_rtc_ops = {
	.name = "goldfish-rtc",
	.fdt = rtc_fdt,
	.read = rtc_read,
	.write = rtc_write,
	.reset = rtc_reset,
	.destroy = rtc_destroy,
};

void *goldfish_rtc_new(struct irq_line irq)
{
	struct goldfish_rtc *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	pthread_mutex_init(&r->lock, NULL);
	r->irq = irq;
	return r;
}
