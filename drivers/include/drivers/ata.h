/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PIIX IDE para-passthrough (docs/disk.md): the guest drives the controller,
 * the VMM sees every taskfile, data-port and bus-master access. Commands
 * outside the allowlist (drivers/ata_cmds.h) become an ATA abort; sector
 * data of encrypted ranges is encrypted on its way to the disk and decrypted
 * on its way back; every DMA goes through a shadow PRD table and VMM-owned
 * bounce buffers, so the device never touches guest memory and the guest
 * never sees ciphertext.
 */
#ifndef DRIVERS_ATA_H
#define DRIVERS_ATA_H

#include <drivers/ata_cmds.h>
#include <mamori/types.h>

struct vm;

/*
 * struct ata_taskfile - the registers as last written: [0] the current
 * value, [1] the previous one (what a 48-bit command reads as HOB). @valid:
 * which of them the guest wrote since the last reset (ATA_TF_CUR/HOB).
 */
struct ata_taskfile {
	u8 feature[2], count[2], lbal[2], lbam[2], lbah[2];
	u8 dev;
	u16 valid;
};

#define ATA_TF_CUR(reg)		((u16)BIT(reg))		/* reg 1..6 */
#define ATA_TF_HOB(reg)		((u16)BIT((reg) + 8))	/* reg 1..5 */

/* ata_tf_write - record a guest write of @val to taskfile register @reg (1..6). */
void ata_tf_write(struct ata_taskfile *tf, u32 reg, u8 val);

/*
 * ata_tf_reset - after SRST, EXECUTE DEVICE DIAGNOSTIC or DEVICE RESET: the
 * registers hold the device signature (count 1, LBA 1, device 0: master,
 * CHS) and none counts as written by the guest.
 */
void ata_tf_reset(struct ata_taskfile *tf);

/*
 * ata_tf_addr_valid - whether every register a sector command's address and
 * count come from (count, LBA low/mid/high and device; their HOB bytes too
 * for @lba48) was written by the guest since the last reset.
 */
bool ata_tf_addr_valid(const struct ata_taskfile *tf, bool lba48);

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
