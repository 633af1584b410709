// SPDX-License-Identifier: GPL-2.0-only
#include "disk_info_parse.h"

#define DP_HDR_LEN		4
#define DP_PCI_LEN		6
#define DP_ATAPI_LEN		8
#define DP_SATA_LEN		10
#define DP_NVME_LEN		16
#define DP_HD_LEN		42
#define SATA_NO_PMP		0xffff

static u64 get_le(const u8 *p, u32 n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void zero_bytes(void *p, u64 n)
{
	u8 *d = p;

	while (n--)
		*d++ = 0;
}

/* One messaging node: the controller's port/unit. Return false for others. */
static bool parse_msg(const u8 *n, u32 len, struct boot_disk *d)
{
	switch (n[1]) {
	case DP_MSG_ATAPI:
		if (len < DP_ATAPI_LEN || n[4] > 1 || n[5] > 1)
			return false;
		d->kind = BOOT_DISK_ATA;
		d->port = n[4];
		d->unit = n[5];
		return true;
	case DP_MSG_SATA:
		/* A disk behind a port multiplier has no place in the policy's naming. */
		if (len < DP_SATA_LEN || (get_le(n + 6, 2) != SATA_NO_PMP && get_le(n + 6, 2)))
			return false;
		d->kind = BOOT_DISK_AHCI;
		d->port = (u16)get_le(n + 4, 2);
		return d->port < 32;
	case DP_MSG_NVME:
		if (len < DP_NVME_LEN)
			return false;
		d->kind = BOOT_DISK_NVME;
		d->unit = (u32)get_le(n + 4, 4);
		return d->unit != 0;
	}
	return false;
}

static bool parse_hd(const u8 *n, u32 len, struct boot_disk *d)
{
	u32 i;

	if (len < DP_HD_LEN || n[40] != DP_HD_GPT || n[41] != DP_HD_SIG_GUID)
		return false;
	d->part_index = (u32)get_le(n + 4, 4);
	d->lba_start = get_le(n + 8, 8);
	d->lba_count = get_le(n + 16, 8);
	for (i = 0; i < 16; i++)
		d->part_guid[i] = n[24 + i];
	return d->part_index != 0 && d->lba_count != 0 &&
	       d->lba_start + d->lba_count > d->lba_start;
}

int disk_path_parse(const void *dp, u64 max, struct boot_disk *d, u32 *pci_nodes)
{
	const u8 *n = dp;
	bool skip = false;
	u32 len;

	zero_bytes(d, sizeof(*d));
	*pci_nodes = 0;
	for (;; n += len, max -= len) {
		if (max < DP_HDR_LEN)
			return DISK_PATH_BAD;
		len = (u32)get_le(n + 2, 2);
		if (len < DP_HDR_LEN || len > max)
			return DISK_PATH_BAD;
		if (n[0] == DP_END)
			break;
		if (n[0] == DP_HW && n[1] == DP_HW_PCI) {
			if (len < DP_PCI_LEN)
				return DISK_PATH_BAD;
			if (d->kind || n[5] > 31 || n[4] > 7)
				skip = true;
			d->pci_dev = n[5];
			d->pci_fn = n[4];
			++*pci_nodes;
		} else if (n[0] == DP_MSG) {
			if (d->kind || !*pci_nodes || !parse_msg(n, len, d))
				skip = true;
		} else if (n[0] == DP_MEDIA) {
			if (!d->kind || d->part_index || n[1] != DP_MEDIA_HD ||
			    !parse_hd(n, len, d))
				skip = true;
		}
	}
	return skip || !d->kind ? DISK_PATH_SKIP : DISK_PATH_OK;
}

void disk_ident_string(char *out, u32 size, const u16 *identify, u32 first, u32 nwords)
{
	u32 i, n = 0, lead = 0;

	if (!size)
		return;
	nwords = MIN(nwords, (size - 1) / 2);
	for (i = 0; i < nwords; i++) {
		out[n++] = (char)(identify[first + i] >> 8);
		out[n++] = (char)(identify[first + i] & 0xff);
	}
	for (i = 0; i < n; i++)
		if (out[i] == 0)
			out[i] = ' ';
		else if (out[i] < 0x20 || out[i] > 0x7e)
			out[i] = '?';
	while (n && out[n - 1] == ' ')
		n--;
	while (lead < n && out[lead] == ' ')
		lead++;
	for (i = lead; i < n; i++)
		out[i - lead] = out[i];
	out[n - lead] = 0;
}

bool disk_same_device(const struct boot_disk *a, const struct boot_disk *b)
{
	return a->kind == b->kind && a->pci_bus == b->pci_bus && a->pci_dev == b->pci_dev &&
	       a->pci_fn == b->pci_fn && a->port == b->port && a->unit == b->unit;
}

int disk_info_add(struct boot_info *bi, const struct boot_disk *d)
{
	u32 i = bi->disk_count;
	int ret = 0;

	if (i >= BOOT_DISKS_MAX) {
		/* Full: a whole disk displaces the last partition (rules naming it fail closed). */
		if (d->part_index || !bi->disks[i - 1].part_index)
			return -1;
		i = --bi->disk_count;
		ret = -1;
	}
	if (!d->part_index)
		while (i > 0 && bi->disks[i - 1].part_index) {
			bi->disks[i] = bi->disks[i - 1];
			i--;
		}
	bi->disks[i] = *d;
	bi->disk_count++;
	return ret;
}

static void copy_str(char *dst, const char *src, u32 size)
{
	u32 i;

	for (i = 0; i + 1 < size && src[i]; i++)
		dst[i] = src[i];
	dst[i] = 0;
}

void disk_info_finish(struct boot_info *bi)
{
	u32 i, j;

	for (i = 0; i < bi->disk_count; i++) {
		struct boot_disk *p = &bi->disks[i];

		if (!p->part_index)
			continue;
		for (j = 0; j < bi->disk_count; j++) {
			const struct boot_disk *w = &bi->disks[j];

			if (!w->part_index && disk_same_device(w, p)) {
				copy_str(p->model, w->model, sizeof(p->model));
				copy_str(p->serial, w->serial, sizeof(p->serial));
			}
		}
	}
}
