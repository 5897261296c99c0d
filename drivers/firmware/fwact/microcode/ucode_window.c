// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 microcode backend inside the rendezvous window: the "load" step
 * (each core's first thread hands its patch to the core's microcode
 * engine while the core's SMT siblings are parked in this backend's NMI
 * handler) and the "verify" step (every CPU reads back its revision).
 * Nothing here allocates, locks, prints or walks the topology: the roles
 * are planned in prepare (ucode_park_prepare()).
 */
#define pr_fmt(fmt) "fwact microcode: " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/nmi.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/topology.h>
#include <asm/apic.h>
#include <asm/nmi.h>
#include <asm/tsc.h>

#include "ucode_backend.h"

/*
 * Parking the SMT siblings in NMI context.
 *
 * An NMI taken on a sibling while its core's microcode engine updates runs
 * kernel code (perf, the hard-lockup detector) beside the update. The load
 * step therefore runs on every CPU (mode "all"): each sibling of a core
 * that has something to load sends itself an NMI and waits inside this
 * backend's NMI handler, touching nothing but its core primary's release
 * word, until the primary has loaded. While an NMI handler runs, the CPU
 * holds any further NMI pending until the handler returns, so no other NMI
 * handler runs on the sibling during the load. The primary loads only once
 * every sibling of its core is parked; if one is not within
 * UCODE_PARK_TIMEOUT_MS, it loads nothing, releases the others and fails
 * the step, and the run stops when the step ends. A primary always runs
 * its action once the step has started, even after another core failed
 * (the engine completes a started step), so a parked sibling is always
 * released.
 *
 * Roles are computed in prepare, never in the window. Everything the NMI
 * handler touches is per-CPU and static, so it needs no locking: the
 * handler runs on its own CPU, the state word is the only one two CPUs
 * write, and it changes by compare-and-exchange.
 */
#define UCODE_PARK_TIMEOUT_MS	100
#define UCODE_PARK_TIMEOUT_NS	((u64)UCODE_PARK_TIMEOUT_MS * NSEC_PER_MSEC)
/*
 * The longest a parked sibling waits in the NMI handler for its primary's
 * release: far past any load (the microcode component's budget is at most
 * 10 s), but not forever: a primary that never releases (a bug, or a load
 * that never returns) makes the sibling give up, leave, and fail the run,
 * instead of wedging the CPU. Counted in TSC cycles, the one clock the
 * handler may read.
 */
#define UCODE_NMI_WAIT_MS	30000
/* Without a known TSC rate: a count of pauses that takes longer still. */
#define UCODE_NMI_WAIT_SPINS	BIT_ULL(40)
static u64 ucode_nmi_wait_cycles __read_mostly = UCODE_NMI_WAIT_SPINS;

/* Set the park bound; before a run (or at init), never during one. */
static void ucode_nmi_wait_set(u32 ms)
{
	if (tsc_khz)
		WRITE_ONCE(ucode_nmi_wait_cycles, (u64)tsc_khz * ms);
}

/**
 * enum ucode_park_state - where a sibling is in the park protocol
 * @UCODE_PARK_IDLE: not parking; the NMI handler does not hold the CPU
 * @UCODE_PARK_ARMED: its action wants the next NMI to park it
 * @UCODE_PARK_PARKED: held in the NMI handler until its primary releases it
 * @UCODE_PARK_LEFT: released; it left the NMI handler
 */
enum ucode_park_state {
	UCODE_PARK_IDLE,
	UCODE_PARK_ARMED,
	UCODE_PARK_PARKED,
	UCODE_PARK_LEFT,
};

static const char * const ucode_park_res_names[UCODE_PARK_R_NR] = {
	[UCODE_PARK_R_NONE]	= "-",
	[UCODE_PARK_R_NMI]	= "nmi",
	[UCODE_PARK_R_LATE]	= "late",
	[UCODE_PARK_R_LOST]	= "lost",
	[UCODE_PARK_R_LOADED]	= "loaded",
	[UCODE_PARK_R_TIMEOUT]	= "timeout",
	[UCODE_PARK_R_GAVE_UP]	= "gave-up",
};

