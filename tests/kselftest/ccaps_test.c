// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: context capabilities (ccaps).
 *
 * Each context capability grants root of a context one slice of a
 * capability its bounding set lacks.  Every test runs the same operation
 * three or more ways: as root on the host (it works, so the test can
 * fail), in a context whose bounding set lacks the capability (refused),
 * the same with the context capability (allowed), and where the slice
 * must stop (a non-root user, the host's namespace, a remount of a
 * superblock, ...).
 */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/statvfs.h>

#include "kselftest_harness.h"
#include "vs_test.h"

#define BIT_CAP(c)	(1ULL << (c))

/* Exit codes of the children */
#define ALLOWED		0
#define DENIED		11	/* EPERM */
#define OTHER_ERROR	12
#define SETUP_FAILED	13
#define PLAIN_MOUNT	20	/* mounted, but with devices and setuid */

/* syslog(2) actions (include/linux/syslog.h) */
#define LOG_READ_ALL	3
#define LOG_CLEAR	5
#define LOG_CONSOLE_LEVEL 8
#define LOG_SIZE_BUFFER	10

FIXTURE(ccaps) {
	int fd;
};

FIXTURE_SETUP(ccaps)
{
	self->fd = vs_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(ccaps)
{
	close(self->fd);
}

static int verdict(int ret)
{
	if (ret >= 0)
		return ALLOWED;
	return errno == EPERM ? DENIED : OTHER_ERROR;
}

/* Where and as whom a probe runs */
struct place {
	uint32_t xid;		/* 0: on the host */
	uint64_t drop;		/* capabilities the context's bounding set lacks */
	uint64_t ccaps;		/* its context capabilities */
	uint64_t umask;		/* its unshare mask */
	int own_mnt_ns;		/* a private mount namespace, made by the host */
	uid_t uid;		/* then become this user */
};

/*
 * Run @probe(@arg) in a child placed as @p says; its exit code is the
 * probe's result (SETUP_FAILED if the place could not be made).
 */
static int run_in(int fd, const struct place *p, int (*probe)(void *),
		  void *arg)
{
	struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };
	struct vcmd_bcaps b = { 0, p->drop };
	struct vcmd_ctx_caps_v1 c = { p->ccaps, p->ccaps };
	struct vcmd_umask u = { p->umask, p->umask };
	struct vcmd_ctx_flags_v0 f = { 0, VXF_STATE_SETUP };
	pid_t pid = fork();

	if (pid == 0) {
		if (p->own_mnt_ns &&
		    (unshare(CLONE_NEWNS) ||
		     mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)))
			_exit(SETUP_FAILED);
		if (p->xid &&
		    (vs_call(fd, VCMD_ctx_create, p->xid, &create,
			     sizeof(create)) != p->xid ||
		     vs_call(fd, VCMD_set_bcaps, p->xid, &b, sizeof(b)) ||
		     (p->ccaps &&
		      vs_call(fd, VCMD_set_ccaps, p->xid, &c, sizeof(c))) ||
		     (p->umask &&
		      vs_call(fd, VCMD_set_umask, p->xid, &u, sizeof(u))) ||
		     vs_call(fd, VCMD_set_cflags, p->xid, &f, sizeof(f))))
			_exit(SETUP_FAILED);
		if (p->uid && setresuid(p->uid, p->uid, p->uid))
			_exit(SETUP_FAILED);
		_exit(probe(arg));
	}
	return vs_wait(pid);
}

/* --- SET_RLIMIT ----------------------------------------------------- */

/* Lower the hard limit of open files, then raise it back. */
static int raise_rlimit(void *arg)
{
	struct rlimit r, low;

	if (getrlimit(RLIMIT_NOFILE, &r))
		return OTHER_ERROR;
	low.rlim_cur = low.rlim_max = r.rlim_cur / 2;
	if (setrlimit(RLIMIT_NOFILE, &low))
		return OTHER_ERROR;
	return verdict(setrlimit(RLIMIT_NOFILE, &r));
}

