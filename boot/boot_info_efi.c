// SPDX-License-Identifier: GPL-2.0-only
/* Collect the boot information from UEFI (memory map, ACPI, GOP, CPUs, policy). */
#include <efi.h>
#include <efilib.h>
#include "boot_info_build.h"
#include "cpu_census.h"
#include "loader.h"
#include "efi_mp.h"

static EFI_GUID mp_services_guid = EFI_MP_SERVICES_GUID;

void loader_options(EFI_LOADED_IMAGE *img, struct boot_info *bi, CHAR16 *next, UINTN max,
		    struct bi_next_args *args)
{
	const char *why = "";

	StrCpy(next, NEXT_STAGE_DEFAULT);
	bi_init(bi);
	if (bi_set_options(bi, img->LoadOptions, img->LoadOptionsSize, next, max, args, &why)) {
		loader_fail_msg(L"load options refused", why);
		loader_halt(L"malformed load options", EFI_INVALID_PARAMETER);
	}
}

/* The ACPI 2.0 RSDP, else the ACPI 1.0 one: the OS finds either. */
static void fill_acpi(struct boot_info *bi)
{
	static EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	UINTN i;

	for (i = 0; i < ST->NumberOfTableEntries; i++)
		if (!CompareGuid(&ST->ConfigurationTable[i].VendorGuid, &acpi20))
			bi->acpi_rsdp = (u64)ST->ConfigurationTable[i].VendorTable;
	for (i = 0; i < ST->NumberOfTableEntries && !bi->acpi_rsdp; i++)
		if (!CompareGuid(&ST->ConfigurationTable[i].VendorGuid, &acpi10))
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

/* What MP services report: NULL without them or when a call fails. */
static struct census_cpu *mp_cpus(UINTN *count)
{
	static struct census_cpu cpus[BOOT_CPUS_MAX];
	struct mp_services *mp;
	struct mp_cpu_info info;
	UINTN enabled, i;

	if (EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &mp_services_guid, NULL,
					(void **)&mp)) ||
	    EFI_ERROR(uefi_call_wrapper(mp->get_count, 3, mp, count, &enabled)))
		return NULL;
	for (i = 0; i < *count && i < BOOT_CPUS_MAX; i++) {
		if (EFI_ERROR(uefi_call_wrapper(mp->get_info, 3, mp, i, &info)))
			return NULL;
		cpus[i] = (struct census_cpu){ (u32)info.processor_id, info.status_flag };
	}
	return cpus;
}

static int census_refused(const struct census_result *r)
{
	switch (r->verdict) {
	case CENSUS_NO_MP:
		loader_log(L"mamori: refused: no usable UEFI MP services, and the ACPI MADT does "
			   L"not show the boot CPU alone (%d startable): other processors would "
			   L"run outside VMX\n", r->count);
		break;
	case CENSUS_TOO_MANY:
		loader_log(L"mamori: refused: %d processors; the VMM brings at most %d under VMX\n",
			   r->count, BOOT_CPUS_MAX);
		break;
	case CENSUS_DISABLED:
		loader_log(L"mamori: refused: processor APIC %d is disabled by the firmware but the "
			   L"OS could start it outside VMX (the MADT lists it, or no MADT)\n",
			   r->apic_id);
		break;
	case CENSUS_MADT_EXTRA:
		loader_log(L"mamori: refused: the ACPI MADT lets the OS start processor APIC %d, "
			   L"which MP services did not report enabled: it would run outside VMX\n",
			   r->apic_id);
		break;
	default:
		loader_log(L"mamori: refused: the ACPI MADT is malformed; cannot tell which "
			   L"processors the OS may start\n");
		break;
	}
	return -1;
}

/* Every processor the OS could start goes under VMX, boot CPU first, or the boot stops. */
static int fill_cpus(struct boot_info *bi)
{
	static struct census_madt madt;
	struct census_result r;
	struct census_cpu *mp;
	UINTN n = 0;

	census_read_madt(bi->acpi_rsdp, &madt);
	mp = mp_cpus(&n);
	if (census_decide(bi, cpu_apic_id(), mp, (u32)MIN(n, 0xffffffffu), &madt, &r))
		return census_refused(&r);
	return 0;
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
	if (fill_cpus(bi))
		return loader_fail(L"a processor would stay outside VMX", EFI_UNSUPPORTED);
	fill_trampoline(bi);
	fill_policy(bi);
	if (fill_memmap(bi))
		return loader_fail(L"memory map unusable", EFI_LOAD_ERROR);
	loader_log(L"boot info: %d memory ranges, %d CPUs, ACPI %a, GOP %a, policy %a\n",
		   bi->mem_count, bi->cpu_count, bi->acpi_rsdp ? "yes" : "no",
		   bi->fb_present ? "yes" : "no", bi->policy ? "yes" : "no");
	return 0;
}
