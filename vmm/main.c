// SPDX-License-Identifier: GPL-2.0-only
/* VMM entry and the one explicit boot-phase list. */
#include "git_rev.h"
#include <mamori/auth.h>
#include <mamori/boot_info.h>
#include <mamori/console.h>
#include <mamori/devices.h>
#include <mamori/disk.h>
#include <mamori/filecheck.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/monitor.h>
#include <mamori/net.h>
#include <mamori/policy_boot.h>
#include <mamori/string.h>
#include <mamori/vm.h>
#include <mamori/vmm.h>

static struct boot_info vmm_boot_info;

static const char *const mem_type_names[] = {
	"reserved", "loader-code", "loader-data", "bs-code", "bs-data", "rt-code",
	"rt-data", "conventional", "unusable", "acpi-reclaim", "acpi-nvs", "mmio",
	"mmio-port", "pal-code", "persistent",
};

/* How the chain up to here was verified, as the loader saw it (docs/security.md). */
static void boot_chain_report(const struct boot_info *bi)
{
	if (bi->flags & BOOT_FLAG_SECURE_BOOT)
		pr_info("boot: chain: Secure Boot on (firmware verified the loader), "
			"loader verified vmm.elf\n");
	else
		pr_warn("boot: chain UNVERIFIED: UEFI Secure Boot is off, so nothing "
			"verified the loader that verified this VMM; whoever can write the "
			"ESP or the boot entries can run their own code before Mamori\n");
	if (bi->flags & BOOT_FLAG_VMM_DEV_KEY)
		pr_warn("boot: vmm.elf is signed with a DEVELOPMENT key: anyone with the "
			"build tree can sign a VMM this loader runs\n");
}

static int phase_boot_info(struct boot_info *bi)
{
	u64 ram = 0;
	u32 i;

	for (i = 0; i < bi->mem_count; i++)
		if (bi->mem[i].type == BOOT_MEM_CONVENTIONAL ||
		    (bi->mem[i].type >= BOOT_MEM_LOADER_CODE &&
		     bi->mem[i].type <= BOOT_MEM_BS_DATA))
			ram += bi->mem[i].pages * PAGE_SIZE;
	pr_info("boot: region 0x%lx..0x%lx (%lu MiB, image %lu KiB)\n",
		bi->vmm_base, bi->vmm_base + bi->vmm_size - 1, bi->vmm_size >> 20,
		bi->image_size >> 10);
	pr_dbg("boot: %u memory ranges, %lu MiB usable RAM, %u CPUs, ACPI RSDP 0x%lx\n",
		bi->mem_count, ram >> 20, bi->cpu_count, bi->acpi_rsdp);
	for (i = 0; i < bi->mem_count; i++)
		pr_dbg("  mem 0x%012lx-0x%012lx %s\n", bi->mem[i].base,
		       bi->mem[i].base + bi->mem[i].pages * PAGE_SIZE - 1,
		       bi->mem[i].type < ARRAY_SIZE(mem_type_names) ?
		       mem_type_names[bi->mem[i].type] : "other");
	if (bi->fb_present)
		pr_info("boot: framebuffer 0x%lx %ux%u stride %u\n", bi->fb.base,
			bi->fb.width, bi->fb.height, bi->fb.stride);
	pr_info("boot: policy %lu bytes, options \"%s\"\n", bi->policy_size, bi->options);
	boot_chain_report(bi);
	return VMM_OK;
}

static int phase_selftest(struct boot_info *bi)
{
	if (crypto_selftest()) {
		pr_err("crypto: known-answer self-test failed; refusing to start\n");
		return VMM_ERR_SELFTEST;
	}
	pr_dbg("crypto: mbedTLS known-answer self-test passed\n");
	return VMM_OK;
}

/* Resolve the policy's disk rules; any rule that cannot be enforced stops the boot. */
static int phase_disk(struct boot_info *bi)
{
	int ret = disk_init(bi, policy_active(), policy_secrets());

	if (ret) {
		policy_secrets_drop_keys();
		pr_err("disk: the policy's disk rules cannot be enforced (error %d)\n", ret);
		return VMM_ERR_DISK;
	}
	return VMM_OK;
}

