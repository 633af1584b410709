// SPDX-License-Identifier: GPL-2.0-only
/* elf_check()/elf_load(): a synthetic static PIE and its defects, each refused by name. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <elf.h>
#include <string.h>
#include <stdlib.h>
#include "elf_check.h"

#define IMG_SIZE	0x3000

struct img {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[3];
	Elf64_Dyn dyn[5];
	Elf64_Rela rela[2];
	u8 pad[IMG_SIZE];
} __attribute__((aligned(16)));

/* Two PT_LOADs (text at 0, data at 0x1000 with 0x1000 of BSS), PT_DYNAMIC, 2 RELATIVE relocs. */
static struct img *make_img(void)
{
	struct img *m = calloc(1, sizeof(*m));

	memcpy(m->eh.e_ident, ELFMAG, SELFMAG);
	m->eh.e_ident[EI_CLASS] = ELFCLASS64;
	m->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	m->eh.e_ident[EI_VERSION] = EV_CURRENT;
	m->eh.e_type = ET_DYN;
	m->eh.e_machine = EM_X86_64;
	m->eh.e_version = EV_CURRENT;
	m->eh.e_entry = 0x100;
	m->eh.e_phoff = offsetof(struct img, ph);
	m->eh.e_phentsize = sizeof(Elf64_Phdr);
	m->eh.e_phnum = 3;
	m->eh.e_ehsize = sizeof(Elf64_Ehdr);
	m->ph[0] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_X, 0, 0, 0, 0x1000, 0x1000, 0x1000 };
	m->ph[1] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_W, 0x1000, 0x1000, 0x1000, 0x800,
				 0x2000, 0x1000 };
	m->ph[2] = (Elf64_Phdr){ PT_DYNAMIC, PF_R, offsetof(struct img, dyn),
				 offsetof(struct img, dyn), 0, sizeof(m->dyn), sizeof(m->dyn), 8 };
	m->dyn[0] = (Elf64_Dyn){ DT_RELA, { offsetof(struct img, rela) } };
	m->dyn[1] = (Elf64_Dyn){ DT_RELASZ, { sizeof(m->rela) } };
	m->dyn[2] = (Elf64_Dyn){ DT_RELAENT, { sizeof(Elf64_Rela) } };
	m->dyn[3] = (Elf64_Dyn){ DT_NULL, { 0 } };
	m->rela[0] = (Elf64_Rela){ 0x1008, ELF64_R_INFO(0, R_X86_64_RELATIVE), 0x100 };
	m->rela[1] = (Elf64_Rela){ 0x1010, ELF64_R_INFO(0, R_X86_64_RELATIVE), 0x1000 };
	memset((u8 *)m + 0x1000, 0xab, 0x800);
	return m;
}

static void expect_refused(struct img *m, u64 size, const char *why)
{
	struct elf_image ei;
	const char *msg = NULL;

	assert_int_equal(elf_check(m, size, &ei, &msg), -1);
	assert_non_null(msg);
	assert_string_equal(msg, why);
	free(m);
}

static void test_valid(void **state)
{
	struct img *m = make_img();
	struct elf_image ei;
	const char *msg;

	assert_int_equal(elf_check(m, sizeof(*m), &ei, &msg), 0);
	assert_int_equal(ei.nseg, 2);
	assert_int_equal(ei.span, 0x3000);
	assert_int_equal(ei.entry_off, 0x100);
	assert_int_equal(ei.rela_count, 2);
	free(m);
}

static void test_load_relocates_and_zeroes_bss(void **state)
{
	struct img *m = make_img();
	struct elf_image ei;
	const char *msg;
	u8 *dst = malloc(0x3000);
	u64 v;

	memset(dst, 0x5a, 0x3000);
	assert_int_equal(elf_check(m, sizeof(*m), &ei, &msg), 0);
	assert_int_equal(elf_load(m, &ei, dst, 0x40000000, &msg), 0);
	memcpy(&v, dst + 0x1008, 8);
	assert_int_equal(v, 0x40000100);
	memcpy(&v, dst + 0x1010, 8);
	assert_int_equal(v, 0x40001000);
	assert_int_equal(dst[0x1000], 0xab);
	assert_int_equal(dst[0x1800], 0);	/* BSS */
	assert_int_equal(dst[0x2fff], 0);
	free(dst);
	free(m);
}

static void test_bad_magic(void **state)
{
	struct img *m = make_img();

	m->eh.e_ident[1] = 'X';
	expect_refused(m, sizeof(*m), "bad ELF magic");
}

static void test_truncated(void **state)
{
	expect_refused(make_img(), 20, "file smaller than an ELF header");
}

static void test_not_pie(void **state)
{
	struct img *m = make_img();

	m->eh.e_type = ET_EXEC;
	expect_refused(m, sizeof(*m), "not a static PIE (ET_DYN)");
}

static void test_wrong_machine(void **state)
{
	struct img *m = make_img();

	m->eh.e_machine = EM_AARCH64;
	expect_refused(m, sizeof(*m), "not x86-64");
}

static void test_segment_past_eof(void **state)
{
	struct img *m = make_img();

	m->ph[1].p_filesz = 0x10000;
	m->ph[1].p_memsz = 0x10000;
	expect_refused(m, sizeof(*m), "PT_LOAD extends past end of file");
}

static void test_filesz_gt_memsz(void **state)
{
	struct img *m = make_img();

	m->ph[1].p_memsz = 0x10;
	expect_refused(m, sizeof(*m), "PT_LOAD file size exceeds memory size");
}

static void test_entry_outside_text(void **state)
{
	struct img *m = make_img();

	m->eh.e_entry = 0x1100;	/* in the data segment */
	expect_refused(m, sizeof(*m), "entry point outside executable segments");
}

static void test_phdrs_past_eof(void **state)
{
	struct img *m = make_img();

	m->eh.e_phnum = 60000;
	expect_refused(m, sizeof(*m), "program headers extend past end of file");
}

static void test_overlapping_segments(void **state)
{
	struct img *m = make_img();

	m->ph[1].p_vaddr = 0x800;
	expect_refused(m, sizeof(*m), "PT_LOAD segments overlap or are unordered");
}

static void test_foreign_relocation(void **state)
{
	struct img *m = make_img();

	m->rela[1].r_info = ELF64_R_INFO(1, R_X86_64_64);
	expect_refused(m, sizeof(*m), "relocation other than R_X86_64_RELATIVE");
}

static void test_relocation_out_of_bounds(void **state)
{
	struct img *m = make_img();

	m->rela[0].r_offset = 0x100000;
	expect_refused(m, sizeof(*m), "relocation out of image bounds");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_load_relocates_and_zeroes_bss),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_not_pie),
		cmocka_unit_test(test_wrong_machine),
		cmocka_unit_test(test_segment_past_eof),
		cmocka_unit_test(test_filesz_gt_memsz),
		cmocka_unit_test(test_entry_outside_text),
		cmocka_unit_test(test_phdrs_past_eof),
		cmocka_unit_test(test_overlapping_segments),
		cmocka_unit_test(test_foreign_relocation),
		cmocka_unit_test(test_relocation_out_of_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
