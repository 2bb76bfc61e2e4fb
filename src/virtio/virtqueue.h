/* virtqueue.h - the device side of a virtqueue: split and packed rings,
 * indirect descriptors, VIRTIO_F_EVENT_IDX / VIRTIO_F_RING_EVENT_IDX in both
 * directions (virtio 1.2, "Split Virtqueues" and "Packed Virtqueues").
 *
 * This is the one ring walker of rvisor: every in-process virtio device and
 * the out-of-process vhost-user backends use it. Everything in the rings is
 * written by the guest, which may change it while we read it, so every value
 * is read once, checked, and only the checked copy is used:
 *
 *   vq_setup()   checks size, alignment and placement of the rings once,
 *                when the driver enables the queue (QueueReady = 1).
 *   vq_pop()     takes the next available buffer and returns it as a list of
 *                guest-physical segments, each entirely inside one RAM slot.
 *   vq_chain_read() / vq_chain_write()
 *                copy from the device-readable / into the device-writable
 *                part of a chain (writes mark pages dirty).
 *   vq_push()    returns a buffer to the driver.
 *   vq_need_interrupt()   after pushes: send a used-buffer notification?
 *   vq_disable_kicks() / vq_enable_kicks()
 *                ask the driver to stop / resume available-buffer
 *                notifications while the device polls.
 *
 * Threads: a virtqueue belongs to one device thread at a time; none of these
 * functions may run concurrently on the same queue. The guest (on other
 * host threads) is the only concurrent party, and the ring protocol's
 * acquire/release ordering is handled here.
 *
 * Errors: vq_pop() returns -1 for anything the driver is not allowed to put
 * in the ring. The queue then stays broken (every later vq_pop() returns -1)
 * until vq_setup()/vq_reset(), and the device should set
 * DEVICE_NEEDS_RESET. vq->error names the rule that was broken. */
#ifndef RVISOR_VIRTIO_VIRTQUEUE_H
#define RVISOR_VIRTIO_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct guest_mem;
struct mem_slot;

/* Largest queue size either ring format allows. */
#define VQ_MAX_SIZE 32768
/* Most buffers (segments) one chain may carry, and the most entries an
 * indirect table may hold. The spec lets a device set "a reasonable limit of
 * descriptors it will allow in a chain"; 1024 matches IOV_MAX and QEMU's
 * VIRTQUEUE_MAX_SIZE, and devices advertise seg_max below it. */
#define VQ_MAX_SEGS 1024

/* Descriptor flags, both formats. */
#define VQ_DESC_F_NEXT	   1
#define VQ_DESC_F_WRITE	   2
#define VQ_DESC_F_INDIRECT 4
#define VQ_DESC_F_AVAIL	   (1u << 7)  /* packed only */
#define VQ_DESC_F_USED	   (1u << 15) /* packed only */

/* Split ring flags. */
#define VQ_AVAIL_F_NO_INTERRUPT 1
#define VQ_USED_F_NO_NOTIFY	1

/* Packed ring event suppression flags. */
#define VQ_EVENT_F_ENABLE  0
#define VQ_EVENT_F_DISABLE 1
#define VQ_EVENT_F_DESC	   2

/* One guest buffer: [addr, addr + len), len > 0, inside one RAM slot. */
struct vq_seg {
	uint64_t addr;
	uint32_t len;
};

/* A popped request. segs[0..nout) are device-readable ("out"),
 * segs[nout..nout+nin) device-writable ("in"). out_len + in_len < 2^32.
 * About 16 KiB: keep one in the device, not on a small stack. */
struct vq_chain {
	uint16_t id;	/* split: head descriptor index; packed: buffer id */
	uint16_t ndesc; /* descriptors it took up in the ring */
	uint16_t nout, nin;
	uint32_t out_len, in_len;
	struct vq_seg segs[VQ_MAX_SEGS];
};

struct vq_stats {
	uint64_t popped;	  /* chains handed to the device */
	uint64_t out_bytes;	  /* device-readable bytes in those chains */
	uint64_t in_bytes;	  /* bytes reported written by vq_push() */
	uint64_t errors;	  /* malformed rings (vq_pop() == -1) */
	uint64_t kicks;		  /* available-buffer notifications received */
	uint64_t irqs;		  /* vq_need_interrupt() said yes */
	uint64_t irqs_suppressed; /* ... said no: flags or event index */
};

struct virtqueue {
	struct guest_mem *mem;
	uint16_t num;
	bool ready;
	bool packed;
	bool event_idx;
	/* Guest-physical ring addresses as the driver gave them. */
	uint64_t desc_gpa, driver_gpa, device_gpa;

	/* Host views of the rings, checked once by vq_setup(): RAM slots
	 * never move, so they stay valid until the guest_mem is destroyed.
	 * The slots are kept to mark our ring writes dirty. */
	uint8_t *desc, *driver, *device;
	struct mem_slot *desc_slot, *device_slot;

