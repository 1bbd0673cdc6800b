// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: the token bucket, measured (run in the guest by `make bench`).
 *
 *  1. Delivered CPU share vs configured: 1, 2 and 4 contexts, each with one
 *     CPU hog and a hard bucket (VXF_SCHED_HARD), all on CPU 0, for
 *     SECONDS each.  The share is the CPU time the context's cgroup
 *     used (cpu.stat usage_usec) over the wall time; the ratio
 *     delivered / configured (goal: within 0.98 .. 1.02).
 *  2. The cost of accounting: a CPU-bound loop in a context with every
 *     limit set but none reached (nproc, rss, nofile, a bucket of two
 *     CPUs) vs the same loop on the host, alternating rounds, the best of
 *     each; ratio context / host (goal: <= 1.01).
 *
 * Usage: sched_bench [SECONDS]   (default 10)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/vserver.h>

#define XID0	900

static int fd;

static long vs(uint32_t cmd, uint32_t id, void *data, uint32_t size)
{
	struct vserver_call c = {
		.cmd = cmd, .id = id, .data = (uintptr_t)data, .size = size,
	};
	long ret = ioctl(fd, VSERVER_IOC_CALL, &c);

	return ret < 0 ? -errno : ret;
}

static void die(const char *what, long err)
{
	fprintf(stderr, "sched_bench: %s: %s\n", what, strerror(err));
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity", errno);
}

/* usage_usec of context @xid's cgroup */
static double usage_s(uint32_t xid)
{
	char path[96], key[32];
	unsigned long long val;
	double ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/fs/cgroup/vserver/%u/cpu.stat", xid);
	f = fopen(path, "r");
	if (!f)
		die(path, errno);
	while (fscanf(f, "%31s %llu", key, &val) == 2)
		if (!strcmp(key, "usage_usec"))
			ret = val / 1e6;
	fclose(f);
	return ret;
}

static volatile unsigned long sink;

static void spin(unsigned long n)
{
	unsigned long i, x = 1;

	for (i = 0; i < n; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	sink = x;
}

/*
 * A child in a new context @xid (pinned to CPU 0) that spins (or sleeps,
 * without @spinning) until it is killed; returns once the context exists.
 */
static pid_t holder(uint32_t xid, int spinning)
{
	struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready))
		die("pipe", errno);
	pid = fork();
	if (pid == 0) {
		pin(0);
		if (vs(VCMD_ctx_create, xid, &create, sizeof(create)) != xid)
			_exit(1);
		write(ready[1], "x", 1);
		for (;;) {
			if (spinning)
				spin(1000000);
			else
				pause();
		}
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		die("a hog did not start", EIO);
	close(ready[0]);
	return pid;
}

static void set_bucket(uint32_t xid, int fill, int interval)
{
	struct vcmd_sched_v5 s = {
		.mask = VXSM_FILL_RATE | VXSM_INTERVAL | VXSM_TOKENS_MIN |
			VXSM_TOKENS_MAX,
		.cpu_id = -1, .bucket_id = -1,
		.fill_rate = { fill, fill }, .interval = { interval, interval },
		.tokens_min = fill, .tokens_max = 2 * fill,
	};
	struct vcmd_ctx_flags_v0 f = {
		.flagword = VXF_SCHED_HARD, .mask = VXF_SCHED_HARD,
	};
	long ret;

	ret = vs(VCMD_set_sched, xid, &s, sizeof(s));
	if (ret)
		die("set_sched", -ret);
	ret = vs(VCMD_set_cflags, xid, &f, sizeof(f));
	if (ret)
		die("set_cflags", -ret);
}

