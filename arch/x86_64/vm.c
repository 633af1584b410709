// SPDX-License-Identifier: GPL-2.0-only
/* x86 VM set-up: EPT with the VMM region hidden, I/O and MSR bitmaps. */
#include <asm/apic.h>
#include <asm/mtrr.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/vmx_msr.h>
#include <asm/vmx_setup.h>
#include <mamori/boot_info.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/mmio.h>
#include <mamori/errno.h>
#include <mamori/smp.h>
#include <mamori/vm.h>

static void *mm_alloc_page(void *ctx)
{
	return page_alloc(1);
}

static u64 mm_v2p(void *ctx, void *p)
{
	return virt_to_phys(p);
}

static void *mm_p2v(void *ctx, u64 pa)
{
	return phys_to_virt(pa);
}

const struct ept_mm vmm_ept_mm = {
	.alloc_page = mm_alloc_page,
	.virt_to_phys = mm_v2p,
	.phys_to_virt = mm_p2v,
};

void arch_vm_intercept_pio(struct vm *vm, u16 port, u16 count)
{
	u32 p;

	for (p = port; p < (u32)port + count; p++)
		vm->arch.io_bitmap[p / 8] |= 1 << (p % 8);
}

/*
 * SDM Vol. 3C, "Software Access to Related Structures" (24.11.4 in the
 * editions that number the VMCS chapter 24): the I/O bitmaps may be modified
 * only while no logical processor with a current VMCS that references them
 * is in VMX non-root operation. With one CPU in the machine the caller, in
 * an exit handler, is that processor, in root; its next VM entry uses the
 * new bits. Closing is always done (on SMP the bit was never cleared).
 */
int arch_vm_pio_pass(struct vm *vm, u16 port, bool pass)
{
	u8 *b = &vm->arch.io_bitmap[port / 8];

	if (!pass) {
		*b |= 1 << (port % 8);
		return 0;
	}
	if (!vm->arch.pio_pass_ok)
		return -EBUSY;
	*b &= ~(1 << (port % 8));
	return 0;
}

/*
 * The execute sink: "0f 0b f8" repeated. Entered at any offset, in any mode,
 * the guest reaches UD2 (0f 0b) within two instructions: UD2 itself, or
 * OR edi,eax (0b f8) then UD2, or CLC (f8) then UD2. So it takes #UD.
 */
static void sink_code_fill(u8 *page)
{
	static const u8 pat[3] = { 0x0f, 0x0b, 0xf8 };
	u32 i;

	for (i = 0; i < PAGE_SIZE; i++)
		page[i] = pat[i % 3];
}

static int build_ept(struct vm *vm, const struct boot_info *bi)
{
	struct arch_vm *a = &vm->arch;
	int rc;

	mtrr_read(&a->mtrr);
	rc = ept_init(&a->ept, &vmm_ept_mm);
	if (!rc)
		rc = ept_set_caps(&a->ept, vmx_cfg.ept_cap);
	if (!rc)
		rc = ept_build_identity(&a->ept, bi->mem, bi->mem_count, vmx_cfg.phys_bits,
					bi->vmm_base, bi->vmm_size, &a->mtrr);
	if (rc) {
		pr_err("vm%u: EPT build failed (%d)\n", vm->id, rc);
		return VMM_ERR_NOMEM;
	}
	pr_info("vm%u: EPT identity map of %u phys bits, %u table pages (%u KiB), VMM region 0x%lx+%lu MiB hidden\n",
		vm->id, vmx_cfg.phys_bits, a->ept.table_pages, a->ept.table_pages * 4,
		bi->vmm_base, bi->vmm_size >> 20);
	return VMM_OK;
}

int arch_vm_init(struct vm *vm, const struct boot_info *bi)
{
	struct arch_vm *a = &vm->arch;

	a->io_bitmap = page_alloc(2);
	a->msr_bitmap = page_alloc(1);
	a->sink_page = page_alloc(1);
	a->sink_code = page_alloc(1);
	if (!a->io_bitmap || !a->msr_bitmap || !a->sink_page || !a->sink_code)
		return VMM_ERR_NOMEM;
	sink_code_fill(a->sink_code);
	a->hidden_base = bi->vmm_base;
	a->hidden_size = bi->vmm_size;
	a->vpid = (u16)(vm->id + 1);
	a->pio_pass_ok = bi->cpu_count == 1;	/* no AP will ever share the bitmap */
	vmx_msr_bitmap_build(a->msr_bitmap, vmx_cfg.cpu2);
	return build_ept(vm, bi);
}

