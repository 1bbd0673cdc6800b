/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vserver module - security contexts (xid).
 */
#ifndef _VSERVER_CONTEXT_H
#define _VSERVER_CONTEXT_H

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/vserver_hook.h>
#include <linux/wait.h>
#include <linux/vserver.h>

#include "syslog.h"

struct cgroup;
struct cgroup_subsys_state;
struct ctl_table;
struct path;
struct proc_dir_entry;
struct task_struct;

/**
 * struct vx_limit - one per-context limit (Linux-VServer's rlimits)
 * @soft:  soft limit, CRLIM_INFINITY for none
 * @hard:  hard limit, CRLIM_INFINITY for none
 * @min:   lowest value seen since reset_minmax (U64_MAX: none seen yet)
 * @max:   highest value seen since reset_minmax
 * @peak_base: the kernel's own peak at reset_minmax: only a higher one is
 *         a peak since then (else the watermark is what rlimit_stat saw)
 * @hits_base: the kernel's count of refusals at the last reset_hits
 * @hits:  refusals counted by the module itself
 */
struct vx_limit {
	u64 soft;
	u64 hard;
	u64 min;
	u64 max;
	u64 peak_base;
	u64 hits_base;
	atomic_t hits;
};

/* The token bucket of a context, as set_sched gave it (ticks or ms) */
struct vx_sched {
	s32 fill_rate[2];
	s32 interval[2];
	s32 tokens;
	s32 tokens_min;
	s32 tokens_max;
	s32 prio_bias;
	bool idle_time;
	bool msec;
};

/* Socket accounting: families as /proc/virtual/<xid>/cacct lists them */
enum { VX_ACCT_UNSPEC, VX_ACCT_UNIX, VX_ACCT_INET, VX_ACCT_INET6,
       VX_ACCT_OTHER, VX_ACCT_FAMILIES };
enum { VX_ACCT_RECV, VX_ACCT_SEND, VX_ACCT_FAIL, VX_ACCT_WAYS };

/**
 * struct vx_info - one security context
 * @ref:   references: the context table while hashed, every credential
 *         with this xid, every task counted in @tasks.  Must come first:
 *         the hook layer frees the structure at the last reference, which
 *         may come after the module is gone, so a context releases all it
 *         owns when it ends.
 * @xid:   context id
 * @flags: VXF_* flags
 * @bcaps: bounding set of capabilities (bit n = capability n)
 * @ccaps: context capabilities (VXC_*)
 * @umask: VXU_* namespaces the context may create or join after setup
 * @tasks: tasks that belong to the context; the context ends when the
 *         last one exits (unless VXF_PERSISTENT)
 * @forks: tasks created in the context (cvirt total_forks)
 * @exit_utime: user CPU time (ns) its exited tasks ran
 * @exit_stime: system CPU time (ns) its exited tasks ran
 * @start: boot time (CLOCK_BOOTTIME, ns) when the context was created
 * @initpid: tgid of the context's init, 0 if none
 * @exit_code: wait status of the init (or of the last task without init)
 * @hashed: in the context table (protected by vx_lock)
 * @exit_wait: wait_exit() callers, woken when the context ends
 * @proc:  /proc/virtual/<xid>
 * @name:  free-text name (VHIN_CONTEXT), under vx_lock
 * @log:   the context's kernel log (ccap SYSLOG), emptied when it ends
 * @cgrp:  its cgroup (vserver/<xid>), NULL if it has none (cgroup.c)
 * @memcss: the memory controller's state of @cgrp, for VIRT_MEM (RCU)
 * @res_lock: serializes changes of @limits and @sched
 * @limits: per-context limits, indexed by VLIMIT_* (limit.c)
 * @sched: the token bucket (sched.c)
 * @avenrun: load average of its tasks, FSHIFT fixed point (cvirt.c)
 * @cacct: socket traffic per family (VX_ACCT_*): messages and bytes
 *         received, sent, and sends that failed (cvirt.c)
 */
struct vx_space;

