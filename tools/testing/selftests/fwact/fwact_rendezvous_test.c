// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the fwact rendezvous engine, driven through the test
 * backend's components (test-one, test-all, test-per-core, test-serial,
 * test-steps in stopper context, test-irq-one and test-irq-all in
 * interrupt context): each mode acts on exactly the CPUs it names, in the
 * order it promises, as shown by the backend's record of every action
 * call, the CPU topology and the engine's per-CPU debugfs record
 * (/sys/kernel/debug/fwact/rendezvous); a CPU that cannot arrive, an
 * action that fails and an action that hangs each end the activation with
 * the right errno, step and CPU and nothing acted that should not have; an
 * action that overruns the budget is waited for, no CPU leaves while one
 * acts, and later steps do not start; the stopper context never takes a
 * CPU inside a preempt-off region; the budget expires whatever the
 * clocksource and stays below RCU's stall timeout; CPU hotplug waits for
 * an activation; the rendezvous switch behaves as documented; and a
 * thousand activations leak nothing and stay exact.
 *
 * The tests pin themselves to the lowest online CPU, so that the CPU they
 * delay or hang is never the one doing the activation.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "fwact_util.h"

#define RV_DEBUGFS	"/sys/kernel/debug/fwact/rendezvous"
#define RV_MAX_RECS	(8 * FWACT_MAX_CPUS)
#define RV_BUDGET_MAX	"10000000"
#define RV_BUDGET_DEFAULT "1000000"
#define RV_TRACEFS	"/sys/kernel/tracing"
#define RV_CLOCKSOURCE	"/sys/devices/system/clocksource/clocksource0"
#define RV_RCU_STALL	"/sys/module/rcupdate/parameters/rcu_cpu_stall_timeout"

/* One line of the engine's debugfs record. */
struct rv_cpu {
	int cpu;
	int leader;
	unsigned long long arrive_ns;
	unsigned long long leave_ns;
	unsigned long long irqoff_ns;
	unsigned long acted;
};

/* What a test knows about the machine. */
struct rv_topo {
	bool online[FWACT_MAX_CPUS];
	int leader[FWACT_MAX_CPUS];	/* first online thread of the core */
	int nr_online;
	int nr_cores;
	int first;
	int last;
	bool smt;			/* some core has two online threads */
};

/* What a test works with; the fixture holds one. */
struct rv_ctx {
	struct rv_topo topo;
	struct fwact_rec rec[RV_MAX_RECS];
	struct rv_cpu rc[FWACT_MAX_CPUS];
	const char *comp;
};

static int rv_siblings_first(int cpu, const bool *online)
{
	char path[128], buf[256], *p;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%d/topology/thread_siblings_list",
		 cpu);
	if (fwact_path_read(path, buf, sizeof(buf)))
		return cpu;
	for (p = strtok(buf, ","); p; p = strtok(NULL, ",")) {
		int lo, hi, c;

		if (sscanf(p, "%d-%d", &lo, &hi) != 2) {
			lo = atoi(p);
			hi = lo;
		}
		for (c = lo; c <= hi && c < FWACT_MAX_CPUS; c++)
			if (online[c])
				return c;
	}
	return cpu;
}

static int rv_topo_read(struct rv_topo *t)
{
	int cpu;

	memset(t, 0, sizeof(*t));
	t->nr_online = fwact_cpus_online(t->online, FWACT_MAX_CPUS);
	if (t->nr_online <= 0)
		return -1;
	t->first = -1;
	for (cpu = 0; cpu < FWACT_MAX_CPUS; cpu++) {
		if (!t->online[cpu])
			continue;
		if (t->first < 0)
			t->first = cpu;
		t->last = cpu;
		t->leader[cpu] = rv_siblings_first(cpu, t->online);
		if (t->leader[cpu] == cpu)
			t->nr_cores++;
		else
			t->smt = true;
	}
	return 0;
}

/* Parse the engine's record of the last held run. */
static int rv_debugfs_read(struct rv_cpu *rc, int max)
{
	char *text, *line, *save;
	int n = 0;

	text = fwact_path_slurp(RV_DEBUGFS, NULL);
	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%d %d %llu %llu %llu %lx", &rc[n].cpu,
			   &rc[n].leader, &rc[n].arrive_ns, &rc[n].leave_ns,
			   &rc[n].irqoff_ns, &rc[n].acted) != 6) {
			n = -1;
			break;
		}
		n++;
	}
	free(text);
	return n;
}

static long long rv_last(const char *comp, const char *attr)
{
	char name[64];

	snprintf(name, sizeof(name), "last_activation/%s", attr);
	return fwact_attr_ll(comp, name);
}

static bool rv_last_mode_is(const char *comp, const char *mode)
{
	return fwact_attr_is(comp, "last_activation/mode", mode);
}

/* Stage the next version of @comp. */
static int rv_stage_next(const char *comp)
{
	long long v = fwact_knob_ll(comp, "version");

	if (v == FWACT_NO_NUMBER)
		return -ENOENT;
	return fwact_stage_version(comp, (uint32_t)v + 1, 64);
}

/*
 * Stage the next version of @comp and activate it once; the write's
 * errno. For the tests of the gather's own timeout.
 */
static int rv_activate_once(const char *comp)
{
	int ret = rv_stage_next(comp);

	return ret ? ret : fwact_attr_write(comp, "activate", "1");
}

/*
 * Stage the next version of @comp and activate it; the write's errno. A
 * run that timed out at the gather because the host did not schedule a
 * vCPU in time is tried again (fwact_activate_gathered()).
 */
static int rv_activate(const char *comp)
{
	int ret = rv_stage_next(comp);

	return ret ? ret : fwact_activate_gathered(comp, 3);
}

/*
 * Activate, retrying while a CPU of an earlier, failed run is still on its
 * way out of it (-EBUSY, at most @ms milliseconds).
 */
