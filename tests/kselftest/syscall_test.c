// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: the two entry points of one dispatcher.
 *
 * util-vserver's binaries call sys_vserver(cmd, id, data) (236 on
 * x86_64); our tools use the /dev/vserver ioctl.  Each case below runs
 * through both and must give the same result, the same errno and the
 * same data back, bad input included.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "vs_test.h"

#define NR_vserver	236

static long vs_syscall(uint32_t cmd, uint32_t id, void *data)
{
	long ret = syscall(NR_vserver, cmd, id, data);

	return ret < 0 ? -errno : ret;
}

/* A case: a command, its id, and its data (NULL: none) of size bytes */
struct vs_case {
	const char *what;
	uint32_t cmd;
	uint32_t id;
	size_t size;
	void (*fill)(void *data);	/* the data before the call */
	int bad_pointer;		/* pass an unmapped pointer */
	int varies;			/* data changes by itself (clocks) */
};

#define HELD_XID	5301
#define NO_XID		5399

static char iattr_path[] = "/scratch";
static char missing_path[] = "/nonexistent";

static void fill_iattr(void *d)
{
	((struct vcmd_ctx_iattr_v1 *)d)->name = (uintptr_t)iattr_path;
}

static void fill_iattr_missing(void *d)
{
	((struct vcmd_ctx_iattr_v1 *)d)->name = (uintptr_t)missing_path;
}

static void fill_rlimit_nproc(void *d)
{
	((struct vcmd_ctx_rlimit_v0 *)d)->id = 6;	/* RLIMIT_NPROC */
}

static void fill_rlimit_bad(void *d)
{
	((struct vcmd_ctx_rlimit_v0 *)d)->id = 999;
}

static void fill_bad_cflags(void *d)
{
	struct vcmd_ctx_flags_v0 *f = d;

	f->flagword = VXF_STATE_SETUP;	/* a one-time bit, set again */
	f->mask = VXF_STATE_SETUP;
}

static void fill_dlimit(void *d)
{
	((struct vcmd_ctx_dlimit_v0 *)d)->name = (uintptr_t)iattr_path;
}

static void fill_vhi_context(void *d)
{
	((struct vcmd_vhi_name_v0 *)d)->field = VHIN_CONTEXT;
}

static void fill_vhi_bad(void *d)
{
	((struct vcmd_vhi_name_v0 *)d)->field = 99;
}

static void fill_space_uts(void *d)
{
	((struct vcmd_space_mask_v2 *)d)->mask = CLONE_NEWUTS;
}

