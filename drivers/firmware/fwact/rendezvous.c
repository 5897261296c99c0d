// SPDX-License-Identifier: GPL-2.0
/*
 * The fwact rendezvous engine: runs an activation program (a list of steps,
 * each with a mode saying which CPUs act) with every online CPU held with
 * interrupts off, and measures what holding them cost. The CPUs are reached
 * with one asynchronous cross-call each instead of stop_machine(): nothing
 * has to be scheduled, a CPU that never answers only makes the run fail
 * with -ETIMEDOUT, and the steps are sequenced by one shared state word
 * that the last CPU to finish a step advances, so a program of any length
 * costs one gather and one barrier per step. Documentation:
 * Documentation/firmware/fwact-rendezvous.rst.
 */
#define pr_fmt(fmt) "fwact: " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/nmi.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/timekeeping.h>
#include <linux/topology.h>

#include "fwact-internal.h"

#define CREATE_TRACE_POINTS
#include "fwact_trace.h"

const char * const fwact_mode_names[FWACT_MODE_NR] = {
	[FWACT_MODE_NONE]	= "none",
	[FWACT_MODE_ONE]	= "one",
	[FWACT_MODE_ALL]	= "all",
	[FWACT_MODE_PER_CORE]	= "per_core",
	[FWACT_MODE_SERIAL]	= "serial",
};

/*
 * Values of the shared state word besides the step numbers 0..nr_steps-1:
 * the CPUs are gathering, or the run was aborted. nr_steps itself means
 * every step is done and the CPUs may leave.
 */
#define FWACT_RV_GATHER		(-1)
#define FWACT_RV_ABORT		(-2)

/* Spins between two clock reads in a wait loop. */
#define FWACT_RV_POLL_SPINS	32
/* How often a waiting CPU keeps the lockup detectors quiet. */
#define FWACT_RV_TOUCH_NS	NSEC_PER_MSEC
/* How long the caller waits for spinning CPUs to leave after a failure. */
#define FWACT_RV_DRAIN_NS	(100 * NSEC_PER_MSEC)
/*
 * Longest a new run waits for a CPU still leaving the last one (at most its
 * own budget): only a few instructions are left, but the CPU may be taking
 * an NMI, or be a vCPU its host does not run.
 */
#define FWACT_RV_GRACE_NS	NSEC_PER_SEC

/**
 * struct fwact_rv_ctl - the one shared control structure of a run
 * @state: %FWACT_RV_GATHER, the step being run, nr_steps when done, or
 *	%FWACT_RV_ABORT. Every CPU spins reading it; it is written only at a
 *	transition, so it has a cache line to itself.
 * @arrived: CPUs that arrived
 * @ack: actors that finished the current step (ALL and PER_CORE)
 * @turn: serial index of the CPU whose turn it is (SERIAL)
 * @left: CPUs that left the window
 * @t0: first arrival, ktime_get_mono_fast_ns(); the budget runs from here
 * @fail: first failure, see fwact_rv_fail_pack()
 * @gen: number of this run; per-CPU records and tokens carry it
 * @steps: the program
 * @nr_steps: its length
 * @priv: passed to every action
 * @budget_ns: longest the window may last
 * @nr_cpus: CPUs to hold
 * @nr_cores: cores among them (PER_CORE acks)
 * @one_cpu: the CPU that acts in ONE steps
 * @cpus: the CPUs to hold
 * @others: @cpus without the calling CPU: the cross-call's targets
 *
 * Everything from @gen on is written by the caller before the cross-calls
 * are sent and only read inside the window.
 */
struct fwact_rv_ctl {
	atomic_t state ____cacheline_aligned;

	atomic_t arrived ____cacheline_aligned;
	atomic_t ack;
	unsigned long turn;
	atomic_t left;
	atomic64_t t0;
	atomic64_t fail;

	u32 gen ____cacheline_aligned;
	const struct fwact_step *steps;
	unsigned int nr_steps;
	void *priv;
	u64 budget_ns;
	unsigned int nr_cpus;
	unsigned int nr_cores;
	unsigned int one_cpu;
	struct cpumask cpus;
	struct cpumask others;
};

/**
 * struct fwact_rv_cpu - one CPU's roles and record
 * @index: position in ascending CPU order: its SERIAL turn
 * @leader: first online thread of its core: the PER_CORE actor
 * @core_done: token of the last step this CPU finished as a core leader;
 *	its siblings spin on it
 * @progress: token of the last step this CPU finished acting in
 * @gen: run this CPU last arrived in
 * @acted: bit n set if it called step n's action in run @gen
 * @arrive_ns: when it entered the window
 * @leave_ns: when it left the window, 0 if it has not
 * @action_ns: its longest action
 *
 * Roles are computed before the cross-calls so that nothing inside the
 * window walks the topology.
 */
struct fwact_rv_cpu {
	unsigned int index;
	unsigned int leader;
	unsigned long core_done;
	unsigned long progress;
	u32 gen;
	u32 acted;
	u64 arrive_ns;
	u64 leave_ns;
	u64 action_ns;
};

/**
 * struct fwact_rv_clock - a waiting CPU's view of the deadline
 * @deadline: end of the budget
 * @touch: when to touch the lockup detectors next
 * @spins: spins since the last clock read
 */
struct fwact_rv_clock {
	u64 deadline;
	u64 touch;
	unsigned int spins;
};

static struct fwact_rv_ctl fwact_rv_ctl;
static DEFINE_PER_CPU_SHARED_ALIGNED(struct fwact_rv_cpu, fwact_rv_cpus);
/* Serializes runs and the debugfs reader. */
static DEFINE_MUTEX(fwact_rv_lock);
/* Cross-calls sent whose handler has not yet returned. */
static atomic_t fwact_rv_inflight = ATOMIC_INIT(0);
static struct dentry *fwact_rv_dir;
static bool fwact_rv_dir_owned;

/*
 * One clock for everything: NMI-safe, never blocks on the timekeeping
 * seqlock, and on the CLOCK_MONOTONIC time base, so its readings can be
 * compared across CPUs and with user space.
 */
static inline u64 fwact_rv_now(void)
{
	return ktime_get_mono_fast_ns();
}

static inline unsigned long fwact_rv_token(u32 gen, unsigned int step)
{
	return (unsigned long)gen * (FWACT_MAX_STEPS + 1) + step + 1;
}

/* The failure word: 0 for none, else errno, step + 1 and cpu + 1 packed. */
static inline s64 fwact_rv_fail_pack(int err, int step, int cpu)
{
	return ((s64)(u32)(cpu + 1) << 32) | ((u32)(step + 1) << 16) |
	       (u16)-err;
}

static void fwact_rv_fail_unpack(s64 word, int *err, int *step, int *cpu)
{
	*err = -(int)(word & 0xffff);
	*step = (int)((word >> 16) & 0xffff) - 1;
	*cpu = (int)(u32)(word >> 32) - 1;
}

/* An action's result as an errno the failure word can hold. */
static inline int fwact_rv_errno(int ret)
{
	if (ret > 0 || ret < -MAX_ERRNO)
		return -EIO;
	return ret;
}

/* Record the run's first failure; later ones are ignored. */
static void fwact_rv_fail(struct fwact_rv_ctl *ctl, int err, int step,
			  int cpu)
{
	atomic64_cmpxchg(&ctl->fail, 0, fwact_rv_fail_pack(err, step, cpu));
}

static inline int fwact_rv_state(struct fwact_rv_ctl *ctl)
{
	return atomic_read_acquire(&ctl->state);
}

static inline bool fwact_rv_is_actor(struct fwact_rv_ctl *ctl,
				     unsigned int cpu, enum fwact_mode mode)
{
	switch (mode) {
	case FWACT_MODE_ONE:
		return cpu == ctl->one_cpu;
	case FWACT_MODE_PER_CORE:
		return per_cpu(fwact_rv_cpus, cpu).leader == cpu;
	default:
		return true;
	}
}

/*
 * A CPU to blame for a gather that ran out of time: one that did not
 * arrive or, if the last one arrived meanwhile, the last to arrive.
 */
