// SPDX-License-Identifier: GPL-2.0-only
/*
 * mamori_exits: test-guest module that reads Mamori's VM-exit counters
 * (HC_EXIT_STATS, docs/hypercalls.md) from CPL 0 and shows them in
 * /proc/mamori-exits as "total N" then "REASON N" for each non-zero reason.
 * Without Mamori's CPUID signature the file reads -ENODEV (no VMCALL).
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include <asm/msr.h>
#include <linux/irqflags.h>

#define HC_EXIT_STATS	1
#define STATS_BYTES	4096

struct hc_exit_stats {
	u32 reasons;
	u32 reserved;
	u64 total;
	u64 count[];
};

static bool mamori_present(void)
{
	u32 eax, sig[3];

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return false;
	cpuid(0x40000000, &eax, &sig[0], &sig[1], &sig[2]);
	return !memcmp(sig, "MamoriMamori", 12);
}

static long hc_exit_stats(void *buf, unsigned long size)
{
	long ret = HC_EXIT_STATS;

	asm volatile("vmcall"
		     : "+a"(ret)
		     : "b"(buf), "c"(size)
		     : "memory");
	return ret;
}

static int exits_show(struct seq_file *m, void *v)
{
	struct hc_exit_stats *st;
	long ret;
	u32 i;

	if (!mamori_present())
		return -ENODEV;
	st = kzalloc(STATS_BYTES, GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	ret = hc_exit_stats(st, STATS_BYTES);
	if (ret < 0) {
		kfree(st);
		return (int)ret;
	}
	seq_printf(m, "total %llu\n", st->total);
	for (i = 0; i < st->reasons && i < (STATS_BYTES - sizeof(*st)) / 8; i++)
		if (st->count[i])
			seq_printf(m, "%u %llu\n", i, st->count[i]);
	kfree(st);
	return 0;
}

/* try_hc=N: issue hypercall N once at load, from CPL 0, and log its result (e2e). */
static unsigned long try_hc;
module_param(try_hc, ulong, 0400);

/*
 * spin_ms=N: spin N ms at load with interrupts off on this CPU (e2e: the
 * monitor partition must still get its slices), logging the loop's address.
 */
static unsigned int spin_ms;
module_param(spin_ms, uint, 0400);

static noinline void spin_irqs_off(unsigned int ms)
{
	u64 end = rdtsc() + (u64)ms * tsc_khz;
	unsigned long flags;

	local_irq_save(flags);
	while (rdtsc() < end)
		cpu_relax();
	local_irq_restore(flags);
}

/*
 * set_cstar=V: write IA32_CSTAR on this CPU at load (e2e attack on the
 * syscall MSRs: Intel CPUs never use CSTAR, since SYSCALL from compatibility
 * mode is #UD there, so the guest keeps running).
 */
static unsigned long set_cstar;
module_param(set_cstar, ulong, 0400);

/*
 * flood=N flood_cstar=V: review 3 F4's attack on the synchronous events:
 * N writes of LSTAR's own value (each trapped), then CSTAR set to V and
 * restored at once, with interrupts off on this CPU.
 */
static unsigned int flood;
module_param(flood, uint, 0400);
static unsigned long flood_cstar;
module_param(flood_cstar, ulong, 0400);

static void flood_then_set_restore(void)
{
	unsigned long flags;
	unsigned int i;
	u64 lstar, cstar;

	local_irq_save(flags);
	rdmsrl(MSR_LSTAR, lstar);
	rdmsrl(MSR_CSTAR, cstar);
	for (i = 0; i < flood; i++)
		wrmsrl(MSR_LSTAR, lstar);
	wrmsrl(MSR_CSTAR, flood_cstar);
	wrmsrl(MSR_CSTAR, cstar);
	local_irq_restore(flags);
	pr_info("mamori_exits: cpu%d flood: %u LSTAR writes of 0x%llx, CSTAR 0x%llx -> 0x%lx -> 0x%llx\n",
		raw_smp_processor_id(), flood, lstar, cstar, flood_cstar, cstar);
}

static int __init mamori_exits_init(void)
{
	if (flood && flood_cstar && mamori_present())
		flood_then_set_restore();
	if (set_cstar && mamori_present()) {
		u64 old;

		rdmsrl(MSR_CSTAR, old);
		wrmsrl(MSR_CSTAR, set_cstar);
		pr_info("mamori_exits: cpu%d CSTAR 0x%llx -> 0x%lx\n", raw_smp_processor_id(),
			old, set_cstar);
	}
	if (spin_ms && mamori_present()) {
		pr_info("mamori_exits: cpu%d spins %u ms with interrupts off in %px..%px\n",
			raw_smp_processor_id(), spin_ms, spin_irqs_off,
			(char *)spin_irqs_off + 0x100);
		spin_irqs_off(spin_ms);
		pr_info("mamori_exits: spin done\n");
	}
	if (try_hc && mamori_present()) {
		long ret = (long)try_hc;
		unsigned long buf = 0;

		asm volatile("vmcall"
			     : "+a"(ret)
			     : "b"(&buf), "c"(sizeof(buf)), "d"(0UL), "S"(0UL)
			     : "memory");
		pr_info("mamori_exits: hypercall 0x%lx from CPL 0 returned %ld\n", try_hc, ret);
	}
	if (!proc_create_single("mamori-exits", 0400, NULL, exits_show))
		return -ENOMEM;
	return 0;
}

static void __exit mamori_exits_exit(void)
{
	remove_proc_entry("mamori-exits", NULL);
}

module_init(mamori_exits_init);
module_exit(mamori_exits_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Mamori VM-exit counters for the test guest");
