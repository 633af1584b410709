// SPDX-License-Identifier: GPL-2.0-only
/* ext4 directories: linear entry blocks, htree index blocks, inline directories. */
#include "ext4_priv.h"

#define EXT4_DIRENT_HDR		8
#define EXT4_DX_ROOT_INFO	0x18

struct dir_scan {
	const char *name;
	u32 len;
	u32 matches;
	u64 ino;
	u64 pblk;		/* block holding the entry; ~0: in the inode */
	bool htree;
	struct fs_result *res;
};

static u32 ext4_rec_len(const struct fs_ext4 *fs, u16 dlen)
{
	u32 len = (dlen & 0xfffc) | (u32)(dlen & 3) << 16;

	if (fs->block_size == 65536 && (dlen == 0xffff || !dlen))
		return 65536;
	return len;
}

/* Entries in [@buf, @buf+@size): a match sets scan->ino; any malformed entry is -EBADMSG. */
static int ext4_scan_entries(struct fs_ext4 *fs, struct dir_scan *scan, const u8 *buf, u32 size,
			     u64 pblk)
{
	u32 off = 0;

	while (off < size) {
		const u8 *d = buf + off;
		u32 rec, nlen;
		u64 ino;

		if (size - off < EXT4_DIRENT_HDR)
			return -EBADMSG;
		ino = le32(d);
		rec = ext4_rec_len(fs, le16(d + 4));
		nlen = d[6];
		if (rec < 12 || rec % 4 || rec > size - off || EXT4_DIRENT_HDR + nlen > rec)
			return -EBADMSG;
		if (ino) {
			if (ino > fs->inodes_count || !nlen)
				return -EBADMSG;
			if (nlen == scan->len && !memcmp(d + EXT4_DIRENT_HDR, scan->name, nlen)) {
				scan->matches++;
				scan->ino = ino;
				scan->pblk = pblk;
			}
		}
		off += rec;
	}
	return 0;
}

/* The htree root in logical block 0: checked, else the directory is refused. */
static int ext4_dx_root(struct fs_ext4 *fs, const u8 *buf)
{
	const u8 *info = buf + EXT4_DX_ROOT_INFO;
	u32 max_levels = (fs->incompat & EXT4_INCOMPAT_LARGEDIR) ? 2 : 1;
	u16 limit = le16(info + 8), count = le16(info + 10);

	if (le32(info) || info[5] != 8 || info[6] > max_levels ||
	    limit > (fs->block_size - 0x20) / 8 || !count || count > limit)
		return -EBADMSG;
	return 1;
}

/* An interior htree node: an empty entry spanning the block, then count/limit. */
static bool ext4_dx_node(struct fs_ext4 *fs, const u8 *buf)
{
	u16 limit = le16(buf + 8), count = le16(buf + 10);

	return !le32(buf) && ext4_rec_len(fs, le16(buf + 4)) == fs->block_size && !buf[6] &&
	       count && count <= limit && limit <= (fs->block_size - 8) / 8;
}

static int ext4_dir_run(struct fs_ext4 *fs, void *arg, u64 lblk, u64 pblk, u32 len,
			bool unwritten)
{
	struct dir_scan *scan = arg;
	u8 *buf = ext4_block_buf(fs);
	u32 i;
	int ret;

	ret = ext4_add_blocks(fs, scan->res->set, pblk, len, FS_PATH);
	for (i = 0; !ret && !unwritten && i < len; i++) {
		ret = ext4_read_block(fs, pblk + i, buf);
		if (ret)
			break;
		if (scan->htree && lblk + i == 0) {
			ret = ext4_dx_root(fs, buf);
			if (ret < 0)
				break;
			scan->res->dx_blocks++;
		} else if (scan->htree && ext4_dx_node(fs, buf)) {
			scan->res->dx_blocks++;
			continue;
		}
		ret = ext4_scan_entries(fs, scan, buf, fs->block_size, pblk + i);
	}
	return ret;
}

static int ext4_dir_inline(struct fs_ext4 *fs, const struct ext4_inode *dir, struct dir_scan *scan)
{
	const u8 *val;
	u32 vlen;
	int ret;

	ret = ext4_scan_entries(fs, scan, dir->raw + EXT4_I_BLOCK + 4, EXT4_I_BLOCK_LEN - 4, ~0ull);
	if (!ret)
		ret = ext4_inline_value(fs, dir, &val, &vlen);
	if (!ret && vlen)
		ret = ext4_scan_entries(fs, scan, val, vlen, ~0ull);
	return ret;
}

int ext4_dir_lookup(struct fs_ext4 *fs, const struct ext4_inode *dir, const char *name,
		    u32 len, struct fs_result *res, u64 *ino)
{
	struct dir_scan scan = { .name = name, .len = len, .res = res,
				 .htree = dir->flags & EXT4_INDEX_FL };
	int ret;

	if (dir->flags & (EXT4_ENCRYPT_FL | EXT4_CASEFOLD_FL))
		return -EOPNOTSUPP;
	ret = fs_ivset_add(res->set, dir->sector, dir->nsect, FS_PATH);
	if (ret)
		return ret;
	if (dir->flags & EXT4_INLINE_DATA_FL)
		ret = ext4_dir_inline(fs, dir, &scan);
	else
		ret = ext4_map_walk(fs, dir, res->set, FS_PATH, ext4_dir_run, &scan);
	if (ret)
		return ret;
	if (!scan.matches)
		return -ENOENT;
	if (scan.matches > 1)
		return -EBADMSG;	/* the guest could see either entry */
	*ino = scan.ino;
	if (scan.pblk == ~0ull)
		return fs_ivset_add(res->set, dir->sector, dir->nsect, FS_META);
	return ext4_add_blocks(fs, res->set, scan.pblk, 1, FS_META);
}
