// SPDX-License-Identifier: GPL-2.0
/*
 * fwact core: registration of firmware components and their state machine.
 *
 * A backend registers a component with fwact_register(); from then on the
 * core owns its life cycle (idle -> staged -> activating -> activated |
 * failed), serializes the backend's ops, runs the activation program through
 * the rendezvous engine, records every attempt in the journal and tells user
 * space about each state change with a KOBJ_CHANGE uevent. The sysfs files
 * that drive all this are in sysfs.c.
 */

#define pr_fmt(fmt) "fwact: " fmt

#include <kunit/visibility.h>
#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/firmware.h>
#include <linux/fwact.h>
#include <linux/kobject.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/panic.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "fwact-internal.h"

const char * const fwact_state_names[FWACT_STATE_NR] = {
	[FWACT_STATE_IDLE]		= "idle",
	[FWACT_STATE_STAGED]		= "staged",
	[FWACT_STATE_ACTIVATING]	= "activating",
	[FWACT_STATE_ACTIVATED]		= "activated",
	[FWACT_STATE_FAILED]		= "failed",
};

/* One activation at a time, system-wide: the CPUs can only be held once. */
static DEFINE_MUTEX(fwact_activation_lock);
/* A component's name is looked up and taken as one step. */
static DEFINE_MUTEX(fwact_register_lock);
static struct kset *fwact_kset;
static struct dentry *fwact_debugfs;

static void fwact_state_set(struct fwact_component *comp,
			    enum fwact_state state, int result)
{
	char state_env[32], result_env[32];
	char *envp[3] = { state_env, NULL, NULL };

	spin_lock(&comp->lock);
	comp->state = state;
	spin_unlock(&comp->lock);

	snprintf(state_env, sizeof(state_env), "FWACT_STATE=%s",
		 fwact_state_names[state]);
	if (state == FWACT_STATE_ACTIVATED || state == FWACT_STATE_FAILED) {
		snprintf(result_env, sizeof(result_env), "FWACT_RESULT=%d",
			 result);
		envp[1] = result_env;
	}
	kobject_uevent_env(&comp->kobj, KOBJ_CHANGE, envp);
}

/*
 * Refresh the cached info from the firmware. The firmware is the
 * authority on what it holds: when @may_move, a component shown as staged
 * whose image the firmware no longer reports pending (another image took
 * its place in a buffer they share) goes back to idle. Only operations
 * move the state: a reader refreshes the info and nothing else.
 */
static void fwact_info_update(struct fwact_component *comp, bool may_move)
{
	struct fwact_info info = {};
	bool dropped;
	int ret;

	lockdep_assert_held(&comp->op_lock);
	ret = comp->desc.ops->get_info(comp, &info);
	if (ret) {
		pr_warn_ratelimited("%s: reading firmware info failed: %d\n",
				    comp->name, ret);
		return;
	}
	info.current_version[FWACT_VERSION_LEN - 1] = '\0';
	info.pending_version[FWACT_VERSION_LEN - 1] = '\0';
	spin_lock(&comp->lock);
	comp->info = info;
	dropped = may_move && comp->state == FWACT_STATE_STAGED &&
		  !(info.flags & FWACT_F_PENDING);
	spin_unlock(&comp->lock);

	if (dropped) {
		pr_info_ratelimited("%s: the firmware no longer holds the staged image\n",
				    comp->name);
		fwact_state_set(comp, FWACT_STATE_IDLE, 0);
	}
}

/* An operation's refresh: it may move a dropped image's state to idle. */
static void fwact_info_refresh(struct fwact_component *comp)
{
	fwact_info_update(comp, true);
}

/**
 * fwact_info_read() - what the firmware says about a component
 * @comp: the component
 * @info: filled in
 *
 * Asks the backend when no op is running on @comp; while one is (an
 * activation may hold the op lock for a second), returns what was read
 * last, so that reading sysfs never waits for an activation. A reader
 * never moves the state and never sends a uevent.
 */
void fwact_info_read(struct fwact_component *comp, struct fwact_info *info)
{
	if (mutex_trylock(&comp->op_lock)) {
		fwact_info_update(comp, false);
		mutex_unlock(&comp->op_lock);
	}
	spin_lock(&comp->lock);
	*info = comp->info;
	spin_unlock(&comp->lock);
}

static void fwact_op_busy_clear(struct fwact_component *comp)
{
	spin_lock(&comp->lock);
	comp->op_busy = false;
	spin_unlock(&comp->lock);
	wake_up_var(&comp->op_busy);
}

/*
 * Writers (stage, activate, cancel, the rw attributes) take the component
 * with fwact_op_begin(): a second writer gets -EBUSY at once rather than
 * queueing behind an activation, while a reader refreshing the info only
 * delays a writer by one get_info call.
 */
static int fwact_op_begin(struct fwact_component *comp)
{
	int ret = 0;

	spin_lock(&comp->lock);
	if (comp->gone)
		ret = -ENODEV;
	else if (comp->op_busy)
		ret = -EBUSY;
	else
		comp->op_busy = true;
	spin_unlock(&comp->lock);
	if (ret)
		return ret;
	/* The backend's module stays while one of its ops may run. */
	if (!try_module_get(comp->desc.owner)) {
		fwact_op_busy_clear(comp);
		return -ENODEV;
	}
	mutex_lock(&comp->op_lock);
	return 0;
}

static void fwact_op_end(struct fwact_component *comp)
{
	mutex_unlock(&comp->op_lock);
	module_put(comp->desc.owner);
	fwact_op_busy_clear(comp);
}

bool fwact_program_is_none(const struct fwact_component *comp)
{
	return comp->desc.steps[0].mode == FWACT_MODE_NONE;
}

