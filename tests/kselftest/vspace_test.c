// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: namespaces kept per context (Linux-VServer's "spaces").
 *
 * util-vserver starts a guest in new namespaces and keeps them with
 * set_space (vspace --set); "vserver NAME enter" and "stop" later put a
 * host task into them with enter_space (vspace --enter), when the task
 * that kept them may be long gone.  Here a setter makes a mount, UTS and
 * IPC namespace, a tmpfs only its mount namespace sees, a chroot, keeps
 * them for a persistent context and exits; host tasks then enter what is
 * kept, or fail to, and nothing changes for them on an error.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <linux/capability.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "vs_test.h"

#define XID		5401
#define KEPT		(CLONE_FS | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC)
#define GUEST_HOST	"vspace-guest"

/* Exit codes of a child that entered: a bit per thing it found */
#define SAW_HOSTNAME	0x01	/* the guest's hostname */
#define SAW_MOUNT	0x02	/* the tmpfs of the guest's mount namespace */
#define SAW_ROOT	0x04	/* the guest's root as "/" */
#define SAW_DIR_MOUNT	0x08	/* that tmpfs, by the host's path to it */
#define CHILD_FAILED	0x80

static char guest_dir[64];

FIXTURE(vspace) {
	int fd;
	char dir[64];
	struct stat root;
};

static long space_call(int fd, uint32_t cmd, uint64_t mask, uint32_t index)
{
	struct vcmd_space_mask_v2 s = { .mask = mask, .index = index };

	return vs_call(fd, cmd, XID, &s, sizeof(s));
}

/* The setter: new namespaces, a private mount, a chroot, kept for XID */
static int keep_spaces(int fd, const char *dir)
{
	struct vcmd_ctx_create c = {
		.flagword = VXF_PERSISTENT | VXF_STATE_SETUP | VXF_STATE_ADMIN,
	};
	char path[128];
	FILE *f;

	if (unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    sethostname(GUEST_HOST, strlen(GUEST_HOST)))
		return 1;
	snprintf(path, sizeof(path), "%s/mnt", dir);
	if (mount("tmpfs", path, "tmpfs", 0, "size=64k"))
		return 2;
	snprintf(path, sizeof(path), "%s/mnt/marker", dir);
	f = fopen(path, "w");
	if (!f)
		return 3;
	fclose(f);
	if (chroot(dir) || chdir("/"))
		return 4;
	if (vs_call(fd, VCMD_ctx_create, XID, &c, sizeof(c)) != XID)
		return 5;
	if (space_call(fd, VCMD_set_space, KEPT, 0))
		return 6;
	return 0;
}

FIXTURE_SETUP(vspace)
{
	char path[128];
	pid_t pid;

	self->fd = vs_open();
	ASSERT_LE(0, self->fd);
	strcpy(self->dir, "/tmp/vs-vspace-XXXXXX");
	mkdir("/tmp", 0755);
	ASSERT_NE(NULL, mkdtemp(self->dir));
	strcpy(guest_dir, self->dir);
	snprintf(path, sizeof(path), "%s/mnt", self->dir);
	ASSERT_EQ(0, mkdir(path, 0755));
	ASSERT_EQ(0, stat(self->dir, &self->root));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(keep_spaces(self->fd, self->dir));
	ASSERT_EQ(0, vs_wait(pid));
	/* the setter is gone; the persistent context keeps its spaces */
	ASSERT_TRUE(vs_exists(vproc(XID)));
}

FIXTURE_TEARDOWN(vspace)
{
	struct vcmd_ctx_flags_v0 f = { .flagword = 0, .mask = VXF_PERSISTENT };
	char path[128];

	/* dropping the flag ends the context and what it kept */
	vs_call(self->fd, VCMD_set_cflags, XID, &f, sizeof(f));
	snprintf(path, sizeof(path), "%s/mnt", self->dir);
	rmdir(path);
	rmdir(self->dir);
	close(self->fd);
}

