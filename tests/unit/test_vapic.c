// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest ICR writes (arch/x86_64/vapic.c) against a model of the local APIC:
 * what the VMM sends, to whom. Two CPUs under the VMM, APIC IDs 0 and 1.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/vapic.h>
#include <asm/vmx_exit.h>
#include <asm/vmx_setup.h>
#include <mamori/errno.h>
#include <mamori/smp.h>
#include <mamori/vm.h>
#include <mamori/vmm.h>

static struct vm vm0;
static struct per_cpu cpus[2];
static bool x2apic = true;

/* What reached the physical APIC: IPIs the VMM sent, raw ICR writes. */
static struct { u32 apic_id, icr_lo; } sent[8];
static u32 nsent, raw_writes;

int apic_send_ipi(u32 apic_id, u32 icr_low)
{
	assert_true(nsent < ARRAY_SIZE(sent));
	sent[nsent].apic_id = apic_id;
	sent[nsent++].icr_lo = icr_low;
	return 0;
}

/* IA32_APIC_BASE of the model: what the guest's writes that pass leave there. */
static u64 apic_base_msr;

int wrmsr_safe(u32 msr, u64 val)
{
	raw_writes++;
	if (msr == 0x1b)
		apic_base_msr = val;
	return 0;
}

int rdmsr_safe(u32 msr, u64 *val)
{
	assert_int_equal(msr, 0x1b);
	*val = apic_base_msr;
	return 0;
}

bool apic_x2apic_mode(void) { return x2apic; }
struct per_cpu *percpu_get(u32 id) { return id < 2 ? &cpus[id] : NULL; }
void apic_soft_init(void) { }
int cpu_event(struct per_cpu *pc, int ev) { return 0; }
bool vmcs_setup_guest_init(u32 activity) { return true; }
void platform_reset(const char *why) { abort(); }	/* never reached here */
int vm_register_mmio(struct vm *vm, u64 gpa, u64 size, u32 flags, const char *name,
		     mmio_handler_fn fn, void *priv) { return 0; }

static int setup(void **state)
{
	u32 i;

	for (i = 0; i < 2; i++) {
		memset(&cpus[i], 0, sizeof(cpus[i]));
		cpus[i].cpu_id = i;
		cpus[i].apic_id = i;
		cpus[i].vm = &vm0;
		cpus[i].state = CPU_WAIT_SIPI;
	}
	x2apic = true;
	nsent = raw_writes = 0;
	apic_base_msr = 0xfee00900;	/* xAPIC, enabled, BSP */
	return 0;
}

/*
 * IA32_APIC_BASE.EN: a guest that disables its APIC globally would miss the
 * VMM's NMI kicks (EPT shootdowns): refused with #GP, in xAPIC and x2APIC
 * mode; mode switches that keep EN pass; a base move is refused.
 */
static void test_apic_base_writes(void **state)
{
	assert_int_equal(vapic_apic_base_write(&cpus[0], 0xfee00100), -EPERM);
	assert_int_equal(raw_writes, 0);
	assert_int_equal(vapic_apic_base_write(&cpus[0], 0xfee00500), -EPERM);	/* EXTD, no EN */
	assert_int_equal(raw_writes, 0);
	assert_int_equal(vapic_apic_base_write(&cpus[0], 0xfee00d00), 0);	/* x2APIC on */
	assert_int_equal(apic_base_msr, 0xfee00d00);
	assert_int_equal(vapic_apic_base_write(&cpus[0], 0xfee00100), -EPERM);	/* x2APIC off */
	assert_int_equal(vapic_apic_base_write(&cpus[0], 0xfee00000), -EPERM);
	assert_int_equal(apic_base_msr, 0xfee00d00);
	assert_int_equal(vapic_apic_base_write(&cpus[0], 0xfed00d00), -EPERM);	/* a move */
	assert_int_equal(vapic_apic_base_write(&cpus[0], 0xfee00d00), 0);	/* the same */
	assert_int_equal(raw_writes, 2);
	/* An APIC the firmware left disabled may be enabled (not disabled again). */
	apic_base_msr = 0xfee00100;
	assert_int_equal(vapic_apic_base_write(&cpus[0], 0xfee00100), 0);
	assert_int_equal(vapic_apic_base_write(&cpus[0], 0xfee00900), 0);
	assert_int_equal(apic_base_msr, 0xfee00900);
}

#define ICR(dest, lo)	(((u64)(dest) << 32) | (lo))

/* Finding 3: no IPI of the guest reaches an APIC ID outside the VMM's CPU list. */
static void test_outside_vmx_refused(void **state)
{
	assert_int_equal(vapic_x2apic_icr_write(&cpus[0], ICR(5, 0x40fd)), 0);	/* fixed */
	assert_int_equal(vapic_x2apic_icr_write(&cpus[0], ICR(5, 0x4400)), 0);	/* NMI */
	assert_int_equal(vapic_x2apic_icr_write(&cpus[0], ICR(5, 0x469a)), 0);	/* SIPI */
	assert_int_equal(vapic_x2apic_icr_write(&cpus[0], ICR(0x20004, 0x48fd)), 0);	/* logical */
	/* A CPU the VMM knows but could not bring under VMX is no target either. */
	cpus[1].state = CPU_FAILED;
	assert_int_equal(vapic_x2apic_icr_write(&cpus[0], ICR(1, 0x40fd)), 0);
	assert_int_equal(vapic_x2apic_icr_write(&cpus[0], ICR(0xffffffff, 0x4400)), 0);
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0].apic_id, 0);
	assert_int_equal(raw_writes, 0);
}

/* Broadcasts and shorthands: one IPI per CPU under the VMM, never a broadcast on the wire. */
static void test_broadcast_expanded(void **state)
{
	assert_int_equal(vapic_x2apic_icr_write(&cpus[0], ICR(0xffffffff, 0x4030)), 0);
	assert_int_equal(nsent, 2);
	assert_int_equal(sent[0].apic_id, 0);
	assert_int_equal(sent[1].apic_id, 1);
	assert_int_equal(sent[1].icr_lo, 0x4030);
	nsent = 0;
	assert_int_equal(vapic_x2apic_icr_write(&cpus[0], ICR(0, 0xc0400)), 0);	/* NMI, others */
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0].apic_id, 1);
	assert_int_equal(sent[0].icr_lo, 0x4400);
	assert_int_equal(raw_writes, 0);
}

/* Finding 10: the ICR sent is built from the vector and delivery mode, not the guest's bits. */
static void test_rebuilt(void **state)
{
	assert_int_equal(vapic_x2apic_icr_write(&cpus[0], ICR(1, 0xc69a)), 0);	/* trigger set */
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0].apic_id, 1);
	assert_int_equal(sent[0].icr_lo, 0x469a);
	/* Reserved bits: #GP, as the x2APIC does; nothing sent. */
	assert_int_equal(vapic_x2apic_icr_write(&cpus[0], ICR(1, 0x60fd)), -EINVAL);
	assert_int_equal(vapic_x2apic_icr_write(&cpus[0], ICR(1, 0x801040fd)), -EINVAL);
	/* The ICR MSR does not exist in xAPIC mode. */
	x2apic = false;
	assert_int_equal(vapic_x2apic_icr_write(&cpus[0], ICR(1, 0x40fd)), -EINVAL);
	assert_int_equal(nsent, 1);
	assert_int_equal(raw_writes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_apic_base_writes, setup),
		cmocka_unit_test_setup(test_outside_vmx_refused, setup),
		cmocka_unit_test_setup(test_broadcast_expanded, setup),
		cmocka_unit_test_setup(test_rebuilt, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
