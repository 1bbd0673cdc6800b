// SPDX-License-Identifier: GPL-2.0
/*
 * vserver module - security contexts: creation, migration and lifetime.
 *
 * A context is in vx_table from VCMD_ctx_create until its last task exits
 * (or, with VXF_PERSISTENT, until that flag goes).  Tasks are counted
 * through the task slot of the hook layer, which holds the context a task
 * is counted in together with a reference to it; credentials carry the
 * xid and a reference of their own.  When a context ends it gives back all
 * it holds, including its reference on the module; the memory itself is
 * freed by the hook layer after an RCU grace period at the last reference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/cred.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>
#include <linux/nsproxy.h>
#include <linux/sysctl.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/vserver.h>

#include "cgroup.h"
#include "context.h"
#include "inode.h"
#include "internal.h"
#include "limit.h"
#include "network.h"
#include "proc.h"

/* Hashed contexts by xid; readers use RCU, writers hold vx_lock. */
static DEFINE_XARRAY_ALLOC(vx_table);
/* Serializes create, migrate and the end of a context. */
static DEFINE_MUTEX(vx_lock);
static int vx_active;

static struct vx_info *vx_of(struct vs_ref *ref)
{
	return ref ? container_of(ref, struct vx_info, ref) : NULL;
}

/* Is the caller in a context that is still being set up? */
bool vx_current_in_setup(void)
{
	struct vx_info *vx = vx_of(vserver_cred(current_cred())->vx);

	return vx && (READ_ONCE(vx->flags) & VXF_STATE_SETUP);
}

u32 vx_current_xid(void)
{
	return vserver_cred(current_cred())->xid;
}

u32 vx_task_xid(struct task_struct *task)
{
	u32 xid;

	rcu_read_lock();
	xid = vserver_cred(__task_cred(task))->xid;
	rcu_read_unlock();
	return xid;
}

/* A context, for the caller's RCU read section, without a reference */
struct vx_info *vx_lookup_rcu(u32 xid)
{
	return xa_load(&vx_table, xid);
}

/**
 * vx_lookup - find a hashed context
 * @xid: context id
 *
 * Return: the context with a reference the caller must vx_put(), or NULL.
 */
struct vx_info *vx_lookup(u32 xid)
{
	struct vx_info *vx;

	rcu_read_lock();
	vx = xa_load(&vx_table, xid);
	if (vx && !refcount_inc_not_zero(&vx->ref.count))
		vx = NULL;
	rcu_read_unlock();
	return vx;
}

/*
 * The caller's context, NULL on the host.  Its credentials hold a
 * reference, and only the caller changes them: valid until it does.
 */
struct vx_info *vx_current(void)
{
	return vx_of(vserver_cred(current_cred())->vx);
}

/* Call @fn for every context, under vx_lock */
void vx_for_each(void (*fn)(struct vx_info *vx))
{
	struct vx_info *vx;
	unsigned long xid;

	mutex_lock(&vx_lock);
	xa_for_each(&vx_table, xid, vx)
		fn(vx);
	mutex_unlock(&vx_lock);
}

int vx_count(void)
{
	return READ_ONCE(vx_active);
}

/* End @vx if nothing keeps it alive any more. */
static void vx_end_locked(struct vx_info *vx)
{
	lockdep_assert_held(&vx_lock);

	if (!vx->hashed || atomic_read(&vx->tasks) ||
	    (vx->flags & VXF_PERSISTENT))
		return;
	vx->hashed = false;
	xa_erase(&vx_table, vx->xid);
	vx_active--;
	vx_proc_remove(vx);
	vx_cg_release(vx);
	vx_space_release(vx);
	vx_log_free(&vx->log);
	wake_up_all(&vx->exit_wait);
	vx_put(vx);		/* the table's reference */
	module_put(THIS_MODULE);
}

