// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ACPI tables firmware would install for Bochs' i440FX/PIIX4 (test-only).
 * Fields are written byte by byte, little-endian, at their ACPI 6.x offsets.
 */
#include "acpi_tables.h"

#define HDR_LEN		36
#define RSDP_LEN	36
#define FADT_REV	3
#define FADT_LEN	244
#define FACS_LEN	64
#define MADT_LAPIC_LEN	8
#define MADT_IOAPIC_LEN	12
#define MADT_ISO_LEN	10
#define MADT_NMI_LEN	6
#define LAPIC_ADDR	0xfee00000u

/* FADT flags and IA-PC boot architecture flags. */
#define FADT_WBINVD		BIT(0)
#define FADT_PROC_C1		BIT(2)
#define FADT_PWR_BUTTON		BIT(4)	/* no fixed-feature power button */
#define FADT_SLP_BUTTON		BIT(5)	/* no fixed-feature sleep button */
#define FADT_RESET_REG_SUP	BIT(10)
#define BOOT_LEGACY_DEVICES	BIT(0)
#define BOOT_8042		BIT(1)

/* MADT interrupt source override flags: polarity bits 1:0, trigger 3:2. */
#define MPS_ACTIVE_HIGH		0x1
#define MPS_LEVEL		(0x3 << 2)

/*
 * 0xcf9 := 4 resets the CPUs (Bochs: Reset(SOFTWARE), as the 8042 pulse does).
 * Not 6 (hard): after a Bochs hardware reset PIIX4's PM base is 0 and OVMF
 * polls a PM timer at port 0x0008 forever (seen: 120 million bochs.log lines).
 */
#define PIIX_RESET_PORT		0xcf9
#define PIIX_RESET_VALUE	0x04
#define CMOS_CENTURY		0x32

#define PCI_MEM_END	0xfebfffffu	/* below the IOAPIC */
#define AML_MAX		192

u8 acpi_sum(const void *p, u32 len)
{
	const u8 *b = p;
	u8 s = 0;

	while (len--)
		s += *b++;
	return s;
}

u8 acpi_checksum(const void *p, u32 len)
{
	return (u8)(0x100 - acpi_sum(p, len));
}

static void put8(u8 *p, u32 off, u8 v)
{
	p[off] = v;
}

static void put16(u8 *p, u32 off, u16 v)
{
	p[off] = (u8)v;
	p[off + 1] = (u8)(v >> 8);
}

static void put32(u8 *p, u32 off, u32 v)
{
	put16(p, off, (u16)v);
	put16(p, off + 2, (u16)(v >> 16));
}

static void put64(u8 *p, u32 off, u64 v)
{
	put32(p, off, (u32)v);
	put32(p, off + 4, (u32)(v >> 32));
}

static void put_str(u8 *p, u32 off, const char *s, u32 n)
{
	while (n--)
		p[off++] = (u8)*s++;
}

static void zero(u8 *p, u32 n)
{
	while (n--)
		*p++ = 0;
}

/* The common table header; the checksum is set once the body is written. */
static void header(u8 *t, const char *sig, u32 len, u8 rev)
{
	put_str(t, 0, sig, 4);
	put32(t, 4, len);
	put8(t, 8, rev);
	put_str(t, 10, "MAMORI", 6);
	put_str(t, 16, "SHIMTEST", 8);
	put32(t, 24, 1);
	put_str(t, 28, "MMRI", 4);
	put32(t, 32, 1);
}

static void seal(u8 *t)
{
	u32 len = t[4] | t[5] << 8 | t[6] << 16 | (u32)t[7] << 24;

	t[9] = 0;
	t[9] = acpi_checksum(t, len);
}

/* Generic Address Structure: @space 1 = system I/O. */
static void gas(u8 *p, u32 off, u8 space, u8 bits, u8 access, u64 addr)
{
	put8(p, off, space);
	put8(p, off + 1, bits);
	put8(p, off + 2, 0);
	put8(p, off + 3, access);
	put64(p, off + 4, addr);
}

