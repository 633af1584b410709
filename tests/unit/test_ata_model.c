// SPDX-License-Identifier: GPL-2.0-only
/*
 * drivers/ata.c against a device model of a PIIX channel with one disk: the
 * same code the VMM runs, with port I/O, guest memory, the page allocator and
 * the disk transform replaced. The transform is a stand-in (XOR with a
 * per-sector byte, sectors [100, 200) only); XTS itself is tested in
 * test_disk/test_xts. What is checked here is the intercept: where data
 * goes, which sector numbers it is transformed with, what reaches the device.
 * The model works, as Bochs and real drives do, on its own registers: it
 * takes the address from them at every sector and advances LBA and count
 * after each, and SRST, EXECUTE DEVICE DIAGNOSTIC and DEVICE RESET put it
 * back to the signature (master, CHS); so a VMM that decides on its shadow
 * but lets the device run on its own registers fails (security review 1,
 * finding 5).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <sys/mman.h>
#include <drivers/ata.h>
#include <mamori/filecheck.h>
#include "ata_model/asm/io.h"
#include "ata_model/asm/tsc.h"
#include <asm/apic.h>
#include <drivers/pci.h>
#include <mamori/devices.h>
#include <mamori/disk.h>
#include <mamori/errno.h>
#include <mamori/mm.h>
#include <mamori/vm.h>

#define SECT		512
#define DISK_SECTS	4096
#define ENC_START	100
#define ENC_END		200
#define GMEM		(4u << 20)	/* guest-physical [0, 4 MiB) */
#define VMM_LO		0x300000	/* guest_phys_* refuse [VMM_LO, VMM_HI) */
#define VMM_HI		0x310000
#define CMD		0x1f0
#define CTL		0x3f6
#define BM		0xc020
#define ATA_CTL_NIEN_T	0x02
#define MODEL_HEADS	16
#define MODEL_SPT	63

/* ---- the device model ----------------------------------------------------- */

static struct model {
	u8 disk[DISK_SECTS * SECT];
	u8 reg[2][8];			/* [0] current, [1] previous (HOB) */
	u8 status, error, ctl, cmd;
	bool l48;			/* the running command's addressing */
	u64 lba;			/* of the running DMA command */
	u32 left, pos;
	bool pio_in, pio_out, dma_pending, dma_in;
	bool hang;			/* a DMA never ends: busy for ever */
	u8 bm_cmd, bm_st;
	u32 bm_prd;
	u8 cmds[64];
	u32 ncmds;
	u64 cmd_lba[64];
	u32 cmd_count[64];
	u8 cmd_ctl[64];
	u8 cmd_dev[64];
	u32 dma_outside;		/* DMA to addresses outside VMM allocations */
	u32 resets;
	/* the I/O bitmap's bit for the data port (arch_vm_pio_pass()) */
	bool data_open;			/* guest data-port I/O reaches the model directly */
	bool pass_refused;		/* the platform refuses to open it (SMP) */
	u32 opens, direct;		/* times opened; guest accesses that did not exit */
} m;

static u8 *arena;			/* page_alloc()'s memory, below 4 GiB */
static u32 arena_used;
static u8 gmem[GMEM];			/* guest-physical memory */

static bool is_lba48(u8 c)
{
	return c == 0x24 || c == 0x25 || c == 0x34 || c == 0x35 || c == 0x29 || c == 0x39;
}

/*
 * The address the device works on now, from its own registers, at every
 * sector (as Bochs does): LBA28, LBA48 or CHS (16 heads, 63 sectors).
 */
static u64 model_addr(void)
{
	u8 *r = m.reg[0], *h = m.reg[1];

	if (!(r[6] & 0x40))
		return ((u64)(r[5] << 8 | r[4]) * MODEL_HEADS + (r[6] & 0xf)) * MODEL_SPT + r[3] - 1;
	if (m.l48)
		return (u64)h[5] << 40 | (u64)h[4] << 32 | (u64)h[3] << 24 |
		       (u64)r[5] << 16 | (u64)r[4] << 8 | r[3];
	return (u64)(r[6] & 0xf) << 24 | (u64)r[5] << 16 | (u64)r[4] << 8 | r[3];
}

/* After each sector the device advances its address and count registers. */
static void model_advance(void)
{
	u8 *r = m.reg[0], *h = m.reg[1];
	u64 a = model_addr() + 1;
	u32 n = (m.l48 ? (u32)h[2] << 8 : 0) | r[2];

	n = (n - 1) & (m.l48 ? 0xffff : 0xff);
	r[2] = (u8)n;
	if (m.l48)
		h[2] = (u8)(n >> 8);
	if (!(r[6] & 0x40)) {
		u32 cyl = (u32)(r[5] << 8 | r[4]), head = r[6] & 0xf, sect = r[3] + 1u;

		if (sect > MODEL_SPT) {
			sect = 1;
			if (++head == MODEL_HEADS) {
				head = 0;
				cyl++;
			}
		}
		r[3] = (u8)sect, r[4] = (u8)cyl, r[5] = (u8)(cyl >> 8);
		r[6] = (u8)((r[6] & 0xf0) | head);
		return;
	}
	r[3] = (u8)a, r[4] = (u8)(a >> 8), r[5] = (u8)(a >> 16);
	if (m.l48)
		h[3] = (u8)(a >> 24), h[4] = (u8)(a >> 32), h[5] = (u8)(a >> 40);
	else
		r[6] = (u8)((r[6] & 0xf0) | ((a >> 24) & 0xf));
}

/* SRST, EXECUTE DEVICE DIAGNOSTIC, DEVICE RESET: the signature, master, CHS. */
static void model_reset(void)
{
	u32 i;

	for (i = 0; i < 2; i++) {
		m.reg[i][1] = 0x01;
		m.reg[i][2] = 0x01;
		m.reg[i][3] = 0x01;
		m.reg[i][4] = 0x00;
		m.reg[i][5] = 0x00;
	}
	m.reg[0][6] = 0x00;
	m.pio_in = m.pio_out = m.dma_pending = false;
	m.status = 0x50;
	m.error = 0x01;			/* diagnostic passed */
	m.resets++;
}

