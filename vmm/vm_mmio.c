// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMIO intercepts: the region table of each VM. The table is changed under
 * mmio_lock; a dispatch copies the entry under it and calls the handler
 * without it (a handler may wait for another CPU). A handler can therefore
 * run once more just after its region was unregistered.
 */
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/mmio.h>
#include <mamori/string.h>

static spinlock_t mmio_lock = SPINLOCK_INIT;

static bool mmio_lookup(struct vm *vm, u64 gpa, struct mmio_intercept *out)
{
	bool found = false;
	u32 i;

	spin_lock(&mmio_lock);
	for (i = 0; i < vm->nmmio && !found; i++) {
		if (gpa >= vm->mmio[i].gpa && gpa - vm->mmio[i].gpa < vm->mmio[i].size) {
			*out = vm->mmio[i];
			found = true;
		}
	}
	spin_unlock(&mmio_lock);
	return found;
}

static int mmio_check(struct vm *vm, u64 gpa, u64 size, u32 flags, const char *name)
{
	u32 i;

	if (!size || (gpa | size) & (PAGE_SIZE - 1) || gpa + size < gpa || !flags ||
	    (flags & ~(MMIO_TRAP_WRITE | MMIO_TRAP_READ)))
		return -EINVAL;
	for (i = 0; i < vm->nmmio; i++) {
		const struct mmio_intercept *m = &vm->mmio[i];

		if (gpa < m->gpa + m->size && m->gpa < gpa + size) {
			pr_err("vm%u: %s MMIO 0x%lx+0x%lx overlaps %s\n", vm->id, name, gpa,
			       size, m->name);
			return -EBUSY;
		}
	}
	return vm->nmmio == VM_MMIO_MAX ? -E2BIG : 0;
}

int vm_register_mmio(struct vm *vm, u64 gpa, u64 size, u32 flags, const char *name,
		     mmio_handler_fn handler, void *priv)
{
	int rc;

	spin_lock(&mmio_lock);
	rc = mmio_check(vm, gpa, size, flags, name);
	if (!rc)
		vm->mmio[vm->nmmio++] = (struct mmio_intercept){
			.gpa = gpa, .size = size, .flags = flags, .name = name,
			.handler = handler, .priv = priv };
	spin_unlock(&mmio_lock);
	if (rc)
		return rc;
	rc = arch_vm_mmio_protect(vm, gpa, size, flags);
	if (rc) {
		pr_err("vm%u: %s MMIO 0x%lx+0x%lx: EPT change failed (%d)\n", vm->id, name, gpa,
		       size, rc);
		vm_unregister_mmio(vm, gpa);
	}
	return rc;
}

int vm_unregister_mmio(struct vm *vm, u64 gpa)
{
	u64 size = 0;
	u32 i;

	spin_lock(&mmio_lock);
	for (i = 0; i < vm->nmmio; i++) {
		if (vm->mmio[i].gpa != gpa)
			continue;
		size = vm->mmio[i].size;
		memmove(&vm->mmio[i], &vm->mmio[i + 1],
			(vm->nmmio - i - 1) * sizeof(vm->mmio[0]));
		vm->nmmio--;
		break;
	}
	spin_unlock(&mmio_lock);
	if (!size)
		return -ENOENT;
	return arch_vm_mmio_protect(vm, gpa, size, 0);
}

u32 vm_mmio_flags(struct vm *vm, u64 gpa)
{
	struct mmio_intercept m;

	return mmio_lookup(vm, gpa, &m) ? m.flags : 0;
}

int vm_mmio_dispatch(struct vm *vm, u64 gpa, u32 size, bool write, u64 *val)
{
	struct mmio_intercept m;
	static u32 refused;
	int rc;

	if (!mmio_lookup(vm, gpa, &m))
		return -ENOENT;
	if (size > m.size - (gpa - m.gpa))
		rc = -EFAULT;		/* runs past the region: the handler never sees it */
	else
		rc = m.handler(vm, m.priv, gpa, size, write, val);
	if (rc && log_ratelimit(&refused))
		pr_warn("vm%u: %s: refused %u-byte %s at 0x%lx (%d)\n", vm->id, m.name, size,
			write ? "write" : "read", gpa, rc);
	if (rc && !write)
		*val = ~0ULL;
	return 0;
}
