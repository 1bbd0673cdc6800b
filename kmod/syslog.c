// SPDX-License-Identifier: GPL-2.0
/*
 * vserver module - a context's own kernel log (context capability SYSLOG).
 *
 * Inside a context, syslog(2) and /dev/kmsg never reach the host's log:
 * neither its messages (which anybody may read unless dmesg_restrict is
 * set) nor a guest's writes.  Without SYSLOG they are refused.  With it,
 * root of the context gets a small log of its own: what its tasks write
 * to /dev/kmsg, read back with dmesg through syslog(2) or /dev/kmsg in
 * the kernel's formats, cleared with dmesg -c.  The console actions stay
 * the host's.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/syslog.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "context.h"
#include "syslog.h"

#define VX_LOG_SIZE	(64 * 1024)	/* text kept per context */
#define VX_LOG_RECS	1024		/* records kept per context */
#define VX_LOG_LINE	1024		/* longest record */
/* A formatted record: header + text, escaped up to 4 bytes a byte (kmsg) */
#define VX_LOG_FMT	(64 + 4 * VX_LOG_LINE)
/* Everything syslog(2) READ_ALL could return, formatted */
#define VX_LOG_ALL	(VX_LOG_SIZE + VX_LOG_RECS * 64)

#define VX_LOG_USER	1	/* facility of /dev/kmsg writes (LOG_USER) */
#define VX_LOG_LEVEL	4	/* their default level (warning) */
#define VX_LOG_LAST	23	/* the last facility (LOG_LOCAL7) */

struct vx_log_rec {
	struct list_head list;
	u64 seq;
	u64 ts_nsec;
	u8 prio;		/* facility << 3 | level */
	u16 len;
	char text[];
};

void vx_log_init(struct vx_log *log)
{
	spin_lock_init(&log->lock);
	INIT_LIST_HEAD(&log->recs);
	init_waitqueue_head(&log->wait);
}

/* The context ends: drop what it logged; open /dev/kmsg files see EOF. */
void vx_log_free(struct vx_log *log)
{
	struct vx_log_rec *rec, *tmp;
	LIST_HEAD(gone);

	spin_lock(&log->lock);
	log->dead = true;
	list_splice_init(&log->recs, &gone);
	log->size = 0;
	log->count = 0;
	spin_unlock(&log->lock);
	list_for_each_entry_safe(rec, tmp, &gone, list)
		kfree(rec);
	wake_up_interruptible_all(&log->wait);
}

static u64 vx_log_first_seq(struct vx_log *log)
{
	lockdep_assert_held(&log->lock);
	if (list_empty(&log->recs))
		return log->next_seq;
	return list_first_entry(&log->recs, struct vx_log_rec, list)->seq;
}

/* Append a record; the oldest go when the log is full. */
static void vx_log_add(struct vx_log *log, u8 prio, const char *text,
		       size_t len)
{
	struct vx_log_rec *rec, *old;

	rec = kmalloc(struct_size(rec, text, len), GFP_KERNEL);
	if (!rec)
		return;
	rec->ts_nsec = local_clock();
	rec->prio = prio;
	rec->len = len;
	memcpy(rec->text, text, len);

	spin_lock(&log->lock);
	if (log->dead) {
		spin_unlock(&log->lock);
		kfree(rec);
		return;
	}
	rec->seq = log->next_seq++;
	list_add_tail(&rec->list, &log->recs);
	log->size += len;
	log->count++;
	while (log->size > VX_LOG_SIZE || log->count > VX_LOG_RECS) {
		old = list_first_entry(&log->recs, struct vx_log_rec, list);
		list_del(&old->list);
		log->size -= old->len;
		log->count--;
		kfree(old);
	}
	spin_unlock(&log->lock);
	wake_up_interruptible(&log->wait);
}

/*
 * One record as syslog(2) gives it ("<6>[   12.345678] text\n") or as
 * /dev/kmsg does ("6,SEQ,USEC,-;text\n", unprintable bytes escaped).
 * Writes at most @size bytes to @buf (none if @buf is NULL) and returns
 * the full length.
 */
