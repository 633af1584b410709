# mgmt/: the policy tool build/mamori-policy, the signer's public key built into
# vmm.elf, the development policy build/policy.bin, their unit tests and fuzzers.
# Format and commands: docs/policy.md.
#
#   make POLICY_PUBKEY=signer.pub [POLICY_KEY=signer.key]
#	build the VMM to trust signer.pub; with POLICY_KEY also sign the
#	development policy with it (otherwise build/policy.bin is not made).
#   Without POLICY_PUBKEY: a DEVELOPMENT key pair is generated once under
#	build/keys/ and trusted; never ship a build made that way.

# The policy blob code shared by the VMM, the tool, the unit tests and fuzzers.
POLICY_BLOB_SRCS := vmm/policy_diag.c vmm/policy_check.c vmm/policy_decode.c \
	vmm/policy_verify.c vmm/policy_seal.c

POLICY_TOOL := $(BUILD)/mamori-policy
POLICY_TOOL_SRCS := mgmt/mamori_policy.c mgmt/policy_text.c mgmt/policy_encode.c mgmt/vmm_key.c \
	$(POLICY_BLOB_SRCS)
POLICY_TOOL_OBJS := $(POLICY_TOOL_SRCS:%.c=$(BUILD)/tool/%.o)
# The tool is built without sanitizers (unit tests and fuzzers have them).
POLICY_TOOL_CFLAGS := -std=gnu11 -O2 -g $(WARN) -Ivmm/include -Imgmt \
	-fstack-protector-strong -D_FORTIFY_SOURCE=2
POLICY_LIBS := -lmbedcrypto
# The tool links mbedTLS statically: it runs on the target machine too (mamori-install).
POLICY_TOOL_LIBS := -Wl,-Bstatic -lmbedcrypto -Wl,-Bdynamic

HOST_TOOLS += $(POLICY_TOOL)

$(BUILD)/tool/%.o: %.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $< (tool)"
	$(Q)$(HOSTCC) $(POLICY_TOOL_CFLAGS) -MMD -MP -c $< -o $@

$(POLICY_TOOL): $(POLICY_TOOL_OBJS)
	@echo "  LINK    $@"
	$(Q)$(HOSTCC) $^ -o $@ $(POLICY_TOOL_LIBS)

# ---- the signer's key -------------------------------------------------------
POLICY_PUBKEY ?=
POLICY_KEY ?=
POLICY_KEYDIR := $(BUILD)/keys
POLICY_GEN := $(BUILD)/gen
POLICY_DEV_WARNING := WARNING: using a DEVELOPMENT policy signing key ($(POLICY_KEYDIR)/policy-dev.key): \
	anyone with this build tree can sign policies. Use make POLICY_PUBKEY=<file> for real builds.

ifeq ($(strip $(POLICY_PUBKEY)),)
POLICY_PUB_FILE := $(POLICY_KEYDIR)/policy-dev.pub
POLICY_SIGN_KEY := $(POLICY_KEYDIR)/policy-dev.key
POLICY_DEV_FLAG := --dev
POLICY_SAY_DEV = @echo "$(POLICY_DEV_WARNING)" >&2

# Generated once; rebuilding the tool does not replace the key.
$(POLICY_SIGN_KEY): | $(POLICY_TOOL)
	@mkdir -p $(@D)
	$(Q)$(POLICY_TOOL) keygen --key $@ --pub $(POLICY_PUB_FILE) --force
	$(POLICY_SAY_DEV)
$(POLICY_PUB_FILE): $(POLICY_SIGN_KEY)
	@test -f $@ || { echo "$@ missing: delete $< to regenerate the pair" >&2; exit 1; }
else
POLICY_PUB_FILE := $(POLICY_PUBKEY)
POLICY_SIGN_KEY := $(POLICY_KEY)
POLICY_DEV_FLAG :=
POLICY_SAY_DEV = @:
endif

# Regenerate the C file when the key file or its path changes.
.PHONY: policy-pubkey-force
$(POLICY_GEN)/policy-pubkey.path: policy-pubkey-force
	@mkdir -p $(@D)
	@echo '$(abspath $(POLICY_PUB_FILE)) $(POLICY_DEV_FLAG)' | cmp -s - $@ 2>/dev/null || \
		echo '$(abspath $(POLICY_PUB_FILE)) $(POLICY_DEV_FLAG)' >$@

