/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The smallest program to exec: exit(0) and nothing else, no libc.  The
 * context-life benchmark runs it next to the issue's /bin/true (busybox)
 * to show how much of a life is the exec itself.
 */
	.globl	_start
	.text
_start:
	mov	$60, %eax		/* SYS_exit */
	xor	%edi, %edi
	syscall

	.section .note.GNU-stack, "", @progbits
