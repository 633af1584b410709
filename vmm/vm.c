// SPDX-License-Identifier: GPL-2.0-only
#include <mamori/devices.h>
#include <mamori/string.h>
#include <mamori/vm.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/vmm.h>

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
	vm->pio[vm->npio++] = (struct pio_intercept){
		.port = port, .count = count, .name = name, .handler = handler, .priv = priv };;
	arch_vm_intercept_pio(vm, port, count);
	return 0;
}

static struct pio_intercept *pio_find(struct vm *vm, u16 port)
{
	u32 i;

	for (i = 0; i < vm->npio; i++)
		if (port >= vm->pio[i].port && port < vm->pio[i].port + vm->pio[i].count)
			return &vm->pio[i];
	return NULL;
}

/* An exit on @port of @p: counted for vm_log_pio_stats(). */
static void pio_count(struct pio_intercept *p, u16 port)
{
	if (port - p->port < (int)ARRAY_SIZE(p->exits))
		__atomic_add_fetch(&p->exits[port - p->port], 1, __ATOMIC_RELAXED);
}

void vm_log_pio_stats(struct vm *vm)
{
	char line[200];
	u32 i, k, len = 0;

	for (i = 0; i < vm->npio; i++)
		for (k = 0; k < ARRAY_SIZE(vm->pio[i].exits); k++) {
			if (!vm->pio[i].exits[k])
				continue;
			if (len > sizeof(line) - 20) {	/* a console line holds 256 */
				pr_info("stats:   io by port (hex):%s\n", line);
				len = 0;
			}
			len += log_snprintf(line + len, sizeof(line) - len, " %x %u",
					    vm->pio[i].port + k, vm->pio[i].exits[k]);
		}
	if (len)
		pr_info("stats:   io by port (hex):%s\n", line);
	for (i = 0, len = 0; i < vm->npio; i++) {
		if (!vm->pio[i].cycles)
			continue;
		if (len > sizeof(line) - 32) {
			pr_info("stats:   io kcycles:%s\n", line);
			len = 0;
		}
		len += log_snprintf(line + len, sizeof(line) - len, " %s %lu", vm->pio[i].name,
				    vm->pio[i].cycles / 1000);
	}
	if (len)
		pr_info("stats:   io kcycles:%s\n", line);
}

int vm_register_pio_string(struct vm *vm, u16 port, pio_string_fn fn)
{
	struct pio_intercept *p = pio_find(vm, port);

	if (!p)
		return -ENOENT;
	p->string = fn;
	return 0;
}

static void pio_refused(struct vm *vm, const struct pio_intercept *p, u16 port, bool in, int rc)
{
	static u32 n;

	if (log_ratelimit(&n))
		pr_warn("vm%u: %s: refused %s of port 0x%x (%d)\n", vm->id, p->name,
			in ? "read" : "write", port, rc);
}

static void pio_unclaimed(struct vm *vm, u16 port, bool in)
{
	static u32 n;

	if (log_ratelimit(&n))
		pr_err("vm%u: I/O exit on port 0x%x with no intercept; %s\n", vm->id, port,
		       in ? "read as all ones" : "write dropped");
}

void vm_pio_dispatch(struct vm *vm, u16 port, u32 size, bool in, u32 *val)
{
	struct pio_intercept *p = pio_find(vm, port);
	int rc = -ENODEV;

	platform_poll_periodic();
	if (p) {
		u64 t0 = arch_cycles();

		pio_count(p, port);
		rc = p->handler(vm, p->priv, port, size, in, val);
		p->cycles += arch_cycles() - t0;
	}
	if (!p)
		pio_unclaimed(vm, port, in);
	else if (rc)
		pio_refused(vm, p, port, in, rc);
	if (rc && in)
		*val = 0xffffffff;
}

void vm_pio_dispatch_string(struct vm *vm, u16 port, u32 size, bool in, u8 *buf, u32 count)
{
	struct pio_intercept *p = pio_find(vm, port);
	u32 i, v;
	int rc = -ENODEV;

	if (p)
		pio_count(p, port);
	u64 t0 = arch_cycles();

	if (p && p->string) {
		rc = p->string(vm, p->priv, port, size, in, buf, count);
	} else if (p) {
		for (i = 0, rc = 0; i < count && !rc; i++) {
			memcpy(&v, buf + i * size, size);
			rc = p->handler(vm, p->priv, port, size, in, &v);
			if (in)
				memcpy(buf + i * size, &v, size);
		}
	}
	if (p)
		p->cycles += arch_cycles() - t0;
	if (!p)
		pio_unclaimed(vm, port, in);
	else if (rc)
		pio_refused(vm, p, port, in, rc);
	if (rc && in)
		memset(buf, 0xff, (u64)count * size);
}
