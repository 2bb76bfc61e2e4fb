/* virtqueue.c - the device side of split and packed virtqueues.
 *
 * Sections: ring access helpers; setup; the chain builder both formats
 * share; split rings; packed rings; copying to and from chains. Comments
 * quote virtio 1.2 sections by title ("Split Virtqueues", "Packed
 * Virtqueues" and their subsections).
 *
 * Rules for reading the guest's rings:
 *  - Fields that publish work (avail idx, packed descriptor flags) are read
 *    with acquire loads; everything they publish is read after them.
 *  - Fields that publish our work (used idx, packed used flags) are written
 *    with release stores, after what they publish.
 *  - Before reading the driver's suppression fields after publishing used
 *    entries (and before re-checking the ring after re-enabling kicks) a
 *    full fence: the store-then-load must not be reordered, or a
 *    notification is lost (Linux vhost_notify() and vhost_enable_notify()
 *    use smp_mb() for the same reason).
 *  - A descriptor is copied once into a local and only the copy is checked
 *    and used; the guest may rewrite the ring at any moment.
 * All ring fields are little-endian. */
#include "virtio/virtqueue.h"

#include <endian.h>
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "base/log.h"
#include "mem/guest_mem.h"

/* ---- ring access helpers ------------------------------------------------ */

/* Ring layouts (offsets in bytes). */
enum {
	DESC_SIZE = 16, /* both formats */
	DESC_ADDR = 0,
	DESC_LEN = 8,
	SPLIT_DESC_FLAGS = 12,
	SPLIT_DESC_NEXT = 14,
	PACKED_DESC_ID = 12,
	PACKED_DESC_FLAGS = 14,

	AVAIL_FLAGS = 0,
	AVAIL_IDX = 2,
	AVAIL_RING = 4, /* u16 ring[num], then u16 used_event */

	USED_FLAGS = 0,
	USED_IDX = 2,
	USED_RING = 4, /* {u32 id, u32 len} ring[num], then u16 avail_event */
	USED_ELEM_SIZE = 8,

	EVENT_OFF_WRAP = 0, /* packed event suppression structure */
	EVENT_FLAGS = 2,
	EVENT_SIZE = 4,
};

#define EVENT_WRAP_BIT 15

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next; /* split: next index; packed: buffer id */
};

static inline uint16_t ld16(const uint8_t *p, memory_order mo)
{
	return le16toh(atomic_load_explicit((_Atomic uint16_t *)p, mo));
}

static inline uint32_t ld32(const uint8_t *p, memory_order mo)
{
	return le32toh(atomic_load_explicit((_Atomic uint32_t *)p, mo));
}

/* Ring stores bypass gmem_write(), so they tell the dirty log themselves,
 * after the store: a migration pass that copies the page before the mark
 * would otherwise miss the store. */
static void ring_wrote(struct virtqueue *vq, struct mem_slot *s,
		       const uint8_t *p, uint64_t len)
{
	gmem_note_write(vq->mem, s, s->gpa + (uint64_t)(p - s->host), len);
}

static inline void st16(struct virtqueue *vq, struct mem_slot *s, uint8_t *p,
			uint16_t v, memory_order mo)
{
	atomic_store_explicit((_Atomic uint16_t *)p, htole16(v), mo);
	ring_wrote(vq, s, p, 2);
}

static inline void st32(struct virtqueue *vq, struct mem_slot *s, uint8_t *p,
			uint32_t v, memory_order mo)
{
	atomic_store_explicit((_Atomic uint32_t *)p, htole32(v), mo);
	ring_wrote(vq, s, p, 4);
}

/* One copy of a descriptor: the guest may change it behind us. */
static struct desc read_desc(const uint8_t *p, bool packed)
{
	struct desc d;
	uint8_t raw[DESC_SIZE];

