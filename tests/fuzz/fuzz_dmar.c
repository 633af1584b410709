// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the DMAR parser (drivers/vtd_dmar.c) on a table whose
 * signature, length and checksum are made right, so every input reaches the
 * structure and device-scope walk; results must be consistent.
 */
#include <stdlib.h>
#include <string.h>

#include <drivers/vtd.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct dmar_info d;
	u8 *t, sum = 0;
	size_t i;
	int r;

	if (size < 48 || size > 65536)
		return 0;
	t = malloc(size);
	memcpy(t, data, size);
	memcpy(t, "DMAR", 4);
	t[4] = size;
	t[5] = size >> 8;
	t[6] = size >> 16;
	t[7] = 0;
	t[9] = 0;
	for (i = 0; i < size; i++)
		sum += t[i];
	t[9] = -sum;
	r = dmar_parse(t, size, &d);
	if (r && r != -EINVAL && r != -E2BIG)
		abort();
	if (!r) {
		if (d.unit_count > DMAR_MAX_UNITS || d.rmrr_count > DMAR_MAX_RMRR)
			abort();
		for (i = 0; i < d.unit_count; i++)
			if (!d.units[i].reg_base || (d.units[i].reg_base & 0xfff) ||
			    !d.units[i].reg_pages)
				abort();
		for (i = 0; i < d.rmrr_count; i++)
			if (d.rmrr[i].end < d.rmrr[i].base)
				abort();
	}
	free(t);
	return 0;
}