static void model_command(u8 c)
{
	bool l48 = is_lba48(c), slave = m.reg[0][6] & 0x10;
	u32 n = l48 ? (u32)m.reg[1][2] << 8 | m.reg[0][2] : m.reg[0][2];

	m.l48 = l48;
	m.lba = model_addr();
	m.left = n ? n : (l48 ? 65536 : 256);
	m.pos = 0;
	m.cmd = c;
	m.cmds[m.ncmds] = c;
	m.cmd_lba[m.ncmds] = m.lba;
	m.cmd_count[m.ncmds] = m.left;
	m.cmd_dev[m.ncmds] = m.reg[0][6];
	m.cmd_ctl[m.ncmds++] = m.ctl;
	if (c == 0x90 || c == 0x08)
		return model_reset();
	m.pio_in = !slave && (c == 0x20 || c == 0x24 || c == 0xc4 || c == 0x29);
	m.pio_out = !slave && (c == 0x30 || c == 0x34 || c == 0xc5 || c == 0x39);
	m.dma_pending = !slave && (c == 0xc8 || c == 0x25 || c == 0xca || c == 0x35);
	m.dma_in = c == 0xc8 || c == 0x25;
	m.status = m.pio_in || m.pio_out ? 0x58 : 0x50;
	m.error = 0;
	if (!m.pio_in && !m.pio_out && !m.dma_pending && (slave || c != 0xe7)) {
		m.status = 0x51;	/* NOP, the absent slave, anything unmodelled: aborted */
		m.error = 0x04;
	}
}

static void model_pio(u8 *buf, u32 bytes, bool in)
{
	assert_true(in ? m.pio_in : m.pio_out);
	while (bytes) {
		u32 n = bytes < SECT - m.pos ? bytes : SECT - m.pos;
		u64 a = model_addr();
		u8 *d;

		assert_true(a < DISK_SECTS);
		d = m.disk + a * SECT + m.pos;
		if (in)
			memcpy(buf, d, n);
		else
			memcpy(d, buf, n);
		buf += n;
		bytes -= n;
		m.pos += n;
		if (m.pos == SECT) {
			m.pos = 0;
			model_advance();
			if (!--m.left) {
				m.pio_in = m.pio_out = false;
				m.status = 0x50;
			}
		}
	}
}

/* The DMA windows ata.c opened (platform_dma_window()): all the controller may reach. */
static struct { u64 base, end; } win[8];
static u32 nwin;

int platform_dma_window(u16 bdf, void *va, u64 size)
{
	assert_true(nwin < ARRAY_SIZE(win));
	win[nwin].base = (u64)(uintptr_t)va;
	win[nwin++].end = (u64)(uintptr_t)va + size;
	return 0;
}

static bool in_window(const void *p, u64 n)
{
	u64 a = (u64)(uintptr_t)p;
	u32 i;

	for (i = 0; i < nwin; i++)
		if (a >= win[i].base && a + n <= win[i].end)
			return true;
	return false;
}

/* Bus-master DMA: the model insists on a PRD table exactly as long as the transfer. */
static void model_dma(void)
{
	u32 *prd = (u32 *)(uintptr_t)m.bm_prd, total = m.left * SECT, done = 0, i;

	if (m.hang) {
		m.status = 0xd0;	/* BSY, for ever; the bus master stays active */
		return;
	}
	for (;; prd += 2) {
		u32 n = (prd[1] & 0xffff) ? (prd[1] & 0xfffe) : 0x10000;
		u8 *a = (u8 *)(uintptr_t)prd[0];

		if (!in_window(a, n) || !in_window(prd, 8))
			m.dma_outside++;	/* VT-d would fault it */
		assert_true(done + n <= total);
		if (m.dma_in)
			memcpy(a, m.disk + m.lba * SECT + done, n);
		else
			memcpy(m.disk + m.lba * SECT + done, a, n);
		done += n;
		if (prd[1] & 0x80000000u)
			break;
	}
	assert_int_equal(done, total);
	for (i = 0; i < total / SECT; i++)
		model_advance();
	m.dma_pending = false;
	m.bm_st = (m.bm_st & ~1) | 0x04;
	m.status = 0x50;
}

void outb(u16 port, u8 v)
{
	/* The VMM writes the device's registers only with the data port trapped. */
	if ((port > CMD && port <= CMD + 7) || port == CTL)
		assert_false(m.data_open);
	if (port > CMD && port < CMD + 7) {
		m.reg[1][port - CMD] = m.reg[0][port - CMD];
		m.reg[0][port - CMD] = v;
	} else if (port == CMD + 7) {
		model_command(v);
	} else if (port == CTL) {
		if ((v & 0x04) && !(m.ctl & 0x04))
			model_reset();
		m.ctl = v;
	} else if (port == BM) {
		m.bm_cmd = v;
		if ((v & 1) && m.dma_pending) {
			assert_int_equal(!!(v & 8), m.dma_in);
			m.bm_st |= 1;
			model_dma();
		}
	} else if (port == BM + 2) {
		m.bm_st &= ~(v & 0x06);
	}
}

u8 inb(u16 port)
{
	if (port == CMD + 7 || port == CTL)
		return m.status;
	if (port == CMD + 1)
		return m.error;
	if (port == BM + 2)
		return m.bm_st;
	if (port == BM)
		return m.bm_cmd;
	return port > CMD && port < CMD + 7 ? m.reg[0][port - CMD] : 0xff;
}

void outl(u16 port, u32 v)
{
	assert_int_equal(port, BM + 4);
	m.bm_prd = v;
}

u32 port_in(u16 port, u32 size)
{
	return inb(port);
}

void port_out(u16 port, u32 size, u32 v)
{
	outb(port, (u8)v);
}

void insw(u16 port, void *buf, u32 count)
{
	assert_int_equal(port, CMD);
	model_pio(buf, count * 2, true);
}

