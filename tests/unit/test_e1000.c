// SPDX-License-Identifier: GPL-2.0-only
/*
 * drivers/e1000.c and e1000_ring.c on the host, against a small model of an
 * 82540EM: a register file whose transmit and receive rings the model walks
 * when the driver moves TDT or a test injects a frame, asserting that every
 * address it DMAs to or from (ring or buffer) is VMM memory from
 * page_alloc(), never the guest's RAM. The "guest" drives the NIC through
 * the MMIO handler e1000.c registers, with its rings and buffers in a fake
 * guest RAM beside a fake VMM region. What leaves is compared byte for byte
 * with what the guest queued; checksums against values computed by hand
 * (RFC 1071 example header).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../drivers/e1000_priv.h"
#include <drivers/nic.h>
#include <drivers/pci.h>
#include <mamori/devices.h>
#include <mamori/errno.h>
#include <mamori/mm.h>
#include <mamori/net.h>
#include <mamori/policy.h>
#include <mamori/vm.h>
#include <mamori/time.h>
#include <net/macsec_port.h>
#include <net/random.h>

#define BAR0		0xfebc0000ULL
#define BDF		PCI_BDF(0, 3, 0)
#define GRAM_SIZE	(8u << 20)
#define VMM_GPA		0x600000ULL	/* the fake VMM region in guest-physical space */
#define VMM_SIZE	0x100000ULL
#define G_TXR		0x10000ULL	/* guest TX ring, 16 descriptors */
#define G_RXR		0x11000ULL	/* guest RX ring, 16 descriptors */
#define G_BUF(i)	(0x100000ULL + (i) * 0x1000)
#define NDESC		16

/* ---- the VMM's clock and entropy (a seeded generator: two actors, two MIs) --- */
static u64 now_ms;
static u64 rng_state = 0x9e3779b97f4a7c15ULL;
static bool rng_broken;

u64 arch_time_ms(void)
{
	return now_ms;
}

int arch_random_bytes(void *buf, size_t len)
{
	u8 *b = buf;

	if (rng_broken)
		return -EIO;
	while (len--) {
		rng_state ^= rng_state << 13;
		rng_state ^= rng_state >> 7;
		rng_state ^= rng_state << 17;
		*b++ = (u8)rng_state;
	}
	return 0;
}

/* ---- the guest's RAM and the VMM doubles ---------------------------------- */
static u8 *gram;
static struct vm vm;

static bool hits_vmm(u64 gpa, u64 len)
{
	return gpa + len < gpa || (gpa < VMM_GPA + VMM_SIZE && gpa + len > VMM_GPA);
}

int guest_phys_read(struct vm *v, u64 gpa, void *buf, u64 len)
{
	if (gpa + len > GRAM_SIZE || hits_vmm(gpa, len))
		return -EFAULT;
	memcpy(buf, gram + gpa, len);
	return 0;
}

int guest_phys_write(struct vm *v, u64 gpa, const void *buf, u64 len)
{
	if (gpa + len > GRAM_SIZE || hits_vmm(gpa, len))
		return -EFAULT;
	memcpy(gram + gpa, buf, len);
	return 0;
}

bool vm_range_hits_vmm(const struct vm *v, u64 gpa, u64 len)
{
	return hits_vmm(gpa, len);
}

static struct { u8 *p; u64 len; } vmm_area[512];
static u32 nvmm_area;

void *page_alloc(u32 n)
{
	void *p = aligned_alloc(PAGE_SIZE, (size_t)n * PAGE_SIZE);

	assert_non_null(p);
	memset(p, 0, (size_t)n * PAGE_SIZE);
	assert_true(nvmm_area < ARRAY_SIZE(vmm_area));
	vmm_area[nvmm_area].p = p;
	vmm_area[nvmm_area++].len = (u64)n * PAGE_SIZE;
	return p;
}

/* The model may DMA only into VMM memory (a page_alloc() area). */
static u8 *dma(u64 pa, u64 len)
{
	u32 i;

	for (i = 0; i < nvmm_area; i++)
		if (pa >= (u64)vmm_area[i].p && pa + len <= (u64)vmm_area[i].p + vmm_area[i].len)
			return (u8 *)pa;
	fail_msg("device DMA to 0x%llx (+%llu) outside VMM memory", (unsigned long long)pa,
		 (unsigned long long)len);
	return NULL;
}

int platform_dma_window(u16 bdf, void *va, u64 size)
{
	assert_int_equal(bdf, BDF);
	return 0;
}

static mmio_handler_fn trap_fn;
static void *trap_priv;
static u64 trap_gpa, trap_size;

int vm_register_mmio(struct vm *v, u64 gpa, u64 size, u32 flags, const char *name,
		     mmio_handler_fn handler, void *priv)
{
	assert_int_equal(flags, MMIO_TRAP_READ | MMIO_TRAP_WRITE);
	trap_fn = handler;
	trap_priv = priv;
	trap_gpa = gpa;
	trap_size = size;
	return 0;
}

/* PCI: one 82540EM and, when asked, an NE2000 no model intercepts. */
static bool pci_ne2k;
static u32 locked_flags, locked_bars;

int pci_for_each(int (*fn)(const struct pci_dev *d, void *priv), void *priv)
{
	struct pci_dev nic = { .bdf = BDF, .vendor = 0x8086, .device = 0x100e, .class = 0x0200 };
	struct pci_dev ne2k = { .bdf = PCI_BDF(0, 4, 0), .vendor = 0x10ec, .device = 0x8029,
				.class = 0x0200 };
	struct pci_dev ide = { .bdf = PCI_BDF(0, 1, 1), .vendor = 0x8086, .device = 0x7010,
			       .class = PCI_CLASS_IDE };
	int ret = fn(&ide, priv);

	if (!ret)
		ret = fn(&nic, priv);
	if (!ret && pci_ne2k)
		ret = fn(&ne2k, priv);
	return ret;
}

int pci_lock_function(u16 bdf, u32 needed_bars, u32 flags, const char *owner)
{
	assert_int_equal(bdf, BDF);
	locked_bars = needed_bars;
	locked_flags = flags;
	return 0;
}

/* What nic_init() attaches: a BAR0 of plain host memory (the real-MMIO accessors). */
static u32 *probe_bar;

u64 pci_bar(u16 bdf, u32 n)
{
	return bdf == BDF && n == 0 ? (u64)probe_bar : 0;
}

/* ---- the 82540EM model ------------------------------------------------------ */
static u32 reg[E1000_BAR0_SIZE / 4];
static bool written[E1000_BAR0_SIZE / 4];
static u8 wire[16][2048];
static u32 wire_len[16], nwire, rx_lost;

static u32 R(u32 off) { return reg[off / 4]; }

/* The EEPROM behind the device's EERD (64 words, the last making the sum 0xbaba). */
static u16 eeprom[64];

static u64 ring_base(u32 bal)
{
	return R(bal) | (u64)R(bal + 4) << 32;
}

static void model_tx(void)
{
	u64 base = ring_base(E1000_TDBAL);
	u32 n = R(E1000_TDLEN) / 16;

	if (!(R(E1000_TCTL) & E1000_TCTL_EN))
		return;
	while (R(E1000_TDH) != R(E1000_TDT)) {
		u8 *d = dma(base + R(E1000_TDH) * 16, 16);
		u64 addr;
		u16 len;

		memcpy(&addr, d, 8);
		memcpy(&len, d + 8, 2);
		assert_true(d[11] & 1);		/* the shadow: one descriptor per frame */
		assert_true(nwire < ARRAY_SIZE(wire) && len <= sizeof(wire[0]));
		memcpy(wire[nwire], dma(addr, len), len);
		wire_len[nwire++] = len;
		d[12] |= 1;
		reg[E1000_TDH / 4] = (R(E1000_TDH) + 1) % n;
		reg[E1000_ICR / 4] |= E1000_ICR_TXDW;
	}
}

static u32 model_read(void *priv, u32 off)
{
	u32 v = R(off);

	if (off == E1000_ICR)
		reg[off / 4] = 0;
	return v;
}

