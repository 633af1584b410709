/* SPDX-License-Identifier: GPL-2.0-only */
/* The time-stamp counter of the device model (tests/unit/test_ata_model.c): a fake clock. */
#ifndef ATA_MODEL_ASM_TSC_H
#define ATA_MODEL_ASM_TSC_H

#include <mamori/types.h>

u64 rdtsc(void);

#endif
