/* SPDX-License-Identifier: GPL-2.0-only */
/* Host (VMX root) CPU state: GDT/TSS, IDT, page tables, fault fixups. */
#ifndef MAMORI_ASM_CPU_H
#define MAMORI_ASM_CPU_H

#include <asm/percpu.h>

struct boot_info;

/*
 * host_paging_init - the host (VMX root) page tables: identity over the same
 * range as the EPT (identity_map_limit()), RW and no-execute, the VMM image
 * W^X (text RX, rodata R), the AP start-up page executable until
 * host_paging_seal(). Returns the CR3, 0 on failure. Before percpu_alloc():
 * stacks get unmapped guard pages in these tables.
 */
u64 host_paging_init(u32 phys_bits, const struct boot_info *bi);
/* host_paging_seal - after the APs started: their start-up page loses execute. */
void host_paging_seal(void);
/*
 * host_phys_mapped - whether [@pa, @pa + @len) lies in what the host maps:
 * every guest-chosen address is checked before the VMM dereferences it.
 */
bool host_phys_mapped(u64 pa, u64 len);
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
