// SPDX-License-Identifier: GPL-2.0-only
/* ext4: superblock, group descriptors, inodes, and the path resolution driver. */
#include "ext4_priv.h"

/* Scratch: [block][levels 0..MAX_DEPTH-1][small][inode 0][inode 1], block_size each. */
u8 *ext4_block_buf(struct fs_ext4 *fs)
{
	return fs->scratch;
}

u8 *ext4_level_buf(struct fs_ext4 *fs, u32 level)
{
	return fs->scratch + (u64)fs->block_size * (1 + level);
}

u8 *ext4_small_buf(struct fs_ext4 *fs)
{
	return fs->scratch + (u64)fs->block_size * (1 + EXT4_MAX_DEPTH);
}

u8 *ext4_inode_buf(struct fs_ext4 *fs, u32 which)
{
	return fs->scratch + (u64)fs->block_size * (2 + EXT4_MAX_DEPTH + which);
}

static int ext4_read_sectors(struct fs_ext4 *fs, u64 sector, u32 count, void *buf)
{
	if (sector >= fs->dev->nsectors || count > fs->dev->nsectors - sector)
		return -EIO;
	if (!fs->budget)
		return -E2BIG;
	fs->budget--;
	return fs->dev->read(fs->dev->ctx, sector, count, buf) ? -EIO : 0;
}

int ext4_read_block(struct fs_ext4 *fs, u64 pblk, void *buf)
{
	if (pblk >= fs->blocks_count || pblk < fs->first_data_block)
		return -EBADMSG;
	return ext4_read_sectors(fs, pblk * fs->spb, fs->spb, buf);
}

static bool is_pow2(u64 x)
{
	return x && !(x & (x - 1));
}

/* Blocks per group and the first data block; bigalloc counts bitmaps in clusters. */
static int ext4_check_groups(struct fs_ext4 *fs, const u8 *sb, u32 bpg)
{
	bool bigalloc = fs->ro_compat & EXT4_RO_COMPAT_BIGALLOC;
	u32 log_bs = le32(sb + 0x18), log_cs = le32(sb + 0x1c), cpg = le32(sb + 0x24);

	if (bigalloc) {
		if (log_cs < log_bs || log_cs - log_bs > 16 || !cpg ||
		    cpg > 8 * fs->block_size || (u64)cpg << (log_cs - log_bs) != bpg)
			return -EBADMSG;
	} else if (!bpg || bpg > 8 * fs->block_size) {
		return -EBADMSG;
	}
	if (fs->first_data_block != (fs->block_size == 1024 && !bigalloc) ||
	    fs->blocks_count <= 1 + fs->first_data_block)
		return -EBADMSG;
	return 0;
}

static int ext4_check_sb(struct fs_ext4 *fs, const u8 *sb)
{
	u32 log_bs = le32(sb + 0x18), bpg = le32(sb + 0x20);
	u64 blocks_hi = 0;
	int ret;

	if (le16(sb + 0x38) != 0xef53 || log_bs > 6)
		return -EBADMSG;
	fs->block_size = 1024u << log_bs;
	fs->spb = fs->block_size / FS_SECTOR_SIZE;
	fs->incompat = le32(sb + 0x60);
	fs->ro_compat = le32(sb + 0x64);
	if (fs->incompat & ~EXT4_INCOMPAT_KNOWN)
		return -EOPNOTSUPP;
	if (fs->incompat & EXT4_INCOMPAT_64BIT)
		blocks_hi = le32(sb + 0x150);
	fs->blocks_count = le32(sb + 0x4) | blocks_hi << 32;
	fs->first_data_block = le32(sb + 0x14);
	fs->inodes_count = le32(sb + 0x0);
	fs->inodes_per_group = le32(sb + 0x28);
	fs->inode_size = le32(sb + 0x4c) ? le16(sb + 0x58) : EXT4_GOOD_OLD_ISIZE;
	fs->desc_size = (fs->incompat & EXT4_INCOMPAT_64BIT) ? le16(sb + 0xfe) : 32;
	fs->needs_recovery = fs->incompat & EXT4_INCOMPAT_RECOVER;
	if (!fs->inodes_per_group || fs->inodes_per_group > 8 * fs->block_size)
		return -EBADMSG;
	ret = ext4_check_groups(fs, sb, bpg);
	if (ret)
		return ret;
	if (fs->blocks_count > fs->dev->nsectors / fs->spb)
		return -EBADMSG;
	if (!is_pow2(fs->inode_size) || fs->inode_size < EXT4_GOOD_OLD_ISIZE ||
	    fs->inode_size > fs->block_size)
		return -EBADMSG;
	if (!is_pow2(fs->desc_size) || fs->desc_size < 32 || fs->desc_size > FS_SECTOR_SIZE ||
	    ((fs->incompat & EXT4_INCOMPAT_64BIT) && fs->desc_size < 64))
		return -EBADMSG;
	fs->groups = (fs->blocks_count - fs->first_data_block + bpg - 1) / bpg;
	if (!fs->inodes_count || fs->inodes_count > fs->groups * fs->inodes_per_group)
		return -EBADMSG;
	/* The descriptor table must fit before the end of the file system. */
	if (fs->groups * fs->desc_size / fs->block_size + 1 >= fs->blocks_count - fs->first_data_block)
		return -EBADMSG;
	if (fs->incompat & (EXT4_INCOMPAT_META_BG | EXT4_INCOMPAT_JOURNAL_DEV))
		return -EOPNOTSUPP;
	return 0;
}

