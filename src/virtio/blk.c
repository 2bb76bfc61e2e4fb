/* blk.c - virtio-blk (virtio 1.2, 5.2 "Block Device").
 *
 * Request life: the driver kicks; the vcpu thread, inside queue_notify()
 * with the transport lock held, pops chains, validates them and either
 * answers at once (bad requests, GET_ID, zero-length I/O) or hands them to
 * the executor. A request runs as a series of host "steps" (one readv,
 * writev, fdatasync or fallocate each): a short transfer, the next
 * discard segment or a write-zeroes fallback is just another step. When the
 * last step is done the status byte is written and the chain pushed.
 *
 * Executors:
 *  - io_uring: the SQ and CQ are only touched with the transport lock held.
 *    queue_notify() queues SQEs, submits once per kick, then reaps whatever
 *    already completed (page-cache hits complete inside the submit). The
 *    ring signals an eventfd for every completion; the device's I/O thread
 *    sleeps in read() on it - holding no lock - then takes the transport
 *    lock, reaps, pushes and interrupts.
 *  - workers (no io_uring): requests go on a pending list under the
 *    device's own lock; BLK_WORKERS threads run the steps with plain
 *    syscalls holding no lock, put the request on a done list, and only
 *    then take the transport lock to push everything that is done.
 *
 * Locks: the transport lock T (ring, request slots, io_uring, stats) is
 * always taken before the device lock D (the workers' lists, busy count);
 * nobody ever waits for T while holding D. So reset - called with T held -
 * can wait for host I/O without deadlock: with io_uring it reaps the CQEs
 * itself; with workers it waits on D's condition variable for busy == 0,
 * which the workers signal before they want T. Requests in flight at a
 * reset are marked cancelled and dropped, never pushed: the driver may be
 * reusing that ring memory already.
 *
 * Guest memory: I/O goes straight between the image and guest RAM through
 * iovecs built from the chain's segments (each inside one RAM slot, so one
 * host range). Buffers the device writes (IN) come from
 * gmem_ptr_for_write() at submission and are marked written again at
 * completion, so neither the dirty log nor the predecoded-code cache can
 * miss data that landed in between. */
#include "virtio/blk.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "backend/block_file.h"
#include "base/log.h"

/* Feature bits (5.2.3). */
#define VIRTIO_BLK_F_SEG_MAX	  2
#define VIRTIO_BLK_F_RO		  5
#define VIRTIO_BLK_F_BLK_SIZE	  6
#define VIRTIO_BLK_F_FLUSH	  9
#define VIRTIO_BLK_F_DISCARD	  13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

/* Request types and status (5.2.6). */
#define VIRTIO_BLK_T_IN		  0
#define VIRTIO_BLK_T_OUT	  1
#define VIRTIO_BLK_T_FLUSH	  4
#define VIRTIO_BLK_T_GET_ID	  8
#define VIRTIO_BLK_T_DISCARD	  11
#define VIRTIO_BLK_T_WRITE_ZEROES 13
#define VIRTIO_BLK_S_OK		  0
#define VIRTIO_BLK_S_IOERR	  1
#define VIRTIO_BLK_S_UNSUPP	  2
#define VIRTIO_BLK_DWZ_F_UNMAP	  1u

#define SECTOR	     512u
#define HDR_SIZE     16u /* le32 type, le32 reserved, le64 sector */
#define DWZ_SEG_SIZE 16u /* le64 sector, le32 num_sectors, le32 flags */
#define ID_BYTES     20u

#define BLK_QUEUE_MAX 256
/* data segments a request may have; plus header and status: a full queue */
#define BLK_SEG_MAX	    (BLK_QUEUE_MAX - 2)
#define BLK_DWZ_MAX_SEG	    32
#define BLK_DWZ_MAX_SECTORS 0x3fffffu /* per segment: just under 2 GiB */
#define BLK_WORKERS	    4
#define ZERO_BUF	    (64u << 10)
#define ZERO_IOVS	    16 /* one zero-writing step: up to 1 MiB */

/* Config space (5.2.4), up to and including unused1: 60 bytes. */
enum {
	CFG_CAPACITY = 0,
	CFG_SIZE_MAX = 8,
	CFG_SEG_MAX = 12,
	CFG_BLK_SIZE = 20,
	CFG_MAX_DISCARD_SECTORS = 36,
	CFG_MAX_DISCARD_SEG = 40,
	CFG_DISCARD_SECTOR_ALIGNMENT = 44,
	CFG_MAX_WRITE_ZEROES_SECTORS = 48,
	CFG_MAX_WRITE_ZEROES_SEG = 52,
	CFG_WRITE_ZEROES_MAY_UNMAP = 56,
	CFG_SIZE = 60,
};

enum req_op { OP_NONE, OP_READ, OP_WRITE, OP_FLUSH, OP_DISCARD, OP_WZ };
enum step_kind { S_READV, S_WRITEV, S_FSYNC, S_FALLOC };

struct step {
	enum step_kind kind;
	const struct iovec *iov;
	int niov;
	int mode; /* fallocate */
	uint64_t off, len;
};

struct dwz_seg {
	uint64_t off, len; /* bytes */
	bool unmap;
};

