/* jit_diff_machine.h - test_jit_diff.c's two machines: setup, loading a
 * stream, snapshots, the lockstep run and its comparison, the bisecting
 * replay, kicks and register remapping, and run_focus(), which every test
 * calls. Not a standalone header: it is one part of test_jit_diff.c's
 * translation unit, included once after the generator (run_one() calls
 * gen_stream(), prime_remap() and the kicker draw from struct gen). */
#ifndef RVISOR_TESTS_JIT_DIFF_MACHINE_H
#define RVISOR_TESTS_JIT_DIFF_MACHINE_H

/* ---- test fixture ---- */

/* a thread kicking the JIT hart (hart_kick: "any thread") */
struct kicker {
	pthread_t thread;
	struct hart *h;
	_Atomic bool stop;
	bool running;
	uint64_t seed;
};

struct fx {
	struct machine m[2]; /* 0: JIT, 1: interpreter only */
	struct stream *s;
	struct kicker kick;
	/* the state at the start of the current block, for bisecting */
	struct snap *snap;
	unsigned cur_block;
	/* statistics */
	uint64_t n_streams, n_blocks, n_exits[EXIT__COUNT], n_traps;
	uint64_t n_insns, n_executed, n_cause[16], n_kicks, n_remaps;
};

static const char *const mode_names[4] = {"U", "S", "mixed", "M"};

/* ---- machines ---- */

static void code_hook(void *opaque, uint64_t gpa_page)
{
	hart_code_written(opaque, gpa_page);
}

static void flag_hook(void *opaque, uintptr_t host_page, uint64_t va_page)
{
	struct hart *h = opaque;
	tlb_drop_write_page(&h->tlb, host_page, va_page);
}

static void both_write(struct fx *fx, uint64_t gpa, const void *p, uint64_t len)
{
	for (int i = 0; i < 2; i++)
		assert_true(gmem_write(&fx->m[i].mem, gpa, p, len));
}

/* Sv39 tables for S (no U bit) and U (U bit everywhere), built host-side */
static uint64_t pt[PT_PAGES][512];
static unsigned pt_used;

static uint64_t pt_new(void)
{
	assert_true(pt_used < PT_PAGES);
	memset(pt[pt_used], 0, sizeof(pt[0]));
	return PT_BASE + 4096ull * pt_used++;
}

static uint64_t *pt_host(uint64_t gpa)
{
	return pt[(gpa - PT_BASE) / 4096];
}

static void pt_map(uint64_t root, uint64_t va, uint64_t pa, int leaf_level,
		   uint64_t flags)
{
	uint64_t table = root;

	for (int lvl = 2; lvl > leaf_level; lvl--) {
		uint64_t *e = &pt_host(table)[(va >> (12 + 9 * lvl)) & 0x1ff];
		if (!(*e & PTE_V))
			*e = (pt_new() >> 12) << 10 | PTE_V;
		table = (*e >> 10) << 12;
	}
	pt_host(table)[(va >> (12 + 9 * leaf_level)) & 0x1ff] =
		(pa >> 12) << 10 | flags;
}