void outsw(u16 port, const void *buf, u32 count)
{
	assert_int_equal(port, CMD);
	model_pio((u8 *)buf, count * 2, false);
}

/* ---- the VMM around it ------------------------------------------------------ */

static u64 fake_tsc;			/* 1 GHz: 1,000,000 ticks per ms */

u64 rdtsc(void)
{
	return fake_tsc += 1000;		/* each look at the clock: 1 us */
}

void udelay(u32 us)
{
	fake_tsc += (u64)us * 1000;
}

static struct disk enc_disk = { .kind = BOOT_DISK_ATA, .name = "model" };
static struct vm test_vm;
static struct { u16 port, count; pio_handler_fn fn; pio_string_fn str; void *priv; } pio[8];
static u32 npio;

void *page_alloc(u32 n)
{
	void *p = arena + arena_used;

	arena_used += n * 4096;
	assert_true(arena_used <= (8u << 20));
	return p;
}

int vm_register_pio(struct vm *vm, u16 port, u16 count, const char *name,
		    pio_handler_fn handler, void *priv)
{
	pio[npio].port = port;
	pio[npio].count = count;
	pio[npio].fn = handler;
	pio[npio++].priv = priv;
	return 0;
}

int arch_vm_pio_pass(struct vm *vm, u16 port, bool pass)
{
	assert_int_equal(port, CMD);			/* only the data port ever opens */
	if (pass && m.pass_refused)
		return -EBUSY;
	if (pass && !m.data_open)
		m.opens++;
	m.data_open = pass;
	return 0;
}

bool disk_touches(const struct disk *d, u64 lba, u64 nsect)
{
	return d && lba < ENC_END && lba + nsect > ENC_START;
}

int vm_register_pio_string(struct vm *vm, u16 port, pio_string_fn fn)
{
	u32 i;

	for (i = 0; i < npio; i++)
		if (pio[i].port == port)
			pio[i].str = fn;
	return 0;
}

static int guest_copy(u64 gpa, u64 len)
{
	if (gpa + len > GMEM || (gpa < VMM_HI && gpa + len > VMM_LO))
		return -EFAULT;
	return 0;
}

int guest_phys_read(struct vm *vm, u64 gpa, void *buf, u64 len)
{
	if (guest_copy(gpa, len))
		return -EFAULT;
	memcpy(buf, gmem + gpa, len);
	return 0;
}

int guest_phys_write(struct vm *vm, u64 gpa, const void *buf, u64 len)
{
	if (guest_copy(gpa, len))
		return -EFAULT;
	memcpy(gmem + gpa, buf, len);
	return 0;
}

int pci_find(u16 class, int prog_if, u32 index, struct pci_dev *out)
{
	if (index)
		return -ENOENT;
	*out = (struct pci_dev){ .bdf = PCI_BDF(0, 1, 1), .prog_if = 0x80, .class = class };
	return 0;
}

u64 pci_bar(u16 bdf, u32 n)
{
	return n == 4 ? BM : 0;
}

int pci_lock_function(u16 bdf, u32 needed_bars, u32 flags, const char *owner)
{
	return 0;
}

const struct disk *disk_claim(u8 kind, u8 bus, u8 dev, u8 fn, u16 port, u32 unit,
			      const char *owner)
{
	return port == 0 && unit == 0 ? &enc_disk : NULL;
}

static u8 key_byte(u64 lba)
{
	return (u8)(lba * 7 + 0x5a);
}

int disk_crypt(const struct disk *d, u64 lba, u8 *buf, u64 nsect, bool encrypt)
{
	u64 s;
	u32 i;

	for (s = 0; s < nsect; s++, lba++)
		for (i = 0; i < SECT && lba >= ENC_START && lba < ENC_END; i++)
			buf[s * SECT + i] ^= key_byte(lba);
	return 0;
}

/* ---- the guest's side ----------------------------------------------------------- */

static int io(u16 port, u32 size, bool in, u32 *val)
{
	u32 i;

	if (port == CMD && size == 2 && m.data_open) {	/* no exit: the device itself */
		m.direct++;
		model_pio((u8 *)val, 2, in);
		return 0;
	}
	for (i = 0; i < npio; i++)
		if (port >= pio[i].port && port < pio[i].port + pio[i].count)
			return pio[i].fn(&test_vm, pio[i].priv, port, size, in, val);
	assert_true(port == BM + 2 || port == BM + 3);	/* the only ports not intercepted */
	if (in)
		*val = port_in(port, size);
	else
		port_out(port, size, *val);
	return 0;
}

static void out8(u16 port, u32 v)
{
	assert_int_equal(io(port, 1, false, &v), 0);
}

static u32 in8(u16 port)
{
	u32 v = 0;

	io(port, 1, true, &v);
	return v & 0xff;
}

static int rep_io(bool in, u8 *buf, u32 words)
{
	u32 i;

	if (m.data_open) {				/* REP INSW/OUTSW without an exit */
		m.direct++;
		model_pio(buf, words * 2, in);
		return 0;
	}
	for (i = 0; i < npio; i++)
		if (pio[i].port == CMD)
			return pio[i].str(&test_vm, pio[i].priv, CMD, 2, in, buf, words);
	return -1;
}

static void taskfile(u64 lba, u32 count, bool lba48)
{
	if (lba48) {
		out8(CMD + 2, count >> 8);
		out8(CMD + 3, lba >> 24);
		out8(CMD + 4, lba >> 32);
		out8(CMD + 5, lba >> 40);
	}
	out8(CMD + 2, count & 0xff);
	out8(CMD + 3, lba & 0xff);
	out8(CMD + 4, (lba >> 8) & 0xff);
	out8(CMD + 5, (lba >> 16) & 0xff);
	out8(CMD + 6, lba48 ? 0x40 : 0xe0 | ((lba >> 24) & 0xf));
}

static void fill(u8 *p, u32 n, u8 seed)
{
	u32 i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(seed + i * 13 + (i >> 9));
}

