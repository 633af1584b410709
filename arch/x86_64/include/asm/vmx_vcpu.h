/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vCPU utilities the exit handlers share: event injection, instruction skip,
 * guest mode queries, NMI unblocking, platform reset. All act on the current
 * CPU's VMCS.
 */
#ifndef MAMORI_ASM_VMX_VCPU_H
#define MAMORI_ASM_VMX_VCPU_H

#include <asm/percpu.h>

/*
 * vmx_inject - queue event @vector of @type (INTR_TYPE_*) for the next entry.
 * A hardware exception of the fault class sets the guest's RFLAGS.RF; the
 * error code is dropped for a guest in real mode (CR0.PE = 0).
 */
void vmx_inject(u32 vector, u32 type, bool has_err, u32 err);
/* vmx_inject_ud/gp - queue #UD, or #GP with error code 0. */
void vmx_inject_ud(void);
void vmx_inject_gp(void);
/*
 * vmx_skip_instruction - complete the exiting instruction: advance RIP by its
 * length, wrapped to the guest's code size, clear RF and STI/MOV-SS blocking,
 * and queue the single-step #DB when TF is set. A RIP that would leave the
 * canonical range gets #GP instead (VM entry would refuse it).
 */
void vmx_skip_instruction(void);
/* vmx_skip_len - vmx_skip_instruction() for an instruction of @len bytes. */
void vmx_skip_len(u32 len);
/* vmx_guest_cpl - the guest's current privilege level (SS.DPL). */
u32 vmx_guest_cpl(void);
/* vmx_guest_code_bits - 16, 32 or 64: the size of the guest's code segment. */
u32 vmx_guest_code_bits(void);
/* vmx_gpr - the guest register with encoding @idx (0 = RAX .. 15 = R15) in @r. */
u64 *vmx_gpr(struct guest_regs *r, u32 idx);
/* vmx_nmi_unblock - end the NMI blocking an NMI exit leaves in VMX root (IRET). */
void vmx_nmi_unblock(void);
/*
 * vmx_nmi_take_kick - classify an NMI that arrived on @pc: true when a VMM
 * kick (pc->nmi_kicks, bumped by the sender before its IPI) is not handled
 * yet, and marks every kick so far handled. Kicks merged while NMIs were
 * blocked count as one and leave nothing behind, so a later NMI is the
 * guest's. Call with NMIs blocked (NMI exit or the host NMI handler).
 */
bool vmx_nmi_take_kick(struct per_cpu *pc);
/*
 * vmx_nmi_queue - queue a guest NMI on @pc for injection. At most two wait
 * (one the guest may be handling, one latched), as on hardware.
 */
void vmx_nmi_queue(struct per_cpu *pc);
/* vmx_requeue_idt_vectoring - re-inject the event whose delivery the exit interrupted. */
void vmx_requeue_idt_vectoring(void);
/* vmx_vmw - VMWRITE, logging the field, value and VM-instruction error on failure. */
bool vmx_vmw(u64 field, u64 value);
/* platform_reset - log @why and the exit statistics, then reset the machine. */
void platform_reset(const char *why) __noreturn;

#endif
