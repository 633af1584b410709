/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The policy key built into a vmm.elf: read from the ELF's own symbol table
 * (policy_pubkey, policy_pubkey_dev; mgmt/mgmt.mk generates them), so a host
 * can check a policy against the key the VMM will actually use.
 */
#ifndef MAMORI_MGMT_VMM_KEY_H
#define MAMORI_MGMT_VMM_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <mamori/policy.h>

/*
 * Copy vmm.elf's policy_pubkey (POLICY_PUBKEY_LEN bytes) into point and its
 * policy_pubkey_dev flag into *dev. Returns 0, or -1 with *why naming the
 * defect (not ELF64, no symbol table, symbol missing, wrong size, out of
 * bounds). Every offset is checked against len.
 */
int vmm_elf_pubkey(const u8 *elf, size_t len, u8 point[POLICY_PUBKEY_LEN], bool *dev,
		   const char **why);

#endif