static void build_tables(struct fx *fx)
{
	const uint64_t rw = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;

	pt_used = 0;
	assert_true(pt_new() == ROOT_S);
	assert_true(pt_new() == ROOT_U);
	assert_true(pt_new() == ROOT_S2);
	for (int k = 0; k < 3; k++) {
		static const uint64_t roots[] = {ROOT_S, ROOT_U, ROOT_S2};
		uint64_t root = roots[k];
		uint64_t uf = k == 1 ? PTE_U : 0;
		bool straight = k == 2;
		pt_map(root, 0x0000, 0x0000, 0, rw | uf);
		pt_map(root, 0x1000, 0x1000, 0, rw | uf);
		/* crosswise (straight in S2) */
		pt_map(root, 0x2000, straight ? 0x2000 : 0x3000, 0, rw | uf);
		pt_map(root, 0x3000, straight ? 0x3000 : 0x2000, 0, rw | uf);
		/* 0x4000 unmapped */
		pt_map(root, 0x5000, MMIO_PA, 0, rw | uf);
		pt_map(root, 0x6000, 0x2000, 0,
		       PTE_V | PTE_R | PTE_A | uf); /* read-only alias */
		pt_map(root, ALIAS_PA, ALIAS_PA, 0, rw | uf);
		pt_map(root, 0x200000, 0x0, 1, rw | uf); /* megapage */
		/* code is global in the two S tables (the same there, as
		 * global mappings must be): fetch and jump-cache entries
		 * outlive satp switches and ASID fences */
		for (unsigned i = 0; i < CODE_PAGES; i++)
			pt_map(root, CODE_BASE + 4096ull * i,
			       CODE_BASE + 4096ull * i, 0,
			       rw | PTE_X | uf | (k == 1 ? 0 : PTE_G));
	}
	for (unsigned i = 0; i < pt_used; i++)
		both_write(fx, PT_BASE + 4096ull * i, pt[i], 4096);
}

static bool have_jit;

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->s = calloc(1, sizeof(*fx->s));
	assert_non_null(fx->s);
	for (int i = 0; i < 2; i++) {
		struct machine *m = &fx->m[i];
		assert_int_equal(gmem_init(&m->mem), 0);
		assert_int_equal(gmem_add_ram(&m->mem, 0, LOW_SIZE), 0);
		assert_int_equal(gmem_add_ram(&m->mem, ALIAS_PA, 4096), 0);
		assert_int_equal(gmem_add_ram(&m->mem, RAM_BASE, RAM_SIZE), 0);
		gmem_set_page_flag(&m->mem, 0, GPAGE_WATCH);
		vclock_init(&m->clock);
		m->h = calloc(1, sizeof(*m->h));
		assert_non_null(m->h);
		assert_int_equal(hart_init(m->h, 0, &m->mem, &m->clock), 0);
		m->mem.code_write_hook = code_hook;
		m->mem.flag_set_hook = flag_hook;
		m->mem.code_write_opaque = m->h;
	}
	fx->m[0].h->jit = jit_new();
	have_jit = fx->m[0].h->jit != NULL;
	build_tables(fx);
	/* the trap handler: report, then return to wherever mepc says */
	uint32_t handler[2] = {TRAP_EXIT, MRET};
	both_write(fx, HANDLER, handler, sizeof(handler));
	/* one hart_run each, so the harts are fully set up (the code cache
	 * learns its handlers there) before prime_remap() calls jit_run() */
	for (int i = 0; i < 2; i++) {
		fx->m[i].h->pc = HANDLER;
		assert_int_equal(hart_run(fx->m[i].h), EXIT_WATCH);
	}
	*state = fx;
	return 0;
}

static void stop_kicks(struct fx *fx);

static int teardown(void **state)
{
	struct fx *fx = *state;

	stop_kicks(fx); /* a failed test longjmps past its own cleanup */
	for (int i = 0; i < 2; i++) {
		hart_destroy(fx->m[i].h);
		free(fx->m[i].h);
		gmem_destroy(&fx->m[i].mem);
	}
	free(fx->snap);
	free(fx->s);
	free(fx);
	return 0;
}

static void csr_w(struct hart *h, unsigned csr, uint64_t v)
{
	if (!hart_csr_write(h, csr, v))
		fail_msg("cannot write CSR 0x%x", csr);
}

/* put machine m in the stream's starting state: M-mode at the handler's
 * mret, which enters the stream's mode at its first instruction */
