// SPDX-License-Identifier: GPL-2.0-only
/*
 * fs/ against Debian's tools: tests/fs/fs_oracle.py builds ext4 images
 * (mkfs.ext4 -d: 64bit or not, extents or block maps, inline data, no
 * dir_index, an htree directory from e2fsck -D, an extent tree of depth 2) and
 * writes the sector sets debugfs gives (stat, imap, dirsearch); every case is
 * resolved here and must match each mask exactly. Plus the interval set and
 * hostile superblocks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <fs/fs.h>
#include <fs/ext4.h>

#define MAX_IV 65536

static int file_read(void *ctx, u64 sector, u32 count, void *buf)
{
	int fd = (int)(intptr_t)ctx;
	ssize_t n = pread(fd, buf, (size_t)count * FS_SECTOR_SIZE, sector * FS_SECTOR_SIZE);

	return n == (ssize_t)count * FS_SECTOR_SIZE ? 0 : -EIO;
}

static int open_dev(const char *img, struct fs_blockdev *dev)
{
	int fd = open(img, O_RDONLY);

	assert_true(fd >= 0);
	dev->read = file_read;
	dev->ctx = (void *)(intptr_t)fd;
	dev->nsectors = lseek(fd, 0, SEEK_END) / FS_SECTOR_SIZE;
	return fd;
}

/* The sectors of @s with bit @mask, merged, as "S C" lines into @out. */
static void extract(const struct fs_ivset *s, u64 mask, char *out, size_t len)
{
	u64 cs = 0, cc = 0;
	size_t o = 0;
	u32 i;

	out[0] = 0;
	for (i = 0; i <= s->n; i++) {
		bool has = i < s->n && (s->iv[i].mask & mask);

		if (has && cc && cs + cc == s->iv[i].start) {
			cc += s->iv[i].count;
			continue;
		}
		if (cc)
			o += snprintf(out + o, len - o, "%llu %llu\n", (unsigned long long)cs,
				      (unsigned long long)cc);
		cc = 0;
		if (has) {
			cs = s->iv[i].start;
			cc = s->iv[i].count;
		}
	}
}

static u8 scratch[EXT4_SCRATCH_SIZE(65536)];
static struct fs_iv ivs[MAX_IV];

static int resolve_ext4(const char *img, const char *path, struct fs_result *res,
			struct fs_ivset *set)
{
	struct fs_blockdev dev;
	struct fs_ext4 fs;
	int fd = open_dev(img, &dev), ret;

	fs_ivset_init(set, ivs, MAX_IV);
	memset(res, 0, sizeof(*res));
	res->set = set;
	ret = fs_ext4_mount(&fs, &dev, scratch, sizeof(scratch));
	assert_int_equal(ret, 0);
	ret = fs_ext4_resolve(&fs, path, res);
	close(fd);
	return ret;
}

static void test_ext4_images(void **state)
{
	static char want[3][1 << 20], got[1 << 20];
	const char *tags = "DMP";
	char line[1024], img[512], path[512], typ[32];
	FILE *f = fopen(FS_FIXTURES "/cases.txt", "r");
	unsigned int cases = 0, errs = 0, htree_dx = 0;
	size_t wl[3];

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		struct fs_result res;
		struct fs_ivset set;
		int e, k;

		if (sscanf(line, "err %511s %511s %d", img, path, &e) == 3) {
			assert_int_equal(resolve_ext4(img, path, &res, &set), -e);
			errs++;
			continue;
		}
		assert_int_equal(sscanf(line, "case %511s %511s %31s", img, path, typ), 3);
		wl[0] = wl[1] = wl[2] = 0;
		want[0][0] = want[1][0] = want[2][0] = 0;
		while (fgets(line, sizeof(line), f) && strcmp(line, "end\n")) {
			k = strchr(tags, line[0]) - tags;
			wl[k] += snprintf(want[k] + wl[k], sizeof(want[k]) - wl[k], "%s", line + 2);
		}
		e = resolve_ext4(img, path, &res, &set);
		if (e)
			fail_msg("%s %s: %d", img, path, e);
		assert_string_equal(typ, res.type == FS_TYPE_REG ? "reg" :
				    res.type == FS_TYPE_DIR ? "dir" :
				    res.type == FS_TYPE_SYMLINK ? "symlink" : "other");
		for (k = 0; k < 3; k++) {
			extract(&set, BIT(k), got, sizeof(got));
			if (strcmp(got, want[k]))
				fail_msg("%s %s mask %c:\ngot:\n%swant:\n%s", img, path, tags[k],
					 got, want[k]);
		}
		if (strstr(img, "htree") && strstr(path, "/many/"))
			htree_dx = res.dx_blocks;
		cases++;
	}
	fclose(f);
	printf("ext4: %u paths matched debugfs, %u refusals, htree index blocks seen: %u\n",
	       cases, errs, htree_dx);
	assert_true(cases >= 80);
	assert_true(htree_dx >= 2);	/* a root and at least one interior node */
}