bool fwact_uses_rendezvous(const struct fwact_component *comp,
			   const struct fwact_info *info)
{
	if (fwact_program_is_none(comp))
		return false;
	return (comp->desc.flags & FWACT_DESC_RENDEZVOUS) ||
	       (info->flags & FWACT_F_RENDEZVOUS) ||
	       READ_ONCE(comp->force_rendezvous);
}

const char *fwact_mode_name(const struct fwact_component *comp,
			    const struct fwact_info *info)
{
	if (!fwact_uses_rendezvous(comp, info))
		return fwact_mode_names[FWACT_MODE_NONE];
	if (comp->desc.nr_steps > 1)
		return "steps";
	return fwact_mode_names[comp->desc.steps[0].mode];
}

/**
 * fwact_set_force_rendezvous() - set the admin's ``force_cpu_rendezvous``
 * @comp: the component
 * @force: hold the CPUs on every activation, whatever the firmware needs
 *
 * What a write to ``force_cpu_rendezvous`` does, for a backend that offers
 * the same setting in a sysfs tree of its own ABI (LFA's
 * /sys/firmware/lfa/<GUID>/), so that both files are one setting. An
 * operation: -EBUSY while another one runs on @comp. Process context.
 *
 * Return: 0; -EOPNOTSUPP to force a program that never holds the CPUs, or
 * to clear it on a component whose firmware always needs them held
 * (%FWACT_DESC_RENDEZVOUS); -EBUSY; -ENODEV if @comp is going.
 */
int fwact_set_force_rendezvous(struct fwact_component *comp, bool force)
{
	int ret;

	if (force && fwact_program_is_none(comp))
		return -EOPNOTSUPP;
	if (!force && comp->desc.flags & FWACT_DESC_RENDEZVOUS)
		return -EOPNOTSUPP;
	ret = fwact_op_begin(comp);
	if (ret)
		return ret;
	WRITE_ONCE(comp->force_rendezvous, force);
	fwact_op_end(comp);
	return 0;
}
EXPORT_SYMBOL_GPL(fwact_set_force_rendezvous);

/**
 * fwact_get_force_rendezvous() - the admin's ``force_cpu_rendezvous``
 * @comp: the component
 *
 * Return: true if every activation of @comp holds the CPUs, whatever the
 * firmware reports.
 */
bool fwact_get_force_rendezvous(const struct fwact_component *comp)
{
	return READ_ONCE(comp->force_rendezvous);
}
EXPORT_SYMBOL_GPL(fwact_get_force_rendezvous);

int fwact_set_budget(struct fwact_component *comp, u32 budget_us)
{
	u32 rcu_max = fwact_rv_budget_max_us();
	u32 max = min(comp->budget_max_us, rcu_max);
	int ret;

	if (!budget_us)
		return -EINVAL;
	if (budget_us > max) {
		pr_err_ratelimited("%s: max_blackout_us %u is above the %u us limit (the %s backend's %u, half the RCU CPU stall timeout %u)\n",
				   comp->name, budget_us, max,
				   comp->desc.backend, comp->budget_max_us,
				   rcu_max);
		return -EINVAL;
	}
	ret = fwact_op_begin(comp);
	if (ret)
		return ret;
	WRITE_ONCE(comp->budget_us, budget_us);
	fwact_op_end(comp);
	return 0;
}

static void fwact_fw_report_clear(struct fwact_component *comp)
{
	spin_lock(&comp->lock);
	comp->fw_status_valid = false;
	comp->fw_status = 0;
	comp->fw_ext_status = 0;
	comp->fw_auth_ns = 0;
	comp->fw_exec_ns = 0;
	spin_unlock(&comp->lock);
}

static void fwact_last_error_set(struct fwact_component *comp, int err)
{
	spin_lock(&comp->lock);
	comp->last_error = err;
	spin_unlock(&comp->lock);
}

/**
 * fwact_set_fw_status() - report the firmware's status of the current op
 * @comp: the component
 * @status: firmware status code (a SEAMCALL's is 64-bit)
 * @ext_status: firmware extended status code
 *
 * Shown in ``last_fw_status`` until the next stage or activation. May be
 * called from a backend's ops and from actions of %FWACT_MODE_NONE steps.
 */
void fwact_set_fw_status(struct fwact_component *comp, u64 status,
			 u64 ext_status)
{
	spin_lock(&comp->lock);
	comp->fw_status_valid = true;
	comp->fw_status = status;
	comp->fw_ext_status = ext_status;
	spin_unlock(&comp->lock);
}
EXPORT_SYMBOL_GPL(fwact_set_fw_status);

/**
 * fwact_set_fw_times() - report the times the firmware measured itself
 * @comp: the component
 * @auth_ns: authentication time in ns (0 if not reported)
 * @exec_ns: execution time in ns (0 if not reported)
 *
 * Added to the measurements of the activation in progress. Same calling
 * rules as fwact_set_fw_status().
 */
void fwact_set_fw_times(struct fwact_component *comp, u64 auth_ns,
			u64 exec_ns)
{
	spin_lock(&comp->lock);
	comp->fw_auth_ns = auth_ns;
	comp->fw_exec_ns = exec_ns;
	spin_unlock(&comp->lock);
}
EXPORT_SYMBOL_GPL(fwact_set_fw_times);

/**
 * fwact_notify() - tell the core the firmware's view of a component changed
 * @comp: the component
 *
 * For changes the core did not cause (an image reached the firmware by
 * other means, or the firmware dropped one; a platform notification).
 * Re-reads the info (a staged image the firmware no longer holds makes
 * the component idle) and sends a KOBJ_CHANGE uevent. Serialized with
 * every other operation on @comp: it waits for one in progress, an
 * activation included. Process context; not from @comp's own ops.
 */
