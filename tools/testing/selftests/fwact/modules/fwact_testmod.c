// SPDX-License-Identifier: GPL-2.0
/*
 * fwact test backend: emulated firmware components for the fwact selftests.
 *
 * It registers one component per rendezvous mode (test-none, test-one,
 * test-all, test-per-core, test-serial) and one multi-step program
 * (test-steps: shutdown ONE, install SERIAL, init ALL, update ONE) with the
 * fwact core, all held in stopper context, two held in interrupt
 * context (test-irq-one, test-irq-all), and test-upload-activate (a
 * program of one none step, with FWACT_DESC_UPLOAD_ACTIVATE: an image
 * uploaded through /sys/class/firmware/ is activated too), and lets the
 * tests make the
 * emulated firmware misbehave on demand through knobs in
 * /sys/kernel/debug/fwact_testmod/<component>/:
 * version, capable, rendezvous_required, may_reset_cpu, pending_external
 * (what the firmware reports), fail_info, fail_stage, fail_prepare,
 * fail_cancel (an errno that get_info, stage, prepare or cancel returns),
 * prepare_ms (a sleep in prepare, so that a cancel can catch the
 * activation), stage_ms (a sleep in stage, so that a cancel or another
 * writer can catch the stage),
 * fail_errno/fail_step/fail_cpu (an action error), delay_cpu/delay_us (a
 * CPU kept from arriving; with delay_irqs_on 1 it spins in a region with
 * preemption off and interrupts on instead, and an action that runs on
 * that CPU while it is inside counts in region_hits), hang_cpu/hang_step/hang_us (an action that
 * spins with interrupts off), slow_us (every action busy-waits),
 * fw_status/fw_ext_status/fw_auth_ns/fw_exec_ns (what the firmware reports
 * after a stage or an activation; fw_status -1 reports nothing), reset,
 * drop_staged (the firmware forgets its staged image on its own and tells
 * the core with fwact_notify(); 2 forgets it silently), notify (a
 * platform notification: fwact_notify());
 * and read-only region_hits, record (the action calls of the last activation, one
 * "<order> <step> <cpu> <start_ns> <end_ns>" line each) and calls.
 * /sys/kernel/debug/fwact_testmod/hold_firmware holds the firmware file
 * written to it (request_firmware_direct()) until another name or an empty
 * line is written, or the module goes: a request for that file meanwhile
 * is served from memory without reading the file.
 *
 * Images are in the format of fwact_testmod.h: a 24-byte little-endian
 * header ("FWTSTIMG" magic, version, payload_size, crc32, reserved) and
 * the payload. stage() validates it completely (truncated, wrong magic,
 * payload_size not matching the data, reserved not 0: -EINVAL; CRC-32
 * mismatch: -EBADMSG; version not newer than the running one: -EINVAL)
 * and keeps only the version. The emulated firmware applies the pending
 * version when the last step of the program completed and the core
 * reports success in finish(); any failure leaves the version alone.
 *
 * The actions only do the emulated work (busy-waiting, recording their
 * call into a preallocated array, returning an injected error): no lock,
 * allocation or printk, so that they are fit to run with the CPUs held.
 * Every injected delay is bounded, so no knob can hang the machine.
 *
 * This module is only built for test kernels; never load it in production.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/firmware.h>
#include <linux/fwact.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nmi.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched/clock.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "fwact_testmod.h"

/*
 * Longest injected delay or hang: 12 s, long enough to outlast the largest
 * budget; the spin keeps the lockup detectors quiet, and stays below the
 * RCU CPU stall timeout.
 */
#define FWACT_TESTMOD_MAX_SPIN_US	12000000
/* Longest per-action slowdown: 2 s. */
#define FWACT_TESTMOD_MAX_SLOW_US	2000000
/* Longest sleep in prepare(), the window in which a cancel still acts. */
#define FWACT_TESTMOD_MAX_PREPARE_MS	2000
/* Longest sleep in stage(), the window in which the component is busy. */
#define FWACT_TESTMOD_MAX_STAGE_MS	5000
/* How long prepare() waits for the delaying thread to start spinning. */
#define FWACT_TESTMOD_DELAY_START_MS	1000

enum fwact_testmod_knob_id {
	FWACT_TESTMOD_VERSION,
	FWACT_TESTMOD_CAPABLE,
	FWACT_TESTMOD_RENDEZVOUS_REQUIRED,
	FWACT_TESTMOD_MAY_RESET_CPU,
	FWACT_TESTMOD_PENDING_EXTERNAL,
	FWACT_TESTMOD_FAIL_INFO,
	FWACT_TESTMOD_FAIL_STAGE,
	FWACT_TESTMOD_FAIL_PREPARE,
	FWACT_TESTMOD_FAIL_CANCEL,
	FWACT_TESTMOD_PREPARE_MS,
	FWACT_TESTMOD_STAGE_MS,
	FWACT_TESTMOD_FAIL_ERRNO,
	FWACT_TESTMOD_FAIL_STEP,
	FWACT_TESTMOD_FAIL_CPU,
	FWACT_TESTMOD_DELAY_CPU,
	FWACT_TESTMOD_DELAY_US,
	FWACT_TESTMOD_DELAY_IRQS_ON,
	FWACT_TESTMOD_HANG_CPU,
	FWACT_TESTMOD_HANG_STEP,
	FWACT_TESTMOD_HANG_US,
	FWACT_TESTMOD_SLOW_US,
	FWACT_TESTMOD_FW_STATUS,
	FWACT_TESTMOD_FW_EXT_STATUS,
	FWACT_TESTMOD_FW_AUTH_NS,
	FWACT_TESTMOD_FW_EXEC_NS,
	FWACT_TESTMOD_NR_KNOBS
};

