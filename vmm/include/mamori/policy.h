/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Signed policy blob: decoder, validator, verifier and unsealer.
 *
 * Built twice: freestanding into vmm.elf and on the host (mamori-policy, unit
 * tests, fuzzers). No allocation: everything decodes into caller-provided
 * fixed-size structs whose limits are the POLICY_MAX_* constants below.
 * The byte layout is documented in docs/policy.md; POLICY_W_* are its offsets.
 *
 * Boot-time use (see policy_load()):
 *   policy_verify() -> policy_parse() -> policy_check_rollback() -> policy_unseal()
 * Every function returns 0 or a negative enum policy_err and, when @diag is
 * not NULL, fills it so policy_diag_format() can name the record, the offset
 * and the defect.
 */
#ifndef MAMORI_POLICY_H
#define MAMORI_POLICY_H

#include <mamori/types.h>

/* ---- limits and constants ---------------------------------------------- */
#define POLICY_MAGIC			"MAMORIPB"	/* 8 bytes, no NUL */
#define POLICY_FORMAT_VERSION		1
#define POLICY_MAX_BLOB_SIZE		65536
#define POLICY_MAX_RECORDS		128
#define POLICY_MAX_DISK_RULES		16
#define POLICY_MAX_NET_RULES		4
#define POLICY_MAX_FILE_RULES		32
#define POLICY_MAX_SECRETS		16
#define POLICY_SECRET_MAX_LEN		64
#define POLICY_NAME_LEN			16	/* key id: 1..15 of [a-z0-9_-], NUL-padded */
#define POLICY_MODEL_LEN		40	/* ATA/NVMe model string */
#define POLICY_SERIAL_LEN		20	/* ATA/NVMe serial string */
#define POLICY_PATTERN_LEN		128	/* file path pattern, NUL-padded */
#define POLICY_KDF_MIN_ITERATIONS	100000u
#define POLICY_KDF_DEFAULT_ITERATIONS	600000u
#define POLICY_KDF_MAX_ITERATIONS	10000000u
#define POLICY_SALT_LEN			16
#define POLICY_NONCE_LEN		12
#define POLICY_TAG_LEN			16
#define POLICY_KEY_LEN			32	/* AES-256 sealing key */
#define POLICY_PUBKEY_LEN		65	/* uncompressed P-256 point 04||X||Y */
#define POLICY_FPR_LEN			32	/* SHA-256 of the 65-byte point */
#define POLICY_SIG_LEN			64	/* r||s, big-endian, 32 bytes each */
#define POLICY_DISK_KEY_LEN		64	/* aes-xts-plain64, 512-bit key */
#define POLICY_NET_KEY_LEN		32
#define POLICY_PASSWORD_LEN		52	/* salt16 || iterations u32 || hash32 */

/* ---- wire layout (little-endian, no padding; docs/policy.md) ------------ */
#define POLICY_HDR_LEN			32	/* magic8 fmt2 hdrlen2 size4 version8 count4 rsvd4 */
#define POLICY_W_HDR_FORMAT		8
#define POLICY_W_HDR_HDRLEN		10
#define POLICY_W_HDR_SIZE		12
#define POLICY_W_HDR_VERSION		16
#define POLICY_W_HDR_COUNT		24
#define POLICY_W_HDR_RSVD		28
#define POLICY_REC_HDR_LEN		8	/* type2 flags2 length4 */
#define POLICY_REC_IGNORABLE		0x0001	/* unknown type may be skipped */

#define POLICY_CONSOLE_LEN		12	/* kind1 rsvd1 port2 baud4 timeout4 */
#define POLICY_DISK_LEN			132
#define POLICY_NET_LEN			28
#define POLICY_FILE_LEN			160
#define POLICY_MONITOR_LEN		12	/* checks4 interval_ms4 action1 rsvd3 */
#define POLICY_IOMMU_LEN		4	/* mode1 rsvd3 */
#define POLICY_SECRETS_FIXED_LEN	40	/* then table, ciphertext, tag16 */
#define POLICY_SECRET_ENTRY_LEN		20	/* name16 kind1 rsvd1 len2 */
#define POLICY_SIGREC_LEN		100	/* alg1 rsvd3 fpr32 sig64 */
#define POLICY_SIG_TOTAL		(POLICY_REC_HDR_LEN + POLICY_SIGREC_LEN)
#define POLICY_SECRETS_AAD_MAX		(POLICY_REC_HDR_LEN + POLICY_SECRETS_FIXED_LEN + \
					 POLICY_MAX_SECRETS * POLICY_SECRET_ENTRY_LEN)