/* A task counted in @vx leaves it (exit, or migration elsewhere). */
static void vx_task_leave_locked(struct vx_info *vx)
{
	if (atomic_dec_and_test(&vx->tasks))
		vx_end_locked(vx);
	vx_put(vx);
}

static void vx_task_leave(struct vx_info *vx)
{
	if (atomic_dec_and_mutex_lock(&vx->tasks, &vx_lock)) {
		vx_end_locked(vx);
		mutex_unlock(&vx_lock);
	}
	vx_put(vx);
}

/* Move current into @vx: credentials first, then the task count. */
/* Cut every capability set of @cred down to @bcaps. */
static void vx_bound_caps(struct cred *cred, u64 bcaps)
{
	cred->cap_bset.val &= bcaps;
	cred->cap_permitted.val &= bcaps;
	cred->cap_effective.val &= bcaps;
	cred->cap_inheritable.val &= bcaps;
	cred->cap_ambient.val &= bcaps;
}

static int vx_migrate_locked(struct vx_info *vx, u64 mflags)
{
	struct vs_task *slot = vserver_task(current);
	struct vx_info *old;
	struct vs_cred *vc;
	struct cred *new;

	lockdep_assert_held(&vx_lock);

	new = prepare_creds();
	if (!new)
		return -ENOMEM;
	vx_bound_caps(new, READ_ONCE(vx->bcaps));
	vc = vserver_cred(new);
	vs_ref_put(vc->vx);	/* the old cred still holds its own */
	vc->vx = &vx_get(vx)->ref;
	vc->xid = vx->xid;
	vc->tag = vx->xid;	/* files it creates are the context's */
	commit_creds(new);

	old = slot->data;
	atomic_inc(&vx->tasks);
	slot->data = vx_get(vx);
	if (old)
		vx_task_leave_locked(old);

	if (mflags & VXM_SET_INIT)
		vx->initpid = task_tgid_nr(current);
	if (mflags & VXM_SET_REAPER)
		current->signal->is_child_subreaper = 1;
	return 0;
}

/**
 * vx_create - create a context and move the caller into it
 * @xid: VC_DYNAMIC_XID or a static id (checked by the caller)
 * @flags: initial VXF_* flags
 *
 * Return: the new xid, -EEXIST if it exists (-EBUSY while it is still
 * being set up), -EAGAIN if no dynamic id is free, -ENOMEM.
 */
int vx_create(u32 xid, u64 flags)
{
	struct vx_info *vx, *old;
	int ret;

	BUILD_BUG_ON(offsetof(struct vx_info, ref) != 0);
	vx = kzalloc(sizeof(*vx), GFP_KERNEL);
	if (!vx)
		return -ENOMEM;
	refcount_set(&vx->ref.count, 1);	/* the table's */
	vx->flags = flags;
	vx->start = ktime_get_boottime_ns();
	vx->bcaps = VX_CAPS_ALL;
	init_waitqueue_head(&vx->exit_wait);
	vx_log_init(&vx->log);
	vx_limits_init(vx);
	vx_sched_init(vx);
	vx_space_init(vx);

	mutex_lock(&vx_lock);
	/*
	 * Reserve the id first (a reserved entry is invisible to lookups),
	 * move the creator in, and publish the context only then, with its
	 * creator counted: nobody ever sees it with no task.
	 */
	if (xid == VC_DYNAMIC_XID) {
		ret = xa_alloc(&vx_table, &xid, NULL,
			       XA_LIMIT(VX_MIN_D_CONTEXT, VX_MAX_S_CONTEXT),
			       GFP_KERNEL);
		if (ret == -EBUSY)
			ret = -EAGAIN;
	} else {
		ret = xa_insert(&vx_table, xid, NULL, GFP_KERNEL);
		if (ret == -EBUSY) {
			/* NULL: reserved, someone is creating it */
			old = xa_load(&vx_table, xid);
			ret = (!old || (old->flags & VXF_STATE_SETUP)) ?
			      -EBUSY : -EEXIST;
		}
	}
	if (ret)
		goto out_free;
	vx->xid = xid;

	ret = vx_migrate_locked(vx, 0);
	if (ret) {
		xa_erase(&vx_table, xid);
		goto out_free;
	}
	/* storing into a reserved slot allocates nothing and cannot fail */
	WARN_ON(xa_is_err(xa_store(&vx_table, xid, vx, GFP_KERNEL)));
	/* a context in the table keeps the module loaded */
	__module_get(THIS_MODULE);
	vx->hashed = true;
	vx_active++;
	/* /proc/virtual/<xid> is for information; without memory, go on */
	if (vx_proc_create(vx))
		pr_warn("context %u: no /proc/virtual entry (out of memory)\n", xid);
	mutex_unlock(&vx_lock);
	return xid;

out_free:
	mutex_unlock(&vx_lock);
	vx_put(vx);
	return ret;
}

