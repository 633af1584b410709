// SPDX-License-Identifier: GPL-2.0-only
/* vCPU utilities of the exit handlers (asm/vmx_vcpu.h). */
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/vmx_vcpu.h>
#include <asm/x86_rules.h>
#include <mamori/console.h>
#include <mamori/log.h>
#include <mamori/reset.h>
#include <mamori/vmm.h>

#define CS_AR_L		BIT(13)
#define CS_AR_DB	BIT(14)
#define VMX_NMI_PENDING_MAX	2

bool vmx_vmw(u64 field, u64 value)
{
	if (vmx_vmwrite(field, value))
		return true;
	pr_err("vmx: VMWRITE of field 0x%lx = 0x%lx failed (error %lu)\n", field, value,
	       vmcs_read(VM_INSTRUCTION_ERROR));
	return false;
}

void vmx_inject(u32 vector, u32 type, bool has_err, u32 err)
{
	if (type == INTR_TYPE_HW_EXCEPTION) {
		/* No error code in real mode: VM entry would refuse it. */
		if (!(vmcs_read(GUEST_CR0) & X86_CR0_PE))
			has_err = false;
		if (x86_exception_is_fault(vector))
			vmx_vmwrite(GUEST_RFLAGS, vmcs_read(GUEST_RFLAGS) | X86_RFLAGS_RF);
	}
	vmx_vmwrite(VM_ENTRY_INTR_INFO, INTR_INFO_VALID | type | vector |
		    (has_err ? INTR_INFO_DELIVER_CODE : 0));
	if (has_err)
		vmx_vmwrite(VM_ENTRY_EXCEPTION_ERROR_CODE, err);
}

void vmx_inject_ud(void)
{
	vmx_inject(X86_VEC_UD, INTR_TYPE_HW_EXCEPTION, false, 0);
}

void vmx_inject_gp(void)
{
	vmx_inject(X86_VEC_GP, INTR_TYPE_HW_EXCEPTION, true, 0);
}

u32 vmx_guest_code_bits(void)
{
	u64 ar = vmcs_read(GUEST_CS_AR);

	if ((vmcs_read(GUEST_IA32_EFER) & EFER_LMA) && (ar & CS_AR_L))
		return 64;
	return (ar & CS_AR_DB) ? 32 : 16;
}

void vmx_skip_len(u32 len)
{
	u64 rip, intr = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);
	u64 rflags = vmcs_read(GUEST_RFLAGS);
	u32 va_bits = (vmcs_read(GUEST_CR4) & X86_CR4_LA57) ? 57 : 48;

	if (x86_next_rip(vmcs_read(GUEST_RIP), len, vmx_guest_code_bits(), va_bits, &rip)) {
		vmx_inject_gp();	/* the next fetch would fault; entry refuses the RIP */
		return;
	}
	vmx_vmwrite(GUEST_RIP, rip);
	if (rflags & X86_RFLAGS_RF)	/* the instruction completed */
		vmx_vmwrite(GUEST_RFLAGS, rflags & ~X86_RFLAGS_RF);
	if (intr & (GUEST_INTR_STI | GUEST_INTR_MOV_SS))
		vmx_vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			    intr & ~(u64)(GUEST_INTR_STI | GUEST_INTR_MOV_SS));
	if (x86_single_step(rflags, vmcs_read(GUEST_IA32_DEBUGCTL)))
		vmx_vmwrite(GUEST_PENDING_DBG_EXCEPTIONS,
			    vmcs_read(GUEST_PENDING_DBG_EXCEPTIONS) | X86_PENDING_DBG_BS);
}

void vmx_skip_instruction(void)
{
	vmx_skip_len((u32)vmcs_read(VM_EXIT_INSTRUCTION_LEN));
}

u32 vmx_guest_cpl(void)
{
	return (vmcs_read(GUEST_SS_AR) >> 5) & 3;
}

u64 *vmx_gpr(struct guest_regs *r, u32 idx)
{
	return &((u64 *)r)[idx & 15];
}

/*
 * An IRET to the next instruction, in VMX root: ends NMI blocking. Needed
 * after an NMI exit (the CPU blocks NMIs until an IRET) and, on Bochs 2.7,
 * after a SIPI exit (it masks NMIs in wait-for-SIPI and unmasks them only on
 * a native SIPI). Until then the CPU misses guest NMIs and the VMM's kicks.
 */
void vmx_nmi_unblock(void)
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

bool vmx_nmi_take_kick(struct per_cpu *pc)
{
	u32 gen = __atomic_load_n(&pc->nmi_kicks, __ATOMIC_SEQ_CST);

	if (gen == pc->nmi_kicks_seen)
		return false;
	pc->nmi_kicks_seen = gen;
	return true;
}

void vmx_nmi_queue(struct per_cpu *pc)
{
	u32 n = __atomic_load_n(&pc->pending_nmis, __ATOMIC_SEQ_CST);

	while (n < VMX_NMI_PENDING_MAX &&
	       !__atomic_compare_exchange_n(&pc->pending_nmis, &n, n + 1, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
}

void vmx_requeue_idt_vectoring(void)
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

void platform_reset(const char *why)
{
	reset_wipe_secrets(why);
	pr_warn("platform: reset (%s)\n", why);
	arch_log_exit_stats("reset");
	console_flush();	/* the statistics are queued info lines */
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
