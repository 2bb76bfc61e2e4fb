/* crt.S - bare-metal start for the benchmark programs: M-mode, hart 0,
 * stack at the end of .bss, FP on. main's return value goes to HTIF tohost
 * (rvisor stops there) and then to the SiFive test device (QEMU's virt,
 * which has no HTIF): 0x5555 = pass, (code << 16) | 0x3333 = fail with that
 * code. The programs print on the virt board's UART, so run them on QEMU
 * with -M virt -bios none (not -M spike). */
	.section .text.init
	.globl _start
_start:
	la sp, stack_top
	li t0, (1 << 13)	/* mstatus.FS = Initial */
	csrs mstatus, t0
	csrwi fcsr, 0
	call main
	slli a0, a0, 1
	ori a0, a0, 1
	la t0, tohost
	sd a0, 0(t0)
	srli a0, a0, 1
	li t1, 0x5555
	beqz a0, 2f
	slli t1, a0, 16
	li t2, 0x3333
	or t1, t1, t2
2:	li t0, 0x100000
	sw t1, 0(t0)
1:	j 1b

	.section .tohost, "aw", @progbits
	.align 6
	.globl tohost
tohost: .dword 0
	.size tohost, 8
	.align 6
	.globl fromhost
fromhost: .dword 0
	.size fromhost, 8

	.bss
	.globl stack_top
	.align 4
	.space 65536
stack_top:
