// SPDX-License-Identifier: GPL-2.0-only
/*
 * The checks' driver (monitor/checks/, docs/monitor-checks.md): guest memory
 * through the read-only window, findings to the alert hypercall, and the
 * order of calls spread over slices, each step bounded by the slice's time.
 */
#include "hc.h"
#include "mon.h"
#include <checks/checks.h>
#include <checks/idt.h>
#include <checks/ktext.h>
#include <checks/linux.h>

#define GUARD_PAGES	8192		/* 448 KiB: 32 MiB of text */
#define GUARD_SITES	8192		/* 128 KiB */
#define GUARD_SETTLE_MS	5000		/* after user space first seen, before the baseline */
#define GUARD_EVENTS	32		/* events logged before they are only counted */

enum guard_phase { G_WAIT, G_SETTLE, G_TEXT, G_FIND, G_LOAD, G_KTEXT, G_OFF };

static struct chk_kpage pages[GUARD_PAGES];
static struct chk_site sites[GUARD_SITES];
static struct chk_ktext kt;
static struct chk_jump_find jf;
static struct chk_jump_load jl;
static struct chk_idt_base idt[MON_VCPUS_MAX];
static struct mon_ram_range ram[MON_RAM_RANGES_MAX];
static u32 nram;
static enum guard_phase phase;
static u64 settle_end, text, events, alerts, passes;

static int guard_read(void *ctx, u64 gpa, void *buf, u32 len)
{
	u32 i;

	for (i = 0; i < nram; i++)
		if (gpa >= ram[i].base && gpa - ram[i].base + len <= ram[i].size) {
			memcpy(buf, (const void *)(MON_WINDOW_BASE + gpa), len);
			return 0;
		}
	return -EFAULT;
}

static u32 guard_check_id(enum chk_kind k)
{
	if (k >= CHK_IDTR_CHANGED && k <= CHK_IDT_READ)
		return MON_CHECK_IDT;
	if (k == CHK_MSR_CHANGED || k == CHK_MSR_OUTSIDE)
		return MON_CHECK_SYSCALL_MSRS;
	return MON_CHECK_KERNEL_TEXT;
}

static void guard_report(void *ctx, const struct chk_report *r)
{
	char line[MON_TEXT_MAX];

	mon_snprintf(line, sizeof(line), "%s va 0x%lx old 0x%lx new 0x%lx index 0x%x",
		     chk_kind_name(r->kind), r->va, r->old, r->new, r->index);
	if (r->severity == CHK_ALERT) {
		alerts++;
		hc_alert(MON_SEV_CRIT, guard_check_id(r->kind), line);
		return;
	}
	if (events++ < GUARD_EVENTS)
		mon_log_event(line);
}

static const struct chk_env env = { guard_read, guard_report, NULL };

static void vcpu_of(const struct mon_vcpu_state *s, struct chk_vcpu *v)
{
	*v = (struct chk_vcpu){
		.cr0 = s->cr0, .cr3 = s->cr3, .cr4 = s->cr4, .efer = s->efer,
		.idtr_base = s->idtr_base, .idtr_limit = s->idtr_limit,
		.lstar = s->lstar, .cstar = s->cstar, .sysenter_eip = s->sysenter_eip,
	};
}

void guard_init(void)
{
	s64 n = mon_vmcall(HC_MON_RAMMAP, (u64)ram, sizeof(ram), 0, 0);

	nram = n > 0 ? (u32)n : 0;
	chk_ktext_init(&kt, pages, GUARD_PAGES, &(struct chk_ktext_cfg){
		.core_lo = CHK_LINUX_KIMAGE_LO, .core_hi = CHK_LINUX_KIMAGE_HI,
		.flags = CHK_KTEXT_LINUX_PTI });
	phase = G_WAIT;
}

/* Linux is up and has run user space: LSTAR set and some vCPU's RIP in the lower half. */
static bool guard_user_seen(const struct mon_vcpu_state *s, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (s[i].valid && s[i].lstar && !(s[i].rip >> 47))
			return true;
	return false;
}

static void guard_say(const char *what, u64 a, u64 b)
{
	char line[MON_TEXT_MAX];

	mon_snprintf(line, sizeof(line), "checks: %s 0x%lx 0x%lx", what, a, b);
	hc_log(line);
}

/*
 * Review 3, F5: the kernel-text baseline's digest (SHA-256 over each baseline
 * page's VA and hash, in VA order) goes to the VMM, which keeps it across
 * restarts; a restarted monitor compares its new baseline with it, so text
 * patched while it was down is an alert, not its new baseline.
 */
