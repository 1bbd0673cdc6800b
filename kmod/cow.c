// SPDX-License-Identifier: GPL-2.0
/*
 * vserver module - copy-on-write of unified files.
 *
 * vhashify hard-links identical files of several guests to one inode and
 * marks it IATTR_IMMUTABLE | IATTR_IXUNLINK: nobody may write it, every
 * guest may unlink or replace its name.  When a task opens such a file
 * for writing, the hook in do_open() (kernel-patches: "namei: let the
 * vserver module break a unified file's link on open") calls
 * vs_cow_break(), which gives the name a private copy:
 *
 *  1. a tmpfile in the file's directory, made with the opener's
 *     credentials (so the opener must be allowed to create there, and on
 *     a tagged filesystem the copy gets the opener's tag), gets the data,
 *     owner, times, mode, ACL and extended attributes but ours;
 *  2. under the directory's lock, if the name still is the shared inode,
 *     the tmpfile is linked under a temporary name and renamed over it:
 *     the name never goes missing, and a crash leaves either the shared
 *     file or the copy (at worst a ".vcow.*" name beside it);
 *  3. -ESTALE makes do_filp_open() walk the path again and open the copy.
 *
 * The data is copied before the lock is taken: the shared file is
 * immutable, so it cannot change meanwhile.  Two openers racing both
 * copy; the second finds the name changed, drops its copy and walks again
 * to the first one's, so no write goes to a file that is then replaced.
 */
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/posix_acl.h>
#include <linux/posix_acl_xattr.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/xattr.h>
#include <linux/vserver.h>

#include "context.h"
#include "inode.h"

#define VS_COW_FLAGS	(IATTR_IMMUTABLE | IATTR_IXUNLINK)

static int vs_cow_copy_data(struct file *from, struct file *to)
{
	loff_t size = i_size_read(file_inode(from));
	loff_t pos = 0;
	ssize_t n;

	while (pos < size) {
		n = vfs_copy_file_range(from, pos, to, pos, size - pos, 0);
		if (n < 0)
			return n;
		if (!n)
			return -EIO;	/* shorter than its size: cannot be */
		pos += n;
		cond_resched();
	}
	return 0;
}

/* Owner and times first (a chown clears set-id bits), then the mode */
static int vs_cow_copy_attrs(struct mnt_idmap *idmap, struct inode *src,
			     struct dentry *dst)
{
	struct inode *inode = d_inode(dst);
	struct iattr ia = {
		.ia_valid = ATTR_UID | ATTR_GID | ATTR_ATIME | ATTR_MTIME |
			    ATTR_ATIME_SET | ATTR_MTIME_SET,
		.ia_vfsuid = i_uid_into_vfsuid(idmap, src),
		.ia_vfsgid = i_gid_into_vfsgid(idmap, src),
		.ia_atime = inode_get_atime(src),
		.ia_mtime = inode_get_mtime(src),
	};
	int ret;

	inode_lock(inode);
	ret = notify_change(idmap, dst, &ia, NULL);
	if (!ret) {
		ia.ia_valid = ATTR_MODE;
		ia.ia_mode = src->i_mode;
		ret = notify_change(idmap, dst, &ia, NULL);
	}
	inode_unlock(inode);
	return ret;
}

static int vs_cow_copy_acl(struct mnt_idmap *idmap, struct dentry *from,
			   struct dentry *to)
{
	struct posix_acl *acl;
	int ret;

	acl = vfs_get_acl(idmap, from, XATTR_NAME_POSIX_ACL_ACCESS);
	if (IS_ERR(acl)) {
		ret = PTR_ERR(acl);
		return ret == -ENODATA || ret == -EOPNOTSUPP ? 0 : ret;
	}
	if (!acl)
		return 0;
	ret = vfs_set_acl(idmap, to, XATTR_NAME_POSIX_ACL_ACCESS, acl);
	posix_acl_release(acl);
	return ret;
}

/* Every extended attribute but ours (the copy is a plain file) */
static int vs_cow_copy_xattrs(struct mnt_idmap *idmap, struct dentry *from,
			      struct dentry *to)
{
	char *names, *name, *value = NULL;
	ssize_t len, size;
	int ret = 0;

	len = vfs_listxattr(from, NULL, 0);
	if (len <= 0)
		return len == -EOPNOTSUPP ? 0 : len;
	names = kvmalloc(len, GFP_KERNEL);
	if (!names)
		return -ENOMEM;
	len = vfs_listxattr(from, names, len);
	if (len < 0)
		ret = len;
	for (name = names; !ret && name < names + len;
	     name += strlen(name) + 1) {
		if (!strcmp(name, VSERVER_XATTR) || is_posix_acl_xattr(name))
			continue;
		size = vfs_getxattr(idmap, from, name, NULL, 0);
		if (size < 0) {
			ret = size;
			break;
		}
		kvfree(value);
		value = kvmalloc(max_t(ssize_t, size, 1), GFP_KERNEL);
		if (!value) {
			ret = -ENOMEM;
			break;
		}
		size = vfs_getxattr(idmap, from, name, value, size);
		if (size < 0)
			ret = size;
		else
			ret = vfs_setxattr(idmap, to, name, value, size, 0);
	}
	kvfree(value);
	kvfree(names);
	return ret ?: vs_cow_copy_acl(idmap, from, to);
}

