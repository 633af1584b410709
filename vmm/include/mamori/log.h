/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMM log on the VMM's own UART (COM2 by default). Lines are written whole under
 * a lock, so CPUs never interleave mid-line. Format: printf subset
 * (%d %i %u %x %X %p %s %c %%, with l/ll/z, width and '0' pad).
 * Convention: "<subsystem>[<object>]: <what> (<why>)", e.g.
 *   pr_err("ata0: refused command 0x92 (DOWNLOAD MICROCODE) from guest\n");
 */
#ifndef MAMORI_LOG_H
#define MAMORI_LOG_H

#include <mamori/types.h>
#include <stdarg.h>

enum log_level { LOG_FATAL, LOG_ERR, LOG_WARN, LOG_INFO, LOG_DBG };

/* log_printk - format and emit one message at @level (dropped above log_level_max). */
void log_printk(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* log_vprintk - va_list variant of log_printk(). */
void log_vprintk(enum log_level level, const char *fmt, va_list ap);
/* log_snprintf - the same formatter into a buffer; returns the untruncated length. */
int log_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int log_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/*
 * log_ratelimit - whether the @n-th occurrence of a guest-triggerable event
 * should be logged: the first 10, then every 1024th (so a guest loop cannot
 * flood the trusted console). Increments *@n.
 */
static inline bool log_ratelimit(u32 *n)
{
	u32 k = ++*n;

	return k <= 10 || (k & 1023) == 0;
}

#define pr_fatal(...)	log_printk(LOG_FATAL, __VA_ARGS__)
#define pr_err(...)	log_printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	log_printk(LOG_WARN, __VA_ARGS__)
#define pr_info(...)	log_printk(LOG_INFO, __VA_ARGS__)
#define pr_dbg(...)	log_printk(LOG_DBG, __VA_ARGS__)

#endif
