// SPDX-License-Identifier: GPL-2.0-only
/* Collect the boot information from UEFI (memory map, ACPI, GOP, CPUs, policy). */
#include <efi.h>
#include <efilib.h>
#include "boot_info_build.h"
#include "loader.h"
#include "efi_mp.h"

static EFI_GUID mp_services_guid = EFI_MP_SERVICES_GUID;

void loader_options(EFI_LOADED_IMAGE *img, struct boot_info *bi, CHAR16 *next, UINTN max)
{
	StrCpy(next, NEXT_STAGE_DEFAULT);
	bi_init(bi);
	if (bi_set_options(bi, img->LoadOptions, img->LoadOptionsSize, next, max))
		loader_halt(L"malformed load options", EFI_INVALID_PARAMETER);
}

static void fill_acpi(struct boot_info *bi)
{
	static EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	UINTN i;

	for (i = 0; i < ST->NumberOfTableEntries; i++)
		if (!CompareGuid(&ST->ConfigurationTable[i].VendorGuid, &acpi20))
			bi->acpi_rsdp = (u64)ST->ConfigurationTable[i].VendorTable;
}

static void fill_gop(struct boot_info *bi)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	EFI_GUID guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;

	if (EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &guid, NULL, (void **)&gop)))
		return;
	bi->fb_present = 1;
	bi->fb.base = gop->Mode->FrameBufferBase;
	bi->fb.size = gop->Mode->FrameBufferSize;
	bi->fb.width = gop->Mode->Info->HorizontalResolution;
	bi->fb.height = gop->Mode->Info->VerticalResolution;
	bi->fb.stride = gop->Mode->Info->PixelsPerScanLine;
	bi->fb.format = gop->Mode->Info->PixelFormat;
}

static u32 cpu_apic_id(void)
{
	u32 a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	return b >> 24;
}

/* Boot CPU first; without MP services, only the boot CPU is known. */
static void fill_cpus(struct boot_info *bi)
{
	struct mp_services *mp;
	struct mp_cpu_info info;
	UINTN n, enabled, i;
	u32 bsp = cpu_apic_id();

	bi->cpu_count = 1;
	bi->cpu_apic_ids[0] = bsp;
	if (EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &mp_services_guid, NULL,
					(void **)&mp)))
		return;
	if (EFI_ERROR(uefi_call_wrapper(mp->get_count, 3, mp, &n, &enabled)))
		return;
	for (i = 0; i < n && bi->cpu_count < BOOT_CPUS_MAX; i++) {
		if (EFI_ERROR(uefi_call_wrapper(mp->get_info, 3, mp, i, &info)))
			continue;
		if ((u32)info.processor_id != bsp)
			bi->cpu_apic_ids[bi->cpu_count++] = (u32)info.processor_id;
	}
}

/* A reserved page below 1 MiB for the VMM's AP start-up code (SIPI target). */
static void fill_trampoline(struct boot_info *bi)
{
	EFI_PHYSICAL_ADDRESS page = 0x9f000;

	if (bi->cpu_count < 2)
		return;
	if (EFI_ERROR(uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress,
					EfiReservedMemoryType, 1, &page)))
		return;
	bi->ap_trampoline = page;
}

static void fill_policy(struct boot_info *bi)
{
	void *buf;
	UINTN size;

	if (EFI_ERROR(loader_read_file(POLICY_PATH, &buf, &size)))
		return;
	bi->policy = (u64)buf;
	bi->policy_size = size;
}

static int fill_memmap(struct boot_info *bi)
{
	UINTN entries, key, desc_size;
	UINT32 desc_ver;
	EFI_MEMORY_DESCRIPTOR *map;
	int rc;

	map = LibMemoryMap(&entries, &key, &desc_size, &desc_ver);
	if (!map)
		return -1;
	rc = bi_set_memmap(bi, map, entries * desc_size, desc_size);
	FreePool(map);
	return rc;
}

int loader_fill_boot_info(struct boot_info *bi)
{
	fill_acpi(bi);
	fill_gop(bi);
	fill_cpus(bi);
	fill_trampoline(bi);
	fill_policy(bi);
	if (fill_memmap(bi))
		return loader_fail(L"memory map unusable", EFI_LOAD_ERROR);
	loader_log(L"boot info: %d memory ranges, %d CPUs, ACPI %a, GOP %a, policy %a\n",
		   bi->mem_count, bi->cpu_count, bi->acpi_rsdp ? "yes" : "no",
		   bi->fb_present ? "yes" : "no", bi->policy ? "yes" : "no");
	return 0;
}
