// SPDX-License-Identifier: GPL-2.0-only
/* drivers/prd.c: the guest PRD-table walker, over a fake guest memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <drivers/prd.h>
#include <mamori/errno.h>

static u8 mem[0x1000];
static u32 reads;

static int read_mem(void *ctx, u64 gpa, void *buf, u32 len)
{
	reads++;
	if (gpa + len > sizeof(mem))
		return -EFAULT;
	memcpy(buf, mem + gpa, len);
	return 0;
}

static void bmide(u32 i, u32 addr, u32 count)
{
	memcpy(mem + 8 * i, (u32[]){ addr, count }, 8);
}

static void ahci(u32 i, u64 addr, u32 bytes)
{
	memcpy(mem + 16 * i, (u32[]){ (u32)addr, (u32)(addr >> 32), 0, bytes - 1 }, 16);
}

static void test_bmide_decode(void **state)
{
	u64 a;
	u32 n;
	bool eot;

	prd_decode(PRD_BMIDE, (u32[]){ 0x12345679, 0x80000000 }, &a, &n, &eot);
	assert_int_equal(a, 0x12345678);		/* bit 0 ignored */
	assert_int_equal(n, 0x10000);			/* count 0: 64 KiB */
	assert_true(eot);
	prd_decode(PRD_BMIDE, (u32[]){ 0x1000, 0x0201 }, &a, &n, &eot);
	assert_int_equal(n, 0x200);
	assert_false(eot);
}

static void test_ahci_decode(void **state)
{
	u64 a;
	u32 n;
	bool eot;

	prd_decode(PRD_AHCI, (u32[]){ 0x2000, 0x1, 0, 0x803fffff }, &a, &n, &eot);
	assert_int_equal(a, 0x100002000ULL);
	assert_int_equal(n, 0x400000);			/* DBC 21:0 + 1; the I bit ignored */
	assert_false(eot);
}

/* Pieces never cross an entry; a count-1 IDE entry moves nothing and is skipped. */
static void test_walk_bmide_pieces(void **state)
{
	struct prd_walk w;
	u64 a;
	u32 n;

	bmide(0, 0x10000, 0x400);
	bmide(1, 0x20000, 1);
	bmide(2, 0x30000, 0x200 | PRD_BMIDE_EOT);
	bmide(3, 0x40000, 0x200);
	prd_walk_init(&w, PRD_BMIDE, 0, 8192, read_mem, NULL);
	assert_int_equal(prd_walk_next(&w, 0x300, &a, &n), 0);
	assert_int_equal(a, 0x10000);
	assert_int_equal(n, 0x300);
	assert_int_equal(prd_walk_next(&w, 0x300, &a, &n), 0);
	assert_int_equal(a, 0x10300);
	assert_int_equal(n, 0x100);
	assert_int_equal(prd_walk_next(&w, 0x1000, &a, &n), 0);
	assert_int_equal(a, 0x30000);
	assert_int_equal(n, 0x200);
	assert_int_equal(prd_walk_next(&w, 0x1000, &a, &n), -EINVAL);	/* EOT: entry 3 unread */
}

static void test_walk_ahci_count_bound(void **state)
{
	struct prd_walk w;
	u64 a;
	u32 n;

	ahci(0, 0x100000000ULL, 0x1000);
	ahci(1, 0x5000, 0x800);
	ahci(2, 0x9000, 0x800);
	prd_walk_init(&w, PRD_AHCI, 0, 2, read_mem, NULL);
	assert_int_equal(prd_walk_next(&w, 0x10000, &a, &n), 0);
	assert_int_equal(a, 0x100000000ULL);
	assert_int_equal(n, 0x1000);
	assert_int_equal(prd_walk_next(&w, 0x10000, &a, &n), 0);
	assert_int_equal(a, 0x5000);
	assert_int_equal(prd_walk_next(&w, 0x10000, &a, &n), -EINVAL);	/* PRDTL 2 */
}

/* A table that cannot be read ends the walk with the reader's error. */
static void test_walk_unreadable_table(void **state)
{
	struct prd_walk w;
	u64 a;
	u32 n;

	prd_walk_init(&w, PRD_BMIDE, sizeof(mem) - 4, 8192, read_mem, NULL);
	assert_int_equal(prd_walk_next(&w, 512, &a, &n), -EFAULT);
}

/* A table of count-1 entries without EOT stops at the entry limit, never loops. */
static void test_walk_empty_entries_bounded(void **state)
{
	struct prd_walk w;
	u64 a;
	u32 n, i;

	for (i = 0; i < 16; i++)
		bmide(i, 0x1000, 1);
	reads = 0;
	prd_walk_init(&w, PRD_BMIDE, 0, 16, read_mem, NULL);
	assert_int_equal(prd_walk_next(&w, 512, &a, &n), -EINVAL);
	assert_int_equal(reads, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bmide_decode),
		cmocka_unit_test(test_ahci_decode),
		cmocka_unit_test(test_walk_bmide_pieces),
		cmocka_unit_test(test_walk_ahci_count_bound),
		cmocka_unit_test(test_walk_unreadable_table),
		cmocka_unit_test(test_walk_empty_entries_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