static int rv_activate_retry(const char *comp, int ms)
{
	int ret;

	for (;;) {
		ret = rv_activate(comp);
		if (ret != -EBUSY || ms <= 0)
			return ret;
		usleep(10000);
		ms -= 10;
	}
}

static const char * const rv_comps[] = {
	"test-none", "test-one", "test-all", "test-per-core", "test-serial",
	"test-steps", "test-irq-one", "test-irq-all",
};

/*
 * Back to a known state with @budget_us. The tests run with the largest
 * budget: under TCG the host may stop a vCPU for a second or more, and
 * only the tests about the budget should ever see it run out. They leave
 * the default behind for the tests that run after them.
 */
static int rv_comp_reset(const char *comp, const char *budget_us)
{
	int ret;

	fwact_attr_write(comp, "cancel", "1");
	ret = fwact_knob_write(comp, "reset", "1");
	if (ret)
		return ret;
	fwact_attr_write(comp, "max_blackout_us", budget_us);
	fwact_attr_write(comp, "force_cpu_rendezvous", "1");
	return 0;
}

static int rv_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static unsigned long long rv_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static long long rv_meminfo_kb(const char *key)
{
	char line[256];
	long long val = -1;
	size_t len = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':') {
			val = atoll(line + len + 1);
			break;
		}
	fclose(f);
	return val;
}

/*
 * True on a KASAN kernel: its quarantine keeps freed objects counted as
 * slab for a while, so slab growth says nothing there (kmemleak, which the
 * test harness runs on that kernel, is the leak check instead).
 */
static bool rv_kernel_has_kasan(void)
{
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, " kasan_report");
	fclose(f);
	return found;
}

static int rv_cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static unsigned long long rv_median(unsigned long long *v, int n)
{
	qsort(v, n, sizeof(*v), rv_cmp_ull);
	return v[n / 2];
}

FIXTURE(rv) {
	struct rv_ctx x;
};

FIXTURE_SETUP(rv)
{
	struct rv_ctx *c = &self->x;
	unsigned int i;

	c->comp = NULL;
	if (access(FWACT_SYSFS "/test-one", F_OK) ||
	    access(FWACT_TESTMOD_DEBUGFS "/test-one", F_OK))
		SKIP(return, "fwact_testmod is not loaded");
	if (access(RV_DEBUGFS, R_OK))
		SKIP(return, RV_DEBUGFS " missing (debugfs not mounted?)");
	ASSERT_EQ(0, rv_topo_read(&c->topo));
	ASSERT_EQ(0, rv_pin(c->topo.first));
	for (i = 0; i < ARRAY_SIZE(rv_comps); i++)
		ASSERT_EQ(0, rv_comp_reset(rv_comps[i], RV_BUDGET_MAX));
}

FIXTURE_TEARDOWN(rv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rv_comps); i++)
		rv_comp_reset(rv_comps[i], RV_BUDGET_DEFAULT);
	fwact_rv_late_set(0, 0);
}

/* Every online CPU arrived and left in the last held run. */
static void rv_check_all_held(struct __test_metadata *_metadata,
			      struct rv_ctx *c)
{
	int n = rv_debugfs_read(c->rc, FWACT_MAX_CPUS), i;

	ASSERT_EQ(c->topo.nr_online, n);
	for (i = 0; i < n; i++) {
		ASSERT_TRUE(c->topo.online[c->rc[i].cpu]);
		EXPECT_NE(0ULL, c->rc[i].arrive_ns);
		EXPECT_GE(c->rc[i].leave_ns, c->rc[i].arrive_ns);
		/* Stopper context gathers with interrupts on. */
		EXPECT_LE(c->rc[i].irqoff_ns,
			  c->rc[i].leave_ns - c->rc[i].arrive_ns);
		EXPECT_EQ(c->topo.leader[c->rc[i].cpu],
			  c->rc[i].leader);
	}
}

/* The last activation of @comp succeeded with every online CPU held. */
static void rv_check_held_ok(struct __test_metadata *_metadata,
			     struct rv_ctx *c, const char *mode)
{
	EXPECT_EQ(0, rv_last(c->comp, "result"));
	EXPECT_TRUE(rv_last_mode_is(c->comp, mode));
	EXPECT_EQ(c->topo.nr_online, rv_last(c->comp, "cpus"));
	EXPECT_EQ(-1, rv_last(c->comp, "failed_step"));
	EXPECT_EQ(-1, rv_last(c->comp, "failed_cpu"));
	EXPECT_GT(rv_last(c->comp, "blackout_ns"), 0);
	EXPECT_GE(rv_last(c->comp, "blackout_ns"),
		  rv_last(c->comp, "irqoff_max_ns"));
	EXPECT_GE(rv_last(c->comp, "irqoff_max_ns"),
		  rv_last(c->comp, "irqoff_mean_ns"));
	rv_check_all_held(_metadata, c);
}

/* Each online CPU appears exactly once among the @n calls of @step. */
static void rv_check_each_cpu_once(struct __test_metadata *_metadata,
				   struct rv_ctx *c, int n,
				   unsigned int step)
{
	static int seen[FWACT_MAX_CPUS];
	int i, cpu, calls = 0;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < n; i++) {
		if (c->rec[i].step != step)
			continue;
		ASSERT_LT(c->rec[i].cpu, (unsigned int)FWACT_MAX_CPUS);
		seen[c->rec[i].cpu]++;
		calls++;
	}
	EXPECT_EQ(c->topo.nr_online, calls);
	for (cpu = 0; cpu < FWACT_MAX_CPUS; cpu++) {
		EXPECT_EQ(c->topo.online[cpu] ? 1 : 0, seen[cpu]) {
			TH_LOG("CPU %d acted %d times in step %u", cpu,
			       seen[cpu], step);
		}
	}
}

/* The calls of @step are in ascending CPU order and do not overlap. */
static void rv_check_serial(struct __test_metadata *_metadata,
			    struct rv_ctx *c, int n, unsigned int step)
{
	const struct fwact_rec *prev = NULL;
	int i;

