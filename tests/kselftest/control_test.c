// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: controlling contexts - flags, persistence, ctx_kill,
 * wait_exit, names, statistics and the spectator context.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/utsname.h>

#include "kselftest_harness.h"
#include "vs_test.h"

FIXTURE(ctl) {
	int fd;
};

FIXTURE_SETUP(ctl)
{
	self->fd = vs_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
}

FIXTURE_TEARDOWN(ctl)
{
	close(self->fd);
}

static int get_flags(int fd, uint32_t xid, struct vcmd_ctx_flags_v0 *f)
{
	return vs_call(fd, VCMD_get_cflags, xid, f, sizeof(*f));
}

static int set_flags(int fd, uint32_t xid, uint64_t flags, uint64_t mask)
{
	struct vcmd_ctx_flags_v0 f = { .flagword = flags, .mask = mask };

	return vs_call(fd, VCMD_set_cflags, xid, &f, sizeof(f));
}

/* Is task @pid asleep (state S)? */
static int sleeping(pid_t pid)
{
	return vs_task_state(pid) == 'S';
}

static int wait_sleeping(pid_t pid)
{
	int i;

	for (i = 0; i < 2000 && !sleeping(pid); i++)
		usleep(1000);
	return sleeping(pid);
}

TEST_F(ctl, cflags_one_time_bits_only_clear)
{
	struct vcmd_ctx_flags_v0 f;
	int hold[2];
	pid_t holder;

	holder = hold_context(self->fd, 4301, VXF_INIT_SET | VXF_VIRT_MEM, hold);
	ASSERT_LE(0, holder);
	ASSERT_TRUE(wait_created(4301));

	ASSERT_EQ(0, get_flags(self->fd, 4301, &f));
	EXPECT_EQ(VXF_INIT_SET | VXF_VIRT_MEM, f.flagword);
	EXPECT_EQ(~0ULL, f.mask);

	/* clear STATE_SETUP, set VIRT_UPTIME */
	EXPECT_EQ(0, set_flags(self->fd, 4301, VXF_VIRT_UPTIME,
			       VXF_STATE_SETUP | VXF_VIRT_UPTIME));
	ASSERT_EQ(0, get_flags(self->fd, 4301, &f));
	EXPECT_EQ(VXF_STATE_INIT | VXF_STATE_ADMIN | VXF_VIRT_MEM |
		  VXF_VIRT_UPTIME, f.flagword);
	EXPECT_EQ(~VXF_STATE_SETUP, f.mask);

	/* a cleared one-time bit cannot come back; nothing changes */
	EXPECT_EQ(-EINVAL, set_flags(self->fd, 4301, VXF_STATE_SETUP | VXF_VIRT_CPU,
				     VXF_STATE_SETUP | VXF_VIRT_CPU));
	ASSERT_EQ(0, get_flags(self->fd, 4301, &f));
	EXPECT_EQ(0, f.flagword & (VXF_STATE_SETUP | VXF_VIRT_CPU));
	/* an empty mask changes nothing, whatever the values */
	EXPECT_EQ(0, set_flags(self->fd, 4301, ~0ULL, 0));
	ASSERT_EQ(0, get_flags(self->fd, 4301, &f));
	EXPECT_EQ(VXF_STATE_INIT | VXF_STATE_ADMIN | VXF_VIRT_MEM |
		  VXF_VIRT_UPTIME, f.flagword);

	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
}