$(POLICY_GEN)/policy_pubkey.c: $(POLICY_PUB_FILE) $(POLICY_GEN)/policy-pubkey.path \
		| $(POLICY_TOOL)
	@echo "  GEN     $@ (from $(POLICY_PUB_FILE))"
	$(Q)$(POLICY_TOOL) export-pubkey --format c $(POLICY_DEV_FLAG) -o $@ $(POLICY_PUB_FILE)
	$(POLICY_SAY_DEV)

$(POLICY_GEN)/policy_pubkey.o: $(POLICY_GEN)/policy_pubkey.c | deps-stamp
	@echo "  CC      $<"
	$(Q)$(CC) $(VMM_CFLAGS) -MMD -MP -c $< -o $@

VMM_OBJS += $(POLICY_BLOB_SRCS:%.c=$(BUILD)/%.o) $(POLICY_GEN)/policy_pubkey.o

# ---- the development policy ---------------------------------------------------
# Passphrase `mamori-dev` (README, docs/policy.md); the plaintext keys go to
# build/keys/dev-secrets.txt so tests can decrypt what the VMM encrypts.
DEV_POLICY_PASSPHRASE := mamori-dev
DEV_POLICY_SECRETS := $(POLICY_KEYDIR)/dev-secrets.txt

ifneq ($(strip $(POLICY_SIGN_KEY)),)
HOST_TOOLS += $(BUILD)/policy.bin
$(BUILD)/policy.bin: mgmt/dev-policy.txt $(POLICY_SIGN_KEY) $(POLICY_PUB_FILE) $(POLICY_TOOL)
	@echo "  POLICY  $@ (development policy, passphrase $(DEV_POLICY_PASSPHRASE))"
	$(Q)MAMORI_DEV_PASSPHRASE='$(DEV_POLICY_PASSPHRASE)' $(POLICY_TOOL) build \
		--key $(POLICY_SIGN_KEY) --passphrase-env MAMORI_DEV_PASSPHRASE \
		--secrets-out $(DEV_POLICY_SECRETS) -o $@ $< >/dev/null
	$(Q)$(POLICY_TOOL) verify --pubkey $(POLICY_PUB_FILE) $@ >/dev/null
	$(POLICY_SAY_DEV)
endif

# ---- unit tests ---------------------------------------------------------------
POLICY_TEST_OBJS := $(POLICY_BLOB_SRCS:%.c=$(BUILD)/host/%.o) $(BUILD)/host/mgmt/policy_encode.o \
	$(BUILD)/host/mgmt/policy_text.o
POLICY_TESTS := $(BUILD)/tests/test_policy_blob $(BUILD)/tests/test_policy_text \
	$(BUILD)/tests/test_policy_crypto
UNIT_TESTS += $(POLICY_TESTS)

$(POLICY_TESTS): $(BUILD)/tests/%: $(BUILD)/host/tests/unit/%.o $(POLICY_TEST_OBJS)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(POLICY_LIBS) $(HOST_LDLIBS)

# ---- fuzzers (clang libFuzzer; `make fuzz`, tools/run-fuzz.sh) -----------------
POLICY_FUZZ_CFLAGS := -std=gnu11 -O1 -g -Ivmm/include -Imgmt -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
POLICY_FUZZERS := $(BUILD)/fuzz/fuzz_policy_blob $(BUILD)/fuzz/fuzz_policy_text
FUZZERS += $(POLICY_FUZZERS)

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CLANG   $< (fuzz)"
	$(Q)clang $(POLICY_FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(POLICY_FUZZERS): $(BUILD)/fuzz/%: $(BUILD)/fuzz/obj/tests/fuzz/%.o \
		$(POLICY_BLOB_SRCS:%.c=$(BUILD)/fuzz/obj/%.o) $(BUILD)/fuzz/obj/mgmt/policy_text.o \
		$(BUILD)/fuzz/obj/mgmt/policy_encode.o
	@echo "  LINK    $@"
	$(Q)clang $(POLICY_FUZZ_CFLAGS) $^ -o $@ $(POLICY_LIBS)

# verify --vmm against the real build/vmm.elf (a shell test; needs `make all`).
UNIT_TESTS += tests/unit/sh/test_policy_verify_vmm.sh
unit: $(POLICY_TOOL) $(BUILD)/vmm.elf
