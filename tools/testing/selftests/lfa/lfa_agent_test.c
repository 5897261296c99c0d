// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of fwact's emulated LFA agent (the TF-A runtime service in
 * tools/testing/lfa/tf-a/), driven only through the test module
 * fwact_lfa_ctl's debugfs files (lfa_test_smc.h): the seven DEN0147 calls
 * answer as documented (version, count, every inventory entry's GUID,
 * flags and versions in x4/x5), PRIME's CALL_AGAIN, ACTIVATE's rendezvous
 * of every online CPU and its holding-pen timeout, the skip flag, the
 * error codes of each call, CANCEL, injected errors, BUSY and CALL_AGAIN
 * rounds, and the inventory changes after an activation (shuffle, vanish,
 * a new component).
 *
 * Without the module (no LFA agent: QEMU's own PSCI, not TF-A) every test
 * skips. The CPU of a single-CPU call is chosen with sched_setaffinity().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lfa_test_smc.h"

#define CTL			"/sys/kernel/debug/fwact_lfa_ctl"
#define MAX_CPUS		64

#define LFA_VERSION		0xc40002e0ULL
#define LFA_FEATURES		0xc40002e1ULL
#define LFA_GET_INFO		0xc40002e2ULL
#define LFA_GET_INVENTORY	0xc40002e3ULL
#define LFA_PRIME		0xc40002e4ULL
#define LFA_ACTIVATE		0xc40002e5ULL
#define LFA_CANCEL		0xc40002e6ULL

#define LFA_SUCCESS		0
#define LFA_NOT_SUPPORTED	(-1)
#define LFA_BUSY		(-2)
#define LFA_DEVICE_ERROR	(-6)
#define LFA_WRONG_STATE		(-7)
#define LFA_INVALID_PARAMETERS	(-8)
#define LFA_COMPONENT_WRONG_STATE (-9)
#define LFA_ACTIVATION_FAILED	(-11)

#define F_CAPABLE		0x1ULL
#define F_PENDING		0x2ULL
#define F_MAY_RESET		0x4ULL
#define F_RENDEZVOUS_OPTIONAL	0x8ULL
#define CALL_AGAIN		0x1ULL

#define VER(maj, min)		(((uint64_t)(maj) << 32) | (min))

/* The agent's table, as lfa_test_smc.h gives it. */
static const struct {
	const char *guid;
	uint64_t flags;
	uint64_t version;
} comps[LFA_TEST_NR_COMPONENTS] = {
	{ "6c0762a6-12f2-4b56-92cb-ba8f633606d9", F_CAPABLE, VER(1, 0) },
	{ "f07b2a96-1d47-4d17-9ec8-86a64e253e5c",
	  F_CAPABLE | F_RENDEZVOUS_OPTIONAL, VER(1, 0) },
	{ "47d4086d-4cfe-9846-9b95-2950cbbd5a00", F_CAPABLE | F_MAY_RESET,
	  VER(2, 12) },
	{ "d6d0eea7-fcea-d54b-9782-9934f234b6e4", 0, VER(6, 1) },
	{ "0b5c6a44-0f9e-4c2b-8a1e-fa57c0de0004", F_CAPABLE, VER(1, 0) },
};

struct regs {
	uint64_t x[6];
};

/* One CPU's answer of activate_all. */
struct answer {
	bool seen;
	uint64_t x0;
	uint64_t x1;
};

static int ctl_write(const char *file, const char *fmt, ...)
{
	char path[128], buf[256];
	va_list ap;
	ssize_t n;
	int fd, len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), CTL "/%s", file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	n = n < 0 ? -errno : 0;
	close(fd);
	return (int)n;
}

