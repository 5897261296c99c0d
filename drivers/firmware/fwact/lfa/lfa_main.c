// SPDX-License-Identifier: GPL-2.0
/*
 * fwact LFA backend: Arm's SMCCC Live Firmware Activation (DEN0147), one
 * fwact component per image the LFA agent reports, named by its GUID.
 *
 * The images are activated out of band (the agent finds them staged), so
 * the component has no stage op: an image the agent reports pending can be
 * activated. An activation is
 *
 *   prepare   (no CPU held) LFA_PRIME, again every 10 ms while the agent
 *             answers CALL_AGAIN, for up to 30 s, cancellable; on timeout
 *             LFA_CANCEL and -ETIMEDOUT
 *   activate  (mode all)    LFA_ACTIVATE on every online CPU at once: the
 *             agent counts every running CPU into its holding pen and the
 *             last to arrive activates. Without the CPUs held (the agent
 *             says the rendezvous is optional and the admin cleared
 *             force_cpu_rendezvous) it is issued once, with the skip flag
 *   retry                   CALL_AGAIN or BUSY from ACTIVATE: the CPUs are
 *             released, and after 10 ms a new rendezvous runs, for up to
 *             10 s from the first
 *   finish                  a failed activation is cancelled (LFA_CANCEL),
 *             and the inventory is read again either way
 *
 * PRIME is the prepare op, not a step: a program's steps either all hold
 * the CPUs or none does (include/linux/fwact.h), and priming may take
 * seconds, which no window may.
 *
 * The sequence id that names an image in a call is not its identity: an
 * activation may reshuffle the ids, and images may appear or disappear.
 * Every inventory read matches the entries by GUID (lfa_inv_diff()),
 * updates the ids of the images known, and leaves the registration of new
 * images and the removal of vanished ones to a work item, never to the
 * operation that found them: that may be an activation running from a
 * sysfs store of the very component that vanished, whose removal would wait
 * for the store to return. The locks are described with &struct lfa_be.
 */
#define pr_fmt(fmt) "fwact-lfa: " fmt

#include <linux/arm-smccc.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/fwact.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "lfa.h"

struct lfa_be lfa_be = {
	.seq_lock = __RWSEM_INITIALIZER(lfa_be.seq_lock),
	.lock = __SPIN_LOCK_UNLOCKED(lfa_be.lock),
	.images = LIST_HEAD_INIT(lfa_be.images),
};

/* An automatic activation that finds another one running tries again. */
#define LFA_AUTO_BUSY_MS	100
#define LFA_AUTO_BUSY_TRIES	100

static struct lfa_image *lfa_image_alloc(const struct lfa_inv *inv, int seq)
{
	struct lfa_image *img = kzalloc(sizeof(*img), GFP_KERNEL);

	if (!img)
		return NULL;
	kobject_init(&img->kobj, &lfa_image_ktype);
	INIT_LIST_HEAD(&img->node);
	img->guid = inv->guid;
	snprintf(img->guid_str, sizeof(img->guid_str), "%pUb", &img->guid);
	img->name = lfa_guid_name(&img->guid) ?: img->guid_str;
	img->seq = seq;
	img->inv = *inv;
	atomic64_set(&img->act_x0, 0);
	return img;
}

/**
 * lfa_image_info() - an image's entry as the last inventory read had it
 * @img: the image
 * @inv: filled in; an image that left the inventory is neither capable
 *	nor pending
 *
 * Never waits.
 */
void lfa_image_info(struct lfa_image *img, struct lfa_inv *inv)
{
	spin_lock(&lfa_be.lock);
	*inv = img->inv;
	spin_unlock(&lfa_be.lock);
}

/**
 * lfa_image_query() - an image's entry, from the agent if it can be had
 * @img: the image
 * @inv: filled in
 *
 * A GET_INVENTORY of the image, unless an activation holds the sequence
 * ids (then what the last inventory read had, as for an answer that names
 * another GUID: the agent reshuffled behind the kernel's back). For
 * readers: never waits, changes nothing and sends no uevent.
 *
 * Return: true if @inv is the agent's answer, false if it is cached.
 */
bool lfa_image_query(struct lfa_image *img, struct lfa_inv *inv)
{
	bool fresh = false;

	if (down_read_trylock(&lfa_be.seq_lock)) {
		fresh = img->seq >= 0 && !lfa_get_inventory(img->seq, inv) &&
			uuid_equal(&inv->guid, &img->guid);
		up_read(&lfa_be.seq_lock);
	}
	if (!fresh)
		lfa_image_info(img, inv);
	return fresh;
}

