#!/bin/sh
# Issue 15 known gap (IOMMU policy): a signed policy that says 'iommu required'
# on a platform without DMA remapping hardware (Bochs has no DMAR table). The
# default (auto) logs the missing IOMMU and boots; 'required' must stop the
# boot in the dma phase naming why, the loader halts, Linux never boots.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib-policy.sh"

dev_policy_with "$E2E_OUT/iommu.bin" 'iommu required'
"$REPO/build/mamori-policy" inspect "$E2E_OUT/iommu.bin" 2>&1 | grep -q "iommu: required" ||
	fail "mamori-policy inspect does not name the iommu record"

e2e_boot --policy "$E2E_OUT/iommu.bin" --timeout 300 \
	--until 'mamori: halted' --until 'Linux version'
expect_log com2 'policy: secrets unlocked' "the policy was not unlocked"
expect_log com2 "vtd: no DMA remapping hardware .*, but the policy says 'iommu required'; refusing to start" \
	"no refusal naming the missing IOMMU and the policy"
expect_log com2 'mamori: phase dma failed \(status 12\)' "the dma phase did not stop the boot"
expect_log com1 'VMM refused to start: DMA remapping \(VT-d\) failed, or the policy requires it .*\(status 12\)' \
	"the loader did not halt with the IOMMU refusal"
expect_no_log com1 'Linux version' "Linux booted"
expect_rc 125
pass
