// SPDX-License-Identifier: GPL-2.0
/*
 * vserver module - network contexts (nid).
 *
 * A network context owns a list of IPv4 and IPv6 addresses and shares the
 * host's network stack: its sockets bind only those (the wildcard may
 * become its one address, 127.0.0.1 its own loopback address), send with
 * them, and a socket bound to the wildcard receives only what is addressed
 * to them.  The kernel asks through the hook layer (patches 0021-0025);
 * the policy is here.  Documentation/network.md says what differs from
 * Linux-VServer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/in.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <linux/inetdevice.h>
#include <net/addrconf.h>
#include <net/flow.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "context.h"
#include "network.h"
#include "proc.h"

/* Hashed network contexts by nid; readers use RCU, writers hold nx_lock */
static DEFINE_XARRAY_ALLOC(nx_table);
static DEFINE_MUTEX(nx_lock);
static int nx_active;
static struct workqueue_struct *nx_wq;

static struct nx_info *nx_of(struct vs_ref *ref)
{
	return ref ? container_of(ref, struct nx_info, ref) : NULL;
}

u32 nx_current_nid(void)
{
	return vserver_cred(current_cred())->nid;
}

/* Is the caller in a network context that is still being set up? */
bool nx_current_in_setup(void)
{
	struct nx_info *nx = nx_of(vserver_cred(current_cred())->nx);

	return nx && (READ_ONCE(nx->flags) & NXF_STATE_SETUP);
}

/**
 * nx_lookup - find a hashed network context
 * @nid: its id
 *
 * Return: the context with a reference the caller must nx_put(), or NULL.
 */
struct nx_info *nx_lookup(u32 nid)
{
	struct nx_info *nx;

	rcu_read_lock();
	nx = xa_load(&nx_table, nid);
	if (nx && !refcount_inc_not_zero(&nx->ref.count))
		nx = NULL;
	rcu_read_unlock();
	return nx;
}

int nx_count(void)
{
	return READ_ONCE(nx_active);
}

/* End @nx if no task is in it any more. */
static void nx_end_locked(struct nx_info *nx)
{
	struct nx_addrs *addrs;

	lockdep_assert_held(&nx_lock);

	if (!nx->hashed || atomic_read(&nx->tasks) ||
	    (nx->flags & NXF_PERSISTENT))
		return;
	nx->hashed = false;
	xa_erase(&nx_table, nx->nid);
	nx_active--;
	nx_proc_remove(nx);
	addrs = rcu_replace_pointer(nx->addrs, NULL,
				    lockdep_is_held(&nx_lock));
	if (addrs)
		kfree_rcu(addrs, rcu);
	nx_put(nx);		/* the table's reference */
	module_put(THIS_MODULE);
}

static void nx_end_work(struct work_struct *work)
{
	struct nx_info *nx = container_of(work, struct nx_info, end);

	mutex_lock(&nx_lock);
	nx_end_locked(nx);
	mutex_unlock(&nx_lock);
	nx_put(nx);		/* the work's */
}

/* One task less in @nx; may be called from atomic context */
static void nx_task_leave(struct nx_info *nx)
{
	if (!atomic_dec_and_test(&nx->tasks))
		return;
	nx_get(nx);
	if (!queue_work(nx_wq, &nx->end))
		nx_put(nx);	/* already queued, with its own reference */
}

/* A new task counts in the network context of its credentials. */
void nx_task_alloc(struct task_struct *task)
{
	struct nx_info *nx = nx_of(vserver_cred(task->real_cred)->nx);

	if (nx)
		atomic_inc(&nx->tasks);
}

/* ... until it is freed (a zombie still counts). */
void nx_task_free(struct task_struct *task)
{
	struct nx_info *nx = nx_of(vserver_cred(task->real_cred)->nx);

	if (nx)
		nx_task_leave(nx);
}

/* Move current into @nx (or out of any with NULL) */
static int nx_migrate_locked(struct nx_info *nx)
{
	struct nx_info *old;
	struct vs_cred *vc;
	struct cred *new;

	lockdep_assert_held(&nx_lock);

	new = prepare_creds();
	if (!new)
		return -ENOMEM;
	vc = vserver_cred(new);
	/* ours until we counted the task out (the old cred may go first) */
	old = vc->nx ? nx_get(nx_of(vc->nx)) : NULL;
	vs_ref_put(vc->nx);	/* the old cred still holds its own */
	vc->nx = &nx_get(nx)->ref;
	vc->nid = nx->nid;
	atomic_inc(&nx->tasks);
	commit_creds(new);
	if (old) {
		nx_task_leave(old);
		nx_put(old);
	}
	return 0;
}

static struct nx_addrs *nx_addrs_alloc(unsigned int n4, unsigned int n6)
{
	struct nx_addrs *a;

	a = kzalloc(sizeof(*a) + n4 * sizeof(struct nx_addr4) +
		    n6 * sizeof(struct nx_addr6), GFP_KERNEL);
	if (!a)
		return NULL;
	a->n4 = n4;
	a->n6 = n6;
	a->v4 = (struct nx_addr4 *)(a + 1);
	a->v6 = (struct nx_addr6 *)(a->v4 + n4);
	return a;
}

/**
 * nx_create - create a network context and move the caller into it
 * @nid: VC_DYNAMIC_XID or a static id (checked by the caller)
 * @flags: initial NXF_* flags
 *
 * Return: the new nid, -EEXIST if it exists (-EBUSY while it is being set
 * up), -EAGAIN if no dynamic id is free, -EINVAL for flags we do not
 * know, -ENOMEM.
 */
