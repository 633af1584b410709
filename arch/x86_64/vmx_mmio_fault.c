// SPDX-License-Identifier: GPL-2.0-only
/* The checks of asm/vmx_mmio.h: which EPT violations MMIO emulation may take. */
#include <asm/vmx_mmio.h>

#define IDT_INFO_VALID	BIT(31)

const char *vmx_mmio_fault_why(u64 qual, u64 idt_info)
{
	if (idt_info & IDT_INFO_VALID)
		return "fault during event delivery";
	if (qual & EPT_Q_FETCH)
		return "instruction fetch";
	if (!(qual & EPT_Q_GLA_VALID))
		return "access without a linear address (PDPTE load)";
	if (!(qual & EPT_Q_GLA_XLATED))
		return "guest page-table walk";
	return NULL;
}

const char *vmx_mmio_access_why(u64 gpa, u32 size)
{
	if (!size || (gpa & (PAGE_SIZE - 1)) + size > PAGE_SIZE)
		return "access crosses a page boundary";
	return NULL;
}
