// SPDX-License-Identifier: GPL-2.0-only
/* Text policy parser: every directive, and bad inputs with their exact messages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "policy_text.h"

static struct policy_text t;

static int parse(const char *text)
{
	policy_text_init(&t);
	if (policy_text_parse(&t, text, strlen(text), "t.txt", 0))
		return -1;
	return policy_text_finish(&t);
}

static const char good[] =
	"# comment line\n"
	"version 42   # trailing comment\n"
	"kdf iterations=0x30d40\n"
	"console uart port=0x2f8 baud=57600 timeout=60\n"
	"\n"
	"disk ata channel=1 device=slave partition=2 key=d0\n"
	"disk ahci controller=1 port=5 lba=2048-4096 key=d0 iv-offset=2048\r\n"
	"disk nvme namespace=1 partition-guid=c12a7328-f81f-11d2-ba4b-00a0c93ec93b key=d0\n"
	"disk id model=\"QEMU HARDDISK\" serial=\"QM \\\"1\\\"\" partition=1 key=d0 "
	"cipher=aes-xts-plain64\n"
	"network e1000 bdf=00:03.0 mode=encrypt peer=52:54:00:12:34:56 key=n0\n"
	"network e1000 bdf=00:04.1 mode=block\n"
	"file path=\"/home/*/secret files/*\" action=require-auth password=files part=2\n"
	"file inode=1234 action=read-only part=2\n"
	"monitor checks=idt,syscall-msrs interval=250 action=halt\n"
	"key d0 = random\n"
	"key n0=random:32\n"
	"key lit = 000102030405060708090a0b0c0d0e0f\n"
	"phrase console = \"blue kettle # not a comment\"\n"
	"password files = \"correct horse\"\n";

/* Every NIC gets a mode: its own rule, else the policy's default, else block. */
static void test_network_default(void **state)
{
	const struct policy_net_rule *r;
	const struct policy *p = &t.pol;

	assert_int_equal(parse("version 1\nnetwork e1000 bdf=00:03.0 mode=pass\n"), 0);
	assert_int_equal(policy_net_mode(p, 0, 3, 0, &r), POLICY_NET_PASS);
	assert_ptr_equal(r, &p->net[0]);
	assert_int_equal(policy_net_mode(p, 0, 4, 0, &r), POLICY_NET_BLOCK);
	assert_null(r);
	assert_int_equal(parse("version 1\nnetwork default mode=pass\n"
			       "network e1000 bdf=00:03.0 mode=block\n"), 0);
	assert_int_equal(p->net[0].nic, POLICY_NIC_DEFAULT);
	assert_int_equal(p->net[0].mode, POLICY_NET_PASS);
	assert_int_equal(policy_net_mode(p, 0, 3, 0, NULL), POLICY_NET_BLOCK);
	assert_int_equal(policy_net_mode(p, 0, 4, 0, &r), POLICY_NET_PASS);
	assert_ptr_equal(r, &p->net[0]);
	assert_int_equal(parse("version 1\n"), 0);
	assert_int_equal(policy_net_mode(p, 0, 0, 0, NULL), POLICY_NET_BLOCK);
	/* cipher= picks the MACsec suite; gcm-aes-128 when absent */
	assert_int_equal(parse("version 1\nnetwork e1000 bdf=00:03.0 mode=encrypt "
			       "peer=52:54:00:12:34:56 key=n cipher=gcm-aes-256\n"
			       "network e1000 bdf=00:04.0 mode=encrypt peer=52:54:00:12:34:57 "
			       "key=n\nkey n = random:32\n"), 0);
	assert_int_equal(p->net[0].cipher, POLICY_NET_GCM_AES_256);
	assert_int_equal(p->net[1].cipher, POLICY_NET_GCM_AES_128);
}

