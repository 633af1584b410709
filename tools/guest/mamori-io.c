// SPDX-License-Identifier: GPL-2.0-only
/*
 * mamori-io: port I/O for the Mamori test guest (static, no libc).
 *
 *   mamori-io shutdown          write "Shutdown" to port 0x8900 (ends Bochs)
 *   mamori-io outb PORT VALUE   write one byte to an I/O port
 *   mamori-io inb PORT          read one byte from an I/O port, print it in hex
 *   mamori-io cpuid LEAF        print EAX EBX ECX EDX of CPUID(LEAF, 0) in hex, and
 *                               EBX ECX EDX as text (the hypervisor signature)
 *   mamori-io vmcall NR         execute VMCALL with RAX = NR from user mode: Mamori
 *                               must refuse it with #UD, so this dies of SIGILL
 *   mamori-io exec ADDR         map physical page ADDR of /dev/mem executable and
 *                               call into it: inside the VMM region Mamori must
 *                               make this die of SIGILL (#UD), the machine alive
 *
 * Numbers take a 0x prefix for hex. Runs as root in the guest (iopl(3)).
 */
#include "nolibc.h"

#define SYS_iopl	172
#define SYS_exit	60
#define SYS_open	2
#define SYS_mmap	9

#define O_RDONLY	0
#define O_SYNC		04010000
#define PROT_READ	1
#define PROT_EXEC	4
#define MAP_SHARED	1

#define BOCHS_SHUTDOWN_PORT	0x8900

static void outb(unsigned short port, unsigned char val)
{
	asm volatile("outb %0, %1" : : "a"(val), "Nd"(port));
}

static unsigned char inb(unsigned short port)
{
	unsigned char val;

	asm volatile("inb %1, %0" : "=a"(val) : "Nd"(port));
	return val;
}

/* Parse a decimal or 0x-prefixed hex number; returns -1 when malformed. */
static long parse_num(const char *s)
{
	long val = 0;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -1;
	for (; *s; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -1;
		val = val * base + d;
		if (val > 0xffffffffL)
			return -1;
	}
	return val;
}

static int usage(void)
{
	put(2, "usage: mamori-io shutdown | outb PORT VALUE | inb PORT | cpuid LEAF | vmcall NR | exec ADDR\n");
	return 2;
}

static void put_hex32(unsigned int v)
{
	static const char hex[] = "0123456789abcdef";
	char buf[12];
	int i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = 0; i < 8; i++)
		buf[2 + i] = hex[(v >> (28 - 4 * i)) & 0xf];
	buf[10] = ' ';
	buf[11] = 0;
	put(1, buf);
}

static int do_cpuid(long leaf)
{
	unsigned int r[4], i;
	char sig[14];

	asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"((unsigned int)leaf), "c"(0));
	for (i = 0; i < 4; i++)
		put_hex32(r[i]);
	for (i = 0; i < 12; i++) {
		char c = (char)(r[1 + i / 4] >> (8 * (i % 4)));

		sig[i] = c >= 0x20 && c < 0x7f ? c : '.';
	}
	sig[12] = '\n';
	sig[13] = 0;
	put(1, sig);
	return 0;
}

static int do_vmcall(long nr)
{
	long ret = nr;

	asm volatile("vmcall" : "+a"(ret) : : "memory");
	put(1, "mamori-io: VMCALL from user mode returned: NOT refused\n");
	return 1;
}

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 asm("r10") = d, r8 asm("r8") = e, r9 asm("r9") = f;
	long ret;

	asm volatile("syscall" : "=a"(ret)
		     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
		     : "rcx", "r11", "memory");
	return ret;
}

static int do_exec(long addr)
{
	long fd = sys3(SYS_open, (long)"/dev/mem", O_RDONLY | O_SYNC, 0), p;

	if (fd < 0) {
		put(2, "mamori-io: cannot open /dev/mem\n");
		return 1;
	}
	p = sys6(SYS_mmap, 0, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, addr);
	if (p < 0 && p > -4096) {
		put(2, "mamori-io: cannot map the page executable\n");
		return 1;
	}
	put(1, "mamori-io: calling into the page\n");
	((void (*)(void))p)();
	put(1, "mamori-io: the call returned: guest code ran from that page\n");
	return 1;
}

/* Ask for I/O privilege level 3; returns 0 (after saying why) on failure. */
static int get_io(void)
{
	if (sys3(SYS_iopl, 3, 0, 0) == 0)
		return 1;
	put(2, "mamori-io: iopl(3) failed (not root?)\n");
	return 0;
}

static int run(int argc, char **argv)
{
	static const char hex[] = "0123456789abcdef";
	char buf[6];
	long port, val;
	const char *p;

	if (argc < 2)
		return usage();
	if (str_eq(argv[1], "shutdown") && argc == 2) {
		if (!get_io())
			return 1;
		for (p = "Shutdown"; *p; p++)
			outb(BOCHS_SHUTDOWN_PORT, (unsigned char)*p);
		put(2, "mamori-io: shutdown port ignored (not Bochs?)\n");
		return 1;
	}
	if (str_eq(argv[1], "outb") && argc == 4) {
		port = parse_num(argv[2]);
		val = parse_num(argv[3]);
		if (port < 0 || port > 0xffff || val < 0 || val > 0xff)
			return usage();
		if (!get_io())
			return 1;
		outb((unsigned short)port, (unsigned char)val);
		return 0;
	}
	if (str_eq(argv[1], "cpuid") && argc == 3) {
		val = parse_num(argv[2]);
		return val < 0 ? usage() : do_cpuid(val);
	}
	if (str_eq(argv[1], "vmcall") && argc == 3) {
		val = parse_num(argv[2]);
		return val < 0 ? usage() : do_vmcall(val);
	}
	if (str_eq(argv[1], "exec") && argc == 3) {
		val = parse_num(argv[2]);
		return val < 0 || (val & 0xfff) ? usage() : do_exec(val);
	}
	if (str_eq(argv[1], "inb") && argc == 3) {
		port = parse_num(argv[2]);
		if (port < 0 || port > 0xffff)
			return usage();
		if (!get_io())
			return 1;
		val = inb((unsigned short)port);
		buf[0] = '0';
		buf[1] = 'x';
		buf[2] = hex[(val >> 4) & 0xf];
		buf[3] = hex[val & 0xf];
		buf[4] = '\n';
		buf[5] = 0;
		put(1, buf);
		return 0;
	}
	return usage();
}

void mamori_io_main(long *sp);

void mamori_io_main(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);

	sys3(SYS_exit, run(argc, argv), 0, 0);
	for (;;)
		;
}

asm(".globl _start\n"
    "_start:\n"
    "	mov %rsp, %rdi\n"
    "	and $-16, %rsp\n"
    "	call mamori_io_main\n"
    "	hlt\n");
