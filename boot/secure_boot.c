// SPDX-License-Identifier: GPL-2.0-only
/*
 * Secure Boot state, from the firmware's own SecureBoot variable (UEFI 2.x
 * 3.3: volatile, set by the firmware, read-only for everyone else). With it
 * off the loader still runs, but nothing verified the loader itself: say so
 * loudly, here and (BOOT_FLAG_SECURE_BOOT clear) in the VMM's log.
 */
#include <efi.h>
#include <efilib.h>
#include "loader.h"

static int efi_global_u8(const CHAR16 *name, UINT8 *val)
{
	UINTN size = sizeof(*val);
	UINT32 attr;

	*val = 0;
	return EFI_ERROR(uefi_call_wrapper(RT->GetVariable, 5, (CHAR16 *)name,
					   &EfiGlobalVariable, &attr, &size, val)) ||
	       size != sizeof(*val) ? -1 : 0;
}

void loader_secure_boot(struct boot_info *bi)
{
	UINT8 sb, setup = 0;

	if (!efi_global_u8(L"SecureBoot", &sb) && sb == 1 &&
	    (efi_global_u8(L"SetupMode", &setup) || setup == 0)) {
		bi->flags |= BOOT_FLAG_SECURE_BOOT;
		loader_log(L"Secure Boot: on (the firmware verified this loader)\n");
		return;
	}
	loader_log(L"mamori: WARNING: ******** UEFI Secure Boot is OFF ********\n"
		   L"mamori: WARNING: the boot chain is UNVERIFIED: nothing checked this "
		   L"loader, so whoever can write the ESP or the boot entries can run their "
		   L"own code in its place (docs/security.md, \"boot chain\")\n");
}
