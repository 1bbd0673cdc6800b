// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: a context's bounding set of capabilities (bcaps).
 *
 * Each privileged operation is first shown to work for root on the host,
 * then refused in a context whose bounding set lacks its capability, and
 * allowed again in a context that lacks every other one.  A task of the
 * context cannot get a capability back by executing a setuid-root binary
 * or one with file capabilities.
 */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/xattr.h>
#include <netinet/in.h>
#include <time.h>

#include "kselftest_harness.h"
#include "vs_test.h"

#define ALL_CAPS	((1ULL << (CAP_LAST_CAP + 1)) - 1)
#define BIT_CAP(c)	(1ULL << (c))

/* Exit codes of the children */
#define ALLOWED		0
#define DENIED		11	/* EPERM */
#define OTHER_ERROR	12
#define SETUP_FAILED	13

FIXTURE(caps) {
	int fd;
};

FIXTURE_SETUP(caps)
{
	self->fd = vs_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(caps)
{
	close(self->fd);
}

static int verdict(int ret)
{
	if (ret >= 0)
		return ALLOWED;
	return errno == EPERM ? DENIED : OTHER_ERROR;
}

static int try_settime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return verdict(clock_settime(CLOCK_REALTIME, &ts));
}

static int try_mknod(void)
{
	char path[64];
	int ret;

	snprintf(path, sizeof(path), "/tmp/vs-caps-null-%d", getpid());
	ret = verdict(mknod(path, S_IFCHR | 0600, makedev(1, 3)));
	unlink(path);
	return ret;
}

static int try_raw_socket(void)
{
	int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	int ret = verdict(s);

	if (s >= 0)
		close(s);
	return ret;
}

/* finit_module checks CAP_SYS_MODULE before it looks at the fd */
static int try_module_load(void)
{
	long ret = syscall(SYS_finit_module, -1, "", 0);

	return ret < 0 && errno == EBADF ? ALLOWED : verdict(ret);
}

static int try_chown(void)
{
	char path[64];
	int ret;

	snprintf(path, sizeof(path), "/tmp/vs-caps-chown-%d", getpid());
	close(open(path, O_CREAT | O_WRONLY, 0600));
	ret = verdict(chown(path, 1234, 1234));
	unlink(path);
	return ret;
}

static const struct {
	const char *what;
	int cap;
	int (*fn)(void);
} ops[] = {
	{ "clock_settime", CAP_SYS_TIME, try_settime },
	{ "mknod", CAP_MKNOD, try_mknod },
	{ "raw socket", CAP_NET_RAW, try_raw_socket },
	{ "finit_module", CAP_SYS_MODULE, try_module_load },
	{ "chown", CAP_CHOWN, try_chown },
};

/*
 * In a child: create @xid (0: stay on the host), clear @drop from its
 * bounding set, end its setup, then run @fn.  Returns fn's result.
 */
static int in_context(int fd, uint32_t xid, uint64_t drop, int (*fn)(void))
{
	struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };
	struct vcmd_bcaps b = { .bcaps = 0, .bmask = drop };
	struct vcmd_ctx_flags_v0 f = { .flagword = 0, .mask = VXF_STATE_SETUP };
	pid_t pid = fork();

	if (pid == 0) {
		if (xid && (vs_call(fd, VCMD_ctx_create, xid, &create,
				    sizeof(create)) != xid ||
			    vs_call(fd, VCMD_set_bcaps, xid, &b, sizeof(b)) ||
			    vs_call(fd, VCMD_set_cflags, xid, &f, sizeof(f))))
			_exit(SETUP_FAILED);
		_exit(fn());
	}
	return vs_wait(pid);
}

TEST_F(caps, each_dropped_capability_is_refused)
{
	unsigned int i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		TH_LOG("%s", ops[i].what);
		EXPECT_EQ(ALLOWED, in_context(self->fd, 0, 0, ops[i].fn));
		EXPECT_EQ(DENIED, in_context(self->fd, 4801 + i,
					     BIT_CAP(ops[i].cap), ops[i].fn));
		EXPECT_EQ(ALLOWED, in_context(self->fd, 4821 + i,
					      ALL_CAPS & ~BIT_CAP(ops[i].cap),
					      ops[i].fn));
	}
}

