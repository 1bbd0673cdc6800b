// SPDX-License-Identifier: GPL-2.0
/*
 * vserver module - disk limits.
 *
 * Linux-VServer kept its own space and inode counters per (filesystem,
 * tag).  The kernel has them already: a tag is a project id, and ext4's
 * project quota counts every block and inode of a project exactly and
 * refuses (EDQUOT) what passes its hard limit.  So a disk limit here is
 * the project quota's hard limits, set and read through the filesystem's
 * quotactl operations as quotactl(2) does; what this file keeps is which
 * limits exist (add/rem_dlimit) and their "reserved" percentage, per
 * superblock, forgotten when the superblock goes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/quota.h>
#include <linux/quotaops.h>
#include <linux/slab.h>
#include <linux/vserver.h>

#include "inode.h"

struct vs_dlimit {
	struct list_head list;
	struct super_block *sb;
	u32 tag;
	u32 reserved;
};

static LIST_HEAD(vs_dlimits);
static DEFINE_MUTEX(vs_dlimit_lock);

static struct vs_dlimit *vs_dlimit_find(struct super_block *sb, u32 tag)
{
	struct vs_dlimit *dl;

	lockdep_assert_held(&vs_dlimit_lock);
	list_for_each_entry(dl, &vs_dlimits, list)
		if (dl->sb == sb && dl->tag == tag)
			return dl;
	return NULL;
}

/* Tags 1..VX_MAX_TAG have limits; 0 is everything untagged */
static bool vs_dlimit_tag_ok(u32 tag)
{
	return tag >= 1 && tag <= VX_MAX_TAG;
}

/*
 * A dlimit command on the filesystem that holds the path @uname: hold the
 * path, for a change its mount's write access, the superblock's s_umount
 * (read, as quotactl(2) does: it keeps umount away) and vs_dlimit_lock,
 * in that order (umount takes s_umount, then vs_dlimit_lock via
 * sb_delete).  EOPNOTSUPP unless the filesystem has project quota.
 */
static int vs_dlimit_begin(u64 uname, struct path *path, bool write)
{
	struct super_block *sb;
	int ret;

	ret = user_path_at(AT_FDCWD, u64_to_user_ptr(uname), LOOKUP_FOLLOW,
			   path);
	if (ret)
		return ret;
	sb = path->dentry->d_sb;
	ret = -EOPNOTSUPP;
	if (!sb->s_qcop || !sb->s_qcop->get_dqblk || !sb->s_qcop->set_dqblk ||
	    !sb->dq_op || !sb->dq_op->get_projid)
		goto fail;
	if (write) {
		ret = mnt_want_write(path->mnt);
		if (ret)
			goto fail;
	}
	down_read(&sb->s_umount);
	mutex_lock(&vs_dlimit_lock);
	return 0;
fail:
	path_put(path);
	return ret;
}

static void vs_dlimit_end(struct path *path, bool write)
{
	mutex_unlock(&vs_dlimit_lock);
	up_read(&path->dentry->d_sb->s_umount);
	if (write)
		mnt_drop_write(path->mnt);
	path_put(path);
}

static struct kqid vs_dlimit_qid(u32 tag)
{
	return make_kqid_projid(make_kprojid(&init_user_ns, tag));
}

/* Turn on the project quota's limits if only its accounting is on */
static int vs_dlimit_enforce(u64 uname)
{
	struct super_block *sb;
	struct path path;
	int ret;

	ret = user_path_at(AT_FDCWD, u64_to_user_ptr(uname), LOOKUP_FOLLOW,
			   &path);
	if (ret)
		return ret;
	sb = path.dentry->d_sb;
	down_write(&sb->s_umount);
	if (!sb->s_qcop || !sb_has_quota_usage_enabled(sb, PRJQUOTA))
		ret = -EOPNOTSUPP;
	else if (!sb_has_quota_limits_enabled(sb, PRJQUOTA))
		ret = sb->s_qcop->quota_enable ?
		      sb->s_qcop->quota_enable(sb, FS_QUOTA_PDQ_ENFD) :
		      -EOPNOTSUPP;
	up_write(&sb->s_umount);
	path_put(&path);
	return ret == -ENOSYS ? -EOPNOTSUPP : ret;
}

/**
 * vs_dlimit_add - add (or remove) the disk limit of @tag
 * @tag: the tag (1..VX_MAX_TAG)
 * @uname: user pointer to a path on the filesystem
 * @add: add rather than remove
 *
 * Adding turns the filesystem's project quota limits on (the accounting
 * must be on: ext4 -O quota,project); the new limit has no bounds yet.
 * Removing clears the project's quota limits.
 *
 * Return: 0, -EEXIST (add: it exists), -ESRCH (remove: none),
 * -EOPNOTSUPP (no project quota there) or another negative errno.
 */
long vs_dlimit_add(u32 tag, u64 uname, bool add)
{
	struct qc_dqblk qc = {};
	struct super_block *sb;
	struct vs_dlimit *dl;
	struct path path;
	long ret;

	if (!vs_dlimit_tag_ok(tag))
		return -EINVAL;
	if (add) {
		ret = vs_dlimit_enforce(uname);
		if (ret)
			return ret;
	}
	ret = vs_dlimit_begin(uname, &path, !add);
	if (ret)
		return ret;
	sb = path.dentry->d_sb;
	dl = vs_dlimit_find(sb, tag);
	if (add && dl) {
		ret = -EEXIST;
	} else if (add) {
		dl = kzalloc(sizeof(*dl), GFP_KERNEL);
		if (dl) {
			dl->sb = sb;
			dl->tag = tag;
			list_add(&dl->list, &vs_dlimits);
		} else {
			ret = -ENOMEM;
		}
	} else if (!dl) {
		ret = -ESRCH;
	} else {
		qc.d_fieldmask = QC_SPC_SOFT | QC_SPC_HARD | QC_INO_SOFT |
				 QC_INO_HARD;
		ret = sb->s_qcop->set_dqblk(sb, vs_dlimit_qid(tag), &qc);
		if (!ret) {
			list_del(&dl->list);
			kfree(dl);
		}
	}
	vs_dlimit_end(&path, !add);
	return ret;
}

