// SPDX-License-Identifier: GPL-2.0-only
/* ext4 block mapping: extent trees, indirect block maps, the inline-data xattr. */
#include "ext4_priv.h"

#define EXT4_EXT_MAGIC		0xf30a
#define EXT4_EXT_INIT_MAX	32768u

struct map_walk {
	struct fs_ivset *set;
	u64 meta_mask;
	ext4_run_fn fn;
	void *arg;
	u64 next_lblk;		/* runs must come in increasing, disjoint order */
	u64 nblocks;		/* indirect maps: blocks the size covers */
	u64 run_lblk, run_pblk;	/* indirect maps: the run being gathered */
	u32 run_len;
};

static bool ext4_pblk_ok(const struct fs_ext4 *fs, u64 pblk, u64 len)
{
	return pblk >= fs->first_data_block && pblk < fs->blocks_count &&
	       len <= fs->blocks_count - pblk;
}

static int ext4_meta_block(struct fs_ext4 *fs, struct map_walk *w, u64 pblk, u8 *buf)
{
	int ret;

	if (!ext4_pblk_ok(fs, pblk, 1))
		return -EBADMSG;
	ret = ext4_add_blocks(fs, w->set, pblk, 1, w->meta_mask);
	return ret ? ret : ext4_read_block(fs, pblk, buf);
}

static int ext4_leaf(struct fs_ext4 *fs, struct map_walk *w, const u8 *e)
{
	u32 lblk = le32(e), len = le16(e + 4);
	u64 pblk = le32(e + 8) | (u64)le16(e + 6) << 32;
	bool unwritten = len > EXT4_EXT_INIT_MAX;

	if (unwritten)
		len -= EXT4_EXT_INIT_MAX;
	if (!len || lblk < w->next_lblk || !ext4_pblk_ok(fs, pblk, len))
		return -EBADMSG;
	w->next_lblk = (u64)lblk + len;
	return w->fn(fs, w->arg, lblk, pblk, len, unwritten);
}

static int ext4_ext_node(struct fs_ext4 *fs, struct map_walk *w, const u8 *node, u32 node_len,
			 int depth)
{
	u16 entries = le16(node + 2), max = le16(node + 4), d = le16(node + 6);
	const u8 *e = node + 12;
	u32 i;
	int ret;

	if (le16(node) != EXT4_EXT_MAGIC || entries > max || 12 + 12 * (u32)max > node_len ||
	    d > EXT4_MAX_DEPTH || (depth >= 0 && d != depth))
		return -EBADMSG;
	for (i = 0; i < entries; i++, e += 12) {
		if (!d) {
			ret = ext4_leaf(fs, w, e);
		} else {
			u64 child = le32(e + 4) | (u64)le16(e + 8) << 32;
			u8 *buf = ext4_level_buf(fs, EXT4_MAX_DEPTH - d);

			ret = ext4_meta_block(fs, w, child, buf);
			if (!ret)
				ret = ext4_ext_node(fs, w, buf, fs->block_size, d - 1);
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int ext4_ind_flush(struct fs_ext4 *fs, struct map_walk *w)
{
	int ret = 0;

	if (w->run_len)
		ret = w->fn(fs, w->arg, w->run_lblk, w->run_pblk, w->run_len, false);
	w->run_len = 0;
	return ret;
}

static int ext4_ind_data(struct fs_ext4 *fs, struct map_walk *w, u64 lblk, u64 pblk)
{
	if (!ext4_pblk_ok(fs, pblk, 1))
		return -EBADMSG;
	if (w->run_len && w->run_lblk + w->run_len == lblk && w->run_pblk + w->run_len == pblk &&
	    w->run_len < (1u << 30)) {
		w->run_len++;
		return 0;
	}
	if (ext4_ind_flush(fs, w))
		return -EBADMSG;
	w->run_lblk = lblk;
	w->run_pblk = pblk;
	w->run_len = 1;
	return 0;
}

/* An indirect block of @level (1: pointers to data) covering logical blocks from @lblk. */
static int ext4_ind(struct fs_ext4 *fs, struct map_walk *w, u64 pblk, u32 level, u64 lblk)
{
	u32 per = fs->block_size / 4, i;
	u64 span = 1;
	u8 *buf = ext4_level_buf(fs, level - 1);
	int ret;

	for (i = 1; i < level; i++)
		span *= per;
	ret = ext4_meta_block(fs, w, pblk, buf);
	for (i = 0; !ret && i < per && lblk + i * span < w->nblocks; i++) {
		u64 p = le32(buf + 4 * i);

		if (!p)
			continue;
		if (level == 1)
			ret = ext4_ind_data(fs, w, lblk + i, p);
		else
			ret = ext4_ind(fs, w, p, level - 1, lblk + i * span);
	}
	return ret;
}

static int ext4_ind_walk(struct fs_ext4 *fs, struct map_walk *w, const u8 *ib)
{
	u64 per = fs->block_size / 4, lblk = 12, span = per;
	u32 i;
	int ret = 0;

	for (i = 0; i < 12 && !ret; i++) {
		u64 p = le32(ib + 4 * i);

		if (p)
			ret = ext4_ind_data(fs, w, i, p);
	}
	for (i = 0; i < 3 && !ret; i++) {
		u64 p = le32(ib + 4 * (12 + i));

		if (p && lblk < w->nblocks)
			ret = ext4_ind(fs, w, p, i + 1, lblk);
		lblk += span;
		span *= per;
	}
	return ret ? ret : ext4_ind_flush(fs, w);
}

int ext4_map_walk(struct fs_ext4 *fs, const struct ext4_inode *in, struct fs_ivset *set,
		  u64 meta_mask, ext4_run_fn fn, void *arg)
{
	struct map_walk w = { .set = set, .meta_mask = meta_mask, .fn = fn, .arg = arg };
	const u8 *ib = in->raw + EXT4_I_BLOCK;

	if (in->flags & EXT4_EXTENTS_FL)
		return ext4_ext_node(fs, &w, ib, EXT4_I_BLOCK_LEN, -1);
	w.nblocks = (in->size + fs->block_size - 1) / fs->block_size;
	return ext4_ind_walk(fs, &w, ib);
}

#define EXT4_XATTR_MAGIC	0xea020000u
#define EXT4_XATTR_SYSTEM	7

int ext4_inline_value(struct fs_ext4 *fs, const struct ext4_inode *in, const u8 **val, u32 *len)
{
	u32 start, end = fs->inode_size, off;

	*val = NULL;
	*len = 0;
	if (fs->inode_size <= EXT4_GOOD_OLD_ISIZE)
		return 0;
	start = EXT4_GOOD_OLD_ISIZE + le16(in->raw + 0x80);
	if (start + 4 > end || le32(in->raw + start) != EXT4_XATTR_MAGIC)
		return 0;
	start += 4;
	for (off = start; off + 4 <= end && le32(in->raw + off); ) {
		const u8 *e = in->raw + off;
		u32 nlen, voff, vsize;

		if (off + 16 > end)
			return -EBADMSG;
		nlen = e[0];
		voff = le16(e + 2);
		vsize = le32(e + 8);
		if (off + 16 + nlen > end)
			return -EBADMSG;
		if (e[1] == EXT4_XATTR_SYSTEM && nlen == 4 && !memcmp(e + 16, "data", 4)) {
			if (le32(e + 4) || voff > end - start || vsize > end - start - voff)
				return -EBADMSG;
			*val = in->raw + start + voff;
			*len = vsize;
			return 0;
		}
		off += (16 + nlen + 3) & ~3u;
	}
	return 0;
}
