/* SPDX-License-Identifier: GPL-2.0-only */
/* VMX: VMCS field encodings, control bits, exit reasons, instructions (SDM vol 3C, App. B/C). */
#ifndef MAMORI_ASM_VMX_H
#define MAMORI_ASM_VMX_H

#include <mamori/types.h>

enum vmcs_field {
	VIRTUAL_PROCESSOR_ID = 0x0000,
	GUEST_ES_SELECTOR = 0x0800, GUEST_CS_SELECTOR = 0x0802,
	GUEST_SS_SELECTOR = 0x0804, GUEST_DS_SELECTOR = 0x0806,
	GUEST_FS_SELECTOR = 0x0808, GUEST_GS_SELECTOR = 0x080a,
	GUEST_LDTR_SELECTOR = 0x080c, GUEST_TR_SELECTOR = 0x080e,
	HOST_ES_SELECTOR = 0x0c00, HOST_CS_SELECTOR = 0x0c02,
	HOST_SS_SELECTOR = 0x0c04, HOST_DS_SELECTOR = 0x0c06,
	HOST_FS_SELECTOR = 0x0c08, HOST_GS_SELECTOR = 0x0c0a,
	HOST_TR_SELECTOR = 0x0c0c,
	IO_BITMAP_A = 0x2000, IO_BITMAP_B = 0x2002, MSR_BITMAP = 0x2004,
	VM_EXIT_MSR_STORE_ADDR = 0x2006, VM_EXIT_MSR_LOAD_ADDR = 0x2008,
	VM_ENTRY_MSR_LOAD_ADDR = 0x200a, TSC_OFFSET = 0x2010,
	EPT_POINTER = 0x201a,
	GUEST_PHYSICAL_ADDRESS = 0x2400,
	VMCS_LINK_POINTER = 0x2800, GUEST_IA32_DEBUGCTL = 0x2802,
	GUEST_IA32_PAT = 0x2804, GUEST_IA32_EFER = 0x2806,
	GUEST_PDPTE0 = 0x280a, GUEST_PDPTE1 = 0x280c,
	GUEST_PDPTE2 = 0x280e, GUEST_PDPTE3 = 0x2810,
	HOST_IA32_PAT = 0x2c00, HOST_IA32_EFER = 0x2c02,
	PIN_BASED_VM_EXEC_CONTROL = 0x4000, CPU_BASED_VM_EXEC_CONTROL = 0x4002,
	EXCEPTION_BITMAP = 0x4004, PAGE_FAULT_ERROR_CODE_MASK = 0x4006,
	PAGE_FAULT_ERROR_CODE_MATCH = 0x4008, CR3_TARGET_COUNT = 0x400a,
	VM_EXIT_CONTROLS = 0x400c, VM_EXIT_MSR_STORE_COUNT = 0x400e,
	VM_EXIT_MSR_LOAD_COUNT = 0x4010, VM_ENTRY_CONTROLS = 0x4012,
	VM_ENTRY_MSR_LOAD_COUNT = 0x4014, VM_ENTRY_INTR_INFO = 0x4016,
	VM_ENTRY_EXCEPTION_ERROR_CODE = 0x4018, VM_ENTRY_INSTRUCTION_LEN = 0x401a,
	TPR_THRESHOLD = 0x401c, SECONDARY_VM_EXEC_CONTROL = 0x401e,
	VM_INSTRUCTION_ERROR = 0x4400, VM_EXIT_REASON = 0x4402,
	VM_EXIT_INTR_INFO = 0x4404, VM_EXIT_INTR_ERROR_CODE = 0x4406,
	IDT_VECTORING_INFO = 0x4408, IDT_VECTORING_ERROR_CODE = 0x440a,
	VM_EXIT_INSTRUCTION_LEN = 0x440c, VMX_INSTRUCTION_INFO = 0x440e,
	GUEST_ES_LIMIT = 0x4800, GUEST_CS_LIMIT = 0x4802, GUEST_SS_LIMIT = 0x4804,
	GUEST_DS_LIMIT = 0x4806, GUEST_FS_LIMIT = 0x4808, GUEST_GS_LIMIT = 0x480a,
	GUEST_LDTR_LIMIT = 0x480c, GUEST_TR_LIMIT = 0x480e,
	GUEST_GDTR_LIMIT = 0x4810, GUEST_IDTR_LIMIT = 0x4812,
	GUEST_ES_AR = 0x4814, GUEST_CS_AR = 0x4816, GUEST_SS_AR = 0x4818,
	GUEST_DS_AR = 0x481a, GUEST_FS_AR = 0x481c, GUEST_GS_AR = 0x481e,
	GUEST_LDTR_AR = 0x4820, GUEST_TR_AR = 0x4822,
	GUEST_INTERRUPTIBILITY_INFO = 0x4824, GUEST_ACTIVITY_STATE = 0x4826,
	GUEST_SYSENTER_CS = 0x482a, VMX_PREEMPTION_TIMER_VALUE = 0x482e,
	HOST_IA32_SYSENTER_CS = 0x4c00,
	CR0_GUEST_HOST_MASK = 0x6000, CR4_GUEST_HOST_MASK = 0x6002,
	CR0_READ_SHADOW = 0x6004, CR4_READ_SHADOW = 0x6006,
	EXIT_QUALIFICATION = 0x6400, GUEST_LINEAR_ADDRESS = 0x640a,
	GUEST_CR0 = 0x6800, GUEST_CR3 = 0x6802, GUEST_CR4 = 0x6804,
	GUEST_ES_BASE = 0x6806, GUEST_CS_BASE = 0x6808, GUEST_SS_BASE = 0x680a,
	GUEST_DS_BASE = 0x680c, GUEST_FS_BASE = 0x680e, GUEST_GS_BASE = 0x6810,
	GUEST_LDTR_BASE = 0x6812, GUEST_TR_BASE = 0x6814,
	GUEST_GDTR_BASE = 0x6816, GUEST_IDTR_BASE = 0x6818,
	GUEST_DR7 = 0x681a, GUEST_RSP = 0x681c, GUEST_RIP = 0x681e,
	GUEST_RFLAGS = 0x6820, GUEST_PENDING_DBG_EXCEPTIONS = 0x6822,
	GUEST_SYSENTER_ESP = 0x6824, GUEST_SYSENTER_EIP = 0x6826,
	HOST_CR0 = 0x6c00, HOST_CR3 = 0x6c02, HOST_CR4 = 0x6c04,
	HOST_FS_BASE = 0x6c06, HOST_GS_BASE = 0x6c08, HOST_TR_BASE = 0x6c0a,
	HOST_GDTR_BASE = 0x6c0c, HOST_IDTR_BASE = 0x6c0e,
	HOST_IA32_SYSENTER_ESP = 0x6c10, HOST_IA32_SYSENTER_EIP = 0x6c12,
	HOST_RSP = 0x6c14, HOST_RIP = 0x6c16,
};