TEST_F(ctl, persistent_context_outlives_its_tasks)
{
	struct vcmd_ctx_stat_v0 st;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		struct vcmd_ctx_create a = { VXF_PERSISTENT | VXF_STATE_ADMIN };

		_exit(vs_call(self->fd, VCMD_ctx_create, 4302, &a, sizeof(a)) != 4302);
	}
	ASSERT_EQ(0, vs_wait(pid));
	/* no task left, still there */
	ASSERT_TRUE(vs_exists(vproc(4302)));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_ctx_stat, 4302, &st, sizeof(st)));
	EXPECT_EQ(0, st.tasks);

	/* it can be joined and left again */
	pid = fork();
	if (pid == 0)
		_exit(vs_call(self->fd, VCMD_ctx_migrate, 4302, NULL, 0) != 0);
	EXPECT_EQ(0, vs_wait(pid));
	EXPECT_TRUE(vs_exists(vproc(4302)));

	/* dropping the flag ends it */
	EXPECT_EQ(0, set_flags(self->fd, 4302, 0, VXF_PERSISTENT));
	EXPECT_FALSE(vs_exists(vproc(4302)));
	EXPECT_EQ(-ESRCH, vs_call(self->fd, VCMD_ctx_stat, 4302, &st, sizeof(st)));
}

TEST_F(ctl, setup_from_inside_then_locked)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct vcmd_vx_info_v0 info;

		if (vs_call(self->fd, VCMD_ctx_create, 4303, NULL, 0) != 4303)
			_exit(1);
		/* while being set up the context configures itself */
		if (set_flags(self->fd, 4303, VXF_VIRT_MEM, VXF_VIRT_MEM))
			_exit(2);
		/* clearing STATE_INIT makes the caller the init */
		if (set_flags(self->fd, 4303, 0, VXF_STATE_INIT))
			_exit(3);
		if (vs_call(self->fd, VCMD_vx_info, 4303, &info, sizeof(info)) ||
		    info.initpid != (uint32_t)getpid())
			_exit(4);
		if (vs_proc_field("/proc/self/vinfo", "CIPid") != getpid())
			_exit(9);
		if (set_flags(self->fd, 4303, 0, VXF_STATE_SETUP))
			_exit(5);
		/* set up: no more changes from inside */
		if (set_flags(self->fd, 4303, VXF_VIRT_CPU, VXF_VIRT_CPU) != -EPERM)
			_exit(6);
		/* nor host-only commands on itself */
		if (vs_call(self->fd, VCMD_ctx_kill, 4303,
			    &(struct vcmd_ctx_kill_v0){ 0, 0 }, 8) != -EPERM)
			_exit(7);
		if (vs_call(self->fd, VCMD_wait_exit, 4303,
			    &(struct vcmd_wait_exit_v0){}, 8) != -EPERM)
			_exit(8);
		_exit(0);
	}
	EXPECT_EQ(0, vs_wait(pid));
}

/* Context 4304: an init that clears STATE_INIT and two more tasks. */
static pid_t start_three(int fd, uint32_t xid, pid_t kids[2])
{
	int ready[2];
	pid_t init;
	char c;

	if (pipe(ready))
		return -1;
	init = fork();
	if (init == 0) {
		int i;

		close(ready[0]);
		if (vs_call(fd, VCMD_ctx_create, xid, NULL, 0) != xid)
			_exit(20);
		if (set_flags(fd, xid, 0, VXF_STATE_INIT))
			_exit(21);
		for (i = 0; i < 2; i++) {
			pid_t k = fork();

			if (k == 0) {
				for (;;)
					pause();
			}
			if (write(ready[1], &k, sizeof(k)) != sizeof(k))
				_exit(22);
		}
		for (;;)
			pause();
	}
	close(ready[1]);
	if (read(ready[0], &kids[0], sizeof(pid_t)) != sizeof(pid_t) ||
	    read(ready[0], &kids[1], sizeof(pid_t)) != sizeof(pid_t))
		return -1;
	(void)c;
	close(ready[0]);
	return init;
}

/* Has @pid died (a zombie of a parent that does not reap, or gone)? */
static int dead(pid_t pid)
{
	int i;
	char st;

	for (i = 0; i < 2000; i++) {
		st = vs_task_state(pid);
		if (!st || st == 'Z')
			return 1;
		usleep(1000);
	}
	return 0;
}

