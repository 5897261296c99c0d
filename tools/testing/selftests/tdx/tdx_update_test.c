// SPDX-License-Identifier: GPL-2.0
/*
 * In-guest tests of the fwact TDX backend (module fwact-tdx) against the
 * emulated P-SEAMLDR and TDX module (modules/fwact_tdx_emu.ko), through
 * all three of its interfaces: the fwact component
 * /sys/firmware/fwact/tdx-module/, /sys/devices/tdx/update, and the
 * firmware upload directory /sys/class/firmware/tdx_module/ (kernels with
 * CONFIG_FW_UPLOAD). Each test starts from a fresh emulated machine:
 * module 1.5.01 (SVN 4.1), P-SEAMLDR 1.5.00 with 8 updates left.
 *
 * What is checked: a good update in either image format, with the
 * emulator's record of every SEAMCALL (shutdown and update on exactly one
 * CPU, install on every CPU exactly once in ascending order, init on every
 * CPU, in the specification's order), the version, the updates left and
 * one journal record; every bad image refused with nothing changed; a
 * failure at each step on a chosen CPU with the right outcome (nothing
 * changed, or the module lost and every later activation refused); the
 * compat-sensitive refusal and a retry; updates exhausted; a stalled call
 * waited for; concurrent writers; non-root writers; and the real SEAMCALL
 * instruction on a CPU without SEAM, which must come back as #UD.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "fwact_util.h"

#define COMP		"tdx-module"
#define COMP_DIR	FWACT_SYSFS "/" COMP
#define EMU		"/sys/kernel/debug/fwact_tdx_emu"
#define NATIVE		"/sys/kernel/debug/fwact_tdx/native_seamcall"
#define DEV		"/sys/devices/tdx"
#define FWUP		"/sys/class/firmware/tdx_module"
#define FW		"firmware/tdx/"
#define MAX_CALLS	4096

/* P-SEAMLDR and TDX module status codes the tests inject or expect. */
#define EBADSIG		"0x8000000000020000"
#define EBADCALL	"0x8000000000000003"
#define EUNSPEC		"0x8000000000010003"
#define TDX_OPERAND	"0xc000010000000000"

static int emu_write(const char *knob, const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), EMU "/%s", knob);
	return fwact_path_write(path, val, strlen(val));
}

/* A fresh emulated machine, and the component registered for it. */
static int emu_reset(void)
{
	emu_write("enable", "0");
	if (emu_write("reset", "1") || emu_write("calls", "0"))
		return -1;
	return emu_write("enable", "1");
}

/**
 * struct call - one line of the emulator's ``calls`` record
 */
struct call {
	unsigned long long seq, status;
	unsigned int cpu;
	char leaf[16];
};

static int calls_read(struct call *c, int max)
{
	char *text = fwact_path_slurp(EMU "/calls", NULL);
	char *line, *save;
	int n = 0;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "seq=%llu cpu=%u leaf=%15s status=%llx",
			   &c[n].seq, &c[n].cpu, c[n].leaf,
			   &c[n].status) == 4)
			n++;
	}
	free(text);
	return n;
}

/* Calls of @leaf in @c, and on which CPUs (a bitmap of the first 64). */
static int calls_of(const struct call *c, int n, const char *leaf,
		    unsigned long long *cpus)
{
	int i, k = 0;

	if (cpus)
		*cpus = 0;
	for (i = 0; i < n; i++) {
		if (strcmp(c[i].leaf, leaf))
			continue;
		k++;
		if (cpus && c[i].cpu < 64)
			*cpus |= 1ULL << c[i].cpu;
	}
	return k;
}

static unsigned long long online_mask(void)
{
	unsigned long long m = 0;
	bool online[FWACT_MAX_CPUS];
	int i, n = fwact_cpus_online(online, FWACT_MAX_CPUS);

	for (i = 0; i < n && i < 64; i++)
		if (online[i])
			m |= 1ULL << i;
	return m;
}

static char *image_load(const char *name, size_t *len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), FW "%s", name);
	return fwact_path_slurp(path, len);
}

/* Stage @name through the component's image file; the errno or 0. */
static int stage_file(const char *name)
{
	size_t len;
	char *img = image_load(name, &len);
	int ret;

	if (!img)
		return -ENOENT;
	ret = fwact_image_upload(COMP, img, len, 4096);
	if (!ret)
		ret = fwact_attr_write(COMP, "stage", "1");
	free(img);
	return ret;
}