static int fwact_rv_laggard_gather(struct fwact_rv_ctl *ctl)
{
	struct fwact_rv_cpu *rc;
	unsigned int cpu;
	u64 latest = 0;
	int late = -1;

	for_each_cpu(cpu, &ctl->cpus) {
		rc = per_cpu_ptr(&fwact_rv_cpus, cpu);
		if (READ_ONCE(rc->gen) != ctl->gen)
			return cpu;
		if (rc->arrive_ns >= latest) {
			latest = rc->arrive_ns;
			late = cpu;
		}
	}
	return late;
}

/*
 * A CPU to blame for a timeout in @step: during the gather, see above; in
 * a step, the first actor (in CPU order, so for SERIAL the one holding the
 * turn) that has not finished it. Failure path only.
 */
static int fwact_rv_laggard(struct fwact_rv_ctl *ctl, int step)
{
	unsigned long token;
	unsigned int cpu;

	if (step == FWACT_RV_GATHER)
		return fwact_rv_laggard_gather(ctl);
	token = fwact_rv_token(ctl->gen, step);
	for_each_cpu(cpu, &ctl->cpus) {
		if (!fwact_rv_is_actor(ctl, cpu, ctl->steps[step].mode))
			continue;
		if (READ_ONCE(per_cpu(fwact_rv_cpus, cpu).progress) != token)
			return cpu;
	}
	return -1;
}

/*
 * The budget ran out while the run was in @step (or gathering): abort it
 * unless it has moved on meanwhile. Returns the state now.
 */
static int fwact_rv_time_out(struct fwact_rv_ctl *ctl, int step)
{
	if (atomic_cmpxchg(&ctl->state, step, FWACT_RV_ABORT) == step)
		fwact_rv_fail(ctl, -ETIMEDOUT, step, fwact_rv_laggard(ctl, step));
	return fwact_rv_state(ctl);
}

/* Move the run from @step to the next step: the only place it advances. */
static void fwact_rv_advance(struct fwact_rv_ctl *ctl, int step)
{
	atomic_set(&ctl->ack, 0);
	WRITE_ONCE(ctl->turn, 0);
	/* Fully ordered: the resets are seen before the new state. */
	atomic_cmpxchg(&ctl->state, step, step + 1);
}

/*
 * Called between spins: true once the deadline has passed. The clock is
 * read only every FWACT_RV_POLL_SPINS spins, and the lockup detectors are
 * touched at most once a millisecond.
 */
static bool fwact_rv_expired(struct fwact_rv_clock *clk)
{
	u64 now;

	cpu_relax();
	if (++clk->spins < FWACT_RV_POLL_SPINS)
		return false;
	clk->spins = 0;
	now = fwact_rv_now();
	if (now >= clk->touch) {
		touch_nmi_watchdog();
		clk->touch = now + FWACT_RV_TOUCH_NS;
	}
	return now >= clk->deadline;
}

/* Spin while the run is in @cur; returns the state it moved to. */
static int fwact_rv_wait_state(struct fwact_rv_ctl *ctl,
			       struct fwact_rv_clock *clk, int cur)
{
	int state;

	while ((state = fwact_rv_state(ctl)) == cur)
		if (fwact_rv_expired(clk))
			return fwact_rv_time_out(ctl, cur);
	return state;
}

/*
 * Spin until *@word reads @want (true) or the run leaves @step (false):
 * a SERIAL turn or a PER_CORE sibling's wait for its leader.
 */
static bool fwact_rv_wait_word(struct fwact_rv_ctl *ctl,
			       struct fwact_rv_clock *clk, int step,
			       const unsigned long *word, unsigned long want)
{
	for (;;) {
		/* Pairs with the release that passed the turn or the core. */
		if (smp_load_acquire(word) == want)
			return true;
		if (fwact_rv_state(ctl) != step)
			return false;
		if (fwact_rv_expired(clk)) {
			fwact_rv_time_out(ctl, step);
			return false;
		}
	}
}

/*
 * Call @step's action on this CPU. Returns true if it succeeded; on error
 * the run is aborted so that no later action starts anywhere.
 */
