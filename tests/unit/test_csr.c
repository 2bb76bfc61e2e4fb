// SPDX-License-Identifier: MIT
/* test_csr.c - CSR WARL rules and access checks on a real hart, through
 * hart_csr_read/hart_csr_write and csr_access().
 *
 * References are to the RISC-V privileged spec (20211203, v1.12) unless
 * noted: section 3.1 (machine CSRs), 4.1 (supervisor CSRs), 3.7 (PMP),
 * 2.1/2.2 (CSR address conventions), the Sstc extension (stimecmp) and the
 * Zicbo* spec for menvcfg.CBIE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/vclock.h"
#include "cpu/csr.h"
#include "cpu/hart.h"
#include "cpu/mmu.h"
#include "cpu/trap.h"
#include "mem/guest_mem.h"

#define MSTATUS_UXL (3ull << 32)
#define MSTATUS_SXL (3ull << 34)
#define MPP(v)	    (((v) >> 11) & 3)
#define S_IRQS	    (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define ALL_IRQS    (S_IRQS | MIP_MSIP | MIP_MTIP | MIP_MEIP)
#define FS_OFF	    0ull
#define FS_INITIAL  (1ull << 13)
#define FS_CLEAN    (2ull << 13)
#define FS_DIRTY    (3ull << 13)
#define SATP(mode, asid, ppn)                                                  \
	(((uint64_t)(mode) << 60) | ((uint64_t)(asid) << 44) | (uint64_t)(ppn))

struct fixture {
	struct guest_mem mem;
	struct vclock clock;
	struct hart *h;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(gmem_init(&f->mem), 0);
	assert_int_equal(gmem_add_ram(&f->mem, 0x80000000ull, 16 << 20), 0);
	vclock_init(&f->clock);
	f->h = calloc(1, sizeof(*f->h));
	assert_non_null(f->h);
	assert_int_equal(hart_init(f->h, 0, &f->mem, &f->clock), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	hart_destroy(f->h);
	free(f->h);
	gmem_destroy(&f->mem);
	free(f);
	return 0;
}

static struct hart *hart_of(void **state)
{
	return ((struct fixture *)*state)->h;
}

static const char *priv_name(enum priv p)
{
	return p == PRV_M ? "M" : p == PRV_S ? "S" : "U";
}

/* ---- helpers that report the caller's line and the CSR by name ---- */

static uint64_t csr_get_(struct hart *h, unsigned csr, const char *name,
			 const char *file, int line)
{
	uint64_t v = 0xdeadbeef;

	if (!hart_csr_read(h, csr, &v)) {
		print_error("reading %s (0x%03x) in %s-mode was refused\n",
			    name, csr, priv_name(h->priv));
		_fail(file, line);
	}
	return v;
}

static void csr_put_(struct hart *h, unsigned csr, uint64_t v, const char *name,
		     const char *file, int line)
{
	if (!hart_csr_write(h, csr, v)) {
		print_error("writing 0x%llx to %s (0x%03x) in %s-mode was "
			    "refused\n",
			    (unsigned long long)v, name, csr,
			    priv_name(h->priv));
		_fail(file, line);
	}
}

static void csr_expect_(struct hart *h, unsigned csr, uint64_t want,
			const char *name, const char *file, int line)
{
	uint64_t v = csr_get_(h, csr, name, file, line);

	if (v != want) {
		print_error("%s (0x%03x) = 0x%llx, expected 0x%llx\n", name,
			    csr, (unsigned long long)v,
			    (unsigned long long)want);
		_fail(file, line);
	}
}

static void csr_denied_(struct hart *h, unsigned csr, bool write,
			const char *name, const char *file, int line)
{
	uint64_t v = 0;
	bool ok = write ? hart_csr_write(h, csr, 0) : hart_csr_read(h, csr, &v);

	if (ok) {
		print_error("%s of %s (0x%03x) in %s-mode was allowed, must "
			    "raise illegal instruction\n",
			    write ? "write" : "read", name, csr,
			    priv_name(h->priv));
		_fail(file, line);
	}
}

#define RD(csr)	       csr_get_(h, (csr), #csr, __FILE__, __LINE__)
#define WR(csr, v)     csr_put_(h, (csr), (v), #csr, __FILE__, __LINE__)
#define EXPECT(csr, v) csr_expect_(h, (csr), (v), #csr, __FILE__, __LINE__)
#define DENIED_RD(csr) csr_denied_(h, (csr), false, #csr, __FILE__, __LINE__)
#define DENIED_WR(csr) csr_denied_(h, (csr), true, #csr, __FILE__, __LINE__)
#define DENIED(csr)                                                            \
	do {                                                                   \
		DENIED_RD(csr);                                                \
		DENIED_WR(csr);                                                \
	} while (0)

#define EXPECT_BITS(what, got, want)                                           \
	do {                                                                   \
		uint64_t g_ = (got), w_ = (want);                              \
		if (g_ != w_) {                                                \
			print_error("%s: 0x%llx, expected 0x%llx\n", (what),   \
				    (unsigned long long)g_,                    \
				    (unsigned long long)w_);                   \
			fail();                                                \
		}                                                              \
	} while (0)

/* ------------------------------------------------------------------ */

