// SPDX-License-Identifier: GPL-2.0-only
/* Guest ICR decoding for INIT emulation (asm/apic.h); pure, host-tested. */
#include <asm/apic.h>

#define APIC_ICR_LEVEL_BIT	BIT(14)
#define XAPIC_BROADCAST		0xffU
#define X2APIC_BROADCAST	0xffffffffU
#define DFR_MODEL_FLAT		0xfU

enum apic_icr_action apic_icr_classify(u32 icr_lo)
{
	switch (icr_lo & APIC_ICR_DM_MASK) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
	case APIC_DM_NMI:
		return APIC_ICR_FORWARD;
	case APIC_DM_INIT:
		return (icr_lo & APIC_ICR_LEVEL_BIT) ? APIC_ICR_INIT : APIC_ICR_DROP;
	case APIC_DM_SIPI:
		return APIC_ICR_SIPI;
	default:		/* reserved, and SMI: no OS sends one; an SMI storm
				 * would stall VMX root on the target */
		return APIC_ICR_REFUSE;
	}
}

u32 apic_icr_build(u32 icr_lo)
{
	u32 dm = icr_lo & APIC_ICR_DM_MASK;
	bool vectored = dm == APIC_DM_FIXED || dm == APIC_DM_LOWEST || dm == APIC_DM_SIPI;

	return (vectored ? icr_lo & APIC_ICR_VECTOR : 0) | dm | APIC_LEVEL_ASSERT;
}

bool apic_icr_x2apic_valid(u64 icr)
{
	return !((u32)icr & X2APIC_ICR_RESERVED);
}

u32 apic_x2apic_ldr(u32 apic_id)
{
	return ((apic_id >> 4) << 16) | (1U << (apic_id & 15));
}

bool apic_base_moves(u64 cur, u64 val)
{
	return ((cur ^ val) & ~0xfffULL) != 0;
}

bool apic_base_disables(u64 cur, u64 val)
{
	return (cur & APIC_BASE_ENABLE) && !(val & APIC_BASE_ENABLE);
}

static bool xapic_logical_hits(u32 mda, const struct apic_target *t)
{
	u32 ldr = t->ldr >> 24;

	if (mda == XAPIC_BROADCAST)
		return true;
	if ((t->dfr >> 28) == DFR_MODEL_FLAT)
		return (mda & ldr) != 0;
	/* cluster model: cluster in bits 7:4 (15 = all clusters), members in 3:0 */
	return ((mda >> 4) == 0xf || (mda >> 4) == (ldr >> 4)) && (mda & ldr & 0xf);
}

static bool x2apic_logical_hits(u32 dest, const struct apic_target *t)
{
	if (dest == X2APIC_BROADCAST)
		return true;
	return (dest >> 16) == (t->ldr >> 16) && (dest & t->ldr & 0xffff);
}

bool apic_icr_hits(u32 icr_lo, u32 dest, bool x2apic, bool self, const struct apic_target *t)
{
	switch (APIC_ICR_SHORTHAND(icr_lo)) {
	case APIC_SH_SELF:
		return self;
	case APIC_SH_ALL:
		return true;
	case APIC_SH_OTHERS:
		return !self;
	}
	if (icr_lo & APIC_ICR_LOGICAL)
		return x2apic ? x2apic_logical_hits(dest, t) : xapic_logical_hits(dest & 0xff, t);
	if (x2apic)
		return dest == X2APIC_BROADCAST || dest == t->apic_id;
	return (dest & 0xff) == XAPIC_BROADCAST || (dest & 0xff) == (t->apic_id & 0xff);
}
