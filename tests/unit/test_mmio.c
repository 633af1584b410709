// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMIO intercept registry and dispatch (vmm/vm_mmio.c), arch hook stubbed;
 * which EPT violations the arch emulation takes (arch/x86_64/vmx_mmio_fault.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <mamori/errno.h>
#include <mamori/mmio.h>
#include <asm/vmx_mmio.h>

static struct {
	u64 gpa, size;
	u32 flags, calls;
	int rc;
} prot;

int arch_vm_mmio_protect(struct vm *vm, u64 gpa, u64 size, u32 flags)
{
	prot.gpa = gpa;
	prot.size = size;
	prot.flags = flags;
	prot.calls++;
	return prot.rc;
}

struct seen {
	u64 gpa, val;
	u32 size, calls;
	bool write;
	int rc;
};

static int dev(struct vm *vm, void *priv, u64 gpa, u32 size, bool write, u64 *val)
{
	struct seen *s = priv;

	s->gpa = gpa;
	s->size = size;
	s->write = write;
	s->calls++;
	if (write)
		s->val = *val;
	else if (!s->rc)
		*val = 0x12345678;
	return s->rc;
}

static void reset(struct vm *vm)
{
	*vm = (struct vm){ .id = 0, .name = "test" };
	prot = (typeof(prot)){ 0 };
}

static void test_register_and_dispatch(void **state)
{
	struct vm vm;
	struct seen s = { 0 };
	u64 v = 0xabcd;

	reset(&vm);
	assert_int_equal(vm_register_mmio(&vm, 0xfee00000, 0x1000, MMIO_TRAP_WRITE, "apic", dev, &s), 0);
	assert_int_equal(prot.gpa, 0xfee00000);
	assert_int_equal(prot.size, 0x1000);
	assert_int_equal(prot.flags, MMIO_TRAP_WRITE);
	assert_int_equal(vm_mmio_flags(&vm, 0xfee00300), MMIO_TRAP_WRITE);
	assert_int_equal(vm_mmio_flags(&vm, 0xfee01000), 0);
	assert_int_equal(vm_mmio_flags(&vm, 0xfedff000), 0);
	assert_int_equal(vm_mmio_dispatch(&vm, 0xfee00300, 4, true, &v), 0);
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.gpa, 0xfee00300);
	assert_int_equal(s.val, 0xabcd);
	assert_true(s.write);
	assert_int_equal(vm_mmio_dispatch(&vm, 0xfee00310, 4, false, &v), 0);
	assert_int_equal(v, 0x12345678);
	assert_int_equal(vm_mmio_dispatch(&vm, 0x1000, 4, false, &v), -ENOENT);
	assert_int_equal(s.calls, 2);
}

static void test_refused_read_is_all_ones(void **state)
{
	struct vm vm;
	struct seen s = { .rc = -EINVAL };
	u64 v = 0;

	reset(&vm);
	assert_int_equal(vm_register_mmio(&vm, 0xe0000000, 0x4000, MMIO_TRAP_READ | MMIO_TRAP_WRITE, "bar", dev, &s), 0);
	assert_int_equal(vm_mmio_dispatch(&vm, 0xe0003ffc, 4, false, &v), 0);
	assert_int_equal(v, ~0ULL);
}

/* An access that runs past the region's end never reaches its handler. */
static void test_access_clamped_to_region(void **state)
{
	struct vm vm;
	struct seen s = { 0 };
	u64 v = 0x55;

	reset(&vm);
	assert_int_equal(vm_register_mmio(&vm, 0xe0000000, 0x1000, MMIO_TRAP_READ | MMIO_TRAP_WRITE, "bar", dev, &s), 0);
	assert_int_equal(vm_mmio_dispatch(&vm, 0xe0000ffc, 8, true, &v), 0);
	assert_int_equal(vm_mmio_dispatch(&vm, 0xe0000fff, 2, false, &v), 0);
	assert_int_equal(v, ~0ULL);
	assert_int_equal(s.calls, 0);
	assert_int_equal(vm_mmio_dispatch(&vm, 0xe0000ff8, 8, false, &v), 0);
	assert_int_equal(s.calls, 1);
}

#define Q_DATA	(EPT_Q_GLA_VALID | EPT_Q_GLA_XLATED)

/* Only an instruction's own data access is emulated (review finding 15). */
static void test_fault_cause(void **state)
{
	assert_null(vmx_mmio_fault_why(Q_DATA | EPT_Q_WRITE, 0));
	assert_null(vmx_mmio_fault_why(Q_DATA | 1, 0x00000b0e));	/* valid bit clear */
	/* the CPU pushing a #PF frame onto a stack in the region */
	assert_non_null(vmx_mmio_fault_why(Q_DATA | EPT_Q_WRITE, 0x80000b0e));
	/* an external interrupt whose IDT entry lies in the region */
	assert_non_null(vmx_mmio_fault_why(Q_DATA | 1, 0x80000020));
	/* a guest page-table entry in the region, read during the walk */
	assert_non_null(vmx_mmio_fault_why(EPT_Q_GLA_VALID | 1, 0));
	/* PDPTE load at MOV CR3: no linear address */
	assert_non_null(vmx_mmio_fault_why(1, 0));
	assert_non_null(vmx_mmio_fault_why(Q_DATA | EPT_Q_FETCH, 0));
}

