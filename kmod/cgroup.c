// SPDX-License-Identifier: GPL-2.0
/*
 * vserver module - the cgroup of a context.
 *
 * A context that needs it lives in a cgroup v2 group of its own,
 * vserver/<xid> under the host's /sys/fs/cgroup, made the first time a
 * limit, a bucket or a flag asks for it, with the cpu, memory and pids
 * controllers:
 * the kernel's CFS bandwidth is the token bucket, memcg the memory limit,
 * the pids controller the process limit, cgroup.freeze the pause.  A
 * module cannot call the kernel's cgroup functions (attaching a task and
 * the controllers' settings are static), so it does what an administrator
 * would do, through the files of the cgroup filesystem: mkdir, write the
 * task into cgroup.procs, write memory.max...  That is the kernel's own
 * interface with all its checks.
 *
 * All of it runs in a kernel worker, whose root, namespaces and
 * credentials are the host's, whatever the caller's are; the caller waits.
 * One ordered queue keeps the creation of a context's group after the
 * removal of the previous one with the same id.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/memcontrol.h>
#include <linux/mnt_idmapping.h>
#include <linux/namei.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "cgroup.h"
#include "context.h"

#define VS_CG_MOUNT	"/sys/fs/cgroup"
#define VS_CG_PARENT	"vserver"

static struct workqueue_struct *vs_cg_wq;

struct vs_cg_call {
	struct work_struct work;
	int (*fn)(void *arg);
	void *arg;
	int ret;
};

static void vs_cg_call_work(struct work_struct *work)
{
	struct vs_cg_call *call = container_of(work, struct vs_cg_call, work);

	call->ret = call->fn(call->arg);
}

/* Run @fn(@arg) in our worker and wait for its result. */
static int vs_cg_run(int (*fn)(void *arg), void *arg)
{
	struct vs_cg_call call = { .fn = fn, .arg = arg };

	INIT_WORK_ONSTACK(&call.work, vs_cg_call_work);
	queue_work(vs_cg_wq, &call.work);
	flush_work(&call.work);
	destroy_work_on_stack(&call.work);
	return call.ret;
}

/* In the worker: the host's cgroup2 mount, or -ENOENT */
static int vs_cg_root(struct path *root)
{
	int ret = kern_path(VS_CG_MOUNT, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
			    root);

	if (ret)
		return -ENOENT;
	if (root->dentry->d_sb->s_magic != CGROUP2_SUPER_MAGIC ||
	    root->dentry != root->mnt->mnt_root) {
		path_put(root);
		return -ENOENT;
	}
	return 0;
}

/* In the worker: open @rel (below the cgroup2 mount) with @flags */
static struct file *vs_cg_open(const char *rel, int flags)
{
	struct path root, path;
	struct file *file;
	int ret;

	ret = vs_cg_root(&root);
	if (ret)
		return ERR_PTR(ret);
	ret = vfs_path_lookup(root.dentry, root.mnt, rel, 0, &path);
	path_put(&root);
	if (ret)
		return ERR_PTR(ret);
	file = dentry_open(&path, flags, current_cred());
	path_put(&path);
	return file;
}

static int vs_cg_write_file(const char *rel, const char *val)
{
	struct file *file = vs_cg_open(rel, O_WRONLY);
	size_t len = strlen(val);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(file))
		return PTR_ERR(file);
	n = kernel_write(file, val, len, &pos);
	fput(file);
	if (n < 0)
		return n;
	return n == len ? 0 : -EIO;
}

static int vs_cg_read_file(const char *rel, char *buf, size_t size)
{
	struct file *file = vs_cg_open(rel, O_RDONLY);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(file))
		return PTR_ERR(file);
	n = kernel_read(file, buf, size - 1, &pos);
	fput(file);
	if (n < 0)
		return n;
	buf[n] = '\0';
	return 0;
}