/* One PRD table at gpa 0x1000; entries split the buffer at @split. */
static void guest_prd(u32 buf, u32 bytes, u32 split)
{
	u32 *prd = (u32 *)(gmem + 0x1000);

	if (split && split < bytes) {
		prd[0] = buf;
		prd[1] = split;
		prd[2] = buf + split + 0x800;	/* scattered: a gap between the pieces */
		prd[3] = (bytes - split) | 0x80000000u;
	} else {
		prd[0] = buf;
		prd[1] = (bytes & 0xffff) | 0x80000000u;
	}
	out8(BM + 4, 0x00);
	io(BM + 4, 4, false, &(u32){ 0x1000 });
}

static void dma(u8 opcode, u64 lba, u32 count, bool lba48, bool to_mem)
{
	taskfile(lba, count, lba48);
	out8(BM, to_mem ? 0x08 : 0);
	out8(CMD + 7, opcode);
	out8(BM, (to_mem ? 0x08 : 0) | 1);
	out8(BM, to_mem ? 0x08 : 0);
}

static int setup(void **state)
{
	memset(&m, 0, sizeof(m));
	memset(gmem, 0, sizeof(gmem));
	npio = 0;
	if (!arena) {
		arena = mmap(NULL, 8u << 20, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
		assert_true(arena != MAP_FAILED);
	}
	arena_used = 0;
	nwin = 0;
	assert_int_equal(ata_init(&test_vm), 0);
	return 0;
}

/* ---- tests ------------------------------------------------------------------- */

static void test_pio_write_read_encrypted(void **state)
{
	u8 plain[2 * SECT], back[2 * SECT];
	u32 i;

	fill(plain, sizeof(plain), 1);
	taskfile(150, 2, false);
	out8(CMD + 7, 0x30);
	assert_int_equal(rep_io(false, plain, SECT), 0);	/* both sectors, one REP OUTSW */
	for (i = 0; i < 2 * SECT; i++)
		assert_int_equal(m.disk[150 * SECT + i], plain[i] ^ key_byte(150 + i / SECT));
	taskfile(150, 2, false);
	out8(CMD + 7, 0x20);
	assert_int_equal(rep_io(true, back, 256), 0);		/* a sector per REP INSW, */
	assert_int_equal(rep_io(true, back + SECT, 100), 0);	/* or in pieces */
	assert_int_equal(rep_io(true, back + SECT + 200, 156), 0);
	assert_memory_equal(back, plain, sizeof(plain));
}

static void test_pio_outside_range_is_plain(void **state)
{
	u8 plain[SECT];

	fill(plain, sizeof(plain), 2);
	taskfile(20, 1, false);
	out8(CMD + 7, 0x30);
	assert_int_equal(rep_io(false, plain, 256), 0);
	assert_memory_equal(m.disk + 20 * SECT, plain, SECT);
}

static void test_dma_write_read_scattered(void **state)
{
	u8 plain[3 * SECT];
	u32 i;

	fill(plain, sizeof(plain), 3);
	memcpy(gmem + 0x10000, plain, 1000);
	memcpy(gmem + 0x10000 + 1000 + 0x800, plain + 1000, sizeof(plain) - 1000);
	guest_prd(0x10000, sizeof(plain), 1000);
	dma(0xca, 198, 3, false, false);	/* 198, 199 encrypted; 200 not */
	assert_int_equal(m.dma_outside, 0);
	for (i = 0; i < sizeof(plain); i++) {
		u64 lba = 198 + i / SECT;

		assert_int_equal(m.disk[198 * SECT + i], lba < ENC_END ? plain[i] ^ key_byte(lba) : plain[i]);
	}
	memset(gmem + 0x10000, 0, 0x2000);
	dma(0xc8, 198, 3, false, true);
	assert_int_equal(m.dma_outside, 0);
	assert_memory_equal(gmem + 0x10000, plain, 1000);
	assert_memory_equal(gmem + 0x10000 + 1000 + 0x800, plain + 1000, sizeof(plain) - 1000);
	assert_int_equal(in8(BM + 2) & 0x05, 0x04);	/* the guest sees the completion */
}

static void test_dma_large_command_in_chunks(void **state)
{
	u32 n = 1100, bytes = n * SECT, i;
	u32 *prd = (u32 *)(gmem + 0x1000);

	out8(CTL, 0x08);
	for (i = 0; i * 0x10000 < bytes; i++) {	/* 64 KiB entries */
		u32 left = bytes - i * 0x10000;

		prd[2 * i] = 0x100000 + i * 0x10000;
		prd[2 * i + 1] = (left >= 0x10000 ? 0 : left) | (left <= 0x10000 ? 0x80000000u : 0);
	}
	io(BM + 4, 4, false, &(u32){ 0x1000 });
	fill(gmem + 0x100000, bytes, 4);
	dma(0x35, 0, n, true, false);
	assert_int_equal(m.ncmds, 3);			/* 512 + 512 + 76 sectors */
	assert_int_equal(m.cmd_lba[1], 512);
	assert_int_equal(m.cmd_count[2], 76);
	assert_int_equal(m.cmd_ctl[0] & 0x02, 0x02);	/* no interrupt for the first chunks */
	assert_int_equal(m.cmd_ctl[2] & 0x02, 0);	/* the guest's setting for the last */
	for (i = 0; i < bytes; i++) {
		u64 lba = i / SECT;
		u8 want = gmem[0x100000 + i] ^ (lba >= ENC_START && lba < ENC_END ? key_byte(lba) : 0);

		if (m.disk[i] != want)
			fail_msg("byte %u (sector %lu) differs", i, (unsigned long)lba);
	}
	assert_int_equal(m.dma_outside, 0);
}

static void test_refused_command_never_reaches_device(void **state)
{
	static const u8 refused[] = { 0x92, 0xf2, 0xf4, 0x06, 0xf9, 0x80, 0x60, 0xe4 };
	u32 i;

	for (i = 0; i < sizeof(refused); i++) {
		m.ncmds = 0;
		taskfile(150, 1, false);
		out8(CMD + 7, refused[i]);
		assert_int_equal(m.ncmds, 1);
		assert_int_equal(m.cmds[0], 0x00);	/* NOP: the device aborts it */
		assert_int_equal(in8(CMD + 7) & 0x01, 0x01);
		assert_int_equal(in8(CMD + 1), 0x04);	/* ABRT */
	}
}

struct stub_fc {
	u64 refuse_lba, refuse_n;
	u32 calls;
	u64 last_lba, last_n;
	bool last_write;
};
extern struct stub_fc stub_fc_state;

/* The file access check's refusal (tests/unit/stub_filecheck.c) ends as an ATA abort. */
static void test_filecheck_refusal_is_an_abort(void **state)
{
	static const struct { u8 op; u64 lba; u32 n; bool write; } c[] = {
		{ 0x20, 302, 1, false }, { 0x30, 299, 2, true }, { 0x24, 303, 8, false },
	};
	u32 i;

	stub_fc_state = (struct stub_fc){ .refuse_lba = 300, .refuse_n = 4 };
	setup(NULL);		/* the units attach active */
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		m.ncmds = 0;
		stub_fc_state.calls = 0;
		taskfile(c[i].lba, c[i].n, c[i].op == 0x24);
		out8(CMD + 7, c[i].op);
		assert_int_equal(stub_fc_state.calls, 1);
		assert_int_equal(stub_fc_state.last_lba, c[i].lba);
		assert_int_equal(stub_fc_state.last_n, c[i].n);
		assert_int_equal(stub_fc_state.last_write, c[i].write);
		assert_int_equal(m.ncmds, 1);
		assert_int_equal(m.cmds[0], 0x00);	/* NOP: the device aborts it */
		assert_int_equal(in8(CMD + 7) & 0x01, 0x01);
		assert_int_equal(in8(CMD + 1), 0x04);	/* ABRT */
	}
	m.ncmds = 0;
	dma(0xc8, 301, 1, false, true);			/* DMA: refused before the BM start */
	assert_int_equal(m.ncmds, 1);
	assert_int_equal(m.cmds[0], 0x00);
	m.ncmds = 0;
	taskfile(296, 4, false);			/* beside the range: runs */
	out8(CMD + 7, 0x20);
	assert_int_equal(m.ncmds, 1);
	assert_int_equal(m.cmds[0], 0x20);
	stub_fc_state = (struct stub_fc){ 0 };
}