static void load_stream(struct fx *fx, struct machine *m)
{
	struct stream *s = fx->s;
	struct hart *h = m->h;
	uint64_t satp = 0;

	hart_set_priv(h, PRV_M);
	csr_w(h, CSR_PMPADDR0, (1ull << 54) - 1);
	csr_w(h, CSR_PMPCFG0, 0x1f); /* NAPOT, everything, RWX */
	csr_w(h, CSR_MSTATUS,
	      (uint64_t)s->mode << MSTATUS_MPP_SHIFT | MSTATUS_FS);
	if (s->mode != PRV_M || (s->seed & 1))
		satp = (uint64_t)SATP_MODE_SV39 << 60 |
		       (uint64_t)s->asid << 44 |
		       (s->mode == PRV_U ? ROOT_U : ROOT_S) >> 12;
	csr_w(h, CSR_SATP, satp);
	csr_w(h, CSR_MTVEC, HANDLER);
	csr_w(h, CSR_MEDELEG, 0);
	csr_w(h, CSR_MIE, 0);
	csr_w(h, CSR_MCOUNTEREN, 5); /* CY, IR: not TM (time differs) */
	csr_w(h, CSR_SCOUNTEREN, 5);
	csr_w(h, CSR_MENVCFG, MENVCFG_CBZE);
	csr_w(h, CSR_SENVCFG, MENVCFG_CBZE);
	csr_w(h, CSR_MSCRATCH, s->mscratch);
	csr_w(h, CSR_SSCRATCH, s->sscratch);
	csr_w(h, CSR_FCSR, 0);
	csr_w(h, CSR_MEPC, s->va);
	memcpy(h->x, s->x, sizeof(s->x));
	memcpy(h->f, s->f, sizeof(s->f));
	h->resv_addr = ~0ull;
	h->instret = h->cycle = h->executed = 0;
	h->mcause = h->mtval = 0;
	h->pc = HANDLER + 4;
	assert_true(gmem_write(&m->mem, 0, s->low, LOW_SIZE));
	assert_true(gmem_write(&m->mem, ALIAS_PA, s->alias, 4096));
	assert_true(gmem_write(&m->mem, s->va, s->code, s->len));
}

/* ---- snapshots (the state at a block's start) ---- */

struct snap {
	uint64_t x[32], f[32], pc, mstatus, mepc, mcause, mtval, mscratch,
		sscratch, instret, cycle, executed;
	uint32_t fflags, frm;
	enum priv priv;
	uint8_t low[LOW_SIZE], alias[4096], code[CODE_SPAN];
};

static void take_snap(struct fx *fx)
{
	struct hart *h = fx->m[1].h;
	struct snap *p = fx->snap;

	memcpy(p->x, h->x, sizeof(p->x));
	memcpy(p->f, h->f, sizeof(p->f));
	p->pc = h->pc;
	p->mstatus = h->mstatus;
	p->mepc = h->mepc;
	p->mcause = h->mcause;
	p->mtval = h->mtval;
	p->mscratch = h->mscratch;
	p->sscratch = h->sscratch;
	p->instret = h->instret;
	p->cycle = h->cycle;
	p->executed = h->executed;
	p->fflags = h->fflags;
	p->frm = h->frm;
	p->priv = h->priv;
	assert_true(gmem_read(&fx->m[1].mem, 0, p->low, LOW_SIZE));
	assert_true(gmem_read(&fx->m[1].mem, ALIAS_PA, p->alias, 4096));
	assert_true(gmem_read(&fx->m[1].mem, fx->s->va, p->code, fx->s->len));
}

static void restore_snap(struct fx *fx, struct machine *m, const uint8_t *code)
{
	struct hart *h = m->h;
	const struct snap *p = fx->snap;

	memcpy(h->x, p->x, sizeof(p->x));
	h->x[0] = 0;
	memcpy(h->f, p->f, sizeof(p->f));
	h->pc = p->pc;
	h->mstatus = p->mstatus;
	h->mepc = p->mepc;
	h->mcause = p->mcause;
	h->mtval = p->mtval;
	h->mscratch = p->mscratch;
	h->sscratch = p->sscratch;
	h->instret = p->instret;
	h->cycle = p->cycle;
	h->executed = p->executed;
	h->fflags = p->fflags;
	h->frm = p->frm;
	h->resv_addr = ~0ull;
	/* Leave no event pending (hart_set_priv would post EV_IRQ, a code
	 * write for a hart not "current" EV_CODE): with one, the first block
	 * boundary goes to check_events and the interpreter runs on where
	 * the JIT ran the first time. */
	h->priv = p->priv;
	mmu_update_index(h);
	hart_set_current(h); /* invalidate its code at once */
	assert_true(gmem_write(&m->mem, 0, p->low, LOW_SIZE));
	assert_true(gmem_write(&m->mem, ALIAS_PA, p->alias, 4096));
	assert_true(gmem_write(&m->mem, fx->s->va, code, fx->s->len));
}

