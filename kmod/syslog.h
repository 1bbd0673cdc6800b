/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vserver module - a context's own kernel log.
 */
#ifndef _VSERVER_SYSLOG_H
#define _VSERVER_SYSLOG_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct file;
struct inode;

/**
 * struct vx_log - the kernel log of a context (ccap SYSLOG)
 * @lock: protects the rest
 * @recs: records, oldest first
 * @next_seq: sequence number of the next record
 * @clear_seq: first record after the last clear
 * @read_seq: next record for syslog(2) READ
 * @size: text bytes in @recs
 * @count: records in @recs
 * @dead: the context has ended; nothing is kept any more
 * @wait: readers waiting for a record
 */
struct vx_log {
	spinlock_t lock;
	struct list_head recs;
	u64 next_seq;
	u64 clear_seq;
	u64 read_seq;
	size_t size;
	unsigned int count;
	bool dead;
	wait_queue_head_t wait;
};

void vx_log_init(struct vx_log *log);
void vx_log_free(struct vx_log *log);
bool vx_syslog(int type, char __user *buf, int len, int *ret);
bool vx_kmsg_open(struct inode *inode, struct file *file, int *ret);

#endif /* _VSERVER_SYSLOG_H */