/* In the worker: mkdir (@rmdir false) or rmdir @name in directory @rel */
static int vs_cg_dir(const char *rel, const char *name, bool rmdir)
{
	struct path root, parent;
	struct dentry *dentry;
	struct inode *dir;
	int ret;

	ret = vs_cg_root(&root);
	if (ret)
		return ret;
	ret = vfs_path_lookup(root.dentry, root.mnt, rel, LOOKUP_DIRECTORY,
			      &parent);
	path_put(&root);
	if (ret)
		return ret;
	dir = d_inode(parent.dentry);
	inode_lock_nested(dir, I_MUTEX_PARENT);
	dentry = lookup_one_len(name, parent.dentry, strlen(name));
	if (IS_ERR(dentry)) {
		ret = PTR_ERR(dentry);
	} else {
		if (rmdir)
			ret = d_is_positive(dentry) ?
			      vfs_rmdir(&nop_mnt_idmap, dir, dentry) : -ENOENT;
		else
			ret = d_is_positive(dentry) ? -EEXIST :
			      vfs_mkdir(&nop_mnt_idmap, dir, dentry, 0755);
		dput(dentry);
	}
	inode_unlock(dir);
	path_put(&parent);
	return ret;
}

/* The controllers a context's group gets, each enabled on its own */
static const char * const vs_cg_controllers[] = { "+cpu", "+memory", "+pids" };

/* A context's group back to no limit (one left over from an earlier one) */
static const char * const vs_cg_defaults[][2] = {
	{ "cgroup.freeze", "0" },
	{ "cpu.max.burst", "0" },
	{ "cpu.max", "max" },
	{ "cpu.weight", "100" },
	{ "memory.high", "max" },
	{ "memory.max", "max" },
	{ "pids.max", "max" },
};

struct vs_cg_req {
	struct vx_info *vx;
	const char *file;
	const char *val;
	char *buf;
	size_t size;
	pid_t pid;
};

static void vs_cg_name(u32 xid, const char *file, char *buf, size_t size)
{
	if (file)
		snprintf(buf, size, VS_CG_PARENT "/%u/%s", xid, file);
	else
		snprintf(buf, size, VS_CG_PARENT "/%u", xid);
}

/* vserver/ is there with the controllers on (only our worker sets it) */
static bool vs_cg_parent_ready;

static int vs_cg_parent(void)
{
	int i, ret;

	/* enabling what is enabled already changes nothing */
	for (i = 0; i < ARRAY_SIZE(vs_cg_controllers); i++)
		vs_cg_write_file("cgroup.subtree_control",
				 vs_cg_controllers[i]);
	ret = vs_cg_dir(".", VS_CG_PARENT, false);
	if (ret && ret != -EEXIST)
		return ret;
	for (i = 0; i < ARRAY_SIZE(vs_cg_controllers); i++)
		vs_cg_write_file(VS_CG_PARENT "/cgroup.subtree_control",
				 vs_cg_controllers[i]);
	vs_cg_parent_ready = true;
	return 0;
}

static int vs_cg_create_fn(void *arg)
{
	struct vs_cg_req *req = arg;
	struct vx_info *vx = req->vx;
	struct cgroup_subsys_state *css;
	char name[64], rel[80];
	struct cgroup *cgrp;
	int i, ret;

	if (!vs_cg_parent_ready) {
		ret = vs_cg_parent();
		if (ret)
			return ret;
	}
	snprintf(name, sizeof(name), "%u", vx->xid);
	ret = vs_cg_dir(VS_CG_PARENT, name, false);
	if (ret == -ENOENT) {	/* the host removed vserver/ */
		ret = vs_cg_parent();
		if (!ret)
			ret = vs_cg_dir(VS_CG_PARENT, name, false);
	}
	if (ret == -EEXIST) {
		for (i = 0; i < ARRAY_SIZE(vs_cg_defaults); i++) {
			vs_cg_name(vx->xid, vs_cg_defaults[i][0], rel,
				   sizeof(rel));
			vs_cg_write_file(rel, vs_cg_defaults[i][1]);
		}
	} else if (ret) {
		return ret;
	}
	vs_cg_name(vx->xid, NULL, rel, sizeof(rel));
	cgrp = cgroup_get_from_path(rel);
	if (IS_ERR(cgrp))
		return PTR_ERR(cgrp);
	css = cgroup_get_e_css(cgrp, &memory_cgrp_subsys);
	rcu_assign_pointer(vx->memcss, css);
	WRITE_ONCE(vx->cgrp, cgrp);
	return 0;
}

