// SPDX-License-Identifier: MIT
/* test_sbi.c - the SBI layer against real harts and guest RAM, with fake
 * machine ops that record what the SBI layer asked for.
 *
 * Each test gets NHARTS fresh harts in S-mode (as the VMM runs a guest
 * kernel), 16 MiB of RAM at 0x80000000, and pc at an "ecall" address, then
 * sets a0-a7, calls sbi_handle() and checks a0/a1, pc and the records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/csr.h"
#include "cpu/mmu.h"
#include "cpu/trap.h"
#include "sbi/sbi.h"

#define NHARTS	 4
#define RAM_BASE 0x80000000ull
#define RAM_SIZE (16ull << 20)
#define RAM_END	 (RAM_BASE + RAM_SIZE)
#define ECALL_PC 0x80000100ull
#define STVEC	 0x80004000ull
#define BUF_GPA	 0x80100000ull

/* ---- fake machine ---- */

struct fence_rec {
	unsigned hart;
	enum sbi_fence_kind kind;
	uint64_t start, size, asid;
};

struct fake {
	unsigned ipis[NHARTS];
	unsigned nipis;
	struct fence_rec fences[64];
	unsigned nfences;
	unsigned nstarts;
	unsigned start_hart;
	uint64_t start_addr, start_opaque;
	unsigned nstops, stop_hart;
	unsigned nresets;
	enum sbi_reset_type reset_type;
	uint32_t reset_reason;
	uint8_t out[512];
	size_t nout;
	const char *in; /* console input, consumed */
	unsigned nidle;
	int idle_state; /* HSM state of the idling hart, seen from inside */
};

static struct guest_mem mem;
static struct vclock clk;
static struct hart hart_objs[NHARTS];
static struct hart *harts[NHARTS];
static struct sbi sbi;
static struct fake fk;

static void f_hart_start(void *m, unsigned id, uint64_t addr, uint64_t opq)
{
	(void)m;
	fk.nstarts++;
	fk.start_hart = id;
	fk.start_addr = addr;
	fk.start_opaque = opq;
}

static void f_hart_stop(void *m, unsigned id)
{
	(void)m;
	fk.nstops++;
	fk.stop_hart = id;
}

static void f_send_ipi(void *m, unsigned id)
{
	(void)m;
	fk.ipis[id]++;
	fk.nipis++;
}

static void f_remote_fence(void *m, unsigned id, enum sbi_fence_kind kind,
			   uint64_t start, uint64_t size, uint64_t asid)
{
	(void)m;
	assert_true(fk.nfences < 64);
	fk.fences[fk.nfences++] =
		(struct fence_rec){id, kind, start, size, asid};
}

static void f_system_reset(void *m, enum sbi_reset_type type, uint32_t reason)
{
	(void)m;
	fk.nresets++;
	fk.reset_type = type;
	fk.reset_reason = reason;
}

static void f_console_write(void *m, const uint8_t *buf, uint64_t len)
{
	(void)m;
	assert_true(fk.nout + len <= sizeof(fk.out));
	memcpy(fk.out + fk.nout, buf, len);
	fk.nout += len;
}

static int f_console_read(void *m)
{
	(void)m;
	if (!fk.in || !*fk.in)
		return -1;
	return (uint8_t)*fk.in++;
}

/* "sleeps" until the wake-up condition: an IPI arrives */
static void f_hart_idle(void *m, unsigned id)
{
	(void)m;
	fk.nidle++;
	fk.idle_state = atomic_load(&sbi.hsm_state[id]);
	hart_set_pending(harts[id], MIP_SSIP);
}

static const struct sbi_host_ops fake_ops = {
	.hart_start = f_hart_start,
	.hart_stop = f_hart_stop,
	.send_ipi = f_send_ipi,
	.remote_fence = f_remote_fence,
	.system_reset = f_system_reset,
	.console_write = f_console_write,
	.console_read = f_console_read,
	.hart_idle = f_hart_idle,
};

static const struct sbi_host_ops no_ops; /* a machine that offers nothing */

static int setup(void **state)
{
	(void)state;
	memset(&fk, 0, sizeof(fk));
	assert_int_equal(gmem_init(&mem), 0);
	assert_int_equal(gmem_add_ram(&mem, RAM_BASE, RAM_SIZE), 0);
	vclock_init(&clk);
	for (unsigned i = 0; i < NHARTS; i++) {
		struct hart *h = &hart_objs[i];
		assert_int_equal(hart_init(h, i, &mem, &clk), 0);
		h->sbi_in_vmm = true;
		/* what the machine gives an S-mode guest: traps delegated */
		h->medeleg = (1u << CAUSE_LOAD_ACCESS) |
			     (1u << CAUSE_LOAD_PAGE_FAULT);
		h->mideleg = MIP_SSIP | MIP_STIP | MIP_SEIP;
		h->stvec = STVEC;
		/* and a PMP entry opening all memory to S-mode, as OpenSBI
		 * leaves it (with none, S-mode may touch nothing) */
		assert_true(hart_csr_write(h, CSR_PMPADDR0, ~0ull >> 10));
		assert_true(
			hart_csr_write(h, CSR_PMPCFG0, 0x1f)); /* NAPOT RWX */
		hart_set_priv(h, PRV_S);
		h->pc = ECALL_PC;
		harts[i] = h;
	}
	sbi_init(&sbi, &fake_ops, NULL, harts, NHARTS, &mem);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NHARTS; i++)
		hart_destroy(&hart_objs[i]);
	gmem_destroy(&mem);
	return 0;
}

/* one ecall: a7 = eid, a6 = fid, a0-a4 */
static void call(struct hart *h, uint64_t eid, uint64_t fid, uint64_t a0,
		 uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	h->pc = ECALL_PC;
	h->x[17] = eid;
	h->x[16] = fid;
	h->x[10] = a0;
	h->x[11] = a1;
	h->x[12] = a2;
	h->x[13] = a3;
	h->x[14] = a4;
	sbi_handle(&sbi, h);
}

#define H0     harts[0]
#define ERR(h) ((int64_t)(h)->x[10])
#define VAL(h) ((h)->x[11])

