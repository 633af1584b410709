// SPDX-License-Identifier: GPL-2.0-only
/* e1000: the BAR0 register intercept and the attach of an 82540EM (internals: e1000_priv.h). */
#include "e1000_priv.h"
#include <drivers/pci.h>
#include <mamori/devices.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/policy.h>
#include <mamori/string.h>
#include <mamori/vm.h>

#define E1000_MANC		0x5820
#define E1000_RST_POLL		1000000u	/* CTRL reads while RST is set, at most */

static u32 mmio_read(void *priv, u32 off)
{
	struct e1000_nic *n = priv;

	return *(volatile u32 *)phys_to_virt(n->bar + off);
}

static void mmio_write(void *priv, u32 off, u32 val)
{
	struct e1000_nic *n = priv;

	*(volatile u32 *)phys_to_virt(n->bar + off) = val;
}

static const struct e1000_hw_ops e1000_mmio_ops = { mmio_read, mmio_write };

void e1000_log(struct e1000_nic *n, const char *what, u64 a)
{
	if (log_ratelimit(&n->nlog))
		pr_warn("e1000 %02x:%02x.%x: refused: %s (0x%lx)\n", PCI_BUS(n->bdf),
			PCI_DEV(n->bdf), PCI_FN(n->bdf), what, a);
}

/* Registers the guest may write as it likes (inclusive dword ranges); deny by default. */
static const struct { u16 lo, hi; } e1000_pass[] = {
	{ E1000_MDIC, E1000_MDIC }, { E1000_VET, E1000_VET },
	{ E1000_ICR, E1000_ICS }, { E1000_IMS, E1000_IMS }, { E1000_IMC, E1000_IMC },
	{ E1000_FCTTV, E1000_FCTTV }, { E1000_TXCW, E1000_TXCW }, { E1000_TIPG, E1000_TIPG },
	{ E1000_AIT, E1000_AIT }, { E1000_LEDCTL, E1000_LEDCTL }, { E1000_PBA, E1000_PBA },
	{ E1000_FCRTL, E1000_FCRTL }, { E1000_FCRTH, E1000_FCRTH },
	{ E1000_RDTR, E1000_RADV }, { E1000_RSRPD, E1000_RSRPD },
	{ E1000_TIDV, E1000_TADV }, { E1000_MTA, E1000_MTA + 0x1fc },
	{ E1000_RA, E1000_RA + 0x7c }, { E1000_VFTA, E1000_VFTA + 0x1fc },
	{ E1000_WUC, E1000_WUC }, { E1000_WUFC, E1000_WUFC },
};

static bool in_pass(u32 off)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(e1000_pass); i++)
		if (off >= e1000_pass[i].lo && off <= e1000_pass[i].hi)
			return true;
	return false;
}

static bool is_ring_reg(u32 off)
{
	return (off >= E1000_RDBAL && off <= E1000_RDT) || (off >= E1000_TDBAL && off <= E1000_TDT);
}

/* Registers the guest may read besides the writable ones: status, statistics, MANC. */
static bool readable(u32 off)
{
	return in_pass(off) || is_ring_reg(off) || off == E1000_CTRL || off == E1000_STATUS ||
	       off == E1000_EECD || off == E1000_EERD || off == E1000_CTRL_EXT ||
	       (off >= E1000_FCAL && off <= E1000_FCT) ||
	       off == E1000_RCTL || off == E1000_TCTL || off == E1000_RXCW ||
	       off == E1000_RXCSUM || off == E1000_MANC ||
	       (off >= E1000_STATS && off < E1000_STATS_END);
}

/*
 * What the device's RCTL gets: 2 KiB buffers, no loopback, CRC stripped; long
 * frames only in encrypt mode (the SecTAG and ICV add 32 bytes to a 1518-byte
 * frame), where multicast is also taken (EAPOL-MKA goes to 01:80:C2:00:00:03).
 */
static u32 dev_rctl(struct e1000_nic *n)
{
	u32 v = n->g_rctl & ~(u32)(E1000_RCTL_LPE | E1000_RCTL_LBM | E1000_RCTL_DTYP |
				  E1000_RCTL_BSIZE | E1000_RCTL_BSEX);

	v |= E1000_RCTL_SECRC;
	if (n->port->mode == POLICY_NET_ENCRYPT)
		v |= E1000_RCTL_LPE | E1000_RCTL_MPE;
	if (!net_link_allowed(n->port))
		v &= ~(u32)E1000_RCTL_EN;
	return v;
}

