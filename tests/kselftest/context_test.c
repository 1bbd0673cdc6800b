// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: security context lifecycle - create, migrate, inherit, end.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/prctl.h>

#include "kselftest_harness.h"
#include "vs_test.h"

FIXTURE(ctx) {
	int fd;
};

FIXTURE_SETUP(ctx)
{
	self->fd = vs_open();
	ASSERT_LE(0, self->fd);
	/* orphans of the tests are reparented to us and can be waited for */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
}

FIXTURE_TEARDOWN(ctx)
{
	close(self->fd);
}

TEST_F(ctx, create_moves_the_caller)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (vs_call(self->fd, VCMD_ctx_create, 4201, NULL, 0) != 4201)
			_exit(1);
		if (vs_call(self->fd, VCMD_task_xid, 0, NULL, 0) != 4201)
			_exit(2);
		if (vs_proc_field("/proc/self/status", "VxID") != 4201)
			_exit(3);
		if (vs_proc_field(vproc(4201), "ID") != 4201)
			_exit(4);
		if (vs_proc_field("/proc/self/vinfo", "XID") != 4201 ||
		    vs_proc_field("/proc/self/ninfo", "NID") != 0)
			_exit(5);
		_exit(0);
	}
	ASSERT_EQ(0, vs_wait(pid));
	/* the context ended with its only task */
	EXPECT_FALSE(vs_exists(vproc(4201)));
	EXPECT_EQ(-ESRCH, vs_call(self->fd, VCMD_vx_info, 4201,
				  &(struct vcmd_vx_info_v0){}, 8));
	/* and the host stayed where it was */
	EXPECT_EQ(0, vs_call(self->fd, VCMD_task_xid, 0, NULL, 0));
}

TEST_F(ctx, children_inherit_and_keep_it_alive)
{
	int hold[2], parent_gone[2];
	pid_t pid, child;
	char c;

	ASSERT_EQ(0, pipe(hold));
	ASSERT_EQ(0, pipe(parent_gone));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (vs_call(self->fd, VCMD_ctx_create, 4202, NULL, 0) != 4202)
			_exit(1);
		child = fork();
		if (child == 0) {
			close(hold[1]);
			while (read(hold[0], &c, 1) > 0)
				;
			_exit(vs_call(self->fd, VCMD_task_xid, 0, NULL, 0) == 4202 ? 0 : 5);
		}
		/* tell the test who the grandchild is, then leave */
		if (write(parent_gone[1], &child, sizeof(child)) != sizeof(child))
			_exit(3);
		_exit(0);
	}
	close(hold[0]);
	close(parent_gone[1]);
	ASSERT_EQ(0, vs_wait(pid));
	ASSERT_EQ(sizeof(child), read(parent_gone[0], &child, sizeof(child)));

	/* its creator is gone, the grandchild keeps the context */
	EXPECT_TRUE(vs_exists(vproc(4202)));
	EXPECT_EQ(4202, vs_call(self->fd, VCMD_task_xid, child, NULL, 0));

	close(hold[1]);
	EXPECT_EQ(0, vs_wait(child));
	EXPECT_FALSE(vs_exists(vproc(4202)));
}

TEST_F(ctx, migrate_into_existing)
{
	struct vcmd_vx_info_v0 info = {};
	int hold[2];
	pid_t holder, pid;

	holder = hold_context(self->fd, 4203, VXF_STATE_ADMIN, hold);
	ASSERT_LE(0, holder);
	ASSERT_TRUE(wait_created(4203));

	ASSERT_EQ(0, vs_call(self->fd, VCMD_vx_info, 4203, &info, sizeof(info)));
	EXPECT_EQ(4203, info.xid);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct vcmd_ctx_migrate args = { .flagword = VXM_SET_INIT };

		/* it exists and is not being set up any more */
		if (vs_call(self->fd, VCMD_ctx_create, 4203, NULL, 0) != -EEXIST)
			_exit(1);
		if (vs_call(self->fd, VCMD_ctx_migrate, 4203, &args, sizeof(args)) != 0)
			_exit(2);
		if (vs_call(self->fd, VCMD_task_xid, 0, NULL, 0) != 4203)
			_exit(3);
		if (vs_proc_field(vproc(4203), "Init") != getpid())
			_exit(4);
		_exit(0);
	}
	EXPECT_EQ(0, vs_wait(pid));
	EXPECT_TRUE(vs_exists(vproc(4203)));

	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
	EXPECT_FALSE(vs_exists(vproc(4203)));
}

TEST_F(ctx, create_while_being_set_up_is_ebusy)
{
	int hold[2];
	pid_t holder, pid;

	holder = hold_context(self->fd, 4204, VXF_INIT_SET, hold);
	ASSERT_LE(0, holder);
	ASSERT_TRUE(wait_created(4204));
	pid = fork();
	if (pid == 0)
		_exit(vs_call(self->fd, VCMD_ctx_create, 4204, NULL, 0) == -EBUSY ? 0 : 1);
	EXPECT_EQ(0, vs_wait(pid));
	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
}