	for (i = 0; i < n; i++) {
		const struct fwact_rec *r = &c->rec[i];

		if (r->step != step)
			continue;
		EXPECT_NE(0ULL, r->end_ns);
		if (prev) {
			EXPECT_GT(r->cpu, prev->cpu);
			EXPECT_GE(r->start_ns, prev->end_ns) {
				TH_LOG("CPU %u started before CPU %u ended",
				       r->cpu, prev->cpu);
			}
		}
		prev = r;
	}
}

TEST_F(rv, one_acts_on_lowest_cpu_only)
{
	struct rv_ctx *c = &self->x;
	int n;

	c->comp = "test-one";
	ASSERT_EQ(0, rv_activate(c->comp));
	rv_check_held_ok(_metadata, c, "one");
	n = fwact_record_read(c->comp, c->rec, RV_MAX_RECS);
	ASSERT_EQ(1, n);
	EXPECT_EQ(0U, c->rec[0].step);
	EXPECT_EQ((unsigned int)c->topo.first, c->rec[0].cpu);
	n = rv_debugfs_read(c->rc, FWACT_MAX_CPUS);
	for (int i = 0; i < n; i++) {
		EXPECT_EQ(c->rc[i].cpu == c->topo.first ? 1UL : 0UL,
			  c->rc[i].acted);
	}
}

TEST_F(rv, all_acts_once_on_every_cpu)
{
	struct rv_ctx *c = &self->x;
	int n;

	c->comp = "test-all";
	ASSERT_EQ(0, rv_activate(c->comp));
	rv_check_held_ok(_metadata, c, "all");
	n = fwact_record_read(c->comp, c->rec, RV_MAX_RECS);
	ASSERT_EQ(c->topo.nr_online, n);
	rv_check_each_cpu_once(_metadata, c, n, 0);
}

TEST_F(rv, per_core_acts_on_first_thread_siblings_wait)
{
	struct rv_ctx *c = &self->x;
	static int seen[FWACT_MAX_CPUS];
	unsigned long long core_end[FWACT_MAX_CPUS];
	int n, i, nrc, bad = 0;

	c->comp = "test-per-core";
	ASSERT_EQ(0, rv_activate(c->comp));
	rv_check_held_ok(_metadata, c, "per_core");
	n = fwact_record_read(c->comp, c->rec, RV_MAX_RECS);
	ASSERT_EQ(c->topo.nr_cores, n);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < n; i++) {
		int cpu = c->rec[i].cpu;

		ASSERT_LT(cpu, FWACT_MAX_CPUS);
		EXPECT_EQ(c->topo.leader[cpu], cpu) {
			TH_LOG("CPU %d acted but is not its core's first thread",
			       cpu);
		}
		seen[cpu]++;
		core_end[cpu] = c->rec[i].end_ns;
	}
	for (i = 0; i < FWACT_MAX_CPUS; i++) {
		if (c->topo.online[i] && c->topo.leader[i] == i &&
		    seen[i] != 1)
			bad++;
	}
	EXPECT_EQ(0, bad);

	nrc = rv_debugfs_read(c->rc, FWACT_MAX_CPUS);
	ASSERT_EQ(c->topo.nr_online, nrc);
	if (!c->topo.smt)
		SKIP(return, "no SMT siblings online: sibling order not checked");
	for (i = 0; i < nrc; i++) {
		const struct rv_cpu *sib = &c->rc[i];

		if (sib->leader == sib->cpu)
			continue;
		EXPECT_EQ(0UL, sib->acted);
		EXPECT_GE(sib->leave_ns, core_end[sib->leader]) {
			TH_LOG("sibling %d left before its leader %d finished",
			       sib->cpu, sib->leader);
		}
	}
}

TEST_F(rv, serial_acts_in_cpu_order_one_at_a_time)
{
	struct rv_ctx *c = &self->x;
	int n;

	c->comp = "test-serial";
	ASSERT_EQ(0, rv_activate(c->comp));
	rv_check_held_ok(_metadata, c, "serial");
	n = fwact_record_read(c->comp, c->rec, RV_MAX_RECS);
	ASSERT_EQ(c->topo.nr_online, n);
	rv_check_each_cpu_once(_metadata, c, n, 0);
	rv_check_serial(_metadata, c, n, 0);
}

TEST_F(rv, steps_run_in_order_with_a_barrier_between)
{
	struct rv_ctx *c = &self->x;
	unsigned long long first_start[4], last_end[4];
	int n, i, per_step[4] = { 0 }, bad = 0;

	c->comp = "test-steps";
	ASSERT_EQ(0, rv_activate(c->comp));
	rv_check_held_ok(_metadata, c, "steps");
	n = fwact_record_read(c->comp, c->rec, RV_MAX_RECS);
	ASSERT_EQ(1 + 2 * c->topo.nr_online + 1, n);
	for (i = 0; i < 4; i++) {
		first_start[i] = ~0ULL;
		last_end[i] = 0;
	}
	for (i = 0; i < n; i++) {
		const struct fwact_rec *r = &c->rec[i];

		ASSERT_LT(r->step, 4U);
		per_step[r->step]++;
		if (r->start_ns < first_start[r->step])
			first_start[r->step] = r->start_ns;
		if (r->end_ns > last_end[r->step])
			last_end[r->step] = r->end_ns;
		if ((r->step == 0 || r->step == 3) &&
		    r->cpu != (unsigned int)c->topo.first)
			bad++;
	}
	EXPECT_EQ(0, bad);
	EXPECT_EQ(1, per_step[0]);
	EXPECT_EQ(c->topo.nr_online, per_step[1]);
	EXPECT_EQ(c->topo.nr_online, per_step[2]);
	EXPECT_EQ(1, per_step[3]);
	rv_check_serial(_metadata, c, n, 1);
	rv_check_each_cpu_once(_metadata, c, n, 2);
	for (i = 0; i < 3; i++) {
		EXPECT_GE(first_start[i + 1], last_end[i]) {
			TH_LOG("step %d started before step %d ended", i + 1, i);
		}
	}
	n = rv_debugfs_read(c->rc, FWACT_MAX_CPUS);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(c->rc[i].cpu == c->topo.first ? 0xfUL : 0x6UL,
			  c->rc[i].acted);
	}
}

