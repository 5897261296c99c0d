// SPDX-License-Identifier: GPL-2.0
/*
 * Failure injection on the stage and activate paths of the fwact core,
 * against the components of fwact_testmod.ko.
 *
 * alloc: every allocation of an operation done through sysfs (upload to
 * ``image``, ``stage``, ``stage_firmware``, ``activate``, ``cancel``, a
 * read of the journal) is failed in turn with /proc/thread-self/fail-nth
 * (failslab and fail_page_alloc), N = 1, 2, ... until an N at which no
 * fault was injected, where the operation must succeed. For each N the
 * operation succeeds or fails with ENOMEM, the component is left in a
 * documented state that matches the result (never ``activating``; a
 * failed stage staged nothing, a failed activation applied nothing; the
 * journal has one record for an activation that ran), and a clean retry
 * succeeds. Leaks are kmemleak's to find, at the end of the guest run.
 * Skips on a kernel without fault injection.
 *
 * firmware: every firmware call of the test backend on those paths fails
 * in turn (get_info, stage, prepare, each step's action on each CPU,
 * cancel), on every test component, with the same checks.
 *
 * Skips (exit 4) when the core or the test module is not loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "fwact_util.h"

#define BASE_VERSION	1
#define BUDGET_US_STR	"10000000"
#define FW_GOOD		"fwact-testmod-v2.bin"
#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define HOLD_FW		FWACT_TESTMOD_DEBUGFS "/hold_firmware"
/* No operation here makes nearly this many allocations. */
#define MAX_NTH		5000

static bool state_is_documented(const char *comp)
{
	static const char * const ok[] = {
		"idle", "staged", "activated", "failed",
	};
	char buf[32];
	unsigned int i;

	if (fwact_attr_read(comp, "state", buf, sizeof(buf)))
		return false;
	for (i = 0; i < ARRAY_SIZE(ok); i++)
		if (!strcmp(buf, ok[i]))
			return true;
	return false;
}

/* Newest journal record into @j; its seq, or 0 if the journal is empty. */
static unsigned long long journal_newest(struct fwact_jline *j)
{
	static struct fwact_jline lines[65];
	int n = fwact_journal_parse(lines, 65);

	if (n <= 0)
		return 0;
	*j = lines[n - 1];
	return j->seq;
}

static int open_attr(const char *comp, const char *attr, int flags)
{
	char path[PATH_MAX];

	fwact_attr_path(path, sizeof(path), comp, attr);
	return open(path, flags);
}

/* --- alloc: fail-nth --- */

/* A debugfs fault-injection knob and the value it had before the test. */
struct fault_knob {
	const char *path;
	const char *value;
	char saved[32];
	bool set;
};

FIXTURE(alloc) {
	int nth;
	struct fault_knob knobs[5];
	uint8_t *img;
	size_t img_len;
};

static int knob_write(const char *path, const char *val)
{
	return fwact_path_write(path, val, strlen(val));
}

FIXTURE_SETUP(alloc)
{
	static const struct { const char *path, *value; } want[] = {
		/* fail-nth counts only allocations that pass these filters. */
		{ "/sys/kernel/debug/failslab/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/fail_page_alloc/min-order", "0" },
		/* A stack dump per injected fault would read as a splat. */
		{ "/sys/kernel/debug/failslab/verbose", "0" },
		{ "/sys/kernel/debug/fail_page_alloc/verbose", "0" },
	};
	unsigned int i;

	self->nth = -1;
	if (!fwact_testmod_loaded())
		SKIP(longjmp(_metadata->env, 1),
		     "fwact or fwact_testmod not loaded (or debugfs not mounted)");
	if (access(FAIL_NTH, W_OK))
		SKIP(longjmp(_metadata->env, 1),
		     "kernel without fault injection (no %s: CONFIG_FAULT_INJECTION)",
		     FAIL_NTH);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		if (access(want[i].path, W_OK))
			SKIP(longjmp(_metadata->env, 1),
			     "no %s (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAULT_INJECTION_DEBUG_FS)",
			     want[i].path);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		struct fault_knob *k = &self->knobs[i];

		k->path = want[i].path;
		k->value = want[i].value;
		ASSERT_EQ(0, fwact_path_read(k->path, k->saved, sizeof(k->saved)));
		ASSERT_EQ(0, knob_write(k->path, k->value)) TH_LOG("%s", k->path);
		k->set = true;
	}
	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++) {
		const char *comp = fwact_test_comps[i];

		ASSERT_EQ(0, fwact_comp_reset(comp, BASE_VERSION, BUDGET_US_STR))
			TH_LOG("cannot reset %s", comp);
	}
	self->img = fwact_image_build(BASE_VERSION + 1, 6000, &self->img_len);
	ASSERT_NE(NULL, self->img);
	self->nth = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->nth);
}

