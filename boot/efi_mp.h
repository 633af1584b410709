/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EFI_MP_SERVICES_PROTOCOL (PI spec vol 2, 13.4), the two calls Mamori uses;
 * gnu-efi does not define it. Shared by the loader and the test ACPI shim.
 */
#ifndef MAMORI_EFI_MP_H
#define MAMORI_EFI_MP_H

#include <efi.h>

#define EFI_MP_SERVICES_GUID { 0x3fdda605, 0xa76e, 0x4f46, \
	{ 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } }

/* EFI_PROCESSOR_INFORMATION; @processor_id is the APIC ID. */
struct mp_cpu_info {
	UINT64 processor_id;
	UINT32 status_flag;
	UINT32 package, core, thread;
};

struct mp_services {
	EFI_STATUS (EFIAPI *get_count)(struct mp_services *, UINTN *, UINTN *);
	EFI_STATUS (EFIAPI *get_info)(struct mp_services *, UINTN, struct mp_cpu_info *);
};

#endif