static void expect(struct hart *h, int64_t err, uint64_t val)
{
	assert_int_equal(ERR(h), err);
	assert_int_equal(VAL(h), val);
	assert_int_equal(h->pc, ECALL_PC + 4); /* completed */
}

static void expect_err(struct hart *h, int64_t err)
{
	assert_int_equal(ERR(h), err);
	assert_int_equal(h->pc, ECALL_PC + 4);
}

static uint64_t calls(enum sbi_ext_slot slot)
{
	return atomic_load(&sbi.calls[slot]);
}

/* ---- dispatch ---- */

static void test_unknown_eid(void **state)
{
	(void)state;
	static const uint64_t eids[] = {
		0x09,
		0x0f,
		0x11,
		0xb000000,
		0x08000000,
		0x0A007276,
		(1ull << 32) | SBI_EXT_BASE, /* stray upper bits */
		0x535345 /* SSE: v3.0, not here */,
	};
	for (size_t i = 0; i < sizeof(eids) / sizeof(eids[0]); i++) {
		H0->x[11] = 0x1234;
		call(H0, eids[i], 0, 0, 0, 0, 0, 0);
		expect(H0, SBI_ERR_NOT_SUPPORTED, 0);
	}
	assert_int_equal(calls(SBI_SLOT_UNKNOWN),
			 sizeof(eids) / sizeof(eids[0]));
}

static void test_unknown_fid(void **state)
{
	(void)state;
	static const struct {
		uint64_t eid, fid;
		enum sbi_ext_slot slot;
	} c[] = {
		{SBI_EXT_BASE, 7, SBI_SLOT_BASE},
		{SBI_EXT_BASE, 1ull << 32, SBI_SLOT_BASE},
		{SBI_EXT_TIME, 1, SBI_SLOT_TIME},
		{SBI_EXT_IPI, 1, SBI_SLOT_IPI},
		{SBI_EXT_RFENCE, 7, SBI_SLOT_RFENCE},
		{SBI_EXT_HSM, 4, SBI_SLOT_HSM},
		{SBI_EXT_SRST, 1, SBI_SLOT_SRST},
		{SBI_EXT_PMU, 8, SBI_SLOT_PMU},
		{SBI_EXT_DBCN, 3, SBI_SLOT_DBCN},
		{SBI_EXT_SUSP, 1, SBI_SLOT_SUSP},
		{SBI_EXT_SUSP, UINT64_MAX, SBI_SLOT_SUSP},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint64_t before = calls(c[i].slot);
		call(H0, c[i].eid, c[i].fid, 0, 0, 0, 0, 0);
		expect(H0, SBI_ERR_NOT_SUPPORTED, 0);
		assert_int_equal(calls(c[i].slot), before + 1);
	}
	assert_int_equal(fk.nresets + fk.nipis + fk.nfences + fk.nidle, 0);
	assert_int_equal(calls(SBI_SLOT_UNKNOWN), 0);
}

/* ---- BASE ---- */

static void test_base(void **state)
{
	(void)state;
	call(H0, SBI_EXT_BASE, 0, 0, 0, 0, 0, 0);
	expect(H0, 0, 0x02000000); /* 2.0: major in 30:24, minor 23:0 */
	call(H0, SBI_EXT_BASE, 1, 0, 0, 0, 0, 0);
	expect(H0, 0, 0x7276);
	call(H0, SBI_EXT_BASE, 2, 0, 0, 0, 0, 0);
	expect(H0, 0, 0x00010000);
	for (uint64_t fid = 4; fid <= 6; fid++) {
		call(H0, SBI_EXT_BASE, fid, 0, 0, 0, 0, 0);
		expect(H0, 0, 0);
	}
	assert_int_equal(calls(SBI_SLOT_BASE), 6);
}

static void test_probe(void **state)
{
	(void)state;
	static const uint64_t known[] = {
		0x00,		0x01,	      0x02,	    0x03,
		0x04,		0x05,	      0x06,	    0x07,
		0x08,		SBI_EXT_BASE, SBI_EXT_TIME, SBI_EXT_IPI,
		SBI_EXT_RFENCE, SBI_EXT_HSM,  SBI_EXT_SRST, SBI_EXT_PMU,
		SBI_EXT_DBCN,	SBI_EXT_SUSP,
	};
	static const uint64_t unknown[] = {
		0x09,
		0x0f,
		0xb000000,
		0x43505043 /* CPPC */,
		0x4E41434C /* NACL */,
		0x535441 /* STA */,
		0x46574654 /* FWFT */,
		(1ull << 32) | SBI_EXT_TIME,
		UINT64_MAX,
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		call(H0, SBI_EXT_BASE, 3, known[i], 0, 0, 0, 0);
		expect(H0, 0, 1);
	}
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		call(H0, SBI_EXT_BASE, 3, unknown[i], 0, 0, 0, 0);
		expect(H0, 0, 0);
	}
}

/* extensions that need machine ops vanish without them */
static void test_probe_without_ops(void **state)
{
	(void)state;
	sbi_init(&sbi, &no_ops, NULL, harts, NHARTS, &mem);
	static const uint64_t gone[] = {SBI_EXT_IPI, SBI_EXT_RFENCE,
					SBI_EXT_HSM, SBI_EXT_SRST,
					SBI_EXT_DBCN};
	static const uint64_t there[] = {0x00,	       0x04,
					 SBI_EXT_BASE, SBI_EXT_TIME,
					 SBI_EXT_PMU,  SBI_EXT_SUSP};
	for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++) {
		call(H0, SBI_EXT_BASE, 3, gone[i], 0, 0, 0, 0);
		expect(H0, 0, 0);
		call(H0, gone[i], 0, 0, 0, 0, 0, 0);
		expect(H0, SBI_ERR_NOT_SUPPORTED, 0);
	}
	for (size_t i = 0; i < sizeof(there) / sizeof(there[0]); i++) {
		call(H0, SBI_EXT_BASE, 3, there[i], 0, 0, 0, 0);
		expect(H0, 0, 1);
	}
	/* legacy functions whose op is missing say so in a0 */
	call(H0, SBI_LEGACY_SEND_IPI, 0, 0, 0x55, 0, 0, 0);
	expect(H0, SBI_ERR_NOT_SUPPORTED, 0x55);
	call(H0, SBI_LEGACY_REMOTE_FENCE_I, 0, 0, 0x55, 0, 0, 0);
	expect(H0, SBI_ERR_NOT_SUPPORTED, 0x55);
	call(H0, SBI_LEGACY_SHUTDOWN, 0, 0, 0x55, 0, 0, 0);
	expect(H0, SBI_ERR_NOT_SUPPORTED, 0x55);
	call(H0, SBI_LEGACY_CONSOLE_GETCHAR, 0, 0, 0x55, 0, 0, 0);
	expect(H0, -1, 0x55);
	call(H0, SBI_LEGACY_CONSOLE_PUTCHAR, 0, 'x', 0x55, 0, 0, 0);
	expect(H0, 0, 0x55); /* no console: thrown away */
}