struct blk_req {
	struct blk_req *next; /* free / pending / done list */
	bool in_use;
	atomic_bool cancelled; /* device reset while the host had it */
	enum req_op op;
	uint8_t status;
	bool finished;	/* no more steps */
	bool zeroing;	/* WZ: writing zeros for the current segment */
	int fmode;	/* WZ: the fallocate mode being tried */
	uint64_t off;	/* next byte offset in the image */
	uint64_t left;	/* bytes left (read/write, or the zeroed segment) */
	uint32_t bytes; /* data bytes of a read/write (stats) */
	unsigned iov_first, niov;
	unsigned seg, nseg; /* DISCARD / WZ segments; FLUSH: seg 1 = done */
	unsigned short_transfers;
	bool zero_fallback;
	struct dwz_seg dwz[BLK_DWZ_MAX_SEG];
	struct iovec iov[VQ_MAX_SEGS];
	struct vq_chain chain;
};

struct virtio_blk {
	struct block_file bf;
	struct guest_mem *mem;
	_Atomic(struct virtio_mmio *) t; /* set by attach() */
	char path[256];
	uint8_t id[ID_BYTES];
	uint8_t config[CFG_SIZE];
	uint64_t capacity; /* sectors */
	uint64_t features; /* what this disk offers */

	/* under T */
	struct blk_req *reqs; /* BLK_QUEUE_MAX slots */
	struct blk_req *free;
	unsigned nfree;
	bool stalled;  /* stopped popping for lack of a free slot */
	bool need_irq; /* pushed since the last used notification */
	struct virtio_blk_stats stats;

	/* io_uring executor (ring under T) */
	bool use_uring;
	struct io_uring ring;
	unsigned uring_pending; /* SQEs queued or submitted, CQE not reaped */
	bool uring_unsubmitted;
	int efd;

	/* worker executor (lists and busy under D) */
	pthread_mutex_t lock; /* D */
	pthread_cond_t work, idle;
	struct blk_req *pending, **pending_tail;
	struct blk_req *done;
	unsigned busy;

	atomic_bool stop;
	pthread_t threads[BLK_WORKERS];
	unsigned nthreads;
	uint8_t *zeros; /* ZERO_BUF bytes */
};

/* ---- little helpers ------------------------------------------------------ */

static void put_le32(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}

static void put_le64(uint8_t *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, 8);
}

static uint32_t get_le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

static bool queue_live(const struct virtio_mmio *t)
{
	return (t->status & VIRTIO_STATUS_DRIVER_OK) &&
	       !(t->status & VIRTIO_STATUS_NEEDS_RESET) && t->vq[0].ready;
}

/* [sector, sector + bytes/512) inside the disk, without overflow. */
static bool range_ok(const struct virtio_blk *b, uint64_t sector,
		     uint64_t bytes)
{
	uint64_t n = bytes / SECTOR;

	return sector <= b->capacity && n <= b->capacity - sector;
}

static struct blk_req *alloc_req(struct virtio_blk *b)
{
	struct blk_req *r = b->free;

	if (!r)
		return NULL;
	b->free = r->next;
	b->nfree--;
	r->next = NULL;
	r->in_use = true;
	return r;
}

static void free_req(struct virtio_blk *b, struct blk_req *r)
{
	r->in_use = false;
	r->next = b->free;
	b->free = r;
	b->nfree++;
}

/* ---- steps: what a request asks of the host next --------------------------
 */

/* The next host operation for r, or false when r is finished (status set). */
static bool next_step(struct virtio_blk *b, struct blk_req *r, struct step *s)
{
	if (r->finished)
		return false;
	switch (r->op) {
	case OP_READ:
	case OP_WRITE:
		if (r->left == 0)
			break;
		s->kind = r->op == OP_READ ? S_READV : S_WRITEV;
		s->iov = &r->iov[r->iov_first];
		s->niov = (int)(r->niov - r->iov_first);
		s->off = r->off;
		return true;
	case OP_FLUSH:
		if (r->seg)
			break;
		s->kind = S_FSYNC;
		return true;
	case OP_DISCARD:
		/* discard is a hint: without hole punching it is a no-op */
		while (r->seg < r->nseg &&
		       (!r->dwz[r->seg].len ||
			!atomic_load(&b->bf.can_punch_hole)))
			r->seg++;
		if (r->seg == r->nseg)
			break;
		s->kind = S_FALLOC;
		s->mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
		s->off = r->dwz[r->seg].off;
		s->len = r->dwz[r->seg].len;
		return true;
	case OP_WZ:
		while (r->seg < r->nseg && !r->dwz[r->seg].len)
			r->seg++;
		if (r->seg == r->nseg)
			break;
		if (!r->zeroing) {
			const struct dwz_seg *d = &r->dwz[r->seg];
			if (d->unmap && atomic_load(&b->bf.can_punch_hole))
				r->fmode = FALLOC_FL_PUNCH_HOLE;
			else if (atomic_load(&b->bf.can_zero_range))
				r->fmode = FALLOC_FL_ZERO_RANGE;
			else
				r->fmode = 0;
			if (r->fmode) {
				s->kind = S_FALLOC;
				s->mode = r->fmode | FALLOC_FL_KEEP_SIZE;
				s->off = d->off;
				s->len = d->len;
				return true;
			}
			/* the file system can do neither: write zeros */
			r->zeroing = true;
			r->zero_fallback = true;
			r->off = d->off;
			r->left = d->len;
		}
		uint64_t n = r->left < (uint64_t)ZERO_BUF * ZERO_IOVS
				     ? r->left
				     : (uint64_t)ZERO_BUF * ZERO_IOVS;
		r->niov = 0;
		while (n) {
			size_t k = n < ZERO_BUF ? (size_t)n : ZERO_BUF;
			r->iov[r->niov++] = (struct iovec){b->zeros, k};
			n -= k;
		}
		s->kind = S_WRITEV;
		s->iov = r->iov;
		s->niov = (int)r->niov;
		s->off = r->off;
		return true;
	case OP_NONE: break;
	}
	r->finished = true;
	return false;
}

