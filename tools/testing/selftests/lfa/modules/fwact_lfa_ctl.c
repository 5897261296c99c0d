// SPDX-License-Identifier: GPL-2.0
/*
 * fwact_lfa_ctl: the LFA selftests' handle on fwact's emulated LFA agent
 * (a TF-A runtime service, tools/testing/lfa/tf-a/). It makes the agent's
 * SiP test controls (lfa_test_smc.h) and single LFA calls available in
 * /sys/kernel/debug/fwact_lfa_ctl/, and can issue LFA_ACTIVATE on every
 * online CPU at once under stop_machine(), as a driver's rendezvous does.
 * The files are documented at the end of lfa_test_smc.h.
 *
 * Every call uses the SMCCC v1.2 register set with separate input and
 * output registers. Test-only: it refuses to load where LFA_VERSION is not
 * supported.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/arm-smccc.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "../lfa_test_smc.h"

#define LFA_CTL_FID_VERSION	0xc40002e0
#define LFA_CTL_FID_ACTIVATE	0xc40002e5
#define LFA_CTL_FID_LAST	0xc40002e6
#define LFA_CTL_TEST_LAST	LFA_TEST_NOTIFY

/* The longest line a file takes, and one it gives. */
#define LFA_CTL_LINE		256

/* One CPU's answer to LFA_ACTIVATE under activate_all. */
struct lfa_ctl_answer {
	u64 x0;
	u64 x1;
};

/* What activate_all asks of every CPU. */
struct lfa_ctl_activate {
	u64 seq;
	u64 skip;
	struct lfa_ctl_answer *answers;
};

static enum arm_smccc_conduit lfa_ctl_conduit;
static struct dentry *lfa_ctl_dir;

/* Guards what the files keep between a write and a read. */
static DEFINE_MUTEX(lfa_ctl_lock);
static bool lfa_ctl_get_valid;
static u64 lfa_ctl_get_value;
static bool lfa_ctl_raw_valid;
static struct arm_smccc_1_2_regs lfa_ctl_raw_res;
static struct lfa_ctl_answer *lfa_ctl_answers;
static struct cpumask lfa_ctl_answered;

static void lfa_ctl_smc(const struct arm_smccc_1_2_regs *args,
			struct arm_smccc_1_2_regs *res)
{
	switch (lfa_ctl_conduit) {
	case SMCCC_CONDUIT_SMC:
		arm_smccc_1_2_smc(args, res);
		break;
	case SMCCC_CONDUIT_HVC:
		arm_smccc_1_2_hvc(args, res);
		break;
	default:
		memset(res, 0, sizeof(*res));
		res->a0 = SMCCC_RET_NOT_SUPPORTED;
		break;
	}
}

/* One test control call: x0 of the answer, *x1 its x1. */
static long lfa_ctl_test_call(u32 fid, u64 x1, u64 x2, u64 x3, u64 *a1)
{
	struct arm_smccc_1_2_regs args = {
		.a0 = fid, .a1 = x1, .a2 = x2, .a3 = x3,
	};
	struct arm_smccc_1_2_regs res;

	lfa_ctl_smc(&args, &res);
	if (a1)
		*a1 = res.a1;
	return (long)res.a0;
}

/* A number: decimal or 0x-prefixed hex, and negative ones too. */
static int lfa_ctl_number(const char *s, u64 *v)
{
	s64 sv;
	int ret;

	if (*s != '-')
		return kstrtou64(s, 0, v);
	ret = kstrtos64(s, 0, &sv);
	if (ret)
		return ret;
	*v = (u64)sv;
	return 0;
}

/* Exactly @n numbers, separated by blanks, from a write. */
static int lfa_ctl_parse(const char __user *ubuf, size_t len, u64 *v,
			 unsigned int n)
{
	char buf[LFA_CTL_LINE], *p = buf, *tok;
	unsigned int i = 0;
	int ret;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	while ((tok = strsep(&p, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (i == n)
			return -EINVAL;
		ret = lfa_ctl_number(tok, &v[i]);
		if (ret)
			return ret;
		i++;
	}
	return i == n ? 0 : -EINVAL;
}

static ssize_t lfa_ctl_reset_write(struct file *file, const char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	if (lfa_ctl_test_call(LFA_TEST_RESET, 0, 0, 0, NULL) != LFA_TEST_OK)
		return -EIO;
	return len;
}

static ssize_t lfa_ctl_set_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	u64 v[3];
	int ret;

	ret = lfa_ctl_parse(ubuf, len, v, 3);
	if (ret)
		return ret;
	if (lfa_ctl_test_call(LFA_TEST_SET, v[0], v[1], v[2], NULL) !=
	    LFA_TEST_OK)
		return -EINVAL;
	return len;
}

static ssize_t lfa_ctl_get_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	u64 v[2], val;
	int ret;

	ret = lfa_ctl_parse(ubuf, len, v, 2);
	if (ret)
		return ret;
	if (lfa_ctl_test_call(LFA_TEST_GET, v[0], v[1], 0, &val) !=
	    LFA_TEST_OK)
		return -EINVAL;
	mutex_lock(&lfa_ctl_lock);
	lfa_ctl_get_value = val;
	lfa_ctl_get_valid = true;
	mutex_unlock(&lfa_ctl_lock);
	return len;
}

