/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The NIC layer's driver side (docs/network.md): a table of NIC models the
 * VMM can intercept. nic_init(), a device intercept, walks every PCI network
 * controller (base class 0x02): a function a model matches is probed (it
 * locks the function, opens its struct net_port in the mode the policy
 * gives it, shadows its rings and traps its registers); any other is
 * reported to the NIC layer as not intercepted, and the coverage phase
 * refuses to launch unless the policy passes it. A new model (e1000e, igb,
 * virtio-net) is one more entry here; the frame side (<mamori/net.h>) and
 * the MACsec layer behind it do not change.
 */
#ifndef DRIVERS_NIC_H
#define DRIVERS_NIC_H

#include <mamori/types.h>

struct vm;
struct pci_dev;

/*
 * struct nic_model - one NIC family.
 * @match: whether the function is one this model drives (vendor, device).
 * @probe: lock, attach and trap it; 0 or a negative errno (the boot stops).
 */
struct nic_model {
	const char *name;
	bool (*match)(const struct pci_dev *pd);
	int (*probe)(struct vm *vm, const struct pci_dev *pd);
};

/* nic_init - the NIC intercepts: every network controller probed or reported. */
int nic_init(struct vm *vm);

#endif
