// SPDX-License-Identifier: GPL-2.0-only
/*
 * The test-only ACPI shim's tables (tools/acpi-shim): walked from the RSDP the
 * way an OS does, at a physical base that differs from the host buffer.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "acpi_tables.h"

#define TABLES_PHYS	0x7f000000ULL
#define FACS_PHYS	0x7f100000ULL

static u8 tables[8192];
static u8 facs[4096] __aligned(64);
static struct acpi_shim_mem mem;
static struct acpi_shim_cfg cfg;
static struct acpi_shim_out out;

static int setup(void **state)
{
	memset(tables, 0xa5, sizeof(tables));
	memset(facs, 0xa5, sizeof(facs));
	mem = (struct acpi_shim_mem){ tables, TABLES_PHYS, sizeof(tables),
				      facs, FACS_PHYS, sizeof(facs) };
	cfg = (struct acpi_shim_cfg){ .cpu_count = 2, .apic_ids = { 0, 1 }, .ioapic_id = 2,
				      .ioapic_addr = 0xfec00000, .pm_base = 0xb000,
				      .sci_irq = 9, .pci_mem_base = 0x20000000 };
	return 0;
}

static u16 rd16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static u32 rd32(const u8 *p)
{
	return rd16(p) | (u32)rd16(p + 2) << 16;
}

static u64 rd64(const u8 *p)
{
	return rd32(p) | (u64)rd32(p + 4) << 32;
}

/* Physical address -> host pointer, checking @len bytes lie in a buffer. */
static const u8 *at(u64 phys, u32 len)
{
	if (phys >= TABLES_PHYS && phys + len <= TABLES_PHYS + out.used)
		return tables + (phys - TABLES_PHYS);
	if (phys >= FACS_PHYS && phys + len <= FACS_PHYS + sizeof(facs))
		return facs + (phys - FACS_PHYS);
	fail_msg("address 0x%llx (+%u) outside the tables", (unsigned long long)phys, len);
	return NULL;
}

/* A table with a valid header: signature, length in bounds, zero sum. */
static const u8 *table(u64 phys, const char *sig)
{
	const u8 *t = at(phys, 36);
	u32 len = rd32(t + 4);

	assert_memory_equal(t, sig, 4);
	assert_true(len >= 36);
	t = at(phys, len);
	assert_int_equal(acpi_sum(t, len), 0);
	assert_memory_equal(t + 10, "MAMORI", 6);
	return t;
}

static void build_ok(void)
{
	assert_int_equal(acpi_shim_build(&cfg, &mem, &out), 0);
}

static void test_rsdp(void **state)
{
	const u8 *r;

	build_ok();
	assert_int_equal(out.rsdp, TABLES_PHYS);
	assert_int_equal(out.rsdp & 15, 0);
	r = at(out.rsdp, 36);
	assert_memory_equal(r, "RSD PTR ", 8);
	assert_int_equal(acpi_sum(r, 20), 0);
	assert_int_equal(acpi_sum(r, 36), 0);
	assert_int_equal(r[15], 2);
	assert_int_equal(rd32(r + 20), 36);
	assert_int_equal(rd64(r + 24), out.xsdt);
	assert_int_equal(rd32(r + 16), out.rsdt);
	assert_true(out.used <= sizeof(tables));
	/* nothing written past what it reports */
	assert_int_equal(tables[out.used], 0xa5);
}

static void test_xsdt_rsdt_list_fadt_and_madt(void **state)
{
	const u8 *x, *r;

	build_ok();
	x = table(out.xsdt, "XSDT");
	r = table(out.rsdt, "RSDT");
	assert_int_equal(rd32(x + 4), 36 + 2 * 8);
	assert_int_equal(rd32(r + 4), 36 + 2 * 4);
	assert_int_equal(rd64(x + 36), out.fadt);
	assert_int_equal(rd64(x + 44), out.madt);
	assert_int_equal(rd32(r + 36), out.fadt);
	assert_int_equal(rd32(r + 40), out.madt);
	table(out.fadt, "FACP");
	table(out.madt, "APIC");
}

