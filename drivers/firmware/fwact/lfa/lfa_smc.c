// SPDX-License-Identifier: GPL-2.0
/*
 * The firmware-call boundary of the fwact LFA backend: every call into the
 * LFA agent is one lfa_smc(), an SMCCC v1.2 call (ACTIVATE takes x4,
 * GET_INVENTORY returns x4 and x5) through the conduit the kernel
 * discovered, with the inputs and the outputs in separate register sets so
 * that a retry never sends back what the last answer left. There is no
 * other implementation and no way to redirect a call, in any build.
 */
#define pr_fmt(fmt) "fwact-lfa: " fmt

#include <linux/arm-smccc.h>
#include <linux/cache.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/lockdep.h>
#include <linux/string.h>

#include "lfa.h"

static enum arm_smccc_conduit lfa_conduit __ro_after_init = SMCCC_CONDUIT_NONE;

/**
 * lfa_conduit_init() - find how to reach the agent
 *
 * Return: 0, or -ENODEV (with one log line) if the firmware implements no
 * SMCCC v1.1 conduit.
 */
int __init lfa_conduit_init(void)
{
	lfa_conduit = arm_smccc_1_1_get_conduit();
	if (lfa_conduit == SMCCC_CONDUIT_NONE) {
		pr_info("not loaded: the firmware has no SMCCC v1.1 conduit, so no LFA agent\n");
		return -ENODEV;
	}
	return 0;
}

/**
 * lfa_smc() - one call into the agent
 * @args: x0 (the function ID) to x17, going in
 * @res: x0 to x17 as the call returned them
 *
 * Any context; with the CPUs held it is the only thing an action does.
 */
void lfa_smc(const struct arm_smccc_1_2_regs *args,
	     struct arm_smccc_1_2_regs *res)
{
	switch (lfa_conduit) {
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

/**
 * lfa_call() - a call with one argument
 * @fid: the function
 * @x1: its argument
 * @x1_out: if not NULL, set to x1 as returned
 *
 * Return: x0, the status.
 */
u64 lfa_call(u32 fid, u64 x1, u64 *x1_out)
{
	const struct arm_smccc_1_2_regs args = { .a0 = fid, .a1 = x1 };
	struct arm_smccc_1_2_regs res;

	lfa_smc(&args, &res);
	if (x1_out)
		*x1_out = res.a1;
	return res.a0;
}

/**
 * lfa_get_inventory() - LFA_GET_INVENTORY
 * @seq: the sequence id
 * @inv: filled on success
 *
 * x4 and x5 go in as zero: an agent that does not report versions (TF-A
 * answers x0 to x3 only) leaves them as they came, and 0 reads "unknown".
 * The caller holds &lfa_be.seq_lock, so that @seq means what it thinks.
 *
 * Return: 0, or the errno of the status.
 */
int lfa_get_inventory(u32 seq, struct lfa_inv *inv)
{
	const struct arm_smccc_1_2_regs args = {
		.a0 = LFA_FN_GET_INVENTORY,
		.a1 = seq,
		.a4 = 0,
		.a5 = 0,
	};
	struct arm_smccc_1_2_regs res;

	lockdep_assert_held(&lfa_be.seq_lock);
	lfa_smc(&args, &res);
	if (res.a0)
		return lfa_errno(res.a0);
	lfa_guid_from_regs(res.a1, res.a2, &inv->guid);
	inv->flags = res.a3;
	inv->cur = res.a4;
	inv->pend = res.a5;
	return 0;
}
