/* SPDX-License-Identifier: GPL-2.0-only */
/* Host (VMX root) CPU state: GDT/TSS, IDT, page tables, fault fixups. */
#ifndef MAMORI_ASM_CPU_H
#define MAMORI_ASM_CPU_H

#include <asm/percpu.h>

/* host_paging_init - build identity page tables for the host; returns the CR3, 0 on failure. */
u64 host_paging_init(u32 phys_bits, u64 top_of_ram);
/* host_cpu_load - load this CPU's GDT, TSS, IDT, GS base and @cr3 (the host state). */
void host_cpu_load(struct per_cpu *pc, u64 cr3);
/* host_idt_base - the shared host IDT. */
u64 host_idt_base(void);

/**
 * rdmsr_safe()/wrmsr_safe() - MSR access that returns -1 instead of faulting
 * when the MSR does not exist (host #GP is caught through pc->fixup_rip).
 */
int rdmsr_safe(u32 msr, u64 *val);
int wrmsr_safe(u32 msr, u64 val);
/* xsetbv_safe() - XSETBV that returns -1 instead of faulting (#GP caught the same way). */
int xsetbv_safe(u32 xcr, u64 val);

/* host_exception - C part of every host exception stub; logs and halts unless fixed up. */
struct host_exc_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rdi, rsi, rbp, rbx, rdx, rcx, rax;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss;
};
void host_exception(struct host_exc_frame *f);

/* Assembly entry points (entry.S, idt.S). */
extern u64 host_exc_stubs[32];
void vmx_exit_entry(void);

#endif
