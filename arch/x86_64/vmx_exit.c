// SPDX-License-Identifier: GPL-2.0-only
/* VM-exit dispatch and the handlers. Every reason has a named entry below. */
#include <asm/cpu.h>
#include <asm/apic.h>
#include <asm/cpuid_filter.h>
#include <asm/fpu.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/vapic.h>
#include <asm/vmx_exit.h>
#include <asm/vmx_msr.h>
#include <asm/vmx_sample.h>
#include <asm/vmx_setup.h>
#include <mamori/hypercall.h>
#include <mamori/log.h>
#include <mamori/smp.h>
#include <mamori/vm.h>
#include <mamori/vmm.h>

void vmx_inject(u32 vector, u32 type, bool has_err, u32 err)
{
	vmx_vmwrite(VM_ENTRY_INTR_INFO, INTR_INFO_VALID | type | vector |
		    (has_err ? INTR_INFO_DELIVER_CODE : 0));
	if (has_err)
		vmx_vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE, err);
}

static void inject_ud(void)
{
	vmx_inject(X86_VEC_UD, INTR_TYPE_HW_EXCEPTION, false, 0);
}

static void inject_gp(void)
{
	vmx_inject(X86_VEC_GP, INTR_TYPE_HW_EXCEPTION, true, 0);
}

void vmx_skip_instruction(void)
{
	u64 intr = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);

	vmx_vmwrite(GUEST_RIP, vmcs_read(GUEST_RIP) + vmcs_read(VM_EXIT_INSTRUCTION_LEN));
	if (intr & (GUEST_INTR_STI | GUEST_INTR_MOV_SS))
		vmx_vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			    intr & ~(u64)(GUEST_INTR_STI | GUEST_INTR_MOV_SS));
}

static u64 *gpr(struct guest_regs *r, u32 idx)
{
	return &((u64 *)r)[idx & 15];
}

static u32 guest_cpl(void)
{
	return (vmcs_read(GUEST_SS_AR) >> 5) & 3;
}

u32 arch_exit_stats(u64 *out, u32 reasons, u64 *total)
{
	u32 i, c, n = MIN(reasons, (u32)VMX_EXIT_REASONS + 1);

	*total = 0;
	for (i = 0; i < n; i++) {
		out[i] = 0;
		for (c = 0; c < PERCPU_MAX; c++)
			if (percpu_get(c))
				out[i] += percpu_get(c)->exits[i];
		*total += out[i];
	}
	return n;
}

void arch_log_exit_stats(const char *why)
{
	u64 count[VMX_EXIT_REASONS + 1], total;
	u32 i;

	arch_exit_stats(count, VMX_EXIT_REASONS + 1, &total);
	pr_info("stats: %lu VM exits at %s\n", total, why);
	for (i = 0; i <= VMX_EXIT_REASONS; i++)
		if (count[i])
			pr_info("stats:   %s %lu\n", vmx_exit_reason_name(i), count[i]);
}

void platform_reset(const char *why)
{
	pr_warn("platform: reset (%s)\n", why);
	arch_log_exit_stats("reset");
	/*
	 * Keyboard-controller reset pulse first: on Bochs a 0xcf9 hard reset
	 * clears the PIIX4 PM base and OVMF then spins on its PM timer forever.
	 * Then the PIIX reset control register for platforms without an 8042.
	 */
	outb(0x64, 0xfe);
	udelay(50000);
	outb(0xcf9, 0x02);
	outb(0xcf9, 0x06);
	cpu_halt_forever();
}

/* --- handlers --- */

static void handle_exception_nmi(struct per_cpu *pc, struct guest_regs *r)
{
	u32 info = (u32)vmcs_read(VM_EXIT_INTR_INFO);

	if ((info & INTR_TYPE_MASK) == INTR_TYPE_NMI) {
		if (pc->nmi_kicks)	/* the VMM's own shootdown kick: synced below */
			__atomic_sub_fetch(&pc->nmi_kicks, 1, __ATOMIC_SEQ_CST);
		else
			pc->pending_nmis++;
		return;
	}
	/* Not in the exception bitmap; reflect whatever arrived unchanged. */
	vmx_inject(info & 0xff, info & INTR_TYPE_MASK, info & INTR_INFO_DELIVER_CODE,
		   (u32)vmcs_read(VM_EXIT_INTR_ERROR_CODE));
}

