// SPDX-License-Identifier: GPL-2.0-only
/* I/O-instruction exits: IN/OUT and INS/OUTS (with REP) to intercepted ports. */
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/vmx.h>
#include <asm/vmx_exit.h>
#include <asm/vmx_vcpu.h>
#include <mamori/hypercall.h>
#include <mamori/log.h>
#include <mamori/vm.h>

#define IO_CHUNK	1024		/* bytes per exit: one 512-byte sector fits */
#define RFLAGS_DF	BIT(10)
#define AR_L		BIT(13)
#define AR_DB		BIT(14)
#define SEG_ES		0
#define SEG_DS		3

static u8 io_buf[BOOT_CPUS_MAX][IO_CHUNK] __aligned(16);

/* The address-size mask and the segment of the memory operand of INS/OUTS. */
static u64 io_string_addr(bool in, u32 *seg)
{
	u64 info = vmcs_read(VMX_INSTRUCTION_INFO), ar = vmcs_read(GUEST_CS_AR);
	u32 asz;

	if (rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_IO_INFO) {
		asz = (info >> 7) & 7;
		*seg = in ? SEG_ES : (info >> 15) & 7;
	} else {		/* no exit information: the default segment, CS's size */
		asz = (ar & AR_L) ? 2 : (ar & AR_DB) ? 1 : 0;
		*seg = in ? SEG_ES : SEG_DS;
	}
	return asz == 2 ? ~0ULL : asz == 1 ? 0xffffffffULL : 0xffffULL;
}

static u64 io_seg_base(u32 seg)
{
	if ((vmcs_read(GUEST_CS_AR) & AR_L) && seg < 4)
		return 0;	/* 64-bit mode: ES/CS/SS/DS bases are zero */
	return vmcs_read(GUEST_ES_BASE + 2 * seg);
}

static u64 io_advance(u64 reg, u64 mask, s64 delta)
{
	if (mask == 0xffffffffULL)
		return (u32)(reg + delta);	/* 32-bit writes zero-extend */
	return (reg & ~mask) | ((reg + delta) & mask);
}

static void io_string_fault(struct per_cpu *pc, u16 port, u64 lin)
{
	static u32 n;

	if (log_ratelimit(&n))
		pr_warn("cpu%u: string I/O on port 0x%x: guest buffer 0x%lx not accessible: #GP\n",
			pc->cpu_id, port, lin);
	vmx_inject(X86_VEC_GP, INTR_TYPE_HW_EXCEPTION, true, 0);
}

/*
 * One chunk of INS/OUTS, at most IO_CHUNK bytes (one unit with DF set): the
 * guest re-executes a REP instruction until RCX reaches zero.
 */
static void io_string(struct per_cpu *pc, struct guest_regs *r, u16 port, u32 size,
		      bool in, bool rep)
{
	u8 *buf = io_buf[pc->cpu_id];
	bool df = vmcs_read(GUEST_RFLAGS) & RFLAGS_DF;
	u32 seg;
	u64 mask = io_string_addr(in, &seg), *ptr = in ? &r->rdi : &r->rsi;
	u64 count = rep ? r->rcx & mask : 1, units, lin;

	if (!count) {
		vmx_skip_instruction();
		return;
	}
	units = df ? 1 : MIN(count, IO_CHUNK / size);
	lin = io_seg_base(seg) + (*ptr & mask);
	if (!in && arch_guest_read(pc->vm, lin, buf, units * size))
		return io_string_fault(pc, port, lin);
	vm_pio_dispatch_string(pc->vm, port, size, in, buf, (u32)units);
	if (in && arch_guest_write(pc->vm, lin, buf, units * size))
		return io_string_fault(pc, port, lin);
	*ptr = io_advance(*ptr, mask, df ? -(s64)(units * size) : (s64)(units * size));
	if (rep)
		r->rcx = io_advance(r->rcx, mask, -(s64)units);
	if (!rep || !(r->rcx & mask))
		vmx_skip_instruction();
}

void vmx_handle_io(struct per_cpu *pc, struct guest_regs *r)
{
	u64 q = vmcs_read(EXIT_QUALIFICATION);
	u32 size = (q & 7) + 1, val = (u32)r->rax;
	bool in = q & BIT(3);
	u16 port = (u16)(q >> 16);

	if (q & BIT(4))
		return io_string(pc, r, port, size, in, q & BIT(5));
	vm_pio_dispatch(pc->vm, port, size, in, &val);
	if (in) {
		u64 mask = size == 4 ? 0xffffffffULL : (1ULL << (size * 8)) - 1;

		r->rax = size == 4 ? val : (r->rax & ~mask) | (val & mask);
	}
	vmx_skip_instruction();
}
