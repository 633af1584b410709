# arch/x86_64/random.c: arch_random_bytes() (RDRAND with health checks) for net/;
# arch/x86_64/time.c: arch_time_ms() for the MKA and NIC timers.
VMM_OBJS += $(BUILD)/arch/x86_64/random.o $(BUILD)/arch/x86_64/time.o

HOST_CFLAGS_arch/x86_64/random.c := -Inet/include
HOST_CFLAGS_tests/unit/test_random.c := -Inet/include
UNIT_TESTS += $(BUILD)/tests/test_random
$(BUILD)/tests/test_random: $(BUILD)/host/tests/unit/test_random.o \
		$(BUILD)/host/arch/x86_64/random.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $^ -o $@ -lcmocka $(HOST_LDLIBS)
