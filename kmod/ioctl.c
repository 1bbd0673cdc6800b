// SPDX-License-Identifier: GPL-2.0
/*
 * vserver module - the command dispatcher and /dev/vserver.
 *
 * Every command goes through vs_dispatch(cmd, id, data, size), the shape of
 * Linux-VServer's sys_vserver(): one table says which versions exist, how
 * big the data struct is, which way it is copied and who may call it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/signal.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <linux/vserver.h>

#include "cgroup.h"
#include "context.h"
#include "inode.h"
#include "internal.h"
#include "limit.h"
#include "network.h"

/*
 * Who may call a command.  Every command but get_version needs
 * CAP_SYS_ADMIN.  Then:
 *   VSC_ADMIN  the host (xid 0) administers; on a context (VSC_VXI) only
 *              while it keeps VXF_STATE_ADMIN, unless VSC_ANYSTATE
 *   VSC_SETUP  a task of the context itself, while it has VXF_STATE_SETUP
 *   VSC_INFO   reading: the host and the spectator any context, a task in
 *              a context its own
 * The same for network contexts (VSC_NXI), with their NXF_STATE_* bits.
 */
#define VSC_PRIV	0x0001
#define VSC_ADMIN	0x0002
#define VSC_SETUP	0x0004
#define VSC_INFO	0x0008
#define VSC_ANYSTATE	0x0010
/* id is a context, looked up before the call (VCA_VXI) */
#define VSC_VXI		0x0100
/* id is a network context (VCA_NXI) */
#define VSC_NXI		0x0200
/* How its data moves */
#define VSC_IN		0x1000	/* copied from user before the call */
#define VSC_OUT		0x2000	/* copied to user after a successful call */
#define VSC_OPTIONAL	0x4000	/* data may be left out (data 0, size 0) */

union vs_data {
	struct vcmd_ctx_create ctx_create;
	struct vcmd_ctx_migrate ctx_migrate;
	struct vcmd_vx_info_v0 vx_info;
	struct vcmd_ctx_stat_v0 ctx_stat;
	struct vcmd_ctx_flags_v0 ctx_flags;
	struct vcmd_ctx_kill_v0 ctx_kill;
	struct vcmd_wait_exit_v0 wait_exit;
	struct vcmd_vhi_name_v0 vhi_name;
	struct vcmd_umask umask;
	struct vcmd_bcaps bcaps;
	struct vcmd_ctx_caps_v1 ccaps;
	struct vcmd_ctx_iattr_v1 iattr;
	struct vcmd_ctx_fiattr_v0 fiattr;
	struct vcmd_ctx_dlimit_base_v0 dlimit_base;
	struct vcmd_ctx_dlimit_v0 dlimit;
	struct vcmd_nx_info_v0 nx_info;
	struct vcmd_net_create net_create;
	struct vcmd_net_addr_ipv4_v1 addr4_v1;
	struct vcmd_net_addr_ipv4_v2 addr4;
	struct vcmd_net_addr_ipv6_v1 addr6;
	struct vcmd_net_flags_v0 nflags;
	struct vcmd_net_caps_v0 ncaps;
	struct vcmd_ctx_rlimit_v0 rlimit;
	struct vcmd_ctx_rlimit_mask_v0 rlimit_mask;
	struct vcmd_rlimit_stat_v0 rlimit_stat;
	struct vcmd_sched_v5 sched;
	struct vcmd_sched_info sched_info;
	struct vcmd_prio_bias prio_bias;
	struct vcmd_virt_stat_v0 virt_stat;
	struct vcmd_space_mask_v2 space;
};

/* Commands whose struct has another layout for i386 binaries */
enum vs_x32 {
	VS_X32_SAME,
	VS_X32_IATTR,
	VS_X32_DLIMIT_BASE,
	VS_X32_DLIMIT,
	VS_X32_RLIMIT,
	VS_X32_SPACE,
};

struct vs_cmd {
	u32 cmd;
	u16 size;
	u16 flags;
	enum vs_x32 x32;
	long (*fn)(u32 id, struct vx_info *vx, void *data);
	long (*nfn)(u32 id, struct nx_info *nx, void *data);	/* VSC_NXI */
};

static bool xid_is_context(u32 xid)
{
	return xid >= VX_MIN_S_CONTEXT && xid <= VX_MAX_S_CONTEXT;
}

static long vc_get_version(u32 id, struct vx_info *vx, void *data)
{
	return VCI_VERSION;
}

static long vc_get_vci(u32 id, struct vx_info *vx, void *data)
{
	return VCI_FEATURES;
}

/* find_get_task_by_vpid() is not exported; this is it from exported parts. */
static struct task_struct *vs_get_task_by_vpid(pid_t nr)
{
	struct pid *pid = find_get_pid(nr);
	struct task_struct *task;

	if (!pid)
		return NULL;
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	return task;
}

/* The task @pid as the caller may see it, with a reference. */
static struct task_struct *vs_find_task(u32 pid)
{
	struct task_struct *task;
	int ret;

	if (!pid)
		return get_task_struct(current);
	if (pid > PID_MAX_LIMIT)
		return ERR_PTR(-ESRCH);
	task = vs_get_task_by_vpid(pid);
	if (!task)
		return ERR_PTR(-ESRCH);
	/* Inside a context, tasks of other contexts do not exist. */
	rcu_read_lock();
	ret = vx_access(current_cred(), __task_cred(task), VS_ACCESS_SEE);
	rcu_read_unlock();
	if (ret) {
		put_task_struct(task);
		return ERR_PTR(-ESRCH);
	}
	return task;
}

/* The xid (or nid) of task @pid, as the caller may see it. */
enum vs_task_id {
	VS_TASK_XID,
	VS_TASK_NID,
	VS_TASK_TAG,
};

static long vs_task_id(u32 pid, enum vs_task_id which)
{
	struct task_struct *task = vs_find_task(pid);
	const struct vs_cred *vc;
	long ret;

	if (IS_ERR(task))
		return PTR_ERR(task);
	rcu_read_lock();
	vc = vserver_cred(__task_cred(task));
	ret = which == VS_TASK_NID ? vc->nid :
	      which == VS_TASK_TAG ? vc->tag : vc->xid;
	rcu_read_unlock();
	put_task_struct(task);
	return ret;
}