/* A run the host kept from gathering is tried again (fwact_util.h). */
static int activate(void)
{
	return fwact_activate_gathered(COMP, 3);
}

/*
 * Write @img to /sys/devices/tdx/update in page-sized pieces. If @ready is
 * not -1, the first page written says so on @ready and waits for a byte
 * (or end of file) on @go before the rest: two writers then certainly
 * race for the same image.
 */
static int update_pieces(const char *img, size_t len, int ready, int go)
{
	size_t off = 0;
	int fd, ret = 0;
	char c;

	fd = open(DEV "/update", O_WRONLY);
	if (fd < 0)
		return -errno;
	while (off < len) {
		size_t n = len - off < 4096 ? len - off : 4096;
		ssize_t done = pwrite(fd, img + off, n, off);

		if (done <= 0) {
			ret = done < 0 ? -errno : -EIO;
			break;
		}
		if (!off && ready >= 0 &&
		    (write(ready, "r", 1) != 1 || read(go, &c, 1) < 0)) {
			ret = -EPIPE;
			break;
		}
		off += done;
	}
	close(fd);
	return ret;
}

/*
 * Write @name to /sys/devices/tdx/update; the write that completes it
 * activates. A run the host kept from gathering (fwact_gather_missed())
 * is written again, at most three times in all, as
 * fwact_activate_gathered() does for the activate file; the other writer
 * of a race has stopped by then.
 */
static int update_racing(const char *name, int ready, int go)
{
	size_t len;
	char *img = image_load(name, &len);
	int ret, tries = 3;

	if (!img)
		return -ENOENT;
	ret = update_pieces(img, len, ready, go);
	while (--tries > 0 && fwact_gather_missed(COMP, ret))
		ret = update_pieces(img, len, -1, -1);
	free(img);
	return ret;
}

static int update_file(const char *name)
{
	return update_racing(name, -1, -1);
}

/* Write all of @img to @path from offset 0, in the pieces it takes. */
static int fwact_image_write_all(const char *path, const char *img,
				 size_t len)
{
	size_t off = 0;
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	while (off < len) {
		ssize_t n = write(fd, img + off, len - off);

		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			break;
		}
		off += n;
	}
	close(fd);
	return ret;
}

static void version_get(char *buf, size_t size)
{
	if (fwact_attr_read(COMP, "current_version", buf, size))
		snprintf(buf, size, "(unreadable)");
}

static long long remaining(void)
{
	return fwact_attr_ll(COMP, "num_remaining_updates");
}

/*
 * The component's journal records after record number @after; with
 * @newest, also the number of the newest record of any component. By
 * number, not by lines: the journal is a ring that drops its oldest
 * lines when full.
 */
static long long journal_count(long long after, long long *newest)
{
	struct fwact_jline *j = calloc(128, sizeof(*j));
	long long k = 0;
	int n, i;

	if (!j)
		return -1;
	n = fwact_journal_parse(j, 128);
	for (i = 0; i < n; i++) {
		if (newest && (long long)j[i].seq > *newest)
			*newest = j[i].seq;
		if ((long long)j[i].seq > after && !strcmp(j[i].comp, COMP))
			k++;
	}
	free(j);
	return n < 0 ? -1 : k;
}

/* The last journal record of the component. */
static int journal_last(struct fwact_jline *out)
{
	struct fwact_jline *j = calloc(128, sizeof(*j));
	int n, i, found = -1;

	if (!j)
		return -1;
	n = fwact_journal_parse(j, 128);
	for (i = 0; i < n; i++) {
		if (!strcmp(j[i].comp, COMP)) {
			*out = j[i];
			found = 0;
		}
	}
	free(j);
	return found;
}

/**
 * struct base - what a test found before it began
 * @version: the module version
 * @remaining: the updates left
 * @seq: the number of the journal's newest record
 */
struct base {
	char version[64];
	long long remaining;
	long long seq;
};

/* A fresh emulated machine; false (with the reason) if there is none. */
static bool base_setup(struct __test_metadata *_metadata, struct base *b)
{
	if (access(EMU, F_OK))
		return false;
	ASSERT_EQ(0, emu_reset());
	ASSERT_EQ(0, access(COMP_DIR, F_OK));
	version_get(b->version, sizeof(b->version));
	ASSERT_STREQ("1.5.01", b->version);
	b->remaining = remaining();
	ASSERT_EQ(8, b->remaining);
	b->seq = 0;
	ASSERT_LE(0, journal_count(0, &b->seq));
	return true;
}

