/* jit.c - the host-independent half of the JIT: finding, translating,
 * chaining and dropping blocks. See jit.h for the model. */
#include "cpu/jit/jit.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/log.h"
#include "cpu/code_cache.h"
#include "cpu/csr.h"
#include "cpu/hart.h"
#include "cpu/jit/jit_arch.h"
#include "cpu/mmu.h"
#include "cpu/trap.h"
#include "mem/guest_mem.h"

#define JIT_BUF_SIZE	(64u << 20)
#define BLOCK_HASH_SIZE 16384
#define PAGE_HASH_SIZE	1024
#define MAX_BLOCKS	(1u << 18)
#define MAX_PAGES	8192

struct jit_block {
	uint64_t gpa;		 /* guest-physical pc */
	uint64_t vpc;		 /* guest-virtual pc the code was made for */
	int dmmu;		 /* and data MMU index (jit_arch_translate) */
	const uint8_t *code;	 /* NULL: nothing to translate here */
	struct jit_block *hnext; /* block hash chain */
	struct jit_block *pnext; /* blocks of the same page */
	uint8_t uses[32];	 /* integer register operands, by register */
};

struct jit_page {
	uint64_t gpa_page;
	struct jit_page *hnext;
	struct jit_block *blocks;
};

struct jit {
	size_t populated; /* code buffer mapped in up to here */
	struct jit_buf buf;
	struct jit_block *hash[BLOCK_HASH_SIZE];
	struct jit_page *pages[PAGE_HASH_SIZE];
	struct jit_block *block_pool; /* MAX_BLOCKS, bump-allocated */
	unsigned nblocks;
	struct jit_page *page_pool; /* MAX_PAGES, free list + bump */
	struct jit_page *page_free;
	unsigned npages;
	uint64_t gen; /* bumped by each flush: stale patch sites are dropped */
	struct jit_stats stats;
	FILE *perf_map; /* RVISOR_PERF_MAP: /tmp/perf-PID.map for perf(1) */
	/* Which guest registers to keep in host registers is learnt: each
	 * budget exit samples the running block's register uses, and when
	 * another set would cover clearly more of them, the cache starts
	 * over with it (at most every REMAP_SAMPLES samples). */
	uint64_t use_hist[32];
	unsigned samples;
};

#define REMAP_SAMPLES 2048

_Static_assert(JX__COUNT == sizeof(((struct jit_stats *)0)->exits) /
				    sizeof(uint64_t),
	       "jit_stats.exits has a slot per exit reason");

static const uint8_t default_pins[JIT_PINS] = {10, 11, 12, 13, 14,
					       15, 2,  8,  9,  5};

bool jit_host_supported(void)
{
#if defined(__x86_64__)
	return true;
#else
	return false;
#endif
}

/* W^X: the code buffer is one memfd mapped twice, executable for running
 * and writable for translating and patching, so no page is ever both. If
 * the host refuses (no memfd), one read-write-execute mapping instead. */
static void map_code_buffer(struct jit_buf *b)
{
	/* perf(1) reads /tmp/perf-PID.map only for anonymous mappings, so a
	 * profiling run keeps the one writable and executable mapping */
	int fd = getenv("RVISOR_PERF_MAP")
			 ? -1
			 : memfd_create("rvisor-jit", MFD_CLOEXEC);

	b->base = NULL;
	b->wx = 0;
	if (fd >= 0 && ftruncate(fd, (off_t)b->size) == 0) {
		void *x = mmap(NULL, b->size, PROT_READ | PROT_EXEC, MAP_SHARED,
			       fd, 0);
		void *w = mmap(NULL, b->size, PROT_READ | PROT_WRITE,
			       MAP_SHARED, fd, 0);
		if (x != MAP_FAILED && w != MAP_FAILED) {
			madvise(x, b->size, MADV_HUGEPAGE);
			b->base = x;
			b->wx = (uint8_t *)w - (uint8_t *)x;
		} else {
			if (x != MAP_FAILED)
				munmap(x, b->size);
			if (w != MAP_FAILED)
				munmap(w, b->size);
		}
	}
	if (fd >= 0)
		close(fd);
	if (b->base)
		return;
	if (fd >= 0 || !getenv("RVISOR_PERF_MAP"))
		log_warn("jit: no second mapping for the code buffer (%s): "
			 "it is writable and executable",
			 strerror(errno));
	b->base = map_huge(b->size);
	if (b->base && mprotect(b->base, b->size,
				PROT_READ | PROT_WRITE | PROT_EXEC) < 0) {
		munmap(b->base, b->size);
		b->base = NULL;
	}
}

