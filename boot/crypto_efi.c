// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the VMM's mbedTLS objects need from their platform, for the loader:
 * the calloc/free of mamori_mbedtls_config.h on UEFI pool memory, zeroize,
 * and the libc calls libefi lacks (it has memcpy and memset). Only the
 * signature check of vmm.elf uses them; nothing secret passes through.
 */
#include <efi.h>
#include <efilib.h>

void *crypto_glue_calloc(UINTN n, UINTN size);
void crypto_glue_free(void *p);
void mbedtls_platform_zeroize(void *buf, UINTN len);
void *memmove(void *dst, const void *src, UINTN n);
int memcmp(const void *a, const void *b, UINTN n);
UINTN strlen(const char *s);
int strcmp(const char *a, const char *b);

void *crypto_glue_calloc(UINTN n, UINTN size)
{
	UINTN bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return AllocateZeroPool(bytes ? bytes : 1);
}

void crypto_glue_free(void *p)
{
	if (p)
		FreePool(p);
}

void mbedtls_platform_zeroize(void *buf, UINTN len)
{
	volatile UINT8 *p = buf;

	while (len--)
		*p++ = 0;
}

void *memmove(void *dst, const void *src, UINTN n)
{
	UINT8 *d = dst;
	const UINT8 *s = src;

	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

int memcmp(const void *a, const void *b, UINTN n)
{
	const UINT8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

UINTN strlen(const char *s)
{
	UINTN n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (UINT8)*a - (UINT8)*b;
}
