// SPDX-License-Identifier: GPL-2.0-only
/* Sorted disjoint sector intervals with masks; path splitting. */
#include <fs/fs.h>
#include <mamori/string.h>

void fs_ivset_init(struct fs_ivset *s, struct fs_iv *storage, u32 cap)
{
	s->iv = storage;
	s->n = 0;
	s->cap = cap;
}

/* First interval whose end lies beyond @x. */
static u32 ivset_find(const struct fs_ivset *s, u64 x)
{
	u32 lo = 0, hi = s->n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (s->iv[mid].start + s->iv[mid].count <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void ivset_insert(struct fs_ivset *s, u32 i, u64 start, u64 count, u64 mask)
{
	memmove(&s->iv[i + 1], &s->iv[i], (s->n - i) * sizeof(s->iv[0]));
	s->iv[i] = (struct fs_iv){ start, count, mask };
	s->n++;
}

static void ivset_split(struct fs_ivset *s, u32 i, u64 at)
{
	struct fs_iv *v = &s->iv[i];

	ivset_insert(s, i + 1, at, v->start + v->count - at, v->mask);
	s->iv[i].count = at - s->iv[i].start;
}

static void ivset_merge(struct fs_ivset *s)
{
	u32 i, o = 0;

	for (i = 0; i < s->n; i++) {
		struct fs_iv *last = o ? &s->iv[o - 1] : NULL;

		if (last && last->mask == s->iv[i].mask &&
		    last->start + last->count == s->iv[i].start)
			last->count += s->iv[i].count;
		else
			s->iv[o++] = s->iv[i];
	}
	s->n = o;
}

int fs_ivset_add(struct fs_ivset *s, u64 start, u64 count, u64 mask)
{
	u64 end = start + count, p = start;
	u32 i, j, k = 0;

	if (!count || !mask)
		return 0;
	if (end < start)
		return -EINVAL;
	i = ivset_find(s, start);
	/* Count the intervals this adds (gaps filled, splits) before changing anything. */
	for (j = i; j < s->n && s->iv[j].start < end; j++) {
		if (s->iv[j].start != p)
			k++;	/* a gap before it, or a split at @start */
		if (s->iv[j].start + s->iv[j].count > end)
			k++;	/* a split at @end */
		p = s->iv[j].start + s->iv[j].count;
	}
	if (p < end)
		k++;
	if ((u64)s->n + k > s->cap)
		return -ENOSPC;
	p = start;
	while (p < end) {
		struct fs_iv *v = i < s->n ? &s->iv[i] : NULL;

		if (!v || v->start >= end) {
			ivset_insert(s, i, p, end - p, mask);
			i++;
			break;
		}
		if (v->start > p) {
			u64 next = v->start;	/* v moves up with the insert */

			ivset_insert(s, i, p, next - p, mask);
			p = next;
			i++;
			continue;
		}
		if (v->start < p) {
			ivset_split(s, i, p);
			i++;
			v = &s->iv[i];
		}
		if (v->start + v->count > end)
			ivset_split(s, i, end);
		v->mask |= mask;
		p = v->start + v->count;
		i++;
	}
	ivset_merge(s);
	return 0;
}

u64 fs_ivset_lookup(const struct fs_ivset *s, u64 sector)
{
	u32 i = ivset_find(s, sector);

	if (i < s->n && s->iv[i].start <= sector)
		return s->iv[i].mask;
	return 0;
}

u64 fs_ivset_range(const struct fs_ivset *s, u64 start, u64 count)
{
	u64 end = start + count < start ? ~0ULL : start + count, mask = 0;
	u32 i;

	/* the first interval ending past @start, then every one starting before @end */
	for (i = ivset_find(s, start); count && i < s->n && s->iv[i].start < end; i++)
		mask |= s->iv[i].mask;
	return mask;
}

u64 fs_ivset_sectors(const struct fs_ivset *s, u64 mask)
{
	u64 total = 0;
	u32 i;

	for (i = 0; i < s->n; i++)
		if (s->iv[i].mask & mask)
			total += s->iv[i].count;
	return total;
}

int fs_path_next(const char **p, const char **name)
{
	const char *s = *p;
	int len = 0;

	while (*s == '/')
		s++;
	*name = s;
	while (s[len] && s[len] != '/') {
		if (len >= (int)FS_NAME_MAX)
			return -ENAMETOOLONG;
		len++;
	}
	if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
		return -EINVAL;
	*p = s + len;
	return len;
}
