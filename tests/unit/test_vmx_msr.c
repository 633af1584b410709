// SPDX-License-Identifier: GPL-2.0-only
/* The guest MSR table and the bitmap built from it (arch/x86_64/vmx_msr.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/vapic.h>
#include <asm/vmx.h>
#include <asm/vmx_msr.h>
#include <asm/vmx_setup.h>
#include <mamori/errno.h>

struct vmx_config vmx_cfg;

/* The hardware, as far as the table reaches it: one MSR value, and what was written. */
static u64 hw_value;
static int hw_reads, hw_writes;
static u64 hw_written;

int rdmsr_safe(u32 msr, u64 *val)
{
	hw_reads++;
	*val = hw_value;
	return 0;
}

int wrmsr_safe(u32 msr, u64 val)
{
	hw_writes++;
	hw_written = val;
	return 0;
}

int vapic_apic_base_write(struct per_cpu *pc, u64 val) { return -EPERM; }
int vapic_x2apic_icr_write(struct per_cpu *pc, u64 val) { return 0; }

static u8 bm[4096];
static struct per_cpu cpu0;

static int setup(void **state)
{
	vmx_cfg.cpu2 = SEC_ENABLE_EPT | SEC_ENABLE_RDTSCP | SEC_ENABLE_VPID |
		       SEC_UNRESTRICTED_GUEST | SEC_ENABLE_INVPCID;
	vmx_msr_bitmap_build(bm, vmx_cfg.cpu2);
	hw_value = hw_written = 0;
	hw_reads = hw_writes = 0;
	return 0;
}

/* Every access to @msr exits and gets #GP without touching the hardware MSR. */
static void assert_denied(u32 msr)
{
	u64 v = 0;

	assert_true(vmx_msr_exits(bm, msr, false));
	assert_true(vmx_msr_exits(bm, msr, true));
	assert_int_equal(vmx_msr_read(&cpu0, msr, &v), -EPERM);
	assert_int_equal(vmx_msr_write(&cpu0, msr, 1), -EPERM);
	assert_int_equal(hw_reads + hw_writes, 0);
}

static void assert_passes(u32 msr)
{
	assert_false(vmx_msr_exits(bm, msr, false));
	assert_false(vmx_msr_exits(bm, msr, true));
}

static void test_denied(void **state)
{
	static const u32 denied[] = {
		MSR_IA32_RTIT_CTL, MSR_IA32_RTIT_OUTPUT_BASE, 0x561, 0x571, 0x580,
		MSR_IA32_DS_AREA, MSR_IA32_PEBS_ENABLE, MSR_IA32_PERF_GLOBAL_CTRL,
		0xc1, 0x186, 0x309, 0x345,		/* PMCs, event select, fixed, PERF_CAPABILITIES */
		MSR_IA32_LBR_CTL, 0x14cf, 0x1500, 0x1600, 0x1200, 0x680, 0x6c0, 0x1c8, 0x1c9,
		MSR_IA32_HW_FEEDBACK_PTR, 0x606, 0x611,	/* HFI table, RAPL */
		MSR_IA32_VMX_BASIC, MSR_IA32_VMX_LAST, 0x1c4, 0x6e1, 0xd90, 0x1f2,
		0x4e, 0x4f, 0xc80, 0x9b, 0x8c,		/* PPIN, silicon debug, SMM monitor, SGX */
		0x1234, 0xc0001000,			/* nobody's */
		0x40000000, 0xc0010000, 0xffffffff,	/* outside both bitmap ranges */
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(denied); i++)
		assert_denied(denied[i]);
}

