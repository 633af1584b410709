// SPDX-License-Identifier: GPL-2.0-only
/*
 * acpi-shim.efi (test-only, never part of Mamori): install the ACPI tables
 * real firmware would install on Bochs' i440FX/PIIX4, which OVMF on Bochs 2.7
 * does not, then chainload \EFI\mamori\mamori.efi from the same volume. CPUs
 * come from EFI_MP_SERVICES_PROTOCOL, the IOAPIC ID and the PM base from the
 * hardware. See docs/testing.md.
 */
#include <efi.h>
#include <efilib.h>
#include "acpi_tables.h"
#include "efi_mp.h"	/* boot/ (EFI_CFLAGS has -Iboot) */

#define NEXT_PATH	L"\\EFI\\mamori\\mamori.efi"
#define IOAPIC_BASE	0xfec00000u
#define PIIX4_PM_BDF	((1u << 11) | (3u << 8))	/* 00:01.3 */
#define PIIX4_PM_ID	0x71138086u
#define PM_BASE_DEFAULT	0xb000			/* OVMF's PcdAcpiPmBaseAddress */
#define MP_CPU_ENABLED	0x2
#ifndef ACPI_SHIM_PHANTOM_CPU
#define ACPI_SHIM_PHANTOM_CPU	0	/* 1: the e2e variant below */
#endif

static EFI_GUID mp_services_guid = EFI_MP_SERVICES_GUID;

static __noreturn void shim_halt(const CHAR16 *why, EFI_STATUS st)
{
	Print(L"acpi-shim: %s: %r\r\nacpi-shim: halted\r\n", why, st);
	for (;;)
		uefi_call_wrapper(BS->Stall, 1, 1000000);
}

static u32 pci_read32(u32 bdf, u32 reg)
{
	u32 v;

	__asm__ volatile("outl %0, %1" : : "a"(0x80000000u | bdf | reg), "Nd"((u16)0xcf8));
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"((u16)0xcfc));
	return v;
}

static u8 boot_apic_id(void)
{
	u32 a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	return (u8)(b >> 24);
}

/* Boot CPU first, then every enabled CPU that MP services reports. */
static void find_cpus(struct acpi_shim_cfg *cfg)
{
	struct mp_services *mp;
	struct mp_cpu_info info;
	UINTN n = 0, enabled, i;
	EFI_STATUS st;

	cfg->cpu_count = 1;
	cfg->apic_ids[0] = boot_apic_id();
	st = uefi_call_wrapper(BS->LocateProtocol, 3, &mp_services_guid, NULL, (void **)&mp);
	if (!EFI_ERROR(st))
		st = uefi_call_wrapper(mp->get_count, 3, mp, &n, &enabled);
	if (EFI_ERROR(st)) {
		Print(L"acpi-shim: no MP services (%r): boot CPU only\r\n", st);
		return;
	}
	for (i = 0; i < n && cfg->cpu_count < ACPI_SHIM_CPUS_MAX; i++) {
		if (EFI_ERROR(uefi_call_wrapper(mp->get_info, 3, mp, i, &info)))
			continue;
		if (!(info.status_flag & MP_CPU_ENABLED) ||
		    info.processor_id == cfg->apic_ids[0])
			continue;
		if (info.processor_id >= 0xff) {
			Print(L"acpi-shim: APIC ID %ld needs x2APIC entries: skipped\r\n",
			      info.processor_id);
			continue;
		}
		cfg->apic_ids[cfg->cpu_count++] = (u8)info.processor_id;
	}
}

/*
 * The e2e variant (build/tests/e2e/acpi-shim-phantom.efi, t-refuse-madt-cpu)
 * lists one processor more than MP services reports, as firmware whose MADT
 * names a CPU the VMM would not bring under VMX.
 */
static void add_phantom_cpu(struct acpi_shim_cfg *cfg)
{
	u8 id = 0;
	u32 i;

	for (i = 0; i < cfg->cpu_count; i++)
		id = cfg->apic_ids[i] >= id ? cfg->apic_ids[i] + 1 : id;
	cfg->apic_ids[cfg->cpu_count++] = id;
	Print(L"acpi-shim: TEST VARIANT: the MADT lists phantom processor APIC %d\r\n", id);
}

static u8 ioapic_id(void)
{
	volatile u32 *ioapic = (volatile u32 *)(UINTN)IOAPIC_BASE;

	ioapic[0] = 0;				/* IOREGSEL: IOAPICID */
	return (u8)((ioapic[4] >> 24) & 0xf);	/* IOWIN */
}

static u16 pm_base(void)
{
	u32 pmba;

	if (pci_read32(PIIX4_PM_BDF, 0) != PIIX4_PM_ID ||
	    !(pci_read32(PIIX4_PM_BDF, 0x80) & 1)) {
		Print(L"acpi-shim: PIIX4 PM I/O not enabled; assuming 0x%x\r\n",
		      PM_BASE_DEFAULT);
		return PM_BASE_DEFAULT;
	}
	pmba = pci_read32(PIIX4_PM_BDF, 0x40) & 0xffc0;
	return pmba ? (u16)pmba : PM_BASE_DEFAULT;
}