/* In the worker: move process @tgid into the cgroup of context @xid */
static int vs_cg_move(u32 xid, pid_t tgid)
{
	char rel[80], pid[16];

	vs_cg_name(xid, "cgroup.procs", rel, sizeof(rel));
	snprintf(pid, sizeof(pid), "%d", tgid);
	return vs_cg_write_file(rel, pid);
}

/*
 * The processes with a task in the context that are not in its cgroup
 * yet, at most @max of them in @tgids.
 */
static int vs_cg_strays(struct vx_info *vx, pid_t *tgids, int max)
{
	struct task_struct *g, *t;
	int n = 0, i;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (vserver_cred(__task_cred(t))->xid != vx->xid ||
		    task_dfl_cgroup(t) == vx->cgrp || (t->flags & PF_EXITING))
			continue;
		for (i = 0; i < n && tgids[i] != t->tgid; i++)
			;
		if (i == n && n < max)
			tgids[n++] = t->tgid;
	}
	rcu_read_unlock();
	return n;
}

/*
 * Move every process of the context into its new cgroup.  A task that
 * forks meanwhile may leave a child behind: look again until none is
 * (a process that keeps forking faster than this is left, and said so).
 */
static int vs_cg_gather_fn(void *arg)
{
	struct vs_cg_req *req = arg;
	pid_t tgids[32];
	int pass, n, i;

	for (pass = 0; pass < 16; pass++) {
		n = vs_cg_strays(req->vx, tgids, ARRAY_SIZE(tgids));
		if (!n)
			return 0;
		for (i = 0; i < n; i++)
			vs_cg_move(req->vx->xid, tgids[i]);	/* it may be gone */
	}
	pr_warn("context %u: tasks still outside its cgroup\n", req->vx->xid);
	return 0;
}

static int vs_cg_attach_fn(void *arg)
{
	struct vs_cg_req *req = arg;

	return vs_cg_move(req->vx->xid, req->pid);
}

static int vs_cg_write_fn(void *arg)
{
	struct vs_cg_req *req = arg;
	char rel[80];

	vs_cg_name(req->vx->xid, req->file, rel, sizeof(rel));
	return vs_cg_write_file(rel, req->val);
}

static int vs_cg_read_fn(void *arg)
{
	struct vs_cg_req *req = arg;
	char rel[80];

	vs_cg_name(req->vx->xid, req->file, rel, sizeof(rel));
	return vs_cg_read_file(rel, req->buf, req->size);
}

static DEFINE_MUTEX(vs_cg_ensure_lock);

/**
 * vx_cg_ensure - give a context its cgroup, with its processes in it
 * @vx: the context
 *
 * A context gets its cgroup when something needs one (a process or
 * memory limit, a bucket, the scheduler flags, VIRT_CPU, VIRT_MEM):
 * until then it costs nothing.  Processes that join later are moved in
 * by ctx_migrate, and children follow their parents.
 *
 * Return: 0, or -EOPNOTSUPP when the host has no cgroup2 on
 * /sys/fs/cgroup (or the kernel refused the group).
 */
int vx_cg_ensure(struct vx_info *vx)
{
	struct vs_cg_req req = { .vx = vx };
	int ret = 0;

	if (READ_ONCE(vx->cgrp))
		return 0;
	mutex_lock(&vs_cg_ensure_lock);
	if (!vx->cgrp) {
		ret = vs_cg_run(vs_cg_create_fn, &req);
		if (ret) {
			pr_warn_once("context %u: no cgroup of its own (%d): CPU, memory and process limits are off\n",
				     vx->xid, ret);
			ret = -EOPNOTSUPP;
		} else {
			/* pairs with vx_cg_attach(): a joiner sees the group,
			 * or the gathering sees the joiner
			 */
			smp_mb();
			vs_cg_run(vs_cg_gather_fn, &req);
		}
	}
	mutex_unlock(&vs_cg_ensure_lock);
	return ret;
}

/**
 * vx_cg_attach - move @task's process into the cgroup of @vx
 * @vx: a context with a cgroup (else nothing happens)
 * @task: a task that joins it
 */
