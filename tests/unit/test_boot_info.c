// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot-info building: memory map normalisation, load options, disk paths, and
 * the processor census (MP services vs the ACPI MADT vs BOOT_CPUS_MAX).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <sys/mman.h>
#include "acpi_tables.h"
#include "boot_info_build.h"
#include "cpu_census.h"
#include "disk_info_parse.h"

struct efi_desc {
	u32 type, pad;
	u64 phys, virt, pages, attr;
	u64 extra;	/* firmware descriptors may be larger than the struct */
};

static struct boot_info bi;

static void test_memmap_sorted_and_merged(void **state)
{
	struct efi_desc d[] = {
		{ BOOT_MEM_CONVENTIONAL, 0, 0x100000, 0, 16, 0xf, 0 },
		{ BOOT_MEM_CONVENTIONAL, 0, 0x0, 0, 160, 0xf, 0 },
		{ BOOT_MEM_CONVENTIONAL, 0, 0x110000, 0, 16, 0xf, 0 },	/* merges */
		{ BOOT_MEM_RESERVED, 0, 0x120000, 0, 4, 0xf, 0 },
		{ BOOT_MEM_CONVENTIONAL, 0, 0x124000, 0, 4, 0xf, 0 },
	};

	bi_init(&bi);
	assert_int_equal(bi_set_memmap(&bi, d, sizeof(d), sizeof(d[0])), 0);
	assert_int_equal(bi.mem_count, 4);
	assert_int_equal(bi.mem[0].base, 0);
	assert_int_equal(bi.mem[1].base, 0x100000);
	assert_int_equal(bi.mem[1].pages, 32);
	assert_int_equal(bi.mem[2].type, BOOT_MEM_RESERVED);
	assert_int_equal(bi.mem[3].base, 0x124000);
}

static void test_memmap_malformed(void **state)
{
	struct efi_desc d[] = { { BOOT_MEM_CONVENTIONAL, 0, 0x1001, 0, 1, 0, 0 } };
	struct efi_desc wrap[] = { { BOOT_MEM_CONVENTIONAL, 0, 0xfffffffffffff000ULL, 0, 2, 0, 0 } };

	bi_init(&bi);
	assert_int_equal(bi_set_memmap(&bi, d, sizeof(d), sizeof(d[0])), -1);
	assert_int_equal(bi_set_memmap(&bi, wrap, sizeof(wrap), sizeof(wrap[0])), -1);
	assert_int_equal(bi_set_memmap(&bi, d, sizeof(d), 8), -1);	/* stride too small */
	assert_int_equal(bi_set_memmap(&bi, d, sizeof(d) - 1, sizeof(d[0])), -1);
}

static void test_memmap_too_many(void **state)
{
	static struct efi_desc d[BOOT_MEM_MAX + 1];
	u32 i;

	for (i = 0; i < ARRAY_SIZE(d); i++)
		d[i] = (struct efi_desc){ i & 1 ? BOOT_MEM_RESERVED : BOOT_MEM_CONVENTIONAL,
					  0, i * 0x2000ULL, 0, 1, 0, 0 };
	bi_init(&bi);
	assert_int_equal(bi_set_memmap(&bi, d, sizeof(d), sizeof(d[0])), -1);
}

static u64 to_ucs2(const char *s, u16 *out)
{
	u64 n = 0;

	while ((out[n] = (u8)s[n]))
		n++;
	return (n + 1) * 2;
}

static int set_opts(const char *s, u16 *next, u64 max, struct bi_next_args *args,
		    const char **why)
{
	static u16 opts[BOOT_OPTIONS_MAX * 2];

	*why = NULL;
	return bi_set_options(&bi, opts, to_ucs2(s, opts), next, max, args, why);
}

static void test_options(void **state)
{
	u16 next[64] = { 'd', 'e', 'f', 0 };
	struct bi_next_args args;
	const char *why;

	bi_init(&bi);
	assert_int_equal(set_opts("quiet next=\\EFI\\x\\y.efi", next, 64, &args, &why), 0);
	assert_string_equal(bi.options, "quiet next=\\EFI\\x\\y.efi");
	assert_int_equal(next[0], '\\');
	assert_int_equal(next[11], 'i');
	assert_int_equal(next[12], 0);
	assert_int_equal(args.count, 0);
}

