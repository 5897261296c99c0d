// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the fwact core's state machine (idle, staged, activating,
 * activated, failed), driven against the emulated components of
 * fwact_testmod.ko: the three trigger files (stage, activate, cancel; one
 * FIXTURE_VARIANT each) take "1" and nothing else and refuse to act on
 * nothing, each state takes the operations it should, cancel returns to
 * idle, and an image the firmware drops is no longer staged. A refused
 * operation changes nothing. Each test checks one behaviour and is named
 * after it; the fixtures bring every test component back to idle with
 * default knobs.
 *
 * Skips (exit 4) when the core or the test module is not loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "fwact_util.h"

#define ONE	"test-one"

#include "fwact_core_fixture.h"

/* --- the trigger files --- */

/*
 * A trigger file: stage takes the uploaded image, activate and cancel the
 * staged one.
 */
FIXTURE(trigger) {
	int unused;
};

FIXTURE_VARIANT(trigger) {
	const char *file;
	bool takes_upload;		/* acts on the upload, not a staged image */
	const char * const *bad;	/* NULL-ended: each is -EINVAL */
	const char *state_after;	/* once "1" was written */
	const char *pending_after;
};

static const char * const stage_bad_triggers[] = {
	"0", "2", "abc", "\n", "-1", "1abc", "10", "yes", NULL,
};

static const char * const activate_bad_triggers[] = {
	"0", "2", "abc", "\n", "-1", "x1", "1abc", "10", "y", NULL,
};

static const char * const cancel_bad_triggers[] = {
	"0", "2", "abc", "\n", "-1", "1abc", "on", NULL,
};

FIXTURE_VARIANT_ADD(trigger, stage) {
	.file = "stage",
	.takes_upload = true,
	.bad = stage_bad_triggers,
	.state_after = "staged",
	.pending_after = "2",
};

FIXTURE_VARIANT_ADD(trigger, activate) {
	.file = "activate",
	.bad = activate_bad_triggers,
	.state_after = "activated",
	.pending_after = "N/A",
};

FIXTURE_VARIANT_ADD(trigger, cancel) {
	.file = "cancel",
	.bad = cancel_bad_triggers,
	.state_after = "idle",
	.pending_after = "N/A",
};

FIXTURE_SETUP(trigger)
{
	const char *comp = "";

	ASSERT_TRUE(fwact_testmod_loaded())
		TH_LOG("fwact_testmod (or debugfs) went away");
	ASSERT_EQ(0, fwact_test_comps_reset(&comp))
		TH_LOG("cannot reset %s", comp);
}

FIXTURE_TEARDOWN(trigger)
{
	fwact_test_comps_disarm();
}

TEST_F(trigger, rejects_garbage_triggers)
{
	long long calls = fwact_knob_ll(ONE, "calls");
	struct fwact_snapshot before;
	const char * const *bad;

	if (variant->takes_upload) {
		uint8_t *img;
		size_t len;

		img = fwact_image_build(2, 100, &len);
		ASSERT_NE(NULL, img);
		ASSERT_EQ(0, fwact_image_upload(ONE, img, len, len));
		free(img);
	} else {
		ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	}
	fwact_snap_take(ONE, &before);
	for (bad = variant->bad; *bad; bad++) {
		EXPECT_EQ(-EINVAL, fwact_attr_write(ONE, variant->file, *bad))
			TH_LOG("input '%s'", *bad);
		FWACT_ASSERT_UNCHANGED(ONE, &before);
	}
	ASSERT_EQ(calls, fwact_knob_ll(ONE, "calls"));
	/* What it acts on survived the garbage. */
	ASSERT_EQ(0, fwact_attr_write(ONE, variant->file, "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", variant->state_after));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version",
				  variant->pending_after));
}

TEST_F(trigger, with_nothing_to_act_on_is_enodata)
{
	long long calls = fwact_knob_ll(ONE, "calls");
	struct fwact_snapshot before;

	/* A stage uses the upload up, staged or not. */
	if (variant->takes_upload)
		ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	fwact_snap_take(ONE, &before);
	ASSERT_EQ(-ENODATA, fwact_attr_write(ONE, variant->file, "1"));
	FWACT_ASSERT_UNCHANGED(ONE, &before);
	ASSERT_EQ(calls, fwact_knob_ll(ONE, "calls"));
}

TEST_F(fwact, activate_rejects_a_page_of_garbage)
{
	char junk[8192];
	struct fwact_snapshot before;

	memset(junk, 'z', sizeof(junk));
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	fwact_snap_take(ONE, &before);
	ASSERT_NE(0, fwact_path_write(FWACT_SYSFS "/" ONE "/activate", junk,
				      sizeof(junk)));
	FWACT_ASSERT_UNCHANGED(ONE, &before);
}

/* --- what each state takes --- */

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

/* --- cancel, and an image the firmware drops --- */

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

/* Before the harness starts: skip the whole program without the module. */
static void __attribute__((constructor)) require_testmod(void)
{
	fwact_require_testmod();
}

TEST_HARNESS_MAIN
