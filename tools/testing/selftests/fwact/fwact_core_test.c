// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the fwact core's user-space ABI (/sys/firmware/fwact/),
 * driven against the emulated components of fwact_testmod.ko: every sysfs
 * file, every state transition and every operation in the wrong state,
 * staging by bytes and by file name, every kind of bad image, activation
 * end to end and its failures, cancel, concurrent callers, the journal,
 * uevents, privilege checks, and unloading the backend with its components
 * registered. Each test checks one behaviour and is named after it; the
 * fixture brings every test component back to idle with default knobs.
 *
 * Skips (exit 4) when the core or the test module is not loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <regex.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "fwact_util.h"

#define ONE	"test-one"
#define NONE	"test-none"

/* The fixture sets every component's running version to this. */
#define BASE_VERSION	1
/*
 * And the budget to the largest one: under TCG a vCPU can stall for a
 * second or more, which only the tests of the budget itself should see.
 */
#define BUDGET_US	10000000
#define BUDGET_US_STR	"10000000"
#define DEFAULT_BUDGET_US	1000000
#define MAX_IMAGE	FWACT_TESTMOD_MAX_IMAGE

#define FW_GOOD		"fwact-testmod-v2.bin"
#define FW_BADCRC	"fwact-testmod-badcrc.bin"
#define FW_DIR		"/lib/firmware"

static bool comp_is_none(const char *comp)
{
	return !strcmp(comp, NONE);
}

/* Knobs to defaults, version BASE_VERSION, core settings to defaults, idle. */
static int comp_reset(const char *comp)
{
	return fwact_comp_reset(comp, BASE_VERSION, BUDGET_US_STR);
}

FIXTURE(fwact) {
	int online;
	int first_cpu;
};

FIXTURE_SETUP(fwact)
{
	unsigned int i;

	if (!fwact_testmod_loaded())
		SKIP(longjmp(_metadata->env, 1),
		     "fwact or fwact_testmod not loaded (or debugfs not mounted)");
	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++) {
		const char *comp = fwact_test_comps[i];

		ASSERT_EQ(0, comp_reset(comp)) TH_LOG("cannot reset %s", comp);
	}
	self->online = fwact_nr_online();
	self->first_cpu = fwact_first_online();
	ASSERT_GT(self->online, 0);
}

FIXTURE_TEARDOWN(fwact)
{
	unsigned int i;

	/* Leave no fault armed for whoever runs next. */
	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++)
		fwact_knob_write(fwact_test_comps[i], "reset", "1");
}

/* The sysfs files whose content a wrong write must not change. */
struct snapshot {
	char state[32];
	char cur[64];
	char pending[64];
	char last_error[32];
	long long count;
};

static void snap_take(const char *comp, struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	fwact_attr_read(comp, "state", s->state, sizeof(s->state));
	fwact_attr_read(comp, "current_version", s->cur, sizeof(s->cur));
	fwact_attr_read(comp, "pending_version", s->pending,
			sizeof(s->pending));
	fwact_attr_read(comp, "last_error", s->last_error,
			sizeof(s->last_error));
	s->count = fwact_attr_ll(comp, "last_activation/count");
}

#define ASSERT_UNCHANGED(comp, before) do {				\
	const struct snapshot *__was = (before);			\
	struct snapshot __now;						\
									\
	snap_take(comp, &__now);					\
	ASSERT_STREQ(__was->state, __now.state);			\
	ASSERT_STREQ(__was->cur, __now.cur);				\
	ASSERT_STREQ(__was->pending, __now.pending);			\
	ASSERT_EQ(__was->count, __now.count);				\
} while (0)

static long long journal_lines(void)
{
	size_t len;
	char *text = fwact_path_slurp(FWACT_SYSFS "/journal", &len);
	long long lines = 0;
	size_t i;

	if (!text)
		return -1;
	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	free(text);
	return lines;
}

/* --- sysfs files: presence, modes, formats --- */

TEST_F(fwact, every_attribute_exists_with_its_mode)
{
	static const struct { const char *name; mode_t mode; } files[] = {
		{ "name", 0400 }, { "backend", 0400 },
		{ "current_version", 0400 }, { "pending_version", 0400 },
		{ "activation_capable", 0400 }, { "activation_pending", 0400 },
		{ "may_reset_cpu", 0400 }, { "cpu_rendezvous", 0400 },
		{ "force_cpu_rendezvous", 0600 }, { "max_blackout_us", 0600 },
		{ "rendezvous_mode", 0400 }, { "state", 0400 },
		{ "last_error", 0400 }, { "last_fw_status", 0400 },
		{ "image", 0200 }, { "stage", 0200 },
		{ "stage_firmware", 0200 }, { "activate", 0200 },
		{ "cancel", 0200 },
		{ "last_activation/result", 0400 },
		{ "last_activation/mode", 0400 },
		{ "last_activation/cpus", 0400 },
		{ "last_activation/blackout_ns", 0400 },
		{ "last_activation/arrival_skew_ns", 0400 },
		{ "last_activation/irqoff_max_ns", 0400 },
		{ "last_activation/irqoff_mean_ns", 0400 },
		{ "last_activation/action_ns", 0400 },
		{ "last_activation/fw_auth_ns", 0400 },
		{ "last_activation/fw_exec_ns", 0400 },
		{ "last_activation/failed_step", 0400 },
		{ "last_activation/failed_cpu", 0400 },
		{ "last_activation/version_before", 0400 },
		{ "last_activation/version_after", 0400 },
		{ "last_activation/count", 0400 },
	};
	char path[PATH_MAX];
	struct stat st;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		fwact_attr_path(path, sizeof(path), ONE, files[i].name);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s missing", path);
		EXPECT_EQ(files[i].mode, st.st_mode & 07777)
			TH_LOG("%s has mode %o", path, st.st_mode & 07777);
	}
	ASSERT_EQ(0, stat(FWACT_SYSFS "/journal", &st));
	EXPECT_EQ(0400, st.st_mode & 07777);
}

TEST_F(fwact, every_test_component_is_listed)
{
	char path[PATH_MAX];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++) {
		fwact_attr_path(path, sizeof(path), fwact_test_comps[i], "");
		EXPECT_EQ(0, access(path, F_OK)) TH_LOG("%s missing", path);
	}
}

TEST_F(fwact, name_and_backend_read_as_registered)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++) {
		EXPECT_TRUE(fwact_attr_is(fwact_test_comps[i], "name",
					  fwact_test_comps[i]));
		EXPECT_TRUE(fwact_attr_is(fwact_test_comps[i], "backend", "test"));
	}
}

TEST_F(fwact, current_version_follows_the_firmware)
{
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "1"));
	ASSERT_EQ(0, fwact_knob_set(ONE, "version", 4242));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "4242"));
}

TEST_F(fwact, pending_version_is_na_with_nothing_pending)
{
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "N/A"));
	ASSERT_TRUE(fwact_attr_is(ONE, "activation_pending", "0"));
}

TEST_F(fwact, flags_follow_the_firmware)
{
	ASSERT_TRUE(fwact_attr_is(ONE, "activation_capable", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "may_reset_cpu", "0"));
	ASSERT_TRUE(fwact_attr_is(ONE, "cpu_rendezvous", "0"));

	ASSERT_EQ(0, fwact_knob_set(ONE, "capable", 0));
	ASSERT_EQ(0, fwact_knob_set(ONE, "may_reset_cpu", 1));
	ASSERT_EQ(0, fwact_knob_set(ONE, "rendezvous_required", 1));
	ASSERT_TRUE(fwact_attr_is(ONE, "activation_capable", "0"));
	ASSERT_TRUE(fwact_attr_is(ONE, "may_reset_cpu", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "cpu_rendezvous", "1"));
}

TEST_F(fwact, externally_pending_image_is_shown)
{
	ASSERT_EQ(0, fwact_knob_set(ONE, "pending_external", 1));
	ASSERT_TRUE(fwact_attr_is(ONE, "activation_pending", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "2"));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "idle"));
}

TEST_F(fwact, state_and_errors_start_clean)
{
	char buf[64];

	ASSERT_TRUE(fwact_attr_is(ONE, "state", "idle"));
	ASSERT_TRUE(fwact_attr_is(ONE, "last_fw_status", "none"));
	ASSERT_EQ(0, fwact_attr_read(ONE, "last_error", buf, sizeof(buf)));
	ASSERT_NE(FWACT_NO_NUMBER, fwact_attr_ll(ONE, "last_error"))
		TH_LOG("last_error is not a number: '%s'", buf);
}

TEST_F(fwact, force_cpu_rendezvous_defaults_to_1_and_toggles)
{
	ASSERT_TRUE(fwact_attr_is(ONE, "force_cpu_rendezvous", "1"));
	ASSERT_EQ(0, fwact_attr_write(ONE, "force_cpu_rendezvous", "0"));
	ASSERT_TRUE(fwact_attr_is(ONE, "force_cpu_rendezvous", "0"));
	ASSERT_EQ(0, fwact_attr_write(ONE, "force_cpu_rendezvous", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "force_cpu_rendezvous", "1"));
}

