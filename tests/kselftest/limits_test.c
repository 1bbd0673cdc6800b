// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: per-context limits, the token bucket and the machine a
 * context sees.
 *
 * Every limit is shown twice: what a task of the context can do without
 * it (so the test can fail), then that the limit stops exactly there with
 * the natural errno while the host goes on.  Each context lives in its
 * cgroup, vserver/<xid> under /sys/fs/cgroup, where the kernel's own
 * controllers enforce the CPU, memory and process limits.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/sysinfo.h>
#include <time.h>

#include "kselftest_harness.h"
#include "vs_test.h"

#define XID		310
#define CG		"/sys/fs/cgroup/vserver/310"

FIXTURE(limits) {
	int fd;
	int hold[2];
	pid_t holder;
};

FIXTURE_SETUP(limits)
{
	self->fd = vs_open();
	ASSERT_LE(0, self->fd);
	self->holder = hold_context(self->fd, XID, VXF_INIT_SET, self->hold);
	ASSERT_LT(0, self->holder);
	ASSERT_TRUE(wait_created(XID));
}

FIXTURE_TEARDOWN(limits)
{
	close(self->hold[1]);
	vs_wait(self->holder);
	close(self->fd);
}

/* The first line of a file, without its newline ("" if unreadable) */
static const char *first_line(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static long set_limit(int fd, uint32_t id, uint64_t soft, uint64_t hard)
{
	struct vcmd_ctx_rlimit_v0 r = {
		.id = id, .minimum = CRLIM_KEEP, .softlimit = soft,
		.maximum = hard,
	};

	return vs_call(fd, VCMD_set_rlimit, XID, &r, sizeof(r));
}

static struct vcmd_ctx_rlimit_v0 get_limit(int fd, uint32_t id)
{
	struct vcmd_ctx_rlimit_v0 r = { .id = id };

	if (vs_call(fd, VCMD_get_rlimit, XID, &r, sizeof(r)))
		r.maximum = r.softlimit = 12345;
	return r;
}

static struct vcmd_rlimit_stat_v0 stat_limit(int fd, uint32_t id)
{
	struct vcmd_rlimit_stat_v0 s = { .id = id };

	if (vs_call(fd, VCMD_rlimit_stat, XID, &s, sizeof(s)))
		s.value = s.hits = 99999;
	return s;
}

static long set_flags(int fd, uint64_t flags, uint64_t mask)
{
	struct vcmd_ctx_flags_v0 f = { .flagword = flags, .mask = mask };

	return vs_call(fd, VCMD_set_cflags, XID, &f, sizeof(f));
}

/*
 * Fork a child that joins the context and runs @fn(@arg); its exit status
 * (or 128 + the signal that killed it) is returned.
 */
static int in_context(int fd, int (*fn)(void *arg), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (vs_call(fd, VCMD_ctx_migrate, XID, NULL, 0))
			_exit(200);
		_exit(fn(arg));
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) :
	       WEXITSTATUS(status);
}

/* --- the context's cgroup ------------------------------------------------ */

TEST_F(limits, mask_names_what_the_kernel_limits)
{
	struct vcmd_ctx_rlimit_mask_v0 m = { 1, 1, 1 };
	struct vcmd_rlimit_stat_v0 as = { .id = VLIMIT_AS };

	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_rlimit_mask, 0, &m, sizeof(m)));
	EXPECT_EQ((1U << VLIMIT_NPROC) | (1U << VLIMIT_RSS) |
		  (1U << VLIMIT_NOFILE) | (1U << VLIMIT_NSOCK), m.maximum);
	EXPECT_EQ(1U << VLIMIT_RSS, m.softlimit);
	EXPECT_EQ(0, m.minimum);

	/* counted only: the memory controller's statistics */
	EXPECT_EQ(0, (int)stat_limit(self->fd, VLIMIT_ANON).hits);
	EXPECT_EQ(0, (int)stat_limit(self->fd, VLIMIT_SHMEM).hits);
	EXPECT_EQ(0, (int)stat_limit(self->fd, VLIMIT_MAPPED).hits);
	/* neither limited nor counted */
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_rlimit_stat, XID, &as,
				   sizeof(as)));
}

