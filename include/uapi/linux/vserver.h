/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vserver-ng user-space API.
 *
 * One header shared by the kernel module (kmod/) and the user-space library
 * (userspace/).  Command numbers, flag values and struct layouts follow the
 * Linux-VServer 2.3 interface where it still makes sense on Linux 6.12;
 * Documentation/uapi.md lists every command and where we differ.
 *
 * Entry point: the /dev/vserver misc device takes a single ioctl,
 * VSERVER_IOC_CALL, whose argument is a struct vserver_call - the shape of
 * Linux-VServer's sys_vserver(cmd, id, data) plus the size of *data so the
 * kernel never guesses how much user memory to read.
 */
#ifndef _UAPI_LINUX_VSERVER_H
#define _UAPI_LINUX_VSERVER_H

#include <linux/types.h>
#include <linux/ioctl.h>

/*
 * Command encoding (Linux-VServer's VC_CMD): category in bits 24..29, command
 * number in bits 16..23, version in bits 0..11.
 */
#define VC_CATEGORY(c)		(((c) >> 24) & 0x3F)
#define VC_COMMAND(c)		(((c) >> 16) & 0xFF)
#define VC_VERSION(c)		((c) & 0xFFF)
#define VC_CMD(c, i, v)		((((VC_CAT_ ## c) & 0x3F) << 24) | \
				 (((i) & 0xFF) << 16) | ((v) & 0xFFF))

#define VC_CAT_VERSION		0
#define VC_CAT_VSETUP		1
#define VC_CAT_VHOST		2
#define VC_CAT_VPROC		9
#define VC_CAT_PROCALT		10
#define VC_CAT_PROCMIG		11
#define VC_CAT_PROCTRL		12
#define VC_CAT_SCHED		14
#define VC_CAT_MEMCTRL		20
#define VC_CAT_VNET		25
#define VC_CAT_NETALT		26
#define VC_CAT_NETMIG		27
#define VC_CAT_NETCTRL		28
#define VC_CAT_TAGMIG		35
#define VC_CAT_DLIMIT		36
#define VC_CAT_INODE		38
#define VC_CAT_VSTAT		40
#define VC_CAT_VINFO		46
#define VC_CAT_EVENT		48
#define VC_CAT_FLAGS		52
#define VC_CAT_VSPACE		54
#define VC_CAT_RLIMIT		60

/* Version of the command set, as VCMD_get_version returns it. */
#define VCI_VERSION		0x00020308

/* --- Commands --------------------------------------------------------- */

/* Returns VCI_VERSION; id and data are ignored, no privilege needed. */
#define VCMD_get_version	VC_CMD(VERSION, 0, 0)

/*
 * Returns VCI_FEATURES, the kernel's feature bits as Linux-VServer 2.3
 * reported them (util-vserver chooses its calls by them); no privilege
 * needed.  We set what we implement: no static-xid-only kernel, /proc
 * security, copy-on-write of unified files, network contexts v2, memory
 * cgroups, namespaces kept per context (spaces), tags kept apart from
 * uid/gid (the ext4 project id: "INTERN"), per-process tags.
 */
#define VCMD_get_vci		VC_CMD(VERSION, 1, 0)

#define VCI_NO_DYNAMIC		(1U << 0)
#define VCI_PROC_SECURE		(1U << 4)
#define VCI_COWBL		(1U << 8)
#define VCI_FULLCOWBL		(1U << 9)
#define VCI_SPACES		(1U << 10)
#define VCI_NETV2		(1U << 11)
#define VCI_MEMCG		(1U << 12)
#define VCI_TAG_SHIFT		24	/* bits 24..26: how tags are kept */
#define VCI_TAG_INTERN		4	/* a field of their own */
#define VCI_PPTAG		(1U << 28)
#define VCI_FEATURES		(VCI_NO_DYNAMIC | VCI_PROC_SECURE | VCI_COWBL | \
				 VCI_SPACES | VCI_NETV2 | VCI_MEMCG | \
				 (VCI_TAG_INTERN << VCI_TAG_SHIFT) | VCI_PPTAG)

/* id = pid (0 = caller); returns the xid of that task. */
#define VCMD_task_xid		VC_CMD(VINFO, 1, 0)
/* id = pid (0 = caller); returns the nid of that task. */
#define VCMD_task_nid		VC_CMD(VINFO, 2, 0)

