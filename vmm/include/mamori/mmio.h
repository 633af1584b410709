/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The core's side of MMIO intercepts (registration API in <mamori/vm.h>):
 * what the arch EPT-violation handler calls, and the arch hook that sets the
 * EPT permissions of a region.
 */
#ifndef MAMORI_MMIO_H
#define MAMORI_MMIO_H

#include <mamori/vm.h>

/*
 * vm_mmio_flags - the MMIO_TRAP_* flags of the region holding @gpa, or 0 when
 * @gpa is in no registered region.
 */
u32 vm_mmio_flags(struct vm *vm, u64 gpa);

/*
 * vm_mmio_dispatch - emulate one guest access through the region's handler.
 * An access running past the end of the region is refused without calling
 * it. A refusal is logged (rate-limited); a refused read returns all ones.
 * Return: 0, or -ENOENT when @gpa is in no region (nothing done).
 */
int vm_mmio_dispatch(struct vm *vm, u64 gpa, u32 size, bool write, u64 *val);

/*
 * arch_vm_mmio_protect - make the EPT leaves of [@gpa, @gpa + @size) trap
 * what @flags names (MMIO_TRAP_WRITE: read-only; MMIO_TRAP_READ: not
 * present), or restore the identity mapping when @flags is 0, and invalidate
 * on every CPU. Return 0 or a negative errno.
 */
int arch_vm_mmio_protect(struct vm *vm, u64 gpa, u64 size, u32 flags);

#endif
