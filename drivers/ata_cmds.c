// SPDX-License-Identifier: GPL-2.0-only
#include <drivers/ata_cmds.h>
#include <mamori/errno.h>

#define S		BIT(0)		/* sectors */
#define E		BIT(1)		/* 48-bit */
#define Q		BIT(2)		/* NCQ */
#define F		BIT(3)		/* allowed only through ata_cmd_filter() */

static const struct ata_cmd_ent {
	u8 proto;
	u8 flags;
	const char *name;
} ata_cmds[256] = {
	[0x00] = { ATA_NODATA, 0, "NOP" },
	[0x06] = { ATA_DMA_OUT, F, "DATA SET MANAGEMENT" },
	[0x08] = { ATA_NODATA, 0, "DEVICE RESET" },
	[0x10] = { ATA_NODATA, 0, "RECALIBRATE" },
	[0x20] = { ATA_PIO_IN, S, "READ SECTORS" },
	[0x21] = { ATA_PIO_IN, S, "READ SECTORS WITHOUT RETRY" },
	[0x22] = { ATA_REFUSED, 0, "READ LONG" },
	[0x23] = { ATA_REFUSED, 0, "READ LONG WITHOUT RETRY" },
	[0x24] = { ATA_PIO_IN, S | E, "READ SECTORS EXT" },
	[0x25] = { ATA_DMA_IN, S | E, "READ DMA EXT" },
	[0x27] = { ATA_NODATA, E, "READ NATIVE MAX ADDRESS EXT" },
	[0x29] = { ATA_PIO_IN, S | E, "READ MULTIPLE EXT" },
	[0x2f] = { ATA_PIO_IN, E, "READ LOG EXT" },
	[0x30] = { ATA_PIO_OUT, S, "WRITE SECTORS" },
	[0x31] = { ATA_PIO_OUT, S, "WRITE SECTORS WITHOUT RETRY" },
	[0x32] = { ATA_REFUSED, 0, "WRITE LONG" },
	[0x33] = { ATA_REFUSED, 0, "WRITE LONG WITHOUT RETRY" },
	[0x34] = { ATA_PIO_OUT, S | E, "WRITE SECTORS EXT" },
	[0x35] = { ATA_DMA_OUT, S | E, "WRITE DMA EXT" },
	[0x37] = { ATA_REFUSED, 0, "SET MAX ADDRESS EXT" },
	[0x38] = { ATA_REFUSED, 0, "CFA WRITE SECTORS WITHOUT ERASE" },
	[0x39] = { ATA_PIO_OUT, S | E, "WRITE MULTIPLE EXT" },
	[0x3d] = { ATA_DMA_OUT, S | E, "WRITE DMA FUA EXT" },
	[0x3f] = { ATA_REFUSED, 0, "WRITE LOG EXT" },
	[0x40] = { ATA_NODATA, 0, "READ VERIFY SECTORS" },
	[0x41] = { ATA_NODATA, 0, "READ VERIFY SECTORS WITHOUT RETRY" },
	[0x42] = { ATA_NODATA, E, "READ VERIFY SECTORS EXT" },
	[0x44] = { ATA_REFUSED, 0, "ZERO EXT" },
	[0x45] = { ATA_REFUSED, 0, "WRITE UNCORRECTABLE EXT" },
	[0x47] = { ATA_DMA_IN, E, "READ LOG DMA EXT" },
	[0x4a] = { ATA_REFUSED, 0, "ZAC MANAGEMENT IN" },
	[0x57] = { ATA_REFUSED, 0, "WRITE LOG DMA EXT" },
	[0x5c] = { ATA_REFUSED, 0, "TRUSTED RECEIVE" },
	[0x5d] = { ATA_REFUSED, 0, "TRUSTED RECEIVE DMA" },
	[0x5e] = { ATA_REFUSED, 0, "TRUSTED SEND" },
	[0x5f] = { ATA_REFUSED, 0, "TRUSTED SEND DMA" },
	[0x60] = { ATA_DMA_IN, S | E | Q, "READ FPDMA QUEUED" },
	[0x61] = { ATA_DMA_OUT, S | E | Q, "WRITE FPDMA QUEUED" },
	[0x63] = { ATA_REFUSED, 0, "NCQ NON-DATA" },
	[0x64] = { ATA_REFUSED, 0, "SEND FPDMA QUEUED" },
	[0x65] = { ATA_REFUSED, 0, "RECEIVE FPDMA QUEUED" },
	[0x70] = { ATA_NODATA, 0, "SEEK" },
	[0x90] = { ATA_NODATA, 0, "EXECUTE DEVICE DIAGNOSTIC" },
	[0x91] = { ATA_NODATA, 0, "INITIALIZE DEVICE PARAMETERS" },
	[0x92] = { ATA_REFUSED, 0, "DOWNLOAD MICROCODE" },
	[0x93] = { ATA_REFUSED, 0, "DOWNLOAD MICROCODE DMA" },
	[0x9f] = { ATA_REFUSED, 0, "ZAC MANAGEMENT OUT" },
	[0xa0] = { ATA_PACKET, 0, "PACKET" },
	[0xa1] = { ATA_PIO_IN, 0, "IDENTIFY PACKET DEVICE" },
	[0xb0] = { ATA_NODATA, F, "SMART" },
	[0xb1] = { ATA_REFUSED, 0, "DEVICE CONFIGURATION OVERLAY" },
	[0xb2] = { ATA_REFUSED, 0, "SET SECTOR CONFIGURATION EXT" },
	[0xb4] = { ATA_REFUSED, 0, "SANITIZE DEVICE" },
	[0xc0] = { ATA_REFUSED, 0, "CFA ERASE SECTORS" },
	[0xc4] = { ATA_PIO_IN, S, "READ MULTIPLE" },
	[0xc5] = { ATA_PIO_OUT, S, "WRITE MULTIPLE" },
	[0xc6] = { ATA_NODATA, 0, "SET MULTIPLE MODE" },
	[0xc7] = { ATA_REFUSED, 0, "READ DMA QUEUED" },
	[0xc8] = { ATA_DMA_IN, S, "READ DMA" },
	[0xc9] = { ATA_DMA_IN, S, "READ DMA WITHOUT RETRY" },
	[0xca] = { ATA_DMA_OUT, S, "WRITE DMA" },
	[0xcb] = { ATA_DMA_OUT, S, "WRITE DMA WITHOUT RETRY" },
	[0xcc] = { ATA_REFUSED, 0, "WRITE DMA QUEUED" },
	[0xcd] = { ATA_REFUSED, 0, "CFA WRITE MULTIPLE WITHOUT ERASE" },
	[0xce] = { ATA_PIO_OUT, S | E, "WRITE MULTIPLE FUA EXT" },
	[0xda] = { ATA_NODATA, 0, "GET MEDIA STATUS" },
	[0xde] = { ATA_NODATA, 0, "MEDIA LOCK" },
	[0xdf] = { ATA_NODATA, 0, "MEDIA UNLOCK" },
	[0xe0] = { ATA_NODATA, 0, "STANDBY IMMEDIATE" },
	[0xe1] = { ATA_NODATA, 0, "IDLE IMMEDIATE" },
	[0xe2] = { ATA_NODATA, 0, "STANDBY" },
	[0xe3] = { ATA_NODATA, 0, "IDLE" },
	[0xe4] = { ATA_PIO_IN, F, "READ BUFFER" },
	[0xe5] = { ATA_NODATA, 0, "CHECK POWER MODE" },
	[0xe6] = { ATA_NODATA, 0, "SLEEP" },
	[0xe7] = { ATA_NODATA, 0, "FLUSH CACHE" },
	[0xe8] = { ATA_PIO_OUT, F, "WRITE BUFFER" },
	[0xe9] = { ATA_REFUSED, 0, "READ BUFFER DMA" },
	[0xea] = { ATA_NODATA, E, "FLUSH CACHE EXT" },
	[0xeb] = { ATA_REFUSED, 0, "WRITE BUFFER DMA" },
	[0xec] = { ATA_PIO_IN, 0, "IDENTIFY DEVICE" },
	[0xed] = { ATA_NODATA, 0, "MEDIA EJECT" },
	[0xef] = { ATA_NODATA, F, "SET FEATURES" },
	[0xf1] = { ATA_REFUSED, 0, "SECURITY SET PASSWORD" },
	[0xf2] = { ATA_REFUSED, 0, "SECURITY UNLOCK" },
	[0xf3] = { ATA_REFUSED, 0, "SECURITY ERASE PREPARE" },
	[0xf4] = { ATA_REFUSED, 0, "SECURITY ERASE UNIT" },
	[0xf5] = { ATA_REFUSED, 0, "SECURITY FREEZE LOCK" },
	[0xf6] = { ATA_REFUSED, 0, "SECURITY DISABLE PASSWORD" },
	[0xf8] = { ATA_NODATA, 0, "READ NATIVE MAX ADDRESS" },
	[0xf9] = { ATA_REFUSED, 0, "SET MAX ADDRESS" },
};

