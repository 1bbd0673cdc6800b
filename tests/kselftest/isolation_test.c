// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: isolation between contexts.
 *
 * A target task lives in context 4401.  Each test runs one way of reaching
 * it from four places: the host and the target's own context (where it
 * must work: root can normally do all of this), another context (where
 * the target must not even exist) and the spectator (sees, touches
 * nothing).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "vs_test.h"

#define TARGET_XID	4401
#define FOREIGN_XID	4402

enum where { HOST, SAME, FOREIGN, SPECTATOR };

FIXTURE(iso) {
	int fd;
	int hold[2];
	pid_t target;
};

FIXTURE_VARIANT(iso) {
	enum where from;
	int see;	/* expected errno for looking (0 = works) */
	int act;	/* expected errno for signalling and controlling */
};

FIXTURE_VARIANT_ADD(iso, host) { .from = HOST, .see = 0, .act = 0 };
FIXTURE_VARIANT_ADD(iso, same_context) { .from = SAME, .see = 0, .act = 0 };
FIXTURE_VARIANT_ADD(iso, other_context) { .from = FOREIGN, .see = ESRCH, .act = ESRCH };
FIXTURE_VARIANT_ADD(iso, spectator) { .from = SPECTATOR, .see = 0, .act = EPERM };

FIXTURE_SETUP(iso)
{
	self->fd = vs_open();
	ASSERT_LE(0, self->fd);
	self->target = hold_context(self->fd, TARGET_XID, VXF_STATE_ADMIN,
				    self->hold);
	ASSERT_LT(0, self->target);
	ASSERT_TRUE(wait_created(TARGET_XID));
}

FIXTURE_TEARDOWN(iso)
{
	close(self->hold[1]);
	vs_wait(self->target);
	close(self->fd);
}

/*
 * Run @op(target) in a child placed as the variant says; return 0 if it
 * worked, else its errno (255 if the child could not get there).
 */
static int attempt(int fd, enum where from, pid_t target, int (*op)(pid_t))
{
	pid_t pid = fork();

	if (pid == 0) {
		long r = 0;

		if (from == SAME)
			r = vs_call(fd, VCMD_ctx_migrate, TARGET_XID, NULL, 0);
		else if (from == FOREIGN)
			r = vs_call(fd, VCMD_ctx_create, FOREIGN_XID, NULL, 0) == FOREIGN_XID ? 0 : -1;
		else if (from == SPECTATOR)
			r = vs_call(fd, VCMD_ctx_migrate, 1, NULL, 0);
		if (r)
			_exit(255);
		_exit(op(target) ? errno : 0);
	}
	return vs_wait(pid);
}

#define ATTEMPT(op) attempt(self->fd, variant->from, self->target, op)

static int op_kill0(pid_t t) { return kill(t, 0); }
static int op_kill(pid_t t) { return kill(t, SIGCONT); }
static int op_tgkill(pid_t t) { return syscall(SYS_tgkill, t, t, SIGCONT); }
static int op_ptrace(pid_t t) { return ptrace(PTRACE_SEIZE, t, 0, 0); }
static int op_setpriority(pid_t t) { return setpriority(PRIO_PROCESS, t, 0); }
static int op_ioprio_set(pid_t t) { return syscall(SYS_ioprio_set, 1, t, 0); }
static int op_sched_setaffinity(pid_t t)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	return sched_setaffinity(t, sizeof(set), &set);
}
static int op_prlimit_set(pid_t t)
{
	struct rlimit rl;

	if (prlimit(t, RLIMIT_NOFILE, NULL, &rl))
		return -1;
	return prlimit(t, RLIMIT_NOFILE, &rl, NULL);
}

static int op_pidfd_open(pid_t t)
{
	int fd = syscall(SYS_pidfd_open, t, 0);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}
