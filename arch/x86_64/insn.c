// SPDX-License-Identifier: GPL-2.0-only
/* MMIO instruction decoder (asm/insn.h); lengths per SDM Vol. 2A ch. 2. */
#include <asm/insn.h>
#include <mamori/errno.h>

#define REX_W	BIT(3)
#define REX_R	BIT(2)

struct insn_prefixes {
	bool opsize;	/* 66 */
	bool adsize;	/* 67 */
	u8 rex;
};

static bool insn_legacy_prefix(u8 b, struct insn_prefixes *p)
{
	switch (b) {
	case 0x66:
		p->opsize = true;
		return true;
	case 0x67:
		p->adsize = true;
		return true;
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0xf0: case 0xf2: case 0xf3:
		return true;
	default:
		return false;
	}
}

/* Bytes of ModRM, SIB and displacement; 0 for a register (mod 3) operand. */
static u32 insn_modrm_len(const u8 *b, u32 n, bool addr16)
{
	u8 mod = b[0] >> 6, rm = b[0] & 7;
	u32 len = 1;

	if (mod == 3)
		return 0;
	if (addr16) {
		if (mod == 1)
			return 2;
		return (mod == 2 || rm == 6) ? 3 : 1;
	}
	if (rm == 4) {
		if (n < 2)
			return ~0U;
		len++;
		if (mod == 0 && (b[1] & 7) == 5)
			return len + 4;
	}
	if (mod == 1)
		return len + 1;
	if (mod == 2 || (mod == 0 && rm == 5))	/* disp32 (RIP-relative in 64-bit) */
		return len + 4;
	return len;
}

static u32 insn_op_size(const struct insn_prefixes *p, u32 mode)
{
	if (p->rex & REX_W)
		return 8;
	if (mode == 16)
		return p->opsize ? 4 : 2;
	return p->opsize ? 2 : 4;
}

/* Decode the opcode at @b into @insn; -EINVAL if not one of ours. */
static int insn_opcode(const u8 *b, u32 n, const struct insn_prefixes *p, u32 mode,
		       struct insn *insn, u32 *op_len)
{
	u32 osz = insn_op_size(p, mode);

	*op_len = 1;
	insn->reg_size = (b[0] & 1) ? osz : 1;
	insn->size = insn->reg_size;
	switch (b[0]) {
	case 0x88: case 0x89:
		insn->op = INSN_STORE;
		return 0;
	case 0x8a: case 0x8b:
		insn->op = INSN_LOAD;
		return 0;
	case 0x86: case 0x87:
		insn->op = INSN_XCHG;
		return 0;
	case 0xc6: case 0xc7:
		insn->op = INSN_STORE;
		insn->has_imm = true;
		return 0;
	case 0x0f:
		if (n < 2 || (b[1] != 0xb6 && b[1] != 0xb7))
			return n < 2 ? -EFAULT : -EINVAL;
		*op_len = 2;
		insn->op = INSN_LOADZX;
		insn->size = b[1] == 0xb6 ? 1 : 2;
		insn->reg_size = osz;
		return 0;
	default:
		return -EINVAL;
	}
}

static u64 insn_sext(u64 v, u32 bytes)
{
	u32 shift = 64 - bytes * 8;

	return (u64)((s64)(v << shift) >> shift);
}

/* A0-A3: MOV between AL/rAX and an absolute address (moffs) as wide as the address size. */
static int insn_moffs(const u8 *b, u32 n, const struct insn_prefixes *p, u32 mode,
		      struct insn *insn)
{
	u32 asz = mode == 64 ? (p->adsize ? 4 : 8) : ((mode == 32) != p->adsize ? 4 : 2);

	insn->op = (b[0] & 2) ? INSN_STORE : INSN_LOAD;
	insn->reg_size = (b[0] & 1) ? insn_op_size(p, mode) : 1;
	insn->size = insn->reg_size;
	insn->reg = 0;		/* AL/AX/EAX/RAX; REX.B/R do not apply */
	if (n < 1 + asz)
		return -EFAULT;
	insn->len += 1 + asz;
	return 0;
}

/* The immediate of C6/C7: imm8, imm16 or imm32 (sign-extended for 8 bytes). */
static int insn_imm(const u8 *b, u32 n, struct insn *insn)
{
	u32 bytes = insn->size > 4 ? 4 : insn->size, i;
	u64 v = 0;

	if (n < bytes)
		return -EFAULT;
	for (i = 0; i < bytes; i++)
		v |= (u64)b[i] << (8 * i);
	v = insn_sext(v, bytes);
	insn->imm = insn->size == 8 ? v : v & ((1ULL << (insn->size * 8)) - 1);
	insn->len += bytes;
	return 0;
}

int insn_decode(const u8 *buf, u32 n, u32 mode, struct insn *insn)
{
	struct insn_prefixes p = { 0 };
	u32 i = 0, op_len, m;
	bool addr16;
	int rc;

	*insn = (struct insn){ 0 };
	if (n > INSN_MAX_LEN)
		n = INSN_MAX_LEN;
	while (i < n && insn_legacy_prefix(buf[i], &p))
		i++;
	if (mode == 64 && i < n && (buf[i] & 0xf0) == 0x40)
		p.rex = buf[i++];
	if (i >= n)
		return -EFAULT;
	if ((buf[i] & 0xfc) == 0xa0) {
		insn->len = (u8)i;
		return insn_moffs(buf + i, n - i, &p, mode, insn);
	}
	rc = insn_opcode(buf + i, n - i, &p, mode, insn, &op_len);
	if (rc)
		return rc;
	i += op_len;
	if (i >= n)
		return -EFAULT;
	if ((buf[i - op_len] == 0xc6 || buf[i - op_len] == 0xc7) && (buf[i] >> 3 & 7))
		return -EINVAL;		/* C6/C7 /1-/7: not MOV */
	addr16 = mode == 16 ? !p.adsize : (mode == 32 && p.adsize);
	insn->reg = ((buf[i] >> 3) & 7) | ((p.rex & REX_R) ? 8 : 0);
	insn->high8 = insn->reg_size == 1 && !p.rex && insn->reg >= 4;
	if (insn->high8)
		insn->reg -= 4;
	m = insn_modrm_len(buf + i, n - i, addr16);
	if (!m)
		return -EINVAL;		/* register operand: no memory access */
	if (m == ~0U || i + m > n)
		return -EFAULT;
	insn->len = (u8)(i + m);
	if (insn->has_imm)
		rc = insn_imm(buf + insn->len, n - insn->len, insn);
	return rc;
}

u64 insn_store_value(const struct insn *insn, const u64 *gpr)
{
	u64 v;

	if (insn->has_imm)
		return insn->imm;
	v = gpr[insn->reg];
	if (insn->high8)
		return (v >> 8) & 0xff;
	return insn->size == 8 ? v : v & ((1ULL << (insn->size * 8)) - 1);
}

void insn_load_result(const struct insn *insn, u64 *gpr, u64 val)
{
	u64 *r = &gpr[insn->reg];

	if (insn->size < 8)
		val &= (1ULL << (insn->size * 8)) - 1;	/* zero-extended (MOVZX) */
	if (insn->high8)
		*r = (*r & ~0xff00ULL) | (val << 8);
	else if (insn->reg_size == 1)
		*r = (*r & ~0xffULL) | val;
	else if (insn->reg_size == 2)
		*r = (*r & ~0xffffULL) | (val & 0xffff);
	else if (insn->reg_size == 4)
		*r = val & 0xffffffffULL;
	else
		*r = val;
}
