// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmm/disk.c on the host: the policy's disk rules resolved against a
 * hand-built boot_info disk table and fake disk intercepts, and disk_crypt()
 * against OpenSSL's EVP aes-256-xts (dm-crypt plain64: IV = sector LE).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <mamori/console.h>
#include <mamori/devices.h>
#include <mamori/auth.h>
#include <mamori/disk.h>
#include <mamori/errno.h>
#include <mamori/mm.h>
#include <mamori/policy.h>
#include <mamori/policy_boot.h>
#include <mamori/reset.h>
#include <crypto/xts.h>
#include <drivers/pci.h>

#define SECT		DISK_SECTOR
#define DISK0_SECTORS	100000ULL
#define P1_START	2048ULL
#define P1_COUNT	20480ULL
#define P2_START	22528ULL
#define P2_COUNT	40960ULL

/* ---- test doubles: the disk intercepts, their controllers, the page allocator */
struct fake_pci {
	u16 bdf;
	u8 kind;
};

/* In bus/device/function order, as the intercepts number their controllers. */
static const struct fake_pci fake_pci[] = {
	{ PCI_BDF(0, 1, 1), BOOT_DISK_ATA },	/* IDE controller 0 */
	{ PCI_BDF(0, 3, 0), BOOT_DISK_AHCI },	/* AHCI controller 0 */
	{ PCI_BDF(0, 5, 0), BOOT_DISK_ATA },	/* IDE controller 1 */
	{ PCI_BDF(2, 0, 0), BOOT_DISK_NVME },	/* NVMe controller 0 */
};
static u32 fake_pci_calls;

static int fake_nth(u8 kind, u32 index, u16 *bdf)
{
	u32 i;

	fake_pci_calls++;
	for (i = 0; i < ARRAY_SIZE(fake_pci); i++) {
		if (fake_pci[i].kind != kind || index--)
			continue;
		*bdf = fake_pci[i].bdf;
		return 0;
	}
	return -ENOENT;
}

static int fake_ata_ctl(u32 index, u16 *bdf)
{
	return fake_nth(BOOT_DISK_ATA, index, bdf);
}

static int fake_ahci_ctl(u32 index, u16 *bdf)
{
	return fake_nth(BOOT_DISK_AHCI, index, bdf);
}

static int fake_nvme_ctl(u32 index, u16 *bdf)
{
	return fake_nth(BOOT_DISK_NVME, index, bdf);
}

/* As drivers/platform.c: IDE controller 0 only, 4 AHCI HBAs, no NVMe unless a test adds it. */
static struct disk_intercept fake_ata = { "ata", BOOT_DISK_ATA, 1, fake_ata_ctl };
static struct disk_intercept fake_ahci = { "ahci", BOOT_DISK_AHCI, 4, fake_ahci_ctl };
static struct disk_intercept fake_nvme = { "nvme", BOOT_DISK_NVME, 1, fake_nvme_ctl };
static bool nvme_intercepted;

const struct disk_intercept *devices_disk_intercept(u8 kind)
{
	if (kind == BOOT_DISK_ATA)
		return &fake_ata;
	if (kind == BOOT_DISK_AHCI)
		return &fake_ahci;
	return kind == BOOT_DISK_NVME && nvme_intercepted ? &fake_nvme : NULL;
}

void *page_alloc(u32 n)
{
	void *p = aligned_alloc(PAGE_SIZE, n * PAGE_SIZE);

	if (p)
		memset(p, 0, n * PAGE_SIZE);
	return p;	/* the areas live for the whole test run, as in the VMM */
}

/* The policy's half of reset_wipe_secrets(), counted. */
static u32 policy_wipes;

void auth_wipe_secrets(void)
{
}

void policy_secrets_wipe_all(void)
{
	policy_wipes++;
}

/* The queued console: flushed after the wipe (the caller resets next). */
static u32 flushes_after_wipe;

void console_flush(void)
{
	flushes_after_wipe += reset_secrets_wiped();
}

/* ---- fixtures -------------------------------------------------------------- */
static struct boot_info bi;
static struct policy pol;
static struct policy_secrets sec;

static const u8 guid1[16] = { 0x11, 0x22, 0x33, 0x44, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1 };
static const u8 guid2[16] = { 0x11, 0x22, 0x33, 0x44, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 2 };