/* What a task sees of the guest, as SAW_* bits */
static int seen(const struct stat *guest_root)
{
	char host[64] = "", path[128];
	struct stat st;
	int bits = 0;

	gethostname(host, sizeof(host));
	if (!strcmp(host, GUEST_HOST))
		bits |= SAW_HOSTNAME;
	if (!access("/mnt/marker", F_OK))
		bits |= SAW_MOUNT;
	if (!stat("/", &st) && st.st_ino == guest_root->st_ino &&
	    st.st_dev == guest_root->st_dev)
		bits |= SAW_ROOT;
	snprintf(path, sizeof(path), "%s/mnt/marker", guest_dir);
	if (!access(path, F_OK))
		bits |= SAW_DIR_MOUNT;
	return bits;
}

/* In a child: run @cmd with @mask, exit with what it sees then, or 0x80 */
static int enter_child(int fd, uint32_t cmd, uint64_t mask, long expect,
		       const struct stat *guest_root)
{
	pid_t pid = fork();

	if (pid == 0) {
		long ret;

		if (cmd == VCMD_enter_space_v0)
			ret = vs_call(fd, cmd, XID, NULL, 0);
		else if (cmd == VCMD_enter_space_v1)
			ret = vs_call(fd, cmd, XID, &mask, sizeof(mask));
		else
			ret = space_call(fd, cmd, mask, 0);
		_exit(ret == expect ? seen(guest_root) : CHILD_FAILED);
	}
	return vs_wait(pid);
}

TEST_F(vspace, a_host_task_sees_nothing_of_the_guest_before)
{
	/* what the checks below look for is really not on the host */
	EXPECT_EQ(0, seen(&self->root));
}

TEST_F(vspace, entering_all_that_is_kept)
{
	const int all = SAW_HOSTNAME | SAW_MOUNT | SAW_ROOT;

	EXPECT_EQ(all, enter_child(self->fd, VCMD_enter_space, 0, 0,
				   &self->root));
	EXPECT_EQ(all, enter_child(self->fd, VCMD_enter_space, KEPT, 0,
				   &self->root));
	EXPECT_EQ(all, enter_child(self->fd, VCMD_enter_space_v0, 0, 0,
				   &self->root));
	EXPECT_EQ(all, enter_child(self->fd, VCMD_enter_space_v1, KEPT, 0,
				   &self->root));
}

TEST_F(vspace, entering_a_part)
{
	/* UTS only: the guest's name, the host's files */
	EXPECT_EQ(SAW_HOSTNAME, enter_child(self->fd, VCMD_enter_space,
					    CLONE_NEWUTS, 0, &self->root));
	/* the mount namespace without CLONE_FS: its mounts, from its root */
	EXPECT_EQ(SAW_DIR_MOUNT, enter_child(self->fd, VCMD_enter_space,
					     CLONE_NEWNS, 0, &self->root));
	/*
	 * CLONE_FS alone: the guest's root, which is a place in the guest's
	 * mount tree: its mounts come with it, the UTS name does not
	 */
	EXPECT_EQ(SAW_ROOT | SAW_MOUNT, enter_child(self->fd, VCMD_enter_space,
						    CLONE_FS, 0, &self->root));
}

TEST_F(vspace, status_shows_what_is_kept)
{
	char path[64], line[128], want[64];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/virtual/%d/status", XID);
	snprintf(want, sizeof(want), "Spaces:\t%08llx %08llx\n",
		 (unsigned long long)KEPT, 0ULL);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		found |= !strcmp(line, want);
	fclose(f);
	EXPECT_TRUE(found);
}