/**
 * vx_migrate - move the caller into an existing context
 * @xid: context id
 * @mflags: VXM_* flags
 *
 * Return: 0, -ESRCH if there is no such context, -EACCES if it is private
 * and no longer being set up.
 */
int vx_migrate(u32 xid, u64 mflags)
{
	struct vx_info *vx;
	int ret;

	mutex_lock(&vx_lock);
	vx = xa_load(&vx_table, xid);
	if (!vx)
		ret = -ESRCH;
	else if (!(vx->flags & VXF_STATE_ADMIN))
		ret = -EACCES;	/* the guest gave up being administered */
	else if ((vx->flags & VXF_INFO_PRIVATE) &&
		 !(vx->flags & VXF_STATE_SETUP))
		ret = -EACCES;
	else
		ret = vx_migrate_locked(vx, mflags);
	mutex_unlock(&vx_lock);
	return ret;
}

/**
 * vx_become_spectator - move the caller (a host task) to context 1
 *
 * The spectator sees the tasks of every context and can change nothing.
 * It is no context object: only the id in the credentials changes.
 */
int vx_become_spectator(void)
{
	struct vs_cred *vc;
	struct cred *new;

	new = prepare_creds();
	if (!new)
		return -ENOMEM;
	vc = vserver_cred(new);
	vs_ref_put(vc->vx);	/* the host has none; kept for clarity */
	vc->vx = NULL;
	vc->xid = VX_WATCH_XID;
	commit_creds(new);
	return 0;
}

/* The bits of @vx's flags that may still change. */
u64 vx_flags_mask(struct vx_info *vx)
{
	return ~(VXF_ONE_TIME & ~READ_ONCE(vx->flags));
}

/**
 * vx_set_flags - change context flags: flags = (flags & ~mask) | (new & mask)
 * @vx: the context
 * @new: new values
 * @mask: which bits to change
 *
 * The one-time bits (VXF_STATE_*) can only be cleared.  Clearing
 * VXF_STATE_INIT from inside the context makes the caller its init;
 * clearing VXF_PERSISTENT ends a context without tasks.
 *
 * Return: 0, or -EINVAL when a cleared one-time bit would be set again.
 */
int vx_set_flags(struct vx_info *vx, u64 new, u64 mask)
{
	u64 old;

	mutex_lock(&vx_lock);
	old = vx->flags;
	if (new & mask & VXF_ONE_TIME & ~old) {
		mutex_unlock(&vx_lock);
		return -EINVAL;
	}
	WRITE_ONCE(vx->flags, (old & ~mask) | (new & mask));

	if ((old & ~vx->flags & VXF_STATE_INIT) &&
	    vserver_cred(current_cred())->vx == &vx->ref) {
		vx->initpid = task_tgid_nr(current);
		current->signal->is_child_subreaper = 1;
	}
	if (old & ~vx->flags & VXF_PERSISTENT)
		vx_end_locked(vx);
	mutex_unlock(&vx_lock);
	return 0;
}

