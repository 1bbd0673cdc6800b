// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: every command fed bad ids, short, oversized and unaligned
 * data and bad pointers gets a clean errno, and nothing changes.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "vs_test.h"

static const struct {
	uint32_t cmd;
	uint32_t size;		/* the command's struct, 0 = none */
	int has_id;		/* id names a context */
} cmds[] = {
	{ VCMD_get_version, 0, 0 },
	{ VCMD_task_xid, 0, 0 },
	{ VCMD_task_nid, 0, 0 },
	{ VCMD_vx_info, sizeof(struct vcmd_vx_info_v0), 1 },
	{ VCMD_ctx_stat, sizeof(struct vcmd_ctx_stat_v0), 1 },
	{ VCMD_get_cflags, sizeof(struct vcmd_ctx_flags_v0), 1 },
	{ VCMD_set_cflags, sizeof(struct vcmd_ctx_flags_v0), 1 },
	{ VCMD_get_bcaps, sizeof(struct vcmd_bcaps), 1 },
	{ VCMD_set_bcaps, sizeof(struct vcmd_bcaps), 1 },
	{ VCMD_get_ccaps, sizeof(struct vcmd_ctx_caps_v1), 1 },
	{ VCMD_set_ccaps, sizeof(struct vcmd_ctx_caps_v1), 1 },
	{ VCMD_get_umask, sizeof(struct vcmd_umask), 1 },
	{ VCMD_get_iattr, sizeof(struct vcmd_ctx_iattr_v1), 0 },
	{ VCMD_set_iattr, sizeof(struct vcmd_ctx_iattr_v1), 0 },
	{ VCMD_task_tag, 0, 0 },
	{ VCMD_tag_migrate, 0, 0 },
	{ VCMD_add_dlimit, sizeof(struct vcmd_ctx_dlimit_base_v0), 0 },
	{ VCMD_rem_dlimit, sizeof(struct vcmd_ctx_dlimit_base_v0), 0 },
	{ VCMD_set_dlimit, sizeof(struct vcmd_ctx_dlimit_v0), 0 },
	{ VCMD_get_dlimit, sizeof(struct vcmd_ctx_dlimit_v0), 0 },
	{ VCMD_fget_iattr, sizeof(struct vcmd_ctx_fiattr_v0), 0 },
	{ VCMD_fset_iattr, sizeof(struct vcmd_ctx_fiattr_v0), 0 },
	{ VCMD_set_umask, sizeof(struct vcmd_umask), 1 },
	{ VCMD_get_vhi_name, sizeof(struct vcmd_vhi_name_v0), 1 },
	{ VCMD_set_vhi_name, sizeof(struct vcmd_vhi_name_v0), 1 },
	{ VCMD_ctx_create, sizeof(struct vcmd_ctx_create), 0 },
	{ VCMD_ctx_migrate, sizeof(struct vcmd_ctx_migrate), 0 },
	{ VCMD_ctx_kill, sizeof(struct vcmd_ctx_kill_v0), 1 },
	{ VCMD_wait_exit, sizeof(struct vcmd_wait_exit_v0), 1 },
	{ VCMD_nx_info, sizeof(struct vcmd_nx_info_v0), 1 },
	{ VCMD_net_create, sizeof(struct vcmd_net_create), 0 },
	{ VCMD_net_migrate, 0, 1 },
	{ VCMD_net_add_ipv4, sizeof(struct vcmd_net_addr_ipv4_v2), 1 },
	{ VCMD_net_add_ipv4_v1, sizeof(struct vcmd_net_addr_ipv4_v1), 1 },
	{ VCMD_net_rem_ipv4_v1, sizeof(struct vcmd_net_addr_ipv4_v1), 1 },
	{ VCMD_net_rem_ipv4, sizeof(struct vcmd_net_addr_ipv4_v2), 1 },
	{ VCMD_net_add_ipv6, sizeof(struct vcmd_net_addr_ipv6_v1), 1 },
	{ VCMD_net_remove_ipv6, sizeof(struct vcmd_net_addr_ipv6_v1), 1 },
	{ VCMD_get_nflags, sizeof(struct vcmd_net_flags_v0), 1 },
	{ VCMD_set_nflags, sizeof(struct vcmd_net_flags_v0), 1 },
	{ VCMD_get_ncaps, sizeof(struct vcmd_net_caps_v0), 1 },
	{ VCMD_set_ncaps, sizeof(struct vcmd_net_caps_v0), 1 },
	{ VCMD_get_rlimit, sizeof(struct vcmd_ctx_rlimit_v0), 1 },
	{ VCMD_set_rlimit, sizeof(struct vcmd_ctx_rlimit_v0), 1 },
	{ VCMD_get_rlimit_mask, sizeof(struct vcmd_ctx_rlimit_mask_v0), 0 },
	{ VCMD_rlimit_stat, sizeof(struct vcmd_rlimit_stat_v0), 1 },
	{ VCMD_reset_hits, 0, 1 },
	{ VCMD_reset_minmax, 0, 1 },
	{ VCMD_set_sched, sizeof(struct vcmd_sched_v5), 1 },
	{ VCMD_get_sched, sizeof(struct vcmd_sched_v5), 1 },
	{ VCMD_sched_info, sizeof(struct vcmd_sched_info), 1 },
	{ VCMD_set_prio_bias, sizeof(struct vcmd_prio_bias), 1 },
	{ VCMD_get_prio_bias, sizeof(struct vcmd_prio_bias), 1 },
	{ VCMD_virt_stat, sizeof(struct vcmd_virt_stat_v0), 1 },
	{ VCMD_enter_space_v0, 0, 1 },
	{ VCMD_enter_space_v1, sizeof(struct vcmd_space_mask_v1), 1 },
	{ VCMD_enter_space, sizeof(struct vcmd_space_mask_v2), 1 },
	{ VCMD_set_space_v1, sizeof(struct vcmd_space_mask_v1), 1 },
	{ VCMD_set_space, sizeof(struct vcmd_space_mask_v2), 1 },
	{ VCMD_get_space_mask_v0, sizeof(struct vcmd_space_mask_v1), 0 },
	{ VCMD_get_space_mask, sizeof(struct vcmd_space_mask_v1), 0 },
	{ VCMD_get_space_default, sizeof(struct vcmd_space_mask_v1), 0 },
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

FIXTURE(hostile) {
	int fd;
	char *page;		/* readable and writable, followed by a hole */
};

FIXTURE_SETUP(hostile)
{
	long psz = sysconf(_SC_PAGESIZE);

	self->fd = vs_open();
	ASSERT_LE(0, self->fd);
	self->page = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->page);
	ASSERT_EQ(0, munmap(self->page + psz, psz));
}

