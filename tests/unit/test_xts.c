// SPDX-License-Identifier: GPL-2.0-only
/*
 * AES-256-XTS datapath and SIMD save/restore tests (host build).
 *  - IEEE Std 1619-2007 Annex B, vectors 10-14 (XTS-AES-256, 512-byte units);
 *  - dm-crypt plain64 semantics against OpenSSL EVP_aes_256_xts (IV = sector
 *    number LE) and mbedtls_aes_crypt_xts, random data, in place or not;
 *  - fpu_save/fpu_restore and a whole SIMD section keep XMM/YMM/ZMM/k/MXCSR.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cpuid.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <mbedtls/aes.h>
#include <mamori/errno.h>
#include <crypto/xts.h>

#define SECT	XTS_SECTOR_SIZE

/* The vectors' key: Key1 = digits of e, Key2 = digits of pi. */
static const char ieee_key_hex[] =
	"2718281828459045235360287471352662497757247093699959574966967627"
	"3141592653589793238462643383279502884197169399375105820974944592";

static const struct {
	u64 dun;
	const char *ctx;
} ieee_vec[] = {
	/* Vector 10, data unit sequence number 0xff */
	{ 0xffULL,
	  "1c3b3a102f770386e4836c99e370cf9bea00803f5e482357a4ae12d414a3e63b"
	  "5d31e276f8fe4a8d66b317f9ac683f44680a86ac35adfc3345befecb4bb188fd"
	  "5776926c49a3095eb108fd1098baec70aaa66999a72a82f27d848b21d4a741b0"
	  "c5cd4d5fff9dac89aeba122961d03a757123e9870f8acf1000020887891429ca"
	  "2a3e7a7d7df7b10355165c8b9a6d0a7de8b062c4500dc4cd120c0f7418dae3d0"
	  "b5781c34803fa75421c790dfe1de1834f280d7667b327f6c8cd7557e12ac3a0f"
	  "93ec05c52e0493ef31a12d3d9260f79a289d6a379bc70c50841473d1a8cc81ec"
	  "583e9645e07b8d9670655ba5bbcfecc6dc3966380ad8fecb17b6ba02469a020a"
	  "84e18e8f84252070c13e9f1f289be54fbc481457778f616015e1327a02b140f1"
	  "505eb309326d68378f8374595c849d84f4c333ec4423885143cb47bd71c5edae"
	  "9be69a2ffeceb1bec9de244fbe15992b11b77c040f12bd8f6a975a44a0f90c29"
	  "a9abc3d4d893927284c58754cce294529f8614dcd2aba991925fedc4ae74ffac"
	  "6e333b93eb4aff0479da9a410e4450e0dd7ae4c6e2910900575da401fc07059f"
	  "645e8b7e9bfdef33943054ff84011493c27b3429eaedb4ed5376441a77ed4385"
	  "1ad77f16f541dfd269d50d6a5f14fb0aab1cbb4c1550be97f7ab4066193c4caa"
	  "773dad38014bd2092fa755c824bb5e54c4f36ffda9fcea70b9c6e693e148c151" },
	/* Vector 11, data unit sequence number 0xffff */
	{ 0xffffULL,
	  "77a31251618a15e6b92d1d66dffe7b50b50bad552305ba0217a610688eff7e11"
	  "e1d0225438e093242d6db274fde801d4cae06f2092c728b2478559df58e837c2"
	  "469ee4a4fa794e4bbc7f39bc026e3cb72c33b0888f25b4acf56a2a9804f1ce6d"
	  "3d6e1dc6ca181d4b546179d55544aa7760c40d06741539c7e3cd9d2f6650b201"
	  "3fd0eeb8c2b8e3d8d240ccae2d4c98320a7442e1c8d75a42d6e6cfa4c2eca179"
	  "8d158c7aecdf82490f24bb9b38e108bcda12c3faf9a21141c3613b58367f922a"
	  "aa26cd22f23d708dae699ad7cb40a8ad0b6e2784973dcb605684c08b8d6998c6"
	  "9aac049921871ebb65301a4619ca80ecb485a31d744223ce8ddc2394828d6a80"
	  "470c092f5ba413c3378fa6054255c6f9df4495862bbb3287681f931b687c888a"
	  "bf844dfc8fc28331e579928cd12bd2390ae123cf03818d14dedde5c0c24c8ab0"
	  "18bfca75ca096f2d531f3d1619e785f1ada437cab92e980558b3dce1474afb75"
	  "bfedbf8ff54cb2618e0244c9ac0d3c66fb51598cd2db11f9be39791abe447c63"
	  "094f7c453b7ff87cb5bb36b7c79efb0872d17058b83b15ab0866ad8a58656c5a"
	  "7e20dbdf308b2461d97c0ec0024a2715055249cf3b478ddd4740de654f75ca68"
	  "6e0d7345c69ed50cdc2a8b332b1f8824108ac937eb050585608ee734097fc090"
	  "54fbff89eeaeea791f4a7ab1f9868294a4f9e27b42af8100cb9d59cef9645803" },
	/* Vector 12, data unit sequence number 0xffffff */
	{ 0xffffffULL,
	  "e387aaa58ba483afa7e8eb469778317ecf4cf573aa9d4eac23f2cdf914e4e200"
	  "a8b490e42ee646802dc6ee2b471b278195d60918ececb44bf79966f83faba049"
	  "9298ebc699c0c8634715a320bb4f075d622e74c8c932004f25b41e361025b5a8"
	  "7815391f6108fc4afa6a05d9303c6ba68a128a55705d415985832fdeaae6c8e1"
	  "9110e84d1b1f199a2692119edc96132658f09da7c623efcec712537a3d94c0bf"
	  "5d7e352ec94ae5797fdb377dc1551150721adf15bd26a8efc2fcaad56881fa9e"
	  "62462c28f30ae1ceaca93c345cf243b73f542e2074a705bd2643bb9f7cc79bb6"
	  "e7091ea6e232df0f9ad0d6cf502327876d82207abf2115cdacf6d5a48f6c1879"
	  "a65b115f0f8b3cb3c59d15dd8c769bc014795a1837f3901b5845eb491adfefe0"
	  "97b1fa30a12fc1f65ba22905031539971a10f2f36c321bb51331cdefb39e3964"
	  "c7ef079994f5b69b2edd83a71ef549971ee93f44eac3938fcdd61d01fa71799d"
	  "a3a8091c4c48aa9ed263ff0749df95d44fef6a0bb578ec69456aa5408ae32c7a"
	  "f08ad7ba8921287e3bbee31b767be06a0e705c864a769137df28292283ea81a2"
	  "480241b44d9921cdbec1bc28dc1fda114bd8e5217ac9d8ebafa720e9da4f9ace"
	  "231cc949e5b96fe76ffc21063fddc83a6b8679c00d35e09576a875305bed5f36"
	  "ed242c8900dd1fa965bc950dfce09b132263a1eef52dd6888c309f5a7d712826" },
	/* Vector 13, data unit sequence number 0xffffffff */
	{ 0xffffffffULL,
	  "bf53d2dade78e822a4d949a9bc6766b01b06a8ef70d26748c6a7fc36d80ae4c5"
	  "520f7c4ab0ac8544424fa405162fef5a6b7f229498063618d39f0003cb5fb8d1"
	  "c86b643497da1ff945c8d3bedeca4f479702a7a735f043ddb1d6aaade3c4a0ac"
	  "7ca7f3fa5279bef56f82cd7a2f38672e824814e10700300a055e1630b8f1cb0e"
	  "919f5e942010a416e2bf48cb46993d3cb6a51c19bacf864785a00bc2ecff15d3"
	  "50875b246ed53e68be6f55bd7e05cfc2b2ed6432198a6444b6d8c247fab941f5"
	  "69768b5c429366f1d3f00f0345b96123d56204c01c63b22ce78baf116e525ed9"
	  "0fdea39fa469494d3866c31e05f295ff21fea8d4e6e13d67e47ce722e9698a1c"
	  "1048d68ebcde76b86fcf976eab8aa9790268b7068e017a8b9b749409514f1053"
	  "027fd16c3786ea1bac5f15cb79711ee2abe82f5cf8b13ae73030ef5b9e4457e7"
	  "5d1304f988d62dd6fc4b94ed38ba831da4b7634971b6cd8ec325d9c61c00f1df"
	  "73627ed3745a5e8489f3a95c69639c32cd6e1d537a85f75cc844726e8a72fc00"
	  "77ad22000f1d5078f6b866318c668f1ad03d5a5fced5219f2eabbd0aa5c0f460"
	  "d183f04404a0d6f469558e81fab24a167905ab4c7878502ad3e38fdbe62a4155"
	  "6cec37325759533ce8f25f367c87bb5578d667ae93f9e2fd99bcbc5f2fbba88c"
	  "f6516139420fcff3b7361d86322c4bd84c82f335abb152c4a93411373aaa8220" },
	/* Vector 14, data unit sequence number 0xffffffffff */
	{ 0xffffffffffULL,
	  "64497e5a831e4a932c09be3e5393376daa599548b816031d224bbf50a818ed23"
	  "50eae7e96087c8a0db51ad290bd00c1ac1620857635bf246c176ab463be30b80"
	  "8da548081ac847b158e1264be25bb0910bbc92647108089415d45fab1b3d2604"
	  "e8a8eff1ae4020cfa39936b66827b23f371b92200be90251e6d73c5f86de5fd4"
	  "a950781933d79a28272b782a2ec313efdfcc0628f43d744c2dc2ff3dcb66999b"
	  "50c7ca895b0c64791eeaa5f29499fb1c026f84ce5b5c72ba1083cddb5ce45434"
	  "631665c333b60b11593fb253c5179a2c8db813782a004856a1653011e93fb6d8"
	  "76c18366dd8683f53412c0c180f9c848592d593f8609ca736317d356e13e2bff"
	  "3a9f59cd9aeb19cd482593d8c46128bb32423b37a9adfb482b99453fbe25a41b"
	  "f6feb4aa0bef5ed24bf73c762978025482c13115e4015aac992e5613a3b5c2f6"
	  "85b84795cb6e9b2656d8c88157e52c42f978d8634c43d06fea928f2822e465aa"
	  "6576e9bf419384506cc3ce3c54ac1a6f67dc66f3b30191e698380bc999b05abc"
	  "e19dc0c6dcc2dd001ec535ba18deb2df1a101023108318c75dc98611a09dc48a"
	  "0acdec676fabdf222f07e026f059b672b56e5cbc8e1d21bbd867dd9272120546"
	  "81d70ea737134cdfce93b6f82ae22423274e58a0821cc5502e2d0ab4585e94de"
	  "6975be5e0b4efce51cd3e70c25a1fbbbd609d273ad5b0d59631c531f6a0a57b9" },
};

