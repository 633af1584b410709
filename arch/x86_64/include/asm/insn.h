/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small x86 instruction decoder for MMIO emulation: the instructions a
 * compiler emits for a plain load or store through a pointer (MOV r/m<->reg,
 * MOV imm, MOV rAX<->moffs, MOVZX, XCHG). It computes the length itself (the VM-exit
 * instruction-length field is not valid for EPT violations) and names the
 * register or immediate; the address comes from the exit, not from ModRM or
 * the moffs.
 * Pure C, host-tested (tests/unit/test_insn.c).
 */
#ifndef MAMORI_ASM_INSN_H
#define MAMORI_ASM_INSN_H

#include <mamori/types.h>

#define INSN_MAX_LEN	15

enum insn_op {
	INSN_STORE,	/* 88/89: mov r/m, reg; C6/C7: mov r/m, imm; A2/A3: mov moffs, rAX */
	INSN_LOAD,	/* 8A/8B: mov reg, r/m; A0/A1: mov rAX, moffs */
	INSN_LOADZX,	/* 0F B6/B7: movzx reg, r/m8/16 */
	INSN_XCHG,	/* 86/87: xchg r/m, reg (a load and a store) */
};

/*
 * struct insn - one decoded memory-operand instruction.
 * @len: bytes, prefixes included.
 * @op: enum insn_op.
 * @size: bytes of the memory access (1, 2, 4, 8).
 * @reg_size: bytes of the register operand (differs from @size for MOVZX).
 * @reg: GPR number 0-15 (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8-r15).
 * @high8: @reg names AH, CH, DH or BH (8-bit, no REX, reg 4-7).
 * @has_imm/@imm: the store's immediate, sign-extended to @size.
 */
struct insn {
	u8 len;
	u8 op;
	u8 size;
	u8 reg_size;
	u8 reg;
	bool high8;
	bool has_imm;
	u64 imm;
};

/*
 * insn_decode - decode @n bytes at @buf as code of @mode bits (16, 32, 64).
 * Return: 0, -EINVAL for an instruction outside the supported set (or one
 * without a memory operand), -EFAULT when @n bytes do not hold it all.
 */
int insn_decode(const u8 *buf, u32 n, u32 mode, struct insn *insn);

/* insn_store_value - the value a STORE/XCHG writes, from @gpr (16 GPRs). */
u64 insn_store_value(const struct insn *insn, const u64 *gpr);

/*
 * insn_load_result - put @val, read from memory, into the register of a
 * LOAD/LOADZX/XCHG in @gpr, as the CPU does: a 32-bit destination clears
 * bits 63:32, an 8/16-bit one keeps the rest of the register.
 */
void insn_load_result(const struct insn *insn, u64 *gpr, u64 val);

#endif
