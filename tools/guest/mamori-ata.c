// SPDX-License-Identifier: GPL-2.0-only
/*
 * mamori-ata: send one ATA command to a disk through SG_IO ATA PASS-THROUGH(16)
 * and print the ATA status and error registers it came back with (static, no
 * libc; for the Mamori test guest, as root).
 *
 *   mamori-ata DEV CMD
 *   mamori-ata raw-attack START
 *
 * CMD is one of
 *   check-power     CHECK POWER MODE (0xe5), non-data: allowed
 *   identify        IDENTIFY DEVICE (0xec), PIO data-in: allowed, prints the model
 *   microcode       DOWNLOAD MICROCODE (0x92), PIO data-out of one zero sector
 *   freeze-lock     SECURITY FREEZE LOCK (0xf5), non-data
 *   erase-prepare   SECURITY ERASE PREPARE (0xf3), non-data
 *
 * Every command is sent with CK_COND, so the kernel returns the ATA registers
 * in the sense data: an ATA Status Return descriptor (descriptor format) or the
 * INFORMATION field (fixed format). Prints the raw sense bytes, then
 *   mamori-ata: NAME (0xCC): key 0xKK status 0xSS error 0xEE: RESULT
 * where RESULT is "ok" (no ERR), "aborted" (ERR with ABRT) or "error".
 * Exit status: 0 ok, 10 aborted, 11 other ATA error, 1 the ioctl failed or no
 * registers came back, 2 usage.
 *
 * raw-attack drives the primary channel's registers itself (iopl, no guest
 * driver: the disk must be idle, e.g. deleted from the SCSI layer) with
 * sequences that try to land the 512-byte marker RAW_MARK in plaintext at
 * sector START, the first sector of an encrypted range, while the VMM's
 * decision concerns another sector or unit (docs/disk.md, finding 5 of
 * security review 1): a sector read at START-1 then only the count rewritten
 * (the device's LBA registers advanced to START), the same in LBA48,
 * registers rewritten mid-transfer, SRST / EXECUTE DEVICE DIAGNOSTIC / DEVICE
 * RESET followed by a partial taskfile, a unit switch hidden by a reset, CHS
 * addressing. Beneath Mamori each either lands where the VMM decided
 * (START-1 or START-2, outside the range) or is aborted; the host then checks
 * the disk. One line per sequence: "mamori-ata: raw NAME: status 0xSS error
 * 0xEE". Exit status 0 when every sequence ran, 1 when iopl failed.
 */
#include <fcntl.h>
#include <scsi/sg.h>

#include "nolibc.h"

#define SYS_open	2
#define SYS_close	3
#define SYS_ioctl	16
#define SYS_exit	60
#define SYS_iopl	172

#define ATA_16			0x85
#define ATA_PROT_NON_DATA	3
#define ATA_PROT_PIO_IN		4
#define ATA_PROT_PIO_OUT	5
#define ATA_CK_COND		0x20
#define ATA_T_DIR_IN		0x08
#define ATA_BYTE_BLOCK		0x04
#define ATA_T_LEN_NSECT		0x02
#define ATA_STAT_ERR		0x01
#define ATA_ERR_ABRT		0x04

struct ata_cmd {
	const char *name;
	unsigned char command;
	unsigned char protocol;
	unsigned char features;
	unsigned char nsect;
};

static const struct ata_cmd ata_cmds[] = {
	{ "check-power", 0xe5, ATA_PROT_NON_DATA, 0, 0 },
	{ "identify", 0xec, ATA_PROT_PIO_IN, 0, 1 },
	{ "microcode", 0x92, ATA_PROT_PIO_OUT, 0x07, 1 },
	{ "freeze-lock", 0xf5, ATA_PROT_NON_DATA, 0, 0 },
	{ "erase-prepare", 0xf3, ATA_PROT_NON_DATA, 0, 0 },
};

static void put_hex8(unsigned char v)
{
	static const char hex[] = "0123456789abcdef";
	char buf[5] = { '0', 'x', hex[v >> 4], hex[v & 15], 0 };

	put(1, buf);
}

static void mem_zero(void *p, unsigned long n)
{
	volatile unsigned char *b = p;

	while (n--)
		*b++ = 0;
}

/* Print the model string (words 27-46, byte-swapped) of IDENTIFY data. */
static void put_model(const unsigned char *id)
{
	char model[41];
	int i, n = 40;

	for (i = 0; i < 40; i += 2) {
		model[i] = (char)id[54 + i + 1];
		model[i + 1] = (char)id[54 + i];
	}
	while (n > 0 && model[n - 1] == ' ')
		n--;
	model[n] = 0;
	put(1, "mamori-ata: model \"");
	put(1, model);
	put(1, "\"\n");
}