static int ctl_read(const char *file, char *buf, size_t size)
{
	char path[128];
	ssize_t n, got = 0;
	int fd;

	snprintf(path, sizeof(path), CTL "/%s", file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	while ((size_t)got < size - 1) {
		n = read(fd, buf + got, size - 1 - got);
		if (n < 0) {
			n = -errno;
			close(fd);
			return (int)n;
		}
		if (n == 0)
			break;
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	return 0;
}

/* LFA_TEST_SET; 0 or the write's -errno. */
static int tset(uint64_t key, uint64_t comp, uint64_t value)
{
	return ctl_write("set", "%llu %llu 0x%llx", (unsigned long long)key,
			 (unsigned long long)comp, (unsigned long long)value);
}

/* LFA_TEST_GET; the value (INT64_MIN if the agent refused). */
static int64_t tget(uint64_t key, uint64_t comp)
{
	char buf[64];

	if (ctl_write("get", "%llu %llu", (unsigned long long)key,
		      (unsigned long long)comp))
		return INT64_MIN;
	if (ctl_read("get", buf, sizeof(buf)))
		return INT64_MIN;
	return strtoll(buf, NULL, 10);
}

/* One call through raw on the calling CPU; x0 as a signed number. */
static int64_t raw(uint64_t fid, uint64_t x1, uint64_t x2, uint64_t x3,
		   uint64_t x4, struct regs *r)
{
	unsigned long long x[6];
	struct regs dummy;
	char buf[256];
	int ret, i;

	if (!r)
		r = &dummy;
	memset(r, 0xa5, sizeof(*r));
	ret = ctl_write("raw", "0x%llx 0x%llx 0x%llx 0x%llx 0x%llx",
			(unsigned long long)fid, (unsigned long long)x1,
			(unsigned long long)x2, (unsigned long long)x3,
			(unsigned long long)x4);
	if (ret)
		return INT64_MIN + 1 + (-ret);
	if (ctl_read("raw", buf, sizeof(buf)))
		return INT64_MIN;
	if (sscanf(buf, "%llx %llx %llx %llx %llx %llx", &x[0], &x[1], &x[2],
		   &x[3], &x[4], &x[5]) != 6)
		return INT64_MIN;
	for (i = 0; i < 6; i++)
		r->x[i] = x[i];
	return (int64_t)r->x[0];
}

/* activate_all(seq, skip): every online CPU's answer in @ans. */
static int activate_all(uint64_t seq, uint64_t skip, struct answer *ans)
{
	char buf[64 * MAX_CPUS], *line, *save;
	unsigned long long x0, x1;
	unsigned int cpu;
	int ret;

	memset(ans, 0, sizeof(*ans) * MAX_CPUS);
	ret = ctl_write("activate_all", "%llu %llu", (unsigned long long)seq,
			(unsigned long long)skip);
	if (ret)
		return ret;
	ret = ctl_read("activate_all", buf, sizeof(buf));
	if (ret)
		return ret;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%u %llx %llx", &cpu, &x0, &x1) != 3 ||
		    cpu >= MAX_CPUS)
			return -EPROTO;
		ans[cpu].seen = true;
		ans[cpu].x0 = x0;
		ans[cpu].x1 = x1;
	}
	return 0;
}