static void test_options_absent_keep_default(void **state)
{
	u16 next[8] = { 'd', 0 };
	struct bi_next_args args;
	const char *why = NULL;

	bi_init(&bi);
	assert_int_equal(bi_set_options(&bi, NULL, 0, next, 8, &args, &why), 0);
	assert_int_equal(next[0], 'd');
	assert_string_equal(bi.options, "");
	assert_int_equal(args.count, 0);
}

/* Load options are runtime-writable: the console port is no longer one of them. */
static void test_options_uart_refused(void **state)
{
	u16 next[8] = { 'd', 0 };
	struct bi_next_args args;
	const char *why;

	bi_init(&bi);
	assert_int_equal(set_opts("uart=0x3f8", next, 8, &args, &why), -1);
	assert_non_null(strstr(why, "uart="));
	assert_int_equal(set_opts("quiet uart=0x2f8", next, 8, &args, &why), -1);
	/* after the separator it is the next stage's business */
	assert_int_equal(set_opts("-- uart=0x3f8", next, 8, &args, &why), 0);
}

/* Everything after "--" goes to the next stage, unchanged (review finding 26). */
static void test_options_next_stage_args(void **state)
{
	u16 next[64] = { 'd', 0 };
	struct bi_next_args args;
	const char *why;
	const char *s = "next=\\EFI\\k.efi quiet -- root=/dev/sda2 --  x";

	bi_init(&bi);
	assert_int_equal(set_opts(s, next, 64, &args, &why), 0);
	assert_string_equal(bi.options, "next=\\EFI\\k.efi quiet ");
	assert_int_equal(next[5], 'k');
	assert_int_equal(args.offset, strlen("next=\\EFI\\k.efi quiet -- "));
	assert_int_equal(args.count, strlen("root=/dev/sda2 --  x"));
	/* a word that only starts with "--" is not the separator */
	assert_int_equal(set_opts("--x next=\\a.efi", next, 64, &args, &why), 0);
	assert_int_equal(args.count, 0);
	assert_int_equal(next[1], 'a');
	/* "--" first, or last */
	assert_int_equal(set_opts("-- a b", next, 64, &args, &why), 0);
	assert_string_equal(bi.options, "");
	assert_int_equal(args.offset, 3);
	assert_int_equal(args.count, 3);
	assert_int_equal(set_opts("quiet --", next, 64, &args, &why), 0);
	assert_int_equal(args.count, 0);
	assert_string_equal(bi.options, "quiet ");
	/* Mamori's options end at the separator: next= after it is not ours */
	next[0] = 'd';
	next[1] = 0;
	assert_int_equal(set_opts("-- next=\\b.efi", next, 64, &args, &why), 0);
	assert_int_equal(next[0], 'd');
}

static void test_options_malformed(void **state)
{
	u16 next[8] = { 'd', 0 };
	struct bi_next_args args;
	char big[BOOT_OPTIONS_MAX + 8];
	const char *why;

	bi_init(&bi);
	assert_int_equal(set_opts("next=\\very\\long\\path.efi", next, 8, &args, &why), -1);
	assert_non_null(why);
	assert_int_equal(set_opts("next=", next, 8, &args, &why), -1);
	/* too long for bi->options: refused, never truncated */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	assert_int_equal(set_opts(big, next, 8, &args, &why), -1);
	assert_non_null(strstr(why, "too long"));
	/* ... unless the long part is the next stage's */
	big[0] = '-';
	big[1] = '-';
	big[2] = ' ';
	assert_int_equal(set_opts(big, next, 8, &args, &why), 0);
	assert_int_equal(args.count, sizeof(big) - 4);
}

/* ---- disk table: device paths built by hand, as OVMF reports them ---------- */
struct dp_buf {
	u8 b[256];
	u32 len;
};

static void dp_node(struct dp_buf *p, u8 type, u8 sub, const void *body, u16 blen)
{
	u16 len = 4 + blen;

	p->b[p->len] = type;
	p->b[p->len + 1] = sub;
	p->b[p->len + 2] = (u8)len;
	p->b[p->len + 3] = (u8)(len >> 8);
	if (blen)
		memcpy(p->b + p->len + 4, body, blen);
	p->len += len;
}

