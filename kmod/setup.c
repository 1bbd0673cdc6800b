// SPDX-License-Identifier: GPL-2.0
/*
 * vserver module - load and unload.
 *
 * The module supplies the policy of vserver-ng to the kernel's built-in
 * hook layer (CONFIG_VSERVER).  It cannot be unloaded while a context
 * exists: every context holds a reference on the module until it ends.
 * Callbacks still running when the last context ends are waited for:
 * ioctls by the open file's module reference, task events by
 * vserver_unregister_ops(), deferred ends by destroy_workqueue().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/vserver.h>

#include "cgroup.h"
#include "context.h"
#include "inode.h"
#include "internal.h"
#include "limit.h"
#include "network.h"
#include "proc.h"

static int __init vserver_init(void)
{
	int ret;

	ret = vs_context_init();
	if (ret)
		return ret;
	ret = vs_cgroup_init();
	if (ret)
		goto out_context;
	ret = vs_network_init();
	if (ret)
		goto out_cgroup;
	ret = vs_proc_init();
	if (ret)
		goto out_network;
	/* task events are counted before the first command can come in */
	ret = vserver_register_ops(&vs_ops);
	if (ret == -EOPNOTSUPP)
		pr_err("the \"vserver\" LSM is not active: add it to CONFIG_LSM or boot with lsm=...,vserver\n");
	if (ret)
		goto out_proc;
	ret = vs_dev_init();
	if (ret)
		goto out_ops;
	vs_cvirt_init();
	pr_info("Linux-VServer API %04x:%04x ready on /dev/vserver\n",
		VCI_VERSION >> 16, VCI_VERSION & 0xFFFF);
	return 0;

out_ops:
	vserver_unregister_ops(&vs_ops);
out_proc:
	vs_proc_exit();
out_network:
	vs_network_exit();
out_cgroup:
	vs_cgroup_exit();
out_context:
	vs_context_exit();
	return ret;
}

static void __exit vserver_exit(void)
{
	vs_dev_exit();
	vs_cvirt_exit();
	vserver_unregister_ops(&vs_ops);
	vs_dlimit_exit();
	vs_proc_exit();
	vs_network_exit();
	vs_cgroup_exit();
	vs_context_exit();
}

module_init(vserver_init);
module_exit(vserver_exit);

MODULE_DESCRIPTION("vserver-ng: Linux-VServer style security contexts");
MODULE_LICENSE("GPL");
