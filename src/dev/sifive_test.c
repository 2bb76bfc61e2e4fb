#include "dev/sifive_test.h"

#include <stdlib.h>

struct sifive_test {
	struct power_ctl power;
};

static bool st_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
	(void)dev; (void)off; (void)size;
	*val = 0;
	return true;
}

static bool st_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
	struct sifive_test *t = dev;

	if (off != 0 || size < 4)
		return true; /* ignored, as on hardware */
	switch (val & 0xffff) {
	case 0x5555:
		t->power.request(t->power.vm, POWER_OFF, 0);
		break;
	case 0x3333:
		t->power.request(t->power.vm, POWER_FAIL,
				 (int)((val >> 16) & 0xffff));
		break;
	case 0x7777:
		t->power.request(t->power.vm, POWER_RESET, 0);
		break;
	}
	return true;
}

static void st_destroy(void *dev)
{
	free(dev);
}

const struct device_ops sifive_test_ops = {
	.name = "sifive_test",
	.read = st_read,
	.write = st_write,
	.destroy = st_destroy,
};

void *sifive_test_new(struct power_ctl power)
{
	struct sifive_test *t = calloc(1, sizeof(*t));

	if (t)
		t->power = power;
	return t;
}
