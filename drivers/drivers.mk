# drivers/: device code the VMM itself drives.
VMM_OBJS += $(BUILD)/drivers/uart.o $(BUILD)/drivers/pci.o $(BUILD)/drivers/pci_wmask.o
VMM_OBJS += $(BUILD)/drivers/pci_ecam.o $(BUILD)/drivers/pci_mcfg.o
VMM_OBJS += $(BUILD)/drivers/lpc.o $(BUILD)/drivers/ata.o
VMM_OBJS += $(BUILD)/drivers/ahci.o $(BUILD)/drivers/ahci_cmd.o $(BUILD)/drivers/ahci_bounce.o \
	$(BUILD)/drivers/ata_cmds.o $(BUILD)/drivers/platform.o \
	$(BUILD)/drivers/prd.o $(BUILD)/drivers/kbc.o $(BUILD)/drivers/reset_reg.o
VMM_OBJS += $(addprefix $(BUILD)/drivers/, nic.o e1000.o e1000_ring.o e1000_offload.o \
	e1000_eeprom.o)
VMM_OBJS += $(addprefix $(BUILD)/drivers/, acpi.o vtd.o vtd_dmar.o vtd_pt.o vtd_boot.o \
	vtd_policy.o)

# The VT-d DMAR parser, ACPI walk and table builder (host build).
UNIT_TESTS += $(BUILD)/tests/test_vtd
$(BUILD)/tests/test_vtd: $(BUILD)/host/tests/unit/test_vtd.o $(BUILD)/host/drivers/vtd_dmar.o \
		$(BUILD)/host/drivers/acpi.o $(BUILD)/host/drivers/vtd_pt.o \
		$(BUILD)/host/drivers/vtd.o $(BUILD)/host/drivers/vtd_policy.o \
		$(BUILD)/host/vmm/policy_check.o $(BUILD)/host/vmm/policy_diag.o \
		$(BUILD)/host/tests/unit/stub_log.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

# libFuzzer target of the DMAR parser (`make fuzz`; clang rule in mgmt/mgmt.mk).
FUZZERS += $(BUILD)/fuzz/fuzz_dmar
$(BUILD)/fuzz/obj/drivers/vtd_dmar.o $(BUILD)/fuzz/obj/tests/fuzz/fuzz_dmar.o: \
	POLICY_FUZZ_CFLAGS += -Idrivers/include
$(BUILD)/fuzz/fuzz_dmar: $(BUILD)/fuzz/obj/tests/fuzz/fuzz_dmar.o \
		$(BUILD)/fuzz/obj/drivers/vtd_dmar.o
	@echo "  LINK    $@"
	$(Q)clang $(POLICY_FUZZ_CFLAGS) -Idrivers/include $^ -o $@

# The MCFG parser (host build).
UNIT_TESTS += $(BUILD)/tests/test_mcfg
$(BUILD)/tests/test_mcfg: $(BUILD)/host/tests/unit/test_mcfg.o $(BUILD)/host/drivers/pci_mcfg.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

# The e1000 intercept and the NIC layer against a model of an 82540EM (host build).
UNIT_TESTS += $(BUILD)/tests/test_e1000
$(BUILD)/tests/test_e1000: $(BUILD)/host/tests/unit/test_e1000.o $(BUILD)/host/drivers/e1000.o \
		$(BUILD)/host/drivers/e1000_ring.o $(BUILD)/host/drivers/e1000_offload.o \
		$(BUILD)/host/drivers/e1000_eeprom.o $(BUILD)/host/drivers/nic.o \
		$(BUILD)/host/vmm/net.o $(BUILD)/host/vmm/net_secy.o $(BUILD)/host/vmm/policy_check.o \
		$(BUILD)/host/vmm/policy_diag.o $(BUILD)/host/vmm/policy_seal.o \
		$(addprefix $(BUILD)/host/net/, macsec.o macsec_port.o mka.o mka_pdu.o mka_crypto.o) \
		$(BUILD)/host/crypto/glue.o $(BUILD)/host/tests/unit/stub_log.o $(MBEDTLS_LIB)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

# The 8042's reset line and the ACPI reset register against a model of the ports.
UNIT_TESTS += $(BUILD)/tests/test_kbc
$(BUILD)/host/kbc-model/drivers/kbc.o: drivers/kbc.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $< (port model)"
	$(Q)$(HOSTCC) -Itests/unit/ata_model $(HOST_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/host/kbc-model/drivers/reset_reg.o: drivers/reset_reg.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $< (port model)"
	$(Q)$(HOSTCC) -Itests/unit/ata_model $(HOST_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/tests/test_kbc: $(BUILD)/host/tests/unit/test_kbc.o \
		$(BUILD)/host/kbc-model/drivers/kbc.o $(BUILD)/host/kbc-model/drivers/reset_reg.o \
		$(BUILD)/host/drivers/acpi.o $(BUILD)/host/tests/unit/stub_log.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)