static void handle_triple_fault(struct per_cpu *pc, struct guest_regs *r)
{
	pr_err("cpu%u: guest triple fault at rip 0x%lx\n", pc->cpu_id, vmcs_read(GUEST_RIP));
	platform_reset("guest triple fault");
}

/* INIT: the boot CPU resets the platform; an AP goes back to wait-for-SIPI. */
static void handle_init(struct per_cpu *pc, struct guest_regs *r)
{
	static u32 seen;

	if (pc->cpu_id == 0)
		platform_reset("INIT on the boot CPU");
	/* The guest's INIT IPIs are emulated (vapic.c): this one came from elsewhere. */
	if (log_ratelimit(&seen))
		pr_warn("cpu%u: physical INIT exit at rip 0x%lx (not a guest ICR write)\n",
			pc->cpu_id, vmcs_read(GUEST_RIP));
	/*
	 * An INIT that arrived during wait-for-SIPI is held pending and
	 * delivered on the entry after the SIPI, before the vCPU runs anything.
	 * Natively it is redundant (the CPU is already in the INIT state); acting
	 * on it would swallow the start-up the SIPI asked for. Bochs raises it
	 * twice; a few in a row are dropped, then INIT acts again.
	 */
	if (pc->sipi_fresh && vmcs_read(GUEST_RIP) == 0 && pc->held_inits < 4) {
		pc->held_inits++;
		pr_dbg("cpu%u: INIT held during wait-for-SIPI dropped\n", pc->cpu_id);
		/* The exit saved the post-INIT state: start from the SIPI again. */
		if (!vmcs_guest_sipi(pc->sipi_vector))
			platform_reset("cannot restart a vCPU after a held INIT");
		return;
	}
	pc->sipi_fresh = false;
	if (!vmcs_setup_guest_init(GUEST_ACTIVITY_WAIT_SIPI))
		platform_reset("cannot reset a vCPU after INIT");
	pc->pending_nmis = 0;
	cpu_event(pc, CPU_EV_INIT);
}

/*
 * An IRET to the next instruction, in VMX root: ends NMI blocking. Bochs 2.7
 * masks NMIs when it enters wait-for-SIPI and unmasks them only on a native
 * SIPI, not on a SIPI exit; until an IRET the CPU would never see the NMI
 * kicks of EPT shootdowns and INIT emulation. Harmless on hardware.
 */
static void nmi_unblock_iret(void)
{
	__asm__ volatile("mov %%rsp, %%rcx\n\t"
			 "mov %%ss, %%eax\n\t"
			 "pushq %%rax\n\t"
			 "pushq %%rcx\n\t"
			 "pushfq\n\t"
			 "mov %%cs, %%eax\n\t"
			 "pushq %%rax\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "iretq\n"
			 "1:"
			 ::: "rax", "rcx", "memory", "cc");
}

/* SIPI in wait-for-SIPI: start the guest's real-mode code at vector:0000. */
static void handle_sipi(struct per_cpu *pc, struct guest_regs *r)
{
	u8 vector = (u8)vmcs_read(EXIT_QUALIFICATION);

	if (cpu_event(pc, CPU_EV_SIPI))
		return;
	log_printk(pc->sipis++ < 2 ? LOG_INFO : LOG_DBG,
		   "cpu%u: SIPI vector 0x%x: guest code starts at 0x%x\n", pc->cpu_id, vector,
		   (u32)vector << 12);
	if (!vmcs_guest_sipi(vector))
		platform_reset("cannot start a vCPU after SIPI");
	nmi_unblock_iret();
	pc->sipi_fresh = true;
	pc->sipi_vector = vector;
	pc->held_inits = 0;
}

static void handle_nmi_window(struct per_cpu *pc, struct guest_regs *r)
{
	/* Delivery happens in inject_pending_nmi() on the way back in. */
}