static void test_hot_pass(void **state)
{
	static const u32 hot[] = {
		MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_TSC_AUX, MSR_EFER,
		MSR_STAR, MSR_STAR + 1, MSR_STAR + 2, MSR_SYSCALL_MASK,
		MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
		MSR_IA32_TSC_DEADLINE, MSR_IA32_PAT, MSR_IA32_SPEC_CTRL, MSR_IA32_TSC,
		0x808, 0x80b, 0x838,			/* x2APIC TPR, EOI, timer */
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(hot); i++)
		assert_passes(hot[i]);
	assert_false(vmx_msr_exits(bm, MSR_IA32_PRED_CMD, true));
	assert_false(vmx_msr_exits(bm, MSR_IA32_FLUSH_CMD, true));
	assert_false(vmx_msr_exits(bm, MSR_IA32_APERF, false));
	assert_false(vmx_msr_exits(bm, MSR_IA32_MPERF, false));
}

static void test_owned(void **state)
{
	u64 v = 0;

	/* IA32_APIC_BASE writes exit with any number of CPUs. */
	assert_false(vmx_msr_exits(bm, MSR_IA32_APIC_BASE, false));
	assert_true(vmx_msr_exits(bm, MSR_IA32_APIC_BASE, true));
	assert_int_equal(vmx_msr_write(&cpu0, MSR_IA32_APIC_BASE, 0xfee00900), -EPERM);
	/* The x2APIC ICR: writes exit (INIT emulated), reads and the rest of x2APIC do not. */
	assert_true(vmx_msr_exits(bm, MSR_X2APIC_ICR, true));
	assert_false(vmx_msr_exits(bm, MSR_X2APIC_ICR, false));
	assert_false(vmx_msr_exits(bm, MSR_X2APIC_ICR + 1, true));
	/* FEATURE_CONTROL: locked, VMX off; writes dropped. */
	assert_true(vmx_msr_exits(bm, MSR_IA32_FEATURE_CONTROL, false));
	assert_true(vmx_msr_exits(bm, MSR_IA32_FEATURE_CONTROL, true));
	hw_value = FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX;
	assert_int_equal(vmx_msr_read(&cpu0, MSR_IA32_FEATURE_CONTROL, &v), 0);
	assert_int_equal(v, FEATURE_CONTROL_LOCKED);
	assert_int_equal(vmx_msr_write(&cpu0, MSR_IA32_FEATURE_CONTROL, 0), 0);
	assert_int_equal(hw_writes, 0);
	/* Microcode update: dropped. */
	assert_int_equal(vmx_msr_write(&cpu0, MSR_IA32_BIOS_UPDT_TRIG, 0x1000), 0);
	assert_int_equal(hw_writes, 0);
}

static void test_filtered_writes(void **state)
{
	/* DEBUGCTL: BTF only; LBR (0), BTS (7), freeze bits refused. */
	assert_true(vmx_msr_exits(bm, MSR_IA32_DEBUGCTL, true));
	assert_int_equal(vmx_msr_write(&cpu0, MSR_IA32_DEBUGCTL, BIT(0)), -EPERM);
	assert_int_equal(vmx_msr_write(&cpu0, MSR_IA32_DEBUGCTL, BIT(7) | BIT(6)), -EPERM);
	assert_true(vmx_msr_debugctl_ok(DEBUGCTL_BTF, false));
	assert_false(vmx_msr_debugctl_ok(DEBUGCTL_BUS_LOCK_DETECT, false));
	assert_true(vmx_msr_debugctl_ok(DEBUGCTL_BUS_LOCK_DETECT, true));
	assert_false(vmx_msr_debugctl_ok(DEBUGCTL_FREEZE_IN_SMM, true));
	/* TEST_CTRL: split-lock detection only. */
	assert_int_equal(vmx_msr_write(&cpu0, MSR_TEST_CTRL, TEST_CTRL_SPLIT_LOCK_DETECT), 0);
	assert_int_equal(hw_written, TEST_CTRL_SPLIT_LOCK_DETECT);
	assert_int_equal(vmx_msr_write(&cpu0, MSR_TEST_CTRL, BIT(31)), -EPERM);
	/* MISC_ENABLE: LIMIT_CPUID may change, "perf monitoring available" may not. */
	hw_value = BIT(0) | BIT(7) | BIT(22);
	assert_int_equal(vmx_msr_write(&cpu0, MSR_IA32_MISC_ENABLE, BIT(0) | BIT(7)), 0);
	assert_int_equal(vmx_msr_write(&cpu0, MSR_IA32_MISC_ENABLE, BIT(0) | BIT(22)), -EPERM);
	/* Review 2: LIMIT_CPUID and XD disable may be cleared, never set (NX in root). */
	hw_value = BIT(0) | BIT(7) | BIT(34);
	assert_int_equal(vmx_msr_write(&cpu0, MSR_IA32_MISC_ENABLE, BIT(0) | BIT(7)), 0);
	hw_value = BIT(0) | BIT(7);
	assert_int_equal(vmx_msr_write(&cpu0, MSR_IA32_MISC_ENABLE, BIT(0) | BIT(7) | BIT(34)),
			 -EPERM);
	assert_int_equal(vmx_msr_write(&cpu0, MSR_IA32_MISC_ENABLE, BIT(0) | BIT(7) | BIT(22)),
			 -EPERM);
	assert_int_equal(vmx_msr_write(&cpu0, MSR_IA32_MISC_ENABLE, BIT(0) | BIT(7) | BIT(38)), 0);
	/* CPUID faulting only. */
	assert_int_equal(vmx_msr_write(&cpu0, MSR_MISC_FEATURES_ENABLES, BIT(1)), -EPERM);
}