/**
 * struct ucode_park - one CPU's part in parking its core's siblings
 * @state: &enum ucode_park_state (siblings)
 * @gen: the run's generation, set in prepare
 * @release: primary: @gen once its siblings may leave the NMI handler
 * @aborted: primary: it gave up and loaded nothing (set before @release)
 * @primary: first online thread of its core (itself for a primary)
 * @next: primary: its first sibling to park; sibling: the next one of its
 *	core; nr_cpu_ids at the end
 * @park: sibling that must park in this run
 * @sent: NMIs its action sent itself (written by its action only)
 * @taken: of those, the ones its NMI handler claimed (written by the
 *	handler only); a later NMI is claimed while @taken < @sent
 * @res: &enum ucode_park_res of the last run
 * @gave_up: sibling: its NMI handler stopped waiting for @release after
 *	%UCODE_NMI_WAIT_MS (written by the handler, read by its action)
 */
struct ucode_park {
	atomic_t state;
	u32 gen;
	u32 release;
	bool aborted;
	unsigned int primary;
	unsigned int next;
	bool park;
	u32 sent;
	u32 taken;
	enum ucode_park_res res;
	bool gave_up;
};

static DEFINE_PER_CPU_ALIGNED(struct ucode_park, ucode_park);
static u32 ucode_park_gen;

/*
 * Prepare (cpus read locked): each online sibling of a core whose primary
 * has a patch parks; the primary gets the chain of them, in CPU order.
 */
static void ucode_park_plan(struct ucode_backend *be)
{
	struct ucode_park *p, *q;
	unsigned int cpu, prim;

	ucode_assert_cpus_held();
	if (!++ucode_park_gen)
		ucode_park_gen = 1;
	for_each_possible_cpu(cpu) {
		p = per_cpu_ptr(&ucode_park, cpu);
		atomic_set(&p->state, UCODE_PARK_IDLE);
		p->gen = ucode_park_gen;
		p->aborted = false;
		p->primary = cpu;
		p->next = nr_cpu_ids;
		p->park = false;
		p->res = UCODE_PARK_R_NONE;
	}
	for_each_online_cpu(cpu) {
		prim = cpumask_first_and(topology_sibling_cpumask(cpu),
					 cpu_online_mask);
		if (prim >= nr_cpu_ids || prim == cpu || !be->cpus[prim].patch)
			continue;
		p = per_cpu_ptr(&ucode_park, cpu);
		p->primary = prim;
		p->park = true;
		q = per_cpu_ptr(&ucode_park, prim);
		while (q->next < nr_cpu_ids)
			q = per_cpu_ptr(&ucode_park, q->next);
		q->next = cpu;
	}
}

/*
 * The NMI handler. It holds a sibling whose action armed it, and claims
 * the NMIs that action sent. Nothing here may fault, trap or be traced: an
 * IRET from an exception would let the next NMI in.
 */
static noinstr int ucode_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	struct ucode_park *me = raw_cpu_ptr(&ucode_park);
	const struct ucode_park *prim;
	int ret = NMI_DONE;
	u64 start;

	if (READ_ONCE(me->taken) != READ_ONCE(me->sent)) {
		WRITE_ONCE(me->taken, me->taken + 1);
		ret = NMI_HANDLED;
	}
	if (raw_atomic_cmpxchg(&me->state, UCODE_PARK_ARMED,
			       UCODE_PARK_PARKED) != UCODE_PARK_ARMED)
		return ret;
	prim = per_cpu_ptr(&ucode_park, me->primary);
	start = rdtsc();
	/* Pairs with the primary's release store once it has loaded. */
	while (smp_load_acquire(&prim->release) != me->gen) {
		if (rdtsc() - start > ucode_nmi_wait_cycles) {
			WRITE_ONCE(me->gave_up, true);
			break;
		}
		cpu_relax();
	}
	raw_atomic_set_release(&me->state, UCODE_PARK_LEFT);
	return ret;
}

