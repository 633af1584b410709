// SPDX-License-Identifier: GPL-2.0-only
/* e1000: the EEPROM interface (EECD Microwire bit-banging, EERD) emulated read-only. */
#include "e1000_priv.h"
#include <mamori/string.h>

#define E1000_EERD_POLL		100000u	/* EERD reads while DONE is clear, at most */
#define EE_GUEST_PINS		(E1000_EECD_SK | E1000_EECD_CS | E1000_EECD_DI | E1000_EECD_REQ)
#define EE_OP_READ		2u	/* after the start bit: 10b; 01b write, 11b erase, 00b the rest */

enum { EE_IDLE, EE_CMD, EE_READ, EE_REFUSED };

static u32 ee_abits(const struct e1000_nic *n)
{
	return n->ee.hw & E1000_EECD_SIZE ? 8 : 6;
}

/* One word through the device's own read register; 0xffff when it never completes. */
static u16 ee_word(struct e1000_nic *n, u32 addr)
{
	u32 i, v;

	hw_wr(n, E1000_EERD, E1000_EERD_START | addr << E1000_EERD_ADDR_SHIFT);
	for (i = 0; i < E1000_EERD_POLL; i++) {
		v = hw_rd(n, E1000_EERD);
		if (v & E1000_EERD_DONE)
			return v >> E1000_EERD_DATA_SHIFT;
	}
	e1000_log(n, "EEPROM read through EERD did not complete", addr);
	return 0xffff;
}

void e1000_eeprom_init(struct e1000_nic *n)
{
	u32 v = hw_rd(n, E1000_EECD);

	memset(&n->ee, 0, sizeof(n->ee));
	n->ee.hw = v & (E1000_EECD_PRES | E1000_EECD_SIZE);
	if (v & EE_GUEST_PINS)		/* whatever the firmware left: EERD needs it released */
		hw_wr(n, E1000_EECD, v & ~(u32)EE_GUEST_PINS);
}

u32 e1000_eecd_read(struct e1000_nic *n)
{
	struct e1000_eeprom *e = &n->ee;
	u32 v = e->hw | e->pins;

	if (e->pins & E1000_EECD_REQ)
		v |= E1000_EECD_GNT;
	if (e->state == EE_READ && e->out)
		v |= E1000_EECD_DO;
	return v;
}

/* A command bit clocked in (rising SK with CS high). */
static void ee_cmd_bit(struct e1000_nic *n, u32 di)
{
	struct e1000_eeprom *e = &n->ee;
	u32 abits = ee_abits(n);

	if (!e->nbits && !di)
		return;				/* zeros before the start bit */
	e->cmd = e->cmd << 1 | di;
	if (++e->nbits == 3 && (e->cmd & 3) != EE_OP_READ) {
		e1000_log(n, "EEPROM write/erase/enable command (EECD)", e->cmd & 3);
		e->state = EE_REFUSED;		/* DO stays low: the guest's write times out */
		return;
	}
	if (e->nbits == 3 + abits) {
		e->addr = e->cmd & ((1u << abits) - 1);
		e->word = ee_word(n, e->addr);
		e->bit = 0;
		e->out = false;			/* the dummy 0 before D15 */
		e->state = EE_READ;
	}
}

/* A data bit clocked out: D15 first; past D0 the next word (sequential read). */
static void ee_out_bit(struct e1000_nic *n)
{
	struct e1000_eeprom *e = &n->ee;

	if (e->bit == 16) {
		e->addr = (e->addr + 1) & ((1u << ee_abits(n)) - 1);
		e->word = ee_word(n, e->addr);
		e->bit = 0;
	}
	e->out = e->word >> (15 - e->bit++) & 1;
}

void e1000_eecd_write(struct e1000_nic *n, u32 val)
{
	struct e1000_eeprom *e = &n->ee;
	u32 old = e->pins;

	e->pins = val & EE_GUEST_PINS;
	if (!(val & E1000_EECD_CS)) {
		e->state = EE_IDLE;
		return;
	}
	if (!(old & E1000_EECD_CS) || e->state == EE_IDLE) {
		e->state = EE_CMD;		/* chip select rose: a new command */
		e->cmd = e->nbits = 0;
	}
	if ((old & E1000_EECD_SK) || !(val & E1000_EECD_SK))
		return;				/* only a rising clock moves a bit */
	if (e->state == EE_CMD)
		ee_cmd_bit(n, !!(val & E1000_EECD_DI));
	else if (e->state == EE_READ)
		ee_out_bit(n);
}

void e1000_eerd_write(struct e1000_nic *n, u32 val)
{
	u32 addr = val >> E1000_EERD_ADDR_SHIFT & 0xff;

	n->ee.eerd = addr << E1000_EERD_ADDR_SHIFT;
	if (val & E1000_EERD_START)
		n->ee.eerd |= (u32)ee_word(n, addr) << E1000_EERD_DATA_SHIFT | E1000_EERD_DONE;
}
