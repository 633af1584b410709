/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Intel 8254x (e1000) para-passthrough, the 82540EM that Bochs and QEMU
 * emulate (docs/network.md). The guest drives the NIC; every BAR0 access
 * exits. Register writes pass only through an allowlist, the rest are refused
 * and logged. The guest's descriptor rings are emulated: the device runs on
 * shadow rings in VMM memory whose buffers are VMM memory, the VMM copies
 * each frame between those and the guest's buffers (through the guest-memory
 * API only) and hands it to the NIC layer (<mamori/net.h>) on the way; the
 * guest sees a descriptor done only after that. Offloads the guest asks for
 * (checksum insertion, VLAN insertion, TCP segmentation) are done in
 * software; receive checksum and VLAN stripping are never turned on in the
 * device.
 */
#ifndef DRIVERS_E1000_H
#define DRIVERS_E1000_H

#include <mamori/types.h>

struct vm;
struct pci_dev;
struct net_port;
struct e1000_nic;

#define E1000_VENDOR_INTEL	0x8086
#define E1000_DEV_82540EM	0x100e
#define E1000_BAR0_SIZE		0x20000

/* Registers (8254x Software Developer's Manual, 13.4). */
#define E1000_CTRL		0x0000
#define E1000_STATUS		0x0008
#define E1000_EECD		0x0010
#define E1000_EERD		0x0014
#define E1000_EERD_START	BIT(0)
#define E1000_EERD_DONE		BIT(4)
#define E1000_EERD_ADDR_SHIFT	8
#define E1000_CTRL_EXT		0x0018
#define E1000_MDIC		0x0020
#define E1000_FCAL		0x0028
#define E1000_FCAH		0x002c
#define E1000_FCT		0x0030
#define E1000_VET		0x0038
#define E1000_ICR		0x00c0
#define E1000_ITR		0x00c4
#define E1000_ICS		0x00c8
#define E1000_IMS		0x00d0
#define E1000_IMC		0x00d8
#define E1000_RCTL		0x0100
#define E1000_FCTTV		0x0170
#define E1000_TXCW		0x0178
#define E1000_RXCW		0x0180
#define E1000_TCTL		0x0400
#define E1000_TIPG		0x0410
#define E1000_AIT		0x0458
#define E1000_LEDCTL		0x0e00
#define E1000_PBA		0x1000
#define E1000_FCRTL		0x2160
#define E1000_FCRTH		0x2168
#define E1000_RDBAL		0x2800
#define E1000_RDBAH		0x2804
#define E1000_RDLEN		0x2808
#define E1000_RDH		0x2810
#define E1000_RDT		0x2818
#define E1000_RDTR		0x2820
#define E1000_RXDCTL		0x2828
#define E1000_RADV		0x282c
#define E1000_RSRPD		0x2c00
#define E1000_TDBAL		0x3800
#define E1000_TDBAH		0x3804
#define E1000_TDLEN		0x3808
#define E1000_TDH		0x3810
#define E1000_TDT		0x3818
#define E1000_TIDV		0x3820
#define E1000_TXDCTL		0x3828
#define E1000_TADV		0x382c
#define E1000_STATS		0x4000	/* statistics, 0x4000..0x40ff, read only */
#define E1000_STATS_END		0x4100
#define E1000_RXCSUM		0x5000
#define E1000_MTA		0x5200	/* multicast table, 128 dwords */
#define E1000_RA		0x5400	/* receive addresses, 16 RAL/RAH pairs */
#define E1000_RAH_AV		BIT(31)	/* address valid */
#define E1000_VFTA		0x5600	/* VLAN filter table, 128 dwords */
#define E1000_WUC		0x5800
#define E1000_WUFC		0x5808