static long vc_task_xid(u32 id, struct vx_info *vx, void *data)
{
	return vs_task_id(id, VS_TASK_XID);
}

static long vc_task_nid(u32 id, struct vx_info *vx, void *data)
{
	return vs_task_id(id, VS_TASK_NID);
}

static long vc_task_tag(u32 id, struct vx_info *vx, void *data)
{
	return vs_task_id(id, VS_TASK_TAG);
}

static long vc_vx_info(u32 id, struct vx_info *vx, void *data)
{
	struct vcmd_vx_info_v0 *info = data;

	info->xid = vx->xid;
	info->initpid = READ_ONCE(vx->initpid);
	return 0;
}

static long vc_ctx_stat(u32 id, struct vx_info *vx, void *data)
{
	struct vcmd_ctx_stat_v0 *stat = data;

	stat->usecnt = refcount_read(&vx->ref.count);
	stat->tasks = atomic_read(&vx->tasks);
	return 0;
}

/*
 * The flag and mask commands share one layout, {value, mask}: get fills
 * the value and the bits that may change, set hands both to the context.
 */
struct vs_masked {
	u64 value;
	u64 mask;
};

#define VS_MASKED_LAYOUT(type, v, m)					\
	static_assert(sizeof(struct type) == sizeof(struct vs_masked) &&	\
		      offsetof(struct type, v) == offsetof(struct vs_masked, value) && \
		      offsetof(struct type, m) == offsetof(struct vs_masked, mask))
VS_MASKED_LAYOUT(vcmd_ctx_flags_v0, flagword, mask);
VS_MASKED_LAYOUT(vcmd_bcaps, bcaps, bmask);
VS_MASKED_LAYOUT(vcmd_ctx_caps_v1, ccaps, cmask);
VS_MASKED_LAYOUT(vcmd_umask, umask, mask);
VS_MASKED_LAYOUT(vcmd_net_flags_v0, flagword, mask);
VS_MASKED_LAYOUT(vcmd_net_caps_v0, ncaps, cmask);
static_assert(VXF_STATE_SETUP == NXF_STATE_SETUP &&
	      VXF_STATE_ADMIN == NXF_STATE_ADMIN);

static long vs_get_masked(void *data, u64 value, u64 mask)
{
	struct vs_masked *m = data;

	m->value = value;
	m->mask = mask;
	return 0;
}

static long vc_get_cflags(u32 id, struct vx_info *vx, void *data)
{
	return vs_get_masked(data, READ_ONCE(vx->flags), vx_flags_mask(vx));
}

static long vc_set_cflags(u32 id, struct vx_info *vx, void *data)
{
	const struct vs_masked *m = data;
	const u64 sched = VXF_SCHED_HARD | VXF_SCHED_PRIO | VXF_SCHED_PAUSE;
	long ret;

	/* the scheduler flags and VIRT_CPU act on the context's cgroup */
	if (m->mask & m->value & VX_CG_FLAGS) {
		ret = vx_cg_ensure(vx);
		if (ret)
			return ret;
	}
	ret = vx_set_flags(vx, m->value, m->mask);
	if (!ret && (m->mask & sched))
		ret = vx_sched_apply(vx);
	return ret;
}

static long vc_get_bcaps(u32 id, struct vx_info *vx, void *data)
{
	return vs_get_masked(data, READ_ONCE(vx->bcaps), VX_CAPS_ALL);
}

static long vc_set_bcaps(u32 id, struct vx_info *vx, void *data)
{
	const struct vs_masked *m = data;

	return vx_set_bcaps(vx, m->value, m->mask);
}

static long vc_get_ccaps(u32 id, struct vx_info *vx, void *data)
{
	return vs_get_masked(data, READ_ONCE(vx->ccaps), VXC_SUPPORTED);
}

static long vc_set_ccaps(u32 id, struct vx_info *vx, void *data)
{
	const struct vs_masked *m = data;

	return vx_set_ccaps(vx, m->value, m->mask);
}

static long vc_get_umask(u32 id, struct vx_info *vx, void *data)
{
	return vs_get_masked(data, READ_ONCE(vx->umask), VXU_ALL);
}

static long vc_set_umask(u32 id, struct vx_info *vx, void *data)
{
	const struct vs_masked *m = data;

	return vx_set_umask(vx, m->value, m->mask);
}

/*
 * get/set_iattr name the file by path, fget/fset_iattr by descriptor
 * (id); both carry tag, flags and mask, in and out.
 */
static long vc_iattr(u32 id, void *data, bool by_path, bool set)
{
	struct vcmd_ctx_iattr_v1 *p = data;
	struct vcmd_ctx_fiattr_v0 *f = data;
	struct vs_iattr a;
	long ret;

	a.tag = by_path ? p->tag : f->tag;
	a.flags = by_path ? p->flags : f->flags;
	a.mask = by_path ? p->mask : f->mask;
	ret = by_path ? vs_iattr_path(p->name, &a, set) :
			vs_iattr_fd(id, &a, set);
	if (ret || set)
		return ret;
	if (by_path) {
		p->tag = a.tag;
		p->flags = a.flags;
		p->mask = a.mask;
	} else {
		f->tag = a.tag;
		f->flags = a.flags;
		f->mask = a.mask;
	}
	return 0;
}

static long vc_get_iattr(u32 id, struct vx_info *vx, void *data)
{
	return vc_iattr(id, data, true, false);
}

static long vc_set_iattr(u32 id, struct vx_info *vx, void *data)
{
	return vc_iattr(id, data, true, true);
}

static long vc_fget_iattr(u32 id, struct vx_info *vx, void *data)
{
	return vc_iattr(id, data, false, false);
}

static long vc_fset_iattr(u32 id, struct vx_info *vx, void *data)
{
	return vc_iattr(id, data, false, true);
}

static long vc_tag_migrate(u32 id, struct vx_info *vx, void *data)
{
	return vs_tag_migrate(id);
}

static long vc_add_dlimit(u32 id, struct vx_info *vx, void *data)
{
	struct vcmd_ctx_dlimit_base_v0 *d = data;

	if (d->flags || d->pad)
		return -EINVAL;
	return vs_dlimit_add(id, d->name, true);
}

