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

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

static int apply_word(const char *w, u16 *next, u64 max, const char **why)
{
	u64 i;

	if (starts_with(w, "next=")) {
		w += 5;
		for (i = 0; w[i]; i++)
			if (i + 1 >= max)
				return *why = "next=: path too long", -1;
		if (i == 0)
			return *why = "next=: empty path", -1;
		for (i = 0; w[i]; i++)
			next[i] = (u8)w[i];
		next[i] = 0;
	} else if (starts_with(w, "uart=")) {
		*why = "uart= is not accepted: the VMM's console UART is fixed in the "
		       "signed vmm.elf and named by the signed policy";
		return -1;
	}
	return 0;
}

static int is_blank(u16 c)
{
	return c == ' ' || c == '\t';
}

/* Index of the word "--" in @opts[0..n), or n when there is none. */
static u64 find_separator(const u16 *opts, u64 n)
{
	u64 i;

	for (i = 0; i + 1 < n; i++)
		if ((i == 0 || is_blank(opts[i - 1])) && opts[i] == '-' && opts[i + 1] == '-' &&
		    (i + 2 == n || is_blank(opts[i + 2])))
			return i;
	return n;
}

int bi_set_options(struct boot_info *bi, const u16 *opts, u64 bytes, u16 *next, u64 max,
		   struct bi_next_args *args, const char **why)
{
	char word[BOOT_OPTIONS_MAX];
	u64 n = 0, sep, i, w = 0;

	while (n < bytes / 2 && opts[n])
		n++;
	sep = find_separator(opts, n);
	args->offset = sep < n ? MIN(sep + 3, n) : n;
	args->count = n - args->offset;
	if (sep >= BOOT_OPTIONS_MAX)
		return *why = "load options too long for the loader", -1;
	for (i = 0; i < sep; i++)
		bi->options[i] = opts[i] < 0x80 ? (char)opts[i] : '?';
	bi->options[sep] = 0;
	for (i = 0; i <= sep; i++) {
		char c = bi->options[i];

		if (c == ' ' || c == '\t' || c == 0) {
			word[w] = 0;
			if (w && apply_word(word, next, max, why))
				return -1;
			w = 0;
		} else {
			word[w++] = c;
		}
	}
	return 0;
}

/* NULL when @v is the firmware's own one-byte, BS|RT variable. */
static const char *efi_u8_bad(const struct bi_efi_u8 *v)
{
	if (!v->found)
		return "missing or unreadable";
	if (v->size != 1)
		return "not one byte";
	if (v->attr != BI_EFI_ATTR_BS_RT)
		return "attributes not exactly BS|RT (not the firmware's)";
	return NULL;
}

int bi_secure_boot_on(const struct bi_efi_u8 *sb, const struct bi_efi_u8 *setup,
		      const char **why)
{
	*why = efi_u8_bad(sb);
	if (*why)
		return 0;
	if (sb->val != 1) {
		*why = "SecureBoot is not 1";
		return 0;
	}
	*why = efi_u8_bad(setup);
	if (*why)
		return 0;
	if (setup->val != 0) {
		*why = "SetupMode is not 0 (no platform key: setup mode)";
		return 0;
	}
	return 1;
}
