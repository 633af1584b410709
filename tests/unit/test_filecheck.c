// SPDX-License-Identifier: GPL-2.0-only
/*
 * The file access check (vmm/filecheck*.c) on the images tests/fs/fs_oracle.py
 * builds: a FAT32 ESP (512-byte clusters, /EFI/mamori/vmm.elf fragmented) and
 * an ext4 file system, each placed at a partition offset in a fake disk the
 * check reads through its reader. The sectors each rule protects come from
 * the oracle's answers (cases.txt: debugfs/mtools), not from fs/; the
 * decisions, the audit and the re-resolution after a guest write are checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mamori/audit.h>
#include <mamori/boot_info.h>
#include <mamori/auth.h>
#include <mamori/disk.h>
#include <mamori/errno.h>
#include <mamori/filecheck.h>
#include <mamori/mm.h>
#include <mamori/policy.h>
#include <mamori/policy_boot.h>
#include <mamori/vmm.h>

#define PART		2048ULL		/* the partition's first LBA */

static u8 *disk;
static u64 disk_sectors;
static u32 reads;

/* VMM memory: a bump arena, as the VMM's never frees either. */
static u8 arena[24 << 20] __attribute__((aligned(4096)));
static size_t arena_used;

void *page_alloc(u32 n)
{
	void *p = arena + arena_used;

	if (arena_used + (size_t)n * 4096 > sizeof(arena))
		return NULL;
	arena_used += (size_t)n * 4096;
	memset(p, 0, (size_t)n * 4096);
	return p;
}

const struct disk *disk_find(u8 kind, u8 bus, u8 dev, u8 fn, u16 port, u32 unit)
{
	return NULL;
}

bool disk_touches(const struct disk *d, u64 lba, u64 nsect)
{
	return false;
}

int disk_crypt(const struct disk *d, u64 lba, u8 *buf, u64 nsect, bool encrypt)
{
	return -EIO;
}

/* The dialog (vmm/auth.c) stands in: a fixed answer, the questions recorded. */
static int auth_answer = AUTH_DENY;
static u32 auth_asked, auth_last_rule, auth_last_access;

int auth_request(u32 rule, const char *path, u32 access)
{
	auth_asked++;
	auth_last_rule = rule;
	auth_last_access = access;
	return auth_answer;
}

static int fake_read(void *ctx, u32 unit, u64 lba, u32 n, void *buf)
{
	reads++;
	if (lba + n > disk_sectors)
		return -EIO;
	memcpy(buf, disk + lba * 512, (size_t)n * 512);
	return 0;
}

static void put64(u8 *p, u64 v)
{
	memcpy(p, &v, 8);
}

/* A GPT header (CRCs not set: the loader checked them, the VMM does not). */
static void gpt_header(u64 my, u64 alt, u64 entries)
{
	u8 *h = disk + my * 512;
	u32 n = 128, sz = 128;

	memcpy(h, "EFI PART", 8);
	put64(h + 24, my);
	put64(h + 32, alt);
	put64(h + 72, entries);
	memcpy(h + 80, &n, 4);
	memcpy(h + 84, &sz, 4);
}

static u64 load(const char *name)
{
	char path[256];
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/%s", FS_FIXTURES, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	free(disk);
	disk_sectors = PART + (u64)len / 512 + 40;
	disk = calloc(disk_sectors, 512);
	assert_int_equal(fread(disk + PART * 512, 1, len, f), len);
	fclose(f);
	gpt_header(1, disk_sectors - 1, 2);
	gpt_header(disk_sectors - 1, 1, disk_sectors - 33);
	return (u64)len / 512;
}

/*
 * The oracle's sectors for @path on image @img of kind @kind ("D" data,
 * "M" meta, "P" path): cases.txt lines "<kind> <start> <count>" after the
 * case line. The first interval's start, and the total count.
 */
