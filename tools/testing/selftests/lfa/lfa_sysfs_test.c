// SPDX-License-Identifier: GPL-2.0
/*
 * In-guest tests of the fwact LFA backend (module fwact-lfa) against
 * fwact's emulated LFA agent in TF-A, through both of its sysfs trees:
 * /sys/firmware/lfa/<GUID>/ (the upstream driver's ABI) and the fwact
 * component /sys/firmware/fwact/<GUID>/. The agent is shaped and observed
 * through the test module fwact_lfa_ctl (lfa_test_smc.h); the backend's
 * test hooks (/sys/kernel/debug/fwact/lfa/) make one CPU skip its
 * ACTIVATE and read the inventory on demand. Each test starts from the
 * agent's boot state, read again by the backend.
 *
 * What is checked: every test image discovered with its GUID, name, flags
 * and versions; activation through either tree, one journal record each;
 * every online CPU in one ACTIVATE round, or one CPU with the skip flag;
 * PRIME's CALL_AGAIN, and its timeout followed by a CANCEL; ACTIVATE's
 * CALL_AGAIN and BUSY retried in new rounds; each error code of each call
 * with its own errno; images that may reset the CPUs refused without an
 * SMC; a CPU that skips ACTIVATE failing the activation with nothing
 * activated and every CPU back; reshuffled sequence ids, a vanishing and
 * an appearing image; the notification with and without auto_activate;
 * cancel; concurrent activators; non-root writers; garbage writes.
 *
 * Without the agent (QEMU's own PSCI, not TF-A) or without the backend
 * every test skips.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * The test functions kselftest_harness.h (6.1) declares take parameters a
 * test need not use: -Wextra would fail them.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"

#include "kselftest_harness.h"
#include "fwact_util.h"
#include "lfa_test_smc.h"

#define CTL		"/sys/kernel/debug/fwact_lfa_ctl"
#define HOOKS		"/sys/kernel/debug/fwact/lfa"
#define LFA_SYS		"/sys/firmware/lfa"

#define FID_PRIME	"0xc40002e4"
#define FID_ACTIVATE	"0xc40002e5"
#define FID_CANCEL	"0xc40002e6"

#define VER(maj, min)	(((unsigned long long)(maj) << 32) | (min))

/* The agent's components, by their index in its table. */
enum { RMM, SP1, BL31, BL33, UNK, NR_COMPS };

static const struct comp {
	const char *guid;
	const char *name;
	const char *version;
	int capable, may_reset, rendezvous;
} comps[NR_COMPS] = {
	[RMM] = { "6c0762a6-12f2-4b56-92cb-ba8f633606d9", "TF-RMM", "1.0",
		  1, 0, 1 },
	[SP1] = { "f07b2a96-1d47-4d17-9ec8-86a64e253e5c",
		  "FVP secure partition SP1", "1.0", 1, 0, 0 },
	[BL31] = { "47d4086d-4cfe-9846-9b95-2950cbbd5a00", "TF-A BL31 runtime",
		   "2.12", 1, 1, 1 },
	[BL33] = { "d6d0eea7-fcea-d54b-9782-9934f234b6e4",
		   "BL33 non-secure payload", "6.1", 0, 0, 1 },
	/* Not in the name table: the GUID is its name. */
	[UNK] = { "0b5c6a44-0f9e-4c2b-8a1e-fa57c0de0004",
		  "0b5c6a44-0f9e-4c2b-8a1e-fa57c0de0004", "1.0", 1, 0, 1 },
};

/* The components in the inventory at boot. */
#define NR_BOOT		4

/* fwact_lfa_ctl and the backend's hooks: one write, 0 or -errno. */
static int file_printf(const char *path, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return fwact_path_write(path, buf, len);
}

static int ctl_reset(void)
{
	return fwact_path_write(CTL "/reset", "1", 1);
}

static int ctl_notify(void)
{
	return fwact_path_write(CTL "/notify", "1", 1);
}

/* LFA_TEST_SET; 0 or -errno. */
static int tset(unsigned int key, int comp, unsigned long long value)
{
	return file_printf(CTL "/set", "%u %d 0x%llx", key, comp, value);
}

/* LFA_TEST_GET; the value, or LLONG_MIN. */
static long long tget(unsigned int key, int comp)
{
	char buf[64];

	if (file_printf(CTL "/get", "%u %d", key, comp) ||
	    fwact_path_read(CTL "/get", buf, sizeof(buf)))
		return LLONG_MIN;
	return strtoll(buf, NULL, 0);
}

static int inventory_reread(void)
{
	return fwact_path_write(HOOKS "/rescan", "1", 1);
}

static int cpu_skip_set(int cpu)
{
	return file_printf(HOOKS "/skip_cpu", "%d", cpu);
}

/*
 * The backend's budgets (LFA_PRIME_BUDGET_MS, LFA_ACTIVATE_BUDGET_MS), and
 * the 2 s the timeout tests give them instead.
 */
#define PRIME_BUDGET	HOOKS "/prime_budget_ms"
#define PRIME_BUDGET_MS	30000
#define ACT_BUDGET	HOOKS "/activate_budget_ms"
#define ACT_BUDGET_MS	10000
#define TEST_BUDGET_MS	2000

/*
 * Check that @path still holds the production budget @prod_ms, then
 * shorten it to TEST_BUDGET_MS; 0 or -errno. The teardown restores it.
 */
static int budget_shorten(const char *path, long long prod_ms)
{
	if (fwact_path_ll(path) != prod_ms)
		return -EINVAL;
	return file_printf(path, "%d", TEST_BUDGET_MS);
}

static void budgets_restore(void)
{
	file_printf(PRIME_BUDGET, "%d", PRIME_BUDGET_MS);
	file_printf(ACT_BUDGET, "%d", ACT_BUDGET_MS);
}

static void lfa_path(char *path, size_t size, int c, const char *attr)
{
	snprintf(path, size, LFA_SYS "/%s/%s", comps[c].guid, attr);
}

static int lfa_read(int c, const char *attr, char *buf, size_t size)
{
	char path[PATH_MAX];

	lfa_path(path, sizeof(path), c, attr);
	return fwact_path_read(path, buf, size);
}

static int lfa_write(int c, const char *attr, const char *val)
{
	char path[PATH_MAX];

	lfa_path(path, sizeof(path), c, attr);
	return fwact_path_write(path, val, strlen(val));
}

static bool lfa_is(int c, const char *attr, const char *want)
{
	char buf[256];

	return !lfa_read(c, attr, buf, sizeof(buf)) && !strcmp(buf, want);
}

static bool lfa_exists(int c)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), LFA_SYS "/%s", comps[c].guid);
	return !access(path, F_OK);
}