/* 3.1.1: misa is WARL; this hart fixes it to RV64 (MXL=2) IMAFDC + S + U. */
static void test_misa_read_only(void **state)
{
	struct hart *h = hart_of(state);
	uint64_t v = RD(CSR_MISA);

	EXPECT_BITS("misa.MXL", v >> 62, 2);
	for (const char *p = "ACDFIMSU"; *p; p++)
		if (!((v >> (*p - 'A')) & 1)) {
			print_error("misa lacks extension %c\n", *p);
			fail();
		}
	for (const char *p = "EHQV"; *p; p++)
		if ((v >> (*p - 'A')) & 1) {
			print_error("misa claims extension %c\n", *p);
			fail();
		}
	WR(CSR_MISA, 0);
	EXPECT(CSR_MISA, v);
	WR(CSR_MISA, v & ~(1ull << ('C' - 'A')));
	EXPECT(CSR_MISA, v);
	WR(CSR_MISA, 1ull << 62); /* MXL=1 (RV32) */
	EXPECT(CSR_MISA, v);
}

/* 3.1.6.1: MPP is WARL and 2 (H) is not a legal privilege here. */
static void test_mstatus_mpp_warl(void **state)
{
	struct hart *h = hart_of(state);

	WR(CSR_MSTATUS, MSTATUS_MPP); /* MPP=3 */
	EXPECT_BITS("MPP after writing 3", MPP(RD(CSR_MSTATUS)), 3);
	WR(CSR_MSTATUS, 2ull << 11);
	EXPECT_BITS("MPP after writing 2 (was 3)", MPP(RD(CSR_MSTATUS)), 3);
	WR(CSR_MSTATUS, 1ull << 11);
	EXPECT_BITS("MPP after writing 1", MPP(RD(CSR_MSTATUS)), 1);
	WR(CSR_MSTATUS, 2ull << 11);
	EXPECT_BITS("MPP after writing 2 (was 1)", MPP(RD(CSR_MSTATUS)), 1);
	WR(CSR_MSTATUS, 0);
	EXPECT_BITS("MPP after writing 0", MPP(RD(CSR_MSTATUS)), 0);
	/* sstatus cannot reach MPP */
	WR(CSR_SSTATUS, MSTATUS_MPP);
	EXPECT_BITS("MPP after sstatus write", MPP(RD(CSR_MSTATUS)), 0);
}

/* 3.1.6.2: SXL and UXL are read-only 2 (XLEN=64) on this hart. */
static void test_mstatus_xl_fixed(void **state)
{
	struct hart *h = hart_of(state);
	const uint64_t xl = (2ull << 32) | (2ull << 34);

	EXPECT_BITS("mstatus SXL|UXL at reset",
		    RD(CSR_MSTATUS) & (MSTATUS_SXL | MSTATUS_UXL), xl);
	WR(CSR_MSTATUS, 0);
	EXPECT_BITS("mstatus SXL|UXL after writing 0",
		    RD(CSR_MSTATUS) & (MSTATUS_SXL | MSTATUS_UXL), xl);
	WR(CSR_MSTATUS, ~0ull);
	EXPECT_BITS("mstatus SXL|UXL after writing ~0",
		    RD(CSR_MSTATUS) & (MSTATUS_SXL | MSTATUS_UXL), xl);
	WR(CSR_MSTATUS, 1ull << 32 | 1ull << 34);
	EXPECT_BITS("mstatus SXL|UXL after writing 1/1",
		    RD(CSR_MSTATUS) & (MSTATUS_SXL | MSTATUS_UXL), xl);
	/* sstatus shows UXL, never SXL */
	EXPECT_BITS("sstatus UXL|SXL",
		    RD(CSR_SSTATUS) & (MSTATUS_SXL | MSTATUS_UXL), 2ull << 32);
}

/* 3.1.6.6: SD is read-only and set iff FS (or VS/XS) is Dirty. */
static void test_mstatus_sd_tracks_fs(void **state)
{
	struct hart *h = hart_of(state);
	static const uint64_t fs[] = {FS_OFF, FS_INITIAL, FS_CLEAN, FS_DIRTY};

	for (unsigned i = 0; i < 4; i++) {
		WR(CSR_MSTATUS, fs[i]);
		uint64_t m = RD(CSR_MSTATUS), s = RD(CSR_SSTATUS);
		EXPECT_BITS("mstatus.FS", m & MSTATUS_FS, fs[i]);
		EXPECT_BITS("mstatus.SD", m >> 63, i == 3);
		EXPECT_BITS("sstatus.SD", s >> 63, i == 3);
	}
	WR(CSR_MSTATUS, MSTATUS_SD); /* SD itself is not writable */
	EXPECT_BITS("mstatus.SD after writing only SD", RD(CSR_MSTATUS) >> 63,
		    0);
	WR(CSR_SSTATUS, FS_DIRTY);
	EXPECT_BITS("mstatus.SD after sstatus.FS=3", RD(CSR_MSTATUS) >> 63, 1);
}

/* 4.1.1: sstatus is a restricted view of mstatus. */
static void test_sstatus_is_view_of_mstatus(void **state)
{
	struct hart *h = hart_of(state);
	const uint64_t m_only = MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP |
				MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW |
				MSTATUS_TSR;
	const uint64_t s_rw = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP |
			      MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR;

	WR(CSR_MSTATUS, m_only);
	EXPECT_BITS("M-only bits visible in sstatus",
		    RD(CSR_SSTATUS) & (m_only | MSTATUS_SXL), 0);

	/* writes through sstatus land in mstatus and keep the M bits */
	WR(CSR_SSTATUS, ~0ull);
	EXPECT_BITS("mstatus S bits after sstatus=~0", RD(CSR_MSTATUS) & s_rw,
		    s_rw);
	EXPECT_BITS("mstatus M bits after sstatus=~0", RD(CSR_MSTATUS) & m_only,
		    m_only);
	WR(CSR_SSTATUS, 0);
	EXPECT_BITS("mstatus S bits after sstatus=0", RD(CSR_MSTATUS) & s_rw,
		    0);
	EXPECT_BITS("mstatus M bits after sstatus=0", RD(CSR_MSTATUS) & m_only,
		    m_only);

	/* each S bit written in mstatus shows up in sstatus */
	for (unsigned b = 0; b < 64; b++) {
		uint64_t bit = 1ull << b;
		if (!(s_rw & bit))
			continue;
		WR(CSR_MSTATUS, bit);
		if (!(RD(CSR_SSTATUS) & bit)) {
			print_error("mstatus bit %u not visible in sstatus\n",
				    b);
			fail();
		}
	}
}

