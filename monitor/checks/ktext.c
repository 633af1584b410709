// SPDX-License-Identifier: GPL-2.0-only
/* Kernel-text check: baseline hashes of supervisor-executable pages, re-checked in slices. */
#include <checks/ktext.h>
#include "checks_priv.h"

#define KT_STOP			1	/* walk callback: page budget spent */
#define KT_PASS_READS		(1u << 22)

static const u8 nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
static const u8 nop2[2] = { 0x66, 0x90 };

void chk_ktext_init(struct chk_ktext *kt, struct chk_kpage *pages, u32 cap,
		    const struct chk_ktext_cfg *cfg)
{
	__builtin_memset(kt, 0, sizeof(*kt));
	kt->pages = pages;
	kt->cap = cap;
	kt->cfg = *cfg;
	if (!kt->cfg.pass_read_budget)
		kt->cfg.pass_read_budget = KT_PASS_READS;
}

int chk_ktext_set_sites(struct chk_ktext *kt, const struct chk_site *sites, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (sites[i].len != 2 && sites[i].len != 5)
			return -EINVAL;
		if (i && sites[i].va < sites[i - 1].va + sites[i - 1].len)
			return -EINVAL;
	}
	kt->sites = sites;
	kt->nsites = n;
	return 0;
}

bool chk_ktext_baselined(const struct chk_ktext *kt)
{
	return kt->baselined;
}

