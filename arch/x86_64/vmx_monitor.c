// SPDX-License-Identifier: GPL-2.0-only
/*
 * The monitor's VMCS on the boot CPU and the world switch (asm/vmx_monitor.h).
 * The monitor is denied everything but VMCALL: every exception, I/O, MSR,
 * CR, DR, HLT, MWAIT... exits and counts as a fault (restart). Its slice is
 * bounded by the VMX preemption timer, re-armed from the TSC at each entry.
 */
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include <asm/vmx.h>
#include <asm/vmx_caps.h>
#include <asm/vmx_exit.h>
#include <asm/vmx_monitor.h>
#include <asm/vmx_sample.h>
#include <asm/vmx_setup.h>
#include <asm/vmx_vcpu.h>
#include <asm/x86_rules.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/monitor.h>
#include <mamori/smp.h>
#include <mamori/string.h>
#include <mamori/time.h>

#define MSR_KERNEL_GS_BASE	0xc0000102
#define CPU_MWAIT_EXITING	BIT(10)
#define CPU_RDPMC_EXITING	BIT(11)
#define CPU_CR8_LOAD_EXITING	BIT(19)
#define CPU_CR8_STORE_EXITING	BIT(20)
#define CPU_MOV_DR_EXITING	BIT(23)
#define CPU_MONITOR_EXITING	BIT(29)

/* The monitor's vCPU: it runs on the boot CPU only. */
static struct {
	u64 vmcs_pa;
	bool launched, active, reset;
	bool starved, halted;		/* the watchdog alerted; the guest is halted (any CPU) */
	struct mon_sched s;
	u32 rate;			/* preemption timer: TSC >> rate */
	u64 tsc_per_ms;
	struct guest_regs regs, guest;	/* the one not running */
	u64 cr2, guest_cr2, guest_kgs;
	u64 away_since, away_max, away_total;	/* the guest's time away, TSC */
} mc;

void arch_monitor_away(u64 *slices, u64 *max, u64 *total)
{
	*slices = mc.s.slices;
	*max = mc.away_max;
	*total = mc.away_total;
}

bool vmx_monitor_active(const struct per_cpu *pc)
{
	return pc->cpu_id == 0 && mc.active;
}

u64 arch_monitor_tsc_per_ms(void)
{
	return mc.tsc_per_ms;
}

static bool mon_segments(void)
{
	static const u32 data[] = { GUEST_SS_SELECTOR, GUEST_DS_SELECTOR, GUEST_ES_SELECTOR,
				    GUEST_FS_SELECTOR, GUEST_GS_SELECTOR };
	bool ok = true;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(data); i++) {
		u32 k = data[i] - GUEST_ES_SELECTOR;	/* selector fields are 2 apart */

		ok &= vmx_vmw(data[i], 0x10);
		ok &= vmx_vmw(GUEST_ES_BASE + k, 0);
		ok &= vmx_vmw(GUEST_ES_LIMIT + k, 0xffffffff);
		ok &= vmx_vmw(GUEST_ES_AR + k, 0xc093);
	}
	ok &= vmx_vmw(GUEST_CS_SELECTOR, 0x08);
	ok &= vmx_vmw(GUEST_CS_BASE, 0);
	ok &= vmx_vmw(GUEST_CS_LIMIT, 0xffffffff);
	ok &= vmx_vmw(GUEST_CS_AR, 0xa09b);		/* 64-bit code, DPL 0 */
	ok &= vmx_vmw(GUEST_LDTR_SELECTOR, 0);
	ok &= vmx_vmw(GUEST_LDTR_BASE, 0);
	ok &= vmx_vmw(GUEST_LDTR_LIMIT, 0);
	ok &= vmx_vmw(GUEST_LDTR_AR, VMX_AR_UNUSABLE);
	ok &= vmx_vmw(GUEST_TR_SELECTOR, 0x18);
	ok &= vmx_vmw(GUEST_TR_BASE, 0);
	ok &= vmx_vmw(GUEST_TR_LIMIT, 0x67);
	ok &= vmx_vmw(GUEST_TR_AR, 0x8b);
	ok &= vmx_vmw(GUEST_GDTR_BASE, 0);
	ok &= vmx_vmw(GUEST_GDTR_LIMIT, 0);
	ok &= vmx_vmw(GUEST_IDTR_BASE, 0);
	ok &= vmx_vmw(GUEST_IDTR_LIMIT, 0);
	return ok;
}

