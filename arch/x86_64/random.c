// SPDX-License-Identifier: GPL-2.0-only
/*
 * arch_random_bytes() for net/ (net/random.h): RDRAND, 64 bits at a time,
 * with the health checks a DRBG output can get cheaply: each draw retried at
 * most RDRAND_RETRIES times (Intel's advice for a transient underflow), and
 * an output of all zeros, all ones, or equal to the previous one refused
 * (a stuck or broken generator). No RDRAND: -ENOSYS, and MKA does not start.
 */
#include <net/random.h>
#include <asm/processor.h>
#include <mamori/errno.h>
#include <mamori/string.h>

#define RDRAND_RETRIES	10
#define CPUID1_ECX_RDRAND	(1u << 30)

static bool rdrand64(u64 *v)
{
	bool ok;

	__asm__ volatile("rdrand %0" : "=r"(*v), "=@ccc"(ok));
	return ok;
}

static int draw(u64 *v, u64 prev)
{
	int i;

	for (i = 0; i < RDRAND_RETRIES; i++) {
		if (!rdrand64(v))
			continue;
		if (*v == 0 || *v == ~0ULL || *v == prev)
			return -EIO;
		return 0;
	}
	return -EIO;
}

int arch_random_bytes(void *buf, size_t len)
{
	struct cpuid_regs r;
	u8 *out = buf;
	u64 v, prev = 0;
	int rc = 0;

	cpuid_count(1, 0, &r);
	if (!(r.ecx & CPUID1_ECX_RDRAND))
		return -ENOSYS;
	while (len && !rc) {
		size_t n = MIN(len, sizeof(v));

		rc = draw(&v, prev);
		if (!rc) {
			memcpy(out, &v, n);
			out += n;
			len -= n;
			prev = v;
		}
	}
	v = prev = 0;
	return rc;
}
