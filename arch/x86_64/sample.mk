# vCPU sampler (asm/vmx_sample.h): `make VMX_SAMPLE=N` builds a VMM whose
# vCPUs exit every N VMX-preemption-timer ticks and log where they were.
# 0 (the default) builds it out. A settings file rebuilds it when N changes.
VMX_SAMPLE ?= 0
ifeq ($(shell echo '$(VMX_SAMPLE)' | grep -xE '0x[0-9a-fA-F]{1,8}|[0-9]{1,9}'),)
$(error VMX_SAMPLE=$(VMX_SAMPLE): want a preemption-timer count, decimal or 0x hex, 32 bits)
endif
VMM_OBJS += $(BUILD)/arch/x86_64/vmx_sample.o
CFLAGS_arch/x86_64/vmx_sample.c := -DVMX_SAMPLE_TICKS=$(VMX_SAMPLE)U

.PHONY: vmx-sample-check
$(BUILD)/gen/vmx-sample: vmx-sample-check
	@mkdir -p $(@D)
	@[ -f $@ ] && [ "$$(cat $@)" = '$(VMX_SAMPLE)' ] || echo '$(VMX_SAMPLE)' >$@
$(BUILD)/arch/x86_64/vmx_sample.o: $(BUILD)/gen/vmx-sample