static void add_disk(u8 kind, u8 bus, u8 dev, u8 fn, u16 port, u32 unit, u32 part,
		     const u8 *guid, u64 start, u64 count, const char *model)
{
	struct boot_disk *d = &bi.disks[bi.disk_count++];

	*d = (struct boot_disk){ .kind = kind, .pci_bus = bus, .pci_dev = dev, .pci_fn = fn,
				 .port = port, .unit = unit, .part_index = part,
				 .lba_start = start, .lba_count = count };
	if (guid)
		memcpy(d->part_guid, guid, 16);
	strcpy(d->model, model);
	strcpy(d->serial, "QM00001");
}

static void add_key(const char *name, u16 len, u8 seed)
{
	struct policy_secret *s = &sec.s[sec.count++];
	u16 i;

	strcpy(s->name, name);
	s->kind = POLICY_SECRET_KEY;
	s->len = len;
	for (i = 0; i < len; i++)
		s->value[i] = (u8)(seed + i * 7);
}

/* Disks as the loader lists them: whole disks first, then partitions. */
static int setup(void **state)
{
	memset(&bi, 0, sizeof(bi));
	memset(&pol, 0, sizeof(pol));
	memset(&sec, 0, sizeof(sec));
	bi.cpu_count = 1;
	add_disk(BOOT_DISK_ATA, 0, 1, 1, 0, 0, 0, NULL, 0, DISK0_SECTORS, "QEMU HARDDISK");
	add_disk(BOOT_DISK_ATA, 0, 5, 0, 1, 1, 0, NULL, 0, 50000, "OTHER DISK");
	add_disk(BOOT_DISK_ATA, 0, 1, 1, 0, 0, 1, guid1, P1_START, P1_COUNT, "QEMU HARDDISK");
	add_disk(BOOT_DISK_ATA, 0, 1, 1, 0, 0, 2, guid2, P2_START, P2_COUNT, "QEMU HARDDISK");
	add_key("disk0", 64, 1);
	add_key("disk1", 64, 99);
	add_key("short", 32, 5);
	add_key("same", 64, 0);
	memset(sec.s[3].value + 32, 0, 32);
	memset(sec.s[3].value, 0, 32);
	fake_pci_calls = 0;
	fake_ata.controllers = 1;
	nvme_intercepted = false;
	return 0;
}

static struct policy_disk_rule *add_rule(u8 match, u16 ctl, u16 port, u32 unit, const char *key)
{
	struct policy_disk_rule *r = &pol.disk[pol.n_disk];

	*r = (struct policy_disk_rule){ .match = match, .cipher = POLICY_CIPHER_AES_XTS_PLAIN64,
					.controller = ctl, .port = port, .unit = unit,
					.origin = 2 + pol.n_disk };
	strcpy(r->key_id, key);
	pol.n_disk++;
	return r;
}

static void range_gpt_index(struct policy_disk_rule *r, u32 idx)
{
	r->range = POLICY_RANGE_GPT_INDEX;
	r->gpt_index = idx;
}

static void range_lba(struct policy_disk_rule *r, u64 start, u64 end)
{
	r->range = POLICY_RANGE_LBA;
	r->lba_start = start;
	r->lba_end = end;
}

static const struct disk *ata(u8 dev, u8 fn, u16 ch, u32 unit)
{
	return disk_find(BOOT_DISK_ATA, 0, dev, fn, ch, unit);
}

/* ---- resolution ------------------------------------------------------------ */
static void test_gpt_index(void **state)
{
	const struct disk *d;

	range_gpt_index(add_rule(POLICY_DISK_ATA, 0, 0, 0, "disk0"), 2);
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	d = ata(1, 1, 0, 0);
	assert_non_null(d);
	assert_string_equal(d->name, "ata0.0.0");
	assert_int_equal(d->controller, 0);
	assert_int_equal(d->nranges, 1);
	assert_int_equal(d->range[0].start, P2_START);
	assert_int_equal(d->range[0].end, P2_START + P2_COUNT);
	assert_int_equal(d->range[0].rule, 2);
	assert_null(ata(5, 0, 1, 1));
	assert_null(disk_find(BOOT_DISK_AHCI, 0, 1, 1, 0, 0));
}

