# Guest INIT emulation (ICR intercept), the MMIO intercept core and its
# instruction decoder; the pure parts are host-tested.
VMM_OBJS += $(addprefix $(BUILD)/arch/x86_64/, insn.o apic_icr.o vapic.o vmx_mmio.o \
	vmx_mmio_fault.o) \
	$(BUILD)/vmm/vm_mmio.o

UNIT_TESTS += $(BUILD)/tests/test_insn $(BUILD)/tests/test_apic_icr

$(BUILD)/tests/test_insn: $(BUILD)/host/tests/unit/test_insn.o $(BUILD)/host/arch/x86_64/insn.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

$(BUILD)/tests/test_apic_icr: $(BUILD)/host/tests/unit/test_apic_icr.o \
		$(BUILD)/host/arch/x86_64/apic_icr.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

UNIT_TESTS += $(BUILD)/tests/test_mmio
$(BUILD)/tests/test_mmio: $(BUILD)/host/tests/unit/test_mmio.o $(BUILD)/host/vmm/vm_mmio.o \
		$(BUILD)/host/arch/x86_64/vmx_mmio_fault.o \
		$(BUILD)/host/vmm/lib/string.o $(BUILD)/host/tests/unit/stub_log.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

# Guest ICR writes end to end (vapic.c) against a model of the local APIC.
UNIT_TESTS += $(BUILD)/tests/test_vapic
$(BUILD)/tests/test_vapic: $(BUILD)/host/tests/unit/test_vapic.o $(BUILD)/host/arch/x86_64/vapic.o \
		$(BUILD)/host/arch/x86_64/apic_icr.o $(BUILD)/host/tests/unit/stub_log.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)
