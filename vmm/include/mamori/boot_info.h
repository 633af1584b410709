/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Mamori loader -> VMM hand-off ABI. Versioned; the VMM refuses a version it
 * does not know. Every address is physical (UEFI runs identity-mapped).
 */
#ifndef MAMORI_BOOT_INFO_H
#define MAMORI_BOOT_INFO_H

#include <mamori/types.h>

#define BOOT_INFO_MAGIC		0x49424d414d4f4d4dULL	/* "MMOMAMBI" */
#define BOOT_INFO_VERSION	3

/* Memory map entry types, a copy of the UEFI ones the VMM cares about. */
enum boot_mem_type {
	BOOT_MEM_RESERVED = 0,
	BOOT_MEM_LOADER_CODE = 1,
	BOOT_MEM_LOADER_DATA = 2,
	BOOT_MEM_BS_CODE = 3,
	BOOT_MEM_BS_DATA = 4,
	BOOT_MEM_RT_CODE = 5,
	BOOT_MEM_RT_DATA = 6,
	BOOT_MEM_CONVENTIONAL = 7,
	BOOT_MEM_UNUSABLE = 8,
	BOOT_MEM_ACPI_RECLAIM = 9,
	BOOT_MEM_ACPI_NVS = 10,
	BOOT_MEM_MMIO = 11,
	BOOT_MEM_MMIO_PORT = 12,
	BOOT_MEM_PAL_CODE = 13,
	BOOT_MEM_PERSISTENT = 14,
};

/* One memory map range, normalised from EFI_MEMORY_DESCRIPTOR. */
struct boot_mem_range {
	u64 base;
	u64 pages;		/* 4 KiB pages */
	u32 type;		/* enum boot_mem_type */
	u32 pad;
	u64 attr;		/* EFI_MEMORY_* attribute bits */
};

#define BOOT_MEM_MAX		512
#define BOOT_OPTIONS_MAX	256
#define BOOT_CPUS_MAX		64

#define BOOT_DISKS_MAX		32

enum boot_disk_kind { BOOT_DISK_ATA = 1, BOOT_DISK_AHCI = 2, BOOT_DISK_NVME = 3 };

/*
 * struct boot_disk - one disk, or one GPT partition of it, as the firmware
 * exposes it (its device path and, for the model/serial, EFI_DISK_INFO's
 * IDENTIFY data). The VMM resolves the policy's disk rules against these
 * once at boot; the guest's later edits of the GPT change nothing.
 * @kind: enum boot_disk_kind.
 * @pci_bus/@pci_dev/@pci_fn: the controller.
 * @port: ATA channel (0/1) or AHCI HBA port; 0 for NVMe.
 * @unit: ATA device (0 master, 1 slave), NVMe namespace ID; 0 for AHCI.
 * @part_index: 1-based GPT entry, or 0 for the whole disk.
 * @part_guid: the partition's unique GUID in GPT on-disk byte order (0 for a disk).
 * @lba_start/@lba_count: 512-byte sectors; the whole disk starts at 0.
 * @model/@serial: trimmed ASCII from IDENTIFY, "" when unknown.
 */
struct boot_disk {
	u8 kind;
	u8 pci_bus, pci_dev, pci_fn;
	u16 port;
	u16 pad;
	u32 unit;
	u32 part_index;
	u8 part_guid[16];
	u64 lba_start;
	u64 lba_count;
	char model[41];
	char serial[21];
	u8 pad1[2];
};

/* GOP framebuffer, when the firmware has one. */
struct boot_fb {
	u64 base;
	u64 size;
	u32 width, height, stride;	/* stride in pixels */
	u32 format;			/* EFI_GRAPHICS_PIXEL_FORMAT */
};

