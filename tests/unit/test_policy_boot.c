// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit test: the policy boot phase keeps no raw disk key once the disk phase
 * expanded them (finding 19). vmm/policy.c against stubs of the console and
 * the blob decoder.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include <mamori/console.h>
#include <mamori/mm.h>
#include <mamori/policy_boot.h>
#include <net/random.h>
#include <mamori/errno.h>
#include <mamori/vmm.h>

static const u8 key0[32] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9 };
static const u8 key1[64] = { 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9 };
static void *pages[8];
static u32 npages;

const u8 policy_pubkey[POLICY_PUBKEY_LEN];
const char policy_pubkey_fpr[] = "sha256:test";

u16 console_port(void) { return 0x2f8; }
void console_write_line(const char *s) { }
void console_flush(void) { }
int console_getc(void) { return -1; }
size_t policy_diag_format(const struct policy_diag *d, char *buf, size_t size)
{
	return snprintf(buf, size, "test");
}
const char *policy_section_name(u16 type) { return "section"; }
u16 policy_unenforced_section(const struct policy *pol, u32 enforced, u16 port) { return 0; }
u64 arch_cycles(void) { return 0; }
static bool rng_fails, with_encrypt;
static u32 lines_read;

int arch_random_bytes(void *buf, size_t len)
{
	memset(buf, 0x5a, len);
	return rng_fails ? -EIO : 0;
}
void policy_wipe(void *p, size_t n) { memset(p, 0, n); }
void policy_secrets_wipe(struct policy_secrets *s) { memset(s, 0, sizeof(*s)); }

void *page_alloc(u32 n)
{
	void *p = calloc(n, 4096);

	pages[npages++] = p;
	return p;
}

int policy_read_line(int (*getc)(void *ctx), void *ctx, char *buf, size_t size, size_t *len)
{
	strcpy(buf, "pw");
	*len = 2;
	lines_read++;
	return 0;
}

int policy_load(const u8 *blob, size_t len, const u8 *pubkey, size_t pubkey_len,
		u64 highest_accepted, struct policy *out, struct policy_diag *diag)
{
	memset(out, 0, sizeof(*out));
	out->version = 1;
	out->sections = BIT(POLICY_REC_SECRETS);
	if (with_encrypt) {
		out->sections |= BIT(POLICY_REC_NETWORK);
		out->n_net = 1;
		out->net[0] = (struct policy_net_rule){ .nic = POLICY_NIC_E1000, .dev = 2,
						       .mode = POLICY_NET_ENCRYPT, .key_id = "net0",
						       .origin = 2 };
	}
	return 0;
}

static void add(struct policy_secrets *s, const char *name, u8 kind, const u8 *v, u16 len)
{
	struct policy_secret *e = &s->s[s->count++];

	strcpy(e->name, name);
	e->kind = kind;
	e->len = len;
	memcpy(e->value, v, len);
}

int policy_unseal(const struct policy *pol, const u8 *pass, size_t pass_len,
		  struct policy_secrets *out, struct policy_diag *diag)
{
	memset(out, 0, sizeof(*out));
	add(out, "disk0", POLICY_SECRET_KEY, key0, sizeof(key0));
	add(out, "hello", POLICY_SECRET_PHRASE, (const u8 *)"hello", 5);
	add(out, "disk1", POLICY_SECRET_KEY, key1, sizeof(key1));
	return 0;
}

/* Whether @s holds the first 10 bytes of @key anywhere. */
static bool holds(const struct policy_secrets *s, const u8 *key)
{
	return memmem(s, sizeof(*s), key, 10) != NULL;
}

/* Mode encrypt on a CPU without entropy: refused before the passphrase prompt. */
static void test_encrypt_without_entropy(void **state)
{
	u8 blob[64] = { 1 };
	struct boot_info bi = { .policy = (u64)blob, .policy_size = sizeof(blob) };

	with_encrypt = rng_fails = true;
	lines_read = 0;
	assert_int_equal(policy_boot_phase(&bi), VMM_ERR_POLICY);
	assert_int_equal(lines_read, 0);
	assert_null(policy_secrets());
	with_encrypt = rng_fails = false;
	while (npages)
		free(pages[--npages]);
}

static void test_raw_keys_dropped(void **state)
{
	u8 blob[64] = { 1 };
	struct boot_info bi = { .policy = (u64)blob, .policy_size = sizeof(blob) };
	const struct policy_secrets *s;

	assert_int_equal(policy_boot_phase(&bi), VMM_OK);
	s = policy_secrets();
	if (!s)
		fail_msg("no secrets after the phase");
	assert_int_equal(s->count, 3);
	assert_true(holds(s, key1));
	policy_secrets_drop_keys();
	assert_int_equal(s->count, 1);
	assert_int_equal(s->s[0].kind, POLICY_SECRET_PHRASE);
	assert_string_equal(s->s[0].name, "hello");
	assert_memory_equal(s->s[0].value, "hello", 5);
	assert_false(holds(s, key0));	/* no raw key byte run left */
	assert_false(holds(s, key1));
	while (npages)
		free(pages[--npages]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encrypt_without_entropy),
		cmocka_unit_test(test_raw_keys_dropped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