/*
 * Read the whole inventory and match it with the images known, by GUID:
 * new sequence ids, entries that changed (@work then set: uevents to
 * send), images that left (sequence id -1) and new ones (added to the list
 * without a component). The work item does the rest. On error nothing
 * changes.
 */
static int lfa_sync_locked(bool *work)
{
	struct lfa_be *be = &lfa_be;
	struct lfa_inv *fresh = NULL;
	unsigned int n, nknown = 0, i;
	struct lfa_image *img, *new;
	uuid_t *known = NULL;
	bool *is_new = NULL;
	int *seq = NULL;
	u64 x0, count;
	int ret = 0;

	lockdep_assert_held_write(&be->seq_lock);
	x0 = lfa_call(LFA_FN_GET_INFO, 0, &count);
	if (x0) {
		pr_warn_ratelimited("GET_INFO failed: %s (%lld)\n",
				    lfa_status_name(x0), (s64)x0);
		return lfa_errno(x0);
	}
	if (count > LFA_MAX_IMAGES) {
		pr_warn_ratelimited("the agent reports %llu images, more than the %u believed\n",
				    count, LFA_MAX_IMAGES);
		return -EPROTO;
	}
	n = count;
	list_for_each_entry(img, &be->images, node)
		nknown++;
	fresh = kcalloc(n + 1, sizeof(*fresh), GFP_KERNEL);
	is_new = kcalloc(n + 1, sizeof(*is_new), GFP_KERNEL);
	known = kcalloc(nknown + 1, sizeof(*known), GFP_KERNEL);
	seq = kcalloc(nknown + 1, sizeof(*seq), GFP_KERNEL);
	if (!fresh || !is_new || !known || !seq) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		ret = lfa_get_inventory(i, &fresh[i]);
		if (ret) {
			pr_warn_ratelimited("GET_INVENTORY(%u) failed: %d\n", i,
					    ret);
			goto out;
		}
	}
	i = 0;
	list_for_each_entry(img, &be->images, node)
		known[i++] = img->guid;
	lfa_inv_diff(known, nknown, fresh, n, seq, is_new);

	i = 0;
	list_for_each_entry(img, &be->images, node) {
		int s = seq[i++];

		if (s < 0 && img->seq >= 0) {
			*work = true;
			spin_lock(&be->lock);
			img->inv.flags &= ~(LFA_INV_CAPABLE | LFA_INV_PENDING);
			spin_unlock(&be->lock);
		} else if (s >= 0 && !lfa_inv_same(&img->inv, &fresh[s])) {
			*work = true;
			spin_lock(&be->lock);
			img->inv = fresh[s];
			img->changed = true;
			spin_unlock(&be->lock);
		}
		img->seq = s;
	}
	for (i = 0; i < n; i++) {
		if (!is_new[i])
			continue;
		new = lfa_image_alloc(&fresh[i], i);
		if (!new) {
			ret = -ENOMEM;
			break;
		}
		list_add_tail(&new->node, &be->images);
		*work = true;
	}
out:
	kfree(seq);
	kfree(known);
	kfree(is_new);
	kfree(fresh);
	return ret;
}

/* Queue the work that registers and removes, unless the module goes. */
static void lfa_rescan_queue(void)
{
	if (!READ_ONCE(lfa_be.going))
		queue_work(lfa_be.wq, &lfa_be.rescan_work);
}

/* Read the inventory again now; the work item registers and removes. */
static void lfa_resync(void)
{
	bool work = false;

	down_write(&lfa_be.seq_lock);
	lfa_sync_locked(&work);
	up_write(&lfa_be.seq_lock);
	if (work)
		lfa_rescan_queue();
}

/*
 * Make sure @img's sequence id still names it (a GET_INVENTORY, into
 * @inv), then, if @fid is not 0, make call @fid (PRIME or CANCEL) for it,
 * under one hold of the read lock: an agent whose inventory was
 * reshuffled behind the kernel's back would otherwise have another image
 * primed or cancelled. An id that names another image, or none, makes the
 * inventory be read again, once. Returns 0 with *@x0 (and *@x1) of the
 * call, -ENODEV if @img left the inventory, or the GET_INVENTORY error.
 */