static void test_gpt_guid(void **state)
{
	struct policy_disk_rule *r = add_rule(POLICY_DISK_ATA, 0, 0, 0, "disk0");
	const struct disk *d;

	r->range = POLICY_RANGE_GPT_GUID;
	memcpy(r->gpt_guid, guid1, 16);
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	d = ata(1, 1, 0, 0);
	assert_non_null(d);
	assert_int_equal(d->range[0].start, P1_START);
	assert_int_equal(d->range[0].end, P1_START + P1_COUNT);

	r->gpt_guid[15] = 9;	/* no partition has it: fail closed */
	assert_int_equal(disk_init(&bi, &pol, &sec), -ENOENT);
	assert_null(ata(1, 1, 0, 0));
}

static void test_lba(void **state)
{
	struct policy_disk_rule *r = add_rule(POLICY_DISK_ATA, 0, 0, 0, "disk0");
	const struct disk *d;

	range_lba(r, 70000, DISK0_SECTORS);
	r->iv_offset = 12345;
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	d = ata(1, 1, 0, 0);
	assert_non_null(d);
	assert_int_equal(d->range[0].start, 70000);
	assert_int_equal(d->range[0].end, DISK0_SECTORS);
	assert_int_equal(d->range[0].iv_offset, 12345);

	range_lba(r, 70000, DISK0_SECTORS + 1);	/* past the end of the disk */
	assert_int_equal(disk_init(&bi, &pol, &sec), -EINVAL);
	assert_null(ata(1, 1, 0, 0));
}

static void test_identity(void **state)
{
	struct policy_disk_rule *r = add_rule(POLICY_DISK_IDENTITY, 0, 0, 0, "disk0");
	const struct disk *d;

	strcpy(r->model, " QEMU HARDDISK  ");	/* compared trimmed */
	range_gpt_index(r, 1);
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	d = ata(1, 1, 0, 0);
	assert_non_null(d);
	assert_int_equal(d->range[0].start, P1_START);

	strcpy(r->serial, "QM00002");	/* model matches, serial does not: inactive */
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	assert_null(ata(1, 1, 0, 0));

	strcpy(r->serial, "QM00001");
	strcpy(r->model, "QEMU");	/* a prefix is not a match */
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	assert_null(ata(1, 1, 0, 0));
}

static void test_absent_disk_inactive(void **state)
{
	fake_ata.controllers = 3;
	range_gpt_index(add_rule(POLICY_DISK_ATA, 0, 1, 0, "disk0"), 2);	/* no ch1 master */
	range_gpt_index(add_rule(POLICY_DISK_ATA, 2, 0, 0, "disk0"), 2);	/* no 3rd IDE */
	range_gpt_index(add_rule(POLICY_DISK_AHCI, 0, 4, 0, "disk0"), 2);	/* no disk */
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	assert_null(ata(1, 1, 1, 0));
	assert_null(ata(1, 1, 0, 0));
	assert_null(disk_find(BOOT_DISK_AHCI, 0, 3, 0, 4, 0));
	assert_true(fake_pci_calls > 0);
}

static void test_missing_partition_fails(void **state)
{
	range_gpt_index(add_rule(POLICY_DISK_ATA, 0, 0, 0, "disk0"), 2);
	range_gpt_index(add_rule(POLICY_DISK_ATA, 0, 0, 0, "disk0"), 3);
	assert_int_equal(disk_init(&bi, &pol, &sec), -ENOENT);
	/* Nothing half-resolved stays behind. */
	assert_null(ata(1, 1, 0, 0));
	/* The other disk has no partition table at all. */
	fake_ata.controllers = 2;
	pol.n_disk = 0;
	range_gpt_index(add_rule(POLICY_DISK_ATA, 1, 1, 1, "disk0"), 1);
	assert_int_equal(disk_init(&bi, &pol, &sec), -ENOENT);
}

