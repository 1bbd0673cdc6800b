// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-ng: the escape suite.
 *
 * Each technique runs twice as root in a chroot at /scratch/.../vservers/
 * guest: once plain (it must WORK there, or the test proves nothing), once
 * in a context set up as `chcontext --secure` leaves it (util-vserver's
 * secure bounding set, setup ended, empty unshare mask) below a barrier on
 * .../vservers (it must be DENIED).  Each test prints one row of the table
 *
 *   # escape: <technique> | plain chroot: WORKS | vserver: DENIED
 *
 * (make check shows them with the guest tests).  The host resources the guest
 * aims at: a secret file above the barrier, a host task (its cwd is above
 * the barrier), a task of another context, the scratch disk's device, a
 * line in the host's kernel log, abstract unix sockets of a host daemon,
 * a key in the host root's user keyring.
 */
#define _GNU_SOURCE
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <linux/if_ether.h>
#include <linux/kexec.h>
#include <linux/keyctl.h>
#include <arpa/inet.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>

#include "kselftest_harness.h"
#include "vs_test.h"

#define WORKS		10
#define DENIED		11
#define BROKEN		12

#define BIT_CAP(c)	(1ULL << (c))

/* What vattribute --secure drops (userspace/lib/caps.cpp) */
#define INSECURE_CAPS (BIT_CAP(CAP_DAC_READ_SEARCH) | BIT_CAP(CAP_LINUX_IMMUTABLE) | \
	BIT_CAP(CAP_NET_BROADCAST) | BIT_CAP(CAP_NET_ADMIN) | BIT_CAP(CAP_NET_RAW) | \
	BIT_CAP(CAP_IPC_LOCK) | BIT_CAP(CAP_IPC_OWNER) | BIT_CAP(CAP_SYS_MODULE) | \
	BIT_CAP(CAP_SYS_RAWIO) | BIT_CAP(CAP_SYS_PACCT) | BIT_CAP(CAP_SYS_ADMIN) | \
	BIT_CAP(CAP_SYS_BOOT) | BIT_CAP(CAP_SYS_NICE) | BIT_CAP(CAP_SYS_RESOURCE) | \
	BIT_CAP(CAP_SYS_TIME) | BIT_CAP(CAP_SYS_TTY_CONFIG) | BIT_CAP(CAP_MKNOD) | \
	BIT_CAP(CAP_AUDIT_CONTROL) | BIT_CAP(CAP_MAC_OVERRIDE) | BIT_CAP(CAP_MAC_ADMIN) | \
	BIT_CAP(CAP_SYSLOG) | BIT_CAP(CAP_WAKE_ALARM) | BIT_CAP(CAP_BLOCK_SUSPEND) | \
	BIT_CAP(CAP_AUDIT_READ) | BIT_CAP(CAP_PERFMON) | BIT_CAP(CAP_BPF) | \
	BIT_CAP(CAP_CHECKPOINT_RESTORE) | BIT_CAP(CAP_SYS_PTRACE))

/* Shared with the attacks (each test runs in its own process) */
static struct {
	int vsfd;		/* /dev/vserver, opened before the chroot */
	char top[64];		/* above the barrier */
	char guest[128];	/* the chroot */
	char secret[128];	/* top/secret, by absolute path */
	char secret_in_fs[128];	/* the same from the scratch fs root */
	dev_t scratch_dev;
	pid_t host_task;	/* sleeps with its cwd in top */
	pid_t other_task;	/* in context 4950, cwd top */
	int hold_w;		/* they live while this is open */
	int unix_stream;	/* a host daemon's abstract sockets */
	int unix_dgram;
	char log_marker[64];	/* a line in the host's kernel log */
	char key_desc[64];	/* a key in the host root's user keyring */
} env;

#define KEY_SECRET	"vs-escape key payload"
#define STREAM_NAME	"vs-escape-host-stream"
#define DGRAM_NAME	"vs-escape-host-dgram"


static int refused(int err)
{
	return err == EPERM || err == EACCES || err == ENOENT || err == ESRCH ||
	       err == ECONNREFUSED || err == ENOKEY || err == EADDRNOTAVAIL ?
	       DENIED : BROKEN;
}

