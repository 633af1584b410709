// SPDX-License-Identifier: GPL-2.0-only
/* VT-d remapping units, register level (VT-d 4.1 §10.4): see <drivers/vtd.h>. */
#include <drivers/vtd.h>
#include <mamori/boot_info.h>
#include <mamori/log.h>
#include <mamori/mm.h>

#define VTD_VER			0x00
#define VTD_CAP			0x08
#define VTD_ECAP		0x10
#define VTD_GCMD		0x18
#define VTD_GSTS		0x1c
#define VTD_RTADDR		0x20
#define VTD_CCMD		0x28
#define VTD_FSTS		0x34

/* GCMD/GSTS bits; the one-shot command bits are not written back. */
#define VTD_GCMD_TE		BIT(31)
#define VTD_GCMD_SRTP		BIT(30)
#define VTD_GCMD_WBF		BIT(27)
#define VTD_GCMD_QIE		BIT(26)
#define VTD_GCMD_IRE		BIT(25)
#define VTD_GSTS_KEEP		0x96ffffffU

#define VTD_CCMD_ICC		BIT(63)
#define VTD_CCMD_GLOBAL		(1ULL << 61)
#define VTD_IOTLB_IVT		BIT(63)
#define VTD_IOTLB_GLOBAL	(1ULL << 60)
#define VTD_IOTLB_IAIG		(3ULL << 57)
#define VTD_IOTLB_DR		BIT(49)
#define VTD_IOTLB_DW		BIT(48)

#define VTD_FSTS_W1C		0x7dU	/* PFO, AFO, APF, IQE, ICE, ITE */
#define VTD_FSTS_PPF		BIT(1)
#define VTD_FRCD_F		BIT(63)
#define VTD_FRCD_T		BIT(62)	/* 1: read request */

#define CAP_RWBF		BIT(4)
#define CAP_SAGAW(c)		(((c) >> 8) & 0x1f)
#define CAP_MGAW(c)		((((c) >> 16) & 0x3f) + 1)
#define CAP_FRO(c)		((((c) >> 24) & 0x3ff) * 16)
#define CAP_SLLPS(c)		(((c) >> 34) & 3)
#define CAP_NFR(c)		((((c) >> 40) & 0xff) + 1)
#define CAP_DWD			BIT(54)
#define CAP_DRD			BIT(55)
#define ECAP_C			BIT(0)
#define ECAP_SC			BIT(7)
#define ECAP_IRO(c)		((((c) >> 8) & 0x3ff) * 16)
#define SAGAW_39		BIT(1)
#define SAGAW_48		BIT(2)

#define VTD_WAIT_LOOPS		10000000U	/* well over a second of MMIO reads */

static u32 rd32(struct vtd_unit *u, u32 off)
{
	return *(volatile u32 *)(u->regs + off);
}

static u64 rd64(struct vtd_unit *u, u32 off)
{
	return *(volatile u64 *)(u->regs + off);
}

static void wr32(struct vtd_unit *u, u32 off, u32 v)
{
	*(volatile u32 *)(u->regs + off) = v;
}

static void wr64(struct vtd_unit *u, u32 off, u64 v)
{
	*(volatile u64 *)(u->regs + off) = v;
}

void vtd_clflush(void *ctx, const void *p, u64 len)
{
	const u8 *c = (const u8 *)ALIGN_DOWN((u64)p, 64);

	__asm__ volatile("mfence" ::: "memory");
	for (; c < (const u8 *)p + len; c += 64)
		__asm__ volatile("clflush %0" : "+m"(*(volatile u8 *)c));
	__asm__ volatile("mfence" ::: "memory");
}

/* Wait until (@off & @mask) == @want; -EIO after VTD_WAIT_LOOPS reads. */
static int vtd_wait32(struct vtd_unit *u, u32 off, u32 mask, u32 want, const char *what)
{
	u32 n;

	for (n = 0; n < VTD_WAIT_LOOPS; n++) {
		if ((rd32(u, off) & mask) == want)
			return 0;
		__asm__ volatile("pause" ::: "memory");
	}
	pr_err("vtd%u: %s timed out (register 0x%x = 0x%x)\n", u->index, what, off,
	       rd32(u, off));
	return -EIO;
}

static int vtd_wait64_clear(struct vtd_unit *u, u32 off, u64 bit, const char *what)
{
	u32 n;

	for (n = 0; n < VTD_WAIT_LOOPS; n++) {
		if (!(rd64(u, off) & bit))
			return 0;
		__asm__ volatile("pause" ::: "memory");
	}
	pr_err("vtd%u: %s timed out\n", u->index, what);
	return -EIO;
}