static bool fwact_rv_act(struct fwact_rv_ctl *ctl, struct fwact_rv_cpu *me,
			 unsigned int cpu, int step)
{
	struct fwact_call call = { .cpu = cpu, .step = step, .held = true };
	u64 start, took;
	int err;

	if (fwact_rv_state(ctl) != step)
		return false;
	me->acted |= BIT(step);
	start = fwact_rv_now();
	err = fwact_rv_errno(ctl->steps[step].act(ctl->priv, &call));
	took = fwact_rv_now() - start;
	me->action_ns = max(me->action_ns, took);
	/* The action's effects are visible before anyone sees it done. */
	smp_store_release(&me->progress, fwact_rv_token(ctl->gen, step));
	if (!err)
		return true;
	fwact_rv_fail(ctl, err, step, cpu);
	atomic_cmpxchg(&ctl->state, step, FWACT_RV_ABORT);
	return false;
}

/* This CPU's part of @step; the caller then waits for the step to end. */
static void fwact_rv_step_run(struct fwact_rv_ctl *ctl,
			      struct fwact_rv_cpu *me, unsigned int cpu,
			      struct fwact_rv_clock *clk, int step)
{
	unsigned long token = fwact_rv_token(ctl->gen, step);
	struct fwact_rv_cpu *lead;

	switch (ctl->steps[step].mode) {
	case FWACT_MODE_ONE:
		if (cpu == ctl->one_cpu && fwact_rv_act(ctl, me, cpu, step))
			fwact_rv_advance(ctl, step);
		break;
	case FWACT_MODE_ALL:
		if (fwact_rv_act(ctl, me, cpu, step) &&
		    atomic_inc_return(&ctl->ack) == ctl->nr_cpus)
			fwact_rv_advance(ctl, step);
		break;
	case FWACT_MODE_PER_CORE:
		if (me->leader != cpu) {
			lead = per_cpu_ptr(&fwact_rv_cpus, me->leader);
			fwact_rv_wait_word(ctl, clk, step, &lead->core_done,
					   token);
			break;
		}
		if (fwact_rv_act(ctl, me, cpu, step)) {
			/* The siblings run on only after the core's action. */
			smp_store_release(&me->core_done, token);
			if (atomic_inc_return(&ctl->ack) == ctl->nr_cores)
				fwact_rv_advance(ctl, step);
		} else {
			/* Release the siblings; the abort ends the step. */
			smp_store_release(&me->core_done, token);
		}
		break;
	case FWACT_MODE_SERIAL:
		if (!fwact_rv_wait_word(ctl, clk, step, &ctl->turn, me->index) ||
		    !fwact_rv_act(ctl, me, cpu, step))
			break;
		if (me->index == ctl->nr_cpus - 1)
			fwact_rv_advance(ctl, step);
		else	/* the next CPU acts only after this one's action */
			smp_store_release(&ctl->turn, me->index + 1);
		break;
	default:
		break;
	}
}

/*
 * Arrive at the rendezvous and wait for everybody. The budget runs from
 * the first arrival; the last CPU to arrive starts step 0 unless the budget
 * is already spent. Returns the state after the gather.
 */
static int fwact_rv_arrive(struct fwact_rv_ctl *ctl, struct fwact_rv_cpu *me,
			   unsigned int cpu, struct fwact_rv_clock *clk)
{
	u64 now = fwact_rv_now();
	s64 t0;

	me->arrive_ns = now;
	WRITE_ONCE(me->gen, ctl->gen);
	t0 = atomic64_cmpxchg(&ctl->t0, 0, now);
	clk->deadline = (t0 ? t0 : now) + ctl->budget_ns;
	clk->touch = now + FWACT_RV_TOUCH_NS;
	clk->spins = 0;

	if (atomic_inc_return(&ctl->arrived) == ctl->nr_cpus) {
		if (now < clk->deadline)
			fwact_rv_advance(ctl, FWACT_RV_GATHER);
		else if (atomic_cmpxchg(&ctl->state, FWACT_RV_GATHER,
					FWACT_RV_ABORT) == FWACT_RV_GATHER)
			fwact_rv_fail(ctl, -ETIMEDOUT, FWACT_RV_GATHER, cpu);
	}
	return fwact_rv_wait_state(ctl, clk, FWACT_RV_GATHER);
}

