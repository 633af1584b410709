// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy blob: encode/decode round trip, every class of structural defect with
 * its message, signature verification (good, flipped bits, wrong key,
 * truncated), rollback and unsealing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>

#include "policy_encode.h"
#include "policy_text.h"

#define PASS		"test passphrase"

static const char sample[] =
	"version 5\n"
	"kdf iterations=100000\n"
	"console uart port=com2\n"
	"disk ata channel=0 device=0 partition=2 key=d0\n"
	"disk ahci port=3 lba=100-200 key=d0 iv-offset=100\n"
	"network e1000 bdf=00:03.0 mode=encrypt peer=52:54:00:12:34:56 key=n0\n"
	"file path=/etc/shadow action=require-auth password=pw part=3\n"
	"file inode=77 action=read-only part=3\n"
	"monitor checks=all period=50 budget=700\n"
	"key d0 = 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f\n"
	"key n0 = ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100\n"
	"phrase console = \"hello there\"\n"
	"password pw = \"password1\"\n";

static struct policy_text src;
static struct policy pol, pol2;
static struct policy_secrets sec;
static u8 blob[POLICY_MAX_BLOB_SIZE], blob2[POLICY_MAX_BLOB_SIZE];
static size_t len, len2;
static mbedtls_pk_context key, other;
static u8 pub[POLICY_PUBKEY_LEN], other_pub[POLICY_PUBKEY_LEN];
static u8 seal_key[POLICY_KEY_LEN];

/* Deterministic "randomness" for key generation and signing blinding. */
static int test_rng(void *ctx, unsigned char *buf, size_t n)
{
	u32 *state = ctx;

	while (n--) {
		*state = *state * 1103515245u + 12345u;
		*buf++ = (u8)(*state >> 16);
	}
	return 0;
}

static void gen_key(mbedtls_pk_context *pk, u8 point[POLICY_PUBKEY_LEN], u32 seed)
{
	mbedtls_pk_init(pk);
	assert_int_equal(mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), 0);
	assert_int_equal(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(*pk),
					     test_rng, &seed), 0);
	assert_int_equal(policy_pk_point(pk, point), 0);
}

static void sign(u8 *b, size_t n, mbedtls_pk_context *pk)
{
	u32 seed = 7;

	assert_int_equal(policy_sign(b, n, pk, test_rng, &seed), 0);
}

/* Encode the sample (fixed salt/nonce) and sign it with @key. */
static void build_sample(void)
{
	struct policy_secret *pw;
	u32 i;

	policy_text_init(&src);
	assert_int_equal(policy_text_parse(&src, sample, strlen(sample), "s.txt", 0), 0);
	assert_int_equal(policy_text_finish(&src), 0);
	pw = &src.sec.s[3];
	memset(pw->value, 0x5a, POLICY_PASSWORD_LEN);
	pw->value[16] = 0xa0;		/* 100000 iterations, little-endian */
	pw->value[17] = 0x86;
	pw->value[18] = 0x01;
	pw->value[19] = 0x00;
	pw->len = POLICY_PASSWORD_LEN;
	for (i = 0; i < POLICY_SALT_LEN; i++)
		src.pol.sealed.salt[i] = (u8)i;
	for (i = 0; i < POLICY_NONCE_LEN; i++)
		src.pol.sealed.nonce[i] = (u8)(0x80 + i);
	assert_int_equal(policy_encode(&src.pol, &src.sec, seal_key, blob, sizeof(blob), &len), 0);
	sign(blob, len, &key);
}

static int setup(void **state)
{
	static const u8 salt[POLICY_SALT_LEN] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
						  14, 15 };

	gen_key(&key, pub, 1);
	gen_key(&other, other_pub, 2);
	assert_int_equal(policy_kdf((const u8 *)PASS, strlen(PASS), salt, sizeof(salt), 100000,
				    seal_key, sizeof(seal_key)), 0);
	return 0;
}

