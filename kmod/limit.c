// SPDX-License-Identifier: GPL-2.0
/*
 * vserver module - per-context limits (Linux-VServer's rlimits).
 *
 * Each limit is enforced by the kernel mechanism made for it:
 *
 *   NPROC   the pids controller of the context's cgroup (pids.max): fork
 *           and clone fail with EAGAIN
 *   RSS     the memory controller (memory.max, soft: memory.high): the
 *           kernel reclaims, then the OOM killer picks a task of the
 *           context, never one of the host
 *   NOFILE  the open files the hook layer counts per context: one more
 *           fails with EMFILE
 *   NSOCK   the sockets it counts the same way: socket() fails
 *
 * ANON, SHMEM and MAPPED are only counted (the memory controller's
 * statistics): a limit on them is memory.max's business.
 *
 * Values, watermarks and hit counters come from the same place.
 * Documentation/limits.md has the details and what we do not limit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/vserver.h>

#include "cgroup.h"
#include "context.h"
#include "limit.h"

/* The limits we enforce (hard), and those with a soft limit too */
#define VX_LIMITED	(BIT(VLIMIT_NPROC) | BIT(VLIMIT_RSS) | \
			 BIT(VLIMIT_NOFILE) | BIT(VLIMIT_NSOCK))
#define VX_LIMITED_SOFT	BIT(VLIMIT_RSS)
/* What we only count (rlimit_stat): the memory controller's statistics */
#define VX_COUNTED	(BIT(VLIMIT_ANON) | BIT(VLIMIT_SHMEM) | BIT(VLIMIT_MAPPED))

/* Can limit @id be set? */
static bool vx_limit_known(u32 id)
{
	return id < VLIMIT_NUM && (VX_LIMITED & BIT(id));
}

/* Can limit @id be read? */
static bool vx_limit_counted(u32 id)
{
	return id < VLIMIT_NUM && ((VX_LIMITED | VX_COUNTED) & BIT(id));
}

/* A memory.stat figure of the context's cgroup, in pages */
static u64 vx_memory_stat(struct vx_info *vx, const char *key)
{
	return vx->cgrp ? vx_cg_read_key(vx, "memory.stat", key) >> PAGE_SHIFT : 0;
}

void vx_limits_init(struct vx_info *vx)
{
	int i;

	mutex_init(&vx->res_lock);
	for (i = 0; i < VLIMIT_NUM; i++) {
		vx->limits[i].soft = CRLIM_INFINITY;
		vx->limits[i].hard = CRLIM_INFINITY;
		vx->limits[i].min = U64_MAX;
	}
}

void vx_rlimit_mask(struct vcmd_ctx_rlimit_mask_v0 *m)
{
	m->minimum = 0;
	m->softlimit = VX_LIMITED_SOFT;
	m->maximum = VX_LIMITED;
}

/*
 * The memory controller of the context's cgroup, under rcu_read_lock(),
 * or NULL.
 */
struct mem_cgroup *vx_memcg(struct vx_info *vx)
{
	struct cgroup_subsys_state *css = rcu_dereference(vx->memcss);

	if (!css || mem_cgroup_disabled())
		return NULL;
	return mem_cgroup_from_css(css);
}

/* What the memory controller of the context's cgroup says */
enum vx_memcg_item { VX_MEMCG_USAGE, VX_MEMCG_PEAK, VX_MEMCG_REFUSED };

static u64 vx_memcg_read(struct vx_info *vx, enum vx_memcg_item item)
{
	struct mem_cgroup *memcg;
	u64 val = 0;

	rcu_read_lock();
	memcg = vx_memcg(vx);
	if (memcg && item == VX_MEMCG_USAGE)
		val = page_counter_read(&memcg->memory);
	else if (memcg && item == VX_MEMCG_PEAK)
		val = READ_ONCE(memcg->memory.watermark);
	else if (memcg)
		val = atomic_long_read(&memcg->memory_events[MEMCG_MAX]);
	rcu_read_unlock();
	return val;
}

/* The current value of limit @id */
static u64 vx_limit_value(struct vx_info *vx, u32 id)
{
	switch (id) {
	case VLIMIT_NPROC:
		if (!vx->cgrp)
			return atomic_read(&vx->tasks);
		return vx_cg_read_u64(vx, "pids.current");
	case VLIMIT_RSS:
		return vx_memcg_read(vx, VX_MEMCG_USAGE);
	case VLIMIT_NOFILE:
		return max(atomic_long_read(&vx->ref.used[VS_RES_FILE]), 0L);
	case VLIMIT_NSOCK:
		return max(atomic_long_read(&vx->ref.used[VS_RES_SOCK]), 0L);
	case VLIMIT_ANON:
		return vx_memory_stat(vx, "anon");
	case VLIMIT_SHMEM:
		return vx_memory_stat(vx, "shmem");
	case VLIMIT_MAPPED:
		return vx_memory_stat(vx, "file_mapped");
	}
	return 0;
}

