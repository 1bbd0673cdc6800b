// SPDX-License-Identifier: GPL-2.0
/*
 * vserver module - context capabilities (ccaps).
 *
 * A context's bounding set usually lacks CAP_SYS_ADMIN and
 * CAP_SYS_RESOURCE; a context capability gives its root one narrow slice
 * of such a capability back (Linux-VServer's VXC_*).  The kernel asks at
 * the few places where the slice is used (vserver_ccap(),
 * vserver_mount()); nothing else of the capability comes with it.
 * Documentation/caps.md lists them and what each allows.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/nsproxy.h>
#include <linux/path.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <uapi/linux/mount.h>

#include "context.h"

static_assert(VXC_SET_UTSNAME == VS_CCAP_SET_UTSNAME);
static_assert(VXC_SET_RLIMIT == VS_CCAP_SET_RLIMIT);
static_assert(VXC_SYSLOG == VS_CCAP_SYSLOG);
static_assert(VXC_SECURE_MOUNT == VS_CCAP_SECURE_MOUNT);
static_assert(VXC_NAMESPACE == VS_CCAP_NAMESPACE);

/*
 * Does current have a mount namespace of its own?  The host's is the one
 * the kernel started with; mounts and flag changes in it would be the
 * host's.
 */
static bool vx_own_mnt_ns(void)
{
	return current->nsproxy->mnt_ns != init_task.nsproxy->mnt_ns;
}

/**
 * vx_ccap - does context capability @ccap grant @cred its slice?
 * @cred: current's credentials
 * @ccap: VXC_*
 *
 * Only root of the context (effective uid 0) is granted anything.
 * SET_UTSNAME names the context's own UTS namespace, never the host's;
 * SECURE_MOUNT and SECURE_REMOUNT act in a mount namespace of its own.
 * Must not sleep (do_prlimit() asks under task_lock()).
 */
bool vx_ccap(const struct cred *cred, u64 ccap)
{
	struct vs_ref *ref = vserver_cred(cred)->vx;
	struct vx_info *vx = ref ? container_of(ref, struct vx_info, ref) : NULL;

	if (!vx || !(READ_ONCE(vx->ccaps) & ccap) ||
	    !uid_eq(cred->euid, GLOBAL_ROOT_UID))
		return false;
	switch (ccap) {
	case VXC_SET_UTSNAME:
		return current->nsproxy->uts_ns != &init_uts_ns;
	case VXC_SECURE_MOUNT:
	case VXC_SECURE_REMOUNT:
		return vx_own_mnt_ns();
	case VXC_SET_RLIMIT:
	case VXC_SYSLOG:
	case VXC_NAMESPACE:
		return true;
	}
	return false;
}

/*
 * Filesystems root of a context may mount with SECURE_MOUNT: nothing on
 * a block device, nothing that reaches the host's state.  sysfs would
 * show the host's devices and knobs (the kernel refuses it without
 * CAP_SYS_ADMIN over the network namespace anyway), binfmt_misc would
 * register interpreters for the host, cgroup2 would show the host's
 * hierarchy unless the context has a cgroup namespace.
 */
static bool vx_mount_type_ok(const char *type)
{
	static const char * const safe[] = {
		"tmpfs", "ramfs", "proc", "devpts", "mqueue",
	};
	int i;

	if (!type)
		return false;
	for (i = 0; i < ARRAY_SIZE(safe); i++)
		if (!strcmp(type, safe[i]))
			return true;
	return !strcmp(type, "cgroup2") &&
	       current->nsproxy->cgroup_ns != init_task.nsproxy->cgroup_ns;
}

/**
 * vx_mount - may current mount without CAP_SYS_ADMIN?
 * @path: the mount point, or the mount to change or to unmount
 * @type: filesystem type of a new mount, or NULL
 * @flags: MS_* of mount(2)
 * @umount: umount2(2)
 *
 * Asked after may_mount() refused; the kernel forces nodev and nosuid on
 * what this allows.  With SECURE_MOUNT: a new mount of a safe type,
 * propagation changes, unmounting; with SECURE_REMOUNT: new flags for a
 * mount (MS_REMOUNT | MS_BIND).  Never a remount of a superblock (it may
 * be the host's, seen through a bind mount), a bind or a move.
 *
 * Return: 0 or -EPERM.
 */
int vx_mount(const struct path *path, const char *type, unsigned long flags,
	     bool umount)
{
	const struct cred *cred = current_cred();

	if (umount)
		return vx_ccap(cred, VXC_SECURE_MOUNT) ? 0 : -EPERM;
	if ((flags & (MS_REMOUNT | MS_BIND)) == (MS_REMOUNT | MS_BIND))
		return vx_ccap(cred, VXC_SECURE_REMOUNT) ? 0 : -EPERM;
	if ((flags & (MS_REMOUNT | MS_BIND | MS_MOVE)) ||
	    !vx_ccap(cred, VXC_SECURE_MOUNT))
		return -EPERM;
	if (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE))
		return 0;
	return vx_mount_type_ok(type) ? 0 : -EPERM;
}
