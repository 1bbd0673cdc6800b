// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: the chroot barrier.
 *
 * The layout of a vserver host: /vservers/<guest> is a guest's root and
 * /vservers carries the barrier.  Root in a chroot leaves it with the old
 * tricks (a second chroot below the current directory, or fchdir to a
 * directory opened before, then ".." up to the real root).  Each is shown
 * to work from a plain chroot and from a context without a barrier, then
 * to stop at the barrier in a context.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdlib.h>
#include <endian.h>
#include <sys/xattr.h>

#include "kselftest_harness.h"
#include "vs_test.h"

#define ESCAPED		10
#define STOPPED		11
#define SETUP_FAILED	13

FIXTURE(barrier) {
	int fd;
	char top[64];		/* stands for the host's / */
	char vservers[96];	/* gets the barrier */
	char guest[128];	/* the guest's root */
	char secret[128];	/* a host file the guest must not reach */
};

FIXTURE_SETUP(barrier)
{
	int f;

	self->fd = vs_open();
	ASSERT_LE(0, self->fd);
	/* an ext4 filesystem, which keeps security.* attributes */
	if (!vs_exists("/scratch/lost+found"))
		SKIP(return, "no ext4 scratch disk on /scratch");
	strcpy(self->top, "/scratch/vs-barrier-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->top));
	snprintf(self->vservers, sizeof(self->vservers), "%s/vservers", self->top);
	snprintf(self->guest, sizeof(self->guest), "%s/guest", self->vservers);
	snprintf(self->secret, sizeof(self->secret), "%s/secret", self->top);
	ASSERT_EQ(0, mkdir(self->vservers, 0755));
	ASSERT_EQ(0, mkdir(self->guest, 0755));
	f = open(self->secret, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, f);
	close(f);
}

FIXTURE_TEARDOWN(barrier)
{
	char sub[160];

	snprintf(sub, sizeof(sub), "%s/sub", self->guest);
	rmdir(sub);
	rmdir(self->guest);
	removexattr(self->vservers, "security.vserver");
	rmdir(self->vservers);
	unlink(self->secret);
	rmdir(self->top);
	close(self->fd);
}

static int set_iattr(int fd, const char *path, uint32_t flags, uint32_t mask)
{
	struct vcmd_ctx_iattr_v1 a = {
		.name = (uintptr_t)path, .flags = flags, .mask = mask,
	};

	return vs_call(fd, VCMD_set_iattr, 0, &a, sizeof(a));
}

static int get_iattr(int fd, const char *path, uint32_t *flags, uint32_t *mask)
{
	struct vcmd_ctx_iattr_v1 a = { .name = (uintptr_t)path };
	int ret = vs_call(fd, VCMD_get_iattr, 0, &a, sizeof(a));

	*flags = a.flags;
	*mask = a.mask;
	return ret;
}

/* From the current directory, ".." as far as it goes, then make it / */
static int climb_and_check(const char *secret_from_top)
{
	int i;

	for (i = 0; i < 64; i++)
		if (chdir(".."))
			break;
	if (chroot("."))
		return SETUP_FAILED;
	return access(secret_from_top, F_OK) == 0 ? ESCAPED : STOPPED;
}

/* chroot into a subdirectory without going there, then climb */
static int double_chroot(void)
{
	mkdir("sub", 0755);
	if (chroot("sub"))
		return SETUP_FAILED;
	return -1;	/* go on climbing */
}

/* open "." first, chroot deeper, fchdir back out, then climb */
static int fchdir_out(void)
{
	int dir = open(".", O_RDONLY | O_DIRECTORY);

	mkdir("sub", 0755);
	if (dir < 0 || chroot("sub") || fchdir(dir))
		return SETUP_FAILED;
	close(dir);
	return -1;
}

/*
 * In a child: enter context @xid (0: stay on the host), chroot to the
 * guest root, try @trick and climb.  The secret is at /secret of the top.
 */
static int escape(int fd, uint32_t xid, const char *guest,
		  int (*trick)(void), const char *top)
{
	struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };
	char secret[160];
	pid_t pid = fork();
	int ret;

	if (pid == 0) {
		/* the real root is / above top: the secret is top/secret */
		snprintf(secret, sizeof(secret), "%s/secret", top);
		/* as vcontext --chroot: go there, enter, chroot(".") */
		if (chdir(guest))
			_exit(SETUP_FAILED);
		if (xid && vs_call(fd, VCMD_ctx_create, xid, &create,
				   sizeof(create)) != xid)
			_exit(SETUP_FAILED);
		if (chroot(".") || chdir("/") || access(secret, F_OK) == 0)
			_exit(SETUP_FAILED);
		ret = trick();
		_exit(ret >= 0 ? ret : climb_and_check(secret));
	}
	return vs_wait(pid);
}