	memcpy(raw, p, DESC_SIZE);
	memcpy(&d.addr, raw + DESC_ADDR, 8);
	memcpy(&d.len, raw + DESC_LEN, 4);
	if (packed) {
		memcpy(&d.next, raw + PACKED_DESC_ID, 2);
		memcpy(&d.flags, raw + PACKED_DESC_FLAGS, 2);
	} else {
		memcpy(&d.flags, raw + SPLIT_DESC_FLAGS, 2);
		memcpy(&d.next, raw + SPLIT_DESC_NEXT, 2);
	}
	d.addr = le64toh(d.addr);
	d.len = le32toh(d.len);
	d.flags = le16toh(d.flags);
	d.next = le16toh(d.next);
	return d;
}

/* The driver broke a ring rule: the queue stays broken until reset. The
 * log is rate-limited across all queues (a guest can repeat this at will). */
static int vq_bad(struct virtqueue *vq, const char *why)
{
	static _Atomic uint64_t total;
	uint64_t n = atomic_fetch_add_explicit(&total, 1, memory_order_relaxed);

	if ((n & (n + 1)) == 0) /* 1st, 2nd, 4th, 8th... */
		log_warn("virtqueue: %s (queue needs reset; %llu so far)", why,
			 (unsigned long long)n + 1);
	vq->broken = true;
	vq->error = why;
	vq->stats.errors++;
	return -1;
}

/* ---- setup -------------------------------------------------------------- */

/* Host pointer to a whole ring part, or NULL if misaligned or not entirely
 * in one RAM slot. size is at most 16 * 32768 + 6: no overflow. */
static uint8_t *ring_part(struct guest_mem *mem, uint64_t gpa, uint64_t size,
			  uint64_t align, struct mem_slot **slot)
{
	struct mem_slot *s;

	if (gpa & (align - 1))
		return NULL;
	s = gmem_find(mem, gpa, size);
	if (!s)
		return NULL;
	if (slot)
		*slot = s;
	return s->host + (gpa - s->gpa);
}

void vq_reset(struct virtqueue *vq)
{
	struct vq_stats stats = vq->stats;

	memset(vq, 0, sizeof(*vq));
	vq->stats = stats;
}

int vq_setup(struct virtqueue *vq, struct guest_mem *mem, uint16_t num,
	     bool packed, bool event_idx, uint64_t desc, uint64_t driver,
	     uint64_t device)
{
	uint64_t driver_size, device_size, driver_align, device_align;

	vq_reset(vq);
	if (num == 0 || num > VQ_MAX_SIZE)
		return -EINVAL;
	if (packed) {
		driver_size = device_size = EVENT_SIZE;
		driver_align = device_align = 4;
	} else {
		if (num & (num - 1))
			return -EINVAL;
		driver_size = AVAIL_RING + 2ull * num + 2;
		device_size = USED_RING + (uint64_t)USED_ELEM_SIZE * num + 2;
		driver_align = 2;
		device_align = 4;
	}
	vq->desc = ring_part(mem, desc, (uint64_t)DESC_SIZE * num, 16,
			     &vq->desc_slot);
	vq->driver = ring_part(mem, driver, driver_size, driver_align, NULL);
	vq->device = ring_part(mem, device, device_size, device_align,
			       &vq->device_slot);
	if (!vq->desc || !vq->driver || !vq->device) {
		vq_reset(vq);
		return -EINVAL;
	}
	vq->mem = mem;
	vq->num = num;
	vq->packed = packed;
	vq->event_idx = event_idx;
	vq->desc_gpa = desc;
	vq->driver_gpa = driver;
	vq->device_gpa = device;
	/* "Driver and Device Ring Wrap Counters": both start at 1. */
	vq->avail_wrap = vq->used_wrap = true;
	vq->ready = true;
	/* Start with kicks enabled, and say so in the device area rather than
	 * trust whatever the driver left there. */
	vq_enable_kicks(vq);
	return 0;
}

/* ---- building a chain (both formats) ------------------------------------ */

struct walk {
	struct vq_chain *c;
	uint64_t total;
	bool seen_write;
};

