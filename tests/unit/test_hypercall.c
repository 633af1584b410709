// SPDX-License-Identifier: GPL-2.0-only
/* Hypercall dispatch (vmm/hypercall.c) with the arch side stubbed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <mamori/audit.h>
#include <mamori/errno.h>
#include <mamori/hypercall.h>
#include <mamori/monitor.h>
#include <mamori/vm.h>

static u8 guest_buf[HC_COPY_MAX];
static u64 last_gva, last_len;
static int fail_write;

int arch_guest_write(struct vm *vm, u64 gva, const void *buf, u64 len)
{
	if (fail_write)
		return -EFAULT;
	last_gva = gva;
	last_len = len;
	memcpy(guest_buf, buf, len);
	return 0;
}

u32 arch_exit_stats(u64 *out, u32 reasons, u64 *total)
{
	u32 i, n = reasons < 71 ? reasons : 71;

	*total = 0;
	for (i = 0; i < n; i++) {
		out[i] = i == 10 ? 3052 : i == 18 ? 1 : 0;	/* cpuid, vmcall */
		*total += out[i];
	}
	return n;
}

static struct vm vm;


static void test_version(void **state)
{
	assert_int_equal(hypercall_dispatch(&vm, HC_VERSION, 0, 0, 0, 0),
			 ((s64)HC_ABI_MAJOR << 32) | (HC_ABI_MINOR << 16) | HC_ABI_PATCH);
}

static void test_exit_stats(void **state)
{
	const struct hc_exit_stats *st = (const void *)guest_buf;
	s64 n;

	fail_write = 0;
	n = hypercall_dispatch(&vm, HC_EXIT_STATS, 0x7000, 4096, 0, 0);
	assert_int_equal(n, 16 + 71 * 8);
	assert_int_equal(last_gva, 0x7000);
	assert_int_equal(last_len, (u64)n);
	assert_int_equal(st->reasons, 71);
	assert_int_equal(st->total, 3053);
	assert_int_equal(st->count[10], 3052);
	assert_int_equal(st->count[18], 1);
}

static void test_exit_stats_small_buffer(void **state)
{
	const struct hc_exit_stats *st = (const void *)guest_buf;

	fail_write = 0;
	/* room for the header and 4 counters only: no more is written */
	assert_int_equal(hypercall_dispatch(&vm, HC_EXIT_STATS, 0x7000, 16 + 4 * 8 + 7, 0, 0),
			 16 + 4 * 8);
	assert_int_equal(st->reasons, 4);
	assert_int_equal(last_len, 16 + 4 * 8);
}

static void test_exit_stats_refusals(void **state)
{
	fail_write = 0;
	assert_int_equal(hypercall_dispatch(&vm, HC_EXIT_STATS, 0x7000, 8, 0, 0), -EINVAL);
	assert_int_equal(hypercall_dispatch(&vm, HC_EXIT_STATS, 0x7000, 4097, 0, 0), -EINVAL);
	fail_write = 1;
	assert_int_equal(hypercall_dispatch(&vm, HC_EXIT_STATS, 0x7000, 4096, 0, 0), -EFAULT);
}

static void test_unknown(void **state)
{
	assert_int_equal(hypercall_dispatch(&vm, HC_COUNT, 0, 0, 0, 0), -ENOSYS);
	assert_int_equal(hypercall_dispatch(&vm, ~0ULL, 0, 0, 0, 0), -ENOSYS);
}

extern unsigned int stub_log_lines;
extern unsigned int stub_console_flushes;