static void dp_end(struct dp_buf *p)
{
	dp_node(p, DP_END, DP_END_ENTIRE, NULL, 0);
}

static void dp_pci_root(struct dp_buf *p, u8 dev, u8 fn)
{
	const u8 acpi[8] = { 0xd0, 0x41, 0x03, 0x0a, 0, 0, 0, 0 };	/* PNP0A03, UID 0 */
	const u8 pci[2] = { fn, dev };

	p->len = 0;
	dp_node(p, DP_ACPI, 0x01, acpi, sizeof(acpi));
	dp_node(p, DP_HW, DP_HW_PCI, pci, sizeof(pci));
}

static void dp_ata(struct dp_buf *p, u8 channel, u8 device)
{
	const u8 ata[4] = { channel, device, 0, 0 };

	dp_node(p, DP_MSG, DP_MSG_ATAPI, ata, sizeof(ata));
}

static void dp_hd(struct dp_buf *p, u32 part, u64 start, u64 size, u8 mbr_type, u8 sig_type)
{
	u8 hd[38] = { 0 };
	int i;

	for (i = 0; i < 4; i++)
		hd[i] = (u8)(part >> (8 * i));
	for (i = 0; i < 8; i++) {
		hd[4 + i] = (u8)(start >> (8 * i));
		hd[12 + i] = (u8)(size >> (8 * i));
	}
	for (i = 0; i < 16; i++)
		hd[20 + i] = (u8)(0xa0 + i);
	hd[36] = mbr_type;
	hd[37] = sig_type;
	dp_node(p, DP_MEDIA, DP_MEDIA_HD, hd, sizeof(hd));
}

static void test_disk_path_ata(void **state)
{
	struct dp_buf p;
	struct boot_disk d;
	u32 pci;
	int i;

	dp_pci_root(&p, 1, 1);
	dp_ata(&p, 0, 1);
	dp_end(&p);
	assert_int_equal(disk_path_parse(p.b, p.len, &d, &pci), DISK_PATH_OK);
	assert_int_equal(d.kind, BOOT_DISK_ATA);
	assert_int_equal(pci, 1);
	assert_int_equal(d.pci_bus, 0);
	assert_int_equal(d.pci_dev, 1);
	assert_int_equal(d.pci_fn, 1);
	assert_int_equal(d.port, 0);
	assert_int_equal(d.unit, 1);
	assert_int_equal(d.part_index, 0);

	dp_pci_root(&p, 1, 1);
	dp_ata(&p, 1, 0);
	dp_hd(&p, 2, 24576, 49152 - 24576, DP_HD_GPT, DP_HD_SIG_GUID);
	dp_end(&p);
	assert_int_equal(disk_path_parse(p.b, p.len, &d, &pci), DISK_PATH_OK);
	assert_int_equal(d.port, 1);
	assert_int_equal(d.unit, 0);
	assert_int_equal(d.part_index, 2);
	assert_int_equal(d.lba_start, 24576);
	assert_int_equal(d.lba_count, 24576);
	for (i = 0; i < 16; i++)
		assert_int_equal(d.part_guid[i], 0xa0 + i);
}

