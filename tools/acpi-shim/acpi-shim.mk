# tools/acpi-shim/: build/acpi-shim.efi, a TEST-ONLY UEFI program that installs
# the ACPI tables (MADT, FADT, DSDT...) OVMF on Bochs lacks, then chainloads
# \EFI\mamori\mamori.efi. tools/run-bochs --acpi-shim puts it in a run's image.
# Not part of `all` or of the product image; docs/testing.md.
ACPI_SHIM_SRCS := tools/acpi-shim/acpi_shim.c tools/acpi-shim/acpi_tables.c
ACPI_SHIM_OBJS := $(ACPI_SHIM_SRCS:%.c=$(BUILD)/efi/%.o)

$(BUILD)/acpi-shim.so: $(ACPI_SHIM_OBJS)
	@echo "  EFILD   $@"
	$(Q)$(LD) $(EFI_LDFLAGS) $(EFI_LIB)/crt0-efi-x86_64.o $^ -o $@ \
		-L$(EFI_LIB) -lefi -lgnuefi

$(BUILD)/acpi-shim.efi: $(BUILD)/acpi-shim.so
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
		-j .rela -j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 \
		--subsystem=10 $< $@

# The variant whose MADT lists one processor MP services does not report
# (tests/e2e/t-refuse-madt-cpu.sh: the loader must refuse).
$(BUILD)/efi/tools/acpi-shim/acpi_shim_phantom.o: tools/acpi-shim/acpi_shim.c | deps-stamp
	@mkdir -p $(@D)
	@echo "  EFICC   $< (phantom CPU variant)"
	$(Q)$(CC) $(EFI_CFLAGS) -DACPI_SHIM_PHANTOM_CPU=1 -MMD -MP -c $< -o $@
$(BUILD)/tests/e2e/acpi-shim-phantom.so: $(BUILD)/efi/tools/acpi-shim/acpi_shim_phantom.o \
		$(BUILD)/efi/tools/acpi-shim/acpi_tables.o
	@mkdir -p $(@D)
	@echo "  EFILD   $@"
	$(Q)$(LD) $(EFI_LDFLAGS) $(EFI_LIB)/crt0-efi-x86_64.o $^ -o $@ \
		-L$(EFI_LIB) -lefi -lgnuefi
$(BUILD)/tests/e2e/acpi-shim-phantom.efi: $(BUILD)/tests/e2e/acpi-shim-phantom.so
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
		-j .rela -j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 \
		--subsystem=10 $< $@

# The e2e suite needs them (SMP tests); `make test` builds `image` before the suite.
.PHONY: acpi-shim
acpi-shim: $(BUILD)/acpi-shim.efi $(BUILD)/tests/e2e/acpi-shim-phantom.efi
image e2e: $(BUILD)/acpi-shim.efi $(BUILD)/tests/e2e/acpi-shim-phantom.efi

UNIT_TESTS += $(BUILD)/tests/test_acpi_shim
HOST_CFLAGS_tests/unit/test_acpi_shim.c := -Itools/acpi-shim
$(BUILD)/tests/test_acpi_shim: $(BUILD)/host/tests/unit/test_acpi_shim.o \
		$(BUILD)/host/tools/acpi-shim/acpi_tables.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)