/* Guest state of a fresh monitor: 64-bit, paging on, RIP at its entry (monitor VMCS current). */
static bool mon_guest_state(void)
{
	u64 cr0 = X86_CR0_PE | X86_CR0_EM | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG;
	u64 cr4 = X86_CR4_PAE;
	bool ok = mon_segments();

	ok &= vmx_vmw(CR0_READ_SHADOW, cr0);
	ok &= vmx_vmw(GUEST_CR0, vmx_fixed_bits(cr0, vmx_cfg.cr0_fixed0, vmx_cfg.cr0_fixed1));
	ok &= vmx_vmw(CR4_READ_SHADOW, cr4);
	ok &= vmx_vmw(GUEST_CR4, vmx_fixed_bits(cr4 | X86_CR4_VMXE, vmx_cfg.cr4_fixed0,
						vmx_cfg.cr4_fixed1));
	ok &= vmx_vmw(GUEST_CR3, MON_PT_BASE);
	ok &= vmx_vmw(GUEST_DR7, 0x400);
	ok &= vmx_vmw(GUEST_RSP, MON_STACK_TOP);
	ok &= vmx_vmw(GUEST_RIP, MON_LOAD_BASE);
	ok &= vmx_vmw(GUEST_RFLAGS, 0x2);		/* IF=0: no interrupts */
	ok &= vmx_vmw(GUEST_FS_BASE, 0);
	ok &= vmx_vmw(GUEST_GS_BASE, 0);
	ok &= vmx_vmw(GUEST_IA32_DEBUGCTL, 0);
	ok &= vmx_vmw(GUEST_IA32_PAT, 0x0007040600070406ULL);
	ok &= vmx_vmw(GUEST_IA32_EFER, EFER_LME | EFER_LMA | EFER_NXE);
	ok &= vmx_vmw(GUEST_SYSENTER_CS, 0);
	ok &= vmx_vmw(GUEST_SYSENTER_ESP, 0);
	ok &= vmx_vmw(GUEST_SYSENTER_EIP, 0);
	ok &= vmx_vmw(GUEST_INTERRUPTIBILITY_INFO, 0);
	ok &= vmx_vmw(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	ok &= vmx_vmw(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	ok &= vmx_vmw(VMCS_LINK_POINTER, ~0ULL);
	ok &= vmx_vmw(VM_ENTRY_INTR_INFO, 0);
	return ok;
}

/* Controls: everything exits; only the timer, NMIs and VMCALL are expected. */
static bool mon_controls(void)
{
	u32 cpu = (vmx_cfg.cpu | CPU_HLT_EXITING | CPU_MWAIT_EXITING | CPU_RDPMC_EXITING |
		   CPU_CR3_LOAD_EXITING | CPU_CR8_LOAD_EXITING | CPU_CR8_STORE_EXITING |
		   CPU_MOV_DR_EXITING | CPU_UNCOND_IO_EXITING | CPU_MONITOR_EXITING) &
		  ~(CPU_USE_IO_BITMAPS | CPU_NMI_WINDOW_EXITING);
	u32 cpu2 = vmx_cfg.cpu2 & (SEC_ENABLE_EPT | SEC_ENABLE_VPID);
	u32 allowed = (u32)(rdmsr(MSR_IA32_VMX_TRUE_PROCBASED) >> 32);
	bool ok = true;

	if (cpu & ~allowed) {
		pr_err("monitor: CPU lacks processor-based controls 0x%x\n", cpu & ~allowed);
		return false;
	}
	ok &= vmx_vmw(PIN_BASED_VM_EXEC_CONTROL, vmx_cfg.pin | PIN_PREEMPTION_TIMER);
	ok &= vmx_vmw(CPU_BASED_VM_EXEC_CONTROL, cpu);
	ok &= vmx_vmw(SECONDARY_VM_EXEC_CONTROL, cpu2);
	ok &= vmx_vmw(VM_EXIT_CONTROLS, vmx_cfg.exit);
	ok &= vmx_vmw(VM_ENTRY_CONTROLS, vmx_cfg.entry | ENTRY_IA32E_MODE);
	ok &= vmx_vmw(EXCEPTION_BITMAP, 0xffffffff);
	ok &= vmx_vmw(PAGE_FAULT_ERROR_CODE_MASK, 0);
	ok &= vmx_vmw(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	ok &= vmx_vmw(CR3_TARGET_COUNT, 0);
	ok &= vmx_vmw(VM_EXIT_MSR_STORE_COUNT, 0);
	ok &= vmx_vmw(VM_EXIT_MSR_LOAD_COUNT, 0);
	ok &= vmx_vmw(VM_ENTRY_MSR_LOAD_COUNT, 0);
	ok &= vmx_vmw(MSR_BITMAP, virt_to_phys(mon_vm.msr_bitmap));
	ok &= vmx_vmw(EPT_POINTER, ept_eptp(&mon_vm.vm.arch.ept));
	if (cpu2 & SEC_ENABLE_VPID)
		ok &= vmx_vmw(VIRTUAL_PROCESSOR_ID, mon_vm.vm.arch.vpid);
	ok &= vmx_vmw(CR0_GUEST_HOST_MASK, ~0ULL);
	ok &= vmx_vmw(CR4_GUEST_HOST_MASK, ~0ULL);
	ok &= vmx_vmw(TSC_OFFSET, 0);
	ok &= vmx_vmw(VMX_PREEMPTION_TIMER_VALUE, 0);
	return ok;
}

static bool mon_trapped_msr(u32 msr)
{
	return msr == MSR_STAR + 1 || msr == MSR_STAR + 2 || msr == MSR_IA32_SYSENTER_EIP;
}

void vmx_monitor_trap_msrs(u8 *bm)
{
	/* Write bitmaps: low MSRs at byte 2048, high (0xc0000000...) at byte 3072. */
	bm[2048 + MSR_IA32_SYSENTER_EIP / 8] |= 1 << (MSR_IA32_SYSENTER_EIP % 8);
	bm[3072 + 0x82 / 8] |= 1 << (0x82 % 8);		/* LSTAR */
	bm[3072 + 0x83 / 8] |= 1 << (0x83 % 8);		/* CSTAR */
}

bool vmx_monitor_msr_write(struct per_cpu *pc, u32 msr, u64 val, bool *gp)
{
	struct mon_event ev = { .kind = MON_EV_MSR_WRITE, .cpu = pc->cpu_id, .msr = msr,
				.new = val, .rip = vmcs_read(GUEST_RIP), .tsc = rdtsc() };

	*gp = false;
	if (!monitor_enabled() || !mon_trapped_msr(msr))
		return false;
	/* The write is done below either way; a same value is no event (review 3, F4). */
	if (msr == MSR_IA32_SYSENTER_EIP) {
		ev.old = vmcs_read(GUEST_SYSENTER_EIP);
		if ((s64)(val << 16) >> 16 != (s64)val) {
			*gp = true;	/* non-canonical */
			return true;
		}
		vmx_vmwrite(GUEST_SYSENTER_EIP, val);
	} else {
		ev.old = rdmsr(msr);
		if (wrmsr_safe(msr, val)) {
			*gp = true;
			return true;
		}
	}
	if (ev.old != ev.new)
		monitor_event(&ev);
	return true;
}

void vmx_monitor_cr_write(struct per_cpu *pc, u32 cr, u64 old, u64 new)
{
	u64 watch = cr == 0 ? X86_CR0_WP : X86_CR4_SMEP | X86_CR4_SMAP;
	struct mon_event ev = { .kind = cr == 0 ? MON_EV_CR0_WP : MON_EV_CR4_SMXP,
				.cpu = pc->cpu_id, .old = old, .new = new,
				.rip = vmcs_read(GUEST_RIP), .tsc = rdtsc() };

	if (mc.vmcs_pa && (old & watch & ~new))
		monitor_event(&ev);
}

bool vmx_monitor_cpu_init(struct per_cpu *pc, u64 host_cr3)
{
	u64 *vmcs = page_alloc(1);
	u32 period_ms, budget_us;
	bool ok;

	if (!(vmx_cfg.pin & PIN_PREEMPTION_TIMER)) {
		pr_err("monitor: no VMX preemption timer: the monitor cannot be scheduled\n");
		return false;
	}
	if (!vmcs)
		return false;
	*(u32 *)vmcs = vmx_cfg.revision;
	mc.vmcs_pa = virt_to_phys(vmcs);
	mc.rate = rdmsr(MSR_IA32_VMX_MISC) & 0x1f;
	arch_time_ms();			/* calibrated at boot */
	mc.tsc_per_ms = arch_cycles_per_ms();
	monitor_config(&period_ms, &budget_us);
	mon_sched_init(&mc.s, period_ms * mc.tsc_per_ms, budget_us * mc.tsc_per_ms / 1000,
		       rdtsc());
	if (!vmx_clear(&mc.vmcs_pa) || !vmx_ptrld(&mc.vmcs_pa)) {
		pr_err("monitor: VMCLEAR/VMPTRLD of its VMCS failed\n");
		return false;
	}
	ok = vmcs_setup_host(pc, host_cr3) && mon_controls() && mon_guest_state();
	if (!vmx_ptrld(&pc->vmcs_pa)) {
		pr_err("monitor: VMPTRLD back to the guest's VMCS failed\n");
		return false;
	}
	if (ok)
		pr_info("monitor: VMCS on cpu%u, preemption timer rate %u, TSC %lu kHz\n",
			pc->cpu_id, mc.rate, mc.tsc_per_ms);
	return ok;
}

static void mon_arm_timer(u64 now)
{
	u64 end = mc.s.start + mc.s.budget;
	u64 left = end > now ? (end - now) >> mc.rate : 0;

	vmx_vmwrite(VMX_PREEMPTION_TIMER_VALUE, MIN(left, 0xffffffffULL));
}

/* Guest -> monitor on the boot CPU: the guest's VMCS is current, @r its registers. */
static void mon_enter(struct per_cpu *pc, struct guest_regs *r, u64 now)
{
	mc.away_since = now;
	mon_snapshot_refresh(pc);
	mc.guest = *r;
	mc.guest_cr2 = read_cr2();
	mc.guest_kgs = rdmsr(MSR_KERNEL_GS_BASE);
	if (mc.starved) {
		mc.starved = false;
		pr_warn("monitor: slices again on cpu%u after the starvation\n", pc->cpu_id);
	}
	if (!vmx_ptrld(&mc.vmcs_pa)) {
		mc.s.off = true;
		vmx_ptrld(&pc->vmcs_pa);
		monitor_crit("VMPTRLD of the monitor's VMCS failed: the monitor cannot run");
		return;
	}
	if (mc.reset) {
		mon_vm_reset_memory();
		memset(&mc.regs, 0, sizeof(mc.regs));
		mc.cr2 = 0;
		if (!mon_guest_state()) {
			mc.s.off = true;
			vmx_ptrld(&pc->vmcs_pa);
			monitor_crit("the monitor's guest state could not be set: the monitor cannot run");
			return;
		}
		mc.reset = false;
	}
	*r = mc.regs;
	write_cr2(mc.cr2);
	mon_sched_begin(&mc.s, now);
	mon_arm_timer(now);
	pc->vmlaunch_next = !mc.launched;
	mc.active = true;
}

/* Monitor -> guest: the monitor's VMCS is current, @r its registers. */
static void mon_leave(struct per_cpu *pc, struct guest_regs *r, enum mon_end why,
		      const char *what)
{
	u64 rip = vmcs_read(GUEST_RIP), away;
	bool restart = mon_sched_end(&mc.s, rdtsc(), why);

	mc.regs = *r;
	mc.cr2 = read_cr2();
	write_cr2(mc.guest_cr2);
	wrmsr(MSR_KERNEL_GS_BASE, mc.guest_kgs);	/* SWAPGS in the monitor */
	if (!vmx_ptrld(&pc->vmcs_pa)) {
		pr_fatal("monitor: VMPTRLD back to the guest's VMCS failed\n");
		platform_reset("cannot return to the guest");
	}
	*r = mc.guest;
	mc.active = false;
	away = rdtsc() - mc.away_since;
	mc.away_total += away;
	mc.away_max = MAX(mc.away_max, away);
	pc->vmlaunch_next = 0;
	if (restart)
		mc.reset = true;
	if (why != MON_END_YIELD)
		monitor_slice_ended(pc->cpu_id, why, what, rip, restart, mc.s.failing);
}

static void mon_vmcall(struct per_cpu *pc, struct guest_regs *r)
{
	u64 t0 = rdtsc(), t1;

	if (r->rax == HC_MON_YIELD) {
		vmx_skip_instruction();
		r->rax = 0;
		mon_leave(pc, r, MON_END_YIELD, "yield");
		return;
	}
	r->rax = (u64)monitor_hypercall(r->rax, r->rbx, r->rcx, r->rdx, r->rsi);
	vmx_skip_instruction();
	t1 = rdtsc();
	mon_sched_credit(&mc.s, t1 - t0);	/* the VMM's time (a UART line) is not its budget */
	mon_arm_timer(t1);
}

bool vmx_monitor_exit(struct per_cpu *pc, struct guest_regs *r, u32 full)
{
	u64 t0 = rdtsc();
	u32 reason = full & 0xffff, info;
	char what[64];

	arch_vm_ept_sync(pc->vm);		/* the guest's EPT shootdowns go on */
	if (full & VMX_EXIT_REASON_FAILED_ENTRY) {
		log_snprintf(what, sizeof(what), "VM entry failed: %s",
			     vmx_exit_reason_name(reason));
		mc.s.faults_in_row = MON_FAULTS_MAX - 1;	/* it would fail again: failing */
		mon_leave(pc, r, MON_END_FAULT, what);
		return true;
	}
	mc.launched = true;
	switch (reason) {
	case EXIT_VMCALL:
		mon_vmcall(pc, r);
		return !mc.active;
	case EXIT_PREEMPTION_TIMER:
		mon_leave(pc, r, MON_END_OVERRUN, "budget used up");
		return true;
	case EXIT_EXCEPTION_NMI:
		info = (u32)vmcs_read(VM_EXIT_INTR_INFO);
		if ((info & INTR_TYPE_MASK) == INTR_TYPE_NMI) {
			if (!vmx_nmi_take_kick(pc))
				vmx_nmi_queue(pc);	/* the guest's: delivered after the slice */
			vmx_nmi_unblock();
			/* the VMM's time, not the monitor's budget (review 3, F5) */
			mon_sched_credit(&mc.s, rdtsc() - t0);
			mon_arm_timer(rdtsc());
			return false;
		}
		log_snprintf(what, sizeof(what), "exception %u (error 0x%lx)", info & 0xff,
			     vmcs_read(VM_EXIT_INTR_ERROR_CODE));
		break;
	default:
		log_snprintf(what, sizeof(what), "exit %s (qualification 0x%lx)",
			     vmx_exit_reason_name(reason), vmcs_read(EXIT_QUALIFICATION));
	}
	mon_leave(pc, r, MON_END_FAULT, what);
	return true;
}

void arch_monitor_halt_guest(void)
{
	mc.halted = true;
	pr_fatal("monitor: the guest is halted (policy monitor action=halt)\n");
	cpu_halt_forever();
}

void vmx_monitor_guest_exit(struct per_cpu *pc, struct guest_regs *r, u32 reason)
{
	u64 now, until;

	if (!mc.vmcs_pa)
		return;		/* no monitor partition: nothing to record */
	if (mc.halted)
		cpu_halt_forever();
	if (reason == EXIT_PREEMPTION_TIMER)
		mon_snapshot_refresh(pc);
	now = rdtsc();
	/* Any CPU's exit: the watchdog (review 3, F9). */
	if (mon_sched_starved(&mc.s, now) &&
	    !__atomic_exchange_n(&mc.starved, true, __ATOMIC_SEQ_CST))
		monitor_starved(pc->cpu_id, (now - mc.s.next) / mc.tsc_per_ms);
	if (pc->cpu_id != 0)
		return;
	if (mon_sched_due(&mc.s, now) && pc->state == CPU_RUNNING) {
		mon_enter(pc, r, now);
		if (mc.active)
			return;
	}
	until = mon_sched_until(&mc.s, now) >> mc.rate;
	vmx_vmwrite(VMX_PREEMPTION_TIMER_VALUE, MAX(MIN(until, (u64)VMX_TICK_UNITS), 1ULL));
}
