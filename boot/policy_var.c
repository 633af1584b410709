// SPDX-License-Identifier: GPL-2.0-only
/*
 * The anti-rollback store: the highest policy version the VMM has accepted, in
 * a UEFI variable the OS cannot reach (non-volatile, boot-services access only;
 * without RUNTIME_ACCESS the firmware refuses every runtime read, write and
 * delete of it). docs/policy.md, "Boot", documents the name and GUID.
 */
#include <efi.h>
#include <efilib.h>
#include "loader.h"

/* The Mamori vendor GUID f605b09a-4709-4c9b-b71d-8378e50472f1. */
static EFI_GUID mamori_vendor_guid = { 0xf605b09a, 0x4709, 0x4c9b,
	{ 0xb7, 0x1d, 0x83, 0x78, 0xe5, 0x04, 0x72, 0xf1 } };

#define POLICY_VAR_NAME		L"MamoriPolicyVersion"
#define POLICY_VAR_ATTR		(EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS)

static EFI_STATUS var_get(UINT32 *attr, UINT64 *val, UINTN *size)
{
	*size = sizeof(*val);
	*val = 0;
	return uefi_call_wrapper(RT->GetVariable, 5, POLICY_VAR_NAME, &mamori_vendor_guid,
				 attr, size, val);
}

static EFI_STATUS var_set(UINT32 attr, UINTN size, void *val)
{
	return uefi_call_wrapper(RT->SetVariable, 5, POLICY_VAR_NAME, &mamori_vendor_guid,
				 attr, size, val);
}

void policy_var_read(struct boot_info *bi)
{
	UINT32 attr = 0;
	UINT64 val;
	UINTN size;
	EFI_STATUS st = var_get(&attr, &val, &size);

	bi->self = (u64)bi;
	bi->policy_highest_version = 0;
	if (st == EFI_NOT_FOUND) {
		loader_log(L"policy: no version accepted before on this machine\n");
		return;
	}
	if (st == EFI_BUFFER_TOO_SMALL || (!EFI_ERROR(st) &&
	    (attr != POLICY_VAR_ATTR || size != sizeof(val)))) {
		/*
		 * Not one Mamori wrote (it writes 8 bytes, NV|BS): the OS can create
		 * such a variable at runtime only while ours does not exist, so no
		 * version was ever recorded here. Replace it.
		 */
		loader_log(L"policy: ignoring and deleting %s (attributes 0x%x, %d bytes): "
			   L"not written by Mamori\n", POLICY_VAR_NAME, attr, size);
		st = var_set(0, 0, NULL);
		if (EFI_ERROR(st) && st != EFI_NOT_FOUND)
			loader_halt(L"cannot delete the foreign anti-rollback variable", st);
		return;
	}
	if (EFI_ERROR(st))
		loader_halt(L"cannot read the anti-rollback variable " POLICY_VAR_NAME, st);
	bi->policy_highest_version = val;
	loader_log(L"policy: highest version accepted before: %ld\n", val);
}

void policy_var_commit(const struct boot_info *bi)
{
	UINT64 val = bi->policy_accepted_version, back;
	UINT32 attr;
	UINTN size;
	EFI_STATUS st;

	if (val <= bi->policy_highest_version)
		return;
	st = var_set(POLICY_VAR_ATTR, sizeof(val), &val);
	if (!EFI_ERROR(st))
		st = var_get(&attr, &back, &size);
	if (!EFI_ERROR(st) && (back != val || attr != POLICY_VAR_ATTR))
		st = EFI_VOLUME_CORRUPTED;
	if (EFI_ERROR(st))
		loader_halt(L"cannot record the accepted policy version in "
			    POLICY_VAR_NAME L" (an older policy would still boot)", st);
	loader_log(L"policy: version %ld recorded as the highest accepted (was %ld)\n",
		   val, bi->policy_highest_version);
}
