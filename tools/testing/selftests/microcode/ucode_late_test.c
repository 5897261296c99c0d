// SPDX-License-Identifier: GPL-2.0
/*
 * In-guest tests of the fwact microcode backend through the fwact sysfs
 * ABI (/sys/firmware/fwact/cpu-microcode/) and the backend's debugfs files
 * (/sys/kernel/debug/fwact/microcode/). The first tests use the real MSR
 * path: under QEMU TCG with -cpu Skylake-Server the backend must find the
 * real Debian blob intel-ucode/06-55-04, refuse it by the min-rev rule,
 * and, forced, try it and report the honest failure (the virtual CPU
 * ignores the load: revision unchanged, -EIO, nothing tainted). The rest
 * install the emulated microcode engine (modules/fwact_ucode_emu.ko) and
 * check the success path with one load per core, SMT siblings parked in
 * NMI context while their core loads (and a core that loads nothing when a
 * sibling does not park), patch matching, the min-rev gate and its force
 * knob, partial failure, a faulting write, a timeout, mixed CPUs, AMD patch
 * ids, bad images and the hypervisor gate.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ucode_build.h"
#include "ucode_sysfs.h"

#define DBG		"/sys/kernel/debug/fwact/microcode"
/* The engine's test hook: one CPU starts every step late. */
#define RV_LATE		"/sys/kernel/debug/fwact/rendezvous_late_"
#define INTEL_BLOB	"intel-ucode/06-55-04"
#define AMD_BLOB	"amd-ucode/microcode_amd_fam17h.bin"

#define EMU_SIG		0x000906a3
#define EMU_ALT_SIG	0x000906b4
#define EMU_REV		0x100
#define MAX_CPUS	256

/* A run the host kept from gathering is tried again (fwact_util.h). */
static int activation_start(void)
{
	return fwact_activate_gathered(COMP_NAME, 3);
}

/* Value of key=VALUE in the backend's debugfs status line. */
static int status_get(const char *key, char *val, size_t size)
{
	char buf[512], pat[64], *p, *end;

	if (file_read(DBG "/status", buf, sizeof(buf)) < 0)
		return -1;
	snprintf(pat, sizeof(pat), " %s=", key);
	memmove(buf + 1, buf, strlen(buf) + 1);
	buf[0] = ' ';
	p = strstr(buf, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	end = strchr(p, ' ');
	if (end)
		*end = '\0';
	snprintf(val, size, "%s", p);
	return 0;
}

static long status_long(const char *key)
{
	char val[128];

	if (status_get(key, val, sizeof(val)))
		return -1000000;
	return strtol(val, NULL, 0);
}

struct cpu_row {
	unsigned int cpu, core, rev, before, after, patch, loads;
	char result[16];
	char park[16];
};

/* The backend's per-CPU listing; returns the number of CPUs. */
static int revisions_read(struct cpu_row *rows, int max)
{
	char line[256];
	FILE *f = fopen(DBG "/revisions", "r");
	int n = 0;

	if (!f)
		return -errno;
	while (n < max && fgets(line, sizeof(line), f)) {
		struct cpu_row *r = &rows[n];
		unsigned int sig, pf;

		r->park[0] = '\0';
		if (sscanf(line,
			   "cpu=%u core=%u sig=%x pf=%x rev=%x before=%x after=%x patch=%x result=%15s park=%15s",
			   &r->cpu, &r->core, &sig, &pf, &r->rev, &r->before,
			   &r->after, &r->patch, r->result, r->park) >= 9)
			n++;
	}
	fclose(f);
	return n;
}

/* Loads the emulated engine counted per CPU, by CPU number. */
static int emu_loads_read(unsigned int *loads, int max)
{
	unsigned int cpu, core, rev;
	char line[128];
	int n = 0, cnt;
	FILE *f = fopen(EMU "/cores", "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "cpu=%u core=%u rev=%x loads=%d", &cpu, &core,
			   &rev, &cnt) == 4 && (int)cpu < max) {
			loads[cpu] = cnt;
			n++;
		}
	}
	fclose(f);
	return n;
}

/* What the emulated engine saw of one CPU, by CPU number. */
struct emu_row {
	int present;
	unsigned int core, rev;
	int loads, parked_loads, nmi_parks, in_nmi;
};

static int emu_rows_read(struct emu_row *rows, int max)
{
	char line[160];
	int n = 0;
	unsigned int cpu;
	struct emu_row r;
	FILE *f = fopen(EMU "/cores", "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line,
			   "cpu=%u core=%u rev=%x loads=%d parked_loads=%d nmi_parks=%d in_nmi=%d",
			   &cpu, &r.core, &r.rev, &r.loads, &r.parked_loads,
			   &r.nmi_parks, &r.in_nmi) == 7 && (int)cpu < max) {
			r.present = 1;
			rows[cpu] = r;
			n++;
		}
	}
	fclose(f);
	return n;
}

/* Every "microcode" line of /proc/cpuinfo equals @rev. */
static int cpuinfo_all_rev(unsigned int rev, int *cpus)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");
	int ok = 1;
	unsigned int r;

	*cpus = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "microcode : %x", &r) == 1 ||
		    sscanf(line, "microcode\t: %x", &r) == 1) {
			(*cpus)++;
			if (r != rev)
				ok = 0;
		}
	}
	fclose(f);
	return ok;
}

static int cpuinfo_has(const char *word)
{
	char line[4096];
	FILE *f = fopen("/proc/cpuinfo", "r");
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = !!strstr(line, word);
	fclose(f);
	return found;
}

static long taint_read(void)
{
	return file_read_long("/proc/sys/kernel/tainted");
}

static __u8 *intel_image(const struct ub_intel *u, int nr, size_t *len)
{
	__u8 *p;
	size_t off = 0;
	int i;

	*len = 0;
	for (i = 0; i < nr; i++)
		*len += ub_intel_size(&u[i]);
	p = malloc(*len);
	if (!p)
		return NULL;
	for (i = 0; i < nr; i++) {
		ub_intel_fill(p + off, &u[i]);
		off += ub_intel_size(&u[i]);
	}
	return p;
}

static int stage_intel(const struct ub_intel *u, int nr)
{
	size_t len;
	__u8 *p = intel_image(u, nr, &len);
	int ret;

	if (!p)
		return -ENOMEM;
	ret = image_stage(p, len);
	free(p);
	return ret;
}

static void params_set(int force, int allow)
{
	file_writef(PARAM "/force_minrev", "%d", force);
	file_writef(PARAM "/allow_hypervisor", "%d", allow);
	file_write(PARAM "/force_amd_sha", "0");
}

/* Install a real blob from the test directory if the guest lacks it. */
static int real_blob_install(const char *name)
{
	char dst[128], src[128], buf[4096];
	int in, out, ret = 0;
	ssize_t n;

	snprintf(dst, sizeof(dst), "/lib/firmware/%s", name);
	snprintf(src, sizeof(src), "firmware/%s", name);
	if (!access(dst, R_OK))
		return 0;
	in = open(src, O_RDONLY);
	if (in < 0)
		return -ENOENT;
	mkdir("/lib/firmware", 0755);
	*strrchr(dst, '/') = '\0';
	mkdir(dst, 0755);
	snprintf(dst, sizeof(dst), "/lib/firmware/%s", name);
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		close(in);
		return -errno;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			ret = -EIO;
			break;
		}
	close(in);
	close(out);
	return ret;
}