struct vx_info {
	struct vs_ref ref;
	u32 xid;
	u64 flags;
	u64 bcaps;
	u64 ccaps;
	u64 umask;
	atomic_t tasks;
	atomic_t forks;
	atomic64_t exit_utime;
	atomic64_t exit_stime;
	u64 start;
	pid_t initpid;
	int exit_code;
	bool hashed;
	wait_queue_head_t exit_wait;
	struct proc_dir_entry *proc;
	char name[VHI_NAME_LEN];
	struct vx_log log;
	struct cgroup *cgrp;
	struct cgroup_subsys_state __rcu *memcss;
	struct mutex res_lock;
	struct vx_limit limits[VLIMIT_NUM];
	struct vx_sched sched;
	unsigned long avenrun[3];
	struct mutex space_lock;
	struct vx_space *space;		/* [VX_SPACES], kept namespaces */
	struct {
		atomic_long_t count;
		atomic_long_t bytes;
	} cacct[VX_ACCT_FAMILIES][VX_ACCT_WAYS];
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

/* Tasks of a context by state (struct vx_info has only the total) */
struct vx_counts {
	int threads;
	int running;
	int unintr;
};

u32 vx_current_xid(void);
bool vx_current_in_setup(void);
struct task_struct *vx_scan(struct vx_info *vx, struct vx_counts *counts);
void vx_tally(struct vx_info *vx, struct vx_counts *counts);
void vx_cputime(struct vx_info *vx, u64 *user, u64 *sys);
int vx_uts_get(struct vx_info *vx, u32 field, char *buf, size_t size);
int vx_uts_set(struct vx_info *vx, u32 field, const char *name);
int vx_access(const struct cred *subject, const struct cred *object,
	      enum vs_access mode);
u32 vx_task_xid(struct task_struct *task);
struct vx_info *vx_lookup(u32 xid);
struct vx_info *vx_lookup_rcu(u32 xid);
int vx_create(u32 xid, u64 flags);
int vx_migrate(u32 xid, u64 mflags);
int vx_become_spectator(void);
u64 vx_flags_mask(struct vx_info *vx);
int vx_set_flags(struct vx_info *vx, u64 flags, u64 mask);
int vx_set_bcaps(struct vx_info *vx, u64 bcaps, u64 mask);
int vx_set_ccaps(struct vx_info *vx, u64 ccaps, u64 mask);
bool vx_ccap(const struct cred *cred, u64 ccap);
int vx_mount(const struct path *path, const char *type, unsigned long flags,
	     bool umount);
int vx_capable(const struct cred *cred, struct user_namespace *ns, int cap,
	       unsigned int opts);
void vx_bprm_creds(struct linux_binprm *bprm);
int vx_sysctl_write(const struct ctl_table *table, bool per_ns);
int vx_set_umask(struct vx_info *vx, u64 umask, u64 mask);
int vx_ns_change(unsigned long flags);
int vx_kill(struct vx_info *vx, int pid, int sig);
int vx_wait_exit(struct vx_info *vx, int *exit_code);
void vx_get_name(struct vx_info *vx, char *buf);
void vx_set_name(struct vx_info *vx, const char *name);
int vx_count(void);
struct vx_info *vx_current(void);
void vx_for_each(void (*fn)(struct vx_info *vx));

/* space.c: namespaces kept per context */
u64 vx_space_supported(void);
void vx_space_init(struct vx_info *vx);
void vx_space_release(struct vx_info *vx);
u64 vx_space_mask(struct vx_info *vx, u32 index);
long vx_set_space(struct vx_info *vx, u64 mask, u32 index);
long vx_enter_space(struct vx_info *vx, u64 mask, u32 index);
int vs_context_init(void);
void vs_context_exit(void);

extern const struct vserver_ops vs_ops;

/* The context capabilities we implement (Documentation/caps.md) */
#define VXC_SUPPORTED	(VXC_SET_UTSNAME | VXC_SET_RLIMIT | VXC_SYSLOG | \
			 VXC_SECURE_MOUNT | VXC_SECURE_REMOUNT | VXC_NAMESPACE)

/* Every capability this kernel knows */
#define VX_CAPS_ALL	((u64)CAP_FULL_SET.val)

#endif /* _VSERVER_CONTEXT_H */
