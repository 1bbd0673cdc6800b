// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: files of contexts - tags, disk limits, unified files.
 *
 * Each test makes its own small ext4 filesystem with project quota (the
 * tag is the project id) in a file on /scratch and loop-mounts it, once
 * with "tag" and, where a test shows what happens without the
 * protection, once more without it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>

#include "kselftest_harness.h"
#include "vs_test.h"

#define ALLOWED		10
#define DENIED		11
#define SETUP_FAILED	13

#define BIT_CAP(c)	(1ULL << (c))
#define COW_FLAGS	(IATTR_IMMUTABLE | IATTR_IXUNLINK)

FIXTURE(files) {
	int fd;
	char dir[64];		/* holds the images */
	char mnt[96];		/* the tagged mount */
	char plain[96];		/* the same kind of fs, no "tag" */
};

/* Make an ext4 image @img (extra mke2fs options @opts) and mount it */
static int make_fs(const char *dir, const char *name, const char *opts,
		   const char *mntopts, char *mnt, size_t len)
{
	char cmd[512];

	snprintf(mnt, len, "%s/%s", dir, name);
	if (mkdir(mnt, 0755))
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "/usr/sbin/mke2fs -q -F -t ext4 -I 256 -b 1024 %s %s.img 16M >/dev/null && "
		 "mount -o loop%s%s %s.img %s",
		 opts, mnt, *mntopts ? "," : "", mntopts, mnt, mnt);
	return system(cmd) ? -1 : 0;
}

static void drop_fs(const char *mnt)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "umount -d %s 2>/dev/null; rm -f %s.img",
		 mnt, mnt);
	if (system(cmd))
		return;
	rmdir(mnt);
}

/* e2fsck -fn of an unmounted image: 0 when the filesystem is clean */
static int fsck_image(const char *mnt)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "umount -d %s && /usr/sbin/e2fsck -fn %s.img >/dev/null",
		 mnt, mnt);
	return system(cmd);
}

FIXTURE_SETUP(files)
{
	self->fd = vs_open();
	ASSERT_LE(0, self->fd);
	if (!vs_exists("/scratch/lost+found"))
		SKIP(return, "no scratch disk on /scratch");
	if (system("test -x /usr/sbin/mke2fs && test -x /usr/sbin/e2fsck"))
		SKIP(return, "no mke2fs/e2fsck in the guest");
	strcpy(self->dir, "/scratch/vs-files-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, make_fs(self->dir, "tagged", "-O quota,project", "tag",
			     self->mnt, sizeof(self->mnt)));
	ASSERT_EQ(0, make_fs(self->dir, "plain", "-O quota,project", "",
			     self->plain, sizeof(self->plain)));
	ASSERT_EQ(0, chmod(self->mnt, 0777));
	ASSERT_EQ(0, chmod(self->plain, 0777));
}

FIXTURE_TEARDOWN(files)
{
	drop_fs(self->mnt);
	drop_fs(self->plain);
	rmdir(self->dir);
	close(self->fd);
}

static long get_tag(int fd, const char *path, uint32_t *mask)
{
	struct vcmd_ctx_iattr_v1 a = { .name = (uintptr_t)path };
	long ret = vs_call(fd, VCMD_get_iattr, 0, &a, sizeof(a));

	if (ret)
		return ret;
	if (mask)
		*mask = a.mask;
	return a.mask & IATTR_TAG ? (long)a.tag : -EOPNOTSUPP;
}

static long set_iattr(int fd, const char *path, uint32_t tag, uint32_t flags,
		      uint32_t mask)
{
	struct vcmd_ctx_iattr_v1 a = {
		.name = (uintptr_t)path, .tag = tag, .flags = flags, .mask = mask,
	};

	return vs_call(fd, VCMD_set_iattr, 0, &a, sizeof(a));
}

static uint32_t get_flags(int fd, const char *path)
{
	struct vcmd_ctx_iattr_v1 a = { .name = (uintptr_t)path };

	return vs_call(fd, VCMD_get_iattr, 0, &a, sizeof(a)) ? ~0U : a.flags;
}

