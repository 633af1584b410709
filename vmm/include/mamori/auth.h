/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The file-access dialog and its sessions (issue 13; docs/filecheck.md,
 * "The dialog and sessions"). A `file ... action=require-auth password=ID` rule lets an
 * access through only while a session for that rule is open; a session is
 * opened by the user typing the rule's password into the VMM's own dialog on
 * the trusted console (COM2), which the guest can neither read, write nor
 * imitate: the dialog shows the policy's anti-spoofing phrase.
 *
 * Never blocking. auth_request() answers at once:
 *   AUTH_ALLOW    a session for the rule is open for this access: serve it.
 *                 A session opened for a read serves reads only; a write
 *                 asks again with "Access: write" (review-3 F3).
 *   AUTH_DENY     refused: the user cancelled, typed 3 wrong passwords, the
 *                 dialog timed out, the rule is in back-off, or the dialog
 *                 cannot run (no password secret, secrets wiped). Fail the
 *                 guest's command (ATA abort).
 *   AUTH_PENDING  the dialog for this rule is up (or waits for another
 *                 rule's dialog to end): HOLD the guest's command and ask
 *                 again with the same (rule, path) later.
 * The answer lives in the per-rule state, not in the request: asking again is
 * idempotent, a second command on the same rule joins the same dialog, and a
 * command the guest re-issues after resetting the device (libata's error
 * handler after its 30 s timeout) finds the dialog still up or its outcome.
 *
 * Who drives the dialog: auth_poll(), called from platform_poll_periodic() -
 * on the VMX preemption-timer tick (auth_wants_tick() arms it at boot when
 * the policy has a require-auth rule, for the whole run) and before each
 * port-I/O and MMIO intercept runs, with no device lock held - and by
 * auth_request() itself. Each call does
 * at most ~AUTH_POLL_BUDGET_MS of work: it reads the bytes waiting on the
 * console and runs a slice of the PBKDF2 check (policy_kdf_step()), so no
 * vCPU is held for the whole derivation. Never block a vCPU on the dialog:
 * with SMP guests another CPU waits for that vCPU's IPI (TLB shootdown, RCU)
 * and the guest's watchdogs fire.
 *
 * Holding a command (what the enforcement does on AUTH_PENDING; its choice,
 * docs/filecheck.md "Holding the I/O"): either keep it outstanding towards
 * the guest (IDE: BSY kept set, no interrupt; AHCI: the PxCI/PxSACT bit kept
 * set), not sent to the disk, the vCPU running, and re-ask from the tick
 * (auth_wants_tick()); if the guest resets the device meanwhile (libata's
 * error handler after its 30 s timeout: SRST, COMRESET, HBA reset), drop the
 * held command: the guest's retry asks again and joins the same dialog. Or
 * complete it before the guest's timeout with an error the guest retries,
 * and answer the retry. Either way the dialog outlives one guest command:
 * it ends on the answer, a cancel, or AUTH_DIALOG_TIMEOUT_MS.
 *
 * Concurrency: one dialog at a time, all state under one lock taken with a
 * try-lock: a caller that finds it busy (another CPU is polling) gets
 * AUTH_PENDING and asks again on its next tick. Callable from any CPU, from
 * exit handlers and the tick; never from NMI context.
 *
 * Time: con->now_ms (arch_time_ms() in the VMM: the TSC calibrated against
 * the PIT at boot; under Bochs both run on its virtual clock, so timeouts are
 * in Bochs time).
 *
 * Audit: dialog events (opened, wrong password, session opened/expired,
 * refused and why) go through audit_log() (<mamori/audit.h>: the VMM log and
 * the HC_AUDIT_READ ring); per-access decisions are the caller's to log.
 *
 * Secrets: the password is read without echo into VMM memory, wiped as soon as
 * the HMAC key schedule holds it; the hash is compared in constant time. The
 * phrase and passwords are never logged. Paths are printed with every byte
 * outside 0x20..0x7e replaced by '?', so a guest-chosen file name cannot draw
 * lines of its own into the dialog.
 */
#ifndef MAMORI_AUTH_H
#define MAMORI_AUTH_H

#include <mamori/policy.h>

enum auth_verdict {
	AUTH_ALLOW = 0,
	AUTH_DENY = 1,
	AUTH_PENDING = 2,
};

/* What the guest's command does; shown in the dialog and the audit line. */
enum auth_access { AUTH_READ = 1, AUTH_WRITE = 2 };

#define AUTH_TRIES		3	/* wrong passwords per dialog, then back-off */
#define AUTH_BACKOFF_MS		60000u	/* refused after AUTH_TRIES wrong passwords */
#define AUTH_CANCEL_HOLD_MS	10000u	/* refused after a cancel or a timeout: the
					 * guest's retries fail, no dialog storm */
#define AUTH_DIALOG_TIMEOUT_MS	120000u	/* no answer within this: cancelled */
#define AUTH_POLL_BUDGET_MS	2u	/* work per auth_poll()/auth_request() */
#define AUTH_KDF_CHUNK		32u	/* PBKDF2 iterations between clock reads */
#define AUTH_PATH_MAX		200	/* longer paths are shown cut, ending "..." */

/*
 * The console the dialog runs on. @getc returns one input byte or -1 when none
 * is waiting (never blocks); @puts writes a string ("\n" as a line end);
 * @now_ms is a monotonic millisecond clock.
 */
struct auth_console {
	int (*getc)(void);
	void (*puts)(const char *s);
	u64 (*now_ms)(void);
};

/*
 * auth_init - take the accepted policy (its file rules and console timeout)
 * and the unsealed secrets, looked up by name on every dialog (never cached:
 * policy_secrets_wipe_all() before a reset also ends the dialogs), and the
 * console. Every require-auth rule must name a password secret (52 bytes)
 * and the policy must hold a phrase, else -EINVAL with a log line naming the
 * rule: a dialog without the phrase could be imitated. Resets all sessions.
 * Returns 0 or -EINVAL.
 */
int auth_init(const struct policy *pol, const struct policy_secrets *sec,
	      const struct auth_console *con);

/*
 * auth_request - may the guest access @path, protected by the policy's file
 * rule number @rule (index into policy->file[], a require-auth rule), for
 * @access (enum auth_access)? Returns enum auth_verdict (see above). @path is
 * what the dialog names (the rule's pattern when the caller knows no better);
 * it is copied when a dialog opens. A @rule that is out of range or not
 * require-auth, or a call before auth_init(), is AUTH_DENY.
 */
int auth_request(u32 rule, const char *path, u32 access);

/*
 * auth_poll - drive the dialog (console input, a slice of the password check,
 * the dialog timeout) and log expired sessions. Cheap when nothing is up.
 */
void auth_poll(void);

/* auth_wants_tick - the policy has a require-auth rule (auth_init() saw one). */
bool auth_wants_tick(void);

/*
 * auth_wipe_secrets - zero the dialog's secrets (the typed password, the
 * line editor, the KDF state keyed with it, the path) and end the dialog;
 * called by reset_wipe_secrets() (review-3 F6). Takes no lock: the reset
 * follows.
 */
void auth_wipe_secrets(void);

/* auth_session_open - a session for @rule is open now (for any access). */
bool auth_session_open(u32 rule);

/*
 * auth_set_expiry_hook - @fn(@rule) is called once per expired session, e.g.
 * to measure what the guest's page cache still holds: only from auth_poll()
 * (platform_poll_periodic(): no device lock held), never from auth_request(),
 * and outside the auth lock, so it may take the locks an auth_request()
 * caller holds. NULL removes it.
 */
void auth_set_expiry_hook(void (*fn)(u32 rule));

/*
 * auth_boot_phase - the `auth` boot phase: auth_init() over policy_active(),
 * policy_secrets() and the VMM console (COM2, arch_time_ms()) when the policy
 * has a require-auth rule; it calls arch_time_ms() once so the clock is
 * calibrated before the guest owns the PIT. VMM_OK or VMM_ERR_POLICY.
 */
struct boot_info;
int auth_boot_phase(struct boot_info *bi);

#endif
