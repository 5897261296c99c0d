// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the fwact core's sysfs ABI (/sys/firmware/fwact/<component>/),
 * driven against the emulated components of fwact_testmod.ko: every file is
 * there with its mode, reads what the firmware and the core say, the two
 * settings (force_cpu_rendezvous, max_blackout_us) take their range and
 * nothing else, read-only and write-only files stay so, and only root with
 * CAP_SYS_ADMIN may write. Each test checks one behaviour and is named
 * after it; the fixtures bring every test component back to idle with
 * default knobs.
 *
 * Skips (exit 4) when the core or the test module is not loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "fwact_util.h"

#define ONE	"test-one"
#define NONE	"test-none"

#include "fwact_core_fixture.h"

/* --- presence, modes, formats --- */

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

/* --- the settings: force_cpu_rendezvous, max_blackout_us --- */

TEST_F(fwact, force_cpu_rendezvous_defaults_to_1_and_toggles)
{
	ASSERT_TRUE(fwact_attr_is(ONE, "force_cpu_rendezvous", "1"));
	ASSERT_EQ(0, fwact_attr_write(ONE, "force_cpu_rendezvous", "0"));
	ASSERT_TRUE(fwact_attr_is(ONE, "force_cpu_rendezvous", "0"));
	ASSERT_EQ(0, fwact_attr_write(ONE, "force_cpu_rendezvous", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "force_cpu_rendezvous", "1"));
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

/* A setting refuses what is not a number in its range, and keeps its value. */
FIXTURE(setting) {
	int unused;
};

FIXTURE_VARIANT(setting) {
	const char *file;
	const char *set;		/* if not NULL, written first */
	const char *keeps;		/* what it reads after each refusal */
	const char * const *bad;	/* NULL-ended: each is -EINVAL */
};

static const char * const force_cpu_rendezvous_bad[] = {
	"2", "-1", "abc", "\n", "x1", NULL,
};

static const char * const max_blackout_us_bad[] = {
	"0", "10000001", "-1", "abc", "12abc", "\n", "4294967296", NULL,
};

FIXTURE_VARIANT_ADD(setting, force_cpu_rendezvous) {
	.file = "force_cpu_rendezvous",
	.keeps = "1",
	.bad = force_cpu_rendezvous_bad,
};

FIXTURE_VARIANT_ADD(setting, max_blackout_us) {
	.file = "max_blackout_us",
	.set = "12345",
	.keeps = "12345",
	.bad = max_blackout_us_bad,
};

FIXTURE_SETUP(setting)
{
	const char *comp = "";

	ASSERT_TRUE(fwact_testmod_loaded())
		TH_LOG("fwact_testmod (or debugfs) went away");
	ASSERT_EQ(0, fwact_test_comps_reset(&comp))
		TH_LOG("cannot reset %s", comp);
}

FIXTURE_TEARDOWN(setting)
{
	fwact_test_comps_disarm();
}

TEST_F(setting, rejects_out_of_range_and_garbage)
{
	const char * const *bad;

	if (variant->set)
		ASSERT_EQ(0, fwact_attr_write(ONE, variant->file, variant->set));
	for (bad = variant->bad; *bad; bad++) {
		EXPECT_EQ(-EINVAL, fwact_attr_write(ONE, variant->file, *bad))
			TH_LOG("input '%s'", *bad);
		ASSERT_TRUE(fwact_attr_is(ONE, variant->file, variant->keeps));
	}
}

/* --- who may write --- */

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
	if (fwact_attr_write(ONE, "stage_firmware", FWACT_FW_GOOD) != err)
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

/* A child that lacks a privilege tries every write, and none is taken. */
FIXTURE(privilege) {
	int unused;
};

FIXTURE_VARIANT(privilege) {
	int (*child)(void);	/* drops the privilege, tries the writes */
};

FIXTURE_VARIANT_ADD(privilege, unprivileged_user) {
	.child = child_nobody,
};

FIXTURE_VARIANT_ADD(privilege, root_without_cap_sys_admin) {
	.child = child_no_sys_admin,
};

FIXTURE_SETUP(privilege)
{
	const char *comp = "";

	ASSERT_TRUE(fwact_testmod_loaded())
		TH_LOG("fwact_testmod (or debugfs) went away");
	ASSERT_EQ(0, fwact_test_comps_reset(&comp))
		TH_LOG("cannot reset %s", comp);
}

FIXTURE_TEARDOWN(privilege)
{
	fwact_test_comps_disarm();
}

TEST_F(privilege, cannot_write)
{
	struct fwact_snapshot before;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	fwact_snap_take(ONE, &before);
	ASSERT_EQ(0, run_child(variant->child));
	FWACT_ASSERT_UNCHANGED(ONE, &before);
	ASSERT_TRUE(fwact_attr_is(ONE, "force_cpu_rendezvous", "1"));
	ASSERT_EQ(FWACT_BUDGET_US, fwact_attr_ll(ONE, "max_blackout_us"));
	/* Reads stay open to everyone who can reach the 0400 files: root. */
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "2"));
}

/* Before the harness starts: skip the whole program without the module. */
static void __attribute__((constructor)) require_testmod(void)
{
	fwact_require_testmod();
}

TEST_HARNESS_MAIN