/*
 * In a child: create context @xid without CAP_SYS_RESOURCE (a guest's
 * root must not pass quota limits), end its setup and return fn(arg) as
 * the child's exit status.
 */
static int in_context(int fd, uint32_t xid, int (*fn)(void *), void *arg)
{
	struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };
	struct vcmd_bcaps b = { .bcaps = 0, .bmask = BIT_CAP(CAP_SYS_RESOURCE) };
	struct vcmd_ctx_flags_v0 f = { .flagword = 0, .mask = VXF_STATE_SETUP };
	pid_t pid = fork();

	if (pid == 0) {
		if (vs_call(fd, VCMD_ctx_create, xid, &create,
			    sizeof(create)) != xid ||
		    vs_call(fd, VCMD_set_bcaps, xid, &b, sizeof(b)) ||
		    vs_call(fd, VCMD_set_cflags, xid, &f, sizeof(f)))
			_exit(SETUP_FAILED);
		_exit(fn(arg));
	}
	return vs_wait(pid);
}

static int write_file(const char *path, const char *data, int flags)
{
	int f = open(path, O_WRONLY | flags, 0644);
	ssize_t n;

	if (f < 0)
		return -errno;
	n = write(f, data, strlen(data));
	close(f);
	return n == (ssize_t)strlen(data) ? 0 : -EIO;
}

static int create_file(void *path)
{
	return write_file(path, "data\n", O_CREAT | O_TRUNC) ? DENIED : ALLOWED;
}

static int create_dir(void *path)
{
	return mkdir(path, 0755) ? DENIED : ALLOWED;
}

static int read_file(void *path)
{
	int f = open(path, O_RDONLY);

	if (f < 0)
		return DENIED;
	close(f);
	return ALLOWED;
}

static int read_file_ok(const char *path, char *buf, size_t len)
{
	int f = open(path, O_RDONLY);
	ssize_t n;

	if (f < 0)
		return -1;
	n = read(f, buf, len - 1);
	close(f);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

static int cat_path(char *out, size_t len, const char *dir, const char *name)
{
	return snprintf(out, len, "%s/%s", dir, name) >= (int)len ? -1 : 0;
}

TEST_F(files, tag_option_shows_in_mounts_and_needs_project_ids)
{
	char line[512], noproj[96];
	int found_tagged = 0, found_plain_tag = 0;
	FILE *f = fopen("/proc/mounts", "r");

	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, self->mnt) && strstr(line, ",tag"))
			found_tagged = 1;
		if (strstr(line, self->plain) && strstr(line, ",tag"))
			found_plain_tag = 1;
	}
	fclose(f);
	EXPECT_EQ(1, found_tagged);
	EXPECT_EQ(0, found_plain_tag);

	/* tmpfs keeps no project ids: refused */
	ASSERT_EQ(0, cat_path(noproj, sizeof(noproj), self->dir, "tmp"));
	ASSERT_EQ(0, mkdir(noproj, 0755));
	EXPECT_EQ(0, mount("vs-tmp", noproj, "tmpfs", 0, NULL));
	EXPECT_EQ(0, umount(noproj));
	EXPECT_EQ(-1, mount("vs-tmp", noproj, "tmpfs", 0, "tag"));
	EXPECT_EQ(EINVAL, errno);
	rmdir(noproj);
	/* ext4 without the project feature: refused too */
	EXPECT_NE(0, make_fs(self->dir, "noproj", "-O ^project", "tag",
			     noproj, sizeof(noproj)));
	drop_fs(noproj);
}

static int fsconfig_flag(void *key)
{
	int fs = syscall(SYS_fsopen, "ext4", FSOPEN_CLOEXEC);
	int ret;

	if (fs < 0)
		return SETUP_FAILED;
	ret = syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, key, NULL, 0);
	close(fs);
	return ret == 0 ? ALLOWED : errno == EPERM ? DENIED : SETUP_FAILED;
}

