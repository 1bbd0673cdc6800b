// SPDX-License-Identifier: GPL-2.0
/*
 * vserver module - the token-bucket CPU scheduler of a context.
 *
 * Linux-VServer gave each context a bucket of CPU time: a running task
 * takes a token each tick, @fill_rate tokens come back every @interval
 * ticks, the bucket holds at most @tokens_max, and with VXF_SCHED_HARD a
 * context whose bucket ran dry is held until @tokens_min came back.  The
 * kernel's CFS bandwidth control is that bucket: a cgroup gets a quota of
 * CPU time per period and, with a burst, keeps what it left unused.  So:
 *
 *   period = interval * max(1, tokens_min / fill_rate)   (one refill)
 *   quota  = period * fill_rate / interval                (the share)
 *   burst  = min(quota, tokens_max - tokens_min)          (the kernel's cap)
 *
 * A context held back waits for the next period, which brings at least
 * tokens_min tokens: the same hold.  Documentation/limits.md gives the
 * differences (per-CPU buckets, idle time, priority).
 */
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/sched/prio.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/time64.h>
#include <linux/vserver.h>

#include "cgroup.h"
#include "context.h"
#include "limit.h"

/* CFS bandwidth bounds (kernel/sched/core.c): period 1 ms..1 s, quota >= 1 ms */
#define VX_CFS_MIN_US	1000ULL
#define VX_CFS_MAX_US	1000000ULL

/* One token: a tick of CPU time */
#define VX_TOKEN_US	(USEC_PER_SEC / HZ)

#define VX_SCHED_FLAGS	(VXF_SCHED_HARD | VXF_SCHED_PRIO | VXF_SCHED_PAUSE)

/* Linux-VServer's defaults */
void vx_sched_init(struct vx_info *vx)
{
	struct vx_sched *s = &vx->sched;

	s->fill_rate[0] = s->fill_rate[1] = 1;
	s->interval[0] = 4;
	s->interval[1] = 8;
	s->tokens = HZ / 4;
	s->tokens_min = HZ / 16;
	s->tokens_max = HZ / 2;
	s->prio_bias = 0;
}

/* The CFS bandwidth of bucket @s, in microseconds */
static void vx_sched_cfs(const struct vx_sched *s, u64 *quota, u64 *period,
			 u64 *burst)
{
	u64 interval = (u64)s->interval[0] *
		       (s->msec ? USEC_PER_MSEC : VX_TOKEN_US);
	u64 fill = (u64)s->fill_rate[0] * VX_TOKEN_US;
	u64 refills = 1;

	if (s->fill_rate[0] > 0 && s->tokens_min > s->fill_rate[0])
		refills = s->tokens_min / s->fill_rate[0];
	*period = clamp(interval * refills, VX_CFS_MIN_US, VX_CFS_MAX_US);
	/* fill_rate 0: nothing comes back; the kernel's smallest quota */
	*quota = max(div64_u64(fill * *period, interval), VX_CFS_MIN_US);
	*burst = s->tokens_max > s->tokens_min ?
		 (u64)(s->tokens_max - s->tokens_min) * VX_TOKEN_US : 0;
	*burst = min(*burst, *quota);
}

/*
 * The relative weight of a context under contention: its share of one
 * CPU, with the default bucket (1/4) worth the default weight.
 */
static u64 vx_sched_weight(const struct vx_sched *s)
{
	u64 w;

	if (s->fill_rate[0] <= 0)
		return 1;
	w = div64_u64(400ULL * s->fill_rate[0] * (s->msec ? VX_TOKEN_US : 1),
		      (u64)s->interval[0] * (s->msec ? USEC_PER_MSEC : 1));
	return clamp(w, 1ULL, 10000ULL);
}

/**
 * vx_sched_apply - put the bucket and the scheduling flags into the cgroup
 * @vx: the context
 *
 * VXF_SCHED_HARD caps the context (cpu.max), unless the bucket has
 * idle-time skipping: then it only weighs its share (cpu.weight) and may
 * use what nobody else wants.  VXF_SCHED_PRIO weighs it by its share,
 * prio_bias alone is a nice value for the whole context.
 * VXF_SCHED_PAUSE freezes all its tasks.
 *
 * Return: 0, -EOPNOTSUPP without a cgroup (only if a flag asks for it).
 */
