# Unit tests of the loader and the VMX core (host build).
UNIT_TESTS += $(BUILD)/tests/test_vmx $(BUILD)/tests/test_log

$(BUILD)/tests/test_vmx: $(BUILD)/host/tests/unit/test_vmx.o \
		$(BUILD)/host/arch/x86_64/vmx_caps.o $(BUILD)/host/arch/x86_64/cpuid_filter.o \
		$(BUILD)/host/tests/unit/stub_log.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

$(BUILD)/tests/test_log: $(BUILD)/host/tests/unit/test_log.o $(BUILD)/host/vmm/log.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

UNIT_TESTS += $(BUILD)/tests/test_smp
$(BUILD)/tests/test_smp: $(BUILD)/host/tests/unit/test_smp.o $(BUILD)/host/vmm/smp.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

UNIT_TESTS += $(BUILD)/tests/test_hypercall
$(BUILD)/tests/test_hypercall: $(BUILD)/host/tests/unit/test_hypercall.o \
		$(BUILD)/host/vmm/hypercall.o $(BUILD)/host/tests/unit/stub_log.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)
