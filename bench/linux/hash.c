/* hash.c - an open-addressing hash table (linear probing, string keys):
 * insert, update, look up present and absent keys, delete half; every
 * count is checked against what the workload knows it did. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lbench.h"

#define SLOTS (1u << 17)
#define KEYS (SLOTS / 2)

struct slot {
	char key[24];
	uint64_t val;
	int state; /* 0 empty, 1 used, 2 deleted */
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (*s)
		h = fnv(h, (unsigned char)*s++);
	return h;
}

static struct slot *find(struct slot *t, const char *key, int insert)
{
	struct slot *tomb = 0;

	for (uint64_t i = hash_str(key) & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1)) {
		struct slot *s = &t[i];
		if (s->state == 0)
			return insert ? (tomb ? tomb : s) : 0;
		if (s->state == 2) {
			if (!tomb)
				tomb = s;
		} else if (!strcmp(s->key, key)) {
			return s;
		}
	}
}

int bench_hash(unsigned scale, uint64_t *checksum)
{
	struct slot *t = malloc(SLOTS * sizeof(*t));
	uint64_t h = 0xcbf29ce484222325ull;
	int ok = t != 0;
	char key[24];

	for (unsigned round = 0; ok && round < scale; round++) {
		uint64_t found = 0, absent = 0, total = 0;
		memset(t, 0, SLOTS * sizeof(*t));
		for (unsigned i = 0; i < KEYS; i++) {
			snprintf(key, sizeof(key), "k%u-%u", i * 7919u, round);
			struct slot *s = find(t, key, 1);
			memcpy(s->key, key, sizeof(key));
			s->val = i;
			s->state = 1;
		}
		for (unsigned i = 0; i < KEYS; i += 2) { /* update even keys */
			snprintf(key, sizeof(key), "k%u-%u", i * 7919u, round);
			struct slot *s = find(t, key, 0);
			if (!s)
				ok = 0;
			else
				s->val += 1000000;
		}
		for (unsigned i = 0; i < KEYS; i += 4) { /* delete every 4th */
			snprintf(key, sizeof(key), "k%u-%u", i * 7919u, round);
			struct slot *s = find(t, key, 0);
			if (!s)
				ok = 0;
			else
				s->state = 2;
		}
		for (unsigned i = 0; i < KEYS * 2; i++) { /* half absent */
			snprintf(key, sizeof(key), "k%u-%u", i * 7919u, round);
			struct slot *s = find(t, key, 0);
			if (s) {
				found++;
				total += s->val;
			} else {
				absent++;
			}
		}
		/* present: KEYS - KEYS/4; even survivors got +1000000 */
		uint64_t want_total = 0;
		for (unsigned i = 0; i < KEYS; i++)
			if (i % 4)
				want_total += i + (i % 2 ? 0 : 1000000);
		ok = ok && found == KEYS - KEYS / 4 && absent == KEYS * 2 - found && total == want_total;
		h = fnv(fnv(h, found), total);
	}
	free(t);
	*checksum = h;
	return ok;
}
