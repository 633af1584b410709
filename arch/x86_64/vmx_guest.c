// SPDX-License-Identifier: GPL-2.0-only
/* Guest state: the loader's own context, so it "returns a second time" as the guest. */
#include <asm/processor.h>
#include <asm/vmx_setup.h>
#include <asm/vmx_vcpu.h>
#include <mamori/log.h>

struct seg_fields {
	u32 sel, base, limit, ar;
};

static const struct seg_fields seg_es = { GUEST_ES_SELECTOR, GUEST_ES_BASE, GUEST_ES_LIMIT, GUEST_ES_AR };
static const struct seg_fields seg_cs = { GUEST_CS_SELECTOR, GUEST_CS_BASE, GUEST_CS_LIMIT, GUEST_CS_AR };
static const struct seg_fields seg_ss = { GUEST_SS_SELECTOR, GUEST_SS_BASE, GUEST_SS_LIMIT, GUEST_SS_AR };
static const struct seg_fields seg_ds = { GUEST_DS_SELECTOR, GUEST_DS_BASE, GUEST_DS_LIMIT, GUEST_DS_AR };
static const struct seg_fields seg_fs = { GUEST_FS_SELECTOR, GUEST_FS_BASE, GUEST_FS_LIMIT, GUEST_FS_AR };
static const struct seg_fields seg_gs = { GUEST_GS_SELECTOR, GUEST_GS_BASE, GUEST_GS_LIMIT, GUEST_GS_AR };
static const struct seg_fields seg_ldtr = { GUEST_LDTR_SELECTOR, GUEST_LDTR_BASE, GUEST_LDTR_LIMIT, GUEST_LDTR_AR };
static const struct seg_fields seg_tr = { GUEST_TR_SELECTOR, GUEST_TR_BASE, GUEST_TR_LIMIT, GUEST_TR_AR };

/* Load one segment's hidden part from the current GDT; @sys: 16-byte descriptor. */
static bool guest_seg(const struct seg_fields *f, u16 sel, const struct desc_ptr *gdt,
		      bool sys)
{
	u64 d, base, limit;
	u32 ar;
	bool ok = true;

	ok &= vmx_vmw(f->sel, sel);
	if ((sel & ~7) == 0 || (sel | 7) > gdt->limit) {
		ok &= vmx_vmw(f->base, 0);
		ok &= vmx_vmw(f->limit, 0);
		return ok & vmx_vmw(f->ar, VMX_AR_UNUSABLE);
	}
	d = *(const u64 *)(gdt->base + (sel & ~7));
	limit = (d & 0xffff) | ((d >> 32) & 0xf0000);
	if (d & BIT(55))
		limit = (limit << 12) | 0xfff;
	base = ((d >> 16) & 0xffffff) | (((d >> 56) & 0xff) << 24);
	if (sys)
		base |= *(const u64 *)(gdt->base + (sel & ~7) + 8) << 32;
	ar = (u32)((d >> 40) & 0xf0ff);
	if (!sys)
		ar |= 1;	/* accessed: VM entry requires it of usable segments */
	ok &= vmx_vmw(f->base, base);
	ok &= vmx_vmw(f->limit, limit);
	return ok & vmx_vmw(f->ar, ar);
}

/* UEFI leaves TR = 0: give the guest a valid (unused) busy 64-bit TSS. */
static bool guest_tr(const struct desc_ptr *gdt)
{
	u16 tr = store_tr();
	bool ok = true;

	if (tr)
		return guest_seg(&seg_tr, tr, gdt, true);
	ok &= vmx_vmw(GUEST_TR_SELECTOR, 0);
	ok &= vmx_vmw(GUEST_TR_BASE, 0);
	ok &= vmx_vmw(GUEST_TR_LIMIT, 0x67);
	return ok & vmx_vmw(GUEST_TR_AR, 0x8b);
}

