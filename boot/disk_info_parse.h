/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The disk table of struct boot_info from UEFI device paths and ATA IDENTIFY
 * data. Pure C (no firmware calls): boot/disk_info.c feeds it what the
 * firmware reports, the unit tests feed it hand-built device paths.
 */
#ifndef MAMORI_DISK_INFO_PARSE_H
#define MAMORI_DISK_INFO_PARSE_H

#include <mamori/boot_info.h>

/* Device path node types and subtypes this parser reads (UEFI 2.10, 10.3). */
#define DP_HW			0x01
#define DP_HW_PCI		0x01
#define DP_ACPI			0x02
#define DP_MSG			0x03
#define DP_MSG_ATAPI		0x01
#define DP_MSG_SATA		0x12
#define DP_MSG_NVME		0x17
#define DP_MEDIA		0x04
#define DP_MEDIA_HD		0x01
#define DP_END			0x7f
#define DP_END_ENTIRE		0xff

#define DP_HD_GPT		0x02	/* HD node MBRType: GUID partition table */
#define DP_HD_SIG_GUID		0x02	/* HD node SignatureType: GUID */

enum disk_path_result {
	DISK_PATH_OK = 0,
	DISK_PATH_SKIP = 1,		/* not a disk this build handles (USB, CD, MBR...) */
	DISK_PATH_BAD = -1,		/* malformed device path */
};

/*
 * disk_path_parse - walk the device path at @dp (at most @max bytes) into @d:
 * kind, the last PCI node's device/function (bus 0: the caller replaces it
 * with the controller's real location when it can), ATA channel/device, AHCI
 * port or NVMe namespace, and for an HD node the GPT partition (number, start,
 * size, unique GUID). *@pci_nodes is the number of PCI nodes (more than one
 * means bridges, so bus 0 is only a guess). @d is zeroed first.
 */
int disk_path_parse(const void *dp, u64 max, struct boot_disk *d, u32 *pci_nodes);

/*
 * disk_ident_string - ATA IDENTIFY words @first..@first+@nwords-1 (each word
 * holds two characters, the first in its high byte) as a NUL-terminated,
 * space-trimmed string in @out (@size >= 2 * @nwords + 1). Non-printable
 * bytes become '?', NUL bytes spaces.
 */
void disk_ident_string(char *out, u32 size, const u16 *identify, u32 first, u32 nwords);

/* IDENTIFY DEVICE words of the strings (ATA8-ACS). */
#define ATA_ID_SERIAL		10	/* 10 words, 20 characters */
#define ATA_ID_MODEL		27	/* 20 words, 40 characters */

/*
 * disk_info_add - insert @d into @bi->disks, whole disks before partitions.
 * When the table is full (BOOT_DISKS_MAX) a whole disk displaces the last
 * partition, and a partition is dropped: a rule naming a dropped partition
 * then fails closed in the VMM (its disk is present). Return 0, or -1 when
 * an entry was dropped.
 */
int disk_info_add(struct boot_info *bi, const struct boot_disk *d);

/* disk_info_finish - give each partition the model and serial of its disk. */
void disk_info_finish(struct boot_info *bi);

/* disk_same_device - @a and @b are on the same controller, port and unit. */
bool disk_same_device(const struct boot_disk *a, const struct boot_disk *b);

#endif