static void unhex(u8 *out, const char *hex, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned int v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = v;
	}
}

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void rng_fill(u8 *p, size_t n)
{
	while (n--)
		*p++ = rng();
}

static void test_ieee1619_vectors(void **state)
{
	static u8 pt[SECT], ct[SECT], buf[SECT], key[XTS_KEY_SIZE];
	struct xts_key k;
	size_t v, i;

	unhex(key, ieee_key_hex, sizeof(key));
	assert_int_equal(xts_setkey(&k, key), 0);
	for (i = 0; i < SECT; i++)
		pt[i] = i;
	for (v = 0; v < ARRAY_SIZE(ieee_vec); v++) {
		unhex(ct, ieee_vec[v].ctx, SECT);
		xts_encrypt_sectors(&k, ieee_vec[v].dun, buf, pt, 1);
		assert_memory_equal(buf, ct, SECT);
		xts_decrypt_sectors(&k, ieee_vec[v].dun, buf, ct, 1);
		assert_memory_equal(buf, pt, SECT);
		memcpy(buf, pt, SECT);
		xts_encrypt_sectors(&k, ieee_vec[v].dun, buf, buf, 1);
		assert_memory_equal(buf, ct, SECT);
		xts_decrypt_sectors(&k, ieee_vec[v].dun, buf, buf, 1);
		assert_memory_equal(buf, pt, SECT);
	}
	xts_key_wipe(&k);
	for (i = 0; i < sizeof(k) / 8; i++)
		assert_int_equal(((u64 *)&k)[i], 0);
}