static ssize_t lfa_ctl_get_read(struct file *file, char __user *ubuf,
				size_t len, loff_t *ppos)
{
	char buf[32];
	int n;

	mutex_lock(&lfa_ctl_lock);
	if (!lfa_ctl_get_valid) {
		mutex_unlock(&lfa_ctl_lock);
		return -ENODATA;
	}
	n = scnprintf(buf, sizeof(buf), "%lld\n", (s64)lfa_ctl_get_value);
	mutex_unlock(&lfa_ctl_lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static ssize_t lfa_ctl_notify_write(struct file *file, const char __user *ubuf,
				    size_t len, loff_t *ppos)
{
	if (lfa_ctl_test_call(LFA_TEST_NOTIFY, 0, 0, 0, NULL) != LFA_TEST_OK)
		return -EIO;
	return len;
}

static bool lfa_ctl_raw_fid_ok(u64 fid)
{
	return (fid >= LFA_CTL_FID_VERSION && fid <= LFA_CTL_FID_LAST) ||
	       (fid >= LFA_TEST_RESET && fid <= LFA_CTL_TEST_LAST);
}

/*
 * One call on the CPU the write runs on; the mutex is not held across it,
 * so that raw calls on several CPUs can meet in the agent's holding pen.
 */
static ssize_t lfa_ctl_raw_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct arm_smccc_1_2_regs args = { 0 }, res;
	u64 v[5];
	int ret;

	ret = lfa_ctl_parse(ubuf, len, v, 5);
	if (ret)
		return ret;
	if (!lfa_ctl_raw_fid_ok(v[0]))
		return -EINVAL;
	args.a0 = v[0];
	args.a1 = v[1];
	args.a2 = v[2];
	args.a3 = v[3];
	args.a4 = v[4];
	lfa_ctl_smc(&args, &res);
	mutex_lock(&lfa_ctl_lock);
	lfa_ctl_raw_res = res;
	lfa_ctl_raw_valid = true;
	mutex_unlock(&lfa_ctl_lock);
	return len;
}

static ssize_t lfa_ctl_raw_read(struct file *file, char __user *ubuf,
				size_t len, loff_t *ppos)
{
	struct arm_smccc_1_2_regs r;
	char buf[LFA_CTL_LINE];
	int n;

	mutex_lock(&lfa_ctl_lock);
	if (!lfa_ctl_raw_valid) {
		mutex_unlock(&lfa_ctl_lock);
		return -ENODATA;
	}
	r = lfa_ctl_raw_res;
	mutex_unlock(&lfa_ctl_lock);
	n = scnprintf(buf, sizeof(buf), "%lx %lx %lx %lx %lx %lx\n",
		      r.a0, r.a1, r.a2, r.a3, r.a4, r.a5);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

/* Runs on every online CPU at once, interrupts off. */
static int lfa_ctl_activate_one(void *data)
{
	struct lfa_ctl_activate *act = data;
	struct arm_smccc_1_2_regs args = {
		.a0 = LFA_CTL_FID_ACTIVATE, .a1 = act->seq, .a2 = act->skip,
	};
	struct arm_smccc_1_2_regs res;
	unsigned int cpu = smp_processor_id();

	lfa_ctl_smc(&args, &res);
	act->answers[cpu].x0 = res.a0;
	act->answers[cpu].x1 = res.a1;
	cpumask_set_cpu(cpu, &lfa_ctl_answered);
	return 0;
}

static ssize_t lfa_ctl_activate_all_write(struct file *file,
					  const char __user *ubuf,
					  size_t len, loff_t *ppos)
{
	struct lfa_ctl_activate act;
	u64 v[2];
	int ret;

	ret = lfa_ctl_parse(ubuf, len, v, 2);
	if (ret)
		return ret;
	act.seq = v[0];
	act.skip = v[1];
	act.answers = lfa_ctl_answers;
	mutex_lock(&lfa_ctl_lock);
	cpumask_clear(&lfa_ctl_answered);
	memset(lfa_ctl_answers, 0, nr_cpu_ids * sizeof(*lfa_ctl_answers));
	ret = stop_machine(lfa_ctl_activate_one, &act, cpu_online_mask);
	mutex_unlock(&lfa_ctl_lock);
	return ret ? ret : len;
}

static ssize_t lfa_ctl_activate_all_read(struct file *file, char __user *ubuf,
					 size_t len, loff_t *ppos)
{
	size_t size = (size_t)nr_cpu_ids * 48 + 1;
	unsigned int cpu;
	ssize_t ret;
	char *buf;
	int n = 0;

	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&lfa_ctl_lock);
	for_each_cpu(cpu, &lfa_ctl_answered)
		n += scnprintf(buf + n, size - n, "%u %llx %llx\n", cpu,
			       lfa_ctl_answers[cpu].x0,
			       lfa_ctl_answers[cpu].x1);
	mutex_unlock(&lfa_ctl_lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, buf, n);
	kfree(buf);
	return ret;
}

static const struct file_operations lfa_ctl_reset_fops = {
	.owner = THIS_MODULE,
	.write = lfa_ctl_reset_write,
	.llseek = default_llseek,
};

static const struct file_operations lfa_ctl_set_fops = {
	.owner = THIS_MODULE,
	.write = lfa_ctl_set_write,
	.llseek = default_llseek,
};

static const struct file_operations lfa_ctl_get_fops = {
	.owner = THIS_MODULE,
	.write = lfa_ctl_get_write,
	.read = lfa_ctl_get_read,
	.llseek = default_llseek,
};

static const struct file_operations lfa_ctl_notify_fops = {
	.owner = THIS_MODULE,
	.write = lfa_ctl_notify_write,
	.llseek = default_llseek,
};

static const struct file_operations lfa_ctl_raw_fops = {
	.owner = THIS_MODULE,
	.write = lfa_ctl_raw_write,
	.read = lfa_ctl_raw_read,
	.llseek = default_llseek,
};

static const struct file_operations lfa_ctl_activate_all_fops = {
	.owner = THIS_MODULE,
	.write = lfa_ctl_activate_all_write,
	.read = lfa_ctl_activate_all_read,
	.llseek = default_llseek,
};

static int __init lfa_ctl_init(void)
{
	struct arm_smccc_1_2_regs args = { .a0 = LFA_CTL_FID_VERSION };
	struct arm_smccc_1_2_regs res;

	lfa_ctl_conduit = arm_smccc_1_1_get_conduit();
	lfa_ctl_smc(&args, &res);
	if ((s32)res.a0 < 0) {
		pr_info("no LFA agent: LFA_VERSION answers %ld\n", (long)res.a0);
		return -ENODEV;
	}

	lfa_ctl_answers = kcalloc(nr_cpu_ids, sizeof(*lfa_ctl_answers),
				  GFP_KERNEL);
	if (!lfa_ctl_answers)
		return -ENOMEM;

	lfa_ctl_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("reset", 0600, lfa_ctl_dir, NULL,
			    &lfa_ctl_reset_fops);
	debugfs_create_file("set", 0600, lfa_ctl_dir, NULL, &lfa_ctl_set_fops);
	debugfs_create_file("get", 0600, lfa_ctl_dir, NULL, &lfa_ctl_get_fops);
	debugfs_create_file("notify", 0600, lfa_ctl_dir, NULL,
			    &lfa_ctl_notify_fops);
	debugfs_create_file("raw", 0600, lfa_ctl_dir, NULL, &lfa_ctl_raw_fops);
	debugfs_create_file("activate_all", 0600, lfa_ctl_dir, NULL,
			    &lfa_ctl_activate_all_fops);
	pr_info("LFA agent v%lu.%lu\n", (res.a0 >> 16) & 0x7fff,
		res.a0 & 0xffff);
	return 0;
}

static void __exit lfa_ctl_exit(void)
{
	debugfs_remove_recursive(lfa_ctl_dir);
	kfree(lfa_ctl_answers);
}

module_init(lfa_ctl_init);
module_exit(lfa_ctl_exit);

MODULE_DESCRIPTION("fwact selftests: control of the emulated LFA agent");
MODULE_LICENSE("GPL");