static void model_write(void *priv, u32 off, u32 val)
{
	written[off / 4] = true;
	if (off == E1000_CTRL && (val & E1000_CTRL_RST)) {
		memset(reg, 0, sizeof(reg));
		reg[E1000_STATUS / 4] = E1000_STATUS_LU;
		reg[E1000_VET / 4] = 0x8100;
		return;
	}
	if (off == E1000_EERD && (val & E1000_EERD_START)) {
		u32 a = val >> 8 & 0xff;

		reg[off / 4] = (a < 64 ? (u32)eeprom[a] << 16 : 0) | a << 8 | E1000_EERD_DONE;
		return;
	}
	if (off == E1000_ICS) {
		reg[E1000_ICR / 4] |= val;
		return;
	}
	reg[off / 4] = val;
	if (off == E1000_TDT)
		model_tx();
}

static const struct e1000_hw_ops model_ops = { model_read, model_write };

/* A frame from the wire: into the next shadow RX buffer, or lost when none. */
static void model_rx(const u8 *f, u32 len)
{
	u64 base = ring_base(E1000_RDBAL);
	u32 n = R(E1000_RDLEN) / 16, h = R(E1000_RDH);
	u8 *d;
	u64 addr;

	if (!(R(E1000_RCTL) & E1000_RCTL_EN) || h == R(E1000_RDT)) {
		rx_lost++;
		return;
	}
	assert_true(R(E1000_RCTL) & E1000_RCTL_SECRC);
	d = dma(base + h * 16, 16);
	memcpy(&addr, d, 8);
	memcpy(dma(addr, len), f, len);
	memcpy(d + 8, &len, 2);
	d[12] = 3;			/* DD, EOP */
	d[13] = 0;
	reg[E1000_RDH / 4] = (h + 1) % n;
	reg[E1000_ICR / 4] |= E1000_ICR_RXT0;
}

/* ---- the guest's side -------------------------------------------------------- */
static struct net_port port;
static struct e1000_nic *nic;

static int gw(u32 off, u32 val)
{
	u64 v = val;

	return trap_fn(&vm, trap_priv, BAR0 + off, 4, true, &v);
}

static u32 gr(u32 off)
{
	u64 v = 0;

	return trap_fn(&vm, trap_priv, BAR0 + off, 4, false, &v) ? 0xffffffff : (u32)v;
}

static u8 *gdesc(u64 ring, u32 i)
{
	return gram + ring + i * 16;
}

/* A legacy TX descriptor @i pointing at @buf with @len bytes and @cmd. */
static void gtxd(u32 i, u64 buf, u16 len, u8 cmd, u8 cso, u8 css, u16 special)
{
	u8 *d = gdesc(G_TXR, i);

	memset(d, 0, 16);
	memcpy(d, &buf, 8);
	memcpy(d + 8, &len, 2);
	d[10] = cso;
	d[11] = cmd;
	d[13] = css;
	memcpy(d + 14, &special, 2);
}

static void frame(u8 *f, u32 len, u8 seed)
{
	u32 i;

	memset(f, 0xff, 6);		/* broadcast */
	memcpy(f + 6, "\x52\x54\x00\x12\x34\x56", 6);
	f[12] = 0x88;
	f[13] = 0xb5;			/* local experimental EtherType */
	for (i = 14; i < len; i++)
		f[i] = (u8)(seed + i);
}

static void attach(u8 mode)
{
	memset(reg, 0, sizeof(reg));
	memset(written, 0, sizeof(written));
	reg[E1000_STATUS / 4] = E1000_STATUS_LU;
	reg[E1000_VET / 4] = 0x8100;
	reg[E1000_EECD / 4] = E1000_EECD_PRES | (1u << 4);	/* present, 64 words, FWE off */
	memset(gram, 0, GRAM_SIZE);
	memset(&port, 0, sizeof(port));
	port.bdf = BDF;
	port.model = "e1000";
	port.mode = mode;
	nwire = rx_lost = 0;
	assert_int_equal(e1000_attach(&vm, BDF, BAR0, &port, &model_ops, NULL, &nic), 0);
	assert_int_equal(trap_gpa, BAR0);
	assert_int_equal(trap_size, E1000_BAR0_SIZE);
	/* the device runs on shadow rings in VMM memory */
	dma(ring_base(E1000_TDBAL), R(E1000_TDLEN));
	dma(ring_base(E1000_RDBAL), R(E1000_RDLEN));
}

static void guest_tx_setup(void)
{
	assert_int_equal(gw(E1000_TDBAL, (u32)G_TXR), 0);
	assert_int_equal(gw(E1000_TDBAH, 0), 0);
	assert_int_equal(gw(E1000_TDLEN, NDESC * 16), 0);
	assert_int_equal(gw(E1000_TDH, 0), 0);
	assert_int_equal(gw(E1000_TDT, 0), 0);
	assert_int_equal(gw(E1000_TCTL, E1000_TCTL_EN | 0x10), 0);
}

static void guest_rx_setup(u32 avail)
{
	u32 i;

	for (i = 0; i < NDESC; i++) {
		u64 b = G_BUF(8 + i);

		memset(gdesc(G_RXR, i), 0, 16);
		memcpy(gdesc(G_RXR, i), &b, 8);
	}
	assert_int_equal(gw(E1000_RDBAL, (u32)G_RXR), 0);
	assert_int_equal(gw(E1000_RDLEN, NDESC * 16), 0);
	assert_int_equal(gw(E1000_RDH, 0), 0);
	assert_int_equal(gw(E1000_RDT, avail), 0);
	assert_int_equal(gw(E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_SECRC), 0);
}

static int setup(void **state)
{
	gram = calloc(1, GRAM_SIZE);
	assert_non_null(gram);
	return 0;
}

/* ---- pass: frames through the shadow rings, unchanged -------------------------- */
static void test_pass_tx(void **state)
{
	u8 f[200];

	attach(POLICY_NET_PASS);
	guest_tx_setup();
	frame(f, sizeof(f), 1);
	memcpy(gram + G_BUF(0), f, 100);
	memcpy(gram + G_BUF(1), f + 100, 100);
	gtxd(0, G_BUF(0), 100, E1000_TXD_CMD_IFCS, 0, 0, 0);
	gtxd(1, G_BUF(1), 100, E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS, 0,
	     0, 0);
	assert_int_equal(gw(E1000_TDT, 2), 0);
	assert_int_equal(nwire, 1);
	assert_int_equal(wire_len[0], sizeof(f));
	assert_memory_equal(wire[0], f, sizeof(f));
	assert_int_equal(gdesc(G_TXR, 1)[12] & 1, 1);	/* DD where RS was asked */
	assert_int_equal(gdesc(G_TXR, 0)[12] & 1, 0);
	assert_int_equal(gr(E1000_TDH), 2);
	assert_int_equal(gr(E1000_TDT), 2);
	assert_int_equal(gr(E1000_TDBAL), (u32)G_TXR);	/* the guest sees its own ring */
	assert_int_not_equal(R(E1000_TDBAL), (u32)G_TXR);
	assert_int_equal(port.stats.tx_frames, 1);
	/* a frame whose end is not yet before TDT waits */
	gtxd(2, G_BUF(0), 60, E1000_TXD_CMD_IFCS, 0, 0, 0);
	gtxd(3, G_BUF(1), 60, E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS, 0, 0, 0);
	assert_int_equal(gw(E1000_TDT, 3), 0);
	assert_int_equal(nwire, 1);
	assert_int_equal(gw(E1000_TDT, 4), 0);
	assert_int_equal(nwire, 2);
	assert_int_equal(wire_len[1], 120);
}