/* Issue one GCMD command (@set or clear @bit) and wait for GSTS to follow. */
static int vtd_gcmd(struct vtd_unit *u, u32 bit, bool set, const char *what)
{
	u32 sts = rd32(u, VTD_GSTS) & VTD_GSTS_KEEP;

	wr32(u, VTD_GCMD, set ? sts | bit : sts & ~bit);
	return vtd_wait32(u, VTD_GSTS, bit, set ? bit : 0, what);
}

/* One-shot command: set @bit, wait for its status bit (@sts_bit) to read @want. */
static int vtd_gcmd_oneshot(struct vtd_unit *u, u32 bit, u32 sts_bit, u32 want,
			    const char *what)
{
	wr32(u, VTD_GCMD, (rd32(u, VTD_GSTS) & VTD_GSTS_KEEP) | bit);
	return vtd_wait32(u, VTD_GSTS, sts_bit, want, what);
}

static int vtd_unit_probe(struct vtd_unit *u, const struct dmar_unit *d, u32 index)
{
	u64 need;

	*u = (struct vtd_unit){ 0 };
	u->index = index;
	u->reg_base = d->reg_base;
	u->regs = phys_to_virt(d->reg_base);
	u->cap = rd64(u, VTD_CAP);
	u->ecap = rd64(u, VTD_ECAP);
	need = MAX((u64)ECAP_IRO(u->ecap) + 16, (u64)CAP_FRO(u->cap) + 16 * CAP_NFR(u->cap));
	u->reg_size = MAX((u64)d->reg_pages * PAGE_SIZE, ALIGN_UP(need, PAGE_SIZE));
	pr_info("vtd%u: unit at 0x%llx version %u.%u cap 0x%llx ecap 0x%llx%s\n", index,
		(unsigned long long)u->reg_base, (rd32(u, VTD_VER) >> 4) & 0xf,
		rd32(u, VTD_VER) & 0xf, (unsigned long long)u->cap,
		(unsigned long long)u->ecap,
		d->flags & DMAR_DRHD_INCLUDE_ALL ? " (all PCI devices)" : "");
	if (u->cap == ~0ULL || !(CAP_SAGAW(u->cap) & (SAGAW_39 | SAGAW_48))) {
		pr_err("vtd%u: no 3- or 4-level second-level tables (SAGAW 0x%llx)\n", index,
		       (unsigned long long)CAP_SAGAW(u->cap));
		return -ENOSYS;
	}
	return 0;
}

bool vtd_mem_dma_target(u32 type)
{
	switch (type) {
	case BOOT_MEM_LOADER_CODE:
	case BOOT_MEM_LOADER_DATA:
	case BOOT_MEM_BS_CODE:
	case BOOT_MEM_BS_DATA:
	case BOOT_MEM_RT_CODE:
	case BOOT_MEM_RT_DATA:
	case BOOT_MEM_CONVENTIONAL:
	case BOOT_MEM_ACPI_RECLAIM:
	case BOOT_MEM_ACPI_NVS:
	case BOOT_MEM_PERSISTENT:
		return true;
	default:
		return false;
	}
}

/*
 * Tables every unit can walk: levels, leaf sizes, reach; clflush if one does
 * not snoop; SNP leaves if all have snoop control.
 */
static int vtd_pick_format(struct vtd *v, u32 *levels, u32 *sizes, u64 *top, bool *flush,
			   bool *snoop)
{
	u32 sagaw = 0x1f, mgaw = 64, i;

	*sizes = VTD_PT_2M | VTD_PT_1G;
	*flush = false;
	*snoop = true;
	for (i = 0; i < v->unit_count; i++) {
		sagaw &= CAP_SAGAW(v->units[i].cap);
		mgaw = MIN(mgaw, CAP_MGAW(v->units[i].cap));
		*sizes &= CAP_SLLPS(v->units[i].cap);
		*flush |= !(v->units[i].ecap & ECAP_C);
		*snoop &= !!(v->units[i].ecap & ECAP_SC);
	}
	if (sagaw & SAGAW_48)
		*levels = 4;
	else if (sagaw & SAGAW_39)
		*levels = 3;
	else
		return -ENOSYS;
	*top = 1ULL << MIN(mgaw, *levels == 4 ? 48U : 39U);
	if (!*snoop)
		pr_warn("vtd: a unit lacks snoop control (ECAP.SC): devices' no-snoop DMA is not forced snooped\n");
	return 0;
}

