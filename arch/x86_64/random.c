// SPDX-License-Identifier: GPL-2.0-only
/*
 * arch_random_bytes() for net/ (net/random.h): RDRAND, 64 bits at a time,
 * with the health checks a DRBG output can get cheaply (asm/random.h). No
 * RDRAND: -ENOSYS, and MKA does not start.
 */
#include <net/random.h>
#include <asm/random.h>
#include <asm/processor.h>
#include <mamori/errno.h>
#include <mamori/string.h>

#define CPUID1_ECX_RDRAND	(1u << 30)

static bool rdrand64(u64 *v)
{
	bool ok;

	__asm__ volatile("rdrand %0" : "=r"(*v), "=@ccc"(ok));
	return ok;
}

static int draw(bool (*src)(u64 *), u64 *v, u64 prev)
{
	int i;

	for (i = 0; i < RANDOM_RETRIES; i++) {
		if (!src(v))
			continue;
		if (*v == 0 || *v == ~0ULL || *v == prev)
			return -EIO;
		return 0;
	}
	return -EIO;
}

int random_fill(void *buf, size_t len, bool (*src)(u64 *v))
{
	u8 *out = buf;
	u64 v = 0, prev = 0;
	int rc = 0;

	while (len && !rc) {
		size_t n = MIN(len, sizeof(v));

		rc = draw(src, &v, prev);
		if (!rc) {
			memcpy(out, &v, n);
			out += n;
			len -= n;
			prev = v;
		}
	}
	if (rc)
		memset(buf, 0, (size_t)(out - (u8 *)buf));
	v = prev = 0;
	return rc;
}

int arch_random_bytes(void *buf, size_t len)
{
	struct cpuid_regs r;

	cpuid_count(1, 0, &r);
	if (!(r.ecx & CPUID1_ECX_RDRAND))
		return -ENOSYS;
	return random_fill(buf, len, rdrand64);
}