/* ---- TIME ---- */

static void test_time(void **state)
{
	(void)state;
	call(H0, SBI_EXT_TIME, 0, 123456789, 0, 0, 0, 0);
	expect(H0, 0, 0);
	assert_int_equal(H0->stimecmp, 123456789);
	assert_true(H0->stimer_from_sbi);
	/* a past deadline raises STIP; a future one clears it again */
	call(H0, SBI_EXT_TIME, 0, 0, 0, 0, 0, 0);
	assert_true(hart_csr_read(H0, CSR_SIP, &H0->x[5]));
	assert_true(H0->x[5] & MIP_STIP);
	call(H0, SBI_EXT_TIME, 0, UINT64_MAX, 0, 0, 0, 0);
	assert_true(hart_csr_read(H0, CSR_SIP, &H0->x[5]));
	assert_false(H0->x[5] & MIP_STIP);
	assert_int_equal(calls(SBI_SLOT_TIME), 3);
}

/* ---- IPI ---- */

static void test_ipi(void **state)
{
	(void)state;
	call(H0, SBI_EXT_IPI, 0, 0x5, 0, 0, 0, 0);
	expect(H0, 0, 0);
	assert_int_equal(fk.ipis[0], 1);
	assert_int_equal(fk.ipis[2], 1);
	assert_int_equal(fk.nipis, 2);
	/* base shifts the mask */
	call(H0, SBI_EXT_IPI, 0, 0x3, 2, 0, 0, 0);
	expect(H0, 0, 0);
	assert_int_equal(fk.ipis[2], 2);
	assert_int_equal(fk.ipis[3], 1);
	/* base -1: every hart, mask ignored */
	call(H0, SBI_EXT_IPI, 0, 0, UINT64_MAX, 0, 0, 0);
	expect(H0, 0, 0);
	assert_int_equal(fk.nipis, 4 + NHARTS);
	/* no targets: success with any base (kvm-unit-tests) */
	call(H0, SBI_EXT_IPI, 0, 0, 0, 0, 0, 0);
	expect(H0, 0, 0);
	call(H0, SBI_EXT_IPI, 0, 0, 1000, 0, 0, 0);
	expect(H0, 0, 0);
	assert_int_equal(fk.nipis, 4 + NHARTS);
}

static void test_ipi_bad_harts(void **state)
{
	(void)state;
	static const uint64_t bad[][2] = {
		{1ull << NHARTS, 0},	   /* one past the last */
		{0x3, NHARTS - 1},	   /* valid + invalid: none sent */
		{2, NHARTS - 1},	   /* kvm-unit-tests: (2, max) */
		{1, NHARTS},		   /* kvm-unit-tests: (1, max+1) */
		{1ull << 63, 0},	   /* far beyond */
		{0x3, UINT64_MAX - 1},	   /* base + bit wraps to 0 */
		{0x1, UINT64_MAX - 1},	   /* huge base */
		{0xffffffffffffffffull, 0} /* all 64 */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		call(H0, SBI_EXT_IPI, 0, bad[i][0], bad[i][1], 0, 0, 0);
		expect(H0, SBI_ERR_INVALID_PARAM, 0);
	}
	assert_int_equal(fk.nipis, 0);
}

/* ---- RFENCE ---- */

static void test_rfence(void **state)
{
	(void)state;
	call(H0, SBI_EXT_RFENCE, 0, 0x2, 0, 0xdead, 0xbeef, 0);
	expect(H0, 0, 0);
	assert_int_equal(fk.nfences, 1);
	assert_int_equal(fk.fences[0].hart, 1);
	assert_int_equal(fk.fences[0].kind, SBI_FENCE_I);
	assert_int_equal(fk.fences[0].start, 0);

	call(H0, SBI_EXT_RFENCE, 1, 0x1, 1, 0x4000, 0x2000, 0x77);
	expect(H0, 0, 0);
	assert_int_equal(fk.nfences, 2);
	assert_int_equal(fk.fences[1].hart, 1);
	assert_int_equal(fk.fences[1].kind, SBI_FENCE_VMA);
	assert_int_equal(fk.fences[1].start, 0x4000);
	assert_int_equal(fk.fences[1].size, 0x2000);
	assert_int_equal(fk.fences[1].asid, 0);

	/* whole address space, every hart, with ASID */
	call(H0, SBI_EXT_RFENCE, 2, 0, UINT64_MAX, 0, UINT64_MAX, 5);
	expect(H0, 0, 0);
	assert_int_equal(fk.nfences, 2 + NHARTS);
	for (unsigned i = 0; i < NHARTS; i++) {
		struct fence_rec *f = &fk.fences[2 + i];
		assert_int_equal(f->hart, i);
		assert_int_equal(f->kind, SBI_FENCE_VMA_ASID);
		assert_int_equal(f->size, UINT64_MAX);
		assert_int_equal(f->asid, 5);
	}
}

