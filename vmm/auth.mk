# vmm/: the audit ring (HC_AUDIT_READ), the file-access dialog and its sessions (issue 13; docs/filecheck.md
# "The dialog"), and its unit test against a fake console and clock.
VMM_OBJS += $(BUILD)/vmm/audit.o $(BUILD)/vmm/auth.o $(BUILD)/vmm/auth_dialog.o $(BUILD)/vmm/auth_console.o

UNIT_TESTS += $(BUILD)/tests/test_auth
$(BUILD)/tests/test_auth: $(BUILD)/host/tests/unit/test_auth.o \
		$(BUILD)/host/vmm/auth.o $(BUILD)/host/vmm/auth_dialog.o $(BUILD)/host/vmm/audit.o \
		$(BUILD)/host/vmm/policy_line.o $(BUILD)/host/vmm/reset.o \
		$(POLICY_BLOB_SRCS:%.c=$(BUILD)/host/%.o)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka -lcrypto $(POLICY_LIBS) $(HOST_LDLIBS)
