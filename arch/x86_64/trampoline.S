/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AP start-up code. The VMM copies [ap_tramp_start, ap_tramp_end) to a page
 * below 1 MiB, fills in the tr_* slots and sends INIT-SIPI-SIPI with that
 * page as the vector. Real mode -> 32-bit protected mode -> long mode on the
 * VMM's own page tables -> tr_entry(cpu_id) on tr_stack. Position-independent:
 * 16/32-bit code addresses the page through %ebx = its linear base.
 */
#define TR_OFF(x)	((x) - ap_tramp_start)

	.section .rodata, "a"
	.balign 16
	.globl ap_tramp_start, ap_tramp_end
	.globl tr_gdtr, tr_far32, tr_far64, tr_cr3, tr_stack, tr_entry, tr_cpu, tr_gdt
	.globl tr_code32, tr_code64

	.code16
ap_tramp_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	xorl	%ebx, %ebx
	movw	%ax, %bx
	shll	$4, %ebx			/* %ebx = linear base of this page */
	lgdtl	TR_OFF(tr_gdtr)
	movl	%cr0, %eax
	orl	$0x1, %eax			/* PE */
	movl	%eax, %cr0
	ljmpl	*TR_OFF(tr_far32)

	.code32
tr_code32:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movl	%cr4, %eax
	orl	$0x20, %eax			/* PAE */
	movl	%eax, %cr4
	movl	TR_OFF(tr_cr3)(%ebx), %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx
	rdmsr
	orl	$0x900, %eax			/* EFER.LME | NXE */
	wrmsr
	movl	%cr0, %eax
	andl	$~0x60000000, %eax		/* caches on: clear CD, NW left by INIT */
	orl	$0x80000020, %eax		/* PG | NE */
	movl	%eax, %cr0
	ljmpl	*TR_OFF(tr_far64)(%ebx)

	.code64
tr_code64:
	movq	tr_stack(%rip), %rsp
	movl	tr_cpu(%rip), %edi
	movq	tr_entry(%rip), %rax
	jmpq	*%rax

	.balign 8
tr_gdt:
	.quad	0
	.quad	0x00af9b000000ffff		/* 0x08: 64-bit code */
	.quad	0x00cf93000000ffff		/* 0x10: data */
	.quad	0x00cf9b000000ffff		/* 0x18: 32-bit code */
tr_gdtr:
	.word	31
	.long	0				/* linear address of tr_gdt */
	.balign 4
tr_far32:
	.long	0				/* linear address of tr_code32 */
	.word	0x18
	.balign 4
tr_far64:
	.long	0				/* linear address of tr_code64 */
	.word	0x08
	.balign 8
tr_cr3:
	.quad	0
tr_stack:
	.quad	0
tr_entry:
	.quad	0
tr_cpu:
	.long	0
ap_tramp_end:
