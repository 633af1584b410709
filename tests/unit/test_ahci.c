// SPDX-License-Identifier: GPL-2.0-only
/*
 * drivers/ahci.c on the host, against a device model of an AHCI HBA (Bochs
 * has none). The model keeps the register file, executes commands from the
 * command list its PxCLB names against a sparse in-memory disk, and asserts
 * that every DMA address it follows (command list, tables, PRD buffers) is
 * VMM memory from page_alloc(), never guest memory. The "guest" drives the
 * HBA through the MMIO handler ahci.c registers, with its command lists and
 * buffers in a fake guest RAM. Disk contents are checked against OpenSSL's
 * aes-256-xts with the dm-crypt plain64 IV (sector - start + iv_offset, LE).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <drivers/ahci.h>
#include <drivers/pci.h>
#include <crypto/xts.h>
#include <mamori/devices.h>
#include <mamori/disk.h>
#include <mamori/errno.h>
#include <mamori/mm.h>
#include <mamori/vm.h>

#define SECT		DISK_SECTOR
#define ABAR		0xfebf0000ULL
#define BDF		PCI_BDF(0, 0x1f, 2)
#define GRAM_SIZE	(16u << 20)
#define VMM_GPA		0xe00000ULL	/* the fake VMM region in guest-physical space */
#define VMM_SIZE	0x200000ULL
#define G_CLB(p)	(0x10000ULL + (p) * 0x1000)
#define G_FB(p)		(0x20000ULL + (p) * 0x1000)
#define G_CT(p, s)	(0x40000ULL + (p) * 0x40000 + (s) * 0x2000)
#define G_BUF		0x200000ULL
#define P(p, r)		(AHCI_PORT_BASE + (p) * AHCI_PORT_SIZE + (r))
#define IS_DHRS		BIT(0)
#define IS_SDBS		BIT(3)

/* ---- the guest's RAM and the VMM doubles ---------------------------------- */
static u8 *gram;
static struct vm vm;

int guest_phys_read(struct vm *v, u64 gpa, void *buf, u64 len)
{
	if (gpa + len > GRAM_SIZE || (gpa < VMM_GPA + VMM_SIZE && gpa + len > VMM_GPA))
		return -EFAULT;
	memcpy(buf, gram + gpa, len);
	return 0;
}

int guest_phys_write(struct vm *v, u64 gpa, const void *buf, u64 len)
{
	if (gpa + len > GRAM_SIZE || (gpa < VMM_GPA + VMM_SIZE && gpa + len > VMM_GPA))
		return -EFAULT;
	memcpy(gram + gpa, buf, len);
	return 0;
}

/* A host buffer a test lets stand for VMM memory, besides the fake region. */
static u64 vmm_alias, vmm_alias_len;

bool vm_range_hits_vmm(const struct vm *v, u64 gpa, u64 len)
{
	return gpa + len < gpa || (gpa < VMM_GPA + VMM_SIZE && gpa + len > VMM_GPA) ||
	       (gpa < vmm_alias + vmm_alias_len && gpa + len > vmm_alias);
}

/* VMM memory: every page_alloc() area, for the model's DMA checks. */
static struct { u8 *p; u64 len; } vmm_area[256];
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

/* The DMA windows the intercept opened (platform_dma_window()) for the HBA. */
static struct { u64 base, end; } win[80];
static u32 nwin;

int platform_dma_window(u16 bdf, void *va, u64 size)
{
	assert_int_equal(bdf, BDF);
	assert_true(nwin < ARRAY_SIZE(win));
	win[nwin].base = (u64)va;
	win[nwin++].end = (u64)va + size;
	return 0;
}

static mmio_handler_fn trap_fn;
static void *trap_priv;
static u64 trap_gpa, trap_size;
static u32 trap_flags;

int vm_register_mmio(struct vm *v, u64 gpa, u64 size, u32 flags, const char *name,
		     mmio_handler_fn handler, void *priv)
{
	trap_fn = handler;
	trap_priv = priv;
	trap_gpa = gpa;
	trap_size = size;
	trap_flags = flags;
	return 0;
}

static u64 unregistered;

int vm_unregister_mmio(struct vm *v, u64 gpa)
{
	unregistered = gpa;
	return 0;
}

/* PCI: no AHCI function (as under Bochs), or one whose ABAR is plain memory. */
static bool pci_hba;
static u64 pci_bar5;

int pci_find(u16 class, int prog_if, u32 index, struct pci_dev *out)
{
	if (!pci_hba || class != PCI_CLASS_SATA || prog_if != 1 || index)
		return -ENOENT;
	*out = (struct pci_dev){ .bdf = BDF, .class = class, .prog_if = 1 };
	return 0;
}

u64 pci_bar(u16 bdf, u32 n)
{
	assert_int_equal(bdf, BDF);
	assert_int_equal(n, 5);
	return pci_bar5;
}

static u16 locked_bdf;
static u32 locked_needed, locked_flags;
static int lock_rc;

int pci_lock_function(u16 bdf, u32 needed_bars, u32 flags, const char *owner)
{
	locked_bdf = bdf;
	locked_needed = needed_bars;
	locked_flags = flags;
	return lock_rc;
}

/* ---- the disk double: ranges resolved as vmm/disk.c would, XTS via crypto/xts.c */
static u8 raw_key[XTS_KEY_SIZE];
static struct xts_key key;
static struct disk disk0;
static bool disk0_on;

const struct disk *disk_claim(u8 kind, u8 bus, u8 dev, u8 fn, u16 port, u32 unit,
			      const char *owner)
{
	if (kind == BOOT_DISK_AHCI && PCI_BDF(bus, dev, fn) == BDF && port == 0 && !unit &&
	    disk0_on)
		return &disk0;
	return NULL;
}

static const struct disk_range *range_of(const struct disk *d, u64 s)
{
	u32 i;

	for (i = 0; i < d->nranges; i++)
		if (s >= d->range[i].start && s < d->range[i].end)
			return &d->range[i];
	return NULL;
}

bool disk_touches(const struct disk *d, u64 lba, u64 nsect)
{
	u64 s;

	for (s = lba; s < lba + nsect; s++)
		if (range_of(d, s))
			return true;
	return false;
}

int disk_crypt(const struct disk *d, u64 lba, u8 *buf, u64 nsect, bool encrypt)
{
	u64 i;

	for (i = 0; i < nsect; i++) {
		const struct disk_range *r = range_of(d, lba + i);
		u64 iv;

		if (!r)
			continue;
		iv = lba + i - r->start + r->iv_offset;
		if (encrypt)
			xts_encrypt_sectors(r->key, iv, buf + i * SECT, buf + i * SECT, 1);
		else
			xts_decrypt_sectors(r->key, iv, buf + i * SECT, buf + i * SECT, 1);
	}
	return 0;
}

static void disk_setup(u64 start, u64 end, u64 iv_offset)
{
	memset(&disk0, 0, sizeof(disk0));
	disk0.kind = BOOT_DISK_AHCI;
	disk0.nranges = 1;
	disk0.range[0] = (struct disk_range){ start, end, iv_offset, &key, 0 };
	disk0_on = true;
}

/* The reference: OpenSSL, independent of crypto/xts.c. */
static void ossl_xts(bool enc, u64 iv_sector, const u8 *in, u8 *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	u8 iv[16] = { 0 };
	int n = 0;

	memcpy(iv, &iv_sector, 8);
	assert_non_null(ctx);
	assert_int_equal(EVP_CipherInit_ex(ctx, EVP_aes_256_xts(), NULL, raw_key, iv, enc), 1);
	assert_int_equal(EVP_CipherUpdate(ctx, out, &n, in, SECT), 1);
	assert_int_equal(n, SECT);
	EVP_CIPHER_CTX_free(ctx);
}

/* ---- the device model ------------------------------------------------------ */
struct mport {
	u32 clb, clbu, fb, fbu, is, ie, cmd, tfd, sig, sctl, serr, sact, ci, fbs;
	u32 queued;		/* NCQ commands the device accepted (PxCI already clear) */
	u32 ci_late;		/* finished, but PxCI clears only after ci_lag more reads */
	u32 ci_lag;
};

static struct model {
	u32 cap, ghc, is, pi;
	struct mport p[2];
	u8 ops[256];
	u32 nops;
	u32 short_read;		/* reads transfer at most this many bytes (0: all) */
} m;

struct msector {
	u64 lba;
	u8 data[SECT];
};
static struct msector *mdisk;
static u32 nmdisk;
#define MDISK_MAX	16384

static u8 *mdisk_sector(u64 lba, bool create)
{
	u32 i;

	for (i = 0; i < nmdisk; i++)
		if (mdisk[i].lba == lba)
			return mdisk[i].data;
	if (!create)
		return NULL;
	assert_true(nmdisk < MDISK_MAX);
	mdisk[nmdisk].lba = lba;
	memset(mdisk[nmdisk].data, 0, SECT);
	return mdisk[nmdisk++].data;
}

/* Every address the device follows must be VMM memory in a DMA window (else VT-d faults). */
static void *dma(u64 pa, u64 len)
{
	u32 i;

	for (i = 0; i < nwin; i++)
		if (pa >= win[i].base && pa + len <= win[i].end)
			return (void *)pa;
	fail_msg("device DMA at 0x%llx+0x%llx outside the DMA windows", (unsigned long long)pa,
		 (unsigned long long)len);
	return NULL;
}