static int killed_by(pid_t pid, int sig)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	       WTERMSIG(status) == sig;
}

TEST_F(ctl, ctx_kill_variants)
{
	struct vcmd_ctx_kill_v0 k;
	pid_t init, kids[2], host;

	init = start_three(self->fd, 4304, kids);
	ASSERT_LT(0, init);

	/* a host task is not in the context: ESRCH, and it lives on */
	host = fork();
	if (host == 0) {
		for (;;)
			pause();
	}
	k = (struct vcmd_ctx_kill_v0){ .pid = host, .sig = SIGKILL };
	EXPECT_EQ(-ESRCH, vs_call(self->fd, VCMD_ctx_kill, 4304, &k, sizeof(k)));
	EXPECT_EQ(0, kill(host, 0));
	kill(host, SIGKILL);
	EXPECT_TRUE(killed_by(host, SIGKILL));

	/* bad signals change nothing */
	k = (struct vcmd_ctx_kill_v0){ .pid = 0, .sig = 1000 };
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_ctx_kill, 4304, &k, sizeof(k)));
	k.sig = -1;
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_ctx_kill, 4304, &k, sizeof(k)));
	EXPECT_EQ(0, kill(init, 0));

	/* one pid of the context */
	k = (struct vcmd_ctx_kill_v0){ .pid = kids[0], .sig = SIGUSR1 };
	EXPECT_EQ(0, vs_call(self->fd, VCMD_ctx_kill, 4304, &k, sizeof(k)));
	EXPECT_TRUE(dead(kids[0]));
	EXPECT_EQ(0, kill(kids[1], 0));

	/* -1: all but the init */
	k = (struct vcmd_ctx_kill_v0){ .pid = -1, .sig = SIGUSR2 };
	EXPECT_EQ(0, vs_call(self->fd, VCMD_ctx_kill, 4304, &k, sizeof(k)));
	EXPECT_TRUE(dead(kids[1]));
	EXPECT_EQ(0, kill(init, 0));

	/* 1: the init */
	k = (struct vcmd_ctx_kill_v0){ .pid = 1, .sig = SIGTERM };
	EXPECT_EQ(0, vs_call(self->fd, VCMD_ctx_kill, 4304, &k, sizeof(k)));
	EXPECT_TRUE(killed_by(init, SIGTERM));
	/* the init's zombies came to us (subreaper): by the right signals */
	EXPECT_TRUE(killed_by(kids[0], SIGUSR1));
	EXPECT_TRUE(killed_by(kids[1], SIGUSR2));
	EXPECT_FALSE(vs_exists(vproc(4304)));
}

TEST_F(ctl, ctx_kill_all)
{
	struct vcmd_ctx_kill_v0 k = { .pid = 0, .sig = SIGKILL };
	pid_t init, kids[2];

	init = start_three(self->fd, 4310, kids);
	ASSERT_LT(0, init);
	EXPECT_EQ(0, vs_call(self->fd, VCMD_ctx_kill, 4310, &k, sizeof(k)));
	EXPECT_TRUE(killed_by(init, SIGKILL));
	/* its children were reparented to us (subreaper) once it died */
	EXPECT_TRUE(killed_by(kids[0], SIGKILL));
	EXPECT_TRUE(killed_by(kids[1], SIGKILL));
	EXPECT_FALSE(vs_exists(vproc(4310)));
	EXPECT_EQ(-ESRCH, vs_call(self->fd, VCMD_ctx_kill, 4310, &k, sizeof(k)));
}

static void on_alarm(int sig)
{
}

