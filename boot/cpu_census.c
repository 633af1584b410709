// SPDX-License-Identifier: GPL-2.0-only
#include "cpu_census.h"

#define ACPI_HDR_LEN		36
#define ACPI_TABLE_MAX		(1u << 20)	/* sanity bound on any table's length */
#define MADT_ENTRIES_OFF	44
#define MADT_LAPIC		0
#define MADT_X2APIC		9

static u32 rd32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static u64 rd64(const u8 *p)
{
	return rd32(p) | (u64)rd32(p + 4) << 32;
}

static bool sig_is(const u8 *p, const char *sig)
{
	return p[0] == sig[0] && p[1] == sig[1] && p[2] == sig[2] && p[3] == sig[3];
}

/* The length of the table at @addr, or 0 when it cannot be a table. */
static u32 table_len(u64 addr)
{
	u32 len;

	if (!addr)
		return 0;
	len = rd32((const u8 *)addr + 4);
	return len >= ACPI_HDR_LEN && len <= ACPI_TABLE_MAX ? len : 0;
}

static int madt_add(struct census_madt *m, u32 apic_id, u32 flags)
{
	if (m->count >= MADT_CPUS_MAX)
		return -1;
	m->cpu[m->count++] = (struct census_cpu){ apic_id, flags };
	return 0;
}

static int madt_parse(const u8 *t, u32 len, struct census_madt *m)
{
	u32 off = MADT_ENTRIES_OFF;

	if (len < MADT_ENTRIES_OFF)
		return -1;
	while (off + 2 <= len) {
		const u8 *e = t + off;

		if (e[1] < 2 || off + e[1] > len)
			return -1;
		if (e[0] == MADT_LAPIC && (e[1] < 8 || madt_add(m, e[3], rd32(e + 4))))
			return -1;
		if (e[0] == MADT_X2APIC && (e[1] < 16 || madt_add(m, rd32(e + 4), rd32(e + 8))))
			return -1;
		off += e[1];
	}
	return off == len ? 0 : -1;
}

void census_read_madt(u64 rsdp, struct census_madt *m)
{
	const u8 *r = (const u8 *)rsdp, *root;
	u32 len, esz, i;
	u64 addr;

	m->state = MADT_ABSENT;
	m->count = 0;
	if (!rsdp)
		return;
	m->state = MADT_MALFORMED;
	if (r[0] != 'R' || r[1] != 'S' || r[2] != 'D' || r[3] != ' ' || !sig_is(r + 4, "PTR "))
		return;
	esz = r[15] >= 2 && rd64(r + 24) ? 8 : 4;
	addr = esz == 8 ? rd64(r + 24) : rd32(r + 16);
	len = table_len(addr);
	root = (const u8 *)addr;
	if (!len || !sig_is(root, esz == 8 ? "XSDT" : "RSDT"))
		return;
	for (i = ACPI_HDR_LEN; i + esz <= len; i += esz) {
		addr = esz == 8 ? rd64(root + i) : rd32(root + i);
		if (!table_len(addr) || !sig_is((const u8 *)addr, "APIC"))
			continue;
		if (m->state == MADT_PRESENT ||
		    madt_parse((const u8 *)addr, table_len(addr), m)) {
			m->state = MADT_MALFORMED;	/* two MADTs, or a malformed one */
			return;
		}
		m->state = MADT_PRESENT;
	}
	if (m->state != MADT_PRESENT)
		m->state = MADT_ABSENT;
}

static bool madt_startable(const struct census_madt *m, u32 apic_id)
{
	u32 i;

	for (i = 0; m->state == MADT_PRESENT && i < m->count; i++)
		if (m->cpu[i].apic_id == apic_id &&
		    (m->cpu[i].flags & (MADT_CPU_ENABLED | MADT_CPU_ONLINE_CAPABLE)))
			return true;
	return false;
}

static bool in_list(const struct boot_info *bi, u32 apic_id)
{
	u32 i;

	for (i = 0; i < bi->cpu_count; i++)
		if (bi->cpu_apic_ids[i] == apic_id)
			return true;
	return false;
}

static enum census_verdict refuse(struct census_result *r, enum census_verdict v, u32 apic,
				  u32 count)
{
	*r = (struct census_result){ v, apic, count };
	return v;
}

/*
 * The enabled processors MP services reported, boot CPU first; false if they
 * do not fit (a boot CPU missing from the list plus BOOT_CPUS_MAX others).
 */
static bool take_enabled(struct boot_info *bi, u32 bsp, const struct census_cpu *mp, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (mp[i].flags & MP_CPU_AS_BSP)
			bsp = mp[i].apic_id;
	bi->cpu_count = 1;
	bi->cpu_apic_ids[0] = bsp;
	for (i = 0; i < n; i++) {
		if (!(mp[i].flags & MP_CPU_ENABLED) || in_list(bi, mp[i].apic_id))
			continue;
		if (bi->cpu_count == BOOT_CPUS_MAX)
			return false;
		bi->cpu_apic_ids[bi->cpu_count++] = mp[i].apic_id;
	}
	return true;
}

enum census_verdict census_decide(struct boot_info *bi, u32 bsp_apic,
				  const struct census_cpu *mp, u32 mp_count,
				  const struct census_madt *madt, struct census_result *r)
{
	u32 i;

	*r = (struct census_result){ CENSUS_OK, 0, 0 };
	bi->cpu_count = 1;
	bi->cpu_apic_ids[0] = bsp_apic;
	if (madt->state == MADT_MALFORMED)
		return refuse(r, CENSUS_MADT_BAD, 0, 0);
	if (!mp) {
		for (i = 0; madt->state == MADT_PRESENT && i < madt->count; i++)
			if (madt_startable(madt, madt->cpu[i].apic_id))
				r->count++;
		if (madt->state != MADT_PRESENT || r->count != 1 ||
		    !madt_startable(madt, bsp_apic))
			return refuse(r, CENSUS_NO_MP, 0, r->count);
		return CENSUS_OK;
	}
	if (mp_count > BOOT_CPUS_MAX)
		return refuse(r, CENSUS_TOO_MANY, 0, mp_count);
	if (!take_enabled(bi, bsp_apic, mp, mp_count))
		return refuse(r, CENSUS_TOO_MANY, 0, mp_count + 1);
	for (i = 0; i < mp_count; i++)
		if (!in_list(bi, mp[i].apic_id) &&
		    (madt->state != MADT_PRESENT || madt_startable(madt, mp[i].apic_id) ||
		     bi->cpu_count < 2))
			return refuse(r, CENSUS_DISABLED, mp[i].apic_id, mp_count);
	for (i = 0; madt->state == MADT_PRESENT && i < madt->count; i++)
		if (madt_startable(madt, madt->cpu[i].apic_id) &&
		    !in_list(bi, madt->cpu[i].apic_id))
			return refuse(r, CENSUS_MADT_EXTRA, madt->cpu[i].apic_id, madt->count);
	return CENSUS_OK;
}
