/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * File-system resolution (fs/): from a path on a partition to the 512-byte
 * sectors that hold the file's data and the metadata that leads to it, for the
 * VMM's file access check (docs/filecheck.md). Arch-neutral and freestanding;
 * every structure read from the disk is hostile input: lengths, offsets and
 * counts are checked, every loop is bounded, and a failure is an error code,
 * never a partial answer.
 *
 * Error codes: -EIO the read callback failed or a sector lies outside the
 * partition; -EBADMSG corrupt or inconsistent metadata; -EOPNOTSUPP a feature
 * this layer does not parse; -ENOENT no such name; -ENOTDIR a path component
 * is not a directory; -ELOOP a path component is a symbolic link (never
 * followed); -EINVAL a path that is not absolute and canonical; -ENAMETOOLONG
 * a component over 255 bytes; -E2BIG the read budget of one resolution is
 * spent; -ENOSPC the caller's interval array is full.
 */
#ifndef FS_FS_H
#define FS_FS_H

#include <mamori/types.h>
#include <mamori/errno.h>

#define FS_SECTOR_SIZE		512u
/* Most metadata block reads one resolution may do (hostile images loop). */
#define FS_READ_BUDGET		65536u
#define FS_NAME_MAX		255u
#define FS_PATH_MAX		4096u

/*
 * struct fs_blockdev - where sectors come from (the raw disk, later the
 * disk-encryption layer). @read reads @count 512-byte sectors starting at
 * partition-relative @sector into @buf and returns 0 or a negative code;
 * @nsectors is the partition's size: nothing at or beyond it is read.
 */
struct fs_blockdev {
	int (*read)(void *ctx, u64 sector, u32 count, void *buf);
	void *ctx;
	u64 nsectors;
};

/* One interval [start, start+count) of sectors with a mask of caller bits. */
struct fs_iv {
	u64 start;
	u64 count;
	u64 mask;
};

/*
 * struct fs_ivset - disjoint intervals sorted by start, each with the OR of
 * the masks added over it; adjacent intervals with equal masks are merged.
 * The caller owns the array (@cap entries).
 */
struct fs_ivset {
	struct fs_iv *iv;
	u32 n;
	u32 cap;
};

/* fs_ivset_init - an empty set over @storage of @cap entries. */
void fs_ivset_init(struct fs_ivset *s, struct fs_iv *storage, u32 cap);
/*
 * fs_ivset_add - OR @mask into the sectors [@start, @start+@count). 0, or
 * -ENOSPC (set unchanged) when the array could overflow, -EINVAL on wrap.
 */
int fs_ivset_add(struct fs_ivset *s, u64 start, u64 count, u64 mask);
/* fs_ivset_lookup - the mask of @sector (0: in no interval). O(log n). */
u64 fs_ivset_lookup(const struct fs_ivset *s, u64 sector);
/*
 * fs_ivset_range - the OR of the masks over [@start, @start+@count).
 * O(log n + k), k the intervals the range meets.
 */
u64 fs_ivset_range(const struct fs_ivset *s, u64 start, u64 count);
/* fs_ivset_sectors - how many sectors carry any bit of @mask. */
u64 fs_ivset_sectors(const struct fs_ivset *s, u64 mask);

/* Mask bits a resolution puts into its set. */
#define FS_DATA		BIT(0)	/* the file's contents (inline data: its inode) */
#define FS_META		BIT(1)	/* inode, mapping, its entries; FAT: also its FAT sectors */
#define FS_PATH		BIT(2)	/* every directory traversed, whole (docs/filecheck.md) */

enum fs_type {
	FS_TYPE_OTHER = 0,
	FS_TYPE_REG,
	FS_TYPE_DIR,
	FS_TYPE_SYMLINK,	/* reported, never followed */
};

/* struct fs_result - one resolved path; @set is the caller's and is added to. */
struct fs_result {
	struct fs_ivset *set;
	enum fs_type type;
	u64 ino;		/* ext4 inode; FAT: first cluster */
	u64 size;
	bool inline_data;	/* ext4: the data lives in the inode */
	u32 dx_blocks;		/* ext4: htree index blocks recognized on the path */
};

/* fs_path_next - split the next component off *@p; its length, 0 at the end, <0 on a bad path. */
int fs_path_next(const char **p, const char **name);

#endif