static u64 oracle(const char *img, const char *path, const char *kind, u64 *first)
{
	char line[4096], want[512], k[16];
	FILE *f = fopen(FS_FIXTURES "/cases.txt", "r");
	bool in = false;
	unsigned long long s, n;
	u64 total = 0;

	assert_non_null(f);
	*first = ~0ULL;
	snprintf(want, sizeof(want), "%s/%s\t%s\t", FS_FIXTURES, img, path);
	while (fgets(line, sizeof(line), f)) {
		if (in && !strncmp(line, "end", 3))
			break;
		if (!strncmp(line, "case\t", 5)) {
			if (in)
				break;
			in = strstr(line, want) != NULL;
			continue;
		}
		if (in && sscanf(line, "%15s %llu %llu", k, &s, &n) == 3 && !strcmp(k, kind)) {
			if (*first == ~0ULL)
				*first = s;
			total += n;
		}
	}
	fclose(f);
	return total;
}

static struct fc_disk *attach(void)
{
	filecheck_reset();
	arena_used = 0;		/* the disks' memory goes with them */
	return filecheck_attach(BOOT_DISK_ATA, 0, 1, 1, 0, 0, "ata0.0", fake_read, NULL);
}

static struct fc_rule rule(u8 action, const char *path, u64 nsect, bool ext4)
{
	struct fc_rule r = { .action = action, .ext4 = ext4, .part_start = PART,
			     .part_count = nsect };

	strncpy(r.path, path, sizeof(r.path) - 1);
	return r;
}

static enum fc_verdict decide(struct fc_disk *d, u64 rel, u64 n, bool write, u64 *hit)
{
	struct fc_decision dec;

	filecheck_decide(d, PART + rel, n, write, &dec);
	if (hit)
		*hit = dec.hit;
	return dec.verdict;
}

static const char *const elf = "/EFI/mamori/vmm.elf";
static const char *const lfn = "/EFI/mamori/A Very Long File Name with spaces.bin";

/* read-only vs deny vs unprotected on the ESP image, sectors from the oracle. */
static void test_fat_decisions(void **state)
{
	u64 n = load("fat32-512.img"), elf_data, elf_meta, deny_data, free_data, hit;
	struct fc_rule rules[2] = { rule(POLICY_FILE_READ_ONLY, elf, n, false),
				    rule(POLICY_FILE_DENY, lfn, n, false) };
	struct fc_disk *d = attach();
	const char *why = NULL;
	u32 bad = 99;

	assert_true(oracle("fat32-512.img", elf, "D", &elf_data) > 100);
	assert_true(oracle("fat32-512.img", elf, "M", &elf_meta) > 0);
	assert_true(oracle("fat32-512.img", lfn, "D", &deny_data) > 0);
	assert_true(oracle("fat32-512.img", "/lower.txt", "D", &free_data) > 0);
	assert_false(filecheck_active(d));
	assert_int_equal(filecheck_setup(rules, 2, &bad), 0);
	assert_true(filecheck_active(d));
	assert_int_equal(d->read_deny, BIT(1));
	/* read-only: read allowed (and audited as a hit), write and its entry refused */
	assert_int_equal(decide(d, elf_data, 1, false, &hit), FC_ALLOW);
	assert_int_equal(hit, BIT(0));
	assert_int_equal(decide(d, elf_data, 1, true, NULL), FC_REFUSE);
	assert_int_equal(decide(d, elf_meta, 1, true, NULL), FC_REFUSE);
	assert_int_equal(decide(d, elf_meta, 1, false, NULL), FC_ALLOW);
	/* deny: no read, also inside a larger range starting before it */
	assert_int_equal(decide(d, deny_data, 1, false, NULL), FC_REFUSE);
	assert_int_equal(decide(d, deny_data - 3, 4, false, NULL), FC_REFUSE);
	assert_int_equal(decide(d, deny_data, 1, true, NULL), FC_REFUSE);
	/* unprotected */
	assert_int_equal(decide(d, free_data, 1, false, &hit), FC_ALLOW);
	assert_int_equal(hit, 0);
	assert_int_equal(decide(d, free_data, 1, true, &hit), FC_ALLOW);
	assert_int_equal(hit, 0);
	/* the same through filecheck_io, the intercepts' entry */
	assert_int_equal(filecheck_io(d, PART + deny_data, 1, false, &why), -EACCES);
	assert_non_null(why);
	assert_int_equal(filecheck_io(d, PART + free_data, 1, true, &why), 0);
	/* a whole-partition dd reads the deny file too */
	assert_int_equal(filecheck_io(d, PART, n, false, &why), -EACCES);
}

