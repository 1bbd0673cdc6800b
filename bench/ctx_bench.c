// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng benchmarks, run in the guest by `make bench`.  Everything is
 * measured side by side in one run and reported as ratios (absolute
 * numbers under QEMU/TCG mean little):
 *
 *  1. per-syscall cost in context 42 vs on the host: getpid, stat,
 *     open+close, fork+exit, fork+exec+exit (target: <= 1.01);
 *  2. a context's whole life (fork, ctx_create, exec /bin/true, exit)
 *     vs the container-style peer: unshare of pid, mount, uts, ipc and
 *     net namespaces, a cgroup directory, a fresh /proc, exec, exit,
 *     rmdir (target: the peer >= 5x slower); the same again with the
 *     smallest possible exec (bench/exit0) and with no exec at all, to
 *     show the setup without the cost of loading busybox, and with the
 *     context made as chcontext makes it (its own UTS and IPC namespaces,
 *     end of setup);
 *  3. `vps` vs `ps` with C contexts of T sleeping tasks each
 *     (target: <= 1.2).
 *
 * Usage: ctx_bench [N] [CONTEXTS] [TASKS_PER_CONTEXT]
 * (defaults 1000, 1000, 10; N = 0 skips 1 and 2, CONTEXTS = 0 skips 3)
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
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/vserver.h>

static int fd;

static long vs(uint32_t cmd, uint32_t id)
{
	struct vserver_call c = { .cmd = cmd, .id = id };

	return ioctl(fd, VSERVER_IOC_CALL, &c);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void wait_ok(pid_t p)
{
	int status;

	if (waitpid(p, &status, 0) != p || !WIFEXITED(status) || WEXITSTATUS(status))
		die("child failed");
}

/* --- 1. per-syscall cost --------------------------------------------- */

static void op_getpid(int n)
{
	for (int i = 0; i < n; i++)
		syscall(SYS_getpid);
}

static void op_stat(int n)
{
	struct stat st;

	for (int i = 0; i < n; i++)
		stat("/bin/busybox", &st);
}

static void op_open_close(int n)
{
	for (int i = 0; i < n; i++)
		close(open("/dev/null", O_RDONLY));
}

static void op_fork_exit(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0)
			_exit(0);
		wait_ok(p);
	}
}

static void op_exec(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		wait_ok(p);
	}
}

/* Alternate host and context runs, keep the best of each (less noise). */
static void compare(const char *what, void (*fn)(int), int n, int rounds)
{
	double host = 1e9, guest = 1e9;
	int pipefd[2];

	for (int r = 0; r < rounds; r++) {
		double t = now(), g;
		pid_t p;

		fn(n);
		t = now() - t;
		if (t < host)
			host = t;
		if (pipe(pipefd))
			die("pipe");
		p = fork();
		if (p == 0) {
			if (vs(VCMD_ctx_create, 42) != 42 &&
			    vs(VCMD_ctx_migrate, 42) != 0)
				_exit(1);
			g = now();
			fn(n);
			g = now() - g;
			if (write(pipefd[1], &g, sizeof(g)) != sizeof(g))
				_exit(1);
			_exit(0);
		}
		wait_ok(p);
		if (read(pipefd[0], &g, sizeof(g)) != sizeof(g))
			die("read");
		close(pipefd[0]);
		close(pipefd[1]);
		if (g < guest)
			guest = g;
	}
	printf("  %-22s ctx42/host = %6.3f   (%8.2f us vs %8.2f us)\n", what,
	       guest / host, guest / n * 1e6, host / n * 1e6);
}

/* --- 2. context life vs the container-style peer ------------------------ */

/*
 * What both sides exec: the issue's /bin/true (busybox, the same binary as
 * the host's tools), a minimal static program (bench/exit0: one exit
 * system call), or nothing (NULL: the child _exit()s where it would exec).
 */
static const char *life_target;

/*
 * The context side as the issue has it (fork, ctx_create) or, with
 * as_chcontext, as chcontext makes one: UTS and IPC namespaces of its own
 * (unshared before ctx_create), and the end of the setup state.
 */
static int as_chcontext;

static void run_target(void)
{
	if (life_target) {
		execl(life_target, life_target, (char *)NULL);
		_exit(127);
	}
	_exit(0);
}

static void ctx_life(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0) {
			long xid;

			if (as_chcontext && unshare(CLONE_NEWUTS | CLONE_NEWIPC))
				_exit(1);
			xid = vs(VCMD_ctx_create, VC_DYNAMIC_XID);
			if (xid < 0)
				_exit(1);
			if (as_chcontext) {
				struct vcmd_ctx_flags_v0 f = { .flagword = 0, .mask = VXF_STATE_SETUP };
				struct vserver_call c = {
					.cmd = VCMD_set_cflags, .id = xid,
					.data = (uintptr_t)&f, .size = sizeof(f),
				};

				if (ioctl(fd, VSERVER_IOC_CALL, &c))
					_exit(1);
			}
			run_target();
		}
		wait_ok(p);
	}
}