/* ---- comparing ---- */

struct report {
	char buf[4096];
	size_t n;
};

static void rep(struct report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->n >= sizeof(r->buf) - 1)
		return;
	va_start(ap, fmt);
	int k = vsnprintf(r->buf + r->n, sizeof(r->buf) - r->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		r->n += (size_t)k;
	if (r->n >= sizeof(r->buf))
		r->n = sizeof(r->buf) - 1;
}

#define CMP(field, name)                                                       \
	do {                                                                   \
		if ((uint64_t)a->field != (uint64_t)b->field) {                \
			rep(r, "  %-9s jit 0x%016llx  interp 0x%016llx\n",     \
			    name, (unsigned long long)a->field,                \
			    (unsigned long long)b->field);                     \
			bad = true;                                            \
		}                                                              \
	} while (0)

static bool cmp_mem(struct fx *fx, uint64_t gpa, uint64_t len, struct report *r)
{
	const uint8_t *pa = gmem_ptr(&fx->m[0].mem, gpa, len);
	const uint8_t *pb = gmem_ptr(&fx->m[1].mem, gpa, len);

	assert_non_null(pa);
	assert_non_null(pb);
	if (!memcmp(pa, pb, len))
		return false;
	for (uint64_t i = 0; i < len; i++)
		if (pa[i] != pb[i]) {
			uint64_t o = i & ~7ull;
			uint64_t va = 0, vb = 0;
			memcpy(&va, pa + o, o + 8 <= len ? 8 : len - o);
			memcpy(&vb, pb + o, o + 8 <= len ? 8 : len - o);
			rep(r,
			    "  mem[0x%llx] jit 0x%016llx  interp 0x%016llx\n",
			    (unsigned long long)(gpa + o),
			    (unsigned long long)va, (unsigned long long)vb);
			break;
		}
	return true;
}

/* true if the two harts differ after an exit `ra` / `rb` */
static bool differ(struct fx *fx, enum exit_reason ra, enum exit_reason rb,
		   struct report *r)
{
	const struct hart *a = fx->m[0].h, *b = fx->m[1].h;
	bool bad = false;
	char name[8];

	if (ra != rb) {
		rep(r, "  exit      jit %s  interp %s\n", exit_reason_names[ra],
		    exit_reason_names[rb]);
		bad = true;
	} else if (ra == EXIT_MMIO) {
		CMP(exit.mmio.addr, "mmio addr");
		CMP(exit.mmio.size, "mmio size");
		CMP(exit.mmio.is_write, "mmio wr");
		if (a->exit.mmio.is_write)
			CMP(exit.mmio.data, "mmio data");
	} else if (ra == EXIT_WATCH) {
		CMP(exit.watch_addr, "watch");
	}
	CMP(pc, "pc");
	CMP(priv, "priv");
	for (int i = 1; i < 32; i++) {
		snprintf(name, sizeof(name), "x%d", i);
		CMP(x[i], name);
	}
	for (int i = 0; i < 32; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		CMP(f[i], name);
	}
	CMP(instret, "instret");
	CMP(cycle, "cycle");
	CMP(executed, "executed");
	CMP(mstatus, "mstatus");
	CMP(mepc, "mepc");
	CMP(mcause, "mcause");
	CMP(mtval, "mtval");
	CMP(mscratch, "mscratch");
	CMP(sscratch, "sscratch");
	CMP(fflags, "fflags");
	CMP(frm, "frm");
	bad |= cmp_mem(fx, 0, LOW_SIZE, r);
	bad |= cmp_mem(fx, ALIAS_PA, 4096, r);
	bad |= cmp_mem(fx, fx->s->va, fx->s->len, r);
	return bad;
}

