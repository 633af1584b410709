// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intercepts the core puts on the passthrough guest: the VMM's own console
 * UART (absent to the guest) and the Bochs/QEMU debug shutdown port (exit
 * statistics are logged, then the write goes through); then the platform's
 * device intercepts, in the order its list names them (drivers/platform.c).
 */
#include <drivers/uart.h>
#include <asm/io.h>
#include <mamori/console.h>
#include <mamori/devices.h>
#include <mamori/disk.h>
#include <mamori/log.h>
#include <mamori/vm.h>
#include <mamori/vmm.h>

#define BOCHS_SHUTDOWN_PORT	0x8900

static int console_pio(struct vm *vm, void *priv, u16 port, u32 size, bool in, u32 *val)
{
	static bool logged;

	if (!logged) {
		logged = true;
		pr_warn("console: guest %s port 0x%x of the VMM console: it sees no UART there (logged once)\n",
			in ? "read" : "wrote", port);
	}
	/*
	 * Floating bus (no UART) except LSR, which says "transmitter idle, no
	 * data": a firmware driver bound to the port before the VMM started then
	 * idles instead of draining 0xff bytes forever, while an OS probe (IER
	 * loopback, scratch register) still finds nothing there.
	 */
	if (in)
		*val = port - console_port() == UART_LSR_OFFSET ? 0x60 : 0xffffffff;
	return 0;
}

static int shutdown_pio(struct vm *vm, void *priv, u16 port, u32 size, bool in, u32 *val)
{
	static u32 matched;
	const char *word = "Shutdown";

	if (in) {
		*val = 0xffffffff;
		return 0;
	}
	matched = ((char)*val == word[matched]) ? matched + 1 : ((char)*val == 'S');
	if (!word[matched]) {
		arch_log_exit_stats("guest power-off");
		vm_log_pio_stats(vm);
		platform_poll_faults();
		console_flush();	/* the last byte powers the emulator off */
		matched = 0;
	}
	outb(port, (u8)*val);
	return 0;
}

static int devices_console(struct vm *vm)
{
	return vm_register_pio(vm, console_port(), UART_REG_COUNT, "console", console_pio, NULL);
}

static int devices_shutdown_port(struct vm *vm)
{
	return vm_register_pio(vm, BOCHS_SHUTDOWN_PORT, 1, "shutdown-port", shutdown_pio, NULL);
}

static const struct device_intercept core_intercepts[] = {
	{ "console", devices_console, NULL },
	{ "shutdown port", devices_shutdown_port, NULL },
	{ NULL },
};

const struct disk_intercept *devices_disk_intercept(u8 kind)
{
	const struct device_intercept *d;

	for (d = platform_intercepts; d->name; d++)
		if (d->disk && d->disk->kind == kind)
			return d->disk;
	return NULL;
}

static int devices_run(struct vm *vm, const struct device_intercept *list)
{
	const struct device_intercept *d;
	int rc;

	for (d = list; d->name; d++) {
		rc = d->init(vm);
		if (rc) {
			pr_err("vm%u: %s intercept setup failed (%d); not launching\n", vm->id,
			       d->name, rc);
			return rc;
		}
	}
	return 0;
}

int vmm_devices_init(struct vm *vm)
{
	int rc = devices_run(vm, core_intercepts);

	return rc ? rc : devices_run(vm, platform_intercepts);
}