FIXTURE_TEARDOWN(alloc)
{
	unsigned int i;

	if (self->nth >= 0) {
		pwrite(self->nth, "0", 1, 0);
		close(self->nth);
	}
	for (i = 0; i < ARRAY_SIZE(self->knobs); i++)
		if (self->knobs[i].set)
			knob_write(self->knobs[i].path, self->knobs[i].saved);
	knob_write(HOLD_FW, "\n");
	free(self->img);
}

/*
 * One operation: one or more pwrite()s of @buf to @fd at increasing
 * offsets (sysfs takes at most a page per write), or one pread() into
 * @buf. Nothing else may run between arming fail-nth and reading it
 * back: no allocation, no other system call.
 */
struct fop {
	int fd;
	bool read;
	void *buf;
	size_t len;
};

static ssize_t fop_run(const struct fop *op)
{
	size_t off = 0;
	ssize_t n;

	if (op->read) {
		n = pread(op->fd, op->buf, op->len, 0);
		return n < 0 ? -errno : n;
	}
	while (off < op->len) {
		n = pwrite(op->fd, (char *)op->buf + off, op->len - off, off);
		if (n < 0)
			return -errno;
		if (!n)
			return -EIO;
		off += n;
	}
	return 0;
}

/*
 * Fault in the pages the operation copies from or to: a page fault with
 * the fault armed would take it.
 */
unsigned char fop_sink;

static void fop_touch(const struct fop *op)
{
	const unsigned char *p = op->buf;
	size_t off;

	if (op->read) {
		memset(op->buf, 0, op->len);
		return;
	}
	for (off = 0; off < op->len; off += 4096)
		fop_sink ^= p[off];
	fop_sink ^= p[op->len - 1];
}

/*
 * Run @op with its @nth-th allocation failed. Return its result; set
 * *@injected if the fault was injected (the counter ran down to 0).
 */
static ssize_t fop_fault(int nthfd, unsigned int nth, const struct fop *op,
			 bool *injected)
{
	char buf[16];
	ssize_t ret;
	int len;

	fop_touch(op);
	len = snprintf(buf, sizeof(buf), "%u", nth);
	if (pwrite(nthfd, buf, len, 0) != len)
		return -EPROTO;
	ret = fop_run(op);
	len = pread(nthfd, buf, sizeof(buf) - 1, 0);
	pwrite(nthfd, "0", 1, 0);
	if (len <= 0)
		return -EPROTO;
	buf[len] = '\0';
	*injected = atoi(buf) == 0;
	return ret;
}

/* What a walk did, for the log. */
struct walk {
	const char *what;
	const char *comp;
	unsigned int injected;
	unsigned int failed;
};

static void walk_log(struct __test_metadata *_metadata, const struct walk *w)
{
	TH_LOG("%s on %s: %u allocations failed in turn, %u of them %s",
	       w->what, w->comp, w->injected, w->failed,
	       "failed the operation with ENOMEM, the others were absorbed");
}

/* Account for one step of a walk; true once the walk is over. */
static bool walk_step(struct __test_metadata *_metadata, struct walk *w,
		      unsigned int nth, ssize_t ret, bool injected)
{
	if (!injected) {
		/* Past the last allocation: the operation must succeed. */
		EXPECT_EQ(0, ret > 0 ? 0 : ret)
			TH_LOG("%s on %s: %zd with no fault injected (N=%u)",
			       w->what, w->comp, ret, nth);
		return true;
	}
	w->injected++;
	if (ret < 0) {
		w->failed++;
		EXPECT_EQ(-ENOMEM, ret)
			TH_LOG("%s on %s: allocation %u failed it with %zd",
			       w->what, w->comp, nth, ret);
	}
	return false;
}

