// SPDX-License-Identifier: GPL-2.0-only
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/processor.h>

#define APIC_BASE_X2APIC	BIT(10)
#define APIC_ICR_LO		0x300
#define APIC_ICR_HI		0x310
#define APIC_ICR_BUSY		BIT(12)
#define MSR_X2APIC_ICR		0x830
#define PIT_HZ			1193182

static volatile u32 *xapic_reg(u32 off)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE) & ~0xfffULL & ((1ULL << 52) - 1);

	return (volatile u32 *)(base + off);
}

int apic_send_ipi(u32 apic_id, u32 icr_low)
{
	u32 spin = 1000000;

	if (rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_X2APIC) {
		wrmsr(MSR_X2APIC_ICR, ((u64)apic_id << 32) | icr_low);
		return 0;
	}
	*xapic_reg(APIC_ICR_HI) = apic_id << 24;
	*xapic_reg(APIC_ICR_LO) = icr_low;
	while ((*xapic_reg(APIC_ICR_LO) & APIC_ICR_BUSY) && --spin)
		cpu_relax();
	return spin ? 0 : -1;
}

/* One PIT channel 2 one-shot of at most 65535 ticks (~54.9 ms). */
static void pit_wait_ticks(u32 ticks)
{
	u8 gate = inb(0x61);

	outb(0x61, (gate & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(0x43, 0xb0);			/* channel 2, lo/hi, mode 0 */
	outb(0x42, (u8)ticks);
	outb(0x42, (u8)(ticks >> 8));
	while (!(inb(0x61) & 0x20))
		cpu_relax();
	outb(0x61, gate);
}

void udelay(u32 us)
{
	u64 ticks = (u64)us * PIT_HZ / 1000000 + 1;

	while (ticks) {
		u32 n = (u32)MIN(ticks, 0xffffULL);

		pit_wait_ticks(n);
		ticks -= n;
	}
}

int apic_start_cpu(u32 apic_id, u8 vector)
{
	int rc = apic_send_ipi(apic_id, APIC_DM_INIT | APIC_LEVEL_ASSERT);

	udelay(10000);
	rc |= apic_send_ipi(apic_id, APIC_DM_SIPI | APIC_LEVEL_ASSERT | vector);
	udelay(200);
	rc |= apic_send_ipi(apic_id, APIC_DM_SIPI | APIC_LEVEL_ASSERT | vector);
	return rc;
}