/* The two views of a fresh stretch of buffer, mapped in 2 MiB at a time
 * rather than a page fault per 4 KiB in each (shared memory gets no
 * transparent huge pages on most hosts) */
#define POPULATE_CHUNK (2u << 20)
static void populate_code(struct jit *j, size_t upto)
{
#ifdef MADV_POPULATE_WRITE
	while (j->buf.wx && j->populated < upto && j->populated < j->buf.size) {
		uint8_t *x = j->buf.base + j->populated;
		size_t len = j->buf.size - j->populated < POPULATE_CHUNK
				     ? j->buf.size - j->populated
				     : POPULATE_CHUNK;
		madvise(x + j->buf.wx, len, MADV_POPULATE_WRITE);
		madvise(x, len, MADV_POPULATE_READ);
		j->populated += len;
	}
#else
	(void)j;
	(void)upto;
#endif
}

/* Events reach translated code by signal. Blocks do not test the event
 * word (a load and a branch at every entry and every time round a loop);
 * whoever sets it sends the hart's thread KICK_SIGNAL while that runs
 * translated code, and the handler takes a large amount off the budget
 * register, which the next budget test (at most a block away) finds
 * negative: out it goes as if the budget had run out, and the amount is
 * given back (h->jit_stolen) before anyone counts retired instructions.
 * Where the signal finds no translated code running - C code, the
 * translator, the way in - the event word is looked at anyway: before
 * each entry here, and by the trampolines after every call to C. */
#define KICK_SIGNAL SIGUSR2
#define KICK_STEAL  (1ll << 40)

static _Thread_local struct hart *kick_hart;

static void on_kick(int sig, siginfo_t *si, void *ucontext)
{
	struct hart *h = kick_hart;

	(void)sig;
	(void)si;
	if (h && h->jit &&
	    atomic_load_explicit(&h->in_jit, memory_order_relaxed))
		jit_arch_kicked(&h->jit->buf, h, ucontext, KICK_STEAL);
}

static void install_kick_handler(void)
{
	struct sigaction sa = {.sa_sigaction = on_kick,
			       .sa_flags = SA_SIGINFO | SA_RESTART};
	sigemptyset(&sa.sa_mask);
	sigaction(KICK_SIGNAL, &sa, NULL);
}

void jit_kick(struct hart *h)
{
	if (pthread_equal(h->jit_thread, pthread_self()))
		return; /* our own: the next look at the event word sees it */
	if (atomic_exchange(&h->jit_kicked, true))
		return; /* one on its way: it makes the hart look at them all */
	pthread_kill(h->jit_thread, KICK_SIGNAL);
}

struct jit *jit_new(void)
{
	struct jit *j;

	static pthread_once_t kick_once = PTHREAD_ONCE_INIT;

	if (!jit_host_supported())
		return NULL;
	pthread_once(&kick_once, install_kick_handler);
	j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->block_pool = map_huge(MAX_BLOCKS * sizeof(*j->block_pool));
	j->page_pool = calloc(MAX_PAGES, sizeof(*j->page_pool));
	j->buf.size = JIT_BUF_SIZE;
	map_code_buffer(&j->buf);
	memcpy(j->buf.pins, default_pins, sizeof(default_pins));
	if (!j->block_pool || !j->page_pool || !j->buf.base ||
	    !jit_arch_init(&j->buf)) {
		jit_free(j);
		return NULL;
	}
	j->buf.trampolines_end = j->buf.used;
	if (getenv("RVISOR_PERF_MAP")) {
		/* perf(1) names JIT code from this file: one line a block */
		char path[64];
		snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
		j->perf_map = fopen(path, "a");
		/* a line a write(): harts append to the file concurrently */
		if (j->perf_map)
			setvbuf(j->perf_map, NULL, _IOLBF, 0);
	}
	return j;
}