static bool fw_exists(int c)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), FWACT_SYSFS "/%s", comps[c].guid);
	return !access(path, F_OK);
}

static bool fw_has(int c, const char *attr)
{
	char path[PATH_MAX];

	fwact_attr_path(path, sizeof(path), comps[c].guid, attr);
	return !access(path, F_OK);
}

static int fw_write(int c, const char *attr, const char *val)
{
	return fwact_attr_write(comps[c].guid, attr, val);
}

static bool fw_is(int c, const char *attr, const char *want)
{
	return fwact_attr_is(comps[c].guid, attr, want);
}

static long long fw_ll(int c, const char *attr)
{
	return fwact_attr_ll(comps[c].guid, attr);
}

/* Activate through /sys/firmware/lfa/ (@lfa) or /sys/firmware/fwact/. */
static int activate(int c, bool lfa)
{
	return lfa ? lfa_write(c, "activate", "1") : fw_write(c, "activate", "1");
}

/* Wait up to @ms for the directories of @c to exist (or not). */
static bool dirs_wait(int c, bool exist, int ms)
{
	for (; ms > 0; ms -= 10) {
		if (lfa_exists(c) == exist && fw_exists(c) == exist)
			return true;
		usleep(10000);
	}
	return false;
}

/* Journal records we look at: the journal keeps 64. */
#define FWACT_JOURNAL_MAX	128

static unsigned long long online_mask(void)
{
	bool online[FWACT_MAX_CPUS];
	unsigned long long m = 0;
	int cpu;

	fwact_cpus_online(online, FWACT_MAX_CPUS);
	for (cpu = 0; cpu < 64; cpu++)
		if (online[cpu])
			m |= 1ULL << cpu;
	return m;
}

/* The journal records of @c, and the last one in *@last. */
static int journal_of(int c, struct fwact_jline *last)
{
	struct fwact_jline *j = calloc(FWACT_JOURNAL_MAX, sizeof(*j));
	int n, i, k = 0;

	if (!j)
		return -1;
	n = fwact_journal_parse(j, FWACT_JOURNAL_MAX);
	for (i = 0; i < n; i++) {
		if (strcmp(j[i].comp, comps[c].guid))
			continue;
		k++;
		if (last)
			*last = j[i];
	}
	free(j);
	return n < 0 ? -1 : k;
}

/*
 * Wait up to @ms for a uevent whose DEVPATH is @devpath's directory of
 * @c ("lfa" or "fwact") and whose ACTION is @action.
 */
static bool uevent_wait(int fd, const char *tree, int c, const char *action,
			int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char devpath[128], act[32], msg[8192];
	long long end = fwact_now_ns() + ms * 1000000LL;

	snprintf(devpath, sizeof(devpath), "DEVPATH=/firmware/%s/%s", tree,
		 comps[c].guid);
	snprintf(act, sizeof(act), "ACTION=%s", action);
	for (;;) {
		long long left = (end - fwact_now_ns()) / 1000000;
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, left) != 1)
			return false;
		n = recv(fd, msg, sizeof(msg) - 1, 0);
		if (n <= 0)
			return false;
		msg[n] = '\0';
		if (fwact_uevent_has(msg, n, devpath) &&
		    fwact_uevent_has(msg, n, act))
			return true;
	}
}

/* Any uevent of an LFA image's directory in either tree within @ms? */
static bool uevent_any(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	long long end = fwact_now_ns() + ms * 1000000LL;
	char msg[8192];

	for (;;) {
		long long left = (end - fwact_now_ns()) / 1000000;
		ssize_t n;
		int c;

		if (left <= 0 || poll(&pfd, 1, left) != 1)
			return false;
		n = recv(fd, msg, sizeof(msg) - 1, 0);
		if (n <= 0)
			return false;
		msg[n] = '\0';
		for (c = 0; c < NR_COMPS; c++) {
			char lfa[128], fw[128];

			snprintf(lfa, sizeof(lfa), "DEVPATH=/firmware/lfa/%s",
				 comps[c].guid);
			snprintf(fw, sizeof(fw), "DEVPATH=/firmware/fwact/%s",
				 comps[c].guid);
			if (fwact_uevent_has(msg, n, lfa) ||
			    fwact_uevent_has(msg, n, fw))
				return true;
		}
	}
}

/**
 * struct base - what a test found before it began
 * @records: journal records of each image
 * @online: the online CPUs
 * @ncpus: how many
 */
struct base {
	int records[NR_COMPS];
	unsigned long long online;
	int ncpus;
};

/* The agent at boot, and the backend's view of it. */
static bool base_setup(struct __test_metadata *_metadata, struct base *b)
{
	int c;

	if (access(CTL, F_OK) || access(LFA_SYS, F_OK) ||
	    access(HOOKS "/rescan", W_OK))
		return false;
	ASSERT_EQ(0, ctl_reset());
	ASSERT_EQ(0, cpu_skip_set(-1));
	ASSERT_EQ(0, inventory_reread());
	for (c = 0; c < NR_COMPS; c++) {
		ASSERT_EQ(c < NR_BOOT, lfa_exists(c));
		ASSERT_EQ(c < NR_BOOT, fw_exists(c));
		if (c >= NR_BOOT)
			continue;
		ASSERT_EQ(0, lfa_write(c, "auto_activate", "0"));
		ASSERT_EQ(0, lfa_write(c, "force_cpu_rendezvous", "1"));
		ASSERT_EQ(0, fw_write(c, "max_blackout_us", FWACT_BUDGET_US_STR));
		b->records[c] = journal_of(c, NULL);
		ASSERT_LE(0, b->records[c]);
	}
	b->online = online_mask();
	b->ncpus = __builtin_popcountll(b->online);
	ASSERT_LT(0, b->ncpus);
	return true;
}

FIXTURE(lfa) {
	struct base b;
};

FIXTURE_SETUP(lfa)
{
	fwact_debugfs_mount();
	if (!base_setup(_metadata, &self->b))
		SKIP(return, "no LFA agent, fwact-lfa or its test hooks");
}

FIXTURE_TEARDOWN(lfa)
{
	cpu_skip_set(-1);
	budgets_restore();
	ctl_reset();
	inventory_reread();
}

/* @c activated once, to @to, in one round of every online CPU. */
static void assert_activated(struct __test_metadata *_metadata,
			     const struct base *b, int c, const char *to)
{
	struct fwact_jline j;

	EXPECT_EQ(1, tget(LFA_TEST_K_ACTIVATIONS, c));
	EXPECT_TRUE(lfa_is(c, "current_version", to));
	EXPECT_TRUE(fw_is(c, "current_version", to));
	EXPECT_TRUE(lfa_is(c, "activation_pending", "0"));
	EXPECT_TRUE(lfa_is(c, "pending_version", "N/A"));
	EXPECT_TRUE(fw_is(c, "state", "activated"));
	EXPECT_EQ(b->records[c] + 1, journal_of(c, &j));
	EXPECT_EQ(0, j.result);
	EXPECT_STREQ(comps[c].version, j.from);
	EXPECT_STREQ(to, j.to);
	EXPECT_STREQ("lfa", j.backend);
}