static void stage_clean(struct __test_metadata *_metadata, const char *comp,
			const uint8_t *img, size_t len)
{
	ASSERT_EQ(0, fwact_knob_set(comp, "version", BASE_VERSION));
	if (!fwact_attr_is(comp, "state", "staged"))
		ASSERT_EQ(0, fwact_stage_bytes(comp, img, len));
	ASSERT_TRUE(fwact_attr_is(comp, "state", "staged"));
}

/* After a failed stage nothing is staged; after a good one, v2 is. */
static void check_staged_or_not(struct __test_metadata *_metadata,
				const char *comp, ssize_t ret)
{
	ASSERT_TRUE(state_is_documented(comp));
	if (ret) {
		ASSERT_TRUE(fwact_attr_is(comp, "state", "idle"));
		ASSERT_TRUE(fwact_attr_is(comp, "activation_pending", "0"));
	} else {
		ASSERT_TRUE(fwact_attr_is(comp, "state", "staged"));
		ASSERT_TRUE(fwact_attr_is(comp, "pending_version", "2"));
	}
}

TEST_F_TIMEOUT(alloc, upload_stage_and_cancel, 300)
{
	const char *comp = "test-one";
	struct walk up = { "upload", comp }, st = { "stage", comp };
	struct walk ca = { "cancel", comp };
	struct fop op;
	unsigned int nth;
	bool injected;
	ssize_t ret;
	int img, stage, cancel;

	img = open_attr(comp, "image", O_WRONLY);
	stage = open_attr(comp, "stage", O_WRONLY);
	cancel = open_attr(comp, "cancel", O_WRONLY);
	ASSERT_LE(0, img);
	ASSERT_LE(0, stage);
	ASSERT_LE(0, cancel);

	/* The upload: a failed one leaves nothing to stage but a retry works. */
	op = (struct fop){ .fd = img, .buf = self->img, .len = self->img_len };
	for (nth = 1; nth < MAX_NTH; nth++) {
		ret = fop_fault(self->nth, nth, &op, &injected);
		ASSERT_NE(-EPROTO, ret);
		ASSERT_TRUE(fwact_attr_is(comp, "state", "idle"));
		if (walk_step(_metadata, &up, nth, ret, injected))
			break;
		/* What a good upload left is the whole image; else retry. */
		if (ret)
			ASSERT_EQ(0, fwact_image_upload(comp, self->img,
							self->img_len,
							self->img_len));
		ASSERT_EQ(0, fwact_attr_write(comp, "stage", "1"));
		ASSERT_TRUE(fwact_attr_is(comp, "pending_version", "2"));
		ASSERT_EQ(0, fwact_attr_write(comp, "cancel", "1"));
	}
	ASSERT_LT(nth, MAX_NTH);
	ASSERT_EQ(0, fwact_attr_write(comp, "stage", "1"));
	ASSERT_EQ(0, fwact_attr_write(comp, "cancel", "1"));
	walk_log(_metadata, &up);

	/* The stage of an uploaded image. */
	op = (struct fop){ .fd = stage, .buf = "1", .len = 1 };
	for (nth = 1; nth < MAX_NTH; nth++) {
		ASSERT_EQ(0, fwact_image_upload(comp, self->img, self->img_len,
						self->img_len));
		ret = fop_fault(self->nth, nth, &op, &injected);
		ASSERT_NE(-EPROTO, ret);
		check_staged_or_not(_metadata, comp, ret);
		if (walk_step(_metadata, &st, nth, ret, injected))
			break;
		if (ret)
			ASSERT_EQ(0, fwact_stage_bytes(comp, self->img,
						       self->img_len));
		ASSERT_EQ(0, fwact_attr_write(comp, "cancel", "1"));
	}
	ASSERT_LT(nth, MAX_NTH);
	walk_log(_metadata, &st);

	/* The cancel of a staged image. */
	op = (struct fop){ .fd = cancel, .buf = "1", .len = 1 };
	for (nth = 1; nth < MAX_NTH; nth++) {
		stage_clean(_metadata, comp, self->img, self->img_len);
		ret = fop_fault(self->nth, nth, &op, &injected);
		ASSERT_NE(-EPROTO, ret);
		ASSERT_TRUE(fwact_attr_is(comp, "state", ret ? "staged" : "idle"));
		ASSERT_TRUE(fwact_attr_is(comp, "activation_pending",
					  ret ? "1" : "0"));
		if (walk_step(_metadata, &ca, nth, ret, injected))
			break;
		if (ret)
			ASSERT_EQ(0, fwact_attr_write(comp, "cancel", "1"));
	}
	ASSERT_LT(nth, MAX_NTH);
	walk_log(_metadata, &ca);
	close(img);
	close(stage);
	close(cancel);
}