TEST_F(ctl, wait_exit_returns_the_init_status)
{
	int hold[2], status;
	pid_t init, waiter;
	char c;

	ASSERT_EQ(0, pipe(hold));
	init = fork();
	if (init == 0) {
		close(hold[1]);
		if (vs_call(self->fd, VCMD_ctx_create, 4305, NULL, 0) != 4305 ||
		    set_flags(self->fd, 4305, 0, VXF_STATE_INIT))
			_exit(20);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(7);
	}
	close(hold[0]);
	ASSERT_TRUE(wait_created(4305));

	waiter = fork();
	if (waiter == 0) {
		struct vcmd_wait_exit_v0 w = { -1, -1 };

		close(hold[1]);	/* or the init would never see EOF */
		if (vs_call(self->fd, VCMD_wait_exit, 4305, &w, sizeof(w)))
			_exit(1);
		if (!WIFEXITED(w.exit_code) || WEXITSTATUS(w.exit_code) != 7)
			_exit(2);
		_exit(0);
	}
	ASSERT_TRUE(wait_sleeping(waiter));
	close(hold[1]);
	ASSERT_EQ(init, waitpid(init, &status, 0));
	EXPECT_EQ(0, vs_wait(waiter));

	/* no such context (any more) */
	EXPECT_EQ(-ESRCH, vs_call(self->fd, VCMD_wait_exit, 4305,
				  &(struct vcmd_wait_exit_v0){}, 8));
}

TEST_F(ctl, wait_exit_is_interruptible)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct vcmd_wait_exit_v0 w;
	int hold[2];
	pid_t holder;

	holder = hold_context(self->fd, 4306, VXF_STATE_ADMIN, hold);
	ASSERT_LE(0, holder);
	ASSERT_TRUE(wait_created(4306));
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	alarm(1);
	EXPECT_EQ(-EINTR, vs_call(self->fd, VCMD_wait_exit, 4306, &w, sizeof(w)));
	EXPECT_TRUE(vs_exists(vproc(4306)));
	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
}

TEST_F(ctl, context_name)
{
	struct vcmd_vhi_name_v0 n = { .field = VHIN_CONTEXT };
	int hold[2];
	pid_t holder;

	holder = hold_context(self->fd, 4307, VXF_STATE_ADMIN, hold);
	ASSERT_LE(0, holder);
	ASSERT_TRUE(wait_created(4307));

	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_vhi_name, 4307, &n, sizeof(n)));
	EXPECT_STREQ("", n.name);
	strcpy(n.name, "web-1");
	EXPECT_EQ(0, vs_call(self->fd, VCMD_set_vhi_name, 4307, &n, sizeof(n)));
	memset(n.name, 'x', sizeof(n.name));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_vhi_name, 4307, &n, sizeof(n)));
	EXPECT_STREQ("web-1", n.name);

	/* no terminating NUL, unknown field: refused, name unchanged */
	memset(n.name, 'a', sizeof(n.name));
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_set_vhi_name, 4307, &n, sizeof(n)));
	n.field = 42;
	strcpy(n.name, "other");
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_set_vhi_name, 4307, &n, sizeof(n)));
	n.field = VHIN_CONTEXT;
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_vhi_name, 4307, &n, sizeof(n)));
	EXPECT_STREQ("web-1", n.name);

	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
}

TEST_F(ctl, ctx_stat_counts_tasks)
{
	struct vcmd_ctx_stat_v0 st;
	int hold[2], hold2[2];
	pid_t holder, joiner;
	char c;

	holder = hold_context(self->fd, 4308, VXF_STATE_ADMIN, hold);
	ASSERT_LE(0, holder);
	ASSERT_TRUE(wait_created(4308));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_ctx_stat, 4308, &st, sizeof(st)));
	EXPECT_EQ(1, st.tasks);
	EXPECT_LE(st.tasks, st.usecnt);

	ASSERT_EQ(0, pipe(hold2));
	joiner = fork();
	if (joiner == 0) {
		close(hold2[1]);
		if (vs_call(self->fd, VCMD_ctx_migrate, 4308, NULL, 0))
			_exit(1);
		while (read(hold2[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(hold2[0]);
	ASSERT_TRUE(wait_sleeping(joiner));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_ctx_stat, 4308, &st, sizeof(st)));
	EXPECT_EQ(2, st.tasks);
	EXPECT_EQ(2, vs_proc_field("/proc/virtual/4308/status", "Tasks"));

	close(hold2[1]);
	EXPECT_EQ(0, vs_wait(joiner));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_ctx_stat, 4308, &st, sizeof(st)));
	EXPECT_EQ(1, st.tasks);
	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
}