static void test_disk_path_sata_nvme(void **state)
{
	const u8 sata[6] = { 3, 0, 0xff, 0xff, 0, 0 };		/* port 3, no multiplier */
	const u8 sata_pm[6] = { 3, 0, 2, 0, 0, 0 };		/* behind multiplier port 2 */
	const u8 nvme[12] = { 1, 0, 0, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
	const u8 bridge[2] = { 0, 0 };
	struct dp_buf p;
	struct boot_disk d;
	u32 pci;

	dp_pci_root(&p, 0x1f, 2);
	dp_node(&p, DP_MSG, DP_MSG_SATA, sata, sizeof(sata));
	dp_end(&p);
	assert_int_equal(disk_path_parse(p.b, p.len, &d, &pci), DISK_PATH_OK);
	assert_int_equal(d.kind, BOOT_DISK_AHCI);
	assert_int_equal(d.pci_dev, 0x1f);
	assert_int_equal(d.pci_fn, 2);
	assert_int_equal(d.port, 3);
	assert_int_equal(d.unit, 0);

	dp_pci_root(&p, 0x1f, 2);
	dp_node(&p, DP_MSG, DP_MSG_SATA, sata_pm, sizeof(sata_pm));
	dp_end(&p);
	assert_int_equal(disk_path_parse(p.b, p.len, &d, &pci), DISK_PATH_SKIP);

	/* Behind a bridge: the last PCI node is the controller; the bus is unknown. */
	dp_pci_root(&p, 0x1c, 0);
	dp_node(&p, DP_HW, DP_HW_PCI, bridge, sizeof(bridge));
	dp_node(&p, DP_MSG, DP_MSG_NVME, nvme, sizeof(nvme));
	dp_end(&p);
	assert_int_equal(disk_path_parse(p.b, p.len, &d, &pci), DISK_PATH_OK);
	assert_int_equal(d.kind, BOOT_DISK_NVME);
	assert_int_equal(pci, 2);
	assert_int_equal(d.pci_dev, 0);
	assert_int_equal(d.pci_fn, 0);
	assert_int_equal(d.unit, 1);
}

static void test_disk_path_skipped(void **state)
{
	const u8 usb[2] = { 1, 0 };
	const u8 cdrom[20] = { 0 };
	struct dp_buf p;
	struct boot_disk d;
	u32 pci;

	dp_pci_root(&p, 1, 2);					/* USB stick */
	dp_node(&p, DP_MSG, 0x05, usb, sizeof(usb));
	dp_end(&p);
	assert_int_equal(disk_path_parse(p.b, p.len, &d, &pci), DISK_PATH_SKIP);

	dp_pci_root(&p, 1, 1);					/* MBR partition */
	dp_ata(&p, 0, 0);
	dp_hd(&p, 1, 2048, 100, 0x01, 0x01);
	dp_end(&p);
	assert_int_equal(disk_path_parse(p.b, p.len, &d, &pci), DISK_PATH_SKIP);

	dp_pci_root(&p, 1, 1);					/* El Torito image */
	dp_ata(&p, 1, 0);
	dp_node(&p, DP_MEDIA, 0x02, cdrom, sizeof(cdrom));
	dp_end(&p);
	assert_int_equal(disk_path_parse(p.b, p.len, &d, &pci), DISK_PATH_SKIP);

	p.len = 0;						/* no controller */
	dp_ata(&p, 0, 0);
	dp_end(&p);
	assert_int_equal(disk_path_parse(p.b, p.len, &d, &pci), DISK_PATH_SKIP);
}

static void test_disk_path_malformed(void **state)
{
	struct dp_buf p;
	struct boot_disk d;
	u32 pci;

	dp_pci_root(&p, 1, 1);
	dp_ata(&p, 0, 0);
	assert_int_equal(disk_path_parse(p.b, p.len, &d, &pci), DISK_PATH_BAD);	/* no end */
	dp_end(&p);
	assert_int_equal(disk_path_parse(p.b, p.len - 1, &d, &pci), DISK_PATH_BAD);
	p.b[2] = 2;						/* node shorter than its header */
	assert_int_equal(disk_path_parse(p.b, p.len, &d, &pci), DISK_PATH_BAD);
	p.b[2] = 0xff;						/* node past the end */
	assert_int_equal(disk_path_parse(p.b, p.len, &d, &pci), DISK_PATH_BAD);
}

/* IDENTIFY strings: two characters per word, the first in the high byte. */
static void put_ident(u16 *id, u32 first, const char *s, u32 nwords)
{
	u32 i;

	for (i = 0; i < nwords; i++)
		id[first + i] = (u16)((u8)s[2 * i] << 8 | (u8)s[2 * i + 1]);
}

static void test_disk_ident(void **state)
{
	u16 id[256] = { 0 };
	char model[41], serial[21], small[5];

	put_ident(id, ATA_ID_MODEL, "QEMU HARDDISK                           ", 20);
	put_ident(id, ATA_ID_SERIAL, "      QM00001       ", 10);
	disk_ident_string(model, sizeof(model), id, ATA_ID_MODEL, 20);
	disk_ident_string(serial, sizeof(serial), id, ATA_ID_SERIAL, 10);
	assert_string_equal(model, "QEMU HARDDISK");
	assert_string_equal(serial, "QM00001");
	disk_ident_string(small, sizeof(small), id, ATA_ID_MODEL, 20);
	assert_string_equal(small, "QEMU");
	id[ATA_ID_SERIAL] = 0x4101;	/* "A\x01" */
	id[ATA_ID_SERIAL + 1] = 0x0042;	/* "\0B" */
	disk_ident_string(serial, sizeof(serial), id, ATA_ID_SERIAL, 2);
	assert_string_equal(serial, "A? B");
	memset(id, 0, sizeof(id));
	disk_ident_string(model, sizeof(model), id, ATA_ID_MODEL, 20);
	assert_string_equal(model, "");
}

static void test_disk_table(void **state)
{
	struct boot_disk disk = { .kind = BOOT_DISK_ATA, .pci_dev = 1, .pci_fn = 1,
				  .lba_count = 1000 };
	struct boot_disk part = disk, other = disk;
	u32 i;

	strcpy(disk.model, "QEMU HARDDISK");
	strcpy(disk.serial, "QM00001");
	part.part_index = 2;
	part.lba_start = 10;
	part.lba_count = 20;
	other.unit = 1;
	bi_init(&bi);
	assert_int_equal(disk_info_add(&bi, &part), 0);
	assert_int_equal(disk_info_add(&bi, &disk), 0);
	assert_int_equal(disk_info_add(&bi, &other), 0);
	assert_int_equal(bi.disk_count, 3);
	assert_int_equal(bi.disks[0].part_index, 0);
	assert_int_equal(bi.disks[1].part_index, 0);
	assert_int_equal(bi.disks[2].part_index, 2);
	disk_info_finish(&bi);
	assert_string_equal(bi.disks[2].model, "QEMU HARDDISK");
	assert_string_equal(bi.disks[2].serial, "QM00001");
	assert_string_equal(bi.disks[1].model, "");	/* other has no identity */

	/* Full: a whole disk displaces the last partition; a partition is dropped. */
	for (i = 3; i < BOOT_DISKS_MAX; i++)
		assert_int_equal(disk_info_add(&bi, &part), 0);
	assert_int_equal(disk_info_add(&bi, &part), -1);
	other.unit = 5;
	assert_int_equal(disk_info_add(&bi, &other), -1);
	assert_int_equal(bi.disk_count, BOOT_DISKS_MAX);
	assert_int_equal(bi.disks[2].unit, 5);
	assert_int_equal(bi.disks[2].part_index, 0);
	assert_int_equal(bi.disks[3].part_index, 2);
}

/* ---- processor census ------------------------------------------------------- */
#define EN	MP_CPU_ENABLED
#define BSPF	(MP_CPU_AS_BSP | MP_CPU_ENABLED)

static struct census_madt madt;
static struct census_result res;

static void madt_set(u32 n, const u32 *ids, const u32 *flags)
{
	u32 i;

	madt.state = MADT_PRESENT;
	madt.count = n;
	for (i = 0; i < n; i++)
		madt.cpu[i] = (struct census_cpu){ ids[i], flags[i] };
}

static enum census_verdict decide(const struct census_cpu *mp, u32 n)
{
	bi_init(&bi);
	return census_decide(&bi, 0, mp, n, &madt, &res);
}

static void test_cpus_mp(void **state)
{
	/* The boot CPU (flagged by MP services, not first in its list) goes first. */
	const struct census_cpu mp[] = { { 4, EN }, { 2, BSPF }, { 6, EN | MP_CPU_HEALTHY } };

	madt.state = MADT_ABSENT;
	assert_int_equal(decide(mp, 3), CENSUS_OK);
	assert_int_equal(bi.cpu_count, 3);
	assert_int_equal(bi.cpu_apic_ids[0], 2);
	assert_int_equal(bi.cpu_apic_ids[1], 4);
	assert_int_equal(bi.cpu_apic_ids[2], 6);
	/* A MADT listing the same processors agrees. */
	madt_set(3, (u32[]){ 2, 4, 6 }, (u32[]){ 1, 1, 1 });
	assert_int_equal(decide(mp, 3), CENSUS_OK);
	assert_int_equal(bi.cpu_count, 3);
}

static void test_cpus_no_mp(void **state)
{
	/* No MP services and no MADT: nothing says the boot CPU is alone. */
	madt.state = MADT_ABSENT;
	assert_int_equal(decide(NULL, 0), CENSUS_NO_MP);
	/* The MADT shows the boot CPU alone (a disabled entry does not count). */
	madt_set(2, (u32[]){ 0, 1 }, (u32[]){ MADT_CPU_ENABLED, 0 });
	assert_int_equal(decide(NULL, 0), CENSUS_OK);
	assert_int_equal(bi.cpu_count, 1);
	assert_int_equal(bi.cpu_apic_ids[0], 0);
	/* ...but not when the OS could start another one. */
	madt.cpu[1].flags = MADT_CPU_ENABLED;
	assert_int_equal(decide(NULL, 0), CENSUS_NO_MP);
	assert_int_equal(res.count, 2);
	madt.cpu[1].flags = MADT_CPU_ONLINE_CAPABLE;
	assert_int_equal(decide(NULL, 0), CENSUS_NO_MP);
	/* A MADT whose one processor is not the boot CPU. */
	madt_set(1, (u32[]){ 7 }, (u32[]){ MADT_CPU_ENABLED });
	assert_int_equal(decide(NULL, 0), CENSUS_NO_MP);
}

static void test_cpus_too_many(void **state)
{
	static struct census_cpu mp[BOOT_CPUS_MAX];
	u32 i;

	for (i = 0; i < BOOT_CPUS_MAX; i++)
		mp[i] = (struct census_cpu){ i, i ? EN : BSPF };
	madt.state = MADT_ABSENT;
	assert_int_equal(decide(mp, BOOT_CPUS_MAX), CENSUS_OK);
	assert_int_equal(bi.cpu_count, BOOT_CPUS_MAX);
	/* One more: refused, never capped (only BOOT_CPUS_MAX entries are read). */
	assert_int_equal(decide(mp, BOOT_CPUS_MAX + 1), CENSUS_TOO_MANY);
	assert_int_equal(res.count, BOOT_CPUS_MAX + 1);
	/*
	 * Review 2: BOOT_CPUS_MAX enabled entries, none the boot CPU (APIC 0 is
	 * not in the list, nothing flagged BSP): one more than fits, refused
	 * instead of a write past cpu_apic_ids[] (into the next boot_info field).
	 */
	for (i = 0; i < BOOT_CPUS_MAX; i++)
		mp[i] = (struct census_cpu){ i + 1, EN };
	assert_int_equal(decide(mp, BOOT_CPUS_MAX), CENSUS_TOO_MANY);
}

static void test_cpus_disabled(void **state)
{
	const struct census_cpu mp[] = { { 0, BSPF }, { 1, EN }, { 2, 0 } };

	/* MP services disabled APIC 2; without a MADT nothing says the OS won't start it. */
	madt.state = MADT_ABSENT;
	assert_int_equal(decide(mp, 3), CENSUS_DISABLED);
	assert_int_equal(res.apic_id, 2);
	/* The MADT says enabled (or online capable): refused. */
	madt_set(3, (u32[]){ 0, 1, 2 }, (u32[]){ 1, 1, MADT_CPU_ENABLED });
	assert_int_equal(decide(mp, 3), CENSUS_DISABLED);
	madt.cpu[2].flags = MADT_CPU_ONLINE_CAPABLE;
	assert_int_equal(decide(mp, 3), CENSUS_DISABLED);
	/* The MADT marks it disabled too: not started, the others are. */
	madt.cpu[2].flags = 0;
	assert_int_equal(decide(mp, 3), CENSUS_OK);
	assert_int_equal(bi.cpu_count, 2);
	assert_int_equal(bi.cpu_apic_ids[1], 1);
	/* ...but with the boot CPU alone under VMX nothing traps the guest's IPIs. */
	madt_set(2, (u32[]){ 0, 2 }, (u32[]){ 1, 0 });
	assert_int_equal(decide((const struct census_cpu[]){ { 0, BSPF }, { 2, 0 } }, 2),
			 CENSUS_DISABLED);
}

static void test_cpus_madt_extra(void **state)
{
	const struct census_cpu mp[] = { { 0, BSPF }, { 1, EN } };

	/* The MADT lists a processor MP services did not report. */
	madt_set(3, (u32[]){ 0, 1, 3 }, (u32[]){ 1, 1, 1 });
	assert_int_equal(decide(mp, 2), CENSUS_MADT_EXTRA);
	assert_int_equal(res.apic_id, 3);
	/* An x2APIC-only ID, online capable. */
	madt_set(3, (u32[]){ 0, 1, 300 }, (u32[]){ 1, 1, MADT_CPU_ONLINE_CAPABLE });
	assert_int_equal(decide(mp, 2), CENSUS_MADT_EXTRA);
	assert_int_equal(res.apic_id, 300);
	/* Disabled, not online capable: the OS will not start it. */
	madt.cpu[2].flags = 0;
	assert_int_equal(decide(mp, 2), CENSUS_OK);
	/* A malformed MADT is refused whatever MP services say. */
	madt.state = MADT_MALFORMED;
	assert_int_equal(decide(mp, 2), CENSUS_MADT_BAD);
}

/* Tables below 2 GiB, so their host addresses are their "physical" ones. */
static u8 *low_mem(u64 size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	assert_true(p != MAP_FAILED);
	memset(p, 0, size);
	return p;
}

/* The acpi-shim's tables (what the SMP e2e tests boot with), read back. */
static void test_madt_from_shim(void **state)
{
	u8 *t = low_mem(8192), *f = low_mem(4096);
	struct acpi_shim_mem mem = { t, (u64)t, 8192, f, (u64)f, 4096 };
	struct acpi_shim_cfg cfg = { .cpu_count = 4, .apic_ids = { 0, 1, 2, 5 },
				     .ioapic_id = 6, .ioapic_addr = 0xfec00000,
				     .pm_base = 0xb000, .sci_irq = 9,
				     .pci_mem_base = 0x20000000 };
	struct acpi_shim_out out;
	u32 i;

	assert_int_equal(acpi_shim_build(&cfg, &mem, &out), 0);
	census_read_madt(out.rsdp, &madt);
	assert_int_equal(madt.state, MADT_PRESENT);
	assert_int_equal(madt.count, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(madt.cpu[i].apic_id, cfg.apic_ids[i]);
		assert_true(madt.cpu[i].flags & MADT_CPU_ENABLED);
	}
	/* MP services report one CPU fewer than the MADT: refused. */
	assert_int_equal(decide((const struct census_cpu[]){ { 0, BSPF }, { 1, EN }, { 2, EN } },
				3), CENSUS_MADT_EXTRA);
	assert_int_equal(res.apic_id, 5);
	/* The RSDT path (revision 0 RSDP) reads the same. */
	((u8 *)out.rsdp)[15] = 0;
	census_read_madt(out.rsdp, &madt);
	assert_int_equal(madt.state, MADT_PRESENT);
	assert_int_equal(madt.count, 4);
	/* An entry of length 0 makes the MADT malformed, never an endless walk. */
	t[out.madt - (u64)t + 44 + 1] = 0;
	census_read_madt(out.rsdp, &madt);
	assert_int_equal(madt.state, MADT_MALFORMED);
	/* No RSDP: no MADT; a bad RSDP signature: malformed. */
	census_read_madt(0, &madt);
	assert_int_equal(madt.state, MADT_ABSENT);
	((u8 *)out.rsdp)[0] = 'X';
	census_read_madt(out.rsdp, &madt);
	assert_int_equal(madt.state, MADT_MALFORMED);
	munmap(t, 8192);
	munmap(f, 4096);
}

/* A hand-built RSDT with a MADT holding an x2APIC entry, and one without a MADT. */
static void test_madt_x2apic(void **state)
{
	u8 *m = low_mem(4096);
	u8 *rsdp = m, *rsdt = m + 64, *apic = m + 256;
	u32 apic_addr = (u32)(u64)apic;

	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 16, &(u32){ (u32)(u64)rsdt }, 4);		/* revision 0: RSDT */
	memcpy(rsdt, "RSDT", 4);
	memcpy(rsdt + 4, &(u32){ 40 }, 4);
	memcpy(rsdt + 36, &apic_addr, 4);
	memcpy(apic, "APIC", 4);
	memcpy(apic + 4, &(u32){ 44 + 8 + 16 }, 4);
	memcpy(apic + 44, (u8[]){ 0, 8, 0, 0, 1, 0, 0, 0 }, 8);	/* LAPIC 0 enabled */
	memcpy(apic + 52, (u8[]){ 9, 16, 0, 0, 0x2c, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 }, 16);
	census_read_madt((u64)rsdp, &madt);
	assert_int_equal(madt.state, MADT_PRESENT);
	assert_int_equal(madt.count, 2);
	assert_int_equal(madt.cpu[1].apic_id, 300);
	assert_int_equal(madt.cpu[1].flags, MADT_CPU_ENABLED);
	/* An x2APIC entry too short for its fields. */
	apic[53] = 12;
	memcpy(apic + 4, &(u32){ 44 + 8 + 12 }, 4);
	census_read_madt((u64)rsdp, &madt);
	assert_int_equal(madt.state, MADT_MALFORMED);
	/* The root table names no MADT. */
	memcpy(apic, "FACP", 4);
	census_read_madt((u64)rsdp, &madt);
	assert_int_equal(madt.state, MADT_ABSENT);
	munmap(m, 4096);
}