/*
 * The tool that sets a context up may still end the setup after it took
 * CAP_SYS_ADMIN out of the bounding set; after that, no task of the
 * context reaches /dev/vserver.
 */
TEST_F(caps, without_sys_admin_only_the_setup_reaches_dev_vserver)
{
	struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };
	struct vcmd_bcaps b = { 0, BIT_CAP(CAP_SYS_ADMIN) };
	struct vcmd_ctx_flags_v0 f = { 0, VXF_STATE_SETUP };
	pid_t pid = fork();

	if (pid == 0) {
		if (vs_call(self->fd, VCMD_ctx_create, 4844, &create,
			    sizeof(create)) != 4844 ||
		    vs_call(self->fd, VCMD_set_bcaps, 4844, &b, sizeof(b)))
			_exit(SETUP_FAILED);
		/* still in setup: reads and ends it */
		if (vs_call(self->fd, VCMD_get_cflags, 4844, &f, sizeof(f)))
			_exit(1);
		f = (struct vcmd_ctx_flags_v0){ 0, VXF_STATE_SETUP };
		if (vs_call(self->fd, VCMD_set_cflags, 4844, &f, sizeof(f)))
			_exit(2);
		/* set up: nothing any more, not even reading */
		if (vs_call(self->fd, VCMD_get_cflags, 4844, &f, sizeof(f)) != -EPERM)
			_exit(3);
		_exit(vs_call(self->fd, VCMD_ctx_migrate, 1, NULL, 0) == -EPERM ?
		      0 : 4);
	}
	EXPECT_EQ(0, vs_wait(pid));
}

TEST_F(caps, get_set_bcaps_only_shrink)
{
	struct vcmd_bcaps b;
	int hold[2];
	pid_t holder;

	holder = hold_context(self->fd, 4840, VXF_STATE_ADMIN, hold);
	ASSERT_LT(0, holder);
	ASSERT_TRUE(wait_created(4840));

	memset(&b, 0, sizeof(b));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_bcaps, 4840, &b, sizeof(b)));
	EXPECT_EQ(ALL_CAPS, b.bcaps);
	EXPECT_EQ(ALL_CAPS, b.bmask);

	b = (struct vcmd_bcaps){ 0, BIT_CAP(CAP_SYS_TIME) | BIT_CAP(CAP_MKNOD) };
	ASSERT_EQ(0, vs_call(self->fd, VCMD_set_bcaps, 4840, &b, sizeof(b)));
	/* raising a cleared bit, or naming a bit that is no capability */
	b = (struct vcmd_bcaps){ BIT_CAP(CAP_SYS_TIME), BIT_CAP(CAP_SYS_TIME) };
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_set_bcaps, 4840, &b, sizeof(b)));
	b = (struct vcmd_bcaps){ 0, 1ULL << 63 };
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_set_bcaps, 4840, &b, sizeof(b)));
	/* keeping a set bit is fine */
	b = (struct vcmd_bcaps){ BIT_CAP(CAP_CHOWN), BIT_CAP(CAP_CHOWN) };
	EXPECT_EQ(0, vs_call(self->fd, VCMD_set_bcaps, 4840, &b, sizeof(b)));

	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_bcaps, 4840, &b, sizeof(b)));
	EXPECT_EQ(ALL_CAPS & ~(BIT_CAP(CAP_SYS_TIME) | BIT_CAP(CAP_MKNOD)),
		  b.bcaps);

	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
}

/* capget() of the caller: the effective set */
static uint64_t effective_caps(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &hdr, d))
		return ~0ULL;
	return (uint64_t)d[1].effective << 32 | d[0].effective;
}