/*
 * What every held CPU runs, interrupts off: the calling CPU directly, the
 * others from the cross-call. A CPU whose cross-call arrives after the run
 * ended (it could not take interrupts in time) leaves at once.
 */
static void fwact_rv_cpu_run(struct fwact_rv_ctl *ctl, u32 gen)
{
	struct fwact_rv_cpu *me = this_cpu_ptr(&fwact_rv_cpus);
	unsigned int cpu = smp_processor_id();
	struct fwact_rv_clock clk;
	int state;

	if (READ_ONCE(ctl->gen) != gen ||
	    fwact_rv_state(ctl) != FWACT_RV_GATHER)
		return;

	state = fwact_rv_arrive(ctl, me, cpu, &clk);
	while (state >= 0 && state < ctl->nr_steps) {
		fwact_rv_step_run(ctl, me, cpu, &clk, state);
		state = fwact_rv_wait_state(ctl, &clk, state);
	}
	me->leave_ns = fwact_rv_now();
	/* The record is complete before the caller counts this CPU out. */
	smp_mb__before_atomic();
	atomic_inc(&ctl->left);
}

/* The cross-call handler; @info carries the run's generation. */
static void fwact_rv_ipi(void *info)
{
	fwact_rv_cpu_run(&fwact_rv_ctl, (u32)(unsigned long)info);
	/* Nothing of the run is touched after this CPU is counted out. */
	smp_mb__before_atomic();
	atomic_dec(&fwact_rv_inflight);
}

/* Set up the control structure and every CPU's roles for a held run. */
static void fwact_rv_ctl_setup(struct fwact_rv_ctl *ctl,
			       const struct fwact_rv_req *req)
{
	unsigned int cpu, index = 0;
	struct fwact_rv_cpu *rc;

	ctl->gen++;
	ctl->steps = req->steps;
	ctl->nr_steps = req->nr_steps;
	ctl->priv = req->priv;
	ctl->budget_ns = req->budget_ns;
	cpumask_copy(&ctl->cpus, cpu_online_mask);
	ctl->nr_cpus = cpumask_weight(&ctl->cpus);
	ctl->one_cpu = cpumask_first(&ctl->cpus);
	ctl->nr_cores = 0;
	for_each_cpu(cpu, &ctl->cpus) {
		rc = per_cpu_ptr(&fwact_rv_cpus, cpu);
		rc->index = index++;
		rc->leader = cpumask_first_and(topology_sibling_cpumask(cpu),
					       &ctl->cpus);
		if (rc->leader >= nr_cpu_ids)
			rc->leader = cpu;
		ctl->nr_cores += rc->leader == cpu;
		rc->acted = 0;
		rc->arrive_ns = 0;
		rc->leave_ns = 0;
		rc->action_ns = 0;
	}
	atomic_set(&ctl->arrived, 0);
	atomic_set(&ctl->ack, 0);
	ctl->turn = 0;
	atomic_set(&ctl->left, 0);
	atomic64_set(&ctl->t0, 0);
	atomic64_set(&ctl->fail, 0);
	atomic_set(&ctl->state, FWACT_RV_GATHER);
}

/* Send the cross-calls and take part from the calling CPU. */
static void fwact_rv_hold(struct fwact_rv_ctl *ctl)
{
	unsigned int self;

	preempt_disable();
	self = smp_processor_id();
	cpumask_copy(&ctl->others, &ctl->cpus);
	cpumask_clear_cpu(self, &ctl->others);
	if (!cpumask_empty(&ctl->others)) {
		atomic_set(&fwact_rv_inflight, cpumask_weight(&ctl->others));
		smp_call_function_many(&ctl->others, fwact_rv_ipi,
				       (void *)(unsigned long)ctl->gen, false);
	}
	local_irq_disable();
	fwact_rv_cpu_run(ctl, ctl->gen);
	local_irq_enable();
	preempt_enable();
}

