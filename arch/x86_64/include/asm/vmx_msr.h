/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's MSRs, deny by default (docs/architecture.md, "MSRs"). One table
 * in vmx_msr.c names every MSR the guest may touch and how; an MSR it does not
 * name exits on every access and gets #GP. The MSR bitmap is built from the
 * same table: only reads and writes marked pass-through run without an exit.
 */
#ifndef MAMORI_ASM_VMX_MSR_H
#define MAMORI_ASM_VMX_MSR_H

#include <asm/percpu.h>

/* What a guest RDMSR does. */
enum msr_read {
	MSR_R_DENY,		/* #GP (also every MSR not in the table) */
	MSR_R_PASS,		/* the hardware MSR, without an exit */
	MSR_R_CONST,		/* exits; reads rule->value */
};

/* What a guest WRMSR does. */
enum msr_write {
	MSR_W_DENY,		/* #GP */
	MSR_W_PASS,		/* the hardware MSR, without an exit */
	MSR_W_IGNORE,		/* exits; dropped, logged once (the guest sees success) */
	MSR_W_BITS,		/* exits; only bits in rule->mask may be 1, else #GP */
	MSR_W_CHANGE,		/* exits; only bits in rule->mask may differ from the MSR,
				 * and those in rule->clear_only may only go to 0 */
	MSR_W_DEBUGCTL,		/* exits; BTF (and bus-lock detect) only, into the VMCS */
	MSR_W_APIC_BASE,	/* exits; vapic_apic_base_write(): no move of the base */
	MSR_W_X2APIC_ICR,	/* exits; vapic_x2apic_icr_write(): IPIs rebuilt */
};

/*
 * struct msr_rule - MSRs @first..@last and what the guest may do with them.
 * @needs: secondary processor-based controls the rule depends on; without
 * all of them the MSRs are treated as absent from the table (#GP).
 */
struct msr_rule {
	u32 first, last;
	const char *name;
	u8 rd, wr;		/* enum msr_read, enum msr_write */
	u32 needs;
	u64 value;		/* MSR_R_CONST */
	u64 mask;		/* MSR_W_BITS, MSR_W_CHANGE */
	u64 clear_only;		/* MSR_W_CHANGE: of mask, bits the guest may clear, never set */
};

/* The two MSR ranges the bitmap covers (SDM Vol. 3C 25.6.9); others always exit. */
#define MSR_BITMAP_LOW_END	0x00002000U
#define MSR_BITMAP_HIGH		0xc0000000U
#define MSR_BITMAP_HIGH_END	0xc0002000U

/* vmx_msr_rule - the rule for @msr under secondary controls @cpu2, NULL: denied. */
const struct msr_rule *vmx_msr_rule(u32 msr, u32 cpu2);
/*
 * vmx_msr_bitmap_build - fill the 4 KiB MSR bitmap @bm from the table: every
 * bit set (exit) except the reads and writes marked pass-through.
 */
void vmx_msr_bitmap_build(u8 *bm, u32 cpu2);
/* vmx_msr_exits - whether a guest access to @msr exits under bitmap @bm. */
bool vmx_msr_exits(const u8 *bm, u32 msr, bool write);
/*
 * vmx_msr_read/vmx_msr_write - an RDMSR/WRMSR exit of @pc's guest under
 * vmx_cfg.cpu2: 0 with the value read or written, or -EPERM: inject #GP
 * (logged once per MSR).
 */
int vmx_msr_read(struct per_cpu *pc, u32 msr, u64 *val);
int vmx_msr_write(struct per_cpu *pc, u32 msr, u64 val);
/*
 * vmx_msr_debugctl_ok - whether the guest may load @val into IA32_DEBUGCTL:
 * BTF, and bus-lock detection where the CPU has it (@bus_lock). LBR, BTS and
 * the freeze bits are refused: LBR and BTS stay off (hidden in CPUID).
 */
bool vmx_msr_debugctl_ok(u64 val, bool bus_lock);

#endif
