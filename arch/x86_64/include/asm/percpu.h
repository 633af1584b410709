/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU VMM state. Reached through the host GS base (offset 0 holds the
 * pointer itself), so exit handlers need no lookup. Each CPU touches only its
 * own struct; shared state has its own lock (docs/architecture.md).
 */
#ifndef MAMORI_ASM_PERCPU_H
#define MAMORI_ASM_PERCPU_H

#ifndef __ASSEMBLY__
#include <mamori/types.h>
#include <asm/vmx.h>
#endif

#define EXIT_STACK_PAGES	4	/* above an unmapped guard page */
#define IST_STACK_PAGES		1	/* #DF, NMI, #MC: TSS IST stacks, guarded too */
#define GDT_ENTRIES		6	/* null, code, data, TSS (2), spare */
#define HOST_CS			0x08
#define HOST_DS			0x10
#define HOST_TR			0x18
#define PERCPU_FIXUP_RIP	8	/* offsetof(struct per_cpu, fixup_rip), for asm */
#define PERCPU_LAUNCH_RSP	16	/* offsetof(struct per_cpu, launch_rsp) */
#define PERCPU_VMLAUNCH_NEXT	24	/* offsetof(struct per_cpu, vmlaunch_next) */

#ifndef __ASSEMBLY__
struct vm;

/* Guest GPRs as the exit stub pushes them (rsp lives in the VMCS). */
struct guest_regs {
	u64 rax, rcx, rdx, rbx, rsp_unused, rbp, rsi, rdi;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
};

struct tss64 {
	u32 rsvd0;
	u64 rsp[3];
	u64 rsvd1;
	u64 ist[7];
	u64 rsvd2;
	u16 rsvd3;
	u16 iomap_base;
} __packed;


struct per_cpu {
	struct per_cpu *self;		/* must stay first: %gs:0 */
	volatile u64 fixup_rip;		/* set around instructions that may #GP */
	u64 launch_rsp;			/* host stack of vmx_launch(), for abort */
	u64 vmlaunch_next;		/* the exit stub enters with VMLAUNCH (a fresh VMCS) */
	u32 cpu_id;
	u32 apic_id;
	struct vm *vm;
	u64 vmxon_pa;
	u64 vmcs_pa;
	bool launched;
	volatile u32 state;		/* enum cpu_state (mamori/smp.h) */
	volatile u32 nmi_kicks;		/* NMI kicks sent by the VMM: a generation, never decremented */
	u32 nmi_kicks_seen;		/* kick generation this CPU has handled */
	volatile u64 ept_gen_seen;	/* EPT generation this CPU has invalidated */
	u32 sipis;
	u64 samples;			/* vCPU sampler exits (asm/vmx_sample.h) */
	bool sipi_fresh;		/* no exit since the SIPI exit yet */
	u8 sipi_vector;			/* of the last SIPI */
	u8 held_inits;			/* INITs dropped since that SIPI */
	volatile bool init_pending;	/* emulated INIT to apply; cleared = acknowledged */
	u32 guest_ldr, guest_dfr;	/* xAPIC LDR/DFR the guest last wrote on this CPU */
	u32 pending_nmis;
	u64 guest_spec_ctrl;		/* the guest's IA32_SPEC_CTRL while in VMX root */
	volatile u64 fault_vector;
	u64 exits[VMX_EXIT_REASONS + 1];	/* last slot: unknown reasons */
	u64 exit_tsc[VMX_EXIT_REASONS + 1];	/* TSC cycles spent handling them */
	u64 gdt[GDT_ENTRIES] __aligned(16);
	struct tss64 tss __aligned(16);
	u8 *exit_stack;
};

static inline struct per_cpu *this_cpu(void)
{
	struct per_cpu *p;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

#define PERCPU_MAX	64

/* percpu_alloc - allocate, initialise and register CPU @cpu_id's struct, or NULL. */
struct per_cpu *percpu_alloc(u32 cpu_id, u32 apic_id);
/* percpu_get - CPU @cpu_id's struct, or NULL when it has none. */
struct per_cpu *percpu_get(u32 cpu_id);
/* cpu_event - apply @ev to @pc's bring-up state (mamori/smp.h); -1 and a log line if refused. */
int cpu_event(struct per_cpu *pc, int ev);

#endif /* __ASSEMBLY__ */

#endif