/* Index of the first page with va >= @va. */
static u32 kt_lower(const struct chk_ktext *kt, u64 va)
{
	u32 lo = 0, hi = kt->n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (kt->pages[mid].va < va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct chk_kpage *chk_ktext_find(const struct chk_ktext *kt, u64 va)
{
	u32 i = kt_lower(kt, va & ~(PAGE_SIZE - 1));

	if (i < kt->n && kt->pages[i].va == (va & ~(PAGE_SIZE - 1)))
		return &kt->pages[i];
	return NULL;
}

bool chk_ktext_in_base(const struct chk_ktext *kt, u64 va)
{
	const struct chk_kpage *p = chk_ktext_find(kt, va);

	return p && (p->state & CHK_KP_BASE);
}

/* Index of the first site that ends after @va. */
static u32 kt_site_lower(const struct chk_ktext *kt, u64 va)
{
	u32 lo = 0, hi = kt->nsites;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (kt->sites[mid].va + kt->sites[mid].len <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

enum kt_site_state { SITE_OK, SITE_TRANSIENT, SITE_BAD };

/* Do the bytes after the opcode (@b[1..]) belong to the NOP or to the JMP to the target? */
static bool kt_site_tail(const struct chk_site *s, const u8 *b, bool *jmp)
{
	s64 rel;

	if (s->len == 5) {
		rel = (s32)((u32)b[1] | (u32)b[2] << 8 | (u32)b[3] << 16 | (u32)b[4] << 24);
		*jmp = 5 + rel == s->target_off;
		return *jmp || !__builtin_memcmp(b + 1, nop5 + 1, 4);
	}
	rel = (s8)b[1];
	*jmp = 2 + rel == s->target_off;
	return *jmp || b[1] == nop2[1];
}

/*
 * A NOP, or the JMP to the site's target: OK. An int3 on the first byte with
 * either tail: what text_poke_bp() leaves while a patch is under way (and
 * what a kprobe leaves for good): TRANSIENT. Anything else: BAD.
 */
static enum kt_site_state kt_site_check(const struct chk_site *s, const u8 *b)
{
	const u8 *nop = s->len == 5 ? nop5 : nop2;
	bool jmp, tail = kt_site_tail(s, b, &jmp);

	if (!__builtin_memcmp(b, nop, s->len))
		return SITE_OK;
	if (jmp && b[0] == (s->len == 5 ? 0xe9 : 0xeb))
		return SITE_OK;
	if (b[0] == 0xcc && tail)
		return SITE_TRANSIENT;
	return SITE_BAD;
}

/*
 * Leave the sites on page @va out of kt->buf; bad[SITE_TRANSIENT] and
 * bad[SITE_BAD]: the VA of the first site in that state (0 if none).
 */
static void kt_mask_sites(struct chk_ktext *kt, const struct chk_env *env, u64 va, u64 *bad)
{
	u32 i;

	bad[SITE_TRANSIENT] = bad[SITE_BAD] = 0;
	for (i = kt_site_lower(kt, va); i < kt->nsites && kt->sites[i].va < va + PAGE_SIZE; i++) {
		const struct chk_site *s = &kt->sites[i];
		u64 lo = MAX(s->va, va), hi = MIN(s->va + s->len, va + PAGE_SIZE);
		u8 b[5];

		if (s->va >= va) {
			if (hi == s->va + s->len)
				__builtin_memcpy(b, kt->buf + (s->va - va), s->len);
			else if (chk_read_virt(&kt->walk, env, s->va, b, s->len))
				b[0] = 0;	/* unreadable tail: not a valid form */
			enum kt_site_state st = kt_site_check(s, b);

			if (st != SITE_OK && !bad[st])
				bad[st] = s->va;
		}
		__builtin_memset(kt->buf + (lo - va), 0, hi - lo);
	}
}

static int kt_hash(struct chk_ktext *kt, const struct chk_env *env, u64 va, u64 gpa,
		   u8 out[CHK_SHA256_LEN], u64 bad_site[3])
{
	if (env->read_phys(env->ctx, gpa, kt->buf, PAGE_SIZE))
		return -EIO;
	kt_mask_sites(kt, env, va, bad_site);
	chk_sha256(kt->buf, PAGE_SIZE, out);
	return 0;
}

static bool kt_core(const struct chk_ktext *kt, u64 va)
{
	return va >= kt->cfg.core_lo && va < kt->cfg.core_hi;
}

/* Insert a page at @pos (array not full). */
static struct chk_kpage *kt_insert(struct chk_ktext *kt, u32 pos, u64 va, u64 gpa, u32 state)
{
	struct chk_kpage *p;

	__builtin_memmove(&kt->pages[pos + 1], &kt->pages[pos],
			  (kt->n - pos) * sizeof(*p));
	kt->n++;
	p = &kt->pages[pos];
	p->va = va;
	p->gpa = gpa;
	p->pass = kt->pass;
	p->state = state;
	return p;
}

static void kt_overflow(struct chk_ktext *kt, const struct chk_env *env, u64 va)
{
	if (!kt->overflow_told)
		chk_emit(env, CHK_EVENT, CHK_KTEXT_OVERFLOW, kt->cap, va, 0, 0);
	kt->overflow_told = true;
}

/*
 * A page not tracked yet: the baseline, or a new page (module, BPF) after it.
 * -EIO when it cannot be read (reported; the caller skips the mapping).
 */
static int kt_new_page(struct chk_ktext *kt, const struct chk_env *env, u32 pos,
			u64 va, u64 gpa, u32 flags)
{
	u8 h[CHK_SHA256_LEN];
	u32 state = kt->baselined ? 0 : CHK_KP_BASE;
	u64 bad[3];

	if (kt->n == kt->cap) {
		kt_overflow(kt, env, va);
		return 0;
	}
	if (kt_hash(kt, env, va, gpa, h, bad)) {
		chk_emit(env, CHK_EVENT, CHK_PAGE_READ, 0, va, gpa, 0);
		return -EIO;
	}
	if (kt_core(kt, va))
		state |= CHK_KP_CORE;
	__builtin_memcpy(kt_insert(kt, pos, va, gpa, state)->hash, h, sizeof(h));
	if (kt->baselined)
		chk_emit(env, CHK_EVENT, CHK_KTEXT_NEW, 0, va, 0, gpa);
	if (flags & CHK_MAP_WRITE)
		chk_emit(env, CHK_EVENT, CHK_KTEXT_WX, 0, va, 0, gpa);
	if (bad[SITE_BAD] || bad[SITE_TRANSIENT])
		chk_emit(env, CHK_EVENT, CHK_KTEXT_SITE, 0,
			 bad[SITE_BAD] ? bad[SITE_BAD] : bad[SITE_TRANSIENT], 0, 0);
	return 0;
}

static void kt_alert(const struct chk_env *env, struct chk_kpage *p, enum chk_kind kind,
		     u64 va, u64 old, u64 new)
{
	if (p->state & CHK_KP_ALERTED)
		return;
	p->state |= CHK_KP_ALERTED;
	chk_emit(env, CHK_ALERT, kind, 0, va, old, new);
}

/* A baseline page seen again: it must still be what it was. */
static void kt_base_page(struct chk_ktext *kt, const struct chk_env *env,
			 struct chk_kpage *p, u64 gpa)
{
	u8 h[CHK_SHA256_LEN];
	u64 bad[3];

	if (p->gpa != gpa)
		return kt_alert(env, p, CHK_KTEXT_REMAPPED, p->va, p->gpa, gpa);
	p->state &= ~CHK_KP_ABSENT;
	if (kt_hash(kt, env, p->va, gpa, h, bad))
		return kt_alert(env, p, CHK_PAGE_READ, p->va, gpa, 0);
	if (__builtin_memcmp(h, p->hash, sizeof(h)))
		return kt_alert(env, p, CHK_KTEXT_CHANGED, p->va, gpa, gpa);
	if (bad[SITE_BAD])
		return kt_alert(env, p, CHK_KTEXT_SITE, bad[SITE_BAD], 0, 0);
	if (bad[SITE_TRANSIENT] && (p->state & CHK_KP_PENDING))
		return kt_alert(env, p, CHK_KTEXT_SITE, bad[SITE_TRANSIENT], 0xcc, 0);
	if (bad[SITE_TRANSIENT]) {	/* a patch in flight: judge it next pass */
		p->state |= CHK_KP_PENDING;
		return;
	}
	p->state &= ~(CHK_KP_ALERTED | CHK_KP_PENDING);
}

/* A late page (or a module page moved to another GPA): news, never an alert. */
static void kt_late_page(struct chk_ktext *kt, const struct chk_env *env,
			 struct chk_kpage *p, u64 gpa)
{
	u8 h[CHK_SHA256_LEN];
	u64 bad[3];

	if (kt_hash(kt, env, p->va, gpa, h, bad)) {
		chk_emit(env, CHK_EVENT, CHK_PAGE_READ, 0, p->va, gpa, 0);
		return;
	}
	if (p->gpa != gpa) {
		chk_emit(env, CHK_EVENT, CHK_KTEXT_REMOVED, 0, p->va, p->gpa, 0);
		chk_emit(env, CHK_EVENT, CHK_KTEXT_NEW, 0, p->va, 0, gpa);
		p->gpa = gpa;
		p->state = 0;
	} else if (__builtin_memcmp(h, p->hash, sizeof(h))) {
		chk_emit(env, CHK_EVENT, CHK_KTEXT_LATE_CHANGED, 0, p->va, gpa, gpa);
	}
	__builtin_memcpy(p->hash, h, sizeof(h));
}

/* Check one 4 KiB page; -EIO: an untracked page could not be read. */
static int kt_page(struct chk_ktext *kt, const struct chk_env *env, u64 va, u64 gpa,
		   u32 flags)
{
	u32 pos = kt_lower(kt, va);
	struct chk_kpage *p;

	kt->pages_hashed++;
	if (pos == kt->n || kt->pages[pos].va != va)
		return kt_new_page(kt, env, pos, va, gpa, flags);
	p = &kt->pages[pos];
	p->pass = kt->pass;
	if (!kt->baselined) {	/* seen twice in the baseline pass: tables moved */
		p->gpa = gpa;
		u64 bad[3];

		kt_hash(kt, env, va, gpa, p->hash, bad);
		return 0;
	}
	if ((p->state & CHK_KP_BASE) && ((p->state & CHK_KP_CORE) || p->gpa == gpa))
		kt_base_page(kt, env, p, gpa);
	else
		kt_late_page(kt, env, p, gpa);
	return 0;
}

struct kt_walk_arg {
	struct chk_ktext *kt;
	const struct chk_env *env;
	u32 pages_left;
};

/*
 * Walk callback: every 4 KiB granule of @m; when the array is full, or after
 * an unreadable new page (one report per mapping, not 2^18 for a bad 1 GiB
 * page), only the tracked ones.
 */
static int kt_visit(void *arg, struct chk_walk *w, const struct chk_map *m)
{
	struct kt_walk_arg *a = arg;
	struct chk_ktext *kt = a->kt;
	u64 va = m->va & ~(PAGE_SIZE - 1), end = m->va + m->size;
	bool tracked_only = false;

	while (va < end) {
		if (kt->n == kt->cap || tracked_only) {
			u32 i = kt_lower(kt, va);

			if (!tracked_only)
				kt_overflow(kt, a->env, va);
			if (i == kt->n || kt->pages[i].va >= end)
				return 0;
			va = kt->pages[i].va;
		}
		if (!a->pages_left) {
			w->cursor = chk_walk_lin(w, va);
			return KT_STOP;
		}
		a->pages_left--;
		if (kt_page(kt, a->env, va, m->gpa + (va - m->va), m->flags))
			tracked_only = true;
		va += PAGE_SIZE;
	}
	return 0;
}

/* End of a pass: pages not seen are gone (core baseline pages stay, absent). */
static void kt_sweep(struct chk_ktext *kt, const struct chk_env *env)
{
	u32 i, j = 0;

	for (i = 0; i < kt->n; i++) {
		struct chk_kpage *p = &kt->pages[i];
		bool keep = p->pass == kt->pass;

		if (!keep && (p->state & CHK_KP_BASE) && (p->state & CHK_KP_CORE)) {
			if (!(p->state & CHK_KP_ABSENT))
				chk_emit(env, CHK_EVENT, CHK_KTEXT_REMOVED, 0, p->va, p->gpa, 0);
			p->state |= CHK_KP_ABSENT;
			keep = true;
		} else if (!keep) {
			chk_emit(env, CHK_EVENT, CHK_KTEXT_REMOVED, 0, p->va, p->gpa, 0);
		}
		if (keep && i != j)
			kt->pages[j] = *p;
		j += keep;
	}
	kt->n = j;
}

static void kt_start_pass(struct chk_ktext *kt, const struct chk_walk *w)
{
	kt->walk = *w;
	kt->pass++;
	kt->in_pass = true;
	kt->pass_reads = 0;
	kt->pages_hashed = 0;
	kt->overflow_told = false;
}

static void kt_end_pass(struct chk_ktext *kt, const struct chk_env *env, bool complete)
{
	if (complete)
		kt_sweep(kt, env);
	kt->in_pass = false;
	kt->baselined = true;
}

int chk_ktext_step(struct chk_ktext *kt, const struct chk_env *env,
		   const struct chk_vcpu *cpu, u32 page_budget, u32 read_budget)
{
	struct chk_vcpu c = *cpu;
	struct kt_walk_arg a = { .kt = kt, .env = env, .pages_left = page_budget };
	struct chk_walk w;
	u32 left, budget;
	int ret;

	if (kt->cfg.flags & CHK_KTEXT_LINUX_PTI)
		c.cr3 &= ~CHK_LINUX_PTI_USER_BIT;
	if (chk_walk_init(&w, &c, CHK_WALK_SUPER_EXEC | CHK_WALK_UPPER_HALF)) {
		if (!kt->paging_told)
			chk_emit(env, CHK_EVENT, CHK_PAGING_UNSUPPORTED, 0, 0, c.cr0, c.efer);
		kt->paging_told = true;
		return -EINVAL;
	}
	kt->paging_told = false;
	if (!kt->in_pass || w.levels != kt->walk.levels)
		kt_start_pass(kt, &w);
	kt->walk.root = w.root;
	kt->walk.nxe = w.nxe;
	left = kt->cfg.pass_read_budget - kt->pass_reads;
	budget = MIN(read_budget, left);
	ret = chk_walk_run(&kt->walk, env, &budget, kt_visit, &a);
	kt->pass_reads += MIN(read_budget, left) - budget;
	if (ret == KT_STOP)
		return -EAGAIN;
	if (ret == -EAGAIN && kt->pass_reads < kt->cfg.pass_read_budget)
		return -EAGAIN;
	if (ret == -EAGAIN)
		chk_emit(env, CHK_EVENT, CHK_WALK_BUDGET, 0,
			 chk_walk_va(&kt->walk, kt->walk.cursor), kt->pass_reads, 0);
	kt_end_pass(kt, env, ret == 0);
	return 0;
}
