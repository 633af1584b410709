// SPDX-License-Identifier: GPL-2.0-only
#include <asm/cpuid_filter.h>
#include <asm/vmx.h>

enum { EAX, EBX, ECX, EDX };
#define ANY_SUB		0xffffffffU

/* Leaves the guest sees (feature words filtered below); every other leaf reads as zero. */
static const u32 leaves_shown[] = {
	0x0, 0x1, 0x2, 0x4, 0x5, 0x6, 0x7, 0xb, 0xd, 0x15, 0x16, 0x18, 0x1a, 0x1f,
};
#define EXT_FIRST	0x80000000U
#define EXT_LAST	0x80000008U
/* Subleaves of leaf 0xD shown: x87/SSE, AVX, AVX-512 and PKRU state. */
#define XSAVE_SUBLEAVES	(BIT(0) | BIT(1) | BIT(2) | BIT(5) | BIT(6) | BIT(7) | BIT(9))

/* A feature word: only the bits Mamori has reviewed (@known) can reach the guest. */
struct cpuid_word {
	u32 leaf, sub;
	u8 reg;
	u32 known;
};

static const struct cpuid_word words[] = {
	{ 0x1, ANY_SUB, ECX, 0xfffeffff },		/* bit 16 reserved */
	{ 0x1, ANY_SUB, EDX, 0xbfeffbff },		/* bits 10, 20, 30 reserved */
	{ 0x6, ANY_SUB, EAX, 0x0012cff7 },	/* DTS..HWP pkg, turbo 3.0, HWP caps, flexible HWP, ignore-idle */
	{ 0x6, ANY_SUB, ECX, BIT(0) | BIT(3) },	/* APERF/MPERF, EPB */
	{ 0x6, ANY_SUB, EDX, 0 },		/* HFI/ITD capabilities */
	{ 0x7, 0, EBX, 0xffbfffff },			/* bit 22 reserved */
	{ 0x7, 0, ECX, 0xfbff7fff },			/* bits 15, 26 reserved */
	{ 0x7, 0, EDX, 0xffddef3e },		/* defined bits; 0, 6, 7, 12, 17, 21 reserved */
	{ 0x7, 1, EAX, BIT(4) | BIT(5) | BIT(10) | BIT(11) | BIT(12) | BIT(23) },
	{ 0x7, 1, EBX, 0 },			/* PPIN */
	{ 0x7, 1, ECX, 0 },
	{ 0x7, 1, EDX, BIT(4) | BIT(5) | BIT(10) | BIT(14) },
	{ 0x7, 2, EAX, 0 }, { 0x7, 2, EBX, 0 }, { 0x7, 2, ECX, 0 },
	{ 0x7, 2, EDX, 0x3f },			/* PSFD, IPRED, RRSBA, DDPD_U, BHI, MCDT_NO */
	{ 0xd, 0, EAX, 0x000602ff },		/* XCR0: x87..AVX-512, PKRU, AMX (hidden below) */
	{ 0xd, 0, EDX, 0 },
	{ 0xd, 1, EAX, 0x1f },			/* XSAVEOPT, XSAVEC, XGETBV1, XSAVES, XFD */
	{ 0xd, 1, ECX, 0 },			/* IA32_XSS: no supervisor state (vmx_msr.c) */
	{ 0xd, 1, EDX, 0 },
	{ 0x80000001, ANY_SUB, ECX, BIT(0) | BIT(5) | BIT(8) },
	{ 0x80000001, ANY_SUB, EDX, BIT(11) | BIT(20) | BIT(26) | BIT(27) | BIT(29) },
	{ 0x80000007, ANY_SUB, EDX, BIT(8) },	/* invariant TSC */
	{ 0x80000008, ANY_SUB, EBX, BIT(9) },	/* WBNOINVD */
};

/*
 * Reviewed bits the guest sees only with the secondary controls in @needs, or
 * never (@needs 0): the feature's instructions would #UD or its MSRs #GP
 * (vmx_msr.c), or it would write to host-physical memory.
 */
struct cpuid_rule {
	u32 leaf, sub;
	u8 reg, bit;
	u32 needs;
};
#define HIDE(l, s, r, b)	{ l, s, r, b, 0 }

