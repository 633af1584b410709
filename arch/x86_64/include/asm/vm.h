/* SPDX-License-Identifier: GPL-2.0-only */
/* x86 part of a VM: EPT, I/O and MSR bitmaps shared by its vCPUs. */
#ifndef MAMORI_ASM_VM_H
#define MAMORI_ASM_VM_H

#include <asm/ept.h>
#include <asm/mtrr.h>
#include <asm/spinlock.h>

struct arch_vm {
	struct ept ept;
	spinlock_t ept_lock;		/* serialises EPT changes */
	u8 *io_bitmap;			/* 2 pages: A (0-0x7fff), B */
	u8 *msr_bitmap;			/* 1 page */
	u8 *sink_page;			/* what hidden pages map to once read or written */
	u8 *sink_code;			/* ... once fetched from: UD2s, read+execute */
	u64 hidden_base, hidden_size;	/* the VMM region */
	u16 vpid;
	bool pio_pass_ok;		/* one CPU in all: the I/O bitmap may change at exits */
	volatile u64 ept_gen;		/* bumped on every EPT change (shootdown) */
	bool ept_live;			/* a CPU may use the EPT (the boot CPU launched) */
	struct mtrr_state mtrr;		/* the boot CPU's MTRRs: identity memory types */
};

struct vm;
struct boot_info;

/* vmm_ept_mm - paging-structure pages from the VMM heap (EPT and host page tables). */
extern const struct ept_mm vmm_ept_mm;

/* arch_vm_init - EPT (identity, VMM region hidden), I/O and MSR bitmaps; an enum vmm_status. */
int arch_vm_init(struct vm *vm, const struct boot_info *bi);
/*
 * arch_vm_hidden_access - EPT violation inside the hidden region: log
 * (rate-limited per kind of access), map the page to a sink (ept_map_sink()).
 */
int arch_vm_hidden_access(struct vm *vm, u64 gpa, u64 qual);
/*
 * arch_vm_ept_changed - after an EPT change: INVEPT here, and make every other
 * CPU running @vm's guest invalidate before it runs guest code again (NMI kick,
 * waits for each to acknowledge).
 */
void arch_vm_ept_changed(struct vm *vm);
/* arch_vm_ept_sync - called on every VM exit: INVEPT if this CPU is behind. */
void arch_vm_ept_sync(struct vm *vm);

#endif
