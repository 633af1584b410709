// SPDX-License-Identifier: GPL-2.0-only
/* Host stand-in for the VMM log: messages go to stderr with their level. */
#include <stdio.h>
#include <mamori/log.h>

static const char *const stub_log_names[] = { "FATAL", "ERR", "WARN", "INFO", "DBG" };

void log_vprintk(enum log_level level, const char *fmt, va_list ap)
{
	fprintf(stderr, "[%s] ", (unsigned)level < 5 ? stub_log_names[level] : "?");
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