/* The partition offset matters: the same relative sectors elsewhere on the disk are free. */
static void test_fat_offset(void **state)
{
	u64 n = load("fat32-512.img"), deny_data;
	struct fc_rule r = rule(POLICY_FILE_DENY, lfn, n, false);
	struct fc_disk *d = attach();
	u32 bad;

	oracle("fat32-512.img", lfn, "D", &deny_data);
	assert_int_equal(filecheck_setup(&r, 1, &bad), 0);
	assert_int_equal(decide(d, deny_data, 1, false, NULL), FC_REFUSE);
	assert_int_equal(decide(d, deny_data - PART, 1, false, NULL), FC_ALLOW);
}

/*
 * A rule that does not resolve because of the disk's content fences its
 * partition (review-3 F8; it stopped the boot before): reads and writes of a
 * deny rule's partition refused. One without a boot-time reader still fails.
 */
static void test_unresolvable(void **state)
{
	u64 n = load("fat32-512.img"), free_data;
	struct fc_rule rules[2] = { rule(POLICY_FILE_READ_ONLY, lfn, n, false),
				    rule(POLICY_FILE_DENY, "/EFI/mamori/nothing", n, false) };
	struct fc_rule on_ext4 = rule(POLICY_FILE_READ_ONLY, lfn, n, true);
	struct fc_disk *d = attach();
	const char *why;
	u32 bad = 99;

	oracle("fat32-512.img", "/lower.txt", "D", &free_data);
	assert_int_equal(filecheck_setup(rules, 2, &bad), 0);
	assert_int_equal(filecheck_io(d, PART + free_data, 1, false, &why), -EACCES);
	assert_int_equal(filecheck_io(d, PART + free_data, 1, true, &why), -EACCES);
	assert_int_equal(filecheck_io(d, PART - 1, 1, true, &why), 0);
	d = attach();
	assert_int_equal(filecheck_setup(&on_ext4, 1, &bad), 0);	/* -EBADMSG: fenced */
	assert_int_equal(filecheck_io(d, PART + free_data, 1, false, &why), 0);
	assert_int_equal(filecheck_io(d, PART + free_data, 1, true, &why), -EACCES);
	/* a disk without a boot-time reader (AHCI today) */
	filecheck_reset();
	filecheck_attach(BOOT_DISK_AHCI, 0, 2, 0, 0, 0, "ahci", NULL, NULL);
	assert_int_equal(filecheck_setup(rules, 1, &bad), -ENODEV);
}

/* The sector of the FAT32 root directory (chain from the BPB) at index @i, relative. */
static u64 root_sector(u32 i)
{
	const u8 *b = disk + PART * 512;
	u32 res = b[14] | b[15] << 8, nf = b[16], fsz, c;
	const u32 *fat = (const u32 *)(b + res * 512);

	memcpy(&fsz, b + 36, 4);
	memcpy(&c, b + 44, 4);
	assert_int_equal(b[13], 1);		/* one sector per cluster */
	while (i--) {
		c = fat[c] & 0x0fffffff;
		assert_true(c >= 2 && c < 0x0ffffff8);
	}
	return res + nf * fsz + (c - 2);
}

/*
 * A write to a directory on the path (FS_PATH, not the entry: allowed)
 * re-resolves the rules before the next command. Here it plants a second
 * "EFI" entry in the root (what a guest could do to steer the resolution):
 * the re-resolution fails (-EBADMSG), the disk is locked for writes, reads of
 * unprotected sectors still work, the deny file stays unreadable.
 */
