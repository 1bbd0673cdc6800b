// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: 32-bit util-vserver binaries on the 64-bit kernel.
 *
 * Built with -m32 (scripts/build-tests: every *32_test.c).  An i386
 * util-vserver binary calls sys_vserver as 273 with Linux-VServer's
 * structs as i386 lays them out: a pointer is 4 bytes, a 64-bit field is
 * 4-aligned, so iattr, dlimit, rlimit and the v2 space struct are
 * smaller and their fields elsewhere than on x86_64.  Each case passes
 * such a struct through 273 and checks what the kernel understood
 * through the ioctl (whose structs are the same for 32 and 64 bits), or
 * the reverse.  A kernel that read the i386 struct with the 64-bit
 * layout would see other values, or read past its end: the structs are
 * put at the very end of a mapped page for that.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "vs_test.h"

#ifndef __i386__
#error "compat32_test is an i386 program: build it with -m32"
#endif

#define NR_vserver_i386	273
#define XID		5501

/* util-vserver's declarations, which -m32 lays out as i386 does */
struct uv_ctx_iattr_v1 {
	const char *name;
	uint32_t tag;
	uint32_t flags;
	uint32_t mask;
};

struct uv_ctx_dlimit_v0 {
	const char *name;
	uint32_t space_used;
	uint32_t space_total;
	uint32_t inodes_used;
	uint32_t inodes_total;
	uint32_t reserved;
	uint32_t flags;
};

struct uv_ctx_dlimit_base_v0 {
	const char *name;
	uint32_t flags;
};

struct uv_ctx_rlimit_v0 {
	uint32_t id;
	uint64_t minimum;
	uint64_t softlimit;
	uint64_t maximum;
};

struct uv_space_mask_v2 {
	uint64_t mask;
	uint32_t index;
};

/* smaller than the 64-bit structs: the layouts really differ */
_Static_assert(sizeof(struct uv_ctx_iattr_v1) == 16, "i386 iattr");
_Static_assert(sizeof(struct uv_ctx_dlimit_v0) == 28, "i386 dlimit");
_Static_assert(sizeof(struct uv_ctx_dlimit_base_v0) == 8, "i386 dlimit");
_Static_assert(sizeof(struct uv_ctx_rlimit_v0) == 28, "i386 rlimit");
_Static_assert(sizeof(struct uv_space_mask_v2) == 12, "i386 space");
_Static_assert(sizeof(struct vcmd_ctx_rlimit_v0) == 32, "our rlimit");

static long vs_syscall32(uint32_t cmd, uint32_t id, void *data)
{
	long ret = syscall(NR_vserver_i386, cmd, id, data);

	return ret < 0 ? -errno : ret;
}

/* @size bytes that end where the mapping ends: reading more faults */
static void *at_page_end(size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || munmap(p + page, page))
		return NULL;
	memset(p, 0, page);
	return p + page - size;
}

FIXTURE(compat32) {
	int fd;
	int hold[2];
	pid_t holder;
};

FIXTURE_SETUP(compat32)
{
	self->fd = vs_open();
	ASSERT_LE(0, self->fd);
	if (vs_syscall32(VCMD_get_version, 0, NULL) == -ENOSYS)
		SKIP(return, "no 32-bit vserver system call");
	self->holder = hold_context(self->fd, XID, VXF_STATE_ADMIN,
				    self->hold);
	ASSERT_LT(0, self->holder);
	ASSERT_TRUE(wait_created(XID));
}

FIXTURE_TEARDOWN(compat32)
{
	close(self->hold[1]);
	vs_wait(self->holder);
	close(self->fd);
}

TEST_F(compat32, version_and_features)
{
	EXPECT_EQ(VCI_VERSION, vs_syscall32(VCMD_get_version, 0, NULL));
	EXPECT_EQ(VCI_FEATURES, vs_syscall32(VCMD_get_vci, 0, NULL));
	EXPECT_EQ(-ENOSYS, vs_syscall32(VC_CMD(VSTAT, 77, 0), 0, NULL));
}

TEST_F(compat32, rlimit)
{
	struct uv_ctx_rlimit_v0 *r = at_page_end(sizeof(*r));
	struct vcmd_ctx_rlimit_v0 n = { .id = VLIMIT_NPROC };

	ASSERT_TRUE(r != NULL);
	*r = (struct uv_ctx_rlimit_v0){
		.id = VLIMIT_NPROC, .minimum = CRLIM_KEEP,
		.softlimit = 50, .maximum = 100,
	};
	ASSERT_EQ(0, vs_syscall32(VCMD_set_rlimit, XID, r));
	/* what the kernel understood */
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_rlimit, XID, &n, sizeof(n)));
	EXPECT_EQ(50, n.softlimit);
	EXPECT_EQ(100, n.maximum);
	/* and what it gives back in the i386 layout */
	*r = (struct uv_ctx_rlimit_v0){ .id = VLIMIT_NPROC };
	ASSERT_EQ(0, vs_syscall32(VCMD_get_rlimit, XID, r));
	EXPECT_EQ(VLIMIT_NPROC, r->id);
	EXPECT_EQ(n.minimum, r->minimum);
	EXPECT_EQ(50, r->softlimit);
	EXPECT_EQ(100, r->maximum);
	/* bad input: the same errors as the ioctl's */
	r->id = 999;
	n.id = 999;
	EXPECT_EQ(vs_call(self->fd, VCMD_get_rlimit, XID, &n, sizeof(n)),
		  vs_syscall32(VCMD_get_rlimit, XID, r));
	EXPECT_EQ(-EFAULT, vs_syscall32(VCMD_get_rlimit, XID, (void *)4096));
}

