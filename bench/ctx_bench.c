// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng micro benchmark, run in the guest by `make bench`.
 *
 * Measures, side by side in one run, and prints ratios:
 *  - fork+exit+wait of a task in context 42 vs on the host (ctx 0);
 *  - getpid() in context 42 vs on the host;
 *  - a context's whole life (fork, ctx_create, exit, wait) vs a plain
 *    fork+exit+wait.
 * Absolute numbers under TCG mean little; the ratios are the point.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
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

static void fork_exit(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0)
			_exit(0);
		waitpid(p, NULL, 0);
	}
}

static void ctx_life(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0)
			_exit(vs(VCMD_ctx_create, VC_DYNAMIC_XID) < 0);
		waitpid(p, NULL, 0);
	}
}

static void getpids(int n)
{
	for (int i = 0; i < n; i++)
		syscall(SYS_getpid);
}

/* Time fn(n) in the current context, then in a child inside context 42. */
static void compare(const char *what, void (*fn)(int), int n)
{
	double t0 = now(), host, guest;
	int pipefd[2];
	pid_t p;

	fn(n);
	host = now() - t0;
	if (pipe(pipefd))
		exit(1);
	p = fork();
	if (p == 0) {
		double t;

		if (vs(VCMD_ctx_create, 42) != 42)
			_exit(1);
		t = now();
		fn(n);
		t = now() - t;
		if (write(pipefd[1], &t, sizeof(t)) != sizeof(t))
			_exit(1);
		_exit(0);
	}
	waitpid(p, NULL, 0);
	if (read(pipefd[0], &guest, sizeof(guest)) != sizeof(guest)) {
		fprintf(stderr, "bench: child in context 42 failed\n");
		exit(1);
	}
	printf("%-28s ctx 42 / host = %.3f  (%.2f us vs %.2f us per op)\n",
	       what, guest / host, guest / n * 1e6, host / n * 1e6);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	double t0, plain, ctx;

	fd = open(VSERVER_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror(VSERVER_DEVICE);
		return 1;
	}
	compare("fork+exit+wait", fork_exit, n);
	compare("getpid", getpids, n * 100);

	t0 = now();
	fork_exit(n);
	plain = now() - t0;
	t0 = now();
	ctx_life(n);
	ctx = now() - t0;
	printf("%-28s ctx life / fork = %.3f  (%.2f us vs %.2f us per op)\n",
	       "context create+exit", ctx / plain, ctx / n * 1e6, plain / n * 1e6);
	return 0;
}