/* 3.1.7 / 4.1.2: tvec MODE >= 2 is reserved; WARL keeps a legal mode. */
static void test_tvec_mode_legalized(void **state)
{
	struct hart *h = hart_of(state);
	static const unsigned csrs[] = {CSR_MTVEC, CSR_STVEC};
	const uint64_t base = 0x80001200ull;

	for (unsigned i = 0; i < 2; i++) {
		for (unsigned mode = 0; mode < 4; mode++) {
			uint64_t v;
			assert_true(hart_csr_write(h, csrs[i], base | mode));
			assert_true(hart_csr_read(h, csrs[i], &v));
			if ((v & ~3ull) != base || (v & 3) >= 2 ||
			    (mode < 2 && (v & 3) != mode)) {
				print_error("%s: wrote mode %u, read 0x%llx\n",
					    i ? "stvec" : "mtvec", mode,
					    (unsigned long long)v);
				fail();
			}
		}
	}
}

/* 3.1.14 / 4.1.7: with IALIGN=16, epc bit 0 is always zero. */
static void test_epc_bit0_cleared(void **state)
{
	struct hart *h = hart_of(state);

	WR(CSR_MEPC, 0x80000001ull);
	EXPECT(CSR_MEPC, 0x80000000ull);
	WR(CSR_MEPC, 0x80000003ull);
	EXPECT(CSR_MEPC, 0x80000002ull);
	WR(CSR_MEPC, ~0ull);
	EXPECT(CSR_MEPC, ~1ull);
	WR(CSR_SEPC, 0x1235);
	EXPECT(CSR_SEPC, 0x1234);
	WR(CSR_SEPC, ~0ull);
	EXPECT(CSR_SEPC, ~1ull);
}

/* 3.1.8: medeleg bit 11 (ecall from M) is read-only zero. */
static void test_medeleg_mask(void **state)
{
	struct hart *h = hart_of(state);
	/* misaligned/access faults, illegal, breakpoint, ecalls from U/S,
	 * page faults */
	const uint64_t delegable =
		0x3ffull | (1ull << 12) | (1ull << 13) | (1ull << 15);

	WR(CSR_MEDELEG, ~0ull);
	uint64_t v = RD(CSR_MEDELEG);
	EXPECT_BITS("medeleg bit 11 after writing ~0", (v >> 11) & 1, 0);
	EXPECT_BITS("delegable medeleg bits after writing ~0", v & delegable,
		    delegable);
	WR(CSR_MEDELEG, 1ull << 11);
	EXPECT(CSR_MEDELEG, 0);
	WR(CSR_MEDELEG, 0);
	EXPECT(CSR_MEDELEG, 0);
}

/* 3.1.8: only S-level interrupts can be delegated (M bits read-only 0). */
static void test_mideleg_mask(void **state)
{
	struct hart *h = hart_of(state);

	WR(CSR_MIDELEG, ~0ull);
	EXPECT(CSR_MIDELEG, S_IRQS);
	WR(CSR_MIDELEG, MIP_MSIP | MIP_MTIP | MIP_MEIP);
	EXPECT(CSR_MIDELEG, 0);
}

/* 3.1.9 / 4.1.3: mie writable bits, sie = mie & mideleg. */
static void test_mie_and_sie(void **state)
{
	struct hart *h = hart_of(state);

	WR(CSR_MIE, ~0ull);
	EXPECT(CSR_MIE, ALL_IRQS);
	WR(CSR_MIDELEG, 0);
	EXPECT(CSR_SIE, 0);
	WR(CSR_SIE, 0); /* nothing delegated: no sie bit is writable */
	EXPECT(CSR_MIE, ALL_IRQS);

	WR(CSR_MIE, 0);
	WR(CSR_MIDELEG, S_IRQS);
	WR(CSR_SIE, ~0ull);
	EXPECT(CSR_MIE, S_IRQS);
	EXPECT(CSR_SIE, S_IRQS);

	WR(CSR_MIE, ALL_IRQS);
	WR(CSR_MIDELEG, MIP_STIP);
	EXPECT(CSR_SIE, MIP_STIP);
	WR(CSR_SIE, 0);
	EXPECT(CSR_MIE, ALL_IRQS & ~MIP_STIP);
	EXPECT(CSR_SIE, 0);
}

/* 3.1.9 / 4.1.3: software may write SSIP, STIP (no Sstc) and SEIP in mip;
 * MSIP/MTIP/MEIP come from devices. sip is mip masked by mideleg and only
 * SSIP is writable there. */