/* The kernel's own highest value of limit @id, 0 if it keeps none */
static u64 vx_limit_peak(struct vx_info *vx, u32 id)
{
	if (id == VLIMIT_NPROC)
		return vx->cgrp ? vx_cg_read_u64(vx, "pids.peak") : 0;
	return id == VLIMIT_RSS ? vx_memcg_read(vx, VX_MEMCG_PEAK) : 0;
}

/* How often the kernel refused something for limit @id */
static u64 vx_limit_refused(struct vx_info *vx, u32 id)
{
	if (id == VLIMIT_NPROC)
		return vx->cgrp ? vx_cg_read_key(vx, "pids.events", "max") : 0;
	return id == VLIMIT_RSS ? vx_memcg_read(vx, VX_MEMCG_REFUSED) : 0;
}

/* Take @val into the watermarks of @l (under res_lock) */
static void vx_limit_seen(struct vx_limit *l, u64 val)
{
	if (val < l->min)
		l->min = val;
	if (val > l->max)
		l->max = val;
}

int vx_get_rlimit(struct vx_info *vx, struct vcmd_ctx_rlimit_v0 *r)
{
	struct vx_limit *l;

	if (!vx_limit_counted(r->id))
		return -EINVAL;
	l = &vx->limits[r->id];
	mutex_lock(&vx->res_lock);
	r->minimum = CRLIM_UNSET;
	r->softlimit = l->soft;
	r->maximum = l->hard;
	mutex_unlock(&vx->res_lock);
	return 0;
}

/* @val (a count, or pages with @page) as a cgroup file takes it */
static int vx_limit_str(u64 val, bool page, char *buf, size_t size)
{
	if (val == CRLIM_INFINITY) {
		strscpy(buf, "max", size);
		return 0;
	}
	if (page) {
		if (val > (U64_MAX >> PAGE_SHIFT))
			return -EINVAL;
		val <<= PAGE_SHIFT;
	}
	snprintf(buf, size, "%llu", val);
	return 0;
}

/* Apply hard limit @hard and soft limit @soft of @id (under res_lock) */
static int vx_limit_apply(struct vx_info *vx, u32 id, u64 soft, u64 hard)
{
	char val[24], high[24];
	int ret;

	switch (id) {
	case VLIMIT_NPROC:
		ret = vx_limit_str(hard, false, val, sizeof(val));
		return ret ?: vx_cg_write(vx, "pids.max", val);
	case VLIMIT_RSS:
		ret = vx_limit_str(hard, true, val, sizeof(val));
		if (!ret)
			ret = vx_limit_str(soft, true, high, sizeof(high));
		if (ret)
			return ret;
		ret = vx_cg_write(vx, "memory.high", high);
		return ret ?: vx_cg_write(vx, "memory.max", val);
	}
	return 0;	/* NOFILE: vx_charge() reads it */
}

/**
 * vx_set_rlimit - set the soft and hard limit of a resource
 * @vx: the context
 * @r: the resource and its limits; CRLIM_KEEP leaves one as it is,
 *     the soft limit is clamped to the hard one, @minimum is ignored
 *
 * Return: 0, -EINVAL for a resource we do not limit or a value the
 * kernel cannot take, -EOPNOTSUPP if the context has no cgroup (NPROC,
 * RSS).  Nothing changes on error.
 */
int vx_set_rlimit(struct vx_info *vx, const struct vcmd_ctx_rlimit_v0 *r)
{
	struct vx_limit *l;
	u64 soft, hard;
	int ret;

	if (!vx_limit_known(r->id))
		return -EINVAL;
	if (r->id == VLIMIT_NPROC || r->id == VLIMIT_RSS) {
		ret = vx_cg_ensure(vx);
		if (ret)
			return ret;
	}
	l = &vx->limits[r->id];
	mutex_lock(&vx->res_lock);
	hard = r->maximum == CRLIM_KEEP ? l->hard : r->maximum;
	soft = r->softlimit == CRLIM_KEEP ? l->soft : r->softlimit;
	if (soft > hard)
		soft = hard;
	ret = vx_limit_apply(vx, r->id, soft, hard);
	if (ret && (l->soft != soft || l->hard != hard))
		/* a cgroup file refused: put back what the others took */
		vx_limit_apply(vx, r->id, l->soft, l->hard);
	if (!ret) {
		WRITE_ONCE(l->soft, soft);
		WRITE_ONCE(l->hard, hard);
	}
	mutex_unlock(&vx->res_lock);
	return ret;
}

