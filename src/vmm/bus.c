#include "vmm/bus.h"

#include <string.h>

int bus_add(struct bus *b, uint64_t base, uint64_t size,
	    const struct device_ops *ops, void *dev)
{
	if (b->n == BUS_MAX_REGIONS || size == 0 || base + size < base)
		return -1;
	for (int i = 0; i < b->n; i++)
		if (base < b->r[i].base + b->r[i].size &&
		    b->r[i].base < base + size)
			return -1;
	b->r[b->n++] = (struct bus_region){base, size, ops, dev, 0, 0, 0, 0};
	return 0;
}

struct bus_region *bus_last(struct bus *b)
{
	return b->n ? &b->r[b->n - 1] : NULL;
}

static struct bus_region *find(struct bus *b, uint64_t addr, unsigned size)
{
	for (int i = 0; i < b->n; i++) {
		struct bus_region *r = &b->r[i];
		uint64_t off = addr - r->base;
		if (addr >= r->base && off < r->size && size <= r->size - off)
			return r;
	}
	b->unassigned++;
	return NULL;
}

bool bus_read(struct bus *b, uint64_t addr, unsigned size, uint64_t *val)
{
	struct bus_region *r = find(b, addr, size);

	*val = 0;
	if (!r || !r->ops->read)
		return false;
	r->reads++;
	return r->ops->read(r->dev, addr - r->base, size, val);
}

bool bus_write(struct bus *b, uint64_t addr, unsigned size, uint64_t val)
{
	struct bus_region *r = find(b, addr, size);

	if (!r || !r->ops->write)
		return false;
	r->writes++;
	return r->ops->write(r->dev, addr - r->base, size, val);
}

void bus_reset(struct bus *b)
{
	for (int i = 0; i < b->n; i++)
		if (b->r[i].ops->reset)
			b->r[i].ops->reset(b->r[i].dev);
}

/* In reverse order of creation: devices added later may hold lines into
 * ones added earlier (the interrupt controller comes first). */
void bus_destroy(struct bus *b)
{
	for (int i = b->n - 1; i >= 0; i--)
		if (b->r[i].ops->destroy)
			b->r[i].ops->destroy(b->r[i].dev);
	b->n = 0;
}
