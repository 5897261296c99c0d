// SPDX-License-Identifier: GPL-2.0
/*
 * The PFRU update device's fwact side: the ops of its two components and
 * their one activation step, of mode none: the SMI that runs the
 * activation holds the CPUs itself.
 */
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/fwact.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>

#include "pfru_update.h"

#ifdef CONFIG_FWACT_TEST_HOOKS
/*
 * Test builds only: widen the window between the core's prepare op and the
 * activation's firmware call, so that a selftest can write another capsule
 * into it.
 */
static unsigned int test_activate_delay_ms;
module_param(test_activate_delay_ms, uint, 0600);
MODULE_PARM_DESC(test_activate_delay_ms,
		 "test builds: sleep this long before the activation's _DSM call");

static void pfru_test_activate_delay(void)
{
	unsigned int ms = READ_ONCE(test_activate_delay_ms);

	if (ms)
		msleep(ms);
}
#else
static inline void pfru_test_activate_delay(void)
{
}
#endif

const char * const pfru_comp_names[PFRU_TYPE_NR] = {
	[PFRU_TYPE_CODE] = "pfru-code",
	[PFRU_TYPE_DRIVER] = "pfru-driver",
};

static int pfru_op_stage(struct fwact_component *comp, const void *data,
			 size_t size)
{
	struct pfru_comp *pc = fwact_priv(comp);
	struct pfru_device *pdev = pc->pdev;
	struct pfru_capsule_info info;
	int ret;

	mutex_lock(&pdev->node.lock);
	if (data)
		ret = pfru_capsule_load(pdev, data, size, &info);
	else
		ret = pfru_capsule_recheck(pc, &info);
	if (ret)
		goto out_unlock;
	if (info.type != pc->type) {
		dev_warn_ratelimited(pdev->node.dev, "capsule rejected: it is a %s capsule, not %s\n",
				     pfru_comp_names[info.type], pfru_comp_names[pc->type]);
		ret = -EINVAL;
		goto out_unlock;
	}
	ret = pfru_capsule_stage(pc, &info);
out_unlock:
	mutex_unlock(&pdev->node.lock);
	return ret;
}

static void pfru_info_fill(const struct pfru_comp *pc,
			   const struct pfru_update_cap_info *cap,
			   struct fwact_info *info)
{
	bool code = pc->type == PFRU_TYPE_CODE;

	snprintf(info->current_version, sizeof(info->current_version), "%u",
		 code ? cap->code_rt_version : cap->drv_rt_version);
	info->pending_version[0] = '\0';
	info->flags = 0;
	if (cap->update_cap &
	    (code ? PFRU_CAP_CODE_INJECT : PFRU_CAP_DRIVER_UPDATE))
		info->flags |= FWACT_F_CAPABLE;
	/* A capsule STAGE_ACTIVATE stages with its one call is pending too. */
	if (pc->fw_staged || pc->deferred) {
		info->flags |= FWACT_F_PENDING;
		snprintf(info->pending_version, sizeof(info->pending_version),
			 "%u", pc->staged_rt);
	}
}

static int pfru_op_get_info(struct fwact_component *comp,
			    struct fwact_info *info)
{
	struct pfru_comp *pc = fwact_priv(comp);
	struct pfru_update_cap_info cap;
	int ret;

	mutex_lock(&pc->pdev->node.lock);
	ret = pfru_cap_query(pc->pdev, &cap);
	if (!ret)
		pfru_info_fill(pc, &cap, info);
	mutex_unlock(&pc->pdev->node.lock);
	return ret;
}

static int pfru_op_prepare(struct fwact_component *comp)
{
	struct pfru_comp *pc = fwact_priv(comp);
	struct pfru_device *pdev = pc->pdev;
	int ret = 0;

	mutex_lock(&pdev->node.lock);
	if (pc->deferred && pc->deferred_gen != pdev->load_gen) {
		dev_err_ratelimited(pdev->node.dev, "%s: the capsule to stage was overwritten\n",
				    pfru_comp_names[pc->type]);
		pc->deferred = false;
		ret = -ENODATA;
	} else if (!pc->deferred && !pc->fw_staged) {
		dev_err_ratelimited(pdev->node.dev, "%s: the firmware holds no capsule of this type\n",
				    pfru_comp_names[pc->type]);
		ret = -ENODATA;
	}
	mutex_unlock(&pdev->node.lock);
	return ret;
}

static int pfru_op_cancel(struct fwact_component *comp)
{
	struct pfru_comp *pc = fwact_priv(comp);

	/*
	 * The firmware has no call to drop a staged capsule; forgetting it
	 * here makes every later activation of it fail in prepare.
	 */
	mutex_lock(&pc->pdev->node.lock);
	pc->fw_staged = false;
	pc->deferred = false;
	mutex_unlock(&pc->pdev->node.lock);
	return 0;
}

static int pfru_step_activate(void *priv, const struct fwact_call *call)
{
	struct pfru_comp *pc = priv;
	struct pfru_device *pdev = pc->pdev;
	u64 auth_ns = 0, exec_ns = 0;
	u32 action;
	int ret;

	pfru_test_activate_delay();
	mutex_lock(&pdev->node.lock);
	/*
	 * The lock was dropped since prepare checked the buffer: a write()
	 * may have replaced the capsule this component validated. Check
	 * again under the lock the firmware call runs under.
	 */
	if (pc->deferred && pc->deferred_gen != pdev->load_gen) {
		dev_err_ratelimited(pdev->node.dev, "%s: the capsule to activate was overwritten\n",
				    pfru_comp_names[pc->type]);
		ret = -ENODATA;
		goto out_used;
	}
	action = pc->deferred ? PFRU_START_STAGE_ACTIVATE : PFRU_START_ACTIVATE;
	ret = pfru_start(pc, action, &auth_ns, &exec_ns);
	if (!ret) {
		if (action == PFRU_START_ACTIVATE)
			auth_ns = pc->auth_ns;
		fwact_set_fw_times(pc->comp, auth_ns, exec_ns);
	}
out_used:
	/*
	 * Whatever the outcome, the firmware's staged capsule is used up, or
	 * (overwritten) was to be replaced by the one that is gone.
	 */
	pc->fw_staged = false;
	pc->deferred = false;
	mutex_unlock(&pdev->node.lock);
	return ret;
}

static const struct fwact_ops pfru_fwact_ops = {
	.get_info = pfru_op_get_info,
	.stage = pfru_op_stage,
	.prepare = pfru_op_prepare,
	.cancel = pfru_op_cancel,
};

/* The SMI handler holds the CPUs itself: nothing for fwact to gather. */
static const struct fwact_step pfru_steps[] = {
	{ .name = "pfru-activate", .mode = FWACT_MODE_NONE,
	  .act = pfru_step_activate },
};

/* What every component of the update device registers with. */
void pfru_comp_desc_fill(struct fwact_component_desc *desc)
{
	desc->backend = "pfru";
	desc->ops = &pfru_fwact_ops;
	desc->steps = pfru_steps;
	desc->nr_steps = ARRAY_SIZE(pfru_steps);
}