static void handle_cpuid(struct per_cpu *pc, struct guest_regs *r)
{
	struct cpuid_regs c;
	u32 leaf = (u32)r->rax, sub = (u32)r->rcx;

	cpuid_count(leaf, sub, &c);
	cpuid_filter(leaf, sub, vmcs_read(GUEST_CR4), &c);
	r->rax = c.eax;
	r->rbx = c.ebx;
	r->rcx = c.ecx;
	r->rdx = c.edx;
	vmx_skip_instruction();
}

static void handle_invd(struct per_cpu *pc, struct guest_regs *r)
{
	__asm__ volatile("wbinvd" ::: "memory");	/* never drop dirty lines */
	vmx_skip_instruction();
}

static void handle_vmcall(struct per_cpu *pc, struct guest_regs *r)
{
	static u32 refused;

	if (guest_cpl() != 0) {
		if (log_ratelimit(&refused))
			pr_warn("cpu%u: hypercall %lu from CPL %u refused (#UD; %u so far)\n",
				pc->cpu_id, r->rax, guest_cpl(), refused);
		inject_ud();
		return;
	}
	r->rax = (u64)hypercall_dispatch(pc->vm, r->rax, r->rbx, r->rcx, r->rdx, r->rsi);
	vmx_skip_instruction();
}

static void handle_vmx_insn(struct per_cpu *pc, struct guest_regs *r)
{
	inject_ud();	/* VMX is hidden from the guest */
}

static void guest_write_cr0(u64 val)
{
	u64 old = vmcs_read(GUEST_CR0), efer = vmcs_read(GUEST_IA32_EFER);
	u64 entry = vmcs_read(VM_ENTRY_CONTROLS);

	if ((val & X86_CR0_PG) && !(old & X86_CR0_PG) && (efer & EFER_LME)) {
		efer |= EFER_LMA;
		entry |= ENTRY_IA32E_MODE;
	} else if (!(val & X86_CR0_PG) && (old & X86_CR0_PG)) {
		efer &= ~EFER_LMA;
		entry &= ~ENTRY_IA32E_MODE;
	}
	vmx_vmwrite(GUEST_IA32_EFER, efer);
	vmx_vmwrite(VM_ENTRY_CONTROLS, entry);
	vmx_vmwrite(CR0_READ_SHADOW, val);
	vmx_vmwrite(GUEST_CR0, vmx_guest_cr0(val));
}

static bool guest_write_cr4(struct per_cpu *pc, u64 val)
{
	if (val & (X86_CR4_VMXE | X86_CR4_SMXE)) {
		pr_warn("cpu%u: guest tried to set CR4.%s: #GP\n", pc->cpu_id,
			(val & X86_CR4_VMXE) ? "VMXE" : "SMXE");
		inject_gp();
		return false;
	}
	vmx_vmwrite(CR4_READ_SHADOW, val);
	vmx_vmwrite(GUEST_CR4, vmx_guest_cr4(val | X86_CR4_VMXE));
	return true;
}

static void handle_cr_access(struct per_cpu *pc, struct guest_regs *r)
{
	u64 q = vmcs_read(EXIT_QUALIFICATION), val;
	u32 cr = q & 15, type = (q >> 4) & 3, reg = (q >> 8) & 15;

	val = reg == 4 ? vmcs_read(GUEST_RSP) : *gpr(r, reg);
	if (type == 0 && cr == 0) {
		guest_write_cr0(val);
	} else if (type == 0 && cr == 4) {
		if (!guest_write_cr4(pc, val))
			return;
	} else if (type == 3) {		/* LMSW: bits 3:0, cannot clear PE */
		u64 cur = vmcs_read(CR0_READ_SHADOW), src = (q >> 16) & 0xf;

		guest_write_cr0((cur & ~0xeULL) | src | (cur & X86_CR0_PE));
	} else if (type == 2) {		/* CLTS */
		guest_write_cr0(vmcs_read(CR0_READ_SHADOW) & ~BIT(3));
	} else {
		pr_err("cpu%u: unexpected CR access (qualification 0x%lx): #UD\n",
		       pc->cpu_id, q);
		inject_ud();
		return;
	}
	vmx_skip_instruction();
}

