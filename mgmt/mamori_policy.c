// SPDX-License-Identifier: GPL-2.0-only
/*
 * mamori-policy: keygen, check, build, inspect, verify, export-pubkey.
 * Exit codes (docs/policy.md): 0 ok, 1 blob rejected, 2 usage, 3 policy text
 * error, 4 I/O error, 5 key or crypto error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/platform_util.h>

#include "policy_encode.h"
#include "policy_text.h"
#include "vmm_key.h"

enum { EX_OK, EX_REJECT, EX_USAGE, EX_TEXT, EX_IO, EX_CRYPTO };

#define PASS_MAX	256
#define PASS_MIN	8

static const char *prog = "mamori-policy";
static mbedtls_entropy_context entropy;
static mbedtls_ctr_drbg_context drbg;

static int die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

/* ---- files ---------------------------------------------------------------- */
static int read_file(const char *path, u8 **buf, size_t *len, size_t max)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return die(EX_IO, "%s: %s", path, strerror(errno));
	*buf = malloc(max + 1);
	n = *buf ? fread(*buf, 1, max + 1, f) : 0;
	if (!*buf || ferror(f)) {
		fclose(f);
		return die(EX_IO, "%s: read failed", path);
	}
	fclose(f);
	if (n > max)
		return die(EX_IO, "%s: larger than %zu bytes", path, max);
	(*buf)[n] = 0;
	*len = n;
	return 0;
}

/* Write via a temporary file and rename, with @mode (0600 for secrets). */
static int write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	char tmp[4096];
	int fd;
	ssize_t n;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0)
		return die(EX_IO, "%s: %s", tmp, strerror(errno));
	n = write(fd, data, len);
	if (n != (ssize_t)len || fsync(fd) || close(fd) || rename(tmp, path)) {
		unlink(tmp);
		return die(EX_IO, "%s: write failed: %s", path, strerror(errno));
	}
	return 0;
}

/* ---- randomness, keys ----------------------------------------------------- */
static int rng_init(void)
{
	static const char pers[] = "mamori-policy";

	mbedtls_entropy_init(&entropy);
	mbedtls_ctr_drbg_init(&drbg);
	if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy,
				  (const u8 *)pers, sizeof(pers)))
		return die(EX_CRYPTO, "cannot seed the random generator");
	return 0;
}

static int rng(u8 *buf, size_t len)
{
	return mbedtls_ctr_drbg_random(&drbg, buf, len) ? die(EX_CRYPTO, "RNG failure") : 0;
}