/* ---- running ---- */

static uint64_t mmio_value(uint64_t addr)
{
	uint64_t z = addr * 0x9e3779b97f4a7c15ull;
	return z ^ (z >> 29);
}

static int block_of(const struct stream *s, uint64_t pc)
{
	for (unsigned i = 0; i < s->nblocks; i++)
		if (pc >= s->va + s->blocks[i].start &&
		    pc < s->va + s->blocks[i].end)
			return (int)i;
	return -1;
}

enum run_result { RUN_OK, RUN_DIFF, RUN_STUCK };

/* Run both harts in lockstep until the stream ends (or, when `only` >= 0,
 * until block `only` ends or traps). Snapshots each block start when
 * `snaps` is set. */
static enum run_result run(struct fx *fx, int only, bool snaps,
			   struct report *r)
{
	struct stream *s = fx->s;
	unsigned limit = 40 * MAX_BLOCKS + 4 * s->nrecs;

	for (unsigned iter = 0; iter < limit; iter++) {
		enum exit_reason ra, rb;
		/* a kick (EXIT_REQUEST) is invisible to the guest: go on */
		while ((ra = hart_run(fx->m[0].h)) == EXIT_REQUEST)
			fx->n_kicks++;
		rb = hart_run(fx->m[1].h);
		struct hart *h = fx->m[1].h;

		if (only < 0)
			fx->n_exits[rb]++;
		if (differ(fx, ra, rb, r))
			return RUN_DIFF;
		switch (rb) {
		case EXIT_MMIO: {
			uint64_t addr = h->exit.mmio.addr;
			bool ok = (addr & 0xf00) != 0xf00;
			for (int i = 0; i < 2; i++)
				hart_complete_mmio(fx->m[i].h, mmio_value(addr),
						   ok);
			break;
		}
		case EXIT_WFI:
			for (int i = 0; i < 2; i++)
				hart_complete_wfi(fx->m[i].h);
			break;
		case EXIT_WATCH: {
			int bi;
			uint64_t wa = h->exit.watch_addr;
			if (wa == 8 && h->pc == HANDLER + 4) { /* a trap */
				bi = block_of(s, h->mepc);
				if (bi < 0) {
					rep(r,
					    "  trap from outside the "
					    "stream: mepc 0x%llx mcause "
					    "%llu\n",
					    (unsigned long long)h->mepc,
					    (unsigned long long)h->mcause);
					return RUN_STUCK;
				}
				if (only < 0) {
					fx->n_traps++;
					fx->n_cause[h->mcause & 15]++;
				}
				if (only >= 0 || (unsigned)bi + 1 == s->nblocks)
					return RUN_OK;
				for (int i = 0; i < 2; i++)
					fx->m[i].h->mepc =
						s->va + s->blocks[bi + 1].start;
			} else if (wa == 0) { /* a terminator */
				bi = block_of(s, h->pc - 4);
				if (bi >= 0 && only == bi)
					return RUN_OK; /* (perhaps cut short) */
				if (bi < 0 ||
				    h->pc != s->va + s->blocks[bi].end) {
					rep(r,
					    "  terminator out of place: pc "
					    "0x%llx\n",
					    (unsigned long long)h->pc);
					return RUN_STUCK;
				}
				if (only < 0)
					fx->n_blocks++;
				if ((unsigned)bi + 1 == s->nblocks)
					return RUN_OK;
			} else {
				/* the stream stored to the watched page */
				break;
			}
			fx->cur_block = (unsigned)bi + 1;
			if (snaps)
				take_snap(fx);
			break;
		}
		default:
			rep(r, "  unexpected exit %s\n", exit_reason_names[rb]);
			return RUN_STUCK;
		}
	}
	rep(r, "  no end after %u exits\n", limit);
	return RUN_STUCK;
}

