// SPDX-License-Identifier: GPL-2.0-only
/* The guest's ICR writes: INIT emulated, other IPIs rebuilt per target under VMX (asm/vapic.h). */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/vapic.h>
#include <asm/vmx_vcpu.h>
#include <asm/vmx_setup.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/smp.h>
#include <mamori/vm.h>

#define VAPIC_KICK_SPINS	2000000		/* between NMI kicks of a slow target */
#define VAPIC_KICKS		50

static void vapic_target(const struct per_cpu *t, bool x2apic, struct apic_target *out)
{
	out->apic_id = t->apic_id;
	out->ldr = x2apic ? apic_x2apic_ldr(t->apic_id) : t->guest_ldr;
	out->dfr = x2apic ? 0 : t->guest_dfr;
}

/*
 * Wait for @t to apply the INIT. An NMI that reaches @t while it is in the
 * VMM already is consumed there without an exit, so kick again now and then.
 * Stop early if another CPU INITs this one meanwhile (both would wait).
 */
static bool vapic_wait_init(struct per_cpu *pc, struct per_cpu *t)
{
	u32 kick, spin;

	for (kick = 0; kick < VAPIC_KICKS; kick++) {
		__atomic_add_fetch(&t->nmi_kicks, 1, __ATOMIC_SEQ_CST);
		apic_send_ipi(t->apic_id, APIC_DM_NMI | APIC_LEVEL_ASSERT);
		for (spin = 0; spin < VAPIC_KICK_SPINS; spin++) {
			if (!__atomic_load_n(&t->init_pending, __ATOMIC_SEQ_CST) ||
			    pc->init_pending)
				return true;
			cpu_relax();
		}
	}
	return false;
}

static void vapic_init_cpu(struct per_cpu *pc, struct per_cpu *t)
{
	static u32 failed;

	if (t->cpu_id == 0)
		platform_reset("guest INIT to the boot CPU");
	/* Wait-for-SIPI is the INIT state already; other states run no guest. */
	if (t->state != CPU_RUNNING)
		return;
	__atomic_store_n(&t->init_pending, true, __ATOMIC_SEQ_CST);
	if (t == pc)
		return;		/* applied on the way back into the guest */
	if (!vapic_wait_init(pc, t) && log_ratelimit(&failed))
		pr_err("cpu%u: INIT to cpu%u (APIC %u) not acknowledged; it keeps running\n",
		       pc->cpu_id, t->cpu_id, t->apic_id);
}

static bool vapic_under_vmx(const struct per_cpu *t)
{
	return t->state == CPU_WAIT_SIPI || t->state == CPU_RUNNING;
}

/*
 * vapic_each_target - call @fn for each vCPU of @pc's VM the ICR write
 * addresses (lowest priority: the first only); the number called. Only CPUs
 * under the VMM are candidates: an IPI never reaches a processor outside VMX.
 */
static u32 vapic_each_target(struct per_cpu *pc, u32 icr_lo, u32 dest, bool x2apic,
			     void (*fn)(struct per_cpu *pc, struct per_cpu *t, u32 icr_lo))
{
	struct apic_target tgt;
	struct per_cpu *t;
	u32 c, n = 0;

	for (c = 0; c < PERCPU_MAX; c++) {
		t = percpu_get(c);
		if (!t || t->vm != pc->vm || !vapic_under_vmx(t))
			continue;
		vapic_target(t, x2apic, &tgt);
		if (!apic_icr_hits(icr_lo, dest, x2apic, t == pc, &tgt))
			continue;
		fn(pc, t, icr_lo);
		n++;
		if ((icr_lo & APIC_ICR_DM_MASK) == APIC_DM_LOWEST)
			break;
	}
	return n;
}

static void vapic_init_one(struct per_cpu *pc, struct per_cpu *t, u32 icr_lo)
{
	vapic_init_cpu(pc, t);
}

/* Fixed, lowest priority, SMI, NMI, SIPI: one IPI per target, from validated fields. */
static void vapic_ipi_one(struct per_cpu *pc, struct per_cpu *t, u32 icr_lo)
{
	apic_send_ipi(t->apic_id, apic_icr_build(icr_lo));
}

