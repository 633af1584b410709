// SPDX-License-Identifier: GPL-2.0-only
/* FAT16/32: BPB, FAT chains, path resolution. */
#include "fat_priv.h"

#define FAT32_MASK	0x0fffffffu

int fat_read(struct fs_fat *fs, u64 fsect, void *buf)
{
	u64 s = fsect * fs->spd;

	if (s >= fs->dev->nsectors || fs->spd > fs->dev->nsectors - s)
		return -EIO;
	if (!fs->budget)
		return -E2BIG;
	fs->budget--;
	return fs->dev->read(fs->dev->ctx, s, fs->spd, buf) ? -EIO : 0;
}

static bool pow2(u64 x)
{
	return x && !(x & (x - 1));
}

static int fat_check_bpb(struct fs_fat *fs, const u8 *b)
{
	u64 total, fatsz, rsvd, root_ents, data;

	if (fat_le16(b + 510) != 0xaa55)
		return -EBADMSG;
	fs->bps = fat_le16(b + 0x0b);
	fs->spc = b[0x0d];
	rsvd = fat_le16(b + 0x0e);
	fs->nfats = b[0x10];
	root_ents = fat_le16(b + 0x11);
	total = fat_le16(b + 0x13) ? fat_le16(b + 0x13) : fat_le32(b + 0x20);
	fatsz = fat_le16(b + 0x16) ? fat_le16(b + 0x16) : fat_le32(b + 0x24);
	if (!pow2(fs->bps) || fs->bps < FS_SECTOR_SIZE || fs->bps > FAT_MAX_SECTOR ||
	    !pow2(fs->spc) || fs->spc > 128 || !rsvd || !fs->nfats || fs->nfats > 4 || !fatsz)
		return -EBADMSG;
	fs->spd = fs->bps / FS_SECTOR_SIZE;
	if (total > fs->dev->nsectors / fs->spd)
		return -EBADMSG;
	fs->fat_start = rsvd;
	fs->fat_size = fatsz;
	fs->root_start = rsvd + fs->nfats * fatsz;
	fs->root_sectors = (root_ents * FAT_DIRENT + fs->bps - 1) / fs->bps;
	fs->data_start = fs->root_start + fs->root_sectors;
	if (fs->data_start >= total)
		return -EBADMSG;
	data = total - fs->data_start;
	fs->clusters = data / fs->spc;
	if (fs->clusters < 4085)
		return -EOPNOTSUPP;	/* FAT12 */
	fs->bits = fs->clusters < 65525 ? 16 : 32;
	if (fs->clusters > FAT32_MASK - 16)
		return -EBADMSG;
	/* The FAT must hold an entry for every cluster. */
	if (fatsz * fs->bps / (fs->bits / 8) < fs->clusters + 2)
		return -EBADMSG;
	if (fs->bits == 16)
		return root_ents ? 0 : -EBADMSG;
	fs->root_cluster = fat_le32(b + 0x2c);
	if (root_ents || fat_le16(b + 0x16) || fat_le16(b + 0x2a) || fs->root_cluster < 2 ||
	    fs->root_cluster >= fs->clusters + 2)
		return -EBADMSG;
	if (fat_le16(b + 0x28) & 0x80) {
		fs->active_fat = fat_le16(b + 0x28) & 0xf;
		if (fs->active_fat >= fs->nfats)
			return -EBADMSG;
	}
	return 0;
}

int fs_fat_mount(struct fs_fat *fs, const struct fs_blockdev *dev, void *scratch, u32 scratch_len)
{
	int ret;

	memset(fs, 0, sizeof(*fs));
	fs->dev = dev;
	fs->spd = 1;
	fs->budget = 1;
	fs->cached = ~0ull;
	if (scratch_len < FAT_SCRATCH_SIZE)
		return -ENOSPC;
	fs->scratch = scratch;
	ret = fat_read(fs, 0, scratch);
	return ret ? ret : fat_check_bpb(fs, scratch);
}

