// SPDX-License-Identifier: MIT
/* fuzz_virtqueue.c - libFuzzer target for the virtqueue walker.
 *
 * The input is a queue configuration, a short script of device actions and
 * driver pokes, and an image of guest RAM holding whatever rings the fuzzer
 * likes. The target runs the script against vq_setup/vq_pop/vq_chain_read/
 * vq_chain_write/vq_push/vq_need_interrupt/vq_{en,dis}able_kicks and checks,
 * besides what ASan/UBSan catch:
 *  - every popped chain is well formed: segments non-empty and inside one
 *    RAM slot, totals add up and stay below 2^32, ids below num;
 *  - the device writes guest RAM only where it may: its device area, the
 *    packed descriptor ring, and the writable buffers it was given;
 *  - a malformed ring leaves the queue broken, with a reason.
 *
 * Layout of an input (little-endian):
 *   0      u8  cfg: bit0 packed, bit1 event_idx, bit2 raw num, bit3 raw addrs
 *   1      u8  number of script ops (6 bytes each, after the header)
 *   2      u16 num (raw, or mapped to a legal size)
 *   8..31  u64 desc, driver, device (raw, or an offset into RAM A+B)
 *   32     ops: u8 op, u8 a, u16 b, u16 c
 *   ...    image of RAM A+B
 *
 * Guest RAM: slot A and slot B back to back (a buffer may not straddle
 * them: one slot per buffer), a page C just below 2^64, so that address +
 * length overflows are reachable, and a sparse 4 GiB slot D, so that chains
 * of 2^32 bytes are. Writes are checked in A, B and C.
 *
 * Built with -DVQ_FUZZ_SEEDS this file instead writes a few seed inputs
 * (valid split and packed rings) into the directory given as argv[1]. */
#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mem/guest_mem.h"
#include "virtio/virtqueue.h"

#define SLOT   0x4000ull
#define RAM_A  0x80000000ull
#define RAM_B  (RAM_A + SLOT)
#define RAM_C  (UINT64_MAX - 0x1fffull) /* one page, ends 4 KiB below 2^64 */
#define PAGE_C 0x1000ull
#define RAM_D  0x100000000ull
#define SIZE_D 0x100000000ull

#define HDR	32
#define OP_SIZE 6
#define NSLOTS	4

enum {
	CFG_PACKED = 1,
	CFG_EVENT_IDX = 2,
	CFG_RAW_NUM = 4,
	CFG_RAW_ADDR = 8,
};

enum {
	OP_POP,
	OP_PUSH,
	OP_IRQ,
	OP_DISABLE,
	OP_ENABLE,
	OP_POKE,
	OP_RESETUP,
	OP_DRAIN,
	OP_MAX,
};

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "fuzz_virtqueue: %s:%d: %s\n",         \
				__FILE__, __LINE__, #c);                       \
			abort();                                               \
		}                                                              \
	} while (0)

#ifndef VQ_FUZZ_SEEDS

static uint16_t get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return le16toh(v);
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

static struct guest_mem mem;
static uint8_t *host_a, *host_b, *host_c, *host_d;
static uint8_t shadow[2 * SLOT + PAGE_C];

static struct virtqueue vq;
static struct vq_chain chains[NSLOTS];
static bool pending[NSLOTS];
static uint8_t iobuf[4096];

/* Ranges the device may write during the current op. */
struct range {
	uint64_t lo, hi;
};
static struct range allowed[2 + VQ_MAX_SEGS * 2];
static unsigned nallowed;