TEST_F(vspace, bad_requests_change_nothing)
{
	struct vcmd_space_mask_v1 m;

	/* not kept, a set that does not exist, a namespace we cannot keep */
	EXPECT_EQ(0, enter_child(self->fd, VCMD_enter_space, CLONE_NEWNET,
				 -EINVAL, &self->root));
	EXPECT_EQ(0, enter_child(self->fd, VCMD_enter_space,
				 CLONE_NEWUTS | CLONE_NEWNET, -EINVAL,
				 &self->root));
	EXPECT_EQ(-EINVAL, space_call(self->fd, VCMD_enter_space, 0, 2));
	EXPECT_EQ(-EINVAL, space_call(self->fd, VCMD_set_space,
				      CLONE_NEWUTS, VX_SPACES));
	EXPECT_EQ(-EINVAL, space_call(self->fd, VCMD_set_space,
				      CLONE_NEWCGROUP, 0));
	/* set 1 keeps nothing */
	EXPECT_EQ(-EINVAL, space_call(self->fd, VCMD_enter_space,
				      CLONE_NEWUTS, 1));
	/* wrong sizes and no context */
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_enter_space, XID, &m,
				   sizeof(m)));
	EXPECT_EQ(-ESRCH, vs_call(self->fd, VCMD_enter_space_v0, XID + 1,
				  NULL, 0));
	/* the host did not move */
	EXPECT_EQ(0, seen(&self->root));
}

TEST_F(vspace, only_the_host_with_cap_sys_admin_enters)
{
	struct vcmd_ctx_flags_v0 priv = {
		.flagword = VXF_INFO_PRIVATE, .mask = VXF_INFO_PRIVATE,
	};
	pid_t pid;

	/* without CAP_SYS_ADMIN */
	pid = fork();
	if (pid == 0) {
		struct __user_cap_header_struct h = {
			.version = _LINUX_CAPABILITY_VERSION_3,
		};
		struct __user_cap_data_struct none[2] = {};

		if (syscall(SYS_capset, &h, none))
			_exit(CHILD_FAILED);
		_exit(space_call(self->fd, VCMD_enter_space, 0, 0) == -EPERM ?
		      seen(&self->root) : CHILD_FAILED);
	}
	EXPECT_EQ(0, vs_wait(pid));

	/* from inside another context */
	pid = fork();
	if (pid == 0) {
		struct vcmd_ctx_create c = { .flagword = 0 };

		if (vs_call(self->fd, VCMD_ctx_create, XID + 2, &c,
			    sizeof(c)) != XID + 2)
			_exit(CHILD_FAILED);
		_exit(space_call(self->fd, VCMD_enter_space, 0, 0) == -ESRCH ?
		      seen(&self->root) : CHILD_FAILED);
	}
	EXPECT_EQ(0, vs_wait(pid));

	/* a private context is not entered */
	ASSERT_EQ(0, vs_call(self->fd, VCMD_set_cflags, XID, &priv,
			     sizeof(priv)));
	EXPECT_EQ(0, enter_child(self->fd, VCMD_enter_space, 0, -EACCES,
				 &self->root));
	priv.flagword = 0;
	ASSERT_EQ(0, vs_call(self->fd, VCMD_set_cflags, XID, &priv,
			     sizeof(priv)));
}

TEST_F(vspace, masks_need_no_privilege)
{
	struct vcmd_space_mask_v1 m = {};
	pid_t pid = fork();

	if (pid == 0) {
		struct __user_cap_header_struct h = {
			.version = _LINUX_CAPABILITY_VERSION_3,
		};
		struct __user_cap_data_struct none[2] = {};
		uint64_t all = KEPT | CLONE_NEWUSER | CLONE_NEWPID |
			       CLONE_NEWNET;

		if (syscall(SYS_capset, &h, none))
			_exit(1);
		if (vs_call(self->fd, VCMD_get_space_mask, 0, &m, sizeof(m)) ||
		    m.mask != all)
			_exit(2);
		if (vs_call(self->fd, VCMD_get_space_mask_v0, 0, &m,
			    sizeof(m)) || m.mask != all)
			_exit(3);
		if (vs_call(self->fd, VCMD_get_space_default, 0, &m,
			    sizeof(m)) || m.mask != KEPT)
			_exit(4);
		_exit(0);
	}
	EXPECT_EQ(0, vs_wait(pid));
}

TEST_HARNESS_MAIN
