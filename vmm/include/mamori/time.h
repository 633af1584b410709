/* SPDX-License-Identifier: GPL-2.0-only */
/* A monotonic millisecond clock for VMM timers (MKA hello, NIC polling). */
#ifndef MAMORI_TIME_H
#define MAMORI_TIME_H

#include <mamori/types.h>

/*
 * arch_time_ms - milliseconds since an arbitrary origin, monotonic, on any
 * CPU. The first call calibrates (x86: the TSC against PIT channel 2, 10 ms)
 * and must come at boot, before the guest runs.
 */
u64 arch_time_ms(void);
/* arch_cycles_per_ms - arch_cycles() per millisecond (after the first arch_time_ms()). */
u64 arch_cycles_per_ms(void);

#endif
