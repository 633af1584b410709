/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Building struct boot_info from firmware data. Pure C (no firmware calls) so
 * the unit tests exercise it on the host.
 */
#ifndef MAMORI_BOOT_INFO_BUILD_H
#define MAMORI_BOOT_INFO_BUILD_H

#include <mamori/boot_info.h>

/* bi_init - zero @bi and set magic, version, size and the default UART. */
void bi_init(struct boot_info *bi);

/**
 * bi_set_memmap() - copy a UEFI memory map (@desc_size-strided
 * EFI_MEMORY_DESCRIPTORs) into @bi, sorted by base, merging neighbours of the
 * same type and attributes.
 * Return: 0, or -1 when the map is malformed or has more than BOOT_MEM_MAX
 * ranges after merging.
 */
int bi_set_memmap(struct boot_info *bi, const void *map, u64 map_size, u64 desc_size);

/**
 * bi_set_options() - store the UCS-2 load options (@bytes long) as ASCII and
 * apply the ones the loader understands: "next=<path>" writes the UCS-2 path
 * of the next stage into @next (@max characters, left unchanged when absent);
 * "uart=0x2f8" sets the VMM UART. Unknown words are left for the VMM.
 * Return: 0, or -1 when an option is malformed (value too long, bad number).
 */
int bi_set_options(struct boot_info *bi, const u16 *opts, u64 bytes, u16 *next, u64 max);

#endif