/* The cgroup2 line ("0::PATH") of a /proc/PID/cgroup file */
static const char *cgroup2_of(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	while (f && fgets(buf, sizeof(buf), f))
		if (!strncmp(buf, "0::", 3))
			break;
	if (f)
		fclose(f);
	if (strncmp(buf, "0::", 3))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static int show_cgroup(void *arg)
{
	const char *line = cgroup2_of("/proc/self/cgroup");

	if (!strcmp(line, arg))
		return 0;
	fprintf(stderr, "# in_context: cgroup %s\n", line);
	return 1;
}

TEST_F(limits, context_gets_its_cgroup_when_a_limit_needs_it)
{
	char path[64];
	int i;

	/* a context without limits costs no cgroup */
	snprintf(path, sizeof(path), "/proc/%d/cgroup", self->holder);
	EXPECT_FALSE(vs_exists(CG));
	EXPECT_STRNE("0::/vserver/310", cgroup2_of(path));

	/* the first limit makes it, with the context's processes in it */
	ASSERT_EQ(0, set_limit(self->fd, VLIMIT_NPROC, CRLIM_KEEP, 100));
	EXPECT_STREQ("0::/vserver/310", cgroup2_of(path));
	EXPECT_STRNE("0::/vserver/310", cgroup2_of("/proc/self/cgroup"));
	EXPECT_EQ(0, in_context(self->fd, show_cgroup, "0::/vserver/310"));
	EXPECT_STREQ("cpu memory pids", first_line(CG "/cgroup.controllers"));

	/* and it goes with the context */
	close(self->hold[1]);
	vs_wait(self->holder);
	for (i = 0; i < 2000 && vs_exists(CG); i++)
		usleep(1000);
	EXPECT_FALSE(vs_exists(CG));
	ASSERT_EQ(0, pipe(self->hold));		/* for the teardown */
	self->holder = fork();
	if (self->holder == 0)
		_exit(0);
}

/* --- NPROC ---------------------------------------------------------------- */

/* Fork up to 20 children that wait; the number that started, 100 + errno */
static int fork_many(void *arg)
{
	int gate[2], n, err = 0;
	pid_t pid;

	if (pipe(gate))
		return 99;
	for (n = 0; n < 20; n++) {
		pid = fork();
		if (pid == 0) {
			char c;

			close(gate[1]);
			read(gate[0], &c, 1);
			_exit(0);
		}
		if (pid < 0) {
			err = errno;
			break;
		}
	}
	close(gate[1]);
	while (wait(NULL) > 0)
		;
	*(int *)arg = err;
	return n;
}

static int fork_many_errno(void *arg)
{
	int err = 0, n = fork_many(&err);

	return n == 20 ? 20 : (err == EAGAIN ? 100 + n : 99);
}

TEST_F(limits, nproc_stops_a_fork_bomb_in_its_context_only)
{
	struct vcmd_ctx_rlimit_v0 r;
	pid_t pid;

	/* under a limit of 100, 20 more tasks: the peak is the holder, 21 */
	ASSERT_EQ(0, set_limit(self->fd, VLIMIT_NPROC, CRLIM_KEEP, 100));
	EXPECT_EQ(20, in_context(self->fd, fork_many_errno, NULL));
	EXPECT_EQ(22, stat_limit(self->fd, VLIMIT_NPROC).maximum);
	EXPECT_EQ(1, stat_limit(self->fd, VLIMIT_NPROC).value);
	ASSERT_EQ(0, vs_call(self->fd, VCMD_reset_minmax, XID, NULL, 0));
	EXPECT_EQ(1, stat_limit(self->fd, VLIMIT_NPROC).maximum);

	/* 8 in all: the holder, the child, 6 more, then EAGAIN */
	ASSERT_EQ(0, set_limit(self->fd, VLIMIT_NPROC, CRLIM_KEEP, 8));
	EXPECT_STREQ("8", first_line(CG "/pids.max"));
	r = get_limit(self->fd, VLIMIT_NPROC);
	EXPECT_EQ(8, r.maximum);
	EXPECT_EQ(100 + 6, in_context(self->fd, fork_many_errno, NULL));
	EXPECT_LE(1, stat_limit(self->fd, VLIMIT_NPROC).hits);

	/* the host forks on */
	pid = fork();
	if (pid == 0)
		_exit(7);
	EXPECT_EQ(7, vs_wait(pid));

	/* back to none */
	ASSERT_EQ(0, set_limit(self->fd, VLIMIT_NPROC, CRLIM_KEEP,
			       CRLIM_INFINITY));
	EXPECT_STREQ("max", first_line(CG "/pids.max"));
	EXPECT_EQ(20, in_context(self->fd, fork_many_errno, NULL));
}

/* --- NOFILE --------------------------------------------------------------- */

/* Open /dev/null up to 100 times: how many, or 100 + that many on EMFILE */
static int open_many(void *arg)
{
	int n;

	for (n = 0; n < 100; n++) {
		if (open("/dev/null", O_RDONLY) < 0)
			return errno == EMFILE ? 100 + n : 99;
	}
	return n;
}

TEST_F(limits, nofile_counts_the_files_of_the_context)
{
	struct vcmd_rlimit_stat_v0 s;

	EXPECT_EQ(100, in_context(self->fd, open_many, NULL));

	/* what the context holds now, and 10 more */
	ASSERT_EQ(0, vs_call(self->fd, VCMD_reset_minmax, XID, NULL, 0));
	s = stat_limit(self->fd, VLIMIT_NOFILE);
	ASSERT_GT(1000, s.value);
	EXPECT_EQ(s.value, s.maximum);
	ASSERT_EQ(0, set_limit(self->fd, VLIMIT_NOFILE, CRLIM_KEEP,
			       s.value + 10));
	EXPECT_EQ(100 + 10, in_context(self->fd, open_many, NULL));
	EXPECT_EQ(1, stat_limit(self->fd, VLIMIT_NOFILE).hits);
	EXPECT_EQ(s.value + 10, stat_limit(self->fd, VLIMIT_NOFILE).maximum);
	/* the child's files were freed with it */
	EXPECT_EQ(s.value, stat_limit(self->fd, VLIMIT_NOFILE).value);

	/* the host opens on */
	s.hits = open("/dev/null", O_RDONLY);
	EXPECT_LE(0, (int)s.hits);
	close(s.hits);

	EXPECT_EQ(0, vs_call(self->fd, VCMD_reset_hits, XID, NULL, 0));
	EXPECT_EQ(0, stat_limit(self->fd, VLIMIT_NOFILE).hits);
}

/* --- NSOCK --------------------------------------------------------------- */

/* Make up to 100 sockets: how many, or 100 + that many when refused */
static int sockets_many(void *arg)
{
	int n;

	for (n = 0; n < 100; n++) {
		if (socket(AF_UNIX, SOCK_DGRAM, 0) < 0)
			return errno == ENOMEM || errno == ENOBUFS ? 100 + n : 99;
	}
	return n;
}

TEST_F(limits, nsock_counts_the_sockets_of_the_context)
{
	struct vcmd_rlimit_stat_v0 s;
	int fd;

	EXPECT_EQ(100, in_context(self->fd, sockets_many, NULL));
	s = stat_limit(self->fd, VLIMIT_NSOCK);
	ASSERT_GT(1000, s.value);
	ASSERT_EQ(0, set_limit(self->fd, VLIMIT_NSOCK, CRLIM_KEEP,
			       s.value + 10));
	EXPECT_EQ(100 + 10, in_context(self->fd, sockets_many, NULL));
	EXPECT_EQ(1, stat_limit(self->fd, VLIMIT_NSOCK).hits);
	EXPECT_EQ(s.value, stat_limit(self->fd, VLIMIT_NSOCK).value);

	/* the host makes sockets on */
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	EXPECT_LE(0, fd);
	close(fd);
}

/* The UNIX line of /proc/virtual/310/cacct: recv, send, fail */
static int unix_acct(unsigned long *c)
{
	char line[256];
	FILE *f = fopen("/proc/virtual/310/cacct", "r");
	int n = 0;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "UNIX:", 5))
			n = sscanf(line + 5, " %lu/%lu %lu/%lu %lu/%lu", &c[0],
				   &c[1], &c[2], &c[3], &c[4], &c[5]);
	if (f)
		fclose(f);
	return n == 6;
}