/* Pin-based controls */
#define PIN_EXT_INTR_EXITING		BIT(0)
#define PIN_NMI_EXITING			BIT(3)
#define PIN_VIRTUAL_NMIS		BIT(5)
#define PIN_PREEMPTION_TIMER		BIT(6)
/* Primary processor-based controls */
#define CPU_INTR_WINDOW_EXITING		BIT(2)
#define CPU_HLT_EXITING			BIT(7)
#define CPU_INVLPG_EXITING		BIT(9)
#define CPU_CR3_LOAD_EXITING		BIT(15)
#define CPU_CR3_STORE_EXITING		BIT(16)
#define CPU_NMI_WINDOW_EXITING		BIT(22)
#define CPU_UNCOND_IO_EXITING		BIT(24)
#define CPU_USE_IO_BITMAPS		BIT(25)
#define CPU_USE_MSR_BITMAPS		BIT(28)
#define CPU_ACTIVATE_SECONDARY		BIT(31)
/* Secondary processor-based controls */
#define SEC_ENABLE_EPT			BIT(1)
#define SEC_ENABLE_RDTSCP		BIT(3)
#define SEC_ENABLE_VPID			BIT(5)
#define SEC_UNRESTRICTED_GUEST		BIT(7)
#define SEC_ENABLE_INVPCID		BIT(12)
#define SEC_ENABLE_XSAVES		BIT(20)
#define SEC_ENABLE_USR_WAIT_PAUSE	BIT(26)	/* TPAUSE, UMWAIT, UMONITOR */
/* VM-exit controls */
#define EXIT_SAVE_DEBUG_CONTROLS	BIT(2)
#define EXIT_HOST_ADDR_SPACE_SIZE	BIT(9)
#define EXIT_SAVE_IA32_PAT		BIT(18)
#define EXIT_LOAD_IA32_PAT		BIT(19)
#define EXIT_SAVE_IA32_EFER		BIT(20)
#define EXIT_LOAD_IA32_EFER		BIT(21)
#define EXIT_CLEAR_RTIT_CTL		BIT(25)	/* Intel PT off in VMX root */
#define EXIT_CLEAR_LBR_CTL		BIT(26)	/* arch LBR off in VMX root */
/* VM-entry controls */
#define ENTRY_LOAD_DEBUG_CONTROLS	BIT(2)
#define ENTRY_IA32E_MODE		BIT(9)
#define ENTRY_LOAD_IA32_PAT		BIT(14)
#define ENTRY_LOAD_IA32_EFER		BIT(15)

