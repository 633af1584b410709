// SPDX-License-Identifier: GPL-2.0-only
/* File access check: one rule through fs/ into a disk's sets, read through disk encryption. */
#include <mamori/disk.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/policy.h>
#include <mamori/string.h>
#include <fs/ext4.h>
#include <fs/fat.h>
#include "filecheck_priv.h"

/* ext4 block sizes up to 16 KiB; a larger one is refused by the mount (-ENOSPC). */
#define FC_SCRATCH	EXT4_SCRATCH_SIZE(16384)
#define FC_PAGES(b)	(((b) + PAGE_SIZE - 1) / PAGE_SIZE)

static u8 *fc_scratch;
static struct fs_iv *fc_tmp_iv;

struct fc_part {
	struct fc_disk *d;
	u64 start;
};

/* The fs_blockdev read: partition-relative sectors, decrypted where encrypted. */
static int fc_part_read(void *ctx, u64 sector, u32 count, void *buf)
{
	struct fc_part *p = ctx;
	u64 lba = p->start + sector;

	if (p->d->read(p->d->read_ctx, p->d->unit, lba, count, buf))
		return -EIO;
	if (p->d->crypt && disk_touches(p->d->crypt, lba, count) &&
	    disk_crypt(p->d->crypt, lba, buf, count, false))
		return -EIO;
	return 0;
}

static int fc_alloc(struct fc_disk *d)
{
	const u32 pages = FC_PAGES(FC_IV_MAX * sizeof(struct fs_iv));
	struct fs_iv *iv;

	if (!fc_scratch) {
		fc_scratch = page_alloc(FC_PAGES(FC_SCRATCH));
		fc_tmp_iv = page_alloc(pages);
		if (!fc_scratch || !fc_tmp_iv)
			return -ENOMEM;
	}
	if (d->data.iv)
		return 0;
	iv = page_alloc(3 * pages);
	if (!iv)
		return -ENOMEM;
	fs_ivset_init(&d->data, iv, FC_IV_MAX);
	fs_ivset_init(&d->meta, iv + FC_IV_MAX, FC_IV_MAX);
	fs_ivset_init(&d->path, iv + 2 * FC_IV_MAX, FC_IV_MAX);
	return 0;
}

/* Resolve @r into @set (partition-relative): its file system, then the path or inode. */
static int fc_resolve_into(const struct fc_rule *r, const struct fs_blockdev *bd,
			   struct fs_ivset *set)
{
	struct fs_result res = { .set = set };
	struct fs_ext4 e4;
	struct fs_fat fat;
	int rc;

	if (r->ext4) {
		rc = fs_ext4_mount(&e4, bd, fc_scratch, FC_SCRATCH);
		if (rc)
			return rc;
		if (r->inode)
			return fs_ext4_resolve_inode(&e4, r->inode, &res);
		return fs_ext4_resolve(&e4, r->path, &res);
	}
	rc = fs_fat_mount(&fat, bd, fc_scratch, FC_SCRATCH);
	return rc ? rc : fs_fat_resolve(&fat, r->path, &res);
}

int fc_resolves(struct fc_disk *d, const struct fc_rule *r)
{
	struct fc_part part = { .d = d, .start = r->part_start };
	struct fs_blockdev bd = { .read = fc_part_read, .ctx = &part, .nsectors = r->part_count };
	struct fs_ivset tmp;
	int rc;

	if (!d->read)
		return -ENODEV;
	rc = fc_alloc(d);
	if (rc)
		return rc;
	fs_ivset_init(&tmp, fc_tmp_iv, FC_IV_MAX);
	return fc_resolve_into(r, &bd, &tmp);
}

int fc_resolve_rule(struct fc_disk *d, const struct fc_rule *r, u32 bit)
{
	struct fc_part part = { .d = d, .start = r->part_start };
	struct fs_blockdev bd = { .read = fc_part_read, .ctx = &part, .nsectors = r->part_count };
	struct fs_ivset tmp;
	u32 i;
	int rc;

	if (!d->read)
		return -ENODEV;
	rc = fc_alloc(d);
	if (rc)
		return rc;
	fs_ivset_init(&tmp, fc_tmp_iv, FC_IV_MAX);
	rc = fc_resolve_into(r, &bd, &tmp);
	for (i = 0; !rc && i < tmp.n; i++) {
		const struct fs_iv *v = &tmp.iv[i];
		u64 lba = r->part_start + v->start;

		if (v->mask & FS_DATA)
			rc = fs_ivset_add(&d->data, lba, v->count, BIT(bit));
		if (!rc && (v->mask & FS_META))
			rc = fs_ivset_add(&d->meta, lba, v->count, BIT(bit));
		if (!rc && (v->mask & FS_PATH))
			rc = fs_ivset_add(&d->path, lba, v->count, BIT(bit));
	}
	return rc;
}

int fc_probe(struct fc_disk *d, u64 start, u64 count, bool ext4)
{
	struct fc_part part = { .d = d, .start = start };
	struct fs_blockdev bd = { .read = fc_part_read, .ctx = &part, .nsectors = count };
	struct fs_ext4 e4;
	struct fs_fat fat;
	int rc;

	if (!d->read)
		return -ENODEV;
	rc = fc_alloc(d);
	if (rc)
		return rc;
	if (ext4)
		return fs_ext4_mount(&e4, &bd, fc_scratch, FC_SCRATCH);
	return fs_fat_mount(&fat, &bd, fc_scratch, FC_SCRATCH);
}

int filecheck_setup(const struct fc_rule *rules, u32 n, u32 *bad)
{
	u32 i;
	int rc;

	for (i = 0; i < n && i < FC_RULES_MAX; i++) {
		struct fc_disk *d = fc_disk_at(rules[i].disk);

		if (!rules[i].action)
			continue;	/* an empty slot */
		*bad = i;
		if (!d)
			return -ENODEV;
		fc_rules[i] = rules[i];
		fc_rule_bits |= BIT(i);
		rc = fc_resolve_rule(d, &rules[i], i);
		if (rc)
			return rc;
		d->rules |= BIT(i);
		if (rules[i].action != POLICY_FILE_READ_ONLY)
			d->read_deny |= BIT(i);
		if (rules[i].action == POLICY_FILE_REQUIRE_AUTH && !rules[i].builtin)
			fc_auth_rules |= BIT(i);
	}
	return 0;
}