/* id = xid; fills struct vcmd_vx_info_v0. */
#define VCMD_vx_info		VC_CMD(VINFO, 5, 0)

struct vcmd_vx_info_v0 {
	__u32 xid;
	__u32 initpid;
};

/*
 * id = new xid (2..49151), or VC_DYNAMIC_XID to let the kernel pick one in
 * 49152..65535.  The caller is moved into the new context.  Returns the xid.
 * data may be omitted (size 0): flagword then defaults to VXF_INIT_SET.
 */
#define VCMD_ctx_create		VC_CMD(VPROC, 1, 1)

struct vcmd_ctx_create {
	__aligned_u64 flagword;
};

/* id = xid; moves the caller into an existing context. */
#define VCMD_ctx_migrate	VC_CMD(PROCMIG, 1, 1)

struct vcmd_ctx_migrate {
	__aligned_u64 flagword;
};

#define VXM_SET_INIT		0x00000001
#define VXM_SET_REAPER		0x00000002

/*
 * Namespaces kept per context ("spaces"): VX_SPACES sets, each of some
 * of CLONE_FS (root and working directory), CLONE_NEWNS, CLONE_NEWUTS,
 * CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET.  id = xid.
 *
 * set_space keeps the caller's namespaces of @mask in set @index (the
 * _v1 form: set 0), replacing what the set kept of those.  enter_space
 * puts the caller into the kept namespaces of @mask (0 = all the set
 * keeps; _v0: no data, all of set 0), as setns(2) would, then into the
 * kept root and working directory for CLONE_FS; EINVAL if the set does
 * not keep all of @mask, EACCES for a private context.  get_space_mask
 * fills @mask with what this kernel can keep, get_space_default with
 * what util-vserver keeps by default.  Both need no privilege.
 */
#define VCMD_enter_space_v0	VC_CMD(PROCALT, 1, 0)
#define VCMD_enter_space_v1	VC_CMD(PROCALT, 1, 1)
#define VCMD_enter_space	VC_CMD(PROCALT, 1, 2)
#define VCMD_set_space_v1	VC_CMD(PROCALT, 3, 1)
#define VCMD_set_space		VC_CMD(PROCALT, 3, 2)
#define VCMD_get_space_mask_v0	VC_CMD(PROCALT, 4, 0)
#define VCMD_get_space_mask	VC_CMD(VSPACE, 0, 1)
#define VCMD_get_space_default	VC_CMD(VSPACE, 1, 0)

#define VX_SPACES		2

struct vcmd_space_mask_v1 {
	__aligned_u64 mask;
};

struct vcmd_space_mask_v2 {
	__aligned_u64 mask;
	__u32 index;
	__u32 pad;		/* ignored (Linux-VServer's implicit hole) */
};

/* id = xid; fills struct vcmd_ctx_stat_v0. */
#define VCMD_ctx_stat		VC_CMD(VSTAT, 0, 0)

struct vcmd_ctx_stat_v0 {
	__u32 usecnt;		/* references to the context */
	__u32 tasks;		/* tasks in the context */
};

/*
 * id = xid.  get fills flagword and sets mask to the bits that can still
 * change (the one-time VXF_STATE_* bits drop out once cleared); set
 * applies flagword to the bits in mask: flags = (flags & ~mask) |
 * (flagword & mask).  One-time bits can only be cleared.
 */
#define VCMD_get_cflags		VC_CMD(FLAGS, 1, 0)
#define VCMD_set_cflags		VC_CMD(FLAGS, 2, 0)

struct vcmd_ctx_flags_v0 {
	__aligned_u64 flagword;
	__aligned_u64 mask;
};

/*
 * id = xid.  The context's bounding set of Linux capabilities (bit n =
 * capability n): no task of the context holds or uses a capability
 * outside it, whatever it executes.  A new context has every capability.
 * set applies bcaps to the bits in bmask but can only clear bits:
 * setting one that is clear, or one that is no capability, is EINVAL.
 */
#define VCMD_get_bcaps		VC_CMD(FLAGS, 9, 0)
#define VCMD_set_bcaps		VC_CMD(FLAGS, 10, 0)

struct vcmd_bcaps {
	__aligned_u64 bcaps;
	__aligned_u64 bmask;
};

/*
 * id = xid.  Context capabilities: narrow slices of capabilities that the
 * bounding set leaves out (VXC_*).  set applies ccaps to the bits in
 * cmask; a bit we do not implement is EINVAL (get's cmask says which).
 */