static void assert_all_cpus(struct __test_metadata *_metadata,
			    const struct base *b, int c)
{
	EXPECT_EQ((long long)b->online, tget(LFA_TEST_K_LAST_CPUS, c));
	EXPECT_EQ(0, tget(LFA_TEST_K_LAST_SKIP, c));
}

TEST_F(lfa, every_test_image_is_discovered)
{
	char buf[128];
	int c;

	for (c = 0; c < NR_BOOT; c++) {
		const struct comp *p = &comps[c];

		EXPECT_TRUE(lfa_is(c, "name", p->name));
		EXPECT_TRUE(lfa_is(c, "current_version", p->version));
		EXPECT_TRUE(lfa_is(c, "pending_version", "N/A"));
		snprintf(buf, sizeof(buf), "%d", p->capable);
		EXPECT_TRUE(lfa_is(c, "activation_capable", buf));
		EXPECT_TRUE(fw_is(c, "activation_capable", buf));
		EXPECT_TRUE(lfa_is(c, "activation_pending", "0"));
		snprintf(buf, sizeof(buf), "%d", p->may_reset);
		EXPECT_TRUE(lfa_is(c, "may_reset_cpu", buf));
		EXPECT_TRUE(fw_is(c, "may_reset_cpu", buf));
		/* Bit 3 of the flags, inverted. */
		snprintf(buf, sizeof(buf), "%d", p->rendezvous);
		EXPECT_TRUE(lfa_is(c, "cpu_rendezvous", buf));
		EXPECT_TRUE(fw_is(c, "cpu_rendezvous", buf));
		EXPECT_TRUE(lfa_is(c, "force_cpu_rendezvous", "1"));
		EXPECT_TRUE(lfa_is(c, "auto_activate", "0"));
		EXPECT_TRUE(fw_is(c, "auto_activate", "0"));
		/* The fwact component is named by the GUID. */
		EXPECT_TRUE(fw_is(c, "name", p->guid));
		EXPECT_TRUE(fw_is(c, "backend", "lfa"));
		EXPECT_TRUE(fw_is(c, "current_version", p->version));
		EXPECT_TRUE(fw_is(c, "pending_version", "N/A"));
		EXPECT_TRUE(fw_is(c, "rendezvous_context", "stopper"));
	}
	EXPECT_FALSE(lfa_exists(UNK));
}

/*
 * The agent stages its images itself (out of band, then PRIME): the core
 * shows no file for an operation the backend does not provide, so an LFA
 * component has no stage, stage_firmware or image file and no fw_upload
 * device, but it does have activate and cancel.
 */
TEST_F(lfa, no_staging_files_where_the_firmware_stages_its_images)
{
	char path[PATH_MAX];
	int c;

	for (c = 0; c < NR_BOOT; c++) {
		EXPECT_FALSE(fw_has(c, "stage"));
		EXPECT_FALSE(fw_has(c, "stage_firmware"));
		EXPECT_FALSE(fw_has(c, "image"));
		EXPECT_TRUE(fw_has(c, "activate"));
		EXPECT_TRUE(fw_has(c, "cancel"));
		EXPECT_TRUE(fw_has(c, "max_blackout_us"));
		snprintf(path, sizeof(path), "/sys/class/firmware/%s",
			 comps[c].guid);
		EXPECT_NE(0, access(path, F_OK));
	}
}

TEST_F(lfa, versions_are_major_dot_minor_and_zero_is_unknown)
{
	ASSERT_EQ(0, tset(LFA_TEST_K_VERSION, RMM, VER(3, 7)));
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(0, 5)));
	ASSERT_EQ(0, inventory_reread());
	EXPECT_TRUE(lfa_is(RMM, "current_version", "3.7"));
	EXPECT_TRUE(fw_is(RMM, "current_version", "3.7"));
	EXPECT_TRUE(lfa_is(RMM, "pending_version", "0.5"));
	EXPECT_TRUE(fw_is(RMM, "pending_version", "0.5"));
	ASSERT_EQ(0, tset(LFA_TEST_K_VERSION, RMM, 0));
	ASSERT_EQ(0, tset(LFA_TEST_K_VERSION, SP1, VER(0xffffffff, 0xffffffff)));
	ASSERT_EQ(0, inventory_reread());
	EXPECT_TRUE(lfa_is(RMM, "current_version", "unknown"));
	EXPECT_TRUE(lfa_is(SP1, "current_version", "4294967295.4294967295"));
}

TEST_F(lfa, pending_is_read_fresh_and_reading_changes_nothing)
{
	static const char * const attrs[] = {
		"name", "current_version", "pending_version",
		"activation_capable", "activation_pending", "may_reset_cpu",
		"cpu_rendezvous", "force_cpu_rendezvous", "auto_activate",
	};
	char buf[128];
	unsigned int i;
	int fd, c, k;

	/* Staged behind the backend's back: seen on the next read. */
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	EXPECT_TRUE(lfa_is(RMM, "activation_pending", "1"));
	EXPECT_TRUE(lfa_is(RMM, "pending_version", "1.1"));
	EXPECT_TRUE(fw_is(RMM, "activation_pending", "1"));

	fd = fwact_uevent_open();
	ASSERT_LE(0, fd);
	for (k = 0; k < 3; k++) {
		for (c = 0; c < NR_BOOT; c++) {
			for (i = 0; i < ARRAY_SIZE(attrs); i++)
				EXPECT_EQ(0, lfa_read(c, attrs[i], buf,
						      sizeof(buf)));
			EXPECT_EQ(0, fwact_attr_read(comps[c].guid, "state",
						     buf, sizeof(buf)));
		}
	}
	EXPECT_FALSE(uevent_any(fd, 500));
	close(fd);
	for (c = 0; c < NR_BOOT; c++)
		EXPECT_EQ(self->b.records[c], journal_of(c, NULL));
	EXPECT_EQ(0, tget(LFA_TEST_K_PRIMES, RMM));
	EXPECT_EQ(0, tget(LFA_TEST_K_CANCELS, RMM));
}