/* The online CPUs as a mask, from sysfs. */
static uint64_t online_mask(void)
{
	char buf[256], *p = buf;
	uint64_t mask = 0;
	FILE *f;

	f = fopen("/sys/devices/system/cpu/online", "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	while (*p) {
		char *end;
		long a = strtol(p, &end, 10), b = a;

		if (end == p)
			break;
		p = end;
		if (*p == '-') {
			b = strtol(p + 1, &end, 10);
			p = end;
		}
		for (; a <= b && a < MAX_CPUS; a++)
			mask |= 1ULL << a;
		if (*p == ',')
			p++;
		else
			break;
	}
	return mask;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

static void unpin(void)
{
	cpu_set_t set;
	int cpu;

	CPU_ZERO(&set);
	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static int lowest_cpu(uint64_t mask)
{
	return mask ? __builtin_ctzll(mask) : -1;
}

static int highest_cpu(uint64_t mask)
{
	return mask ? 63 - __builtin_clzll(mask) : -1;
}

/* The 16 GUID bytes of a "%pUb" string, as two little-endian u64. */
static void guid_words(const char *s, uint64_t *lo, uint64_t *hi)
{
	uint8_t b[16];
	unsigned int i = 0, v;

	while (*s && i < 16) {
		if (*s == '-') {
			s++;
			continue;
		}
		sscanf(s, "%2x", &v);
		b[i++] = (uint8_t)v;
		s += 2;
	}
	*lo = 0;
	*hi = 0;
	for (i = 0; i < 8; i++) {
		*lo |= (uint64_t)b[i] << (8 * i);
		*hi |= (uint64_t)b[i + 8] << (8 * i);
	}
}

/* x1/x2 of GET_INVENTORY printed as Linux's "%pUb" does. */
static void guid_string(uint64_t lo, uint64_t hi, char *out)
{
	uint8_t b[16];
	unsigned int i;
	char *p = out;

	for (i = 0; i < 8; i++) {
		b[i] = (uint8_t)(lo >> (8 * i));
		b[i + 8] = (uint8_t)(hi >> (8 * i));
	}
	for (i = 0; i < 16; i++) {
		p += sprintf(p, "%02x", b[i]);
		if (i == 3 || i == 5 || i == 7 || i == 9)
			*p++ = '-';
	}
	*p = '\0';
}

/* The sequence id of component @comp now, or -1 if it is not listed. */
static int seq_of(int comp)
{
	uint64_t lo, hi;
	struct regs r;
	int64_t n, i;

	guid_words(comps[comp].guid, &lo, &hi);
	if (raw(LFA_GET_INFO, 0, 0, 0, 0, &r) != 0)
		return -1;
	n = (int64_t)r.x[1];
	for (i = 0; i < n; i++) {
		if (raw(LFA_GET_INVENTORY, i, 0, 0, 0, &r) != 0)
			return -1;
		if (r.x[1] == lo && r.x[2] == hi)
			return (int)i;
	}
	return -1;
}

static int64_t info_count(void)
{
	struct regs r;

	if (raw(LFA_GET_INFO, 0, 0, 0, 0, &r) != 0)
		return -1;
	return (int64_t)r.x[1];
}

/* Make @comp pending with @ver and prime it to completion. */
static int64_t stage(int comp, uint64_t ver)
{
	struct regs r;
	int64_t x0;
	int i;

	if (tset(LFA_TEST_K_PENDING, comp, ver))
		return INT64_MIN;
	for (i = 0; i < 100; i++) {
		x0 = raw(LFA_PRIME, seq_of(comp), 0, 0, 0, &r);
		if (x0 != 0 || !(r.x[1] & CALL_AGAIN))
			return x0;
	}
	return INT64_MIN;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * How often the GIC interrupt @intid was taken (/proc/interrupts, all
 * CPUs), or -1 if no handler has it.
 */
static long long irq_count(unsigned int intid)
{
	char line[1024], chip[32], *p, *end;
	long long sum = -1, n;
	unsigned int hw;
	FILE *f;

	f = fopen("/proc/interrupts", "r");
	if (!f)
		return -1;
	while (sum < 0 && fgets(line, sizeof(line), f)) {
		p = strchr(line, ':');
		if (!p)
			continue;
		p++;
		for (n = 0;; p = end) {
			unsigned long long v = strtoull(p, &end, 10);

			if (end == p)
				break;
			n += v;
		}
		if (sscanf(p, "%31s %u", chip, &hw) == 2 &&
		    !strncmp(chip, "GIC", 3) && hw == intid)
			sum = n;
	}
	fclose(f);
	return sum;
}

FIXTURE(lfa) {
	uint64_t online;
	int ncpus;
};

FIXTURE_SETUP(lfa)
{
	struct stat st;

	if (stat(CTL, &st))
		SKIP(longjmp(_metadata->env, 1),
		     "%s missing: fwact_lfa_ctl not loaded (no LFA agent)", CTL);
	ASSERT_EQ(0, ctl_write("reset", "1"));
	/* A TCG vCPU can be kept off a loaded host for a while. */
	ASSERT_EQ(0, tset(LFA_TEST_K_PEN_TIMEOUT_MS, 0, 20000));
	self->online = online_mask();
	self->ncpus = __builtin_popcountll(self->online);
	ASSERT_LT(0, self->ncpus);
}

FIXTURE_TEARDOWN(lfa)
{
	unpin();
	ctl_write("reset", "1");
}

TEST_F(lfa, version_and_features)
{
	uint64_t fid;

	ASSERT_EQ(0x10000, raw(LFA_VERSION, 0, 0, 0, 0, NULL));
	for (fid = LFA_VERSION; fid <= LFA_CANCEL; fid++)
		EXPECT_EQ(LFA_SUCCESS, raw(LFA_FEATURES, fid, 0, 0, 0, NULL));
	EXPECT_EQ(LFA_NOT_SUPPORTED,
		  raw(LFA_FEATURES, LFA_CANCEL + 1, 0, 0, 0, NULL));
	EXPECT_EQ(LFA_NOT_SUPPORTED,
		  raw(LFA_FEATURES, LFA_TEST_RESET, 0, 0, 0, NULL));
}

TEST_F(lfa, get_info)
{
	struct regs r;

	ASSERT_EQ(LFA_SUCCESS, raw(LFA_GET_INFO, 0, 0, 0, 0, &r));
	/* Component 4 is absent at boot. */
	EXPECT_EQ(4, r.x[1]);
	EXPECT_EQ(0, r.x[2]);
	EXPECT_EQ(LFA_INVALID_PARAMETERS, raw(LFA_GET_INFO, 1, 0, 0, 0, NULL));
}

TEST_F(lfa, inventory)
{
	uint64_t lo, hi;
	char guid[40];
	struct regs r;
	int i;

	for (i = 0; i < 4; i++) {
		guid_words(comps[i].guid, &lo, &hi);
		/* x4 is junk on entry: the agent must write it. */
		ASSERT_EQ(LFA_SUCCESS, raw(LFA_GET_INVENTORY, i, 0, 0,
					   0xdeadbeefULL, &r));
		EXPECT_EQ(lo, r.x[1]);
		EXPECT_EQ(hi, r.x[2]);
		guid_string(r.x[1], r.x[2], guid);
		EXPECT_STREQ(comps[i].guid, guid);
		EXPECT_EQ(comps[i].flags, r.x[3]);
		EXPECT_EQ(comps[i].version, r.x[4]);
		EXPECT_EQ(0, r.x[5]);
	}
	EXPECT_EQ(LFA_INVALID_PARAMETERS,
		  raw(LFA_GET_INVENTORY, 4, 0, 0, 0, NULL));
	EXPECT_EQ(LFA_INVALID_PARAMETERS,
		  raw(LFA_GET_INVENTORY, 1ULL << 32, 0, 0, 0, NULL));

	/* Pending: flag bit 1 and x5 the pending version. */
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, 0, VER(1, 7)));
	ASSERT_EQ(0, tset(LFA_TEST_K_VERSION, 3, VER(7, 3)));
	ASSERT_EQ(LFA_SUCCESS, raw(LFA_GET_INVENTORY, 0, 0, 0, 0, &r));
	EXPECT_EQ(F_CAPABLE | F_PENDING, r.x[3]);
	EXPECT_EQ(VER(1, 0), r.x[4]);
	EXPECT_EQ(VER(1, 7), r.x[5]);
	EXPECT_EQ(1, tget(LFA_TEST_K_PENDING, 0));
	ASSERT_EQ(LFA_SUCCESS, raw(LFA_GET_INVENTORY, 3, 0, 0, 0, &r));
	EXPECT_EQ(VER(7, 3), r.x[4]);
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, 0, 0));
	ASSERT_EQ(LFA_SUCCESS, raw(LFA_GET_INVENTORY, 0, 0, 0, 0, &r));
	EXPECT_EQ(F_CAPABLE, r.x[3]);
	EXPECT_EQ(0, r.x[5]);
}

