/* plic.c - the SiFive PLIC: the trap-and-emulate baseline for interrupt
 * delivery (a claim and a complete are one exit each per interrupt).
 *
 * Each source has a gateway that follows its input level, as QEMU's
 * sifive_plic does: the pending bit is the level, except that a claimed
 * source stays not-pending until its completion, when the level (which we
 * remember) makes it pending again. A context's output line is up while it
 * has a pending, enabled, unclaimed source whose priority exceeds the
 * context's threshold.
 *
 * One mutex guards everything: devices raise lines from their own threads
 * while vcpus claim and complete. hart_set_irq_line() only touches atomics
 * and never calls back, so it is safe to call with the lock held; devices
 * call plic_set_irq() with their own lock held, so the PLIC must never call
 * out to a device. */
#include "dev/plic.h"

#include <inttypes.h>
#include <libfdt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define NSRC   (PLIC_NDEV + 1) /* including the non-existent source 0 */
#define NWORDS ((NSRC + 31) / 32)

#define PRIO_BASE      0x000000
#define PENDING_BASE   0x001000
#define ENABLE_BASE    0x002000
#define ENABLE_STRIDE  0x80
#define CONTEXT_BASE   0x200000
#define CONTEXT_STRIDE 0x1000
#define CTX_THRESHOLD  0x0
#define CTX_CLAIM      0x4

_Static_assert(CONTEXT_BASE + 2ull * PLIC_MAX_HARTS * CONTEXT_STRIDE <=
		       PLIC_SIZE,
	       "contexts must fit the region");
_Static_assert(ENABLE_BASE + 2ull * PLIC_MAX_HARTS * ENABLE_STRIDE <=
		       CONTEXT_BASE,
	       "enable banks must not reach the context registers");
_Static_assert(NWORDS * 4 <= ENABLE_STRIDE, "enable bank too small");
_Static_assert(NSRC * 4 <= PENDING_BASE, "priorities overlap pending");

struct plic_context {
	uint32_t enable[NWORDS];
	uint32_t threshold;
};

struct plic {
	pthread_mutex_t lock;
	unsigned nharts;
	unsigned nctx;
	uint32_t prio[NSRC];
	uint32_t line[NWORDS]; /* input levels as the devices drive them */
	uint32_t pending[NWORDS];
	uint32_t claimed[NWORDS];
	uint16_t claimer[NSRC]; /* the context holding a claimed source */
	struct plic_context *ctx;
	struct hart *harts[];
};

/* Bits of word w that name real sources (1..PLIC_NDEV). */
static uint32_t valid_mask(unsigned w)
{
	uint32_t m = ~0u;
	unsigned first = w * 32, end = first + 32;

	if (end > NSRC)
		m >>= end - NSRC;
	if (first == 0)
		m &= ~1u;
	return m;
}

static bool test_bit(const uint32_t *map, unsigned n)
{
	return map[n / 32] >> (n % 32) & 1;
}

static void assign_bit(uint32_t *map, unsigned n, bool v)
{
	if (v)
		map[n / 32] |= 1u << (n % 32);
	else
		map[n / 32] &= ~(1u << (n % 32));
}

/* The source a claim by context c would return: the highest priority above
 * the threshold among pending, enabled, unclaimed sources; ties go to the
 * lowest id. 0 if none. */
static unsigned best_source(const struct plic *p, unsigned c)
{
	uint32_t best_prio = p->ctx[c].threshold;
	unsigned best = 0;

	for (unsigned w = 0; w < NWORDS; w++) {
		uint32_t bits =
			p->pending[w] & ~p->claimed[w] & p->ctx[c].enable[w];
		while (bits) {
			unsigned src = w * 32 + (unsigned)__builtin_ctz(bits);
			bits &= bits - 1;
			if (p->prio[src] > best_prio) {
				best_prio = p->prio[src];
				best = src;
			}
		}
	}
	return best;
}

/* Bring every context's output line in line with the state. Only changes
 * are signalled, so an unrelated update does not wake idle harts. We compare
 * with the hart's own bit: the PLIC is the only driver of MEIP and SEIP, and
 * a hart reset that clears them is then simply corrected. Lock held. */
static void update(struct plic *p)
{
	for (unsigned c = 0; c < p->nctx; c++) {
		struct hart *h = p->harts[c / 2];
		uint64_t bit = (c & 1) ? MIP_SEIP : MIP_MEIP;
		bool level = best_source(p, c) != 0;
		bool now = (atomic_load(&h->irq_lines) & bit) != 0;

		if (level != now)
			hart_set_irq_line(h, bit, level);
	}
}

