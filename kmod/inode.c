// SPDX-License-Identifier: GPL-2.0
/*
 * vserver module - inode attributes.
 *
 * The hook layer keeps the IATTR_* word of each inode's "security.vserver"
 * extended attribute; here is what it means and who may change it:
 * - IATTR_BARRIER on a directory: no task of a context may pass it
 *   (util-vserver puts it on the parent of every guest root);
 * - IATTR_IMMUTABLE: nobody writes the file or changes its attributes,
 *   links or names (a directory: its entries), as chattr +i;
 * - IATTR_IXUNLINK with it: ... except its names (link, unlink, rename):
 *   a file that unification shares between guests, which each guest may
 *   delete or replace but none may change; opening it for writing gives
 *   the opener a private copy (cow.c).
 * IATTR_TAG is the file's tag (tag.c), for files of a filesystem that
 * keeps project ids.
 */
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/xattr.h>
#include <linux/vserver.h>

#include "context.h"
#include "inode.h"

/*
 * The attributes that mean something for @inode; @tag is its tag, or
 * negative if its filesystem keeps none (then no IATTR_TAG).
 */
static u32 vs_iattr_applicable(struct inode *inode, long tag)
{
	u32 has_tag = tag >= 0 ? IATTR_TAG : 0;

	if (S_ISDIR(inode->i_mode))
		return IATTR_BARRIER | IATTR_IMMUTABLE | has_tag;
	if (S_ISREG(inode->i_mode))
		return IATTR_IMMUTABLE | IATTR_IXUNLINK | has_tag;
	return 0;
}

static long vs_iattr(const struct path *path, struct vs_iattr *a, bool set)
{
	struct dentry *dentry = path->dentry;
	struct inode *inode = d_backing_inode(dentry);
	long tag = vs_inode_tag(inode);
	u32 applicable = vs_iattr_applicable(inode, tag);
	u32 old = vserver_inode_flags(inode);
	u32 mask = a->mask & ~IATTR_TAG;
	__le32 value;
	u32 new;
	long ret;

	if (!set) {
		a->flags = old & applicable;
		a->mask = applicable;
		a->tag = applicable & IATTR_TAG ? tag : 0;
		return 0;
	}
	if (a->mask & ~applicable)
		return -EINVAL;
	if ((a->mask & IATTR_TAG) && a->tag > VX_MAX_TAG)
		return -EINVAL;
	/* Linux-VServer asked for this too: the attribute guards the host */
	if (!capable(CAP_LINUX_IMMUTABLE))
		return -EPERM;
	if (a->mask & IATTR_TAG) {
		ret = vs_set_tag(path, a->tag);
		if (ret)
			return ret;
	}
	new = (old & ~mask) | (a->flags & mask);
	if (new == old)
		return 0;

	ret = mnt_want_write(path->mnt);
	if (ret)
		return ret;
	if (new) {
		value = cpu_to_le32(new);
		ret = vfs_setxattr(mnt_idmap(path->mnt), dentry, VSERVER_XATTR,
				   &value, sizeof(value), 0);
	} else {
		ret = vfs_removexattr(mnt_idmap(path->mnt), dentry,
				      VSERVER_XATTR);
	}
	mnt_drop_write(path->mnt);
	return ret;
}

/**
 * vs_iattr_path - get or set the attributes of the file named @uname
 * @uname: user pointer to a NUL-terminated path (a last symlink is not
 *         followed)
 * @a: in/out: IATTR_* values in flags; in mask the applicable bits (get)
 *     or the bits to change (set); the tag (IATTR_TAG in mask)
 * @set: set rather than get
 *
 * Return: 0 or a negative errno (-EINVAL for a bit that does not apply,
 * -EOPNOTSUPP on a filesystem without extended attributes).
 */
long vs_iattr_path(u64 uname, struct vs_iattr *a, bool set)
{
	struct path path;
	long ret;

	ret = user_path_at(AT_FDCWD, u64_to_user_ptr(uname), 0, &path);
	if (ret)
		return ret;
	ret = vs_iattr(&path, a, set);
	path_put(&path);
	return ret;
}

/* The same for the file open as @fd */
long vs_iattr_fd(u32 fd, struct vs_iattr *a, bool set)
{
	struct fd f = fdget(fd);
	long ret;

	if (!fd_file(f))
		return -EBADF;
	ret = vs_iattr(&fd_file(f)->f_path, a, set);
	fdput(f);
	return ret;
}

/**
 * vs_inode_permission - may current use @inode, which has attributes?
 * @inode: the inode
 * @flags: its IATTR_* bits (not 0)
 * @mask: MAY_* of the access
 *
 * An immutable inode is written by nobody.  A barrier stops every task
 * of a context; the spectator may look (read, search) but not write; the
 * host passes.  Called in RCU path walks: must not sleep.
 *
 * Return: 0, -EPERM or -EACCES.
 */
int vs_inode_permission(struct inode *inode, u32 flags, int mask)
{
	u32 xid;

	if ((flags & IATTR_IMMUTABLE) && (mask & (MAY_WRITE | MAY_APPEND)))
		return -EPERM;
	if (!(flags & IATTR_BARRIER) || !S_ISDIR(inode->i_mode))
		return 0;
	xid = vx_current_xid();
	if (xid == VX_HOST_XID)
		return 0;
	if (xid == VX_WATCH_XID && !(mask & (MAY_WRITE | MAY_APPEND)))
		return 0;
	return -EACCES;
}

/**
 * vs_inode_change - may @inode, which has attributes, change?
 * @inode: the inode
 * @flags: its IATTR_* bits (not 0)
 * @what: the change
 *
 * Nothing of an immutable inode changes but its "security.vserver"
 * attribute (which the host may clear); with IXUNLINK its names may come
 * and go (unification links it into guests, which may delete it).
 *
 * Return: 0 or -EPERM.
 */
int vs_inode_change(struct inode *inode, u32 flags, enum vs_inode_change what)
{
	if (!(flags & IATTR_IMMUTABLE))
		return 0;
	if ((what == VS_INODE_UNLINK || what == VS_INODE_LINK) &&
	    (flags & IATTR_IXUNLINK) && !S_ISDIR(inode->i_mode))
		return 0;
	return -EPERM;
}

/* Only the host changes "security.vserver". */
int vs_xattr_change(struct dentry *dentry)
{
	return vx_current_xid() == VX_HOST_XID ? 0 : -EPERM;
}
