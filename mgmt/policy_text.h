/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Text policy parser (format in docs/policy.md). Pure: no I/O, no randomness;
 * secrets given as `random` or as a password are marked in @origin and
 * completed by the caller before encoding.
 */
#ifndef MAMORI_POLICY_TEXT_H
#define MAMORI_POLICY_TEXT_H

#include <mamori/policy.h>

#define POLICY_TEXT_LINE_MAX	1024
#define POLICY_TEXT_SECRETS_ONLY	1u	/* a secrets file: key/phrase/password only */

enum policy_text_origin {
	POLICY_TEXT_LITERAL = 0,	/* value given in the text */
	POLICY_TEXT_RANDOM = 1,		/* caller fills sec.s[i].len random bytes */
	POLICY_TEXT_PASSWORD = 2,	/* value is the password; caller hashes it */
};

struct policy_text {
	struct policy pol;		/* sealed.info/count/iterations set by finish */
	struct policy_secrets sec;
	u8 origin[POLICY_MAX_SECRETS];	/* enum policy_text_origin */
	u32 sec_line[POLICY_MAX_SECRETS];
	u32 version_line, kdf_line;
	char file[128];			/* the policy file, for cross-reference errors */
	char err[384];			/* "file:line: problem" after a failure */
};

/* policy_text_init - empty policy, default KDF iterations. */
void policy_text_init(struct policy_text *t);

/*
 * policy_text_parse - parse @len bytes of @text named @fname into @t; may be
 * called again for a secrets file (@flags POLICY_TEXT_SECRETS_ONLY).
 * Returns 0, or -1 with t->err set.
 */
int policy_text_parse(struct policy_text *t, const char *text, size_t len, const char *fname,
		      unsigned int flags);

/* policy_text_finish - required directives and cross-references; 0 or -1 (t->err). */
int policy_text_finish(struct policy_text *t);

#endif