static void print_insn(const struct stream *s, const struct rec *rc,
		       const char *mark)
{
	struct insn in;

	insn_decode(&in, rc->raw);
	fprintf(stderr,
		"    %08llx: %0*x  %-10s rd=x%u rs1=x%u rs2=x%u imm=%d%s\n",
		(unsigned long long)(s->va + rc->off), rc->len == 2 ? 4 : 8,
		rc->raw, insn_op_names[in.op], in.rd == 32 ? 0 : in.rd, in.rs1,
		in.rs2, in.imm, mark);
}

static void print_block(const struct stream *s, unsigned bi, int mark)
{
	const struct block *b = &s->blocks[bi];

	fprintf(stderr, "  block %u (%u instructions, 0x%llx..0x%llx):\n", bi,
		b->n, (unsigned long long)(s->va + b->start),
		(unsigned long long)(s->va + b->end));
	for (unsigned i = 0; i < b->n; i++)
		print_insn(s, &s->recs[b->first + i],
			   (int)i == mark ? "   <== last before divergence"
					  : "");
}

/* Replay block bi from its snapshot with recs k.. replaced by terminators
 * (c.nop for 2-byte slots), for k = 1, 2, ...: the first k whose run
 * differs names recs[k-1]. Returns that index within the block, or -1. */
static int bisect(struct fx *fx, unsigned bi, struct report *out)
{
	struct stream *s = fx->s;
	const struct block *b = &s->blocks[bi];
	uint8_t *code = malloc(CODE_SPAN);

	assert_non_null(code);
	for (unsigned k = 1; k <= b->n; k++) {
		struct report r = {.n = 0};
		memcpy(code, fx->snap->code, s->len);
		for (unsigned j = k; j + 1 < b->n; j++) {
			const struct rec *rc = &s->recs[b->first + j];
			uint32_t t = rc->len == 2 ? C_NOP : TERMINATOR;
			for (unsigned i = 0; i < rc->len; i++)
				code[rc->off + i] = (uint8_t)(t >> (8 * i));
		}
		for (int i = 0; i < 2; i++)
			restore_snap(fx, &fx->m[i], code);
		if (run(fx, (int)bi, false, &r) == RUN_DIFF) {
			*out = r;
			free(code);
			return (int)k - 1;
		}
	}
	free(code);
	return -1;
}

static void fail_stream(struct fx *fx, const struct focus *fo, struct report *r,
			enum run_result why)
{
	struct stream *s = fx->s;
	unsigned bi = fx->cur_block < s->nblocks ? fx->cur_block : 0;

	fprintf(stderr,
		"\njit_diff: %s: seed 0x%llx (%s-mode, %u blocks) %s in "
		"block %u; reproduce with JIT_DIFF_SEED=0x%llx\n",
		fo->name, (unsigned long long)s->seed, mode_names[s->mode],
		s->nblocks,
		why == RUN_DIFF ? "JIT and interpreter differ"
				: "stream did not finish",
		bi, (unsigned long long)s->seed);
	fprintf(stderr, "%s", r->buf);
	if (why == RUN_DIFF) {
		struct report br = {.n = 0};
		int k = bisect(fx, bi, &br);
		if (k >= 0) {
			fprintf(stderr,
				"  replayed from the block's start, the harts "
				"first differ after instruction %d:\n",
				k);
			print_insn(s, &s->recs[s->blocks[bi].first + k], "");
			fprintf(stderr, "%s", br.buf);
		} else {
			fprintf(stderr, "  (replaying the block alone does "
					"not reproduce it: it depends on "
					"earlier translations)\n");
		}
		print_block(s, bi, k);
	} else {
		print_block(s, bi, -1);
	}
	fail_msg("jit_diff %s: seed 0x%llx", fo->name,
		 (unsigned long long)s->seed);
}

/* ---- kicks from another thread ---- */