static long vc_rem_dlimit(u32 id, struct vx_info *vx, void *data)
{
	struct vcmd_ctx_dlimit_base_v0 *d = data;

	if (d->flags || d->pad)
		return -EINVAL;
	return vs_dlimit_add(id, d->name, false);
}

static long vc_set_dlimit(u32 id, struct vx_info *vx, void *data)
{
	return vs_dlimit_set(id, data);
}

static long vc_get_dlimit(u32 id, struct vx_info *vx, void *data)
{
	return vs_dlimit_get(id, data);
}

static long vc_ctx_kill(u32 id, struct vx_info *vx, void *data)
{
	struct vcmd_ctx_kill_v0 *k = data;

	if (!valid_signal(k->sig) || k->sig < 0)
		return -EINVAL;
	return vx_kill(vx, k->pid, k->sig);
}

static long vc_wait_exit(u32 id, struct vx_info *vx, void *data)
{
	struct vcmd_wait_exit_v0 *w = data;
	int code, ret;

	ret = vx_wait_exit(vx, &code);
	if (ret)
		return ret;
	w->reboot_cmd = 0;
	w->exit_code = code;
	return 0;
}

/* Only the context's own name so far; the UTS fields live in its namespace. */
static long vc_get_vhi_name(u32 id, struct vx_info *vx, void *data)
{
	struct vcmd_vhi_name_v0 *n = data;

	memset(n->name, 0, sizeof(n->name));
	if (n->field != VHIN_CONTEXT)
		return vx_uts_get(vx, n->field, n->name, sizeof(n->name));
	vx_get_name(vx, n->name);
	return 0;
}

static long vc_set_vhi_name(u32 id, struct vx_info *vx, void *data)
{
	struct vcmd_vhi_name_v0 *n = data;

	if (!memchr(n->name, 0, sizeof(n->name)))
		return -EINVAL;
	if (n->field != VHIN_CONTEXT)
		return vx_uts_set(vx, n->field, n->name);
	vx_set_name(vx, n->name);
	return 0;
}

static long vc_ctx_create(u32 id, struct vx_info *vx, void *data)
{
	struct vcmd_ctx_create *args = data;
	u64 flags = args ? args->flagword : VXF_INIT_SET;

	long ret;

	if (id != VC_DYNAMIC_XID &&
	    (id < VX_MIN_S_CONTEXT || id >= VX_MIN_D_CONTEXT))
		return -EINVAL;
	ret = vx_create(id, flags);
	if (ret < 0 || !(flags & VX_CG_FLAGS))
		return ret;
	/* created with flags that act on its cgroup: it gets one now */
	vx = vx_lookup(ret);
	if (vx) {
		if (!vx_cg_ensure(vx))
			vx_sched_apply(vx);
		vx_put(vx);
	}
	return ret;
}

static long vc_ctx_migrate(u32 id, struct vx_info *vx, void *data)
{
	struct vcmd_ctx_migrate *args = data;
	u64 mflags = args ? args->flagword : 0;
	long ret;

	if (mflags & ~(u64)(VXM_SET_INIT | VXM_SET_REAPER))
		return -EINVAL;
	if (id == VX_WATCH_XID)
		return mflags ? -EINVAL : vx_become_spectator();
	if (!xid_is_context(id))
		return -EINVAL;
	ret = vx_migrate(id, mflags);
	if (ret)
		return ret;
	vx = vx_lookup(id);
	if (vx) {
		ret = vx_cg_attach(vx, current);
		vx_put(vx);
	}
	return ret;
}

/*
 * Spaces.  The v1 struct is the start of the v2 one (set 0 then), _v0
 * has no data (all of set 0).
 */
static_assert(offsetof(struct vcmd_space_mask_v2, mask) ==
	      offsetof(struct vcmd_space_mask_v1, mask));

static long vc_enter_space(u32 id, struct vx_info *vx, void *data)
{
	const struct vcmd_space_mask_v2 *s = data;

	return vx_enter_space(vx, s ? s->mask : 0, 0);
}

static long vc_enter_space_v2(u32 id, struct vx_info *vx, void *data)
{
	const struct vcmd_space_mask_v2 *s = data;

	return vx_enter_space(vx, s->mask, s->index);
}

static long vc_set_space(u32 id, struct vx_info *vx, void *data)
{
	const struct vcmd_space_mask_v2 *s = data;

	return vx_set_space(vx, s->mask, 0);
}

static long vc_set_space_v2(u32 id, struct vx_info *vx, void *data)
{
	const struct vcmd_space_mask_v2 *s = data;

	return vx_set_space(vx, s->mask, s->index);
}

static long vc_get_space_mask(u32 id, struct vx_info *vx, void *data)
{
	((struct vcmd_space_mask_v1 *)data)->mask = vx_space_supported();
	return 0;
}

static long vc_get_space_default(u32 id, struct vx_info *vx, void *data)
{
	((struct vcmd_space_mask_v1 *)data)->mask =
		CLONE_FS | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC;
	return 0;
}

/* --- limits, scheduler, virtualization ------------------------------------ */

static long vc_get_rlimit(u32 id, struct vx_info *vx, void *data)
{
	return vx_get_rlimit(vx, data);
}

static long vc_set_rlimit(u32 id, struct vx_info *vx, void *data)
{
	return vx_set_rlimit(vx, data);
}

static long vc_get_rlimit_mask(u32 id, struct vx_info *vx, void *data)
{
	vx_rlimit_mask(data);
	return 0;
}

static long vc_rlimit_stat(u32 id, struct vx_info *vx, void *data)
{
	return vx_rlimit_stat(vx, data);
}

static long vc_reset_hits(u32 id, struct vx_info *vx, void *data)
{
	return vx_reset_hits(vx);
}

static long vc_reset_minmax(u32 id, struct vx_info *vx, void *data)
{
	return vx_reset_minmax(vx);
}

static long vc_set_sched(u32 id, struct vx_info *vx, void *data)
{
	return vx_set_sched(vx, data);
}

static long vc_get_sched(u32 id, struct vx_info *vx, void *data)
{
	return vx_get_sched(vx, data);
}

