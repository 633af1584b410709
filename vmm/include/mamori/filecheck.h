/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * File access check, enforcement (docs/filecheck.md, "Enforcement"): the
 * policy's `file` rules and the built-in self-protection rule, resolved at
 * boot through fs/ into sector sets per disk, and the one per-command
 * decision both disk intercepts (drivers/ata.c, drivers/ahci_cmd.c) call
 * before a command reaches the device. Arch-neutral; the intercepts register
 * their disks (and, where they can, a sector reader) with filecheck_attach().
 */
#ifndef MAMORI_FILECHECK_H
#define MAMORI_FILECHECK_H

#include <mamori/types.h>
#include <asm/spinlock.h>
#include <fs/fs.h>

struct boot_info;
struct policy;

#define FC_DISK_MAX		8
/* Rule bits: policy rules 0..31, built-in rules from FC_BUILTIN_BIT (5 per ESP). */
#define FC_BUILTIN_BIT		32
#define FC_RULES_MAX		64
#define FC_IV_MAX		8192	/* intervals per set and disk */

/*
 * fc_read_fn - read @n 512-byte sectors from absolute @lba of unit @unit into
 * @buf, raw (no decryption), with the guest's command not in flight. 0 or -EIO.
 */
typedef int (*fc_read_fn)(void *ctx, u32 unit, u64 lba, u32 n, void *buf);

/* struct fc_rule - one rule as the check sees it (policy or built-in). */
struct fc_rule {
	u8 action;			/* enum policy_file_action */
	bool builtin;
	bool ext4;			/* the partition's file system (false: FAT) */
	u8 disk;			/* index in the attached disks */
	u32 origin;			/* policy record index; built-in: 0 */
	u64 inode;			/* policy `inode=`, else 0 */
	u64 part_start, part_count;	/* the partition, absolute LBAs */
	char path[FS_PATH_MAX > 160 ? 160 : FS_PATH_MAX];
};

/*
 * struct fc_disk - one disk position an intercept serves. The sets hold
 * absolute LBAs with one mask bit per rule: @data the rules' FS_DATA,
 * @meta their FS_META, @path their FS_PATH (docs/filecheck.md). Sets only
 * grow until the next boot (re-resolution adds, never removes).
 * @rules: bits of the rules on this disk; 0 = nothing to check.
 * @read_deny: rules whose data may not be read (deny, require-auth).
 * @stale: rules whose FS_PATH sectors the guest wrote: re-resolved before
 *	the next command of this disk runs; the answer must be the old one
 *	(else the disk locks), except for rules in @grow (written through an
 *	open require-auth session: their file may legitimately grow).
 * @locked: a re-resolution failed: every write to the disk is refused.
 */
struct fc_disk {
	u8 kind, bus, dev, fn;
	u16 port;
	u32 unit;
	char name[24];
	fc_read_fn read;
	void *read_ctx;
	const struct disk *crypt;	/* encrypted ranges: reads decrypt through it */
	u64 rules, read_deny, stale;
	u64 grow;			/* stale rules a session wrote: may change */
	bool locked;
	struct fs_ivset data, meta, path;
	u8 *scratch;			/* this disk's resolution buffers (F2) */
	struct fs_iv *tmp_iv;
	spinlock_t lock;
};

/* enum fc_verdict - filecheck_decide()'s answer. */
enum fc_verdict {
	FC_ALLOW = 0,
	FC_REFUSE,			/* a rule's protected sectors */
	FC_REFUSE_LOCKED,		/* the disk is locked after a failed re-resolution */
};

/* struct fc_decision - the verdict and the rules involved (for the audit). */
struct fc_decision {
	enum fc_verdict verdict;
	u64 hit;			/* rules whose DATA/META the command touches */
	u64 watch;			/* rules whose PATH sectors a write touches */
	u64 cause;			/* rules that refused it (a subset of @hit) */
};

/*
 * filecheck_attach - an intercept serves the disk at this position from now
 * on; @read (NULL if it cannot read at boot) is how the check reads it.
 * Called in the devices phase. The handle, or NULL when the table is full
 * (a rule on that disk then fails closed in filecheck_boot()).
 */
struct fc_disk *filecheck_attach(u8 kind, u8 bus, u8 dev, u8 fn, u16 port, u32 unit,
				 const char *name, fc_read_fn read, void *ctx);

/* filecheck_active - whether commands of @d need a decision (cheap, inline). */
static inline bool filecheck_active(const struct fc_disk *d)
{
	return d && d->rules;
}

/*
 * filecheck_decide - the decision, pure: a read of FS_DATA of a read_deny
 * rule, a write of FS_DATA|FS_META of any rule, and any write to a locked
 * disk are refused; a write of FS_PATH sectors is allowed and reported in
 * @out->watch. O(log n + k) in the intervals the range meets.
 */
void filecheck_decide(const struct fc_disk *d, u64 lba, u64 nsect, bool write,
		      struct fc_decision *out);

/*
 * filecheck_io - what the intercepts call for every sector command of an
 * active disk, before it reaches the device, with the channel/port idle:
 * re-resolves stale rules first (reading the disk), then decides, audits and
 * marks watched rules stale. 0: issue it; -EACCES: refuse (ATA abort).
 * @why: a short reason for the intercept's log line.
 */
int filecheck_io(struct fc_disk *d, u64 lba, u64 nsect, bool write, const char **why);

/*
 * filecheck_boot - the filecheck boot phase, after the devices phase: the
 * policy's file rules and the built-in self-protection rules resolved into
 * the attached disks' sets. A rule the disk's content keeps from resolving
 * (no such file, corrupt or unsupported metadata) fences its partition
 * (filecheck_setup()); a rule this build cannot enforce (no partition, no
 * boot-time reader, wildcards, VMM memory, more Mamori ESPs than built-in
 * slots) stops the boot (logged with the rule and the reason): VMM_OK or
 * VMM_ERR_FILECHECK.
 */
int filecheck_boot(struct boot_info *bi);

/*
 * filecheck_setup - resolve rules @rules[0..n) onto the attached disks (the
 * part of filecheck_boot() after the rules are chosen; unit tests call it).
 * A rule that does not resolve because of what is on the disk fences its
 * partition (every write refused; deny/require-auth: every read too; no
 * dialog), logged and audited (review-3 F7/F8). 0 or the first other error;
 * on error the failing rule index is in *@bad.
 */
int filecheck_setup(const struct fc_rule *rules, u32 n, u32 *bad);

/* filecheck_rule - rule @i as resolved (for the audit), or NULL. */
const struct fc_rule *filecheck_rule(u32 i);

/* filecheck_reset - forget every disk and rule (unit tests). */
void filecheck_reset(void);

/*
 * filecheck_audit - the decision @dec as an audit line (vmm/filecheck_audit.c:
 * audit_log_ratelimited(): the VMM log, rate-limited, and the HC_AUDIT_READ
 * ring), with @why (NULL or "; ..." detail) appended.
 */
void filecheck_audit(const struct fc_disk *d, u64 lba, u64 nsect, bool write,
		     const struct fc_decision *dec, const char *why);

#endif
