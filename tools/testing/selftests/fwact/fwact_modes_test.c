// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of where the fwact core runs a backend's action in each
 * rendezvous mode, driven against the emulated components of
 * fwact_testmod.ko and read back from their ``record`` of every call:
 * without a rendezvous no CPU is held, "all" runs every online CPU once,
 * "serial" one CPU after the other, "per_core" the first thread of each
 * core, "steps" each step on its CPUs with a barrier in between. Each test
 * checks one behaviour and is named after it; the fixture brings every
 * test component back to idle with default knobs.
 *
 * Skips (exit 4) when the core or the test module is not loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "fwact_util.h"

#define ONE	"test-one"
#define NONE	"test-none"

#define MAX_RECS	(4 * 256)

#include "fwact_core_fixture.h"

/* Stage version 2 on @comp, activate it, and read back its record. */
static int activate_and_record(const char *comp, struct fwact_rec *rec,
			       int max)
{
	int ret = fwact_stage_version(comp, 2, 100);

	if (ret)
		return ret;
	ret = fwact_attr_write(comp, "activate", "1");
	if (ret)
		return ret;
	if (!fwact_attr_is(comp, "current_version", "2"))
		return -EPROTO;
	return fwact_record_read(comp, rec, max);
}

/* The lowest-numbered online SMT sibling of @cpu (@cpu if none). */
static int first_sibling(int cpu, const bool *online)
{
	char path[PATH_MAX], buf[256], *p;
	int first = cpu;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/cpu/cpu%d/topology/thread_siblings_list",
		 cpu);
	if (fwact_path_read(path, buf, sizeof(buf)))
		return cpu;
	for (p = strtok(buf, ",-"); p; p = strtok(NULL, ",-")) {
		int sib = atoi(p);

		if (sib < first && sib < FWACT_MAX_CPUS && online[sib])
			first = sib;
	}
	return first;
}

TEST_F(fwact, activation_without_rendezvous_holds_no_cpu)
{
	ASSERT_EQ(0, fwact_attr_write(ONE, "force_cpu_rendezvous", "0"));
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "2"));
	ASSERT_TRUE(fwact_attr_is(ONE, "last_activation/mode", "none"));
	ASSERT_EQ(0, fwact_attr_ll(ONE, "last_activation/cpus"));
	ASSERT_GT(fwact_attr_ll(ONE, "last_activation/blackout_ns"), 0);
}

TEST_F(fwact, mode_none_activation_runs_once_without_holding_cpus)
{
	long long calls = fwact_knob_ll(NONE, "calls");

	ASSERT_EQ(0, fwact_stage_version(NONE, 2, 100));
	ASSERT_EQ(0, fwact_attr_write(NONE, "activate", "1"));
	ASSERT_TRUE(fwact_attr_is(NONE, "state", "activated"));
	ASSERT_TRUE(fwact_attr_is(NONE, "current_version", "2"));
	ASSERT_TRUE(fwact_attr_is(NONE, "last_activation/mode", "none"));
	ASSERT_EQ(0, fwact_attr_ll(NONE, "last_activation/cpus"));
	ASSERT_GT(fwact_attr_ll(NONE, "last_activation/blackout_ns"), 0);
	ASSERT_EQ(calls + 1, fwact_knob_ll(NONE, "calls"));
}

TEST_F(fwact, all_mode_runs_every_online_cpu_once)
{
	static struct fwact_rec rec[MAX_RECS];
	static bool online[FWACT_MAX_CPUS], seen[FWACT_MAX_CPUS];
	int i, n;

	fwact_cpus_online(online, FWACT_MAX_CPUS);
	n = activate_and_record("test-all", rec, MAX_RECS);
	ASSERT_EQ(self->online, n);
	ASSERT_EQ(self->online, fwact_attr_ll("test-all", "last_activation/cpus"));
	for (i = 0; i < n; i++) {
		ASSERT_TRUE(online[rec[i].cpu]);
		ASSERT_FALSE(seen[rec[i].cpu]) TH_LOG("CPU %u twice", rec[i].cpu);
		seen[rec[i].cpu] = true;
	}
}

TEST_F(fwact, serial_mode_runs_cpus_in_order_one_at_a_time)
{
	static struct fwact_rec rec[MAX_RECS];
	int i, n;

	ASSERT_EQ(0, fwact_knob_set("test-serial", "slow_us", 1000));
	n = activate_and_record("test-serial", rec, MAX_RECS);
	ASSERT_EQ(self->online, n);
	for (i = 1; i < n; i++) {
		EXPECT_LT(rec[i - 1].cpu, rec[i].cpu);
		EXPECT_LE(rec[i - 1].end_ns, rec[i].start_ns)
			TH_LOG("CPU %u started before CPU %u ended", rec[i].cpu,
			       rec[i - 1].cpu);
	}
}

TEST_F(fwact, per_core_mode_runs_the_first_thread_of_each_core)
{
	static struct fwact_rec rec[MAX_RECS];
	static bool online[FWACT_MAX_CPUS], want[FWACT_MAX_CPUS];
	int cpu, i, n, cores = 0;

	fwact_cpus_online(online, FWACT_MAX_CPUS);
	for (cpu = 0; cpu < FWACT_MAX_CPUS; cpu++) {
		if (online[cpu] && first_sibling(cpu, online) == cpu) {
			want[cpu] = true;
			cores++;
		}
	}
	n = activate_and_record("test-per-core", rec, MAX_RECS);
	ASSERT_EQ(cores, n);
	for (i = 0; i < n; i++) {
		ASSERT_TRUE(want[rec[i].cpu])
			TH_LOG("CPU %u is not the first thread of its core",
			       rec[i].cpu);
		want[rec[i].cpu] = false;
	}
	ASSERT_EQ(self->online,
		  fwact_attr_ll("test-per-core", "last_activation/cpus"));
}

TEST_F(fwact, steps_run_in_order_with_a_barrier_between_them)
{
	static const int modes_calls[] = { 1, -1, -1, 1 };	/* -1: online */
	static struct fwact_rec rec[MAX_RECS];
	unsigned long long end[4] = { 0 }, start[4];
	int calls[4] = { 0 };
	int i, n;

	for (i = 0; i < 4; i++)
		start[i] = ~0ULL;
	n = activate_and_record("test-steps", rec, MAX_RECS);
	ASSERT_EQ(2 + 2 * self->online, n);
	for (i = 0; i < n; i++) {
		unsigned int s = rec[i].step;

		ASSERT_LT(s, 4);
		calls[s]++;
		if (rec[i].start_ns < start[s])
			start[s] = rec[i].start_ns;
		if (rec[i].end_ns > end[s])
			end[s] = rec[i].end_ns;
	}
	for (i = 0; i < 4; i++)
		EXPECT_EQ(modes_calls[i] < 0 ? self->online : modes_calls[i],
			  calls[i]) TH_LOG("step %d", i);
	for (i = 1; i < 4; i++)
		EXPECT_LE(end[i - 1], start[i])
			TH_LOG("step %d started before step %d ended", i, i - 1);
	ASSERT_TRUE(fwact_attr_is("test-steps", "last_activation/mode",
				  "steps"));
}

/* Before the harness starts: skip the whole program without the module. */
static void __attribute__((constructor)) require_testmod(void)
{
	fwact_require_testmod();
}

TEST_HARNESS_MAIN
