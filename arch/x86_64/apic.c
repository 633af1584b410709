// SPDX-License-Identifier: GPL-2.0-only
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/processor.h>

#define PIT_HZ			1193182
#define APIC_ICR_SEND_MASK	(APIC_ICR_VECTOR | APIC_ICR_DM_MASK | APIC_LEVEL_ASSERT)

static volatile u32 *xapic_reg(u32 off)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE) & ~0xfffULL & ((1ULL << 52) - 1);

	return (volatile u32 *)(base + off);
}

bool apic_x2apic_mode(void)
{
	return rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_X2APIC;
}

/* ICR-high is the guest's too: it may have written it just before this exit. */
int apic_send_ipi(u32 apic_id, u32 icr_low)
{
	u32 spin = 1000000, guest_hi;

	icr_low &= APIC_ICR_SEND_MASK;
	if (apic_x2apic_mode()) {
		wrmsr(MSR_X2APIC_ICR, ((u64)apic_id << 32) | icr_low);
		return 0;
	}
	guest_hi = *xapic_reg(APIC_ICR_HI);
	*xapic_reg(APIC_ICR_HI) = apic_id << 24;
	*xapic_reg(APIC_ICR_LO) = icr_low;
	while ((*xapic_reg(APIC_ICR_LO) & APIC_ICR_BUSY) && --spin)
		cpu_relax();
	*xapic_reg(APIC_ICR_HI) = guest_hi;
	return spin ? 0 : -1;
}

static u32 apic_read(u32 off)
{
	if (apic_x2apic_mode())
		return (u32)rdmsr(MSR_X2APIC_FIRST + off / 16);
	return *xapic_reg(off);
}

static void apic_write(u32 off, u32 val)
{
	if (apic_x2apic_mode())
		wrmsr(MSR_X2APIC_FIRST + off / 16, val);
	else
		*xapic_reg(off) = val;
}

/* End every in-service interrupt (at most 256 EOIs). */
static void apic_drain_isr(void)
{
	u32 n, i, any;

	for (n = 0; n < 256; n++) {
		for (i = 0, any = 0; i < 8; i++)
			any |= apic_read(APIC_ISR + i * 0x10);
		if (!any)
			return;
		apic_write(APIC_EOI, 0);
	}
}

void apic_soft_init(void)
{
	u32 max_lvt = (apic_read(APIC_VERSION) >> 16) & 0xff;

	apic_write(APIC_TMICT, 0);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT1, APIC_LVT_MASKED);
	apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
	if (max_lvt >= 4)
		apic_write(APIC_LVT_PERF, APIC_LVT_MASKED);
	if (max_lvt >= 5)
		apic_write(APIC_LVT_THERMAL, APIC_LVT_MASKED);
	if (max_lvt >= 6)
		apic_write(APIC_LVT_CMCI, APIC_LVT_MASKED);
	apic_write(APIC_TPR, 0);
	apic_drain_isr();
	apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
	if (!apic_x2apic_mode()) {
		apic_write(APIC_DFR, 0xffffffff);
		apic_write(APIC_LDR, 0);
	}
	apic_write(APIC_SVR, 0xff);
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
