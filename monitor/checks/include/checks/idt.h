/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IDT and syscall-entry checks of one vCPU against its baseline:
 *
 *   IDTR base or limit differs                         ALERT CHK_IDTR_CHANGED
 *   an IDT entry (16 bytes) differs                    ALERT CHK_IDT_GATE_CHANGED
 *   a present gate's handler outside baseline text     ALERT CHK_IDT_GATE_OUTSIDE
 *   LSTAR, CSTAR or SYSENTER_EIP differs               ALERT CHK_MSR_CHANGED
 *   one of them non-zero and outside baseline text     ALERT CHK_MSR_OUTSIDE
 *   the IDT cannot be translated or read               ALERT CHK_IDT_READ
 *
 * "Baseline text" is chk_ktext_in_base(): the kernel-text baseline must be
 * complete first. The IDT is read through the vCPU's own paging at its IDTR
 * (Linux keeps it mapped in the PTI user PGD too). Each finding is reported
 * once and again only after it cleared (state in struct chk_idt_base), so a
 * check every interval does not repeat an alert forever. The baseline checks
 * its own values too (a gate outside text at baseline is an alert).
 */
#ifndef CHECKS_IDT_H
#define CHECKS_IDT_H

#include <checks/checks.h>
#include <checks/ktext.h>

#define CHK_IDT_VECTORS		256u
#define CHK_IDT_GATE_SIZE	16u

#define CHK_MSR_LSTAR		0xc0000082u
#define CHK_MSR_CSTAR		0xc0000083u
#define CHK_MSR_SYSENTER_EIP	0x00000176u

/* struct chk_idt_base - one vCPU's baseline (about 4.2 KiB); caller's memory. */
struct chk_idt_base {
	bool valid;
	u64 idtr_base;
	u32 idtr_limit;
	u32 ngates;		/* entries the limit covers (<= 256) */
	u64 msr[3];		/* LSTAR, CSTAR, SYSENTER_EIP */
	u8 idt[CHK_IDT_VECTORS * CHK_IDT_GATE_SIZE];
	u8 cur[CHK_IDT_VECTORS * CHK_IDT_GATE_SIZE];	/* scratch: the IDT now */
	u64 told_changed[4];	/* per vector: CHK_IDT_GATE_CHANGED sent */
	u64 told_outside[4];	/* per vector: CHK_IDT_GATE_OUTSIDE sent */
	u32 told;		/* other findings sent (internal bits) */
};

/* chk_idt_handler - the 64-bit handler address of gate @g (16 bytes). */
u64 chk_idt_handler(const u8 *g);
/* chk_idt_present - the gate's P bit. */
bool chk_idt_present(const u8 *g);

/*
 * chk_idt_baseline - record @cpu's IDTR, IDT and syscall MSRs into @b and
 * check them against @kt. -EAGAIN if @kt has no baseline yet, -EINVAL not in
 * long-mode paging, -EIO the IDT unreadable (reported); 0 otherwise (alerts
 * about the baseline's own values may have been reported).
 */
int chk_idt_baseline(struct chk_idt_base *b, const struct chk_env *env,
		     const struct chk_vcpu *cpu, const struct chk_ktext *kt);

/*
 * chk_idt_check - compare @cpu now with @b and report. 0, -EINVAL no
 * baseline or no long-mode paging; an unreadable IDT is an ALERT (the
 * MSRs are still checked).
 */
int chk_idt_check(struct chk_idt_base *b, const struct chk_env *env,
		  const struct chk_vcpu *cpu, const struct chk_ktext *kt);

#endif
