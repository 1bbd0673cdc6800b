// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: namespaces inside a context follow its unshare mask.
 *
 * The attack these tests guard against: a task with CAP_SYS_ADMIN in a
 * chroot that holds a file descriptor of a mount namespace (here its own,
 * opened before the chroot) leaves the chroot with setns(2), which resets
 * root and cwd to the namespace's root.  It works in a plain chroot; in a
 * context that is set up, setns, unshare and clone of namespaces are
 * refused unless the context's unshare mask allows them.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "vs_test.h"

/* Exit codes of the children below */
#define ESCAPED		10	/* setns worked and / is the real root */
#define REFUSED		11	/* setns failed with EPERM */
#define STILL_INSIDE	12	/* setns worked but / did not change */
#define SETUP_FAILED	13

FIXTURE(spaces) {
	int fd;
	char dir[64];
};

FIXTURE_SETUP(spaces)
{
	self->fd = vs_open();
	ASSERT_LE(0, self->fd);
	strcpy(self->dir, "/tmp/vs-spaces-XXXXXX");
	mkdir("/tmp", 0755);
	ASSERT_NE(NULL, mkdtemp(self->dir));
}

FIXTURE_TEARDOWN(spaces)
{
	rmdir(self->dir);
	close(self->fd);
}

/* Create @xid around the caller, give it @umask, then end its setup. */
static int enter_set_up_context(int fd, uint32_t xid, uint64_t umask)
{
	struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };
	struct vcmd_umask u = { .umask = umask, .mask = VXU_ALL };
	struct vcmd_ctx_flags_v0 f = { .flagword = 0, .mask = VXF_STATE_SETUP };

	if (vs_call(fd, VCMD_ctx_create, xid, &create, sizeof(create)) != xid)
		return -1;
	if (umask && vs_call(fd, VCMD_set_umask, xid, &u, sizeof(u)))
		return -1;
	return vs_call(fd, VCMD_set_cflags, xid, &f, sizeof(f)) ? -1 : 0;
}

/* In a chroot at @dir, try to leave it through setns(@nsfd). */
static int try_escape(int nsfd, const char *dir)
{
	if (chroot(dir) || chdir("/") || vs_exists("/proc/self/status"))
		return SETUP_FAILED;
	if (setns(nsfd, CLONE_NEWNS))
		return errno == EPERM ? REFUSED : SETUP_FAILED;
	return vs_exists("/proc/self/status") ? ESCAPED : STILL_INSIDE;
}

/*
 * Fork a child that opens its mount namespace, enters context @xid with
 * unshare mask @umask (none if @xid is 0), chroots into @dir and tries to
 * get out.  Returns the child's exit code.
 */
static int escape_from(int fd, uint32_t xid, uint64_t umask, const char *dir)
{
	pid_t pid = fork();
	int nsfd;

	if (pid == 0) {
		nsfd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
		if (nsfd < 0)
			_exit(SETUP_FAILED);
		if (xid && enter_set_up_context(fd, xid, umask))
			_exit(SETUP_FAILED);
		_exit(try_escape(nsfd, dir));
	}
	return vs_wait(pid);
}

TEST_F(spaces, setns_leaves_a_plain_chroot)
{
	ASSERT_EQ(ESCAPED, escape_from(self->fd, 0, 0, self->dir));
}

TEST_F(spaces, setns_is_refused_in_a_context)
{
	ASSERT_EQ(ESCAPED, escape_from(self->fd, 0, 0, self->dir));
	EXPECT_EQ(REFUSED, escape_from(self->fd, 4701, 0, self->dir));
	/* an unshare mask without NEWNS does not help */
	EXPECT_EQ(REFUSED, escape_from(self->fd, 4702,
				       VXU_NEWUTS | VXU_NEWIPC | VXU_NEWNET,
				       self->dir));
}

TEST_F(spaces, umask_newns_allows_setns)
{
	EXPECT_EQ(ESCAPED, escape_from(self->fd, 4703, VXU_NEWNS, self->dir));
}

/* Refused twice over: the host task is out of reach (ptrace rule) too. */
TEST_F(spaces, setns_through_a_pidfd_is_refused)
{
	pid_t host = getpid(), pid = fork();
	int pidfd;

	if (pid == 0) {
		pidfd = syscall(SYS_pidfd_open, host, 0);
		if (pidfd < 0)
			_exit(SETUP_FAILED);
		if (setns(pidfd, CLONE_NEWUTS))	/* allowed on the host */
			_exit(SETUP_FAILED);
		if (enter_set_up_context(self->fd, 4704, 0))
			_exit(SETUP_FAILED);
		_exit(setns(pidfd, CLONE_NEWUTS) && errno == EPERM ?
		      REFUSED : ESCAPED);
	}
	EXPECT_EQ(REFUSED, vs_wait(pid));
}

/*
 * In context @xid (set up, unshare mask @umask), try unshare(@flags) and
 * a clone(@flags); REFUSED if both fail with EPERM, 0 if both work.
 */
