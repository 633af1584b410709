/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMM's few uses of the local APIC: INIT/SIPI to start processors and NMI
 * to kick them out of the guest. xAPIC or x2APIC, whichever the CPU is in now
 * (the guest may switch); the VMM never disables the APIC (PLATFORM.md).
 */
#ifndef MAMORI_ASM_APIC_H
#define MAMORI_ASM_APIC_H

#include <mamori/types.h>

/* Local APIC registers: xAPIC MMIO offsets; x2APIC MSR = MSR_X2APIC_FIRST + offset / 16. */
#define APIC_VERSION		0x30
#define APIC_TPR		0x80
#define APIC_EOI		0xb0
#define APIC_LDR		0xd0
#define APIC_DFR		0xe0
#define APIC_SVR		0xf0
#define APIC_ISR		0x100
#define APIC_ESR		0x280
#define APIC_LVT_CMCI		0x2f0
#define APIC_ICR_LO		0x300
#define APIC_ICR_HI		0x310
#define APIC_LVT_TIMER		0x320
#define APIC_LVT_THERMAL	0x330
#define APIC_LVT_PERF		0x340
#define APIC_LVT_LINT0		0x350
#define APIC_LVT_LINT1		0x360
#define APIC_LVT_ERROR		0x370
#define APIC_TMICT		0x380
#define APIC_LVT_MASKED		BIT(16)
#define APIC_BASE_X2APIC	BIT(10)		/* IA32_APIC_BASE.EXTD */
#define APIC_BASE_ENABLE	BIT(11)		/* IA32_APIC_BASE.EN (global enable) */

/* ICR low word (SDM Vol. 3A 11.6.1). */
#define APIC_ICR_VECTOR		0xffU
#define APIC_DM_FIXED		0x000
#define APIC_DM_LOWEST		0x100
#define APIC_DM_SMI		0x200
#define APIC_DM_NMI		0x400
#define APIC_DM_INIT		0x500
#define APIC_DM_SIPI		0x600
#define APIC_ICR_DM_MASK	0x700
#define APIC_ICR_LOGICAL	BIT(11)
#define APIC_ICR_BUSY		BIT(12)
#define APIC_LEVEL_ASSERT	0x4000
#define APIC_ICR_SHORTHAND(lo)	(((lo) >> 18) & 3)
#define APIC_SH_NONE		0
#define APIC_SH_SELF		1
#define APIC_SH_ALL		2
#define APIC_SH_OTHERS		3
/* x2APIC: ICR bits 31:0 that must be 0 (13, 16-17, 20-31; 12 has no delivery status). */
#define X2APIC_ICR_RESERVED	0xfff33000U

/* What the VMM does with a guest ICR write (apic_icr.c, pure, host-tested). */
enum apic_icr_action {
	APIC_ICR_FORWARD,	/* fixed, lowest priority, NMI: rebuilt per target */
	APIC_ICR_INIT,		/* INIT level assert: emulated, never reaches a CPU */
	APIC_ICR_DROP,		/* INIT level de-assert: no effect on modern CPUs */
	APIC_ICR_SIPI,		/* rebuilt per target, like FORWARD */
	APIC_ICR_REFUSE,	/* reserved delivery mode (011, ExtINT) or SMI: dropped */
};

/*
 * struct apic_target - what decides whether an IPI reaches one vCPU: its APIC
 * ID and, for logical destinations, its LDR and DFR (xAPIC: as the guest last
 * wrote them on that CPU; x2APIC: apic_x2apic_ldr(), DFR unused).
 */
struct apic_target {
	u32 apic_id;
	u32 ldr;
	u32 dfr;
};

/* apic_icr_classify - the action for a guest ICR write of @icr_lo. */
enum apic_icr_action apic_icr_classify(u32 icr_lo);
/*
 * apic_icr_hits - whether an IPI with @icr_lo and destination @dest (xAPIC:
 * ICR bits 63:56, i.e. ICR-high >> 24; x2APIC: ICR bits 63:32) sent by a CPU
 * reaches @t; @self: @t is the sender. Shorthands, physical and logical
 * (flat, cluster, x2APIC cluster) destinations and broadcasts, per SDM Vol. 3A
 * 11.6.2 and 11.12.10.
 */
bool apic_icr_hits(u32 icr_lo, u32 dest, bool x2apic, bool self, const struct apic_target *t);
/*
 * apic_icr_build - the ICR low word the VMM sends for a guest's @icr_lo to
 * one physical destination, built only from validated fields: the vector
 * (fixed, lowest priority and SIPI; 0 for the others), the delivery mode and
 * level assert. Shorthand, logical mode, trigger, delivery status and
 * reserved bits are never copied. Every forwarded IPI (and SIPI: Bochs 2.7
 * stops delivering a broadcast SIPI at the first CPU that takes a SIPI exit)
 * goes to each target under the VMM in turn, so no IPI of the guest reaches
 * a processor outside VMX.
 */
u32 apic_icr_build(u32 icr_lo);
/* apic_icr_x2apic_valid - whether a guest x2APIC ICR write of @icr sets no reserved bit. */
bool apic_icr_x2apic_valid(u64 icr);
/* apic_x2apic_ldr - the x2APIC logical ID the hardware derives from @apic_id. */
u32 apic_x2apic_ldr(u32 apic_id);
/*
 * apic_base_moves - whether an IA32_APIC_BASE write of @val, where the MSR
 * holds @cur, changes the base address (bits 12 and up). The enable, x2APIC
 * and BSP bits (11, 10, 8) and reserved bits below 12 do not count.
 */
bool apic_base_moves(u64 cur, u64 val);

/*
 * apic_base_disables - whether an IA32_APIC_BASE write of @val, where the MSR
 * holds @cur, clears EN (bit 11) while it is set: the global disable, from
 * xAPIC or x2APIC mode, which the VMM refuses (docs/security.md).
 */
bool apic_base_disables(u64 cur, u64 val);

/*
 * apic_send_ipi - send @icr_low (vector | delivery mode | level) to physical
 * @apic_id; other bits are dropped. -1 if the ICR stays busy.
 */
int apic_send_ipi(u32 apic_id, u32 icr_low);
/* apic_start_cpu - INIT, 10 ms, SIPI, 200 us, SIPI with @vector (page number < 0x100). */
int apic_start_cpu(u32 apic_id, u8 vector);
/* udelay - busy-wait @us microseconds on PIT channel 2 (boot time only). */
void udelay(u32 us);
/*
 * apic_soft_init - this CPU's local APIC as an INIT leaves it, as far as
 * software can: every LVT masked, timer stopped, TPR 0, in-service
 * interrupts ended, LDR 0 and DFR flat, then software-disabled (SVR 0xff).
 */
void apic_soft_init(void);
/* apic_x2apic_mode - whether this CPU's APIC is in x2APIC mode. */
bool apic_x2apic_mode(void);

#endif
