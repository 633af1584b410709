// SPDX-License-Identifier: GPL-2.0-only
/* File access check: one rule through fs/ into a disk's sets, read through disk encryption. */
#include <mamori/audit.h>
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

/* GPT bounds the anchors accept (entries: at most 1024 of at most 1 KiB). */
#define FC_GPT_ENTRIES_MAX	1024u
#define FC_GPT_ENTRY_MAX	1024u

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

/*
 * The disk's own scratch and interval arrays (review-3 F2): two disks are
 * re-resolved at once from two CPUs, each under its own d->lock only.
 */
static int fc_alloc(struct fc_disk *d)
{
	const u32 pages = FC_PAGES(FC_IV_MAX * sizeof(struct fs_iv));
	struct fs_iv *iv;

	if (!d->scratch) {
		d->scratch = page_alloc(FC_PAGES(FC_SCRATCH));
		d->tmp_iv = page_alloc(pages);
		if (!d->scratch || !d->tmp_iv)
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

/*
 * The ext4 anchors (review-3 F1): the superblock and the group descriptor
 * table. Linux rewrites both in normal use (mount, free counts), so they are
 * watched (FS_PATH): a write re-resolves every rule of the partition before
 * the next command, and a moved answer locks the disk (fc_resolve_rule()).
 */
static int fc_ext4_anchors(const struct fs_ext4 *e4, struct fs_ivset *set)
{
	/* where fs/ext4.c reads the descriptors: the block after the superblock's */
	u64 gdt = (1024 / e4->block_size + 1) * e4->spb;
	u64 blocks = (e4->groups * e4->desc_size + e4->block_size - 1) / e4->block_size;
	int rc = fs_ivset_add(set, 2, 2, FS_PATH);

	return rc ? rc : fs_ivset_add(set, gdt, blocks * e4->spb, FS_PATH);
}

/*
 * The FAT anchors (review-3 F1): the boot sector (BPB: where the root, the
 * FATs and the data area are) and, FAT32, its backup; protected (FS_META).
 * FSInfo is not read by the resolver nor by firmware to find a file (free
 * count hints only) and Linux rewrites it on every allocation: left writable.
 */
static int fc_fat_anchors(const struct fs_fat *fat, const struct fs_blockdev *bd,
			  struct fs_ivset *set)
{
	u8 bs[FS_SECTOR_SIZE];
	u32 bk;
	int rc = bd->read(bd->ctx, 0, 1, bs);

	if (!rc)
		rc = fs_ivset_add(set, 0, fat->spd, FS_META);
	if (rc || fat->bits != 32)
		return rc;
	bk = bs[50] | (u32)bs[51] << 8;
	if (bk && bk < fat->fat_start)
		rc = fs_ivset_add(set, (u64)bk * fat->spd, fat->spd, FS_META);
	return rc;
}

/* Resolve @r into @set (partition-relative): its file system and its anchors, then the path. */
static int fc_resolve_into(struct fc_disk *d, const struct fc_rule *r,
			   const struct fs_blockdev *bd, struct fs_ivset *set)
{
	struct fs_result res = { .set = set };
	struct fs_ext4 e4;
	struct fs_fat fat;
	int rc;

	if (r->ext4) {
		rc = fs_ext4_mount(&e4, bd, d->scratch, FC_SCRATCH);
		if (!rc)
			rc = fc_ext4_anchors(&e4, set);
		if (rc)
			return rc;
		if (r->inode)
			return fs_ext4_resolve_inode(&e4, r->inode, &res);
		return fs_ext4_resolve(&e4, r->path, &res);
	}
	rc = fs_fat_mount(&fat, bd, d->scratch, FC_SCRATCH);
	if (!rc)
		rc = fc_fat_anchors(&fat, bd, set);
	return rc ? rc : fs_fat_resolve(&fat, r->path, &res);
}

static u64 fc_le64(const u8 *p)
{
	u64 v = 0;
	u32 i;

	for (i = 8; i--;)
		v = v << 8 | p[i];
	return v;
}

/*
 * One GPT header at @lba and its entry array into @d's meta set for rule
 * @bit. -EBADMSG when it is not a GPT header or its entries are out of
 * bounds; the loader checked the CRCs, this only needs where they are.
 */
static int fc_gpt_one(struct fc_disk *d, u64 lba, u64 bit, u64 *alt)
{
	u8 h[FS_SECTOR_SIZE];
	u64 entries;
	u32 n, sz;
	int rc;

	if (d->read(d->read_ctx, d->unit, lba, 1, h))
		return -EIO;
	n = (u32)fc_le64(h + 80);
	sz = (u32)fc_le64(h + 84);
	entries = fc_le64(h + 72);
	*alt = fc_le64(h + 32);
	if (memcmp(h, "EFI PART", 8) || fc_le64(h + 24) != lba || !n || n > FC_GPT_ENTRIES_MAX ||
	    sz < 128 || sz > FC_GPT_ENTRY_MAX || entries < 2 || entries > ~0ULL / 2)
		return -EBADMSG;
	rc = fs_ivset_add(&d->meta, lba, 1, bit);
	return rc ? rc : fs_ivset_add(&d->meta, entries, ((u64)n * sz + 511) / 512, bit);
}

/*
 * The disk's GPT (review-3 F1): the protective MBR, the primary header and
 * entries, the backup header and entries. They say where every partition
 * is, for the firmware and for the next boot's resolution: protected.
 */
static int fc_gpt_anchors(struct fc_disk *d, u64 bit)
{
	u64 alt, back;
	int rc = fs_ivset_add(&d->meta, 0, 1, bit);

	if (!rc)
		rc = fc_gpt_one(d, 1, bit, &alt);
	if (rc)
		return rc;
	/* a missing backup (a grown disk image) is the firmware's business: its sector only */
	rc = fc_gpt_one(d, alt, bit, &back);
	if (rc == -EBADMSG || rc == -EIO) {
		pr_warn_ratelimited("filecheck: %s: no valid backup GPT header at LBA %lu\n",
				    d->name, alt);
		rc = rc == -EIO ? 0 : fs_ivset_add(&d->meta, alt, 1, bit);
	}
	return rc;
}

/* Every sector of [@start, +@count) carries @bit in @s. */
static bool fc_covered(const struct fs_ivset *s, u64 start, u64 count, u64 bit)
{
	u64 end = start + count;
	u32 lo = 0, hi = s->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->iv[mid].start + s->iv[mid].count <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; start < end; lo++) {
		if (lo >= s->n || s->iv[lo].start > start || !(s->iv[lo].mask & bit))
			return false;
		start = s->iv[lo].start + s->iv[lo].count;
	}
	return true;
}

/* Resolve @r afresh into @tmp (the disk's own scratch interval array). */
static int fc_resolve_tmp(struct fc_disk *d, const struct fc_rule *r, struct fs_ivset *tmp)
{
	struct fc_part part = { .d = d, .start = r->part_start };
	struct fs_blockdev bd = { .read = fc_part_read, .ctx = &part, .nsectors = r->part_count };
	int rc;

	if (!d->read)
		return -ENODEV;
	rc = fc_alloc(d);
	if (rc)
		return rc;
	fs_ivset_init(tmp, d->tmp_iv, FC_IV_MAX);
	return fc_resolve_into(d, r, &bd, tmp);
}

int fc_resolves(struct fc_disk *d, const struct fc_rule *r)
{
	struct fs_ivset tmp;

	return fc_resolve_tmp(d, r, &tmp);
}

int fc_resolve_rule(struct fc_disk *d, const struct fc_rule *r, u32 bit, bool same)
{
	struct fs_ivset tmp;
	u32 i;
	int rc;

	rc = fc_resolve_tmp(d, r, &tmp);
	for (i = 0; !rc && same && i < tmp.n; i++) {
		const struct fs_iv *v = &tmp.iv[i];

		if (((v->mask & FS_DATA) &&
		     !fc_covered(&d->data, r->part_start + v->start, v->count, BIT(bit))) ||
		    ((v->mask & FS_META) &&
		     !fc_covered(&d->meta, r->part_start + v->start, v->count, BIT(bit))))
			return -ESTALE;
	}
	if (!rc)
		rc = fc_gpt_anchors(d, BIT(bit));
	for (i = 0; !rc && i < tmp.n; i++) {
		const struct fs_iv *v = &tmp.iv[i];
		u64 lba = r->part_start + v->start;

		if (v->mask & FS_DATA)
			rc = fs_ivset_add(&d->data, lba, v->count, BIT(bit));
		/*
		 * Built-in rules: the directories on Mamori's paths are protected
		 * whole (a duplicate planted in an earlier directory block would
		 * be the firmware's first match, and the next boot's fence comes
		 * after the firmware has followed it).
		 */
		if (!rc && (v->mask & FS_META || (r->builtin && v->mask & FS_PATH)))
			rc = fs_ivset_add(&d->meta, lba, v->count, BIT(bit));
		if (!rc && (v->mask & FS_PATH) && !r->builtin)
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
		return fs_ext4_mount(&e4, &bd, d->scratch, FC_SCRATCH);
	return fs_fat_mount(&fat, &bd, d->scratch, FC_SCRATCH);
}

/* Errors the disk's content (the guest, since the last boot) can cause: fenced, not a halt. */
static bool fc_fenceable(int rc)
{
	return rc == -ENOENT || rc == -EBADMSG || rc == -ENOTDIR || rc == -ELOOP ||
	       rc == -E2BIG || rc == -ENOSPC || rc == -EIO || rc == -EOPNOTSUPP;
}

/*
 * Rule @i did not resolve at boot (review-3 F7/F8): fence its partition
 * instead of halting. Every write to the partition is refused; for a rule
 * whose data may not be read (deny, require-auth) every read too, and no
 * dialog opens it. The disk's GPT stays protected. 0 or an error (halt).
 */
static int fc_fence(struct fc_disk *d, const struct fc_rule *r, u32 i, int why)
{
	int rc = fs_ivset_add(&d->meta, r->part_start, r->part_count, BIT(i));

	if (!rc && r->action != POLICY_FILE_READ_ONLY)
		rc = fs_ivset_add(&d->data, r->part_start, r->part_count, BIT(i));
	if (!rc)
		rc = fc_gpt_anchors(d, BIT(i));
	if (rc)
		return rc;
	fc_fenced |= BIT(i);
	pr_err("filecheck: %s rule %u (%s) does not resolve (%d): %s LBA %lu+%lu fenced: "
	       "writes%s refused until the disk is repaired\n", r->builtin ? "built-in" : "policy",
	       r->builtin ? i - FC_BUILTIN_BIT : r->origin, r->path, why, d->name, r->part_start,
	       r->part_count, r->action != POLICY_FILE_READ_ONLY ? " and reads" : "");
	audit_log("filecheck: %s partition LBA %lu+%lu fenced: rule %u (%s) does not resolve "
		  "(%d)", d->name, r->part_start, r->part_count, i, r->path, why);
	return 0;
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
		rc = fc_resolve_rule(d, &rules[i], i, false);
		if (rc && fc_fenceable(rc))
			rc = fc_fence(d, &rules[i], i, rc);
		if (rc)
			return rc;
		d->rules |= BIT(i);
		if (rules[i].action != POLICY_FILE_READ_ONLY)
			d->read_deny |= BIT(i);
		if (rules[i].action == POLICY_FILE_REQUIRE_AUTH && !rules[i].builtin &&
		    !(fc_fenced & BIT(i)))
			fc_auth_rules |= BIT(i);
	}
	return 0;
}