static u32 m_read(void *priv, u32 off)
{
	struct mport *p;

	switch (off) {
	case AHCI_CAP: return m.cap;
	case AHCI_GHC: return m.ghc;
	case AHCI_IS: return m.is;
	case AHCI_PI: return m.pi;
	}
	assert_true(off >= AHCI_PORT_BASE && off < P(2, 0));
	p = &m.p[(off - AHCI_PORT_BASE) / AHCI_PORT_SIZE];
	switch (off % AHCI_PORT_SIZE) {
	case PX_CLB: return p->clb;
	case PX_CLBU: return p->clbu;
	case PX_FB: return p->fb;
	case PX_FBU: return p->fbu;
	case PX_IS: return p->is;
	case PX_IE: return p->ie;
	case PX_CMD:
		return p->cmd | (p->cmd & PX_CMD_ST ? PX_CMD_CR : 0) |
		       (p->cmd & PX_CMD_FRE ? PX_CMD_FR : 0);
	case PX_TFD: return p->tfd;
	case PX_SIG: return p->sig;
	case PX_SACT: return p->sact;
	case PX_CI:
		if (p->ci_late && !p->ci_lag--) {
			p->ci &= ~p->ci_late;
			p->ci_late = 0;
		}
		return p->ci;
	case PX_FBS: return p->fbs;
	}
	return 0;
}

/* Queued commands: the device acknowledges at once, PxCI clears, PxSACT stays. */
static void m_accept_ncq(struct mport *p)
{
	u32 s;

	for (s = 0; s < AHCI_SLOTS; s++) {
		struct ahci_cmd_hdr *hdr;
		u8 *ct;

		if (!(p->ci & BIT(s)))
			continue;
		hdr = dma(((u64)p->clbu << 32 | p->clb) + s * 32, 32);
		ct = dma((u64)hdr->ctbau << 32 | hdr->ctba, AHCI_CT_PRDT);
		if (ct[2] == 0x60 || ct[2] == 0x61) {
			p->ci &= ~(u32)BIT(s);
			p->queued |= BIT(s);
		}
	}
}

static void m_write(void *priv, u32 off, u32 v)
{
	struct mport *p;

	switch (off) {
	case AHCI_GHC: m.ghc = v & ~AHCI_GHC_HR; return;
	case AHCI_IS: m.is &= ~v; return;
	}
	assert_true(off >= AHCI_PORT_BASE && off < P(2, 0));
	p = &m.p[(off - AHCI_PORT_BASE) / AHCI_PORT_SIZE];
	switch (off % AHCI_PORT_SIZE) {
	case PX_CLB: p->clb = v; break;
	case PX_CLBU: p->clbu = v; break;
	case PX_FB: p->fb = v; break;
	case PX_FBU: p->fbu = v; break;
	case PX_IS: p->is &= ~v; break;
	case PX_IE: p->ie = v; break;
	case PX_CMD:
		p->cmd = v & (PX_CMD_ST | PX_CMD_FRE);
		if (!(v & PX_CMD_ST))
			p->ci = p->sact = p->queued = 0;
		break;
	case PX_SACT: p->sact |= v; break;
	case PX_CI:
		assert_true(p->cmd & PX_CMD_ST);
		p->ci |= v;
		m_accept_ncq(p);
		break;
	case PX_FBS: p->fbs = v; break;
	}
}

static const struct ahci_hw_ops model_ops = { m_read, m_write };

/* The D2H register FIS the device posts into the (guest's) received-FIS area. */
static void m_post_d2h(u32 port, u8 status, u8 error)
{
	u8 *fis = gram + m.p[port].fb + AHCI_RX_D2H;

	memset(fis, 0, 20);
	fis[0] = 0x34;
	fis[2] = status;
	fis[3] = error;
}

/* Copy between the disk and the PRD stream of the device's command table. */
static u32 m_data(u8 *ct, u32 prdtl, u64 lba, u32 bytes, bool to_disk)
{
	struct ahci_prd *prd = dma((u64)(ct + AHCI_CT_PRDT), prdtl * sizeof(*prd));
	u32 i, pos = 0;

	if (!to_disk && m.short_read && m.short_read < bytes)
		bytes = m.short_read;
	for (i = 0; i < prdtl && pos < bytes; i++) {
		u32 len = (prd[i].dbc & AHCI_PRD_DBC) + 1, k;
		u8 *b = dma(prd[i].dba | (u64)prd[i].dbau << 32, len);

		assert_int_equal(len % SECT, 0);
		for (k = 0; k < len && pos < bytes; k += SECT, pos += SECT) {
			u8 *sec = mdisk_sector(lba + pos / SECT, to_disk);

			if (to_disk)
				memcpy(sec, b + k, SECT);
			else if (sec)
				memcpy(b + k, sec, SECT);
			else
				memset(b + k, 0, SECT);
		}
	}
	assert_int_equal(pos, bytes);
	return pos;
}

/* Execute slot @s of @port; false if it ended in an error (the port halts). */
static bool m_exec(u32 port, u32 s)
{
	struct mport *p = &m.p[port];
	struct ahci_cmd_hdr *hdr = dma(((u64)p->clbu << 32 | p->clb) + s * 32, 32);
	u8 *ct = dma((u64)hdr->ctbau << 32 | hdr->ctba, AHCI_CT_PRDT);
	u32 prdtl = hdr->dw0 >> 16, bytes = 0;
	u8 *f = ct, op = f[2];
	u64 lba48 = f[4] | (u64)f[5] << 8 | (u64)f[6] << 16 | (u64)f[8] << 24 |
		    (u64)f[9] << 32 | (u64)f[10] << 40;
	u64 lba28 = f[4] | (u64)f[5] << 8 | (u64)f[6] << 16 | (u64)(f[7] & 15) << 24;
	bool ncq = op == 0x60 || op == 0x61;

	assert_int_equal(f[0], FIS_TYPE_H2D);
	assert_true(m.nops < ARRAY_SIZE(m.ops));
	m.ops[m.nops++] = op;
	switch (op) {
	case 0x00:		/* NOP: command aborted */
		p->tfd = 0x04 << 8 | 0x51;
		p->is |= PX_IS_TFES | IS_DHRS;
		m.is |= BIT(port);
		m_post_d2h(port, 0x51, 0x04);
		return false;
	case 0x25: case 0x35:
		bytes = m_data(ct, prdtl, lba48, (f[12] | f[13] << 8) * SECT, op == 0x35);
		break;
	case 0xc8: case 0xca:
		bytes = m_data(ct, prdtl, lba28, (f[12] ? f[12] : 256) * SECT, op == 0xca);
		break;
	case 0x60: case 0x61:
		assert_true(p->sact & BIT(s));
		bytes = m_data(ct, prdtl, lba48, (f[3] | f[11] << 8) * SECT, op == 0x61);
		break;
	case 0xec: {
		struct ahci_prd *prd = dma((u64)(ct + AHCI_CT_PRDT), sizeof(*prd));
		u8 *b = dma(prd->dba | (u64)prd->dbau << 32, SECT);
		u32 i;

		for (i = 0; i < SECT; i++)
			b[i] = (u8)(i * 7 + 1);
		bytes = SECT;
		break;
	}
	}
	hdr->prdbc = bytes;
	if (p->ci_lag)
		p->ci_late |= BIT(s);
	else
		p->ci &= ~(u32)BIT(s);
	if (ncq) {
		p->queued &= ~(u32)BIT(s);
		p->sact &= ~(u32)BIT(s);
		p->is |= IS_SDBS;
	} else {
		p->is |= IS_DHRS;
		m_post_d2h(port, 0x50, 0);
	}
	p->tfd = 0x50;
	m.is |= BIT(port);
	return true;
}

/* Let the device run every issued slot of @port (or only @only, if not ~0). */
static void m_run(u32 port, u32 only)
{
	u32 s;

	for (s = 0; s < AHCI_SLOTS; s++)
		if (((m.p[port].ci | m.p[port].queued) & BIT(s)) && (only == ~0u || only == s))
			if (!m_exec(port, s))
				return;
}

static bool m_ran(u8 op)
{
	u32 i;

	for (i = 0; i < m.nops; i++)
		if (m.ops[i] == op)
			return true;
	return false;
}

/* ---- the guest driver ------------------------------------------------------ */
static u32 g_rd(u32 off)
{
	u64 v = 0;

	assert_int_equal(trap_fn(&vm, trap_priv, ABAR + off, 4, false, &v), 0);
	return (u32)v;
}

static int g_wr(u32 off, u32 v)
{
	u64 x = v;

	return trap_fn(&vm, trap_priv, ABAR + off, 4, true, &x);
}

static void g_start(u32 port)
{
	assert_int_equal(g_wr(P(port, PX_CLB), G_CLB(port)), 0);
	assert_int_equal(g_wr(P(port, PX_CLBU), 0), 0);
	assert_int_equal(g_wr(P(port, PX_FB), G_FB(port)), 0);
	assert_int_equal(g_wr(P(port, PX_FBU), 0), 0);
	assert_int_equal(g_wr(P(port, PX_CMD), PX_CMD_FRE | PX_CMD_ST), 0);
}

struct gprd {
	u64 gpa;
	u32 len;
};