static void walk_start(struct walk *w, struct vq_chain *c)
{
	w->c = c;
	w->total = 0;
	w->seen_write = false;
	c->nout = c->nin = 0;
	c->out_len = c->in_len = 0;
	c->ndesc = 0;
}

/* Adds one buffer descriptor (not an indirect one) to the chain. */
static int walk_add(struct virtqueue *vq, struct walk *w, uint64_t addr,
		    uint32_t len, bool write)
{
	struct vq_chain *c = w->c;
	struct vq_seg *s;

	/* "Message Framing", "Scatter-Gather Support": readable first. */
	if (write)
		w->seen_write = true;
	else if (w->seen_write)
		return vq_bad(vq, "readable descriptor after a writable one");
	if (len == 0)
		return 0; /* nothing to access: no segment (see header) */
	if (c->nout + c->nin == VQ_MAX_SEGS)
		return vq_bad(vq, "chain has too many segments");
	/* gmem_find() is overflow-safe: addr + len may not wrap either. */
	if (!gmem_find(vq->mem, addr, len))
		return vq_bad(vq, "buffer outside guest RAM");
	/* "The Virtqueue Descriptor Table": a chain is under 2^32 bytes. */
	w->total += len;
	if (w->total > UINT32_MAX)
		return vq_bad(vq, "chain longer than 2^32 bytes");
	s = &c->segs[c->nout + c->nin];
	s->addr = addr;
	s->len = len;
	if (write) {
		c->nin++;
		c->in_len += len;
	} else {
		c->nout++;
		c->out_len += len;
	}
	return 0;
}

/* Host view of an indirect table, checked. */
static const uint8_t *indirect_table(struct virtqueue *vq, const struct desc *d)
{
	const uint8_t *t;

	if (d->len == 0 || d->len % DESC_SIZE) {
		vq_bad(vq, "indirect table empty or not a multiple of 16");
		return NULL;
	}
	if (d->len / DESC_SIZE > VQ_MAX_SEGS) {
		vq_bad(vq, "indirect table too long");
		return NULL;
	}
	t = gmem_ptr(vq->mem, d->addr, d->len);
	if (!t)
		vq_bad(vq, "indirect table outside guest RAM");
	return t;
}

/* ---- split rings --------------------------------------------------------- */

/* Walks the chain starting at head: ring descriptors, possibly ending in
 * one indirect descriptor whose table holds the rest. "Indirect
 * Descriptors": the device handles "zero or more normal chained
 * descriptors followed by a single descriptor with INDIRECT". */
static int split_walk(struct virtqueue *vq, struct walk *w, uint16_t head)
{
	const uint8_t *table = vq->desc;
	uint32_t table_n = vq->num;
	/* Loop bound: a loop-free walk visits each table entry at most
	 * once, and a chain is no longer than the queue size. */
	uint32_t budget = vq->num;
	const char *loop = "loop in descriptor chain";
	bool indirect = false;
	uint32_t i = head;

	for (;;) {
		struct desc d;

		/* More steps than entries: some entry came twice. */
		if (budget-- == 0)
			return vq_bad(vq, loop);
		d = read_desc(table + (size_t)i * DESC_SIZE, false);
		w->c->ndesc++;
		if (d.flags & VQ_DESC_F_INDIRECT) {
			if (indirect)
				return vq_bad(vq, "nested indirect descriptor");
			if (d.flags & VQ_DESC_F_NEXT)
				return vq_bad(vq,
					      "indirect descriptor with NEXT");
			/* Its WRITE flag is ignored (the spec says so). */
			table = indirect_table(vq, &d);
			if (!table)
				return -1;
			table_n = budget = d.len / DESC_SIZE;
			loop = "loop in indirect table";
			indirect = true;
			i = 0;
			continue;
		}
		if (walk_add(vq, w, d.addr, d.len, d.flags & VQ_DESC_F_WRITE))
			return -1;
		if (!(d.flags & VQ_DESC_F_NEXT))
			return 0;
		if (d.next >= table_n)
			return vq_bad(vq, "next index out of range");
		i = d.next;
	}
}