FIXTURE(tdx) {
	struct base b;
};

FIXTURE_SETUP(tdx)
{
	if (!base_setup(_metadata, &self->b))
		SKIP(return, "no fwact_tdx_emu (not a test build)");
}

FIXTURE_TEARDOWN(tdx)
{
	emu_write("enable", "0");
}

/* Nothing changed: the old module runs, no update was used up. */
static void assert_unchanged(struct __test_metadata *_metadata,
			     const struct base *self)
{
	char v[64];

	version_get(v, sizeof(v));
	EXPECT_STREQ(self->version, v);
	EXPECT_EQ(self->remaining, remaining());
	EXPECT_TRUE(fwact_attr_is(COMP, "module_state", "running"));
}

/* The evidence of one good update in the emulator's record. */
static void assert_good_calls(struct __test_metadata *_metadata)
{
	struct call *c = calloc(MAX_CALLS, sizeof(*c));
	unsigned long long all = online_mask(), cpus;
	int n, i, last_install = -1, first_lpinit = -1, shutdown_at = -1;
	int update_at = -1, sysinit_at = -1;
	unsigned int prev = 0;
	bool first = true;

	ASSERT_NE(NULL, c);
	n = calls_read(c, MAX_CALLS);
	ASSERT_LT(0, n);
	EXPECT_EQ(1, calls_of(c, n, "shutdown", &cpus));
	EXPECT_EQ(1, __builtin_popcountll(cpus));
	EXPECT_EQ(__builtin_popcountll(all), calls_of(c, n, "install", &cpus));
	EXPECT_EQ(all, cpus);
	EXPECT_EQ(1, calls_of(c, n, "sysinit", NULL));
	EXPECT_EQ(__builtin_popcountll(all), calls_of(c, n, "lpinit", &cpus));
	EXPECT_EQ(all, cpus);
	EXPECT_EQ(1, calls_of(c, n, "update", &cpus));
	EXPECT_EQ(1, __builtin_popcountll(cpus));
	for (i = 0; i < n; i++) {
		if (!strcmp(c[i].leaf, "shutdown"))
			shutdown_at = i;
		if (!strcmp(c[i].leaf, "install")) {
			/* In turn: ascending CPU numbers, one at a time. */
			if (!first)
				EXPECT_LT(prev, c[i].cpu);
			prev = c[i].cpu;
			first = false;
			last_install = i;
			EXPECT_EQ(0, c[i].status);
		}
		if (!strcmp(c[i].leaf, "sysinit"))
			sysinit_at = i;
		if (!strcmp(c[i].leaf, "lpinit") && first_lpinit < 0)
			first_lpinit = i;
		if (!strcmp(c[i].leaf, "update"))
			update_at = i;
	}
	/* The specification's order. */
	EXPECT_LT(shutdown_at, last_install);
	EXPECT_LT(last_install, sysinit_at);
	EXPECT_LT(sysinit_at, first_lpinit);
	EXPECT_LT(first_lpinit, update_at);
	free(c);
}

static void assert_updated(struct __test_metadata *_metadata,
			   const struct base *self, const char *want)
{
	struct fwact_jline j;
	char v[64];

	version_get(v, sizeof(v));
	EXPECT_STREQ(want, v);
	EXPECT_EQ(self->remaining - 1, remaining());
	EXPECT_EQ(1, journal_count(self->seq, NULL));
	ASSERT_EQ(0, journal_last(&j));
	EXPECT_EQ(0, j.result);
	EXPECT_STREQ(self->version, j.from);
	EXPECT_STREQ(want, j.to);
	EXPECT_STREQ("tdx", j.backend);
	EXPECT_TRUE(fwact_attr_is(COMP, "state", "activated"));
	assert_good_calls(_metadata);
}

TEST_F(tdx, native_seamcall_without_seam_is_ud_not_an_oops)
{
	char buf[128];

	ASSERT_EQ(0, fwact_path_read(NATIVE, buf, sizeof(buf)));
	/* TDX_SW_ERROR | X86_TRAP_UD, -EACCES, through the exception table. */
	EXPECT_STREQ("status=0x8000ff0000000006 errno=-13", buf);
}

