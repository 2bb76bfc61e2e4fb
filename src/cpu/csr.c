#include "cpu/csr.h"

#include "cpu/mmu.h"
#include "cpu/trap.h"

#define MSTATUS_UXL  (3ull << 32)
#define MSTATUS_SXL  (3ull << 34)
#define MSTATUS_XL64 ((2ull << 32) | (2ull << 34))

#define MSTATUS_WRITABLE                                                       \
	(MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE |             \
	 MSTATUS_SPP | MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | \
	 MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_VISIBLE                                                        \
	(MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | \
	 MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)
#define SSTATUS_WRITABLE                                                       \
	(MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | \
	 MSTATUS_MXR)

#define MIE_WRITABLE                                                           \
	(MIP_SSIP | MIP_MSIP | MIP_STIP | MIP_MTIP | MIP_SEIP | MIP_MEIP)
#define S_IRQS (MIP_SSIP | MIP_STIP | MIP_SEIP)
/* exceptions that may be delegated: not ecall-from-M, not reserved ones */
#define MEDELEG_WRITABLE 0xb3ffull
#define MENVCFG_WRITABLE                                                       \
	(MENVCFG_FIOM | MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE |          \
	 MENVCFG_PBMTE_BIT | MENVCFG_STCE_BIT)
#define SENVCFG_WRITABLE                                                       \
	(MENVCFG_FIOM | MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE)

static uint64_t read_mstatus(struct hart *h)
{
	uint64_t s = h->mstatus | MSTATUS_XL64;

	if ((s & MSTATUS_FS) == MSTATUS_FS)
		s |= MSTATUS_SD;
	return s;
}

static uint64_t read_mip(struct hart *h)
{
	uint64_t sw = atomic_load(&h->mip);

	hart_update_timers(h);
	if (h->menvcfg & MENVCFG_STCE_BIT)
		sw &= ~MIP_STIP;
	return sw | atomic_load(&h->irq_lines);
}

/* Counter CSRs below M need the enable bits of mcounteren (and scounteren
 * for U); stimecmp needs mcounteren.TM and menvcfg.STCE. */
static bool counter_allowed(struct hart *h, unsigned idx)
{
	if (h->priv < PRV_M && !((h->mcounteren >> idx) & 1))
		return false;
	if (h->priv < PRV_S && !((h->scounteren >> idx) & 1))
		return false;
	return true;
}

static bool fp_enabled(struct hart *h)
{
	return (h->mstatus & MSTATUS_FS) != 0;
}

static bool csr_read(struct hart *h, unsigned csr, uint64_t *v)
{
	switch (csr) {
	case CSR_FFLAGS:
		if (!fp_enabled(h))
			return false;
		*v = h->fflags;
		return true;
	case CSR_FRM:
		if (!fp_enabled(h))
			return false;
		*v = h->frm;
		return true;
	case CSR_FCSR:
		if (!fp_enabled(h))
			return false;
		*v = (h->frm << 5) | h->fflags;
		return true;
	case CSR_CYCLE:
		if (!counter_allowed(h, 0))
			return false;
		*v = h->cycle;
		return true;
	case CSR_INSTRET:
		if (!counter_allowed(h, 2))
			return false;
		*v = h->instret;
		return true;
	case CSR_TIME:
		if (!counter_allowed(h, 1))
			return false;
		*v = vclock_ticks(h->clock);
		return true;
	case CSR_SSTATUS: *v = read_mstatus(h) & SSTATUS_VISIBLE; return true;
	case CSR_SIE: *v = h->mie & h->mideleg; return true;
	case CSR_STVEC: *v = h->stvec; return true;
	case CSR_SCOUNTEREN: *v = h->scounteren; return true;
	case CSR_SENVCFG: *v = h->senvcfg; return true;
	case CSR_SSCRATCH: *v = h->sscratch; return true;
	case CSR_SEPC: *v = h->sepc; return true;
	case CSR_SCAUSE: *v = h->scause; return true;
	case CSR_STVAL: *v = h->stval; return true;
	case CSR_SIP: *v = read_mip(h) & h->mideleg; return true;
	case CSR_STIMECMP:
		if (h->priv < PRV_M &&
		    (!(h->mcounteren & 2) || !(h->menvcfg & MENVCFG_STCE_BIT)))
			return false;
		*v = h->stimecmp;
		return true;
	case CSR_SATP:
		if (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM))
			return false;
		*v = h->satp;
		return true;
	case CSR_MVENDORID:
	case CSR_MARCHID:
	case CSR_MIMPID:
	case CSR_MCONFIGPTR: *v = 0; return true;
	case CSR_MHARTID: *v = h->mhartid; return true;
	case CSR_MSTATUS: *v = read_mstatus(h); return true;
	case CSR_MISA: *v = h->misa; return true;
	case CSR_MEDELEG: *v = h->medeleg; return true;
	case CSR_MIDELEG: *v = h->mideleg; return true;
	case CSR_MIE: *v = h->mie; return true;
	case CSR_MTVEC: *v = h->mtvec; return true;
	case CSR_MCOUNTEREN: *v = h->mcounteren; return true;
	case CSR_MENVCFG: *v = h->menvcfg; return true;
	case CSR_MCOUNTINHIBIT: *v = h->mcountinhibit; return true;
	case CSR_MSCRATCH: *v = h->mscratch; return true;
	case CSR_MEPC: *v = h->mepc; return true;
	case CSR_MCAUSE: *v = h->mcause; return true;
	case CSR_MTVAL: *v = h->mtval; return true;
	case CSR_MIP: *v = read_mip(h); return true;
	case CSR_MCYCLE: *v = h->cycle; return true;
	case CSR_MINSTRET: *v = h->instret; return true;
	case CSR_TSELECT: *v = h->tselect; return true;
	case CSR_TDATA1:
	case CSR_TDATA2:
	case CSR_TDATA3: *v = 0; return true; /* no triggers: type 0 */
	}
	if (csr >= CSR_PMPCFG0 && csr < CSR_PMPCFG0 + 16) {
		unsigned n = csr - CSR_PMPCFG0;
		if (n & 1)
			return false; /* odd pmpcfg exist only on RV32 */
		*v = 0;
		for (unsigned i = 0; i < 8 && n * 4 + i < PMP_COUNT; i++)
			*v |= (uint64_t)h->pmp.cfg[n * 4 + i] << (8 * i);
		return true;
	}
	if (csr >= CSR_PMPADDR0 && csr < CSR_PMPADDR0 + 64) {
		unsigned n = csr - CSR_PMPADDR0;
		*v = n < PMP_COUNT ? h->pmp.addr[n] : 0;
		return true;
	}
	if (csr > CSR_INSTRET && csr <= 0xc1f) { /* hpmcounter3..31 */
		if (!counter_allowed(h, csr - CSR_CYCLE))
			return false;
		*v = 0;
		return true;
	}
	if ((csr > CSR_MINSTRET && csr <= 0xb1f) || /* mhpmcounter3..31 */
	    (csr >= 0x323 && csr <= 0x33f)) {	    /* mhpmevent3..31 */
		*v = 0;
		return true;
	}
	return false;
}