/* The sector (within one FAT copy) holding @cluster's entry, and the offset in it. */
static u64 fat_entry_pos(const struct fs_fat *fs, u32 cluster, u32 *off)
{
	u64 byte = (u64)cluster * (fs->bits / 8);

	*off = byte % fs->bps;
	return byte / fs->bps;
}

s64 fat_next(struct fs_fat *fs, u32 cluster)
{
	u32 off, v;
	u64 sect = fs->fat_start + (u64)fs->active_fat * fs->fat_size + fat_entry_pos(fs, cluster, &off);
	u8 *buf = fs->scratch;

	if (sect != fs->cached) {
		int ret = fat_read(fs, sect, buf);

		fs->cached = ~0ull;
		if (ret)
			return ret;
		fs->cached = sect;
	}
	if (fs->bits == 32) {
		v = fat_le32(buf + off) & FAT32_MASK;
		if (v >= 0x0ffffff8)
			return 0;
	} else {
		v = fat_le16(buf + off);
		if (v >= 0xfff8)
			return 0;
	}
	/* Free, reserved, bad (…7) or beyond the last cluster: not a chain. */
	if (v < 2 || v >= fs->clusters + 2)
		return -EBADMSG;
	return v;
}

int fat_chain(struct fs_fat *fs, u32 first, struct fs_ivset *set, u64 data_mask, u64 fat_mask,
	      u64 *n)
{
	u64 c = first, count = 0;
	u32 off, k;
	int ret;

	while (c) {
		s64 next;

		if (c < 2 || c >= fs->clusters + 2)
			return -EBADMSG;
		if (++count > fs->clusters)
			return -EBADMSG;	/* longer than the volume: a cycle */
		ret = fat_add(fs, set, fat_cluster_sector(fs, c), fs->spc, data_mask);
		for (k = 0; !ret && k < fs->nfats; k++)
			ret = fat_add(fs, set, fs->fat_start + k * fs->fat_size +
				      fat_entry_pos(fs, c, &off), 1, fat_mask);
		if (ret)
			return ret;
		next = fat_next(fs, c);

		if (next < 0)
			return next;
		c = next;
	}
	if (n)
		*n = count;
	return 0;
}

static int fat_add_node(struct fs_fat *fs, const struct fat_node *node, struct fs_ivset *set,
			u64 data_mask, u64 fat_mask)
{
	u64 n, cbytes = (u64)fs->spc * fs->bps;
	int ret;

	if (!node->cluster) {
		if (node->attr & FAT_ATTR_DIR && fs->bits == 16)
			return fat_add(fs, set, fs->root_start, fs->root_sectors, data_mask);
		return node->size ? -EBADMSG : 0;
	}
	ret = fat_chain(fs, node->cluster, set, data_mask, fat_mask, &n);
	if (!ret && !(node->attr & FAT_ATTR_DIR) && n < (node->size + cbytes - 1) / cbytes)
		return -EBADMSG;	/* chain shorter than the size */
	return ret;
}

int fs_fat_resolve(struct fs_fat *fs, const char *path, struct fs_result *res)
{
	struct fat_node node = { .cluster = fs->bits == 32 ? fs->root_cluster : 0,
				 .attr = FAT_ATTR_DIR };
	const char *p = path, *name;
	int len, ret;

	if (!path || path[0] != '/' || strnlen(path, FS_PATH_MAX) >= FS_PATH_MAX)
		return -EINVAL;
	fs->budget = FS_READ_BUDGET;
	res->dx_blocks = 0;
	res->inline_data = false;
	while ((len = fs_path_next(&p, &name)) != 0) {
		if (len < 0)
			return len;
		if (!(node.attr & FAT_ATTR_DIR))
			return -ENOTDIR;
		ret = fat_add_node(fs, &node, res->set, FS_PATH, FS_PATH);
		if (!ret)
			ret = fat_dir_lookup(fs, &node, name, len, res, &node);
		if (ret)
			return ret;
	}
	res->type = node.attr & FAT_ATTR_DIR ? FS_TYPE_DIR : FS_TYPE_REG;
	res->ino = node.cluster;
	res->size = node.size;
	return fat_add_node(fs, &node, res->set, FS_DATA, FS_META);
}
