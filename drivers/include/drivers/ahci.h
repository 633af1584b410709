/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AHCI para-passthrough (docs/disk.md, "AHCI"): the guest drives the HBA,
 * every ABAR access exits. Command lists and tables are shadowed in VMM
 * memory; the device only sees shadow tables whose PRDs name VMM-owned bounce
 * buffers. Sector data of encrypted ranges is encrypted when a slot is issued
 * and decrypted, then copied to the guest, before the guest can see the slot
 * complete. Commands outside the allowlist (drivers/ata_cmds.h) end in a
 * device-generated ATA abort.
 */
#ifndef DRIVERS_AHCI_H
#define DRIVERS_AHCI_H

#include <mamori/types.h>

struct vm;
struct ahci_hba;

#define AHCI_MAX_HBA		4	/* controllers ahci_init() takes over */
#define AHCI_MAX_PORTS		32
#define AHCI_SLOTS		32
/* Bounce pool per HBA: 32 chunks of 64 KiB, shared by its ports' slots. */
#define AHCI_CHUNK_SIZE		(64 * 1024)
#define AHCI_CHUNKS		32
#define AHCI_BOUNCE_SIZE	(AHCI_CHUNK_SIZE * AHCI_CHUNKS)
/* Largest command: the whole pool (Linux issues up to 1280 KiB by default). */
#define AHCI_CMD_MAX_BYTES	AHCI_BOUNCE_SIZE
/* Guest PRD table entries accepted per command (Linux uses at most 168). */
#define AHCI_GUEST_PRD_MAX	1024

/* Register offsets (AHCI 1.3.1). */
#define AHCI_CAP		0x00
#define AHCI_GHC		0x04
#define AHCI_IS			0x08
#define AHCI_PI			0x0c
#define AHCI_CCC_CTL		0x14
#define AHCI_CCC_PORTS		0x18
#define AHCI_EM_CTL		0x20
#define AHCI_BOHC		0x28
#define AHCI_GHC_HR		BIT(0)
#define AHCI_GHC_IE		BIT(1)
#define AHCI_GHC_AE		BIT(31)
#define AHCI_PORT_BASE		0x100
#define AHCI_PORT_SIZE		0x80
#define AHCI_ABAR_MAX		(AHCI_PORT_BASE + AHCI_MAX_PORTS * AHCI_PORT_SIZE)

#define PX_CLB			0x00
#define PX_CLBU			0x04
#define PX_FB			0x08
#define PX_FBU			0x0c
#define PX_IS			0x10
#define PX_IE			0x14
#define PX_CMD			0x18
#define PX_TFD			0x20
#define PX_SIG			0x24
#define PX_SSTS			0x28
#define PX_SCTL			0x2c
#define PX_SERR			0x30
#define PX_SACT			0x34
#define PX_CI			0x38
#define PX_FBS			0x40

#define PX_CMD_ST		BIT(0)
#define PX_CMD_FRE		BIT(4)
#define PX_CMD_FR		BIT(14)
#define PX_CMD_CR		BIT(15)
#define PX_IS_DHRS		BIT(0)
#define PX_IS_PSS		BIT(1)
#define PX_IS_TFES		BIT(30)
#define PX_FBS_EN		BIT(0)
#define PX_SIG_ATAPI		0xeb140101u

/* Command header DW0 and the PRD, as the guest and the device see them. */
#define AHCI_HDR_CFL		0x1f
#define AHCI_HDR_A		BIT(5)
#define AHCI_HDR_W		BIT(6)
#define AHCI_HDR_R		BIT(8)	/* reset: part of a soft-reset sequence */
#define AHCI_HDR_B		BIT(9)	/* BIST FIS */
#define AHCI_HDR_C		BIT(10)	/* clear BSY and PxCI once the FIS is sent */
#define AHCI_HDR_PRDTL_SHIFT	16
#define AHCI_CT_CFIS		0x00
#define AHCI_CT_ACMD		0x40
#define AHCI_CT_PRDT		0x80
#define AHCI_PRD_DBC		0x3fffff
#define AHCI_RX_D2H		0x40	/* D2H register FIS in the received-FIS area */
#define AHCI_RX_FIS_SIZE	256
#define FIS_TYPE_H2D		0x27
#define FIS_H2D_C		0x80

struct ahci_cmd_hdr {
	u32 dw0;
	u32 prdbc;
	u32 ctba;
	u32 ctbau;
	u32 rsvd[4];
};

struct ahci_prd {
	u32 dba;
	u32 dbau;
	u32 rsvd;
	u32 dbc;			/* byte count - 1, bit 31: interrupt */
};

/*
 * struct ahci_hw_ops - the HBA's register file. The VMM uses uncached loads
 * and stores at the ABAR (ahci_init); unit tests plug in a device model.
 */
struct ahci_hw_ops {
	u32 (*read)(void *priv, u32 off);
	void (*write)(void *priv, u32 off, u32 val);
};

/* struct ahci_cmd - what the allowlist says of one command. */
struct ahci_cmd {
	u8 op;
	u8 flags;			/* AHCI_CMD_* */
	u64 lba;
	u32 nsect;
	const char *name;
	const char *why;		/* refusal reason, NULL if allowed */
};

#define AHCI_CMD_IN		BIT(0)	/* device to memory */
#define AHCI_CMD_OUT		BIT(1)	/* memory to device */
#define AHCI_CMD_SECTORS	BIT(2)	/* the data are disk sectors at @lba */
#define AHCI_CMD_NCQ		BIT(3)
#define AHCI_CMD_DSM		BIT(4)	/* DSM: TRIM ranges checked after gather */
#define AHCI_CMD_PACKET		BIT(5)

/*
 * ahci_classify - check the H2D FIS @cfis (64 bytes) of a command to a device
 * whose signature is @sig and that has encrypted ranges (@encrypted) against
 * the allowlist; fill @c. Return 0 if allowed, -EPERM with @c->why if not.
 */
int ahci_classify(const u8 *cfis, u32 hdr_dw0, u32 sig, bool encrypted, struct ahci_cmd *c);

/*
 * ahci_hba_attach - take over the HBA @bdf whose ABAR is @abar: allocate the
 * shadow tables and the bounce pool, point the implemented ports at the
 * shadow command lists, trap the ABAR pages. Return 0, -E2BIG (too many
 * HBAs), -ENOMEM or vm_register_mmio()'s error. @out may be NULL.
 */
int ahci_hba_attach(struct vm *vm, u16 bdf, u64 abar, const struct ahci_hw_ops *hw,
		    void *hw_priv, struct ahci_hba **out);

/*
 * ahci_init - find every AHCI controller (class 01:06, prog-if 01), lock it
 * (pci_lock_function(): BARs fixed, I/O decode kept off, resets refused) and
 * attach it, so the ABAR trap exists before the guest runs. One whose BAR5 is
 * unassigned fails (-ENODEV). Call once at boot, after disk_init(). No
 * controller: 0. Return 0 or the first error (the caller fails closed).
 */
int ahci_init(struct vm *vm);

#endif