static void test_fadt(void **state)
{
	const u8 *f, *facs_t;

	build_ok();
	f = table(out.fadt, "FACP");
	assert_int_equal(f[8], 3);			/* revision */
	assert_int_equal(rd32(f + 4), 244);
	assert_int_equal(rd16(f + 46), 9);		/* SCI_INT */
	assert_int_equal(rd32(f + 48), 0);		/* no SMI_CMD: ACPI mode always */
	assert_int_equal(rd32(f + 56), 0xb000);		/* PM1a_EVT_BLK */
	assert_int_equal(rd32(f + 64), 0xb004);		/* PM1a_CNT_BLK */
	assert_int_equal(rd32(f + 76), 0xb008);		/* PM_TMR_BLK */
	assert_int_equal(f[88], 4);
	assert_int_equal(f[89], 2);
	assert_int_equal(f[91], 4);
	assert_int_equal(rd16(f + 109) & 3, 3);		/* legacy devices, 8042 */
	assert_int_equal(rd32(f + 112) & (1u << 20), 0);	/* not HW_REDUCED */
	assert_int_equal(rd32(f + 112) & (1u << 8), 0);	/* 24-bit PM timer */
	assert_true(rd32(f + 112) & (1u << 10));	/* RESET_REG_SUP */
	assert_int_equal(f[116], 1);			/* reset register: I/O */
	assert_int_equal(f[117], 8);
	assert_int_equal(rd64(f + 120), 0xcf9);
	assert_int_equal(f[128], 0x04);			/* CPU reset, not hard */
	assert_int_equal(rd32(f + 40), out.dsdt);
	assert_int_equal(rd64(f + 140), out.dsdt);
	assert_int_equal(rd32(f + 36), out.facs);
	assert_int_equal(out.facs & 63, 0);
	facs_t = at(out.facs, 64);
	assert_memory_equal(facs_t, "FACS", 4);
	assert_int_equal(rd32(facs_t + 4), 64);
}

/* An AML PkgLength at @p: its value (counting itself); *@n = its size. */
static u32 aml_pkglen(const u8 *p, u32 *n)
{
	u32 follow = p[0] >> 6, len = p[0] & (follow ? 0xf : 0x3f), i;

	for (i = 0; i < follow; i++)
		len |= (u32)p[1 + i] << (4 + 8 * i);
	*n = 1 + follow;
	return len;
}

/* The resource descriptor of @tag in a _CRS buffer, the @index'th one. */
static const u8 *crs_find(const u8 *res, u32 len, u8 tag, u8 type, u32 index)
{
	u32 off = 0;

	while (off < len) {
		const u8 *r = res + off;
		u32 size = r[0] & 0x80 ? 3u + rd16(r + 1) : 1u + (r[0] & 7u);

		if (r[0] == tag && (!(tag & 0x80) || r[3] == type) && index-- == 0)
			return r;
		if (r[0] == 0x79)
			break;
		off += size;
	}
	fail_msg("no resource descriptor 0x%x type %u", tag, type);
	return NULL;
}