TEST_F(lfa, activate_through_the_lfa_tree)
{
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	ASSERT_EQ(0, activate(RMM, true));
	assert_activated(_metadata, &self->b, RMM, "1.1");
	assert_all_cpus(_metadata, &self->b, RMM);
	EXPECT_EQ(1, tget(LFA_TEST_K_ROUNDS, RMM));
	EXPECT_EQ(1, tget(LFA_TEST_K_PRIMES, RMM));
	EXPECT_EQ(self->b.ncpus, tget(LFA_TEST_K_ACTIVATES, RMM));
	EXPECT_EQ(0, tget(LFA_TEST_K_CANCELS, RMM));
	EXPECT_EQ(self->b.ncpus, fw_ll(RMM, "last_activation/cpus"));
	EXPECT_TRUE(fw_is(RMM, "last_activation/mode", "all"));
	EXPECT_TRUE(fw_is(RMM, "last_fw_status", "none"));
}

TEST_F(lfa, activate_through_the_fwact_tree)
{
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 2)));
	ASSERT_EQ(0, activate(RMM, false));
	assert_activated(_metadata, &self->b, RMM, "1.2");
	assert_all_cpus(_metadata, &self->b, RMM);
	/* The LFA tree sees the same activation. */
	EXPECT_TRUE(lfa_is(RMM, "current_version", "1.2"));
}

TEST_F(lfa, rendezvous_optional_image_skips_it_when_not_forced)
{
	struct fwact_jline j;

	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, SP1, VER(1, 1)));
	/* Both trees show the one setting. */
	ASSERT_EQ(0, lfa_write(SP1, "force_cpu_rendezvous", "0"));
	EXPECT_TRUE(fw_is(SP1, "force_cpu_rendezvous", "0"));
	ASSERT_EQ(0, activate(SP1, true));
	assert_activated(_metadata, &self->b, SP1, "1.1");
	EXPECT_EQ(1, tget(LFA_TEST_K_LAST_SKIP, SP1));
	EXPECT_EQ(1, __builtin_popcountll(tget(LFA_TEST_K_LAST_CPUS, SP1)));
	EXPECT_EQ(1, tget(LFA_TEST_K_ACTIVATES, SP1));
	EXPECT_TRUE(fw_is(SP1, "last_activation/mode", "none"));
	ASSERT_LT(0, journal_of(SP1, &j));
	EXPECT_STREQ("none", j.mode);

	/* Forced again (through the other tree): every CPU, no skip. */
	ASSERT_EQ(0, fw_write(SP1, "force_cpu_rendezvous", "1"));
	EXPECT_TRUE(lfa_is(SP1, "force_cpu_rendezvous", "1"));
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, SP1, VER(1, 2)));
	ASSERT_EQ(0, activate(SP1, false));
	assert_all_cpus(_metadata, &self->b, SP1);
	EXPECT_TRUE(lfa_is(SP1, "current_version", "1.2"));
}

TEST_F(lfa, rendezvous_required_image_holds_every_cpu_even_unforced)
{
	ASSERT_EQ(0, lfa_write(RMM, "force_cpu_rendezvous", "0"));
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	ASSERT_EQ(0, activate(RMM, true));
	assert_activated(_metadata, &self->b, RMM, "1.1");
	assert_all_cpus(_metadata, &self->b, RMM);
}

TEST_F(lfa, prime_call_again_is_called_again)
{
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	ASSERT_EQ(0, tset(LFA_TEST_K_PRIME_AGAIN, RMM, 5));
	ASSERT_EQ(0, activate(RMM, true));
	EXPECT_EQ(6, tget(LFA_TEST_K_PRIMES, RMM));
	assert_activated(_metadata, &self->b, RMM, "1.1");
	EXPECT_EQ(1, tget(LFA_TEST_K_ROUNDS, RMM));
}

TEST_F_TIMEOUT(lfa, prime_that_never_ends_times_out_and_cancels, 120)
{
	long long t0;

	/* The budget is 30 s; the test gives it 2, and it is kept to. */
	ASSERT_EQ(0, budget_shorten(PRIME_BUDGET, PRIME_BUDGET_MS));
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	ASSERT_EQ(0, tset(LFA_TEST_K_PRIME_AGAIN, RMM, 0xffffffff));
	t0 = fwact_now_ns();
	EXPECT_EQ(-ETIMEDOUT, activate(RMM, true));
	EXPECT_LE((TEST_BUDGET_MS - 100) * 1000000LL, fwact_now_ns() - t0);
	EXPECT_GT(PRIME_BUDGET_MS / 2 * 1000000LL, fwact_now_ns() - t0);
	EXPECT_LT(2, tget(LFA_TEST_K_PRIMES, RMM));
	EXPECT_EQ(1, tget(LFA_TEST_K_CANCELS, RMM));
	EXPECT_EQ(0, tget(LFA_TEST_K_ACTIVATES, RMM));
	EXPECT_EQ(0, tget(LFA_TEST_K_ACTIVATIONS, RMM));
	EXPECT_TRUE(lfa_is(RMM, "current_version", "1.0"));
	EXPECT_EQ(self->b.records[RMM] + 1, journal_of(RMM, NULL));
}

TEST_F(lfa, activate_call_again_runs_new_rounds)
{
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	ASSERT_EQ(0, tset(LFA_TEST_K_ACTIVATE_AGAIN, RMM, 3));
	ASSERT_EQ(0, activate(RMM, true));
	EXPECT_EQ(4, tget(LFA_TEST_K_ROUNDS, RMM));
	EXPECT_EQ(4 * self->b.ncpus, tget(LFA_TEST_K_ACTIVATES, RMM));
	EXPECT_EQ(1, tget(LFA_TEST_K_PRIMES, RMM));
	assert_activated(_metadata, &self->b, RMM, "1.1");
	assert_all_cpus(_metadata, &self->b, RMM);
}

TEST_F(lfa, activate_busy_runs_new_rounds)
{
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	ASSERT_EQ(0, tset(LFA_TEST_K_ACTIVATE_BUSY, RMM, 2));
	ASSERT_EQ(0, activate(RMM, false));
	EXPECT_EQ(3, tget(LFA_TEST_K_ROUNDS, RMM));
	assert_activated(_metadata, &self->b, RMM, "1.1");
	assert_all_cpus(_metadata, &self->b, RMM);
}

TEST_F_TIMEOUT(lfa, activate_call_again_forever_times_out_and_cancels, 120)
{
	long long t0;

	/* All the rounds get 10 s; the test gives them 2, and it is kept to. */
	ASSERT_EQ(0, budget_shorten(ACT_BUDGET, ACT_BUDGET_MS));
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	ASSERT_EQ(0, tset(LFA_TEST_K_ACTIVATE_AGAIN, RMM, 0xffffffff));
	t0 = fwact_now_ns();
	EXPECT_EQ(-ETIMEDOUT, activate(RMM, true));
	EXPECT_LE((TEST_BUDGET_MS - 100) * 1000000LL, fwact_now_ns() - t0);
	EXPECT_GT(ACT_BUDGET_MS / 2 * 1000000LL, fwact_now_ns() - t0);
	EXPECT_LT(1, tget(LFA_TEST_K_ROUNDS, RMM));
	EXPECT_EQ(1, tget(LFA_TEST_K_CANCELS, RMM));
	EXPECT_EQ(0, tget(LFA_TEST_K_ACTIVATIONS, RMM));
	EXPECT_EQ(self->b.records[RMM] + 1, journal_of(RMM, NULL));
}