/**
 * enum fwact_testmod_knob_kind - how a knob's written value is checked
 * @FWACT_TESTMOD_KNOB_INT: between min and max
 * @FWACT_TESTMOD_KNOB_ERRNO: an errno; "5" and "-5" alike store 5
 * @FWACT_TESTMOD_KNOB_CPU: -1 or a possible CPU number
 */
enum fwact_testmod_knob_kind {
	FWACT_TESTMOD_KNOB_INT,
	FWACT_TESTMOD_KNOB_ERRNO,
	FWACT_TESTMOD_KNOB_CPU,
};

/**
 * struct fwact_testmod_knob - one debugfs knob
 * @name: file name
 * @min: smallest value accepted
 * @max: largest value accepted
 * @def: value after load and after a write to ``reset``
 * @kind: how a written value is checked
 */
struct fwact_testmod_knob {
	const char *name;
	s64 min;
	s64 max;
	s64 def;
	enum fwact_testmod_knob_kind kind;
};

static const struct fwact_testmod_knob fwact_testmod_knobs[] = {
	[FWACT_TESTMOD_VERSION] = { "version", 0, U32_MAX, 1 },
	[FWACT_TESTMOD_CAPABLE] = { "capable", 0, 1, 1 },
	[FWACT_TESTMOD_RENDEZVOUS_REQUIRED] = { "rendezvous_required", 0, 1, 0 },
	[FWACT_TESTMOD_MAY_RESET_CPU] = { "may_reset_cpu", 0, 1, 0 },
	[FWACT_TESTMOD_PENDING_EXTERNAL] = { "pending_external", 0, 1, 0 },
	[FWACT_TESTMOD_FAIL_INFO] = { "fail_info", 0, MAX_ERRNO, 0,
				FWACT_TESTMOD_KNOB_ERRNO },
	[FWACT_TESTMOD_FAIL_STAGE] = { "fail_stage", 0, MAX_ERRNO, 0,
				FWACT_TESTMOD_KNOB_ERRNO },
	[FWACT_TESTMOD_FAIL_PREPARE] = { "fail_prepare", 0, MAX_ERRNO, 0,
				FWACT_TESTMOD_KNOB_ERRNO },
	[FWACT_TESTMOD_FAIL_CANCEL] = { "fail_cancel", 0, MAX_ERRNO, 0,
				FWACT_TESTMOD_KNOB_ERRNO },
	[FWACT_TESTMOD_PREPARE_MS] = { "prepare_ms", 0, FWACT_TESTMOD_MAX_PREPARE_MS, 0 },
	[FWACT_TESTMOD_STAGE_MS] = { "stage_ms", 0, FWACT_TESTMOD_MAX_STAGE_MS, 0 },
	[FWACT_TESTMOD_FAIL_ERRNO] = { "fail_errno", 0, MAX_ERRNO, 0,
				FWACT_TESTMOD_KNOB_ERRNO },
	[FWACT_TESTMOD_FAIL_STEP] = { "fail_step", -1, FWACT_MAX_STEPS - 1, -1 },
	[FWACT_TESTMOD_FAIL_CPU] = { "fail_cpu", -1, -1, -1,
				FWACT_TESTMOD_KNOB_CPU },
	[FWACT_TESTMOD_DELAY_CPU] = { "delay_cpu", -1, -1, -1,
				FWACT_TESTMOD_KNOB_CPU },
	[FWACT_TESTMOD_DELAY_US] = { "delay_us", 0, FWACT_TESTMOD_MAX_SPIN_US, 0 },
	[FWACT_TESTMOD_DELAY_IRQS_ON] = { "delay_irqs_on", 0, 1, 0 },
	[FWACT_TESTMOD_HANG_CPU] = { "hang_cpu", -1, -1, -1,
				FWACT_TESTMOD_KNOB_CPU },
	[FWACT_TESTMOD_HANG_STEP] = { "hang_step", -1, FWACT_MAX_STEPS - 1, -1 },
	[FWACT_TESTMOD_HANG_US] = { "hang_us", 0, FWACT_TESTMOD_MAX_SPIN_US, 0 },
	[FWACT_TESTMOD_SLOW_US] = { "slow_us", 0, FWACT_TESTMOD_MAX_SLOW_US, 0 },
	[FWACT_TESTMOD_FW_STATUS] = { "fw_status", -1, U32_MAX, -1 },
	[FWACT_TESTMOD_FW_EXT_STATUS] = { "fw_ext_status", 0, U32_MAX, 0 },
	[FWACT_TESTMOD_FW_AUTH_NS] = { "fw_auth_ns", 0, S64_MAX, 0 },
	[FWACT_TESTMOD_FW_EXEC_NS] = { "fw_exec_ns", 0, S64_MAX, 0 },
};