static void handle_rdmsr(struct per_cpu *pc, struct guest_regs *r)
{
	u64 v;

	if (vmx_msr_read(pc, (u32)r->rcx, &v)) {
		inject_gp();
		return;
	}
	r->rax = (u32)v;
	r->rdx = v >> 32;
	vmx_skip_instruction();
}

static void handle_wrmsr(struct per_cpu *pc, struct guest_regs *r)
{
	if (vmx_msr_write(pc, (u32)r->rcx, (r->rdx << 32) | (u32)r->rax)) {
		inject_gp();
		return;
	}
	vmx_skip_instruction();
}

static void handle_failed_entry(struct per_cpu *pc, struct guest_regs *r)
{
	u32 reason = (u32)vmcs_read(VM_EXIT_REASON) & 0xffff;

	pr_err("cpu%u: VM entry failed: %s (qualification 0x%lx)\n", pc->cpu_id,
	       vmx_exit_reason_name(reason), vmcs_read(EXIT_QUALIFICATION));
	vmx_dump_guest_state();
	if (!pc->launched)
		vmx_launch_abort();
	platform_reset("VM entry failed");
}

/*
 * Inside the VMM region: a sink stands in (a fetch gets UD2s, so the guest
 * takes #UD). Anywhere else the EPT maps everything but trapped MMIO, so a
 * violation the MMIO code does not explain is an address the VMM does not map
 * (beyond the identity range): refused with #GP, never silently backed.
 * A violation the EPT no longer explains (another CPU mapped the page since)
 * is retried.
 */
static void handle_ept_violation(struct per_cpu *pc, struct guest_regs *r)
{
	u64 gpa = vmcs_read(GUEST_PHYSICAL_ADDRESS), q = vmcs_read(EXIT_QUALIFICATION);
	u32 access = q & (EPT_VIOL_READ | EPT_VIOL_WRITE | EPT_VIOL_FETCH), perms;
	static u32 stray;

	if (vmx_mmio_exit(pc, r, gpa, q))
		return;
	if (!ept_lookup(&pc->vm->arch.ept, gpa, NULL, &perms, NULL, NULL) &&
	    (perms & access) == access)
		return;		/* changed by another CPU since: retry */
	if (!vm_range_hits_vmm(pc->vm, gpa, 1)) {
		if (log_ratelimit(&stray))
			pr_warn("cpu%u: guest access to unmapped GPA 0x%lx (qualification 0x%lx, rip 0x%lx): #GP\n",
				pc->cpu_id, gpa, q, vmcs_read(GUEST_RIP));
		inject_gp();
		return;
	}
	if (arch_vm_hidden_access(pc->vm, gpa, q))
		platform_reset("cannot map the sink page");
}

static void handle_ept_misconfig(struct per_cpu *pc, struct guest_regs *r)
{
	pr_fatal("cpu%u: EPT misconfiguration at GPA 0x%lx (VMM bug)\n", pc->cpu_id,
		 vmcs_read(GUEST_PHYSICAL_ADDRESS));
	platform_reset("EPT misconfiguration");
}

/* The SDM's XSETBV #GP conditions for XCR0, against what CPUID says is supported. */
static bool xcr0_architecturally_valid(u64 v)
{
	struct cpuid_regs c;
	u64 supported;

	cpuid_count(0xd, 0, &c);
	supported = ((u64)c.edx << 32) | c.eax;
	if (!(v & 1) || (v & ~supported))
		return false;		/* x87 must stay set; only supported bits */
	if ((v & 4) && !(v & 2))
		return false;		/* AVX needs SSE */
	if (((v >> 3) & 3) == 1 || ((v >> 3) & 3) == 2)
		return false;		/* MPX: BNDREGS and BNDCSR together */
	if ((v & 0xe0) && ((v & 0xe0) != 0xe0 || !(v & 4)))
		return false;		/* AVX-512: all three, with AVX */
	return true;
}

