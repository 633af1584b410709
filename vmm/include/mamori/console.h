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
/*
 * Output is queued in a ring (CONSOLE_RING_SIZE bytes, in VMM memory) and sent
 * while the UART takes it, so the guest runs while a line goes out at 115200
 * baud (~87 us a byte) instead of waiting for it: console_poll() on every VM
 * exit sends what the UART has room for. Nothing is dropped: a full ring
 * waits for the UART. What must be on the wire before the VMM stops, resets,
 * powers off or waits for input is flushed (console_flush(); warning, error
 * and fatal lines, prompts (console_write_line()), audit lines and the reset
 * and power-off paths do it), so only info and debug lines wait, drained over
 * the next VM exits and by console_getc() polls.
 */
#define CONSOLE_RING_SIZE	8192

/* console_queue_line - queue @s whole, "\n" -> "\r\n"; send what fits now. */
void console_queue_line(const char *s);
/* console_write_line - console_queue_line() and console_flush(): on the wire on return. */
void console_write_line(const char *s);
/* console_flush - wait until every queued byte is sent. */
void console_flush(void);
/* console_poll - send queued bytes the UART has room for; never waits (VM exits). */
void console_poll(void);
/* console_getc - console_poll(), then poll for one input byte; -1 when none is waiting. */
int console_getc(void);

#endif