static bool guest_segments(void)
{
	struct desc_ptr gdt, idt;
	bool ok = true;

	store_gdt(&gdt);
	store_idt(&idt);
	ok &= guest_seg(&seg_es, read_es(), &gdt, false);
	ok &= guest_seg(&seg_cs, read_cs(), &gdt, false);
	ok &= guest_seg(&seg_ss, read_ss(), &gdt, false);
	ok &= guest_seg(&seg_ds, read_ds(), &gdt, false);
	ok &= guest_seg(&seg_fs, read_fs(), &gdt, false);
	ok &= guest_seg(&seg_gs, read_gs(), &gdt, false);
	ok &= guest_seg(&seg_ldtr, store_ldt(), &gdt, true);
	ok &= guest_tr(&gdt);
	ok &= vmx_vmw(GUEST_FS_BASE, rdmsr(MSR_FS_BASE));
	ok &= vmx_vmw(GUEST_GS_BASE, rdmsr(MSR_GS_BASE));
	ok &= vmx_vmw(GUEST_GDTR_BASE, gdt.base);
	ok &= vmx_vmw(GUEST_GDTR_LIMIT, gdt.limit);
	ok &= vmx_vmw(GUEST_IDTR_BASE, idt.base);
	return ok & vmx_vmw(GUEST_IDTR_LIMIT, idt.limit);
}

