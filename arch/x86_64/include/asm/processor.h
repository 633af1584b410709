/* SPDX-License-Identifier: GPL-2.0-only */
/* CPU registers, MSRs and instructions used by the VMM. */
#ifndef MAMORI_ASM_PROCESSOR_H
#define MAMORI_ASM_PROCESSOR_H

#include <mamori/types.h>

#define MSR_IA32_FEATURE_CONTROL	0x0000003a
#define  FEATURE_CONTROL_LOCKED		BIT(0)
#define  FEATURE_CONTROL_VMX_SMX	BIT(1)
#define  FEATURE_CONTROL_VMX		BIT(2)
#define MSR_IA32_APIC_BASE		0x0000001b
#define MSR_IA32_SYSENTER_CS		0x00000174
#define MSR_IA32_SYSENTER_ESP		0x00000175
#define MSR_IA32_SYSENTER_EIP		0x00000176
#define MSR_IA32_DEBUGCTL		0x000001d9
#define MSR_IA32_PAT			0x00000277
#define MSR_IA32_VMX_BASIC		0x00000480
#define MSR_IA32_VMX_PINBASED_CTLS	0x00000481
#define MSR_IA32_VMX_PROCBASED_CTLS	0x00000482
#define MSR_IA32_VMX_EXIT_CTLS		0x00000483
#define MSR_IA32_VMX_ENTRY_CTLS		0x00000484
#define MSR_IA32_VMX_MISC		0x00000485
#define MSR_IA32_VMX_CR0_FIXED0		0x00000486
#define MSR_IA32_VMX_CR0_FIXED1		0x00000487
#define MSR_IA32_VMX_CR4_FIXED0		0x00000488
#define MSR_IA32_VMX_CR4_FIXED1		0x00000489
#define MSR_IA32_VMX_VMCS_ENUM		0x0000048a
#define MSR_IA32_VMX_PROCBASED_CTLS2	0x0000048b
#define MSR_IA32_VMX_EPT_VPID_CAP	0x48c
#define MSR_IA32_VMX_TRUE_PINBASED	0x0000048d
#define MSR_IA32_VMX_TRUE_PROCBASED	0x0000048e
#define MSR_IA32_VMX_TRUE_EXIT		0x0000048f
#define MSR_IA32_VMX_TRUE_ENTRY		0x00000490
#define MSR_IA32_VMX_VMFUNC		0x00000491
#define MSR_IA32_VMX_FIRST		MSR_IA32_VMX_BASIC
#define MSR_IA32_VMX_LAST		0x00000492
#define MSR_EFER			0xc0000080
#define  EFER_SCE			BIT(0)
#define  EFER_LME			BIT(8)
#define  EFER_LMA			BIT(10)
#define  EFER_NXE			BIT(11)
#define MSR_FS_BASE			0xc0000100
#define MSR_GS_BASE			0xc0000101
#define MSR_KERNEL_GS_BASE		0xc0000102
#define MSR_TSC_AUX			0xc0000103
#define MSR_STAR			0xc0000081	/* ... 0xc0000084: LSTAR, CSTAR, FMASK */
#define MSR_SYSCALL_MASK		0xc0000084