static int op_getpriority(pid_t t)
{
	errno = 0;
	return getpriority(PRIO_PROCESS, t) == -1 && errno ? -1 : 0;
}
static int op_getpgid(pid_t t) { return getpgid(t) < 0 ? -1 : 0; }
static int op_getsid(pid_t t) { return getsid(t) < 0 ? -1 : 0; }
static int op_getscheduler(pid_t t) { return sched_getscheduler(t) < 0 ? -1 : 0; }
static int op_ioprio_get(pid_t t) { return syscall(SYS_ioprio_get, 1, t) < 0 ? -1 : 0; }
static int op_prlimit_get(pid_t t)
{
	struct rlimit rl;

	return prlimit(t, RLIMIT_NOFILE, NULL, &rl);
}
static int op_task_xid(pid_t t)
{
	int fd = vs_open();
	long r = vs_call(fd, VCMD_task_xid, t, NULL, 0);

	if (r >= 0 && r != TARGET_XID)
		r = -EINVAL;
	errno = r < 0 ? -r : 0;
	return r < 0 ? -1 : 0;
}

static int op_proc_lookup(pid_t t)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/status", t);
	if (vs_exists(path))
		return 0;
	errno = ESRCH;
	return -1;
}

static int op_proc_readdir(pid_t t)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (atoi(e->d_name) == t)
			found = 1;
	closedir(d);
	errno = found ? 0 : ESRCH;
	return found ? 0 : -1;
}

/* Looking */
TEST_F(iso, kill_0) { EXPECT_EQ(variant->act, ATTEMPT(op_kill0)); }
TEST_F(iso, pidfd_open) { EXPECT_EQ(variant->see, ATTEMPT(op_pidfd_open)); }
TEST_F(iso, getpriority) { EXPECT_EQ(variant->see, ATTEMPT(op_getpriority)); }
TEST_F(iso, getpgid) { EXPECT_EQ(variant->see, ATTEMPT(op_getpgid)); }
TEST_F(iso, getsid) { EXPECT_EQ(variant->see, ATTEMPT(op_getsid)); }
TEST_F(iso, sched_getscheduler) { EXPECT_EQ(variant->see, ATTEMPT(op_getscheduler)); }
TEST_F(iso, ioprio_get) { EXPECT_EQ(variant->see, ATTEMPT(op_ioprio_get)); }
TEST_F(iso, prlimit_get) { EXPECT_EQ(variant->see, ATTEMPT(op_prlimit_get)); }
TEST_F(iso, task_xid) { EXPECT_EQ(variant->see, ATTEMPT(op_task_xid)); }
TEST_F(iso, proc_lookup) { EXPECT_EQ(variant->see, ATTEMPT(op_proc_lookup)); }
TEST_F(iso, proc_readdir) { EXPECT_EQ(variant->see, ATTEMPT(op_proc_readdir)); }

/* Acting */
TEST_F(iso, kill) { EXPECT_EQ(variant->act, ATTEMPT(op_kill)); }
TEST_F(iso, tgkill) { EXPECT_EQ(variant->act, ATTEMPT(op_tgkill)); }
TEST_F(iso, ptrace_seize) { EXPECT_EQ(variant->act, ATTEMPT(op_ptrace)); }
TEST_F(iso, setpriority) { EXPECT_EQ(variant->act, ATTEMPT(op_setpriority)); }
TEST_F(iso, ioprio_set) { EXPECT_EQ(variant->act, ATTEMPT(op_ioprio_set)); }
TEST_F(iso, sched_setaffinity) { EXPECT_EQ(variant->act, ATTEMPT(op_sched_setaffinity)); }
TEST_F(iso, prlimit_set) { EXPECT_EQ(variant->act, ATTEMPT(op_prlimit_set)); }

/* After all that, the target is alive and still in its context. */
TEST_F(iso, target_unharmed)
{
	int status;

	ATTEMPT(op_kill);
	EXPECT_EQ(0, waitpid(self->target, &status, WNOHANG));
	EXPECT_EQ(TARGET_XID, vs_call(self->fd, VCMD_task_xid, self->target, NULL, 0));
}

TEST_HARNESS_MAIN