/* The audit ring through HC_AUDIT_READ: order, sequence numbers, whole lines. */
static void test_audit_read(void **state)
{
	const struct hc_audit *a = (const void *)guest_buf;
	unsigned int before = stub_log_lines, flushes = stub_console_flushes;
	s64 n;

	audit_reset();
	fail_write = 0;
	n = hypercall_dispatch(&vm, HC_AUDIT_READ, 0x7000, 4096, 0, 0);
	assert_int_equal(n, 24);
	assert_int_equal(a->len, 0);
	assert_int_equal(a->first, 0);
	assert_int_equal(a->next, 0);
	audit_log("file rule %u: one", 0);
	audit_log("file rule %u: two\n", 1);	/* a trailing newline is not doubled */
	assert_int_equal(stub_log_lines - before, 2);	/* each on the VMM log too */
	/* ... and on the wire when audit_log() returns, not queued (review 3 F16) */
	assert_int_equal(stub_console_flushes - flushes, 2);
	n = hypercall_dispatch(&vm, HC_AUDIT_READ, 0x7000, 4096, 0, 0);
	assert_int_equal(a->len, strlen("file rule 0: one\nfile rule 1: two\n"));
	assert_memory_equal(a->text, "file rule 0: one\nfile rule 1: two\n", a->len);
	assert_int_equal(n, 24 + a->len);
	assert_int_equal(a->next, 2);
	/* from the next sequence: only what is new */
	n = hypercall_dispatch(&vm, HC_AUDIT_READ, 0x7000, 4096, 1, 0);
	assert_int_equal(a->first, 1);
	assert_memory_equal(a->text, "file rule 1: two\n", a->len);
	/* a buffer too small for the next whole line gets none */
	n = hypercall_dispatch(&vm, HC_AUDIT_READ, 0x7000, 24 + 10, 0, 0);
	assert_int_equal(a->len, 0);
	assert_int_equal(a->next, 0);
	assert_int_equal(hypercall_dispatch(&vm, HC_AUDIT_READ, 0x7000, 23, 0, 0), -EINVAL);
	assert_int_equal(hypercall_dispatch(&vm, HC_AUDIT_READ, 0x7000, 4097, 0, 0), -EINVAL);
	fail_write = 1;
	assert_int_equal(hypercall_dispatch(&vm, HC_AUDIT_READ, 0x7000, 4096, 0, 0), -EFAULT);
	fail_write = 0;
}

/* Overwritten lines are skipped to the oldest kept; a long line is cut whole. */
static void test_audit_wrap(void **state)
{
	const struct hc_audit *a = (const void *)guest_buf;
	char big[600];
	u64 from = 0;
	u32 i, lines = 0;

	audit_reset();
	for (i = 0; i < AUDIT_LINES + 5; i++)
		audit_log("line %u", i);
	hypercall_dispatch(&vm, HC_AUDIT_READ, 0x7000, 4096, 0, 0);
	assert_int_equal(a->first, 5);
	assert_memory_equal(a->text, "line 5\n", 7);
	/* read everything in 4 KiB pieces, following next */
	for (;;) {
		hypercall_dispatch(&vm, HC_AUDIT_READ, 0x7000, 4096, from, 0);
		if (!a->len)
			break;
		for (i = 0; i < a->len; i++)
			lines += a->text[i] == '\n';
		from = a->next;
	}
	assert_int_equal(lines, AUDIT_LINES);
	assert_int_equal(from, AUDIT_LINES + 5);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	audit_log("%s", big);
	hypercall_dispatch(&vm, HC_AUDIT_READ, 0x7000, 4096, from, 0);
	assert_int_equal(a->len, AUDIT_LINE_MAX - 1);
	assert_int_equal(a->text[a->len - 1], '\n');
	assert_int_equal(a->text[a->len - 2], 'x');
}

/* Finding 13: a guest looping on a bad hypercall cannot flood the VMM log. */
static void test_unknown_ratelimited(void **state)
{
	unsigned int before = stub_log_lines, i;

	for (i = 0; i < 100; i++)
		hypercall_dispatch(&vm, HC_COUNT + 7, 0, 0, 0, 0);
	assert_in_range(stub_log_lines - before, 0, 10);
}

/* Issue 14: the monitor's hypercalls are refused from the guest, with EPERM. */
static void test_monitor_only_refused(void **state)
{
	u64 nr;

	for (nr = HC_MON_BASE; nr < HC_MON_END; nr++)
		assert_int_equal(hypercall_dispatch(&vm, nr, 0x1000, 16, 0, 0), -EPERM);
	assert_int_equal(hypercall_dispatch(&vm, HC_MON_END, 0, 0, 0, 0), -ENOSYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_exit_stats),
		cmocka_unit_test(test_exit_stats_small_buffer),
		cmocka_unit_test(test_exit_stats_refusals),
		cmocka_unit_test(test_monitor_only_refused),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_unknown_ratelimited),
		cmocka_unit_test(test_audit_read),
		cmocka_unit_test(test_audit_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
