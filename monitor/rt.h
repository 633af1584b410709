/* SPDX-License-Identifier: GPL-2.0-only */
/* The monitor's tiny runtime: no libc, no OS. */
#ifndef MON_RT_H
#define MON_RT_H

#include <stdarg.h>
#include <mamori/types.h>

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t mon_strlen(const char *s);
/* mon_snprintf - %s %c %d %u %x with an optional l, and %%; always terminated. */
int mon_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline u64 mon_rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

#endif
