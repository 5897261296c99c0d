// SPDX-License-Identifier: GPL-2.0
/*
 * fwact backend for x86 microcode late loading (Intel and AMD). It
 * registers one component, "cpu-microcode", whose activation program is two
 * steps run inside one rendezvous of the fwact core, both on every CPU:
 * "load" (the first thread of each core writes the patch address to the
 * load MSR while its SMT siblings are parked in NMI context, so that no
 * other NMI handler can run on them during the update) and "verify" (each
 * CPU reads back its revision into a slot prepared for it). Everything that can fail
 * slowly or noisily is done outside the window: parsing and validating the
 * image and choosing a patch per CPU when it is staged, re-choosing and
 * copying the patches in prepare, and counting the results, tainting,
 * logging and updating the kernel's per-CPU revision in finish.
 * Documentation/arch/x86/microcode-fwact.rst describes how it differs from
 * and coexists with the kernel's own loader; ucode_backend.h lists the
 * files it is split into.
 */
#define pr_fmt(fmt) "fwact microcode: " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/fwact.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/panic.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/topology.h>
#include <linux/vmalloc.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

#include "ucode_backend.h"
/*
 * The force knobs. Each lets through a load the backend would refuse, so
 * none may be set while the kernel is locked down (LOCKDOWN_MODULE_PARAMETERS,
 * the reason of the kernel's own unsafe module parameters): setting one to
 * 1 then fails with -EPERM, and one set before the lockdown is ignored
 * from then on (see ucode_forced()). Lockdown is never lifted, so the
 * first refusal is remembered in ucode_locked_down and read quietly by
 * get_info.
 */
static bool force_minrev;
static bool allow_hypervisor;
static bool force_amd_sha;
static bool ucode_locked_down;

static bool ucode_lockdown_check(const char *knob)
{
	if (!READ_ONCE(ucode_locked_down)) {
		if (!security_locked_down(LOCKDOWN_MODULE_PARAMETERS))
			return false;
		WRITE_ONCE(ucode_locked_down, true);
	}
	pr_err_ratelimited("%s refused: the kernel is locked down (unsafe module parameters)\n",
			   knob);
	return true;
}

static int ucode_knob_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret;

	ret = kstrtobool(val, &on);
	if (ret)
		return ret;
	if (on && ucode_lockdown_check(kp->name))
		return -EPERM;
	WRITE_ONCE(*(bool *)kp->arg, on);
	if (on && kp->arg == &force_amd_sha) {
		pr_warn_ratelimited("force_amd_sha=1: AMD patches not in the kernel's list of known patches will be loaded; tainting the kernel\n");
		add_taint(TAINT_CPU_OUT_OF_SPEC, LOCKDEP_STILL_OK);
	}
	return 0;
}

static const struct kernel_param_ops ucode_knob_ops = {
	.set = ucode_knob_set,
	.get = param_get_bool,
};

/* A knob is in force only if it is set and the kernel is not locked down. */
static bool ucode_forced(const bool *knob, const char *name)
{
	return READ_ONCE(*knob) && !ucode_lockdown_check(name);
}

module_param_cb(force_minrev, &ucode_knob_ops, &force_minrev, 0644);
MODULE_PARM_DESC(force_minrev,
		 "Load patches that do not declare a late load safe from the running revision (taints the kernel)");

module_param_cb(allow_hypervisor, &ucode_knob_ops, &allow_hypervisor, 0644);
MODULE_PARM_DESC(allow_hypervisor,
		 "Allow late loading under a hypervisor (for testing; a virtual CPU normally ignores the load)");

module_param_cb(force_amd_sha, &ucode_knob_ops, &force_amd_sha, 0644);
MODULE_PARM_DESC(force_amd_sha,
		 "Load AMD patches missing from the kernel's list of known SHA-256 digests on CPUs affected by EntrySign (taints the kernel)");

bool ucode_force_minrev(void)
{
	return ucode_forced(&force_minrev, "force_minrev");
}

bool ucode_force_amd_sha(void)
{
	return ucode_forced(&force_amd_sha, "force_amd_sha");
}