static void test_overlap_fails(void **state)
{
	struct policy_disk_rule *r;

	range_gpt_index(add_rule(POLICY_DISK_ATA, 0, 0, 0, "disk0"), 2);
	range_lba(add_rule(POLICY_DISK_ATA, 0, 0, 0, "disk1"), P2_START + P2_COUNT - 1,
		  P2_START + P2_COUNT + 10);
	assert_int_equal(disk_init(&bi, &pol, &sec), -EINVAL);
	assert_null(ata(1, 1, 0, 0));

	/* Adjacent is fine, and ranges are kept sorted. */
	range_lba(&pol.disk[1], P2_START + P2_COUNT, P2_START + P2_COUNT + 10);
	range_lba(add_rule(POLICY_DISK_ATA, 0, 0, 0, "disk1"), 0, P1_START);
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	assert_int_equal(ata(1, 1, 0, 0)->nranges, 3);
	assert_int_equal(ata(1, 1, 0, 0)->range[0].start, 0);
	assert_int_equal(ata(1, 1, 0, 0)->range[1].start, P2_START);
	assert_int_equal(ata(1, 1, 0, 0)->range[2].start, P2_START + P2_COUNT);

	/* The same partition named by position and by identity. */
	pol.n_disk = 1;
	r = add_rule(POLICY_DISK_IDENTITY, 0, 0, 0, "disk1");
	strcpy(r->serial, "QM00001");
	strcpy(r->model, "QEMU HARDDISK");
	range_gpt_index(r, 2);
	assert_int_equal(disk_init(&bi, &pol, &sec), -EINVAL);
}

static void test_controller_order(void **state)
{
	const struct disk *d;

	fake_ata.controllers = 2;
	nvme_intercepted = true;
	add_disk(BOOT_DISK_ATA, 0, 5, 0, 1, 1, 1, guid1, 100, 200, "OTHER DISK");
	range_gpt_index(add_rule(POLICY_DISK_ATA, 1, 1, 1, "disk1"), 1);
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	d = ata(5, 0, 1, 1);
	assert_non_null(d);
	assert_int_equal(d->controller, 1);
	assert_string_equal(d->name, "ata1.1.1");
	assert_int_equal(d->range[0].start, 100);
	assert_int_equal(d->range[0].end, 300);
	assert_null(ata(1, 1, 1, 1));	/* controller 0's ch1 slave: not it */

	/* An identity rule gets its controller index from the scan as well. */
	pol.n_disk = 0;
	strcpy(add_rule(POLICY_DISK_IDENTITY, 0, 0, 0, "disk0")->model, "OTHER DISK");
	range_lba(&pol.disk[0], 0, 10);
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	assert_string_equal(ata(5, 0, 1, 1)->name, "ata1.1.1");

	/* AHCI and NVMe controllers have their own numbering. */
	pol.n_disk = 0;
	add_disk(BOOT_DISK_AHCI, 0, 3, 0, 5, 0, 0, NULL, 0, 1000, "SATA DISK");
	add_disk(BOOT_DISK_NVME, 2, 0, 0, 0, 1, 0, NULL, 0, 1000, "");
	range_lba(add_rule(POLICY_DISK_AHCI, 0, 5, 0, "disk0"), 0, 10);
	range_lba(add_rule(POLICY_DISK_NVME, 0, 0, 1, "disk0"), 0, 10);
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	assert_string_equal(disk_find(BOOT_DISK_AHCI, 0, 3, 0, 5, 0)->name, "ahci0.5");
	assert_string_equal(disk_find(BOOT_DISK_NVME, 2, 0, 0, 0, 1)->name, "nvme0n1");
}

