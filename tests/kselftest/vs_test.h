/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the vserver-ng kselftests.
 */
#ifndef _VS_TEST_H
#define _VS_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/vserver.h>

/* One VCMD through /dev/vserver: the result, or -errno. */
static inline long vs_call(int fd, uint32_t cmd, uint32_t id, void *data,
			   uint32_t size)
{
	struct vserver_call call = {
		.cmd = cmd,
		.id = id,
		.data = (uintptr_t)data,
		.size = size,
	};
	long ret = ioctl(fd, VSERVER_IOC_CALL, &call);

	return ret < 0 ? -errno : ret;
}

static inline int vs_open(void)
{
	return open(VSERVER_DEVICE, O_RDWR | O_CLOEXEC);
}

/* Does a file exist? */
static inline int vs_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Read the value of "Key:\t" from a /proc-style file, -1 if absent. */
static inline long vs_proc_field(const char *path, const char *key)
{
	char line[256];
	size_t len = strlen(key);
	long val = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, len) && line[len] == ':') {
			val = strtol(line + len + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

/* Wait for a child and return its exit status, or -1 if it did not exit. */
static inline int vs_wait(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

#endif /* _VS_TEST_H */