TEST_F(files, only_the_host_sets_the_tag_options)
{
	pid_t pid;

	pid = fork();
	if (pid == 0)
		_exit(fsconfig_flag("notagcheck"));
	EXPECT_EQ(ALLOWED, vs_wait(pid));
	EXPECT_EQ(DENIED, in_context(self->fd, 5201, fsconfig_flag, "notagcheck"));
	EXPECT_EQ(DENIED, in_context(self->fd, 5202, fsconfig_flag, "tag"));
}

TEST_F(files, new_files_get_their_creators_tag)
{
	char path[160], dir[160], plain[160];
	uint32_t mask;

	/* the host's files: untagged */
	ASSERT_EQ(0, cat_path(path, sizeof(path), self->mnt, "host"));
	ASSERT_EQ(ALLOWED, create_file(path));
	EXPECT_EQ(0, get_tag(self->fd, path, &mask));
	EXPECT_TRUE(mask & IATTR_TAG);

	ASSERT_EQ(0, cat_path(path, sizeof(path), self->mnt, "guest"));
	ASSERT_EQ(ALLOWED, in_context(self->fd, 5203, create_file, path));
	EXPECT_EQ(5203, get_tag(self->fd, path, NULL));
	ASSERT_EQ(0, cat_path(dir, sizeof(dir), self->mnt, "guestdir"));
	ASSERT_EQ(ALLOWED, in_context(self->fd, 5203, create_dir, dir));
	EXPECT_EQ(5203, get_tag(self->fd, dir, NULL));

	/* the same in a filesystem mounted without "tag": no tag */
	ASSERT_EQ(0, cat_path(plain, sizeof(plain), self->plain, "guest"));
	ASSERT_EQ(ALLOWED, in_context(self->fd, 5204, create_file, plain));
	EXPECT_EQ(0, get_tag(self->fd, plain, NULL));

	/* tmpfs keeps no tags: IATTR_TAG is not in the mask */
	EXPECT_EQ(-EOPNOTSUPP, get_tag(self->fd, "/tmp", &mask));
	EXPECT_FALSE(mask & IATTR_TAG);
}

TEST_F(files, a_context_reaches_its_own_and_untagged_files_only)
{
	char own[160], other[160], shared[160], plain[160];

	ASSERT_EQ(0, cat_path(own, sizeof(own), self->mnt, "own"));
	ASSERT_EQ(0, cat_path(other, sizeof(other), self->mnt, "other"));
	ASSERT_EQ(0, cat_path(shared, sizeof(shared), self->mnt, "shared"));
	ASSERT_EQ(0, cat_path(plain, sizeof(plain), self->plain, "other"));
	ASSERT_EQ(ALLOWED, create_file(own));
	ASSERT_EQ(ALLOWED, create_file(other));
	ASSERT_EQ(ALLOWED, create_file(shared));
	ASSERT_EQ(ALLOWED, create_file(plain));
	ASSERT_EQ(0, set_iattr(self->fd, own, 5205, 0, IATTR_TAG));
	ASSERT_EQ(0, set_iattr(self->fd, other, 5206, 0, IATTR_TAG));
	ASSERT_EQ(0, set_iattr(self->fd, plain, 5206, 0, IATTR_TAG));

	/* without "tag", another context's file is just a file */
	EXPECT_EQ(ALLOWED, in_context(self->fd, 5205, read_file, plain));
	/* with it: its own and the untagged ones only */
	EXPECT_EQ(ALLOWED, in_context(self->fd, 5205, read_file, own));
	EXPECT_EQ(ALLOWED, in_context(self->fd, 5205, read_file, shared));
	EXPECT_EQ(DENIED, in_context(self->fd, 5205, read_file, other));
	EXPECT_EQ(ALLOWED, in_context(self->fd, 5206, read_file, other));
	/* the host reaches everything */
	EXPECT_EQ(ALLOWED, read_file(other));

	/* "notagcheck" (host only) turns the rule off */
	ASSERT_EQ(0, mount(NULL, self->mnt, NULL, MS_REMOUNT, "notagcheck"));
	EXPECT_EQ(ALLOWED, in_context(self->fd, 5205, read_file, other));
}

