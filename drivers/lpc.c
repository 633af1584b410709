// SPDX-License-Identifier: GPL-2.0-only
/*
 * LPC decode lock and Super-I/O configuration ports. PIIX3/PIIX4 (Bochs,
 * QEMU i440FX) decode the ISA range subtractively and have no COM decode
 * register: there only the Super-I/O ports matter.
 */
#include <drivers/lpc.h>
#include <drivers/pci.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/vm.h>

#define SIO_PORT_A	0x2e	/* Super-I/O index/data pairs (strap-selected) */
#define SIO_PORT_B	0x4e

static const struct lpc_decode {
	u16 vendor;
	u16 bdf;
	u16 lo, hi;		/* config dwords whose writes are refused */
	const char *what;
} lpc_decode[] = {
	/* ICH/PCH LPC: LPC_IO_DEC (COMA/COMB ranges), LPC_EN, GEN1-4_DEC. */
	{ 0x8086, PCI_BDF(0, 31, 0), 0x80, 0x93, "Intel LPC I/O decode" },
	/* FCH LPC: IO port decode enable 1-6 (serial ports, Super-I/O, wide I/O). */
	{ 0x1022, PCI_BDF(0, 20, 3), 0x44, 0x4b, "AMD FCH I/O decode" },
};

static int lpc_match(const struct pci_dev *d, void *priv)
{
	u32 i;
	int rc;

	if (d->class != PCI_CLASS_ISA)
		return 0;
	for (i = 0; i < ARRAY_SIZE(lpc_decode); i++) {
		const struct lpc_decode *r = &lpc_decode[i];

		if (r->vendor != d->vendor || r->bdf != d->bdf)
			continue;
		rc = pci_lock_decode(d->bdf, r->lo, r->hi, "the VMM console");
		if (rc)
			return rc;
		pr_info("lpc: %02x:%02x.%x: %s (config 0x%x-0x%x) locked\n", PCI_BUS(d->bdf),
			PCI_DEV(d->bdf), PCI_FN(d->bdf), r->what, r->lo, r->hi);
	}
	return 0;
}

static int superio_pio(struct vm *vm, void *priv, u16 port, u32 size, bool in, u32 *val)
{
	static bool logged;

	if (in) {
		*val = 0xffffffff;
		return 0;
	}
	if (!logged) {
		logged = true;
		pr_warn("lpc: guest write 0x%x to Super-I/O port 0x%x refused (logged once)\n",
			*val & 0xff, port);
	}
	return 0;
}

int lpc_init(struct vm *vm)
{
	int rc = pci_for_each(lpc_match, NULL);

	if (!rc)
		rc = vm_register_pio(vm, SIO_PORT_A, 2, "superio", superio_pio, NULL);
	if (!rc)
		rc = vm_register_pio(vm, SIO_PORT_B, 2, "superio", superio_pio, NULL);
	if (rc)
		pr_err("lpc: cannot lock the console's decode path (%d)\n", rc);
	return rc;
}