/* The first arrival of the last held run, 0 if nobody arrived. */
static unsigned long long rv_first_arrival(struct rv_ctx *c)
{
	unsigned long long first = 0;
	int n = rv_debugfs_read(c->rc, FWACT_MAX_CPUS), i;

	for (i = 0; i < n; i++)
		if (c->rc[i].arrive_ns &&
		    (!first || c->rc[i].arrive_ns < first))
			first = c->rc[i].arrive_ns;
	return first;
}

#define RV_DELAY_US	1000000

TEST_F(rv, cpu_that_cannot_arrive_times_out_before_any_action)
{
	struct rv_ctx *c = &self->x;
	unsigned long long t0, first;
	long long version, calls;
	int ret, n, tries = 3;

	if (c->topo.nr_online < 2)
		SKIP(return, "needs two online CPUs");
	c->comp = "test-all";
	ASSERT_EQ(0, fwact_attr_write(c->comp, "max_blackout_us", "200000"));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "delay_cpu", c->topo.last));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "delay_us", RV_DELAY_US));

	/*
	 * The test means something only if the delaying thread still spins
	 * when the rendezvous begins. On a loaded host the activating task
	 * was once seen to reach the rendezvous only after the whole spin
	 * (first arrival 1 s after the write): that run tested nothing, and
	 * is run again. A run that succeeds although a CPU was still held
	 * away when the first CPU arrived fails the test.
	 */
	do {
		version = fwact_knob_ll(c->comp, "version");
		calls = fwact_knob_ll(c->comp, "calls");
		t0 = rv_now_ns();
		ret = rv_activate_once(c->comp);
		first = rv_first_arrival(c);
		if (ret || first < t0 + RV_DELAY_US * 1000ULL)
			break;
		TH_LOG("the first CPU arrived %llu ms after the write, after the delay: again",
		       (first - t0) / 1000000);
	} while (--tries);
	EXPECT_EQ(-ETIMEDOUT, ret);
	EXPECT_EQ(-ETIMEDOUT, rv_last(c->comp, "result"));
	EXPECT_EQ(-1, rv_last(c->comp, "failed_step"));
	EXPECT_EQ(c->topo.last, rv_last(c->comp, "failed_cpu"));
	EXPECT_EQ(calls, fwact_knob_ll(c->comp, "calls"));
	EXPECT_EQ(0, fwact_record_read(c->comp, c->rec, RV_MAX_RECS));
	EXPECT_EQ(version, fwact_knob_ll(c->comp, "version"));
	EXPECT_LT(rv_last(c->comp, "cpus"), c->topo.nr_online);

	/* The delayed CPU comes back and the next activation holds it. */
	ASSERT_EQ(0, fwact_knob_set(c->comp, "delay_cpu", -1));
	ASSERT_EQ(0, fwact_attr_write(c->comp, "max_blackout_us",
				      RV_BUDGET_MAX));
	ASSERT_EQ(0, rv_activate_retry(c->comp, 5000));
	rv_check_held_ok(_metadata, c, "all");
	n = fwact_record_read(c->comp, c->rec, RV_MAX_RECS);
	ASSERT_EQ(c->topo.nr_online, n);
	EXPECT_EQ(version + 1, fwact_knob_ll(c->comp, "version"));
}

TEST_F(rv, budget_too_small_to_gather)
{
	struct rv_ctx *c = &self->x;
	long long calls;
	int n;

	if (c->topo.nr_online < 2)
		SKIP(return, "needs two online CPUs to gather");
	c->comp = "test-all";
	calls = fwact_knob_ll(c->comp, "calls");
	ASSERT_EQ(0, fwact_attr_write(c->comp, "max_blackout_us", "1"));
	EXPECT_EQ(-ETIMEDOUT, rv_activate_once(c->comp));
	EXPECT_EQ(-ETIMEDOUT, rv_last(c->comp, "result"));
	if (rv_last(c->comp, "failed_step") == -1) {
		EXPECT_EQ(calls, fwact_knob_ll(c->comp, "calls"));
	} else {
		n = fwact_record_read(c->comp, c->rec, RV_MAX_RECS);
		TH_LOG("gathered within 1 us; timed out in step %lld after %d calls",
		       rv_last(c->comp, "failed_step"), n);
	}
	EXPECT_GE(rv_last(c->comp, "failed_cpu"), 0);
	EXPECT_EQ(1, fwact_knob_ll(c->comp, "version"));
}

TEST_F(rv, action_error_stops_every_later_step)
{
	struct rv_ctx *c = &self->x;
	int n, i, k;

	c->comp = "test-steps";
	k = c->topo.last;
	ASSERT_EQ(0, fwact_knob_set(c->comp, "fail_errno", EIO));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "fail_step", 2));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "fail_cpu", k));
	EXPECT_EQ(-EIO, rv_activate(c->comp));
	EXPECT_EQ(-EIO, rv_last(c->comp, "result"));
	EXPECT_EQ(2, rv_last(c->comp, "failed_step"));
	EXPECT_EQ(k, rv_last(c->comp, "failed_cpu"));
	EXPECT_EQ(1, fwact_knob_ll(c->comp, "version"));
	n = fwact_record_read(c->comp, c->rec, RV_MAX_RECS);
	ASSERT_GT(n, 0);
	for (i = 0; i < n; i++) {
		EXPECT_LT(c->rec[i].step, 3U) {
			TH_LOG("CPU %u ran step %u after step 2 failed",
			       c->rec[i].cpu, c->rec[i].step);
		}
	}
	rv_check_all_held(_metadata, c);
}

/*
 * A step that has started is completed: an actor that starts after
 * another's action failed still runs its own (a core's parked siblings
 * may be waiting for it), and only then does the run stop.
 */
