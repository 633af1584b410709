/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Validation and relocation of the VMM image (a static-PIE ELF64 x86-64).
 * Pure C, no firmware calls: the loader uses it and unit tests run it on the host.
 */
#ifndef MAMORI_ELF_CHECK_H
#define MAMORI_ELF_CHECK_H

#include <mamori/types.h>

#define ELF_MAX_SEGMENTS	16

/* One PT_LOAD segment, offsets relative to the image's load address. */
struct elf_segment {
	u64 file_off;
	u64 file_size;
	u64 mem_off;
	u64 mem_size;
	u32 flags;		/* PF_X | PF_W | PF_R */
};

/*
 * struct elf_image - what elf_check() learned about a valid image.
 * @span: bytes from the lowest to the highest PT_LOAD byte (page aligned).
 * @rela_off/@rela_count: R_X86_64_RELATIVE entries (file offset) to apply.
 */
struct elf_image {
	u32 nseg;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	u64 span;
	u64 entry_off;
	u64 rela_off;
	u64 rela_count;
};

/**
 * elf_check() - validate @buf (@size bytes) as a Mamori VMM image.
 * @msg receives a static string naming the first defect found, e.g.
 * "bad ELF magic" or "PT_LOAD 2 extends past end of file".
 * Return: 0 when valid, -1 otherwise.
 */
int elf_check(const void *buf, u64 size, struct elf_image *img, const char **msg);

/**
 * elf_load() - copy the segments of a checked image to @dst (img->span bytes,
 * zeroing BSS and gaps) and apply its relocations for load address @dst_addr.
 * Return: 0, or -1 with @msg set when a relocation is out of bounds.
 */
int elf_load(const void *buf, const struct elf_image *img, void *dst, u64 dst_addr,
	     const char **msg);

#endif