static int retag_own_file(void *path)
{
	struct fsxattr fa;
	int f = open(path, O_RDONLY), ret;

	if (f < 0)
		return SETUP_FAILED;
	if (ioctl(f, FS_IOC_FSGETXATTR, &fa)) {
		close(f);
		return SETUP_FAILED;
	}
	fa.fsx_projid = 0;
	ret = ioctl(f, FS_IOC_FSSETXATTR, &fa);
	close(f);
	return ret == 0 ? ALLOWED : errno == EPERM ? DENIED : SETUP_FAILED;
}

static int chown_file(void *path)
{
	return chown(path, 65534, 65534) ? DENIED : ALLOWED;
}

TEST_F(files, a_context_cannot_retag_its_files)
{
	char path[160], plain[160];

	ASSERT_EQ(0, cat_path(path, sizeof(path), self->mnt, "mine"));
	ASSERT_EQ(0, cat_path(plain, sizeof(plain), self->plain, "mine"));
	ASSERT_EQ(ALLOWED, in_context(self->fd, 5207, create_file, path));
	ASSERT_EQ(ALLOWED, create_file(plain));
	ASSERT_EQ(0, set_iattr(self->fd, plain, 5207, 0, IATTR_TAG));

	/* the ioctl that would move a file out of its quota works... */
	EXPECT_EQ(ALLOWED, in_context(self->fd, 5207, retag_own_file, plain));
	EXPECT_EQ(0, get_tag(self->fd, plain, NULL));
	/* ...but not on a tagged filesystem */
	EXPECT_EQ(DENIED, in_context(self->fd, 5207, retag_own_file, path));
	EXPECT_EQ(5207, get_tag(self->fd, path, NULL));
	/* chown keeps the tag */
	EXPECT_EQ(ALLOWED, in_context(self->fd, 5207, chown_file, path));
	EXPECT_EQ(5207, get_tag(self->fd, path, NULL));
}

static int tag_migrate_and_create(void *path)
{
	int fd = vs_open();

	if (vs_call(fd, VCMD_tag_migrate, 5290, NULL, 0))
		return SETUP_FAILED;
	if (vs_call(fd, VCMD_task_tag, 0, NULL, 0) != 5290)
		return SETUP_FAILED;
	return create_file(path);
}

static int tag_migrate_in_context(void *arg)
{
	int fd = vs_open();

	return vs_call(fd, VCMD_tag_migrate, 5291, NULL, 0) == -EPERM ?
	       DENIED : ALLOWED;
}

TEST_F(files, tags_change_by_the_host_only_and_bad_tags_change_nothing)
{
	char path[160], link[160];
	pid_t pid;

	ASSERT_EQ(0, cat_path(path, sizeof(path), self->mnt, "f"));
	ASSERT_EQ(0, cat_path(link, sizeof(link), self->mnt, "l"));
	ASSERT_EQ(ALLOWED, create_file(path));
	ASSERT_EQ(0, symlink("f", link));

	EXPECT_EQ(0, set_iattr(self->fd, path, 5208, 0, IATTR_TAG));
	EXPECT_EQ(5208, get_tag(self->fd, path, NULL));
	EXPECT_EQ(-EINVAL, set_iattr(self->fd, path, VX_MAX_TAG + 1, 0, IATTR_TAG));
	EXPECT_EQ(-EINVAL, set_iattr(self->fd, link, 5208, 0, IATTR_TAG));
	EXPECT_EQ(-EINVAL, set_iattr(self->fd, "/tmp", 5208, 0, IATTR_TAG));
	EXPECT_EQ(-ENOENT, set_iattr(self->fd, "/nonexistent", 5208, 0, IATTR_TAG));
	EXPECT_EQ(5208, get_tag(self->fd, path, NULL));

	/* the caller's tag: its xid in a context, else what the host set */
	EXPECT_EQ(0, vs_call(self->fd, VCMD_task_tag, 0, NULL, 0));
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_tag_migrate, VX_MAX_TAG + 1,
				   NULL, 0));
	EXPECT_EQ(0, vs_call(self->fd, VCMD_task_tag, 0, NULL, 0));
	ASSERT_EQ(0, cat_path(path, sizeof(path), self->mnt, "migrated"));
	pid = fork();
	if (pid == 0)
		_exit(tag_migrate_and_create(path));
	EXPECT_EQ(ALLOWED, vs_wait(pid));
	EXPECT_EQ(5290, get_tag(self->fd, path, NULL));
	EXPECT_EQ(DENIED, in_context(self->fd, 5209, tag_migrate_in_context, NULL));
}