static void test_setkey_rejects_equal_halves(void **state)
{
	u8 key[XTS_KEY_SIZE];
	struct xts_key k;

	assert_true(xts_cpu_supported());
	rng_fill(key, 32);
	memcpy(key + 32, key, 32);
	assert_int_equal(xts_setkey(&k, key), -EINVAL);
	key[63] ^= 1;
	assert_int_equal(xts_setkey(&k, key), 0);
}

/* dm-crypt aes-xts-plain64 by OpenSSL: one EVP call per sector, IV = LE64. */
static void ossl_sectors(const u8 *key, u64 sector, u8 *dst, const u8 *src,
			 size_t n, int enc)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	size_t i;
	int len;

	assert_non_null(c);
	assert_int_equal(EVP_CipherInit_ex(c, EVP_aes_256_xts(), NULL, key,
					   NULL, enc), 1);
	for (i = 0; i < n; i++) {
		u8 iv[16] = { 0 };
		u64 s = sector + i;
		int b;

		for (b = 0; b < 8; b++)
			iv[b] = s >> (8 * b);
		assert_int_equal(EVP_CipherInit_ex(c, NULL, NULL, NULL, iv, enc), 1);
		assert_int_equal(EVP_CipherUpdate(c, dst + i * SECT, &len,
						  src + i * SECT, SECT), 1);
		assert_int_equal(len, SECT);
	}
	EVP_CIPHER_CTX_free(c);
}