/*
 * A sibling, in the load step: park in NMI context until its primary has
 * loaded. The lockup detector is touched first, so that a perf NMI held
 * pending by the park does not find the CPU overdue.
 */
static int ucode_park_sibling(struct ucode_backend *be, unsigned int cpu,
			      struct ucode_park *me)
{
	const struct ucode_park *prim = per_cpu_ptr(&ucode_park, me->primary);
	bool send = true;
	u64 deadline;
	int state;

#ifdef CONFIG_FWACT_TEST_HOOKS
	if (be->run_hw->parking)
		send = be->run_hw->parking();
#endif
	touch_nmi_watchdog();
	WRITE_ONCE(me->gave_up, false);
	atomic_set(&me->state, UCODE_PARK_ARMED);
	if (send) {
		WRITE_ONCE(me->sent, me->sent + 1);
		barrier();
		apic->send_IPI(cpu, NMI_VECTOR);
	}
	deadline = sched_clock() + UCODE_PARK_TIMEOUT_NS;
	for (;;) {
		state = atomic_read_acquire(&me->state);
		if (state == UCODE_PARK_LEFT &&
		    READ_ONCE(me->taken) == READ_ONCE(me->sent))
			break;
		if (sched_clock() >= deadline) {
			/* The NMI did not come: make sure it will not park. */
			if (state == UCODE_PARK_ARMED &&
			    atomic_cmpxchg(&me->state, UCODE_PARK_ARMED,
					   UCODE_PARK_IDLE) == UCODE_PARK_ARMED) {
				me->res = UCODE_PARK_R_LOST;
				return 0;
			}
			/* Parked and left; a stray NMI of ours is claimed later. */
			if (state == UCODE_PARK_LEFT)
				break;
		}
		cpu_relax();
	}
	touch_nmi_watchdog();
	if (READ_ONCE(me->gave_up)) {
		me->res = UCODE_PARK_R_GAVE_UP;
		return -ETIMEDOUT;
	}
	me->res = READ_ONCE(prim->aborted) ? UCODE_PARK_R_LATE : UCODE_PARK_R_NMI;
	return 0;
}

/* A primary: wait until every sibling of its core is parked. */
static bool ucode_park_wait(struct ucode_park *me)
{
	struct ucode_park *sib;
	unsigned int cpu;
	u64 deadline;

	if (me->next >= nr_cpu_ids)
		return true;
	touch_nmi_watchdog();
	deadline = sched_clock() + UCODE_PARK_TIMEOUT_NS;
	for (cpu = me->next; cpu < nr_cpu_ids; cpu = sib->next) {
		sib = per_cpu_ptr(&ucode_park, cpu);
		while (atomic_read_acquire(&sib->state) != UCODE_PARK_PARKED) {
			if (sched_clock() >= deadline)
				return false;
			cpu_relax();
		}
	}
	return true;
}

/*
 * Step "load", every CPU, interrupts off. The first thread of each core
 * hands the patch to the core's microcode engine once its siblings are
 * parked in NMI context (ucode_park_sibling()), then releases them.
 * Nothing else happens here.
 */
int ucode_step_load(void *priv, const struct fwact_call *call)
{
	struct ucode_backend *be = priv;
	struct ucode_cpu *c = &be->cpus[call->cpu];
	struct ucode_park *me = per_cpu_ptr(&ucode_park, call->cpu);
	const struct ucode_copy *p = c->patch;
	int ret;

	if (me->park)
		return ucode_park_sibling(be, call->cpu, me);
	if (me->primary != call->cpu || !p)
		return 0;
	if (!ucode_park_wait(me)) {
		me->res = UCODE_PARK_R_TIMEOUT;
		WRITE_ONCE(me->aborted, true);
		ret = -ETIMEDOUT;
	} else {
		if (me->next < nr_cpu_ids)
			me->res = UCODE_PARK_R_LOADED;
		c->loaded = true;
		c->load_ret = be->run_hw->load(be->vendor, p->data, p->size);
		ret = c->load_ret;
	}
	/* Pairs with the acquire in the siblings' NMI handler. */
	smp_store_release(&me->release, me->gen);
	return ret;
}

