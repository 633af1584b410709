/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMM entry from the loader, VM launch ("return a second time" into the
 * loader), the VM-exit stub, and the fault-safe MSR accessors.
 */
#include <asm/percpu.h>

/* struct boot_ctx offsets: the loader's context at the call of vmm_start. */
#define BC_RBX		0
#define BC_RBP		8
#define BC_R12		16
#define BC_R13		24
#define BC_R14		32
#define BC_R15		40
#define BC_RSP		48
#define BC_RFLAGS	56

	.section .text.entry, "ax"
	.globl vmm_start
/* int vmm_start(struct boot_info *bi): the ELF entry point (sysv ABI). */
vmm_start:
	pushfq
	cli
	leaq	boot_ctx(%rip), %rax
	popq	BC_RFLAGS(%rax)
	movq	%rbx, BC_RBX(%rax)
	movq	%rbp, BC_RBP(%rax)
	movq	%r12, BC_R12(%rax)
	movq	%r13, BC_R13(%rax)
	movq	%r14, BC_R14(%rax)
	movq	%r15, BC_R15(%rax)
	movq	%rsp, BC_RSP(%rax)
	leaq	boot_stack_top(%rip), %rsp
	call	vmm_entry
	/* Only failures return here: back to the loader with the status. */
	leaq	boot_ctx(%rip), %rcx
	movq	BC_RSP(%rcx), %rsp
	movq	BC_RBX(%rcx), %rbx
	movq	BC_RBP(%rcx), %rbp
	movq	BC_R12(%rcx), %r12
	movq	BC_R13(%rcx), %r13
	movq	BC_R14(%rcx), %r14
	movq	BC_R15(%rcx), %r15
	pushq	BC_RFLAGS(%rcx)
	popfq
	ret

	.text
	.globl vmx_launch
/*
 * int vmx_launch(const struct boot_ctx *ctx): VMLAUNCH with the loader's
 * callee-saved registers and RAX = 0 (VMM_OK) as guest GPRs. On success the
 * loader sees vmm_start() return 0; this function only returns on failure:
 * -1 when VMLAUNCH itself fails, -2 via vmx_launch_abort() when the entry
 * fails later (invalid guest state).
 */
vmx_launch:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%gs:0, %rax
	movq	%rsp, PERCPU_LAUNCH_RSP(%rax)
	movq	BC_RBX(%rdi), %rbx
	movq	BC_RBP(%rdi), %rbp
	movq	BC_R12(%rdi), %r12
	movq	BC_R13(%rdi), %r13
	movq	BC_R14(%rdi), %r14
	movq	BC_R15(%rdi), %r15
	xorl	%eax, %eax
	vmlaunch
	movl	$-1, %eax
	jmp	1f
	.globl vmx_launch_abort
vmx_launch_abort:
	movl	$-2, %eax
1:	movq	%gs:0, %rcx
	movq	PERCPU_LAUNCH_RSP(%rcx), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret

	.globl vmx_exit_entry
/* HOST_RIP. HOST_RSP is the top of this CPU's exit stack (16-byte aligned). */
vmx_exit_entry:
	pushq	%r15
	pushq	%r14
	pushq	%r13
	pushq	%r12
	pushq	%r11
	pushq	%r10
	pushq	%r9
	pushq	%r8
	pushq	%rdi
	pushq	%rsi
	pushq	%rbp
	pushq	$0		/* rsp: in the VMCS */
	pushq	%rbx
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	movq	%rsp, %rdi
	call	vmx_handle_exit
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rbx
	addq	$8, %rsp
	popq	%rbp
	popq	%rsi
	popq	%rdi
	popq	%r8
	popq	%r9
	popq	%r10
	popq	%r11
	popq	%r12
	popq	%r13
	popq	%r14
	popq	%r15
	cmpq	$0, %gs:PERCPU_VMLAUNCH_NEXT
	jne	2f
	vmresume
	andq	$~15, %rsp
	call	vmx_resume_failed	/* does not return */
	ud2
2:	movq	$0, %gs:PERCPU_VMLAUNCH_NEXT	/* a fresh VMCS (the monitor's) */
	vmlaunch
	andq	$~15, %rsp
	call	vmx_resume_failed	/* does not return */
	ud2

	.globl rdmsr_safe
/* int rdmsr_safe(u32 msr, u64 *val) */
rdmsr_safe:
	movl	%edi, %ecx
	leaq	2f(%rip), %rax
	movq	%rax, %gs:PERCPU_FIXUP_RIP
	rdmsr
	movq	$0, %gs:PERCPU_FIXUP_RIP
	shlq	$32, %rdx
	orq	%rdx, %rax
	movq	%rax, (%rsi)
	xorl	%eax, %eax
	ret
2:	movl	$-1, %eax
	ret

	.globl wrmsr_safe
/* int wrmsr_safe(u32 msr, u64 val) */
wrmsr_safe:
	movl	%edi, %ecx
	movl	%esi, %eax
	movq	%rsi, %rdx
	shrq	$32, %rdx
	leaq	3f(%rip), %r8
	movq	%r8, %gs:PERCPU_FIXUP_RIP
	wrmsr
	movq	$0, %gs:PERCPU_FIXUP_RIP
	xorl	%eax, %eax
	ret
3:	movl	$-1, %eax
	ret

	.globl xsetbv_safe
/* int xsetbv_safe(u32 xcr, u64 val) */
xsetbv_safe:
	movl	%edi, %ecx
	movl	%esi, %eax
	movq	%rsi, %rdx
	shrq	$32, %rdx
	leaq	4f(%rip), %r8
	movq	%r8, %gs:PERCPU_FIXUP_RIP
	xsetbv
	movq	$0, %gs:PERCPU_FIXUP_RIP
	xorl	%eax, %eax
	ret
4:	movl	$-1, %eax
	ret

	.bss
	.balign 16
	.globl boot_ctx
boot_ctx:
	.skip	64
	.balign	4096
boot_stack:
	.skip	16384
boot_stack_top:
