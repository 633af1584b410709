/* SPDX-License-Identifier: GPL-2.0-only */
/* The monitor program (monitor/), embedded: covered by vmm.elf's signature. */
	.section .rodata.monitor, "a"
	.balign 4096
	.globl monitor_image, monitor_image_end
monitor_image:
	.incbin MONITOR_BIN
monitor_image_end:
	.section .note.GNU-stack, "", @progbits
