/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vserver module - inode attributes (the barrier).
 */
#ifndef _VSERVER_INODE_H
#define _VSERVER_INODE_H

#include <linux/types.h>

struct dentry;
struct inode;

long vs_iattr_path(u64 uname, u32 *flags, u32 *mask, bool set);
long vs_iattr_fd(u32 fd, u32 *flags, u32 *mask, bool set);
int vs_inode_permission(struct inode *inode, u32 flags, int mask);
int vs_xattr_change(struct dentry *dentry);

#endif /* _VSERVER_INODE_H */