static uint64_t legal_tvec(uint64_t v)
{
	return (v & 3) >= 2 ? v & ~3ull : v; /* only direct and vectored */
}

static void write_pmpcfg(struct hart *h, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < 8 && n * 4 + i < PMP_COUNT; i++) {
		unsigned idx = n * 4 + i;
		uint8_t c = (uint8_t)(v >> (8 * i));
		if (h->pmp.cfg[idx] & 0x80)
			continue; /* locked */
		c &= 0x9f;	  /* bits 6:5 are reserved */
		if ((c & 3) == 2) /* W without R is reserved */
			c &= ~2;
		h->pmp.cfg[idx] = c;
	}
}

static void write_pmpaddr(struct hart *h, unsigned n, uint64_t v)
{
	if (n >= PMP_COUNT || (h->pmp.cfg[n] & 0x80))
		return;
	/* locked TOR entry above also protects this address */
	if (n + 1 < PMP_COUNT && (h->pmp.cfg[n + 1] & 0x80) &&
	    ((h->pmp.cfg[n + 1] >> 3) & 3) == 1)
		return;
	h->pmp.addr[n] = v & ((1ull << 54) - 1);
}

static bool csr_write(struct hart *h, unsigned csr, uint64_t v)
{
	switch (csr) {
	case CSR_FFLAGS:
		if (!fp_enabled(h))
			return false;
		h->fflags = v & 0x1f;
		h->mstatus |= MSTATUS_FS;
		return true;
	case CSR_FRM:
		if (!fp_enabled(h))
			return false;
		h->frm = v & 7;
		h->mstatus |= MSTATUS_FS;
		return true;
	case CSR_FCSR:
		if (!fp_enabled(h))
			return false;
		h->fflags = v & 0x1f;
		h->frm = (v >> 5) & 7;
		h->mstatus |= MSTATUS_FS;
		return true;
	case CSR_SSTATUS:
		v = (h->mstatus & ~SSTATUS_WRITABLE) | (v & SSTATUS_WRITABLE);
		/* fall through to the common mstatus path */
		csr = CSR_MSTATUS;
		/* fallthrough */
	case CSR_MSTATUS: {
		uint64_t old = h->mstatus;
		uint64_t n = (old & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
		if (((n >> 11) & 3) == 2) /* MPP=2 (H) does not exist */
			n = (n & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
		h->mstatus = n;
		if ((old ^ n) & MSTATUS_MXR)
			tlb_flush_all(&h->tlb);
		mmu_update_index(h);
		hart_request_irq_check(h);
		return true;
	}
	case CSR_SIE:
		h->mie = (h->mie & ~h->mideleg) |
			 (v & h->mideleg & MIE_WRITABLE);
		hart_request_irq_check(h);
		return true;
	case CSR_STVEC: h->stvec = legal_tvec(v); return true;
	case CSR_SCOUNTEREN: h->scounteren = (uint32_t)v; return true;
	case CSR_SENVCFG:
		v &= SENVCFG_WRITABLE;
		if ((v & MENVCFG_CBIE) == (2ull << 4))
			v &= ~MENVCFG_CBIE;
		h->senvcfg = v;
		return true;
	case CSR_SSCRATCH: h->sscratch = v; return true;
	case CSR_SEPC: h->sepc = v & ~1ull; return true;
	case CSR_SCAUSE: h->scause = v; return true;
	case CSR_STVAL: h->stval = v; return true;
	case CSR_SIP:
		if (h->mideleg & MIP_SSIP) {
			if (v & MIP_SSIP)
				atomic_fetch_or(&h->mip, MIP_SSIP);
			else
				atomic_fetch_and(&h->mip, ~MIP_SSIP);
		}
		hart_request_irq_check(h);
		return true;
	case CSR_STIMECMP:
		if (h->priv < PRV_M &&
		    (!(h->mcounteren & 2) || !(h->menvcfg & MENVCFG_STCE_BIT)))
			return false;
		h->stimecmp = v;
		hart_update_timers(h);
		return true;
	case CSR_SATP: {
		unsigned mode = (unsigned)(v >> 60);
		if (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM))
			return false;
		if (mode != SATP_MODE_BARE && mode != SATP_MODE_SV39 &&
		    mode != SATP_MODE_SV48 && mode != SATP_MODE_SV57)
			return true; /* unsupported mode: write ignored */
		if ((h->satp >> 60) != mode)
			tlb_flush_all(&h->tlb);
		h->satp = v & ((0xfull << 60) | (0xffffull << 44) |
			       ((1ull << 44) - 1));
		mmu_update_index(h);
		return true;
	}
	case CSR_MISA: return true; /* fixed: RV64GC with S and U */
	case CSR_MEDELEG: h->medeleg = v & MEDELEG_WRITABLE; return true;
	case CSR_MIDELEG:
		h->mideleg = v & S_IRQS;
		hart_request_irq_check(h);
		return true;
	case CSR_MIE:
		h->mie = v & MIE_WRITABLE;
		hart_request_irq_check(h);
		return true;
	case CSR_MTVEC: h->mtvec = legal_tvec(v); return true;
	case CSR_MCOUNTEREN: h->mcounteren = (uint32_t)v; return true;
	case CSR_MENVCFG:
		v &= MENVCFG_WRITABLE;
		if ((v & MENVCFG_CBIE) == (2ull << 4))
			v &= ~MENVCFG_CBIE;
		if ((h->menvcfg ^ v) & MENVCFG_PBMTE_BIT)
			tlb_flush_all(&h->tlb);
		h->menvcfg = v;
		hart_update_timers(h);
		hart_request_irq_check(h);
		return true;
	case CSR_MCOUNTINHIBIT:
		h->mcountinhibit = (uint32_t)v & ~2u;
		return true;
	case CSR_MSCRATCH: h->mscratch = v; return true;
	case CSR_MEPC: h->mepc = v & ~1ull; return true;
	case CSR_MCAUSE: h->mcause = v; return true;
	case CSR_MTVAL: h->mtval = v; return true;
	case CSR_MIP: {
		uint64_t mask = MIP_SSIP | MIP_SEIP;
		if (!(h->menvcfg & MENVCFG_STCE_BIT))
			mask |= MIP_STIP;
		atomic_fetch_and(&h->mip, ~mask | (v & mask));
		atomic_fetch_or(&h->mip, v & mask);
		hart_request_irq_check(h);
		return true;
	}
	/* the write replaces this instruction's own increment, which the
	 * interpreter adds after the CSR access unless inhibited */
	case CSR_MCYCLE: h->cycle = v - !(h->mcountinhibit & 1); return true;
	case CSR_MINSTRET:
		h->instret = v - !(h->mcountinhibit & 4);
		return true;
	case CSR_TSELECT: return true; /* one (absent) trigger: stays 0 */
	case CSR_TDATA1:
	case CSR_TDATA2:
	case CSR_TDATA3: return true;
	}
	if (csr >= CSR_PMPCFG0 && csr < CSR_PMPCFG0 + 16) {
		unsigned n = csr - CSR_PMPCFG0;
		if (n & 1)
			return false;
		write_pmpcfg(h, n, v);
		pmp_update(&h->pmp);
		tlb_flush_all(&h->tlb);
		return true;
	}
	if (csr >= CSR_PMPADDR0 && csr < CSR_PMPADDR0 + 64) {
		write_pmpaddr(h, csr - CSR_PMPADDR0, v);
		pmp_update(&h->pmp);
		tlb_flush_all(&h->tlb);
		return true;
	}
	if ((csr > CSR_MINSTRET && csr <= 0xb1f) ||
	    (csr >= 0x323 && csr <= 0x33f))
		return true; /* read-only zero counters and events */
	return false;
}

bool csr_access(struct hart *h, unsigned csr, enum csr_op op, uint64_t operand,
		bool write, uint64_t *old)
{
	uint64_t v = 0, n;

	if ((unsigned)h->priv < ((csr >> 8) & 3))
		return false;
	if (write && (csr >> 10) == 3)
		return false; /* read-only CSR */
	if (!csr_read(h, csr, &v))
		return false;
	*old = v;
	if (!write)
		return true;
	/* mip/sip read back device and timer levels, which a set/clear must
	 * not turn into software-pending bits: modify the software part. */
	if (csr == CSR_MIP || csr == CSR_SIP)
		v = atomic_load(&h->mip);
	switch (op) {
	case CSR_SET: n = v | operand; break;
	case CSR_CLEAR: n = v & ~operand; break;
	default: n = operand; break;
	}
	return csr_write(h, csr, n);
}

bool hart_csr_read(struct hart *h, uint32_t csr, uint64_t *val)
{
	return csr_access(h, csr, CSR_SET, 0, false, val);
}

bool hart_csr_write(struct hart *h, uint32_t csr, uint64_t val)
{
	uint64_t old;

	return csr_access(h, csr, CSR_WRITE, val, true, &old);
}