static int teardown(void **state)
{
	mbedtls_pk_free(&key);
	mbedtls_pk_free(&other);
	return 0;
}

/* Offset of record @idx. */
static u32 rec_off(const u8 *b, u32 idx)
{
	u32 off = POLICY_HDR_LEN;

	while (idx--)
		off += POLICY_REC_HDR_LEN + (b[off + 4] | b[off + 5] << 8 | b[off + 6] << 16 |
					     (u32)b[off + 7] << 24);
	return off;
}

static void put32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

/* Parse @b and expect @err with message @msg (printf format). */
static void expect(const u8 *b, size_t n, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void expect(const u8 *b, size_t n, int err, const char *fmt, ...)
{
	struct policy_diag d;
	char want[256], got[256];
	va_list ap;
	int ret = policy_parse(b, n, &pol2, &d);

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	policy_diag_format(&d, got, sizeof(got));
	if (ret != -err || strcmp(got, want))
		print_error("ret %d (want %d)\n  got:  %s\n  want: %s\n", ret, -err, got, want);
	assert_int_equal(ret, -err);
	assert_string_equal(got, want);
}

static void test_roundtrip(void **state)
{
	struct policy_diag d;

	build_sample();
	assert_int_equal(policy_parse(blob, len, &pol, &d), 0);
	assert_int_equal(pol.version, 5);
	assert_int_equal(pol.size, len);
	assert_int_equal(pol.sections, BIT(POLICY_REC_CONSOLE) | BIT(POLICY_REC_DISK) |
			 BIT(POLICY_REC_NETWORK) | BIT(POLICY_REC_FILE) |
			 BIT(POLICY_REC_MONITOR) | BIT(POLICY_REC_SECRETS));
	assert_int_equal(pol.console.port, 0x2f8);
	assert_int_equal(pol.console.baud, 115200);
	assert_int_equal(pol.console.origin, 0);
	assert_int_equal(pol.monitor.checks, POLICY_MON_ALL);
	assert_int_equal(pol.monitor.period_ms, 50);
	assert_int_equal(pol.monitor.budget_us, 700);
	assert_int_equal(pol.n_disk, 2);
	assert_int_equal(pol.disk[0].gpt_index, 2);
	assert_int_equal(pol.disk[0].origin, 2);
	assert_int_equal(pol.disk[1].lba_start, 100);
	assert_int_equal(pol.disk[1].lba_end, 200);
	assert_int_equal(pol.disk[1].iv_offset, 100);
	assert_string_equal(pol.disk[1].key_id, "d0");
	assert_int_equal(pol.n_net, 1);
	assert_memory_equal(pol.net[0].peer_mac, src.pol.net[0].peer_mac, 6);
	assert_int_equal(pol.n_file, 2);
	assert_string_equal(pol.file[0].pattern, "/etc/shadow");
	assert_int_equal(pol.file[1].inode, 77);
	assert_int_equal(pol.file[0].part, 3);
	assert_int_equal(pol.file[0].action, POLICY_FILE_REQUIRE_AUTH);
	assert_int_equal(pol.file[1].action, POLICY_FILE_READ_ONLY);
	assert_int_equal(pol.sealed.count, 4);
	assert_string_equal(pol.sealed.info[2].name, "console");
	assert_int_equal(pol.sealed.info[2].kind, POLICY_SECRET_PHRASE);
	assert_int_equal(pol.sealed.info[2].len, 11);
	assert_memory_equal(pol.sealed.salt, src.pol.sealed.salt, POLICY_SALT_LEN);

	/* Re-encoding the decoded policy gives the same bytes. */
	assert_int_equal(policy_encode(&pol, &src.sec, seal_key, blob2, sizeof(blob2), &len2), 0);
	sign(blob2, len2, &key);
	assert_int_equal(len2, len);
	assert_memory_equal(blob2, blob, len);
}

static void test_unseal(void **state)
{
	const struct policy_secret *s;
	struct policy_diag d;
	char msg[200];

	build_sample();
	assert_int_equal(policy_load(blob, len, pub, sizeof(pub), 5, &pol, &d), 0);
	assert_int_equal(policy_unseal(&pol, (const u8 *)PASS, strlen(PASS), &sec, &d), 0);
	assert_int_equal(sec.count, 4);
	s = policy_find_secret(&sec, "d0");
	assert_non_null(s);
	assert_int_equal(s->len, 64);
	assert_memory_equal(s->value, src.sec.s[0].value, 64);
	s = policy_find_secret(&sec, "console");
	assert_memory_equal(s->value, "hello there", 11);
	policy_secrets_wipe(&sec);

	assert_int_equal(policy_unseal(&pol, (const u8 *)"wrong", 5, &sec, &d), -POLICY_E_UNSEAL);
	assert_int_equal(sec.count, 0);
	policy_diag_format(&d, msg, sizeof(msg));
	assert_string_equal(msg, "secrets do not decrypt (wrong passphrase or damaged record)");

	/* A damaged ciphertext byte fails authentication too. */
	blob[rec_off(blob, 7) + 8 + 40 + 4 * 20] ^= 0x01;
	assert_int_equal(policy_parse(blob, len, &pol, &d), 0);
	assert_int_equal(policy_unseal(&pol, (const u8 *)PASS, strlen(PASS), &sec, &d),
			 -POLICY_E_UNSEAL);

	memset(&pol, 0, sizeof(pol));
	assert_int_equal(policy_unseal(&pol, (const u8 *)PASS, strlen(PASS), &sec, &d),
			 -POLICY_E_NO_SECRETS);
}

static void test_header_defects(void **state)
{
	build_sample();
	memcpy(blob2, blob, len);
	expect(blob2, 100, POLICY_E_SHORT, "blob is 100 bytes, shorter than header and signature "
	       "(140)");
	expect(blob2, POLICY_MAX_BLOB_SIZE + 1, POLICY_E_TOO_BIG,
	       "blob is 65537 bytes, the limit is 65536");
	expect(blob2, len - 1, POLICY_E_SIZE, "blob is %zu bytes but its header says %zu",
	       len - 1, len);
	blob2[0] = 'X';
	expect(blob2, len, POLICY_E_MAGIC, "bad magic");
	blob2[0] = 'M';
	blob2[POLICY_W_HDR_FORMAT] = 2;
	expect(blob2, len, POLICY_E_FORMAT, "format version 2 not supported (this build reads 1)");
	blob2[POLICY_W_HDR_FORMAT] = 1;
	blob2[POLICY_W_HDR_HDRLEN] = 40;
	expect(blob2, len, POLICY_E_HEADER, "header: header length: must be 32 (value 40)");
	blob2[POLICY_W_HDR_HDRLEN] = 32;
	blob2[POLICY_W_HDR_RSVD] = 1;
	expect(blob2, len, POLICY_E_HEADER, "header: reserved: must be zero (value 1)");
	blob2[POLICY_W_HDR_RSVD] = 0;
	blob2[POLICY_W_HDR_VERSION] = 0;
	expect(blob2, len, POLICY_E_VERSION0, "policy version 0 is reserved");
	blob2[POLICY_W_HDR_VERSION] = 5;
	blob2[POLICY_W_HDR_COUNT] = 8;
	expect(blob2, len, POLICY_E_REC_COUNT, "header says 8 records, blob has 9");
}

static void test_record_defects(void **state)
{
	u32 disk, con, mon, sec_off, sig, file, fidx;

	build_sample();
	disk = rec_off(blob, 2);
	con = rec_off(blob, 0);
	mon = rec_off(blob, 1);
	sec_off = rec_off(blob, 7);
	sig = rec_off(blob, 8);
	memcpy(blob2, blob, len);
	put32(blob2 + disk + 4, 9000);
	expect(blob2, len, POLICY_E_REC_OVERRUN,
	       "record 2 (disk) at offset 0x%x: length 9000 exceeds blob", disk);
	memcpy(blob2, blob, len);
	blob2[disk] = 0x42;
	expect(blob2, len, POLICY_E_REC_TYPE,
	       "record 2 (type 0x42) at offset 0x%x: type not known to this build "
	       "(not marked ignorable)",
	       disk);
	blob2[disk + 2] = POLICY_REC_IGNORABLE;
	assert_int_equal(policy_parse(blob2, len, &pol2, NULL), 0);
	assert_int_equal(pol2.ignored, 1);
	assert_int_equal(pol2.n_disk, 1);
	memcpy(blob2, blob, len);
	blob2[disk + 3] = 0x80;
	expect(blob2, len, POLICY_E_REC_FLAGS,
	       "record 2 (disk) at offset 0x%x: reserved flags 0x8000 set", disk);
	memcpy(blob2, blob, len);
	blob2[mon] = POLICY_REC_CONSOLE;	/* both are 12 bytes long */
	expect(blob2, len, POLICY_E_REC_DUP,
	       "record 1 (console) at offset 0x%x: duplicate section", mon);
	memcpy(blob2, blob, len);
	put32(blob2 + con + 4, 11);
	expect(blob2, len, POLICY_E_REC_LEN,
	       "record 0 (console) at offset 0x%x: length 11, expected 12", con);
	memcpy(blob2, blob, len);
	put32(blob2 + con + 8 + 4, 115201);
	expect(blob2, len, POLICY_E_FIELD, "record 0 (console) at offset 0x%x: baud: must divide "
	       "115200, 300..115200 (value 115201)", con);
	memcpy(blob2, blob, len);
	memset(blob2 + disk + 8 + 56, 'k', 16);
	expect(blob2, len, POLICY_E_STRING,
	       "record 2 (disk) at offset 0x%x: key: not NUL-terminated", disk);
	memcpy(blob2, blob, len);
	blob2[disk + 8 + 72] = 0x07;
	expect(blob2, len, POLICY_E_STRING,
	       "record 2 (disk) at offset 0x%x: model: non-printable byte", disk);
	memcpy(blob2, blob, len);
	blob2[disk + 8 + 56 + 3] = 'x';		/* "d0\0x": garbage after the NUL */
	expect(blob2, len, POLICY_E_STRING, "record 2 (disk) at offset 0x%x: key: non-zero "
	       "bytes after the terminating NUL", disk);
	memcpy(blob2, blob, len);
	blob2[disk + 8 + 57] = '9';		/* d0 -> d9 */
	expect(blob2, len, POLICY_E_KEYREF,
	       "record 2 (disk) at offset 0x%x: key 'd9' names no secret", disk);
	memcpy(blob2, blob, len);
	blob2[disk + 8 + 56] = 'n';		/* d0 -> n0, a 32-byte key */
	expect(blob2, len, POLICY_E_KEYKIND, "record 2 (disk) at offset 0x%x: key 'n0': "
	       "aes-xts-plain64 needs a 64-byte key", disk);
	memcpy(blob2, blob, len);
	put32(blob2 + sec_off + 8 + 4, 99999);
	expect(blob2, len, POLICY_E_FIELD, "record 7 (secrets) at offset 0x%x: iterations: "
	       "outside the allowed 100000..10000000 (value 99999)", sec_off);
	for (file = 0; blob[rec_off(blob, file)] != POLICY_REC_FILE; file++)
		;
	fidx = file;
	file = rec_off(blob, fidx);
	memcpy(blob2, blob, len);
	put32(blob2 + file + 8 + 4, 0);		/* a format-1 rule without a partition */
	expect(blob2, len, POLICY_E_FIELD, "record %u (file) at offset 0x%x: part: not a GPT "
	       "partition index 1..128 (value 0)", fidx, file);
	memcpy(blob2, blob, len);
	blob2[file + 8 + 1] = 4;
	expect(blob2, len, POLICY_E_FIELD, "record %u (file) at offset 0x%x: action: not "
	       "require-auth (1), deny (2) or read-only (3) (value 4)", fidx, file);
	memcpy(blob2, blob, len);
	blob2[file + 8 + 3] = 1;
	assert_int_equal(policy_parse(blob2, len, &pol2, NULL), -POLICY_E_FIELD);
	memcpy(blob2, blob, len);
	blob2[sig] = 0x43;
	blob2[sig + 2] = POLICY_REC_IGNORABLE;
	expect(blob2, len, POLICY_E_NO_SIG, "no signature record");
	memcpy(blob2, blob, len);
	blob2[sig + 8] = 2;
	expect(blob2, len, POLICY_E_SIG_ALG,
	       "record 8 (signature) at offset 0x%x: unsupported signature algorithm 2", sig);
	memcpy(blob2, blob, len);
	put32(blob2 + sig + 4, 99);
	expect(blob2, len, POLICY_E_REC_LEN,
	       "record 8 (signature) at offset 0x%x: length 99, expected 100", sig);
}

/* The iommu record: round trip of each mode, its defects, and an old reader's view. */
static void test_iommu(void **state)
{
	static const char text[] = "version 2\niommu required\nconsole uart port=com2\n";
	struct policy_text t;
	struct policy_diag d;
	u32 rec;
	u8 m;

	policy_text_init(&t);
	assert_int_equal(policy_text_parse(&t, text, strlen(text), "i.txt", 0), 0);
	assert_int_equal(policy_text_finish(&t), 0);
	for (m = POLICY_IOMMU_AUTO; m <= POLICY_IOMMU_OPTIONAL; m++) {
		t.pol.iommu.mode = m;
		assert_int_equal(policy_encode(&t.pol, NULL, seal_key, blob2, sizeof(blob2),
					       &len2), 0);
		sign(blob2, len2, &key);
		assert_int_equal(policy_load(blob2, len2, pub, sizeof(pub), 0, &pol2, &d), 0);
		assert_int_equal(pol2.sections, BIT(POLICY_REC_CONSOLE) | BIT(POLICY_REC_IOMMU));
		assert_int_equal(pol2.iommu.mode, m);
		assert_int_equal(policy_iommu_mode(&pol2), m);
	}
	/* encoder order: console, monitor, iommu, ... */
	rec = rec_off(blob2, 1);
	assert_int_equal(blob2[rec], POLICY_REC_IOMMU);
	assert_int_equal(blob2[rec + 4], POLICY_IOMMU_LEN);
	assert_int_equal(blob2[rec + 8], POLICY_IOMMU_OPTIONAL);
	memcpy(blob, blob2, len2);
	blob[rec + 8] = 0;
	expect(blob, len2, POLICY_E_FIELD, "record 1 (iommu) at offset 0x%x: mode: not auto (1), "
	       "required (2) or optional (3) (value 0)", rec);
	blob[rec + 8] = 4;
	expect(blob, len2, POLICY_E_FIELD, "record 1 (iommu) at offset 0x%x: mode: not auto (1), "
	       "required (2) or optional (3) (value 4)", rec);
	blob[rec + 8] = POLICY_IOMMU_REQUIRED;
	blob[rec + 11] = 1;
	expect(blob, len2, POLICY_E_FIELD, "record 1 (iommu) at offset 0x%x: reserved: reserved "
	       "bytes must be zero (value 1)", rec);
	memcpy(blob, blob2, len2);
	put32(blob + rec + 4, 8);
	expect(blob, len2, POLICY_E_REC_LEN,
	       "record 1 (iommu) at offset 0x%x: length 8, expected 4", rec);
	/* A second iommu record (the console record turned into one: same type twice). */
	memcpy(blob, blob2, len2);
	rec = rec_off(blob2, 0);
	blob[rec] = POLICY_REC_IOMMU;
	put32(blob + rec + 4, 12);
	expect(blob, len2, POLICY_E_REC_LEN,
	       "record 0 (iommu) at offset 0x%x: length 12, expected 4", rec);
	/* A VMM that predates the record refuses it (not ignorable): never a silent auto. */
	memcpy(blob, blob2, len2);
	rec = rec_off(blob2, 1);
	blob[rec] = 0x42;
	expect(blob, len2, POLICY_E_REC_TYPE, "record 1 (type 0x42) at offset 0x%x: type not "
	       "known to this build (not marked ignorable)", rec);
	/* no iommu record: auto */
	t.pol.sections &= ~BIT(POLICY_REC_IOMMU);
	assert_int_equal(policy_encode(&t.pol, NULL, seal_key, blob2, sizeof(blob2), &len2), 0);
	sign(blob2, len2, &key);
	assert_int_equal(policy_parse(blob2, len2, &pol2, NULL), 0);
	assert_int_equal(policy_iommu_mode(&pol2), POLICY_IOMMU_AUTO);
}

static void test_conflict(void **state)
{
	u32 d1;

	build_sample();
	memcpy(blob2, blob, len);
	d1 = rec_off(blob, 3);

	/* Make rule 3 (ahci port 3, LBA) the same target and range as rule 2. */
	memcpy(blob2 + d1 + 8, blob + rec_off(blob, 2) + 8, POLICY_DISK_LEN);
	expect(blob2, len, POLICY_E_CONFLICT, "record 3 (disk) at offset 0x%x: overlaps the rule "
	       "of record 2", d1);
}

/* The policy-wide network default: encoded, decoded, and its fields checked. */
static void test_network_default(void **state)
{
	static const char txt[] = "version 1\nnetwork default mode=pass\n"
				  "network e1000 bdf=00:03.0 mode=block\n"
				  "network e1000 bdf=00:04.0 mode=encrypt peer=52:54:00:12:34:56 "
				  "key=n cipher=gcm-aes-256\nkey n = random:32\n";
	static struct policy_text t;
	u32 r0;

	policy_text_init(&t);
	assert_int_equal(policy_text_parse(&t, txt, strlen(txt), "n.txt", 0), 0);
	assert_int_equal(policy_text_finish(&t), 0);
	assert_int_equal(policy_encode(&t.pol, &t.sec, seal_key, blob2, sizeof(blob2), &len2), 0);
	assert_int_equal(policy_parse(blob2, len2, &pol, NULL), 0);
	assert_int_equal(pol.n_net, 3);
	assert_int_equal(pol.net[2].cipher, POLICY_NET_GCM_AES_256);
	assert_int_equal(pol.net[1].cipher, POLICY_NET_GCM_AES_128);
	r0 = rec_off(blob2, 2);
	blob2[r0 + 8 + 5] = 2;	/* cipher: neither suite */
	expect(blob2, len2, POLICY_E_FIELD, "record 2 (network) at offset 0x%x: cipher: "
	       "gcm-aes-128 (0) or gcm-aes-256 (1), encrypt only (value 2)", r0);
	blob2[r0 + 8 + 5] = 1;
	assert_int_equal(pol.net[0].nic, POLICY_NIC_DEFAULT);
	assert_int_equal(pol.net[0].mode, POLICY_NET_PASS);
	assert_int_equal(policy_net_mode(&pol, 0, 3, 0, NULL), POLICY_NET_BLOCK);
	assert_int_equal(policy_net_mode(&pol, 0, 5, 0, NULL), POLICY_NET_PASS);
	r0 = rec_off(blob2, 0);
	blob2[r0 + 8 + 1] = POLICY_NET_ENCRYPT;
	expect(blob2, len2, POLICY_E_FIELD, "record 0 (network) at offset 0x%x: mode: the "
	       "default is block or pass (value 1)", r0);
	blob2[r0 + 8 + 1] = POLICY_NET_PASS;
	blob2[r0 + 8 + 3] = 3;
	expect(blob2, len2, POLICY_E_FIELD, "record 0 (network) at offset 0x%x: bus: the "
	       "default names no PCI function (value 0)", r0);
	blob2[r0 + 8 + 3] = 0;
	blob2[r0 + 8] = 2;
	expect(blob2, len2, POLICY_E_FIELD, "record 0 (network) at offset 0x%x: nic: only "
	       "e1000 (1) or default (255) (value 2)", r0);
}

static void test_verify(void **state)
{
	struct policy_diag d;
	char msg[200];
	u8 bad_pub[POLICY_PUBKEY_LEN];
	size_t i, tried = 0, rejected = 0;

	build_sample();
	assert_int_equal(policy_verify(blob, len, pub, sizeof(pub), &d), 0);

	/* Any flipped bit in the signed bytes or the signature is rejected. */
	for (i = 0; i < len; i += 5) {
		if (i >= len - POLICY_SIGREC_LEN && i < len - POLICY_SIGREC_LEN + 36)
			continue;	/* alg, reserved, key id: own tests below */
		blob[i] ^= (u8)(1u << (i % 8));
		tried++;
		rejected += policy_verify(blob, len, pub, sizeof(pub), &d) != 0;
		if (i >= POLICY_HDR_LEN && i < len - POLICY_SIG_TOTAL)
			assert_int_equal(d.err, -POLICY_E_SIG_BAD);
		blob[i] ^= (u8)(1u << (i % 8));
	}
	assert_true(tried > 100);
	assert_int_equal(rejected, tried);
	blob[100] ^= 1;
	assert_int_equal(policy_verify(blob, len, pub, sizeof(pub), &d), -POLICY_E_SIG_BAD);
	blob[100] ^= 1;
	policy_diag_format(&d, msg, sizeof(msg));
	assert_string_equal(msg, "signature does not verify");

	/* Another key: the fingerprint in the signature record does not match. */
	assert_int_equal(policy_verify(blob, len, other_pub, sizeof(other_pub), &d),
			 -POLICY_E_SIG_KEY);
	policy_diag_format(&d, msg, sizeof(msg));
	assert_int_equal(strncmp(msg, "signed by key ", 14), 0);
	assert_string_equal(msg + 14 + 16, "..., not the trusted key");
	/* Signed by another key that claims the trusted key's fingerprint. */
	memcpy(blob2, blob, len);
	sign(blob2, len, &other);
	policy_fingerprint(pub, sizeof(pub), blob2 + len - POLICY_SIGREC_LEN + 4);
	assert_int_equal(policy_verify(blob2, len, pub, sizeof(pub), &d), -POLICY_E_SIG_BAD);

	/* Truncated (the header's size no longer matches), or cut short. */
	assert_int_equal(policy_verify(blob, len - 1, pub, sizeof(pub), &d), -POLICY_E_SIZE);
	assert_int_equal(policy_verify(blob, 20, pub, sizeof(pub), &d), -POLICY_E_SHORT);

	/* An invalid trusted key (not on the curve), even if the key id matches. */
	memset(bad_pub, 0x04, sizeof(bad_pub));
	memcpy(blob2, blob, len);
	policy_fingerprint(bad_pub, sizeof(bad_pub), blob2 + len - POLICY_SIGREC_LEN + 4);
	assert_int_equal(policy_verify(blob2, len, bad_pub, sizeof(bad_pub), &d),
			 -POLICY_E_PUBKEY);
	assert_int_equal(policy_verify(blob, len, pub, 64, &d), -POLICY_E_PUBKEY);
}

static void test_rollback(void **state)
{
	struct policy_diag d;
	char msg[200];

	assert_int_equal(policy_check_rollback(7, 7, &d), 0);
	assert_int_equal(policy_check_rollback(8, 7, &d), 0);
	assert_int_equal(policy_check_rollback(4, 7, &d), -POLICY_E_ROLLBACK);
	policy_diag_format(&d, msg, sizeof(msg));
	assert_string_equal(msg, "version 4 is older than accepted version 7");

	build_sample();
	assert_int_equal(policy_load(blob, len, pub, sizeof(pub), 6, &pol, &d), -POLICY_E_ROLLBACK);
	policy_diag_format(&d, msg, sizeof(msg));
	assert_string_equal(msg, "version 5 is older than accepted version 6");
	assert_int_equal(policy_load(blob, len, pub, sizeof(pub), 0, &pol, &d), 0);
}

/* Fail closed on coverage: every present rule section outside the mask is named. */
static void test_unenforced_section(void **state)
{
	const u32 disk_console = BIT(POLICY_REC_CONSOLE) | BIT(POLICY_REC_DISK);
	struct policy p;

	build_sample();
	assert_int_equal(policy_parse(blob, len, &p, NULL), 0);
	/* sample has console com2, disk, network, file and monitor sections */
	assert_int_equal(policy_unenforced_section(&p, disk_console, 0x2f8), POLICY_REC_NETWORK);
	p.sections &= ~BIT(POLICY_REC_NETWORK);
	assert_int_equal(policy_unenforced_section(&p, disk_console, 0x2f8), POLICY_REC_FILE);
	p.sections &= ~BIT(POLICY_REC_FILE);
	assert_int_equal(policy_unenforced_section(&p, disk_console, 0x2f8), POLICY_REC_MONITOR);
	p.sections &= ~BIT(POLICY_REC_MONITOR);
	assert_int_equal(policy_unenforced_section(&p, disk_console, 0x2f8), 0);
	/* a console other than the one the VMM prompts on is not enforced */
	assert_int_equal(policy_unenforced_section(&p, disk_console, 0x3f8), POLICY_REC_CONSOLE);
	p.console.kind = POLICY_CONSOLE_FB_PS2;
	p.console.port = 0;
	assert_int_equal(policy_unenforced_section(&p, disk_console, 0), POLICY_REC_CONSOLE);
	/* a disk rule without a disk intercept in the mask */
	p.sections &= ~BIT(POLICY_REC_CONSOLE);
	assert_int_equal(policy_unenforced_section(&p, BIT(POLICY_REC_CONSOLE), 0x2f8),
			 POLICY_REC_DISK);
	/* an iommu section the build does not enforce is named too */
	p.sections = BIT(POLICY_REC_IOMMU);
	p.iommu.mode = POLICY_IOMMU_REQUIRED;
	assert_int_equal(policy_unenforced_section(&p, disk_console, 0x2f8), POLICY_REC_IOMMU);
	assert_int_equal(policy_unenforced_section(&p, BIT(POLICY_REC_IOMMU), 0x2f8), 0);
	p.sections = 0;
	assert_int_equal(policy_unenforced_section(&p, 0, 0x2f8), 0);
}

static void test_strerror(void **state)
{
	int i;

	for (i = 0; i < POLICY_E_COUNT; i++)
		assert_non_null(policy_strerror(-i));
	assert_string_equal(policy_strerror(-POLICY_E_SIG_BAD), "signature does not verify");
	assert_string_equal(policy_strerror(1000), "unknown policy error");
	assert_string_equal(policy_section_name(POLICY_REC_FILE), "file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_unseal),
		cmocka_unit_test(test_header_defects),
		cmocka_unit_test(test_record_defects),
		cmocka_unit_test(test_iommu),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_network_default),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_rollback),
		cmocka_unit_test(test_unenforced_section),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
