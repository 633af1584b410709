// SPDX-License-Identifier: GPL-2.0-only
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/vmx_vcpu.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/string.h>
#include <mamori/vm.h>

_Static_assert(__builtin_offsetof(struct per_cpu, fixup_rip) == PERCPU_FIXUP_RIP,
	       "PERCPU_FIXUP_RIP out of date");
_Static_assert(__builtin_offsetof(struct per_cpu, launch_rsp) == PERCPU_LAUNCH_RSP, "PERCPU_LAUNCH_RSP out of date");

struct idt_gate {
	u16 off0, sel;
	u8 ist, type;
	u16 off1;
	u32 off2, rsvd;
} __packed;

static struct idt_gate host_idt[32] __aligned(16);
static struct per_cpu *percpu_table[PERCPU_MAX];

static const char *const exc_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO",
	"#TS", "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM",
	"#VE", "#CP",
};

struct per_cpu *percpu_alloc(u32 cpu_id, u32 apic_id)
{
	u32 pages = ALIGN_UP(sizeof(struct per_cpu), PAGE_SIZE) / PAGE_SIZE;
	struct per_cpu *pc = page_alloc(pages);

	if (!pc || cpu_id >= PERCPU_MAX)
		return NULL;
	pc->exit_stack = page_alloc(EXIT_STACK_PAGES);
	if (!pc->exit_stack)
		return NULL;
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

u64 host_paging_init(u32 phys_bits, u64 top_of_ram)
{
	struct cpuid_regs r;
	u64 limit = 1ULL << MIN(phys_bits, 39);	/* 512 GiB: one PML4 entry */
	u64 *pml4 = page_alloc(1), *pdpt = page_alloc(1), gb;

	if (!pml4 || !pdpt)
		return 0;
	cpuid_count(0x80000001, 0, &r);
	pml4[0] = virt_to_phys(pdpt) | 0x3;
	for (gb = 0; gb < limit >> 30; gb++) {
		u64 *pd, i;

		if (r.edx & BIT(26)) {		/* 1 GiB pages */
			pdpt[gb] = (gb << 30) | 0x83;
			continue;
		}
		if ((gb << 30) >= MAX(top_of_ram, 4ULL << 30))
			break;
		pd = page_alloc(1);
		if (!pd)
			return 0;
		for (i = 0; i < 512; i++)
			pd[i] = (gb << 30) | (i << 21) | 0x83;
		pdpt[gb] = virt_to_phys(pd) | 0x3;
	}
	return virt_to_phys(pml4);
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
		host_idt[v].ist = 0;
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
	pr_fatal("cpu%u: VMM stopped on this CPU (host exceptions are VMM bugs)\n", pc->cpu_id);
	cpu_halt_forever();
}