static void init_once(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	if (gmem_init(&mem) || gmem_add_ram(&mem, RAM_A, SLOT) ||
	    gmem_add_ram(&mem, RAM_B, SLOT) ||
	    gmem_add_ram(&mem, RAM_C, PAGE_C) ||
	    gmem_add_ram(&mem, RAM_D, SIZE_D) || gmem_dirty_log_start(&mem))
		abort();
	host_a = gmem_ptr(&mem, RAM_A, SLOT);
	host_b = gmem_ptr(&mem, RAM_B, SLOT);
	host_c = gmem_ptr(&mem, RAM_C, PAGE_C);
	host_d = gmem_ptr(&mem, RAM_D, SIZE_D);
	CHECK(host_a && host_b && host_c && host_d);
	/* D only has to exist: back it with private anonymous memory that
	 * run() can drop each time, or the pages chains touch would pile up
	 * over millions of inputs. */
	CHECK(mmap(host_d, SIZE_D, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1,
		   0) == host_d);
}

static void snapshot(uint8_t *dst)
{
	memcpy(dst, host_a, SLOT);
	memcpy(dst + SLOT, host_b, SLOT);
	memcpy(dst + 2 * SLOT, host_c, PAGE_C);
}

static uint64_t shadow_gpa(size_t i)
{
	if (i < SLOT)
		return RAM_A + i;
	if (i < 2 * SLOT)
		return RAM_B + (i - SLOT);
	return RAM_C + (i - 2 * SLOT);
}

static void allow(uint64_t gpa, uint64_t len)
{
	if (len == 0 || nallowed == sizeof(allowed) / sizeof(allowed[0]))
		return;
	allowed[nallowed].lo = gpa;
	allowed[nallowed].hi = gpa + len - 1;
	nallowed++;
}

static void allow_queue(void)
{
	nallowed = 0;
	if (!vq.ready)
		return;
	if (vq.packed) {
		allow(vq.desc_gpa, 16ull * vq.num);
		allow(vq.device_gpa, 4);
	} else {
		allow(vq.device_gpa, 6 + 8ull * vq.num);
	}
}

static void allow_in_segs(const struct vq_chain *ch)
{
	for (unsigned i = ch->nout; i < ch->nout + ch->nin; i++)
		allow(ch->segs[i].addr, ch->segs[i].len);
}

/* Every byte that changed since the shadow lies in an allowed range. */
static void check_writes(void)
{
	static uint8_t now[sizeof(shadow)];

	snapshot(now);
	if (memcmp(now, shadow, sizeof(now)) == 0)
		return;
	for (size_t i = 0; i < sizeof(now); i++) {
		uint64_t gpa;
		bool ok = false;

		if (now[i] == shadow[i])
			continue;
		gpa = shadow_gpa(i);
		for (unsigned r = 0; r < nallowed && !ok; r++)
			ok = gpa >= allowed[r].lo && gpa <= allowed[r].hi;
		if (!ok) {
			fprintf(stderr,
				"fuzz_virtqueue: stray write at %#llx\n",
				(unsigned long long)gpa);
			abort();
		}
	}
	memcpy(shadow, now, sizeof(now));
}

static void check_chain(const struct vq_chain *ch)
{
	uint64_t out = 0, in = 0;

	CHECK(ch->nout + ch->nin <= VQ_MAX_SEGS);
	for (unsigned i = 0; i < ch->nout + ch->nin; i++) {
		const struct vq_seg *s = &ch->segs[i];

		CHECK(s->len > 0);
		CHECK(gmem_find(&mem, s->addr, s->len) != NULL);
		if (i < ch->nout)
			out += s->len;
		else
			in += s->len;
	}
	CHECK(out == ch->out_len && in == ch->in_len);
	CHECK(out + in <= UINT32_MAX);
	CHECK(ch->id < vq.num);
	CHECK(ch->ndesc >= 1);
	if (vq.packed) {
		CHECK(ch->ndesc <= vq.num);
		CHECK(vq.inflight <= vq.num);
		CHECK(vq.last_avail < vq.num);
	}
}

