/* SPDX-License-Identifier: GPL-2.0-only */
/* Monitor entry: the VMM starts it here in 64-bit mode, RSP at MON_STACK_TOP. */
	.section .text.entry, "ax"
	.globl mon_start
mon_start:
	leaq	__bss_start(%rip), %rdi
	leaq	__bss_end(%rip), %rcx
	subq	%rdi, %rcx
	xorl	%eax, %eax
	rep stosb
	andq	$~15, %rsp
	call	mon_main
	/* mon_main never returns; if it does, fault so the VMM restarts us. */
	ud2
