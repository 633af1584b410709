// SPDX-License-Identifier: GPL-2.0-only
/*
 * The monitor VM's memory (docs/monitor.md): private pages from the VMM
 * region (hidden from the guest with it), its own EPT (private memory RWX,
 * guest RAM read-only at MON_WINDOW_BASE, nothing else), the page tables it
 * starts with, its image; and the guest vCPU snapshots it reads.
 */
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include <asm/vmx_monitor.h>
#include <asm/vmx_setup.h>
#include <mamori/boot_info.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/monitor.h>
#include <mamori/string.h>
#include <mamori/vm.h>
#include <mamori/vmm.h>

#define PTE_P		BIT(0)
#define PTE_W		BIT(1)
#define PTE_PS		BIT(7)
#define PTE_NX		BIT(63)
#define SZ_2M		0x200000ULL
#define SZ_1G		0x40000000ULL

struct mon_vm mon_vm = { .vm = { .id = 1, .name = "monitor" } };

static struct mon_ram_range mon_ram[MON_RAM_RANGES_MAX];
static u32 mon_nram;

/* Record a mapped range, merged with the last one when adjacent. */
static void mon_ram_add(u64 base, u64 size)
{
	if (mon_nram && mon_ram[mon_nram - 1].base + mon_ram[mon_nram - 1].size == base) {
		mon_ram[mon_nram - 1].size += size;
		return;
	}
	if (mon_nram < MON_RAM_RANGES_MAX)
		mon_ram[mon_nram++] = (struct mon_ram_range){ base, size };
}

u32 arch_monitor_rammap(struct mon_ram_range *out, u32 n)
{
	u32 i;

	for (i = 0; i < n && i < mon_nram; i++)
		out[i] = mon_ram[i];
	return i;
}

static const u8 *mon_image;
static u64 mon_image_size;

static bool mon_ram_type(u32 type)
{
	switch (type) {
	case BOOT_MEM_LOADER_CODE: case BOOT_MEM_LOADER_DATA:
	case BOOT_MEM_BS_CODE: case BOOT_MEM_BS_DATA:
	case BOOT_MEM_RT_CODE: case BOOT_MEM_RT_DATA:
	case BOOT_MEM_CONVENTIONAL: case BOOT_MEM_ACPI_RECLAIM:
	case BOOT_MEM_ACPI_NVS: case BOOT_MEM_PERSISTENT:
		return true;
	}
	return false;
}

/* One RAM range into the window, read-only, clipped to it and around the VMM region. */
static int mon_map_ram(struct ept *ept, u64 base, u64 end, u64 hide_base, u64 hide_end)
{
	int rc = 0;

	if (end > MON_WINDOW_MAX)
		end = MON_WINDOW_MAX;
	if (base >= end)
		return 0;
	if (base < hide_base && end > hide_base)
		rc = mon_map_ram(ept, hide_end, end, hide_base, hide_end);
	if (base < hide_end && end > hide_base) {
		if (base >= hide_base) {
			base = hide_end;
		} else {
			end = hide_base;
		}
	}
	if (rc || base >= end)
		return rc;
	if (mon_nram == MON_RAM_RANGES_MAX)
		return 0;	/* not reported to the monitor: not mapped either */
	mon_ram_add(base, end - base);
	return ept_map_range(ept, MON_WINDOW_BASE + base, base, end - base, EPT_R, EPT_MT_WB,
			     EPT_PAGE_2M);
}

static int mon_build_ept(const struct boot_info *bi)
{
	struct ept *ept = &mon_vm.vm.arch.ept;
	u64 hb = bi->vmm_base, he = bi->vmm_base + bi->vmm_size, end;
	u32 i;
	int rc;

	rc = ept_init(ept, &vmm_ept_mm);
	if (!rc)
		rc = ept_set_caps(ept, vmx_cfg.ept_cap);
	if (!rc)	/* page 0 stays unmapped: a null pointer faults */
		rc = ept_map_range(ept, PAGE_SIZE, virt_to_phys(mon_vm.mem) + PAGE_SIZE,
				   MON_MEM_SIZE - PAGE_SIZE, EPT_RWX, EPT_MT_WB, 0);
	for (i = 0; !rc && i < bi->mem_count; i++) {
		if (!mon_ram_type(bi->mem[i].type))
			continue;
		end = bi->mem[i].base + bi->mem[i].pages * PAGE_SIZE;
		rc = mon_map_ram(ept, bi->mem[i].base & ~(PAGE_SIZE - 1), end, hb, he);
		if (!rc && end > mon_vm.window)
			mon_vm.window = end;
	}
	if (mon_vm.window > MON_WINDOW_MAX)
		mon_vm.window = MON_WINDOW_MAX;
	mon_vm.window = (mon_vm.window + SZ_2M - 1) & ~(SZ_2M - 1);
	return rc;
}

/* Its page tables at MON_PT_BASE: private memory identity (no page 0), the window RO+NX. */
static void mon_build_pt(u8 *mem)
{
	u64 *pml4 = (u64 *)(mem + MON_PT_BASE), *pdpt = pml4 + 512, *pd = pdpt + 512;
	u64 *pt = pd + 512, *wpdpt = pt + 512, *wpd = wpdpt + 512;
	u64 a, n;

	pml4[0] = (MON_PT_BASE + 0x1000) | PTE_P | PTE_W;
	pdpt[0] = (MON_PT_BASE + 0x2000) | PTE_P | PTE_W;
	pd[0] = (MON_PT_BASE + 0x3000) | PTE_P | PTE_W;
	for (a = PAGE_SIZE; a < MON_MEM_SIZE; a += PAGE_SIZE)
		pt[a / PAGE_SIZE] = a | PTE_P | PTE_W;
	pml4[MON_WINDOW_BASE >> 39] = (MON_PT_BASE + 0x4000) | PTE_P | PTE_W;
	for (n = 0; n * SZ_1G < mon_vm.window; n++)
		wpdpt[n] = (MON_PT_BASE + 0x5000 + n * PAGE_SIZE) | PTE_P | PTE_W;
	for (a = 0; a < mon_vm.window; a += SZ_2M)
		wpd[a / SZ_2M] = (MON_WINDOW_BASE + a) | PTE_P | PTE_PS | PTE_NX;
}