TEST_F(lfa, prime_call_again)
{
	struct regs r;
	int i;

	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, 0, VER(1, 1)));
	ASSERT_EQ(0, tset(LFA_TEST_K_PRIME_AGAIN, 0, 3));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(LFA_SUCCESS, raw(LFA_PRIME, 0, 0, 0, 0, &r));
		EXPECT_EQ(CALL_AGAIN, r.x[1]);
		/* Not primed yet. */
		EXPECT_EQ(LFA_COMPONENT_WRONG_STATE,
			  raw(LFA_ACTIVATE, 0, 0, 0, 0, NULL));
	}
	ASSERT_EQ(LFA_SUCCESS, raw(LFA_PRIME, 0, 0, 0, 0, &r));
	EXPECT_EQ(0, r.x[1]);
	EXPECT_EQ(4, tget(LFA_TEST_K_PRIMES, 0));
	EXPECT_EQ(0, tget(LFA_TEST_K_PRIME_AGAIN, 0));
}

TEST_F(lfa, prime_errors)
{
	struct regs r;

	/* Not pending, out of range, not capable. */
	EXPECT_EQ(LFA_WRONG_STATE, raw(LFA_PRIME, 0, 0, 0, 0, NULL));
	EXPECT_EQ(LFA_INVALID_PARAMETERS, raw(LFA_PRIME, 4, 0, 0, 0, NULL));
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, 3, VER(6, 2)));
	EXPECT_EQ(LFA_NOT_SUPPORTED, raw(LFA_PRIME, 3, 0, 0, 0, NULL));
	EXPECT_EQ(LFA_NOT_SUPPORTED, raw(LFA_ACTIVATE, 3, 0, 0, 0, NULL));

	/* One PRIME at a time: another component's waits for CALL_AGAIN. */
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, 0, VER(1, 1)));
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, 1, VER(1, 1)));
	ASSERT_EQ(0, tset(LFA_TEST_K_PRIME_AGAIN, 0, 1));
	ASSERT_EQ(LFA_SUCCESS, raw(LFA_PRIME, 0, 0, 0, 0, &r));
	ASSERT_EQ(CALL_AGAIN, r.x[1]);
	EXPECT_EQ(LFA_BUSY, raw(LFA_PRIME, 1, 0, 0, 0, NULL));
	ASSERT_EQ(LFA_SUCCESS, raw(LFA_PRIME, 0, 0, 0, 0, &r));
	EXPECT_EQ(0, r.x[1]);
	/* Once complete, priming another one replaces it. */
	ASSERT_EQ(LFA_SUCCESS, raw(LFA_PRIME, 1, 0, 0, 0, &r));
	EXPECT_EQ(0, r.x[1]);
	EXPECT_EQ(LFA_INVALID_PARAMETERS, raw(LFA_ACTIVATE, 0, 0, 0, 0, NULL));
}