static void *kick_loop(void *arg)
{
	struct kicker *k = arg;
	struct gen g = {.rng = k->seed};

	while (!atomic_load(&k->stop)) {
		hart_kick(k->h);
		/* a few microseconds: many kicks per stream, at varying
		 * points of the translated code */
		for (unsigned i = below(&g, 2000); i; i--)
			__asm__ volatile("" ::: "memory");
		if (chance(&g, 10))
			usleep(1);
	}
	return NULL;
}

static void stop_kicks(struct fx *fx)
{
	if (!fx->kick.running)
		return;
	atomic_store(&fx->kick.stop, true);
	pthread_join(fx->kick.thread, NULL);
	fx->kick.running = false;
	/* a kick may still be pending: consume it */
	atomic_fetch_and(&fx->m[0].h->events, ~(uint32_t)EV_KICK);
}

static char alarm_msg[160];

static void on_alarm(int sig)
{
	(void)sig;
	ssize_t w = write(2, alarm_msg, strlen(alarm_msg));
	(void)w;
	_exit(3);
}

/* Make the JIT hart's translator keep 10 random guest registers in host
 * registers. The JIT learns its register assignment at budget exits: each
 * samples the running block's register uses, and every 2048 samples a
 * clearly better set replaces the current one (everything is translated
 * again). A run with no budget left leaves at the first block entry having
 * retired nothing, so calling jit_run() with h->jit_budget = 0 on a block
 * of additions among the chosen registers samples that block without
 * changing any architectural state. */
static void prime_remap(struct fx *fx, uint64_t seed)
{
	struct hart *h = fx->m[0].h;
	struct gen g = {.s = fx->s, .rng = seed ^ 0x5eed};
	uint8_t regs[JIT_PINS];
	uint32_t code[25];
	unsigned n = 0;
	uint64_t before = jit_get_stats(h->jit)->remaps;

	while (n < JIT_PINS) {
		uint8_t r = (uint8_t)(1 + below(&g, 31));
		bool dup = false;
		for (unsigned i = 0; i < n; i++)
			dup |= regs[i] == r;
		if (!dup)
			regs[n++] = r;
	}
	for (unsigned i = 0; i < 24; i++) {
		unsigned rd = regs[below(&g, JIT_PINS)];
		unsigned rs1 = regs[below(&g, JIT_PINS)];
		unsigned rs2 = regs[below(&g, JIT_PINS)];
		code[i] = enc_r(0x33, 0, 0, rd, rs1, rs2); /* add */
	}
	code[24] = enc_j(0, -96); /* back to the start */
	both_write(fx, PRIME, code, sizeof(code));

	uint64_t pc = h->pc;
	enum priv priv = h->priv;
	h->priv = PRV_M;
	mmu_update_index(h);
	hart_set_current(h);
	hart_process_code_invalidations(h);
	/* no interrupt is enabled: a pending EV_IRQ check is moot, and any
	 * event would make translated code leave before its budget check */
	atomic_store(&h->events, 0);
	for (unsigned i = 0; i < 3 * 2048; i++) {
		h->pc = PRIME;
		h->jit_budget = 0;
		enum jit_exit why = jit_run(h);
		assert_int_equal(why, JIT_EXIT_BUDGET);
		assert_int_equal(h->pc, PRIME);
		if (jit_get_stats(h->jit)->remaps != before)
			break;
	}
	h->pc = pc;
	h->priv = priv;
	mmu_update_index(h);
	fx->n_remaps += jit_get_stats(h->jit)->remaps - before;
}

static void run_one(struct fx *fx, const struct focus *fo, uint64_t seed)
{
	struct report r = {.n = 0};
	enum run_result res;

	gen_stream(fx->s, fo, seed);
	for (int i = 0; i < 2; i++)
		load_stream(fx, &fx->m[i]);
	if (fo->remap)
		prime_remap(fx, seed);
	snprintf(alarm_msg, sizeof(alarm_msg),
		 "\njit_diff: %s: seed 0x%llx hangs (a hart never exits)\n",
		 fo->name, (unsigned long long)seed);
	alarm(60);
	fx->cur_block = 0;
	/* the snapshot of block 0: the state at the handler's mret */
	take_snap(fx);
	res = run(fx, -1, true, &r);
	alarm(0);
	if (res != RUN_OK)
		fail_stream(fx, fo, &r, res);
	fx->n_streams++;
	fx->n_insns += fx->s->nrecs;
	fx->n_executed += fx->m[1].h->executed;
}