static void test_good(void **state)
{
	const struct policy *p = &t.pol;
	static const u8 esp[16] = { 0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
				    0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b };

	assert_int_equal(parse(good), 0);
	assert_int_equal(p->version, 42);
	assert_int_equal(p->sealed.iterations, 200000);
	assert_int_equal(p->console.kind, POLICY_CONSOLE_UART);
	assert_int_equal(p->console.port, 0x2f8);
	assert_int_equal(p->console.baud, 57600);
	assert_int_equal(p->console.timeout_s, 60);
	assert_int_equal(p->console.origin, 4);
	assert_int_equal(p->n_disk, 4);
	assert_int_equal(p->disk[0].match, POLICY_DISK_ATA);
	assert_int_equal(p->disk[0].port, 1);
	assert_int_equal(p->disk[0].unit, 1);
	assert_int_equal(p->disk[0].range, POLICY_RANGE_GPT_INDEX);
	assert_int_equal(p->disk[0].gpt_index, 2);
	assert_string_equal(p->disk[0].key_id, "d0");
	assert_int_equal(p->disk[0].origin, 6);
	assert_int_equal(p->disk[1].match, POLICY_DISK_AHCI);
	assert_int_equal(p->disk[1].controller, 1);
	assert_int_equal(p->disk[1].port, 5);
	assert_int_equal(p->disk[1].lba_start, 2048);
	assert_int_equal(p->disk[1].lba_end, 4096);
	assert_int_equal(p->disk[1].iv_offset, 2048);
	assert_int_equal(p->disk[2].unit, 1);
	assert_int_equal(p->disk[2].range, POLICY_RANGE_GPT_GUID);
	assert_memory_equal(p->disk[2].gpt_guid, esp, 16);
	assert_string_equal(p->disk[3].model, "QEMU HARDDISK");
	assert_string_equal(p->disk[3].serial, "QM \"1\"");
	assert_int_equal(p->n_net, 2);
	assert_int_equal(p->net[0].dev, 3);
	assert_int_equal(p->net[0].peer_mac[5], 0x56);
	assert_int_equal(p->net[1].fn, 1);
	assert_int_equal(p->net[1].mode, POLICY_NET_BLOCK);
	assert_int_equal(p->n_file, 2);
	assert_string_equal(p->file[0].pattern, "/home/*/secret files/*");
	assert_int_equal(p->file[1].inode, 1234);
	assert_int_equal(p->file[1].part, 2);
	assert_int_equal(p->file[1].action, POLICY_FILE_READ_ONLY);
	assert_int_equal(p->monitor.checks, POLICY_MON_IDT | POLICY_MON_SYSCALL_MSRS);
	assert_int_equal(p->monitor.action, POLICY_MON_HALT);
	assert_int_equal(p->monitor.interval_ms, 250);
	assert_int_equal(t.sec.count, 5);
	assert_int_equal(t.origin[0], POLICY_TEXT_RANDOM);
	assert_int_equal(t.sec.s[0].len, 64);
	assert_int_equal(t.sec.s[1].len, 32);
	assert_int_equal(t.origin[2], POLICY_TEXT_LITERAL);
	assert_int_equal(t.sec.s[2].len, 16);
	assert_int_equal(t.sec.s[2].value[15], 0x0f);
	assert_memory_equal(t.sec.s[3].value, "blue kettle # not a comment", 27);
	assert_int_equal(t.origin[4], POLICY_TEXT_PASSWORD);
	assert_int_equal(p->sealed.info[4].len, POLICY_PASSWORD_LEN);
	assert_true(p->sections & BIT(POLICY_REC_SECRETS));
}

static void test_defaults_and_framebuffer(void **state)
{
	assert_int_equal(parse("version 1\nconsole framebuffer\nmonitor checks=all\n"), 0);
	assert_int_equal(t.pol.console.kind, POLICY_CONSOLE_FB_PS2);
	assert_int_equal(t.pol.console.timeout_s, 300);
	assert_int_equal(t.pol.monitor.checks, POLICY_MON_ALL);
	assert_int_equal(t.pol.monitor.interval_ms, 1000);
	assert_int_equal(t.pol.monitor.action, POLICY_MON_ALERT);
	assert_int_equal(t.pol.sealed.iterations, POLICY_KDF_DEFAULT_ITERATIONS);
	assert_false(t.pol.sections & BIT(POLICY_REC_SECRETS));
}

