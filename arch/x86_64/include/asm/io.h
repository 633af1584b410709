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

static inline void outw(u16 port, u16 v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline u16 inw(u16 port)
{
	u16 v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(u16 port, u32 v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u32 inl(u16 port)
{
	u32 v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* port_in/port_out - an access of @size (1, 2, 4) bytes. */
static inline u32 port_in(u16 port, u32 size)
{
	return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

static inline void port_out(u16 port, u32 size, u32 v)
{
	if (size == 1)
		outb(port, (u8)v);
	else if (size == 2)
		outw(port, (u16)v);
	else
		outl(port, v);
}

/* insw/outsw - @count 16-bit transfers between @port and @buf (REP INSW/OUTSW). */
static inline void insw(u16 port, void *buf, u32 count)
{
	__asm__ volatile("rep insw" : "+D"(buf), "+c"(count) : "d"(port) : "memory");
}

static inline void outsw(u16 port, const void *buf, u32 count)
{
	__asm__ volatile("rep outsw" : "+S"(buf), "+c"(count) : "d"(port) : "memory");
}

#endif
