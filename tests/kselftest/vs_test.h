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

/* The state letter of task @pid (/proc/PID/stat), 0 if it is gone. */
static inline char vs_task_state(pid_t pid)
{
	char path[64], buf[256], *p, state = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f)) {
		p = strrchr(buf, ')');
		if (p && p[1] == ' ')
			state = p[2];
	}
	fclose(f);
	return state;
}

/* Wait for a child and return its exit status, or -1 if it did not exit. */
static inline int vs_wait(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* "/proc/virtual/<xid>/info" (static buffer) */
static inline const char *vproc(uint32_t xid)
{
	static char path[64];

	snprintf(path, sizeof(path), "/proc/virtual/%u/info", xid);
	return path;
}

/*
 * Fork a child that creates @xid with @flags and stays in it until the
 * write end of @hold is closed.  Returns the child's pid.
 */
static inline pid_t hold_context(int fd, uint32_t xid, uint64_t flags,
				 int hold[2])
{
	struct vcmd_ctx_create args = { .flagword = flags };
	pid_t pid;
	char c;

	if (pipe(hold))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(hold[1]);
		if (vs_call(fd, VCMD_ctx_create, xid, &args, sizeof(args)) != xid)
			_exit(20);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(hold[0]);
	return pid;
}

/* Wait (up to 2 s) until context @xid exists. */
static inline int wait_created(uint32_t xid)
{
	int i;

	for (i = 0; i < 2000 && !vs_exists(vproc(xid)); i++)
		usleep(1000);
	return vs_exists(vproc(xid));
}

#endif /* _VS_TEST_H */