static int reaches_secret(const char *path)
{
	return access(path, F_OK) == 0 ? WORKS : refused(errno);
}

/* --- the techniques ---------------------------------------------------- */

static int climb(void)
{
	int i;

	for (i = 0; i < 64; i++)
		if (chdir(".."))
			break;
	if (chroot("."))
		return BROKEN;
	return access(env.secret, F_OK) == 0 ? WORKS : DENIED;
}

static int double_chroot(void)
{
	mkdir("/sub", 0755);
	if (chroot("/sub"))
		return refused(errno);
	return climb();
}

static int fchdir_to_dir_opened_before(void)
{
	int dir = open("/", O_RDONLY | O_DIRECTORY);

	mkdir("/sub", 0755);
	if (dir < 0 || chroot("/sub"))
		return refused(errno);
	if (fchdir(dir))
		return refused(errno);
	return climb();
}

static int open_by_handle_at_shocker(void)
{
	struct {
		struct file_handle fh;
		unsigned int ino_gen[2];
	} h = {
		.fh.handle_bytes = 8,
		.fh.handle_type = 1,	/* FILEID_INO32_GEN */
		.ino_gen = { 2, 0 },	/* the root inode of the filesystem */
	};
	int mnt = open("/", O_RDONLY | O_DIRECTORY);
	int fd = open_by_handle_at(mnt, &h.fh, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		return refused(errno);
	if (fchdir(fd))
		return BROKEN;
	return reaches_secret(env.secret_in_fs);
}

static int proc_pid_root_of_host_task(void)
{
	char path[256];

	snprintf(path, sizeof(path), "/proc/1/root%s", env.secret);
	return reaches_secret(path);
}

static int proc_pid_cwd_of_host_task(void)
{
	char path[256];

	snprintf(path, sizeof(path), "/proc/%d/cwd/secret", env.host_task);
	return reaches_secret(path);
}

static int proc_pid_root_of_other_context(void)
{
	char path[256];

	snprintf(path, sizeof(path), "/proc/%d/root%s", env.other_task, env.secret);
	return reaches_secret(path);
}

static int attach(pid_t pid)
{
	if (ptrace(PTRACE_ATTACH, pid, 0, 0))
		return refused(errno);
	waitpid(pid, NULL, __WALL);
	ptrace(PTRACE_DETACH, pid, 0, 0);
	return WORKS;
}

static int ptrace_host_task(void)
{
	return attach(env.host_task);
}

static int ptrace_task_of_other_context(void)
{
	return attach(env.other_task);
}

static int kill_host_task(void)
{
	return kill(env.host_task, 0) ? refused(errno) : WORKS;
}

static int mknod_and_read_the_disk(void)
{
	unsigned char sb[1024];
	int fd, ret;

	unlink("/disk");
	if (mknod("/disk", S_IFBLK | 0600, env.scratch_dev))
		return refused(errno);
	fd = open("/disk", O_RDONLY);
	ret = fd >= 0 && pread(fd, sb, sizeof(sb), 1024) == sizeof(sb) &&
	      sb[0x38] == 0x53 && sb[0x39] == 0xef;	/* ext4 magic */
	if (fd >= 0)
		close(fd);
	unlink("/disk");
	return ret ? WORKS : BROKEN;
}

static int mount_proc(void)
{
	mkdir("/mnt", 0755);
	if (mount("proc", "/mnt", "proc", 0, NULL))
		return refused(errno);
	umount("/mnt");
	return WORKS;
}

static int new_mount_namespace(void)
{
	return unshare(CLONE_NEWNS) ? refused(errno) : WORKS;
}

static int setns_to_host_mount_ns_via_proc(void)
{
	int fd = open("/proc/1/ns/mnt", O_RDONLY);

	if (fd < 0 || setns(fd, CLONE_NEWNS))
		return refused(errno);
	return reaches_secret(env.secret);
}

static int setns_via_pidfd_of_host_task(void)
{
	int fd = syscall(SYS_pidfd_open, env.host_task, 0);

	if (fd < 0 || setns(fd, CLONE_NEWNS))
		return refused(errno);
	return reaches_secret(env.secret);
}

static int load_a_module(void)
{
	/* finit_module checks CAP_SYS_MODULE before the fd */
	if (syscall(SYS_finit_module, -1, "", 0) == 0)
		return BROKEN;
	return errno == EBADF ? WORKS : refused(errno);
}

static int reboot_the_host(void)
{
	/* ctrl-alt-del reboots: the default, so "working" changes nothing */
	if (syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		    LINUX_REBOOT_CMD_CAD_ON, NULL))
		return refused(errno);
	return WORKS;
}