/* A message of 100 bytes over a socket pair, then one to a closed peer */
static int talk(void *arg)
{
	char buf[100] = {};
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return 1;
	if (send(sv[0], buf, sizeof(buf), 0) != sizeof(buf) ||
	    recv(sv[1], buf, sizeof(buf), 0) != sizeof(buf))
		return 2;
	close(sv[1]);
	return send(sv[0], buf, sizeof(buf), 0) < 0 ? 0 : 3;
}

TEST_F(limits, cacct_counts_the_traffic_of_the_context)
{
	unsigned long before[6], after[6], host[6];

	ASSERT_TRUE(unix_acct(before));
	ASSERT_EQ(0, talk(NULL));	/* the host's: not counted */
	ASSERT_TRUE(unix_acct(host));
	EXPECT_EQ(0, memcmp(before, host, sizeof(host)));

	ASSERT_EQ(0, in_context(self->fd, talk, NULL));
	ASSERT_TRUE(unix_acct(after));
	EXPECT_EQ(before[0] + 1, after[0]);	/* received */
	EXPECT_EQ(before[1] + 100, after[1]);
	EXPECT_EQ(before[2] + 1, after[2]);	/* sent */
	EXPECT_EQ(before[3] + 100, after[3]);
	EXPECT_EQ(before[4] + 1, after[4]);	/* the send that failed */
}