static void test_mip_and_sip(void **state)
{
	struct hart *h = hart_of(state);

	EXPECT(CSR_MIP, 0);
	WR(CSR_MIP, MIP_SSIP);
	EXPECT(CSR_MIP, MIP_SSIP);
	WR(CSR_MIP, MIP_MSIP | MIP_MTIP | MIP_MEIP);
	EXPECT(CSR_MIP, 0);
	WR(CSR_MIP, MIP_SEIP | MIP_STIP);
	EXPECT(CSR_MIP, MIP_SEIP | MIP_STIP);
	WR(CSR_MIP, 0);
	EXPECT(CSR_MIP, 0);

	/* sip with nothing delegated: reads zero, writes ignored */
	WR(CSR_MIDELEG, 0);
	WR(CSR_MIP, MIP_SSIP);
	EXPECT(CSR_SIP, 0);
	WR(CSR_MIP, 0);
	WR(CSR_SIP, MIP_SSIP);
	EXPECT(CSR_MIP, 0);

	/* delegated: SSIP writable through sip, STIP/SEIP are not */
	WR(CSR_MIDELEG, S_IRQS);
	WR(CSR_SIP, MIP_SSIP);
	EXPECT(CSR_MIP, MIP_SSIP);
	EXPECT(CSR_SIP, MIP_SSIP);
	WR(CSR_SIP, MIP_STIP | MIP_SEIP);
	EXPECT(CSR_MIP, 0);

	/* a device line reads back in mip, but a CSRRS/CSRRC read-modify-
	 * write must not latch it into the software-writable bit */
	uint64_t old;
	hart_set_irq_line(h, MIP_SEIP, true);
	EXPECT(CSR_MIP, MIP_SEIP);
	assert_true(csr_access(h, CSR_MIP, CSR_SET, MIP_SSIP, true, &old));
	EXPECT_BITS("old mip of csrrs", old, MIP_SEIP);
	hart_set_irq_line(h, MIP_SEIP, false);
	EXPECT(CSR_MIP, MIP_SSIP);
	hart_set_irq_line(h, MIP_SEIP, true);
	assert_true(csr_access(h, CSR_MIP, CSR_CLEAR, MIP_SEIP, true, &old));
	EXPECT(CSR_MIP, MIP_SSIP | MIP_SEIP); /* the line is still high */
	hart_set_irq_line(h, MIP_SEIP, false);
	EXPECT(CSR_MIP, MIP_SSIP);
	WR(CSR_MIP, 0);

	/* MTIP follows mtimecmp and is read-only */
	hart_set_mtimecmp(h, 0);
	EXPECT(CSR_MIP, MIP_MTIP);
	WR(CSR_MIP, 0);
	EXPECT(CSR_MIP, MIP_MTIP);
	hart_set_mtimecmp(h, ~0ull);
	EXPECT(CSR_MIP, 0);

	/* Sstc: with menvcfg.STCE, STIP follows stimecmp and is read-only */
	WR(CSR_MENVCFG, MENVCFG_STCE_BIT);
	WR(CSR_STIMECMP, 0);
	EXPECT(CSR_MIP, MIP_STIP);
	WR(CSR_MIP, 0);
	EXPECT(CSR_MIP, MIP_STIP);
	WR(CSR_STIMECMP, ~0ull);
	EXPECT(CSR_MIP, 0);
	WR(CSR_MIP, MIP_STIP);
	EXPECT(CSR_MIP, 0);
	EXPECT(CSR_SIP, 0);
}

/* 4.1.11: writing an unsupported MODE leaves satp entirely unchanged. */
static void test_satp_modes(void **state)
{
	struct hart *h = hart_of(state);
	const uint64_t sv39 = SATP(SATP_MODE_SV39, 5, 0x80000);

	EXPECT(CSR_SATP, 0);
	WR(CSR_SATP, sv39);
	EXPECT(CSR_SATP, sv39);
	assert_int_equal(h->asid, 5);
	for (unsigned mode = 1; mode < 16; mode++) {
		uint64_t v;
		if (mode >= SATP_MODE_SV39 && mode <= SATP_MODE_SV57)
			continue;
		assert_true(
			hart_csr_write(h, CSR_SATP, SATP(mode, 0x1234, 0x999)));
		assert_true(hart_csr_read(h, CSR_SATP, &v));
		if (v != sv39) {
			print_error("satp write with mode %u changed satp to "
				    "0x%llx (must be ignored entirely)\n",
				    mode, (unsigned long long)v);
			fail();
		}
	}
	assert_int_equal(h->asid, 5);

	static const uint64_t seq[] = {
		SATP(SATP_MODE_SV48, 0xffff, (1ull << 44) - 1),
		SATP(SATP_MODE_SV57, 1, 0x80123),
		SATP(SATP_MODE_SV39, 0, 0x80456),
		SATP(SATP_MODE_BARE, 0, 0),
		SATP(SATP_MODE_SV57, 7, 0x80789),
	};
	for (unsigned i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		WR(CSR_SATP, seq[i]);
		EXPECT(CSR_SATP, seq[i]);
		assert_int_equal(h->asid, (seq[i] >> 44) & 0xffff);
	}
}

/* 3.7.1: pmpcfg1/3/.../15 do not exist on RV64. */
static void test_pmpcfg_odd_illegal(void **state)
{
	struct hart *h = hart_of(state);

	for (unsigned n = 1; n < 16; n += 2) {
		uint64_t v;
		if (hart_csr_read(h, CSR_PMPCFG0 + n, &v) ||
		    hart_csr_write(h, CSR_PMPCFG0 + n, 0)) {
			print_error("pmpcfg%u is accessible on RV64\n", n);
			fail();
		}
	}
}

/* 3.7.1: R=0 W=1 is reserved; bits 6:5 read zero; pmpcfg2 holds entries
 * 8..15; pmpcfg4..14 (entries 16..63, not implemented) read zero. */