#define VCMD_get_ccaps		VC_CMD(FLAGS, 3, 1)
#define VCMD_set_ccaps		VC_CMD(FLAGS, 4, 1)

struct vcmd_ctx_caps_v1 {
	__aligned_u64 ccaps;
	__aligned_u64 cmask;
};

#define VXC_SET_UTSNAME		0x00000001ULL	/* sethostname, setdomainname */
#define VXC_SET_RLIMIT		0x00000002ULL
#define VXC_FS_SECURITY		0x00000004ULL
#define VXC_FS_TRUSTED		0x00000008ULL
#define VXC_TIOCSTI		0x00000010ULL
#define VXC_SYSLOG		0x00001000ULL
#define VXC_OOM_ADJUST		0x00002000ULL
#define VXC_AUDIT_CONTROL	0x00004000ULL
#define VXC_SECURE_MOUNT	0x00010000ULL
#define VXC_SECURE_REMOUNT	0x00020000ULL
#define VXC_BINARY_MOUNT	0x00040000ULL
#define VXC_QUOTA_CTL		0x00100000ULL
#define VXC_ADMIN_MAPPER	0x00200000ULL
#define VXC_ADMIN_CLOOP		0x00400000ULL
#define VXC_KTHREAD		0x01000000ULL
#define VXC_NAMESPACE		0x02000000ULL

/*
 * id = xid.  The unshare mask: the namespaces (VXU_* = the CLONE_* flag
 * of each) that tasks of the context may create with clone(2)/unshare(2)
 * or join with setns(2) once the context is set up (VXF_STATE_SETUP
 * cleared); a new context allows none.  set applies umask to the bits in
 * mask; bits outside VXU_ALL fail with EINVAL.  get sets mask to VXU_ALL.
 */
#define VCMD_get_umask		VC_CMD(FLAGS, 13, 0)
#define VCMD_set_umask		VC_CMD(FLAGS, 14, 0)

struct vcmd_umask {
	__aligned_u64 umask;
	__aligned_u64 mask;
};

#define VXU_FS			0x00000200ULL	/* CLONE_FS (accepted, no effect) */
#define VXU_NEWTIME		0x00000080ULL	/* CLONE_NEWTIME */
#define VXU_NEWNS		0x00020000ULL	/* CLONE_NEWNS */
#define VXU_NEWCGROUP		0x02000000ULL	/* CLONE_NEWCGROUP */
#define VXU_NEWUTS		0x04000000ULL	/* CLONE_NEWUTS */
#define VXU_NEWIPC		0x08000000ULL	/* CLONE_NEWIPC */
#define VXU_NEWUSER		0x10000000ULL	/* CLONE_NEWUSER */
#define VXU_NEWPID		0x20000000ULL	/* CLONE_NEWPID */
#define VXU_NEWNET		0x40000000ULL	/* CLONE_NEWNET */
#define VXU_NAMESPACES		(VXU_NEWTIME | VXU_NEWNS | VXU_NEWCGROUP | \
				 VXU_NEWUTS | VXU_NEWIPC | VXU_NEWUSER | \
				 VXU_NEWPID | VXU_NEWNET)
#define VXU_ALL			(VXU_FS | VXU_NAMESPACES)

/*
 * id = xid.  pid 0: every task of the context; pid -1: every task but its
 * init; pid 1: its init; else that task if it is in the context.
 */
#define VCMD_ctx_kill		VC_CMD(PROCTRL, 1, 0)

struct vcmd_ctx_kill_v0 {
	__s32 pid;
	__s32 sig;
};

/*
 * id = xid.  Blocks (interruptibly) until the context has ended, then
 * fills reboot_cmd (0) and exit_code: the wait status (as waitpid(2)
 * reports it) of the context's init, or of its last task if it had no init.
 */
#define VCMD_wait_exit		VC_CMD(EVENT, 99, 0)

struct vcmd_wait_exit_v0 {
	__s32 reboot_cmd;
	__s32 exit_code;
};

/* id = xid; field VHIN_CONTEXT is the context's name (free text). */
#define VCMD_set_vhi_name	VC_CMD(VHOST, 1, 0)
#define VCMD_get_vhi_name	VC_CMD(VHOST, 2, 0)

