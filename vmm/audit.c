// SPDX-License-Identifier: GPL-2.0-only
/* The audit ring: the last AUDIT_LINES audit lines, also on the VMM log. */
#include <mamori/audit.h>
#include <mamori/console.h>
#include <mamori/log.h>
#include <mamori/string.h>
#include <asm/spinlock.h>

struct audit_line {
	u16 len;
	char text[AUDIT_LINE_MAX];
};

static struct audit_line audit_ring[AUDIT_LINES];
static u64 audit_seq;			/* sequence of the next line */
static spinlock_t audit_lock = SPINLOCK_INIT;

static void audit_vlog(u32 *limit, const char *fmt, va_list ap)
{
	char buf[AUDIT_LINE_MAX];
	struct audit_line *l;
	int n;

	n = log_vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	if (n < 0)
		n = 0;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	if (n && buf[n - 1] == '\n')
		n--;
	buf[n++] = '\n';
	buf[n] = 0;
	if (!limit || log_ratelimit(limit)) {
		pr_info("audit: %s", buf);
		console_flush();	/* evidence is on the wire, not in RAM (F16) */
	}
	spin_lock(&audit_lock);
	l = &audit_ring[audit_seq % AUDIT_LINES];
	memcpy(l->text, buf, (size_t)n);
	l->len = (u16)n;
	audit_seq++;
	spin_unlock(&audit_lock);
}

void audit_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	audit_vlog(NULL, fmt, ap);
	va_end(ap);
}

void audit_log_ratelimited(u32 *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	audit_vlog(n, fmt, ap);
	va_end(ap);
}

u32 audit_read(u64 from, char *buf, u32 size, u64 *first, u64 *next)
{
	u32 len = 0;
	u64 s;

	spin_lock(&audit_lock);
	if (audit_seq > AUDIT_LINES && from < audit_seq - AUDIT_LINES)
		from = audit_seq - AUDIT_LINES;
	if (from > audit_seq)
		from = audit_seq;
	*first = from;
	for (s = from; s < audit_seq; s++) {
		const struct audit_line *l = &audit_ring[s % AUDIT_LINES];

		if (len + l->len > size)
			break;
		memcpy(buf + len, l->text, l->len);
		len += l->len;
	}
	*next = s;
	spin_unlock(&audit_lock);
	return len;
}

void audit_reset(void)
{
	spin_lock(&audit_lock);
	memset(audit_ring, 0, sizeof(audit_ring));
	audit_seq = 0;
	spin_unlock(&audit_lock);
}
