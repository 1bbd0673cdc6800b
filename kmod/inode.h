/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vserver module - inode attributes (barrier, immutable, iunlink).
 */
#ifndef _VSERVER_INODE_H
#define _VSERVER_INODE_H

#include <linux/types.h>
#include <linux/vserver_hook.h>

struct dentry;
struct inode;

long vs_iattr_path(u64 uname, u32 *flags, u32 *mask, bool set);
long vs_iattr_fd(u32 fd, u32 *flags, u32 *mask, bool set);
int vs_inode_permission(struct inode *inode, u32 flags, int mask);
int vs_inode_change(struct inode *inode, u32 flags, enum vs_inode_change what);
int vs_xattr_change(struct dentry *dentry);

#endif /* _VSERVER_INODE_H */