static void test_rfence_errors(void **state)
{
	(void)state;
	for (uint64_t fid = 0; fid <= 2; fid++) {
		call(H0, SBI_EXT_RFENCE, fid, 0x3, NHARTS - 1, 0, 0, 0);
		expect(H0, SBI_ERR_INVALID_PARAM, 0);
		call(H0, SBI_EXT_RFENCE, fid, 1, NHARTS, 0, 0, 0);
		expect(H0, SBI_ERR_INVALID_PARAM, 0);
	}
	/* hypervisor fences: no H extension */
	for (uint64_t fid = 3; fid <= 6; fid++) {
		call(H0, SBI_EXT_RFENCE, fid, 1, 0, 0, 0, 0);
		expect(H0, SBI_ERR_NOT_SUPPORTED, 0);
	}
	assert_int_equal(fk.nfences, 0);
}

/* ---- HSM ---- */

static uint64_t status(unsigned id)
{
	call(H0, SBI_EXT_HSM, 2, id, 0, 0, 0, 0);
	assert_int_equal(ERR(H0), 0);
	return VAL(H0);
}

static void test_hsm_status(void **state)
{
	(void)state;
	assert_int_equal(status(0), SBI_HSM_STARTED);
	for (unsigned i = 1; i < NHARTS; i++)
		assert_int_equal(status(i), SBI_HSM_STOPPED);
	call(H0, SBI_EXT_HSM, 2, NHARTS, 0, 0, 0, 0);
	expect_err(H0, SBI_ERR_INVALID_PARAM);
	call(H0, SBI_EXT_HSM, 2, UINT64_MAX, 0, 0, 0, 0);
	expect_err(H0, SBI_ERR_INVALID_PARAM);
}

static void test_hsm_start_stop(void **state)
{
	(void)state;
	call(H0, SBI_EXT_HSM, 0, 1, RAM_BASE + 0x200000, 0x1234, 0, 0);
	expect(H0, 0, 0);
	assert_int_equal(fk.nstarts, 1);
	assert_int_equal(fk.start_hart, 1);
	assert_int_equal(fk.start_addr, RAM_BASE + 0x200000);
	assert_int_equal(fk.start_opaque, 0x1234);
	assert_int_equal(status(1), SBI_HSM_STARTED);

	/* started harts: ALREADY_AVAILABLE, the op is not called again */
	call(H0, SBI_EXT_HSM, 0, 1, RAM_BASE, 0, 0, 0);
	expect_err(H0, SBI_ERR_ALREADY_AVAILABLE);
	call(H0, SBI_EXT_HSM, 0, 0, RAM_BASE, 0, 0, 0);
	expect_err(H0, SBI_ERR_ALREADY_AVAILABLE);
	assert_int_equal(fk.nstarts, 1);

	/* hart 1 stops itself: not completed, the hart will not return */
	struct hart *h1 = harts[1];
	call(h1, SBI_EXT_HSM, 1, 0, 0, 0, 0, 0);
	assert_int_equal(fk.nstops, 1);
	assert_int_equal(fk.stop_hart, 1);
	assert_int_equal(h1->pc, ECALL_PC);
	assert_int_equal(status(1), SBI_HSM_STOPPED);

	/* and can be started again */
	call(H0, SBI_EXT_HSM, 0, 1, RAM_BASE, 7, 0, 0);
	expect(H0, 0, 0);
	assert_int_equal(fk.nstarts, 2);
	assert_int_equal(status(1), SBI_HSM_STARTED);
}

static void test_hsm_start_errors(void **state)
{
	(void)state;
	/* bad hart ids */
	call(H0, SBI_EXT_HSM, 0, NHARTS, RAM_BASE, 0, 0, 0);
	expect_err(H0, SBI_ERR_INVALID_PARAM);
	call(H0, SBI_EXT_HSM, 0, UINT64_MAX, RAM_BASE, 0, 0, 0);
	expect_err(H0, SBI_ERR_INVALID_PARAM);
	/* start addresses that are not RAM, including a last byte that
	 * leaves no room for an instruction */
	static const uint64_t bad[] = {
		0,	 0x1000,      0x10000000, RAM_BASE - 2,
		RAM_END, RAM_END - 1, UINT64_MAX};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		call(H0, SBI_EXT_HSM, 0, 2, bad[i], 0, 0, 0);
		expect_err(H0, SBI_ERR_INVALID_ADDRESS);
	}
	assert_int_equal(fk.nstarts, 0);
	assert_int_equal(status(2), SBI_HSM_STOPPED);
	/* the last two bytes of RAM are a valid entry */
	call(H0, SBI_EXT_HSM, 0, 2, RAM_END - 2, 0, 0, 0);
	expect(H0, 0, 0);
}

/* A new hart may call HSM before its starter has moved it from
 * START_PENDING to STARTED; it must still be able to stop. */
static void test_hsm_stop_while_start_pending(void **state)
{
	(void)state;
	atomic_store(&sbi.hsm_state[3], SBI_HSM_START_PENDING);
	call(harts[3], SBI_EXT_HSM, 1, 0, 0, 0, 0, 0);
	assert_int_equal(fk.nstops, 1);
	assert_int_equal(status(3), SBI_HSM_STOPPED);
	/* a stopped hart cannot stop again (it cannot call at all, but a
	 * confused machine could let it): FAILED */
	call(harts[3], SBI_EXT_HSM, 1, 0, 0, 0, 0, 0);
	expect_err(harts[3], SBI_ERR_FAILED);
	assert_int_equal(fk.nstops, 1);
}

static void test_hsm_suspend_retentive(void **state)
{
	(void)state;
	/* upper bits of the 32-bit type are ignored (kvm-unit-tests) */
	static const uint64_t types[] = {0, 1ull << 63, 0xffffffff00000000};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		atomic_fetch_and(&H0->mip, ~MIP_SSIP);
		call(H0, SBI_EXT_HSM, 3, types[i], 0xbad, 0x77, 0, 0);
		expect(H0, 0, 0);
		assert_int_equal(fk.nidle, i + 1);
		assert_int_equal(fk.idle_state, SBI_HSM_SUSPENDED);
		assert_int_equal(status(0), SBI_HSM_STARTED);
		assert_true(atomic_load(&H0->mip) & MIP_SSIP); /* the waker */
	}
}