static void test_pmpcfg_warl(void **state)
{
	struct hart *h = hart_of(state);

	/* bytes: W, WX, NAPOT|RWX, reserved bits|R, NA4|R, TOR|RX, 0, L|R */
	WR(CSR_PMPCFG0, 0x81000d11611f0602ull);
	uint64_t v = RD(CSR_PMPCFG0);
	for (unsigned i = 0; i < 8; i++) {
		uint8_t c = (uint8_t)(v >> (8 * i));
		if ((c & 3) == 2) {
			print_error("pmp%ucfg = 0x%02x: W without R\n", i, c);
			fail();
		}
		if (c & 0x60) {
			print_error("pmp%ucfg = 0x%02x: bits 6:5 set\n", i, c);
			fail();
		}
	}
	EXPECT_BITS("pmp2cfg (NAPOT|RWX)", (v >> 16) & 0xff, 0x1f);
	EXPECT_BITS("pmp3cfg (0x61 -> R)", (v >> 24) & 0xff, 0x01);
	EXPECT_BITS("pmp4cfg (NA4|R)", (v >> 32) & 0xff, 0x11);
	EXPECT_BITS("pmp5cfg (TOR|RX)", (v >> 40) & 0xff, 0x0d);
	EXPECT_BITS("pmp7cfg (L|R)", (v >> 56) & 0xff, 0x81);

	WR(CSR_PMPCFG0 + 2, 0x1f);
	EXPECT(CSR_PMPCFG0 + 2, 0x1f);
	assert_int_equal(h->pmp.cfg[8], 0x1f);

	for (unsigned n = 4; n < 16; n += 2) {
		WR(CSR_PMPCFG0 + n, ~0ull);
		EXPECT(CSR_PMPCFG0 + n, 0);
	}
}

/* 3.7.1: a locked entry ignores writes to its cfg and its address, and a
 * locked TOR entry also locks the address below it. */
static void test_pmp_locked_entries(void **state)
{
	struct hart *h = hart_of(state);

	WR(CSR_PMPADDR0 + 1, 0x1000);
	WR(CSR_PMPCFG0, 0x81ull << 8); /* entry 1: L, OFF, R */
	WR(CSR_PMPCFG0, 0x1f1f1full);  /* entry 1 must not change */
	EXPECT(CSR_PMPCFG0, 0x1f811full);
	WR(CSR_PMPADDR0 + 1, 0x2000);
	EXPECT(CSR_PMPADDR0 + 1, 0x1000);
	WR(CSR_PMPADDR0, 0x3000); /* entry 1 is OFF: addr 0 stays free */
	EXPECT(CSR_PMPADDR0, 0x3000);

	hart_reset(h, 0);
	WR(CSR_PMPADDR0 + 2, 0x500);
	WR(CSR_PMPADDR0 + 3, 0x600);
	WR(CSR_PMPCFG0, 0x89ull << 24); /* entry 3: L, TOR, R */
	WR(CSR_PMPADDR0 + 2, 0x111);
	EXPECT(CSR_PMPADDR0 + 2, 0x500);
	WR(CSR_PMPADDR0 + 3, 0x222);
	EXPECT(CSR_PMPADDR0 + 3, 0x600);
	WR(CSR_PMPADDR0 + 1, 0x333); /* not covered by the lock */
	EXPECT(CSR_PMPADDR0 + 1, 0x333);
}

/* 3.7.1: pmpaddr holds address bits 55:2, i.e. 54 bits on RV64. */
static void test_pmpaddr_width(void **state)
{
	struct hart *h = hart_of(state);

	WR(CSR_PMPADDR0, ~0ull);
	EXPECT(CSR_PMPADDR0, (1ull << 54) - 1);
	WR(CSR_PMPADDR0 + 15, 0xffc0000000000123ull);
	EXPECT(CSR_PMPADDR0 + 15, 0x123);
	/* entries 16..63 are not implemented: read-only zero */
	WR(CSR_PMPADDR0 + 16, 0x1234);
	EXPECT(CSR_PMPADDR0 + 16, 0);
	EXPECT(CSR_PMPADDR0 + 63, 0);
}

/* 3.1.10-3.1.12: counters. */
static void test_counters(void **state)
{
	struct hart *h = hart_of(state);
	uint64_t old;

	h->instret = 1234;
	h->cycle = 1234; /* mcycle counts separately (mcountinhibit) */
	EXPECT(CSR_MINSTRET, 1234);
	EXPECT(CSR_MCYCLE, 1234);
	EXPECT(CSR_CYCLE, 1234);
	EXPECT(CSR_INSTRET, 1234);

	/* A CSR write to minstret replaces the increment of the writing
	 * instruction, which the interpreter adds when it retires: the
	 * counter reads the written value once that instruction retires. */
	assert_true(csr_access(h, CSR_MINSTRET, CSR_WRITE, 100, true, &old));
	EXPECT_BITS("old minstret", old, 1234);
	EXPECT_BITS("instret after write + retire", h->instret + 1, 100);

	uint64_t t0 = vclock_ticks(&((struct fixture *)*state)->clock);
	uint64_t t = RD(CSR_TIME);
	uint64_t t1 = vclock_ticks(&((struct fixture *)*state)->clock);
	assert_in_range(t, t0, t1);

	for (unsigned c = 3; c < 32; c++) {
		EXPECT(CSR_CYCLE + c, 0); /* hpmcounterN */
		WR(CSR_MCYCLE + c, 55);	  /* mhpmcounterN */
		EXPECT(CSR_MCYCLE + c, 0);
		WR(CSR_MCOUNTINHIBIT + c, 55); /* mhpmeventN */
		EXPECT(CSR_MCOUNTINHIBIT + c, 0);
	}

	WR(CSR_MCOUNTINHIBIT, ~0ull);
	uint64_t inh = RD(CSR_MCOUNTINHIBIT);
	EXPECT_BITS("mcountinhibit.TM (read-only zero)", (inh >> 1) & 1, 0);
	EXPECT_BITS("mcountinhibit.CY|IR", inh & 5, 5);

	WR(CSR_MCOUNTEREN, ~0ull);
	EXPECT(CSR_MCOUNTEREN, 0xffffffffull);
	WR(CSR_SCOUNTEREN, ~0ull);
	EXPECT(CSR_SCOUNTEREN, 0xffffffffull);
}

