/* legacy.c - SBI v0.1 (EIDs 0x00-0x08): one function per EID, the FID in
 * a6 is ignored, the result is in a0 only and a1 is preserved. Linux still
 * uses putchar/getchar for earlycon=sbi and hvc_riscv_sbi. */
#include "cpu/mmu.h"
#include "cpu/trap.h"
#include "sbi/sbi_ext.h"

/* Read the `unsigned long` hart mask a legacy call points at. The pointer
 * is a supervisor virtual address, read as an S-mode load would (SUM, MXR
 * as the guest set them). A page or access fault is the guest's: the spec
 * redirects it to the supervisor with sepc at the ecall, as KVM and
 * OpenSBI do, so we raise it and return false. A NULL pointer means all
 * harts (KVM and OpenSBI agree on this). */
static bool read_hart_mask(struct sbi *s, struct hart *h, uint64_t va,
			   uint64_t *mask)
{
	uint8_t buf[8];
	unsigned done = 0;

	if (va == 0) {
		*mask = s->nharts == 64 ? UINT64_MAX : (1ull << s->nharts) - 1;
		return true;
	}
	/* with at most 64 harts the mask is a single unsigned long, but it
	 * may straddle two pages if the guest misaligned it */
	while (done < sizeof(buf)) {
		uint64_t addr = va + done, gpa;
		uint64_t room =
			GUEST_PAGE_SIZE - (addr & (GUEST_PAGE_SIZE - 1));
		unsigned chunk = sizeof(buf) - done;
		int cause;

		if (chunk > room)
			chunk = (unsigned)room;
		cause = mmu_translate(h, addr, ACC_READ, h->dmmu, &gpa);
		if (cause) {
			hart_raise(h, (uint64_t)cause, addr);
			return false;
		}
		if (!pmp_allows(h, gpa, chunk, ACC_READ, PRV_S) ||
		    !gmem_read(s->mem, gpa, buf + done, chunk)) {
			hart_raise(h, CAUSE_LOAD_ACCESS, addr);
			return false;
		}
		done += chunk;
	}
	*mask = 0;
	for (unsigned i = 0; i < sizeof(buf); i++)
		*mask |= (uint64_t)buf[i] << (8 * i);
	return true;
}

/* Returns false if the call does not complete (fault raised). */
static bool legacy_remote(struct sbi *s, struct hart *h, uint64_t eid,
			  int64_t *err)
{
	uint64_t mask, harts;
	bool ipi = eid == SBI_LEGACY_SEND_IPI;

	if (ipi ? !s->ops->send_ipi : !s->ops->remote_fence) {
		*err = SBI_ERR_NOT_SUPPORTED;
		return true;
	}
	if (!read_hart_mask(s, h, h->x[10], &mask))
		return false;
	/* the v0.1 mask starts at hart 0; check it all before acting */
	*err = sbi_hart_mask(s, mask, 0, &harts);
	if (*err)
		return true;
	if (ipi)
		sbi_send_ipis(s, harts);
	else if (eid == SBI_LEGACY_REMOTE_FENCE_I)
		sbi_remote_fences(s, harts, SBI_FENCE_I, 0, 0, 0);
	else if (eid == SBI_LEGACY_REMOTE_SFENCE_VMA)
		sbi_remote_fences(s, harts, SBI_FENCE_VMA, h->x[11], h->x[12],
				  0);
	else
		sbi_remote_fences(s, harts, SBI_FENCE_VMA_ASID, h->x[11],
				  h->x[12], h->x[13]);
	return true;
}

static bool legacy_handle(struct sbi *s, struct hart *h, uint64_t fid,
			  struct sbi_ret *ret)
{
	uint64_t eid = h->x[17];
	int64_t err = 0;

	(void)fid;
	switch (eid) {
	case SBI_LEGACY_SET_TIMER: hart_set_stimer(h, h->x[10]); break;
	case SBI_LEGACY_CONSOLE_PUTCHAR: {
		/* with no console the byte is thrown away, as specified */
		uint8_t c = (uint8_t)h->x[10];
		if (s->ops->console_write)
			s->ops->console_write(s->m, &c, 1);
		break;
	}
	case SBI_LEGACY_CONSOLE_GETCHAR: {
		int c = s->ops->console_read ? s->ops->console_read(s->m) : -1;
		err = c < 0 ? -1 : (c & 0xff);
		break;
	}
	case SBI_LEGACY_CLEAR_IPI: {
		/* 0 if no IPI was pending, a positive value if one was */
		uint64_t old = atomic_fetch_and(&h->mip, ~MIP_SSIP);
		err = (old & MIP_SSIP) ? 1 : 0;
		break;
	}
	case SBI_LEGACY_SEND_IPI:
	case SBI_LEGACY_REMOTE_FENCE_I:
	case SBI_LEGACY_REMOTE_SFENCE_VMA:
	case SBI_LEGACY_REMOTE_SFENCE_VMA_ASID:
		if (!legacy_remote(s, h, eid, &err))
			return false;
		break;
	case SBI_LEGACY_SHUTDOWN:
		if (!s->ops->system_reset) {
			err = SBI_ERR_NOT_SUPPORTED;
			break;
		}
		s->ops->system_reset(s->m, SBI_RESET_SHUTDOWN, 0);
		return false;
	default: err = SBI_ERR_NOT_SUPPORTED; break;
	}
	ret->error = err;
	ret->value = h->x[11]; /* legacy calls preserve a1 */
	return true;
}

const struct sbi_ext sbi_ext_legacy = {
	.first = SBI_EXT_LEGACY_FIRST,
	.last = SBI_EXT_LEGACY_LAST,
	.slot = SBI_SLOT_LEGACY,
	.handle = legacy_handle,
};