/* One scenario: n contexts with buckets fill[i]/interval[i] */
static double share_run(int n, const int *fill, const int *interval,
			int seconds)
{
	double start[4], t0, t1, worst = 0;
	pid_t pids[4];
	int i;

	for (i = 0; i < n; i++) {
		pids[i] = holder(XID0 + i, 1);
		set_bucket(XID0 + i, fill[i], interval[i]);
	}
	sleep(1);	/* the buckets settle */
	t0 = now();
	for (i = 0; i < n; i++)
		start[i] = usage_s(XID0 + i);
	sleep(seconds);
	t1 = now();
	for (i = 0; i < n; i++) {
		double got = (usage_s(XID0 + i) - start[i]) / (t1 - t0);
		double want = (double)fill[i] / interval[i];

		printf("share: %d contexts on one CPU, context %d: configured %.3f delivered %.3f ratio %.3f\n",
		       n, i, want, got, got / want);
		if (got / want - 1 > worst || 1 - got / want > worst)
			worst = got / want > 1 ? got / want - 1 : 1 - got / want;
	}
	for (i = 0; i < n; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
	usleep(200000);	/* the contexts end, their cgroups go */
	return worst;
}

/* Run the spin loop @rounds times in a fork; its best time */
static double loop_in(uint32_t xid, unsigned long n)
{
	int out[2];
	double t = 0;
	pid_t pid;

	if (pipe(out))
		die("pipe", errno);
	pid = fork();
	if (pid == 0) {
		double t0;

		pin(1);
		if (xid && vs(VCMD_ctx_migrate, xid, NULL, 0))
			_exit(1);
		t0 = now();
		spin(n);
		t0 = now() - t0;
		write(out[1], &t0, sizeof(t0));
		_exit(0);
	}
	close(out[1]);
	if (read(out[0], &t, sizeof(t)) != sizeof(t))
		die("the loop did not run", EIO);
	close(out[0]);
	waitpid(pid, NULL, 0);
	return t;
}

static void set_limit(uint32_t xid, uint32_t id, uint64_t hard)
{
	struct vcmd_ctx_rlimit_v0 r = {
		.id = id, .minimum = CRLIM_KEEP, .softlimit = CRLIM_KEEP,
		.maximum = hard,
	};
	long ret = vs(VCMD_set_rlimit, xid, &r, sizeof(r));

	if (ret)
		die("set_rlimit", -ret);
}

static void cost(void)
{
	const unsigned long n = 300000000;
	double host = 1e9, ctx = 1e9, t;
	pid_t pid;
	int i;

	pid = holder(XID0 + 10, 0);	/* a context to join */
	set_limit(XID0 + 10, VLIMIT_NPROC, 1000);
	set_limit(XID0 + 10, VLIMIT_RSS, 262144);
	set_limit(XID0 + 10, VLIMIT_NOFILE, 100000);
	set_bucket(XID0 + 10, 4, 1);	/* four CPUs: never throttled */
	for (i = 0; i < 5; i++) {
		t = loop_in(0, n);
		host = t < host ? t : host;
		t = loop_in(XID0 + 10, n);
		ctx = t < ctx ? t : ctx;
	}
	printf("cost: CPU loop in a limited context / on the host: %.3f (host %.3f s, context %.3f s, best of 5)\n",
	       ctx / host, host, ctx);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
	static const int f1[] = { 1 }, i1[] = { 4 };
	static const int f2[] = { 1, 3 }, i2[] = { 4, 4 };
	static const int f4[] = { 1, 1, 1, 1 }, i4[] = { 8, 8, 4, 2 };
	int seconds = argc > 1 ? atoi(argv[1]) : 10;
	double worst = 0, w;

	if (seconds < 1)
		seconds = 10;
	fd = open(VSERVER_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(VSERVER_DEVICE, errno);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# sched_bench: %d s per scenario; the hogs share CPU 0\n", seconds);
	w = share_run(1, f1, i1, seconds);
	worst = w > worst ? w : worst;
	w = share_run(2, f2, i2, seconds);
	worst = w > worst ? w : worst;
	w = share_run(4, f4, i4, seconds);
	worst = w > worst ? w : worst;
	printf("share: largest difference from the configured share: %.1f%% (goal: 2%%)\n",
	       worst * 100);
	cost();
	return 0;
}