static int unshare_in(int fd, uint32_t xid, uint64_t umask, int flags)
{
	pid_t pid = fork(), child;
	int unshared, cloned;

	if (pid == 0) {
		if (xid && enter_set_up_context(fd, xid, umask))
			_exit(SETUP_FAILED);
		child = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
		if (child == 0)
			_exit(0);
		cloned = child > 0 ? vs_wait(child) : -errno;
		unshared = unshare(flags) ? -errno : 0;
		if (cloned == -EPERM && unshared == -EPERM)
			_exit(REFUSED);
		_exit(cloned == 0 && unshared == 0 ? 0 : SETUP_FAILED);
	}
	return vs_wait(pid);
}

TEST_F(spaces, unshare_and_clone_follow_the_umask)
{
	static const int each[] = {
		CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWNS, CLONE_NEWNET,
		CLONE_NEWPID, CLONE_NEWUSER, CLONE_NEWCGROUP,
	};
	unsigned int i;

	for (i = 0; i < sizeof(each) / sizeof(each[0]); i++) {
		TH_LOG("flag %#x", each[i]);
		/* the host may */
		EXPECT_EQ(0, unshare_in(self->fd, 0, 0, each[i]));
		/* a set-up context may not */
		EXPECT_EQ(REFUSED, unshare_in(self->fd, 4710 + i, 0, each[i]));
		/* unless its umask allows exactly that one */
		EXPECT_EQ(0, unshare_in(self->fd, 4720 + i, each[i], each[i]));
		EXPECT_EQ(REFUSED, unshare_in(self->fd, 4730 + i,
					      VXU_NAMESPACES & ~each[i], each[i]));
	}
}

TEST_F(spaces, a_context_in_setup_may_unshare)
{
	struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };
	pid_t pid = fork();

	if (pid == 0) {
		if (vs_call(self->fd, VCMD_ctx_create, 4740, &create,
			    sizeof(create)) != 4740)
			_exit(SETUP_FAILED);
		_exit(unshare(CLONE_NEWUTS | CLONE_NEWIPC) ? 1 : 0);
	}
	EXPECT_EQ(0, vs_wait(pid));
}

TEST_F(spaces, the_spectator_may_not_unshare)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (vs_call(self->fd, VCMD_ctx_migrate, VX_WATCH_XID, NULL, 0) < 0)
			_exit(SETUP_FAILED);
		_exit(unshare(CLONE_NEWUTS) && errno == EPERM ? REFUSED : 0);
	}
	EXPECT_EQ(REFUSED, vs_wait(pid));
}

/* The "Umask:" line of /proc/virtual/<xid>/status, ~0 if missing. */
static unsigned long long status_umask(const char *path)
{
	unsigned long long umask = ~0ULL;
	char line[128];
	FILE *f = fopen(path, "r");

	if (!f)
		return umask;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Umask:\t%llx", &umask) == 1)
			break;
	fclose(f);
	return umask;
}

TEST_F(spaces, get_and_set_umask)
{
	struct vcmd_umask u;
	int hold[2];
	pid_t holder;

	holder = hold_context(self->fd, 4750, VXF_STATE_ADMIN, hold);
	ASSERT_LT(0, holder);
	ASSERT_TRUE(wait_created(4750));

	memset(&u, 0xff, sizeof(u));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_umask, 4750, &u, sizeof(u)));
	EXPECT_EQ(0, u.umask);
	EXPECT_EQ(VXU_ALL, u.mask);

	/* value and mask */
	u = (struct vcmd_umask){ VXU_NEWUTS | VXU_NEWIPC, VXU_ALL };
	ASSERT_EQ(0, vs_call(self->fd, VCMD_set_umask, 4750, &u, sizeof(u)));
	u = (struct vcmd_umask){ VXU_NEWNET, VXU_NEWNET | VXU_NEWIPC };
	ASSERT_EQ(0, vs_call(self->fd, VCMD_set_umask, 4750, &u, sizeof(u)));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_umask, 4750, &u, sizeof(u)));
	EXPECT_EQ(VXU_NEWUTS | VXU_NEWNET, u.umask);

	/* a bit that is no namespace: refused, nothing changes */
	u = (struct vcmd_umask){ 1ULL << 40, ~0ULL };
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_set_umask, 4750, &u, sizeof(u)));
	u = (struct vcmd_umask){ 0, CLONE_VM };
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_set_umask, 4750, &u, sizeof(u)));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_umask, 4750, &u, sizeof(u)));
	EXPECT_EQ(VXU_NEWUTS | VXU_NEWNET, u.umask);

	EXPECT_EQ(VXU_NEWUTS | VXU_NEWNET,
		  status_umask("/proc/virtual/4750/status"));

	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
}

TEST_F(spaces, a_set_up_context_cannot_widen_its_umask)
{
	struct vcmd_umask u = { VXU_NEWNS, VXU_NEWNS };
	pid_t pid = fork();

	if (pid == 0) {
		if (enter_set_up_context(self->fd, 4760, 0))
			_exit(SETUP_FAILED);
		_exit(vs_call(self->fd, VCMD_set_umask, 4760, &u, sizeof(u)) ==
		      -EPERM ? REFUSED : 0);
	}
	EXPECT_EQ(REFUSED, vs_wait(pid));
}

TEST_HARNESS_MAIN