/* KNOWN BUG - fails until fixed: mcountinhibit is stored (csr.c:284) but
 * nothing reads it; exec.c adds every retired instruction to instret.
 *
 * 3.1.13: "When the CY, IR, or HPMn bit is set, the corresponding counter
 * does not increment." The bits read back as written here, so they must
 * take effect. Runs ten nops and a wfi on the hart. */
static void test_mcountinhibit_stops_counters(void **state)
{
	struct fixture *f = *state;
	struct hart *h = f->h;
	const uint64_t code = 0x80001000ull;
	uint32_t prog[11];

	for (unsigned i = 0; i < 10; i++)
		prog[i] = 0x00000013; /* addi x0, x0, 0 */
	prog[10] = 0x10500073;	      /* wfi */
	assert_true(gmem_write(&f->mem, code, prog, sizeof(prog)));

	/* control: the nops count */
	h->pc = code;
	uint64_t before = RD(CSR_MINSTRET);
	assert_int_equal(hart_run(h), EXIT_WFI);
	assert_int_equal(h->pc, code + 40);
	EXPECT_BITS("minstret increments without inhibit",
		    RD(CSR_MINSTRET) - before, 10);

	WR(CSR_MCOUNTINHIBIT, 5); /* CY | IR */
	EXPECT(CSR_MCOUNTINHIBIT, 5);
	h->pc = code;
	before = RD(CSR_MINSTRET);
	uint64_t cyc = RD(CSR_MCYCLE);
	assert_int_equal(hart_run(h), EXIT_WFI);
	uint64_t d_instret = RD(CSR_MINSTRET) - before;
	uint64_t d_cycle = RD(CSR_MCYCLE) - cyc;
	if (d_instret || d_cycle) {
		print_error("BUG (src/cpu/csr.c:284 + exec.c): mcountinhibit "
			    "reads 5 (CY|IR) but minstret advanced by %llu and "
			    "mcycle by %llu over 10 instructions; the bits "
			    "must stop the counters or be read-only zero\n",
			    (unsigned long long)d_instret,
			    (unsigned long long)d_cycle);
		fail();
	}
}

/* 2.1: bits 9:8 of the address give the lowest privilege that may access
 * a CSR. */
static void test_privilege_levels(void **state)
{
	struct hart *h = hart_of(state);
	static const unsigned m_csrs[] = {
		CSR_MSTATUS,	   CSR_MISA,	 CSR_MEDELEG,	 CSR_MIDELEG,
		CSR_MIE,	   CSR_MTVEC,	 CSR_MCOUNTEREN, CSR_MENVCFG,
		CSR_MCOUNTINHIBIT, CSR_MSCRATCH, CSR_MEPC,	 CSR_MCAUSE,
		CSR_MTVAL,	   CSR_MIP,	 CSR_PMPCFG0,	 CSR_PMPADDR0,
		CSR_MCYCLE,	   CSR_MINSTRET, CSR_MHARTID,	 CSR_MVENDORID,
		CSR_TSELECT,
	};
	static const unsigned s_csrs[] = {
		CSR_SSTATUS, CSR_SIE,	   CSR_STVEC, CSR_SCOUNTEREN,
		CSR_SENVCFG, CSR_SSCRATCH, CSR_SEPC,  CSR_SCAUSE,
		CSR_STVAL,   CSR_SIP,	   CSR_SATP,
	};
	char name[16];

	WR(CSR_MSTATUS, FS_INITIAL);
	h->priv = PRV_S;
	for (unsigned i = 0; i < sizeof(m_csrs) / sizeof(m_csrs[0]); i++) {
		snprintf(name, sizeof(name), "csr 0x%03x", m_csrs[i]);
		csr_denied_(h, m_csrs[i], false, name, __FILE__, __LINE__);
		csr_denied_(h, m_csrs[i], true, name, __FILE__, __LINE__);
	}
	for (unsigned i = 0; i < sizeof(s_csrs) / sizeof(s_csrs[0]); i++) {
		snprintf(name, sizeof(name), "csr 0x%03x", s_csrs[i]);
		(void)csr_get_(h, s_csrs[i], name, __FILE__, __LINE__);
	}
	WR(CSR_SSCRATCH, 42);
	EXPECT(CSR_SSCRATCH, 42);
	EXPECT(CSR_FFLAGS, 0);

	h->priv = PRV_U;
	for (unsigned i = 0; i < sizeof(s_csrs) / sizeof(s_csrs[0]); i++) {
		snprintf(name, sizeof(name), "csr 0x%03x", s_csrs[i]);
		csr_denied_(h, s_csrs[i], false, name, __FILE__, __LINE__);
		csr_denied_(h, s_csrs[i], true, name, __FILE__, __LINE__);
	}
	DENIED(CSR_MSTATUS);
	DENIED(CSR_STIMECMP);
	EXPECT(CSR_FFLAGS, 0); /* user CSR, FS on */
	WR(CSR_FRM, 1);
	EXPECT(CSR_FRM, 1);
	h->priv = PRV_M;
	EXPECT(CSR_SSCRATCH, 42);
}