	/* Device-side ring state. Split: free-running 16-bit indices.
	 * Packed: positions in [0, num) and the two wrap counters. */
	uint16_t last_avail;
	uint16_t used_idx;
	bool avail_wrap, used_wrap;
	uint16_t inflight;    /* packed: descriptors popped, not pushed */
	uint32_t unsignalled; /* used entries (packed: descriptors) pushed
				 since the last vq_need_interrupt() */
	bool kicks_enabled;
	bool broken;
	const char *error; /* which rule the driver broke, or NULL */

	/* Survive vq_setup() and vq_reset(): host-visible counters. */
	struct vq_stats stats;
};

/* Validates the ring layout and makes the queue ready, starting from the
 * state the spec gives a freshly enabled queue (indices 0, wrap counters 1,
 * kicks enabled). num must be a power of two for split rings; any
 * 1..32768 for packed. Split: desc 16-aligned, 16*num bytes; avail (driver)
 * 2-aligned, 6+2*num; used (device) 4-aligned, 6+8*num (both sizes include
 * the event-index fields). Packed: desc 16-aligned, 16*num; driver and
 * device event structures 4-aligned, 4 bytes. Each part must lie in one
 * RAM slot. Returns 0 or -EINVAL; on error the queue is left not ready. */
int vq_setup(struct virtqueue *vq, struct guest_mem *mem, uint16_t num,
	     bool packed, bool event_idx, uint64_t desc, uint64_t driver,
	     uint64_t device);

/* Forgets the rings (device reset, QueueReset); keeps the stats. */
void vq_reset(struct virtqueue *vq);

/* Takes the next available chain. Returns 1 with *chain filled, 0 if the
 * ring is empty (or the queue not ready), -1 if the driver broke the ring
 * rules: see vq->error, and set DEVICE_NEEDS_RESET.
 *
 * Accepted chains satisfy: every index < num; no loops (at most num ring
 * descriptors, at most len/16 in an indirect table, at most VQ_MAX_SEGS
 * table entries and segments); indirect tables non-empty, a multiple of 16
 * bytes and inside RAM, never nested and never combined with NEXT;
 * no device-readable descriptor after a device-writable one; every buffer
 * inside one RAM slot without wrapping; total length < 2^32. Packed
 * lists also: every descriptor available for the current wrap counter, no
 * longer than the part of the ring not in flight, buffer id < num, an
 * indirect descriptor only on its own.
 * Zero-length descriptors are allowed (the spec does not forbid them) but
 * carry no data: they are checked like any other for flags and chaining,
 * their address is ignored, and they produce no segment.
 * Indirect descriptors are accepted (and checked) whether or not
 * VIRTIO_F_INDIRECT_DESC was negotiated: refusing them protects nothing.
 * In packed indirect tables only WRITE counts; other flags and ids are
 * ignored, as the spec tells devices to. */
int vq_pop(struct virtqueue *vq, struct vq_chain *chain);

/* Copies up to len bytes starting offset bytes into the chain's readable
 * (out) part into buf; returns the number of bytes copied (short at the end
 * of the chain). */
size_t vq_chain_read(struct virtqueue *vq, const struct vq_chain *chain,
		     size_t offset, void *buf, size_t len);
/* Copies up to len bytes from buf into the chain's writable (in) part,
 * offset bytes in, through gmem_write() so that the dirty log and the
 * predecoded-code cache see it. Returns the number of bytes copied. */
size_t vq_chain_write(struct virtqueue *vq, const struct vq_chain *chain,
		      size_t offset, const void *buf, size_t len);

/* Returns a popped chain to the driver, telling it that written bytes of
 * the writable part were filled (clamped to in_len). Chains may be pushed
 * in any order. */
void vq_push(struct virtqueue *vq, const struct vq_chain *chain,
	     uint32_t written);

/* After one or more vq_push(): whether the driver wants a used-buffer
 * notification for them now. False if nothing was pushed since the last
 * call. Counts both answers in the stats. */
bool vq_need_interrupt(struct virtqueue *vq);

/* Available-buffer notification suppression, for a device that polls:
 * disable before draining the ring, enable when it is empty. Enabling
 * returns true if buffers arrived in between, in which case the device
 * must pop again (else that kick would be lost). */
void vq_disable_kicks(struct virtqueue *vq);
bool vq_enable_kicks(struct virtqueue *vq);

/* The transport saw QueueNotify for this queue. */
static inline void vq_note_kick(struct virtqueue *vq)
{
	vq->stats.kicks++;
}

/* The classic event-index test (virtio 1.2 "Used Buffer Notification
 * Suppression", and Linux
 * virtio_ring.h): is event in [old, new)? All arithmetic mod 2^16. */
static inline bool vq_need_event(uint16_t event, uint16_t new_idx,
				 uint16_t old_idx)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old_idx);
}

#endif