/* The CapBnd: line of /proc/self/status */
static uint64_t bounding_set(void)
{
	unsigned long long v = ~0ULL;
	char line[128];
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapBnd:\t%llx", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

TEST_F(caps, joining_a_context_bounds_the_credentials)
{
	struct vcmd_bcaps b = { 0, BIT_CAP(CAP_SYS_TIME) };
	uint64_t got[2];
	int hold[2], out[2];
	pid_t holder, pid;

	holder = hold_context(self->fd, 4841, VXF_STATE_ADMIN, hold);
	ASSERT_LT(0, holder);
	ASSERT_TRUE(wait_created(4841));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_set_bcaps, 4841, &b, sizeof(b)));
	EXPECT_EQ(ALL_CAPS, effective_caps());	/* the host's root */

	ASSERT_EQ(0, pipe(out));
	pid = fork();
	if (pid == 0) {
		if (vs_call(self->fd, VCMD_ctx_migrate, 4841, NULL, 0))
			_exit(SETUP_FAILED);
		got[0] = effective_caps();
		got[1] = bounding_set();
		_exit(write(out[1], got, sizeof(got)) == sizeof(got) ? 0 : 1);
	}
	EXPECT_EQ(0, vs_wait(pid));
	ASSERT_EQ(sizeof(got), read(out[0], got, sizeof(got)));
	EXPECT_EQ(ALL_CAPS & ~BIT_CAP(CAP_SYS_TIME), got[0]);
	EXPECT_EQ(ALL_CAPS & ~BIT_CAP(CAP_SYS_TIME), got[1]);

	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
}

/* Copy /usr/bin/capprobe to @dst with @mode; 0 on success */
static int copy_probe(const char *dst, mode_t mode)
{
	char buf[65536];
	int in = open("/usr/bin/capprobe", O_RDONLY), out;
	ssize_t n;

	if (in < 0)
		return -1;
	unlink(dst);
	out = open(dst, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	if (out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			return -1;
	close(in);
	close(out);
	return chown(dst, 0, 0) || chmod(dst, mode) ? -1 : 0;
}

/*
 * As uid 1000 in context @xid (0: host) lacking @drop, execute @path and
 * return the effective set it prints.
 */
static uint64_t exec_probe(int fd, uint32_t xid, uint64_t drop,
			   const char *path)
{
	struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };
	struct vcmd_bcaps b = { .bcaps = 0, .bmask = drop };
	unsigned long long caps = ~0ULL;
	char line[64];
	int out[2];
	pid_t pid;
	FILE *f;

	if (pipe(out))
		return ~0ULL;
	pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		if (xid && (vs_call(fd, VCMD_ctx_create, xid, &create,
				    sizeof(create)) != xid ||
			    vs_call(fd, VCMD_set_bcaps, xid, &b, sizeof(b))))
			_exit(SETUP_FAILED);
		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(SETUP_FAILED);
		execl(path, path, NULL);
		_exit(SETUP_FAILED);
	}
	close(out[1]);
	f = fdopen(out[0], "r");
	if (f && fgets(line, sizeof(line), f))
		sscanf(line, "%llx", &caps);
	if (f)
		fclose(f);
	return vs_wait(pid) == 0 ? caps : ~0ULL;
}

TEST_F(caps, setuid_root_binary_gets_only_the_context_set)
{
	const char *probe = "/tmp/vs-capprobe-suid";

	ASSERT_EQ(0, copy_probe(probe, 04755));
	/* on the host, the setuid-root binary gets every capability */
	EXPECT_EQ(ALL_CAPS, exec_probe(self->fd, 0, 0, probe));
	EXPECT_EQ(ALL_CAPS & ~BIT_CAP(CAP_SYS_TIME),
		  exec_probe(self->fd, 4842, BIT_CAP(CAP_SYS_TIME), probe));
	unlink(probe);
}

TEST_F(caps, file_capabilities_get_only_the_context_set)
{
	const char *probe = "/scratch/vs-capprobe-fcap";
	struct vfs_cap_data cap = {
		.magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE,
		.data[0].permitted = BIT_CAP(CAP_SYS_TIME) | BIT_CAP(CAP_MKNOD),
	};

	if (!vs_exists("/scratch/lost+found"))
		SKIP(return, "no ext4 scratch disk on /scratch");
	ASSERT_EQ(0, copy_probe(probe, 0755));
	ASSERT_EQ(0, setxattr(probe, "security.capability", &cap, sizeof(cap), 0));
	/* on the host, uid 1000 gets what the file grants */
	EXPECT_EQ(BIT_CAP(CAP_SYS_TIME) | BIT_CAP(CAP_MKNOD),
		  exec_probe(self->fd, 0, 0, probe));
	EXPECT_EQ(BIT_CAP(CAP_MKNOD),
		  exec_probe(self->fd, 4843, BIT_CAP(CAP_SYS_TIME), probe));
	unlink(probe);
}