/* MSRs the guest table names (vmx_msr.c); numbers per SDM Vol. 4. */
#define MSR_IA32_TSC			0x00000010
#define MSR_IA32_PLATFORM_ID		0x00000017
#define MSR_TEST_CTRL			0x00000033
#define  TEST_CTRL_SPLIT_LOCK_DETECT	BIT(29)
#define MSR_SMI_COUNT			0x00000034
#define MSR_CORE_THREAD_COUNT		0x00000035
#define MSR_IA32_TSC_ADJUST		0x0000003b
#define MSR_IA32_SPEC_CTRL		0x00000048
#define MSR_IA32_PRED_CMD		0x00000049
#define MSR_IA32_BIOS_UPDT_TRIG		0x00000079
#define MSR_IA32_BIOS_SIGN_ID		0x0000008b
#define MSR_PLATFORM_INFO		0x000000ce
#define MSR_IA32_CORE_CAPABILITIES	0x000000cf
#define MSR_UMWAIT_CONTROL		0x000000e1
#define MSR_PKG_CST_CONFIG_CONTROL	0x000000e2
#define MSR_IA32_MPERF			0x000000e7
#define MSR_IA32_APERF			0x000000e8
#define MSR_IA32_ARCH_CAPABILITIES	0x0000010a
#define MSR_IA32_FLUSH_CMD		0x0000010b
#define MSR_TSX_FORCE_ABORT		0x0000010f
#define MSR_IA32_TSX_CTRL		0x00000122
#define MSR_IA32_MCU_OPT_CTRL		0x00000123
#define MSR_MISC_FEATURES_ENABLES	0x00000140
#define  MISC_FEATURES_CPUID_FAULT	BIT(0)
#define MSR_IA32_MCG_CAP		0x00000179
#define MSR_IA32_MCG_STATUS		0x0000017a
#define MSR_IA32_MCG_CTL		0x0000017b
#define MSR_IA32_PERF_STATUS		0x00000198
#define MSR_IA32_PERF_CTL		0x00000199
#define MSR_IA32_CLOCK_MODULATION	0x0000019a
#define MSR_IA32_THERM_INTERRUPT	0x0000019b
#define MSR_IA32_THERM_STATUS		0x0000019c
#define MSR_IA32_MISC_ENABLE		0x000001a0
#define MSR_IA32_TEMPERATURE_TARGET	0x000001a2
#define MSR_MISC_PWR_MGMT		0x000001aa
#define MSR_TURBO_RATIO_LIMIT		0x000001ad	/* ... 0x1af: _1, _2 */
#define MSR_IA32_ENERGY_PERF_BIAS	0x000001b0
#define MSR_IA32_PACKAGE_THERM_STATUS	0x000001b1
#define MSR_IA32_PACKAGE_THERM_INTERRUPT 0x000001b2
#define MSR_IA32_POWER_CTL		0x000001fc
#define MSR_IA32_MC0_CTL2		0x00000280	/* ... 0x29f: MC31_CTL2 */
#define MSR_IA32_MC0_CTL		0x00000400	/* ... 0x47f: 32 banks of CTL, STATUS, ADDR, MISC */
#define MSR_IA32_MCG_EXT_CTL		0x000004d0
#define MSR_IA32_DS_AREA		0x00000600
#define MSR_PKGC3_IRTL			0x0000060a	/* ... 0x60c: PKGC6_IRTL, PKGC7_IRTL */
#define MSR_UNCORE_RATIO_LIMIT		0x00000620
#define MSR_UNCORE_PERF_STATUS		0x00000621
#define MSR_CONFIG_TDP_NOMINAL		0x00000648	/* ... 0x64c: TDP levels, control, turbo activation */
#define MSR_IA32_U_CET			0x000006a0
#define MSR_IA32_S_CET			0x000006a2
#define MSR_IA32_TSC_DEADLINE		0x000006e0
#define MSR_IA32_PM_ENABLE		0x00000770	/* ... 0x777: HWP capabilities, requests, status */
#define MSR_IA32_HWP_STATUS		0x00000777
#define MSR_X2APIC_FIRST		0x00000800
#define MSR_X2APIC_ICR			0x00000830
#define MSR_X2APIC_LAST			0x000008ff
#define MSR_IA32_TME_CAPABILITY		0x00000981
#define MSR_IA32_TME_ACTIVATE		0x00000982
#define MSR_IA32_XSS			0x00000da0
#define MSR_IA32_LBR_CTL		0x000014ce
#define MSR_IA32_RTIT_OUTPUT_BASE	0x00000560
#define MSR_IA32_RTIT_CTL		0x00000570
#define MSR_IA32_PEBS_ENABLE		0x000003f1
#define MSR_IA32_PERF_GLOBAL_CTRL	0x0000038f
#define MSR_IA32_HW_FEEDBACK_PTR	0x000017d0