static void test_access_within_page(void **state)
{
	assert_null(vmx_mmio_access_why(0xfebf0ffc, 4));
	assert_null(vmx_mmio_access_why(0xfebf0ff8, 8));
	assert_non_null(vmx_mmio_access_why(0xfebf0ffe, 4));
	assert_non_null(vmx_mmio_access_why(0xfebf0ffc, 8));
	assert_non_null(vmx_mmio_access_why(0xfebf0000, 0));
}

static void test_bad_arguments(void **state)
{
	struct vm vm;
	struct seen s = { 0 };

	reset(&vm);
	assert_int_equal(vm_register_mmio(&vm, 0xfee00100, 0x1000, MMIO_TRAP_WRITE, "x", dev, &s), -EINVAL);
	assert_int_equal(vm_register_mmio(&vm, 0xfee00000, 0x800, MMIO_TRAP_WRITE, "x", dev, &s), -EINVAL);
	assert_int_equal(vm_register_mmio(&vm, 0xfee00000, 0, MMIO_TRAP_WRITE, "x", dev, &s), -EINVAL);
	assert_int_equal(vm_register_mmio(&vm, 0xfee00000, 0x1000, 0, "x", dev, &s), -EINVAL);
	assert_int_equal(vm_register_mmio(&vm, 0xfee00000, 0x1000, BIT(5), "x", dev, &s), -EINVAL);
	assert_int_equal(vm_register_mmio(&vm, ~0xfffULL, 0x2000, MMIO_TRAP_WRITE, "x", dev, &s), -EINVAL);
	assert_int_equal(vm.nmmio, 0);
	assert_int_equal(prot.calls, 0);
}

static void test_overlap_full_unregister(void **state)
{
	struct vm vm;
	struct seen s = { 0 };
	u32 i;

	reset(&vm);
	assert_int_equal(vm_register_mmio(&vm, 0x10000, 0x3000, MMIO_TRAP_WRITE, "a", dev, &s), 0);
	assert_int_equal(vm_register_mmio(&vm, 0x12000, 0x1000, MMIO_TRAP_WRITE, "b", dev, &s), -EBUSY);
	assert_int_equal(vm_register_mmio(&vm, 0xf000, 0x2000, MMIO_TRAP_WRITE, "c", dev, &s), -EBUSY);
	assert_int_equal(vm_register_mmio(&vm, 0x13000, 0x1000, MMIO_TRAP_WRITE, "d", dev, &s), 0);
	for (i = 2; i < VM_MMIO_MAX; i++)
		assert_int_equal(vm_register_mmio(&vm, 0x100000 + i * 0x1000, 0x1000, MMIO_TRAP_READ, "e", dev, &s), 0);
	assert_int_equal(vm_register_mmio(&vm, 0x900000, 0x1000, MMIO_TRAP_READ, "f", dev, &s), -E2BIG);
	/* unregister restores the mapping (flags 0) and frees the slot */
	assert_int_equal(vm_unregister_mmio(&vm, 0x10000), 0);
	assert_int_equal(prot.gpa, 0x10000);
	assert_int_equal(prot.size, 0x3000);
	assert_int_equal(prot.flags, 0);
	assert_int_equal(vm_mmio_flags(&vm, 0x11000), 0);
	assert_int_equal(vm_mmio_flags(&vm, 0x13000), MMIO_TRAP_WRITE);
	assert_int_equal(vm_unregister_mmio(&vm, 0x10000), -ENOENT);
	assert_int_equal(vm_register_mmio(&vm, 0x900000, 0x1000, MMIO_TRAP_READ, "f", dev, &s), 0);
}

static void test_arch_failure_undone(void **state)
{
	struct vm vm;
	struct seen s = { 0 };

	reset(&vm);
	prot.rc = -ENOMEM;
	assert_int_equal(vm_register_mmio(&vm, 0x10000, 0x1000, MMIO_TRAP_WRITE, "a", dev, &s), -ENOMEM);
	assert_int_equal(vm.nmmio, 0);
	assert_int_equal(vm_mmio_flags(&vm, 0x10000), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_and_dispatch),
		cmocka_unit_test(test_refused_read_is_all_ones),
		cmocka_unit_test(test_access_clamped_to_region),
		cmocka_unit_test(test_fault_cause),
		cmocka_unit_test(test_access_within_page),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_overlap_full_unregister),
		cmocka_unit_test(test_arch_failure_undone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
