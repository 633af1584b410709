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

/* A rate-limited line: this many occurrences in full, then at powers of two from 1024. */
#define LOG_RATELIMIT_BURST	10
#define LOG_RATELIMIT_EVERY	1024

/*
 * log_ratelimit - whether the @n-th occurrence of a guest-triggerable event
 * should be logged: the first LOG_RATELIMIT_BURST, then the 1024th, 2048th,
 * 4096th, ... (each power of two from LOG_RATELIMIT_EVERY). A call site so
 * logs at most 10 + 22 lines in 2^32 occurrences however fast the guest
 * loops, so no guest can saturate the trusted console (a fixed "every
 * 1024th" still gave ~1000 lines a second at a million exits a second).
 * Increments *@n atomically (call sites run on every CPU).
 */
static inline bool log_ratelimit_pass(u32 k)
{
	return k <= LOG_RATELIMIT_BURST ||
	       (k >= LOG_RATELIMIT_EVERY && !(k & (k - 1)));
}

static inline bool log_ratelimit(u32 *n)
{
	return log_ratelimit_pass(__atomic_add_fetch(n, 1, __ATOMIC_RELAXED));
}

/*
 * log_printk_ratelimited - log_printk() counted in *@n (log_ratelimit());
 * past the burst the line ends in " [N times, rate-limited]".
 */
void log_printk_ratelimited(u32 *n, enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * pr_*_ratelimited - for every line a guest can trigger: a per-call-site
 * counter (a static in the macro), so one noisy site never silences another.
 * pr_*_once - only the first occurrence of the call site.
 */
#define pr_ratelimited(level, ...)						\
	do {									\
		static u32 log_rl_count__;					\
		log_printk_ratelimited(&log_rl_count__, level, __VA_ARGS__);	\
	} while (0)
#define pr_err_ratelimited(...)		pr_ratelimited(LOG_ERR, __VA_ARGS__)
#define pr_warn_ratelimited(...)	pr_ratelimited(LOG_WARN, __VA_ARGS__)
#define pr_info_ratelimited(...)	pr_ratelimited(LOG_INFO, __VA_ARGS__)
#define pr_once(level, ...)							\
	do {									\
		static u32 log_once__;						\
		if (__atomic_add_fetch(&log_once__, 1, __ATOMIC_RELAXED) == 1)	\
			log_printk(level, __VA_ARGS__);				\
	} while (0)
#define pr_warn_once(...)		pr_once(LOG_WARN, __VA_ARGS__)
#define pr_err_once(...)		pr_once(LOG_ERR, __VA_ARGS__)

#define pr_fatal(...)	log_printk(LOG_FATAL, __VA_ARGS__)
#define pr_err(...)	log_printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	log_printk(LOG_WARN, __VA_ARGS__)
#define pr_info(...)	log_printk(LOG_INFO, __VA_ARGS__)
#define pr_dbg(...)	log_printk(LOG_DBG, __VA_ARGS__)

#endif