/*
 * True once the CPUs that arrived have left; after a successful run, once
 * every cross-call has returned too, so that the next run does not find
 * one still on its way out.
 */
static bool fwact_rv_drained(struct fwact_rv_ctl *ctl)
{
	if (atomic_read_acquire(&ctl->left) < atomic_read(&ctl->arrived))
		return false;
	return atomic_read(&ctl->state) != ctl->nr_steps ||
	       !atomic_read(&fwact_rv_inflight);
}

/*
 * Wait for @done(@ctl) for at most @max_ns: spin for a while (CPUs leaving
 * a successful run are microseconds away), then sleep.
 */
static bool fwact_rv_wait_for(bool (*done)(struct fwact_rv_ctl *ctl),
			      struct fwact_rv_ctl *ctl, u64 max_ns)
{
	u64 limit = fwact_rv_now() + max_ns;
	unsigned int spins = 0;

	while (!done(ctl)) {
		if (fwact_rv_now() >= limit)
			return false;
		if (++spins < 1000)
			cpu_relax();
		else
			usleep_range(50, 100);
	}
	return true;
}

static bool fwact_rv_quiet(struct fwact_rv_ctl *ctl)
{
	return !atomic_read(&fwact_rv_inflight);
}

/* Fill @m from the per-CPU records and return the run's result. */
static int fwact_rv_collect(struct fwact_rv_ctl *ctl, struct fwact_measure *m)
{
	u64 first = U64_MAX, last_in = 0, last_out = 0, sum = 0, now;
	unsigned int cpu, held = 0;
	struct fwact_rv_cpu *rc;
	int err, step, fcpu;
	s64 fail;

	now = fwact_rv_now();
	for_each_cpu(cpu, &ctl->cpus) {
		u64 leave;

		rc = per_cpu_ptr(&fwact_rv_cpus, cpu);
		if (READ_ONCE(rc->gen) != ctl->gen)
			continue;
		leave = READ_ONCE(rc->leave_ns) ?: now;
		held++;
		first = min(first, rc->arrive_ns);
		last_in = max(last_in, rc->arrive_ns);
		last_out = max(last_out, leave);
		sum += leave - rc->arrive_ns;
		m->irqoff_max_ns = max(m->irqoff_max_ns, leave - rc->arrive_ns);
		m->action_ns = max(m->action_ns, READ_ONCE(rc->action_ns));
	}
	m->cpus = held;
	if (held) {
		m->blackout_ns = last_out - first;
		m->arrival_skew_ns = last_in - first;
		m->irqoff_mean_ns = div_u64(sum, held);
	}

	fail = atomic64_read(&ctl->fail);
	if (fail) {
		fwact_rv_fail_unpack(fail, &err, &step, &fcpu);
		m->failed_step = step;
		m->failed_cpu = fcpu;
		return err;
	}
	if (atomic_read(&ctl->state) != ctl->nr_steps)
		return -ETIMEDOUT;
	return 0;
}

static void fwact_rv_measure_reset(struct fwact_measure *m)
{
	m->cpus = 0;
	m->blackout_ns = 0;
	m->arrival_skew_ns = 0;
	m->irqoff_max_ns = 0;
	m->irqoff_mean_ns = 0;
	m->action_ns = 0;
	m->failed_step = -1;
	m->failed_cpu = -1;
}

static void fwact_rv_report(const struct fwact_rv_req *req, int ret,
			    const struct fwact_measure *m)
{
	const char *name;

	if (ret == -ETIMEDOUT && m->failed_step < 0)
		pr_warn("rendezvous: CPU %d did not arrive within %llu us\n",
			m->failed_cpu, div_u64(req->budget_ns, NSEC_PER_USEC));
	else if (ret == -ETIMEDOUT) {
		name = req->steps[m->failed_step].name;
		pr_warn("rendezvous: step %d (%s) did not finish on CPU %d within %llu us\n",
			m->failed_step, name ?: "?", m->failed_cpu,
			div_u64(req->budget_ns, NSEC_PER_USEC));
	}
}

