# build/install/: what mamori-install installs, with the tool itself and
# mamori-policy (for its policy check) - copy the directory to the target
# machine and run ./mamori-install there (docs/install.md). The set's file
# list is INSTALL_SET in mgmt/mamori-install; vmm.elf.sig joins it when the
# build makes one.
INSTALL_DIR := $(BUILD)/install
.PHONY: install-set
install-set: $(BUILD)/mamori.efi $(BUILD)/vmm.elf $(POLICY_TOOL) $(BUILD)/policy.bin mgmt/mamori-install
	@echo "  SET     $(INSTALL_DIR)/"
	$(Q)rm -rf $(INSTALL_DIR) && mkdir -p $(INSTALL_DIR)
	$(Q)cp mgmt/mamori-install $(POLICY_TOOL) $(BUILD)/mamori.efi $(BUILD)/vmm.elf $(INSTALL_DIR)/
	$(Q)cp $(BUILD)/policy.bin $(INSTALL_DIR)/policy.bin
	$(Q)if [ -f $(BUILD)/vmm.elf.sig ]; then cp $(BUILD)/vmm.elf.sig $(INSTALL_DIR)/; fi