/* CTRL bits the device gets from the VMM, not the guest: VLAN stripping; pause frames in block. */
static u32 ctrl_vmm_bits(struct e1000_nic *n)
{
	return E1000_CTRL_VME |
	       (net_link_allowed(n->port) ? 0 : E1000_CTRL_TFCE | E1000_CTRL_RFCE);
}

/* Pause frames go to the 802.3x address with the 802.3x type, whatever the guest says. */
static void fc_pin(struct e1000_nic *n)
{
	hw_wr(n, E1000_FCAL, E1000_FCAL_PAUSE);
	hw_wr(n, E1000_FCAH, E1000_FCAH_PAUSE);
	hw_wr(n, E1000_FCT, E1000_FCT_PAUSE);
}

static bool fc_pinned(u32 off, u32 v)
{
	return v == (off == E1000_FCAL ? E1000_FCAL_PAUSE :
		     off == E1000_FCAH ? E1000_FCAH_PAUSE : E1000_FCT_PAUSE);
}

static u32 reg_read(struct e1000_nic *n, u32 off)
{
	u32 v;

	if (is_ring_reg(off))
		return e1000_ring_read(n, off);
	switch (off) {
	case E1000_CTRL:
		v = (hw_rd(n, off) & ~ctrl_vmm_bits(n)) | (n->g_ctrl_fc & ctrl_vmm_bits(n));
		return n->g_vme ? v | E1000_CTRL_VME : v;
	case E1000_EECD:
		return e1000_eecd_read(n);
	case E1000_EERD:
		return n->ee.eerd;
	case E1000_STATUS:
		v = hw_rd(n, off);
		return net_link_allowed(n->port) ? v : v & ~(u32)E1000_STATUS_LU;
	case E1000_MDIC:	/* the PHY's link bit too: Linux asks the PHY on copper */
		v = hw_rd(n, off);
		if (!net_link_allowed(n->port) && (v & E1000_MDIC_OP) == E1000_MDIC_OP_READ &&
		    ((v >> E1000_MDIC_REG_SHIFT) & 0x1f) == E1000_PHY_STATUS)
			v &= ~(u32)E1000_PHY_STATUS_LINK;
		return v;
	case E1000_ICR:
		v = hw_rd(n, off);	/* read to clear: the interrupt the guest handles */
		e1000_tx_pump(n);
		e1000_rx_harvest(n);
		return v;
	case E1000_RCTL:
		return n->g_rctl;
	case E1000_TCTL:
		return n->g_tctl;
	case E1000_RXCSUM:
		return n->g_rxcsum;
	}
	return hw_rd(n, off);
}

/* A device reset: wait (bounded) until it is done, then the shadow rings again. */
static int ctrl_write(struct e1000_nic *n, u32 v)
{
	u32 i;

	n->g_vme = v & E1000_CTRL_VME;	/* tags stay in the frame: no stripping */
	n->g_ctrl_fc = v & (E1000_CTRL_TFCE | E1000_CTRL_RFCE);
	hw_wr(n, E1000_CTRL, v & ~ctrl_vmm_bits(n));
	if (!(v & E1000_CTRL_RST))
		return 0;
	for (i = 0; i < E1000_RST_POLL && (hw_rd(n, E1000_CTRL) & E1000_CTRL_RST); i++)
		;
	n->g_ctrl_fc = 0;
	fc_pin(n);
	e1000_eeprom_init(n);
	e1000_ring_reset(n);
	return 0;
}

static int reg_write(struct e1000_nic *n, u32 off, u32 v)
{
	if (is_ring_reg(off))
		return e1000_ring_write(n, off, v);
	switch (off) {
	case E1000_CTRL:
		return ctrl_write(n, v);
	case E1000_RCTL:
		n->g_rctl = v;
		hw_wr(n, off, dev_rctl(n));
		e1000_rx_harvest(n);
		return 0;
	case E1000_TCTL:		/* block: no frame, not even a pause frame (SWXOFF) */
		n->g_tctl = v & ~(u32)E1000_TCTL_SWXOFF;
		hw_wr(n, off, net_link_allowed(n->port) ? v :
			      v & ~(u32)(E1000_TCTL_EN | E1000_TCTL_SWXOFF));
		e1000_tx_pump(n);
		return 0;
	case E1000_EECD:
		e1000_eecd_write(n, v);
		return 0;
	case E1000_EERD:
		e1000_eerd_write(n, v);
		return 0;
	case E1000_CTRL_EXT:		/* no EEPROM reload, pin, speed or power-state change */
		if ((v ^ hw_rd(n, off)) & ~(u32)(E1000_CTRL_EXT_GPI_EN | E1000_CTRL_EXT_RO_DIS)) {
			e1000_log(n, "CTRL_EXT change beyond GPI_EN/RO_DIS (EE_RST, SDP, ...)", v);
			return -EPERM;
		}
		hw_wr(n, off, v);
		return 0;
	case E1000_FCAL:
	case E1000_FCAH:
	case E1000_FCT:
		if (!fc_pinned(off, v)) {
			e1000_log(n, "pause frame address/type other than 802.3x", v);
			return -EPERM;
		}
		hw_wr(n, off, v);
		return 0;
	case E1000_RXCSUM:		/* kept for reads; the device never checksums */
		n->g_rxcsum = v;
		return 0;
	case E1000_MANC:		/* only clearing bits (the driver turns ARP offload off) */
		if (v & ~hw_rd(n, off))
			break;
		hw_wr(n, off, v);
		return 0;
	}
	if (in_pass(off)) {
		hw_wr(n, off, v);
		return 0;
	}
	e1000_log(n, "write to a register the intercept does not model", off);
	return -EPERM;
}