static void test_hsm_suspend_non_retentive(void **state)
{
	(void)state;
	struct hart *h = harts[2];
	uint64_t v;

	atomic_store(&sbi.hsm_state[2], SBI_HSM_STARTED);
	/* an MMU and interrupts on, to see them cleared */
	assert_true(hart_csr_write(h, CSR_SATP, (8ull << 60) | 0x80010));
	h->mstatus |= MSTATUS_SIE;
	h->x[5] = 0x5555;
	call(h, SBI_EXT_HSM, 3, (1ull << 40) | 0x80000000, RAM_BASE + 0x3000,
	     0xfeed, 0, 0);
	assert_int_equal(fk.nidle, 1);
	assert_int_equal(fk.idle_state, SBI_HSM_SUSPENDED);
	assert_int_equal(h->pc, RAM_BASE + 0x3000);
	assert_int_equal(h->priv, PRV_S);
	assert_int_equal(h->x[10], 2);
	assert_int_equal(h->x[11], 0xfeed);
	assert_true(hart_csr_read(h, CSR_SATP, &v));
	assert_int_equal(v, 0);
	assert_true(hart_csr_read(h, CSR_SSTATUS, &v));
	assert_false(v & MSTATUS_SIE);
	assert_int_equal(h->x[5], 0x5555);
	assert_int_equal(status(2), SBI_HSM_STARTED);
}

static void test_hsm_suspend_errors(void **state)
{
	(void)state;
	static const uint64_t bad_types[] = {
		1,	    0x0fffffff,
		0x10000000, 0x7fffffff, /* reserved, platform */
		0x80000001, 0x8fffffff,
		0x90000000, 0xffffffff,
	};
	for (size_t i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++) {
		call(H0, SBI_EXT_HSM, 3, bad_types[i], RAM_BASE, 0, 0, 0);
		expect_err(H0, SBI_ERR_INVALID_PARAM);
	}
	call(H0, SBI_EXT_HSM, 3, 0x80000000, 0x1000, 0, 0, 0);
	expect_err(H0, SBI_ERR_INVALID_ADDRESS);
	call(H0, SBI_EXT_HSM, 3, 0x80000000, RAM_END, 0, 0, 0);
	expect_err(H0, SBI_ERR_INVALID_ADDRESS);
	assert_int_equal(fk.nidle, 0);
	assert_int_equal(status(0), SBI_HSM_STARTED);
}

/* ---- SRST ---- */

static void test_srst(void **state)
{
	(void)state;
	static const struct {
		uint64_t type, reason;
		enum sbi_reset_type want;
		uint32_t want_reason;
	} ok[] = {
		{0, 0, SBI_RESET_SHUTDOWN, 0},
		{1, 1, SBI_RESET_COLD, 1},
		{2, 0, SBI_RESET_WARM, 0},
		{0, 0xF0000001, SBI_RESET_SHUTDOWN, 0xF0000001}, /* vendor */
		{(1ull << 32) | 1, (1ull << 40), SBI_RESET_COLD, 0},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		call(H0, SBI_EXT_SRST, 0, ok[i].type, ok[i].reason, 0, 0, 0);
		assert_int_equal(fk.nresets, i + 1);
		assert_int_equal(fk.reset_type, ok[i].want);
		assert_int_equal(fk.reset_reason, ok[i].want_reason);
		assert_int_equal(H0->pc, ECALL_PC); /* does not return */
	}
}

static void test_srst_errors(void **state)
{
	(void)state;
	static const uint64_t bad[][2] = {
		{3, 0}, {0xEFFFFFFF, 0}, {0xF0000000, 0}, {0xFFFFFFFF, 0},
		{0, 2}, {0, 0xDFFFFFFF}, {0, 0xE0000000}, {1, 0xEFFFFFFF},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		call(H0, SBI_EXT_SRST, 0, bad[i][0], bad[i][1], 0, 0, 0);
		expect(H0, SBI_ERR_INVALID_PARAM, 0);
	}
	assert_int_equal(fk.nresets, 0);
}

/* ---- DBCN ---- */

static void test_dbcn_write(void **state)
{
	(void)state;
	assert_true(gmem_write(&mem, BUF_GPA, "hello", 5));
	call(H0, SBI_EXT_DBCN, 0, 5, BUF_GPA, 0, 0, 0);
	expect(H0, 0, 5);
	assert_int_equal(fk.nout, 5);
	assert_memory_equal(fk.out, "hello", 5);
	/* a buffer ending exactly at the end of RAM */
	assert_true(gmem_write(&mem, RAM_END - 3, "xyz", 3));
	call(H0, SBI_EXT_DBCN, 0, 3, RAM_END - 3, 0, 0, 0);
	expect(H0, 0, 3);
	assert_memory_equal(fk.out + 5, "xyz", 3);
	/* nothing to write */
	call(H0, SBI_EXT_DBCN, 0, 0, BUF_GPA, 0, 0, 0);
	expect(H0, 0, 0);
	/* write_byte: only the low byte (kvm-unit-tests) */
	call(H0, SBI_EXT_DBCN, 2, 0x64636261, 0, 0, 0, 0);
	expect(H0, 0, 0);
	assert_int_equal(fk.nout, 9);
	assert_int_equal(fk.out[8], 'a');
}

static void test_dbcn_bad_buffers(void **state)
{
	(void)state;
	static const uint64_t bad[][3] = {
		{1, 0x1000, 0},			  /* not RAM */
		{1, 0x10000000, 0},		  /* MMIO */
		{1, RAM_END, 0},		  /* just past RAM */
		{4, RAM_END - 2, 0},		  /* runs off the end */
		{2, RAM_BASE - 1, 0},		  /* starts before RAM */
		{RAM_SIZE + 1, RAM_BASE, 0},	  /* larger than RAM */
		{UINT64_MAX, RAM_BASE, 0},	  /* length wraps */
		{16, UINT64_MAX - 2, 0},	  /* base + len wraps */
		{0x80000010, RAM_BASE + 0x10, 0}, /* far past RAM */
		{5, BUF_GPA, 1},		  /* base_hi set on rv64 */
		{0, BUF_GPA, 1},
	};
	fk.in = "zz";
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (uint64_t fid = 0; fid <= 1; fid++) {
			call(H0, SBI_EXT_DBCN, fid, bad[i][0], bad[i][1],
			     bad[i][2], 0, 0);
			expect(H0, SBI_ERR_INVALID_PARAM, 0);
		}
	}
	assert_int_equal(fk.nout, 0);
	assert_string_equal(fk.in, "zz"); /* nothing consumed */
}