TEST_F(lfa, activate_before_prime)
{
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, 0, VER(1, 1)));
	EXPECT_EQ(LFA_COMPONENT_WRONG_STATE,
		  raw(LFA_ACTIVATE, 0, 0, 0, 0, NULL));
	/* Not pending at all. */
	EXPECT_EQ(LFA_COMPONENT_WRONG_STATE,
		  raw(LFA_ACTIVATE, 1, 0, 0, 0, NULL));
	EXPECT_EQ(LFA_INVALID_PARAMETERS, raw(LFA_ACTIVATE, 9, 0, 0, 0, NULL));
	EXPECT_EQ(0, tget(LFA_TEST_K_ROUNDS, 0));
	EXPECT_EQ(1, tget(LFA_TEST_K_ACTIVATES, 0));
	EXPECT_EQ(VER(1, 0), tget(LFA_TEST_K_VERSION, 0));
}

TEST_F(lfa, activate_all_cpus)
{
	struct answer ans[MAX_CPUS];
	struct regs r;
	int cpu;

	ASSERT_EQ(LFA_SUCCESS, stage(0, VER(1, 1)));
	ASSERT_EQ(0, activate_all(0, 0, ans));
	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (!(self->online & (1ULL << cpu)))
			continue;
		ASSERT_TRUE(ans[cpu].seen) TH_LOG("cpu %d did not answer", cpu);
		EXPECT_EQ(0, ans[cpu].x0) TH_LOG("cpu %d", cpu);
		EXPECT_EQ(0, ans[cpu].x1) TH_LOG("cpu %d", cpu);
	}
	EXPECT_EQ((int64_t)self->online, tget(LFA_TEST_K_LAST_CPUS, 0));
	EXPECT_EQ(0, tget(LFA_TEST_K_LAST_SKIP, 0));
	EXPECT_EQ(1, tget(LFA_TEST_K_ROUNDS, 0));
	EXPECT_EQ(self->ncpus, tget(LFA_TEST_K_ACTIVATES, 0));
	EXPECT_EQ(1, tget(LFA_TEST_K_ACTIVATIONS, 0));
	EXPECT_EQ(VER(1, 1), tget(LFA_TEST_K_VERSION, 0));
	EXPECT_EQ(0, tget(LFA_TEST_K_PENDING, 0));
	ASSERT_EQ(LFA_SUCCESS, raw(LFA_GET_INVENTORY, 0, 0, 0, 0, &r));
	EXPECT_EQ(F_CAPABLE, r.x[3]);
	EXPECT_EQ(VER(1, 1), r.x[4]);
	EXPECT_EQ(0, r.x[5]);
	/* Activated: neither primed nor pending any more. */
	EXPECT_EQ(LFA_WRONG_STATE, raw(LFA_CANCEL, 0, 0, 0, 0, NULL));
	EXPECT_EQ(LFA_COMPONENT_WRONG_STATE,
		  raw(LFA_ACTIVATE, 0, 0, 0, 0, NULL));
}

TEST_F(lfa, pen_timeout_one_cpu)
{
	struct answer ans[MAX_CPUS];
	int cpu = lowest_cpu(self->online);
	double t0, t;

	if (self->ncpus < 2)
		SKIP(return, "needs two online CPUs");
	ASSERT_EQ(LFA_SUCCESS, stage(0, VER(1, 2)));
	ASSERT_EQ(0, tset(LFA_TEST_K_PEN_TIMEOUT_MS, 0, 300));
	EXPECT_EQ(300, tget(LFA_TEST_K_PEN_TIMEOUT_MS, 0));
	ASSERT_EQ(0, pin(cpu));
	t0 = now_s();
	EXPECT_EQ(LFA_ACTIVATION_FAILED, raw(LFA_ACTIVATE, 0, 0, 0, 0, NULL));
	t = now_s() - t0;
	EXPECT_LE(0.29, t);
	EXPECT_GT(20.0, t);
	EXPECT_EQ(1ULL << cpu, tget(LFA_TEST_K_LAST_CPUS, 0));
	EXPECT_EQ(1, tget(LFA_TEST_K_ROUNDS, 0));
	/* Nothing activated, still pending, still primed. */
	EXPECT_EQ(0, tget(LFA_TEST_K_ACTIVATIONS, 0));
	EXPECT_EQ(VER(1, 0), tget(LFA_TEST_K_VERSION, 0));
	EXPECT_EQ(1, tget(LFA_TEST_K_PENDING, 0));
	unpin();
	ASSERT_EQ(0, tset(LFA_TEST_K_PEN_TIMEOUT_MS, 0, 20000));
	ASSERT_EQ(0, activate_all(0, 0, ans));
	EXPECT_EQ(0, ans[cpu].x0);
	EXPECT_EQ(VER(1, 2), tget(LFA_TEST_K_VERSION, 0));
	EXPECT_EQ(2, tget(LFA_TEST_K_ROUNDS, 0));
}