#define VHIN_CONTEXT		0
#define VHIN_SYSNAME		1
#define VHIN_NODENAME		2
#define VHIN_RELEASE		3
#define VHIN_VERSION		4
#define VHIN_MACHINE		5
#define VHIN_DOMAINNAME		6

#define VHI_NAME_LEN		65

struct vcmd_vhi_name_v0 {
	__u32 field;
	char name[VHI_NAME_LEN];
	__u8 __pad[3];
};

/*
 * Inode attributes, kept in the "security.vserver" extended attribute (a
 * little-endian 32-bit word of IATTR_* bits), so they persist with the
 * filesystem (ext4 with CONFIG_EXT4_FS_SECURITY) and are copied by
 * cp -a, rsync -X and tar --xattrs.
 *
 * get_iattr/set_iattr name the file by path (not following a last
 * symlink; relative to the caller's cwd), fget_iattr/fset_iattr by the
 * file descriptor given as id.  get fills flags and sets mask to the bits
 * that apply to that file; set applies flags to the bits in mask and
 * fails with EINVAL for a bit that does not apply (nothing changes).
 * Only the host may set them.
 *
 * IATTR_TAG: tag is valid.  It is in get's mask for a file of a
 * filesystem that keeps tags (ext4 with the project feature: the tag is
 * the file's project id, Documentation/files.md); set with IATTR_TAG in
 * mask retags the file (0..65535, moving its quota charge).
 */
#define VCMD_get_iattr		VC_CMD(INODE, 1, 1)
#define VCMD_set_iattr		VC_CMD(INODE, 2, 1)
#define VCMD_fget_iattr		VC_CMD(INODE, 3, 0)
#define VCMD_fset_iattr		VC_CMD(INODE, 4, 0)

struct vcmd_ctx_iattr_v1 {
	__aligned_u64 name;	/* const char __user *, NUL-terminated */
	__u32 tag;
	__u32 flags;
	__u32 mask;
};

struct vcmd_ctx_fiattr_v0 {
	__u32 tag;
	__u32 flags;
	__u32 mask;
};

#define IATTR_TAG		0x01000000
#define IATTR_ADMIN		0x00000001
#define IATTR_WATCH		0x00000002
#define IATTR_HIDE		0x00000004
#define IATTR_BARRIER		0x00010000	/* directory: contexts may not pass */
#define IATTR_IXUNLINK		0x00020000
#define IATTR_IMMUTABLE		0x00040000
#define IATTR_COW		0x00080000

/*
 * File tags.  A task carries a tag (normally its xid; 0 on the host) that
 * files it creates on a filesystem mounted with the "tag" option receive
 * as their ext4 project id.
 *
 * task_tag: id = pid (0 = caller); returns that task's tag.
 * tag_migrate: id = new tag of the caller (0..65535), no data; host only.
 */
#define VCMD_task_tag		VC_CMD(VINFO, 3, 0)
#define VCMD_tag_migrate	VC_CMD(TAGMIG, 1, 0)

/*
 * Disk limits of a tag (id) on the filesystem that holds name, kept by the
 * kernel's project quota (space and inodes of the project id = tag).
 * add_dlimit makes the limit exist (EEXIST if it does), rem_dlimit removes
 * it and its quota limits (ESRCH if none).  set_dlimit changes the fields
 * that are not CDLIM_KEEP: space in KiB, CDLIM_INFINITY = no limit;
 * space_used and inodes_used are what the quota counts: set_dlimit
 * ignores them (util-vserver passes its cached values); reserved (the
 * percent of space_total Linux-VServer kept for the context's root,
 * 0..100) is kept and reported, not enforced apart (Documentation/
 * files.md).  A total below what is used is EINVAL.  get_dlimit fills
 * every field.  flags: 0.  Tags: 1..VX_MAX_TAG.
 * Errors: EOPNOTSUPP (not a filesystem with project quota), ESRCH (no
 * limit for that tag), EINVAL (bad values; nothing changes).
 */
#define VCMD_add_dlimit		VC_CMD(DLIMIT, 1, 0)
#define VCMD_rem_dlimit		VC_CMD(DLIMIT, 2, 0)
#define VCMD_set_dlimit		VC_CMD(DLIMIT, 5, 0)
#define VCMD_get_dlimit		VC_CMD(DLIMIT, 6, 0)

