// SPDX-License-Identifier: GPL-2.0-only
/* FAT directories: 8.3 entries, long-name slots, name matching. */
#include "fat_priv.h"

#define FAT_LFN_MAX		20	/* slots: 20 * 13 = 260 UCS-2 units */
#define FAT_SLOTS		(FAT_LFN_MAX + 1)

struct fat_scan {
	const char *name;
	u32 len;
	u16 lfn[FAT_LFN_MAX * 13];
	u32 ord;		/* the slot expected next is ord-1; 0: no sequence */
	u32 nslots;
	u8 sum;
	u64 sect[FAT_SLOTS];	/* 512-byte sectors of the sequence's slots */
	u32 nsect;
	u32 matches;
	struct fat_node found;
	u64 found_sect[FAT_SLOTS];
	u32 found_nsect;
};

static u8 fold(u8 c)
{
	return c >= 'a' && c <= 'z' ? c - 32 : c;
}

static void scan_sect(struct fat_scan *s, u64 sect)
{
	if (!s->nsect || s->sect[s->nsect - 1] != sect)
		s->sect[s->nsect++] = sect;
}

/* The long name as UTF-8 compared with the wanted name; unpaired surrogates never match. */
static bool lfn_match(const struct fat_scan *s)
{
	u32 i, o = 0, n = s->nslots * 13;
	u8 out[4];

	for (i = 0; i < n && s->lfn[i]; i++) {
		u32 c = s->lfn[i], k, m;

		if (c >= 0xd800 && c < 0xdc00 && i + 1 < n && s->lfn[i + 1] >= 0xdc00 &&
		    s->lfn[i + 1] < 0xe000) {
			c = 0x10000 + ((c - 0xd800) << 10) + (s->lfn[++i] - 0xdc00);
		} else if (c >= 0xd800 && c < 0xe000) {
			return false;
		}
		if (c < 0x80) {
			out[0] = c;
			m = 1;
		} else if (c < 0x800) {
			out[0] = 0xc0 | c >> 6;
			out[1] = 0x80 | (c & 0x3f);
			m = 2;
		} else if (c < 0x10000) {
			out[0] = 0xe0 | c >> 12;
			out[1] = 0x80 | ((c >> 6) & 0x3f);
			out[2] = 0x80 | (c & 0x3f);
			m = 3;
		} else {
			out[0] = 0xf0 | c >> 18;
			out[1] = 0x80 | ((c >> 12) & 0x3f);
			out[2] = 0x80 | ((c >> 6) & 0x3f);
			out[3] = 0x80 | (c & 0x3f);
			m = 4;
		}
		for (k = 0; k < m; k++, o++)
			if (o >= s->len || fold(out[k]) != fold((u8)s->name[o]))
				return false;
	}
	return o == s->len;
}

static bool short_match(const struct fat_scan *s, const u8 *e)
{
	u8 name[12];
	u32 n = 0, i, b = 8, x = 3;

	while (b && e[b - 1] == ' ')
		b--;
	while (x && e[8 + x - 1] == ' ')
		x--;
	for (i = 0; i < b; i++)
		name[n++] = (i == 0 && e[0] == 0x05) ? 0xe5 : e[i];
	if (x)
		name[n++] = '.';
	for (i = 0; i < x; i++)
		name[n++] = e[8 + i];
	if (n != s->len)
		return false;
	for (i = 0; i < n; i++)
		if (fold(name[i]) != fold((u8)s->name[i]))
			return false;
	return true;
}

static u8 short_sum(const u8 *e)
{
	u8 sum = 0;
	u32 i;

	for (i = 0; i < 11; i++)
		sum = (u8)(((sum & 1) << 7) + (sum >> 1) + e[i]);
	return sum;
}