static void fail_req(struct blk_req *r)
{
	r->status = VIRTIO_BLK_S_IOERR;
	r->finished = true;
}

/* Advances a read/write past n transferred bytes. */
static void advance(struct blk_req *r, uint64_t n)
{
	if (n > r->left)
		n = r->left;
	r->off += n;
	r->left -= n;
	while (n && r->iov_first < r->niov) {
		struct iovec *v = &r->iov[r->iov_first];
		if (n >= v->iov_len) {
			n -= v->iov_len;
			r->iov_first++;
		} else {
			v->iov_base = (uint8_t *)v->iov_base + n;
			v->iov_len -= n;
			n = 0;
		}
	}
}

/* Applies the result of the step next_step() gave (bytes or -errno). Runs
 * on whichever thread ran the step; touches only r and the backend's
 * capability flags. */
static void step_done(struct virtio_blk *b, struct blk_req *r, int64_t res)
{
	if (res == -EINTR || res == -EAGAIN)
		return; /* the same step again */
	switch (r->op) {
	case OP_READ:
	case OP_WRITE:
		if (res <= 0) { /* 0: the image shrank under us */
			fail_req(r);
			return;
		}
		if ((uint64_t)res < r->left)
			r->short_transfers++;
		advance(r, (uint64_t)res);
		return;
	case OP_FLUSH:
		if (res < 0)
			fail_req(r);
		r->seg = 1;
		return;
	case OP_DISCARD:
		if (res < 0 && block_file_fallocate_unsupported((int)res))
			atomic_store(&b->bf.can_punch_hole, false);
		else if (res < 0) {
			fail_req(r);
			return;
		}
		r->seg++;
		return;
	case OP_WZ:
		if (r->zeroing) {
			if (res <= 0) {
				fail_req(r);
				return;
			}
			if ((uint64_t)res > r->left)
				res = (int64_t)r->left;
			r->off += (uint64_t)res;
			r->left -= (uint64_t)res;
			if (!r->left) {
				r->zeroing = false;
				r->seg++;
			}
			return;
		}
		if (res == 0) {
			r->seg++;
		} else if (block_file_fallocate_unsupported((int)res)) {
			/* next_step() picks the next way */
			if (r->fmode == FALLOC_FL_PUNCH_HOLE)
				atomic_store(&b->bf.can_punch_hole, false);
			else
				atomic_store(&b->bf.can_zero_range, false);
		} else {
			fail_req(r);
		}
		return;
	case OP_NONE: return;
	}
}

static int64_t run_step_sync(struct virtio_blk *b, const struct step *s)
{
	switch (s->kind) {
	case S_READV: return block_file_preadv(&b->bf, s->iov, s->niov, s->off);
	case S_WRITEV:
		return block_file_pwritev(&b->bf, s->iov, s->niov, s->off);
	case S_FSYNC: return block_file_flush(&b->bf);
	case S_FALLOC:
		return block_file_fallocate(&b->bf, s->mode, s->off, s->len);
	}
	return -EINVAL;
}

/* ---- completion (T held) ------------------------------------------------- */

static void finish_req(struct virtio_blk *b, struct virtio_mmio *t,
		       struct blk_req *r)
{
	struct virtqueue *vq = &t->vq[0];
	struct vq_chain *c = &r->chain;
	struct virtio_blk_stats *st = &b->stats;
	uint8_t status = r->status;

	if (r->op != OP_NONE)
		st->inflight--;
	st->short_transfers += r->short_transfers;
	st->zero_fallbacks += r->zero_fallback;
	if (status == VIRTIO_BLK_S_OK) {
		if (r->op == OP_READ)
			st->read_bytes += r->bytes;
		else if (r->op == OP_WRITE)
			st->write_bytes += r->bytes;
	} else if (status == VIRTIO_BLK_S_IOERR && r->op != OP_NONE) {
		st->io_errors++;
	}
	if (r->op == OP_READ && r->bytes) {
		/* the data landed after submission: mark it again */
		uint64_t left = r->bytes;
		for (unsigned i = c->nout; i < c->nout + c->nin && left; i++) {
			uint64_t n =
				c->segs[i].len < left ? c->segs[i].len : left;
			gmem_ptr_for_write(b->mem, c->segs[i].addr, n);
			left -= n;
		}
	}
	if (vq->ready) {
		vq_chain_write(vq, c, c->in_len - 1, &status, 1);
		vq_push(vq, c, c->in_len);
		b->need_irq = true;
	}
	free_req(b, r);
}

/* A request the host had when the device was reset: forget it. */
static void drop_req(struct virtio_blk *b, struct blk_req *r)
{
	if (r->op != OP_NONE)
		b->stats.inflight--;
	b->stats.cancelled++;
	free_req(b, r);
}