/* 3.1.11 / 4.1.5: counters below M need mcounteren (and scounteren in U). */
static void test_counter_enables(void **state)
{
	struct hart *h = hart_of(state);

	WR(CSR_MCOUNTEREN, 0);
	WR(CSR_SCOUNTEREN, 0);
	h->priv = PRV_S;
	DENIED_RD(CSR_CYCLE);
	DENIED_RD(CSR_TIME);
	DENIED_RD(CSR_INSTRET);
	DENIED_RD(CSR_CYCLE + 3);
	h->priv = PRV_M;
	WR(CSR_MCOUNTEREN, 1); /* CY */
	h->priv = PRV_S;
	(void)RD(CSR_CYCLE);
	DENIED_RD(CSR_TIME);
	DENIED_RD(CSR_INSTRET);
	h->priv = PRV_M;
	WR(CSR_MCOUNTEREN, 0xf);
	h->priv = PRV_S;
	(void)RD(CSR_CYCLE);
	(void)RD(CSR_TIME);
	(void)RD(CSR_INSTRET);
	(void)RD(CSR_CYCLE + 3);
	DENIED_RD(CSR_CYCLE + 4);

	/* U: both enables */
	h->priv = PRV_U;
	DENIED_RD(CSR_CYCLE);
	DENIED_RD(CSR_TIME);
	h->priv = PRV_M;
	WR(CSR_SCOUNTEREN, 1);
	h->priv = PRV_U;
	(void)RD(CSR_CYCLE);
	DENIED_RD(CSR_TIME);
	DENIED_RD(CSR_INSTRET);
	h->priv = PRV_M;
	WR(CSR_SCOUNTEREN, 7);
	WR(CSR_MCOUNTEREN, 2); /* TM only */
	h->priv = PRV_U;
	DENIED_RD(CSR_CYCLE);
	(void)RD(CSR_TIME);
	DENIED_RD(CSR_INSTRET);
	/* counters are read-only even where readable */
	DENIED_WR(CSR_TIME);
}

/* 3.1.6.5: mstatus.TVM makes satp accesses from S illegal. */
static void test_satp_trapped_by_tvm(void **state)
{
	struct hart *h = hart_of(state);
	const uint64_t sv39 = SATP(SATP_MODE_SV39, 3, 0x80000);

	WR(CSR_MSTATUS, MSTATUS_TVM);
	WR(CSR_SATP, sv39); /* M is not affected */
	EXPECT(CSR_SATP, sv39);
	h->priv = PRV_S;
	DENIED(CSR_SATP);
	h->priv = PRV_M;
	EXPECT(CSR_SATP, sv39);
	WR(CSR_MSTATUS, 0);
	h->priv = PRV_S;
	EXPECT(CSR_SATP, sv39);
	WR(CSR_SATP, 0);
	EXPECT(CSR_SATP, 0);
}

/* Sstc: stimecmp from S needs menvcfg.STCE and mcounteren.TM. */
static void test_stimecmp_access(void **state)
{
	struct hart *h = hart_of(state);

	WR(CSR_STIMECMP, 777); /* M: always */
	EXPECT(CSR_STIMECMP, 777);

	WR(CSR_MCOUNTEREN, 2);
	WR(CSR_MENVCFG, 0);
	h->priv = PRV_S;
	DENIED(CSR_STIMECMP); /* STCE=0 */
	h->priv = PRV_M;
	WR(CSR_MCOUNTEREN, 0);
	WR(CSR_MENVCFG, MENVCFG_STCE_BIT);
	h->priv = PRV_S;
	DENIED(CSR_STIMECMP); /* TM=0 */
	h->priv = PRV_M;
	WR(CSR_MCOUNTEREN, 2);
	h->priv = PRV_S;
	WR(CSR_STIMECMP, 12345);
	EXPECT(CSR_STIMECMP, 12345);
	h->priv = PRV_U;
	DENIED(CSR_STIMECMP);
	h->priv = PRV_M;
	EXPECT(CSR_STIMECMP, 12345);
}

/* 2.1: CSRs with address bits 11:10 = 3 are read-only; writing them (but
 * not a non-writing CSRRS/CSRRC) is illegal. */
static void test_read_only_csrs(void **state)
{
	struct hart *h = hart_of(state);
	static const unsigned ro[] = {
		CSR_CYCLE,   CSR_TIME,	     CSR_INSTRET, CSR_CYCLE + 3,
		0xc1f,	     CSR_MVENDORID,  CSR_MARCHID, CSR_MIMPID,
		CSR_MHARTID, CSR_MCONFIGPTR,
	};
	char name[16];
	uint64_t old;

	for (unsigned i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
		snprintf(name, sizeof(name), "csr 0x%03x", ro[i]);
		(void)csr_get_(h, ro[i], name, __FILE__, __LINE__);
		csr_denied_(h, ro[i], true, name, __FILE__, __LINE__);
		assert_true(csr_access(h, ro[i], CSR_SET, 0, false, &old));
		assert_false(csr_access(h, ro[i], CSR_SET, 1, true, &old));
		assert_false(csr_access(h, ro[i], CSR_CLEAR, 0, true, &old));
	}
	EXPECT(CSR_MHARTID, 0);
}