static_assert(ARRAY_SIZE(fwact_testmod_knobs) == FWACT_TESTMOD_NR_KNOBS);

/**
 * struct fwact_testmod_call - one recorded action call
 * @step: step index
 * @cpu: CPU it ran on
 * @start_ns: ktime_get_mono_fast_ns() when it started
 * @end_ns: same when it returned, 0 while it runs
 */
struct fwact_testmod_call {
	unsigned int step;
	unsigned int cpu;
	u64 start_ns;
	u64 end_ns;
};

/**
 * struct fwact_testmod_def - one component this module registers
 * @name: component name
 * @steps: its activation program
 * @nr_steps: number of @steps
 * @context: where the core holds the CPUs for it
 * @flags: its FWACT_DESC_* flags
 */
struct fwact_testmod_def {
	const char *name;
	const struct fwact_step *steps;
	unsigned int nr_steps;
	enum fwact_context context;
	unsigned long flags;
};

struct fwact_testmod_dev;

/**
 * struct fwact_testmod_knob_file - what a knob's debugfs file refers to
 * @tm: the component
 * @id: the knob
 */
struct fwact_testmod_knob_file {
	struct fwact_testmod_dev *tm;
	enum fwact_testmod_knob_id id;
};

/**
 * struct fwact_testmod_dev - one emulated firmware component
 * @def: what it is
 * @comp: its fwact component
 * @dir: its debugfs directory
 * @files: what each knob file refers to
 * @knob: knob values; the version under @lock, the others read locklessly
 * @lock: serializes the version and the staged image between the fwact
 *	ops and debugfs writers
 * @staged: an image was staged and not yet activated or cancelled
 * @staged_version: its version
 * @rec: record of the action calls of the last activation
 * @rec_cap: entries in @rec (steps times possible CPUs)
 * @rec_next: index of the next entry; also the number of calls made
 * @calls: action calls since load
 * @fail_claimed: the injected action failure was delivered this activation
 * @last_step_done: the last step completed without error on some CPU
 * @delay_task: thread keeping a CPU from the rendezvous, or NULL
 * @delay_started: it is spinning with interrupts off
 * @delay_us: how long it spins
 * @delay_irqs_on: it spins with preemption off but interrupts on
 * @region_hits: actions that ran on a CPU inside the delaying region
 */
struct fwact_testmod_dev {
	const struct fwact_testmod_def *def;
	struct fwact_component *comp;
	struct dentry *dir;
	struct fwact_testmod_knob_file files[FWACT_TESTMOD_NR_KNOBS];
	s64 knob[FWACT_TESTMOD_NR_KNOBS];
	struct mutex lock; /* version and staged image */
	bool staged;
	u32 staged_version;
	struct fwact_testmod_call *rec;
	unsigned int rec_cap;
	atomic_t rec_next;
	atomic64_t calls;
	atomic_t fail_claimed;
	atomic_t last_step_done;
	struct task_struct *delay_task;
	struct completion delay_started;
	u64 delay_us;
	bool delay_irqs_on;
	atomic_t region_hits;
};

static struct dentry *fwact_testmod_root;
/* The delaying thread is inside its region on this CPU. */
static DEFINE_PER_CPU(bool, fwact_testmod_in_region);

static s64 fwact_testmod_knob(const struct fwact_testmod_dev *tm,
			      enum fwact_testmod_knob_id id)
{
	return READ_ONCE(tm->knob[id]);
}

/*
 * Busy-wait without touching anything but the clock; fit for irqs off.
 * sched_clock() needs no tick, so the wait is right however long every
 * CPU has interrupts off and whatever the clocksource.
 */
static void fwact_testmod_spin(u64 us)
{
	u64 t0 = sched_clock(), now, touched = t0;

	while ((now = sched_clock()) - t0 < us * NSEC_PER_USEC) {
		if (now - touched > NSEC_PER_SEC / 10) {
			touch_nmi_watchdog();
			touched = now;
		}
		cpu_relax();
	}
}

static bool fwact_testmod_call_match(s64 want_step, s64 want_cpu,
				     const struct fwact_call *call)
{
	return (want_step < 0 || want_step == call->step) &&
	       (want_cpu < 0 || want_cpu == call->cpu);
}

static bool fwact_testmod_fail_match(struct fwact_testmod_dev *tm,
				     const struct fwact_call *call)
{
	s64 cpu = fwact_testmod_knob(tm, FWACT_TESTMOD_FAIL_CPU);

	if (!fwact_testmod_knob(tm, FWACT_TESTMOD_FAIL_ERRNO))
		return false;
	if (!fwact_testmod_call_match(fwact_testmod_knob(tm, FWACT_TESTMOD_FAIL_STEP),
				      cpu, call))
		return false;
	/* With fail_cpu -1 only the first CPU to get here fails. */
	return atomic_cmpxchg(&tm->fail_claimed, 0, 1) == 0;
}