/* --- RSS ------------------------------------------------------------------ */

/* Touch 128 MiB of anonymous memory: 0 if that worked */
static int hog(void *arg)
{
	size_t size = 128 << 20;
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 98;
	memset(p, 1, size);
	return 0;
}

TEST_F(limits, rss_kills_a_memory_hog_in_its_context_only)
{
	EXPECT_EQ(0, in_context(self->fd, hog, NULL));

	/* 32 MiB, in pages */
	ASSERT_EQ(0, vs_call(self->fd, VCMD_reset_minmax, XID, NULL, 0));
	ASSERT_EQ(0, set_limit(self->fd, VLIMIT_RSS, CRLIM_INFINITY,
			       (32 << 20) / getpagesize()));
	EXPECT_STREQ("33554432", first_line(CG "/memory.max"));
	EXPECT_EQ(128 + SIGKILL, in_context(self->fd, hog, NULL));
	EXPECT_LE(1, stat_limit(self->fd, VLIMIT_RSS).hits);
	EXPECT_GE((32 << 20) / getpagesize(),
		  stat_limit(self->fd, VLIMIT_RSS).maximum);
	/* the holder survived: the OOM killer took the hog only */
	EXPECT_NE(0, vs_task_state(self->holder));
	EXPECT_EQ(0, hog(NULL));	/* the host has its memory */

	/* the soft limit is memory.high */
	ASSERT_EQ(0, set_limit(self->fd, VLIMIT_RSS,
			       (16 << 20) / getpagesize(), CRLIM_KEEP));
	EXPECT_STREQ("16777216", first_line(CG "/memory.high"));
}

