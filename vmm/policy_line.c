// SPDX-License-Identifier: GPL-2.0-only
/* The passphrase line reader of the policy phase: pure, no I/O of its own. */
#include <mamori/policy_boot.h>

#define CH_CTRL_U	0x15
#define CH_BS		0x08
#define CH_ESC		0x1b
#define CH_DEL		0x7f

enum esc_state { ESC_NONE, ESC_START, ESC_CSI };

void policy_wipe(void *p, size_t n)
{
	volatile u8 *d = p;

	while (n--)
		*d++ = 0;
}

static void pause_once(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/* Drop an escape sequence: ESC, then ESC [ or ESC O up to the final byte. */
static bool in_escape(u8 *st, int c)
{
	switch (*st) {
	case ESC_START:
		*st = (c == '[' || c == 'O') ? ESC_CSI : ESC_NONE;
		return true;
	case ESC_CSI:
		if (c >= 0x40 && c <= 0x7e)
			*st = ESC_NONE;
		return true;
	default:
		if (c != CH_ESC)
			return false;
		*st = ESC_START;
		return true;
	}
}

void policy_line_init(struct policy_line *l, char *buf, size_t size)
{
	l->buf = buf;
	l->size = size;
	l->n = 0;
	l->esc = ESC_NONE;
	l->overflow = false;
	buf[0] = 0;
}

/* Finish the line: NUL-terminate, or wipe it when it overflowed. */
static int line_end(struct policy_line *l)
{
	l->buf[l->n] = 0;
	if (!l->overflow)
		return POLICY_LINE_OK;
	policy_wipe(l->buf, l->size);
	l->n = 0;
	return POLICY_LINE_TOO_LONG;
}

int policy_line_feed(struct policy_line *l, int c)
{
	if (in_escape(&l->esc, c))
		return POLICY_LINE_MORE;
	if (c == '\r' || c == '\n')
		return line_end(l);
	if (c == CH_BS || c == CH_DEL) {
		if (l->n)
			l->buf[--l->n] = 0;
	} else if (c == CH_CTRL_U) {
		policy_wipe(l->buf, l->n);
		l->n = 0;
		l->overflow = false;
	} else if (c < 0x20) {
		return POLICY_LINE_MORE;
	} else if (l->n + 1 < l->size) {
		l->buf[l->n++] = (char)c;
	} else {
		l->overflow = true;
	}
	return POLICY_LINE_MORE;
}

int policy_read_line(int (*getc)(void *ctx), void *ctx, char *buf, size_t size,
		     size_t *len)
{
	struct policy_line l;
	int c, rc;

	policy_line_init(&l, buf, size);
	for (;;) {
		c = getc(ctx);
		if (c == POLICY_GETC_NONE) {
			pause_once();
			continue;
		}
		if (c == POLICY_GETC_EOF || c < 0)
			break;
		rc = policy_line_feed(&l, c & 0xff);
		if (rc != POLICY_LINE_MORE) {
			*len = l.n;
			return rc;
		}
	}
	policy_wipe(buf, size);
	*len = 0;
	return POLICY_LINE_EOF;
}
