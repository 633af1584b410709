// SPDX-License-Identifier: GPL-2.0-only
#include <mamori/vm.h>
#include <mamori/errno.h>
#include <mamori/log.h>

static struct vm guest_vm = { .id = 0, .name = "guest" };

struct vm *vm_guest(void)
{
	return &guest_vm;
}

int vm_register_pio(struct vm *vm, u16 port, u16 count, const char *name,
		    pio_handler_fn handler, void *priv)
{
	u32 i;

	for (i = 0; i < vm->npio; i++) {
		const struct pio_intercept *p = &vm->pio[i];

		if (port < p->port + p->count && p->port < port + count) {
			pr_err("vm%u: %s ports 0x%x-0x%x overlap %s\n", vm->id, name, port,
			       port + count - 1, p->name);
			return -EBUSY;
		}
	}
	if (vm->npio == VM_PIO_MAX)
		return -E2BIG;
	vm->pio[vm->npio++] = (struct pio_intercept){ port, count, name, handler, priv };
	arch_vm_intercept_pio(vm, port, count);
	return 0;
}

void vm_pio_dispatch(struct vm *vm, u16 port, u32 size, bool in, u32 *val)
{
	u32 i;
	int rc;

	for (i = 0; i < vm->npio; i++) {
		const struct pio_intercept *p = &vm->pio[i];

		if (port < p->port || port >= p->port + p->count)
			continue;
		rc = p->handler(vm, p->priv, port, size, in, val);
		if (rc)
			pr_warn("vm%u: %s: refused %s of port 0x%x (%d)\n", vm->id, p->name,
				in ? "read" : "write", port, rc);
		if (rc && in)
			*val = 0xffffffff;
		return;
	}
	pr_err("vm%u: I/O exit on port 0x%x with no intercept; %s\n", vm->id, port,
	       in ? "read as all ones" : "write dropped");
	if (in)
		*val = 0xffffffff;
}