TEST_F(tdx, good_v2_image_through_the_component)
{
	char buf[64];

	ASSERT_EQ(0, stage_file("good-v2.bin"));
	EXPECT_TRUE(fwact_attr_is(COMP, "state", "staged"));
	ASSERT_EQ(0, fwact_attr_read(COMP, "pending_version", buf,
				     sizeof(buf)));
	EXPECT_EQ(0, strncmp(buf, "svn 4.2 ", 8));
	ASSERT_EQ(0, activate());
	assert_updated(_metadata, &self->b, "1.5.02");
	EXPECT_TRUE(fwact_attr_is(COMP, "pending_version", "N/A"));
	EXPECT_TRUE(fwact_attr_is(COMP, "activation_pending", "0"));
}

TEST_F(tdx, good_v1_image_through_devices_tdx_update)
{
	char buf[64];

	ASSERT_EQ(0, update_file("good-v1.bin"));
	assert_updated(_metadata, &self->b, "1.5.02");
	ASSERT_EQ(0, fwact_path_read(DEV "/version", buf, sizeof(buf)));
	EXPECT_STREQ("1.5.02", buf);
	ASSERT_EQ(0, fwact_path_read(DEV "/num_remaining_updates", buf,
				     sizeof(buf)));
	EXPECT_STREQ("7", buf);
	ASSERT_EQ(0, fwact_path_read(DEV "/seamldr_version", buf,
				     sizeof(buf)));
	EXPECT_STREQ("1.5.00", buf);
}

static int fw_upload(const char *name)
{
	char status[64];
	size_t len;
	char *img;
	int i, ret;

	img = image_load(name, &len);
	if (!img)
		return -ENOENT;
	ret = fwact_path_write(FWUP "/loading", "1", 1);
	if (!ret) {
		int fd = open(FWUP "/data", O_WRONLY);
		size_t off = 0;

		if (fd < 0)
			ret = -errno;
		while (!ret && off < len) {
			ssize_t n = write(fd, img + off, len - off);

			if (n <= 0)
				ret = n < 0 ? -errno : -EIO;
			else
				off += n;
		}
		if (fd >= 0)
			close(fd);
	}
	free(img);
	if (!ret)
		ret = fwact_path_write(FWUP "/loading", "0", 1);
	/* The update runs in the upload's worker: poll until idle. */
	for (i = 0; !ret && i < 300; i++) {
		if (fwact_path_read(FWUP "/status", status, sizeof(status)))
			return -EIO;
		if (!strcmp(status, "idle"))
			return 0;
		usleep(100000);
	}
	return ret ? ret : -ETIMEDOUT;
}

TEST_F(tdx, good_image_through_fw_upload)
{
	char err[64];

	if (access(FWUP, F_OK))
		SKIP(return, "no firmware upload on this kernel (CONFIG_FW_UPLOAD)");
	ASSERT_EQ(0, access(DEV "/firmware/tdx_module", F_OK));
	ASSERT_EQ(0, fw_upload("good-v2.bin"));
	ASSERT_EQ(0, fwact_path_read(FWUP "/error", err, sizeof(err)));
	EXPECT_STREQ("", err);
	assert_updated(_metadata, &self->b, "1.5.02");
}

TEST_F(tdx, fw_upload_cancelled_before_the_update_changes_nothing)
{
	struct call *c = calloc(MAX_CALLS, sizeof(*c));
	char status[64], err[64];
	size_t len;
	char *img;
	int i, n;

	if (access(FWUP, F_OK)) {
		free(c);
		SKIP(return, "no firmware upload on this kernel (CONFIG_FW_UPLOAD)");
	}
	ASSERT_NE(NULL, c);
	img = image_load("good-v2.bin", &len);
	ASSERT_NE(NULL, img);
	ASSERT_EQ(0, fwact_path_write(FWUP "/loading", "1", 1));
	/* sysfs takes a page per write(): loop, as cat does. */
	ASSERT_EQ(0, fwact_image_write_all(FWUP "/data", img, len));
	free(img);
	/*
	 * Cancelled with the bytes in, before they are handed over: the
	 * firmware loader's abort (cancel is for an upload in progress).
	 */
	EXPECT_EQ(-ENODEV, fwact_path_write(FWUP "/cancel", "1", 1));
	ASSERT_EQ(0, fwact_path_write(FWUP "/loading", "-1", 2));
	for (i = 0; i < 300; i++) {
		ASSERT_EQ(0, fwact_path_read(FWUP "/status", status,
					     sizeof(status)));
		if (!strcmp(status, "idle"))
			break;
		usleep(100000);
	}
	EXPECT_STREQ("idle", status);
	ASSERT_EQ(0, fwact_path_read(FWUP "/error", err, sizeof(err)));
	TH_LOG("error after the abort: '%s'", err);
	assert_unchanged(_metadata, &self->b);
	EXPECT_TRUE(fwact_attr_is(COMP, "state", "idle"));
	n = calls_read(c, MAX_CALLS);
	EXPECT_EQ(0, calls_of(c, n, "shutdown", NULL));
	free(c);
}