static void test_dsdt_declares_pci0(void **state)
{
	static const u8 pnp0a03[] = { 0x0c, 0x41, 0xd0, 0x0a, 0x03 };
	const u8 *d, *aml, *crs, *r;
	u32 len, n, plen, off, crs_len;

	build_ok();
	d = table(out.dsdt, "DSDT");
	len = rd32(d + 4);
	aml = d + 36;
	assert_int_equal(d[8], 2);			/* 64-bit AML integers */
	/* Scope (\_SB) covering the whole body */
	assert_int_equal(aml[0], 0x10);
	assert_int_equal(aml_pkglen(aml + 1, &n), len - 37);
	off = 1 + n;
	assert_memory_equal(aml + off, "\\_SB_", 5);
	off += 5;
	/* Device (PCI0) covering the rest */
	assert_int_equal(aml[off], 0x5b);
	assert_int_equal(aml[off + 1], 0x82);
	assert_int_equal(aml_pkglen(aml + off + 2, &n), len - 36 - off - 2);
	off += 2 + n;
	assert_memory_equal(aml + off, "PCI0", 4);
	assert_non_null(memmem(aml, len - 36, "_HID", 4));
	assert_non_null(memmem(aml, len - 36, pnp0a03, sizeof(pnp0a03)));
	/* Name (_CRS, Buffer) at the end, its descriptors in bounds */
	crs = memmem(aml, len - 36, "_CRS", 4);
	assert_non_null(crs);
	assert_int_equal(crs[-1], 0x08);
	assert_int_equal(crs[4], 0x11);
	plen = aml_pkglen(crs + 5, &n);
	assert_ptr_equal(crs + 5 + plen, d + len);
	assert_int_equal(crs[5 + n], 0x0a);
	crs_len = crs[6 + n];
	crs += 7 + n;
	assert_ptr_equal(crs + crs_len, d + len);
	assert_int_equal(crs[crs_len - 2], 0x79);	/* EndTag */
	r = crs_find(crs, crs_len, 0x88, 2, 0);		/* bus numbers 0-255 */
	assert_int_equal(rd16(r + 8), 0);
	assert_int_equal(rd16(r + 10), 0xff);
	assert_int_equal(rd16(r + 14), 0x100);
	r = crs_find(crs, crs_len, 0x47, 0, 0);		/* config ports */
	assert_int_equal(rd16(r + 2), 0xcf8);
	assert_int_equal(r[7], 8);
	r = crs_find(crs, crs_len, 0x88, 1, 0);		/* I/O below 0xcf8: IDE, PM */
	assert_int_equal(rd16(r + 8), 0);
	assert_int_equal(rd16(r + 10), 0xcf7);
	assert_int_equal(rd16(r + 14), 0xcf8);
	r = crs_find(crs, crs_len, 0x88, 1, 1);		/* I/O above: BARs at 0xc000 */
	assert_int_equal(rd16(r + 8), 0xd00);
	assert_int_equal(rd16(r + 10), 0xffff);
	assert_int_equal(rd16(r + 14), 0xf300);
	r = crs_find(crs, crs_len, 0x87, 0, 0);		/* legacy VGA memory */
	assert_int_equal(rd32(r + 10), 0xa0000);
	assert_int_equal(rd32(r + 14), 0xbffff);
	assert_int_equal(rd32(r + 22), 0x20000);
	r = crs_find(crs, crs_len, 0x87, 0, 1);		/* the PCI hole */
	assert_int_equal(rd32(r + 10), 0x20000000);
	assert_int_equal(rd32(r + 14), 0xfebfffff);
	assert_int_equal(rd32(r + 22), 0xfebfffff - 0x20000000 + 1);
	assert_true(r[5] & 1);				/* read-write */
}

/* The MADT's entries, in order; returns how many of @type were seen. */
static u32 madt_count(const u8 *m, u8 type)
{
	u32 off = 44, len = rd32(m + 4), n = 0;

	while (off < len) {
		assert_true(m[off + 1] >= 2);
		assert_true(off + m[off + 1] <= len);
		if (m[off] == type)
			n++;
		off += m[off + 1];
	}
	assert_int_equal(off, len);
	return n;
}

static const u8 *madt_entry(const u8 *m, u8 type, u32 index)
{
	u32 off = 44, len = rd32(m + 4);

	for (; off < len; off += m[off + 1])
		if (m[off] == type && index-- == 0)
			return m + off;
	fail_msg("no MADT entry of type %u", type);
	return NULL;
}

static void test_madt(void **state)
{
	const u8 *m, *e;
	u32 i;

	cfg.cpu_count = 4;
	cfg.apic_ids[0] = 2;	/* boot CPU first, any IDs */
	cfg.apic_ids[1] = 0;
	cfg.apic_ids[2] = 1;
	cfg.apic_ids[3] = 3;
	cfg.ioapic_id = 4;
	build_ok();
	m = table(out.madt, "APIC");
	assert_int_equal(rd32(m + 36), 0xfee00000);
	assert_int_equal(rd32(m + 40) & 1, 1);		/* PCAT_COMPAT */
	assert_int_equal(madt_count(m, 0), 4);
	for (i = 0; i < 4; i++) {
		e = madt_entry(m, 0, i);
		assert_int_equal(e[1], 8);
		assert_int_equal(e[2], i);		/* processor UID */
		assert_int_equal(e[3], cfg.apic_ids[i]);
		assert_int_equal(rd32(e + 4), 1);	/* enabled */
	}
	assert_int_equal(madt_count(m, 1), 1);
	e = madt_entry(m, 1, 0);
	assert_int_equal(e[1], 12);
	assert_int_equal(e[2], 4);
	assert_int_equal(rd32(e + 4), 0xfec00000);
	assert_int_equal(rd32(e + 8), 0);		/* GSI base */
	assert_int_equal(madt_count(m, 2), 2);
	e = madt_entry(m, 2, 0);			/* IRQ0 -> GSI2, bus default */
	assert_int_equal(e[2], 0);
	assert_int_equal(e[3], 0);
	assert_int_equal(rd32(e + 4), 2);
	assert_int_equal(rd16(e + 8), 0);
	e = madt_entry(m, 2, 1);			/* SCI: level, active high */
	assert_int_equal(e[3], 9);
	assert_int_equal(rd32(e + 4), 9);
	assert_int_equal(rd16(e + 8), 0x0d);
	assert_int_equal(madt_count(m, 4), 1);
	e = madt_entry(m, 4, 0);
	assert_int_equal(e[2], 0xff);
	assert_int_equal(e[5], 1);			/* LINT1 */
	/* No override for the IRQs the tests use: 4 (COM1), 14, 15 (IDE). */
	for (i = 0; i < 2; i++) {
		e = madt_entry(m, 2, i);
		assert_true(e[3] != 4 && e[3] != 14 && e[3] != 15);
	}
}