static void lfn_slot(struct fat_scan *s, const u8 *e, u64 sect)
{
	static const u8 pos[13] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };
	u32 ord = e[0] & 0x3f, i;

	if (e[0] & 0x40) {
		s->ord = 0;
		s->nsect = 0;
		if (!ord || ord > FAT_LFN_MAX)
			return;
		s->nslots = ord;
		s->sum = e[13];
	} else if (!s->ord || ord != s->ord - 1 || e[13] != s->sum || !ord) {
		s->ord = 0;
		return;
	}
	s->ord = ord;
	for (i = 0; i < 13; i++)
		s->lfn[(ord - 1) * 13 + i] = fat_le16(e + pos[i]);
	scan_sect(s, sect);
}

static void fat_entry(struct fs_fat *fs, struct fat_scan *s, const u8 *e, u64 sect)
{
	u8 attr = e[11];
	bool has_lfn, hit;

	if (!e[0] || e[0] == 0xe5) {
		s->ord = 0;
		return;
	}
	if ((attr & 0x3f) == FAT_ATTR_LFN) {
		lfn_slot(s, e, sect);
		return;
	}
	has_lfn = s->ord == 1 && s->sum == short_sum(e);
	s->ord = 0;
	/* Only the real dot entries: a '.'-led alias with a long name stays visible. */
	if (attr & FAT_ATTR_VOLUME || !memcmp(e, ".          ", 11) ||
	    !memcmp(e, "..         ", 11))
		return;
	hit = (has_lfn && lfn_match(s)) || short_match(s, e);
	if (!hit)
		return;
	if (!has_lfn)
		s->nsect = 0;
	scan_sect(s, sect);
	s->matches++;
	s->found.attr = attr;
	s->found.size = fat_le32(e + 28);
	s->found.cluster = fat_le16(e + 26) | (fs->bits == 32 ? (u32)fat_le16(e + 20) << 16 : 0);
	memcpy(s->found_sect, s->sect, s->nsect * sizeof(s->sect[0]));
	s->found_nsect = s->nsect;
}

static int fat_scan_sector(struct fs_fat *fs, struct fat_scan *s, u64 fsect)
{
	u8 *buf = fs->scratch + FAT_MAX_SECTOR;
	u32 off;
	int ret = fat_read(fs, fsect, buf);

	for (off = 0; !ret && off < fs->bps; off += FAT_DIRENT)
		fat_entry(fs, s, buf + off, fsect * fs->spd + off / FS_SECTOR_SIZE);
	return ret;
}

static int fat_scan_dir(struct fs_fat *fs, const struct fat_node *dir, struct fat_scan *s)
{
	u64 c = dir->cluster, n = 0, i;
	int ret = 0;

	if (!c) {
		if (fs->bits != 16)
			return -EBADMSG;
		for (i = 0; !ret && i < fs->root_sectors; i++)
			ret = fat_scan_sector(fs, s, fs->root_start + i);
		return ret;
	}
	while (c) {
		s64 next;

		if (c < 2 || c >= fs->clusters + 2 || ++n > fs->clusters)
			return -EBADMSG;
		for (i = 0; i < fs->spc; i++) {
			ret = fat_scan_sector(fs, s, fat_cluster_sector(fs, c) + i);
			if (ret)
				return ret;
		}
		next = fat_next(fs, c);
		if (next < 0)
			return next;
		c = next;
	}
	return 0;
}

int fat_dir_lookup(struct fs_fat *fs, const struct fat_node *dir, const char *name, u32 len,
		   struct fs_result *res, struct fat_node *child)
{
	struct fat_scan scan;	/* ~750 bytes of stack */
	u32 i;
	int ret;

	memset(&scan, 0, sizeof(scan));
	scan.name = name;
	scan.len = len;
	ret = fat_scan_dir(fs, dir, &scan);
	if (ret)
		return ret;
	if (!scan.matches)
		return -ENOENT;
	if (scan.matches > 1)
		return -EBADMSG;	/* the guest could see either entry */
	if (scan.found.attr & FAT_ATTR_DIR && !scan.found.cluster)
		return -EBADMSG;
	for (i = 0; i < scan.found_nsect; i++) {
		ret = fs_ivset_add(res->set, scan.found_sect[i], 1, FS_META);
		if (ret)
			return ret;
	}
	*child = scan.found;
	return 0;
}