int nx_create(u32 nid, u64 flags)
{
	struct nx_info *nx, *old;
	int ret;

	if (flags & ~NXF_SUPPORTED)
		return -EINVAL;
	BUILD_BUG_ON(offsetof(struct nx_info, ref) != 0);
	nx = kzalloc(sizeof(*nx), GFP_KERNEL);
	if (!nx)
		return -ENOMEM;
	refcount_set(&nx->ref.count, 1);	/* the table's */
	nx->flags = flags;
	nx->bcast = htonl(INADDR_BROADCAST);
	INIT_WORK(&nx->end, nx_end_work);
	RCU_INIT_POINTER(nx->addrs, nx_addrs_alloc(0, 0));
	if (!rcu_access_pointer(nx->addrs)) {
		kfree(nx);
		return -ENOMEM;
	}

	mutex_lock(&nx_lock);
	if (nid == VC_DYNAMIC_XID) {
		ret = xa_alloc(&nx_table, &nid, NULL,
			       XA_LIMIT(VX_MIN_D_CONTEXT, VX_MAX_S_CONTEXT),
			       GFP_KERNEL);
		if (ret == -EBUSY)
			ret = -EAGAIN;
	} else {
		ret = xa_insert(&nx_table, nid, NULL, GFP_KERNEL);
		if (ret == -EBUSY) {
			old = xa_load(&nx_table, nid);
			ret = (old && (old->flags & NXF_STATE_SETUP)) ?
			      -EBUSY : -EEXIST;
		}
	}
	if (ret)
		goto out_free;
	nx->nid = nid;
	/* Linux-VServer's loopback address: 127.<nid / 256>.<nid % 256>.1 */
	nx->lback = htonl(INADDR_LOOPBACK ^ ((nid & 0xFFFF) << 8));
	if (!try_module_get(THIS_MODULE)) {
		ret = -ENODEV;
		goto out_erase;
	}
	ret = nx_proc_create(nx);
	if (ret)
		goto out_module;
	ret = nx_migrate_locked(nx);
	if (ret)
		goto out_proc;
	nx->hashed = true;
	nx_active++;
	xa_store(&nx_table, nid, nx, GFP_KERNEL);
	mutex_unlock(&nx_lock);
	return nid;

out_proc:
	nx_proc_remove(nx);
out_module:
	module_put(THIS_MODULE);
out_erase:
	xa_erase(&nx_table, nid);
out_free:
	mutex_unlock(&nx_lock);
	kfree(rcu_access_pointer(nx->addrs));
	kfree(nx);
	return ret;
}

/**
 * nx_migrate - move the caller into an existing network context
 * @nid: its id
 *
 * Return: 0, -ESRCH if there is none, -EACCES if it is private and no
 * longer being set up, or no longer administered.
 */
int nx_migrate(u32 nid)
{
	struct nx_info *nx;
	int ret;

	mutex_lock(&nx_lock);
	nx = xa_load(&nx_table, nid);
	if (!nx)
		ret = -ESRCH;
	else if (!(nx->flags & NXF_STATE_ADMIN))
		ret = -EACCES;
	else if ((nx->flags & NXF_INFO_PRIVATE) &&
		 !(nx->flags & NXF_STATE_SETUP))
		ret = -EACCES;
	else
		ret = nx_migrate_locked(nx);
	mutex_unlock(&nx_lock);
	return ret;
}

/**
 * nx_set_flags - flags = (flags & ~mask) | (new & mask)
 * @nx: the network context
 * @new: new values
 * @mask: which bits to change
 *
 * The one-time bits (NXF_STATE_*) can only be cleared; clearing
 * NXF_PERSISTENT ends a context without tasks.
 *
 * Return: 0, or -EINVAL for a bit we do not know or a cleared one-time
 * bit set again.
 */
int nx_set_flags(struct nx_info *nx, u64 new, u64 mask)
{
	u64 old;

	if (mask & ~NXF_SUPPORTED)
		return -EINVAL;
	mutex_lock(&nx_lock);
	old = nx->flags;
	if (new & mask & NXF_ONE_TIME & ~old) {
		mutex_unlock(&nx_lock);
		return -EINVAL;
	}
	WRITE_ONCE(nx->flags, (old & ~mask) | (new & mask));
	if (old & ~nx->flags & NXF_PERSISTENT)
		nx_end_locked(nx);
	mutex_unlock(&nx_lock);
	return 0;
}

int nx_set_ncaps(struct nx_info *nx, u64 new, u64 mask)
{
	if ((new | mask) & ~NXC_SUPPORTED)
		return -EINVAL;
	mutex_lock(&nx_lock);
	WRITE_ONCE(nx->ncaps, (nx->ncaps & ~mask) | (new & mask));
	mutex_unlock(&nx_lock);
	return 0;
}

/* --- addresses ---------------------------------------------------------- */

/* Is @mask a netmask (ones, then zeros)? */
static bool nx_mask4_ok(__be32 mask)
{
	u32 m = ntohl(mask);

	return !(m & (~m >> 1));
}

/* Check an IPv4 request; fill @e.  -EINVAL for nonsense. */
static int nx_parse4(const struct vcmd_net_addr_ipv4_v2 *a, struct nx_addr4 *e)
{
	if (a->flags)
		return -EINVAL;
	e->type = a->type;
	e->ip = a->ip;
	e->ip2 = 0;
	e->mask = 0;
	switch (a->type) {
	case NXA_TYPE_ADDR:
	case NXA_TYPE_ADDR | NXA_MOD_BCAST:
	case NXA_TYPE_ADDR | NXA_MOD_LBACK:
		if (!nx_mask4_ok(a->mask))
			return -EINVAL;
		e->mask = a->mask ? a->mask : htonl(~0U);
		if (a->type == NXA_TYPE_ADDR &&
		    (ipv4_is_zeronet(a->ip) || ipv4_is_multicast(a->ip) ||
		     ipv4_is_lbcast(a->ip) || ipv4_is_loopback(a->ip)))
			return -EINVAL;
		return 0;
	case NXA_TYPE_MASK:
		if (!nx_mask4_ok(a->mask) || (a->ip & ~a->mask))
			return -EINVAL;
		e->mask = a->mask;
		return 0;
	case NXA_TYPE_RANGE:
		if (ntohl(a->ip) >= ntohl(a->ip2))
			return -EINVAL;
		e->ip2 = a->ip2;
		return 0;
	}
	return -EINVAL;
}

