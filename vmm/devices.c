// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intercepts the core puts on the passthrough guest: the VMM's own console
 * UART (absent to the guest) and the Bochs/QEMU debug shutdown port (exit
 * statistics are logged, then the write goes through), PCI configuration
 * space, the LPC decode path of that console (drivers/lpc.c), the disk
 * controllers (drivers/pci.c, drivers/ata.c, drivers/ahci.c) and, last, the
 * ECAM pages of every function locked by then (drivers/pci_ecam.c).
 */
#include <drivers/ahci.h>
#include <drivers/ata.h>
#include <drivers/lpc.h>
#include <drivers/pci.h>
#include <drivers/pci_ecam.h>
#include <drivers/uart.h>
#include <drivers/vtd.h>
#include <asm/io.h>
#include <mamori/console.h>
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
		vtd_poll_faults();
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

static const struct {
	const char *name;
	int (*init)(struct vm *vm);
} devices_steps[] = {
	{ "console", devices_console },
	{ "shutdown port", devices_shutdown_port },
	{ "PCI configuration", pci_intercept_init },
	{ "LPC decode and Super-I/O", lpc_init },
	{ "IDE (ATA)", ata_init },
	{ "AHCI", ahci_init },
	{ "VT-d registers", vtd_intercept_init },
	{ "PCI ECAM pages of locked functions", pci_ecam_intercept_init },	/* after every lock */
};

int vmm_devices_init(struct vm *vm)
{
	u32 i;
	int rc;

	for (i = 0; i < ARRAY_SIZE(devices_steps); i++) {
		rc = devices_steps[i].init(vm);
		if (rc) {
			pr_err("vm%u: %s intercept setup failed (%d); not launching\n", vm->id,
			       devices_steps[i].name, rc);
			return rc;
		}
	}
	return 0;
}