/* AML PkgLength in its 2-byte form (lengths below 4096): patched in last. */
static void pkglen(u8 *a, u32 at, u32 end)
{
	u32 len = end - at;

	a[at] = (u8)(0x40 | (len & 0xf));
	a[at + 1] = (u8)(len >> 4);
}

/* Word (bus, I/O) or DWord (memory) address space descriptor, producer,
 * min and max fixed. @type: 0 memory, 1 I/O, 2 bus numbers. */
static u32 res_addr(u8 *a, u32 off, u8 type, u8 tflags, u32 min, u32 max)
{
	int dword = type == 0;

	put8(a, off, dword ? 0x87 : 0x88);
	put16(a, off + 1, dword ? 23 : 13);
	put8(a, off + 3, type);
	put8(a, off + 4, 0x0c);			/* min fixed, max fixed */
	put8(a, off + 5, tflags);
	off += 6;
	if (dword) {
		put32(a, off, 0);		/* granularity */
		put32(a, off + 4, min);
		put32(a, off + 8, max);
		put32(a, off + 12, 0);		/* translation */
		put32(a, off + 16, max - min + 1);
		return off + 20;
	}
	put16(a, off, 0);
	put16(a, off + 2, (u16)min);
	put16(a, off + 4, (u16)max);
	put16(a, off + 6, 0);
	put16(a, off + 8, (u16)(max - min + 1));
	return off + 10;
}

/*
 * The DSDT body:
 *   Scope (\_SB) { Device (PCI0) {
 *     Name (_HID, EisaId ("PNP0A03")) Name (_UID, Zero)
 *     Name (_CRS, ResourceTemplate () { bus 0-255, I/O 0xcf8-0xcff (config),
 *       I/O windows 0-0xcf7 and 0xd00-0xffff, memory windows 0xa0000-0xbffff
 *       and pci_mem_base-0xfebfffff }) } }
 * Linux enumerates PCI only below an ACPI host bridge once ACPI routes IRQs,
 * and claims BARs only inside its _CRS windows. Without _PRT it routes INTx
 * by the firmware's Interrupt Line (PIIX PIRQs reach the same IOAPIC pins).
 */
static u32 build_dsdt_aml(u8 *a, u32 pci_mem_base)
{
	u32 off = 0, scope, dev, buf, size;

	put8(a, off++, 0x10);			/* ScopeOp */
	scope = off;
	off += 2;
	put_str(a, off, "\\_SB_", 5);
	off += 5;
	put8(a, off++, 0x5b);			/* DeviceOp */
	put8(a, off++, 0x82);
	dev = off;
	off += 2;
	put_str(a, off, "PCI0", 4);
	off += 4;
	put8(a, off++, 0x08);			/* NameOp _HID DWordConst */
	put_str(a, off, "_HID", 4);
	off += 4;
	put8(a, off++, 0x0c);
	put32(a, off, 0x030ad041);		/* EisaId ("PNP0A03") */
	off += 4;
	put8(a, off++, 0x08);			/* NameOp _UID Zero */
	put_str(a, off, "_UID", 4);
	off += 4;
	put8(a, off++, 0x00);
	put8(a, off++, 0x08);			/* NameOp _CRS BufferOp */
	put_str(a, off, "_CRS", 4);
	off += 4;
	put8(a, off++, 0x11);
	buf = off;
	off += 2;
	put8(a, off++, 0x0a);			/* BytePrefix: buffer size */
	size = off++;
	off = res_addr(a, off, 2, 0, 0, 0xff);
	put8(a, off, 0x47);			/* IO (Decode16, 0xcf8, 0xcf8, 1, 8) */
	put8(a, off + 1, 1);
	put16(a, off + 2, 0xcf8);
	put16(a, off + 4, 0xcf8);
	put8(a, off + 6, 1);
	put8(a, off + 7, 8);
	off += 8;
	off = res_addr(a, off, 1, 3, 0, 0xcf7);
	off = res_addr(a, off, 1, 3, 0xd00, 0xffff);
	off = res_addr(a, off, 0, 3, 0xa0000, 0xbffff);		/* cacheable, RW */
	off = res_addr(a, off, 0, 1, pci_mem_base, PCI_MEM_END);	/* RW */
	put8(a, off++, 0x79);			/* EndTag, checksum 0 */
	put8(a, off++, 0);
	put8(a, size, (u8)(off - size - 1));
	pkglen(a, buf, off);
	pkglen(a, dev, off);
	pkglen(a, scope, off);
	return off;
}

