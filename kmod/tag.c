// SPDX-License-Identifier: GPL-2.0
/*
 * vserver module - file tags.
 *
 * A file's tag is the context that owns it, kept as its project id (ext4
 * with the project feature), so that the kernel's project quota is each
 * context's disk limit.  A task carries a tag in its credentials (its
 * xid, set when it enters a context; the host's is 0); on a filesystem
 * mounted with "tag" the hook layer gives new files their creator's tag.
 *
 * The rule on such a filesystem: a task of a context (xid >= 2) reaches
 * the files of its own tag and the untagged ones (tag 0: the host's,
 * shared); the host and the spectator reach everything; "notagcheck"
 * turns the rule off.  Only the host changes a tag.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/fileattr.h>
#include <linux/mount.h>
#include <linux/quota.h>
#include <linux/sched.h>
#include <linux/vserver.h>

#include "context.h"
#include "inode.h"

/**
 * vs_inode_tag - the tag of @inode
 * @inode: the inode
 *
 * Safe in RCU path walks (ext4 reads a field of its inode).
 *
 * Return: its project id, or -EOPNOTSUPP when its filesystem keeps none.
 */
long vs_inode_tag(struct inode *inode)
{
#ifdef CONFIG_QUOTA
	struct super_block *sb = inode->i_sb;
	kprojid_t projid;

	if (sb->dq_op && sb->dq_op->get_projid &&
	    !sb->dq_op->get_projid(inode, &projid))
		return from_kprojid(&init_user_ns, projid);
#endif
	return -EOPNOTSUPP;
}

/* The tag of the caller's credentials */
u32 vs_current_tag(void)
{
	return vserver_cred(current_cred())->tag;
}

/**
 * vs_set_tag - retag the file at @path
 * @path: the file (a regular file or a directory)
 * @tag: its new tag, 0..VX_MAX_TAG
 *
 * The filesystem moves the file's quota charge to the new project (and
 * may refuse with EDQUOT).  The caller has checked who may do this.
 *
 * Return: 0 or a negative errno.
 */
int vs_set_tag(const struct path *path, u32 tag)
{
	struct fileattr fa = {};
	int ret;

	if (tag > VX_MAX_TAG)
		return -EINVAL;
	ret = vfs_fileattr_get(path->dentry, &fa);
	if (ret)
		return ret == -ENOIOCTLCMD ? -EOPNOTSUPP : ret;
	if (fa.fsx_projid == tag)
		return 0;
	ret = mnt_want_write(path->mnt);
	if (ret)
		return ret;
	/* change the project id only: the flags stay as they were read */
	fa.flags_valid = false;
	fa.fsx_valid = true;
	fa.fsx_projid = tag;
	ret = vfs_fileattr_set(mnt_idmap(path->mnt), path->dentry, &fa);
	mnt_drop_write(path->mnt);
	return ret == -ENOIOCTLCMD ? -EOPNOTSUPP : ret;
}

/**
 * vs_tag_permission - may current reach @inode of a tagged filesystem?
 * @inode: the inode
 * @mask: MAY_* of the access
 *
 * Called in RCU path walks: must not sleep.
 *
 * Return: 0 or -EACCES.
 */
int vs_tag_permission(struct inode *inode, int mask)
{
	const struct vs_cred *vc = vserver_cred(current_cred());
	long tag;

	if (vc->xid == VX_HOST_XID || vc->xid == VX_WATCH_XID)
		return 0;
	tag = vs_inode_tag(inode);
	if (tag <= 0 || tag == vc->tag)
		return 0;
	return -EACCES;
}

/* FS_IOC_FSSETXATTR on a tagged filesystem: only the host retags */
int vs_tag_change(struct inode *inode)
{
	return vx_current_xid() == VX_HOST_XID ? 0 : -EPERM;
}

/**
 * vs_tag_migrate - give the caller another tag
 * @tag: 0..VX_MAX_TAG
 *
 * Files the caller creates on tagged filesystems get it from now on; it
 * lasts until the caller enters a context (which sets its xid as tag).
 *
 * Return: 0 or a negative errno.
 */
long vs_tag_migrate(u32 tag)
{
	struct cred *new;

	if (tag > VX_MAX_TAG)
		return -EINVAL;
	new = prepare_creds();
	if (!new)
		return -ENOMEM;
	vserver_cred(new)->tag = tag;
	return commit_creds(new);
}
