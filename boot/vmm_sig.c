// SPDX-License-Identifier: GPL-2.0-only
#include <mbedtls/ecdsa.h>
#include <mbedtls/sha256.h>
#include "vmm_sig.h"

static int bytes_equal(const u8 *a, const u8 *b, u64 n)
{
	u8 diff = 0;

	while (n--)
		diff |= *a++ ^ *b++;
	return !diff;
}

static u64 rd64(const u8 *p)
{
	u64 v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* A tiny line builder: the loader has no snprintf that writes ASCII. */
struct why_buf {
	char *s;
	u32 len;
};

static void why_str(struct why_buf *w, const char *s)
{
	while (*s && w->len + 1 < VMM_SIG_WHY_MAX)
		w->s[w->len++] = *s++;
	w->s[w->len] = 0;
}

static void why_hex(struct why_buf *w, const u8 *p, u32 n)
{
	char h[3] = { 0, 0, 0 };

	while (n--) {
		h[0] = "0123456789abcdef"[*p >> 4];
		h[1] = "0123456789abcdef"[*p++ & 15];
		why_str(w, h);
	}
}

static void why_dec(struct why_buf *w, u64 v)
{
	char d[21];
	int i = 20;

	d[i] = 0;
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	why_str(w, d + i);
}

static int refuse(struct why_buf *w, const char *s)
{
	why_str(w, s);
	return -1;
}

static void wr64(u8 *p, u64 v)
{
	int i;

	for (i = 0; i < 8; i++, v >>= 8)
		p[i] = (u8)v;
}

#define SIG_MSG_LEN	(sizeof(VMM_SIG_DOMAIN) + 8 + 8 + 32)

/* The signed message: domain || svn || size || SHA-256(@file); 0 when made. */
static int signed_hash(const u8 *file, u64 size, u64 svn, u8 hash[32])
{
	u8 m[SIG_MSG_LEN];
	u64 i;

	for (i = 0; i < sizeof(VMM_SIG_DOMAIN); i++)
		m[i] = (u8)VMM_SIG_DOMAIN[i];
	wr64(m + i, svn);
	wr64(m + i + 8, size);
	if (mbedtls_sha256_ret(file, size, m + i + 16, 0))
		return -1;
	return mbedtls_sha256_ret(m, sizeof(m), hash, 0);
}

/* ECDSA P-256 over the signed message of @file at @svn: 0 when it verifies. */
static int ecdsa_ok(const u8 *file, u64 size, u64 svn, const u8 *rs, const u8 *pubkey)
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi r, s;
	u8 hash[32];
	int ret;

	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	ret = signed_hash(file, size, svn, hash);
	if (!ret)
		ret = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
	if (!ret)
		ret = mbedtls_ecp_point_read_binary(&grp, &q, pubkey, VMM_SIG_PUBKEY_LEN);
	if (!ret)
		ret = mbedtls_ecp_check_pubkey(&grp, &q);
	if (!ret)
		ret = mbedtls_mpi_read_binary(&r, rs, 32);
	if (!ret)
		ret = mbedtls_mpi_read_binary(&s, rs + 32, 32);
	if (!ret)
		ret = mbedtls_ecdsa_verify(&grp, hash, sizeof(hash), &q, &r, &s);
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&r);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return ret;
}

int vmm_sig_check(const u8 *file, u64 size, const u8 *sig, u64 sig_size,
		  const u8 *pubkey, u64 min_svn, u64 *svn, char why[VMM_SIG_WHY_MAX])
{
	struct why_buf w = { why, 0 };
	u8 fpr[VMM_SIG_FPR_LEN];

	why[0] = 0;
	if (sig_size != VMM_SIG_SIZE || !bytes_equal(sig, (const u8 *)VMM_SIG_MAGIC, 8))
		return refuse(&w, "signature file malformed (not a vmm.elf.sig of this format)");
	if (mbedtls_sha256_ret(pubkey, VMM_SIG_PUBKEY_LEN, fpr, 0))
		return refuse(&w, "SHA-256 failed");
	if (!bytes_equal(fpr, sig + 24, VMM_SIG_FPR_LEN)) {
		why_str(&w, "signed by another key (sha256:");
		why_hex(&w, sig + 24, 8);
		why_str(&w, "..., this loader trusts sha256:");
		why_hex(&w, fpr, 8);
		return refuse(&w, "...)");
	}
	if (rd64(sig + 8) != size) {
		why_str(&w, "signature is for a file of ");
		why_dec(&w, rd64(sig + 8));
		why_str(&w, " bytes, vmm.elf has ");
		why_dec(&w, size);
		return refuse(&w, " (modified)");
	}
	if (ecdsa_ok(file, size, rd64(sig + 16), sig + 56, pubkey))
		return refuse(&w, "signature does not verify (vmm.elf modified, or the "
			      "signature forged)");
	if (rd64(sig + 16) < min_svn) {
		why_str(&w, "security version ");
		why_dec(&w, rd64(sig + 16));
		why_str(&w, " is below the minimum ");
		why_dec(&w, min_svn);
		return refuse(&w, " (an older vmm.elf: rollback)");
	}
	*svn = rd64(sig + 16);
	return 0;
}