TEST_F(lfa, may_reset_cpu_image_is_refused_without_an_smc)
{
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, BL31, VER(2, 13)));
	EXPECT_EQ(-EOPNOTSUPP, activate(BL31, true));
	EXPECT_EQ(-EOPNOTSUPP, activate(BL31, false));
	EXPECT_EQ(0, tget(LFA_TEST_K_PRIMES, BL31));
	EXPECT_EQ(0, tget(LFA_TEST_K_ACTIVATES, BL31));
	EXPECT_EQ(0, tget(LFA_TEST_K_CANCELS, BL31));
	EXPECT_TRUE(lfa_is(BL31, "current_version", "2.12"));
}

TEST_F(lfa, not_capable_or_not_pending_is_refused_without_an_smc)
{
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, BL33, VER(6, 2)));
	EXPECT_EQ(-EOPNOTSUPP, activate(BL33, true));
	EXPECT_EQ(0, tget(LFA_TEST_K_PRIMES, BL33));
	EXPECT_EQ(-ENODATA, activate(RMM, true));
	EXPECT_EQ(-ENODATA, activate(SP1, false));
	EXPECT_EQ(0, tget(LFA_TEST_K_PRIMES, RMM));
	EXPECT_EQ(0, tget(LFA_TEST_K_PRIMES, SP1));
}

TEST_F_TIMEOUT(lfa, cpu_that_skips_activate_fails_it_and_all_cpus_return, 120)
{
	int cpu = fwact_last_online();
	struct fwact_jline j;

	if (self->b.ncpus < 2)
		SKIP(return, "one CPU only");
	ASSERT_EQ(0, tset(LFA_TEST_K_PEN_TIMEOUT_MS, 0, 300));
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	ASSERT_EQ(0, cpu_skip_set(cpu));
	/* The agent's pen gives up: ACTIVATION_FAILED on the others. */
	EXPECT_EQ(-EREMOTEIO, activate(RMM, true));
	ASSERT_EQ(0, cpu_skip_set(-1));
	EXPECT_EQ(0, tget(LFA_TEST_K_ACTIVATIONS, RMM));
	EXPECT_EQ((long long)(self->b.online & ~(1ULL << cpu)),
		  tget(LFA_TEST_K_LAST_CPUS, RMM));
	EXPECT_EQ(1, tget(LFA_TEST_K_CANCELS, RMM));
	EXPECT_TRUE(lfa_is(RMM, "current_version", "1.0"));
	EXPECT_TRUE(lfa_is(RMM, "activation_pending", "1"));
	EXPECT_TRUE(fw_is(RMM, "state", "failed"));
	EXPECT_EQ(-EREMOTEIO, fw_ll(RMM, "last_error"));
	EXPECT_TRUE(fw_is(RMM, "last_fw_status",
			  "0xfffffffffffffff5 " FID_ACTIVATE));
	EXPECT_EQ(self->b.records[RMM] + 1, journal_of(RMM, &j));
	EXPECT_EQ(-EREMOTEIO, j.result);
	/* Every CPU is back: the next rendezvous gathers them all. */
	EXPECT_EQ(self->b.online, online_mask());
	ASSERT_EQ(0, activate(RMM, true));
	EXPECT_EQ(1, tget(LFA_TEST_K_ACTIVATIONS, RMM));
	assert_all_cpus(_metadata, &self->b, RMM);
}

TEST_F_TIMEOUT(lfa, reshuffled_sequence_ids_follow_the_guid, 60)
{
	int c;

	ASSERT_EQ(0, tset(LFA_TEST_K_SHUFFLE, 0, 1));
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	ASSERT_EQ(0, activate(RMM, true));
	/* RMM was sequence id 0 and is now the last. */
	for (c = 0; c < NR_BOOT; c++) {
		EXPECT_TRUE(lfa_exists(c));
		EXPECT_TRUE(lfa_is(c, "name", comps[c].name));
		EXPECT_TRUE(lfa_is(c, "current_version",
				   c == RMM ? "1.1" : comps[c].version));
		EXPECT_TRUE(lfa_is(c, "may_reset_cpu",
				   comps[c].may_reset ? "1" : "0"));
		EXPECT_TRUE(lfa_is(c, "activation_pending", "0"));
	}
	/* A fresh read asks for the right sequence id... */
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, SP1, VER(1, 2)));
	EXPECT_TRUE(lfa_is(SP1, "activation_pending", "1"));
	EXPECT_TRUE(lfa_is(SP1, "pending_version", "1.2"));
	EXPECT_TRUE(lfa_is(RMM, "activation_pending", "0"));
	/* ... and so do PRIME and ACTIVATE. */
	ASSERT_EQ(0, activate(SP1, false));
	EXPECT_EQ(1, tget(LFA_TEST_K_ACTIVATIONS, SP1));
	EXPECT_EQ(1, tget(LFA_TEST_K_ACTIVATIONS, RMM));
	EXPECT_EQ(1, tget(LFA_TEST_K_PRIMES, SP1));
	EXPECT_TRUE(lfa_is(SP1, "current_version", "1.2"));
}

TEST_F_TIMEOUT(lfa, image_that_vanishes_after_its_activation_is_removed, 60)
{
	int fd = fwact_uevent_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, tset(LFA_TEST_K_VANISH, RMM, 1));
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	/* From its own activate file: returns, and removal is deferred. */
	ASSERT_EQ(0, activate(RMM, true));
	EXPECT_EQ(1, tget(LFA_TEST_K_ACTIVATIONS, RMM));
	EXPECT_TRUE(dirs_wait(RMM, false, 5000));
	EXPECT_TRUE(uevent_wait(fd, "lfa", RMM, "remove", 2000));
	close(fd);
	EXPECT_EQ(self->b.records[RMM] + 1, journal_of(RMM, NULL));
	/* The others are still there, and work. */
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, SP1, VER(1, 1)));
	ASSERT_EQ(0, activate(SP1, true));
	EXPECT_EQ(1, tget(LFA_TEST_K_ACTIVATIONS, SP1));
	/* Back in the inventory: back in sysfs. */
	ASSERT_EQ(0, tset(LFA_TEST_K_PRESENT, RMM, 1));
	ASSERT_EQ(0, inventory_reread());
	EXPECT_TRUE(dirs_wait(RMM, true, 1000));
	EXPECT_TRUE(lfa_is(RMM, "name", "TF-RMM"));
	EXPECT_TRUE(lfa_is(RMM, "current_version", "1.1"));
}

