// SPDX-License-Identifier: GPL-2.0-only
/* The MMIO instruction decoder (arch/x86_64/insn.c), on encodings from GNU as. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <asm/insn.h>
#include <mamori/errno.h>

#define RAX 0
#define RCX 1
#define RDX 2
#define RSI 6
#define RDI 7

struct want {
	const char *text;
	const u8 *bytes;
	u32 n, mode;
	u8 len, op, size, reg_size, reg;
	bool high8, has_imm;
	u64 imm;
};

/* Rows leave high8/has_imm/imm out when false/zero. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#define B(...) (const u8[]){ __VA_ARGS__ }, sizeof((const u8[]){ __VA_ARGS__ })

static const struct want cases[] = {
	{ "mov %eax,0x300(%rdx)", B(0x89, 0x82, 0x00, 0x03, 0x00, 0x00), 64, 6, INSN_STORE, 4, 4, RAX },
	{ "mov %esi,(%rax)", B(0x89, 0x30), 64, 2, INSN_STORE, 4, 4, RSI },
	{ "mov %eax,0xfee00300 (SIB, no base)", B(0x89, 0x04, 0x25, 0x00, 0x03, 0xe0, 0xfe), 64, 7, INSN_STORE, 4, 4, RAX },
	{ "movl $0x0,0xb0(%rax)", B(0xc7, 0x80, 0xb0, 0, 0, 0, 0, 0, 0, 0), 64, 10, INSN_STORE, 4, 4, 0, false, true, 0 },
	{ "mov %r8d,0x10(%rbx)", B(0x44, 0x89, 0x43, 0x10), 64, 4, INSN_STORE, 4, 4, 8 },
	{ "mov %rax,(%rdi)", B(0x48, 0x89, 0x07), 64, 3, INSN_STORE, 8, 8, RAX },
	{ "movw $0x1234,(%rax)", B(0x66, 0xc7, 0x00, 0x34, 0x12), 64, 5, INSN_STORE, 2, 2, 0, false, true, 0x1234 },
	{ "movb $0xff,(%rcx)", B(0xc6, 0x01, 0xff), 64, 3, INSN_STORE, 1, 1, 0, false, true, 0xff },
	{ "mov 0x300(%rip),%eax", B(0x8b, 0x05, 0x00, 0x03, 0x00, 0x00), 64, 6, INSN_LOAD, 4, 4, RAX },
	{ "mov %ah,(%rbx)", B(0x88, 0x23), 64, 2, INSN_STORE, 1, 1, RAX, true },
	{ "mov %spl,(%rbx)", B(0x40, 0x88, 0x23), 64, 3, INSN_STORE, 1, 1, 4 },
	{ "movzbl (%rsi),%eax", B(0x0f, 0xb6, 0x06), 64, 3, INSN_LOADZX, 1, 4, RAX },
	{ "movzwl 0x2(%rdi),%edx", B(0x0f, 0xb7, 0x57, 0x02), 64, 4, INSN_LOADZX, 2, 4, RDX },
	{ "xchg %eax,0x300(%rdx)", B(0x87, 0x82, 0x00, 0x03, 0x00, 0x00), 64, 6, INSN_XCHG, 4, 4, RAX },
	{ "mov %eax,0x8(%rax,%rcx,4)", B(0x89, 0x44, 0x88, 0x08), 64, 4, INSN_STORE, 4, 4, RAX },
	{ "mov %ecx,0x12345678(,%rax,8)", B(0x89, 0x0c, 0xc5, 0x78, 0x56, 0x34, 0x12), 64, 7, INSN_STORE, 4, 4, RCX },
	{ "mov %eax,(%edx)", B(0x67, 0x89, 0x02), 64, 3, INSN_STORE, 4, 4, RAX },
	{ "mov %eax,%gs:(%rbx)", B(0x65, 0x89, 0x03), 64, 3, INSN_STORE, 4, 4, RAX },
	{ "movq $-1,(%rax)", B(0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff), 64, 7, INSN_STORE, 8, 8, 0, false, true, ~0ULL },
	{ "movzwq (%rdi),%rax", B(0x48, 0x0f, 0xb7, 0x07), 64, 4, INSN_LOADZX, 2, 8, RAX },
	{ "mov 0x20(%r13),%r15d", B(0x45, 0x8b, 0x7d, 0x20), 64, 4, INSN_LOAD, 4, 4, 15 },
	{ "mov %r12,(%r12)", B(0x4d, 0x89, 0x24, 0x24), 64, 4, INSN_STORE, 8, 8, 12 },
	{ "mov %eax,0xfee00300 (32-bit)", B(0x89, 0x05, 0x00, 0x03, 0xe0, 0xfe), 32, 6, INSN_STORE, 4, 4, RAX },
	{ "mov %ax,(%bx) (16-bit)", B(0x89, 0x07), 16, 2, INSN_STORE, 2, 2, RAX },
	{ "mov %eax,0x10(%bx,%si) (16-bit)", B(0x66, 0x89, 0x40, 0x10), 16, 4, INSN_STORE, 4, 4, RAX },
	{ "mov %ax,0x1234 (16-bit)", B(0x89, 0x06, 0x34, 0x12), 16, 4, INSN_STORE, 2, 2, RAX },
	{ "mov %ax,0x100(%bx) (16-bit)", B(0x89, 0x87, 0x00, 0x01), 16, 4, INSN_STORE, 2, 2, RAX },
	/* MOV moffs (A0-A3): the offset is as wide as the address size. */
	{ "mov %eax,0xfee00310 (moffs64)", B(0xa3, 0x10, 0x03, 0xe0, 0xfe, 0, 0, 0, 0), 64, 9, INSN_STORE, 4, 4, RAX },
	{ "movabs 0xfee00020,%al", B(0xa0, 0x20, 0x00, 0xe0, 0xfe, 0, 0, 0, 0), 64, 9, INSN_LOAD, 1, 1, RAX },
	{ "movabs %rax,0xfee00300", B(0x48, 0xa3, 0, 3, 0xe0, 0xfe, 0, 0, 0, 0), 64, 10, INSN_STORE, 8, 8, RAX },
	{ "movabs 0xfee00300,%ax", B(0x66, 0xa1, 0, 3, 0xe0, 0xfe, 0, 0, 0, 0), 64, 10, INSN_LOAD, 2, 2, RAX },
	{ "addr32 mov %eax,0xfee00310", B(0x67, 0xa3, 0x10, 0x03, 0xe0, 0xfe), 64, 6, INSN_STORE, 4, 4, RAX },
	{ "mov %eax,0xfee00310 (32-bit)", B(0xa3, 0x10, 0x03, 0xe0, 0xfe), 32, 5, INSN_STORE, 4, 4, RAX },
	{ "mov 0xfee00020,%al (32-bit)", B(0xa0, 0x20, 0x00, 0xe0, 0xfe), 32, 5, INSN_LOAD, 1, 1, RAX },
	{ "addr16 mov %eax,0x310 (32-bit)", B(0x67, 0xa3, 0x10, 0x03), 32, 4, INSN_STORE, 4, 4, RAX },
	{ "mov %ax,0x310 (16-bit)", B(0xa3, 0x10, 0x03), 16, 3, INSN_STORE, 2, 2, RAX },
	{ "mov 0x310,%eax (16-bit, 66 67)", B(0x66, 0x67, 0xa1, 0x10, 0x03, 0xe0, 0xfe), 16, 7, INSN_LOAD, 4, 4, RAX },
	{ "mov %al,%es:0x310 (16-bit)", B(0x26, 0xa2, 0x10, 0x03), 16, 4, INSN_STORE, 1, 1, RAX },
	/* 0x40 is INC EAX outside 64-bit mode, not a REX prefix. */
	{ "mov %eax,(%rax) + trailing bytes", B(0x89, 0x00, 0x90, 0x90), 64, 2, INSN_STORE, 4, 4, RAX },
};

