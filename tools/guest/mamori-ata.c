// SPDX-License-Identifier: GPL-2.0-only
/*
 * mamori-ata: send one ATA command to a disk through SG_IO ATA PASS-THROUGH(16)
 * and print the ATA status and error registers it came back with (static, no
 * libc; for the Mamori test guest, as root).
 *
 *   mamori-ata DEV CMD
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
 */
#include <fcntl.h>
#include <scsi/sg.h>

#include "nolibc.h"

#define SYS_open	2
#define SYS_close	3
#define SYS_ioctl	16
#define SYS_exit	60

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

static int run(int argc, char **argv)
{
	static unsigned char data[512];
	unsigned char cdb[16], sense[64];
	const struct ata_cmd *c = 0;
	struct sg_io_hdr io;
	unsigned int i;
	long fd, ret;

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
	put(2, "usage: mamori-ata DEV check-power|identify|microcode|freeze-lock|erase-prepare\n");
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