static void test_reresolve_locks(void **state)
{
	u64 n = load("fat32-512.img"), deny_data, free_data, r0 = 0, r1;
	struct fc_rule r = rule(POLICY_FILE_DENY, lfn, n, false);
	struct fc_disk *d = attach();
	const char *why;
	u32 bad, before, len;
	u64 first, next;
	static char ring[AUDIT_LINES * AUDIT_LINE_MAX];

	oracle("fat32-512.img", lfn, "D", &deny_data);
	oracle("fat32-512.img", "/lower.txt", "D", &free_data);
	assert_int_equal(filecheck_setup(&r, 1, &bad), 0);
	r0 = root_sector(0);
	r1 = root_sector(1);
	assert_int_equal(decide(d, r0, 1, true, NULL), FC_REFUSE);	/* holds EFI's entry */
	assert_int_equal(filecheck_io(d, PART + r1, 1, true, &why), 0);	/* path only */
	assert_int_equal(d->stale, BIT(0));
	/* the guest's write lands: an unchanged sector re-resolves to the same answer */
	before = reads;
	assert_int_equal(filecheck_io(d, PART + free_data, 1, true, &why), 0);
	assert_true(reads > before);
	assert_false(d->locked);
	assert_int_equal(filecheck_io(d, PART + r1, 1, true, &why), 0);
	memcpy(disk + (PART + r1) * 512, disk + (PART + r0) * 512, 512);	/* the write */
	assert_int_equal(filecheck_io(d, PART + free_data, 1, true, &why), -EACCES);
	assert_true(d->locked);
	len = audit_read(0, ring, sizeof(ring) - 1, &first, &next);
	ring[len] = 0;
	assert_non_null(strstr(ring, "REFUSED write"));
	assert_non_null(strstr(ring, "; disk locked after a failed re-resolution"));
	assert_int_equal(filecheck_io(d, PART + free_data, 1, false, &why), 0);
	assert_int_equal(filecheck_io(d, PART + deny_data, 1, false, &why), -EACCES);
}

/* ext4: a deny rule by path and a read-only rule by inode; the inode's sector is protected. */
static void test_ext4(void **state)
{
	u64 n = load("e4-default.img"), data, meta, path, other, free_data;
	struct fc_rule rules[2] = { rule(POLICY_FILE_DENY, "/big/blob", n, true),
				    rule(POLICY_FILE_READ_ONLY, "(by inode)", n, true) };
	struct fc_disk *d = attach();
	u32 bad;

	rules[1].inode = 20;	/* /etc/deep/er/still/file.bin */
	assert_true(oracle("e4-default.img", "/big/blob", "D", &data) > 0);
	assert_true(oracle("e4-default.img", "/big/blob", "M", &meta) > 0);
	assert_true(oracle("e4-default.img", "/big/blob", "P", &path) > 0);
	assert_true(oracle("e4-default.img", "<20>", "D", &other) > 0);
	assert_int_equal(filecheck_setup(rules, 2, &bad), 0);
	assert_int_equal(decide(d, data, 1, false, NULL), FC_REFUSE);
	assert_int_equal(decide(d, meta, 1, true, NULL), FC_REFUSE);
	assert_int_equal(decide(d, other, 1, false, NULL), FC_ALLOW);
	assert_int_equal(decide(d, other, 1, true, NULL), FC_REFUSE);
	/* a traversed directory (FS_PATH): a write is allowed and watched */
	assert_true(oracle("e4-default.img", "/etc/passwd", "D", &free_data) > 0);
	assert_int_equal(decide(d, free_data, 1, true, NULL), FC_ALLOW);
	assert_int_equal(decide(d, free_data, 1, false, NULL), FC_ALLOW);
}

/*
 * require-auth: the dialog is asked (never for a deny rule), its answer
 * decides; pending and refused both fail the command; an allowed write marks
 * the rule for re-resolution. The audit ring holds the lines.
 */