static void hex(char *out, const u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

static void fpr_str(const u8 point[POLICY_PUBKEY_LEN], char out[72])
{
	u8 fpr[POLICY_FPR_LEN];

	policy_fingerprint(point, POLICY_PUBKEY_LEN, fpr);
	strcpy(out, "sha256:");
	hex(out + 7, fpr, sizeof(fpr));
}

static int load_private(mbedtls_pk_context *pk, const char *path)
{
	u8 point[POLICY_PUBKEY_LEN];

	mbedtls_pk_init(pk);
	if (mbedtls_pk_parse_keyfile(pk, path, NULL))
		return die(EX_CRYPTO, "%s: not a readable unencrypted private key", path);
	if (policy_pk_point(pk, point))
		return die(EX_CRYPTO, "%s: not an ECDSA P-256 key", path);
	return 0;
}

/* A public key file (PEM/DER SubjectPublicKeyInfo) or a private key file. */
static int load_point(const char *path, u8 point[POLICY_PUBKEY_LEN])
{
	mbedtls_pk_context pk;
	int ret;

	mbedtls_pk_init(&pk);
	ret = mbedtls_pk_parse_public_keyfile(&pk, path);
	if (ret) {
		mbedtls_pk_free(&pk);
		mbedtls_pk_init(&pk);
		ret = mbedtls_pk_parse_keyfile(&pk, path, NULL);
	}
	if (!ret)
		ret = policy_pk_point(&pk, point);
	mbedtls_pk_free(&pk);
	return ret ? die(EX_CRYPTO, "%s: not an ECDSA P-256 public or private key", path) : 0;
}

/* ---- passphrase ----------------------------------------------------------- */
struct pass_opt {
	const char *file, *env;
};

static int prompt(const char *what, char *out)
{
	struct termios old, quiet;
	FILE *tty = fopen("/dev/tty", "r+");
	bool ok;

	if (!tty)
		return die(EX_USAGE, "no terminal: use --passphrase-file or --passphrase-env");
	fprintf(tty, "%s: ", what);
	fflush(tty);
	tcgetattr(fileno(tty), &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	ok = fgets(out, PASS_MAX, tty) != NULL;
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	out[strcspn(out, "\r\n")] = 0;
	return ok ? 0 : die(EX_USAGE, "no passphrase entered");
}

static int get_pass(const struct pass_opt *po, bool confirm, char *out)
{
	char again[PASS_MAX];
	u8 *buf;
	size_t len;
	int ret;

	if (po->file) {
		ret = read_file(po->file, &buf, &len, PASS_MAX - 1);
		if (ret)
			return ret;
		buf[strcspn((char *)buf, "\r\n")] = 0;
		strcpy(out, (char *)buf);
		mbedtls_platform_zeroize(buf, len);
		free(buf);
	} else if (po->env) {
		if (!getenv(po->env))
			return die(EX_USAGE, "environment variable %s is not set", po->env);
		snprintf(out, PASS_MAX, "%s", getenv(po->env));
	} else {
		ret = prompt("Policy passphrase", out);
		if (!ret && confirm)
			ret = prompt("Repeat passphrase", again);
		if (!ret && confirm && strcmp(out, again))
			ret = die(EX_USAGE, "passphrases differ");
		mbedtls_platform_zeroize(again, sizeof(again));
		if (ret)
			return ret;
	}
	if (strlen(out) < PASS_MIN)
		return die(EX_USAGE, "passphrase shorter than %d characters", PASS_MIN);
	return 0;
}

/* ---- keygen --------------------------------------------------------------- */
static int write_pem(mbedtls_pk_context *pk, const char *path, bool priv)
{
	unsigned char buf[1024];
	int ret;

	ret = priv ? mbedtls_pk_write_key_pem(pk, buf, sizeof(buf)) :
		     mbedtls_pk_write_pubkey_pem(pk, buf, sizeof(buf));
	if (ret)
		return die(EX_CRYPTO, "cannot encode %s", path);
	ret = write_file(path, buf, strlen((char *)buf), priv ? 0600 : 0644);
	mbedtls_platform_zeroize(buf, sizeof(buf));
	return ret;
}

static int cmd_keygen(const char *key, const char *pub, bool force)
{
	mbedtls_pk_context pk;
	u8 point[POLICY_PUBKEY_LEN];
	char fpr[72];
	int ret;

	if (!force && (!access(key, F_OK) || !access(pub, F_OK)))
		return die(EX_IO, "%s or %s exists (use --force to replace)", key, pub);
	mbedtls_pk_init(&pk);
	ret = rng_init();
	if (!ret && (mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) ||
		     mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(pk),
					 mbedtls_ctr_drbg_random, &drbg)))
		ret = die(EX_CRYPTO, "key generation failed");
	if (!ret)
		ret = write_pem(&pk, key, true);
	if (!ret)
		ret = write_pem(&pk, pub, false);
	if (!ret && !policy_pk_point(&pk, point)) {
		fpr_str(point, fpr);
		printf("%s: wrote %s and %s, key %s\n", prog, key, pub, fpr);
	}
	mbedtls_pk_free(&pk);
	return ret;
}

/* ---- check / build -------------------------------------------------------- */
static int parse_text(struct policy_text *t, const char *path, const char *secrets)
{
	u8 *buf = NULL;
	size_t len;
	int ret = read_file(path, &buf, &len, 1 << 20);

	policy_text_init(t);
	if (!ret && policy_text_parse(t, (char *)buf, len, path, 0))
		ret = die(EX_TEXT, "%s", t->err);
	free(buf);
	buf = NULL;
	if (!ret && secrets) {
		ret = read_file(secrets, &buf, &len, 1 << 20);
		if (!ret && policy_text_parse(t, (char *)buf, len, secrets,
					      POLICY_TEXT_SECRETS_ONLY))
			ret = die(EX_TEXT, "%s", t->err);
		if (buf)
			mbedtls_platform_zeroize(buf, len);
		free(buf);
	}
	if (!ret && policy_text_finish(t))
		ret = die(EX_TEXT, "%s", t->err);
	return ret;
}