TEST_F(ctx, private_context_refuses_newcomers)
{
	int hold[2];
	pid_t holder, pid;

	/* while it is being set up, it can still be joined */
	holder = hold_context(self->fd, 4205, VXF_INFO_PRIVATE | VXF_INIT_SET, hold);
	ASSERT_LE(0, holder);
	ASSERT_TRUE(wait_created(4205));
	pid = fork();
	if (pid == 0)
		_exit(vs_call(self->fd, VCMD_ctx_migrate, 4205, NULL, 0) == 0 ? 0 : 1);
	EXPECT_EQ(0, vs_wait(pid));
	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));

	/* once set up, nobody may join */
	holder = hold_context(self->fd, 4205, VXF_INFO_PRIVATE | VXF_STATE_ADMIN, hold);
	ASSERT_LE(0, holder);
	ASSERT_TRUE(wait_created(4205));
	pid = fork();
	if (pid == 0)
		_exit(vs_call(self->fd, VCMD_ctx_migrate, 4205, NULL, 0) == -EACCES ? 0 : 1);
	EXPECT_EQ(0, vs_wait(pid));
	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
}

TEST_F(ctx, without_state_admin_the_host_cannot_join)
{
	int hold[2];
	pid_t holder, pid;

	holder = hold_context(self->fd, 4209, 0, hold);
	ASSERT_LE(0, holder);
	ASSERT_TRUE(wait_created(4209));
	pid = fork();
	if (pid == 0)
		_exit(vs_call(self->fd, VCMD_ctx_migrate, 4209, NULL, 0) == -EACCES ? 0 : 1);
	EXPECT_EQ(0, vs_wait(pid));
	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
}

TEST_F(ctx, dynamic_xid)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		long xid = vs_call(self->fd, VCMD_ctx_create, VC_DYNAMIC_XID, NULL, 0);

		if (xid < VX_MIN_D_CONTEXT || xid > VX_MAX_S_CONTEXT)
			_exit(1);
		if (vs_call(self->fd, VCMD_task_xid, 0, NULL, 0) != xid)
			_exit(2);
		_exit(0);
	}
	EXPECT_EQ(0, vs_wait(pid));
}

TEST_F(ctx, bad_ids_change_nothing)
{
	static const uint32_t create_bad[] = { 0, 1, 49152, 65535, 65536, 0x7fffffff };
	static const uint32_t migrate_bad[] = { 0, 65536, 0xfffffffe };
	struct vcmd_vx_info_v0 info;
	struct vcmd_ctx_migrate margs = { .flagword = 0x100 };
	unsigned int i;

	for (i = 0; i < sizeof(create_bad) / sizeof(create_bad[0]); i++)
		EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_ctx_create,
					   create_bad[i], NULL, 0))
			TH_LOG("ctx_create(%u)", create_bad[i]);
	for (i = 0; i < sizeof(migrate_bad) / sizeof(migrate_bad[0]); i++)
		EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_ctx_migrate,
					   migrate_bad[i], NULL, 0))
			TH_LOG("ctx_migrate(%u)", migrate_bad[i]);
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_ctx_migrate, 4206, &margs,
				   sizeof(margs)));
	EXPECT_EQ(-ESRCH, vs_call(self->fd, VCMD_ctx_migrate, 4299, NULL, 0));
	EXPECT_EQ(-ESRCH, vs_call(self->fd, VCMD_vx_info, 4299, &info, sizeof(info)));
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_vx_info, 0, &info, sizeof(info)));
	/* still on the host, nothing was created */
	EXPECT_EQ(0, vs_call(self->fd, VCMD_task_xid, 0, NULL, 0));
	EXPECT_EQ(0, vs_proc_field("/proc/virtual/status", "#CActive"));
}

/* Inside a context only the host administers; other contexts vanish. */
TEST_F(ctx, no_way_out_of_a_context)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct vcmd_vx_info_v0 info;

		if (vs_call(self->fd, VCMD_ctx_create, 4207, NULL, 0) != 4207)
			_exit(1);
		if (vs_call(self->fd, VCMD_ctx_create, 4208, NULL, 0) != -EPERM)
			_exit(2);
		if (vs_call(self->fd, VCMD_ctx_migrate, 4207, NULL, 0) != -EPERM)
			_exit(3);
		/* the host's init does not exist from here */
		if (vs_call(self->fd, VCMD_task_xid, 1, NULL, 0) != -ESRCH)
			_exit(4);
		if (vs_call(self->fd, VCMD_task_xid, getppid(), NULL, 0) != -ESRCH)
			_exit(5);
		if (vs_call(self->fd, VCMD_vx_info, 4207, &info, sizeof(info)) != 0 ||
		    info.xid != 4207)
			_exit(6);
		if (vs_call(self->fd, VCMD_task_xid, 0, NULL, 0) != 4207)
			_exit(7);
		_exit(0);
	}
	EXPECT_EQ(0, vs_wait(pid));
	EXPECT_FALSE(vs_exists(vproc(4208)));
}

TEST_HARNESS_MAIN