static int is_skylake_server(void)
{
	return cpuinfo_has("GenuineIntel") && cpuinfo_has("cpu family\t: 6") &&
	       cpuinfo_has("model\t\t: 85") && cpuinfo_has("stepping\t: 4");
}

/* QEMU's EPYC-Rome: family 17h model 31h stepping 0, signature 0x830f10. */
static int is_epyc_rome(void)
{
	return cpuinfo_has("AuthenticAMD") && cpuinfo_has("cpu family\t: 23") &&
	       cpuinfo_has("model\t\t: 49") && cpuinfo_has("stepping\t: 0");
}

/*
 * Real MSR path. These run before any emulated test so that the taint
 * check sees a kernel nothing else tainted with 'S'.
 */
FIXTURE(real) {
	long force, allow;
};

FIXTURE_SETUP(real)
{
	if (access(COMP, F_OK) || access(COMP "/request", F_OK))
		SKIP(return, "fwact_microcode not loaded");
	if (!access(EMU "/enable", F_OK))
		ASSERT_EQ(0, file_write(EMU "/enable", "0"));
	self->force = file_read_long(PARAM "/force_minrev");
	self->allow = file_read_long(PARAM "/allow_hypervisor");
	file_write(COMP "/cancel", "1");
}

FIXTURE_TEARDOWN(real)
{
	file_write(COMP "/cancel", "1");
	if (self->force >= 0)
		params_set(self->force, self->allow);
}

TEST_F(real, hypervisor_refused_by_default)
{
	char buf[16];

	if (!cpuinfo_has(" hypervisor"))
		SKIP(return, "no hypervisor bit: nothing to refuse");
	params_set(0, 0);
	EXPECT_EQ(-EOPNOTSUPP, file_write(COMP "/request", "1"));
	ASSERT_LE(0, file_read(COMP "/activation_capable", buf, sizeof(buf)));
	EXPECT_STREQ("0", buf);
	EXPECT_EQ(-EOPNOTSUPP, activation_start());
}

/*
 * Found by the standard name, validated, refused by the min-rev rule,
 * then forced through the real MSR, which the virtual CPU ignores: -EIO,
 * nothing changed, nothing tainted.
 */
static void real_honest_failure(struct __test_metadata *_metadata,
				const char *pending_want)
{
	char cur[64], after[64], pending[64], buf[64];
	long taint_before = taint_read();
	unsigned int rev0;
	int cpus;

	ASSERT_LE(0, file_read(COMP "/current_version", cur, sizeof(cur)));
	rev0 = strtoul(cur, NULL, 0);

	params_set(0, 1);
	EXPECT_EQ(-EPERM, file_write(COMP "/request", "1"));
	ASSERT_LE(0, file_read(COMP "/pending_version", pending, sizeof(pending)));
	EXPECT_STREQ("N/A", pending);

	params_set(1, 1);
	ASSERT_EQ(0, file_write(COMP "/request", "1"));
	ASSERT_LE(0, file_read(COMP "/pending_version", pending, sizeof(pending)));
	EXPECT_STREQ(pending_want, pending);
	EXPECT_EQ(-EIO, activation_start());

	ASSERT_LE(0, file_read(COMP "/current_version", after, sizeof(after)));
	EXPECT_STREQ(cur, after);
	EXPECT_EQ(0, status_long("updated"));
	EXPECT_LT(0, status_long("failed"));
	EXPECT_EQ(0, status_long("tainted"));
	EXPECT_EQ(-5, status_long("result"));
	EXPECT_EQ(taint_before & 4, taint_read() & 4);
	EXPECT_TRUE(cpuinfo_all_rev(rev0, &cpus));
	ASSERT_LE(0, file_read(COMP "/state", buf, sizeof(buf)));
	EXPECT_STREQ("failed", buf);
	ASSERT_LE(0, file_read(COMP "/last_activation/failed_step", buf,
			       sizeof(buf)));
	EXPECT_STREQ("1", buf);
}

TEST_F(real, tcg_intel_blob_honest_failure)
{
	if (!is_skylake_server())
		SKIP(return, "CPU is not Skylake-Server (06-55-04)");
	if (real_blob_install(INTEL_BLOB))
		SKIP(return, "no %s (intel-microcode) in the guest", INTEL_BLOB);
	/* Debian's 06-55-04: rev 0x2007006, min_req_ver 0x2006b06. */
	real_honest_failure(_metadata, "0x2007006");
}

TEST_F(real, tcg_amd_blob_honest_failure)
{
	if (!is_epyc_rome())
		SKIP(return, "CPU is not EPYC-Rome (family 17h, 0x830f10)");
	if (real_blob_install(AMD_BLOB))
		SKIP(return, "no %s (amd64-microcode) in the guest", AMD_BLOB);
	/* The Zen 2 patch of Debian's fam17h container names 0x830f10. */
	real_honest_failure(_metadata, "0x830107c");
}

/* The emulated engine. */
FIXTURE(emu) {
	long force, allow;
	int nr_cpus;
	struct cpu_row rows[MAX_CPUS];
};

FIXTURE_SETUP(emu)
{
	if (access(COMP, F_OK) || access(EMU "/enable", F_OK))
		SKIP(return, "fwact_microcode or fwact_ucode_emu not loaded");
	self->force = file_read_long(PARAM "/force_minrev");
	self->allow = file_read_long(PARAM "/allow_hypervisor");
	params_set(0, 1);
	file_write(COMP "/cancel", "1");
	/* Room for a host that stops a vCPU; the budget's tests set theirs. */
	ASSERT_EQ(0, file_write(COMP "/max_blackout_us", "5000000"));
	ASSERT_EQ(0, file_write(EMU "/vendor", "1"));
	ASSERT_EQ(0, file_writef(EMU "/sig", "0x%x", EMU_SIG));
	ASSERT_EQ(0, file_write(EMU "/pf", "0x1"));
	ASSERT_EQ(0, file_write(EMU "/llc", "0"));
	ASSERT_EQ(0, file_write(EMU "/alt_cpu", "-1"));
	ASSERT_EQ(0, file_write(EMU "/fail_cpu", "-1"));
	ASSERT_EQ(0, file_write(EMU "/gp_cpu", "-1"));
	ASSERT_EQ(0, file_write(EMU "/slow_cpu", "-1"));
	ASSERT_EQ(0, file_write(EMU "/slow_ms", "0"));
	ASSERT_EQ(0, file_write(EMU "/prepare_ms", "0"));
	ASSERT_EQ(0, file_write(EMU "/park_cpu", "-1"));
	ASSERT_EQ(0, file_write(EMU "/park_ms", "0"));
	ASSERT_EQ(0, file_write(EMU "/park_lost", "0"));
	ASSERT_EQ(0, file_write(EMU "/nmi_wait_ms", "0"));
	ASSERT_EQ(0, file_writef(EMU "/rev", "%d", EMU_REV));
	ASSERT_EQ(0, file_write(EMU "/enable", "1"));
	self->nr_cpus = sysconf(_SC_NPROCESSORS_ONLN);
}