static void test_pass_rx(void **state)
{
	u8 f[300], *d;
	u16 len;

	attach(POLICY_NET_PASS);
	guest_rx_setup(4);
	frame(f, sizeof(f), 7);
	model_rx(f, sizeof(f));
	/* nothing reaches the guest before the VMM processed it: the guest's ring is untouched */
	assert_int_equal(gdesc(G_RXR, 0)[12], 0);
	assert_int_equal(gr(E1000_ICR) & E1000_ICR_RXT0, E1000_ICR_RXT0);
	d = gdesc(G_RXR, 0);
	memcpy(&len, d + 8, 2);
	assert_int_equal(len, sizeof(f));
	assert_int_equal(d[12], 0x7);			/* DD, EOP, IXSM: no checksum claimed */
	assert_int_equal(d[13], 0);
	assert_memory_equal(gram + G_BUF(8), f, sizeof(f));
	assert_int_equal(gr(E1000_RDH), 1);
	assert_int_equal(port.stats.rx_frames, 1);
	/* the guest's ring full: frames wait in the shadow ring, then arrive with an interrupt */
	model_rx(f, 64);
	model_rx(f, 65);
	model_rx(f, 66);
	model_rx(f, 67);
	gr(E1000_ICR);
	assert_int_equal(gr(E1000_RDH), 4);
	assert_int_equal(gdesc(G_RXR, 4)[12], 0);
	assert_int_equal(gw(E1000_RDT, 8), 0);
	assert_int_equal(gdesc(G_RXR, 4)[12], 0x7);
	memcpy(&len, gdesc(G_RXR, 4) + 8, 2);
	assert_int_equal(len, 67);
	assert_int_equal(R(E1000_ICR) & E1000_ICR_RXT0, E1000_ICR_RXT0);
}

/* Without SECRC the guest expects the FCS: appended in software (CRC-32 of the frame). */
static void test_rx_fcs(void **state)
{
	static const u8 f[] = "123456789012345678901234567890123456789012345678901234567890";
	u16 len;

	attach(POLICY_NET_PASS);
	guest_rx_setup(4);
	assert_int_equal(gw(E1000_RCTL, 0), 0);
	assert_int_equal(gw(E1000_RCTL, E1000_RCTL_EN), 0);
	assert_true(R(E1000_RCTL) & E1000_RCTL_SECRC);	/* the device always strips */
	model_rx(f, 60);
	gr(E1000_ICR);
	memcpy(&len, gdesc(G_RXR, 0) + 8, 2);
	assert_int_equal(len, 64);
	/* CRC-32 (IEEE) of those 60 bytes, by zlib.crc32: 0x9851d170, little-endian on the wire */
	assert_memory_equal(gram + G_BUF(8) + 60, "\x70\xd1\x51\x98", 4);
}

/* ---- block: nothing in or out, link down ------------------------------------------ */
static void test_block(void **state)
{
	u8 f[100];

	attach(POLICY_NET_BLOCK);
	guest_tx_setup();
	guest_rx_setup(8);
	assert_int_equal(R(E1000_TCTL) & E1000_TCTL_EN, 0);
	assert_int_equal(R(E1000_RCTL) & E1000_RCTL_EN, 0);
	assert_int_equal(gr(E1000_TCTL) & E1000_TCTL_EN, E1000_TCTL_EN);
	assert_int_equal(gr(E1000_STATUS) & E1000_STATUS_LU, 0);
	/* nor does the PHY's status register (MDIC read of register 1) show the link */
	reg[E1000_MDIC / 4] = E1000_MDIC_OP_READ | 1u << 21 | 1u << 16 | BIT(28) | 0x796d;
	assert_int_equal(gr(E1000_MDIC) & 0xffff, 0x7969);
	reg[E1000_MDIC / 4] = E1000_MDIC_OP_READ | 1u << 21 | 2u << 16 | BIT(28) | 0x0141;
	assert_int_equal(gr(E1000_MDIC) & 0xffff, 0x0141);
	frame(f, sizeof(f), 3);
	memcpy(gram + G_BUF(0), f, sizeof(f));
	gtxd(0, G_BUF(0), sizeof(f), E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS, 0, 0, 0);
	assert_int_equal(gw(E1000_TDT, 1), 0);
	assert_int_equal(nwire, 0);
	assert_int_equal(port.stats.tx_dropped, 1);
	assert_int_equal(gdesc(G_TXR, 0)[12] & 1, 1);	/* completed: the guest goes on */
	/* even a device that delivered a frame: the NIC layer drops it */
	reg[E1000_RCTL / 4] |= E1000_RCTL_EN;
	model_rx(f, sizeof(f));
	gr(E1000_ICR);
	assert_int_equal(gdesc(G_RXR, 0)[12], 0);
	assert_int_equal(port.stats.rx_dropped, 1);
	/* a device reset leaves block in force */
	assert_int_equal(gw(E1000_CTRL, E1000_CTRL_RST), 0);
	guest_tx_setup();
	assert_int_equal(R(E1000_TCTL) & E1000_TCTL_EN, 0);
}

/* ---- hostile descriptors -------------------------------------------------------- */
static void test_tx_buffer_in_vmm(void **state)
{
	attach(POLICY_NET_PASS);
	memset(gram + VMM_GPA, 0x5a, 0x1000);		/* what must never leave */
	guest_tx_setup();
	gtxd(0, VMM_GPA + 0x100, 200, E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS, 0, 0, 0);
	gtxd(1, VMM_GPA - 100, 200, E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS, 0, 0, 0);
	gtxd(2, ~0ULL - 10, 100, E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS, 0, 0, 0);
	assert_int_equal(gw(E1000_TDT, 3), 0);
	assert_int_equal(nwire, 0);
	assert_int_equal(gdesc(G_TXR, 2)[12] & 1, 1);	/* refused, and the ring goes on */
	assert_int_equal(gr(E1000_TDH), 3);
	assert_int_equal(port.stats.tx_dropped, 3);
	/* a good frame afterwards still leaves */
	memset(gram + G_BUF(0), 0x11, 64);
	gtxd(3, G_BUF(0), 64, E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS, 0, 0, 0);
	assert_int_equal(gw(E1000_TDT, 4), 0);
	assert_int_equal(nwire, 1);
}

static void test_tx_huge(void **state)
{
	u8 *d;
	u32 big = 0xfffff | (E1000_TXD_DTYP_DATA << 20);

	attach(POLICY_NET_PASS);
	guest_tx_setup();
	gtxd(0, G_BUF(0), 0xffff, E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS, 0, 0, 0);
	d = gdesc(G_TXR, 1);
	gtxd(1, G_BUF(0), 0, E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS | E1000_TXD_CMD_DEXT, 0, 0, 0);
	memcpy(d + 8, &big, 3);
	assert_int_equal(gw(E1000_TDT, 2), 0);
	assert_int_equal(nwire, 0);
	assert_int_equal(gr(E1000_TDH), 2);
	assert_int_equal(port.stats.tx_dropped, 2);
}

static void test_ring_reprogram(void **state)
{
	attach(POLICY_NET_PASS);
	guest_tx_setup();
	guest_rx_setup(4);
	/* while the rings run, base, length and head stay as they are */
	assert_int_equal(gw(E1000_TDBAL, (u32)VMM_GPA), -EBUSY);
	assert_int_equal(gw(E1000_TDLEN, 0x80000), -EBUSY);
	assert_int_equal(gw(E1000_TDH, 5), -EBUSY);
	assert_int_equal(gw(E1000_RDBAH, 1), -EBUSY);
	assert_int_equal(gr(E1000_TDBAL), (u32)G_TXR);
	assert_int_equal(gr(E1000_TDLEN), NDESC * 16);
	assert_int_equal(gr(E1000_RDBAH), 0);
	/* a tail beyond the ring is refused */
	assert_int_equal(gw(E1000_TDT, NDESC), -EINVAL);
	/* stopped, the guest may move them; the device's rings never change */
	assert_int_equal(gw(E1000_TCTL, 0), 0);
	assert_int_equal(gw(E1000_TDBAL, (u32)VMM_GPA), 0);
	assert_int_equal(gw(E1000_TCTL, E1000_TCTL_EN), 0);
	gtxd(0, G_BUF(0), 64, E1000_TXD_CMD_EOP, 0, 0, 0);
	assert_int_equal(gw(E1000_TDT, 1), 0);	/* a ring in VMM memory is never walked */
	assert_int_equal(nwire, 0);
	assert_int_equal(gr(E1000_TDH), 0);
	dma(ring_base(E1000_TDBAL), R(E1000_TDLEN));
}