/*
 * The kernel's own loader also refuses to run under a hypervisor. Quiet:
 * get_info asks too, so lockdown is only read as already seen.
 */
static bool ucode_hypervisor_refused(void)
{
	return boot_cpu_has(X86_FEATURE_HYPERVISOR) &&
	       (!READ_ONCE(allow_hypervisor) || READ_ONCE(ucode_locked_down));
}

int ucode_refusal_check(void)
{
	if (boot_cpu_has(X86_FEATURE_HYPERVISOR) &&
	    ucode_forced(&allow_hypervisor, "allow_hypervisor"))
		return 0;
	if (!ucode_hypervisor_refused())
		return 0;
	pr_err_ratelimited("running under a hypervisor: late loading refused, as by the kernel's loader (allow_hypervisor=1 overrides, for testing)\n");
	return -EOPNOTSUPP;
}

struct ucode_backend ucode_be = {
	.lock = __MUTEX_INITIALIZER(ucode_be.lock),
	.kept_lock = __RAW_SPIN_LOCK_UNLOCKED(ucode_be.kept_lock),
};

static int ucode_get_info(struct fwact_component *comp,
			  struct fwact_info *info)
{
	struct ucode_backend *be = fwact_priv(comp);
	u32 lowest = U32_MAX;
	unsigned int cpu;

	mutex_lock(&be->lock);
	for_each_online_cpu(cpu)
		if (be->cpus[cpu].known)
			lowest = min(lowest, READ_ONCE(be->cpus[cpu].id.rev));
	if (lowest != U32_MAX)
		snprintf(info->current_version, FWACT_VERSION_LEN, "0x%x",
			 lowest);
	else
		strscpy(info->current_version, "unknown", FWACT_VERSION_LEN);
	if (be->image)
		snprintf(info->pending_version, FWACT_VERSION_LEN, "0x%x",
			 be->pending_rev);
	info->flags = FWACT_F_RENDEZVOUS;
	if (!ucode_hypervisor_refused())
		info->flags |= FWACT_F_CAPABLE;
	if (be->image)
		info->flags |= FWACT_F_PENDING;
	mutex_unlock(&be->lock);
	return 0;
}

static int ucode_stage(struct fwact_component *comp, const void *data,
		       size_t size)
{
	struct ucode_backend *be = fwact_priv(comp);
	enum ucode_vendor vendor;
	struct ucode_err err;
	bool unsafe;
	void *copy;
	u32 pending;
	int ret;

	if (!data || !size) {
		pr_err_ratelimited("no image given\n");
		return -EINVAL;
	}
	ret = ucode_refusal_check();
	if (ret)
		return ret;
	if (ucode_walk(data, size, NULL, NULL, &err)) {
		pr_err_ratelimited("image rejected at offset 0x%zx: %s\n", err.off,
				   ucode_fault_str(err.fault));
		return -EINVAL;
	}
	vendor = ucode_vendor_detect(data, size);

	copy = vmalloc(size);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, data, size);

	cpus_read_lock();
	mutex_lock(&be->lock);
	ret = ucode_cpus_identify(be, be->hw);
	if (!ret)
		ret = ucode_plan(be, copy, size, vendor, &pending, &unsafe);
	cpus_read_unlock();
	if (ret) {
		mutex_unlock(&be->lock);
		vfree(copy);
		return ret;
	}
	ucode_image_drop(be);
	be->image = copy;
	be->image_size = size;
	be->vendor = vendor;
	be->pending_rev = pending;
	mutex_unlock(&be->lock);
	pr_info_ratelimited("staged %s image: lowest new revision 0x%x%s\n",
			    ucode_vendor_name(vendor), pending,
			    unsafe ? " (not min-rev safe, forced)" : "");
	return 0;
}

/* Test builds: the emulated engine may bound a parked sibling's wait. */
static u32 ucode_nmi_wait_ms(const struct fwact_ucode_hw_ops *hw)
{
#ifdef CONFIG_FWACT_TEST_HOOKS
	if (hw->nmi_wait_ms)
		return hw->nmi_wait_ms();
#endif
	return 0;
}