static void mbed_sectors(const u8 *key, u64 sector, u8 *dst, const u8 *src,
			 size_t n, int enc)
{
	mbedtls_aes_xts_context c;
	size_t i;

	mbedtls_aes_xts_init(&c);
	assert_int_equal(enc ? mbedtls_aes_xts_setkey_enc(&c, key, 512) :
			       mbedtls_aes_xts_setkey_dec(&c, key, 512), 0);
	for (i = 0; i < n; i++) {
		u8 unit[16] = { 0 };
		u64 s = sector + i;
		int b;

		for (b = 0; b < 8; b++)
			unit[b] = s >> (8 * b);
		assert_int_equal(mbedtls_aes_crypt_xts(&c, enc ? MBEDTLS_AES_ENCRYPT :
						       MBEDTLS_AES_DECRYPT, SECT, unit,
						       src + i * SECT, dst + i * SECT), 0);
	}
	mbedtls_aes_xts_free(&c);
}

typedef void (*ref_fn)(const u8 *, u64, u8 *, const u8 *, size_t, int);

/* Random keys, start sectors (wrap at 2^64 included), counts, offsets. */
static void check_against(ref_fn ref, int rounds)
{
	enum { MAXN = 37 };
	static u8 src[MAXN * SECT + 16], ours[MAXN * SECT + 16],
		  theirs[MAXN * SECT + 16], back[MAXN * SECT + 16];
	u8 key[XTS_KEY_SIZE];
	struct xts_key k;
	int r;

	for (r = 0; r < rounds; r++) {
		size_t n = 1 + rng() % MAXN, off = rng() % 16, len = n * SECT;
		u64 sector = rng();
		u8 *s = src + off, *o = ours + off;

		if (r % 4 == 1)
			sector = UINT64_MAX - rng() % 8;	/* wraps to 0 */
		else if (r % 4 == 2)
			sector = rng() % 1024;
		rng_fill(key, sizeof(key));
		rng_fill(s, len);
		assert_int_equal(xts_setkey(&k, key), 0);

		xts_encrypt_sectors(&k, sector, o, s, n);
		ref(key, sector, theirs, s, n, 1);
		assert_memory_equal(o, theirs, len);

		xts_decrypt_sectors(&k, sector, back, o, n);
		assert_memory_equal(back, s, len);
		ref(key, sector, theirs, o, n, 0);
		assert_memory_equal(theirs, s, len);

		memcpy(o, s, len);			/* in place */
		xts_encrypt_sectors(&k, sector, o, o, n);
		ref(key, sector, theirs, s, n, 1);
		assert_memory_equal(o, theirs, len);
		xts_decrypt_sectors(&k, sector, o, o, n);
		assert_memory_equal(o, s, len);
	}
	xts_key_wipe(&k);
}