/* Write sysctl @path: its own value back, so that nothing changes */
static int rewrite_sysctl(const char *path)
{
	char value[256];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return BROKEN;
	n = read(fd, value, sizeof(value));
	close(fd);
	if (n <= 0)
		return BROKEN;
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return refused(errno);
	n = write(fd, value, n);
	close(fd);
	return n > 0 ? WORKS : refused(errno);
}

/* the program the kernel runs as root to load a module (modprobe_path) */
static int write_kernel_modprobe(void)
{
	return rewrite_sysctl("/proc/sys/kernel/modprobe");
}

static int open_sysrq_trigger(void)
{
	int fd = open("/proc/sysrq-trigger", O_WRONLY);

	if (fd < 0)
		return refused(errno);
	close(fd);	/* holding it open for writing is enough */
	return WORKS;
}

static int raw_packet_socket(void)
{
	int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

	if (s < 0)
		return refused(errno);
	close(s);
	return WORKS;
}

static int bpf_map_create(void)
{
	union bpf_attr attr = {
		.map_type = BPF_MAP_TYPE_ARRAY,
		.key_size = 4, .value_size = 4, .max_entries = 1,
	};
	int fd = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));

	if (fd < 0)
		return refused(errno);
	close(fd);
	return WORKS;
}

static int userfaultfd_kernel_faults(void)
{
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC);

	if (fd < 0)
		return refused(errno);
	close(fd);
	return WORKS;
}

static int perf_event_on_host_task(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_TASK_CLOCK,
		.disabled = 1,
	};
	int fd = syscall(SYS_perf_event_open, &attr, env.host_task, -1, -1, 0);

	if (fd < 0)
		return refused(errno);
	close(fd);
	return WORKS;
}

static int dev_vserver_to_the_spectator(void)
{
	long r = vs_call(env.vsfd, VCMD_ctx_migrate, VX_WATCH_XID, NULL, 0);

	return r >= 0 ? WORKS : refused(-r);
}

static int dev_vserver_set_own_flags(void)
{
	struct vcmd_ctx_flags_v0 f = { .flagword = 0, .mask = VXF_STATE_ADMIN };
	long xid = vs_call(env.vsfd, VCMD_task_xid, 0, NULL, 0);
	long r;

	/* on the host there is no own context: create one instead */
	if (xid == 0)
		r = vs_call(env.vsfd, VCMD_ctx_create, 4951, NULL, 0);
	else
		r = vs_call(env.vsfd, VCMD_set_cflags, xid, &f, sizeof(f));
	return r >= 0 ? WORKS : refused(-r);
}

static int read_host_kernel_log(void)
{
	static char buf[1 << 17];
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf) - 1);

	if (n < 0)
		return refused(errno);
	buf[n] = '\0';
	return strstr(buf, env.log_marker) ? WORKS : DENIED;
}

/* The address of abstract unix socket @name, and its length */
static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path + 1, name);	/* sun_path[0] = 0: abstract */
	return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

static int abstract_unix_socket_of_host_daemon(void)
{
	struct sockaddr_un a;
	socklen_t len = abstract_addr(&a, STREAM_NAME);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (s < 0)
		return BROKEN;
	if (connect(s, (struct sockaddr *)&a, len))
		return refused(errno);
	close(s);
	return WORKS;
}

