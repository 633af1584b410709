// SPDX-License-Identifier: GPL-2.0-only
#include "elf_check.h"

#define EI_NIDENT	16
#define ET_DYN		3
#define EM_X86_64	62
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PF_X		1
#define DT_NULL		0
#define DT_RELA		7
#define DT_RELASZ	8
#define DT_RELAENT	9
#define DT_REL		17
#define DT_TEXTREL	22
#define DT_JMPREL	23
#define R_X86_64_RELATIVE 8

struct elf64_ehdr {
	u8 ident[EI_NIDENT];
	u16 type, machine;
	u32 version;
	u64 entry, phoff, shoff;
	u32 flags;
	u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	u32 type, flags;
	u64 offset, vaddr, paddr, filesz, memsz, align;
};

struct elf64_dyn {
	s64 tag;
	u64 val;
};

struct elf64_rela {
	u64 offset, info;
	s64 addend;
};

#define FAIL(m)	do { *msg = (m); return -1; } while (0)

static void copy_bytes(void *dst, const void *src, u64 n)
{
	u8 *d = dst;
	const u8 *s = src;

	while (n--)
		*d++ = *s++;
}

static void zero_bytes(void *dst, u64 n)
{
	u8 *d = dst;

	while (n--)
		*d++ = 0;
}

static int check_ehdr(const struct elf64_ehdr *eh, u64 size, const char **msg)
{
	if (size < sizeof(*eh))
		FAIL("file smaller than an ELF header");
	if (eh->ident[0] != 0x7f || eh->ident[1] != 'E' || eh->ident[2] != 'L' ||
	    eh->ident[3] != 'F')
		FAIL("bad ELF magic");
	if (eh->ident[4] != 2)
		FAIL("not ELF64");
	if (eh->ident[5] != 1)
		FAIL("not little-endian");
	if (eh->machine != EM_X86_64)
		FAIL("not x86-64");
	if (eh->type != ET_DYN)
		FAIL("not a static PIE (ET_DYN)");
	if (eh->phentsize != sizeof(struct elf64_phdr))
		FAIL("bad program header size");
	if (eh->phnum == 0)
		FAIL("no program headers");
	if (eh->phoff > size || (u64)eh->phnum * sizeof(struct elf64_phdr) > size - eh->phoff)
		FAIL("program headers extend past end of file");
	return 0;
}

static int add_segment(struct elf_image *img, const struct elf64_phdr *ph, u64 size,
		       const char **msg)
{
	struct elf_segment *s;

	if (img->nseg == ELF_MAX_SEGMENTS)
		FAIL("too many PT_LOAD segments");
	if (ph->filesz > ph->memsz)
		FAIL("PT_LOAD file size exceeds memory size");
	if (ph->offset > size || ph->filesz > size - ph->offset)
		FAIL("PT_LOAD extends past end of file");
	if (ph->vaddr > (1ULL << 32) || ph->memsz > (1ULL << 32))
		FAIL("PT_LOAD address or size out of range");
	if (ph->vaddr + ph->memsz < ph->vaddr)
		FAIL("PT_LOAD wraps around");
	if (img->nseg && ph->vaddr < img->seg[img->nseg - 1].mem_off +
				     img->seg[img->nseg - 1].mem_size)
		FAIL("PT_LOAD segments overlap or are unordered");
	s = &img->seg[img->nseg++];
	s->file_off = ph->offset;
	s->file_size = ph->filesz;
	s->mem_off = ph->vaddr;
	s->mem_size = ph->memsz;
	s->flags = ph->flags;
	return 0;
}

static int entry_in_text(const struct elf_image *img)
{
	u32 i;

	for (i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];

		if ((s->flags & PF_X) && img->entry_off >= s->mem_off &&
		    img->entry_off < s->mem_off + s->mem_size)
			return 1;
	}
	return 0;
}