int fs_ext4_mount(struct fs_ext4 *fs, const struct fs_blockdev *dev, void *scratch,
		  u32 scratch_len)
{
	u8 sb[1024];
	int ret;

	memset(fs, 0, sizeof(*fs));
	fs->dev = dev;
	fs->budget = 2;
	ret = ext4_read_sectors(fs, 2, 2, sb);
	if (ret)
		return ret;
	ret = ext4_check_sb(fs, sb);
	if (ret)
		return ret;
	if (scratch_len < EXT4_SCRATCH_SIZE(fs->block_size))
		return -ENOSPC;
	fs->scratch = scratch;
	fs->scratch_len = scratch_len;
	return 0;
}

static int ext4_inode_table(struct fs_ext4 *fs, u64 group, u64 *table)
{
	/* The descriptors follow the superblock's block (block 2 at 1 KiB, also with bigalloc). */
	u64 off = (1024 / fs->block_size + 1) * fs->block_size + group * fs->desc_size;
	u8 *buf = ext4_small_buf(fs);
	const u8 *d;
	u64 hi = 0;
	int ret;

	ret = ext4_read_sectors(fs, off / FS_SECTOR_SIZE, 1, buf);
	if (ret)
		return ret;
	d = buf + off % FS_SECTOR_SIZE;
	if (fs->desc_size >= 64)
		hi = le32(d + 0x28);
	*table = le32(d + 0x8) | hi << 32;
	/* The group's whole inode table must lie inside the file system. */
	if (*table < fs->first_data_block + 1 || *table >= fs->blocks_count ||
	    (u64)fs->inodes_per_group * fs->inode_size / fs->block_size >
	    fs->blocks_count - *table)
		return -EBADMSG;
	return 0;
}

int ext4_read_inode(struct fs_ext4 *fs, u64 ino, struct ext4_inode *in, u8 *raw)
{
	u64 group, table, off, hi = 0;
	int ret;

	if (!ino || ino > fs->inodes_count)
		return -EBADMSG;
	group = (ino - 1) / fs->inodes_per_group;
	ret = ext4_inode_table(fs, group, &table);
	if (ret)
		return ret;
	off = table * fs->block_size + ((ino - 1) % fs->inodes_per_group) * fs->inode_size;
	in->ino = ino;
	in->sector = off / FS_SECTOR_SIZE;
	in->raw = raw;
	if (fs->inode_size < FS_SECTOR_SIZE) {
		in->nsect = 1;
		ret = ext4_read_sectors(fs, in->sector, 1, ext4_small_buf(fs));
		if (!ret)
			memcpy(raw, ext4_small_buf(fs) + off % FS_SECTOR_SIZE, fs->inode_size);
	} else {
		in->nsect = fs->inode_size / FS_SECTOR_SIZE;
		ret = ext4_read_sectors(fs, in->sector, in->nsect, raw);
	}
	if (ret)
		return ret;
	in->mode = le16(raw);
	in->flags = le32(raw + 0x20);
	hi = le32(raw + 0x6c);
	in->size = le32(raw + 0x4) | hi << 32;
	if (fs->inode_size > EXT4_GOOD_OLD_ISIZE &&
	    EXT4_GOOD_OLD_ISIZE + (u32)le16(raw + 0x80) > fs->inode_size)
		return -EBADMSG;
	if (!le16(raw + 0x1a))
		return -EBADMSG;	/* links_count 0: a deleted inode */
	return 0;
}