struct vcmd_ctx_dlimit_base_v0 {
	__aligned_u64 name;	/* const char __user *: a path on the fs */
	__u32 flags;
	__u32 pad;		/* 0 */
};

struct vcmd_ctx_dlimit_v0 {
	__aligned_u64 name;	/* const char __user *: a path on the fs */
	__u32 space_used;	/* KiB */
	__u32 space_total;	/* KiB */
	__u32 inodes_used;
	__u32 inodes_total;
	__u32 reserved;		/* percent */
	__u32 flags;
};

#define CDLIM_UNSET		0U
#define CDLIM_INFINITY		(~0U)
#define CDLIM_KEEP		(~1U)

#define VX_MAX_TAG		65535

/* --- Context ids -------------------------------------------------------- */

#define VX_HOST_XID		0	/* the host: administers everything */
#define VX_WATCH_XID		1	/* the spectator: sees, changes nothing */
#define VX_MIN_S_CONTEXT	2	/* first static xid */
#define VX_MIN_D_CONTEXT	49152	/* first dynamic xid */
#define VX_MAX_S_CONTEXT	65535	/* last xid */
#define VC_DYNAMIC_XID		((__u32)-1)

/* --- Context flags (VXF_*, 64 bit; bits 32+ are state bits) --------------- */

#define VXF_INFO_PRIVATE	0x00000008ULL	/* "private": nobody may join */
#define VXF_INFO_INIT		0x00000010ULL	/* "fakeinit" */
#define VXF_INFO_HIDE		0x00000020ULL	/* "hideinfo" */
#define VXF_SCHED_HARD		0x00000100ULL
#define VXF_SCHED_PRIO		0x00000200ULL
#define VXF_SCHED_PAUSE		0x00000400ULL
#define VXF_VIRT_MEM		0x00010000ULL
#define VXF_VIRT_UPTIME		0x00020000ULL
#define VXF_VIRT_CPU		0x00040000ULL
#define VXF_VIRT_LOAD		0x00080000ULL
#define VXF_VIRT_TIME		0x00100000ULL
#define VXF_HIDE_MOUNT		0x01000000ULL
#define VXF_HIDE_VINFO		0x04000000ULL
#define VXF_STATE_SETUP		(1ULL << 32)
#define VXF_STATE_INIT		(1ULL << 33)
#define VXF_STATE_ADMIN		(1ULL << 34)
#define VXF_SC_HELPER		(1ULL << 36)
#define VXF_REBOOT_KILL		(1ULL << 37)
#define VXF_PERSISTENT		(1ULL << 38)
#define VXF_FORK_RSS		(1ULL << 48)
#define VXF_PROLIFIC		(1ULL << 49)
#define VXF_IGNEG_NICE		(1ULL << 52)
#define VXF_ONE_TIME		(0x0007ULL << 32)
#define VXF_INIT_SET		(VXF_STATE_SETUP | VXF_STATE_INIT | \
				 VXF_STATE_ADMIN)

/* --- Network contexts (nid) ------------------------------------------------ */

/*
 * A network context owns a list of IPv4 and IPv6 addresses: its sockets
 * bind and send only with those, a socket bound to the wildcard receives
 * only what is addressed to them, and it sees only them.  nid 0 is the
 * host (unrestricted).  Ids as for security contexts: static 2..49151,
 * VC_DYNAMIC_XID picks one in 49152..65535.
 */

/* id = nid; fills struct vcmd_nx_info_v0. */
#define VCMD_nx_info		VC_CMD(VINFO, 6, 0)

struct vcmd_nx_info_v0 {
	__u32 nid;
};

/*
 * id = new nid, or VC_DYNAMIC_XID.  The caller is moved into the new
 * network context; returns the nid.  data may be omitted (size 0):
 * flagword then defaults to NXF_INIT_SET.  Its loopback address is
 * 127.<nid / 256>.<nid % 256>.1, its broadcast 255.255.255.255.
 */
#define VCMD_net_create		VC_CMD(VNET, 1, 1)

struct vcmd_net_create {
	__aligned_u64 flagword;
};

/* id = nid; the caller is moved into that network context. */
#define VCMD_net_migrate	VC_CMD(NETMIG, 1, 0)