/*
 * The firmware loader reads a file into memory from vmalloc(), and a
 * failed vmalloc() prints a stack trace by design, which the harness
 * takes for a kernel report: the test module holds the file while the
 * walk runs, so that the loader serves it from memory and the walk fails
 * the allocations of the core and of the loader's request itself.
 */
TEST_F_TIMEOUT(alloc, stage_firmware, 300)
{
	const char *comp = "test-one";
	struct walk w = { "stage_firmware", comp };
	struct fop op = { .buf = FW_GOOD, .len = strlen(FW_GOOD) };
	unsigned int nth;
	bool injected;
	ssize_t ret;

	ASSERT_EQ(0, knob_write(HOLD_FW, FW_GOOD))
		TH_LOG("fwact_testmod cannot hold /lib/firmware/%s", FW_GOOD);
	op.fd = open_attr(comp, "stage_firmware", O_WRONLY);
	ASSERT_LE(0, op.fd);
	for (nth = 1; nth < MAX_NTH; nth++) {
		ret = fop_fault(self->nth, nth, &op, &injected);
		ASSERT_NE(-EPROTO, ret);
		check_staged_or_not(_metadata, comp, ret);
		if (walk_step(_metadata, &w, nth, ret, injected))
			break;
		if (ret)
			ASSERT_EQ(0, fwact_attr_write(comp, "stage_firmware",
						      FW_GOOD));
		ASSERT_EQ(0, fwact_attr_write(comp, "cancel", "1"));
	}
	ASSERT_LT(nth, MAX_NTH);
	close(op.fd);
	walk_log(_metadata, &w);
}

/* An activation with allocation nth failed, on every test component. */
TEST_F_TIMEOUT(alloc, activate, 600)
{
	struct fop op = { .buf = "1", .len = 1 };
	struct fwact_jline j;
	unsigned long long seq;
	unsigned int i, nth;
	bool injected;
	ssize_t ret;

	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++) {
		const char *comp = fwact_test_comps[i];
		struct walk w = { "activate", comp };

		op.fd = open_attr(comp, "activate", O_WRONLY);
		ASSERT_LE(0, op.fd);
		for (nth = 1; nth < MAX_NTH; nth++) {
			stage_clean(_metadata, comp, self->img, self->img_len);
			seq = journal_newest(&j);
			ret = fop_fault(self->nth, nth, &op, &injected);
			ASSERT_NE(-EPROTO, ret);
			ASSERT_TRUE(state_is_documented(comp));
			if (!ret) {
				ASSERT_TRUE(fwact_attr_is(comp, "state", "activated"));
				ASSERT_TRUE(fwact_attr_is(comp, "current_version", "2"));
				ASSERT_EQ(seq + 1, journal_newest(&j));
				ASSERT_STREQ(comp, j.comp);
				ASSERT_EQ(0, j.result);
			} else {
				/* Refused before it ran, or ran and failed. */
				ASSERT_TRUE(fwact_attr_is(comp, "current_version", "1"));
				if (journal_newest(&j) != seq) {
					ASSERT_EQ(seq + 1, j.seq);
					ASSERT_STREQ(comp, j.comp);
					ASSERT_EQ(ret, j.result);
					ASSERT_TRUE(fwact_attr_is(comp, "state", "failed"));
				} else {
					ASSERT_TRUE(fwact_attr_is(comp, "state", "staged"));
				}
			}
			if (walk_step(_metadata, &w, nth, ret, injected))
				break;
			if (ret) {
				ASSERT_EQ(0, fwact_attr_write(comp, "activate", "1"));
				ASSERT_TRUE(fwact_attr_is(comp, "current_version", "2"));
			}
		}
		ASSERT_LT(nth, MAX_NTH);
		close(op.fd);
		walk_log(_metadata, &w);
	}
}

