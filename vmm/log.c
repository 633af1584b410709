// SPDX-License-Identifier: GPL-2.0-only
#include <mamori/log.h>
#include <mamori/console.h>

#ifndef LOG_LEVEL_DEFAULT
#define LOG_LEVEL_DEFAULT LOG_INFO
#endif

static enum log_level log_level_max = LOG_LEVEL_DEFAULT;
static const char *const level_tag[] = {
	[LOG_FATAL] = "FATAL: ", [LOG_ERR] = "error: ", [LOG_WARN] = "warning: ",
	[LOG_INFO] = "", [LOG_DBG] = "debug: ",
};

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_c(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_num(struct fmt_out *o, u64 v, u32 base, bool upper, bool neg,
		    int width, char pad)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		width--;
	if (neg && pad == '0')
		out_c(o, '-');
	for (; width > n; width--)
		out_c(o, pad);
	if (neg && pad != '0')
		out_c(o, '-');
	while (n)
		out_c(o, tmp[--n]);
}

static u64 arg_unsigned(va_list *ap, int lng)
{
	if (lng >= 2)
		return va_arg(*ap, unsigned long long);
	if (lng == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static s64 arg_signed(va_list *ap, int lng)
{
	if (lng >= 2)
		return va_arg(*ap, long long);
	if (lng == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static void out_str(struct fmt_out *o, const char *s, int width)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while (s[n])
		n++;
	for (; width > n; width--)
		out_c(o, ' ');
	while (*s)
		out_c(o, *s++);
}

static void out_conv(struct fmt_out *o, char c, va_list *ap, int lng, int width, char pad)
{
	s64 sv;

	switch (c) {
	case 'd': case 'i':
		sv = arg_signed(ap, lng);
		out_num(o, sv < 0 ? -(u64)sv : (u64)sv, 10, false, sv < 0, width, pad);
		break;
	case 'u': out_num(o, arg_unsigned(ap, lng), 10, false, false, width, pad); break;
	case 'x': out_num(o, arg_unsigned(ap, lng), 16, false, false, width, pad); break;
	case 'X': out_num(o, arg_unsigned(ap, lng), 16, true, false, width, pad); break;
	case 'p':
		out_str(o, "0x", 0);
		out_num(o, (u64)va_arg(*ap, void *), 16, false, false, width, pad);
		break;
	case 's': out_str(o, va_arg(*ap, const char *), width); break;
	case 'c': out_c(o, (char)va_arg(*ap, int)); break;
	case '%': out_c(o, '%'); break;
	default: out_c(o, '%'); out_c(o, c); break;
	}
}

int log_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { .buf = buf, .size = size };
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		int lng = 0, width = 0;
		char pad = ' ';

		if (*fmt != '%') {
			out_c(&o, *fmt++);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = *fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z')
			lng += (*fmt++ == 'z') ? 2 : 1;
		if (!*fmt)
			break;
		out_conv(&o, *fmt++, &aq, lng, width, pad);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
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

void log_vprintk(enum log_level level, const char *fmt, va_list ap)
{
	char line[256];
	int n;

	if (level > log_level_max)
		return;
	n = log_snprintf(line, sizeof(line), "%s", level_tag[level]);
	log_vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	/*
	 * Warnings and worse are on the wire on return (what stops the VMM, what
	 * a guest triggered); info and debug lines go out while the guest runs.
	 */
	if (level <= LOG_WARN)
		console_write_line(line);
	else
		console_queue_line(line);
}

void log_printk(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintk(level, fmt, ap);
	va_end(ap);
}

void log_printk_ratelimited(u32 *n, enum log_level level, const char *fmt, ...)
{
	u32 k = __atomic_add_fetch(n, 1, __ATOMIC_RELAXED);
	char msg[192];
	va_list ap;
	int len;

	if (!log_ratelimit_pass(k))
		return;
	va_start(ap, fmt);
	if (k <= LOG_RATELIMIT_BURST) {
		log_vprintk(level, fmt, ap);
		va_end(ap);
		return;
	}
	len = log_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (len > 0 && (size_t)len < sizeof(msg) && msg[len - 1] == '\n')
		msg[len - 1] = 0;
	log_printk(level, "%s [%u times, rate-limited]\n", msg, k);
}