static void peer_life(int n)
{
	char cg[64];

	for (int i = 0; i < n; i++) {
		pid_t p;

		snprintf(cg, sizeof(cg), "/sys/fs/cgroup/bench%d", i);
		if (mkdir(cg, 0755))
			die("mkdir cgroup");
		p = fork();
		if (p == 0) {
			pid_t c;

			if (unshare(CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS |
				    CLONE_NEWIPC | CLONE_NEWNET))
				_exit(1);
			c = fork();	/* --fork: pid 1 of the new namespace */
			if (c == 0) {
				if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
				    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
					_exit(2);
				run_target();
			}
			wait_ok(c);
			_exit(0);
		}
		wait_ok(p);
		if (rmdir(cg))
			die("rmdir cgroup");
	}
}

/* Busy (non-idle) time of all CPUs so far, in seconds, from /proc/stat. */
static double busy_time(void)
{
	unsigned long long v[8] = {0};
	FILE *f = fopen("/proc/stat", "r");

	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
			 &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
		die("/proc/stat");
	fclose(f);
	/* user nice system [idle iowait] irq softirq steal */
	return (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / sysconf(_SC_CLK_TCK);
}

/*
 * Wait (at most 5 s) until the guest is idle: less than 5% of one CPU busy
 * over 100 ms.
 */
static void settle(void)
{
	for (int i = 0; i < 50; i++) {
		double b = busy_time();

		usleep(100000);
		if (busy_time() - b < 0.005)
			return;
	}
}

/*
 * Alternate rounds of n lives on each side, keep the best round of each.
 * Each round starts on an idle guest, so what one side leaves to kernel
 * workers (the peer's network namespaces are torn down after the fact)
 * does not slow the other side's round; it is not in the peer's wall time
 * either, so the ratio errs in the peer's favour.
 */
static void compare_life(const char *what, const char *target, int n, int rounds)
{
	double ctx = 1e9, peer = 1e9;

	life_target = target;
	for (int r = 0; r < rounds; r++) {
		double t;

		settle();
		t = now();
		ctx_life(n);
		t = now() - t;
		if (t < ctx)
			ctx = t;

		settle();
		t = now();
		peer_life(n);
		t = now() - t;
		if (t < peer)
			peer = t;
	}
	printf("  %-22s peer/ctx   = %6.3f   (%8.2f us vs %8.2f us)\n", what, peer / ctx,
	       peer / n * 1e6, ctx / n * 1e6);
}

/* --- 3. vps vs ps --------------------------------------------------------- */

/* Runs argv with stdout on /dev/null (or counting its lines into *rows). */
static double run_cmd(const char *const argv[], long *rows)
{
	double t = now();
	int pipefd[2];
	pid_t p;

	if (rows && pipe(pipefd))
		die("pipe");
	p = fork();
	if (p == 0) {
		int out = rows ? pipefd[1] : open("/dev/null", O_WRONLY);

		dup2(out, 1);
		if (rows) {
			close(pipefd[0]);
			close(pipefd[1]);
		}
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (rows) {
		char buf[65536];
		ssize_t got;

		close(pipefd[1]);
		*rows = 0;
		while ((got = read(pipefd[0], buf, sizeof(buf))) > 0)
			for (ssize_t i = 0; i < got; i++)
				*rows += buf[i] == '\n';
		close(pipefd[0]);
	}
	wait_ok(p);
	return now() - t;
}

/*
 * Section 3's tasks.  Each is a process of its own (a row of ps, which
 * lists processes, not threads) made with clone(CLONE_VM): they all share
 * the address space of one keeper process, so a task costs a kernel stack,
 * its task_struct and a page of user stack, not page tables and copied
 * pages, and 10,000 of them fit in the guest and start in seconds.  For ps
 * they are ordinary processes: /proc/PID/{stat,status,cmdline} read the
 * shared memory map like any other.
 */
#define STACK_SIZE (16 * 1024)

static char *stacks;		/* STACK_SIZE per task, in the keeper */
static int tasks_per_ctx;

static char *stack_top(long slot)
{
	return stacks + (slot + 1) * STACK_SIZE;
}

static int sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

static int leader(void *arg)
{
	long c = (long)arg;

	if (vs(VCMD_ctx_create, 1000 + c) != 1000 + c)
		_exit(1);
	for (int t = 1; t < tasks_per_ctx; t++)
		if (clone(sleeper, stack_top(c * tasks_per_ctx + t), CLONE_VM | SIGCHLD, NULL) < 0)
			_exit(1);
	for (;;)
		pause();
	return 0;
}

/* C contexts (xid 1000..) with T sleeping tasks each; returns the keeper. */
static pid_t populate(int contexts, int tasks)
{
	pid_t keeper = fork();

	if (keeper) {
		setpgid(keeper, keeper);	/* one kill(-keeper) ends them all */
		return keeper;
	}
	setpgid(0, 0);
	tasks_per_ctx = tasks;
	stacks = mmap(NULL, (size_t)contexts * tasks * STACK_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (stacks == MAP_FAILED)
		die("mmap stacks");
	for (long c = 0; c < contexts; c++)
		if (clone(leader, stack_top(c * tasks), CLONE_VM | SIGCHLD, (void *)c) < 0)
			die("clone");
	for (;;)
		pause();
}

static long meminfo(const char *key)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			kb = atol(line + strlen(key));
	if (f)
		fclose(f);
	return kb;
}

/* The kernel caps tasks at 1/8 of RAM in kernel stacks: 7,000 in 1 GiB. */
static void allow_tasks(long want)
{
	long max = 0;
	FILE *f = fopen("/proc/sys/kernel/threads-max", "r+");

	if (!f || fscanf(f, "%ld", &max) != 1)
		die("threads-max");
	if (max < want) {
		rewind(f);
		fprintf(f, "%ld\n", want);
		printf("  (threads-max %ld -> %ld)\n", max, want);
	}
	if (fclose(f))
		die("threads-max");
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void vps_vs_ps(int contexts, int tasks, int rounds)
{
	static const char *const ps[] = { "ps", NULL };
	static const char *const vps[] = { "vps", NULL };
	double t, tps = 1e9, tvps = 1e9, ratio[rounds];
	long before, ps_rows, vps_rows;
	pid_t keeper;

	printf("3. vps vs ps with %d contexts x %d tasks (target <= 1.2)\n", contexts, tasks);
	allow_tasks((long)contexts * tasks + 4096);
	before = meminfo("MemAvailable:");
	t = now();
	keeper = populate(contexts, tasks);
	for (int c = 0; c < contexts; c++) {
		struct vcmd_ctx_stat_v0 st = {};
		struct vserver_call call = {
			.cmd = VCMD_ctx_stat, .id = 1000 + c,
			.data = (uintptr_t)&st, .size = sizeof(st),
		};

		while (ioctl(fd, VSERVER_IOC_CALL, &call) || (int)st.tasks < tasks) {
			if (now() - t > 300 || waitpid(keeper, NULL, WNOHANG) == keeper) {
				fprintf(stderr, "context %d did not get its %d tasks\n", 1000 + c, tasks);
				exit(1);
			}
			usleep(1000);
		}
	}
	t = now() - t;
	run_cmd(ps, &ps_rows);
	run_cmd(vps, &vps_rows);
	printf("  %d tasks up in %.1f s, %ld MiB; ps lists %ld lines, vps %ld\n",
	       contexts * tasks, t, (before - meminfo("MemAvailable:")) / 1024,
	       ps_rows, vps_rows);

	/* Pairs in alternating order; the best of each, and the median pair. */
	for (int r = 0; r < rounds; r++) {
		double a, b;

		if (r % 2) {
			b = run_cmd(vps, NULL);
			a = run_cmd(ps, NULL);
		} else {
			a = run_cmd(ps, NULL);
			b = run_cmd(vps, NULL);
		}
		if (a < tps)
			tps = a;
		if (b < tvps)
			tvps = b;
		ratio[r] = b / a;
	}
	qsort(ratio, rounds, sizeof(*ratio), by_value);
	printf("  %-22s vps/ps     = %6.3f   (%8.2f ms vs %8.2f ms)   median pair: %6.3f\n",
	       "ps", tvps / tps, tvps * 1e3, tps * 1e3, ratio[rounds / 2]);

	t = now();
	if (kill(-keeper, SIGKILL))
		die("kill");
	/* the orphans come to us, the subreaper */
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	printf("  torn down in %.1f s\n", now() - t);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	int contexts = argc > 2 ? atoi(argv[2]) : 1000;
	int tasks = argc > 3 ? atoi(argv[3]) : 10;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open(VSERVER_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(VSERVER_DEVICE);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		die("PR_SET_CHILD_SUBREAPER");

	if (n > 0) {
		printf("1. syscalls in context 42 vs the host (target <= 1.01)\n");
		compare("getpid", op_getpid, n * 100, 5);
		compare("stat", op_stat, n * 10, 5);
		compare("open+close", op_open_close, n * 10, 5);
		compare("fork+exit", op_fork_exit, n, 5);
		compare("fork+exec+exit", op_exec, n / 4, 5);

		printf("2. context life vs unshare(pid,mnt,uts,ipc,net)+cgroup+proc peer (target >= 5)\n");
		compare_life("create+exec+exit", "/bin/true", n / 20, 5);
		compare_life("  exec bench/exit0", "/bench/exit0", n / 20, 5);
		compare_life("  no exec", NULL, n / 20, 5);
		as_chcontext = 1;
		compare_life("  chcontext-style", "/bin/true", n / 20, 5);
		compare_life("  chcontext, no exec", NULL, n / 20, 5);
	}
	if (contexts > 0 && tasks > 0)
		vps_vs_ps(contexts, tasks, 9);
	return 0;
}