/* SET FEATURES subcommands that leave data and addressing alone. */
static const u8 setfeatures_ok[] = {
	0x02, 0x82, 0x03, 0x05, 0x85, 0x06, 0x86, 0x07, 0x10, 0x90,
	0x42, 0xc2, 0x4a, 0x55, 0xaa, 0x66, 0xcc,
};

static const char *ata_unlisted_name(u8 op)
{
	if ((op >= 0x80 && op <= 0x8f) || op == 0x9a || (op >= 0xc1 && op <= 0xc3) ||
	    op == 0xf0 || op == 0xf7 || op >= 0xfa)
		return "vendor specific";
	return "unknown";
}

static int ata_cmd_refuse(struct ata_cmd_info *ci, const char *why)
{
	ci->proto = ATA_REFUSED;
	ci->sectors = ci->lba48 = ci->ncq = ci->dsm = false;
	ci->why = why;
	return -EPERM;
}

/* SMART: the read and control subcommands only (WRITE LOG carries SCT writes). */
static int ata_cmd_smart(const struct ata_cmd_req *rq, struct ata_cmd_info *ci)
{
	if (rq->lbam != ATA_SMART_LBAM || rq->lbah != ATA_SMART_LBAH)
		return ata_cmd_refuse(ci, "SMART without its signature");
	switch (rq->feature) {
	case 0xd0: case 0xd1: case 0xd5:	/* READ DATA, THRESHOLDS, LOG */
		ci->proto = ATA_PIO_IN;
		return 0;
	case 0xd2: case 0xd4: case 0xd8: case 0xd9: case 0xda:
		return 0;
	}
	return ata_cmd_refuse(ci, "SMART subcommand not allowed");
}