void jit_free(struct jit *j)
{
	if (!j)
		return;
	if (j->perf_map)
		fclose(j->perf_map);
	const char *dump = getenv("RVISOR_JIT_DUMP");
	if (dump && j->buf.base) {
		/* the code buffer as it ends, for objdump: see docs/cli.md */
		FILE *f = fopen(dump, "wb");
		if (f) {
			fprintf(f, "rvisor-jit %p %zu\n", (void *)j->buf.base,
				j->buf.used);
			fwrite(j->buf.base, 1, j->buf.used, f);
			fclose(f);
		}
	}
	if (j->buf.base)
		munmap(j->buf.base, j->buf.size);
	if (j->buf.base && j->buf.wx)
		munmap(j->buf.base + j->buf.wx, j->buf.size);
	if (j->block_pool)
		munmap(j->block_pool, MAX_BLOCKS * sizeof(*j->block_pool));
	free(j->page_pool);
	free(j);
}

const struct jit_stats *jit_get_stats(const struct jit *j)
{
	return &j->stats;
}

static unsigned block_hash(uint64_t gpa)
{
	return (unsigned)((gpa >> 1) ^ (gpa >> 15)) & (BLOCK_HASH_SIZE - 1);
}

static unsigned page_hash(uint64_t gpa_page)
{
	return (unsigned)((gpa_page >> 12) ^ (gpa_page >> 22)) &
	       (PAGE_HASH_SIZE - 1);
}

static void flush_all(struct hart *h, struct jit *j)
{
	memset(j->hash, 0, sizeof(j->hash));
	memset(j->pages, 0, sizeof(j->pages));
	j->nblocks = 0;
	j->npages = 0;
	j->page_free = NULL;
	j->buf.used = j->buf.trampolines_end;
	j->gen++;
	j->stats.flushes++;
	tlb_jc_clear(&h->tlb);
}

void jit_flush(struct hart *h)
{
	if (h->jit)
		flush_all(h, h->jit);
}

static struct jit_page **find_page(struct jit *j, uint64_t gpa_page)
{
	struct jit_page **pp = &j->pages[page_hash(gpa_page)];

	while (*pp && (*pp)->gpa_page != gpa_page)
		pp = &(*pp)->hnext;
	return pp;
}

void jit_invalidate_page(struct hart *h, uint64_t gpa_page)
{
	struct jit *j = h->jit;
	struct jit_page **pp, *p;

	if (!j)
		return;
	pp = find_page(j, gpa_page);
	p = *pp;
	if (!p)
		return;
	for (struct jit_block *b = p->blocks; b; b = b->pnext) {
		struct jit_block **hp = &j->hash[block_hash(b->gpa)];
		while (*hp && *hp != b)
			hp = &(*hp)->hnext;
		if (*hp)
			*hp = b->hnext;
	}
	*pp = p->hnext;
	p->hnext = j->page_free;
	j->page_free = p;
	/* The blocks' code stays in the buffer until the next flush, but
	 * nothing reaches it: chains stay inside the page. */
	tlb_jc_drop_gpa_page(&h->tlb, gpa_page);
	j->stats.inval_pages++;
}

/* Conditional branches do not end a block: the taken path leaves it, the
 * fall-through one carries on, so a loop body with early exits is one
 * block with one entry check. */
static bool ends_block(unsigned op)
{
	return op == OP_JAL || op == OP_JALR;
}

/* The first parcel of the page after the one of `va`, through the fetch
 * TLB; false if it cannot be fetched now (the interpreter will fault). */
static bool next_page_parcel(struct hart *h, uint64_t va, uint16_t *parcel)
{
	uint64_t next = (va | 0xfff) + 1;
	const struct tlb_fetch_entry *e = &h->tlb.x[h->immu][tlb_x_index(next)];
	const struct code_page *cp = e->cp;

	if (e->tag != next || !tlb_ctx_valid(&h->tlb, e->ctx))
		cp = mmu_fetch_probe(h, next);
	if (!cp)
		return false;
	memcpy(parcel, cp->host, 2);
	return true;
}

bool jit_crossing_ok(struct hart *h, const struct insn *in)
{
	uint16_t hi;

	return next_page_parcel(h, h->pc, &hi) &&
	       hi == (uint16_t)(in->raw >> 16);
}