static void fwact_testmod_hang_maybe(struct fwact_testmod_dev *tm,
				     const struct fwact_call *call)
{
	s64 cpu = fwact_testmod_knob(tm, FWACT_TESTMOD_HANG_CPU);
	s64 step = fwact_testmod_knob(tm, FWACT_TESTMOD_HANG_STEP);
	unsigned long flags;

	if (cpu < 0 || !fwact_testmod_call_match(step, cpu, call))
		return;
	local_irq_save(flags);
	fwact_testmod_spin(fwact_testmod_knob(tm, FWACT_TESTMOD_HANG_US));
	local_irq_restore(flags);
}

/* The action of every step of every test component. */
static int fwact_testmod_act(void *priv, const struct fwact_call *call)
{
	struct fwact_testmod_dev *tm = priv;
	unsigned int order = atomic_inc_return(&tm->rec_next) - 1;
	struct fwact_testmod_call *rec = NULL;
	int err = 0;

	if (order < tm->rec_cap) {
		rec = &tm->rec[order];
		rec->start_ns = ktime_get_mono_fast_ns();
		rec->step = call->step;
		rec->cpu = call->cpu;
		rec->end_ns = 0;
	}
	atomic64_inc(&tm->calls);

	if (this_cpu_read(fwact_testmod_in_region))
		atomic_inc(&tm->region_hits);
	fwact_testmod_hang_maybe(tm, call);
	fwact_testmod_spin(fwact_testmod_knob(tm, FWACT_TESTMOD_SLOW_US));
	if (fwact_testmod_fail_match(tm, call))
		err = -fwact_testmod_knob(tm, FWACT_TESTMOD_FAIL_ERRNO);
	if (!err && call->step == tm->def->nr_steps - 1)
		atomic_set(&tm->last_step_done, 1);

	if (rec)
		WRITE_ONCE(rec->end_ns, ktime_get_mono_fast_ns());
	return err;
}

/*
 * The delaying thread: with interrupts off neither a cross-call nor the
 * stopper thread gets through; with preemption off only (a region like a
 * spinlocked one) a cross-call does and the stopper thread does not.
 */
static int fwact_testmod_delay_fn(void *data)
{
	struct fwact_testmod_dev *tm = data;
	unsigned long flags;

	if (tm->delay_irqs_on) {
		preempt_disable();
		this_cpu_write(fwact_testmod_in_region, true);
		complete(&tm->delay_started);
		fwact_testmod_spin(tm->delay_us);
		this_cpu_write(fwact_testmod_in_region, false);
		preempt_enable();
		return 0;
	}
	local_irq_save(flags);
	complete(&tm->delay_started);
	fwact_testmod_spin(tm->delay_us);
	local_irq_restore(flags);
	return 0;
}

/* Wait for the delaying thread of the last activation to be gone. */
static void fwact_testmod_delay_reap(struct fwact_testmod_dev *tm)
{
	if (!tm->delay_task)
		return;
	kthread_stop(tm->delay_task);
	put_task_struct(tm->delay_task);
	tm->delay_task = NULL;
}

/*
 * Make CPU delay_cpu unable to answer the rendezvous for delay_us: a
 * thread bound to it spins with interrupts off, so neither an IPI nor the
 * stopper thread gets through until it is done.
 */
static int fwact_testmod_delay_start(struct fwact_testmod_dev *tm)
{
	s64 cpu = fwact_testmod_knob(tm, FWACT_TESTMOD_DELAY_CPU);
	struct task_struct *task;

	tm->delay_us = fwact_testmod_knob(tm, FWACT_TESTMOD_DELAY_US);
	tm->delay_irqs_on = fwact_testmod_knob(tm, FWACT_TESTMOD_DELAY_IRQS_ON);
	if (cpu < 0 || !tm->delay_us)
		return 0;
	if (cpu >= nr_cpu_ids || !cpu_online(cpu)) {
		pr_err("%s: delay_cpu %lld is not online, not delaying\n",
		       tm->def->name, cpu);
		return 0;
	}

	task = kthread_create(fwact_testmod_delay_fn, tm, "fwact_tm_delay");
	if (IS_ERR(task))
		return PTR_ERR(task);
	kthread_bind(task, cpu);
	get_task_struct(task);
	tm->delay_task = task;
	reinit_completion(&tm->delay_started);
	wake_up_process(task);
	if (!wait_for_completion_timeout(&tm->delay_started,
					 msecs_to_jiffies(FWACT_TESTMOD_DELAY_START_MS)))
		pr_err("%s: delaying thread on CPU %lld did not start\n",
		       tm->def->name, cpu);
	return 0;
}

/* What the emulated firmware reports about the op that just ran. */
static void fwact_testmod_fw_report(struct fwact_testmod_dev *tm)
{
	s64 status = fwact_testmod_knob(tm, FWACT_TESTMOD_FW_STATUS);
	u64 auth = fwact_testmod_knob(tm, FWACT_TESTMOD_FW_AUTH_NS);
	u64 exec = fwact_testmod_knob(tm, FWACT_TESTMOD_FW_EXEC_NS);

	if (status >= 0)
		fwact_set_fw_status(tm->comp, status,
				    fwact_testmod_knob(tm, FWACT_TESTMOD_FW_EXT_STATUS));
	if (auth || exec)
		fwact_set_fw_times(tm->comp, auth, exec);
}

