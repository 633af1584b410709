# Test disk image for Bochs+OVMF (docs/testing.md): build/disk.img holds a GPT
# with a FAT32 ESP (loader, VMM, GRUB, Debian kernel, initramfs) and a small
# ext4 data partition. `make run` boots it with the guest console here.

GUEST := $(BUILD)/guest
GUEST_KDIR := $(GUEST)/kernel
GUEST_CACHE := $(BUILD)/cache
# Kernel command line: serial console; loglevel=6 keeps notices ("Linux
# version", warnings, errors) and drops the info-level chatter.
# lapic=notscdeadline: the LAPIC timer mode Linux picks on Bochs natively (its
# microcode-errata check turns TSC-deadline off, a check it skips beneath any
# hypervisor). With Bochs' TSC-deadline timer, 4 vCPUs idling in MWAIT stop
# waking up (docs/testing.md, "SMP tests"). A test-platform setting only.
GUEST_CMDLINE ?= console=ttyS0,115200 loglevel=6 lapic=notscdeadline
# Initramfs compression (none|gzip|xz|zstd): see the timings in docs/testing.md.
GUEST_INITRD_COMPRESS ?= zstd
IMAGE_ESP_MIB ?= 34
IMAGE_DATA_MIB ?= 12
# `make run`: wall-clock limit of the interactive session, in seconds.
RUN_TIMEOUT ?= 3600
RUN_ARGS ?=
# `make run`: typed at the VMM's passphrase prompt on COM2 (the development
# policy's; README). Override for another policy, e.g. with RUN_ARGS=--policy=FILE.
RUN_PASSPHRASE ?= mamori-dev

GUEST_HELPER_CFLAGS := -std=gnu11 -Os -static -nostdlib -ffreestanding \
	-fno-tree-loop-distribute-patterns -fno-pie -no-pie -fno-stack-protector \
	-fcf-protection=none -Wl,--build-id=none -s $(WARN)

# Settings files that change only when the setting does, so that changing
# GUEST_CMDLINE or GUEST_INITRD_COMPRESS rebuilds what uses them.
.PHONY: guest-settings-check
$(GUEST)/cmdline $(GUEST)/initrd-compress: guest-settings-check
	@mkdir -p $(@D)
	@v='$(if $(filter %/cmdline,$@),$(GUEST_CMDLINE),$(GUEST_INITRD_COMPRESS))'; \
		[ -f $@ ] && [ "$$(cat $@)" = "$$v" ] || echo "$$v" >$@

$(GUEST_KDIR)/kver: tools/mkimage.sh | deps-stamp
	@echo "  KERNEL  $(GUEST_KDIR)"
	$(Q)tools/mkimage.sh kernel $(GUEST_CACHE) $(GUEST_KDIR)

$(GUEST)/mamori-io $(GUEST)/smp-stress $(GUEST)/mamori-ata: $(GUEST)/%: tools/guest/%.c \
		tools/guest/nolibc.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(GUEST_HELPER_CFLAGS) -o $@ $<

# Test-only module: /proc/mamori-exits (HC_EXIT_STATS), for the disk benches.
$(GUEST)/mamori_exits.ko: tools/guest/mamori_exits.c tools/guest/mkmodule.sh \
		$(GUEST_KDIR)/kver
	@echo "  KMOD    $@"
	$(Q)tools/guest/mkmodule.sh $(GUEST_CACHE) $$(cat $(GUEST_KDIR)/kver) $< $@

$(GUEST)/initrd.img: tools/mkinitramfs.sh tools/guest/init $(GUEST)/mamori-io \
		$(GUEST)/smp-stress $(GUEST)/mamori-ata $(GUEST)/mamori_exits.ko \
		$(GUEST_KDIR)/kver $(GUEST)/initrd-compress
	@echo "  INITRD  $@"
	$(Q)tools/mkinitramfs.sh $(GUEST_KDIR) $$(cat $(GUEST_KDIR)/kver) \
		tools/guest/init $(GUEST)/mamori-io $@ $$(cat $(GUEST)/initrd-compress) \
		$(GUEST)/smp-stress $(GUEST)/mamori-ata $(GUEST)/mamori_exits.ko

