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
