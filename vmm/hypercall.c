// SPDX-License-Identifier: GPL-2.0-only
#include <mamori/audit.h>
#include <mamori/errno.h>
#include <mamori/hypercall.h>
#include <mamori/log.h>
#include <mamori/monitor.h>
#include <mamori/vm.h>

static s64 hc_version(void)
{
	return ((s64)HC_ABI_MAJOR << 32) | (HC_ABI_MINOR << 16) | HC_ABI_PATCH;
}

static s64 hc_exit_stats(struct vm *vm, u64 gva, u64 size)
{
	u8 buf[HC_COPY_MAX];
	struct hc_exit_stats *st = (struct hc_exit_stats *)buf;
	u32 slots;
	u64 len;

	if (size < sizeof(*st) || size > HC_COPY_MAX)
		return -EINVAL;
	slots = (u32)((size - sizeof(*st)) / sizeof(u64));
	st->reserved = 0;
	st->reasons = arch_exit_stats(st->count, slots, &st->total);
	len = sizeof(*st) + st->reasons * sizeof(u64);
	if (arch_guest_write(vm, gva, buf, len))
		return -EFAULT;
	return (s64)len;
}

static s64 hc_audit_read(struct vm *vm, u64 gva, u64 size, u64 from)
{
	u8 buf[HC_COPY_MAX];
	struct hc_audit *a = (struct hc_audit *)buf;
	u64 len;

	if (size < sizeof(*a) || size > HC_COPY_MAX)
		return -EINVAL;
	a->len = audit_read(from, a->text, (u32)(size - sizeof(*a)), &a->first, &a->next);
	a->reserved = 0;
	len = sizeof(*a) + a->len;
	if (arch_guest_write(vm, gva, buf, len))
		return -EFAULT;
	return (s64)len;
}

s64 hypercall_dispatch(struct vm *vm, u64 nr, u64 a0, u64 a1, u64 a2, u64 a3)
{
	if (hypercall_allowed(HC_CALLER_MONITOR, nr)) {
		pr_warn_ratelimited("vm%u: monitor-only hypercall 0x%lx from the guest refused\n",
				    vm->id, nr);
		return -EPERM;
	}
	switch (nr) {
	case HC_VERSION:
		return hc_version();
	case HC_EXIT_STATS:
		return hc_exit_stats(vm, a0, a1);
	case HC_AUDIT_READ:
		return hc_audit_read(vm, a0, a1, a2);
	}
	pr_warn_ratelimited("vm%u: unknown hypercall %lu refused\n", vm->id, nr);
	return -ENOSYS;
}
