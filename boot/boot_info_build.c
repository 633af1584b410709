// SPDX-License-Identifier: GPL-2.0-only
#include "boot_info_build.h"

struct efi_mem_desc {
	u32 type;
	u32 pad;
	u64 phys;
	u64 virt;
	u64 pages;
	u64 attr;
};

static void zero_bytes(void *p, u64 n)
{
	u8 *d = p;

	while (n--)
		*d++ = 0;
}

void bi_init(struct boot_info *bi)
{
	zero_bytes(bi, sizeof(*bi));
	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->size = sizeof(*bi);
	bi->uart_port = 0x2f8;
}

static void insert_sorted(struct boot_info *bi, const struct boot_mem_range *r)
{
	u32 i = bi->mem_count;

	while (i > 0 && bi->mem[i - 1].base > r->base) {
		bi->mem[i] = bi->mem[i - 1];
		i--;
	}
	bi->mem[i] = *r;
	bi->mem_count++;
}

static void merge_neighbours(struct boot_info *bi)
{
	u32 i, out = 0;

	for (i = 0; i < bi->mem_count; i++) {
		struct boot_mem_range *prev = out ? &bi->mem[out - 1] : NULL;
		const struct boot_mem_range *cur = &bi->mem[i];

		if (prev && prev->type == cur->type && prev->attr == cur->attr &&
		    prev->base + prev->pages * PAGE_SIZE == cur->base)
			prev->pages += cur->pages;
		else
			bi->mem[out++] = *cur;
	}
	bi->mem_count = out;
}

int bi_set_memmap(struct boot_info *bi, const void *map, u64 map_size, u64 desc_size)
{
	const u8 *p = map;
	u64 off;

	bi->mem_count = 0;
	if (desc_size < sizeof(struct efi_mem_desc) || map_size % desc_size)
		return -1;
	for (off = 0; off < map_size; off += desc_size) {
		const struct efi_mem_desc *d = (const void *)(p + off);
		struct boot_mem_range r = {
			.base = d->phys, .pages = d->pages, .type = d->type, .attr = d->attr,
		};

		if (d->pages == 0 || d->phys & (PAGE_SIZE - 1) ||
		    d->pages > (~0ULL - d->phys) / PAGE_SIZE)
			return -1;
		if (bi->mem_count == BOOT_MEM_MAX) {
			merge_neighbours(bi);
			if (bi->mem_count == BOOT_MEM_MAX)
				return -1;
		}
		insert_sorted(bi, &r);
	}
	merge_neighbours(bi);
	return 0;
}

static int parse_hex16(const char *s, u16 *out)
{
	u32 v = 0;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !s[2])
		return -1;
	for (s += 2; *s; s++) {
		u32 d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			d = (*s | 0x20) - 'a' + 10;
		else
			return -1;
		v = v * 16 + d;
		if (v > 0xffff)
			return -1;
	}
	*out = (u16)v;
	return 0;
}

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

static int apply_word(struct boot_info *bi, const char *w, u16 *next, u64 max)
{
	u64 i;

	if (starts_with(w, "next=")) {
		w += 5;
		for (i = 0; w[i]; i++)
			if (i + 1 >= max)
				return -1;
		if (i == 0)
			return -1;
		for (i = 0; w[i]; i++)
			next[i] = (u8)w[i];
		next[i] = 0;
	} else if (starts_with(w, "uart=")) {
		return parse_hex16(w + 5, &bi->uart_port);
	}
	return 0;
}

int bi_set_options(struct boot_info *bi, const u16 *opts, u64 bytes, u16 *next, u64 max)
{
	char word[BOOT_OPTIONS_MAX];
	u64 n = bytes / 2, i, len = 0, w = 0;

	for (i = 0; i < n && opts[i] && len + 1 < BOOT_OPTIONS_MAX; i++)
		bi->options[len++] = opts[i] < 0x80 ? (char)opts[i] : '?';
	bi->options[len] = 0;
	for (i = 0; i <= len; i++) {
		char c = bi->options[i];

		if (c == ' ' || c == '\t' || c == 0) {
			word[w] = 0;
			if (w && apply_word(bi, word, next, max))
				return -1;
			w = 0;
		} else {
			word[w++] = c;
		}
	}
	return 0;
}
