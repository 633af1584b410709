// SPDX-License-Identifier: GPL-2.0-only
/* The guest MSR table, the bitmap built from it and the RDMSR/WRMSR exits (asm/vmx_msr.h). */
#include <asm/cpu.h>
#include <asm/mtrr.h>
#include <asm/processor.h>
#include <asm/vapic.h>
#include <asm/vmx.h>
#include <asm/vmx_msr.h>
#include <asm/vmx_setup.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/string.h>

#define R_PASS		MSR_R_PASS
#define W_PASS		MSR_W_PASS
#define RULE(a, b, n, r, w)	{ .first = (a), .last = (b), .name = (n), .rd = (r), .wr = (w) }
#define PASS(a, b, n)		RULE(a, b, n, R_PASS, W_PASS)
#define READ(a, b, n)		RULE(a, b, n, R_PASS, MSR_W_DENY)

/* MISC_ENABLE bits Linux and firmware change: fast strings, TM1, EIST, MONITOR, LIMIT_CPUID, xTPR, XD disable, turbo disable. */
#define MISC_ENABLE_GUEST	(BIT(0) | BIT(3) | BIT(16) | BIT(18) | BIT(22) | BIT(23) | \
				 BIT(34) | BIT(38))
/*
 * Of those, LIMIT_CPUID and XD disable may only be cleared: the MSR is often
 * core- or package-wide, and setting them would cap CPUID or turn NX off in
 * VMX root too (the W^X host page tables' NX bits become reserved: a host
 * page walk faults).
 */
#define MISC_ENABLE_CLEAR_ONLY	(BIT(22) | BIT(34))

/*
 * First match wins. Not here: #GP. Deliberately absent (and hidden in CPUID,
 * cpuid_filter.c): Intel PT (RTIT_*: output to host-physical addresses), the
 * PMU with DS_AREA/PEBS and LBRs (counters, records and PMIs reach VMX root),
 * the HFI table pointer, RAPL energy counters (a power side channel against
 * the VMM), VMX capabilities, SGX, RDT, PKRS, UINTR, PASID, XFD, SMRR, PPIN,
 * silicon debug, BNDCFGS.
 */
