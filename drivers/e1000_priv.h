/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * e1000 intercept internals, shared by drivers/e1000.c (registers, attach)
 * and drivers/e1000_ring.c (ring emulation, offloads). Callers hold the lock.
 */
#ifndef DRIVERS_E1000_PRIV_H
#define DRIVERS_E1000_PRIV_H

#include <drivers/e1000.h>
#include <asm/spinlock.h>
#include <mamori/net.h>

#define E1000_DESC_SIZE		16

/* Transmit descriptor bytes (legacy, context and data share the layout of 8..15). */
#define E1000_TXD_LEN		8	/* legacy: u16 length; data: u32 low 20 bits */
#define E1000_TXD_CSO		10	/* legacy; data/context: DTYP in bits 4..7 */
#define E1000_TXD_CMD		11
#define E1000_TXD_STA		12
#define E1000_TXD_CSS		13	/* legacy; data: POPTS */
#define E1000_TXD_SPECIAL	14
#define E1000_TXD_CMD_EOP	BIT(0)
#define E1000_TXD_CMD_IFCS	BIT(1)
#define E1000_TXD_CMD_IC	BIT(2)	/* legacy: insert checksum */
#define E1000_TXD_CMD_TSE	BIT(2)	/* data/context: TCP segmentation */
#define E1000_TXD_CMD_RS	BIT(3)
#define E1000_TXD_CMD_DEXT	BIT(5)
#define E1000_TXD_CMD_VLE	BIT(6)
#define E1000_TXD_STA_DD	BIT(0)
#define E1000_TXD_DTYP_CTX	0
#define E1000_TXD_DTYP_DATA	1
#define E1000_TXD_POPTS_IXSM	BIT(0)
#define E1000_TXD_POPTS_TXSM	BIT(1)

/* Receive descriptor bytes (legacy; the 82540EM has no other). */
#define E1000_RXD_LEN		8
#define E1000_RXD_STA		12
#define E1000_RXD_ERR		13
#define E1000_RXD_STA_DD	BIT(0)
#define E1000_RXD_STA_EOP	BIT(1)
#define E1000_RXD_STA_IXSM	BIT(2)	/* ignore checksum indication */
#define E1000_RXD_ERR_RXE	BIT(7)

#define E1000_TUCMD_TCP		BIT(0)	/* context: TCP (else UDP) */
#define E1000_TUCMD_IP		BIT(1)	/* context: IPv4 (else IPv6) */
/* Largest TCP segmentation (TSE) frame the VMM gathers and segments. */
#define E1000_TSO_MAX		(64 * 1024 + 256)

/* The checksum and segmentation context of the last context descriptor. */
struct e1000_tx_ctx {
	u8 ipcss, ipcso, tucss, tucso;
	u16 ipcse, tucse;
	u8 tucmd, hdrlen;
	u16 mss;
	u32 paylen;
	bool valid;
};

/* A guest frame as gathered from its descriptors (e1000_ring.c). */
struct e1000_tx_frame {
	u32 len, ndesc, eop;
	u8 cmd, popts, cso, css;
	u16 special;
	bool legacy, ctx_only, tse;
	u8 *buf;			/* n->frame, or n->tso for a TSE frame */
	u32 cap;
	const char *why;
};

/* A guest ring as the guest programmed it; head is the VMM's (the device never sees it). */
struct e1000_gring {
	u64 base;
	u32 len;			/* bytes */
	u32 head, tail;			/* descriptor indices */
};

/*
 * The guest's view of the EEPROM interface (e1000_eeprom.c): EECD's Microwire
 * pins as the guest drives them, never the device's; reads answered through
 * the device's EERD, write/erase commands refused.
 */
struct e1000_eeprom {
	u32 pins;			/* the guest's SK, CS, DI, REQ */
	u32 hw;				/* the device's PRES, SIZE (read once) */
	u32 eerd;			/* the guest's EERD */
	u32 cmd, nbits;			/* command bits since the start bit */
	u8 state;
	u8 addr, bit;			/* word being shifted out, its next bit */
	u16 word;
	bool out;			/* DO */
};