static int split_pop(struct virtqueue *vq, struct vq_chain *c)
{
	uint16_t avail_idx, pending, head;
	struct walk w;

	avail_idx = ld16(vq->driver + AVAIL_IDX, memory_order_acquire);
	pending = (uint16_t)(avail_idx - vq->last_avail);
	if (pending == 0)
		return 0;
	/* The ring holds num entries: more cannot have been added. */
	if (pending > vq->num)
		return vq_bad(vq,
			      "avail idx ahead by more than the queue size");
	head = ld16(vq->driver + AVAIL_RING + 2 * (vq->last_avail % vq->num),
		    memory_order_relaxed);
	if (head >= vq->num)
		return vq_bad(vq, "head index out of range");
	walk_start(&w, c);
	if (split_walk(vq, &w, head))
		return -1;
	c->id = head;
	vq->last_avail++;
	/* With event index, kicks stay enabled by moving avail_event along:
	 * "notify me when you fill the entry I will read next". */
	if (vq->event_idx && vq->kicks_enabled)
		st16(vq, vq->device_slot,
		     vq->device + USED_RING + USED_ELEM_SIZE * vq->num,
		     vq->last_avail, memory_order_relaxed);
	return 1;
}

static void split_push(struct virtqueue *vq, const struct vq_chain *c,
		       uint32_t written)
{
	uint8_t *elem = vq->device + USED_RING +
			USED_ELEM_SIZE * (vq->used_idx % vq->num);

	/* "The Virtqueue Used Ring": len is set before idx. */
	st32(vq, vq->device_slot, elem, c->id, memory_order_relaxed);
	st32(vq, vq->device_slot, elem + 4, written, memory_order_relaxed);
	vq->used_idx++;
	st16(vq, vq->device_slot, vq->device + USED_IDX, vq->used_idx,
	     memory_order_release);
	vq->unsignalled++;
}

static bool split_need_interrupt(struct virtqueue *vq)
{
	uint16_t event;

	if (!vq->event_idx)
		return !(ld16(vq->driver + AVAIL_FLAGS, memory_order_relaxed) &
			 VQ_AVAIL_F_NO_INTERRUPT);
	/* More than 2^16 unsignalled entries: the 16-bit window cannot tell
	 * whether used_event was crossed, so notify (vhost does the same). */
	if (vq->unsignalled > UINT16_MAX)
		return true;
	event = ld16(vq->driver + AVAIL_RING + 2 * vq->num,
		     memory_order_relaxed);
	/* "Used Buffer Notification Suppression": notify if the entry at
	 * used_event was written since we last decided, i.e. used_event is
	 * in [old, new). */
	return vq_need_event(event, vq->used_idx,
			     (uint16_t)(vq->used_idx - vq->unsignalled));
}

static void split_set_kicks(struct virtqueue *vq, bool enable)
{
	uint8_t *avail_event =
		vq->device + USED_RING + USED_ELEM_SIZE * vq->num;

	if (!vq->event_idx) {
		st16(vq, vq->device_slot, vq->device + USED_FLAGS,
		     enable ? 0 : VQ_USED_F_NO_NOTIFY, memory_order_relaxed);
		return;
	}
	/* Enabled: notify when entry last_avail is filled. Disabled: name the
	 * entry just consumed, which the driver has already passed, so it
	 * stays quiet until 2^16 further entries (vhost merely stops updating
	 * the field, which still costs one kick). */
	st16(vq, vq->device_slot, avail_event,
	     enable ? vq->last_avail : (uint16_t)(vq->last_avail - 1),
	     memory_order_relaxed);
}

static bool split_has_avail(struct virtqueue *vq)
{
	return ld16(vq->driver + AVAIL_IDX, memory_order_acquire) !=
	       vq->last_avail;
}

