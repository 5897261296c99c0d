// SPDX-License-Identifier: GPL-2.0
/*
 * The fwact rendezvous engine: runs an activation program (a list of steps,
 * each with a mode saying which CPUs act) with every online CPU held with
 * interrupts off, and measures what holding them cost.
 *
 * The CPUs are reached in one of two contexts, a property of the component:
 * "stopper" (the default) wakes a per-CPU kernel thread of the highest
 * real-time priority on every CPU, so that a CPU is taken only at a point
 * where it could have been scheduled out, as stop_machine() guarantees;
 * "interrupt" sends one asynchronous cross-call to every CPU and takes it
 * wherever it has interrupts on. In both, a CPU that does not arrive within
 * the budget makes the run fail with nothing done, the steps are sequenced
 * by one shared state word that the last CPU to finish a step advances, and
 * the budget can only stop a run between steps: an action that overruns is
 * waited for, and no CPU leaves while any action runs. When fwact_rv_run()
 * returns, no CPU is inside the run or can still enter it. Documentation:
 * Documentation/firmware/fwact-rendezvous.rst.
 */
#define pr_fmt(fmt) "fwact: " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/fwact_test.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/nmi.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/smpboot.h>
#include <linux/swait.h>
#include <linux/timekeeping.h>
#include <linux/topology.h>
#include <linux/wait.h>
#include <uapi/linux/sched/types.h>

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

const char * const fwact_context_names[FWACT_CONTEXT_NR] = {
	[FWACT_CONTEXT_STOPPER]	= "stopper",
	[FWACT_CONTEXT_IRQ]	= "interrupt",
};

/*
 * Values of the shared state word besides the step numbers 0..nr_steps-1:
 * the CPUs are gathering (FWACT_RV_GATHER, fwact-internal.h), they are all
 * there and turning interrupts off (stopper context), or the run was
 * aborted. nr_steps itself means every step is done and the CPUs may
 * leave.
 */
#define FWACT_RV_ABORT		(-2)
#define FWACT_RV_SEAL		(-3)

/* Spins between two clock reads in a wait loop. */
#define FWACT_RV_POLL_SPINS	32
/* How often a waiting CPU keeps the lockup detectors and RCU quiet. */
#define FWACT_RV_TOUCH_NS	NSEC_PER_MSEC
/* How long the caller spins for the CPUs to leave before it sleeps. */
#define FWACT_RV_SETTLE_SPIN_NS	(50 * NSEC_PER_USEC)
/* How often the caller warns about a CPU that has not left. */
#define FWACT_RV_WARN_SECS	10
/* A new run in interrupt context waits this long for old cross-calls. */
#define FWACT_RV_GRACE_NS	NSEC_PER_SEC

/**
 * struct fwact_rv_ctl - the one shared control structure of a run
 * @state: %FWACT_RV_GATHER, %FWACT_RV_SEAL, the step being run, nr_steps
 *	when done, or %FWACT_RV_ABORT. Every CPU spins reading it; it is written only at a
 *	transition, so it has a cache line to itself.
 * @arrived: CPUs that arrived
 * @ack: actors that finished the current step (ALL and PER_CORE), or
 *	CPUs that turned interrupts off (SEAL)
 * @turn: serial index of the CPU whose turn it is (SERIAL)
 * @running: actions in progress, on any CPU
 * @left: CPUs that left the window
 * @t0: first arrival, fwact_rv_now(): the start of the measurements
 * @deadline: end of the budget, in sched_clock() time, set by the first
 *	arrival
 * @fail: first failure, see fwact_rv_pack()
 * @overrun: first step that ran past the budget, see fwact_rv_pack()
 * @last_step: the step the run was in when it last advanced
 * @gen: number of this run, never 0; the CPUs' tickets carry it
 * @stopper: held in stopper context (RCU quiescent states may be reported)
 * @steps: the program
 * @nr_steps: its length
 * @priv: passed to every action
 * @budget_ns: longest the window may last before it is stopped
 * @nr_cpus: CPUs to hold
 * @nr_cores: cores among them (PER_CORE acks)
 * @one_cpu: the CPU that acts in ONE steps
 * @cpus: the CPUs to hold
 * @others: @cpus without the calling CPU (interrupt context)
 *
 * Everything from @gen on is written by the caller before any CPU is sent
 * its ticket and only read inside the window.
 */
struct fwact_rv_ctl {
	atomic_t state ____cacheline_aligned;

	atomic_t arrived ____cacheline_aligned;
	atomic_t ack;
	unsigned long turn;
	atomic_t running;
	atomic_t left;
	atomic64_t t0;
	atomic64_t deadline;
	atomic64_t fail;
	atomic64_t overrun;
	int last_step;