static void rv_late_actor_runs(struct __test_metadata *_metadata,
			       struct rv_ctx *c, const char *comp, int late)
{
	unsigned long long fail_end = 0, late_start = 0;
	int n, i, k = c->topo.first;

	c->comp = comp;
	ASSERT_EQ(0, fwact_knob_set(comp, "fail_errno", EIO));
	ASSERT_EQ(0, fwact_knob_set(comp, "fail_step", 0));
	ASSERT_EQ(0, fwact_knob_set(comp, "fail_cpu", k));
	ASSERT_EQ(0, fwact_rv_late_set(late, 200000));
	EXPECT_EQ(-EIO, rv_activate(comp));
	ASSERT_EQ(0, fwact_rv_late_set(0, 0));
	EXPECT_EQ(0, rv_last(comp, "failed_step"));
	EXPECT_EQ(k, rv_last(comp, "failed_cpu"));
	EXPECT_EQ(1, fwact_knob_ll(comp, "version"));
	n = fwact_record_read(comp, c->rec, RV_MAX_RECS);
	for (i = 0; i < n; i++) {
		EXPECT_NE(0ULL, c->rec[i].end_ns);
		if ((int)c->rec[i].cpu == k)
			fail_end = c->rec[i].end_ns;
		if ((int)c->rec[i].cpu == late)
			late_start = c->rec[i].start_ns;
	}
	ASSERT_NE(0ULL, fail_end);
	ASSERT_NE(0ULL, late_start)
		TH_LOG("CPU %d never acted after CPU %d failed", late, k);
	EXPECT_GT(late_start, fail_end);
	rv_check_all_held(_metadata, c);
}

TEST_F(rv, all_step_runs_on_every_cpu_after_an_action_fails)
{
	struct rv_ctx *c = &self->x;
	int n;

	if (c->topo.nr_online < 2)
		SKIP(return, "needs two online CPUs");
	rv_late_actor_runs(_metadata, c, "test-all", c->topo.last);
	n = fwact_record_read(c->comp, c->rec, RV_MAX_RECS);
	EXPECT_EQ(c->topo.nr_online, n);
}

TEST_F(rv, per_core_step_runs_on_every_core_after_an_action_fails)
{
	struct rv_ctx *c = &self->x;
	int n;

	if (c->topo.nr_cores < 2)
		SKIP(return, "needs two cores");
	rv_late_actor_runs(_metadata, c, "test-per-core",
			   c->topo.leader[c->topo.last]);
	n = fwact_record_read(c->comp, c->rec, RV_MAX_RECS);
	EXPECT_EQ(c->topo.nr_cores, n);
}

TEST_F(rv, serial_error_stops_the_cpus_after_it)
{
	struct rv_ctx *c = &self->x;
	int n, k;

	if (c->topo.nr_online < 2)
		SKIP(return, "needs two online CPUs");
	c->comp = "test-serial";
	k = c->topo.first;
	ASSERT_EQ(0, fwact_knob_set(c->comp, "fail_errno", EPROTO));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "fail_step", 0));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "fail_cpu", k));
	EXPECT_EQ(-EPROTO, rv_activate(c->comp));
	EXPECT_EQ(0, rv_last(c->comp, "failed_step"));
	EXPECT_EQ(k, rv_last(c->comp, "failed_cpu"));
	n = fwact_record_read(c->comp, c->rec, RV_MAX_RECS);
	ASSERT_EQ(1, n);
	EXPECT_EQ((unsigned int)k, c->rec[0].cpu);
}

TEST_F(rv, hang_in_a_step_is_waited_for_and_later_steps_do_not_start)
{
	struct rv_ctx *c = &self->x;
	int n, i, k, bad = 0, installed = 0;

	if (c->topo.nr_online < 2)
		SKIP(return, "needs two online CPUs");
	c->comp = "test-steps";
	k = c->topo.last;
	ASSERT_EQ(0, fwact_attr_write(c->comp, "max_blackout_us", "300000"));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "hang_cpu", k));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "hang_step", 1));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "hang_us", 1500000));
	EXPECT_EQ(-ETIMEDOUT, rv_activate(c->comp));
	/* The install step ran to its end everywhere; update never started. */
	EXPECT_EQ(2, rv_last(c->comp, "failed_step"));
	EXPECT_EQ(1, rv_last(c->comp, "overrun_step"));
	EXPECT_EQ(k, rv_last(c->comp, "overrun_cpu"));
	EXPECT_GE(rv_last(c->comp, "blackout_ns"), 1500000000LL);
	EXPECT_EQ(1, fwact_knob_ll(c->comp, "version"));
	n = fwact_record_read(c->comp, c->rec, RV_MAX_RECS);
	for (i = 0; i < n; i++) {
		bad += c->rec[i].step >= 2;
		installed += c->rec[i].step == 1 && c->rec[i].end_ns;
	}
	EXPECT_EQ(0, bad);
	EXPECT_EQ(c->topo.nr_online, installed);
	EXPECT_TRUE(fwact_path_contains(FWACT_SYSFS "/journal",
					"overrun_step=1"));

	/* With the budget back, activations work at once. */
	ASSERT_EQ(0, fwact_knob_set(c->comp, "hang_cpu", -1));
	ASSERT_EQ(0, fwact_attr_write(c->comp, "max_blackout_us",
				      RV_BUDGET_MAX));
	ASSERT_EQ(0, rv_activate(c->comp));
	rv_check_held_ok(_metadata, c, "steps");
	EXPECT_EQ(-1, rv_last(c->comp, "overrun_step"));
}

/*
 * The reproduction of a use-after-free: a CPU still inside an action when
 * the run returned. Now the run returns only once every CPU has left.
 */