/* One guest access at BAR0 + @off: dwords (a qword is two); anything else refused. */
static int e1000_access(struct e1000_nic *n, u32 off, u32 size, bool write, u64 *val)
{
	int ret;

	if ((size != 4 && size != 8) || (off & (size - 1))) {
		e1000_log(n, "access not a naturally aligned dword or qword", off);
		return -EINVAL;
	}
	if (size == 8) {
		u64 lo = (u32)*val, hi = *val >> 32;

		ret = e1000_access(n, off, 4, write, &lo);
		if (!ret)
			ret = e1000_access(n, off + 4, 4, write, &hi);
		*val = (u32)lo | hi << 32;
		return ret;
	}
	if (write)
		return reg_write(n, off, (u32)*val);
	if (!readable(off)) {
		e1000_log(n, "read of a register the intercept does not model", off);
		return -EPERM;
	}
	*val = reg_read(n, off);
	return 0;
}

static int e1000_mmio(struct vm *vm, void *priv, u64 gpa, u32 size, bool write, u64 *val)
{
	struct e1000_nic *n = priv;
	int ret;

	if (gpa < n->bar || gpa - n->bar >= E1000_BAR0_SIZE ||
	    size > E1000_BAR0_SIZE - (gpa - n->bar))
		return -EFAULT;
	spin_lock(&n->lock);
	ret = e1000_access(n, gpa - n->bar, size, write, val);
	spin_unlock(&n->lock);
	return ret;
}

/* ---- attach ---- */

static void *shadow_alloc(u16 bdf, u64 bytes, int *ret)
{
	void *p = page_alloc(ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE);

	if (!p)
		*ret = -ENOMEM;
	else if (!*ret)
		*ret = platform_dma_window(bdf, p, ALIGN_UP(bytes, PAGE_SIZE));
	return p;
}

int e1000_attach(struct vm *vm, u16 bdf, u64 bar0, struct net_port *port,
		 const struct e1000_hw_ops *hw, void *hw_priv, struct e1000_nic **out)
{
	struct e1000_nic *n = page_alloc(ALIGN_UP(sizeof(*n), PAGE_SIZE) / PAGE_SIZE);
	int ret = 0;

	if (!n)
		return -ENOMEM;
	if (vm_range_hits_vmm(vm, bar0, E1000_BAR0_SIZE) || bar0 & (E1000_BAR0_SIZE - 1))
		return -EFAULT;
	n->lock = (spinlock_t)SPINLOCK_INIT;
	n->vm = vm;
	n->bdf = bdf;
	n->bar = bar0;
	n->port = port;
	port->ops = &e1000_port_ops;
	port->drv = n;
	n->hw = hw ? hw : &e1000_mmio_ops;
	n->hw_priv = hw_priv ? hw_priv : n;
	n->stx = shadow_alloc(bdf, 2 * E1000_SHADOW_DESCS * E1000_DESC_SIZE, &ret);
	n->stx_buf = shadow_alloc(bdf, E1000_SHADOW_DESCS * E1000_BUF_SIZE, &ret);
	n->srx_buf = shadow_alloc(bdf, E1000_SHADOW_DESCS * E1000_BUF_SIZE, &ret);
	n->tso = page_alloc(ALIGN_UP(E1000_TSO_MAX, PAGE_SIZE) / PAGE_SIZE);
	if (!n->tso)
		ret = -ENOMEM;
	if (ret)
		return ret;
	n->srx = n->stx + E1000_SHADOW_DESCS * E1000_DESC_SIZE;
	/* whatever the firmware left running stops; the guest starts from a quiet NIC */
	hw_wr(n, E1000_RCTL, hw_rd(n, E1000_RCTL) & ~(u32)E1000_RCTL_EN);
	hw_wr(n, E1000_TCTL, hw_rd(n, E1000_TCTL) & ~(u32)E1000_TCTL_EN);
	hw_wr(n, E1000_RXCSUM, 0);
	if (hw_rd(n, E1000_CTRL) & ctrl_vmm_bits(n))
		hw_wr(n, E1000_CTRL, hw_rd(n, E1000_CTRL) & ~ctrl_vmm_bits(n));
	fc_pin(n);
	e1000_eeprom_init(n);
	e1000_ring_reset(n);
	if (out)
		*out = n;
	return vm_register_mmio(vm, bar0, E1000_BAR0_SIZE, MMIO_TRAP_READ | MMIO_TRAP_WRITE,
				"e1000", e1000_mmio, n);
}