/* Record types; the BIT(type) of each present section is set in policy.sections. */
enum policy_rec_type {
	POLICY_REC_CONSOLE = 1,
	POLICY_REC_DISK = 2,
	POLICY_REC_NETWORK = 3,
	POLICY_REC_FILE = 4,
	POLICY_REC_MONITOR = 5,
	POLICY_REC_IOMMU = 6,
	POLICY_REC_SECRETS = 16,
	POLICY_REC_SIGNATURE = 255,
};

enum policy_console_kind { POLICY_CONSOLE_UART = 1, POLICY_CONSOLE_FB_PS2 = 2 };
enum policy_disk_match {
	POLICY_DISK_ATA = 1,		/* controller, port = channel 0/1, unit = device 0/1 */
	POLICY_DISK_AHCI = 2,		/* controller, port = 0..31, unit = 0 */
	POLICY_DISK_NVME = 3,		/* controller, port = 0, unit = namespace id */
	POLICY_DISK_IDENTITY = 4,	/* model and/or serial string */
};
enum policy_disk_range {
	POLICY_RANGE_LBA = 1,		/* [lba_start, lba_end) */
	POLICY_RANGE_GPT_GUID = 2,	/* partition with unique GUID gpt_guid */
	POLICY_RANGE_GPT_INDEX = 3,	/* GPT partition entry gpt_index (1-based) */
};
enum policy_cipher { POLICY_CIPHER_AES_XTS_PLAIN64 = 1 };
enum policy_net_mode { POLICY_NET_ENCRYPT = 1, POLICY_NET_BLOCK = 2, POLICY_NET_PASS = 3 };
/* A network rule's MACsec cipher suite (encrypt only; 0 = the default). */
enum policy_net_cipher { POLICY_NET_GCM_AES_128 = 0, POLICY_NET_GCM_AES_256 = 1 };
/*
 * POLICY_NIC_DEFAULT: the policy-wide default (`network default mode=M`),
 * for every NIC no other rule names; bdf zero, block or pass only, at most
 * one. Without it the default is block (see policy_net_mode()).
 */
enum policy_nic { POLICY_NIC_E1000 = 1, POLICY_NIC_DEFAULT = 0xff };
enum policy_file_match { POLICY_FILE_PATH = 1, POLICY_FILE_INODE = 2 };
enum policy_file_action {
	POLICY_FILE_REQUIRE_AUTH = 1,
	POLICY_FILE_DENY = 2,
	POLICY_FILE_READ_ONLY = 3,	/* reads allowed, every change refused */
};
/* GPT partition indexes a file rule may name (part=N, 1-based). */
#define POLICY_FILE_PART_MAX		128
enum policy_monitor_check {
	POLICY_MON_KERNEL_TEXT = 1u << 0,
	POLICY_MON_IDT = 1u << 1,
	POLICY_MON_SYSCALL_MSRS = 1u << 2,
};
#define POLICY_MON_ALL			0x7u
enum policy_monitor_action { POLICY_MON_ALERT = 1, POLICY_MON_HALT = 2 };
/*
 * What the boot does about DMA remapping (docs/policy.md, "iommu"). A policy
 * without an iommu record means POLICY_IOMMU_AUTO.
 */
enum policy_iommu_mode {
	POLICY_IOMMU_AUTO = 1,		/* use it when present; a failure stops the boot */
	POLICY_IOMMU_REQUIRED = 2,	/* no remapping hardware stops the boot too */
	POLICY_IOMMU_OPTIONAL = 3,	/* a failure is logged and the boot goes on */
};
enum policy_secret_kind {
	POLICY_SECRET_KEY = 1,		/* raw key bytes, 16..64 */
	POLICY_SECRET_PHRASE = 2,	/* console anti-spoofing phrase, printable, 1..64 */
	POLICY_SECRET_PASSWORD = 3,	/* salt16 || iter u32 || PBKDF2-SHA256 hash32 */
};
enum policy_kdf { POLICY_KDF_PBKDF2_SHA256 = 1 };
enum policy_aead { POLICY_AEAD_AES256_GCM = 1 };
enum policy_sig_alg { POLICY_SIG_ECDSA_P256_SHA256 = 1 };

