// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy signature (ECDSA P-256 over SHA-256), fingerprint and anti-rollback.
 */
#include "policy_priv.h"

#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>

/* ---- signature ------------------------------------------------------------ */
int policy_fingerprint(const u8 *pubkey, size_t len, u8 out[POLICY_FPR_LEN])
{
	return mbedtls_sha256_ret(pubkey, len, out, 0) ? -POLICY_E_CRYPTO : 0;
}

static int ecdsa_check(const u8 *msg, size_t mlen, const u8 *pub, const u8 *rs,
		       struct policy_diag *d)
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi r, s;
	u8 hash[32];
	int ret, err = 0;

	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	ret = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
	if (!ret)
		ret = mbedtls_ecp_point_read_binary(&grp, &q, pub, POLICY_PUBKEY_LEN);
	if (!ret)
		ret = mbedtls_ecp_check_pubkey(&grp, &q);
	if (ret)
		err = policy_fail(d, POLICY_E_PUBKEY, NULL, POLICY_PUBKEY_LEN, 0, NULL);
	if (!err && (mbedtls_mpi_read_binary(&r, rs, 32) ||
		     mbedtls_mpi_read_binary(&s, rs + 32, 32) ||
		     mbedtls_sha256_ret(msg, mlen, hash, 0)))
		err = policy_fail(d, POLICY_E_CRYPTO, NULL, 1, 0, NULL);
	if (!err) {
		ret = mbedtls_ecdsa_verify(&grp, hash, sizeof(hash), &q, &r, &s);
		if (ret)
			err = policy_fail(d, POLICY_E_SIG_BAD, NULL, 0, 0, NULL);
	}
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&r);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return err;
}

static int sig_key_mismatch(const u8 *fpr, struct policy_diag *d)
{
	char hex[17];
	int i;

	for (i = 0; i < 8; i++) {
		hex[2 * i] = "0123456789abcdef"[fpr[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[fpr[i] & 15];
	}
	hex[16] = 0;
	return policy_fail(d, POLICY_E_SIG_KEY, hex, 0, 0, NULL);
}

int policy_verify(const u8 *blob, size_t len, const u8 *pubkey, size_t pubkey_len,
		  struct policy_diag *diag)
{
	const u8 *sig;
	u8 fpr[POLICY_FPR_LEN];
	int ret = policy_check_header(blob, len, diag);

	if (ret)
		return ret;
	sig = blob + len - POLICY_SIG_TOTAL;
	if (rd16(sig) != POLICY_REC_SIGNATURE || rd16(sig + 2) ||
	    rd32(sig + 4) != POLICY_SIGREC_LEN)
		return policy_fail(diag, POLICY_E_NO_SIG, NULL, 0, 0,
			    "the last 108 bytes are not a signature record");
	sig += POLICY_REC_HDR_LEN;
	if (sig[0] != POLICY_SIG_ECDSA_P256_SHA256 || !all_zero(sig + 1, 3))
		return policy_fail(diag, POLICY_E_SIG_ALG, NULL, sig[0], 0, NULL);
	if (!pubkey || pubkey_len != POLICY_PUBKEY_LEN || pubkey[0] != 0x04)
		return policy_fail(diag, POLICY_E_PUBKEY, NULL, pubkey_len, 0, NULL);
	if (policy_fingerprint(pubkey, pubkey_len, fpr))
		return policy_fail(diag, POLICY_E_CRYPTO, NULL, 1, 0, NULL);
	if (memcmp(fpr, sig + 4, POLICY_FPR_LEN))
		return sig_key_mismatch(sig + 4, diag);
	return ecdsa_check(blob, len - POLICY_SIG_TOTAL, pubkey, sig + 36, diag);
}

int policy_check_rollback(u64 version, u64 highest_accepted, struct policy_diag *diag)
{
	if (version < highest_accepted)
		return policy_fail(diag, POLICY_E_ROLLBACK, NULL, version, highest_accepted, NULL);
	return 0;
}

int policy_load(const u8 *blob, size_t len, const u8 *pubkey, size_t pubkey_len,
		u64 highest_accepted, struct policy *out, struct policy_diag *diag)
{
	int ret = policy_verify(blob, len, pubkey, pubkey_len, diag);

	if (!ret)
		ret = policy_parse(blob, len, out, diag);
	if (!ret)
		ret = policy_check_rollback(out->version, highest_accepted, diag);
	return ret;
}