/* RAM that PMP closes to S-mode is not a valid buffer either */
static void test_dbcn_pmp(void **state)
{
	(void)state;
	hart_set_priv(H0, PRV_M);
	/* entry 0: TOR [0, BUF_GPA) no access; entry 1 still all RWX */
	assert_true(hart_csr_write(H0, CSR_PMPADDR0 + 1, ~0ull >> 10));
	assert_true(hart_csr_write(H0, CSR_PMPADDR0, BUF_GPA >> 2));
	assert_true(hart_csr_write(H0, CSR_PMPCFG0, 0x1f08));
	hart_set_priv(H0, PRV_S);
	call(H0, SBI_EXT_DBCN, 0, 4, BUF_GPA - 0x100, 0, 0, 0);
	expect(H0, SBI_ERR_INVALID_PARAM, 0);
	call(H0, SBI_EXT_DBCN, 0, 4, BUF_GPA - 2, 0, 0, 0); /* straddles */
	expect(H0, SBI_ERR_INVALID_PARAM, 0);
	call(H0, SBI_EXT_DBCN, 1, 4, BUF_GPA - 0x100, 0, 0, 0);
	expect(H0, SBI_ERR_INVALID_PARAM, 0);
	call(H0, SBI_EXT_DBCN, 0, 4, BUF_GPA, 0, 0, 0);
	expect(H0, 0, 4);
	assert_int_equal(fk.nout, 4);
}

static void test_dbcn_read(void **state)
{
	(void)state;
	char big[101];
	uint8_t got[128];

	fk.in = "abc";
	call(H0, SBI_EXT_DBCN, 1, 2, BUF_GPA, 0, 0, 0);
	expect(H0, 0, 2);
	assert_true(gmem_read(&mem, BUF_GPA, got, 2));
	assert_memory_equal(got, "ab", 2);
	call(H0, SBI_EXT_DBCN, 1, 10, BUF_GPA + 0x100, 0, 0, 0);
	expect(H0, 0, 1);
	assert_true(gmem_read(&mem, BUF_GPA + 0x100, got, 1));
	assert_int_equal(got[0], 'c');
	call(H0, SBI_EXT_DBCN, 1, 10, BUF_GPA, 0, 0, 0);
	expect(H0, 0, 0); /* non-blocking: nothing there */
	/* more than one internal chunk */
	memset(big, 'q', 100);
	big[99] = 'e';
	big[100] = 0;
	fk.in = big;
	call(H0, SBI_EXT_DBCN, 1, 100, BUF_GPA, 0, 0, 0);
	expect(H0, 0, 100);
	assert_true(gmem_read(&mem, BUF_GPA, got, 100));
	assert_memory_equal(got, big, 100);
}

/* ---- SUSP ---- */

static void stop_others(void)
{
	for (unsigned i = 1; i < NHARTS; i++)
		atomic_store(&sbi.hsm_state[i], SBI_HSM_STOPPED);
}

static void test_susp(void **state)
{
	(void)state;
	uint64_t v;

	stop_others();
	assert_true(hart_csr_write(H0, CSR_SATP, (8ull << 60) | 0x80010));
	H0->mstatus |= MSTATUS_SIE;
	/* sleep_type upper bits are ignored (kvm-unit-tests) */
	call(H0, SBI_EXT_SUSP, 0, 1ull << 32, RAM_BASE + 0x8000, 0xcafe, 0, 0);
	assert_int_equal(fk.nidle, 1);
	assert_int_equal(fk.idle_state, SBI_HSM_SUSPENDED);
	assert_int_equal(H0->pc, RAM_BASE + 0x8000);
	assert_int_equal(H0->x[10], 0);
	assert_int_equal(H0->x[11], 0xcafe);
	assert_true(hart_csr_read(H0, CSR_SATP, &v));
	assert_int_equal(v, 0);
	assert_false(H0->mstatus & MSTATUS_SIE);
	assert_int_equal(status(0), SBI_HSM_STARTED);
	assert_int_equal(calls(SBI_SLOT_SUSP), 1);
}

static void test_susp_errors(void **state)
{
	(void)state;
	stop_others();
	static const uint64_t bad_types[] = {1, 0x7fffffff, 0x80000000,
					     0xffffffff};
	for (size_t i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++) {
		call(H0, SBI_EXT_SUSP, 0, bad_types[i], RAM_BASE, 0, 0, 0);
		expect_err(H0, SBI_ERR_INVALID_PARAM);
	}
	call(H0, SBI_EXT_SUSP, 0, 0, 0x1000, 0, 0, 0);
	expect_err(H0, SBI_ERR_INVALID_ADDRESS);
	/* entry needs every other hart STOPPED */
	static const int busy[] = {SBI_HSM_STARTED, SBI_HSM_SUSPENDED,
				   SBI_HSM_START_PENDING, SBI_HSM_STOP_PENDING};
	for (size_t i = 0; i < sizeof(busy) / sizeof(busy[0]); i++) {
		atomic_store(&sbi.hsm_state[NHARTS - 1], busy[i]);
		call(H0, SBI_EXT_SUSP, 0, 0, RAM_BASE, 0, 0, 0);
		expect_err(H0, SBI_ERR_DENIED);
	}
	assert_int_equal(fk.nidle, 0);
}