TEST_F(limits, bad_limits_change_nothing)
{
	struct vcmd_ctx_rlimit_v0 r = { .id = VLIMIT_NPROC, .maximum = 5 };

	ASSERT_EQ(0, set_limit(self->fd, VLIMIT_NPROC, 3, 5));
	/* resources we do not limit, or that do not exist */
	EXPECT_EQ(-EINVAL, set_limit(self->fd, VLIMIT_AS, 1, 1));
	EXPECT_EQ(-EINVAL, set_limit(self->fd, VLIMIT_ANON, 1, 1));
	EXPECT_EQ(-EINVAL, set_limit(self->fd, 2, 1, 1));
	EXPECT_EQ(-EINVAL, set_limit(self->fd, VLIMIT_NUM, 1, 1));
	EXPECT_EQ(-EINVAL, set_limit(self->fd, 0xFFFFFFFF, 1, 1));
	/* a memory size the kernel cannot hold */
	EXPECT_EQ(-EINVAL, set_limit(self->fd, VLIMIT_RSS, CRLIM_KEEP,
				     1ULL << 60));
	EXPECT_STREQ("max", first_line(CG "/memory.max"));
	/* a short struct, an unknown context */
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_set_rlimit, XID, &r,
				   sizeof(r) - 8));
	EXPECT_EQ(-ESRCH, vs_call(self->fd, VCMD_set_rlimit, 399, &r,
				  sizeof(r)));
	r = get_limit(self->fd, VLIMIT_NPROC);
	EXPECT_EQ(3, r.softlimit);
	EXPECT_EQ(5, r.maximum);
	EXPECT_STREQ("5", first_line(CG "/pids.max"));

	/* a soft limit above the hard one is the hard one */
	ASSERT_EQ(0, set_limit(self->fd, VLIMIT_NPROC, 50, CRLIM_KEEP));
	EXPECT_EQ(5, get_limit(self->fd, VLIMIT_NPROC).softlimit);
}

TEST_F(limits, a_context_sets_its_own_limits_in_setup_only)
{
	struct vcmd_ctx_rlimit_v0 r = {
		.id = VLIMIT_NPROC, .minimum = CRLIM_KEEP,
		.softlimit = CRLIM_KEEP, .maximum = 50,
	};
	pid_t pid = fork();

	if (pid == 0) {
		if (vs_call(self->fd, VCMD_ctx_migrate, XID, NULL, 0))
			_exit(20);
		if (vs_call(self->fd, VCMD_set_rlimit, XID, &r, sizeof(r)))
			_exit(21);
		if (set_flags(self->fd, 0, VXF_STATE_SETUP))
			_exit(22);
		r.maximum = 60;
		_exit(vs_call(self->fd, VCMD_set_rlimit, XID, &r,
			      sizeof(r)) == -EPERM ? 0 : 23);
	}
	EXPECT_EQ(0, vs_wait(pid));
	EXPECT_EQ(50, get_limit(self->fd, VLIMIT_NPROC).maximum);
}

/* --- the token bucket ------------------------------------------------------ */

static long set_sched(int fd, uint32_t mask, int fill, int interval,
		      int tmin, int tmax, int bias)
{
	struct vcmd_sched_v5 s = {
		.mask = mask, .cpu_id = -1, .bucket_id = -1,
		.fill_rate = { fill, fill }, .interval = { interval, interval },
		.tokens_min = tmin, .tokens_max = tmax, .prio_bias = bias,
	};

	return vs_call(fd, VCMD_set_sched, XID, &s, sizeof(s));
}