/*
 * In a child: optionally a UTS namespace of its own, then context @xid
 * without CAP_SYS_ADMIN, with context capabilities @ccaps, set up; then
 * sethostname(2) and a write of /proc/sys/kernel/hostname.  Returns
 * bit 0: sethostname worked, bit 1: the sysctl write worked, 8: setup
 * failed.
 */
static int name_host(int fd, uint32_t xid, int own_uts, uint64_t ccaps)
{
	struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };
	struct vcmd_bcaps b = { 0, BIT_CAP(CAP_SYS_ADMIN) };
	struct vcmd_ctx_caps_v1 c = { ccaps, ccaps };
	struct vcmd_ctx_flags_v0 f = { 0, VXF_STATE_SETUP };
	pid_t pid = fork();
	int ret = 0, sys;

	if (pid == 0) {
		if ((own_uts && unshare(CLONE_NEWUTS)) ||
		    (xid && (vs_call(fd, VCMD_ctx_create, xid, &create,
				     sizeof(create)) != xid ||
			     vs_call(fd, VCMD_set_bcaps, xid, &b, sizeof(b)) ||
			     (ccaps && vs_call(fd, VCMD_set_ccaps, xid, &c, sizeof(c))) ||
			     vs_call(fd, VCMD_set_cflags, xid, &f, sizeof(f)))))
			_exit(8);
		if (!sethostname("ccap-a", 6))
			ret |= 1;
		sys = open("/proc/sys/kernel/hostname", O_WRONLY);
		if (sys >= 0 && write(sys, "ccap-b", 6) == 6)
			ret |= 2;
		_exit(ret);
	}
	return vs_wait(pid);
}

TEST_F(caps, ccap_set_utsname_names_only_its_own_host)
{
	struct vcmd_ctx_caps_v1 c;
	struct utsname before, after;
	int hold[2];
	pid_t holder;

	ASSERT_EQ(0, uname(&before));
	/* root in its own UTS namespace may, on the host */
	EXPECT_EQ(3, name_host(self->fd, 0, 1, 0));
	/* in a context without CAP_SYS_ADMIN, not at all */
	EXPECT_EQ(0, name_host(self->fd, 4850, 1, 0));
	/* with the context capability SET_UTSNAME, both ways */
	EXPECT_EQ(3, name_host(self->fd, 4851, 1, VXC_SET_UTSNAME));
	/* but never the host's names, should the context share them */
	EXPECT_EQ(0, name_host(self->fd, 4852, 0, VXC_SET_UTSNAME));
	ASSERT_EQ(0, uname(&after));
	EXPECT_STREQ(before.nodename, after.nodename);

	/* get/set: only what we implement */
	holder = hold_context(self->fd, 4853, VXF_STATE_ADMIN, hold);
	ASSERT_LT(0, holder);
	ASSERT_TRUE(wait_created(4853));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_ccaps, 4853, &c, sizeof(c)));
	EXPECT_EQ(0, c.ccaps);
	EXPECT_TRUE(c.cmask & VXC_SET_UTSNAME);
	c = (struct vcmd_ctx_caps_v1){ VXC_BINARY_MOUNT, VXC_BINARY_MOUNT };
	EXPECT_EQ(-EINVAL, vs_call(self->fd, VCMD_set_ccaps, 4853, &c, sizeof(c)));
	c = (struct vcmd_ctx_caps_v1){ VXC_SET_UTSNAME, VXC_SET_UTSNAME };
	EXPECT_EQ(0, vs_call(self->fd, VCMD_set_ccaps, 4853, &c, sizeof(c)));
	ASSERT_EQ(0, vs_call(self->fd, VCMD_get_ccaps, 4853, &c, sizeof(c)));
	EXPECT_EQ(VXC_SET_UTSNAME, c.ccaps);
	close(hold[1]);
	EXPECT_EQ(0, vs_wait(holder));
}

TEST_HARNESS_MAIN