/* Issue 14: the monitor's slice period and budget, their defaults and bounds. */
static void test_monitor_slice(void **state)
{
	assert_int_equal(parse("version 1\nmonitor checks=all\n"), 0);
	assert_int_equal(t.pol.monitor.period_ms, 0);	/* defaults: 100 ms, 2000 us */
	assert_int_equal(t.pol.monitor.budget_us, 0);
	assert_int_equal(parse("version 1\nmonitor checks=idt period=50 budget=500\n"), 0);
	assert_int_equal(t.pol.monitor.period_ms, 50);
	assert_int_equal(t.pol.monitor.budget_us, 500);
	assert_int_not_equal(parse("version 1\nmonitor checks=idt period=55\n"), 0);
	assert_int_not_equal(parse("version 1\nmonitor checks=idt period=2000\n"), 0);
	assert_int_not_equal(parse("version 1\nmonitor checks=idt budget=50\n"), 0);
	assert_int_not_equal(parse("version 1\nmonitor checks=idt budget=60000\n"), 0);
	/* more than half the period */
	assert_int_not_equal(parse("version 1\nmonitor checks=idt period=10 budget=6000\n"), 0);
	assert_int_not_equal(parse("version 1\nmonitor checks=idt budget=50001\n"), 0);
}

/* The iommu directive: each mode, its default when absent, and bad uses. */
static void test_iommu(void **state)
{
	static const char *const modes[] = { "auto", "required", "optional" };
	char text[64];
	int i;

	assert_int_equal(parse("version 1\n"), 0);
	assert_false(t.pol.sections & BIT(POLICY_REC_IOMMU));
	assert_int_equal(policy_iommu_mode(&t.pol), POLICY_IOMMU_AUTO);
	assert_int_equal(policy_iommu_mode(NULL), POLICY_IOMMU_AUTO);
	for (i = 0; i < 3; i++) {
		snprintf(text, sizeof(text), "version 1\n\niommu %s # comment\n", modes[i]);
		assert_int_equal(parse(text), 0);
		assert_true(t.pol.sections & BIT(POLICY_REC_IOMMU));
		assert_int_equal(t.pol.iommu.mode, POLICY_IOMMU_AUTO + i);
		assert_int_equal(t.pol.iommu.origin, 3);
		assert_int_equal(policy_iommu_mode(&t.pol), POLICY_IOMMU_AUTO + i);
	}
}

static void test_secrets_file(void **state)
{
	static const char pol[] = "version 3\ndisk ata channel=0 device=0 partition=2 key=k\n";
	static const char secf[] = "# secrets\nkey k = random\n";
	static const char bad[] = "key j = random\nversion 2\n";

	policy_text_init(&t);
	assert_int_equal(policy_text_parse(&t, pol, strlen(pol), "p.txt", 0), 0);
	assert_int_equal(policy_text_finish(&t), -1);
	assert_string_equal(t.err, "p.txt:2: disk: key 'k' names no secret");
	policy_text_init(&t);
	assert_int_equal(policy_text_parse(&t, pol, strlen(pol), "p.txt", 0), 0);
	assert_int_equal(policy_text_parse(&t, secf, strlen(secf), "s.txt",
					   POLICY_TEXT_SECRETS_ONLY), 0);
	assert_int_equal(policy_text_finish(&t), 0);
	assert_int_equal(policy_text_parse(&t, bad, strlen(bad), "s.txt",
					   POLICY_TEXT_SECRETS_ONLY), -1);
	assert_string_equal(t.err, "s.txt:2: 'version': a secrets file holds only key, phrase "
			    "and password");
}

