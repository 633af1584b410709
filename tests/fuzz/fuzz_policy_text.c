// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the text policy parser (policy file, then the same input as
 * a secrets file). Oracle: a policy the parser accepts must encode into a blob
 * the VMM's decoder accepts, with the same content counts.
 */
#include <stdlib.h>
#include <string.h>

#include "policy_encode.h"
#include "policy_text.h"

static struct policy_text t;
static struct policy pol;
static u8 out[POLICY_MAX_BLOB_SIZE];

/* What mamori-policy build does with random keys and passwords, minus entropy. */
static void complete(void)
{
	u32 i;

	for (i = 0; i < t.sec.count; i++) {
		if (t.origin[i] == POLICY_TEXT_RANDOM) {
			memset(t.sec.s[i].value, 0x42, t.sec.s[i].len);
		} else if (t.origin[i] == POLICY_TEXT_PASSWORD) {
			memset(t.sec.s[i].value, 0, POLICY_PASSWORD_LEN);
			t.sec.s[i].value[16] = 0xa0;	/* 100000 iterations */
			t.sec.s[i].value[17] = 0x86;
			t.sec.s[i].value[18] = 0x01;
			t.sec.s[i].len = POLICY_PASSWORD_LEN;
		}
	}
}

static void encode_and_decode(void)
{
	static const u8 key[POLICY_KEY_LEN];
	size_t len;

	complete();
	if (policy_encode(&t.pol, &t.sec, key, out, sizeof(out), &len))
		abort();
	if (policy_parse(out, len, &pol, NULL))
		abort();
	if (pol.version != t.pol.version || pol.n_disk != t.pol.n_disk ||
	    pol.n_net != t.pol.n_net || pol.n_file != t.pol.n_file ||
	    pol.sealed.count != t.sec.count)
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	policy_text_init(&t);
	if (!policy_text_parse(&t, (const char *)data, size, "fuzz.txt", 0) &&
	    !policy_text_finish(&t))
		encode_and_decode();
	policy_text_init(&t);
	policy_text_parse(&t, (const char *)data, size, "fuzz.txt", POLICY_TEXT_SECRETS_ONLY);
	return 0;
}