static int abstract_unix_datagram_to_host(void)
{
	struct sockaddr_un a;
	socklen_t len = abstract_addr(&a, DGRAM_NAME);
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);

	if (s < 0)
		return BROKEN;
	if (sendto(s, "x", 1, 0, (struct sockaddr *)&a, len) != 1)
		return refused(errno);
	close(s);
	return WORKS;
}

/* uid 0 everywhere shares one user keyring: find the host root's key */
static int keyctl_read_host_root_key(void)
{
	char buf[64] = "";
	long id = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING,
			  "user", env.key_desc, 0);

	if (id < 0)
		return refused(errno);
	if (syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof(buf) - 1) < 0)
		return refused(errno);
	return strcmp(buf, KEY_SECRET) ? BROKEN : WORKS;
}

static int kexec_load_a_kernel(void)
{
	/* no segments: unloads the (absent) kexec kernel, changes nothing */
	if (syscall(SYS_kexec_load, 0UL, 0UL, NULL, KEXEC_ARCH_DEFAULT))
		return refused(errno);
	return WORKS;
}

static int ioperm_io_ports(void)
{
	if (syscall(SYS_ioperm, 0x80UL, 1UL, 1))
		return refused(errno);
	return WORKS;
}

static int iopl_all_io_ports(void)
{
	if (syscall(SYS_iopl, 3))
		return refused(errno);
	return WORKS;
}

/* A file (guest path) that only the host's release agent makes */
#define RELEASED	"/released"

/*
 * cgroup v1's release_agent runs as root in the host's namespaces when a
 * cgroup empties: point it at a script in the guest, which tells whether
 * the secret above the barrier exists.
 */
static int cgroup_v1_release_agent(void)
{
	char agent[192];
	pid_t pid;
	int f, i;

	mkdir("/cg", 0755);
	if (mount("cgroup", "/cg", "cgroup", 0, "none,name=vsescape"))
		return refused(errno);
	snprintf(agent, sizeof(agent), "%s/agent.sh", env.guest);
	f = open("/cg/release_agent", O_WRONLY);
	if (f < 0 || write(f, agent, strlen(agent)) < 0)
		return refused(errno);
	close(f);
	mkdir("/cg/x", 0755);
	f = open("/cg/x/notify_on_release", O_WRONLY);
	if (f < 0 || write(f, "1", 1) != 1)
		return BROKEN;
	close(f);
	pid = fork();
	if (pid == 0) {
		f = open("/cg/x/cgroup.procs", O_WRONLY);
		_exit(f < 0 || write(f, "0", 1) != 1);
	}
	waitpid(pid, NULL, 0);
	for (i = 0; i < 500 && access(RELEASED, F_OK); i++)
		usleep(10000);
	rmdir("/cg/x");
	umount("/cg");
	return access(RELEASED, F_OK) ? BROKEN : WORKS;
}

/* The host's cgroup2 hierarchy: put a host task into a cgroup of ours */
static int cgroup2_move_host_task(void)
{
	char pid[16];
	int f, ok;

	mkdir("/cg2", 0755);
	if (mount("cgroup2", "/cg2", "cgroup2", 0, NULL))
		return refused(errno);
	mkdir("/cg2/vs-escape", 0755);
	f = open("/cg2/vs-escape/cgroup.procs", O_WRONLY);
	snprintf(pid, sizeof(pid), "%d", env.host_task);
	ok = f >= 0 && write(f, pid, strlen(pid)) > 0;
	if (f >= 0)
		close(f);
	f = open("/cg2/cgroup.procs", O_WRONLY);	/* and back */
	if (f >= 0 && write(f, pid, strlen(pid)) < 0)
		ok = 0;
	if (f >= 0)
		close(f);
	rmdir("/cg2/vs-escape");
	umount("/cg2");
	return ok ? WORKS : BROKEN;
}

/* core_pattern "|prog" runs prog as root on the host at the next crash */
static int core_pattern_pipe(void)
{
	return rewrite_sysctl("/proc/sys/kernel/core_pattern");
}

