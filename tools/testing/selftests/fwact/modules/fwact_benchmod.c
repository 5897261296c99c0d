// SPDX-License-Identifier: GPL-2.0
/*
 * fwact benchmark helper: the baselines the rendezvous engine is measured
 * against. Writing a method name to /sys/kernel/debug/fwact_benchmod/run
 * holds every online CPU once with that method and a no-op callback:
 *
 *	noop		nothing: the cost of the write itself
 *	stop_machine	stop_machine(fn, NULL, NULL): one CPU runs fn
 *	stop_machine_all stop_machine(fn, NULL, cpu_online_mask): all do
 *	on_each_cpu	on_each_cpu(fn, NULL, 1): an IPI to every CPU, waited
 *			for (not a rendezvous: the CPUs are not held together)
 *	stop_machine_steps
 *			the peer of the TDX program: its four steps the way
 *			Linux 7.2 runs its own TDX module update, one
 *			stop_machine() on every online CPU whose CPUs
 *			acknowledge every step on one shared counter (below)
 *	engine_one, engine_all, engine_per_core, engine_serial, engine_steps
 *			the fwact rendezvous engine itself (fwact_test_hold())
 *			in stopper context with a no-op program of that mode,
 *			or the four steps of the test backend's test-steps:
 *			the same hold as an activation, without the
 *			activation's path around it
 *	engine_irq_one, engine_irq_all, engine_irq_steps
 *			the same in interrupt context
 *
 * and last_ns then reads how long the call took as the caller saw it
 * (blackout_ns, for the engine, the window it reported). The
 * benchmark program (tools/testing/selftests/fwact/bench/) measures the
 * stall the other CPUs felt itself. Only built for test kernels.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/fwact_test.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

static struct dentry *fwact_benchmod_dir;
static u64 fwact_benchmod_last_ns;
static u64 fwact_benchmod_blackout_ns;

static int fwact_benchmod_stop_fn(void *unused)
{
	return 0;
}

static void fwact_benchmod_ipi_fn(void *unused)
{
}

static int fwact_benchmod_act(void *priv, const struct fwact_call *call)
{
	return 0;
}

/*
 * stop_machine_steps: the four steps of a TDX module update as Linux 7.2
 * runs them (Documentation/arch/x86/tdx.rst, "TDX module Runtime
 * Update"): every online CPU in one stop_machine() callback follows a
 * shared state; the lead CPU (the first online) does shutdown and update,
 * every CPU does install (one at a time, as contenders for one raw
 * spinlock, in no set order) and init; each CPU acknowledges each step
 * under a raw spinlock and the last to acknowledge moves the state on.
 * The work of each step is a no-op, as in the engine rows.
 */
enum { SM_SHUTDOWN, SM_INSTALL, SM_INIT, SM_UPDATE, SM_DONE };

static struct {
	raw_spinlock_t lock;	/* the counter and the state's advance */
	int state;
	unsigned int acks;
	unsigned int failed;
} fwact_benchmod_sm = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(fwact_benchmod_sm.lock),
};

static DEFINE_RAW_SPINLOCK(fwact_benchmod_sm_serial);

static void fwact_benchmod_sm_ack(int result)
{
	raw_spin_lock(&fwact_benchmod_sm.lock);
	fwact_benchmod_sm.failed += !!result;
	if (++fwact_benchmod_sm.acks == num_online_cpus()) {
		fwact_benchmod_sm.acks = 0;
		if (!fwact_benchmod_sm.failed)
			WRITE_ONCE(fwact_benchmod_sm.state,
				   fwact_benchmod_sm.state + 1);
	}
	raw_spin_unlock(&fwact_benchmod_sm.lock);
}

static int fwact_benchmod_sm_fn(void *unused)
{
	bool lead = smp_processor_id() == cpumask_first(cpu_online_mask);
	int cur = -1, state, ret;

	for (;;) {
		state = READ_ONCE(fwact_benchmod_sm.state);
		if (state == SM_DONE || READ_ONCE(fwact_benchmod_sm.failed))
			break;
		if (state == cur) {
			cpu_relax();
			continue;
		}
		cur = state;
		ret = 0;
		switch (state) {
		case SM_INSTALL:
			raw_spin_lock(&fwact_benchmod_sm_serial);
			ret = fwact_benchmod_act(NULL, NULL);
			raw_spin_unlock(&fwact_benchmod_sm_serial);
			break;
		case SM_INIT:
			ret = fwact_benchmod_act(NULL, NULL);
			break;
		default:
			if (lead)
				ret = fwact_benchmod_act(NULL, NULL);
			break;
		}
		fwact_benchmod_sm_ack(ret);
	}
	return READ_ONCE(fwact_benchmod_sm.failed) ? -EIO : 0;
}

