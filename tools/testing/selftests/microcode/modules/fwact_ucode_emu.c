// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated microcode engine for the fwact microcode selftests (test
 * kernels only: it needs CONFIG_FWACT_TEST_HOOKS). Once enabled through
 * debugfs it stands in for the backend's MSR accesses: every core has one
 * revision shared by its SMT threads, a load of a well-formed patch newer
 * than that revision moves the whole core to it (as a real engine does),
 * and a chosen CPU can be made to ignore the load (like a virtual CPU),
 * fault the write, or take a chosen time over it. It counts the loads each
 * CPU made so that the tests can check that exactly one thread per core
 * loaded, and, at each load, whether every other online thread of the core
 * was parked in the backend's NMI handler and in NMI context (its
 * preempt count), for the evidence that no sibling runs anything else
 * while its core loads. Like a real CPU, one that goes offline (or the boot CPU in
 * suspend) comes back at its boot revision, the last one written to
 * "rev": the reset happens when it goes down, before fwact's online
 * callback can see it. The knobs are in /sys/kernel/debug/fwact_ucode_emu/:
 *
 *   enable     1 installs the engine, 0 gives the backend the real MSRs
 *   vendor     1 Intel, 2 AMD (what the CPUs claim to be)
 *   sig, pf    CPUID(1).EAX and platform-id bit every CPU reports
 *   llc        bytes of last-level cache per core every CPU reports
 *   alt_cpu    a CPU whose core reports alt_sig instead (mixed CPUs), -1
 *   alt_sig    that core's signature
 *   rev        write: every core's revision (and the boot revision), and
 *              zero the load counts
 *   fail_cpu   CPU whose load is silently ignored, -1 for none
 *   gp_cpu     CPU whose load write faults, -1 for none
 *   slow_cpu   CPU whose load takes slow_ms milliseconds, -1 for none
 *   prepare_ms the backend's prepare sleeps this long at its end, with the
 *              CPU hotplug lock held
 *   park_cpu   SMT sibling whose park is disturbed, -1 for none: it waits
 *              park_ms milliseconds before parking, and with park_lost
 *              set never sends itself the NMI
 *   nmi_wait_ms how long a parked sibling waits for its primary's release
 *              before it gives up (the backend's 30 s when 0): with
 *              slow_ms above it, the sibling gives up during the load
 *   cores      read: "cpu=N core=C rev=0x.. loads=N parked_loads=N
 *              nmi_parks=N in_nmi=0|1" per online CPU: parked_loads are
 *              the loads it made while every other thread of its core was
 *              parked in NMI context, nmi_parks the loads of its core it
 *              was found parked in NMI context for, in_nmi whether it is
 *              in NMI context now
 */
#define pr_fmt(fmt) "fwact_ucode_emu: " fmt

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/syscore_ops.h>
#include <linux/topology.h>
#include <linux/uaccess.h>
#include <linux/preempt.h>
#include <asm/preempt.h>
#include <linux/unaligned.h>

#include "../../../../../drivers/firmware/fwact/microcode/ucode_hw.h"

static DEFINE_MUTEX(emu_lock);	/* enable and rev writes */
static bool emu_enabled;
static u32 emu_vendor = UCODE_VENDOR_INTEL;
static u32 emu_sig = 0x000906a3;
static u32 emu_pf = 0x1;
static u32 emu_llc;
static u32 emu_alt_sig;
static s32 emu_alt_cpu = -1;
static s32 emu_fail_cpu = -1;
static s32 emu_gp_cpu = -1;
static s32 emu_slow_cpu = -1;
static u32 emu_slow_ms;
static u32 emu_prepare_ms;
static s32 emu_park_cpu = -1;
static u32 emu_park_ms;
static u32 emu_nmi_wait_ms;
static bool emu_park_lost;
static u32 emu_boot_rev = 0x100;
static int emu_hp_state;
/*
 * Revision of each CPU; a load sets it on every thread of the core, since
 * the threads share the engine.
 */
static u32 *emu_rev;
static atomic_t *emu_loads;
static atomic_t *emu_parked_loads;
static atomic_t *emu_nmi_parks;
static struct dentry *emu_dir;

static unsigned int emu_core(unsigned int cpu)
{
	return cpumask_first(topology_sibling_cpumask(cpu));
}

static u32 emu_sig_of(unsigned int cpu)
{
	s32 alt = READ_ONCE(emu_alt_cpu);

	if (alt >= 0 && alt < nr_cpu_ids && emu_core(alt) == emu_core(cpu))
		return READ_ONCE(emu_alt_sig);
	return READ_ONCE(emu_sig);
}

static u32 emu_rev_read(enum ucode_vendor vendor)
{
	return READ_ONCE(emu_rev[smp_processor_id()]);
}

static void emu_identify(struct fwact_ucode_id *id)
{
	unsigned int cpu = smp_processor_id();

	id->vendor = READ_ONCE(emu_vendor);
	id->sig = emu_sig_of(cpu);
	id->pf = READ_ONCE(emu_pf);
	id->rev = READ_ONCE(emu_rev[cpu]);
	id->llc_per_core = READ_ONCE(emu_llc);
}

/* What a real Intel engine checks before it accepts an update. */
static bool emu_intel_ok(const u8 *p, size_t size)
{
	u32 datasize, sum = 0;
	size_t i;

	if (size < UCODE_INTEL_HDR_SIZE || get_unaligned_le32(p) != 1)
		return false;
	datasize = get_unaligned_le32(p + 0x1c) ?: UCODE_INTEL_DEFAULT_DATASIZE;
	if (datasize > size - UCODE_INTEL_HDR_SIZE)
		return false;
	for (i = 0; i < UCODE_INTEL_HDR_SIZE + datasize; i += 4)
		sum += get_unaligned_le32(p + i);
	return !sum;
}

/* @cpu is in NMI context now: its preempt count says so. */
static bool emu_in_nmi(unsigned int cpu)
{
	return READ_ONCE(per_cpu(__preempt_count, cpu)) & NMI_MASK;
}

/*
 * Evidence, at the load: every other online thread of the core is parked
 * in the backend's NMI handler, in NMI context.
 */
static void emu_parked_check(unsigned int cpu)
{
	unsigned int sib;
	bool all = true;

	for_each_cpu_and(sib, topology_sibling_cpumask(cpu), cpu_online_mask) {
		if (sib == cpu)
			continue;
		if (fwact_ucode_test_parked(sib) && emu_in_nmi(sib))
			atomic_inc(&emu_nmi_parks[sib]);
		else
			all = false;
	}
	if (all)
		atomic_inc(&emu_parked_loads[cpu]);
}

static int emu_load(enum ucode_vendor vendor, const void *patch, size_t size)
{
	unsigned int cpu = smp_processor_id(), sib;
	u32 rev;

	emu_parked_check(cpu);
	atomic_inc(&emu_loads[cpu]);
	if (cpu == READ_ONCE(emu_slow_cpu))
		mdelay(READ_ONCE(emu_slow_ms));
	if (cpu == READ_ONCE(emu_gp_cpu))
		return -EIO;
	if (cpu == READ_ONCE(emu_fail_cpu) || size < 8)
		return 0;
	if (vendor == UCODE_VENDOR_INTEL &&
	    !emu_intel_ok(patch, size))
		return 0;
	rev = get_unaligned_le32((const u8 *)patch + 4);
	/* Engines refuse to go back. */
	if (rev <= READ_ONCE(emu_rev[cpu]))
		return 0;
	for_each_cpu(sib, topology_sibling_cpumask(cpu))
		WRITE_ONCE(emu_rev[sib], rev);
	WRITE_ONCE(emu_rev[cpu], rev);
	return 0;
}

static void emu_prepared(void)
{
	u32 ms = READ_ONCE(emu_prepare_ms);

	if (ms)
		msleep(ms);
}

/* A sibling about to park: delay it, or lose its NMI. */
static bool emu_parking(void)
{
	if (smp_processor_id() != READ_ONCE(emu_park_cpu))
		return true;
	mdelay(READ_ONCE(emu_park_ms));
	return !READ_ONCE(emu_park_lost);
}

static u32 emu_nmi_wait(void)
{
	return READ_ONCE(emu_nmi_wait_ms);
}

static const struct fwact_ucode_hw_ops emu_ops = {
	.owner = THIS_MODULE,
	.identify = emu_identify,
	.rev_read = emu_rev_read,
	.load = emu_load,
	.prepared = emu_prepared,
	.parking = emu_parking,
	.nmi_wait_ms = emu_nmi_wait,
};

/* Teardown on the CPU going down: it will come back at its boot revision. */
static int emu_cpu_offline(unsigned int cpu)
{
	WRITE_ONCE(emu_rev[cpu], READ_ONCE(emu_boot_rev));
	return 0;
}

/* Suspend, boot CPU, interrupts off: firmware resets its microcode. */
static int emu_suspend(void *data)
{
	WRITE_ONCE(emu_rev[smp_processor_id()], READ_ONCE(emu_boot_rev));
	return 0;
}

static const struct syscore_ops emu_syscore_ops = {
	.suspend = emu_suspend,
};

static struct syscore emu_syscore = {
	.ops = &emu_syscore_ops,
};

static int emu_enable_set(void *data, u64 val)
{
	int ret;

	mutex_lock(&emu_lock);
	/* Enabling again re-reads the CPUs (after vendor or sig changed). */
	if (!val && !emu_enabled) {
		mutex_unlock(&emu_lock);
		return 0;
	}
	ret = fwact_ucode_hw_override(val ? &emu_ops : NULL);
	if (!ret)
		emu_enabled = val;
	mutex_unlock(&emu_lock);
	return ret;
}

static int emu_enable_get(void *data, u64 *val)
{
	*val = emu_enabled;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(emu_enable_fops, emu_enable_get, emu_enable_set,
			 "%llu\n");

static int emu_rev_set(void *data, u64 val)
{
	unsigned int cpu;

	mutex_lock(&emu_lock);
	WRITE_ONCE(emu_boot_rev, val);
	for_each_possible_cpu(cpu) {
		WRITE_ONCE(emu_rev[cpu], val);
		atomic_set(&emu_loads[cpu], 0);
		atomic_set(&emu_parked_loads[cpu], 0);
		atomic_set(&emu_nmi_parks[cpu], 0);
	}
	mutex_unlock(&emu_lock);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(emu_rev_fops, NULL, emu_rev_set, "%llu\n");

/* Signed knobs (CPU numbers, -1 for none): debugfs has no signed helper. */
static ssize_t emu_s32_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	char buf[16];
	int len;

	len = scnprintf(buf, sizeof(buf), "%d\n",
			READ_ONCE(*(s32 *)file->private_data));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t emu_s32_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	int val, ret;

	ret = kstrtoint_from_user(ubuf, count, 0, &val);
	if (ret)
		return ret;
	WRITE_ONCE(*(s32 *)file->private_data, val);
	return count;
}

static const struct file_operations emu_s32_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = emu_s32_read,
	.write = emu_s32_write,
	.llseek = default_llseek,
};

static int emu_cores_show(struct seq_file *s, void *unused)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		seq_printf(s, "cpu=%u core=%u rev=0x%x loads=%d parked_loads=%d nmi_parks=%d in_nmi=%d\n",
			   cpu, emu_core(cpu), READ_ONCE(emu_rev[cpu]),
			   atomic_read(&emu_loads[cpu]),
			   atomic_read(&emu_parked_loads[cpu]),
			   atomic_read(&emu_nmi_parks[cpu]), emu_in_nmi(cpu));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(emu_cores);

static int __init emu_init(void)
{
	unsigned int cpu;
	int ret;

	emu_rev = kcalloc(nr_cpu_ids, sizeof(*emu_rev), GFP_KERNEL);
	emu_loads = kcalloc(nr_cpu_ids, sizeof(*emu_loads), GFP_KERNEL);
	emu_parked_loads = kcalloc(nr_cpu_ids, sizeof(*emu_parked_loads),
				   GFP_KERNEL);
	emu_nmi_parks = kcalloc(nr_cpu_ids, sizeof(*emu_nmi_parks), GFP_KERNEL);
	if (!emu_rev || !emu_loads || !emu_parked_loads || !emu_nmi_parks) {
		ret = -ENOMEM;
		goto err_free;
	}
	for_each_possible_cpu(cpu)
		emu_rev[cpu] = emu_boot_rev;
	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN,
					"fwact_ucode_emu:offline", NULL,
					emu_cpu_offline);
	if (ret < 0)
		goto err_free;
	emu_hp_state = ret;
	register_syscore(&emu_syscore);

	emu_dir = debugfs_create_dir("fwact_ucode_emu", NULL);
	debugfs_create_file_unsafe("enable", 0600, emu_dir, NULL,
				   &emu_enable_fops);
	debugfs_create_u32("vendor", 0600, emu_dir, &emu_vendor);
	debugfs_create_x32("sig", 0600, emu_dir, &emu_sig);
	debugfs_create_x32("pf", 0600, emu_dir, &emu_pf);
	debugfs_create_u32("llc", 0600, emu_dir, &emu_llc);
	debugfs_create_x32("alt_sig", 0600, emu_dir, &emu_alt_sig);
	debugfs_create_file("alt_cpu", 0600, emu_dir, &emu_alt_cpu,
			    &emu_s32_fops);
	debugfs_create_file_unsafe("rev", 0200, emu_dir, NULL, &emu_rev_fops);
	debugfs_create_file("fail_cpu", 0600, emu_dir, &emu_fail_cpu,
			    &emu_s32_fops);
	debugfs_create_file("gp_cpu", 0600, emu_dir, &emu_gp_cpu,
			    &emu_s32_fops);
	debugfs_create_file("slow_cpu", 0600, emu_dir, &emu_slow_cpu,
			    &emu_s32_fops);
	debugfs_create_u32("slow_ms", 0600, emu_dir, &emu_slow_ms);
	debugfs_create_u32("prepare_ms", 0600, emu_dir, &emu_prepare_ms);
	debugfs_create_file("park_cpu", 0600, emu_dir, &emu_park_cpu,
			    &emu_s32_fops);
	debugfs_create_u32("park_ms", 0600, emu_dir, &emu_park_ms);
	debugfs_create_u32("nmi_wait_ms", 0600, emu_dir, &emu_nmi_wait_ms);
	debugfs_create_bool("park_lost", 0600, emu_dir, &emu_park_lost);
	debugfs_create_file("cores", 0400, emu_dir, NULL, &emu_cores_fops);
	return 0;

err_free:
	kfree(emu_nmi_parks);
	kfree(emu_parked_loads);
	kfree(emu_loads);
	kfree(emu_rev);
	return ret;
}
module_init(emu_init);

static void __exit emu_exit(void)
{
	debugfs_remove(emu_dir);
	if (emu_enabled && fwact_ucode_hw_override(NULL))
		pr_err("could not give the backend its real MSRs back\n");
	unregister_syscore(&emu_syscore);
	cpuhp_remove_state_nocalls(emu_hp_state);
	kfree(emu_nmi_parks);
	kfree(emu_parked_loads);
	kfree(emu_loads);
	kfree(emu_rev);
}
module_exit(emu_exit);

MODULE_DESCRIPTION("fwact selftests: emulated microcode engine");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS("FWACT_TEST");
