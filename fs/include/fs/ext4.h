/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ext2/3/4 resolution (fs/ext4.c, fs/ext4_map.c, fs/ext4_dir.c): superblock and
 * group descriptors (32- and 64-bit), inodes, extent trees and indirect block
 * maps, directories (linear blocks; htree indexed directories are read
 * linearly, their index blocks recognized and checked), inline data. See
 * docs/filecheck.md for what is refused.
 */
#ifndef FS_EXT4_H
#define FS_EXT4_H

#include <fs/fs.h>

#define EXT4_MAX_DEPTH		5	/* extent tree levels below the inode */
/* Scratch bytes a mount needs for block size @bs (up to 64 KiB). */
#define EXT4_SCRATCH_SIZE(bs)	((bs) * (EXT4_MAX_DEPTH + 4))

struct fs_ext4 {
	const struct fs_blockdev *dev;
	u8 *scratch;
	u32 scratch_len;
	u32 block_size;
	u32 spb;		/* sectors per block */
	u32 inode_size;
	u32 inodes_per_group;
	u32 desc_size;
	u32 incompat;
	u32 ro_compat;
	u64 blocks_count;
	u64 first_data_block;
	u64 groups;
	u64 inodes_count;
	bool needs_recovery;	/* journal not replayed: on-disk metadata may lag */
	u32 budget;		/* block reads left in this resolution */
};

/*
 * fs_ext4_mount - read and check the superblock on @dev. @scratch (at least
 * EXT4_SCRATCH_SIZE(block size) bytes, else -ENOSPC) stays in use until the
 * last call on @fs. 0 or an error code of fs/fs.h.
 */
int fs_ext4_mount(struct fs_ext4 *fs, const struct fs_blockdev *dev, void *scratch,
		  u32 scratch_len);
/*
 * fs_ext4_resolve - resolve absolute @path; add FS_DATA, FS_META and FS_PATH
 * sectors to @res->set and fill the rest of @res. A final symbolic link is
 * resolved as itself (FS_TYPE_SYMLINK); one in the middle is -ELOOP.
 * On error the set may hold part of the answer: discard it.
 */
int fs_ext4_resolve(struct fs_ext4 *fs, const char *path, struct fs_result *res);
/*
 * fs_ext4_resolve_inode - inode @ino by number (policy `file inode=N`): its
 * data (FS_DATA), inode and mapping blocks (FS_META); no directory entry, no
 * FS_PATH. A deleted inode (no links) is -EBADMSG.
 */
int fs_ext4_resolve_inode(struct fs_ext4 *fs, u64 ino, struct fs_result *res);

#endif