#define E1000_CTRL_RST		BIT(26)
#define E1000_CTRL_RFCE		BIT(27)	/* honour received pause frames */
#define E1000_CTRL_TFCE		BIT(28)	/* send pause frames */
#define E1000_CTRL_VME		BIT(30)
#define E1000_CTRL_PHY_RST	BIT(31)
#define E1000_STATUS_LU		BIT(1)
/* EECD: the EEPROM's Microwire pins, bit-banged by the driver, and its grant. */
#define E1000_EECD_SK		BIT(0)
#define E1000_EECD_CS		BIT(1)
#define E1000_EECD_DI		BIT(2)
#define E1000_EECD_DO		BIT(3)
#define E1000_EECD_FWE		(3u << 4)
#define E1000_EECD_REQ		BIT(6)
#define E1000_EECD_GNT		BIT(7)
#define E1000_EECD_PRES		BIT(8)
#define E1000_EECD_SIZE		BIT(9)	/* 256 words (8 address bits), else 64 (6) */
/* EERD (82540 layout): the device reads one EEPROM word itself. */
#define E1000_EERD_START	BIT(0)
#define E1000_EERD_DONE		BIT(4)
#define E1000_EERD_ADDR_SHIFT	8
#define E1000_EERD_DATA_SHIFT	16
#define E1000_CTRL_EXT_GPI_EN	0xfu	/* SDP4..7 as interrupt inputs */
#define E1000_CTRL_EXT_EE_RST	BIT(13)	/* reload from the EEPROM */
#define E1000_CTRL_EXT_RO_DIS	BIT(17)
/* Pause frames: the 802.3x address and type, the only values FCAL/FCAH/FCT take. */
#define E1000_FCAL_PAUSE	0x00c28001u
#define E1000_FCAH_PAUSE	0x00000100u
#define E1000_FCT_PAUSE		0x00008808u
#define E1000_ICR_TXDW		BIT(0)
#define E1000_ICR_LSC		BIT(2)
#define E1000_ICR_RXT0		BIT(7)
#define E1000_RCTL_EN		BIT(1)
#define E1000_RCTL_LPE		BIT(5)
#define E1000_RCTL_MPE		BIT(4)	/* multicast promiscuous */
#define E1000_RCTL_LBM		(3u << 6)
#define E1000_RCTL_DTYP		(3u << 10)
#define E1000_RCTL_BSIZE	(3u << 16)
#define E1000_RCTL_BSEX		BIT(25)
#define E1000_RCTL_SECRC	BIT(26)
#define E1000_TCTL_EN		BIT(1)
#define E1000_TCTL_SWXOFF	BIT(22)	/* send one XOFF pause frame (self-clearing) */
#define E1000_MDIC_REG_SHIFT	16
#define E1000_MDIC_OP		(3u << 26)
#define E1000_MDIC_OP_READ	(2u << 26)
#define E1000_PHY_STATUS	1	/* MII status register */
#define E1000_PHY_STATUS_LINK	BIT(2)

/* Shadow rings: descriptors and 2 KiB VMM buffers per ring. */
#define E1000_SHADOW_DESCS	64
#define E1000_BUF_SIZE		2048
/* Largest guest ring (TDLEN/RDLEN): the 20-bit field, 128-byte multiples. */
#define E1000_RING_MAX_BYTES	0x100000u

/* The device's registers, so a model can stand in for BAR0 (tests/unit). */
struct e1000_hw_ops {
	u32 (*read)(void *priv, u32 off);
	void (*write)(void *priv, u32 off, u32 val);
};

/*
 * e1000_attach - intercept the 82540EM at @bdf (BAR0 at @bar0, already locked)
 * for @vm in @port's mode: shadow rings set up, BAR0 trapped. @hw NULL: the
 * real BAR0. Return 0 or a negative errno (the boot stops).
 */
int e1000_attach(struct vm *vm, u16 bdf, u64 bar0, struct net_port *port,
		 const struct e1000_hw_ops *hw, void *hw_priv, struct e1000_nic **out);

/*
 * e1000_secure - for an encrypt port, after e1000_attach(): start its MACsec
 * port (net_port_secure()) with the station address in RA[0] as the SCI's
 * MAC, else (no driver has loaded it yet) EEPROM words 0..2. 0 for other modes; a negative errno (the NIC is then not intercepted
 * and the coverage phase stops the boot).
 */
int e1000_secure(struct e1000_nic *n);

/* e1000_match - whether @pd is an e1000 model this driver intercepts. */
bool e1000_match(const struct pci_dev *pd);

/* e1000_probe - lock @pd's config space and attach (the NIC layer's model entry). */
int e1000_probe(struct vm *vm, const struct pci_dev *pd);

#endif