/* The policy's network rules and CAK/CKNs, for the NIC intercepts of the devices phase. */
static int phase_net(struct boot_info *bi)
{
	int ret = net_init(policy_active(), policy_secrets());

	policy_secrets_drop_keys();	/* XTS schedules and the NIC layer's copies from now on */
	return ret ? VMM_ERR_NET : VMM_OK;
}

/* Every device intercept registers its traps; one that cannot stops the boot. */
static int phase_devices(struct boot_info *bi)
{
	return vmm_devices_init(vm_guest()) ? VMM_ERR_DEVICES : VMM_OK;
}

/*
 * Fail closed on coverage: an encrypted range that no intercept serves, or a
 * NIC to be blocked or encrypted that none intercepts, stops the boot.
 */
static int phase_coverage(struct boot_info *bi)
{
	if (disk_check_coverage()) {
		pr_err("disk: a disk rule is enforced by no intercept; refusing to launch\n");
		return VMM_ERR_DISK;
	}
	if (net_check_coverage()) {
		pr_err("net: a NIC escapes its network mode; refusing to launch\n");
		return VMM_ERR_NET;
	}
	return VMM_OK;
}

/* The boot phases, in order. Each returns VMM_OK or the status the loader reports. */
static const struct vmm_phase vmm_phases[] = {
	{ "boot-info", phase_boot_info },
	{ "selftest", phase_selftest },
	{ "policy", policy_boot_phase },
	{ "disk", phase_disk },
	{ "net", phase_net },
	{ "auth", auth_boot_phase },	/* the file-access dialog (require-auth rules) */
	{ "dma", platform_dma_phase },
	{ "pci", platform_pci_phase },
	{ "vm", arch_vmm_prepare },
	{ "monitor", monitor_boot_phase },	/* the policy's monitor partition */
	{ "devices", phase_devices },
	{ "filecheck", filecheck_boot },	/* reads the disks through the intercepts' readers */
	{ "dma-on", platform_dma_enable },	/* after the intercepts opened their DMA windows */
	{ "coverage", phase_coverage },
	{ "vmx", arch_vmm_launch },
};

static bool boot_info_valid(const struct boot_info *bi)
{
	return bi && bi->magic == BOOT_INFO_MAGIC && bi->version == BOOT_INFO_VERSION &&
	       bi->size == sizeof(*bi) && bi->mem_count <= BOOT_MEM_MAX &&
	       bi->cpu_count <= BOOT_CPUS_MAX && bi->disk_count <= BOOT_DISKS_MAX;
}

/* The set-up's time per phase, up to the launch (docs/testing.md, boot phases). */
static void log_phase_times(const u64 *t)
{
	char line[200];
	u32 i, len = 0;
	u64 now = arch_cycles();

	for (i = 0; i + 1 < ARRAY_SIZE(vmm_phases) && len < sizeof(line); i++)
		len += log_snprintf(line + len, sizeof(line) - len, " %s %lu",
				    vmm_phases[i].name,
				    ((i + 2 < ARRAY_SIZE(vmm_phases) ? t[i + 1] : now) - t[i]) / 1000);
	pr_info("boot: set-up kcycles:%s\n", line);
}

int vmm_entry(struct boot_info *loader_bi)
{
	struct boot_info *bi = &vmm_boot_info;
	u64 t[ARRAY_SIZE(vmm_phases)];
	u32 i;
	int rc;

	if (!boot_info_valid(loader_bi))
		return VMM_ERR_BOOT_INFO;
	memcpy(bi, loader_bi, sizeof(*bi));
	bi->options[BOOT_OPTIONS_MAX - 1] = 0;
	console_init(CONSOLE_UART_PORT);
	pr_info("mamori: vmm %s (%s) starting on the boot CPU\n", MAMORI_VERSION,
		MAMORI_GIT_REV);
	mm_init(bi->vmm_base, bi->vmm_size, bi->image_size);
	for (i = 0; i < ARRAY_SIZE(vmm_phases); i++) {
		if (i + 1 == ARRAY_SIZE(vmm_phases))
			log_phase_times(t);
		t[i] = arch_cycles();
		rc = vmm_phases[i].run(bi);
		if (rc != VMM_OK) {
			pr_err("mamori: phase %s failed (status %d); the loader halts\n",
			       vmm_phases[i].name, rc);
			return rc;
		}
	}
	return VMM_OK;
}
