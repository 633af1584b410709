/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMM's trusted console: one UART the VMM owns (COM2 by default). The guest
 * cannot reach it once the VMX core intercepts its ports. All CPUs write whole
 * lines under one lock.
 */
#ifndef MAMORI_CONSOLE_H
#define MAMORI_CONSOLE_H

#include <mamori/types.h>

/*
 * The trusted console's UART, fixed in the signed vmm.elf (COM2): the loader's
 * load options are runtime-writable, so they must not choose it (security
 * review 1, finding 1). The policy's `console uart` section must name it.
 */
#define CONSOLE_UART_PORT	0x2f8

/* console_init - program the UART at @port (115200 8N1). */
void console_init(u16 port);
/* console_port - the I/O base of the console UART (0 before console_init). */
u16 console_port(void);
/* console_write_line - write @s whole, "\n" -> "\r\n", serialised across CPUs. */
void console_write_line(const char *s);
/* console_getc - poll for one input byte; returns -1 when none is waiting. */
int console_getc(void);

#endif
