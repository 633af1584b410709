/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * FAT16/FAT32 resolution (fs/fat.c, fs/fat_dir.c), for the ESP: BPB, FAT
 * chains (cycles, free, bad and out-of-range links are errors), directories
 * with long file names (a component matches the long name or the 8.3 alias,
 * ASCII case-insensitively, as Linux vfat with utf8 does). FAT12 is refused.
 * FS_DATA: the file's clusters; FS_META: its directory entry's sectors (8.3
 * and long-name slots) and the FAT sectors of its chain in every FAT copy;
 * FS_PATH: each traversed directory's clusters (or the FAT16 root region) and
 * the FAT sectors of its chain.
 */
#ifndef FS_FAT_H
#define FS_FAT_H

#include <fs/fs.h>

#define FAT_MAX_SECTOR		4096u
#define FAT_SCRATCH_SIZE	(2 * FAT_MAX_SECTOR)

struct fs_fat {
	const struct fs_blockdev *dev;
	u8 *scratch;		/* [FAT sector cache][directory sector] */
	u32 bits;		/* 16 or 32 */
	u32 bps;		/* bytes per FAT sector */
	u32 spd;		/* 512-byte sectors per FAT sector */
	u32 spc;		/* FAT sectors per cluster */
	u32 nfats;
	u32 active_fat;		/* the copy the driver reads (FAT32 mirroring off) */
	u64 fat_start;		/* all in FAT sectors */
	u64 fat_size;
	u64 root_start;		/* FAT16 root region */
	u64 root_sectors;
	u64 data_start;
	u64 clusters;		/* data clusters: numbered 2 .. clusters+1 */
	u32 root_cluster;	/* FAT32 */
	u64 cached;		/* FAT sector in the cache, ~0 none */
	u32 budget;
};

/* fs_fat_mount - read and check the BPB. @scratch: FAT_SCRATCH_SIZE bytes. */
int fs_fat_mount(struct fs_fat *fs, const struct fs_blockdev *dev, void *scratch, u32 scratch_len);
/* fs_fat_resolve - as fs_ext4_resolve; @res->ino is the first cluster (0: none). */
int fs_fat_resolve(struct fs_fat *fs, const char *path, struct fs_result *res);

#endif
