// SPDX-License-Identifier: GPL-2.0-only
/*
 * The anti-rollback stores: the highest policy version the VMM has accepted
 * (MamoriPolicyVersion) and the highest vmm.elf security version it started
 * (MamoriVmmSvn), each in a UEFI variable the OS cannot reach (non-volatile, boot-services access only;
 * without RUNTIME_ACCESS the firmware refuses every runtime read, write and
 * delete of it). docs/policy.md, "Boot", and docs/security.md document the names and GUID.
 */
#include <efi.h>
#include <efilib.h>
#include "loader.h"

/* The Mamori vendor GUID f605b09a-4709-4c9b-b71d-8378e50472f1. */
static EFI_GUID mamori_vendor_guid = { 0xf605b09a, 0x4709, 0x4c9b,
	{ 0xb7, 0x1d, 0x83, 0x78, 0xe5, 0x04, 0x72, 0xf1 } };

#define POLICY_VAR_NAME		L"MamoriPolicyVersion"
#define VMM_SVN_VAR_NAME	L"MamoriVmmSvn"
#define ROLLBACK_VAR_ATTR	(EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS)

static EFI_STATUS var_get(const CHAR16 *name, UINT32 *attr, UINT64 *val, UINTN *size)
{
	*size = sizeof(*val);
	*val = 0;
	return uefi_call_wrapper(RT->GetVariable, 5, (CHAR16 *)name, &mamori_vendor_guid,
				 attr, size, val);
}

static EFI_STATUS var_set(const CHAR16 *name, UINT32 attr, UINTN size, void *val)
{
	return uefi_call_wrapper(RT->SetVariable, 5, (CHAR16 *)name, &mamori_vendor_guid,
				 attr, size, val);
}

/* The highest @what (of @who) recorded in @name; 0 when none. Halts on errors. */
static UINT64 rollback_read(const CHAR16 *name, const CHAR16 *who, const CHAR16 *what)
{
	UINT32 attr = 0;
	UINT64 val;
	UINTN size;
	EFI_STATUS st = var_get(name, &attr, &val, &size);

	if (st == EFI_NOT_FOUND) {
		loader_log(L"%s: no %s accepted before on this machine\n", who, what);
		return 0;
	}
	if (st == EFI_BUFFER_TOO_SMALL || (!EFI_ERROR(st) &&
	    (attr != ROLLBACK_VAR_ATTR || size != sizeof(val)))) {
		/*
		 * Not one Mamori wrote (it writes 8 bytes, NV|BS): the OS can create
		 * such a variable at runtime only while ours does not exist, so no
		 * value was ever recorded here. Replace it.
		 */
		loader_log(L"%s: ignoring and deleting %s (attributes 0x%x, %d bytes): "
			   L"not written by Mamori\n", who, name, attr, size);
		st = var_set(name, 0, 0, NULL);
		if (EFI_ERROR(st) && st != EFI_NOT_FOUND)
			loader_halt(L"cannot delete the foreign anti-rollback variable", st);
		return 0;
	}
	if (EFI_ERROR(st))
		loader_halt_path(L"cannot read the anti-rollback variable", name, st);
	loader_log(L"%s: highest %s accepted before: %ld\n", who, what, val);
	return val;
}

/* Record @val in @name when it is above @old; halts when that fails. */
static void rollback_commit(const CHAR16 *name, const CHAR16 *who, const CHAR16 *what,
			    UINT64 val, UINT64 old)
{
	UINT64 back;
	UINT32 attr;
	UINTN size;
	EFI_STATUS st;

	if (val <= old)
		return;
	st = var_set(name, ROLLBACK_VAR_ATTR, sizeof(val), &val);
	if (!EFI_ERROR(st))
		st = var_get(name, &attr, &back, &size);
	if (!EFI_ERROR(st) && (back != val || attr != ROLLBACK_VAR_ATTR))
		st = EFI_VOLUME_CORRUPTED;
	if (EFI_ERROR(st))
		loader_halt_path(L"cannot record the accepted value (an older one would "
				 L"still boot) in", name, st);
	loader_log(L"%s: %s %ld recorded as the highest accepted (was %ld)\n",
		   who, what, val, old);
}

void policy_var_read(struct boot_info *bi)
{
	bi->self = (u64)bi;
	bi->policy_highest_version = rollback_read(POLICY_VAR_NAME, L"policy", L"version");
}

void policy_var_commit(const struct boot_info *bi)
{
	rollback_commit(POLICY_VAR_NAME, L"policy", L"version", bi->policy_accepted_version,
			bi->policy_highest_version);
}

u64 vmm_svn_var_read(void)
{
	return rollback_read(VMM_SVN_VAR_NAME, L"vmm.elf", L"security version");
}

void vmm_svn_var_commit(u64 svn, u64 old)
{
	rollback_commit(VMM_SVN_VAR_NAME, L"vmm.elf", L"security version", svn, old);
}
