# vmm/: the `policy` boot phase (verify, anti-rollback, unlock on the trusted
# console; docs/policy.md "Boot") and its unit test.
VMM_OBJS += $(BUILD)/vmm/policy.o $(BUILD)/vmm/policy_line.o

UNIT_TESTS += $(BUILD)/tests/test_policy_line
$(BUILD)/tests/test_policy_line: $(BUILD)/host/tests/unit/test_policy_line.o \
		$(BUILD)/host/vmm/policy_line.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

# The policy boot phase against stubs: raw keys do not outlive the disk and net phases.
HOST_CFLAGS_vmm/policy.c := -Inet/include
HOST_CFLAGS_tests/unit/test_policy_boot.c := -Inet/include
UNIT_TESTS += $(BUILD)/tests/test_policy_boot
$(BUILD)/tests/test_policy_boot: $(BUILD)/host/tests/unit/test_policy_boot.o \
		$(BUILD)/host/vmm/policy.o $(BUILD)/host/tests/unit/stub_log.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)