static void test_follows_controls(void **state)
{
	/* Without "enable XSAVES" / "enable user wait and pause": absent. */
	assert_denied(MSR_IA32_XSS);
	assert_denied(MSR_UMWAIT_CONTROL);
	vmx_cfg.cpu2 |= SEC_ENABLE_XSAVES | SEC_ENABLE_USR_WAIT_PAUSE;
	vmx_msr_bitmap_build(bm, vmx_cfg.cpu2);
	assert_passes(MSR_UMWAIT_CONTROL);
	assert_false(vmx_msr_exits(bm, MSR_IA32_XSS, false));
	assert_true(vmx_msr_exits(bm, MSR_IA32_XSS, true));
	/* No supervisor state: Intel PT (8), CET (11, 12), arch LBR (15) refused. */
	assert_int_equal(vmx_msr_write(&cpu0, MSR_IA32_XSS, BIT(8)), -EPERM);
	assert_int_equal(vmx_msr_write(&cpu0, MSR_IA32_XSS, BIT(15)), -EPERM);
	assert_int_equal(hw_writes, 0);
	assert_int_equal(vmx_msr_write(&cpu0, MSR_IA32_XSS, 0), 0);
	assert_int_equal(hw_writes, 1);
}

/* The bitmap is the table: a bit is clear exactly where a rule passes the access. */
static void test_bitmap_is_table(void **state)
{
	const struct msr_rule *r;
	u32 msr, passes = 0;

	for (msr = 0; msr < MSR_BITMAP_HIGH_END; msr++) {
		if (msr == MSR_BITMAP_LOW_END)
			msr = MSR_BITMAP_HIGH;
		r = vmx_msr_rule(msr, vmx_cfg.cpu2);
		assert_int_equal(vmx_msr_exits(bm, msr, false), !(r && r->rd == MSR_R_PASS));
		assert_int_equal(vmx_msr_exits(bm, msr, true), !(r && r->wr == MSR_W_PASS));
		passes += !vmx_msr_exits(bm, msr, false);
	}
	/* Deny by default: a few hundred of 16384 (x2APIC, MCA banks, MTRRs...). */
	assert_true(passes < 600);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_denied, setup),
		cmocka_unit_test_setup(test_hot_pass, setup),
		cmocka_unit_test_setup(test_owned, setup),
		cmocka_unit_test_setup(test_filtered_writes, setup),
		cmocka_unit_test_setup(test_follows_controls, setup),
		cmocka_unit_test_setup(test_bitmap_is_table, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