FIXTURE_TEARDOWN(hostile)
{
	munmap(self->page, sysconf(_SC_PAGESIZE));
	close(self->fd);
}

/* Nothing happened: still on the host, no context of either kind. */
static int unchanged(int fd)
{
	return vs_call(fd, VCMD_task_xid, 0, NULL, 0) == 0 &&
	       vs_call(fd, VCMD_task_nid, 0, NULL, 0) == 0 &&
	       vs_proc_field("/proc/virtual/status", "#CActive") == 0 &&
	       vs_proc_field("/proc/virtnet/status", "#CActive") == 0;
}

TEST_F(hostile, wrong_sizes)
{
	static const uint32_t sizes[] = { 1, 4, 7, 9, 15, 16, 17, 64, 4096, 65536,
					  0x7fffffff, 0xffffffff };
	char buf[128] = {};
	unsigned int i, j;

	for (i = 0; i < NCMDS; i++) {
		for (j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			if (sizes[j] == cmds[i].size)
				continue;
			EXPECT_EQ(-EINVAL, vs_call(self->fd, cmds[i].cmd, 4242, buf, sizes[j]))
				TH_LOG("cmd %#x size %u", cmds[i].cmd, sizes[j]);
		}
	}
	EXPECT_TRUE(unchanged(self->fd));
}