static int do_pop(unsigned s, uint16_t b, uint16_t cc)
{
	size_t len = cc % sizeof(iobuf), n;
	int r;

	if (pending[s]) {
		vq_push(&vq, &chains[s], b);
		pending[s] = false;
	}
	r = vq_pop(&vq, &chains[s]);
	CHECK(r >= -1 && r <= 1);
	if (r == -1) {
		CHECK(vq.broken && vq.error);
		CHECK(vq_pop(&vq, &chains[s]) == -1);
		return r;
	}
	if (r == 0)
		return r;
	check_chain(&chains[s]);
	pending[s] = true;
	/* Read and write somewhere in the chain; copies are clipped. */
	n = vq_chain_read(&vq, &chains[s], b, iobuf, len);
	CHECK(n <= len && n <= chains[s].out_len);
	if (b <= chains[s].out_len)
		CHECK(n == (len < chains[s].out_len - b
				    ? len
				    : chains[s].out_len - b));
	memset(iobuf, 0xa5 ^ s, len);
	n = vq_chain_write(&vq, &chains[s], b / 2, iobuf, len);
	CHECK(n <= len && n <= chains[s].in_len);
	allow_in_segs(&chains[s]);
	return r;
}

static void run(const uint8_t *data, size_t size)
{
	uint8_t cfg;
	unsigned nops;
	uint16_t num;
	uint64_t addr[3];
	bool packed, event_idx;
	const uint8_t *ops;

	if (size < HDR)
		return;
	cfg = data[0];
	nops = data[1];
	num = get16(data + 2);
	packed = cfg & CFG_PACKED;
	event_idx = cfg & CFG_EVENT_IDX;
	if (!(cfg & CFG_RAW_NUM))
		num = packed ? num % 128 + 1 : (uint16_t)(1u << (num % 8));
	for (int i = 0; i < 3; i++) {
		addr[i] = get64(data + 8 + 8 * i);
		if (!(cfg & CFG_RAW_ADDR))
			addr[i] = RAM_A + addr[i] % (2 * SLOT);
	}
	ops = data + HDR;
	if (size - HDR < (size_t)nops * OP_SIZE)
		nops = (unsigned)((size - HDR) / OP_SIZE);
	data += HDR + (size_t)nops * OP_SIZE;
	size -= HDR + (size_t)nops * OP_SIZE;

	memset(host_a, 0, SLOT);
	memset(host_b, 0, SLOT);
	memset(host_c, 0, PAGE_C);
	madvise(host_d, SIZE_D, MADV_DONTNEED);
	memcpy(host_a, data, size < SLOT ? size : SLOT);
	if (size > SLOT)
		memcpy(host_b, data + SLOT,
		       size - SLOT < SLOT ? size - SLOT : SLOT);
	snapshot(shadow);
	memset(pending, 0, sizeof(pending));

	nallowed = 0;
	if (vq_setup(&vq, &mem, num, packed, event_idx, addr[0], addr[1],
		     addr[2]) != 0) {
		CHECK(!vq.ready);
		CHECK(vq_pop(&vq, &chains[0]) == 0);
		check_writes(); /* a refused setup writes nothing */
		return;
	}
	allow_queue();
	check_writes();

	for (unsigned i = 0; i < nops; i++) {
		const uint8_t *op = ops + (size_t)i * OP_SIZE;
		unsigned s = op[1] % NSLOTS;
		uint16_t b = get16(op + 2), cc = get16(op + 4);

		allow_queue();
		switch (op[0] % OP_MAX) {
		case OP_POP: do_pop(s, b, cc); break;
		case OP_PUSH:
			if (pending[s]) {
				vq_push(&vq, &chains[s],
					(uint32_t)b | (uint32_t)cc << 16);
				pending[s] = false;
			}
			break;
		case OP_IRQ: vq_need_interrupt(&vq); break;
		case OP_DISABLE: vq_disable_kicks(&vq); break;
		case OP_ENABLE: vq_enable_kicks(&vq); break;
		case OP_POKE: {
			/* The driver writes its rings behind our back. */
			uint64_t off = (b % (2 * SLOT)) & ~1ull;
			uint16_t v = htole16(cc);

			memcpy((off < SLOT ? host_a + off
					   : host_b + (off - SLOT)),
			       &v, 2);
			memcpy(shadow + off, &v, 2);
			break;
		}
		case OP_RESETUP:
			memset(pending, 0, sizeof(pending));
			CHECK(vq_setup(&vq, &mem, num, packed, event_idx,
				       addr[0], addr[1], addr[2]) == 0);
			break;
		case OP_DRAIN:
			/* Pop and complete everything, as a device would on a
			 * kick. Bounded: each pop consumes ring entries. */
			for (unsigned k = 0; k < 2u * VQ_MAX_SIZE; k++) {
				int r = do_pop(s, b, cc);

				if (r != 1)
					break;
				vq_push(&vq, &chains[s], cc);
				pending[s] = false;
				vq_need_interrupt(&vq);
			}
			break;
		}
		check_writes();
	}
	for (unsigned s = 0; s < NSLOTS; s++)
		if (pending[s])
			vq_push(&vq, &chains[s], 1);
	check_writes();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	init_once();
	run(data, size);
	return 0;
}