#ifdef CONFIG_FWACT_TEST_HOOKS
/**
 * fwact_ucode_test_parked() - is @cpu held in the backend's NMI handler
 * @cpu: the CPU
 *
 * Test kernels only: the emulated engine's load asks it of every sibling of
 * the loading core, for the selftests' evidence.
 *
 * Return: true while @cpu is parked for its core's load.
 */
bool fwact_ucode_test_parked(unsigned int cpu)
{
	return atomic_read(&per_cpu(ucode_park, cpu).state) ==
	       UCODE_PARK_PARKED;
}
EXPORT_SYMBOL_NS_GPL(fwact_ucode_test_parked, "FWACT_TEST");
#endif

/*
 * Step "verify", every CPU, interrupts off: read back the revision into
 * this CPU's slot. A CPU that should have moved and did not fails the step.
 */
int ucode_step_verify(void *priv, const struct fwact_call *call)
{
	struct ucode_backend *be = priv;
	struct ucode_cpu *c = &be->cpus[call->cpu];

	c->after = be->run_hw->rev_read(be->vendor);
	c->verified = true;
	if (c->patch && c->after != c->patch->rev)
		return -EIO;
	return 0;
}

/* Name the siblings that kept their core from loading. */
void ucode_report_unparked(void)
{
	const struct ucode_park *me, *sib;
	unsigned int cpu, s;

	for_each_online_cpu(cpu) {
		me = per_cpu_ptr(&ucode_park, cpu);
		if (me->res != UCODE_PARK_R_TIMEOUT)
			continue;
		for (s = me->next; s < nr_cpu_ids; s = sib->next) {
			sib = per_cpu_ptr(&ucode_park, s);
			if (sib->res == UCODE_PARK_R_NMI)
				continue;
			pr_err("CPU %u did not park in NMI context within %u ms (%s): its core (CPU %u) was not loaded\n",
			       s, UCODE_PARK_TIMEOUT_MS,
			       sib->res == UCODE_PARK_R_LOST ? "its NMI never came" :
			       "late", cpu);
		}
	}
}

/* What the park protocol did on @cpu in the last run. */
enum ucode_park_res ucode_park_res(unsigned int cpu)
{
	return per_cpu(ucode_park, cpu).res;
}

const char *ucode_park_res_name(unsigned int cpu)
{
	return ucode_park_res_names[ucode_park_res(cpu)];
}

/* @cpu's core primary gave up parking its siblings and loaded nothing. */
bool ucode_park_core_aborted(unsigned int cpu)
{
	return per_cpu(ucode_park, per_cpu(ucode_park, cpu).primary).aborted;
}

/*
 * In prepare, the CPU hotplug lock held: plan every CPU's role for the
 * run, and bound a parked sibling's wait (@nmi_wait_ms, 0 for
 * %UCODE_NMI_WAIT_MS; test builds may shorten it).
 */
void ucode_park_prepare(struct ucode_backend *be, u32 nmi_wait_ms)
{
	ucode_park_plan(be);
	ucode_nmi_wait_set(nmi_wait_ms ?: UCODE_NMI_WAIT_MS);
}

int ucode_park_init(void)
{
	/* First: the NMI that parks a sibling should not wait for others. */
	ucode_nmi_wait_set(UCODE_NMI_WAIT_MS);
	return register_nmi_handler(NMI_LOCAL, ucode_nmi_handler,
				    NMI_FLAG_FIRST, "fwact_ucode");
}

/* After the component is gone: no activation runs, no CPU is parked. */
void ucode_park_exit(void)
{
	unregister_nmi_handler(NMI_LOCAL, "fwact_ucode");
}
