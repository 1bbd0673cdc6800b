// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: a guest started, entered and stopped the way util-vserver's
 * binaries do it, through the vserver system call alone (no /dev/vserver).
 *
 * The calls follow "vserver NAME start" with util-vserver 0.30 on a
 * 2.3 kernel: vtag --create, vspace --new, vcontext --create, vspace
 * --set, vuname --set, vattribute --set, vcontext --migrate-self
 * --endsetup --initpid, exec init; "vserver NAME enter": vspace --enter,
 * vtag --migrate, vcontext --migrate; "stop": vkill, vwait.  Each step
 * checks what util-vserver relies on.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <linux/capability.h>

#include "kselftest_harness.h"
#include "vs_test.h"

#define NR_vserver	236
#define XID		5601
#define NODENAME	"uvguest"
#define CFGDIR		"/etc/vservers/uvguest"

static long vserver(uint32_t cmd, uint32_t id, void *data)
{
	long ret = syscall(NR_vserver, cmd, id, data);

	return ret < 0 ? -errno : ret;
}

/* 1 once task @pid sleeps in the vserver system call (10 s at most) */
static int blocked(pid_t pid)
{
	char path[64], line[64];
	int i;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	for (i = 0; i < 1000; i++) {
		FILE *f = fopen(path, "r");
		int in_call = f && fgets(line, sizeof(line), f) &&
			      atoi(line) == NR_vserver;

		if (f)
			fclose(f);
		if (in_call)
			return 1;
		usleep(10000);
	}
	return 0;
}

/* Exit codes of the guest's steps: which one failed */
enum { STEP_TAG = 1, STEP_SPACE_NEW, STEP_CREATE, STEP_SPACE_SET, STEP_UNAME,
       STEP_ATTR, STEP_CHROOT, STEP_ENDSETUP, STEP_READY };

static int set_name(uint32_t field, const char *name)
{
	struct vcmd_vhi_name_v0 n = { .field = field };

	strncpy(n.name, name, sizeof(n.name) - 1);
	return vserver(VCMD_set_vhi_name, XID, &n) ? -1 : 0;
}