static bool nx_same4(const struct nx_addr4 *x, const struct nx_addr4 *y)
{
	return x->type == y->type && x->ip == y->ip &&
	       (x->type != NXA_TYPE_RANGE || x->ip2 == y->ip2) &&
	       (x->type != NXA_TYPE_MASK || x->mask == y->mask);
}

/* Replace the addresses of @nx by @new (under nx_lock) */
static void nx_addrs_set(struct nx_info *nx, struct nx_addrs *new)
{
	struct nx_addrs *old;

	old = rcu_replace_pointer(nx->addrs, new, lockdep_is_held(&nx_lock));
	if (old)
		kfree_rcu(old, rcu);
}

static struct nx_addrs *nx_addrs_locked(struct nx_info *nx)
{
	return rcu_dereference_protected(nx->addrs, lockdep_is_held(&nx_lock));
}

static int nx_parse6(const struct vcmd_net_addr_ipv6_v1 *a, struct nx_addr6 *e)
{
	struct in6_addr ip, mask;

	if (a->flags || a->prefix > 128)
		return -EINVAL;
	if (a->type != NXA_TYPE_ADDR && a->type != NXA_TYPE_MASK)
		return -EINVAL;
	memcpy(&ip, a->ip, sizeof(ip));
	memcpy(&mask, a->mask, sizeof(mask));
	memset(e, 0, sizeof(*e));
	e->type = a->type;
	e->prefix = a->prefix ? a->prefix :
		    (a->type == NXA_TYPE_ADDR ? 128 : 0);
	ipv6_addr_prefix(&e->mask, &(struct in6_addr){ .s6_addr32 = {
		~0U, ~0U, ~0U, ~0U } }, e->prefix);
	if (!ipv6_addr_any(&mask) && !ipv6_addr_equal(&mask, &e->mask))
		return -EINVAL;
	e->ip = ip;
	if (a->type == NXA_TYPE_ADDR) {
		int t = ipv6_addr_type(&ip);

		if (t & (IPV6_ADDR_MULTICAST | IPV6_ADDR_LOOPBACK |
			 IPV6_ADDR_MAPPED) || ipv6_addr_any(&ip))
			return -EINVAL;
	} else if (ipv6_prefix_equal(&ip, &in6addr_any, 0) && e->prefix == 0) {
		return -EINVAL;	/* all of IPv6 is no network of a guest */
	} else {
		struct in6_addr net;

		ipv6_addr_prefix(&net, &ip, e->prefix);
		if (!ipv6_addr_equal(&net, &ip))
			return -EINVAL;
	}
	return 0;
}

static bool nx_same6(const struct nx_addr6 *x, const struct nx_addr6 *y)
{
	return x->type == y->type && ipv6_addr_equal(&x->ip, &y->ip) &&
	       (x->type != NXA_TYPE_MASK || x->prefix == y->prefix);
}

/* Index of entry @e (struct nx_addr4 or nx_addr6) of @family, or -1 */
static int nx_find(const struct nx_addrs *a, int family, const void *e)
{
	unsigned int i;

	for (i = 0; family == AF_INET && i < a->n4; i++)
		if (nx_same4(&a->v4[i], e))
			return i;
	for (i = 0; family == AF_INET6 && i < a->n6; i++)
		if (nx_same6(&a->v6[i], e))
			return i;
	return -1;
}

/*
 * Under nx_lock: give @nx a copy of @old in which the entries of @family
 * are those of @old less entry @del (-1: none; NX_ALL: every one), plus
 * @add if not NULL.  0 or -ENOMEM.
 */
#define NX_ALL	INT_MAX
static int nx_addrs_edit(struct nx_info *nx, const struct nx_addrs *old,
			 int family, int del, const void *add)
{
	unsigned int n4 = old->n4, n6 = old->n6, *n;
	size_t size = family == AF_INET ? sizeof(*old->v4) : sizeof(*old->v6);
	struct nx_addrs *new;
	const char *from;
	char *to;

	n = family == AF_INET ? &n4 : &n6;
	*n = del == NX_ALL ? 0 : *n - (del >= 0) + !!add;
	new = nx_addrs_alloc(n4, n6);
	if (!new)
		return -ENOMEM;
	if (family == AF_INET)
		memcpy(new->v6, old->v6, old->n6 * sizeof(*old->v6));
	else
		memcpy(new->v4, old->v4, old->n4 * sizeof(*old->v4));
	from = family == AF_INET ? (const char *)old->v4 : (const char *)old->v6;
	to = family == AF_INET ? (char *)new->v4 : (char *)new->v6;
	if (del != NX_ALL) {
		unsigned int kept = family == AF_INET ? old->n4 : old->n6;

		if (del >= 0) {
			memcpy(to, from, del * size);
			memcpy(to + del * size, from + (del + 1) * size,
			       (kept - del - 1) * size);
			kept--;
		} else {
			memcpy(to, from, kept * size);
		}
		if (add)
			memcpy(to + kept * size, add, size);
	}
	nx_addrs_set(nx, new);
	return 0;
}

