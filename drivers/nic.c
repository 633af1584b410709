// SPDX-License-Identifier: GPL-2.0-only
/* The NIC models the VMM intercepts, and the walk over the PCI network controllers. */
#include <drivers/e1000.h>
#include <drivers/nic.h>
#include <drivers/pci.h>
#include <mamori/log.h>
#include <mamori/net.h>

#define PCI_BASE_NETWORK	0x02

static const struct nic_model nic_models[] = {
	{ "e1000 (82540EM)", e1000_match, e1000_probe },
};

static int nic_one(const struct pci_dev *pd, void *priv)
{
	u32 i;

	if (pd->class >> 8 != PCI_BASE_NETWORK)
		return 0;
	for (i = 0; i < ARRAY_SIZE(nic_models); i++)
		if (nic_models[i].match(pd))
			return nic_models[i].probe(priv, pd);
	pr_info("net: NIC %02x:%02x.%x (%04x:%04x, class 0x%04x): no model intercepts it\n",
		PCI_BUS(pd->bdf), PCI_DEV(pd->bdf), PCI_FN(pd->bdf), pd->vendor, pd->device,
		pd->class);
	net_uncovered(pd->bdf, pd->vendor, pd->device);
	return 0;
}

int nic_init(struct vm *vm)
{
	return pci_for_each(nic_one, vm);
}