/* The value of "Key:\t" in a /proc file as a string ("" if absent). */
static const char *proc_string(const char *path, const char *key)
{
	static char val[128];
	char line[256];
	size_t len = strlen(key);
	FILE *f = fopen(path, "r");

	val[0] = 0;
	if (!f)
		return val;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, len) && line[len] == ':' &&
		    line[len + 1] == '\t') {
			snprintf(val, sizeof(val), "%s", line + len + 2);
			val[strcspn(val, "\n")] = 0;
			break;
		}
	}
	fclose(f);
	return val;
}

static long vhi(int fd, uint32_t cmd, uint32_t xid, uint32_t field,
		char *name)
{
	struct vcmd_vhi_name_v0 n = { .field = field };
	long ret;

	snprintf(n.name, sizeof(n.name), "%s", name);
	ret = vs_call(fd, cmd, xid, &n, sizeof(n));
	strcpy(name, n.name);
	return ret;
}

/*
 * The UTS fields of vhi_name are the names of the context's UTS
 * namespace: what uname(2) shows inside.  The host's are never changed.
 */
TEST_F(ctl, vhi_name_uts_fields)
{
	struct vcmd_ctx_create create = { .flagword = VXF_STATE_ADMIN };
	struct utsname before, after;
	int hold[2], shared[2];
	pid_t holder, sharer;
	char name[VHI_NAME_LEN], c;

	ASSERT_EQ(0, uname(&before));
	ASSERT_EQ(0, pipe(hold));
	holder = fork();
	if (holder == 0) {
		struct utsname u;

		close(hold[1]);
		if (unshare(CLONE_NEWUTS) || sethostname("vhi-a", 5) ||
		    vs_call(self->fd, VCMD_ctx_create, 4315, &create,
			    sizeof(create)) != 4315)
			_exit(20);
		while (read(hold[0], &c, 1) > 0)
			;
		/* the host changed our names meanwhile */
		if (uname(&u))
			_exit(21);
		_exit(strcmp(u.nodename, "vhi-b") || strcmp(u.release, "9.9-guest") ||
		      strcmp(u.domainname, "example.org") ? 22 : 0);
	}
	close(hold[0]);
	ASSERT_TRUE(wait_created(4315));

	strcpy(name, "");
	ASSERT_EQ(0, vhi(self->fd, VCMD_get_vhi_name, 4315, VHIN_NODENAME, name));
	EXPECT_STREQ("vhi-a", name);
	ASSERT_EQ(0, vhi(self->fd, VCMD_get_vhi_name, 4315, VHIN_SYSNAME, name));
	EXPECT_STREQ(before.sysname, name);
	ASSERT_EQ(0, vhi(self->fd, VCMD_get_vhi_name, 4315, VHIN_RELEASE, name));
	EXPECT_STREQ(before.release, name);

	strcpy(name, "vhi-b");
	EXPECT_EQ(0, vhi(self->fd, VCMD_set_vhi_name, 4315, VHIN_NODENAME, name));
	strcpy(name, "9.9-guest");
	EXPECT_EQ(0, vhi(self->fd, VCMD_set_vhi_name, 4315, VHIN_RELEASE, name));
	strcpy(name, "example.org");
	EXPECT_EQ(0, vhi(self->fd, VCMD_set_vhi_name, 4315, VHIN_DOMAINNAME, name));
	strcpy(name, "x");
	EXPECT_EQ(-EINVAL, vhi(self->fd, VCMD_set_vhi_name, 4315, 7, name));
	EXPECT_EQ(-EINVAL, vhi(self->fd, VCMD_get_vhi_name, 4315, 7, name));
	EXPECT_STREQ("vhi-b", proc_string("/proc/virtual/4315/cvirt", "NodeName"));

	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));

	/* a context in the host's namespace: its names are the host's */
	sharer = hold_context(self->fd, 4316, VXF_STATE_ADMIN, shared);
	ASSERT_LE(0, sharer);
	ASSERT_TRUE(wait_created(4316));
	strcpy(name, "not-the-host");
	EXPECT_EQ(-EPERM, vhi(self->fd, VCMD_set_vhi_name, 4316, VHIN_NODENAME, name));
	ASSERT_EQ(0, vhi(self->fd, VCMD_get_vhi_name, 4316, VHIN_NODENAME, name));
	EXPECT_STREQ(before.nodename, name);
	close(shared[1]);
	EXPECT_EQ(0, vs_wait(sharer));

	ASSERT_EQ(0, uname(&after));
	EXPECT_STREQ(before.nodename, after.nodename);
	EXPECT_STREQ(before.release, after.release);
	EXPECT_STREQ(before.domainname, after.domainname);
}