static void handle_xsetbv(struct per_cpu *pc, struct guest_regs *r)
{
	u64 v = (r->rdx << 32) | (u32)r->rax;
	static u32 refused;

	if ((u32)r->rcx != 0 || guest_cpl() || !xcr0_architecturally_valid(v) ||
	    !fpu_xcr0_ok(v)) {
		if (log_ratelimit(&refused))
			pr_warn("cpu%u: guest XSETBV(%u, 0x%lx) invalid: #GP\n", pc->cpu_id,
				(u32)r->rcx, v);
		inject_gp();
		return;
	}
	xsetbv(0, v);
	vmx_skip_instruction();
}

/* Only with the vCPU sampler built in (asm/vmx_sample.h). */
static void handle_preemption_timer(struct per_cpu *pc, struct guest_regs *r)
{
	vmx_sample_exit(pc);
}

/* Exits Mamori never enables: refuse the instruction rather than stop the VMM. */
static void handle_unexpected(struct per_cpu *pc, struct guest_regs *r)
{
	u32 reason = (u32)vmcs_read(VM_EXIT_REASON) & 0xffff;

	pr_err("cpu%u: unexpected VM exit %s (%u) at rip 0x%lx: #UD to the guest\n",
	       pc->cpu_id, vmx_exit_reason_name(reason), reason, vmcs_read(GUEST_RIP));
	inject_ud();
}

#define H(reason, n, f) [reason] = { n, f }
const struct vmx_exit_handler vmx_exit_table[VMX_EXIT_REASONS] = {
	H(EXIT_EXCEPTION_NMI, "exception-nmi", handle_exception_nmi),
	H(EXIT_EXTERNAL_INTERRUPT, "external-interrupt", handle_unexpected),
	H(EXIT_TRIPLE_FAULT, "triple-fault", handle_triple_fault),
	H(EXIT_INIT, "init", handle_init),
	H(EXIT_SIPI, "sipi", handle_sipi),
	H(EXIT_IO_SMI, "io-smi", handle_unexpected),
	H(EXIT_OTHER_SMI, "other-smi", handle_unexpected),
	H(EXIT_INTERRUPT_WINDOW, "interrupt-window", handle_unexpected),
	H(EXIT_NMI_WINDOW, "nmi-window", handle_nmi_window),
	H(EXIT_TASK_SWITCH, "task-switch", handle_unexpected),
	H(EXIT_CPUID, "cpuid", handle_cpuid),
	H(EXIT_GETSEC, "getsec", handle_vmx_insn),
	H(EXIT_HLT, "hlt", handle_unexpected),
	H(EXIT_INVD, "invd", handle_invd),
	H(EXIT_INVLPG, "invlpg", handle_unexpected),
	H(EXIT_RDPMC, "rdpmc", handle_unexpected),
	H(EXIT_RDTSC, "rdtsc", handle_unexpected),
	H(EXIT_RSM, "rsm", handle_unexpected),
	H(EXIT_VMCALL, "vmcall", handle_vmcall),
	H(EXIT_VMCLEAR, "vmclear", handle_vmx_insn),
	H(EXIT_VMLAUNCH, "vmlaunch", handle_vmx_insn),
	H(EXIT_VMPTRLD, "vmptrld", handle_vmx_insn),
	H(EXIT_VMPTRST, "vmptrst", handle_vmx_insn),
	H(EXIT_VMREAD, "vmread", handle_vmx_insn),
	H(EXIT_VMRESUME, "vmresume", handle_vmx_insn),
	H(EXIT_VMWRITE, "vmwrite", handle_vmx_insn),
	H(EXIT_VMXOFF, "vmxoff", handle_vmx_insn),
	H(EXIT_VMXON, "vmxon", handle_vmx_insn),
	H(EXIT_CR_ACCESS, "cr-access", handle_cr_access),
	H(EXIT_DR_ACCESS, "dr-access", handle_unexpected),
	H(EXIT_IO_INSTRUCTION, "io", vmx_handle_io),
	H(EXIT_RDMSR, "rdmsr", handle_rdmsr),
	H(EXIT_WRMSR, "wrmsr", handle_wrmsr),
	H(EXIT_INVALID_GUEST_STATE, "entry-invalid-guest-state", handle_failed_entry),
	H(EXIT_MSR_LOAD_FAIL, "entry-msr-load", handle_failed_entry),
	H(EXIT_RESERVED_35, "reserved-35", handle_unexpected),
	H(EXIT_MWAIT, "mwait", handle_unexpected),
	H(EXIT_MONITOR_TRAP_FLAG, "monitor-trap-flag", handle_unexpected),
	H(EXIT_RESERVED_38, "reserved-38", handle_unexpected),
	H(EXIT_MONITOR, "monitor", handle_unexpected),
	H(EXIT_PAUSE, "pause", handle_unexpected),
	H(EXIT_MCE_DURING_ENTRY, "entry-machine-check", handle_failed_entry),
	H(EXIT_RESERVED_42, "reserved-42", handle_unexpected),
	H(EXIT_TPR_BELOW_THRESHOLD, "tpr-below-threshold", handle_unexpected),
	H(EXIT_APIC_ACCESS, "apic-access", handle_unexpected),
	H(EXIT_EOI_INDUCED, "eoi-induced", handle_unexpected),
	H(EXIT_GDTR_IDTR, "gdtr-idtr", handle_unexpected),
	H(EXIT_LDTR_TR, "ldtr-tr", handle_unexpected),
	H(EXIT_EPT_VIOLATION, "ept-violation", handle_ept_violation),
	H(EXIT_EPT_MISCONFIG, "ept-misconfig", handle_ept_misconfig),
	H(EXIT_INVEPT, "invept", handle_vmx_insn),
	H(EXIT_RDTSCP, "rdtscp", handle_unexpected),
	H(EXIT_PREEMPTION_TIMER, "preemption-timer", handle_preemption_timer),
	H(EXIT_INVVPID, "invvpid", handle_vmx_insn),
	H(EXIT_WBINVD, "wbinvd", handle_unexpected),
	H(EXIT_XSETBV, "xsetbv", handle_xsetbv),
	H(EXIT_APIC_WRITE, "apic-write", handle_unexpected),
	H(EXIT_RDRAND, "rdrand", handle_unexpected),
	H(EXIT_INVPCID, "invpcid", handle_unexpected),
	H(EXIT_VMFUNC, "vmfunc", handle_vmx_insn),
	H(EXIT_ENCLS, "encls", handle_unexpected),
	H(EXIT_RDSEED, "rdseed", handle_unexpected),
	H(EXIT_PML_FULL, "pml-full", handle_unexpected),
	H(EXIT_XSAVES, "xsaves", handle_unexpected),
	H(EXIT_XRSTORS, "xrstors", handle_unexpected),
	H(EXIT_PCONFIG, "pconfig", handle_unexpected),
	H(EXIT_SPP, "spp", handle_unexpected),
	H(EXIT_UMWAIT, "umwait", handle_unexpected),
	H(EXIT_TPAUSE, "tpause", handle_unexpected),
	H(EXIT_LOADIWKEY, "loadiwkey", handle_unexpected),
};