void fwact_notify(struct fwact_component *comp)
{
	mutex_lock(&comp->op_lock);
	if (!READ_ONCE(comp->gone)) {
		fwact_info_refresh(comp);
		fwact_state_set(comp, fwact_get_state(comp), 0);
	}
	mutex_unlock(&comp->op_lock);
}
EXPORT_SYMBOL_GPL(fwact_notify);

/**
 * fwact_get_state() - the component's state
 * @comp: the component
 *
 * Return: the &enum fwact_state the component is in now.
 */
enum fwact_state fwact_get_state(const struct fwact_component *comp)
{
	return READ_ONCE(comp->state);
}
EXPORT_SYMBOL_IF_KUNIT(fwact_get_state);

/**
 * fwact_priv() - the backend data registered with a component
 * @comp: the component
 *
 * Return: &fwact_component_desc.priv.
 */
void *fwact_priv(const struct fwact_component *comp)
{
	return comp->desc.priv;
}
EXPORT_SYMBOL_GPL(fwact_priv);

/**
 * fwact_name() - the component's name
 * @comp: the component
 *
 * Return: the name, as in /sys/firmware/fwact/<name>/.
 */
const char *fwact_name(const struct fwact_component *comp)
{
	return comp->name;
}
EXPORT_SYMBOL_IF_KUNIT(fwact_name);

/**
 * fwact_from_kobj() - the component of a backend attribute's callback
 * @kobj: the kobject a &fwact_component_desc.groups file's show or store
 *	callback was called with
 *
 * Return: the component whose directory that is.
 */
struct fwact_component *fwact_from_kobj(struct kobject *kobj)
{
	return fwact_kobj_to_comp(kobj);
}
EXPORT_SYMBOL_GPL(fwact_from_kobj);

static int fwact_stage_locked(struct fwact_component *comp, const void *data,
			      size_t size)
{
	int ret;

	lockdep_assert_held(&comp->op_lock);
	if (fwact_get_state(comp) == FWACT_STATE_ACTIVATING)
		return -EBUSY;
	if (size > comp->desc.max_image_size) {
		pr_err_ratelimited("%s: image of %zu bytes is larger than the %zu allowed\n",
				   comp->name, size, comp->desc.max_image_size);
		return -EFBIG;
	}

	fwact_fw_report_clear(comp);
	ret = comp->desc.ops->stage(comp, data, size);
	fwact_last_error_set(comp, ret);
	fwact_info_refresh(comp);
	if (ret)
		return ret;

	if (data)
		pr_info_ratelimited("%s: staged %zu bytes\n", comp->name, size);
	else
		pr_info_ratelimited("%s: staged the image loaded through %s\n",
				    comp->name, comp->desc.backend);
	fwact_state_set(comp, FWACT_STATE_STAGED, 0);
	return 0;
}

/**
 * fwact_stage() - stage an image
 * @comp: the component
 * @data: the image, or NULL if it reached the backend through its own
 *	interface
 * @size: its size in bytes (0 with a NULL @data)
 *
 * Hands the image to the backend's stage op, which validates it completely
 * and gives it to the firmware. On error nothing changes. Process context.
 *
 * Return: 0; -EOPNOTSUPP if the backend cannot stage; -EBUSY while another
 * op runs on @comp; -EFBIG for an image larger than the backend accepts; or
 * the backend's error.
 */
int fwact_stage(struct fwact_component *comp, const void *data, size_t size)
{
	int ret;

	if (!comp->desc.ops->stage)
		return -EOPNOTSUPP;
	ret = fwact_op_begin(comp);
	if (ret)
		return ret;
	ret = fwact_stage_locked(comp, data, size);
	fwact_op_end(comp);
	return ret;
}
EXPORT_SYMBOL_GPL(fwact_stage);

/*
 * Bytes that user space hands in, not through request_firmware(): the
 * firmware-load security hooks (IMA, ...) may refuse them before they are
 * taken, as they may refuse the firmware loader's sysfs fallback.
 */
static int fwact_upload_permitted(struct fwact_component *comp)
{
	int ret;

	ret = security_kernel_load_data(LOADING_FIRMWARE, true);
	if (ret)
		pr_err_ratelimited("%s: image upload refused by the security policy: %d\n",
				   comp->name, ret);
	return ret;
}

/**
 * fwact_upload_write() - take bytes written to the ``image`` attribute
 * @comp: the component
 * @buf: the bytes
 * @off: where they go in the image; 0 starts a new image
 * @count: how many
 *
 * Return: 0, -EFBIG past the largest image the backend accepts, -EINVAL for
 * a write that would leave a hole, or -ENOMEM.
 */
int fwact_upload_write(struct fwact_component *comp, const char *buf,
		       loff_t off, size_t count)
{
	size_t max = comp->desc.max_image_size;
	int ret = 0;

	if (off < 0 || off > max || count > max - off) {
		pr_err_ratelimited("%s: image larger than the %zu bytes allowed\n",
				   comp->name, max);
		return -EFBIG;
	}

	mutex_lock(&comp->upload_lock);
	if (off == 0) {
		comp->upload_len = 0;
		ret = fwact_upload_permitted(comp);
		if (ret)
			goto out_unlock;
	}
	if (off != comp->upload_len) {
		pr_err_ratelimited("%s: image write at %lld leaves a hole after %zu bytes\n",
				   comp->name, off, comp->upload_len);
		ret = -EINVAL;
		goto out_unlock;
	}
	if (off + count > comp->upload_size) {
		size_t size = max_t(size_t, off + count,
				    min_t(size_t, max, 2 * comp->upload_size));
		void *upload = kvmalloc(max_t(size_t, size, PAGE_SIZE),
					GFP_KERNEL);

		if (!upload) {
			ret = -ENOMEM;
			goto out_unlock;
		}
		memcpy(upload, comp->upload, comp->upload_len);
		kvfree(comp->upload);
		comp->upload = upload;
		comp->upload_size = max_t(size_t, size, PAGE_SIZE);
	}
	memcpy(comp->upload + off, buf, count);
	comp->upload_len = off + count;
out_unlock:
	mutex_unlock(&comp->upload_lock);
	return ret;
}

