/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vserver module - network contexts (nid).
 */
#ifndef _VSERVER_NETWORK_H
#define _VSERVER_NETWORK_H

#include <linux/atomic.h>
#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/vserver_hook.h>
#include <linux/workqueue.h>
#include <linux/vserver.h>

struct cred;
struct flowi4;
struct flowi6;
struct net_device;
struct proc_dir_entry;
struct seq_file;
struct sock;
struct sockaddr;
struct socket;
struct task_struct;

/* One IPv4 entry: NXA_TYPE_ADDR (ip, its netmask), _MASK (ip/mask), _RANGE */
struct nx_addr4 {
	u16 type;
	__be32 ip;
	__be32 ip2;
	__be32 mask;
};

/* One IPv6 entry: NXA_TYPE_ADDR or NXA_TYPE_MASK, with its prefix */
struct nx_addr6 {
	u16 type;
	u32 prefix;
	struct in6_addr ip;
	struct in6_addr mask;
};

/* The addresses of a network context; replaced whole (RCU) on change */
struct nx_addrs {
	struct rcu_head rcu;
	unsigned int n4;
	unsigned int n6;
	struct nx_addr4 *v4;	/* both point into this allocation */
	struct nx_addr6 *v6;
};

/**
 * struct nx_info - one network context
 * @ref:    references: the table while hashed, every credential with this
 *          nid.  Must come first (freed by the hook layer, see vx_info).
 * @nid:    network context id
 * @flags:  NXF_* flags
 * @ncaps:  NXC_* capabilities
 * @lback:  its loopback address (127.x.y.1)
 * @bcast:  its broadcast address
 * @addrs:  its addresses (RCU; NULL once it ended)
 * @tasks:  tasks whose credentials are in it; it ends at 0 unless
 *          NXF_PERSISTENT
 * @hashed: in the table (under nx_lock)
 * @end:    ends it from a context that cannot sleep
 * @proc:   /proc/virtnet/<nid>
 */
struct nx_info {
	struct vs_ref ref;
	u32 nid;
	u64 flags;
	u64 ncaps;
	__be32 lback;
	__be32 bcast;
	struct nx_addrs __rcu *addrs;
	atomic_t tasks;
	bool hashed;
	struct work_struct end;
	struct proc_dir_entry *proc;
};

static inline struct nx_info *nx_get(struct nx_info *nx)
{
	vs_ref_get(&nx->ref);
	return nx;
}

static inline void nx_put(struct nx_info *nx)
{
	vs_ref_put(&nx->ref);
}

/* The network flags and caps we implement (Documentation/network.md) */
#define NXF_SUPPORTED	(NXF_INFO_PRIVATE | NXF_SINGLE_IP | NXF_LBACK_REMAP | \
			 NXF_LBACK_ALLOW | NXF_HIDE_NETIF | NXF_HIDE_LBACK | \
			 NXF_STATE_SETUP | NXF_STATE_ADMIN | NXF_PERSISTENT)
#define NXC_SUPPORTED	NXC_RAW_ICMP

struct nx_info *nx_lookup(u32 nid);
u32 nx_current_nid(void);
bool nx_current_in_setup(void);
int nx_create(u32 nid, u64 flags);
int nx_migrate(u32 nid);
int nx_set_flags(struct nx_info *nx, u64 flags, u64 mask);
int nx_set_ncaps(struct nx_info *nx, u64 ncaps, u64 mask);
int nx_add4(struct nx_info *nx, const struct vcmd_net_addr_ipv4_v2 *a);
int nx_rem4(struct nx_info *nx, const struct vcmd_net_addr_ipv4_v2 *a);
int nx_add6(struct nx_info *nx, const struct vcmd_net_addr_ipv6_v1 *a);
int nx_rem6(struct nx_info *nx, const struct vcmd_net_addr_ipv6_v1 *a);
int nx_count(void);
void nx_task_alloc(struct task_struct *task);
void nx_task_free(struct task_struct *task);
void nx_show_addrs(struct seq_file *m, struct nx_info *nx, bool task);

int nx_inet_bind(struct sock *sk, u32 nid, struct sockaddr *uaddr);
void nx_inet_getname(const struct sock *sk, u32 nid, __be32 *addr);
bool nx_sk_rcv(const struct sock *sk, u32 nid, int family, const void *daddr);
bool nx_sk_apart(const struct sock *sk, u32 nid, const struct sock *sk2,
		 u32 nid2);
int nx_route4(const struct sock *sk, u32 nid, struct flowi4 *fl4);
int nx_route6(const struct sock *sk, u32 nid, struct flowi6 *fl6);
bool nx_ncap(const struct cred *cred, u64 ncap);
int nx_setsockopt(struct socket *sock, u32 nid, int level, int optname);
void nx_socket_created(struct socket *sock, u32 nid);
bool nx_dev_visible(const struct net_device *dev);
bool nx_addr_visible(int family, const void *addr);
bool nx_sk_visible(const struct sock *sk, u32 xid, u32 nid);

int vs_network_init(void);
void vs_network_exit(void);

#endif /* _VSERVER_NETWORK_H */
