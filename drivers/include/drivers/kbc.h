/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The 8042 keyboard controller's CPU reset line. A guest resets the machine
 * with command 0xfe at port 0x64 (any 0xf0-0xff pulse command with bit 0
 * clear pulses the reset line) or by writing the output port (command 0xd1,
 * then a data byte at 0x60 with bit 0, the reset line, clear). Both ports
 * pass through to the hardware; a write that resets wipes the secrets first
 * (<mamori/reset.h>).
 */
#ifndef DRIVERS_KBC_H
#define DRIVERS_KBC_H

#include <mamori/types.h>

#define KBC_DATA_PORT		0x60
#define KBC_CMD_PORT		0x64
#define KBC_CMD_WRITE_OUTPUT	0xd1	/* next data byte: the output port */
#define KBC_OUT_RESET_N		BIT(0)	/* output port bit 0: CPU reset, active low */

/* struct kbc_track - the controller state the reset check needs. */
struct kbc_track {
	bool output_next;	/* the next data byte goes to the output port */
};

/*
 * kbc_write_resets - whether the guest's byte @val written to @port (0x60 or
 * 0x64) resets the machine; updates @t (0xd1 arms the output-port write, any
 * other command or the data byte disarms it).
 */
bool kbc_write_resets(struct kbc_track *t, u16 port, u8 val);

struct vm;

/* kbc_init - intercept ports 0x60 and 0x64 (pass-through, resets checked). 0 or an error. */
int kbc_init(struct vm *vm);

#endif
