/* SPDX-License-Identifier: GPL-2.0-only */
/* On-disk ext4 constants and helpers shared by fs/ext4*.c. */
#ifndef FS_EXT4_PRIV_H
#define FS_EXT4_PRIV_H

#include <fs/ext4.h>
#include <mamori/string.h>

#define EXT4_ROOT_INO		2
#define EXT4_GOOD_OLD_ISIZE	128

#define EXT4_INCOMPAT_COMPRESSION	0x1
#define EXT4_INCOMPAT_FILETYPE		0x2
#define EXT4_INCOMPAT_RECOVER		0x4
#define EXT4_INCOMPAT_JOURNAL_DEV	0x8
#define EXT4_INCOMPAT_META_BG		0x10
#define EXT4_INCOMPAT_EXTENTS		0x40
#define EXT4_INCOMPAT_64BIT		0x80
#define EXT4_INCOMPAT_MMP		0x100
#define EXT4_INCOMPAT_FLEX_BG		0x200
#define EXT4_INCOMPAT_EA_INODE		0x400
#define EXT4_INCOMPAT_DIRDATA		0x1000
#define EXT4_INCOMPAT_CSUM_SEED		0x2000
#define EXT4_INCOMPAT_LARGEDIR		0x4000
#define EXT4_INCOMPAT_INLINE_DATA	0x8000
#define EXT4_INCOMPAT_ENCRYPT		0x10000
#define EXT4_INCOMPAT_CASEFOLD		0x20000
#define EXT4_INCOMPAT_KNOWN (EXT4_INCOMPAT_FILETYPE | EXT4_INCOMPAT_RECOVER | \
	EXT4_INCOMPAT_EXTENTS | EXT4_INCOMPAT_64BIT | EXT4_INCOMPAT_MMP | \
	EXT4_INCOMPAT_FLEX_BG | EXT4_INCOMPAT_EA_INODE | EXT4_INCOMPAT_CSUM_SEED | \
	EXT4_INCOMPAT_LARGEDIR | EXT4_INCOMPAT_INLINE_DATA | EXT4_INCOMPAT_ENCRYPT | \
	EXT4_INCOMPAT_CASEFOLD)
#define EXT4_RO_COMPAT_BIGALLOC		0x200
#define EXT4_RO_COMPAT_METADATA_CSUM	0x400

#define EXT4_INDEX_FL		0x1000
#define EXT4_ENCRYPT_FL		0x800
#define EXT4_EXTENTS_FL		0x80000
#define EXT4_INLINE_DATA_FL	0x10000000
#define EXT4_CASEFOLD_FL	0x40000000

#define EXT4_S_IFMT		0xf000
#define EXT4_S_IFDIR		0x4000
#define EXT4_S_IFREG		0x8000
#define EXT4_S_IFLNK		0xa000

#define EXT4_I_BLOCK		0x28	/* i_block[15]: extent root or block map */
#define EXT4_I_BLOCK_LEN	60

static inline u16 le16(const u8 *p)
{
	return p[0] | (u16)p[1] << 8;
}

static inline u32 le32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/* A loaded inode: its number, the sectors holding it and a copy of its bytes. */
struct ext4_inode {
	u64 ino;
	u64 sector;
	u32 nsect;
	u8 *raw;		/* fs->inode_size bytes in scratch */
	u16 mode;
	u32 flags;
	u64 size;
};

/* Called per mapped run: @len blocks at logical @lblk, physical @pblk. >0 stops the walk. */
typedef int (*ext4_run_fn)(struct fs_ext4 *fs, void *arg, u64 lblk, u64 pblk, u32 len,
			   bool unwritten);

/* Scratch slots. */
u8 *ext4_block_buf(struct fs_ext4 *fs);
u8 *ext4_level_buf(struct fs_ext4 *fs, u32 level);
u8 *ext4_small_buf(struct fs_ext4 *fs);
u8 *ext4_inode_buf(struct fs_ext4 *fs, u32 which);

int ext4_read_block(struct fs_ext4 *fs, u64 pblk, void *buf);
int ext4_read_inode(struct fs_ext4 *fs, u64 ino, struct ext4_inode *in, u8 *raw);
/*
 * ext4_map_walk - every run of @in to @fn; the mapping blocks (extent nodes,
 * indirect blocks) into @set as @meta_mask.
 */
int ext4_map_walk(struct fs_ext4 *fs, const struct ext4_inode *in, struct fs_ivset *set,
		  u64 meta_mask, ext4_run_fn fn, void *arg);
/*
 * ext4_inline_value - the system.data in-inode xattr value of @in, or NULL
 * with *@len 0; -EBADMSG on a malformed xattr area.
 */
int ext4_inline_value(struct fs_ext4 *fs, const struct ext4_inode *in, const u8 **val, u32 *len);

/*
 * ext4_dir_lookup - @name in @dir: its inode in *@ino; the entry's block as
 * FS_META, the directory as FS_PATH.
 */
int ext4_dir_lookup(struct fs_ext4 *fs, const struct ext4_inode *dir, const char *name,
		    u32 len, struct fs_result *res, u64 *ino);

static inline int ext4_add_blocks(struct fs_ext4 *fs, struct fs_ivset *set, u64 pblk, u64 n,
				  u64 mask)
{
	return fs_ivset_add(set, pblk * fs->spb, n * fs->spb, mask);
}

#endif