TEST_F_TIMEOUT(alloc, journal_read, 300)
{
	static struct fwact_jline lines[65];
	struct walk w = { "journal read", "the journal" };
	static char buf[4096];
	struct fop op = { .read = true, .buf = buf, .len = sizeof(buf) - 1 };
	struct fwact_jline j;
	unsigned int nth;
	bool injected;
	ssize_t ret;
	char *nl;

	/* Something to read. */
	stage_clean(_metadata, "test-none", self->img, self->img_len);
	ASSERT_EQ(0, fwact_attr_write("test-none", "activate", "1"));
	op.fd = open(FWACT_SYSFS "/journal", O_RDONLY);
	ASSERT_LE(0, op.fd);
	for (nth = 1; nth < MAX_NTH; nth++) {
		ret = fop_fault(self->nth, nth, &op, &injected);
		ASSERT_NE(-EPROTO, ret);
		if (ret > 0) {
			/* The first record of a page read is whole. */
			buf[ret] = '\0';
			nl = strchr(buf, '\n');
			ASSERT_NE(NULL, nl);
			*nl = '\0';
			ASSERT_EQ(0, fwact_jline_parse(buf, &j)) TH_LOG("%s", buf);
		}
		if (walk_step(_metadata, &w, nth, ret, injected))
			break;
		ASSERT_LT(0, fwact_journal_parse(lines, 65));
	}
	ASSERT_LT(nth, MAX_NTH);
	close(op.fd);
	walk_log(_metadata, &w);
}

/* --- firmware: the test backend's calls fail --- */

FIXTURE(fw) {
	int online;
};

FIXTURE_SETUP(fw)
{
	unsigned int i;

	if (!fwact_testmod_loaded())
		SKIP(longjmp(_metadata->env, 1),
		     "fwact or fwact_testmod not loaded (or debugfs not mounted)");
	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++) {
		const char *comp = fwact_test_comps[i];

		ASSERT_EQ(0, fwact_comp_reset(comp, BASE_VERSION, BUDGET_US_STR))
			TH_LOG("cannot reset %s", comp);
	}
	self->online = fwact_nr_online();
	ASSERT_LT(0, self->online);
}

FIXTURE_TEARDOWN(fw)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++)
		fwact_knob_write(fwact_test_comps[i], "reset", "1");
}

static int nr_steps(const char *comp)
{
	return strcmp(comp, "test-steps") ? 1 : 4;
}

/* Stage version @version over a running version 1. */
static int stage_over_base(const char *comp, unsigned int version)
{
	int ret = fwact_knob_set(comp, "version", BASE_VERSION);

	return ret ? ret : fwact_stage_version(comp, version, 100);
}

/* The activation must succeed now, and apply the staged image. */
static void activate_ok(struct __test_metadata *_metadata, const char *comp,
			const char *version)
{
	ASSERT_EQ(0, fwact_attr_write(comp, "activate", "1")) TH_LOG("%s", comp);
	ASSERT_TRUE(fwact_attr_is(comp, "state", "activated"));
	ASSERT_TRUE(fwact_attr_is(comp, "current_version", version));
	ASSERT_TRUE(fwact_attr_is(comp, "last_error", "0"));
}

/* A failed activation: state, error, journal record, nothing applied. */
static void check_failed(struct __test_metadata *_metadata, const char *comp,
			 int err, unsigned long long seq, int step, int cpu)
{
	struct fwact_jline j;
	char want[16];

	snprintf(want, sizeof(want), "%d", -err);
	ASSERT_TRUE(fwact_attr_is(comp, "state", "failed"));
	ASSERT_TRUE(fwact_attr_is(comp, "last_error", want));
	ASSERT_TRUE(fwact_attr_is(comp, "current_version", "1"));
	ASSERT_TRUE(fwact_attr_is(comp, "activation_pending", "1"));
	ASSERT_EQ(seq + 1, journal_newest(&j));
	ASSERT_STREQ(comp, j.comp);
	ASSERT_EQ(-err, j.result);
	ASSERT_EQ(step, j.failed_step);
	if (cpu != -2)
		ASSERT_EQ(cpu, j.failed_cpu);
}