/* The RAM of the memory map and the RMRRs, less the VMM region and the units' registers. */
static int vtd_pt_fill_ranges(const struct vtd *v, struct vtd_pt *pt,
			      const struct dmar_info *dmar, const struct vtd_space *sp)
{
	u64 ram_top = 0;
	u32 i;
	int err = vtd_pt_add_hole(pt, sp->hole_base, sp->hole_size);

	for (i = 0; !err && i < v->unit_count; i++)
		err = vtd_pt_add_hole(pt, v->units[i].reg_base, v->units[i].reg_size);
	for (i = 0; !err && i < sp->mem_count; i++) {
		const struct boot_mem_range *m = &sp->mem[i];

		if (!vtd_mem_dma_target(m->type) || !m->pages)
			continue;
		if (m->pages > (~0ULL - m->base) / PAGE_SIZE) {
			pr_err("vtd: memory map range 0x%llx (%llu pages) wraps\n",
			       (unsigned long long)m->base, (unsigned long long)m->pages);
			return -EINVAL;
		}
		ram_top = MAX(ram_top, m->base + m->pages * PAGE_SIZE);
		err = vtd_pt_add_range(pt, m->base, m->pages * PAGE_SIZE);
	}
	for (i = 0; !err && i < dmar->rmrr_count; i++)
		err = vtd_pt_add_range(pt, dmar->rmrr[i].base,
				       dmar->rmrr[i].end - dmar->rmrr[i].base + 1);
	if (!err && ram_top > pt->top && pt == &v->pt)
		pr_warn("vtd: tables reach 0x%llx, below the end of RAM 0x%llx: DMA above faults\n",
			(unsigned long long)pt->top, (unsigned long long)ram_top);
	return err;
}

/* One domain's tables: the RAM map, and for domain 2 the windows. */
static int vtd_build_domain(struct vtd *v, struct vtd_pt *pt, const struct dmar_info *dmar,
			    const struct vtd_space *sp, u32 levels, u32 sizes, u64 top,
			    bool snoop)
{
	u32 i;
	int err = vtd_pt_init(pt, &v->mm, levels, sizes, top);

	pt->snoop = snoop;
	if (!err)
		err = vtd_pt_fill_ranges(v, pt, dmar, sp);
	for (i = 0; !err && pt == &v->pt_win && i < v->window_count; i++)
		err = vtd_pt_add_window(pt, v->windows[i].base,
					v->windows[i].end - v->windows[i].base);
	return err ? err : vtd_pt_build(pt);
}

static bool vtd_is_owner(const struct vtd *v, u16 bdf)
{
	u32 i;

	for (i = 0; i < v->owner_count; i++)
		if (v->owners[i] == bdf)
			return true;
	return false;
}

/*
 * Context tables: one with every devfn in domain 1, shared by the buses
 * without an owner; per bus with owners a copy with those in domain 2.
 */
static int vtd_build_context(struct vtd *v, u32 levels)
{
	struct vtd_mm *mm = &v->mm;
	struct vtd_entry *ctx;
	u32 i, n = 0, bus;

	v->root_table = mm->alloc_page(mm->ctx);
	v->context_table = v->root_table ? mm->alloc_page(mm->ctx) : NULL;
	if (!v->context_table)
		return -ENOMEM;
	for (i = 0; i < 256; i++)
		v->context_table[i] = vtd_context_entry(v->pt.root_pa, levels, VTD_DOMAIN_ID);
	for (i = 0; i < 256; i++)
		v->root_table[i] = vtd_root_entry(mm->virt_to_phys(mm->ctx, v->context_table));
	for (bus = 0; bus < 256 && n < v->owner_count; bus++) {
		for (i = 0; i < v->owner_count && v->owners[i] >> 8 != bus; i++)
			;
		if (i == v->owner_count)
			continue;
		ctx = v->owner_context[n++] = mm->alloc_page(mm->ctx);
		if (!ctx)
			return -ENOMEM;
		for (i = 0; i < 256; i++)
			ctx[i] = vtd_is_owner(v, (u16)(bus << 8 | i)) ?
				 vtd_context_entry(v->pt_win.root_pa, levels, VTD_DOMAIN_WINDOWS) :
				 v->context_table[i];
		if (mm->flush)
			mm->flush(mm->ctx, ctx, PAGE_SIZE);
		v->root_table[bus] = vtd_root_entry(mm->virt_to_phys(mm->ctx, ctx));
	}
	if (mm->flush) {
		mm->flush(mm->ctx, v->context_table, PAGE_SIZE);
		mm->flush(mm->ctx, v->root_table, PAGE_SIZE);
	}
	return 0;
}