TEST_F(lfa, image_that_appears_is_registered)
{
	int fd = fwact_uevent_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, tset(LFA_TEST_K_PRESENT, UNK, 1));
	ASSERT_EQ(0, inventory_reread());
	EXPECT_TRUE(dirs_wait(UNK, true, 1000));
	EXPECT_TRUE(uevent_wait(fd, "lfa", UNK, "add", 2000));
	close(fd);
	EXPECT_TRUE(lfa_is(UNK, "name", comps[UNK].guid));
	EXPECT_TRUE(lfa_is(UNK, "activation_capable", "1"));
	EXPECT_TRUE(lfa_is(UNK, "cpu_rendezvous", "1"));
	EXPECT_TRUE(fw_is(UNK, "backend", "lfa"));
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, UNK, VER(1, 1)));
	ASSERT_EQ(0, activate(UNK, true));
	EXPECT_EQ(1, tget(LFA_TEST_K_ACTIVATIONS, UNK));
	assert_all_cpus(_metadata, &self->b, UNK);
}

TEST_F(lfa, image_that_appears_after_an_activation_is_registered)
{
	ASSERT_EQ(0, tset(LFA_TEST_K_PRESENT, UNK, 1));
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	ASSERT_EQ(0, activate(RMM, true));
	/* The inventory read after the activation found it. */
	EXPECT_TRUE(dirs_wait(UNK, true, 5000));
	EXPECT_TRUE(lfa_is(UNK, "current_version", "1.0"));
}

/* The guest's device tree wires the agent's notification to the backend. */
static bool notify_wired(void)
{
	return fwact_path_contains("/proc/interrupts", "fwact-lfa");
}

TEST_F(lfa, notification_without_auto_activate_only_tells)
{
	int fd;

	if (!notify_wired())
		SKIP(return, "no notification interrupt (no arm,lfa node)");
	fd = fwact_uevent_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	ASSERT_EQ(0, ctl_notify());
	EXPECT_TRUE(uevent_wait(fd, "lfa", RMM, "change", 5000));
	close(fd);
	usleep(500000);
	EXPECT_EQ(0, tget(LFA_TEST_K_PRIMES, RMM));
	EXPECT_EQ(0, tget(LFA_TEST_K_ACTIVATIONS, RMM));
	EXPECT_EQ(self->b.records[RMM], journal_of(RMM, NULL));
	EXPECT_TRUE(lfa_is(RMM, "activation_pending", "1"));
}

TEST_F_TIMEOUT(lfa, notification_activates_the_auto_activate_images_in_turn, 60)
{
	int i;

	if (!notify_wired())
		SKIP(return, "no notification interrupt (no arm,lfa node)");
	/* Set in either tree: one setting. */
	ASSERT_EQ(0, lfa_write(RMM, "auto_activate", "1"));
	ASSERT_EQ(0, fw_write(SP1, "auto_activate", "1"));
	EXPECT_TRUE(fw_is(RMM, "auto_activate", "1"));
	EXPECT_TRUE(lfa_is(SP1, "auto_activate", "1"));
	/* A may-reset image is never activated, auto_activate or not. */
	ASSERT_EQ(0, lfa_write(BL31, "auto_activate", "1"));
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, SP1, VER(1, 1)));
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, BL31, VER(2, 13)));
	ASSERT_EQ(0, ctl_notify());
	for (i = 0; i < 1500; i++) {
		if (tget(LFA_TEST_K_ACTIVATIONS, RMM) == 1 &&
		    tget(LFA_TEST_K_ACTIVATIONS, SP1) == 1)
			break;
		usleep(10000);
	}
	EXPECT_EQ(1, tget(LFA_TEST_K_ACTIVATIONS, RMM));
	EXPECT_EQ(1, tget(LFA_TEST_K_ACTIVATIONS, SP1));
	/* Each one activation, one journal record; the work is done by now. */
	for (i = 0; i < 500 && (journal_of(RMM, NULL) <= self->b.records[RMM] ||
				journal_of(SP1, NULL) <= self->b.records[SP1]); i++)
		usleep(10000);
	EXPECT_EQ(self->b.records[RMM] + 1, journal_of(RMM, NULL));
	EXPECT_EQ(self->b.records[SP1] + 1, journal_of(SP1, NULL));
	EXPECT_EQ(0, tget(LFA_TEST_K_PRIMES, BL31));
	EXPECT_EQ(0, tget(LFA_TEST_K_ACTIVATIONS, BL33));
	EXPECT_TRUE(lfa_is(RMM, "current_version", "1.1"));
	EXPECT_TRUE(lfa_is(SP1, "current_version", "1.1"));
}

/**
 * struct activator - a thread that activates an image through one tree
 * @c: the image
 * @lfa: through /sys/firmware/lfa/ (else /sys/firmware/fwact/)
 * @barrier: waited on right before the write
 * @ret: 0 or -errno
 */
struct activator {
	int c;
	bool lfa;
	pthread_barrier_t *barrier;
	int ret;
};

static void *activator_run(void *arg)
{
	struct activator *a = arg;

	if (a->barrier)
		pthread_barrier_wait(a->barrier);
	a->ret = activate(a->c, a->lfa);
	return NULL;
}

TEST_F(lfa, cancel_while_priming_stops_the_activation)
{
	struct activator a = { .c = RMM, .lfa = true };
	pthread_t t;
	int i;

	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	ASSERT_EQ(0, tset(LFA_TEST_K_PRIME_AGAIN, RMM, 0xffffffff));
	ASSERT_EQ(0, pthread_create(&t, NULL, activator_run, &a));
	for (i = 0; i < 1000 && tget(LFA_TEST_K_PRIMES, RMM) < 3; i++)
		usleep(10000);
	EXPECT_LE(3, tget(LFA_TEST_K_PRIMES, RMM));
	EXPECT_EQ(0, lfa_write(RMM, "cancel", "1"));
	pthread_join(t, NULL);
	EXPECT_EQ(-ECANCELED, a.ret);
	EXPECT_EQ(1, tget(LFA_TEST_K_CANCELS, RMM));
	EXPECT_EQ(0, tget(LFA_TEST_K_ACTIVATES, RMM));
	EXPECT_TRUE(fw_is(RMM, "state", "idle"));
	EXPECT_TRUE(lfa_is(RMM, "current_version", "1.0"));
}