int vx_sched_apply(struct vx_info *vx)
{
	u64 flags = READ_ONCE(vx->flags);
	u64 quota, period, burst;
	struct vx_sched s;
	char val[48];
	int ret;

	if (!vx->cgrp)
		return (flags & VX_SCHED_FLAGS) ? -EOPNOTSUPP : 0;
	mutex_lock(&vx->res_lock);
	s = vx->sched;
	vx_sched_cfs(&s, &quota, &period, &burst);
	/* burst first: it may not exceed the quota at any time */
	ret = vx_cg_write(vx, "cpu.max.burst", "0");
	if (!ret && (flags & VXF_SCHED_HARD) && !s.idle_time) {
		snprintf(val, sizeof(val), "%llu %llu", quota, period);
		ret = vx_cg_write(vx, "cpu.max", val);
		snprintf(val, sizeof(val), "%llu", burst);
		if (!ret)
			ret = vx_cg_write(vx, "cpu.max.burst", val);
	} else if (!ret) {
		ret = vx_cg_write(vx, "cpu.max", "max");
	}
	if (!ret && ((flags & VXF_SCHED_PRIO) ||
		     ((flags & VXF_SCHED_HARD) && s.idle_time))) {
		snprintf(val, sizeof(val), "%llu", vx_sched_weight(&s));
		ret = vx_cg_write(vx, "cpu.weight", val);
	} else if (!ret) {
		/* a nice value stops at 19, prio_bias at 20 */
		snprintf(val, sizeof(val), "%d", min(s.prio_bias, MAX_NICE));
		ret = vx_cg_write(vx, "cpu.weight.nice", val);
	}
	if (!ret)
		ret = vx_cg_write(vx, "cgroup.freeze",
				  (flags & VXF_SCHED_PAUSE) ? "1" : "0");
	mutex_unlock(&vx->res_lock);
	return ret;
}

/* One bucket per context: the CPU and bucket ids name all CPUs or none */
static bool vx_sched_ids_ok(const struct vcmd_sched_v5 *s)
{
	if ((s->mask & VXSM_CPU_ID) && s->cpu_id != 0 && s->cpu_id != -1)
		return false;
	if ((s->mask & VXSM_BUCKET_ID) && s->bucket_id != 0 &&
	    s->bucket_id != -1)
		return false;
	return true;
}

/**
 * vx_set_sched - change the fields of the bucket named in @s->mask
 * @vx: the context
 * @s: the new values (VXSM_* in @mask)
 *
 * Return: 0, -EINVAL for an unknown mask bit, a CPU or bucket other than
 * 0 or -1, a negative fill rate, an interval or tokens_max below 1,
 * tokens_min below 0 or above tokens_max, prio_bias outside -20..20.
 * Nothing changes on error.
 */
int vx_set_sched(struct vx_info *vx, const struct vcmd_sched_v5 *s)
{
	const u32 known = VXSM_SET_MASK | VXSM_IDLE_TIME | VXSM_FORCE |
			  VXSM_CPU_ID | VXSM_BUCKET_ID | VXSM_MSEC;
	struct vx_sched new, old;
	int ret;

	if ((s->mask & ~known) || !vx_sched_ids_ok(s))
		return -EINVAL;
	/* a bucket is the context's cgroup's CPU bandwidth */
	ret = vx_cg_ensure(vx);
	if (ret)
		return ret;
	mutex_lock(&vx->res_lock);
	old = new = vx->sched;
	if (s->mask & VXSM_FILL_RATE)
		new.fill_rate[0] = s->fill_rate[0];
	if (s->mask & VXSM_INTERVAL)
		new.interval[0] = s->interval[0];
	if (s->mask & VXSM_FILL_RATE2)
		new.fill_rate[1] = s->fill_rate[1];
	if (s->mask & VXSM_INTERVAL2)
		new.interval[1] = s->interval[1];
	if (s->mask & VXSM_TOKENS)
		new.tokens = s->tokens;
	if (s->mask & VXSM_TOKENS_MIN)
		new.tokens_min = s->tokens_min;
	if (s->mask & VXSM_TOKENS_MAX)
		new.tokens_max = s->tokens_max;
	if (s->mask & VXSM_PRIO_BIAS)
		new.prio_bias = s->prio_bias;
	new.idle_time = s->mask & VXSM_IDLE_TIME;
	if (s->mask & (VXSM_INTERVAL | VXSM_INTERVAL2))
		new.msec = s->mask & VXSM_MSEC;
	ret = -EINVAL;
	if (new.fill_rate[0] < 0 || new.fill_rate[1] < 0 ||
	    new.interval[0] < 1 || new.interval[1] < 1 ||
	    new.tokens < 0 || new.tokens_min < 0 || new.tokens_max < 1 ||
	    new.tokens_min > new.tokens_max ||
	    new.prio_bias < VX_MIN_PRIO_BIAS || new.prio_bias > VX_MAX_PRIO_BIAS)
		goto out;
	if (new.tokens > new.tokens_max)
		new.tokens = new.tokens_max;
	vx->sched = new;
	ret = 0;
out:
	mutex_unlock(&vx->res_lock);
	if (ret || !vx->cgrp)
		return ret;
	ret = vx_sched_apply(vx);
	if (ret) {	/* the cgroup refused: back to what it had */
		mutex_lock(&vx->res_lock);
		vx->sched = old;
		mutex_unlock(&vx->res_lock);
		vx_sched_apply(vx);
	}
	return ret;
}