void mon_vm_reset_memory(void)
{
	memset(mon_vm.mem, 0, MON_MEM_SIZE);
	mon_build_pt(mon_vm.mem);
	memcpy(mon_vm.mem + MON_LOAD_BASE, mon_image, mon_image_size);
}

int arch_monitor_init(const struct boot_info *bi, const void *image, u64 image_size)
{
	_Static_assert(MON_PT_BASE + (5 + MON_WINDOW_MAX / SZ_1G) * PAGE_SIZE <= MON_PT_END,
		       "monitor page tables overlap its image");
	if (image_size > MON_MEM_SIZE - MON_STACK_SIZE - MON_LOAD_BASE) {
		pr_err("monitor: program of %lu bytes does not fit\n", image_size);
		return VMM_ERR_NOMEM;
	}
	mon_image = image;
	mon_image_size = image_size;
	mon_vm.mem = page_alloc(MON_MEM_SIZE / PAGE_SIZE);
	mon_vm.msr_bitmap = page_alloc(1);
	if (!mon_vm.mem || !mon_vm.msr_bitmap)
		return VMM_ERR_NOMEM;
	memset(mon_vm.msr_bitmap, 0xff, PAGE_SIZE);	/* every RDMSR/WRMSR exits */
	mon_vm.vm.arch.vpid = 2;
	if (mon_build_ept(bi)) {
		pr_err("monitor: EPT build failed\n");
		return VMM_ERR_NOMEM;
	}
	mon_vm_reset_memory();
	vmx_monitor_trap_msrs(vm_guest()->arch.msr_bitmap);
	pr_info("monitor: private memory 0x%lx+%lu KiB inside the hidden VMM region, EPT %u table pages\n",
		virt_to_phys(mon_vm.mem), MON_MEM_SIZE >> 10, mon_vm.vm.arch.ept.table_pages);
	return VMM_OK;
}

void *arch_monitor_mem(u64 gpa, u64 len)
{
	if (gpa < MON_LOAD_BASE || len > MON_MEM_SIZE || gpa > MON_MEM_SIZE - len)
		return NULL;
	return mon_vm.mem + gpa;
}

u64 arch_monitor_window(void)
{
	return mon_vm.window;
}

/* Seqlock'd per-CPU snapshots, each written only by its own CPU. */
static struct mon_vcpu_state mon_snap[PERCPU_MAX];

void mon_snapshot_refresh(struct per_cpu *pc)
{
	struct mon_vcpu_state *s = &mon_snap[pc->cpu_id];
	u64 seq = s->seq;

	__atomic_store_n(&s->seq, seq | 1, __ATOMIC_SEQ_CST);
	s->cpu = pc->cpu_id;
	s->valid = 1;
	s->tsc = rdtsc();
	s->rip = vmcs_read(GUEST_RIP);
	s->cr0 = (vmcs_read(CR0_READ_SHADOW) & vmcs_read(CR0_GUEST_HOST_MASK)) |
		 (vmcs_read(GUEST_CR0) & ~vmcs_read(CR0_GUEST_HOST_MASK));
	s->cr4 = (vmcs_read(CR4_READ_SHADOW) & vmcs_read(CR4_GUEST_HOST_MASK)) |
		 (vmcs_read(GUEST_CR4) & ~vmcs_read(CR4_GUEST_HOST_MASK));
	s->cr3 = vmcs_read(GUEST_CR3);
	s->efer = vmcs_read(GUEST_IA32_EFER);
	s->idtr_base = vmcs_read(GUEST_IDTR_BASE);
	s->idtr_limit = (u32)vmcs_read(GUEST_IDTR_LIMIT);
	s->gdtr_base = vmcs_read(GUEST_GDTR_BASE);
	s->gdtr_limit = (u32)vmcs_read(GUEST_GDTR_LIMIT);
	s->sysenter_cs = vmcs_read(GUEST_SYSENTER_CS);
	s->sysenter_esp = vmcs_read(GUEST_SYSENTER_ESP);
	s->sysenter_eip = vmcs_read(GUEST_SYSENTER_EIP);
	s->star = rdmsr(MSR_STAR);		/* the guest's: the VMM never switches these */
	s->lstar = rdmsr(MSR_STAR + 1);
	s->cstar = rdmsr(MSR_STAR + 2);
	__atomic_store_n(&s->seq, (seq | 1) + 1, __ATOMIC_SEQ_CST);
}

u32 arch_monitor_snapshot(struct mon_vcpu_state *out, u32 n)
{
	u32 c, k = 0, tries;
	u64 seq;

	for (c = 0; c < PERCPU_MAX && k < n; c++) {
		if (!percpu_get(c))
			continue;
		for (tries = 0; tries < 8; tries++) {
			seq = __atomic_load_n(&mon_snap[c].seq, __ATOMIC_SEQ_CST);
			out[k] = mon_snap[c];
			if (!(seq & 1) && seq == __atomic_load_n(&mon_snap[c].seq, __ATOMIC_SEQ_CST))
				break;
		}
		out[k].cpu = c;
		k++;
	}
	return k;
}
