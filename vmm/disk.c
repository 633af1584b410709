// SPDX-License-Identifier: GPL-2.0-only
/*
 * Encrypted disk ranges: the policy's disk rules resolved at boot (refused when
 * no intercept would enforce them), the intercepts' claims and the coverage
 * check, and disk_crypt().
 */
#include <mamori/devices.h>
#include <mamori/disk.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/policy.h>
#include <mamori/string.h>
#include <crypto/xts.h>
#ifndef MAMORI_HOST_TEST
#include <asm/percpu.h>
#include <asm/processor.h>
#endif

#define DISK_FPU_CPUS		BOOT_CPUS_MAX
#define DISK_FPU_PAGES		((u32)(ALIGN_UP(sizeof(struct fpu_area), PAGE_SIZE) / \
				       PAGE_SIZE))
#define DISK_CTL_SCAN_MAX	256
#define DISK_WIPE_SPINS		(1u << 24)	/* ~1 s of PAUSE: far more than any disk_crypt() */

static struct disk disks[DISK_MAX];
static u32 ndisks;
static struct xts_key disk_keys[POLICY_MAX_DISK_RULES];
static char disk_key_names[POLICY_MAX_DISK_RULES][POLICY_NAME_LEN];
static u32 nkeys;
/* disk_wipe_keys(): set once; disk_crypt() calls in flight that may still read a key. */
static bool disk_keys_wiped;
static u32 disk_crypt_busy;
/* One SIMD save area per CPU (12 KiB each: too big for an exit stack). */
static struct fpu_area *disk_fpu[DISK_FPU_CPUS];

_Static_assert((int)POLICY_DISK_ATA == BOOT_DISK_ATA &&
	       (int)POLICY_DISK_AHCI == BOOT_DISK_AHCI &&
	       (int)POLICY_DISK_NVME == BOOT_DISK_NVME, "policy and boot_info disk kinds differ");

static const char *const disk_kind_names[] = {
	[BOOT_DISK_ATA] = "ata", [BOOT_DISK_AHCI] = "ahci", [BOOT_DISK_NVME] = "nvme",
};

static const char *kind_name(u32 kind)
{
	return kind < ARRAY_SIZE(disk_kind_names) && disk_kind_names[kind] ?
	       disk_kind_names[kind] : "?";
}

static u32 disk_cpu(void)
{
#ifdef MAMORI_HOST_TEST
	return 0;
#else
	return this_cpu()->cpu_id;
#endif
}

static void disk_relax(void)
{
#ifndef MAMORI_HOST_TEST
	cpu_relax();
#endif
}

static void disk_reset(void)
{
	u32 i;

	for (i = 0; i < nkeys; i++)
		xts_key_wipe(&disk_keys[i]);
	memset(disk_key_names, 0, sizeof(disk_key_names));
	memset(disks, 0, sizeof(disks));
	ndisks = 0;
	nkeys = 0;
	__atomic_store_n(&disk_keys_wiped, false, __ATOMIC_SEQ_CST);
}

/* Equal after trimming spaces at both ends; @b may lack a NUL within @bmax. */
static bool ident_eq(const char *a, const char *b, size_t bmax)
{
	size_t la = strlen(a), lb = strnlen(b, bmax);

	while (la && a[la - 1] == ' ')
		la--;
	while (la && *a == ' ')
		a++, la--;
	while (lb && b[lb - 1] == ' ')
		lb--;
	while (lb && *b == ' ')
		b++, lb--;
	return la == lb && !memcmp(a, b, la);
}

static bool same_device(const struct boot_disk *a, const struct boot_disk *b)
{
	return a->kind == b->kind && a->pci_bus == b->pci_bus && a->pci_dev == b->pci_dev &&
	       a->pci_fn == b->pci_fn && a->port == b->port && a->unit == b->unit;
}

static bool same_bdf(u16 bdf, const struct boot_disk *w)
{
	return w->pci_dev < 32 && w->pci_fn < 8 &&
	       bdf == (u16)(w->pci_bus << 8 | w->pci_dev << 3 | w->pci_fn);
}

