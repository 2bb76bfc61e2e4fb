/* dbcn.c - Debug Console: write/read many bytes through guest-physical
 * buffers, or write one byte. */
#include "cpu/mmu.h"
#include "sbi/sbi_ext.h"

enum {
	DBCN_CONSOLE_WRITE = 0,
	DBCN_CONSOLE_READ = 1,
	DBCN_CONSOLE_WRITE_BYTE = 2,
};

static bool dbcn_available(const struct sbi *s)
{
	return s->ops->console_write != NULL;
}

/* The buffer is (num_bytes, base_lo, base_hi), a physical range. On rv64
 * base_hi holds address bits 64 and up, which no guest RAM has: it must be
 * 0. The whole range must be RAM (gmem_find is overflow-safe, so a base
 * near 2^64 is refused, not wrapped), and S-mode must be allowed the
 * access by PMP, as the spec's shared-memory rules demand. `acc` is the
 * access the SBI layer makes: it reads for console_write. */
static bool dbcn_range_ok(const struct sbi *s, struct hart *h, enum access acc)
{
	return h->x[12] == 0 && gmem_ptr(s->mem, h->x[11], h->x[10]) &&
	       pmp_allows(h, h->x[11], h->x[10], acc, PRV_S);
}

static uint64_t dbcn_read(struct sbi *s, uint64_t gpa, uint64_t max)
{
	uint8_t buf[64];
	uint64_t n = 0;
	unsigned k = 0;

	/* non-blocking: stop at the first "nothing there" */
	while (n + k < max && s->ops->console_read) {
		int c = s->ops->console_read(s->m);
		if (c < 0)
			break;
		buf[k++] = (uint8_t)c;
		if (k == sizeof(buf)) {
			gmem_write(s->mem, gpa + n, buf, k);
			n += k;
			k = 0;
		}
	}
	gmem_write(s->mem, gpa + n, buf, k);
	return n + k;
}

static bool dbcn_handle(struct sbi *s, struct hart *h, uint64_t fid,
			struct sbi_ret *ret)
{
	uint64_t len = h->x[10];

	switch (fid) {
	case DBCN_CONSOLE_WRITE:
	case DBCN_CONSOLE_READ:
		if (h->x[12] != 0) {
			ret->error = SBI_ERR_INVALID_PARAM;
			return true;
		}
		ret->error = SBI_SUCCESS;
		if (len == 0) /* an empty buffer is valid anywhere */
			return true;
		if (!dbcn_range_ok(s, h,
				   fid == DBCN_CONSOLE_WRITE ? ACC_READ
							     : ACC_WRITE)) {
			ret->error = SBI_ERR_INVALID_PARAM;
			return true;
		}
		if (fid == DBCN_CONSOLE_WRITE) {
			s->ops->console_write(
				s->m, gmem_ptr(s->mem, h->x[11], len), len);
			ret->value = len;
		} else {
			ret->value = dbcn_read(s, h->x[11], len);
		}
		return true;
	case DBCN_CONSOLE_WRITE_BYTE: {
		/* only the low byte: kvm-unit-tests writes 0x64636261 and
		 * expects 'a' */
		uint8_t c = (uint8_t)h->x[10];
		s->ops->console_write(s->m, &c, 1);
		ret->error = SBI_SUCCESS;
		return true;
	}
	default: return true;
	}
}

const struct sbi_ext sbi_ext_dbcn = {
	.first = SBI_EXT_DBCN,
	.last = SBI_EXT_DBCN,
	.slot = SBI_SLOT_DBCN,
	.available = dbcn_available,
	.handle = dbcn_handle,
};