static long vc_set_prio_bias(u32 id, struct vx_info *vx, void *data)
{
	const struct vcmd_prio_bias *p = data;
	struct vcmd_sched_v5 s = {
		.mask = VXSM_PRIO_BIAS | VXSM_CPU_ID, .cpu_id = p->cpu_id,
		.prio_bias = p->prio_bias,
	};

	return vx_set_sched(vx, &s);
}

static long vc_get_prio_bias(u32 id, struct vx_info *vx, void *data)
{
	struct vcmd_prio_bias *p = data;
	struct vcmd_sched_v5 s = { .mask = VXSM_CPU_ID, .cpu_id = p->cpu_id };
	long ret = vx_get_sched(vx, &s);

	if (!ret)
		p->prio_bias = s.prio_bias;
	return ret;
}

static long vc_sched_info(u32 id, struct vx_info *vx, void *data)
{
	return vx_sched_info(vx, data);
}

static long vc_virt_stat(u32 id, struct vx_info *vx, void *data)
{
	return vx_virt_stat(vx, data);
}

/* --- network contexts ---------------------------------------------------- */

static long vc_nx_info(u32 id, struct nx_info *nx, void *data)
{
	struct vcmd_nx_info_v0 *info = data;

	info->nid = nx->nid;
	return 0;
}

static long vc_net_create(u32 id, struct vx_info *vx, void *data)
{
	struct vcmd_net_create *args = data;

	if (id != VC_DYNAMIC_XID &&
	    (id < VX_MIN_S_CONTEXT || id >= VX_MIN_D_CONTEXT))
		return -EINVAL;
	return nx_create(id, args ? args->flagword : NXF_INIT_SET);
}

static long vc_net_migrate(u32 id, struct vx_info *vx, void *data)
{
	if (!xid_is_context(id))
		return -EINVAL;
	return nx_migrate(id);
}

static long vc_net_add_ipv4(u32 id, struct nx_info *nx, void *data)
{
	return nx_add4(nx, data);
}

static long vc_net_rem_ipv4(u32 id, struct nx_info *nx, void *data)
{
	return nx_rem4(nx, data);
}

/* v1: the v2 struct without ip2 (and so without ranges) */
static void vs_addr4_v1(const void *data, struct vcmd_net_addr_ipv4_v2 *a)
{
	const struct vcmd_net_addr_ipv4_v1 *v1 = data;

	*a = (struct vcmd_net_addr_ipv4_v2){
		.type = v1->type, .flags = v1->flags,
		.ip = v1->ip, .mask = v1->mask,
	};
}

static long vc_net_add_ipv4_v1(u32 id, struct nx_info *nx, void *data)
{
	struct vcmd_net_addr_ipv4_v2 a;

	vs_addr4_v1(data, &a);
	if ((a.type & NXA_TYPE_ANY) == NXA_TYPE_RANGE)
		return -EINVAL;
	return nx_add4(nx, &a);
}

static long vc_net_rem_ipv4_v1(u32 id, struct nx_info *nx, void *data)
{
	struct vcmd_net_addr_ipv4_v2 a;

	vs_addr4_v1(data, &a);
	if ((a.type & NXA_TYPE_ANY) == NXA_TYPE_RANGE)
		return -EINVAL;
	return nx_rem4(nx, &a);
}

static long vc_net_add_ipv6(u32 id, struct nx_info *nx, void *data)
{
	return nx_add6(nx, data);
}

static long vc_net_remove_ipv6(u32 id, struct nx_info *nx, void *data)
{
	return nx_rem6(nx, data);
}

static long vc_get_nflags(u32 id, struct nx_info *nx, void *data)
{
	u64 flags = READ_ONCE(nx->flags);

	return vs_get_masked(data, flags,
			     NXF_SUPPORTED & ~(NXF_ONE_TIME & ~flags));
}

static long vc_set_nflags(u32 id, struct nx_info *nx, void *data)
{
	const struct vs_masked *m = data;

	return nx_set_flags(nx, m->value, m->mask);
}

static long vc_get_ncaps(u32 id, struct nx_info *nx, void *data)
{
	return vs_get_masked(data, READ_ONCE(nx->ncaps), NXC_SUPPORTED);
}

static long vc_set_ncaps(u32 id, struct nx_info *nx, void *data)
{
	const struct vs_masked *m = data;

	return nx_set_ncaps(nx, m->value, m->mask);
}

#define VS_CMD(c, s, f, h) { .cmd = (c), .size = (s), .flags = (f), .fn = (h) }
#define VS_NCMD(c, s, f, h) \
	{ .cmd = (c), .size = (s), .flags = (f) | VSC_NXI, .nfn = (h) }
#define VS_CMD32(c, s, f, h, x) \
	{ .cmd = (c), .size = (s), .flags = (f), .fn = (h), .x32 = (x) }
#define VS_SIZE(t)	sizeof(struct t)

