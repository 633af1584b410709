/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest extended-state (x87/SSE/AVX/...) save and restore around the VMM's
 * SIMD sections.
 *
 * The VMM is built with -mno-sse; only the crypto unit touches XMM registers.
 * XCR0 is not switched on VM exit, so in VMX root it still holds the value the
 * guest set with XSETBV: fpu_save() uses XSAVE with an all-ones mask, saving
 * every component that XCR0 enables (FXSAVE when XSAVE is absent or the guest
 * left XCR0.SSE clear). Rule: no SSE instruction runs outside
 *	fpu_simd_begin(&area) ... fpu_simd_end(&area)
 * and sections do not nest. The area is per CPU (12 KiB: covers AMX).
 */
#ifndef ASM_FPU_H
#define ASM_FPU_H

#include <mamori/types.h>

#define FPU_AREA_SIZE		12288	/* >= CPUID.(0DH,0):ECX on current CPUs */
#define FPU_LEGACY_SIZE		512	/* FXSAVE image / XSAVE legacy region */
#define FPU_XSAVE_MIN		576	/* legacy region + XSAVE header */

#define XFEATURE_X87		BIT(0)
#define XFEATURE_SSE		BIT(1)
#define XFEATURE_YMM		BIT(2)

#define X86_CR0_TS		BIT(3)
#define X86_CR4_OSFXSR		BIT(9)
#define X86_CR4_OSXMMEXCPT	BIT(10)
#define X86_CR4_OSXSAVE		BIT(18)

/*
 * struct fpu_area - one saved extended state.
 * @image: XSAVE (standard form) or FXSAVE image, 64-byte aligned
 * @xcr0:  XCR0 at save time (the XRSTOR mask); 0 means an FXSAVE image
 * @ts:    CR0.TS was set before fpu_simd_begin() cleared it
 */
struct fpu_area {
	u8 image[FPU_AREA_SIZE];
	u64 xcr0;
	bool ts;
} __aligned(64);

/*
 * fpu_init - per-CPU setup; call on the BSP first, then on each AP, before
 * the VMCS host state is captured (it may set CR4.OSFXSR and CR4.OSXSAVE in
 * the host CR4). Reads the XSAVE layout from CPUID leaf 0DH.
 * Returns 0; -ENOSYS without FXSR; -E2BIG if the area cannot hold the
 * components of the current XCR0; -EINVAL if this CPU's layout differs.
 */
int fpu_init(void);

/*
 * fpu_xsave_size - bytes of a standard-form XSAVE image for @xcr0, from the
 * CPUID offsets (equals CPUID.(0DH,0):EBX when @xcr0 is the current XCR0).
 * 0 before fpu_init() or without XSAVE.
 */
u32 fpu_xsave_size(u64 xcr0);

/*
 * fpu_xcr0_ok - may the guest set @xcr0? False if the save area is too small
 * for it; the XSETBV exit handler calls this and injects #GP on false.
 */
bool fpu_xcr0_ok(u64 xcr0);

/*
 * fpu_save - save the extended state of this CPU into @a. Returns 0, or
 * -E2BIG (nothing saved) if the current XCR0 needs more than FPU_AREA_SIZE.
 * Requires CR0.TS clear (fpu_simd_begin() handles it).
 */
int fpu_save(struct fpu_area *a);

/* fpu_restore - load the state saved by fpu_save() (same CPU, same XCR0). */
void fpu_restore(const struct fpu_area *a);

/*
 * fpu_simd_begin - open a SIMD section: clear CR0.TS (remembered in @a), save
 * the guest state into @a, and clear the upper YMM halves (VZEROUPPER) so
 * legacy SSE code runs without AVX transition penalties.
 * Returns 0 or fpu_save()'s error; on error no section is open.
 */
int fpu_simd_begin(struct fpu_area *a);

/* fpu_simd_end - restore the guest state from @a and CR0.TS as it was. */
void fpu_simd_end(struct fpu_area *a);

#endif