/* Write @arg (a path) 64 KiB at a time until it fails: the errno */
static int fill_file(void *path)
{
	static char buf[65536];
	int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int i, err = 0;

	if (f < 0)
		return errno == EDQUOT ? DENIED : SETUP_FAILED;
	memset(buf, 'x', sizeof(buf));
	for (i = 0; i < 64 && !err; i++) {		/* up to 4 MiB */
		ssize_t done = 0, n;

		/* a write that reaches the limit is short; the next fails */
		while (done < (ssize_t)sizeof(buf) && !err) {
			n = write(f, buf + done, sizeof(buf) - done);
			if (n < 0)
				err = errno;
			else
				done += n;
		}
	}
	if (!err && fsync(f))
		err = errno;
	close(f);
	if (err && err != EDQUOT)
		fprintf(stderr, "fill_file: %s\n", strerror(err));
	return !err ? ALLOWED : err == EDQUOT ? DENIED : SETUP_FAILED;
}

static int make_inodes(void *dir)
{
	char path[200];
	int i, f;

	for (i = 0; i < 100; i++) {
		snprintf(path, sizeof(path), "%s/i%d", (char *)dir, i);
		f = open(path, O_CREAT | O_WRONLY, 0644);
		if (f < 0)
			return errno == EDQUOT ? DENIED : SETUP_FAILED;
		close(f);
	}
	return ALLOWED;
}

/* statfs() of @arg in the context: f_blocks * f_bsize in KiB */
static int statfs_mib(void *path)
{
	struct statfs st;

	if (statfs(path, &st))
		return SETUP_FAILED;
	/* exit codes are 8 bits: the size in MiB, rounded */
	return (int)((unsigned long long)st.f_blocks * st.f_bsize / 1048576);
}

static long dlimit(int fd, uint32_t cmd, uint32_t tag, const char *path,
		   struct vcmd_ctx_dlimit_v0 *d)
{
	struct vcmd_ctx_dlimit_base_v0 b = { .name = (uintptr_t)path };

	if (cmd == VCMD_add_dlimit || cmd == VCMD_rem_dlimit)
		return vs_call(fd, cmd, tag, &b, sizeof(b));
	d->name = (uintptr_t)path;
	return vs_call(fd, cmd, tag, d, sizeof(*d));
}

static struct vcmd_ctx_dlimit_v0 keep_all(void)
{
	struct vcmd_ctx_dlimit_v0 d = {
		.space_used = CDLIM_KEEP, .space_total = CDLIM_KEEP,
		.inodes_used = CDLIM_KEEP, .inodes_total = CDLIM_KEEP,
		.reserved = CDLIM_KEEP,
	};

	return d;
}

/*
 * It writes about 16 MiB through ext4 and the quota code: under KASAN and
 * TCG on a loaded host that took more than the harness's default 30 s
 * once.  The timeout only guards against a hang.
 */
