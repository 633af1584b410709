// SPDX-License-Identifier: GPL-2.0-only
#include <asm/cpu.h>
#include <asm/host_pt.h>
#include <asm/processor.h>
#include <asm/vmx_vcpu.h>
#include <mamori/boot_info.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/string.h>
#include <mamori/vm.h>

_Static_assert(__builtin_offsetof(struct per_cpu, fixup_rip) == PERCPU_FIXUP_RIP,
	       "PERCPU_FIXUP_RIP out of date");
_Static_assert(__builtin_offsetof(struct per_cpu, vmlaunch_next) == PERCPU_VMLAUNCH_NEXT,
	       "PERCPU_VMLAUNCH_NEXT out of date");
_Static_assert(__builtin_offsetof(struct per_cpu, launch_rsp) == PERCPU_LAUNCH_RSP, "PERCPU_LAUNCH_RSP out of date");

struct idt_gate {
	u16 off0, sel;
	u8 ist, type;
	u16 off1;
	u32 off2, rsvd;
} __packed;

/* Linker-script symbols (vmm.lds): the image's page-aligned section bounds. */
extern const u8 __vmm_start[], __rodata_start[], __data_start[];

static struct idt_gate host_idt[32] __aligned(16);
static struct per_cpu *percpu_table[PERCPU_MAX];
static struct host_pt host_pt;
static u64 host_top;		/* the host maps [0, host_top) */
static u64 host_nx;		/* HPT_NX when the CPU has it, else 0 */
static u64 host_exec_page;	/* AP start-up page: executable until sealed */

/* IST slots (1-based in the gate) for the exceptions that must get a fresh stack. */
#define IST_DF		1
#define IST_NMI		2
#define IST_MC		3
#define IST_STACKS	3

static const char *const exc_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO",
	"#TS", "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM",
	"#VE", "#CP",
};