/* ---- decoded policy ------------------------------------------------------ */
/*
 * @origin in each rule: the record index when decoded from a blob, the line
 * number when built by the text parser; error reports use it.
 */
struct policy_console {
	u8 kind;			/* enum policy_console_kind */
	u16 port;			/* UART I/O port (0 for framebuffer) */
	u32 baud;			/* 0 for framebuffer */
	u32 timeout_s;			/* file-access dialog session timeout */
	u32 origin;
};

struct policy_disk_rule {
	u8 match;			/* enum policy_disk_match */
	u8 range;			/* enum policy_disk_range */
	u8 cipher;			/* enum policy_cipher */
	u16 controller;
	u16 port;
	u32 unit;
	u32 gpt_index;
	u64 lba_start, lba_end;
	u8 gpt_guid[16];		/* as stored in the GPT entry (mixed-endian) */
	u64 iv_offset;			/* added to the sector number (dm-crypt iv_offset) */
	char key_id[POLICY_NAME_LEN];
	char model[POLICY_MODEL_LEN + 1];
	char serial[POLICY_SERIAL_LEN + 1];
	u32 origin;
};

struct policy_net_rule {
	u8 nic;				/* enum policy_nic */
	u8 mode;			/* enum policy_net_mode */
	u8 bus, dev, fn;
	u8 cipher;			/* enum policy_net_cipher */
	u8 peer_mac[6];
	char key_id[POLICY_NAME_LEN];
	u32 origin;
};

struct policy_file_rule {
	u8 match;			/* enum policy_file_match */
	u8 action;			/* enum policy_file_action */
	u32 part;			/* GPT partition index 1..128 (docs/policy.md) */
	u64 inode;
	char key_id[POLICY_NAME_LEN];	/* password secret for require-auth */
	char pattern[POLICY_PATTERN_LEN + 1];
	u32 origin;
};

struct policy_monitor {
	u32 checks;			/* enum policy_monitor_check bits */
	u32 interval_ms;
	u8 action;			/* enum policy_monitor_action */
	u32 period_ms;			/* slice period, 10..1000 ms (multiple of 10); 0 = 100 */
	u32 budget_us;			/* slice budget, 100..50000 us; 0 = 2000 */
	u32 origin;
};

struct policy_iommu {
	u8 mode;			/* enum policy_iommu_mode */
	u32 origin;
};

struct policy_secret_info {
	char name[POLICY_NAME_LEN];
	u8 kind;			/* enum policy_secret_kind */
	u16 len;
};

/* The sealed secrets record as stored; names, kinds and lengths are public. */
struct policy_sealed {
	u8 kdf, aead;
	u32 iterations;
	u8 salt[POLICY_SALT_LEN];
	u8 nonce[POLICY_NONCE_LEN];
	u8 tag[POLICY_TAG_LEN];
	u16 count;
	struct policy_secret_info info[POLICY_MAX_SECRETS];
	u32 ct_len;
	u8 ct[POLICY_MAX_SECRETS * POLICY_SECRET_MAX_LEN];
	u32 aad_len;			/* GCM AAD: record header + clear part */
	u8 aad[POLICY_SECRETS_AAD_MAX];
	u32 origin;
};

struct policy {
	u16 format_version;
	u64 version;			/* policy version, monotonic (anti-rollback) */
	u32 size;			/* whole blob, signature included */
	u32 sections;			/* BIT(enum policy_rec_type) of each present */
	u32 ignored;			/* unknown records skipped (IGNORABLE flag) */
	struct policy_console console;
	struct policy_monitor monitor;
	struct policy_iommu iommu;	/* valid when sections has BIT(IOMMU) */
	u32 n_disk, n_net, n_file;
	struct policy_disk_rule disk[POLICY_MAX_DISK_RULES];
	struct policy_net_rule net[POLICY_MAX_NET_RULES];
	struct policy_file_rule file[POLICY_MAX_FILE_RULES];
	struct policy_sealed sealed;	/* valid when sections has BIT(SECRETS) */
	u8 signer[POLICY_FPR_LEN];	/* key fingerprint named by the signature */
};