/* without a hart_idle op the hart wakes at once */
static void test_susp_without_idle(void **state)
{
	(void)state;
	static struct sbi_host_ops ops;

	ops = fake_ops;
	ops.hart_idle = NULL;
	sbi_init(&sbi, &ops, NULL, harts, NHARTS, &mem);
	call(H0, SBI_EXT_SUSP, 0, 0, RAM_BASE + 0x40, 9, 0, 0);
	assert_int_equal(H0->pc, RAM_BASE + 0x40);
	assert_int_equal(H0->x[11], 9);
	call(H0, SBI_EXT_HSM, 3, 0, 0, 0, 0, 0);
	expect(H0, 0, 0);
}

/* ---- PMU ---- */

static void test_pmu(void **state)
{
	(void)state;
	call(H0, SBI_EXT_PMU, 0, 0, 0, 0, 0, 0);
	expect(H0, 0, 0); /* no counters */
	for (uint64_t idx = 0; idx < 40; idx += 13) {
		call(H0, SBI_EXT_PMU, 1, idx, 0, 0, 0, 0);
		expect(H0, SBI_ERR_INVALID_PARAM, 0);
		call(H0, SBI_EXT_PMU, 5, idx, 0, 0, 0, 0);
		expect(H0, SBI_ERR_INVALID_PARAM, 0);
		call(H0, SBI_EXT_PMU, 6, idx, 0, 0, 0, 0);
		expect(H0, SBI_ERR_INVALID_PARAM, 0);
	}
	/* every counter set names invalid counters */
	call(H0, SBI_EXT_PMU, 2, 0, 0x7, 0, 0x10001, 0);
	expect(H0, SBI_ERR_INVALID_PARAM, 0);
	call(H0, SBI_EXT_PMU, 3, 0, 0x1, 0, 0, 0);
	expect(H0, SBI_ERR_INVALID_PARAM, 0);
	call(H0, SBI_EXT_PMU, 4, 0, 0x1, 0, 0, 0);
	expect(H0, SBI_ERR_INVALID_PARAM, 0);
	/* snapshot memory: optional, not implemented */
	call(H0, SBI_EXT_PMU, 7, BUF_GPA, 0, 0, 0, 0);
	expect(H0, SBI_ERR_NOT_SUPPORTED, 0);
	assert_int_equal(calls(SBI_SLOT_PMU), 17);
}

/* ---- legacy v0.1 ---- */

static void test_legacy_console(void **state)
{
	(void)state;
	/* a1 is preserved; a6 is ignored */
	H0->x[11] = 0xdeadbeef;
	H0->pc = ECALL_PC;
	H0->x[17] = SBI_LEGACY_CONSOLE_PUTCHAR;
	H0->x[16] = 99;
	H0->x[10] = 0x100 | 'x';
	sbi_handle(&sbi, H0);
	expect(H0, 0, 0xdeadbeef);
	assert_int_equal(fk.nout, 1);
	assert_int_equal(fk.out[0], 'x');

	call(H0, SBI_LEGACY_CONSOLE_GETCHAR, 0, 0, 42, 0, 0, 0);
	expect(H0, -1, 42); /* nothing to read */
	fk.in = "q\xff";
	call(H0, SBI_LEGACY_CONSOLE_GETCHAR, 0, 0, 42, 0, 0, 0);
	expect(H0, 'q', 42);
	call(H0, SBI_LEGACY_CONSOLE_GETCHAR, 0, 0, 42, 0, 0, 0);
	expect(H0, 0xff, 42); /* a byte, not -1 */
	assert_int_equal(calls(SBI_SLOT_LEGACY), 4);
}

static void test_legacy_timer_ipi(void **state)
{
	(void)state;
	call(H0, SBI_LEGACY_SET_TIMER, 0, 4242, 17, 0, 0, 0);
	expect(H0, 0, 17);
	assert_int_equal(H0->stimecmp, 4242);

	hart_set_pending(H0, MIP_SSIP);
	call(H0, SBI_LEGACY_CLEAR_IPI, 0, 0, 17, 0, 0, 0);
	expect(H0, 1, 17); /* one was pending */
	assert_false(atomic_load(&H0->mip) & MIP_SSIP);
	call(H0, SBI_LEGACY_CLEAR_IPI, 0, 0, 17, 0, 0, 0);
	expect(H0, 0, 17);
}

static void put_mask(uint64_t gpa, uint64_t mask)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(mask >> (8 * i)); /* little-endian */
	assert_true(gmem_write(&mem, gpa, b, 8));
}

static void test_legacy_send_ipi(void **state)
{
	(void)state;
	/* MMU off: the pointer is physical */
	put_mask(BUF_GPA, 0x6);
	call(H0, SBI_LEGACY_SEND_IPI, 0, BUF_GPA, 3, 0, 0, 0);
	expect(H0, 0, 3);
	assert_int_equal(fk.nipis, 2);
	assert_int_equal(fk.ipis[1], 1);
	assert_int_equal(fk.ipis[2], 1);
	/* NULL: all harts (as KVM and OpenSBI) */
	call(H0, SBI_LEGACY_SEND_IPI, 0, 0, 3, 0, 0, 0);
	expect(H0, 0, 3);
	assert_int_equal(fk.nipis, 2 + NHARTS);
	/* a misaligned mask straddling two pages */
	put_mask(BUF_GPA + 0xffd, 0x9);
	call(H0, SBI_LEGACY_SEND_IPI, 0, BUF_GPA + 0xffd, 3, 0, 0, 0);
	expect(H0, 0, 3);
	assert_int_equal(fk.ipis[0], 2);
	assert_int_equal(fk.ipis[3], 2);
	/* a hart that does not exist: nothing sent */
	put_mask(BUF_GPA, 0x1 | (1ull << NHARTS));
	call(H0, SBI_LEGACY_SEND_IPI, 0, BUF_GPA, 3, 0, 0, 0);
	expect(H0, SBI_ERR_INVALID_PARAM, 3);
	assert_int_equal(fk.nipis, 4 + NHARTS);
}