TEST_F(fw, get_info_failure_changes_no_state)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++) {
		const char *comp = fwact_test_comps[i];

		ASSERT_EQ(0, fwact_knob_set(comp, "fail_info", EIO));
		/* The op's result is the op's; the info shown is the last read. */
		ASSERT_EQ(0, fwact_stage_version(comp, 2, 100)) TH_LOG("%s", comp);
		ASSERT_TRUE(fwact_attr_is(comp, "state", "staged"));
		ASSERT_TRUE(fwact_attr_is(comp, "current_version", "1"));
		ASSERT_EQ(0, fwact_attr_write(comp, "activate", "1"));
		ASSERT_TRUE(fwact_attr_is(comp, "state", "activated"));
		ASSERT_EQ(0, fwact_knob_set(comp, "fail_info", 0));
		ASSERT_TRUE(fwact_attr_is(comp, "current_version", "2"));
		ASSERT_TRUE(fwact_attr_is(comp, "activation_pending", "0"));
		/* And it is usable again. */
		ASSERT_EQ(0, fwact_stage_version(comp, 3, 100));
		activate_ok(_metadata, comp, "3");
	}
}

TEST_F(fw, stage_failure_leaves_the_state_and_the_staged_image)
{
	static const int errs[] = { EIO, EINVAL, ENOSPC, ETIMEDOUT };
	unsigned int i, e;

	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++) {
		const char *comp = fwact_test_comps[i];

		for (e = 0; e < ARRAY_SIZE(errs); e++) {
			ASSERT_EQ(0, fwact_knob_set(comp, "fail_stage", errs[e]));
			/* From idle, by bytes and by name. */
			ASSERT_EQ(-errs[e], fwact_stage_version(comp, 2, 100));
			ASSERT_TRUE(fwact_attr_is(comp, "state", "idle"));
			ASSERT_TRUE(fwact_attr_is(comp, "activation_pending", "0"));
			ASSERT_EQ(-errs[e], fwact_attr_write(comp, "stage_firmware",
							     FW_GOOD));
			ASSERT_TRUE(fwact_attr_is(comp, "state", "idle"));
			/* Over a staged image, which stays. */
			ASSERT_EQ(0, fwact_knob_set(comp, "fail_stage", 0));
			ASSERT_EQ(0, fwact_stage_version(comp, 2, 100));
			ASSERT_EQ(0, fwact_knob_set(comp, "fail_stage", errs[e]));
			ASSERT_EQ(-errs[e], fwact_stage_version(comp, 3, 100));
			ASSERT_TRUE(fwact_attr_is(comp, "state", "staged"));
			ASSERT_TRUE(fwact_attr_is(comp, "pending_version", "2"));
			ASSERT_EQ(0, fwact_knob_set(comp, "fail_stage", 0));
			ASSERT_EQ(0, fwact_attr_write(comp, "cancel", "1"));
		}
		ASSERT_EQ(0, fwact_attr_write(comp, "stage_firmware", FW_GOOD));
		activate_ok(_metadata, comp, "2");
	}
}

TEST_F(fw, prepare_failure_fails_the_activation_with_nothing_run)
{
	struct fwact_jline j;
	unsigned long long seq;
	long long calls;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++) {
		const char *comp = fwact_test_comps[i];

		ASSERT_EQ(0, stage_over_base(comp, 2));
		ASSERT_EQ(0, fwact_knob_set(comp, "fail_prepare", ENOSPC));
		calls = fwact_knob_ll(comp, "calls");
		seq = journal_newest(&j);
		ASSERT_EQ(-ENOSPC, fwact_attr_write(comp, "activate", "1"));
		check_failed(_metadata, comp, ENOSPC, seq, -1, -1);
		ASSERT_EQ(calls, fwact_knob_ll(comp, "calls"));
		ASSERT_EQ(0, fwact_knob_set(comp, "fail_prepare", 0));
		activate_ok(_metadata, comp, "2");
	}
}

