/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one ATA command allowlist of the IDE (drivers/ata.c) and AHCI
 * (drivers/ahci.c) intercepts (docs/disk.md, "Command allowlist"): which
 * opcodes and subcommands (SMART, SET FEATURES, DATA SET MANAGEMENT) may
 * reach a device, how each moves its data, and the name of every command
 * either intercept logs. Unlisted opcodes are refused. Checks of the
 * transport (FIS, ATAPI bit, PRDs, CHS, PACKET to a disk) stay in each
 * intercept.
 */
#ifndef DRIVERS_ATA_CMDS_H
#define DRIVERS_ATA_CMDS_H

#include <mamori/types.h>

enum ata_proto {
	ATA_REFUSED = 0,
	ATA_NODATA,
	ATA_PIO_IN,
	ATA_PIO_OUT,
	ATA_DMA_IN,
	ATA_DMA_OUT,
	ATA_PACKET,			/* direction from the transport (AHCI: W bit) */
};

#define ATA_CMD_NOP		0x00	/* always aborts: how a refused command ends */
#define ATA_CMD_DEVICE_RESET	0x08	/* resets the taskfile to the signature */
#define ATA_CMD_EDD		0x90	/* EXECUTE DEVICE DIAGNOSTIC: likewise, both units */
#define ATA_CMD_SMART		0xb0
#define ATA_CMD_PACKET		0xa0
#define ATA_SMART_LBAM		0x4f	/* SMART's signature in LBA mid/high */
#define ATA_SMART_LBAH		0xc2
#define ATA_PMP_CTRL		15	/* SATA port multiplier: its control port */
#define ATA_DEV_LBA		0x40	/* device register: LBA, not CHS, addressing */

/* struct ata_cmd_req - the taskfile fields and device facts the allowlist decides on. */
struct ata_cmd_req {
	u8 command;
	u8 feature;			/* SMART/SET FEATURES subcommand; DSM bit 0: TRIM */
	u8 lbam, lbah;			/* SMART's signature */
	bool encrypted;			/* the device has encrypted ranges */
	bool pm_ctrl;			/* to a port multiplier's control port (SATA PMP 15) */
};

/* struct ata_cmd_info - what the allowlist says of one command. */
struct ata_cmd_info {
	u8 proto;			/* enum ata_proto; ATA_REFUSED: not allowed */
	bool sectors;			/* data are disk sectors at the taskfile's LBA */
	bool lba48;			/* 48-bit taskfile (HOB registers / extended FIS) */
	bool ncq;			/* first-party DMA queued: count in FEATURE, SATA only */
	bool dsm;			/* DATA SET MANAGEMENT: the data are LBA ranges */
	const char *name;		/* never NULL: "unknown" when unlisted */
	const char *why;		/* refusal reason, NULL if allowed */
};

/*
 * ata_cmd_lookup - classify the command @rq against the allowlist; always
 * fills @ci. Return 0 if allowed, -EPERM (with @ci->why) if refused.
 */
int ata_cmd_lookup(const struct ata_cmd_req *rq, struct ata_cmd_info *ci);

#endif