static void test_require_auth(void **state)
{
	u64 n = load("fat32-512.img"), auth_data, deny_data, from = 0, first, next;
	struct fc_rule rules[2] = { rule(POLICY_FILE_DENY, elf, n, false),
				    rule(POLICY_FILE_REQUIRE_AUTH, lfn, n, false) };
	struct fc_disk *d = attach();
	const char *why = NULL;
	char ring[4096];
	u32 bad, len;

	audit_reset();
	oracle("fat32-512.img", lfn, "D", &auth_data);
	oracle("fat32-512.img", elf, "D", &deny_data);
	assert_int_equal(filecheck_setup(rules, 2, &bad), 0);
	auth_asked = 0;
	auth_answer = AUTH_PENDING;
	assert_int_equal(filecheck_io(d, PART + auth_data, 1, false, &why), -EACCES);
	assert_int_equal(auth_asked, 1);
	assert_int_equal(auth_last_rule, 1);
	assert_int_equal(auth_last_access, AUTH_READ);
	auth_answer = AUTH_DENY;
	assert_int_equal(filecheck_io(d, PART + auth_data, 1, false, &why), -EACCES);
	auth_answer = AUTH_ALLOW;
	assert_int_equal(filecheck_io(d, PART + auth_data, 1, false, &why), 0);
	assert_int_equal(filecheck_io(d, PART + auth_data, 1, true, &why), 0);
	assert_int_equal(auth_last_access, AUTH_WRITE);
	assert_int_equal(d->stale, BIT(1));
	/* a command touching a deny rule too: refused without asking */
	auth_asked = 0;
	assert_int_equal(filecheck_io(d, PART + deny_data, 1, false, &why), -EACCES);
	assert_int_equal(auth_asked, 0);
	len = audit_read(from, ring, sizeof(ring) - 1, &first, &next);
	ring[len] = 0;
	assert_non_null(strstr(ring, "REFUSED read LBA"));
	assert_non_null(strstr(ring, "dialog up: refused"));
	assert_non_null(strstr(ring, "allowed write"));
	assert_non_null(strstr(ring, "; session open"));
	assert_non_null(strstr(ring, "policy rule 0 (/EFI/mamori/vmm.elf)"));
	auth_answer = AUTH_DENY;
}


/* The entry of 8.3 name @name83 (11 bytes) in the partition, relative byte offset. */
static u64 fat_entry(const char *name83)
{
	u64 i;

	for (i = PART * 512; i + 32 <= disk_sectors * 512; i += 32)
		if (!memcmp(disk + i, name83, 11))
			return i;
	fail();
	return 0;
}

/*
 * review-3 F1 (a): the anchors the resolution starts from are protected:
 * the GPT (primary and backup header and entries, the protective MBR), the
 * FAT BPB and its backup. A rewritten BPB_RootClus is refused before it lands.
 */
static void test_anchors_fat(void **state)
{
	u64 n = load("fat32-512.img"), last = disk_sectors - 1;
	struct fc_rule r = rule(POLICY_FILE_READ_ONLY, elf, n, false);
	struct fc_disk *d = attach();
	const char *why = NULL;
	u32 bad;

	assert_int_equal(filecheck_setup(&r, 1, &bad), 0);
	assert_int_equal(filecheck_io(d, PART + 0, 1, true, &why), -EACCES);	/* BPB */
	assert_int_equal(filecheck_io(d, PART + 6, 1, true, &why), -EACCES);	/* backup */
	assert_int_equal(filecheck_io(d, 0, 1, true, &why), -EACCES);		/* MBR */
	assert_int_equal(filecheck_io(d, 1, 1, true, &why), -EACCES);		/* GPT */
	assert_int_equal(filecheck_io(d, 33, 1, true, &why), -EACCES);		/* entries */
	assert_int_equal(filecheck_io(d, last, 1, true, &why), -EACCES);	/* backup */
	assert_int_equal(filecheck_io(d, last - 32, 1, true, &why), -EACCES);
	/* reads of the anchors stay allowed; FSInfo (free-count hints) stays writable */
	assert_int_equal(filecheck_io(d, PART + 0, 1, false, &why), 0);
	assert_int_equal(filecheck_io(d, PART + 1, 1, true, &why), 0);
	assert_false(d->locked);
}

/* A disk without a valid backup GPT header (a grown image): still enforced. */
static void test_gpt_no_backup(void **state)
{
	u64 n = load("fat32-512.img"), last = disk_sectors - 1;
	struct fc_rule r = rule(POLICY_FILE_READ_ONLY, elf, n, false);
	struct fc_disk *d = attach();
	const char *why = NULL;
	u32 bad;

	memset(disk + last * 512, 0, 512);
	assert_int_equal(filecheck_setup(&r, 1, &bad), 0);
	assert_int_equal(filecheck_io(d, 1, 1, true, &why), -EACCES);
	assert_int_equal(filecheck_io(d, last, 1, true, &why), -EACCES);
}

/*
 * review-3 F1 (b): a re-resolution whose answer moved (here the entry of
 * vmm.elf now names /lower.txt's clusters: what a redirected directory would
 * give) fails closed: the disk is locked for writes, and the new answer is
 * not silently added as if it were the file.
 */
