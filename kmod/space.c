// SPDX-License-Identifier: GPL-2.0
/*
 * vserver module - namespaces kept per context ("spaces").
 *
 * Linux-VServer keeps, per context, VX_SPACES sets of namespaces:
 * set_space stores the caller's, enter_space puts a later caller into
 * them, after the task that stored them may be gone (util-vserver: vspace
 * --set while a guest starts, vspace --enter for "vserver NAME enter" and
 * "stop").  A set is kept as a reference on the nsproxy each namespace
 * came from (set_space may store them at different times), on the user
 * namespace, and on the root and working directory (CLONE_FS).  Entering
 * goes through the hook layer's vserver_setns(): the checks and the switch
 * of setns(2) with a pidfd.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/fs_struct.h>
#include <linux/nsproxy.h>
#include <linux/path.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/vserver_hook.h>

#include "context.h"
#include "internal.h"

/* The namespaces a set may hold, in the order setns(2) installs them */
static const u32 vs_space_ns[] = {
	CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET,
};
#define VS_SPACE_KINDS	ARRAY_SIZE(vs_space_ns)

struct vx_space {
	u64 mask;		/* what is kept: CLONE_FS, CLONE_NEW* */
	struct nsproxy *nsp[VS_SPACE_KINDS];	/* where each came from */
	struct user_namespace *user_ns;
	struct path root;
	struct path pwd;
};

/* What this kernel can keep (get_space_mask) */
u64 vx_space_supported(void)
{
	u64 mask = CLONE_FS | CLONE_NEWNS;

	if (IS_ENABLED(CONFIG_UTS_NS))
		mask |= CLONE_NEWUTS;
	if (IS_ENABLED(CONFIG_IPC_NS))
		mask |= CLONE_NEWIPC;
	if (IS_ENABLED(CONFIG_USER_NS))
		mask |= CLONE_NEWUSER;
	if (IS_ENABLED(CONFIG_PID_NS))
		mask |= CLONE_NEWPID;
	if (IS_ENABLED(CONFIG_NET_NS))
		mask |= CLONE_NEWNET;
	return mask;
}

void vx_space_init(struct vx_info *vx)
{
	mutex_init(&vx->space_lock);
}

static void vx_space_clear(struct vx_space *s, u64 mask)
{
	int i;

	for (i = 0; i < VS_SPACE_KINDS; i++) {
		if ((mask & vs_space_ns[i]) && s->nsp[i]) {
			put_nsproxy(s->nsp[i]);
			s->nsp[i] = NULL;
		}
	}
	if ((mask & CLONE_NEWUSER) && s->user_ns) {
		put_user_ns(s->user_ns);
		s->user_ns = NULL;
	}
	if ((mask & CLONE_FS) && s->root.mnt) {
		path_put(&s->root);
		path_put(&s->pwd);
		s->root = (struct path){};
		s->pwd = (struct path){};
	}
	s->mask &= ~mask;
}

/* The context ends: drop what its sets keep (process context) */
void vx_space_release(struct vx_info *vx)
{
	struct vx_space *space;
	int i;

	mutex_lock(&vx->space_lock);
	space = vx->space;
	vx->space = NULL;
	mutex_unlock(&vx->space_lock);
	if (!space)
		return;
	for (i = 0; i < VX_SPACES; i++)
		vx_space_clear(&space[i], U64_MAX);
	kfree(space);
}

/* What set @index keeps (/proc/virtual/<xid>/status) */
u64 vx_space_mask(struct vx_info *vx, u32 index)
{
	u64 mask;

	mutex_lock(&vx->space_lock);
	mask = vx->space ? vx->space[index].mask : 0;
	mutex_unlock(&vx->space_lock);
	return mask;
}

static int vx_space_check(u64 mask, u32 index)
{
	if (index >= VX_SPACES)
		return -EINVAL;
	if (mask & ~vx_space_supported())
		return -EINVAL;
	return 0;
}

/**
 * vx_set_space - keep the caller's namespaces for a context
 * @vx:    the context
 * @mask:  which (CLONE_FS, CLONE_NEW*), added to what the set keeps
 * @index: the set, below VX_SPACES
 *
 * Return: 0, -EINVAL for a mask this kernel cannot keep or a bad index,
 * -ENOMEM.  Nothing changes on an error.
 */