/* Rules no intercept would enforce are refused, present disk or not. */
static void test_unenforceable_refused(void **state)
{
	struct policy_disk_rule *r;

	/* NVMe has no intercept: refused with or without an NVMe disk. */
	range_lba(add_rule(POLICY_DISK_NVME, 0, 0, 1, "disk0"), 0, 10);
	assert_int_equal(disk_init(&bi, &pol, &sec), -EPERM);
	add_disk(BOOT_DISK_NVME, 2, 0, 0, 0, 1, 0, NULL, 0, 1000, "");
	assert_int_equal(disk_init(&bi, &pol, &sec), -EPERM);
	assert_null(disk_find(BOOT_DISK_NVME, 2, 0, 0, 0, 1));

	/* The second IDE controller is present but not intercepted; a third is absent. */
	pol.n_disk = 0;
	range_gpt_index(add_rule(POLICY_DISK_ATA, 0, 0, 0, "disk0"), 2);
	range_lba(add_rule(POLICY_DISK_ATA, 1, 1, 1, "disk0"), 0, 10);
	assert_int_equal(disk_init(&bi, &pol, &sec), -EPERM);
	assert_null(ata(1, 1, 0, 0));		/* nothing half-resolved stays behind */
	assert_null(ata(5, 0, 1, 1));
	pol.disk[1].controller = 2;
	assert_int_equal(disk_init(&bi, &pol, &sec), -EPERM);
	/* AHCI beyond the HBAs the intercept takes over. */
	pol.n_disk = 0;
	range_lba(add_rule(POLICY_DISK_AHCI, 4, 0, 0, "disk0"), 0, 10);
	assert_int_equal(disk_init(&bi, &pol, &sec), -EPERM);

	/* An identity rule that matches a disk on the second IDE controller... */
	pol.n_disk = 0;
	r = add_rule(POLICY_DISK_IDENTITY, 0, 0, 0, "disk0");
	strcpy(r->model, "OTHER DISK");
	range_lba(r, 0, 10);
	assert_int_equal(disk_init(&bi, &pol, &sec), -EPERM);
	assert_null(ata(5, 0, 1, 1));
	/* ...or an NVMe namespace with that serial. */
	strcpy(bi.disks[bi.disk_count - 1].serial, "NVME-SERIAL");
	strcpy(r->model, "");
	strcpy(r->serial, "NVME-SERIAL");
	assert_int_equal(disk_init(&bi, &pol, &sec), -EPERM);
	/* Matching nothing, it stays inactive. */
	strcpy(r->serial, "NOBODY");
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
}

/* After the device phase every disk with encrypted ranges must have been claimed. */
static void test_coverage(void **state)
{
	const struct disk *d;

	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	assert_int_equal(disk_check_coverage(), 0);		/* no rules, nothing to serve */

	range_gpt_index(add_rule(POLICY_DISK_ATA, 0, 0, 0, "disk0"), 2);
	range_lba(add_rule(POLICY_DISK_AHCI, 0, 5, 0, "disk0"), 0, 10);
	add_disk(BOOT_DISK_AHCI, 0, 3, 0, 5, 0, 0, NULL, 0, 1000, "SATA DISK");
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	assert_int_equal(disk_check_coverage(), -EPERM);	/* nobody claimed anything */

	/* A claim of a disk without ranges is a pass-through binding, no coverage. */
	assert_null(disk_claim(BOOT_DISK_ATA, 0, 1, 1, 1, 0, "ata"));
	d = disk_claim(BOOT_DISK_ATA, 0, 1, 1, 0, 0, "ata");
	assert_non_null(d);
	assert_ptr_equal(d, ata(1, 1, 0, 0));
	assert_string_equal(d->owner, "ata");
	assert_int_equal(disk_check_coverage(), -EPERM);	/* the AHCI disk: unclaimed */
	assert_non_null(disk_claim(BOOT_DISK_AHCI, 0, 3, 0, 5, 0, "ahci"));
	assert_int_equal(disk_check_coverage(), 0);

	/* A new resolution forgets the claims. */
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	assert_null(ata(1, 1, 0, 0)->owner);
	assert_int_equal(disk_check_coverage(), -EPERM);
}

static void test_bad_keys(void **state)
{
	struct policy_disk_rule *r = add_rule(POLICY_DISK_ATA, 0, 0, 0, "nokey");

	range_gpt_index(r, 2);
	assert_int_equal(disk_init(&bi, &pol, &sec), -EINVAL);
	strcpy(r->key_id, "short");
	assert_int_equal(disk_init(&bi, &pol, &sec), -EINVAL);
	strcpy(r->key_id, "same");	/* Key1 == Key2 */
	assert_int_equal(disk_init(&bi, &pol, &sec), -EINVAL);
	assert_null(ata(1, 1, 0, 0));
	/* A missing key fails even when the rule's disk is absent. */
	r->port = 1;
	strcpy(r->key_id, "nokey");
	assert_int_equal(disk_init(&bi, &pol, &sec), -EINVAL);
	assert_int_equal(disk_init(&bi, &pol, NULL), -EINVAL);
}

