/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's INIT IPIs, emulated (docs/architecture.md, SMP). A physical
 * INIT never reaches an AP once the guest runs: the guest's ICR writes exit
 * (xAPIC page write-protected in the EPT, x2APIC ICR MSR in the MSR bitmap).
 * INIT level-assert is emulated by resetting the target vCPUs to the INIT
 * state in wait-for-SIPI; everything else (SIPI, fixed, NMI...) goes to the
 * physical ICR unchanged, and other APIC register writes to the physical
 * APIC with the same value.
 */
#ifndef MAMORI_ASM_VAPIC_H
#define MAMORI_ASM_VAPIC_H

#include <asm/percpu.h>

#define MSR_X2APIC_ICR	0x830

struct vm;

/* vapic_init - intercept @vm's ICR writes (the xAPIC page at IA32_APIC_BASE, MSR 0x830). */
int vapic_init(struct vm *vm);
/* vapic_cpu_reset - @pc's tracked guest APIC state (LDR, DFR) as after INIT. */
void vapic_cpu_reset(struct per_cpu *pc);
/*
 * vapic_apic_base_write - a guest WRMSR of @val to IA32_APIC_BASE (intercepted
 * with vapic_init). Mode bits change as asked; a move of the base address is
 * refused (-EPERM: #GP), as the trapped xAPIC page would stay behind and the
 * guest's INIT IPIs would reach the processor unemulated.
 */
int vapic_apic_base_write(struct per_cpu *pc, u64 val);
/* vapic_x2apic_icr_write - a guest WRMSR of @val to the x2APIC ICR; -EINVAL: #GP. */
int vapic_x2apic_icr_write(struct per_cpu *pc, u64 val);
/*
 * vapic_apply_init - on the way back into the guest: an emulated INIT is
 * pending for this CPU (pc->init_pending); put its guest into the INIT state
 * in wait-for-SIPI and acknowledge.
 */
void vapic_apply_init(struct per_cpu *pc);

#endif
