/* memwalk.c - address translation cost: Sv39 paging in S-mode, one load
 * per 4 KiB page over a working set of PAGES pages, ACCESSES loads in all
 * (so every working-set size does the same work), with an sfence.vma every
 * SFENCE_EVERY passes over the set.
 *
 * M-mode builds the page tables (RAM identity-mapped by a 1 GiB page; the
 * working set at VA 0x40000000 mapped page by page onto a permutation of
 * physical pages from 0x84000000), opens PMP, and mrets into S-mode; the
 * walk ends with an ecall back to M-mode, which checks the sum and
 * reports. Each page holds a word naming its virtual page, so a wrong
 * translation gives a wrong sum. Built once per working-set size
 * (-DPAGES=N); needs 128 MiB of RAM. */
#include "bare.h"

#ifndef PAGES
#define PAGES 1024
#endif
#ifndef ACCESSES
#ifdef QUICK
#define ACCESSES (1u << 20)
#else
#define ACCESSES (1u << 25)
#endif
#endif
#ifndef SFENCE_EVERY
#define SFENCE_EVERY 4
#endif

#define PASSES (ACCESSES / PAGES)
#define WS_VA 0x40000000ul
#define WS_PA 0x84000000ul
#define L0_TABLES ((PAGES + 511) / 512)

#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_A 0x40
#define PTE_D 0x80
#define PTE(pa, flags) ((((uint64_t)(pa)) >> 12) << 10 | (flags))

_Static_assert((PAGES & (PAGES - 1)) == 0 && PAGES <= 16384, "PAGES: a power of two <= 16384");

static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l0[L0_TABLES][512] __attribute__((aligned(4096)));

static volatile uint64_t walk_sum;
static uint64_t instret0;

/* physical page of virtual page i: an odd multiplier permutes 0..PAGES-1 */
static uint64_t perm(uint64_t i)
{
	return (i * 0x9e3779b1u) & (PAGES - 1);
}

/* word offset inside page i: varies the cache line, one word per page */
static uint64_t offset(uint64_t i)
{
	return (i & 63) << 6;
}

/* S-mode: the walk itself */
static void __attribute__((noreturn, noinline)) s_main(void)
{
	uint64_t sum = 0;

	for (uint32_t pass = 0; pass < PASSES; pass++) {
		if (pass % SFENCE_EVERY == 0)
			__asm__ volatile("sfence.vma" ::: "memory");
		for (uint64_t i = 0; i < PAGES; i++)
			sum += *(volatile uint64_t *)(WS_VA + i * 4096 + offset(i)) ^ (i << 32);
	}
	walk_sum = sum;
	__asm__ volatile("ecall");
	for (;;)
		;
}

/* M-mode trap entry: back on the boot stack, into m_trap */
void m_trap(uint64_t cause, uint64_t epc, uint64_t tval);
__asm__(".align 4\n"
	"m_trap_entry:\n"
	"	la sp, stack_top\n"
	"	csrr a0, mcause\n"
	"	csrr a1, mepc\n"
	"	csrr a2, mtval\n"
	"	call m_trap\n"
	"1:	j 1b\n");
extern char m_trap_entry[];

static void __attribute__((noreturn)) m_exit(int code)
{
	extern volatile uint64_t tohost;

	tohost = (uint64_t)code << 1 | 1;
	*(volatile uint32_t *)0x100000 = code ? (uint32_t)code << 16 | 0x3333 : 0x5555;
	for (;;)
		;
}

void m_trap(uint64_t cause, uint64_t epc, uint64_t tval)
{
	uint64_t n = rd_instret() - instret0;
	/* each pass reads sum(perm(i) + 1) over i < PAGES, i.e. sum(1..PAGES) */
	uint64_t want = (uint64_t)PASSES * PAGES * (PAGES + 1) / 2;

	if (cause != 9) { /* not the ecall from S-mode */
		bputs("memwalk: unexpected trap mcause ");
		bputx(cause);
		bputs(" mepc ");
		bputx(epc);
		bputs(" mtval ");
		bputx(tval);
		bputc('\n');
		m_exit(3);
	}
	bputs("pages ");
	bputu(PAGES);
	bputs(" accesses ");
	bputu((uint64_t)PASSES * PAGES);
	bputs(" sfence_every ");
	bputu(SFENCE_EVERY);
	bputc('\n');
	m_exit(report("memwalk", n, walk_sum == want, walk_sum, want));
}

int main(void);
int main(void)
{
	instret0 = rd_instret();
	for (uint64_t i = 0; i < PAGES; i++) { /* data, through physical addresses */
		uint64_t pa = WS_PA + perm(i) * 4096;
		*(volatile uint64_t *)(pa + offset(i)) = (i << 32) | (perm(i) + 1);
	}
	for (int i = 0; i < 512; i++)
		l2[i] = l1[i] = 0;
	l2[2] = PTE(0x80000000ul, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D); /* RAM, 1 GiB */
	l2[WS_VA >> 30] = PTE(l1, PTE_V);
	for (int t = 0; t < L0_TABLES; t++) {
		l1[t] = PTE(l0[t], PTE_V);
		for (int k = 0; k < 512; k++) {
			uint64_t i = (uint64_t)t * 512 + (uint64_t)k;
			l0[t][k] = i < PAGES ? PTE(WS_PA + perm(i) * 4096, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D) : 0;
		}
	}
	/* PMP: let S-mode reach everything; satp: Sv39 */
	__asm__ volatile("csrw pmpaddr0, %0" ::"r"(~0ul >> 10));
	__asm__ volatile("csrw pmpcfg0, %0" ::"r"(0x1ful)); /* NAPOT, RWX */
	__asm__ volatile("csrw satp, %0" ::"r"(8ul << 60 | (uint64_t)l2 >> 12));
	__asm__ volatile("sfence.vma" ::: "memory");
	__asm__ volatile("csrw mtvec, %0" ::"r"(m_trap_entry));
	__asm__ volatile("csrw mepc, %0" ::"r"(s_main));
	__asm__ volatile("csrc mstatus, %0" ::"r"(3ul << 11)); /* MPP = S */
	__asm__ volatile("csrs mstatus, %0" ::"r"(1ul << 11));
	__asm__ volatile("mret");
	return 4; /* not reached */
}
