# tests/e2e/: test-only UEFI helpers that e2e tests put on their image copy
# (never on an installed ESP). Built by `make` so that `make e2e` has them.
E2E_SEED_EFI := $(BUILD)/tests/e2e/seed-rollback.efi
HOST_TOOLS += $(E2E_SEED_EFI)

$(BUILD)/tests/e2e/seed-rollback.so: $(BUILD)/efi/tests/e2e/efi/seed_rollback.o
	@mkdir -p $(@D)
	@echo "  EFILD   $@"
	$(Q)$(LD) $(EFI_LDFLAGS) $(EFI_LIB)/crt0-efi-x86_64.o $^ -o $@ \
		-L$(EFI_LIB) -lefi -lgnuefi

$(E2E_SEED_EFI): $(BUILD)/tests/e2e/seed-rollback.so
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
		-j .rela -j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 \
		--subsystem=10 $< $@

# Finding 26: the next stage's load options (t-vmx puts it on its image copy).
E2E_ARGS_EFI := $(BUILD)/tests/e2e/args-shim.efi
HOST_TOOLS += $(E2E_ARGS_EFI)

$(BUILD)/tests/e2e/args-shim.so: $(BUILD)/efi/tests/e2e/efi/args_shim.o
	@mkdir -p $(@D)
	@echo "  EFILD   $@"
	$(Q)$(LD) $(EFI_LDFLAGS) $(EFI_LIB)/crt0-efi-x86_64.o $^ -o $@ \
		-L$(EFI_LIB) -lefi -lgnuefi

$(E2E_ARGS_EFI): $(BUILD)/tests/e2e/args-shim.so
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
		-j .rela -j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 \
		--subsystem=10 $< $@
