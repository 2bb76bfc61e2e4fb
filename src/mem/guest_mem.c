#include "mem/guest_mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int gmem_init(struct guest_mem *m)
{
	memset(m, 0, sizeof(*m));
	m->ram_fd = -1;
	return 0;
}

bool gmem_host_to_gpa(const struct guest_mem *m, const void *host,
		      uint64_t *gpa)
{
	for (int i = 0; i < m->nslots; i++) {
		const struct mem_slot *s = &m->slots[i];
		uintptr_t p = (uintptr_t)host, b = (uintptr_t)s->host;
		if (p >= b && p - b < s->size) {
			*gpa = s->gpa + (p - b);
			return true;
		}
	}
	return false;
}

#define HUGE_PAGE (2ull << 20)

/* Anonymous memory aligned to 2 MiB, so the kernel can back it with
 * transparent huge pages: a guest booting touches most of its RAM, and
 * each 4 KiB fault costs far more than zeroing a page. */
void *map_huge(uint64_t size)
{
	uint8_t *p = mmap(NULL, size + HUGE_PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint8_t *a;

	if (p == MAP_FAILED)
		return NULL;
	a = (uint8_t *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
	if (a > p)
		munmap(p, (size_t)(a - p));
	munmap(a + size, (size_t)(p + HUGE_PAGE - a));
	madvise(a, size, MADV_HUGEPAGE);
	return a;
}

int gmem_add_ram(struct guest_mem *m, uint64_t gpa, uint64_t size)
{
	struct mem_slot *s;
	size_t npages;
	int fd;

	if (m->nslots == GMEM_MAX_SLOTS || size == 0 ||
	    (gpa | size) & (GUEST_PAGE_SIZE - 1) || gpa + size < gpa)
		return -EINVAL;
	for (int i = 0; i < m->nslots; i++) {
		struct mem_slot *o = &m->slots[i];
		if (gpa < o->gpa + o->size && o->gpa < gpa + size)
			return -EEXIST;
	}
	s = &m->slots[m->nslots];
	fd = -1;
	if (m->shared_ram) {
		fd = memfd_create("rvisor-ram", MFD_CLOEXEC);
		if (fd < 0)
			return -errno;
		if (ftruncate(fd, (off_t)size) < 0) {
			int e = errno;
			close(fd);
			return -e;
		}
		s->host = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_NORESERVE, fd, 0);
		if (s->host == MAP_FAILED) {
			int e = errno;
			close(fd);
			return -e;
		}
	} else {
		s->host = map_huge(size);
		if (!s->host)
			return -ENOMEM;
	}
	npages = size >> GUEST_PAGE_SHIFT;
	s->page_flags = calloc(npages, 1);
	s->write_va = calloc(npages, sizeof(uint64_t));
	if (!s->page_flags || !s->write_va) {
		free((void *)s->page_flags);
		free((void *)s->write_va);
		munmap(s->host, size);
		if (fd >= 0)
			close(fd);
		return -ENOMEM;
	}
	s->gpa = gpa;
	s->size = size;
	s->dirty = NULL;
	if (m->ram_fd < 0)
		m->ram_fd = fd;
	else if (fd >= 0)
		close(fd);
	m->nslots++;
	return 0;
}

void gmem_destroy(struct guest_mem *m)
{
	for (int i = 0; i < m->nslots; i++) {
		munmap(m->slots[i].host, m->slots[i].size);
		free((void *)m->slots[i].page_flags);
		free((void *)m->slots[i].write_va);
		free((void *)m->slots[i].dirty);
	}
	if (m->ram_fd >= 0)
		close(m->ram_fd);
	m->nslots = 0;
	m->ram_fd = -1;
}

struct mem_slot *gmem_find(struct guest_mem *m, uint64_t gpa, uint64_t len)
{
	for (int i = 0; i < m->nslots; i++) {
		struct mem_slot *s = &m->slots[i];
		uint64_t off = gpa - s->gpa;
		/* off < size and len <= size - off: no overflow possible */
		if (gpa >= s->gpa && off < s->size && len <= s->size - off)
			return s;
	}
	return NULL;
}

void *gmem_ptr(struct guest_mem *m, uint64_t gpa, uint64_t len)
{
	struct mem_slot *s = gmem_find(m, gpa, len ? len : 1);

	return s ? s->host + (gpa - s->gpa) : NULL;
}

void gmem_note_write(struct guest_mem *m, struct mem_slot *s, uint64_t gpa,
		     uint64_t len)
{
	uint64_t first, last;

	if (len == 0)
		return;
	first = (gpa - s->gpa) >> GUEST_PAGE_SHIFT;
	last = (gpa - s->gpa + len - 1) >> GUEST_PAGE_SHIFT;
	for (uint64_t p = first; p <= last; p++) {
		uint8_t f = atomic_load_explicit(&s->page_flags[p],
						 memory_order_relaxed);
		if (s->dirty)
			atomic_fetch_or_explicit(&s->dirty[p / 64],
						 1ull << (p % 64),
						 memory_order_relaxed);
		if (f & GPAGE_CODE) {
			atomic_fetch_and(&s->page_flags[p],
					 (uint8_t)~GPAGE_CODE);
			if (m->code_write_hook)
				m->code_write_hook(
					m->code_write_opaque,
					s->gpa + (p << GUEST_PAGE_SHIFT));
		}
	}
}

void *gmem_ptr_for_write(struct guest_mem *m, uint64_t gpa, uint64_t len)
{
	struct mem_slot *s = gmem_find(m, gpa, len ? len : 1);

	if (!s)
		return NULL;
	gmem_note_write(m, s, gpa, len);
	return s->host + (gpa - s->gpa);
}

bool gmem_read(struct guest_mem *m, uint64_t gpa, void *buf, uint64_t len)
{
	void *p = gmem_ptr(m, gpa, len);

	if (!p)
		return false;
	memcpy(buf, p, len);
	return true;
}

bool gmem_write(struct guest_mem *m, uint64_t gpa, const void *buf,
		uint64_t len)
{
	void *p = gmem_ptr_for_write(m, gpa, len);

	if (!p)
		return false;
	memcpy(p, buf, len);
	return true;
}

/* A fill and a flag racing: the fill records its va, then reads the
 * flags; the setter sets the flag, then reads the va (both sequentially
 * consistent). One of them sees the other, so either the filler drops its
 * own entry or the setter finds it. */
void gmem_set_page_flag(struct guest_mem *m, uint64_t gpa, uint8_t flag)
{
	struct mem_slot *s = gmem_find(m, gpa, 1);

	if (!s)
		return;
	uint64_t p = (gpa - s->gpa) >> GUEST_PAGE_SHIFT;
	if (atomic_fetch_or(&s->page_flags[p], flag))
		return; /* had flags: no write entry was made since */
	uint64_t va = atomic_exchange(&s->write_va[p], 0);
	if (va && m->flag_set_hook)
		m->flag_set_hook(m->code_write_opaque,
				 (uintptr_t)(s->host + (p << GUEST_PAGE_SHIFT)),
				 va);
}

bool gmem_note_write_fill(struct mem_slot *s, uint64_t gpa, uint64_t va)
{
	uint64_t p = (gpa - s->gpa) >> GUEST_PAGE_SHIFT, vp = va & ~0xfffull;
	uint64_t cur = atomic_load(&s->write_va[p]);

	while (cur != vp && cur != GMEM_WVA_SEVERAL &&
	       !atomic_compare_exchange_weak(&s->write_va[p], &cur,
					     cur ? GMEM_WVA_SEVERAL : vp))
		;
	return atomic_load(&s->page_flags[p]) == 0;
}

int gmem_dirty_log_start(struct guest_mem *m)
{
	for (int i = 0; i < m->nslots; i++) {
		struct mem_slot *s = &m->slots[i];
		size_t words = ((s->size >> GUEST_PAGE_SHIFT) + 63) / 64;
		if (s->dirty)
			continue;
		s->dirty = calloc(words, sizeof(uint64_t));
		if (!s->dirty)
			return -ENOMEM;
	}
	return 0;
}

void gmem_dirty_log_stop(struct guest_mem *m)
{
	for (int i = 0; i < m->nslots; i++) {
		free((void *)m->slots[i].dirty);
		m->slots[i].dirty = NULL;
	}
}
