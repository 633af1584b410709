/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The "system" <limits.h> that GCC's own limits.h recurses into with
 * #include_next. There is no libc: GCC's file already defines everything.
 */
#ifndef MAMORI_SHIM_LIMITS_H
#define MAMORI_SHIM_LIMITS_H
#endif