extern struct fc_disk stub_disks[FC_DISK_MAX];
extern u32 stub_n;

/* The check's reader: raw sectors (ciphertext in encrypted ranges), nIEN restored. */
static void test_filecheck_reader(void **state)
{
	struct fc_disk *d = &stub_disks[(stub_n - 4) % FC_DISK_MAX];	/* ata0.0 */
	static u8 buf[300 * SECT];

	fill(m.disk, sizeof(m.disk), 9);
	assert_non_null(d->read);
	m.ncmds = 0;
	assert_int_equal(d->read(d->read_ctx, 0, 100, 300, buf), 0);
	assert_memory_equal(buf, m.disk + 100 * SECT, sizeof(buf));
	assert_int_equal(m.ncmds, 2);			/* 256 + 44 sectors */
	assert_int_equal(m.cmds[0], 0x24);
	assert_int_equal(m.cmd_count[0], 256);
	assert_int_equal(m.cmd_lba[1], 356);
	assert_int_equal(m.cmd_ctl[0] & ATA_CTL_NIEN_T, ATA_CTL_NIEN_T);
	assert_int_equal(m.ctl & ATA_CTL_NIEN_T, ATA_CTL_NIEN_T);	/* the guest's value */
}

static void test_taskfile_change_after_command_does_not_move_dma(void **state)
{
	u8 plain[SECT];

	fill(plain, sizeof(plain), 5);
	memcpy(gmem + 0x20000, plain, SECT);
	guest_prd(0x20000, SECT, 0);
	taskfile(10, 1, false);				/* outside the range: no transform */
	out8(BM, 0);
	out8(CMD + 7, 0xca);
	taskfile(150, 1, false);			/* then aim into the encrypted range */
	out8(BM, 1);
	assert_memory_equal(m.disk + 10 * SECT, plain, SECT);
	assert_int_equal(m.disk[150 * SECT], 0);	/* nothing reached sector 150 */
	assert_int_equal(m.cmd_lba[m.ncmds - 1], 10);
}

static void test_prd_into_vmm_memory_refused(void **state)
{
	memset(m.disk + 150 * SECT, 0xaa, SECT);
	guest_prd(VMM_LO, SECT, 0);
	m.ncmds = 0;
	dma(0xc8, 150, 1, false, true);
	assert_int_equal(m.ncmds, 1);
	assert_int_equal(m.cmds[0], 0x00);		/* aborted, not read */
	assert_int_equal(in8(CMD + 7) & 0x01, 0x01);
}

static void test_short_prd_table_refused(void **state)
{
	guest_prd(0x10000, SECT, 0);			/* one sector of buffer for two */
	m.ncmds = 0;
	dma(0xca, 150, 2, false, false);
	assert_int_equal(m.cmds[0], 0x00);
	assert_int_equal(m.disk[150 * SECT], 0);
}

static void test_bm_start_without_command(void **state)
{
	guest_prd(0x10000, SECT, 0);
	out8(BM, 1);
	assert_int_equal(m.bm_cmd & 1, 0);		/* never forwarded */
	assert_int_equal(m.ncmds, 0);
	assert_int_equal(in8(BM) & 1, 1);		/* the guest sees its own value */
}

static void test_device_switch_mid_pio_refused(void **state)
{
	u32 v = 0xf0;

	taskfile(150, 1, false);
	out8(CMD + 7, 0x30);
	assert_int_equal(io(CMD + 6, 1, false, &v), -EBUSY);
}


/* ---- finding 5: the device runs on the registers the VMM decided on ------------ */

/* Sector @lba of the model's disk holds @plain, not its ciphertext. */
static bool disk_plain(u64 lba, const u8 *plain)
{
	return !memcmp(m.disk + lba * SECT, plain, SECT);
}

