// SPDX-License-Identifier: GPL-2.0-only
/* The policy's say on a boot without DMA remapping: see <drivers/vtd.h>. */
#include <drivers/vtd.h>
#include <mamori/log.h>
#include <mamori/policy.h>

static const char *const vtd_mode_names[] = {
	[POLICY_IOMMU_AUTO] = "auto",
	[POLICY_IOMMU_REQUIRED] = "required",
	[POLICY_IOMMU_OPTIONAL] = "optional",
};

int vtd_boot_verdict(u8 mode, bool absent, const char *step, int err)
{
	if (mode < POLICY_IOMMU_AUTO || mode > POLICY_IOMMU_OPTIONAL) {
		pr_err("vtd: unknown iommu mode %u; refusing to start\n", mode);
		return -EPERM;
	}
	if (absent && mode == POLICY_IOMMU_REQUIRED) {
		pr_err("vtd: no DMA remapping hardware (no DMAR table or no unit in it), but the policy says 'iommu required'; refusing to start\n");
		return -EPERM;
	}
	if (absent) {
		pr_info("vtd: no DMA remapping hardware (no DMAR table or no unit in it): devices reach all memory (iommu %s)\n",
			vtd_mode_names[mode]);
		return 0;
	}
	if (mode != POLICY_IOMMU_OPTIONAL) {
		pr_err("vtd: DMA remapping failed while %s (%d); refusing to start (iommu %s)\n",
		       step, err, vtd_mode_names[mode]);
		return -EPERM;
	}
	pr_err("vtd: DMA remapping failed while %s (%d); GOING ON WITHOUT DMA CONFINEMENT because the policy says 'iommu optional': devices reach all memory, the VMM's included\n",
	       step, err);
	return 0;
}
