# crypto/: mbedTLS built freestanding for the VMM from Debian's source package,
# with Mamori's own config (crypto/include/mamori_mbedtls_config.h).
#
# The source is never committed: crypto/fetch-mbedtls.sh runs `apt-get source`
# into $(BUILD)/cache and unpacks into $(BUILD)/third_party/mbedtls-<ver>/, then
# writes $(MBEDTLS_VARS), which this file includes (make restarts once after
# generating it, so every compile sees the headers). `make clean` keeps the
# cache and the unpacked tree; delete $(BUILD)/cache to take a newer revision.
#
# VMM code may include <mbedtls/...> directly: VMM_CFLAGS and VMM_SIMD_CFLAGS
# get the include path and the config. Host code uses Debian's libmbedtls-dev.

MBEDTLS_VARS := $(BUILD)/third_party/mbedtls.vars
MBEDTLS_LIB := $(BUILD)/crypto/libmbedcrypto-vmm.a

# Only the modules the config enables (the others would compile to nothing).
MBEDTLS_MODULES := aes asn1parse asn1write bignum cipher cipher_wrap \
	cmac constant_time ecdsa ecp ecp_curves gcm hkdf md nist_kw oid pkcs5 platform \
	platform_util sha256 sha512
MBEDTLS_OBJS := $(MBEDTLS_MODULES:%=$(BUILD)/crypto/mbedtls/%.o)

# Goals that need no source tree: don't fetch for them.
ifneq ($(if $(MAKECMDGOALS),$(filter-out clean distclean deps,$(MAKECMDGOALS)),all),)
include $(MBEDTLS_VARS)
endif

$(MBEDTLS_VARS): crypto/fetch-mbedtls.sh | $(BUILD)/.deps-ok
	$(Q)crypto/fetch-mbedtls.sh $(BUILD)/cache $(BUILD)/third_party $@

MBEDTLS_CFLAGS := -isystem $(MBEDTLS_SRC)/include \
	-DMBEDTLS_CONFIG_FILE='"mamori_mbedtls_config.h"'
VMM_CFLAGS += $(MBEDTLS_CFLAGS)
VMM_SIMD_CFLAGS += $(MBEDTLS_CFLAGS)

# Third-party code only: the libc shims. mbedTLS 2.28.3 builds clean under the
# project's full WARN set (-Werror included), so no warning is relaxed.
MBEDTLS_LIB_CFLAGS := -isystem crypto/freestanding -DMAMORI_MBEDTLS_LIB

$(BUILD)/crypto/mbedtls/%.o: $(MBEDTLS_SRC)/library/%.c $(MBEDTLS_VARS)
	@mkdir -p $(@D)
	@echo "  CC      mbedtls/library/$*.c"
	$(Q)$(CC) $(VMM_CFLAGS) $(MBEDTLS_LIB_CFLAGS) -MMD -MP -c $< -o $@

$(MBEDTLS_LIB): $(MBEDTLS_OBJS)
	@echo "  AR      $@ (mbedtls $(MBEDTLS_VERSION), Debian source package)"
	$(Q)rm -f $@ && ar rcsD $@ $^

VMM_LIBS += $(MBEDTLS_LIB)
VMM_OBJS += $(BUILD)/crypto/glue.o $(BUILD)/crypto/selftest.o \
	$(BUILD)/vmm/lib/string.o
CFLAGS_vmm/lib/string.c := -fno-tree-loop-distribute-patterns

# Host tests. test_crypto_selftest links the *freestanding* archive (plain
# x86-64 code, -fpie, no ASan) with host builds of selftest.c and glue.c made
# against the same headers and config, so it checks what the VMM computes.
HOST_MBEDTLS_CFLAGS := -I$(MBEDTLS_SRC)/include \
	-DMBEDTLS_CONFIG_FILE='"mamori_mbedtls_config.h"'
HOST_CFLAGS_crypto/glue.c := $(HOST_MBEDTLS_CFLAGS)
HOST_CFLAGS_crypto/selftest.c := $(HOST_MBEDTLS_CFLAGS)
HOST_CFLAGS_tests/unit/test_crypto_selftest.c := $(HOST_MBEDTLS_CFLAGS)
# The VMM's string functions, renamed mamori_* so they sit beside libc's.
HOST_CFLAGS_vmm/lib/string.c := -fno-tree-loop-distribute-patterns \
	$(foreach f,memcpy memmove memset memcmp strlen strnlen strcmp strncmp strchr,-D$(f)=mamori_$(f))

# test_crypto_vmm runs the same tests on the VMM's own glue.o and selftest.o.
UNIT_TESTS += $(BUILD)/tests/test_string $(BUILD)/tests/test_crypto_selftest \
	$(BUILD)/tests/test_crypto_vmm
$(BUILD)/tests/test_string: $(BUILD)/host/tests/unit/test_string.o \
		$(BUILD)/host/vmm/lib/string.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)
$(BUILD)/tests/test_crypto_selftest: $(BUILD)/host/tests/unit/test_crypto_selftest.o \
		$(BUILD)/host/crypto/selftest.o $(BUILD)/host/crypto/glue.o \
		$(BUILD)/host/tests/unit/stub_log.o $(MBEDTLS_LIB)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)
$(BUILD)/tests/test_crypto_vmm: $(BUILD)/host/tests/unit/test_crypto_selftest.o \
		$(BUILD)/crypto/selftest.o $(BUILD)/crypto/glue.o \
		$(BUILD)/host/tests/unit/stub_log.o $(MBEDTLS_LIB)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)
