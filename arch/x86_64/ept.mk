# EPT and host page-table builders, MTRR lookup (pure C; host-tested).
VMM_OBJS += $(BUILD)/arch/x86_64/ept.o $(BUILD)/arch/x86_64/mtrr.o \
	$(BUILD)/arch/x86_64/host_pt.o

EPT_HOST_OBJS := $(BUILD)/host/arch/x86_64/ept.o $(BUILD)/host/arch/x86_64/mtrr.o \
	$(BUILD)/host/tests/unit/stub_log.o

UNIT_TESTS += $(BUILD)/tests/unit/test_ept $(BUILD)/tests/unit/test_mtrr

$(BUILD)/tests/unit/test_ept: $(BUILD)/host/tests/unit/test_ept.o $(EPT_HOST_OBJS)
	@mkdir -p $(@D)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) -o $@ $^ -lcmocka $(HOST_LDLIBS)

$(BUILD)/tests/unit/test_mtrr: $(BUILD)/host/tests/unit/test_mtrr.o \
		$(BUILD)/host/arch/x86_64/mtrr.o
	@mkdir -p $(@D)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) -o $@ $^ -lcmocka $(HOST_LDLIBS)

UNIT_TESTS += $(BUILD)/tests/unit/test_host_pt
$(BUILD)/tests/unit/test_host_pt: $(BUILD)/host/tests/unit/test_host_pt.o \
		$(BUILD)/host/arch/x86_64/host_pt.o
	@mkdir -p $(@D)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) -o $@ $^ -lcmocka $(HOST_LDLIBS)

# arch/x86_64/guest_mem.c (included, VMREADs faked) over a real EPT.
UNIT_TESTS += $(BUILD)/tests/unit/test_guest_mem
$(BUILD)/tests/unit/test_guest_mem: $(BUILD)/host/tests/unit/test_guest_mem.o $(EPT_HOST_OBJS)
	@mkdir -p $(@D)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) -o $@ $^ -lcmocka $(HOST_LDLIBS)