/*
 * id = nid.  IPv4 addresses of a network context, in network byte order.
 * type: NXA_TYPE_ADDR (ip; mask is its netmask, for the broadcast and
 * what is shown, 0 = /32), NXA_TYPE_MASK (the network ip/mask),
 * NXA_TYPE_RANGE (ip up to, not including, ip2); NXA_TYPE_ADDR |
 * NXA_MOD_BCAST sets the broadcast address, NXA_TYPE_ADDR | NXA_MOD_LBACK
 * the loopback address.  flags must be 0.  Adding a second address
 * clears NXF_SINGLE_IP.  Errors: EEXIST already there, ENOSPC too many
 * (NX_MAX_ADDRS), EINVAL bad type, mask, range; on remove ESRCH not
 * there.  Remove with type NXA_TYPE_ANY drops every IPv4 address.
 */
#define VCMD_net_add_ipv4	VC_CMD(NETALT, 1, 2)
#define VCMD_net_rem_ipv4	VC_CMD(NETALT, 2, 2)

struct vcmd_net_addr_ipv4_v2 {
	__u16 type;
	__u16 flags;
	__be32 ip;
	__be32 ip2;
	__be32 mask;
};

/* The v1 forms (util-vserver's netv2 calls): v2 without ip2, no ranges */
#define VCMD_net_add_ipv4_v1	VC_CMD(NETALT, 1, 1)
#define VCMD_net_rem_ipv4_v1	VC_CMD(NETALT, 2, 1)

struct vcmd_net_addr_ipv4_v1 {
	__u16 type;
	__u16 flags;
	__be32 ip;
	__be32 mask;
};

/*
 * id = nid.  IPv6 addresses: type NXA_TYPE_ADDR (ip) or NXA_TYPE_MASK
 * (the network ip/prefix); prefix 0..128 (for ADDR what is shown, 0 =
 * /128); mask must be zero or the mask of prefix.  ip and mask are
 * struct in6_addr.  Same errors as IPv4; remove with NXA_TYPE_ANY drops
 * every IPv6 address.
 */
#define VCMD_net_add_ipv6	VC_CMD(NETALT, 3, 1)
#define VCMD_net_remove_ipv6	VC_CMD(NETALT, 4, 1)

struct vcmd_net_addr_ipv6_v1 {
	__u16 type;
	__u16 flags;
	__u32 prefix;
	__u8 ip[16];
	__u8 mask[16];
};

#define NXA_TYPE_NONE		0x0000
#define NXA_TYPE_IPV4		0x0001
#define NXA_TYPE_IPV6		0x0002
#define NXA_TYPE_ADDR		0x0010
#define NXA_TYPE_MASK		0x0020
#define NXA_TYPE_RANGE		0x0040
#define NXA_TYPE_ANY		0x00FF
#define NXA_MOD_BCAST		0x0100
#define NXA_MOD_LBACK		0x0200

#define NX_MAX_ADDRS		64	/* per family and network context */

/* id = nid.  Network flags (NXF_*) and caps (NXC_*), as the VXF ones. */
#define VCMD_get_nflags		VC_CMD(FLAGS, 5, 0)
#define VCMD_set_nflags		VC_CMD(FLAGS, 6, 0)

struct vcmd_net_flags_v0 {
	__aligned_u64 flagword;
	__aligned_u64 mask;
};

#define VCMD_get_ncaps		VC_CMD(FLAGS, 7, 0)
#define VCMD_set_ncaps		VC_CMD(FLAGS, 8, 0)

struct vcmd_net_caps_v0 {
	__aligned_u64 ncaps;
	__aligned_u64 cmask;
};

#define NXF_INFO_PRIVATE	0x00000008ULL	/* nobody may join */
#define NXF_SINGLE_IP		0x00000100ULL	/* bind to the wildcard = the one address */
#define NXF_LBACK_REMAP		0x00000200ULL	/* 127.0.0.1 = the context's loopback */
#define NXF_LBACK_ALLOW		0x00000400ULL	/* the real 127.0.0.1 too */
#define NXF_HIDE_NETIF		0x02000000ULL	/* see only its own addresses */
#define NXF_HIDE_LBACK		0x04000000ULL	/* show its loopback as 127.0.0.1 */
#define NXF_STATE_SETUP		(1ULL << 32)
#define NXF_STATE_ADMIN		(1ULL << 34)
#define NXF_SC_HELPER		(1ULL << 36)
#define NXF_PERSISTENT		(1ULL << 38)
#define NXF_ONE_TIME		(0x0005ULL << 32)
#define NXF_INIT_SET		(NXF_STATE_SETUP | NXF_STATE_ADMIN | \
				 NXF_HIDE_NETIF | NXF_LBACK_REMAP | \
				 NXF_HIDE_LBACK)