/* Fill random keys and hash passwords. */
static int complete_secrets(struct policy_text *t)
{
	struct policy_secret *s;
	char pw[POLICY_SECRET_MAX_LEN + 1];
	u8 salt[POLICY_SALT_LEN];
	u32 i;
	int ret = 0;

	for (i = 0; i < t->sec.count && !ret; i++) {
		s = &t->sec.s[i];
		if (t->origin[i] == POLICY_TEXT_RANDOM) {
			ret = rng(s->value, s->len);
		} else if (t->origin[i] == POLICY_TEXT_PASSWORD) {
			memcpy(pw, s->value, s->len);
			pw[s->len] = 0;
			ret = rng(salt, sizeof(salt));
			if (!ret && policy_hash_password(pw, strlen(pw), salt,
							 t->pol.sealed.iterations, s->value))
				ret = die(EX_CRYPTO, "password hashing failed");
			s->len = POLICY_PASSWORD_LEN;
			mbedtls_platform_zeroize(pw, sizeof(pw));
		}
	}
	return ret;
}

static void secret_line(FILE *f, const struct policy_text *t, u32 i)
{
	const struct policy_secret *s = &t->sec.s[i];
	char h[2 * POLICY_SECRET_MAX_LEN + 1];
	u16 j;

	if (s->kind == POLICY_SECRET_KEY) {
		hex(h, s->value, s->len);
		fprintf(f, "key %s = %s\n", s->name, h);
	} else if (s->kind == POLICY_SECRET_PHRASE) {
		fprintf(f, "phrase %s = \"", s->name);
		for (j = 0; j < s->len; j++)
			fprintf(f, "%s%c", s->value[j] == '"' || s->value[j] == '\\' ? "\\" : "",
				s->value[j]);
		fprintf(f, "\"\n");
	} else {
		fprintf(f, "# password %s: stored hashed, not repeated here\n", s->name);
	}
	mbedtls_platform_zeroize(h, sizeof(h));
}

static int write_secrets(const struct policy_text *t, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	u32 i;
	int ret;

	if (!f)
		return die(EX_IO, "out of memory");
	fprintf(f, "# Mamori policy secrets (plaintext: keep private). Usable as --secrets.\n");
	for (i = 0; i < t->sec.count; i++)
		secret_line(f, t, i);
	fclose(f);
	ret = write_file(path, buf, len, 0600);
	mbedtls_platform_zeroize(buf, len);
	free(buf);
	return ret;
}

static void print_random(const struct policy_text *t)
{
	u32 i;

	for (i = 0; i < t->sec.count; i++) {
		if (t->origin[i] != POLICY_TEXT_RANDOM)
			continue;
		printf("# generated now and shown only once:\n");
		secret_line(stdout, t, i);
	}
}

static int self_check(const u8 *blob, size_t len, mbedtls_pk_context *pk)
{
	static struct policy pol;
	struct policy_diag d;
	u8 point[POLICY_PUBKEY_LEN];
	char msg[256];

	policy_pk_point(pk, point);
	if (policy_verify(blob, len, point, sizeof(point), &d) ||
	    policy_parse(blob, len, &pol, &d)) {
		policy_diag_format(&d, msg, sizeof(msg));
		return die(EX_CRYPTO, "internal error: built blob does not decode: %s", msg);
	}
	return 0;
}

static int seal_key(struct policy_text *t, const struct pass_opt *po, u8 key[POLICY_KEY_LEN])
{
	struct policy_sealed *s = &t->pol.sealed;
	char pass[PASS_MAX];
	int ret;

	if (!t->sec.count)
		return 0;
	ret = get_pass(po, true, pass);
	if (!ret)
		ret = rng(s->salt, sizeof(s->salt));
	if (!ret)
		ret = rng(s->nonce, sizeof(s->nonce));
	if (!ret && policy_kdf((u8 *)pass, strlen(pass), s->salt, sizeof(s->salt),
			       s->iterations, key, POLICY_KEY_LEN))
		ret = die(EX_CRYPTO, "key derivation failed");
	mbedtls_platform_zeroize(pass, sizeof(pass));
	return ret;
}