const char *vmx_exit_reason_name(u32 reason)
{
	if (reason < VMX_EXIT_REASONS && vmx_exit_table[reason].name)
		return vmx_exit_table[reason].name;
	return "unknown";
}

/* Deliver a pending NMI now, or ask for an NMI-window exit. */
static void inject_pending_nmi(struct per_cpu *pc)
{
	u64 cpu = vmcs_read(CPU_BASED_VM_EXEC_CONTROL);
	u64 intr = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);
	bool blocked = intr & (GUEST_INTR_NMI | GUEST_INTR_STI | GUEST_INTR_MOV_SS);

	if (!pc->pending_nmis || (vmcs_read(VM_ENTRY_INTR_INFO) & INTR_INFO_VALID)) {
		if (!pc->pending_nmis && (cpu & CPU_NMI_WINDOW_EXITING))
			vmx_vmwrite(CPU_BASED_VM_EXEC_CONTROL, cpu & ~CPU_NMI_WINDOW_EXITING);
		else if (pc->pending_nmis)
			vmx_vmwrite(CPU_BASED_VM_EXEC_CONTROL, cpu | CPU_NMI_WINDOW_EXITING);
		return;
	}
	if (blocked) {
		vmx_vmwrite(CPU_BASED_VM_EXEC_CONTROL, cpu | CPU_NMI_WINDOW_EXITING);
		return;
	}
	pc->pending_nmis--;
	vmx_inject(X86_VEC_NMI, INTR_TYPE_NMI, false, 0);
	if (!pc->pending_nmis)
		vmx_vmwrite(CPU_BASED_VM_EXEC_CONTROL, cpu & ~CPU_NMI_WINDOW_EXITING);
}

