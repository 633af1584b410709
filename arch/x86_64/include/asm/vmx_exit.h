/* SPDX-License-Identifier: GPL-2.0-only */
/* The VM-exit dispatch table: one named handler per basic exit reason. */
#ifndef MAMORI_ASM_VMX_EXIT_H
#define MAMORI_ASM_VMX_EXIT_H

#include <asm/percpu.h>

typedef void (*vmx_exit_fn)(struct per_cpu *pc, struct guest_regs *r);

struct vmx_exit_handler {
	const char *name;
	vmx_exit_fn fn;
};

/* vmx_exit_table - the table, VMX_EXIT_REASONS entries, each with name and handler. */
extern const struct vmx_exit_handler vmx_exit_table[VMX_EXIT_REASONS];

/* vmx_handle_exit - called by the exit stub with the guest's GPRs. */
void vmx_handle_exit(struct guest_regs *r);
/* vmx_resume_failed - VMRESUME failed: log the error and the guest state, stop the CPU. */
void vmx_resume_failed(void) __noreturn;

/* vmx_inject - queue event @vector of @type (INTR_TYPE_*) for the next entry. */
void vmx_inject(u32 vector, u32 type, bool has_err, u32 err);
/* vmx_skip_instruction - advance guest RIP past the exiting instruction. */
void vmx_skip_instruction(void);
/* vmx_handle_io - the I/O-instruction exit (arch/x86_64/vmx_io.c), string forms included. */
void vmx_handle_io(struct per_cpu *pc, struct guest_regs *r);
/*
 * vmx_mmio_exit - an EPT violation at @gpa (qualification @q) inside a
 * registered MMIO region: decode the guest's instruction, call the region's
 * handler, advance RIP (undecodable: #GP, logged). False when @gpa is in no
 * region (nothing done).
 */
bool vmx_mmio_exit(struct per_cpu *pc, struct guest_regs *r, u64 gpa, u64 q);
/* platform_reset - log @why and the exit statistics, then reset the machine. */
void platform_reset(const char *why) __noreturn;

#endif