static const struct msr_rule msr_table[] = {
	/* Context the VMCS switches or the VMM never uses in root: hot, exit-free. */
	PASS(MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_EIP, "SYSENTER_CS/ESP/EIP"),
	PASS(MSR_IA32_PAT, MSR_IA32_PAT, "PAT"),
	PASS(MSR_EFER, MSR_EFER, "EFER"),
	PASS(MSR_STAR, MSR_SYSCALL_MASK, "STAR/LSTAR/CSTAR/FMASK"),
	PASS(MSR_FS_BASE, MSR_TSC_AUX, "FS/GS/KERNEL_GS_BASE, TSC_AUX"),
	PASS(MSR_IA32_TSC, MSR_IA32_TSC, "TSC"),
	PASS(MSR_IA32_TSC_ADJUST, MSR_IA32_TSC_ADJUST, "TSC_ADJUST"),
	PASS(MSR_IA32_TSC_DEADLINE, MSR_IA32_TSC_DEADLINE, "TSC_DEADLINE"),
	PASS(MSR_IA32_U_CET, MSR_IA32_U_CET, "U_CET"),
	PASS(MSR_IA32_S_CET, MSR_IA32_S_CET, "S_CET"),	/* kernel IBT; CR4.CET is off in root */
	{ .first = MSR_UMWAIT_CONTROL, .last = MSR_UMWAIT_CONTROL, .name = "UMWAIT_CONTROL",
	  .rd = R_PASS, .wr = W_PASS, .needs = SEC_ENABLE_USR_WAIT_PAUSE },
	/* Speculation controls: the guest's mitigations, hot on kernel entry. */
	PASS(MSR_IA32_SPEC_CTRL, MSR_IA32_SPEC_CTRL, "SPEC_CTRL"),
	RULE(MSR_IA32_PRED_CMD, MSR_IA32_PRED_CMD, "PRED_CMD", MSR_R_DENY, W_PASS),
	RULE(MSR_IA32_FLUSH_CMD, MSR_IA32_FLUSH_CMD, "FLUSH_CMD", MSR_R_DENY, W_PASS),
	READ(MSR_IA32_ARCH_CAPABILITIES, MSR_IA32_ARCH_CAPABILITIES, "ARCH_CAPABILITIES"),
	READ(MSR_IA32_CORE_CAPABILITIES, MSR_IA32_CORE_CAPABILITIES, "CORE_CAPABILITIES"),
	PASS(MSR_TSX_FORCE_ABORT, MSR_TSX_FORCE_ABORT, "TSX_FORCE_ABORT"),
	PASS(MSR_IA32_TSX_CTRL, MSR_IA32_MCU_OPT_CTRL, "TSX_CTRL, MCU_OPT_CTRL"),
	{ .first = MSR_TEST_CTRL, .last = MSR_TEST_CTRL, .name = "TEST_CTRL", .rd = R_PASS,
	  .wr = MSR_W_BITS, .mask = TEST_CTRL_SPLIT_LOCK_DETECT },
	/* The local APIC: its base may not move; ICR writes are rebuilt (vapic.c). */
	RULE(MSR_IA32_APIC_BASE, MSR_IA32_APIC_BASE, "APIC_BASE", R_PASS, MSR_W_APIC_BASE),
	RULE(MSR_X2APIC_ICR, MSR_X2APIC_ICR, "X2APIC_ICR", R_PASS, MSR_W_X2APIC_ICR),
	PASS(MSR_X2APIC_FIRST, MSR_X2APIC_LAST, "x2APIC"),
	/* VMX stays hidden: locked with VMX (and SGX, LMCE) off. */
	{ .first = MSR_IA32_FEATURE_CONTROL, .last = MSR_IA32_FEATURE_CONTROL,
	  .name = "FEATURE_CONTROL", .rd = MSR_R_CONST, .wr = MSR_W_IGNORE,
	  .value = FEATURE_CONTROL_LOCKED },
	/* Identification and microcode: read; an update is the platform's, not the guest's. */
	READ(MSR_IA32_PLATFORM_ID, MSR_IA32_PLATFORM_ID, "PLATFORM_ID"),
	PASS(MSR_IA32_BIOS_SIGN_ID, MSR_IA32_BIOS_SIGN_ID, "BIOS_SIGN_ID"),
	RULE(MSR_IA32_BIOS_UPDT_TRIG, MSR_IA32_BIOS_UPDT_TRIG, "BIOS_UPDT_TRIG", MSR_R_DENY,
	     MSR_W_IGNORE),
	READ(MSR_PLATFORM_INFO, MSR_PLATFORM_INFO, "PLATFORM_INFO"),
	READ(MSR_SMI_COUNT, MSR_CORE_THREAD_COUNT, "SMI_COUNT, CORE_THREAD_COUNT"),
	READ(MSR_IA32_TME_CAPABILITY, MSR_IA32_TME_ACTIVATE, "TME_CAPABILITY/ACTIVATE"),
	{ .first = MSR_IA32_MISC_ENABLE, .last = MSR_IA32_MISC_ENABLE, .name = "MISC_ENABLE",
	  .rd = R_PASS, .wr = MSR_W_CHANGE, .mask = MISC_ENABLE_GUEST,
	  .clear_only = MISC_ENABLE_CLEAR_ONLY },
	{ .first = MSR_MISC_FEATURES_ENABLES, .last = MSR_MISC_FEATURES_ENABLES,
	  .name = "MISC_FEATURES_ENABLES", .rd = R_PASS, .wr = MSR_W_BITS,
	  .mask = MISC_FEATURES_CPUID_FAULT },
	/* Debug: LBR and BTS off (DEBUGCTL is cleared on every exit besides). */
	RULE(MSR_IA32_DEBUGCTL, MSR_IA32_DEBUGCTL, "DEBUGCTL", R_PASS, MSR_W_DEBUGCTL),
	/* Extended supervisor state: none (PT, LBR, CET_S, PASID state stay out of XSAVES). */
	{ .first = MSR_IA32_XSS, .last = MSR_IA32_XSS, .name = "XSS", .rd = R_PASS,
	  .wr = MSR_W_BITS, .mask = 0, .needs = SEC_ENABLE_XSAVES },
	/* Memory types: the guest's own through EPT; known gap (docs/architecture.md). */
	READ(MSR_MTRRCAP, MSR_MTRRCAP, "MTRRCAP"),
	PASS(MSR_MTRR_PHYSBASE(0), MSR_MTRR_PHYSMASK(15), "MTRR_PHYSBASE/MASK"),
	PASS(MSR_MTRR_FIX64K_00000, MSR_MTRR_FIX64K_00000, "MTRR_FIX64K"),
	PASS(MSR_MTRR_FIX16K_80000, MSR_MTRR_FIX16K_A0000, "MTRR_FIX16K"),
	PASS(MSR_MTRR_FIX4K_C0000, MSR_MTRR_FIX4K_C0000 + 7, "MTRR_FIX4K"),
	PASS(MSR_MTRR_DEF_TYPE, MSR_MTRR_DEF_TYPE, "MTRR_DEF_TYPE"),
	/* Machine check: Linux panics on a fault here; the banks are the guest's to handle. */
	READ(MSR_IA32_MCG_CAP, MSR_IA32_MCG_CAP, "MCG_CAP"),
	PASS(MSR_IA32_MCG_STATUS, MSR_IA32_MCG_CTL, "MCG_STATUS/CTL"),
	PASS(MSR_IA32_MCG_EXT_CTL, MSR_IA32_MCG_EXT_CTL, "MCG_EXT_CTL"),
	PASS(MSR_IA32_MC0_CTL2, MSR_IA32_MC0_CTL2 + 31, "MCi_CTL2"),
	PASS(MSR_IA32_MC0_CTL, MSR_IA32_MC0_CTL + 4 * 32 - 1, "MCi_CTL/STATUS/ADDR/MISC"),
	/* Power and thermal management: the guest runs the machine's OS. */
	READ(MSR_IA32_MPERF, MSR_IA32_APERF, "MPERF/APERF"),
	PASS(MSR_PKG_CST_CONFIG_CONTROL, MSR_PKG_CST_CONFIG_CONTROL, "PKG_CST_CONFIG_CONTROL"),
	PASS(MSR_IA32_POWER_CTL, MSR_IA32_POWER_CTL, "POWER_CTL"),
	READ(MSR_IA32_PERF_STATUS, MSR_IA32_PERF_STATUS, "PERF_STATUS"),
	PASS(MSR_IA32_PERF_CTL, MSR_IA32_THERM_STATUS, "PERF_CTL, CLOCK_MODULATION, THERM_*"),
	READ(MSR_IA32_TEMPERATURE_TARGET, MSR_IA32_TEMPERATURE_TARGET, "TEMPERATURE_TARGET"),
	READ(MSR_MISC_PWR_MGMT, MSR_MISC_PWR_MGMT, "MISC_PWR_MGMT"),
	READ(MSR_TURBO_RATIO_LIMIT, MSR_TURBO_RATIO_LIMIT + 2, "TURBO_RATIO_LIMIT"),
	PASS(MSR_IA32_ENERGY_PERF_BIAS, MSR_IA32_PACKAGE_THERM_INTERRUPT,
	     "ENERGY_PERF_BIAS, PACKAGE_THERM_*"),
	READ(MSR_CONFIG_TDP_NOMINAL, MSR_CONFIG_TDP_NOMINAL + 4, "CONFIG_TDP_*"),
	READ(MSR_PKGC3_IRTL, MSR_PKGC3_IRTL + 2, "PKGC3/6/7_IRTL"),
	PASS(MSR_UNCORE_RATIO_LIMIT, MSR_UNCORE_RATIO_LIMIT, "UNCORE_RATIO_LIMIT"),
	READ(MSR_UNCORE_PERF_STATUS, MSR_UNCORE_PERF_STATUS, "UNCORE_PERF_STATUS"),
	PASS(MSR_IA32_PM_ENABLE, MSR_IA32_HWP_STATUS, "PM_ENABLE, HWP_*"),
};