#define X86_CR0_PE	BIT(0)
#define X86_CR0_NE	BIT(5)
#define X86_CR0_WP	BIT(16)
#define X86_CR0_NW	BIT(29)
#define X86_CR0_CD	BIT(30)
#define X86_CR0_PG	BIT(31)
#define X86_CR4_PAE	BIT(5)
#define X86_CR4_OSFXSR	BIT(9)
#define X86_CR4_OSXMMEXCPT BIT(10)
#define X86_CR4_VMXE	BIT(13)
#define X86_CR4_SMXE	BIT(14)
#define X86_CR4_OSXSAVE	BIT(18)
#define X86_CR4_PKE	BIT(22)
#define X86_RFLAGS_IF	BIT(9)
#define X86_RFLAGS_RESERVED1 BIT(1)

#define X86_FEATURE_ECX_VMX	BIT(5)	/* CPUID.1:ECX */
#define X86_FEATURE_ECX_SMX	BIT(6)
#define X86_FEATURE_ECX_XSAVE	BIT(26)
#define X86_FEATURE_ECX_OSXSAVE	BIT(27)
#define X86_FEATURE_7_ECX_PKU	BIT(3)	/* CPUID.(7,0):ECX */
#define X86_FEATURE_7_ECX_OSPKE	BIT(4)
#define X86_FEATURE_ECX_HYPERVISOR BIT(31)

#define DEBUGCTL_BTF		BIT(1)	/* IA32_DEBUGCTL */
#define DEBUGCTL_BUS_LOCK_DETECT BIT(2)
#define DEBUGCTL_FREEZE_IN_SMM	BIT(14)

#define X86_VEC_DE	0
#define X86_VEC_DB	1
#define X86_VEC_NMI	2
#define X86_VEC_UD	6
#define X86_VEC_DF	8
#define X86_VEC_GP	13
#define X86_VEC_PF	14
#define X86_VEC_MC	18

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

static inline void cpuid_count(u32 leaf, u32 sub, struct cpuid_regs *r)
{
	__asm__ volatile("cpuid"
			 : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
			 : "a"(leaf), "c"(sub));
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

#define DEFINE_CR_ACCESSORS(n)						\
static inline u64 read_cr##n(void)					\
{									\
	u64 v;								\
	__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));		\
	return v;							\
}									\
static inline void write_cr##n(u64 v)					\
{									\
	__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");	\
}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
DEFINE_CR_ACCESSORS(2)

static inline u64 read_dr7(void)
{
	u64 v;

	__asm__ volatile("mov %%dr7, %0" : "=r"(v));
	return v;
}

#define DEFINE_SEG_READ(seg)						\
static inline u16 read_##seg(void)					\
{									\
	u16 v;								\
	__asm__ volatile("mov %%" #seg ", %0" : "=r"(v));		\
	return v;							\
}
DEFINE_SEG_READ(cs)
DEFINE_SEG_READ(ss)
DEFINE_SEG_READ(ds)
DEFINE_SEG_READ(es)
DEFINE_SEG_READ(fs)
DEFINE_SEG_READ(gs)

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

static inline void store_gdt(struct desc_ptr *p)
{
	__asm__ volatile("sgdt %0" : "=m"(*p));
}

static inline void store_idt(struct desc_ptr *p)
{
	__asm__ volatile("sidt %0" : "=m"(*p));
}

static inline u16 store_tr(void)
{
	u16 v;

	__asm__ volatile("str %0" : "=r"(v));
	return v;
}

static inline u16 store_ldt(void)
{
	u16 v;

	__asm__ volatile("sldt %0" : "=r"(v));
	return v;
}

static inline u64 xgetbv(u32 idx)
{
	u32 lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(idx));
	return ((u64)hi << 32) | lo;
}

static inline void xsetbv(u32 idx, u64 v)
{
	__asm__ volatile("xsetbv" : : "c"(idx), "a"((u32)v), "d"((u32)(v >> 32)));
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static inline void __noreturn cpu_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif
