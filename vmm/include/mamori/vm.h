/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A VM: its own EPT (in struct arch_vm), VMCS per vCPU, and the device
 * intercepts registered with the core. Mamori runs two: the passthrough guest
 * (id 0) and, later, the monitor partition. Device code registers port ranges
 * here and never edits the VMCS or EPT itself.
 */
#ifndef MAMORI_VM_H
#define MAMORI_VM_H

#include <mamori/types.h>
#include <asm/vm.h>
#include <mamori/guest_mem.h>	/* guest_phys_read/write */

#define VM_PIO_MAX	16

struct vcpu;

/*
 * pio_handler_fn - emulate one guest IN/OUT of @size bytes (1, 2, 4) at @port.
 * For IN, store the value in *@val. Return 0, or a negative errno to refuse
 * (the core logs it; IN then reads all ones, OUT is dropped).
 */
typedef int (*pio_handler_fn)(struct vm *vm, void *priv, u16 port, u32 size, bool in,
			      u32 *val);

/*
 * mmio_handler_fn - emulate one guest access of @size bytes (1, 2, 4, 8) at
 * guest-physical @gpa inside a registered MMIO region. For reads, store the
 * value in *@val. Return 0, or a negative errno to refuse (the core logs it;
 * a read then returns all ones, a write is dropped).
 */
typedef int (*mmio_handler_fn)(struct vm *vm, void *priv, u64 gpa, u32 size, bool write,
			       u64 *val);

#define VM_MMIO_MAX	64	/* AHCI, VT-d, APIC, one ECAM page per locked PCI function */

/* MMIO region flags: which guest accesses exit (the others go to the device). */
#define MMIO_TRAP_WRITE	BIT(0)
#define MMIO_TRAP_READ	BIT(1)

struct mmio_intercept {
	u64 gpa;
	u64 size;
	u32 flags;
	const char *name;
	mmio_handler_fn handler;
	void *priv;
};

/*
 * pio_string_fn - move @count units of @size bytes between the device at
 * @port and @buf (IN: device to @buf), for one chunk of a guest INS/OUTS.
 * Optional: without it the core calls the pio_handler_fn once per unit.
 * Return 0 or a negative errno (IN then reads all ones, OUT is dropped).
 */
typedef int (*pio_string_fn)(struct vm *vm, void *priv, u16 port, u32 size, bool in,
			     u8 *buf, u32 count);

struct pio_intercept {
	u16 port;
	u16 count;
	const char *name;
	pio_handler_fn handler;
	pio_string_fn string;
	void *priv;
	u32 exits[8];			/* exits per port (the first 8), for the statistics */
	u64 cycles;			/* arch_cycles() spent in its handlers */
};

struct vm {
	u32 id;
	const char *name;
	u32 npio;
	struct pio_intercept pio[VM_PIO_MAX];
	u32 nmmio;
	struct mmio_intercept mmio[VM_MMIO_MAX];
	struct arch_vm arch;
};

/* vm_guest - the passthrough guest VM (id 0). */
struct vm *vm_guest(void);

/**
 * vm_register_pio() - route guest accesses to ports [@port, @port + @count) to
 * @handler. Return: 0, -EBUSY when the range overlaps another, -E2BIG when
 * the table is full.
 */
int vm_register_pio(struct vm *vm, u16 port, u16 count, const char *name,
		    pio_handler_fn handler, void *priv);

/**
 * vm_register_pio_string() - give the intercept that covers @port a string
 * handler for INS/OUTS. Return: 0, -ENOENT when no intercept covers @port.
 */
int vm_register_pio_string(struct vm *vm, u16 port, pio_string_fn fn);

/*
 * vm_log_pio_stats - one "stats:" line with the I/O exits per intercepted port
 * (those with any), beside arch_log_exit_stats().
 */
void vm_log_pio_stats(struct vm *vm);

/* vm_pio_dispatch - called by the arch exit handler for an intercepted port. */
void vm_pio_dispatch(struct vm *vm, u16 port, u32 size, bool in, u32 *val);

/*
 * vm_pio_dispatch_string - one chunk of an INS/OUTS: @count units of @size
 * bytes, @buf holding the guest's data for OUTS and receiving it for IN.
 */
void vm_pio_dispatch_string(struct vm *vm, u16 port, u32 size, bool in, u8 *buf, u32 count);

/**
 * vm_register_mmio() - make guest accesses to [@gpa, @gpa + @size) (page
 * aligned) that @flags names exit to @handler; the others reach the device
 * directly. Usable before and after launch (the EPT change is invalidated on
 * every CPU). Return: 0, -EINVAL, -EBUSY on overlap, -E2BIG when full.
 */
int vm_register_mmio(struct vm *vm, u64 gpa, u64 size, u32 flags, const char *name,
		     mmio_handler_fn handler, void *priv);

/* vm_unregister_mmio() - undo vm_register_mmio() of the region at @gpa (BAR moved). */
int vm_unregister_mmio(struct vm *vm, u64 gpa);

/* arch_vm_intercept_pio - make guest accesses to the ports exit (I/O bitmap). */
void arch_vm_intercept_pio(struct vm *vm, u16 port, u16 count);

/*
 * arch_vm_pio_pass - let guest accesses to the one intercepted @port reach the
 * device without an exit (@pass), or make them exit again (!@pass: always
 * done, effective from the calling CPU's next VM entry). Opening is allowed
 * only where the calling CPU is, for the whole life of the VM, the only one
 * to run its guest (the I/O bitmap is shared and may be changed only while
 * no other CPU uses it in VMX non-root); otherwise -EBUSY and nothing
 * changes. Called from an exit handler (VMX root). docs/disk.md, "Data port
 * pass-through".
 */
int arch_vm_pio_pass(struct vm *vm, u16 port, bool pass);

#endif
