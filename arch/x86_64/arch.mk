# arch/x86_64/: VMX, host CPU state, entry code. vmm_start (entry.S) is the ELF entry.
VMM_OBJS += $(addprefix $(BUILD)/arch/x86_64/, entry.o idt.o cpu.o setup.o vm.o vmx.o \
	vmx_caps.o vmx_guest.o vmx_exit.o vmx_vcpu.o vmx_stats.o x86_rules.o vmx_msr.o vmx_io.o vm_monitor.o vmx_monitor.o spec_ctrl.o cpuid_filter.o guest_mem.o apic.o smp.o trampoline.o)