/*
 * struct boot_info - everything the loader hands the VMM.
 * @vmm_base/@vmm_size: the whole reserved region (image + heap + stacks); the
 *	loader allocated it as EfiReservedMemoryType, so the OS never uses it as RAM.
 * @image_size: bytes of it the loaded ELF image occupies (page aligned).
 * @policy/@policy_size: the policy blob as read from the ESP (0 if absent); it
 *	lies in loader memory the VMM must copy from and wipe.
 * @cpu_apic_ids: APIC IDs of all processors (boot CPU first), from UEFI MP services.
 * @ap_trampoline: where the VMM puts the real-mode code that brings the other
 *	processors under it (SIPI vectors must point below 1 MiB).
 * @self: the loader's own copy of this struct; the VMM writes its results
 *	(@policy_accepted_version) there before it launches the guest.
 * @policy_highest_version: the highest policy version accepted before, from
 *	the boot-services-only UEFI variable (docs/policy.md, "Boot"); the VMM
 *	refuses a blob with a lower version.
 * @policy_accepted_version: the version of the policy the VMM accepted and
 *	unlocked; the loader records it in the variable when it is higher.
 * @flags: BOOT_FLAG_*: how the chain up to the VMM was verified. The VMM's
 *	console UART is not here: it is fixed in the signed vmm.elf
 *	(CONSOLE_UART_PORT), never taken from runtime-writable load options.
 */
struct boot_info {
	u64 magic;
	u32 version;
	u32 size;			/* sizeof(struct boot_info) */
	u64 vmm_base;
	u64 vmm_size;
	u64 image_size;
	u64 entry_offset;
	u64 acpi_rsdp;			/* 0 when the firmware has no ACPI tables */
	u64 policy;
	u64 policy_size;
	u32 flags;			/* BOOT_FLAG_* */
	u32 cpu_count;
	u32 cpu_apic_ids[BOOT_CPUS_MAX];
	u64 ap_trampoline;		/* one reserved 4 KiB page below 1 MiB, 0 if none */
	u32 fb_present;
	struct boot_fb fb;
	u32 mem_count;
	struct boot_mem_range mem[BOOT_MEM_MAX];
	char options[BOOT_OPTIONS_MAX];	/* the loader's load options, ASCII */
	u64 self;			/* this struct in loader memory, for results */
	u64 policy_highest_version;	/* in: anti-rollback variable, 0 if unset */
	u64 policy_accepted_version;	/* out: the VMM writes it at @self on accept */
	u32 disk_count;
	u32 pad2;
	struct boot_disk disks[BOOT_DISKS_MAX];	/* disks first, then partitions */
};

/* @flags: the firmware's SecureBoot variable read 1 (the firmware verified the loader). */
#define BOOT_FLAG_SECURE_BOOT	(1u << 0)
/* @flags: vmm.elf verified against a DEVELOPMENT key (build/keys/vmm-dev.key). */
#define BOOT_FLAG_VMM_DEV_KEY	(1u << 1)

/* Return codes of the VMM entry; the loader prints vmm_status_str(). */
enum vmm_status {
	VMM_OK = 0,
	VMM_ERR_BOOT_INFO = 1,		/* boot_info missing, wrong magic/version/size */
	VMM_ERR_SELFTEST = 2,		/* crypto known-answer test failed */
	VMM_ERR_NO_VMX = 3,		/* CPU lacks VT-x or a required feature */
	VMM_ERR_VMX_DISABLED = 4,	/* FEATURE_CONTROL locked with VMX off */
	VMM_ERR_NOMEM = 5,		/* VMM region too small */
	VMM_ERR_LAUNCH = 6,		/* VMLAUNCH failed */
	VMM_ERR_POLICY = 7,		/* policy missing, forged, corrupt or rolled back */
	VMM_ERR_AUTH = 8,		/* unlock failed on the trusted console */
	VMM_ERR_SMP = 9,		/* an application processor could not be started */
	VMM_ERR_DISK = 10,		/* a disk rule of the policy cannot be enforced */
	VMM_ERR_DEVICES = 11,		/* a device intercept could not be set up */
	VMM_ERR_IOMMU = 12,		/* DMA remapping failed, or required by the policy and absent */
	VMM_ERR_NET = 13,		/* a NIC no intercept serves is to be blocked or encrypted */
	VMM_ERR_FILECHECK = 14,		/* a file rule (policy or built-in) cannot be enforced */
};

/* The VMM's ELF entry point: sysv ABI, called once on the boot CPU. */
typedef int (*vmm_entry_fn)(struct boot_info *info);

#endif