/* A one-sector PIO write of @plain, the data refused or not. */
static void pio_write_sector(u8 op, const u8 *plain)
{
	out8(CMD + 7, op);
	rep_io(false, (u8 *)plain, SECT / 2);
}

/*
 * Read one sector at S-1 (the device's LBA registers then say S), write only
 * the count, WRITE SECTORS: the VMM decides on S-1, so the device must
 * write S-1 too, never plaintext at S.
 */
static void test_autoincrement_then_count_only_write(void **state)
{
	u8 plain[SECT], back[SECT];

	fill(plain, sizeof(plain), 6);
	taskfile(ENC_START - 1, 1, false);
	out8(CMD + 7, 0x20);
	assert_int_equal(rep_io(true, back, SECT / 2), 0);
	assert_int_equal(m.reg[0][3], ENC_START);	/* the model advanced */
	out8(CMD + 2, 1);
	pio_write_sector(0x30, plain);
	assert_false(disk_plain(ENC_START, plain));
	assert_int_equal(m.cmd_lba[m.ncmds - 1], ENC_START - 1);
	assert_true(disk_plain(ENC_START - 1, plain));
}

/* The same with LBA48: READ SECTORS EXT, both count bytes rewritten, WRITE SECTORS EXT. */
static void test_autoincrement_lba48_hob(void **state)
{
	u8 plain[SECT], back[SECT];

	fill(plain, sizeof(plain), 7);
	taskfile(ENC_START - 1, 1, true);
	out8(CMD + 7, 0x24);
	assert_int_equal(rep_io(true, back, SECT / 2), 0);
	out8(CMD + 2, 0);
	out8(CMD + 2, 1);
	pio_write_sector(0x34, plain);
	assert_false(disk_plain(ENC_START, plain));
	assert_int_equal(m.cmd_lba[m.ncmds - 1], ENC_START - 1);
}

/* Register writes in the middle of a PIO transfer cannot move the rest of it. */
static void test_taskfile_write_mid_pio_does_not_move_it(void **state)
{
	u8 plain[2 * SECT];

	fill(plain, sizeof(plain), 8);
	taskfile(ENC_START - 2, 2, false);
	out8(CMD + 7, 0x30);
	assert_int_equal(rep_io(false, plain, SECT / 2), 0);
	out8(CMD + 3, ENC_START + 20);			/* aim the second sector into the range */
	rep_io(false, plain + SECT, SECT / 2);
	assert_false(disk_plain(ENC_START + 20, plain + SECT));
	assert_true(disk_plain(ENC_START - 1, plain + SECT));
}

enum reset_how { RESET_SRST, RESET_EDD, RESET_DEVICE };

static void reset(enum reset_how how)
{
	u32 before = m.resets;

	if (how == RESET_SRST) {
		out8(CTL, 0x0c);
		out8(CTL, 0x08);
	} else {
		out8(CMD + 7, how == RESET_EDD ? 0x90 : 0x08);
	}
	assert_int_equal(m.resets, before + 1);
}

/*
 * After a reset the device holds its signature (LBA mid 0), the shadow the
 * guest's old values (LBA mid 1): rewriting only LBA low and the device
 * register must not let the device write at 150 while the VMM decided 406.
 */
static void reset_then_partial_taskfile(enum reset_how how)
{
	u8 plain[SECT];

	fill(plain, sizeof(plain), 9);
	taskfile(0x100 + 150, 1, false);
	reset(how);
	out8(CMD + 3, 150);
	out8(CMD + 6, 0xe0);
	pio_write_sector(0x30, plain);
	assert_false(disk_plain(150, plain));
	assert_false(disk_plain(149, plain));
}

static void test_srst_then_write(void **state)
{
	reset_then_partial_taskfile(RESET_SRST);
}

static void test_edd_then_write(void **state)
{
	reset_then_partial_taskfile(RESET_EDD);
}

static void test_device_reset_then_write(void **state)
{
	reset_then_partial_taskfile(RESET_DEVICE);
}

/*
 * The guest selects the slave (no encrypted ranges), a reset puts the
 * channel back on the master in CHS mode; the address registers rewritten,
 * the device register not: nothing may reach the master's encrypted range.
 */
static void test_reset_switches_unit_and_chs(void **state)
{
	u8 plain[SECT];

	fill(plain, sizeof(plain), 10);
	out8(CMD + 6, 0xf0);
	reset(RESET_SRST);
	out8(CMD + 2, 1);
	out8(CMD + 3, 150);				/* CHS sector 150: LBA 149 */
	out8(CMD + 4, 0);
	out8(CMD + 5, 0);
	pio_write_sector(0x30, plain);
	assert_false(disk_plain(149, plain));
	assert_false(disk_plain(150, plain));
	if (m.cmds[m.ncmds - 1] == 0x30)		/* if it ran, on the unit decided on */
		assert_int_equal(m.cmd_dev[m.ncmds - 1] & 0x10, 0x10);
}

/* CHS addressing to a disk with encrypted ranges is refused. */
static void test_chs_write_refused(void **state)
{
	u8 plain[SECT];

	fill(plain, sizeof(plain), 11);
	out8(CMD + 2, 1);
	out8(CMD + 3, 150);
	out8(CMD + 4, 0);
	out8(CMD + 5, 0);
	out8(CMD + 6, 0xa0);
	pio_write_sector(0x30, plain);
	assert_int_equal(m.cmds[m.ncmds - 1], 0x00);
	assert_false(disk_plain(149, plain));
}

/* A no-data command also runs on the shadow: SET FEATURES' subcommand is replayed. */
static void test_nodata_command_replays_taskfile(void **state)
{
	taskfile(5, 1, false);
	out8(CMD + 1, 0x02);				/* SET FEATURES: enable write cache */
	out8(CMD + 7, 0xe7);				/* FLUSH: the device's feature register stays 02 */
	m.reg[0][1] = 0x33;				/* the device changed it (as results do) */
	out8(CMD + 7, 0xef);
	assert_int_equal(m.cmds[m.ncmds - 1], 0xef);
	assert_int_equal(m.reg[0][1], 0x02);
}