TEST_F(limits, sched_hard_puts_the_bucket_into_cpu_max)
{
	struct vcmd_sched_v5 s = { .cpu_id = -1 };
	const uint32_t all = VXSM_FILL_RATE | VXSM_INTERVAL |
			     VXSM_TOKENS_MIN | VXSM_TOKENS_MAX;

	/* fill 1 every 4 ticks (1 ms each), refills of 4 tokens */
	ASSERT_EQ(0, set_sched(self->fd, all, 1, 4, 4, 100, 0));
	EXPECT_EQ(0, strncmp("max ", first_line(CG "/cpu.max"), 4));
	ASSERT_EQ(0, set_flags(self->fd, VXF_SCHED_HARD, VXF_SCHED_HARD));
	EXPECT_STREQ("4000 16000", first_line(CG "/cpu.max"));
	EXPECT_STREQ("4000", first_line(CG "/cpu.max.burst"));

	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_sched, XID, &s, sizeof(s)));
	EXPECT_EQ(1, s.fill_rate[0]);
	EXPECT_EQ(4, s.interval[0]);
	EXPECT_EQ(4, s.tokens_min);
	EXPECT_EQ(100, s.tokens_max);

	/* three quarters, in milliseconds */
	ASSERT_EQ(0, set_sched(self->fd, VXSM_FILL_RATE | VXSM_INTERVAL |
			       VXSM_MSEC, 3, 4, 4, 100, 0));
	EXPECT_STREQ("3000 4000", first_line(CG "/cpu.max"));

	/* without SCHED_HARD no cap */
	ASSERT_EQ(0, set_flags(self->fd, 0, VXF_SCHED_HARD));
	EXPECT_EQ(0, strncmp("max ", first_line(CG "/cpu.max"), 4));
}

TEST_F(limits, bad_buckets_change_nothing)
{
	struct vcmd_sched_v5 before = { .cpu_id = -1 }, after = { .cpu_id = -1 };
	const uint32_t all = VXSM_FILL_RATE | VXSM_INTERVAL |
			     VXSM_TOKENS_MIN | VXSM_TOKENS_MAX | VXSM_PRIO_BIAS;

	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_sched, XID, &before,
			     sizeof(before)));
	EXPECT_EQ(-EINVAL, set_sched(self->fd, all, -1, 4, 1, 10, 0));
	EXPECT_EQ(-EINVAL, set_sched(self->fd, all, 1, 0, 1, 10, 0));
	EXPECT_EQ(-EINVAL, set_sched(self->fd, all, 1, 4, 20, 10, 0));
	EXPECT_EQ(-EINVAL, set_sched(self->fd, all, 1, 4, 1, 0, 0));
	EXPECT_EQ(-EINVAL, set_sched(self->fd, all, 1, 4, 1, 10, 21));
	EXPECT_EQ(-EINVAL, set_sched(self->fd, all, 1, 4, 1, 10, -21));
	EXPECT_EQ(-EINVAL, set_sched(self->fd, 0x80000000, 1, 4, 1, 10, 0));
	/* one bucket per context: no other CPU's */
	after.mask = VXSM_CPU_ID | VXSM_FILL_RATE;
	after.cpu_id = 1;
	after.fill_rate[0] = 2;
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_set_sched, XID, &after,
				   sizeof(after)));
	memset(&after, 0, sizeof(after));
	after.cpu_id = -1;
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_sched, XID, &after,
			     sizeof(after)));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
}

/* set/get_prio_bias: the nice value of the context's cgroup */
TEST_F(limits, prio_bias_alone)
{
	struct vcmd_prio_bias p = { .cpu_id = 0, .prio_bias = 10 };
	struct vcmd_sched_v5 s = { .cpu_id = -1 };

	/* no cgroup yet, or not that nice value */
	EXPECT_STRNE("10", first_line(CG "/cpu.weight.nice"));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_set_prio_bias, XID, &p, sizeof(p)));
	EXPECT_STREQ("10", first_line(CG "/cpu.weight.nice"));
	p.prio_bias = 0;
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_prio_bias, XID, &p, sizeof(p)));
	EXPECT_EQ(10, p.prio_bias);
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_sched, XID, &s, sizeof(s)));
	EXPECT_EQ(10, s.prio_bias);
	/* out of range, another CPU: nothing changes */
	p = (struct vcmd_prio_bias){ .cpu_id = 0, .prio_bias = 21 };
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_set_prio_bias, XID, &p,
				   sizeof(p)));
	p = (struct vcmd_prio_bias){ .cpu_id = 1, .prio_bias = 5 };
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_set_prio_bias, XID, &p,
				   sizeof(p)));
	EXPECT_STREQ("10", first_line(CG "/cpu.weight.nice"));
}