static void test_moved_answer_locks(void **state)
{
	u64 n = load("fat32-512.img"), e = fat_entry("VMM     ELF"), l = fat_entry("LOWER   TXT");
	u64 free_data;
	struct fc_rule r = rule(POLICY_FILE_READ_ONLY, elf, n, false);
	struct fc_disk *d = attach();
	const char *why = NULL;
	u32 bad;

	oracle("fat32-512.img", "/sp01", "D", &free_data);
	assert_int_equal(filecheck_setup(&r, 1, &bad), 0);
	memcpy(disk + e + 20, disk + l + 20, 2);	/* first cluster, high */
	memcpy(disk + e + 26, disk + l + 26, 6);	/* low and the size */
	d->stale = BIT(0);				/* as after a watched write */
	assert_int_equal(filecheck_io(d, PART + free_data, 1, true, &why), -EACCES);
	assert_true(d->locked);
}

/* review-3 F1 (a), ext4: a write of the superblock or group descriptors is watched. */
static void test_anchors_ext4(void **state)
{
	u64 n = load("e4-default.img");
	struct fc_rule r = rule(POLICY_FILE_DENY, "/big/blob", n, true);
	struct fc_disk *d = attach();
	const u8 *sb = disk + PART * 512 + 1024;
	u32 bs = 1024u << sb[24], fdb, it;
	u64 gdt;
	const char *why = NULL;
	u32 bad;

	memcpy(&fdb, sb + 20, 4);
	gdt = (u64)(fdb + 1) * (bs / 512);
	assert_int_equal(filecheck_setup(&r, 1, &bad), 0);
	assert_int_equal(filecheck_io(d, PART + 2, 1, true, &why), 0);
	assert_int_equal(d->stale, BIT(0));
	assert_int_equal(filecheck_io(d, PART + gdt, 1, true, &why), 0);
	assert_int_equal(d->stale, BIT(0));
	/* the guest moves group 0's inode table: the next command finds it, fail closed */
	memcpy(&it, disk + (PART + gdt) * 512 + 8, 4);
	it += 1;
	memcpy(disk + (PART + gdt) * 512 + 8, &it, 4);
	assert_int_equal(filecheck_io(d, PART + gdt, 1, true, &why), -EACCES);
	assert_true(d->locked);
}

/*
 * review-3 F7 (the firmware as the reader): for the built-in rule the
 * directories on the path are protected whole, so no duplicate "EFI" can be
 * planted in a root directory block for the firmware to find first.
 */
static void test_builtin_dirs_whole(void **state)
{
	u64 n = load("fat32-512.img");
	struct fc_rule r = rule(POLICY_FILE_READ_ONLY, elf, n, false);
	struct fc_disk *d = attach();
	const char *why = NULL;
	u32 bad;

	r.builtin = true;
	assert_int_equal(filecheck_setup(&r, 1, &bad), 0);
	assert_int_equal(filecheck_io(d, PART + root_sector(1), 1, true, &why), -EACCES);
	assert_int_equal(d->stale, 0);
}

/* review-3 F15: a locked disk refuses a write even when a session would allow it. */
static void test_locked_beats_session(void **state)
{
	u64 n = load("fat32-512.img"), auth_data;
	struct fc_rule r = rule(POLICY_FILE_REQUIRE_AUTH, lfn, n, false);
	struct fc_disk *d = attach();
	const char *why = NULL;
	u32 bad;

	oracle("fat32-512.img", lfn, "D", &auth_data);
	assert_int_equal(filecheck_setup(&r, 1, &bad), 0);
	d->locked = true;
	auth_answer = AUTH_ALLOW;
	auth_asked = 0;
	assert_int_equal(filecheck_io(d, PART + auth_data, 1, true, &why), -EACCES);
	assert_int_equal(auth_asked, 0);
	assert_int_equal(filecheck_io(d, PART + auth_data, 1, false, &why), 0);
	auth_answer = AUTH_DENY;
}

/*
 * review-3 F2: two disks re-resolving at once. The reader of disk A runs a
 * whole resolution on disk B in the middle of A's (what a second CPU does on
 * another channel); A's answer must still be the oracle's.
 */
