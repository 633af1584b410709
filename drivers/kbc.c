// SPDX-License-Identifier: GPL-2.0-only
/* The 8042's reset line: see <drivers/kbc.h>. */
#include <asm/io.h>
#include <asm/spinlock.h>
#include <drivers/kbc.h>
#include <mamori/log.h>
#include <mamori/reset.h>
#include <mamori/vm.h>

static spinlock_t kbc_lock = SPINLOCK_INIT;
static struct kbc_track kbc_state;

bool kbc_write_resets(struct kbc_track *t, u16 port, u8 val)
{
	bool out = t->output_next;

	if (port == KBC_CMD_PORT) {
		t->output_next = val == KBC_CMD_WRITE_OUTPUT;
		return (val & 0xf0) == 0xf0 && !(val & KBC_OUT_RESET_N);
	}
	t->output_next = false;
	return port == KBC_DATA_PORT && out && !(val & KBC_OUT_RESET_N);
}

static int kbc_pio(struct vm *vm, void *priv, u16 port, u32 size, bool in, u32 *val)
{
	spin_lock(&kbc_lock);
	if (in) {
		*val = port_in(port, size);
	} else {
		if (kbc_write_resets(&kbc_state, port, (u8)*val))
			reset_wipe_secrets(port == KBC_CMD_PORT ?
					   "guest reset through the keyboard controller (0x64)" :
					   "guest reset through the keyboard controller's output port");
		port_out(port, size, *val);
	}
	spin_unlock(&kbc_lock);
	return 0;
}

int kbc_init(struct vm *vm)
{
	int rc = vm_register_pio(vm, KBC_DATA_PORT, 1, "kbc-data", kbc_pio, NULL);

	if (!rc)
		rc = vm_register_pio(vm, KBC_CMD_PORT, 1, "kbc-cmd", kbc_pio, NULL);
	if (rc)
		pr_err("kbc: cannot intercept the keyboard controller at 0x60/0x64 (%d)\n", rc);
	return rc;
}