/**
 * vx_scan - count the tasks of @vx by state and pick one of them
 * @vx: the context
 * @counts: where to count, or NULL
 *
 * Walks every task of the system: for reading, not for hot paths.
 *
 * Return: the context's init, else any task of it, with a reference;
 * NULL if it has no task.
 */
struct task_struct *vx_scan(struct vx_info *vx, struct vx_counts *counts)
{
	pid_t initpid = READ_ONCE(vx->initpid);
	struct task_struct *g, *t, *pick = NULL;
	unsigned int state;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (vserver_cred(__task_cred(t))->xid != vx->xid)
			continue;
		if (!pick || (initpid && t->pid == initpid))
			pick = t;
		if (!counts)
			continue;
		counts->threads++;
		state = READ_ONCE(t->__state);
		if (state == TASK_RUNNING)
			counts->running++;
		else if ((state & TASK_UNINTERRUPTIBLE) && !(state & TASK_NOLOAD))
			counts->unintr++;
	}
	if (pick)
		get_task_struct(pick);
	rcu_read_unlock();
	return pick;
}

/* Only the counts of vx_scan(), for who needs no task */
void vx_tally(struct vx_info *vx, struct vx_counts *counts)
{
	struct task_struct *task = vx_scan(vx, counts);

	if (task)
		put_task_struct(task);
}

/*
 * The CPU time (ns) the tasks of @vx ran: the living ones' and what the
 * exited ones left.  From kernel structures only, so it may be asked
 * where reading a cgroup file may not (under a seq_file's lock).
 */
void vx_cputime(struct vx_info *vx, u64 *user, u64 *sys)
{
	struct task_struct *g, *t;

	*user = atomic64_read(&vx->exit_utime);
	*sys = atomic64_read(&vx->exit_stime);
	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (vserver_cred(__task_cred(t))->xid != vx->xid)
			continue;
		*user += READ_ONCE(t->utime);
		*sys += READ_ONCE(t->stime);
	}
	rcu_read_unlock();
}

static_assert(VHIN_SYSNAME - 1 == VS_UTS_SYSNAME &&
	      VHIN_NODENAME - 1 == VS_UTS_NODENAME &&
	      VHIN_RELEASE - 1 == VS_UTS_RELEASE &&
	      VHIN_VERSION - 1 == VS_UTS_VERSION &&
	      VHIN_MACHINE - 1 == VS_UTS_MACHINE &&
	      VHIN_DOMAINNAME - 1 == VS_UTS_DOMAINNAME);

/* Check a UTS @field (VHIN_*) and find the task whose namespace has it */
static int vx_uts_task(struct vx_info *vx, u32 field, struct task_struct **task)
{
	if (field < VHIN_SYSNAME || field > VHIN_DOMAINNAME)
		return -EINVAL;
	*task = vx_scan(vx, NULL);
	return *task ? 0 : -ESRCH;
}

/**
 * vx_uts_get - read a UTS name (VHIN_SYSNAME..VHIN_DOMAINNAME) of @vx
 * @vx: the context
 * @field: VHIN_* other than VHIN_CONTEXT
 * @buf: where to copy it
 * @size: size of @buf
 *
 * The names are those of the UTS namespace of the context's init (or of
 * any of its tasks): what uname(2) shows inside.
 *
 * Return: 0, -EINVAL for an unknown field, -ESRCH without a task.
 */
int vx_uts_get(struct vx_info *vx, u32 field, char *buf, size_t size)
{
	struct task_struct *task;
	int ret = vx_uts_task(vx, field, &task);

	if (ret)
		return ret;
	ret = vserver_uts_get(task, field - 1, buf, size);
	put_task_struct(task);
	return ret;
}