TEST_F(lfa, skip_rendezvous)
{
	int cpu = highest_cpu(self->online);

	/* Component 0 requires the rendezvous. */
	ASSERT_EQ(LFA_SUCCESS, stage(0, VER(1, 3)));
	EXPECT_EQ(LFA_INVALID_PARAMETERS, raw(LFA_ACTIVATE, 0, 1, 0, 0, NULL));
	EXPECT_EQ(1, tget(LFA_TEST_K_LAST_SKIP, 0));
	EXPECT_EQ(0, tget(LFA_TEST_K_ROUNDS, 0));
	EXPECT_EQ(VER(1, 0), tget(LFA_TEST_K_VERSION, 0));
	ASSERT_EQ(LFA_SUCCESS, raw(LFA_CANCEL, 0, 0, 0, 0, NULL));

	/* Component 1's is optional: one CPU activates it. */
	ASSERT_EQ(LFA_SUCCESS, stage(1, VER(1, 4)));
	ASSERT_EQ(0, pin(cpu));
	EXPECT_EQ(LFA_SUCCESS, raw(LFA_ACTIVATE, 1, 1, 0, 0, NULL));
	EXPECT_EQ(VER(1, 4), tget(LFA_TEST_K_VERSION, 1));
	EXPECT_EQ(0, tget(LFA_TEST_K_PENDING, 1));
	EXPECT_EQ(1ULL << cpu, tget(LFA_TEST_K_LAST_CPUS, 1));
	EXPECT_EQ(1, tget(LFA_TEST_K_LAST_SKIP, 1));
	EXPECT_EQ(1, tget(LFA_TEST_K_ROUNDS, 1));
	EXPECT_EQ(1, tget(LFA_TEST_K_ACTIVATIONS, 1));
}

TEST_F(lfa, optional_rendezvous_default)
{
	struct answer ans[MAX_CPUS];

	/* Without the skip flag component 1 gathers every CPU too. */
	ASSERT_EQ(LFA_SUCCESS, stage(1, VER(1, 5)));
	ASSERT_EQ(0, activate_all(1, 0, ans));
	EXPECT_EQ(0, ans[lowest_cpu(self->online)].x0);
	EXPECT_EQ((int64_t)self->online, tget(LFA_TEST_K_LAST_CPUS, 1));
	EXPECT_EQ(VER(1, 5), tget(LFA_TEST_K_VERSION, 1));
}

TEST_F(lfa, may_reset_refused)
{
	struct answer ans[MAX_CPUS];

	ASSERT_EQ(LFA_SUCCESS, stage(2, VER(2, 13)));
	ASSERT_EQ(0, activate_all(2, 0, ans));
	EXPECT_EQ((uint64_t)LFA_NOT_SUPPORTED,
		  ans[lowest_cpu(self->online)].x0);
	EXPECT_EQ(VER(2, 12), tget(LFA_TEST_K_VERSION, 2));
}

TEST_F(lfa, activate_call_again_and_busy_rounds)
{
	struct answer ans[MAX_CPUS];
	int cpu, round;

	ASSERT_EQ(LFA_SUCCESS, stage(0, VER(1, 6)));
	ASSERT_EQ(0, tset(LFA_TEST_K_ACTIVATE_BUSY, 0, 1));
	ASSERT_EQ(0, tset(LFA_TEST_K_ACTIVATE_AGAIN, 0, 2));
	for (round = 0; round < 4; round++) {
		ASSERT_EQ(0, activate_all(0, 0, ans));
		for (cpu = 0; cpu < MAX_CPUS; cpu++) {
			if (!(self->online & (1ULL << cpu)))
				continue;
			/* A whole round answers the same on every CPU. */
			if (round == 0) {
				EXPECT_EQ((uint64_t)LFA_BUSY, ans[cpu].x0);
			} else {
				EXPECT_EQ(0, ans[cpu].x0);
				EXPECT_EQ(round < 3 ? CALL_AGAIN : 0,
					  ans[cpu].x1);
			}
		}
		EXPECT_EQ(round < 3 ? VER(1, 0) : VER(1, 6),
			  tget(LFA_TEST_K_VERSION, 0));
	}
	EXPECT_EQ(4, tget(LFA_TEST_K_ROUNDS, 0));
	EXPECT_EQ(1, tget(LFA_TEST_K_ACTIVATIONS, 0));
}