/* Was (step, cpu) called in the last activation? */
static bool was_called(const char *comp, int step, int cpu)
{
	static struct fwact_rec rec[8 * FWACT_MAX_CPUS];
	int n = fwact_record_read(comp, rec, ARRAY_SIZE(rec)), k;

	for (k = 0; k < n; k++)
		if ((int)rec[k].step == step && (int)rec[k].cpu == cpu)
			return true;
	return false;
}

/*
 * Every step, on each online CPU and on whichever CPU gets there first:
 * an action that acts there fails the activation naming the step and the
 * CPU; a CPU that does not act in that step fails nothing.
 */
TEST_F_TIMEOUT(fw, every_action_fails_on_every_cpu, 300)
{
	static bool online[FWACT_MAX_CPUS];
	cpu_set_t set;
	unsigned int i;

	ASSERT_LT(0, fwact_cpus_online(online, FWACT_MAX_CPUS));
	/* test-none acts on the CPU that activates: keep it one. */
	CPU_ZERO(&set);
	CPU_SET(fwact_first_online(), &set);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(set), &set));
	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++) {
		const char *comp = fwact_test_comps[i];
		int step, cpu;

		for (step = 0; step < nr_steps(comp); step++) {
			int failures = 0;

			for (cpu = -1; cpu < FWACT_MAX_CPUS; cpu++) {
				struct fwact_jline j;
				unsigned long long seq;
				int ret;

				if (cpu >= 0 && !online[cpu])
					continue;
				ASSERT_EQ(0, stage_over_base(comp, 2));
				ASSERT_EQ(0, fwact_knob_set(comp, "fail_errno", EREMOTEIO));
				ASSERT_EQ(0, fwact_knob_set(comp, "fail_step", step));
				ASSERT_EQ(0, fwact_knob_set(comp, "fail_cpu", cpu));
				seq = journal_newest(&j);
				ret = fwact_attr_write(comp, "activate", "1");
				ASSERT_EQ(0, fwact_knob_set(comp, "fail_errno", 0));
				ASSERT_EQ(0, fwact_knob_set(comp, "fail_step", -1));
				ASSERT_EQ(0, fwact_knob_set(comp, "fail_cpu", -1));
				if (ret == 0) {
					/* Only a CPU that did not act in the step. */
					ASSERT_LE(0, cpu) TH_LOG("%s step %d", comp, step);
					ASSERT_FALSE(was_called(comp, step, cpu))
						TH_LOG("%s step %d cpu %d", comp, step, cpu);
					ASSERT_TRUE(fwact_attr_is(comp, "current_version", "2"));
					continue;
				}
				failures++;
				ASSERT_EQ(-EREMOTEIO, ret) TH_LOG("%s", comp);
				check_failed(_metadata, comp, EREMOTEIO, seq, step,
					     cpu < 0 ? -2 : cpu);
				/* The failed component takes the retry. */
				activate_ok(_metadata, comp, "2");
			}
			/* Any CPU, then at least the one that acts. */
			ASSERT_LE(2, failures) TH_LOG("%s step %d", comp, step);
		}
	}
}

TEST_F(fw, cancel_failure_keeps_the_image_staged)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++) {
		const char *comp = fwact_test_comps[i];

		ASSERT_EQ(0, fwact_stage_version(comp, 2, 100));
		ASSERT_EQ(0, fwact_knob_set(comp, "fail_cancel", EIO));
		ASSERT_EQ(-EIO, fwact_attr_write(comp, "cancel", "1"));
		ASSERT_TRUE(fwact_attr_is(comp, "state", "staged"));
		ASSERT_TRUE(fwact_attr_is(comp, "pending_version", "2"));
		ASSERT_EQ(0, fwact_knob_set(comp, "fail_cancel", 0));
		ASSERT_EQ(0, fwact_attr_write(comp, "cancel", "1"));
		ASSERT_TRUE(fwact_attr_is(comp, "state", "idle"));
		ASSERT_EQ(0, fwact_stage_version(comp, 2, 100));
		activate_ok(_metadata, comp, "2");
	}
}

int main(int argc, char **argv)
{
	fwact_require_testmod();
	return test_harness_run(argc, argv);
}
