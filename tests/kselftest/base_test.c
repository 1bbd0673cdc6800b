// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: the /dev/vserver command interface - versions, sizes,
 * pointers and privileges are checked before anything happens.
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "kselftest_harness.h"
#include "vs_test.h"

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = vs_open();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", VSERVER_DEVICE,
				      strerror(errno));
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

TEST_F(dev, get_version)
{
	EXPECT_EQ(VCI_VERSION, vs_call(self->fd, VCMD_get_version, 0, NULL, 0));
}

TEST_F(dev, device_node_is_root_only)
{
	struct stat st;

	ASSERT_EQ(0, stat(VSERVER_DEVICE, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 0777);
}

TEST_F(dev, unknown_command_is_enosys)
{
	EXPECT_EQ(-ENOSYS, vs_call(self->fd, VC_CMD(VERSION, 0x7f, 0), 0,
				   NULL, 0));
	EXPECT_EQ(-ENOSYS, vs_call(self->fd, 0xffffffff, 0, NULL, 0));
}

TEST_F(dev, unknown_version_is_einval)
{
	struct vcmd_ctx_create args = { .flagword = 0 };

	/* ctx_create exists, version 7 of it does not */
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VC_CMD(VPROC, 1, 7), 42, &args,
				   sizeof(args)));
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VC_CMD(VERSION, 0, 1), 0, NULL, 0));
}

TEST_F(dev, wrong_size_is_einval)
{
	char buf[64] = {};

	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_ctx_create, 42, buf, 4));
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_ctx_create, 42, buf, 16));
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_ctx_create, 42, buf, 0));
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_vx_info, 42, buf, 4));
	/* commands without data take none */
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_get_version, 0, buf, 8));
	/* nothing was created by any of these */
	EXPECT_FALSE(vs_exists("/proc/virtual/42"));
	EXPECT_EQ(0, vs_call(self->fd, VCMD_task_xid, 0, NULL, 0));
}

TEST_F(dev, bad_pointer_is_efault)
{
	struct vserver_call call = { .cmd = VCMD_get_version };

	/* the command struct itself */
	EXPECT_EQ(-1, ioctl(self->fd, VSERVER_IOC_CALL, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	/* the data of a command */
	EXPECT_EQ(-EFAULT, vs_call(self->fd, VCMD_ctx_create, 42, (void *)8,
				   sizeof(struct vcmd_ctx_create)));
	EXPECT_FALSE(vs_exists("/proc/virtual/42"));
	EXPECT_EQ(0, vs_call(self->fd, VCMD_task_xid, 0, NULL, 0));
	EXPECT_EQ(VCI_VERSION, ioctl(self->fd, VSERVER_IOC_CALL, &call));
}

TEST_F(dev, reserved_flags_are_einval)
{
	struct vserver_call call = {
		.cmd = VCMD_get_version,
		.flags = 1,
	};

	EXPECT_EQ(-1, ioctl(self->fd, VSERVER_IOC_CALL, &call));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dev, other_ioctls_are_enotty)
{
	EXPECT_EQ(-1, ioctl(self->fd, _IO(VSERVER_IOC_MAGIC, 1), 0));
	EXPECT_EQ(ENOTTY, errno);
}

/* A caller without CAP_SYS_ADMIN keeps get_version and nothing else. */
TEST_F(dev, unprivileged_caller_is_eperm)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct vcmd_ctx_create args = { .flagword = VXF_INIT_SET };

		/* the open fd stays usable after dropping root */
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(10);
		if (vs_call(self->fd, VCMD_get_version, 0, NULL, 0) != VCI_VERSION)
			_exit(11);
		if (vs_call(self->fd, VCMD_ctx_create, 42, &args, sizeof(args)) != -EPERM)
			_exit(12);
		if (vs_call(self->fd, VCMD_ctx_migrate, 42, NULL, 0) != -EPERM)
			_exit(13);
		if (vs_call(self->fd, VCMD_task_xid, 0, NULL, 0) != -EPERM)
			_exit(14);
		if (vs_exists("/proc/virtual/42"))
			_exit(15);
		_exit(0);
	}
	EXPECT_EQ(0, vs_wait(pid));
}

TEST_F(dev, task_xid_of_host_tasks)
{
	EXPECT_EQ(0, vs_call(self->fd, VCMD_task_xid, 0, NULL, 0));
	EXPECT_EQ(0, vs_call(self->fd, VCMD_task_xid, 1, NULL, 0));
	EXPECT_EQ(0, vs_call(self->fd, VCMD_task_nid, 0, NULL, 0));
	EXPECT_EQ(-ESRCH, vs_call(self->fd, VCMD_task_xid, 999999, NULL, 0));
	EXPECT_EQ(-ESRCH, vs_call(self->fd, VCMD_task_xid, 0x7fffffff, NULL, 0));
}

TEST(proc_virtual_info)
{
	char line[128] = "";
	FILE *f = fopen("/proc/virtual/info", "r");

	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(line, sizeof(line), f));
	EXPECT_STREQ("VCIVersion:\t0002:0308\n", line);
	/* util-vserver finds the system call's number here */
	ASSERT_NE(NULL, fgets(line, sizeof(line), f));
	EXPECT_STREQ("VCISyscall:\t236\n", line);
	ASSERT_NE(NULL, fgets(line, sizeof(line), f));
	EXPECT_EQ(VCI_FEATURES, strtoul(line + strlen("VCIKernel:\t"), NULL, 16));
	EXPECT_EQ(0, strncmp(line, "VCIKernel:\t", strlen("VCIKernel:\t")));
	fclose(f);
}

TEST(status_shows_host_ids)
{
	EXPECT_EQ(0, vs_proc_field("/proc/self/status", "VxID"));
	EXPECT_EQ(0, vs_proc_field("/proc/self/status", "NxID"));
	EXPECT_EQ(0, vs_proc_field("/proc/self/vinfo", "XID"));
	EXPECT_EQ(0, vs_proc_field("/proc/self/ninfo", "NID"));
	/* the host has no context: no context lines */
	EXPECT_EQ(-1, vs_proc_field("/proc/self/vinfo", "CIPid"));
}

TEST_HARNESS_MAIN