/* ---- finding 17: a DMA the device never finishes --------------------------------- */

/* Whether VMM memory (page_alloc()'s arena) holds the sector @sect anywhere. */
static bool arena_holds(const u8 *sect)
{
	u32 i;

	for (i = 0; i + SECT <= arena_used; i += 16)
		if (!memcmp(arena + i, sect, SECT))
			return true;
	return false;
}

static void test_dma_timeout_fails_towards_guest(void **state)
{
	u8 plain[SECT], cipher[SECT];
	u64 t0;
	u32 i;

	fill(plain, sizeof(plain), 12);
	memcpy(gmem + 0x20000, plain, SECT);
	guest_prd(0x20000, SECT, 0);
	m.hang = true;
	t0 = fake_tsc;
	dma(0xca, 150, 1, false, false);
	assert_true(fake_tsc - t0 >= 5000ull * 1000000);	/* the budget, */
	assert_true(fake_tsc - t0 < 5100ull * 1000000);	/* not more */
	assert_int_equal(m.bm_cmd & 1, 0);			/* bus master stopped */
	assert_int_equal(in8(CMD + 7), 0x51);			/* ERR */
	assert_int_equal(in8(CTL), 0x51);
	assert_int_equal(in8(CMD + 1), 0x04);			/* ABRT */
	assert_false(disk_plain(150, plain));
	for (i = 0; i < SECT; i++)
		cipher[i] = plain[i] ^ key_byte(150);
	assert_false(arena_holds(cipher));			/* the bounce buffer scrubbed */
	/* The guest's reset ends it; the channel works again. */
	m.hang = false;
	out8(CTL, 0x0c);
	out8(CTL, 0x08);
	assert_int_equal(in8(CMD + 7), 0x50);
	guest_prd(0x20000, SECT, 0);
	dma(0xca, 150, 1, false, false);
	assert_int_equal(m.disk[150 * SECT], plain[0] ^ key_byte(150));
}

/* A finished DMA of encrypted sectors leaves neither plaintext nor ciphertext in VMM memory. */
static void test_dma_encrypted_bounce_scrubbed(void **state)
{
	u8 plain[SECT], cipher[SECT];
	u32 i;

	fill(plain, sizeof(plain), 18);
	memcpy(gmem + 0x20000, plain, SECT);
	guest_prd(0x20000, SECT, 0);
	dma(0xca, 150, 1, false, false);
	for (i = 0; i < SECT; i++)
		cipher[i] = plain[i] ^ key_byte(150);
	assert_memory_equal(m.disk + 150 * SECT, cipher, SECT);
	assert_false(arena_holds(cipher));
	memset(gmem + 0x20000, 0, SECT);
	guest_prd(0x20000, SECT, 0);
	dma(0xc8, 150, 1, false, true);
	assert_memory_equal(gmem + 0x20000, plain, SECT);
	assert_false(arena_holds(plain));
	assert_false(arena_holds(cipher));
}

/* Bus-master accesses that straddle into the PRD pointer never reach the device. */
static void test_bm_straddle_refused(void **state)
{
	u32 v = 0x12345678;

	m.bm_prd = 0;
	assert_int_equal(io(BM + 1, 4, false, &v), -EPERM);
	assert_int_equal(io(BM + 5, 4, false, &v), -EPERM);
	assert_int_equal(m.bm_prd, 0);
}

/* ---- data port pass-through for sectors outside every encrypted range ------------ */

/* A PIO transfer of plaintext sectors opens the data port: the guest moves them without exits. */
static void test_pass_plain_range_without_exits(void **state)
{
	u8 plain[4 * SECT], back[4 * SECT];

	fill(plain, sizeof(plain), 13);
	taskfile(300, 4, false);
	out8(CMD + 7, 0x30);
	assert_true(m.data_open);
	assert_int_equal(rep_io(false, plain, 4 * SECT / 2), 0);
	assert_true(m.direct > 0);
	assert_memory_equal(m.disk + 300 * SECT, plain, sizeof(plain));
	taskfile(300, 4, true);				/* the first write closes it */
	assert_false(m.data_open);
	out8(CMD + 7, 0x24);
	assert_true(m.data_open);
	assert_int_equal(m.opens, 2);
	assert_int_equal(rep_io(true, back, 4 * SECT / 2), 0);
	assert_memory_equal(back, plain, sizeof(plain));
}

/* Any sector in an encrypted range keeps the port trapped, at either end of the range. */
static void test_pass_never_for_encrypted_sectors(void **state)
{
	static const u64 lba[] = { ENC_START - 1, ENC_START, 150, ENC_END - 1 };
	u8 plain[2 * SECT];
	u32 i, k;

	fill(plain, sizeof(plain), 14);
	for (k = 0; k < ARRAY_SIZE(lba); k++) {
		taskfile(lba[k], 2, false);
		out8(CMD + 7, 0x30);
		assert_false(m.data_open);
		assert_int_equal(rep_io(false, plain, SECT), 0);
		for (i = 0; i < 2 * SECT; i++) {
			u64 s = lba[k] + i / SECT;
			u8 want = plain[i] ^ (s >= ENC_START && s < ENC_END ? key_byte(s) : 0);

			assert_int_equal(m.disk[lba[k] * SECT + i], want);
		}
	}
	assert_int_equal(m.opens, 0);
	assert_int_equal(m.direct, 0);
}

/*
 * The guest stops half-way through a plaintext read and writes into the
 * encrypted range: the command reaches the device with the port trapped
 * (the model asserts it) and its data are encrypted.
 */