TEST_F_TIMEOUT(files, a_disk_limit_stops_the_context_at_its_size, 300)
{
	struct vcmd_ctx_dlimit_v0 d = keep_all();
	char big[160], host[160], dir[160];

	ASSERT_EQ(0, cat_path(big, sizeof(big), self->mnt, "big"));
	ASSERT_EQ(0, cat_path(host, sizeof(host), self->mnt, "host"));
	ASSERT_EQ(0, cat_path(dir, sizeof(dir), self->mnt, "inodes"));
	ASSERT_EQ(0, mkdir(dir, 0777));
	ASSERT_EQ(0, set_iattr(self->fd, dir, 5210, 0, IATTR_TAG));

	/* no limit yet: 4 MiB fit, and df shows the whole 16 MiB disk */
	EXPECT_EQ(ALLOWED, in_context(self->fd, 5210, fill_file, big));
	EXPECT_LE(10, in_context(self->fd, 5210, statfs_mib, self->mnt));
	ASSERT_EQ(0, unlink(big));

	ASSERT_EQ(0, dlimit(self->fd, VCMD_add_dlimit, 5210, self->mnt, NULL));
	EXPECT_EQ(-EEXIST, dlimit(self->fd, VCMD_add_dlimit, 5210, self->mnt, NULL));
	d.space_total = 2048;
	d.inodes_total = 40;
	d.reserved = 5;
	ASSERT_EQ(0, dlimit(self->fd, VCMD_set_dlimit, 5210, self->mnt, &d));

	EXPECT_EQ(DENIED, in_context(self->fd, 5210, fill_file, big));
	EXPECT_EQ(DENIED, in_context(self->fd, 5210, make_inodes, dir));
	/* df in the context: its 2 MiB */
	EXPECT_EQ(2, in_context(self->fd, 5210, statfs_mib, self->mnt));
	/* the host and other contexts go on */
	EXPECT_EQ(ALLOWED, fill_file(host));
	EXPECT_LE(10, statfs_mib(self->mnt));

	d = keep_all();
	ASSERT_EQ(0, dlimit(self->fd, VCMD_get_dlimit, 5210, self->mnt, &d));
	EXPECT_EQ(2048, d.space_total);
	EXPECT_LE(1900, d.space_used);
	EXPECT_GE(2048, d.space_used);
	EXPECT_EQ(40, d.inodes_total);
	EXPECT_LE(39, d.inodes_used);	/* the directory and its files */
	EXPECT_EQ(5, d.reserved);

	/* removed: the context fills the disk again */
	ASSERT_EQ(0, unlink(big));
	ASSERT_EQ(0, dlimit(self->fd, VCMD_rem_dlimit, 5210, self->mnt, NULL));
	EXPECT_EQ(-ESRCH, dlimit(self->fd, VCMD_rem_dlimit, 5210, self->mnt, NULL));
	EXPECT_EQ(ALLOWED, in_context(self->fd, 5210, fill_file, big));
}

TEST_F(files, bad_disk_limits_change_nothing)
{
	struct vcmd_ctx_dlimit_v0 d = keep_all(), got = keep_all();
	char big[160];

	ASSERT_EQ(0, cat_path(big, sizeof(big), self->mnt, "used"));
	ASSERT_EQ(ALLOWED, in_context(self->fd, 5211, fill_file, big));

	EXPECT_EQ(-ESRCH, dlimit(self->fd, VCMD_set_dlimit, 5211, self->mnt, &d));
	EXPECT_EQ(-ESRCH, dlimit(self->fd, VCMD_get_dlimit, 5211, self->mnt, &d));
	EXPECT_EQ(-EINVAL, dlimit(self->fd, VCMD_add_dlimit, 0, self->mnt, NULL));
	EXPECT_EQ(-EINVAL, dlimit(self->fd, VCMD_add_dlimit, VX_MAX_TAG + 1,
				  self->mnt, NULL));
	EXPECT_EQ(-EOPNOTSUPP, dlimit(self->fd, VCMD_add_dlimit, 5211, "/tmp", NULL));
	EXPECT_EQ(-ENOENT, dlimit(self->fd, VCMD_add_dlimit, 5211,
				  "/nonexistent", NULL));
	ASSERT_EQ(0, dlimit(self->fd, VCMD_add_dlimit, 5211, self->mnt, NULL));
	d.space_total = 8192;
	ASSERT_EQ(0, dlimit(self->fd, VCMD_set_dlimit, 5211, self->mnt, &d));

	d = keep_all();
	d.reserved = 101;
	EXPECT_EQ(-EINVAL, dlimit(self->fd, VCMD_set_dlimit, 5211, self->mnt, &d));
	d = keep_all();
	d.space_total = 1024;		/* it uses 4 MiB */
	EXPECT_EQ(-EINVAL, dlimit(self->fd, VCMD_set_dlimit, 5211, self->mnt, &d));
	d = keep_all();
	d.flags = 1;
	EXPECT_EQ(-EINVAL, dlimit(self->fd, VCMD_set_dlimit, 5211, self->mnt, &d));
	d = keep_all();
	d.name = 1;			/* a bad pointer */
	EXPECT_EQ(-EFAULT, vs_call(self->fd, VCMD_set_dlimit, 5211, &d, sizeof(d)));

	ASSERT_EQ(0, dlimit(self->fd, VCMD_get_dlimit, 5211, self->mnt, &got));
	EXPECT_EQ(8192, got.space_total);
	EXPECT_EQ(CDLIM_INFINITY, got.inodes_total);
	EXPECT_EQ(0, got.reserved);
	EXPECT_EQ(0, dlimit(self->fd, VCMD_rem_dlimit, 5211, self->mnt, NULL));
}