static void test_decode_table(void **state)
{
	u32 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct want *w = &cases[i];
		struct insn in;

		print_message("%s\n", w->text);
		assert_int_equal(insn_decode(w->bytes, w->n, w->mode, &in), 0);
		assert_int_equal(in.len, w->len);
		assert_int_equal(in.op, w->op);
		assert_int_equal(in.size, w->size);
		assert_int_equal(in.reg_size, w->reg_size);
		assert_int_equal(in.has_imm, w->has_imm);
		if (w->has_imm)
			assert_int_equal(in.imm, w->imm);
		else
			assert_int_equal(in.reg, w->reg);
		assert_int_equal(in.high8, w->high8);
	}
}

static void test_refused(void **state)
{
	struct insn in;

	assert_int_equal(insn_decode(B(0x01, 0x02), 64, &in), -EINVAL);	/* add */
	assert_int_equal(insn_decode(B(0x89, 0xc0), 64, &in), -EINVAL);	/* mov %eax,%eax */
	assert_int_equal(insn_decode(B(0xc7, 0xc8, 0, 0, 0, 0), 64, &in), -EINVAL); /* C7 /1 */
	assert_int_equal(insn_decode(B(0x0f, 0xb8, 0x00), 64, &in), -EINVAL);
	assert_int_equal(insn_decode(B(0xa4), 64, &in), -EINVAL);		/* movsb */
	/* In 32-bit mode 0x48 is DEC EAX: not a prefix, so not ours. */
	assert_int_equal(insn_decode(B(0x48, 0x89, 0x07), 32, &in), -EINVAL);
}

