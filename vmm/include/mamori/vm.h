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

#define VM_PIO_MAX	16

struct vcpu;

/*
 * pio_handler_fn - emulate one guest IN/OUT of @size bytes (1, 2, 4) at @port.
 * For IN, store the value in *@val. Return 0, or a negative errno to refuse
 * (the core logs it; IN then reads all ones, OUT is dropped).
 */
typedef int (*pio_handler_fn)(struct vm *vm, void *priv, u16 port, u32 size, bool in,
			      u32 *val);

struct pio_intercept {
	u16 port;
	u16 count;
	const char *name;
	pio_handler_fn handler;
	void *priv;
};

struct vm {
	u32 id;
	const char *name;
	u32 npio;
	struct pio_intercept pio[VM_PIO_MAX];
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

/* vm_pio_dispatch - called by the arch exit handler for an intercepted port. */
void vm_pio_dispatch(struct vm *vm, u16 port, u32 size, bool in, u32 *val);

/* arch_vm_intercept_pio - make guest accesses to the ports exit (I/O bitmap). */
void arch_vm_intercept_pio(struct vm *vm, u16 port, u16 count);

/* Generic intercepts the core installs on the passthrough guest (vmm/devices.c). */
int vmm_devices_init(struct vm *vm);

#endif
