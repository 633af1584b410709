/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal interfaces of the UEFI loader (boot/). */
#ifndef MAMORI_LOADER_H
#define MAMORI_LOADER_H

#include <efi.h>
#include <mamori/boot_info.h>
#include "boot_info_build.h"

#define VMM_PATH		L"\\EFI\\mamori\\vmm.elf"
#define VMM_SIG_PATH		L"\\EFI\\mamori\\vmm.elf.sig"
#define POLICY_PATH		L"\\EFI\\mamori\\policy.bin"
#define NEXT_STAGE_DEFAULT	L"\\EFI\\debian\\grubx64.efi"
#define LOADER_PATH_MAX		256
#define LOADER_COM1		0x3f8

/* The VMM region: image + heap + page tables + per-CPU stacks, all hidden from
 * the guest. 16 MiB, inside the 32 MiB budget (docs/architecture.md). */
#define VMM_REGION_SIZE		(16ULL << 20)
#define VMM_MIN_HEAP		(8ULL << 20)

/* loader_log - gnu-efi Print() format on the UEFI console and COM1. */
void loader_log(const CHAR16 *fmt, ...);
/* loader_fail - log "mamori: <what>: <status>" and return -1. */
int loader_fail(const CHAR16 *what, EFI_STATUS st);
/* loader_fail_msg - log "mamori: <what>: <ascii reason>" and return -1. */
int loader_fail_msg(const CHAR16 *what, const char *why);
/* loader_halt* - log the reason, "mamori: halted", and stop this CPU forever. */
void loader_halt(const CHAR16 *why, EFI_STATUS st) __attribute__((noreturn));
void loader_halt_path(const CHAR16 *why, const CHAR16 *path, EFI_STATUS st)
	__attribute__((noreturn));
void loader_halt_vmm(int vmm_status) __attribute__((noreturn));

/* loader_read_file - read a whole ESP file into pool memory. */
EFI_STATUS loader_read_file(const CHAR16 *path, void **buf, UINTN *size);
/* loader_options - init @bi, copy Mamori's load options into it, pick the next
 * stage path ("next=\\EFI\\x\\y.efi" overrides NEXT_STAGE_DEFAULT) and find
 * the next stage's own options (after "--"; bi_set_options()); halts when malformed. */
void loader_options(EFI_LOADED_IMAGE *img, struct boot_info *bi, CHAR16 *next, UINTN max,
		    struct bi_next_args *args);
/* loader_secure_boot - BOOT_FLAG_SECURE_BOOT in @bi from the firmware's
 * SecureBoot variable; a loud warning when it is off (boot/secure_boot.c). */
void loader_secure_boot(struct boot_info *bi);
/* loader_fill_boot_info - memory map, RSDP, GOP, CPUs, policy; the map is
 * taken last so it shows the VMM region as reserved. */
int loader_fill_boot_info(struct boot_info *bi);

/* loader_fill_disks - @bi->disks: every BlockIo disk and GPT partition with
 * 512-byte sectors on an ATA, AHCI or NVMe controller (boot/disk_info.c). */
void loader_fill_disks(struct boot_info *bi);

/* policy_var_read - @bi->policy_highest_version from the anti-rollback
 * variable (0 when unset), and @bi->self; halts when it cannot be read. */
void policy_var_read(struct boot_info *bi);
/* policy_var_commit - after the VMM started: record
 * @bi->policy_accepted_version when it is higher; halts when that fails. */
void policy_var_commit(const struct boot_info *bi);
/* vmm_svn_var_read - the highest vmm.elf svn started on this machine
 * (MamoriVmmSvn, 0 when unset); halts when it cannot be read. */
u64 vmm_svn_var_read(void);
/* vmm_svn_var_commit - after the VMM started: record @svn when above @old. */
void vmm_svn_var_commit(u64 svn, u64 old);

#endif
