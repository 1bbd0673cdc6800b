/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vserver module - the cgroup of a context.
 */
#ifndef _VSERVER_CGROUP_H
#define _VSERVER_CGROUP_H

#include <linux/types.h>
#include <linux/vserver.h>

struct task_struct;
struct vx_info;

/* The context flags that need the context's cgroup */
#define VX_CG_FLAGS	(VXF_SCHED_HARD | VXF_SCHED_PRIO | VXF_SCHED_PAUSE | \
			 VXF_VIRT_CPU | VXF_VIRT_MEM)

int vx_cg_ensure(struct vx_info *vx);
int vx_cg_attach(struct vx_info *vx, struct task_struct *task);
int vx_cg_write(struct vx_info *vx, const char *file, const char *val);
int vx_cg_read(struct vx_info *vx, const char *file, char *buf, size_t size);
u64 vx_cg_read_key(struct vx_info *vx, const char *file, const char *key);
u64 vx_cg_read_u64(struct vx_info *vx, const char *file);
void vx_cg_release(struct vx_info *vx);
int vs_cgroup_init(void);
void vs_cgroup_exit(void);

#endif /* _VSERVER_CGROUP_H */
