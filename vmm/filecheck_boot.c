// SPDX-License-Identifier: GPL-2.0-only
/* File access check, boot phase: the policy's file rules and the built-in self-protection rule. */
#include <mamori/boot_info.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/policy.h>
#include <mamori/policy_boot.h>
#include <mamori/string.h>
#include "filecheck_priv.h"

/* Mamori's own files on the ESP, read-only whatever the policy says (docs/filecheck.md). */
static const char *const fc_self[] = {
	"/EFI/mamori/vmm.elf",		/* must resolve: it is how the ESP is recognized */
	"/EFI/mamori/vmm.elf.sig",
	"/EFI/mamori/policy.bin",
	"/EFI/mamori/mamori.efi",
	"/EFI/BOOT/BOOTX64.EFI",
};

static struct fc_rule fc_all[FC_RULES_MAX];

static bool fc_same_pos(const struct fc_disk *d, const struct boot_disk *b)
{
	return d->kind == b->kind && d->bus == b->pci_bus && d->dev == b->pci_dev &&
	       d->fn == b->pci_fn && d->port == b->port && d->unit == b->unit;
}

static const char *fc_err(int rc)
{
	switch (rc) {
	case -EIO: return "read failed or outside the partition";
	case -EBADMSG: return "corrupt file-system metadata";
	case -EOPNOTSUPP: return "a file-system feature the VMM does not parse";
	case -ENOENT: return "no such file";
	case -ENOTDIR: return "a path component is not a directory";
	case -ELOOP: return "a symbolic link in the path";
	case -EINVAL: return "not an absolute canonical path";
	case -ENAMETOOLONG: return "a component over 255 bytes";
	case -E2BIG: return "read budget spent";
	case -ENOSPC: return "too many sector intervals";
	case -ENOMEM: return "VMM memory full";
	case -ENODEV: return "the disk's intercept cannot read it at boot (IDE only)";
	}
	return "error";
}

/* The one attached disk with GPT partition @part; its index and the partition, or -errno. */
static int fc_find_part(const struct boot_info *bi, u32 part, struct fc_rule *r)
{
	u32 i, j, found = 0;

	for (i = 0; i < bi->disk_count && i < BOOT_DISKS_MAX; i++) {
		const struct boot_disk *b = &bi->disks[i];

		if (b->part_index != part)
			continue;
		for (j = 0; j < fc_disk_count(); j++) {
			if (!fc_same_pos(fc_disk_at(j), b))
				continue;
			found++;
			r->disk = (u8)j;
			r->part_start = b->lba_start;
			r->part_count = b->lba_count;
		}
	}
	return found == 1 ? 0 : found ? -EEXIST : -ENXIO;
}

static bool fc_wildcard(const char *p)
{
	for (; *p; p++)
		if (*p == '*' || *p == '?')
			return true;
	return false;
}