int vtd_add_window(struct vtd *v, const struct vtd_space *sp, u16 bdf, u64 pa, u64 size)
{
	u32 n = v->window_count;
	int err;

	if (v->root_table)
		return -EBUSY;
	if (!size || pa + size < pa || (pa | size) & (PAGE_SIZE - 1) ||
	    pa < sp->hole_base || pa + size > sp->hole_base + sp->hole_size)
		return -EINVAL;
	if (!vtd_is_owner(v, bdf) && v->owner_count == VTD_MAX_OWNERS)
		return -E2BIG;
	err = vtd_range_insert(v->windows, &n, VTD_PT_MAX_WINDOWS, pa, pa + size);
	if (err)
		return err;
	v->window_count = n;
	if (!vtd_is_owner(v, bdf))
		v->owners[v->owner_count++] = bdf;
	return 0;
}

static int vtd_build_tables(struct vtd *v, const struct dmar_info *dmar,
			    const struct vtd_space *sp)
{
	struct vtd_mm *mm = &v->mm;
	u32 levels, sizes;
	u64 top;
	bool flush, snoop;
	int err;

	err = vtd_pick_format(v, &levels, &sizes, &top, &flush, &snoop);
	if (err) {
		pr_err("vtd: the units share no second-level table format\n");
		return err;
	}
	if (flush && !mm->flush)
		mm->flush = vtd_clflush;
	err = vtd_build_domain(v, &v->pt, dmar, sp, levels, sizes, top, snoop);
	if (!err && v->owner_count)
		err = vtd_build_domain(v, &v->pt_win, dmar, sp, levels, sizes, top, snoop);
	if (!err)
		err = vtd_build_context(v, levels);
	if (err) {
		pr_err("vtd: building the DMA tables failed (%d)\n", err);
		return err;
	}
	pr_info("vtd: %u-level tables map %u RAM/RMRR range(s) below 0x%llx less 0x%llx..0x%llx, MMIO unmapped (%u pages%s%s)\n",
		levels, v->pt.range_count, (unsigned long long)top,
		(unsigned long long)sp->hole_base,
		(unsigned long long)(sp->hole_base + sp->hole_size - 1),
		v->pt.table_pages + v->pt_win.table_pages + 2 + v->owner_count,
		flush ? ", clflushed" : "", snoop ? ", snoop forced" : "");
	if (v->owner_count)
		pr_info("vtd: domain %u: %u device(s) the VMM drives, RAM and %u window(s) of VMM memory\n",
			VTD_DOMAIN_WINDOWS, v->owner_count, v->pt_win.window_count);
	return 0;
}

static int vtd_unit_enable(struct vtd *v, struct vtd_unit *u)
{
	u32 sts = rd32(u, VTD_GSTS), iotlb = ECAP_IRO(u->ecap) + 8;
	u64 root_pa = v->mm.virt_to_phys(v->mm.ctx, v->root_table);
	int err = 0;

	if (sts & VTD_GCMD_IRE)
		pr_warn("vtd%u: firmware left interrupt remapping on; the VMM leaves it so\n",
			u->index);
	vtd_fault_poll(u, NULL, 0);	/* stale records from the firmware */
	/* Register-based invalidation is not allowed while queued invalidation is on. */
	if (sts & VTD_GCMD_QIE)
		err = vtd_gcmd(u, VTD_GCMD_QIE, false, "disabling queued invalidation");
	if (!err) {
		wr64(u, VTD_RTADDR, root_pa);	/* TTM 00: legacy mode */
		err = vtd_gcmd_oneshot(u, VTD_GCMD_SRTP, VTD_GCMD_SRTP, VTD_GCMD_SRTP,
				       "setting the root table pointer");
	}
	if (!err && (u->cap & CAP_RWBF))
		err = vtd_gcmd_oneshot(u, VTD_GCMD_WBF, VTD_GCMD_WBF, 0, "write-buffer flush");
	if (!err) {
		wr64(u, VTD_CCMD, VTD_CCMD_ICC | VTD_CCMD_GLOBAL);
		err = vtd_wait64_clear(u, VTD_CCMD, VTD_CCMD_ICC, "context-cache invalidation");
	}
	if (!err) {
		wr64(u, iotlb, VTD_IOTLB_IVT | VTD_IOTLB_GLOBAL |
		     ((u->cap & CAP_DRD) ? VTD_IOTLB_DR : 0) |
		     ((u->cap & CAP_DWD) ? VTD_IOTLB_DW : 0));
		err = vtd_wait64_clear(u, iotlb, VTD_IOTLB_IVT, "IOTLB invalidation");
	}
	if (!err && !(rd64(u, iotlb) & VTD_IOTLB_IAIG)) {
		pr_err("vtd%u: IOTLB invalidation not performed\n", u->index);
		err = -EIO;
	}
	if (!err)
		err = vtd_gcmd(u, VTD_GCMD_TE, true, "enabling translation");
	if (err)
		return err;
	u->enabled = true;
	pr_info("vtd%u: DMA remapping on (root table 0x%llx, domain %u)\n", u->index,
		(unsigned long long)root_pa, VTD_DOMAIN_ID);
	return 0;
}

