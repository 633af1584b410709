/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The audit log of the file access check (issue 13; docs/filecheck.md,
 * "Audit lines"): each decision is one line on the VMM log ("audit: ...")
 * and in a ring of the last AUDIT_LINES lines the guest's kernel can read
 * with the HC_AUDIT_READ hypercall (docs/hypercalls.md). Lines carry rule
 * numbers, patterns, paths, sectors and outcomes, never a secret.
 * Callable from any CPU; one lock, held only to copy a line.
 */
#ifndef MAMORI_AUDIT_H
#define MAMORI_AUDIT_H

#include <mamori/types.h>

#define AUDIT_LINES	128	/* lines kept; older ones are overwritten */
#define AUDIT_LINE_MAX	256	/* bytes per line with its "\n"; longer ones are cut */

/*
 * audit_log - format one line (no trailing newline needed; "audit: " is
 * prefixed on the VMM log, not in the ring) and record it under the next
 * sequence number (the first line is 0).
 */
void audit_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * audit_log_ratelimited - audit_log(), but the VMM log line is rate-limited
 * by counter *@n (log_ratelimit()); the ring gets every line. For lines a
 * guest can cause at will (the file access check's per-command decisions).
 */
void audit_log_ratelimited(u32 *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * audit_read - copy whole lines, oldest first, starting at sequence @from
 * (or the oldest kept, if @from was overwritten) into @buf[@size], each
 * ending in "\n". *@first receives the sequence of the first line copied,
 * *@next the sequence after the last one copied (pass it as @from next
 * time). Returns the bytes copied (0: nothing new, or @size too small for
 * the next line).
 */
u32 audit_read(u64 from, char *buf, u32 size, u64 *first, u64 *next);

/* audit_reset - forget every line (unit tests). */
void audit_reset(void);

#endif