static int cpu_online_set(int cpu, int on)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	return file_writef(path, "%d", on);
}

FIXTURE_TEARDOWN(emu)
{
	int cpu;

	if (self->force < 0)
		return;
	file_write(EMU "/prepare_ms", "0");
	file_write(EMU "/fail_cpu", "-1");
	file_write(EMU "/park_cpu", "-1");
	file_write(EMU "/park_lost", "0");
	for (cpu = 1; cpu < MAX_CPUS; cpu++)
		if (cpu_online_set(cpu, 1) == -ENOENT)
			break;
	file_write(COMP "/cancel", "1");
	file_write(EMU "/slow_cpu", "-1");
	file_write(RV_LATE "us", "0");
	file_write(EMU "/enable", "0");
	file_write(COMP "/max_blackout_us", "1000000");
	params_set(self->force, self->allow);
}

static const struct ub_intel good = {
	.sig = EMU_SIG, .pf = 0x1, .rev = 0x200, .min_rev = 0x100,
	.datasize = 2048, .nr_ext = 0, .meta = 1,
};

/* The last core's first thread: the CPU a per-core action runs on. */
static int last_core_leader(struct cpu_row *rows, int n)
{
	return n > 0 ? (int)rows[n - 1].core : -1;
}

TEST_F(emu, success_one_load_per_core)
{
	unsigned int loads[MAX_CPUS] = { 0 };
	char buf[64];
	int n, i, cpus, cores = 0;

	ASSERT_EQ(0, stage_intel(&good, 1));
	ASSERT_LE(0, file_read(COMP "/pending_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x200", buf);
	ASSERT_EQ(0, activation_start());

	ASSERT_LE(0, file_read(COMP "/current_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x200", buf);
	ASSERT_LE(0, file_read(COMP "/pending_version", buf, sizeof(buf)));
	EXPECT_STREQ("N/A", buf);
	EXPECT_EQ(self->nr_cpus, status_long("updated"));
	EXPECT_EQ(0, status_long("failed"));
	EXPECT_EQ(0, status_long("tainted"));

	n = revisions_read(self->rows, MAX_CPUS);
	ASSERT_EQ(self->nr_cpus, n);
	ASSERT_EQ(n, emu_loads_read(loads, MAX_CPUS));
	for (i = 0; i < n; i++) {
		struct cpu_row *r = &self->rows[i];

		EXPECT_EQ(0x200, r->after);
		EXPECT_EQ(EMU_REV, r->before);
		if (r->cpu == r->core) {
			/* First thread of its core: loaded exactly once. */
			cores++;
			EXPECT_STREQ("updated", r->result);
			EXPECT_EQ(1, loads[r->cpu]);
		} else {
			/* Sibling: never loaded, verified the shared engine. */
			EXPECT_STREQ("sibling", r->result);
			EXPECT_EQ(0, loads[r->cpu]);
		}
	}
	EXPECT_EQ(cores, status_long("cores"));
	TH_LOG("%d CPUs, %d cores", n, cores);
	/* What an admin reads, one value per file. */
	EXPECT_EQ(self->nr_cpus, file_read_long(COMP "/last_load/updated"));
	EXPECT_EQ(self->nr_cpus, file_read_long(COMP "/last_load/cpus"));
	EXPECT_EQ(cores, file_read_long(COMP "/last_load/cores"));
	EXPECT_EQ(0, file_read_long(COMP "/last_load/failed"));
	EXPECT_EQ(0, file_read_long(COMP "/last_load/tainted"));
	EXPECT_EQ(status_long("parked"),
		  file_read_long(COMP "/last_load/parked"));
	ASSERT_LE(0, file_read(COMP "/last_load/failed_cpus", buf,
			       sizeof(buf)));
	EXPECT_STREQ("", buf);
	EXPECT_TRUE(cpuinfo_all_rev(0x200, &cpus));
	EXPECT_EQ(self->nr_cpus, cpus);
	ASSERT_LE(0, file_read(COMP "/rendezvous_mode", buf, sizeof(buf)));
	EXPECT_STREQ("steps", buf);
}

/* A late load never runs with the CPUs not held: an admin cannot ask it. */
TEST_F(emu, cpus_are_always_held)
{
	char buf[64];

	ASSERT_LE(0, file_read(COMP "/cpu_rendezvous", buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);
	EXPECT_EQ(-EOPNOTSUPP, file_write(COMP "/force_cpu_rendezvous", "0"));
	ASSERT_LE(0, file_read(COMP "/force_cpu_rendezvous", buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);
	ASSERT_EQ(0, stage_intel(&good, 1));
	ASSERT_EQ(0, activation_start());
	EXPECT_EQ(self->nr_cpus, status_long("updated"));
}

/* The highest-numbered SMT sibling (not its core's first thread), or -1. */
static int last_sibling(struct cpu_row *rows, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--)
		if (rows[i].cpu != rows[i].core)
			return i;
	return -1;
}

/*
 * With SMT, every sibling is parked in the backend's NMI handler, in NMI
 * context, for the whole of its core's load: the emulated engine checks
 * it at each load. Nothing stays in NMI context afterwards.
 */
TEST_F(emu, smt_siblings_parked_in_nmi)
{
	static struct emu_row emu[MAX_CPUS];
	int n, i, cores = 0, sibs = 0, parked_loads = 0, nmi_parks = 0;

	n = revisions_read(self->rows, MAX_CPUS);
	ASSERT_LT(0, n);
	if (last_sibling(self->rows, n) < 0)
		SKIP(return, "no SMT siblings (every core has one thread)");
	ASSERT_EQ(0, stage_intel(&good, 1));
	ASSERT_EQ(0, activation_start());

	n = revisions_read(self->rows, MAX_CPUS);
	ASSERT_EQ(self->nr_cpus, n);
	ASSERT_EQ(n, emu_rows_read(emu, MAX_CPUS));
	for (i = 0; i < n; i++) {
		struct cpu_row *r = &self->rows[i];
		struct emu_row *e = &emu[r->cpu];

		ASSERT_TRUE(e->present);
		EXPECT_EQ(0x200, r->after);
		EXPECT_EQ(0, e->in_nmi);
		parked_loads += e->parked_loads;
		nmi_parks += e->nmi_parks;
		if (r->cpu == r->core) {
			cores++;
			EXPECT_EQ(1, e->loads);
			/* The load came with every sibling parked in NMI. */
			EXPECT_EQ(1, e->parked_loads);
			EXPECT_EQ(0, e->nmi_parks);
		} else {
			sibs++;
			EXPECT_EQ(0, e->loads);
			EXPECT_EQ(1, e->nmi_parks);
			EXPECT_STREQ("nmi", r->park);
		}
	}
	TH_LOG("%d cores, %d siblings: %d loads with all siblings parked, %d parked in NMI",
	       cores, sibs, parked_loads, nmi_parks);
	EXPECT_EQ(cores, parked_loads);
	EXPECT_EQ(sibs, nmi_parks);
	EXPECT_EQ(sibs, status_long("parked"));
	EXPECT_EQ(0, status_long("park_timeouts"));
	EXPECT_EQ(0, status_long("tainted"));
}

/*
 * A sibling that does not park in time (late, or its NMI lost): its core
 * loads nothing, the activation fails with -ETIMEDOUT in the load step on
 * that core's first thread, no CPU stays in NMI context, and the next
 * activation loads the core.
 */
static void sibling_no_park(struct __test_metadata *_metadata,
			    struct cpu_row *rows, int nr_cpus, int late)
{
	static struct emu_row emu[MAX_CPUS];
	int n, i, v, victim, prim;
	char buf[64], want[16];

	n = revisions_read(rows, MAX_CPUS);
	ASSERT_LT(0, n);
	v = last_sibling(rows, n);
	if (v < 0)
		SKIP(return, "no SMT siblings (every core has one thread)");
	victim = rows[v].cpu;
	prim = rows[v].core;
	ASSERT_EQ(0, file_write(EMU "/park_ms", late ? "400" : "0"));
	ASSERT_EQ(0, file_write(EMU "/park_lost", late ? "0" : "1"));
	ASSERT_EQ(0, file_writef(EMU "/park_cpu", "%d", victim));
	ASSERT_EQ(0, stage_intel(&good, 1));
	EXPECT_EQ(-ETIMEDOUT, activation_start());

	ASSERT_LE(0, file_read(COMP "/last_activation/failed_step", buf,
			       sizeof(buf)));
	EXPECT_STREQ("0", buf);
	ASSERT_LE(0, file_read(COMP "/last_activation/failed_cpu", buf,
			       sizeof(buf)));
	snprintf(want, sizeof(want), "%d", prim);
	EXPECT_STREQ(want, buf);
	EXPECT_EQ(1, status_long("park_timeouts"));
	EXPECT_EQ(-ETIMEDOUT, status_long("result"));

	n = revisions_read(rows, MAX_CPUS);
	ASSERT_EQ(nr_cpus, n);
	ASSERT_EQ(n, emu_rows_read(emu, MAX_CPUS));
	for (i = 0; i < n; i++) {
		struct cpu_row *r = &rows[i];
		struct emu_row *e = &emu[r->cpu];

		EXPECT_EQ(0, e->in_nmi);
		if ((int)r->core != prim) {
			EXPECT_EQ(0x200, r->after);
			continue;
		}
		/* Nothing loaded on the victim's core. */
		EXPECT_EQ(0, e->loads);
		EXPECT_EQ(EMU_REV, e->rev);
		EXPECT_EQ(EMU_REV, r->after);
		EXPECT_STREQ("unparked", r->result);
		if ((int)r->cpu == prim)
			EXPECT_STREQ("timeout", r->park);
		if ((int)r->cpu == victim)
			EXPECT_STREQ(late ? "late" : "lost", r->park);
	}

	/* Undisturbed, the next activation loads the core that is behind. */
	ASSERT_EQ(0, file_write(EMU "/park_cpu", "-1"));
	ASSERT_EQ(0, activation_start());
	ASSERT_LE(0, file_read(COMP "/current_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x200", buf);
	ASSERT_EQ(n, emu_rows_read(emu, MAX_CPUS));
	EXPECT_EQ(1, emu[prim].loads);
	EXPECT_EQ(1, emu[prim].parked_loads);
	EXPECT_EQ(1, emu[victim].nmi_parks);
	EXPECT_EQ(0, status_long("park_timeouts"));
}

TEST_F(emu, sibling_parks_late_core_not_loaded)
{
	sibling_no_park(_metadata, self->rows, self->nr_cpus, 1);
}

TEST_F(emu, sibling_nmi_lost_core_not_loaded)
{
	sibling_no_park(_metadata, self->rows, self->nr_cpus, 0);
}

/*
 * A primary that does not release its parked sibling in time (its load
 * takes 400 ms, the sibling waits 100 ms): the sibling gives up, leaves
 * the NMI handler and fails the run with ETIMEDOUT on its own CPU, rather
 * than being held for as long as the primary takes (forever, if it never
 * returned). The load itself did land: the listing says so per CPU.
 */
TEST_F(emu, sibling_gives_up_when_its_primary_never_releases)
{
	static struct emu_row emu[MAX_CPUS];
	int n, i, v, victim, prim;
	char buf[64], want[16];

	n = revisions_read(self->rows, MAX_CPUS);
	ASSERT_LT(0, n);
	v = last_sibling(self->rows, n);
	if (v < 0)
		SKIP(return, "no SMT siblings (every core has one thread)");
	victim = self->rows[v].cpu;
	prim = self->rows[v].core;
	ASSERT_EQ(0, file_write(EMU "/nmi_wait_ms", "100"));
	ASSERT_EQ(0, file_write(EMU "/slow_ms", "400"));
	ASSERT_EQ(0, file_writef(EMU "/slow_cpu", "%d", prim));
	ASSERT_EQ(0, stage_intel(&good, 1));
	EXPECT_EQ(-ETIMEDOUT, activation_start());

	ASSERT_LE(0, file_read(COMP "/last_activation/failed_step", buf,
			       sizeof(buf)));
	EXPECT_STREQ("0", buf);
	ASSERT_LE(0, file_read(COMP "/last_activation/failed_cpu", buf,
			       sizeof(buf)));
	snprintf(want, sizeof(want), "%d", victim);
	EXPECT_STREQ(want, buf);
	EXPECT_EQ(-ETIMEDOUT, status_long("result"));

	n = revisions_read(self->rows, MAX_CPUS);
	ASSERT_EQ(self->nr_cpus, n);
	ASSERT_EQ(n, emu_rows_read(emu, MAX_CPUS));
	for (i = 0; i < n; i++) {
		struct cpu_row *r = &self->rows[i];

		/* Nobody is left in the NMI handler. */
		EXPECT_EQ(0, emu[r->cpu].in_nmi);
		if ((int)r->cpu == victim)
			EXPECT_STREQ("gave-up", r->park);
		if ((int)r->core == prim)
			EXPECT_EQ(0x200, r->after);
	}
	EXPECT_EQ(1, emu[prim].loads);
}

TEST_F(emu, newest_matching_patch_chosen)
{
	struct ub_intel u[5] = { good, good, good, good, good };
	char buf[64];

	u[0].sig = EMU_SIG + 1;		/* other CPU, newest */
	u[0].rev = 0x300;
	u[1].rev = 0x240;
	u[2].rev = 0x250;		/* newest that matches */
	u[3].rev = 0x260;		/* other platform */
	u[3].pf = 0x2;
	u[4].rev = 0x220;
	ASSERT_EQ(0, stage_intel(u, 5));
	ASSERT_LE(0, file_read(COMP "/pending_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x250", buf);
	ASSERT_EQ(0, activation_start());
	ASSERT_LE(0, file_read(COMP "/current_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x250", buf);
}

TEST_F(emu, ext_signature_matches)
{
	struct ub_intel u = good;

	u.sig = EMU_SIG - 2;	/* extended signatures are sig + 1, sig + 2 */
	u.nr_ext = 2;
	ASSERT_EQ(0, stage_intel(&u, 1));
	ASSERT_EQ(0, activation_start());
	EXPECT_EQ(self->nr_cpus, status_long("updated"));
}

TEST_F(emu, nothing_newer_is_enoent)
{
	struct ub_intel u = good;
	char buf[64];

	u.rev = EMU_REV;
	EXPECT_EQ(-ENOENT, stage_intel(&u, 1));
	u.rev = 0x300;
	u.sig = EMU_SIG + 5;
	EXPECT_EQ(-ENOENT, stage_intel(&u, 1));
	ASSERT_LE(0, file_read(COMP "/pending_version", buf, sizeof(buf)));
	EXPECT_STREQ("N/A", buf);
	EXPECT_EQ(-ENODATA, activation_start());
}

TEST_F(emu, bad_images_change_nothing)
{
	struct ub_intel u = good;
	static const __u32 cpu[] = { 0x00a20f10 };
	static const __u16 id[] = { 0xa210 };
	struct ub_amd_patch pt = { 0x0a20102d, 0xa210, 3200 };
	size_t len, alen;
	__u8 *p, *a;
	char buf[64];

	ASSERT_EQ(0, stage_intel(&good, 1));
	u.nr_ext = 2;
	p = intel_image(&u, 1, &len);
	ASSERT_NE(NULL, p);

	p[UB_INTEL_HDR + 16] ^= 1;		/* bad checksum */
	EXPECT_EQ(-EINVAL, image_stage(p, len));
	p[UB_INTEL_HDR + 16] ^= 1;
	EXPECT_EQ(-EINVAL, image_stage(p, 47));	/* truncated header */
	EXPECT_EQ(-EINVAL, image_stage(p, len - 4));	/* total size lies */
	p[len - 12] ^= 1;			/* bad extended table */
	EXPECT_EQ(-EINVAL, image_stage(p, len));
	p[len - 12] ^= 1;
	ub_put32(p + 0x20, 0xfffffff0);		/* hostile total size */
	ub_intel_fix_cksum(p);
	EXPECT_EQ(-EINVAL, image_stage(p, len));

	alen = ub_amd_fill(NULL, cpu, id, 1, &pt, 1);
	a = malloc(alen);
	ASSERT_NE(NULL, a);
	ub_amd_fill(a, cpu, id, 1, &pt, 1);
	EXPECT_EQ(-EINVAL, image_stage(a, alen));	/* AMD for Intel CPUs */
	ub_put32(a + 12 + 32 + 4, 0x100000);	/* section length lies */
	EXPECT_EQ(-EINVAL, image_stage(a, alen));

	/* The good image is still the staged one. */
	ASSERT_LE(0, file_read(COMP "/pending_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x200", buf);
	ASSERT_LE(0, file_read(COMP "/state", buf, sizeof(buf)));
	EXPECT_STREQ("staged", buf);
	free(a);
	free(p);
}

TEST_F(emu, minrev_gate_and_force)
{
	struct ub_intel u = good;
	char buf[64];

	u.min_rev = 0x150;		/* running 0x100: too old */
	EXPECT_EQ(-EPERM, stage_intel(&u, 1));
	u.min_rev = 0;			/* does not say: not known safe */
	EXPECT_EQ(-EPERM, stage_intel(&u, 1));
	ASSERT_LE(0, file_read(COMP "/pending_version", buf, sizeof(buf)));
	EXPECT_STREQ("N/A", buf);

	params_set(1, 1);
	ASSERT_EQ(0, stage_intel(&u, 1));
	ASSERT_EQ(0, activation_start());
	EXPECT_EQ(1, status_long("unsafe"));
	/* Something changed without the guarantee: tainted, as the kernel. */
	EXPECT_EQ(1, status_long("tainted"));
	EXPECT_EQ(4, taint_read() & 4);
}

TEST_F(emu, minrev_safe_is_not_forced)
{
	ASSERT_EQ(0, stage_intel(&good, 1));
	ASSERT_EQ(0, activation_start());
	EXPECT_EQ(0, status_long("unsafe"));
	EXPECT_EQ(0, status_long("tainted"));
}

TEST_F(emu, partial_failure_reported)
{
	int n, i, bad;
	char buf[64], want[16];

	if (self->nr_cpus < 2)
		SKIP(return, "needs two CPUs");
	n = revisions_read(self->rows, MAX_CPUS);
	bad = last_core_leader(self->rows, n);
	ASSERT_LE(1, bad);
	ASSERT_EQ(0, file_writef(EMU "/fail_cpu", "%d", bad));
	ASSERT_EQ(0, stage_intel(&good, 1));
	EXPECT_EQ(-EIO, activation_start());

	EXPECT_LT(0, status_long("failed"));
	EXPECT_LT(0, status_long("updated"));
	EXPECT_EQ(1, status_long("tainted"));
	ASSERT_EQ(0, status_get("failed_cpus", buf, sizeof(buf)));
	snprintf(want, sizeof(want), "%d", bad);
	EXPECT_NE(NULL, strstr(buf, want));
	n = revisions_read(self->rows, MAX_CPUS);
	for (i = 0; i < n; i++) {
		struct cpu_row *r = &self->rows[i];

		if ((int)r->core == bad) {
			EXPECT_STREQ("failed", r->result);
			EXPECT_EQ(EMU_REV, r->after);
		} else {
			EXPECT_EQ(0x200, r->after);
		}
	}
	/* Lowest revision across the CPUs; the image stays for a retry. */
	ASSERT_LE(0, file_read(COMP "/current_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x100", buf);
	ASSERT_LE(0, file_read(COMP "/pending_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x200", buf);
	ASSERT_LE(0, file_read(COMP "/last_activation/failed_step", buf,
			       sizeof(buf)));
	EXPECT_STREQ("1", buf);

	/* The retry loads only the core that is behind. */
	ASSERT_EQ(0, file_write(EMU "/fail_cpu", "-1"));
	ASSERT_EQ(0, activation_start());
	ASSERT_LE(0, file_read(COMP "/current_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x200", buf);
}

/*
 * A load that faults fails the run, and every other core still loads: the
 * engine completes a step that has started, so a primary that starts after
 * CPU 0's fault (held back 200 ms) still loads and releases its parked
 * siblings. Found in CI: the late primary skipped its load and its sibling
 * sat 30 s in the NMI handler. Its park bound is 2 s here, so that a
 * regression fails the test instead of its timeout.
 */
TEST_F(emu, write_fault_reported)
{
	int n, i, late;
	char buf[64];

	n = revisions_read(self->rows, MAX_CPUS);
	late = last_core_leader(self->rows, n);
	ASSERT_EQ(0, file_write(EMU "/gp_cpu", "0"));
	ASSERT_EQ(0, file_write(EMU "/nmi_wait_ms", "2000"));
	ASSERT_EQ(0, stage_intel(&good, 1));
	if (late > 0) {
		ASSERT_EQ(0, file_writef(RV_LATE "cpu", "%d", late));
		ASSERT_EQ(0, file_write(RV_LATE "us", "200000"));
	}
	EXPECT_EQ(-EIO, activation_start());
	file_write(RV_LATE "us", "0");
	ASSERT_LE(0, file_read(COMP "/last_activation/failed_step", buf,
			       sizeof(buf)));
	EXPECT_STREQ("0", buf);
	ASSERT_LE(0, file_read(COMP "/last_activation/failed_cpu", buf,
			       sizeof(buf)));
	EXPECT_STREQ("0", buf);
	n = revisions_read(self->rows, MAX_CPUS);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		if (self->rows[i].cpu == 0)
			EXPECT_STREQ("fault", self->rows[i].result);
		if (late <= 0 || self->rows[i].core != (unsigned int)late)
			continue;
		/* The late core loaded; its siblings were parked, not lost. */
		EXPECT_STREQ(self->rows[i].cpu == (unsigned int)late ?
			     "updated" : "sibling", self->rows[i].result);
		EXPECT_STRNE("gave-up", self->rows[i].park);
	}
	EXPECT_LT(0, status_long("failed"));
	EXPECT_EQ(status_long("failed"),
		  file_read_long(COMP "/last_load/failed"));
	ASSERT_LE(0, file_read(COMP "/last_load/failed_cpus", buf,
			       sizeof(buf)));
	EXPECT_EQ('0', buf[0]);
}

/*
 * A core that loads past the budget is waited for (no sibling leaves while
 * it loads), the verify step never starts, and the kernel is tainted out
 * of spec where its own loader would panic. The budget leaves the gather
 * 500 ms (a TCG guest on a loaded host has taken over 200 ms to bring 4
 * CPUs in); the load takes three times that.
 */
TEST_F(emu, timeout_reported)
{
	char buf[64], want[16];
	int n, slow, i;

	if (self->nr_cpus < 2)
		SKIP(return, "needs two CPUs");
	n = revisions_read(self->rows, MAX_CPUS);
	slow = last_core_leader(self->rows, n);
	ASSERT_LE(1, slow);
	ASSERT_EQ(0, file_write(COMP "/max_blackout_us", "500000"));
	ASSERT_EQ(0, file_write(EMU "/slow_ms", "1500"));
	ASSERT_EQ(0, file_writef(EMU "/slow_cpu", "%d", slow));
	ASSERT_EQ(0, stage_intel(&good, 1));
	EXPECT_EQ(-ETIMEDOUT, activation_start());

	ASSERT_LE(0, file_read(COMP "/last_activation/overrun_step", buf,
			       sizeof(buf)));
	EXPECT_STREQ("0", buf);
	ASSERT_LE(0, file_read(COMP "/last_activation/overrun_cpu", buf,
			       sizeof(buf)));
	snprintf(want, sizeof(want), "%d", slow);
	EXPECT_STREQ(want, buf);
	ASSERT_LE(0, file_read(COMP "/last_activation/failed_step", buf,
			       sizeof(buf)));
	EXPECT_STREQ("1", buf);
	ASSERT_LE(0, file_read("/proc/sys/kernel/tainted", buf, sizeof(buf)));
	/* TAINT_CPU_OUT_OF_SPEC is bit 2. */
	EXPECT_NE(0, atol(buf) & 4);
	EXPECT_EQ(-ETIMEDOUT, status_long("result"));
	/* The late load did land; the listing tells the truth per CPU. */
	n = revisions_read(self->rows, MAX_CPUS);
	for (i = 0; i < n; i++)
		if ((int)self->rows[i].cpu == slow)
			EXPECT_EQ(0x200, self->rows[i].after);
}

TEST_F(emu, mixed_cpus_each_get_their_patch)
{
	struct ub_intel u[2] = { good, good };
	int n, i, alt;
	char buf[64];

	if (self->nr_cpus < 2)
		SKIP(return, "needs two CPUs");
	n = revisions_read(self->rows, MAX_CPUS);
	alt = last_core_leader(self->rows, n);
	if (alt < 1)
		SKIP(return, "needs two cores");
	ASSERT_EQ(0, file_writef(EMU "/alt_sig", "0x%x", EMU_ALT_SIG));
	ASSERT_EQ(0, file_writef(EMU "/alt_cpu", "%d", alt));
	u[1].sig = EMU_ALT_SIG;
	u[1].rev = 0x300;
	ASSERT_EQ(0, stage_intel(u, 2));
	ASSERT_EQ(0, activation_start());
	n = revisions_read(self->rows, MAX_CPUS);
	for (i = 0; i < n; i++)
		EXPECT_EQ((int)self->rows[i].core == alt ? 0x300 : 0x200,
			  self->rows[i].after);
	ASSERT_LE(0, file_read(COMP "/current_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x200", buf);
}

TEST_F(emu, amd_zen_patch_id)
{
	static const __u32 cpu[] = { 0x00a20f10, 0x00a20f12 };
	static const __u16 id[] = { 0xa210, 0xa212 };
	struct ub_amd_patch pt[] = {
		{ 0x0a20102d, 0xa210, 3200 },
		{ 0x0a201230, 0xa212, 3200 },	/* other stepping */
	};
	size_t len = ub_amd_fill(NULL, cpu, id, 2, pt, 2);
	__u8 *p = malloc(len);
	char buf[64];

	ASSERT_NE(NULL, p);
	ub_amd_fill(p, cpu, id, 2, pt, 2);
	ASSERT_EQ(0, file_write(EMU "/vendor", "2"));
	ASSERT_EQ(0, file_write(EMU "/sig", "0x00a20f10"));
	ASSERT_EQ(0, file_write(EMU "/rev", "0x0a201000"));
	ASSERT_EQ(0, file_write(EMU "/enable", "1"));
	/*
	 * Family 19h is affected by EntrySign: a patch id the kernel knows
	 * with other bytes than the real patch is refused...
	 */
	EXPECT_EQ(-EKEYREJECTED, image_stage(p, len));
	ASSERT_EQ(0, file_write(PARAM "/force_amd_sha", "1"));
	/* ... and AMD patches carry no min-rev: never known safe. */
	EXPECT_EQ(-EPERM, image_stage(p, len));
	ASSERT_EQ(0, file_write(PARAM "/force_minrev", "1"));
	ASSERT_EQ(0, image_stage(p, len));
	ASSERT_EQ(0, activation_start());
	ASSERT_LE(0, file_read(COMP "/current_version", buf, sizeof(buf)));
	EXPECT_STREQ("0xa20102d", buf);
	EXPECT_EQ(4, taint_read() & 4);
	free(p);
}

/* Offset of the patch with @id in an AMD container file, or 0. */
static size_t amd_patch_find(const __u8 *p, size_t len, __u32 id)
{
	size_t off = 0;

	while (off + 12 <= len && ub_get32(p + off) == UB_AMD_MAGIC) {
		off += 12 + ub_get32(p + off + 8);
		while (off + 8 <= len && ub_get32(p + off) == 1) {
			__u32 size = ub_get32(p + off + 4);

			if (off + 8 + 64 <= len && ub_get32(p + off + 12) == id)
				return off + 8;
			off += 8 + size;
		}
	}
	return 0;
}

static __u8 *file_slurp(const char *path, size_t *len)
{
	struct stat st;
	__u8 *p;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !st.st_size) {
		close(fd);
		return NULL;
	}
	p = malloc(st.st_size);
	if (p && read(fd, p, st.st_size) != st.st_size) {
		free(p);
		p = NULL;
	}
	close(fd);
	*len = st.st_size;
	return p;
}

/*
 * The real fam17h container of amd64-microcode on an emulated Zen 2
 * (0x830f10) below its cut-off: its patch 0x830107c is in the kernel's
 * SHA-256 list and loads; the same file with one byte of that patch
 * changed is refused until force_amd_sha, which taints.
 */
TEST_F(emu, amd_sha_real_blob_and_changed_byte)
{
	size_t len, off;
	char buf[64];
	__u8 *p;

	if (real_blob_install(AMD_BLOB))
		SKIP(return, "no %s (amd64-microcode) in the guest", AMD_BLOB);
	p = file_slurp("/lib/firmware/" AMD_BLOB, &len);
	ASSERT_NE(NULL, p);
	off = amd_patch_find(p, len, 0x0830107c);
	ASSERT_LT(0, off);
	ASSERT_EQ(0, file_write(EMU "/vendor", "2"));
	ASSERT_EQ(0, file_write(EMU "/sig", "0x00830f10"));
	ASSERT_EQ(0, file_write(EMU "/rev", "0x08301000"));
	ASSERT_EQ(0, file_write(EMU "/enable", "1"));
	ASSERT_EQ(0, file_write(PARAM "/force_minrev", "1"));

	ASSERT_EQ(0, image_stage(p, len));
	ASSERT_LE(0, file_read(COMP "/pending_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x830107c", buf);
	ASSERT_EQ(0, file_write(COMP "/cancel", "1"));

	p[off + 64 + 100] ^= 0x40;
	EXPECT_EQ(-EKEYREJECTED, image_stage(p, len));
	ASSERT_LE(0, file_read(COMP "/pending_version", buf, sizeof(buf)));
	EXPECT_STREQ("N/A", buf);
	EXPECT_EQ(-ENODATA, activation_start());
	ASSERT_LE(0, file_read(COMP "/current_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x8301000", buf);

	ASSERT_EQ(0, file_write(PARAM "/force_amd_sha", "1"));
	EXPECT_EQ(4, taint_read() & 4);
	ASSERT_EQ(0, image_stage(p, len));
	ASSERT_EQ(0, activation_start());
	ASSERT_LE(0, file_read(COMP "/current_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x830107c", buf);
	free(p);
}

/* Broadwell-X stepping 1, 2.5 MB+ LLC per core, below 0x0b000021. */
TEST_F(emu, erratum_bdx90_refused)
{
	struct ub_intel u = good;
	char buf[64];

	u.sig = 0x000406f1;
	u.rev = 0x0b000040;
	u.min_rev = 0x0b000010;
	ASSERT_EQ(0, file_write(EMU "/sig", "0x000406f1"));
	ASSERT_EQ(0, file_write(EMU "/llc", "2883584"));
	ASSERT_EQ(0, file_write(EMU "/rev", "0x0b000020"));
	ASSERT_EQ(0, file_write(EMU "/enable", "1"));
	EXPECT_EQ(-EOPNOTSUPP, stage_intel(&u, 1));
	/* No force knob lifts it. */
	params_set(1, 1);
	EXPECT_EQ(-EOPNOTSUPP, stage_intel(&u, 1));
	ASSERT_LE(0, file_read(COMP "/pending_version", buf, sizeof(buf)));
	EXPECT_STREQ("N/A", buf);

	/* From 0x0b000021 on, or with a smaller cache, it loads. */
	ASSERT_EQ(0, file_write(EMU "/rev", "0x0b000021"));
	ASSERT_EQ(0, file_write(EMU "/enable", "1"));
	ASSERT_EQ(0, stage_intel(&u, 1));
	ASSERT_EQ(0, file_write(EMU "/rev", "0x0b000020"));
	ASSERT_EQ(0, file_write(EMU "/llc", "2621440"));
	ASSERT_EQ(0, file_write(EMU "/enable", "1"));
	ASSERT_EQ(0, stage_intel(&u, 1));
	ASSERT_EQ(0, activation_start());
	ASSERT_LE(0, file_read(COMP "/current_version", buf, sizeof(buf)));
	EXPECT_STREQ("0xb000040", buf);
}

/* Granite Rapids-X stepping 1: no jump over 0x1000405. */
TEST_F(emu, erratum_gnr98_no_jump)
{
	struct ub_intel u[2] = { good, good };
	char buf[64];
	int i;

	for (i = 0; i < 2; i++) {
		u[i].sig = 0x000a06d1;
		u[i].pf = 0x10;
		u[i].min_rev = 0x1000300;
	}
	u[0].rev = 0x1000500;
	u[1].rev = 0x1000405;
	ASSERT_EQ(0, file_write(EMU "/sig", "0x000a06d1"));
	ASSERT_EQ(0, file_write(EMU "/pf", "0x10"));
	ASSERT_EQ(0, file_write(EMU "/rev", "0x1000300"));
	ASSERT_EQ(0, file_write(EMU "/enable", "1"));
	EXPECT_EQ(-ENOENT, stage_intel(&u[0], 1));
	params_set(1, 1);
	EXPECT_EQ(-ENOENT, stage_intel(&u[0], 1));
	params_set(0, 1);
	ASSERT_LE(0, file_read(COMP "/pending_version", buf, sizeof(buf)));
	EXPECT_STREQ("N/A", buf);

	/* With 0x1000405 in the image, that one is chosen... */
	ASSERT_EQ(0, stage_intel(u, 2));
	ASSERT_LE(0, file_read(COMP "/pending_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x1000405", buf);
	ASSERT_EQ(0, activation_start());
	ASSERT_LE(0, file_read(COMP "/current_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x1000405", buf);
	/* ... and from it the next step is allowed. */
	ASSERT_EQ(0, stage_intel(u, 2));
	ASSERT_LE(0, file_read(COMP "/pending_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x1000500", buf);
}

TEST_F(emu, cancel_drops_the_image)
{
	char buf[64];

	ASSERT_EQ(0, stage_intel(&good, 1));
	ASSERT_EQ(0, file_write(COMP "/cancel", "1"));
	ASSERT_LE(0, file_read(COMP "/pending_version", buf, sizeof(buf)));
	EXPECT_STREQ("N/A", buf);
	EXPECT_EQ(-ENODATA, activation_start());
	ASSERT_LE(0, file_read(COMP "/current_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x100", buf);
}

TEST_F(emu, cpuinfo_restored_without_emulator)
{
	unsigned int real;
	int n, cpus;

	ASSERT_EQ(0, stage_intel(&good, 1));
	ASSERT_EQ(0, activation_start());
	EXPECT_TRUE(cpuinfo_all_rev(0x200, &cpus));
	/* Back on the real MSRs, /proc/cpuinfo shows the real revision. */
	ASSERT_EQ(0, file_write(EMU "/enable", "0"));
	n = revisions_read(self->rows, MAX_CPUS);
	ASSERT_LT(0, n);
	real = self->rows[0].rev;
	EXPECT_NE(0x200, real);
	EXPECT_TRUE(cpuinfo_all_rev(real, &cpus));
}

/* The emulated engine's revision of @cpu, or 0. */
static unsigned int emu_rev_of(int want, unsigned int *loads)
{
	unsigned int cpu, core, rev;
	char line[128];
	FILE *f = fopen(EMU "/cores", "r");
	int cnt;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "cpu=%u core=%u rev=%x loads=%d", &cpu, &core,
			   &rev, &cnt) == 4 && (int)cpu == want) {
			fclose(f);
			if (loads)
				*loads = cnt;
			return rev;
		}
	}
	fclose(f);
	return 0;
}

/* The highest-numbered CPU, if it can go offline; -1 if none can. */
static int hotplug_victim(int nr_cpus)
{
	char path[64];
	int cpu = nr_cpus - 1;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	return cpu >= 1 && !access(path, W_OK) ? cpu : -1;
}

/*
 * A CPU that goes offline after a load comes back at its boot revision
 * (the emulated engine resets it, as a real CPU may); fwact loads its
 * patch into it again when it comes online.
 */
TEST_F(emu, offline_cpu_gets_the_patch_again)
{
	unsigned int loads0 = 0, loads1 = 0;
	int victim = hotplug_victim(self->nr_cpus), cpus;
	char buf[64];

	if (victim < 0)
		SKIP(return, "no CPU that can go offline");
	ASSERT_EQ(0, stage_intel(&good, 1));
	ASSERT_EQ(0, activation_start());
	ASSERT_EQ(0x200, emu_rev_of(victim, &loads0));

	ASSERT_EQ(0, cpu_online_set(victim, 0));
	ASSERT_EQ(0, cpu_online_set(victim, 1));
	EXPECT_EQ(0x200, emu_rev_of(victim, &loads1));
	EXPECT_EQ(loads0 + 1, loads1);
	ASSERT_LE(0, file_read(COMP "/current_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x200", buf);
	EXPECT_TRUE(cpuinfo_all_rev(0x200, &cpus));
	EXPECT_EQ(self->nr_cpus, cpus);
}

/*
 * Through a suspend and resume (PM core test: the non-boot CPUs go
 * offline, syscore suspend and resume run, nothing is powered down) every
 * CPU is back at its boot revision in the emulated engine; fwact loads its
 * patch again: the boot CPU from its resume hook, the others as they come
 * online.
 */
TEST_F_TIMEOUT(emu, resumed_cpus_get_the_patch_again, 120)
{
	unsigned int loads0 = 0, loads1 = 0;
	char buf[64];
	int cpus;

	if (file_read("/sys/power/pm_test", buf, sizeof(buf)) < 0 ||
	    !strstr(buf, "core"))
		SKIP(return, "no PM test mode \"core\"");
	if (file_read("/sys/power/state", buf, sizeof(buf)) < 0 ||
	    !strstr(buf, "mem"))
		SKIP(return, "no suspend to RAM");
	ASSERT_EQ(0, stage_intel(&good, 1));
	ASSERT_EQ(0, activation_start());
	ASSERT_EQ(0x200, emu_rev_of(0, &loads0));

	ASSERT_EQ(0, file_write("/sys/power/pm_test", "core"));
	EXPECT_EQ(0, file_write("/sys/power/state", "mem"));
	ASSERT_EQ(0, file_write("/sys/power/pm_test", "none"));
	EXPECT_EQ(0x200, emu_rev_of(0, &loads1));
	EXPECT_EQ(loads0 + 1, loads1);
	ASSERT_LE(0, file_read(COMP "/current_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x200", buf);
	EXPECT_TRUE(cpuinfo_all_rev(0x200, &cpus));
	EXPECT_EQ(self->nr_cpus, cpus);
}

/* A CPU that does not take the patch again makes the component show it. */
TEST_F(emu, offline_cpu_reload_failure_is_visible)
{
	int victim = hotplug_victim(self->nr_cpus), n, i;
	char buf[64];

	if (victim < 0)
		SKIP(return, "no CPU that can go offline");
	ASSERT_EQ(0, stage_intel(&good, 1));
	ASSERT_EQ(0, activation_start());
	ASSERT_EQ(0, file_writef(EMU "/fail_cpu", "%d", victim));
	ASSERT_EQ(0, cpu_online_set(victim, 0));
	ASSERT_EQ(0, cpu_online_set(victim, 1));
	EXPECT_EQ(EMU_REV, emu_rev_of(victim, NULL));
	ASSERT_LE(0, file_read(COMP "/current_version", buf, sizeof(buf)));
	EXPECT_STREQ("0x100", buf);
	n = revisions_read(self->rows, MAX_CPUS);
	for (i = 0; i < n; i++)
		if ((int)self->rows[i].cpu == victim)
			EXPECT_EQ(EMU_REV, self->rows[i].rev);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * The core holds the CPU hotplug lock from prepare to finish: a CPU taken
 * offline while prepare runs goes offline only after the activation has
 * finished, and the activation counts every CPU it planned for.
 */
TEST_F(emu, offline_waits_for_the_activation)
{
	int victim = hotplug_victim(self->nr_cpus), fds[2], status, ret;
	long long msg[2] = { -1, 0 }, t0, t1;
	pid_t pid;

	if (victim < 0)
		SKIP(return, "no CPU that can go offline");
	ASSERT_EQ(0, stage_intel(&good, 1));
	ASSERT_EQ(0, file_write(EMU "/prepare_ms", "3000"));
	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		msg[0] = activation_start();
		msg[1] = now_ms();
		if (write(fds[1], msg, sizeof(msg)) != sizeof(msg))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	usleep(1000 * 1000);
	t0 = now_ms();
	ret = cpu_online_set(victim, 0);
	t1 = now_ms();
	ASSERT_EQ(sizeof(msg), read(fds[0], msg, sizeof(msg)));
	close(fds[0]);
	waitpid(pid, &status, 0);
	TH_LOG("offline took %lld ms, activation ended %lld ms after it began",
	       t1 - t0, msg[1] - t0);

	EXPECT_EQ(0, ret);
	EXPECT_EQ(0, msg[0]);
	/* The offline completed only once the activation had ended. */
	EXPECT_LE(msg[1], t1);
	EXPECT_LT(1000, t1 - t0);
	EXPECT_EQ(self->nr_cpus, status_long("cpus"));
	EXPECT_EQ(self->nr_cpus, status_long("updated"));
	EXPECT_EQ(0, status_long("failed"));
	ASSERT_EQ(0, cpu_online_set(victim, 1));
}

TEST_F(emu, hypervisor_gate)
{
	char buf[16];

	if (!cpuinfo_has(" hypervisor"))
		SKIP(return, "no hypervisor bit");
	ASSERT_EQ(0, stage_intel(&good, 1));
	params_set(0, 0);
	ASSERT_LE(0, file_read(COMP "/activation_capable", buf, sizeof(buf)));
	EXPECT_STREQ("0", buf);
	EXPECT_EQ(-EOPNOTSUPP, activation_start());
	EXPECT_EQ(-EOPNOTSUPP, stage_intel(&good, 1));
	params_set(0, 1);
	ASSERT_LE(0, file_read(COMP "/activation_capable", buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);
	EXPECT_EQ(0, activation_start());
}

TEST_HARNESS_MAIN
