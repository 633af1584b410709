/* SPDX-License-Identifier: GPL-2.0-only */
/* Port I/O. */
#ifndef MAMORI_ASM_IO_H
#define MAMORI_ASM_IO_H

#include <mamori/types.h>

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#endif
