// SPDX-License-Identifier: GPL-2.0
/*
 * vserver module - the machine a context sees (Linux-VServer's cvirt).
 *
 *   VIRT_UPTIME  /proc/uptime and sysinfo() count from the context's start
 *                (the idle time in proportion)
 *   VIRT_LOAD    /proc/loadavg and sysinfo() give the load average and
 *                task counts of the context's own tasks
 *   VIRT_CPU     /proc/stat gives the CPU time of the context's tasks and
 *                the idle time of the share it may use
 *   VIRT_MEM     /proc/meminfo, sysinfo() (free, top) give the memory limit
 *                of the context's cgroup as the total and its usage as used;
 *                swap the same
 *
 * The kernel asks through the hooks of kernel-patches/ (vserver_uptime,
 * vserver_loadavg, vserver_meminfo, vserver_proc_stat) for tasks of a
 * context only.
 */
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/sched/loadavg.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/socket.h>
#include <linux/time64.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "cgroup.h"
#include "context.h"
#include "limit.h"

/* The caller's context if it has virtualization @flag (see vx_current) */
static struct vx_info *vx_virtual(u64 flag)
{
	struct vx_info *vx = vx_current();

	return vx && (READ_ONCE(vx->flags) & flag) ? vx : NULL;
}

void vx_uptime(struct timespec64 *uptime, u64 *idle_ns)
{
	struct vx_info *vx = vx_virtual(VXF_VIRT_UPTIME);
	u64 host, up;

	if (!vx)
		return;
	host = timespec64_to_ns(uptime);
	up = host > vx->start ? host - vx->start : 0;
	if (idle_ns && host)
		*idle_ns = mul_u64_u64_div_u64(*idle_ns, up, host);
	*uptime = ns_to_timespec64(up);
}

void vx_loadavg(unsigned long *loads, unsigned long offset, int shift,
		unsigned int *running, unsigned int *threads)
{
	struct vx_info *vx = vx_virtual(VXF_VIRT_LOAD);
	struct vx_counts counts = {};
	int i;

	if (!vx)
		return;
	for (i = 0; i < 3; i++)
		loads[i] = (READ_ONCE(vx->avenrun[i]) + offset) << shift;
	vx_tally(vx, &counts);
	if (running)
		*running = counts.running;
	if (threads)
		*threads = counts.threads;
}

void vx_meminfo(struct sysinfo *si, long *available, long *cached)
{
	struct vx_info *vx = vx_virtual(VXF_VIRT_MEM);
	unsigned long limit, usage, swap_limit, swap_usage;
	struct mem_cgroup *memcg;

	if (!vx)
		return;
	rcu_read_lock();
	memcg = vx_memcg(vx);
	if (memcg) {
		limit = READ_ONCE(memcg->memory.max);
		usage = page_counter_read(&memcg->memory);
		swap_limit = READ_ONCE(memcg->swap.max);
		swap_usage = page_counter_read(&memcg->swap);
	}
	rcu_read_unlock();
	if (!memcg)
		return;
	/* si_meminfo() counts in pages (mem_unit PAGE_SIZE), as memcg does */
	if (limit < si->totalram) {
		si->totalram = limit;
		si->freeram = limit > usage ? limit - usage : 0;
		si->sharedram = 0;
		si->bufferram = 0;
		si->totalhigh = 0;
		si->freehigh = 0;
		if (available)
			*available = si->freeram;
		if (cached)
			*cached = 0;
	}
	if (swap_limit < si->totalswap) {
		si->totalswap = swap_limit;
		si->freeswap = swap_limit > swap_usage ?
			       swap_limit - swap_usage : 0;
	}
}

/* microseconds in clock ticks (USER_HZ), as /proc/stat counts */
static u64 vx_usec_to_ticks(u64 usec)
{
	return div_u64(usec, USEC_PER_SEC / USER_HZ);
}

/*
 * /proc/stat of a context with VIRT_CPU: the CPU time of its cgroup, the
 * idle time of the CPU it may use (its bucket's share, else every online
 * CPU) since it started, spread evenly over the CPUs; its forks and its
 * running and blocked tasks.  No interrupts, no context switches: those
 * are the host's.
 */
