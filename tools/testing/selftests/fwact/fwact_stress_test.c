// SPDX-License-Identifier: GPL-2.0
/*
 * Bounded stress of the fwact core against the components of
 * fwact_testmod.ko: for $FWACT_STRESS_SECONDS (30 by default) at once
 *
 *   - one activator per test component,
 *   - two stagers (new images by bytes, now and then by file name),
 *   - a canceller,
 *   - two journal readers, which check every snapshot they read,
 *   - a thread that unloads and reloads fwact_testmod (every component
 *     goes away and comes back), and
 *   - a thread that takes each CPU but CPU 0 offline and back online.
 *
 * Every thread stops at the deadline; every operation it makes is bounded
 * by the kernel (an activation by its budget). Then the accounting must be
 * exact: every activation write that returned to user space with a result
 * the core records is in the journal exactly once, with that result and
 * that component; none that the core refuses before it starts (ENODATA,
 * EOPNOTSUPP, a component gone) is; no sequence number is missing. The
 * journal keeps only the last 64 records, so the activators stop while 40
 * activations have not yet been seen by the collecting reader, which
 * takes every record with a sequence number past the last one it took.
 * EBUSY and ENODEV are returned both before an activation starts and by
 * the rendezvous engine (a cross-call still pending, no stopper threads),
 * so for them the journal may hold fewer records than writes, and none
 * for a stopper-context component. Finally every component must stage and
 * activate again. Kernel reports (KASAN, lockdep, kmemleak) fail the guest
 * run.
 *
 * Skips (exit 4) when the core or the test module is not loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "fwact_util.h"

#define BASE_VERSION		1
#define BUDGET_US_STR		"10000000"
#define FW_GOOD			"fwact-testmod-v2.bin"
#define DEFAULT_SECONDS		30
/* Activations the collector may not have seen yet, of the journal's 64. */
#define UNSEEN_MAX		40
#define NR_COMPS		ARRAY_SIZE(fwact_test_comps)
#define MAX_ERRNO_SEEN		1024
#define NR_STAGERS		2
#define NR_READERS		2

struct stress {
	long long deadline_ns;
	bool testmod_ko;
	/* Staged versions only grow: each one is newer than any running. */
	atomic_uint next_version;
	/* Activation writes made since the collector last read the journal. */
	atomic_int unseen;
	atomic_bool stop;

