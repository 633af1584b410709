// SPDX-License-Identifier: GPL-2.0-only
/*
 * mamori.efi: load \EFI\mamori\vmm.elf, start it, then chainload the next stage
 * (now running as the VMM's guest). Fail closed: on any error, print and halt.
 */
#include <efi.h>
#include <efilib.h>
#include <mamori/boot_info.h>
#include "elf_check.h"
#include "git_rev.h"
#include "loader.h"
#include "vmm_sig.h"

static EFI_HANDLE self;
static EFI_LOADED_IMAGE *self_image;
static EFI_FILE_HANDLE esp_root;

/* Phase stamps (TSC; on Bochs = emulated ticks), logged with "starting the VMM". */
enum { TSC_LOADER, TSC_VMM_READ, TSC_VMM_VERIFIED, TSC_COUNT };
static u64 tsc_mark[TSC_COUNT];

static u64 loader_tsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

static EFI_STATUS open_esp(void)
{
	EFI_FILE_IO_INTERFACE *fs;
	EFI_STATUS st;

	st = uefi_call_wrapper(BS->HandleProtocol, 3, self, &LoadedImageProtocol,
			       (void **)&self_image);
	if (EFI_ERROR(st))
		return st;
	st = uefi_call_wrapper(BS->HandleProtocol, 3, self_image->DeviceHandle,
			       &FileSystemProtocol, (void **)&fs);
	if (EFI_ERROR(st))
		return st;
	return uefi_call_wrapper(fs->OpenVolume, 2, fs, &esp_root);
}

EFI_STATUS loader_read_file(const CHAR16 *path, void **buf, UINTN *size)
{
	EFI_FILE_HANDLE f;
	EFI_FILE_INFO *fi;
	EFI_STATUS st;

	st = uefi_call_wrapper(esp_root->Open, 5, esp_root, &f, (CHAR16 *)path,
			       EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return st;
	fi = LibFileInfo(f);
	if (!fi) {
		uefi_call_wrapper(f->Close, 1, f);
		return EFI_DEVICE_ERROR;
	}
	*size = fi->FileSize;
	FreePool(fi);
	*buf = AllocatePool(*size ? *size : 1);
	if (!*buf) {
		uefi_call_wrapper(f->Close, 1, f);
		return EFI_OUT_OF_RESOURCES;
	}
	st = uefi_call_wrapper(f->Read, 3, f, size, *buf);
	uefi_call_wrapper(f->Close, 1, f);
	return st;
}

/* Allocate @size bytes as EfiReservedMemoryType, 2 MiB aligned (EPT large pages). */
static EFI_STATUS alloc_region(UINTN size, EFI_PHYSICAL_ADDRESS *base)
{
	const UINTN align = 2 << 20;
	UINTN pages = (size + align) / EFI_PAGE_SIZE;
	EFI_PHYSICAL_ADDRESS raw = 0xffffffff, start, end, raw_end;
	EFI_STATUS st;

	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress,
			       EfiReservedMemoryType, pages, &raw);
	if (EFI_ERROR(st))
		return st;
	start = (raw + align - 1) & ~(EFI_PHYSICAL_ADDRESS)(align - 1);
	end = start + size;
	raw_end = raw + pages * EFI_PAGE_SIZE;
	if (start > raw)
		uefi_call_wrapper(BS->FreePages, 2, raw, (start - raw) / EFI_PAGE_SIZE);
	if (raw_end > end)
		uefi_call_wrapper(BS->FreePages, 2, end, (raw_end - end) / EFI_PAGE_SIZE);
	*base = start;
	return EFI_SUCCESS;
}

/*
 * vmm.elf.sig against the key built into this loader, before anything parses
 * vmm.elf; its svn at least the built-in minimum and @svn_floor (the highest
 * started before). *@svn: the verified svn.
 */
static int vmm_authenticate(const void *buf, UINTN size, u64 svn_floor, u64 *svn)
{
	static char why[VMM_SIG_WHY_MAX];
	UINTN sig_size;
	void *sig;
	EFI_STATUS st;
	int rc;

	st = loader_read_file(VMM_SIG_PATH, &sig, &sig_size);
	if (EFI_ERROR(st))
		return loader_fail(L"refused vmm.elf: no signature: cannot read " VMM_SIG_PATH, st);
	rc = vmm_sig_check(buf, size, sig, sig_size, vmm_sign_pubkey,
			   svn_floor > vmm_min_svn ? svn_floor : vmm_min_svn, svn, why);
	FreePool(sig);
	if (rc)
		return loader_fail_msg(L"refused vmm.elf: signature", why);
	loader_log(L"vmm.elf: signature verified, key %a, security version %ld "
		   L"(minimum %ld built in, %ld started before)\n", vmm_sign_pubkey_fpr, *svn,
		   vmm_min_svn, svn_floor);
	if (vmm_sign_pubkey_dev)
		loader_log(L"mamori: WARNING: vmm.elf is signed with a DEVELOPMENT key: "
			   L"anyone with the build tree can sign a VMM this loader runs\n");
	return 0;
}