struct e1000_nic {
	spinlock_t lock;
	struct vm *vm;
	u16 bdf;
	u64 bar;
	const struct e1000_hw_ops *hw;
	void *hw_priv;
	struct net_port *port;
	u32 nlog;
	/* what the guest wrote to the emulated registers */
	u32 g_rctl, g_tctl, g_rxcsum;
	bool g_vme;
	u32 g_ctrl_fc;			/* TFCE/RFCE as written (the device's only in pass) */
	struct e1000_eeprom ee;
	struct e1000_gring gtx, grx;
	struct e1000_tx_ctx ctx;
	/* shadow rings: descriptors, then E1000_SHADOW_DESCS buffers each */
	u8 *stx, *stx_buf;
	u32 stx_tail, stx_clean;
	u8 *srx, *srx_buf;
	u32 srx_next;
	u8 frame[NET_FRAME_MAX];	/* a guest frame as gathered, or one segment */
	u8 *tso;			/* a TSE frame as gathered (E1000_TSO_MAX) */
	u8 wire[NET_FRAME_MAX];		/* after the NIC layer */
	/* counters beyond struct net_stats */
	u64 refused_desc, refused_offload, rx_no_guest_desc;
	bool tso_seen;
};

static inline u32 hw_rd(struct e1000_nic *n, u32 off)
{
	return n->hw->read(n->hw_priv, off);
}

static inline void hw_wr(struct e1000_nic *n, u32 off, u32 val)
{
	n->hw->write(n->hw_priv, off, val);
}

/*
 * e1000_tx_offload - the offloads @f asks for (legacy IC, IXSM/TXSM with the
 * context, VLE), done on n->frame[0..f->len); NULL, or why it is refused.
 */
const char *e1000_tx_offload(struct e1000_nic *n, struct e1000_tx_frame *f);

/*
 * e1000_tso_check - why the TSE frame @f (in n->tso) cannot be segmented
 * with the current context, or NULL; *@nseg its segment count.
 */
const char *e1000_tso_check(struct e1000_nic *n, const struct e1000_tx_frame *f, u32 *nseg);

/*
 * e1000_tso_segment - segment @k of @nseg into n->frame, the header fields as
 * the hardware sets them (IP length and id, TCP sequence, FIN/PSH, the
 * checksum seed plus the length); returns its length. Checksums: by
 * e1000_tx_offload() afterwards.
 */
u32 e1000_tso_segment(struct e1000_nic *n, const struct e1000_tx_frame *f, u32 k, u32 nseg);

/* e1000_port_ops - the driver's side of the NIC layer (xmit for MKA frames). */
extern const struct net_port_ops e1000_port_ops;

/* e1000_log - a rate-limited "e1000 BB:DD.F: refused ..." line. */
void e1000_log(struct e1000_nic *n, const char *what, u64 a);

/* e1000_shadow_program - point the device at the shadow rings, both empty. */
void e1000_shadow_program(struct e1000_nic *n);

/* e1000_tx_pump - reap the shadow TX ring, then move guest frames up to TDT to it. */
void e1000_tx_pump(struct e1000_nic *n);

/*
 * e1000_rx_harvest - move frames the device received into the guest's ring,
 * as far as the guest gave descriptors; return how many reached the guest.
 */
u32 e1000_rx_harvest(struct e1000_nic *n);

/*
 * e1000_ring_write - the guest writes TDBAL..TDT or RDBAL..RDT (@off):
 * 0 or a negative errno (refused and logged).
 */
int e1000_ring_write(struct e1000_nic *n, u32 off, u32 val);

/* e1000_ring_read - the guest's view of TDBAL..TDT, RDBAL..RDT. */
u32 e1000_ring_read(struct e1000_nic *n, u32 off);

/* e1000_eeprom_init - the guest's EEPROM interface idle, the device's EECD released. */
void e1000_eeprom_init(struct e1000_nic *n);

/* e1000_eecd_read - EECD as the guest sees it: its own pins, GNT, DO from the emulation. */
u32 e1000_eecd_read(struct e1000_nic *n);

/*
 * e1000_eecd_write - the guest drives the Microwire pins: a READ (110b) is
 * answered from the device's EERD; EWEN/EWDS/WRITE/ERASE/ERAL/WRAL are
 * refused (logged) and the device's EECD is never written.
 */
void e1000_eecd_write(struct e1000_nic *n, u32 val);

/* e1000_eerd_write - a guest EERD read (START): done at once through the device's EERD. */
void e1000_eerd_write(struct e1000_nic *n, u32 val);

/* e1000_ring_reset - after a device reset: guest rings zeroed, shadow reprogrammed. */
void e1000_ring_reset(struct e1000_nic *n);

#endif
