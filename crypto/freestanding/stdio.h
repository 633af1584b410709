/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Freestanding <stdio.h> for mbedTLS only: no FILE, no printf (the config has
 * no FS_IO and no self-tests; mbedtls_snprintf is log_snprintf).
 */
#ifndef MAMORI_SHIM_STDIO_H
#define MAMORI_SHIM_STDIO_H
#include <stddef.h>
#endif
