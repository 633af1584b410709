// SPDX-License-Identifier: GPL-2.0-only
#include <efi.h>
#include <efilib.h>
#include <asm/io.h>
#include "loader.h"

static const char *const vmm_status_names[] = {
	[VMM_OK] = "ok",
	[VMM_ERR_BOOT_INFO] = "bad boot information",
	[VMM_ERR_SELFTEST] = "crypto self-test failed",
	[VMM_ERR_NO_VMX] = "CPU lacks VT-x or a required VT-x feature",
	[VMM_ERR_VMX_DISABLED] = "VT-x disabled and locked by firmware (enable VT-x in firmware setup)",
	[VMM_ERR_NOMEM] = "VMM region too small",
	[VMM_ERR_LAUNCH] = "VM launch failed",
	[VMM_ERR_POLICY] = "policy missing, corrupt, forged, rolled back or not enforceable",
	[VMM_ERR_AUTH] = "unlock failed on the trusted console",
	[VMM_ERR_SMP] = "an application processor could not be started",
	[VMM_ERR_DISK] = "a disk rule of the policy cannot be enforced",
	[VMM_ERR_DEVICES] = "a device intercept could not be set up (see the VMM log)",
	[VMM_ERR_IOMMU] = "DMA remapping (VT-d) failed, or the policy requires it (see the VMM log)",
	[VMM_ERR_NET] = "a NIC the policy blocks or encrypts is not intercepted (see the VMM log)",
	[VMM_ERR_FILECHECK] = "a file rule cannot be enforced (see the VMM log)",
};

static void com1_putc(char c)
{
	u32 spin = 100000;

	while (!(inb(LOADER_COM1 + 5) & 0x20) && --spin)
		;
	outb(LOADER_COM1, (u8)c);
}

/*
 * COM1 copy of each line, for firmware whose console does not already reach
 * a serial port (OVMF's does: then the copy would print every line twice).
 */
static int com1_needed = -1;

static int serial_console_active(void)
{
	EFI_HANDLE *handles = NULL;
	UINTN n = 0, i;
	int found = 0;

	if (EFI_ERROR(LibLocateHandle(ByProtocol, &TextOutProtocol, NULL, &n, &handles)))
		return 0;
	for (i = 0; i < n && !found; i++) {
		EFI_DEVICE_PATH *dp = DevicePathFromHandle(handles[i]);

		for (; dp && !IsDevicePathEnd(dp); dp = NextDevicePathNode(dp))
			if (DevicePathType(dp) == MESSAGING_DEVICE_PATH &&
			    DevicePathSubType(dp) == MSG_UART_DP)
				found = 1;
	}
	FreePool(handles);
	return found;
}

static void com1_puts(const CHAR16 *s)
{
	for (; *s; s++) {
		if (*s == L'\n')
			com1_putc('\r');
		com1_putc(*s < 0x80 ? (char)*s : '?');
	}
}

void loader_log(const CHAR16 *fmt, ...)
{
	CHAR16 line[512];
	va_list ap;

	va_start(ap, fmt);
	VSPrint(line, sizeof(line), (CHAR16 *)fmt, ap);
	va_end(ap);
	if (com1_needed < 0)
		com1_needed = !serial_console_active();
	if (ST->ConOut)
		uefi_call_wrapper(ST->ConOut->OutputString, 2, ST->ConOut, line);
	if (com1_needed)
		com1_puts(line);
}

int loader_fail(const CHAR16 *what, EFI_STATUS st)
{
	loader_log(L"mamori: %s: %r\n", what, st);
	return -1;
}

int loader_fail_msg(const CHAR16 *what, const char *why)
{
	loader_log(L"mamori: %s: %a\n", what, why);
	return -1;
}

static void __attribute__((noreturn)) halt_forever(void)
{
	loader_log(L"mamori: halted (fail-closed; see docs/architecture.md)\n");
	for (;;)
		__asm__ volatile("cli; hlt");
}

void loader_halt(const CHAR16 *why, EFI_STATUS st)
{
	loader_log(L"mamori: %s (%r); halt\n", why, st);
	halt_forever();
}

void loader_halt_path(const CHAR16 *why, const CHAR16 *path, EFI_STATUS st)
{
	loader_log(L"mamori: %s: %s (%r); halt\n", why, path, st);
	halt_forever();
}

void loader_halt_vmm(int rc)
{
	const char *name = "unknown status";

	if (rc >= 0 && (UINTN)rc < ARRAY_SIZE(vmm_status_names) && vmm_status_names[rc])
		name = vmm_status_names[rc];
	loader_log(L"mamori: the VMM refused to start: %a (status %d); halt\n", name, rc);
	halt_forever();
}