static void fis_rw(u8 *f, u8 op, u64 lba, u32 nsect, u32 tag)
{
	memset(f, 0, 20);
	f[0] = FIS_TYPE_H2D;
	f[1] = FIS_H2D_C;
	f[2] = op;
	f[4] = lba, f[5] = lba >> 8, f[6] = lba >> 16;
	f[7] = 0x40;
	f[8] = lba >> 24, f[9] = lba >> 32, f[10] = lba >> 40;
	if (op == 0x60 || op == 0x61) {
		f[3] = nsect, f[11] = nsect >> 8, f[12] = tag << 3;
	} else if (op == 0xc8 || op == 0xca) {
		f[7] |= (lba >> 24) & 15;
		f[12] = nsect;
	} else {
		f[12] = nsect, f[13] = nsect >> 8;
	}
}

/* Write command slot @s of @port: header and table in guest RAM. */
static void g_cmd(u32 port, u32 s, const u8 *fis, bool write, const struct gprd *prd, u32 n)
{
	struct ahci_cmd_hdr hdr = { 0 };
	u8 *ct = gram + G_CT(port, s);
	u32 i;

	hdr.dw0 = 5 | (write ? AHCI_HDR_W : 0) | n << AHCI_HDR_PRDTL_SHIFT;
	hdr.ctba = G_CT(port, s);
	hdr.prdbc = 0xdeadbeef;
	memcpy(gram + G_CLB(port) + s * 32, &hdr, sizeof(hdr));
	memset(ct, 0, AHCI_CT_PRDT);
	memcpy(ct, fis, 20);
	for (i = 0; i < n; i++) {
		struct ahci_prd e = { (u32)prd[i].gpa, prd[i].gpa >> 32, 0, prd[i].len - 1 };

		memcpy(ct + AHCI_CT_PRDT + i * sizeof(e), &e, sizeof(e));
	}
}

static void g_issue(u32 port, u32 s, bool ncq)
{
	if (ncq)
		assert_int_equal(g_wr(P(port, PX_SACT), BIT(s)), 0);
	assert_int_equal(g_wr(P(port, PX_CI), BIT(s)), 0);
}

static void fill(u8 *p, u32 n, u32 seed)
{
	u32 i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(seed * 131 + i * 17 + (i >> 9));
}

/* One command of @nsect sectors at @lba through @nprd uneven PRDs at G_BUF. */
static void g_rw(u32 port, u32 s, u8 op, u64 lba, u32 nsect, u32 nprd, bool write)
{
	struct gprd prd[8];
	u32 bytes = nsect * SECT, i, pos = 0;
	u8 fis[20];

	assert_true(nprd >= 1 && nprd <= 8);
	for (i = 0; i < nprd; i++) {
		u32 len = i + 1 < nprd ? ALIGN_DOWN(bytes / nprd, 4) + 4 * i : bytes - pos;

		prd[i] = (struct gprd){ G_BUF + pos + i * 0x40, len };
		pos += len;
	}
	fis_rw(fis, op, lba, nsect, s);
	g_cmd(port, s, fis, write, prd, nprd);
	g_issue(port, s, op == 0x60 || op == 0x61);
}

/* The guest's data of g_rw(): PRD pieces are 0x40 apart in guest RAM. */
static void g_buf_get(u8 *out, u32 nsect, u32 nprd)
{
	u32 bytes = nsect * SECT, i, pos = 0;

	for (i = 0; i < nprd; i++) {
		u32 len = i + 1 < nprd ? ALIGN_DOWN(bytes / nprd, 4) + 4 * i : bytes - pos;

		memcpy(out + pos, gram + G_BUF + pos + i * 0x40, len);
		pos += len;
	}
}

static void g_buf_put(const u8 *in, u32 nsect, u32 nprd)
{
	u32 bytes = nsect * SECT, i, pos = 0;

	for (i = 0; i < nprd; i++) {
		u32 len = i + 1 < nprd ? ALIGN_DOWN(bytes / nprd, 4) + 4 * i : bytes - pos;

		memcpy(gram + G_BUF + pos + i * 0x40, in + pos, len);
		pos += len;
	}
}

/* ---- fixture ---------------------------------------------------------------- */
static int setup(void **state)
{
	u32 i;

	memset(gram, 0, GRAM_SIZE);
	memset(&m, 0, sizeof(m));
	nmdisk = 0;
	for (i = 0; i < nvmm_area; i++)
		free(vmm_area[i].p);
	nvmm_area = 0;
	nwin = 0;
	disk0_on = false;
	trap_fn = NULL;
	vmm_alias = vmm_alias_len = 0;
	m.cap = BIT(31) | BIT(30) | 31 << 8 | 1;	/* S64A, SNCQ, 32 slots, 2 ports */
	m.pi = 3;
	m.p[0].sig = m.p[1].sig = 0x101;
	m.p[0].clb = 0x7000;	/* the firmware's list before the VMM took over */
	return 0;
}

static void attach(void)
{
	struct ahci_hba *h;

	assert_int_equal(ahci_hba_attach(&vm, BDF, ABAR, &model_ops, NULL, &h), 0);
	assert_non_null(trap_fn);
	assert_int_equal(trap_gpa, ABAR);
	assert_true(trap_size >= 0x200);
	assert_int_equal(trap_flags, MMIO_TRAP_READ | MMIO_TRAP_WRITE);
	g_start(0);
	g_start(1);
}

/* ---- tests -------------------------------------------------------------------- */

/* Takeover: the device gets the shadow list, the guest reads back its own. */
static void test_attach_shadows_clb(void **state)
{
	assert_int_equal(ahci_hba_attach(&vm, BDF, ABAR, &model_ops, NULL, NULL), 0);
	assert_int_equal(g_rd(P(0, PX_CLB)), 0x7000);
	dma((u64)m.p[0].clbu << 32 | m.p[0].clb, AHCI_SLOTS * 32);
	g_start(0);
	assert_int_equal(g_rd(P(0, PX_CLB)), G_CLB(0));
	assert_int_not_equal(m.p[0].clb, (u32)G_CLB(0));
	dma((u64)m.p[0].clbu << 32 | m.p[0].clb, AHCI_SLOTS * 32);
	assert_int_equal(m.p[0].fb, (u32)G_FB(0));
}

/* A port the firmware left running is stopped, re-pointed and restarted. */
static void test_attach_running_port(void **state)
{
	u8 plain[SECT];

	m.p[0].cmd = PX_CMD_ST | PX_CMD_FRE;
	m.p[0].fb = G_FB(0);
	assert_int_equal(ahci_hba_attach(&vm, BDF, ABAR, &model_ops, NULL, NULL), 0);
	assert_int_equal(m.p[0].cmd, PX_CMD_ST | PX_CMD_FRE);
	dma((u64)m.p[0].clbu << 32 | m.p[0].clb, AHCI_SLOTS * 32);
	/* the firmware goes on with its own list, now shadowed */
	memset(gram + G_CLB(0), 0, 32 * 32);
	fill(plain, SECT, 9);
	g_buf_put(plain, 1, 1);
	{
		u8 fis[20];
		struct gprd prd = { G_BUF, SECT };
		struct ahci_cmd_hdr hdr;

		fis_rw(fis, 0x35, 3, 1, 0);
		g_cmd(0, 0, fis, true, &prd, 1);
		memcpy(&hdr, gram + G_CLB(0), sizeof(hdr));
		memcpy(gram + 0x7000, &hdr, sizeof(hdr));	/* its list is at 0x7000 */
	}
	g_issue(0, 0, false);
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
	assert_memory_equal(mdisk_sector(3, false), plain, SECT);	/* a plain port */
}

static void check_ciphertext(const u8 *plain, u64 lba, u32 nsect, u64 start, u64 end,
			     u64 iv_off)
{
	u8 ct[SECT];
	u32 i;

	for (i = 0; i < nsect; i++) {
		const u8 *sec = mdisk_sector(lba + i, false);

		assert_non_null(sec);
		if (lba + i >= start && lba + i < end) {
			ossl_xts(true, lba + i - start + iv_off, plain + i * SECT, ct);
			assert_memory_equal(sec, ct, SECT);
			assert_memory_not_equal(sec, plain + i * SECT, SECT);
		} else {
			assert_memory_equal(sec, plain + i * SECT, SECT);
		}
	}
}

/* WRITE DMA EXT, 3 PRDs of uneven length: dm-crypt ciphertext on the disk. */
static void test_write_encrypts(void **state)
{
	u8 plain[16 * SECT], check[16 * SECT];

	disk_setup(100, 1000, 7);
	attach();
	fill(plain, sizeof(plain), 1);
	g_buf_put(plain, 16, 3);
	g_rw(0, 0, 0x35, 100, 16, 3, true);
	assert_int_equal(g_rd(P(0, PX_CI)), 1);
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
	check_ciphertext(plain, 100, 16, 100, 1000, 7);
	g_buf_get(check, 16, 3);
	assert_memory_equal(check, plain, sizeof(check));	/* guest buffer untouched */
	assert_true(m_ran(0x35));
}