static void test_many_cpus_fit(void **state)
{
	u32 i;

	cfg.cpu_count = ACPI_SHIM_CPUS_MAX;
	for (i = 0; i < ACPI_SHIM_CPUS_MAX; i++)
		cfg.apic_ids[i] = (u8)i;
	cfg.ioapic_id = ACPI_SHIM_CPUS_MAX;
	build_ok();
	assert_int_equal(madt_count(table(out.madt, "APIC"), 0), ACPI_SHIM_CPUS_MAX);
	table(out.dsdt, "DSDT");
}

static void test_refused(void **state)
{
	struct acpi_shim_cfg good = cfg;
	struct acpi_shim_mem m;

	cfg.cpu_count = 0;
	assert_int_equal(acpi_shim_build(&cfg, &mem, &out), -1);
	cfg.cpu_count = ACPI_SHIM_CPUS_MAX + 1;
	assert_int_equal(acpi_shim_build(&cfg, &mem, &out), -1);
	cfg = good;
	cfg.apic_ids[1] = 0xff;				/* broadcast: not a CPU */
	assert_int_equal(acpi_shim_build(&cfg, &mem, &out), -1);
	cfg.apic_ids[1] = 0;				/* duplicate */
	assert_int_equal(acpi_shim_build(&cfg, &mem, &out), -1);
	cfg = good;
	cfg.pm_base = 0;
	assert_int_equal(acpi_shim_build(&cfg, &mem, &out), -1);
	cfg = good;
	cfg.pci_mem_base = 0x20000800;			/* not 1 MiB aligned */
	assert_int_equal(acpi_shim_build(&cfg, &mem, &out), -1);
	cfg.pci_mem_base = 0xfec00000;			/* no window left */
	assert_int_equal(acpi_shim_build(&cfg, &mem, &out), -1);
	cfg = good;
	m = mem;
	m.tables_size = 256;				/* too small */
	assert_int_equal(acpi_shim_build(&cfg, &m, &out), -1);
	m = mem;
	m.tables_phys = 0xffffff00ULL;			/* would cross 4 GiB */
	assert_int_equal(acpi_shim_build(&cfg, &m, &out), -1);
	m = mem;
	m.facs_phys = FACS_PHYS + 32;			/* FACS not 64-byte aligned */
	assert_int_equal(acpi_shim_build(&cfg, &m, &out), -1);
	m = mem;
	m.facs_size = 32;
	assert_int_equal(acpi_shim_build(&cfg, &m, &out), -1);
	/* a refusal writes nothing */
	assert_int_equal(tables[0], 0xa5);
	assert_int_equal(facs[0], 0xa5);
}

static void test_checksum(void **state)
{
	u8 b[5] = { 1, 2, 3, 4, 0 };

	b[4] = acpi_checksum(b, 4);
	assert_int_equal(b[4], 0xf6);
	assert_int_equal(acpi_sum(b, 5), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_rsdp, setup),
		cmocka_unit_test_setup(test_xsdt_rsdt_list_fadt_and_madt, setup),
		cmocka_unit_test_setup(test_fadt, setup),
		cmocka_unit_test_setup(test_dsdt_declares_pci0, setup),
		cmocka_unit_test_setup(test_madt, setup),
		cmocka_unit_test_setup(test_many_cpus_fit, setup),
		cmocka_unit_test_setup(test_refused, setup),
		cmocka_unit_test_setup(test_checksum, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