/**
 * vx_uts_set - change a UTS name of @vx
 * @vx: the context
 * @field: VHIN_* other than VHIN_CONTEXT
 * @name: NUL-terminated new name
 *
 * Return: 0, -EINVAL for an unknown field or too long a name, -ESRCH
 * without a task, -EPERM if the context shares the host's namespace.
 */
int vx_uts_set(struct vx_info *vx, u32 field, const char *name)
{
	struct task_struct *task;
	int ret = vx_uts_task(vx, field, &task);

	if (ret)
		return ret;
	ret = vserver_uts_set(task, field - 1, name);
	put_task_struct(task);
	return ret;
}

/**
 * vx_set_bcaps - shrink the bounding set: bcaps = (bcaps & ~mask) | (new & mask)
 * @vx: the context
 * @new: new values
 * @mask: which bits to change
 *
 * Tasks already in the context keep their credentials, but vx_capable()
 * denies them what the set lacks from now on, and their next exec drops
 * it from their credentials.
 *
 * Return: 0, or -EINVAL when a bit would be set that is clear now or is
 * no capability.
 */
int vx_set_bcaps(struct vx_info *vx, u64 new, u64 mask)
{
	int ret = 0;

	mutex_lock(&vx_lock);
	if ((new & mask & ~vx->bcaps) || (mask & ~VX_CAPS_ALL))
		ret = -EINVAL;
	else
		WRITE_ONCE(vx->bcaps, vx->bcaps & (~mask | new));
	mutex_unlock(&vx_lock);
	return ret;
}

/**
 * vx_set_ccaps - change the context capabilities: ccaps = (ccaps & ~mask) | (new & mask)
 * @vx: the context
 * @new: new values
 * @mask: which bits to change
 *
 * Return: 0, or -EINVAL for a bit we do not implement.
 */
int vx_set_ccaps(struct vx_info *vx, u64 new, u64 mask)
{
	if ((new | mask) & ~VXC_SUPPORTED)
		return -EINVAL;
	mutex_lock(&vx_lock);
	WRITE_ONCE(vx->ccaps, (vx->ccaps & ~mask) | (new & mask));
	mutex_unlock(&vx_lock);
	return 0;
}

/**
 * vx_capable - capability check of a task with @cred
 * @cred: its credentials
 * @ns: the user namespace the capability is checked in
 * @cap: the capability
 * @opts: CAP_OPT_*
 *
 * Called for every capability check that commoncap allowed; must be
 * cheap and must not sleep.  A task of a context has no capability
 * outside the context's bounding set, in any user namespace.
 *
 * Return: 0 or -EPERM.
 */
int vx_capable(const struct cred *cred, struct user_namespace *ns, int cap,
	       unsigned int opts)
{
	struct vx_info *vx = vx_of(vserver_cred(cred)->vx);

	if (!vx || (READ_ONCE(vx->bcaps) & BIT_ULL(cap)))
		return 0;
	return -EPERM;
}

/**
 * vx_bprm_creds - bound what an exec in a context grants
 * @bprm: the exec; commoncap has computed bprm->cred
 *
 * A setuid-root binary or one with file capabilities gets nothing
 * outside the context's bounding set.
 */
void vx_bprm_creds(struct linux_binprm *bprm)
{
	struct vx_info *vx = vx_of(vserver_cred(bprm->cred)->vx);

	if (vx)
		vx_bound_caps(bprm->cred, READ_ONCE(vx->bcaps));
}

/**
 * vx_set_umask - change the unshare mask: umask = (umask & ~mask) | (new & mask)
 * @vx: the context
 * @new: new values
 * @mask: which bits to change
 *
 * Return: 0, or -EINVAL for a bit that is no VXU_* flag.
 */
int vx_set_umask(struct vx_info *vx, u64 new, u64 mask)
{
	if ((new | mask) & ~VXU_ALL)
		return -EINVAL;

	mutex_lock(&vx_lock);
	WRITE_ONCE(vx->umask, (vx->umask & ~mask) | (new & mask));
	mutex_unlock(&vx_lock);
	return 0;
}