int fc_resolves(struct fc_disk *d, const struct fc_rule *r);

static struct fc_disk *nest_b;
static struct fc_rule nest_rule;
static u32 nest_at;

static int nest_read(void *ctx, u32 unit, u64 lba, u32 n, void *buf)
{
	int rc = fake_read(ctx, unit, lba, n, buf);

	if (nest_b && nest_at && !--nest_at)
		assert_int_equal(fc_resolves(nest_b, &nest_rule), 0);
	return rc;
}

static void test_two_disks_at_once(void **state)
{
	u64 n = load("fat32-512.img"), elf_data, total, lfn_data;
	struct fc_rule r = rule(POLICY_FILE_READ_ONLY, elf, n, false);
	struct fc_disk *a, *b;
	u32 bad, k;

	total = oracle("fat32-512.img", elf, "D", &elf_data);
	oracle("fat32-512.img", lfn, "D", &lfn_data);
	for (k = 2; k < 40; k += 3) {
		filecheck_reset();
		arena_used = 0;
		a = filecheck_attach(BOOT_DISK_ATA, 0, 1, 1, 0, 0, "ata0.0", nest_read, NULL);
		b = filecheck_attach(BOOT_DISK_ATA, 0, 1, 1, 0, 1, "ata0.1", fake_read, NULL);
		nest_rule = rule(POLICY_FILE_DENY, "/many/file-number-036.txt", n, false);
		nest_rule.disk = 1;
		nest_b = b;
		nest_at = k;
		assert_int_equal(filecheck_setup(&r, 1, &bad), 0);
		nest_b = NULL;
		assert_int_equal(fs_ivset_sectors(&a->data, BIT(0)), total);
	}
}


/*
 * review-3 F10: a guest flooding refusals of one rule does not keep another
 * rule's refusal off the VMM log (the rate limit is per rule and direction).
 */
extern unsigned int stub_log_lines;

