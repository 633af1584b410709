# Mamori top-level Makefile. Each subsystem adds its rules in its own fragment
# (<dir>/*.mk); this file holds the shared variables and the user-facing targets.
#
#   make            build build/mamori.efi, build/vmm.elf and the host tools
#   make image      build/disk.img, the Bochs+OVMF test image
#   make run        boot the test image in Bochs, guest console on this terminal
#   make test       unit tests + end-to-end suite (exits non-zero on failure)
#   make unit       unit tests only (cmocka, host build)
#   make e2e        end-to-end suite only (Bochs)
#   make bench      benchmarks, each reported as a ratio against a peer
#   make fuzz       bounded libFuzzer runs of the parsers

.DEFAULT_GOAL := all
SHELL := /bin/bash
BUILD ?= build
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

MAMORI_VERSION := 0.1.0
GIT_REV := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
GIT_REV_H := $(BUILD)/gen/git_rev.h

HOSTCC ?= gcc
CC := gcc
LD := ld
OBJCOPY := objcopy

WARN := -Wall -Wextra -Werror -Wmissing-prototypes -Wshadow -Wundef \
	-Wno-unused-parameter
GCC_INC := $(shell $(CC) -print-file-name=include)

# Freestanding VMM: a deliberate static PIE (the loader places it anywhere and
# applies its R_X86_64_RELATIVE relocations); no SSE outside the crypto unit.
VMM_BASE_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc \
	-isystem $(GCC_INC) -fpie -fvisibility=hidden -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing -mno-red-zone \
	-fcf-protection=none \
	-Ivmm/include -Iarch/x86_64/include -Idrivers/include -Icrypto/include \
	-DMAMORI_VERSION='"$(MAMORI_VERSION)"' $(WARN)
VMM_CFLAGS := $(VMM_BASE_CFLAGS) -mgeneral-regs-only -mno-sse -mno-mmx -mno-avx
# Only the files a fragment lists in VMM_SIMD_SRCS may use SSE/AES-NI; their callers
# wrap them in the guest-state save/restore of crypto/ (see docs/architecture.md).
VMM_SIMD_CFLAGS := $(VMM_BASE_CFLAGS) -msse4.1 -maes -mpclmul
VMM_ASFLAGS := -Ivmm/include -Iarch/x86_64/include -fpie -D__ASSEMBLY__
VMM_LDFLAGS := -static -pie --no-dynamic-linker -nostdlib -z noexecstack \
	-z max-page-size=4096 -T arch/x86_64/vmm.lds

# Host build of the pure-C parts, for unit tests and host tools.
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -Ivmm/include -Ifs/include -Iarch/x86_64/include \
	-Idrivers/include -Icrypto/include -Iboot -Imgmt -DMAMORI_HOST_TEST \
	-fsanitize=address,undefined -fno-omit-frame-pointer
HOST_LDLIBS := -fsanitize=address,undefined

# Fragments append to these.
VMM_OBJS :=		# objects linked into build/vmm.elf
VMM_LIBS :=		# archives linked into build/vmm.elf (after VMM_OBJS)
VMM_SIMD_SRCS :=	# VMM sources built with VMM_SIMD_CFLAGS
UNIT_TESTS :=		# host test binaries run by `make unit`
HOST_TOOLS :=		# host programs built by `make`
BENCHES :=		# scripts/programs run by `make bench`
FUZZERS :=		# libFuzzer targets run by `make fuzz`

include $(sort $(wildcard */*.mk */*/*.mk))

.PHONY: all deps image run test unit e2e bench fuzz clean distclean
all: $(BUILD)/mamori.efi $(BUILD)/vmm.elf $(HOST_TOOLS)

deps:
	$(Q)tools/deps.sh

# The git revision the loader and the VMM print: a generated header rewritten
# only when HEAD moves, so a commit rebuilds the two files that include it.
.PHONY: git-rev-force
$(GIT_REV_H): git-rev-force
	@mkdir -p $(@D)
	@echo '#define MAMORI_GIT_REV "$(GIT_REV)"' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
CFLAGS_vmm/main.c = -I$(BUILD)/gen
$(BUILD)/vmm/main.o: $(GIT_REV_H)

$(BUILD)/%.o: %.c | deps-stamp
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(if $(filter $<,$(VMM_SIMD_SRCS)),$(VMM_SIMD_CFLAGS),$(VMM_CFLAGS)) \
		$(CFLAGS_$(<)) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(VMM_ASFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/host/%.o: %.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_CFLAGS_$(<)) -MMD -MP -c $< -o $@

# deps-stamp: dependency check once per build tree (re-run with `make deps`).
.PHONY: deps-stamp
deps-stamp: $(BUILD)/.deps-ok
$(BUILD)/.deps-ok: tools/deps.sh
	$(Q)tools/deps.sh
	@mkdir -p $(BUILD) && touch $@

# build/vmm-full.elf keeps the DWARF for gdb/addr2line; build/vmm.elf (what is
# signed, installed and hashed by the loader at every boot) drops it: 0.3 of
# its 1.8 MB are loaded, the rest cost SHA-256 and disk time (docs/testing.md).
# Its symbol table stays (mamori-policy verify --vmm reads policy_pubkey).
$(BUILD)/vmm-full.elf: $(VMM_OBJS) $(VMM_LIBS) arch/x86_64/vmm.lds
	@echo "  LD      $@"
	$(Q)$(LD) $(VMM_LDFLAGS) -o $@ $(VMM_OBJS) --start-group $(VMM_LIBS) --end-group
	$(Q)tools/check-vmm-elf.sh $@
$(BUILD)/vmm.elf: $(BUILD)/vmm-full.elf
	@echo "  STRIP   $@ (--strip-debug)"
	$(Q)$(OBJCOPY) --strip-debug $< $@
	$(Q)tools/check-vmm-elf.sh $@

unit: $(UNIT_TESTS)
	$(Q)tools/run-unit.sh $(UNIT_TESTS)

test: all
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)$(MAKE) --no-print-directory image
	$(Q)tests/e2e/run-all.sh

e2e: all image
	$(Q)tests/e2e/run-all.sh

bench: all image $(BENCHES)
	$(Q)tools/run-benches.sh $(BENCHES)

fuzz: $(FUZZERS)
	$(Q)tools/run-fuzz.sh $(FUZZERS)

clean:
	rm -rf $(BUILD)/*.o $(BUILD)/boot $(BUILD)/vmm $(BUILD)/arch $(BUILD)/drivers \
		$(BUILD)/crypto $(BUILD)/host $(BUILD)/tests $(BUILD)/fs $(BUILD)/net \
		$(BUILD)/efi $(BUILD)/*.efi $(BUILD)/*.so $(BUILD)/*.elf $(BUILD)/*.elf.sig

distclean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -path $(BUILD)/third_party -prune -o -type f -name '*.d' -print 2>/dev/null)
