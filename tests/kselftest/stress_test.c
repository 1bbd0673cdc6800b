// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: many contexts created, joined and ended concurrently; at the
 * end none may be left.  (Leaks are caught by kmemleak on the debug
 * kernel, see tests/vm/run-all.sh.)
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <time.h>

#include "kselftest_harness.h"
#include "vs_test.h"

#define WORKERS	2
#define CYCLES	1000

/* One cycle: a child creates a dynamic context, a second child joins it. */
static int cycle(int fd)
{
	int to_joiner[2], done[2];
	long xid = -1;
	pid_t creator, joiner;
	char c;

	if (pipe(to_joiner) || pipe(done))
		return -1;
	creator = fork();
	if (creator == 0) {
		struct vcmd_ctx_create a = { VXF_STATE_ADMIN };

		close(done[1]);
		xid = vs_call(fd, VCMD_ctx_create, VC_DYNAMIC_XID, &a, sizeof(a));
		if (write(to_joiner[1], &xid, sizeof(xid)) != sizeof(xid))
			_exit(1);
		/* stay until the joiner is in */
		_exit(read(done[0], &c, 1) == 1 ? 0 : 2);
	}
	close(to_joiner[1]);
	close(done[0]);
	joiner = fork();
	if (joiner == 0) {
		if (read(to_joiner[0], &xid, sizeof(xid)) != sizeof(xid) || xid < 0)
			_exit(3);
		if (vs_call(fd, VCMD_ctx_migrate, xid, NULL, 0))
			_exit(4);
		if (write(done[1], "x", 1) != 1)
			_exit(5);
		_exit(vs_call(fd, VCMD_task_xid, 0, NULL, 0) == xid ? 0 : 6);
	}
	close(to_joiner[0]);
	close(done[1]);
	return vs_wait(creator) || vs_wait(joiner) ? -1 : 0;
}

FIXTURE(stress) {
	int fd;
};

FIXTURE_SETUP(stress)
{
	self->fd = vs_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(stress)
{
	close(self->fd);
}

/* Slow under emulation with KASAN: allow 10 minutes (not a timing goal). */
TEST_F_TIMEOUT(stress, create_join_exit_cycles, 600)
{
	int fd = self->fd, i, failed = 0;
	pid_t workers[WORKERS];
	time_t start = time(NULL);

	for (i = 0; i < WORKERS; i++) {
		workers[i] = fork();
		if (workers[i] == 0) {
			int n;

			for (n = 0; n < CYCLES; n++)
				if (cycle(fd))
					_exit(1);
			_exit(0);
		}
	}
	for (i = 0; i < WORKERS; i++)
		failed |= vs_wait(workers[i]) != 0;
	EXPECT_EQ(0, failed);
	EXPECT_EQ(0, vs_proc_field("/proc/virtual/status", "#CActive"));
	TH_LOG("%d x %d cycles in %lds", WORKERS, CYCLES, (long)(time(NULL) - start));
}

TEST_HARNESS_MAIN
