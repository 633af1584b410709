// SPDX-License-Identifier: GPL-2.0-only
/* File access check: the audit of decisions, on the VMM log and in a ring HC_FC_AUDIT reads. */
#include <mamori/filecheck.h>
#include <mamori/log.h>
#include <mamori/string.h>
#include "filecheck_priv.h"

static struct fc_audit_entry fc_ring[FC_AUDIT_RING];
static u64 fc_seq;			/* entries ever recorded */
static spinlock_t fc_ring_lock;

void filecheck_audit(const struct fc_disk *d, u64 lba, u64 nsect, bool write,
		     const struct fc_decision *dec)
{
	static u32 n_refused, n_allowed;
	u64 rules = dec->cause ? dec->cause : dec->hit | dec->watch;
	u32 bit = rules ? (u32)__builtin_ctzll(rules) : 255;
	const struct fc_rule *r = bit < FC_RULES_MAX ? filecheck_rule(bit) : NULL;
	bool refused = dec->verdict != FC_ALLOW;
	struct fc_audit_entry *e;

	spin_lock(&fc_ring_lock);
	e = &fc_ring[fc_seq % FC_AUDIT_RING];
	memset(e, 0, sizeof(*e));
	e->seq = ++fc_seq;
	e->lba = lba;
	e->nsect = (u32)nsect;
	e->rule = (u8)bit;
	e->write = write;
	e->refused = refused;
	e->builtin = r && r->builtin;
	if (r)
		fc_copy_str(e->path, r->path, sizeof(e->path));
	spin_unlock(&fc_ring_lock);
	log_printk_ratelimited(refused ? &n_refused : &n_allowed, refused ? LOG_WARN : LOG_INFO,
			       "filecheck: %s %s %s LBA %lu+%lu: %s rule %u (%s)%s%s\n",
			       d->name, refused ? "REFUSED" : "allowed", write ? "write" : "read",
			       lba, nsect, r && r->builtin ? "built-in" : "policy", bit,
			       r ? r->path : "-", dec->watch ? "; watched path, re-resolving" : "",
			       dec->verdict == FC_REFUSE_LOCKED ? "; disk locked" : "");
}

u32 filecheck_audit_read(u64 from, struct fc_audit_entry *out, u32 max)
{
	u64 seq, first;
	u32 n = 0;

	spin_lock(&fc_ring_lock);
	first = fc_seq > FC_AUDIT_RING ? fc_seq - FC_AUDIT_RING + 1 : 1;
	for (seq = from > first ? from : first; seq <= fc_seq && n < max; seq++)
		out[n++] = fc_ring[(seq - 1) % FC_AUDIT_RING];
	spin_unlock(&fc_ring_lock);
	return n;
}
