// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of the fwact rendezvous: how long do the other CPUs feel
 * stopped when a component is activated, compared with plain
 * stop_machine()? One probe thread pinned to every online CPU but the
 * caller's spins on clock_gettime(CLOCK_MONOTONIC) and keeps the longest
 * gap it saw; the caller (pinned to the lowest online CPU) clears the
 * probes, holds the CPUs once with a method (one write()), waits until
 * every probe has read the clock again after the write returned, and
 * takes the longest gap any of them felt: the stall felt during the
 * hold, including a gap that outlasts the call. Methods: each test
 * backend component (no-op actions) activated through sysfs, the same
 * programs run by the engine alone (fwact_benchmod's engine_*: no sysfs,
 * backend ops, uevents, log or journal around the hold), the fwact
 * benchmark module's stop_machine / stop_machine_all / on_each_cpu, the
 * four steps of a TDX module update the way Linux 7.2 runs them (one
 * stop_machine() with a shared acknowledgment counter:
 * stop_machine_steps), and an idle baseline: the same write() to the
 * module, holding nothing. Then test-one with a 1 KiB and a 1 MiB image,
 * and, in test builds with the emulated P-SEAMLDR, a whole TDX module
 * update of the tdx-module component (the same signed test image
 * reinstalled each run), beside its two peers, and, on arm64 with fwact's
 * emulated LFA agent in TF-A (fwact_lfa_ctl loaded), an LFA activation of
 * its TF-RMM image (PRIME, then ACTIVATE on every CPU in one rendezvous;
 * the agent is told of a new pending version before each run), beside the
 * way the upstream LFA driver does it: the same PRIME, then one
 * stop_machine() in which every CPU issues ACTIVATE (fwact_lfa_ctl's
 * activate_all). It prints a table of medians
 * and 99th percentiles and always exits 0: it measures, it does not judge
 * (exit 4 if the modules are not loaded).
 *
 * Each round runs the methods in a new random order (seeded by -s; -s 0
 * keeps the table's order): what a hold costs depends on the one before.
 *
 *	fwact_rv_bench [-n activations] [-s seed]
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
#include "../../lfa/lfa_test_smc.h"

#define BENCH_MOD	"/sys/kernel/debug/fwact_benchmod"
#define BENCH_LAST	BENCH_MOD "/last_ns"
#define BENCH_BLACKOUT	BENCH_MOD "/blackout_ns"
#define BENCH_SETTLE_US	2000
/* Longest the caller waits for a probe to run again after a hold. */
#define BENCH_PROBE_WAIT_NS	(2 * 1000000000ULL)
/* Index of the first image-size row in main()'s methods[]. */
#define BENCH_FIRST_SIZE	21
/* The TDX row: the emulated P-SEAMLDR's component. */
#define BENCH_FIRST_TDX		23
/*
 * The LFA rows, last: TF-RMM of the emulated LFA agent in TF-A activated
 * under stop_machine() as the upstream driver does, then by fwact.
 */
#define BENCH_FIRST_LFA		24
/* The rows the TDX one is compared with: the same four no-op steps. */
#define BENCH_ENGINE_STEPS	8
#define BENCH_SM_STEPS		9
#define BENCH_TDX_COMP		"tdx-module"
#define BENCH_TDX_EMU		"/sys/kernel/debug/fwact_tdx_emu"
#define BENCH_TDX_IMAGE		"/fwact/tests/tdx/firmware/tdx/good-v2.bin"
#define BENCH_LFA_COMP		"6c0762a6-12f2-4b56-92cb-ba8f633606d9"
#define BENCH_LFA_INDEX		0	/* TF-RMM in the agent's table */
#define BENCH_LFA_CTL		"/sys/kernel/debug/fwact_lfa_ctl"
#define BENCH_LFA_RESCAN	"/sys/kernel/debug/fwact/lfa/rescan"
/* Not a component: the stop_machine() way, through fwact_lfa_ctl. */
#define BENCH_LFA_SM		"lfa-stop-machine"
#define BENCH_LFA_PRIME		"0xc40002e4"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* Padded so that no two probes' counters share a cache line. */
struct probe {
	pthread_t thread;
	int cpu;
	atomic_ullong max_gap;
	atomic_ullong last;
	atomic_int running;
	char pad[64 - sizeof(pthread_t) - 2 * sizeof(int) -
		 2 * sizeof(unsigned long long)];
};

struct method {
	const char *name;	/* row label */
	const char *comp;	/* fwact component, or NULL */
	const char *mod;	/* benchmark module method, or NULL */
	size_t payload;		/* image payload for components */
	const char *kern;	/* the module's file with the kernel figure */
};

struct sample {
	uint64_t felt;		/* longest gap any probe felt */
	uint64_t kernel;	/* blackout_ns, or the module's caller time */
	uint64_t call;		/* the write() that held the CPUs, as timed here */
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
		atomic_store_explicit(&p->last, now, memory_order_relaxed);
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

/*
 * The longest gap any probe felt since probes_clear(), counting the one it
 * may still be in (a probe that did not run at all since then felt the
 * whole time).
 */
static uint64_t probes_worst(void)
{
	uint64_t worst = 0, g, last, now;
	int i;

	for (i = 0; i < nr_probes; i++) {
		g = atomic_load(&probes[i].max_gap);
		if (g > worst)
			worst = g;
		last = atomic_load(&probes[i].last);
		now = now_ns();
		if (now > last && now - last > worst)
			worst = now - last;
	}
	return worst;
}

/* Wait until every probe has read the clock at or after @t, or give up. */
static void probes_wait(uint64_t t)
{
	uint64_t limit = t + BENCH_PROBE_WAIT_NS;
	int i;

	for (i = 0; i < nr_probes; i++)
		while (atomic_load(&probes[i].last) < t && now_ns() < limit)
			;
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

static bool bench_is_lfa(const char *comp)
{
	return !strcmp(comp, BENCH_LFA_COMP) || !strcmp(comp, BENCH_LFA_SM);
}

/* The first word of a file as a number (hex with @hex); -1 if none. */
static long long first_number(const char *path, bool hex)
{
	char buf[256];

	if (fwact_path_read(path, buf, sizeof(buf)))
		return -1;
	return strtoll(buf, NULL, hex ? 16 : 0);
}

/*
 * The agent gets a new pending version 1.N of TF-RMM (the firmware stages
 * its own images). For the stop_machine() way, PRIME it here as well, as
 * fwact's prepare does before its rendezvous: both holds then hold the
 * CPUs for ACTIVATE alone.
 */
static int lfa_stage(bool prime)
{
	static unsigned int minor;
	char set[64];
	int n, ret;

	n = snprintf(set, sizeof(set), "%u %d 0x%llx", LFA_TEST_K_PENDING,
		     BENCH_LFA_INDEX, (1ULL << 32) | ++minor);
	ret = fwact_path_write(BENCH_LFA_CTL "/set", set, n);
	if (ret || !prime)
		return ret;
	n = snprintf(set, sizeof(set), "%s %d 0 0 0", BENCH_LFA_PRIME,
		     BENCH_LFA_INDEX);
	ret = fwact_path_write(BENCH_LFA_CTL "/raw", set, n);
	if (ret)
		return ret;
	return first_number(BENCH_LFA_CTL "/raw", true) ? -EIO : 0;
}

/* Every CPU's ACTIVATE under stop_machine() answered 0 (success). */
static int lfa_sm_answers_ok(void)
{
	unsigned int cpu;
	unsigned long long x0, x1;
	int n = 0, bad = 0;
	char line[128];
	FILE *f = fopen(BENCH_LFA_CTL "/activate_all", "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%u %llx %llx", &cpu, &x0, &x1) == 3) {
			n++;
			bad += x0 != 0;
		}
	fclose(f);
	return n == fwact_nr_online() && !bad ? 0 : -EIO;
}

/*
 * Get @comp ready: reset knobs, rendezvous on, nothing staged, and the
 * largest budget, since a TCG host may stop a vCPU for over a second and
 * a timed-out run would be lost from the numbers.
 */
static int comp_prepare(const char *comp)
{
	if (!strcmp(comp, BENCH_TDX_COMP)) {
		/* The emulated P-SEAMLDR, with updates enough for every run. */
		if (fwact_path_write(BENCH_TDX_EMU "/reset", "1", 1) ||
		    fwact_path_write(BENCH_TDX_EMU "/enable", "1", 1) ||
		    fwact_path_write(BENCH_TDX_EMU "/remaining", "1000000", 7))
			return -1;
		fwact_attr_write(comp, "max_blackout_us", "10000000");
		return 0;
	}
	if (bench_is_lfa(comp)) {
		/* The agent's boot state, read again by the backend. */
		if (fwact_path_write(BENCH_LFA_CTL "/reset", "1", 1) ||
		    fwact_path_write(BENCH_LFA_RESCAN, "1", 1))
			return -1;
		if (strcmp(comp, BENCH_LFA_SM))
			fwact_attr_write(comp, "max_blackout_us", "10000000");
		return 0;
	}
	fwact_attr_write(comp, "cancel", "1");
	if (fwact_knob_write(comp, "reset", "1"))
		return -1;
	fwact_attr_write(comp, "force_cpu_rendezvous", "1");
	fwact_attr_write(comp, "max_blackout_us", "10000000");
	return 0;
}

/* Leave @comp as a fresh load of the test module would. */
static void comp_restore(const char *comp)
{
	if (!strcmp(comp, BENCH_TDX_COMP)) {
		fwact_path_write(BENCH_TDX_EMU "/enable", "0", 1);
		return;
	}
	if (bench_is_lfa(comp)) {
		fwact_path_write(BENCH_LFA_CTL "/reset", "1", 1);
		fwact_path_write(BENCH_LFA_RESCAN, "1", 1);
		if (strcmp(comp, BENCH_LFA_SM))
			fwact_attr_write(comp, "max_blackout_us", "1000000");
		return;
	}
	fwact_attr_write(comp, "cancel", "1");
	fwact_knob_write(comp, "reset", "1");
	fwact_attr_write(comp, "max_blackout_us", "1000000");
}

/* Stage the next version of @comp with @payload bytes, in page writes. */
static int comp_stage(const char *comp, size_t payload)
{
	long long v;
	uint8_t *img;
	size_t len;
	int ret;

	if (!strcmp(comp, BENCH_TDX_COMP)) {
		/* The same signed test image each time: a reinstall. */
		img = (uint8_t *)fwact_path_slurp(BENCH_TDX_IMAGE, &len);
		if (!img)
			return -ENOENT;
		ret = fwact_image_upload(comp, img, len, 4096);
		free(img);
		return ret ? ret : fwact_attr_write(comp, "stage", "1");
	}
	if (bench_is_lfa(comp))
		return lfa_stage(!strcmp(comp, BENCH_LFA_SM));
	v = fwact_knob_ll(comp, "version");

	img = fwact_image_build((uint32_t)v + 1, payload, &len);
	if (!img)
		return -ENOMEM;
	ret = fwact_image_upload(comp, img, len, 4096);
	free(img);
	return ret ? ret : fwact_attr_write(comp, "stage", "1");
}

/* Hold the CPUs once with @m; fill @s. */
static int hold_once(const struct method *m, struct sample *s)
{
	uint64_t t0, t1;
	int ret = 0;

	if (m->comp) {
		ret = comp_stage(m->comp, m->payload);
		if (ret)
			return ret;
	}
	usleep(BENCH_SETTLE_US);
	probes_clear();
	t0 = now_ns();
	if (m->comp && !strcmp(m->comp, BENCH_LFA_SM))
		ret = fwact_path_write(BENCH_LFA_CTL "/activate_all", "0 0", 3);
	else if (m->comp)
		ret = fwact_attr_write(m->comp, "activate", "1");
	else
		ret = fwact_path_write(BENCH_MOD "/run", m->mod,
				       strlen(m->mod));
	t1 = now_ns();
	s->call = t1 - t0;
	probes_wait(t1);
	s->felt = probes_worst();
	if (ret)
		return ret;
	if (m->comp && !strcmp(m->comp, BENCH_LFA_SM)) {
		s->kernel = 0;	/* nothing in the kernel times it */
		return lfa_sm_answers_ok();
	}
	if (m->comp)
		s->kernel = fwact_attr_ll(m->comp, "last_activation/blackout_ns");
	else
		s->kernel = m->kern ? fwact_path_ll(m->kern) : 0;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Percentile @pct of the sorted @v. */
static uint64_t pctl(const uint64_t *v, int n, int pct)
{
	int i = (n * pct + 99) / 100 - 1;

	return v[i < 0 ? 0 : i];
}

/* Samples and summary of one method. */
struct result {
	const struct method *m;
	uint64_t *felt;
	uint64_t *kern;
	uint64_t *call;
	int ok;
	int errors;
	uint64_t felt_min, felt_med, felt_p99, k_med, k_p99, call_med;
};

static void result_sample(struct result *r)
{
	struct sample s;
	int ret = hold_once(r->m, &s);

	if (ret) {
		if (++r->errors < 5)
			fprintf(stderr, "# %s: a run failed: %s\n", r->m->name,
				strerror(-ret));
		return;
	}
	r->felt[r->ok] = s.felt;
	r->kern[r->ok] = s.kernel;
	r->call[r->ok] = s.call;
	r->ok++;
}

static void result_sum(struct result *r)
{
	if (!r->ok)
		return;
	qsort(r->felt, r->ok, sizeof(*r->felt), cmp_u64);
	qsort(r->kern, r->ok, sizeof(*r->kern), cmp_u64);
	qsort(r->call, r->ok, sizeof(*r->call), cmp_u64);
	r->felt_min = r->felt[0];
	r->felt_med = pctl(r->felt, r->ok, 50);
	r->felt_p99 = pctl(r->felt, r->ok, 99);
	r->k_med = pctl(r->kern, r->ok, 50);
	r->k_p99 = pctl(r->kern, r->ok, 99);
	r->call_med = pctl(r->call, r->ok, 50);
}

/* xorshift32: the same order for the same seed, on every machine. */
static uint32_t bench_rand(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* A new order of the @nr methods for the next round (Fisher-Yates). */
static void order_shuffle(int *order, int nr, uint32_t *state)
{
	int i, j, t;

	for (i = nr - 1; i > 0; i--) {
		j = bench_rand(state) % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
}

/*
 * Run every method @n times, round-robin, so that whatever else the host
 * does (under TCG it decides when each vCPU runs) spreads over all of
 * them alike instead of spoiling one method's block. What a hold costs
 * also depends on the method run just before it: in a fixed order,
 * stop_machine (first in the table) came out 44% slower than
 * stop_machine_all right after it; in a new order each round the two
 * agree within 10%. So each round runs the methods in a new order drawn
 * from @seed, and every method follows every other alike; @seed 0 keeps
 * the table's order.
 */
static int results_take(struct result *res, int nr, int n, uint32_t seed)
{
	int i, round, *order = calloc(nr, sizeof(*order));
	uint32_t state = seed;

	if (!order)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		res[i].felt = calloc(n, sizeof(uint64_t));
		res[i].kern = calloc(n, sizeof(uint64_t));
		res[i].call = calloc(n, sizeof(uint64_t));
		if (!res[i].felt || !res[i].kern || !res[i].call) {
			free(order);
			return -ENOMEM;
		}
		if (res[i].m->comp && comp_prepare(res[i].m->comp)) {
			free(order);
			return -ENOENT;
		}
		result_sample(&res[i]);		/* warm-up, dropped */
		res[i].ok = 0;
		order[i] = i;
	}
	for (round = 0; round < n; round++) {
		if (seed)
			order_shuffle(order, nr, &state);
		for (i = 0; i < nr; i++)
			result_sample(&res[order[i]]);
		if ((round + 1) % 50 == 0)
			fprintf(stderr, "# %d of %d rounds\n", round + 1, n);
	}
	for (i = 0; i < nr; i++) {
		result_sum(&res[i]);
		if (res[i].m->comp)
			comp_restore(res[i].m->comp);
	}
	free(order);
	return 0;
}

static void ratio_fmt(char *buf, size_t size, uint64_t a, uint64_t b)
{
	if (b)
		snprintf(buf, size, "%.2f", (double)a / b);
	else
		snprintf(buf, size, "-");
}

static void result_print(const struct result *r, const struct result *sm,
			 const struct result *sm_all)
{
	char ratio[16], ratio_all[16];

	ratio_fmt(ratio, sizeof(ratio), r->felt_med, sm->felt_med);
	ratio_fmt(ratio_all, sizeof(ratio_all), r->felt_med, sm_all->felt_med);
	printf("%-20s %4d %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %7s %7s\n",
	       r->m->name, r->ok, r->felt_min / 1e3, r->felt_med / 1e3,
	       r->felt_p99 / 1e3, r->k_med / 1e3, r->k_p99 / 1e3,
	       r->call_med / 1e3, ratio, ratio_all);
}

/* The TDX update's peers: the same four no-op steps in both ways. */
static void peers_print(const struct result *res)
{
	result_print(&res[BENCH_ENGINE_STEPS], &res[BENCH_ENGINE_STEPS],
		     &res[BENCH_SM_STEPS]);
	result_print(&res[BENCH_SM_STEPS], &res[BENCH_ENGINE_STEPS],
		     &res[BENCH_SM_STEPS]);
}

static void header_print(const char *what)
{
	printf("\n%s\n", what);
	printf("%-20s %4s %9s %9s %9s %9s %9s %9s %7s %7s\n", "method",
	       "runs", "felt_min", "felt_med", "felt_p99", "kern_med",
	       "kern_p99", "call_med", "/sm", "/sm_all");
	printf("%-20s %4s %9s %9s %9s %9s %9s %9s %7s %7s\n", "", "", "us",
	       "us", "us", "us", "us", "us", "", "");
}

int main(int argc, char **argv)
{
	static const struct method methods[] = {
		{ "idle (no hold)", NULL, "noop", 0 },
		{ "stop_machine", NULL, "stop_machine", 0, BENCH_LAST },
		{ "stop_machine_all", NULL, "stop_machine_all", 0, BENCH_LAST },
		{ "on_each_cpu(wait)", NULL, "on_each_cpu", 0, BENCH_LAST },
		{ "engine one", NULL, "engine_one", 0, BENCH_BLACKOUT },
		{ "engine all", NULL, "engine_all", 0, BENCH_BLACKOUT },
		{ "engine per_core", NULL, "engine_per_core", 0,
		  BENCH_BLACKOUT },
		{ "engine serial", NULL, "engine_serial", 0, BENCH_BLACKOUT },
		/* BENCH_ENGINE_STEPS, BENCH_SM_STEPS: */
		{ "engine steps(4)", NULL, "engine_steps", 0, BENCH_BLACKOUT },
		{ "stop_machine steps", NULL, "stop_machine_steps", 0,
		  BENCH_LAST },
		{ "engine irq one", NULL, "engine_irq_one", 0, BENCH_BLACKOUT },
		{ "engine irq all", NULL, "engine_irq_all", 0, BENCH_BLACKOUT },
		{ "engine irq steps(4)", NULL, "engine_irq_steps", 0,
		  BENCH_BLACKOUT },
		{ "fwact none", "test-none", NULL, 1000 },
		{ "fwact one", "test-one", NULL, 1000 },
		{ "fwact all", "test-all", NULL, 1000 },
		{ "fwact irq one", "test-irq-one", NULL, 1000 },
		{ "fwact irq all", "test-irq-all", NULL, 1000 },
		{ "fwact per_core", "test-per-core", NULL, 1000 },
		{ "fwact serial", "test-serial", NULL, 1000 },
		{ "fwact steps(4)", "test-steps", NULL, 1000 },
		/* BENCH_FIRST_SIZE: */
		{ "one, 1 KiB image", "test-one", NULL, 1024 - 24 },
		{ "one, 1 MiB image", "test-one", NULL,
		  FWACT_TESTMOD_MAX_IMAGE - 24 },
		/* BENCH_FIRST_TDX: */
		{ "tdx-module (emu)", BENCH_TDX_COMP, NULL, 0 },
		/* BENCH_FIRST_LFA: */
		{ "stop_machine ACTIVATE", BENCH_LFA_SM, NULL, 0 },
		{ "fwact lfa TF-RMM", BENCH_LFA_COMP, NULL, 0 },
	};
	struct result res[ARRAY_SIZE(methods)];
	int nr = 0, n = 200, self, i, opt;
	uint32_t seed = 1;
	char printk_saved[64];
	bool quiet;

	while ((opt = getopt(argc, argv, "n:s:")) != -1) {
		if (opt == 'n') {
			n = atoi(optarg);
		} else if (opt == 's') {
			seed = (uint32_t)strtoul(optarg, NULL, 0);
		} else {
			fprintf(stderr, "usage: %s [-n runs] [-s seed]\n",
				argv[0]);
			return 2;
		}
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
	printf("# felt = longest clock_gettime() gap of a probe on another CPU from\n");
	printf("# the write() that holds the CPUs until every probe ran again after it;\n");
	printf("# kern = fwact blackout_ns (first arrival to last release) or, for the\n");
	printf("# module baselines, the caller's elapsed time; call = that write(),\n");
	printf("# timed by the caller; /sm = felt_med ratio to stop_machine (one CPU\n");
	printf("# acts), /sm_all to stop_machine on all CPUs; every round runs each\n");
	printf("# method once, %d us of quiet before each hold; idle = a no-op\n",
	       BENCH_SETTLE_US);
	printf("# write() to the module\n");
	if (seed)
		printf("# each round in a new random order (-s %u)\n", seed);
	else
		printf("# each round in the table's order (-s 0)\n");

	/*
	 * Keep kernel messages off the (emulated, slow) console while
	 * measuring: every activation logs a line, the baselines do not.
	 */
	quiet = !fwact_path_read("/proc/sys/kernel/printk", printk_saved,
				 sizeof(printk_saved)) &&
		!fwact_path_write("/proc/sys/kernel/printk", "1", 1);

	/*
	 * No TDX row without the TDX emulator (not a test build, or not
	 * x86), no LFA row without the emulated LFA agent.
	 */
	memset(res, 0, sizeof(res));
	for (i = 0; i < (int)ARRAY_SIZE(methods); i++) {
		if (i == BENCH_FIRST_TDX && access(BENCH_TDX_EMU, F_OK))
			continue;
		if (i >= BENCH_FIRST_LFA &&
		    (access(BENCH_LFA_CTL "/set", W_OK) ||
		     access(FWACT_SYSFS "/" BENCH_LFA_COMP, F_OK)))
			continue;
		res[nr++].m = &methods[i];
	}
	if (results_take(res, nr, n, seed))
		printf("# out of memory or a component is missing\n");
	probes_stop();
	if (quiet)
		fwact_path_write("/proc/sys/kernel/printk", printk_saved,
				 strlen(printk_saved));

	header_print("Stall felt per hold, no-op actions");
	for (i = 0; i < nr; i++) {
		int row = res[i].m - methods;

		if (row == BENCH_FIRST_SIZE)
			header_print("Stall felt versus staged image size (test-one)");
		if (row == BENCH_FIRST_TDX) {
			header_print("TDX module update, emulated P-SEAMLDR\n"
				     "(/sm: to engine steps(4), /sm_all: to stop_machine steps)");
			peers_print(res);
			result_print(&res[i], &res[BENCH_ENGINE_STEPS],
				     &res[BENCH_SM_STEPS]);
			continue;
		}
		if (row == BENCH_FIRST_LFA) {
			/* The stop_machine() way, then fwact's (row + 1). */
			header_print("Arm LFA activation of TF-RMM, emulated agent in TF-A (EL3)\n"
				     "(/sm: to stop_machine ACTIVATE, every CPU issues the SMC as\n"
				     "the upstream driver does; /sm_all: to stop_machine_all, no-op)");
			result_print(&res[i], &res[i], &res[2]);
			continue;
		}
		if (row == BENCH_FIRST_LFA + 1) {
			result_print(&res[i], &res[i - 1], &res[2]);
			continue;
		}
		result_print(&res[i], &res[1], &res[2]);
	}
	return 0;
}
