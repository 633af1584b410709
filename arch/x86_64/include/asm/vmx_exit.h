/* SPDX-License-Identifier: GPL-2.0-only */
/* The VM-exit dispatch table: one named handler per basic exit reason. */
#ifndef MAMORI_ASM_VMX_EXIT_H
#define MAMORI_ASM_VMX_EXIT_H

#include <asm/percpu.h>
#include <asm/vmx_vcpu.h>

typedef void (*vmx_exit_fn)(struct per_cpu *pc, struct guest_regs *r);

/*
 * vmx_exit_table - the handler of each basic exit reason; none is NULL.
 * Reasons Mamori never enables go to handle_unexpected(); the names for logs
 * are in vmx_stats.c (vmx_exit_reason_name()).
 */
extern const vmx_exit_fn vmx_exit_table[VMX_EXIT_REASONS];

/* vmx_handle_exit - called by the exit stub with the guest's GPRs. */
void vmx_handle_exit(struct guest_regs *r);
/* vmx_resume_failed - VMRESUME failed: log the error and the guest state, stop the CPU. */
void vmx_resume_failed(void) __noreturn;

/* vmx_count_exit - count an exit of @reason on @pc (vmx_stats.c); logs the first of each. */
void vmx_count_exit(struct per_cpu *pc, u32 reason);
/* vmx_handle_io - the I/O-instruction exit (arch/x86_64/vmx_io.c), string forms included. */
void vmx_handle_io(struct per_cpu *pc, struct guest_regs *r);
/*
 * vmx_mmio_exit - an EPT violation at @gpa (qualification @q) inside a
 * registered MMIO region: decode the guest's instruction, call the region's
 * handler, advance RIP (undecodable: #GP, logged). False when @gpa is in no
 * region (nothing done).
 */
bool vmx_mmio_exit(struct per_cpu *pc, struct guest_regs *r, u64 gpa, u64 q);

#endif