struct policy_secret {
	char name[POLICY_NAME_LEN];
	u8 kind;
	u16 len;
	u8 value[POLICY_SECRET_MAX_LEN];
};

/* Plaintext secrets; wipe with policy_secrets_wipe() when done. */
struct policy_secrets {
	u32 count;
	struct policy_secret s[POLICY_MAX_SECRETS];
};

/* ---- errors -------------------------------------------------------------- */
enum policy_err {
	POLICY_OK = 0,
	POLICY_E_ARG,			/* invalid argument */
	POLICY_E_SHORT,			/* blob shorter than header + signature */
	POLICY_E_TOO_BIG,
	POLICY_E_MAGIC,
	POLICY_E_FORMAT,		/* unsupported format version */
	POLICY_E_HEADER,		/* bad header field */
	POLICY_E_SIZE,			/* header size != blob size */
	POLICY_E_REC_TRUNC,		/* record header past the end */
	POLICY_E_REC_OVERRUN,		/* record payload past the end */
	POLICY_E_REC_LEN,		/* wrong payload length for its type */
	POLICY_E_REC_TYPE,		/* unknown, non-ignorable type */
	POLICY_E_REC_FLAGS,
	POLICY_E_REC_DUP,		/* second singleton section */
	POLICY_E_REC_MANY,		/* more rules than POLICY_MAX_* */
	POLICY_E_REC_COUNT,		/* header record count mismatch */
	POLICY_E_FIELD,			/* a field has an invalid value */
	POLICY_E_STRING,		/* a string field is malformed */
	POLICY_E_KEYREF,		/* key id names no secret */
	POLICY_E_KEYKIND,		/* key id names a secret of the wrong kind/length */
	POLICY_E_CONFLICT,		/* two rules claim the same object */
	POLICY_E_NO_SIG,		/* signature record missing or not last */
	POLICY_E_SIG_ALG,
	POLICY_E_SIG_KEY,		/* signed by another key */
	POLICY_E_SIG_BAD,		/* signature does not verify */
	POLICY_E_PUBKEY,		/* trusted public key invalid */
	POLICY_E_VERSION0,
	POLICY_E_ROLLBACK,
	POLICY_E_NO_SECRETS,
	POLICY_E_UNSEAL,		/* GCM authentication failed */
	POLICY_E_SECRET,		/* decrypted secret content invalid */
	POLICY_E_CRYPTO,		/* mbedTLS error (code in diag.a) */
	POLICY_E_COUNT
};

/*
 * struct policy_diag - context of the last error: @rec is the record index
 * (-1: none), @type its type, @off its byte offset, @a/@b the values the message
 * names, @field the field or key id, @why a short reason.
 */
struct policy_diag {
	int err;
	s32 rec;
	u16 type;
	u32 off;
	u64 a, b;
	char field[POLICY_NAME_LEN + 8];
	const char *why;
};

/* policy_strerror - a fixed description of @err (positive or negative). */
const char *policy_strerror(int err);

/*
 * policy_diag_format - "record 3 (disk) at offset 0x120: length 900 exceeds blob"
 * into @buf (always NUL-terminated when @size > 0); returns the length written.
 */
size_t policy_diag_format(const struct policy_diag *d, char *buf, size_t size);

/* policy_section_name - "console", "disk", ... or "unknown". */
const char *policy_section_name(u16 type);

/* ---- the boot-time API ---------------------------------------------------- */
/*
 * policy_verify - check the header, locate the signature record and verify the
 * ECDSA P-256/SHA-256 signature over every byte before it with @pubkey (a
 * 65-byte uncompressed point). Does not decode the records.
 */
int policy_verify(const u8 *blob, size_t len, const u8 *pubkey, size_t pubkey_len,
		  struct policy_diag *diag);

/*
 * policy_parse - decode and fully validate every record into @out (zeroed
 * first). Does NOT check the signature: call policy_verify() first.
 */
int policy_parse(const u8 *blob, size_t len, struct policy *out, struct policy_diag *diag);