/* The opcodes marked F: allowed only with a subcommand or target named here. */
static int ata_cmd_filter(const struct ata_cmd_req *rq, struct ata_cmd_info *ci)
{
	u32 i;

	switch (rq->command) {
	case 0x06:
		if (rq->feature != 0x01 && rq->encrypted)
			return ata_cmd_refuse(ci, "DSM other than TRIM on an encrypted disk");
		ci->dsm = true;
		return 0;
	case ATA_CMD_SMART:
		return ata_cmd_smart(rq, ci);
	case 0xe4:
	case 0xe8:
		if (!rq->pm_ctrl)
			return ata_cmd_refuse(ci, "device buffer access");
		ci->proto = ATA_NODATA;
		ci->name = rq->command == 0xe4 ? "READ PORT MULTIPLIER" : "WRITE PORT MULTIPLIER";
		return 0;
	case 0xef:
		for (i = 0; i < ARRAY_SIZE(setfeatures_ok); i++)
			if (rq->feature == setfeatures_ok[i])
				return 0;
		return ata_cmd_refuse(ci, "SET FEATURES subcommand not allowed");
	}
	return ata_cmd_refuse(ci, "no subcommand filter");
}

int ata_cmd_lookup(const struct ata_cmd_req *rq, struct ata_cmd_info *ci)
{
	const struct ata_cmd_ent *e = &ata_cmds[rq->command];

	*ci = (struct ata_cmd_info){
		.proto = e->proto,
		.sectors = e->flags & S,
		.lba48 = e->flags & E,
		.ncq = e->flags & Q,
		.name = e->name ? e->name : ata_unlisted_name(rq->command),
	};
	if (ci->proto == ATA_REFUSED)
		return ata_cmd_refuse(ci, "not on the command allowlist");
	if (e->flags & F)
		return ata_cmd_filter(rq, ci);
	return 0;
}