static void test_rx_buffer_in_vmm(void **state)
{
	u8 f[100];
	u64 bad = VMM_GPA + 0x800;
	u16 len;

	attach(POLICY_NET_PASS);
	memset(gram + VMM_GPA, 0x5a, 0x1000);
	guest_rx_setup(4);
	memcpy(gdesc(G_RXR, 0), &bad, 8);
	frame(f, sizeof(f), 9);
	model_rx(f, sizeof(f));
	model_rx(f, sizeof(f));
	gr(E1000_ICR);
	assert_int_equal(gdesc(G_RXR, 0)[12] & 1, 1);
	assert_int_equal(gdesc(G_RXR, 0)[13], 0x80);	/* RXE: handed back empty */
	memcpy(&len, gdesc(G_RXR, 0) + 8, 2);
	assert_int_equal(len, 0);
	assert_int_equal(gram[VMM_GPA + 0x800], 0x5a);
	assert_memory_equal(gram + G_BUF(9), f, sizeof(f));	/* the next one arrives */
}

/* ---- registers ------------------------------------------------------------------ */
static void test_refused_registers(void **state)
{
	u64 v = 0x12;

	attach(POLICY_NET_PASS);
	/* diagnostic FIFO, packet buffer memory, flash, unknown: never reach the device */
	assert_int_equal(gw(0x2410, 1), -EPERM);		/* RDFH */
	assert_int_equal(gw(0x3418, 1), -EPERM);		/* TDFPC */
	assert_int_equal(gw(0x10000, 1), -EPERM);		/* packet buffer */
	assert_int_equal(gw(E1000_STATUS, 0), -EPERM);
	assert_int_equal(gw(E1000_STATS + 8, 0), -EPERM);
	assert_false(written[0x2410 / 4] || written[0x3418 / 4] || written[0x10000 / 4] ||
		     written[E1000_STATUS / 4] || written[(E1000_STATS + 8) / 4]);
	assert_int_equal(gr(0x10000), 0xffffffff);		/* raw RX frames stay unread */
	/* sub-dword and unaligned accesses */
	assert_int_equal(trap_fn(&vm, trap_priv, BAR0 + E1000_TDT, 2, true, &v), -EINVAL);
	assert_int_equal(trap_fn(&vm, trap_priv, BAR0 + E1000_IMS + 1, 4, true, &v), -EINVAL);
	assert_int_equal(trap_fn(&vm, trap_priv, BAR0 + E1000_BAR0_SIZE - 4, 8, false, &v),
			 -EFAULT);
	/* RCTL: long frames, loopback and buffer sizes stay the VMM's */
	assert_int_equal(gw(E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_LPE | E1000_RCTL_LBM |
			    E1000_RCTL_BSEX | (1u << 16)), 0);
	assert_int_equal(R(E1000_RCTL) & (E1000_RCTL_LPE | E1000_RCTL_LBM | E1000_RCTL_BSEX |
					  E1000_RCTL_BSIZE), 0);
	assert_int_equal(gr(E1000_RCTL) & E1000_RCTL_LPE, E1000_RCTL_LPE);
	/* no receive checksum or VLAN stripping in the device */
	assert_int_equal(gw(E1000_RXCSUM, 0x300), 0);
	assert_int_equal(R(E1000_RXCSUM), 0);
	assert_int_equal(gr(E1000_RXCSUM), 0x300);
	assert_int_equal(gw(E1000_CTRL, E1000_CTRL_VME | 0x40), 0);
	assert_int_equal(R(E1000_CTRL), 0x40);
	assert_int_equal(gr(E1000_CTRL), E1000_CTRL_VME | 0x40);
	/* MANC: bits may only be cleared */
	reg[0x5820 / 4] = 0x2000;
	assert_int_equal(gw(0x5820, 0x2001), -EPERM);
	assert_int_equal(gw(0x5820, 0), 0);
	/* allowed ones pass as written */
	assert_int_equal(gw(E1000_IMS, 0x9d), 0);
	assert_int_equal(R(E1000_IMS), 0x9d);
	assert_int_equal(gw(E1000_RA + 4, 0x80001234), 0);
	assert_int_equal(R(E1000_RA + 4), 0x80001234);
	/* pass: the PHY's link bit as the device reports it */
	reg[E1000_MDIC / 4] = E1000_MDIC_OP_READ | 1u << 21 | 1u << 16 | BIT(28) | 0x796d;
	assert_int_equal(gr(E1000_MDIC) & 0xffff, 0x796d);
}

/* ---- the EEPROM: read by bit-banging as Linux's e1000 does on an 82540, never written ---- */
static u32 ee_pins;

static void ee_set(u32 v)
{
	ee_pins = v;
	assert_int_equal(gw(E1000_EECD, v), 0);
}

static void ee_clock(void)
{
	ee_set(ee_pins | E1000_EECD_SK);
	ee_set(ee_pins & ~(u32)E1000_EECD_SK);
}

static void ee_out(u32 data, u32 count)
{
	while (count--) {
		ee_set((ee_pins & ~(u32)E1000_EECD_DI) | (data >> count & 1 ? E1000_EECD_DI : 0));
		ee_clock();
	}
	ee_set(ee_pins & ~(u32)E1000_EECD_DI);
}

static u16 ee_in(void)
{
	u32 i;
	u16 w = 0;

	for (i = 0; i < 16; i++) {
		ee_set(ee_pins | E1000_EECD_SK);
		w = w << 1 | !!(gr(E1000_EECD) & E1000_EECD_DO);
		ee_set(ee_pins & ~(u32)E1000_EECD_SK);
	}
	return w;
}

/* Chip select low, one clock, chip select high (Linux: e1000_standby_eeprom). */
static void ee_standby(void)
{
	ee_set(ee_pins & ~(u32)(E1000_EECD_CS | E1000_EECD_SK));
	ee_clock();
	ee_set(ee_pins | E1000_EECD_CS);
}

static u16 ee_read(u32 addr)
{
	u16 w;

	ee_out(6, 3);				/* start bit, READ 10b */
	ee_out(addr, 6);
	assert_int_equal(gr(E1000_EECD) & E1000_EECD_DO, 0);	/* the dummy 0 */
	w = ee_in();
	ee_standby();
	return w;
}

static void test_eeprom(void **state)
{
	u32 i, sum = 0;

	for (i = 0; i < 63; i++) {
		eeprom[i] = (u16)(0x1234 * i + 0x8086);
		sum += eeprom[i];
	}
	eeprom[63] = (u16)(0xbaba - sum);
	attach(POLICY_NET_BLOCK);
	memset(written, 0, sizeof(written));
	/* acquire: REQ, then GNT; the device's SIZE/PRES show through */
	ee_set(E1000_EECD_REQ);
	assert_int_equal(gr(E1000_EECD) & (E1000_EECD_GNT | E1000_EECD_PRES | E1000_EECD_SIZE),
			 E1000_EECD_GNT | E1000_EECD_PRES);
	ee_set(E1000_EECD_REQ | E1000_EECD_CS);
	for (sum = 0, i = 0; i < 64; i++)
		sum += ee_read(i);
	assert_int_equal(sum & 0xffff, 0xbaba);		/* the checksum Linux validates */
	assert_int_equal(ee_read(0x0e), eeprom[0x0e]);
	/* EWEN (10011 + 4 bits), WRITE (101 + address + data) of the device id: refused */
	ee_out(0x13, 5);
	ee_out(0, 4);
	ee_standby();
	ee_out(5, 3);
	ee_out(0x0e, 6);
	ee_out(0x1234, 16);
	ee_standby();
	assert_int_equal(gr(E1000_EECD) & E1000_EECD_DO, 0);	/* never "ready": fails visibly */
	ee_out(7, 3);					/* ERASE */
	ee_out(0x0e, 6);
	ee_standby();
	assert_int_equal(ee_read(0x0e), eeprom[0x0e]);
	/* the guest's pins never reach the device: no write, no erase, no enable */
	assert_false(written[E1000_EECD / 4]);
	assert_int_equal(R(E1000_EECD), E1000_EECD_PRES | (1u << 4));
	/* EERD: the guest's own read register works too */
	assert_int_equal(gw(E1000_EERD, E1000_EERD_START | 3u << 8), 0);
	assert_int_equal(gr(E1000_EERD), (u32)eeprom[3] << 16 | 3u << 8 | E1000_EERD_DONE);
	/* CTRL_EXT: no EEPROM reload, no pin or link-mode change; the interrupt enables may */
	assert_int_equal(gw(E1000_CTRL_EXT, E1000_CTRL_EXT_EE_RST), -EPERM);
	assert_int_equal(gw(E1000_CTRL_EXT, BIT(8) | BIT(4)), -EPERM);	/* SDP4 out, high */
	assert_false(written[E1000_CTRL_EXT / 4]);
	assert_int_equal(gw(E1000_CTRL_EXT, E1000_CTRL_EXT_GPI_EN), 0);
	assert_int_equal(R(E1000_CTRL_EXT), E1000_CTRL_EXT_GPI_EN);
}