/* Add entry @e of @family: -EEXIST, -ENOSPC, -ESRCH (ended), -ENOMEM */
static int nx_add(struct nx_info *nx, int family, const void *e)
{
	struct nx_addrs *old;
	int ret = -ESRCH;

	mutex_lock(&nx_lock);
	old = nx_addrs_locked(nx);
	if (!old)
		goto out;
	ret = -EEXIST;
	if (nx_find(old, family, e) >= 0)
		goto out;
	ret = -ENOSPC;
	if ((family == AF_INET ? old->n4 : old->n6) >= NX_MAX_ADDRS)
		goto out;
	ret = nx_addrs_edit(nx, old, family, -1, e);
	/* the wildcard cannot stand for one address when there are two */
	if (!ret && old->n4 + old->n6 >= 1)
		WRITE_ONCE(nx->flags, nx->flags & ~NXF_SINGLE_IP);
out:
	mutex_unlock(&nx_lock);
	return ret;
}

/* Remove entry @e of @family, or (NULL) all of them: -ESRCH, -ENOMEM */
static int nx_remove(struct nx_info *nx, int family, const void *e)
{
	struct nx_addrs *old;
	int ret = -ESRCH, i = NX_ALL;

	mutex_lock(&nx_lock);
	old = nx_addrs_locked(nx);
	if (old && e)
		i = nx_find(old, family, e);
	if (old && i >= 0)
		ret = nx_addrs_edit(nx, old, family, i, NULL);
	mutex_unlock(&nx_lock);
	return ret;
}

/**
 * nx_add4 - add an IPv4 address (or set the broadcast or loopback one)
 * @nx: the network context
 * @a: the request (network byte order)
 *
 * Return: 0, -EINVAL bad request, -EEXIST there already, -ENOSPC full,
 * -ENOMEM, -ESRCH the context has ended.
 */
int nx_add4(struct nx_info *nx, const struct vcmd_net_addr_ipv4_v2 *a)
{
	struct nx_addr4 e;
	int ret;

	ret = nx_parse4(a, &e);
	if (ret)
		return ret;
	if (a->type == (NXA_TYPE_ADDR | NXA_MOD_BCAST)) {
		WRITE_ONCE(nx->bcast, a->ip);
		return 0;
	}
	if (a->type == (NXA_TYPE_ADDR | NXA_MOD_LBACK)) {
		if (!ipv4_is_loopback(a->ip))
			return -EINVAL;
		WRITE_ONCE(nx->lback, a->ip);
		return 0;
	}
	return nx_add(nx, AF_INET, &e);
}

/* Remove the entry of @a, or (NXA_TYPE_ANY) every IPv4 address */
int nx_rem4(struct nx_info *nx, const struct vcmd_net_addr_ipv4_v2 *a)
{
	struct nx_addr4 e;
	int ret;

	if (a->type == NXA_TYPE_ANY)
		return nx_remove(nx, AF_INET, NULL);
	ret = nx_parse4(a, &e);
	if (ret)
		return ret;
	if (a->type & (NXA_MOD_BCAST | NXA_MOD_LBACK))
		return -EINVAL;
	return nx_remove(nx, AF_INET, &e);
}

int nx_add6(struct nx_info *nx, const struct vcmd_net_addr_ipv6_v1 *a)
{
	struct nx_addr6 e;
	int ret;

	ret = nx_parse6(a, &e);
	return ret ? ret : nx_add(nx, AF_INET6, &e);
}

int nx_rem6(struct nx_info *nx, const struct vcmd_net_addr_ipv6_v1 *a)
{
	struct nx_addr6 e;
	int ret;

	if (a->type == NXA_TYPE_ANY)
		return nx_remove(nx, AF_INET6, NULL);
	ret = nx_parse6(a, &e);
	return ret ? ret : nx_remove(nx, AF_INET6, &e);
}

/* /proc/virtnet/<nid>/info and /proc/PID/ninfo: the addresses */
static const char *nx_type_name(u16 type)
{
	switch (type) {
	case NXA_TYPE_ADDR:
		return "ADDR";
	case NXA_TYPE_MASK:
		return "MASK";
	case NXA_TYPE_RANGE:
		return "RANGE";
	}
	return "?";
}

void nx_show_addrs(struct seq_file *m, struct nx_info *nx, bool task)
{
	struct nx_addrs *a;
	unsigned int i;

	rcu_read_lock();
	a = rcu_dereference(nx->addrs);
	for (i = 0; a && i < a->n4; i++) {
		const struct nx_addr4 *e = &a->v4[i];
		const char *type = nx_type_name(e->type);

		if (task)
			seq_printf(m, "V4Root[%u]:\t%pI4/%pI4\n", i, &e->ip,
				   &e->mask);
		else if (e->type == NXA_TYPE_RANGE)
			seq_printf(m, "%u:\t[%pI4-%pI4 %s]\n", i, &e->ip,
				   &e->ip2, type);
		else
			seq_printf(m, "%u:\t[%pI4/%pI4 %s]\n", i, &e->ip,
				   &e->mask, type);
	}
	for (i = 0; a && i < a->n6; i++) {
		const struct nx_addr6 *e = &a->v6[i];

		if (task)
			seq_printf(m, "V6Root[%u]:\t%pI6c/%u\n", i, &e->ip,
				   e->prefix);
		else
			seq_printf(m, "%u:\t[%pI6c/%u %s]\n", a->n4 + i, &e->ip,
				   e->prefix, nx_type_name(e->type));
	}
	rcu_read_unlock();
}

/* --- what sockets may do ------------------------------------------------ */

