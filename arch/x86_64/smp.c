// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bringing the other processors under the VMM. The boot CPU copies the
 * trampoline below 1 MiB and starts each AP with INIT-SIPI-SIPI; the AP comes
 * up in long mode on the VMM's page tables, enters VMX and VM-enters its guest
 * in the wait-for-SIPI state. From then on the guest's own SIPIs (firmware
 * wake-ups, the OS bringing CPUs up and back online) are SIPI exits, and its
 * INITs are emulated (vapic.c), never delivered.
 */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/fpu.h>
#include <asm/processor.h>
#include <asm/vapic.h>
#include <asm/vmx_setup.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/smp.h>
#include <mamori/string.h>
#include <mamori/vm.h>

extern const u8 ap_tramp_start[], ap_tramp_end[], tr_gdt[], tr_gdtr[], tr_far32[],
	tr_far64[], tr_cr3[], tr_stack[], tr_entry[], tr_cpu[], tr_code32[], tr_code64[];

#define AP_START_TIMEOUT_US	2000000

static u64 smp_host_cr3;
static const struct boot_ctx ap_null_ctx;

void ap_entry(u32 cpu_id) __noreturn;

int cpu_event(struct per_cpu *pc, int ev)
{
	int next = smp_next_state(pc->state, ev);

	if (next < 0) {
		pr_warn("cpu%u: %s in state %s ignored\n", pc->cpu_id, smp_event_name(ev),
			smp_state_name(pc->state));
		return -1;
	}
	pc->state = (u32)next;
	if (ev == CPU_EV_LAUNCHED)	/* from now on EPT changes need a shootdown */
		pc->vm->arch.ept_live = true;
	return 0;
}

static void tramp_put(u8 *page, const u8 *slot, const void *v, u32 n)
{
	memcpy(page + (slot - ap_tramp_start), v, n);
}

static void tramp_install(u64 page_pa)
{
	u8 *page = phys_to_virt(page_pa);
	u32 gdt = (u32)(page_pa + (tr_gdt - ap_tramp_start));
	u32 c32 = (u32)(page_pa + (tr_code32 - ap_tramp_start));
	u32 c64 = (u32)(page_pa + (tr_code64 - ap_tramp_start));
	u64 entry = (u64)ap_entry;

	memcpy(page, ap_tramp_start, ap_tramp_end - ap_tramp_start);
	tramp_put(page, tr_gdtr + 2, &gdt, 4);
	tramp_put(page, tr_far32, &c32, 4);
	tramp_put(page, tr_far64, &c64, 4);
	tramp_put(page, tr_cr3, &smp_host_cr3, 8);
	tramp_put(page, tr_entry, &entry, 8);
}

static void __noreturn ap_fail(struct per_cpu *pc, const char *why)
{
	pr_err("cpu%u: APIC %u cannot run beneath the VMM: %s; CPU stopped\n", pc->cpu_id,
	       pc->apic_id, why);
	cpu_event(pc, CPU_EV_FAILED);
	cpu_halt_forever();
}

void ap_entry(u32 cpu_id)
{
	struct per_cpu *pc = percpu_get(cpu_id);

	host_cpu_load(pc, smp_host_cr3);
	if (fpu_init())
		ap_fail(pc, "no FXSAVE/XSAVE");
	if (vmx_cpu_on(pc))
		ap_fail(pc, "VMXON failed");
	if (!vmcs_setup_host(pc, smp_host_cr3) || !vmcs_setup_controls(pc) ||
	    !vmcs_setup_guest_init(GUEST_ACTIVITY_WAIT_SIPI))
		ap_fail(pc, "VMCS set-up failed");
	pc->ept_gen_seen = pc->vm->arch.ept_gen;
	cpu_event(pc, CPU_EV_VMX_READY);
	pr_info("cpu%u: APIC %u in VMX non-root, waiting for SIPI\n", cpu_id, pc->apic_id);
	vmx_launch(&ap_null_ctx);
	pr_err("cpu%u: VMLAUNCH failed: %s\n", cpu_id,
	       vmx_insn_error_name((u32)vmcs_read(VM_INSTRUCTION_ERROR)));
	ap_fail(pc, "VM entry failed");
}

static int start_ap(const struct boot_info *bi, u32 i)
{
	struct per_cpu *pc = percpu_alloc(i, bi->cpu_apic_ids[i]);
	u64 stack;
	u32 us;

	if (!pc)
		return VMM_ERR_NOMEM;
	pc->vm = vm_guest();
	vapic_cpu_reset(pc);
	stack = (u64)pc->exit_stack + EXIT_STACK_PAGES * PAGE_SIZE;
	tramp_put(phys_to_virt(bi->ap_trampoline), tr_stack, &stack, 8);
	tramp_put(phys_to_virt(bi->ap_trampoline), tr_cpu, &i, 4);
	cpu_event(pc, CPU_EV_START_SENT);
	if (apic_start_cpu(pc->apic_id, (u8)(bi->ap_trampoline >> 12)))
		pr_warn("cpu%u: APIC %u: ICR stayed busy\n", i, pc->apic_id);
	for (us = 0; pc->state == CPU_STARTING && us < AP_START_TIMEOUT_US; us += 100)
		udelay(100);
	udelay(1000);	/* a VMLAUNCH failure right after VMX_READY shows up here */
	if (pc->state == CPU_STARTING)
		cpu_event(pc, CPU_EV_TIMEOUT);
	if (pc->state != CPU_WAIT_SIPI) {
		pr_err("smp: cpu%u (APIC %u) did not come up beneath the VMM (%s)\n", i,
		       pc->apic_id, smp_state_name(pc->state));
		return VMM_ERR_SMP;
	}
	return VMM_OK;
}

int arch_smp_start_aps(const struct boot_info *bi, u64 host_cr3)
{
	u32 i;
	int rc;

	if (bi->cpu_count < 2)
		return VMM_OK;
	if (!(rdmsr(MSR_IA32_VMX_MISC) & VMX_MISC_WAIT_SIPI)) {
		pr_err("smp: VMX lacks the wait-for-SIPI activity state; cannot hold %u CPUs\n",
		       bi->cpu_count);
		return VMM_ERR_SMP;
	}
	if (!bi->ap_trampoline || bi->ap_trampoline >= 0x100000) {
		pr_err("smp: no start-up page below 1 MiB from the loader\n");
		return VMM_ERR_SMP;
	}
	if (vapic_init(vm_guest()))
		return VMM_ERR_SMP;
	smp_host_cr3 = host_cr3;
	tramp_install(bi->ap_trampoline);
	for (i = 1; i < bi->cpu_count; i++) {
		rc = start_ap(bi, i);
		if (rc)
			return rc;
	}
	pr_info("smp: %u CPUs beneath the VMM\n", bi->cpu_count);
	return VMM_OK;
}