#define NXC_TUN_CREATE		0x00000001ULL
#define NXC_RAW_ICMP		0x00000100ULL	/* raw ICMP sockets (ping) */
#define NXC_MULTICAST		0x00001000ULL

/* --- Limits (Linux-VServer's per-context rlimits) ------------------------- */

/*
 * Resources: the RLIMIT_* numbers of <linux/resource.h> where a context
 * limit has the same meaning, then Linux-VServer's own.  Which ones a
 * kernel limits, and which it only counts, says VCMD_get_rlimit_mask;
 * Documentation/limits.md says how each is enforced.
 */
#define VLIMIT_RSS		5	/* RLIMIT_RSS: resident memory, pages */
#define VLIMIT_NPROC		6	/* RLIMIT_NPROC: tasks */
#define VLIMIT_NOFILE		7	/* RLIMIT_NOFILE: open files */
#define VLIMIT_AS		9	/* RLIMIT_AS: address space, pages */
#define VLIMIT_NSOCK		16	/* sockets */
#define VLIMIT_OPENFD		17	/* file descriptors */
#define VLIMIT_ANON		18	/* anonymous memory, pages */
#define VLIMIT_SHMEM		19	/* System V shared memory, pages */
#define VLIMIT_SEMARY		20	/* semaphore arrays */
#define VLIMIT_NSEMS		21	/* semaphores */
#define VLIMIT_DENTRY		22	/* dentries */
#define VLIMIT_MAPPED		23	/* mapped pages */
#define VLIMIT_NUM		24

/* Special values of a limit */
#define CRLIM_UNSET		0ULL
#define CRLIM_INFINITY		(~0ULL)
#define CRLIM_KEEP		(~1ULL)	/* set_rlimit: leave unchanged */

/*
 * id = xid.  get_rlimit fills @minimum (always CRLIM_UNSET), @softlimit and
 * @maximum (the hard limit) of resource @id; set_rlimit sets them (a
 * field CRLIM_KEEP stays; the soft limit is clamped to the hard one).
 * Memory limits count in pages.  @pad is ignored (Linux-VServer's struct
 * has an implicit hole there on 64-bit).
 */
#define VCMD_get_rlimit		VC_CMD(RLIMIT, 1, 0)
#define VCMD_set_rlimit		VC_CMD(RLIMIT, 2, 0)

struct vcmd_ctx_rlimit_v0 {
	__u32 id;
	__u32 pad;
	__u64 minimum;
	__u64 softlimit;
	__u64 maximum;
};

/*
 * No id, no privilege: bit n of @maximum (@softlimit) is set when the hard
 * (soft) limit of resource n can be set; @minimum is 0.
 */
#define VCMD_get_rlimit_mask	VC_CMD(RLIMIT, 3, 0)

struct vcmd_ctx_rlimit_mask_v0 {
	__u32 minimum;
	__u32 softlimit;
	__u32 maximum;
};

/* id = xid, no data: hit counters to 0 / watermarks to the current value */
#define VCMD_reset_hits		VC_CMD(RLIMIT, 7, 0)
#define VCMD_reset_minmax	VC_CMD(RLIMIT, 9, 0)

/*
 * id = xid; @id names the resource.  Fills its current @value, the lowest
 * and highest values since the last reset_minmax and the number of times
 * the limit refused something (@hits).
 */
#define VCMD_rlimit_stat	VC_CMD(VSTAT, 1, 0)

struct vcmd_rlimit_stat_v0 {
	__u32 id;
	__u32 hits;
	__u64 value;
	__u64 minimum;
	__u64 maximum;
};

/* --- Token-bucket scheduler ------------------------------------------------ */

/*
 * id = xid.  set_sched sets the fields named in @mask (VXSM_*); get_sched
 * fills them all.  A context runs @fill_rate[0] ticks of CPU time every
 * @interval[0] ticks (milliseconds with VXSM_MSEC); its bucket holds at
 * most @tokens_max ticks, and after it ran dry the context waits until
 * @tokens_min have come back.  This is applied to the context's cgroup as
 * CFS bandwidth (Documentation/limits.md gives the mapping) while the
 * context has VXF_SCHED_HARD.  @cpu_id and @bucket_id must be 0 or -1:
 * there is one bucket per context, not per CPU.
 */
