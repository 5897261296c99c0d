// SPDX-License-Identifier: GPL-2.0
/*
 * fwact TDX backend: runtime update of the Intel TDX module through the
 * P-SEAMLDR, as one fwact component, ``tdx-module``.
 *
 * An image (either header format, tdx_image.h) is parsed and checked when
 * it is staged: its header, its sigstruct, its module pages against the
 * sigstruct's SEAMHASH, every online CPU in its CPUID
 * table, its SVN against the running module's, the running module's
 * handoff version against the range it imports, and debug signing. It
 * becomes SEAMLDR_PARAMS, the page of physical addresses SEAMLDR.INSTALL
 * reads, before any CPU is stopped. The update is then one program run in
 * one rendezvous, in the order of the TDX module base specification:
 *
 *   shutdown  (one CPU)    TDH.SYS.SHUTDOWN with the running module's
 *                          handoff version, AVOID_COMPAT_SENSITIVE when the
 *                          module supports it
 *   install   (every CPU, SEAMLDR.INSTALL: the P-SEAMLDR counts one call
 *              in turn)    per CPU and installs on the last
 *   sys-init  (one CPU)    TDH.SYS.INIT of the new module
 *   lp-init   (every CPU)  TDH.SYS.LP.INIT
 *   update    (one CPU)    TDH.SYS.UPDATE: the new module imports the
 *                          handoff data, the TDs go on running
 *
 * The CPUs are held in the stopper context: a SEAMCALL runs with
 * preemption off and a TD runs with interrupts off, so once every CPU
 * runs its stopper no SEAMCALL is in flight and no CPU is in a TD. A
 * failure on any CPU stops every later step on every CPU (the engine's
 * rule). The serial install step takes a turn per CPU: its budget is the
 * component's ``max_blackout_us``, which the admin sizes for the machine
 * (the P-SEAMLDR's own work happens on the last CPU; the others return
 * at once), up to the core's limit of half the RCU stall timeout.
 *
 * Outcomes. A failure at or before shutdown changes nothing. A failure
 * after it is told apart by asking the module: if the old module still
 * answers (SEAMLDR.INSTALL failed recoverably and restored it) nothing
 * changed; if none answers, the module is gone: the component says so in
 * ``module_state`` (``lost``), its version reads ``unavailable``, every
 * later activation is refused with -ENXIO, and TDX stays unusable until a
 * reboot (as with the kernel's own update).
 *
 * Locking: &tdx_be.lock serializes attach and detach; the component's ops
 * and actions are serialized by the core; the P-SEAMLDR lock keeps one CPU
 * in the P-SEAMLDR outside the rendezvous (inside it, the install step's
 * serial mode does).
 */
#define pr_fmt(fmt) "fwact-tdx: " fmt

#include <linux/atomic.h>
#include <crypto/hash.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/fwact.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/preempt.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>
#include <asm/cpufeature.h>
#include <asm/cpuid/api.h>
#include <asm/processor.h>

#include "tdx_main.h"

struct tdx_be fwact_tdx = {
	.lock = __MUTEX_INITIALIZER(fwact_tdx.lock),
	.upd_lock = __MUTEX_INITIALIZER(fwact_tdx.upd_lock),
	.fail_cpu = -1,
};

#ifdef CONFIG_FWACT_TEST_HOOKS
/* The attached stand-in for SEAMCALL, or NULL: written under be->lock. */
const struct fwact_tdx_hw_ops *fwact_tdx_hw;
#endif

/* One CPU in the P-SEAMLDR at a time (raw: also with interrupts off). */
static DEFINE_RAW_SPINLOCK(tdx_seamldr_lock);

static bool allow_debug;

static int tdx_allow_debug_set(const char *val, const struct kernel_param *kp)
{
	if (security_locked_down(LOCKDOWN_MODULE_PARAMETERS)) {
		pr_err_ratelimited("allow_debug refused: the kernel is locked down\n");
		return -EPERM;
	}
	return param_set_bool(val, kp);
}