static int fwact_benchmod_sm_steps(void)
{
	fwact_benchmod_sm.state = SM_SHUTDOWN;
	fwact_benchmod_sm.acks = 0;
	fwact_benchmod_sm.failed = 0;
	return stop_machine(fwact_benchmod_sm_fn, NULL, cpu_online_mask);
}

#define FWACT_BENCHMOD_STEP(_name, _mode) \
	{ .name = _name, .mode = _mode, .act = fwact_benchmod_act }

/*
 * The programs, back to back: one step of each mode, then the four steps
 * of the test backend's test-steps (a TDX-like update).
 */
static const struct fwact_step fwact_benchmod_steps[] = {
	FWACT_BENCHMOD_STEP("activate", FWACT_MODE_ONE),
	FWACT_BENCHMOD_STEP("activate", FWACT_MODE_ALL),
	FWACT_BENCHMOD_STEP("activate", FWACT_MODE_PER_CORE),
	FWACT_BENCHMOD_STEP("activate", FWACT_MODE_SERIAL),
	FWACT_BENCHMOD_STEP("shutdown", FWACT_MODE_ONE),
	FWACT_BENCHMOD_STEP("install", FWACT_MODE_SERIAL),
	FWACT_BENCHMOD_STEP("init", FWACT_MODE_ALL),
	FWACT_BENCHMOD_STEP("update", FWACT_MODE_ONE),
};

static const struct {
	const char *method;
	unsigned int first;
	unsigned int nr_steps;
	enum fwact_context context;
} fwact_benchmod_programs[] = {
	{ "engine_one", 0, 1, FWACT_CONTEXT_STOPPER },
	{ "engine_all", 1, 1, FWACT_CONTEXT_STOPPER },
	{ "engine_per_core", 2, 1, FWACT_CONTEXT_STOPPER },
	{ "engine_serial", 3, 1, FWACT_CONTEXT_STOPPER },
	{ "engine_steps", 4, 4, FWACT_CONTEXT_STOPPER },
	{ "engine_irq_one", 0, 1, FWACT_CONTEXT_IRQ },
	{ "engine_irq_all", 1, 1, FWACT_CONTEXT_IRQ },
	{ "engine_irq_steps", 4, 4, FWACT_CONTEXT_IRQ },
};

/* The budget the benchmark gives fwact's components: a TCG host is slow. */
#define FWACT_BENCHMOD_BUDGET_NS	(10ULL * NSEC_PER_SEC)

/* Run @method's program in the engine; -EINVAL if there is none. */
static int fwact_benchmod_engine(const char *method)
{
	struct fwact_measure m;
	unsigned int i, first;
	int ret;

	for (i = 0; i < ARRAY_SIZE(fwact_benchmod_programs); i++) {
		if (strcmp(method, fwact_benchmod_programs[i].method))
			continue;
		first = fwact_benchmod_programs[i].first;
		ret = fwact_test_hold(&fwact_benchmod_steps[first],
				      fwact_benchmod_programs[i].nr_steps,
				      NULL, fwact_benchmod_programs[i].context,
				      FWACT_BENCHMOD_BUDGET_NS, &m);
		if (!ret)
			WRITE_ONCE(fwact_benchmod_blackout_ns, m.blackout_ns);
		return ret;
	}
	return -EINVAL;
}

/* Hold the CPUs once with @method; the caller's elapsed time or -errno. */
static s64 fwact_benchmod_hold(const char *method)
{
	u64 t0 = ktime_get_mono_fast_ns();
	int ret;

	if (!strcmp(method, "noop"))
		ret = 0;
	else if (!strcmp(method, "stop_machine"))
		ret = stop_machine(fwact_benchmod_stop_fn, NULL, NULL);
	else if (!strcmp(method, "stop_machine_all"))
		ret = stop_machine(fwact_benchmod_stop_fn, NULL,
				   cpu_online_mask);
	else if (!strcmp(method, "stop_machine_steps"))
		ret = fwact_benchmod_sm_steps();
	else if (!strcmp(method, "on_each_cpu"))
		ret = (on_each_cpu(fwact_benchmod_ipi_fn, NULL, 1), 0);
	else if (!strncmp(method, "engine_", 7))
		ret = fwact_benchmod_engine(method);
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
	debugfs_create_u64("blackout_ns", 0400, fwact_benchmod_dir,
			   &fwact_benchmod_blackout_ns);
	return 0;
}

static void __exit fwact_benchmod_exit(void)
{
	debugfs_remove(fwact_benchmod_dir);
}

module_init(fwact_benchmod_init);
module_exit(fwact_benchmod_exit);

MODULE_DESCRIPTION("fwact benchmark: the engine against stop_machine and on_each_cpu");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS("FWACT_TEST");