struct build_opt {
	const char *key, *secrets, *secrets_out, *out, *input;
	struct pass_opt pass;
};

static int build_blob(struct policy_text *t, const struct build_opt *o, mbedtls_pk_context *pk,
		      u8 *blob, size_t *len)
{
	u8 key[POLICY_KEY_LEN] = { 0 };
	int ret = complete_secrets(t);

	if (!ret)
		ret = seal_key(t, &o->pass, key);
	if (!ret && policy_encode(&t->pol, &t->sec, key, blob, POLICY_MAX_BLOB_SIZE, len))
		ret = die(EX_CRYPTO, "encoding failed (blob over %d bytes?)", POLICY_MAX_BLOB_SIZE);
	mbedtls_platform_zeroize(key, sizeof(key));
	if (!ret && policy_sign(blob, *len, pk, mbedtls_ctr_drbg_random, &drbg))
		ret = die(EX_CRYPTO, "signing failed");
	if (!ret)
		ret = self_check(blob, *len, pk);
	return ret;
}

static int cmd_build(const struct build_opt *o)
{
	static struct policy_text t;
	static u8 blob[POLICY_MAX_BLOB_SIZE];
	mbedtls_pk_context pk;
	u8 point[POLICY_PUBKEY_LEN];
	char fpr[72];
	size_t len = 0;
	int ret = parse_text(&t, o->input, o->secrets);

	mbedtls_pk_init(&pk);
	if (!ret)
		ret = rng_init();
	if (!ret)
		ret = load_private(&pk, o->key);
	if (!ret)
		ret = build_blob(&t, o, &pk, blob, &len);
	if (!ret)
		ret = write_file(o->out, blob, len, 0644);
	if (!ret && o->secrets_out)
		ret = write_secrets(&t, o->secrets_out);
	else if (!ret)
		print_random(&t);
	if (!ret) {
		policy_pk_point(&pk, point);
		fpr_str(point, fpr);
		printf("%s: wrote %s: %zu bytes, policy version %llu, %u secrets, signed by %s\n",
		       prog, o->out, len, (unsigned long long)t.pol.version, t.sec.count, fpr);
	}
	policy_secrets_wipe(&t.sec);
	mbedtls_pk_free(&pk);
	return ret;
}

static int cmd_check(const char *input, const char *secrets)
{
	static struct policy_text t;
	int ret = parse_text(&t, input, secrets);

	if (!ret)
		printf("%s: OK: policy version %llu, %u disk, %u network, %u file rules, "
		       "%u secrets\n", input, (unsigned long long)t.pol.version, t.pol.n_disk,
		       t.pol.n_net, t.pol.n_file, t.sec.count);
	policy_secrets_wipe(&t.sec);
	return ret;
}

/* ---- inspect / verify ----------------------------------------------------- */
static const char *name_of(u8 v, const char *const *names, size_t n)
{
	return v && v <= n ? names[v - 1] : "?";
}
#define NAME(v, ...) name_of(v, (const char *const[]){ __VA_ARGS__ }, \
			     sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *))

static void show_net(const struct policy_net_rule *n)
{
	const char *mode = NAME(n->mode, "encrypt", "block", "pass");

	if (n->nic == POLICY_NIC_DEFAULT) {
		printf("record %u network: default mode %s\n", n->origin, mode);
		return;
	}
	printf("record %u network: e1000 %02x:%02x.%x mode %s peer "
	       "%02x:%02x:%02x:%02x:%02x:%02x key %s%s\n", n->origin, n->bus, n->dev, n->fn,
	       mode, n->peer_mac[0], n->peer_mac[1], n->peer_mac[2], n->peer_mac[3],
	       n->peer_mac[4], n->peer_mac[5], n->key_id[0] ? n->key_id : "-",
	       n->cipher == POLICY_NET_GCM_AES_256 ? " cipher gcm-aes-256" : "");
}