static void test_no_rules(void **state)
{
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	assert_null(ata(1, 1, 0, 0));
	assert_int_equal(disk_init(&bi, NULL, NULL), 0);
}

static void test_touches(void **state)
{
	const struct disk *d;

	range_gpt_index(add_rule(POLICY_DISK_ATA, 0, 0, 0, "disk0"), 2);
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	d = ata(1, 1, 0, 0);
	assert_false(disk_touches(d, 0, P2_START));
	assert_true(disk_touches(d, 0, P2_START + 1));
	assert_true(disk_touches(d, P2_START + P2_COUNT - 1, 1));
	assert_false(disk_touches(d, P2_START + P2_COUNT, 100));
	assert_false(disk_touches(d, P2_START, 0));
	assert_true(disk_touches(d, 1, ~0ULL));
	assert_false(disk_touches(NULL, P2_START, 1));
}

/* ---- disk_crypt() against OpenSSL ------------------------------------------- */
static void ossl_sector(const u8 *key, u64 iv_sector, const u8 *in, u8 *out, bool enc)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	u8 iv[16] = { 0 };
	int len, i;

	for (i = 0; i < 8; i++)
		iv[i] = (u8)(iv_sector >> (8 * i));
	assert_non_null(ctx);
	assert_int_equal(EVP_CipherInit_ex(ctx, EVP_aes_256_xts(), NULL, key, iv, enc), 1);
	assert_int_equal(EVP_CipherUpdate(ctx, out, &len, in, SECT), 1);
	assert_int_equal(len, SECT);
	EVP_CIPHER_CTX_free(ctx);
}

/*
 * Two ranges: partition 2 (key disk0, IV from 0) and [70000, 70016) (key
 * disk1, iv-offset 1000). Requests straddle both ends of each.
 */
static void check_crypt(const struct disk *d, u64 lba, u64 n)
{
	u8 *plain = malloc(n * SECT), *buf = malloc(n * SECT), *want = malloc(n * SECT);
	u64 i, s;

	assert_non_null(plain);
	assert_non_null(buf);
	assert_non_null(want);
	for (i = 0; i < n * SECT; i++)
		plain[i] = (u8)(rand() >> 7);
	for (i = 0; i < n; i++) {
		s = lba + i;
		if (s >= P2_START && s < P2_START + P2_COUNT)
			ossl_sector(sec.s[0].value, s - P2_START, plain + i * SECT,
				    want + i * SECT, true);
		else if (s >= 70000 && s < 70016)
			ossl_sector(sec.s[1].value, s - 70000 + 1000, plain + i * SECT,
				    want + i * SECT, true);
		else
			memcpy(want + i * SECT, plain + i * SECT, SECT);
	}
	memcpy(buf, plain, n * SECT);
	assert_int_equal(disk_crypt(d, lba, buf, n, true), 0);
	assert_memory_equal(buf, want, n * SECT);
	assert_int_equal(disk_crypt(d, lba, buf, n, false), 0);
	assert_memory_equal(buf, plain, n * SECT);
	free(plain);
	free(buf);
	free(want);
}

static void test_crypt_vs_openssl(void **state)
{
	struct policy_disk_rule *r;
	const struct disk *d;

	range_gpt_index(add_rule(POLICY_DISK_ATA, 0, 0, 0, "disk0"), 2);
	r = add_rule(POLICY_DISK_ATA, 0, 0, 0, "disk1");
	range_lba(r, 70000, 70016);
	r->iv_offset = 1000;
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	d = ata(1, 1, 0, 0);
	assert_non_null(d);
	srand(6);
	check_crypt(d, P2_START - 5, 12);		/* into partition 2 */
	check_crypt(d, P2_START + P2_COUNT - 3, 8);	/* out of it */
	check_crypt(d, P2_START + 1000, 256);		/* wholly inside, 128 KiB */
	check_crypt(d, 69990, 40);			/* across the whole LBA range */
	check_crypt(d, P2_START + P2_COUNT - 2, 70020 - (P2_START + P2_COUNT - 2));
	check_crypt(d, 0, 64);				/* outside: untouched */
	check_crypt(d, 70015, 1);
}