/* ---- io_uring executor --------------------------------------------------- */

static void uring_submit(struct virtio_blk *b);
static void uring_reap(struct virtio_blk *b, struct virtio_mmio *t, bool async);

/* Queues r's next step as an SQE; false if r is finished instead. */
static bool uring_queue(struct virtio_blk *b, struct blk_req *r)
{
	struct io_uring_sqe *sqe;
	struct step s;

	if (!next_step(b, r, &s))
		return false;
	sqe = io_uring_get_sqe(&b->ring);
	if (!sqe) { /* cannot happen: the SQ has a slot per request */
		io_uring_submit(&b->ring);
		sqe = io_uring_get_sqe(&b->ring);
		if (!sqe) {
			fail_req(r);
			return false;
		}
	}
	switch (s.kind) {
	case S_READV:
		io_uring_prep_readv(sqe, b->bf.fd, s.iov, (unsigned)s.niov,
				    s.off);
		break;
	case S_WRITEV:
		io_uring_prep_writev(sqe, b->bf.fd, s.iov, (unsigned)s.niov,
				     s.off);
		break;
	case S_FSYNC:
		io_uring_prep_fsync(sqe, b->bf.fd, IORING_FSYNC_DATASYNC);
		break;
	case S_FALLOC:
		io_uring_prep_fallocate(sqe, b->bf.fd, s.mode, (off_t)s.off,
					(off_t)s.len);
		break;
	}
	io_uring_sqe_set_data(sqe, r);
	b->uring_pending++;
	b->uring_unsubmitted = true;
	return true;
}

static void uring_submit(struct virtio_blk *b)
{
	int tries = 0;

	while (b->uring_unsubmitted) {
		int n = io_uring_submit(&b->ring);
		if (n >= 0 && !io_uring_sq_ready(&b->ring)) {
			b->uring_unsubmitted = false;
			return;
		}
		if (n == -EINTR)
			continue;
		if (++tries > 1000) { /* left in the SQ for the next submit */
			log_warn("virtio-blk %s: io_uring submit: %s", b->path,
				 strerror(n < 0 ? -n : EAGAIN));
			return;
		}
		if (n < 0 && n != -EAGAIN && n != -EBUSY) {
			log_warn("virtio-blk %s: io_uring submit: %s", b->path,
				 strerror(-n));
			return;
		}
		sched_yield();
	}
}

/* Handles every completion the CQ holds now. */
static void uring_reap(struct virtio_blk *b, struct virtio_mmio *t, bool async)
{
	struct io_uring_cqe *cqe;

	while (io_uring_peek_cqe(&b->ring, &cqe) == 0) {
		struct blk_req *r = io_uring_cqe_get_data(cqe);
		int res = cqe->res;

		io_uring_cqe_seen(&b->ring, cqe);
		b->uring_pending--;
		if (atomic_load_explicit(&r->cancelled, memory_order_relaxed)) {
			drop_req(b, r);
			continue;
		}
		step_done(b, r, res);
		if (uring_queue(b, r))
			continue; /* more to do: submitted below */
		if (async)
			b->stats.async_completions++;
		else
			b->stats.inline_completions++;
		finish_req(b, t, r);
	}
	uring_submit(b);
}

/* ---- worker executor ----------------------------------------------------- */

static void workers_queue(struct virtio_blk *b, struct blk_req *r)
{
	pthread_mutex_lock(&b->lock);
	r->next = NULL;
	*b->pending_tail = r;
	b->pending_tail = &r->next;
	pthread_cond_signal(&b->work);
	pthread_mutex_unlock(&b->lock);
}

/* Pushes what the workers finished (T held). */
static void workers_reap(struct virtio_blk *b, struct virtio_mmio *t)
{
	struct blk_req *list;

	pthread_mutex_lock(&b->lock);
	list = b->done;
	b->done = NULL;
	pthread_mutex_unlock(&b->lock);
	while (list) {
		struct blk_req *r = list;
		list = r->next;
		if (atomic_load(&r->cancelled)) {
			drop_req(b, r);
			continue;
		}
		b->stats.async_completions++;
		finish_req(b, t, r);
	}
}

/* ---- the queue (T held) -------------------------------------------------- */

/* Builds iovecs over [start, start+len) of the readable (out) or writable
 * (in) part of the chain. */
static bool build_iov(struct virtio_blk *b, struct blk_req *r, bool in,
		      uint64_t start, uint64_t len)
{
	const struct vq_chain *c = &r->chain;
	const struct vq_seg *segs = in ? &c->segs[c->nout] : c->segs;
	unsigned n = in ? c->nin : c->nout;

	r->niov = r->iov_first = 0;
	for (unsigned i = 0; i < n && len; i++) {
		uint64_t take;
		void *p;
		if (start >= segs[i].len) {
			start -= segs[i].len;
			continue;
		}
		take = segs[i].len - start < len ? segs[i].len - start : len;
		p = in ? gmem_ptr_for_write(b->mem, segs[i].addr + start, take)
		       : gmem_ptr(b->mem, segs[i].addr + start, take);
		if (!p)
			return false; /* cannot happen: checked at pop time */
		r->iov[r->niov++] = (struct iovec){p, (size_t)take};
		len -= take;
		start = 0;
	}
	return len == 0;
}

