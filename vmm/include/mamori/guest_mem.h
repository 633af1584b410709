/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory as the VMM reaches it: the one API for copying to and from a
 * VM's memory. Every access goes through the VM's EPT (what the guest itself
 * may do) and is refused (-EFAULT) for the VMM's own region and for addresses
 * beyond what the host page tables map, so a guest-chosen address can never
 * make the VMM fault or read itself. Implemented in arch/x86_64/guest_mem.c.
 */
#ifndef MAMORI_GUEST_MEM_H
#define MAMORI_GUEST_MEM_H

#include <mamori/types.h>

struct vm;

/* Largest single arch_guest_read()/arch_guest_write() (one hypercall buffer). */
#define HC_COPY_MAX	4096

/**
 * arch_guest_write() - copy @len bytes to guest virtual address @gva of the
 * current vCPU, through the guest's paging and the VM's EPT; refuses (-EFAULT)
 * unmapped, read-only or hidden pages. At most HC_COPY_MAX bytes.
 */
int arch_guest_write(struct vm *vm, u64 gva, const void *buf, u64 len);
/* arch_guest_read() - the reverse of arch_guest_write(), same rules. */
int arch_guest_read(struct vm *vm, u64 gva, void *buf, u64 len);

/*
 * guest_phys_read/guest_phys_write - copy between VMM memory and the VM's
 * guest-physical memory, through its EPT: refused (-EFAULT) for addresses the
 * VM may not access that way, the VMM's own region included. For DMA
 * descriptors and the buffers they name.
 */
int guest_phys_read(struct vm *vm, u64 gpa, void *buf, u64 len);
int guest_phys_write(struct vm *vm, u64 gpa, const void *buf, u64 len);

/**
 * vm_range_hits_vmm() - whether guest-physical [@gpa, @gpa + @len) touches
 * the VMM's region (hidden from @vm). A range that wraps counts as a hit, so
 * callers refuse it too. The one VMM-region check for guest-supplied ranges.
 */
bool vm_range_hits_vmm(const struct vm *vm, u64 gpa, u64 len);

#endif