/* A private copy of @path's file, not linked anywhere yet */
static struct file *vs_cow_copy(const struct path *path,
				const struct path *parent)
{
	struct mnt_idmap *idmap = mnt_idmap(path->mnt);
	struct inode *src = d_backing_inode(path->dentry);
	struct file *from, *to;
	long tag;
	int ret;

	from = dentry_open(path, O_RDONLY | O_LARGEFILE, current_cred());
	if (IS_ERR(from))
		return from;
	ret = mnt_want_write(path->mnt);
	if (ret) {
		fput(from);
		return ERR_PTR(ret);
	}
	to = kernel_tmpfile_open(idmap, parent, S_IFREG | 0600,
				 O_RDWR | O_LARGEFILE, current_cred());
	mnt_drop_write(path->mnt);
	if (IS_ERR(to)) {
		fput(from);
		return to;
	}
	/* the copy takes the freeze protection itself: not nested in ours */
	ret = vs_cow_copy_data(from, to);
	fput(from);
	if (!ret)
		ret = mnt_want_write(path->mnt);
	if (!ret) {
		ret = vs_cow_copy_attrs(idmap, src, to->f_path.dentry);
		if (!ret)
			ret = vs_cow_copy_xattrs(idmap, path->dentry,
						 to->f_path.dentry);
		mnt_drop_write(path->mnt);
	}
	/* the host keeps the shared file's tag; a context's copy is its own */
	tag = vs_inode_tag(src);
	if (!ret && tag > 0 && !vs_current_tag())
		ret = vs_set_tag(&to->f_path, tag);
	if (ret) {
		fput(to);	/* never linked: the filesystem frees it */
		return ERR_PTR(ret);
	}
	return to;
}

/*
 * Put @copy in the place of @path's name if that still is @src.  The
 * directory is locked as rename wants it (both ends in one directory).
 */
static int vs_cow_replace(const struct path *path, const struct path *parent,
			  struct inode *src, struct file *copy)
{
	struct mnt_idmap *idmap = mnt_idmap(path->mnt);
	struct dentry *dentry = path->dentry;
	struct inode *dir = d_inode(parent->dentry);
	struct renamedata rd = {};
	struct dentry *temp;
	char name[40];
	int ret;

	snprintf(name, sizeof(name), ".vcow.%lu.%08x", src->i_ino,
		 get_random_u32());
	inode_lock_nested(dir, I_MUTEX_PARENT);
	ret = -ESTALE;		/* renamed or replaced meanwhile: walk again */
	if (dentry->d_parent != parent->dentry || d_unhashed(dentry) ||
	    d_backing_inode(dentry) != src)
		goto out;
	temp = lookup_one_len(name, parent->dentry, strlen(name));
	ret = PTR_ERR(temp);
	if (IS_ERR(temp))
		goto out;
	ret = -EEXIST;
	if (d_really_is_negative(temp))
		ret = vfs_link(copy->f_path.dentry, idmap, dir, temp, NULL);
	if (!ret) {
		rd.old_mnt_idmap = idmap;
		rd.old_dir = dir;
		rd.old_dentry = temp;
		rd.new_mnt_idmap = idmap;
		rd.new_dir = dir;
		rd.new_dentry = dentry;
		ret = vfs_rename(&rd);
		if (ret)
			vfs_unlink(idmap, dir, temp, NULL);
	}
	dput(temp);
out:
	inode_unlock(dir);
	return ret;
}

/**
 * vs_cow_break - give a unified file opened for writing a private copy
 * @path: the file, a regular file being opened for writing
 * @flags: its IATTR_* bits
 *
 * Return: 0 if the file is not unified (the open goes on), -ESTALE when
 * the name now holds a private copy (the open walks the path again), or
 * a negative errno the open fails with (-EACCES: the opener may not
 * write the file; -EROFS; -EDQUOT, -ENOSPC: no room for the copy).
 */
int vs_cow_break(const struct path *path, u32 flags)
{
	struct inode *src = d_backing_inode(path->dentry);
	struct path parent;
	struct file *copy;
	int ret;

	if ((flags & VS_COW_FLAGS) != VS_COW_FLAGS)
		return 0;
	/* as if the file were not immutable: may the opener write it? */
	ret = generic_permission(mnt_idmap(path->mnt), src, MAY_WRITE);
	if (ret)
		return ret;
	parent.mnt = path->mnt;
	parent.dentry = dget_parent(path->dentry);
	copy = vs_cow_copy(path, &parent);
	if (IS_ERR(copy)) {
		ret = PTR_ERR(copy);
	} else {
		ret = mnt_want_write(path->mnt);
		if (!ret) {
			ret = vs_cow_replace(path, &parent, src, copy);
			mnt_drop_write(path->mnt);
		}
		fput(copy);
	}
	dput(parent.dentry);
	return ret ?: -ESTALE;
}
