// SPDX-License-Identifier: GPL-2.0-only
/* The `auth` boot phase: the file-access dialog on the VMM console (COM2). */
#include <mamori/auth.h>
#include <mamori/console.h>
#include <mamori/log.h>
#include <mamori/policy_boot.h>
#include <mamori/time.h>
#include <mamori/vmm.h>

static void com2_puts(const char *s)
{
	console_write_line(s);
}

static const struct auth_console auth_com2 = {
	.getc = console_getc,
	.puts = com2_puts,
	.now_ms = arch_time_ms,
};

int auth_boot_phase(struct boot_info *bi)
{
	const struct policy *pol = policy_active();
	u32 i, n = 0;

	(void)bi;
	if (!pol)
		return VMM_OK;
	for (i = 0; i < pol->n_file; i++)
		n += pol->file[i].action == POLICY_FILE_REQUIRE_AUTH;
	if (!n)
		return VMM_OK;
	if (!console_port()) {
		pr_err("auth: %u require-auth rule(s) but no trusted console for the dialog\n", n);
		return VMM_ERR_POLICY;
	}
	if (auth_init(pol, policy_secrets(), &auth_com2))
		return VMM_ERR_POLICY;
	/* Calibrate the clock now: the first call borrows PIT channel 2 for 10 ms. */
	(void)arch_time_ms();
	pr_info("auth: file-access dialog on the console UART 0x%x for %u rule(s); "
		"sessions of %u s\n", console_port(), n, pol->console.timeout_s);
	return VMM_OK;
}