#define EMU_KO		"/fwact/modules/fwact_tdx_emu.ko"

TEST_F(tdx, emulator_unloaded_during_an_upload_drops_it_safely)
{
	size_t len;
	char *img = image_load("good-v2.bin", &len);
	int fd;

	ASSERT_NE(NULL, img);
	if (access(EMU_KO, F_OK)) {
		free(img);
		SKIP(return, "no %s", EMU_KO);
	}
	fd = open(DEV "/update", O_WRONLY);
	ASSERT_LE(0, fd);
	/* Half an image in, then the firmware goes away. */
	ASSERT_EQ(4096, pwrite(fd, img, 4096, 0));
	ASSERT_EQ(0, fwact_module_unload("fwact_tdx_emu"));
	EXPECT_NE(0, access(COMP_DIR, F_OK));
	EXPECT_NE(0, access(DEV, F_OK));
	/* The open file outlives its attribute: refused, not a crash. */
	EXPECT_GT(0, pwrite(fd, img + 4096, len - 4096, 4096));
	close(fd);
	free(img);
	/* And it comes back as it was. */
	ASSERT_EQ(0, fwact_module_load(EMU_KO));
	ASSERT_EQ(0, emu_reset());
	EXPECT_TRUE(fwact_attr_is(COMP, "state", "idle"));
	ASSERT_EQ(0, update_file("good-v2.bin"));
	assert_updated(_metadata, &self->b, "1.5.02");
}

TEST_F(tdx, two_updates_in_a_row_each_use_one_update)
{
	ASSERT_EQ(0, update_file("good-v2.bin"));
	ASSERT_EQ(0, emu_write("next_version", "1.5.03"));
	ASSERT_EQ(0, emu_write("calls", "0"));
	ASSERT_EQ(0, update_file("good2-v2.bin"));
	EXPECT_TRUE(fwact_attr_is(COMP, "current_version", "1.5.03"));
	EXPECT_EQ(self->b.remaining - 2, remaining());
	EXPECT_EQ(2, journal_count(self->b.seq, NULL));
	assert_good_calls(_metadata);
}

/* Every bad image: refused at stage with its errno, nothing changed. */
static const struct {
	const char *file;
	int err;
} bad_images[] = {
	{ "bad-trunc-header.bin", -EINVAL },
	{ "bad-trunc-sigstruct.bin", -EINVAL },
	{ "bad-trunc-module.bin", -EINVAL },
	{ "bad-bad-signature-string.bin", -EINVAL },
	{ "bad-reserved-set.bin", -EINVAL },
	{ "bad-length-lie.bin", -EINVAL },
	{ "bad-pages-0.bin", -EINVAL },
	{ "bad-pages-497.bin", -EINVAL },
	{ "bad-v1-checksum.bin", -EINVAL },
	{ "bad-v1-length-lie.bin", -EINVAL },
	{ "bad-v1-module-offset.bin", -EINVAL },
	{ "bad-module-flip.bin", -EBADMSG },
	{ "bad-svn-down.bin", -EPERM },
	{ "bad-cpu-missing.bin", -EOPNOTSUPP },
	{ "bad-debug.bin", -EPERM },
};

TEST_F(tdx, every_bad_image_is_refused_with_nothing_changed)
{
	struct call *c = calloc(MAX_CALLS, sizeof(*c));
	unsigned int i;
	int n;

	ASSERT_NE(NULL, c);
	for (i = 0; i < ARRAY_SIZE(bad_images); i++) {
		TH_LOG("%s", bad_images[i].file);
		EXPECT_EQ(bad_images[i].err, stage_file(bad_images[i].file));
		EXPECT_TRUE(fwact_attr_is(COMP, "state", "idle"));
		EXPECT_EQ(bad_images[i].err,
			  update_file(bad_images[i].file) ?: bad_images[i].err);
	}
	assert_unchanged(_metadata, &self->b);
	EXPECT_EQ(0, journal_count(self->b.seq, NULL));
	n = calls_read(c, MAX_CALLS);
	EXPECT_EQ(0, calls_of(c, n, "shutdown", NULL));
	EXPECT_EQ(0, calls_of(c, n, "install", NULL));
	free(c);
}