static const struct vs_case cases[] = {
	{ "get_version", VCMD_get_version, 0, 0 },
	{ "get_vci", VCMD_get_vci, 0, 0 },
	{ "task_xid of the caller", VCMD_task_xid, 0, 0 },
	{ "task_nid of the caller", VCMD_task_nid, 0, 0 },
	{ "task_tag of the caller", VCMD_task_tag, 0, 0 },
	{ "task_xid of no task", VCMD_task_xid, 999999, 0 },
	{ "vx_info", VCMD_vx_info, HELD_XID, sizeof(struct vcmd_vx_info_v0) },
	{ "vx_info of no context", VCMD_vx_info, NO_XID, sizeof(struct vcmd_vx_info_v0) },
	{ "vx_info of xid 0", VCMD_vx_info, 0, sizeof(struct vcmd_vx_info_v0) },
	{ "vx_info, bad pointer", VCMD_vx_info, HELD_XID,
	  sizeof(struct vcmd_vx_info_v0), NULL, 1 },
	{ "ctx_stat", VCMD_ctx_stat, HELD_XID, sizeof(struct vcmd_ctx_stat_v0) },
	{ "get_cflags", VCMD_get_cflags, HELD_XID, sizeof(struct vcmd_ctx_flags_v0) },
	{ "set_cflags: a one-time bit again", VCMD_set_cflags, HELD_XID,
	  sizeof(struct vcmd_ctx_flags_v0), fill_bad_cflags },
	{ "get_bcaps", VCMD_get_bcaps, HELD_XID, sizeof(struct vcmd_bcaps) },
	{ "get_ccaps", VCMD_get_ccaps, HELD_XID, sizeof(struct vcmd_ctx_caps_v1) },
	{ "get_umask", VCMD_get_umask, HELD_XID, sizeof(struct vcmd_umask) },
	{ "get_vhi_name CONTEXT", VCMD_get_vhi_name, HELD_XID,
	  sizeof(struct vcmd_vhi_name_v0), fill_vhi_context },
	{ "get_vhi_name, bad field", VCMD_get_vhi_name, HELD_XID,
	  sizeof(struct vcmd_vhi_name_v0), fill_vhi_bad },
	{ "get_rlimit NPROC", VCMD_get_rlimit, HELD_XID,
	  sizeof(struct vcmd_ctx_rlimit_v0), fill_rlimit_nproc },
	{ "get_rlimit, unknown resource", VCMD_get_rlimit, HELD_XID,
	  sizeof(struct vcmd_ctx_rlimit_v0), fill_rlimit_bad },
	{ "get_rlimit_mask", VCMD_get_rlimit_mask, 0,
	  sizeof(struct vcmd_ctx_rlimit_mask_v0) },
	{ "get_sched", VCMD_get_sched, HELD_XID, sizeof(struct vcmd_sched_v5) },
	{ "get_prio_bias", VCMD_get_prio_bias, HELD_XID,
	  sizeof(struct vcmd_prio_bias) },
	{ "virt_stat", VCMD_virt_stat, HELD_XID, sizeof(struct vcmd_virt_stat_v0),
	  NULL, 0, 1 },
	{ "get_iattr", VCMD_get_iattr, 0, sizeof(struct vcmd_ctx_iattr_v1), fill_iattr },
	{ "get_iattr of no file", VCMD_get_iattr, 0,
	  sizeof(struct vcmd_ctx_iattr_v1), fill_iattr_missing },
	{ "get_dlimit of no limit", VCMD_get_dlimit, HELD_XID,
	  sizeof(struct vcmd_ctx_dlimit_v0), fill_dlimit },
	{ "nx_info of no network context", VCMD_nx_info, NO_XID,
	  sizeof(struct vcmd_nx_info_v0) },
	{ "get_space_mask", VCMD_get_space_mask, 0,
	  sizeof(struct vcmd_space_mask_v1) },
	{ "get_space_default", VCMD_get_space_default, 0,
	  sizeof(struct vcmd_space_mask_v1) },
	{ "enter_space: nothing kept", VCMD_enter_space, HELD_XID,
	  sizeof(struct vcmd_space_mask_v2), fill_space_uts },
	{ "enter_space of no context", VCMD_enter_space_v0, NO_XID, 0 },
	{ "an unknown command", VC_CMD(VSTAT, 77, 0), 0, 0 },
	{ "a known command, unknown version", VCMD_vx_info + 7, HELD_XID,
	  sizeof(struct vcmd_vx_info_v0) },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

FIXTURE(syscall) {
	int fd;
	int hold[2];
	pid_t holder;
};

FIXTURE_SETUP(syscall)
{
	self->fd = vs_open();
	ASSERT_LE(0, self->fd);
	if (vs_syscall(VCMD_get_version, 0, NULL) == -ENOSYS)
		SKIP(return, "no vserver system call");
	self->holder = hold_context(self->fd, HELD_XID, VXF_STATE_ADMIN,
				    self->hold);
	ASSERT_LT(0, self->holder);
	ASSERT_TRUE(wait_created(HELD_XID));
}

FIXTURE_TEARDOWN(syscall)
{
	close(self->hold[1]);
	vs_wait(self->holder);
	close(self->fd);
}

/* Run @c through one entry point; the result, the data in @out */
static long run_case(int fd, const struct vs_case *c, int by_syscall,
		     char *out)
{
	void *data = c->size ? out : NULL;

	memset(out, 0, 512);
	if (c->fill)
		c->fill(out);
	if (c->bad_pointer)
		data = (void *)4096;
	return by_syscall ? vs_syscall(c->cmd, c->id, data) :
			    vs_call(fd, c->cmd, c->id, data, c->size);
}

TEST_F(syscall, both_entry_points_give_the_same_answers)
{
	char a[512], b[512];
	unsigned int i;
	long ra, rb;

	for (i = 0; i < NCASES; i++) {
		ra = run_case(self->fd, &cases[i], 1, a);
		rb = run_case(self->fd, &cases[i], 0, b);
		EXPECT_EQ(rb, ra)
			TH_LOG("%s: syscall %ld, ioctl %ld", cases[i].what, ra, rb);
		if (!cases[i].varies)
			EXPECT_EQ(0, memcmp(a, b, cases[i].size))
				TH_LOG("%s: the data differs", cases[i].what);
		TH_LOG("%-36s %ld", cases[i].what, ra);
	}
	/* a few answers that must be so, not merely equal */
	EXPECT_EQ(VCI_VERSION, vs_syscall(VCMD_get_version, 0, NULL));
	EXPECT_EQ(VCI_FEATURES, vs_syscall(VCMD_get_vci, 0, NULL));
	EXPECT_EQ(-ESRCH, vs_syscall(VCMD_vx_info, NO_XID, a));
	EXPECT_EQ(-ENOSYS, vs_syscall(VC_CMD(VSTAT, 77, 0), 0, NULL));
	EXPECT_EQ(-EFAULT, vs_syscall(VCMD_vx_info, HELD_XID, (void *)4096));
}

/* Data given to a command that takes none is ignored, as VServer did */
TEST_F(syscall, data_of_a_command_without_data_is_ignored)
{
	char junk[8] = "junk";

	EXPECT_EQ(0, vs_syscall(VCMD_task_xid, 0, junk));
	EXPECT_EQ(VCI_VERSION, vs_syscall(VCMD_get_version, 0, (void *)4096));
	/* the ioctl, which carries a size, keeps refusing a wrong one */
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_task_xid, 0, junk, sizeof(junk)));
}

