# fs/: file-system resolution for the file access check (docs/filecheck.md):
# path -> sectors of data and metadata on ext4 and FAT, behind a sector-read
# callback. Arch-neutral, freestanding; linked into vmm.elf (nothing calls it
# yet), host-tested against images made by mkfs.ext4/mkfs.vfat with answers
# from debugfs/mtools (tests/fs/), and fuzzed.

FS_SRCS := fs/ivset.c fs/ext4.c fs/ext4_map.c fs/ext4_dir.c fs/fat.c fs/fat_dir.c
VMM_CFLAGS += -Ifs/include
VMM_OBJS += $(FS_SRCS:%.c=$(BUILD)/%.o)
FS_FIXTURES := $(BUILD)/tests/fs
$(foreach f,$(FS_SRCS),$(eval HOST_CFLAGS_$(f) := -Ifs/include))
HOST_CFLAGS_tests/unit/test_fs.c := -Ifs/include -DFS_FIXTURES='"$(FS_FIXTURES)"'

# The images and the tools' answers, rebuilt when the oracle changes.
$(FS_FIXTURES)/cases.txt: tests/fs/fs_oracle.py
	@mkdir -p $(@D)
	@echo "  ORACLE  $@ (mkfs.ext4, debugfs, mkfs.vfat, mtools)"
	$(Q)tests/fs/fs_oracle.py $(@D)

UNIT_TESTS += $(BUILD)/tests/test_fs
$(BUILD)/tests/test_fs: $(BUILD)/host/tests/unit/test_fs.o $(FS_SRCS:%.c=$(BUILD)/host/%.o) \
		$(FS_FIXTURES)/cases.txt
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(filter %.o,$^) -o $@ -lcmocka $(HOST_LDLIBS)

# The enforcement (vmm/filecheck*.c) on the same images, the oracle's sectors as the reference.
HOST_CFLAGS_tests/unit/test_filecheck.c := -DFS_FIXTURES='"$(FS_FIXTURES)"'
UNIT_TESTS += $(BUILD)/tests/test_filecheck
$(BUILD)/tests/test_filecheck: $(BUILD)/host/tests/unit/test_filecheck.o \
		$(addprefix $(BUILD)/host/vmm/,filecheck.o filecheck_resolve.o filecheck_boot.o \
			filecheck_audit.o audit.o) \
		$(FS_SRCS:%.c=$(BUILD)/host/%.o) $(BUILD)/host/tests/unit/stub_log.o \
		$(FS_FIXTURES)/cases.txt
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(filter %.o,$^) -o $@ -lcmocka $(HOST_LDLIBS)

# libFuzzer target: patched small ext4/FAT16 images (`make fuzz`; the clang rule
# is in mgmt/mgmt.mk); the base images sit beside the binary.
FS_FUZZ_OBJS := $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(FS_SRCS) tests/fuzz/fuzz_fs.c)
FUZZERS += $(BUILD)/fuzz/fuzz_fs
$(FS_FUZZ_OBJS): POLICY_FUZZ_CFLAGS += -Ifs/include -DMAMORI_HOST_TEST
$(BUILD)/fuzz/fs-base/fat.img: tests/fs/mkfuzzbase.sh
	@echo "  IMAGES  $(@D) (mkfs.ext4, debugfs, mkfs.vfat, mtools)"
	$(Q)tests/fs/mkfuzzbase.sh $(@D)
$(BUILD)/fuzz/fuzz_fs: $(FS_FUZZ_OBJS) $(BUILD)/fuzz/fs-base/fat.img
	@echo "  LINK    $@"
	$(Q)clang $(POLICY_FUZZ_CFLAGS) $(filter %.o,$^) -o $@

# fs-resolve: fs/'s answer for paths on an image (tools/fs-resolve.c).
HOST_TOOLS += $(BUILD)/fs-resolve
HOST_CFLAGS_tools/fs-resolve.c := -Ifs/include
$(BUILD)/fs-resolve: $(BUILD)/host/tools/fs-resolve.o $(FS_SRCS:%.c=$(BUILD)/host/%.o)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $^ -o $@ $(HOST_LDLIBS)
