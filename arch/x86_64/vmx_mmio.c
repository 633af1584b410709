// SPDX-License-Identifier: GPL-2.0-only
/*
 * EPT violations inside registered MMIO regions: decode, emulate, skip.
 * Only a data access of the instruction at RIP is emulated (asm/vmx_mmio.h):
 * not the CPU's accesses while it delivers an event or walks the guest's
 * page tables. The code bytes are read once, after the exit, and decoded
 * from that copy; another vCPU may have rewritten them since the CPU ran the
 * instruction. Nothing then relies on them beyond what the guest could ask
 * for directly: the access goes to the faulting GPA, in the direction the
 * exit qualification names, within one page of the region.
 */
#include <asm/insn.h>
#include <asm/processor.h>
#include <asm/vmx_exit.h>
#include <asm/vmx_mmio.h>
#include <asm/vmx_vcpu.h>
#include <mamori/errno.h>
#include <mamori/hypercall.h>
#include <mamori/log.h>
#include <mamori/mmio.h>
#include <mamori/string.h>

#define CS_AR_L		BIT(13)
#define CS_AR_DB	BIT(14)
#define EPT_Q_WRITE	BIT(1)
#define EPT_Q_FETCH	BIT(2)

_Static_assert(sizeof(struct guest_regs) == 16 * sizeof(u64), "16 GPRs in encoding order");

/* Up to INSN_MAX_LEN code bytes at CS:RIP; the count read (0: none). */
static u32 fetch_code(struct vm *vm, u32 bits, u8 *buf)
{
	u64 lin = vmcs_read(GUEST_RIP);
	u32 first;

	if (bits != 64)
		lin = (vmcs_read(GUEST_CS_BASE) + lin) & 0xffffffffULL;
	first = (u32)MIN((u64)INSN_MAX_LEN, PAGE_SIZE - (lin & 0xfff));
	if (arch_guest_read(vm, lin, buf, first))
		return 0;
	if (first < INSN_MAX_LEN &&
	    !arch_guest_read(vm, lin + first, buf + first, INSN_MAX_LEN - first))
		return INSN_MAX_LEN;
	return first;
}

/*
 * mmio_refuse - nothing emulated: #GP at the instruction, unless an event is
 * already queued (the one whose delivery faulted, re-queued by the exit
 * path): that one goes first, and the guest takes the fault again after it.
 */
static void mmio_refuse(struct per_cpu *pc, u64 gpa, u64 q, const char *why, int rc)
{
	bool queued = vmcs_read(VM_ENTRY_INTR_INFO) & INTR_INFO_VALID;
	static u32 refused;

	if (log_ratelimit(&refused))
		pr_warn("cpu%u: MMIO access at GPA 0x%lx from rip 0x%lx: %s (%d); %s\n",
			pc->cpu_id, gpa, vmcs_read(GUEST_RIP), why, rc,
			queued ? "not emulated, the interrupted event is delivered again" :
				 "#GP to the guest");
	if (queued)
		return;
	if (q & EPT_Q_NMI_UNBLOCK)	/* the faulting IRET did not complete */
		vmx_vmwrite(GUEST_INTERRUPTIBILITY_INFO,
			    vmcs_read(GUEST_INTERRUPTIBILITY_INFO) | GUEST_INTR_NMI);
	vmx_inject(X86_VEC_GP, INTR_TYPE_HW_EXCEPTION, true, 0);
}

/* Perform @in on the device at @gpa with the guest's registers @gpr. */
static void mmio_emulate(struct vm *vm, const struct insn *in, u64 gpa, u64 *gpr)
{
	u64 val = ~0ULL, old = ~0ULL;	/* as a refused read, should the region go meanwhile */

	switch (in->op) {
	case INSN_XCHG:
		vm_mmio_dispatch(vm, gpa, in->size, false, &old);
		val = insn_store_value(in, gpr);
		vm_mmio_dispatch(vm, gpa, in->size, true, &val);
		insn_load_result(in, gpr, old);
		break;
	case INSN_STORE:
		val = insn_store_value(in, gpr);
		vm_mmio_dispatch(vm, gpa, in->size, true, &val);
		break;
	default:
		vm_mmio_dispatch(vm, gpa, in->size, false, &val);
		insn_load_result(in, gpr, val);
		break;
	}
}

bool vmx_mmio_exit(struct per_cpu *pc, struct guest_regs *r, u64 gpa, u64 q)
{
	u8 code[INSN_MAX_LEN];
	struct insn in;
	u64 gpr[16];
	const char *why;
	u32 bits, n;
	int rc;

	if (!vm_mmio_flags(pc->vm, gpa))
		return false;
	why = vmx_mmio_fault_why(q, vmcs_read(IDT_VECTORING_INFO));
	if (why) {
		mmio_refuse(pc, gpa, q, why, -EINVAL);
		return true;
	}
	bits = vmx_guest_code_bits();
	n = fetch_code(pc->vm, bits, code);
	rc = n ? insn_decode(code, n, bits, &in) : -EFAULT;
	if (rc) {
		mmio_refuse(pc, gpa, q, n ? "instruction not decodable" : "code not readable", rc);
		return true;
	}
	why = vmx_mmio_access_why(gpa, in.size);
	if (!why && !!(q & EPT_Q_WRITE) != (in.op == INSN_STORE || in.op == INSN_XCHG))
		why = "instruction does not match the access";
	if (why) {
		mmio_refuse(pc, gpa, q, why, -EINVAL);
		return true;
	}
	memcpy(gpr, r, sizeof(gpr));
	gpr[4] = vmcs_read(GUEST_RSP);
	mmio_emulate(pc->vm, &in, gpa, gpr);
	if (gpr[4] != vmcs_read(GUEST_RSP))
		vmx_vmwrite(GUEST_RSP, gpr[4]);
	gpr[4] = r->rsp_unused;
	memcpy(r, gpr, sizeof(gpr));
	vmx_skip_len(in.len);
	return true;
}
