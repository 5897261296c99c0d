// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of the fwact rendezvous: how long do the other CPUs feel
 * stopped when a component is activated, compared with plain
 * stop_machine()? One probe thread pinned to every online CPU but the
 * caller's spins on clock_gettime(CLOCK_MONOTONIC) and keeps the longest
 * gap it saw; the caller (pinned to the lowest online CPU) clears the
 * probes, holds the CPUs once with a method, waits for the probes to run
 * again and takes the longest gap any of them felt. Methods: each test
 * backend component (no-op actions) activated through sysfs, the fwact
 * benchmark module's stop_machine / stop_machine_all / on_each_cpu, and an
 * idle baseline that holds nothing. Then the same for a 1 KiB and a 1 MiB
 * image. It prints a table of medians and 99th percentiles and always
 * exits 0: it measures, it does not judge (exit 4 if the modules are not
 * loaded).
 *
 *	fwact_rv_bench [-n activations]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../fwact_util.h"

#define BENCH_MOD	"/sys/kernel/debug/fwact_benchmod"
#define BENCH_SETTLE_US	2000

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* Padded so that no two probes' counters share a cache line. */
struct probe {
	pthread_t thread;
	int cpu;
	atomic_ullong max_gap;
	atomic_int running;
	char pad[64 - sizeof(pthread_t) - 2 * sizeof(int) -
		 sizeof(unsigned long long)];
};

struct method {
	const char *name;	/* row label */
	const char *comp;	/* fwact component, or NULL */
	const char *mod;	/* benchmark module method, or NULL */
	size_t payload;		/* image payload for components */
};

struct sample {
	uint64_t felt;		/* longest gap any probe felt */
	uint64_t kernel;	/* blackout_ns, or the module's caller time */
};

static struct probe probes[FWACT_MAX_CPUS];
static int nr_probes;
static atomic_int stop_probes;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static void *probe_run(void *arg)
{
	struct probe *p = arg;
	unsigned long long prev, now, gap;

	if (pin(p->cpu))
		return NULL;
	atomic_store(&p->running, 1);
	prev = now_ns();
	while (!atomic_load_explicit(&stop_probes, memory_order_relaxed)) {
		now = now_ns();
		gap = now - prev;
		if (gap > atomic_load_explicit(&p->max_gap,
					       memory_order_relaxed))
			atomic_store_explicit(&p->max_gap, gap,
					      memory_order_relaxed);
		prev = now;
	}
	return NULL;
}

static void probes_clear(void)
{
	int i;

	for (i = 0; i < nr_probes; i++)
		atomic_store(&probes[i].max_gap, 0);
}

static uint64_t probes_worst(void)
{
	uint64_t worst = 0, g;
	int i;

	for (i = 0; i < nr_probes; i++) {
		g = atomic_load(&probes[i].max_gap);
		if (g > worst)
			worst = g;
	}
	return worst;
}

static int probes_start(int self)
{
	static bool online[FWACT_MAX_CPUS];
	int cpu, i;

	fwact_cpus_online(online, FWACT_MAX_CPUS);
	for (cpu = 0; cpu < FWACT_MAX_CPUS; cpu++) {
		if (!online[cpu] || cpu == self)
			continue;
		probes[nr_probes].cpu = cpu;
		if (pthread_create(&probes[nr_probes].thread, NULL, probe_run,
				   &probes[nr_probes]))
			return -1;
		nr_probes++;
	}
	for (i = 0; i < nr_probes; i++)
		while (!atomic_load(&probes[i].running))
			usleep(1000);
	return 0;
}

static void probes_stop(void)
{
	int i;

	atomic_store(&stop_probes, 1);
	for (i = 0; i < nr_probes; i++)
		pthread_join(probes[i].thread, NULL);
}

/* Get @comp ready: reset knobs, rendezvous on, nothing staged. */
static int comp_prepare(const char *comp)
{
	fwact_attr_write(comp, "cancel", "1");
	if (fwact_knob_write(comp, "reset", "1"))
		return -1;
	fwact_attr_write(comp, "force_cpu_rendezvous", "1");
	fwact_attr_write(comp, "max_blackout_us", "1000000");
	return 0;
}

