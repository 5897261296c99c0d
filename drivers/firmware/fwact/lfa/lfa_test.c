// SPDX-License-Identifier: GPL-2.0
/*
 * Test builds only (CONFIG_FWACT_TEST_HOOKS): fault injection and a
 * rescan for the LFA selftests, in /sys/kernel/debug/fwact/lfa/ (root):
 *
 *   skip_cpu  -1 (default), or a CPU that, inside the next rendezvous,
 *             does not issue its LFA_ACTIVATE: the agent's holding pen
 *             then waits for it until it gives up, and the activation
 *             must fail with nothing activated and every CPU back
 *   rescan    write anything: read the inventory and apply it (register,
 *             unregister, uevents) as a notification does, without the
 *             automatic activations, and return when that is done
 *   prime_budget_ms, activate_budget_ms
 *             how long PRIME's and ACTIVATE's CALL_AGAIN are answered
 *             before the activation times out; LFA_PRIME_BUDGET_MS and
 *             LFA_ACTIVATE_BUDGET_MS (what production builds use) until
 *             written, so that the timeout tests need not wait 30 s
 *
 * None redirects or alters an SMC: the agent answers every call the
 * kernel makes. Production builds have no such files.
 */
#define pr_fmt(fmt) "fwact-lfa: " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/module.h>

#include "lfa.h"

static int lfa_skip_cpu = -1;
static u32 lfa_prime_budget = LFA_PRIME_BUDGET_MS;
static u32 lfa_activate_budget = LFA_ACTIVATE_BUDGET_MS;
static struct dentry *lfa_test_dir;

/**
 * lfa_test_skip() - does this CPU skip its ACTIVATE (fault injection)
 * @cpu: the CPU an action runs on
 * @held: whether the CPUs are held
 *
 * Return: true for the CPU named in skip_cpu, inside a rendezvous only.
 */
bool lfa_test_skip(unsigned int cpu, bool held)
{
	return held && READ_ONCE(lfa_skip_cpu) == (int)cpu;
}

/**
 * lfa_prime_budget_ms() - how long PRIME may answer CALL_AGAIN
 *
 * Return: the test file's value, LFA_PRIME_BUDGET_MS until written.
 */
unsigned int lfa_prime_budget_ms(void)
{
	return READ_ONCE(lfa_prime_budget);
}

/**
 * lfa_activate_budget_ms() - how long ACTIVATE rounds may go on
 *
 * Return: the test file's value, LFA_ACTIVATE_BUDGET_MS until written.
 */
unsigned int lfa_activate_budget_ms(void)
{
	return READ_ONCE(lfa_activate_budget);
}

static int lfa_skip_cpu_get(void *data, u64 *val)
{
	*val = (u64)(s64)READ_ONCE(lfa_skip_cpu);
	return 0;
}

static int lfa_skip_cpu_set(void *data, u64 val)
{
	s64 cpu = (s64)val;

	if (cpu < -1 || cpu >= (s64)nr_cpu_ids)
		return -EINVAL;
	WRITE_ONCE(lfa_skip_cpu, (int)cpu);
	if (cpu >= 0)
		pr_warn("test hook: CPU %lld will not issue LFA_ACTIVATE\n", cpu);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE_SIGNED(lfa_skip_cpu_fops, lfa_skip_cpu_get,
				lfa_skip_cpu_set, "%lld\n");

static ssize_t lfa_rescan_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	lfa_rescan_sync();
	return count;
}

static const struct file_operations lfa_rescan_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = lfa_rescan_write,
};

/**
 * lfa_test_init() - create the test files
 *
 * Under the core's /sys/kernel/debug/fwact/, or at the top without it.
 */
void __init lfa_test_init(void)
{
	struct dentry *parent = debugfs_lookup("fwact", NULL);

	lfa_test_dir = debugfs_create_dir(parent ? "lfa" : "fwact-lfa",
					  parent);
	dput(parent);
	debugfs_create_file_unsafe("skip_cpu", 0600, lfa_test_dir, NULL,
				   &lfa_skip_cpu_fops);
	debugfs_create_file("rescan", 0200, lfa_test_dir, NULL,
			    &lfa_rescan_fops);
	debugfs_create_u32("prime_budget_ms", 0600, lfa_test_dir,
			   &lfa_prime_budget);
	debugfs_create_u32("activate_budget_ms", 0600, lfa_test_dir,
			   &lfa_activate_budget);
}

/**
 * lfa_test_exit() - remove them; no write is in flight when it returns
 */
void lfa_test_exit(void)
{
	debugfs_remove(lfa_test_dir);
	WRITE_ONCE(lfa_skip_cpu, -1);
	WRITE_ONCE(lfa_prime_budget, LFA_PRIME_BUDGET_MS);
	WRITE_ONCE(lfa_activate_budget, LFA_ACTIVATE_BUDGET_MS);
}
