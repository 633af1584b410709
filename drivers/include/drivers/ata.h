/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PIIX IDE para-passthrough (docs/disk.md): the guest drives the controller,
 * the VMM sees every taskfile, data-port and bus-master access. Commands
 * outside an allowlist become an ATA abort; sector data of encrypted ranges
 * is encrypted on its way to the disk and decrypted on its way back; every
 * DMA goes through a shadow PRD table and VMM-owned bounce buffers, so the
 * device never touches guest memory and the guest never sees ciphertext.
 */
#ifndef DRIVERS_ATA_H
#define DRIVERS_ATA_H

#include <mamori/types.h>

struct vm;

enum ata_proto {
	ATA_REFUSED = 0,
	ATA_NODATA,
	ATA_PIO_IN,
	ATA_PIO_OUT,
	ATA_DMA_IN,
	ATA_DMA_OUT,
	ATA_PACKET,
};

/* struct ata_cmd_info - what the allowlist says of one command opcode. */
struct ata_cmd_info {
	u8 proto;			/* enum ata_proto; ATA_REFUSED: not allowed */
	bool sectors;			/* data are disk sectors at the taskfile's LBA */
	bool lba48;			/* 48-bit taskfile (HOB registers) */
	const char *name;
};

/*
 * ata_cmd_lookup - classify @opcode (with @feature, for SMART's subcommands)
 * against the allowlist. Always fills @ci (name "unknown" when unlisted).
 * Return 0 if allowed, -EPERM if refused.
 */
int ata_cmd_lookup(u8 opcode, u8 feature, struct ata_cmd_info *ci);

/*
 * struct ata_taskfile - the registers as last written: [0] the current
 * value, [1] the previous one (what a 48-bit command reads as HOB).
 */
struct ata_taskfile {
	u8 feature[2], count[2], lbal[2], lbam[2], lbah[2];
	u8 dev;
};

/* ata_tf_write - record a guest write of @val to taskfile register @reg (1..6). */
void ata_tf_write(struct ata_taskfile *tf, u32 reg, u8 val);

/* ata_tf_decode - the LBA and sector count (0 meaning 256 or 65536) of @tf. */
void ata_tf_decode(const struct ata_taskfile *tf, bool lba48, u64 *lba, u32 *nsect);

/*
 * ata_init - find the PIIX-style IDE controller(s) (class 01:01), lock
 * their BARs, intercept both channels' command, control and bus-master
 * ports, and allocate the bounce buffers. No controller: 0. Return 0,
 * -ENOMEM or an intercept registration error.
 */
int ata_init(struct vm *vm);

#endif