static void test_legacy_fences(void **state)
{
	(void)state;
	put_mask(BUF_GPA, 0x2);
	call(H0, SBI_LEGACY_REMOTE_FENCE_I, 0, BUF_GPA, 3, 0, 0, 0);
	expect(H0, 0, 3);
	call(H0, SBI_LEGACY_REMOTE_SFENCE_VMA, 0, BUF_GPA, 0x1000, 0x3000, 0,
	     0);
	expect(H0, 0, 0x1000);
	call(H0, SBI_LEGACY_REMOTE_SFENCE_VMA_ASID, 0, BUF_GPA, 0x1000, 0x3000,
	     9, 0);
	expect(H0, 0, 0x1000);
	assert_int_equal(fk.nfences, 3);
	assert_int_equal(fk.fences[0].kind, SBI_FENCE_I);
	assert_int_equal(fk.fences[1].kind, SBI_FENCE_VMA);
	assert_int_equal(fk.fences[1].start, 0x1000);
	assert_int_equal(fk.fences[1].size, 0x3000);
	assert_int_equal(fk.fences[2].kind, SBI_FENCE_VMA_ASID);
	assert_int_equal(fk.fences[2].asid, 9);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(fk.fences[i].hart, 1);
}

/* Sv39 with one 1 GiB identity leaf for 0x80000000; everything else
 * unmapped. */
static void enable_sv39(struct hart *h)
{
	const uint64_t root = RAM_BASE + 0x10000;
	uint8_t zero[4096] = {0};
	/* PPN of 0x80000000 at PTE bit 10; V R W X A D */
	uint64_t leaf = ((RAM_BASE >> 12) << 10) | 0xcf;

	assert_true(gmem_write(&mem, root, zero, sizeof(zero)));
	assert_true(gmem_write(&mem, root + 2 * 8, &leaf, 8));
	assert_true(hart_csr_write(h, CSR_SATP, (8ull << 60) | (root >> 12)));
}

static void test_legacy_mask_virtual(void **state)
{
	(void)state;
	enable_sv39(H0);
	put_mask(BUF_GPA, 0x8);
	call(H0, SBI_LEGACY_SEND_IPI, 0, BUF_GPA, 3, 0, 0, 0);
	expect(H0, 0, 3);
	assert_int_equal(fk.ipis[3], 1);
}

/* A fault reading the mask goes to the guest with sepc at the ecall. */
static void test_legacy_mask_faults(void **state)
{
	(void)state;
	/* MMU off, pointer outside RAM: load access fault */
	H0->x[10] = 0x1234;
	call(H0, SBI_LEGACY_SEND_IPI, 0, 0x1000, 0x77, 0, 0, 0);
	assert_int_equal(H0->pc, STVEC);
	assert_int_equal(H0->scause, CAUSE_LOAD_ACCESS);
	assert_int_equal(H0->sepc, ECALL_PC);
	assert_int_equal(H0->stval, 0x1000);
	assert_int_equal(H0->x[10], 0x1000); /* registers untouched */
	assert_int_equal(H0->x[11], 0x77);
	/* a mask straddling the end of RAM faults on the second part */
	call(H0, SBI_LEGACY_REMOTE_FENCE_I, 0, RAM_END - 4, 0, 0, 0, 0);
	assert_int_equal(H0->pc, STVEC);
	assert_int_equal(H0->scause, CAUSE_LOAD_ACCESS);
	assert_int_equal(H0->stval, RAM_END);

	/* Sv39, unmapped pointer: load page fault */
	hart_set_priv(H0, PRV_S);
	enable_sv39(H0);
	call(H0, SBI_LEGACY_REMOTE_SFENCE_VMA, 0, 0x40001000, 0, 0, 0, 0);
	assert_int_equal(H0->pc, STVEC);
	assert_int_equal(H0->priv, PRV_S);
	assert_int_equal(H0->scause, CAUSE_LOAD_PAGE_FAULT);
	assert_int_equal(H0->sepc, ECALL_PC);
	assert_int_equal(H0->stval, 0x40001000);
	assert_int_equal(fk.nipis + fk.nfences, 0);
}

static void test_legacy_shutdown(void **state)
{
	(void)state;
	call(H0, SBI_LEGACY_SHUTDOWN, 0, 0, 0, 0, 0, 0);
	assert_int_equal(fk.nresets, 1);
	assert_int_equal(fk.reset_type, SBI_RESET_SHUTDOWN);
	assert_int_equal(H0->pc, ECALL_PC); /* does not return */
}

static void test_hart_enter(void **state)
{
	(void)state;
	struct hart *h = harts[1];

	hart_reset(h, 0); /* as the machine does before hart_start */
	assert_int_equal(h->priv, PRV_M);
	sbi_hart_enter(h, RAM_BASE + 0x200000, 0xabc);
	assert_int_equal(h->priv, PRV_S);
	assert_int_equal(h->pc, RAM_BASE + 0x200000);
	assert_int_equal(h->x[10], 1);
	assert_int_equal(h->x[11], 0xabc);
	assert_int_equal(h->satp, 0);
	assert_false(h->mstatus & MSTATUS_SIE);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_unknown_eid),
		T(test_unknown_fid),
		T(test_base),
		T(test_probe),
		T(test_probe_without_ops),
		T(test_time),
		T(test_ipi),
		T(test_ipi_bad_harts),
		T(test_rfence),
		T(test_rfence_errors),
		T(test_hsm_status),
		T(test_hsm_start_stop),
		T(test_hsm_start_errors),
		T(test_hsm_stop_while_start_pending),
		T(test_hsm_suspend_retentive),
		T(test_hsm_suspend_non_retentive),
		T(test_hsm_suspend_errors),
		T(test_srst),
		T(test_srst_errors),
		T(test_dbcn_write),
		T(test_dbcn_bad_buffers),
		T(test_dbcn_pmp),
		T(test_dbcn_read),
		T(test_susp),
		T(test_susp_errors),
		T(test_susp_without_idle),
		T(test_pmu),
		T(test_legacy_console),
		T(test_legacy_timer_ipi),
		T(test_legacy_send_ipi),
		T(test_legacy_fences),
		T(test_legacy_mask_virtual),
		T(test_legacy_mask_faults),
		T(test_legacy_shutdown),
		T(test_hart_enter),
	};
	return cmocka_run_group_tests_name("sbi", tests, NULL, NULL);
}