/* ---- packed rings ------------------------------------------------------- */

/* "Driver and Device Ring Wrap Counters": available means AVAIL matches
 * the driver's wrap counter (ours, for this position) and USED does not. */
static bool packed_is_avail(uint16_t flags, bool wrap)
{
	return !!(flags & VQ_DESC_F_AVAIL) == wrap &&
	       !!(flags & VQ_DESC_F_USED) != wrap;
}

static int packed_walk_indirect(struct virtqueue *vq, struct walk *w,
				const struct desc *d)
{
	const uint8_t *table = indirect_table(vq, d);

	if (!table)
		return -1;
	/* "Indirect Flag": entries follow each other (no NEXT chaining);
	 * WRITE is the only valid flag, the rest and the ids are ignored. */
	for (uint32_t i = 0; i < d->len / DESC_SIZE; i++) {
		struct desc e = read_desc(table + (size_t)i * DESC_SIZE, true);

		if (walk_add(vq, w, e.addr, e.len, e.flags & VQ_DESC_F_WRITE))
			return -1;
	}
	return 0;
}

static int packed_pop(struct virtqueue *vq, struct vq_chain *c)
{
	uint16_t pos = vq->last_avail;
	bool wrap = vq->avail_wrap;
	uint16_t flags, id;
	struct walk w;

	flags = ld16(vq->desc + (size_t)pos * DESC_SIZE + PACKED_DESC_FLAGS,
		     memory_order_acquire);
	if (!packed_is_avail(flags, wrap))
		return 0;
	walk_start(&w, c);
	for (;;) {
		const uint8_t *p = vq->desc + (size_t)pos * DESC_SIZE;
		struct desc d;

		/* The ring holds num descriptors, and inflight of them are
		 * still ours: a longer chain would run into them (and is
		 * how a loop shows up in a packed ring). */
		if (vq->inflight + c->ndesc >= vq->num)
			return vq_bad(vq, "chain longer than the free ring");
		if (c->ndesc > 0) {
			/* "Next Flag": the driver makes the rest of a list
			 * available before its first descriptor. */
			flags = ld16(p + PACKED_DESC_FLAGS,
				     memory_order_acquire);
			if (!packed_is_avail(flags, wrap))
				return vq_bad(vq, "list runs into a descriptor "
						  "that is not available");
		}
		d = read_desc(p, true);
		d.flags = flags; /* the checked copy */
		c->ndesc++;
		if (++pos == vq->num) {
			pos = 0;
			wrap = !wrap;
		}
		if (d.flags & VQ_DESC_F_INDIRECT) {
			/* "Indirect Descriptors": an indirect descriptor is a
			 * list of its own, never part of a NEXT chain. */
			if (c->ndesc > 1 || (d.flags & VQ_DESC_F_NEXT))
				return vq_bad(vq,
					      "indirect descriptor in a chain");
			if (packed_walk_indirect(vq, &w, &d))
				return -1;
			id = d.next;
			break;
		}
		if (walk_add(vq, &w, d.addr, d.len, d.flags & VQ_DESC_F_WRITE))
			return -1;
		if (!(d.flags & VQ_DESC_F_NEXT)) {
			id = d.next; /* "Next Flag": the id is in the last */
			break;
		}
	}
	if (id >= vq->num)
		return vq_bad(vq, "buffer id out of range");
	c->id = id;
	vq->last_avail = pos;
	vq->avail_wrap = wrap;
	vq->inflight += c->ndesc;
	if (vq->event_idx && vq->kicks_enabled)
		st16(vq, vq->device_slot, vq->device + EVENT_OFF_WRAP,
		     pos | (uint16_t)(wrap << EVENT_WRAP_BIT),
		     memory_order_relaxed);
	return 1;
}

