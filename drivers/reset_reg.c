// SPDX-License-Identifier: GPL-2.0-only
/* The ACPI reset register: see <drivers/reset_reg.h>. */
#include <asm/io.h>
#include <drivers/kbc.h>
#include <drivers/reset_reg.h>
#include <mamori/boot_info.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/reset.h>
#include <mamori/vm.h>

#define RESET_ACPI_LIMIT	(1ULL << 39)	/* identity-mapped under UEFI and the VMM */
#define RESET_CF9		0xcf9
#define RESET_CF9_RST_CPU	0x04

static struct acpi_reset_reg reset_reg;
static bool reset_reg_port;

static int reset_reg_classify(const struct acpi_reset_reg *r)
{
	struct kbc_track t = { false };

	if (r->space != ACPI_SPACE_IO)
		return RESET_REG_UNCOVERED;
	if (r->addr > 0xffff)
		return RESET_REG_UNCOVERED;
	if (r->addr == RESET_CF9)
		return r->value & RESET_CF9_RST_CPU ? RESET_REG_CF9 : RESET_REG_UNCOVERED;
	if (r->addr == KBC_CMD_PORT)
		return kbc_write_resets(&t, KBC_CMD_PORT, r->value) ? RESET_REG_KBC :
		       RESET_REG_UNCOVERED;
	if (r->addr >= 0xcf8 && r->addr <= 0xcff)
		return RESET_REG_UNCOVERED;	/* inside the PCI intercept's ports */
	return r->addr == KBC_DATA_PORT ? RESET_REG_UNCOVERED : RESET_REG_PORT;
}

int reset_reg_use(const struct acpi_reset_reg *r)
{
	static const char *const space[] = { "memory", "I/O", "PCI configuration" };
	int c = r ? reset_reg_classify(r) : RESET_REG_NONE;

	reset_reg_port = c == RESET_REG_PORT;
	if (r)
		reset_reg = *r;
	switch (c) {
	case RESET_REG_NONE:
		pr_info("reset: no ACPI reset register\n");
		break;
	case RESET_REG_CF9:
	case RESET_REG_KBC:
		pr_info("reset: ACPI reset register: port 0x%llx, value 0x%x (covered by the %s intercept)\n",
			(unsigned long long)r->addr, r->value, c == RESET_REG_CF9 ? "0xcf9" : "8042");
		break;
	case RESET_REG_PORT:
		pr_info("reset: ACPI reset register: port 0x%llx, value 0x%x: intercepted\n",
			(unsigned long long)r->addr, r->value);
		break;
	default:
		pr_warn("reset: ACPI reset register in %s space at 0x%llx, value 0x%x: not intercepted; a guest reset through it leaves the disk keys in DRAM\n",
			r->space < ARRAY_SIZE(space) ? space[r->space] : "an unknown",
			(unsigned long long)r->addr, r->value);
	}
	return c;
}

static const void *reset_acpi_map(void *ctx, u64 pa, u64 len)
{
	return pa < RESET_ACPI_LIMIT && len <= RESET_ACPI_LIMIT - pa ? phys_to_virt(pa) : NULL;
}

int reset_reg_boot_phase(struct boot_info *bi)
{
	const struct acpi_map map = { reset_acpi_map, NULL };
	struct acpi_reset_reg r;
	u64 pa;
	u32 len;
	int err = bi->acpi_rsdp ? acpi_find_table(&map, bi->acpi_rsdp, "FACP", &pa, &len) :
		  -ENOENT;

	if (!err)
		err = acpi_fadt_reset_reg(phys_to_virt(pa), len, &r);
	if (err == -ENOENT) {
		reset_reg_use(NULL);
		return VMM_OK;
	}
	if (err) {
		pr_err("reset: the ACPI FADT cannot be read (%d): its reset register is unknown\n", err);
		return VMM_ERR_DEVICES;
	}
	reset_reg_use(&r);
	return VMM_OK;
}

static int reset_reg_pio(struct vm *vm, void *priv, u16 port, u32 size, bool in, u32 *val)
{
	if (in) {
		*val = port_in(port, size);
		return 0;
	}
	if ((u8)*val == reset_reg.value)
		reset_wipe_secrets("guest wrote the ACPI reset value");
	port_out(port, size, *val);
	return 0;
}

int reset_reg_init(struct vm *vm)
{
	int rc;

	if (!reset_reg_port)
		return 0;
	rc = vm_register_pio(vm, (u16)reset_reg.addr, 1, "acpi-reset", reset_reg_pio, NULL);
	if (rc)
		pr_err("reset: cannot intercept the ACPI reset register at port 0x%llx (%d)\n",
		       (unsigned long long)reset_reg.addr, rc);
	return rc;
}
