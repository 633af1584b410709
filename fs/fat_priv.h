/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared by fs/fat.c and fs/fat_dir.c. */
#ifndef FS_FAT_PRIV_H
#define FS_FAT_PRIV_H

#include <fs/fat.h>
#include <mamori/string.h>

#define FAT_ATTR_VOLUME		0x08
#define FAT_ATTR_DIR		0x10
#define FAT_ATTR_LFN		0x0f
#define FAT_DIRENT		32

static inline u16 fat_le16(const u8 *p)
{
	return p[0] | (u16)p[1] << 8;
}

static inline u32 fat_le32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/* A directory: its first cluster, or 0 for the FAT16 root region. */
struct fat_node {
	u32 cluster;
	u32 attr;
	u64 size;
};

int fat_read(struct fs_fat *fs, u64 fsect, void *buf);
/* fat_next - the link after @cluster: next cluster, 0 at the end of the chain, <0 corrupt. */
s64 fat_next(struct fs_fat *fs, u32 cluster);
/* fat_cluster_sector - first FAT sector of @cluster (checked by the caller). */
static inline u64 fat_cluster_sector(const struct fs_fat *fs, u32 cluster)
{
	return fs->data_start + (u64)(cluster - 2) * fs->spc;
}
static inline int fat_add(const struct fs_fat *fs, struct fs_ivset *set, u64 fsect, u64 n, u64 mask)
{
	return fs_ivset_add(set, fsect * fs->spd, n * fs->spd, mask);
}
/* fat_chain - @first's clusters as @data_mask, their FAT sectors as @fat_mask; *@n clusters. */
int fat_chain(struct fs_fat *fs, u32 first, struct fs_ivset *set, u64 data_mask, u64 fat_mask,
	      u64 *n);
/* fat_dir_lookup - @name in @dir into *@child; its entry's sectors FS_META, @dir FS_PATH. */
int fat_dir_lookup(struct fs_fat *fs, const struct fat_node *dir, const char *name, u32 len,
		   struct fs_result *res, struct fat_node *child);

#endif
