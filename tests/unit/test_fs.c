// SPDX-License-Identifier: GPL-2.0-only
/*
 * fs/ against Debian's tools: tests/fs/fs_oracle.py builds ext4 images
 * (mkfs.ext4 -d: 64bit or not, extents or block maps, inline data, no
 * dir_index, an htree directory from e2fsck -D, an extent tree of depth 2) and
 * FAT16/FAT32 images (mkfs.vfat, mtools: long and Unicode names, a fragmented
 * file, 512 B and 4 KiB sectors) and writes the sector sets the tools give
 * (debugfs stat/imap/dirsearch; fsck.fat -v, mshowfat); every case is resolved
 * here and must match each mask exactly. Plus the interval set and hostile
 * superblocks/BPBs.
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
#include <fs/fat.h>

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

static int resolve(const char *kind, const char *img, const char *path, struct fs_result *res,
		   struct fs_ivset *set)
{
	struct fs_blockdev dev;
	struct fs_ext4 e4;
	struct fs_fat fat;
	int fd = open_dev(img, &dev), ret;

	fs_ivset_init(set, ivs, MAX_IV);
	memset(res, 0, sizeof(*res));
	res->set = set;
	if (!strcmp(kind, "ext4")) {
		ret = fs_ext4_mount(&e4, &dev, scratch, sizeof(scratch));
		assert_int_equal(ret, 0);
		ret = path[0] == '<' ? fs_ext4_resolve_inode(&e4, strtoull(path + 1, NULL, 10), res) :
				       fs_ext4_resolve(&e4, path, res);
	} else {
		ret = fs_fat_mount(&fat, &dev, scratch, sizeof(scratch));
		assert_int_equal(ret, 0);
		ret = fs_fat_resolve(&fat, path, res);
	}
	close(fd);
	return ret;
}

/* Split a tab-separated line in place into at most @n fields. */
static int fields(char *line, char **f, int n)
{
	int k = 0;

	line[strcspn(line, "\n")] = 0;
	while (k < n) {
		f[k++] = line;
		line = strchr(line, '\t');
		if (!line)
			break;
		*line++ = 0;
	}
	return k;
}

static void run_cases(const char *want_kind, unsigned int min_cases)
{
	static char want[3][1 << 20], got[1 << 20];
	const char *tags = "DMP";
	char head[2048], line[2048], *f[5];
	FILE *fp = fopen(FS_FIXTURES "/cases.txt", "r");
	unsigned int cases = 0, errs = 0, htree_dx = 0;
	size_t wl[3];

	assert_non_null(fp);
	while (fgets(head, sizeof(head), fp)) {
		struct fs_result res;
		struct fs_ivset set;
		bool mine;
		int e, k;

		assert_int_equal(fields(head, f, 5), 5);
		mine = !strcmp(f[1], want_kind);
		if (!strcmp(f[0], "err")) {
			if (mine) {
				assert_int_equal(resolve(f[1], f[2], f[3], &res, &set), -atoi(f[4]));
				errs++;
			}
			continue;
		}
		assert_string_equal(f[0], "case");
		wl[0] = wl[1] = wl[2] = 0;
		want[0][0] = want[1][0] = want[2][0] = 0;
		while (fgets(line, sizeof(line), fp) && strcmp(line, "end\n")) {
			k = strchr(tags, line[0]) - tags;
			wl[k] += snprintf(want[k] + wl[k], sizeof(want[k]) - wl[k], "%s", line + 2);
		}
		if (!mine)
			continue;
		e = resolve(f[1], f[2], f[3], &res, &set);
		if (e)
			fail_msg("%s %s: %d", f[2], f[3], e);
		assert_string_equal(f[4], res.type == FS_TYPE_REG ? "reg" :
				    res.type == FS_TYPE_DIR ? "dir" :
				    res.type == FS_TYPE_SYMLINK ? "symlink" : "other");
		for (k = 0; k < 3; k++) {
			extract(&set, BIT(k), got, sizeof(got));
			if (strcmp(got, want[k]))
				fail_msg("%s %s mask %c:\ngot:\n%swant:\n%s", f[2], f[3], tags[k],
					 got, want[k]);
		}
		if (strstr(f[2], "htree") && strstr(f[3], "/many/"))
			htree_dx = res.dx_blocks;
		cases++;
	}
	fclose(fp);
	printf("%s: %u paths matched the tools' answers, %u refusals, htree index blocks: %u\n",
	       want_kind, cases, errs, htree_dx);
	assert_true(cases >= min_cases);
	if (!strcmp(want_kind, "ext4"))
		assert_true(htree_dx >= 2);	/* a root and at least one interior node */
}