static_assert(VXU_NEWTIME == CLONE_NEWTIME && VXU_NEWNS == CLONE_NEWNS &&
	      VXU_NEWCGROUP == CLONE_NEWCGROUP && VXU_NEWUTS == CLONE_NEWUTS &&
	      VXU_NEWIPC == CLONE_NEWIPC && VXU_NEWUSER == CLONE_NEWUSER &&
	      VXU_NEWPID == CLONE_NEWPID && VXU_NEWNET == CLONE_NEWNET &&
	      VXU_FS == CLONE_FS);

/**
 * vx_ns_change - may current create or join the namespaces in @flags?
 * @flags: CLONE_* flags of clone(2), unshare(2) or setns(2)
 *
 * The host may.  A context may while it is being set up, and afterwards
 * only the namespaces of its unshare mask.  The spectator may not: it
 * watches and changes nothing.
 *
 * Return: 0 or -EPERM.
 */
int vx_ns_change(unsigned long flags)
{
	const struct vs_cred *vc = vserver_cred(current_cred());
	u64 want = flags & VXU_NAMESPACES;
	struct vx_info *vx;

	if (!want || vc->xid == VX_HOST_XID)
		return 0;
	vx = vx_of(vc->vx);
	if (!vx)
		return -EPERM;
	if (READ_ONCE(vx->flags) & VXF_STATE_SETUP)
		return 0;
	return (want & ~READ_ONCE(vx->umask)) ? -EPERM : 0;
}

/**
 * vx_sysctl_write - may current write the sysctl @table?
 * @table: the entry
 * @per_ns: it belongs to the caller's own namespace (net, ipc, user, mq)
 *
 * The host may.  A context may write only what is its own: the entries of
 * its namespaces, not the machine's (kernel.core_pattern, vm.*, ...);
 * the spectator writes nothing.  Must not sleep.
 *
 * Return: 0 or -EACCES.
 */
int vx_sysctl_write(const struct ctl_table *table, bool per_ns)
{
	u32 xid = vx_current_xid();

	if (xid == VX_HOST_XID || (per_ns && xid != VX_WATCH_XID))
		return 0;
	/* kernel.hostname and domainname write the caller's UTS namespace */
	if ((table->data == init_uts_ns.name.nodename ||
	     table->data == init_uts_ns.name.domainname) &&
	    vx_ccap(current_cred(), VXC_SET_UTSNAME))
		return 0;
	return -EACCES;
}

/**
 * vx_kill - send @sig to tasks of @vx
 * @vx: the context
 * @pid: 0 every task, -1 every task but the init, 1 the init, else the
 *       process with that pid if it belongs to @vx
 * @sig: signal number, 0 to probe
 *
 * Return: 0 if at least one process was signalled, -ESRCH otherwise.
 */
int vx_kill(struct vx_info *vx, int pid, int sig)
{
	pid_t initpid = READ_ONCE(vx->initpid);
	struct task_struct *p;
	int sent = 0, err = 0;

	if (pid == 1) {
		if (!initpid)
			return -ESRCH;
		pid = initpid;
	}
	rcu_read_lock();
	for_each_process(p) {
		if (vx_task_xid(p) != vx->xid)
			continue;
		if (pid > 0 && task_tgid_nr(p) != pid)
			continue;
		if (pid == -1 && task_tgid_nr(p) == initpid)
			continue;
		err = sig ? send_sig_info(sig, SEND_SIG_PRIV, p) : 0;
		if (!err)
			sent++;
	}
	rcu_read_unlock();
	return sent ? 0 : (err ?: -ESRCH);
}

/**
 * vx_wait_exit - wait until @vx has ended
 * @vx: the context
 * @exit_code: wait status of its init (or last task)
 *
 * Return: 0, or -ERESTARTSYS when a signal came first.
 */
