/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMM's few uses of the local APIC: INIT/SIPI to start processors and NMI
 * to kick them out of the guest. xAPIC or x2APIC, whichever the CPU is in now
 * (the guest may switch); the VMM never disables the APIC (PLATFORM.md).
 */
#ifndef MAMORI_ASM_APIC_H
#define MAMORI_ASM_APIC_H

#include <mamori/types.h>

#define APIC_DM_NMI	0x400
#define APIC_DM_INIT	0x500
#define APIC_DM_SIPI	0x600
#define APIC_LEVEL_ASSERT 0x4000

/* apic_send_ipi - send @icr_low (delivery mode | vector) to @apic_id; -1 if the ICR stays busy. */
int apic_send_ipi(u32 apic_id, u32 icr_low);
/* apic_start_cpu - INIT, 10 ms, SIPI, 200 us, SIPI with @vector (page number < 0x100). */
int apic_start_cpu(u32 apic_id, u8 vector);
/* udelay - busy-wait @us microseconds on PIT channel 2 (boot time only). */
void udelay(u32 us);

#endif
