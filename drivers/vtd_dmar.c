// SPDX-License-Identifier: GPL-2.0-only
/* ACPI DMAR table parser (VT-d 4.1 §8): see <drivers/vtd.h>. */
#include <drivers/vtd.h>

#define DMAR_HDR_LEN		48	/* ACPI header + HAW, flags, 10 reserved */
#define DMAR_TYPE_DRHD		0
#define DMAR_TYPE_RMRR		1
#define DMAR_DRHD_LEN		16
#define DMAR_RMRR_LEN		24
#define DMAR_SCOPE_MIN		8	/* header + one path entry */
#define DMAR_REG_PAGES_MAX_LOG	8

static u16 get16(const u8 *p)
{
	return p[0] | p[1] << 8;
}

static u32 get32(const u8 *p)
{
	return get16(p) | (u32)get16(p + 2) << 16;
}

static u64 get64(const u8 *p)
{
	return get32(p) | (u64)get32(p + 4) << 32;
}

/* Count the device scopes in [@p, @p + @len); -EINVAL if one overruns. */
static int dmar_scopes(const u8 *p, u32 len, u32 *count)
{
	u32 off = 0;

	*count = 0;
	while (off < len) {
		u32 n;

		if (len - off < 2)
			return -EINVAL;
		n = p[off + 1];
		if (n < DMAR_SCOPE_MIN || (n & 1) || n > len - off)
			return -EINVAL;
		off += n;
		(*count)++;
	}
	return 0;
}

static int dmar_drhd(const u8 *s, u32 len, struct dmar_info *out)
{
	struct dmar_unit *u;
	u32 size_log, scopes;
	u64 base;

	if (len < DMAR_DRHD_LEN || dmar_scopes(s + DMAR_DRHD_LEN, len - DMAR_DRHD_LEN, &scopes))
		return -EINVAL;
	base = get64(s + 8);
	size_log = s[5] & 0xf;
	if (!base || (base & (PAGE_SIZE - 1)) || size_log > DMAR_REG_PAGES_MAX_LOG ||
	    base + (PAGE_SIZE << size_log) < base)
		return -EINVAL;
	if (out->unit_count == DMAR_MAX_UNITS)
		return -E2BIG;
	u = &out->units[out->unit_count++];
	u->reg_base = base;
	u->reg_pages = 1U << size_log;
	u->segment = get16(s + 6);
	u->flags = s[4];
	u->scopes = scopes;
	return 0;
}

static int dmar_rmrr(const u8 *s, u32 len, struct dmar_info *out)
{
	struct dmar_rmrr *r;
	u64 base, end;
	u32 scopes;

	if (len < DMAR_RMRR_LEN || dmar_scopes(s + DMAR_RMRR_LEN, len - DMAR_RMRR_LEN, &scopes))
		return -EINVAL;
	base = get64(s + 8);
	end = get64(s + 16);
	if (end < base || (base & (PAGE_SIZE - 1)) || ((end + 1) & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (out->rmrr_count == DMAR_MAX_RMRR)
		return -E2BIG;
	r = &out->rmrr[out->rmrr_count++];
	r->base = base;
	r->end = end;
	r->segment = get16(s + 6);
	return 0;
}

int dmar_parse(const void *tbl, u64 len, struct dmar_info *out)
{
	const u8 *t = tbl;
	u64 off = DMAR_HDR_LEN;
	u8 sum = 0;
	u64 i;

	*out = (struct dmar_info){ 0 };
	if (len < DMAR_HDR_LEN || t[0] != 'D' || t[1] != 'M' || t[2] != 'A' || t[3] != 'R' ||
	    get32(t + 4) != len)
		return -EINVAL;
	for (i = 0; i < len; i++)
		sum += t[i];
	if (sum || t[36] < 32 || t[36] > 63)	/* HAW - 1 */
		return -EINVAL;
	out->haw = t[36] + 1;
	out->flags = t[37];
	while (off < len) {
		u32 type, n;
		int err = 0;

		if (len - off < 4)
			return -EINVAL;
		type = get16(t + off);
		n = get16(t + off + 2);
		if (n < 4 || n > len - off)
			return -EINVAL;
		if (type == DMAR_TYPE_DRHD)
			err = dmar_drhd(t + off, n, out);
		else if (type == DMAR_TYPE_RMRR)
			err = dmar_rmrr(t + off, n, out);
		if (err)
			return err;
		off += n;
	}
	return 0;
}