/* Reads and checks DISCARD / WRITE_ZEROES segments; returns a status. */
static uint8_t parse_dwz(struct virtio_blk *b, struct virtqueue *vq,
			 struct blk_req *r, bool discard)
{
	uint64_t bytes = r->chain.out_len - HDR_SIZE;
	uint8_t seg[DWZ_SEG_SIZE];

	if (bytes == 0 || bytes % DWZ_SEG_SIZE ||
	    bytes / DWZ_SEG_SIZE > BLK_DWZ_MAX_SEG)
		return VIRTIO_BLK_S_IOERR;
	r->nseg = (unsigned)(bytes / DWZ_SEG_SIZE);
	for (unsigned i = 0; i < r->nseg; i++) {
		vq_chain_read(vq, &r->chain, HDR_SIZE + i * DWZ_SEG_SIZE, seg,
			      sizeof(seg));
		uint64_t sector = get_le64(seg);
		uint32_t num = get_le32(seg + 8), flags = get_le32(seg + 12);
		/* unknown flags, or unmap on a discard: UNSUPP (5.2.6.2) */
		if ((flags & ~VIRTIO_BLK_DWZ_F_UNMAP) ||
		    (discard && (flags & VIRTIO_BLK_DWZ_F_UNMAP)))
			return VIRTIO_BLK_S_UNSUPP;
		if (num > BLK_DWZ_MAX_SECTORS ||
		    !range_ok(b, sector, (uint64_t)num * SECTOR))
			return VIRTIO_BLK_S_IOERR;
		r->dwz[i] = (struct dwz_seg){sector * SECTOR,
					     (uint64_t)num * SECTOR,
					     flags & VIRTIO_BLK_DWZ_F_UNMAP};
	}
	return VIRTIO_BLK_S_OK;
}

/* Validates a popped request and answers it or hands it to the host.
 * Returns false if the ring must not be served further (needs reset). */
static bool start_req(struct virtio_blk *b, struct virtio_mmio *t,
		      struct blk_req *r)
{
	struct virtqueue *vq = &t->vq[0];
	struct vq_chain *c = &r->chain;
	struct virtio_blk_stats *st = &b->stats;
	uint8_t hdr[HDR_SIZE];
	uint64_t data_in, data_out, sector;
	uint32_t type;

	r->op = OP_NONE;
	r->status = VIRTIO_BLK_S_OK;
	r->finished = r->zeroing = r->zero_fallback = false;
	r->short_transfers = 0;
	r->seg = r->nseg = 0;
	r->off = r->left = 0;
	r->bytes = 0;
	r->niov = r->iov_first = 0;
	atomic_store_explicit(&r->cancelled, false, memory_order_relaxed);

	if (c->in_len == 0) {
		/* nowhere to put a status: the driver broke the protocol */
		free_req(b, r);
		virtio_mmio_fail_locked(t, "request without a status byte");
		return false;
	}
	data_in = c->in_len - 1;
	if (vq_chain_read(vq, c, 0, hdr, HDR_SIZE) != HDR_SIZE) {
		st->bad_requests++;
		r->status = VIRTIO_BLK_S_IOERR;
		goto answer;
	}
	data_out = c->out_len - HDR_SIZE;
	type = get_le32(hdr);
	sector = get_le64(hdr + 8);

	switch (type) {
	case VIRTIO_BLK_T_IN:
		st->reads++;
		if (data_in % SECTOR || !range_ok(b, sector, data_in) ||
		    !build_iov(b, r, true, 0, data_in))
			goto bad;
		r->op = OP_READ;
		break;
	case VIRTIO_BLK_T_OUT:
		st->writes++;
		if (b->bf.readonly || data_out % SECTOR ||
		    !range_ok(b, sector, data_out) ||
		    !build_iov(b, r, false, HDR_SIZE, data_out))
			goto bad;
		r->op = OP_WRITE;
		break;
	case VIRTIO_BLK_T_FLUSH:
		st->flushes++;
		if (b->bf.readonly)
			goto answer; /* nothing was written */
		r->op = OP_FLUSH;
		break;
	case VIRTIO_BLK_T_GET_ID:
		st->get_ids++;
		vq_chain_write(vq, c, 0, b->id,
			       data_in < ID_BYTES ? data_in : ID_BYTES);
		goto answer;
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES: {
		bool discard = type == VIRTIO_BLK_T_DISCARD;
		if (discard)
			st->discards++;
		else
			st->write_zeroes++;
		if (!virtio_has_feature(t,
					discard ? VIRTIO_BLK_F_DISCARD
						: VIRTIO_BLK_F_WRITE_ZEROES)) {
			r->status = VIRTIO_BLK_S_UNSUPP;
			goto answer;
		}
		r->status = parse_dwz(b, vq, r, discard);
		if (r->status == VIRTIO_BLK_S_IOERR)
			goto bad;
		if (r->status != VIRTIO_BLK_S_OK)
			goto answer;
		r->op = discard ? OP_DISCARD : OP_WZ;
		break;
	}
	default: r->status = VIRTIO_BLK_S_UNSUPP; goto answer;
	}

