# net/: IEEE 802.1AE MACsec SecY and 802.1X-2010 MKA, arch-neutral and with
# no NIC dependency (docs/network.md). Built into vmm.elf (arch_random_bytes()
# is arch/x86_64/random.c); the host tests and the interop program link the
# host builds of the same files against the freestanding mbedTLS archive, so
# they check what the VMM computes.

NET_SRCS := net/macsec.c net/macsec_port.c net/mka.c net/mka_pdu.c net/mka_crypto.c
VMM_CFLAGS += -Inet/include
VMM_OBJS += $(NET_SRCS:%.c=$(BUILD)/%.o)

NET_HOST_CFLAGS := -Inet/include $(HOST_MBEDTLS_CFLAGS)
$(foreach f,$(NET_SRCS) tests/unit/test_macsec.c tests/unit/test_mka.c tests/net/mka_peer.c \
	vmm/net_secy.c tests/unit/test_e1000.c,\
	$(eval HOST_CFLAGS_$(f) := $(NET_HOST_CFLAGS)))
NET_HOST_OBJS := $(NET_SRCS:%.c=$(BUILD)/host/%.o) $(BUILD)/host/crypto/glue.o \
	$(BUILD)/host/tests/unit/stub_log.o

UNIT_TESTS += $(BUILD)/tests/test_macsec $(BUILD)/tests/test_mka
$(BUILD)/tests/test_macsec: $(BUILD)/host/tests/unit/test_macsec.o $(BUILD)/host/net/macsec.o \
		$(BUILD)/host/crypto/glue.o $(BUILD)/host/tests/unit/stub_log.o $(MBEDTLS_LIB)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)
$(BUILD)/tests/test_mka: $(BUILD)/host/tests/unit/test_mka.o $(NET_HOST_OBJS) $(MBEDTLS_LIB)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)

# The interop program (tests/e2e/t-macsec-interop.sh runs it against Linux's
# macsec and wpa_supplicant).
HOST_TOOLS += $(BUILD)/tests/net/mka_peer
$(BUILD)/tests/net/mka_peer: $(BUILD)/host/tests/net/mka_peer.o $(NET_HOST_OBJS) $(MBEDTLS_LIB)
	@mkdir -p $(@D)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $^ -o $@ $(HOST_LDLIBS)

# libFuzzer target: MKPDUs (framed and signed by the harness) and MACsec
# frames into net/ (`make fuzz`; clang rule in mgmt/mgmt.mk).
NET_FUZZ_OBJS := $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(NET_SRCS) crypto/glue.c \
	tests/unit/stub_log.c tests/fuzz/fuzz_mka.c)
FUZZERS += $(BUILD)/fuzz/fuzz_mka
$(NET_FUZZ_OBJS): POLICY_FUZZ_CFLAGS += -Inet/include -Icrypto/include -Iarch/x86_64/include \
	-DMAMORI_HOST_TEST \
	$(HOST_MBEDTLS_CFLAGS)
$(BUILD)/fuzz/fuzz_mka: $(NET_FUZZ_OBJS) $(MBEDTLS_LIB)
	@echo "  LINK    $@"
	$(Q)clang $(POLICY_FUZZ_CFLAGS) $^ -o $@

# Bench: the SecY object the VMM links, beside OpenSSL's AES-GCM (`make bench`).
BENCHES += $(BUILD)/bench/macsec_bench
$(BUILD)/bench/obj/tools/bench/macsec_bench.o: XTS_BENCH_CFLAGS += -Inet/include $(HOST_MBEDTLS_CFLAGS)
$(BUILD)/bench/macsec_bench: $(BUILD)/bench/obj/tools/bench/macsec_bench.o $(BUILD)/net/macsec.o \
		$(BUILD)/bench/obj/crypto/glue.o $(BUILD)/bench/obj/tests/unit/stub_log.o $(MBEDTLS_LIB)
	@mkdir -p $(@D)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $^ -o $@ -lcrypto