static void run_focus(void **state, const struct focus *fo)
{
	struct fx *fx = *state;
	const char *env = getenv("JIT_DIFF_SEED");
	const char *scale = getenv("JIT_DIFF_SCALE");
	unsigned n = fo->streams * (scale ? (unsigned)atoi(scale) : 1);

	if (!have_jit) {
		print_message("no JIT on this host (jit_new() returned NULL): "
			      "skipping the JIT/interpreter comparison\n");
		skip();
	}
	fx->snap = calloc(1, sizeof(*fx->snap));
	assert_non_null(fx->snap);
	signal(SIGALRM, on_alarm);
	if (fo->kicks) {
		fx->kick.h = fx->m[0].h;
		fx->kick.seed = fo->test_id;
		atomic_store(&fx->kick.stop, false);
		assert_int_equal(pthread_create(&fx->kick.thread, NULL,
						kick_loop, &fx->kick),
				 0);
		fx->kick.running = true;
	}
	if (env) {
		uint64_t seed = strtoull(env, NULL, 0);
		if ((seed >> 32) != fo->test_id)
			return; /* another test's seed */
		run_one(fx, fo, seed);
	} else {
		for (unsigned i = 0; i < n; i++)
			run_one(fx, fo, (uint64_t)fo->test_id << 32 | i);
	}
	stop_kicks(fx);

	const struct jit_stats *js = jit_get_stats(fx->m[0].h->jit);
	if (getenv("JIT_DIFF_VERBOSE")) {
		print_message(
			"%s: %llu streams, %llu blocks, %llu instructions "
			"(%llu executed), %llu traps, exits mmio %llu wfi %llu "
			"watch %llu, kicks %llu, register remaps %llu\n",
			fo->name, (unsigned long long)fx->n_streams,
			(unsigned long long)fx->n_blocks,
			(unsigned long long)fx->n_insns,
			(unsigned long long)fx->n_executed,
			(unsigned long long)fx->n_traps,
			(unsigned long long)fx->n_exits[EXIT_MMIO],
			(unsigned long long)fx->n_exits[EXIT_WFI],
			(unsigned long long)fx->n_exits[EXIT_WATCH],
			(unsigned long long)fx->n_kicks,
			(unsigned long long)fx->n_remaps);
		print_message("  JIT: %llu blocks (%llu insns), %llu chains, "
			      "%llu pages invalidated, %llu flushes; exits by "
			      "reason:",
			      (unsigned long long)js->blocks,
			      (unsigned long long)js->insns,
			      (unsigned long long)js->chains,
			      (unsigned long long)js->inval_pages,
			      (unsigned long long)js->flushes);
		for (size_t i = 0; i < sizeof(js->exits) / sizeof(js->exits[0]);
		     i++)
			print_message(" %llu",
				      (unsigned long long)js->exits[i]);
		print_message("\n  trap causes:");
		for (int i = 0; i < 16; i++)
			if (fx->n_cause[i])
				print_message(
					" %d:%llu", i,
					(unsigned long long)fx->n_cause[i]);
		print_message("\n");
	}
	if (fo->remap && fx->n_streams >= 4 && fx->n_remaps == 0) {
		print_message("%s: the JIT never changed its host registers "
			      "(did the remap heuristic change?)\n",
			      fo->name);
		fail();
	}
	/* the comparison means nothing if translated code never ran */
	if (fx->n_streams >= 4) {
		assert_true(js->blocks > 0);
		assert_true(js->chains > 0 || fo->w_loop + fo->w_branch == 0);
	}
}

#endif /* RVISOR_TESTS_JIT_DIFF_MACHINE_H */