	/* to the host */
	if (r->op == OP_READ || r->op == OP_WRITE) {
		r->off = sector * SECTOR;
		r->left = r->op == OP_READ ? data_in : data_out;
		r->bytes = (uint32_t)r->left;
	}
	if (++st->inflight > st->max_inflight)
		st->max_inflight = st->inflight;
	if (b->use_uring) {
		if (!uring_queue(b, r)) {
			st->inline_completions++;
			finish_req(b, t, r);
		}
	} else {
		workers_queue(b, r);
	}
	return true;

bad:
	st->bad_requests++;
	r->status = VIRTIO_BLK_S_IOERR;
	r->op = OP_NONE;
answer:
	if (r->status == VIRTIO_BLK_S_UNSUPP)
		st->unsupported++;
	finish_req(b, t, r);
	return true;
}

/* Pops and starts requests until the ring is empty or no slot is free. */
static void pop_requests(struct virtio_blk *b, struct virtio_mmio *t)
{
	struct virtqueue *vq = &t->vq[0];
	int got = 0;

	b->stalled = false;
	if (!queue_live(t))
		return;
	do {
		vq_disable_kicks(vq);
		for (;;) {
			struct blk_req *r = alloc_req(b);
			if (!r) {
				/* a completion frees a slot and pops again */
				b->stalled = true;
				b->stats.stalls++;
				vq_enable_kicks(vq);
				return;
			}
			got = vq_pop(vq, &r->chain);
			if (got != 1) {
				free_req(b, r);
				break;
			}
			if (!start_req(b, t, r))
				return;
		}
		if (got < 0) {
			virtio_mmio_fail_locked(t, vq->error ? vq->error
							     : "bad ring");
			return;
		}
	} while (vq_enable_kicks(vq));
}

/* Everything the device does with the ring, from any thread (T held). */
static void service(struct virtio_blk *b, struct virtio_mmio *t, bool async,
		    bool pop)
{
	do {
		if (b->use_uring)
			uring_reap(b, t, async);
		else
			workers_reap(b, t);
		if (pop || (b->stalled && b->nfree))
			pop_requests(b, t);
		pop = false;
		if (b->use_uring)
			uring_submit(b);
		async = false;
		/* with io_uring, what we just submitted may be done already */
	} while (b->use_uring && b->uring_pending &&
		 io_uring_cq_ready(&b->ring));
	if (b->need_irq) {
		b->need_irq = false;
		virtio_mmio_used_locked(t, 0);
	}
}

/* ---- threads --------------------------------------------------------------
 */

static void *uring_thread(void *arg)
{
	struct virtio_blk *b = arg;

	for (;;) {
		uint64_t v;
		ssize_t n = read(b->efd, &v, sizeof(v));
		if (n < 0 && errno == EINTR)
			continue;
		if (atomic_load(&b->stop))
			break;
		struct virtio_mmio *t = atomic_load(&b->t);
		if (!t)
			continue;
		virtio_mmio_lock(t);
		service(b, t, true, false);
		virtio_mmio_unlock(t);
	}
	return NULL;
}