TEST_F(ccaps, set_rlimit_raises_a_hard_limit)
{
	uint64_t drop = BIT_CAP(CAP_SYS_RESOURCE);
	struct place host = { 0 };
	struct place none = { 4860, drop, 0 };
	struct place ccap = { 4861, drop, VXC_SET_RLIMIT };
	struct place user = { 4862, drop, VXC_SET_RLIMIT, .uid = 1000 };
	struct place other = { 4863, drop, VXC_SET_UTSNAME | VXC_SYSLOG };

	EXPECT_EQ(ALLOWED, run_in(self->fd, &host, raise_rlimit, NULL));
	EXPECT_EQ(DENIED, run_in(self->fd, &none, raise_rlimit, NULL));
	EXPECT_EQ(ALLOWED, run_in(self->fd, &ccap, raise_rlimit, NULL));
	/* only root of the context, and only with this very ccap */
	EXPECT_EQ(DENIED, run_in(self->fd, &user, raise_rlimit, NULL));
	EXPECT_EQ(DENIED, run_in(self->fd, &other, raise_rlimit, NULL));
}

/* --- NAMESPACE ------------------------------------------------------ */

static int new_uts_ns(void *arg)
{
	return verdict(unshare(CLONE_NEWUTS));
}

TEST_F(ccaps, namespace_allows_what_the_unshare_mask_allows)
{
	uint64_t drop = BIT_CAP(CAP_SYS_ADMIN);
	struct place host = { 0 };
	struct place none = { 4865, drop, 0, VXU_NEWUTS };
	struct place ccap = { 4866, drop, VXC_NAMESPACE, VXU_NEWUTS };
	struct place mask = { 4867, drop, VXC_NAMESPACE, VXU_NEWIPC };
	struct place user = { 4868, drop, VXC_NAMESPACE, VXU_NEWUTS, .uid = 1000 };

	EXPECT_EQ(ALLOWED, run_in(self->fd, &host, new_uts_ns, NULL));
	/* the unshare mask allows it, but CAP_SYS_ADMIN is gone */
	EXPECT_EQ(DENIED, run_in(self->fd, &none, new_uts_ns, NULL));
	EXPECT_EQ(ALLOWED, run_in(self->fd, &ccap, new_uts_ns, NULL));
	/* the ccap does not widen the mask */
	EXPECT_EQ(DENIED, run_in(self->fd, &mask, new_uts_ns, NULL));
	EXPECT_EQ(DENIED, run_in(self->fd, &user, new_uts_ns, NULL));
}

/* --- SECURE_MOUNT, SECURE_REMOUNT ----------------------------------- */

#define MNT_DIR "/tmp/vs-ccap-mnt"

/*
 * Mount @arg (a filesystem type) on MNT_DIR; for a mount that worked,
 * ALLOWED only if it is nodev and nosuid, then unmount it.
 */
static int mount_type(void *arg)
{
	const char *type = arg;
	struct statvfs st;

	if (mount("vs-ccap", MNT_DIR, type, MS_NOATIME, NULL))
		return verdict(-1);
	if (statvfs(MNT_DIR, &st))
		return OTHER_ERROR;
	if (umount(MNT_DIR))
		return OTHER_ERROR;
	if ((st.f_flag & (ST_NODEV | ST_NOSUID)) != (ST_NODEV | ST_NOSUID))
		return PLAIN_MOUNT;
	return ALLOWED;
}

/* The block device that holds /scratch, or NULL */
static const char *scratch_device(void)
{
	static char dev[64];
	char mnt[128];
	FILE *f = fopen("/proc/mounts", "r");
	int found = 0;

	if (!f)
		return NULL;
	while (!found && fscanf(f, "%63s %127s %*s %*s %*d %*d", dev, mnt) == 2)
		found = !strcmp(mnt, "/scratch");
	fclose(f);
	return found ? dev : NULL;
}

static int mount_block_device(void *arg)
{
	return verdict(mount(arg, MNT_DIR, "ext4", 0, NULL));
}