static void fwact_upload_free(struct fwact_component *comp)
{
	kvfree(comp->upload);
	comp->upload = NULL;
	comp->upload_len = 0;
	comp->upload_size = 0;
}

/*
 * The firmware-load security hooks (LoadPin, IMA appraisal, ...) see every
 * image that user space gives as bytes, as request_firmware() shows them
 * the images it loads.
 */
static int fwact_bytes_appraise(struct fwact_component *comp,
				const void *data, size_t size)
{
	char desc[FWACT_NAME_LEN + 8];
	int ret;

	snprintf(desc, sizeof(desc), "fwact-%s", comp->name);
	ret = security_kernel_post_load_data((char *)data, size,
					     LOADING_FIRMWARE, desc);
	if (ret)
		pr_err_ratelimited("%s: image refused by the security policy: %d\n",
				   comp->name, ret);
	return ret;
}

/**
 * fwact_stage_upload() - stage what was written to the ``image`` attribute
 * @comp: the component
 *
 * Return: as fwact_stage(), or -ENODATA if nothing was written.
 */
int fwact_stage_upload(struct fwact_component *comp)
{
	int ret;

	if (!comp->desc.ops->stage)
		return -EOPNOTSUPP;
	ret = fwact_op_begin(comp);
	if (ret)
		return ret;
	mutex_lock(&comp->upload_lock);
	if (!comp->upload_len) {
		pr_err_ratelimited("%s: no image written to stage\n", comp->name);
		ret = -ENODATA;
	} else {
		ret = fwact_bytes_appraise(comp, comp->upload,
					   comp->upload_len);
		if (!ret)
			ret = fwact_stage_locked(comp, comp->upload,
						 comp->upload_len);
	}
	/* Staged or rejected, the upload is used up either way. */
	fwact_upload_free(comp);
	mutex_unlock(&comp->upload_lock);
	fwact_op_end(comp);
	return ret;
}

/**
 * fwact_stage_firmware() - stage an image loaded with request_firmware()
 * @comp: the component
 * @name: the file name, relative to the firmware search path
 *
 * Return: as fwact_stage(), or the error of request_firmware().
 */
int fwact_stage_firmware(struct fwact_component *comp, const char *name)
{
	const struct firmware *fw;
	int ret;

	if (!comp->desc.ops->stage)
		return -EOPNOTSUPP;
	ret = fwact_op_begin(comp);
	if (ret)
		return ret;
	ret = request_firmware_direct(&fw, name, NULL);
	if (ret) {
		pr_err_ratelimited("%s: cannot load firmware file %s: %d\n", comp->name,
				   name, ret);
		goto out_unlock;
	}
	ret = fwact_stage_locked(comp, fw->data, fw->size);
	release_firmware(fw);
out_unlock:
	fwact_op_end(comp);
	return ret;
}

static void fwact_activation_record(struct fwact_component *comp,
				    const struct fwact_measure *m,
				    const char *mode, const char *before,
				    int result)
{
	struct fwact_journal_rec rec = {};
	struct fwact_last *last = &comp->last;

	spin_lock(&comp->lock);
	last->result = result;
	last->mode = mode;
	last->count++;
	last->m = *m;
	last->m.fw_auth_ns = comp->fw_auth_ns;
	last->m.fw_exec_ns = comp->fw_exec_ns;
	strscpy(last->version_before, before, sizeof(last->version_before));
	strscpy(last->version_after, comp->info.current_version,
		sizeof(last->version_after));
	comp->last_error = result;
	rec.m = last->m;
	strscpy(rec.to, last->version_after, sizeof(rec.to));
	spin_unlock(&comp->lock);

	ktime_get_real_ts64(&rec.time);
	strscpy(rec.component, comp->name, sizeof(rec.component));
	strscpy(rec.backend, comp->desc.backend, sizeof(rec.backend));
	strscpy(rec.from, before, sizeof(rec.from));
	rec.result = result;
	rec.mode = mode;
	fwact_journal_add(&rec);
}

/*
 * A step ran past the budget and was waited for: say so once, and taint
 * where the backend says the kernel's own loader would not carry on.
 */
static void fwact_activation_overrun(struct fwact_component *comp,
				     const struct fwact_measure *m)
{
	const struct fwact_step *step = &comp->desc.steps[m->overrun_step];

	pr_warn("%s: step %d (%s) overran max_blackout_us %u on CPU %d and was waited for to its end (%llu us held)\n",
		comp->name, m->overrun_step, step->name ?: "?",
		READ_ONCE(comp->budget_us), m->overrun_cpu,
		div_u64(m->blackout_ns, NSEC_PER_USEC));
	if (comp->desc.flags & FWACT_DESC_TAINT_OVERRUN)
		add_taint(TAINT_CPU_OUT_OF_SPEC, LOCKDEP_STILL_OK);
}

static void fwact_activation_log(struct fwact_component *comp,
				 const struct fwact_measure *m,
				 const char *mode, const char *before,
				 int result)
{
	const char *after = comp->last.version_after;

	if (!result) {
		pr_info("%s: activated %s -> %s (mode %s, %u CPUs, blackout %llu ns)\n",
			comp->name, before, after, mode, m->cpus,
			m->blackout_ns);
	} else if (m->failed_cpu >= 0) {
		pr_err("%s: activation failed: %d at step %d on CPU %d (mode %s), running %s\n",
		       comp->name, result, m->failed_step, m->failed_cpu,
		       mode, after);
	} else {
		pr_err("%s: activation failed: %d (mode %s), running %s\n",
		       comp->name, result, mode, after);
	}
}

