#include "dev/htif.h"

#include <errno.h>
#include <unistd.h>

void htif_init(struct htif *t, struct guest_mem *mem, uint64_t tohost,
	       uint64_t fromhost, int out_fd, struct power_ctl power)
{
	t->mem = mem;
	t->tohost = tohost;
	t->fromhost = fromhost;
	t->out_fd = out_fd;
	t->power = power;
	gmem_set_page_flag(mem, tohost, GPAGE_WATCH);
}

void htif_on_write(struct htif *t, uint64_t addr)
{
	uint64_t cmd, zero = 0;

	if (addr < t->tohost || addr >= t->tohost + 8)
		return;
	if (!gmem_read(t->mem, t->tohost, &cmd, 8) || cmd == 0)
		return;
	unsigned dev = (unsigned)(cmd >> 56), op = (unsigned)(cmd >> 48) & 0xff;
	uint64_t payload = cmd & ((1ull << 48) - 1);

	if (dev == 0 && op == 0 && (payload & 1)) {
		int code = (int)(payload >> 1);
		t->power.request(t->power.vm, code ? POWER_FAIL : POWER_OFF,
				 code);
		return;
	}
	if (dev == 1 && op == 1) {
		uint8_t c = (uint8_t)payload;
		ssize_t n;
		do
			n = write(t->out_fd, &c, 1);
		while (n < 0 && errno == EINTR);
		uint64_t ack = (1ull << 56) | (1ull << 48);
		gmem_write(t->mem, t->tohost, &zero, 8);
		if (t->fromhost)
			gmem_write(t->mem, t->fromhost, &ack, 8);
		return;
	}
	/* unknown command (e.g. proxy-kernel syscalls): acknowledge */
	gmem_write(t->mem, t->tohost, &zero, 8);
}