int vx_cg_attach(struct vx_info *vx, struct task_struct *task)
{
	struct vs_cg_req req = { .vx = vx, .pid = task_tgid_nr(task) };

	smp_mb();	/* the task's new credentials, then the group */
	if (!READ_ONCE(vx->cgrp))
		return 0;
	return vs_cg_run(vs_cg_attach_fn, &req);
}

/**
 * vx_cg_write - write into a file of the context's cgroup
 * @vx: the context
 * @file: the file's name, e.g. "memory.max"
 * @val: what to write
 *
 * Return: 0, -EOPNOTSUPP if the context has no cgroup, or what the
 * cgroup file said (-EINVAL for a value it does not take...).
 */
int vx_cg_write(struct vx_info *vx, const char *file, const char *val)
{
	struct vs_cg_req req = { .vx = vx, .file = file, .val = val };

	if (!vx->cgrp)
		return -EOPNOTSUPP;
	return vs_cg_run(vs_cg_write_fn, &req);
}

/* Read @file of the context's cgroup into @buf (NUL-terminated) */
int vx_cg_read(struct vx_info *vx, const char *file, char *buf, size_t size)
{
	struct vs_cg_req req = { .vx = vx, .file = file, .buf = buf,
				 .size = size };

	if (!vx->cgrp)
		return -EOPNOTSUPP;
	return vs_cg_run(vs_cg_read_fn, &req);
}

/*
 * The value of @key in a flat keyed cgroup file (cpu.stat, pids.events:
 * "key value" lines), 0 if it is not there.
 */
u64 vx_cg_read_key(struct vx_info *vx, const char *file, const char *key)
{
	size_t len = strlen(key);
	char *buf, *line, *p;
	u64 val = 0;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return 0;
	if (!vx_cg_read(vx, file, buf, PAGE_SIZE)) {
		p = buf;
		while ((line = strsep(&p, "\n"))) {
			if (!strncmp(line, key, len) && line[len] == ' ') {
				if (kstrtou64(line + len + 1, 10, &val))
					val = 0;
				break;
			}
		}
	}
	kfree(buf);
	return val;
}

/* A single number of a cgroup file ("max" = U64_MAX); 0 if unreadable */
u64 vx_cg_read_u64(struct vx_info *vx, const char *file)
{
	char buf[32];
	u64 val;

	if (vx_cg_read(vx, file, buf, sizeof(buf)))
		return 0;
	strim(buf);
	if (!strcmp(buf, "max"))
		return U64_MAX;
	return kstrtou64(buf, 10, &val) ? 0 : val;
}

struct vs_cg_drop {
	struct work_struct work;
	struct vx_info *vx;
};

static void vs_cg_drop_work(struct work_struct *work)
{
	struct vs_cg_drop *drop = container_of(work, struct vs_cg_drop, work);
	struct vx_info *vx = drop->vx;
	struct cgroup_subsys_state *css;
	char name[16];

	css = rcu_replace_pointer(vx->memcss, NULL, true);
	synchronize_rcu();	/* vx_memcg() readers */
	if (css)
		css_put(css);
	cgroup_put(vx->cgrp);
	vx->cgrp = NULL;
	snprintf(name, sizeof(name), "%u", vx->xid);
	/* a task the host moved in keeps it: the host's business then */
	vs_cg_dir(VS_CG_PARENT, name, true);
	vx_put(vx);
	kfree(drop);
}

/**
 * vx_cg_release - remove the cgroup of a context that ended
 * @vx: the context, without tasks
 *
 * Asynchronous (the last task may be exiting with locks held); a new
 * context with the same id waits for it in the ordered queue.
 */
void vx_cg_release(struct vx_info *vx)
{
	struct vs_cg_drop *drop;

	if (!vx->cgrp)
		return;
	drop = kmalloc(sizeof(*drop), GFP_KERNEL | __GFP_NOFAIL);
	INIT_WORK(&drop->work, vs_cg_drop_work);
	drop->vx = vx_get(vx);
	queue_work(vs_cg_wq, &drop->work);
}

int vs_cgroup_init(void)
{
	vs_cg_wq = alloc_ordered_workqueue("vserver_cg", 0);
	return vs_cg_wq ? 0 : -ENOMEM;
}

void vs_cgroup_exit(void)
{
	destroy_workqueue(vs_cg_wq);
}