/* KiB for struct vcmd_ctx_dlimit_v0, short of its special values */
static u32 vs_kib(u64 bytes)
{
	u64 kib = DIV_ROUND_UP_ULL(bytes, 1024);

	return kib >= CDLIM_KEEP ? CDLIM_KEEP - 1 : kib;
}

static u32 vs_count(u64 n)
{
	return n >= CDLIM_KEEP ? CDLIM_KEEP - 1 : n;
}

/**
 * vs_dlimit_set - change the disk limit of @tag
 * @tag: the tag
 * @d: the new values; CDLIM_KEEP keeps a field, CDLIM_INFINITY is no
 *     limit.  The used fields are what the quota counts: ignored.
 *
 * Return: 0, -ESRCH (no limit for @tag there), -EINVAL (reserved above
 * 100, a total below what is used; nothing changes) or another errno.
 */
long vs_dlimit_set(u32 tag, struct vcmd_ctx_dlimit_v0 *d)
{
	struct qc_dqblk cur = {}, qc = {};
	struct super_block *sb;
	struct vs_dlimit *dl;
	struct path path;
	long ret;

	if (!vs_dlimit_tag_ok(tag) || d->flags)
		return -EINVAL;
	if (d->reserved != CDLIM_KEEP && d->reserved > 100)
		return -EINVAL;
	ret = vs_dlimit_begin(d->name, &path, true);
	if (ret)
		return ret;
	sb = path.dentry->d_sb;
	dl = vs_dlimit_find(sb, tag);
	ret = dl ? sb->s_qcop->get_dqblk(sb, vs_dlimit_qid(tag), &cur) : -ESRCH;
	if (ret)
		goto out;
	if (d->space_total != CDLIM_KEEP) {
		qc.d_fieldmask |= QC_SPC_HARD;
		if (d->space_total != CDLIM_INFINITY)
			qc.d_spc_hardlimit = (u64)d->space_total << 10;
		if (qc.d_spc_hardlimit && qc.d_spc_hardlimit < cur.d_space)
			ret = -EINVAL;
	}
	if (d->inodes_total != CDLIM_KEEP) {
		qc.d_fieldmask |= QC_INO_HARD;
		if (d->inodes_total != CDLIM_INFINITY)
			qc.d_ino_hardlimit = d->inodes_total;
		if (qc.d_ino_hardlimit && qc.d_ino_hardlimit < cur.d_ino_count)
			ret = -EINVAL;
	}
	if (!ret && qc.d_fieldmask)
		ret = sb->s_qcop->set_dqblk(sb, vs_dlimit_qid(tag), &qc);
	if (!ret && d->reserved != CDLIM_KEEP)
		dl->reserved = d->reserved;
out:
	vs_dlimit_end(&path, true);
	return ret;
}

/**
 * vs_dlimit_get - the disk limit of @tag and what it uses
 * @tag: the tag
 * @d: out: every field (space in KiB, CDLIM_INFINITY for no limit)
 *
 * Return: 0, -ESRCH (no limit for @tag there) or another errno.
 */
long vs_dlimit_get(u32 tag, struct vcmd_ctx_dlimit_v0 *d)
{
	struct qc_dqblk qc = {};
	struct super_block *sb;
	struct vs_dlimit *dl;
	struct path path;
	long ret;

	if (!vs_dlimit_tag_ok(tag))
		return -EINVAL;
	ret = vs_dlimit_begin(d->name, &path, false);
	if (ret)
		return ret;
	sb = path.dentry->d_sb;
	dl = vs_dlimit_find(sb, tag);
	ret = dl ? sb->s_qcop->get_dqblk(sb, vs_dlimit_qid(tag), &qc) : -ESRCH;
	if (!ret) {
		d->space_used = vs_kib(qc.d_space);
		d->space_total = qc.d_spc_hardlimit ?
				 vs_kib(qc.d_spc_hardlimit) : CDLIM_INFINITY;
		d->inodes_used = vs_count(qc.d_ino_count);
		d->inodes_total = qc.d_ino_hardlimit ?
				  vs_count(qc.d_ino_hardlimit) : CDLIM_INFINITY;
		d->reserved = dl->reserved;
		d->flags = 0;
	}
	vs_dlimit_end(&path, false);
	return ret;
}

/* @sb is going: its limits with it (the quota itself stays on disk) */
void vs_dlimit_sb_delete(struct super_block *sb)
{
	struct vs_dlimit *dl, *tmp;

	mutex_lock(&vs_dlimit_lock);
	list_for_each_entry_safe(dl, tmp, &vs_dlimits, list) {
		if (dl->sb == sb) {
			list_del(&dl->list);
			kfree(dl);
		}
	}
	mutex_unlock(&vs_dlimit_lock);
}

void vs_dlimit_exit(void)
{
	struct vs_dlimit *dl, *tmp;

	mutex_lock(&vs_dlimit_lock);
	list_for_each_entry_safe(dl, tmp, &vs_dlimits, list) {
		list_del(&dl->list);
		kfree(dl);
	}
	mutex_unlock(&vs_dlimit_lock);
}