/* READ DMA EXT: the guest gets plaintext, PRDBC in its header. */
static void test_read_decrypts(void **state)
{
	u8 plain[8 * SECT], got[8 * SECT];
	u32 i, prdbc;

	disk_setup(0, 1 << 20, 0);
	attach();
	fill(plain, sizeof(plain), 2);
	for (i = 0; i < 8; i++)
		ossl_xts(true, 5000 + i, plain + i * SECT, mdisk_sector(5000 + i, true));
	g_rw(0, 3, 0x25, 5000, 8, 2, false);
	m_run(0, ~0u);
	g_buf_get(got, 8, 2);
	assert_memory_not_equal(got, plain, sizeof(got));	/* not yet delivered */
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
	g_buf_get(got, 8, 2);
	assert_memory_equal(got, plain, sizeof(got));
	memcpy(&prdbc, gram + G_CLB(0) + 3 * 32 + 4, 4);
	assert_int_equal(prdbc, 8 * SECT);
}

/*
 * The guest's first look after the interrupt (IS, PxIS, PxCI or PxSACT) must
 * find the data already decrypted in its buffer.
 */
static void read_then_look(u32 look_off, bool ncq)
{
	u8 plain[4 * SECT], got[4 * SECT];
	u32 i, v;

	setup(NULL);
	disk_setup(0, 1 << 20, 0);
	attach();
	fill(plain, sizeof(plain), 3);
	for (i = 0; i < 4; i++)
		ossl_xts(true, 64 + i, plain + i * SECT, mdisk_sector(64 + i, true));
	g_rw(0, 5, ncq ? 0x60 : 0x25, 64, 4, 1, false);
	m_run(0, ~0u);
	v = g_rd(look_off);
	g_buf_get(got, 4, 1);
	assert_memory_equal(got, plain, sizeof(got));
	if (look_off == AHCI_IS)
		assert_true(v & 1);
	if (look_off == P(0, PX_CI) || look_off == P(0, PX_SACT))
		assert_int_equal(v & BIT(5), 0);
}

/*
 * The HBA sets PxIS.DHRS a moment before it clears PxCI; OVMF takes DHRS
 * alone as completion, so that read must already find the plaintext.
 */
static void test_interrupt_before_ci_clears(void **state)
{
	u8 plain[2 * SECT], got[2 * SECT];
	u32 i;

	disk_setup(0, 1 << 20, 0);
	attach();
	fill(plain, sizeof(plain), 8);
	for (i = 0; i < 2; i++)
		ossl_xts(true, 77 + i, plain + i * SECT, mdisk_sector(77 + i, true));
	g_rw(0, 0, 0x25, 77, 2, 1, false);
	m.p[0].ci_lag = 5;
	m_run(0, ~0u);
	assert_true(g_rd(P(0, PX_IS)) & PX_IS_DHRS);
	g_buf_get(got, 2, 1);
	assert_memory_equal(got, plain, sizeof(got));
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
}

static void test_no_completion_before_decrypt(void **state)
{
	read_then_look(AHCI_IS, false);
	read_then_look(P(0, PX_IS), false);
	read_then_look(P(0, PX_CI), false);
	read_then_look(AHCI_IS, true);
	read_then_look(P(0, PX_SACT), true);
	read_then_look(P(0, PX_IS), true);
}

/* While the device has not finished, the slot stays set for the guest. */
static void test_busy_slot_stays_set(void **state)
{
	disk_setup(0, 1 << 20, 0);
	attach();
	g_rw(0, 2, 0x25, 10, 1, 1, false);
	assert_int_equal(g_rd(P(0, PX_CI)), BIT(2));
	assert_int_equal(g_rd(P(0, PX_CI)), BIT(2));
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
}

/* NCQ: three slots, mixed reads and writes, completed out of order. */
static void test_ncq_multi_slot(void **state)
{
	u8 plain[3][8 * SECT], got[8 * SECT];
	struct gprd prd;
	u8 fis[20];
	u32 s, i;

	disk_setup(0, 1 << 20, 3);
	attach();
	for (s = 0; s < 3; s++)
		fill(plain[s], sizeof(plain[s]), 10 + s);
	/* slot 0 and 2 write, slot 1 reads what is on the disk at 900 */
	for (i = 0; i < 8; i++)
		ossl_xts(true, 900 + i + 3, plain[1] + i * SECT, mdisk_sector(900 + i, true));
	for (s = 0; s < 3; s++) {
		prd = (struct gprd){ G_BUF + s * 0x10000, 8 * SECT };
		if (s != 1)
			memcpy(gram + prd.gpa, plain[s], 8 * SECT);
		fis_rw(fis, s == 1 ? 0x60 : 0x61, s == 1 ? 900 : 300 + s * 100, 8, s);
		g_cmd(0, s, fis, s != 1, &prd, 1);
	}
	assert_int_equal(g_wr(P(0, PX_SACT), 7), 0);
	assert_int_equal(g_wr(P(0, PX_CI), 7), 0);
	assert_int_equal(m.p[0].sact, 7);
	assert_int_equal(m.p[0].queued, 7);
	assert_int_equal(g_rd(P(0, PX_SACT)), 7);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);			/* accepted by the device */
	m_run(0, 2);
	assert_int_equal(g_rd(P(0, PX_SACT)), 3);
	m_run(0, 1);
	assert_int_equal(g_rd(P(0, PX_SACT)), 1);
	memcpy(got, gram + G_BUF + 0x10000, sizeof(got));
	assert_memory_equal(got, plain[1], sizeof(got));
	m_run(0, 0);
	assert_int_equal(g_rd(P(0, PX_SACT)), 0);
	check_ciphertext(plain[0], 300, 8, 0, 1 << 20, 3);
	check_ciphertext(plain[2], 500, 8, 0, 1 << 20, 3);
}

/* 48-bit LBAs beyond 2^28 and 2^32: tweak and address right. */
static void test_lba48_high(void **state)
{
	const u64 lba = 0x123456789aULL;
	u8 plain[4 * SECT], got[4 * SECT];

	disk_setup(lba - 10, lba + 100, 0);
	attach();
	fill(plain, sizeof(plain), 4);
	g_buf_put(plain, 4, 1);
	g_rw(0, 0, 0x35, lba, 4, 1, true);
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
	check_ciphertext(plain, lba, 4, lba - 10, lba + 100, 0);
	memset(gram + G_BUF, 0, sizeof(plain));
	g_rw(0, 1, 0x25, lba, 4, 1, false);
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
	g_buf_get(got, 4, 1);
	assert_memory_equal(got, plain, sizeof(got));
}

/* LBA28 READ/WRITE DMA with the top nibble in the device register. */
static void test_lba28(void **state)
{
	u8 plain[2 * SECT], got[2 * SECT];
	const u64 lba = 0x0abcdef0;

	disk_setup(lba, lba + 1, 0);	/* only the first sector is encrypted */
	attach();
	fill(plain, sizeof(plain), 5);
	g_buf_put(plain, 2, 1);
	g_rw(0, 0, 0xca, lba, 2, 1, true);
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
	check_ciphertext(plain, lba, 2, lba, lba + 1, 0);
	memset(gram + G_BUF, 0, sizeof(plain));
	g_rw(0, 0, 0xc8, lba, 2, 1, false);
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
	g_buf_get(got, 2, 1);
	assert_memory_equal(got, plain, sizeof(got));
}

/* A range boundary inside one command, and a command over several chunks. */
static void test_range_boundary(void **state)
{
	const u32 n = 300;	/* 150 KiB: three bounce chunks */
	u8 *plain = malloc(n * SECT), *got = malloc(n * SECT);

	disk_setup(1100, 1200, 0);
	attach();
	fill(plain, n * SECT, 6);
	g_buf_put(plain, n, 5);
	g_rw(0, 0, 0x35, 1000, n, 5, true);
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
	check_ciphertext(plain, 1000, n, 1100, 1200, 0);
	memset(gram + G_BUF, 0, n * SECT + 0x200);
	g_rw(0, 0, 0x25, 1000, n, 5, false);
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
	g_buf_get(got, n, 5);
	assert_memory_equal(got, plain, n * SECT);
	free(plain);
	free(got);
}

/* A port without encrypted ranges: bytes unchanged both ways (still bounced). */
static void test_unencrypted_passthrough(void **state)
{
	u8 plain[8 * SECT], got[8 * SECT];
	u32 i;

	disk_setup(0, 1 << 20, 0);	/* port 0 only; port 1 is plain */
	attach();
	fill(plain, sizeof(plain), 7);
	g_buf_put(plain, 8, 2);
	g_rw(1, 0, 0x35, 40, 8, 2, true);
	m_run(1, ~0u);
	assert_int_equal(g_rd(P(1, PX_CI)), 0);
	for (i = 0; i < 8; i++)
		assert_memory_equal(mdisk_sector(40 + i, false), plain + i * SECT, SECT);
	memset(gram + G_BUF, 0, sizeof(plain) + 0x100);
	g_rw(1, 1, 0x25, 40, 8, 2, false);
	m_run(1, ~0u);
	assert_int_equal(g_rd(P(1, PX_CI)), 0);
	g_buf_get(got, 8, 2);
	assert_memory_equal(got, plain, sizeof(got));
}

/* IDENTIFY on an encrypted port: passed, not transformed. */
static void test_identify_passes(void **state)
{
	struct gprd prd = { G_BUF, SECT };
	u8 fis[20] = { FIS_TYPE_H2D, FIS_H2D_C, 0xec };
	u32 i;

	disk_setup(0, ~0ULL, 0);
	attach();
	g_cmd(0, 0, fis, false, &prd, 1);
	g_issue(0, 0, false);
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
	for (i = 0; i < SECT; i++)
		assert_int_equal(gram[G_BUF + i], (u8)(i * 7 + 1));
}

