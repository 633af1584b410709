// SPDX-License-Identifier: GPL-2.0-only
/* Reports of the checks: names and the one emit helper. */
#include <checks/checks.h>
#include "checks_priv.h"

static const char *const chk_names[CHK_KIND_MAX] = {
	[CHK_KTEXT_CHANGED] = "ktext-changed",
	[CHK_KTEXT_REMAPPED] = "ktext-remapped",
	[CHK_KTEXT_NEW] = "ktext-new",
	[CHK_KTEXT_REMOVED] = "ktext-removed",
	[CHK_KTEXT_LATE_CHANGED] = "ktext-late-changed",
	[CHK_KTEXT_WX] = "ktext-wx",
	[CHK_KTEXT_OVERFLOW] = "ktext-overflow",
	[CHK_KTEXT_SITE] = "ktext-site",
	[CHK_WALK_READ] = "walk-read",
	[CHK_WALK_BUDGET] = "walk-budget",
	[CHK_PAGE_READ] = "page-read",
	[CHK_IDTR_CHANGED] = "idtr-changed",
	[CHK_IDT_GATE_CHANGED] = "idt-gate-changed",
	[CHK_IDT_GATE_OUTSIDE] = "idt-gate-outside",
	[CHK_IDT_READ] = "idt-read",
	[CHK_MSR_CHANGED] = "syscall-msr-changed",
	[CHK_MSR_OUTSIDE] = "syscall-msr-outside",
	[CHK_PAGING_UNSUPPORTED] = "paging-unsupported",
	[CHK_FILE_CHANGED] = "file-changed",
	[CHK_FILE_ERROR] = "file-error",
};

const char *chk_kind_name(enum chk_kind kind)
{
	if ((unsigned int)kind >= CHK_KIND_MAX || !chk_names[kind])
		return "unknown";
	return chk_names[kind];
}

void chk_emit(const struct chk_env *env, enum chk_severity sev, enum chk_kind kind,
	      u32 index, u64 va, u64 old, u64 new)
{
	struct chk_report r = {
		.severity = sev, .kind = kind, .index = index,
		.va = va, .old = old, .new = new,
	};

	if (env->report)
		env->report(env->ctx, &r);
}