TEST_F(rv, a_hung_action_is_waited_for_before_the_run_returns)
{
	struct rv_ctx *c = &self->x;
	unsigned long long t0, took, hung_end = 0;
	int n, i;

	if (c->topo.nr_online < 2)
		SKIP(return, "needs two online CPUs");
	c->comp = "test-all";
	ASSERT_EQ(0, fwact_attr_write(c->comp, "max_blackout_us", "200000"));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "hang_cpu", c->topo.last));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "hang_step", 0));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "hang_us", 2000000));
	t0 = rv_now_ns();
	/* The one step completed: a success, reported as an overrun. */
	EXPECT_EQ(0, rv_activate(c->comp));
	took = rv_now_ns() - t0;
	EXPECT_GE(took, 2000000000ULL);
	EXPECT_EQ(0, rv_last(c->comp, "overrun_step"));
	EXPECT_EQ(c->topo.last, rv_last(c->comp, "overrun_cpu"));
	EXPECT_EQ(2, fwact_knob_ll(c->comp, "version"));

	n = fwact_record_read(c->comp, c->rec, RV_MAX_RECS);
	ASSERT_EQ(c->topo.nr_online, n);
	for (i = 0; i < n; i++)
		if ((int)c->rec[i].cpu == c->topo.last)
			hung_end = c->rec[i].end_ns;
	ASSERT_NE(0ULL, hung_end);
	n = rv_debugfs_read(c->rc, FWACT_MAX_CPUS);
	for (i = 0; i < n; i++) {
		EXPECT_GE(c->rc[i].leave_ns, hung_end)
			TH_LOG("CPU %d left before CPU %d's action returned",
			       c->rc[i].cpu, c->topo.last);
	}

	/* Nothing of the last run is left: the next one starts at once. */
	ASSERT_EQ(0, fwact_knob_set(c->comp, "hang_cpu", -1));
	EXPECT_EQ(0, rv_activate("test-one"));
}

TEST_F(rv, no_cpu_leaves_while_another_still_acts)
{
	struct rv_ctx *c = &self->x;
	unsigned long long hung_end = 0;
	int n, i;

	if (c->topo.nr_online < 2)
		SKIP(return, "needs two online CPUs");
	c->comp = "test-all";
	ASSERT_EQ(0, fwact_knob_set(c->comp, "fail_errno", EIO));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "fail_step", 0));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "fail_cpu", c->topo.first));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "hang_cpu", c->topo.last));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "hang_step", 0));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "hang_us", 500000));
	EXPECT_EQ(-EIO, rv_activate(c->comp));
	EXPECT_EQ(c->topo.first, rv_last(c->comp, "failed_cpu"));
	n = fwact_record_read(c->comp, c->rec, RV_MAX_RECS);
	for (i = 0; i < n; i++)
		if ((int)c->rec[i].cpu == c->topo.last)
			hung_end = c->rec[i].end_ns;
	/* Every actor of a started step runs, however late. */
	ASSERT_NE(0ULL, hung_end);
	n = rv_debugfs_read(c->rc, FWACT_MAX_CPUS);
	ASSERT_GT(n, 0);
	for (i = 0; i < n; i++) {
		EXPECT_GE(c->rc[i].leave_ns, hung_end)
			TH_LOG("CPU %d left while CPU %d still acted",
			       c->rc[i].cpu, c->topo.last);
	}
}

/*
 * A CPU in a region with preemption off (as inside a spinlock): the
 * stopper context takes it only once it leaves the region, the interrupt
 * context takes it inside. region_hits counts actions that ran inside.
 */
static void rv_region_run(struct __test_metadata *_metadata,
			  struct rv_ctx *c, const char *comp, int hits)
{
	c->comp = comp;
	ASSERT_EQ(0, fwact_knob_set(comp, "delay_cpu", c->topo.last));
	ASSERT_EQ(0, fwact_knob_set(comp, "delay_us", 400000));
	ASSERT_EQ(0, fwact_knob_set(comp, "delay_irqs_on", 1));
	EXPECT_EQ(0, rv_activate(comp));
	EXPECT_EQ(c->topo.nr_online, rv_last(comp, "cpus"));
	EXPECT_EQ(hits, fwact_knob_ll(comp, "region_hits"));
}

TEST_F(rv, stopper_context_never_takes_a_cpu_inside_a_preempt_off_region)
{
	struct rv_ctx *c = &self->x;

	if (c->topo.nr_online < 2)
		SKIP(return, "needs two online CPUs");
	EXPECT_TRUE(fwact_attr_is("test-all", "rendezvous_context", "stopper"));
	rv_region_run(_metadata, c, "test-all", 0);
}

TEST_F(rv, interrupt_context_takes_a_cpu_wherever_interrupts_are_on)
{
	struct rv_ctx *c = &self->x;

	if (c->topo.nr_online < 2)
		SKIP(return, "needs two online CPUs");
	EXPECT_TRUE(fwact_attr_is("test-irq-all", "rendezvous_context",
				  "interrupt"));
	rv_region_run(_metadata, c, "test-irq-all", 1);
}

TEST_F(rv, stopper_gather_times_out_on_a_cpu_that_never_schedules)
{
	struct rv_ctx *c = &self->x;
	unsigned long long t0, took;
	long long calls;

	if (c->topo.nr_online < 2)
		SKIP(return, "needs two online CPUs");
	c->comp = "test-all";
	calls = fwact_knob_ll(c->comp, "calls");
	ASSERT_EQ(0, fwact_attr_write(c->comp, "max_blackout_us", "300000"));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "delay_cpu", c->topo.last));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "delay_us", 3000000));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "delay_irqs_on", 1));
	t0 = rv_now_ns();
	EXPECT_EQ(-ETIMEDOUT, rv_activate_once(c->comp));
	took = rv_now_ns() - t0;
	EXPECT_EQ(-1, rv_last(c->comp, "failed_step"));
	EXPECT_EQ(c->topo.last, rv_last(c->comp, "failed_cpu"));
	EXPECT_EQ(calls, fwact_knob_ll(c->comp, "calls"));
	EXPECT_EQ(1, fwact_knob_ll(c->comp, "version"));
	/* The budget, not the region, ended the wait (finish reaps the thread). */
	TH_LOG("activation took %llu ms", took / 1000000);
	EXPECT_LT(rv_last(c->comp, "blackout_ns"), 2000000000LL);
}

