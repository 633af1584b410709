// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the policy blob decoder as the VMM runs it after the
 * signature check (policy_parse), the post-decryption secrets validator, the
 * pre-ECDSA part of policy_verify, and one oracle: a blob the decoder accepts,
 * re-encoded, must be accepted again with the same content counts.
 */
#include <stdlib.h>
#include <string.h>

#include "policy_encode.h"

static struct policy pol, pol2;
static struct policy_secrets sec;
static u8 out[POLICY_MAX_BLOB_SIZE];

static void reencode(void)
{
	static const u8 key[POLICY_KEY_LEN];
	const struct policy_secrets *s = NULL;
	size_t len;

	if (pol.sections & BIT(POLICY_REC_SECRETS)) {
		if (policy_secrets_decode(&pol.sealed, pol.sealed.ct, &sec, NULL))
			return;
		s = &sec;
	}
	if (policy_encode(&pol, s, key, out, sizeof(out), &len))
		abort();
	if (policy_parse(out, len, &pol2, NULL))
		abort();
	if (pol2.version != pol.version || pol2.n_disk != pol.n_disk ||
	    pol2.n_net != pol.n_net || pol2.n_file != pol.n_file ||
	    pol2.sealed.count != pol.sealed.count ||
	    memcmp(&pol2.console, &pol.console, sizeof(pol.console) - sizeof(u32)))
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const u8 pub[POLICY_PUBKEY_LEN] = { 0x04 };
	struct policy_diag d;
	char msg[256];

	if (policy_parse(data, size, &pol, &d))
		policy_diag_format(&d, msg, sizeof(msg));
	else
		reencode();
	if (policy_verify(data, size, pub, sizeof(pub), &d))
		policy_diag_format(&d, msg, sizeof(msg));
	return 0;
}
