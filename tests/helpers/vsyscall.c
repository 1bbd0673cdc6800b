// SPDX-License-Identifier: GPL-2.0
/*
 * vsyscall CMD ID: call sys_vserver(CMD, ID, NULL) (236 on x86_64) and
 * print its result, or "-ERRNO NAME" when it failed.  For tests of the
 * system call as util-vserver makes it (no library, no device).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long cmd, id;
	char *end;
	long ret;

	if (argc != 3) {
		fprintf(stderr, "usage: vsyscall CMD ID\n");
		return 2;
	}
	cmd = strtoul(argv[1], &end, 0);
	if (*end || cmd > 0xffffffffUL) {
		fprintf(stderr, "vsyscall: bad CMD '%s'\n", argv[1]);
		return 2;
	}
	id = strtoul(argv[2], &end, 0);
	if (*end || id > 0xffffffffUL) {
		fprintf(stderr, "vsyscall: bad ID '%s'\n", argv[2]);
		return 2;
	}
	ret = syscall(236, (unsigned int)cmd, (unsigned int)id, NULL);
	if (ret < 0)
		printf("-%d %s\n", errno, strerrorname_np(errno));
	else
		printf("%ld\n", ret);
	return 0;
}