/* Every present CPU must take part: an offline one would miss the load. */
static int ucode_cpus_all_online(void)
{
	unsigned int cpu;

	for_each_present_cpu(cpu) {
		if (!cpu_online(cpu)) {
			pr_err_ratelimited("CPU %u is offline; loading aborted\n", cpu);
			return -EBUSY;
		}
	}
	return 0;
}

static int ucode_prepare(struct fwact_component *comp)
{
	struct ucode_backend *be = fwact_priv(comp);
	const struct fwact_ucode_hw_ops *hw;
	bool unsafe;
	u32 pending;
	int ret;

	/* The core holds the hotplug lock until finish has run. */
	ucode_assert_cpus_held();
	ret = ucode_refusal_check();
	if (ret)
		return ret;

	mutex_lock(&be->lock);
	if (!be->image) {
		ret = -ENODATA;
		goto out_unlock;
	}
	hw = be->hw;
	if (hw->owner && !try_module_get(hw->owner)) {
		ret = -ENODEV;
		goto out_unlock;
	}

	ret = ucode_cpus_all_online();
	if (!ret)
		ret = ucode_cpus_identify(be, hw);
	if (!ret)
		ret = ucode_plan(be, be->image, be->image_size, be->vendor,
				 &pending, &unsafe);
	if (!ret)
		ret = ucode_copies_make(be);
	if (ret)
		goto out_put;
	ucode_park_prepare(be, ucode_nmi_wait_ms(hw));

	be->run_hw = hw;
	be->unsafe = unsafe;
	if (unsafe)
		pr_warn_ratelimited("loading without a min-rev guarantee (a force knob is set); a successful load taints the kernel\n");
	mutex_unlock(&be->lock);
	/* Test builds: the emulated engine may widen the prepare window. */
	if (hw->prepared)
		hw->prepared();
	return 0;

out_put:
	module_put(hw->owner);
out_unlock:
	mutex_unlock(&be->lock);
	return ret;
}

static enum ucode_result ucode_cpu_result(const struct ucode_cpu *c,
					  unsigned int cpu, int result)
{
	if (!c->patch)
		return UCODE_R_CURRENT;
	if (c->after == c->patch->rev)
		return c->loaded ? UCODE_R_UPDATED : UCODE_R_SIBLING;
	if (ucode_park_core_aborted(cpu))
		return UCODE_R_UNPARKED;
	if (c->load_ret)
		return UCODE_R_FAULT;
	if (!c->verified && result == -ETIMEDOUT)
		return UCODE_R_TIMEOUT;
	return UCODE_R_FAILED;
}

/* Record what the kernel shows in /proc/cpuinfo for @cpu. */
static void ucode_cpu_data_set(struct ucode_backend *be, unsigned int cpu,
			       u32 rev)
{
	cpu_data(cpu).microcode = rev;
	if (cpu == boot_cpu_data.cpu_index)
		boot_cpu_data.microcode = rev;
	if (be->hw != fwact_ucode_hw_native())
		be->cpu_data_dirty = true;
}

/* Count the per-CPU results of an activation that ran (cpus read locked). */
static void ucode_tally(struct ucode_backend *be, int result)
{
	struct ucode_last *last = &be->last;
	struct fwact_ucode_id id;
	struct ucode_ident arg = { .hw = be->run_hw, .id = &id };
	unsigned int cpu;

	cpumask_clear(be->failed);
	for_each_online_cpu(cpu) {
		struct ucode_cpu *c = &be->cpus[cpu];

		/*
		 * A CPU the rendezvous gave up on may still be in its
		 * action; this cross-call waits for it to leave.
		 */
		if (smp_call_function_single(cpu, ucode_cpu_identify_ipi, &arg,
					     1))
			continue;
		if (!c->verified)
			c->after = id.rev;
		c->id = id;
		c->known = true;
		c->result = ucode_cpu_result(c, cpu, result);
		switch (ucode_park_res(cpu)) {
		case UCODE_PARK_R_NMI:
			last->parked++;
			break;
		case UCODE_PARK_R_TIMEOUT:
			last->park_timeouts++;
			break;
		default:
			break;
		}
		if (c->result == UCODE_R_CURRENT)
			continue;
		last->cpus++;
		if (c->result == UCODE_R_UPDATED || c->result == UCODE_R_SIBLING) {
			last->updated++;
			last->cores += c->result == UCODE_R_UPDATED;
		} else {
			last->failed++;
			cpumask_set_cpu(cpu, be->failed);
		}
		if (c->after != c->before)
			ucode_cpu_data_set(be, cpu, c->after);
	}
}