TEST_F(fwact, force_cpu_rendezvous_rejects_garbage)
{
	static const char * const bad[] = { "2", "-1", "abc", "\n", "x1" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, fwact_attr_write(ONE, "force_cpu_rendezvous",
						    bad[i]))
			TH_LOG("input '%s'", bad[i]);
		ASSERT_TRUE(fwact_attr_is(ONE, "force_cpu_rendezvous", "1"));
	}
}

TEST_F(fwact, force_cpu_rendezvous_on_mode_none_is_eopnotsupp)
{
	ASSERT_EQ(-EOPNOTSUPP,
		  fwact_attr_write(NONE, "force_cpu_rendezvous", "1"));
	ASSERT_TRUE(fwact_attr_is(NONE, "force_cpu_rendezvous", "0"));
	ASSERT_TRUE(fwact_attr_is(NONE, "rendezvous_mode", "none"));
}

TEST_F(fwact, max_blackout_us_accepts_its_range)
{
	ASSERT_EQ(0, fwact_attr_write(ONE, "max_blackout_us", "1"));
	ASSERT_EQ(1, fwact_attr_ll(ONE, "max_blackout_us"));
	ASSERT_EQ(0, fwact_attr_write(ONE, "max_blackout_us", "10000000"));
	ASSERT_EQ(10000000, fwact_attr_ll(ONE, "max_blackout_us"));
}

TEST_F(fwact, max_blackout_us_rejects_out_of_range_and_garbage)
{
	static const char * const bad[] = {
		"0", "10000001", "-1", "abc", "12abc", "\n", "4294967296",
	};
	unsigned int i;

	ASSERT_EQ(0, fwact_attr_write(ONE, "max_blackout_us", "12345"));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, fwact_attr_write(ONE, "max_blackout_us",
						    bad[i]))
			TH_LOG("input '%s'", bad[i]);
		ASSERT_EQ(12345, fwact_attr_ll(ONE, "max_blackout_us"));
	}
}

TEST_F(fwact, rendezvous_mode_names_the_program)
{
	EXPECT_TRUE(fwact_attr_is("test-none", "rendezvous_mode", "none"));
	EXPECT_TRUE(fwact_attr_is("test-one", "rendezvous_mode", "one"));
	EXPECT_TRUE(fwact_attr_is("test-all", "rendezvous_mode", "all"));
	EXPECT_TRUE(fwact_attr_is("test-per-core", "rendezvous_mode",
				  "per_core"));
	EXPECT_TRUE(fwact_attr_is("test-serial", "rendezvous_mode", "serial"));
	EXPECT_TRUE(fwact_attr_is("test-steps", "rendezvous_mode", "steps"));
}

TEST_F(fwact, rendezvous_mode_is_none_when_not_forced_nor_required)
{
	ASSERT_EQ(0, fwact_attr_write(ONE, "force_cpu_rendezvous", "0"));
	ASSERT_TRUE(fwact_attr_is(ONE, "rendezvous_mode", "none"));
	/* The firmware's requirement wins over the admin's choice. */
	ASSERT_EQ(0, fwact_knob_set(ONE, "rendezvous_required", 1));
	ASSERT_TRUE(fwact_attr_is(ONE, "rendezvous_mode", "one"));
}

TEST_F(fwact, read_only_files_refuse_writes)
{
	static const char * const ro[] = {
		"name", "backend", "current_version", "pending_version",
		"activation_capable", "activation_pending", "may_reset_cpu",
		"cpu_rendezvous", "rendezvous_mode", "state", "last_error",
		"last_fw_status", "last_activation/result",
		"last_activation/count",
	};
	char path[PATH_MAX];
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(ro); i++) {
		fwact_attr_path(path, sizeof(path), ONE, ro[i]);
		fd = open(path, O_WRONLY);
		EXPECT_EQ(-1, fd) TH_LOG("%s opened for writing", path);
		if (fd >= 0)
			close(fd);
		else
			EXPECT_EQ(EACCES, errno);
	}
	fd = open(FWACT_SYSFS "/journal", O_WRONLY);
	EXPECT_EQ(-1, fd);
	if (fd >= 0)
		close(fd);
	ASSERT_TRUE(fwact_attr_is(ONE, "name", ONE));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "idle"));
}

TEST_F(fwact, write_only_files_refuse_reads)
{
	static const char * const wo[] = {
		"image", "stage", "stage_firmware", "activate", "cancel",
	};
	char path[PATH_MAX];
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(wo); i++) {
		fwact_attr_path(path, sizeof(path), ONE, wo[i]);
		fd = open(path, O_RDONLY);
		EXPECT_EQ(-1, fd) TH_LOG("%s opened for reading", path);
		if (fd >= 0)
			close(fd);
	}
}

/* --- staging by bytes --- */

TEST_F(fwact, stage_moves_idle_to_staged)
{
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "staged"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "2"));
	ASSERT_TRUE(fwact_attr_is(ONE, "activation_pending", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "last_error", "0"));
}

TEST_F(fwact, stage_with_nothing_uploaded_is_enodata)
{
	struct snapshot before;

	/* A stage uses the upload up, staged or not. */
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	snap_take(ONE, &before);
	ASSERT_EQ(-ENODATA, fwact_attr_write(ONE, "stage", "1"));
	ASSERT_UNCHANGED(ONE, &before);
}

TEST_F(fwact, stage_rejects_garbage_triggers)
{
	static const char * const bad[] = {
		"0", "2", "abc", "\n", "-1", "1abc", "10", "yes",
	};
	struct snapshot before;
	uint8_t *img;
	unsigned int i;
	size_t len;

	img = fwact_image_build(2, 100, &len);
	ASSERT_NE(NULL, img);
	ASSERT_EQ(0, fwact_image_upload(ONE, img, len, len));
	free(img);
	snap_take(ONE, &before);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, fwact_attr_write(ONE, "stage", bad[i]))
			TH_LOG("input '%s'", bad[i]);
		ASSERT_UNCHANGED(ONE, &before);
	}
	/* The upload survived the garbage. */
	ASSERT_EQ(0, fwact_attr_write(ONE, "stage", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "2"));
}

TEST_F(fwact, stage_accepts_an_image_written_in_chunks_over_4k)
{
	static const size_t chunks[] = { 1, 100, 3000, 4096, 5000 };
	uint8_t *img;
	unsigned int i;
	size_t len;

	img = fwact_image_build(2, 20000, &len);
	ASSERT_NE(NULL, img);
	for (i = 0; i < ARRAY_SIZE(chunks); i++) {
		if (chunks[i] == 1)	/* byte by byte: only a short image */
			continue;
		ASSERT_EQ(0, fwact_image_upload(ONE, img, len, chunks[i]));
		ASSERT_EQ(0, fwact_attr_write(ONE, "stage", "1"))
			TH_LOG("chunks of %zu", chunks[i]);
		ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "2"));
		ASSERT_EQ(0, fwact_attr_write(ONE, "cancel", "1"));
	}
	free(img);

	img = fwact_image_build(3, 40, &len);
	ASSERT_NE(NULL, img);
	ASSERT_EQ(0, fwact_image_upload(ONE, img, len, 1));
	free(img);
	ASSERT_EQ(0, fwact_attr_write(ONE, "stage", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "3"));
}

TEST_F(fwact, image_write_at_offset_zero_starts_a_new_upload)
{
	uint8_t *big, *img;
	size_t big_len, len;

	/* A longer bad upload first: its tail must not survive. */
	big = fwact_image_build(9, 8000, &big_len);
	ASSERT_NE(NULL, big);
	memset(big, 0xee, big_len);
	ASSERT_EQ(0, fwact_image_upload(ONE, big, big_len, 4096));
	free(big);

	img = fwact_image_build(2, 100, &len);
	ASSERT_NE(NULL, img);
	ASSERT_EQ(0, fwact_image_upload(ONE, img, len, len));
	free(img);
	ASSERT_EQ(0, fwact_attr_write(ONE, "stage", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "2"));
}

TEST_F(fwact, image_write_leaving_a_hole_is_refused)
{
	char path[PATH_MAX];
	char byte = 0;
	int fd;

	fwact_attr_path(path, sizeof(path), ONE, "image");
	fd = open(path, O_WRONLY);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(1, pwrite(fd, &byte, 1, 0));
	ASSERT_EQ(-1, pwrite(fd, &byte, 1, 100));
	ASSERT_EQ(EINVAL, errno);
	close(fd);
}

TEST_F(fwact, image_of_exactly_max_size_is_accepted)
{
	uint8_t *img;
	size_t len;

	img = fwact_image_build(2, MAX_IMAGE - FWACT_IMAGE_HDR_SIZE, &len);
	ASSERT_NE(NULL, img);
	ASSERT_EQ((size_t)MAX_IMAGE, len);
	ASSERT_EQ(0, fwact_image_upload(ONE, img, len, 65536));
	free(img);
	ASSERT_EQ(0, fwact_attr_write(ONE, "stage", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "staged"));
}

