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
	if (end < start || (start | end) % CHK_LINUX_JUMP_ENTRY)
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