static void test_truncated(void **state)
{
	static const u8 full[] = { 0xc7, 0x80, 0xb0, 0, 0, 0, 0x78, 0x56, 0x34, 0x12 };
	struct insn in;
	u32 n;

	for (n = 0; n < sizeof(full); n++)
		assert_int_equal(insn_decode(full, n, 64, &in), -EFAULT);
	assert_int_equal(insn_decode(full, sizeof(full), 64, &in), 0);
	assert_int_equal(in.imm, 0x12345678);
	assert_int_equal(insn_decode(B(0x66, 0x66, 0x66), 64, &in), -EFAULT);
	assert_int_equal(insn_decode(B(0x89, 0x04), 64, &in), -EFAULT);	/* SIB missing */
	/* moffs64 cut short: 8 offset bytes in long mode, not 4 */
	assert_int_equal(insn_decode(B(0xa3, 0x10, 0x03, 0xe0, 0xfe), 64, &in), -EFAULT);
	assert_int_equal(insn_decode(B(0x67, 0xa3, 0x10, 0x03, 0xe0), 64, &in), -EFAULT);
	assert_int_equal(insn_decode(B(0xa1, 0x10), 16, &in), -EFAULT);
}

static void test_store_values(void **state)
{
	u64 gpr[16];
	struct insn in;
	u32 i;

	for (i = 0; i < 16; i++)
		gpr[i] = 0x1111111111111111ULL * (i + 1);
	gpr[RAX] = 0x8877665544332211ULL;
	assert_int_equal(insn_decode(B(0x89, 0x82, 0x00, 0x03, 0x00, 0x00), 64, &in), 0);
	assert_int_equal(insn_store_value(&in, gpr), 0x44332211);
	assert_int_equal(insn_decode(B(0x88, 0x23), 64, &in), 0);	/* %ah */
	assert_int_equal(insn_store_value(&in, gpr), 0x22);
	assert_int_equal(insn_decode(B(0x48, 0x89, 0x07), 64, &in), 0);
	assert_int_equal(insn_store_value(&in, gpr), 0x8877665544332211ULL);
	assert_int_equal(insn_decode(B(0x4d, 0x89, 0x24, 0x24), 64, &in), 0);
	assert_int_equal(insn_store_value(&in, gpr), gpr[12]);
	assert_int_equal(insn_decode(B(0x66, 0xc7, 0x00, 0x34, 0x12), 64, &in), 0);
	assert_int_equal(insn_store_value(&in, gpr), 0x1234);
	/* movl $-2: imm32 stays 32 bits wide */
	assert_int_equal(insn_decode(B(0xc7, 0x00, 0xfe, 0xff, 0xff, 0xff), 64, &in), 0);
	assert_int_equal(insn_store_value(&in, gpr), 0xfffffffeULL);
}

static void test_load_results(void **state)
{
	u64 gpr[16] = { 0 };
	struct insn in;

	gpr[RAX] = ~0ULL;
	assert_int_equal(insn_decode(B(0x8b, 0x05, 0, 3, 0, 0), 64, &in), 0);
	insn_load_result(&in, gpr, 0x12345678);	/* 32-bit: upper half cleared */
	assert_int_equal(gpr[RAX], 0x12345678);
	gpr[RAX] = ~0ULL;
	assert_int_equal(insn_decode(B(0x0f, 0xb6, 0x06), 64, &in), 0);
	insn_load_result(&in, gpr, 0xabcd);	/* movzbl: only the byte, zero-extended */
	assert_int_equal(gpr[RAX], 0xcd);
	gpr[RDX] = ~0ULL;
	assert_int_equal(insn_decode(B(0x66, 0x8b, 0x10), 64, &in), 0);	/* mov (%rax),%dx */
	insn_load_result(&in, gpr, 0x1234);
	assert_int_equal(gpr[RDX], 0xffffffffffff1234ULL);
	gpr[RCX] = 0;
	assert_int_equal(insn_decode(B(0x8a, 0x29), 64, &in), 0);	/* mov (%rcx),%ch */
	assert_true(in.high8);
	insn_load_result(&in, gpr, 0x5a);
	assert_int_equal(gpr[RCX], 0x5a00);
	gpr[15] = 0;
	assert_int_equal(insn_decode(B(0x4c, 0x8b, 0x38), 64, &in), 0);	/* mov (%rax),%r15 */
	insn_load_result(&in, gpr, 0x0123456789abcdefULL);
	assert_int_equal(gpr[15], 0x0123456789abcdefULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_table),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_store_values),
		cmocka_unit_test(test_load_results),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
