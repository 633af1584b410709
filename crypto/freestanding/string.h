/* SPDX-License-Identifier: GPL-2.0-only */
/* Freestanding <string.h> for mbedTLS only: the VMM's own (vmm/lib/string.c). */
#ifndef MAMORI_SHIM_STRING_H
#define MAMORI_SHIM_STRING_H
#include <mamori/string.h>
#endif