static int lfa_image_call(struct lfa_image *img, struct lfa_inv *inv,
			  u32 fid, u64 *x0, u64 *x1)
{
	unsigned int tries;
	int ret = 0, seq;

	for (tries = 0; tries < 2; tries++) {
		down_read(&lfa_be.seq_lock);
		seq = img->seq;
		if (seq < 0) {
			up_read(&lfa_be.seq_lock);
			return -ENODEV;
		}
		ret = lfa_get_inventory(seq, inv);
		if (!ret && uuid_equal(&inv->guid, &img->guid)) {
			if (fid)
				*x0 = lfa_call(fid, seq, x1);
			up_read(&lfa_be.seq_lock);
			return 0;
		}
		up_read(&lfa_be.seq_lock);
		pr_info_ratelimited("%s: sequence id %d names another image now (%d), reading the inventory again\n",
				    img->guid_str, seq, ret);
		lfa_resync();
	}
	return ret ?: -ESTALE;
}

/* Report a failed call of an operation in last_fw_status and the log. */
static int lfa_call_failed(struct fwact_component *comp,
			   struct lfa_image *img, u32 fid, u64 x0)
{
	fwact_set_fw_status(comp, x0, fid);
	pr_err_ratelimited("%s: %s failed: %s (%lld)\n", img->guid_str,
			   lfa_fn_name(fid), lfa_status_name(x0), (s64)x0);
	return lfa_errno(x0);
}

static int lfa_op_get_info(struct fwact_component *comp,
			   struct fwact_info *info)
{
	struct lfa_image *img = fwact_priv(comp);
	struct lfa_inv inv;

	lfa_image_query(img, &inv);
	lfa_version_str(inv.cur, info->current_version,
			sizeof(info->current_version));
	if ((inv.flags & LFA_INV_PENDING) && inv.pend)
		lfa_version_str(inv.pend, info->pending_version,
				sizeof(info->pending_version));
	else
		info->pending_version[0] = '\0';
	info->flags = lfa_fwact_flags(inv.flags);
	return 0;
}

/* PRIME until done: CALL_AGAIN is answered every 10 ms, for up to 30 s. */
static int lfa_prime(struct fwact_component *comp, struct lfa_image *img)
{
	unsigned int budget_ms = lfa_prime_budget_ms();
	unsigned long deadline = jiffies + msecs_to_jiffies(budget_ms);
	unsigned int calls = 0;
	u64 x0 = 0, x1 = 0;
	struct lfa_inv inv;
	int ret;

	for (;;) {
		ret = lfa_image_call(img, &inv, LFA_FN_PRIME, &x0, &x1);
		if (ret)
			return ret;
		calls++;
		if (x0)
			return lfa_call_failed(comp, img, LFA_FN_PRIME, x0);
		if (!(x1 & LFA_CALL_AGAIN))
			return 0;
		if (fwact_cancel_requested(comp) || fatal_signal_pending(current))
			return -ECANCELED;
		if (time_after(jiffies, deadline))
			break;
		schedule_timeout_killable(msecs_to_jiffies(LFA_PRIME_DELAY_MS));
	}
	x0 = 0;
	ret = lfa_image_call(img, &inv, LFA_FN_CANCEL, &x0, NULL);
	pr_err_ratelimited("%s: PRIME still not done after %u calls in %u ms; CANCEL: %s\n",
			   img->guid_str, calls, budget_ms,
			   ret ? "not sent" : lfa_status_name(x0));
	return -ETIMEDOUT;
}

/*
 * Checks the firmware's answer now, primes, and takes the sequence ids
 * for writing: from here to finish no other call names an image, since
 * a successful ACTIVATE may reshuffle them.
 */
static int lfa_op_prepare(struct fwact_component *comp)
{
	struct lfa_image *img = fwact_priv(comp);
	struct lfa_inv inv;
	int ret;

	ret = lfa_image_call(img, &inv, 0, NULL, NULL);
	if (ret)
		return ret;
	if (!(inv.flags & LFA_INV_CAPABLE))
		return -EOPNOTSUPP;
	if (inv.flags & LFA_INV_MAY_RESET_CPU) {
		pr_err_ratelimited("%s: activation may reset the CPUs; not supported\n",
				   img->guid_str);
		return -EOPNOTSUPP;
	}
	if (!(inv.flags & LFA_INV_PENDING))
		return -ENODATA;

	ret = lfa_prime(comp, img);
	if (ret)
		return ret;

	down_write(&lfa_be.seq_lock);
	if (img->seq < 0) {
		up_write(&lfa_be.seq_lock);
		return -ENODEV;
	}
	img->act_seq = img->seq;
	img->act_budget_ms = lfa_activate_budget_ms();
	img->act_deadline = jiffies + msecs_to_jiffies(img->act_budget_ms);
	img->act_rounds = 1;
	atomic64_set(&img->act_x0, 0);
	WRITE_ONCE(img->act_flags, 0);
	return 0;
}

