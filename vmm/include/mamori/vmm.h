/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMM's boot phases and the arch_* hooks generic code calls. x86-64
 * implements the hooks in arch/x86_64/.
 */
#ifndef MAMORI_VMM_H
#define MAMORI_VMM_H

#include <mamori/boot_info.h>

/* One step of VMM start-up; returns VMM_OK or an enum vmm_status. */
struct vmm_phase {
	const char *name;
	int (*run)(struct boot_info *bi);
};

/* vmm_entry - ELF entry, called by the loader on the boot CPU (sysv ABI). */
int vmm_entry(struct boot_info *bi);

/**
 * arch_vmm_prepare() - probe VT-x and build what the device intercepts
 * register into: the host page tables and the guest VM (vm_guest()) with its
 * EPT and bitmaps. Returns VMM_OK or an enum vmm_status.
 */
int arch_vmm_prepare(struct boot_info *bi);

/**
 * arch_vmm_launch() - after arch_vmm_prepare() and the device phase: build host state, enter VMX root and launch the calling
 * context as the guest: on success it "returns a second time", in VMX
 * non-root, with VMM_OK, and the loader continues as the guest.
 */
int arch_vmm_launch(struct boot_info *bi);

/*
 * arch_cycles() - a free-running cycle count of this CPU (the TSC on x86), for
 * durations in log lines; under Bochs one cycle is one emulated tick.
 */
u64 arch_cycles(void);

/* arch_log_exit_stats - log the VM exits per reason, summed over CPUs, tagged @why. */
void arch_log_exit_stats(const char *why);

/* crypto_selftest - known-answer tests of the linked mbedTLS (crypto/selftest.c). */
int crypto_selftest(void);

#endif