int vx_get_sched(struct vx_info *vx, struct vcmd_sched_v5 *s)
{
	struct vx_sched cur;

	if (!vx_sched_ids_ok(s))
		return -EINVAL;
	mutex_lock(&vx->res_lock);
	cur = vx->sched;
	mutex_unlock(&vx->res_lock);
	s->mask = VXSM_SET_MASK & ~(VXSM_FORCE | VXSM_CPU_ID | VXSM_BUCKET_ID);
	if (cur.idle_time)
		s->mask |= VXSM_IDLE_TIME;
	if (cur.msec)
		s->mask |= VXSM_MSEC;
	s->fill_rate[0] = cur.fill_rate[0];
	s->fill_rate[1] = cur.fill_rate[1];
	s->interval[0] = cur.interval[0];
	s->interval[1] = cur.interval[1];
	s->tokens = cur.tokens;
	s->tokens_min = cur.tokens_min;
	s->tokens_max = cur.tokens_max;
	s->prio_bias = cur.prio_bias;
	return 0;
}

/* CPU time used and held back, from the cgroup's cpu.stat */
int vx_sched_info(struct vx_info *vx, struct vcmd_sched_info *info)
{
	if ((info->cpu_id != 0 && info->cpu_id != -1) ||
	    (info->bucket_id != 0 && info->bucket_id != -1))
		return -EINVAL;
	info->token_usec = VX_TOKEN_US;
	info->vavavoom = 0;
	if (!vx->cgrp) {
		/* no bucket yet, so nothing held back */
		vx_cputime(vx, &info->user_msec, &info->sys_msec);
		info->user_msec = div_u64(info->user_msec, NSEC_PER_MSEC);
		info->sys_msec = div_u64(info->sys_msec, NSEC_PER_MSEC);
		info->hold_msec = 0;
		return 0;
	}
	info->user_msec = div_u64(vx_cg_read_key(vx, "cpu.stat", "user_usec"),
				  USEC_PER_MSEC);
	info->sys_msec = div_u64(vx_cg_read_key(vx, "cpu.stat", "system_usec"),
				 USEC_PER_MSEC);
	info->hold_msec = div_u64(vx_cg_read_key(vx, "cpu.stat",
						 "throttled_usec"),
				  USEC_PER_MSEC);
	return 0;
}

/*
 * The CPU @vx may use, as quota per period (µs), if its bucket caps it
 * (VXF_SCHED_HARD without idle time); from our own settings, so it may be
 * asked anywhere.
 */
bool vx_sched_cap(struct vx_info *vx, u64 *quota, u64 *period)
{
	u64 burst;
	struct vx_sched s;

	if (!(READ_ONCE(vx->flags) & VXF_SCHED_HARD))
		return false;
	/*
	 * No res_lock: its holders wait for our worker, which reads
	 * seq_files, and this runs under one.  A change racing with this
	 * read makes one /proc/stat a mix of two buckets, nothing worse.
	 */
	s.fill_rate[0] = READ_ONCE(vx->sched.fill_rate[0]);
	s.interval[0] = READ_ONCE(vx->sched.interval[0]);
	s.tokens_min = READ_ONCE(vx->sched.tokens_min);
	s.tokens_max = READ_ONCE(vx->sched.tokens_max);
	s.msec = READ_ONCE(vx->sched.msec);
	s.idle_time = READ_ONCE(vx->sched.idle_time);
	if (s.idle_time)
		return false;
	vx_sched_cfs(&s, quota, period, &burst);
	return true;
}

/*
 * /proc/virtual/<xid>/sched: the bucket, what it maps to, and what the
 * cgroup says (made when the file is opened: proc.c)
 */
int vx_sched_show(struct seq_file *m, void *v)
{
	struct vx_info *vx = m->private;
	u64 quota, period, burst;
	struct vx_sched s;
	char buf[64];

	mutex_lock(&vx->res_lock);
	s = vx->sched;
	mutex_unlock(&vx->res_lock);
	vx_sched_cfs(&s, &quota, &period, &burst);
	seq_printf(m, "FillRate:\t%8d,%d\n", s.fill_rate[0], s.fill_rate[1]);
	seq_printf(m, "Interval:\t%8d,%d\n", s.interval[0], s.interval[1]);
	seq_printf(m, "TokensMin:\t%8d\n", s.tokens_min);
	seq_printf(m, "TokensMax:\t%8d\n", s.tokens_max);
	seq_printf(m, "PrioBias:\t%8d\n", s.prio_bias);
	seq_printf(m, "IdleTime:\t%8d\n", s.idle_time);
	seq_printf(m, "Bucket:\t%llu %llu %llu\n", quota, period, burst);
	if (!vx_cg_read(vx, "cpu.max", buf, sizeof(buf)))
		seq_printf(m, "CpuMax:\t%s", buf);
	if (vx->cgrp)
		seq_printf(m, "Throttled:\t%llu\n",
			   vx_cg_read_key(vx, "cpu.stat", "nr_throttled"));
	return 0;
}