int vx_wait_exit(struct vx_info *vx, int *exit_code)
{
	int ret = wait_event_interruptible(vx->exit_wait,
					   !READ_ONCE(vx->hashed));

	if (ret)
		return ret;
	*exit_code = READ_ONCE(vx->exit_code);
	return 0;
}

void vx_get_name(struct vx_info *vx, char *buf)
{
	mutex_lock(&vx_lock);
	strscpy(buf, vx->name, VHI_NAME_LEN);
	mutex_unlock(&vx_lock);
}

void vx_set_name(struct vx_info *vx, const char *name)
{
	mutex_lock(&vx_lock);
	strscpy(vx->name, name, VHI_NAME_LEN);
	mutex_unlock(&vx_lock);
}

/* --- task events from the hook layer ------------------------------------ */

static int vs_task_alloc(struct task_struct *task, unsigned long clone_flags)
{
	const struct cred *cred = rcu_dereference_protected(task->real_cred, 1);
	struct vx_info *vx = vx_of(vserver_cred(cred)->vx);

	/* counted out by vs_task_free(), also when this fails */
	nx_task_alloc(task);

	if (!vx)
		return 0;
	/* A context whose tasks are all gone takes no new ones. */
	if (!atomic_inc_not_zero(&vx->tasks))
		return -ESRCH;
	atomic_inc(&vx->forks);
	vserver_task(task)->data = vx_get(vx);
	return 0;
}

static void vs_task_exit(struct task_struct *task)
{
	struct vs_task *slot = vserver_task(task);
	struct vx_info *vx = slot->data;
	pid_t initpid;

	if (!vx)
		return;
	slot->data = NULL;

	/* wait_exit() reports the init's status, else the last task's */
	initpid = READ_ONCE(vx->initpid);
	if (!initpid || task->pid == initpid)
		WRITE_ONCE(vx->exit_code, task->exit_code);
	/* what it ran stays the context's (vx_cputime) */
	atomic64_add(READ_ONCE(task->utime), &vx->exit_utime);
	atomic64_add(READ_ONCE(task->stime), &vx->exit_stime);
	vx_task_leave(vx);
}

/*
 * A task that never ran do_exit() (fork failed after task_alloc) is still
 * counted.  task_free may run in atomic context, so ending a context from
 * there (which its parent being alive in it makes unlikely) is left to a
 * workqueue of ours, drained before the module goes.
 */
static struct workqueue_struct *vx_wq;

struct vx_end_req {
	struct work_struct work;
	struct vx_info *vx;
};

static void vx_end_work(struct work_struct *work)
{
	struct vx_end_req *req = container_of(work, struct vx_end_req, work);

	mutex_lock(&vx_lock);
	vx_end_locked(req->vx);
	mutex_unlock(&vx_lock);
	vx_put(req->vx);
	kfree(req);
}

static void vs_task_free(struct task_struct *task)
{
	struct vs_task *slot = vserver_task(task);
	struct vx_info *vx = slot->data;
	struct vx_end_req *req;

	nx_task_free(task);
	if (!vx)
		return;
	slot->data = NULL;
	if (atomic_dec_and_test(&vx->tasks)) {
		req = kmalloc(sizeof(*req), GFP_ATOMIC);
		if (req) {
			INIT_WORK(&req->work, vx_end_work);
			req->vx = vx;	/* takes over the task's reference */
			queue_work(vx_wq, &req->work);
			return;
		}
		pr_warn("context %u: out of memory ending it\n", vx->xid);
	}
	vx_put(vx);
}

int vs_context_init(void)
{
	vx_wq = alloc_workqueue("vserver", 0, 0);
	return vx_wq ? 0 : -ENOMEM;
}

void vs_context_exit(void)
{
	destroy_workqueue(vx_wq);
	xa_destroy(&vx_table);
}