static size_t vx_log_format(const struct vx_log_rec *rec, char *buf,
			    size_t size, bool kmsg)
{
	u64 usec = div_u64(rec->ts_nsec, NSEC_PER_USEC);
	char head[64], esc[5];
	size_t n, i, e;

	if (kmsg)
		n = scnprintf(head, sizeof(head), "%u,%llu,%llu,-;",
			      rec->prio, rec->seq, usec);
	else
		n = scnprintf(head, sizeof(head), "<%u>[%5llu.%06llu] ",
			      rec->prio, div_u64(usec, USEC_PER_SEC),
			      usec % USEC_PER_SEC);
	if (buf)
		memcpy(buf, head, min(n, size));
	for (i = 0; i < rec->len; i++) {
		unsigned char c = rec->text[i];

		if (kmsg && (c < ' ' || c >= 127 || c == '\\'))
			e = scnprintf(esc, sizeof(esc), "\\x%02x", c);
		else
			esc[0] = c, e = 1;
		if (buf && n + e <= size)
			memcpy(buf + n, esc, e);
		n += e;
	}
	if (buf && n < size)
		buf[n] = '\n';
	return n + 1;
}

/* SYSLOG_ACTION_READ: wait for unread records, hand out those that fit. */
static int vx_log_read(struct vx_log *log, char __user *ubuf, int len)
{
	size_t size = min_t(size_t, len, VX_LOG_FMT);
	struct vx_log_rec *rec;
	size_t n = 0, one;
	char *buf;
	int ret;

	ret = wait_event_interruptible(log->wait, READ_ONCE(log->dead) ||
				       READ_ONCE(log->read_seq) !=
				       READ_ONCE(log->next_seq));
	if (ret)
		return ret;
	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	spin_lock(&log->lock);
	log->read_seq = max(log->read_seq, vx_log_first_seq(log));
	list_for_each_entry(rec, &log->recs, list) {
		if (rec->seq < log->read_seq)
			continue;
		/* a record too long for the whole buffer is cut */
		one = vx_log_format(rec, buf + n, size - n, false);
		if (n && n + one > size)
			break;
		n += min(one, size - n);
		log->read_seq = rec->seq + 1;
	}
	spin_unlock(&log->lock);
	ret = copy_to_user(ubuf, buf, n) ? -EFAULT : n;
	kfree(buf);
	return ret;
}

/*
 * SYSLOG_ACTION_READ_ALL, READ_CLEAR: the newest records since the last
 * clear that fit in @len, oldest first.
 */
static int vx_log_read_all(struct vx_log *log, char __user *ubuf, int len,
			   bool clear)
{
	size_t size = min_t(size_t, len, VX_LOG_ALL);
	struct vx_log_rec *rec, *from = NULL;
	size_t n = 0, total = 0, one;
	char *buf;
	int ret;

	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	spin_lock(&log->lock);
	list_for_each_entry_reverse(rec, &log->recs, list) {
		if (rec->seq < log->clear_seq)
			break;
		one = vx_log_format(rec, NULL, 0, false);
		if (total + one > size)
			break;
		total += one;
		from = rec;
	}
	if (from) {
		rec = from;
		list_for_each_entry_from(rec, &log->recs, list)
			n += vx_log_format(rec, buf + n, size - n, false);
	}
	if (clear)
		log->clear_seq = log->next_seq;
	spin_unlock(&log->lock);
	ret = copy_to_user(ubuf, buf, n) ? -EFAULT : n;
	kvfree(buf);
	return ret;
}

/* SYSLOG_ACTION_SIZE_UNREAD: bytes READ would hand out now */
static int vx_log_unread(struct vx_log *log)
{
	struct vx_log_rec *rec;
	int n = 0;

	spin_lock(&log->lock);
	list_for_each_entry(rec, &log->recs, list)
		if (rec->seq >= log->read_seq)
			n += vx_log_format(rec, NULL, 0, false);
	spin_unlock(&log->lock);
	return n;
}