#define CVIRT "/proc/virtual/4314/cvirt"

static int cvirt_settled(void)
{
	return vs_proc_field(CVIRT, "nr_running") == 1 &&
	       vs_proc_field(CVIRT, "nr_unintr") == 1;
}

/*
 * cvirt counts the context's tasks by state and shows the names of its
 * UTS namespace: a context with a busy task, a task stuck in vfork()
 * (uninterruptible) behind a paused child, and a sleeping creator.
 */
TEST_F(ctl, cvirt_counts_tasks_and_shows_uts_names)
{
	struct vcmd_ctx_create create = { .flagword = VXF_STATE_ADMIN };
	struct vcmd_ctx_kill_v0 k = { .pid = 0, .sig = SIGKILL };
	double uptime = 0, bias;
	int hold[2], i;
	pid_t creator;
	char c;
	FILE *f;

	ASSERT_EQ(0, pipe(hold));
	creator = fork();
	if (creator == 0) {
		close(hold[1]);
		if (unshare(CLONE_NEWUTS) || sethostname("cvirt-node", 10) ||
		    vs_call(self->fd, VCMD_ctx_create, 4314, &create,
			    sizeof(create)) != 4314)
			_exit(20);
		if (fork() == 0)
			for (;;)
				;
		if (fork() == 0) {
			if (vfork() == 0) {
				pause();
				_exit(0);
			}
			_exit(0);
		}
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(hold[0]);
	ASSERT_TRUE(wait_created(4314));
	for (i = 0; i < 2000 && !cvirt_settled(); i++)
		usleep(1000);

	EXPECT_EQ(4, vs_proc_field(CVIRT, "nr_threads"));
	EXPECT_EQ(vs_proc_field("/proc/virtual/4314/status", "Tasks"),
		  vs_proc_field(CVIRT, "nr_threads"));
	EXPECT_EQ(1, vs_proc_field(CVIRT, "nr_running"));
	EXPECT_EQ(1, vs_proc_field(CVIRT, "nr_unintr"));
	EXPECT_EQ(3, vs_proc_field(CVIRT, "total_forks"));
	EXPECT_STREQ("cvirt-node", proc_string(CVIRT, "NodeName"));
	EXPECT_STREQ("Linux", proc_string(CVIRT, "SysName"));

	/* the bias is the boot time when the context was made: just now */
	f = fopen("/proc/uptime", "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(1, fscanf(f, "%lf", &uptime));
	fclose(f);
	bias = strtod(proc_string(CVIRT, "BiasUptime"), NULL);
	EXPECT_LE(bias, uptime);
	EXPECT_GT(bias, uptime - 60);

	ASSERT_EQ(0, vs_call(self->fd, VCMD_ctx_kill, 4314, &k, sizeof(k)));
	close(hold[1]);
	vs_wait(creator);
	for (i = 0; i < 2000 && vs_exists(CVIRT); i++)
		usleep(1000);
	EXPECT_FALSE(vs_exists(CVIRT));
}

/* The spectator (xid 1) sees every context and changes nothing. */
TEST_F(ctl, spectator_sees_but_cannot_touch)
{
	int hold[2];
	pid_t holder, pid;

	holder = hold_context(self->fd, 4309, VXF_INIT_SET, hold);
	ASSERT_LE(0, holder);
	ASSERT_TRUE(wait_created(4309));

	pid = fork();
	if (pid == 0) {
		struct vcmd_ctx_kill_v0 k = { 0, SIGKILL };
		struct vcmd_vx_info_v0 info;

		/* a task in another context does not see the holder ... */
		if (vs_call(self->fd, VCMD_ctx_migrate, 1, NULL, 0))
			_exit(1);
		if (vs_call(self->fd, VCMD_task_xid, 0, NULL, 0) != 1 ||
		    vs_proc_field("/proc/self/status", "VxID") != 1)
			_exit(2);
		/* ... the spectator does */
		if (vs_call(self->fd, VCMD_task_xid, holder, NULL, 0) != 4309)
			_exit(3);
		if (vs_call(self->fd, VCMD_vx_info, 4309, &info, sizeof(info)))
			_exit(4);
		if (vs_call(self->fd, VCMD_ctx_kill, 4309, &k, sizeof(k)) != -EPERM)
			_exit(5);
		if (set_flags(self->fd, 4309, 0, VXF_STATE_SETUP) != -EPERM)
			_exit(6);
		if (vs_call(self->fd, VCMD_ctx_create, 4311, NULL, 0) != -EPERM)
			_exit(7);
		if (vs_call(self->fd, VCMD_ctx_migrate, 4309, NULL, 0) != -EPERM)
			_exit(8);
		_exit(0);
	}
	EXPECT_EQ(0, vs_wait(pid));
	EXPECT_EQ(0, kill(holder, 0));
	EXPECT_FALSE(vs_exists(vproc(4311)));
	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
}

/* Does /proc/virtual list @name? */
static int listed(const char *name)
{
	DIR *d = opendir("/proc/virtual");
	struct dirent *e;
	int found = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		found |= !strcmp(e->d_name, name);
	closedir(d);
	return found;
}

/* Inside a context /proc/virtual shows its own directory only. */
TEST_F(ctl, proc_virtual_shows_a_context_only_itself)
{
	int hold[2];
	pid_t holder, pid;

	holder = hold_context(self->fd, 4312, VXF_STATE_ADMIN, hold);
	ASSERT_LE(0, holder);
	ASSERT_TRUE(wait_created(4312));
	/* the host sees it */
	EXPECT_EQ(1, listed("4312"));
	EXPECT_TRUE(vs_exists(vproc(4312)));

	pid = fork();
	if (pid == 0) {
		if (vs_call(self->fd, VCMD_ctx_create, 4313, NULL, 0) != 4313)
			_exit(1);
		if (listed("4313") != 1 || !vs_exists(vproc(4313)))
			_exit(2);
		if (listed("4312") != 0 || vs_exists(vproc(4312)) ||
		    vs_exists("/proc/virtual/4312"))
			_exit(3);
		if (listed("info") != 1 || listed("status") != 1)
			_exit(4);
		_exit(0);
	}
	EXPECT_EQ(0, vs_wait(pid));

	/* the spectator sees everything */
	pid = fork();
	if (pid == 0) {
		if (vs_call(self->fd, VCMD_ctx_migrate, 1, NULL, 0))
			_exit(1);
		_exit(listed("4312") == 1 && vs_exists(vproc(4312)) ? 0 : 2);
	}
	EXPECT_EQ(0, vs_wait(pid));
	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
}

TEST_HARNESS_MAIN
