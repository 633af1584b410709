/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared between vmm/filecheck*.c only. */
#ifndef MAMORI_FILECHECK_PRIV_H
#define MAMORI_FILECHECK_PRIV_H

#include <mamori/filecheck.h>

extern struct fc_rule fc_rules[FC_RULES_MAX];
extern u64 fc_rule_bits;		/* rule slots in use */
extern u64 fc_auth_rules;		/* policy require-auth rules: the dialog decides */
extern u64 fc_fenced;			/* rules that did not resolve at boot: partition fenced */

struct fc_disk *fc_disk_at(u32 i);
u32 fc_disk_count(void);

/*
 * fc_resolve_rule - resolve @r (rule bit @bit) on @d from the disk as it is
 * now and add the answer, the file system's anchors and the disk's GPT to
 * @d's sets. @same: the answer must not have moved: -ESTALE (sets unchanged)
 * when a DATA/META sector of the new answer is not already the rule's (a
 * guest write redirected the path, review-3 F1). 0 or an fs/ error code;
 * -ENODEV when @d has no reader. On error the sets may hold part of the
 * answer (only more protection).
 */
int fc_resolve_rule(struct fc_disk *d, const struct fc_rule *r, u32 bit, bool same);

/* fc_resolves - 0 if @r resolves on @d now (the sets are not touched), else the error. */
int fc_resolves(struct fc_disk *d, const struct fc_rule *r);

/* fc_probe - 0 if an ext4 (@ext4) or FAT file system mounts on [@start, +@count) of @d. */
int fc_probe(struct fc_disk *d, u64 start, u64 count, bool ext4);

/* fc_copy_str - copy @src into @dst (@n bytes), cut and NUL-terminated. */
static inline void fc_copy_str(char *dst, const char *src, u32 n)
{
	u32 i;

	for (i = 0; i + 1 < n && src[i]; i++)
		dst[i] = src[i];
	dst[i] = 0;
}

#endif
