// SPDX-License-Identifier: GPL-2.0-only
/* The ACPI MCFG table and the Q35 PCIEXBAR decode: see <drivers/pci_ecam.h>. */
#include <drivers/pci_ecam.h>
#include <mamori/errno.h>

#define MCFG_HDR_LEN		44	/* ACPI header (36) and 8 reserved bytes */
#define MCFG_ENTRY_LEN		16
#define ECAM_ALIGN		(1ULL << ECAM_BUS_SHIFT)
#define ECAM_TOP		(1ULL << 52)	/* the architectural physical limit */
#define PCIEXBAR_BASE		0xffc000000ULL	/* bits 35:26 */

static u64 get_le(const u8 *p, u32 n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

void mcfg_window_range(const struct mcfg_window *w, u64 *lo, u64 *hi)
{
	*lo = w->base + ((u64)w->bus_start << ECAM_BUS_SHIFT);
	*hi = w->base + ((u64)(w->bus_end + 1) << ECAM_BUS_SHIFT);
}

static int mcfg_check(const struct mcfg_window *w)
{
	if ((w->base & (ECAM_ALIGN - 1)) || w->bus_end < w->bus_start ||
	    w->base >= ECAM_TOP || ECAM_TOP - w->base < (u64)(w->bus_end + 1) << ECAM_BUS_SHIFT)
		return -EINVAL;
	return 0;
}

/* Two windows for the same buses, or over the same addresses. */
static bool mcfg_overlap(const struct mcfg_window *a, const struct mcfg_window *b)
{
	u64 alo, ahi, blo, bhi;

	mcfg_window_range(a, &alo, &ahi);
	mcfg_window_range(b, &blo, &bhi);
	return (a->segment == b->segment && a->bus_start <= b->bus_end &&
		b->bus_start <= a->bus_end) || (alo < bhi && blo < ahi);
}

int mcfg_parse(const u8 *tbl, u32 len, struct mcfg_info *out)
{
	u32 i, j, n;

	if (len < MCFG_HDR_LEN || (len - MCFG_HDR_LEN) % MCFG_ENTRY_LEN ||
	    tbl[0] != 'M' || tbl[1] != 'C' || tbl[2] != 'F' || tbl[3] != 'G' ||
	    get_le(tbl + 4, 4) != len)
		return -EINVAL;
	n = (len - MCFG_HDR_LEN) / MCFG_ENTRY_LEN;
	if (n > MCFG_MAX)
		return -E2BIG;
	out->count = 0;
	for (i = 0; i < n; i++) {
		const u8 *e = tbl + MCFG_HDR_LEN + i * MCFG_ENTRY_LEN;
		struct mcfg_window *w = &out->win[i];

		*w = (struct mcfg_window){ .base = get_le(e, 8), .segment = get_le(e + 8, 2),
					   .bus_start = e[10], .bus_end = e[11] };
		if (mcfg_check(w))
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (mcfg_overlap(w, &out->win[j]))
				return -EINVAL;
	}
	out->count = n;
	return 0;
}

u64 q35_pciexbar_decode(u64 bar, u32 *buses)
{
	*buses = 256 >> ((bar >> 1) & 3);	/* 3 is reserved: 32 buses */
	if (!(bar & 1))
		return 0;
	return bar & PCIEXBAR_BASE & ~(((u64)*buses << ECAM_BUS_SHIFT) - 1);
}