static int fwact_testmod_get_info(struct fwact_component *comp,
				  struct fwact_info *info)
{
	struct fwact_testmod_dev *tm = fwact_priv(comp);
	bool external = fwact_testmod_knob(tm, FWACT_TESTMOD_PENDING_EXTERNAL);
	s64 injected = fwact_testmod_knob(tm, FWACT_TESTMOD_FAIL_INFO);
	u32 cur;

	if (injected)
		return -injected;
	mutex_lock(&tm->lock);
	cur = tm->knob[FWACT_TESTMOD_VERSION];
	snprintf(info->current_version, sizeof(info->current_version), "%u",
		 cur);
	info->pending_version[0] = '\0';
	if (tm->staged)
		snprintf(info->pending_version, sizeof(info->pending_version),
			 "%u", tm->staged_version);
	else if (external)
		snprintf(info->pending_version, sizeof(info->pending_version),
			 "%u", cur + 1);
	info->flags = 0;
	if (tm->staged || external)
		info->flags |= FWACT_F_PENDING;
	mutex_unlock(&tm->lock);

	if (fwact_testmod_knob(tm, FWACT_TESTMOD_CAPABLE))
		info->flags |= FWACT_F_CAPABLE;
	if (fwact_testmod_knob(tm, FWACT_TESTMOD_RENDEZVOUS_REQUIRED))
		info->flags |= FWACT_F_RENDEZVOUS;
	if (fwact_testmod_knob(tm, FWACT_TESTMOD_MAY_RESET_CPU))
		info->flags |= FWACT_F_MAY_RESET_CPU;
	return 0;
}

static int fwact_testmod_image_check(struct fwact_testmod_dev *tm,
				     const void *data, size_t size)
{
	const struct fwact_testmod_hdr *hdr = data;
	const char *name = tm->def->name;
	size_t payload;
	u32 crc;

	if (!data || size < sizeof(*hdr)) {
		pr_err("%s: image truncated: %zu bytes, header needs %zu\n",
		       name, size, sizeof(*hdr));
		return -EINVAL;
	}
	if (size > FWACT_TESTMOD_MAX_IMAGE) {
		pr_err("%s: image too big: %zu bytes\n", name, size);
		return -EFBIG;
	}
	payload = size - sizeof(*hdr);
	if (memcmp(hdr->magic, FWACT_TESTMOD_MAGIC, FWACT_TESTMOD_MAGIC_LEN)) {
		pr_err("%s: image has a wrong magic\n", name);
		return -EINVAL;
	}
	if (le32_to_cpu(hdr->payload_size) != payload) {
		pr_err("%s: image payload_size %u does not match its %zu bytes of payload\n",
		       name, le32_to_cpu(hdr->payload_size), payload);
		return -EINVAL;
	}
	if (hdr->reserved) {
		pr_err("%s: image reserved field is not 0\n", name);
		return -EINVAL;
	}
	crc = crc32_le(~0U, (const u8 *)(hdr + 1), payload) ^ ~0U;
	if (crc != le32_to_cpu(hdr->crc32)) {
		pr_err("%s: image CRC-32 mismatch: header 0x%08x, payload 0x%08x\n",
		       name, le32_to_cpu(hdr->crc32), crc);
		return -EBADMSG;
	}
	return 0;
}

static int fwact_testmod_stage(struct fwact_component *comp, const void *data,
			       size_t size)
{
	struct fwact_testmod_dev *tm = fwact_priv(comp);
	const struct fwact_testmod_hdr *hdr = data;
	s64 injected = fwact_testmod_knob(tm, FWACT_TESTMOD_FAIL_STAGE);
	s64 stage_ms = fwact_testmod_knob(tm, FWACT_TESTMOD_STAGE_MS);
	u32 version;
	int err;

	if (stage_ms > 0)
		msleep(stage_ms);
	fwact_testmod_fw_report(tm);
	if (injected) {
		pr_err("%s: stage fails with injected error -%lld\n",
		       tm->def->name, injected);
		return -injected;
	}
	err = fwact_testmod_image_check(tm, data, size);
	if (err)
		return err;

	version = le32_to_cpu(hdr->version);
	mutex_lock(&tm->lock);
	if (version <= tm->knob[FWACT_TESTMOD_VERSION]) {
		pr_err("%s: image version %u is not newer than running %lld: rollback refused\n",
		       tm->def->name, version, tm->knob[FWACT_TESTMOD_VERSION]);
		err = -EINVAL;
	} else {
		tm->staged = true;
		tm->staged_version = version;
	}
	mutex_unlock(&tm->lock);
	return err;
}

static int fwact_testmod_prepare(struct fwact_component *comp)
{
	struct fwact_testmod_dev *tm = fwact_priv(comp);
	s64 injected = fwact_testmod_knob(tm, FWACT_TESTMOD_FAIL_PREPARE);
	s64 prepare_ms = fwact_testmod_knob(tm, FWACT_TESTMOD_PREPARE_MS);

	/* msleep(0) would still sleep a jiffy. */
	if (prepare_ms > 0)
		msleep(prepare_ms);
	if (injected) {
		pr_err("%s: prepare fails with injected error -%lld\n",
		       tm->def->name, injected);
		return -injected;
	}
	fwact_testmod_delay_reap(tm);
	atomic_set(&tm->rec_next, 0);
	atomic_set(&tm->region_hits, 0);
	atomic_set(&tm->fail_claimed, 0);
	atomic_set(&tm->last_step_done, 0);
	return fwact_testmod_delay_start(tm);
}