/* Does the whole disk @w match rule @r? */
static bool rule_matches(const struct policy_disk_rule *r, const struct boot_disk *w)
{
	const struct disk_intercept *di;
	u16 bdf;

	if (w->part_index || !w->kind || w->kind >= ARRAY_SIZE(disk_kind_names))
		return false;
	if (r->match == POLICY_DISK_IDENTITY)
		return (r->model[0] || r->serial[0]) &&
		       (!r->model[0] || ident_eq(r->model, w->model, sizeof(w->model))) &&
		       (!r->serial[0] || ident_eq(r->serial, w->serial, sizeof(w->serial)));
	if (r->match != w->kind || r->port != w->port || r->unit != w->unit)
		return false;
	di = devices_disk_intercept(w->kind);
	if (!di || di->controller_bdf(r->controller, &bdf))
		return false;
	return same_bdf(bdf, w);
}

/* The controller index of @w's controller among those of its kind, or -ENOENT. */
static int controller_index(const struct disk_intercept *di, const struct boot_disk *w)
{
	u16 bdf;
	u32 i;

	for (i = 0; i < DISK_CTL_SCAN_MAX && !di->controller_bdf(i, &bdf); i++)
		if (same_bdf(bdf, w))
			return (int)i;
	return -ENOENT;
}

/*
 * Can an intercept enforce rule @r? Checked for every rule, present disk or
 * not: a rule of a kind no intercept serves, or on a controller the
 * intercept does not take over, would be "encrypted" in the log and
 * plaintext on the disk.
 */
static int rule_enforceable(const struct policy_disk_rule *r)
{
	const struct disk_intercept *di;

	if (r->match == POLICY_DISK_IDENTITY)
		return 0;	/* checked per matching disk: disk_enforceable() */
	di = devices_disk_intercept(r->match);
	if (!di) {
		pr_err("disk: rule %u: no intercept enforces %s rules on this VMM; refusing the "
		       "policy\n", r->origin, kind_name(r->match));
		return -EPERM;
	}
	if (r->controller >= di->controllers) {
		pr_err("disk: rule %u: %s controller %u is not intercepted (the %s intercept "
		       "takes %u); refusing the policy\n", r->origin, di->kind_name,
		       r->controller, di->kind_name, di->controllers);
		return -EPERM;
	}
	return 0;
}

/* Is whole disk @w, which rule @r matches, on a controller an intercept takes over? */
static int disk_enforceable(const struct policy_disk_rule *r, const struct boot_disk *w)
{
	const struct disk_intercept *di = devices_disk_intercept(w->kind);
	int ctl = di ? controller_index(di, w) : -ENOENT;

	if (di && ctl >= 0 && (u32)ctl < di->controllers)
		return 0;
	pr_err("disk: rule %u: matches the %s disk at %02x:%02x.%u port %u unit %u, which no "
	       "intercept serves; refusing the policy\n", r->origin, kind_name(w->kind),
	       w->pci_bus, w->pci_dev, w->pci_fn, w->port, w->unit);
	return -EPERM;
}

/* The range rule @r names on disk @w, as [*@start, *@end). */
static int rule_range(const struct boot_info *bi, const struct policy_disk_rule *r,
		      const struct boot_disk *w, u64 *start, u64 *end)
{
	u32 i;

	if (r->range == POLICY_RANGE_LBA) {
		*start = r->lba_start;
		*end = r->lba_end;
		if (*start >= *end || (w->lba_count && *end > w->lba_count)) {
			pr_err("disk: rule %u: sectors [%lu, %lu) do not lie within the disk "
			       "(%lu sectors)\n", r->origin, *start, *end, w->lba_count);
			return -EINVAL;
		}
		return 0;
	}
	for (i = 0; i < bi->disk_count && i < BOOT_DISKS_MAX; i++) {
		const struct boot_disk *p = &bi->disks[i];

		if (!p->part_index || !same_device(p, w))
			continue;
		if (r->range == POLICY_RANGE_GPT_INDEX ? p->part_index != r->gpt_index :
		    memcmp(p->part_guid, r->gpt_guid, sizeof(p->part_guid)))
			continue;
		*start = p->lba_start;
		*end = p->lba_start + p->lba_count;
		if (*start >= *end || (w->lba_count && *end > w->lba_count)) {
			pr_err("disk: rule %u: partition %u [%lu, %lu) lies outside its disk\n",
			       r->origin, p->part_index, *start, *end);
			return -EINVAL;
		}
		return 0;
	}
	if (r->range == POLICY_RANGE_GPT_INDEX)
		pr_err("disk: rule %u: the disk has no GPT partition %u\n", r->origin,
		       r->gpt_index);
	else
		pr_err("disk: rule %u: the disk has no partition with the rule's GUID\n",
		       r->origin);
	return -ENOENT;
}