/**
 * vx_syslog - syslog(2) of a task in a context
 * @type: SYSLOG_ACTION_*
 * @buf: user buffer of the read actions
 * @len: its size (console level for CONSOLE_LEVEL)
 * @ret: the result, when this returns true
 *
 * Return: false for the host and the spectator (the kernel's log), true
 * with @ret set for a context.
 */
bool vx_syslog(int type, char __user *buf, int len, int *ret)
{
	struct vx_info *vx = vx_current();
	struct vx_log *log;

	if (!vx)
		return false;
	log = &vx->log;
	if (!vx_ccap(current_cred(), VXC_SYSLOG)) {
		*ret = -EPERM;
		return true;
	}
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		*ret = 0;
		break;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!buf || len < 0) {
			*ret = -EINVAL;
		} else if (!len) {
			*ret = 0;
		} else if (type == SYSLOG_ACTION_READ) {
			*ret = vx_log_read(log, buf, len);
		} else {
			*ret = vx_log_read_all(log, buf, len,
					       type == SYSLOG_ACTION_READ_CLEAR);
		}
		break;
	case SYSLOG_ACTION_CLEAR:
		spin_lock(&log->lock);
		log->clear_seq = log->next_seq;
		spin_unlock(&log->lock);
		*ret = 0;
		break;
	case SYSLOG_ACTION_CONSOLE_OFF:
	case SYSLOG_ACTION_CONSOLE_ON:
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		*ret = -EPERM;	/* the console is the host's */
		break;
	case SYSLOG_ACTION_SIZE_UNREAD:
		*ret = vx_log_unread(log);
		break;
	case SYSLOG_ACTION_SIZE_BUFFER:
		*ret = VX_LOG_SIZE;
		break;
	default:
		*ret = -EINVAL;
	}
	return true;
}

/* An open /dev/kmsg of a context */
struct vx_kmsg {
	struct vx_info *vx;
	struct mutex lock;	/* serializes readers of this file */
	u64 seq;		/* next record to read */
	char buf[VX_LOG_FMT];
};

static ssize_t vx_kmsg_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct vx_kmsg *user = file->private_data;
	struct vx_log *log = &user->vx->log;
	struct vx_log_rec *rec;
	bool found = false;
	ssize_t ret;
	size_t n = 0;

	ret = mutex_lock_interruptible(&user->lock);
	if (ret)
		return ret;
	for (;;) {
		spin_lock(&log->lock);
		if (log->dead) {
			spin_unlock(&log->lock);
			goto out;	/* the context is gone: end of file */
		}
		if (user->seq < vx_log_first_seq(log)) {
			/* what this reader had not read yet was dropped */
			user->seq = vx_log_first_seq(log);
			spin_unlock(&log->lock);
			ret = -EPIPE;
			goto out;
		}
		list_for_each_entry(rec, &log->recs, list) {
			if (rec->seq == user->seq) {
				n = vx_log_format(rec, user->buf,
						  sizeof(user->buf), true);
				found = true;
				break;
			}
		}
		spin_unlock(&log->lock);
		if (found)
			break;
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			goto out;
		}
		ret = wait_event_interruptible(log->wait,
					       READ_ONCE(log->dead) ||
					       READ_ONCE(log->next_seq) >
					       user->seq);
		if (ret)
			goto out;
	}
	if (n > count) {
		ret = -EINVAL;	/* as the kernel's: one whole record a read */
		goto out;
	}
	if (copy_to_user(ubuf, user->buf, n)) {
		ret = -EFAULT;
		goto out;
	}
	user->seq++;
	ret = n;
out:
	mutex_unlock(&user->lock);
	return ret;
}

