// SPDX-License-Identifier: GPL-2.0-only
/* ACPI table lookup from the RSDP: see <drivers/acpi.h>. */
#include <drivers/acpi.h>

#define ACPI_HDR_LEN		36
#define ACPI_RSDP_V1_LEN	20
#define ACPI_RSDP_V2_LEN	36
#define ACPI_MAX_TABLE		(16U << 20)	/* far above any real DMAR/MCFG/XSDT */

static u8 acpi_sum(const u8 *p, u64 len)
{
	u8 s = 0;

	while (len--)
		s += *p++;
	return s;
}

static u32 get32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static u64 get64(const u8 *p)
{
	return get32(p) | (u64)get32(p + 4) << 32;
}

/* The table at @pa with its length checked against the header and summed. */
static const u8 *acpi_table(const struct acpi_map *m, u64 pa, u32 *len)
{
	const u8 *h = m->map(m->ctx, pa, ACPI_HDR_LEN);
	u32 n;

	if (!h)
		return NULL;
	n = get32(h + 4);
	if (n < ACPI_HDR_LEN || n > ACPI_MAX_TABLE)
		return NULL;
	h = m->map(m->ctx, pa, n);
	if (!h || acpi_sum(h, n))
		return NULL;
	*len = n;
	return h;
}

static bool acpi_sig_is(const u8 *h, const char sig[4])
{
	return h[0] == sig[0] && h[1] == sig[1] && h[2] == sig[2] && h[3] == sig[3];
}

int acpi_find_table(const struct acpi_map *m, u64 rsdp_pa, const char sig[4],
		    u64 *pa, u32 *len)
{
	const u8 *rsdp = rsdp_pa ? m->map(m->ctx, rsdp_pa, ACPI_RSDP_V1_LEN) : NULL;
	const u8 *sdt;
	u32 sdt_len, esz, i;
	u64 sdt_pa;

	if (!rsdp || acpi_sum(rsdp, ACPI_RSDP_V1_LEN) ||
	    !acpi_sig_is(rsdp, "RSD ") || !acpi_sig_is(rsdp + 4, "PTR "))
		return -EINVAL;
	if (rsdp[15] >= 2) {
		rsdp = m->map(m->ctx, rsdp_pa, ACPI_RSDP_V2_LEN);
		if (!rsdp || get32(rsdp + 20) < ACPI_RSDP_V2_LEN ||
		    acpi_sum(rsdp, ACPI_RSDP_V2_LEN))
			return -EINVAL;
		sdt_pa = get64(rsdp + 24);
		esz = 8;
	} else {
		sdt_pa = get32(rsdp + 16);
		esz = 4;
	}
	sdt = acpi_table(m, sdt_pa, &sdt_len);
	if (!sdt || !acpi_sig_is(sdt, esz == 8 ? "XSDT" : "RSDT"))
		return -EINVAL;
	for (i = ACPI_HDR_LEN; i + esz <= sdt_len; i += esz) {
		u64 tpa = esz == 8 ? get64(sdt + i) : get32(sdt + i);
		const u8 *h = tpa ? m->map(m->ctx, tpa, ACPI_HDR_LEN) : NULL;

		if (!h || !acpi_sig_is(h, sig))
			continue;
		/* The table exists: a bad one is an error, never "absent". */
		if (!acpi_table(m, tpa, len))
			return -EINVAL;
		*pa = tpa;
		return 0;
	}
	return -ENOENT;
}

#define FADT_FLAGS		112
#define FADT_RESET_REG_SUP	BIT(10)
#define FADT_RESET_REG		116	/* generic address structure, 12 bytes */
#define FADT_RESET_VALUE	128

int acpi_fadt_reset_reg(const void *fadt, u32 len, struct acpi_reset_reg *out)
{
	const u8 *f = fadt;

	if (len < ACPI_HDR_LEN || !acpi_sig_is(f, "FACP"))
		return -EINVAL;
	/* Before revision 2 the field did not exist; Linux reads it from 2 on. */
	if (f[8] < 2 || len <= FADT_RESET_VALUE || !(get32(f + FADT_FLAGS) & FADT_RESET_REG_SUP))
		return -ENOENT;
	out->space = f[FADT_RESET_REG];
	out->addr = get64(f + FADT_RESET_REG + 4);
	out->value = f[FADT_RESET_VALUE];
	return 0;
}
