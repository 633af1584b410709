// SPDX-License-Identifier: GPL-2.0-only
/* arch_time_ms(): the TSC, calibrated once against PIT channel 2 (mamori/time.h). */
#include <asm/apic.h>
#include <asm/tsc.h>
#include <mamori/log.h>
#include <mamori/time.h>

#define TIME_CAL_US	10000

static u64 tsc_per_ms;

u64 arch_cycles_per_ms(void)
{
	return __atomic_load_n(&tsc_per_ms, __ATOMIC_RELAXED);
}

u64 arch_time_ms(void)
{
	u64 t0, per;

	per = __atomic_load_n(&tsc_per_ms, __ATOMIC_RELAXED);
	if (!per) {
		t0 = rdtsc();
		udelay(TIME_CAL_US);
		per = (rdtsc() - t0) / (TIME_CAL_US / 1000);
		if (!per)
			per = 1;
		__atomic_store_n(&tsc_per_ms, per, __ATOMIC_RELAXED);
		pr_info("time: TSC %lu kHz (against the PIT)\n", per);
	}
	return rdtsc() / per;
}