int arch_vm_hidden_access(struct vm *vm, u64 gpa, u64 qual)
{
	static u32 seen[3];	/* read, write, fetch */
	struct arch_vm *a = &vm->arch;
	u32 kind = (qual & EPT_VIOL_WRITE) ? 1 : (qual & EPT_VIOL_FETCH) ? 2 : 0;
	static const char *const kinds[] = { "read", "write", "fetch" };
	int rc;

	if (log_ratelimit(&seen[kind]))
		pr_warn("vm%u: guest %s of VMM memory at GPA 0x%lx refused (page now maps a %s sink)\n",
			vm->id, kinds[kind], gpa, kind == 2 ? "UD2" : "blank");
	spin_lock(&a->ept_lock);
	rc = ept_map_sink(&a->ept, gpa, qual, virt_to_phys(a->sink_page),
			  virt_to_phys(a->sink_code));
	spin_unlock(&a->ept_lock);
	if (!rc)
		arch_vm_ept_changed(vm);
	return rc;
}

/* One page of an MMIO region: identity, read-only for write traps, absent for read traps. */
static int mmio_protect_page(struct arch_vm *a, u64 gpa, u32 flags)
{
	u8 type = mtrr_type_at(&a->mtrr, gpa);

	if (flags & MMIO_TRAP_READ)
		return ept_unmap_range(&a->ept, gpa, PAGE_SIZE);
	return ept_map_page(&a->ept, gpa, gpa, (flags & MMIO_TRAP_WRITE) ? EPT_R | EPT_X :
			    EPT_RWX, type);
}

int arch_vm_mmio_protect(struct vm *vm, u64 gpa, u64 size, u32 flags)
{
	struct arch_vm *a = &vm->arch;
	u64 off;
	int rc = 0;

	if (vm_range_hits_vmm(vm, gpa, size))
		return -EINVAL;		/* the VMM's own region is no device */
	spin_lock(&a->ept_lock);
	for (off = 0; off < size && !rc; off += PAGE_SIZE)
		rc = mmio_protect_page(a, gpa + off, flags);
	spin_unlock(&a->ept_lock);
	arch_vm_ept_changed(vm);
	return rc;
}

void arch_vm_ept_sync(struct vm *vm)
{
	struct per_cpu *pc = this_cpu();
	u64 gen = __atomic_load_n(&vm->arch.ept_gen, __ATOMIC_SEQ_CST);
	u64 seen = pc->ept_gen_seen;

	if (seen >= gen)
		return;
	vmx_invept(INVEPT_ALL_CONTEXT, 0);
	/*
	 * Only ever forward: the NMI handler can run this in between (a kick),
	 * and a newer generation it stored must not be overwritten by ours.
	 */
	while (seen < gen && !__atomic_compare_exchange_n(&pc->ept_gen_seen, &seen, gen, false,
							   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
}

void arch_vm_ept_changed(struct vm *vm)
{
	struct per_cpu *me = this_cpu(), *pc;
	u64 gen = __atomic_add_fetch(&vm->arch.ept_gen, 1, __ATOMIC_SEQ_CST);
	u32 c, spin;

	if (!vm->arch.ept_live)
		return;		/* before the boot CPU's launch no CPU caches it */
	arch_vm_ept_sync(vm);
	for (c = 0; c < PERCPU_MAX; c++) {
		pc = percpu_get(c);
		/* Only running CPUs can hold stale translations in use; the others
		 * sync on their next exit (SIPI) before running guest code. */
		if (!pc || pc == me || pc->vm != vm || pc->state != CPU_RUNNING)
			continue;
		__atomic_add_fetch(&pc->nmi_kicks, 1, __ATOMIC_SEQ_CST);
		apic_send_ipi(pc->apic_id, APIC_DM_NMI | APIC_LEVEL_ASSERT);
		for (spin = 0; pc->ept_gen_seen < gen && spin < 100000000; spin++)
			cpu_relax();
		if (pc->ept_gen_seen < gen)
			pr_err("vm%u: cpu%u did not acknowledge the EPT shootdown\n", vm->id,
			       pc->cpu_id);
	}
}
