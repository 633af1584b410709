// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: monitor/checks/ on hostile guest memory. The input is
 * the guest's RAM (page 0 is the top-level table; GPAs wrap modulo its size,
 * those with bits above 32 fail); its first bytes choose LA57, NXE, PTI and
 * the IDTR. Every check must end within its budgets and keep its invariants
 * (tracked pages sorted and within capacity, known report kinds).
 */
#include <stdlib.h>
#include <string.h>

#include <checks/checks.h>
#include <checks/pt_walk.h>
#include <checks/ktext.h>
#include <checks/idt.h>
#include <checks/linux.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static const u8 *ram;
static u64 ram_pages;
static u32 reports;

static int fz_read(void *ctx, u64 gpa, void *buf, u32 len)
{
	u64 off;

	if (len > 4096 || (gpa & 4095) + len > 4096)
		abort();
	if (gpa >> 32)
		return -EFAULT;
	off = ((gpa >> 12) % ram_pages) * 4096 + (gpa & 4095);
	memcpy(buf, ram + off, len);
	return 0;
}

static void fz_report(void *ctx, const struct chk_report *r)
{
	if (r->kind <= 0 || r->kind >= CHK_KIND_MAX ||
	    (r->severity != CHK_EVENT && r->severity != CHK_ALERT))
		abort();
	reports++;
}

static const struct chk_env env = { .read_phys = fz_read, .report = fz_report };
static struct chk_kpage pages[48];
static struct chk_ktext kt;
static struct chk_idt_base idt;
static struct chk_site sites[64];

static void fz_ktext(const struct chk_vcpu *c, u32 flags)
{
	struct chk_ktext_cfg cfg = {
		.core_lo = CHK_LINUX_KIMAGE_LO, .core_hi = CHK_LINUX_KIMAGE_HI,
		.pass_read_budget = 20000, .flags = flags,
	};
	int pass, steps, ret;
	u32 i;

	chk_ktext_init(&kt, pages, 48, &cfg);
	for (pass = 0; pass < 3; pass++) {
		steps = 0;
		do {
			ret = chk_ktext_step(&kt, &env, c, 64, 512);
			if (++steps > 100000)
				abort();	/* a pass that never ends */
		} while (ret == -EAGAIN);
		if (ret == -EINVAL)
			return;
		if (ret || kt.n > kt.cap)
			abort();
		for (i = 1; i < kt.n; i++)
			if (pages[i - 1].va >= pages[i].va)
				abort();
	}
}

static void fz_linux(const struct chk_vcpu *c, u64 jt, u32 flags)
{
	struct chk_jump_load j;
	u64 text;
	int steps = 0, ret;
	u32 i;

	chk_linux_text_base(&env, c, flags, 20000, &text);
	if (chk_jump_load_init(&j, jt, jt + 64 * CHK_LINUX_JUMP_ENTRY, sites, 64, flags))
		return;
	do {
		ret = chk_jump_load_step(&j, &env, c, 16);
		if (++steps > 10000)
			abort();
	} while (ret == -EAGAIN);
	if (ret)
		return;
	if (j.n + j.skipped != 64)
		abort();
	if (chk_ktext_set_sites(&kt, sites, j.n))
		abort();	/* the load promises sorted, non-overlapping sites */
	for (i = 0; i < j.n; i++)
		if (sites[i].len != 2 && sites[i].len != 5)
			abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct chk_vcpu c;
	u32 flags;

	if (size < 4096 + 32 || size > 16 * 4096)
		return 0;
	ram = data + 32;
	ram_pages = (size - 32) / 4096;
	reports = 0;
	memset(&c, 0, sizeof(c));
	c.cr0 = CHK_CR0_PG | 1;
	c.efer = CHK_EFER_LMA | ((data[0] & 1) ? CHK_EFER_NXE : 0);
	c.cr4 = (data[0] & 2) ? CHK_CR4_LA57 : 0;
	c.cr3 = (u64)(data[1] % ram_pages) << 12;
	flags = (data[0] & 4) ? CHK_KTEXT_LINUX_PTI : 0;
	memcpy(&c.idtr_base, data + 8, 8);
	c.idtr_limit = (u32)data[2] << 8 | data[3];
	memcpy(&c.lstar, data + 16, 8);
	c.cstar = c.lstar + data[4];
	fz_ktext(&c, flags);
	if (chk_ktext_baselined(&kt) && !chk_idt_baseline(&idt, &env, &c, &kt)) {
		if (idt.ngates > CHK_IDT_VECTORS)
			abort();
		c.idtr_limit ^= data[5];
		chk_idt_check(&idt, &env, &c, &kt);
	}
	fz_linux(&c, ((u64)0xffffffff8 << 28) | ((u64)data[6] << 12) | (data[7] & 0xf0), flags);
	return 0;
}
