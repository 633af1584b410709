// SPDX-License-Identifier: GPL-2.0-only
#include <drivers/uart.h>
#include <asm/io.h>

#define UART_THR	0
#define UART_RBR	0
#define UART_DLL	0
#define UART_IER	1
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define LSR_DR		0x01
#define LSR_THRE	0x20

void uart_init(u16 port)
{
	outb(port + UART_IER, 0x00);
	outb(port + UART_LCR, 0x80);	/* DLAB */
	outb(port + UART_DLL, 0x01);	/* 115200 */
	outb(port + UART_DLM, 0x00);
	outb(port + UART_LCR, 0x03);	/* 8N1 */
	outb(port + UART_FCR, 0x07);
	outb(port + UART_MCR, 0x03);	/* DTR | RTS, no OUT2: no interrupts */
}

bool uart_tx_ready(u16 port)
{
	return inb(port + UART_LSR) & LSR_THRE;
}

void uart_putc(u16 port, char c)
{
	u32 spin = 1000000;

	while (!(inb(port + UART_LSR) & LSR_THRE) && --spin)
		;
	outb(port + UART_THR, (u8)c);
}

int uart_getc(u16 port)
{
	if (!(inb(port + UART_LSR) & LSR_DR))
		return -1;
	return inb(port + UART_RBR);
}
