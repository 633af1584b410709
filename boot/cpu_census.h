/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which processors the VMM must bring under VMX, from UEFI MP services and
 * the ACPI MADT, and the refusal when any processor the OS could start would
 * stay outside (a CPU outside VMX reads and writes all VMM memory). Pure C:
 * the unit tests feed it hand-built and acpi-shim tables.
 */
#ifndef MAMORI_CPU_CENSUS_H
#define MAMORI_CPU_CENSUS_H

#include <mamori/boot_info.h>

/* EFI_PROCESSOR_INFORMATION.StatusFlag */
#define MP_CPU_AS_BSP		0x1
#define MP_CPU_ENABLED		0x2
#define MP_CPU_HEALTHY		0x4

/* MADT Processor Local APIC / x2APIC flags */
#define MADT_CPU_ENABLED	0x1
#define MADT_CPU_ONLINE_CAPABLE	0x2

#define MADT_CPUS_MAX		512

/* One processor: an APIC ID and MP_CPU_* or MADT_CPU_* flags. */
struct census_cpu {
	u32 apic_id;
	u32 flags;
};

enum census_madt_state { MADT_ABSENT, MADT_PRESENT, MADT_MALFORMED };

/* The MADT's processor entries (Local APIC and x2APIC), as listed. */
struct census_madt {
	enum census_madt_state state;
	u32 count;
	struct census_cpu cpu[MADT_CPUS_MAX];
};

/**
 * census_read_madt() - the processor entries of the MADT that @rsdp leads to
 * (XSDT from revision 2, else RSDT). Table addresses are identity-mapped
 * pointers, as under UEFI. @m->state: ABSENT without RSDP or MADT, MALFORMED for a
 * malformed RSDP, root table or MADT, or more than MADT_CPUS_MAX entries.
 */
void census_read_madt(u64 rsdp, struct census_madt *m);

enum census_verdict {
	CENSUS_OK,
	CENSUS_NO_MP,		/* no MP services, and the MADT does not show one CPU alone */
	CENSUS_TOO_MANY,	/* @count processors: more than BOOT_CPUS_MAX */
	CENSUS_DISABLED,	/* MP services disabled @apic_id, and the OS could reach it */
	CENSUS_MADT_EXTRA,	/* the MADT lets the OS start @apic_id, not reported enabled */
	CENSUS_MADT_BAD,	/* the MADT is malformed */
};

struct census_result {
	enum census_verdict verdict;
	u32 apic_id;
	u32 count;
};

/**
 * census_decide() - the processors to bring under VMX, boot CPU first, into
 * @bi->cpu_apic_ids / @bi->cpu_count, or the reason to refuse the boot.
 * @bsp_apic: the boot CPU's APIC ID, used when no MP entry has MP_CPU_AS_BSP.
 * @mp: what MP services reported, @mp_count entries (GetNumberOfProcessors),
 *	of which min(@mp_count, BOOT_CPUS_MAX) are read; NULL when there are no
 *	MP services or they failed.
 * @madt: census_read_madt()'s result.
 *
 * Refused: no MP services unless the MADT lists exactly one startable
 * processor, the boot CPU; more than BOOT_CPUS_MAX processors; a processor
 * MP services reports disabled unless the MADT does not let the OS start it
 * and at least two CPUs run under VMX (the VMM then traps the guest's IPIs);
 * a startable MADT processor (enabled or online capable) that is not among
 * those brought under VMX; a malformed MADT.
 * Return: @r->verdict.
 */
enum census_verdict census_decide(struct boot_info *bi, u32 bsp_apic,
				  const struct census_cpu *mp, u32 mp_count,
				  const struct census_madt *madt, struct census_result *r);

#endif