static const struct {
	const char *text, *err;
} bad[] = {
	{ "", "t.txt: missing 'version <number>' directive" },
	{ "version 1\nfoo bar\n", "t.txt:2: unknown directive 'foo'" },
	{ "version 0\n", "t.txt:1: version: must be at least 1 (0 is reserved)" },
	{ "version 1\nversion 2\n", "t.txt:2: version: given twice (first on line 1)" },
	{ "version x1\n", "t.txt:1: version: version: not a number (decimal or 0x hex)" },
	{ "version 99999999999999999999\n",
	  "t.txt:1: version: version: out of range (maximum 18446744073709551615)" },
	{ "version 1\nkdf iterations=1000\n",
	  "t.txt:2: kdf: iterations 1000 outside 100000..10000000 (the documented minimum is "
	  "100000)" },
	{ "version 1\nconsole uart baud=9600\n", "t.txt:2: console: missing option 'port='" },
	{ "version 1\nconsole uart port=com2 baud=115201\n",
	  "t.txt:2: console: baud: must divide 115200, 300..115200 (value 115201)" },
	{ "version 1\nconsole uart port=0x2f9\n",
	  "t.txt:2: console: port: not an 8-aligned UART base in 0x100..0xfff8 (value 761)" },
	{ "version 1\nconsole serial port=com1\n",
	  "t.txt:2: console: kind: 'serial' is not one of: uart, framebuffer" },
	{ "version 1\nconsole framebuffer baud=9600\n",
	  "t.txt:2: console: port= and baud= are only for 'console uart'" },
	{ "version 1\nconsole uart port=com1 prot=1\n",
	  "t.txt:2: console: unknown option 'prot' (expected: port, baud, timeout)" },
	{ "version 1\nconsole uart port=com1 port=com2\n",
	  "t.txt:2: console: option 'port' given twice" },
	{ "version 1\nconsole uart port=com1\nconsole framebuffer\n",
	  "t.txt:3: console: given twice (first on line 2)" },
	{ "version 1\nconsole uart port=com1 timeout=0\n",
	  "t.txt:2: console: timeout: must be 1..86400 seconds (value 0)" },
	{ "version 1\ndisk ata channel=0 device=0 key=k\n",
	  "t.txt:2: disk: give exactly one of partition=, partition-guid=, lba=" },
	{ "version 1\ndisk ata channel=2 device=0 partition=1 key=k\n",
	  "t.txt:2: disk: channel: must be 0 or 1 (value 2)" },
	{ "version 1\ndisk ata channel=0 device=third partition=1 key=k\n",
	  "t.txt:2: disk: device: use master, slave, 0 or 1" },
	{ "version 1\ndisk ata port=1 channel=0 device=0 partition=1 key=k\n",
	  "t.txt:2: disk ata: option 'port' does not apply" },
	{ "version 1\ndisk ahci port=1 lba=10-10 key=k\n",
	  "t.txt:2: disk: lba: empty range (start >= end) (value 10)" },
	{ "version 1\ndisk ahci port=1 lba=10 key=k\n",
	  "t.txt:2: disk: lba: expected START-END (END exclusive), got '10'" },
	{ "version 1\ndisk nvme namespace=0 partition=1 key=k\n",
	  "t.txt:2: disk: namespace: must be 1..0xfffffffe (value 0)" },
	{ "version 1\ndisk nvme namespace=1 partition=200 key=k\n",
	  "t.txt:2: disk: partition: must be 1..128 (value 200)" },
	{ "version 1\ndisk nvme namespace=1 partition-guid=1234 key=k\n",
	  "t.txt:2: disk: partition-guid: '1234' is not a GUID "
	  "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)" },
	{ "version 1\ndisk id partition=1 key=k\n",
	  "t.txt:2: disk: model: identity rule needs a model or a serial" },
	{ "version 1\ndisk ata channel=0 device=0 partition=1\n",
	  "t.txt:2: disk: missing option 'key='" },
	{ "version 1\ndisk ata channel=0 device=0 partition=1 key=-x\n",
	  "t.txt:2: disk: key: '-x' is not a key id (1-15 of A-Z a-z 0-9 _ - ., starting "
	  "with a letter or digit)" },
	{ "version 1\ndisk ata channel=0 device=0 partition=1 key=k cipher=aes-cbc\n",
	  "t.txt:2: disk: cipher: only aes-xts-plain64 is supported" },
	{ "version 1\ndisk scsi\n",
	  "t.txt:2: disk: kind: 'scsi' is not one of: ata, ahci, nvme, id" },
	{ "version 1\ndisk\n", "t.txt:2: disk: missing kind after 'disk'" },
	{ "version 1\ndisk ata channel=0 device=0 partition=2 key=k\n"
	  "disk ata channel=0 device=master partition=2 key=k\nkey k = random\n",
	  "t.txt:3: disk: overlaps the rule on line 2" },
	{ "version 1\ndisk ata channel=0 device=0 partition=2 key=k\nkey k = random:32\n",
	  "t.txt:2: disk: key 'k': aes-xts-plain64 needs a 64-byte key" },
	{ "version 1\nnetwork e1000 bdf=0:3.0 mode=block\n",
	  "t.txt:2: network: bdf: '0:3.0' is not BB:DD.F (hex)" },
	{ "version 1\nnetwork e1000 bdf=00:03.0 mode=encrypt key=n\n",
	  "t.txt:2: network: peer: encrypt needs a unicast peer MAC (value 0)" },
	{ "version 1\nnetwork e1000 bdf=00:03.0 mode=block key=n\n",
	  "t.txt:2: network: key: not allowed for this rule" },
	{ "version 1\nnetwork e1000 bdf=00:03.0 mode=encrypt peer=52:54:00:12:34 key=n\n",
	  "t.txt:2: network: peer: '52:54:00:12:34' is not a MAC address" },
	{ "version 1\nnetwork e1000 bdf=00:20.0 mode=pass\n",
	  "t.txt:2: network: device: PCI device 0..31, function 0..7 (value 32)" },
	{ "version 1\nnetwork default mode=encrypt\n",
	  "t.txt:2: network: mode: 'encrypt' is not one of: block, pass" },
	{ "version 1\nnetwork default mode=pass bdf=00:03.0\n",
	  "t.txt:2: network: unknown option 'bdf' (expected: mode)" },
	{ "version 1\nnetwork default\n", "t.txt:2: network: missing option 'mode='" },
	{ "version 1\nnetwork e1000 bdf=00:03.0 mode=encrypt peer=52:54:00:12:34:56 key=n "
	  "cipher=gcm-aes-xpn-256\n",
	  "t.txt:2: network: cipher: 'gcm-aes-xpn-256': XPN (64-bit PN) suites are not "
	  "implemented; use gcm-aes-128 or gcm-aes-256" },
	{ "version 1\nnetwork e1000 bdf=00:03.0 mode=encrypt peer=52:54:00:12:34:56 key=n "
	  "cipher=aes\n",
	  "t.txt:2: network: cipher: 'aes' is not one of: gcm-aes-128, gcm-aes-256" },
	{ "version 1\nnetwork e1000 bdf=00:03.0 mode=pass cipher=gcm-aes-256\n",
	  "t.txt:2: network: cipher: gcm-aes-128 (0) or gcm-aes-256 (1), encrypt only (value 1)" },
	{ "version 1\nnetwork default mode=pass\nnetwork default mode=block\n",
	  "t.txt:3: network: a second default, as the rule on line 2" },
	{ "version 1\nfile path=/etc/shadow\n", "t.txt:2: file: missing option 'action='" },
	{ "version 1\nfile path=etc/shadow part=1 action=deny\n",
	  "t.txt:2: file: path: must start with '/'" },
	{ "version 1\nfile path=/etc/../shadow part=1 action=deny\n",
	  "t.txt:2: file: path: '..' component" },
	{ "version 1\nfile path=/a inode=3 part=1 action=deny\n",
	  "t.txt:2: file: give exactly one of path=, inode=" },
	{ "version 1\nfile path=/a part=1 action=require-auth\n",
	  "t.txt:2: file: action require-auth needs password=<secret name>" },
	{ "version 1\nfile path=/a part=1 action=require-auth password=k\nkey k = random\n",
	  "t.txt:2: file: key 'k': require-auth needs a password secret" },
	{ "version 1\nfile path=/a action=deny\n", "t.txt:2: file: missing option 'part='" },
	{ "version 1\nfile path=/a action=deny part=0\n",
	  "t.txt:2: file: part: not a GPT partition index 1..128 (value 0)" },
	{ "version 1\nfile path=/a action=deny part=129\n",
	  "t.txt:2: file: part: out of range (maximum 128)" },
	{ "version 1\nfile path=/a action=readonly part=1\n",
	  "t.txt:2: file: action: 'readonly' is not one of: require-auth, deny, read-only" },
	{ "version 1\nmonitor checks=idt,gdt\n",
	  "t.txt:2: monitor: checks: 'gdt' is not one of: kernel-text, idt, syscall-msrs" },
	{ "version 1\nmonitor checks=idt interval=5\n",
	  "t.txt:2: monitor: interval: must be 10..3600000 ms (value 5)" },
	{ "version 1\niommu\n", "t.txt:2: iommu: expected 'iommu auto|required|optional'" },
	{ "version 1\niommu required optional\n",
	  "t.txt:2: iommu: expected 'iommu auto|required|optional'" },
	{ "version 1\niommu mode=required\n",
	  "t.txt:2: iommu: expected 'iommu auto|required|optional'" },
	{ "version 1\niommu on\n",
	  "t.txt:2: iommu: mode: 'on' is not one of: auto, required, optional" },
	{ "version 1\niommu required\niommu optional\n",
	  "t.txt:3: iommu: given twice (first on line 2)" },
	{ "version 1\nkey k = 0011\n",
	  "t.txt:2: key: value must be 32..128 hex digits (16..64 bytes) or random[:N]" },
	{ "version 1\nkey k = random:8\n", "t.txt:2: key: random length 8 outside 16..64 bytes" },
	{ "version 1\nkey k = random\nkey k = random\n",
	  "t.txt:3: key: secret 'k' already defined (line 2)" },
	{ "version 1\nkey k random\n", "t.txt:2: key: expected 'key <name> = <value>'" },
	{ "version 1\nphrase a = \"x\"\nphrase b = \"y\"\n",
	  "t.txt:3: phrase: only one console phrase (line 2 has one)" },
	{ "version 1\npassword p = \"short\"\n",
	  "t.txt:2: password: must be at least 8 characters" },
	{ "version 1\nphrase p = \"unterminated\n", "t.txt:2: unterminated quoted string" },
	{ "version 1\nphrase p = \"bad \\n escape\"\n",
	  "t.txt:2: bad escape in quoted string (use \\\" or \\\\)" },
	{ "version 1\nphrase p = \"caf\xc3\xa9\"\n",
	  "t.txt:2: invalid byte 0xc3 (only printable ASCII)" },
	{ "version 1\n=x\n", "t.txt:2: expected a directive, got '=x'" },
	{ "version 1\nconsole uart port=com1 baud\n",
	  "t.txt:2: console: expected name=value, got 'baud'" },
	{ "version 1\nconsole uart port=\n", "t.txt:2: console: option 'port' has an empty value" },
};

static void test_bad(void **state)
{
	size_t i, failed = 0;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i].text) != -1 || strcmp(t.err, bad[i].err)) {
			print_error("case %zu: %s\n  got:  %s\n  want: %s\n", i, bad[i].text, t.err,
				    bad[i].err);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void test_limits(void **state)
{
	char text[4096];
	size_t n;
	int i;

	n = (size_t)snprintf(text, sizeof(text), "version 1\nkey k = random\n");
	for (i = 0; i <= POLICY_MAX_DISK_RULES; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "disk ahci port=%d partition=1 key=k\n", i);
	assert_int_equal(parse(text), -1);
	assert_string_equal(t.err, "t.txt:19: disk: more than 16 disk rules");

	memset(text, 'a', sizeof(text));
	memcpy(text, "version 1\n", 10);
	text[sizeof(text) - 1] = 0;
	assert_int_equal(parse(text), -1);
	assert_string_equal(t.err, "t.txt:2: line longer than 1024 characters");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_network_default),
		cmocka_unit_test(test_defaults_and_framebuffer),
		cmocka_unit_test(test_monitor_slice),
		cmocka_unit_test(test_iommu),
		cmocka_unit_test(test_secrets_file),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