/* One summary line, and taint as the kernel's loader does. */
static void ucode_report(struct ucode_backend *be)
{
	struct ucode_last *last = &be->last;

	if (last->park_timeouts)
		ucode_report_unparked();

	if (!last->updated) {
		if (last->failed)
			pr_err("load failed: revision unchanged on CPUs %*pbl (result %d); nothing was loaded\n",
			       cpumask_pr_args(be->failed), last->result);
		return;
	}
	/* Tainted only if something changed and it was unsafe or partial. */
	if (last->unsafe || last->failed) {
		add_taint(TAINT_CPU_OUT_OF_SPEC, LOCKDEP_STILL_OK);
		last->tainted = true;
	}
	pr_info("load: updated on %u cores, %u CPUs now at their new revision\n",
		last->cores, last->updated);
	if (last->failed)
		pr_err("load incomplete: CPUs %*pbl did not reach the new revision (result %d)\n",
		       cpumask_pr_args(be->failed), last->result);
}

static void ucode_finish(struct fwact_component *comp, int result,
			 const struct fwact_measure *m)
{
	struct ucode_backend *be = fwact_priv(comp);
	const struct fwact_ucode_hw_ops *hw;

	ucode_assert_cpus_held();
	mutex_lock(&be->lock);
	hw = be->run_hw;
	if (!hw)
		goto out_unlock;
	memset(&be->last, 0, sizeof(be->last));
	be->last.result = result;
	be->last.unsafe = be->unsafe;
	if (result != -ECANCELED) {
		ucode_tally(be, result);
		ucode_kept_update(be);
		ucode_report(be);
		if (be->last.updated && !be->last.failed)
			ucode_image_drop(be);
	}
	ucode_copies_free(be);
	be->run_hw = NULL;
	module_put(hw->owner);
out_unlock:
	mutex_unlock(&be->lock);
}

static int ucode_cancel(struct fwact_component *comp)
{
	struct ucode_backend *be = fwact_priv(comp);

	mutex_lock(&be->lock);
	ucode_image_drop(be);
	mutex_unlock(&be->lock);
	return 0;
}

static const struct fwact_ops ucode_ops = {
	.get_info = ucode_get_info,
	.stage = ucode_stage,
	.prepare = ucode_prepare,
	.finish = ucode_finish,
	.cancel = ucode_cancel,
};

static const struct fwact_step ucode_steps[] = {
	{ .name = "load", .mode = FWACT_MODE_ALL, .act = ucode_step_load },
	{ .name = "verify", .mode = FWACT_MODE_ALL, .act = ucode_step_verify },
};

#ifdef CONFIG_FWACT_TEST_HOOKS
/**
 * fwact_ucode_hw_override() - send the backend's firmware calls elsewhere
 * @ops: the replacement (an emulated microcode engine), or NULL for the
 *	real MSRs
 *
 * Test kernels only. Drops the staged image (it was chosen for the CPUs
 * the old calls described), re-reads every CPU through the new calls and,
 * when going back to the real MSRs, puts the real revisions back into the
 * kernel's per-CPU data.
 *
 * Return: 0, or -EBUSY while an activation is in flight.
 */
int fwact_ucode_hw_override(const struct fwact_ucode_hw_ops *ops)
{
	struct ucode_backend *be = &ucode_be;
	unsigned int cpu;
	int ret = 0;

	cpus_read_lock();
	mutex_lock(&be->lock);
	if (be->run_hw) {
		ret = -EBUSY;
		goto out_unlock;
	}
	be->hw = ops ? ops : fwact_ucode_hw_native();
	ucode_image_drop(be);
	/* The kept patches were loaded with the old calls. */
	ucode_kept_drop(be);
	ucode_cpus_identify(be, be->hw);
	if (!ops && be->cpu_data_dirty) {
		for_each_online_cpu(cpu)
			ucode_cpu_data_set(be, cpu, be->cpus[cpu].id.rev);
		be->cpu_data_dirty = false;
	}
	pr_warn("test hooks: firmware calls now go to %s\n",
		ops ? "a test module" : "the real MSRs");
out_unlock:
	mutex_unlock(&be->lock);
	cpus_read_unlock();
	return ret;
}
EXPORT_SYMBOL_NS_GPL(fwact_ucode_hw_override, "FWACT_TEST");
#endif

