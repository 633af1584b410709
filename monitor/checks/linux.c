// SPDX-License-Identifier: GPL-2.0-only
/* Linux x86-64 specifics: KASLR'd _text and the jump-label sites from __jump_table. */
#include <checks/linux.h>
#include "checks_priv.h"

enum { JL_READ, JL_HEAPIFY, JL_SORT, JL_DONE };

static int linux_walk(const struct chk_vcpu *cpu, u32 flags, u32 filter, struct chk_walk *w)
{
	struct chk_vcpu c = *cpu;

	if (flags & CHK_KTEXT_LINUX_PTI)
		c.cr3 &= ~CHK_LINUX_PTI_USER_BIT;
	return chk_walk_init(w, &c, filter);
}

static int linux_first(void *arg, struct chk_walk *w, const struct chk_map *m)
{
	*(u64 *)arg = m->va;
	return 1;
}

int chk_linux_text_base(const struct chk_env *env, const struct chk_vcpu *cpu, u32 flags,
			u32 budget, u64 *text)
{
	struct chk_walk w;
	int ret = linux_walk(cpu, flags, CHK_WALK_SUPER_EXEC, &w);

	if (ret)
		return ret;
	w.cursor = chk_walk_lin(&w, CHK_LINUX_KIMAGE_LO);
	w.end = chk_walk_lin(&w, CHK_LINUX_KIMAGE_HI);
	ret = chk_walk_run(&w, env, &budget, linux_first, text);
	if (ret == 1)
		return 0;
	return ret ? ret : -ENOENT;
}

int chk_jump_load_init(struct chk_jump_load *j, u64 start, u64 end,
		       struct chk_site *sites, u32 cap, u32 flags)
{
	__builtin_memset(j, 0, sizeof(*j));
	if (end < start || start % 8 || (end - start) % CHK_LINUX_JUMP_ENTRY)
		return -EINVAL;
	if ((end - start) / CHK_LINUX_JUMP_ENTRY > cap)
		return -ENOSPC;
	j->start = start;
	j->end = end;
	j->pos = start;
	j->sites = sites;
	j->cap = cap;
	j->flags = flags;
	return 0;
}

static s32 le32(const u8 *b)
{
	return (s32)((u32)b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 | (u32)b[3] << 24);
}

/* The site's length from its bytes now: 5, 2, or 0 (no jump-label form). */
static u32 jl_site_len(const struct chk_walk *w, const struct chk_env *env, u64 va)
{
	static const u8 nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	u8 b[5];

	if (chk_read_virt(w, env, va, b, 2))
		return 0;
	if ((b[0] == 0x66 && b[1] == 0x90) || b[0] == 0xeb)
		return 2;
	if (b[0] != 0xe9 && b[0] != 0x0f)
		return 0;
	if (chk_read_virt(w, env, va, b, 5))
		return 0;
	return (b[0] == 0xe9 || !__builtin_memcmp(b, nop5, 5)) ? 5 : 0;
}

static int jl_read_one(struct chk_jump_load *j, const struct chk_walk *w,
		       const struct chk_env *env)
{
	u8 e[8];
	u64 code, target;
	u32 len;

	if (chk_read_virt(w, env, j->pos, e, sizeof(e)))
		return -EIO;
	code = j->pos + (u64)(s64)le32(e);
	target = j->pos + 4 + (u64)(s64)le32(e + 4);
	j->pos += CHK_LINUX_JUMP_ENTRY;
	len = jl_site_len(w, env, code);
	if (!len || (s64)(target - code) != (s32)(target - code)) {
		j->skipped++;
		return 0;
	}
	j->sites[j->n].va = code;
	j->sites[j->n].target_off = (s32)(target - code);
	j->sites[j->n].len = len;
	j->n++;
	return 0;
}

static void jl_swap(struct chk_site *a, struct chk_site *b)
{
	struct chk_site t = *a;

	*a = *b;
	*b = t;
}

static void jl_sift(struct chk_site *s, u32 i, u32 n)
{
	for (;;) {
		u32 c = 2 * i + 1;

		if (c >= n)
			return;
		if (c + 1 < n && s[c + 1].va > s[c].va)
			c++;
		if (s[i].va >= s[c].va)
			return;
		jl_swap(&s[i], &s[c]);
		i = c;
	}
}

/* Sorted: drop duplicates and overlaps (a hostile table), counting them. */
static void jl_dedupe(struct chk_jump_load *j)
{
	u32 i, k = 0;

	for (i = 0; i < j->n; i++) {
		if (k && j->sites[i].va < j->sites[k - 1].va + j->sites[k - 1].len) {
			j->skipped++;
			continue;
		}
		j->sites[k++] = j->sites[i];
	}
	j->n = k;
}