long vx_set_space(struct vx_info *vx, u64 mask, u32 index)
{
	struct nsproxy *nsp = current->nsproxy;
	struct vx_space *s;
	int ret, i;

	ret = vx_space_check(mask, index);
	if (ret)
		return ret;
	mutex_lock(&vx->space_lock);
	if (!vx->space) {
		vx->space = kcalloc(VX_SPACES, sizeof(*vx->space), GFP_KERNEL);
		if (!vx->space) {
			mutex_unlock(&vx->space_lock);
			return -ENOMEM;
		}
	}
	s = &vx->space[index];
	vx_space_clear(s, mask);
	for (i = 0; i < VS_SPACE_KINDS; i++) {
		if (mask & vs_space_ns[i]) {
			get_nsproxy(nsp);
			s->nsp[i] = nsp;
		}
	}
	if (mask & CLONE_NEWUSER)
		s->user_ns = get_user_ns(current_user_ns());
	if (mask & CLONE_FS) {
		get_fs_root(current->fs, &s->root);
		get_fs_pwd(current->fs, &s->pwd);
	}
	s->mask |= mask;
	mutex_unlock(&vx->space_lock);
	return 0;
}

/* A copy of set @index with its own references, for entering unlocked */
static int vx_space_take(struct vx_info *vx, u64 mask, u32 index,
			 struct vx_space *t)
{
	const struct vx_space *s;
	int i;

	mutex_lock(&vx->space_lock);
	s = vx->space ? &vx->space[index] : NULL;
	if (!mask)
		mask = s ? s->mask : 0;
	if (mask & ~(s ? s->mask : 0)) {
		mutex_unlock(&vx->space_lock);
		return -EINVAL;		/* not kept */
	}
	*t = (struct vx_space){ .mask = mask };
	for (i = 0; i < VS_SPACE_KINDS; i++) {
		if (mask & vs_space_ns[i]) {
			t->nsp[i] = s->nsp[i];
			get_nsproxy(t->nsp[i]);
		}
	}
	if (mask & CLONE_NEWUSER)
		t->user_ns = get_user_ns(s->user_ns);
	if (mask & CLONE_FS) {
		t->root = s->root;
		t->pwd = s->pwd;
		path_get(&t->root);
		path_get(&t->pwd);
	}
	mutex_unlock(&vx->space_lock);
	return 0;
}

/* Switch the caller into @t: the user namespace first, as setns(2) does */
static int vx_space_switch(const struct vx_space *t)
{
	u32 done = 0, flags;
	int ret = 0, i, j;

	/* setns(2) refuses to re-enter the caller's own user namespace */
	if ((t->mask & CLONE_NEWUSER) && t->user_ns != current_user_ns()) {
		ret = vserver_setns(current->nsproxy, t->user_ns,
				    CLONE_NEWUSER, NULL, NULL);
		if (ret)
			return ret;
	}
	/* one switch for all namespaces that came from the same nsproxy */
	for (i = 0; i < VS_SPACE_KINDS && !ret; i++) {
		if (!t->nsp[i] || (done & vs_space_ns[i]))
			continue;
		flags = 0;
		for (j = i; j < VS_SPACE_KINDS; j++)
			if (t->nsp[j] == t->nsp[i])
				flags |= vs_space_ns[j];
		ret = vserver_setns(t->nsp[i], t->user_ns, flags, NULL, NULL);
		done |= flags;
	}
	if (!ret && (t->mask & CLONE_FS))
		ret = vserver_setns(current->nsproxy, NULL, 0, &t->root,
				    &t->pwd);
	return ret;
}

/**
 * vx_enter_space - put the caller into namespaces kept for a context
 * @vx:    the context
 * @mask:  which; 0 = all the set keeps.  Must be kept (else -EINVAL).
 * @index: the set, below VX_SPACES
 *
 * Return: 0, -EACCES for a private context, -EINVAL, or the error of
 * setns(2) (-EPERM without CAP_SYS_ADMIN over a namespace, -EINVAL for a
 * multithreaded caller entering a user or mount namespace).
 */
long vx_enter_space(struct vx_info *vx, u64 mask, u32 index)
{
	struct vx_space t;
	int ret;

	if (READ_ONCE(vx->flags) & VXF_INFO_PRIVATE)
		return -EACCES;
	ret = vx_space_check(mask, index);
	if (!ret)
		ret = vx_space_take(vx, mask, index, &t);
	if (ret)
		return ret;
	ret = vx_space_switch(&t);
	vx_space_clear(&t, U64_MAX);
	return ret;
}
