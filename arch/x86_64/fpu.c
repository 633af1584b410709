// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest extended-state save/restore around SIMD sections (see <asm/fpu.h>).
 * Never uses SSE itself (VMM_CFLAGS; the host build adds -mgeneral-regs-only).
 * Only the CR0/CR4 helpers are VMX-root-only; the host test build stubs them.
 */
#include <cpuid.h>
#include <mamori/errno.h>
#include <asm/fpu.h>

#define FPU_HDR_RESERVED	(FPU_LEGACY_SIZE + 8)	/* XCOMP_BV + reserved */

static struct {
	bool ready;
	bool xsave;		/* XSAVE usable: CPUID.1:ECX.XSAVE and OSXSAVE */
	bool all_fit;		/* every XCR0 the CPU allows fits the area */
	u64 xcr0_mask;		/* CPUID.(0DH,0):EDX:EAX */
	u32 max_size;		/* CPUID.(0DH,0):ECX */
	u32 end[64];		/* standard-form offset + size of component i */
} fpu_caps;

#ifndef MAMORI_HOST_TEST
static u64 fpu_read_cr0(void)
{
	u64 v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

/* Clear CR0.TS; true if it was set. */
static bool fpu_ts_clear(void)
{
	if (!(fpu_read_cr0() & X86_CR0_TS))
		return false;
	asm volatile("clts" ::: "memory");
	return true;
}

static void fpu_ts_set(void)
{
	asm volatile("mov %0, %%cr0" :: "r"(fpu_read_cr0() | X86_CR0_TS) : "memory");
}

/* SSE needs CR4.OSFXSR, XSAVE/XGETBV need CR4.OSXSAVE in the host CR4. */
static void fpu_cr4_setup(bool xsave)
{
	u64 cr4, want;

	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	want = cr4 | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	if (xsave)
		want |= X86_CR4_OSXSAVE;
	if (want != cr4)
		asm volatile("mov %0, %%cr4" :: "r"(want) : "memory");
}
#else
/* User mode on the build host: the kernel owns CR0 and CR4. */
static bool fpu_ts_clear(void)
{
	return false;
}

static void fpu_ts_set(void)
{
}

static void fpu_cr4_setup(bool xsave)
{
}
#endif

static u64 fpu_xgetbv0(void)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return lo | (u64)hi << 32;
}

int fpu_init(void)
{
	u32 a, b, c, d, i, end[64] = { 0 };
	u64 mask;

	__cpuid(1, a, b, c, d);
	if (!(d & bit_FXSAVE))
		return -ENOSYS;
	fpu_cr4_setup(c & bit_XSAVE);
	__cpuid(1, a, b, c, d);
	if (!(c & bit_XSAVE) || !(c & bit_OSXSAVE)) {
		fpu_caps.xsave = false;
		fpu_caps.ready = true;
		return 0;
	}

	__cpuid_count(0xd, 0, a, b, c, d);
	mask = a | (u64)d << 32;
	for (i = 2; i < 64; i++) {
		u32 sa, sb, sc, sd;

		if (!(mask & BIT(i)))
			continue;
		__cpuid_count(0xd, i, sa, sb, sc, sd);
		end[i] = sa + sb;
	}
	if (fpu_caps.ready && fpu_caps.xsave) {
		for (i = 0; i < 64; i++)
			if (end[i] != fpu_caps.end[i])
				return -EINVAL;
		if (mask != fpu_caps.xcr0_mask || c != fpu_caps.max_size)
			return -EINVAL;
	} else {
		for (i = 0; i < 64; i++)
			fpu_caps.end[i] = end[i];
		fpu_caps.xcr0_mask = mask;
		fpu_caps.max_size = c;
		fpu_caps.all_fit = c <= FPU_AREA_SIZE;
		fpu_caps.xsave = true;
		fpu_caps.ready = true;
	}
	if (fpu_xsave_size(fpu_xgetbv0()) > FPU_AREA_SIZE)
		return -E2BIG;
	return 0;
}

u32 fpu_xsave_size(u64 xcr0)
{
	u32 size = FPU_XSAVE_MIN;

	if (!fpu_caps.xsave)
		return 0;
	xcr0 &= fpu_caps.xcr0_mask & ~(XFEATURE_X87 | XFEATURE_SSE);
	for (; xcr0; xcr0 &= xcr0 - 1)
		size = MAX(size, fpu_caps.end[__builtin_ctzll(xcr0)]);
	return size;
}

bool fpu_xcr0_ok(u64 xcr0)
{
	return fpu_caps.xsave && fpu_xsave_size(xcr0) <= FPU_AREA_SIZE;
}

int fpu_save(struct fpu_area *a)
{
	u64 xcr0 = fpu_caps.xsave ? fpu_xgetbv0() : 0;
	u64 *hdr = (u64 *)(a->image + FPU_HDR_RESERVED);
	int i;

	if (!(xcr0 & XFEATURE_SSE)) {
		/* No XSAVE, or the guest never enabled SSE in XCR0. */
		asm volatile("fxsave64 %0" : "+m"(a->image) :: "memory");
		a->xcr0 = 0;
		return 0;
	}
	if (!fpu_caps.all_fit && fpu_xsave_size(xcr0) > FPU_AREA_SIZE)
		return -E2BIG;
	/* XSAVE writes only XSTATE_BV; XRSTOR faults on a dirty header. */
	for (i = 0; i < 7; i++)
		hdr[i] = 0;
	asm volatile("xsave64 %0" : "+m"(a->image) : "a"(~0u), "d"(~0u)
		     : "memory");
	a->xcr0 = xcr0;
	return 0;
}

void fpu_restore(const struct fpu_area *a)
{
	if (a->xcr0)
		asm volatile("xrstor64 %0" :: "m"(a->image), "a"(~0u), "d"(~0u)
			     : "memory");
	else
		asm volatile("fxrstor64 %0" :: "m"(a->image) : "memory");
}

int fpu_simd_begin(struct fpu_area *a)
{
	bool ts = fpu_ts_clear();
	int ret = fpu_save(a);

	if (ret) {
		if (ts)
			fpu_ts_set();
		return ret;
	}
	a->ts = ts;
	if ((a->xcr0 & (XFEATURE_SSE | XFEATURE_YMM)) ==
	    (XFEATURE_SSE | XFEATURE_YMM))
		asm volatile("vzeroupper" ::: "memory");
	return 0;
}

void fpu_simd_end(struct fpu_area *a)
{
	fpu_restore(a);
	if (a->ts)
		fpu_ts_set();
}
