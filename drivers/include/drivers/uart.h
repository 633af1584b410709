/* SPDX-License-Identifier: GPL-2.0-only */
/* 16550 UART, polled. */
#ifndef MAMORI_DRIVERS_UART_H
#define MAMORI_DRIVERS_UART_H

#include <mamori/types.h>

#define UART_REG_COUNT	8	/* I/O ports a 16550 occupies */
#define UART_LSR_OFFSET	5	/* line status register */

/* uart_init - 115200 8N1, FIFOs on, interrupts off. */
void uart_init(u16 port);
/* uart_tx_ready - the transmit holding register is empty (uart_putc won't wait). */
bool uart_tx_ready(u16 port);
/* uart_putc - wait for THR empty (bounded) and send @c. */
void uart_putc(u16 port, char c);
/* uart_getc - one received byte, or -1 when none is waiting. */
int uart_getc(u16 port);

#endif