/**
 * vx_access - may a task with @subject credentials @mode one with @object's?
 * @subject: credentials of the acting task
 * @object: credentials of the task acted on
 * @mode: see, signal or control
 *
 * The host reaches everything, a context only itself; the spectator sees
 * everything and touches nothing.  Tasks out of reach are hidden: -ESRCH,
 * as if they did not exist.  May be called in atomic context.
 */
int vx_access(const struct cred *subject, const struct cred *object,
	      enum vs_access mode)
{
	u32 from = vserver_cred(subject)->xid;
	u32 to = vserver_cred(object)->xid;

	if (from == VX_HOST_XID || from == to)
		return 0;
	if (from == VX_WATCH_XID)
		return mode == VS_ACCESS_SEE ? 0 : -EPERM;
	return -ESRCH;
}

/**
 * vx_unix_connect - may a unix socket of context @xid reach one of @peer_xid?
 * @xid: context of the connecting (sending) socket
 * @peer_xid: context of the listening (receiving) socket
 *
 * An abstract socket has no path that a chroot or a barrier could hide:
 * a context reaches only its own sockets; the host reaches all.
 *
 * Return: 0 or -ECONNREFUSED (as if nobody listened).
 */
static int vx_unix_connect(u32 xid, u32 peer_xid)
{
	return xid == VX_HOST_XID || xid == peer_xid ? 0 : -ECONNREFUSED;
}

/**
 * vx_key_access - may @cred use a key made in context @key_xid?
 * @cred: the user's credentials
 * @key_xid: context of the task that made the key
 * @need: KEY_NEED_* (unused: every use is the same)
 *
 * The initial user namespace shares user keyrings by uid: root of a
 * context would find the host root's.  Keys stay in the context that made
 * them, both ways: the host does not use a guest's keys either (one could
 * plant a key in a keyring the host searches).
 *
 * Return: 0 or -EACCES.
 */
static int vx_key_access(const struct cred *cred, u32 key_xid,
			 unsigned int need)
{
	return vserver_cred(cred)->xid == key_xid ? 0 : -EACCES;
}

const struct vserver_ops vs_ops = {
	.owner = THIS_MODULE,
	.task_alloc = vs_task_alloc,
	.task_exit = vs_task_exit,
	.task_free = vs_task_free,
	.access = vx_access,
	.proc_vinfo = vs_proc_vinfo,
	.proc_ninfo = vs_proc_ninfo,
	.proc_visible = vs_proc_visible,
	.ns_change = vx_ns_change,
	.capable = vx_capable,
	.bprm_creds = vx_bprm_creds,
	.inode_permission = vs_inode_permission,
	.xattr_change = vs_xattr_change,
	.sysctl_write = vx_sysctl_write,
	.ccap = vx_ccap,
	.mount = vx_mount,
	.syslog = vx_syslog,
	.kmsg_open = vx_kmsg_open,
	.inode_change = vs_inode_change,
	.tag_permission = vs_tag_permission,
	.tag_change = vs_tag_change,
	.sb_delete = vs_dlimit_sb_delete,
	.cow_break = vs_cow_break,
	.syscall = vs_syscall,
	.unix_connect = vx_unix_connect,
	.key_access = vx_key_access,
	.inet_bind = nx_inet_bind,
	.inet_getname = nx_inet_getname,
	.sk_rcv = nx_sk_rcv,
	.sk_apart = nx_sk_apart,
	.route4 = nx_route4,
	.route6 = nx_route6,
	.ncap = nx_ncap,
	.setsockopt = nx_setsockopt,
	.socket_created = nx_socket_created,
	.dev_visible = nx_dev_visible,
	.addr_visible = nx_addr_visible,
	.sk_visible = nx_sk_visible,
	.uptime = vx_uptime,
	.loadavg = vx_loadavg,
	.meminfo = vx_meminfo,
	.charge = vx_charge,
	.proc_stat = vx_proc_stat,
	.sock_acct = vx_sock_acct,
};