/*
 * The sense key and the ATA status and error registers from sense data @sb:
 * descriptor format (0x72) with an ATA Status Return descriptor (0x09), or
 * fixed format (0x70) whose INFORMATION field holds ERROR, STATUS, DEVICE,
 * COUNT (SAT; libata uses it for failed commands unless D_SENSE is set).
 * Returns 0 without registers.
 */
static int parse_sense(const unsigned char *sb, int len, unsigned char *key,
		       unsigned char *status, unsigned char *error)
{
	int off = 8, end;

	*key = 0;
	if (len >= 4 && (sb[0] & 0x7e) == 0x72) {
		*key = sb[1] & 0xf;
		end = 8 + sb[7];
		if (end > len)
			end = len;
		for (; off + 14 <= end; off += 2 + sb[off + 1]) {
			if (sb[off] == 0x09) {
				*error = sb[off + 3];
				*status = sb[off + 13];
				return 1;
			}
		}
		return 0;
	}
	if (len >= 14 && (sb[0] & 0x7e) == 0x70) {
		/* Linux before 6.10 leaves VALID clear and puts them at byte 8. */
		const unsigned char *info = sb[0] & 0x80 ? sb + 3 : sb + 8;

		*key = sb[2] & 0xf;
		*error = info[0];
		*status = info[1];
		return 1;
	}
	return 0;
}

static void build_cdb(unsigned char *cdb, const struct ata_cmd *c)
{
	mem_zero(cdb, 16);
	cdb[0] = ATA_16;
	cdb[1] = (unsigned char)(c->protocol << 1);
	cdb[2] = ATA_CK_COND;
	if (c->protocol != ATA_PROT_NON_DATA)
		cdb[2] |= ATA_BYTE_BLOCK | ATA_T_LEN_NSECT |
			  (c->protocol == ATA_PROT_PIO_IN ? ATA_T_DIR_IN : 0);
	cdb[4] = c->features;
	cdb[6] = c->nsect;
	cdb[13] = 0x40;		/* device: LBA mode */
	cdb[14] = c->command;
}

static int report(const struct ata_cmd *c, const unsigned char *sb, int sb_len,
		  const unsigned char *data)
{
	unsigned char key, status = 0, error = 0;
	int i, regs = parse_sense(sb, sb_len, &key, &status, &error);

	put(1, "mamori-ata: ");
	put(1, c->name);
	put(1, " (");
	put_hex8(c->command);
	put(1, "): sense");
	for (i = 0; i < sb_len && i < 22; i++) {
		put(1, " ");
		put_hex8(sb[i]);
	}
	put(1, "\nmamori-ata: ");
	put(1, c->name);
	put(1, " (");
	put_hex8(c->command);
	put(1, "): key ");
	put_hex8(key);
	if (!regs) {
		put(1, ": no ATA registers returned\n");
		return 1;
	}
	put(1, " status ");
	put_hex8(status);
	put(1, " error ");
	put_hex8(error);
	if (!(status & ATA_STAT_ERR)) {
		put(1, ": ok\n");
		if (data)
			put_model(data);
		return 0;
	}
	if (error & ATA_ERR_ABRT) {
		put(1, ": aborted\n");
		return 10;
	}
	put(1, ": error\n");
	return 11;
}

/* ---- raw-attack: the primary channel's registers, driven directly --------------- */

#define P_CMD		0x1f0
#define P_CTL		0x3f6
#define ST_BSY		0x80
#define ST_DRQ		0x08
#define ST_ERR		0x01
#define CTL_NIEN	0x02
#define CTL_SRST	0x04
#define RAW_POLL	200000
#define RAW_MARK	"MAMORI-RAWATK!!\n"

