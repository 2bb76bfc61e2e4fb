/* bare.h - what the bare-metal benchmark programs share: output on the
 * ns16550a UART, the instret counter, and the report line the harness
 * (bench/run) parses:
 *
 *   bench NAME instret N result PASS|FAIL
 *
 * Exit goes through crt.S: main's return value is written to HTIF tohost
 * (rvisor, QEMU spike) and then to the SiFive test device (QEMU virt), so
 * the same ELF exits on every machine with status = main's return value.
 *
 * Programs are built twice: for the guest, and with -DHOST for the build
 * machine, which prints the expected result the guest build checks against. */
#ifndef BENCH_BARE_H
#define BENCH_BARE_H
#include <stdint.h>

#ifndef HOST
#define UART ((volatile uint8_t *)0x10000000)

static inline void bputc(char c)
{
	while (!(UART[5] & 0x20)) /* LSR.THRE */
		;
	UART[0] = (uint8_t)c;
}

static inline void bputs(const char *s)
{
	while (*s)
		bputc(*s++);
}

static inline void bputu(uint64_t v)
{
	char buf[21];
	int n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		bputc(buf[--n]);
}

static inline void bputx(uint64_t v)
{
	bputs("0x");
	for (int i = 60; i >= 0; i -= 4)
		bputc("0123456789abcdef"[(v >> i) & 15]);
}

/* M-mode counter: retired instructions (rvisor counts them exactly; QEMU
 * without -icount returns host ticks here, so the harness takes the count
 * from rvisor: the programs are deterministic). */
static inline uint64_t rd_instret(void)
{
	uint64_t v;
	__asm__ volatile("csrr %0, minstret" : "=r"(v));
	return v;
}

/* One report line; returns the exit status for main. */
static inline int report(const char *name, uint64_t instret, int ok, uint64_t got,
			 uint64_t want)
{
	bputs("bench ");
	bputs(name);
	bputs(" instret ");
	bputu(instret);
	bputs(ok ? " result PASS\n" : " result FAIL");
	if (!ok) {
		bputs(" got ");
		bputx(got);
		bputs(" want ");
		bputx(want);
		bputc('\n');
	}
	return ok ? 0 : 1;
}
#endif /* !HOST */
/* main() for a program whose `uint64_t work(void)` result is checked: on
 * the host it prints the value (the Makefile passes it to the guest build
 * as EXPECT), in the guest it runs work() and reports against EXPECT. */
#ifdef HOST
#include <stdio.h>
#define BENCH_MAIN(name)                                                       \
	int main(void)                                                         \
	{                                                                      \
		printf("0x%llxull\n", (unsigned long long)work());             \
		return 0;                                                      \
	}
#else
#define BENCH_MAIN(name)                                                       \
	int main(void);                                                        \
	int main(void)                                                         \
	{                                                                      \
		uint64_t i0 = rd_instret(), got = work();                      \
		uint64_t n = rd_instret() - i0;                                \
		return report(name, n, got == EXPECT, got, EXPECT);            \
	}
#endif

#endif