void plic_set_irq(void *ctrl, unsigned irq, bool level)
{
	struct plic *p = ctrl;
	bool was_pending;

	if (irq == 0 || irq >= NSRC)
		return;
	pthread_mutex_lock(&p->lock);
	assign_bit(p->line, irq, level);
	was_pending = test_bit(p->pending, irq);
	/* A claimed source is not re-requested until it is completed. */
	if (level != was_pending && (!level || !test_bit(p->claimed, irq))) {
		assign_bit(p->pending, irq, level);
		update(p);
	}
	pthread_mutex_unlock(&p->lock);
}

static uint32_t claim(struct plic *p, unsigned c)
{
	unsigned src = best_source(p, c);

	if (src) {
		assign_bit(p->pending, src, false);
		assign_bit(p->claimed, src, true);
		p->claimer[src] = (uint16_t)c;
		update(p);
	}
	return src;
}

/* Completion of a source that this context did not claim, or that is not
 * enabled for it, is ignored, as the PLIC specification says. */
static void complete(struct plic *p, unsigned c, uint32_t src)
{
	if (src == 0 || src >= NSRC || !test_bit(p->claimed, src) ||
	    p->claimer[src] != c || !test_bit(p->ctx[c].enable, src))
		return;
	assign_bit(p->claimed, src, false);
	if (test_bit(p->line, src))
		assign_bit(p->pending, src, true);
	update(p);
}

static uint32_t read_reg(struct plic *p, uint64_t off)
{
	if (off < PENDING_BASE) {
		uint64_t src = (off - PRIO_BASE) / 4;
		return src < NSRC ? p->prio[src] : 0;
	}
	if (off < ENABLE_BASE) {
		uint64_t w = (off - PENDING_BASE) / 4;
		return w < NWORDS ? p->pending[w] : 0;
	}
	if (off < CONTEXT_BASE) {
		uint64_t c = (off - ENABLE_BASE) / ENABLE_STRIDE;
		uint64_t w = (off - ENABLE_BASE) % ENABLE_STRIDE / 4;
		return c < p->nctx && w < NWORDS ? p->ctx[c].enable[w] : 0;
	}
	uint64_t c = (off - CONTEXT_BASE) / CONTEXT_STRIDE;
	if (c >= p->nctx)
		return 0;
	switch ((off - CONTEXT_BASE) % CONTEXT_STRIDE) {
	case CTX_THRESHOLD: return p->ctx[c].threshold;
	case CTX_CLAIM: return claim(p, (unsigned)c);
	default: return 0;
	}
}

static void write_reg(struct plic *p, uint64_t off, uint32_t val)
{
	if (off < PENDING_BASE) {
		uint64_t src = (off - PRIO_BASE) / 4;
		/* WARL like QEMU: 7 levels fill 3 bits, keep those. Source
		 * 0 does not exist and stays 0. */
		if (src != 0 && src < NSRC) {
			p->prio[src] = val & PLIC_MAX_PRIO;
			update(p);
		}
		return;
	}
	if (off < ENABLE_BASE)
		return; /* pending bits are read-only */
	if (off < CONTEXT_BASE) {
		uint64_t c = (off - ENABLE_BASE) / ENABLE_STRIDE;
		uint64_t w = (off - ENABLE_BASE) % ENABLE_STRIDE / 4;
		if (c < p->nctx && w < NWORDS) {
			p->ctx[c].enable[w] = val & valid_mask((unsigned)w);
			update(p);
		}
		return;
	}
	uint64_t c = (off - CONTEXT_BASE) / CONTEXT_STRIDE;
	if (c >= p->nctx)
		return;
	switch ((off - CONTEXT_BASE) % CONTEXT_STRIDE) {
	case CTX_THRESHOLD:
		/* QEMU ignores thresholds above the top priority */
		if (val <= PLIC_MAX_PRIO) {
			p->ctx[c].threshold = val;
			update(p);
		}
		break;
	case CTX_CLAIM: complete(p, (unsigned)c, val); break;
	}
}

static bool plic_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	struct plic *p = dev;

	if (size != 4 || (off & 3))
		return false;
	pthread_mutex_lock(&p->lock);
	*val = read_reg(p, off);
	pthread_mutex_unlock(&p->lock);
	return true;
}