static void packed_push(struct virtqueue *vq, const struct vq_chain *c,
			uint32_t written)
{
	uint8_t *p = vq->desc + (size_t)vq->used_idx * DESC_SIZE;
	uint16_t flags = vq->used_wrap ? VQ_DESC_F_AVAIL | VQ_DESC_F_USED : 0;
	uint16_t ndesc = c->ndesc;

	/* "Element Address and Length": WRITE in a used descriptor
	 * says len is meaningful. */
	if (c->in_len)
		flags |= VQ_DESC_F_WRITE;
	st16(vq, vq->desc_slot, p + PACKED_DESC_ID, c->id,
	     memory_order_relaxed);
	st32(vq, vq->desc_slot, p + DESC_LEN, written, memory_order_relaxed);
	/* The flags publish the descriptor: last, with release. */
	st16(vq, vq->desc_slot, p + PACKED_DESC_FLAGS, flags,
	     memory_order_release);

	/* A chain we did not pop (a device bug) must not corrupt the
	 * counters; clamp rather than trust it. */
	if (ndesc == 0 || ndesc > vq->num)
		ndesc = 1;
	vq->inflight = ndesc < vq->inflight ? vq->inflight - ndesc : 0;
	vq->used_idx += ndesc;
	if (vq->used_idx >= vq->num) {
		vq->used_idx -= vq->num;
		vq->used_wrap = !vq->used_wrap;
	}
	vq->unsignalled += ndesc;
}

static bool packed_need_interrupt(struct virtqueue *vq)
{
	/* One load, so offset, wrap and flags are a consistent snapshot. */
	uint32_t ev = ld32(vq->driver, memory_order_relaxed);
	uint16_t off_wrap = (uint16_t)ev, off;
	int event;
	uint16_t mode = (ev >> 16) & 3;

	if (mode == VQ_EVENT_F_DISABLE)
		return false;
	/* ENABLE, reserved values, DESC without the feature: notify. A
	 * spurious notification is harmless; a missing one hangs the driver. */
	if (mode != VQ_EVENT_F_DESC || !vq->event_idx)
		return true;
	/* The device passed every position at least once. */
	if (vq->unsignalled >= vq->num)
		return true;
	/* Positions on the previous lap count as negative, so that [old, new)
	 * is one interval even across the wrap (Linux
	 * virtqueue_kick_prepare_packed() mirrors this for the driver). */
	off = off_wrap & ~(1u << EVENT_WRAP_BIT);
	event = off;
	if (!!(off_wrap >> EVENT_WRAP_BIT) != vq->used_wrap)
		event -= vq->num;
	return vq_need_event((uint16_t)event, vq->used_idx,
			     (uint16_t)(vq->used_idx - vq->unsignalled));
}

static void packed_set_kicks(struct virtqueue *vq, bool enable)
{
	uint32_t ev;

	if (!enable)
		ev = (uint32_t)VQ_EVENT_F_DISABLE << 16;
	else if (vq->event_idx)
		ev = (uint32_t)VQ_EVENT_F_DESC << 16 | vq->last_avail |
		     (uint32_t)vq->avail_wrap << EVENT_WRAP_BIT;
	else
		ev = (uint32_t)VQ_EVENT_F_ENABLE << 16;
	/* One store: the driver reads the structure as one 32-bit value. */
	st32(vq, vq->device_slot, vq->device, ev, memory_order_relaxed);
}

static bool packed_has_avail(struct virtqueue *vq)
{
	uint16_t flags = ld16(vq->desc + (size_t)vq->last_avail * DESC_SIZE +
				      PACKED_DESC_FLAGS,
			      memory_order_acquire);

	return packed_is_avail(flags, vq->avail_wrap);
}

/* ---- the API: dispatch to the format ------------------------------------ */

int vq_pop(struct virtqueue *vq, struct vq_chain *chain)
{
	int r;

	if (!vq->ready)
		return 0;
	if (vq->broken)
		return -1;
	r = vq->packed ? packed_pop(vq, chain) : split_pop(vq, chain);
	if (r == 1) {
		vq->stats.popped++;
		vq->stats.out_bytes += chain->out_len;
	}
	return r;
}

