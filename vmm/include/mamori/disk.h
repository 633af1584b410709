/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Encrypted disk ranges: the policy's disk rules, resolved once at boot
 * against the disks the loader found (struct boot_disk), and the in-place
 * sector transform the device intercepts (drivers/ata.c, ahci.c) call on
 * their VMM-owned bounce buffers. Format: dm-crypt aes-xts-plain64, 512-byte
 * sectors, IV = sector - range start + iv_offset (docs/disk.md).
 */
#ifndef MAMORI_DISK_H
#define MAMORI_DISK_H

#include <mamori/types.h>
#include <mamori/boot_info.h>

#define DISK_MAX		8
#define DISK_RANGES_MAX		16
#define DISK_SECTOR		512

struct policy;
struct policy_secrets;
struct xts_key;

/* One encrypted range [start, end) and its key; IV of sector s = s - start + iv_offset. */
struct disk_range {
	u64 start, end;
	u64 iv_offset;
	const struct xts_key *key;
	u32 rule;			/* policy rule index, for log lines */
};

/*
 * struct disk_intercept - what a disk intercept (struct device_intercept's
 * @disk) tells the disk phase, which runs before any trap is set up: the rule
 * kind it enforces, and which controllers it takes over.
 * @kind: BOOT_DISK_*; @kind_name as rules and disk names spell it ("ata").
 * @controllers: it intercepts the first @controllers of its kind in PCI order;
 *	a rule or disk on a later one is refused (no intercept would enforce it).
 * @controller_bdf: the PCI function (bus << 8 | device << 3 | function) of
 *	the @index-th controller of its kind, intercepted or not; 0, or -ENOENT
 *	past the last.
 */
struct disk_intercept {
	const char *kind_name;
	u8 kind;
	u32 controllers;
	int (*controller_bdf)(u32 index, u16 *bdf);
};

/*
 * struct disk - one physical disk with at least one encrypted range.
 * @kind/@bus/@dev/@fn/@port/@unit: as struct boot_disk; @controller is the
 * index of the controller among those of its kind in PCI order.
 * @owner: the intercept that claimed it (disk_claim()), NULL until then.
 */
struct disk {
	u8 kind;
	u8 bus, dev, fn;
	u16 controller;
	u16 port;
	u32 unit;
	char name[24];			/* e.g. "ata0.0.0", for log lines */
	const char *owner;
	u32 nranges;
	struct disk_range range[DISK_RANGES_MAX];
};

/*
 * disk_init - resolve every disk rule of @p against @bi->disks and expand
 * the keys from @s. A rule whose disk is absent is logged and inactive; a
 * rule whose disk is present but whose partition is not, or a key that does
 * not expand, fails closed. A rule no intercept can enforce (a kind without
 * one, a controller it does not take over, an identity matching such a disk)
 * fails closed (-EPERM). Return 0, -ENOENT, -EINVAL, -EPERM or -ENOMEM.
 */
int disk_init(const struct boot_info *bi, const struct policy *p,
	      const struct policy_secrets *s);

/* disk_find - the disk at this controller position, or NULL (pass-through). */
const struct disk *disk_find(u8 kind, u8 bus, u8 dev, u8 fn, u16 port, u32 unit);

/*
 * disk_claim - the intercept @owner serves the disk at this position from
 * now on: disk_find(), and the disk (if it has encrypted ranges) is marked
 * claimed by @owner for disk_check_coverage(). Intercepts call it when they
 * bind a disk, instead of disk_find().
 */
const struct disk *disk_claim(u8 kind, u8 bus, u8 dev, u8 fn, u16 port, u32 unit,
			      const char *owner);

/*
 * disk_check_coverage - after the device intercepts are set up: every disk
 * with an encrypted range must have been claimed, or its rules would be
 * enforced by nothing. Logs each unclaimed disk with its rules; 0 or -EPERM.
 */
int disk_check_coverage(void);

/* disk_touches - true if any of @nsect sectors from @lba lies in an encrypted range. */
bool disk_touches(const struct disk *d, u64 lba, u64 nsect);

/*
 * disk_crypt - encrypt (@encrypt) or decrypt in place the sectors of the
 * @nsect at @lba in @buf that lie in encrypted ranges; others stay as they
 * are. Opens its own SIMD section. Return 0, or -EIO if the SIMD section
 * could not be opened (the caller must then fail the I/O, never pass it).
 */
int disk_crypt(const struct disk *d, u64 lba, u8 *buf, u64 nsect, bool encrypt);

/*
 * disk_wipe_keys - before a reset: from now on disk_crypt() refuses every
 * request that touches an encrypted range (-EIO: the I/O fails, never passes
 * in clear or under a zeroed key); waits (bounded, about a second) for the
 * calls in flight on other CPUs, then zeroes every expanded key. Returns
 * false if a call was still in flight when the keys were zeroed.
 */
bool disk_wipe_keys(void);

#endif
