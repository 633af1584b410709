// SPDX-License-Identifier: GPL-2.0-only
/*
 * checks-kscan VMLINUX [--no-init]: run monitor/checks/ on a kernel image
 * instead of a live guest. The ELF's allocated sections are mapped at their
 * link addresses (4 KiB pages; executable sections X, the rest NX) in a fake
 * guest memory, then: _text, the jump-table scan and load, and one kernel-text
 * baseline pass. --no-init leaves .init.text and .exit.text unmapped, as in a
 * booted guest. Extract vmlinux from a bzImage first (its xz payload).
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <checks/checks.h>
#include <checks/linux.h>
#include <checks/ktext.h>

static u8 *mem;
static u64 mem_size, next_table;
static u32 nreports;

static int ks_read(void *ctx, u64 gpa, void *buf, u32 len)
{
	if (gpa > mem_size || len > mem_size - gpa)
		return -EFAULT;
	memcpy(buf, mem + gpa, len);
	return 0;
}

static void ks_report(void *ctx, const struct chk_report *r)
{
	if (nreports++ < 20)
		printf("  %s %s va=%#llx old=%#llx new=%#llx\n",
		       r->severity == CHK_ALERT ? "ALERT" : "event", chk_kind_name(r->kind),
		       (unsigned long long)r->va, (unsigned long long)r->old,
		       (unsigned long long)r->new);
}

static u64 ks_table(void)
{
	u64 t = next_table;

	next_table += 4096;
	if (next_table > mem_size) {
		fprintf(stderr, "checks-kscan: out of table space\n");
		exit(1);
	}
	return t;
}

static void ks_map(u64 root, u64 va, u64 gpa, u64 flags)
{
	u64 t = root;

	for (int l = 3; l > 0; l--) {
		u64 *e = (u64 *)(mem + t + ((va >> (12 + 9 * l)) & 511) * 8);

		if (!(*e & 1))
			*e = ks_table() | 3;
		t = *e & 0x000ffffffffff000ull;
	}
	*(u64 *)(mem + t + ((va >> 12) & 511) * 8) = gpa | flags | 1;
}

static u64 ks_load(const char *path, bool no_init)
{
	FILE *f = fopen(path, "rb");
	Elf64_Ehdr *eh;
	Elf64_Shdr *sh;
	long size;
	u64 root;

	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < (long)sizeof(*eh)) {
		fprintf(stderr, "checks-kscan: cannot read %s\n", path);
		exit(1);
	}
	rewind(f);
	mem_size = ((u64)size + 4095) / 4096 * 4096 + (64 << 20);
	mem = calloc(1, mem_size);
	if (!mem || fread(mem, 1, size, f) != (size_t)size)
		exit(1);
	fclose(f);
	next_table = mem_size - (64 << 20);
	eh = (Elf64_Ehdr *)mem;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_shoff + eh->e_shnum * sizeof(*sh) > (u64)size) {
		fprintf(stderr, "checks-kscan: %s is not an ELF with section headers\n", path);
		exit(1);
	}
	sh = (Elf64_Shdr *)(mem + eh->e_shoff);
	root = ks_table();
	for (int i = 0; i < eh->e_shnum; i++) {
		const char *name = (char *)mem + sh[eh->e_shstrndx].sh_offset + sh[i].sh_name;
		u64 fl = (sh[i].sh_flags & SHF_EXECINSTR) ? 0 : BIT(63);

		if (!(sh[i].sh_flags & SHF_ALLOC) || sh[i].sh_type != SHT_PROGBITS ||
		    sh[i].sh_addr < CHK_LINUX_KIMAGE_LO || sh[i].sh_offset + sh[i].sh_size > (u64)size)
			continue;
		if (no_init && (!strcmp(name, ".init.text") || !strcmp(name, ".exit.text")))
			continue;
		for (u64 va = sh[i].sh_addr & ~4095ull; va < sh[i].sh_addr + sh[i].sh_size; va += 4096)
			ks_map(root, va, sh[i].sh_offset - (sh[i].sh_addr - va), fl);
	}
	return root;
}

static struct chk_jump_find jf;
static struct chk_site sites[1 << 17];
static struct chk_kpage pages[1 << 15];
static struct chk_ktext kt;

int main(int argc, char **argv)
{
	const struct chk_env env = { .read_phys = ks_read, .report = ks_report };
	struct chk_vcpu c = { .cr0 = CHK_CR0_PG | 1, .efer = CHK_EFER_LMA | CHK_EFER_NXE };
	struct chk_ktext_cfg cfg = { .core_lo = CHK_LINUX_KIMAGE_LO, .core_hi = CHK_LINUX_KIMAGE_HI };
	struct chk_jump_load j;
	u64 text, start, end;
	u32 n5 = 0;
	int ret;

	if (argc < 2) {
		fprintf(stderr, "usage: checks-kscan VMLINUX [--no-init]\n");
		return 2;
	}
	c.cr3 = ks_load(argv[1], argc > 2 && !strcmp(argv[2], "--no-init"));
	ret = chk_linux_text_base(&env, &c, 0, 1u << 20, &text);
	printf("_text: %d %#llx (slide %#llx)\n", ret, (unsigned long long)text,
	       (unsigned long long)(text - CHK_LINUX_TEXT_LINK));
	if (ret)
		return 1;
	chk_jump_find_init(&jf, text, text + (64 << 20), 0);
	while ((ret = chk_jump_find_step(&jf, &env, &c, 64, &start, &end)) == -EAGAIN)
		;
	printf("jump table: %d %#llx..%#llx (%llu entries)\n", ret, (unsigned long long)start,
	       (unsigned long long)end, (unsigned long long)(end - start) / 16);
	if (ret)
		return 1;
	ret = chk_jump_load_init(&j, start, end, sites, ARRAY_SIZE(sites), 0);
	if (!ret)
		while ((ret = chk_jump_load_step(&j, &env, &c, 4096)) == -EAGAIN)
			;
	for (u32 i = 0; i < j.n; i++)
		n5 += sites[i].len == 5;
	printf("sites: %d: %u (%u of 5 bytes, %u of 2), %u entries skipped\n", ret, j.n, n5,
	       j.n - n5, j.skipped);
	chk_ktext_init(&kt, pages, ARRAY_SIZE(pages), &cfg);
	if (ret || chk_ktext_set_sites(&kt, sites, j.n))
		return 1;
	while ((ret = chk_ktext_step(&kt, &env, &c, 256, 4096)) == -EAGAIN)
		;
	printf("kernel text: %d: %u executable pages tracked (%u KiB of state), %u reports\n",
	       ret, kt.n, (u32)(kt.n * sizeof(struct chk_kpage) / 1024), nreports);
	return 0;
}