static void fwact_testmod_finish(struct fwact_component *comp, int result,
				 const struct fwact_measure *m)
{
	struct fwact_testmod_dev *tm = fwact_priv(comp);
	s64 *version = &tm->knob[FWACT_TESTMOD_VERSION];

	fwact_testmod_delay_reap(tm);
	fwact_testmod_fw_report(tm);
	if (result || !atomic_read(&tm->last_step_done))
		return;

	mutex_lock(&tm->lock);
	if (tm->staged)
		*version = tm->staged_version;
	else if (fwact_testmod_knob(tm, FWACT_TESTMOD_PENDING_EXTERNAL))
		*version = (u32)(*version + 1);
	tm->staged = false;
	WRITE_ONCE(tm->knob[FWACT_TESTMOD_PENDING_EXTERNAL], 0);
	mutex_unlock(&tm->lock);
}

static int fwact_testmod_cancel(struct fwact_component *comp)
{
	struct fwact_testmod_dev *tm = fwact_priv(comp);
	s64 injected = fwact_testmod_knob(tm, FWACT_TESTMOD_FAIL_CANCEL);

	if (injected) {
		pr_err_ratelimited("%s: cancel fails with injected error -%lld\n",
				   tm->def->name, injected);
		return -injected;
	}
	mutex_lock(&tm->lock);
	tm->staged = false;
	mutex_unlock(&tm->lock);
	return 0;
}

static const struct fwact_ops fwact_testmod_ops = {
	.get_info = fwact_testmod_get_info,
	.stage = fwact_testmod_stage,
	.prepare = fwact_testmod_prepare,
	.finish = fwact_testmod_finish,
	.cancel = fwact_testmod_cancel,
};

#define FWACT_TESTMOD_STEP(_name, _mode) \
	{ .name = (_name), .mode = (_mode), .act = fwact_testmod_act }

static const struct fwact_step fwact_testmod_steps_none[] = {
	FWACT_TESTMOD_STEP("activate", FWACT_MODE_NONE),
};

static const struct fwact_step fwact_testmod_steps_one[] = {
	FWACT_TESTMOD_STEP("activate", FWACT_MODE_ONE),
};

static const struct fwact_step fwact_testmod_steps_all[] = {
	FWACT_TESTMOD_STEP("activate", FWACT_MODE_ALL),
};

static const struct fwact_step fwact_testmod_steps_per_core[] = {
	FWACT_TESTMOD_STEP("activate", FWACT_MODE_PER_CORE),
};

static const struct fwact_step fwact_testmod_steps_serial[] = {
	FWACT_TESTMOD_STEP("activate", FWACT_MODE_SERIAL),
};

static const struct fwact_step fwact_testmod_steps_multi[] = {
	FWACT_TESTMOD_STEP("shutdown", FWACT_MODE_ONE),
	FWACT_TESTMOD_STEP("install", FWACT_MODE_SERIAL),
	FWACT_TESTMOD_STEP("init", FWACT_MODE_ALL),
	FWACT_TESTMOD_STEP("update", FWACT_MODE_ONE),
};

/*
 * test-irq-*: the emulated actions only spin and record into memory of
 * their own, so they are safe from any interrupted point.
 */
static const struct fwact_testmod_def fwact_testmod_defs[] = {
	{ "test-none", fwact_testmod_steps_none,
	  ARRAY_SIZE(fwact_testmod_steps_none) },
	{ "test-irq-one", fwact_testmod_steps_one,
	  ARRAY_SIZE(fwact_testmod_steps_one), FWACT_CONTEXT_IRQ },
	{ "test-irq-all", fwact_testmod_steps_all,
	  ARRAY_SIZE(fwact_testmod_steps_all), FWACT_CONTEXT_IRQ },
	{ "test-one", fwact_testmod_steps_one,
	  ARRAY_SIZE(fwact_testmod_steps_one) },
	{ "test-all", fwact_testmod_steps_all,
	  ARRAY_SIZE(fwact_testmod_steps_all) },
	{ "test-per-core", fwact_testmod_steps_per_core,
	  ARRAY_SIZE(fwact_testmod_steps_per_core) },
	{ "test-serial", fwact_testmod_steps_serial,
	  ARRAY_SIZE(fwact_testmod_steps_serial) },
	{ "test-steps", fwact_testmod_steps_multi,
	  ARRAY_SIZE(fwact_testmod_steps_multi) },
	{ "test-upload-activate", fwact_testmod_steps_none,
	  ARRAY_SIZE(fwact_testmod_steps_none), FWACT_CONTEXT_STOPPER,
	  FWACT_DESC_UPLOAD_ACTIVATE },
};

static struct fwact_testmod_dev *fwact_testmod_devs[ARRAY_SIZE(fwact_testmod_defs)];

/* The firmware file hold_firmware keeps loaded, and its lock. */
static const struct firmware *fwact_testmod_held_fw;
static DEFINE_MUTEX(fwact_testmod_held_lock);

