// SPDX-License-Identifier: GPL-2.0-only
/*
 * The `policy` boot phase: verify the signed policy, check it against the
 * highest version accepted before, unlock its secrets on the trusted console.
 */
#include <mamori/console.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/policy_boot.h>
#include <mamori/string.h>
#include <mamori/vmm.h>
#include <net/random.h>

#define POLICY_PROMPT	"mamori: enter the policy passphrase: "

/* The accepted policy and its secrets: VMM memory only, for later features. */
static struct policy pol_active;
static struct policy_secrets pol_secrets;
static bool pol_ready;

const struct policy *policy_active(void)
{
	return pol_ready ? &pol_active : NULL;
}

const struct policy_secrets *policy_secrets(void)
{
	return pol_ready ? &pol_secrets : NULL;
}

void policy_secrets_drop_keys(void)
{
	u32 i, n = 0;

	for (i = 0; i < pol_secrets.count; i++)
		if (pol_secrets.s[i].kind != POLICY_SECRET_KEY)
			pol_secrets.s[n++] = pol_secrets.s[i];
	for (i = n; i < pol_secrets.count; i++)
		policy_wipe(&pol_secrets.s[i], sizeof(pol_secrets.s[i]));
	pol_secrets.count = n;
}

static int refuse(const struct policy_diag *diag)
{
	char why[160];

	policy_diag_format(diag, why, sizeof(why));
	pr_err("policy: refused: %s\n", why);
	return VMM_ERR_POLICY;
}

void policy_secrets_wipe_all(void)
{
	policy_secrets_wipe(&pol_secrets);
}

/* Copy the blob into VMM memory and wipe the loader's (guest-visible) copy. */
static int policy_take_blob(struct boot_info *bi, u8 **blob)
{
	u8 *src = phys_to_virt(bi->policy);
	u64 size = bi->policy_size;

	if (!bi->policy || !size) {
		pr_err("policy: no policy blob (\\EFI\\mamori\\policy.bin missing); "
		       "refusing to start without one\n");
		return VMM_ERR_POLICY;
	}
	if (size > POLICY_MAX_BLOB_SIZE) {
		memset(src, 0, size);
		pr_err("policy: refused: blob of %lu bytes exceeds the %u-byte limit\n",
		       size, POLICY_MAX_BLOB_SIZE);
		return VMM_ERR_POLICY;
	}
	*blob = page_alloc((u32)(ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE));
	if (!*blob) {
		pr_err("policy: no VMM memory for a %lu-byte blob\n", size);
		return VMM_ERR_NOMEM;
	}
	memcpy(*blob, src, size);
	memset(src, 0, size);
	return VMM_OK;
}

/*
 * Sections this build enforces; a policy with any other rule is refused.
 * File rules: exact paths and inodes (ext4) on a disk the IDE intercept
 * reads; what else a rule asks (wildcards, a disk without a boot-time
 * reader) is refused rule by rule in the filecheck phase (vmm/filecheck_boot.c).
 */
#define POLICY_ENFORCED	(BIT(POLICY_REC_CONSOLE) | BIT(POLICY_REC_DISK) | \
			 BIT(POLICY_REC_NETWORK) | BIT(POLICY_REC_IOMMU) | BIT(POLICY_REC_FILE) | \
			 BIT(POLICY_REC_MONITOR))

/*
 * Network rules: all three modes are enforced (vmm/net.c); encrypt needs the
 * entropy MKA draws its member identifier and SAKs from: without it, refuse.
 */
static int policy_check_net_modes(const struct policy *pol)
{
	u8 probe[16];
	u32 i;

	for (i = 0; i < pol->n_net; i++) {
		const struct policy_net_rule *r = &pol->net[i];

		if (r->mode != POLICY_NET_ENCRYPT)
			continue;
		if (!arch_random_bytes(probe, sizeof(probe))) {
			memset(probe, 0, sizeof(probe));
			return VMM_OK;
		}
		pr_err("policy: refused: record %u (network) asks e1000 %02x:%02x.%x for mode "
		       "encrypt, but this CPU gives no entropy for MACsec key agreement\n",
		       r->origin, r->bus, r->dev, r->fn);
		return VMM_ERR_POLICY;
	}
	return VMM_OK;
}

