/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMM's string and memory primitives (vmm/lib/string.c), with the standard
 * names and semantics: the compiler emits calls to memcpy/memset/memmove/memcmp
 * on its own, and mbedTLS calls them too. No SSE; safe in any VMM context.
 * Host builds (MAMORI_HOST_TEST) get libc's declarations instead.
 */
#ifndef MAMORI_STRING_H
#define MAMORI_STRING_H

#include <mamori/types.h>

#ifdef MAMORI_HOST_TEST
#include <string.h>
#else
/* memcpy - copy @n bytes; the regions must not overlap. Returns @dst. */
void *memcpy(void *dst, const void *src, size_t n);
/* memmove - copy @n bytes; the regions may overlap. Returns @dst. */
void *memmove(void *dst, const void *src, size_t n);
/* memset - fill @n bytes at @dst with (u8)@c. Returns @dst. */
void *memset(void *dst, int c, size_t n);
/* memcmp - compare @n bytes as unsigned char; <0, 0 or >0. Not constant-time. */
int memcmp(const void *a, const void *b, size_t n);
/* strlen - length of @s without its NUL. */
size_t strlen(const char *s);
/* strnlen - length of @s, at most @max (reads no byte past @max). */
size_t strnlen(const char *s, size_t max);
/* strcmp - compare two strings as unsigned char. */
int strcmp(const char *a, const char *b);
/* strncmp - compare at most @n bytes of two strings. */
int strncmp(const char *a, const char *b, size_t n);
/* strchr - first @c in @s (the NUL counts when @c is 0), or NULL. */
char *strchr(const char *s, int c);
#endif

#endif