/* EEPROM word @w through EERD (bounded wait); -1 when the read never completes. */
static int eeprom_word(struct e1000_nic *n, u32 w)
{
	u32 i, v;

	hw_wr(n, E1000_EERD, w << E1000_EERD_ADDR_SHIFT | E1000_EERD_START);
	for (i = 0; i < E1000_RST_POLL; i++) {
		v = hw_rd(n, E1000_EERD);
		if (v & E1000_EERD_DONE)
			return (int)(v >> 16);
	}
	return -1;
}

/* The station address: RA[0] if valid, else the EEPROM's; 0 or -ENODEV. */
static int station_address(struct e1000_nic *n, u8 mac[6])
{
	u32 lo = hw_rd(n, E1000_RA), hi = hw_rd(n, E1000_RA + 4);
	int w, i;

	if (!(hi & E1000_RAH_AV)) {
		for (i = 0; i < 3; i++) {
			w = eeprom_word(n, (u32)i);
			if (w < 0)
				return -ENODEV;
			mac[2 * i] = (u8)w;
			mac[2 * i + 1] = (u8)(w >> 8);
		}
	} else {
		memcpy(mac, &lo, 4);
		mac[4] = (u8)hi;
		mac[5] = (u8)(hi >> 8);
	}
	if ((mac[0] & 1) || !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return -ENODEV;
	return 0;
}

int e1000_secure(struct e1000_nic *n)
{
	u8 mac[6];
	int ret;

	if (n->port->mode != POLICY_NET_ENCRYPT)
		return 0;
	if (station_address(n, mac)) {
		e1000_log(n, "no valid station address (RA[0], EEPROM) for the SCI", 0);
		return -ENODEV;
	}
	spin_lock(&n->lock);
	ret = net_port_secure(n->port, mac);
	if (!ret)
		hw_wr(n, E1000_RCTL, dev_rctl(n));	/* LPE and MPE for the wire frames */
	spin_unlock(&n->lock);
	return ret;
}

bool e1000_match(const struct pci_dev *pd)
{
	return pd->vendor == E1000_VENDOR_INTEL && pd->device == E1000_DEV_82540EM;
}

int e1000_probe(struct vm *vm, const struct pci_dev *pd)
{
	struct net_port *port = page_alloc(1);
	struct e1000_nic *n = NULL;
	u16 b = pd->bdf;
	int ret = port ? 0 : -ENOMEM;

	_Static_assert(sizeof(*port) <= PAGE_SIZE, "a port fits a page");
	if (!ret)
		ret = net_port_open(port, b, "e1000");
	if (!ret)	/* BAR0 assigned and locked; I/O decode off (IOADDR/IODATA reach every register) */
		ret = pci_lock_function(b, BIT(0), PCI_LOCK_NO_IO, "e1000");
	if (!ret && !pci_bar(b, 0))
		ret = -ENODEV;
	if (!ret)
		ret = e1000_attach(vm, b, pci_bar(b, 0), port, NULL, NULL, &n);
	if (!ret)
		ret = e1000_secure(n);
	if (ret) {
		pr_err("e1000 %02x:%02x.%x: not intercepted (%d)\n", PCI_BUS(b), PCI_DEV(b),
		       PCI_FN(b), ret);
		return ret;
	}
	pr_info("e1000 %02x:%02x.%x: intercepted, BAR0 0x%lx, mode %s, %u-descriptor shadow "
		"rings\n", PCI_BUS(b), PCI_DEV(b), PCI_FN(b), pci_bar(b, 0),
		net_mode_name(port->mode), E1000_SHADOW_DESCS);
	return 0;
}