TEST_F(tdx, sigstruct_bit_flipped_is_refused_by_the_seamldr_nothing_changed)
{
	struct fwact_jline j;

	/* The kernel cannot check the signature: the P-SEAMLDR does. */
	ASSERT_EQ(0, stage_file("bad-sigstruct-flip.bin"));
	EXPECT_EQ(-EKEYREJECTED, activate());
	assert_unchanged(_metadata, &self->b);
	ASSERT_EQ(0, journal_last(&j));
	EXPECT_EQ(-EKEYREJECTED, j.result);
	EXPECT_EQ(1, j.failed_step);	/* install */
	EXPECT_TRUE(fwact_attr_is(COMP, "last_fw_status",
				  EBADSIG " 0x0"));
}

TEST_F(tdx, debug_module_installs_only_while_allowed)
{
	const char *p = "/sys/module/fwact_tdx/parameters/allow_debug";

	ASSERT_EQ(0, fwact_path_write(p, "1", 1));
	EXPECT_EQ(0, stage_file("bad-debug.bin"));
	/* Allowed when staged, not when activated: refused, nothing run. */
	ASSERT_EQ(0, fwact_path_write(p, "0", 1));
	EXPECT_EQ(-EPERM, activate());
	assert_unchanged(_metadata, &self->b);
	ASSERT_EQ(0, fwact_path_write(p, "1", 1));
	EXPECT_EQ(0, stage_file("bad-debug.bin"));
	EXPECT_EQ(0, activate());
	fwact_path_write(p, "0", 1);
	EXPECT_TRUE(fwact_attr_is(COMP, "current_version", "1.5.02"));
}

/* Failure at each step on a chosen CPU, and its outcome. */
FIXTURE(step) {
	struct base b;
};

FIXTURE_VARIANT(step) {
	const char *fail;	/* LEAF CPU STATUS [RDX]; CPU -2: the last */
	int err;
	int step;
	bool lost;
};

FIXTURE_VARIANT_ADD(step, shutdown_fails) {
	.fail = "shutdown -1 " TDX_OPERAND, .err = -EIO, .step = 0,
	.lost = false,
};

FIXTURE_VARIANT_ADD(step, install_fails_recoverably_on_the_last_cpu) {
	.fail = "install -2 " EUNSPEC " 0", .err = -EIO, .step = 1,
	.lost = false,
};

FIXTURE_VARIANT_ADD(step, install_fails_unrecoverably_on_the_last_cpu) {
	.fail = "install -2 " EUNSPEC " 1", .err = -EIO, .step = 1,
	.lost = true,
};

FIXTURE_VARIANT_ADD(step, lp_init_fails_on_cpu_1) {
	.fail = "lpinit 1 " TDX_OPERAND, .err = -EIO, .step = 3,
	.lost = true,
};

FIXTURE_VARIANT_ADD(step, update_fails) {
	.fail = "update -1 " TDX_OPERAND, .err = -EIO, .step = 4,
	.lost = true,
};

FIXTURE_SETUP(step)
{
	if (!base_setup(_metadata, &self->b))
		SKIP(return, "no fwact_tdx_emu (not a test build)");
}

FIXTURE_TEARDOWN(step)
{
	emu_write("enable", "0");
}

TEST_F(step, failure_has_the_right_outcome)
{
	struct call *c = calloc(MAX_CALLS, sizeof(*c));
	char fail[128], v[64];
	struct fwact_jline j;
	int n, last = fwact_last_online();

	ASSERT_NE(NULL, c);
	if (!strncmp(variant->fail, "install -2", 10))
		snprintf(fail, sizeof(fail), "install %d%s", last,
			 variant->fail + 10);
	else
		snprintf(fail, sizeof(fail), "%s", variant->fail);
	ASSERT_EQ(0, stage_file("good-v2.bin"));
	ASSERT_EQ(0, emu_write("fail", fail));
	EXPECT_EQ(variant->err, activate());
	ASSERT_EQ(0, journal_last(&j));
	EXPECT_EQ(variant->err, j.result);
	EXPECT_EQ(variant->step, j.failed_step);
	EXPECT_TRUE(fwact_attr_is(COMP, "state", "failed"));

	/* No later step started on any CPU. */
	n = calls_read(c, MAX_CALLS);
	if (variant->step < 1)
		EXPECT_EQ(0, calls_of(c, n, "install", NULL));
	if (variant->step < 3)
		EXPECT_EQ(0, calls_of(c, n, "lpinit", NULL));
	if (variant->step < 4)
		EXPECT_EQ(0, calls_of(c, n, "update", NULL));
	free(c);

	ASSERT_EQ(0, emu_write("fail", "none"));
	if (!variant->lost) {
		assert_unchanged(_metadata, &self->b);
		/* And a retry works. */
		ASSERT_EQ(0, stage_file("good-v2.bin"));
		EXPECT_EQ(0, activate());
		EXPECT_TRUE(fwact_attr_is(COMP, "current_version", "1.5.02"));
		return;
	}
	EXPECT_TRUE(fwact_attr_is(COMP, "module_state", "lost"));
	version_get(v, sizeof(v));
	EXPECT_STREQ("unavailable", v);
	EXPECT_STREQ("unavailable", j.to);
	EXPECT_EQ(-ENXIO, fwact_path_read(DEV "/version", v, sizeof(v)));
	/* Every later activation is refused, with nothing started. */
	EXPECT_EQ(-ENXIO, stage_file("good-v2.bin") ?: activate());
	EXPECT_EQ(-ENXIO, update_file("good-v2.bin"));
}

