# boot/: the key the loader trusts for vmm.elf, and build/vmm.elf.sig.
# Format and tool: boot/vmm_sig.h, tools/vmm-sign.py; docs/architecture.md.
#
#   make VMM_SIGN_KEY=signer.key
#	sign build/vmm.elf with signer.key (PEM EC P-256) and build the loader
#	to trust its public key.
#   make VMM_SIGN_PUB=signer.pub
#	build the loader to trust signer.pub only; sign vmm.elf elsewhere
#	(tools/vmm-sign.py sign --key signer.key build/vmm.elf): the key stays
#	offline, and build/vmm.elf.sig is not made here.
#   Neither: a DEVELOPMENT key pair is generated once under build/keys/ and
#	trusted; never ship a build made that way.
#   VMM_SVN=N (default below): the security version number signed into
#	vmm.elf.sig. Raise it in every release that fixes a VMM vulnerability.
#   VMM_MIN_SVN=N (default VMM_SVN): the lowest svn this loader runs; an
#	older signed vmm.elf is refused (rollback). The loader also refuses an
#	svn below the highest it started (MamoriVmmSvn, docs/security.md).

VMM_SIGN_KEY ?=
VMM_SIGN_PUB ?=
VMM_SVN ?= 1
VMM_MIN_SVN ?= $(VMM_SVN)
VMM_SIGN_TOOL := tools/vmm-sign.py
VMM_SIG := $(BUILD)/vmm.elf.sig
VMM_SIGN_GEN := $(BUILD)/gen/vmm_sign_pubkey.c
VMM_SIGN_DEV_WARNING := WARNING: vmm.elf is signed with a DEVELOPMENT key \
	($(BUILD)/keys/vmm-dev.key): anyone with this build tree can sign a VMM this \
	loader runs. Use make VMM_SIGN_KEY=<file> (or VMM_SIGN_PUB=<file>) for real builds.

ifneq ($(strip $(VMM_SIGN_KEY)),)
VMM_SIGN_PRIV := $(VMM_SIGN_KEY)
VMM_SIGN_SRC := --key $(VMM_SIGN_KEY)
VMM_SIGN_DEV :=
VMM_SIGN_SAY_DEV = @:
else ifneq ($(strip $(VMM_SIGN_PUB)),)
VMM_SIGN_PRIV :=
VMM_SIGN_SRC := --pub $(VMM_SIGN_PUB)
VMM_SIGN_DEV :=
VMM_SIGN_SAY_DEV = @:
else
VMM_SIGN_PRIV := $(BUILD)/keys/vmm-dev.key
VMM_SIGN_SRC := --key $(VMM_SIGN_PRIV)
VMM_SIGN_DEV := --dev
VMM_SIGN_SAY_DEV = @echo "$(VMM_SIGN_DEV_WARNING)" >&2

# Generated once; never committed (build/ is ignored).
$(VMM_SIGN_PRIV): | deps-stamp
	@mkdir -p $(@D)
	@echo "  KEYGEN  $@ (DEVELOPMENT vmm.elf signing key)"
	$(Q)$(VMM_SIGN_TOOL) keygen $@ --pub $(BUILD)/keys/vmm-dev.pub --force
	$(VMM_SIGN_SAY_DEV)
endif

VMM_SIGN_KEYFILE := $(or $(VMM_SIGN_KEY),$(VMM_SIGN_PUB),$(VMM_SIGN_PRIV))

# Regenerate the C file when the key's path or kind changes.
.PHONY: vmm-sign-force
$(BUILD)/gen/vmm-sign.path: vmm-sign-force
	@mkdir -p $(@D)
	@echo '$(abspath $(VMM_SIGN_KEYFILE)) $(VMM_SIGN_SRC) $(VMM_SIGN_DEV) svn=$(VMM_SVN) min=$(VMM_MIN_SVN)' | cmp -s - $@ 2>/dev/null || \
		echo '$(abspath $(VMM_SIGN_KEYFILE)) $(VMM_SIGN_SRC) $(VMM_SIGN_DEV) svn=$(VMM_SVN) min=$(VMM_MIN_SVN)' >$@

$(VMM_SIGN_GEN): $(VMM_SIGN_KEYFILE) $(BUILD)/gen/vmm-sign.path $(VMM_SIGN_TOOL)
	@mkdir -p $(@D)
	@echo "  GEN     $@ (from $(VMM_SIGN_KEYFILE))"
	$(Q)$(VMM_SIGN_TOOL) pubkey-c $(VMM_SIGN_SRC) $(VMM_SIGN_DEV) --min-svn $(VMM_MIN_SVN) -o $@
	$(VMM_SIGN_SAY_DEV)

ifneq ($(VMM_SIGN_PRIV),)
HOST_TOOLS += $(VMM_SIG)
$(VMM_SIG): $(BUILD)/vmm.elf $(VMM_SIGN_PRIV) $(BUILD)/gen/vmm-sign.path $(VMM_SIGN_TOOL)
	@echo "  SIGN    $@ (key $(VMM_SIGN_PRIV))"
	$(Q)$(VMM_SIGN_TOOL) sign --key $(VMM_SIGN_PRIV) --svn $(VMM_SVN) -o $@ $<
	$(Q)$(VMM_SIGN_TOOL) verify --key $(VMM_SIGN_PRIV) --min-svn $(VMM_MIN_SVN) $< $@ >/dev/null
	$(VMM_SIGN_SAY_DEV)
endif

# Host unit test: boot/vmm_sig.c against the VMM's freestanding mbedTLS archive.
HOST_CFLAGS_boot/vmm_sig.c = $(HOST_MBEDTLS_CFLAGS)
HOST_CFLAGS_tests/unit/test_vmm_sig.c = $(HOST_MBEDTLS_CFLAGS)
UNIT_TESTS += $(BUILD)/tests/test_vmm_sig
$(BUILD)/tests/test_vmm_sig: $(BUILD)/host/tests/unit/test_vmm_sig.o \
		$(BUILD)/host/boot/vmm_sig.o $(BUILD)/host/crypto/glue.o \
		$(BUILD)/host/tests/unit/stub_log.o $(BUILD)/crypto/libmbedcrypto-vmm.a
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)