TEST_F(lfa, injected_errors)
{
	struct answer ans[MAX_CPUS];
	struct regs r;
	int cpu;

	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, 0, VER(1, 8)));
	/* Any value, also codes the spec does not define; once. */
	ASSERT_EQ(0, tset(LFA_TEST_K_PRIME_ERR, 0, (uint64_t)-32));
	EXPECT_EQ(-32, tget(LFA_TEST_K_PRIME_ERR, 0));
	EXPECT_EQ(-32, raw(LFA_PRIME, 0, 0, 0, 0, NULL));
	EXPECT_EQ(0, tget(LFA_TEST_K_PRIME_ERR, 0));
	ASSERT_EQ(LFA_SUCCESS, raw(LFA_PRIME, 0, 0, 0, 0, &r));
	EXPECT_EQ(0, r.x[1]);

	ASSERT_EQ(0, tset(LFA_TEST_K_ACTIVATE_ERR, 0,
			  (uint64_t)LFA_DEVICE_ERROR));
	ASSERT_EQ(0, activate_all(0, 0, ans));
	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (self->online & (1ULL << cpu))
			EXPECT_EQ((uint64_t)LFA_DEVICE_ERROR, ans[cpu].x0);
	}
	EXPECT_EQ(VER(1, 0), tget(LFA_TEST_K_VERSION, 0));
	EXPECT_EQ(0, tget(LFA_TEST_K_ACTIVATIONS, 0));

	ASSERT_EQ(0, tset(LFA_TEST_K_CANCEL_ERR, 0, (uint64_t)-33));
	EXPECT_EQ(-33, raw(LFA_CANCEL, 0, 0, 0, 0, NULL));

	/* Still primed: the next round activates. */
	ASSERT_EQ(0, activate_all(0, 0, ans));
	EXPECT_EQ(0, ans[lowest_cpu(self->online)].x0);
	EXPECT_EQ(VER(1, 8), tget(LFA_TEST_K_VERSION, 0));

	/* Only errors (<= 0) can be injected. */
	EXPECT_EQ(-EINVAL, tset(LFA_TEST_K_ACTIVATE_ERR, 0, 5));
}

TEST_F(lfa, cancel)
{
	struct regs r;

	EXPECT_EQ(LFA_WRONG_STATE, raw(LFA_CANCEL, 0, 0, 0, 0, NULL));
	EXPECT_EQ(LFA_INVALID_PARAMETERS, raw(LFA_CANCEL, 7, 0, 0, 0, NULL));
	ASSERT_EQ(LFA_SUCCESS, stage(0, VER(1, 9)));
	/* Another component than the primed one. */
	EXPECT_EQ(LFA_INVALID_PARAMETERS, raw(LFA_CANCEL, 1, 0, 0, 0, NULL));
	EXPECT_EQ(LFA_SUCCESS, raw(LFA_CANCEL, 0, 0, 0, 0, NULL));
	/* The priming is gone. */
	EXPECT_EQ(LFA_COMPONENT_WRONG_STATE,
		  raw(LFA_ACTIVATE, 0, 0, 0, 0, NULL));
	EXPECT_EQ(LFA_WRONG_STATE, raw(LFA_CANCEL, 0, 0, 0, 0, NULL));
	/* A priming under way can be cancelled too. */
	ASSERT_EQ(0, tset(LFA_TEST_K_PRIME_AGAIN, 0, 2));
	ASSERT_EQ(LFA_SUCCESS, raw(LFA_PRIME, 0, 0, 0, 0, &r));
	ASSERT_EQ(CALL_AGAIN, r.x[1]);
	EXPECT_EQ(LFA_SUCCESS, raw(LFA_CANCEL, 0, 0, 0, 0, NULL));
	EXPECT_EQ(4, tget(LFA_TEST_K_CANCELS, 0));
	EXPECT_EQ(1, tget(LFA_TEST_K_PENDING, 0));
}

TEST_F(lfa, shuffle)
{
	int i;

	ASSERT_EQ(0, tset(LFA_TEST_K_SHUFFLE, 0, 1));
	EXPECT_EQ(1, tget(LFA_TEST_K_SHUFFLE, 0));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(i, seq_of(i));
	ASSERT_EQ(LFA_SUCCESS, stage(1, VER(1, 1)));
	ASSERT_EQ(LFA_SUCCESS, raw(LFA_ACTIVATE, 1, 1, 0, 0, NULL));
	/* Sequence ids reversed, the GUIDs the same. */
	for (i = 0; i < 4; i++)
		EXPECT_EQ(3 - i, seq_of(i)) TH_LOG("component %d", i);
	EXPECT_EQ(4, info_count());
	EXPECT_EQ(0, tget(LFA_TEST_K_SHUFFLE, 0));
	EXPECT_EQ(VER(1, 1), tget(LFA_TEST_K_VERSION, 1));
}