static int mount_the_disk(void)
{
	int ret;

	unlink("/disk");
	mkdir("/mnt", 0755);
	if (mknod("/disk", S_IFBLK | 0600, env.scratch_dev))
		return refused(errno);
	ret = mount("/disk", "/mnt", "ext4", 0, NULL) ? refused(errno) : WORKS;
	if (ret == WORKS) {
		ret = access("/mnt/lost+found", F_OK) ? BROKEN : WORKS;
		umount("/mnt");
	}
	unlink("/disk");
	return ret;
}

/*
 * pivot_root: in a mount namespace of its own, make a new root and put
 * the old one below it.  (The guest's root is a mount, as util-vserver
 * mounts it.)
 */
static int pivot_root_in_a_new_namespace(void)
{
	if (unshare(CLONE_NEWNS))
		return refused(errno);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return BROKEN;
	mkdir("/new", 0755);
	if (mount("none", "/new", "tmpfs", 0, NULL))
		return refused(errno);
	mkdir("/new/old", 0755);
	if (chdir("/new") || syscall(SYS_pivot_root, ".", "old"))
		return refused(errno);
	return access("/old/new", F_OK) ? BROKEN : WORKS;
}

/* The host's address (10.78.0.1); the guest has 10.78.0.2 */
static int bind_host_ip(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int s = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, "10.78.0.1", &a.sin_addr);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)))
		return refused(errno);
	close(s);
	return WORKS;
}

static int mount_sysfs(void)
{
	mkdir("/sys", 0755);
	if (mount("sysfs", "/sys", "sysfs", 0, NULL))
		return refused(errno);
	umount("/sys");
	return WORKS;
}

/* --- running them -------------------------------------------------------- */

/* In a child: into the chroot (in a secure context if @xid), then @attack */
static int run(uint32_t xid, int (*attack)(void))
{
	struct vcmd_ctx_create create = { .flagword = VXF_INIT_SET };
	struct vcmd_bcaps b = { .bcaps = 0, .bmask = INSECURE_CAPS };
	struct vcmd_ctx_flags_v0 f = { .flagword = 0, .mask = VXF_STATE_SETUP };
	struct vcmd_net_addr_ipv4_v2 addr = { .type = NXA_TYPE_ADDR };
	pid_t pid = fork();

	if (pid == 0) {
		close(env.hold_w);
		close(env.unix_stream);
		close(env.unix_dgram);
		if (chdir(env.guest))
			_exit(BROKEN);
		/* a guest has a network context with an address of its own */
		inet_pton(AF_INET, "10.78.0.2", &addr.ip);
		if (xid && (vs_call(env.vsfd, VCMD_net_create, xid, NULL, 0) != xid ||
			    vs_call(env.vsfd, VCMD_net_add_ipv4, xid, &addr,
				    sizeof(addr)) ||
			    vs_call(env.vsfd, VCMD_set_nflags, xid, &f, sizeof(f))))
			_exit(BROKEN);
		if (xid && (vs_call(env.vsfd, VCMD_ctx_create, xid, &create,
				    sizeof(create)) != xid ||
			    vs_call(env.vsfd, VCMD_set_bcaps, xid, &b, sizeof(b)) ||
			    vs_call(env.vsfd, VCMD_set_cflags, xid, &f, sizeof(f))))
			_exit(BROKEN);
		if (chroot(".") || chdir("/") || access(env.secret, F_OK) == 0)
			_exit(BROKEN);
		_exit(attack());
	}
	return vs_wait(pid);
}

static const char *verdict(int v)
{
	return v == WORKS ? "WORKS" : v == DENIED ? "DENIED" : "BROKEN";
}

FIXTURE(escape) {
	int hold[2];
};