void vq_push(struct virtqueue *vq, const struct vq_chain *chain,
	     uint32_t written)
{
	if (!vq->ready)
		return;
	/* "The Virtqueue Used Ring": len is what was written to the writable
	 * part; never claim
	 * more than the driver gave us. */
	if (written > chain->in_len)
		written = chain->in_len;
	vq->stats.in_bytes += written;
	if (vq->packed)
		packed_push(vq, chain, written);
	else
		split_push(vq, chain, written);
}

bool vq_need_interrupt(struct virtqueue *vq)
{
	bool need;

	if (!vq->ready || vq->unsignalled == 0)
		return false;
	/* Our used-ring stores must be visible before we read the driver's
	 * suppression fields, which it writes before re-checking the used
	 * ring: a full fence on both sides, or both may decide to wait. */
	atomic_thread_fence(memory_order_seq_cst);
	need = vq->packed ? packed_need_interrupt(vq)
			  : split_need_interrupt(vq);
	vq->unsignalled = 0;
	if (need)
		vq->stats.irqs++;
	else
		vq->stats.irqs_suppressed++;
	return need;
}

void vq_disable_kicks(struct virtqueue *vq)
{
	if (!vq->ready || !vq->kicks_enabled)
		return;
	vq->kicks_enabled = false;
	if (vq->packed)
		packed_set_kicks(vq, false);
	else
		split_set_kicks(vq, false);
}

bool vq_enable_kicks(struct virtqueue *vq)
{
	if (!vq->ready)
		return false;
	vq->kicks_enabled = true;
	if (vq->packed)
		packed_set_kicks(vq, true);
	else
		split_set_kicks(vq, true);
	/* The driver publishes, fences, then reads our field: we write our
	 * field, fence, then re-check the ring. One of us sees the other. */
	atomic_thread_fence(memory_order_seq_cst);
	return vq->packed ? packed_has_avail(vq) : split_has_avail(vq);
}

/* ---- copying to and from chains ----------------------------------------- */

/* Walks segs[first..first+n) from byte offset, calling gmem_read/write on
 * each piece. The segments were checked at pop time and slots never move,
 * so a failure here means the memory map changed; stop short. */
static size_t chain_copy(struct virtqueue *vq, const struct vq_seg *segs,
			 unsigned n, size_t offset, uint8_t *buf,
			 const uint8_t *cbuf, size_t len)
{
	size_t done = 0;

	for (unsigned i = 0; i < n && done < len; i++) {
		uint64_t chunk;
		bool ok;

		if (offset >= segs[i].len) {
			offset -= segs[i].len;
			continue;
		}
		chunk = segs[i].len - offset;
		if (chunk > len - done)
			chunk = len - done;
		if (buf)
			ok = gmem_read(vq->mem, segs[i].addr + offset,
				       buf + done, chunk);
		else
			ok = gmem_write(vq->mem, segs[i].addr + offset,
					cbuf + done, chunk);
		if (!ok)
			break;
		done += chunk;
		offset = 0;
	}
	return done;
}

size_t vq_chain_read(struct virtqueue *vq, const struct vq_chain *chain,
		     size_t offset, void *buf, size_t len)
{
	unsigned nout = chain->nout;

	if (!vq->mem || nout > VQ_MAX_SEGS)
		return 0;
	return chain_copy(vq, chain->segs, nout, offset, buf, NULL, len);
}

size_t vq_chain_write(struct virtqueue *vq, const struct vq_chain *chain,
		      size_t offset, const void *buf, size_t len)
{
	unsigned nout = chain->nout, nin = chain->nin;

	if (!vq->mem || nout > VQ_MAX_SEGS || nin > VQ_MAX_SEGS - nout)
		return 0;
	return chain_copy(vq, chain->segs + nout, nin, offset, NULL, buf, len);
}