/* IA32_VMX_BASIC */
#define VMX_BASIC_IO_INFO		BIT(54)	/* instruction information for INS/OUTS */
#define VMX_BASIC_TRUE_CTLS		BIT(55)
/* IA32_VMX_EPT_VPID_CAP: EPT bits in <asm/ept.h> */
#define VPID_CAP_INVVPID		BIT(32)

/* Interruption information (entry and exit) */
#define INTR_INFO_VALID			BIT(31)
#define INTR_INFO_DELIVER_CODE		BIT(11)
#define INTR_TYPE_EXT_INTR		(0 << 8)
#define INTR_TYPE_NMI			(2 << 8)
#define INTR_TYPE_HW_EXCEPTION		(3 << 8)
#define INTR_TYPE_MASK			(7 << 8)
/* Guest interruptibility */
#define GUEST_INTR_STI			BIT(0)
#define GUEST_INTR_MOV_SS		BIT(1)
#define GUEST_INTR_NMI			BIT(3)
/* Guest activity states */
#define GUEST_ACTIVITY_ACTIVE		0
#define GUEST_ACTIVITY_HLT		1
#define GUEST_ACTIVITY_WAIT_SIPI	3
#define VMX_MISC_WAIT_SIPI		BIT(8)	/* IA32_VMX_MISC */
/* Segment access rights */
#define VMX_AR_UNUSABLE			BIT(16)

#define VMX_EXIT_REASON_FAILED_ENTRY	BIT(31)