/* --- pause ------------------------------------------------------------------ */

static volatile unsigned long *counter;

static int count_forever(void *arg)
{
	for (;;)
		(*counter)++;
	return 0;
}

/* Burn CPU for @ms milliseconds of wall time */
static void spin_for(int ms)
{
	struct timespec start, t;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		for (volatile int i = 0; i < 100000; i++)
			;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - start.tv_sec) * 1000 +
		 (t.tv_nsec - start.tv_nsec) / 1000000 < ms);
}

/* Wait up to 5 s for @path to contain @line */
static int wait_line(const char *path, const char *line)
{
	char buf[256];
	int i;

	for (i = 0; i < 500; i++) {
		FILE *f = fopen(path, "r");
		int found = 0;

		while (f && fgets(buf, sizeof(buf), f))
			if (!strncmp(buf, line, strlen(line)))
				found = 1;
		if (f)
			fclose(f);
		if (found)
			return 1;
		usleep(10000);
	}
	return 0;
}

/* Does the counter move within 5 s? */
static int moves(void)
{
	unsigned long start = *counter;
	int i;

	for (i = 0; i < 500; i++) {
		usleep(10000);
		if (*counter != start)
			return 1;
	}
	return 0;
}

TEST_F(limits, pause_freezes_the_context_and_resume_goes_on)
{
	unsigned long frozen;
	pid_t pid;

	counter = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, counter);
	pid = fork();
	if (pid == 0) {
		if (vs_call(self->fd, VCMD_ctx_migrate, XID, NULL, 0))
			_exit(20);
		count_forever(NULL);
	}
	EXPECT_TRUE(moves());

	ASSERT_EQ(0, set_flags(self->fd, VXF_SCHED_PAUSE, VXF_SCHED_PAUSE));
	EXPECT_TRUE(wait_line(CG "/cgroup.events", "frozen 1"));
	frozen = *counter;
	usleep(200000);
	EXPECT_EQ(frozen, *counter);

	ASSERT_EQ(0, set_flags(self->fd, 0, VXF_SCHED_PAUSE));
	EXPECT_TRUE(moves());
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* --- what the context sees ---------------------------------------------------- */

struct seen {
	unsigned long mem_total_kb;
	unsigned long si_total_kb;
	double uptime;
	long si_uptime;
	int threads;
};

static struct seen *seen;

static int look(void *arg)
{
	struct sysinfo si;
	FILE *f;

	seen->mem_total_kb = vs_proc_field("/proc/meminfo", "MemTotal");
	if (sysinfo(&si))
		return 1;
	seen->si_total_kb = si.totalram / 1024 * si.mem_unit;
	seen->si_uptime = si.uptime;
	f = fopen("/proc/uptime", "r");
	if (!f || fscanf(f, "%lf", &seen->uptime) != 1)
		return 2;
	fclose(f);
	f = fopen("/proc/loadavg", "r");
	if (!f || fscanf(f, "%*s %*s %*s %*d/%d", &seen->threads) != 1)
		return 3;
	fclose(f);
	return 0;
}