static void show_disk(const struct policy_disk_rule *r)
{
	char g[33];

	printf("record %u disk: ", r->origin);
	if (r->match == POLICY_DISK_ATA)
		printf("ata controller %u channel %u device %s", r->controller, r->port,
		       r->unit ? "slave" : "master");
	else if (r->match == POLICY_DISK_AHCI)
		printf("ahci controller %u port %u", r->controller, r->port);
	else if (r->match == POLICY_DISK_NVME)
		printf("nvme controller %u namespace %u", r->controller, r->unit);
	else
		printf("id model \"%s\" serial \"%s\"", r->model, r->serial);
	if (r->range == POLICY_RANGE_LBA) {
		printf(", lba [%llu, %llu)", (unsigned long long)r->lba_start,
		       (unsigned long long)r->lba_end);
	} else if (r->range == POLICY_RANGE_GPT_INDEX) {
		printf(", gpt partition %u", r->gpt_index);
	} else {
		hex(g, r->gpt_guid, 16);
		printf(", gpt partition guid (on-disk bytes) %s", g);
	}
	printf(", aes-xts-plain64, key %s, iv-offset %llu\n", r->key_id,
	       (unsigned long long)r->iv_offset);
}

static void show_rules(const struct policy *p)
{
	const struct policy_console *c = &p->console;
	const struct policy_monitor *m = &p->monitor;
	u32 i;

	if (p->sections & BIT(POLICY_REC_CONSOLE))
		printf("record %u console: %s port 0x%x baud %u, dialog timeout %u s\n", c->origin,
		       NAME(c->kind, "uart", "framebuffer+ps2"), c->port, c->baud, c->timeout_s);
	if (p->sections & BIT(POLICY_REC_MONITOR))
		printf("record %u monitor: checks%s%s%s, interval %u ms, action %s, slice %u us every %u ms\n",
		       m->origin,
		       m->checks & POLICY_MON_KERNEL_TEXT ? " kernel-text" : "",
		       m->checks & POLICY_MON_IDT ? " idt" : "",
		       m->checks & POLICY_MON_SYSCALL_MSRS ? " syscall-msrs" : "",
		       m->interval_ms, NAME(m->action, "alert", "halt"),
		       m->budget_us ? m->budget_us : 2000, m->period_ms ? m->period_ms : 100);
	if (p->sections & BIT(POLICY_REC_IOMMU))
		printf("record %u iommu: %s\n", p->iommu.origin,
		       NAME(p->iommu.mode, "auto", "required", "optional"));
	for (i = 0; i < p->n_disk; i++)
		show_disk(&p->disk[i]);
	for (i = 0; i < p->n_net; i++)
		show_net(&p->net[i]);
	for (i = 0; i < p->n_file; i++)
		printf("record %u file: part %u %s %s%.0llu action %s password %s\n",
		       p->file[i].origin, p->file[i].part,
		       p->file[i].match == POLICY_FILE_PATH ? "path" : "inode", p->file[i].pattern,
		       (unsigned long long)p->file[i].inode,
		       NAME(p->file[i].action, "require-auth", "deny", "read-only"),
		       p->file[i].key_id[0] ? p->file[i].key_id : "-");
}

static void show_secrets(const struct policy *p)
{
	const struct policy_sealed *s = &p->sealed;
	u32 i;

	if (!(p->sections & BIT(POLICY_REC_SECRETS)))
		return;
	printf("record %u secrets: PBKDF2-HMAC-SHA256 %u iterations, AES-256-GCM, %u sealed "
	       "(values not shown)\n", s->origin, s->iterations, s->count);
	for (i = 0; i < s->count; i++)
		printf("    %-15s %-8s %u bytes\n", s->info[i].name,
		       NAME(s->info[i].kind, "key", "phrase", "password"), s->info[i].len);
}

static int load_blob(const char *path, u8 **blob, size_t *len)
{
	return read_file(path, blob, len, POLICY_MAX_BLOB_SIZE);
}

static int reject(const char *path, const struct policy_diag *d)
{
	char msg[256];

	policy_diag_format(d, msg, sizeof(msg));
	return die(EX_REJECT, "%s: rejected: %s", path, msg);
}

