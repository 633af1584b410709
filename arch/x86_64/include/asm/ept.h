/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Extended page tables: a 4-level EPT builder (Intel SDM Vol. 3C §29.3, "The
 * Extended Page Table Mechanism"), pure C so the host unit tests run it.
 *
 * Levels are numbered as in the walk: 4 = PML4, 3 = PDPT (1 GiB leaves),
 * 2 = PD (2 MiB leaves), 1 = PT (4 KiB leaves).
 *
 * Rules for callers:
 * - The functions never invalidate: after changing an EPT that a CPU may be
 *   using, run INVEPT (single-context with ept_eptp(), or all-context).
 * - Not thread-safe: serialize all calls on one struct ept (e.g. a per-VM lock
 *   around the EPT-violation handler's ept_map_page()).
 * - Tables are never freed while the EPT lives: unmapping clears leaves and
 *   keeps the tables, and a mapping laid over an existing table descends into
 *   it instead of replacing it with a large page. So a table the CPU may have
 *   cached is never reused for anything else. ept_destroy() frees them all.
 * - Entries are updated with single 64-bit stores; a large page is split by
 *   filling the new table first, so a concurrent walk sees the old or the new
 *   translation, never a partial one.
 */
#ifndef ASM_EPT_H
#define ASM_EPT_H

#include <mamori/types.h>
#include <mamori/errno.h>
#include <mamori/boot_info.h>
#include <asm/mtrr.h>

/* Access permissions (bits 2:0 of an EPT entry). */
#define EPT_R			BIT(0)
#define EPT_W			BIT(1)
#define EPT_X			BIT(2)
#define EPT_RWX			(EPT_R | EPT_W | EPT_X)

/* EPT memory types (bits 5:3 of a leaf); the MTRR encodings. */
#define EPT_MT_UC		MTRR_TYPE_UC
#define EPT_MT_WC		MTRR_TYPE_WC
#define EPT_MT_WT		MTRR_TYPE_WT
#define EPT_MT_WP		MTRR_TYPE_WP
#define EPT_MT_WB		MTRR_TYPE_WB

/* ept_map_range() flags; struct ept.page_sizes uses the first two. */
#define EPT_PAGE_2M		BIT(0)	/* may use 2 MiB leaves */
#define EPT_PAGE_1G		BIT(1)	/* may use 1 GiB leaves */
#define EPT_ALLOW_LARGE		(EPT_PAGE_2M | EPT_PAGE_1G)
#define EPT_IGNORE_PAT		BIT(2)	/* leaf bit 6: type = EPT type, guest PAT ignored */

/* Leaf levels reported by ept_lookup(). */
#define EPT_LEVEL_4K		1
#define EPT_LEVEL_2M		2
#define EPT_LEVEL_1G		3
#define EPT_LEVELS		4

#define EPT_SIZE_2M		(1ULL << 21)
#define EPT_SIZE_1G		(1ULL << 30)
#define EPT_MAX_GPA_BITS	48	/* 4-level walk */

/* IA32_VMX_EPT_VPID_CAP (SDM Vol. 3D Appendix A.10) bits used here. */
#define EPT_CAP_EXEC_ONLY	BIT(0)
#define EPT_CAP_WALK4		BIT(6)
#define EPT_CAP_UC		BIT(8)
#define EPT_CAP_WB		BIT(14)
#define EPT_CAP_2M		BIT(16)
#define EPT_CAP_1G		BIT(17)
#define EPT_CAP_INVEPT		BIT(20)
#define EPT_CAP_AD		BIT(21)
#define EPT_CAP_INVEPT_SINGLE	BIT(25)
#define EPT_CAP_INVEPT_ALL	BIT(26)

/* EPTP fields (SDM Vol. 3C §25.6.11, "Extended-Page-Table Pointer"). */
#define EPTP_WALK4		(3ULL << 3)	/* page-walk length - 1 */
#define EPTP_AD			BIT(6)

/*
 * struct ept_mm - page allocation for paging structures. In the VMM phys ==
 * virt; host tests supply a fake physical mapping.
 * @alloc_page: a zeroed, 4 KiB aligned 4 KiB page, or NULL.
 * @free_page: give a page back (used only by ept_destroy(); may be NULL).
 * @virt_to_phys/@phys_to_virt: translate table addresses.
 */
struct ept_mm {
	void *(*alloc_page)(void *ctx);
	void (*free_page)(void *ctx, void *p);
	u64 (*virt_to_phys)(void *ctx, void *p);
	void *(*phys_to_virt)(void *ctx, u64 pa);
	void *ctx;
};

/*
 * struct ept - one VM's EPT.
 * @pml4/@pml4_pa: the root table.
 * @table_pages: paging-structure pages allocated so far, the PML4 included.
 * @page_sizes: leaf sizes the CPU supports (EPT_PAGE_2M | EPT_PAGE_1G);
 *	ept_init() sets both, ept_set_caps() narrows them. Masks map flags.
 * @eptp_type: memory type the CPU uses to read the tables (EPTP bits 2:0).
 * @ad: set EPTP bit 6 (A/D flags). Off by default: Bochs 2.7 reports one
 *	EPT-violation exit-qualification bit differently with A/D on.
 * @exec_only: execute-only leaves (perms == EPT_X) are allowed.
 */
struct ept {
	u64 *pml4;
	u64 pml4_pa;
	const struct ept_mm *mm;
	u32 table_pages;
	u32 page_sizes;
	u8 eptp_type;
	bool ad;
	bool exec_only;
};

/* ept_init - allocate an empty PML4. Returns 0 or -ENOMEM. */
int ept_init(struct ept *ept, const struct ept_mm *mm);

/*
 * ept_set_caps - adapt @ept to IA32_VMX_EPT_VPID_CAP @cap: leaf sizes, EPTP
 * memory type (WB, else UC), execute-only. Returns -ENOSYS when the CPU lacks
 * a 4-level walk or both WB and UC for the paging structures.
 */
int ept_set_caps(struct ept *ept, u64 cap);

/*
 * ept_eptp - the EPTP VMCS field: PML4 address, 4-level walk, @eptp_type
 * (WB by default, SDM Vol. 3C §29.3.7.1), A/D per @ad.
 */
u64 ept_eptp(const struct ept *ept);

/*
 * ept_map_range - map guest-physical [@gpa, @gpa + @size) to host-physical
 * [@hpa, ...) with @perms (EPT_R/W/X) and EPT memory type @mem_type (EPT_MT_*).
 * @flags: EPT_PAGE_2M / EPT_PAGE_1G (EPT_ALLOW_LARGE) permit large leaves where
 *	gpa, hpa and the remaining size allow and @page_sizes has them;
 *	EPT_IGNORE_PAT sets the ignore-PAT bit.
 * Existing leaves in the range are replaced; a large leaf partly inside the
 * range is split first, its other parts keeping their mapping, type and perms.
 * Returns 0, -EINVAL (unaligned, gpa beyond 48 bits, W without R, X-only
 * without @exec_only, reserved type, unknown flag) or -ENOMEM; after -ENOMEM
 * the range may be partly mapped.
 */
int ept_map_range(struct ept *ept, u64 gpa, u64 hpa, u64 size, u32 perms,
		  u8 mem_type, u32 flags);

/* ept_map_page - map one 4 KiB page (splits a large leaf around it). */
int ept_map_page(struct ept *ept, u64 gpa, u64 hpa, u32 perms, u8 mem_type);

/*
 * ept_unmap_range - make [@gpa, @gpa + @size) not present; large leaves that
 * straddle its ends are split. Returns 0, -EINVAL or -ENOMEM.
 */
int ept_unmap_range(struct ept *ept, u64 gpa, u64 size);

/*
 * ept_prealloc - make sure 4 KiB-level tables exist for [@gpa, @gpa + @size)
 * (entries stay as they are; large leaves are split), so later ept_map_page()
 * calls there never allocate — e.g. from an EPT-violation handler.
 */
int ept_prealloc(struct ept *ept, u64 gpa, u64 size);

/*
 * ept_lookup - translate @gpa. Any output may be NULL: *@hpa the host-physical
 * address of @gpa, *@perms EPT_R/W/X, *@type the EPT memory type, *@level the
 * leaf level (EPT_LEVEL_4K/2M/1G). Returns 0 or -ENOENT when not present.
 */
int ept_lookup(const struct ept *ept, u64 gpa, u64 *hpa, u32 *perms, u8 *type,
	       u32 *level);

/* EPT-violation exit qualification: the access that faulted (SDM Vol. 3C Table 28-7). */
#define EPT_VIOL_READ		BIT(0)
#define EPT_VIOL_WRITE		BIT(1)
#define EPT_VIOL_FETCH		BIT(2)

/*
 * ept_map_sink - stand a sink in for the hidden page holding @gpa after an
 * EPT violation with qualification @qual: an instruction fetch gets
 * @code_hpa read+execute (filled so the guest takes #UD at any offset), any other
 * access @data_hpa read+write. Either way the access that exited is then
 * allowed: the guest moves on instead of faulting on the same page forever.
 * Returns what ept_map_page() returns.
 */
int ept_map_sink(struct ept *ept, u64 gpa, u64 qual, u64 data_hpa, u64 code_hpa);

/*
 * identity_map_limit - end of the identity-mapped physical space, the one
 * range both the EPT and the host page tables map: 2^@phys_bits (at most 48
 * bits), or the end of the highest @map range if above. Without 1 GiB leaves
 * (@gb_pages false) each GiB costs a table page, so then it stops at the
 * 1 GiB boundary above max(RAM map, 4 GiB): MMIO placed higher stays unmapped.
 */
u64 identity_map_limit(bool gb_pages, const struct boot_mem_range *map, u32 count,
		       u32 phys_bits);

/*
 * ept_build_identity - the passthrough guest's EPT: identity-map [0, 2^@phys_bits)
 * (extended to the end of the highest @map range; at most 48 bits) RWX,
 * RAM and non-RAM alike (devices live in the holes), except the VMM region
 * [@vmm_base, @vmm_base + @vmm_size) rounded out to 4 KiB, which stays not
 * present with its PT tables preallocated (see ept_prealloc()).
 *
 * Memory types: with EPT on, the MTRRs do not apply to guest-physical accesses;
 * the EPT memory type takes their place in the combination with the guest's PAT
 * type (SDM Vol. 3C §29.3.7.2, "Memory Type Used for Translated Guest-Physical
 * Addresses"; the combination is Vol. 3A §12.5.2.2, Table 12-7). So each leaf
 * gets the type @mtrr gives its range (mtrr_type_at()), ignore-PAT clear: the
 * guest then sees exactly the caching it would see on bare metal, including for
 * MMIO (UC where the firmware's MTRRs say UC; a WB default above RAM combines
 * with the guest's UC/UC- PAT entries to UC, as on bare metal). Leaves are the
 * largest pages whose whole range has one MTRR type.
 *
 * @ept should be fresh from ept_init() (+ ept_set_caps()). Cost: with 1 GiB
 * pages about 2^(@phys_bits - 39) PDPTs plus a few PD/PTs where types or the
 * VMM region split pages (46 bits: ~144 pages, 576 KiB). Without 1 GiB pages
 * each GiB costs a PD, so the map then stops at the GiB boundary above
 * max(end of @map, 4 GiB) (logged): MMIO placed above stays unmapped.
 * Returns 0, -EINVAL (bad phys_bits, VMM region beyond the mapped space) or
 * -ENOMEM.
 */
int ept_build_identity(struct ept *ept, const struct boot_mem_range *map,
		       u32 count, u32 phys_bits, u64 vmm_base, u64 vmm_size,
		       const struct mtrr_state *mtrr);

/*
 * ept_destroy - free every table through @mm->free_page (if set) and clear
 * @ept. The EPT must no longer be in use by any CPU (INVEPT done).
 */
void ept_destroy(struct ept *ept);

#endif
