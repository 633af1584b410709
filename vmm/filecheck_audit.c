// SPDX-License-Identifier: GPL-2.0-only
/*
 * File access check: each decision as an audit line (VMM log, rate-limited
 * per rule and direction; the HC_AUDIT_READ ring).
 */
#include <mamori/audit.h>
#include <mamori/filecheck.h>
#include "filecheck_priv.h"

void filecheck_audit(const struct fc_disk *d, u64 lba, u64 nsect, bool write,
		     const struct fc_decision *dec, const char *why)
{
	/* per (rule, direction): a flood on one rule hides no other's (review-3 F10) */
	static u32 n_refused[FC_RULES_MAX + 1][2], n_allowed[FC_RULES_MAX + 1][2];
	u64 rules = dec->cause ? dec->cause : dec->hit | dec->watch;
	u32 bit = rules ? (u32)__builtin_ctzll(rules) : 255;
	const struct fc_rule *r = bit < FC_RULES_MAX ? filecheck_rule(bit) : NULL;
	bool refused = dec->verdict != FC_ALLOW;
	u32 k = bit < FC_RULES_MAX ? bit : FC_RULES_MAX;

	audit_log_ratelimited(refused ? &n_refused[k][write] : &n_allowed[k][write],
			      "filecheck: %s %s %s LBA %lu+%lu: %s rule %u (%s)%s%s",
			      d->name, refused ? "REFUSED" : "allowed", write ? "write" : "read",
			      lba, nsect, r && r->builtin ? "built-in" : "policy",
			      r && r->builtin ? bit - FC_BUILTIN_BIT : bit, r ? r->path : "-",
			      dec->watch ? "; watched path, re-resolving" : "",
			      why ? why : "");
}