/* ---- the key: a key file, or the one built into a vmm.elf ------------------ */
static int load_vmm_point(const char *path, u8 point[POLICY_PUBKEY_LEN])
{
	const char *why = NULL;
	char fpr[72];
	u8 *elf = NULL;
	size_t len;
	bool dev;
	int ret = read_file(path, &elf, &len, 64u << 20);

	if (!ret && vmm_elf_pubkey(elf, len, point, &dev, &why))
		ret = die(EX_CRYPTO, "%s: cannot read the built-in policy key: %s", path, why);
	free(elf);
	if (ret)
		return ret;
	fpr_str(point, fpr);
	printf("%s: trusts policy key %s%s\n", path, fpr, dev ? " (DEVELOPMENT KEY)" : "");
	return 0;
}

struct key_opt {
	const char *pubkey, *vmm;
};

static int load_key(const struct key_opt *k, u8 point[POLICY_PUBKEY_LEN])
{
	return k->vmm ? load_vmm_point(k->vmm, point) : load_point(k->pubkey, point);
}

static int cmd_inspect(const char *path, const struct key_opt *k)
{
	static struct policy pol;
	struct policy_diag d;
	u8 point[POLICY_PUBKEY_LEN], *blob = NULL;
	char fpr[72];
	size_t len;
	int ret = load_blob(path, &blob, &len);

	if (!ret && (k->pubkey || k->vmm))
		ret = load_key(k, point);
	if (!ret && policy_parse(blob, len, &pol, &d))
		ret = reject(path, &d);
	if (!ret) {
		strcpy(fpr, "sha256:");
		hex(fpr + 7, pol.signer, sizeof(pol.signer));
		printf("%s: %zu bytes, format %u, policy version %llu\n", path, len,
		       pol.format_version, (unsigned long long)pol.version);
		show_rules(&pol);
		show_secrets(&pol);
		if (pol.ignored)
			printf("%u unknown ignorable records skipped\n", pol.ignored);
		printf("signature: ECDSA P-256/SHA-256 by key %s: ", fpr);
		if (!k->pubkey && !k->vmm)
			printf("not checked (give --pubkey or --vmm)\n");
		else if (policy_verify(blob, len, point, sizeof(point), &d))
			ret = reject(path, &d);
		else
			printf("valid\n");
	}
	free(blob);
	return ret;
}

static int cmd_verify(const char *path, const struct key_opt *k, u64 min_version,
		      const struct pass_opt *po)
{
	static struct policy pol;
	static struct policy_secrets sec;
	struct policy_diag d;
	char pass[PASS_MAX];
	u8 point[POLICY_PUBKEY_LEN], *blob = NULL;
	size_t len;
	int ret = load_blob(path, &blob, &len);

	if (!ret)
		ret = load_key(k, point);
	if (!ret && policy_load(blob, len, point, sizeof(point), min_version, &pol, &d))
		ret = reject(path, &d);
	if (!ret && (po->file || po->env) && (pol.sections & BIT(POLICY_REC_SECRETS))) {
		ret = get_pass(po, false, pass);
		if (!ret && policy_unseal(&pol, (u8 *)pass, strlen(pass), &sec, &d))
			ret = reject(path, &d);
		mbedtls_platform_zeroize(pass, sizeof(pass));
		policy_secrets_wipe(&sec);
		if (!ret)
			printf("%s: secrets unseal\n", path);
	}
	if (!ret)
		printf("%s: OK: policy version %llu, signature valid\n", path,
		       (unsigned long long)pol.version);
	free(blob);
	return ret;
}

