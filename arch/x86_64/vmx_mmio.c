// SPDX-License-Identifier: GPL-2.0-only
/* EPT violations inside registered MMIO regions: decode, emulate, skip. */
#include <asm/insn.h>
#include <asm/processor.h>
#include <asm/vmx_exit.h>
#include <asm/vmx_vcpu.h>
#include <mamori/errno.h>
#include <mamori/hypercall.h>
#include <mamori/log.h>
#include <mamori/mmio.h>
#include <mamori/string.h>

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

static void mmio_refuse(struct per_cpu *pc, u64 gpa, const char *why, int rc)
{
	static u32 refused;

	if (log_ratelimit(&refused))
		pr_warn("cpu%u: MMIO access at GPA 0x%lx from rip 0x%lx: %s (%d); #GP to the guest\n",
			pc->cpu_id, gpa, vmcs_read(GUEST_RIP), why, rc);
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
	u32 bits, n;
	int rc;

	if (!vm_mmio_flags(pc->vm, gpa))
		return false;
	if (q & EPT_Q_FETCH) {
		mmio_refuse(pc, gpa, "instruction fetch", -EINVAL);
		return true;
	}
	bits = vmx_guest_code_bits();
	n = fetch_code(pc->vm, bits, code);
	rc = n ? insn_decode(code, n, bits, &in) : -EFAULT;
	if (rc) {
		mmio_refuse(pc, gpa, n ? "instruction not decodable" : "code not readable", rc);
		return true;
	}
	if (!!(q & EPT_Q_WRITE) != (in.op == INSN_STORE || in.op == INSN_XCHG)) {
		mmio_refuse(pc, gpa, "instruction does not match the access", -EINVAL);
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
