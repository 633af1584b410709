# Unit tests of the loader and the VMX core (host build).
UNIT_TESTS += $(BUILD)/tests/test_vmx $(BUILD)/tests/test_log

$(BUILD)/tests/test_vmx: $(BUILD)/host/tests/unit/test_vmx.o \
		$(BUILD)/host/arch/x86_64/vmx_caps.o $(BUILD)/host/arch/x86_64/cpuid_filter.o \
		$(BUILD)/host/arch/x86_64/vmx_vcpu.o $(BUILD)/host/arch/x86_64/x86_rules.o \
		$(BUILD)/host/arch/x86_64/spec_ctrl.o $(BUILD)/host/tests/unit/stub_log.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

# IA32_SPEC_CTRL switched around VM exits, against a model of the MSR.
UNIT_TESTS += $(BUILD)/tests/test_spec_ctrl
$(BUILD)/tests/test_spec_ctrl: $(BUILD)/host/tests/unit/test_spec_ctrl.o \
		$(BUILD)/host/arch/x86_64/spec_ctrl.o $(BUILD)/host/tests/unit/stub_log.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

# The guest MSR table (deny by default) and the MSR bitmap built from it.
UNIT_TESTS += $(BUILD)/tests/test_vmx_msr
$(BUILD)/tests/test_vmx_msr: $(BUILD)/host/tests/unit/test_vmx_msr.o \
		$(BUILD)/host/arch/x86_64/vmx_msr.o $(BUILD)/host/tests/unit/stub_log.o
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
		$(BUILD)/host/vmm/hypercall.o $(BUILD)/host/vmm/audit.o \
		$(BUILD)/host/vmm/monitor_sched.o \
		$(BUILD)/host/tests/unit/stub_log.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

# vmm/disk.c with a fake pci_find() and page_alloc() (in the test), checked against OpenSSL.
UNIT_TESTS += $(BUILD)/tests/test_disk
$(BUILD)/tests/test_disk: $(BUILD)/host/tests/unit/test_disk.o $(BUILD)/host/vmm/disk.o \
		$(BUILD)/host/vmm/reset.o \
		$(BUILD)/host/crypto/xts.o $(BUILD)/host/arch/x86_64/fpu.o \
		$(POLICY_BLOB_SRCS:%.c=$(BUILD)/host/%.o) $(BUILD)/host/tests/unit/stub_log.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka -lcrypto $(POLICY_LIBS) $(HOST_LDLIBS)

UNIT_TESTS += $(BUILD)/tests/test_ata
$(BUILD)/tests/test_ata: $(BUILD)/host/tests/unit/test_ata.o $(BUILD)/host/drivers/ata.o \
		$(BUILD)/host/drivers/ata_cmds.o $(BUILD)/host/tests/unit/stub_filecheck.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

UNIT_TESTS += $(BUILD)/tests/test_ahci
$(BUILD)/tests/test_ahci: $(BUILD)/host/tests/unit/test_ahci.o $(BUILD)/host/drivers/ahci.o \
		$(BUILD)/host/drivers/ahci_cmd.o $(BUILD)/host/drivers/ahci_bounce.o \
		$(BUILD)/host/drivers/prd.o \
		$(BUILD)/host/drivers/ata_cmds.o $(BUILD)/host/crypto/xts.o $(BUILD)/host/tests/unit/stub_log.o \
		$(BUILD)/host/tests/unit/stub_filecheck.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka -lcrypto $(HOST_LDLIBS)

# The one ATA command allowlist of the IDE and AHCI intercepts.
UNIT_TESTS += $(BUILD)/tests/test_ata_cmds
$(BUILD)/tests/test_ata_cmds: $(BUILD)/host/tests/unit/test_ata_cmds.o \
		$(BUILD)/host/drivers/ata_cmds.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

# drivers/ata.c against the device model: port I/O from tests/unit/ata_model/.
UNIT_TESTS += $(BUILD)/tests/test_ata_model
$(BUILD)/host/ata-model/drivers/ata.o: drivers/ata.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $< (device model)"
	$(Q)$(HOSTCC) -Itests/unit/ata_model $(HOST_CFLAGS) -DATA_HW_MODEL -MMD -MP -c $< -o $@
$(BUILD)/tests/test_ata_model: $(BUILD)/host/tests/unit/test_ata_model.o \
		$(BUILD)/host/ata-model/drivers/ata.o $(BUILD)/host/drivers/ata_cmds.o \
		$(BUILD)/host/drivers/prd.o $(BUILD)/host/tests/unit/stub_log.o \
		$(BUILD)/host/tests/unit/stub_filecheck.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

# The one guest PRD-table walker (IDE bus master, AHCI).
UNIT_TESTS += $(BUILD)/tests/test_prd
$(BUILD)/tests/test_prd: $(BUILD)/host/tests/unit/test_prd.o $(BUILD)/host/drivers/prd.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

# drivers/pci.c, pci_wmask.c, pci_ecam.c and lpc.c against a model of configuration mechanism #1 and ECAM.
UNIT_TESTS += $(BUILD)/tests/test_pci
$(BUILD)/host/pci-model/drivers/pci.o: drivers/pci.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $< (config-space model)"
	$(Q)$(HOSTCC) -Itests/unit/ata_model $(HOST_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/tests/test_pci: $(BUILD)/host/tests/unit/test_pci.o \
		$(BUILD)/host/pci-model/drivers/pci.o $(BUILD)/host/drivers/pci_wmask.o \
		$(BUILD)/host/drivers/pci_ecam.o $(BUILD)/host/drivers/pci_mcfg.o \
		$(BUILD)/host/drivers/acpi.o $(BUILD)/host/drivers/lpc.o \
		$(BUILD)/host/tests/unit/stub_log.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

# Architectural rules of the exit handlers: fault class, RIP wrap, single step, CR and XCR0 checks.
UNIT_TESTS += $(BUILD)/tests/test_x86_rules
$(BUILD)/tests/test_x86_rules: $(BUILD)/host/tests/unit/test_x86_rules.o \
		$(BUILD)/host/arch/x86_64/x86_rules.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

# The queued VMM console (vmm/console.c) against a model UART.
UNIT_TESTS += $(BUILD)/tests/test_console
$(BUILD)/tests/test_console: $(BUILD)/host/tests/unit/test_console.o $(BUILD)/host/vmm/console.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)
