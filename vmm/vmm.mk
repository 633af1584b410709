# vmm/: the arch-neutral core.
VMM_OBJS += $(addprefix $(BUILD)/vmm/, main.o log.o console.o mm.o vm.o devices.o smp.o \
	hypercall.o monitor.o monitor_sched.o monitor_state.o disk.o net.o net_secy.o reset.o \
	filecheck.o filecheck_resolve.o filecheck_boot.o filecheck_audit.o)

# build/vmm-debug.elf: the same VMM logging at debug level (every power-of-two
# exit of each reason, held INITs, ...). Boot it in a test image copy with
# tools/run-bochs --esp-put build/vmm-debug.elf='\EFI\mamori\vmm.elf'.
VMM_DEBUG_OBJS := $(filter-out $(BUILD)/vmm/log.o,$(VMM_OBJS)) $(BUILD)/vmm/log-debug.o
$(BUILD)/vmm/log-debug.o: vmm/log.c
	@mkdir -p $(@D)
	@echo "  CC      $< (debug log level)"
	$(Q)$(CC) $(VMM_CFLAGS) -DLOG_LEVEL_DEFAULT=LOG_DBG -MMD -MP -c $< -o $@
$(BUILD)/vmm-debug.elf: $(VMM_DEBUG_OBJS) $(VMM_LIBS) arch/x86_64/vmm.lds
	@echo "  LD      $@"
	$(Q)$(LD) $(VMM_LDFLAGS) -o $@ $(VMM_DEBUG_OBJS) --start-group $(VMM_LIBS) --end-group
	$(Q)tools/check-vmm-elf.sh $@
