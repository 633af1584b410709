# monitor/checks/: the monitor partition's integrity checks (kernel text, IDT,
# syscall MSRs; docs/monitor-checks.md). Freestanding C, no libc: built with
# the VMM's flags into $(CHECKS_LIB) for the monitor program's link (the
# program adds $(CHECKS_LIB) and -Imonitor/checks/include -Ivmm/include),
# and host-built for the unit test and the fuzzer.

CHECKS_SRCS := monitor/checks/report.c monitor/checks/sha256.c \
	monitor/checks/pt_walk.c monitor/checks/ktext.c monitor/checks/idt.c \
	monitor/checks/linux.c monitor/checks/files.c
CHECKS_INC := -Imonitor/checks/include -Ifs/include
CHECKS_LIB := $(BUILD)/monitor/checks/libchecks.a
$(foreach f,$(CHECKS_SRCS),$(eval CFLAGS_$(f) := $(CHECKS_INC)))
$(foreach f,$(CHECKS_SRCS),$(eval HOST_CFLAGS_$(f) := $(CHECKS_INC)))
HOST_CFLAGS_tests/unit/test_checks.c := $(CHECKS_INC) -DCHECKS_FIXTURES='"$(BUILD)/tests/checks"'

# Built by `make`, with fs/ inside for the storage check; check-undef.sh
# refuses any undefined symbol beyond memcpy, memmove, memset, memcmp and
# strnlen (vmm/lib/string.c has them).
all: $(CHECKS_LIB)
$(CHECKS_LIB): $(CHECKS_SRCS:%.c=$(BUILD)/%.o) $(FS_SRCS:%.c=$(BUILD)/%.o) \
		monitor/checks/check-undef.sh
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $(filter %.o,$^)
	$(Q)monitor/checks/check-undef.sh $@

UNIT_TESTS += $(BUILD)/tests/test_checks
$(BUILD)/tests/test_checks: $(BUILD)/host/tests/unit/test_checks.o \
		$(CHECKS_SRCS:%.c=$(BUILD)/host/%.o) $(FS_SRCS:%.c=$(BUILD)/host/%.o) \
		$(BUILD)/tests/checks/files.img
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(filter %.o,$^) -o $@ -lcmocka -lcrypto $(HOST_LDLIBS)

# The storage check's image: mkfs.ext4 -d, inode numbers from debugfs.
$(BUILD)/tests/checks/files.img: tests/unit/checks-mkimage.sh
	@echo "  IMAGE   $@ (mkfs.ext4, debugfs)"
	$(Q)tests/unit/checks-mkimage.sh $@

# libFuzzer target: the checks on hostile guest memory (`make fuzz`; the clang
# rule is in mgmt/mgmt.mk).
CHECKS_FUZZ_OBJS := $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(CHECKS_SRCS) tests/fuzz/fuzz_checks.c)
FUZZERS += $(BUILD)/fuzz/fuzz_checks
$(CHECKS_FUZZ_OBJS): POLICY_FUZZ_CFLAGS += $(CHECKS_INC) -DMAMORI_HOST_TEST
$(BUILD)/fuzz/fuzz_checks: $(CHECKS_FUZZ_OBJS) $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(FS_SRCS))
	@echo "  LINK    $@"
	$(Q)clang $(POLICY_FUZZ_CFLAGS) $^ -o $@

# checks-kscan: the checks on a kernel image instead of a live guest
# (tools/checks-kscan.c): where _text and __jump_table are, how many sites and
# text pages; the evidence behind docs/monitor-checks.md's numbers.
HOST_TOOLS += $(BUILD)/checks-kscan
HOST_CFLAGS_tools/checks-kscan.c := $(CHECKS_INC)
$(BUILD)/checks-kscan: $(BUILD)/host/tools/checks-kscan.o $(CHECKS_SRCS:%.c=$(BUILD)/host/%.o) \
		$(FS_SRCS:%.c=$(BUILD)/host/%.o)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $^ -o $@ $(HOST_LDLIBS)
