/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vserver module - security contexts (xid).
 */
#ifndef _VSERVER_CONTEXT_H
#define _VSERVER_CONTEXT_H

#include <linux/atomic.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/vserver_hook.h>

struct proc_dir_entry;
struct task_struct;

/**
 * struct vx_info - one security context
 * @ref:   references: the context table while hashed, every credential
 *         with this xid, every task counted in @tasks.  Must come first:
 *         the hook layer frees the structure at the last reference, which
 *         may come after the module is gone, so a context releases all it
 *         owns when it ends.
 * @xid:   context id
 * @flags: VXF_* flags
 * @tasks: tasks that belong to the context; the context ends when the
 *         last one exits (unless VXF_PERSISTENT)
 * @initpid: tgid of the context's init, 0 if none
 * @hashed: in the context table (protected by vx_lock)
 * @proc:  /proc/virtual/<xid>
 */
struct vx_info {
	struct vs_ref ref;
	u32 xid;
	u64 flags;
	atomic_t tasks;
	pid_t initpid;
	bool hashed;
	struct proc_dir_entry *proc;
};

static inline struct vx_info *vx_get(struct vx_info *vx)
{
	vs_ref_get(&vx->ref);
	return vx;
}

static inline void vx_put(struct vx_info *vx)
{
	vs_ref_put(&vx->ref);
}

u32 vx_current_xid(void);
u32 vx_task_xid(struct task_struct *task);
struct vx_info *vx_lookup(u32 xid);
int vx_create(u32 xid, u64 flags);
int vx_migrate(u32 xid, u64 mflags);
int vx_count(void);
int vs_context_init(void);
void vs_context_exit(void);

extern const struct vserver_ops vs_ops;

#endif /* _VSERVER_CONTEXT_H */