bool vx_proc_stat(struct seq_file *m)
{
	struct vx_info *vx = vx_virtual(VXF_VIRT_CPU);
	unsigned int cpu, ncpu = num_online_cpus();
	u64 user, sys, used, up, capacity, idle, quota, period;
	struct vx_counts counts = {};
	struct timespec64 boot;

	if (!vx)
		return false;
	/* under the seq_file's lock: kernel structures, no cgroup file */
	vx_cputime(vx, &user, &sys);
	user = div_u64(user, NSEC_PER_USEC);
	sys = div_u64(sys, NSEC_PER_USEC);
	up = div_u64(ktime_get_boottime_ns() - vx->start, NSEC_PER_USEC);
	capacity = up * ncpu;
	if (vx_sched_cap(vx, &quota, &period) && period)
		capacity = min(capacity, div64_u64(up * quota, period));
	used = user + sys;
	idle = capacity > used ? capacity - used : 0;
	user = vx_usec_to_ticks(user);
	sys = vx_usec_to_ticks(sys);
	idle = vx_usec_to_ticks(idle);

	seq_printf(m, "cpu  %llu 0 %llu %llu 0 0 0 0 0 0\n", user, sys, idle);
	for_each_online_cpu(cpu)
		seq_printf(m, "cpu%u %llu 0 %llu %llu 0 0 0 0 0 0\n", cpu,
			   div_u64(user, ncpu), div_u64(sys, ncpu),
			   div_u64(idle, ncpu));
	getboottime64(&boot);
	if (READ_ONCE(vx->flags) & VXF_VIRT_UPTIME)
		boot.tv_sec += div_u64(vx->start, NSEC_PER_SEC);
	vx_tally(vx, &counts);
	seq_printf(m, "intr 0\nctxt 0\nbtime %lld\nprocesses %d\n",
		   (long long)boot.tv_sec, atomic_read(&vx->forks));
	seq_printf(m, "procs_running %d\nprocs_blocked %d\n", counts.running,
		   counts.unintr);
	seq_puts(m, "softirq 0 0 0 0 0 0 0 0 0 0 0\n");
	return true;
}

/*
 * Socket traffic of a context (Linux-VServer's cacct): after each
 * sendmsg and recvmsg of a socket its tasks made, maybe in softirq
 * context: atomics only.
 */
void vx_sock_acct(u32 xid, int family, int ret, bool send)
{
	struct vx_info *vx;
	int f, way;

	switch (family) {
	case AF_UNSPEC:
		f = VX_ACCT_UNSPEC;
		break;
	case AF_UNIX:
		f = VX_ACCT_UNIX;
		break;
	case AF_INET:
		f = VX_ACCT_INET;
		break;
	case AF_INET6:
		f = VX_ACCT_INET6;
		break;
	default:
		f = VX_ACCT_OTHER;
	}
	if (ret < 0 && !send)
		return;		/* nothing came: no message, no failure */
	way = ret < 0 ? VX_ACCT_FAIL : send ? VX_ACCT_SEND : VX_ACCT_RECV;
	rcu_read_lock();
	vx = vx_lookup_rcu(xid);
	if (vx) {
		atomic_long_inc(&vx->cacct[f][way].count);
		if (ret > 0)
			atomic_long_add(ret, &vx->cacct[f][way].bytes);
	}
	rcu_read_unlock();
}

/* /proc/virtual/<xid>/cacct: count/bytes of recv, send, fail per family */
int vx_cacct_show(struct seq_file *m, void *v)
{
	static const char * const names[VX_ACCT_FAMILIES] = {
		"UNSPEC", "UNIX", "INET", "INET6", "OTHER",
	};
	struct vx_info *vx = m->private;
	int f, way;

	for (f = 0; f < VX_ACCT_FAMILIES; f++) {
		seq_printf(m, "%s:", names[f]);
		for (way = 0; way < VX_ACCT_WAYS; way++)
			seq_printf(m, "\t%12lu/%-12lu",
				   atomic_long_read(&vx->cacct[f][way].count),
				   atomic_long_read(&vx->cacct[f][way].bytes));
		seq_putc(m, '\n');
	}
	return 0;
}

int vx_virt_stat(struct vx_info *vx, struct vcmd_virt_stat_v0 *v)
{
	struct vx_counts counts = {};
	u64 now = ktime_get_boottime_ns();
	int i;

	vx_tally(vx, &counts);
	v->offset = vx->start;
	v->uptime = now > vx->start ? now - vx->start : 0;
	v->nr_threads = counts.threads;
	v->nr_running = counts.running;
	v->nr_uninterruptible = counts.unintr;
	v->nr_onhold = 0;
	v->nr_forks = atomic_read(&vx->forks);
	for (i = 0; i < 3; i++)
		v->load[i] = READ_ONCE(vx->avenrun[i]);
	return 0;
}

/*
 * The load average of each context, every LOAD_FREQ like the kernel's:
 * the tasks of the context that run or wait uninterruptibly.
 */
static void vx_calc_load(struct vx_info *vx)
{
	static const unsigned long exp[3] = { EXP_1, EXP_5, EXP_15 };
	struct vx_counts counts = {};
	unsigned long active;
	int i;

	vx_tally(vx, &counts);
	active = (unsigned long)(counts.running + counts.unintr) * FIXED_1;
	for (i = 0; i < 3; i++)
		WRITE_ONCE(vx->avenrun[i],
			   calc_load(vx->avenrun[i], exp[i], active));
}

static void vx_load_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(vx_load_work, vx_load_work_fn);

static void vx_load_work_fn(struct work_struct *work)
{
	vx_for_each(vx_calc_load);
	schedule_delayed_work(&vx_load_work, LOAD_FREQ);
}

int vs_cvirt_init(void)
{
	schedule_delayed_work(&vx_load_work, LOAD_FREQ);
	return 0;
}

void vs_cvirt_exit(void)
{
	cancel_delayed_work_sync(&vx_load_work);
}