#else /* VQ_FUZZ_SEEDS: write seed inputs */

#include <errno.h>

static uint8_t in[HDR + 256 * OP_SIZE + 2 * SLOT];

static void put16(uint8_t *p, uint16_t v)
{
	v = htole16(v);
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, 8);
}

/* Image offsets (within RAM A) used by the seeds. */
enum {
	S_DESC = 0x0,
	S_DRV = 0x800,
	S_DEV = 0xc00,
	S_ITAB = 0x1000,
	S_BUF = 0x2000
};

static size_t begin(uint8_t cfg, uint16_t num, const uint8_t *opv,
		    unsigned nops, uint8_t **img)
{
	memset(in, 0, sizeof(in));
	in[0] = cfg;
	in[1] = (uint8_t)nops;
	put16(in + 2, num);
	put64(in + 8, S_DESC);
	put64(in + 16, S_DRV);
	put64(in + 24, S_DEV);
	memcpy(in + HDR, opv, (size_t)nops * OP_SIZE);
	*img = in + HDR + (size_t)nops * OP_SIZE;
	return HDR + (size_t)nops * OP_SIZE + 0x3000;
}

static void sdesc(uint8_t *img, uint64_t base, unsigned i, uint64_t addr,
		  uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t *d = img + base + 16 * i;

	put64(d, RAM_A + addr);
	put32(d + 8, len);
	put16(d + 12, flags);
	put16(d + 14, next);
}