static void test_flood_hides_nothing(void **state)
{
	u64 n = load("fat32-512.img"), deny_data, elf_data;
	struct fc_rule rules[2] = { rule(POLICY_FILE_DENY, lfn, n, false),
				    rule(POLICY_FILE_READ_ONLY, elf, n, false) };
	struct fc_disk *d = attach();
	const char *why;
	u32 bad, i, before;

	oracle("fat32-512.img", lfn, "D", &deny_data);
	oracle("fat32-512.img", elf, "D", &elf_data);
	assert_int_equal(filecheck_setup(rules, 2, &bad), 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(filecheck_io(d, PART + deny_data, 1, false, &why), -EACCES);
	before = stub_log_lines;
	assert_int_equal(filecheck_io(d, PART + elf_data, 1, true, &why), -EACCES);
	assert_int_equal(stub_log_lines, before + 1);
}

/* ---- filecheck_boot(): the built-in rule and the policy's rules ---------- */
static struct policy test_pol;
static const struct policy *test_pol_active;

const struct policy *policy_active(void)
{
	return test_pol_active;
}

/* A boot_info with @nparts GPT partitions at PART (of @n sectors) on ata0.0. */
static void boot_parts(struct boot_info *bi, u32 nparts, u64 n)
{
	u32 i;

	memset(bi, 0, sizeof(*bi));
	bi->disk_count = nparts;
	for (i = 0; i < nparts; i++) {
		bi->disks[i].kind = BOOT_DISK_ATA;
		bi->disks[i].pci_dev = 1;
		bi->disks[i].pci_fn = 1;
		bi->disks[i].part_index = i + 1;
		bi->disks[i].lba_start = PART;
		bi->disks[i].lba_count = n;
	}
}

/* Plant a second "EFI" entry in the root (an allowed PATH write in an earlier boot). */
static void plant_dup(void)
{
	u64 r0 = root_sector(0), r1 = root_sector(1);

	memcpy(disk + (PART + r1) * 512, disk + (PART + r0) * 512, 512);
}

/*
 * review-3 F7: an ESP where vmm.elf fails to resolve with anything but
 * -ENOENT (a planted duplicate) is not "not Mamori's": it is fenced, every
 * write refused, reads served.
 */
static void test_boot_dup_esp(void **state)
{
	u64 n = load("fat32-512.img"), free_data, elf_data;
	struct boot_info bi;
	struct fc_disk *d;
	const char *why = NULL;

	oracle("fat32-512.img", "/sp01", "D", &free_data);
	oracle("fat32-512.img", elf, "D", &elf_data);
	plant_dup();
	d = attach();
	test_pol_active = NULL;
	boot_parts(&bi, 1, n);
	assert_int_equal(filecheck_boot(&bi), VMM_OK);
	assert_int_equal(filecheck_io(d, PART + elf_data, 1, true, &why), -EACCES);
	assert_int_equal(filecheck_io(d, PART + free_data, 1, true, &why), -EACCES);
	assert_int_equal(filecheck_io(d, PART + free_data, 1, false, &why), 0);
	assert_int_equal(filecheck_io(d, 1, 1, true, &why), -EACCES);	/* GPT */
}

/*
 * review-3 F8: a policy deny rule that no longer resolves (the guest planted
 * a duplicate on its path in an earlier boot) does not stop the boot: its
 * partition is fenced, reads and writes refused, no dialog.
 */
static void test_boot_unresolvable_fences(void **state)
{
	u64 n = load("fat32-512.img"), free_data, deny_data;
	struct boot_info bi;
	struct fc_disk *d;
	const char *why = NULL;

	oracle("fat32-512.img", "/sp01", "D", &free_data);
	oracle("fat32-512.img", lfn, "D", &deny_data);
	plant_dup();
	d = attach();
	memset(&test_pol, 0, sizeof(test_pol));
	test_pol.n_file = 1;
	test_pol.file[0].match = POLICY_FILE_PATH;
	test_pol.file[0].action = POLICY_FILE_DENY;
	test_pol.file[0].part = 1;
	strcpy(test_pol.file[0].pattern, lfn);
	test_pol_active = &test_pol;
	boot_parts(&bi, 1, n);
	assert_int_equal(filecheck_boot(&bi), VMM_OK);
	test_pol_active = NULL;
	assert_int_equal(filecheck_io(d, PART + deny_data, 1, false, &why), -EACCES);
	assert_int_equal(filecheck_io(d, PART + free_data, 1, false, &why), -EACCES);
	assert_int_equal(filecheck_io(d, PART + free_data, 1, true, &why), -EACCES);
	assert_int_equal(filecheck_io(d, PART - 1, 1, false, &why), 0);	/* outside */
}

/*
 * review-3 F17: each Mamori ESP gets a built-in rule per file it holds (the
 * fixture: vmm.elf and BOOTX64.EFI); five ESPs need ten. Seventeen need more
 * than the slots: the boot stops instead of leaving one unprotected.
 */
static void test_boot_many_esps(void **state)
{
	u64 n = load("fat32-512.img");
	struct boot_info bi;
	u32 i, got = 0;

	attach();
	test_pol_active = NULL;
	boot_parts(&bi, 5, n);
	assert_int_equal(filecheck_boot(&bi), VMM_OK);
	for (i = FC_BUILTIN_BIT; i < FC_RULES_MAX; i++)
		got += filecheck_rule(i) != NULL;
	assert_int_equal(got, 10);
	attach();
	boot_parts(&bi, 17, n);
	assert_int_not_equal(filecheck_boot(&bi), VMM_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fat_decisions),
		cmocka_unit_test(test_fat_offset),
		cmocka_unit_test(test_unresolvable),
		cmocka_unit_test(test_reresolve_locks),
		cmocka_unit_test(test_ext4),
		cmocka_unit_test(test_require_auth),
		cmocka_unit_test(test_anchors_fat),
		cmocka_unit_test(test_gpt_no_backup),
		cmocka_unit_test(test_moved_answer_locks),
		cmocka_unit_test(test_anchors_ext4),
		cmocka_unit_test(test_locked_beats_session),
		cmocka_unit_test(test_builtin_dirs_whole),
		cmocka_unit_test(test_two_disks_at_once),
		cmocka_unit_test(test_flood_hides_nothing),
		cmocka_unit_test(test_boot_dup_esp),
		cmocka_unit_test(test_boot_unresolvable_fences),
		cmocka_unit_test(test_boot_many_esps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