static void drop_caches(void)
{
	int f = open("/proc/sys/vm/drop_caches", O_WRONLY);

	sync();
	if (f >= 0) {
		if (write(f, "3", 1) != 1)
			perror("drop_caches");
		close(f);
	}
}

TEST_F(barrier, double_chroot)
{
	EXPECT_EQ(ESCAPED, escape(self->fd, 0, self->guest, double_chroot, self->top));
	EXPECT_EQ(ESCAPED, escape(self->fd, 4901, self->guest, double_chroot, self->top));
	ASSERT_EQ(0, set_iattr(self->fd, self->vservers, IATTR_BARRIER, IATTR_BARRIER));
	EXPECT_EQ(STOPPED, escape(self->fd, 4902, self->guest, double_chroot, self->top));
	/* read back from the disk: the inode cache forgets, the barrier holds */
	drop_caches();
	EXPECT_EQ(STOPPED, escape(self->fd, 4908, self->guest, double_chroot, self->top));
	/* the host passes its own barrier */
	EXPECT_EQ(ESCAPED, escape(self->fd, 0, self->guest, double_chroot, self->top));
}

TEST_F(barrier, fchdir_to_a_directory_opened_before)
{
	EXPECT_EQ(ESCAPED, escape(self->fd, 0, self->guest, fchdir_out, self->top));
	EXPECT_EQ(ESCAPED, escape(self->fd, 4903, self->guest, fchdir_out, self->top));
	ASSERT_EQ(0, set_iattr(self->fd, self->vservers, IATTR_BARRIER, IATTR_BARRIER));
	EXPECT_EQ(STOPPED, escape(self->fd, 4904, self->guest, fchdir_out, self->top));
}

/* In context @xid (1: the spectator), what may be done to @dir? */
static int probe_dir(int fd, uint32_t xid, const char *dir)
{
	struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };
	char path[160];
	pid_t pid = fork();
	struct stat st;
	DIR *d;
	int f;

	if (pid == 0) {
		if (xid == VX_WATCH_XID ?
		    vs_call(fd, VCMD_ctx_migrate, 1, NULL, 0) < 0 :
		    xid && vs_call(fd, VCMD_ctx_create, xid, &create,
				   sizeof(create)) != xid)
			_exit(SETUP_FAILED);
		snprintf(path, sizeof(path), "%s/newfile", dir);
		d = opendir(dir);
		f = open(path, O_CREAT | O_WRONLY, 0600);
		if (f >= 0) {
			close(f);
			unlink(path);
		}
		/* bit 0: listed, bit 1: created, bit 2: stat works */
		_exit((d != NULL) | (f >= 0) << 1 | (stat(dir, &st) == 0) << 2);
	}
	return vs_wait(pid);
}

TEST_F(barrier, who_may_pass)
{
	EXPECT_EQ(7, probe_dir(self->fd, 4905, self->vservers));
	ASSERT_EQ(0, set_iattr(self->fd, self->vservers, IATTR_BARRIER, IATTR_BARRIER));
	EXPECT_EQ(7, probe_dir(self->fd, 0, self->vservers));
	/* a context: neither list nor create; stat still answers */
	EXPECT_EQ(4, probe_dir(self->fd, 4906, self->vservers));
	/* the spectator looks but does not touch */
	EXPECT_EQ(5, probe_dir(self->fd, VX_WATCH_XID, self->vservers));
}