static u32 madt_len(u32 cpus)
{
	return HDR_LEN + 8 + cpus * MADT_LAPIC_LEN + MADT_IOAPIC_LEN +
		2 * MADT_ISO_LEN + MADT_NMI_LEN;
}

static void build_madt(u8 *t, const struct acpi_shim_cfg *cfg)
{
	u32 off = HDR_LEN, i;

	header(t, "APIC", madt_len(cfg->cpu_count), 4);
	put32(t, off, LAPIC_ADDR);
	put32(t, off + 4, 1);			/* PCAT_COMPAT: 8259s present */
	off += 8;
	for (i = 0; i < cfg->cpu_count; i++, off += MADT_LAPIC_LEN) {
		put8(t, off, 0);
		put8(t, off + 1, MADT_LAPIC_LEN);
		put8(t, off + 2, (u8)i);	/* ACPI processor UID */
		put8(t, off + 3, cfg->apic_ids[i]);
		put32(t, off + 4, 1);		/* enabled */
	}
	put8(t, off, 1);
	put8(t, off + 1, MADT_IOAPIC_LEN);
	put8(t, off + 2, cfg->ioapic_id);
	put8(t, off + 3, 0);
	put32(t, off + 4, cfg->ioapic_addr);
	put32(t, off + 8, 0);			/* GSI base */
	off += MADT_IOAPIC_LEN;
	/* ISA IRQ0 (PIT) is wired to IOAPIC pin 2. */
	put8(t, off, 2);
	put8(t, off + 1, MADT_ISO_LEN);
	put8(t, off + 2, 0);			/* ISA bus */
	put8(t, off + 3, 0);
	put32(t, off + 4, 2);
	put16(t, off + 8, 0);			/* conforms to the bus */
	off += MADT_ISO_LEN;
	/* The SCI: level-triggered, active high, as PIIX4 drives it. */
	put8(t, off, 2);
	put8(t, off + 1, MADT_ISO_LEN);
	put8(t, off + 2, 0);
	put8(t, off + 3, cfg->sci_irq);
	put32(t, off + 4, cfg->sci_irq);
	put16(t, off + 8, MPS_ACTIVE_HIGH | MPS_LEVEL);
	off += MADT_ISO_LEN;
	/* LINT1 of every CPU is NMI. */
	put8(t, off, 4);
	put8(t, off + 1, MADT_NMI_LEN);
	put8(t, off + 2, 0xff);
	put16(t, off + 3, 0);
	put8(t, off + 5, 1);
	seal(t);
}

static void build_fadt(u8 *t, const struct acpi_shim_cfg *cfg, u64 facs, u64 dsdt)
{
	header(t, "FACP", FADT_LEN, FADT_REV);
	put32(t, 36, (u32)facs);		/* FIRMWARE_CTRL */
	put32(t, 40, (u32)dsdt);
	put16(t, 46, cfg->sci_irq);
	/* SMI_CMD 0: always in ACPI mode, no SMM handshake (none under OVMF). */
	put32(t, 56, cfg->pm_base);		/* PM1a_EVT_BLK */
	put32(t, 64, cfg->pm_base + 4u);	/* PM1a_CNT_BLK */
	put32(t, 76, cfg->pm_base + 8u);	/* PM_TMR_BLK (24-bit) */
	put8(t, 88, 4);
	put8(t, 89, 2);
	put8(t, 91, 4);
	put16(t, 96, 101);			/* no C2 */
	put16(t, 98, 1001);			/* no C3 */
	put8(t, 108, CMOS_CENTURY);
	put16(t, 109, BOOT_LEGACY_DEVICES | BOOT_8042);
	put32(t, 112, FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON | FADT_SLP_BUTTON |
	      FADT_RESET_REG_SUP);
	gas(t, 116, 1, 8, 1, PIIX_RESET_PORT);
	put8(t, 128, PIIX_RESET_VALUE);
	put64(t, 140, dsdt);			/* X_DSDT; X_ PM blocks left 0 */
	seal(t);
}

