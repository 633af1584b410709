/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Storage check (Tripwire-like): files named by the policy on an ext4
 * partition, resolved with fs/ (fs/include/fs/ext4.h) over the caller's
 * sector-read callback (the monitor's read-only view of the decrypted guest
 * disk) and hashed: SHA-256 over a header (inode number, type, size) and the
 * file's data sectors in ascending sector order. The first complete pass is
 * the baseline; later passes compare:
 *
 *   hash, inode, type or size differ                 ALERT CHK_FILE_CHANGED
 *   resolution fails two passes in a row             ALERT CHK_FILE_ERROR (old: -errno)
 *   resolution fails at the baseline                 EVENT CHK_FILE_ERROR (file not watched)
 *
 * @index of a report is the file's index in the caller's array; @old/@new
 * the first 8 bytes of the hashes, or the error code. One failed resolution
 * gets a pass of grace: the guest writes its file system while the monitor
 * reads the disk, so a directory caught mid-update may look corrupt once.
 *
 * On-disk data is hostile: fs/ checks every structure and bounds every loop
 * (FS_READ_BUDGET block reads per resolution). A resolution is one call, not
 * sliced; hashing is sliced by a sector budget. Not covered: a permutation of
 * a file's blocks that keeps the set of data sectors (the hash follows sector
 * order, not file order); ext4 inline data (the hash then covers the inode's
 * sector, shared with neighbours: their changes are alerts); changes made and
 * undone between two passes; data still in the guest's page cache.
 */
#ifndef CHECKS_FILES_H
#define CHECKS_FILES_H

#include <checks/checks.h>
#include <checks/sha256.h>
#include <fs/fs.h>
#include <fs/ext4.h>

#define CHK_FILE_BASE		BIT(0)	/* in the baseline */
#define CHK_FILE_ALERTED	BIT(1)	/* alert raised; quiet until back to baseline */
#define CHK_FILE_FAILED		BIT(2)	/* resolution failed last pass */

/* struct chk_file - one watched file; @path is the caller's (absolute). */
struct chk_file {
	const char *path;
	u64 ino, size;
	u32 type;		/* enum fs_type */
	u32 state;		/* CHK_FILE_* */
	u8 hash[CHK_SHA256_LEN];
};

#define CHK_FILES_SECTORS	8u	/* sectors read per callback */

/* struct chk_files - the check's state; caller's memory, touched only below. */
struct chk_files {
	struct chk_file *files;
	u32 nfiles;
	const struct fs_blockdev *dev;
	u8 *scratch;
	u32 scratch_len;
	struct fs_ivset set;
	struct fs_ext4 fs;
	u32 cur;		/* file being checked */
	u32 ivi;		/* interval of @set being hashed */
	u64 sec;		/* sector within it */
	bool hashing;
	bool mounted;
	bool baselined;
	struct fs_result res;
	struct chk_sha256 sha;
	u8 buf[CHK_FILES_SECTORS * FS_SECTOR_SIZE];
};

/*
 * chk_files_init - watch @n files over @dev. @scratch: EXT4_SCRATCH_SIZE(block
 * size) bytes (EXT4_SCRATCH_SIZE(65536) fits any); @iv: @iv_cap intervals for
 * one file's sectors (a file with more extents than that is -ENOSPC: an
 * error report).
 */
void chk_files_init(struct chk_files *f, struct chk_file *files, u32 n,
		    const struct fs_blockdev *dev, void *scratch, u32 scratch_len,
		    struct fs_iv *iv, u32 iv_cap);

/*
 * chk_files_step - go on with the pass, reading at most @sectors data
 * sectors (plus one resolution). -EAGAIN: not done; 0: the pass is done (the
 * next call starts another).
 */
int chk_files_step(struct chk_files *f, const struct chk_env *env, u32 sectors);

#endif
