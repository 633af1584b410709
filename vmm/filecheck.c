// SPDX-License-Identifier: GPL-2.0-only
/* File access check: the attached disks, the per-command decision, re-resolution. */
#include <mamori/audit.h>
#include <mamori/auth.h>
#include <mamori/disk.h>
#include <mamori/errno.h>
#include <mamori/filecheck.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/string.h>
#include "filecheck_priv.h"

static struct fc_disk fc_disks[FC_DISK_MAX];
static u32 fc_ndisks;
struct fc_rule fc_rules[FC_RULES_MAX];
u64 fc_rule_bits;
u64 fc_auth_rules;
u64 fc_fenced;

struct fc_disk *fc_disk_at(u32 i)
{
	return i < fc_ndisks ? &fc_disks[i] : NULL;
}

u32 fc_disk_count(void)
{
	return fc_ndisks;
}

const struct fc_rule *filecheck_rule(u32 i)
{
	return i < FC_RULES_MAX && (fc_rule_bits & BIT(i)) ? &fc_rules[i] : NULL;
}

struct fc_disk *filecheck_attach(u8 kind, u8 bus, u8 dev, u8 fn, u16 port, u32 unit,
				 const char *name, fc_read_fn read, void *ctx)
{
	struct fc_disk *d;

	if (fc_ndisks >= FC_DISK_MAX) {
		pr_warn("filecheck: more than %u disks; %s has no file check (a rule on it "
			"stops the boot)\n", FC_DISK_MAX, name);
		return NULL;
	}
	d = &fc_disks[fc_ndisks++];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->bus = bus;
	d->dev = dev;
	d->fn = fn;
	d->port = port;
	d->unit = unit;
	fc_copy_str(d->name, name, sizeof(d->name));
	d->read = read;
	d->read_ctx = ctx;
	d->crypt = disk_find(kind, bus, dev, fn, port, unit);
	return d;
}

void filecheck_decide(const struct fc_disk *d, u64 lba, u64 nsect, bool write,
		      struct fc_decision *out)
{
	u64 data = fs_ivset_range(&d->data, lba, nsect);

	out->watch = 0;
	if (!write) {
		out->hit = data;
		out->cause = data & d->read_deny;
		out->verdict = out->cause ? FC_REFUSE : FC_ALLOW;
		return;
	}
	out->hit = data | fs_ivset_range(&d->meta, lba, nsect);
	out->cause = out->hit;
	out->watch = fs_ivset_range(&d->path, lba, nsect) & ~out->hit;
	/* locked first (review-3 F15): no session lets a write through a locked disk */
	if (d->locked)
		out->verdict = FC_REFUSE_LOCKED;
	else
		out->verdict = out->hit ? FC_REFUSE : FC_ALLOW;
}

/*
 * Re-resolve the stale rules of @d from the disk as it is now. The sets only
 * grow. A rule whose answer moved (a DATA/META sector that was not the
 * rule's: a guest write redirected a directory, an inode table or the file
 * system's anchors, review-3 F1), or that no longer resolves, or fails,
 * locks the disk for writes (fail closed): its old sectors stay protected
 * and the moved answer is never taken as the file. Rules a session wrote
 * (@d->grow) may change: their new sectors are added; gone is logged.
 */
static void fc_refresh(struct fc_disk *d)
{
	u64 stale = d->stale, grow = d->grow;
	u32 i;
	int rc;

	d->stale = 0;
	d->grow = 0;
	for (i = 0; i < FC_RULES_MAX; i++) {
		if (!(stale & BIT(i)))
			continue;
		if (fc_fenced & BIT(i))
			continue;	/* the whole partition is the rule's already */
		rc = fc_resolve_rule(d, &fc_rules[i], i, !(grow & BIT(i)));
		if (rc == -ENOENT && (grow & BIT(i))) {
			pr_warn_ratelimited("filecheck: rule %u (%s): removed through its session; "
					    "its sectors stay protected\n", i, fc_rules[i].path);
			continue;
		}
		if (!rc || d->locked)
			continue;
		d->locked = true;
		if (rc == -ESTALE)
			pr_err("filecheck: rule %u (%s): a guest write changed what it resolves to "
			       "(new sectors that are not the file's); every write to %s is refused "
			       "from now on\n", i, fc_rules[i].path, d->name);
		else
			pr_err("filecheck: rule %u (%s): re-resolution failed (%d) after a guest "
			       "write; every write to %s is refused from now on\n", i,
			       fc_rules[i].path, rc, d->name);
		audit_log("filecheck: %s locked: rule %u (%s) %s after a guest write", d->name,
			  i, fc_rules[i].path, rc == -ESTALE ? "moved" : "failed to re-resolve");
	}
}

/*
 * A refusal caused only by require-auth rules: ask the dialog for each
 * (auth_request() never blocks). AUTH_ALLOW when every one has a session.
 */
static int fc_ask(u64 cause, bool write)
{
	int v = AUTH_ALLOW, r;
	u32 i;

	if (cause & ~fc_auth_rules)
		return AUTH_DENY;	/* a deny, read-only or built-in rule refuses anyway */
	for (i = 0; i < FC_BUILTIN_BIT; i++) {
		if (!(cause & BIT(i)))
			continue;
		r = auth_request(i, fc_rules[i].path, write ? AUTH_WRITE : AUTH_READ);
		if (r == AUTH_DENY)
			return AUTH_DENY;
		if (r == AUTH_PENDING)
			v = AUTH_PENDING;
	}
	return v;
}

int filecheck_io(struct fc_disk *d, u64 lba, u64 nsect, bool write, const char **why)
{
	struct fc_decision dec;
	const char *detail = NULL;
	int v;

	spin_lock(&d->lock);
	if (d->stale)
		fc_refresh(d);
	filecheck_decide(d, lba, nsect, write, &dec);
	d->stale |= dec.watch;
	spin_unlock(&d->lock);
	if (dec.verdict == FC_REFUSE && (dec.cause & fc_auth_rules)) {
		v = fc_ask(dec.cause, write);
		if (v == AUTH_ALLOW) {
			dec.verdict = FC_ALLOW;
			detail = "; session open";
			if (write) {	/* its own entry or inode may have changed */
				spin_lock(&d->lock);
				d->stale |= dec.cause;
				d->grow |= dec.cause;
				spin_unlock(&d->lock);
			}
		} else {
			detail = v == AUTH_PENDING ? "; dialog up: refused, the retry after it asks "
				 "again" : "; dialog refused";
		}
	}
	if (dec.verdict == FC_REFUSE_LOCKED)
		detail = "; disk locked after a failed re-resolution";
	if (dec.hit || dec.verdict != FC_ALLOW)
		filecheck_audit(d, lba, nsect, write, &dec, detail);
	if (dec.verdict == FC_ALLOW)
		return 0;
	if (dec.cause & fc_auth_rules && !(dec.cause & ~fc_auth_rules)) {
		*why = "file check: require-auth without a session";
		return -EACCES;
	}
	*why = dec.verdict == FC_REFUSE_LOCKED ? "file check: disk locked after a failed "
		"re-resolution" : write ? "file check: write to a protected file" :
		"file check: read of a denied file";
	return -EACCES;
}

void filecheck_reset(void)
{
	memset(fc_disks, 0, sizeof(fc_disks));
	fc_ndisks = 0;
	memset(fc_rules, 0, sizeof(fc_rules));
	fc_rule_bits = 0;
	fc_auth_rules = 0;
	fc_fenced = 0;
}
