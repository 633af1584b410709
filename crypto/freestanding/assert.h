/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Freestanding <assert.h> for mbedTLS only: static_assert, and deliberately no
 * assert() (the compiled modules use none; a new use should fail to build).
 */
#ifndef MAMORI_SHIM_ASSERT_H
#define MAMORI_SHIM_ASSERT_H
#define static_assert _Static_assert
#endif
