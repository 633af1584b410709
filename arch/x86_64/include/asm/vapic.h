/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's INIT IPIs, emulated (docs/architecture.md, SMP). A physical
 * INIT never reaches an AP once the guest runs: the guest's ICR writes exit
 * (xAPIC page write-protected in the EPT, x2APIC ICR MSR in the MSR bitmap).
 * INIT level-assert is emulated by resetting the target vCPUs to the INIT
 * state in wait-for-SIPI; every other IPI (SIPI, fixed, NMI...) is sent by the
 * VMM to each addressed CPU under VMX in turn, rebuilt from the validated
 * vector and delivery mode (apic_icr_build()); an IPI that addresses no such
 * CPU is refused and logged. Other APIC register writes go to the physical
 * APIC with the same value.
 */
#ifndef MAMORI_ASM_VAPIC_H
#define MAMORI_ASM_VAPIC_H

#include <asm/percpu.h>

struct vm;

/*
 * vapic_init - intercept @vm's xAPIC ICR writes (the page at IA32_APIC_BASE);
 * the x2APIC ICR (MSR 0x830) and IA32_APIC_BASE writes exit by the MSR table
 * (vmx_msr.c) whatever the number of CPUs.
 */
int vapic_init(struct vm *vm);
/* vapic_cpu_reset - @pc's tracked guest APIC state (LDR, DFR) as after INIT. */
void vapic_cpu_reset(struct per_cpu *pc);
/*
 * vapic_apic_base_write - a guest WRMSR of @val to IA32_APIC_BASE (intercepted
 * with vapic_init). The x2APIC bit changes as asked (invalid transitions get
 * the hardware's #GP); refused (-EPERM: #GP): a move of the base address, as
 * the trapped xAPIC page would stay behind and the guest's INIT IPIs would
 * reach the processor unemulated, and clearing EN (global disable, also the
 * SDM's way from x2APIC back to xAPIC), as the CPU would then miss the VMM's
 * NMI kicks (EPT shootdowns). Setting EN on an APIC found disabled passes.
 */
int vapic_apic_base_write(struct per_cpu *pc, u64 val);
/*
 * vapic_x2apic_icr_write - a guest WRMSR of @val to the x2APIC ICR; -EINVAL
 * (#GP, as the hardware would) with reserved bits set or the APIC in xAPIC mode.
 */
int vapic_x2apic_icr_write(struct per_cpu *pc, u64 val);
/*
 * vapic_apply_init - on the way back into the guest: an emulated INIT is
 * pending for this CPU (pc->init_pending); put its guest into the INIT state
 * in wait-for-SIPI and acknowledge.
 */
void vapic_apply_init(struct per_cpu *pc);

#endif
