# monitor/: the monitor partition's program (docs/monitor.md). A freestanding
# 64-bit program with its own runtime and linker script, linked at
# MON_LOAD_BASE, flattened to build/monitor/monitor.bin and embedded in
# vmm.elf (vmm/monitor_image.S), so vmm.elf's signature covers it.
MON_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc -isystem $(GCC_INC) \
	-fno-pie -fno-pic -mcmodel=small -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing -mno-red-zone \
	-mgeneral-regs-only -mno-sse -mno-mmx -mno-avx -fcf-protection=none \
	-fno-builtin -Ivmm/include -Imonitor -Imonitor/checks/include $(WARN)
# The checks (monitor/checks/, their own fragment) come as $(CHECKS_LIB);
# monitor/guard.c drives them and is built only when they are there.
MON_SRCS := $(sort $(wildcard monitor/*.c))
ifeq ($(CHECKS_LIB),)
MON_SRCS := $(filter-out monitor/guard.c,$(MON_SRCS))
else
MON_CFLAGS += -DMON_HAVE_CHECKS
endif
MON_OBJS := $(patsubst %.c,$(BUILD)/mon/%.o,$(MON_SRCS)) $(BUILD)/mon/monitor/entry.o

$(BUILD)/mon/%.o: %.c
	@mkdir -p $(@D)
	@echo "  MONCC   $<"
	$(Q)$(CC) $(MON_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/mon/%.o: %.S
	@mkdir -p $(@D)
	@echo "  MONAS   $<"
	$(Q)$(CC) -fno-pie -MMD -MP -c $< -o $@

$(BUILD)/monitor/monitor.elf: $(MON_OBJS) $(CHECKS_LIB) monitor/monitor.lds
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(LD) -static -nostdlib -no-pie -z noexecstack -z max-page-size=4096 \
		--no-warn-rwx-segments -T monitor/monitor.lds -o $@ $(MON_OBJS) $(CHECKS_LIB)

$(BUILD)/monitor/monitor.bin: $(BUILD)/monitor/monitor.elf
	$(Q)$(OBJCOPY) -O binary -j .text -j .rodata -j .data $< $@

VMM_OBJS += $(BUILD)/vmm/monitor_image.o
$(BUILD)/vmm/monitor_image.o: vmm/monitor_image.S $(BUILD)/monitor/monitor.bin
	@mkdir -p $(@D)
	@echo "  AS      $< (embeds monitor.bin)"
	$(Q)$(CC) $(VMM_ASFLAGS) -DMONITOR_BIN='"$(BUILD)/monitor/monitor.bin"' -c $< -o $@

# The monitor's pure helpers on the host.
UNIT_TESTS += $(BUILD)/tests/test_monitor
$(BUILD)/tests/test_monitor: $(BUILD)/host/tests/unit/test_monitor.o \
		$(BUILD)/host/monitor/ctl.o $(BUILD)/host/vmm/monitor_sched.o \
		$(BUILD)/host/vmm/monitor_state.o
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -o $@ $^ -lcmocka $(HOST_LDLIBS)