int chk_jump_load_step(struct chk_jump_load *j, const struct chk_env *env,
		       const struct chk_vcpu *cpu, u32 budget)
{
	struct chk_walk w;
	int ret = linux_walk(cpu, j->flags, 0, &w);

	if (ret)
		return ret;
	for (; budget; budget--) {
		switch (j->phase) {
		case JL_READ:
			if (j->pos >= j->end) {
				j->phase = JL_HEAPIFY;
				j->heap_i = j->n / 2;
				break;
			}
			if (jl_read_one(j, &w, env))
				return -EIO;
			break;
		case JL_HEAPIFY:
			if (!j->heap_i) {
				j->phase = JL_SORT;
				j->heap_end = j->n;
				break;
			}
			jl_sift(j->sites, --j->heap_i, j->n);
			break;
		case JL_SORT:
			if (j->heap_end <= 1) {
				jl_dedupe(j);
				j->phase = JL_DONE;
				break;
			}
			jl_swap(&j->sites[0], &j->sites[--j->heap_end]);
			jl_sift(j->sites, 0, j->heap_end);
			break;
		default:
			return 0;
		}
	}
	return j->phase == JL_DONE ? 0 : -EAGAIN;
}

int chk_jump_find_init(struct chk_jump_find *f, u64 lo, u64 hi, u32 flags)
{
	__builtin_memset(f, 0, sizeof(*f));
	if (hi < lo || (lo | hi) & (PAGE_SIZE - 1))
		return -EINVAL;
	f->lo = f->cursor = lo;
	f->hi = hi;
	f->flags = flags;
	return 0;
}

static bool jf_in_image(u64 va)
{
	return va >= CHK_LINUX_KIMAGE_LO && va < CHK_LINUX_KIMAGE_HI;
}

static bool jf_exec(const struct chk_walk *w, const struct chk_env *env, u64 va)
{
	u64 gpa;
	u32 fl;

	return jf_in_image(va) && !chk_walk_translate(w, env, va, &gpa, &fl) &&
	       (fl & CHK_MAP_EXEC) && !(fl & CHK_MAP_USER);
}

/* Is the 16 bytes at @va (@e) a plausible relative jump_entry? */
static bool jf_plausible(const struct chk_walk *w, const struct chk_env *env,
			 u64 va, const u8 *e)
{
	u64 code = va + (u64)(s64)le32(e), target = va + 4 + (u64)(s64)le32(e + 4);
	u8 b[5];
	u32 len;
	s64 rel;

	if (!jf_exec(w, env, code) || !jf_exec(w, env, target))
		return false;
	len = jl_site_len(w, env, code);
	if (!len || chk_read_virt(w, env, code, b, len))
		return false;
	if (b[0] == 0xe9)
		rel = le32(b + 1);
	else if (b[0] == 0xeb)
		rel = (s8)b[1];
	else
		return true;	/* a NOP: the target cannot be checked */
	return code + len + (u64)rel == target;
}

static void jf_close(struct chk_jump_find *f, struct chk_jump_run *r)
{
	if (r->good > f->best.good)
		f->best = *r;
	__builtin_memset(r, 0, sizeof(*r));
}

static void jf_entry(struct chk_jump_find *f, struct chk_jump_run *r, u64 va, bool ok)
{
	if (ok) {
		if (!r->good)
			r->start = va;
		r->good++;
		r->gap = 0;
		r->last = va + CHK_LINUX_JUMP_ENTRY;
	} else if (r->good && ++r->gap > CHK_JUMP_FIND_GAP) {
		jf_close(f, r);
	}
}

/* One page of candidates; a page that is not read-only data ends every run. */
static void jf_page(struct chk_jump_find *f, const struct chk_walk *w,
		    const struct chk_env *env, u64 va)
{
	u64 gpa;
	u32 fl, off;

	if (chk_walk_translate(w, env, va, &gpa, &fl) ||
	    (fl & (CHK_MAP_EXEC | CHK_MAP_USER | CHK_MAP_WRITE)) ||
	    env->read_phys(env->ctx, gpa, f->page, PAGE_SIZE)) {
		jf_close(f, &f->cur[0]);
		jf_close(f, &f->cur[1]);
		return;
	}
	for (off = 0; off + 8 <= PAGE_SIZE; off += 8) {
		bool ok = jf_plausible(w, env, va + off, f->page + off);

		jf_entry(f, &f->cur[(off / 8) & 1], va + off, ok);
	}
}

int chk_jump_find_step(struct chk_jump_find *f, const struct chk_env *env,
		       const struct chk_vcpu *cpu, u32 pages, u64 *start, u64 *end)
{
	struct chk_walk w;
	int ret = linux_walk(cpu, f->flags, 0, &w);

	if (ret)
		return ret;
	for (; pages && f->cursor < f->hi; pages--, f->cursor += PAGE_SIZE)
		jf_page(f, &w, env, f->cursor);
	if (f->cursor < f->hi)
		return -EAGAIN;
	jf_close(f, &f->cur[0]);
	jf_close(f, &f->cur[1]);
	if (f->best.good < CHK_JUMP_FIND_MIN)
		return -ENOENT;
	*start = f->best.start;
	*end = f->best.last;
	return 0;
}