const struct msr_rule *vmx_msr_rule(u32 msr, u32 cpu2)
{
	const struct msr_rule *r;

	for (r = msr_table; r < msr_table + ARRAY_SIZE(msr_table); r++)
		if (msr >= r->first && msr <= r->last)
			return (cpu2 & r->needs) == r->needs ? r : NULL;
	return NULL;
}

/* Bit offset of @msr in the read half of the bitmap, -1 outside both ranges. */
static int bitmap_bit(u32 msr)
{
	if (msr < MSR_BITMAP_LOW_END)
		return (int)msr;
	if (msr >= MSR_BITMAP_HIGH && msr < MSR_BITMAP_HIGH_END)
		return (int)(msr - MSR_BITMAP_HIGH) + 1024 * 8;
	return -1;
}

static void bitmap_clear(u8 *bm, int bit)
{
	bm[bit / 8] &= (u8)~(1U << (bit % 8));
}

static void bitmap_build_one(u8 *bm, u32 msr, u32 cpu2)
{
	const struct msr_rule *r = vmx_msr_rule(msr, cpu2);
	int bit = bitmap_bit(msr);

	if (r && r->rd == MSR_R_PASS)
		bitmap_clear(bm, bit);
	if (r && r->wr == MSR_W_PASS)
		bitmap_clear(bm, bit + 2048 * 8);
}

void vmx_msr_bitmap_build(u8 *bm, u32 cpu2)
{
	u32 msr;

	memset(bm, 0xff, 4096);
	for (msr = 0; msr < MSR_BITMAP_LOW_END; msr++)
		bitmap_build_one(bm, msr, cpu2);
	for (msr = MSR_BITMAP_HIGH; msr < MSR_BITMAP_HIGH_END; msr++)
		bitmap_build_one(bm, msr, cpu2);
}

bool vmx_msr_exits(const u8 *bm, u32 msr, bool write)
{
	int bit = bitmap_bit(msr);

	if (bit < 0)
		return true;
	bit += write ? 2048 * 8 : 0;
	return bm[bit / 8] & (1U << (bit % 8));
}

