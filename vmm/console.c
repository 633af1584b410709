// SPDX-License-Identifier: GPL-2.0-only
#include <mamori/console.h>
#include <drivers/uart.h>
#include <asm/spinlock.h>

static u16 con_port;
static spinlock_t con_lock = SPINLOCK_INIT;

void console_init(u16 port)
{
	con_port = port;
	uart_init(port);
}

u16 console_port(void)
{
	return con_port;
}

void console_write_line(const char *s)
{
	if (!con_port)
		return;
	spin_lock(&con_lock);
	for (; *s; s++) {
		if (*s == '\n')
			uart_putc(con_port, '\r');
		uart_putc(con_port, *s);
	}
	spin_unlock(&con_lock);
}

int console_getc(void)
{
	return con_port ? uart_getc(con_port) : -1;
}