static void invlpg(u64 va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* @pages of stack above an unmapped guard page: an overflow faults (#DF on IST). */
static u8 *stack_alloc(u32 pages)
{
	u8 *p = page_alloc(pages + 1);

	if (!p || !host_pt.pml4 || host_pt_unmap(&host_pt, (u64)p, PAGE_SIZE))
		return NULL;
	invlpg((u64)p);
	return p + PAGE_SIZE;
}

struct per_cpu *percpu_alloc(u32 cpu_id, u32 apic_id)
{
	u32 pages = ALIGN_UP(sizeof(struct per_cpu), PAGE_SIZE) / PAGE_SIZE, i;
	struct per_cpu *pc = page_alloc(pages);

	if (!pc || cpu_id >= PERCPU_MAX)
		return NULL;
	pc->exit_stack = stack_alloc(EXIT_STACK_PAGES);
	if (!pc->exit_stack)
		return NULL;
	for (i = 0; i < IST_STACKS; i++) {
		u8 *st = stack_alloc(IST_STACK_PAGES);

		if (!st)
			return NULL;
		pc->tss.ist[i] = (u64)st + IST_STACK_PAGES * PAGE_SIZE;
	}
	pc->self = pc;
	pc->cpu_id = cpu_id;
	pc->apic_id = apic_id;
	percpu_table[cpu_id] = pc;
	return pc;
}

struct per_cpu *percpu_get(u32 cpu_id)
{
	return cpu_id < PERCPU_MAX ? percpu_table[cpu_id] : NULL;
}

/* The image W^X: text RX, rodata R; data, bss and the heap stay RW NX. */
static int host_map_image(void)
{
	u64 text = (u64)__vmm_start, ro = (u64)__rodata_start, data = (u64)__data_start;
	int rc = host_pt_map(&host_pt, text, ro - text, 0);

	if (!rc)
		rc = host_pt_map(&host_pt, ro, data - ro, host_nx);
	return rc;
}

u64 host_paging_init(u32 phys_bits, const struct boot_info *bi)
{
	struct cpuid_regs r;
	bool gb;
	int rc;

	cpuid_count(0x80000001, 0, &r);
	gb = r.edx & BIT(26);
	host_nx = (r.edx & BIT(20)) ? HPT_NX : 0;
	host_top = identity_map_limit(gb, bi->mem, bi->mem_count, phys_bits);
	rc = host_pt_init(&host_pt, &vmm_ept_mm, gb);
	if (!rc)
		rc = host_pt_map(&host_pt, 0, host_top, HPT_W | host_nx);
	if (!rc)
		rc = host_map_image();
	if (!rc && bi->ap_trampoline) {
		host_exec_page = ALIGN_DOWN(bi->ap_trampoline, PAGE_SIZE);
		rc = host_pt_map(&host_pt, host_exec_page, PAGE_SIZE, HPT_W);
	}
	if (rc) {
		pr_err("cpu: host page tables failed (%d) after %u table pages\n", rc,
		       host_pt.table_pages);
		host_top = 0;
		return 0;
	}
	pr_info("cpu: host page tables: identity [0, 0x%lx)%s, image W^X, %u table pages\n",
		host_top, host_nx ? " NX" : " (no NX: CPU lacks it)", host_pt.table_pages);
	return host_pt.pml4_pa;
}

void host_paging_seal(void)
{
	if (!host_exec_page)
		return;
	if (host_pt_map(&host_pt, host_exec_page, PAGE_SIZE, HPT_W | host_nx))
		pr_err("cpu: cannot make the AP start-up page non-executable\n");
	invlpg(host_exec_page);
	host_exec_page = 0;
}

bool host_phys_mapped(u64 pa, u64 len)
{
	return pa < host_top && len <= host_top - pa;
}

static void idt_init_once(void)
{
	u32 v;

	if (host_idt[0].type)
		return;
	for (v = 0; v < 32; v++) {
		u64 a = host_exc_stubs[v];

		host_idt[v].off0 = (u16)a;
		host_idt[v].sel = HOST_CS;
		host_idt[v].ist = v == X86_VEC_DF ? IST_DF : v == X86_VEC_NMI ? IST_NMI :
				  v == X86_VEC_MC ? IST_MC : 0;
		host_idt[v].type = 0x8e;	/* present, interrupt gate */
		host_idt[v].off1 = (u16)(a >> 16);
		host_idt[v].off2 = (u32)(a >> 32);
	}
}

u64 host_idt_base(void)
{
	return (u64)host_idt;
}

static void gdt_init(struct per_cpu *pc)
{
	u64 tss = (u64)&pc->tss;
	u64 lim = sizeof(pc->tss) - 1;

	pc->gdt[0] = 0;
	pc->gdt[1] = 0x00af9b000000ffffULL;	/* 64-bit code, DPL 0 */
	pc->gdt[2] = 0x00cf93000000ffffULL;	/* data */
	pc->gdt[3] = (lim & 0xffff) | ((tss & 0xffffff) << 16) | (0x89ULL << 40) |
		     (((tss >> 24) & 0xff) << 56);
	pc->gdt[4] = tss >> 32;
	pc->tss.iomap_base = sizeof(pc->tss);
}

void host_cpu_load(struct per_cpu *pc, u64 cr3)
{
	struct desc_ptr gdtr = { sizeof(pc->gdt) - 1, (u64)pc->gdt };
	struct desc_ptr idtr = { sizeof(host_idt) - 1, (u64)host_idt };

	idt_init_once();
	gdt_init(pc);
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "mov %2, %%ds\n\t"
			 "mov %2, %%es\n\t"
			 "mov %2, %%ss\n\t"
			 "mov %2, %%fs\n\t"
			 "mov %2, %%gs\n\t"
			 "ltr %w3\n\t"
			 "lidt %4"
			 : : "m"(gdtr), "i"((u64)HOST_CS), "r"(HOST_DS), "r"(HOST_TR),
			   "m"(idtr)
			 : "rax", "memory");
	wrmsr(MSR_GS_BASE, (u64)pc);
	wrmsr(MSR_FS_BASE, 0);
	if (host_nx)	/* before the CR3 whose leaves carry NX */
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	write_cr3(cr3);
}

void host_exception(struct host_exc_frame *f)
{
	struct per_cpu *pc = this_cpu();

	if (f->vector == X86_VEC_NMI) {
		if (!vmx_nmi_take_kick(pc))
			vmx_nmi_queue(pc);
		else if (pc->vm)	/* an EPT shootdown kick from another CPU */
			arch_vm_ept_sync(pc->vm);
		return;
	}
	if (pc->fixup_rip) {
		pc->fault_vector = f->vector;
		f->rip = pc->fixup_rip;
		pc->fixup_rip = 0;
		return;
	}
	pr_fatal("cpu%u: host exception %s (vector %lu, error 0x%lx) at rip 0x%lx\n",
		 pc->cpu_id, f->vector < 32 && exc_names[f->vector] ?
		 exc_names[f->vector] : "?", f->vector, f->error_code, f->rip);
	pr_fatal("cpu%u: rsp 0x%lx rflags 0x%lx cr2 0x%lx rax 0x%lx rbx 0x%lx rcx 0x%lx rdx 0x%lx\n",
		 pc->cpu_id, f->rsp, f->rflags, read_cr2(), f->rax, f->rbx, f->rcx, f->rdx);
	if (f->vector == X86_VEC_DF)
		pr_fatal("cpu%u: double fault: a VMM stack overflow into its guard page?\n",
			 pc->cpu_id);
	pr_fatal("cpu%u: VMM stopped on this CPU (host exceptions are VMM bugs)\n", pc->cpu_id);
	cpu_halt_forever();
}