static enum fs_type ext4_type(u16 mode)
{
	switch (mode & EXT4_S_IFMT) {
	case EXT4_S_IFREG:
		return FS_TYPE_REG;
	case EXT4_S_IFDIR:
		return FS_TYPE_DIR;
	case EXT4_S_IFLNK:
		return FS_TYPE_SYMLINK;
	default:
		return FS_TYPE_OTHER;
	}
}

/* Fast symlinks keep their target in i_block; inline-data inodes their data in the inode. */
static bool ext4_data_in_inode(const struct ext4_inode *in)
{
	if (in->flags & EXT4_INLINE_DATA_FL)
		return true;
	return ext4_type(in->mode) == FS_TYPE_SYMLINK && in->size < EXT4_I_BLOCK_LEN &&
	       !(in->flags & EXT4_EXTENTS_FL);
}

static int ext4_data_run(struct fs_ext4 *fs, void *arg, u64 lblk, u64 pblk, u32 len,
			 bool unwritten)
{
	return ext4_add_blocks(fs, arg, pblk, len, FS_DATA);
}

/* The inode itself, its mapping blocks and its data. */
static int ext4_add_file(struct fs_ext4 *fs, const struct ext4_inode *in, struct fs_ivset *set,
			 u64 meta_mask, u64 data_mask)
{
	int ret = fs_ivset_add(set, in->sector, in->nsect, meta_mask);

	if (ret)
		return ret;
	if (ext4_data_in_inode(in))
		return fs_ivset_add(set, in->sector, in->nsect, data_mask);
	if (data_mask == FS_DATA)
		return ext4_map_walk(fs, in, set, meta_mask, ext4_data_run, set);
	return 0;
}

static int ext4_result(struct fs_ext4 *fs, const struct ext4_inode *in, struct fs_result *res)
{
	res->type = ext4_type(in->mode);
	res->ino = in->ino;
	res->size = in->size;
	res->inline_data = ext4_data_in_inode(in);
	return ext4_add_file(fs, in, res->set, FS_META, FS_DATA);
}

int fs_ext4_resolve_inode(struct fs_ext4 *fs, u64 ino, struct fs_result *res)
{
	struct ext4_inode in;
	int ret;

	fs->budget = FS_READ_BUDGET;
	res->dx_blocks = 0;
	res->inline_data = false;
	ret = ext4_read_inode(fs, ino, &in, ext4_inode_buf(fs, 0));
	return ret ? ret : ext4_result(fs, &in, res);
}

int fs_ext4_resolve(struct fs_ext4 *fs, const char *path, struct fs_result *res)
{
	struct ext4_inode in;
	const char *p = path, *name;
	u32 which = 0;
	u64 ino = EXT4_ROOT_INO;
	int len, ret;

	if (!path || path[0] != '/' || strnlen(path, FS_PATH_MAX) >= FS_PATH_MAX)
		return -EINVAL;
	fs->budget = FS_READ_BUDGET;
	res->dx_blocks = 0;
	res->inline_data = false;
	ret = ext4_read_inode(fs, ino, &in, ext4_inode_buf(fs, which));
	while (!ret && (len = fs_path_next(&p, &name)) != 0) {
		if (len < 0)
			return len;
		if (ext4_type(in.mode) == FS_TYPE_SYMLINK)
			return -ELOOP;
		if (ext4_type(in.mode) != FS_TYPE_DIR)
			return -ENOTDIR;
		ret = ext4_dir_lookup(fs, &in, name, len, res, &ino);
		if (ret)
			return ret;
		which ^= 1;
		ret = ext4_read_inode(fs, ino, &in, ext4_inode_buf(fs, which));
	}
	return ret ? ret : ext4_result(fs, &in, res);
}