/* Under rcu_read_lock(): the context of @nid and its addresses, or NULL */
static struct nx_addrs *nx_rcu(u32 nid, struct nx_info **nxp)
{
	struct nx_info *nx = xa_load(&nx_table, nid);

	*nxp = nx;
	return nx ? rcu_dereference(nx->addrs) : NULL;
}

static bool nx_entry4(const struct nx_addr4 *e, __be32 a)
{
	switch (e->type) {
	case NXA_TYPE_ADDR:
		return e->ip == a;
	case NXA_TYPE_MASK:
		return (a & e->mask) == e->ip;
	case NXA_TYPE_RANGE:
		return ntohl(a) >= ntohl(e->ip) && ntohl(a) < ntohl(e->ip2);
	}
	return false;
}

/* Is @a one of the context's IPv4 addresses (not counting loopback)? */
static bool nx_owns4(const struct nx_addrs *addrs, __be32 a)
{
	unsigned int i;

	for (i = 0; i < addrs->n4; i++)
		if (nx_entry4(&addrs->v4[i], a))
			return true;
	return false;
}

static bool nx_owns6(const struct nx_addrs *addrs, const struct in6_addr *a)
{
	unsigned int i;

	for (i = 0; i < addrs->n6; i++) {
		const struct nx_addr6 *e = &addrs->v6[i];

		if (e->type == NXA_TYPE_ADDR ? ipv6_addr_equal(&e->ip, a) :
		    ipv6_prefix_equal(&e->ip, a, e->prefix))
			return true;
	}
	return false;
}

/* 127.0.0.1 of a context: its loopback address (LBACK_REMAP) */
static __be32 nx_map_lback(const struct nx_info *nx, __be32 a)
{
	if (a == htonl(INADDR_LOOPBACK) &&
	    (READ_ONCE(nx->flags) & NXF_LBACK_REMAP))
		return nx->lback;
	return a;
}

/* May the context bind @a (after mapping)?  0 or -EADDRNOTAVAIL */
static int nx_bind4(const struct nx_info *nx, const struct nx_addrs *addrs,
		    __be32 *a)
{
	u64 flags = READ_ONCE(nx->flags);

	if (*a == htonl(INADDR_ANY)) {
		if ((flags & NXF_SINGLE_IP) && addrs->n4 == 1 && !addrs->n6 &&
		    addrs->v4[0].type == NXA_TYPE_ADDR)
			*a = addrs->v4[0].ip;
		return 0;
	}
	*a = nx_map_lback(nx, *a);
	if (*a == nx->lback || ipv4_is_multicast(*a) || *a == nx->bcast ||
	    ipv4_is_lbcast(*a) || nx_owns4(addrs, *a))
		return 0;
	if (ipv4_is_loopback(*a) && (flags & NXF_LBACK_ALLOW))
		return 0;
	return -EADDRNOTAVAIL;
}

static int nx_bind6(const struct nx_info *nx, const struct nx_addrs *addrs,
		    struct in6_addr *a)
{
	u64 flags = READ_ONCE(nx->flags);

	if (ipv6_addr_any(a)) {
		if ((flags & NXF_SINGLE_IP) && addrs->n6 == 1 && !addrs->n4 &&
		    addrs->v6[0].type == NXA_TYPE_ADDR)
			*a = addrs->v6[0].ip;
		return 0;
	}
	if (ipv6_addr_v4mapped(a))
		return nx_bind4(nx, addrs, &a->s6_addr32[3]);
	if (ipv6_addr_is_multicast(a) || nx_owns6(addrs, a))
		return 0;
	if (ipv6_addr_loopback(a) && (flags & NXF_LBACK_ALLOW))
		return 0;
	return -EADDRNOTAVAIL;
}

/**
 * nx_inet_bind - the address a socket of network context @nid binds
 * @sk: the socket
 * @nid: its network context
 * @uaddr: the kernel's copy of the address (may be changed)
 *
 * Return: 0 or -EADDRNOTAVAIL (also when the context has ended).
 */
int nx_inet_bind(struct sock *sk, u32 nid, struct sockaddr *uaddr)
{
	struct nx_addrs *addrs;
	struct nx_info *nx;
	int ret = -EADDRNOTAVAIL;

	rcu_read_lock();
	addrs = nx_rcu(nid, &nx);
	if (addrs && uaddr->sa_family == AF_INET6)
		ret = nx_bind6(nx, addrs,
			       &((struct sockaddr_in6 *)uaddr)->sin6_addr);
	else if (addrs)
		ret = nx_bind4(nx, addrs,
			       &((struct sockaddr_in *)uaddr)->sin_addr.s_addr);
	rcu_read_unlock();
	return ret;
}

/**
 * nx_inet_getname - the address a socket of @nid shows (NXF_HIDE_LBACK)
 * @sk: the socket
 * @nid: its network context
 * @addr: its own or its peer's address; the context's loopback address
 *        becomes 127.0.0.1 if the context hides it
 */
void nx_inet_getname(const struct sock *sk, u32 nid, __be32 *addr)
{
	struct nx_info *nx;

	rcu_read_lock();
	nx_rcu(nid, &nx);
	if (nx && *addr == READ_ONCE(nx->lback) &&
	    (READ_ONCE(nx->flags) & NXF_HIDE_LBACK))
		*addr = htonl(INADDR_LOOPBACK);
	rcu_read_unlock();
}

/* Is @a one of the context's unicast IPv4 addresses, loopback included? */
static bool nx_rcv4(const struct nx_info *nx, const struct nx_addrs *addrs,
		    __be32 a)
{
	return a == READ_ONCE(nx->lback) || nx_owns4(addrs, a) ||
	       (ipv4_is_loopback(a) &&
		(READ_ONCE(nx->flags) & NXF_LBACK_ALLOW));
}

