// SPDX-License-Identifier: GPL-2.0-only
/* Storage check: SHA-256 of named ext4 files, baseline and re-check in slices. */
#include <checks/files.h>
#include "checks_priv.h"

void chk_files_init(struct chk_files *f, struct chk_file *files, u32 n,
		    const struct fs_blockdev *dev, void *scratch, u32 scratch_len,
		    struct fs_iv *iv, u32 iv_cap)
{
	__builtin_memset(f, 0, sizeof(*f));
	f->files = files;
	f->nfiles = n;
	f->dev = dev;
	f->scratch = scratch;
	f->scratch_len = scratch_len;
	fs_ivset_init(&f->set, iv, iv_cap);
}

static u64 le64(const u8 *h)
{
	u64 v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | h[i];
	return v;
}

/* A resolution or read failed for file @i with @err. */
static void files_failed(struct chk_files *f, const struct chk_env *env, u32 i, int err)
{
	struct chk_file *c = &f->files[i];

	if (!f->baselined) {
		chk_emit(env, CHK_EVENT, CHK_FILE_ERROR, i, 0, (u64)(s64)err, 0);
		return;
	}
	if (!(c->state & CHK_FILE_BASE))
		return;
	if ((c->state & CHK_FILE_FAILED) && !(c->state & CHK_FILE_ALERTED)) {
		chk_emit(env, CHK_ALERT, CHK_FILE_ERROR, i, 0, (u64)(s64)err, 0);
		c->state |= CHK_FILE_ALERTED;
	}
	c->state |= CHK_FILE_FAILED;
}

/* The hash of file @i is complete: baseline it or compare. */
static void files_done(struct chk_files *f, const struct chk_env *env, u32 i)
{
	struct chk_file *c = &f->files[i];
	u8 h[CHK_SHA256_LEN];

	chk_sha256_final(&f->sha, h);
	if (!f->baselined) {
		c->ino = f->res.ino;
		c->size = f->res.size;
		c->type = f->res.type;
		__builtin_memcpy(c->hash, h, sizeof(h));
		c->state = CHK_FILE_BASE;
		return;
	}
	if (!(c->state & CHK_FILE_BASE))
		return;
	c->state &= ~CHK_FILE_FAILED;
	if (__builtin_memcmp(h, c->hash, sizeof(h)) || c->ino != f->res.ino ||
	    c->size != f->res.size || c->type != (u32)f->res.type) {
		if (!(c->state & CHK_FILE_ALERTED))
			chk_emit(env, CHK_ALERT, CHK_FILE_CHANGED, i, 0, le64(c->hash), le64(h));
		c->state |= CHK_FILE_ALERTED;
		return;
	}
	c->state &= ~CHK_FILE_ALERTED;
}

/* Resolve file f->cur and start its hash; <0 on failure. */
static int files_start(struct chk_files *f)
{
	u8 hdr[24];
	int ret, k;

	f->set.n = 0;
	__builtin_memset(&f->res, 0, sizeof(f->res));
	f->res.set = &f->set;
	ret = fs_ext4_resolve(&f->fs, f->files[f->cur].path, &f->res);
	if (ret)
		return ret;
	for (k = 0; k < 8; k++) {
		hdr[k] = (u8)(f->res.ino >> (8 * k));
		hdr[8 + k] = (u8)((u64)f->res.type >> (8 * k));
		hdr[16 + k] = (u8)(f->res.size >> (8 * k));
	}
	chk_sha256_init(&f->sha);
	chk_sha256_update(&f->sha, hdr, sizeof(hdr));
	f->ivi = 0;
	f->sec = 0;
	f->hashing = true;
	return 0;
}

/* Hash up to *@budget more data sectors; 1 when the file is done, <0 on error. */
static int files_hash(struct chk_files *f, u32 *budget)
{
	while (*budget) {
		const struct fs_iv *iv;
		u32 n;
		int ret;

		while (f->ivi < f->set.n && (!(f->set.iv[f->ivi].mask & FS_DATA) ||
					     f->sec >= f->set.iv[f->ivi].count)) {
			f->ivi++;
			f->sec = 0;
		}
		if (f->ivi == f->set.n)
			return 1;
		iv = &f->set.iv[f->ivi];
		n = (u32)MIN(MIN((u64)CHK_FILES_SECTORS, iv->count - f->sec), (u64)*budget);
		ret = f->dev->read(f->dev->ctx, iv->start + f->sec, n, f->buf);
		if (ret)
			return ret < 0 ? ret : -EIO;
		chk_sha256_update(&f->sha, f->buf, (u64)n * FS_SECTOR_SIZE);
		f->sec += n;
		*budget -= n;
	}
	return 0;
}

static int files_pass_end(struct chk_files *f)
{
	f->cur = 0;
	f->mounted = false;
	f->baselined = true;
	return 0;
}

int chk_files_step(struct chk_files *f, const struct chk_env *env, u32 sectors)
{
	int ret;

	if (!f->mounted) {
		ret = fs_ext4_mount(&f->fs, f->dev, f->scratch, f->scratch_len);
		if (ret) {
			for (f->cur = 0; f->cur < f->nfiles; f->cur++)
				files_failed(f, env, f->cur, ret);
			return files_pass_end(f);
		}
		f->mounted = true;
		f->cur = 0;
		f->hashing = false;
	}
	while (f->cur < f->nfiles) {
		if (!f->hashing) {
			ret = files_start(f);
			if (ret) {
				files_failed(f, env, f->cur++, ret);
				continue;
			}
		}
		ret = files_hash(f, &sectors);
		if (!ret)
			return -EAGAIN;
		f->hashing = false;
		if (ret < 0)
			files_failed(f, env, f->cur, ret);
		else
			files_done(f, env, f->cur);
		f->cur++;
		if (!sectors && f->cur < f->nfiles)
			return -EAGAIN;
	}
	return files_pass_end(f);
}