/* Checks before an activation starts; called with op_lock held. */
static int fwact_activate_check(struct fwact_component *comp,
				const struct fwact_info *info)
{
	if (!(info->flags & FWACT_F_CAPABLE)) {
		pr_err_ratelimited("%s: firmware cannot activate this component\n",
				   comp->name);
		return -EOPNOTSUPP;
	}
	if (info->flags & FWACT_F_MAY_RESET_CPU) {
		pr_err_ratelimited("%s: activation may reset the CPUs; not supported\n",
				   comp->name);
		return -EOPNOTSUPP;
	}
	if (fwact_get_state(comp) != FWACT_STATE_STAGED &&
	    !(info->flags & FWACT_F_PENDING)) {
		pr_err_ratelimited("%s: nothing staged or pending to activate\n",
				   comp->name);
		return -ENODATA;
	}
	return 0;
}

/**
 * fwact_cancel_requested() - was the activation in progress cancelled
 * @comp: the component, from its own &fwact_ops.prepare op
 *
 * For a prepare op that waits for the firmware (LFA's PRIME loop): a
 * cancel that arrives while it runs (``cancel``, or the cancel of a
 * firmware upload that activates) is seen here at once, not only at the
 * point of no return after it. The op then returns -ECANCELED.
 *
 * Return: true if the activation is to stop.
 */