static void *worker_thread(void *arg)
{
	struct virtio_blk *b = arg;

	pthread_mutex_lock(&b->lock);
	for (;;) {
		struct blk_req *r;
		struct step s;

		while (!b->pending && !atomic_load(&b->stop))
			pthread_cond_wait(&b->work, &b->lock);
		if (atomic_load(&b->stop))
			break;
		r = b->pending;
		b->pending = r->next;
		if (!b->pending)
			b->pending_tail = &b->pending;
		b->busy++;
		pthread_mutex_unlock(&b->lock);

		while (!atomic_load(&r->cancelled) && next_step(b, r, &s))
			step_done(b, r, run_step_sync(b, &s));

		pthread_mutex_lock(&b->lock);
		r->next = b->done;
		b->done = r;
		b->busy--;
		pthread_cond_broadcast(&b->idle);
		pthread_mutex_unlock(&b->lock);

		/* D is not held here: a reset holding T can still see
		 * busy drop for the other workers */
		struct virtio_mmio *t = atomic_load(&b->t);
		if (t) {
			virtio_mmio_lock(t);
			service(b, t, true, false);
			virtio_mmio_unlock(t);
		}
		pthread_mutex_lock(&b->lock);
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

/* ---- virtio_dev_ops --------------------------------------------------------
 */

static void blk_attach(void *dev, struct virtio_mmio *t)
{
	struct virtio_blk *b = dev;

	/* The ops table is shared by all disks, but a read-only one offers
	 * RO instead of DISCARD and WRITE_ZEROES: adjust the offer before
	 * the driver can see it. */
	t->offered = (t->offered & ~virtio_blk_ops.features) | b->features;
	atomic_store(&b->t, t);
}

static void blk_config_read(void *dev, uint32_t off, void *buf, uint32_t len)
{
	struct virtio_blk *b = dev;

	memcpy(buf, b->config + off, len); /* the transport checked the range */
}

static void blk_config_write(void *dev, uint32_t off, const void *buf,
			     uint32_t len)
{
	(void)dev, (void)off, (void)buf, (void)len; /* all fields read-only */
}

static void blk_notify(void *dev, struct virtio_mmio *t, unsigned q)
{
	struct virtio_blk *b = dev;

	if (q == 0)
		service(b, t, false, true);
}

/* Waits for every request the host still has and forgets them all (T
 * held): the driver may reuse the ring memory as soon as we return. */
static void drain(struct virtio_blk *b, struct virtio_mmio *t)
{
	for (unsigned i = 0; i < BLK_QUEUE_MAX; i++)
		if (b->reqs[i].in_use)
			atomic_store(&b->reqs[i].cancelled, true);
	if (b->use_uring) {
		uring_submit(b);
		while (b->uring_pending) {
			int r = io_uring_submit_and_wait(&b->ring, 1);
			if (r < 0 && r != -EINTR && r != -EAGAIN &&
			    r != -EBUSY) {
				log_warn("virtio-blk %s: waiting for I/O at "
					 "reset: %s",
					 b->path, strerror(-r));
				break;
			}
			uring_reap(b, t, false); /* drops the cancelled */
		}
	} else {
		/* workers finish (or abandon, seeing cancelled) what they
		 * run; pending and done requests are simply forgotten */
		pthread_mutex_lock(&b->lock);
		while (b->busy)
			pthread_cond_wait(&b->idle, &b->lock);
		b->pending = b->done = NULL;
		b->pending_tail = &b->pending;
		pthread_mutex_unlock(&b->lock);
	}
	/* every slot is free now; rebuild the free list */
	b->free = NULL;
	b->nfree = 0;
	for (unsigned i = BLK_QUEUE_MAX; i-- > 0;) {
		if (b->reqs[i].in_use)
			b->stats.cancelled++;
		free_req(b, &b->reqs[i]);
	}
	b->stats.inflight = 0;
	b->stalled = false;
	b->need_irq = false;
}

static void blk_reset(void *dev, struct virtio_mmio *t)
{
	drain(dev, t);
}

static void blk_destroy(void *dev)
{
	struct virtio_blk *b = dev;

	if (!b)
		return;
	if (b->reqs) {
		const struct virtio_blk_stats *st = &b->stats;
		log_debug("virtio-blk %s: reads=%llu (%llu bytes) writes=%llu "
			  "(%llu bytes) flushes=%llu discards=%llu "
			  "write_zeroes=%llu max_inflight=%llu inline=%llu "
			  "async=%llu errors=%llu/%llu",
			  b->path, (unsigned long long)st->reads,
			  (unsigned long long)st->read_bytes,
			  (unsigned long long)st->writes,
			  (unsigned long long)st->write_bytes,
			  (unsigned long long)st->flushes,
			  (unsigned long long)st->discards,
			  (unsigned long long)st->write_zeroes,
			  (unsigned long long)st->max_inflight,
			  (unsigned long long)st->inline_completions,
			  (unsigned long long)st->async_completions,
			  (unsigned long long)st->bad_requests,
			  (unsigned long long)st->io_errors);
	}
	atomic_store(&b->stop, true);
	if (b->use_uring) {
		uint64_t one = 1;
		if (b->nthreads && write(b->efd, &one, sizeof(one)) < 0)
			log_warn("virtio-blk %s: cannot stop the I/O thread",
				 b->path);
	} else {
		pthread_mutex_lock(&b->lock);
		pthread_cond_broadcast(&b->work);
		pthread_mutex_unlock(&b->lock);
	}
	for (unsigned i = 0; i < b->nthreads; i++)
		pthread_join(b->threads[i], NULL);
	if (b->use_uring) {
		/* the transport reset us first, normally: nothing is left */
		while (b->uring_pending) {
			struct io_uring_cqe *cqe;
			if (io_uring_wait_cqe(&b->ring, &cqe) < 0)
				break;
			io_uring_cqe_seen(&b->ring, cqe);
			b->uring_pending--;
		}
		io_uring_queue_exit(&b->ring);
	}
	if (b->efd >= 0)
		close(b->efd);
	pthread_cond_destroy(&b->work);
	pthread_cond_destroy(&b->idle);
	pthread_mutex_destroy(&b->lock);
	block_file_close(&b->bf);
	free(b->zeros);
	free(b->reqs);
	free(b);
}

const struct virtio_dev_ops virtio_blk_ops = {
	.name = "blk",
	.device_id = 2,
	/* the features a writable disk offers; a read-only one offers RO
	 * instead of DISCARD and WRITE_ZEROES (see virtio_blk_new) */
	.features = (1ull << VIRTIO_BLK_F_SEG_MAX) |
		    (1ull << VIRTIO_BLK_F_BLK_SIZE) |
		    (1ull << VIRTIO_BLK_F_FLUSH) |
		    (1ull << VIRTIO_BLK_F_DISCARD) |
		    (1ull << VIRTIO_BLK_F_WRITE_ZEROES),
	.nqueues = 1,
	.queue_max = BLK_QUEUE_MAX,
	.config_size = CFG_SIZE,
	.attach = blk_attach,
	.config_read = blk_config_read,
	.config_write = blk_config_write,
	.queue_notify = blk_notify,
	.reset = blk_reset,
	.destroy = blk_destroy,
};

/* ---- construction
 * ------------------------------------------------------------ */

static bool uring_init(struct virtio_blk *b)
{
	struct io_uring_probe *p;
	bool ok;
	int r;

	const char *no = getenv("RVISOR_NO_IO_URING");
	if (no && *no && strcmp(no, "0")) {
		log_debug("virtio-blk %s: io_uring disabled by "
			  "RVISOR_NO_IO_URING",
			  b->path);
		return false;
	}
	/* SQ: a slot per request (each has at most one step queued); the
	 * CQ is twice that, so it never overflows */
	r = io_uring_queue_init(BLK_QUEUE_MAX, &b->ring, 0);
	if (r < 0) {
		log_debug("virtio-blk %s: io_uring unavailable (%s); using "
			  "worker threads",
			  b->path, strerror(-r));
		return false;
	}
	p = io_uring_get_probe_ring(&b->ring);
	ok = p && io_uring_opcode_supported(p, IORING_OP_READV) &&
	     io_uring_opcode_supported(p, IORING_OP_WRITEV) &&
	     io_uring_opcode_supported(p, IORING_OP_FSYNC) &&
	     io_uring_opcode_supported(p, IORING_OP_FALLOCATE);
	if (p)
		io_uring_free_probe(p);
	if (ok) {
		b->efd = eventfd(0, EFD_CLOEXEC);
		ok = b->efd >= 0 &&
		     io_uring_register_eventfd(&b->ring, b->efd) == 0;
	}
	if (!ok) {
		log_debug("virtio-blk %s: io_uring lacks an operation; using "
			  "worker threads",
			  b->path);
		if (b->efd >= 0)
			close(b->efd);
		b->efd = -1;
		io_uring_queue_exit(&b->ring);
		return false;
	}
	return true;
}

static void build_config(struct virtio_blk *b)
{
	uint8_t *c = b->config;
	uint32_t align = b->bf.alignment / SECTOR;

	memset(c, 0, CFG_SIZE);
	put_le64(c + CFG_CAPACITY, b->capacity);
	put_le32(c + CFG_SEG_MAX, BLK_SEG_MAX);
	put_le32(c + CFG_BLK_SIZE, SECTOR);
	if (!b->bf.readonly) {
		put_le32(c + CFG_MAX_DISCARD_SECTORS, BLK_DWZ_MAX_SECTORS);
		put_le32(c + CFG_MAX_DISCARD_SEG, BLK_DWZ_MAX_SEG);
		put_le32(c + CFG_DISCARD_SECTOR_ALIGNMENT, align ? align : 1);
		put_le32(c + CFG_MAX_WRITE_ZEROES_SECTORS, BLK_DWZ_MAX_SECTORS);
		put_le32(c + CFG_MAX_WRITE_ZEROES_SEG, BLK_DWZ_MAX_SEG);
		c[CFG_WRITE_ZEROES_MAY_UNMAP] = 1;
	}
}

void *virtio_blk_new(const struct blk_config *cfg, struct guest_mem *mem,
		     char *err, size_t errlen)
{
	struct virtio_blk *b = calloc(1, sizeof(*b));
	int r;

	if (!b) {
		snprintf(err, errlen, "--disk %s: out of memory", cfg->path);
		return NULL;
	}
	b->efd = -1;
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->work, NULL);
	pthread_cond_init(&b->idle, NULL);
	b->pending_tail = &b->pending;
	b->mem = mem;
	snprintf(b->path, sizeof(b->path), "%s", cfg->path);
	if (block_file_open(&b->bf, cfg->path, cfg->readonly, err, errlen) <
	    0) {
		blk_destroy(b);
		return NULL;
	}
	b->capacity = b->bf.size / SECTOR;
	b->features = (1ull << VIRTIO_BLK_F_SEG_MAX) |
		      (1ull << VIRTIO_BLK_F_BLK_SIZE) |
		      (1ull << VIRTIO_BLK_F_FLUSH);
	if (cfg->readonly)
		b->features |= 1ull << VIRTIO_BLK_F_RO;
	else
		b->features |= (1ull << VIRTIO_BLK_F_DISCARD) |
			       (1ull << VIRTIO_BLK_F_WRITE_ZEROES);
	if (cfg->serial) /* NUL-padded; no NUL when it is 20 bytes long */
		memcpy(b->id, cfg->serial, strnlen(cfg->serial, ID_BYTES));
	build_config(b);

	b->reqs = calloc(BLK_QUEUE_MAX, sizeof(*b->reqs));
	b->zeros = calloc(1, ZERO_BUF);
	if (!b->reqs || !b->zeros) {
		snprintf(err, errlen, "--disk %s: out of memory", cfg->path);
		blk_destroy(b);
		return NULL;
	}
	for (unsigned i = BLK_QUEUE_MAX; i-- > 0;)
		free_req(b, &b->reqs[i]);

	b->use_uring = uring_init(b);
	b->stats.io_uring = b->use_uring;
	unsigned want = b->use_uring ? 1 : BLK_WORKERS;
	for (unsigned i = 0; i < want; i++) {
		r = pthread_create(&b->threads[i], NULL,
				   b->use_uring ? uring_thread : worker_thread,
				   b);
		if (r) {
			snprintf(err, errlen,
				 "--disk %s: cannot start the I/O "
				 "thread: %s",
				 cfg->path, strerror(r));
			blk_destroy(b);
			return NULL;
		}
		b->nthreads++;
	}
	log_debug("virtio-blk %s: %llu sectors%s, %s", b->path,
		  (unsigned long long)b->capacity,
		  b->bf.readonly ? ", read-only" : "",
		  b->use_uring ? "io_uring" : "worker threads");
	return b;
}

void virtio_blk_get_stats(void *dev, struct virtio_blk_stats *out)
{
	struct virtio_blk *b = dev;
	struct virtio_mmio *t = atomic_load(&b->t);

	if (t)
		virtio_mmio_lock(t);
	*out = b->stats;
	if (t)
		virtio_mmio_unlock(t);
}