TEST_F(fwact, oversized_image_is_efbig)
{
	struct snapshot before;
	char path[PATH_MAX];
	uint8_t *img;
	size_t len;
	int fd;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	snap_take(ONE, &before);

	img = fwact_image_build(3, MAX_IMAGE - FWACT_IMAGE_HDR_SIZE + 1, &len);
	ASSERT_NE(NULL, img);
	ASSERT_EQ(-EFBIG, fwact_image_upload(ONE, img, len, 65536));
	ASSERT_EQ(-EFBIG, fwact_image_upload(ONE, img, len, len));
	free(img);

	/* A write that starts beyond the limit. */
	fwact_attr_path(path, sizeof(path), ONE, "image");
	fd = open(path, O_WRONLY);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(-1, pwrite(fd, "x", 1, (off_t)MAX_IMAGE + 4096));
	ASSERT_EQ(EFBIG, errno);
	close(fd);
	ASSERT_UNCHANGED(ONE, &before);
}

/*
 * Stage @img (built as version 3 and then broken) while version 2 is
 * staged: the error must be @err and nothing may change.
 */
static void stage_bad(struct __test_metadata *_metadata, const void *img,
		      size_t len, int err)
{
	struct snapshot before;
	char buf[32];

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	snap_take(ONE, &before);
	ASSERT_EQ(err, fwact_stage_bytes(ONE, img, len));
	ASSERT_UNCHANGED(ONE, &before);
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "2"));
	snprintf(buf, sizeof(buf), "%d", err);
	ASSERT_TRUE(fwact_attr_is(ONE, "last_error", buf));

	/* The same from idle: stays idle. */
	ASSERT_EQ(0, fwact_attr_write(ONE, "cancel", "1"));
	snap_take(ONE, &before);
	ASSERT_EQ(err, fwact_stage_bytes(ONE, img, len));
	ASSERT_UNCHANGED(ONE, &before);
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "idle"));
}

/* One kind of bad image: a valid version 3 image, then broken this way. */
FIXTURE(bad_image) {
	int unused;
};

FIXTURE_VARIANT(bad_image) {
	int err;		/* the errno staging it must give */
	long cut_to;		/* >= 0: keep only this many bytes */
	long cut_off;		/* drop this many bytes from the end */
	long field;		/* >= 0: offset of a u32 field to overwrite */
	uint32_t value;		/* what to write there */
	bool flip_payload;	/* flip a bit of the last payload byte */
	bool flip_magic;	/* break the first magic byte */
};

FIXTURE_VARIANT_ADD(bad_image, truncated_header) {
	.err = -EINVAL, .cut_to = FWACT_IMAGE_HDR_SIZE - 1, .field = -1,
};

FIXTURE_VARIANT_ADD(bad_image, one_byte) {
	.err = -EINVAL, .cut_to = 1, .field = -1,
};

FIXTURE_VARIANT_ADD(bad_image, truncated_payload) {
	.err = -EINVAL, .cut_to = -1, .cut_off = 10, .field = -1,
};

FIXTURE_VARIANT_ADD(bad_image, wrong_magic) {
	.err = -EINVAL, .cut_to = -1, .field = -1, .flip_magic = true,
};

FIXTURE_VARIANT_ADD(bad_image, bad_payload_crc) {
	.err = -EBADMSG, .cut_to = -1, .field = -1, .flip_payload = true,
};

FIXTURE_VARIANT_ADD(bad_image, bad_crc_field) {
	.err = -EBADMSG, .cut_to = -1, .field = 16, .value = 0xdeadbeef,
};

FIXTURE_VARIANT_ADD(bad_image, payload_size_beyond_data) {
	.err = -EINVAL, .cut_to = -1, .field = 12, .value = 101,
};

FIXTURE_VARIANT_ADD(bad_image, payload_size_huge) {
	.err = -EINVAL, .cut_to = -1, .field = 12, .value = 0xffffffff,
};

FIXTURE_VARIANT_ADD(bad_image, payload_size_short_of_data) {
	.err = -EINVAL, .cut_to = -1, .field = 12, .value = 99,
};

FIXTURE_VARIANT_ADD(bad_image, reserved_field_set) {
	.err = -EINVAL, .cut_to = -1, .field = 20, .value = 1,
};

FIXTURE_VARIANT_ADD(bad_image, rollback_to_same_version) {
	.err = -EINVAL, .cut_to = -1, .field = 8, .value = BASE_VERSION,
};

FIXTURE_VARIANT_ADD(bad_image, rollback_to_older_version) {
	.err = -EINVAL, .cut_to = -1, .field = 8, .value = 0,
};

FIXTURE_SETUP(bad_image)
{
	if (!fwact_testmod_loaded())
		SKIP(longjmp(_metadata->env, 1), "fwact_testmod not loaded");
	ASSERT_EQ(0, comp_reset(ONE));
}

FIXTURE_TEARDOWN(bad_image)
{
	fwact_knob_write(ONE, "reset", "1");
}

TEST_F(bad_image, is_refused_with_nothing_changed)
{
	uint8_t *img;
	size_t len;

	img = fwact_image_build(3, 100, &len);
	ASSERT_NE(NULL, img);
	if (variant->cut_to >= 0)
		len = variant->cut_to;
	len -= variant->cut_off;
	if (variant->field >= 0)
		fwact_image_set_u32(img, variant->field, variant->value);
	if (variant->flip_payload)
		img[len - 1] ^= 1;
	if (variant->flip_magic)
		img[0] ^= 0x20;
	stage_bad(_metadata, img, len, variant->err);
	free(img);
}

TEST_F(fwact, stage_error_from_the_firmware_is_returned)
{
	struct snapshot before;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	snap_take(ONE, &before);
	ASSERT_EQ(0, fwact_knob_set(ONE, "fail_stage", EIO));
	ASSERT_EQ(-EIO, fwact_stage_version(ONE, 3, 100));
	ASSERT_UNCHANGED(ONE, &before);
}

TEST_F(fwact, newer_image_replaces_the_staged_one)
{
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_stage_version(ONE, 5, 100));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "staged"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "5"));
}

/* --- staging by file name --- */

TEST_F(fwact, stage_firmware_loads_the_named_file)
{
	if (access(FW_DIR "/" FW_GOOD, R_OK))
		SKIP(return, FW_DIR "/" FW_GOOD " not installed");
	ASSERT_EQ(0, fwact_attr_write(ONE, "stage_firmware", FW_GOOD "\n"));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "staged"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "2"));
}

TEST_F(fwact, stage_firmware_missing_file_is_enoent)
{
	struct snapshot before;

	snap_take(ONE, &before);
	ASSERT_EQ(-ENOENT, fwact_attr_write(ONE, "stage_firmware",
					    "fwact-testmod-no-such-file.bin"));
	ASSERT_UNCHANGED(ONE, &before);
}

TEST_F(fwact, stage_firmware_bad_image_is_rejected)
{
	struct snapshot before;

	if (access(FW_DIR "/" FW_BADCRC, R_OK))
		SKIP(return, FW_DIR "/" FW_BADCRC " not installed");
	snap_take(ONE, &before);
	ASSERT_EQ(-EBADMSG, fwact_attr_write(ONE, "stage_firmware", FW_BADCRC));
	ASSERT_UNCHANGED(ONE, &before);
}

TEST_F(fwact, stage_firmware_oversized_file_is_efbig)
{
	const char *path = FW_DIR "/fwact-testmod-oversized.bin";
	struct snapshot before;
	uint8_t *img;
	size_t len;
	FILE *f;

	img = fwact_image_build(3, MAX_IMAGE - FWACT_IMAGE_HDR_SIZE + 1, &len);
	ASSERT_NE(NULL, img);
	f = fopen(path, "wb");
	if (!f) {
		free(img);
		SKIP(return, "cannot write %s", path);
	}
	ASSERT_EQ(len, fwrite(img, 1, len, f));
	ASSERT_EQ(0, fclose(f));
	free(img);

	snap_take(ONE, &before);
	EXPECT_EQ(-EFBIG, fwact_attr_write(ONE, "stage_firmware",
					   "fwact-testmod-oversized.bin"));
	unlink(path);
	ASSERT_UNCHANGED(ONE, &before);
}

TEST_F(fwact, stage_firmware_rejects_bad_names)
{
	static const char * const bad[] = {
		"\n", "/etc/passwd", "../etc/passwd", "a/../../etc/passwd",
		"name with spaces",
	};
	struct snapshot before;
	char longname[300];
	unsigned int i;

	snap_take(ONE, &before);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, fwact_attr_write(ONE, "stage_firmware",
						    bad[i]))
			TH_LOG("input '%s'", bad[i]);
		ASSERT_UNCHANGED(ONE, &before);
	}
	/* Longer than NAME_MAX. */
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	EXPECT_EQ(-EINVAL, fwact_attr_write(ONE, "stage_firmware", longname));
	ASSERT_UNCHANGED(ONE, &before);
}

/* --- activation --- */