static int rv_clocksource(char *buf, size_t size)
{
	int ret = fwact_path_read(RV_CLOCKSOURCE "/current_clocksource", buf,
				  size);

	if (!ret)
		buf[strcspn(buf, "\n")] = '\0';
	return ret;
}

/*
 * With every CPU's interrupts off nobody updates the timekeeper; a clock
 * that depends on it (ktime_get_mono_fast_ns() over the 24-bit ACPI PM
 * timer wraps after 4.7 s) would never let an 8 s budget run out. The CPU
 * that never arrives spins 10 s with interrupts off: the run must give up
 * before it comes.
 */
TEST_F_TIMEOUT(rv, budget_expires_with_the_acpi_pm_clocksource, 120)
{
	struct rv_ctx *c = &self->x;
	char saved[64];
	long long calls;
	int ret;

	if (c->topo.nr_online < 2)
		SKIP(return, "needs two online CPUs");
	if (!fwact_path_contains(RV_CLOCKSOURCE "/available_clocksource",
				 "acpi_pm"))
		SKIP(return, "no acpi_pm clocksource");
	ASSERT_EQ(0, rv_clocksource(saved, sizeof(saved)));
	ASSERT_EQ(0, fwact_path_write(RV_CLOCKSOURCE "/current_clocksource",
				      "acpi_pm", 7));
	c->comp = "test-irq-all";
	calls = fwact_knob_ll(c->comp, "calls");
	ASSERT_EQ(0, fwact_attr_write(c->comp, "max_blackout_us", "8000000"));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "delay_cpu", c->topo.last));
	ASSERT_EQ(0, fwact_knob_set(c->comp, "delay_us", 10000000));
	ret = rv_activate_once(c->comp);
	fwact_path_write(RV_CLOCKSOURCE "/current_clocksource", saved,
			 strlen(saved));
	EXPECT_EQ(-ETIMEDOUT, ret);
	EXPECT_EQ(-1, rv_last(c->comp, "failed_step"));
	EXPECT_EQ(c->topo.last, rv_last(c->comp, "failed_cpu"));
	EXPECT_EQ(calls, fwact_knob_ll(c->comp, "calls"));
	EXPECT_EQ(1, fwact_knob_ll(c->comp, "version"));
}

TEST_F(rv, max_blackout_us_stays_below_the_rcu_stall_timeout)
{
	char saved[32];

	if (fwact_path_read(RV_RCU_STALL, saved, sizeof(saved)))
		SKIP(return, "no " RV_RCU_STALL);
	saved[strcspn(saved, "\n")] = '\0';
	ASSERT_EQ(0, fwact_path_write(RV_RCU_STALL, "3", 1));
	/*
	 * Half of what RCU waits now: 3 s, plus 5 s on a kernel with
	 * CONFIG_PROVE_RCU (RCU_STALL_DELAY_DELTA): 1.5 or 4 s.
	 */
	EXPECT_EQ(-EINVAL, fwact_attr_write("test-one", "max_blackout_us",
					    "4500000"));
	EXPECT_EQ(0, fwact_attr_write("test-one", "max_blackout_us",
				      "1400000"));
	EXPECT_TRUE(fwact_attr_is("test-one", "max_blackout_us", "1400000"));
	ASSERT_EQ(0, fwact_path_write(RV_RCU_STALL, saved, strlen(saved)));
	EXPECT_EQ(0, fwact_attr_write("test-one", "max_blackout_us",
				      RV_BUDGET_MAX));
}

struct rv_activator {
	const char *comp;
	int ret;
	unsigned long long done_ns;
};

static void *rv_activator_fn(void *arg)
{
	struct rv_activator *a = arg;

	a->ret = rv_activate(a->comp);
	a->done_ns = rv_now_ns();
	return NULL;
}

/*
 * CPU hotplug is held from prepare to finish: a CPU taken offline while
 * the backend prepares waits for the activation, which holds every CPU it
 * planned for.
 */
