/* SPDX-License-Identifier: GPL-2.0-only */
/* VMX bring-up on one CPU: probe, VMXON, VMCS set-up, launch. */
#ifndef MAMORI_ASM_VMX_SETUP_H
#define MAMORI_ASM_VMX_SETUP_H

#include <mamori/boot_info.h>
#include <asm/percpu.h>

/* The loader's context at the call of vmm_start (entry.S fills it). */
struct boot_ctx {
	u64 rbx, rbp, r12, r13, r14, r15, rsp, rflags;
};
extern struct boot_ctx boot_ctx;

/* Controls and fixed bits chosen once on the boot CPU, used on every CPU. */
struct vmx_config {
	u32 revision;
	u32 pin, cpu, cpu2, exit, entry;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 ept_cap;
	u32 phys_bits;
};
extern struct vmx_config vmx_cfg;

/* vmx_probe - check VT-x and its required features; returns an enum vmm_status. */
int vmx_probe(void);
/* vmx_cpu_on - set CR4.VMXE and fixed bits, VMXON, VMCLEAR + VMPTRLD a fresh VMCS. */
int vmx_cpu_on(struct per_cpu *pc);
/* vmcs_setup_host/exec - host state and controls of @pc's VMCS for @vm. */
bool vmcs_setup_host(struct per_cpu *pc, u64 host_cr3);
bool vmcs_setup_controls(struct per_cpu *pc);
/* vmcs_setup_guest_from_ctx - guest state = the loader's context (boot CPU). */
bool vmcs_setup_guest_from_ctx(const struct boot_ctx *ctx);

/* vmcs_setup_guest_init - guest state after INIT, in activity state @activity. */
bool vmcs_setup_guest_init(u32 activity);
/* vmcs_guest_sipi - start the vCPU in real mode at @vector:0000 (after a SIPI exit). */
bool vmcs_guest_sipi(u8 vector);

/* arch_smp_start_aps - bring every other processor under the VMM (wait-for-SIPI). */
int arch_smp_start_aps(const struct boot_info *bi, u64 host_cr3);

int vmx_launch(const struct boot_ctx *ctx);
void vmx_launch_abort(void) __noreturn;
/* vmx_dump_guest_state - log the guest-state fields (after a failed entry). */
void vmx_dump_guest_state(void);

/* Guest CR0/CR4 values with the VMX fixed bits applied (actual register). */
u64 vmx_guest_cr0(u64 shadow);
u64 vmx_guest_cr4(u64 shadow);

#endif