TEST_F(barrier, get_set_iattr)
{
	uint32_t flags = ~0u, mask = 0, value = 0;
	pid_t pid;

	/* (IATTR_TAG too: the scratch disk keeps project ids, files.md) */
	ASSERT_EQ(0, get_iattr(self->fd, self->vservers, &flags, &mask));
	EXPECT_EQ(0, flags);
	EXPECT_EQ(IATTR_BARRIER | IATTR_IMMUTABLE, mask & ~IATTR_TAG);
	/* a regular file takes no barrier: refused, nothing changes */
	EXPECT_EQ(-EINVAL, set_iattr(self->fd, self->secret, IATTR_BARRIER, IATTR_BARRIER));
	ASSERT_EQ(0, get_iattr(self->fd, self->secret, &flags, &mask));
	EXPECT_EQ(0, flags);
	EXPECT_EQ(IATTR_IMMUTABLE | IATTR_IXUNLINK, mask & ~IATTR_TAG);
	/* nor does a directory take iunlink, nor anything the ADMIN bits */
	EXPECT_EQ(-EINVAL, set_iattr(self->fd, self->vservers, IATTR_IXUNLINK, IATTR_IXUNLINK));
	EXPECT_EQ(-EINVAL, set_iattr(self->fd, self->secret, IATTR_HIDE, IATTR_HIDE));
	EXPECT_EQ(-ENOENT, set_iattr(self->fd, "/nonexistent", IATTR_BARRIER, IATTR_BARRIER));

	ASSERT_EQ(0, set_iattr(self->fd, self->vservers, IATTR_BARRIER, IATTR_BARRIER));
	ASSERT_EQ(0, get_iattr(self->fd, self->vservers, &flags, &mask));
	EXPECT_EQ(IATTR_BARRIER, flags);
	/* kept as a little-endian word in security.vserver */
	ASSERT_EQ(4, getxattr(self->vservers, "security.vserver", &value, 4));
	EXPECT_EQ(IATTR_BARRIER, le32toh(value));

	/* no context may change it, neither by command nor by setxattr */
	pid = fork();
	if (pid == 0) {
		struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };

		if (vs_call(self->fd, VCMD_ctx_create, 4907, &create,
			    sizeof(create)) != 4907)
			_exit(SETUP_FAILED);
		if (set_iattr(self->fd, self->vservers, 0, IATTR_BARRIER) != -EPERM)
			_exit(1);
		if (!removexattr(self->vservers, "security.vserver") ||
		    errno != EPERM)
			_exit(2);
		value = 0;
		if (!setxattr(self->vservers, "security.vserver", &value, 4, 0) ||
		    errno != EPERM)
			_exit(3);
		_exit(0);
	}
	EXPECT_EQ(0, vs_wait(pid));
	ASSERT_EQ(0, get_iattr(self->fd, self->vservers, &flags, &mask));
	EXPECT_EQ(IATTR_BARRIER, flags);

	/* clearing it removes the attribute */
	ASSERT_EQ(0, set_iattr(self->fd, self->vservers, 0, IATTR_BARRIER));
	EXPECT_EQ(-1, getxattr(self->vservers, "security.vserver", &value, 4));
	EXPECT_EQ(ENODATA, errno);
}

/*
 * What can be done to the file @path and its directory: one bit per
 * operation that worked (write, truncate, chmod, setxattr, link, rename,
 * unlink; each undone where it worked).
 */
#define DID_WRITE	0x01
#define DID_TRUNCATE	0x02
#define DID_CHMOD	0x04
#define DID_XATTR	0x08
#define DID_LINK	0x10
#define DID_RENAME	0x20
#define DID_UNLINK	0x40
#define DID_ALL		0x7f

