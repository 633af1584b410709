# vmm/: the arch-neutral core.
VMM_OBJS += $(addprefix $(BUILD)/vmm/, main.o log.o console.o mm.o vm.o devices.o smp.o \
	hypercall.o)
