/* SPDX-License-Identifier: GPL-2.0-only */
/* Big-endian field access for net/ (wire formats are network order). */
#ifndef NET_BYTES_H
#define NET_BYTES_H

#include <mamori/types.h>

static inline u16 net_get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 net_get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline u64 net_get64(const u8 *p)
{
	return (u64)net_get32(p) << 32 | net_get32(p + 4);
}

static inline void net_put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = (u8)v;
}

static inline void net_put32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

static inline void net_put64(u8 *p, u64 v)
{
	net_put32(p, (u32)(v >> 32));
	net_put32(p + 4, (u32)v);
}

#endif