static bool plic_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
	struct plic *p = dev;

	if (size != 4 || (off & 3))
		return false;
	pthread_mutex_lock(&p->lock);
	write_reg(p, off, (uint32_t)val);
	pthread_mutex_unlock(&p->lock);
	return true;
}

/* Guest-programmed state goes; the input levels are wires from the devices
 * and stay, so a line still asserted is pending again at once. */
static void plic_reset(void *dev)
{
	struct plic *p = dev;

	pthread_mutex_lock(&p->lock);
	for (unsigned s = 0; s < NSRC; s++) {
		p->prio[s] = 0;
		p->claimer[s] = 0;
	}
	for (unsigned w = 0; w < NWORDS; w++) {
		p->pending[w] = p->line[w];
		p->claimed[w] = 0;
	}
	for (unsigned c = 0; c < p->nctx; c++)
		p->ctx[c] = (struct plic_context){0};
	update(p);
	pthread_mutex_unlock(&p->lock);
}

static void plic_destroy(void *dev)
{
	struct plic *p = dev;

	pthread_mutex_destroy(&p->lock);
	free(p->ctx);
	free(p);
}

/* The node QEMU virt emits, so Linux and OpenSBI find what they expect. */
static int plic_fdt(void *dev, void *fdt, const struct dev_fdt_ctx *ctx)
{
	static const char compat[] = "sifive,plic-1.0.0\0riscv,plic0";
	struct plic *p = dev;
	fdt64_t reg[2] = {cpu_to_fdt64(ctx->base), cpu_to_fdt64(ctx->size)};
	fdt32_t *cells;
	char name[32];
	int r;

	if (!ctx->cpu_intc_phandles || ctx->nharts != p->nharts)
		return -FDT_ERR_BADVALUE;
	cells = calloc(4 * (size_t)p->nharts, sizeof(*cells));
	if (!cells)
		return -FDT_ERR_NOSPACE;
	/* per hart: M-mode external, then S-mode external (ctx 2i, 2i+1) */
	for (unsigned i = 0; i < p->nharts; i++) {
		cells[4 * i + 0] = cpu_to_fdt32(ctx->cpu_intc_phandles[i]);
		cells[4 * i + 1] = cpu_to_fdt32(IRQ_M_EXT);
		cells[4 * i + 2] = cpu_to_fdt32(ctx->cpu_intc_phandles[i]);
		cells[4 * i + 3] = cpu_to_fdt32(IRQ_S_EXT);
	}
	snprintf(name, sizeof(name), "plic@%" PRIx64, ctx->base);

	r = fdt_begin_node(fdt, name);
	if (!r)
		r = fdt_property_u32(fdt, "#address-cells", 0);
	if (!r)
		r = fdt_property_u32(fdt, "#interrupt-cells", 1);
	if (!r)
		r = fdt_property(fdt, "compatible", compat, sizeof(compat));
	if (!r)
		r = fdt_property(fdt, "interrupt-controller", NULL, 0);
	if (!r)
		r = fdt_property(fdt, "interrupts-extended", cells,
				 4 * p->nharts * (int)sizeof(*cells));
	if (!r)
		r = fdt_property(fdt, "reg", reg, sizeof(reg));
	if (!r)
		r = fdt_property_u32(fdt, "riscv,ndev", PLIC_NDEV);
	if (!r)
		r = fdt_property_u32(fdt, "phandle", ctx->phandle);
	if (!r)
		r = fdt_end_node(fdt);
	free(cells);
	return r;
}

const struct device_ops plic_ops = {
	.name = "plic",
	.fdt = plic_fdt,
	.read = plic_read,
	.write = plic_write,
	.reset = plic_reset,
	.destroy = plic_destroy,
};

void *plic_new(struct hart **harts, unsigned nharts)
{
	struct plic *p;

	if (nharts == 0 || nharts > PLIC_MAX_HARTS)
		return NULL;
	p = calloc(1, sizeof(*p) + nharts * sizeof(p->harts[0]));
	if (!p)
		return NULL;
	p->ctx = calloc(2 * (size_t)nharts, sizeof(*p->ctx));
	if (!p->ctx) {
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	p->nharts = nharts;
	p->nctx = 2 * nharts;
	for (unsigned i = 0; i < nharts; i++)
		p->harts[i] = harts[i];
	return p;
}