	pthread_mutex_t lock;	/* what follows */
	/* Activation writes by component and -result, as user space saw them. */
	unsigned int writes[NR_COMPS][MAX_ERRNO_SEEN];
	/* Journal records by component and -result, as the collector saw them. */
	unsigned int records[NR_COMPS][MAX_ERRNO_SEEN];
	unsigned long long first_seq, last_seq;
	unsigned int lost, foreign, bad_snapshots, read_errors;
	unsigned int module_cycles, module_busy, hotplug_cycles;
	unsigned int stages_ok, cancels_ok;
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static bool running(struct stress *s)
{
	return !atomic_load(&s->stop) && now_ns() < s->deadline_ns;
}

static int errno_slot(int ret)
{
	int e = -ret;

	return e >= 0 && e < MAX_ERRNO_SEEN ? e : MAX_ERRNO_SEEN - 1;
}

static int comp_index(const char *name)
{
	unsigned int i;

	for (i = 0; i < NR_COMPS; i++)
		if (!strcmp(name, fwact_test_comps[i]))
			return i;
	return -1;
}

/*
 * Take every record past the last one taken. A gap between the last one
 * taken and the oldest new one is a record lost. Returns false if the
 * snapshot could not be read or is not contiguous.
 */
static bool journal_collect(struct stress *s, bool collect)
{
	static __thread struct fwact_jline lines[65];
	int unseen = atomic_load(&s->unseen);
	int n, i;
	bool ok = true;

	n = fwact_journal_parse(lines, 65);
	if (n < 0 || n > 64) {
		pthread_mutex_lock(&s->lock);
		s->read_errors++;
		pthread_mutex_unlock(&s->lock);
		return false;
	}
	for (i = 1; i < n; i++)
		if (lines[i].seq != lines[i - 1].seq + 1)
			ok = false;
	pthread_mutex_lock(&s->lock);
	if (!ok)
		s->bad_snapshots++;
	for (i = 0; collect && ok && i < n; i++) {
		const struct fwact_jline *j = &lines[i];
		int c;

		if (j->seq <= s->last_seq)
			continue;
		if (j->seq != s->last_seq + 1)
			s->lost += j->seq - s->last_seq - 1;
		s->last_seq = j->seq;
		c = comp_index(j->comp);
		if (c < 0)
			s->foreign++;
		else
			s->records[c][errno_slot(j->result)]++;
	}
	pthread_mutex_unlock(&s->lock);
	if (collect && ok)
		atomic_fetch_sub(&s->unseen, unseen);
	return ok;
}

/* Reader 0 collects; the others only check what they read. */
struct reader {
	struct stress *s;
	bool collect;
};

static void *reader_run(void *arg)
{
	struct reader *r = arg;

	while (running(r->s)) {
		journal_collect(r->s, r->collect);
		usleep(r->collect ? 5000 : 20000);
	}
	return NULL;
}

struct activator {
	struct stress *s;
	unsigned int comp;
};

/*
 * One activation write, accounted for; its result, or -ETIME if it is
 * time to stop.
 */
static int activate_once(struct stress *s, unsigned int c)
{
	int ret;

	while (atomic_load(&s->unseen) >= UNSEEN_MAX) {
		if (!running(s))
			return -ETIME;
		usleep(1000);
	}
	atomic_fetch_add(&s->unseen, 1);
	ret = fwact_attr_write(fwact_test_comps[c], "activate", "1");
	pthread_mutex_lock(&s->lock);
	s->writes[c][errno_slot(ret)]++;
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static void *activator_run(void *arg)
{
	struct activator *a = arg;
	unsigned int seed = a->comp;

	while (running(a->s)) {
		if (activate_once(a->s, a->comp) == -ETIME)
			break;
		usleep(2000 + rand_r(&seed) % 8000);
	}
	return NULL;
}

static void *stager_run(void *arg)
{
	struct stress *s = arg;
	unsigned int seed = (unsigned int)(uintptr_t)&seed;

	while (running(s)) {
		const char *comp = fwact_test_comps[rand_r(&seed) % NR_COMPS];
		int ret;

		/* By name now and then: a rollback, refused with a log line. */
		if (rand_r(&seed) % 32)
			ret = fwact_stage_version(comp,
						  atomic_fetch_add(&s->next_version, 1),
						  64 + rand_r(&seed) % 8192);
		else
			ret = fwact_attr_write(comp, "stage_firmware", FW_GOOD);
		if (!ret) {
			pthread_mutex_lock(&s->lock);
			s->stages_ok++;
			pthread_mutex_unlock(&s->lock);
		}
		usleep(2000 + rand_r(&seed) % 8000);
	}
	return NULL;
}

static void *canceller_run(void *arg)
{
	struct stress *s = arg;
	unsigned int seed = 7;

	while (running(s)) {
		const char *comp = fwact_test_comps[rand_r(&seed) % NR_COMPS];

		if (!fwact_attr_write(comp, "cancel", "1")) {
			pthread_mutex_lock(&s->lock);
			s->cancels_ok++;
			pthread_mutex_unlock(&s->lock);
		}
		usleep(5000 + rand_r(&seed) % 20000);
	}
	return NULL;
}

static int testmod_load_ready(void)
{
	int ret = fwact_testmod_load();

	if (ret && ret != -EEXIST)
		return ret;
	fwact_debugfs_mount();
	return 0;
}

/* Unload and reload the test backend every few seconds. */
static void *module_run(void *arg)
{
	struct stress *s = arg;

	while (running(s)) {
		int ret;

		usleep(2000000);
		if (!running(s))
			break;
		ret = fwact_testmod_unload();
		if (ret) {
			pthread_mutex_lock(&s->lock);
			s->module_busy++;
			pthread_mutex_unlock(&s->lock);
			continue;
		}
		usleep(100000);
		if (testmod_load_ready())
			break;
		pthread_mutex_lock(&s->lock);
		s->module_cycles++;
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

static int cpu_online_set(int cpu, bool on)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	return fwact_path_write(path, on ? "1" : "0", 1);
}

static bool cpu_hotpluggable(int cpu)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	return !access(path, W_OK);
}

/* Take each CPU but CPU 0 offline and back, in turn. */
static void *hotplug_run(void *arg)
{
	static bool online[FWACT_MAX_CPUS];
	static int cpus[FWACT_MAX_CPUS];
	struct stress *s = arg;
	int cpu, nr = 0, k = 0;

	fwact_cpus_online(online, FWACT_MAX_CPUS);
	for (cpu = 1; cpu < FWACT_MAX_CPUS; cpu++)
		if (online[cpu] && cpu_hotpluggable(cpu))
			cpus[nr++] = cpu;
	while (nr && running(s)) {
		cpu = cpus[k++ % nr];
		if (!cpu_online_set(cpu, false)) {
			usleep(300000);
			cpu_online_set(cpu, true);
			pthread_mutex_lock(&s->lock);
			s->hotplug_cycles++;
			pthread_mutex_unlock(&s->lock);
		}
		usleep(500000);
	}
	return NULL;
}

static int stress_seconds(void)
{
	const char *env = getenv("FWACT_STRESS_SECONDS");
	int secs = env ? atoi(env) : 0;

	return secs > 0 ? secs : DEFAULT_SECONDS;
}

static void all_cpus_online(void)
{
	int cpu;

	for (cpu = 1; cpu < FWACT_MAX_CPUS; cpu++)
		if (cpu_hotpluggable(cpu))
			cpu_online_set(cpu, true);
}

FIXTURE(stress) {
	struct stress *s;
};

FIXTURE_SETUP(stress)
{
	unsigned int i;

	if (!fwact_testmod_loaded())
		SKIP(longjmp(_metadata->env, 1),
		     "fwact or fwact_testmod not loaded (or debugfs not mounted)");
	for (i = 0; i < NR_COMPS; i++) {
		const char *comp = fwact_test_comps[i];

		ASSERT_EQ(0, fwact_comp_reset(comp, BASE_VERSION, BUDGET_US_STR))
			TH_LOG("cannot reset %s", comp);
	}
	self->s = calloc(1, sizeof(*self->s));
	ASSERT_NE(NULL, self->s);
	pthread_mutex_init(&self->s->lock, NULL);
}

FIXTURE_TEARDOWN(stress)
{
	unsigned int i;

	all_cpus_online();
	if (!fwact_testmod_loaded())
		testmod_load_ready();
	for (i = 0; i < NR_COMPS; i++)
		fwact_knob_write(fwact_test_comps[i], "reset", "1");
	free(self->s);
}

TEST_F_TIMEOUT(stress, everything_at_once_then_exact_accounting,
	       DEFAULT_SECONDS + 150)
{
	struct stress *s = self->s;
	struct reader readers[NR_READERS];
	static struct fwact_jline lines[65];
	struct activator act[NR_COMPS];
	pthread_t t_act[NR_COMPS], t_stage[NR_STAGERS], t_read[NR_READERS];
	pthread_t t_cancel, t_module, t_hotplug;
	unsigned int i, e, total_writes = 0, total_ok = 0;
	int secs = stress_seconds(), n;

	s->testmod_ko = !access(fwact_testmod_ko(), R_OK);
	atomic_store(&s->next_version, BASE_VERSION + 1);
	n = fwact_journal_parse(lines, 65);
	ASSERT_LE(0, n);
	s->first_seq = n ? lines[n - 1].seq : 0;
	s->last_seq = s->first_seq;
	TH_LOG("%d s of stress (FWACT_STRESS_SECONDS), %zu components, %s %s, %d CPUs online",
	       secs, NR_COMPS, "module reload",
	       s->testmod_ko ? "on" : "off (no module file)", fwact_nr_online());
	s->deadline_ns = now_ns() + secs * 1000000000LL;

	for (i = 0; i < NR_READERS; i++) {
		readers[i] = (struct reader){ .s = s, .collect = i == 0 };
		ASSERT_EQ(0, pthread_create(&t_read[i], NULL, reader_run,
					    &readers[i]));
	}
	for (i = 0; i < NR_COMPS; i++) {
		act[i] = (struct activator){ .s = s, .comp = i };
		ASSERT_EQ(0, pthread_create(&t_act[i], NULL, activator_run,
					    &act[i]));
	}
	for (i = 0; i < NR_STAGERS; i++)
		ASSERT_EQ(0, pthread_create(&t_stage[i], NULL, stager_run, s));
	ASSERT_EQ(0, pthread_create(&t_cancel, NULL, canceller_run, s));
	ASSERT_EQ(0, pthread_create(&t_hotplug, NULL, hotplug_run, s));
	if (s->testmod_ko)
		ASSERT_EQ(0, pthread_create(&t_module, NULL, module_run, s));

	for (i = 0; i < NR_COMPS; i++)
		pthread_join(t_act[i], NULL);
	for (i = 0; i < NR_STAGERS; i++)
		pthread_join(t_stage[i], NULL);
	pthread_join(t_cancel, NULL);
	pthread_join(t_hotplug, NULL);
	if (s->testmod_ko)
		pthread_join(t_module, NULL);
	for (i = 0; i < NR_READERS; i++)
		pthread_join(t_read[i], NULL);

	/*
	 * Nothing is in flight now. The collector's last pass may have come
	 * before the last activations (on a loaded host, a long time before
	 * them), leaving up to UNSEEN_MAX of them unseen: take them, or the
	 * activations below would wait for a reader that has stopped.
	 */
	ASSERT_TRUE(journal_collect(s, true));
	ASSERT_EQ(0, atomic_load(&s->unseen));

	/* Everything back, and every component usable. */
	all_cpus_online();
	ASSERT_EQ(0, testmod_load_ready());
	ASSERT_TRUE(fwact_testmod_loaded());
	s->deadline_ns = now_ns() + 600 * 1000000000LL;
	for (i = 0; i < NR_COMPS; i++) {
		const char *comp = fwact_test_comps[i];
		unsigned int v = atomic_fetch_add(&s->next_version, 1);

		ASSERT_EQ(0, fwact_comp_reset(comp, BASE_VERSION, BUDGET_US_STR))
			TH_LOG("%s: cannot reset after the stress", comp);
		ASSERT_EQ(0, fwact_stage_version(comp, v, 100)) TH_LOG("%s", comp);
		ASSERT_EQ(0, activate_once(s, i)) TH_LOG("%s", comp);
		ASSERT_TRUE(fwact_attr_is(comp, "state", "activated"));
		ASSERT_EQ((long long)v, fwact_attr_ll(comp, "current_version"));
		ASSERT_TRUE(journal_collect(s, true));
	}

	TH_LOG("journal: seq %llu to %llu, %u lost, %u foreign, %u torn, %u unreadable",
	       s->first_seq, s->last_seq, s->lost, s->foreign,
	       s->bad_snapshots, s->read_errors);
	TH_LOG("%u stages, %u cancels, %u module reloads (%u busy), %u CPU offline/online",
	       s->stages_ok, s->cancels_ok, s->module_cycles, s->module_busy,
	       s->hotplug_cycles);
	EXPECT_EQ(0, s->lost);
	EXPECT_EQ(0, s->foreign);
	EXPECT_EQ(0, s->bad_snapshots);
	EXPECT_EQ(0, s->read_errors);

	for (i = 0; i < NR_COMPS; i++) {
		const char *comp = fwact_test_comps[i];
		bool irq = !strncmp(comp, "test-irq-", 9);
		unsigned int comp_writes = 0, comp_records = 0;

		for (e = 0; e < MAX_ERRNO_SEEN; e++) {
			unsigned int w = s->writes[i][e], r = s->records[i][e];

			comp_writes += w;
			comp_records += r;
			if (!w && !r)
				continue;
			if (e == ENODATA || e == EOPNOTSUPP || e == ENOENT) {
				/* Refused before it started, or no component. */
				EXPECT_EQ(0, r)
					TH_LOG("%s: %u records of -%u", comp, r, e);
			} else if (e == ENODEV || (e == EBUSY && irq)) {
				/* Refused, or failed in the engine. */
				EXPECT_GE(w, r)
					TH_LOG("%s: -%u: %u writes, %u records",
					       comp, e, w, r);
			} else {
				/* EBUSY is a refusal in stopper context. */
				EXPECT_EQ(e == EBUSY ? 0 : w, r)
					TH_LOG("%s: -%u: %u writes, %u records",
					       comp, e, w, r);
			}
		}
		TH_LOG("%s: %u activation writes, %u succeeded, %u journal records",
		       comp, comp_writes, s->writes[i][0], comp_records);
		total_writes += comp_writes;
		total_ok += s->writes[i][0];
	}
	/* The stress did what it says. */
	EXPECT_LT(NR_COMPS, total_ok);
	EXPECT_LT(0, total_writes);
	EXPECT_LT(0, s->stages_ok);
	if (s->testmod_ko)
		EXPECT_LT(0, s->module_cycles);
	if (fwact_nr_online() > 1 && cpu_hotpluggable(1))
		EXPECT_LT(0, s->hotplug_cycles);
}

int main(int argc, char **argv)
{
	fwact_require_testmod();
	/* The harness's timeout follows the duration asked for. */
	_stress_everything_at_once_then_exact_accounting_object.timeout =
		stress_seconds() + 150;
	return test_harness_run(argc, argv);
}
