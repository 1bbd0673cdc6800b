// SPDX-License-Identifier: GPL-2.0
/*
 * vserver module - /proc/virtual in Linux-VServer's format.
 *
 *   /proc/virtual/info         API version and kernel feature bits
 *   /proc/virtual/status       number of contexts
 *   /proc/virtual/<xid>/info   one directory per existing context
 *   /proc/virtual/<xid>/status
 *   /proc/virtual/<xid>/cvirt  uptime bias, uname, task counts, load
 *   /proc/virtual/<xid>/limit  limits, usage, watermarks, hits (limit.c)
 *   /proc/virtual/<xid>/sched  the token bucket and its CFS bandwidth
 *   /proc/virtual/<xid>/cacct  socket traffic per family (cvirt.c)
 *
 * Inside a context only its own <xid> directory can be seen.  The same for
 * network contexts:
 *
 *   /proc/virtnet/info, /proc/virtnet/status
 *   /proc/virtnet/<nid>/info    broadcast, loopback and addresses
 *   /proc/virtnet/<nid>/status  flags and caps
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/kstrtox.h>
#include <linux/mm.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/loadavg.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/vserver.h>
#include <asm/unistd.h>

#include "context.h"
#include "limit.h"
#include "network.h"
#include "proc.h"

static struct proc_dir_entry *vx_proc_root;
static struct proc_dir_entry *nx_proc_root;

static int vs_virtual_info_show(struct seq_file *m, void *v)
{
	seq_printf(m, "VCIVersion:\t%04x:%04x\n",
		   VCI_VERSION >> 16, VCI_VERSION & 0xFFFF);
#ifdef __NR_vserver
	/* where util-vserver finds the system call (kernel-patches 0035) */
	seq_printf(m, "VCISyscall:\t%d\n", __NR_vserver);
#endif
	seq_printf(m, "VCIKernel:\t%08x\n", VCI_FEATURES);
	return 0;
}

static int vs_virtual_status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "#CActive:\t%d\n", vx_count());
	return 0;
}

static int vs_virtnet_status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "#CActive:\t%d\n", nx_count());
	return 0;
}

static int nx_info_show(struct seq_file *m, void *v)
{
	struct nx_info *nx = m->private;

	seq_printf(m, "ID:\t%u\n", nx->nid);
	seq_printf(m, "Info:\t%p\n", nx);
	seq_printf(m, "Bcast:\t%pI4\n", &nx->bcast);
	seq_printf(m, "Lback:\t%pI4\n", &nx->lback);
	nx_show_addrs(m, nx, false);
	return 0;
}

static int nx_status_show(struct seq_file *m, void *v)
{
	struct nx_info *nx = m->private;

	seq_printf(m, "UseCnt:\t%u\n", refcount_read(&nx->ref.count));
	seq_printf(m, "Tasks:\t%d\n", atomic_read(&nx->tasks));
	seq_printf(m, "Flags:\t%016llx\n", READ_ONCE(nx->flags));
	seq_printf(m, "NCaps:\t%016llx\n", READ_ONCE(nx->ncaps));
	return 0;
}

static int vx_info_show(struct seq_file *m, void *v)
{
	struct vx_info *vx = m->private;

	seq_printf(m, "ID:\t%u\n", vx->xid);
	seq_printf(m, "Info:\t%p\n", vx);
	seq_printf(m, "Init:\t%d\n", READ_ONCE(vx->initpid));
	return 0;
}

static int vx_status_show(struct seq_file *m, void *v)
{
	struct vx_info *vx = m->private;

	seq_printf(m, "UseCnt:\t%u\n", refcount_read(&vx->ref.count));
	seq_printf(m, "Tasks:\t%d\n", atomic_read(&vx->tasks));
	seq_printf(m, "Flags:\t%016llx\n", READ_ONCE(vx->flags));
	seq_printf(m, "BCaps:\t%016llx\n", READ_ONCE(vx->bcaps));
	seq_printf(m, "CCaps:\t%016llx\n", READ_ONCE(vx->ccaps));
	seq_printf(m, "Umask:\t%16llx\n", READ_ONCE(vx->umask));
	seq_printf(m, "Spaces:\t%08llx %08llx\n", vx_space_mask(vx, 0),
		   vx_space_mask(vx, 1));
	return 0;
}