/* A refused command: the device sees a NOP, the guest an ATA abort; then it goes on. */
static void refused_one(u8 op, u8 feature, u32 port, bool write, u32 nprd)
{
	struct gprd prd = { G_BUF, SECT };
	u8 fis[20] = { FIS_TYPE_H2D, FIS_H2D_C, op, feature };
	u8 plain[SECT], got[SECT];

	setup(NULL);
	disk_setup(0, 1 << 20, 0);
	attach();
	fis[7] = 0x40;
	fis[12] = 1;
	g_cmd(port, 4, fis, write, &prd, nprd);
	g_issue(port, 4, false);
	m_run(port, ~0u);
	assert_false(m_ran(op));
	assert_true(m_ran(0x00));
	assert_true(g_rd(P(port, PX_IS)) & PX_IS_TFES);
	assert_int_equal(g_rd(P(port, PX_TFD)) & 0xff, 0x51);
	assert_int_equal(g_rd(P(port, PX_TFD)) >> 8 & 0xff, 0x04);
	assert_int_equal(gram[G_FB(port) + AHCI_RX_D2H + 2], 0x51);
	assert_int_equal(gram[G_FB(port) + AHCI_RX_D2H + 3], 0x04);
	assert_int_equal(g_rd(P(port, PX_CI)), BIT(4));		/* halted on the error */
	/* the guest's error handling: stop, clear, restart; a normal command works */
	assert_int_equal(g_wr(P(port, PX_CMD), PX_CMD_FRE), 0);
	assert_int_equal(g_rd(P(port, PX_CI)), 0);
	assert_int_equal(g_wr(P(port, PX_IS), ~0u), 0);
	assert_int_equal(g_wr(P(port, PX_CMD), PX_CMD_FRE | PX_CMD_ST), 0);
	fill(plain, SECT, op);
	g_buf_put(plain, 1, 1);
	g_rw(port, 4, 0x35, 50, 1, 1, true);
	m_run(port, ~0u);
	assert_int_equal(g_rd(P(port, PX_CI)), 0);
	memset(gram + G_BUF, 0, SECT);
	g_rw(port, 4, 0x25, 50, 1, 1, false);
	m_run(port, ~0u);
	assert_int_equal(g_rd(P(port, PX_CI)), 0);
	g_buf_get(got, 1, 1);
	assert_memory_equal(got, plain, SECT);
}

static void test_refused_commands(void **state)
{
	static const u8 refused[] = {
		0x92, 0x93, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xb1, 0x37, 0xf9, 0x45, 0x32,
		0x33, 0xb4, 0x5c, 0x5e, 0x5f, 0x3f, 0x57, 0xe8, 0x44, 0x64, 0x65, 0x63, 0x80,
		0x8f, 0xff, 0x01, 0x99,
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(refused); i++)
		refused_one(refused[i], 0, 0, true, 1);
	refused_one(0xef, 0x99, 0, false, 0);		/* SET FEATURES, unknown subcommand */
	refused_one(0xa0, 0, 0, false, 1);		/* PACKET to an ATA disk */
	refused_one(0x92, 0, 1, true, 1);		/* refused on a plain port too */
}

/* A refusal waits for the queue to drain, and nothing new overtakes it. */
static void test_refusal_waits_for_queue(void **state)
{
	struct gprd prd = { G_BUF, SECT };
	u8 fis[20] = { FIS_TYPE_H2D, FIS_H2D_C, 0x92 };

	disk_setup(0, 1 << 20, 0);
	attach();
	g_rw(0, 0, 0x61, 10, 1, 1, true);		/* queued write in flight */
	g_cmd(0, 3, fis, true, &prd, 1);		/* DOWNLOAD MICROCODE */
	g_issue(0, 3, false);
	g_rw(0, 1, 0x61, 20, 1, 1, true);		/* arrives after the refusal */
	assert_int_equal(m.p[0].queued, 1);
	assert_int_equal(m.p[0].ci, 0);
	assert_int_equal(g_rd(P(0, PX_SACT)), 3);
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_SACT)), 2);	/* slot 0 done, slot 1 held */
	assert_int_equal(m.p[0].ci, BIT(3));		/* the NOP, alone */
	m_run(0, ~0u);
	assert_false(m_ran(0x92));
	assert_int_equal(m.nops, 2);			/* WRITE FPDMA, NOP */
	assert_int_equal(m.ops[1], 0x00);
	assert_true(g_rd(P(0, PX_IS)) & PX_IS_TFES);
	assert_int_equal(g_wr(P(0, PX_CMD), PX_CMD_FRE), 0);
	assert_int_equal(g_rd(P(0, PX_SACT)), 0);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
}

/* Refused because of the request's shape, not its opcode. */
static void refused_rw(u8 op, u64 lba, u32 nsect, struct gprd *prd, u32 nprd)
{
	u8 fis[20];

	fis_rw(fis, op, lba, nsect, 0);
	g_cmd(0, 0, fis, op == 0x35, prd, nprd);
	g_issue(0, 0, false);
	m_run(0, ~0u);
	assert_false(m_ran(op));
	assert_true(m_ran(0x00));
	assert_true(g_rd(P(0, PX_IS)) & PX_IS_TFES);
	assert_int_equal(g_wr(P(0, PX_CMD), PX_CMD_FRE), 0);
	assert_int_equal(g_wr(P(0, PX_CMD), PX_CMD_FRE | PX_CMD_ST), 0);
	m.nops = 0;
}

static void test_refused_requests(void **state)
{
	struct gprd vmm = { VMM_GPA + 0x1000, SECT }, odd = { G_BUF, SECT - 2 };
	struct gprd big = { G_BUF, 0x400000 }, many[2] = { { G_BUF, SECT }, { VMM_GPA, SECT } };
	struct ahci_cmd_hdr hdr;
	u8 fis[20];

	disk_setup(0, 1 << 20, 0);
	attach();
	refused_rw(0x35, 0, 1, &vmm, 1);		/* write from VMM memory */
	refused_rw(0x25, 0, 1, &vmm, 1);		/* read into VMM memory */
	refused_rw(0x25, 0, 2, many, 2);		/* second PRD in VMM memory */
	refused_rw(0x35, 0, 1, &odd, 1);		/* 510 bytes for one sector */
	refused_rw(0x25, 0, 1, &odd, 1);
	refused_rw(0x25, 0, 8192, &big, 1);		/* 4 MiB: larger than the pool */
	/* PRD count over the limit */
	fis_rw(fis, 0x25, 0, 1, 0);
	g_cmd(0, 0, fis, false, &odd, 1);
	memcpy(&hdr, gram + G_CLB(0), sizeof(hdr));
	hdr.dw0 = 5 | (AHCI_GUEST_PRD_MAX + 1) << AHCI_HDR_PRDTL_SHIFT;
	memcpy(gram + G_CLB(0), &hdr, sizeof(hdr));
	g_issue(0, 0, false);
	m_run(0, ~0u);
	assert_false(m_ran(0x25));
	assert_true(m_ran(0x00));
}

/*
 * The PRD boundaries of the shared walker (drivers/prd.c): a table that ends
 * exactly at the transfer, DBC's I bit and reserved bits outside the count,
 * a table one byte short, the 4 MiB entry (DBC 0x3fffff) counted in full.
 */
static void test_prd_boundaries(void **state)
{
	struct gprd exact[2] = { { G_BUF, SECT }, { G_BUF + 0x10000, SECT } };
	struct gprd shrt[2] = { { G_BUF, SECT }, { G_BUF + 0x10000, SECT - 1 } };
	struct gprd max = { G_BUF, AHCI_PRD_DBC + 1 };
	u8 plain[2 * SECT], fis[20];
	struct ahci_prd e;

	disk_setup(0, 1 << 20, 0);
	attach();
	fill(plain, sizeof(plain), 9);
	memcpy(gram + exact[0].gpa, plain, SECT);
	memcpy(gram + exact[1].gpa, plain + SECT, SECT);
	fis_rw(fis, 0x35, 8, 2, 0);
	g_cmd(0, 0, fis, true, exact, 2);
	g_issue(0, 0, false);
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
	check_ciphertext(plain, 8, 2, 0, 1 << 20, 0);

	fis_rw(fis, 0xec, 0, 0, 0);				/* IDENTIFY: sums the PRDs */
	g_cmd(0, 0, fis, false, exact, 1);
	memcpy(&e, gram + G_CT(0, 0) + AHCI_CT_PRDT, sizeof(e));
	e.dbc |= ~(u32)AHCI_PRD_DBC;
	memcpy(gram + G_CT(0, 0) + AHCI_CT_PRDT, &e, sizeof(e));
	g_issue(0, 0, false);
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
	assert_true(m_ran(0xec));
	assert_int_equal(gram[G_BUF + SECT - 1], (u8)((SECT - 1) * 7 + 1));
	m.nops = 0;

	refused_rw(0x35, 0, 2, shrt, 2);			/* one byte short */
	refused_rw(0x25, 0, 2, shrt, 2);
	refused_rw(0xec, 0, 0, &max, 1);			/* 4 MiB: over the pool */
}

