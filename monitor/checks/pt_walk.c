// SPDX-License-Identifier: GPL-2.0-only
/* Resumable, budgeted walk of hostile guest page tables (4/5-level long mode). */
#include <checks/pt_walk.h>
#include "checks_priv.h"

#define PTE_P		BIT(0)
#define PTE_RW		BIT(1)
#define PTE_US		BIT(2)
#define PTE_PS		BIT(7)
#define PTE_XD		BIT(63)
#define PTE_ADDR	0x000ffffffffff000ull
#define RIGHTS_ALL	(CHK_MAP_WRITE | CHK_MAP_USER | CHK_MAP_EXEC)

int chk_walk_init(struct chk_walk *w, const struct chk_vcpu *cpu, u32 filter)
{
	if (!(cpu->cr0 & CHK_CR0_PG) || !(cpu->efer & CHK_EFER_LMA))
		return -EINVAL;
	w->root = cpu->cr3 & PTE_ADDR;
	w->levels = (cpu->cr4 & CHK_CR4_LA57) ? 5 : 4;
	w->nxe = !!(cpu->efer & CHK_EFER_NXE);
	w->filter = filter;
	w->end = chk_walk_lin_top(w);
	w->cursor = (filter & CHK_WALK_UPPER_HALF) ? w->end / 2 : 0;
	return 0;
}

u64 chk_walk_lin_top(const struct chk_walk *w)
{
	return BIT(12 + 9 * w->levels);
}

u64 chk_walk_va(const struct chk_walk *w, u64 lin)
{
	u64 top = chk_walk_lin_top(w);

	lin &= top - 1;
	return (lin & (top >> 1)) ? lin | ~(top - 1) : lin;
}

u64 chk_walk_lin(const struct chk_walk *w, u64 va)
{
	return va & (chk_walk_lin_top(w) - 1);
}

static bool walk_canonical(const struct chk_walk *w, u64 va)
{
	return chk_walk_va(w, va) == va;
}

/* Rights an entry grants, or 0 when it is not present or has reserved XD. */
static u32 pte_rights(const struct chk_walk *w, u64 e)
{
	u32 r = CHK_MAP_EXEC;

	if (!(e & PTE_P) || ((e & PTE_XD) && !w->nxe))
		return 0;
	if (e & PTE_RW)
		r |= CHK_MAP_WRITE;
	if (e & PTE_US)
		r |= CHK_MAP_USER;
	if (w->nxe && (e & PTE_XD))
		r &= ~CHK_MAP_EXEC;
	return r | BIT(31);	/* present marker */
}

/* A leaf at level @l (0: 4 KiB PTE, 1: 2 MiB PDE, 2: 1 GiB PDPTE)? PS above 2 is reserved. */
static int pte_kind(u64 e, u32 l)
{
	if (l == 0)
		return 1;
	if (!(e & PTE_PS))
		return 0;
	return l <= 2 ? 1 : -1;
}

static bool walk_wanted(const struct chk_walk *w, u32 flags)
{
	if (w->filter & CHK_WALK_SUPER_EXEC)
		return (flags & CHK_MAP_EXEC) && !(flags & CHK_MAP_USER);
	return true;
}

static int walk_read_pte(const struct chk_env *env, u64 table, u64 idx, u64 *e)
{
	return env->read_phys(env->ctx, table + idx * 8, e, 8);
}

/* Move the cursor on by @to; climb while it sits on a table boundary. */
static void walk_advance(struct chk_walk *w, u32 *l, u64 to)
{
	w->cursor = to;
	while (*l + 1 < w->levels && !(w->cursor & (BIT(12 + 9 * (*l + 1)) - 1)))
		(*l)++;
}

static int walk_leaf(struct chk_walk *w, u64 e, u32 l, u32 rights,
		     chk_walk_fn fn, void *arg)
{
	u64 psize = BIT(12 + 9 * l);
	u64 off = w->cursor & (psize - 1);
	u64 next = w->cursor - off + psize;
	struct chk_map m;
	int ret;

	if (next > w->end)
		next = w->end;
	if (!walk_wanted(w, rights)) {
		w->cursor = next;
		return 0;
	}
	m.va = chk_walk_va(w, w->cursor);
	m.gpa = (e & PTE_ADDR & ~(psize - 1)) + off;
	m.size = next - w->cursor;
	m.page_size = psize;
	m.flags = rights & RIGHTS_ALL;
	w->cursor = next;
	ret = fn(arg, w, &m);
	if (!ret)
		w->cursor = next;
	return ret;
}

int chk_walk_run(struct chk_walk *w, const struct chk_env *env, u32 *budget,
		 chk_walk_fn fn, void *arg)
{
	u64 table[5];
	u32 rights[5];
	u32 l = w->levels - 1;
	u64 top = chk_walk_lin_top(w);

	if (w->end > top)
		w->end = top;
	table[l] = w->root;
	rights[l] = RIGHTS_ALL;
	while (w->cursor < w->end) {
		u32 shift = 12 + 9 * l;
		u64 span = BIT(shift);
		u64 next = (w->cursor & ~(span - 1)) + span;
		u64 idx = (w->cursor >> shift) & 511, e;
		u32 r;
		int kind, ret;

		if (!*budget)
			return -EAGAIN;
		(*budget)--;
		if (walk_read_pte(env, table[l], idx, &e)) {
			chk_emit(env, CHK_EVENT, CHK_WALK_READ, l,
				 chk_walk_va(w, w->cursor), table[l], 0);
			walk_advance(w, &l, (w->cursor & ~(span * 512 - 1)) + span * 512);
			continue;
		}
		r = pte_rights(w, e);
		kind = r ? pte_kind(e, l) : -1;
		if (kind < 0) {
			walk_advance(w, &l, next);
			continue;
		}
		r &= rights[l];
		if (kind == 0) {
			l--;
			table[l] = e & PTE_ADDR;
			rights[l] = r;
			continue;
		}
		ret = walk_leaf(w, e, l, r, fn, arg);
		if (ret)
			return ret;
		walk_advance(w, &l, w->cursor);
	}
	return 0;
}

int chk_walk_translate(const struct chk_walk *w, const struct chk_env *env,
		       u64 va, u64 *gpa, u32 *flags)
{
	u64 lin = chk_walk_lin(w, va), table = w->root, e;
	u32 rights = RIGHTS_ALL;
	int l, kind;

	if (!walk_canonical(w, va))
		return -EFAULT;
	for (l = w->levels - 1; l >= 0; l--) {
		u32 shift = 12 + 9 * l, r;

		if (walk_read_pte(env, table, (lin >> shift) & 511, &e))
			return -EIO;
		r = pte_rights(w, e);
		kind = r ? pte_kind(e, l) : -1;
		if (kind < 0)
			return -ENOENT;
		rights &= r;
		if (kind == 1) {
			*gpa = (e & PTE_ADDR & ~(BIT(shift) - 1)) + (lin & (BIT(shift) - 1));
			*flags = rights & RIGHTS_ALL;
			return 0;
		}
		table = e & PTE_ADDR;
	}
	return -ENOENT;
}

int chk_read_virt(const struct chk_walk *w, const struct chk_env *env,
		  u64 va, void *buf, u32 len)
{
	u8 *p = buf;

	while (len) {
		u32 chunk = (u32)MIN((u64)len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		u64 gpa;
		u32 flags;
		int ret = chk_walk_translate(w, env, va, &gpa, &flags);

		if (ret)
			return ret;
		ret = env->read_phys(env->ctx, gpa, p, chunk);
		if (ret)
			return ret < 0 ? ret : -EIO;
		va += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}
