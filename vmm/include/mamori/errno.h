/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Error codes of the VMM. Functions return 0 or a negated code (-ENOMEM).
 * Values are Linux's, so the host build may include <errno.h> alongside.
 */
#ifndef MAMORI_ERRNO_H
#define MAMORI_ERRNO_H

#ifndef EPERM
#define EPERM		1	/* operation not permitted */
#endif
#ifndef ENOENT
#define ENOENT		2	/* no such object (e.g. nothing mapped) */
#endif
#ifndef EIO
#define EIO		5	/* hardware or device I/O error */
#endif
#ifndef E2BIG
#define E2BIG		7	/* argument list or object too large */
#endif
#ifndef EAGAIN
#define EAGAIN		11	/* not now: try again later (e.g. no key yet) */
#endif
#ifndef ENOMEM
#define ENOMEM		12	/* out of memory */
#endif
#ifndef EFAULT
#define EFAULT		14	/* bad (guest) address */
#endif
#ifndef EBUSY
#define EBUSY		16	/* resource busy */
#endif
#ifndef EEXIST
#define EEXIST		17	/* object already exists */
#endif
#ifndef ENOTDIR
#define ENOTDIR		20	/* a path component is not a directory */
#endif
#ifndef EINVAL
#define EACCES		13	/* access refused by a rule (file check) */
#define ENXIO		6	/* no such device or address (a partition) */
#define EINVAL		22	/* invalid argument */
#define ENODEV		19	/* no such device */
#endif
#ifndef ENOSPC
#define ENOSPC		28	/* no room left (table full, counter exhausted) */
#endif
#ifndef ENAMETOOLONG
#define ENAMETOOLONG	36	/* a name over its limit */
#endif
#ifndef ENOSYS
#define ENOSYS		38	/* not implemented / not supported by the CPU */
#endif

#ifndef ELOOP
#define ELOOP		40	/* a symbolic link where none is followed */
#endif
#ifndef EBADMSG
#define EBADMSG		74	/* malformed or unauthenticated message */
#endif
#ifndef ESTALE
#define ESTALE		116	/* an answer changed under a write (file check) */
#endif
#ifndef EOPNOTSUPP
#define EOPNOTSUPP	95	/* a format feature that is not supported */
#endif

#endif