/*
 * An entry straddling the VMM region (here guest RAM that only
 * vm_range_hits_vmm() knows, so a copy would go through): refused at the
 * check; and where the guest rewrites the table after the check, at the
 * scatter of a read and the gather of a deferred write.
 */
static void test_prd_straddles_vmm(void **state)
{
	const u64 alias = G_BUF + 0x300000;	/* past the 2 MiB of the pool writes */
	struct gprd ok = { G_BUF, SECT }, strad = { alias - SECT / 2, SECT }, big;
	u8 fis[20], before[SECT];
	u32 s;

	disk_setup(0, 1 << 20, 0);
	attach();
	vmm_alias = alias;
	vmm_alias_len = 0x1000;
	fill(gram + strad.gpa, SECT, 4);
	memcpy(before, gram + strad.gpa, SECT);
	refused_rw(0x35, 0, 1, &strad, 1);
	refused_rw(0x25, 0, 1, &strad, 1);
	assert_null(mdisk_sector(0, false));

	fill(gram + G_BUF, SECT, 5);				/* sector 0 for the read */
	fis_rw(fis, 0x35, 0, 1, 0);
	g_cmd(0, 0, fis, true, &ok, 1);
	g_issue(0, 0, false);
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
	assert_non_null(mdisk_sector(0, false));
	fis_rw(fis, 0x25, 0, 1, 0);
	g_cmd(0, 0, fis, false, &ok, 1);
	g_issue(0, 0, false);
	g_cmd(0, 0, fis, false, &strad, 1);			/* after the check */
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
	assert_memory_equal(gram + strad.gpa, before, SECT);

	for (s = 0; s < 2; s++) {				/* fill the bounce pool */
		big = (struct gprd){ G_BUF + s * 0x100000, 2048 * SECT };
		fis_rw(fis, 0x61, s * 2048, 2048, s);
		g_cmd(0, s, fis, true, &big, 1);
	}
	fis_rw(fis, 0x61, 4096, 1, 2);
	g_cmd(0, 2, fis, true, &ok, 1);
	assert_int_equal(g_wr(P(0, PX_SACT), 7), 0);
	assert_int_equal(g_wr(P(0, PX_CI), 7), 0);
	assert_int_equal(m.p[0].queued, 3);			/* slot 2 waits */
	g_cmd(0, 2, fis, true, &strad, 1);			/* meanwhile */
	m_run(0, ~0u);
	m.nops = 0;
	g_rd(P(0, PX_SACT));					/* slot 2 gathered */
	m_run(0, ~0u);
	assert_false(m_ran(0x61));
	assert_true(m_ran(0x00));
	assert_null(mdisk_sector(4096, false));
	vmm_alias = vmm_alias_len = 0;
}

/* Bounce pool exhausted: the third 1 MiB write waits, then goes. */
static void test_pool_defers(void **state)
{
	const u32 n = 2048;	/* 1 MiB = 16 chunks */
	struct gprd prd;
	u8 fis[20];
	u32 s;

	disk_setup(0, 1 << 20, 0);
	attach();
	for (s = 0; s < 3; s++) {
		prd = (struct gprd){ G_BUF + s * 0x100000, n * SECT };
		fill(gram + prd.gpa, n * SECT, 20 + s);
		fis_rw(fis, 0x61, s * n, n, s);
		g_cmd(0, s, fis, true, &prd, 1);
	}
	assert_int_equal(g_wr(P(0, PX_SACT), 7), 0);
	assert_int_equal(g_wr(P(0, PX_CI), 7), 0);
	assert_int_equal(m.p[0].queued, 3);			/* slot 2 waits */
	assert_int_equal(g_rd(P(0, PX_SACT)), 7);
	m_run(0, 0);
	assert_int_equal(g_rd(P(0, PX_SACT)), 6);
	assert_int_equal(m.p[0].queued, 6);			/* now issued */
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_SACT)), 0);
	for (s = 0; s < 3; s++)
		check_ciphertext(gram + G_BUF + s * 0x100000, s * n, n, 0, 1 << 20, 0);
}

/* TRIM: refused when a range touches encrypted sectors, passed otherwise. */
static void test_trim(void **state)
{
	struct gprd prd = { G_BUF, SECT };
	u8 fis[20] = { FIS_TYPE_H2D, FIS_H2D_C, 0x06, 0x01 };
	u64 e;

	disk_setup(1000, 2000, 0);
	attach();
	fis[7] = 0x40;
	fis[12] = 1;
	e = 10 | (u64)8 << 48;				/* outside: allowed */
	memcpy(gram + G_BUF, &e, 8);
	g_cmd(0, 0, fis, true, &prd, 1);
	g_issue(0, 0, false);
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
	assert_true(m_ran(0x06));
	m.nops = 0;
	e = 1990 | (u64)100 << 48;			/* into the range: refused */
	memcpy(gram + G_BUF + 8, &e, 8);
	g_cmd(0, 1, fis, true, &prd, 1);
	g_issue(0, 1, false);
	m_run(0, ~0u);
	assert_false(m_ran(0x06));
	assert_true(m_ran(0x00));
}

/* review-3 F13: a TRIM range over a file rule's protected sectors is refused. */
struct stub_fc {
	u64 refuse_lba, refuse_n;
	u32 calls;
	u64 last_lba, last_n;
	bool last_write;
};
extern struct stub_fc stub_fc_state;

static void test_trim_file_rules(void **state)
{
	struct gprd prd = { G_BUF, SECT };
	u8 fis[20] = { FIS_TYPE_H2D, FIS_H2D_C, 0x06, 0x01 };
	u64 e;

	memset(&stub_fc_state, 0, sizeof(stub_fc_state));
	stub_fc_state.refuse_lba = 5000;
	stub_fc_state.refuse_n = 8;
	disk_setup(1000, 2000, 0);
	attach();
	fis[7] = 0x40;
	fis[12] = 1;
	e = 5004 | (u64)1 << 48;			/* a protected sector: refused */
	memcpy(gram + G_BUF, &e, 8);
	g_cmd(0, 0, fis, true, &prd, 1);
	g_issue(0, 0, false);
	m_run(0, ~0u);
	memset(&stub_fc_state, 0, sizeof(stub_fc_state));
	assert_false(m_ran(0x06));
	assert_true(m_ran(0x00));
}

/* review-3 F13: no queued (NCQ) command on a port with file rules, wherever it goes. */
static void test_ncq_file_rules(void **state)
{
	struct gprd prd = { G_BUF, 8 * SECT };
	u8 fis[20];

	memset(&stub_fc_state, 0, sizeof(stub_fc_state));
	stub_fc_state.refuse_lba = 5000;
	stub_fc_state.refuse_n = 8;
	disk_setup(0, 1 << 20, 0);
	attach();
	fis_rw(fis, 0x61, 100, 8, 0);			/* WRITE FPDMA QUEUED, elsewhere */
	g_cmd(0, 0, fis, true, &prd, 1);
	assert_int_equal(g_wr(P(0, PX_SACT), 1), 0);
	assert_int_equal(g_wr(P(0, PX_CI), 1), 0);
	m_run(0, ~0u);
	memset(&stub_fc_state, 0, sizeof(stub_fc_state));
	assert_false(m_ran(0x61));
}

/* PxCLB/PxFB rewrites while running are refused; FRE with FB in VMM memory too. */
static void test_register_guards(void **state)
{
	u32 shadow;

	disk_setup(0, 1 << 20, 0);
	attach();
	shadow = m.p[0].clb;
	assert_int_equal(g_wr(P(0, PX_CLB), 0x30000), -EBUSY);
	assert_int_equal(g_rd(P(0, PX_CLB)), G_CLB(0));
	assert_int_equal(m.p[0].clb, shadow);
	assert_int_equal(g_wr(P(0, PX_FB), 0x31000), -EBUSY);
	assert_int_equal(m.p[0].fb, (u32)G_FB(0));
	assert_int_equal(g_wr(P(0, PX_CMD), 0), 0);
	assert_int_equal(g_wr(P(0, PX_FB), VMM_GPA), 0);
	assert_int_equal(g_wr(P(0, PX_CMD), PX_CMD_FRE), 0);
	assert_int_equal(m.p[0].cmd & PX_CMD_FRE, 0);
	/* 256 bytes just below the VMM region: FIS receive yes, FIS-based switching no */
	assert_int_equal(g_wr(P(0, PX_FB), VMM_GPA - AHCI_RX_FIS_SIZE), 0);
	assert_int_equal(g_wr(P(0, PX_CMD), PX_CMD_FRE), 0);
	assert_int_equal(m.p[0].cmd & PX_CMD_FRE, PX_CMD_FRE);
	assert_int_equal(g_wr(P(0, PX_FBS), PX_FBS_EN), -EFAULT);
	assert_int_equal(m.p[0].fbs, 0);
	assert_int_equal(g_wr(P(0, PX_CMD), 0), 0);
	/* a 64-bit write of PxCLB/PxCLBU while stopped is taken whole */
	{
		u64 v = 0x50000;

		assert_int_equal(trap_fn(&vm, trap_priv, ABAR + P(0, PX_CLB), 8, true, &v), 0);
		assert_int_equal(g_rd(P(0, PX_CLB)), 0x50000);
		assert_int_equal(m.p[0].clb, shadow);
	}
	/* partial writes of shadowed registers are refused */
	{
		u64 v = 1;

		assert_int_equal(trap_fn(&vm, trap_priv, ABAR + P(0, PX_CI), 1, true, &v),
				 -EPERM);
		assert_int_equal(trap_fn(&vm, trap_priv, ABAR + P(0, PX_CI) + 1, 1, true, &v),
				 -EPERM);
		assert_int_equal(trap_fn(&vm, trap_priv, ABAR + P(0, PX_SACT) + 2, 2, true, &v),
				 -EPERM);
		assert_int_equal(trap_fn(&vm, trap_priv, ABAR + P(0, PX_CLB) + 3, 2, true, &v),
				 -EINVAL);
		assert_int_equal(trap_fn(&vm, trap_priv, ABAR + P(0, PX_CI) + 4, 8, false, &v),
				 -EINVAL);
		assert_int_equal(m.p[0].ci, 0);
		assert_int_equal(m.p[0].sact, 0);
		/* a byte read is composed from the shadowed view */
		assert_int_equal(trap_fn(&vm, trap_priv, ABAR + P(0, PX_CLB) + 2, 1, false, &v),
				 0);
		assert_int_equal(v, 0x05);		/* 0x50000 >> 16 */
	}
}

