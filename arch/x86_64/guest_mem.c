// SPDX-License-Identifier: GPL-2.0-only
/* Guest virtual -> guest physical -> host, through the guest's paging and the EPT. */
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/vmx.h>
#include <mamori/errno.h>
#include <mamori/guest_mem.h>
#include <mamori/mm.h>
#include <mamori/string.h>
#include <mamori/vm.h>

#define PTE_P		BIT(0)
#define PTE_W		BIT(1)
#define PTE_PS		BIT(7)
#define PTE_ADDR	0x000ffffffffff000ULL

bool vm_range_hits_vmm(const struct vm *vm, u64 gpa, u64 len)
{
	const struct arch_vm *a = &vm->arch;

	if (gpa + len < gpa)
		return true;
	return len && gpa < a->hidden_base + a->hidden_size && gpa + len > a->hidden_base;
}

/*
 * Host pointer of guest-physical @gpa if the EPT lets the guest access it so
 * and the host maps it: never the VMM's region (but its sink), never beyond
 * the host's identity map, where the VMM itself would fault.
 */
static void *gpa_to_host(struct vm *vm, u64 gpa, u32 need)
{
	u64 hpa;
	u32 perms;

	if (ept_lookup(&vm->arch.ept, gpa, &hpa, &perms, NULL, NULL))
		return NULL;
	if ((perms & need) != need)
		return NULL;
	if (vm_range_hits_vmm(vm, hpa, 1) &&	/* identity: an HPA is its GPA */
	    ALIGN_DOWN(hpa, PAGE_SIZE) != virt_to_phys(vm->arch.sink_page))
		return NULL;
	if (!host_phys_mapped(ALIGN_DOWN(hpa, PAGE_SIZE), PAGE_SIZE))
		return NULL;
	return phys_to_virt(hpa);
}

/* 4-level walk (long mode); without paging the address is physical. */
static int gva_to_gpa(struct vm *vm, u64 gva, bool write, u64 *gpa)
{
	u64 cr0 = vmcs_read(GUEST_CR0), table = vmcs_read(GUEST_CR3) & PTE_ADDR;
	int level;

	if (!(cr0 & X86_CR0_PG)) {
		*gpa = gva;
		return 0;
	}
	if (!(vmcs_read(GUEST_IA32_EFER) & EFER_LMA))
		return -EFAULT;		/* 32-bit paging guests: not supported */
	for (level = 3; level >= 0; level--) {
		u64 *t = gpa_to_host(vm, table, EPT_R), e;
		u32 shift = 12 + 9 * level;

		if (!t)
			return -EFAULT;
		e = t[(gva >> shift) & 511];
		if (!(e & PTE_P) || (write && !(e & PTE_W)))
			return -EFAULT;
		if (level && level < 3 && (e & PTE_PS)) {
			*gpa = (e & PTE_ADDR & ~((1ULL << shift) - 1)) | (gva & ((1ULL << shift) - 1));
			return 0;
		}
		table = e & PTE_ADDR;
	}
	*gpa = table | (gva & 0xfff);
	return 0;
}

/* host_copy - @n bytes from @buf to @host (@write) or back. */
static void host_copy(u8 *host, u8 *buf, u64 n, bool write)
{
	if (write)
		memcpy(host, buf, n);
	else
		memcpy(buf, host, n);
}

static int guest_virt_copy(struct vm *vm, u64 gva, u8 *buf, u64 len, bool write)
{
	if (len > HC_COPY_MAX || gva + len < gva)
		return -EFAULT;
	while (len) {
		u64 gpa, chunk = MIN(len, PAGE_SIZE - (gva & 0xfff));
		u8 *host;

		if (gva_to_gpa(vm, gva, write, &gpa))
			return -EFAULT;
		host = gpa_to_host(vm, gpa, write ? EPT_R | EPT_W : EPT_R);
		if (!host)
			return -EFAULT;
		host_copy(host, buf, chunk, write);
		gva += chunk;
		buf += chunk;
		len -= chunk;
	}
	return 0;
}

int arch_guest_write(struct vm *vm, u64 gva, const void *buf, u64 len)
{
	return guest_virt_copy(vm, gva, (u8 *)buf, len, true);
}

int arch_guest_read(struct vm *vm, u64 gva, void *buf, u64 len)
{
	return guest_virt_copy(vm, gva, buf, len, false);
}

static int guest_phys_copy(struct vm *vm, u64 gpa, u8 *buf, u64 len, bool write)
{
	if (vm_range_hits_vmm(vm, gpa, len))
		return -EFAULT;		/* the VMM's region, even where a sink page stands in */
	while (len) {
		u64 chunk = MIN(len, PAGE_SIZE - (gpa & 0xfff));
		u8 *host = gpa_to_host(vm, gpa, write ? EPT_R | EPT_W : EPT_R);

		if (!host)
			return -EFAULT;
		host_copy(host, buf, chunk, write);
		gpa += chunk;
		buf += chunk;
		len -= chunk;
	}
	return 0;
}

int guest_phys_read(struct vm *vm, u64 gpa, void *buf, u64 len)
{
	return guest_phys_copy(vm, gpa, buf, len, false);
}

int guest_phys_write(struct vm *vm, u64 gpa, const void *buf, u64 len)
{
	return guest_phys_copy(vm, gpa, (u8 *)buf, len, true);
}
