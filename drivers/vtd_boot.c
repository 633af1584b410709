// SPDX-License-Identifier: GPL-2.0-only
/* The VMM's VT-d boot phase and register intercept: see <drivers/vtd.h>. */
#include <drivers/vtd.h>
#include <asm/processor.h>
#include <asm/spinlock.h>
#include <asm/tsc.h>
#include <asm/vmx_exit.h>
#include <mamori/boot_info.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/policy_boot.h>
#include <mamori/vm.h>

#define VTD_ACPI_LIMIT		(1ULL << 39)	/* identity-mapped under UEFI and the VMM */
#define VTD_REGS_LIMIT		(1ULL << 32)	/* in the VMM's host map in every mode */
#define VTD_POLL_CYCLES		(1ULL << 24)

static struct vtd vtd_state;
static struct dmar_info vtd_dmar;
static struct vtd_space vtd_sp;
static spinlock_t vtd_fault_lock = SPINLOCK_INIT;
static u64 vtd_last_poll;

static const void *vtd_acpi_map(void *ctx, u64 pa, u64 len)
{
	return pa < VTD_ACPI_LIMIT && len <= VTD_ACPI_LIMIT - pa ? phys_to_virt(pa) : NULL;
}

static void *vtd_alloc_page(void *ctx)
{
	return page_alloc(1);
}

static u64 vtd_virt_to_phys(void *ctx, void *p)
{
	return virt_to_phys(p);
}

/* The DMA map: the RAM of the loader's memory map, less the VMM region. */
static void vtd_space(const struct boot_info *bi, struct vtd_space *sp)
{
	sp->mem = bi->mem;
	sp->mem_count = MIN(bi->mem_count, (u32)BOOT_MEM_MAX);
	mm_region(&sp->hole_base, &sp->hole_size);
}

static int vtd_find_dmar(const struct boot_info *bi, struct dmar_info *dmar)
{
	const struct acpi_map map = { vtd_acpi_map, NULL };
	u64 pa;
	u32 len;
	int err;

	if (!bi->acpi_rsdp)
		return -ENOENT;
	err = acpi_find_table(&map, bi->acpi_rsdp, "DMAR", &pa, &len);
	if (err) {
		if (err != -ENOENT)
			pr_err("vtd: the ACPI tables at RSDP 0x%llx are malformed (%d)\n",
			       (unsigned long long)bi->acpi_rsdp, err);
		return err;
	}
	err = dmar_parse(phys_to_virt(pa), len, dmar);
	if (err)
		pr_err("vtd: DMAR table at 0x%llx (%u bytes) refused (%d)\n",
		       (unsigned long long)pa, len, err);
	return err ? err : (dmar->unit_count ? 0 : -ENOENT);
}

/* Poll every enabled unit's faults; false if one no longer translates. */
static bool vtd_poll_all(void)
{
	bool ok = true;
	u32 i;

	spin_lock(&vtd_fault_lock);
	for (i = 0; i < vtd_state.unit_count; i++) {
		struct vtd_unit *u = &vtd_state.units[i];

		if (!u->enabled)
			continue;
		vtd_fault_poll(u, NULL, 0);
		ok &= !vtd_unit_check(&vtd_state, u);
	}
	spin_unlock(&vtd_fault_lock);
	return ok;
}

static int vtd_probe_dmar(struct boot_info *bi)
{
	u32 i;

	for (i = 0; i < vtd_dmar.unit_count; i++) {
		if (vtd_dmar.units[i].reg_base >= VTD_REGS_LIMIT) {
			pr_err("vtd: unit registers at 0x%llx are above 4 GiB (not supported)\n",
			       (unsigned long long)vtd_dmar.units[i].reg_base);
			return -ENOSYS;
		}
	}
	vtd_space(bi, &vtd_sp);
	vtd_state.mm = (struct vtd_mm){ vtd_alloc_page, vtd_virt_to_phys, NULL, NULL };
	return vtd_probe_all(&vtd_state, &vtd_dmar, &vtd_sp);
}

int vtd_boot_phase(struct boot_info *bi)
{
	u8 mode = policy_iommu_mode(policy_active());
	int err = vtd_find_dmar(bi, &vtd_dmar);

	if (err == -ENOENT)
		return vtd_boot_verdict(mode, true, NULL, 0) ? VMM_ERR_IOMMU : VMM_OK;
	if (!err)
		err = vtd_probe_dmar(bi);
	if (!err)
		return VMM_OK;
	vtd_state.unit_count = 0;	/* nothing is used, hidden or polled */
	return vtd_boot_verdict(mode, false, "probing", err) ? VMM_ERR_IOMMU : VMM_OK;
}

int vtd_enable_phase(struct boot_info *bi)
{
	int err;

	if (!vtd_state.unit_count)
		return VMM_OK;	/* judged by vtd_boot_phase() */
	err = vtd_enable_probed(&vtd_state, &vtd_dmar, &vtd_sp);
	if (err && vtd_boot_verdict(policy_iommu_mode(policy_active()), false, "enabling", err))
		return VMM_ERR_IOMMU;
	return vtd_poll_all() ? VMM_OK : VMM_ERR_IOMMU;
}

int vtd_dma_window(u16 bdf, void *va, u64 size)
{
	int err;

	if (!vtd_state.unit_count)
		return 0;	/* no remapping hardware: nothing to open */
	err = vtd_add_window(&vtd_state, &vtd_sp, bdf, virt_to_phys(va), size);
	if (err)
		pr_err("vtd: DMA window 0x%llx (%llu bytes) for %02x:%02x.%u refused (%d)\n",
		       (unsigned long long)virt_to_phys(va), (unsigned long long)size, bdf >> 8,
		       (bdf >> 3) & 0x1f, bdf & 7, err);
	return err;
}

void vtd_poll_faults(void)
{
	/* Devices may now reach the VMM region: stop everything (fail closed). */
	if (!vtd_poll_all())
		platform_reset("vtd: DMA remapping turned off or redirected behind the VMM");
}

void vtd_poll_periodic(void)
{
	u64 now = rdtsc(), last = __atomic_load_n(&vtd_last_poll, __ATOMIC_RELAXED);

	if (!vtd_state.unit_count || now - last < VTD_POLL_CYCLES ||
	    !__atomic_compare_exchange_n(&vtd_last_poll, &last, now, false, __ATOMIC_RELAXED,
					 __ATOMIC_RELAXED))
		return;
	vtd_poll_faults();
}

/* The guest sees a unit that reads as all zeroes (no address widths: OSes skip it). */
static int vtd_regs_mmio(struct vm *vm, void *priv, u64 gpa, u32 size, bool write, u64 *val)
{
	static bool logged;

	if (!logged) {
		logged = true;
		pr_warn("vtd: guest %s 0x%llx in the remapping unit's registers: hidden (logged once)\n",
			write ? "wrote" : "read", (unsigned long long)gpa);
	}
	if (!write)
		*val = 0;
	vtd_poll_faults();
	return 0;
}

int vtd_intercept_init(struct vm *vm)
{
	u32 i;
	int err;

	/* Before the dma-on phase: every probed unit (enabled there, or no boot). */
	for (i = 0; i < vtd_state.unit_count; i++) {
		struct vtd_unit *u = &vtd_state.units[i];

		err = vm_register_mmio(vm, u->reg_base, u->reg_size,
				       MMIO_TRAP_READ | MMIO_TRAP_WRITE, "vtd", vtd_regs_mmio, u);
		if (err)
			return err;
	}
	return 0;
}
