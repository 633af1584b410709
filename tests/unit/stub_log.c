// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host stand-in for vmm/log.c, shared by the unit tests: log_printk() and
 * log_vprintk() print to stderr with a level tag and count the lines in
 * stub_log_lines; log_printk_ratelimited() applies the same limit as the
 * VMM's; log_snprintf() and log_vsnprintf() are libc's vsnprintf (a superset
 * of the VMM's formats).
 */
#include <mamori/log.h>
#include <mamori/console.h>
#include <stdio.h>

static const char *const level_tag[] = {
	[LOG_FATAL] = "FATAL", [LOG_ERR] = "ERR", [LOG_WARN] = "WARN",
	[LOG_INFO] = "INFO", [LOG_DBG] = "DBG",
};

unsigned int stub_log_lines;

void log_vprintk(enum log_level level, const char *fmt, va_list ap)
{
	const char *tag = (unsigned)level <= LOG_DBG ? level_tag[level] : "?";

	stub_log_lines++;
	fprintf(stderr, "[%s] ", tag);
	vfprintf(stderr, fmt, ap);
}

void log_printk(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintk(level, fmt, ap);
	va_end(ap);
}

int log_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

int log_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = log_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void log_printk_ratelimited(u32 *n, enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (!log_ratelimit(n))
		return;
	va_start(ap, fmt);
	log_vprintk(level, fmt, ap);
	va_end(ap);
}

/* The queued console's flush (vmm/console.c); tests that model it define their own. */
unsigned int stub_console_flushes;

__attribute__((weak)) void console_flush(void)
{
	stub_console_flushes++;
}
