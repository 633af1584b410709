/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few libc-free helpers the static test-guest tools share (mamori-io,
 * mamori-ata): a raw three-argument syscall, string length and equality,
 * and writing a string to a file descriptor.
 */
#ifndef MAMORI_GUEST_NOLIBC_H
#define MAMORI_GUEST_NOLIBC_H

#define SYS_write	1

static long sys3(long nr, long a, long b, long c)
{
	long ret;

	asm volatile("syscall"
		     : "=a"(ret)
		     : "a"(nr), "D"(a), "S"(b), "d"(c)
		     : "rcx", "r11", "memory");
	return ret;
}

static unsigned long str_len(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

static void put(int fd, const char *s)
{
	sys3(SYS_write, fd, (long)s, (long)str_len(s));
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

#endif
