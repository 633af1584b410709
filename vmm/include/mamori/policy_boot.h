/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The `policy` boot phase: take the signed policy blob from the loader, verify
 * it against the built-in key and the anti-rollback version, and unlock its
 * secrets with a passphrase typed on the trusted console. Fail closed: the VMM
 * does not start the guest without an accepted, unlocked policy.
 * What a user sees and the rules are in docs/policy.md ("Boot").
 */
#ifndef MAMORI_POLICY_BOOT_H
#define MAMORI_POLICY_BOOT_H

#include <mamori/boot_info.h>
#include <mamori/policy.h>

#define POLICY_UNLOCK_TRIES	3	/* wrong passphrases before VMM_ERR_AUTH */
#define POLICY_PASS_MAX		128	/* longest passphrase accepted, in bytes */

/*
 * policy_boot_phase - the boot phase between `selftest` and `vmx`. Copies the
 * blob into VMM memory and wipes the loader's copy; policy_load() against
 * policy_pubkey and @bi->policy_highest_version; prompts for the passphrase
 * (POLICY_UNLOCK_TRIES tries) and unseals. On success it writes the accepted
 * version to @bi and to the loader's boot_info (@bi->self), which records it
 * in the anti-rollback variable once the VMM has started.
 * Returns VMM_OK, VMM_ERR_POLICY (missing, corrupt, forged, rolled back),
 * VMM_ERR_AUTH (no right passphrase) or VMM_ERR_NOMEM; it logs the reason.
 */
int policy_boot_phase(struct boot_info *bi);

/* policy_active - the accepted policy, or NULL before the phase succeeded. */
const struct policy *policy_active(void);

/*
 * policy_secrets - the unsealed secrets (VMM memory only), or NULL before the
 * phase succeeded. Never copy them into guest-visible memory.
 */
const struct policy_secrets *policy_secrets(void);

/*
 * policy_secrets_drop_keys - wipe the raw disk keys (POLICY_SECRET_KEY) once
 * the disk phase holds their expanded schedules: nothing reads them again.
 * Phrases and password hashes stay for the features that need them.
 */
void policy_secrets_drop_keys(void);

/*
 * policy_secrets_wipe_all - wipe every unsealed secret (phrases, password
 * hashes, any key left): before a reset, so nothing that boots next finds
 * them in DRAM. policy_secrets() then holds no secret.
 */
void policy_secrets_wipe_all(void);

/* ---- the no-echo line reader (pure; unit-tested with a fake source) ------ */
#define POLICY_GETC_NONE	(-1)	/* no byte waiting yet: poll again */
#define POLICY_GETC_EOF		(-2)	/* the source is closed (test sources only) */

enum policy_line_status {
	POLICY_LINE_OK = 0,
	POLICY_LINE_TOO_LONG,		/* more than @size - 1 bytes before Enter */
	POLICY_LINE_EOF,		/* the source closed before Enter */
};

/*
 * policy_read_line - read one line from @getc(@ctx) into @buf, echoing
 * nothing. CR or LF ends the line; Backspace/DEL erase one byte, Ctrl-U the
 * whole line; other control bytes and ANSI escape sequences (arrow keys) are
 * dropped; bytes >= 0x20 are kept as typed. The result is NUL-terminated and
 * *@len set. On POLICY_LINE_TOO_LONG (input past @size - 1 bytes is read up to
 * Enter and dropped) and POLICY_LINE_EOF, @buf is wiped and *@len is 0.
 * @size must be at least 1.
 */
int policy_read_line(int (*getc)(void *ctx), void *ctx, char *buf, size_t size,
		     size_t *len);

/*
 * The same editor one byte at a time, for callers that must not wait (the
 * file-access dialog, vmm/auth.c): policy_line_init() over @buf[@size], then
 * policy_line_feed() per input byte until it returns something other than
 * POLICY_LINE_MORE; the result and wiping rules are policy_read_line()'s
 * (POLICY_LINE_EOF is never returned by a feed).
 */
struct policy_line {
	char *buf;
	size_t size, n;
	u8 esc;
	bool overflow;
};

#define POLICY_LINE_MORE	(-1)	/* no line end yet: feed more */

void policy_line_init(struct policy_line *l, char *buf, size_t size);
int policy_line_feed(struct policy_line *l, int c);

/* policy_wipe - zero @n bytes at @p in a way the compiler does not drop. */
void policy_wipe(void *p, size_t n);

#endif
