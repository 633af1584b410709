// SPDX-License-Identifier: GPL-2.0-only
/*
 * Secure Boot state, from the firmware's own SecureBoot variable (UEFI 2.x
 * 3.3: volatile, set by the firmware, read-only for everyone else). With it
 * off the loader still runs, but nothing verified the loader itself: say so
 * loudly, here and (BOOT_FLAG_SECURE_BOOT clear) in the VMM's log. The
 * decision (attributes, sizes, values) is bi_secure_boot_on().
 */
#include <efi.h>
#include <efilib.h>
#include "loader.h"

static void efi_global_u8(const CHAR16 *name, struct bi_efi_u8 *v)
{
	UINTN size = sizeof(v->val);
	UINT32 attr = 0;

	v->val = 0;
	v->found = !EFI_ERROR(uefi_call_wrapper(RT->GetVariable, 5, (CHAR16 *)name,
						&EfiGlobalVariable, &attr, &size, &v->val));
	v->attr = attr;
	v->size = size;
}

void loader_secure_boot(struct boot_info *bi)
{
	struct bi_efi_u8 sb, setup;
	const char *why;

	efi_global_u8(L"SecureBoot", &sb);
	efi_global_u8(L"SetupMode", &setup);
	if (bi_secure_boot_on(&sb, &setup, &why)) {
		bi->flags |= BOOT_FLAG_SECURE_BOOT;
		loader_log(L"Secure Boot: on (the firmware verified this loader)\n");
		return;
	}
	loader_log(L"Secure Boot: not verified: %a (SecureBoot 0x%x attr 0x%x, "
		   L"SetupMode 0x%x attr 0x%x)\n", why, sb.val, sb.attr, setup.val, setup.attr);
	loader_log(L"mamori: WARNING: ******** UEFI Secure Boot is OFF ********\n"
		   L"mamori: WARNING: the boot chain is UNVERIFIED: nothing checked this "
		   L"loader, so whoever can write the ESP or the boot entries can run their "
		   L"own code in its place (docs/security.md, \"boot chain\")\n");
}