TEST_F(fwact, activate_with_nothing_staged_is_enodata)
{
	long long calls = fwact_knob_ll(ONE, "calls");
	struct snapshot before;

	snap_take(ONE, &before);
	ASSERT_EQ(-ENODATA, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_UNCHANGED(ONE, &before);
	ASSERT_EQ(calls, fwact_knob_ll(ONE, "calls"));
}

TEST_F(fwact, activate_rejects_garbage_triggers)
{
	static const char * const bad[] = {
		"0", "2", "abc", "\n", "-1", "x1", "1abc", "10", "y",
	};
	long long calls = fwact_knob_ll(ONE, "calls");
	struct snapshot before;
	unsigned int i;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	snap_take(ONE, &before);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, fwact_attr_write(ONE, "activate", bad[i]))
			TH_LOG("input '%s'", bad[i]);
		ASSERT_UNCHANGED(ONE, &before);
	}
	ASSERT_EQ(calls, fwact_knob_ll(ONE, "calls"));
}

TEST_F(fwact, activate_rejects_a_page_of_garbage)
{
	char junk[8192];
	struct snapshot before;

	memset(junk, 'z', sizeof(junk));
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	snap_take(ONE, &before);
	ASSERT_NE(0, fwact_path_write(FWACT_SYSFS "/" ONE "/activate", junk,
				      sizeof(junk)));
	ASSERT_UNCHANGED(ONE, &before);
}

TEST_F(fwact, activation_applies_the_staged_image)
{
	long long count = fwact_attr_ll(ONE, "last_activation/count");
	long long calls = fwact_knob_ll(ONE, "calls");
	struct fwact_rec rec[4];

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "activated"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "2"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "N/A"));
	ASSERT_TRUE(fwact_attr_is(ONE, "activation_pending", "0"));
	ASSERT_TRUE(fwact_attr_is(ONE, "last_error", "0"));
	ASSERT_EQ(count + 1, fwact_attr_ll(ONE, "last_activation/count"));

	/* Mode one: exactly one action, on the lowest online CPU. */
	ASSERT_EQ(calls + 1, fwact_knob_ll(ONE, "calls"));
	ASSERT_EQ(1, fwact_record_read(ONE, rec, 4));
	ASSERT_EQ(0, rec[0].step);
	ASSERT_EQ(self->first_cpu, rec[0].cpu);
	ASSERT_LE(rec[0].start_ns, rec[0].end_ns);
}

TEST_F(fwact, last_activation_is_filled_after_success)
{
	long long blackout, action, irqmax, irqmean, skew;

	ASSERT_EQ(0, fwact_knob_set(ONE, "slow_us", 2000));
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_attr_write(ONE, "activate", "1"));

	ASSERT_EQ(0, fwact_attr_ll(ONE, "last_activation/result"));
	ASSERT_TRUE(fwact_attr_is(ONE, "last_activation/mode", "one"));
	ASSERT_EQ(self->online, fwact_attr_ll(ONE, "last_activation/cpus"));
	ASSERT_TRUE(fwact_attr_is(ONE, "last_activation/version_before", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "last_activation/version_after", "2"));
	ASSERT_EQ(-1, fwact_attr_ll(ONE, "last_activation/failed_step"));
	ASSERT_EQ(-1, fwact_attr_ll(ONE, "last_activation/failed_cpu"));
	ASSERT_EQ(0, fwact_attr_ll(ONE, "last_activation/fw_auth_ns"));
	ASSERT_EQ(0, fwact_attr_ll(ONE, "last_activation/fw_exec_ns"));

	blackout = fwact_attr_ll(ONE, "last_activation/blackout_ns");
	action = fwact_attr_ll(ONE, "last_activation/action_ns");
	irqmax = fwact_attr_ll(ONE, "last_activation/irqoff_max_ns");
	irqmean = fwact_attr_ll(ONE, "last_activation/irqoff_mean_ns");
	skew = fwact_attr_ll(ONE, "last_activation/arrival_skew_ns");
	/* The action spun 2 ms; everything around it is at least that. */
	EXPECT_GE(action, 2000000);
	EXPECT_GE(blackout, action);
	EXPECT_GE(irqmax, action);
	EXPECT_GE(irqmax, irqmean);
	EXPECT_GT(irqmean, 0);
	EXPECT_GE(skew, 0);
	EXPECT_LT(skew, blackout);
	/* Bounded by the budget plus slack. */
	EXPECT_LT(blackout, (BUDGET_US + 1000000) * 1000LL);
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

#define MAX_RECS	(4 * 256)

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

TEST_F(fwact, testmod_knobs_reject_values_out_of_range)
{
	ASSERT_EQ(-EINVAL, fwact_knob_write(ONE, "capable", "2"));
	ASSERT_EQ(-EINVAL, fwact_knob_write(ONE, "hang_us", "12000001"));
	ASSERT_EQ(-EINVAL, fwact_knob_write(ONE, "delay_cpu", "-2"));
	ASSERT_EQ(-EINVAL, fwact_knob_set(ONE, "fail_cpu", FWACT_MAX_CPUS * 64));
	ASSERT_EQ(-EINVAL, fwact_knob_write(ONE, "fail_step", "8"));
	ASSERT_EQ(-EINVAL, fwact_knob_write(ONE, "fail_errno", "4096"));
	ASSERT_EQ(-EINVAL, fwact_knob_write(ONE, "slow_us", "junk"));
	ASSERT_EQ(0, fwact_knob_write(ONE, "fail_errno", "-5"));
	ASSERT_EQ(5, fwact_knob_ll(ONE, "fail_errno"));
	ASSERT_EQ(0, fwact_knob_write(ONE, "reset", "1"));
	ASSERT_EQ(0, fwact_knob_ll(ONE, "fail_errno"));
	ASSERT_EQ(1, fwact_knob_ll(ONE, "capable"));
	ASSERT_EQ(-1, fwact_knob_ll(ONE, "delay_cpu"));
}

TEST_F(fwact, failing_action_fails_the_activation)
{
	long long count = fwact_attr_ll(ONE, "last_activation/count");
	long long lines = journal_lines();

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(ONE, "fail_errno", EIO));
	ASSERT_EQ(-EIO, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "failed"));
	ASSERT_TRUE(fwact_attr_is(ONE, "last_error", "-5"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "1"));
	ASSERT_EQ(-EIO, fwact_attr_ll(ONE, "last_activation/result"));
	ASSERT_EQ(0, fwact_attr_ll(ONE, "last_activation/failed_step"));
	ASSERT_EQ(self->first_cpu,
		  fwact_attr_ll(ONE, "last_activation/failed_cpu"));
	ASSERT_TRUE(fwact_attr_is(ONE, "last_activation/version_after", "1"));
	ASSERT_EQ(count + 1, fwact_attr_ll(ONE, "last_activation/count"));
	ASSERT_EQ(lines < 64 ? lines + 1 : 64, journal_lines());
}

TEST_F(fwact, failed_activation_can_be_retried)
{
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(ONE, "fail_errno", EIO));
	ASSERT_EQ(-EIO, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_EQ(0, fwact_knob_set(ONE, "fail_errno", 0));
	/* The firmware still holds the image: activate again. */
	ASSERT_EQ(0, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "activated"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "2"));
	ASSERT_TRUE(fwact_attr_is(ONE, "last_error", "0"));
}

TEST_F(fwact, failing_step_of_a_program_is_named)
{
	ASSERT_EQ(0, fwact_stage_version("test-steps", 2, 100));
	ASSERT_EQ(0, fwact_knob_set("test-steps", "fail_errno", EFAULT));
	ASSERT_EQ(0, fwact_knob_set("test-steps", "fail_step", 2));
	ASSERT_EQ(-EFAULT, fwact_attr_write("test-steps", "activate", "1"));
	ASSERT_TRUE(fwact_attr_is("test-steps", "state", "failed"));
	ASSERT_EQ(2, fwact_attr_ll("test-steps", "last_activation/failed_step"));
	ASSERT_GE(fwact_attr_ll("test-steps", "last_activation/failed_cpu"), 0);
	ASSERT_TRUE(fwact_attr_is("test-steps", "current_version", "1"));
}

TEST_F(fwact, failing_prepare_fails_with_nothing_run)
{
	long long calls = fwact_knob_ll(ONE, "calls");

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(ONE, "fail_prepare", ENOSPC));
	ASSERT_EQ(-ENOSPC, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "last_error", "-28"));
	ASSERT_EQ(calls, fwact_knob_ll(ONE, "calls"));
}

TEST_F(fwact, activate_when_not_capable_is_eopnotsupp)
{
	long long calls = fwact_knob_ll(ONE, "calls");
	struct snapshot before;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(ONE, "capable", 0));
	snap_take(ONE, &before);
	ASSERT_EQ(-EOPNOTSUPP, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_UNCHANGED(ONE, &before);
	ASSERT_EQ(calls, fwact_knob_ll(ONE, "calls"));
}

TEST_F(fwact, activate_when_it_may_reset_cpus_is_eopnotsupp)
{
	long long calls = fwact_knob_ll(ONE, "calls");
	struct snapshot before;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(ONE, "may_reset_cpu", 1));
	snap_take(ONE, &before);
	ASSERT_EQ(-EOPNOTSUPP, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_UNCHANGED(ONE, &before);
	ASSERT_EQ(calls, fwact_knob_ll(ONE, "calls"));
}