bool vmcs_setup_guest_from_ctx(const struct boot_ctx *ctx)
{
	u64 cr0 = read_cr0(), cr4 = read_cr4(), efer = rdmsr(MSR_EFER);
	bool ok = guest_segments();

	ok &= vmx_vmw(CR0_READ_SHADOW, cr0);
	ok &= vmx_vmw(CR4_READ_SHADOW, cr4 & ~X86_CR4_VMXE);
	ok &= vmx_vmw(GUEST_CR0, vmx_guest_cr0(cr0));
	ok &= vmx_vmw(GUEST_CR3, read_cr3());
	ok &= vmx_vmw(GUEST_CR4, vmx_guest_cr4(cr4 | X86_CR4_VMXE));
	ok &= vmx_vmw(GUEST_DR7, read_dr7());
	ok &= vmx_vmw(GUEST_RSP, ctx->rsp + 8);
	ok &= vmx_vmw(GUEST_RIP, *(const u64 *)ctx->rsp);
	ok &= vmx_vmw(GUEST_RFLAGS, ctx->rflags | X86_RFLAGS_RESERVED1);
	ok &= vmx_vmw(GUEST_IA32_EFER, efer);
	ok &= vmx_vmw(GUEST_IA32_PAT, rdmsr(MSR_IA32_PAT));
	ok &= vmx_vmw(GUEST_IA32_DEBUGCTL, rdmsr(MSR_IA32_DEBUGCTL));
	ok &= vmx_vmw(GUEST_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	ok &= vmx_vmw(GUEST_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	ok &= vmx_vmw(GUEST_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	ok &= vmx_vmw(VMCS_LINK_POINTER, ~0ULL);
	ok &= vmx_vmw(GUEST_INTERRUPTIBILITY_INFO, 0);
	ok &= vmx_vmw(GUEST_ACTIVITY_STATE, 0);
	ok &= vmx_vmw(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	ok &= vmx_vmw(VM_ENTRY_CONTROLS, vmx_cfg.entry | ((efer & EFER_LMA) ? ENTRY_IA32E_MODE : 0));
	return ok;
}

struct named_field {
	const char *name;
	u32 field;
};

static const struct named_field dump_fields[] = {
	{ "cr0", GUEST_CR0 }, { "cr3", GUEST_CR3 }, { "cr4", GUEST_CR4 },
	{ "rip", GUEST_RIP }, { "rsp", GUEST_RSP }, { "rflags", GUEST_RFLAGS },
	{ "efer", GUEST_IA32_EFER }, { "entry-ctls", VM_ENTRY_CONTROLS },
	{ "cs", GUEST_CS_SELECTOR }, { "cs.ar", GUEST_CS_AR }, { "cs.limit", GUEST_CS_LIMIT },
	{ "ss", GUEST_SS_SELECTOR }, { "ss.ar", GUEST_SS_AR },
	{ "ds.ar", GUEST_DS_AR }, { "es.ar", GUEST_ES_AR }, { "fs.ar", GUEST_FS_AR },
	{ "gs.ar", GUEST_GS_AR }, { "tr", GUEST_TR_SELECTOR }, { "tr.ar", GUEST_TR_AR },
	{ "ldtr.ar", GUEST_LDTR_AR }, { "gdtr", GUEST_GDTR_BASE },
	{ "gdtr.limit", GUEST_GDTR_LIMIT }, { "idtr", GUEST_IDTR_BASE },
	{ "intr-state", GUEST_INTERRUPTIBILITY_INFO }, { "activity", GUEST_ACTIVITY_STATE },
	{ "link", VMCS_LINK_POINTER },
};

void vmx_dump_guest_state(void)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(dump_fields); i++)
		pr_err("vmx:   guest %s = 0x%lx\n", dump_fields[i].name,
		       vmcs_read(dump_fields[i].field));
}

/* Guest state after INIT (SDM Vol. 3A Table 10-1), in @activity. */
bool vmcs_setup_guest_init(u32 activity)
{
	static const struct seg_fields *const data_segs[] = {
		&seg_es, &seg_ss, &seg_ds, &seg_fs, &seg_gs,
	};
	u64 cr0 = 0x60000010;		/* CD | NW | ET */
	bool ok = true;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(data_segs); i++) {
		ok &= vmx_vmw(data_segs[i]->sel, 0);
		ok &= vmx_vmw(data_segs[i]->base, 0);
		ok &= vmx_vmw(data_segs[i]->limit, 0xffff);
		ok &= vmx_vmw(data_segs[i]->ar, 0x93);
	}
	ok &= vmx_vmw(GUEST_CS_SELECTOR, 0xf000);
	ok &= vmx_vmw(GUEST_CS_BASE, 0xffff0000);
	ok &= vmx_vmw(GUEST_CS_LIMIT, 0xffff);
	ok &= vmx_vmw(GUEST_CS_AR, 0x9b);
	ok &= vmx_vmw(GUEST_LDTR_SELECTOR, 0);
	ok &= vmx_vmw(GUEST_LDTR_BASE, 0);
	ok &= vmx_vmw(GUEST_LDTR_LIMIT, 0xffff);
	ok &= vmx_vmw(GUEST_LDTR_AR, 0x82);
	ok &= vmx_vmw(GUEST_TR_SELECTOR, 0);
	ok &= vmx_vmw(GUEST_TR_BASE, 0);
	ok &= vmx_vmw(GUEST_TR_LIMIT, 0xffff);
	ok &= vmx_vmw(GUEST_TR_AR, 0x8b);
	ok &= vmx_vmw(GUEST_GDTR_BASE, 0);
	ok &= vmx_vmw(GUEST_GDTR_LIMIT, 0xffff);
	ok &= vmx_vmw(GUEST_IDTR_BASE, 0);
	ok &= vmx_vmw(GUEST_IDTR_LIMIT, 0xffff);
	ok &= vmx_vmw(CR0_READ_SHADOW, cr0);
	ok &= vmx_vmw(GUEST_CR0, vmx_guest_cr0(cr0));
	ok &= vmx_vmw(CR4_READ_SHADOW, 0);
	ok &= vmx_vmw(GUEST_CR4, vmx_guest_cr4(X86_CR4_VMXE));
	ok &= vmx_vmw(GUEST_CR3, 0);
	ok &= vmx_vmw(GUEST_DR7, 0x400);
	ok &= vmx_vmw(GUEST_RSP, 0);
	ok &= vmx_vmw(GUEST_RIP, 0xfff0);
	ok &= vmx_vmw(GUEST_RFLAGS, X86_RFLAGS_RESERVED1);
	ok &= vmx_vmw(GUEST_IA32_EFER, 0);
	ok &= vmx_vmw(GUEST_IA32_PAT, 0x0007040600070406ULL);
	ok &= vmx_vmw(GUEST_IA32_DEBUGCTL, 0);
	ok &= vmx_vmw(GUEST_SYSENTER_CS, 0);
	ok &= vmx_vmw(GUEST_SYSENTER_ESP, 0);
	ok &= vmx_vmw(GUEST_SYSENTER_EIP, 0);
	ok &= vmx_vmw(VMCS_LINK_POINTER, ~0ULL);
	ok &= vmx_vmw(GUEST_INTERRUPTIBILITY_INFO, 0);
	ok &= vmx_vmw(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	ok &= vmx_vmw(VM_ENTRY_INTR_INFO, 0);
	ok &= vmx_vmw(VM_ENTRY_CONTROLS, vmx_cfg.entry);
	return ok & vmx_vmw(GUEST_ACTIVITY_STATE, activity);
}

bool vmcs_guest_sipi(u8 vector)
{
	/* The CPU saved its own post-INIT state at the SIPI exit (Bochs: CS as a
	 * data segment, CR0 without fixed bits): start again from the INIT state. */
	bool ok = vmcs_setup_guest_init(GUEST_ACTIVITY_ACTIVE);

	ok &= vmx_vmw(GUEST_CS_SELECTOR, (u64)vector << 8);
	ok &= vmx_vmw(GUEST_CS_BASE, (u64)vector << 12);
	ok &= vmx_vmw(GUEST_RIP, 0);
	return ok & vmx_vmw(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
}
