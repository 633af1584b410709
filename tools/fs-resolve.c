// SPDX-License-Identifier: GPL-2.0-only
/*
 * fs-resolve: what fs/ (the VMM's file-system resolution) answers for paths on
 * a disk image, for checking by hand and for tests.
 *
 *   fs-resolve [-o START_SECTOR -n SECTORS] IMAGE ext4|fat PATH...
 *
 * Prints per path the type, size and the sector intervals (relative to the
 * partition) with their masks: D data, M metadata, P path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fs/ext4.h>
#include <fs/fat.h>

struct part {
	int fd;
	u64 start;
};

static int part_read(void *ctx, u64 sector, u32 count, void *buf)
{
	const struct part *p = ctx;
	size_t len = (size_t)count * FS_SECTOR_SIZE;

	return pread(p->fd, buf, len, (p->start + sector) * FS_SECTOR_SIZE) == (ssize_t)len ?
	       0 : -EIO;
}

static const char *const type_name[] = { "other", "reg", "dir", "symlink" };

int main(int argc, char **argv)
{
	static u8 scratch[EXT4_SCRATCH_SIZE(65536)];
	static struct fs_iv ivs[1 << 16];
	struct part part = { -1, 0 };
	struct fs_blockdev dev = { part_read, &part, 0 };
	struct fs_ext4 e4;
	struct fs_fat fat;
	bool is_ext4;
	int opt, i, ret, bad = 0;
	u64 n = 0;

	while ((opt = getopt(argc, argv, "o:n:")) != -1) {
		if (opt == 'o')
			part.start = strtoull(optarg, NULL, 0);
		else if (opt == 'n')
			n = strtoull(optarg, NULL, 0);
		else
			return 2;
	}
	if (argc - optind < 3) {
		fprintf(stderr, "usage: fs-resolve [-o START -n SECTORS] IMAGE ext4|fat PATH...\n");
		return 2;
	}
	part.fd = open(argv[optind], O_RDONLY);
	if (part.fd < 0) {
		perror(argv[optind]);
		return 1;
	}
	dev.nsectors = n ? n : (u64)lseek(part.fd, 0, SEEK_END) / FS_SECTOR_SIZE - part.start;
	is_ext4 = !strcmp(argv[optind + 1], "ext4");
	ret = is_ext4 ? fs_ext4_mount(&e4, &dev, scratch, sizeof(scratch)) :
			fs_fat_mount(&fat, &dev, scratch, sizeof(scratch));
	if (ret) {
		fprintf(stderr, "fs-resolve: mount: %s\n", strerror(-ret));
		return 1;
	}
	for (i = optind + 2; i < argc; i++) {
		struct fs_result res = { 0 };
		struct fs_ivset set;
		u32 k;

		fs_ivset_init(&set, ivs, 1 << 16);
		res.set = &set;
		ret = is_ext4 ? fs_ext4_resolve(&e4, argv[i], &res) :
				fs_fat_resolve(&fat, argv[i], &res);
		if (ret) {
			printf("%s: error %s\n", argv[i], strerror(-ret));
			bad = 1;
			continue;
		}
		printf("%s: %s size %llu ino %llu%s\n", argv[i], type_name[res.type],
		       (unsigned long long)res.size, (unsigned long long)res.ino,
		       res.inline_data ? " inline" : "");
		for (k = 0; k < set.n; k++)
			printf("  %llu+%llu %s%s%s\n", (unsigned long long)set.iv[k].start,
			       (unsigned long long)set.iv[k].count,
			       set.iv[k].mask & FS_DATA ? "D" : "", set.iv[k].mask & FS_META ? "M" : "",
			       set.iv[k].mask & FS_PATH ? "P" : "");
	}
	return bad;
}