/* ---- export-pubkey -------------------------------------------------------- */
static int cmd_export(const char *keyfile, const char *format, bool dev, const char *out)
{
	u8 point[POLICY_PUBKEY_LEN];
	char fpr[72], *buf = NULL;
	size_t len = 0, i;
	FILE *f;
	int ret = load_point(keyfile, point);

	if (ret)
		return ret;
	fpr_str(point, fpr);
	f = open_memstream(&buf, &len);
	if (!f)
		return die(EX_IO, "out of memory");
	if (!strcmp(format, "c")) {
		fprintf(f, "/* Generated by mamori-policy export-pubkey; do not edit. */\n"
			"#include <mamori/policy.h>\n\n"
			"const u8 policy_pubkey[POLICY_PUBKEY_LEN] = {");
		for (i = 0; i < sizeof(point); i++)
			fprintf(f, "%s0x%02x,", i % 12 ? " " : "\n\t", point[i]);
		fprintf(f, "\n};\nconst char policy_pubkey_fpr[] = \"%s%s\";\n"
			"const bool policy_pubkey_dev = %s;\n", fpr,
			dev ? " (DEVELOPMENT KEY)" : "", dev ? "true" : "false");
	} else if (!strcmp(format, "hex")) {
		for (i = 0; i < sizeof(point); i++)
			fprintf(f, "%02x", point[i]);
		fprintf(f, "\n");
	} else if (!strcmp(format, "raw")) {
		fwrite(point, 1, sizeof(point), f);
	} else if (!strcmp(format, "fingerprint")) {
		fprintf(f, "%s\n", fpr);
	} else {
		fclose(f);
		free(buf);
		return die(EX_USAGE, "unknown format '%s' (c, hex, raw, fingerprint)", format);
	}
	fclose(f);
	if (out)
		ret = write_file(out, buf, len, 0644);
	else if (fwrite(buf, 1, len, stdout) != len)
		ret = die(EX_IO, "stdout: write failed");
	free(buf);
	return ret;
}

/* ---- command line --------------------------------------------------------- */
static const char usage_main[] =
	"usage: mamori-policy <command> [options]   (mamori-policy <command> --help)\n"
	"commands:\n"
	"  keygen         create an ECDSA P-256 signing key pair\n"
	"  check          parse a text policy and report the first error\n"
	"  build          text policy -> signed binary blob with sealed secrets\n"
	"  inspect        print a blob (never the secret values)\n"
	"  verify         verify a blob against a public key (and rollback, passphrase)\n"
	"  export-pubkey  print a public key as C source, hex, raw bytes or fingerprint\n"
	"exit codes: 0 ok, 1 blob rejected, 2 usage, 3 policy text error, 4 I/O error,\n"
	"            5 key or crypto error\n";

static const struct cmd_help {
	const char *cmd, *text;
} helps[] = {
	{ "keygen", "usage: mamori-policy keygen --key FILE --pub FILE [--force]\n"
	  "  Writes a new P-256 private key (PEM, mode 0600) and its public key (PEM).\n" },
	{ "check", "usage: mamori-policy check [--secrets FILE] POLICY.txt\n"
	  "  Parses the policy (and a separate secrets file); errors name file:line.\n" },
	{ "build", "usage: mamori-policy build --key KEY -o OUT [--secrets FILE]\n"
	  "         [--passphrase-file FILE | --passphrase-env VAR] [--secrets-out FILE]\n"
	  "         POLICY.txt\n"
	  "  Builds and signs the blob; secrets are sealed under the passphrase (prompted\n"
	  "  twice on the terminal unless given by file or variable). --secrets-out\n"
	  "  writes every key and phrase (random ones included) to FILE, mode 0600;\n"
	  "  without it, random keys are printed once on stdout.\n" },
	{ "inspect", "usage: mamori-policy inspect [--pubkey PUB | --vmm VMM.ELF] BLOB\n"
	  "  Prints header, records and secret names/lengths; with --pubkey or --vmm also\n"
	  "  checks the signature.\n" },
	{ "verify", "usage: mamori-policy verify (--pubkey PUB | --vmm VMM.ELF) [--min-version N]\n"
	  "         [--passphrase-file FILE | --passphrase-env VAR] BLOB\n"
	  "  Checks structure, signature and rollback (version >= N); with a passphrase\n"
	  "  also unseals the secrets (values are not printed). --vmm takes the key\n"
	  "  built into that vmm.elf (its policy_pubkey symbol), the one it will use.\n" },
	{ "export-pubkey", "usage: mamori-policy export-pubkey [--format c|hex|raw|fingerprint]\n"
	  "         [--dev] [-o OUT] KEYFILE\n"
	  "  KEYFILE is a public or private key; --dev marks a development key in C output.\n" },
};

static int usage(const char *cmd, bool asked)
{
	size_t i;

	for (i = 0; cmd && i < sizeof(helps) / sizeof(helps[0]); i++)
		if (!strcmp(cmd, helps[i].cmd)) {
			fputs(helps[i].text, asked ? stdout : stderr);
			return asked ? EX_OK : EX_USAGE;
		}
	fputs(usage_main, asked ? stdout : stderr);
	return asked ? EX_OK : EX_USAGE;
}