TEST_F(limits, virt_flags_show_the_context_its_own_machine)
{
	struct vcmd_virt_stat_v0 vs;
	struct sysinfo host;

	seen = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, seen);
	ASSERT_EQ(0, set_limit(self->fd, VLIMIT_RSS, CRLIM_KEEP,
			       (64 << 20) / getpagesize()));
	usleep(1100000);	/* the context is a second younger than the host */

	/* without the flags, the host's machine */
	ASSERT_EQ(0, in_context(self->fd, look, NULL));
	ASSERT_EQ(0, sysinfo(&host));
	EXPECT_EQ(host.totalram / 1024 * host.mem_unit, seen->mem_total_kb);
	EXPECT_EQ(seen->mem_total_kb, seen->si_total_kb);
	EXPECT_LE(host.uptime - 1, (long)seen->uptime);
	EXPECT_LT(4, seen->threads);

	ASSERT_EQ(0, set_flags(self->fd, VXF_VIRT_MEM | VXF_VIRT_UPTIME |
			       VXF_VIRT_LOAD, VXF_VIRT_MEM | VXF_VIRT_UPTIME |
			       VXF_VIRT_LOAD));
	ASSERT_EQ(0, in_context(self->fd, look, NULL));
	EXPECT_EQ(65536, seen->mem_total_kb);
	EXPECT_EQ(65536, seen->si_total_kb);
	ASSERT_EQ(0, vs_call(self->fd, VCMD_virt_stat, XID, &vs, sizeof(vs)));
	EXPECT_LE(1.0, seen->uptime);
	EXPECT_GE(vs.uptime / 1e9 + 0.5, seen->uptime);
	EXPECT_GT(host.uptime - 1, (long)seen->uptime);
	EXPECT_GE(vs.uptime / 1000000000 + 1, seen->si_uptime);
	/* the holder and the child that looks */
	EXPECT_EQ(2, seen->threads);
	EXPECT_EQ(1, vs.nr_threads);
	EXPECT_LT(0, vs.offset);
}

/* /proc/stat's first line: user, system and idle ticks; 0 if unreadable */
static int cpu_line(unsigned long long *user, unsigned long long *sys,
		    unsigned long long *idle)
{
	unsigned long long nice;
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "cpu %llu %llu %llu %llu", user, &nice, sys, idle);
	fclose(f);
	return n == 4;
}

struct stat_seen {
	unsigned long long user, sys, idle;
	int ok;
	char intr[64];
};

static struct stat_seen *stat_seen;

static int look_stat(void *arg)
{
	FILE *f;

	spin_for(arg ? 300 : 0);
	stat_seen->ok = cpu_line(&stat_seen->user, &stat_seen->sys,
				 &stat_seen->idle);
	f = fopen("/proc/stat", "r");
	while (f && fgets(stat_seen->intr, sizeof(stat_seen->intr), f))
		if (!strncmp(stat_seen->intr, "intr ", 5))
			break;
	if (f)
		fclose(f);
	return 0;
}

TEST_F(limits, virt_cpu_shows_the_context_its_own_cpu_time)
{
	unsigned long long user, sys, idle;

	stat_seen = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, stat_seen);
	ASSERT_TRUE(cpu_line(&user, &sys, &idle));

	/* without the flag, the host's counters: at least as high as ours */
	ASSERT_EQ(0, in_context(self->fd, look_stat, NULL));
	ASSERT_TRUE(stat_seen->ok);
	EXPECT_LE(user, stat_seen->user);
	EXPECT_LE(idle, stat_seen->idle);

	/* with it: the context's own, after it spun 300 ms */
	ASSERT_EQ(0, set_flags(self->fd, VXF_VIRT_CPU, VXF_VIRT_CPU));
	ASSERT_EQ(0, in_context(self->fd, look_stat, "spin"));
	ASSERT_TRUE(stat_seen->ok);
	EXPECT_LE(10, stat_seen->user + stat_seen->sys);	/* 100 per s */
	/* since the context started, not since the host did */
	EXPECT_GT(user + sys + idle,
		  stat_seen->user + stat_seen->sys + stat_seen->idle);
	EXPECT_STREQ("intr 0\n", stat_seen->intr);
}

TEST_HARNESS_MAIN
