// SPDX-License-Identifier: GPL-2.0-only
/* The disk table of boot_info: every EFI_BLOCK_IO disk and GPT partition. */
#include <efi.h>
#include <efilib.h>
#include "disk_info_parse.h"
#include "loader.h"

#define ATA_IDENTIFY_SIZE	512

/* EFI_DISK_INFO_PROTOCOL (UEFI PI spec, vol. 5); gnu-efi does not define it. */
struct efi_disk_info {
	EFI_GUID interface;
	EFI_STATUS (EFIAPI *inquiry)(struct efi_disk_info *self, void *data, UINT32 *size);
	EFI_STATUS (EFIAPI *identify)(struct efi_disk_info *self, void *data, UINT32 *size);
	EFI_STATUS (EFIAPI *sense_data)(struct efi_disk_info *self, void *data, UINT32 *size,
					UINT8 *count);
	EFI_STATUS (EFIAPI *which_ide)(struct efi_disk_info *self, UINT32 *channel,
				       UINT32 *device);
};

static EFI_GUID disk_info_guid = {
	0xd432a67f, 0x14dc, 0x484b, { 0xb3, 0xbb, 0x3f, 0x02, 0x91, 0x84, 0x93, 0x27 }
};

static const char *const kind_names[] = {
	[BOOT_DISK_ATA] = "ata", [BOOT_DISK_AHCI] = "ahci", [BOOT_DISK_NVME] = "nvme",
};

/*
 * The controller's bus from its PCI I/O protocol. Without one, a path with a
 * single PCI node (PciRoot/Pci, no bridge) is assumed to be on root bus 0.
 */
static int disk_locate(EFI_DEVICE_PATH *dp, u32 pci_nodes, struct boot_disk *d)
{
	EFI_PCI_IO_PROTOCOL *pci;
	EFI_DEVICE_PATH *rest = dp;
	EFI_HANDLE h;
	UINTN seg, bus, dev, fn;

	if (!EFI_ERROR(uefi_call_wrapper(BS->LocateDevicePath, 3, &PciIoProtocol, &rest, &h)) &&
	    !EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, h, &PciIoProtocol,
					 (void **)&pci)) &&
	    !EFI_ERROR(uefi_call_wrapper(pci->GetLocation, 5, pci, &seg, &bus, &dev, &fn))) {
		if (seg || dev != d->pci_dev || fn != d->pci_fn)
			return -1;
		d->pci_bus = (u8)bus;
		return 0;
	}
	return pci_nodes == 1 ? 0 : -1;
}

/* Model and serial from ATA IDENTIFY data, when the firmware offers it. */
static void disk_identify(EFI_HANDLE h, struct boot_disk *d)
{
	static u16 id[ATA_IDENTIFY_SIZE / 2];
	struct efi_disk_info *di;
	UINT32 size = sizeof(id);

	if (d->kind == BOOT_DISK_NVME ||
	    EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, h, &disk_info_guid, (void **)&di)) ||
	    EFI_ERROR(uefi_call_wrapper(di->identify, 3, di, id, &size)) ||
	    size < ATA_IDENTIFY_SIZE)
		return;
	disk_ident_string(d->model, sizeof(d->model), id, ATA_ID_MODEL, 20);
	disk_ident_string(d->serial, sizeof(d->serial), id, ATA_ID_SERIAL, 10);
}

static void disk_log(const struct boot_disk *d)
{
	if (d->part_index)
		loader_log(L"disk: %a %d:%d.%d port %d unit %d partition %d sectors [%ld, +%ld)\n",
			   kind_names[d->kind], d->pci_bus, d->pci_dev, d->pci_fn, d->port,
			   d->unit, d->part_index, d->lba_start, d->lba_count);
	else
		loader_log(L"disk: %a %d:%d.%d port %d unit %d, %ld sectors, "
			   L"model \"%a\" serial \"%a\"\n", kind_names[d->kind], d->pci_bus,
			   d->pci_dev, d->pci_fn, d->port, d->unit, d->lba_count, d->model,
			   d->serial);
}

/* One BlockIo handle into @d; 0 when it is a disk or GPT partition to record. */
static int disk_from_handle(EFI_HANDLE h, struct boot_disk *d)
{
	EFI_BLOCK_IO *bio;
	EFI_DEVICE_PATH *dp = DevicePathFromHandle(h);
	u32 pci_nodes;

	if (!dp || EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, h, &BlockIoProtocol,
					       (void **)&bio)) || !bio->Media->MediaPresent)
		return -1;
	if (disk_path_parse(dp, DevicePathSize(dp), d, &pci_nodes) != DISK_PATH_OK)
		return -1;
	if (bio->Media->BlockSize != 512) {
		loader_log(L"disk: %a port %d unit %d: %d-byte blocks, not 512; ignored\n",
			   kind_names[d->kind], d->port, d->unit, bio->Media->BlockSize);
		return -1;
	}
	if (disk_locate(dp, pci_nodes, d)) {
		loader_log(L"disk: %a port %d unit %d: controller location unknown; ignored\n",
			   kind_names[d->kind], d->port, d->unit);
		return -1;
	}
	if (!d->part_index) {
		d->lba_count = bio->Media->LastBlock + 1;
		disk_identify(h, d);
	}
	return 0;
}

void loader_fill_disks(struct boot_info *bi)
{
	EFI_HANDLE *handles = NULL;
	struct boot_disk d;
	UINTN n = 0, i;

	bi->disk_count = 0;
	if (EFI_ERROR(LibLocateHandle(ByProtocol, &BlockIoProtocol, NULL, &n, &handles)))
		return;
	for (i = 0; i < n; i++) {
		if (disk_from_handle(handles[i], &d))
			continue;
		if (disk_info_add(bi, &d))
			loader_log(L"disk: table full (%d entries); an entry was dropped\n",
				   BOOT_DISKS_MAX);
	}
	FreePool(handles);
	disk_info_finish(bi);
	for (i = 0; i < bi->disk_count; i++)
		disk_log(&bi->disks[i]);
}
