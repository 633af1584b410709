// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: the guest-memory API (arch/x86_64/guest_mem.c, included so the
 * VMREADs can be faked) against a real EPT whose "host-physical" addresses
 * are this process's pages. Finding 8: a guest address the EPT maps but the
 * host page tables do not must be refused, not dereferenced.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include <asm/vmx.h>
static u64 fake_vmcs_read(u64 field);
#define vmcs_read fake_vmcs_read
#include "../../arch/x86_64/guest_mem.c"

#define PG		4096ULL
#define HIDDEN		0x10000000ULL	/* the VMM region: 16 MiB */
#define HIDDEN_SIZE	(16ULL << 20)
#define HOST_TOP	(1ULL << 47)	/* what "the host maps": this process's half */
#define BEYOND		(1ULL << 48)	/* EPT maps it; dereferencing it would crash */

static struct vm vm;
static u8 *ram;				/* 4 guest pages at GPA 0x1000.. */
static u64 guest_cr3;

bool host_phys_mapped(u64 pa, u64 len)
{
	return pa < HOST_TOP && len <= HOST_TOP - pa;
}

static u64 fake_vmcs_read(u64 field)
{
	if (field == GUEST_CR0)
		return X86_CR0_PG;
	if (field == GUEST_IA32_EFER)
		return EFER_LMA | EFER_LME;
	if (field == GUEST_CR3)
		return guest_cr3;
	return 0;
}

static void *alloc_page(void *ctx)
{
	void *p = aligned_alloc(PG, PG);

	memset(p, 0, PG);
	return p;
}

static void free_page(void *ctx, void *p)
{
	free(p);
}

static u64 v2p(void *ctx, void *p)
{
	return (u64)p;
}

static void *p2v(void *ctx, u64 pa)
{
	return (void *)pa;
}

static const struct ept_mm test_mm = { alloc_page, free_page, v2p, p2v, NULL };

static int setup(void **state)
{
	u32 i;

	memset(&vm, 0, sizeof(vm));
	ram = aligned_alloc(PG, 4 * PG);
	memset(ram, 0, 4 * PG);
	assert_int_equal(ept_init(&vm.arch.ept, &test_mm), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(ept_map_page(&vm.arch.ept, 0x1000 + i * PG, (u64)ram + i * PG,
					      EPT_RWX, EPT_MT_WB), 0);
	/* GPA 0x8000: identity-mapped by the EPT beyond the host's map (> 512 GiB RAM). */
	assert_int_equal(ept_map_page(&vm.arch.ept, 0x8000, BEYOND, EPT_RWX, EPT_MT_WB), 0);
	vm.arch.hidden_base = HIDDEN;
	vm.arch.hidden_size = HIDDEN_SIZE;
	vm.arch.sink_page = ram + 3 * PG;
	return 0;
}

static int teardown(void **state)
{
	ept_destroy(&vm.arch.ept);
	free(ram);
	return 0;
}

static void test_phys_copy(void **state)
{
	u8 buf[16] = "hello, guest";
	u8 back[16] = { 0 };

	assert_int_equal(guest_phys_write(&vm, 0x1ff8, buf, sizeof(buf)), 0);
	assert_int_equal(guest_phys_read(&vm, 0x1ff8, back, sizeof(back)), 0);
	assert_memory_equal(buf, back, sizeof(buf));
	assert_memory_equal(ram + 0xff8, buf, sizeof(buf));
	assert_int_equal(guest_phys_read(&vm, 0x6000, back, 1), -EFAULT);	/* not in EPT */
}

/* Finding 8: a DMA descriptor / buffer at a GPA the host does not map. */
static void test_phys_beyond_host_map(void **state)
{
	u8 b[8];

	assert_int_equal(guest_phys_read(&vm, 0x8000, b, sizeof(b)), -EFAULT);
	assert_int_equal(guest_phys_write(&vm, 0x8ff8, b, sizeof(b)), -EFAULT);
	/* The part before it is copied, the page beyond refused. */
	assert_int_equal(guest_phys_read(&vm, 0x7ffc, b, sizeof(b)), -EFAULT);
}

/* Finding 8: a guest page-table entry (here: CR3) or a hypercall buffer there. */
static void test_virt_beyond_host_map(void **state)
{
	u64 *pml4 = (u64 *)ram, *pdpt = (u64 *)(ram + PG);
	u8 b[8] = { 1 };

	guest_cr3 = 0x8000;
	assert_int_equal(arch_guest_read(&vm, 0x1000, b, sizeof(b)), -EFAULT);
	/* Walk through mapped tables to a 1 GiB page whose data lies beyond the map. */
	guest_cr3 = 0x1000;
	pml4[0] = 0x2000 | 0x3;
	pdpt[0] = 0x0 | 0x83;		/* 1 GiB page: GVA x -> GPA x */
	assert_int_equal(arch_guest_write(&vm, 0x8010, b, sizeof(b)), -EFAULT);
	assert_int_equal(arch_guest_read(&vm, 0x3000, b, sizeof(b)), 0);	/* mapped: fine */
	pml4[0] = 0x8000 | 0x3;		/* PDPT beyond the host map */
	assert_int_equal(arch_guest_read(&vm, 0x3000, b, sizeof(b)), -EFAULT);
}

static void test_range_hits_vmm(void **state)
{
	assert_false(vm_range_hits_vmm(&vm, 0, PG));
	assert_false(vm_range_hits_vmm(&vm, HIDDEN - PG, PG));
	assert_true(vm_range_hits_vmm(&vm, HIDDEN - PG, PG + 1));
	assert_true(vm_range_hits_vmm(&vm, HIDDEN + 5, 1));
	assert_true(vm_range_hits_vmm(&vm, HIDDEN + HIDDEN_SIZE - 1, 8));
	assert_false(vm_range_hits_vmm(&vm, HIDDEN + HIDDEN_SIZE, 8));
	assert_false(vm_range_hits_vmm(&vm, HIDDEN + 5, 0));
	assert_true(vm_range_hits_vmm(&vm, ~0ULL - 3, 8));		/* wraps */
	assert_int_equal(guest_phys_read(&vm, HIDDEN + 0x3000, ram, 4), -EFAULT);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_phys_copy),
		T(test_phys_beyond_host_map),
		T(test_virt_beyond_host_map),
		T(test_range_hits_vmm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