static int vx_cvirt_show(struct seq_file *m, void *v)
{
	static const char * const uts_keys[] = {
		[VHIN_SYSNAME] = "SysName", [VHIN_NODENAME] = "NodeName",
		[VHIN_RELEASE] = "Release", [VHIN_VERSION] = "Version",
		[VHIN_MACHINE] = "Machine", [VHIN_DOMAINNAME] = "DomainName",
	};
	struct vx_info *vx = m->private;
	struct timespec64 bias = ns_to_timespec64(vx->start);
	struct vx_counts counts = {};
	struct task_struct *task;
	char name[VHI_NAME_LEN];
	u32 f;

	seq_printf(m, "BiasUptime:\t%lld.%02ld\n", (long long)bias.tv_sec,
		   bias.tv_nsec / (NSEC_PER_SEC / 100));
	task = vx_scan(vx, &counts);
	for (f = VHIN_SYSNAME; task && f <= VHIN_DOMAINNAME; f++)
		if (!vserver_uts_get(task, f - 1, name, sizeof(name)))
			seq_printf(m, "%s:\t%s\n", uts_keys[f], name);
	if (task)
		put_task_struct(task);
	seq_printf(m, "nr_threads:\t%d\n", counts.threads);
	seq_printf(m, "nr_running:\t%d\n", counts.running);
	seq_printf(m, "nr_unintr:\t%d\n", counts.unintr);
	seq_printf(m, "loadavg:\t%lu.%02lu %lu.%02lu %lu.%02lu\n",
		   LOAD_INT(vx->avenrun[0]), LOAD_FRAC(vx->avenrun[0]),
		   LOAD_INT(vx->avenrun[1]), LOAD_FRAC(vx->avenrun[1]),
		   LOAD_INT(vx->avenrun[2]), LOAD_FRAC(vx->avenrun[2]));
	seq_printf(m, "total_forks:\t%d\n", atomic_read(&vx->forks));
	return 0;
}

/* /proc/PID/vinfo: the task's security context, as Linux-VServer showed it */
void vs_proc_vinfo(struct seq_file *m, struct task_struct *task)
{
	const struct cred *cred;
	struct vx_info *vx;
	u64 bcaps;
	u32 xid;

	rcu_read_lock();
	cred = __task_cred(task);
	xid = vserver_cred(cred)->xid;
	bcaps = cred->cap_bset.val;
	rcu_read_unlock();

	seq_printf(m, "XID:\t%u\n", xid);
	seq_printf(m, "BCaps:\t%016llx\n", bcaps);
	vx = xid >= VX_MIN_S_CONTEXT ? vx_lookup(xid) : NULL;
	if (!vx)
		return;
	seq_printf(m, "CCaps:\t%016llx\n", READ_ONCE(vx->ccaps));
	seq_printf(m, "CFlags:\t%016llx\n", READ_ONCE(vx->flags));
	seq_printf(m, "CIPid:\t%d\n", READ_ONCE(vx->initpid));
	vx_put(vx);
}

/* /proc/PID/ninfo: the task's network context, as Linux-VServer showed it */
void vs_proc_ninfo(struct seq_file *m, struct task_struct *task)
{
	struct nx_info *nx;
	u32 nid;

	rcu_read_lock();
	nid = vserver_cred(__task_cred(task))->nid;
	rcu_read_unlock();
	seq_printf(m, "NID:\t%u\n", nid);
	nx = nid ? nx_lookup(nid) : NULL;
	if (!nx)
		return;
	seq_printf(m, "NCaps:\t%016llx\n", READ_ONCE(nx->ncaps));
	seq_printf(m, "NFlags:\t%016llx\n", READ_ONCE(nx->flags));
	seq_printf(m, "V4Root[bcast]:\t%pI4\n", &nx->bcast);
	seq_printf(m, "V4Root[lback]:\t%pI4\n", &nx->lback);
	nx_show_addrs(m, nx, true);
	nx_put(nx);
}

/*
 * Global /proc entries that are not for contexts: sysrq-trigger takes
 * no capability at all (any uid 0 may crash or reboot the host through
 * it), the others expose the host's memory and kernel log.
 */
static const char * const vs_proc_host_only[] = {
	"sysrq-trigger", "kcore", "kmsg", "kpagecount", "kpageflags",
	"kpagecgroup",
};

/*
 * Inside a context, /proc/virtual shows only the context's own directory;
 * the host and the spectator see them all.  The host-only entries of /proc
 * (@parent NULL) exist for the host alone.  Under proc_subdir_lock, or
 * from proc_reg_open(): must not sleep.
 */
bool vs_proc_visible(const struct proc_dir_entry *parent, const char *name)
{
	u32 xid, me = vx_current_xid();
	int i;

	if (!parent) {
		if (me == VX_HOST_XID)
			return true;
		for (i = 0; i < ARRAY_SIZE(vs_proc_host_only); i++)
			if (!strcmp(name, vs_proc_host_only[i]))
				return false;
		return true;
	}
	if ((parent != vx_proc_root && parent != nx_proc_root) ||
	    kstrtou32(name, 10, &xid))
		return true;
	if (me == VX_HOST_XID || me == VX_WATCH_XID)
		return true;
	return parent == vx_proc_root ? me == xid : nx_current_nid() == xid;
}

/*
 * Files whose text needs the cgroup's files (limit, sched): their show
 * functions run when the file is opened, outside any seq_file lock (the
 * cgroup files are seq_files too, read by our worker), into a buffer
 * that read() hands out.
 */