TEST_F(tdx, compat_sensitive_operation_refuses_then_retry_succeeds)
{
	ASSERT_EQ(0, emu_write("td_build", "1"));
	ASSERT_EQ(0, stage_file("good-v2.bin"));
	EXPECT_EQ(-EBUSY, activate());
	assert_unchanged(_metadata, &self->b);
	ASSERT_EQ(0, emu_write("td_build", "0"));
	ASSERT_EQ(0, stage_file("good-v2.bin"));
	EXPECT_EQ(0, activate());
	EXPECT_TRUE(fwact_attr_is(COMP, "current_version", "1.5.02"));
}

TEST_F(tdx, updates_exhausted_is_refused_before_any_cpu_stops)
{
	struct call *c = calloc(MAX_CALLS, sizeof(*c));
	int n;

	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, emu_write("remaining", "0"));
	ASSERT_EQ(0, stage_file("good-v2.bin"));
	EXPECT_EQ(-ENOSPC, activate());
	EXPECT_TRUE(fwact_attr_is(COMP, "current_version", "1.5.01"));
	n = calls_read(c, MAX_CALLS);
	EXPECT_EQ(0, calls_of(c, n, "shutdown", NULL));
	free(c);
}

TEST_F(tdx, stalled_install_is_waited_for_and_later_steps_do_not_start)
{
	struct call *c = calloc(MAX_CALLS, sizeof(*c));
	struct fwact_jline j;
	int n;

	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, fwact_attr_write(COMP, "max_blackout_us", "200000"));
	ASSERT_EQ(0, emu_write("stall", "install 0 1000"));
	ASSERT_EQ(0, stage_file("good-v2.bin"));
	EXPECT_EQ(-ETIMEDOUT, activate());
	ASSERT_EQ(0, journal_last(&j));
	EXPECT_EQ(-ETIMEDOUT, j.result);
	/* The stalled call ran to its end: held for about a second. */
	EXPECT_LE(900000000ULL, j.blackout);
	n = calls_read(c, MAX_CALLS);
	EXPECT_EQ(0, calls_of(c, n, "sysinit", NULL));
	EXPECT_EQ(0, calls_of(c, n, "update", NULL));
	/* Shut down, not installed everywhere: gone, and it says so. */
	EXPECT_TRUE(fwact_attr_is(COMP, "module_state", "lost"));
	free(c);
}

#define RCU_STALL "/sys/module/rcupdate/parameters/rcu_cpu_stall_timeout"

/* The P-SEAMLDR must never be called with the CPUs not held. */
TEST_F(tdx, cpus_are_always_held)
{
	EXPECT_TRUE(fwact_attr_is(COMP, "cpu_rendezvous", "1"));
	EXPECT_EQ(-EOPNOTSUPP, fwact_attr_write(COMP, "force_cpu_rendezvous",
						"0"));
	EXPECT_TRUE(fwact_attr_is(COMP, "force_cpu_rendezvous", "1"));
	EXPECT_TRUE(fwact_attr_is(COMP, "rendezvous_mode", "steps"));
}

/* CPUs the kernel may ever run, from /sys/devices/system/cpu/possible. */
static int cpus_possible(void)
{
	char buf[256], *p = buf;
	int n = 0;

	if (fwact_path_read("/sys/devices/system/cpu/possible", buf,
			    sizeof(buf)) < 0)
		return -1;
	while (*p && *p != '\n') {
		char *end;
		long a = strtol(p, &end, 10), b = a;

		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		n += b - a + 1;
		p = *end == ',' ? end + 1 : end;
	}
	return n;
}