static int fwact_rv_run_held(const struct fwact_rv_req *req,
			     struct fwact_measure *m)
{
	struct fwact_rv_ctl *ctl = &fwact_rv_ctl;
	int ret;

	mutex_lock(&fwact_rv_lock);
	if (!fwact_rv_wait_for(fwact_rv_quiet, ctl,
			       min_t(u64, req->budget_ns, FWACT_RV_GRACE_NS))) {
		mutex_unlock(&fwact_rv_lock);
		pr_warn_ratelimited("rendezvous: a CPU has not yet left the previous one\n");
		return -EBUSY;
	}
	cpus_read_lock();
	fwact_rv_ctl_setup(ctl, req);
	fwact_rv_hold(ctl);
	fwact_rv_wait_for(fwact_rv_drained, ctl, FWACT_RV_DRAIN_NS);
	cpus_read_unlock();
	ret = fwact_rv_collect(ctl, m);
	mutex_unlock(&fwact_rv_lock);

	fwact_rv_report(req, ret, m);
	return ret;
}

/* Run every step once, in order, in process context on this CPU. */
static int fwact_rv_run_free(const struct fwact_rv_req *req,
			     struct fwact_measure *m)
{
	struct fwact_call call = { .held = false };
	u64 start, took;
	unsigned int i;
	int err;

	for (i = 0; i < req->nr_steps; i++) {
		call.cpu = raw_smp_processor_id();
		call.step = i;
		start = fwact_rv_now();
		err = fwact_rv_errno(req->steps[i].act(req->priv, &call));
		took = fwact_rv_now() - start;
		m->blackout_ns += took;
		m->action_ns = max(m->action_ns, took);
		if (err) {
			m->failed_step = i;
			m->failed_cpu = call.cpu;
			return err;
		}
	}
	return 0;
}

/* Check a request; returns the number of its steps of mode NONE. */
static int fwact_rv_req_check(const struct fwact_rv_req *req)
{
	unsigned int i, none = 0;

	if (!req->steps || !req->nr_steps || req->nr_steps > FWACT_MAX_STEPS)
		return -EINVAL;
	for (i = 0; i < req->nr_steps; i++) {
		if (!req->steps[i].act || req->steps[i].mode >= FWACT_MODE_NR)
			return -EINVAL;
		none += req->steps[i].mode == FWACT_MODE_NONE;
	}
	return none;
}

/**
 * fwact_rv_run() - run an activation program
 * @req: the program and how to run it
 * @m: filled with the run's measurements (all but the firmware times)
 *
 * With @req->held, every online CPU is held with interrupts off from the
 * first arrival to the last release, each step runs on the CPUs its mode
 * names, and a barrier separates the steps. A program whose steps are all
 * of mode %FWACT_MODE_NONE, or any program without @req->held, runs every
 * step once in process context on the calling CPU. Must be called in
 * process context without CPU hotplug locks held.
 *
 * Return: 0; an action's negative errno (the first one, later steps not
 * run anywhere); -ETIMEDOUT if the CPUs did not all arrive or a step did
 * not finish within the budget; -EBUSY if a CPU of the previous run has
 * not yet left it; -EINVAL for a malformed program (a held program mixing
 * mode NONE with other modes, no steps, too many, no action).
 */
int fwact_rv_run(const struct fwact_rv_req *req, struct fwact_measure *m)
{
	int none, ret;

	if (!req || !m)
		return -EINVAL;
	fwact_rv_measure_reset(m);
	none = fwact_rv_req_check(req);
	if (none < 0)
		return none;
	if (req->held && none && none != req->nr_steps)
		return -EINVAL;
	if (req->held && !none && !req->budget_ns)
		return -EINVAL;

	trace_fwact_rv_start(req->nr_steps, req->held && !none, req->budget_ns);
	if (req->held && !none)
		ret = fwact_rv_run_held(req, m);
	else
		ret = fwact_rv_run_free(req, m);
	trace_fwact_rv_end(ret, m);
	return ret;
}