TEST_F(ccaps, secure_mount_mounts_safe_filesystems_nodev_nosuid)
{
	uint64_t drop = BIT_CAP(CAP_SYS_ADMIN);
	struct place host = { 0, .own_mnt_ns = 1 };
	struct place none = { 4870, drop, 0, .own_mnt_ns = 1 };
	struct place ccap = { 4871, drop, VXC_SECURE_MOUNT, .own_mnt_ns = 1 };
	struct place shared = { 4872, drop, VXC_SECURE_MOUNT };
	struct place user = { 4873, drop, VXC_SECURE_MOUNT, .own_mnt_ns = 1,
			      .uid = 1000 };
	const char *dev = scratch_device();
	static const char * const safe[] = { "tmpfs", "proc", "devpts", "mqueue" };
	int i;

	mkdir(MNT_DIR, 0755);
	for (i = 0; i < 4; i++) {
		TH_LOG("%s", safe[i]);
		/* root of the host gets what it asks for */
		EXPECT_EQ(PLAIN_MOUNT, run_in(self->fd, &host, mount_type, (void *)safe[i]));
		EXPECT_EQ(DENIED, run_in(self->fd, &none, mount_type, (void *)safe[i]));
		EXPECT_EQ(ALLOWED, run_in(self->fd, &ccap, mount_type, (void *)safe[i]));
		/* never in the host's mount namespace, never for a user */
		EXPECT_EQ(DENIED, run_in(self->fd, &shared, mount_type, (void *)safe[i]));
		EXPECT_EQ(DENIED, run_in(self->fd, &user, mount_type, (void *)safe[i]));
	}
	/* what would reach the host: its sysfs, its disk */
	EXPECT_EQ(PLAIN_MOUNT, run_in(self->fd, &host, mount_type, "sysfs"));
	EXPECT_EQ(DENIED, run_in(self->fd, &ccap, mount_type, "sysfs"));
	if (dev) {
		EXPECT_EQ(ALLOWED, run_in(self->fd, &host, mount_block_device, (void *)dev));
		EXPECT_EQ(DENIED, run_in(self->fd, &ccap, mount_block_device, (void *)dev));
	}
	rmdir(MNT_DIR);
}

/* MNT_DIR holds a tmpfs mounted by the host: make it read-only (@arg 1:
 * as a mount, 0: its superblock), then check nothing can be created. */
static int remount_ro(void *arg)
{
	unsigned long flags = MS_REMOUNT | MS_RDONLY | (arg ? MS_BIND : 0);
	struct statvfs st;
	int f;

	if (mount(NULL, MNT_DIR, NULL, flags, NULL))
		return verdict(-1);
	f = open(MNT_DIR "/new", O_CREAT | O_WRONLY, 0600);
	if (f >= 0 || errno != EROFS)
		return OTHER_ERROR;
	if (statvfs(MNT_DIR, &st))
		return OTHER_ERROR;
	if ((st.f_flag & (ST_NODEV | ST_NOSUID)) != (ST_NODEV | ST_NOSUID))
		return PLAIN_MOUNT;
	return ALLOWED;
}

/* The host mounts a tmpfs on MNT_DIR in a mount namespace of its own,
 * then remount_ro(@as_mount) runs in the place @p. */
static int remount_test(int fd, const struct place *p, void *as_mount)
{
	struct place host = *p;
	pid_t pid;

	/* the tmpfs must be there before the child enters the context */
	pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount("vs-ccap", MNT_DIR, "tmpfs", 0, NULL))
			_exit(SETUP_FAILED);
		host.own_mnt_ns = 0;	/* made here, with the tmpfs in it */
		_exit(run_in(fd, &host, remount_ro, as_mount));
	}
	return vs_wait(pid);
}

TEST_F(ccaps, secure_remount_changes_mount_flags_only)
{
	uint64_t drop = BIT_CAP(CAP_SYS_ADMIN);
	struct place host = { 0 };
	struct place none = { 4875, drop, 0 };
	struct place ccap = { 4876, drop, VXC_SECURE_REMOUNT };
	struct place mount_only = { 4877, drop, VXC_SECURE_MOUNT };

	mkdir(MNT_DIR, 0755);
	EXPECT_EQ(PLAIN_MOUNT, remount_test(self->fd, &host, (void *)1));
	EXPECT_EQ(DENIED, remount_test(self->fd, &none, (void *)1));
	EXPECT_EQ(ALLOWED, remount_test(self->fd, &ccap, (void *)1));
	EXPECT_EQ(DENIED, remount_test(self->fd, &mount_only, (void *)1));
	/* a superblock may be the host's: never */
	EXPECT_EQ(PLAIN_MOUNT, remount_test(self->fd, &host, NULL));
	EXPECT_EQ(DENIED, remount_test(self->fd, &ccap, NULL));
	rmdir(MNT_DIR);
}

/* --- SYSLOG --------------------------------------------------------- */

