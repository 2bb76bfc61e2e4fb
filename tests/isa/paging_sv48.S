/* paging_sv48.S - Sv48 translation (satp mode 9): identity, offset and
 * superpage mappings (down to misaligned superpages), hardware A/D updates,
 * R/W/X/U permissions with SUM and MXR, MPRV, non-canonical addresses,
 * sfence.vma after PTE changes, satp ignoring unsupported modes, fetch
 * faults across a page boundary, Svpbmt and reserved PTE bits. The body is
 * shared with the other paging tests: see paging.inc.
 *
 * QEMU 7.2 stops at check 59: it ignores reserved PTE encodings (checks
 * 59-62: PBMT = 3, PBMT with menvcfg.PBMTE = 0, the N bit without Svnapot,
 * bit 60), which must raise page faults. All checks before pass on QEMU. */
#define LEVELS 4
#include "common.inc"
#include "paging.inc"