$(GUEST)/vmlinuz: $(GUEST_KDIR)/kver
	$(Q)cp $(GUEST_KDIR)/boot/vmlinuz-$$(cat $<) $@

$(GUEST)/grubx64.efi: tools/guest/grub.cfg tools/mkimage.sh $(GUEST)/cmdline | deps-stamp
	@mkdir -p $(@D)
	@echo "  GRUB    $@"
	$(Q)tools/mkimage.sh grub tools/guest/grub.cfg "$$(cat $(GUEST)/cmdline)" $@

# An empty cpio (just the trailer): the default \EFI\debian\scenario.cpio.
$(GUEST)/scenario.cpio:
	@mkdir -p $(@D)
	$(Q)cpio -o -H newc --quiet </dev/null >$@

GUEST_FILES := $(GUEST)/grubx64.efi $(GUEST)/vmlinuz $(GUEST)/initrd.img \
	$(GUEST)/scenario.cpio
# The policy goes in when mgmt/ builds one (it lists it in HOST_TOOLS when a
# signing key is set up) or when one is already there.
IMAGE_POLICY := $(or $(filter $(BUILD)/policy.bin,$(HOST_TOOLS)),$(wildcard $(BUILD)/policy.bin))

# The signature of vmm.elf: made here unless the build only has the public key
# (VMM_SIGN_PUB=, boot/sign.mk); then it must already be there, signed offline.
IMAGE_VMM_SIG := $(BUILD)/vmm.elf.sig

# The guest's files first: their clusters (and Bochs's disk timing, make
# bench's native run included) then do not move with the VMM's size.
$(BUILD)/disk.img: $(BUILD)/mamori.efi $(BUILD)/vmm.elf $(IMAGE_VMM_SIG) $(GUEST_FILES) \
		$(IMAGE_POLICY) tools/mkimage.sh
	@echo "  IMAGE   $@"
	$(Q)tools/mkimage.sh disk $@ $(IMAGE_ESP_MIB) $(IMAGE_DATA_MIB) \
		EFI/debian/grubx64.efi=$(GUEST)/grubx64.efi \
		EFI/debian/vmlinuz=$(GUEST)/vmlinuz \
		EFI/debian/initrd.img=$(GUEST)/initrd.img \
		EFI/debian/scenario.cpio=$(GUEST)/scenario.cpio \
		EFI/BOOT/BOOTX64.EFI=$(BUILD)/mamori.efi \
		EFI/mamori/vmm.elf=$(BUILD)/vmm.elf \
		EFI/mamori/vmm.elf.sig=$(IMAGE_VMM_SIG) \
		$(if $(IMAGE_POLICY),EFI/mamori/policy.bin=$(IMAGE_POLICY))

# The guest part alone (no loader, no VMM): boot it with run-bochs --no-vmm.
$(BUILD)/disk-guest.img: $(GUEST_FILES) tools/mkimage.sh
	@echo "  IMAGE   $@"
	$(Q)tools/mkimage.sh disk $@ $(IMAGE_ESP_MIB) $(IMAGE_DATA_MIB) \
		EFI/debian/grubx64.efi=$(GUEST)/grubx64.efi \
		EFI/debian/vmlinuz=$(GUEST)/vmlinuz \
		EFI/debian/initrd.img=$(GUEST)/initrd.img \
		EFI/debian/scenario.cpio=$(GUEST)/scenario.cpio

.PHONY: guest-image
image: $(BUILD)/disk.img
guest-image: $(BUILD)/disk-guest.img

run: all image
	$(Q)tools/run-bochs --interactive --timeout $(RUN_TIMEOUT) \
		--image $(BUILD)/disk.img --passphrase '$(RUN_PASSPHRASE)' $(RUN_ARGS)

# Boot time with and without the VMM (tools/bench/boot_bench.sh).
BENCHES += tools/bench/boot_bench.sh
# VM exits per MiB of PIO and DMA disk I/O (tools/bench/disk_exits.sh).
BENCHES += tools/bench/disk_exits.sh