/* The expanded key named @id, expanding it on first use (SIMD section open). */
static int rule_key(const struct policy_secrets *s, const struct policy_disk_rule *r,
		    const struct xts_key **key)
{
	const struct policy_secret *sec;
	u32 i;
	int ret;

	for (i = 0; i < nkeys; i++)
		if (!strncmp(disk_key_names[i], r->key_id, POLICY_NAME_LEN)) {
			*key = &disk_keys[i];
			return 0;
		}
	sec = s ? policy_find_secret(s, r->key_id) : NULL;
	if (!sec || sec->kind != POLICY_SECRET_KEY || sec->len != XTS_KEY_SIZE) {
		pr_err("disk: rule %u: key '%s' missing or not a %u-byte key\n", r->origin,
		       r->key_id, XTS_KEY_SIZE);
		return -EINVAL;
	}
	if (nkeys >= ARRAY_SIZE(disk_keys))
		return -ENOMEM;
	ret = xts_setkey(&disk_keys[nkeys], sec->value);
	if (ret) {
		xts_key_wipe(&disk_keys[nkeys]);
		pr_err("disk: rule %u: key '%s' rejected (%s)\n", r->origin, r->key_id,
		       ret == -ENOSYS ? "no AES-NI" : "its two halves are equal");
		return -EINVAL;
	}
	memcpy(disk_key_names[nkeys], r->key_id, POLICY_NAME_LEN);
	*key = &disk_keys[nkeys++];
	return 0;
}

/* The struct disk of @w, added on first use. */
static struct disk *disk_get(const struct boot_disk *w)
{
	const struct disk_intercept *di = devices_disk_intercept(w->kind);
	struct disk *d;
	u32 i;
	int ctl;

	for (i = 0; i < ndisks; i++) {
		d = &disks[i];
		if (d->kind == w->kind && d->bus == w->pci_bus && d->dev == w->pci_dev &&
		    d->fn == w->pci_fn && d->port == w->port && d->unit == w->unit)
			return d;
	}
	ctl = di ? controller_index(di, w) : -ENOENT;
	if (ctl < 0 || ndisks >= DISK_MAX)
		return NULL;
	d = &disks[ndisks++];
	d->kind = w->kind;
	d->bus = w->pci_bus;
	d->dev = w->pci_dev;
	d->fn = w->pci_fn;
	d->controller = (u16)ctl;
	d->port = w->port;
	d->unit = w->unit;
	if (w->kind == BOOT_DISK_ATA)
		log_snprintf(d->name, sizeof(d->name), "ata%u.%u.%u", ctl, w->port, w->unit);
	else if (w->kind == BOOT_DISK_AHCI)
		log_snprintf(d->name, sizeof(d->name), "ahci%u.%u", ctl, w->port);
	else
		log_snprintf(d->name, sizeof(d->name), "%s%un%u", kind_name(w->kind), ctl,
			     w->unit);
	return d;
}

/* Insert [@start, @end) into @d's ranges, kept sorted; -EINVAL on overlap. */
static int range_add(struct disk *d, const struct disk_range *nr)
{
	u32 i = d->nranges, j;

	for (j = 0; j < d->nranges; j++)
		if (d->range[j].start < nr->end && nr->start < d->range[j].end) {
			pr_err("disk: %s: rules %u and %u overlap ([%lu, %lu) and [%lu, %lu))\n",
			       d->name, d->range[j].rule, nr->rule, d->range[j].start,
			       d->range[j].end, nr->start, nr->end);
			return -EINVAL;
		}
	if (d->nranges >= DISK_RANGES_MAX)
		return -ENOMEM;
	while (i > 0 && d->range[i - 1].start > nr->start) {
		d->range[i] = d->range[i - 1];
		i--;
	}
	d->range[i] = *nr;
	d->nranges++;
	return 0;
}

/* Apply rule @r, whose key is @key, to the whole disk @w. */
static int rule_apply(const struct boot_info *bi, const struct policy_disk_rule *r,
		      const struct xts_key *key, const struct boot_disk *w)
{
	struct disk_range nr = { .iv_offset = r->iv_offset, .key = key, .rule = r->origin };
	struct disk *d;
	int ret;

	ret = rule_range(bi, r, w, &nr.start, &nr.end);
	if (ret)
		return ret;
	d = disk_get(w);
	if (!d) {
		pr_err("disk: rule %u: controller %02x:%02x.%u not found by the PCI scan, "
		       "or more than %u disks\n", r->origin, w->pci_bus, w->pci_dev,
		       w->pci_fn, DISK_MAX);
		return -ENOMEM;
	}
	return range_add(d, &nr);
}