/* Does the log syslog(2) reads contain @text?  1 yes, 0 no, -1 error */
static int log_has(const char *text)
{
	static char buf[1 << 17];
	int n = klogctl(LOG_READ_ALL, buf, sizeof(buf) - 1);

	if (n < 0)
		return -1;
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

static int kmsg_write(const char *line)
{
	int f = open("/dev/kmsg", O_WRONLY);
	int ok = f >= 0 && write(f, line, strlen(line)) == (ssize_t)strlen(line);

	if (f >= 0)
		close(f);
	return ok ? 0 : -1;
}

/* Read the host's log: ALLOWED if its marker @arg is there */
static int read_host_log(void *arg)
{
	int has = log_has(arg);

	if (has < 0)
		return verdict(-1);
	return has ? ALLOWED : OTHER_ERROR;
}

/*
 * With SYSLOG: the context's own log.  Not the host's marker @arg; what
 * the context writes to /dev/kmsg, in syslog(2) and /dev/kmsg formats;
 * cleared by its clear; no console control.
 */
static int own_log(void *arg)
{
	char rec[256];
	int f, n;

	if (log_has(arg) != 0)
		return 20;
	if (kmsg_write("<5>vs-ccap guest line\n"))
		return 21;
	if (log_has("<13>[") != 1 || log_has("] vs-ccap guest line\n") != 1)
		return 22;
	f = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (f < 0)
		return 23;
	n = read(f, rec, sizeof(rec) - 1);
	close(f);
	if (n <= 0)
		return 24;
	rec[n] = '\0';
	if (strncmp(rec, "13,0,", 5) || !strstr(rec, ";vs-ccap guest line\n"))
		return 25;
	if (klogctl(LOG_CONSOLE_LEVEL, NULL, 1) == 0 || errno != EPERM)
		return 26;
	if (klogctl(LOG_CLEAR, NULL, 0) || log_has("vs-ccap guest") != 0)
		return 27;
	return ALLOWED;
}

static int open_kmsg(void *arg)
{
	int f = open("/dev/kmsg", O_RDONLY);

	if (f >= 0)
		close(f);
	return verdict(f);
}

TEST_F(ccaps, syslog_is_the_context_own)
{
	char marker[64];
	struct place host = { 0 };
	struct place none = { 4880, 0, 0 };
	struct place ccap = { 4881, 0, VXC_SYSLOG };
	struct place user = { 4882, 0, VXC_SYSLOG, .uid = 1000 };

	snprintf(marker, sizeof(marker), "vs-ccap host secret %d\n", getpid());
	ASSERT_EQ(0, kmsg_write(marker));	/* whole lines only are read */
	/* anybody on the host reads the kernel's log (dmesg_restrict 0) */
	EXPECT_EQ(ALLOWED, run_in(self->fd, &host, read_host_log, marker));
	/* a context, even with all capabilities: not without SYSLOG */
	EXPECT_EQ(DENIED, run_in(self->fd, &none, read_host_log, marker));
	EXPECT_EQ(DENIED, run_in(self->fd, &none, open_kmsg, NULL));
	EXPECT_EQ(ALLOWED, run_in(self->fd, &ccap, own_log, marker));
	EXPECT_EQ(DENIED, run_in(self->fd, &user, open_kmsg, NULL));
	/* and what the context wrote never reached the host's log */
	EXPECT_EQ(0, log_has("vs-ccap guest line"));
}

/* --- get/set -------------------------------------------------------- */

TEST_F(ccaps, get_set_only_what_is_implemented)
{
	const uint64_t all = VXC_SET_UTSNAME | VXC_SET_RLIMIT | VXC_SYSLOG |
			     VXC_SECURE_MOUNT | VXC_SECURE_REMOUNT |
			     VXC_NAMESPACE;
	struct vcmd_ctx_caps_v1 c;
	int hold[2];
	pid_t holder;

	holder = hold_context(self->fd, 4885, VXF_STATE_ADMIN, hold);
	ASSERT_LT(0, holder);
	ASSERT_TRUE(wait_created(4885));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_ccaps, 4885, &c, sizeof(c)));
	EXPECT_EQ(0, c.ccaps);
	EXPECT_EQ(all, c.cmask);
	/* refused, and nothing changes: ones we do not implement */
	c = (struct vcmd_ctx_caps_v1){ VXC_SYSLOG | VXC_BINARY_MOUNT, ~0ULL };
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_set_ccaps, 4885, &c, sizeof(c)));
	c = (struct vcmd_ctx_caps_v1){ VXC_ADMIN_MAPPER, VXC_ADMIN_MAPPER };
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_set_ccaps, 4885, &c, sizeof(c)));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_ccaps, 4885, &c, sizeof(c)));
	EXPECT_EQ(0, c.ccaps);
	c = (struct vcmd_ctx_caps_v1){ all, all };
	EXPECT_EQ(0, vs_call(self->fd, VCMD_set_ccaps, 4885, &c, sizeof(c)));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_ccaps, 4885, &c, sizeof(c)));
	EXPECT_EQ(all, c.ccaps);
	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
}

TEST_HARNESS_MAIN