enum vmx_exit_reason {
	EXIT_EXCEPTION_NMI = 0, EXIT_EXTERNAL_INTERRUPT = 1, EXIT_TRIPLE_FAULT = 2,
	EXIT_INIT = 3, EXIT_SIPI = 4, EXIT_IO_SMI = 5, EXIT_OTHER_SMI = 6,
	EXIT_INTERRUPT_WINDOW = 7, EXIT_NMI_WINDOW = 8, EXIT_TASK_SWITCH = 9,
	EXIT_CPUID = 10, EXIT_GETSEC = 11, EXIT_HLT = 12, EXIT_INVD = 13,
	EXIT_INVLPG = 14, EXIT_RDPMC = 15, EXIT_RDTSC = 16, EXIT_RSM = 17,
	EXIT_VMCALL = 18, EXIT_VMCLEAR = 19, EXIT_VMLAUNCH = 20, EXIT_VMPTRLD = 21,
	EXIT_VMPTRST = 22, EXIT_VMREAD = 23, EXIT_VMRESUME = 24, EXIT_VMWRITE = 25,
	EXIT_VMXOFF = 26, EXIT_VMXON = 27, EXIT_CR_ACCESS = 28, EXIT_DR_ACCESS = 29,
	EXIT_IO_INSTRUCTION = 30, EXIT_RDMSR = 31, EXIT_WRMSR = 32,
	EXIT_INVALID_GUEST_STATE = 33, EXIT_MSR_LOAD_FAIL = 34, EXIT_RESERVED_35 = 35,
	EXIT_MWAIT = 36, EXIT_MONITOR_TRAP_FLAG = 37, EXIT_RESERVED_38 = 38,
	EXIT_MONITOR = 39, EXIT_PAUSE = 40, EXIT_MCE_DURING_ENTRY = 41,
	EXIT_RESERVED_42 = 42, EXIT_TPR_BELOW_THRESHOLD = 43, EXIT_APIC_ACCESS = 44,
	EXIT_EOI_INDUCED = 45, EXIT_GDTR_IDTR = 46, EXIT_LDTR_TR = 47,
	EXIT_EPT_VIOLATION = 48, EXIT_EPT_MISCONFIG = 49, EXIT_INVEPT = 50,
	EXIT_RDTSCP = 51, EXIT_PREEMPTION_TIMER = 52, EXIT_INVVPID = 53,
	EXIT_WBINVD = 54, EXIT_XSETBV = 55, EXIT_APIC_WRITE = 56, EXIT_RDRAND = 57,
	EXIT_INVPCID = 58, EXIT_VMFUNC = 59, EXIT_ENCLS = 60, EXIT_RDSEED = 61,
	EXIT_PML_FULL = 62, EXIT_XSAVES = 63, EXIT_XRSTORS = 64, EXIT_PCONFIG = 65,
	EXIT_SPP = 66, EXIT_UMWAIT = 67, EXIT_TPAUSE = 68, EXIT_LOADIWKEY = 69,
	VMX_EXIT_REASONS = 70,
};

/* vmx_* instruction wrappers: true on success (CF = ZF = 0). */
static inline bool vmx_vmwrite(u64 field, u64 value)
{
	bool fail;

	__asm__ volatile("vmwrite %2, %1; setbe %0"
			 : "=qm"(fail) : "r"(field), "rm"(value) : "cc", "memory");
	return !fail;
}

static inline bool vmx_vmread_safe(u64 field, u64 *value)
{
	bool fail;

	__asm__ volatile("vmread %2, %1; setbe %0"
			 : "=qm"(fail), "=rm"(*value) : "r"(field) : "cc", "memory");
	return !fail;
}

/* vmcs_read - VMREAD of a field the VMM knows exists (0 if the read fails). */
static inline u64 vmcs_read(u64 field)
{
	u64 v = 0;

	vmx_vmread_safe(field, &v);
	return v;
}

static inline bool vmx_on(u64 *pa)
{
	bool fail;

	__asm__ volatile("vmxon %1; setbe %0" : "=qm"(fail) : "m"(*pa) : "cc", "memory");
	return !fail;
}

static inline bool vmx_clear(u64 *pa)
{
	bool fail;

	__asm__ volatile("vmclear %1; setbe %0" : "=qm"(fail) : "m"(*pa) : "cc", "memory");
	return !fail;
}

static inline bool vmx_ptrld(u64 *pa)
{
	bool fail;

	__asm__ volatile("vmptrld %1; setbe %0" : "=qm"(fail) : "m"(*pa) : "cc", "memory");
	return !fail;
}

static inline void vmx_off(void)
{
	__asm__ volatile("vmxoff" ::: "cc", "memory");
}

/* INVEPT/INVVPID types */
#define INVEPT_SINGLE_CONTEXT	1
#define INVEPT_ALL_CONTEXT	2
#define INVVPID_SINGLE_CONTEXT	1

static inline bool vmx_invept(u64 type, u64 eptp)
{
	struct { u64 eptp, rsvd; } desc = { eptp, 0 };
	bool fail;

	__asm__ volatile("invept %1, %2; setbe %0"
			 : "=qm"(fail) : "m"(desc), "r"(type) : "cc", "memory");
	return !fail;
}

/* vmx_exit_reason_name - short name of a basic exit reason ("cpuid", "ept-violation"). */
const char *vmx_exit_reason_name(u32 reason);
/* vmx_insn_error_name - text of a VM-instruction error number (SDM 31.4). */
const char *vmx_insn_error_name(u32 err);

#endif