static void fwact_testmod_fw_hold(const struct firmware *fw)
{
	mutex_lock(&fwact_testmod_held_lock);
	release_firmware(fwact_testmod_held_fw);
	fwact_testmod_held_fw = fw;
	mutex_unlock(&fwact_testmod_held_lock);
}

static ssize_t fwact_testmod_hold_fw_write(struct file *file,
					   const char __user *ubuf,
					   size_t count, loff_t *ppos)
{
	const struct firmware *fw = NULL;
	char *name;
	int err;

	name = memdup_user_nul(ubuf, min_t(size_t, count, NAME_MAX));
	if (IS_ERR(name))
		return PTR_ERR(name);
	strim(name);
	err = *name ? request_firmware_direct(&fw, name, NULL) : 0;
	kfree(name);
	if (err)
		return err;
	fwact_testmod_fw_hold(fw);
	return count;
}

static const struct file_operations fwact_testmod_hold_fw_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = fwact_testmod_hold_fw_write,
	.llseek = default_llseek,
};

static void fwact_testmod_knobs_reset(struct fwact_testmod_dev *tm)
{
	int i;

	mutex_lock(&tm->lock);
	for (i = 0; i < FWACT_TESTMOD_NR_KNOBS; i++)
		WRITE_ONCE(tm->knob[i], fwact_testmod_knobs[i].def);
	mutex_unlock(&tm->lock);
}

static int fwact_testmod_knob_set(struct fwact_testmod_dev *tm,
				  enum fwact_testmod_knob_id id, s64 val)
{
	const struct fwact_testmod_knob *k = &fwact_testmod_knobs[id];

	if (k->kind == FWACT_TESTMOD_KNOB_ERRNO && val < 0)
		val = -val;
	if (val < k->min)
		return -EINVAL;
	if (k->kind == FWACT_TESTMOD_KNOB_CPU ? val >= nr_cpu_ids : val > k->max)
		return -EINVAL;
	mutex_lock(&tm->lock);
	WRITE_ONCE(tm->knob[id], val);
	mutex_unlock(&tm->lock);
	return 0;
}

static ssize_t fwact_testmod_knob_read(struct file *file, char __user *ubuf,
				       size_t count, loff_t *ppos)
{
	struct fwact_testmod_knob_file *kf = file->private_data;
	char buf[24];
	int len;

	len = scnprintf(buf, sizeof(buf), "%lld\n",
			fwact_testmod_knob(kf->tm, kf->id));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t fwact_testmod_knob_write(struct file *file,
					const char __user *ubuf, size_t count,
					loff_t *ppos)
{
	struct fwact_testmod_knob_file *kf = file->private_data;
	s64 val;
	int err;

	err = kstrtoll_from_user(ubuf, count, 0, &val);
	if (err)
		return err;
	err = fwact_testmod_knob_set(kf->tm, kf->id, val);
	return err ? err : count;
}

static const struct file_operations fwact_testmod_knob_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = fwact_testmod_knob_read,
	.write = fwact_testmod_knob_write,
	.llseek = default_llseek,
};

static ssize_t fwact_testmod_reset_write(struct file *file,
					 const char __user *ubuf, size_t count,
					 loff_t *ppos)
{
	fwact_testmod_knobs_reset(file->private_data);
	return count;
}

static const struct file_operations fwact_testmod_reset_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = fwact_testmod_reset_write,
	.llseek = default_llseek,
};

/*
 * The emulated firmware forgets its staged image and says so (1), or
 * forgets it behind the core's back (2).
 */
static ssize_t fwact_testmod_drop_staged_write(struct file *file,
					       const char __user *ubuf,
					       size_t count, loff_t *ppos)
{
	struct fwact_testmod_dev *tm = file->private_data;
	unsigned int how;
	int err;

	err = kstrtouint_from_user(ubuf, count, 0, &how);
	if (err)
		return err;
	if (how != 1 && how != 2)
		return -EINVAL;
	mutex_lock(&tm->lock);
	tm->staged = false;
	mutex_unlock(&tm->lock);
	if (how == 1)
		fwact_notify(tm->comp);
	return count;
}

/* A platform notification: the firmware's view changed. */
static ssize_t fwact_testmod_notify_write(struct file *file,
					  const char __user *ubuf,
					  size_t count, loff_t *ppos)
{
	struct fwact_testmod_dev *tm = file->private_data;

	fwact_notify(tm->comp);
	return count;
}

static const struct file_operations fwact_testmod_notify_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = fwact_testmod_notify_write,
	.llseek = default_llseek,
};

static const struct file_operations fwact_testmod_drop_staged_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = fwact_testmod_drop_staged_write,
	.llseek = default_llseek,
};

static int fwact_testmod_record_show(struct seq_file *s, void *unused)
{
	struct fwact_testmod_dev *tm = s->private;
	unsigned int n = min_t(unsigned int, atomic_read(&tm->rec_next),
			       tm->rec_cap);
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct fwact_testmod_call *rec = &tm->rec[i];

		seq_printf(s, "%u %u %u %llu %llu\n", i, READ_ONCE(rec->step),
			   READ_ONCE(rec->cpu), READ_ONCE(rec->start_ns),
			   READ_ONCE(rec->end_ns));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fwact_testmod_record);