TEST_F_TIMEOUT(rv, a_cpu_offlined_during_prepare_waits_for_the_activation, 120)
{
	struct rv_ctx *c = &self->x;
	struct rv_activator a = { .comp = "test-all" };
	unsigned long long offlined_ns;
	char online[PATH_MAX];
	pthread_t thread;
	int cpu = c->topo.last;

	if (c->topo.nr_online < 2 || cpu == 0)
		SKIP(return, "needs a second CPU that can go offline");
	snprintf(online, sizeof(online), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	if (access(online, W_OK))
		SKIP(return, "CPU %d cannot be taken offline", cpu);
	ASSERT_EQ(0, fwact_knob_set(a.comp, "prepare_ms", 1000));
	ASSERT_EQ(0, pthread_create(&thread, NULL, rv_activator_fn, &a));
	usleep(300000);
	EXPECT_EQ(0, fwact_path_write(online, "0", 1));
	offlined_ns = rv_now_ns();
	pthread_join(thread, NULL);
	EXPECT_EQ(0, a.ret);
	EXPECT_EQ(c->topo.nr_online, rv_last(a.comp, "cpus"));
	EXPECT_GE(offlined_ns, a.done_ns);
	EXPECT_EQ(0, fwact_path_write(online, "1", 1));
}

TEST_F(rv, no_forced_rendezvous_runs_in_process_context)
{
	struct rv_ctx *c = &self->x;
	int n;

	c->comp = "test-one";
	ASSERT_EQ(0, fwact_knob_set(c->comp, "rendezvous_required", 0));
	ASSERT_EQ(0, fwact_attr_write(c->comp, "force_cpu_rendezvous", "0"));
	EXPECT_TRUE(fwact_attr_is(c->comp, "rendezvous_mode", "none"));
	ASSERT_EQ(0, rv_activate(c->comp));
	EXPECT_EQ(0, rv_last(c->comp, "result"));
	EXPECT_TRUE(rv_last_mode_is(c->comp, "none"));
	EXPECT_EQ(0, rv_last(c->comp, "cpus"));
	n = fwact_record_read(c->comp, c->rec, RV_MAX_RECS);
	ASSERT_EQ(1, n);
	EXPECT_EQ((unsigned int)c->topo.first, c->rec[0].cpu);
}

TEST_F(rv, required_rendezvous_ignores_force_off)
{
	struct rv_ctx *c = &self->x;
	int n;

	c->comp = "test-one";
	ASSERT_EQ(0, fwact_knob_set(c->comp, "rendezvous_required", 1));
	fwact_attr_write(c->comp, "force_cpu_rendezvous", "0");
	EXPECT_TRUE(fwact_attr_is(c->comp, "rendezvous_mode", "one"));
	ASSERT_EQ(0, rv_activate(c->comp));
	rv_check_held_ok(_metadata, c, "one");
	n = fwact_record_read(c->comp, c->rec, RV_MAX_RECS);
	EXPECT_EQ(1, n);
}

TEST_F(rv, none_program_never_holds_cpus)
{
	struct rv_ctx *c = &self->x;

	c->comp = "test-none";
	ASSERT_EQ(0, rv_activate(c->comp));
	EXPECT_TRUE(rv_last_mode_is(c->comp, "none"));
	EXPECT_EQ(0, rv_last(c->comp, "cpus"));
	EXPECT_EQ(1, fwact_record_read(c->comp, c->rec, RV_MAX_RECS));
}

/* tracefs with the fwact events, mounted if it was not; 0 if usable. */
static int rv_tracefs_ready(void)
{
	if (!access(RV_TRACEFS "/events/fwact/enable", W_OK))
		return 0;
	mount("tracefs", RV_TRACEFS, "tracefs", 0, NULL);
	return access(RV_TRACEFS "/events/fwact/enable", W_OK) ? -1 : 0;
}

static int rv_trace_clear(void)
{
	int fd = open(RV_TRACEFS "/trace", O_WRONLY | O_TRUNC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

TEST_F(rv, tracepoints_report_each_run)
{
	struct rv_ctx *c = &self->x;
	char want[128], *text;

	if (rv_tracefs_ready())
		SKIP(return, "no tracefs with fwact events");
	c->comp = "test-one";
	ASSERT_EQ(0, rv_trace_clear());
	ASSERT_EQ(0, fwact_path_write(RV_TRACEFS "/events/fwact/enable", "1",
				      1));
	EXPECT_EQ(0, rv_activate(c->comp));
	ASSERT_EQ(0, fwact_path_write(RV_TRACEFS "/events/fwact/enable", "0",
				      1));
	text = fwact_path_slurp(RV_TRACEFS "/trace", NULL);
	ASSERT_NE(NULL, text);
	snprintf(want, sizeof(want), "fwact_rv_start: nr_steps=1 held=1 budget_ns=%s000",
		 RV_BUDGET_MAX);
	EXPECT_NE(NULL, strstr(text, want)) {
		TH_LOG("no \"%s\" in the trace", want);
	}
	snprintf(want, sizeof(want), "fwact_rv_end: result=0 cpus=%d ",
		 c->topo.nr_online);
	EXPECT_NE(NULL, strstr(text, want)) {
		TH_LOG("no \"%s\" in the trace", want);
	}
	EXPECT_NE(NULL, strstr(text, "failed_step=-1 failed_cpu=-1"));
	free(text);
	rv_trace_clear();
}

#define RV_LOOPS	1000

TEST_F_TIMEOUT(rv, thousand_activations_no_leak_no_drift, 1200)
{
	struct rv_ctx *c = &self->x;
	static unsigned long long blackout[RV_LOOPS];
	long long slab0, slab1, calls0, version0;
	unsigned long long early, late;
	int i, n, nr = c->topo.nr_online;

	c->comp = "test-all";
	/* One warm-up so that first-use allocations are not counted. */
	ASSERT_EQ(0, rv_activate(c->comp));
	slab0 = rv_meminfo_kb("Slab");
	calls0 = fwact_knob_ll(c->comp, "calls");
	version0 = fwact_knob_ll(c->comp, "version");
	for (i = 0; i < RV_LOOPS; i++) {
		ASSERT_EQ(0, rv_activate(c->comp)) {
			TH_LOG("activation %d failed", i);
		}
		blackout[i] = rv_last(c->comp, "blackout_ns");
		if (i % 97 == 0) {
			n = fwact_record_read(c->comp, c->rec,
					      RV_MAX_RECS);
			ASSERT_EQ(nr, n);
			rv_check_each_cpu_once(_metadata, c, n, 0);
		}
	}
	EXPECT_EQ(calls0 + (long long)RV_LOOPS * nr,
		  fwact_knob_ll(c->comp, "calls"));
	EXPECT_EQ(version0 + RV_LOOPS, fwact_knob_ll(c->comp, "version"));
	slab1 = rv_meminfo_kb("Slab");
	TH_LOG("Slab %lld kB -> %lld kB", slab0, slab1);
	if (rv_kernel_has_kasan())
		TH_LOG("KASAN kernel: slab growth not checked, kmemleak is");
	else
		EXPECT_LT(slab1 - slab0, 4096);

	/*
	 * Under TCG the host deschedules vCPUs at will, so single blackouts
	 * and even medians swing by milliseconds; the shortest blackout of
	 * each half of the loop is what the engine itself costs, and that
	 * must not grow.
	 */
	early = rv_median(blackout, RV_LOOPS / 2);
	late = rv_median(blackout + RV_LOOPS / 2, RV_LOOPS / 2);
	TH_LOG("blackout median: first half %llu ns, second half %llu ns",
	       early, late);
	/* rv_median() left each half sorted: [0] is its minimum. */
	early = blackout[0];
	late = blackout[RV_LOOPS / 2];
	TH_LOG("blackout min: first half %llu ns, second half %llu ns",
	       early, late);
	EXPECT_LT(late, 2 * early + 2000000ULL);
}

TEST_HARNESS_MAIN
