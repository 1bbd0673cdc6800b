/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vserver module - inode attributes (barrier, immutable, iunlink).
 */
#ifndef _VSERVER_INODE_H
#define _VSERVER_INODE_H

#include <linux/types.h>
#include <linux/vserver.h>
#include <linux/vserver_hook.h>

struct dentry;
struct inode;

struct path;
struct super_block;

/* get/set_iattr's fields */
struct vs_iattr {
	u32 tag;
	u32 flags;
	u32 mask;
};

long vs_iattr_path(u64 uname, struct vs_iattr *a, bool set);
long vs_iattr_fd(u32 fd, struct vs_iattr *a, bool set);
int vs_inode_permission(struct inode *inode, u32 flags, int mask);
int vs_inode_change(struct inode *inode, u32 flags, enum vs_inode_change what);
int vs_xattr_change(struct dentry *dentry);

/* tag.c */
long vs_inode_tag(struct inode *inode);
u32 vs_current_tag(void);
int vs_set_tag(const struct path *path, u32 tag);
int vs_tag_permission(struct inode *inode, int mask);
int vs_tag_change(struct inode *inode);
long vs_tag_migrate(u32 tag);

/* cow.c */
int vs_cow_break(const struct path *path, u32 flags);

/* dlimit.c */
long vs_dlimit_add(u32 tag, u64 uname, bool add);
long vs_dlimit_set(u32 tag, struct vcmd_ctx_dlimit_v0 *dl);
long vs_dlimit_get(u32 tag, struct vcmd_ctx_dlimit_v0 *dl);
void vs_dlimit_sb_delete(struct super_block *sb);
void vs_dlimit_exit(void);

#endif /* _VSERVER_INODE_H */