/*
 * The step: ACTIVATE on this CPU. With the CPUs held every online CPU
 * calls it and the agent's last arrival activates; without, it is called
 * once, asking the agent to skip its rendezvous. x3 (ep_address) and x4
 * (context_id) are 0: images that may reset a CPU are refused before.
 */
static int lfa_act_activate(void *priv, const struct fwact_call *call)
{
	struct lfa_image *img = priv;
	const struct arm_smccc_1_2_regs args = {
		.a0 = LFA_FN_ACTIVATE,
		.a1 = img->act_seq,
		.a2 = call->held ? 0 : LFA_SKIP_CPU_RENDEZVOUS,
	};
	struct arm_smccc_1_2_regs res;

	if (lfa_test_skip(call->cpu, call->held))
		return 0;
	lfa_smc(&args, &res);
	if (!res.a0 && !(res.a1 & LFA_CALL_AGAIN))
		return 0;
	if (!res.a0) {
		set_bit(LFA_ACT_AGAIN, &img->act_flags);
		return -EAGAIN;
	}
	atomic64_cmpxchg(&img->act_x0, 0, res.a0);
	if ((s64)res.a0 == LFA_BUSY)
		set_bit(LFA_ACT_BUSY, &img->act_flags);
	return lfa_errno(res.a0);
}

static const struct fwact_step lfa_steps[] = {
	{ "activate", FWACT_MODE_ALL, lfa_act_activate },
};

/*
 * CALL_AGAIN or BUSY from ACTIVATE: the CPUs are out of the window; wait
 * and run a new rendezvous, until 10 s after the first one.
 */
static int lfa_op_retry(struct fwact_component *comp, int result,
			const struct fwact_measure *m)
{
	struct lfa_image *img = fwact_priv(comp);
	unsigned long flags = READ_ONCE(img->act_flags);

	lockdep_assert_held_write(&lfa_be.seq_lock);
	if (!(flags & (BIT(LFA_ACT_AGAIN) | BIT(LFA_ACT_BUSY))))
		return result;
	if (time_after(jiffies + msecs_to_jiffies(LFA_ACTIVATE_DELAY_MS),
		       img->act_deadline)) {
		pr_err_ratelimited("%s: ACTIVATE still answers %s after %u rounds in %u ms\n",
				   img->guid_str,
				   flags & BIT(LFA_ACT_BUSY) ? "BUSY" : "CALL_AGAIN",
				   img->act_rounds, img->act_budget_ms);
		return -ETIMEDOUT;
	}
	msleep(LFA_ACTIVATE_DELAY_MS);
	atomic64_set(&img->act_x0, 0);
	WRITE_ONCE(img->act_flags, 0);
	img->act_rounds++;
	return 0;
}

/*
 * After the last round: a failed activation leaves nothing primed (a
 * cancellation before the window is cancelled by the core's call of the
 * cancel op), and the inventory is read again whatever happened.
 */
static void lfa_op_finish(struct fwact_component *comp, int result,
			  const struct fwact_measure *m)
{
	struct lfa_image *img = fwact_priv(comp);
	u64 x0 = atomic64_read(&img->act_x0), cx0;
	bool work = false;

	lockdep_assert_held_write(&lfa_be.seq_lock);
	if (x0)
		fwact_set_fw_status(comp, x0, LFA_FN_ACTIVATE);
	if (result && result != -ECANCELED) {
		cx0 = lfa_call(LFA_FN_CANCEL, img->act_seq, NULL);
		pr_err_ratelimited("%s: ACTIVATE failed (%d, agent status %s) after %u rounds; CANCEL: %s\n",
				   img->guid_str, result, lfa_status_name(x0),
				   img->act_rounds, lfa_status_name(cx0));
	} else if (!result && img->act_rounds > 1) {
		pr_info_ratelimited("%s: activated in %u rounds\n",
				    img->guid_str, img->act_rounds);
	}
	lfa_sync_locked(&work);
	up_write(&lfa_be.seq_lock);
	if (work)
		lfa_rescan_queue();
}