/* What changes something: one child per entry point, same outcome */
static int create_in_child(int fd, uint32_t xid, int by_syscall)
{
	struct vcmd_ctx_create c = { .flagword = VXF_INIT_SET };
	pid_t pid = fork();
	long ret;

	if (pid == 0) {
		ret = by_syscall ? vs_syscall(VCMD_ctx_create, xid, &c) :
				   vs_call(fd, VCMD_ctx_create, xid, &c, sizeof(c));
		_exit(ret == xid ? 0 : ret == -EEXIST ? 1 : ret == -EPERM ? 2 : 3);
	}
	return vs_wait(pid);
}

static int create_without_caps(int fd, uint32_t xid, int by_syscall)
{
	struct vcmd_ctx_create c = { .flagword = VXF_INIT_SET };
	pid_t pid = fork();
	long ret;

	if (pid == 0) {
		struct __user_cap_header_struct h = {
			.version = _LINUX_CAPABILITY_VERSION_3,
		};
		struct __user_cap_data_struct none[2] = {};

		if (syscall(SYS_capset, &h, none))
			_exit(4);
		ret = by_syscall ? vs_syscall(VCMD_ctx_create, xid, &c) :
				   vs_call(fd, VCMD_ctx_create, xid, &c, sizeof(c));
		_exit(ret == -EPERM ? 2 : 3);
	}
	return vs_wait(pid);
}

TEST_F(syscall, creating_a_context_works_and_fails_alike)
{
	EXPECT_EQ(0, create_in_child(self->fd, 5311, 1));
	EXPECT_EQ(0, create_in_child(self->fd, 5312, 0));
	EXPECT_EQ(1, create_in_child(self->fd, HELD_XID, 1));
	EXPECT_EQ(1, create_in_child(self->fd, HELD_XID, 0));
	EXPECT_EQ(2, create_without_caps(self->fd, 5313, 1));
	EXPECT_EQ(2, create_without_caps(self->fd, 5313, 0));
	EXPECT_FALSE(vs_exists(vproc(5313)));
}

TEST_HARNESS_MAIN