/* policy_check_rollback - 0 if @version >= @highest_accepted, else POLICY_E_ROLLBACK. */
int policy_check_rollback(u64 version, u64 highest_accepted, struct policy_diag *diag);

/*
 * policy_unseal - derive the sealing key with PBKDF2-HMAC-SHA256(@pass, salt,
 * iterations), open the AES-256-GCM secrets and validate them into @out.
 * Intermediate key material is wiped; @out is wiped on failure.
 */
int policy_unseal(const struct policy *pol, const u8 *pass, size_t pass_len,
		  struct policy_secrets *out, struct policy_diag *diag);

/* policy_load - verify, parse and rollback-check in that order. */
int policy_load(const u8 *blob, size_t len, const u8 *pubkey, size_t pubkey_len,
		u64 highest_accepted, struct policy *out, struct policy_diag *diag);

/* policy_find_secret - the secret named @name, or NULL. */
const struct policy_secret *policy_find_secret(const struct policy_secrets *s,
					       const char *name);

/* policy_secrets_wipe - zeroize @s. */
void policy_secrets_wipe(struct policy_secrets *s);

/*
 * The trusted signer's key, built into vmm.elf from build/gen/policy_pubkey.c
 * (mgmt/mgmt.mk, `make POLICY_PUBKEY=file`); @policy_pubkey_dev is true for the
 * generated development key.
 */
extern const u8 policy_pubkey[POLICY_PUBKEY_LEN];
extern const char policy_pubkey_fpr[];
extern const bool policy_pubkey_dev;

/* ---- shared with the host encoder and text parser ------------------------ */
/* Semantic checks of one decoded item; on error @d names the field. */
int policy_check_console(const struct policy_console *c, struct policy_diag *d);
int policy_check_disk(const struct policy_disk_rule *r, struct policy_diag *d);
int policy_check_net(const struct policy_net_rule *r, struct policy_diag *d);
int policy_check_file(const struct policy_file_rule *r, struct policy_diag *d);
int policy_check_monitor(const struct policy_monitor *m, struct policy_diag *d);
int policy_check_iommu(const struct policy_iommu *i, struct policy_diag *d);
int policy_check_secret_info(const struct policy_secret_info *s, struct policy_diag *d);
int policy_check_name(const char *name, bool allow_empty);
/* Cross-record checks: key references, conflicting rules; d->rec = origin. */
int policy_check_refs(const struct policy *pol, struct policy_diag *d);

/*
 * policy_unenforced_section - the first rule section of @pol that is present
 * but not in @enforced (a mask of BIT(enum policy_rec_type)), or 0 when every
 * present section is enforced. A console section counts as enforced only when
 * it names the UART at @console_port (the one the VMM prompts on). The VMM
 * refuses a policy this returns non-zero for: a rule it cannot enforce is
 * never "logged and going on".
 */
u16 policy_unenforced_section(const struct policy *pol, u32 enforced, u16 console_port);

/*
 * policy_net_mode - the enum policy_net_mode the policy gives the NIC at PCI
 * @bus:@dev.@fn: its own rule, else the policy's default rule, else block.
 * @rule, when not NULL, receives the rule that decided (NULL: built-in default).
 */
u8 policy_net_mode(const struct policy *pol, u8 bus, u8 dev, u8 fn,
		   const struct policy_net_rule **rule);

/**
 * policy_iommu_mode - the enum policy_iommu_mode @pol asks for:
 * POLICY_IOMMU_AUTO when @pol is NULL or has no iommu record.
 */
u8 policy_iommu_mode(const struct policy *pol);

/* policy_kdf - PBKDF2-HMAC-SHA256 into @out (@out_len bytes). */
int policy_kdf(const u8 *pass, size_t pass_len, const u8 *salt, size_t salt_len,
	       u32 iterations, u8 *out, size_t out_len);

/* policy_secrets_decode - split decrypted @plain per @sealed's table and validate. */
int policy_secrets_decode(const struct policy_sealed *sealed, const u8 *plain,
			  struct policy_secrets *out, struct policy_diag *d);

/* policy_fingerprint - SHA-256 of the 65-byte public key. */
int policy_fingerprint(const u8 *pubkey, size_t len, u8 out[POLICY_FPR_LEN]);

#endif