/* A write is one record; "<N>" in front sets its level (and facility). */
static ssize_t vx_kmsg_write(struct kiocb *iocb, struct iov_iter *from)
{
	struct vx_kmsg *user = iocb->ki_filp->private_data;
	size_t len = iov_iter_count(from);
	unsigned int prio = VX_LOG_USER << 3 | VX_LOG_LEVEL;
	char *line, *text, *end;
	unsigned long u;
	ssize_t ret = len;

	if (len > VX_LOG_LINE)
		return -EINVAL;
	line = kmalloc(len + 1, GFP_KERNEL);
	if (!line)
		return -ENOMEM;
	if (!copy_from_iter_full(line, len, from)) {
		kfree(line);
		return -EFAULT;
	}
	line[len] = '\0';
	text = line;
	if (text[0] == '<') {
		u = simple_strtoul(text + 1, &end, 10);
		if (end > text + 1 && *end == '>') {
			/* the kernel's facility (0) is not the guest's */
			prio = clamp(u >> 3, VX_LOG_USER, VX_LOG_LAST) << 3 |
			       (u & 7);
			text = end + 1;
		}
	}
	len = strlen(text);
	if (len && text[len - 1] == '\n')
		len--;
	if (len)
		vx_log_add(&user->vx->log, prio, text, len);
	kfree(line);
	return ret;
}

static loff_t vx_kmsg_llseek(struct file *file, loff_t offset, int whence)
{
	struct vx_kmsg *user = file->private_data;
	struct vx_log *log = &user->vx->log;
	loff_t ret = 0;

	if (offset)
		return -ESPIPE;
	mutex_lock(&user->lock);
	spin_lock(&log->lock);
	switch (whence) {
	case SEEK_SET:
		user->seq = vx_log_first_seq(log);
		break;
	case SEEK_DATA:	/* after the last clear, as dmesg -c left it */
		user->seq = max(log->clear_seq, vx_log_first_seq(log));
		break;
	case SEEK_END:
		user->seq = log->next_seq;
		break;
	default:
		ret = -EINVAL;
	}
	spin_unlock(&log->lock);
	mutex_unlock(&user->lock);
	return ret;
}

static __poll_t vx_kmsg_poll(struct file *file, poll_table *wait)
{
	struct vx_kmsg *user = file->private_data;
	struct vx_log *log = &user->vx->log;
	__poll_t ret = 0;

	poll_wait(file, &log->wait, wait);
	spin_lock(&log->lock);
	if (log->dead)
		ret = EPOLLHUP;
	else if (user->seq < vx_log_first_seq(log))
		ret = EPOLLIN | EPOLLRDNORM | EPOLLERR | EPOLLPRI;
	else if (user->seq < log->next_seq)
		ret = EPOLLIN | EPOLLRDNORM;
	spin_unlock(&log->lock);
	return ret;
}

static int vx_kmsg_release(struct inode *inode, struct file *file)
{
	struct vx_kmsg *user = file->private_data;

	vx_put(user->vx);
	mutex_destroy(&user->lock);
	kvfree(user);
	return 0;
}

static const struct file_operations vx_kmsg_fops = {
	.owner = THIS_MODULE,
	.read = vx_kmsg_read,
	.write_iter = vx_kmsg_write,
	.llseek = vx_kmsg_llseek,
	.poll = vx_kmsg_poll,
	.release = vx_kmsg_release,
};

/**
 * vx_kmsg_open - open of /dev/kmsg by a task in a context
 * @inode: the device inode
 * @file: the file
 * @ret: the result of the open, when this returns true
 *
 * The file becomes the context's log (with SYSLOG), or the open fails.
 *
 * Return: false for the host and the spectator.
 */
bool vx_kmsg_open(struct inode *inode, struct file *file, int *ret)
{
	struct vx_info *vx = vx_current();
	const struct file_operations *fops;
	struct vx_kmsg *user;

	if (!vx)
		return false;
	if (!vx_ccap(current_cred(), VXC_SYSLOG)) {
		*ret = -EPERM;
		return true;
	}
	user = kvzalloc(sizeof(*user), GFP_KERNEL);
	fops = fops_get(&vx_kmsg_fops);
	if (!user || !fops) {
		kvfree(user);
		fops_put(fops);
		*ret = -ENOMEM;
		return true;
	}
	mutex_init(&user->lock);
	user->vx = vx_get(vx);
	spin_lock(&vx->log.lock);
	user->seq = vx_log_first_seq(&vx->log);
	spin_unlock(&vx->log.lock);
	file->private_data = user;
	replace_fops(file, fops);
	*ret = 0;
	return true;
}