int vx_rlimit_stat(struct vx_info *vx, struct vcmd_rlimit_stat_v0 *s)
{
	struct vx_limit *l;
	u64 val, peak, refused;

	if (!vx_limit_counted(s->id))
		return -EINVAL;
	l = &vx->limits[s->id];
	val = vx_limit_value(vx, s->id);
	peak = vx_limit_peak(vx, s->id);
	refused = vx_limit_refused(vx, s->id);
	mutex_lock(&vx->res_lock);
	vx_limit_seen(l, val);
	if (peak > l->peak_base && peak > l->max)
		l->max = peak;
	s->value = val;
	s->minimum = l->min;
	s->maximum = l->max;
	s->hits = refused - l->hits_base + atomic_read(&l->hits);
	mutex_unlock(&vx->res_lock);
	return 0;
}

int vx_reset_hits(struct vx_info *vx)
{
	u32 id;

	for (id = 0; id < VLIMIT_NUM; id++) {
		u64 refused;

		if (!vx_limit_counted(id))
			continue;
		refused = vx_limit_refused(vx, id);
		mutex_lock(&vx->res_lock);
		vx->limits[id].hits_base = refused;
		atomic_set(&vx->limits[id].hits, 0);
		mutex_unlock(&vx->res_lock);
	}
	return 0;
}

int vx_reset_minmax(struct vx_info *vx)
{
	u32 id;

	for (id = 0; id < VLIMIT_NUM; id++) {
		u64 val, peak;

		if (!vx_limit_counted(id))
			continue;
		val = vx_limit_value(vx, id);
		peak = vx_limit_peak(vx, id);
		mutex_lock(&vx->res_lock);
		vx->limits[id].min = val;
		vx->limits[id].max = val;
		vx->limits[id].peak_base = peak;
		mutex_unlock(&vx->res_lock);
	}
	return 0;
}

/*
 * The hook layer counted one more of @res for context @ref, @used in all:
 * too many?  Called where a file is made, so it must be quick.
 */
int vx_charge(struct vs_ref *ref, enum vs_resource res, long used)
{
	struct vx_info *vx = container_of(ref, struct vx_info, ref);
	u32 id = res == VS_RES_FILE ? VLIMIT_NOFILE : VLIMIT_NSOCK;
	struct vx_limit *l = &vx->limits[id];

	if ((u64)used > READ_ONCE(l->hard)) {
		atomic_inc(&l->hits);
		/* what open() says; socket() says ENOBUFS or ENOMEM itself */
		return res == VS_RES_FILE ? -EMFILE : -ENOBUFS;
	}
	if ((u64)used > READ_ONCE(l->max))
		WRITE_ONCE(l->max, used);	/* a watermark may race */
	return 0;
}

/* /proc/virtual/<xid>/limit, in Linux-VServer's table */
int vx_limit_show(struct seq_file *m, void *v)
{
	static const struct {
		const char *name;
		u32 id;
	} rows[] = {
		{ "PROC", VLIMIT_NPROC },
		{ "RSS", VLIMIT_RSS },
		{ "ANON", VLIMIT_ANON },
		{ "FILES", VLIMIT_NOFILE },
		{ "SOCK", VLIMIT_NSOCK },
		{ "SHM", VLIMIT_SHMEM },
	};
	struct vx_info *vx = m->private;
	int i;

	seq_puts(m, "Limit\t current\t     min/max\t\t    soft/hard\t\thits\n");
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct vcmd_rlimit_stat_v0 s = { .id = rows[i].id };
		struct vcmd_ctx_rlimit_v0 r = { .id = rows[i].id };
		u64 min;

		if (vx_rlimit_stat(vx, &s) || vx_get_rlimit(vx, &r))
			continue;
		min = s.minimum == U64_MAX ? s.value : s.minimum;
		seq_printf(m, "%s:\t%8lld\t%8lld/%8lld\t%8lld/%8lld\t%6d\n",
			   rows[i].name, (long long)s.value, (long long)min,
			   (long long)s.maximum, (long long)r.softlimit,
			   (long long)r.maximum, s.hits);
	}
	return 0;
}
