/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The monitor partition on VT-x (docs/monitor.md): its VM (memory, EPT,
 * snapshots: vm_monitor.c) and its VMCS on the boot CPU, with the world
 * switch between the guest's VMCS and its own (vmx_monitor.c).
 */
#ifndef MAMORI_ASM_VMX_MONITOR_H
#define MAMORI_ASM_VMX_MONITOR_H

#include <mamori/types.h>
#include <mamori/vm.h>
#include <asm/percpu.h>

struct mon_vm {
	struct vm vm;			/* id 1: its own EPT and VPID in vm.arch */
	u8 *mem;			/* MON_MEM_SIZE private bytes, monitor-physical 0 */
	u8 *msr_bitmap;			/* all ones */
	u64 window;			/* guest-physical bytes the RO window covers */
};

extern struct mon_vm mon_vm;

/* mon_vm_reset_memory - zero its memory, rebuild its page tables, load the program. */
void mon_vm_reset_memory(void);
/* mon_snapshot_refresh - record the current (guest) VMCS's control state for @pc. */
void mon_snapshot_refresh(struct per_cpu *pc);

/*
 * vmx_monitor_cpu_init - the monitor's VMCS on @pc (the boot CPU), before the
 * guest's launch; the guest's VMCS is current again on return. false: the
 * monitor cannot run here (logged).
 */
bool vmx_monitor_cpu_init(struct per_cpu *pc, u64 host_cr3);
/* vmx_monitor_active - @pc runs the monitor's VMCS now. */
bool vmx_monitor_active(const struct per_cpu *pc);
/*
 * vmx_monitor_exit - a VM exit from the monitor (its own handlers: VMCALL,
 * timer, NMI; anything else is a fault). Return: true when the slice ended
 * and the guest's VMCS and registers are back in place.
 */
bool vmx_monitor_exit(struct per_cpu *pc, struct guest_regs *r, u32 full_reason);
/*
 * vmx_monitor_guest_exit - end of a guest exit's handling: refresh this CPU's
 * snapshot on timer exits, start a due slice (switch to the monitor's VMCS),
 * else program the guest's timer so the next slice is not late.
 */
void vmx_monitor_guest_exit(struct per_cpu *pc, struct guest_regs *r, u32 reason);

/*
 * vmx_monitor_trap_msrs - make guest writes of LSTAR, CSTAR and SYSENTER_EIP
 * exit (@msr_bitmap: the guest's), for the monitor's synchronous events.
 */
void vmx_monitor_trap_msrs(u8 *msr_bitmap);
/*
 * vmx_monitor_msr_write - a guest WRMSR of a trapped syscall MSR: done (the
 * MSR, or the VMCS field for SYSENTER_EIP) and queued as an event. Return:
 * false when @msr is not one of them; *@gp when the write faults.
 */
bool vmx_monitor_msr_write(struct per_cpu *pc, u32 msr, u64 val, bool *gp);
/*
 * vmx_monitor_cr_write - an emulated guest write of CR@cr from @old to @new
 * (done): clearing CR0.WP or CR4.SMEP/SMAP is queued as an event.
 */
void vmx_monitor_cr_write(struct per_cpu *pc, u32 cr, u64 old, u64 new);

#endif