static int __init ucode_init(void)
{
	struct ucode_backend *be = &ucode_be;
	struct fwact_component_desc desc = {
		.name = "cpu-microcode",
		.backend = "microcode",
		.ops = &ucode_ops,
		.steps = ucode_steps,
		.nr_steps = ARRAY_SIZE(ucode_steps),
		.max_image_size = UCODE_MAX_IMAGE,
		.priv = be,
		.owner = THIS_MODULE,
		/*
		 * Stopper context: a CPU is never taken inside a region that
		 * must not see its core's microcode change under it. A core
		 * still loading when the budget is spent is waited for; the
		 * kernel's loader panics there, fwact taints.
		 */
		.context = FWACT_CONTEXT_STOPPER,
		.flags = FWACT_DESC_TAINT_OVERRUN | FWACT_DESC_RENDEZVOUS,
		.groups = ucode_groups,
	};
	int ret;

	if (boot_cpu_data.x86_vendor != X86_VENDOR_INTEL &&
	    boot_cpu_data.x86_vendor != X86_VENDOR_AMD)
		return -ENODEV;

	be->hw = fwact_ucode_hw_native();
	be->cpus = kcalloc(nr_cpu_ids, sizeof(*be->cpus), GFP_KERNEL);
	if (!be->cpus)
		return -ENOMEM;
	be->copies = kcalloc(nr_cpu_ids, sizeof(*be->copies), GFP_KERNEL);
	if (!be->copies) {
		ret = -ENOMEM;
		goto err_free_cpus;
	}
	be->kept = kcalloc(nr_cpu_ids, sizeof(*be->kept), GFP_KERNEL);
	if (!be->kept) {
		ret = -ENOMEM;
		goto err_free_copies;
	}
	if (!zalloc_cpumask_var(&be->failed, GFP_KERNEL)) {
		ret = -ENOMEM;
		goto err_free_kept;
	}

	cpus_read_lock();
	ret = ucode_cpus_identify(be, be->hw);
	cpus_read_unlock();
	if (ret)
		goto err_free_mask;

	ret = ucode_park_init();
	if (ret)
		goto err_free_mask;
	ret = ucode_kept_init(be);
	if (ret)
		goto err_nmi;

	be->comp = fwact_register(&desc);
	if (IS_ERR(be->comp)) {
		ret = PTR_ERR(be->comp);
		goto err_hotplug;
	}
	ucode_debugfs_init(be);
	if (boot_cpu_has(X86_FEATURE_HYPERVISOR))
		pr_info("running under a hypervisor: late loading %s\n",
			allow_hypervisor ? "allowed for testing" : "refused");
	return 0;

err_hotplug:
	ucode_kept_exit(be);
err_nmi:
	ucode_park_exit();
err_free_mask:
	free_cpumask_var(be->failed);
err_free_kept:
	kfree(be->kept);
err_free_copies:
	kfree(be->copies);
err_free_cpus:
	kfree(be->cpus);
	return ret;
}
module_init(ucode_init);

static void __exit ucode_exit(void)
{
	struct ucode_backend *be = &ucode_be;

	ucode_debugfs_exit(be);
	fwact_unregister(be->comp);
	ucode_kept_exit(be);
	ucode_park_exit();
	mutex_lock(&be->lock);
	ucode_kept_drop(be);
	mutex_unlock(&be->lock);
	ucode_copies_free(be);
	ucode_image_drop(be);
	free_cpumask_var(be->failed);
	kfree(be->kept);
	kfree(be->copies);
	kfree(be->cpus);
}
module_exit(ucode_exit);

MODULE_DESCRIPTION("fwact backend: x86 microcode late loading");
MODULE_LICENSE("GPL");