/* Decode and translate the block at vpc (guest-physical gpa, the page's
 * bytes at `host`). Returns NULL if the buffer is full. */
static struct jit_block *translate(struct hart *h, struct jit *j, uint64_t vpc,
				   uint64_t gpa, const uint8_t *host)
{
	struct insn ins[JIT_MAX_BLOCK_INSNS];
	unsigned n = 0, off = (unsigned)(gpa & 0xfff);
	enum jit_next next = NEXT_CHAIN;
	const uint8_t *code = NULL;
	struct jit_block *b;
	struct jit_page **pp, *p;

	/* halfwords of the page already in the block: a jump is followed
	 * (the block goes on at its target, jit_arch_translate() sees a JAL
	 * that is not last) only to code not yet in it */
	uint64_t seen[4096 / 2 / 64] = {0};

	while (n < JIT_MAX_BLOCK_INSNS) {
		uint32_t raw;
		if (seen[off / 128] >> (off / 2 % 64) & 1)
			break; /* a followed jump led back into the block */
		seen[off / 128] |= 1ull << (off / 2 % 64);
		if (off == 4094) {
			uint16_t lo, hi;
			memcpy(&lo, host + off, 2);
			raw = lo;
			if ((lo & 3) == 3) {
				/* crosses into the next page: its half as it is
				 * now, which the code checks each time it runs
				 * (jit_crossing_ok), so the block needs no word
				 * of writes to, or remappings of, that page */
				if (!next_page_parcel(h, vpc, &hi)) {
					next = NEXT_INTERP;
					break;
				}
				raw |= (uint32_t)hi << 16;
			}
		} else {
			memcpy(&raw, host + off, 4);
		}
		insn_decode(&ins[n], raw);
		if (!jit_arch_supports(&ins[n])) {
			next = NEXT_INTERP;
			break;
		}
		if (ins[n].op == OP_JAL &&
		    (ins[n].rd == 0 || ins[n].rd == 32) &&
		    n + 1 < JIT_MAX_BLOCK_INSNS) {
			uint64_t to = off + (uint64_t)(int64_t)ins[n].imm;
			if (to < 4096 &&
			    !(seen[to / 128] >> (to / 2 % 64) & 1)) {
				off = (unsigned)to;
				n++;
				continue;
			}
		}
		off += ins[n].len;
		if (ends_block(ins[n++].op))
			break;
		if (off >= 4096) {
			next = NEXT_LOOKUP;
			break;
		}
	}
	if (j->nblocks >= MAX_BLOCKS ||
	    (!j->page_free && j->npages >= MAX_PAGES) ||
	    (n && j->buf.size - j->buf.used < JIT_MAX_BLOCK_BYTES))
		return NULL;
	if (n) {
		size_t before = j->buf.used;
		populate_code(j, before + JIT_MAX_BLOCK_BYTES);
		code = jit_arch_translate(&j->buf, ins, n, vpc, next, h->dmmu);
		if (!code)
			return NULL;
		j->stats.blocks++;
		j->stats.insns += n;
		j->stats.code_bytes += j->buf.used - before;
		if (j->perf_map)
			fprintf(j->perf_map, "%lx %zx guest_%llx_%u\n",
				(unsigned long)(uintptr_t)code,
				j->buf.used - before, (unsigned long long)vpc,
				n);
	}
	pp = find_page(j, gpa & ~0xfffull);
	p = *pp;
	if (!p) {
		if (j->page_free) {
			p = j->page_free;
			j->page_free = p->hnext;
		} else {
			p = &j->page_pool[j->npages++];
		}
		p->gpa_page = gpa & ~0xfffull;
		p->blocks = NULL;
		p->hnext = NULL;
		*pp = p;
	}
	b = &j->block_pool[j->nblocks++];
	memset(b->uses, 0, sizeof(b->uses));
	for (unsigned i = 0; i < n; i++) {
		unsigned op = ins[i].op;
		if (op >= OP_FLW && op <= OP_FCVT_D_S)
			continue; /* operands are FP registers (mostly) */
		if (ins[i].rs1 < 32 && b->uses[ins[i].rs1] < 255)
			b->uses[ins[i].rs1]++;
		if (ins[i].rs2 < 32 && b->uses[ins[i].rs2] < 255)
			b->uses[ins[i].rs2]++;
		if (ins[i].rd < 32 && b->uses[ins[i].rd] < 255)
			b->uses[ins[i].rd]++;
	}
	b->gpa = gpa;
	b->vpc = vpc;
	b->dmmu = h->dmmu;
	b->code = code;
	b->pnext = p->blocks;
	p->blocks = b;
	b->hnext = j->hash[block_hash(gpa)];
	j->hash[block_hash(gpa)] = b;
	return b;
}