static int lfa_op_cancel(struct fwact_component *comp)
{
	struct lfa_image *img = fwact_priv(comp);
	struct lfa_inv inv;
	u64 x0 = 0;
	int ret;

	ret = lfa_image_call(img, &inv, LFA_FN_CANCEL, &x0, NULL);
	if (ret)
		return ret;
	return x0 ? lfa_call_failed(comp, img, LFA_FN_CANCEL, x0) : 0;
}

static const struct fwact_ops lfa_ops = {
	.get_info = lfa_op_get_info,
	.prepare = lfa_op_prepare,
	.finish = lfa_op_finish,
	.cancel = lfa_op_cancel,
	.retry = lfa_op_retry,
};

/* Register @img's component and /sys/firmware/lfa/<GUID>/. Work item. */
static int lfa_image_add(struct lfa_image *img)
{
	struct fwact_component_desc desc = {
		.name = img->guid_str,
		.backend = "lfa",
		.ops = &lfa_ops,
		.steps = lfa_steps,
		.nr_steps = ARRAY_SIZE(lfa_steps),
		.priv = img,
		.owner = THIS_MODULE,
		/* ACTIVATE runs in SMC with interrupts off: any CPU may. */
		.context = FWACT_CONTEXT_STOPPER,
		.groups = lfa_comp_groups,
	};
	struct fwact_component *comp;
	struct lfa_inv inv;
	char cur[LFA_VERSION_STR_LEN];
	int ret;

	/* Its KOBJ_ADD says it all: no change to tell about after it. */
	spin_lock(&lfa_be.lock);
	img->changed = false;
	spin_unlock(&lfa_be.lock);
	comp = fwact_register(&desc);
	if (IS_ERR(comp))
		return PTR_ERR(comp);
	img->comp = comp;
	img->kobj.kset = lfa_be.kset;
	ret = kobject_add(&img->kobj, NULL, "%s", img->guid_str);
	if (ret) {
		pr_err("%s: cannot add /sys/firmware/lfa/%s: %d\n", img->name,
		       img->guid_str, ret);
		fwact_unregister(comp);
		img->comp = NULL;
		return ret;
	}
	img->in_sysfs = true;
	kobject_uevent(&img->kobj, KOBJ_ADD);
	lfa_image_info(img, &inv);
	lfa_version_str(inv.cur, cur, sizeof(cur));
	pr_info("%s: %s, version %s%s%s%s%s\n", img->guid_str,
		img->name == img->guid_str ? "an image without a name" :
		img->name, cur,
		inv.flags & LFA_INV_CAPABLE ? ", activation capable" : "",
		inv.flags & LFA_INV_PENDING ? ", activation pending" : "",
		inv.flags & LFA_INV_MAY_RESET_CPU ? ", may reset the CPUs" : "",
		inv.flags & LFA_INV_RENDEZVOUS_OPTIONAL ?
		", rendezvous optional" : "");
	return 0;
}

/* Remove an image off the list: both directories, then the memory. */
static void lfa_image_remove(struct lfa_image *img)
{
	if (img->in_sysfs) {
		kobject_uevent(&img->kobj, KOBJ_REMOVE);
		kobject_del(&img->kobj);
	}
	if (img->comp) {
		fwact_unregister(img->comp);
		pr_info("%s: left the inventory\n", img->guid_str);
	}
	kobject_put(&img->kobj);
}

/* The first image that @want selects, under the read lock; or NULL. */
static struct lfa_image *lfa_image_find(bool (*want)(struct lfa_image *img,
						     unsigned int gen),
					unsigned int gen)
{
	struct lfa_image *img, *found = NULL;

	down_read(&lfa_be.seq_lock);
	list_for_each_entry(img, &lfa_be.images, node) {
		if (want(img, gen)) {
			found = img;
			break;
		}
	}
	up_read(&lfa_be.seq_lock);
	return found;
}

static bool lfa_want_unregistered(struct lfa_image *img, unsigned int gen)
{
	return !img->comp && img->seq >= 0;
}

static bool lfa_want_changed(struct lfa_image *img, unsigned int gen)
{
	bool changed;

	if (!img->comp)
		return false;
	spin_lock(&lfa_be.lock);
	changed = img->changed;
	img->changed = false;
	spin_unlock(&lfa_be.lock);
	return changed;
}

