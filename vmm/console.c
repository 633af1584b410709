// SPDX-License-Identifier: GPL-2.0-only
#include <mamori/console.h>
#include <drivers/uart.h>
#include <asm/spinlock.h>

static u16 con_port;
static spinlock_t con_lock = SPINLOCK_INIT;
static char con_ring[CONSOLE_RING_SIZE];
static u32 con_head, con_tail;	/* free-running; con_head - con_tail bytes queued */

void console_init(u16 port)
{
	con_port = port;
	uart_init(port);
}

u16 console_port(void)
{
	return con_port;
}

/* Send queued bytes while the UART takes them; with @wait, all of them. */
static void con_pump(bool wait)
{
	while (con_tail != con_head) {
		if (!wait && !uart_tx_ready(con_port))
			return;
		uart_putc(con_port, con_ring[con_tail++ % CONSOLE_RING_SIZE]);
	}
}

static void con_put(char c)
{
	if (con_head - con_tail == CONSOLE_RING_SIZE)	/* full: wait, never drop */
		uart_putc(con_port, con_ring[con_tail++ % CONSOLE_RING_SIZE]);
	con_ring[con_head++ % CONSOLE_RING_SIZE] = c;
}

void console_queue_line(const char *s)
{
	if (!con_port)
		return;
	spin_lock(&con_lock);
	for (; *s; s++) {
		if (*s == '\n')
			con_put('\r');
		con_put(*s);
	}
	con_pump(false);
	spin_unlock(&con_lock);
}

void console_flush(void)
{
	if (!con_port)
		return;
	spin_lock(&con_lock);
	con_pump(true);
	spin_unlock(&con_lock);
}

void console_write_line(const char *s)
{
	console_queue_line(s);
	console_flush();
}

void console_poll(void)
{
	if (!con_port || __atomic_load_n(&con_head, __ATOMIC_RELAXED) ==
	    __atomic_load_n(&con_tail, __ATOMIC_RELAXED) || !spin_trylock(&con_lock))
		return;
	con_pump(false);
	spin_unlock(&con_lock);
}

int console_getc(void)
{
	/*
	 * Callers poll: each call sends what the UART takes now, so a prompt
	 * goes out while its answer is awaited, and a dialog polled from guest
	 * exits never waits here for a queue the guest keeps filling (review 3
	 * F12).
	 */
	console_poll();
	return con_port ? uart_getc(con_port) : -1;
}