static const struct kernel_param_ops tdx_allow_debug_ops = {
	.set = tdx_allow_debug_set,
	.get = param_get_bool,
};
module_param_cb(allow_debug, &tdx_allow_debug_ops, &allow_debug, 0644);
MODULE_PARM_DESC(allow_debug,
		 "Accept debug-signed TDX modules (default: refused; not while locked down)");

/* A TDX-module SEAMCALL from process context. */
static u64 tdx_module_call(u64 fn, struct fwact_tdx_args *args)
{
	u64 status;

	preempt_disable();
	status = fwact_tdx_seamcall(fn, args);
	preempt_enable();
	return status;
}

static int tdx_rd(u64 field, u64 *val)
{
	struct fwact_tdx_args args = { .rdx = field };
	u64 status = tdx_module_call(TDH_SYS_RD, &args);

	if (status)
		return fwact_tdx_seamcall_errno(status);
	*val = args.r8;
	return 0;
}

/**
 * fwact_tdx_module_read() - ask the running TDX module what it is
 * @mod: filled on success
 *
 * Return: 0, or the errno of the TDH.SYS.RD that failed (no module runs).
 */
int fwact_tdx_module_read(struct tdx_module *mod)
{
	u64 major, minor, update, features0, hv;
	int ret;

	ret = tdx_rd(TDX_MD_MAJOR_VERSION, &major);
	if (!ret)
		ret = tdx_rd(TDX_MD_MINOR_VERSION, &minor);
	if (!ret)
		ret = tdx_rd(TDX_MD_UPDATE_VERSION, &update);
	if (!ret)
		ret = tdx_rd(TDX_MD_FEATURES0, &features0);
	if (!ret)
		ret = tdx_rd(TDX_MD_MODULE_HV, &hv);
	if (ret)
		return ret;
	mod->major = major;
	mod->minor = minor;
	mod->update = update;
	mod->features0 = features0;
	mod->module_hv = hv;
	return 0;
}

/**
 * fwact_tdx_seamldr_info() - SEAMLDR.INFO
 * @be: the backend (its 256-byte buffer)
 * @ldr: filled on success
 *
 * A live query, one CPU in the P-SEAMLDR at a time. Process context.
 *
 * Return: 0, or the errno of the call's status.
 */
int fwact_tdx_seamldr_info(struct tdx_be *be, struct tdx_seamldr *ldr)
{
	struct fwact_tdx_args args = { .rcx = virt_to_phys(be->info_buf) };
	const u8 *info = be->info_buf;
	unsigned long flags;
	u64 status;

	raw_spin_lock_irqsave(&tdx_seamldr_lock, flags);
	memset(be->info_buf, 0, TDX_SEAMLDR_INFO_SIZE);
	status = fwact_tdx_seamcall(TDX_SEAMLDR_INFO, &args);
	if (!status) {
		ldr->major = get_unaligned_le16(info + TDX_SEAMLDR_INFO_MAJOR);
		ldr->minor = get_unaligned_le16(info + TDX_SEAMLDR_INFO_MINOR);
		ldr->update = get_unaligned_le16(info + TDX_SEAMLDR_INFO_UPDATE);
		ldr->remaining = get_unaligned_le32(info +
						    TDX_SEAMLDR_INFO_REMAINING);
		ldr->seam_ready = info[TDX_SEAMLDR_INFO_SEAM_READY];
		ldr->svn_minor = info[TDX_SEAMLDR_INFO_SVN_MINOR];
		ldr->svn_major = info[TDX_SEAMLDR_INFO_SVN_MAJOR];
	}
	raw_spin_unlock_irqrestore(&tdx_seamldr_lock, flags);
	return fwact_tdx_seamcall_errno(status);
}

/* The steps' actions: the SEAMCALL, and on failure the evidence. */

