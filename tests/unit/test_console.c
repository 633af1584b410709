// SPDX-License-Identifier: GPL-2.0-only
/*
 * The queued console (vmm/console.c) against a model UART: one transmit
 * holding register that empties after a set number of LSR reads (the line's
 * time), so the tests see what waits and what does not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <mamori/console.h>
#include <drivers/uart.h>

static char wire[4 * CONSOLE_RING_SIZE];
static u32 wire_len;
static u32 busy;		/* LSR reads until the THR is empty again */
static u32 byte_time;		/* busy after each byte sent */
static u32 waits;		/* LSR reads uart_putc spent waiting */
static int rx = -1;		/* one input byte, or -1 */
static u32 wire_at_getc;	/* wire_len when input was first read */

void uart_init(u16 port) { }

bool uart_tx_ready(u16 port)
{
	if (busy) {
		busy--;
		return false;
	}
	return true;
}

void uart_putc(u16 port, char c)
{
	while (!uart_tx_ready(port))
		waits++;
	assert_true(wire_len < sizeof(wire));
	wire[wire_len++] = c;
	busy = byte_time;
}

int uart_getc(u16 port)
{
	int c = rx;

	wire_at_getc = wire_len;
	rx = -1;
	return c;
}

static int setup(void **state)
{
	console_flush();
	wire_len = busy = waits = 0;
	byte_time = 3;
	memset(wire, 0, sizeof(wire));
	return 0;
}

static void test_queue_does_not_wait(void **state)
{
	console_queue_line("ab\n");
	/* The first byte goes out at once; the rest waits for the UART. */
	assert_int_equal(wire_len, 1);
	assert_int_equal(waits, 0);
	console_poll();		/* the UART is still busy: nothing, no wait */
	assert_int_equal(wire_len, 1);
	console_poll();
	console_poll();
	console_poll();		/* byte time over: one more */
	assert_int_equal(wire_len, 2);
	console_flush();
	assert_int_equal(wire_len, 4);
	assert_memory_equal(wire, "ab\r\n", 4);
}

static void test_write_line_is_on_the_wire(void **state)
{
	console_queue_line("one\n");
	console_write_line("two\n");
	assert_int_equal(wire_len, 10);
	assert_memory_equal(wire, "one\r\ntwo\r\n", 10);
}

static void test_full_ring_waits_never_drops(void **state)
{
	static char line[200];
	u32 i, n = 0;

	memset(line, 'x', sizeof(line) - 2);
	line[sizeof(line) - 2] = '\n';
	for (i = 0; i < 3 * CONSOLE_RING_SIZE / sizeof(line); i++) {
		line[0] = (char)('a' + i % 26);
		console_queue_line(line);
	}
	assert_true(waits > 0);		/* a full ring waited for the UART */
	console_flush();
	assert_int_equal(wire_len, i * sizeof(line));	/* each "\n" became "\r\n" */
	for (i = 0; i < wire_len; i += sizeof(line), n++)
		assert_int_equal(wire[i], 'a' + n % 26);
}

/*
 * console_getc() never waits for the queue (review 3 F12: a dialog polled
 * from guest exits, with the guest filling the ring, would wait for all of
 * it), yet a polling reader drains it: the prompt goes out byte by byte.
 */
static void test_getc_pumps_never_waits(void **state)
{
	u32 polls = 0;

	console_queue_line("passphrase: ");
	assert_true(wire_len < 12);
	waits = 0;
	assert_int_equal(console_getc(), -1);
	assert_int_equal(waits, 0);
	assert_true(wire_len < 12);
	while (wire_len < 12 && ++polls < 1000)
		assert_int_equal(console_getc(), -1);
	assert_int_equal(wire_len, 12);
	assert_int_equal(waits, 0);
	rx = 'y';
	assert_int_equal(console_getc(), 'y');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_queue_does_not_wait, setup),
		cmocka_unit_test_setup(test_write_line_is_on_the_wire, setup),
		cmocka_unit_test_setup(test_full_ring_waits_never_drops, setup),
		cmocka_unit_test_setup(test_getc_pumps_never_waits, setup),
	};

	console_init(0x2f8);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
