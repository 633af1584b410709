/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Intel VT-d DMA remapping (Intel VT-d spec rev 4.1, "Intel Virtualization
 * Technology for Directed I/O"): the ACPI DMAR parser (vtd_dmar.c), found
 * through <drivers/acpi.h>, the second-level table builder (vtd_pt.c) and the
 * register-level driver (vtd.c). The first two are pure C (host-tested); the
 * driver runs in the VMM and in the test-only EFI program tests/vtd/.
 *
 * What is done: legacy-mode root/context tables, every bus/devfn of every
 * unit in domain 1 but the owners of DMA windows (domain 2), translation
 * type 0 (untranslated requests only: ATS translated requests fault);
 * domain 1's second-level tables identity-map the RAM of the firmware's
 * memory map and the RMRRs, less the holes (the VMM region and the units'
 * own registers): device MMIO and unclaimed space stay unmapped, so
 * peer-to-peer DMA that reaches the unit faults. Domain 2's map the same
 * plus the windows: VMM pages a controller the VMM drives itself DMAs into. Leaves force snooping (SNP) where every unit has snoop control.
 * Register-based invalidation; polled fault records; a re-check at each
 * poll that translation is still on with our root table.
 * Not done: interrupt remapping (stays off), queued invalidation, ATS/PRI,
 * scalable mode, 5-level tables.
 */
#ifndef DRIVERS_VTD_H
#define DRIVERS_VTD_H

#include <mamori/types.h>
#include <mamori/errno.h>
#include <drivers/acpi.h>

/* --- DMAR parser (vtd_dmar.c) --- */

#define DMAR_MAX_UNITS		8
#define DMAR_MAX_RMRR		16

#define DMAR_FLAG_INTR_REMAP	BIT(0)	/* DMAR.Flags: platform supports IR */
#define DMAR_DRHD_INCLUDE_ALL	BIT(0)	/* DRHD.Flags: INCLUDE_PCI_ALL */

/*
 * struct dmar_unit - one DRHD (DMA remapping hardware unit definition).
 * @reg_base: register set (4 KiB aligned); @reg_pages: its size in pages
 *	(DRHD "Size" field, 2^N; 1 in tables that predate it).
 * @segment: PCI segment; @flags: DMAR_DRHD_*; @scopes: device scope entries.
 */
struct dmar_unit {
	u64 reg_base;
	u32 reg_pages;
	u16 segment;
	u8 flags;
	u8 pad;
	u32 scopes;
};

/* struct dmar_rmrr - a reserved memory region [@base, @end] (inclusive). */
struct dmar_rmrr {
	u64 base;
	u64 end;
	u16 segment;
};

/*
 * struct dmar_info - what the VMM needs from the DMAR table.
 * @haw: host address width (bits); @flags: DMAR_FLAG_*.
 */
struct dmar_info {
	u8 haw;
	u8 flags;
	u32 unit_count;
	struct dmar_unit units[DMAR_MAX_UNITS];
	u32 rmrr_count;
	struct dmar_rmrr rmrr[DMAR_MAX_RMRR];
};

/*
 * dmar_parse - parse the DMAR table @tbl of @len bytes (the caller read
 * @len from the header, checked by acpi_find_table()). Every structure and
 * device scope is bounds-checked against its parent; ATSR, RHSA, ANDD, SATC
 * and unknown types are skipped by their length. Returns 0, -EINVAL (bad
 * signature, length, checksum, a structure that overruns its parent, an
 * unaligned or zero register base, an RMRR with end < base) or -E2BIG (more
 * units or RMRRs than this build holds: refusing beats leaving a unit off).
 */
int dmar_parse(const void *tbl, u64 len, struct dmar_info *out);

/* --- Second-level page tables (vtd_pt.c) --- */

/*
 * struct vtd_mm - page allocation for VT-d tables.
 * @alloc_page: a zeroed, 4 KiB aligned page, or NULL.
 * @virt_to_phys: its physical address.
 * @flush: write [@p, @p + @len) back to memory for a non-coherent unit
 *	(ECAP.C = 0; clflush); NULL when all units snoop.
 */
struct vtd_mm {
	void *(*alloc_page)(void *ctx);
	u64 (*virt_to_phys)(void *ctx, void *p);
	void (*flush)(void *ctx, const void *p, u64 len);
	void *ctx;
};

#define VTD_PT_MAX_HOLES	16
#define VTD_PT_MAX_RANGES	528	/* a full boot memory map plus every RMRR */
#define VTD_PT_MAX_WINDOWS	160	/* 4 AHCI HBAs x (bounce + 32 ports) + IDE, rounded */

/* Second-level entry bits (VT-d 4.1 §9.8); leaves are R+W (+SNP), no EMT bits. */
#define VTD_SL_R		BIT(0)
#define VTD_SL_W		BIT(1)
#define VTD_SL_SP		BIT(7)	/* super page at level 2 (2 MiB) or 3 (1 GiB) */
#define VTD_SL_SNP		BIT(11)	/* leaf: access snooped; reserved unless ECAP.SC */
#define VTD_SL_ADDR		0x000ffffffffff000ULL

#define VTD_PT_2M		BIT(0)	/* CAP.SLLPS bit 0 */
#define VTD_PT_1G		BIT(1)	/* CAP.SLLPS bit 1 */

/* struct vtd_range - [@base, @end), page aligned. */
struct vtd_range {
	u64 base;
	u64 end;
};

/*
 * struct vtd_pt - one set of second-level tables.
 * @levels: 3 (39-bit) or 4 (48-bit); @top: the tables' reach, nothing at or
 *	above it is mapped. @page_sizes: VTD_PT_2M | VTD_PT_1G allowed for leaves.
 * @snoop: leaves carry VTD_SL_SNP (set it only when every unit has ECAP.SC).
 * @ranges: what is mapped (sorted, merged); nothing else is.
 * @holes: taken out of @ranges (the VMM region, register pages).
 * @windows: mapped even inside a hole (VMM pages a controller the VMM
 *	drives may DMA into; only in the tables of the domain that owns them).
 * @root/@root_pa: the top-level table; @table_pages: pages allocated.
 */
struct vtd_pt {
	const struct vtd_mm *mm;
	u32 levels;
	u32 page_sizes;
	u64 top;
	bool snoop;
	u32 range_count;
	struct vtd_range ranges[VTD_PT_MAX_RANGES];
	u32 hole_count;
	struct vtd_range holes[VTD_PT_MAX_HOLES];
	u32 window_count;
	struct vtd_range windows[VTD_PT_MAX_WINDOWS];
	u64 *root;
	u64 root_pa;
	u32 table_pages;
};

/*
 * vtd_range_insert - insert [@b, @e) into the sorted list @r of *@count
 * ranges (room for @max), merged with the ranges it touches. 0 or -E2BIG.
 */
int vtd_range_insert(struct vtd_range *r, u32 *count, u32 max, u64 b, u64 e);

/*
 * vtd_pt_init - prepare @pt: @levels 3 or 4, an identity map of nothing yet
 * below @top (page aligned, at most the levels' reach). Returns 0 or -EINVAL.
 */
int vtd_pt_init(struct vtd_pt *pt, const struct vtd_mm *mm, u32 levels, u32 page_sizes,
		u64 top);

/*
 * vtd_pt_add_range - map [@base, @base + @size) (rounded in to 4 KiB; less
 * than a page maps nothing); merged with the ranges it touches. Returns 0,
 * -EINVAL (empty or wrapping) or -E2BIG (table full).
 */
int vtd_pt_add_range(struct vtd_pt *pt, u64 base, u64 size);

/*
 * vtd_pt_add_hole - leave [@base, @base + @size) unmapped (rounded out to
 * 4 KiB). Returns 0, -EINVAL (empty or wrapping) or -E2BIG (table full).
 */
int vtd_pt_add_hole(struct vtd_pt *pt, u64 base, u64 size);

/*
 * vtd_pt_add_window - map [@base, @base + @size) (page aligned) even where
 * a hole covers it; merged with the windows it touches. Returns 0, -EINVAL
 * (empty, unaligned or wrapping) or -E2BIG (table full).
 */
int vtd_pt_add_window(struct vtd_pt *pt, u64 base, u64 size);

/*
 * vtd_pt_build - build the tables: every page of the ranges below @top and
 * outside the holes, and every page of the windows below @top, identity-mapped R+W (+SNP), with the largest leaf that
 * the alignment, the ranges, the holes and @page_sizes allow; everything
 * else not present.
 * Tables are flushed through @mm->flush when set. Returns 0 or -ENOMEM.
 */
int vtd_pt_build(struct vtd_pt *pt);

/*
 * vtd_pt_lookup - software walk (tests, self-check): 0 and *@pa, *@perms
 * (VTD_SL_R | VTD_SL_W | VTD_SL_SNP), *@level (1 = 4 KiB, 2 = 2 MiB, 3 = 1 GiB), or
 * -ENOENT. Outputs may be NULL. @phys_to_virt reads a table by address.
 */
int vtd_pt_lookup(const struct vtd_pt *pt, void *(*phys_to_virt)(void *ctx, u64 pa),
		  u64 iova, u64 *pa, u32 *perms, u32 *level);

/* Root and context entries (legacy mode, §9.1 and §9.3); 128 bits each. */
struct vtd_entry {
	u64 lo;
	u64 hi;
};

#define VTD_RE_P		BIT(0)
#define VTD_CE_P		BIT(0)
#define VTD_CE_TT_SHIFT		2	/* 0: untranslated requests via SL tables */
#define VTD_CE_AW_39		1	/* hi bits 2:0: 3-level */
#define VTD_CE_AW_48		2	/* 4-level */
#define VTD_CE_DID_SHIFT	8
#define VTD_DOMAIN_ID		1	/* every device; 0 is reserved when CAP.CM */
#define VTD_DOMAIN_WINDOWS	2	/* the owners of DMA windows (vtd_add_window()) */

/* vtd_root_entry - a present root entry pointing to the context table at @ctx_pa. */
struct vtd_entry vtd_root_entry(u64 ctx_pa);

/*
 * vtd_context_entry - a present context entry: translation type 0 (never
 * pass-through), the SL tables at @slpt_pa with @levels (3/4), domain @did.
 */
struct vtd_entry vtd_context_entry(u64 slpt_pa, u32 levels, u16 did);

/* --- Remapping units (vtd.c) --- */

#define VTD_MAX_OWNERS		8	/* devices with DMA windows (AHCI HBAs, IDE) */

/*
 * struct vtd_unit - one remapping unit as the driver drives it.
 * @regs: the register set, mapped (phys == virt in the VMM).
 * @cap/@ecap: CAP and ECAP as read.
 * @reg_size: bytes of it in use (DRHD size, IOTLB and fault registers).
 * @fault_count: fault records seen; @fault_logs: rate limit of their log lines.
 */
struct vtd_unit {
	u64 reg_base;
	u64 reg_size;
	volatile u8 *regs;
	u64 cap;
	u64 ecap;
	u32 index;
	u32 fault_count;
	u32 fault_logs;
	bool enabled;
};

/* struct vtd_fault - one fault record (FRCD). */
struct vtd_fault {
	u64 addr;	/* faulting page address (FI) */
	u16 source;	/* requester: bus << 8 | dev << 3 | fn */
	u8 reason;	/* fault reason (VT-d 4.1 Appendix A) */
	bool write;
};

/*
 * struct vtd - all units of the platform and the tables they share.
 * @mm: allocation, set by the caller; vtd_enable_all() sets @mm.flush to
 *	vtd_clflush() when a unit does not snoop (ECAP.C = 0). Registers and
 *	tables are used at their physical address (identity-mapped in the VMM
 *	and under UEFI).
 * @pt: domain 1, every requester but the window owners: RAM, no window.
 * @pt_win: domain 2, the window owners (@owners, requester IDs): RAM and
 *	the windows (@windows); built only when there is a window.
 * @context_table: domain 1 for every devfn; @owner_context: per bus of an
 *	owner, a copy with that bus's owners in domain 2 (root entries of
 *	other buses point to @context_table).
 */
struct vtd {
	struct vtd_mm mm;
	u32 unit_count;
	struct vtd_unit units[DMAR_MAX_UNITS];
	struct vtd_pt pt;
	struct vtd_pt pt_win;
	u32 owner_count;
	u16 owners[VTD_MAX_OWNERS];
	u32 window_count;
	struct vtd_range windows[VTD_PT_MAX_WINDOWS];
	struct vtd_entry *root_table;
	struct vtd_entry *context_table;
	struct vtd_entry *owner_context[VTD_MAX_OWNERS];
};

struct boot_mem_range;

/*
 * struct vtd_space - what the DMA identity map covers.
 * @mem/@mem_count: the firmware's memory map; the ranges of a DMA-target
 *	type (vtd_mem_dma_target()) are mapped, nothing else is but the RMRRs.
 * @hole_base/@hole_size: the VMM region, never reachable by DMA.
 */
struct vtd_space {
	const struct boot_mem_range *mem;
	u32 mem_count;
	u64 hole_base;
	u64 hole_size;
};

/*
 * vtd_mem_dma_target - whether memory of boot memory map @type (enum
 * boot_mem_type) is RAM a device may DMA into: conventional, loader, boot-
 * and runtime-services code and data, ACPI reclaim and NVS, persistent. Not:
 * reserved (the VMM region is reserved; firmware DMA buffers in reserved
 * memory are RMRRs, mapped on their own), unusable, MMIO, MMIO port space,
 * PAL code, unknown types.
 */
bool vtd_mem_dma_target(u32 type);

/*
 * vtd_enable_all - read every unit's capabilities, build the tables for
 * @sp and the RMRRs (less the units' own registers; SNP in the leaves when
 * every unit has ECAP.SC), and turn translation on in every
 * unit: queued invalidation off if the firmware left it on, root table
 * pointer, write-buffer flush, global context-cache and IOTLB invalidation,
 * TE; each step waits a bounded time for the unit's status. Interrupt
 * remapping is never turned on (left as found, logged). Returns 0, or a
 * negative errno after logging which unit and step failed; on failure the
 * units enabled so far stay enabled.
 */
int vtd_enable_all(struct vtd *v, const struct dmar_info *dmar, const struct vtd_space *sp);

/*
 * vtd_probe_all / vtd_enable_probed - vtd_enable_all() in two steps: read
 * the units' capabilities and check the RMRRs against @sp's hole; then
 * build the tables and turn translation on. Same returns.
 */
int vtd_probe_all(struct vtd *v, const struct dmar_info *dmar, const struct vtd_space *sp);
int vtd_enable_probed(struct vtd *v, const struct dmar_info *dmar, const struct vtd_space *sp);

/*
 * vtd_add_window - requester @bdf (bus << 8 | devfn), a controller the VMM
 * drives itself, may DMA into [@pa, @pa + @size): pages of @sp's hole (the
 * VMM region) and nothing else. @bdf's context entry then names domain 2
 * (RAM and every window); every other requester stays in domain 1, which
 * never maps a window. Only before the tables are built. Returns 0,
 * -EINVAL (empty, unaligned, wrapping, not inside the hole), -E2BIG (too
 * many owners or windows) or -EBUSY (tables already built).
 */
int vtd_add_window(struct vtd *v, const struct vtd_space *sp, u16 bdf, u64 pa, u64 size);

/* vtd_clflush - a struct vtd_mm.flush: clflush every line of [@p, @p + @len). */
void vtd_clflush(void *ctx, const void *p, u64 len);

/*
 * vtd_fault_poll - read @u's fault records, log them (rate-limited), clear
 * them; fills up to @max records into @out (may be NULL). Returns the number
 * of records found.
 */
u32 vtd_fault_poll(struct vtd_unit *u, struct vtd_fault *out, u32 max);

/*
 * vtd_unit_check - whether enabled unit @u still translates through @v's
 * root table: GSTS.TES set, RTADDR and CAP as programmed and read at probe.
 * Returns 0, or -EIO after logging what changed. (A register set moved by
 * the chipset's base register reads elsewhere: all-ones or whatever now
 * answers there, caught by RTADDR/CAP unless crafted to match.)
 */
int vtd_unit_check(const struct vtd *v, struct vtd_unit *u);

/* --- The VMM's use (vtd_boot.c) --- */

struct boot_info;
struct vm;

/*
 * vtd_boot_verdict - whether the boot goes on without DMA remapping, under
 * the policy's iommu @mode (enum policy_iommu_mode, vtd_policy.c): @absent
 * when the platform has no remapping hardware (no DMAR table or no unit in
 * it); otherwise @step ("probing", "enabling") failed with @err. auto: go on
 * when absent, stop on a failure; required: stop in both cases; optional: go
 * on in both, a failure logged at error level as a weakening. An unknown
 * @mode stops. Logs the decision and why; returns 0 (go on) or -EPERM.
 */
int vtd_boot_verdict(u8 mode, bool absent, const char *step, int err);

/*
 * vtd_boot_phase - the "dma" boot phase: the units are found and probed; no
 * DMAR table or a failure (a malformed DMAR, a unit without usable tables)
 * is judged by vtd_boot_verdict() under the policy's iommu mode: go on
 * without remapping, or stop the boot (VMM_ERR_IOMMU). Translation is
 * turned on later, by vtd_enable_phase(), once the device intercepts have
 * registered their windows (vtd_dma_window()).
 */
int vtd_boot_phase(struct boot_info *bi);

/*
 * vtd_dma_window - platform_dma_window() on VT-d: vtd_add_window() for
 * the VMM memory at @va. 0 without remapping hardware; otherwise 0 or the
 * error, logged. Before vtd_enable_phase() only (-EBUSY after).
 */
int vtd_dma_window(u16 bdf, void *va, u64 size);

/*
 * vtd_enable_phase - the "dma-on" boot phase, after the devices phase: build
 * the tables (domain 1, and domain 2 with the windows) and turn translation
 * on in every unit; a failure stops the boot (VMM_ERR_IOMMU) unless the
 * policy says 'iommu optional' (vtd_boot_verdict()): then the units enabled
 * so far stay enabled and polled. Nothing without DMAR.
 */
int vtd_enable_phase(struct boot_info *bi);

/*
 * vtd_intercept_init - hide the probed units' registers from the guest
 * (reads 0, writes dropped, logged once) so it cannot turn translation off.
 */
int vtd_intercept_init(struct vm *vm);

/*
 * vtd_poll_faults - poll every enabled unit's fault records (logs them) and
 * check that it still translates (vtd_unit_check()); if one does not, DMA is
 * no longer confined: the platform is reset (fail closed).
 */
void vtd_poll_faults(void);

/*
 * vtd_poll_periodic - vtd_poll_faults() on one CPU at most every 2^24 TSC
 * cycles (a few ms); an rdtsc and a compare otherwise, for frequent exits.
 */
void vtd_poll_periodic(void);

#endif