/*
 * The backend sets its own budget: 1 s and 5 ms a CPU by default, and up
 * to the core's 60 s ceiling (a component that sets none stops at 10 s).
 */
TEST_F(tdx, budget_grows_with_the_cpus_and_may_pass_10s)
{
	long long rcu = fwact_path_ll(RCU_STALL);
	int cpus = cpus_possible();

	ASSERT_LT(0, cpus);
	EXPECT_EQ(1000000LL + 5000LL * cpus,
		  fwact_attr_ll(COMP, "max_blackout_us"));
	EXPECT_EQ(-EINVAL, fwact_attr_write(COMP, "max_blackout_us",
					    "60000001"));
	if (rcu < 40)
		SKIP(return, "rcu_cpu_stall_timeout %lld s: below 40 s, 20 s is refused",
		     rcu);
	ASSERT_EQ(0, fwact_attr_write(COMP, "max_blackout_us", "20000000"));
	EXPECT_EQ(20000000, fwact_attr_ll(COMP, "max_blackout_us"));
	/* An activation under the larger budget works as any other. */
	ASSERT_EQ(0, update_file("good-v2.bin"));
	assert_updated(_metadata, &self->b, "1.5.02");
}

/*
 * Two writers of the same image: both have written its first page before
 * either goes on (a pipe holds them), so they certainly overlap however
 * the host schedules them. The first to write the second page goes on and
 * installs; the other's next write would leave a hole (-EINVAL), or comes
 * while the image is being installed (-EBUSY). Never both installed.
 */
TEST_F(tdx, concurrent_writers_one_wins_the_other_is_busy)
{
	int status, won = 0, busy = 0, i, ready[2], go[2];
	pid_t pid[2];
	char c;

	ASSERT_EQ(0, emu_write("stall", "install 0 300"));
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i]) {
			close(ready[0]);
			close(go[1]);
			_exit(-update_racing("good-v2.bin", ready[1], go[0]) &
			      0xff);
		}
	}
	close(ready[1]);
	close(go[0]);
	/*
	 * Both first pages are in; then both go on at once. A writer that
	 * failed before saying so must not hold the other: wait 30 s at most.
	 */
	for (i = 0; i < 2; i++) {
		struct pollfd p = { .fd = ready[0], .events = POLLIN };

		if (poll(&p, 1, 30000) != 1 || read(ready[0], &c, 1) != 1)
			break;
	}
	EXPECT_EQ(2, i);
	close(go[1]);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		if (!WEXITSTATUS(status))
			won++;
		else if (WEXITSTATUS(status) == EBUSY ||
			 WEXITSTATUS(status) == EINVAL)
			busy++;
		else
			ksft_print_msg("writer %d: %s\n", i,
				       strerror(WEXITSTATUS(status)));
	}
	close(ready[0]);
	EXPECT_EQ(1, won);
	EXPECT_EQ(1, busy);
	EXPECT_TRUE(fwact_attr_is(COMP, "current_version", "1.5.02"));
	EXPECT_EQ(self->b.remaining - 1, remaining());
}

TEST_F(tdx, non_root_cannot_write_or_read_the_loader)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (!pid) {
		int bad = 0;

		if (setgid(65534) || setuid(65534))
			_exit(100);
		if (open(DEV "/update", O_WRONLY) >= 0 || errno != EACCES)
			bad |= 1;
		if (open(COMP_DIR "/image", O_WRONLY) >= 0 || errno != EACCES)
			bad |= 2;
		if (open(DEV "/seamldr_version", O_RDONLY) >= 0 ||
		    errno != EACCES)
			bad |= 4;
		_exit(bad);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	assert_unchanged(_metadata, &self->b);
}

TEST_F(tdx, component_attributes_describe_the_loader)
{
	EXPECT_TRUE(fwact_attr_is(COMP, "seamldr_version", "1.5.00"));
	EXPECT_TRUE(fwact_attr_is(COMP, "td_preserving", "1"));
	EXPECT_TRUE(fwact_attr_is(COMP, "module_state", "running"));
	EXPECT_TRUE(fwact_attr_is(COMP, "cpu_rendezvous", "1"));
	EXPECT_TRUE(fwact_attr_is(COMP, "activation_capable", "1"));
}

int main(int argc, char **argv)
{
	fwact_debugfs_mount();
	return test_harness_run(argc, argv);
}