static int tdx_fail(struct tdx_be *be, u64 status, u64 rdx, unsigned int cpu)
{
	if (cmpxchg(&be->fail_cpu, -1, cpu) == -1) {
		be->fail_status = status;
		be->fail_rdx = rdx;
	}
	return fwact_tdx_seamcall_errno(status);
}

static int tdx_act_shutdown(void *priv, const struct fwact_call *call)
{
	struct tdx_be *be = priv;
	struct fwact_tdx_args args = { .rcx = be->shutdown_rcx };
	u64 status = fwact_tdx_seamcall(TDH_SYS_SHUTDOWN, &args);

	if (status)
		return tdx_fail(be, status, 0, call->cpu);
	WRITE_ONCE(be->shut, true);
	return 0;
}

/*
 * No lock: the serial mode runs one CPU at a time, and nothing else can
 * call the P-SEAMLDR while every CPU is held.
 */
static int tdx_act_install(void *priv, const struct fwact_call *call)
{
	struct tdx_be *be = priv;
	struct fwact_tdx_args args = { .rcx = be->params_pa };
	u64 status = fwact_tdx_seamcall(TDX_SEAMLDR_INSTALL, &args);

	if (status)
		return tdx_fail(be, status, args.rdx, call->cpu);
	return 0;
}

static int tdx_act_simple(struct tdx_be *be, u64 fn, unsigned int cpu)
{
	struct fwact_tdx_args args = {};
	u64 status = fwact_tdx_seamcall(fn, &args);

	if (status)
		return tdx_fail(be, status, 0, cpu);
	return 0;
}

static int tdx_act_sys_init(void *priv, const struct fwact_call *call)
{
	return tdx_act_simple(priv, TDH_SYS_INIT, call->cpu);
}

static int tdx_act_lp_init(void *priv, const struct fwact_call *call)
{
	return tdx_act_simple(priv, TDH_SYS_LP_INIT, call->cpu);
}

static int tdx_act_update(void *priv, const struct fwact_call *call)
{
	return tdx_act_simple(priv, TDH_SYS_UPDATE, call->cpu);
}

static const struct fwact_step tdx_steps[TDX_STEP_NR] = {
	[TDX_STEP_SHUTDOWN] = { "shutdown", FWACT_MODE_ONE, tdx_act_shutdown },
	[TDX_STEP_INSTALL] = { "install", FWACT_MODE_SERIAL, tdx_act_install },
	[TDX_STEP_SYS_INIT] = { "sys-init", FWACT_MODE_ONE, tdx_act_sys_init },
	[TDX_STEP_LP_INIT] = { "lp-init", FWACT_MODE_ALL, tdx_act_lp_init },
	[TDX_STEP_UPDATE] = { "update", FWACT_MODE_ONE, tdx_act_update },
};

/* The checks the kernel can make before any CPU stops. */

static void tdx_cpuid1(void *sig)
{
	*(u32 *)sig = cpuid_eax(1);
}