TEST_F(lfa, cancel_with_nothing_primed_is_the_agents_wrong_state)
{
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	EXPECT_EQ(-EPROTO, lfa_write(RMM, "cancel", "1"));
	EXPECT_EQ(1, tget(LFA_TEST_K_CANCELS, RMM));
	EXPECT_TRUE(fw_is(RMM, "last_fw_status",
			  "0xfffffffffffffff9 " FID_CANCEL));
	/* Nothing pending: the core refuses before any SMC. */
	EXPECT_EQ(-ENODATA, lfa_write(SP1, "cancel", "1"));
	EXPECT_EQ(0, tget(LFA_TEST_K_CANCELS, SP1));
}

TEST_F(lfa, concurrent_activators_one_wins)
{
	struct activator a[2] = {
		{ .c = RMM, .lfa = true }, { .c = RMM, .lfa = false },
	};
	pthread_barrier_t barrier;
	pthread_t t[2];
	int i;

	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	/* PRIME takes a while: the second writer comes in meanwhile. */
	ASSERT_EQ(0, tset(LFA_TEST_K_PRIME_AGAIN, RMM, 30));
	ASSERT_EQ(0, pthread_barrier_init(&barrier, NULL, 2));
	for (i = 0; i < 2; i++) {
		a[i].barrier = &barrier;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, activator_run, &a[i]));
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&barrier);
	EXPECT_TRUE((a[0].ret == 0 && a[1].ret == -EBUSY) ||
		    (a[0].ret == -EBUSY && a[1].ret == 0));
	assert_activated(_metadata, &self->b, RMM, "1.1");
}

TEST_F(lfa, concurrent_activations_of_two_images_one_wins)
{
	struct activator a[2] = {
		{ .c = RMM, .lfa = true }, { .c = SP1, .lfa = true },
	};
	pthread_barrier_t barrier;
	pthread_t t[2];
	int i;

	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, SP1, VER(1, 1)));
	ASSERT_EQ(0, tset(LFA_TEST_K_PRIME_AGAIN, RMM, 30));
	ASSERT_EQ(0, tset(LFA_TEST_K_PRIME_AGAIN, SP1, 30));
	ASSERT_EQ(0, pthread_barrier_init(&barrier, NULL, 2));
	for (i = 0; i < 2; i++) {
		a[i].barrier = &barrier;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, activator_run, &a[i]));
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&barrier);
	EXPECT_EQ(-EBUSY, a[0].ret + a[1].ret);
	EXPECT_EQ(1, tget(LFA_TEST_K_ACTIVATIONS, RMM) +
		     tget(LFA_TEST_K_ACTIVATIONS, SP1));
}

TEST_F(lfa, non_root_cannot_write)
{
	char path[PATH_MAX];
	int status;
	pid_t pid;

	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		static const char * const files[] = {
			"activate", "cancel", "force_cpu_rendezvous",
			"auto_activate",
		};
		unsigned int i;
		char buf[64];
		int bad = 0;

		if (setgid(65534) || setuid(65534))
			_exit(100);
		for (i = 0; i < ARRAY_SIZE(files); i++) {
			lfa_path(path, sizeof(path), RMM, files[i]);
			if (fwact_path_write(path, "1", 1) != -EACCES)
				bad |= 1;
		}
		if (fw_write(RMM, "activate", "1") != -EACCES ||
		    fw_write(RMM, "auto_activate", "1") != -EACCES)
			bad |= 2;
		/* The LFA tree is world-readable, as upstream's. */
		if (lfa_read(RMM, "name", buf, sizeof(buf)) ||
		    strcmp(buf, "TF-RMM"))
			bad |= 4;
		_exit(bad);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, tget(LFA_TEST_K_PRIMES, RMM));
	EXPECT_EQ(0, tget(LFA_TEST_K_CANCELS, RMM));
	EXPECT_TRUE(lfa_is(RMM, "auto_activate", "0"));
	EXPECT_TRUE(lfa_is(RMM, "force_cpu_rendezvous", "1"));
}

TEST_F(lfa, garbage_writes_are_refused_without_an_smc)
{
	static const char * const bad[] = {
		"2", "-1", "0x1", "1abc", "yes please", " 1", "1\n\n", "\n",
	};
	unsigned int i;

	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, lfa_write(RMM, "activate", bad[i]));
		EXPECT_EQ(-EINVAL, lfa_write(RMM, "cancel", bad[i]));
		EXPECT_EQ(-EINVAL, lfa_write(RMM, "force_cpu_rendezvous", bad[i]));
		EXPECT_EQ(-EINVAL, lfa_write(RMM, "auto_activate", bad[i]));
		EXPECT_EQ(-EINVAL, fw_write(RMM, "auto_activate", bad[i]));
	}
	/* "0" is a boolean, but no request to activate or cancel. */
	EXPECT_EQ(-EINVAL, lfa_write(RMM, "activate", "0"));
	EXPECT_EQ(-EINVAL, lfa_write(RMM, "cancel", "0\n"));
	EXPECT_EQ(0, tget(LFA_TEST_K_PRIMES, RMM));
	EXPECT_EQ(0, tget(LFA_TEST_K_CANCELS, RMM));
	EXPECT_TRUE(lfa_is(RMM, "force_cpu_rendezvous", "1"));
	EXPECT_TRUE(lfa_is(RMM, "auto_activate", "0"));
	/* Whole words are taken. */
	EXPECT_EQ(0, lfa_write(RMM, "auto_activate", "yes\n"));
	EXPECT_TRUE(fw_is(RMM, "auto_activate", "1"));
	EXPECT_EQ(0, fw_write(RMM, "auto_activate", "off"));
	EXPECT_TRUE(lfa_is(RMM, "auto_activate", "0"));
	EXPECT_EQ(self->b.records[RMM], journal_of(RMM, NULL));
}

/* Each status code of PRIME, ACTIVATE and CANCEL and the errno it gives. */
FIXTURE(lfa_err) {
	struct base b;
};

FIXTURE_VARIANT(lfa_err) {
	unsigned int key;	/* the agent's *_ERR control */
	long long code;		/* the status it makes the call return */
	int err;		/* the errno expected */
	const char *fid;	/* the call, in last_fw_status */
};

#define K_PRIME		LFA_TEST_K_PRIME_ERR
#define K_ACT		LFA_TEST_K_ACTIVATE_ERR
#define K_CANCEL	LFA_TEST_K_CANCEL_ERR

FIXTURE_VARIANT_ADD(lfa_err, prime_not_supported) {
	K_PRIME, -1, -EOPNOTSUPP, FID_PRIME
};

FIXTURE_VARIANT_ADD(lfa_err, prime_busy) {
	K_PRIME, -2, -EBUSY, FID_PRIME
};

FIXTURE_VARIANT_ADD(lfa_err, prime_auth_error) {
	K_PRIME, -3, -EKEYREJECTED, FID_PRIME
};

FIXTURE_VARIANT_ADD(lfa_err, prime_no_memory) {
	K_PRIME, -4, -ENOMEM, FID_PRIME
};

