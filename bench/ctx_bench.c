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
 *     rmdir (target: the peer >= 5x slower);
 *  3. `vps` vs `ps` with C contexts of T sleeping tasks
 *     (target: <= 1.2).
 *
 * Usage: ctx_bench [N] [CONTEXTS] [TASKS_PER_CONTEXT]
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
#include <sys/mount.h>
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

static void ctx_life(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0) {
			if (vs(VCMD_ctx_create, VC_DYNAMIC_XID) < 0)
				_exit(1);
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
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
				execl("/bin/true", "true", (char *)NULL);
				_exit(127);
			}
			wait_ok(c);
			_exit(0);
		}
		wait_ok(p);
		if (rmdir(cg))
			die("rmdir cgroup");
	}
}

/* --- 3. vps vs ps --------------------------------------------------------- */

static double run_cmd(const char *const argv[], int rounds)
{
	double best = 1e9;

	for (int r = 0; r < rounds; r++) {
		double t = now();
		pid_t p = fork();

		if (p == 0) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, 1);
			execvp(argv[0], (char *const *)argv);
			_exit(127);
		}
		wait_ok(p);
		t = now() - t;
		if (t < best)
			best = t;
	}
	return best;
}

/* C contexts with T sleeping tasks each; returns the pid of their parent. */
static pid_t populate(int contexts, int tasks)
{
	pid_t keeper = fork();

	if (keeper)
		return keeper;
	for (int c = 0; c < contexts; c++) {
		pid_t p = fork();

		if (p == 0) {
			if (vs(VCMD_ctx_create, 1000 + c) != 1000 + c)
				_exit(1);
			for (int t = 1; t < tasks; t++)
				if (fork() == 0)
					for (;;)
						pause();
			for (;;)
				pause();
		}
	}
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	int contexts = argc > 2 ? atoi(argv[2]) : 100;
	int tasks = argc > 3 ? atoi(argv[3]) : 10;
	static const char *const ps[] = { "ps", NULL };
	static const char *const vps[] = { "vps", NULL };
	double ctx, peer, tps, tvps;
	pid_t keeper;

	fd = open(VSERVER_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(VSERVER_DEVICE);

	printf("1. syscalls in context 42 vs the host (target <= 1.01)\n");
	compare("getpid", op_getpid, n * 100, 5);
	compare("stat", op_stat, n * 10, 5);
	compare("open+close", op_open_close, n * 10, 5);
	compare("fork+exit", op_fork_exit, n, 5);
	compare("fork+exec+exit", op_exec, n / 4, 5);

	printf("2. context life vs unshare(pid,mnt,uts,ipc,net)+cgroup+proc peer (target >= 5)\n");
	ctx = now();
	ctx_life(n / 4);
	ctx = now() - ctx;
	peer = now();
	peer_life(n / 4);
	peer = now() - peer;
	printf("  %-22s peer/ctx   = %6.3f   (%8.2f us vs %8.2f us)\n", "create+exec+exit",
	       peer / ctx, peer / (n / 4) * 1e6, ctx / (n / 4) * 1e6);

	printf("3. vps vs ps with %d contexts x %d tasks (target <= 1.2)\n", contexts, tasks);
	keeper = populate(contexts, tasks);
	for (int c = 0; c < contexts; c++) {
		struct vcmd_ctx_stat_v0 st = {};
		struct vserver_call call = {
			.cmd = VCMD_ctx_stat, .id = 1000 + c,
			.data = (uintptr_t)&st, .size = sizeof(st),
		};

		while (ioctl(fd, VSERVER_IOC_CALL, &call) || (int)st.tasks < tasks)
			usleep(1000);
	}
	tps = run_cmd(ps, 5);
	tvps = run_cmd(vps, 5);
	printf("  %-22s vps/ps     = %6.3f   (%8.2f ms vs %8.2f ms)\n", "ps", tvps / tps,
	       tvps * 1e3, tps * 1e3);
	for (int c = 0; c < contexts; c++) {
		struct vcmd_ctx_kill_v0 k = { .pid = 0, .sig = SIGKILL };
		struct vserver_call call = {
			.cmd = VCMD_ctx_kill, .id = 1000 + c,
			.data = (uintptr_t)&k, .size = sizeof(k),
		};

		ioctl(fd, VSERVER_IOC_CALL, &call);
	}
	kill(keeper, SIGKILL);
	waitpid(keeper, NULL, 0);
	return 0;
}