/* 3.1.6.6 / F chapter: FP CSRs need FS != Off and dirty FS when written. */
static void test_fp_csrs(void **state)
{
	struct hart *h = hart_of(state);
	uint64_t old;

	WR(CSR_MSTATUS, FS_OFF);
	DENIED(CSR_FFLAGS);
	DENIED(CSR_FRM);
	DENIED(CSR_FCSR);

	WR(CSR_MSTATUS, FS_INITIAL);
	EXPECT(CSR_FCSR, 0);
	EXPECT_BITS("FS after reading fcsr", RD(CSR_MSTATUS) & MSTATUS_FS,
		    FS_INITIAL);
	assert_true(csr_access(h, CSR_FFLAGS, CSR_SET, 0, false, &old));
	EXPECT_BITS("FS after a non-writing csrrs",
		    RD(CSR_MSTATUS) & MSTATUS_FS, FS_INITIAL);
	WR(CSR_FFLAGS, 0x3f);
	EXPECT(CSR_FFLAGS, 0x1f);
	EXPECT_BITS("FS after writing fflags", RD(CSR_MSTATUS) & MSTATUS_FS,
		    FS_DIRTY);
	EXPECT_BITS("SD after writing fflags", RD(CSR_MSTATUS) >> 63, 1);

	WR(CSR_MSTATUS, FS_CLEAN);
	WR(CSR_FRM, 0xfa);
	EXPECT(CSR_FRM, 2);
	EXPECT_BITS("FS after writing frm", RD(CSR_MSTATUS) & MSTATUS_FS,
		    FS_DIRTY);
	EXPECT(CSR_FCSR, (2 << 5) | 0x1f);

	WR(CSR_MSTATUS, FS_INITIAL);
	WR(CSR_FCSR, 0xff00 | (3 << 5) | 5);
	EXPECT(CSR_FCSR, (3 << 5) | 5);
	EXPECT(CSR_FFLAGS, 5);
	EXPECT(CSR_FRM, 3);
	EXPECT_BITS("FS after writing fcsr", RD(CSR_MSTATUS) & MSTATUS_FS,
		    FS_DIRTY);
}

/* 3.1.18 / 4.1.10 + Zicbom: CBIE=2 is reserved; writable menvcfg/senvcfg
 * fields. */
static void test_envcfg(void **state)
{
	struct hart *h = hart_of(state);
	const uint64_t cfg =
		MENVCFG_FIOM | MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE;

	WR(CSR_MENVCFG, 2ull << 4);
	if (((RD(CSR_MENVCFG) >> 4) & 3) == 2) {
		print_error("menvcfg.CBIE kept the reserved value 2\n");
		fail();
	}
	WR(CSR_MENVCFG, 1ull << 4);
	EXPECT(CSR_MENVCFG, 1ull << 4);
	WR(CSR_MENVCFG, 3ull << 4);
	EXPECT(CSR_MENVCFG, 3ull << 4);
	WR(CSR_MENVCFG, ~0ull ^ (1ull << 5)); /* CBIE=1 among all ones */
	EXPECT(CSR_MENVCFG,
	       (cfg ^ (1ull << 5)) | MENVCFG_PBMTE_BIT | MENVCFG_STCE_BIT);

	WR(CSR_SENVCFG, 2ull << 4);
	if (((RD(CSR_SENVCFG) >> 4) & 3) == 2) {
		print_error("senvcfg.CBIE kept the reserved value 2\n");
		fail();
	}
	WR(CSR_SENVCFG, ~0ull);
	EXPECT(CSR_SENVCFG, cfg);
}

/* CSRRS/CSRRC through csr_access: set/clear semantics, old value, and no
 * write when `write` is false. */
static void test_csr_access_ops(void **state)
{
	struct hart *h = hart_of(state);
	uint64_t old;

	WR(CSR_MSCRATCH, 0xf0);
	assert_true(csr_access(h, CSR_MSCRATCH, CSR_SET, 0x0f, true, &old));
	EXPECT_BITS("old mscratch (set)", old, 0xf0);
	EXPECT(CSR_MSCRATCH, 0xff);
	assert_true(csr_access(h, CSR_MSCRATCH, CSR_CLEAR, 0x3c, true, &old));
	EXPECT_BITS("old mscratch (clear)", old, 0xff);
	EXPECT(CSR_MSCRATCH, 0xc3);
	assert_true(csr_access(h, CSR_MSCRATCH, CSR_SET, 0xffff, false, &old));
	EXPECT_BITS("old mscratch (no write)", old, 0xc3);
	EXPECT(CSR_MSCRATCH, 0xc3);
	assert_true(csr_access(h, CSR_MSCRATCH, CSR_WRITE, 7, true, &old));
	EXPECT(CSR_MSCRATCH, 7);
}

/* Unknown CSRs, hypervisor CSRs and debug-mode CSRs are illegal even in
 * M-mode. */
static void test_nonexistent_csrs(void **state)
{
	struct hart *h = hart_of(state);
	static const unsigned none[] = {
		0x000, 0x005, 0x015, 0x101, 0x5c0, 0x600, 0x680, 0x7b0,
		0x7b1, 0xb01, 0xc80, 0xda0, 0xfc0, 0x321, 0x3f0,
	};
	char name[16];

	for (unsigned i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		snprintf(name, sizeof(name), "csr 0x%03x", none[i]);
		csr_denied_(h, none[i], false, name, __FILE__, __LINE__);
		csr_denied_(h, none[i], true, name, __FILE__, __LINE__);
	}
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_misa_read_only),
		T(test_mstatus_mpp_warl),
		T(test_mstatus_xl_fixed),
		T(test_mstatus_sd_tracks_fs),
		T(test_sstatus_is_view_of_mstatus),
		T(test_tvec_mode_legalized),
		T(test_epc_bit0_cleared),
		T(test_medeleg_mask),
		T(test_mideleg_mask),
		T(test_mie_and_sie),
		T(test_mip_and_sip),
		T(test_satp_modes),
		T(test_pmpcfg_odd_illegal),
		T(test_pmpcfg_warl),
		T(test_pmp_locked_entries),
		T(test_pmpaddr_width),
		T(test_counters),
		T(test_mcountinhibit_stops_counters),
		T(test_privilege_levels),
		T(test_counter_enables),
		T(test_satp_trapped_by_tvm),
		T(test_stimecmp_access),
		T(test_read_only_csrs),
		T(test_fp_csrs),
		T(test_envcfg),
		T(test_csr_access_ops),
		T(test_nonexistent_csrs),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