/* vapic_icr_write - a guest ICR write of @icr_lo to destination @dest. */
static void vapic_icr_write(struct per_cpu *pc, u32 icr_lo, u32 dest, bool x2apic)
{
	static u32 refused;
	enum apic_icr_action act = apic_icr_classify(icr_lo);
	u32 n;

	if (act == APIC_ICR_DROP)
		return;
	if (act == APIC_ICR_REFUSE) {
		if (log_ratelimit(&refused))
			pr_warn("cpu%u: guest IPI with a reserved or SMI delivery mode (ICR 0x%x) refused\n",
				pc->cpu_id, icr_lo);
		return;
	}
	n = vapic_each_target(pc, icr_lo, dest, x2apic,
			      act == APIC_ICR_INIT ? vapic_init_one : vapic_ipi_one);
	/* A shorthand may address nobody (others, alone); a named destination may not. */
	if (!n && APIC_ICR_SHORTHAND(icr_lo) == APIC_SH_NONE && log_ratelimit(&refused))
		pr_warn("cpu%u: guest IPI (ICR 0x%x) to APIC %s 0x%x refused: no CPU under the VMM there\n",
			pc->cpu_id, icr_lo, (icr_lo & APIC_ICR_LOGICAL) ? "logical" : "ID", dest);
}

static volatile u32 *vapic_reg(u64 gpa)
{
	return phys_to_virt(gpa);
}

/* xAPIC page, write-trapped: ICR-low decides; every other write goes on as is. */
static int vapic_mmio(struct vm *vm, void *priv, u64 gpa, u32 size, bool write, u64 *val)
{
	struct per_cpu *pc = this_cpu();
	u64 base = gpa & ~0xfffULL;
	u32 off = gpa & 0xfff;

	if (size != 4 || (off & 3))
		return -EINVAL;		/* APIC registers are 32-bit aligned dwords */
	if (!write) {
		*val = *vapic_reg(gpa);	/* the read half of an XCHG */
		return 0;
	}
	if (off == APIC_LDR)
		pc->guest_ldr = (u32)*val;
	else if (off == APIC_DFR)
		pc->guest_dfr = (u32)*val;
	if (off == APIC_ICR_LO) {
		vapic_icr_write(pc, (u32)*val, *vapic_reg(base + APIC_ICR_HI) >> 24, false);
		return 0;
	}
	*vapic_reg(gpa) = (u32)*val;
	return 0;
}

int vapic_apic_base_write(struct per_cpu *pc, u64 val)
{
	static u32 refused;
	u64 cur;

	if (rdmsr_safe(MSR_IA32_APIC_BASE, &cur))
		return -EINVAL;
	if (apic_base_moves(cur, val)) {
		if (log_ratelimit(&refused))
			pr_warn("cpu%u: guest moves its APIC base from 0x%lx to 0x%lx: refused with #GP (the VMM traps the xAPIC page where it is)\n",
				pc->cpu_id, cur & ~(u64)0xfff, val & ~(u64)0xfff);
		return -EPERM;
	}
	if (apic_base_disables(cur, val)) {
		if (log_ratelimit(&refused))
			pr_warn("cpu%u: guest clears IA32_APIC_BASE.EN (APIC global disable): refused with #GP (the VMM's kicks need the APIC)\n",
				pc->cpu_id);
		return -EPERM;
	}
	return wrmsr_safe(MSR_IA32_APIC_BASE, val) ? -EINVAL : 0;
}

int vapic_x2apic_icr_write(struct per_cpu *pc, u64 val)
{
	static u32 refused;

	if (!apic_x2apic_mode() || !apic_icr_x2apic_valid(val)) {
		if (log_ratelimit(&refused))
			pr_warn("cpu%u: guest x2APIC ICR write 0x%lx refused (#GP): %s\n", pc->cpu_id,
				val, apic_x2apic_mode() ? "reserved bits set" : "APIC in xAPIC mode");
		return -EINVAL;
	}
	vapic_icr_write(pc, (u32)val, (u32)(val >> 32), true);
	return 0;
}

void vapic_cpu_reset(struct per_cpu *pc)
{
	pc->guest_ldr = 0;
	pc->guest_dfr = 0xffffffff;
}

void vapic_apply_init(struct per_cpu *pc)
{
	apic_soft_init();
	vapic_cpu_reset(pc);
	if (!vmcs_setup_guest_init(GUEST_ACTIVITY_WAIT_SIPI))
		platform_reset("cannot reset a vCPU after INIT");
	pc->pending_nmis = 0;
	pc->sipi_fresh = false;
	cpu_event(pc, CPU_EV_INIT);
	pr_dbg("cpu%u: guest INIT emulated; waiting for SIPI\n", pc->cpu_id);
	__atomic_store_n(&pc->init_pending, false, __ATOMIC_SEQ_CST);
}

int vapic_init(struct vm *vm)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE) & 0x000ffffffffff000ULL;
	int rc;

	vapic_cpu_reset(this_cpu());
	rc = vm_register_mmio(vm, base, PAGE_SIZE, MMIO_TRAP_WRITE, "xapic", vapic_mmio, NULL);
	if (rc)
		pr_err("vm%u: cannot intercept the local APIC page at 0x%lx (%d)\n", vm->id,
		       base, rc);
	return rc;
}
