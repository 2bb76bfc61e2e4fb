/* csr.h - control and status registers with their WARL rules. */
#ifndef RVISOR_CPU_CSR_H
#define RVISOR_CPU_CSR_H

#include "cpu/hart.h"

enum csr_op { CSR_WRITE, CSR_SET, CSR_CLEAR };

/* One Zicsr access at the current privilege. `write` is false for CSRRS/C
 * with a zero operand register (no write side effects). Returns false if
 * the access must raise an illegal-instruction exception. h->instret must
 * be up to date (the interpreter syncs it first). */
bool csr_access(struct hart *h, unsigned csr, enum csr_op op, uint64_t operand,
		bool write, uint64_t *old);

#define CSR_FFLAGS	  0x001
#define CSR_FRM		  0x002
#define CSR_FCSR	  0x003
#define CSR_CYCLE	  0xc00
#define CSR_TIME	  0xc01
#define CSR_INSTRET	  0xc02
#define CSR_SSTATUS	  0x100
#define CSR_SIE		  0x104
#define CSR_STVEC	  0x105
#define CSR_SCOUNTEREN	  0x106
#define CSR_SENVCFG	  0x10a
#define CSR_SSCRATCH	  0x140
#define CSR_SEPC	  0x141
#define CSR_SCAUSE	  0x142
#define CSR_STVAL	  0x143
#define CSR_SIP		  0x144
#define CSR_STIMECMP	  0x14d
#define CSR_SATP	  0x180
#define CSR_MVENDORID	  0xf11
#define CSR_MARCHID	  0xf12
#define CSR_MIMPID	  0xf13
#define CSR_MHARTID	  0xf14
#define CSR_MCONFIGPTR	  0xf15
#define CSR_MSTATUS	  0x300
#define CSR_MISA	  0x301
#define CSR_MEDELEG	  0x302
#define CSR_MIDELEG	  0x303
#define CSR_MIE		  0x304
#define CSR_MTVEC	  0x305
#define CSR_MCOUNTEREN	  0x306
#define CSR_MENVCFG	  0x30a
#define CSR_MCOUNTINHIBIT 0x320
#define CSR_MSCRATCH	  0x340
#define CSR_MEPC	  0x341
#define CSR_MCAUSE	  0x342
#define CSR_MTVAL	  0x343
#define CSR_MIP		  0x344
#define CSR_PMPCFG0	  0x3a0
#define CSR_PMPADDR0	  0x3b0
#define CSR_MCYCLE	  0xb00
#define CSR_MINSTRET	  0xb02
#define CSR_TSELECT	  0x7a0
#define CSR_TDATA1	  0x7a1
#define CSR_TDATA2	  0x7a2
#define CSR_TDATA3	  0x7a3

#define MISA_RV64GC_SU                                                         \
	((2ull << 62) | (1 << ('A' - 'A')) | (1 << ('C' - 'A')) |              \
	 (1 << ('D' - 'A')) | (1 << ('F' - 'A')) | (1 << ('I' - 'A')) |        \
	 (1 << ('M' - 'A')) | (1 << ('S' - 'A')) | (1 << ('U' - 'A')))

#define MENVCFG_FIOM	  (1ull << 0)
#define MENVCFG_CBIE	  (3ull << 4)
#define MENVCFG_CBCFE	  (1ull << 6)
#define MENVCFG_CBZE	  (1ull << 7)
#define MENVCFG_PBMTE_BIT (1ull << 62)
#define MENVCFG_STCE_BIT  (1ull << 63)

#endif