static const struct vs_cmd vs_cmds[] = {
	VS_CMD(VCMD_get_version, 0, 0, vc_get_version),
	VS_CMD(VCMD_get_vci, 0, 0, vc_get_vci),
	VS_CMD(VCMD_task_xid, 0, VSC_PRIV, vc_task_xid),
	VS_CMD(VCMD_task_nid, 0, VSC_PRIV, vc_task_nid),
	VS_CMD(VCMD_task_tag, 0, VSC_PRIV, vc_task_tag),
	VS_CMD(VCMD_tag_migrate, 0, VSC_PRIV | VSC_ADMIN, vc_tag_migrate),
	VS_CMD32(VCMD_add_dlimit, VS_SIZE(vcmd_ctx_dlimit_base_v0),
	       VSC_PRIV | VSC_ADMIN | VSC_IN, vc_add_dlimit,
	       VS_X32_DLIMIT_BASE),
	VS_CMD32(VCMD_rem_dlimit, VS_SIZE(vcmd_ctx_dlimit_base_v0),
	       VSC_PRIV | VSC_ADMIN | VSC_IN, vc_rem_dlimit,
	       VS_X32_DLIMIT_BASE),
	VS_CMD32(VCMD_set_dlimit, VS_SIZE(vcmd_ctx_dlimit_v0),
	       VSC_PRIV | VSC_ADMIN | VSC_IN, vc_set_dlimit,
	       VS_X32_DLIMIT),
	VS_CMD32(VCMD_get_dlimit, VS_SIZE(vcmd_ctx_dlimit_v0),
	       VSC_PRIV | VSC_ADMIN | VSC_IN | VSC_OUT, vc_get_dlimit,
	       VS_X32_DLIMIT),
	VS_CMD(VCMD_vx_info, VS_SIZE(vcmd_vx_info_v0),
	       VSC_PRIV | VSC_INFO | VSC_VXI | VSC_OUT, vc_vx_info),
	VS_CMD(VCMD_ctx_stat, VS_SIZE(vcmd_ctx_stat_v0),
	       VSC_PRIV | VSC_INFO | VSC_VXI | VSC_OUT, vc_ctx_stat),
	VS_CMD(VCMD_get_cflags, VS_SIZE(vcmd_ctx_flags_v0),
	       VSC_PRIV | VSC_INFO | VSC_VXI | VSC_OUT, vc_get_cflags),
	VS_CMD(VCMD_set_cflags, VS_SIZE(vcmd_ctx_flags_v0),
	       VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_VXI | VSC_IN, vc_set_cflags),
	VS_CMD(VCMD_get_bcaps, VS_SIZE(vcmd_bcaps),
	       VSC_PRIV | VSC_INFO | VSC_VXI | VSC_OUT, vc_get_bcaps),
	VS_CMD(VCMD_set_bcaps, VS_SIZE(vcmd_bcaps),
	       VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_VXI | VSC_IN, vc_set_bcaps),
	VS_CMD(VCMD_get_ccaps, VS_SIZE(vcmd_ctx_caps_v1),
	       VSC_PRIV | VSC_INFO | VSC_VXI | VSC_OUT, vc_get_ccaps),
	VS_CMD(VCMD_set_ccaps, VS_SIZE(vcmd_ctx_caps_v1),
	       VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_VXI | VSC_IN, vc_set_ccaps),
	VS_CMD(VCMD_get_umask, VS_SIZE(vcmd_umask),
	       VSC_PRIV | VSC_INFO | VSC_VXI | VSC_OUT, vc_get_umask),
	VS_CMD(VCMD_set_umask, VS_SIZE(vcmd_umask),
	       VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_VXI | VSC_IN, vc_set_umask),
	VS_CMD32(VCMD_get_iattr, VS_SIZE(vcmd_ctx_iattr_v1),
	       VSC_PRIV | VSC_INFO | VSC_IN | VSC_OUT, vc_get_iattr,
	       VS_X32_IATTR),
	VS_CMD32(VCMD_set_iattr, VS_SIZE(vcmd_ctx_iattr_v1),
	       VSC_PRIV | VSC_ADMIN | VSC_IN, vc_set_iattr,
	       VS_X32_IATTR),
	VS_CMD(VCMD_fget_iattr, VS_SIZE(vcmd_ctx_fiattr_v0),
	       VSC_PRIV | VSC_INFO | VSC_IN | VSC_OUT, vc_fget_iattr),
	VS_CMD(VCMD_fset_iattr, VS_SIZE(vcmd_ctx_fiattr_v0),
	       VSC_PRIV | VSC_ADMIN | VSC_IN, vc_fset_iattr),
	VS_CMD(VCMD_get_vhi_name, VS_SIZE(vcmd_vhi_name_v0),
	       VSC_PRIV | VSC_INFO | VSC_VXI | VSC_IN | VSC_OUT, vc_get_vhi_name),
	VS_CMD(VCMD_set_vhi_name, VS_SIZE(vcmd_vhi_name_v0),
	       VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_VXI | VSC_IN, vc_set_vhi_name),
	VS_CMD(VCMD_ctx_create, VS_SIZE(vcmd_ctx_create),
	       VSC_PRIV | VSC_ADMIN | VSC_IN | VSC_OPTIONAL, vc_ctx_create),
	VS_CMD(VCMD_ctx_migrate, VS_SIZE(vcmd_ctx_migrate),
	       VSC_PRIV | VSC_ADMIN | VSC_IN | VSC_OPTIONAL, vc_ctx_migrate),
	VS_CMD(VCMD_enter_space_v0, 0, VSC_PRIV | VSC_ADMIN | VSC_VXI,
	       vc_enter_space),
	VS_CMD(VCMD_enter_space_v1, VS_SIZE(vcmd_space_mask_v1),
	       VSC_PRIV | VSC_ADMIN | VSC_VXI | VSC_IN, vc_enter_space),
	VS_CMD32(VCMD_enter_space, VS_SIZE(vcmd_space_mask_v2),
	       VSC_PRIV | VSC_ADMIN | VSC_VXI | VSC_IN, vc_enter_space_v2,
	       VS_X32_SPACE),
	VS_CMD(VCMD_set_space_v1, VS_SIZE(vcmd_space_mask_v1),
	       VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_VXI | VSC_IN, vc_set_space),
	VS_CMD32(VCMD_set_space, VS_SIZE(vcmd_space_mask_v2),
	       VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_VXI | VSC_IN,
	       vc_set_space_v2, VS_X32_SPACE),
	VS_CMD(VCMD_get_space_mask_v0, VS_SIZE(vcmd_space_mask_v1), VSC_OUT,
	       vc_get_space_mask),
	VS_CMD(VCMD_get_space_mask, VS_SIZE(vcmd_space_mask_v1), VSC_OUT,
	       vc_get_space_mask),
	VS_CMD(VCMD_get_space_default, VS_SIZE(vcmd_space_mask_v1), VSC_OUT,
	       vc_get_space_default),
	VS_CMD(VCMD_ctx_kill, VS_SIZE(vcmd_ctx_kill_v0),
	       VSC_PRIV | VSC_ADMIN | VSC_ANYSTATE | VSC_VXI | VSC_IN, vc_ctx_kill),
	VS_CMD(VCMD_wait_exit, VS_SIZE(vcmd_wait_exit_v0),
	       VSC_PRIV | VSC_ADMIN | VSC_ANYSTATE | VSC_VXI | VSC_OUT, vc_wait_exit),
	VS_CMD32(VCMD_get_rlimit, VS_SIZE(vcmd_ctx_rlimit_v0),
	       VSC_PRIV | VSC_INFO | VSC_VXI | VSC_IN | VSC_OUT, vc_get_rlimit,
	       VS_X32_RLIMIT),
	VS_CMD32(VCMD_set_rlimit, VS_SIZE(vcmd_ctx_rlimit_v0),
	       VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_VXI | VSC_IN, vc_set_rlimit,
	       VS_X32_RLIMIT),
	VS_CMD(VCMD_get_rlimit_mask, VS_SIZE(vcmd_ctx_rlimit_mask_v0),
	       VSC_OUT, vc_get_rlimit_mask),
	VS_CMD(VCMD_rlimit_stat, VS_SIZE(vcmd_rlimit_stat_v0),
	       VSC_PRIV | VSC_INFO | VSC_VXI | VSC_IN | VSC_OUT, vc_rlimit_stat),
	VS_CMD(VCMD_reset_hits, 0,
	       VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_VXI, vc_reset_hits),
	VS_CMD(VCMD_reset_minmax, 0,
	       VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_VXI, vc_reset_minmax),
	VS_CMD(VCMD_set_sched, VS_SIZE(vcmd_sched_v5),
	       VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_VXI | VSC_IN, vc_set_sched),
	VS_CMD(VCMD_get_sched, VS_SIZE(vcmd_sched_v5),
	       VSC_PRIV | VSC_INFO | VSC_VXI | VSC_IN | VSC_OUT, vc_get_sched),
	VS_CMD(VCMD_set_prio_bias, VS_SIZE(vcmd_prio_bias),
	       VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_VXI | VSC_IN,
	       vc_set_prio_bias),
	VS_CMD(VCMD_get_prio_bias, VS_SIZE(vcmd_prio_bias),
	       VSC_PRIV | VSC_INFO | VSC_VXI | VSC_IN | VSC_OUT,
	       vc_get_prio_bias),
	VS_CMD(VCMD_sched_info, VS_SIZE(vcmd_sched_info),
	       VSC_PRIV | VSC_INFO | VSC_VXI | VSC_IN | VSC_OUT, vc_sched_info),
	VS_CMD(VCMD_virt_stat, VS_SIZE(vcmd_virt_stat_v0),
	       VSC_PRIV | VSC_INFO | VSC_VXI | VSC_OUT, vc_virt_stat),
	VS_NCMD(VCMD_nx_info, VS_SIZE(vcmd_nx_info_v0),
		VSC_PRIV | VSC_INFO | VSC_OUT, vc_nx_info),
	VS_CMD(VCMD_net_create, VS_SIZE(vcmd_net_create),
	       VSC_PRIV | VSC_ADMIN | VSC_IN | VSC_OPTIONAL, vc_net_create),
	VS_CMD(VCMD_net_migrate, 0, VSC_PRIV | VSC_ADMIN, vc_net_migrate),
	VS_NCMD(VCMD_net_add_ipv4, VS_SIZE(vcmd_net_addr_ipv4_v2),
		VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_IN, vc_net_add_ipv4),
	VS_NCMD(VCMD_net_rem_ipv4, VS_SIZE(vcmd_net_addr_ipv4_v2),
		VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_IN, vc_net_rem_ipv4),
	VS_NCMD(VCMD_net_add_ipv4_v1, VS_SIZE(vcmd_net_addr_ipv4_v1),
		VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_IN, vc_net_add_ipv4_v1),
	VS_NCMD(VCMD_net_rem_ipv4_v1, VS_SIZE(vcmd_net_addr_ipv4_v1),
		VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_IN, vc_net_rem_ipv4_v1),
	VS_NCMD(VCMD_net_add_ipv6, VS_SIZE(vcmd_net_addr_ipv6_v1),
		VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_IN, vc_net_add_ipv6),
	VS_NCMD(VCMD_net_remove_ipv6, VS_SIZE(vcmd_net_addr_ipv6_v1),
		VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_IN, vc_net_remove_ipv6),
	VS_NCMD(VCMD_get_nflags, VS_SIZE(vcmd_net_flags_v0),
		VSC_PRIV | VSC_INFO | VSC_OUT, vc_get_nflags),
	VS_NCMD(VCMD_set_nflags, VS_SIZE(vcmd_net_flags_v0),
		VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_IN, vc_set_nflags),
	VS_NCMD(VCMD_get_ncaps, VS_SIZE(vcmd_net_caps_v0),
		VSC_PRIV | VSC_INFO | VSC_OUT, vc_get_ncaps),
	VS_NCMD(VCMD_set_ncaps, VS_SIZE(vcmd_net_caps_v0),
		VSC_PRIV | VSC_ADMIN | VSC_SETUP | VSC_IN, vc_set_ncaps),
};