#define VCMD_set_sched		VC_CMD(SCHED, 1, 5)
#define VCMD_get_sched		VC_CMD(SCHED, 2, 5)

struct vcmd_sched_v5 {
	__u32 mask;
	__s32 cpu_id;
	__s32 bucket_id;
	__s32 fill_rate[2];
	__s32 interval[2];
	__s32 tokens;
	__s32 tokens_min;
	__s32 tokens_max;
	__s32 prio_bias;
};

#define VXSM_FILL_RATE		0x0001
#define VXSM_INTERVAL		0x0002
#define VXSM_FILL_RATE2		0x0004
#define VXSM_INTERVAL2		0x0008
#define VXSM_TOKENS		0x0010
#define VXSM_TOKENS_MIN		0x0020
#define VXSM_TOKENS_MAX		0x0040
#define VXSM_PRIO_BIAS		0x0100
#define VXSM_IDLE_TIME		0x0200
#define VXSM_FORCE		0x0400
#define VXSM_CPU_ID		0x1000
#define VXSM_BUCKET_ID		0x2000
#define VXSM_MSEC		0x4000
#define VXSM_SET_MASK		0x01FF

/* prio_bias bounds (a nice value) */
#define VX_MIN_PRIO_BIAS	(-20)
#define VX_MAX_PRIO_BIAS	20

/*
 * id = xid.  prio_bias alone, as set_sched with VXSM_PRIO_BIAS and
 * get_sched would: the context's nice value (cpu.weight.nice of its
 * cgroup).  @cpu_id must be 0 or -1.
 */
#define VCMD_set_prio_bias	VC_CMD(SCHED, 4, 0)
#define VCMD_get_prio_bias	VC_CMD(SCHED, 5, 0)

struct vcmd_prio_bias {
	__s32 cpu_id;
	__s32 prio_bias;
};

/*
 * id = xid.  @cpu_id must be 0 or -1 (the whole context).  Fills the CPU
 * time the context used (@user_msec, @sys_msec), the time it was held
 * back by its bucket (@hold_msec) and the length of a token (@token_usec).
 */
#define VCMD_sched_info		VC_CMD(SCHED, 3, 0)

struct vcmd_sched_info {
	__s32 cpu_id;
	__s32 bucket_id;
	__u64 user_msec;
	__u64 sys_msec;
	__u64 hold_msec;
	__u32 token_usec;
	__s32 vavavoom;
};

/* --- Virtualization ------------------------------------------------------- */

/*
 * id = xid.  @offset: when the context started (ns of boot time), @uptime:
 * for how long (ns); task counts; @load: the context's load average, in
 * fixed point with 11 bits of fraction (FSHIFT).
 */
#define VCMD_virt_stat		VC_CMD(VSTAT, 3, 0)

struct vcmd_virt_stat_v0 {
	__u64 offset;
	__u64 uptime;
	__u32 nr_threads;
	__u32 nr_running;
	__u32 nr_uninterruptible;
	__u32 nr_onhold;
	__u32 nr_forks;
	__u32 load[3];
};

/* --- The ioctl ------------------------------------------------------------ */

/**
 * struct vserver_call - argument of VSERVER_IOC_CALL
 * @cmd:   a VCMD_* value
 * @id:    the command's id argument (xid, nid, pid, ... as the command says)
 * @data:  user pointer to the command's struct, or 0
 * @size:  sizeof the struct at @data; 0 when @data is 0.  A size that does
 *         not match the command's struct fails with EINVAL.
 * @flags: must be 0
 *
 * The ioctl returns the command's result (>= 0) or -1 with errno set:
 * ENOSYS unknown command, EINVAL bad version/size/id/flags, EFAULT bad
 * pointer, EPERM caller may not use the command, ESRCH no such context or
 * task, EEXIST/EBUSY context already exists.
 */
struct vserver_call {
	__u32 cmd;
	__u32 id;
	__aligned_u64 data;
	__u32 size;
	__u32 flags;
};

#define VSERVER_IOC_MAGIC	0xB9
#define VSERVER_IOC_CALL	_IOW(VSERVER_IOC_MAGIC, 0x00, struct vserver_call)

#define VSERVER_DEVICE		"/dev/vserver"

#endif /* _UAPI_LINUX_VSERVER_H */