bool fwact_cancel_requested(struct fwact_component *comp)
{
	bool ret;

	spin_lock(&comp->lock);
	ret = comp->cancel_req || (comp->upload_op && comp->upload_cancel);
	spin_unlock(&comp->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(fwact_cancel_requested);

/*
 * Between prepare and the rendezvous: the last moment a cancel can act.
 * After this returns 0 the activation goes ahead.
 */
static int fwact_point_of_no_return(struct fwact_component *comp)
{
	int ret = 0;

	spin_lock(&comp->lock);
	if (comp->cancel_req || (comp->upload_op && comp->upload_cancel))
		ret = -ECANCELED;
	else
		comp->no_return = true;
	spin_unlock(&comp->lock);
	return ret;
}

/*
 * The program, run once, or again in a new rendezvous for as long as the
 * backend's retry op asks for it (the firmware said "call again"). Each
 * run starts its measurements afresh: @m is the last run's.
 */
static int fwact_activate_runs(struct fwact_component *comp,
			       const struct fwact_rv_req *req,
			       struct fwact_measure *m)
{
	const struct fwact_ops *ops = comp->desc.ops;
	int ret;

	for (;;) {
		ret = fwact_rv_run(req, m);
		if (!ret || !ops->retry)
			return ret;
		ret = ops->retry(comp, ret, m);
		if (ret)
			return ret;
	}
}

/*
 * prepare, the program and finish. When the program holds the CPUs, CPU
 * hotplug is held from before prepare to after finish: the CPUs the
 * backend plans for in prepare are the CPUs the engine holds, and finish
 * sees the same CPUs again.
 */
static int fwact_activate_run(struct fwact_component *comp,
			      const struct fwact_info *info,
			      struct fwact_measure *m)
{
	const struct fwact_ops *ops = comp->desc.ops;
	struct fwact_rv_req req = {
		.steps = comp->desc.steps,
		.nr_steps = comp->desc.nr_steps,
		.priv = comp->desc.priv,
		.held = fwact_uses_rendezvous(comp, info),
		.context = comp->desc.context,
		.budget_ns = (u64)READ_ONCE(comp->budget_us) * NSEC_PER_USEC,
	};
	int ret;

	lockdep_assert_held(&comp->op_lock);
	if (req.held)
		cpus_read_lock();
	if (ops->prepare) {
		ret = ops->prepare(comp);
		if (ret)
			goto out_hotplug;
	}
	ret = fwact_point_of_no_return(comp);
	if (!ret)
		ret = fwact_activate_runs(comp, &req, m);
	if (ops->finish)
		ops->finish(comp, ret, m);
out_hotplug:
	if (req.held)
		cpus_read_unlock();
	return ret;
}

/*
 * An activation, from the checks to the new state, for a caller that holds
 * the activation lock and owns the component (fwact_activate() and an
 * upload of a component with FWACT_DESC_UPLOAD_ACTIVATE).
 */
static int fwact_activate_locked(struct fwact_component *comp)
{
	struct fwact_measure m = { .failed_step = -1, .failed_cpu = -1,
				   .overrun_step = -1, .overrun_cpu = -1 };
	char before[FWACT_VERSION_LEN];
	struct fwact_info info;
	const char *mode;
	int ret;

	lockdep_assert_held(&fwact_activation_lock);
	lockdep_assert_held(&comp->op_lock);
	fwact_info_refresh(comp);
	spin_lock(&comp->lock);
	info = comp->info;
	spin_unlock(&comp->lock);
	ret = fwact_activate_check(comp, &info);
	if (ret)
		return ret;

	strscpy(before, info.current_version, sizeof(before));
	mode = fwact_mode_name(comp, &info);
	fwact_fw_report_clear(comp);
	spin_lock(&comp->lock);
	comp->cancel_req = false;
	comp->no_return = false;
	spin_unlock(&comp->lock);
	fwact_state_set(comp, FWACT_STATE_ACTIVATING, 0);

	ret = fwact_activate_run(comp, &info, &m);
	if (ret == -ECANCELED && comp->desc.ops->cancel)
		comp->desc.ops->cancel(comp);

	fwact_info_refresh(comp);
	fwact_activation_record(comp, &m, mode, before, ret);
	if (m.overrun_step >= 0)
		fwact_activation_overrun(comp, &m);
	fwact_activation_log(comp, &m, mode, before, ret);
	if (ret == -ECANCELED)
		fwact_state_set(comp, FWACT_STATE_IDLE, ret);
	else
		fwact_state_set(comp, ret ? FWACT_STATE_FAILED :
				FWACT_STATE_ACTIVATED, ret);
	return ret;
}

/**
 * fwact_activate() - activate the staged or pending image
 * @comp: the component
 *
 * Runs the backend's prepare op, then the component's program (holding the
 * CPUs if the rendezvous is in use), then its finish op; records the
 * attempt in the journal and the component's ``last_activation``. Only one
 * activation runs at a time in the whole system. Process context.
 *
 * Return: 0; -EBUSY if another activation or op is running; -EOPNOTSUPP if
 * the firmware cannot activate the component (or it may reset the CPUs);
 * -ENODATA if nothing is staged or pending; -ECANCELED if cancelled before
 * the CPUs were held; -ETIMEDOUT if the CPUs could not be gathered or a step
 * did not finish within ``max_blackout_us``; or the backend's error.
 */
int fwact_activate(struct fwact_component *comp)
{
	int ret;

	if (!mutex_trylock(&fwact_activation_lock))
		return -EBUSY;
	ret = fwact_op_begin(comp);
	if (!ret) {
		ret = fwact_activate_locked(comp);
		fwact_op_end(comp);
	}
	mutex_unlock(&fwact_activation_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(fwact_activate);

/* While activating: ask the activation to stop before the CPUs are held. */
static int fwact_cancel_activation(struct fwact_component *comp)
{
	int ret = -EAGAIN;

	spin_lock(&comp->lock);
	if (comp->state == FWACT_STATE_ACTIVATING) {
		if (comp->no_return) {
			ret = -EBUSY;
		} else {
			comp->cancel_req = true;
			ret = 0;
		}
	}
	spin_unlock(&comp->lock);
	return ret;
}

/* The backend drops its staged image; the component goes idle. */
static int fwact_drop_staged_locked(struct fwact_component *comp)
{
	int ret;

	lockdep_assert_held(&comp->op_lock);
	ret = comp->desc.ops->cancel ? comp->desc.ops->cancel(comp) : 0;
	if (ret) {
		pr_err_ratelimited("%s: cancel failed: %d\n", comp->name, ret);
	} else {
		pr_info_ratelimited("%s: cancelled\n", comp->name);
		fwact_state_set(comp, FWACT_STATE_IDLE, 0);
	}
	fwact_info_refresh(comp);
	return ret;
}

/**
 * fwact_cancel() - drop the staged image
 * @comp: the component
 *
 * Works until the CPUs are held for the activation: a cancel that arrives
 * while an activation runs its prepare op makes that activation fail with
 * -ECANCELED and nothing changed. Process context.
 *
 * Return: 0; -ENODATA if nothing is staged or pending; -EBUSY if the
 * activation is already past the point of no return, or another op is
 * running; or the backend's error.
 */
int fwact_cancel(struct fwact_component *comp)
{
	struct fwact_info info;
	int ret;

	ret = fwact_cancel_activation(comp);
	if (ret != -EAGAIN)
		return ret;
	ret = fwact_op_begin(comp);
	if (ret == -ENODEV)
		return ret;
	if (ret) {
		/* An activation may have started since we looked. */
		ret = fwact_cancel_activation(comp);
		return ret == -EAGAIN ? -EBUSY : ret;
	}

	fwact_info_refresh(comp);
	spin_lock(&comp->lock);
	info = comp->info;
	spin_unlock(&comp->lock);
	if (fwact_get_state(comp) != FWACT_STATE_STAGED &&
	    !(info.flags & FWACT_F_PENDING)) {
		pr_err_ratelimited("%s: nothing staged or pending to cancel\n", comp->name);
		ret = -ENODATA;
		goto out_unlock;
	}
	ret = fwact_drop_staged_locked(comp);
out_unlock:
	fwact_op_end(comp);
	return ret;
}
EXPORT_SYMBOL_GPL(fwact_cancel);

/**
 * fwact_fw_upload_begin() - may a firmware upload to @comp start now
 * @comp: the component
 *
 * The first look of an upload through /sys/class/firmware/<name>/ (see
 * upload.c), before its image is handed on: the security policy may refuse
 * bytes from user space as it may for the ``image`` file, and an upload
 * while another operation runs is refused at once. The operation itself
 * is taken later, by fwact_fw_upload_stage().
 *
 * Return: 0, -ENODEV if @comp is going, -EBUSY, or the policy's error.
 */
int fwact_fw_upload_begin(struct fwact_component *comp)
{
	int ret;

	ret = fwact_upload_permitted(comp);
	if (ret)
		return ret;
	spin_lock(&comp->lock);
	if (comp->gone)
		ret = -ENODEV;
	else if (comp->op_busy || comp->state == FWACT_STATE_ACTIVATING)
		ret = -EBUSY;
	spin_unlock(&comp->lock);
	return ret;
}

/* Was the cancel of @comp's firmware upload asked for? */
bool fwact_fw_upload_cancelled(struct fwact_component *comp)
{
	bool cancelled;

	spin_lock(&comp->lock);
	cancelled = comp->upload_cancel;
	spin_unlock(&comp->lock);
	return cancelled;
}

/* Ask for (@on) or forget the cancel of @comp's firmware upload. */
void fwact_fw_upload_cancel_set(struct fwact_component *comp, bool on)
{
	spin_lock(&comp->lock);
	comp->upload_cancel = on;
	spin_unlock(&comp->lock);
}

static void fwact_fw_upload_op_set(struct fwact_component *comp, bool on)
{
	lockdep_assert_held(&comp->op_lock);
	spin_lock(&comp->lock);
	comp->upload_op = on;
	spin_unlock(&comp->lock);
}

/**
 * fwact_fw_upload_stage() - stage (and maybe activate) an uploaded image
 * @comp: the component
 * @data: the image, in the firmware loader's buffer
 * @size: its size in bytes
 *
 * The image passed the firmware loader's security_kernel_post_load_data()
 * on ``loading`` 0 already. It is staged as an image written to ``image``
 * is, by fwact_stage_locked(); with FWACT_DESC_UPLOAD_ACTIVATE it is then
 * activated in the same operation, so no other writer comes between. A
 * cancel of the upload (&fwact_component.upload_cancel) seen before the
 * stage changes nothing; seen after it drops the image again as
 * fwact_cancel() does; during the activation it acts as fwact_cancel()
 * does, until the point of no return. Called from the upload's worker.
 *
 * Return: as fwact_stage() and fwact_activate(), or -ECANCELED.
 */
int fwact_fw_upload_stage(struct fwact_component *comp, const void *data,
			  size_t size)
{
	bool activate = comp->desc.flags & FWACT_DESC_UPLOAD_ACTIVATE;
	int ret;

	if (activate && !mutex_trylock(&fwact_activation_lock))
		return -EBUSY;
	ret = fwact_op_begin(comp);
	if (ret)
		goto out_activation;
	fwact_fw_upload_op_set(comp, true);
	if (fwact_fw_upload_cancelled(comp)) {
		ret = -ECANCELED;
		goto out_op;
	}
	ret = fwact_stage_locked(comp, data, size);
	if (ret)
		goto out_op;
	if (fwact_fw_upload_cancelled(comp)) {
		fwact_drop_staged_locked(comp);
		ret = -ECANCELED;
		goto out_op;
	}
	if (activate)
		ret = fwact_activate_locked(comp);
out_op:
	fwact_fw_upload_op_set(comp, false);
	fwact_op_end(comp);
out_activation:
	if (activate)
		mutex_unlock(&fwact_activation_lock);
	return ret;
}

/**
 * fwact_install() - stage an image given as bytes and activate it
 * @comp: the component
 * @data: the image, as user space gave it to the backend's own interface
 * @size: its size in bytes
 *
 * For a backend interface that takes an image and installs it in one go
 * (/sys/devices/tdx/update): the image passes the firmware-load security
 * hooks as one written to ``image`` does, then is staged and activated in
 * one operation, so that no other writer comes between the two. On any
 * error before the activation nothing changes. Process context.
 *
 * Return: as fwact_stage() and fwact_activate(); -EBUSY while another
 * activation or operation runs.
 */
int fwact_install(struct fwact_component *comp, const void *data,
		  size_t size)
{
	int ret;

	if (!comp->desc.ops->stage)
		return -EOPNOTSUPP;
	ret = fwact_upload_permitted(comp);
	if (!ret)
		ret = fwact_bytes_appraise(comp, data, size);
	if (ret)
		return ret;
	if (!mutex_trylock(&fwact_activation_lock))
		return -EBUSY;
	ret = fwact_op_begin(comp);
	if (!ret) {
		ret = fwact_stage_locked(comp, data, size);
		if (!ret)
			ret = fwact_activate_locked(comp);
		fwact_op_end(comp);
	}
	mutex_unlock(&fwact_activation_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(fwact_install);

static int fwact_desc_check(const struct fwact_component_desc *desc)
{
	bool none;
	unsigned int i;

	if (!desc->name || !*desc->name || strchr(desc->name, '/') ||
	    strlen(desc->name) >= FWACT_NAME_LEN)
		return -EINVAL;
	if (!desc->backend || !desc->ops || !desc->ops->get_info)
		return -EINVAL;
	if (desc->context >= FWACT_CONTEXT_NR ||
	    desc->flags & ~(FWACT_DESC_TAINT_OVERRUN |
			    FWACT_DESC_UPLOAD_ACTIVATE |
			    FWACT_DESC_RENDEZVOUS))
		return -EINVAL;
	if (desc->max_budget_us > FWACT_BUDGET_CEILING_US ||
	    desc->budget_us > (desc->max_budget_us ?: FWACT_MAX_BUDGET_US))
		return -EINVAL;
	/* Activating what an upload staged needs a way to stage it. */
	if (desc->flags & FWACT_DESC_UPLOAD_ACTIVATE && !desc->ops->stage)
		return -EINVAL;
	if (!desc->steps || !desc->nr_steps || desc->nr_steps > FWACT_MAX_STEPS)
		return -EINVAL;
	none = desc->steps[0].mode == FWACT_MODE_NONE;
	for (i = 0; i < desc->nr_steps; i++) {
		const struct fwact_step *step = &desc->steps[i];
		bool step_none = step->mode == FWACT_MODE_NONE;

		if (!step->act || step->mode >= FWACT_MODE_NR)
			return -EINVAL;
		if (step_none != none)
			return -EINVAL;
	}
	/* A program that never holds the CPUs cannot require them held. */
	if (none && desc->flags & FWACT_DESC_RENDEZVOUS)
		return -EINVAL;
	return 0;
}

/*
 * Add @comp's directory unless its name is taken: sysfs would refuse the
 * name too, but with a stack dump, and a name taken is the registering
 * backend's error, not the kernel's.
 */
static int fwact_kobj_add(struct fwact_component *comp)
{
	struct kobject *old;
	int ret;

	mutex_lock(&fwact_register_lock);
	old = kset_find_obj(fwact_kset, comp->name);
	if (old) {
		kobject_put(old);
		/* Initialized, so that the caller's kobject_put() frees it. */
		kobject_init(&comp->kobj, &fwact_component_ktype);
		ret = -EEXIST;
	} else {
		ret = kobject_init_and_add(&comp->kobj, &fwact_component_ktype,
					   NULL, "%s", comp->name);
	}
	mutex_unlock(&fwact_register_lock);
	return ret;
}

/**
 * fwact_register() - register a firmware component
 * @desc: what to register; copied, except for what its pointers point at,
 *	which must stay valid until fwact_unregister()
 *
 * Creates /sys/firmware/fwact/<name>/. Process context.
 *
 * Return: the component, or an ERR_PTR(): -EINVAL for an invalid @desc,
 * -EEXIST if the name is taken, -ENOMEM.
 */
struct fwact_component *fwact_register(const struct fwact_component_desc *desc)
{
	struct fwact_component *comp;
	int ret;

	ret = fwact_desc_check(desc);
	if (ret) {
		pr_err("invalid component description from %s\n",
		       desc->backend ? desc->backend : "(unknown backend)");
		return ERR_PTR(ret);
	}

	comp = kzalloc(sizeof(*comp), GFP_KERNEL);
	if (!comp)
		return ERR_PTR(-ENOMEM);
	comp->name = kstrdup(desc->name, GFP_KERNEL);
	if (!comp->name) {
		kfree(comp);
		return ERR_PTR(-ENOMEM);
	}
	comp->desc = *desc;
	comp->desc.name = comp->name;
	mutex_init(&comp->op_lock);
	mutex_init(&comp->upload_lock);
	spin_lock_init(&comp->lock);
	comp->state = FWACT_STATE_IDLE;
	comp->force_rendezvous = !fwact_program_is_none(comp);
	comp->budget_max_us = desc->max_budget_us ?: FWACT_MAX_BUDGET_US;
	comp->budget_us = desc->budget_us ?: FWACT_DEFAULT_BUDGET_US;
	comp->last.mode = fwact_mode_names[FWACT_MODE_NONE];
	comp->last.m.failed_step = -1;
	comp->last.m.failed_cpu = -1;
	comp->last.m.overrun_step = -1;
	comp->last.m.overrun_cpu = -1;

	comp->kobj.kset = fwact_kset;
	ret = fwact_kobj_add(comp);
	if (!ret)
		ret = fwact_sysfs_add_bin_files(comp);
	if (!ret && desc->groups)
		ret = sysfs_create_groups(&comp->kobj, desc->groups);
	/* /sys/class/firmware/<name>/ once the component's own files exist. */
	if (!ret)
		ret = fwact_fw_upload_register(comp);
	if (ret) {
		pr_err("cannot register component %s: %d\n", desc->name, ret);
		kobject_put(&comp->kobj);
		return ERR_PTR(ret);
	}

	mutex_lock(&comp->op_lock);
	fwact_info_refresh(comp);
	mutex_unlock(&comp->op_lock);
	kobject_uevent(&comp->kobj, KOBJ_ADD);
	pr_info("%s: registered by %s\n", comp->name, desc->backend);
	return comp;
}
EXPORT_SYMBOL_GPL(fwact_register);

/**
 * fwact_unregister() - remove a component
 * @comp: the component, or NULL or an ERR_PTR (then nothing is done)
 *
 * Removes its firmware upload directory first (an upload in progress is
 * cancelled and waited for), then its sysfs directory; no new operation
 * starts on @comp from then
 * on (-ENODEV), and one in progress (an activation among them, whether it
 * came through sysfs or the backend's own interface) is waited for. After
 * it returns the core calls none of the backend's ops for @comp and no CPU
 * runs any of its steps. Process context; not from @comp's own ops.
 */
void fwact_unregister(struct fwact_component *comp)
{
	if (IS_ERR_OR_NULL(comp))
		return;
	/*
	 * Before gone: the upload's worker may be inside an operation, which
	 * runs to its end; nothing is held here that it takes.
	 */
	fwact_fw_upload_unregister(comp);
	spin_lock(&comp->lock);
	comp->gone = true;
	spin_unlock(&comp->lock);
	kobject_uevent(&comp->kobj, KOBJ_REMOVE);
	if (comp->desc.groups)
		sysfs_remove_groups(&comp->kobj, comp->desc.groups);
	kobject_del(&comp->kobj);
	wait_var_event(&comp->op_busy, !READ_ONCE(comp->op_busy));
	/* A fwact_notify() in flight holds only the mutex. */
	mutex_lock(&comp->op_lock);
	mutex_unlock(&comp->op_lock);
	pr_info("%s: unregistered\n", comp->name);
	kobject_put(&comp->kobj);
}
EXPORT_SYMBOL_GPL(fwact_unregister);

/* kobject release: the last reference to a component is gone. */
void fwact_component_release(struct kobject *kobj)
{
	struct fwact_component *comp = fwact_kobj_to_comp(kobj);

	fwact_upload_free(comp);
	kfree(comp->name);
	kfree(comp);
}

static int __init fwact_init(void)
{
	int ret;

	fwact_kset = kset_create_and_add("fwact", NULL, firmware_kobj);
	if (!fwact_kset)
		return -ENOMEM;
	ret = fwact_sysfs_init(fwact_kset);
	if (ret)
		goto err_kset;
	/* /sys/kernel/debug/fwact/: the core's, the backends add theirs. */
	fwact_debugfs = debugfs_create_dir("fwact", NULL);
	ret = fwact_rv_init(fwact_debugfs);
	if (ret)
		goto err_sysfs;
	return 0;

err_sysfs:
	debugfs_remove(fwact_debugfs);
	fwact_sysfs_exit(fwact_kset);
err_kset:
	kset_unregister(fwact_kset);
	return ret;
}

static void __exit fwact_exit(void)
{
	fwact_rv_exit();
	debugfs_remove(fwact_debugfs);
	fwact_sysfs_exit(fwact_kset);
	kset_unregister(fwact_kset);
}

module_init(fwact_init);
module_exit(fwact_exit);

MODULE_DESCRIPTION("Runtime firmware activation core");
MODULE_LICENSE("GPL");
