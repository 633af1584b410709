// SPDX-License-Identifier: GPL-2.0-only
/* arch_vmm_launch(): the boot CPU goes from firmware context to VMX root + guest. */
#include <asm/cpu.h>
#include <asm/fpu.h>
#include <asm/processor.h>
#include <asm/spec_ctrl.h>
#include <asm/tsc.h>
#include <asm/vmx_monitor.h>
#include <asm/vmx_setup.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/monitor.h>
#include <mamori/smp.h>
#include <mamori/vm.h>
#include <mamori/vmm.h>

/* The firmware's CPU state, restored if the launch fails so the loader can halt cleanly. */
struct fw_cpu_state {
	struct desc_ptr gdt, idt;
	u64 cr3, fs_base, gs_base;
	u16 cs, ss, ds, es, fs, gs;
};

static struct fw_cpu_state fw_state;

static void fw_state_save(struct fw_cpu_state *s)
{
	store_gdt(&s->gdt);
	store_idt(&s->idt);
	s->cr3 = read_cr3();
	s->fs_base = rdmsr(MSR_FS_BASE);
	s->gs_base = rdmsr(MSR_GS_BASE);
	s->cs = read_cs();
	s->ss = read_ss();
	s->ds = read_ds();
	s->es = read_es();
	s->fs = read_fs();
	s->gs = read_gs();
}

static void fw_state_restore(const struct fw_cpu_state *s)
{
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %q1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "mov %w2, %%ss\n\t"
			 "mov %w3, %%ds\n\t"
			 "mov %w4, %%es\n\t"
			 "mov %w5, %%fs\n\t"
			 "mov %w6, %%gs\n\t"
			 "lidt %7"
			 : : "m"(s->gdt), "r"((u64)s->cs), "r"(s->ss), "r"(s->ds),
			   "r"(s->es), "r"(s->fs), "r"(s->gs), "m"(s->idt)
			 : "rax", "memory");
	write_cr3(s->cr3);
	wrmsr(MSR_FS_BASE, s->fs_base);
	wrmsr(MSR_GS_BASE, s->gs_base);
}

static int launch_failed(int rc)
{
	if (rc == -1)
		pr_err("vmx: VMLAUNCH failed: %s (VM-instruction error %lu)\n",
		       vmx_insn_error_name((u32)vmcs_read(VM_INSTRUCTION_ERROR)),
		       vmcs_read(VM_INSTRUCTION_ERROR));
	vmx_off();
	write_cr4(read_cr4() & ~X86_CR4_VMXE);
	fw_state_restore(&fw_state);
	return VMM_ERR_LAUNCH;
}

u64 arch_cycles(void)
{
	return rdtsc();
}

static struct per_cpu *boot_pc;
static u64 host_cr3;

int arch_vmm_prepare(struct boot_info *bi)
{
	int rc;

	rc = vmx_probe();
	if (rc)
		return rc;
	spec_ctrl_init();
	host_cr3 = host_paging_init(vmx_cfg.phys_bits, bi);
	boot_pc = host_cr3 ? percpu_alloc(0, bi->cpu_apic_ids[0]) : NULL;
	if (!boot_pc || !host_cr3)
		return VMM_ERR_NOMEM;
	return arch_vm_init(vm_guest(), bi);
}

int arch_vmm_launch(struct boot_info *bi)
{
	struct vm *vm = vm_guest();
	struct per_cpu *pc = boot_pc;
	u64 cr3 = host_cr3;
	int rc;

	if (!pc || !cr3)
		return VMM_ERR_LAUNCH;
	pc->vm = vm;
	rc = vmx_cpu_on(pc);
	if (rc)
		return rc;
	if (!vmcs_setup_guest_from_ctx(&boot_ctx))
		return launch_failed(-3);
	fw_state_save(&fw_state);
	if (fpu_init()) {	/* host CR4.OSXSAVE: XSETBV and XSAVE in VMX root */
		pr_err("cpu0: no FXSAVE/XSAVE support; cannot protect guest SIMD state\n");
		return launch_failed(-3);
	}
	host_cpu_load(pc, cr3);
	if (!vmcs_setup_host(pc, cr3) || !vmcs_setup_controls(pc))
		return launch_failed(-3);
	if (monitor_enabled() && !vmx_monitor_cpu_init(pc, cr3)) {
		pr_err("monitor: refused: the policy asks for the monitor partition, but it cannot run on cpu%u\n",
		       pc->cpu_id);
		return launch_failed(-3);
	}
	rc = arch_smp_start_aps(bi, cr3);
	if (rc) {
		launch_failed(-3);
		return rc;
	}
	host_paging_seal();
	pr_info("vmx: launching the firmware as guest (rip 0x%lx, tsc %lu), VMM uses %lu KiB "
		"of %lu MiB\n", vmcs_read(GUEST_RIP), rdtsc(), mm_used_bytes() >> 10,
		bi->vmm_size >> 20);
	cpu_event(pc, CPU_EV_LAUNCHED);
	rc = vmx_launch(&boot_ctx);
	return launch_failed(rc);
}