static int load_vmm(struct boot_info *bi, u64 svn_floor, u64 *svn, vmm_entry_fn *entry)
{
	struct elf_image img;
	EFI_PHYSICAL_ADDRESS base;
	const char *msg;
	UINTN size;
	void *buf;
	EFI_STATUS st;

	st = loader_read_file(VMM_PATH, &buf, &size);
	if (EFI_ERROR(st))
		return loader_fail(L"refused vmm.elf: cannot read " VMM_PATH, st);
	tsc_mark[TSC_VMM_READ] = loader_tsc();
	if (vmm_authenticate(buf, size, svn_floor, svn))
		return -1;
	tsc_mark[TSC_VMM_VERIFIED] = loader_tsc();
	if (vmm_sign_pubkey_dev)
		bi->flags |= BOOT_FLAG_VMM_DEV_KEY;
	if (elf_check(buf, size, &img, &msg))
		return loader_fail_msg(L"refused vmm.elf", msg);
	if (img.span + VMM_MIN_HEAP > VMM_REGION_SIZE)
		return loader_fail_msg(L"refused vmm.elf", "image larger than the VMM region");
	st = alloc_region(VMM_REGION_SIZE, &base);
	if (EFI_ERROR(st))
		return loader_fail(L"cannot allocate the VMM region", st);
	if (elf_load(buf, &img, (void *)base, base, &msg))
		return loader_fail_msg(L"refused vmm.elf", msg);
	FreePool(buf);
	bi->vmm_base = base;
	bi->vmm_size = VMM_REGION_SIZE;
	bi->image_size = img.span;
	bi->entry_offset = img.entry_off;
	*entry = (vmm_entry_fn)(base + img.entry_off);
	loader_log(L"loaded vmm.elf: %ld KiB at 0x%lx, region %ld MiB reserved\n",
		   img.span >> 10, base, (UINTN)VMM_REGION_SIZE >> 20);
	return 0;
}

/* The next stage gets the part of our load options after "--", NUL-terminated. */
static EFI_STATUS pass_next_args(EFI_HANDLE img, const struct bi_next_args *args)
{
	const CHAR16 *opts = self_image->LoadOptions;
	EFI_LOADED_IMAGE *li;
	CHAR16 *copy;
	EFI_STATUS st;

	if (!args->count)
		return EFI_SUCCESS;
	st = uefi_call_wrapper(BS->HandleProtocol, 3, img, &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st))
		return st;
	copy = AllocatePool((args->count + 1) * sizeof(CHAR16));
	if (!copy)
		return EFI_OUT_OF_RESOURCES;
	CopyMem(copy, (void *)(opts + args->offset), args->count * sizeof(CHAR16));
	copy[args->count] = 0;
	li->LoadOptions = copy;
	li->LoadOptionsSize = (UINT32)((args->count + 1) * sizeof(CHAR16));
	loader_log(L"next stage options: %s\n", copy);
	return EFI_SUCCESS;
}

static EFI_STATUS load_next_stage(const CHAR16 *path, const struct bi_next_args *args,
				  EFI_HANDLE *img)
{
	EFI_DEVICE_PATH *dp = FileDevicePath(self_image->DeviceHandle, (CHAR16 *)path);
	EFI_STATUS st;

	if (!dp)
		return EFI_OUT_OF_RESOURCES;
	st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, self, dp, NULL, 0, img);
	if (EFI_ERROR(st))
		return st;
	return pass_next_args(*img, args);
}

static void run(void)
{
	static struct boot_info bi;
	static CHAR16 next[LOADER_PATH_MAX];
	struct bi_next_args args;
	EFI_HANDLE next_img;
	vmm_entry_fn entry;
	u64 svn_floor, svn;
	EFI_STATUS st;
	int rc;

	st = open_esp();
	if (EFI_ERROR(st))
		loader_halt(L"cannot open the loader's own volume", st);
	loader_options(self_image, &bi, next, LOADER_PATH_MAX, &args);
	loader_secure_boot(&bi);
	st = load_next_stage(next, &args, &next_img);
	if (EFI_ERROR(st))
		loader_halt_path(L"next stage missing or invalid", next, st);
	svn_floor = vmm_svn_var_read();
	if (load_vmm(&bi, svn_floor, &svn, &entry))
		loader_halt(L"the VMM was not started; not booting without protection",
			    EFI_LOAD_ERROR);
	if (loader_fill_boot_info(&bi))
		loader_halt(L"cannot collect boot information", EFI_LOAD_ERROR);
	loader_fill_disks(&bi);
	policy_var_read(&bi);
	loader_log(L"starting the VMM (tsc %ld; loader %ld, vmm.elf read %ld, verified %ld)\n",
		   loader_tsc(), tsc_mark[TSC_LOADER], tsc_mark[TSC_VMM_READ],
		   tsc_mark[TSC_VMM_VERIFIED]);
	rc = entry(&bi);
	if (rc != VMM_OK)
		loader_halt_vmm(rc);
	policy_var_commit(&bi);
	vmm_svn_var_commit(svn, svn_floor);
	loader_log(L"VMM started (status 0) at tsc %ld; chainloading %s\n", loader_tsc(), next);
	st = uefi_call_wrapper(BS->StartImage, 3, next_img, NULL, NULL);
	loader_halt_path(L"next stage returned", next, st);
}

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	InitializeLib(image, systab);
	self = image;
	tsc_mark[TSC_LOADER] = loader_tsc();
	loader_log(L"Mamori loader %a (%a)\n", MAMORI_VERSION, MAMORI_GIT_REV);
	run();
	return EFI_LOAD_ERROR;	/* not reached: run() halts or chainloads */
}
