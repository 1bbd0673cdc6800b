/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vserver module - /proc/virtual.
 */
#ifndef _VSERVER_PROC_H
#define _VSERVER_PROC_H

struct proc_dir_entry;
struct seq_file;
struct task_struct;
struct nx_info;
struct vx_info;

int vs_proc_init(void);
void vs_proc_exit(void);
int vx_proc_create(struct vx_info *vx);
void vx_proc_remove(struct vx_info *vx);
int nx_proc_create(struct nx_info *nx);
void nx_proc_remove(struct nx_info *nx);
void vs_proc_vinfo(struct seq_file *m, struct task_struct *task);
void vs_proc_ninfo(struct seq_file *m, struct task_struct *task);
bool vs_proc_visible(const struct proc_dir_entry *parent, const char *name);

#endif /* _VSERVER_PROC_H */
