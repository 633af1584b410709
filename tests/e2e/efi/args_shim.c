// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only shim for review finding 26 (never part of an install): shows that
 * the next stage gets the part of Mamori's load options after "--". Two roles,
 * told apart by its own load options:
 * - without ARGS_MARKER (started by the firmware as \EFI\BOOT\BOOTX64.EFI):
 *   starts the real loader, \EFI\mamori\loader.efi, with the load options
 *   LOADER_OPTIONS, which name this shim, at \EFI\mamori\args-shim.efi, as
 *   the next stage;
 * - with ARGS_MARKER (started by the loader, beneath the VMM): prints its
 *   load options on the console and starts \EFI\debian\grubx64.efi.
 */
#include <efi.h>
#include <efilib.h>

#define LOADER_PATH	L"\\EFI\\mamori\\loader.efi"
#define GRUB_PATH	L"\\EFI\\debian\\grubx64.efi"
#define ARGS_MARKER	L"MAMORI-NEXT-ARGS"
#define LOADER_OPTIONS	L"next=\\EFI\\mamori\\args-shim.efi -- " ARGS_MARKER L" root=/dev/x  --also"

static void __attribute__((noreturn)) stop(const CHAR16 *why, EFI_STATUS st)
{
	Print(L"args-shim: %s (%r); halt\n", why, st);
	for (;;)
		__asm__ volatile("cli; hlt");
}

static int has_marker(const CHAR16 *opts, UINTN bytes)
{
	UINTN n = bytes / sizeof(CHAR16), m = StrLen(ARGS_MARKER), i;

	for (i = 0; opts && i + m <= n; i++)
		if (!CompareMem(opts + i, ARGS_MARKER, m * sizeof(CHAR16)))
			return 1;
	return 0;
}

static void start(EFI_HANDLE image, EFI_LOADED_IMAGE *self, const CHAR16 *path,
		  CHAR16 *opts)
{
	EFI_LOADED_IMAGE *li;
	EFI_DEVICE_PATH *dp;
	EFI_HANDLE h;
	EFI_STATUS st;

	dp = FileDevicePath(self->DeviceHandle, (CHAR16 *)path);
	if (!dp)
		stop(L"no device path", EFI_OUT_OF_RESOURCES);
	st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, image, dp, NULL, 0, &h);
	if (EFI_ERROR(st))
		stop(L"cannot load the next image", st);
	if (opts) {
		st = uefi_call_wrapper(BS->HandleProtocol, 3, h, &LoadedImageProtocol,
				       (void **)&li);
		if (EFI_ERROR(st))
			stop(L"no loaded-image protocol on the next image", st);
		li->LoadOptions = opts;
		li->LoadOptionsSize = (UINT32)((StrLen(opts) + 1) * sizeof(CHAR16));
	}
	st = uefi_call_wrapper(BS->StartImage, 3, h, NULL, NULL);
	stop(L"the next image returned", st);
}

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static CHAR16 loader_opts[] = LOADER_OPTIONS;
	EFI_LOADED_IMAGE *self;
	EFI_STATUS st;

	InitializeLib(image, systab);
	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
			       (void **)&self);
	if (EFI_ERROR(st))
		stop(L"no loaded-image protocol", st);
	if (has_marker(self->LoadOptions, self->LoadOptionsSize)) {
		Print(L"args-shim: next stage load options: [%s] (%d bytes)\n",
		      (CHAR16 *)self->LoadOptions, self->LoadOptionsSize);
		start(image, self, GRUB_PATH, NULL);
	}
	Print(L"args-shim: starting %s with load options [%s]\n", LOADER_PATH, loader_opts);
	start(image, self, LOADER_PATH, loader_opts);
	return EFI_LOAD_ERROR;
}