static const struct cpuid_rule rules[] = {
	HIDE(0x1, ANY_SUB, ECX, 2),		/* DTES64 (DS area) */
	HIDE(0x1, ANY_SUB, ECX, 4),		/* DS-CPL */
	HIDE(0x1, ANY_SUB, ECX, 5),		/* VMX */
	HIDE(0x1, ANY_SUB, ECX, 6),		/* SMX */
	HIDE(0x1, ANY_SUB, ECX, 11),		/* SDBG: silicon debug MSR */
	HIDE(0x1, ANY_SUB, ECX, 15),		/* PDCM: PERF_CAPABILITIES */
	HIDE(0x1, ANY_SUB, ECX, 18),		/* DCA */
	HIDE(0x1, ANY_SUB, EDX, 18),		/* PSN */
	HIDE(0x1, ANY_SUB, EDX, 21),		/* DS: BTS/PEBS */
	HIDE(0x6, ANY_SUB, EAX, 19),		/* HFI: hardware writes a table at a physical address */
	HIDE(0x6, ANY_SUB, EAX, 23),		/* ITD */
	HIDE(0x7, 0, EBX, 2),			/* SGX */
	{ 0x7, 0, EBX, 10, SEC_ENABLE_INVPCID },
	HIDE(0x7, 0, EBX, 12),			/* RDT monitoring */
	HIDE(0x7, 0, EBX, 14),			/* MPX (BNDCFGS) */
	HIDE(0x7, 0, EBX, 15),			/* RDT allocation */
	HIDE(0x7, 0, EBX, 25),			/* Intel PT: output to host-physical addresses */
	{ 0x7, 0, ECX, 5, SEC_ENABLE_USR_WAIT_PAUSE },	/* WAITPKG */
	HIDE(0x7, 0, ECX, 7),			/* CET shadow stacks (PLx_SSP) */
	{ 0x7, 0, ECX, 22, SEC_ENABLE_RDTSCP },	/* RDPID */
	HIDE(0x7, 0, ECX, 23),			/* Key Locker */
	HIDE(0x7, 0, ECX, 29),			/* ENQCMD (PASID) */
	HIDE(0x7, 0, ECX, 30),			/* SGX launch control */
	HIDE(0x7, 0, ECX, 31),			/* PKS */
	HIDE(0x7, 0, EDX, 1),			/* SGX keys */
	HIDE(0x7, 0, EDX, 5),			/* UINTR */
	HIDE(0x7, 0, EDX, 18),			/* PCONFIG */
	HIDE(0x7, 0, EDX, 19),			/* arch LBR */
	HIDE(0x7, 0, EDX, 22),			/* AMX: needs XFD, which root XRSTOR would trip */
	HIDE(0x7, 0, EDX, 24),
	HIDE(0x7, 0, EDX, 25),
	HIDE(0xd, 0, EAX, 3),			/* MPX state */
	HIDE(0xd, 0, EAX, 4),
	HIDE(0xd, 0, EAX, 17),			/* AMX state */
	HIDE(0xd, 0, EAX, 18),
	{ 0xd, 1, EAX, 3, SEC_ENABLE_XSAVES },
	HIDE(0xd, 1, EAX, 4),			/* XFD */
	{ 0x80000001, ANY_SUB, EDX, 27, SEC_ENABLE_RDTSCP },
};

static u32 cpuid_cpu2;

void cpuid_filter_init(u32 cpu2)
{
	cpuid_cpu2 = cpu2;
}

static u32 *reg_of(struct cpuid_regs *r, u8 reg)
{
	switch (reg) {
	case EAX:
		return &r->eax;
	case EBX:
		return &r->ebx;
	case ECX:
		return &r->ecx;
	default:
		return &r->edx;
	}
}

static bool matches(u32 leaf, u32 sub, u32 rule_leaf, u32 rule_sub)
{
	return leaf == rule_leaf && (rule_sub == ANY_SUB || sub == rule_sub);
}

static bool leaf_shown(u32 leaf, u32 sub)
{
	u32 i;

	if (leaf >= EXT_FIRST && leaf <= EXT_LAST)
		return true;
	if (leaf == 0x7)
		return sub <= 2;
	if (leaf == 0xd)
		return sub < 32 && (XSAVE_SUBLEAVES & BIT(sub));
	for (i = 0; i < ARRAY_SIZE(leaves_shown); i++)
		if (leaves_shown[i] == leaf)
			return true;
	return false;
}

static void filter_features(u32 leaf, u32 sub, struct cpuid_regs *r)
{
	const struct cpuid_rule *c;
	const struct cpuid_word *w;

	for (w = words; w < words + ARRAY_SIZE(words); w++)
		if (matches(leaf, sub, w->leaf, w->sub))
			*reg_of(r, w->reg) &= w->known;
	for (c = rules; c < rules + ARRAY_SIZE(rules); c++)
		if (matches(leaf, sub, c->leaf, c->sub) &&
		    (!c->needs || (cpuid_cpu2 & c->needs) != c->needs))
			*reg_of(r, c->reg) &= ~(u32)BIT(c->bit);
}

static u32 sig_word(u32 i)
{
	const char *s = CPUID_HV_SIGNATURE;

	return (u32)(u8)s[i * 4] | (u32)(u8)s[i * 4 + 1] << 8 |
	       (u32)(u8)s[i * 4 + 2] << 16 | (u32)(u8)s[i * 4 + 3] << 24;
}

static u32 mirror_bit(u32 reg, u32 bit, bool on)
{
	return on ? reg | bit : reg & ~bit;
}

static void hv_leaf(u32 leaf, struct cpuid_regs *r)
{
	*r = (struct cpuid_regs){ 0 };
	if (leaf == CPUID_HV_BASE) {
		r->eax = CPUID_HV_MAX;
		r->ebx = sig_word(0);
		r->ecx = sig_word(1);
		r->edx = sig_word(2);
	}
}

void cpuid_filter(u32 leaf, u32 subleaf, u64 guest_cr4, struct cpuid_regs *r)
{
	if (leaf >= CPUID_HV_BASE && leaf <= CPUID_HV_BASE + 0xff) {
		hv_leaf(leaf, r);
		return;
	}
	if (!leaf_shown(leaf, subleaf)) {
		*r = (struct cpuid_regs){ 0 };
		return;
	}
	filter_features(leaf, subleaf, r);
	if (leaf == 1) {
		r->ecx |= X86_FEATURE_ECX_HYPERVISOR;
		r->ecx = mirror_bit(r->ecx, X86_FEATURE_ECX_OSXSAVE,
				    (r->ecx & X86_FEATURE_ECX_XSAVE) && (guest_cr4 & X86_CR4_OSXSAVE));
	} else if (leaf == 7 && subleaf == 0) {
		r->ecx = mirror_bit(r->ecx, X86_FEATURE_7_ECX_OSPKE,
				    (r->ecx & X86_FEATURE_7_ECX_PKU) && (guest_cr4 & X86_CR4_PKE));
	}
}
