/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal helpers of monitor/checks/. */
#ifndef CHECKS_PRIV_H
#define CHECKS_PRIV_H

#include <checks/checks.h>

/* chk_emit - build one report and hand it to env->report. */
void chk_emit(const struct chk_env *env, enum chk_severity sev, enum chk_kind kind,
	      u32 index, u64 va, u64 old, u64 new);

#endif
