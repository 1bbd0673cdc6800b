/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vserver module - per-context limits, token bucket and virtualized views.
 */
#ifndef _VSERVER_LIMIT_H
#define _VSERVER_LIMIT_H

#include <linux/types.h>
#include <linux/vserver_hook.h>
#include <linux/vserver.h>

struct mem_cgroup;
struct seq_file;
struct sysinfo;
struct timespec64;
struct vx_info;

/* limit.c */
void vx_limits_init(struct vx_info *vx);
void vx_rlimit_mask(struct vcmd_ctx_rlimit_mask_v0 *m);
int vx_get_rlimit(struct vx_info *vx, struct vcmd_ctx_rlimit_v0 *r);
int vx_set_rlimit(struct vx_info *vx, const struct vcmd_ctx_rlimit_v0 *r);
int vx_rlimit_stat(struct vx_info *vx, struct vcmd_rlimit_stat_v0 *s);
int vx_reset_hits(struct vx_info *vx);
int vx_reset_minmax(struct vx_info *vx);
int vx_charge(struct vs_ref *ref, enum vs_resource res, long used);
int vx_limit_show(struct seq_file *m, void *v);
struct mem_cgroup *vx_memcg(struct vx_info *vx);

/* sched.c */
void vx_sched_init(struct vx_info *vx);
int vx_set_sched(struct vx_info *vx, const struct vcmd_sched_v5 *s);
int vx_get_sched(struct vx_info *vx, struct vcmd_sched_v5 *s);
int vx_sched_info(struct vx_info *vx, struct vcmd_sched_info *info);
int vx_sched_apply(struct vx_info *vx);
int vx_sched_show(struct seq_file *m, void *v);
bool vx_sched_cap(struct vx_info *vx, u64 *quota, u64 *period);

/* cvirt.c */
void vx_uptime(struct timespec64 *uptime, u64 *idle_ns);
void vx_loadavg(unsigned long *loads, unsigned long offset, int shift,
		unsigned int *running, unsigned int *threads);
void vx_meminfo(struct sysinfo *si, long *available, long *cached);
bool vx_proc_stat(struct seq_file *m);
void vx_sock_acct(u32 xid, int family, int ret, bool send);
int vx_cacct_show(struct seq_file *m, void *v);
int vx_virt_stat(struct vx_info *vx, struct vcmd_virt_stat_v0 *v);
int vs_cvirt_init(void);
void vs_cvirt_exit(void);

#endif /* _VSERVER_LIMIT_H */
