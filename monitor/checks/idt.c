// SPDX-License-Identifier: GPL-2.0-only
/* IDT and syscall-entry MSR checks against a per-vCPU baseline. */
#include <checks/idt.h>
#include "checks_priv.h"

#define TOLD_IDTR		BIT(0)
#define TOLD_READ		BIT(1)
#define TOLD_MSR_CHANGED(i)	BIT(4 + (i))
#define TOLD_MSR_OUTSIDE(i)	BIT(8 + (i))

static const u32 idt_msr_nr[3] = { CHK_MSR_LSTAR, CHK_MSR_CSTAR, CHK_MSR_SYSENTER_EIP };

u64 chk_idt_handler(const u8 *g)
{
	return (u64)g[0] | (u64)g[1] << 8 | (u64)g[6] << 16 | (u64)g[7] << 24 |
	       (u64)g[8] << 32 | (u64)g[9] << 40 | (u64)g[10] << 48 | (u64)g[11] << 56;
}

bool chk_idt_present(const u8 *g)
{
	return g[5] & 0x80;
}

/* Report once while @cond holds; forget when it clears. */
static void idt_once(const struct chk_env *env, u32 *told, u32 bit, bool cond,
		     enum chk_kind kind, u32 index, u64 va, u64 old, u64 new)
{
	if (!cond) {
		*told &= ~bit;
		return;
	}
	if (!(*told & bit))
		chk_emit(env, CHK_ALERT, kind, index, va, old, new);
	*told |= bit;
}

static void idt_once_vec(const struct chk_env *env, u64 *told, u32 v, bool cond,
			 enum chk_kind kind, u64 va, u64 old, u64 new)
{
	u64 bit = BIT(v % 64);

	if (!cond) {
		told[v / 64] &= ~bit;
		return;
	}
	if (!(told[v / 64] & bit))
		chk_emit(env, CHK_ALERT, kind, v, va, old, new);
	told[v / 64] |= bit;
}

static void idt_msrs(struct chk_idt_base *b, const struct chk_env *env,
		     const struct chk_vcpu *cpu, const struct chk_ktext *kt)
{
	const u64 now[3] = { cpu->lstar, cpu->cstar, cpu->sysenter_eip };
	u32 i;

	for (i = 0; i < 3; i++) {
		idt_once(env, &b->told, TOLD_MSR_CHANGED(i), now[i] != b->msr[i],
			 CHK_MSR_CHANGED, idt_msr_nr[i], now[i], b->msr[i], now[i]);
		idt_once(env, &b->told, TOLD_MSR_OUTSIDE(i),
			 now[i] && !chk_ktext_in_base(kt, now[i]),
			 CHK_MSR_OUTSIDE, idt_msr_nr[i], now[i], b->msr[i], now[i]);
	}
}

/* Read the IDT at @base/@limit into @out; the number of gates, or <0. */
static int idt_read(const struct chk_env *env, const struct chk_vcpu *cpu,
		    u64 base, u32 limit, u8 *out)
{
	u32 n = MIN((limit + 1) / CHK_IDT_GATE_SIZE, CHK_IDT_VECTORS);
	struct chk_walk w;
	int ret;

	ret = chk_walk_init(&w, cpu, 0);
	if (ret)
		return ret;
	ret = chk_read_virt(&w, env, base, out, n * CHK_IDT_GATE_SIZE);
	return ret ? ret : (int)n;
}

static void idt_gates(struct chk_idt_base *b, const struct chk_env *env,
		      const struct chk_ktext *kt, const u8 *idt, u32 n)
{
	u32 v;

	for (v = 0; v < CHK_IDT_VECTORS; v++) {
		const u8 *g = idt + v * CHK_IDT_GATE_SIZE;
		const u8 *old = b->idt + v * CHK_IDT_GATE_SIZE;
		bool in = v < n, was = v < b->ngates;
		bool changed = in != was || (in && __builtin_memcmp(g, old, CHK_IDT_GATE_SIZE));
		u64 h = in ? chk_idt_handler(g) : 0;

		idt_once_vec(env, b->told_changed, v, changed, CHK_IDT_GATE_CHANGED,
			     h, was ? chk_idt_handler(old) : 0, h);
		idt_once_vec(env, b->told_outside, v,
			     in && chk_idt_present(g) && !chk_ktext_in_base(kt, h),
			     CHK_IDT_GATE_OUTSIDE, h, 0, h);
	}
}

int chk_idt_baseline(struct chk_idt_base *b, const struct chk_env *env,
		     const struct chk_vcpu *cpu, const struct chk_ktext *kt)
{
	int n;

	if (!chk_ktext_baselined(kt))
		return -EAGAIN;
	__builtin_memset(b, 0, sizeof(*b));
	n = idt_read(env, cpu, cpu->idtr_base, cpu->idtr_limit, b->idt);
	if (n == -EINVAL)
		return n;
	if (n < 0) {
		chk_emit(env, CHK_EVENT, CHK_IDT_READ, 0, cpu->idtr_base, 0, 0);
		return -EIO;
	}
	b->idtr_base = cpu->idtr_base;
	b->idtr_limit = cpu->idtr_limit;
	b->ngates = (u32)n;
	b->msr[0] = cpu->lstar;
	b->msr[1] = cpu->cstar;
	b->msr[2] = cpu->sysenter_eip;
	b->valid = true;
	idt_gates(b, env, kt, b->idt, b->ngates);
	idt_msrs(b, env, cpu, kt);
	return 0;
}

int chk_idt_check(struct chk_idt_base *b, const struct chk_env *env,
		  const struct chk_vcpu *cpu, const struct chk_ktext *kt)
{
	bool idtr_changed = cpu->idtr_base != b->idtr_base || cpu->idtr_limit != b->idtr_limit;
	int n;

	if (!b->valid)
		return -EINVAL;
	idt_once(env, &b->told, TOLD_IDTR, idtr_changed, CHK_IDTR_CHANGED,
		 cpu->idtr_limit, cpu->idtr_base, b->idtr_base, cpu->idtr_base);
	idt_msrs(b, env, cpu, kt);
	n = idt_read(env, cpu, cpu->idtr_base, cpu->idtr_limit, b->cur);
	if (n == -EINVAL)
		return n;
	idt_once(env, &b->told, TOLD_READ, n < 0, CHK_IDT_READ, 0, cpu->idtr_base, 0, 0);
	if (n >= 0)
		idt_gates(b, env, kt, b->cur, (u32)n);
	return 0;
}
