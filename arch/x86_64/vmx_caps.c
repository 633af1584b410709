// SPDX-License-Identifier: GPL-2.0-only
#include <asm/vmx_caps.h>

int vmx_adjust_ctls(u64 cap, u32 want, u32 required, u32 *out, u32 *missing)
{
	u32 must = (u32)cap, may = (u32)(cap >> 32);

	*out = (want | must) & may;
	*missing = required & ~may;
	return *missing ? -1 : 0;
}