#ifdef CONFIG_COMPAT
/*
 * Linux-VServer's i386 layouts, which 32-bit util-vserver binaries pass
 * to the system call (273): a pointer is 4 bytes, a u64 is 4-aligned.
 * The other commands' structs are the same on both.
 */
struct vcmd_ctx_iattr_v1_x32 {
	compat_uptr_t name;
	u32 tag;
	u32 flags;
	u32 mask;
};

struct vcmd_ctx_dlimit_base_v0_x32 {
	compat_uptr_t name;
	u32 flags;
};

struct vcmd_ctx_dlimit_v0_x32 {
	compat_uptr_t name;
	u32 space_used;
	u32 space_total;
	u32 inodes_used;
	u32 inodes_total;
	u32 reserved;
	u32 flags;
};

struct vcmd_ctx_rlimit_v0_x32 {
	u32 id;
	compat_u64 minimum;
	compat_u64 softlimit;
	compat_u64 maximum;
};

struct vcmd_space_mask_v2_x32 {
	compat_u64 mask;
	u32 index;
};

union vs_data_x32 {
	struct vcmd_ctx_iattr_v1_x32 iattr;
	struct vcmd_ctx_dlimit_base_v0_x32 dlimit_base;
	struct vcmd_ctx_dlimit_v0_x32 dlimit;
	struct vcmd_ctx_rlimit_v0_x32 rlimit;
	struct vcmd_space_mask_v2_x32 space;
};

