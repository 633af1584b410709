// SPDX-License-Identifier: GPL-2.0-only
/* File access check: each decision as an audit line (VMM log, rate-limited; the HC_AUDIT_READ ring). */
#include <mamori/audit.h>
#include <mamori/filecheck.h>
#include "filecheck_priv.h"

void filecheck_audit(const struct fc_disk *d, u64 lba, u64 nsect, bool write,
		     const struct fc_decision *dec, const char *why)
{
	static u32 n_refused, n_allowed;
	u64 rules = dec->cause ? dec->cause : dec->hit | dec->watch;
	u32 bit = rules ? (u32)__builtin_ctzll(rules) : 255;
	const struct fc_rule *r = bit < FC_RULES_MAX ? filecheck_rule(bit) : NULL;
	bool refused = dec->verdict != FC_ALLOW;

	audit_log_ratelimited(refused ? &n_refused : &n_allowed,
			      "filecheck: %s %s %s LBA %lu+%lu: %s rule %u (%s)%s%s",
			      d->name, refused ? "REFUSED" : "allowed", write ? "write" : "read",
			      lba, nsect, r && r->builtin ? "built-in" : "policy",
			      r && r->builtin ? bit - FC_BUILTIN_BIT : bit, r ? r->path : "-",
			      dec->watch ? "; watched path, re-resolving" : "",
			      why ? why : "");
}
