/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Port I/O for the host build of drivers/ata.c against the device model of
 * tests/unit/test_ata_model.c: the same names as arch/x86_64's <asm/io.h>,
 * implemented by the model.
 */
#ifndef ATA_MODEL_ASM_IO_H
#define ATA_MODEL_ASM_IO_H

#include <mamori/types.h>

void outb(u16 port, u8 v);
u8 inb(u16 port);
void outl(u16 port, u32 v);
u32 inl(u16 port);
u32 port_in(u16 port, u32 size);
void port_out(u16 port, u32 size, u32 v);
void insw(u16 port, void *buf, u32 count);
void outsw(u16 port, const void *buf, u32 count);

#endif