static bool nx_rcv6(const struct nx_info *nx, const struct nx_addrs *addrs,
		    const struct in6_addr *a)
{
	return nx_owns6(addrs, a) ||
	       (ipv6_addr_loopback(a) &&
		(READ_ONCE(nx->flags) & NXF_LBACK_ALLOW));
}

/*
 * May a socket of @nid receive for @daddr?  Its own bound address, the
 * context's addresses, its loopback, broadcast and multicast.  Softirq.
 */
bool nx_sk_rcv(const struct sock *sk, u32 nid, int family, const void *daddr)
{
	struct nx_addrs *addrs;
	struct nx_info *nx;
	bool ok = false;

	rcu_read_lock();
	addrs = nx_rcu(nid, &nx);
	if (addrs && family == AF_INET) {
		__be32 a = *(const __be32 *)daddr;

		ok = a == nx->bcast || ipv4_is_lbcast(a) ||
		     ipv4_is_multicast(a) || nx_rcv4(nx, addrs, a);
	} else if (addrs && family == AF_INET6) {
		const struct in6_addr *a = daddr;

		ok = ipv6_addr_is_multicast(a) || nx_rcv6(nx, addrs, a);
	}
	rcu_read_unlock();
	return ok;
}

/* --- sockets of two contexts on one port --------------------------------- */

/*
 * What a socket receives unicast traffic for, per family: nothing, one
 * bound address, its context's addresses (bound to the wildcard) or
 * everything (the host's wildcard).
 */
enum nx_reach { NX_REACH_NONE, NX_REACH_ONE, NX_REACH_CONTEXT, NX_REACH_ALL };

struct nx_rcv {
	enum nx_reach v4, v6;
	__be32 a4;
	struct in6_addr a6;
	struct nx_info *nx;
	const struct nx_addrs *addrs;
};

/* Under rcu_read_lock(): false if @nid is no context (any more) */
static bool nx_rcv_of(const struct sock *sk, u32 nid, struct nx_rcv *r)
{
	enum nx_reach any = NX_REACH_ALL;

	memset(r, 0, sizeof(*r));
	if (nid) {
		r->addrs = nx_rcu(nid, &r->nx);
		if (!r->addrs)
			return false;
		any = NX_REACH_CONTEXT;
	}
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		const struct in6_addr *a = &sk->sk_v6_rcv_saddr;

		if (ipv6_addr_any(a)) {
			r->v6 = any;
			r->v4 = ipv6_only_sock(sk) ? NX_REACH_NONE : any;
		} else if (ipv6_addr_v4mapped(a)) {
			r->v4 = NX_REACH_ONE;
			r->a4 = a->s6_addr32[3];
		} else {
			r->v6 = NX_REACH_ONE;
			r->a6 = *a;
		}
		return true;
	}
#endif
	r->a4 = sk->sk_rcv_saddr;
	r->v4 = r->a4 ? NX_REACH_ONE : any;
	return true;
}

/* An IPv4 entry as the interval of the addresses it holds, host order */
static bool nx_span4(const struct nx_addr4 *e, u32 *lo, u32 *hi)
{
	switch (e->type) {
	case NXA_TYPE_ADDR:
		*lo = ntohl(e->ip);
		*hi = *lo;
		return true;
	case NXA_TYPE_MASK:
		*lo = ntohl(e->ip);
		*hi = *lo | ~ntohl(e->mask);
		return true;
	case NXA_TYPE_RANGE:
		*lo = ntohl(e->ip);
		*hi = ntohl(e->ip2) - 1;
		return true;
	}
	return false;
}

/* Do two contexts' unicast IPv4 addresses meet (loopback included)? */
static bool nx_meet4(const struct nx_rcv *x, const struct nx_rcv *y)
{
	unsigned int i, j;
	u32 lo, hi, lo2, hi2;

	if (nx_rcv4(x->nx, x->addrs, READ_ONCE(y->nx->lback)) ||
	    nx_rcv4(y->nx, y->addrs, READ_ONCE(x->nx->lback)))
		return true;
	for (i = 0; i < x->addrs->n4; i++) {
		if (!nx_span4(&x->addrs->v4[i], &lo, &hi))
			continue;
		for (j = 0; j < y->addrs->n4; j++)
			if (nx_span4(&y->addrs->v4[j], &lo2, &hi2) &&
			    lo <= hi2 && lo2 <= hi)
				return true;
	}
	return false;
}

/* The prefix length of what an IPv6 entry holds (an address: itself) */
static unsigned int nx_span6(const struct nx_addr6 *e)
{
	return e->type == NXA_TYPE_ADDR ? 128 : e->prefix;
}

static bool nx_meet6(const struct nx_rcv *x, const struct nx_rcv *y)
{
	unsigned int i, j;

	if ((READ_ONCE(x->nx->flags) & NXF_LBACK_ALLOW) &&
	    (READ_ONCE(y->nx->flags) & NXF_LBACK_ALLOW))
		return true;
	for (i = 0; i < x->addrs->n6; i++) {
		const struct nx_addr6 *e = &x->addrs->v6[i];

		for (j = 0; j < y->addrs->n6; j++) {
			const struct nx_addr6 *f = &y->addrs->v6[j];

			if (ipv6_prefix_equal(&e->ip, &f->ip,
					      min(nx_span6(e), nx_span6(f))))
				return true;
		}
	}
	return false;
}

/* Does context socket @c receive for the one address of socket @one? */
static bool nx_rcv_one(const struct nx_rcv *c, const struct nx_rcv *one,
		       int family)
{
	return family == AF_INET ? nx_rcv4(c->nx, c->addrs, one->a4) :
				   nx_rcv6(c->nx, c->addrs, &one->a6);
}