static void save(const char *dir, const char *name, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(in, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	static const uint8_t ops[] = {
		OP_POP,	    0, 0, 0, 64, 0, OP_POP,   1, 4, 0, 16, 0,
		OP_PUSH,    1, 8, 0, 0,	 0, OP_IRQ,   0, 0, 0, 0,  0,
		OP_DISABLE, 0, 0, 0, 0,	 0, OP_DRAIN, 2, 0, 0, 32, 0,
		OP_ENABLE,  0, 0, 0, 0,	 0, OP_POP,   3, 0, 0, 8,  0,
		OP_IRQ,	    0, 0, 0, 0,	 0,
	};
	const unsigned nops = sizeof(ops) / OP_SIZE;
	uint8_t *img;
	size_t len;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}

	/* split, num 8 (8 = 1 << 3), event idx: a direct chain, an indirect
	 * one, and a mixed one, all offered. */
	len = begin(CFG_EVENT_IDX, 3, ops, nops, &img);
	sdesc(img, S_DESC, 0, S_BUF, 16, 1, 1);
	sdesc(img, S_DESC, 1, S_BUF + 0x100, 64, 2, 0);
	sdesc(img, S_DESC, 2, S_ITAB, 48, 4, 0);
	sdesc(img, S_ITAB, 0, S_BUF + 0x200, 8, 1, 1);
	sdesc(img, S_ITAB, 1, S_BUF + 0x300, 8, 3, 2);
	sdesc(img, S_ITAB, 2, S_BUF + 0x400, 8, 2, 0);
	sdesc(img, S_DESC, 3, S_BUF + 0x500, 4, 1, 4);
	sdesc(img, S_DESC, 4, S_ITAB + 0x100, 16, 4, 0);
	sdesc(img, S_ITAB + 0x100, 0, S_BUF + 0x600, 32, 2, 0);
	put16(img + S_DRV + 4, 0);
	put16(img + S_DRV + 6, 2);
	put16(img + S_DRV + 8, 3);
	put16(img + S_DRV + 2, 3);	   /* avail idx */
	put16(img + S_DRV + 4 + 2 * 8, 1); /* used_event */
	save(argv[1], "split-evidx", len);
	in[0] = 0;
	save(argv[1], "split", len);

	/* packed, num 8 (8 = 7 + 1): a 2-descriptor list, an indirect one and
	 * a single one, wrap counter 1. */
	len = begin(CFG_PACKED | CFG_EVENT_IDX, 7, ops, nops, &img);
	{
		const uint16_t av = 1u << 7;
		uint8_t *d = img + S_DESC;

		put64(d, RAM_A + S_BUF);
		put32(d + 8, 16);
		put16(d + 14, av | 1);
		put64(d + 16, RAM_A + S_BUF + 0x100);
		put32(d + 24, 64);
		put16(d + 28, 5);
		put16(d + 30, av | 2);
		put64(d + 32, RAM_A + S_ITAB);
		put32(d + 40, 32);
		put16(d + 44, 2);
		put16(d + 46, av | 4);
		put64(img + S_ITAB, RAM_A + S_BUF + 0x200);
		put32(img + S_ITAB + 8, 8);
		put64(img + S_ITAB + 16, RAM_A + S_BUF + 0x300);
		put32(img + S_ITAB + 24, 8);
		put16(img + S_ITAB + 30, 2);
		put64(d + 48, RAM_A + S_BUF + 0x400);
		put32(d + 56, 100);
		put16(d + 60, 7);
		put16(d + 62, av | 2);
		put16(img + S_DRV, 0x8000 | 3); /* DESC event at 3, wrap 1 */
		put16(img + S_DRV + 2, 2);
	}
	save(argv[1], "packed-evidx", len);
	in[0] = CFG_PACKED;
	save(argv[1], "packed", len);

	/* split, num 128: one direct buffer, then an indirect table filling
	 * slot B with 1024 entries: one segment too many. */
	len = begin(0, 7, ops, nops, &img);
	put64(in + 24, 0x1000); /* used ring of 128 needs more room */
	len += 0x5000;
	sdesc(img, S_DESC, 0, S_BUF, 1, 1, 1);
	sdesc(img, S_DESC, 1, SLOT, 16 * VQ_MAX_SEGS, 4, 0);
	for (unsigned i = 0; i < VQ_MAX_SEGS; i++)
		sdesc(img, SLOT, i, S_BUF + i, 1, i + 1 < VQ_MAX_SEGS ? 1 : 0,
		      (uint16_t)(i + 1));
	put16(img + S_DRV + 2, 1);
	save(argv[1], "split-too-many-segs", len);

	/* split, num 8: two buffers in the 4 GiB slot, 2^32 bytes in all. */
	len = begin(0, 3, ops, nops, &img);
	sdesc(img, S_DESC, 0, 0, 0xc0000000u, 1, 1);
	sdesc(img, S_DESC, 1, 0, 0x40000000u, 2, 0);
	put64(img + S_DESC, RAM_D);
	put64(img + S_DESC + 16, RAM_D + 0x1000);
	put16(img + S_DRV + 2, 1);
	save(argv[1], "split-4g", len);
	return 0;
}

#endif