static int fwact_testmod_calls_show(struct seq_file *s, void *unused)
{
	struct fwact_testmod_dev *tm = s->private;

	seq_printf(s, "%lld\n", (long long)atomic64_read(&tm->calls));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fwact_testmod_calls);

static int fwact_testmod_region_hits_show(struct seq_file *s, void *unused)
{
	struct fwact_testmod_dev *tm = s->private;

	seq_printf(s, "%d\n", atomic_read(&tm->region_hits));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fwact_testmod_region_hits);

static void fwact_testmod_debugfs_add(struct fwact_testmod_dev *tm)
{
	int i;

	tm->dir = debugfs_create_dir(tm->def->name, fwact_testmod_root);
	for (i = 0; i < FWACT_TESTMOD_NR_KNOBS; i++) {
		tm->files[i].tm = tm;
		tm->files[i].id = i;
		debugfs_create_file(fwact_testmod_knobs[i].name, 0600, tm->dir,
				    &tm->files[i], &fwact_testmod_knob_fops);
	}
	debugfs_create_file("reset", 0200, tm->dir, tm,
			    &fwact_testmod_reset_fops);
	debugfs_create_file("drop_staged", 0200, tm->dir, tm,
			    &fwact_testmod_drop_staged_fops);
	debugfs_create_file("record", 0400, tm->dir, tm,
			    &fwact_testmod_record_fops);
	debugfs_create_file("calls", 0400, tm->dir, tm,
			    &fwact_testmod_calls_fops);
	debugfs_create_file("notify", 0200, tm->dir, tm,
			    &fwact_testmod_notify_fops);
	debugfs_create_file("region_hits", 0400, tm->dir, tm,
			    &fwact_testmod_region_hits_fops);
}

static void fwact_testmod_dev_free(struct fwact_testmod_dev *tm)
{
	kfree(tm->rec);
	kfree(tm);
}

static struct fwact_testmod_dev *
fwact_testmod_dev_create(const struct fwact_testmod_def *def)
{
	struct fwact_component_desc desc = {
		.name = def->name,
		.backend = "test",
		.ops = &fwact_testmod_ops,
		.steps = def->steps,
		.nr_steps = def->nr_steps,
		.max_image_size = FWACT_TESTMOD_MAX_IMAGE,
		.owner = THIS_MODULE,
		.context = def->context,
		.flags = def->flags,
	};
	struct fwact_testmod_dev *tm;
	struct fwact_component *comp;
	int err;

	tm = kzalloc_obj(*tm, GFP_KERNEL);
	if (!tm)
		return ERR_PTR(-ENOMEM);
	tm->def = def;
	mutex_init(&tm->lock);
	init_completion(&tm->delay_started);
	fwact_testmod_knobs_reset(tm);

	/* Every CPU may act in every step, once. */
	tm->rec_cap = def->nr_steps * nr_cpu_ids;
	tm->rec = kcalloc(tm->rec_cap, sizeof(*tm->rec), GFP_KERNEL);
	if (!tm->rec) {
		err = -ENOMEM;
		goto free_tm;
	}

	desc.priv = tm;
	comp = fwact_register(&desc);
	if (IS_ERR_OR_NULL(comp)) {
		err = comp ? PTR_ERR(comp) : -ENOMEM;
		pr_err("%s: fwact_register failed: %d\n", def->name, err);
		goto free_tm;
	}
	tm->comp = comp;
	fwact_testmod_debugfs_add(tm);
	return tm;

free_tm:
	fwact_testmod_dev_free(tm);
	return ERR_PTR(err);
}

static void fwact_testmod_dev_destroy(struct fwact_testmod_dev *tm)
{
	debugfs_remove_recursive(tm->dir);
	fwact_unregister(tm->comp);
	fwact_testmod_delay_reap(tm);
	fwact_testmod_dev_free(tm);
}

static void fwact_testmod_destroy_all(void)
{
	int i;

	for (i = ARRAY_SIZE(fwact_testmod_devs) - 1; i >= 0; i--) {
		if (fwact_testmod_devs[i])
			fwact_testmod_dev_destroy(fwact_testmod_devs[i]);
		fwact_testmod_devs[i] = NULL;
	}
}

static int __init fwact_testmod_init(void)
{
	struct fwact_testmod_dev *tm;
	int i;

	fwact_testmod_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("hold_firmware", 0200, fwact_testmod_root, NULL,
			    &fwact_testmod_hold_fw_fops);
	for (i = 0; i < ARRAY_SIZE(fwact_testmod_defs); i++) {
		tm = fwact_testmod_dev_create(&fwact_testmod_defs[i]);
		if (IS_ERR(tm))
			goto destroy_devs;
		fwact_testmod_devs[i] = tm;
	}
	return 0;

destroy_devs:
	fwact_testmod_destroy_all();
	debugfs_remove_recursive(fwact_testmod_root);
	return PTR_ERR(tm);
}
module_init(fwact_testmod_init);

static void __exit fwact_testmod_exit(void)
{
	fwact_testmod_destroy_all();
	debugfs_remove_recursive(fwact_testmod_root);
	fwact_testmod_fw_hold(NULL);
}
module_exit(fwact_testmod_exit);

MODULE_DESCRIPTION("fwact test backend: emulated firmware for the selftests");
MODULE_LICENSE("GPL");