/*
 * Review finding 18: FIS-based switching enabled, FIS receive stopped, PxFB
 * moved to 256 bytes below the VMM region: turning FIS receive back on must
 * check the 4 KiB area the HBA then writes, not 256 bytes.
 */
static void test_fbs_then_fb_moved(void **state)
{
	disk_setup(0, 1 << 20, 0);
	attach();
	assert_int_equal(g_wr(P(0, PX_CMD), PX_CMD_FRE), 0);
	assert_int_equal(g_wr(P(0, PX_FBS), PX_FBS_EN), 0);
	assert_int_equal(m.p[0].fbs, PX_FBS_EN);
	assert_int_equal(g_wr(P(0, PX_CMD), 0), 0);
	assert_int_equal(g_wr(P(0, PX_FB), VMM_GPA - AHCI_RX_FIS_SIZE), 0);
	assert_int_equal(g_wr(P(0, PX_CMD), PX_CMD_FRE), 0);
	assert_int_equal(m.p[0].cmd & PX_CMD_FRE, 0);
	/* 4 KiB clear of the region: fine */
	assert_int_equal(g_wr(P(0, PX_FB), VMM_GPA - PAGE_SIZE), 0);
	assert_int_equal(g_wr(P(0, PX_CMD), PX_CMD_FRE), 0);
	assert_int_equal(m.p[0].cmd & PX_CMD_FRE, PX_CMD_FRE);
}

/* Review finding 18: a short read must not hand the guest a bounce chunk's old data. */
static void test_short_read_no_stale_data(void **state)
{
	u8 secret[8 * SECT], got[8 * SECT], zero[7 * SECT] = { 0 };
	u32 i;

	attach();				/* no encrypted range: plain ports */
	fill(secret, sizeof(secret), 21);
	for (i = 0; i < 8; i++)
		memcpy(mdisk_sector(200 + i, true), secret + i * SECT, SECT);
	g_rw(1, 0, 0x25, 200, 8, 1, false);
	m_run(1, ~0u);
	assert_int_equal(g_rd(P(1, PX_CI)), 0);
	g_buf_get(got, 8, 1);
	assert_memory_equal(got, secret, sizeof(got));
	/* another read, of which the device moves one sector only */
	memset(gram + G_BUF, 0x5a, sizeof(got));
	m.short_read = SECT;
	g_rw(1, 1, 0x25, 300, 8, 1, false);
	m_run(1, ~0u);
	assert_int_equal(g_rd(P(1, PX_CI)), 0);
	g_buf_get(got, 8, 1);
	assert_memory_equal(got + SECT, zero, sizeof(zero));
}

/* Stopping the port drops what was issued; nothing is delivered afterwards. */
static void test_stop_drops(void **state)
{
	disk_setup(0, 1 << 20, 0);
	attach();
	g_rw(0, 0, 0x25, 0, 8, 1, false);
	assert_int_equal(g_rd(P(0, PX_CI)), 1);
	assert_int_equal(g_wr(P(0, PX_CMD), PX_CMD_FRE), 0);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
	assert_int_equal(m.p[0].ci, 0);
	assert_int_equal(g_wr(P(0, PX_CMD), PX_CMD_FRE | PX_CMD_ST), 0);
	g_rw(0, 0, 0x25, 0, 8, 1, false);
	m_run(0, ~0u);
	assert_int_equal(g_rd(P(0, PX_CI)), 0);
}

/* The allowlist itself. */
static void test_classify(void **state)
{
	u8 f[64] = { FIS_TYPE_H2D, FIS_H2D_C };
	struct ahci_cmd c;

	f[2] = 0xb0, f[3] = 0xd0, f[5] = 0x4f, f[6] = 0xc2;
	assert_int_equal(ahci_classify(f, 0, 0x101, true, &c), 0);	/* SMART READ DATA */
	assert_int_equal(c.flags, AHCI_CMD_IN);
	f[3] = 0xd6;
	assert_int_equal(ahci_classify(f, 0, 0x101, true, &c), -EPERM);	/* SMART WRITE LOG */
	f[2] = 0xa0, f[3] = 0;
	assert_int_equal(ahci_classify(f, AHCI_HDR_A, PX_SIG_ATAPI, false, &c), 0);
	assert_int_equal(ahci_classify(f, AHCI_HDR_A, 0x101, false, &c), -EPERM);
	assert_int_equal(ahci_classify(f, AHCI_HDR_A, PX_SIG_ATAPI, true, &c), -EPERM);
	f[2] = 0xe8, f[1] = FIS_H2D_C | 15;			/* WRITE PORT MULTIPLIER */
	assert_int_equal(ahci_classify(f, 0, 0x101, false, &c), 0);
	f[1] = FIS_H2D_C;
	assert_int_equal(ahci_classify(f, 0, 0x101, false, &c), -EPERM);	/* WRITE BUFFER */
	assert_string_equal(c.name, "WRITE BUFFER");
	f[2] = 0x25, f[1] = FIS_H2D_C | 2;
	assert_int_equal(ahci_classify(f, 0, 0x101, true, &c), -EPERM);	/* PMP, encrypted */
	f[1] = FIS_H2D_C, f[7] = 0;
	assert_int_equal(ahci_classify(f, 0, 0x101, true, &c), -EPERM);	/* CHS */
	f[7] = 0x40, f[12] = 0, f[13] = 0;
	assert_int_equal(ahci_classify(f, 0, 0x101, true, &c), 0);
	assert_int_equal(c.nsect, 65536);
	f[1] = 0, f[15] = 0x04;						/* SRST */
	assert_int_equal(ahci_classify(f, 0, 0x101, true, &c), 0);
	assert_int_equal(ahci_classify(f, 1 << AHCI_HDR_PRDTL_SHIFT, 0x101, true, &c), -EPERM);
	f[0] = 0x58;							/* BIST */
	assert_int_equal(ahci_classify(f, 0, 0x101, false, &c), -EPERM);
	/*
	 * Review finding 18, header bits: R (reset) and C (clear busy on R_OK)
	 * belong to a soft-reset device-control FIS; on a command FIS, C would
	 * clear PxCI while the device still moves data. B (BIST) never.
	 */
	f[0] = FIS_TYPE_H2D, f[1] = 0, f[15] = 0x04;			/* SRST */
	assert_int_equal(ahci_classify(f, AHCI_HDR_R | AHCI_HDR_C, 0x101, true, &c), 0);
	assert_int_equal(ahci_classify(f, AHCI_HDR_B, 0x101, true, &c), -EPERM);
	fis_rw(f, 0x25, 0, 1, 0);
	assert_int_equal(ahci_classify(f, 0, 0x101, true, &c), 0);
	assert_int_equal(ahci_classify(f, AHCI_HDR_C, 0x101, true, &c), -EPERM);
	assert_int_equal(ahci_classify(f, AHCI_HDR_R, 0x101, true, &c), -EPERM);
	assert_int_equal(ahci_classify(f, AHCI_HDR_B, 0x101, true, &c), -EPERM);
	assert_int_equal(ahci_classify(f, AHCI_HDR_B, 0x101, false, &c), -EPERM);
}

static void test_init_without_controller(void **state)
{
	pci_hba = false;
	trap_fn = NULL;
	assert_int_equal(ahci_init(&vm), 0);
	assert_null(trap_fn);
}

/*
 * ahci_init() with its real register access: an ABAR that is plain memory.
 * Locked first (BAR5 needed, I/O decode off), then trapped; a lock that
 * fails (BAR5 unassigned) or an ABAR of 0 fails the boot, nothing trapped.
 */
static u32 abar_a[2048] __aligned(4096), abar_b[2048] __aligned(4096);

