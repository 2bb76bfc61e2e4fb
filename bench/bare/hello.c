/* hello.c - the bare-metal demo: prints through the ns16550a UART, reports
 * what the hart says about itself, and powers off through the SiFive test
 * device (exit status 0). */
#include <stdint.h>

#define UART ((volatile uint8_t *)0x10000000)
#define TEST_DEV ((volatile uint32_t *)0x100000)

static void putc_(char c)
{
	while (!(UART[5] & 0x20)) /* LSR.THRE */
		;
	UART[0] = (uint8_t)c;
}

static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void puthex(uint64_t v)
{
	puts_("0x");
	for (int i = 60; i >= 0; i -= 4)
		putc_("0123456789abcdef"[(v >> i) & 15]);
}

static uint64_t csr_misa(void)
{
	uint64_t v;
	__asm__ volatile("csrr %0, misa" : "=r"(v));
	return v;
}

static uint64_t csr_time(void)
{
	uint64_t v;
	__asm__ volatile("rdtime %0" : "=r"(v));
	return v;
}

int main(void);
int main(void)
{
	uint64_t misa = csr_misa(), t0 = csr_time(), fib[2] = {0, 1};

	puts_("Hello from a bare-metal program on rvisor!\n");
	puts_("misa: ");
	puthex(misa);
	puts_(" (rv64");
	for (int i = 0; i < 26; i++)
		if (misa & (1ull << i))
			putc_((char)('a' + i));
	puts_(")\n");
	for (int i = 0; i < 90; i++) {
		uint64_t n = fib[0] + fib[1];
		fib[0] = fib[1];
		fib[1] = n;
	}
	puts_("fib(91) = ");
	puthex(fib[1]);
	puts_("\nelapsed guest ticks (10 MHz): ");
	puthex(csr_time() - t0);
	puts_("\npowering off\n");
	*TEST_DEV = 0x5555;
	for (;;)
		;
}