static void test_ivset(void **state)
{
	struct fs_iv v[8];
	struct fs_ivset s;

	fs_ivset_init(&s, v, 8);
	assert_int_equal(fs_ivset_add(&s, 10, 10, 1), 0);
	assert_int_equal(fs_ivset_add(&s, 15, 10, 2), 0);
	assert_int_equal(fs_ivset_add(&s, 0, 5, 1), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(fs_ivset_lookup(&s, 9), 0);
	assert_int_equal(fs_ivset_lookup(&s, 10), 1);
	assert_int_equal(fs_ivset_lookup(&s, 15), 3);
	assert_int_equal(fs_ivset_lookup(&s, 19), 3);
	assert_int_equal(fs_ivset_lookup(&s, 20), 2);
	assert_int_equal(fs_ivset_lookup(&s, 25), 0);
	assert_int_equal(fs_ivset_sectors(&s, 2), 10);
	assert_int_equal(fs_ivset_sectors(&s, 1), 15);
	/* Filling the gap with mask 1 merges [0,15) into one interval. */
	assert_int_equal(fs_ivset_add(&s, 5, 5, 1), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.iv[0].start, 0);
	assert_int_equal(s.iv[0].count, 15);
	/* Covering everything with 3 leaves [0,25) as 3: one interval. */
	assert_int_equal(fs_ivset_add(&s, 0, 25, 3), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(fs_ivset_add(&s, ~0ull, 2, 1), -EINVAL);
	/* Full: refused, set unchanged. */
	assert_int_equal(fs_ivset_add(&s, 90, 200, 8), 0);
	assert_int_equal(fs_ivset_lookup(&s, 95), 8);
	assert_int_equal(s.n, 2);
	for (int i = 0; i < 3; i++)
		assert_int_equal(fs_ivset_add(&s, 300 + 10 * i, 1, 4), 0);
	assert_int_equal(s.n, 5);
	/* Inside [90,290) with a new mask: two splits, 7 of 8. */
	assert_int_equal(fs_ivset_add(&s, 100, 10, 16), 0);
	assert_int_equal(s.n, 7);
	assert_int_equal(fs_ivset_lookup(&s, 109), 24);
	assert_int_equal(fs_ivset_lookup(&s, 110), 8);
	/* Another would need 9: refused, nothing changed. */
	assert_int_equal(fs_ivset_add(&s, 200, 10, 16), -ENOSPC);
	assert_int_equal(s.n, 7);
	assert_int_equal(fs_ivset_lookup(&s, 200), 8);
	assert_int_equal(fs_ivset_add(&s, 600, 1, 4), 0);
	assert_int_equal(s.n, 8);
	assert_int_equal(fs_ivset_add(&s, 700, 1, 4), -ENOSPC);
	assert_int_equal(fs_ivset_add(&s, 600, 1, 4), 0);	/* already there: no growth */
	assert_int_equal(fs_ivset_add(&s, 100, 10, 8), 0);	/* no new bits: no growth */
	assert_int_equal(fs_ivset_lookup(&s, 700), 0);
}

static u8 mem_img[1 << 16];
static int mem_read(void *ctx, u64 sector, u32 count, void *buf)
{
	memcpy(buf, mem_img + sector * FS_SECTOR_SIZE, (size_t)count * FS_SECTOR_SIZE);
	return 0;
}

static void test_ext4_bad_superblock(void **state)
{
	struct fs_blockdev dev = { mem_read, NULL, sizeof(mem_img) / FS_SECTOR_SIZE };
	struct fs_ext4 fs;
	int fd, ret;

	/* Take a real superblock and break one field at a time. */
	fd = open(FS_FIXTURES "/e4-1k-32bit.img", O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, mem_img, sizeof(mem_img), 0), sizeof(mem_img));
	close(fd);
	dev.nsectors = 16384 * 2;	/* the 16 MiB image; reads past 64 KiB never happen here */
	assert_int_equal(fs_ext4_mount(&fs, &dev, scratch, sizeof(scratch)), 0);
	assert_int_equal(fs_ext4_mount(&fs, &dev, scratch, 1024), -ENOSPC);
	mem_img[1024 + 0x38] ^= 1;	/* magic */
	assert_int_equal(fs_ext4_mount(&fs, &dev, scratch, sizeof(scratch)), -EBADMSG);
	mem_img[1024 + 0x38] ^= 1;
	mem_img[1024 + 0x18] = 7;	/* 128 KiB blocks */
	assert_int_equal(fs_ext4_mount(&fs, &dev, scratch, sizeof(scratch)), -EBADMSG);
	mem_img[1024 + 0x18] = 0;
	mem_img[1024 + 0x62] |= 0x80;	/* an unknown incompat feature */
	assert_int_equal(fs_ext4_mount(&fs, &dev, scratch, sizeof(scratch)), -EOPNOTSUPP);
	mem_img[1024 + 0x62] &= ~0x80;
	mem_img[1024 + 0x60] |= 0x10;	/* meta_bg */
	assert_int_equal(fs_ext4_mount(&fs, &dev, scratch, sizeof(scratch)), -EOPNOTSUPP);
	mem_img[1024 + 0x60] &= ~0x10;
	dev.nsectors = 1000;		/* partition smaller than blocks_count */
	assert_int_equal(fs_ext4_mount(&fs, &dev, scratch, sizeof(scratch)), -EBADMSG);
	dev.nsectors = 3;
	ret = fs_ext4_mount(&fs, &dev, scratch, sizeof(scratch));
	assert_int_equal(ret, -EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ivset),
		cmocka_unit_test(test_ext4_images),
		cmocka_unit_test(test_ext4_bad_superblock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