/* Hold the CPUs once with @m; fill @s. */
static int hold_once(const struct method *m, struct sample *s)
{
	long long v;
	int ret = 0;

	if (m->comp) {
		v = fwact_knob_ll(m->comp, "version");
		ret = fwact_stage_version(m->comp, (uint32_t)v + 1,
					  m->payload);
		if (ret)
			return ret;
	}
	usleep(BENCH_SETTLE_US);
	probes_clear();
	if (m->comp)
		ret = fwact_attr_write(m->comp, "activate", "1");
	else if (m->mod)
		ret = fwact_path_write(BENCH_MOD "/run", m->mod,
				       strlen(m->mod));
	usleep(BENCH_SETTLE_US);
	s->felt = probes_worst();
	if (ret)
		return ret;
	if (m->comp)
		s->kernel = fwact_attr_ll(m->comp, "last_activation/blackout_ns");
	else if (m->mod)
		s->kernel = fwact_path_ll(BENCH_MOD "/last_ns");
	else
		s->kernel = 0;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Percentile @pct of @v (sorted in place). */
static uint64_t pctl(uint64_t *v, int n, int pct)
{
	int i = (n * pct + 99) / 100 - 1;

	qsort(v, n, sizeof(*v), cmp_u64);
	return v[i < 0 ? 0 : i];
}

struct result {
	const char *name;
	int ok;
	uint64_t felt_med, felt_p99, k_med, k_p99;
};

static int method_run(const struct method *m, int n, struct result *r)
{
	struct sample s;
	uint64_t *felt, *kern;
	int i, errors = 0, ret;

	memset(r, 0, sizeof(*r));
	r->name = m->name;
	felt = calloc(n, sizeof(*felt));
	kern = calloc(n, sizeof(*kern));
	if (!felt || !kern)
		return -ENOMEM;
	if (m->comp && comp_prepare(m->comp))
		return -ENOENT;
	/* One warm-up run, not counted. */
	hold_once(m, &s);
	for (i = 0; i < n; i++) {
		ret = hold_once(m, &s);
		if (ret) {
			if (++errors < 5)
				fprintf(stderr, "# %s: run %d failed: %s\n",
					m->name, i, strerror(-ret));
			continue;
		}
		felt[r->ok] = s.felt;
		kern[r->ok] = s.kernel;
		r->ok++;
	}
	if (r->ok) {
		r->felt_med = pctl(felt, r->ok, 50);
		r->felt_p99 = pctl(felt, r->ok, 99);
		r->k_med = pctl(kern, r->ok, 50);
		r->k_p99 = pctl(kern, r->ok, 99);
	}
	free(felt);
	free(kern);
	if (m->comp)
		comp_prepare(m->comp);
	return 0;
}

static void result_print(const struct result *r, const struct result *sm,
			 const struct result *sm_all)
{
	char ratio[16] = "-", ratio_all[16] = "-";

	if (sm && sm->ok && sm->felt_med)
		snprintf(ratio, sizeof(ratio), "%.2f",
			 (double)r->felt_med / sm->felt_med);
	if (sm_all && sm_all->ok && sm_all->felt_med)
		snprintf(ratio_all, sizeof(ratio_all), "%.2f",
			 (double)r->felt_med / sm_all->felt_med);
	printf("%-22s %5d %10.1f %10.1f %10.1f %10.1f %7s %7s\n", r->name,
	       r->ok, r->felt_med / 1e3, r->felt_p99 / 1e3, r->k_med / 1e3,
	       r->k_p99 / 1e3, ratio, ratio_all);
}

static void header_print(const char *what)
{
	printf("\n%s\n", what);
	printf("%-22s %5s %10s %10s %10s %10s %7s %7s\n", "method", "runs",
	       "felt_med", "felt_p99", "kern_med", "kern_p99", "/sm", "/sm_all");
	printf("%-22s %5s %10s %10s %10s %10s %7s %7s\n", "", "", "us", "us",
	       "us", "us", "", "");
}

int main(int argc, char **argv)
{
	static const struct method methods[] = {
		{ "idle (no hold)", NULL, NULL, 0 },
		{ "stop_machine", NULL, "stop_machine", 0 },
		{ "stop_machine_all", NULL, "stop_machine_all", 0 },
		{ "on_each_cpu(wait)", NULL, "on_each_cpu", 0 },
		{ "fwact one", "test-one", NULL, 1000 },
		{ "fwact all", "test-all", NULL, 1000 },
		{ "fwact per_core", "test-per-core", NULL, 1000 },
		{ "fwact serial", "test-serial", NULL, 1000 },
		{ "fwact steps(4)", "test-steps", NULL, 1000 },
	};
	static const struct method sizes[] = {
		{ "one, 1 KiB image", "test-one", NULL, 1024 - 24 },
		{ "one, 1 MiB image", "test-one", NULL,
		  FWACT_TESTMOD_MAX_IMAGE - 24 },
	};
	struct result res[ARRAY_SIZE(methods)];
	struct result sres[ARRAY_SIZE(sizes)];
	int n = 200, self, i, opt;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n') {
			fprintf(stderr, "usage: %s [-n runs]\n", argv[0]);
			return 2;
		}
		n = atoi(optarg);
	}
	if (n < 1)
		n = 1;
	if (access(FWACT_SYSFS "/test-one", F_OK) ||
	    access(BENCH_MOD "/run", W_OK)) {
		printf("# fwact_testmod or fwact_benchmod not loaded: no benchmark\n");
		return 4;
	}
	self = fwact_first_online();
	if (pin(self) || probes_start(self)) {
		printf("# cannot pin the caller or start the probes\n");
		return 4;
	}
	printf("# fwact rendezvous benchmark: %d online CPUs, %d probes, %d runs per method\n",
	       fwact_nr_online(), nr_probes, n);
	printf("# felt = longest clock_gettime() gap of a probe on another CPU per hold;\n");
	printf("# kern = fwact blackout_ns (first arrival to last release) or, for the\n");
	printf("# module baselines, the caller's elapsed time; /sm = felt_med ratio to\n");
	printf("# stop_machine (one CPU acts), /sm_all to stop_machine on all CPUs\n");

	for (i = 0; i < (int)ARRAY_SIZE(methods); i++)
		method_run(&methods[i], n, &res[i]);
	for (i = 0; i < (int)ARRAY_SIZE(sizes); i++)
		method_run(&sizes[i], n, &sres[i]);
	probes_stop();

	header_print("Stall felt per hold, no-op actions");
	for (i = 0; i < (int)ARRAY_SIZE(methods); i++)
		result_print(&res[i], &res[1], &res[2]);
	header_print("Stall felt versus staged image size (test-one)");
	for (i = 0; i < (int)ARRAY_SIZE(sizes); i++)
		result_print(&sres[i], &res[1], &res[2]);
	return 0;
}