static const u16 vs_x32_size[] = {
	[VS_X32_IATTR] = sizeof(struct vcmd_ctx_iattr_v1_x32),
	[VS_X32_DLIMIT_BASE] = sizeof(struct vcmd_ctx_dlimit_base_v0_x32),
	[VS_X32_DLIMIT] = sizeof(struct vcmd_ctx_dlimit_v0_x32),
	[VS_X32_RLIMIT] = sizeof(struct vcmd_ctx_rlimit_v0_x32),
	[VS_X32_SPACE] = sizeof(struct vcmd_space_mask_v2_x32),
};

#define VS_X32_PTR(p)	((u64)(uintptr_t)compat_ptr(p))

/*
 * The fields both layouts have, copied from @from to @to: the same for
 * both directions.  The pointers (name) only go in.
 */
#define VS_X32_IATTR_FIELDS(to, from) do {				\
	(to).tag = (from).tag;						\
	(to).flags = (from).flags;					\
	(to).mask = (from).mask;					\
} while (0)

#define VS_X32_DLIMIT_FIELDS(to, from) do {				\
	(to).space_used = (from).space_used;				\
	(to).space_total = (from).space_total;				\
	(to).inodes_used = (from).inodes_used;				\
	(to).inodes_total = (from).inodes_total;			\
	(to).reserved = (from).reserved;				\
	(to).flags = (from).flags;					\
} while (0)

#define VS_X32_RLIMIT_FIELDS(to, from) do {				\
	(to).id = (from).id;						\
	(to).minimum = (from).minimum;					\
	(to).softlimit = (from).softlimit;				\
	(to).maximum = (from).maximum;					\
} while (0)

/* The i386 struct @x of kind @k as ours, in @buf */
static void vs_x32_in(enum vs_x32 k, const union vs_data_x32 *x,
		      union vs_data *buf)
{
	switch (k) {
	case VS_X32_IATTR:
		buf->iattr.name = VS_X32_PTR(x->iattr.name);
		VS_X32_IATTR_FIELDS(buf->iattr, x->iattr);
		break;
	case VS_X32_DLIMIT_BASE:
		buf->dlimit_base.name = VS_X32_PTR(x->dlimit_base.name);
		buf->dlimit_base.flags = x->dlimit_base.flags;
		break;
	case VS_X32_DLIMIT:
		buf->dlimit.name = VS_X32_PTR(x->dlimit.name);
		VS_X32_DLIMIT_FIELDS(buf->dlimit, x->dlimit);
		break;
	case VS_X32_RLIMIT:
		VS_X32_RLIMIT_FIELDS(buf->rlimit, x->rlimit);
		break;
	case VS_X32_SPACE:
		buf->space.mask = x->space.mask;
		buf->space.index = x->space.index;
		break;
	case VS_X32_SAME:
		break;
	}
}

/* What a command of kind @k gives back, in the i386 struct @x */
static void vs_x32_out(enum vs_x32 k, const union vs_data *buf,
		       union vs_data_x32 *x)
{
	switch (k) {
	case VS_X32_IATTR:
		VS_X32_IATTR_FIELDS(x->iattr, buf->iattr);
		break;
	case VS_X32_DLIMIT:
		VS_X32_DLIMIT_FIELDS(x->dlimit, buf->dlimit);
		break;
	case VS_X32_RLIMIT:
		VS_X32_RLIMIT_FIELDS(x->rlimit, buf->rlimit);
		break;
	case VS_X32_DLIMIT_BASE:
	case VS_X32_SPACE:
	case VS_X32_SAME:
		break;		/* nothing comes back */
	}
}

/* Copy in the i386 struct of @c into @buf: its size, or -EINVAL/-EFAULT */
static long vs_x32_copy_in(const struct vs_cmd *c, const void __user *data,
			   u32 size, union vs_data *buf, union vs_data_x32 *x)
{
	if (size != vs_x32_size[c->x32])
		return -EINVAL;
	if (copy_from_user(x, data, size))
		return -EFAULT;
	vs_x32_in(c->x32, x, buf);
	return 0;
}

static long vs_x32_copy_out(const struct vs_cmd *c, void __user *data,
			    u32 size, const union vs_data *buf,
			    union vs_data_x32 *x)
{
	vs_x32_out(c->x32, buf, x);
	return copy_to_user(data, x, size) ? -EFAULT : 0;
}

/* Does a 32-bit caller of the system call pass an i386 layout for @c? */
static bool vs_x32(const struct vs_cmd *c)
{
	return c->x32 != VS_X32_SAME && in_compat_syscall();
}
#else
union vs_data_x32 {};
static const u16 vs_x32_size[VS_X32_SPACE + 1];

static bool vs_x32(const struct vs_cmd *c)
{
	return false;
}

static long vs_x32_copy_in(const struct vs_cmd *c, const void __user *data,
			   u32 size, union vs_data *buf, union vs_data_x32 *x)
{
	return -EINVAL;
}

static long vs_x32_copy_out(const struct vs_cmd *c, void __user *data,
			    u32 size, const union vs_data *buf,
			    union vs_data_x32 *x)
{
	return -EINVAL;
}
#endif /* CONFIG_COMPAT */

/* Same category and number: the command exists in some version. */
#define VC_FAMILY(c)	((c) & 0x3FFF0000)

/*
 * CAP_SYS_ADMIN, the privilege of every command but get_version.  The
 * tool setting up a context keeps it after it shrank the context's
 * bounding set, as long as the context is in setup and its credentials
 * still hold it (in the initial user namespace): it has to end the setup.
 * What it executes then has lost it.
 */
static bool vs_privileged(void)
{
	const struct cred *cred = current_cred();

	if (capable(CAP_SYS_ADMIN))
		return true;
	return (vx_current_in_setup() || nx_current_in_setup()) &&
	       cred->user_ns == &init_user_ns &&
	       cap_raised(cred->cap_effective, CAP_SYS_ADMIN);
}

/*
 * May the caller run @c?  @target: the command names a (network)
 * context, @own: the caller's own, @tflags: its flags (the STATE_* bits
 * are the same for both kinds).
 * Return: 0, -EPERM or -ESRCH (a context the caller may not even see).
 */