static void build_facs(u8 *f)
{
	zero(f, FACS_LEN);
	put_str(f, 0, "FACS", 4);
	put32(f, 4, FACS_LEN);
	put8(f, 32, 2);				/* version */
}

static int cfg_ok(const struct acpi_shim_cfg *cfg)
{
	u32 i, j;

	if (!cfg->cpu_count || cfg->cpu_count > ACPI_SHIM_CPUS_MAX || !cfg->pm_base ||
	    cfg->sci_irq > 15 || cfg->pm_base > 0xffff - 12 || !cfg->pci_mem_base ||
	    cfg->pci_mem_base & 0xfffff || cfg->pci_mem_base > PCI_MEM_END)
		return 0;
	for (i = 0; i < cfg->cpu_count; i++) {
		if (cfg->apic_ids[i] == 0xff)
			return 0;
		for (j = 0; j < i; j++)
			if (cfg->apic_ids[j] == cfg->apic_ids[i])
				return 0;
	}
	return 1;
}

int acpi_shim_build(const struct acpi_shim_cfg *cfg, const struct acpi_shim_mem *mem,
		    struct acpi_shim_out *out)
{
	u32 xsdt, rsdt, fadt, madt, dsdt, end, aml_len, i;
	u8 aml[AML_MAX];
	u8 *t = mem->tables;
	u64 base = mem->tables_phys;

	if (!cfg_ok(cfg) || !t || !mem->facs || mem->facs_size < FACS_LEN ||
	    mem->facs_phys & 63 || mem->facs_phys + FACS_LEN > BIT(32))
		return -1;
	xsdt = ALIGN_UP(RSDP_LEN, 16);
	rsdt = ALIGN_UP(xsdt + HDR_LEN + 2 * 8, 16);
	fadt = ALIGN_UP(rsdt + HDR_LEN + 2 * 4, 16);
	madt = ALIGN_UP(fadt + FADT_LEN, 16);
	dsdt = ALIGN_UP(madt + madt_len(cfg->cpu_count), 16);
	aml_len = build_dsdt_aml(aml, cfg->pci_mem_base);
	end = dsdt + HDR_LEN + aml_len;
	if (end > mem->tables_size || base + end > BIT(32))
		return -1;
	zero(t, end);

	build_facs(mem->facs);
	build_madt(t + madt, cfg);
	header(t + dsdt, "DSDT", HDR_LEN + aml_len, 2);
	for (i = 0; i < aml_len; i++)
		t[dsdt + HDR_LEN + i] = aml[i];
	seal(t + dsdt);
	build_fadt(t + fadt, cfg, mem->facs_phys, base + dsdt);

	header(t + xsdt, "XSDT", HDR_LEN + 2 * 8, 1);
	put64(t + xsdt, HDR_LEN, base + fadt);
	put64(t + xsdt, HDR_LEN + 8, base + madt);
	seal(t + xsdt);
	header(t + rsdt, "RSDT", HDR_LEN + 2 * 4, 1);
	put32(t + rsdt, HDR_LEN, (u32)(base + fadt));
	put32(t + rsdt, HDR_LEN + 4, (u32)(base + madt));
	seal(t + rsdt);

	put_str(t, 0, "RSD PTR ", 8);
	put_str(t, 9, "MAMORI", 6);
	put8(t, 15, 2);				/* revision: ACPI 2.0+, has XSDT */
	put32(t, 16, (u32)(base + rsdt));
	put32(t, 20, RSDP_LEN);
	put64(t, 24, base + xsdt);
	put8(t, 8, acpi_checksum(t, 20));
	put8(t, 32, acpi_checksum(t, RSDP_LEN));

	out->rsdp = base;
	out->xsdt = base + xsdt;
	out->rsdt = base + rsdt;
	out->fadt = base + fadt;
	out->madt = base + madt;
	out->dsdt = base + dsdt;
	out->facs = mem->facs_phys;
	out->used = end;
	return 0;
}
