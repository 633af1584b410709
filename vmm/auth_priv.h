/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to vmm/auth.c (sessions, verdicts) and vmm/auth_dialog.c (the dialog). */
#ifndef MAMORI_VMM_AUTH_PRIV_H
#define MAMORI_VMM_AUTH_PRIV_H

#include <mamori/auth.h>
#include <mamori/policy_boot.h>
#include <mamori/policy_kdf.h>

struct auth_rule_state {
	bool session;			/* open until session_until */
	u32 session_access;		/* the access it was opened for (review-3 F3) */
	bool refused;			/* refused until refused_until */
	u64 session_until, refused_until;
};

enum auth_phase { AUTH_IDLE, AUTH_TYPING, AUTH_CHECKING };

struct auth_state {
	const struct policy *pol;
	const struct policy_secrets *sec;
	const struct auth_console *con;
	void (*expiry_hook)(u32 rule);
	bool ready, wants_tick;
	u32 expired;			/* rules whose expiry hook is still due */
	struct auth_rule_state rule[POLICY_MAX_FILE_RULES];
	/* the one dialog */
	u8 phase;			/* enum auth_phase */
	u32 d_rule, d_access, d_try;	/* d_try: wrong passwords so far */
	u64 d_deadline;			/* TYPING: no answer by then cancels */
	char d_path[AUTH_PATH_MAX + 1];	/* printable copy */
	char pass[POLICY_PASS_MAX + 1];
	struct policy_line line;
	struct policy_kdf_run kdf;
};

/* auth_dialog_open - show the dialog for @rule and ask for the first password. */
int auth_dialog_open(struct auth_state *st, u32 rule, const char *path, u32 access, u64 now);
/* auth_dialog_poll - consume input / run a slice of the check; may end the dialog. */
void auth_dialog_poll(struct auth_state *st, u64 now);

/* Outcomes of a dialog, in auth.c: they log the audit line and free the dialog. */
void auth_granted(struct auth_state *st, u64 now);
void auth_refused(struct auth_state *st, u64 now, u32 hold_ms, const char *why);

/* auth_password - the rule's password hash (52 bytes), or NULL. */
const struct policy_secret *auth_password(const struct auth_state *st, u32 rule);
/* auth_phrase - the policy's phrase secret, or NULL. */
const struct policy_secret *auth_phrase(const struct auth_state *st);

#ifdef MAMORI_HOST_TEST
/* auth_state_bytes - the dialog state as bytes (unit tests look for secrets in it). */
const void *auth_state_bytes(size_t *len);
#endif

#endif
