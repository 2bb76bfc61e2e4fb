/* guest_access.h - little-endian access to a test fixture's guest RAM, as
 * a driver would write rings. The fixture `f` is any struct with a
 * `struct guest_mem mem` member; out-of-RAM addresses fail the test. */
#ifndef RVISOR_TESTS_GUEST_ACCESS_H
#define RVISOR_TESTS_GUEST_ACCESS_H

#include <endian.h>
#include <stdint.h>
#include <string.h>

#include "mem/guest_mem.h"

static inline uint8_t *gm_ptr(struct guest_mem *m, uint64_t gpa)
{
	uint8_t *p = gmem_ptr(m, gpa, 1);

	assert_non_null(p);
	return p;
}

#define GM_ACCESSORS(bits)                                                     \
	static inline void gm_w##bits(struct guest_mem *m, uint64_t gpa,       \
				      uint##bits##_t v)                        \
	{                                                                      \
		v = htole##bits(v);                                            \
		memcpy(gm_ptr(m, gpa), &v, sizeof(v));                         \
	}                                                                      \
	static inline uint##bits##_t gm_r##bits(struct guest_mem *m,           \
						uint64_t gpa)                  \
	{                                                                      \
		uint##bits##_t v;                                              \
		memcpy(&v, gm_ptr(m, gpa), sizeof(v));                         \
		return le##bits##toh(v);                                       \
	}
GM_ACCESSORS(16)
GM_ACCESSORS(32)
GM_ACCESSORS(64)
#undef GM_ACCESSORS

#define hp(f, gpa)     gm_ptr(&(f)->mem, (gpa))
#define w16(f, gpa, v) gm_w16(&(f)->mem, (gpa), (v))
#define w32(f, gpa, v) gm_w32(&(f)->mem, (gpa), (v))
#define w64(f, gpa, v) gm_w64(&(f)->mem, (gpa), (v))
#define r16(f, gpa)    gm_r16(&(f)->mem, (gpa))
#define r32(f, gpa)    gm_r32(&(f)->mem, (gpa))
#define r64(f, gpa)    gm_r64(&(f)->mem, (gpa))

#endif