static void test_plain64_vs_openssl(void **state)
{
	check_against(ossl_sectors, 64);
}

static void test_plain64_vs_mbedtls(void **state)
{
	check_against(mbed_sectors, 64);
}

/* Consecutive-sector calls equal one multi-sector call (tweak per sector). */
static void test_split_requests(void **state)
{
	static u8 src[24 * SECT], whole[24 * SECT], parts[24 * SECT];
	u8 key[XTS_KEY_SIZE];
	struct xts_key k;
	size_t done = 0, n;

	rng_fill(key, sizeof(key));
	rng_fill(src, sizeof(src));
	assert_int_equal(xts_setkey(&k, key), 0);
	xts_encrypt_sectors(&k, 1000, whole, src, 24);
	for (; done < 24; done += n) {
		n = MIN(24 - done, 1 + rng() % 9);
		xts_encrypt_sectors(&k, 1000 + done, parts + done * SECT,
				    src + done * SECT, n);
	}
	assert_memory_equal(whole, parts, sizeof(whole));
	xts_encrypt_sectors(&k, 0, parts, src, 0);	/* n = 0: no access */
}

/* ---- extended state ---------------------------------------------------- */

/* Register image used by fpu_probe (asm below); stride 64 for every width. */
struct regs {
	u8 v[32][64];
	u64 k[8];
	u32 mxcsr;
	u32 pad;
} __aligned(64);

#define PROBE_YMM	1
#define PROBE_ZMM	2

/*
 * fpu_probe(in, out, body, arg, flags): load in into XMM0-15 (YMM0-15 with
 * PROBE_YMM; ZMM0-31 and k0-7 with PROBE_ZMM) and MXCSR, call body(arg),
 * store the registers into out; the caller's MXCSR is put back.
 */
void fpu_probe(const struct regs *in, struct regs *out, void (*body)(void *),
	       void *arg, u64 flags);
void fpu_clobber(u64 flags);