FIXTURE_VARIANT_ADD(lfa_err, prime_critical_error) {
	K_PRIME, -5, -ENOTRECOVERABLE, FID_PRIME
};

FIXTURE_VARIANT_ADD(lfa_err, prime_device_error) {
	K_PRIME, -6, -EIO, FID_PRIME
};

FIXTURE_VARIANT_ADD(lfa_err, prime_wrong_state) {
	K_PRIME, -7, -EPROTO, FID_PRIME
};

FIXTURE_VARIANT_ADD(lfa_err, prime_invalid_parameters) {
	K_PRIME, -8, -EINVAL, FID_PRIME
};

FIXTURE_VARIANT_ADD(lfa_err, prime_component_wrong_state) {
	K_PRIME, -9, -EBADFD, FID_PRIME
};

FIXTURE_VARIANT_ADD(lfa_err, prime_invalid_address) {
	K_PRIME, -10, -EFAULT, FID_PRIME
};

FIXTURE_VARIANT_ADD(lfa_err, prime_activation_failed) {
	K_PRIME, -11, -EREMOTEIO, FID_PRIME
};

FIXTURE_VARIANT_ADD(lfa_err, prime_unknown_12) {
	K_PRIME, -12, -EBADMSG, FID_PRIME
};

FIXTURE_VARIANT_ADD(lfa_err, prime_unknown_32) {
	K_PRIME, -32, -EBADMSG, FID_PRIME
};

FIXTURE_VARIANT_ADD(lfa_err, prime_unknown_huge) {
	K_PRIME, -1000000, -EBADMSG, FID_PRIME
};

FIXTURE_VARIANT_ADD(lfa_err, activate_not_supported) {
	K_ACT, -1, -EOPNOTSUPP, FID_ACTIVATE
};

/* BUSY from ACTIVATE is retried in a new round, which succeeds. */
FIXTURE_VARIANT_ADD(lfa_err, activate_busy_retried) {
	K_ACT, -2, 0, FID_ACTIVATE
};

FIXTURE_VARIANT_ADD(lfa_err, activate_auth_error) {
	K_ACT, -3, -EKEYREJECTED, FID_ACTIVATE
};

FIXTURE_VARIANT_ADD(lfa_err, activate_no_memory) {
	K_ACT, -4, -ENOMEM, FID_ACTIVATE
};

FIXTURE_VARIANT_ADD(lfa_err, activate_critical_error) {
	K_ACT, -5, -ENOTRECOVERABLE, FID_ACTIVATE
};

FIXTURE_VARIANT_ADD(lfa_err, activate_device_error) {
	K_ACT, -6, -EIO, FID_ACTIVATE
};

FIXTURE_VARIANT_ADD(lfa_err, activate_wrong_state) {
	K_ACT, -7, -EPROTO, FID_ACTIVATE
};

FIXTURE_VARIANT_ADD(lfa_err, activate_invalid_parameters) {
	K_ACT, -8, -EINVAL, FID_ACTIVATE
};

FIXTURE_VARIANT_ADD(lfa_err, activate_component_wrong_state) {
	K_ACT, -9, -EBADFD, FID_ACTIVATE
};

FIXTURE_VARIANT_ADD(lfa_err, activate_invalid_address) {
	K_ACT, -10, -EFAULT, FID_ACTIVATE
};

FIXTURE_VARIANT_ADD(lfa_err, activate_activation_failed) {
	K_ACT, -11, -EREMOTEIO, FID_ACTIVATE
};

FIXTURE_VARIANT_ADD(lfa_err, activate_unknown_32) {
	K_ACT, -32, -EBADMSG, FID_ACTIVATE
};

FIXTURE_VARIANT_ADD(lfa_err, activate_unknown_33) {
	K_ACT, -33, -EBADMSG, FID_ACTIVATE
};

FIXTURE_VARIANT_ADD(lfa_err, cancel_busy) {
	K_CANCEL, -2, -EBUSY, FID_CANCEL
};

FIXTURE_VARIANT_ADD(lfa_err, cancel_device_error) {
	K_CANCEL, -6, -EIO, FID_CANCEL
};

FIXTURE_VARIANT_ADD(lfa_err, cancel_invalid_parameters) {
	K_CANCEL, -8, -EINVAL, FID_CANCEL
};

FIXTURE_VARIANT_ADD(lfa_err, cancel_unknown_32) {
	K_CANCEL, -32, -EBADMSG, FID_CANCEL
};

FIXTURE_SETUP(lfa_err)
{
	fwact_debugfs_mount();
	if (!base_setup(_metadata, &self->b))
		SKIP(return, "no LFA agent, fwact-lfa or its test hooks");
}

FIXTURE_TEARDOWN(lfa_err)
{
	ctl_reset();
	inventory_reread();
}

TEST_F(lfa_err, status_code_becomes_its_errno)
{
	bool act = variant->key == K_ACT, can = variant->key == K_CANCEL;
	char status[64];
	int ret;

	snprintf(status, sizeof(status), "0x%016llx %s",
		 (unsigned long long)variant->code, variant->fid);
	ASSERT_EQ(0, tset(LFA_TEST_K_PENDING, RMM, VER(1, 1)));
	ASSERT_EQ(0, tset(variant->key, RMM, (unsigned long long)variant->code));
	ret = can ? lfa_write(RMM, "cancel", "1") : activate(RMM, true);
	EXPECT_EQ(variant->err, ret);
	if (can) {
		EXPECT_EQ(1, tget(LFA_TEST_K_CANCELS, RMM));
		EXPECT_TRUE(fw_is(RMM, "last_fw_status", status));
		return;
	}
	EXPECT_EQ(1, tget(LFA_TEST_K_PRIMES, RMM));
	EXPECT_EQ(self->b.records[RMM] + 1, journal_of(RMM, NULL));
	if (!variant->err) {
		EXPECT_EQ(2, tget(LFA_TEST_K_ROUNDS, RMM));
		EXPECT_EQ(1, tget(LFA_TEST_K_ACTIVATIONS, RMM));
		return;
	}
	EXPECT_EQ(variant->err, fw_ll(RMM, "last_error"));
	EXPECT_TRUE(fw_is(RMM, "last_fw_status", status));
	EXPECT_EQ(0, tget(LFA_TEST_K_ACTIVATIONS, RMM));
	EXPECT_TRUE(lfa_is(RMM, "current_version", "1.0"));
	/* A failed ACTIVATE is cancelled; a failed PRIME left nothing. */
	EXPECT_EQ(act ? 1 : 0, tget(LFA_TEST_K_CANCELS, RMM));
	EXPECT_EQ(act ? self->b.ncpus : 0, tget(LFA_TEST_K_ACTIVATES, RMM));
}

TEST_HARNESS_MAIN