static void test_init_locks_then_traps(void **state)
{
	u64 clb;

	abar_a[AHCI_CAP / 4] = BIT(31) | 3;		/* S64A, 4 ports */
	abar_a[AHCI_PI / 4] = BIT(2);			/* only port 2 */
	abar_a[P(2, PX_CLB) / 4] = 0x9000;
	pci_hba = true;
	pci_bar5 = (u64)abar_a;
	assert_int_equal(ahci_init(&vm), 0);
	assert_int_equal(trap_gpa, (u64)abar_a);
	assert_int_equal(trap_size, PAGE_SIZE);		/* 0x100 + 3 * 0x80 */
	assert_int_equal(trap_flags, MMIO_TRAP_READ | MMIO_TRAP_WRITE);
	clb = (u64)abar_a[P(2, PX_CLBU) / 4] << 32 | abar_a[P(2, PX_CLB) / 4];
	dma(clb, AHCI_SLOTS * 32);			/* the shadow list */
	assert_int_equal(abar_a[P(0, PX_CLB) / 4], 0);	/* unimplemented port untouched */
	assert_int_equal(locked_bdf, BDF);
	assert_int_equal(locked_needed, BIT(5));
	assert_int_equal(locked_flags, PCI_LOCK_NO_IO);
	{
		u64 v = 0;

		assert_int_equal(trap_fn(&vm, trap_priv, (u64)abar_a + P(2, PX_CLB), 4, false,
					 &v), 0);
		assert_int_equal(v, 0x9000);		/* the guest's own value */
	}
	trap_gpa = 0;
	lock_rc = -ENODEV;				/* pci.c: BAR5 unassigned */
	assert_int_equal(ahci_init(&vm), -ENODEV);
	assert_int_equal(trap_gpa, 0);			/* never trapped lazily */
	lock_rc = 0;
	pci_bar5 = 0;					/* no ABAR at all */
	assert_int_equal(ahci_init(&vm), -ENODEV);
	assert_int_equal(trap_gpa, 0);
	pci_hba = false;
}

/*
 * Review finding 15: with a 2 KiB ABAR in the middle of its page, accesses in
 * the page around it are done as asked, but not across the ABAR's edge (that
 * would reach CAP/GHC past the intercept), nor past the trapped page.
 */
static void test_raw_access_clamped(void **state)
{
	u32 *regs = abar_a + 0x800 / 4;
	u64 v;

	memset(abar_a, 0, sizeof(abar_a));
	regs[AHCI_CAP / 4] = BIT(31) | 1;		/* S64A, 2 ports */
	regs[AHCI_PI / 4] = BIT(0);
	pci_hba = true;
	pci_bar5 = (u64)abar_a + 0x800;
	assert_int_equal(ahci_init(&vm), 0);
	assert_int_equal(trap_gpa, (u64)abar_a);
	assert_int_equal(trap_size, PAGE_SIZE);
	v = 0x1234;
	assert_int_equal(trap_fn(&vm, trap_priv, (u64)abar_a + 0x100, 4, true, &v), 0);
	assert_int_equal(abar_a[0x40], 0x1234);		/* below the ABAR: as asked */
	v = ~0ULL;
	assert_int_equal(trap_fn(&vm, trap_priv, (u64)abar_a + 0x7fc, 8, true, &v), -EINVAL);
	assert_int_equal(regs[AHCI_CAP / 4], BIT(31) | 1);
	assert_int_equal(abar_a[0x7fc / 4], 0);
	assert_int_equal(trap_fn(&vm, trap_priv, (u64)abar_a + 0xffc, 8, true, &v), -EFAULT);
	assert_int_equal(abar_a[0x1000 / 4], 0);
	pci_hba = false;
}

/*
 * Review of the hardening, 7: global registers deny by default. CAP and PI
 * (write-once on some HBAs: a write would enable ports nobody shadows) and
 * vendor registers refused, whole or partial; a port the VMM does not shadow
 * refused; GHC keeps AHCI mode on (legacy IDE mode would leave the trap).
 */
static void test_global_and_unshadowed_writes_refused(void **state)
{
	u64 v;

	memset(abar_a, 0, sizeof(abar_a));
	abar_a[AHCI_CAP / 4] = BIT(31) | 3;		/* S64A, 4 ports */
	abar_a[AHCI_PI / 4] = BIT(2);			/* only port 2 */
	abar_a[AHCI_GHC / 4] = AHCI_GHC_AE;
	pci_hba = true;
	pci_bar5 = (u64)abar_a;
	assert_int_equal(ahci_init(&vm), 0);
	v = 0xf;
	assert_int_equal(trap_fn(&vm, trap_priv, (u64)abar_a + AHCI_PI, 4, true, &v), -EPERM);
	assert_int_equal(abar_a[AHCI_PI / 4], BIT(2));
	assert_int_equal(trap_fn(&vm, trap_priv, (u64)abar_a + AHCI_PI, 1, true, &v), -EPERM);
	assert_int_equal(abar_a[AHCI_PI / 4], BIT(2));
	assert_int_equal(trap_fn(&vm, trap_priv, (u64)abar_a + AHCI_CAP, 4, true, &v), -EPERM);
	assert_int_equal(abar_a[AHCI_CAP / 4], BIT(31) | 3);
	assert_int_equal(trap_fn(&vm, trap_priv, (u64)abar_a + 0xa0, 2, true, &v), -EPERM);
	assert_int_equal(abar_a[0xa0 / 4], 0);
	v = 0x9000;					/* port 0: not implemented, no shadow */
	assert_int_equal(trap_fn(&vm, trap_priv, (u64)abar_a + P(0, PX_CLB), 4, true, &v),
			 -EPERM);
	assert_int_equal(abar_a[P(0, PX_CLB) / 4], 0);
	v = 1;
	assert_int_equal(trap_fn(&vm, trap_priv, (u64)abar_a + P(0, PX_CI), 1, true, &v), -EPERM);
	assert_int_equal(abar_a[P(0, PX_CI) / 4], 0);
	v = AHCI_GHC_IE;				/* AE cleared: kept on */
	assert_int_equal(trap_fn(&vm, trap_priv, (u64)abar_a + AHCI_GHC, 4, true, &v), 0);
	assert_int_equal(abar_a[AHCI_GHC / 4], AHCI_GHC_AE | AHCI_GHC_IE);
	v = 0x5;					/* IS: RW1C, allowed */
	assert_int_equal(trap_fn(&vm, trap_priv, (u64)abar_a + AHCI_IS, 4, true, &v), 0);
	pci_hba = false;
}

/*
 * A BAR5 assigned over VMM memory: the VMM must not take the HBA's registers
 * there (its first map writes the shadow command list address into them).
 */
static void test_bar_over_vmm(void **state)
{
	memset(abar_b, 0, sizeof(abar_b));
	abar_b[AHCI_CAP / 4] = BIT(31) | 1;
	abar_b[AHCI_PI / 4] = BIT(0);
	pci_hba = true;
	vmm_alias = (u64)abar_b;
	vmm_alias_len = sizeof(abar_b);
	pci_bar5 = (u64)abar_b;
	assert_int_not_equal(ahci_init(&vm), 0);
	assert_int_equal(abar_b[P(0, PX_CLB) / 4], 0);
	assert_int_equal(abar_b[P(0, PX_CLBU) / 4], 0);
	vmm_alias = vmm_alias_len = 0;
	pci_hba = false;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_attach_shadows_clb, setup),
		cmocka_unit_test_setup(test_attach_running_port, setup),
		cmocka_unit_test_setup(test_write_encrypts, setup),
		cmocka_unit_test_setup(test_read_decrypts, setup),
		cmocka_unit_test_setup(test_no_completion_before_decrypt, setup),
		cmocka_unit_test_setup(test_busy_slot_stays_set, setup),
		cmocka_unit_test_setup(test_interrupt_before_ci_clears, setup),
		cmocka_unit_test_setup(test_ncq_multi_slot, setup),
		cmocka_unit_test_setup(test_lba48_high, setup),
		cmocka_unit_test_setup(test_lba28, setup),
		cmocka_unit_test_setup(test_range_boundary, setup),
		cmocka_unit_test_setup(test_unencrypted_passthrough, setup),
		cmocka_unit_test_setup(test_identify_passes, setup),
		cmocka_unit_test_setup(test_refused_commands, setup),
		cmocka_unit_test_setup(test_refused_requests, setup),
		cmocka_unit_test_setup(test_prd_boundaries, setup),
		cmocka_unit_test_setup(test_prd_straddles_vmm, setup),
		cmocka_unit_test_setup(test_refusal_waits_for_queue, setup),
		cmocka_unit_test_setup(test_pool_defers, setup),
		cmocka_unit_test_setup(test_trim, setup),
		cmocka_unit_test_setup(test_trim_file_rules, setup),
		cmocka_unit_test_setup(test_ncq_file_rules, setup),
		cmocka_unit_test_setup(test_register_guards, setup),
		cmocka_unit_test_setup(test_stop_drops, setup),
		cmocka_unit_test_setup(test_fbs_then_fb_moved, setup),
		cmocka_unit_test_setup(test_short_read_no_stale_data, setup),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_init_without_controller),
		cmocka_unit_test_setup(test_init_locks_then_traps, setup),
		cmocka_unit_test_setup(test_raw_access_clamped, setup),
		cmocka_unit_test_setup(test_bar_over_vmm, setup),
		cmocka_unit_test_setup(test_global_and_unshadowed_writes_refused, setup),
	};
	int ret;

	gram = calloc(1, GRAM_SIZE);
	mdisk = calloc(MDISK_MAX, sizeof(*mdisk));
	if (!gram || !mdisk)
		return 1;
	fill(raw_key, sizeof(raw_key), 99);
	if (xts_setkey(&key, raw_key))
		return 1;
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	free(gram);
	free(mdisk);
	return ret;
}