/* The page pc is fetched from, if the fetch TLB holds its translation
 * (*cp, else NULL), and the block made for pc there under the current
 * context, if there is one. */
static struct jit_block *lookup(struct hart *h, struct jit *j, uint64_t pc,
				struct code_page **cp)
{
	struct tlb_fetch_entry *fe = &h->tlb.x[h->immu][tlb_x_index(pc)];

	*cp = NULL;
	if (fe->tag != (pc & ~0xfffull) || !tlb_ctx_valid(&h->tlb, fe->ctx))
		return NULL;
	*cp = fe->cp;
	uint64_t gpa = fe->cp->gpa_page | (pc & 0xfff);
	for (struct jit_block *b = j->hash[block_hash(gpa)]; b; b = b->hnext)
		if (b->gpa == gpa && b->vpc == pc && b->dmmu == h->dmmu)
			return b;
	return NULL;
}

/* the jump cache's keys for the current context, and for global pages */
static void jit_set_ctx(struct hart *h)
{
	uint64_t mmus = (uint64_t)h->dmmu << 2 | (uint64_t)h->immu;
	h->jit_ctx = h->tlb.ctx << 4 | mmus;
	h->jit_gctx = h->tlb.gctx << 4 | mmus;
}

/* The translation for pc under the current context, translating it if
 * need be; NULL if there is none (fetch not translatable now, or nothing
 * the backend translates at pc). */
static const uint8_t *find(struct hart *h, struct jit *j, uint64_t pc,
			   bool may_flush)
{
	struct tlb_jump *jc = &h->tlb.jc[tlb_jc_index(pc)];
	struct code_page *cp;
	struct jit_block *b;

	if (jc->vpc == pc && (jc->ctx == h->jit_ctx || jc->ctx == h->jit_gctx))
		return jc->code;
	b = lookup(h, j, pc, &cp);
	if (!cp) {
		if (!mmu_fetch_probe(h, pc))
			return NULL;
		b = lookup(h, j, pc, &cp); /* the probe filled the TLB */
	}
	uint64_t gpa = cp->gpa_page | (pc & 0xfff);
	if (!b) {
		/* translated code must hear of writes to its page */
		if (!cp->armed)
			code_page_arm(h, cp);
		b = translate(h, j, pc, gpa, cp->host);
		if (!b) {
			if (!may_flush)
				return NULL;
			flush_all(h, j);
			b = translate(h, j, pc, gpa, cp->host);
			if (!b)
				return NULL;
		}
	}
	if (!b->code)
		return NULL;
	/* global if the fetch translation it came through is */
	jc->vpc = pc;
	jc->ctx = h->tlb.x[h->immu][tlb_x_index(pc)].ctx == h->tlb.ctx
			  ? h->jit_ctx
			  : h->jit_gctx;
	jc->code = b->code;
	jc->gpa_page = gpa & ~0xfffull;
	h->tlb.jc_used = true;
	return b->code;
}