static int changes(const char *path)
{
	char other[192];
	int f, did = 0;

	snprintf(other, sizeof(other), "%s.other", path);
	f = open(path, O_WRONLY | O_APPEND);
	if (f >= 0 && write(f, "x", 1) == 1)
		did |= DID_WRITE;
	if (f >= 0)
		close(f);
	if (!truncate(path, 0))
		did |= DID_TRUNCATE;
	if (!chmod(path, 0640))
		did |= DID_CHMOD;
	if (!setxattr(path, "user.vs", "1", 1, 0))
		did |= DID_XATTR;
	if (!link(path, other)) {
		did |= DID_LINK;
		unlink(other);
	}
	if (!rename(path, other)) {
		did |= DID_RENAME;
		rename(other, path);
	}
	if (!unlink(path))
		did |= DID_UNLINK;
	return did;
}

TEST_F(barrier, immutable_file_changes_for_nobody)
{
	char path[160], kept[192], buf[8];
	int f;

	snprintf(path, sizeof(path), "%s/immutable", self->guest);
	f = open(path, O_CREAT | O_WRONLY, 0644);
	ASSERT_LE(0, f);
	close(f);
	/* a plain file: everything works (and the file is gone) */
	EXPECT_EQ(DID_ALL, changes(path));

	f = open(path, O_CREAT | O_WRONLY, 0644);
	ASSERT_LE(0, f);
	ASSERT_EQ(1, write(f, "y", 1));
	close(f);
	ASSERT_EQ(0, set_iattr(self->fd, path, IATTR_IMMUTABLE, IATTR_IMMUTABLE));
	/* immutable: not even root on the host changes it, reading works */
	EXPECT_EQ(0, changes(path));
	f = open(path, O_RDONLY);
	EXPECT_LE(0, f);
	close(f);
	EXPECT_EQ(-EPERM, access(path, W_OK) ? -errno : 0);

	/*
	 * immutable + iunlink (a unified file): names may come and go, the
	 * file stays; opening it for writing gives the name a private copy
	 * (files.md), which then changes as any file does
	 */
	ASSERT_EQ(0, set_iattr(self->fd, path, IATTR_IXUNLINK, IATTR_IXUNLINK));
	snprintf(kept, sizeof(kept), "%s.kept", path);
	ASSERT_EQ(0, link(path, kept));
	EXPECT_EQ(DID_ALL, changes(path));
	f = open(kept, O_RDONLY);
	ASSERT_LE(0, f);
	EXPECT_EQ(1, read(f, buf, sizeof(buf)));
	EXPECT_EQ('y', buf[0]);
	close(f);
	EXPECT_EQ(0, truncate(kept, 0) ? 0 : -1);
	EXPECT_EQ(0, unlink(kept));
}

TEST_F(barrier, immutable_directory_keeps_its_entries)
{
	char dir[160], path[192], other[192];
	int f;

	snprintf(dir, sizeof(dir), "%s/idir", self->guest);
	snprintf(path, sizeof(path), "%s/entry", dir);
	snprintf(other, sizeof(other), "%s/other", dir);
	ASSERT_EQ(0, mkdir(dir, 0755));
	f = open(path, O_CREAT | O_WRONLY, 0644);
	ASSERT_LE(0, f);
	close(f);
	ASSERT_EQ(0, set_iattr(self->fd, dir, IATTR_IMMUTABLE, IATTR_IMMUTABLE));
	EXPECT_EQ(-1, unlink(path));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, open(other, O_CREAT | O_WRONLY, 0644));
	EXPECT_EQ(-1, rename(path, other));
	EXPECT_EQ(-1, rmdir(dir));
	/* the file in it is not immutable itself */
	f = open(path, O_WRONLY);
	EXPECT_LE(0, f);
	close(f);
	ASSERT_EQ(0, set_iattr(self->fd, dir, 0, IATTR_IMMUTABLE));
	EXPECT_EQ(0, unlink(path));
	EXPECT_EQ(0, rmdir(dir));
}

TEST_HARNESS_MAIN
