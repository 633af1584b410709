# build/install/: what mamori-install installs, with the tool itself and
# mamori-policy (for its policy check): copy the directory to the target
# machine and run ./mamori-install there (docs/install.md). The set's file
# list is INSTALL_SET in mgmt/mamori-install. vmm.elf.sig is always made (the
# loader refuses a vmm.elf without it); policy.bin joins the directory when the
# build signs one (otherwise: install --policy FILE).
# (Included after mgmt.mk, whose variables it uses.) Built by `make` (t-install-qemu boots it); `make install-set` alone works too.
INSTALL_DIR := $(BUILD)/install
INSTALL_STAMP := $(INSTALL_DIR)/.stamp
INSTALL_INPUTS := mgmt/mamori-install $(POLICY_TOOL) $(BUILD)/mamori.efi $(BUILD)/vmm.elf \
	$(BUILD)/vmm.elf.sig $(if $(strip $(POLICY_SIGN_KEY)),$(BUILD)/policy.bin)

.PHONY: install-set
install-set: $(INSTALL_STAMP)
HOST_TOOLS += $(INSTALL_STAMP)

$(INSTALL_STAMP): $(INSTALL_INPUTS)
	@echo "  SET     $(INSTALL_DIR)/"
	$(Q)rm -rf $(INSTALL_DIR) && mkdir -p $(INSTALL_DIR)
	$(Q)cp $^ $(INSTALL_DIR)/
	$(Q)touch $@
UNIT_TESTS += tests/unit/sh/test_mamori_install.sh
unit: $(INSTALL_STAMP)
