# arch/x86_64/random.c: arch_random_bytes() (RDRAND with health checks) for net/.
VMM_OBJS += $(BUILD)/arch/x86_64/random.o