static void test_crypt_outside_is_noop(void **state)
{
	u8 buf[4 * SECT], orig[4 * SECT];
	const struct disk *d;
	u32 i;

	range_gpt_index(add_rule(POLICY_DISK_ATA, 0, 0, 0, "disk0"), 2);
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	d = ata(1, 1, 0, 0);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = orig[i] = (u8)(i * 31);
	assert_int_equal(disk_crypt(d, P2_START - 4, buf, 4, true), 0);
	assert_memory_equal(buf, orig, sizeof(buf));
	assert_int_equal(disk_crypt(d, P2_START + P2_COUNT, buf, 4, false), 0);
	assert_memory_equal(buf, orig, sizeof(buf));
	assert_int_equal(disk_crypt(NULL, P2_START, buf, 4, true), 0);
	assert_memory_equal(buf, orig, sizeof(buf));
	assert_int_equal(disk_crypt(d, P2_START, buf, 1, true), 0);
	assert_memory_not_equal(buf, orig, SECT);
	assert_memory_equal(buf + SECT, orig + SECT, 3 * SECT);
	/* Sector numbers that wrap never reach a range. */
	memcpy(buf, orig, sizeof(buf));
	assert_int_equal(disk_crypt(d, ~0ULL - 1, buf, 4, true), 0);
	assert_memory_equal(buf, orig, sizeof(buf));
}

static bool all_zero(const void *p, size_t n)
{
	const u8 *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

/*
 * Before a reset (a guest's 0xcf9 write, a triple fault...): the expanded keys
 * leave memory, and a transfer that would need one fails instead of being
 * encrypted under a zeroed key. Ranges outside the rules still pass.
 * Last test: the reset state of vmm/reset.c is once per boot.
 */
static void test_wipe_before_reset(void **state)
{
	u8 buf[4 * SECT], orig[4 * SECT];
	const struct xts_key *key;
	const struct disk *d;
	u32 i;

	range_gpt_index(add_rule(POLICY_DISK_ATA, 0, 0, 0, "disk0"), 2);
	assert_int_equal(disk_init(&bi, &pol, &sec), 0);
	d = ata(1, 1, 0, 0);
	assert_non_null(d);
	key = d->range[0].key;
	assert_false(all_zero(key, sizeof(*key)));
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = orig[i] = (u8)(i * 13);
	assert_int_equal(disk_crypt(d, P2_START, buf, 1, true), 0);
	assert_false(reset_secrets_wiped());

	reset_wipe_secrets("unit test");
	assert_true(reset_secrets_wiped());
	assert_int_equal(policy_wipes, 1);
	assert_int_equal(flushes_after_wipe, 1);
	assert_true(all_zero(key, sizeof(*key)));
	memcpy(buf, orig, sizeof(buf));
	assert_int_equal(disk_crypt(d, P2_START, buf, 1, true), -EIO);
	assert_int_equal(disk_crypt(d, P2_START - 2, buf, 4, false), -EIO);
	assert_memory_equal(buf, orig, sizeof(buf));	/* nothing transformed */
	assert_int_equal(disk_crypt(d, 0, buf, 4, true), 0);	/* outside every range */
	assert_memory_equal(buf, orig, sizeof(buf));
	reset_wipe_secrets("second caller");		/* once */
	assert_int_equal(policy_wipes, 1);
	assert_true(disk_wipe_keys());			/* nothing in flight */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_gpt_index, setup),
		cmocka_unit_test_setup(test_gpt_guid, setup),
		cmocka_unit_test_setup(test_lba, setup),
		cmocka_unit_test_setup(test_identity, setup),
		cmocka_unit_test_setup(test_absent_disk_inactive, setup),
		cmocka_unit_test_setup(test_missing_partition_fails, setup),
		cmocka_unit_test_setup(test_overlap_fails, setup),
		cmocka_unit_test_setup(test_controller_order, setup),
		cmocka_unit_test_setup(test_unenforceable_refused, setup),
		cmocka_unit_test_setup(test_coverage, setup),
		cmocka_unit_test_setup(test_bad_keys, setup),
		cmocka_unit_test_setup(test_no_rules, setup),
		cmocka_unit_test_setup(test_touches, setup),
		cmocka_unit_test_setup(test_crypt_vs_openssl, setup),
		cmocka_unit_test_setup(test_crypt_outside_is_noop, setup),
		cmocka_unit_test_setup(test_wipe_before_reset, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