int vtd_probe_all(struct vtd *v, const struct dmar_info *dmar, const struct vtd_space *sp)
{
	u32 i;
	int err;

	v->unit_count = dmar->unit_count;
	for (i = 0; i < dmar->unit_count; i++) {
		err = vtd_unit_probe(&v->units[i], &dmar->units[i], i);
		if (err)
			return err;
	}
	for (i = 0; i < dmar->rmrr_count; i++) {
		const struct dmar_rmrr *r = &dmar->rmrr[i];

		/* RMRRs stay identity-mapped, unless they reach into the VMM region. */
		if (r->base < sp->hole_base + sp->hole_size && r->end >= sp->hole_base) {
			pr_err("vtd: RMRR 0x%llx..0x%llx overlaps the VMM region\n",
			       (unsigned long long)r->base, (unsigned long long)r->end);
			return -EINVAL;
		}
	}
	return 0;
}

int vtd_enable_probed(struct vtd *v, const struct dmar_info *dmar, const struct vtd_space *sp)
{
	u32 i;
	int err = vtd_build_tables(v, dmar, sp);

	for (i = 0; !err && i < v->unit_count; i++)
		err = vtd_unit_enable(v, &v->units[i]);
	return err;
}

int vtd_enable_all(struct vtd *v, const struct dmar_info *dmar, const struct vtd_space *sp)
{
	int err = vtd_probe_all(v, dmar, sp);

	return err ? err : vtd_enable_probed(v, dmar, sp);
}

u32 vtd_fault_poll(struct vtd_unit *u, struct vtd_fault *out, u32 max)
{
	u32 fsts = rd32(u, VTD_FSTS), fro = CAP_FRO(u->cap), nfr = CAP_NFR(u->cap);
	u32 i, n = 0;

	for (i = 0; (fsts & VTD_FSTS_PPF) && i < nfr; i++) {
		u64 hi = rd64(u, fro + i * 16 + 8), lo;
		struct vtd_fault f;

		if (!(hi & VTD_FRCD_F))
			continue;
		lo = rd64(u, fro + i * 16);
		f = (struct vtd_fault){ .addr = lo & ~(PAGE_SIZE - 1), .source = (u16)hi,
					.reason = (u8)(hi >> 32), .write = !(hi & VTD_FRCD_T) };
		wr32(u, fro + i * 16 + 12, (u32)(VTD_FRCD_F >> 32));	/* RW1C */
		if (log_ratelimit(&u->fault_logs))
			pr_warn("vtd%u: blocked DMA %s of 0x%llx by %02x:%02x.%u (reason 0x%x, fault %u)\n",
				u->index, f.write ? "write" : "read",
				(unsigned long long)f.addr, f.source >> 8, (f.source >> 3) & 0x1f,
				f.source & 7, f.reason, u->fault_count + 1);
		u->fault_count++;
		if (out && n < max)
			out[n] = f;
		n++;
	}
	if (fsts & VTD_FSTS_W1C)
		wr32(u, VTD_FSTS, fsts & VTD_FSTS_W1C);
	return n;
}

int vtd_unit_check(const struct vtd *v, struct vtd_unit *u)
{
	u64 root_pa = v->mm.virt_to_phys(v->mm.ctx, v->root_table);
	u32 gsts = rd32(u, VTD_GSTS);
	u64 rta = rd64(u, VTD_RTADDR), cap = rd64(u, VTD_CAP);

	if ((gsts & VTD_GCMD_TE) && rta == root_pa && cap == u->cap)
		return 0;
	pr_err("vtd%u: translation no longer ours: GSTS 0x%x (TES %s), root table 0x%llx (want 0x%llx), cap 0x%llx (was 0x%llx)\n",
	       u->index, gsts, (gsts & VTD_GCMD_TE) ? "set" : "clear", (unsigned long long)rta,
	       (unsigned long long)root_pa, (unsigned long long)cap, (unsigned long long)u->cap);
	return -EIO;
}