static void rule_absent(const struct policy_disk_rule *r)
{
	if (r->match == POLICY_DISK_IDENTITY)
		pr_warn("disk: rule %u: no disk with model \"%s\" serial \"%s\"; rule inactive\n",
			r->origin, r->model, r->serial);
	else
		pr_warn("disk: rule %u: no %s disk at controller %u port %u unit %u; "
			"rule inactive\n", r->origin, kind_name(r->match), r->controller,
			r->port, r->unit);
}

/* Rule @r against every disk; its key is checked even when no disk matches. */
static int rule_resolve(const struct boot_info *bi, const struct policy_disk_rule *r,
			const struct policy_secrets *s)
{
	const struct xts_key *key;
	u32 i, found = 0;
	int ret;

	ret = rule_enforceable(r);
	if (!ret)
		ret = rule_key(s, r, &key);
	if (ret)
		return ret;
	for (i = 0; i < bi->disk_count && i < BOOT_DISKS_MAX; i++) {
		if (!rule_matches(r, &bi->disks[i]))
			continue;
		found++;
		ret = disk_enforceable(r, &bi->disks[i]);
		if (!ret)
			ret = rule_apply(bi, r, key, &bi->disks[i]);
		if (ret)
			return ret;
	}
	if (!found)
		rule_absent(r);
	return 0;
}

static const char *key_name(const struct xts_key *k)
{
	return disk_key_names[k - disk_keys];
}

static void disk_report(void)
{
	u32 i, j;

	for (i = 0; i < ndisks; i++)
		for (j = 0; j < disks[i].nranges; j++) {
			const struct disk_range *r = &disks[i].range[j];

			if (r->iv_offset)
				pr_info("disk: %s sectors [%lu, %lu) encrypted (rule %u, key %s, "
					"iv-offset %lu)\n", disks[i].name, r->start, r->end,
					r->rule, key_name(r->key), r->iv_offset);
			else
				pr_info("disk: %s sectors [%lu, %lu) encrypted (rule %u, key %s)\n",
					disks[i].name, r->start, r->end, r->rule,
					key_name(r->key));
		}
}

static int disk_fpu_alloc(u32 cpus)
{
	u32 i;

	for (i = 0; i < cpus && i < DISK_FPU_CPUS; i++)
		if (!disk_fpu[i]) {
			disk_fpu[i] = page_alloc(DISK_FPU_PAGES);
			if (!disk_fpu[i])
				return -ENOMEM;
		}
	return 0;
}

static int disk_resolve_all(const struct boot_info *bi, const struct policy *p,
			    const struct policy_secrets *s)
{
	u32 i;
	int ret = 0;

	/* The boot CPU's area: disk_init runs before the per-CPU state exists. */
	if (crypto_simd_begin(disk_fpu[0]))
		return -EINVAL;
	for (i = 0; i < p->n_disk && i < POLICY_MAX_DISK_RULES && !ret; i++)
		ret = rule_resolve(bi, &p->disk[i], s);
	crypto_simd_end(disk_fpu[0]);
	return ret;
}

int disk_init(const struct boot_info *bi, const struct policy *p,
	      const struct policy_secrets *s)
{
	int ret;

	disk_reset();
	if (!p || !p->n_disk)
		return 0;
	ret = disk_fpu_alloc(bi->cpu_count ? bi->cpu_count : 1);
	if (ret) {
		pr_err("disk: no VMM memory for the SIMD save areas\n");
		return ret;
	}
	ret = disk_resolve_all(bi, p, s);
	if (ret) {
		disk_reset();
		return ret;
	}
	disk_report();
	return 0;
}

static struct disk *disk_at(u8 kind, u8 bus, u8 dev, u8 fn, u16 port, u32 unit)
{
	u32 i;

	for (i = 0; i < ndisks; i++) {
		struct disk *d = &disks[i];

		if (d->kind == kind && d->bus == bus && d->dev == dev && d->fn == fn &&
		    d->port == port && d->unit == unit && d->nranges)
			return d;
	}
	return NULL;
}

