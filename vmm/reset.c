// SPDX-License-Identifier: GPL-2.0-only
/* Secrets out of DRAM before a reset: see <mamori/reset.h>. */
#include <mamori/auth.h>
#include <mamori/console.h>
#include <mamori/disk.h>
#include <mamori/log.h>
#include <mamori/policy_boot.h>
#include <mamori/reset.h>

#define RESET_WAIT_SPINS	(1u << 26)	/* a second caller waits for the first */

enum { RESET_KEEP, RESET_WIPING, RESET_WIPED };
static u32 reset_state = RESET_KEEP;

void reset_wipe_secrets(const char *why)
{
	u32 want = RESET_KEEP, spins = RESET_WAIT_SPINS;
	bool idle;

	if (!__atomic_compare_exchange_n(&reset_state, &want, RESET_WIPING, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		while (__atomic_load_n(&reset_state, __ATOMIC_SEQ_CST) != RESET_WIPED && --spins)
			__builtin_ia32_pause();
		return;
	}
	idle = disk_wipe_keys();
	policy_secrets_wipe_all();
	auth_wipe_secrets();
	__atomic_store_n(&reset_state, RESET_WIPED, __ATOMIC_SEQ_CST);
	pr_warn("reset: disk keys, policy secrets and the dialog wiped before the reset (%s)%s\n", why,
		idle ? "" : "; a disk transfer was still running on another CPU");
	console_flush();	/* the caller resets next: the queued log goes out first */
}

bool reset_secrets_wiped(void)
{
	return __atomic_load_n(&reset_state, __ATOMIC_SEQ_CST) == RESET_WIPED;
}