/* An exit during event delivery: re-queue the event so it is not lost. */
static void requeue_idt_vectoring(void)
{
	u64 info = vmcs_read(IDT_VECTORING_INFO);

	if (!(info & INTR_INFO_VALID))
		return;
	vmx_vmwrite(VM_ENTRY_INTR_INFO, info & ~BIT(12));
	if (info & INTR_INFO_DELIVER_CODE)
		vmx_vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE, vmcs_read(IDT_VECTORING_ERROR_CODE));
	if ((info & INTR_TYPE_MASK) >= (4 << 8))	/* software events need the length */
		vmx_vmwrite(VM_ENTRY_INSTRUCTION_LEN, vmcs_read(VM_EXIT_INSTRUCTION_LEN));
}

/*
 * Blocking by SMI is valid only for an entry to SMM, which Mamori never does.
 * Bochs 2.7 saves it set on every exit of an AP that it started from
 * wait-for-SIPI, and the next VM entry then fails: clear it.
 */
#define GUEST_INTR_SMI	BIT(2)

static void clear_smi_blocking(void)
{
	u64 intr = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);

	if (intr & GUEST_INTR_SMI)
		vmx_vmwrite(GUEST_INTERRUPTIBILITY_INFO, intr & ~(u64)GUEST_INTR_SMI);
}

void vmx_handle_exit(struct guest_regs *r)
{
	struct per_cpu *pc = this_cpu();
	u32 full = (u32)vmcs_read(VM_EXIT_REASON), reason = full & 0xffff;

	u64 n = ++pc->exits[MIN(reason, (u32)VMX_EXIT_REASONS)];

	/* First of each reason at info, then every power of two at debug. */
	if ((n & (n - 1)) == 0)
		log_printk(n == 1 ? LOG_INFO : LOG_DBG,
			   "cpu%u: exit %s #%lu at rip 0x%lx (qualification 0x%lx)\n",
			   pc->cpu_id, vmx_exit_reason_name(reason), n, vmcs_read(GUEST_RIP),
			   vmcs_read(EXIT_QUALIFICATION));
	if (full & VMX_EXIT_REASON_FAILED_ENTRY) {
		handle_failed_entry(pc, r);
		return;
	}
	pc->launched = true;
	arch_vm_ept_sync(pc->vm);
	requeue_idt_vectoring();
	clear_smi_blocking();
	if (reason != EXIT_SIPI && reason != EXIT_INIT)
		pc->sipi_fresh = false;
	if (reason < VMX_EXIT_REASONS)
		vmx_exit_table[reason].fn(pc, r);
	else
		handle_unexpected(pc, r);
	if (pc->init_pending)
		vapic_apply_init(pc);
	inject_pending_nmi(pc);
}

void vmx_resume_failed(void)
{
	struct per_cpu *pc = this_cpu();
	u32 err = (u32)vmcs_read(VM_INSTRUCTION_ERROR);

	pr_fatal("cpu%u: VMRESUME failed: %s (error %u)\n", pc->cpu_id,
		 vmx_insn_error_name(err), err);
	vmx_dump_guest_state();
	platform_reset("VMRESUME failed");
}

static const char *const insn_errors[] = {
	[1] = "VMCALL in VMX root", [2] = "VMCLEAR with invalid address",
	[3] = "VMCLEAR with VMXON pointer", [4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS", [6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control fields",
	[8] = "VM entry with invalid host-state fields",
	[9] = "VMPTRLD with invalid address", [10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with wrong VMCS revision",
	[12] = "VMREAD/VMWRITE of unsupported component",
	[13] = "VMWRITE to read-only component", [15] = "VMXON in VMX root",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

const char *vmx_insn_error_name(u32 err)
{
	if (err < ARRAY_SIZE(insn_errors) && insn_errors[err])
		return insn_errors[err];
	return "unknown VM-instruction error";
}