TEST_F(fwact, externally_pending_image_activates_without_staging)
{
	ASSERT_EQ(0, fwact_knob_set(ONE, "pending_external", 1));
	ASSERT_EQ(0, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "activated"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "2"));
	ASSERT_TRUE(fwact_attr_is(ONE, "activation_pending", "0"));
}

TEST_F(fwact, activate_after_activation_is_enodata)
{
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_EQ(-ENODATA, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "activated"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "2"));
}

TEST_F(fwact, stage_after_activation_is_allowed)
{
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_EQ(0, fwact_stage_version(ONE, 3, 100));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "staged"));
	ASSERT_EQ(0, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "3"));
}

TEST_F(fwact, gather_timeout_is_etimedout_with_nothing_run)
{
	long long calls = fwact_knob_ll(ONE, "calls");
	int cpu = fwact_last_online();

	if (self->online < 2)
		SKIP(return, "needs two online CPUs");
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_attr_write(ONE, "max_blackout_us", "300000"));
	ASSERT_EQ(0, fwact_knob_set(ONE, "delay_cpu", cpu));
	ASSERT_EQ(0, fwact_knob_set(ONE, "delay_us", 2000000));
	ASSERT_EQ(-ETIMEDOUT, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "failed"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "1"));
	ASSERT_EQ(cpu, fwact_attr_ll(ONE, "last_activation/failed_cpu"));
	ASSERT_EQ(calls, fwact_knob_ll(ONE, "calls"));
}

TEST_F(fwact, hung_step_is_waited_for_and_reported_as_an_overrun)
{
	const char *comp = "test-all";
	int cpu = fwact_last_online();

	ASSERT_EQ(0, fwact_stage_version(comp, 2, 100));
	ASSERT_EQ(0, fwact_attr_write(comp, "max_blackout_us", "300000"));
	ASSERT_EQ(0, fwact_knob_set(comp, "hang_cpu", cpu));
	ASSERT_EQ(0, fwact_knob_set(comp, "hang_us", 2000000));
	/* The only step ran to its end: the firmware did what it was asked. */
	ASSERT_EQ(0, fwact_attr_write(comp, "activate", "1"));
	ASSERT_TRUE(fwact_attr_is(comp, "state", "activated"));
	ASSERT_TRUE(fwact_attr_is(comp, "current_version", "2"));
	ASSERT_EQ(-1, fwact_attr_ll(comp, "last_activation/failed_step"));
	ASSERT_EQ(0, fwact_attr_ll(comp, "last_activation/overrun_step"));
	ASSERT_EQ(cpu, fwact_attr_ll(comp, "last_activation/overrun_cpu"));
}

TEST_F(fwact, last_fw_status_shows_what_the_firmware_reported)
{
	ASSERT_TRUE(fwact_attr_is(ONE, "last_fw_status", "none"));
	ASSERT_EQ(0, fwact_knob_set(ONE, "fw_status", 0x12));
	ASSERT_EQ(0, fwact_knob_set(ONE, "fw_ext_status", 0xabcd));
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_TRUE(fwact_attr_is(ONE, "last_fw_status", "0x12 0xabcd"));

	ASSERT_EQ(0, fwact_knob_set(ONE, "fw_status", 0));
	ASSERT_EQ(0, fwact_knob_set(ONE, "fw_ext_status", 7));
	ASSERT_EQ(0, fwact_knob_set(ONE, "fw_auth_ns", 1234));
	ASSERT_EQ(0, fwact_knob_set(ONE, "fw_exec_ns", 56789));
	ASSERT_EQ(0, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "last_fw_status", "0x0 0x7"));
	ASSERT_EQ(1234, fwact_attr_ll(ONE, "last_activation/fw_auth_ns"));
	ASSERT_EQ(56789, fwact_attr_ll(ONE, "last_activation/fw_exec_ns"));
}

TEST_F(fwact, last_fw_status_is_cleared_by_the_next_stage)
{
	ASSERT_EQ(0, fwact_knob_set(ONE, "fw_status", 0x12));
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_TRUE(fwact_attr_is(ONE, "last_fw_status", "0x12 0x0"));
	ASSERT_EQ(0, fwact_knob_set(ONE, "fw_status", -1));
	ASSERT_EQ(0, fwact_stage_version(ONE, 3, 100));
	ASSERT_TRUE(fwact_attr_is(ONE, "last_fw_status", "none"));
}

TEST_F(fwact, failed_component_can_stage_or_cancel)
{
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(ONE, "fail_errno", EIO));
	ASSERT_EQ(-EIO, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "failed"));
	ASSERT_EQ(0, fwact_stage_version(ONE, 3, 100));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "staged"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "3"));

	ASSERT_EQ(-EIO, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_EQ(0, fwact_attr_write(ONE, "cancel", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "idle"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "N/A"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "1"));
}

/* --- cancel --- */

TEST_F(fwact, cancel_returns_a_staged_image_to_idle)
{
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_attr_write(ONE, "cancel", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "idle"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "N/A"));
	ASSERT_TRUE(fwact_attr_is(ONE, "activation_pending", "0"));
	ASSERT_EQ(-ENODATA, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "1"));
}

TEST_F(fwact, an_image_the_firmware_dropped_is_no_longer_staged)
{
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "staged"));
	/* The firmware drops it and tells the core (fwact_notify()). */
	ASSERT_EQ(0, fwact_knob_write(ONE, "drop_staged", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "idle"));
	ASSERT_TRUE(fwact_attr_is(ONE, "activation_pending", "0"));
	ASSERT_EQ(-ENODATA, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_EQ(-ENODATA, fwact_attr_write(ONE, "cancel", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "1"));
}

TEST_F(fwact, cancel_with_nothing_staged_is_enodata)
{
	struct snapshot before;

	snap_take(ONE, &before);
	ASSERT_EQ(-ENODATA, fwact_attr_write(ONE, "cancel", "1"));
	ASSERT_UNCHANGED(ONE, &before);
}

TEST_F(fwact, cancel_rejects_garbage_triggers)
{
	static const char * const bad[] = {
		"0", "2", "abc", "\n", "-1", "1abc", "on",
	};
	struct snapshot before;
	unsigned int i;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	snap_take(ONE, &before);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, fwact_attr_write(ONE, "cancel", bad[i]))
			TH_LOG("input '%s'", bad[i]);
		ASSERT_UNCHANGED(ONE, &before);
	}
}

/* --- concurrency --- */

struct activator {
	const char *comp;
	pthread_barrier_t *barrier;
	int fd;
	int ret;
};

static void *activator_run(void *arg)
{
	struct activator *a = arg;

	if (a->barrier)
		pthread_barrier_wait(a->barrier);
	a->ret = write(a->fd, "1", 1) < 0 ? -errno : 0;
	return NULL;
}

static int activator_start(struct activator *a, const char *comp,
			   pthread_barrier_t *barrier, pthread_t *thread)
{
	char path[PATH_MAX];

	a->comp = comp;
	a->barrier = barrier;
	a->ret = 1;
	fwact_attr_path(path, sizeof(path), comp, "activate");
	a->fd = open(path, O_WRONLY);
	if (a->fd < 0)
		return -errno;
	return -pthread_create(thread, NULL, activator_run, a);
}

static void activator_join(struct activator *a, pthread_t thread)
{
	pthread_join(thread, NULL);
	close(a->fd);
}

/* Wait until @comp reads @state; false after 5 s. */
static bool wait_for_state(const char *comp, const char *state)
{
	int i;

	for (i = 0; i < 5000; i++) {
		if (fwact_attr_is(comp, "state", state))
			return true;
		usleep(1000);
	}
	return false;
}

TEST_F(fwact, concurrent_activators_one_wins_one_is_ebusy)
{
	long long count = fwact_attr_ll(NONE, "last_activation/count");
	long long calls = fwact_knob_ll(NONE, "calls");
	struct activator a[2];
	pthread_barrier_t barrier;
	pthread_t t[2];
	int i;

	ASSERT_EQ(0, fwact_stage_version(NONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(NONE, "slow_us", 300000));
	ASSERT_EQ(0, pthread_barrier_init(&barrier, NULL, 2));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, activator_start(&a[i], NONE, &barrier, &t[i]));
	for (i = 0; i < 2; i++)
		activator_join(&a[i], t[i]);
	pthread_barrier_destroy(&barrier);

	ASSERT_TRUE((a[0].ret == 0 && a[1].ret == -EBUSY) ||
		    (a[1].ret == 0 && a[0].ret == -EBUSY))
		TH_LOG("results %d and %d", a[0].ret, a[1].ret);
	ASSERT_TRUE(fwact_attr_is(NONE, "current_version", "2"));
	ASSERT_EQ(count + 1, fwact_attr_ll(NONE, "last_activation/count"));
	ASSERT_EQ(calls + 1, fwact_knob_ll(NONE, "calls"));
}

TEST_F(fwact, concurrent_activation_of_another_component_is_ebusy)
{
	struct activator a;
	struct snapshot before;
	pthread_t t;

	ASSERT_EQ(0, fwact_stage_version(NONE, 2, 100));
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(NONE, "slow_us", 500000));
	snap_take(ONE, &before);
	ASSERT_EQ(0, activator_start(&a, NONE, NULL, &t));
	ASSERT_TRUE(wait_for_state(NONE, "activating"));
	/* Only one activation at a time in the whole system. */
	EXPECT_EQ(-EBUSY, fwact_attr_write(ONE, "activate", "1"));
	activator_join(&a, t);
	ASSERT_EQ(0, a.ret);
	ASSERT_UNCHANGED(ONE, &before);
}