const struct disk *disk_find(u8 kind, u8 bus, u8 dev, u8 fn, u16 port, u32 unit)
{
	return disk_at(kind, bus, dev, fn, port, unit);
}

const struct disk *disk_claim(u8 kind, u8 bus, u8 dev, u8 fn, u16 port, u32 unit,
			      const char *owner)
{
	struct disk *d = disk_at(kind, bus, dev, fn, port, unit);

	if (d && !d->owner)
		d->owner = owner;
	return d;
}

int disk_check_coverage(void)
{
	int ret = 0;
	u32 i, j;

	for (i = 0; i < ndisks; i++) {
		if (disks[i].owner || !disks[i].nranges)
			continue;
		for (j = 0; j < disks[i].nranges; j++)
			pr_err("disk: rule %u: %s sectors [%lu, %lu) are to be encrypted, but no "
			       "intercept serves %s (its controller is not intercepted); "
			       "not launching\n", disks[i].range[j].rule, disks[i].name,
			       disks[i].range[j].start, disks[i].range[j].end, disks[i].name);
		ret = -EPERM;
	}
	if (!ret && ndisks)
		pr_info("disk: every disk with encrypted ranges is served by an intercept\n");
	return ret;
}

bool disk_touches(const struct disk *d, u64 lba, u64 nsect)
{
	u64 last;
	u32 i;

	if (!d || !nsect)
		return false;
	last = lba + nsect - 1 < lba ? ~0ULL : lba + nsect - 1;
	for (i = 0; i < d->nranges; i++)
		if (d->range[i].start <= last && lba < d->range[i].end)
			return true;
	return false;
}

/* The range holding sector @s, or NULL and in *@next the sectors before the next range. */
static const struct disk_range *range_at(const struct disk *d, u64 s, u64 *next)
{
	u32 i;

	*next = ~0ULL;
	for (i = 0; i < d->nranges; i++) {
		if (s < d->range[i].start) {
			*next = d->range[i].start - s;
			return NULL;
		}
		if (s < d->range[i].end)
			return &d->range[i];
	}
	return NULL;
}

static int disk_crypt_ranges(const struct disk *d, u64 lba, u8 *buf, u64 nsect, bool encrypt)
{
	const struct disk_range *r;
	struct fpu_area *fpu;
	u64 i, n, gap;
	u32 cpu;

	cpu = disk_cpu();
	fpu = cpu < DISK_FPU_CPUS ? disk_fpu[cpu] : NULL;
	if (lba + nsect < lba || !fpu || crypto_simd_begin(fpu))
		return -EIO;
	for (i = 0; i < nsect; i += n) {
		r = range_at(d, lba + i, &gap);
		if (!r) {
			n = MIN(gap, nsect - i);
			continue;
		}
		n = MIN(r->end - (lba + i), nsect - i);
		if (encrypt)
			xts_encrypt_sectors(r->key, lba + i - r->start + r->iv_offset,
					    buf + i * DISK_SECTOR, buf + i * DISK_SECTOR, n);
		else
			xts_decrypt_sectors(r->key, lba + i - r->start + r->iv_offset,
					    buf + i * DISK_SECTOR, buf + i * DISK_SECTOR, n);
	}
	crypto_simd_end(fpu);
	return 0;
}

int disk_crypt(const struct disk *d, u64 lba, u8 *buf, u64 nsect, bool encrypt)
{
	int ret = -EIO;

	if (!disk_touches(d, lba, nsect))
		return 0;
	/* Pairs with disk_wipe_keys(): either it sees us busy, or we see the flag. */
	__atomic_add_fetch(&disk_crypt_busy, 1, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&disk_keys_wiped, __ATOMIC_SEQ_CST))
		ret = disk_crypt_ranges(d, lba, buf, nsect, encrypt);
	__atomic_sub_fetch(&disk_crypt_busy, 1, __ATOMIC_SEQ_CST);
	return ret;
}

bool disk_wipe_keys(void)
{
	u32 spins = DISK_WIPE_SPINS, i;
	bool idle;

	__atomic_store_n(&disk_keys_wiped, true, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&disk_crypt_busy, __ATOMIC_SEQ_CST) && --spins)
		disk_relax();
	idle = !__atomic_load_n(&disk_crypt_busy, __ATOMIC_SEQ_CST);
	for (i = 0; i < POLICY_MAX_DISK_RULES; i++)
		xts_key_wipe(&disk_keys[i]);
	return idle;
}