/* Fail closed on coverage: a rule this build cannot enforce stops the boot. */
static int policy_check_coverage(const struct policy *pol, u16 console_port)
{
	u16 sec = policy_unenforced_section(pol, POLICY_ENFORCED, console_port);

	if (pol->ignored)
		pr_warn("policy: %u unknown optional record(s) skipped\n", pol->ignored);
	if (!sec)
		return policy_check_net_modes(pol);
	if (sec == POLICY_REC_CONSOLE)
		pr_err("policy: refused: section console names %s 0x%x, but this build "
		       "prompts on the VMM console UART 0x%x only\n",
		       pol->console.kind == POLICY_CONSOLE_UART ? "uart" : "the framebuffer",
		       pol->console.port, console_port);
	else
		pr_err("policy: refused: section %s present, but this build cannot "
		       "enforce it\n", policy_section_name(sec));
	return VMM_ERR_POLICY;
}

static int console_source(void *ctx)
{
	int c = console_getc();

	return c < 0 ? POLICY_GETC_NONE : c;
}

/* Drop what was typed before the prompt, so no stale input is taken as an answer. */
static void console_drain(void)
{
	u32 n = 0;

	while (console_getc() >= 0 && ++n < 4096)
		;
}

/* Up to POLICY_UNLOCK_TRIES passphrases; 0, VMM_ERR_AUTH or VMM_ERR_POLICY. */
static int policy_unlock(const struct policy *pol, struct policy_secrets *out)
{
	static char pass[POLICY_PASS_MAX + 1];
	struct policy_diag diag;
	size_t len;
	u32 attempt;
	u64 start;
	int rc, ret;

	if (!console_port()) {
		pr_err("policy: no trusted console to ask for the passphrase on\n");
		return VMM_ERR_AUTH;
	}
	console_flush();	/* the queued boot lines are not part of the unlock's time */
	start = arch_cycles();
	for (attempt = 1; attempt <= POLICY_UNLOCK_TRIES; attempt++) {
		console_drain();
		console_write_line(POLICY_PROMPT);
		rc = policy_read_line(console_source, NULL, pass, sizeof(pass), &len);
		console_write_line("\n");
		if (rc == POLICY_LINE_TOO_LONG) {
			pr_warn("policy: passphrase longer than %u bytes, not tried "
				"(attempt %u of %u)\n", POLICY_PASS_MAX, attempt,
				POLICY_UNLOCK_TRIES);
			continue;
		}
		ret = policy_unseal(pol, (const u8 *)pass, len, out, &diag);
		policy_wipe(pass, sizeof(pass));
		if (!ret) {
			pr_info("policy: secrets unlocked (%u secret(s), attempt %u of %u; "
				"%lu cycles from the first prompt)\n", out->count, attempt,
				POLICY_UNLOCK_TRIES, arch_cycles() - start);
			return VMM_OK;
		}
		if (ret != -POLICY_E_UNSEAL)
			return refuse(&diag);
		pr_warn("policy: wrong passphrase (attempt %u of %u)\n", attempt,
			POLICY_UNLOCK_TRIES);
	}
	pr_err("policy: %u wrong passphrases; not starting the OS\n", POLICY_UNLOCK_TRIES);
	return VMM_ERR_AUTH;
}

/* Hand the accepted version back to the loader, which records it. */
static void policy_report_version(struct boot_info *bi, u64 version)
{
	struct boot_info *loader_bi = phys_to_virt(bi->self);

	bi->policy_accepted_version = version;
	if (loader_bi && loader_bi->magic == BOOT_INFO_MAGIC)
		loader_bi->policy_accepted_version = version;
}

int policy_boot_phase(struct boot_info *bi)
{
	struct policy_diag diag;
	u8 *blob = NULL;
	int rc;

	rc = policy_take_blob(bi, &blob);
	if (rc)
		return rc;
	rc = policy_load(blob, bi->policy_size, policy_pubkey, POLICY_PUBKEY_LEN,
			 bi->policy_highest_version, &pol_active, &diag);
	memset(blob, 0, bi->policy_size);
	if (rc) {
		memset(&pol_active, 0, sizeof(pol_active));
		return refuse(&diag);
	}
	pr_info("policy: version %lu from key %s verified (%u bytes; highest accepted "
		"before: %lu)\n", pol_active.version, policy_pubkey_fpr, pol_active.size,
		bi->policy_highest_version);
	rc = policy_check_coverage(&pol_active, console_port());
	if (rc) {
		memset(&pol_active, 0, sizeof(pol_active));
		return rc;
	}
	if (pol_active.sections & BIT(POLICY_REC_SECRETS)) {
		rc = policy_unlock(&pol_active, &pol_secrets);
		if (rc) {
			policy_secrets_wipe(&pol_secrets);
			return rc;
		}
	} else {
		pr_info("policy: no sealed secrets; no passphrase needed\n");
	}
	pol_ready = true;
	policy_report_version(bi, pol_active.version);
	return VMM_OK;
}