/* g1/name and g2/name: one inode with @data, unified unless !unify */
static int make_unified(int fd, const char *mnt, const char *name,
			const char *data, int unify, char *p1, char *p2,
			size_t len)
{
	char d1[120], d2[120];

	snprintf(d1, sizeof(d1), "%s/g1", mnt);
	snprintf(d2, sizeof(d2), "%s/g2", mnt);
	mkdir(d1, 0777);
	mkdir(d2, 0777);
	snprintf(p1, len, "%s/%s", d1, name);
	snprintf(p2, len, "%s/%s", d2, name);
	if (write_file(p1, data, O_CREAT | O_TRUNC) || link(p1, p2) ||
	    setxattr(p1, "user.kept", "yes", 3, 0) || chmod(p1, 0664))
		return -1;
	return unify ? set_iattr(fd, p1, 0, COW_FLAGS, COW_FLAGS) : 0;
}

static int append_x(void *path)
{
	return write_file(path, "x\n", O_APPEND) ? DENIED : ALLOWED;
}

static int truncate_open(void *path)
{
	return write_file(path, "new\n", O_TRUNC) ? DENIED : ALLOWED;
}

static int append_as_nobody(void *path)
{
	if (setgid(65534) || setuid(65534))
		return SETUP_FAILED;
	return append_x(path);
}

TEST_F(files, writing_a_unified_file_gives_the_writer_a_private_copy)
{
	char p1[160], p2[160], buf[64], attr[8];
	struct stat s1, s2, before;

	/* hard links without unification: a write shows in the other guest */
	ASSERT_EQ(0, make_unified(self->fd, self->plain, "f", "old\n", 0,
				  p1, p2, sizeof(p1)));
	EXPECT_EQ(ALLOWED, in_context(self->fd, 5212, append_x, p1));
	ASSERT_EQ(0, read_file_ok(p2, buf, sizeof(buf)));
	EXPECT_STREQ("old\nx\n", buf);

	/* unified: the writer gets its own copy, the other keeps the old */
	ASSERT_EQ(0, make_unified(self->fd, self->mnt, "f", "old\n", 1,
				  p1, p2, sizeof(p1)));
	ASSERT_EQ(0, stat(p2, &before));
	EXPECT_EQ(2, before.st_nlink);
	EXPECT_EQ(ALLOWED, in_context(self->fd, 5212, read_file, p1));
	ASSERT_EQ(0, stat(p1, &s1));
	EXPECT_EQ(before.st_ino, s1.st_ino);	/* reading breaks nothing */

	EXPECT_EQ(ALLOWED, in_context(self->fd, 5212, append_x, p1));
	ASSERT_EQ(0, stat(p1, &s1));
	ASSERT_EQ(0, stat(p2, &s2));
	EXPECT_NE(s1.st_ino, s2.st_ino);
	EXPECT_EQ(1, s1.st_nlink);
	EXPECT_EQ(1, s2.st_nlink);
	EXPECT_EQ(before.st_uid, s1.st_uid);
	EXPECT_EQ(0100664, s1.st_mode);
	ASSERT_EQ(0, read_file_ok(p1, buf, sizeof(buf)));
	EXPECT_STREQ("old\nx\n", buf);
	ASSERT_EQ(0, read_file_ok(p2, buf, sizeof(buf)));
	EXPECT_STREQ("old\n", buf);
	EXPECT_EQ(3, getxattr(p1, "user.kept", attr, sizeof(attr)));
	EXPECT_EQ(0, get_flags(self->fd, p1) & COW_FLAGS);
	EXPECT_EQ(COW_FLAGS, get_flags(self->fd, p2) & COW_FLAGS);
	EXPECT_EQ(5212, get_tag(self->fd, p1, NULL));
	EXPECT_EQ(0, get_tag(self->fd, p2, NULL));

	/* O_TRUNC breaks it too */
	ASSERT_EQ(0, make_unified(self->fd, self->mnt, "t", "old\n", 1,
				  p1, p2, sizeof(p1)));
	EXPECT_EQ(ALLOWED, in_context(self->fd, 5213, truncate_open, p2));
	ASSERT_EQ(0, read_file_ok(p2, buf, sizeof(buf)));
	EXPECT_STREQ("new\n", buf);
	ASSERT_EQ(0, read_file_ok(p1, buf, sizeof(buf)));
	EXPECT_STREQ("old\n", buf);

	/* a user who could not write the file gets no copy either */
	ASSERT_EQ(0, make_unified(self->fd, self->mnt, "n", "old\n", 1,
				  p1, p2, sizeof(p1)));
	ASSERT_EQ(0, stat(p1, &before));
	EXPECT_EQ(DENIED, in_context(self->fd, 5214, append_as_nobody, p1));
	ASSERT_EQ(0, stat(p1, &s1));
	EXPECT_EQ(before.st_ino, s1.st_ino);
	EXPECT_EQ(2, s1.st_nlink);

	/* and the shared file itself still cannot be changed in place */
	EXPECT_EQ(-1, truncate(p2, 0));
	EXPECT_EQ(EPERM, errno);
}