asm(
"	.text\n"
"	.globl fpu_probe\n"
"	.type fpu_probe, @function\n"
"fpu_probe:\n"
"	push %rbp\n"
"	mov %rsp, %rbp\n"
"	push %rbx\n"
"	push %r12\n"
"	push %r13\n"
"	push %r14\n"
"	push %r15\n"
"	sub $24, %rsp\n"
"	stmxcsr 8(%rsp)\n"
"	mov %rdi, %rbx\n"
"	mov %rsi, %r12\n"
"	mov %rdx, %r13\n"
"	mov %rcx, %r14\n"
"	mov %r8, %r15\n"
"	ldmxcsr 2112(%rbx)\n"
"	test $2, %r15\n"
"	jnz 3f\n"
"	test $1, %r15\n"
"	jnz 2f\n"
"	.irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
"	movdqu 64*\\i(%rbx), %xmm\\i\n"
"	.endr\n"
"	jmp 4f\n"
"2:\n"
"	.irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
"	vmovdqu 64*\\i(%rbx), %ymm\\i\n"
"	.endr\n"
"	jmp 4f\n"
"3:\n"
"	.irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
"	vmovdqu64 64*\\i(%rbx), %zmm\\i\n"
"	.endr\n"
"	.irp i,0,1,2,3,4,5,6,7\n"
"	kmovq 2048+8*\\i(%rbx), %k\\i\n"
"	.endr\n"
"4:\n"
"	mov %r14, %rdi\n"
"	call *%r13\n"
"	stmxcsr 2112(%r12)\n"
"	test $2, %r15\n"
"	jnz 3f\n"
"	test $1, %r15\n"
"	jnz 2f\n"
"	.irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
"	movdqu %xmm\\i, 64*\\i(%r12)\n"
"	.endr\n"
"	jmp 4f\n"
"2:\n"
"	.irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
"	vmovdqu %ymm\\i, 64*\\i(%r12)\n"
"	.endr\n"
"	vzeroupper\n"
"	jmp 4f\n"
"3:\n"
"	.irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
"	vmovdqu64 %zmm\\i, 64*\\i(%r12)\n"
"	.endr\n"
"	.irp i,0,1,2,3,4,5,6,7\n"
"	kmovq %k\\i, 2048+8*\\i(%r12)\n"
"	.endr\n"
"	vzeroupper\n"
"4:\n"
"	ldmxcsr 8(%rsp)\n"
"	add $24, %rsp\n"
"	pop %r15\n"
"	pop %r14\n"
"	pop %r13\n"
"	pop %r12\n"
"	pop %rbx\n"
"	pop %rbp\n"
"	ret\n"
"	.size fpu_probe, .-fpu_probe\n"
"\n"
"	.globl fpu_clobber\n"
"	.type fpu_clobber, @function\n"
"fpu_clobber:\n"
"	push %rax\n"
"	movl $0x1f80, (%rsp)\n"
"	ldmxcsr (%rsp)\n"
"	pop %rax\n"
"	.irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
"	pcmpeqb %xmm\\i, %xmm\\i\n"
"	.endr\n"
"	test $3, %rdi\n"
"	jz 1f\n"
"	vzeroall\n"
"	test $2, %rdi\n"
"	jz 1f\n"
"	.irp i,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
"	vpternlogd $0xff, %zmm\\i, %zmm\\i, %zmm\\i\n"
"	.endr\n"
"	.irp i,0,1,2,3,4,5,6,7\n"
"	kxnorq %k\\i, %k\\i, %k\\i\n"
"	.endr\n"
"1:\n"
"	ret\n"
"	.size fpu_clobber, .-fpu_clobber\n"
);

#define NOSSE __attribute__((target("general-regs-only"), no_sanitize_address, \
			     no_sanitize_undefined, noinline))

static struct fpu_area area;
static struct {
	u64 flags;
	int ret;
	struct xts_key *k;
	u8 *buf;
} probe_ctx;

/* Save, clobber every register, restore. */
static NOSSE void body_save_clobber_restore(void *arg)
{
	probe_ctx.ret = fpu_save(&area);
	fpu_clobber(probe_ctx.flags);
	fpu_restore(&area);
}

/* A whole SIMD section around real crypto, as the disk code does it. */
static NOSSE void body_simd_section(void *arg)
{
	probe_ctx.ret = fpu_simd_begin(&area);
	if (probe_ctx.ret)
		return;
	xts_encrypt_sectors(probe_ctx.k, 7, probe_ctx.buf, probe_ctx.buf, 8);
	fpu_clobber(probe_ctx.flags);
	fpu_simd_end(&area);
}

static u64 xcr0(void)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return lo | (u64)hi << 32;
}