TEST_F(fwact, stage_and_cancel_while_activating_are_ebusy)
{
	struct activator a;
	pthread_t t;

	ASSERT_EQ(0, fwact_stage_version(NONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(NONE, "slow_us", 500000));
	ASSERT_EQ(0, activator_start(&a, NONE, NULL, &t));
	ASSERT_TRUE(wait_for_state(NONE, "activating"));
	/* Past prepare: the action runs (slow_us), no way back. */
	usleep(100000);
	EXPECT_EQ(-EBUSY, fwact_stage_version(NONE, 3, 100));
	if (!access(FW_DIR "/" FW_GOOD, R_OK))
		EXPECT_EQ(-EBUSY, fwact_attr_write(NONE, "stage_firmware",
						   FW_GOOD));
	EXPECT_EQ(-EBUSY, fwact_attr_write(NONE, "cancel", "1"));
	EXPECT_EQ(-EBUSY, fwact_attr_write(NONE, "activate", "1"));
	activator_join(&a, t);
	ASSERT_EQ(0, a.ret);
	ASSERT_TRUE(fwact_attr_is(NONE, "state", "activated"));
	ASSERT_TRUE(fwact_attr_is(NONE, "current_version", "2"));
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

TEST_F(fwact, reads_do_not_wait_for_an_activation)
{
	static const char * const files[] = {
		"state", "current_version", "pending_version",
		"activation_pending", "rendezvous_mode", "last_error",
		"last_activation/count", "max_blackout_us",
	};
	struct activator a;
	unsigned int i;
	long long t0;
	char buf[64];
	pthread_t t;

	ASSERT_EQ(0, fwact_stage_version(NONE, 2, 100));
	/* Reads that waited would take ~2 s; allow 1 s for a TCG stall. */
	ASSERT_EQ(0, fwact_knob_set(NONE, "slow_us", 2000000));
	ASSERT_EQ(0, activator_start(&a, NONE, NULL, &t));
	ASSERT_TRUE(wait_for_state(NONE, "activating"));
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		t0 = now_ns();
		EXPECT_EQ(0, fwact_attr_read(NONE, files[i], buf, sizeof(buf)));
		EXPECT_LT(now_ns() - t0, 1000000000LL)
			TH_LOG("reading %s waited for the activation", files[i]);
	}
	t0 = now_ns();
	free(fwact_path_slurp(FWACT_SYSFS "/journal", NULL));
	EXPECT_LT(now_ns() - t0, 1000000000LL);
	/* Still running: the reads above raced nothing. */
	EXPECT_TRUE(fwact_attr_is(NONE, "state", "activating"));
	activator_join(&a, t);
	ASSERT_EQ(0, a.ret);
}

TEST_F(fwact, cancel_during_prepare_is_ecanceled)
{
	long long calls = fwact_knob_ll(ONE, "calls");
	struct activator a;
	pthread_t t;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(ONE, "prepare_ms", 500));
	ASSERT_EQ(0, activator_start(&a, ONE, NULL, &t));
	ASSERT_TRUE(wait_for_state(ONE, "activating"));
	ASSERT_EQ(0, fwact_attr_write(ONE, "cancel", "1"));
	activator_join(&a, t);
	ASSERT_EQ(-ECANCELED, a.ret);
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "idle"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "N/A"));
	ASSERT_EQ(calls, fwact_knob_ll(ONE, "calls"));
}

/* --- journal --- */

TEST_F(fwact, journal_records_a_successful_activation)
{
	static struct fwact_jline j[65];
	struct fwact_jline *last;
	int n;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_attr_write(ONE, "activate", "1"));
	n = fwact_journal_parse(j, 65);
	ASSERT_GE(n, 1) TH_LOG("journal unreadable or malformed");
	last = &j[n - 1];
	EXPECT_STREQ(ONE, last->comp);
	EXPECT_STREQ("test", last->backend);
	EXPECT_STREQ("1", last->from);
	EXPECT_STREQ("2", last->to);
	EXPECT_EQ(0, last->result);
	EXPECT_STREQ("one", last->mode);
	EXPECT_EQ(self->online, last->cpus);
	EXPECT_GT(last->blackout, 0);
	EXPECT_EQ(-1, last->failed_step);
	EXPECT_EQ(-1, last->failed_cpu);
	EXPECT_GT(last->sec, 0);
	EXPECT_LT(last->nsec, 1000000000L);
}

TEST_F(fwact, journal_records_a_failed_activation)
{
	static struct fwact_jline j[65];
	struct fwact_jline *last;
	int n;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(ONE, "fail_errno", EIO));
	ASSERT_EQ(-EIO, fwact_attr_write(ONE, "activate", "1"));
	n = fwact_journal_parse(j, 65);
	ASSERT_GE(n, 1);
	last = &j[n - 1];
	EXPECT_STREQ(ONE, last->comp);
	EXPECT_STREQ("1", last->from);
	EXPECT_STREQ("1", last->to);
	EXPECT_EQ(-EIO, last->result);
	EXPECT_EQ(0, last->failed_step);
	EXPECT_EQ(self->first_cpu, last->failed_cpu);
}

TEST_F(fwact, journal_adds_one_line_per_attempt)
{
	static struct fwact_jline j[65];
	unsigned long long seq;
	int n;

	n = fwact_journal_parse(j, 65);
	ASSERT_GE(n, 0);
	seq = n ? j[n - 1].seq : 0;

	ASSERT_EQ(0, fwact_stage_version(NONE, 2, 100));
	ASSERT_EQ(0, fwact_attr_write(NONE, "activate", "1"));
	n = fwact_journal_parse(j, 65);
	ASSERT_GE(n, 1);
	ASSERT_EQ(seq + 1, j[n - 1].seq);

	ASSERT_EQ(0, fwact_stage_version(NONE, 3, 100));
	ASSERT_EQ(0, fwact_knob_set(NONE, "fail_errno", EIO));
	ASSERT_EQ(-EIO, fwact_attr_write(NONE, "activate", "1"));
	n = fwact_journal_parse(j, 65);
	ASSERT_GE(n, 2);
	ASSERT_EQ(seq + 2, j[n - 1].seq);
	ASSERT_EQ(seq + 1, j[n - 2].seq);
	ASSERT_EQ(0, j[n - 2].result);
	ASSERT_EQ(-EIO, j[n - 1].result);
}

TEST_F_TIMEOUT(fwact, journal_keeps_the_newest_64_attempts, 300)
{
	static struct fwact_jline j[66];
	unsigned long long first;
	int i, n;

	n = fwact_journal_parse(j, 66);
	ASSERT_GE(n, 0);
	first = n ? j[n - 1].seq + 1 : 1;

	for (i = 0; i < 70; i++) {
		ASSERT_EQ(0, fwact_stage_version(NONE, BASE_VERSION + 1 + i, 16));
		ASSERT_EQ(0, fwact_attr_write(NONE, "activate", "1"));
	}
	n = fwact_journal_parse(j, 66);
	ASSERT_EQ(64, n);
	/* Oldest dropped, newest kept, in order, no gap. */
	ASSERT_EQ(first + 69, j[63].seq);
	ASSERT_EQ(first + 6, j[0].seq);
	for (i = 1; i < 64; i++)
		ASSERT_EQ(j[i - 1].seq + 1, j[i].seq);
	ASSERT_STREQ("71", j[63].to);
	ASSERT_STREQ("70", j[63].from);
	ASSERT_STREQ("8", j[0].to);
}

TEST_F(fwact, journal_reads_in_small_pieces_equal_one_read)
{
	char *whole, piece[7];
	size_t len, got = 0;
	ssize_t n;
	int fd;

	ASSERT_EQ(0, fwact_stage_version(NONE, 2, 100));
	ASSERT_EQ(0, fwact_attr_write(NONE, "activate", "1"));
	whole = fwact_path_slurp(FWACT_SYSFS "/journal", &len);
	ASSERT_NE(NULL, whole);
	ASSERT_GT(len, 0);
	fd = open(FWACT_SYSFS "/journal", O_RDONLY);
	ASSERT_GE(fd, 0);
	while ((n = read(fd, piece, sizeof(piece))) > 0) {
		ASSERT_LE(got + n, len);
		ASSERT_EQ(0, memcmp(whole + got, piece, n));
		got += n;
	}
	ASSERT_EQ(0, n);
	ASSERT_EQ(len, got);
	close(fd);
	free(whole);
}

/* --- uevents --- */

struct uevent_listener {
	int fd;
};

static int uevent_open(void)
{
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,	/* kernel uevents */
	};
	int fd, size = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* Does the uevent in @msg (@len bytes) carry @var exactly? */
static bool uevent_has(const char *msg, size_t len, const char *var)
{
	size_t off = 0;

	while (off < len) {
		if (!strcmp(msg + off, var))
			return true;
		off += strlen(msg + off) + 1;
	}
	return false;
}