TEST_F(hostile, bad_pointers)
{
	void *bad[] = { (void *)1, (void *)4096, (void *)-4096L,
			(void *)0xffff800000000000UL };
	unsigned int i, j;
	int holder_hold[2], nhold[2];
	pid_t holder, nholder;
	char c;

	/* contexts to aim at, so that the pointer is what fails */
	holder = hold_context(self->fd, 4501, VXF_STATE_ADMIN, holder_hold);
	ASSERT_LT(0, holder);
	ASSERT_TRUE(wait_created(4501));
	ASSERT_EQ(0, pipe(nhold));
	nholder = fork();
	if (nholder == 0) {
		close(holder_hold[1]);
		close(nhold[1]);
		if (vs_call(self->fd, VCMD_net_create, 4501, NULL, 0) != 4501)
			_exit(20);
		while (read(nhold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(nhold[0]);
	for (i = 0; i < 2000 && !vs_exists("/proc/virtnet/4501"); i++)
		usleep(1000);
	ASSERT_TRUE(vs_exists("/proc/virtnet/4501"));

	for (i = 0; i < NCMDS; i++) {
		if (!cmds[i].size)
			continue;
		for (j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
			long r;

			/* wait_exit would block before writing: skip it */
			if (cmds[i].cmd == VCMD_wait_exit)
				continue;
			r = vs_call(self->fd, cmds[i].cmd, 4501, bad[j], cmds[i].size);
			EXPECT_EQ(-EFAULT, r)
				TH_LOG("cmd %#x data %p", cmds[i].cmd, bad[j]);
		}
	}
	EXPECT_EQ(0, vs_call(self->fd, VCMD_task_xid, 0, NULL, 0));
	close(holder_hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
	close(nhold[1]);
	EXPECT_EQ(0, vs_wait(nholder));
	for (i = 0; i < 2000 && vs_exists("/proc/virtnet/4501"); i++)
		usleep(1000);
	EXPECT_TRUE(unchanged(self->fd));
}

/* A struct that runs into an unmapped page: EFAULT, nothing done. */
TEST_F(hostile, data_across_a_hole)
{
	long psz = sysconf(_SC_PAGESIZE);
	char *edge = self->page + psz - 4;

	memset(self->page, 0, psz);
	EXPECT_EQ(-EFAULT, vs_call(self->fd, VCMD_ctx_create, 4502, edge,
				   sizeof(struct vcmd_ctx_create)));
	EXPECT_TRUE(unchanged(self->fd));
}

/* Unaligned structs are fine: the kernel copies, it does not cast. */
TEST_F(hostile, unaligned_data)
{
	char buf[64] = {};
	struct vcmd_ctx_flags_v0 f;
	int hold[2];
	pid_t holder;

	holder = hold_context(self->fd, 4503, VXF_STATE_ADMIN | VXF_VIRT_MEM, hold);
	ASSERT_LT(0, holder);
	ASSERT_TRUE(wait_created(4503));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_cflags, 4503, buf + 1, sizeof(f)));
	memcpy(&f, buf + 1, sizeof(f));
	EXPECT_EQ(VXF_STATE_ADMIN | VXF_VIRT_MEM, f.flagword);
	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
}

TEST_F(hostile, bad_ids)
{
	static const uint32_t ids[] = { 0, 1, 65536, 0x80000000, 0xffffffff };
	char buf[128] = {};
	void *data;
	unsigned int i, j;

	for (i = 0; i < NCMDS; i++) {
		if (!cmds[i].has_id)
			continue;
		data = cmds[i].size ? buf : NULL;
		for (j = 0; j < sizeof(ids) / sizeof(ids[0]); j++)
			EXPECT_EQ(-EINVAL, vs_call(self->fd, cmds[i].cmd, ids[j], data,
						   cmds[i].size))
				TH_LOG("cmd %#x id %#x", cmds[i].cmd, ids[j]);
		/* a valid id without a context */
		EXPECT_EQ(-ESRCH, vs_call(self->fd, cmds[i].cmd, 4599, data,
					  cmds[i].size))
			TH_LOG("cmd %#x", cmds[i].cmd);
	}
	EXPECT_TRUE(unchanged(self->fd));
}

/* Random command words: only known ones do anything. */
TEST_F(hostile, random_commands)
{
	char buf[128] = {};
	unsigned int i, j, seed = 42;

	for (i = 0; i < 20000; i++) {
		uint32_t cmd = rand_r(&seed) ^ (rand_r(&seed) << 16);
		long r;
		int known = 0;

		for (j = 0; j < NCMDS; j++)
			known |= (cmds[j].cmd & 0x3fff0000) == (cmd & 0x3fff0000);
		if (known)
			continue;
		r = vs_call(self->fd, cmd, rand_r(&seed), buf, rand_r(&seed) % 200);
		EXPECT_EQ(-ENOSYS, r) TH_LOG("cmd %#x", cmd);
	}
	EXPECT_TRUE(unchanged(self->fd));
}

TEST_HARNESS_MAIN