TEST_F(compat32, iattr)
{
	static char file[] = "/scratch/vs-compat32-file";
	struct uv_ctx_iattr_v1 *a = at_page_end(sizeof(*a));
	struct vcmd_ctx_iattr_v1 n = { .name = (uintptr_t)file };
	int fd;

	ASSERT_TRUE(a != NULL);
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT_LE(0, fd);
	close(fd);

	*a = (struct uv_ctx_iattr_v1){
		.name = file, .flags = IATTR_IMMUTABLE, .mask = IATTR_IMMUTABLE,
	};
	ASSERT_EQ(0, vs_syscall32(VCMD_set_iattr, 0, a));
	EXPECT_EQ(-1, open(file, O_WRONLY));
	EXPECT_EQ(EPERM, errno);
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_iattr, 0, &n, sizeof(n)));
	EXPECT_EQ(IATTR_IMMUTABLE, n.flags & IATTR_IMMUTABLE);

	*a = (struct uv_ctx_iattr_v1){ .name = file };
	ASSERT_EQ(0, vs_syscall32(VCMD_get_iattr, 0, a));
	EXPECT_TRUE(a->name == file);
	EXPECT_EQ(n.tag, a->tag);
	EXPECT_EQ(n.flags, a->flags);
	EXPECT_EQ(n.mask, a->mask);

	*a = (struct uv_ctx_iattr_v1){
		.name = file, .flags = 0, .mask = IATTR_IMMUTABLE,
	};
	ASSERT_EQ(0, vs_syscall32(VCMD_set_iattr, 0, a));
	EXPECT_EQ(0, unlink(file));
	/* the name pointer is read as a 32-bit one */
	a->name = "/nonexistent";
	EXPECT_EQ(-ENOENT, vs_syscall32(VCMD_get_iattr, 0, a));
}

TEST_F(compat32, dlimit)
{
	struct uv_ctx_dlimit_v0 *d = at_page_end(sizeof(*d));
	struct uv_ctx_dlimit_base_v0 *b = at_page_end(sizeof(*b));
	struct vcmd_ctx_dlimit_v0 n = { .name = (uintptr_t)"/scratch" };

	ASSERT_TRUE(d != NULL);
	ASSERT_TRUE(b != NULL);
	/* no limit for that tag: the same answer both ways */
	d->name = "/scratch";
	EXPECT_EQ(vs_call(self->fd, VCMD_get_dlimit, XID, &n, sizeof(n)),
		  vs_syscall32(VCMD_get_dlimit, XID, d));
	b->name = "/scratch";
	EXPECT_EQ(-ESRCH, vs_syscall32(VCMD_rem_dlimit, XID, b));
	/* the name is read from where i386 puts it */
	d->name = "/nonexistent";
	EXPECT_EQ(-ENOENT, vs_syscall32(VCMD_get_dlimit, XID, d));
	b->name = "/nonexistent";
	EXPECT_EQ(-ENOENT, vs_syscall32(VCMD_rem_dlimit, XID, b));
}

TEST_F(compat32, spaces)
{
	struct uv_space_mask_v2 *s = at_page_end(sizeof(*s));
	struct vcmd_ctx_flags_v0 f = { .flagword = 0, .mask = VXF_PERSISTENT };
	pid_t pid;

	ASSERT_TRUE(s != NULL);
	/* set 1 of a context in setup, from inside it, through 273 */
	pid = fork();
	if (pid == 0) {
		struct vcmd_ctx_create c = {
			.flagword = VXF_STATE_SETUP | VXF_STATE_ADMIN |
				    VXF_PERSISTENT,
		};

		if (vs_call(self->fd, VCMD_ctx_create, XID + 1, &c,
			    sizeof(c)) != XID + 1)
			_exit(1);
		*s = (struct uv_space_mask_v2){
			.mask = CLONE_NEWUTS, .index = 1,
		};
		_exit(vs_syscall32(VCMD_set_space, XID + 1, s) ? 2 : 0);
	}
	ASSERT_EQ(0, vs_wait(pid));

	/* only set 1 keeps something: the index was read */
	*s = (struct uv_space_mask_v2){ .mask = CLONE_NEWUTS, .index = 0 };
	EXPECT_EQ(-EINVAL, vs_syscall32(VCMD_enter_space, XID + 1, s));
	s->index = 2;
	EXPECT_EQ(-EINVAL, vs_syscall32(VCMD_enter_space, XID + 1, s));
	pid = fork();
	if (pid == 0) {
		*s = (struct uv_space_mask_v2){
			.mask = CLONE_NEWUTS, .index = 1,
		};
		_exit(vs_syscall32(VCMD_enter_space, XID + 1, s) ? 1 : 0);
	}
	EXPECT_EQ(0, vs_wait(pid));

	EXPECT_EQ(0, vs_call(self->fd, VCMD_set_cflags, XID + 1, &f,
			     sizeof(f)));
}

TEST_HARNESS_MAIN