#define WRITERS 4

struct writers {
	const char *path;
	int go;			/* read end of the start pipe */
};

/* In one context: WRITERS tasks append a line each at the same moment */
static int append_lines(void *arg)
{
	struct writers *w = arg;
	pid_t pid[WRITERS];
	int i, ret = ALLOWED;
	char c, line[32];

	for (i = 0; i < WRITERS; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			if (read(w->go, &c, 1) != 1)
				_exit(SETUP_FAILED);
			snprintf(line, sizeof(line), "writer %d\n", i);
			_exit(write_file(w->path, line, O_APPEND) ?
			      DENIED : ALLOWED);
		}
	}
	for (i = 0; i < WRITERS; i++)
		if (vs_wait(pid[i]) != ALLOWED)
			ret = DENIED;
	return ret;
}

TEST_F(files, concurrent_writers_of_a_unified_file_keep_every_write)
{
	char p1[160], p2[160], buf[512], want[32];
	struct writers w;
	int go[2], i;
	pid_t pid;

	ASSERT_EQ(0, make_unified(self->fd, self->mnt, "c", "old\n", 1,
				  p1, p2, sizeof(p1)));
	ASSERT_EQ(0, pipe(go));
	w.path = p1;
	w.go = go[0];
	pid = fork();
	if (pid == 0)
		_exit(in_context(self->fd, 5220, append_lines, &w));
	usleep(300000);
	ASSERT_EQ(WRITERS, write(go[1], "gggg", WRITERS));
	EXPECT_EQ(ALLOWED, vs_wait(pid));
	close(go[0]);
	close(go[1]);

	ASSERT_EQ(0, read_file_ok(p1, buf, sizeof(buf)));
	EXPECT_EQ(0, strncmp(buf, "old\n", 4));
	for (i = 0; i < WRITERS; i++) {
		snprintf(want, sizeof(want), "writer %d\n", i);
		EXPECT_NE(NULL, strstr(buf, want));
	}
	ASSERT_EQ(0, read_file_ok(p2, buf, sizeof(buf)));
	EXPECT_STREQ("old\n", buf);

	/* no leftover temporary name, and the filesystem is clean */
	EXPECT_EQ(0, system("! ls -a /scratch/vs-files-*/tagged/g1 | grep -q vcow"));
	EXPECT_EQ(0, fsck_image(self->mnt));
}

TEST_HARNESS_MAIN