/* Review 2 finding 5: only the firmware's own BS|RT variables count. */
static void test_secure_boot_state(void **state)
{
	const struct bi_efi_u8 on = { 1, BI_EFI_ATTR_BS_RT, 1, 1 };
	const struct bi_efi_u8 user = { 1, BI_EFI_ATTR_BS_RT, 1, 0 };
	struct bi_efi_u8 sb, setup;
	const char *why;

	assert_int_equal(bi_secure_boot_on(&on, &user, &why), 1);
	/* an OS-created (non-volatile) SecureBoot = 1 */
	sb = on;
	sb.attr = 0x7;
	assert_int_equal(bi_secure_boot_on(&sb, &user, &why), 0);
	assert_non_null(strstr(why, "not exactly BS|RT"));
	sb.attr = 0x6 | 0x20;
	assert_int_equal(bi_secure_boot_on(&sb, &user, &why), 0);
	/* a non-volatile SetupMode = 0 */
	setup = user;
	setup.attr = 0x7;
	assert_int_equal(bi_secure_boot_on(&on, &setup, &why), 0);
	assert_non_null(strstr(why, "not exactly BS|RT"));
	/* SetupMode missing or unreadable: not verified (was: taken as user mode) */
	setup = user;
	setup.found = 0;
	assert_int_equal(bi_secure_boot_on(&on, &setup, &why), 0);
	assert_non_null(strstr(why, "missing"));
	setup = user;
	setup.size = 2;
	assert_int_equal(bi_secure_boot_on(&on, &setup, &why), 0);
	/* the values */
	setup = user;
	setup.val = 1;
	assert_int_equal(bi_secure_boot_on(&on, &setup, &why), 0);
	assert_non_null(strstr(why, "SetupMode"));
	sb = on;
	sb.val = 0;
	assert_int_equal(bi_secure_boot_on(&sb, &user, &why), 0);
	sb.val = 2;
	assert_int_equal(bi_secure_boot_on(&sb, &user, &why), 0);
	sb = on;
	sb.found = 0;
	assert_int_equal(bi_secure_boot_on(&sb, &user, &why), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memmap_sorted_and_merged),
		cmocka_unit_test(test_memmap_malformed),
		cmocka_unit_test(test_memmap_too_many),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_options_absent_keep_default),
		cmocka_unit_test(test_options_malformed),
		cmocka_unit_test(test_options_uart_refused),
		cmocka_unit_test(test_options_next_stage_args),
		cmocka_unit_test(test_disk_path_ata),
		cmocka_unit_test(test_disk_path_sata_nvme),
		cmocka_unit_test(test_disk_path_skipped),
		cmocka_unit_test(test_disk_path_malformed),
		cmocka_unit_test(test_disk_ident),
		cmocka_unit_test(test_disk_table),
		cmocka_unit_test(test_cpus_mp),
		cmocka_unit_test(test_cpus_no_mp),
		cmocka_unit_test(test_cpus_too_many),
		cmocka_unit_test(test_cpus_disabled),
		cmocka_unit_test(test_cpus_madt_extra),
		cmocka_unit_test(test_madt_from_shim),
		cmocka_unit_test(test_madt_x2apic),
		cmocka_unit_test(test_secure_boot_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
