/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vserver module - declarations shared between its files.
 */
#ifndef _VSERVER_INTERNAL_H
#define _VSERVER_INTERNAL_H

#include <linux/types.h>

/* ioctl.c */
long vs_dispatch(u32 cmd, u32 id, void __user *data, u32 size);
long vs_syscall(u32 cmd, u32 id, void __user *data);
int vs_dev_init(void);
void vs_dev_exit(void);

#endif /* _VSERVER_INTERNAL_H */