static int vs_permitted(const struct vs_cmd *c, bool target, bool own,
			u64 tflags)
{
	u32 xid = vx_current_xid();

	if ((c->flags & VSC_PRIV) && !vs_privileged())
		return -EPERM;
	if (xid == VX_HOST_XID) {
		if (target && (c->flags & (VSC_ADMIN | VSC_ANYSTATE)) ==
		    VSC_ADMIN && !(tflags & VXF_STATE_ADMIN))
			return -EACCES;
		return 0;
	}
	if (target && !own && xid != VX_WATCH_XID)
		return -ESRCH;
	if (c->flags & VSC_INFO)
		return 0;
	if ((c->flags & VSC_SETUP) && own && (tflags & VXF_STATE_SETUP))
		return 0;
	return (c->flags & (VSC_ADMIN | VSC_SETUP)) ? -EPERM : 0;
}

static const struct vs_cmd *vs_find_cmd(u32 cmd)
{
	const struct vs_cmd *c = NULL;
	bool family = false;
	int i;

	for (i = 0; i < ARRAY_SIZE(vs_cmds); i++) {
		if (VC_FAMILY(vs_cmds[i].cmd) != VC_FAMILY(cmd))
			continue;
		family = true;
		if (vs_cmds[i].cmd == cmd)
			c = &vs_cmds[i];
	}
	if (!c)
		return ERR_PTR(family ? -EINVAL : -ENOSYS);
	return c;
}

/*
 * Run @c.  @x32: @data is in the i386 layout of a 32-bit caller of the
 * system call (every such command copies its data in).
 */
static long vs_run(const struct vs_cmd *c, u32 id, void __user *data,
		   u32 size, bool x32)
{
	struct vx_info *vx = NULL;
	struct nx_info *nx = NULL;
	union vs_data buf = {};
	union vs_data_x32 xbuf = {};
	void *arg = NULL;
	long ret;

	/* privilege first: an unprivileged caller learns nothing else */
	if ((c->flags & VSC_PRIV) && !vs_privileged())
		return -EPERM;

	if (!c->size) {
		if (size || data)
			return -EINVAL;
	} else if (!size && !data && (c->flags & VSC_OPTIONAL)) {
		arg = NULL;
	} else if (x32) {
		ret = vs_x32_copy_in(c, data, size, &buf, &xbuf);
		if (ret)
			return ret;
		arg = &buf;
	} else {
		if (size != c->size)
			return -EINVAL;
		BUILD_BUG_ON(sizeof(buf) > U16_MAX);
		if ((c->flags & VSC_IN) && copy_from_user(&buf, data, size))
			return -EFAULT;
		arg = &buf;
	}

	if (c->flags & (VSC_VXI | VSC_NXI)) {
		if (!xid_is_context(id))
			return -EINVAL;
		if (c->flags & VSC_VXI)
			vx = vx_lookup(id);
		else
			nx = nx_lookup(id);
		if (!vx && !nx)
			return -ESRCH;
	}
	if (vx)
		ret = vs_permitted(c, true, vx->xid == vx_current_xid(),
				   READ_ONCE(vx->flags));
	else if (nx)
		ret = vs_permitted(c, true, nx->nid == nx_current_nid(),
				   READ_ONCE(nx->flags));
	else
		ret = vs_permitted(c, false, false, 0);
	if (!ret)
		ret = nx ? c->nfn(id, nx, arg) : c->fn(id, vx, arg);
	if (vx)
		vx_put(vx);
	if (nx)
		nx_put(nx);

	if (ret < 0 || !arg || !(c->flags & VSC_OUT))
		return ret;
	if (x32) {
		if (vs_x32_copy_out(c, data, size, &buf, &xbuf))
			return -EFAULT;
	} else if (copy_to_user(data, &buf, size)) {
		return -EFAULT;
	}
	return ret;
}

/**
 * vs_dispatch - run one VCMD for the current task
 * @cmd:  VCMD_* value
 * @id:   the command's id argument
 * @data: user pointer to the command's struct, or NULL
 * @size: size of *@data
 *
 * Return: the command's result, -ENOSYS for an unknown command, -EINVAL
 * for an unknown version, a wrong size or a bad id, -EPERM for a caller
 * without the privilege, -ESRCH for a context it cannot see, -EACCES for
 * a context that no longer lets the host administer it, -EFAULT when
 * @data cannot be read or written.
 */
long vs_dispatch(u32 cmd, u32 id, void __user *data, u32 size)
{
	const struct vs_cmd *c = vs_find_cmd(cmd);

	if (IS_ERR(c))
		return PTR_ERR(c);
	return vs_run(c, id, data, size, false);
}

/**
 * vs_syscall - run one VCMD for sys_vserver(cmd, id, data)
 * @cmd: VCMD_* value
 * @id: the command's id argument
 * @data: user pointer to the command's struct (Linux-VServer's layout,
 *        which is ours), or NULL
 *
 * The system call carries no size: a command's data is its struct, and
 * data of a command that has none is ignored, as Linux-VServer did.  A
 * 32-bit caller (273 on x86_64 with IA32 emulation) passes the i386
 * layout of the structs that have one.  Otherwise the same as
 * vs_dispatch().
 */
long vs_syscall(u32 cmd, u32 id, void __user *data)
{
	const struct vs_cmd *c = vs_find_cmd(cmd);

	if (IS_ERR(c))
		return PTR_ERR(c);
	if (!c->size)
		data = NULL;
	if (vs_x32(c))
		return vs_run(c, id, data, data ? vs_x32_size[c->x32] : 0,
			      true);
	return vs_run(c, id, data, data ? c->size : 0, false);
}

static long vs_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct vserver_call call;

	if (cmd != VSERVER_IOC_CALL)
		return -ENOTTY;
	if (copy_from_user(&call, (void __user *)arg, sizeof(call)))
		return -EFAULT;
	if (call.flags)
		return -EINVAL;
	return vs_dispatch(call.cmd, call.id, u64_to_user_ptr(call.data),
			   call.size);
}

static const struct file_operations vs_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = vs_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice vs_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "vserver",
	.fops = &vs_fops,
	.mode = 0600,
};

int vs_dev_init(void)
{
	return misc_register(&vs_misc);
}

void vs_dev_exit(void)
{
	misc_deregister(&vs_misc);
}