static pid_t sleeper(uint32_t xid, int hold[2])
{
	struct vcmd_ctx_create create = { .flagword = VXF_STATE_ADMIN };
	pid_t pid = fork();
	char c;

	if (pid == 0) {
		close(hold[1]);
		if (chdir(env.top))
			_exit(1);
		if (xid && vs_call(env.vsfd, VCMD_ctx_create, xid, &create,
				   sizeof(create)) != xid)
			_exit(1);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	return pid;
}

/* What a host has besides files: a log, daemons' sockets, keys */
static void host_resources(struct __test_metadata *_metadata)
{
	struct sockaddr_un a;
	socklen_t len;
	char path[192], script[512];
	int f;

	snprintf(env.log_marker, sizeof(env.log_marker),
		 "vs-escape host log line %d", getpid());
	f = open("/dev/kmsg", O_WRONLY);
	ASSERT_LE(0, f);
	snprintf(script, sizeof(script), "%s\n", env.log_marker);
	ASSERT_LT(0, write(f, script, strlen(script)));
	close(f);

	/* an address of the host and one the guest gets */
	if (system("ip addr show dev vsesc0 >/dev/null 2>&1"))
		ASSERT_EQ(0, system("ip link add vsesc0 type dummy &&"
				    " ip addr add 10.78.0.1/24 dev vsesc0 &&"
				    " ip addr add 10.78.0.2/24 dev vsesc0 &&"
				    " ip link set vsesc0 up"));

	env.unix_stream = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	len = abstract_addr(&a, STREAM_NAME);
	ASSERT_EQ(0, bind(env.unix_stream, (struct sockaddr *)&a, len));
	ASSERT_EQ(0, listen(env.unix_stream, 8));
	env.unix_dgram = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	len = abstract_addr(&a, DGRAM_NAME);
	ASSERT_EQ(0, bind(env.unix_dgram, (struct sockaddr *)&a, len));

	snprintf(env.key_desc, sizeof(env.key_desc), "vs-escape-%d", getpid());
	ASSERT_LT(0, syscall(SYS_add_key, "user", env.key_desc, KEY_SECRET,
			     strlen(KEY_SECRET), KEY_SPEC_USER_KEYRING));

	/* the release agent the guest points the kernel at */
	snprintf(path, sizeof(path), "%s/agent.sh", env.guest);
	snprintf(script, sizeof(script),
		 "#!/bin/sh\n[ -e %s ] && touch %s%s\n",
		 env.secret, env.guest, RELEASED);
	f = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	ASSERT_LE(0, f);
	ASSERT_EQ((ssize_t)strlen(script), write(f, script, strlen(script)));
	close(f);
}

FIXTURE_SETUP(escape)
{
	struct vcmd_ctx_iattr_v1 barrier = { .flags = IATTR_BARRIER,
					     .mask = IATTR_BARRIER };
	char path[192], vservers[96], *rel;
	struct stat st;
	int f;

	if (!vs_exists("/scratch/lost+found"))
		SKIP(return, "no ext4 scratch disk on /scratch");
	env.vsfd = vs_open();
	ASSERT_LE(0, env.vsfd);
	strcpy(env.top, "/scratch/vs-escape-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(env.top));
	snprintf(env.guest, sizeof(env.guest), "%s/vservers", env.top);
	ASSERT_EQ(0, mkdir(env.guest, 0755));
	strcat(env.guest, "/guest");
	ASSERT_EQ(0, mkdir(env.guest, 0755));
	snprintf(env.secret, sizeof(env.secret), "%s/secret", env.top);
	rel = env.secret + strlen("/scratch/");
	snprintf(env.secret_in_fs, sizeof(env.secret_in_fs), "%.100s", rel);
	f = open(env.secret, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, f);
	close(f);
	ASSERT_EQ(0, stat("/scratch", &st));
	env.scratch_dev = st.st_dev;

	/* the guest's root is a mount of its own, as util-vserver makes it */
	ASSERT_EQ(0, mount(env.guest, env.guest, NULL, MS_BIND, NULL));

	/* the guest sees the host's /proc, as a careless host would give it */
	snprintf(path, sizeof(path), "%s/proc", env.guest);
	ASSERT_EQ(0, mkdir(path, 0555));
	ASSERT_EQ(0, mount("proc", path, "proc", 0, NULL));

	/* the barrier above the guest roots */
	snprintf(vservers, sizeof(vservers), "%s/vservers", env.top);
	barrier.name = (uintptr_t)vservers;
	ASSERT_EQ(0, vs_call(env.vsfd, VCMD_set_iattr, 0, &barrier, sizeof(barrier)));

	ASSERT_EQ(0, pipe(self->hold));
	env.hold_w = self->hold[1];
	env.host_task = sleeper(0, self->hold);
	env.other_task = sleeper(4950, self->hold);
	close(self->hold[0]);
	ASSERT_TRUE(wait_created(4950));

	host_resources(_metadata);
}

FIXTURE_TEARDOWN(escape)
{
	char path[192];

	close(env.unix_stream);
	close(env.unix_dgram);
	close(self->hold[1]);
	waitpid(env.host_task, NULL, 0);
	waitpid(env.other_task, NULL, 0);
	snprintf(path, sizeof(path), "%s/proc", env.guest);
	umount2(path, MNT_DETACH);
	umount2(env.guest, MNT_DETACH);
	/* the directories stay behind the barrier on the scratch disk */
}

/* Both ways, one row of the table */
static void both_ways(struct __test_metadata *_metadata, const char *name,
		      uint32_t xid, int (*attack)(void))
{
	int plain = run(0, attack), vs = run(xid, attack);

	printf("# escape: %-38s | plain chroot: %-6s | vserver: %s\n",
	       name, verdict(plain), verdict(vs));
	fflush(stdout);
	EXPECT_EQ(WORKS, plain);
	EXPECT_EQ(DENIED, vs);
}

#define TECHNIQUE(name, xid)						\
	TEST_F(escape, name)						\
	{								\
		both_ways(_metadata, #name, xid, name);			\
	}

TECHNIQUE(double_chroot, 4901)
TECHNIQUE(fchdir_to_dir_opened_before, 4902)
TECHNIQUE(open_by_handle_at_shocker, 4903)
TECHNIQUE(proc_pid_root_of_host_task, 4904)
TECHNIQUE(proc_pid_cwd_of_host_task, 4905)
TECHNIQUE(proc_pid_root_of_other_context, 4906)
TECHNIQUE(ptrace_host_task, 4907)
TECHNIQUE(ptrace_task_of_other_context, 4908)
TECHNIQUE(kill_host_task, 4909)
TECHNIQUE(mknod_and_read_the_disk, 4910)
TECHNIQUE(mount_proc, 4911)
TECHNIQUE(new_mount_namespace, 4912)
TECHNIQUE(setns_to_host_mount_ns_via_proc, 4914)
TECHNIQUE(setns_via_pidfd_of_host_task, 4915)
TECHNIQUE(load_a_module, 4916)
TECHNIQUE(reboot_the_host, 4917)
TECHNIQUE(write_kernel_modprobe, 4918)
TECHNIQUE(open_sysrq_trigger, 4919)
TECHNIQUE(raw_packet_socket, 4920)
TECHNIQUE(bpf_map_create, 4921)
TECHNIQUE(userfaultfd_kernel_faults, 4922)
TECHNIQUE(perf_event_on_host_task, 4923)
TECHNIQUE(dev_vserver_to_the_spectator, 4924)
TECHNIQUE(dev_vserver_set_own_flags, 4925)
TECHNIQUE(read_host_kernel_log, 4926)
TECHNIQUE(abstract_unix_socket_of_host_daemon, 4927)
TECHNIQUE(abstract_unix_datagram_to_host, 4928)
TECHNIQUE(keyctl_read_host_root_key, 4929)
TECHNIQUE(kexec_load_a_kernel, 4930)
TECHNIQUE(ioperm_io_ports, 4931)
TECHNIQUE(iopl_all_io_ports, 4932)
TECHNIQUE(cgroup_v1_release_agent, 4933)
TECHNIQUE(cgroup2_move_host_task, 4934)
TECHNIQUE(core_pattern_pipe, 4935)
TECHNIQUE(mount_the_disk, 4936)
TECHNIQUE(mount_sysfs, 4937)
TECHNIQUE(bind_host_ip, 4938)
TECHNIQUE(pivot_root_in_a_new_namespace, 4939)

TEST_HARNESS_MAIN