/* Policy rule @i into fc_all[i]; a rule this build cannot enforce is refused with its reason. */
static int fc_from_policy(const struct boot_info *bi, const struct policy_file_rule *p, u32 i)
{
	struct fc_rule *r = &fc_all[i];
	int rc;

	r->action = p->action;
	r->origin = p->origin;
	r->inode = p->match == POLICY_FILE_INODE ? p->inode : 0;
	fc_copy_str(r->path, p->match == POLICY_FILE_PATH ? p->pattern : "(by inode)",
		    sizeof(r->path));
	if (p->match == POLICY_FILE_PATH && fc_wildcard(p->pattern)) {
		pr_err("filecheck: record %u (file %s): wildcards are not enforced by this "
		       "build\n", p->origin, p->pattern);
		return -EOPNOTSUPP;
	}
	rc = fc_find_part(bi, p->part, r);
	if (rc) {
		pr_err("filecheck: record %u (file %s): %s intercepted disk has GPT partition "
		       "%u\n", p->origin, r->path, rc == -EEXIST ? "more than one" : "no",
		       p->part);
		return rc;
	}
	r->ext4 = !fc_probe(fc_disk_at(r->disk), r->part_start, r->part_count, true);
	if (!r->ext4 && r->inode) {
		pr_err("filecheck: record %u (file inode=%lu): partition %u holds no ext4 "
		       "file system\n", p->origin, r->inode, p->part);
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * The built-in rule: on every FAT partition of an attached disk where
 * /EFI/mamori/vmm.elf resolves (the ESP the loader read it from is one),
 * Mamori's files are read-only. Only a clean -ENOENT for vmm.elf means
 * "not Mamori's ESP" (its BPB and the GPT are protected by every rule on the
 * disk, so the guest cannot make a previous boot's ESP answer -ENOENT); any
 * other error keeps the rule, and filecheck_setup() fences the partition
 * (review-3 F7). Returns how many ESPs were found; *@full when a Mamori ESP
 * did not get a slot for each of its files (review-3 F17: the boot stops).
 */
static u32 fc_builtin(const struct boot_info *bi, u32 *n, bool *full)
{
	u32 i, j, k, esps = 0;

	for (i = 0; i < bi->disk_count && i < BOOT_DISKS_MAX; i++) {
		const struct boot_disk *b = &bi->disks[i];

		for (j = 0; b->part_index && j < fc_disk_count(); j++) {
			struct fc_disk *d = fc_disk_at(j);
			struct fc_rule probe = { .action = POLICY_FILE_READ_ONLY, .builtin = true,
						 .disk = (u8)j, .part_start = b->lba_start,
						 .part_count = b->lba_count };
			u32 added = 0;
			int rc;

			if (!fc_same_pos(d, b) || fc_probe(d, b->lba_start, b->lba_count, false))
				continue;
			for (k = 0; k < ARRAY_SIZE(fc_self); k++) {
				fc_copy_str(probe.path, fc_self[k], sizeof(probe.path));
				rc = fc_resolves(d, &probe);
				if (!k && rc == -ENOENT)
					break;	/* not an ESP of Mamori's */
				if (k && rc == -ENOENT)
					continue;	/* optional */
				if (*n >= FC_RULES_MAX) {
					*full = true;
					break;
				}
				fc_all[(*n)++] = probe;	/* an error: fenced by filecheck_setup() */
				added++;
			}
			if (!added)
				continue;
			esps++;
			pr_info("filecheck: self-protection: %s partition %u (LBA %lu+%lu): "
				"%u of Mamori's files read-only\n", d->name, b->part_index,
				b->lba_start, b->lba_count, added);
		}
	}
	return esps;
}

int filecheck_boot(struct boot_info *bi)
{
	const struct policy *pol = policy_active();
	u32 i, n = FC_BUILTIN_BIT, bad = 0;
	bool full = false;
	int rc;

	memset(fc_all, 0, sizeof(fc_all));
	for (i = 0; pol && i < pol->n_file && i < POLICY_MAX_FILE_RULES; i++)
		if (fc_from_policy(bi, &pol->file[i], i))
			return VMM_ERR_FILECHECK;
	if (!fc_builtin(bi, &n, &full))
		pr_warn("filecheck: self-protection: no ESP with /EFI/mamori/vmm.elf on a disk the "
			"VMM reads at boot (IDE); Mamori's files on disk are NOT protected\n");
	if (full) {
		pr_err("filecheck: self-protection: more Mamori ESPs than the %u built-in rule "
		       "slots; an ESP would be left (partly) unprotected\n",
		       FC_RULES_MAX - FC_BUILTIN_BIT);
		return VMM_ERR_FILECHECK;
	}
	rc = filecheck_setup(fc_all, n, &bad);
	if (rc) {
		pr_err("filecheck: %s rule %u (%s): cannot be enforced: %s (%d)\n",
		       fc_all[bad].builtin ? "built-in" : "policy", fc_all[bad].builtin ?
		       bad - FC_BUILTIN_BIT : fc_all[bad].origin, fc_all[bad].path, fc_err(rc), rc);
		return VMM_ERR_FILECHECK;
	}
	for (i = 0; i < fc_disk_count(); i++) {
		const struct fc_disk *d = fc_disk_at(i);

		if (d->rules)
			pr_info("filecheck: %s: rules 0x%lx, %u+%u+%u intervals (data, meta, path)\n",
				d->name, d->rules, d->data.n, d->meta.n, d->path.n);
	}
	return VMM_OK;
}