static void outb(unsigned short port, unsigned char v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static unsigned char inb(unsigned short port)
{
	unsigned char v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void rep_outsw(const void *buf)
{
	unsigned long n = 256;

	asm volatile("rep outsw" : "+S"(buf), "+c"(n) : "d"(P_CMD) : "memory");
}

static void rep_insw(void *buf)
{
	unsigned long n = 256;

	asm volatile("rep insw" : "+D"(buf), "+c"(n) : "d"(P_CMD) : "memory");
}

/* The status once BSY is clear (and DRQ or ERR set if @drq); 0xff on a timeout. */
static unsigned char raw_wait(int drq)
{
	unsigned char st = 0xff;
	int i;

	for (i = 0; i < RAW_POLL; i++) {
		st = inb(P_CTL);
		if (!(st & ST_BSY) && (!drq || (st & (ST_DRQ | ST_ERR))))
			return inb(P_CMD + 7);
	}
	return 0xff;
}

/* LBA28 taskfile: every register, the device register last (master, LBA). */
static void raw_tf28(unsigned int count, unsigned long lba, unsigned char dev)
{
	outb(P_CMD + 1, 0);
	outb(P_CMD + 2, (unsigned char)count);
	outb(P_CMD + 3, (unsigned char)lba);
	outb(P_CMD + 4, (unsigned char)(lba >> 8));
	outb(P_CMD + 5, (unsigned char)(lba >> 16));
	outb(P_CMD + 6, (unsigned char)(dev | ((lba >> 24) & 0xf)));
}

static void raw_tf48(unsigned int count, unsigned long lba)
{
	outb(P_CMD + 1, 0);
	outb(P_CMD + 2, (unsigned char)(count >> 8));
	outb(P_CMD + 3, (unsigned char)(lba >> 24));
	outb(P_CMD + 4, (unsigned char)(lba >> 32));
	outb(P_CMD + 5, (unsigned char)(lba >> 40));
	outb(P_CMD + 1, 0);
	outb(P_CMD + 2, (unsigned char)count);
	outb(P_CMD + 3, (unsigned char)lba);
	outb(P_CMD + 4, (unsigned char)(lba >> 8));
	outb(P_CMD + 5, (unsigned char)(lba >> 16));
	outb(P_CMD + 6, 0x40);
}

/* Issue @op; for a data command move @n sectors of @buf; the final status. */
static unsigned char raw_cmd(unsigned char op, int dir, unsigned char *buf, int n)
{
	unsigned char st;
	int i;

	outb(P_CMD + 7, op);
	for (i = 0; i < n; i++) {
		st = raw_wait(dir);
		if (st == 0xff || !(st & ST_DRQ))
			return st;
		if (dir > 0)
			rep_outsw(buf + 512 * i);
		else
			rep_insw(buf + 512 * i);
	}
	return raw_wait(0);
}

static void raw_srst(void)
{
	int i;

	outb(P_CTL, CTL_NIEN | CTL_SRST);
	for (i = 0; i < 100; i++)
		inb(P_CTL);
	outb(P_CTL, CTL_NIEN);
	raw_wait(0);
}

static void raw_report(const char *name, unsigned char st)
{
	put(1, "mamori-ata: raw ");
	put(1, name);
	put(1, ": status ");
	put_hex8(st);
	put(1, " error ");
	put_hex8(inb(P_CMD + 1));
	put(1, st == 0xff ? ": timeout\n" : st & ST_ERR ? ": aborted\n" : ": done\n");
}

/* After a reset of kind @how: address rewritten, the device register not. */
static void raw_reset_then_write(const char *name, int how, unsigned long start,
				 unsigned char *mark)
{
	unsigned char junk[512];

	raw_tf28(1, start, 0xe0);
	outb(P_CMD + 6, 0xe1);		/* LBA bits 27:24 = 1: beyond the disk, no range */
	if (how == 0)
		raw_srst();
	else
		raw_cmd(how, 0, junk, 0);
	outb(P_CMD + 2, 1);
	outb(P_CMD + 3, (unsigned char)start);
	outb(P_CMD + 4, (unsigned char)(start >> 8));
	outb(P_CMD + 5, (unsigned char)(start >> 16));
	raw_report(name, raw_cmd(0x30, 1, mark, 1));
}

static int raw_attack(unsigned long start)
{
	static unsigned char mark[1024], junk[1024];
	unsigned long chs_cyl = start / (16 * 63), chs_rem = start % (16 * 63);
	int i;

	if (sys3(SYS_iopl, 3, 0, 0)) {
		put(2, "mamori-ata: iopl(3) failed (not root?)\n");
		return 1;
	}
	for (i = 0; i < 1024; i++)
		mark[i] = (unsigned char)RAW_MARK[i % 16];
	outb(P_CTL, CTL_NIEN);
	raw_wait(0);

	/* Finding 5: read START-1, the device's registers now say START; rewrite the count only. */
	raw_tf28(1, start - 1, 0xe0);
	raw_cmd(0x20, -1, junk, 1);
	outb(P_CMD + 2, 1);
	raw_report("autoinc", raw_cmd(0x30, 1, mark, 1));

	/* The same in LBA48: HOB and current count rewritten. */
	raw_tf48(1, start - 1);
	raw_cmd(0x24, -1, junk, 1);
	outb(P_CMD + 2, 0);
	outb(P_CMD + 2, 1);
	raw_report("autoinc48", raw_cmd(0x34, 1, mark, 1));

	/* Two sectors at START-2; LBA low aimed at START+8 between them. */
	raw_tf28(2, start - 2, 0xe0);
	outb(P_CMD + 7, 0x30);
	if (raw_wait(1) & ST_DRQ) {
		rep_outsw(mark);
		raw_wait(1);
		outb(P_CMD + 3, (unsigned char)(start + 8));
		rep_outsw(mark + 512);
	}
	raw_report("midxfer", raw_wait(0));

	raw_reset_then_write("srst", 0, start, mark);
	raw_reset_then_write("edd", 0x90, start, mark);
	raw_reset_then_write("devreset", 0x08, start, mark);

	/* The slave selected (no range), a reset back to the master, the address rewritten. */
	raw_tf28(1, start, 0xf0);
	raw_srst();
	outb(P_CMD + 2, 1);
	outb(P_CMD + 3, (unsigned char)start);
	outb(P_CMD + 4, (unsigned char)(start >> 8));
	outb(P_CMD + 5, (unsigned char)(start >> 16));
	raw_report("devsel", raw_cmd(0x30, 1, mark, 1));

	/* CHS (16 heads, 63 sectors per track) at START. */
	outb(P_CMD + 2, 1);
	outb(P_CMD + 3, (unsigned char)(chs_rem % 63 + 1));
	outb(P_CMD + 4, (unsigned char)chs_cyl);
	outb(P_CMD + 5, (unsigned char)(chs_cyl >> 8));
	outb(P_CMD + 6, (unsigned char)(0xa0 | (chs_rem / 63)));
	raw_report("chs", raw_cmd(0x30, 1, mark, 1));
	return 0;
}

static int parse_ulong(const char *s, unsigned long *v)
{
	*v = 0;
	if (!*s)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		*v = *v * 10 + (unsigned long)(*s - '0');
	}
	return 1;
}

static int run(int argc, char **argv)
{
	static unsigned char data[512];
	unsigned char cdb[16], sense[64];
	const struct ata_cmd *c = 0;
	struct sg_io_hdr io;
	unsigned int i;
	long fd, ret;

	if (argc == 3 && str_eq(argv[1], "raw-attack")) {
		unsigned long start;

		if (!parse_ulong(argv[2], &start) || start < 2)
			goto usage;
		return raw_attack(start);
	}
	if (argc != 3)
		goto usage;
	for (i = 0; i < sizeof(ata_cmds) / sizeof(ata_cmds[0]); i++)
		if (str_eq(argv[2], ata_cmds[i].name))
			c = &ata_cmds[i];
	if (!c)
		goto usage;
	fd = sys3(SYS_open, (long)argv[1], O_RDWR | O_NONBLOCK, 0);
	if (fd < 0) {
		put(2, "mamori-ata: cannot open the device\n");
		return 1;
	}
	build_cdb(cdb, c);
	mem_zero(sense, sizeof(sense));
	mem_zero(data, sizeof(data));
	mem_zero(&io, sizeof(io));
	io.interface_id = 'S';
	io.cmd_len = sizeof(cdb);
	io.cmdp = cdb;
	io.mx_sb_len = sizeof(sense);
	io.sbp = sense;
	io.timeout = 60000;
	io.dxfer_direction = SG_DXFER_NONE;
	if (c->protocol != ATA_PROT_NON_DATA) {
		io.dxfer_direction = c->protocol == ATA_PROT_PIO_IN ?
				     SG_DXFER_FROM_DEV : SG_DXFER_TO_DEV;
		io.dxferp = data;
		io.dxfer_len = sizeof(data);
	}
	ret = sys3(SYS_ioctl, fd, SG_IO, (long)&io);
	sys3(SYS_close, fd, 0, 0);
	if (ret < 0) {
		put(1, "mamori-ata: ");
		put(1, c->name);
		put(1, ": SG_IO failed\n");
		return 1;
	}
	return report(c, sense, io.sb_len_wr,
		      c->protocol == ATA_PROT_PIO_IN ? data : 0);
usage:
	put(2, "usage: mamori-ata DEV check-power|identify|microcode|freeze-lock|erase-prepare\n"
	       "       mamori-ata raw-attack START\n");
	return 2;
}

void mamori_ata_main(long *sp);

void mamori_ata_main(long *sp)
{
	sys3(SYS_exit, run((int)sp[0], (char **)(sp + 1)), 0, 0);
	for (;;)
		;
}

asm(".globl _start\n"
    "_start:\n"
    "	mov %rsp, %rdi\n"
    "	and $-16, %rsp\n"
    "	call mamori_ata_main\n"
    "	hlt\n");
