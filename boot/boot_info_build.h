/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Building struct boot_info from firmware data. Pure C (no firmware calls) so
 * the unit tests exercise it on the host.
 */
#ifndef MAMORI_BOOT_INFO_BUILD_H
#define MAMORI_BOOT_INFO_BUILD_H

#include <mamori/boot_info.h>

/* bi_init - zero @bi and set magic, version and size. */
void bi_init(struct boot_info *bi);

/**
 * bi_set_memmap() - copy a UEFI memory map (@desc_size-strided
 * EFI_MEMORY_DESCRIPTORs) into @bi, sorted by base, merging neighbours of the
 * same type and attributes.
 * Return: 0, or -1 when the map is malformed or has more than BOOT_MEM_MAX
 * ranges after merging.
 */
int bi_set_memmap(struct boot_info *bi, const void *map, u64 map_size, u64 desc_size);

/* The next stage's own load options: @count UCS-2 units at @offset in Mamori's. */
struct bi_next_args {
	u64 offset;
	u64 count;
};

/**
 * bi_set_options() - split Mamori's UCS-2 load options (@bytes long, up to
 * the first NUL) at the word "--": what follows it (after one blank) is the
 * next stage's load options, handed on unchanged (@args); what precedes it is
 * Mamori's, stored as ASCII in @bi->options for the VMM's log and parsed:
 * "next=<path>" writes the UCS-2 path of the next stage into @next (@max
 * characters, left unchanged when absent). Nothing else is taken from them:
 * load options are runtime-writable, so "uart=" (once the VMM's console port)
 * is refused. Unknown words are ignored.
 * @why: on error, the reason.
 * Return: 0, or -1 when an option is malformed or refused, or Mamori's part
 * does not fit @bi->options.
 */
int bi_set_options(struct boot_info *bi, const u16 *opts, u64 bytes, u16 *next, u64 max,
		   struct bi_next_args *args, const char **why);

/* One global UEFI variable as GetVariable returned it (SecureBoot, SetupMode). */
struct bi_efi_u8 {
	int found;	/* GetVariable succeeded */
	u32 attr;
	u64 size;
	u8 val;
};

/* The only attributes the firmware gives SecureBoot and SetupMode (UEFI 3.3):
 * BOOTSERVICE_ACCESS | RUNTIME_ACCESS, volatile. */
#define BI_EFI_ATTR_BS_RT	0x6

/**
 * bi_secure_boot_on() - did the firmware verify this loader? Only when
 * SecureBoot is 1 and SetupMode is 0, each found, one byte, and with exactly
 * BI_EFI_ATTR_BS_RT (a non-volatile one was not set by the firmware); a
 * missing or unreadable variable is "not verified".
 * @why: when not, the reason (a static string).
 * Return: 1 when verified, 0 otherwise.
 */
int bi_secure_boot_on(const struct bi_efi_u8 *sb, const struct bi_efi_u8 *setup,
		      const char **why);

#endif