/* Whether uevent @msg carries every variable of the NULL-ended @vars. */
static bool uevent_has_all(const char *msg, size_t len, va_list vars)
{
	const char *var;

	while ((var = va_arg(vars, const char *)))
		if (!uevent_has(msg, len, var))
			return false;
	return true;
}

/*
 * Wait up to 2 s for a uevent of component @comp that carries every
 * variable named after it, up to a NULL.
 */
static bool uevent_wait_vars(int fd, const char *comp, ...)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char devpath[128], msg[8192];
	va_list vars;
	bool found;

	snprintf(devpath, sizeof(devpath), "DEVPATH=/firmware/fwact/%s", comp);
	while (poll(&pfd, 1, 2000) == 1) {
		ssize_t n = recv(fd, msg, sizeof(msg) - 1, 0);

		if (n <= 0)
			return false;
		msg[n] = '\0';
		if (!uevent_has(msg, n, devpath))
			continue;
		va_start(vars, comp);
		found = uevent_has_all(msg, n, vars);
		va_end(vars);
		if (found)
			return true;
	}
	return false;
}

/*
 * Wait up to 2 s for a change uevent of component @comp with
 * FWACT_STATE=@state (and, if @result is not NULL, FWACT_RESULT=@result).
 */
static bool uevent_wait(int fd, const char *comp, const char *state,
			const char *result)
{
	char st[64], res[64];

	snprintf(st, sizeof(st), "FWACT_STATE=%s", state);
	snprintf(res, sizeof(res), "FWACT_RESULT=%s", result ?: "");
	return uevent_wait_vars(fd, comp, "ACTION=change", st,
				result ? res : NULL, NULL);
}

/* Wait up to 2 s for an @action uevent of component @comp. */
static bool uevent_wait_action(int fd, const char *comp, const char *action)
{
	char act[64];

	snprintf(act, sizeof(act), "ACTION=%s", action);
	return uevent_wait_vars(fd, comp, act, NULL);
}

TEST_F(fwact, uevents_announce_every_state_change)
{
	int fd = uevent_open();

	ASSERT_GE(fd, 0) TH_LOG("uevent socket: %s", strerror(-fd));
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	EXPECT_TRUE(uevent_wait(fd, ONE, "staged", NULL));
	ASSERT_EQ(0, fwact_attr_write(ONE, "activate", "1"));
	EXPECT_TRUE(uevent_wait(fd, ONE, "activating", NULL));
	EXPECT_TRUE(uevent_wait(fd, ONE, "activated", "0"));
	close(fd);
}

TEST_F(fwact, uevents_announce_failure_and_cancel)
{
	int fd = uevent_open();

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_attr_write(ONE, "cancel", "1"));
	EXPECT_TRUE(uevent_wait(fd, ONE, "idle", NULL));
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(ONE, "fail_errno", EIO));
	ASSERT_EQ(-EIO, fwact_attr_write(ONE, "activate", "1"));
	EXPECT_TRUE(uevent_wait(fd, ONE, "failed", "-5"));
	close(fd);
}

TEST_F(fwact, refused_operations_send_no_uevent)
{
	int fd = uevent_open();

	ASSERT_GE(fd, 0);
	ASSERT_EQ(-ENODATA, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_EQ(-ENODATA, fwact_attr_write(ONE, "cancel", "1"));
	ASSERT_FALSE(uevent_wait(fd, ONE, "idle", NULL));
	close(fd);
}

/* --- privileges --- */

/* Run @fn in a child; return its exit status (0 = all checks passed). */
static int run_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid)
		_exit(fn());
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Every write an admin may do, expected to fail with @err (bit per miss). */
static int try_writes(int err)
{
	uint8_t *img;
	size_t len;
	int bad = 0;

	img = fwact_image_build(3, 100, &len);
	if (!img)
		return 100;
	if (fwact_image_upload(ONE, img, len, len) != err)
		bad |= 1;
	free(img);
	if (fwact_attr_write(ONE, "stage", "1") != err)
		bad |= 2;
	if (fwact_attr_write(ONE, "activate", "1") != err)
		bad |= 4;
	if (fwact_attr_write(ONE, "cancel", "1") != err)
		bad |= 8;
	if (fwact_attr_write(ONE, "stage_firmware", FW_GOOD) != err)
		bad |= 16;
	if (fwact_attr_write(ONE, "force_cpu_rendezvous", "0") != err)
		bad |= 32;
	if (fwact_attr_write(ONE, "max_blackout_us", "5") != err)
		bad |= 64;
	return bad;
}

static int child_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return 200;
	return try_writes(-EACCES);
}

static int child_no_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return 200;
	data[CAP_SYS_ADMIN / 32].effective &= ~(1U << (CAP_SYS_ADMIN % 32));
	data[CAP_SYS_ADMIN / 32].permitted &= ~(1U << (CAP_SYS_ADMIN % 32));
	data[CAP_SYS_ADMIN / 32].inheritable &= ~(1U << (CAP_SYS_ADMIN % 32));
	if (syscall(SYS_capset, &hdr, data))
		return 201;
	return try_writes(-EPERM);
}

static void check_untouched(struct __test_metadata *_metadata,
			    const struct snapshot *before)
{
	ASSERT_UNCHANGED(ONE, before);
	ASSERT_TRUE(fwact_attr_is(ONE, "force_cpu_rendezvous", "1"));
	ASSERT_EQ(BUDGET_US, fwact_attr_ll(ONE, "max_blackout_us"));
}

TEST_F(fwact, unprivileged_user_cannot_write)
{
	struct snapshot before;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	snap_take(ONE, &before);
	ASSERT_EQ(0, run_child(child_nobody));
	check_untouched(_metadata, &before);
	/* Reads stay open to everyone who can reach the 0400 files: root. */
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "2"));
}

TEST_F(fwact, root_without_cap_sys_admin_cannot_write)
{
	struct snapshot before;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	snap_take(ONE, &before);
	ASSERT_EQ(0, run_child(child_no_sys_admin));
	check_untouched(_metadata, &before);
}

/* --- state changes are serialized --- */

static const char * const every_file[] = {
	"name", "backend", "current_version", "pending_version",
	"activation_capable", "activation_pending", "may_reset_cpu",
	"cpu_rendezvous", "force_cpu_rendezvous", "max_blackout_us",
	"rendezvous_mode", "rendezvous_context", "state", "last_error",
	"last_fw_status", "last_activation/result",
};

/* Would a uevent of @comp arrive within @ms? */
static bool uevent_any(int fd, const char *comp, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char devpath[128], msg[8192];

	snprintf(devpath, sizeof(devpath), "DEVPATH=/firmware/fwact/%s", comp);
	while (poll(&pfd, 1, ms) == 1) {
		ssize_t n = recv(fd, msg, sizeof(msg) - 1, 0);

		if (n <= 0)
			return false;
		msg[n] = '\0';
		if (uevent_has(msg, n, devpath))
			return true;
	}
	return false;
}

TEST_F(fwact, reading_never_sends_a_uevent_nor_moves_the_state)
{
	char buf[256];
	unsigned int i;
	int fd;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	fd = uevent_open();
	ASSERT_GE(fd, 0);
	/* The firmware forgets the image without telling anyone. */
	ASSERT_EQ(0, fwact_knob_write(ONE, "drop_staged", "2"));
	for (i = 0; i < ARRAY_SIZE(every_file); i++) {
		const char *file = every_file[i];

		EXPECT_EQ(0, fwact_attr_read(ONE, file, buf, sizeof(buf)));
	}
	EXPECT_FALSE(uevent_any(fd, ONE, 500));
	EXPECT_TRUE(fwact_attr_is(ONE, "state", "staged"));
	EXPECT_TRUE(fwact_attr_is(ONE, "activation_pending", "0"));

	/* The next operation sees it, moves the state and says so. */
	EXPECT_EQ(-ENODATA, fwact_attr_write(ONE, "activate", "1"));
	EXPECT_TRUE(uevent_wait(fd, ONE, "idle", NULL));
	EXPECT_TRUE(fwact_attr_is(ONE, "state", "idle"));
	close(fd);
}

struct notifier {
	const char *comp;
	long long done_ns;
	int ret;
};

static void *notifier_run(void *arg)
{
	struct notifier *n = arg;

	n->ret = fwact_knob_write(n->comp, "notify", "1");
	n->done_ns = now_ns();
	return NULL;
}

/*
 * A notification during an activation waits for it, so that it can never
 * write a stale state over the activation's result.
 */