/* Do two sockets receive for a common unicast address of @family? */
static bool nx_overlap(const struct nx_rcv *x, const struct nx_rcv *y,
		       int family)
{
	enum nx_reach rx = family == AF_INET ? x->v4 : x->v6;
	enum nx_reach ry = family == AF_INET ? y->v4 : y->v6;

	if (rx == NX_REACH_NONE || ry == NX_REACH_NONE)
		return false;
	if (rx == NX_REACH_ALL || ry == NX_REACH_ALL)
		return true;
	if (rx == NX_REACH_ONE && ry == NX_REACH_ONE)
		return family == AF_INET ? x->a4 == y->a4 :
					   ipv6_addr_equal(&x->a6, &y->a6);
	if (rx == NX_REACH_ONE)
		return nx_rcv_one(y, x, family);
	if (ry == NX_REACH_ONE)
		return nx_rcv_one(x, y, family);
	return family == AF_INET ? nx_meet4(x, y) : nx_meet6(x, y);
}

/**
 * nx_sk_apart - may two sockets of different contexts share a port?
 * @sk: the socket being bound
 * @nid: its network context (0: the host)
 * @sk2: a socket bound to the port already
 * @nid2: its network context (not @nid)
 *
 * Yes when no unicast address reaches both: then neither receives what
 * is addressed to the other (nx_sk_rcv()), and two guests may each listen
 * on the wildcard of one port.  The host's wildcard reaches every
 * address, as in Linux-VServer (a guest's wildcard bind conflicts with
 * it).  Called under the bind hash locks: does not sleep.
 */
bool nx_sk_apart(const struct sock *sk, u32 nid, const struct sock *sk2,
		 u32 nid2)
{
	struct nx_rcv x, y;
	bool apart = false;

	rcu_read_lock();
	if (nx_rcv_of(sk, nid, &x) && nx_rcv_of(sk2, nid2, &y))
		apart = !nx_overlap(&x, &y, AF_INET) &&
			!nx_overlap(&x, &y, AF_INET6);
	rcu_read_unlock();
	return apart;
}

/* The IPv4 address the context sends to @d with: on its network, else the first */
static __be32 nx_pick4(const struct nx_addrs *addrs, __be32 d)
{
	__be32 first = 0;
	unsigned int i;

	for (i = 0; i < addrs->n4; i++) {
		const struct nx_addr4 *e = &addrs->v4[i];

		if (e->type != NXA_TYPE_ADDR)
			continue;
		if (!first)
			first = e->ip;
		if ((e->ip & e->mask) == (d & e->mask))
			return e->ip;
	}
	return first;
}

/**
 * nx_route4 - the addresses a socket of @nid connects or sends with
 * @sk: the socket
 * @nid: its network context
 * @fl4: the flow: daddr 127.0.0.1 becomes the context's loopback (for a
 *       connect or an unconnected send), saddr one of its addresses
 *
 * Return: 0, -ENETUNREACH for another loopback address, -EADDRNOTAVAIL
 * when the context has no IPv4 address to send with.
 */
int nx_route4(const struct sock *sk, u32 nid, struct flowi4 *fl4)
{
	struct nx_addrs *addrs;
	struct nx_info *nx;
	__be32 d, s;
	int ret = -EADDRNOTAVAIL;

	rcu_read_lock();
	addrs = nx_rcu(nid, &nx);
	if (!addrs)
		goto out;
	d = fl4->daddr;
	/* a listener's replies, an established flow: the peer is fixed */
	if (READ_ONCE(sk->sk_state) == TCP_CLOSE) {
		d = nx_map_lback(nx, d);
		ret = -ENETUNREACH;
		if (ipv4_is_loopback(d) && d != nx->lback &&
		    !(READ_ONCE(nx->flags) & NXF_LBACK_ALLOW))
			goto out;
		fl4->daddr = d;
	}
	s = fl4->saddr;
	ret = 0;
	if (s && (s == nx->lback || nx_owns4(addrs, s) ||
		  (ipv4_is_loopback(s) && ipv4_is_loopback(d) &&
		   (READ_ONCE(nx->flags) & NXF_LBACK_ALLOW))))
		goto out;
	if (d == nx->lback) {
		fl4->saddr = nx->lback;
		goto out;
	}
	s = nx_pick4(addrs, d);
	ret = -EADDRNOTAVAIL;
	if (!s)
		goto out;
	fl4->saddr = s;
	ret = 0;
out:
	rcu_read_unlock();
	return ret;
}

static const struct in6_addr *nx_pick6(const struct nx_addrs *addrs,
				       const struct in6_addr *d)
{
	const struct in6_addr *first = NULL;
	unsigned int i;

	for (i = 0; i < addrs->n6; i++) {
		const struct nx_addr6 *e = &addrs->v6[i];

		if (e->type != NXA_TYPE_ADDR)
			continue;
		if (!first)
			first = &e->ip;
		if (ipv6_prefix_equal(&e->ip, d, e->prefix))
			return &e->ip;
	}
	return first;
}