/* vserver NAME start, in the process that becomes the guest's init */
static int start_guest(const char *dir, uint64_t spaces, int ready)
{
	struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };
	struct vcmd_space_mask_v2 set = { .mask = spaces };
	struct vcmd_bcaps bcaps = {
		.bcaps = 0, .bmask = 1ULL << CAP_SYS_TIME,	/* --secure, part */
	};
	struct vcmd_ctx_flags_v0 flags = {
		.flagword = VXF_INFO_INIT | VXF_VIRT_UPTIME,	/* fakeinit, default */
		.mask = VXF_INFO_INIT | VXF_VIRT_UPTIME,
	};
	/* --migrate-self --endsetup --initpid: it becomes init, setup ends */
	struct vcmd_ctx_flags_v0 endsetup = {
		.flagword = 0, .mask = VXF_STATE_INIT | VXF_STATE_SETUP,
	};

	if (vserver(VCMD_tag_migrate, XID, NULL))
		return STEP_TAG;
	if (unshare(spaces & ~(uint64_t)CLONE_FS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return STEP_SPACE_NEW;
	if (chdir(dir))				/* the chain runs in vdir */
		return STEP_CHROOT;
	if (vserver(VCMD_ctx_create, XID, &create) != XID)
		return STEP_CREATE;
	if (vserver(VCMD_set_space, XID, &set))
		return STEP_SPACE_SET;
	if (set_name(VHIN_NODENAME, NODENAME) || set_name(VHIN_CONTEXT, CFGDIR))
		return STEP_UNAME;
	if (vserver(VCMD_set_bcaps, XID, &bcaps) ||
	    vserver(VCMD_set_cflags, XID, &flags))
		return STEP_ATTR;
	if (chroot("."))			/* vcontext --chroot */
		return STEP_CHROOT;
	if (vserver(VCMD_set_cflags, XID, &endsetup))
		return STEP_ENDSETUP;
	if (write(ready, "r", 1) != 1)
		return STEP_READY;
	for (;;)
		pause();		/* the guest's init */
}

/* vserver NAME enter: what the entered task finds, as bits */
#define IN_CONTEXT	0x01
#define GUEST_NAME	0x02
#define GUEST_ROOT	0x04
#define ENTER_FAILED	0x80

/* What the caller finds of the guest, as bits */
static int found(const struct stat *root)
{
	struct utsname u;
	struct stat st;
	int bits = 0;

	if (vserver(VCMD_task_xid, 0, NULL) == XID)
		bits |= IN_CONTEXT;
	if (!uname(&u) && !strcmp(u.nodename, NODENAME))
		bits |= GUEST_NAME;
	if (!stat("/", &st) && st.st_ino == root->st_ino &&
	    st.st_dev == root->st_dev)
		bits |= GUEST_ROOT;
	return bits;
}

static int enter_guest(const struct stat *root)
{
	struct vcmd_space_mask_v2 all = { .mask = 0 };

	if (vserver(VCMD_enter_space, XID, &all) ||	/* vspace --enter */
	    vserver(VCMD_tag_migrate, XID, NULL) ||	/* vtag --migrate */
	    vserver(VCMD_ctx_migrate, XID, NULL) ||	/* vcontext --migrate */
	    chroot("."))				/* --chroot */
		return ENTER_FAILED;
	return found(root);
}

TEST(start_enter_stop_like_util_vserver)
{
	struct vcmd_space_mask_v1 dflt = {};
	struct vcmd_vx_info_v0 info = {};
	struct vcmd_vhi_name_v0 name = { .field = VHIN_CONTEXT };
	struct vcmd_ctx_kill_v0 kill_init = { .pid = 1, .sig = SIGTERM };
	struct vcmd_wait_exit_v0 wait = {};
	char dir[] = "/tmp/vs-uvstart-XXXXXX";
	struct stat root;
	int ready[2];
	pid_t guest, enter, waiter;
	char c;

	if (vserver(VCMD_get_version, 0, NULL) == -ENOSYS)
		SKIP(return, "no vserver system call");
	/* util-vserver uses vspace only when the kernel says SPACES */
	ASSERT_EQ(VCI_VERSION, vserver(VCMD_get_version, 0, NULL));
	ASSERT_TRUE(vserver(VCMD_get_vci, 0, NULL) & VCI_SPACES);
	ASSERT_EQ(0, vserver(VCMD_get_space_default, 0, &dflt));

	mkdir("/tmp", 0755);
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, stat(dir, &root));
	ASSERT_EQ(0, pipe(ready));
	guest = fork();
	ASSERT_LE(0, guest);
	if (guest == 0) {
		close(ready[0]);
		_exit(start_guest(dir, dflt.mask, ready[1]));
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1)) {
		TH_LOG("the guest's start failed at step %d", vs_wait(guest));
	}
	close(ready[0]);

	/* what "vserver NAME status" and vserver-stat look at */
	ASSERT_EQ(0, vserver(VCMD_vx_info, XID, &info));
	EXPECT_EQ(guest, info.initpid);
	ASSERT_EQ(0, vserver(VCMD_get_vhi_name, XID, &name));
	EXPECT_STREQ(CFGDIR, name.name);

	/* the host sees none of it before entering */
	EXPECT_EQ(0, found(&root));

	/* vserver NAME enter, in a child of the host */
	enter = fork();
	ASSERT_LE(0, enter);
	if (enter == 0)
		_exit(enter_guest(&root));
	EXPECT_EQ(IN_CONTEXT | GUEST_NAME | GUEST_ROOT, vs_wait(enter));

	/*
	 * vserver NAME stop: vwait first (util-vserver's initWait spawns it
	 * before the stop command), then vkill its init.  The context may
	 * end as soon as its init dies: a wait_exit after that is ESRCH.
	 */
	waiter = fork();
	ASSERT_LE(0, waiter);
	if (waiter == 0)
		_exit(vserver(VCMD_wait_exit, XID, &wait) ? 1 : 0);
	EXPECT_EQ(1, blocked(waiter));
	EXPECT_EQ(0, vserver(VCMD_ctx_kill, XID, &kill_init));
	EXPECT_EQ(0, vs_wait(waiter));
	EXPECT_EQ(-1, vs_wait(guest));	/* killed by the signal */
	EXPECT_EQ(-ESRCH, vserver(VCMD_vx_info, XID, &info));
	rmdir(dir);
}

TEST_HARNESS_MAIN