bool jit_lr_sc(struct hart *h, const struct insn *in)
{
	bool sc = in->op == OP_SC_W || in->op == OP_SC_D;
	unsigned size = in->op == OP_LR_W || in->op == OP_SC_W ? 4 : 8;
	uint64_t va = h->x[in->rs1], gpa;
	uintptr_t addend = mmu_fill_for_jit(h, va, size | (sc ? 0x100 : 0));

	if (!addend)
		return false;
	void *p = (void *)(addend + va);
	if (!gmem_host_to_gpa(h->mem, p, &gpa))
		return false;
	/* as exec.c's LR/SC: the reservation is the value LR saw */
	if (!sc) {
		uint64_t v =
			size == 4 ? (uint64_t)(int64_t)(int32_t)__atomic_load_n(
					    (uint32_t *)p, __ATOMIC_ACQUIRE)
				  : __atomic_load_n((uint64_t *)p,
						    __ATOMIC_ACQUIRE);
		h->resv_addr = gpa;
		h->resv_value = v;
		h->resv_size = (uint8_t)size;
		h->x[in->rd] = v;
		return true;
	}
	bool ok = false;
	if (h->resv_addr == gpa && h->resv_size == size) {
		if (size == 4) {
			uint32_t expect = (uint32_t)h->resv_value;
			ok = __atomic_compare_exchange_n(
				(uint32_t *)p, &expect, (uint32_t)h->x[in->rs2],
				false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		} else {
			uint64_t expect = h->resv_value;
			ok = __atomic_compare_exchange_n(
				(uint64_t *)p, &expect, h->x[in->rs2], false,
				__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		}
	}
	h->resv_addr = ~0ull;
	h->x[in->rd] = !ok;
	return true;
}

/* keep csr_access's request for an interrupt check only if something is
 * pending (cleared first: a line raised meanwhile is seen as pending) */
static bool irq_check_if_pending(struct hart *h)
{
	atomic_fetch_and(&h->events, ~(uint32_t)EV_IRQ);
	if (!hart_pending_irqs(h))
		return false;
	atomic_fetch_or(&h->events, EV_IRQ);
	return true;
}

int jit_csr(struct hart *h, const struct insn *in)
{
	unsigned csr = (unsigned)in->imm;
	bool imm_form = in->op == OP_CSRRWI || in->op == OP_CSRRSI ||
			in->op == OP_CSRRCI;
	enum csr_op op = in->op == OP_CSRRW || in->op == OP_CSRRWI ? CSR_WRITE
			 : in->op == OP_CSRRS || in->op == OP_CSRRSI
				 ? CSR_SET
				 : CSR_CLEAR;
	bool write = op == CSR_WRITE || in->rs1 != 0;
	uint64_t before = h->mstatus, old;

	/* sstatus only: the kernel's interrupt save/restore. Counters would
	 * need the retired count, which the caller has not folded in. */
	if (csr != CSR_SSTATUS)
		return 0;
	if (!csr_access(h, csr, op, imm_form ? in->rs1 : h->x[in->rs1], write,
			&old))
		return 0;
	h->x[in->rd] = old;
	/* turning interrupts off (or nothing) needs no look at anything;
	 * anything else may unmask an interrupt or change the MMU index.
	 * csr_access asked for an interrupt check all the same: with
	 * nothing pending there is nothing to check (a line raised from now
	 * on asks again), and leaving for it (the event word, seen on the
	 * helper's return) made every local_irq_save() cost a trip out of
	 * translated code. */
	if (h->mstatus == before || h->mstatus == (before & ~MSTATUS_SIE)) {
		irq_check_if_pending(h);
		return 1;
	}
	/* SIE set with nothing pending and enabled: nothing to take now
	 * (a device raising a line later sets the event word) */
	uint64_t changed = h->mstatus ^ before;
	bool irq_ok =
		!(changed & MSTATUS_SIE & h->mstatus) || !hart_pending_irqs(h);
	/* bits translated code does not depend on: SPIE/SPP matter at sret,
	 * FS is tested by every FP instruction as it runs */
	const uint64_t inert = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP |
			       MSTATUS_FS | MSTATUS_SD | MSTATUS_SUM;
	if (!irq_ok || (changed & ~inert))
		return 2;
	if (changed) {
		/* csr_access asked for an interrupt check; with nothing
		 * pending there is nothing to check, and the event word
		 * would make the code leave for it. A line raised from now
		 * on sets the event word again. */
		if (irq_check_if_pending(h))
			return 2;
	}
	if (!(changed & MSTATUS_SUM))
		return 1;
	/* SUM (uaccess on and off): the data MMU index changed, so carry
	 * on through a lookup for blocks made for the new one */
	jit_set_ctx(h);
	return 3;
}

const uint8_t *jit_lookup_from_code(struct hart *h, uint64_t pc)
{
	/* no flush: the calling block's code must stay where it is */
	const uint8_t *code = find(h, h->jit, pc, false);
	if (code)
		h->jit->stats.inline_lookups++;
	return code;
}

/* weight of the registers in `pins` in the histogram */
static uint64_t coverage(const uint64_t *hist, const uint8_t *pins)
{
	uint64_t sum = 0;
	for (unsigned i = 0; i < JIT_PINS; i++)
		sum += hist[pins[i]];
	return sum;
}

static void sample_registers(struct hart *h, struct jit *j)
{
	struct code_page *cp;
	struct jit_block *b = lookup(h, j, h->pc, &cp);
	uint8_t best[JIT_PINS];
	bool taken[32] = {[0] = true};

	if (!cp)
		return;
	if (b)
		for (unsigned r = 1; r < 32; r++)
			j->use_hist[r] += b->uses[r];
	if (++j->samples < REMAP_SAMPLES)
		return;
	j->samples = 0;
	for (unsigned i = 0; i < JIT_PINS; i++) {
		unsigned top = 0;
		for (unsigned r = 1; r < 32; r++)
			if (!taken[r] &&
			    (!top || j->use_hist[r] > j->use_hist[top]))
				top = r;
		best[i] = (uint8_t)top;
		taken[top] = true;
	}
	uint64_t now = coverage(j->use_hist, j->buf.pins);
	uint64_t then = coverage(j->use_hist, best);
	for (unsigned r = 0; r < 32; r++)
		j->use_hist[r] /= 2; /* older samples count less */
	if (then <= now + now / 8)
		return; /* not worth translating everything again */
	/* keep registers that stay pinned in their slots: fewer moves */
	uint8_t pins[JIT_PINS] = {0};
	bool placed[JIT_PINS] = {false};
	for (unsigned i = 0; i < JIT_PINS; i++)
		for (unsigned k = 0; k < JIT_PINS; k++)
			if (best[k] == j->buf.pins[i] && !placed[k]) {
				pins[i] = best[k];
				placed[k] = true;
			}
	for (unsigned k = 0; k < JIT_PINS; k++)
		for (unsigned i = 0; !placed[k] && i < JIT_PINS; i++)
			if (!pins[i]) {
				pins[i] = best[k];
				placed[k] = true;
			}
	memcpy(j->buf.pins, pins, sizeof(pins));
	j->buf.used = 0;
	if (!jit_arch_init(&j->buf))
		BUG_ON(1);
	j->buf.trampolines_end = j->buf.used;
	flush_all(h, j);
	j->stats.remaps++;
}

static enum jit_exit run(struct hart *h, struct jit *j, const uint8_t *code)
{
	for (;;) {
		/* the event word, once in_jit is set: anything set after this
		 * sends a signal */
		if (atomic_load(&h->events))
			return JIT_EXIT_EVENTS;
		int why = jit_arch_enter(&j->buf, h, code);
		h->jit_budget += h->jit_stolen;
		h->jit_stolen = 0;
		atomic_store(&h->jit_kicked, false);
		j->stats.exits[why % JX__COUNT]++;
		switch (why) {
		case JX_EVENTS: return JIT_EXIT_EVENTS;
		case JX_BUDGET: sample_registers(h, j); return JIT_EXIT_BUDGET;
		case JX_LOOKUP:
			code = find(h, j, h->pc, true);
			if (!code)
				return JIT_EXIT_INTERP;
			break;
		case JX_CHAIN: {
			uint8_t *site = h->jit_patch;
			uint64_t gen = j->gen;
			code = find(h, j, h->pc, true);
			if (!code)
				return JIT_EXIT_INTERP;
			if (gen == j->gen) {
				jit_arch_patch(&j->buf, site, code);
				j->stats.chains++;
			}
			break;
		}
		default: return JIT_EXIT_INTERP;
		}
	}
}

enum jit_exit jit_run(struct hart *h)
{
	struct jit *j = h->jit;
	const uint8_t *code;

	jit_set_ctx(h);
	code = find(h, j, h->pc, true);
	if (!code)
		return JIT_EXIT_NONE;
	/* (a hart freed and made again may have the same address) */
	kick_hart = h;
	if (!pthread_equal(h->jit_thread, pthread_self()))
		h->jit_thread = pthread_self();
	atomic_store(&h->jit_kicked, false);
	atomic_store(&h->in_jit, true);
	enum jit_exit why = run(h, j, code);
	atomic_store(&h->in_jit, false);
	return why;
}