/* Map a link-time address inside a PT_LOAD's file bytes to a file offset. */
static int vaddr_to_file(const struct elf_image *img, u64 vaddr, u64 len, u64 *off)
{
	u32 i;

	for (i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];

		if (vaddr >= s->mem_off && len <= s->file_size &&
		    vaddr - s->mem_off <= s->file_size - len) {
			*off = s->file_off + (vaddr - s->mem_off);
			return 0;
		}
	}
	return -1;
}

static int check_dynamic(const u8 *buf, u64 size, const struct elf64_phdr *ph,
			 struct elf_image *img, const char **msg)
{
	const struct elf64_dyn *dyn;
	u64 n, i, rela = 0, relasz = 0, relaent = sizeof(struct elf64_rela);
	int have_rela = 0;

	if (ph->offset > size || ph->filesz > size - ph->offset)
		FAIL("PT_DYNAMIC extends past end of file");
	dyn = (const struct elf64_dyn *)(buf + ph->offset);
	n = ph->filesz / sizeof(*dyn);
	for (i = 0; i < n && dyn[i].tag != DT_NULL; i++) {
		switch (dyn[i].tag) {
		case DT_RELA: rela = dyn[i].val; have_rela = 1; break;
		case DT_RELASZ: relasz = dyn[i].val; break;
		case DT_RELAENT: relaent = dyn[i].val; break;
		case DT_REL: case DT_JMPREL: case DT_TEXTREL:
			FAIL("unsupported dynamic relocation table (only RELA)");
		}
	}
	if (!have_rela || relasz == 0)
		return 0;
	if (relaent != sizeof(struct elf64_rela) || relasz % relaent)
		FAIL("bad RELA entry size");
	if (vaddr_to_file(img, rela, relasz, &img->rela_off))
		FAIL("RELA table outside the loaded file");
	img->rela_count = relasz / relaent;
	for (i = 0; i < img->rela_count; i++) {
		const struct elf64_rela *r =
			(const struct elf64_rela *)(buf + img->rela_off) + i;

		if ((u32)r->info != R_X86_64_RELATIVE)
			FAIL("relocation other than R_X86_64_RELATIVE");
		if (r->offset > img->span - 8 || r->addend < 0 || (u64)r->addend > img->span)
			FAIL("relocation out of image bounds");
	}
	return 0;
}

int elf_check(const void *buf, u64 size, struct elf_image *img, const char **msg)
{
	const struct elf64_ehdr *eh = buf;
	const struct elf64_phdr *ph, *dyn = NULL;
	u32 i;

	zero_bytes(img, sizeof(*img));
	if (check_ehdr(eh, size, msg))
		return -1;
	ph = (const struct elf64_phdr *)((const u8 *)buf + eh->phoff);
	for (i = 0; i < eh->phnum; i++) {
		if (ph[i].type == PT_LOAD && add_segment(img, &ph[i], size, msg))
			return -1;
		if (ph[i].type == PT_DYNAMIC)
			dyn = &ph[i];
	}
	if (!img->nseg)
		FAIL("no PT_LOAD segment");
	if (img->seg[0].mem_off != 0)
		FAIL("first PT_LOAD not at address 0");
	img->span = ALIGN_UP(img->seg[img->nseg - 1].mem_off +
			     img->seg[img->nseg - 1].mem_size, PAGE_SIZE);
	img->entry_off = eh->entry;
	if (!entry_in_text(img))
		FAIL("entry point outside executable segments");
	if (dyn && check_dynamic(buf, size, dyn, img, msg))
		return -1;
	*msg = "ok";
	return 0;
}

int elf_load(const void *buf, const struct elf_image *img, void *dst, u64 dst_addr,
	     const char **msg)
{
	const u8 *src = buf;
	u8 *out = dst;
	u64 i;

	zero_bytes(out, img->span);
	for (i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];

		copy_bytes(out + s->mem_off, src + s->file_off, s->file_size);
	}
	for (i = 0; i < img->rela_count; i++) {
		const struct elf64_rela *r =
			(const struct elf64_rela *)(src + img->rela_off) + i;
		u64 v = dst_addr + (u64)r->addend;

		copy_bytes(out + r->offset, &v, sizeof(v));
	}
	*msg = "ok";
	return 0;
}