/* Every online CPU is in @sig's CPUID table. Hotplug held or not. */
static int tdx_cpus_supported(const struct tdx_sigstruct *sig)
{
	unsigned int cpu;
	u32 eax;

	for_each_online_cpu(cpu) {
		if (smp_call_function_single(cpu, tdx_cpuid1, &eax, 1))
			continue;	/* went offline: not a CPU to run on */
		if (!tdx_sigstruct_runs_on(sig, eax)) {
			pr_err_ratelimited("image refused: CPU %u (CPUID(1).EAX 0x%x) is not in the module's CPUID table\n",
					   cpu, eax);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

/* The image may replace the running module. */
static int tdx_update_allowed(struct tdx_be *be, const struct tdx_image *img)
{
	struct tdx_running cur = {
		.svn_minor = be->ldr.svn_minor,
		.svn_major = be->ldr.svn_major,
		.module_hv = be->mod.module_hv,
	};
	enum tdx_update_fault fault;

	fault = tdx_image_update_check(&img->sig, &cur, READ_ONCE(allow_debug));
	if (fault == TDX_UPDATE_FAULT_NONE)
		return tdx_cpus_supported(&img->sig);
	pr_err_ratelimited("image refused: %s (module SVN %u.%u, running %u.%u; handoff %u..%u, running %u)\n",
			   tdx_update_fault_str(fault), img->sig.svn_major,
			   img->sig.svn_minor, cur.svn_major, cur.svn_minor,
			   img->sig.min_update_hv, img->sig.module_hv,
			   cur.module_hv);
	switch (fault) {
	case TDX_UPDATE_FAULT_HANDOFF:
		return -EPROTO;
	case TDX_UPDATE_FAULT_CPU:
		return -EOPNOTSUPP;
	default:
		return -EPERM;
	}
}

/*
 * The module pages are the ones the sigstruct describes: SEAMHASH is their
 * SHA-384. The P-SEAMLDR checks it too, but only after it has begun to
 * overwrite the running module; checked here, a damaged image stops
 * nothing.
 */
static int tdx_seamhash_check(const struct tdx_image *img)
{
	u8 digest[TDX_SIGSTRUCT_HASH_BYTES];
	struct crypto_shash *tfm;
	int ret;

	tfm = crypto_alloc_shash("sha384", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	ret = crypto_shash_tfm_digest(tfm, tdx_image_module(img),
				      (size_t)img->module_pages *
				      TDX_IMAGE_PAGE_SIZE, digest);
	crypto_free_shash(tfm);
	if (ret)
		return ret;
	if (memcmp(digest, img->sig.seamhash, sizeof(digest))) {
		pr_err_ratelimited("image refused: the module pages do not match the sigstruct's SEAMHASH\n");
		return -EBADMSG;
	}
	return 0;
}

/* The firmware's view now: module and P-SEAMLDR. */
static int tdx_refresh(struct tdx_be *be)
{
	int ret;

	ret = fwact_tdx_seamldr_info(be, &be->ldr);
	if (ret)
		return ret;
	if (be->lost)
		return -ENXIO;
	return fwact_tdx_module_read(&be->mod);
}

static void tdx_image_drop(struct tdx_be *be)
{
	vfree(be->image);
	be->image = NULL;
	memset(&be->img, 0, sizeof(be->img));
}

/* The physical address of a page of the vmalloc'd image. */
static u64 tdx_image_pa(const void *page, void *ctx)
{
	return page_to_phys(vmalloc_to_page(page));
}

/* The component's ops, serialized by the core. */

static int tdx_get_info(struct fwact_component *comp, struct fwact_info *info)
{
	struct tdx_be *be = fwact_priv(comp);
	const struct tdx_sigstruct *sig = &be->img.sig;

	if (be->lost)
		strscpy(info->current_version, "unavailable",
			sizeof(info->current_version));
	else
		snprintf(info->current_version, sizeof(info->current_version),
			 "%u.%u.%02u", be->mod.major, be->mod.minor,
			 be->mod.update);
	info->flags = FWACT_F_RENDEZVOUS;
	if (!be->lost && be->mod.features0 & TDX_FEATURES0_TD_PRESERVING)
		info->flags |= FWACT_F_CAPABLE;
	if (be->image) {
		/* A module's version is in its binary; the sigstruct has SVN. */
		snprintf(info->pending_version, sizeof(info->pending_version),
			 "svn %u.%u built %04x-%02x-%02x", sig->svn_major,
			 sig->svn_minor, sig->date >> 16,
			 (sig->date >> 8) & 0xff, sig->date & 0xff);
		info->flags |= FWACT_F_PENDING;
	} else {
		info->pending_version[0] = '\0';
	}
	return 0;
}

static int tdx_stage(struct fwact_component *comp, const void *data,
		     size_t size)
{
	struct tdx_be *be = fwact_priv(comp);
	struct tdx_image_err err;
	struct tdx_image img;
	void *copy;
	int ret;

	if (!data)
		return -EINVAL;
	ret = tdx_refresh(be);
	if (ret) {
		pr_err_ratelimited("image refused: the TDX module does not answer (%d)\n",
				   ret);
		return ret;
	}
	/* Page-aligned pages: SEAMLDR_PARAMS points at each of them. */
	copy = vmalloc(size);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, data, size);
	if (tdx_image_parse(copy, size, &img, &err)) {
		pr_err_ratelimited("image refused at offset %zu: %s\n", err.off,
				   tdx_image_fault_str(err.fault));
		ret = -EINVAL;
		goto out_free;
	}
	ret = tdx_seamhash_check(&img);
	if (!ret)
		ret = tdx_update_allowed(be, &img);
	if (ret)
		goto out_free;
	memset(be->params, 0, TDX_PARAMS_SIZE);
	ret = tdx_image_params(&img, be->params, tdx_image_pa, NULL);
	if (!ret && tdx_params_check(be->params) != TDX_PARAMS_FAULT_NONE)
		ret = -EINVAL;
	if (ret) {
		pr_err_ratelimited("image refused: cannot describe it to the P-SEAMLDR\n");
		goto out_free;
	}
	tdx_image_drop(be);
	be->image = copy;
	be->img = img;
	pr_info("staged a %s TDX module image: %u module pages, SVN %u.%u\n",
		img.format == TDX_IMAGE_FORMAT_V1 ? "0x100" : "0x200",
		img.module_pages, img.sig.svn_major, img.sig.svn_minor);
	return 0;

out_free:
	vfree(copy);
	return ret;
}

static int tdx_prepare(struct fwact_component *comp)
{
	struct tdx_be *be = fwact_priv(comp);
	unsigned int cpu;
	int ret;

	if (be->lost) {
		pr_err_ratelimited("refused: a failed update left no TDX module running; reboot\n");
		return -ENXIO;
	}
	if (!be->image)
		return -ENODATA;
	ret = tdx_refresh(be);
	if (ret) {
		pr_err_ratelimited("refused: the TDX module does not answer (%d)\n",
				   ret);
		return ret;
	}
	if (!(be->mod.features0 & TDX_FEATURES0_TD_PRESERVING)) {
		pr_err_ratelimited("refused: the running TDX module cannot be updated at run time (no TD_PRESERVING)\n");
		return -EOPNOTSUPP;
	}
	if (!be->ldr.remaining) {
		pr_err_ratelimited("refused: the P-SEAMLDR takes no more updates until a reboot\n");
		return -ENOSPC;
	}
	/* The P-SEAMLDR installs only once every LP has called it. */
	for_each_present_cpu(cpu) {
		if (!cpu_online(cpu)) {
			pr_err_ratelimited("refused: CPU %u is offline, and the P-SEAMLDR needs every CPU\n",
					   cpu);
			return -EBUSY;
		}
	}
	ret = tdx_update_allowed(be, &be->img);
	if (ret)
		return ret;

	be->shutdown_rcx = be->mod.module_hv & TDX_SHUTDOWN_HV_MASK;
	if (be->mod.features0 & TDX_FEATURES0_UPDATE_COMPAT)
		be->shutdown_rcx |= TDX_SHUTDOWN_AVOID_COMPAT;
	be->fail_cpu = -1;
	be->fail_status = 0;
	be->fail_rdx = 0;
	be->shut = false;
#ifdef CONFIG_FWACT_TEST_HOOKS
	if (fwact_tdx_hw && fwact_tdx_hw->prepare)
		return fwact_tdx_hw->prepare(be->params_pa);
#endif
	return 0;
}

static void tdx_finish(struct fwact_component *comp, int result,
		       const struct fwact_measure *m)
{
	struct tdx_be *be = fwact_priv(comp);
	struct tdx_module old = be->mod;
	char why[128];
	int ret;

	if (be->fail_cpu >= 0) {
		fwact_set_fw_status(comp, be->fail_status, be->fail_rdx);
		snprintf(why, sizeof(why),
			 "step %s failed on CPU %d with status 0x%llx",
			 m->failed_step >= 0 && m->failed_step < TDX_STEP_NR ?
			 tdx_steps[m->failed_step].name : "?", be->fail_cpu,
			 be->fail_status);
	} else if (m->overrun_step >= 0 && m->overrun_step < TDX_STEP_NR) {
		snprintf(why, sizeof(why),
			 "step %s ran past max_blackout_us, no later step started",
			 tdx_steps[m->overrun_step].name);
	} else {
		snprintf(why, sizeof(why), "the rendezvous failed (%d)",
			 result);
	}

	/* What runs now decides the outcome, not what was expected to. */
	ret = fwact_tdx_module_read(&be->mod);
	fwact_tdx_seamldr_info(be, &be->ldr);
	if (!result && !ret) {
		tdx_image_drop(be);
		pr_info("TDX module updated from %u.%u.%02u to %u.%u.%02u; %u updates left\n",
			old.major, old.minor, old.update, be->mod.major,
			be->mod.minor, be->mod.update, be->ldr.remaining);
		return;
	}
	if (!ret) {
		pr_err("update failed, nothing changed, TDX module %u.%u.%02u still runs: %s\n",
		       be->mod.major, be->mod.minor, be->mod.update, why);
		return;
	}
	be->mod = old;
	if (!be->shut) {
		/* Nothing was shut down, yet the module does not answer. */
		pr_err("update failed and the TDX module does not answer (%d): %s\n",
		       ret, why);
		return;
	}
	be->lost = true;
	if (!result)
		pr_err("update done, but the new TDX module does not answer (%d): TDX is unavailable until a reboot\n",
		       ret);
	else
		pr_err("update failed after the TDX module was shut down, no TDX module runs, TDX is unavailable until a reboot: %s\n",
		       why);
}

static int tdx_cancel(struct fwact_component *comp)
{
	tdx_image_drop(fwact_priv(comp));
	return 0;
}

static const struct fwact_ops tdx_ops = {
	.get_info = tdx_get_info,
	.stage = tdx_stage,
	.prepare = tdx_prepare,
	.finish = tdx_finish,
	.cancel = tdx_cancel,
};

/*
 * The CPUs are held through a SEAMLDR.INSTALL on every CPU in turn and a
 * TDH.SYS.LP.INIT on each: the default budget grows with the CPUs (5 ms a
 * CPU is generous: Intel measured whole updates under 10 ms), and an
 * admin may raise it to the core's ceiling for a machine of many CPUs.
 */
#define TDX_BUDGET_BASE_US	1000000U
#define TDX_BUDGET_CPU_US	5000U

static u32 tdx_budget_us(void)
{
	u64 us = TDX_BUDGET_BASE_US +
		 (u64)num_possible_cpus() * TDX_BUDGET_CPU_US;

	return min_t(u64, us, FWACT_BUDGET_CEILING_US);
}

/* Register the component and /sys/devices/tdx/ for the module running. */
static int tdx_be_start(struct tdx_be *be)
{
	struct fwact_component_desc desc = {
		.name = "tdx-module",
		.backend = "tdx",
		.ops = &tdx_ops,
		.steps = tdx_steps,
		.nr_steps = ARRAY_SIZE(tdx_steps),
		.max_image_size = TDX_IMAGE_MAX_SIZE,
		.priv = be,
		.owner = THIS_MODULE,
		.context = FWACT_CONTEXT_STOPPER,
		.flags = FWACT_DESC_UPLOAD_ACTIVATE | FWACT_DESC_RENDEZVOUS,
		.groups = fwact_tdx_comp_groups,
		/* The kernel's ABI: /sys/class/firmware/tdx_module/. */
		.upload_name = "tdx_module",
		.budget_us = tdx_budget_us(),
		.max_budget_us = FWACT_BUDGET_CEILING_US,
	};
	struct fwact_component *comp;
	int ret;

	lockdep_assert_held(&be->lock);
	be->lost = false;
	ret = tdx_refresh(be);
	if (ret)
		return ret;
	be->dev = root_device_register("tdx");
	if (IS_ERR(be->dev)) {
		ret = PTR_ERR(be->dev);
		be->dev = NULL;
		return ret;
	}
	desc.upload_parent = be->dev;
	comp = fwact_register(&desc);
	if (IS_ERR(comp)) {
		root_device_unregister(be->dev);
		be->dev = NULL;
		return PTR_ERR(comp);
	}
	be->comp = comp;
	ret = fwact_tdx_dev_add(be);
	if (ret) {
		fwact_unregister(comp);
		be->comp = NULL;
		root_device_unregister(be->dev);
		be->dev = NULL;
		return ret;
	}
	pr_info("TDX module %u.%u.%02u, P-SEAMLDR %u.%u.%02u, %u updates left\n",
		be->mod.major, be->mod.minor, be->mod.update, be->ldr.major,
		be->ldr.minor, be->ldr.update, be->ldr.remaining);
	return 0;
}

static void tdx_be_stop(struct tdx_be *be)
{
	lockdep_assert_held(&be->lock);
	if (!be->comp)
		return;
	/* Writers of /sys/devices/tdx/update are drained first. */
	fwact_tdx_dev_remove_files(be);
	fwact_unregister(be->comp);
	be->comp = NULL;
	fwact_tdx_dev_remove(be);
	root_device_unregister(be->dev);
	be->dev = NULL;
	tdx_image_drop(be);
}

/* Does this machine run a TDX module the backend can update? */
static int tdx_native_check(void)
{
	struct tdx_module mod;
	int ret;

#ifdef X86_FEATURE_TDX_HOST_PLATFORM
	if (!boot_cpu_has(X86_FEATURE_TDX_HOST_PLATFORM)) {
		pr_info("not a TDX host (no SEAM range reserved by the BIOS)\n");
		return -ENODEV;
	}
#else
	pr_info("this kernel has no TDX host support\n");
	return -ENODEV;
#endif
#ifdef X86_BUG_SEAMRET_INVD_VMCS
	if (boot_cpu_has_bug(X86_BUG_SEAMRET_INVD_VMCS)) {
		pr_info("this CPU loses its current VMCS on SEAMRET from the P-SEAMLDR: no runtime updates\n");
		return -ENODEV;
	}
#endif
	ret = fwact_tdx_module_read(&mod);
	if (ret) {
		pr_info("no initialized TDX module answers (%d)\n", ret);
		return -ENODEV;
	}
	return 0;
}

#ifdef CONFIG_FWACT_TEST_HOOKS
/**
 * fwact_tdx_hw_attach() - send the backend's SEAMCALLs to a stand-in
 * @ops: the stand-in; must stay valid until fwact_tdx_hw_detach()
 *
 * Test builds only. Registers the ``tdx-module`` component for the module
 * the stand-in emulates. Process context.
 *
 * Return: 0; -EBUSY if a stand-in (or a real TDX module) is in use;
 * -EINVAL without a seamcall op; or the error of the registration.
 */
int fwact_tdx_hw_attach(const struct fwact_tdx_hw_ops *ops)
{
	struct tdx_be *be = &fwact_tdx;
	int ret;

	if (!ops || !ops->seamcall)
		return -EINVAL;
	mutex_lock(&be->lock);
	if (be->comp) {
		ret = -EBUSY;
		goto out;
	}
	WRITE_ONCE(fwact_tdx_hw, ops);
	ret = tdx_be_start(be);
	if (ret)
		WRITE_ONCE(fwact_tdx_hw, NULL);
	else
		pr_warn("test hooks: SEAMCALLs now go to a test module\n");
out:
	mutex_unlock(&be->lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(fwact_tdx_hw_attach, "FWACT_TEST");

/**
 * fwact_tdx_hw_detach() - stop using a stand-in
 * @ops: what fwact_tdx_hw_attach() was given
 *
 * Removes the component (waiting for an operation in flight); when it
 * returns the backend no longer calls @ops. Process context.
 */
void fwact_tdx_hw_detach(const struct fwact_tdx_hw_ops *ops)
{
	struct tdx_be *be = &fwact_tdx;

	mutex_lock(&be->lock);
	if (READ_ONCE(fwact_tdx_hw) == ops) {
		tdx_be_stop(be);
		WRITE_ONCE(fwact_tdx_hw, NULL);
	}
	mutex_unlock(&be->lock);
}
EXPORT_SYMBOL_NS_GPL(fwact_tdx_hw_detach, "FWACT_TEST");

static struct dentry *tdx_debugfs;

/*
 * native_seamcall: the real instruction, whatever the machine: on one
 * without SEAM it must come back as TDX_SEAMCALL_UD through the exception
 * table, not oops. Reading makes a SEAMLDR.INFO on the reading CPU.
 */
static int tdx_native_show(struct seq_file *s, void *unused)
{
	struct fwact_tdx_args args = { .rcx = virt_to_phys(fwact_tdx.info_buf) };
	unsigned long flags;
	u64 status;

	raw_spin_lock_irqsave(&tdx_seamldr_lock, flags);
	status = fwact_tdx_native_seamcall(TDX_SEAMLDR_INFO, &args);
	raw_spin_unlock_irqrestore(&tdx_seamldr_lock, flags);
	seq_printf(s, "status=0x%llx errno=%d\n", status,
		   fwact_tdx_seamcall_errno(status));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tdx_native);

static void tdx_debugfs_init(void)
{
	tdx_debugfs = debugfs_create_dir("fwact_tdx", NULL);
	debugfs_create_file("native_seamcall", 0400, tdx_debugfs, NULL,
			    &tdx_native_fops);
}

static void tdx_debugfs_exit(void)
{
	debugfs_remove_recursive(tdx_debugfs);
}
#else
static void tdx_debugfs_init(void)
{
}

static void tdx_debugfs_exit(void)
{
}
#endif

static int __init fwact_tdx_init(void)
{
	struct tdx_be *be = &fwact_tdx;
	int ret;

	/* kmalloc() aligns a 256-byte object to 256 bytes. */
	be->info_buf = kzalloc(TDX_SEAMLDR_INFO_SIZE, GFP_KERNEL);
	be->params = (void *)get_zeroed_page(GFP_KERNEL);
	if (!be->info_buf || !be->params) {
		ret = -ENOMEM;
		goto out_free;
	}
	be->params_pa = virt_to_phys(be->params);

	ret = tdx_native_check();
	if (!ret) {
		mutex_lock(&be->lock);
		ret = tdx_be_start(be);
		mutex_unlock(&be->lock);
		if (ret)
			goto out_free;
	} else if (IS_ENABLED(CONFIG_FWACT_TEST_HOOKS)) {
		pr_info("test build: loaded for an emulator to attach\n");
		ret = 0;
	} else {
		goto out_free;
	}
	tdx_debugfs_init();
	return 0;

out_free:
	free_page((unsigned long)be->params);
	kfree(be->info_buf);
	return ret;
}
module_init(fwact_tdx_init);

static void __exit fwact_tdx_exit(void)
{
	struct tdx_be *be = &fwact_tdx;

	tdx_debugfs_exit();
	mutex_lock(&be->lock);
	tdx_be_stop(be);
	mutex_unlock(&be->lock);
	kvfree(be->upd_buf);
	free_page((unsigned long)be->params);
	kfree(be->info_buf);
}
module_exit(fwact_tdx_exit);

MODULE_DESCRIPTION("fwact: Intel TDX module runtime update through the P-SEAMLDR");
MODULE_LICENSE("GPL");