/*
 * What an inventory read left to do, in the work item: remove the images
 * that left, register the new ones, and send a uevent on both directories
 * of each one that changed. Images are freed only here, so the pointers
 * found stay valid while the work item runs.
 */
static void lfa_apply(void)
{
	struct lfa_be *be = &lfa_be;
	struct lfa_image *img, *tmp;
	bool work = false;
	LIST_HEAD(gone);

	down_write(&be->seq_lock);
	if (be->going) {
		up_write(&be->seq_lock);
		return;
	}
	lfa_sync_locked(&work);
	list_for_each_entry_safe(img, tmp, &be->images, node)
		if (img->seq < 0)
			list_move_tail(&img->node, &gone);
	up_write(&be->seq_lock);

	list_for_each_entry_safe(img, tmp, &gone, node) {
		list_del_init(&img->node);
		lfa_image_remove(img);
	}

	while ((img = lfa_image_find(lfa_want_unregistered, 0))) {
		if (!lfa_image_add(img))
			continue;
		down_write(&be->seq_lock);
		list_del_init(&img->node);
		up_write(&be->seq_lock);
		lfa_image_remove(img);
	}

	while ((img = lfa_image_find(lfa_want_changed, 0))) {
		kobject_uevent(&img->kobj, KOBJ_CHANGE);
		fwact_notify(img->comp);
	}
}

static void lfa_rescan_work_fn(struct work_struct *work)
{
	lfa_apply();
}

static bool lfa_want_auto(struct lfa_image *img, unsigned int gen)
{
	u64 flags;

	if (!img->comp || img->seq < 0 || !READ_ONCE(img->auto_activate) ||
	    img->auto_gen == gen)
		return false;
	spin_lock(&lfa_be.lock);
	flags = img->inv.flags;
	spin_unlock(&lfa_be.lock);
	return (flags & (LFA_INV_CAPABLE | LFA_INV_PENDING |
			 LFA_INV_MAY_RESET_CPU)) ==
	       (LFA_INV_CAPABLE | LFA_INV_PENDING);
}

/* Activate an auto_activate image, waiting out another activation. */
static void lfa_auto_activate(struct lfa_image *img)
{
	unsigned int tries = 0;
	int ret;

	for (;;) {
		ret = fwact_activate(img->comp);
		if (ret != -EBUSY || ++tries >= LFA_AUTO_BUSY_TRIES)
			break;
		msleep(LFA_AUTO_BUSY_MS);
	}
	if (ret)
		pr_err_ratelimited("%s: automatic activation of %s failed: %d\n",
				   img->guid_str, img->name, ret);
	else
		pr_info_ratelimited("%s: %s activated automatically\n",
				    img->guid_str, img->name);
}

/*
 * A platform notification: the agent says something is pending, not
 * what. Read the inventory, then activate the images whose auto_activate
 * is set, one at a time, reading the inventory again after each (it may
 * have changed), each at most once per notification.
 */
static void lfa_notify_work_fn(struct work_struct *work)
{
	struct lfa_image *img;
	unsigned int gen;

	lfa_apply();
	gen = ++lfa_be.auto_gen;
	while (!READ_ONCE(lfa_be.going) &&
	       (img = lfa_image_find(lfa_want_auto, gen))) {
		img->auto_gen = gen;
		lfa_auto_activate(img);
		lfa_apply();
	}
}

/**
 * lfa_notify() - the platform says an image is pending
 *
 * From the notification's interrupt thread or ACPI notify handler: the
 * work is deferred to the backend's work queue. Any context.
 */
void lfa_notify(void)
{
	queue_work(lfa_be.wq, &lfa_be.notify_work);
}

/**
 * lfa_rescan_sync() - read the inventory and apply it, and wait for that
 *
 * What a notification does, without the automatic activations. Process
 * context; not from the work queue.
 */
void lfa_rescan_sync(void)
{
	lfa_rescan_queue();
	flush_workqueue(lfa_be.wq);
}