	u32 gen ____cacheline_aligned;
	bool stopper;
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
 * @ticket: the generation of the run this CPU is asked to join, 0 if none.
 *	The CPU claims it with an exchange to 0; the caller revokes it the
 *	same way once the run has ended, so exactly one of them gets it.
 * @index: position in ascending CPU order: its SERIAL turn
 * @leader: first online thread of its core: the PER_CORE actor
 * @core_done: token of the last step this CPU finished (or skipped) as a
 *	core leader, or its leaving token; its siblings spin on it
 * @progress: token of the last step this CPU finished acting in
 * @gen: run this CPU last arrived in
 * @acted: bit n set if it called step n's action in run @gen
 * @arrive_ns: when it entered the window
 * @irqoff_ns: when it turned interrupts off for it
 * @leave_ns: when it left the window, 0 if it has not
 * @action_ns: its longest action
 *
 * Roles are computed before the tickets are sent so that nothing inside
 * the window walks the topology.
 */
struct fwact_rv_cpu {
	atomic_t ticket;
	unsigned int index;
	unsigned int leader;
	unsigned long core_done;
	unsigned long progress;
	u32 gen;
	u32 acted;
	u64 arrive_ns;
	u64 irqoff_ns;
	u64 leave_ns;
	u64 action_ns;
};

/**
 * struct fwact_rv_clock - a waiting CPU's view of the deadline
 * @deadline: end of the budget, sched_clock() time
 * @touch: when to touch the lockup detectors next
 * @spins: spins since the last clock read
 * @stopper: report RCU quiescent states while waiting
 */
struct fwact_rv_clock {
	u64 deadline;
	u64 touch;
	unsigned int spins;
	bool stopper;
};

static struct fwact_rv_ctl fwact_rv_ctl;
static DEFINE_PER_CPU_SHARED_ALIGNED(struct fwact_rv_cpu, fwact_rv_cpus);
static DEFINE_PER_CPU(struct task_struct *, fwact_rv_task);
/* Serializes runs and the debugfs reader. */
static DEFINE_MUTEX(fwact_rv_lock);
/*
 * The caller sleeps here until the CPUs of its run have left. A simple
 * wait queue (raw spinlock): the last CPU out may wake it from the
 * cross-call's hardirq, where a wait_queue_head's spinlock_t may not be
 * taken (it sleeps on PREEMPT_RT; lockdep says "Invalid wait context").
 */
static DECLARE_SWAIT_QUEUE_HEAD(fwact_rv_wq);
/* Cross-calls sent whose handler has not yet returned. */
static atomic_t fwact_rv_inflight = ATOMIC_INIT(0);
static bool fwact_rv_threads_ok;

/*
 * Timestamps for the measurements: NMI-safe, never blocks on the
 * timekeeping seqlock, and on the CLOCK_MONOTONIC time base, so readings
 * can be compared across CPUs and with user space.
 */
static inline u64 fwact_rv_now(void)
{
	return ktime_get_mono_fast_ns();
}

/*
 * The deadline clock. While every CPU has interrupts off nobody updates the
 * timekeeper, and ktime_get_mono_fast_ns() wraps once its clocksource does
 * (4.7 s for the 24-bit ACPI PM timer). sched_clock() is the TSC on x86 and
 * the architected counter on arm64: neither needs a tick to advance.
 */
static inline u64 fwact_rv_clock(void)
{
	return sched_clock();
}

static inline unsigned long fwact_rv_token(u32 gen, unsigned int step)
{
	return (unsigned long)gen * (FWACT_MAX_STEPS + 1) + step + 1;
}

/* A token above every step's of run @gen: the CPU left it. */
static inline unsigned long fwact_rv_token_left(u32 gen)
{
	return fwact_rv_token(gen, FWACT_MAX_STEPS);
}

/* Record the run's first failure; later ones are ignored. */
static void fwact_rv_fail(struct fwact_rv_ctl *ctl, int err, int step,
			  int cpu)
{
	atomic64_cmpxchg(&ctl->fail, 0, fwact_rv_pack(err, step, cpu));
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
 * A CPU to blame for a step running late: the first actor (in CPU order,
 * so for SERIAL the one holding the turn) that has not finished it.
 */
static int fwact_rv_laggard(struct fwact_rv_ctl *ctl, int step)
{
	unsigned long token;
	unsigned int cpu;

	if (step < 0 || step >= ctl->nr_steps)
		return -1;
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
 * The budget ran out before any action started (in @from, the gather or
 * the seal): abort, unless the run has moved on meanwhile.
 */
static void fwact_rv_gather_time_out(struct fwact_rv_ctl *ctl, int from)
{
	if (atomic_cmpxchg(&ctl->state, from, FWACT_RV_ABORT) == from)
		fwact_rv_fail(ctl, -ETIMEDOUT, FWACT_RV_GATHER,
			      fwact_rv_laggard_gather(ctl));
}

/*
 * The budget ran out while @step runs: note it once and keep waiting. An
 * action is never abandoned half-done; the run stops before the next step.
 */
static void fwact_rv_overrun(struct fwact_rv_ctl *ctl, int step)
{
	if (atomic64_read(&ctl->overrun))
		return;
	atomic64_cmpxchg(&ctl->overrun, 0,
			 fwact_rv_pack(-ETIMEDOUT, step,
				       fwact_rv_laggard(ctl, step)));
}

/*
 * Move the run on from @from (a step, the gather or the seal): the only
 * place it advances. Called by the CPU that completed it, when every actor
 * of the step has returned; if an action of the step failed, or the budget
 * is spent by then, the run stops here, before the next step starts
 * anywhere.
 */
static void fwact_rv_advance(struct fwact_rv_ctl *ctl, int from)
{
	int next = from < 0 ? 0 : from + 1;

	atomic_set(&ctl->ack, 0);
	WRITE_ONCE(ctl->turn, 0);
	WRITE_ONCE(ctl->last_step, next);
	/* Every actor's failure is recorded before it was counted. */
	if (from >= 0 && atomic64_read(&ctl->fail)) {
		atomic_cmpxchg(&ctl->state, from, FWACT_RV_ABORT);
		return;
	}
	if (from >= 0 && next < ctl->nr_steps &&
	    fwact_rv_clock() >= (u64)atomic64_read(&ctl->deadline)) {
		if (!atomic64_read(&ctl->overrun))
			atomic64_cmpxchg(&ctl->overrun, 0,
					 fwact_rv_pack(-ETIMEDOUT, from, -1));
		fwact_rv_fail(ctl, -ETIMEDOUT, next, -1);
		atomic_cmpxchg(&ctl->state, from, FWACT_RV_ABORT);
		return;
	}
	/* Fully ordered: the resets are seen before the new state. */
	atomic_cmpxchg(&ctl->state, from, next);
}

/*
 * Called between spins: true once the deadline has passed. The clock is
 * read only every FWACT_RV_POLL_SPINS spins; at most once a millisecond
 * the lockup detectors are touched and, in stopper context, a quiescent
 * state is reported to RCU (as multi_cpu_stop() does: the CPU was taken at
 * a schedulable point, so it is in no RCU read-side critical section).
 */
static bool fwact_rv_expired(struct fwact_rv_clock *clk)
{
	u64 now;

	cpu_relax();
	if (++clk->spins < FWACT_RV_POLL_SPINS)
		return false;
	clk->spins = 0;
	now = fwact_rv_clock();
	if (now >= clk->touch) {
		touch_nmi_watchdog();
		if (clk->stopper)
			rcu_momentary_eqs();
		clk->touch = now + FWACT_RV_TOUCH_NS;
	}
	return now >= clk->deadline;
}

/* Spin while the run is in @from, before any action; returns the new state. */
static int fwact_rv_wait_gather(struct fwact_rv_ctl *ctl,
				struct fwact_rv_clock *clk, int from)
{
	int state;

	while ((state = fwact_rv_state(ctl)) == from)
		if (fwact_rv_expired(clk))
			fwact_rv_gather_time_out(ctl, from);
	return state;
}

/* Spin while the run is in @step; returns the state it moved to. */
static int fwact_rv_wait_step(struct fwact_rv_ctl *ctl,
			      struct fwact_rv_clock *clk, int step)
{
	int state;

	while ((state = fwact_rv_state(ctl)) == step)
		if (fwact_rv_expired(clk))
			fwact_rv_overrun(ctl, step);
	return state;
}

/*
 * Call @step's action on this CPU. Returns false if it did not start (the
 * run was aborted), true once it ran, whatever its result. An error is
 * recorded; the run then stops when the step ends (fwact_rv_advance()),
 * since the actors of one step may depend on each other (a core's parked
 * siblings wait for its primary): once a step starts, every actor of it
 * runs. Only a serial step aborts at once, so that no later turn starts.
 * @running counts the action before the state is checked, so that a CPU
 * that sees the abort and then @running at 0 knows no action can still
 * start.
 */
static bool fwact_rv_act(struct fwact_rv_ctl *ctl, struct fwact_rv_cpu *me,
			 unsigned int cpu, int step)
{
	struct fwact_call call = { .cpu = cpu, .step = step, .held = true };
	u64 start, took;
	int err;

	atomic_inc(&ctl->running);
	/* Counted before the state is read; pairs with the abort's cmpxchg. */
	smp_mb__after_atomic();
	if (fwact_rv_state(ctl) != step) {
		atomic_dec(&ctl->running);
		return false;
	}
	me->acted |= BIT(step);
	start = fwact_rv_now();
	err = fwact_rv_errno(ctl->steps[step].act(ctl->priv, &call));
	took = fwact_rv_now() - start;
	me->action_ns = max(me->action_ns, took);
	/* The action's effects are visible before anyone sees it done. */
	smp_store_release(&me->progress, fwact_rv_token(ctl->gen, step));
	if (err) {
		fwact_rv_fail(ctl, err, step, cpu);
		if (ctl->steps[step].mode == FWACT_MODE_SERIAL)
			atomic_cmpxchg(&ctl->state, step, FWACT_RV_ABORT);
	}
	/* The action and its records are done before it is counted out. */
	smp_mb__before_atomic();
	atomic_dec(&ctl->running);
	return true;
}

/* A SERIAL CPU waits for its turn; false if the step was aborted. */
static bool fwact_rv_wait_turn(struct fwact_rv_ctl *ctl,
			       struct fwact_rv_clock *clk, int step,
			       unsigned int index)
{
	for (;;) {
		/* Pairs with the release that passed the turn. */
		if (smp_load_acquire(&ctl->turn) == index)
			return true;
		if (fwact_rv_state(ctl) != step)
			return false;
		if (fwact_rv_expired(clk))
			fwact_rv_overrun(ctl, step);
	}
}

/*
 * A PER_CORE sibling waits for its own core's leader to have finished or
 * skipped @step, whatever the state says: it never runs on while its core
 * is being changed.
 */
static void fwact_rv_wait_core(struct fwact_rv_ctl *ctl,
			       struct fwact_rv_clock *clk,
			       struct fwact_rv_cpu *lead, int step)
{
	unsigned long token = fwact_rv_token(ctl->gen, step);

	/* Pairs with the release of the leader's core_done. */
	while (smp_load_acquire(&lead->core_done) < token)
		if (fwact_rv_expired(clk))
			fwact_rv_overrun(ctl, step);
}

#ifdef CONFIG_FWACT_TEST_HOOKS
/*
 * Test builds only: debugfs "rendezvous_late_cpu" and "rendezvous_late_us"
 * (0, the default, for off) make one CPU start every step that long after
 * the others (it spins in
 * the window, watchdogs kept quiet, before it claims its action), so that
 * a selftest can order an action after another CPU's failure.
 */
static u32 fwact_rv_late_cpu;
static u32 fwact_rv_late_us;	/* 0: off; at most one second */

static void fwact_rv_late(struct fwact_rv_clock *clk, unsigned int cpu)
{
	u32 us = min_t(u32, READ_ONCE(fwact_rv_late_us), USEC_PER_SEC);
	u64 end;

	if (!us || READ_ONCE(fwact_rv_late_cpu) != cpu)
		return;
	end = fwact_rv_clock() + (u64)us * NSEC_PER_USEC;
	while (fwact_rv_clock() < end)
		fwact_rv_expired(clk);
}

static void fwact_rv_late_debugfs(struct dentry *dir)
{
	debugfs_create_u32("rendezvous_late_cpu", 0600, dir,
			   &fwact_rv_late_cpu);
	debugfs_create_u32("rendezvous_late_us", 0600, dir, &fwact_rv_late_us);
}
#else
static inline void fwact_rv_late(struct fwact_rv_clock *clk, unsigned int cpu)
{
}

static inline void fwact_rv_late_debugfs(struct dentry *dir)
{
}
#endif

/* This CPU's part of @step; the caller then waits for the step to end. */
static void fwact_rv_step_run(struct fwact_rv_ctl *ctl,
			      struct fwact_rv_cpu *me, unsigned int cpu,
			      struct fwact_rv_clock *clk, int step)
{
	bool ok;

	fwact_rv_late(clk, cpu);
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
			fwact_rv_wait_core(ctl, clk,
					   per_cpu_ptr(&fwact_rv_cpus, me->leader),
					   step);
			break;
		}
		ok = fwact_rv_act(ctl, me, cpu, step);
		/* The siblings run on only after the core's action. */
		smp_store_release(&me->core_done,
				  fwact_rv_token(ctl->gen, step));
		if (ok && atomic_inc_return(&ctl->ack) == ctl->nr_cores)
			fwact_rv_advance(ctl, step);
		break;
	case FWACT_MODE_SERIAL:
		/* A failed turn aborted the step: nobody takes the next. */
		if (!fwact_rv_wait_turn(ctl, clk, step, me->index) ||
		    !fwact_rv_act(ctl, me, cpu, step) ||
		    fwact_rv_state(ctl) != step)
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
 * the first arrival; the last CPU to arrive ends the gather unless the
 * budget is already spent: in interrupt context it starts step 0; in
 * stopper context, where the CPUs gather with interrupts on (a CPU may be
 * waiting for one of them to answer its cross-call, as stop_machine()
 * allows for), it starts the seal. Returns the state after the gather.
 */
static int fwact_rv_arrive(struct fwact_rv_ctl *ctl, struct fwact_rv_cpu *me,
			   unsigned int cpu, struct fwact_rv_clock *clk)
{
	u64 now = fwact_rv_clock();
	s64 deadline;

	me->arrive_ns = fwact_rv_now();
	me->irqoff_ns = me->arrive_ns;
	WRITE_ONCE(me->gen, ctl->gen);
	atomic64_cmpxchg(&ctl->t0, 0, me->arrive_ns);
	deadline = atomic64_cmpxchg(&ctl->deadline, 0, now + ctl->budget_ns);
	clk->deadline = deadline ? deadline : now + ctl->budget_ns;
	clk->touch = now + FWACT_RV_TOUCH_NS;
	clk->spins = 0;
	clk->stopper = ctl->stopper;

	if (atomic_inc_return(&ctl->arrived) == ctl->nr_cpus) {
		if (now >= clk->deadline) {
			if (atomic_cmpxchg(&ctl->state, FWACT_RV_GATHER,
					   FWACT_RV_ABORT) == FWACT_RV_GATHER)
				fwact_rv_fail(ctl, -ETIMEDOUT, FWACT_RV_GATHER,
					      cpu);
		} else if (ctl->stopper) {
			atomic_cmpxchg(&ctl->state, FWACT_RV_GATHER,
				       FWACT_RV_SEAL);
		} else {
			fwact_rv_advance(ctl, FWACT_RV_GATHER);
		}
	}
	return fwact_rv_wait_gather(ctl, clk, FWACT_RV_GATHER);
}

/*
 * Stopper context, everybody is here: turn interrupts off and wait until
 * every CPU has, so that no CPU runs anything but the window once the
 * first action starts. Returns the state after the seal.
 */
static int fwact_rv_seal(struct fwact_rv_ctl *ctl, struct fwact_rv_cpu *me,
			 struct fwact_rv_clock *clk)
{
	local_irq_disable();
	me->irqoff_ns = fwact_rv_now();
	if (atomic_inc_return(&ctl->ack) == ctl->nr_cpus)
		fwact_rv_advance(ctl, FWACT_RV_SEAL);
	return fwact_rv_wait_gather(ctl, clk, FWACT_RV_SEAL);
}

/*
 * Leave the window: first wait until no action runs anywhere (a failed
 * serial turn aborts its step while its actor is still inside), so that no
 * CPU returns to the kernel while the firmware is being changed.
 */
static void fwact_rv_leave(struct fwact_rv_ctl *ctl, struct fwact_rv_cpu *me,
			   struct fwact_rv_clock *clk)
{
	while (atomic_read_acquire(&ctl->running))
		if (fwact_rv_expired(clk))
			fwact_rv_overrun(ctl, READ_ONCE(ctl->last_step));
	/* Releases this CPU's siblings; pairs with fwact_rv_wait_core(). */
	smp_store_release(&me->core_done, fwact_rv_token_left(ctl->gen));
	me->leave_ns = fwact_rv_now();
	/*
	 * The record is complete before the caller counts this CPU out. The
	 * caller usually sees the run end while it still spins; wake it only
	 * if it sleeps (the barrier in swq_has_sleeper() pairs with the one in
	 * its prepare_to_swait_exclusive()), not on the way out of every run.
	 */
	smp_mb__before_atomic();
	if (atomic_inc_return(&ctl->left) >= atomic_read(&ctl->arrived) &&
	    swq_has_sleeper(&fwact_rv_wq))
		swake_up_one(&fwact_rv_wq);
}

/*
 * What every held CPU runs, from its stopper thread (interrupts on: they
 * go off at the seal and back on when it leaves) or its cross-call
 * (interrupts off throughout). It joins only if it can claim its ticket:
 * a CPU that comes after the run ended (its ticket revoked) touches
 * nothing of the run.
 */
static void fwact_rv_cpu_run(struct fwact_rv_ctl *ctl)
{
	struct fwact_rv_cpu *me = this_cpu_ptr(&fwact_rv_cpus);
	unsigned int cpu = smp_processor_id();
	struct fwact_rv_clock clk;
	bool sealed = false;
	int state;

	/* Fully ordered: the run's setup is seen once the ticket is ours. */
	if (!atomic_xchg(&me->ticket, 0))
		return;

	state = fwact_rv_arrive(ctl, me, cpu, &clk);
	if (state == FWACT_RV_SEAL) {
		sealed = true;
		state = fwact_rv_seal(ctl, me, &clk);
	}
	while (state >= 0 && state < ctl->nr_steps) {
		fwact_rv_step_run(ctl, me, cpu, &clk, state);
		state = fwact_rv_wait_step(ctl, &clk, state);
	}
	fwact_rv_leave(ctl, me, &clk);
	if (sealed)
		local_irq_enable();
}

/* The cross-call handler (interrupt context). */
static void fwact_rv_ipi(void *unused)
{
	fwact_rv_cpu_run(&fwact_rv_ctl);
	/* Nothing of the engine is touched after this CPU is counted out. */
	smp_mb__before_atomic();
	atomic_dec(&fwact_rv_inflight);
}

/* Stopper context: the per-CPU thread runs when its CPU has a ticket. */
static int fwact_rv_thread_should_run(unsigned int cpu)
{
	return atomic_read(&per_cpu(fwact_rv_cpus, cpu).ticket) != 0;
}

static void fwact_rv_thread_fn(unsigned int cpu)
{
	fwact_rv_cpu_run(&fwact_rv_ctl);
}

/*
 * The highest real-time priority, as the kernel's own per-CPU threads that
 * must preempt everything (the watchdog) have: the thread runs as soon as
 * the task on its CPU reaches a point where it could be scheduled out.
 */
static void fwact_rv_thread_setup(unsigned int cpu)
{
	struct sched_attr attr = {
		.sched_policy = SCHED_FIFO,
		.sched_priority = MAX_RT_PRIO - 1,
	};

	WARN_ON_ONCE(sched_setattr_nocheck(current, &attr));
}

static struct smp_hotplug_thread fwact_rv_threads = {
	.store			= &fwact_rv_task,
	.thread_should_run	= fwact_rv_thread_should_run,
	.thread_fn		= fwact_rv_thread_fn,
	.thread_comm		= "fwact/%u",
	.setup			= fwact_rv_thread_setup,
};

/* Set up the control structure and every CPU's roles for a held run. */
static void fwact_rv_ctl_setup(struct fwact_rv_ctl *ctl,
			       const struct fwact_rv_req *req, u64 budget_ns)
{
	unsigned int cpu, index = 0;
	struct fwact_rv_cpu *rc;

	if (!++ctl->gen)
		ctl->gen++;
	ctl->stopper = req->context == FWACT_CONTEXT_STOPPER;
	ctl->steps = req->steps;
	ctl->nr_steps = req->nr_steps;
	ctl->priv = req->priv;
	ctl->budget_ns = budget_ns;
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
		rc->irqoff_ns = 0;
		rc->leave_ns = 0;
		rc->action_ns = 0;
	}
	atomic_set(&ctl->arrived, 0);
	atomic_set(&ctl->ack, 0);
	ctl->turn = 0;
	atomic_set(&ctl->running, 0);
	atomic_set(&ctl->left, 0);
	atomic64_set(&ctl->t0, 0);
	atomic64_set(&ctl->deadline, 0);
	atomic64_set(&ctl->fail, 0);
	atomic64_set(&ctl->overrun, 0);
	ctl->last_step = FWACT_RV_GATHER;
	atomic_set(&ctl->state, FWACT_RV_GATHER);
	/* Everything above is seen by a CPU that claims its ticket. */
	for_each_cpu(cpu, &ctl->cpus)
		atomic_set_release(&per_cpu(fwact_rv_cpus, cpu).ticket,
				   ctl->gen);
}

/* Interrupt context: cross-call the others, take part from this CPU. */
static void fwact_rv_hold_irq(struct fwact_rv_ctl *ctl)
{
	unsigned int self;

	preempt_disable();
	self = smp_processor_id();
	cpumask_copy(&ctl->others, &ctl->cpus);
	cpumask_clear_cpu(self, &ctl->others);
	if (!cpumask_empty(&ctl->others)) {
		atomic_add(cpumask_weight(&ctl->others), &fwact_rv_inflight);
		smp_call_function_many(&ctl->others, fwact_rv_ipi, NULL, false);
	}
	local_irq_disable();
	fwact_rv_cpu_run(ctl);
	local_irq_enable();
	preempt_enable();
}

/*
 * Stopper context: wake every other CPU's thread and take part from this
 * one. The caller is itself at a schedulable point (process context, in
 * this file, holding only sleeping locks and no RCU read lock), so taking
 * its CPU here is what waking this CPU's thread would do, without the
 * wakeup and the two context switches.
 */
static void fwact_rv_hold_stopper(struct fwact_rv_ctl *ctl)
{
	unsigned int cpu, self;

	preempt_disable();
	self = smp_processor_id();
	for_each_cpu(cpu, &ctl->cpus)
		if (cpu != self)
			wake_up_process(per_cpu(fwact_rv_task, cpu));
	fwact_rv_cpu_run(ctl);
	preempt_enable();
}

/* The CPUs of the run that have not left it, for a warning. */
static void fwact_rv_warn_stuck(struct fwact_rv_ctl *ctl, unsigned int secs)
{
	struct fwact_rv_cpu *rc;
	unsigned int cpu;

	for_each_cpu(cpu, &ctl->cpus) {
		rc = per_cpu_ptr(&fwact_rv_cpus, cpu);
		if (READ_ONCE(rc->gen) == ctl->gen && !READ_ONCE(rc->leave_ns))
			pr_warn("rendezvous: CPU %u has not left after %u s; waiting for it\n",
				cpu, secs);
	}
}

static bool fwact_rv_all_left(struct fwact_rv_ctl *ctl, unsigned int claimed)
{
	return atomic_read_acquire(&ctl->left) >= claimed;
}

/*
 * After the hold. The caller took part, so the run has ended (done or
 * aborted): revoke the tickets nobody claimed, then wait for every CPU
 * that claimed one to leave, spinning for a moment (they are microseconds
 * behind) and then sleeping. A CPU slow to leave is named every
 * FWACT_RV_WARN_SECS and waited for, never abandoned. When this returns,
 * no CPU is inside the run and none can enter it.
 */
static void fwact_rv_settle(struct fwact_rv_ctl *ctl)
{
	unsigned int cpu, claimed = ctl->nr_cpus;
	unsigned long start;
	u64 spin_end;

	for_each_cpu(cpu, &ctl->cpus)
		if (atomic_xchg(&per_cpu(fwact_rv_cpus, cpu).ticket, 0))
			claimed--;
	spin_end = fwact_rv_now() + FWACT_RV_SETTLE_SPIN_NS;
	while (!fwact_rv_all_left(ctl, claimed) && fwact_rv_now() < spin_end)
		cpu_relax();
	start = jiffies;
	while (!swait_event_timeout_exclusive(fwact_rv_wq,
					      fwact_rv_all_left(ctl, claimed),
					      FWACT_RV_WARN_SECS * HZ))
		fwact_rv_warn_stuck(ctl, (jiffies - start) / HZ);
}

/*
 * Interrupt context: a CPU that could not take the last run's cross-call
 * in time still owns its call data; smp_call_function_many() would spin on
 * it with preemption off. Wait a while for it, sleeping.
 */
static bool fwact_rv_irq_quiet(u64 max_ns)
{
	u64 limit = fwact_rv_now() + max_ns;

	while (atomic_read(&fwact_rv_inflight)) {
		if (fwact_rv_now() >= limit)
			return false;
		usleep_range(50, 100);
	}
	return true;
}

/* Fill @m from the per-CPU records and return the run's result. */
static int fwact_rv_collect(struct fwact_rv_ctl *ctl, struct fwact_measure *m)
{
	u64 first = U64_MAX, last_in = 0, last_out = 0, sum = 0;
	unsigned int cpu, held = 0;
	struct fwact_rv_cpu *rc;
	int err, step, fcpu;
	s64 word;

	for_each_cpu(cpu, &ctl->cpus) {
		rc = per_cpu_ptr(&fwact_rv_cpus, cpu);
		if (READ_ONCE(rc->gen) != ctl->gen)
			continue;
		held++;
		first = min(first, rc->arrive_ns);
		last_in = max(last_in, rc->arrive_ns);
		last_out = max(last_out, rc->leave_ns);
		sum += rc->leave_ns - rc->irqoff_ns;
		m->irqoff_max_ns = max(m->irqoff_max_ns,
				       rc->leave_ns - rc->irqoff_ns);
		m->action_ns = max(m->action_ns, rc->action_ns);
	}
	m->cpus = held;
	if (held) {
		m->blackout_ns = last_out - first;
		m->arrival_skew_ns = last_in - first;
		m->irqoff_mean_ns = div_u64(sum, held);
	}

	word = atomic64_read(&ctl->overrun);
	if (word) {
		fwact_rv_unpack(word, &err, &step, &fcpu);
		m->overrun_step = step;
		m->overrun_cpu = fcpu;
	}
	word = atomic64_read(&ctl->fail);
	if (word) {
		fwact_rv_unpack(word, &err, &step, &fcpu);
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
	m->overrun_step = -1;
	m->overrun_cpu = -1;
}

static const char *fwact_rv_step_name(const struct fwact_rv_req *req,
				      int step)
{
	if (step < 0 || step >= req->nr_steps || !req->steps[step].name)
		return "?";
	return req->steps[step].name;
}

static void fwact_rv_report(const struct fwact_rv_req *req, u64 budget_ns,
			    int ret, const struct fwact_measure *m)
{
	u64 budget_us = div_u64(budget_ns, NSEC_PER_USEC);

	/* An overrun is the core's one warning line: it names the component. */
	if (ret == -ETIMEDOUT && m->failed_step < 0)
		pr_warn_ratelimited("rendezvous: CPU %d did not arrive within %llu us\n",
				    m->failed_cpu, budget_us);
	else if (ret == -ETIMEDOUT)
		pr_warn_ratelimited("rendezvous: budget spent, step %d (%s) not started\n",
				    m->failed_step, fwact_rv_step_name(req, m->failed_step));
}

/**
 * fwact_rv_budget_max_us() - the largest budget a run may have now
 *
 * The smaller of %FWACT_BUDGET_CEILING_US and half the running kernel's RCU
 * CPU stall timeout (read each time: it can be changed at run time), so
 * that a hold in interrupt context, where no quiescent state can be
 * reported, never makes RCU report a stall.
 *
 * Return: the limit in microseconds.
 */
u32 fwact_rv_budget_max_us(void)
{
	u64 rcu_us = jiffies_to_usecs(rcu_jiffies_till_stall_check());

	return min_t(u64, FWACT_BUDGET_CEILING_US, rcu_us / 2);
}

static int fwact_rv_run_held(const struct fwact_rv_req *req,
			     struct fwact_measure *m)
{
	struct fwact_rv_ctl *ctl = &fwact_rv_ctl;
	bool stopper = req->context == FWACT_CONTEXT_STOPPER;
	u64 budget_ns;
	int ret;

	fwact_assert_cpus_held();
	budget_ns = min_t(u64, req->budget_ns,
			  (u64)fwact_rv_budget_max_us() * NSEC_PER_USEC);
	if (stopper && !fwact_rv_threads_ok)
		return -ENODEV;

	mutex_lock(&fwact_rv_lock);
	if (!stopper &&
	    !fwact_rv_irq_quiet(min_t(u64, budget_ns, FWACT_RV_GRACE_NS))) {
		mutex_unlock(&fwact_rv_lock);
		pr_warn_ratelimited("rendezvous: a CPU has not yet taken the last cross-call\n");
		return -EBUSY;
	}
	fwact_rv_ctl_setup(ctl, req, budget_ns);
	if (stopper)
		fwact_rv_hold_stopper(ctl);
	else
		fwact_rv_hold_irq(ctl);
	fwact_rv_settle(ctl);
	ret = fwact_rv_collect(ctl, m);
	mutex_unlock(&fwact_rv_lock);

	fwact_rv_report(req, budget_ns, ret, m);
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

	if (!req->steps || !req->nr_steps || req->nr_steps > FWACT_MAX_STEPS ||
	    req->context >= FWACT_CONTEXT_NR)
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
 * With @req->held, every online CPU is held with interrupts off from its
 * arrival to the common release, in the context @req->context names; each
 * step runs on the CPUs its mode names, and a barrier separates the steps.
 * The budget stops a run only before the first action (the gather) or
 * between two steps; an action running past it is waited for and reported
 * in @m->overrun_step. A program whose steps are all of mode
 * %FWACT_MODE_NONE, or any program without @req->held, runs every step
 * once in process context on the calling CPU.
 *
 * Context: process context, with cpus_read_lock() held by the caller (the
 * CPUs planned for are the CPUs held). When it returns, no CPU is inside
 * the run or can still enter it.
 *
 * Return: 0; an action's negative errno (the first one, later steps not
 * run anywhere); -ETIMEDOUT if the CPUs did not all arrive within the
 * budget or it was spent before a later step; -EBUSY if a CPU has not yet
 * taken the last run's cross-call (interrupt context); -ENODEV if the
 * stopper threads could not be created; -EINVAL for a malformed program.
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
 * @context: how the CPUs are held
 * @budget_ns: longest the CPUs may be held
 * @m: filled with the run's measurements
 *
 * Test builds only: runs @steps in the rendezvous engine exactly as an
 * activation does, but without the activation's path around it (no backend
 * ops, state changes, uevents, log lines or journal record), so that a
 * benchmark can tell the cost of the engine from the cost of the path.
 * Process context; takes cpus_read_lock() itself; serialised with
 * activations by the engine.
 *
 * Return: as fwact_rv_run() for a held run.
 */
int fwact_test_hold(const struct fwact_step *steps, unsigned int nr_steps,
		    void *priv, enum fwact_context context, u64 budget_ns,
		    struct fwact_measure *m)
{
	const struct fwact_rv_req req = {
		.steps = steps,
		.nr_steps = nr_steps,
		.priv = priv,
		.held = true,
		.context = context,
		.budget_ns = budget_ns,
	};
	int ret;

	cpus_read_lock();
	ret = fwact_rv_run(&req, m);
	cpus_read_unlock();
	return ret;
}
EXPORT_SYMBOL_NS_GPL(fwact_test_hold, "FWACT_TEST");
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
		irqoff = rc->leave_ns ? rc->leave_ns - rc->irqoff_ns : 0;
		seq_printf(s, "%u %u %llu %llu %llu 0x%x\n", cpu, rc->leader,
			   rc->arrive_ns, rc->leave_ns, irqoff, rc->acted);
	}
	mutex_unlock(&fwact_rv_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fwact_rv);

/**
 * fwact_rv_init() - set up the rendezvous engine
 * @dir: the core's debugfs directory (may be an error pointer)
 *
 * Starts the per-CPU stopper threads and adds the "rendezvous" file to
 * @dir. Without the threads (their creation failed) only components held
 * in interrupt context can be activated; that is logged.
 *
 * Return: 0 always.
 */
int fwact_rv_init(struct dentry *dir)
{
	int ret;

	ret = smpboot_register_percpu_thread(&fwact_rv_threads);
	if (ret)
		pr_err("rendezvous: no stopper threads (%d): only interrupt context is available\n",
		       ret);
	fwact_rv_threads_ok = !ret;
	debugfs_create_file("rendezvous", 0400, dir, NULL, &fwact_rv_fops);
	fwact_rv_late_debugfs(dir);
	return 0;
}

/**
 * fwact_rv_exit() - tear down the rendezvous engine
 *
 * Stops the stopper threads and waits until no CPU is still inside a
 * cross-call of an earlier run (one that came too late runs the handler
 * whenever it can take interrupts), so that the module text it executes
 * stays until it has returned.
 */
void fwact_rv_exit(void)
{
	unsigned int waited = 0;

	if (fwact_rv_threads_ok)
		smpboot_unregister_percpu_thread(&fwact_rv_threads);
	while (atomic_read(&fwact_rv_inflight)) {
		if (++waited % 500 == 0)
			pr_warn("rendezvous: still waiting for %d CPUs to leave\n",
				atomic_read(&fwact_rv_inflight));
		msleep(20);
	}
	/* The handlers end with interrupts off: wait for them to return. */
	synchronize_rcu();
}
