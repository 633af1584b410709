// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: fs/ on hostile images. The input patches one of two small
 * real images (tests/fs/mkfuzzbase.sh: ext4 with a depth-1 extent tree, a
 * symlink, a multi-block directory; FAT16 with a fragmented file and long
 * names), so the parsers get past the superblock/BPB and deep into inodes,
 * extent nodes, directories and FAT chains. Byte 0: bit 0 picks the image,
 * then records (3-byte offset, 1-byte length, bytes). Every read must be
 * inside the partition (the callback aborts otherwise), every error a known
 * code, and every answer a sorted disjoint set inside the partition.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fs/ext4.h>
#include <fs/fat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static u8 *base[2];
static size_t base_len[2];
static u8 *img;
static size_t img_len;

static int mem_read(void *ctx, u64 sector, u32 count, void *buf)
{
	if (sector * FS_SECTOR_SIZE + (u64)count * FS_SECTOR_SIZE > img_len)
		abort();	/* fs/ read past the partition: a bounds bug */
	memcpy(buf, img + sector * FS_SECTOR_SIZE, (size_t)count * FS_SECTOR_SIZE);
	return 0;
}

static void load(int i, const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/fs-base/%s", dir, name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz_fs: no %s (make builds it)\n", path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	base_len[i] = ftell(f);
	fseek(f, 0, SEEK_SET);
	base[i] = malloc(base_len[i]);
	if (fread(base[i], 1, base_len[i], f) != base_len[i])
		exit(1);
	fclose(f);
}

static int run_paths(int kind, const u8 *in, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *d = strdup((*argv)[0]), *dir = dirname(d);

	load(0, dir, "ext4.img");
	load(1, dir, "fat.img");
	free(d);
	/* Unpatched, every path resolves (or fails as designed): the fuzzer starts deep. */
	if (run_paths(0, NULL, 0) != 0x1f || run_paths(1, NULL, 0) != 0x1f) {
		fprintf(stderr, "fuzz_fs: the base images do not resolve\n");
		exit(1);
	}
	return 0;
}

static bool known(int r)
{
	return r == 0 || r == -EIO || r == -EBADMSG || r == -EOPNOTSUPP || r == -ENOENT ||
	       r == -ENOTDIR || r == -ELOOP || r == -E2BIG || r == -ENOSPC;
}

static void check_set(const struct fs_ivset *s, u64 nsect)
{
	u32 i;

	for (i = 0; i < s->n; i++) {
		const struct fs_iv *v = &s->iv[i];

		if (!v->count || !v->mask || v->start + v->count > nsect ||
		    (i && v->start < s->iv[i - 1].start + s->iv[i - 1].count))
			abort();
	}
}

/* Patch base[@kind] with the records in @in, resolve every path, undo. Bit p: path p resolved. */
static int run_paths(int kind, const u8 *in, size_t size)
{
	static const char *const paths[2][6] = {
		{ "/", "/a/b/file", "/frag", "/link", "/dir/f07", "/link/x" },
		{ "/", "/EFI/mamori/vmm.elf", "/A long name.txt", "/dir/F07.TXT", "/s1", "/x" },
	};
	static struct fs_iv ivs[4096];
	static u8 scratch[EXT4_SCRATCH_SIZE(65536)];
	static u8 undo[1 << 20];
	static struct { size_t off, len; } rec[1 << 16];
	struct fs_blockdev dev = { mem_read, NULL, 0 };
	size_t i = 0, u = 0, n = 0;
	int p, r, ok = 0;

	img = base[kind];
	img_len = base_len[kind];
	while (i + 4 <= size && n < (1 << 16)) {
		size_t off = (in[i] | in[i + 1] << 8 | (size_t)in[i + 2] << 16) % img_len;
		size_t len = in[i + 3];

		i += 4;
		len = len < size - i ? len : size - i;
		len = len < img_len - off ? len : img_len - off;
		if (u + len > sizeof(undo))
			break;
		memcpy(undo + u, img + off, len);
		rec[n].off = off;
		rec[n++].len = len;
		u += len;
		memcpy(img + off, in + i, len);
		i += len;
	}
	dev.nsectors = img_len / FS_SECTOR_SIZE;
	for (p = 0; p < 6; p++) {
		struct fs_result res = { 0 };
		struct fs_ivset set;
		struct fs_ext4 e4;
		struct fs_fat fat;

		fs_ivset_init(&set, ivs, 4096);
		res.set = &set;
		if (kind == 0) {
			r = fs_ext4_mount(&e4, &dev, scratch, sizeof(scratch));
			if (!r)
				r = fs_ext4_resolve(&e4, paths[0][p], &res);
		} else {
			r = fs_fat_mount(&fat, &dev, scratch, sizeof(scratch));
			if (!r)
				r = fs_fat_resolve(&fat, paths[1][p], &res);
		}
		if (!known(r))
			abort();
		check_set(&set, dev.nsectors);
		if (!r)
			ok |= 1 << p;
	}
	while (n--) {
		u -= rec[n].len;
		memcpy(img + rec[n].off, undo + u, rec[n].len);
	}
	return ok;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size)
		run_paths(data[0] & 1, data + 1, size - 1);
	return 0;
}