static void guard_keep_text(void)
{
	struct mon_keep k = { 0 };
	struct chk_sha256 h;
	u8 d[CHK_SHA256_LEN];
	char line[MON_TEXT_MAX];
	u64 digest = 0, n = 0;
	u32 i;

	chk_sha256_init(&h);
	for (i = 0; i < kt.n; i++) {
		if (!(kt.pages[i].state & CHK_KP_BASE))
			continue;
		chk_sha256_update(&h, &kt.pages[i].va, sizeof(kt.pages[i].va));
		chk_sha256_update(&h, kt.pages[i].hash, CHK_SHA256_LEN);
		n++;
	}
	chk_sha256_final(&h, d);
	memcpy(&digest, d, sizeof(digest));
	if (mon_vmcall(HC_MON_KEEP, (u64)&k, sizeof(k), 0, 0))
		return;
	if (k.text_set) {
		if (k.text_digest == digest && k.text_pages == n) {
			guard_say("kernel text as kept before the restart (pages, digest)", n, digest);
			return;
		}
		mon_snprintf(line, sizeof(line),
			     "kernel text differs from the baseline kept before the restart: %lu pages digest 0x%lx, kept %lu 0x%lx",
			     n, digest, k.text_pages, k.text_digest);
		hc_alert(MON_SEV_CRIT, MON_CHECK_KERNEL_TEXT, line);
		return;
	}
	k = (struct mon_keep){ .text_set = 1, .text_digest = digest, .text_pages = n };
	mon_vmcall(HC_MON_KEEP, (u64)&k, sizeof(k), 1, 0);
}

/* One step of the current phase on vCPU 0's paging; false: nothing more this slice. */
static bool guard_step(const struct chk_vcpu *v, const struct mon_vcpu_state *s, u32 n,
		       u64 now, u64 tsc_per_ms)
{
	u64 start, end;
	int rc;

	switch (phase) {
	case G_WAIT:
		if (guard_user_seen(s, n)) {
			settle_end = now + GUARD_SETTLE_MS * tsc_per_ms;
			phase = G_SETTLE;
		}
		return false;
	case G_SETTLE:
		if (now < settle_end)
			return false;
		phase = G_TEXT;
		return true;
	case G_TEXT:
		rc = chk_linux_text_base(&env, v, CHK_KTEXT_LINUX_PTI, 1024, &text);
		if (rc == -EAGAIN)
			return true;
		if (rc) {
			guard_say("no kernel text found (rc, cr3)", (u64)(s64)rc, v->cr3);
			phase = G_WAIT;
			return false;
		}
		chk_jump_find_init(&jf, text, text + (64ULL << 20), CHK_KTEXT_LINUX_PTI);
		phase = G_FIND;
		return true;
	case G_FIND:
		rc = chk_jump_find_step(&jf, &env, v, 1, &start, &end);
		if (rc == -EAGAIN)
			return true;
		if (rc || chk_jump_load_init(&jl, start, end, sites, GUARD_SITES,
					     CHK_KTEXT_LINUX_PTI)) {
			guard_say("no __jump_table: static-key flips will alert (text, rc)", text,
				  (u64)(s64)rc);
			phase = G_KTEXT;
			return true;
		}
		guard_say("__jump_table at", start, end);
		phase = G_LOAD;
		return true;
	case G_LOAD:
		rc = chk_jump_load_step(&jl, &env, v, 256);
		if (rc == -EAGAIN)
			return true;
		if (!rc)
			rc = chk_ktext_set_sites(&kt, jl.sites, jl.n);
		guard_say("jump-label sites loaded (n, rc)", rc ? 0 : jl.n, (u64)(s64)rc);
		phase = G_KTEXT;
		return true;
	case G_KTEXT:
		rc = chk_ktext_step(&kt, &env, v, 1, 256);
		if (rc == -EAGAIN)
			return true;
		if (!rc && passes++ == 0) {
			guard_say("kernel-text baseline done (pages, text)", kt.n, text);
			guard_keep_text();
		}
		return false;
	case G_OFF:
		return false;
	}
	return false;
}

void guard_slice(const struct mon_vcpu_state *s, u32 n, u64 t_end, u64 tsc_per_ms)
{
	struct chk_vcpu v;

	if (!n || !s[0].valid)
		return;
	vcpu_of(&s[0], &v);
	while (mon_rdtsc() < t_end && guard_step(&v, s, n, mon_rdtsc(), tsc_per_ms))
		;
}

void guard_round(const struct mon_vcpu_state *s, u32 n)
{
	struct chk_vcpu v;
	u32 i;

	if (!chk_ktext_baselined(&kt))
		return;
	for (i = 0; i < n && i < MON_VCPUS_MAX; i++) {
		if (!s[i].valid)
			continue;
		vcpu_of(&s[i], &v);
		if (!idt[i].valid)
			chk_idt_baseline(&idt[i], &env, &v, &kt);
		else
			chk_idt_check(&idt[i], &env, &v, &kt);
	}
}