struct vx_snapshot {
	size_t len;
	char text[];
};

static int vx_snapshot_open(struct file *file,
			    int (*show)(struct seq_file *m, void *v),
			    void *data)
{
	struct seq_file m = { .private = data };
	struct vx_snapshot *snap;
	size_t size = PAGE_SIZE;

	for (;;) {
		snap = kvmalloc(sizeof(*snap) + size, GFP_KERNEL);
		if (!snap)
			return -ENOMEM;
		m.buf = snap->text;
		m.size = size;
		m.count = 0;
		show(&m, NULL);
		if (!seq_has_overflowed(&m))
			break;
		kvfree(snap);
		size *= 2;
	}
	snap->len = m.count;
	file->private_data = snap;
	return 0;
}

static ssize_t vx_snapshot_read(struct file *file, char __user *buf,
				size_t count, loff_t *pos)
{
	struct vx_snapshot *snap = file->private_data;

	return simple_read_from_buffer(buf, count, pos, snap->text, snap->len);
}

static int vx_snapshot_release(struct inode *inode, struct file *file)
{
	kvfree(file->private_data);
	return 0;
}

static int vx_limit_open(struct inode *inode, struct file *file)
{
	return vx_snapshot_open(file, vx_limit_show, pde_data(inode));
}

static int vx_sched_open(struct inode *inode, struct file *file)
{
	return vx_snapshot_open(file, vx_sched_show, pde_data(inode));
}

static const struct proc_ops vx_limit_ops = {
	.proc_open = vx_limit_open,
	.proc_read = vx_snapshot_read,
	.proc_lseek = default_llseek,
	.proc_release = vx_snapshot_release,
};

static const struct proc_ops vx_sched_ops = {
	.proc_open = vx_sched_open,
	.proc_read = vx_snapshot_read,
	.proc_lseek = default_llseek,
	.proc_release = vx_snapshot_release,
};

int vx_proc_create(struct vx_info *vx)
{
	char name[12];

	snprintf(name, sizeof(name), "%u", vx->xid);
	vx->proc = proc_mkdir_data(name, 0555, vx_proc_root, vx);
	if (!vx->proc)
		return -ENOMEM;
	if (!proc_create_single_data("info", 0444, vx->proc, vx_info_show,
				     vx) ||
	    !proc_create_single_data("status", 0444, vx->proc, vx_status_show,
				     vx) ||
	    !proc_create_single_data("cvirt", 0444, vx->proc, vx_cvirt_show,
				     vx) ||
	    !proc_create_data("limit", 0444, vx->proc, &vx_limit_ops, vx) ||
	    !proc_create_data("sched", 0444, vx->proc, &vx_sched_ops, vx) ||
	    !proc_create_single_data("cacct", 0444, vx->proc, vx_cacct_show,
				     vx)) {
		proc_remove(vx->proc);
		vx->proc = NULL;
		return -ENOMEM;
	}
	return 0;
}

void vx_proc_remove(struct vx_info *vx)
{
	proc_remove(vx->proc);
	vx->proc = NULL;
}

int nx_proc_create(struct nx_info *nx)
{
	char name[12];

	snprintf(name, sizeof(name), "%u", nx->nid);
	nx->proc = proc_mkdir_data(name, 0555, nx_proc_root, nx);
	if (!nx->proc)
		return -ENOMEM;
	if (!proc_create_single_data("info", 0444, nx->proc, nx_info_show,
				     nx) ||
	    !proc_create_single_data("status", 0444, nx->proc, nx_status_show,
				     nx)) {
		proc_remove(nx->proc);
		nx->proc = NULL;
		return -ENOMEM;
	}
	return 0;
}

void nx_proc_remove(struct nx_info *nx)
{
	proc_remove(nx->proc);
	nx->proc = NULL;
}

/* /proc/@name with info and status; who sees what depends on the reader */
static struct proc_dir_entry *vs_proc_root(const char *name,
					   int (*status)(struct seq_file *,
							 void *))
{
	struct proc_dir_entry *root = proc_mkdir(name, NULL);

	if (!root)
		return NULL;
	proc_dir_force_lookup(root);	/* no dentry cache */
	if (!proc_create_single("info", 0444, root, vs_virtual_info_show) ||
	    !proc_create_single("status", 0444, root, status)) {
		proc_remove(root);
		return NULL;
	}
	return root;
}

int vs_proc_init(void)
{
	vx_proc_root = vs_proc_root("virtual", vs_virtual_status_show);
	if (!vx_proc_root)
		return -ENOMEM;
	nx_proc_root = vs_proc_root("virtnet", vs_virtnet_status_show);
	if (!nx_proc_root) {
		proc_remove(vx_proc_root);
		return -ENOMEM;
	}
	return 0;
}

void vs_proc_exit(void)
{
	proc_remove(nx_proc_root);
	proc_remove(vx_proc_root);
}