/* The agent answers LFA_VERSION with 1.x and has every call we make. */
static int __init lfa_agent_check(void)
{
	unsigned int major, minor;
	u64 x0, count;
	u32 fid;
	int ret;

	x0 = lfa_call(LFA_FN_VERSION, 0, NULL);
	ret = lfa_version_check(x0, &major, &minor);
	switch (ret) {
	case 0:
		break;
	case -EOPNOTSUPP:
		pr_info("not loaded: the firmware has no LFA agent (LFA_VERSION answered %s)\n",
			lfa_status_name(x0));
		return -ENODEV;
	case -EPROTONOSUPPORT:
		pr_info("not loaded: the LFA agent speaks v%u.%u, this driver v1\n",
			major, minor);
		return -ENODEV;
	default:
		pr_info("not loaded: LFA_VERSION answered 0x%llx, which is no version\n",
			x0);
		return -ENODEV;
	}
	for (fid = LFA_FN_GET_INFO; fid <= LFA_FN_CANCEL; fid++) {
		x0 = lfa_call(LFA_FN_FEATURES, fid, NULL);
		if (x0) {
			pr_info("not loaded: the LFA v%u.%u agent lacks LFA_%s (%s)\n",
				major, minor, lfa_fn_name(fid),
				lfa_status_name(x0));
			return -ENODEV;
		}
	}
	x0 = lfa_call(LFA_FN_GET_INFO, 0, &count);
	if (x0) {
		pr_info("not loaded: LFA_GET_INFO failed: %s\n",
			lfa_status_name(x0));
		return -ENODEV;
	}
	lfa_be.major = major;
	lfa_be.minor = minor;
	return 0;
}

static void lfa_images_remove_all(void)
{
	struct lfa_image *img, *tmp;
	LIST_HEAD(all);

	down_write(&lfa_be.seq_lock);
	list_splice_init(&lfa_be.images, &all);
	up_write(&lfa_be.seq_lock);
	list_for_each_entry_safe(img, tmp, &all, node) {
		list_del_init(&img->node);
		lfa_image_remove(img);
	}
}

static int __init fwact_lfa_init(void)
{
	struct lfa_image *img;
	unsigned int n = 0;
	u32 smccc;
	int ret;

	ret = lfa_conduit_init();
	if (ret)
		return ret;
	ret = lfa_agent_check();
	if (ret)
		return ret;

	INIT_WORK(&lfa_be.rescan_work, lfa_rescan_work_fn);
	INIT_WORK(&lfa_be.notify_work, lfa_notify_work_fn);
	lfa_be.wq = alloc_ordered_workqueue("fwact-lfa", 0);
	if (!lfa_be.wq)
		return -ENOMEM;
	ret = lfa_sysfs_init();
	if (ret)
		goto err_wq;
	/* Before any component exists: nothing to undo after it. */
	ret = lfa_notify_init();
	if (ret)
		goto err_sysfs;
	/* In the work item, as every later registration. */
	lfa_rescan_sync();
	lfa_test_init();

	down_read(&lfa_be.seq_lock);
	list_for_each_entry(img, &lfa_be.images, node)
		n += !!img->comp;
	up_read(&lfa_be.seq_lock);
	/* SMCCC_VERSION has the layout of LFA_VERSION. */
	smccc = arm_smccc_get_version();
	pr_info("LFA v%u.%u agent, SMCCC v%u.%u: %u images\n", lfa_be.major,
		lfa_be.minor, (smccc >> LFA_VERSION_MAJOR_SHIFT) &
		LFA_VERSION_MAJOR_MASK, smccc & LFA_VERSION_MINOR_MASK, n);
	return 0;

err_sysfs:
	lfa_sysfs_exit();
err_wq:
	destroy_workqueue(lfa_be.wq);
	return ret;
}
module_init(fwact_lfa_init);

static void __exit fwact_lfa_exit(void)
{
	lfa_test_exit();
	/* No notification comes in, then none is being handled. */
	lfa_notify_exit();
	/*
	 * A sysfs read may still find the inventory changed and want the
	 * work item, until the images' files are gone: from here it queues
	 * nothing and the work registers nothing, and the work queue goes
	 * only after the last file that could reach it.
	 */
	down_write(&lfa_be.seq_lock);
	lfa_be.going = true;
	up_write(&lfa_be.seq_lock);
	flush_workqueue(lfa_be.wq);
	lfa_images_remove_all();
	lfa_sysfs_exit();
	destroy_workqueue(lfa_be.wq);
}
module_exit(fwact_lfa_exit);

MODULE_DESCRIPTION("fwact: Arm SMCCC Live Firmware Activation (DEN0147)");
MODULE_LICENSE("GPL");