/* The same for IPv6 (no loopback remap: ::1 only with LBACK_ALLOW) */
int nx_route6(const struct sock *sk, u32 nid, struct flowi6 *fl6)
{
	const struct in6_addr *s;
	struct nx_addrs *addrs;
	struct nx_info *nx;
	int ret = -EADDRNOTAVAIL;

	rcu_read_lock();
	addrs = nx_rcu(nid, &nx);
	if (!addrs)
		goto out;
	ret = -ENETUNREACH;
	if (ipv6_addr_loopback(&fl6->daddr) &&
	    !(READ_ONCE(nx->flags) & NXF_LBACK_ALLOW))
		goto out;
	ret = 0;
	if (!ipv6_addr_any(&fl6->saddr) &&
	    (nx_owns6(addrs, &fl6->saddr) ||
	     ipv6_addr_loopback(&fl6->daddr)))
		goto out;
	if (ipv6_addr_loopback(&fl6->daddr))
		goto out;	/* the kernel picks ::1 */
	s = nx_pick6(addrs, &fl6->daddr);
	ret = -EADDRNOTAVAIL;
	if (!s)
		goto out;
	fl6->saddr = *s;
	ret = 0;
out:
	rcu_read_unlock();
	return ret;
}

/* --- what the listings show (NXF_HIDE_NETIF) ---------------------------- */

/* Under rcu_read_lock(): current's network context if it hides, else NULL */
static struct nx_addrs *nx_hiding(struct nx_info **nxp)
{
	u32 nid = nx_current_nid();
	struct nx_addrs *addrs;

	if (!nid)
		return NULL;
	addrs = nx_rcu(nid, nxp);
	if (addrs && !(READ_ONCE((*nxp)->flags) & NXF_HIDE_NETIF))
		return NULL;
	return addrs;
}

/* An address current may see: its context's, its loopback, 127.0.0.1, ::1 */
static bool nx_shows(const struct nx_info *nx, const struct nx_addrs *addrs,
		     int family, const void *addr)
{
	if (family == AF_INET) {
		__be32 a = *(const __be32 *)addr;

		return a == htonl(INADDR_LOOPBACK) || a == nx->lback ||
		       nx_owns4(addrs, a);
	}
	return ipv6_addr_loopback(addr) || nx_owns6(addrs, addr);
}

bool nx_addr_visible(int family, const void *addr)
{
	struct nx_addrs *addrs;
	struct nx_info *nx;
	bool ok = true;

	rcu_read_lock();
	addrs = nx_hiding(&nx);
	if (addrs)
		ok = nx_shows(nx, addrs, family, addr);
	rcu_read_unlock();
	return ok;
}

/* A device with one of the addresses current may see (lo always) */
bool nx_dev_visible(const struct net_device *dev)
{
	const struct inet6_ifaddr *ifa6;
	const struct in_ifaddr *ifa;
	const struct inet6_dev *idev;
	const struct in_device *in;
	struct nx_addrs *addrs;
	struct nx_info *nx;
	bool ok = true;

	if (dev->flags & IFF_LOOPBACK)
		return true;
	rcu_read_lock();
	addrs = nx_hiding(&nx);
	if (!addrs)
		goto out;
	ok = false;
	in = __in_dev_get_rcu(dev);
	if (in)
		in_dev_for_each_ifa_rcu(ifa, in)
			if (nx_shows(nx, addrs, AF_INET, &ifa->ifa_local))
				goto yes;
	idev = __in6_dev_get(dev);
	if (idev)
		list_for_each_entry_rcu(ifa6, &idev->addr_list, if_list)
			if (nx_shows(nx, addrs, AF_INET6, &ifa6->addr))
				goto yes;
	goto out;
yes:
	ok = true;
out:
	rcu_read_unlock();
	return ok;
}

/*
 * A socket in /proc/net: a unix socket of current's context, an inet
 * socket of its network context (when it hides); a request or TIME_WAIT
 * socket (@xid, @nid 0: no blob) if its local address is one it sees.
 */
bool nx_sk_visible(const struct sock *sk, u32 xid, u32 nid)
{
	const struct vs_cred *vc = vserver_cred(current_cred());
	struct nx_addrs *addrs;
	struct nx_info *nx;
	bool ok = true;

	if (vc->xid == VX_WATCH_XID)
		return true;
	if (sk->sk_family == AF_UNIX)
		return !vc->xid || xid == vc->xid;
	if (sk->sk_family != AF_INET && sk->sk_family != AF_INET6)
		return true;
	rcu_read_lock();
	addrs = nx_hiding(&nx);
	if (!addrs)
		goto out;
	if (sk_fullsock(sk))
		ok = nid == nx->nid;
	else if (sk->sk_family == AF_INET)
		ok = nx_shows(nx, addrs, AF_INET, &sk->sk_rcv_saddr);
	else
		ok = nx_shows(nx, addrs, AF_INET6, &sk->sk_v6_rcv_saddr);
out:
	rcu_read_unlock();
	return ok;
}

/* A network context capability of @cred's context (anyone in it) */
bool nx_ncap(const struct cred *cred, u64 ncap)
{
	struct nx_info *nx = nx_of(vserver_cred(cred)->nx);

	return nx && (READ_ONCE(nx->ncaps) & ncap);
}

/* A raw ICMP socket must not forge whole packets (IP_HDRINCL) */
int nx_setsockopt(struct socket *sock, u32 nid, int level, int optname)
{
	if (((level == SOL_IP && optname == IP_HDRINCL) ||
	     (level == SOL_IPV6 && optname == IPV6_HDRINCL)) &&
	    !capable(CAP_NET_RAW))
		return -EPERM;
	return 0;
}

/*
 * The sockets of a network context carry its nid as their mark, for
 * nftables (meta mark, socket mark); see Documentation/network.md.
 */
void nx_socket_created(struct socket *sock, u32 nid)
{
	if (sock->sk && !READ_ONCE(sock->sk->sk_mark))
		WRITE_ONCE(sock->sk->sk_mark, nid);
}

int vs_network_init(void)
{
	nx_wq = alloc_workqueue("vserver_nx", 0, 0);
	return nx_wq ? 0 : -ENOMEM;
}

void vs_network_exit(void)
{
	destroy_workqueue(nx_wq);
}
