/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Freestanding <stdlib.h> for mbedTLS only. The config routes calloc/free to
 * crypto/glue.c, so nothing here is declared: a stray libc call fails to compile.
 */
#ifndef MAMORI_SHIM_STDLIB_H
#define MAMORI_SHIM_STDLIB_H
#include <stddef.h>
#endif