/* ---- pause frames: only 802.3x ones, and none at all in block ------------------------- */
static void test_pause_frames(void **state)
{
	attach(POLICY_NET_BLOCK);
	assert_int_equal(R(E1000_FCAL), E1000_FCAL_PAUSE);
	assert_int_equal(R(E1000_FCAH), E1000_FCAH_PAUSE);
	assert_int_equal(R(E1000_FCT), E1000_FCT_PAUSE);
	/* the 16 bytes a guest would modulate: address and type stay 802.3x */
	assert_int_equal(gw(E1000_FCAL, 0x44332211), -EPERM);
	assert_int_equal(gw(E1000_FCAH, 0x6655), -EPERM);
	assert_int_equal(gw(E1000_FCT, 0x88b5), -EPERM);
	assert_int_equal(R(E1000_FCAL), E1000_FCAL_PAUSE);
	assert_int_equal(R(E1000_FCAH), E1000_FCAH_PAUSE);
	assert_int_equal(R(E1000_FCT), E1000_FCT_PAUSE);
	assert_int_equal(gw(E1000_FCAL, E1000_FCAL_PAUSE), 0);	/* what Linux writes */
	assert_int_equal(gw(E1000_FCT, E1000_FCT_PAUSE), 0);
	/* block: no XOFF on request, no flow control, the guest reads what it wrote */
	guest_tx_setup();
	assert_int_equal(gw(E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_SWXOFF), 0);
	assert_int_equal(R(E1000_TCTL) & (E1000_TCTL_SWXOFF | E1000_TCTL_EN), 0);
	assert_int_equal(gw(E1000_CTRL, E1000_CTRL_TFCE | E1000_CTRL_RFCE | 0x40), 0);
	assert_int_equal(R(E1000_CTRL), 0x40);
	assert_int_equal(gr(E1000_CTRL), E1000_CTRL_TFCE | E1000_CTRL_RFCE | 0x40);
	/* after a device reset the address and type are pinned again */
	assert_int_equal(gw(E1000_CTRL, E1000_CTRL_RST), 0);
	assert_int_equal(R(E1000_FCAL), E1000_FCAL_PAUSE);
	assert_int_equal(R(E1000_FCT), E1000_FCT_PAUSE);
	/* pass: flow control and XOFF are the guest's (802.3x frames only) */
	attach(POLICY_NET_PASS);
	assert_int_equal(gw(E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_SWXOFF), 0);
	assert_int_equal(R(E1000_TCTL) & E1000_TCTL_SWXOFF, E1000_TCTL_SWXOFF);
	assert_int_equal(gw(E1000_CTRL, E1000_CTRL_TFCE | E1000_CTRL_RFCE), 0);
	assert_int_equal(R(E1000_CTRL), E1000_CTRL_TFCE | E1000_CTRL_RFCE);
}

/* A device reset: the VMM points the device at its shadow rings again. */
static void test_reset(void **state)
{
	u64 tdba;

	attach(POLICY_NET_PASS);
	guest_tx_setup();
	tdba = ring_base(E1000_TDBAL);
	assert_int_equal(gw(E1000_CTRL, E1000_CTRL_RST), 0);
	assert_int_equal(ring_base(E1000_TDBAL), tdba);
	assert_int_equal(R(E1000_RDLEN), E1000_SHADOW_DESCS * 16);
	assert_int_equal(gr(E1000_TDBAL), 0);
	assert_int_equal(gr(E1000_TCTL), 0);
}

/* ---- offloads ------------------------------------------------------------------- */
/* RFC 1071-style example: this IPv4 header's checksum is 0xb861. */
static const u8 ip_hdr[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
			       0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };

static void test_offload_legacy_csum_vlan(void **state)
{
	u8 f[60];

	attach(POLICY_NET_PASS);
	guest_tx_setup();
	memset(f, 0, sizeof(f));
	frame(f, 14, 0);
	f[12] = 0x08;
	f[13] = 0x00;
	memcpy(f + 14, ip_hdr, 20);
	memcpy(gram + G_BUF(0), f, 34);		/* the frame is only the header: sum to the end */
	gtxd(0, G_BUF(0), 34, E1000_TXD_CMD_EOP | E1000_TXD_CMD_IC | E1000_TXD_CMD_VLE |
	     E1000_TXD_CMD_RS, 24, 14, 0x0123);
	assert_int_equal(gw(E1000_TDT, 1), 0);
	assert_int_equal(nwire, 1);
	assert_int_equal(wire_len[0], 38);
	assert_memory_equal(wire[0] + 12, "\x81\x00\x01\x23\x08\x00", 6);
	assert_int_equal(wire[0][18 + 10], 0xb8);	/* summed before the tag went in */
	assert_int_equal(wire[0][18 + 11], 0x61);
}

static void ctx_desc(u32 i, u8 ipcss, u8 ipcso, u16 ipcse, u8 tucmd)
{
	u8 *d = gdesc(G_TXR, i);

	memset(d, 0, 16);
	d[0] = ipcss;
	d[1] = ipcso;
	memcpy(d + 2, &ipcse, 2);
	d[4] = 34;
	d[5] = 40;
	d[10] = E1000_TXD_DTYP_CTX << 4;
	d[11] = tucmd | E1000_TXD_CMD_DEXT;
}

static void data_desc(u32 i, u64 buf, u32 len, u8 popts)
{
	u8 *d = gdesc(G_TXR, i);
	u32 w = len | (E1000_TXD_DTYP_DATA << 20);

	memset(d, 0, 16);
	memcpy(d, &buf, 8);
	memcpy(d + 8, &w, 4);
	d[11] = E1000_TXD_CMD_DEXT | E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS;
	d[13] = popts;
}

static void test_offload_context(void **state)
{
	u8 f[60];

	attach(POLICY_NET_PASS);
	guest_tx_setup();
	memset(f, 0, sizeof(f));
	frame(f, 14, 0);
	memcpy(f + 14, ip_hdr, 20);
	memcpy(gram + G_BUF(0), f, sizeof(f));
	/* checksum options before any context descriptor: refused */
	data_desc(0, G_BUF(0), sizeof(f), E1000_TXD_POPTS_IXSM);
	assert_int_equal(gw(E1000_TDT, 1), 0);
	assert_int_equal(nwire, 0);
	ctx_desc(1, 14, 24, 33, 0);
	data_desc(2, G_BUF(0), sizeof(f), E1000_TXD_POPTS_IXSM);
	assert_int_equal(gw(E1000_TDT, 3), 0);
	assert_int_equal(nwire, 1);
	assert_int_equal(wire[0][24], 0xb8);
	assert_int_equal(wire[0][25], 0x61);
	assert_memory_equal(wire[0] + 26, ip_hdr + 12, 8);	/* nothing past ipcse touched */
	/* a TSE context without a header length cannot be segmented: refused, the ring goes on */
	ctx_desc(3, 14, 24, 33, E1000_TXD_CMD_TSE);
	data_desc(4, G_BUF(0), sizeof(f), E1000_TXD_POPTS_TXSM);
	gdesc(G_TXR, 4)[11] |= E1000_TXD_CMD_TSE;
	assert_int_equal(gw(E1000_TDT, 5), 0);
	assert_int_equal(nwire, 1);
	assert_int_equal(gr(E1000_TDH), 5);
	/* offsets outside the frame are refused */
	ctx_desc(5, 14, 250, 33, 0);
	data_desc(6, G_BUF(0), sizeof(f), E1000_TXD_POPTS_IXSM);
	assert_int_equal(gw(E1000_TDT, 7), 0);
	assert_int_equal(nwire, 1);
}