bool vmx_msr_debugctl_ok(u64 val, bool bus_lock)
{
	u64 ok = DEBUGCTL_BTF | (bus_lock ? DEBUGCTL_BUS_LOCK_DETECT : 0);

	return !(val & ~ok);
}

/* One bit per MSR of the bitmap ranges: logged already. */
struct msr_log {
	u8 logged[2 * 1024];
	u32 others;		/* MSRs outside the ranges: rate-limited */
};

/* Whether @msr is logged for the first time in @log. */
static bool msr_first(struct msr_log *log, u32 msr)
{
	u8 *logged = log->logged;
	int bit = bitmap_bit(msr);

	if (bit < 0)
		return log_ratelimit(&log->others);
	if (logged[bit / 8] & (1U << (bit % 8)))
		return false;
	logged[bit / 8] |= (u8)(1U << (bit % 8));
	return true;
}

static void msr_refused(struct per_cpu *pc, u32 msr, bool write, u64 val, const char *why)
{
	static struct msr_log refused;

	if (!msr_first(&refused, msr))
		return;
	if (write)
		pr_warn("cpu%u: guest WRMSR 0x%x = 0x%lx refused (#GP): %s\n", pc->cpu_id, msr,
			val, why);
	else
		pr_warn("cpu%u: guest RDMSR 0x%x refused (#GP): %s\n", pc->cpu_id, msr, why);
}

/* The first exit of an MSR the table lets through: what a boot makes exit (a few lines). */
static void msr_handled(struct per_cpu *pc, u32 msr, bool write, const struct msr_rule *r)
{
	static struct msr_log handled;

	if (msr_first(&handled, msr))
		pr_dbg("cpu%u: guest %s 0x%x (%s) exits: handled by the VMM (logged once)\n", pc->cpu_id,
		       write ? "WRMSR" : "RDMSR", msr, r->name);
}

int vmx_msr_read(struct per_cpu *pc, u32 msr, u64 *val)
{
	const struct msr_rule *r = vmx_msr_rule(msr, vmx_cfg.cpu2);

	if (!r || r->rd == MSR_R_DENY) {
		msr_refused(pc, msr, false, 0, r ? r->name : "not in the MSR table");
		return -EPERM;
	}
	msr_handled(pc, msr, false, r);
	if (r->rd == MSR_R_CONST) {
		*val = r->value;
		return 0;
	}
	return rdmsr_safe(msr, val) ? -EPERM : 0;
}

static bool cpu_has_bus_lock_detect(void)
{
	struct cpuid_regs c;

	cpuid_count(7, 0, &c);
	return c.ecx & BIT(24);
}

static int msr_write_checked(struct per_cpu *pc, const struct msr_rule *r, u32 msr, u64 val)
{
	static u32 ignored;
	u64 cur;

	switch (r->wr) {
	case MSR_W_PASS:
		return wrmsr_safe(msr, val) ? -EPERM : 0;
	case MSR_W_IGNORE:
		if (log_ratelimit(&ignored))
			pr_warn("cpu%u: guest WRMSR %s = 0x%lx ignored\n", pc->cpu_id, r->name, val);
		return 0;
	case MSR_W_BITS:
		if (val & ~r->mask)
			return -EINVAL;
		return wrmsr_safe(msr, val) ? -EPERM : 0;
	case MSR_W_CHANGE:
		if (rdmsr_safe(msr, &cur) || ((cur ^ val) & ~r->mask) ||
		    (val & ~cur & r->clear_only))
			return -EINVAL;
		return wrmsr_safe(msr, val) ? -EPERM : 0;
	case MSR_W_DEBUGCTL:
		if (!vmx_msr_debugctl_ok(val, cpu_has_bus_lock_detect()))
			return -EINVAL;
		return vmx_vmwrite(GUEST_IA32_DEBUGCTL, val) ? 0 : -EPERM;
	case MSR_W_APIC_BASE:
		return vapic_apic_base_write(pc, val) ? -EPERM : 0;
	case MSR_W_X2APIC_ICR:
		return vapic_x2apic_icr_write(pc, val) ? -EPERM : 0;
	default:
		return -EPERM;
	}
}

int vmx_msr_write(struct per_cpu *pc, u32 msr, u64 val)
{
	const struct msr_rule *r = vmx_msr_rule(msr, vmx_cfg.cpu2);
	int rc;

	if (!r || r->wr == MSR_W_DENY) {
		msr_refused(pc, msr, true, val, r ? r->name : "not in the MSR table");
		return -EPERM;
	}
	msr_handled(pc, msr, true, r);
	rc = msr_write_checked(pc, r, msr, val);
	if (rc == -EINVAL)
		msr_refused(pc, msr, true, val, "bits the VMM keeps");
	return rc ? -EPERM : 0;
}