enum { O_KEY = 256, O_PUB, O_FORCE, O_SECRETS, O_SECRETS_OUT, O_PFILE, O_PENV, O_PUBKEY,
       O_MINVER, O_FORMAT, O_DEV, O_VMM, O_HELP };

static const struct option long_opts[] = {
	{ "key", required_argument, NULL, O_KEY },
	{ "pub", required_argument, NULL, O_PUB },
	{ "force", no_argument, NULL, O_FORCE },
	{ "secrets", required_argument, NULL, O_SECRETS },
	{ "secrets-out", required_argument, NULL, O_SECRETS_OUT },
	{ "passphrase-file", required_argument, NULL, O_PFILE },
	{ "passphrase-env", required_argument, NULL, O_PENV },
	{ "pubkey", required_argument, NULL, O_PUBKEY },
	{ "min-version", required_argument, NULL, O_MINVER },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "dev", no_argument, NULL, O_DEV },
	{ "vmm", required_argument, NULL, O_VMM },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 },
};

struct args {
	struct build_opt b;
	struct key_opt k;
	const char *pub, *format;
	bool force, dev;
	u64 min_version;
};

static int parse_args(int argc, char **argv, struct args *a)
{
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "o:h", long_opts, NULL)) != -1) {
		switch (c) {
		case O_KEY: a->b.key = optarg; break;
		case O_PUB: a->pub = optarg; break;
		case O_FORCE: a->force = true; break;
		case O_SECRETS: a->b.secrets = optarg; break;
		case O_SECRETS_OUT: a->b.secrets_out = optarg; break;
		case O_PFILE: a->b.pass.file = optarg; break;
		case O_PENV: a->b.pass.env = optarg; break;
		case O_PUBKEY: a->k.pubkey = optarg; break;
		case O_VMM: a->k.vmm = optarg; break;
		case O_FORMAT: a->format = optarg; break;
		case O_DEV: a->dev = true; break;
		case 'o': a->b.out = optarg; break;
		case O_MINVER:
			errno = 0;
			a->min_version = strtoull(optarg, &end, 0);
			if (errno || *end || !*optarg)
				return die(EX_USAGE, "--min-version: not a number");
			break;
		case 'h':
		case O_HELP:
			return -1;
		default:
			return EX_USAGE;
		}
	}
	if (a->b.pass.file && a->b.pass.env)
		return die(EX_USAGE, "give only one of --passphrase-file, --passphrase-env");
	if (a->k.pubkey && a->k.vmm)
		return die(EX_USAGE, "give only one of --pubkey, --vmm");
	return 0;
}

static int run(const char *cmd, struct args *a, int nargs, char **args)
{
	if (!strcmp(cmd, "keygen") && !nargs && a->b.key && a->pub)
		return cmd_keygen(a->b.key, a->pub, a->force);
	if (!strcmp(cmd, "check") && nargs == 1)
		return cmd_check(args[0], a->b.secrets);
	if (!strcmp(cmd, "build") && nargs == 1 && a->b.key && a->b.out) {
		a->b.input = args[0];
		return cmd_build(&a->b);
	}
	if (!strcmp(cmd, "inspect") && nargs == 1)
		return cmd_inspect(args[0], &a->k);
	if (!strcmp(cmd, "verify") && nargs == 1 && (a->k.pubkey || a->k.vmm))
		return cmd_verify(args[0], &a->k, a->min_version, &a->b.pass);
	if (!strcmp(cmd, "export-pubkey") && nargs == 1)
		return cmd_export(args[0], a->format ? a->format : "c", a->dev, a->b.out);
	return usage(cmd, false);
}

int main(int argc, char **argv)
{
	struct args a = { 0 };
	const char *cmd;
	int ret;

	if (argc < 2)
		return usage(NULL, false);
	cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help"))
		return usage(argc > 2 ? argv[2] : NULL, true);
	ret = parse_args(argc - 1, argv + 1, &a);
	if (ret < 0)
		return usage(cmd, true);
	if (ret)
		return ret == EX_USAGE ? usage(cmd, false) : ret;
	return run(cmd, &a, argc - 1 - optind, argv + 1 + optind);
}
