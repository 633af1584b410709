# boot/: the gnu-efi UEFI loader, build/mamori.efi.
EFI_INC := /usr/include/efi
EFI_LIB := /usr/lib
EFI_CFLAGS := -std=gnu11 -O2 -ffreestanding -fpic -fshort-wchar -fno-stack-protector \
	-fno-strict-aliasing -mno-red-zone -maccumulate-outgoing-args -mgeneral-regs-only \
	-DEFI_FUNCTION_WRAPPER -isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 -Ivmm/include -Iarch/x86_64/include -Iboot \
	-DMAMORI_VERSION='"$(MAMORI_VERSION)"' $(WARN) -Wno-missing-prototypes
EFI_LDFLAGS := -nostdlib -znocombreloc -z defs -shared -Bsymbolic -T $(EFI_LIB)/elf_x86_64_efi.lds

LOADER_SRCS := boot/loader.c boot/loader_util.c boot/boot_info_efi.c \
	boot/boot_info_build.c boot/cpu_census.c boot/elf_check.c boot/policy_var.c \
	boot/disk_info.c boot/disk_info_parse.c boot/vmm_sig.c boot/crypto_efi.c \
	boot/secure_boot.c
LOADER_OBJS := $(LOADER_SRCS:%.c=$(BUILD)/efi/%.o) $(BUILD)/efi/gen/vmm_sign_pubkey.o
# The signature check of vmm.elf links the VMM's own freestanding mbedTLS
# objects (crypto/mbedtls.mk): they are plain x86-64 sysv code built
# -ffreestanding -fpie -mno-red-zone -mgeneral-regs-only with hidden
# visibility, which links into the loader's -shared -Bsymbolic image as is;
# boot/crypto_efi.c gives them calloc/free on UEFI pool memory. Only the
# members the check needs are pulled in (SHA-256, bignum, ECP, ECDSA, ASN.1).
# (The archive's name is spelled out: crypto/mbedtls.mk is read after this.)
LOADER_MBEDTLS := $(BUILD)/crypto/libmbedcrypto-vmm.a
EFI_CFLAGS_boot/loader.c = -I$(BUILD)/gen
$(BUILD)/efi/boot/loader.o: $(GIT_REV_H)
EFI_CFLAGS_boot/vmm_sig.c = $(MBEDTLS_CFLAGS) -Icrypto/include

$(BUILD)/efi/%.o: %.c | deps-stamp
	@mkdir -p $(@D)
	@echo "  EFICC   $<"
	$(Q)$(CC) $(EFI_CFLAGS) $(EFI_CFLAGS_$<) -MMD -MP -c $< -o $@

$(BUILD)/efi/gen/%.o: $(BUILD)/gen/%.c | deps-stamp
	@mkdir -p $(@D)
	@echo "  EFICC   $<"
	$(Q)$(CC) $(EFI_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/mamori.so: $(LOADER_OBJS) $(LOADER_MBEDTLS)
	@echo "  EFILD   $@"
	$(Q)$(LD) $(EFI_LDFLAGS) $(EFI_LIB)/crt0-efi-x86_64.o $(LOADER_OBJS) \
		$(LOADER_MBEDTLS) -o $@ -L$(EFI_LIB) -lefi -lgnuefi

$(BUILD)/mamori-unsigned.efi: $(BUILD)/mamori.so
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
		-j .rela -j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 \
		--subsystem=10 $< $@

# UEFI Secure Boot: `make SB_KEY=db.key SB_CERT=db.crt` signs the loader
# (sbsigntool; PEM key and certificate, the one enrolled in db or as a MOK:
# docs/install.md). Without them build/mamori.efi is unsigned, and the loader
# warns at every boot that the chain is unverified when Secure Boot is off.
SB_KEY ?=
SB_CERT ?=
ifneq ($(strip $(SB_KEY))$(strip $(SB_CERT)),)
ifeq ($(strip $(SB_KEY)),)
$(error SB_CERT given without SB_KEY)
endif
ifeq ($(strip $(SB_CERT)),)
$(error SB_KEY given without SB_CERT)
endif
endif

.PHONY: sb-sign-force
$(BUILD)/gen/sb-sign.path: sb-sign-force
	@mkdir -p $(@D)
	@echo '$(abspath $(SB_KEY)) $(abspath $(SB_CERT))' | cmp -s - $@ 2>/dev/null || \
		echo '$(abspath $(SB_KEY)) $(abspath $(SB_CERT))' >$@

$(BUILD)/mamori.efi: $(BUILD)/mamori-unsigned.efi $(BUILD)/gen/sb-sign.path $(SB_KEY) $(SB_CERT)
ifneq ($(strip $(SB_KEY)),)
	@echo "  SBSIGN  $@ (key $(SB_KEY), certificate $(SB_CERT))"
	$(Q)sbsign --key $(SB_KEY) --cert $(SB_CERT) --output $@.tmp $< >/dev/null
	$(Q)sbverify --cert $(SB_CERT) $@.tmp >/dev/null
	$(Q)mv $@.tmp $@
else
	@echo "  CP      $@ (unsigned for Secure Boot: make SB_KEY=... SB_CERT=... signs it)"
	$(Q)cp $< $@
endif

UNIT_TESTS += $(BUILD)/tests/test_elf_check $(BUILD)/tests/test_boot_info
$(BUILD)/tests/test_elf_check: $(BUILD)/host/tests/unit/test_elf_check.o \
		$(BUILD)/host/boot/elf_check.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)
HOST_CFLAGS_tests/unit/test_boot_info.c := -Itools/acpi-shim
$(BUILD)/tests/test_boot_info: $(BUILD)/host/tests/unit/test_boot_info.o \
		$(BUILD)/host/boot/boot_info_build.o $(BUILD)/host/boot/disk_info_parse.o \
		$(BUILD)/host/boot/cpu_census.o $(BUILD)/host/tools/acpi-shim/acpi_tables.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)
