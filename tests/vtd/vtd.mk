# tests/vtd/: the test-only EFI program that runs drivers/vtd*.c on QEMU's
# intel-iommu (tests/e2e/t-vtd-qemu.sh). Built by `make`, never installed.
VTD_TEST_EFI := $(BUILD)/tests/vtd/vtd-qemu.efi
HOST_TOOLS += $(VTD_TEST_EFI)
VTD_TEST_OBJS := $(addprefix $(BUILD)/efi/, tests/vtd/vtd_qemu.o drivers/vtd.o \
	drivers/acpi.o drivers/pci_mcfg.o drivers/vtd_dmar.o drivers/vtd_pt.o vmm/log.o)
CFLAGS_EFI_VTD := -Idrivers/include

$(BUILD)/efi/tests/vtd/%.o $(BUILD)/efi/drivers/%.o: EFI_CFLAGS += $(CFLAGS_EFI_VTD)

$(BUILD)/tests/vtd/vtd-qemu.so: $(VTD_TEST_OBJS)
	@mkdir -p $(@D)
	@echo "  EFILD   $@"
	$(Q)$(LD) $(EFI_LDFLAGS) $(EFI_LIB)/crt0-efi-x86_64.o $^ -o $@ \
		-L$(EFI_LIB) -lefi -lgnuefi

$(VTD_TEST_EFI): $(BUILD)/tests/vtd/vtd-qemu.so
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
		-j .rela -j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 \
		--subsystem=10 $< $@