/* The widest register file the CPU and OS (XCR0) let us test. */
static u64 probe_flags(void)
{
	u32 a, b, c, d;
	u64 x;

	__cpuid(1, a, b, c, d);
	if (!(c & bit_OSXSAVE))
		return 0;
	x = xcr0();
	__cpuid_count(7, 0, a, b, c, d);
	if ((b & bit_AVX512F) && (x & 0xe6) == 0xe6)
		return PROBE_ZMM;
	if ((x & 6) == 6)
		return PROBE_YMM;
	return 0;
}

static void run_probe(void (*body)(void *), u64 flags)
{
	static struct regs in, out;
	size_t r, width = flags & PROBE_ZMM ? 64 : flags & PROBE_YMM ? 32 : 16;
	size_t nregs = flags & PROBE_ZMM ? 32 : 16;

	rng_fill((u8 *)&in, sizeof(in));
	memset(&out, 0, sizeof(out));
	in.mxcsr = 0x1f80 | (3 << 13);		/* round toward zero */
	probe_ctx.flags = flags;
	fpu_probe(&in, &out, body, NULL, flags);
	assert_int_equal(probe_ctx.ret, 0);
	for (r = 0; r < nregs; r++)
		assert_memory_equal(in.v[r], out.v[r], width);
	if (flags & PROBE_ZMM)
		assert_memory_equal(in.k, out.k, sizeof(in.k));
	assert_int_equal(out.mxcsr, in.mxcsr);
}

static void test_fpu_init_and_size(void **state)
{
	u32 a, b, c, d;

	assert_int_equal(fpu_init(), 0);
	__cpuid(1, a, b, c, d);
	if (!(c & bit_OSXSAVE))
		skip();
	__cpuid_count(0xd, 0, a, b, c, d);
	assert_int_equal(fpu_xsave_size(xcr0()), b);
	assert_int_equal(fpu_xsave_size(a | (u64)d << 32), c);
	assert_true(c <= FPU_AREA_SIZE);
	assert_true(fpu_xcr0_ok(xcr0()));
	assert_int_equal(fpu_xsave_size(XFEATURE_X87 | XFEATURE_SSE),
			 FPU_XSAVE_MIN);
	print_message("xcr0 %#llx, XSAVE area %u bytes (max %u), probing %s\n",
		      (unsigned long long)xcr0(), b, c,
		      probe_flags() == PROBE_ZMM ? "zmm0-31+k0-7" :
		      probe_flags() == PROBE_YMM ? "ymm0-15" : "xmm0-15");
}

static void test_fpu_save_restore(void **state)
{
	u64 f = probe_flags();

	assert_int_equal(fpu_init(), 0);
	run_probe(body_save_clobber_restore, 0);
	if (f)
		run_probe(body_save_clobber_restore, PROBE_YMM);
	if (f == PROBE_ZMM)
		run_probe(body_save_clobber_restore, PROBE_ZMM);
}

static void test_simd_section_keeps_state(void **state)
{
	static u8 buf[8 * SECT], ref[8 * SECT];
	u8 key[XTS_KEY_SIZE];
	struct xts_key k;

	assert_int_equal(fpu_init(), 0);
	rng_fill(key, sizeof(key));
	rng_fill(buf, sizeof(buf));
	assert_int_equal(xts_setkey(&k, key), 0);
	ossl_sectors(key, 7, ref, buf, 8, 1);
	probe_ctx.k = &k;
	probe_ctx.buf = buf;
	run_probe(body_simd_section, probe_flags());
	assert_memory_equal(buf, ref, sizeof(buf));
	assert_false(area.ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ieee1619_vectors),
		cmocka_unit_test(test_setkey_rejects_equal_halves),
		cmocka_unit_test(test_plain64_vs_openssl),
		cmocka_unit_test(test_plain64_vs_mbedtls),
		cmocka_unit_test(test_split_requests),
		cmocka_unit_test(test_fpu_init_and_size),
		cmocka_unit_test(test_fpu_save_restore),
		cmocka_unit_test(test_simd_section_keeps_state),
	};

	if (!xts_cpu_supported()) {
		print_message("test_xts: no AES-NI on this CPU\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
