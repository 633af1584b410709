// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only EFI program (never installed): drives drivers/vtd*.c on QEMU's
 * emulated VT-d (-machine q35 -device intel-iommu). It finds the DMAR through
 * the EFI configuration table, enables DMA remapping with one page it
 * allocated as the "VMM region" hole, then has the q35 AHCI controller
 * (00:1f.2, port 0) DMA IDENTIFY DEVICE data into that protected page (must
 * fault: fault record, page unchanged) and into an allowed page (must land).
 * A control run into the protected page before VT-d is on must land, so a
 * broken AHCI path cannot pass as protection. Peer to peer: a DMA into the
 * VGA framebuffer BAR (another device's MMIO, not RAM) lands before VT-d is
 * on and must fault after (only the memory map's RAM is mapped). Then ECAM
 * (drivers/pci_mcfg.c): q35's MCFG parsed, its base the one PCIEXBAR decodes,
 * and 00:1f.2's ECAM page reading what 0xcf8 reads. DMA windows: a second page of the
 * hole, a window for 00:1f.2 (domain 2), must take its DMA; re-programmed
 * with that window given to another requester (00:1f.3), the AHCI's DMA into
 * it must fault. Results on COM1 as
 * "VTD-TEST: ..." lines, ending "VTD-TEST: RESULT PASS|FAIL"; then power-off.
 */
#include <efi.h>
#include <efilib.h>
#include <drivers/ahci.h>
#include <drivers/pci_ecam.h>
#include <drivers/vtd.h>
#include <mamori/boot_info.h>
#include <mamori/console.h>
#include <mamori/log.h>
#include <asm/io.h>

#define COM1		0x3f8
#define AHCI_BDF	((0u << 16) | (0x1fu << 11) | (2u << 8))
#define AHCI_RID	0x00fa		/* 00:1f.2 as a requester ID */
#define OTHER_RID	0x00fb		/* 00:1f.3 (SMBus): owns the window in the second run */
#define PATTERN		0x5a
#define AHCI_WAIT	50000000U

/* AHCI port 0 (registers and bits from the intercept's own header) */
#define P0		AHCI_PORT_BASE
#define CMD_FR		BIT(14)
#define CMD_CR		BIT(15)
#define IS_TFES		BIT(30)
#define ATA_IDENTIFY		0xec
#define ATA_READ_DMA_EXT	0x25
#define ATA_WRITE_DMA_EXT	0x35
#define WPATTERN	0xc3

static int failures;

/* mamori/console.h for vmm/log.c: lines go to COM1. */
void console_write_line(const char *s)
{
	for (; *s; s++) {
		u32 spin = 100000;

		if (*s == '\n')
			console_write_line("\r");
		while (!(inb(COM1 + 5) & 0x20) && --spin)
			;
		outb(COM1, (u8)*s);
	}
}

/* vmm/log.c queues info lines; here every line goes out at once. */
void console_queue_line(const char *s)
{
	console_write_line(s);
}

static void check(bool ok, const char *what)
{
	log_printk(LOG_INFO, "VTD-TEST: %s %s\n", ok ? "PASS" : "FAIL", what);
	failures += !ok;
}

static void *alloc_below_4g(UINTN pages)
{
	EFI_PHYSICAL_ADDRESS a = 0xffffffffULL;

	if (EFI_ERROR(uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress,
					EfiBootServicesData, pages, &a)))
		return NULL;
	ZeroMem((void *)a, pages * PAGE_SIZE);
	return (void *)a;
}

static void *mm_alloc(void *ctx)
{
	return alloc_below_4g(1);
}

static u64 mm_v2p(void *ctx, void *p)
{
	return (u64)p;
}

static const void *acpi_map(void *ctx, u64 pa, u64 len)
{
	return (const void *)pa;
}

static u32 pci_read32(u32 off)
{
	outl(0xcf8, 0x80000000U | AHCI_BDF | off);
	return inl(0xcfc);
}

/* The first display controller's BAR0 on bus 0, 8 MiB in (past the screen), or NULL. */
static u8 *vga_target(void)
{
	u32 dev, id, bar;

	for (dev = 0; dev < 32; dev++) {
		outl(0xcf8, 0x80000000U | dev << 11 | 0x08);
		id = inl(0xcfc);
		if ((id >> 24) != 0x03)
			continue;
		outl(0xcf8, 0x80000000U | dev << 11 | 0x10);
		bar = inl(0xcfc);
		if (bar & 1 || !(bar & ~0xfU))
			continue;
		log_printk(LOG_INFO, "VTD-TEST: display controller 00:%02x.0 BAR0 0x%x\n", dev,
			   bar & ~0xfU);
		return (u8 *)(u64)(bar & ~0xfU) + 8 * 1024 * 1024;
	}
	return NULL;
}

/* The firmware's memory map as the loader hands it to the VMM (boot_info.h). */
static u32 get_mem_map(struct boot_mem_range *out, u32 max)
{
	UINTN n, key, dsize, i;
	UINT32 dver;
	EFI_MEMORY_DESCRIPTOR *map = LibMemoryMap(&n, &key, &dsize, &dver), *d;
	u32 count = 0;

	for (i = 0, d = map; map && i < n && count < max; i++) {
		out[count++] = (struct boot_mem_range){ .base = d->PhysicalStart,
			.pages = d->NumberOfPages, .type = d->Type, .attr = d->Attribute };
		d = NextMemoryDescriptor(d, dsize);
	}
	if (map)
		FreePool(map);
	return count;
}

static void pci_write32(u32 off, u32 v)
{
	outl(0xcf8, 0x80000000U | AHCI_BDF | off);
	outl(0xcfc, v);
}

static volatile u32 *abar;

static u32 prd(u32 off)
{
	return abar[(P0 + off) / 4];
}

static void pwr(u32 off, u32 v)
{
	abar[(P0 + off) / 4] = v;
}

static bool port_wait(u32 off, u32 mask, u32 want)
{
	u32 n;

	for (n = 0; n < AHCI_WAIT; n++)
		if ((prd(off) & mask) == want)
			return true;
	return false;
}

static u8 *cmd_list, *fis_area, *cmd_table;

/* Take port 0 from the firmware's driver: our command list and FIS area. */
static bool ahci_setup(void)
{
	u32 bar = pci_read32(0x24);

	abar = (volatile u32 *)(u64)(bar & ~0xfU);
	pci_write32(0x04, pci_read32(0x04) | 0x6);	/* memory, bus master */
	abar[1] |= BIT(31);				/* GHC.AE */
	if ((prd(PX_SSTS) & 0xf) != 3) {
		log_printk(LOG_ERR, "VTD-TEST: no disk on AHCI port 0 (SSTS 0x%x)\n", prd(PX_SSTS));
		return false;
	}
	pwr(PX_CMD, prd(PX_CMD) & ~PX_CMD_ST);
	if (!port_wait(PX_CMD, CMD_CR, 0))
		return false;
	pwr(PX_CMD, prd(PX_CMD) & ~PX_CMD_FRE);
	if (!port_wait(PX_CMD, CMD_FR, 0))
		return false;
	cmd_list = alloc_below_4g(1);
	fis_area = alloc_below_4g(1);
	cmd_table = alloc_below_4g(1);
	if (!cmd_list || !fis_area || !cmd_table)
		return false;
	pwr(PX_CLB, (u32)(u64)cmd_list);
	pwr(PX_CLBU, 0);
	pwr(PX_FB, (u32)(u64)fis_area);
	pwr(PX_FBU, 0);
	pwr(PX_IE, 0);
	pwr(PX_SERR, ~0U);
	pwr(PX_IS, ~0U);
	pwr(PX_CMD, prd(PX_CMD) | PX_CMD_FRE);
	if (!port_wait(PX_TFD, 0x88, 0))
		return false;
	pwr(PX_CMD, prd(PX_CMD) | PX_CMD_ST);
	return true;
}

/*
 * One 512-byte command on port 0: IDENTIFY DEVICE or READ DMA EXT (device
 * writes @buf) or WRITE DMA EXT (device reads @buf), sector @lba.
 */
static bool ahci_cmd(u8 cmd, u64 lba, void *buf)
{
	u32 *hdr = (u32 *)cmd_list, *prdt = (u32 *)(cmd_table + 0x80);
	bool write = cmd == ATA_WRITE_DMA_EXT;
	u8 *cfis = cmd_table;

	ZeroMem(cmd_table, PAGE_SIZE);
	cfis[0] = 0x27;		/* H2D register FIS */
	cfis[1] = 0x80;		/* command */
	cfis[2] = cmd;
	cfis[4] = (u8)lba;
	cfis[5] = (u8)(lba >> 8);
	cfis[6] = (u8)(lba >> 16);
	cfis[7] = cmd == ATA_IDENTIFY ? 0xa0 : 0x40;
	cfis[8] = (u8)(lba >> 24);
	cfis[12] = cmd == ATA_IDENTIFY ? 0 : 1;
	prdt[0] = (u32)(u64)buf;
	prdt[1] = 0;
	prdt[3] = 512 - 1;
	hdr[0] = 5 | (write ? BIT(6) : 0) | (1U << 16);	/* CFL 5 dwords, W, one PRD */
	hdr[1] = 0;
	hdr[2] = (u32)(u64)cmd_table;
	hdr[3] = 0;
	__asm__ volatile("mfence" ::: "memory");
	pwr(PX_IS, ~0U);
	pwr(PX_CI, 1);
	if (!port_wait(PX_CI, 1, 0)) {
		log_printk(LOG_ERR, "VTD-TEST: command 0x%x timed out (IS 0x%x TFD 0x%x)\n",
			   cmd, prd(PX_IS), prd(PX_TFD));
		return false;
	}
	if (prd(PX_IS) & IS_TFES) {
		log_printk(LOG_ERR, "VTD-TEST: command 0x%x failed (IS 0x%x TFD 0x%x SERR 0x%x)\n",
			   cmd, prd(PX_IS), prd(PX_TFD), prd(PX_SERR));
		return false;
	}
	return true;
}

static bool ahci_identify(void *buf)
{
	return ahci_cmd(ATA_IDENTIFY, 0, buf);
}

static bool page_is(const u8 *p, u8 v)
{
	u32 i;

	for (i = 0; i < PAGE_SIZE; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* IDENTIFY data of QEMU's disk: model "QEMU HARDDISK" (byte-swapped words). */
static bool is_identify(const u8 *p)
{
	return p[54] == 'E' && p[55] == 'Q' && p[56] == 'U' && p[57] == 'M';
}

static u64 find_rsdp(void)
{
	static EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	u64 rsdp = 0;
	UINTN i;

	for (i = 0; i < ST->NumberOfTableEntries; i++)
		if (!CompareGuid(&ST->ConfigurationTable[i].VendorGuid, &acpi20))
			rsdp = (u64)ST->ConfigurationTable[i].VendorTable;
	return rsdp;
}

static int find_dmar(struct dmar_info *dmar)
{
	const struct acpi_map map = { acpi_map, NULL };
	u64 rsdp = find_rsdp(), pa;
	u32 len;
	int err;

	err = acpi_find_table(&map, rsdp, "DMAR", &pa, &len);
	if (!err)
		err = dmar_parse((const void *)pa, len, dmar);
	log_printk(LOG_INFO, "VTD-TEST: RSDP 0x%llx DMAR 0x%llx (%u bytes): %d, %u unit(s)\n",
		   (unsigned long long)rsdp, (unsigned long long)pa, len, err, dmar->unit_count);
	return err;
}

/* Faults on @page by the AHCI (write or read as @write) since the last poll, over all units. */
static bool ahci_faulted(struct vtd *v, const void *page, bool write)
{
	struct vtd_fault f[4];
	bool hit = false;
	u32 i, n;

	for (i = 0; i < v->unit_count; i++) {
		n = vtd_fault_poll(&v->units[i], f, ARRAY_SIZE(f));
		while (n--)
			hit |= f[n].addr == (u64)page && f[n].write == write &&
			       f[n].source == AHCI_RID;
	}
	return hit;
}

/*
 * Second run: the tables re-programmed (SRTP, context-cache and IOTLB
 * invalidation) with the window page owned by another requester: the AHCI,
 * now in domain 1, must not reach it.
 */
static void run_window_other(struct vtd *first, const struct dmar_info *dmar,
			     const struct vtd_space *sp, u8 *win)
{
	static struct vtd vtd2;

	vtd2.mm = first->mm;
	SetMem(win, PAGE_SIZE, PATTERN);
	check(!vtd_add_window(&vtd2, sp, OTHER_RID, (u64)win, PAGE_SIZE) &&
	      !vtd_enable_all(&vtd2, dmar, sp), "re-programmed: window for 00:1f.3 only");
	if (failures)
		return;
	ahci_identify(win);
	check(page_is(win, PATTERN), "DMA by 00:1f.2 into 00:1f.3's window did not land");
	check(ahci_faulted(&vtd2, win, true), "fault recorded: write to 00:1f.3's window by 00:1f.2");
}

static void run(void)
{
	static struct dmar_info dmar;
	static struct vtd vtd;
	static struct boot_mem_range mem[BOOT_MEM_MAX];
	struct vtd_space sp = { .mem = mem };
	struct vtd_fault f[4];
	u8 *prot, *win, *allowed, *peer = vga_target();
	u32 i, n = 0, faults = 0;
	bool on = true, hit = false;

	check(!find_dmar(&dmar) && dmar.unit_count, "DMAR table found and parsed");
	prot = alloc_below_4g(2);	/* the "VMM region": P, then the window page */
	win = prot ? prot + PAGE_SIZE : NULL;
	allowed = alloc_below_4g(1);
	if (failures || !prot || !allowed || !ahci_setup()) {
		check(false, "AHCI port 0 set up");
		return;
	}
	/* Control: without VT-d the device reaches the page. */
	SetMem(prot, PAGE_SIZE, PATTERN);
	check(ahci_identify(prot) && is_identify(prot), "control: IDENTIFY lands before VT-d is on");
	log_printk(LOG_INFO, "VTD-TEST: control page %02x %02x %02x %02x, port CMD 0x%x\n",
		   prot[0], prot[1], prot[54], prot[55], prd(PX_CMD));
	SetMem(prot, PAGE_SIZE, PATTERN);
	SetMem(allowed, PAGE_SIZE, PATTERN);
	check(peer != NULL, "a display controller's BAR as peer-to-peer target");
	if (failures)
		return;
	SetMem(peer, 512, PATTERN);
	check(ahci_identify(peer) && is_identify(peer),
	      "control: IDENTIFY lands in the display BAR before VT-d is on");
	SetMem(peer, 512, PATTERN);

	sp.mem_count = get_mem_map(mem, BOOT_MEM_MAX);
	sp.hole_base = (u64)prot;
	sp.hole_size = 2 * PAGE_SIZE;
	vtd.mm = (struct vtd_mm){ mm_alloc, mm_v2p, NULL, NULL };
	SetMem(win, PAGE_SIZE, PATTERN);
	check(!vtd_add_window(&vtd, &sp, AHCI_RID, (u64)win, PAGE_SIZE),
	      "DMA window for 00:1f.2 on the hole's second page");
	check(!vtd_enable_all(&vtd, &dmar, &sp), "vtd_enable_all");
	for (i = 0; i < vtd.unit_count; i++)
		on &= vtd.units[i].enabled &&
		      (*(volatile u32 *)(vtd.units[i].regs + 0x1c) & BIT(31));
	check(on && vtd.unit_count, "translation enabled (GSTS.TES) on every unit");
	if (failures)
		return;

	ahci_identify(prot);
	for (i = 0; i < vtd.unit_count; i++) {
		n = vtd_fault_poll(&vtd.units[i], f, ARRAY_SIZE(f));
		faults += n;
		while (n--)
			hit |= f[n].addr == (u64)prot && f[n].write && f[n].source == AHCI_RID;
	}
	check(page_is(prot, PATTERN), "DMA into the protected page did not land");
	check(hit, "fault recorded: write to the protected page by 00:1f.2");

	ahci_identify(peer);
	for (i = 0, hit = false; i < vtd.unit_count; i++) {
		n = vtd_fault_poll(&vtd.units[i], f, ARRAY_SIZE(f));
		while (n--)
			hit |= f[n].addr == (u64)peer && f[n].write && f[n].source == AHCI_RID;
	}
	check(peer[0] == PATTERN && peer[511] == PATTERN && !is_identify(peer),
	      "peer-to-peer DMA into the display BAR did not land");
	check(hit, "fault recorded: peer-to-peer write to the display BAR by 00:1f.2");

	check(ahci_identify(allowed) && is_identify(allowed), "DMA into an allowed page landed");
	for (i = 0, n = 0; i < vtd.unit_count; i++)
		n += vtd_fault_poll(&vtd.units[i], NULL, 0);
	check(n == 0, "no fault for the allowed page");

	/*
	 * Device reads: WRITE DMA EXT from the protected page (sector 1) must
	 * fault and not carry its bytes to the disk; from an allowed page
	 * (sector 2) it must. Read back through READ DMA EXT; the script also
	 * checks the disk image.
	 */
	SetMem(allowed, PAGE_SIZE, WPATTERN);
	ahci_cmd(ATA_WRITE_DMA_EXT, 1, prot);
	for (i = 0, hit = false; i < vtd.unit_count; i++) {
		n = vtd_fault_poll(&vtd.units[i], f, ARRAY_SIZE(f));
		while (n--)
			hit |= f[n].addr == (u64)prot && !f[n].write && f[n].source == AHCI_RID;
	}
	check(hit, "fault recorded: read of the protected page by 00:1f.2");
	check(ahci_cmd(ATA_WRITE_DMA_EXT, 2, allowed), "WRITE DMA EXT from an allowed page");
	SetMem(allowed, PAGE_SIZE, 0);
	check(ahci_cmd(ATA_READ_DMA_EXT, 1, allowed) && allowed[0] != PATTERN &&
	      allowed[511] != PATTERN, "the protected page's bytes did not reach the disk");
	check(ahci_cmd(ATA_READ_DMA_EXT, 2, allowed) && allowed[0] == WPATTERN &&
	      allowed[511] == WPATTERN, "an allowed page's bytes reached the disk");
	check(ahci_identify(win) && is_identify(win), "DMA by 00:1f.2 into its window landed");
	check(!ahci_faulted(&vtd, win, true), "no fault for 00:1f.2's window");
	for (i = 0, n = 0; i < vtd.unit_count; i++)
		n += vtd_unit_check(&vtd, &vtd.units[i]) != 0;
	check(n == 0, "every unit still translates with our root table (vtd_unit_check)");
	run_window_other(&vtd, &dmar, &sp, win);
	log_printk(LOG_INFO, "VTD-TEST: %u fault(s) on the protected page, %u table pages, %u memory map entries\n",
		   faults, vtd.pt.table_pages, sp.mem_count);
}

static u32 host_read32(u32 off)
{
	outl(0xcf8, 0x80000000U | off);
	return inl(0xcfc);
}

/* The MCFG as the VMM's ecam phase reads it, against the chipset's decoder. */
static void ecam_check(void)
{
	static struct mcfg_info m;
	const struct acpi_map map = { acpi_map, NULL };
	u64 pa = 0, base;
	u32 len = 0, buses;
	int err = acpi_find_table(&map, find_rsdp(), "MCFG", &pa, &len);

	if (!err)
		err = mcfg_parse((const void *)pa, len, &m);
	base = q35_pciexbar_decode(host_read32(Q35_PCIEXBAR) |
				   (u64)host_read32(Q35_PCIEXBAR + 4) << 32, &buses);
	log_printk(LOG_INFO, "VTD-TEST: MCFG 0x%llx (%u bytes): %d, %u window(s); PCIEXBAR decodes 0x%llx, %u buses\n",
		   (unsigned long long)pa, len, err, err ? 0 : m.count,
		   (unsigned long long)base, buses);
	check(!err && m.count && !m.win[0].segment && base && m.win[0].base == base,
	      "ECAM: MCFG parsed, its base is where PCIEXBAR decodes");
	check(base && *(volatile u32 *)(base + ((u64)AHCI_BDF << 4)) == pci_read32(0),
	      "ECAM: 00:1f.2's page reads what 0xcf8 reads");
}

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	InitializeLib(image, systab);
	log_printk(LOG_INFO, "VTD-TEST: start\n");
	run();
	ecam_check();
	log_printk(LOG_INFO, "VTD-TEST: RESULT %s\n", failures ? "FAIL" : "PASS");
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	return EFI_SUCCESS;
}