static u32 fat_le16_at(const u8 *p, u32 off)
{
	return p[off] | p[off + 1] << 8;
}

/* Resolve @path on the FAT image file @img (the first 4 MiB); the first cluster in *@first. */
static int fs_fat_resolve_file(const char *img, const char *path, struct fs_result *res, u32 *first)
{
	static struct fs_ivset set;	/* res->set stays valid after the call */
	int ret = resolve("fat", img, path, res, &set);

	*first = res->ino;
	return ret;
}

static void test_ext4_images(void **state)
{
	run_cases("ext4", 160);
}

static void test_fat_images(void **state)
{
	run_cases("fat", 45);
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

/* Random adds on small sets against a per-sector model; ASan sees overflows (exact-size arrays). */
static void test_ivset_model(void **state)
{
	unsigned int seed = 13, iter, op, refused = 0;

	for (iter = 0; iter < 20000; iter++) {
		u32 cap = 1 + rand_r(&seed) % 12, n0;
		struct fs_iv *st = malloc(cap * sizeof(*st));
		struct fs_ivset s;
		u64 model[64] = { 0 }, x;

		fs_ivset_init(&s, st, cap);
		for (op = 0; op < 20; op++) {
			u64 a = rand_r(&seed) % 64, c = 1 + rand_r(&seed) % (64 - a);
			u64 m = BIT(rand_r(&seed) % 3) | (rand_r(&seed) % 4 ? 0 : BIT(rand_r(&seed) % 3));
			int r;

			n0 = s.n;
			r = fs_ivset_add(&s, a, c, m);
			if (r == -ENOSPC) {
				assert_int_equal(s.n, n0);
				refused++;
			} else {
				assert_int_equal(r, 0);
				for (x = a; x < a + c; x++)
					model[x] |= m;
			}
			for (x = 0; x < 64; x++)
				assert_int_equal(fs_ivset_lookup(&s, x), model[x]);
			{	/* fs_ivset_range: the OR of the model over a random range */
				u64 ra = rand_r(&seed) % 70, rc = rand_r(&seed) % 70, want = 0;

				for (x = ra; x < ra + rc && x < 64; x++)
					want |= model[x];
				assert_int_equal(fs_ivset_range(&s, ra, rc), want);
				assert_int_equal(fs_ivset_range(&s, ra, ~0ULL),
						 fs_ivset_range(&s, ra, 64));
			}
			for (x = 1; x < s.n; x++) {
				assert_true(s.iv[x].start >= s.iv[x - 1].start + s.iv[x - 1].count);
				assert_false(s.iv[x].mask == s.iv[x - 1].mask &&
					     s.iv[x].start == s.iv[x - 1].start + s.iv[x - 1].count);
			}
		}
		free(st);
	}
	assert_true(refused > 1000);	/* the full-array path was exercised */
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

static void write_img(const char *path, const u8 *img, size_t len)
{
	FILE *o = fopen(path, "wb");

	assert_non_null(o);
	assert_int_equal(fwrite(img, 1, len, o), len);
	fclose(o);
}

/* A bad BPB, a FAT chain that loops, a link to a free cluster: errors, never a hang. */
static void test_fat_hostile(void **state)
{
	static const char path[] = FS_FIXTURES "/fat16-hostile.img";
	struct fs_blockdev dev = { mem_read, NULL, 20000 * 2 };
	static u8 img[20000 * 1024];
	struct fs_result res;
	struct fs_fat fs;
	u32 first, c, fat;
	int fd;

	fd = open(FS_FIXTURES "/fat16.img", O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, img, sizeof(img), 0), sizeof(img));
	close(fd);
	memcpy(mem_img, img, sizeof(mem_img));
	assert_int_equal(fs_fat_mount(&fs, &dev, scratch, sizeof(scratch)), 0);
	assert_int_equal(fs_fat_mount(&fs, &dev, scratch, FAT_SCRATCH_SIZE - 1), -ENOSPC);
	mem_img[510] = 0;
	assert_int_equal(fs_fat_mount(&fs, &dev, scratch, sizeof(scratch)), -EBADMSG);
	mem_img[510] = 0x55;
	mem_img[0x0b] = 0x00;
	mem_img[0x0c] = 0x03;				/* 768 bytes per sector */
	assert_int_equal(fs_fat_mount(&fs, &dev, scratch, sizeof(scratch)), -EBADMSG);
	mem_img[0x0c] = 0x02;
	mem_img[0x0d] = 3;				/* 3 sectors per cluster */
	assert_int_equal(fs_fat_mount(&fs, &dev, scratch, sizeof(scratch)), -EBADMSG);
	mem_img[0x0d] = img[0x0d];
	dev.nsectors = 1000;				/* volume larger than the partition */
	assert_int_equal(fs_fat_mount(&fs, &dev, scratch, sizeof(scratch)), -EBADMSG);

	fat = fat_le16_at(img, 0x0e) * 512;
	assert_int_equal(fs_fat_resolve_file(FS_FIXTURES "/fat16.img", "/EFI/mamori/vmm.elf",
					     &res, &c), 0);
	assert_true(c >= 2);
	/* vmm.elf's first link points back to itself: a cycle. */
	img[fat + 2 * c] = c & 0xff;
	img[fat + 2 * c + 1] = c >> 8;
	write_img(path, img, sizeof(img));
	assert_int_equal(fs_fat_resolve_file(path, "/EFI/mamori/vmm.elf", &res, &first), -EBADMSG);
	/* A link to a free cluster. */
	img[fat + 2 * c] = 0;
	img[fat + 2 * c + 1] = 0;
	write_img(path, img, sizeof(img));
	assert_int_equal(fs_fat_resolve_file(path, "/EFI/mamori/vmm.elf", &res, &first), -EBADMSG);
	/* Unchanged elsewhere: another file still resolves. */
	assert_int_equal(fs_fat_resolve_file(path, "/lower.txt", &res, &first), 0);
}

/* FAT32 with mirroring off reads the active copy: a broken FAT 0 no longer matters. */
static void test_fat32_active_fat(void **state)
{
	static const char path[] = FS_FIXTURES "/fat32-active.img";
	struct fs_blockdev dev;
	struct fs_result res;
	struct fs_fat fat;
	u32 c, fat0, n;
	size_t len;
	u8 *img;
	int fd;

	fd = open(FS_FIXTURES "/fat32-512.img", O_RDONLY);
	assert_true(fd >= 0);
	len = lseek(fd, 0, SEEK_END);
	img = malloc(len);
	assert_int_equal(pread(fd, img, len, 0), (ssize_t)len);
	close(fd);
	assert_int_equal(fs_fat_resolve_file(FS_FIXTURES "/fat32-512.img", "/EFI/mamori/vmm.elf",
					     &res, &c), 0);
	n = res.set->n;
	fat0 = fat_le16_at(img, 0x0e) * 512;
	memset(img + fat0 + 4 * c, 0, 4);		/* FAT 0: vmm.elf's first link freed */
	write_img(path, img, len);
	assert_int_equal(fs_fat_resolve_file(path, "/EFI/mamori/vmm.elf", &res, &c), -EBADMSG);
	img[0x28] = 0x81;				/* mirroring off, FAT 1 active */
	write_img(path, img, len);
	assert_int_equal(fs_fat_resolve_file(path, "/EFI/mamori/vmm.elf", &res, &c), 0);
	assert_int_equal(res.set->n, n);		/* the same answer, both copies in M */
	img[0x28] = 0x82;				/* FAT 2 of 2: refused at mount */
	write_img(path, img, len);
	fd = open_dev(path, &dev);
	assert_int_equal(fs_fat_mount(&fat, &dev, scratch, sizeof(scratch)), -EBADMSG);
	close(fd);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ivset),
		cmocka_unit_test(test_ivset_model),
		cmocka_unit_test(test_ext4_images),
		cmocka_unit_test(test_fat_images),
		cmocka_unit_test(test_ext4_bad_superblock),
		cmocka_unit_test(test_fat_hostile),
		cmocka_unit_test(test_fat32_active_fat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
