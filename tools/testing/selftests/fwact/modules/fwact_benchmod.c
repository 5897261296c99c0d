// SPDX-License-Identifier: GPL-2.0
/*
 * fwact benchmark helper: the baselines the rendezvous engine is measured
 * against. Writing a method name to /sys/kernel/debug/fwact_benchmod/run
 * holds every online CPU once with that method and a no-op callback:
 *
 *	stop_machine	stop_machine(fn, NULL, NULL): one CPU runs fn
 *	stop_machine_all stop_machine(fn, NULL, cpu_online_mask): all do
 *	on_each_cpu	on_each_cpu(fn, NULL, 1): an IPI to every CPU, waited
 *			for (not a rendezvous: the CPUs are not held together)
 *
 * and last_ns then reads how long the call took as the caller saw it. The
 * benchmark program (tools/testing/selftests/fwact/bench/) measures the
 * stall the other CPUs felt itself. Only built for test kernels.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/smp.h>
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

static struct dentry *fwact_benchmod_dir;
static u64 fwact_benchmod_last_ns;

static int fwact_benchmod_stop_fn(void *unused)
{
	return 0;
}

static void fwact_benchmod_ipi_fn(void *unused)
{
}

/* Hold the CPUs once with @method; the caller's elapsed time or -errno. */
static s64 fwact_benchmod_hold(const char *method)
{
	u64 t0 = ktime_get_mono_fast_ns();
	int ret;

	if (!strcmp(method, "stop_machine"))
		ret = stop_machine(fwact_benchmod_stop_fn, NULL, NULL);
	else if (!strcmp(method, "stop_machine_all"))
		ret = stop_machine(fwact_benchmod_stop_fn, NULL,
				   cpu_online_mask);
	else if (!strcmp(method, "on_each_cpu"))
		ret = (on_each_cpu(fwact_benchmod_ipi_fn, NULL, 1), 0);
	else
		return -EINVAL;
	return ret ?: (s64)(ktime_get_mono_fast_ns() - t0);
}

static ssize_t fwact_benchmod_run_write(struct file *file,
					const char __user *ubuf, size_t count,
					loff_t *ppos)
{
	char method[32];
	s64 ns;

	if (count >= sizeof(method))
		return -EINVAL;
	if (copy_from_user(method, ubuf, count))
		return -EFAULT;
	method[count] = '\0';
	ns = fwact_benchmod_hold(strim(method));
	if (ns < 0)
		return ns;
	WRITE_ONCE(fwact_benchmod_last_ns, ns);
	return count;
}

static const struct file_operations fwact_benchmod_run_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = fwact_benchmod_run_write,
	.llseek = noop_llseek,
};

static int __init fwact_benchmod_init(void)
{
	fwact_benchmod_dir = debugfs_create_dir("fwact_benchmod", NULL);
	debugfs_create_file("run", 0200, fwact_benchmod_dir, NULL,
			    &fwact_benchmod_run_fops);
	debugfs_create_u64("last_ns", 0400, fwact_benchmod_dir,
			   &fwact_benchmod_last_ns);
	return 0;
}

static void __exit fwact_benchmod_exit(void)
{
	debugfs_remove(fwact_benchmod_dir);
}

module_init(fwact_benchmod_init);
module_exit(fwact_benchmod_exit);

MODULE_DESCRIPTION("fwact benchmark baselines: stop_machine and on_each_cpu");
MODULE_LICENSE("GPL");