TEST_F(lfa, vanish_and_present)
{
	struct regs r;

	ASSERT_EQ(0, tset(LFA_TEST_K_VANISH, 1, 1));
	ASSERT_EQ(LFA_SUCCESS, stage(1, VER(1, 1)));
	/* Not before its activation. */
	EXPECT_EQ(4, info_count());
	ASSERT_EQ(LFA_SUCCESS, raw(LFA_ACTIVATE, 1, 1, 0, 0, NULL));
	EXPECT_EQ(3, info_count());
	EXPECT_EQ(-1, seq_of(1));
	EXPECT_EQ(0, tget(LFA_TEST_K_PRESENT, 1));
	EXPECT_EQ(1, seq_of(2));

	/* A new component appears at the end. */
	ASSERT_EQ(0, tset(LFA_TEST_K_PRESENT, 4, 1));
	EXPECT_EQ(4, info_count());
	EXPECT_EQ(3, seq_of(4));
	ASSERT_EQ(LFA_SUCCESS, raw(LFA_GET_INVENTORY, 3, 0, 0, 0, &r));
	EXPECT_EQ(comps[4].flags, r.x[3]);
	EXPECT_EQ(comps[4].version, r.x[4]);
}

TEST_F(lfa, empty_inventory)
{
	int i;

	for (i = 0; i < LFA_TEST_NR_COMPONENTS; i++)
		ASSERT_EQ(0, tset(LFA_TEST_K_PRESENT, i, 0));
	EXPECT_EQ(0, info_count());
	EXPECT_EQ(LFA_WRONG_STATE, raw(LFA_GET_INVENTORY, 0, 0, 0, 0, NULL));
	EXPECT_EQ(LFA_WRONG_STATE, raw(LFA_PRIME, 0, 0, 0, 0, NULL));
	EXPECT_EQ(LFA_WRONG_STATE, raw(LFA_ACTIVATE, 0, 0, 0, 0, NULL));
	EXPECT_EQ(LFA_WRONG_STATE, raw(LFA_CANCEL, 0, 0, 0, 0, NULL));
	ASSERT_EQ(0, ctl_write("reset", "1"));
	EXPECT_EQ(4, info_count());
}

TEST_F(lfa, notify)
{
	unsigned int intid = 32 + LFA_TEST_NOTIFY_SPI;
	long long before, after = -1;
	char buf[64];
	FILE *f;
	int i;

	before = irq_count(intid);
	ASSERT_EQ(0, ctl_write("notify", "1"));
	/* The guest's DT names the SPI (vm-run.sh --firmware tfa). */
	f = popen("grep -l -s 'arm,lfa' /proc/device-tree/*/compatible", "r");
	ASSERT_NE(NULL, f);
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	pclose(f);
	if (!buf[0])
		SKIP(return, "no arm,lfa node in the device tree");
	if (before < 0) {
		TH_LOG("no driver has GIC interrupt %u: not checked", intid);
		return;
	}
	/* A driver has the SPI: the notification arrives. */
	for (i = 0; i < 200 && after <= before; i++) {
		usleep(10000);
		after = irq_count(intid);
	}
	EXPECT_LT(before, after) TH_LOG("GIC interrupt %u not taken", intid);
}

TEST_F(lfa, control_errors)
{
	EXPECT_EQ(-EINVAL, tset(99, 0, 1));
	EXPECT_EQ(-EINVAL, tset(LFA_TEST_K_PENDING, LFA_TEST_NR_COMPONENTS, 1));
	EXPECT_EQ(-EINVAL, tset(LFA_TEST_K_PRIMES, 0, 1));
	EXPECT_EQ(-EINVAL, tset(LFA_TEST_K_PEN_TIMEOUT_MS, 0, 0));
	EXPECT_EQ(-EINVAL, tset(LFA_TEST_K_PRESENT, 0, 2));
	EXPECT_EQ(INT64_MIN, tget(99, 0));
	EXPECT_EQ(-EINVAL, ctl_write("set", "1 2"));
	EXPECT_EQ(-EINVAL, ctl_write("set", "1 2 3 4"));
	EXPECT_EQ(-EINVAL, ctl_write("raw", "0x84000000 0 0 0 0"));
	EXPECT_EQ(-EINVAL, ctl_write("activate_all", "zero 0"));
}

TEST_HARNESS_MAIN