/* The PCI memory window starts above the highest RAM below 4 GiB (1 MiB aligned). */
static u32 pci_mem_base(void)
{
	UINTN entries, key, dsize;
	UINT32 dver;
	EFI_MEMORY_DESCRIPTOR *map, *d;
	u64 top = 0x100000, end;
	UINTN i;

	map = LibMemoryMap(&entries, &key, &dsize, &dver);
	if (!map)
		shim_halt(L"cannot read the memory map", EFI_OUT_OF_RESOURCES);
	for (i = 0; i < entries; i++) {
		d = (EFI_MEMORY_DESCRIPTOR *)((u8 *)map + i * dsize);
		if (d->Type == EfiReservedMemoryType || d->Type == EfiUnusableMemory ||
		    d->Type >= EfiMemoryMappedIO)
			continue;
		end = d->PhysicalStart + d->NumberOfPages * EFI_PAGE_SIZE;
		if (end <= 0xfec00000ULL && end > top)
			top = end;
	}
	FreePool(map);
	return (u32)ALIGN_UP(top, 0x100000);
}

static int have_acpi(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	UINTN i;

	for (i = 0; i < ST->NumberOfTableEntries; i++)
		if (!CompareGuid(&ST->ConfigurationTable[i].VendorGuid, &acpi20))
			return 1;
	return 0;
}

static void install_tables(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	EFI_PHYSICAL_ADDRESS tables = 0xffffffff, facs = 0xffffffff;
	struct acpi_shim_cfg cfg = { .ioapic_addr = IOAPIC_BASE, .sci_irq = 9 };
	struct acpi_shim_mem mem;
	struct acpi_shim_out out;
	EFI_STATUS st;
	u32 i;

	find_cpus(&cfg);
	if (ACPI_SHIM_PHANTOM_CPU && cfg.cpu_count < ACPI_SHIM_CPUS_MAX)
		add_phantom_cpu(&cfg);
	cfg.ioapic_id = ioapic_id();
	cfg.pm_base = pm_base();
	cfg.pci_mem_base = pci_mem_base();
	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress,
			       EfiACPIReclaimMemory, 2, &tables);
	if (!EFI_ERROR(st))
		st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress,
				       EfiACPIMemoryNVS, 1, &facs);
	if (EFI_ERROR(st))
		shim_halt(L"cannot allocate table memory below 4 GiB", st);
	mem = (struct acpi_shim_mem){ (u8 *)(UINTN)tables, tables, 2 * EFI_PAGE_SIZE,
				      (u8 *)(UINTN)facs, facs, EFI_PAGE_SIZE };
	if (acpi_shim_build(&cfg, &mem, &out))
		shim_halt(L"cannot build the tables for this platform", EFI_INVALID_PARAMETER);
	st = uefi_call_wrapper(BS->InstallConfigurationTable, 2, &acpi20,
			       (void *)(UINTN)out.rsdp);
	if (EFI_ERROR(st))
		shim_halt(L"InstallConfigurationTable(ACPI 2.0)", st);
	Print(L"acpi-shim: RSDP 0x%lx: MADT %d CPUs (APIC IDs", out.rsdp, cfg.cpu_count);
	for (i = 0; i < cfg.cpu_count; i++)
		Print(L" %d", cfg.apic_ids[i]);
	Print(L"), IOAPIC %d at 0x%x, FADT PM 0x%x SCI %d, DSDT PCI0 memory from 0x%x\r\n",
	      cfg.ioapic_id, cfg.ioapic_addr, cfg.pm_base, cfg.sci_irq, cfg.pci_mem_base);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *self;
	EFI_DEVICE_PATH *dp;
	EFI_HANDLE next;
	EFI_STATUS st;

	InitializeLib(image, systab);
	Print(L"acpi-shim: test-only ACPI tables for Bochs i440FX/PIIX4\r\n");
	if (have_acpi())
		Print(L"acpi-shim: the firmware has ACPI tables already; adding none\r\n");
	else
		install_tables();

	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
			       (void **)&self);
	if (EFI_ERROR(st))
		shim_halt(L"cannot find its own volume", st);
	dp = FileDevicePath(self->DeviceHandle, NEXT_PATH);
	if (!dp)
		shim_halt(L"cannot build the path of " NEXT_PATH, EFI_OUT_OF_RESOURCES);
	st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, image, dp, NULL, 0, &next);
	if (EFI_ERROR(st))
		shim_halt(L"cannot load " NEXT_PATH, st);
	st = uefi_call_wrapper(BS->StartImage, 3, next, NULL, NULL);
	shim_halt(NEXT_PATH L" returned", st);
}