static void test_command_after_pass_runs_trapped(void **state)
{
	u8 plain[SECT], back[SECT];

	fill(plain, sizeof(plain), 15);
	taskfile(300, 2, false);
	out8(CMD + 7, 0x20);
	assert_int_equal(rep_io(true, back, SECT / 2), 0);	/* one of two sectors */
	taskfile(150, 1, false);
	assert_false(m.data_open);
	out8(CMD + 7, 0x30);
	assert_false(m.data_open);
	assert_int_equal(rep_io(false, plain, SECT / 2), 0);
	assert_false(disk_plain(150, plain));
	assert_int_equal(m.disk[150 * SECT + 1], plain[1] ^ key_byte(150));
}

/* Device control, bus-master and device-register writes close the port too. */
static void test_pass_closed_by_every_register_write(void **state)
{
	static const u16 port[] = { CTL, BM, CMD + 6, CMD + 1 };
	static const u8 val[] = { 0x08, 0x00, 0xe0, 0x00 };
	u32 k;

	for (k = 0; k < ARRAY_SIZE(port); k++) {
		taskfile(400, 1, false);
		out8(CMD + 7, 0x20);
		assert_true(m.data_open);
		out8(port[k], val[k]);
		assert_false(m.data_open);
	}
}

/*
 * Closed mid-transfer, the rest of a plaintext transfer still moves (now
 * through the VMM, raw), a register write in between stays in the shadow,
 * another unit cannot be selected; once the device wants no more data,
 * data-port I/O is refused, and so it is after selecting the other unit.
 */
static void test_pass_closed_mid_transfer(void **state)
{
	u8 back[2 * SECT], extra[SECT];
	u32 v = 0xf0;

	fill(m.disk + 300 * SECT, 2 * SECT, 16);
	taskfile(300, 2, false);
	out8(CMD + 7, 0x20);
	assert_int_equal(rep_io(true, back, SECT / 2), 0);
	out8(CMD + 3, 150);				/* held: the device keeps 301 */
	assert_false(m.data_open);
	assert_int_equal(m.reg[0][3], 301 & 0xff);
	assert_int_equal(io(CMD + 6, 1, false, &v), -EBUSY);
	assert_int_equal(rep_io(true, back + SECT, SECT / 2), 0);
	assert_memory_equal(back, m.disk + 300 * SECT, sizeof(back));
	assert_int_equal(rep_io(true, extra, SECT / 2), -EPERM);
	assert_int_equal(io(CMD + 6, 1, false, &v), 0);	/* done: the slave may be selected */
	assert_int_equal(rep_io(false, extra, SECT / 2), -EPERM);
}

/* Where the platform cannot open the port (SMP), the VMM moves plaintext sectors itself. */
static void test_pass_refused_by_platform(void **state)
{
	u8 plain[2 * SECT], back[2 * SECT];

	m.pass_refused = true;
	fill(plain, sizeof(plain), 17);
	taskfile(500, 2, false);
	out8(CMD + 7, 0x30);
	assert_false(m.data_open);
	assert_int_equal(rep_io(false, plain, SECT), 0);
	taskfile(500, 2, false);
	out8(CMD + 7, 0x20);
	assert_int_equal(rep_io(true, back, SECT), 0);
	assert_memory_equal(back, plain, sizeof(plain));
	assert_memory_equal(m.disk + 500 * SECT, plain, sizeof(plain));
	assert_int_equal(m.direct, 0);
}

/* Neither DMA nor non-sector PIO (IDENTIFY) opens it. */
static void test_pass_only_for_pio_sectors(void **state)
{
	guest_prd(0x10000, SECT, 0);
	dma(0xc8, 300, 1, false, true);
	assert_false(m.data_open);
	out8(CMD + 6, 0xa0);
	out8(CMD + 7, 0xec);
	assert_false(m.data_open);
	assert_int_equal(m.opens, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pio_write_read_encrypted, setup),
		cmocka_unit_test_setup(test_pio_outside_range_is_plain, setup),
		cmocka_unit_test_setup(test_dma_write_read_scattered, setup),
		cmocka_unit_test_setup(test_dma_large_command_in_chunks, setup),
		cmocka_unit_test_setup(test_refused_command_never_reaches_device, setup),
		cmocka_unit_test_setup(test_filecheck_refusal_is_an_abort, setup),
		cmocka_unit_test_setup(test_filecheck_reader, setup),
		cmocka_unit_test_setup(test_taskfile_change_after_command_does_not_move_dma, setup),
		cmocka_unit_test_setup(test_prd_into_vmm_memory_refused, setup),
		cmocka_unit_test_setup(test_short_prd_table_refused, setup),
		cmocka_unit_test_setup(test_bm_start_without_command, setup),
		cmocka_unit_test_setup(test_device_switch_mid_pio_refused, setup),
		cmocka_unit_test_setup(test_autoincrement_then_count_only_write, setup),
		cmocka_unit_test_setup(test_autoincrement_lba48_hob, setup),
		cmocka_unit_test_setup(test_taskfile_write_mid_pio_does_not_move_it, setup),
		cmocka_unit_test_setup(test_srst_then_write, setup),
		cmocka_unit_test_setup(test_edd_then_write, setup),
		cmocka_unit_test_setup(test_device_reset_then_write, setup),
		cmocka_unit_test_setup(test_reset_switches_unit_and_chs, setup),
		cmocka_unit_test_setup(test_chs_write_refused, setup),
		cmocka_unit_test_setup(test_nodata_command_replays_taskfile, setup),
		cmocka_unit_test_setup(test_dma_timeout_fails_towards_guest, setup),
		cmocka_unit_test_setup(test_bm_straddle_refused, setup),
		cmocka_unit_test_setup(test_dma_encrypted_bounce_scrubbed, setup),
		cmocka_unit_test_setup(test_pass_plain_range_without_exits, setup),
		cmocka_unit_test_setup(test_pass_never_for_encrypted_sectors, setup),
		cmocka_unit_test_setup(test_command_after_pass_runs_trapped, setup),
		cmocka_unit_test_setup(test_pass_closed_by_every_register_write, setup),
		cmocka_unit_test_setup(test_pass_closed_mid_transfer, setup),
		cmocka_unit_test_setup(test_pass_refused_by_platform, setup),
		cmocka_unit_test_setup(test_pass_only_for_pio_sectors, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