#ifdef CONFIG_FWACT_TEST_HOOKS
/**
 * fwact_test_hold() - hold the CPUs for a program, without a component
 * @steps: the program
 * @nr_steps: its length
 * @priv: passed to every action
 * @budget_ns: longest the CPUs may be held
 * @m: filled with the run's measurements
 *
 * Test builds only: runs @steps in the rendezvous engine exactly as an
 * activation does, but without the activation's path around it (no backend
 * ops, state changes, uevents, log lines or journal record), so that a
 * benchmark can tell the cost of the engine from the cost of the path.
 * Process context; serialised with activations by the engine.
 *
 * Return: as fwact_rv_run() for a held run.
 */
int fwact_test_hold(const struct fwact_step *steps, unsigned int nr_steps,
		    void *priv, u64 budget_ns, struct fwact_measure *m)
{
	const struct fwact_rv_req req = {
		.steps = steps,
		.nr_steps = nr_steps,
		.priv = priv,
		.held = true,
		.budget_ns = budget_ns,
	};

	return fwact_rv_run(&req, m);
}
EXPORT_SYMBOL_NS_GPL(fwact_test_hold, FWACT_TEST);
#endif

/* debugfs "rendezvous": the last held run, one line per CPU. */
static int fwact_rv_show(struct seq_file *s, void *unused)
{
	struct fwact_rv_ctl *ctl = &fwact_rv_ctl;
	struct fwact_rv_cpu *rc;
	unsigned int cpu;
	u64 irqoff;

	mutex_lock(&fwact_rv_lock);
	seq_puts(s, "# cpu leader arrive_ns leave_ns irqoff_ns acted_steps_mask\n");
	for_each_cpu(cpu, &ctl->cpus) {
		rc = per_cpu_ptr(&fwact_rv_cpus, cpu);
		if (READ_ONCE(rc->gen) != ctl->gen) {
			seq_printf(s, "%u %u 0 0 0 0x0\n", cpu, rc->leader);
			continue;
		}
		irqoff = rc->leave_ns ? rc->leave_ns - rc->arrive_ns : 0;
		seq_printf(s, "%u %u %llu %llu %llu 0x%x\n", cpu, rc->leader,
			   rc->arrive_ns, rc->leave_ns, irqoff, rc->acted);
	}
	mutex_unlock(&fwact_rv_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fwact_rv);

/**
 * fwact_rv_init() - set up the rendezvous engine
 *
 * Creates /sys/kernel/debug/fwact/ if nobody has yet (the rest of the core
 * may add its files there; fwact_rv_exit() removes the directory if it
 * created it) and the "rendezvous" file in it.
 *
 * Return: 0 always; the debugfs file is optional.
 */
int fwact_rv_init(void)
{
	fwact_rv_dir = debugfs_lookup("fwact", NULL);
	if (!fwact_rv_dir) {
		fwact_rv_dir = debugfs_create_dir("fwact", NULL);
		fwact_rv_dir_owned = !IS_ERR(fwact_rv_dir);
	}
	debugfs_create_file("rendezvous", 0400, fwact_rv_dir, NULL,
			    &fwact_rv_fops);
	return 0;
}

/**
 * fwact_rv_exit() - tear down the rendezvous engine
 *
 * Waits until no CPU is still inside a cross-call of an earlier run (one
 * that arrived too late runs the handler whenever it can take interrupts),
 * so that the module text it executes stays until it has returned.
 */
void fwact_rv_exit(void)
{
	unsigned int waited = 0;

	while (atomic_read(&fwact_rv_inflight)) {
		if (++waited % 500 == 0)
			pr_warn("rendezvous: still waiting for %d CPUs to leave\n",
				atomic_read(&fwact_rv_inflight));
		msleep(20);
	}
	/* The handlers end with interrupts off: wait for them to return. */
	synchronize_rcu();

	if (IS_ERR_OR_NULL(fwact_rv_dir))
		return;
	debugfs_lookup_and_remove("rendezvous", fwact_rv_dir);
	if (fwact_rv_dir_owned)
		debugfs_remove(fwact_rv_dir);
	else
		dput(fwact_rv_dir);
	fwact_rv_dir = NULL;
}