TEST_F(fwact, notify_waits_for_an_activation_in_progress)
{
	struct notifier n = { .comp = ONE };
	long long activated_ns;
	struct activator a;
	pthread_t act, thread;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(ONE, "prepare_ms", 600));
	ASSERT_EQ(0, activator_start(&a, ONE, NULL, &act));
	ASSERT_TRUE(wait_for_state(ONE, "activating"));
	ASSERT_EQ(0, pthread_create(&thread, NULL, notifier_run, &n));
	activator_join(&a, act);
	activated_ns = now_ns();
	pthread_join(thread, NULL);
	ASSERT_EQ(0, a.ret);
	EXPECT_EQ(0, n.ret);
	/* It returned with the activation, not in the middle of it. */
	EXPECT_GE(n.done_ns + 50000000LL, activated_ns);
	EXPECT_TRUE(fwact_attr_is(ONE, "state", "activated"));
	EXPECT_TRUE(fwact_attr_is(ONE, "current_version", "2"));
	/* Nothing is left busy. */
	EXPECT_EQ(0, fwact_stage_version(ONE, 3, 100));
	EXPECT_EQ(0, fwact_attr_write(ONE, "cancel", "1"));
}

/* --- journal readers --- */

#define JREADERS	16

struct jreader {
	int records, torn, gaps, rounds;
};

static bool jreaders_stop;

/* Read the journal 100 bytes at a time, over and over; check each view. */
static void *jreader_run(void *arg)
{
	static __thread char text[64 * 1024];
	struct jreader *r = arg;

	while (!__atomic_load_n(&jreaders_stop, __ATOMIC_RELAXED)) {
		unsigned long long prev = 0;
		struct fwact_jline j;
		size_t len = 0;
		char *line, *save;
		ssize_t n;
		int fd = open(FWACT_SYSFS "/journal", O_RDONLY);

		if (fd < 0)
			break;
		while (len + 100 < sizeof(text) &&
		       (n = read(fd, text + len, 100)) > 0)
			len += n;
		close(fd);
		text[len] = '\0';
		if (len && text[len - 1] != '\n')
			r->torn++;
		for (line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (fwact_jline_parse(line, &j) || !strstr(line, " overrun_cpu=")) {
				r->torn++;
				continue;
			}
			if (prev && j.seq != prev + 1)
				r->gaps++;
			prev = j.seq;
			r->records++;
		}
		r->rounds++;
	}
	return NULL;
}

TEST_F_TIMEOUT(fwact, sixteen_journal_readers_see_whole_contiguous_records, 300)
{
	static struct jreader r[JREADERS];
	pthread_t thread[JREADERS];
	int i, v;

	/* Enough records that a read takes several pages. */
	for (v = 2; v < 40; v++) {
		ASSERT_EQ(0, fwact_stage_version(NONE, v, 100));
		ASSERT_EQ(0, fwact_attr_write(NONE, "activate", "1"));
	}
	memset(r, 0, sizeof(r));
	__atomic_store_n(&jreaders_stop, false, __ATOMIC_RELAXED);
	for (i = 0; i < JREADERS; i++)
		ASSERT_EQ(0, pthread_create(&thread[i], NULL, jreader_run, &r[i]));
	for (; v < 100; v++) {
		ASSERT_EQ(0, fwact_stage_version(NONE, v, 100));
		ASSERT_EQ(0, fwact_attr_write(NONE, "activate", "1"));
	}
	__atomic_store_n(&jreaders_stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < JREADERS; i++) {
		pthread_join(thread[i], NULL);
		EXPECT_GT(r[i].rounds, 0);
		EXPECT_GT(r[i].records, 0);
		EXPECT_EQ(0, r[i].torn) TH_LOG("reader %d: %d torn records", i, r[i].torn);
		EXPECT_EQ(0, r[i].gaps) TH_LOG("reader %d: %d gaps", i, r[i].gaps);
	}
}

/* --- module unload and reload --- */

static bool comp_dir_exists(const char *comp)
{
	char path[PATH_MAX];

	fwact_attr_path(path, sizeof(path), comp, "");
	return !access(path, F_OK);
}

TEST_F_TIMEOUT(fwact, unloading_the_backend_removes_its_components, 120)
{
	char path[PATH_MAX];
	unsigned int i;
	char buf[64];
	int fd, uev;

	if (access(fwact_testmod_ko(), R_OK))
		SKIP(return, "%s not found", fwact_testmod_ko());

	/* Leave components busy in every way user space can. */
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_stage_version("test-all", 2, 100));
	ASSERT_EQ(0, fwact_attr_write("test-all", "activate", "1"));
	ASSERT_EQ(0, fwact_image_upload(NONE, "partial", 7, 7));
	fwact_attr_path(path, sizeof(path), ONE, "state");
	fd = open(path, O_RDONLY);
	ASSERT_GE(fd, 0);
	uev = uevent_open();
	ASSERT_GE(uev, 0);

	ASSERT_EQ(0, fwact_testmod_unload());
	EXPECT_TRUE(uevent_wait_action(uev, ONE, "remove"));
	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++) {
		const char *comp = fwact_test_comps[i];

		EXPECT_FALSE(comp_dir_exists(comp)) TH_LOG("%s still there", comp);
	}
	/* A file opened before the unload is dead, not dangling. */
	EXPECT_EQ(-1, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(ENODEV, errno);
	close(fd);
	EXPECT_NE(NULL, fwact_path_slurp(FWACT_SYSFS "/journal", NULL));

	ASSERT_EQ(0, fwact_testmod_load());
	EXPECT_TRUE(uevent_wait_action(uev, ONE, "add"));
	close(uev);
	fwact_debugfs_mount();
	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++) {
		EXPECT_TRUE(comp_dir_exists(fwact_test_comps[i]));
		EXPECT_TRUE(fwact_attr_is(fwact_test_comps[i], "state", "idle"));
		EXPECT_TRUE(fwact_attr_is(fwact_test_comps[i], "current_version", "1"));
		EXPECT_TRUE(fwact_attr_is(fwact_test_comps[i], "pending_version",
					  "N/A"));
		EXPECT_EQ(0, fwact_attr_ll(fwact_test_comps[i],
					   "last_activation/count"));
		/* Defaults of a new component. */
		EXPECT_EQ(DEFAULT_BUDGET_US,
			  fwact_attr_ll(fwact_test_comps[i], "max_blackout_us"));
		EXPECT_TRUE(fwact_attr_is(fwact_test_comps[i], "force_cpu_rendezvous",
					  comp_is_none(fwact_test_comps[i]) ? "0" : "1"));
	}
	/* The partial upload went with the old component. */
	EXPECT_EQ(-ENODATA, fwact_attr_write(NONE, "stage", "1"));
	/* And the new components work. */
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "2"));
}

TEST_F_TIMEOUT(fwact, unloading_the_backend_waits_for_its_activation, 120)
{
	struct activator a;
	long long t0;
	pthread_t t;
	int i;

	if (access(fwact_testmod_ko(), R_OK))
		SKIP(return, "%s not found", fwact_testmod_ko());
	ASSERT_EQ(0, fwact_stage_version(NONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(NONE, "slow_us", 1000000));
	t0 = now_ns();
	ASSERT_EQ(0, activator_start(&a, NONE, NULL, &t));
	ASSERT_TRUE(wait_for_state(NONE, "activating"));

	ASSERT_EQ(0, fwact_testmod_unload());
	/* The action spins 1 s: the unload must have waited for it. */
	EXPECT_GE(now_ns() - t0, 900000000LL);
	activator_join(&a, t);
	EXPECT_EQ(0, a.ret);
	for (i = 0; i < (int)ARRAY_SIZE(fwact_test_comps); i++)
		EXPECT_FALSE(comp_dir_exists(fwact_test_comps[i]));

	ASSERT_EQ(0, fwact_testmod_load());
	fwact_debugfs_mount();
	ASSERT_TRUE(fwact_attr_is(NONE, "state", "idle"));
}

/*
 * The reproduction of a use-after-free: an action still running on a CPU
 * when the activation returned, and the backend unloaded under it. The
 * activation now returns only once every CPU has left, and the module is
 * pinned until then; a KASAN report here fails the guest run.
 */
TEST_F_TIMEOUT(fwact, unloading_after_an_overrun_finds_no_cpu_in_the_module, 120)
{
	const char *comp = "test-all";
	int cpu = fwact_last_online();
	cpu_set_t set;

	if (self->online < 2)
		SKIP(return, "needs two online CPUs");
	if (access(fwact_testmod_ko(), R_OK))
		SKIP(return, "%s not found", fwact_testmod_ko());
	CPU_ZERO(&set);
	CPU_SET(self->first_cpu, &set);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(set), &set));
	ASSERT_EQ(0, fwact_stage_version(comp, 2, 100));
	ASSERT_EQ(0, fwact_attr_write(comp, "max_blackout_us", "200000"));
	ASSERT_EQ(0, fwact_knob_set(comp, "hang_cpu", cpu));
	ASSERT_EQ(0, fwact_knob_set(comp, "hang_us", 3000000));
	ASSERT_EQ(0, fwact_attr_write(comp, "activate", "1"));
	EXPECT_EQ(0, fwact_attr_ll(comp, "last_activation/overrun_step"));
	ASSERT_EQ(0, fwact_testmod_unload());
	ASSERT_EQ(0, fwact_testmod_load());
	fwact_debugfs_mount();
	ASSERT_TRUE(fwact_testmod_loaded());
}

static void __attribute__((constructor)) __constructor_order_last(void)
{
	if (!__constructor_order)
		__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD;
}

int main(int argc, char **argv)
{
	fwact_require_testmod();
	return test_harness_run(argc, argv);
}