/* One's complement sum (RFC 1071) of @len bytes, folded; a valid checksum area sums to 0xffff. */
static u32 ones(const u8 *p, u32 len, u32 sum)
{
	u32 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (u32)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (u32)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* TCP segmentation in software: 3000 bytes at MSS 1000 leave as 3 valid segments. */
static void test_tso(void **state)
{
	enum { HDR = 54, PAY = 3000, MSS = 1000 };
	static u8 f[HDR + PAY];
	u32 k, seed, pay = PAY, tucmd;
	u8 *d;

	attach(POLICY_NET_PASS);
	guest_tx_setup();
	frame(f, 14, 0);
	f[12] = 0x08;
	f[13] = 0x00;
	memcpy(f + 14, ip_hdr, 20);
	f[14 + 9] = 6;				/* TCP */
	memset(f + 34, 0, 20);
	f[34 + 4] = 0x10;			/* sequence number 0x10000000 */
	f[34 + 12] = 0x50;			/* data offset 5 */
	f[34 + 13] = 0x19;			/* ACK, PSH, FIN */
	for (k = 0; k < PAY; k++)
		f[HDR + k] = (u8)(k * 7 + 3);
	/* Linux seeds the checksum with the pseudo-header sum without the length */
	seed = ones(f + 26, 8, 6);
	f[50] = seed >> 8;
	f[51] = (u8)seed;
	memcpy(gram + G_BUF(0), f, sizeof(f));
	ctx_desc(0, 14, 24, 33, E1000_TXD_CMD_TSE | 3);	/* TSE, IP, TCP */
	d = gdesc(G_TXR, 0);
	d[5] = 50;					/* tucso */
	tucmd = pay | E1000_TXD_DTYP_CTX << 20;
	memcpy(d + 8, &tucmd, 3);
	d[13] = HDR;
	d[14] = MSS & 0xff;
	d[15] = MSS >> 8;
	data_desc(1, G_BUF(0), sizeof(f), E1000_TXD_POPTS_IXSM | E1000_TXD_POPTS_TXSM);
	gdesc(G_TXR, 1)[11] |= E1000_TXD_CMD_TSE;
	assert_int_equal(gw(E1000_TDT, 2), 0);
	assert_int_equal(nwire, 3);
	for (k = 0; k < 3; k++) {
		u8 *w = wire[k], ph[12];
		u32 tcp_len = 20 + MSS;

		assert_int_equal(wire_len[k], HDR + MSS);
		assert_memory_equal(w + HDR, f + HDR + k * MSS, MSS);
		assert_int_equal(w[16] << 8 | w[17], 20 + tcp_len);		/* IP total length */
		assert_int_equal(w[18] << 8 | w[19], k);			/* IP id */
		assert_int_equal(ones(w + 14, 20, 0), 0xffff);			/* IP checksum */
		assert_int_equal(w[38] << 24 | w[39] << 16 | w[40] << 8 | w[41],
				 0x10000000 + k * MSS);
		assert_int_equal(w[47], k == 2 ? 0x19 : 0x10);
		memcpy(ph, w + 26, 8);
		ph[8] = 0;
		ph[9] = 6;
		ph[10] = tcp_len >> 8;
		ph[11] = (u8)tcp_len;
		assert_int_equal(ones(w + 34, tcp_len, ones(ph, 12, 0)), 0xffff);
	}
	assert_int_equal(gdesc(G_TXR, 1)[12] & 1, 1);
	/* a payload length that disagrees with the frame: refused */
	ctx_desc(2, 14, 24, 33, E1000_TXD_CMD_TSE | 3);
	memcpy(gdesc(G_TXR, 2), gdesc(G_TXR, 0), 16);
	gdesc(G_TXR, 2)[8] = 1;
	data_desc(3, G_BUF(0), sizeof(f), E1000_TXD_POPTS_TXSM);
	gdesc(G_TXR, 3)[11] |= E1000_TXD_CMD_TSE;
	assert_int_equal(gw(E1000_TDT, 4), 0);
	assert_int_equal(nwire, 3);
	assert_int_equal(gr(E1000_TDH), 4);
}

/* ---- the SecY hook: a stand-in MACsec layer plugs in without driver changes ------- */
static int fake_protect(void *priv, const u8 *in, u32 len, u8 *out, u32 cap, u32 *out_len)
{
	if (len + 32 > cap)
		return -E2BIG;
	memcpy(out, in, 12);
	out[12] = 0x88;
	out[13] = 0xe5;
	memset(out + 14, 0xee, 30);
	memcpy(out + 44, in + 12, len - 12);
	*out_len = len + 32;
	return 0;
}

static int fake_validate(void *priv, const u8 *in, u32 len, u8 *out, u32 cap, u32 *out_len)
{
	static const u8 hello[60] = { 1, 0x80, 0xc2, 0, 0, 3, 2, 0x4d, 0x4d, 0, 0, 1, 0x88, 0x8e };

	if (in[12] == 0x88 && in[13] == 0x8e) {		/* EAPOL-MKA: consumed, answered */
		assert_int_equal(net_port_xmit(&port, hello, sizeof(hello)), 0);
		return -EPERM;
	}
	if (in[12] != 0x88 || in[13] != 0xe5 || len < 44)
		return -EPERM;				/* not MACsec: dropped */
	memcpy(out, in, 12);
	memcpy(out + 12, in + 44, len - 44);
	*out_len = len - 32;
	return 0;
}

static const struct net_secy_ops fake_secy = { fake_protect, fake_validate, NULL };

static void test_secy_hook(void **state)
{
	u8 f[100], w[132], eapol[60];
	u32 wlen;
	u16 len;

	attach(POLICY_NET_ENCRYPT);
	port.secy = &fake_secy;
	guest_tx_setup();
	guest_rx_setup(4);
	assert_int_equal(R(E1000_TCTL) & E1000_TCTL_EN, E1000_TCTL_EN);
	assert_int_equal(gr(E1000_STATUS) & E1000_STATUS_LU, E1000_STATUS_LU);
	/* out: the wire carries the protected frame, 32 bytes longer */
	frame(f, sizeof(f), 5);
	memcpy(gram + G_BUF(0), f, sizeof(f));
	gtxd(0, G_BUF(0), sizeof(f), E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS, 0, 0, 0);
	assert_int_equal(gw(E1000_TDT, 1), 0);
	assert_int_equal(nwire, 1);
	assert_int_equal(wire_len[0], sizeof(f) + 32);
	assert_int_equal(wire[0][12] << 8 | wire[0][13], 0x88e5);
	/* in: a plain frame is dropped, a protected one arrives as the plain frame */
	model_rx(f, sizeof(f));
	assert_int_equal(fake_protect(NULL, f, sizeof(f), w, sizeof(w), &wlen), 0);
	model_rx(w, wlen);
	gr(E1000_ICR);
	assert_int_equal(gr(E1000_RDH), 1);
	memcpy(&len, gdesc(G_RXR, 0) + 8, 2);
	assert_int_equal(len, sizeof(f));
	assert_memory_equal(gram + G_BUF(8), f, sizeof(f));
	/* EAPOL-MKA is the VMM's: consumed, and the SecY's answer leaves through the driver */
	memset(eapol, 0, sizeof(eapol));
	memcpy(eapol, "\x01\x80\xc2\x00\x00\x03", 6);
	eapol[12] = 0x88;
	eapol[13] = 0x8e;
	model_rx(eapol, sizeof(eapol));
	gr(E1000_ICR);
	assert_int_equal(gr(E1000_RDH), 1);
	assert_int_equal(nwire, 2);
	assert_int_equal(wire[1][12] << 8 | wire[1][13], 0x888e);
	/* block and pass ports never send VMM frames */
	port.mode = POLICY_NET_PASS;
	assert_int_equal(net_port_xmit(&port, eapol, sizeof(eapol)), -EPERM);
}

/* ---- the NIC layer: probe, coverage --------------------------------------------- */
static void test_probe_and_coverage(void **state)
{
	static struct policy pol;

	probe_bar = aligned_alloc(E1000_BAR0_SIZE, E1000_BAR0_SIZE);
	assert_non_null(probe_bar);
	memset(probe_bar, 0, E1000_BAR0_SIZE);
	pol.n_net = 1;
	pol.net[0] = (struct policy_net_rule){ .nic = POLICY_NIC_E1000,
					       .mode = POLICY_NET_PASS, .dev = 3 };
	assert_int_equal(net_init(&pol, NULL), 0);
	pci_ne2k = false;
	assert_int_equal(nic_init(&vm), 0);
	assert_int_equal(locked_bars, 1);
	assert_int_equal(locked_flags, PCI_LOCK_NO_IO);
	assert_int_equal(trap_gpa, (u64)probe_bar);
	assert_int_equal(probe_bar[E1000_RDLEN / 4], E1000_SHADOW_DESCS * 16);
	assert_int_equal(net_check_coverage(), 0);
	/* an NE2000 under the default (block): nothing can block it, the boot stops */
	pci_ne2k = true;
	assert_int_equal(nic_init(&vm), 0);
	assert_int_equal(net_check_coverage(), -EPERM);
}

static void test_coverage_pass_default(void **state)
{
	static struct policy pol;

	pol.n_net = 1;
	pol.net[0] = (struct policy_net_rule){ .nic = POLICY_NIC_DEFAULT, .mode = POLICY_NET_PASS };
	assert_int_equal(net_init(&pol, NULL), 0);
	/* the NE2000 recorded before is now explicitly passed */
	assert_int_equal(net_check_coverage(), 0);
	assert_int_equal(net_mode_of(PCI_BDF(0, 4, 0)), POLICY_NET_PASS);
	assert_int_equal(net_init(NULL, NULL), 0);
	assert_int_equal(net_mode_of(PCI_BDF(0, 4, 0)), POLICY_NET_BLOCK);
}

/* encrypt without a CAK or a SecY: the port does not open, drops everything (never "pass by accident"). */
static void test_encrypt_without_secy(void **state)
{
	static struct policy pol;
	struct net_port p;
	u8 in[64] = { 0 }, out[128];
	u32 len;

	pol.n_net = 1;
	pol.net[0] = (struct policy_net_rule){ .nic = POLICY_NIC_E1000,
					       .mode = POLICY_NET_ENCRYPT, .dev = 9 };
	assert_int_equal(net_init(&pol, NULL), -EINVAL);	/* no CAK: the net phase stops the boot */
	assert_int_equal(net_port_open(&p, PCI_BDF(0, 9, 0), "e1000"), -ENOSYS);
	p.mode = POLICY_NET_ENCRYPT;
	p.secy = NULL;
	assert_int_equal(net_tx(&p, in, sizeof(in), out, sizeof(out), &len), -EPERM);
	assert_int_equal(net_rx(&p, in, sizeof(in), out, sizeof(out), &len), -EPERM);
	assert_false(net_link_allowed(&p));
}

/* ---- encrypt: the real SecY and MKA against a second MKA actor on the wire ---- */
static const u8 cak_ckn[32] = "0123456789abcdef" "mamori-test-ckn!";
static const u8 peer_mac[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };
static struct macsec_port peer;
static u8 to_nic[16][2048];
static u32 to_nic_len[16], nto_nic;

static int peer_send(void *ctx, const u8 *f, size_t len)
{
	assert_true(nto_nic < ARRAY_SIZE(to_nic) && len <= sizeof(to_nic[0]));
	memcpy(to_nic[nto_nic], f, len);
	to_nic_len[nto_nic++] = (u32)len;
	return 0;
}

static enum macsec_cipher test_cipher = MACSEC_GCM_AES_128;

static void encrypt_policy(struct policy *pol, struct policy_secrets *sec)
{
	memset(pol, 0, sizeof(*pol));
	memset(sec, 0, sizeof(*sec));
	pol->n_net = 1;
	pol->net[0] = (struct policy_net_rule){ .nic = POLICY_NIC_E1000, .mode = POLICY_NET_ENCRYPT,
						.dev = 3, .key_id = "net0" };
	memcpy(pol->net[0].peer_mac, peer_mac, 6);
	pol->net[0].cipher = test_cipher == MACSEC_GCM_AES_256 ? POLICY_NET_GCM_AES_256 :
								  POLICY_NET_GCM_AES_128;
	sec->count = 1;
	strcpy(sec->s[0].name, "net0");
	sec->s[0].kind = POLICY_SECRET_KEY;
	sec->s[0].len = 32;
	memcpy(sec->s[0].value, cak_ckn, 32);
}

/* The e1000 opened through the NIC layer in encrypt mode and secured (station address set). */
static void attach_encrypt(void)
{
	static struct policy pol;
	static struct policy_secrets sec;

	encrypt_policy(&pol, &sec);
	assert_int_equal(net_init(&pol, &sec), 0);
	memset(reg, 0, sizeof(reg));
	reg[E1000_STATUS / 4] = E1000_STATUS_LU;
	reg[E1000_RA / 4] = 0x12005452;			/* 52:54:00:12:34:56 */
	reg[E1000_RA / 4 + 1] = 0x5634 | E1000_RAH_AV;
	memset(gram, 0, GRAM_SIZE);
	nwire = rx_lost = nto_nic = 0;
	assert_int_equal(net_port_open(&port, BDF, "e1000"), 0);
	assert_false(net_link_allowed(&port));		/* nothing until the SecY runs */
	assert_int_equal(e1000_attach(&vm, BDF, BAR0, &port, &model_ops, NULL, &nic), 0);
	now_ms = 1000;
	assert_int_equal(e1000_secure(nic), 0);
	assert_non_null(port.secy);
	assert_true(net_link_allowed(&port));
}

/*
 * @ms of simulated time in 100 ms steps with the guest touching no register:
 * only net_poll() (the VMM's periodic hook) moves frames between the NIC and
 * the peer actor.
 */
static void run_idle(u32 ms)
{
	u32 t, i;

	for (t = 0; t < ms; t += 100) {
		now_ms += 100;
		net_poll();
		for (i = 0; i < nwire; i++) {
			u8 out[2048];
			u32 ol;

			if (wire[i][12] == 0x88 && wire[i][13] == 0x8e)
				macsec_port_validate(&peer, wire[i], wire_len[i], out, sizeof(out), &ol);
		}
		nwire = 0;
		macsec_port_tick(&peer, now_ms);
		for (i = 0; i < nto_nic; i++)
			model_rx(to_nic[i], to_nic_len[i]);
		nto_nic = 0;
	}
}

static void peer_start(void)
{
	struct mka_config cfg = { .cak_len = 16, .ckn_len = 16, .port = 1, .priority = 32,
				  .cipher = test_cipher };
	struct mka_ops ops = { peer_send, NULL };

	memcpy(cfg.cak, cak_ckn, 16);
	memcpy(cfg.ckn, cak_ckn + 16, 16);
	memcpy(cfg.mac, peer_mac, 6);
	assert_int_equal(macsec_port_init(&peer, &cfg, 0, &ops, now_ms), 0);
}

static void test_encrypt_mka(void **state)
{
	struct macsec_port *mine;
	u8 f[200], w[300], out[300];
	u32 wlen, ol, rdh, drops;
	u16 len;

	attach_encrypt();
	mine = port.secy_priv;
	guest_tx_setup();
	guest_rx_setup(NDESC - 1);
	peer_start();
	/* the guest idles: MKA elects us (priority 16) and our SAK gets used both ways */
	run_idle(10000);
	assert_true(mine->mka.st.rx_ok > 0);
	assert_true(mine->mka.key_server);
	assert_true(mka_secured(&mine->mka));
	assert_true(mka_secured(&peer.mka));
	assert_int_equal(gr(E1000_RDH), 0);		/* every MKPDU was the VMM's */
	/* out: the guest's frame leaves protected (+32), and the peer recovers it */
	frame(f, sizeof(f), 9);
	memcpy(gram + G_BUF(0), f, sizeof(f));
	gtxd(0, G_BUF(0), sizeof(f), E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS, 0, 0, 0);
	assert_int_equal(gw(E1000_TDT, 1), 0);
	assert_int_equal(nwire, 1);
	assert_int_equal(wire_len[0], sizeof(f) + 32);
	assert_int_equal(wire[0][12] << 8 | wire[0][13], 0x88e5);
	assert_null(memmem(wire[0], wire_len[0], f + 14, 32));	/* no plaintext on the wire */
	assert_int_equal(macsec_port_validate(&peer, wire[0], wire_len[0], out, sizeof(out), &ol), 0);
	assert_int_equal(ol, sizeof(f));
	assert_memory_equal(out, f, sizeof(f));
	nwire = 0;
	/* in: the peer's protected frame reaches the guest plain, without a register access */
	frame(f, sizeof(f), 33);
	memcpy(f + 6, peer_mac, 6);
	assert_int_equal(macsec_port_protect(&peer, f, sizeof(f), w, sizeof(w), &wlen), 0);
	model_rx(w, wlen);
	now_ms += NET_POLL_MS;
	net_poll();
	memcpy(&len, gdesc(G_RXR, 0) + 8, 2);
	assert_int_equal(len, sizeof(f));
	assert_memory_equal(gram + G_BUF(8), f, sizeof(f));
	assert_true(R(E1000_ICR) & E1000_ICR_RXT0);	/* the guest is told */
	rdh = gr(E1000_RDH);
	assert_int_equal(rdh, 1);
	/* a plain frame from the wire, and a replay of the protected one: never delivered */
	drops = (u32)port.stats.rx_dropped;
	model_rx(f, sizeof(f));
	model_rx(w, wlen);
	gr(E1000_ICR);
	assert_int_equal(gr(E1000_RDH), rdh);
	assert_int_equal(port.stats.rx_dropped, drops + 2);
	/* a guest descriptor pointing at VMM memory is still refused, nothing leaves */
	memset(gram + VMM_GPA, 0x5a, 0x1000);
	gtxd(1, VMM_GPA + 0x100, 200, E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS, 0, 0, 0);
	assert_int_equal(gw(E1000_TDT, 2), 0);
	assert_int_equal(nwire, 0);
	/* the device takes the 32 longer frames and the MKA group address */
	assert_int_equal(R(E1000_RCTL) & (E1000_RCTL_LPE | E1000_RCTL_MPE),
			 E1000_RCTL_LPE | E1000_RCTL_MPE);
	assert_int_equal(mine->secy.cipher, test_cipher);
	assert_int_equal(peer.secy.cipher, test_cipher);
	macsec_port_stop(&peer);
}

/*
 * cipher=gcm-aes-256: the same run with the policy's suite; the VMM's MKA
 * distributes a 32-byte SAK with the GCM-AES-256 suite ID and a peer of
 * that suite installs it (a peer of the other suite would refuse it).
 */
static void test_encrypt_mka_gcm256(void **state)
{
	test_cipher = MACSEC_GCM_AES_256;
	test_encrypt_mka(state);
	test_cipher = MACSEC_GCM_AES_128;
}

/* A peer with another CAK: no live peer, no SAK, no frame through either way. */
static void test_encrypt_wrong_cak(void **state)
{
	struct mka_config cfg = { .cak_len = 16, .ckn_len = 16, .port = 1, .priority = 32,
				  .cipher = MACSEC_GCM_AES_128 };
	struct mka_ops ops = { peer_send, NULL };
	struct macsec_port *mine;
	u8 f[100];

	attach_encrypt();
	mine = port.secy_priv;
	guest_tx_setup();
	guest_rx_setup(NDESC - 1);
	memcpy(cfg.cak, "0123456789abcdeF", 16);
	memcpy(cfg.ckn, cak_ckn + 16, 16);
	memcpy(cfg.mac, peer_mac, 6);
	assert_int_equal(macsec_port_init(&peer, &cfg, 0, &ops, now_ms), 0);
	run_idle(10000);
	assert_int_equal(mine->mka.st.rx_ok, 0);
	assert_true(mine->mka.st.rx_bad_icv > 0);
	assert_false(mka_secured(&mine->mka));
	frame(f, sizeof(f), 1);
	memcpy(gram + G_BUF(0), f, sizeof(f));
	gtxd(0, G_BUF(0), sizeof(f), E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS, 0, 0, 0);
	assert_int_equal(gw(E1000_TDT, 1), 0);
	assert_int_equal(nwire, 0);			/* no SAK: dropped, never plain */
	assert_true(port.stats.tx_dropped > 0);
	macsec_port_stop(&peer);
}

/* Fail closed: no CAK unsealed, a key of the wrong kind, or no entropy. */
static void test_encrypt_refusals(void **state)
{
	static struct policy pol;
	static struct policy_secrets sec;
	struct net_port p;

	encrypt_policy(&pol, &sec);
	sec.count = 0;
	assert_int_equal(net_init(&pol, &sec), -EINVAL);
	assert_int_equal(net_init(&pol, NULL), -EINVAL);
	assert_int_equal(net_port_open(&p, BDF, "e1000"), -ENOSYS);
	encrypt_policy(&pol, &sec);
	sec.s[0].len = 16;
	assert_int_equal(net_init(&pol, &sec), -EINVAL);
	rng_broken = true;
	encrypt_policy(&pol, &sec);
	assert_int_equal(net_init(&pol, &sec), 0);
	memset(reg, 0, sizeof(reg));
	reg[E1000_RA / 4] = 0x12005452;
	reg[E1000_RA / 4 + 1] = 0x5634 | E1000_RAH_AV;
	assert_int_equal(net_port_open(&port, BDF, "e1000"), 0);
	assert_int_equal(e1000_attach(&vm, BDF, BAR0, &port, &model_ops, NULL, &nic), 0);
	assert_int_not_equal(e1000_secure(nic), 0);
	assert_null(port.secy);
	assert_false(net_link_allowed(&port));
	rng_broken = false;
	/* no station address (RA[0] empty, EEPROM blank): no SCI, refused */
	reg[E1000_RA / 4 + 1] = 0;
	memset(eeprom, 0, sizeof(eeprom));
	assert_int_equal(e1000_secure(nic), -ENODEV);
	/* before any guest driver ran (Bochs): the EEPROM's address */
	eeprom[0] = 0x4d02;
	eeprom[1] = 0x004d;
	eeprom[2] = 0x0100;
	assert_int_equal(e1000_secure(nic), 0);
	assert_int_equal(((struct macsec_port *)port.secy_priv)->mka.cfg.mac[5], 0x01);
	assert_int_equal(((struct macsec_port *)port.secy_priv)->mka.cfg.mac[0], 0x02);
	/* the rule's peer= reaches MKA: only that SCI may become a live peer */
	assert_true(((struct macsec_port *)port.secy_priv)->mka.cfg.peer_only);
	assert_memory_equal(((struct macsec_port *)port.secy_priv)->mka.cfg.peer_mac, peer_mac, 6);
	assert_int_equal(((struct macsec_port *)port.secy_priv)->secy.cipher, MACSEC_GCM_AES_128);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pass_tx),
		cmocka_unit_test(test_pass_rx),
		cmocka_unit_test(test_rx_fcs),
		cmocka_unit_test(test_block),
		cmocka_unit_test(test_tx_buffer_in_vmm),
		cmocka_unit_test(test_tx_huge),
		cmocka_unit_test(test_ring_reprogram),
		cmocka_unit_test(test_rx_buffer_in_vmm),
		cmocka_unit_test(test_refused_registers),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_eeprom),
		cmocka_unit_test(test_pause_frames),
		cmocka_unit_test(test_offload_legacy_csum_vlan),
		cmocka_unit_test(test_offload_context),
		cmocka_unit_test(test_tso),
		cmocka_unit_test(test_secy_hook),
		cmocka_unit_test(test_probe_and_coverage),
		cmocka_unit_test(test_coverage_pass_default),
		cmocka_unit_test(test_encrypt_without_secy),
		cmocka_unit_test(test_encrypt_mka),
		cmocka_unit_test(test_encrypt_mka_gcm256),
		cmocka_unit_test(test_encrypt_wrong_cak),
		cmocka_unit_test(test_encrypt_refusals),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
