# crypto/: the AES-256-XTS sector datapath (AES-NI) and the guest extended-state
# save/restore that wraps every SIMD section (arch/x86_64/fpu.c).

VMM_SIMD_SRCS += crypto/xts.c
VMM_OBJS += $(BUILD)/crypto/xts.o $(BUILD)/arch/x86_64/fpu.o

# Host builds: xts.c needs the ISA flags; fpu.c must never touch XMM itself.
HOST_CFLAGS_crypto/xts.c := -msse4.1 -maes -mpclmul
HOST_CFLAGS_arch/x86_64/fpu.c := -mgeneral-regs-only

UNIT_TESTS += $(BUILD)/tests/test_xts
$(BUILD)/tests/test_xts: $(BUILD)/host/tests/unit/test_xts.o \
		$(BUILD)/host/crypto/xts.o $(BUILD)/host/arch/x86_64/fpu.o
	@mkdir -p $(@D)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka -lmbedcrypto -lcrypto $(HOST_LDLIBS)

# The benchmark links the very objects the VMM runs: xts.c built with
# VMM_SIMD_CFLAGS (freestanding, -O2, no sanitizers); fpu.c in its host form.
XTS_BENCH_CFLAGS := -std=gnu11 -O2 -g $(WARN) -Ivmm/include \
	-Iarch/x86_64/include -Icrypto/include -DMAMORI_HOST_TEST

$(BUILD)/bench/obj/crypto/xts.o: crypto/xts.c
	@mkdir -p $(@D)
	@echo "  CC      $< (bench, VMM flags)"
	$(Q)$(CC) $(VMM_SIMD_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/bench/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $< (bench)"
	$(Q)$(HOSTCC) $(XTS_BENCH_CFLAGS) $(HOST_CFLAGS_$(<)) -MMD -MP -c $< -o $@

BENCHES += $(BUILD)/bench/xts_bench
$(BUILD)/bench/xts_bench: $(BUILD)/bench/obj/tools/bench/xts_bench.o \
		$(BUILD)/bench/obj/crypto/xts.o $(BUILD)/bench/obj/arch/x86_64/fpu.o
	@mkdir -p $(@D)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $^ -o $@ -lmbedcrypto -lcrypto
