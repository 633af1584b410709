// SPDX-License-Identifier: GPL-2.0-only
/* The policy key inside a vmm.elf, found through its symbol table. */
#include <elf.h>
#include <string.h>

#include "vmm_key.h"

static bool in_file(size_t len, u64 off, u64 size)
{
	return off <= len && size <= len - off;
}

static const Elf64_Shdr *section(const u8 *elf, size_t len, u32 i)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
	u64 off = eh->e_shoff + (u64)i * sizeof(Elf64_Shdr);

	if (i >= eh->e_shnum || !in_file(len, off, sizeof(Elf64_Shdr)))
		return NULL;
	return (const Elf64_Shdr *)(elf + off);
}

/* The bytes of symbol name, size bytes exactly, or NULL with *why. */
static const u8 *symbol(const u8 *elf, size_t len, const char *name, u64 size,
			const char **why)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
	const Elf64_Shdr *sh, *strs, *home;
	u32 i;
	u64 n, j;

	for (i = 0; i < eh->e_shnum; i++) {
		sh = section(elf, len, i);
		if (!sh)
			return *why = "section headers out of bounds", NULL;
		if (sh->sh_type == SHT_SYMTAB)
			break;
	}
	if (i == eh->e_shnum)
		return *why = "no symbol table (stripped vmm.elf?)", NULL;
	strs = section(elf, len, sh->sh_link);
	if (!strs || !in_file(len, sh->sh_offset, sh->sh_size) ||
	    !in_file(len, strs->sh_offset, strs->sh_size) ||
	    sh->sh_entsize != sizeof(Elf64_Sym))
		return *why = "symbol table out of bounds", NULL;
	n = sh->sh_size / sizeof(Elf64_Sym);
	for (j = 0; j < n; j++) {
		const Elf64_Sym *s = (const Elf64_Sym *)(elf + sh->sh_offset) + j;
		u64 at;

		if (s->st_name >= strs->sh_size ||
		    strncmp((const char *)elf + strs->sh_offset + s->st_name, name,
			    strs->sh_size - s->st_name) ||
		    strs->sh_size - s->st_name <= strlen(name))
			continue;
		if (s->st_size != size)
			return *why = "key symbol has the wrong size", NULL;
		home = section(elf, len, s->st_shndx);
		if (!home || home->sh_type != SHT_PROGBITS || s->st_value < home->sh_addr ||
		    s->st_value - home->sh_addr > home->sh_size ||
		    size > home->sh_size - (s->st_value - home->sh_addr))
			return *why = "key symbol outside its section", NULL;
		at = home->sh_offset + (s->st_value - home->sh_addr);
		if (!in_file(len, at, size))
			return *why = "key symbol out of bounds", NULL;
		return elf + at;
	}
	return *why = "no policy_pubkey symbol (not a Mamori vmm.elf?)", NULL;
}

/* Every section with file contents lies inside the file (a cut copy is refused). */
static int whole(const u8 *elf, size_t len, const char **why)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
	const Elf64_Shdr *sh;
	u32 i;

	for (i = 0; i < eh->e_shnum; i++) {
		sh = section(elf, len, i);
		if (!sh)
			return *why = "section headers out of bounds (truncated?)", -1;
		if (sh->sh_type != SHT_NOBITS && !in_file(len, sh->sh_offset, sh->sh_size))
			return *why = "a section runs past the end of the file (truncated?)", -1;
	}
	return 0;
}

int vmm_elf_pubkey(const u8 *elf, size_t len, u8 point[POLICY_PUBKEY_LEN], bool *dev,
		   const char **why)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
	const u8 *p, *d;

	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shentsize != sizeof(Elf64_Shdr))
		return *why = "not an ELF64 file", -1;
	if (whole(elf, len, why))
		return -1;
	p = symbol(elf, len, "policy_pubkey", POLICY_PUBKEY_LEN, why);
	if (!p)
		return -1;
	d = symbol(elf, len, "policy_pubkey_dev", sizeof(bool), why);
	if (!d)
		return -1;
	memcpy(point, p, POLICY_PUBKEY_LEN);
	*dev = *d != 0;
	return 0;
}
