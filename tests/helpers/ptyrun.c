// SPDX-License-Identifier: GPL-2.0
/*
 * ptyrun - run a command on a new pseudo-terminal, for the guest tests of
 * interactive tools (vserver NAME enter):
 *
 *	printf 'hostname; exit\n' | ptyrun CMD [ARGS...]
 *
 * CMD runs in a session of its own with the pty's slave as its
 * controlling terminal and standard streams.  Once CMD said something (a
 * prompt) or a second passed, ptyrun types its own standard input into
 * the pty; everything CMD writes is copied to ptyrun's standard output,
 * as the terminal shows it (echo, carriage returns).  ptyrun exits with
 * CMD's status (128 + N for signal N), 124 when CMD still runs after 20
 * seconds (it is killed then), 127 when CMD could not be executed, 2 for
 * a usage error or no pty.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROMPT_MS 1000
#define LIMIT_MS 20000

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* Copy what the pty has within @ms milliseconds to stdout; 0 at its end */
static int copy_out(int master, int ms)
{
	struct pollfd p = { .fd = master, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return 1;
	n = read(master, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (n <= 0)
		return 0;	/* EIO: no slave is open any more */
	write_all(STDOUT_FILENO, buf, (size_t)n);
	return 1;
}

int main(int argc, char **argv)
{
	int master, slave, status;
	long start = now_ms();
	char *name, buf[4096];
	ssize_t n;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: ptyrun CMD [ARGS...] (input on stdin)\n");
		return 2;
	}
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master) || !(name = ptsname(master))) {
		perror("ptyrun: posix_openpt");
		return 2;
	}
	/* held open until CMD ended: the master reads EIO before the slave opens */
	slave = open(name, O_RDWR | O_NOCTTY);
	if (slave < 0) {
		perror(name);
		return 2;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("ptyrun: fork");
		return 2;
	}
	if (pid == 0) {
		if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) {
			perror("ptyrun: controlling terminal");
			_exit(127);
		}
		dup2(slave, STDIN_FILENO);
		dup2(slave, STDOUT_FILENO);
		dup2(slave, STDERR_FILENO);
		close(slave);
		close(master);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "ptyrun: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}

	/* the prompt, or a second */
	{
		struct pollfd p = { .fd = master, .events = POLLIN };

		if (poll(&p, 1, PROMPT_MS) > 0)
			copy_out(master, 0);
	}
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0)
			write_all(master, buf, (size_t)n);

	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now_ms() - start > LIMIT_MS) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			copy_out(master, 0);
			fprintf(stderr, "ptyrun: %s still ran after %d s; killed\n", argv[1],
				LIMIT_MS / 1000);
			return 124;
		}
		copy_out(master, 100);
	}
	close(slave);
	/* what is left, until no slave is open or nothing comes for 200 ms */
	{
		struct pollfd p = { .fd = master, .events = POLLIN };

		while (poll(&p, 1, 200) > 0 && copy_out(master, 0))
			;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
