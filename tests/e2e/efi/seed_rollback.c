// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only shim for t-policy-rollback (never part of an install): stands in
 * for "policy version 2 was accepted at an earlier boot". Under Bochs, OVMF's
 * variable store lives in RAM and is gone after a reset, so the test seeds the
 * anti-rollback variable in the same boot: it writes MamoriPolicyVersion = 2
 * exactly as boot/policy_var.c does (NV|BS), then starts the real loader from
 * \EFI\mamori\loader.efi.
 */
#include <efi.h>
#include <efilib.h>

#define SEED_VERSION	2
#define LOADER_PATH	L"\\EFI\\mamori\\loader.efi"

static EFI_GUID mamori_vendor_guid = { 0xf605b09a, 0x4709, 0x4c9b,
	{ 0xb7, 0x1d, 0x83, 0x78, 0xe5, 0x04, 0x72, 0xf1 } };

static void __attribute__((noreturn)) stop(const CHAR16 *why, EFI_STATUS st)
{
	Print(L"seed-rollback: %s (%r); halt\n", why, st);
	for (;;)
		__asm__ volatile("cli; hlt");
}

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	UINT64 seed = SEED_VERSION;
	EFI_LOADED_IMAGE *self;
	EFI_DEVICE_PATH *dp;
	EFI_HANDLE loader;
	EFI_STATUS st;

	InitializeLib(image, systab);
	st = uefi_call_wrapper(RT->SetVariable, 5, L"MamoriPolicyVersion",
			       &mamori_vendor_guid,
			       EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS,
			       sizeof(seed), &seed);
	if (EFI_ERROR(st))
		stop(L"cannot write MamoriPolicyVersion", st);
	Print(L"seed-rollback: MamoriPolicyVersion := %ld (NV|BS); starting %s\n", seed,
	      LOADER_PATH);
	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
			       (void **)&self);
	if (EFI_ERROR(st))
		stop(L"no loaded-image protocol", st);
	dp = FileDevicePath(self->DeviceHandle, LOADER_PATH);
	if (!dp)
		stop(L"no device path for the loader", EFI_OUT_OF_RESOURCES);
	st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, image, dp, NULL, 0, &loader);
	if (EFI_ERROR(st))
		stop(L"cannot load " LOADER_PATH, st);
	st = uefi_call_wrapper(BS->StartImage, 3, loader, NULL, NULL);
	stop(L"the loader returned", st);
}
