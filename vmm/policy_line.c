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
static bool in_escape(enum esc_state *st, int c)
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

int policy_read_line(int (*getc)(void *ctx), void *ctx, char *buf, size_t size,
		     size_t *len)
{
	enum esc_state esc = ESC_NONE;
	bool overflow = false;
	size_t n = 0;
	int c;

	for (;;) {
		c = getc(ctx);
		if (c == POLICY_GETC_NONE) {
			pause_once();
			continue;
		}
		if (c == POLICY_GETC_EOF || c < 0)
			break;
		if (in_escape(&esc, c))
			continue;
		if (c == '\r' || c == '\n')
			break;
		if (c == CH_BS || c == CH_DEL) {
			if (n)
				buf[--n] = 0;
		} else if (c == CH_CTRL_U) {
			policy_wipe(buf, n);
			n = 0;
			overflow = false;
		} else if (c < 0x20) {
			continue;
		} else if (n + 1 < size) {
			buf[n++] = (char)c;
		} else {
			overflow = true;
		}
	}
	buf[n] = 0;
	*len = n;
	if (c >= 0 && !overflow)
		return POLICY_LINE_OK;
	policy_wipe(buf, size);
	*len = 0;
	return overflow && c >= 0 ? POLICY_LINE_TOO_LONG : POLICY_LINE_EOF;
}
