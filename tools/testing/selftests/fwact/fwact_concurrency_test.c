// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of concurrent callers of the fwact core, driven against the
 * emulated components of fwact_testmod.ko with activations run from
 * threads: one activation at a time in the whole system, stage, cancel and
 * activate refused while one runs, reads that never wait for it, a cancel
 * during prepare, and a backend's notification that waits for an
 * activation in progress. Each test checks one behaviour and is named
 * after it; the fixture brings every test component back to idle with
 * default knobs.
 *
 * Skips (exit 4) when the core or the test module is not loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "fwact_util.h"

#define ONE	"test-one"
#define NONE	"test-none"

#include "fwact_core_fixture.h"

TEST_F(fwact, concurrent_activators_one_wins_one_is_ebusy)
{
	long long count = fwact_attr_ll(NONE, "last_activation/count");
	long long calls = fwact_knob_ll(NONE, "calls");
	struct fwact_activator a[2];
	pthread_barrier_t barrier;
	pthread_t t[2];
	int i;

	ASSERT_EQ(0, fwact_stage_version(NONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(NONE, "slow_us", 300000));
	ASSERT_EQ(0, pthread_barrier_init(&barrier, NULL, 2));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, fwact_activator_start(&a[i], NONE, &barrier, &t[i]));
	for (i = 0; i < 2; i++)
		fwact_activator_join(&a[i], t[i]);
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
	struct fwact_activator a;
	struct fwact_snapshot before;
	pthread_t t;

	ASSERT_EQ(0, fwact_stage_version(NONE, 2, 100));
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(NONE, "slow_us", 500000));
	fwact_snap_take(ONE, &before);
	ASSERT_EQ(0, fwact_activator_start(&a, NONE, NULL, &t));
	ASSERT_TRUE(fwact_state_wait(NONE, "activating"));
	/* Only one activation at a time in the whole system. */
	EXPECT_EQ(-EBUSY, fwact_attr_write(ONE, "activate", "1"));
	fwact_activator_join(&a, t);
	ASSERT_EQ(0, a.ret);
	FWACT_ASSERT_UNCHANGED(ONE, &before);
}

TEST_F(fwact, stage_and_cancel_while_activating_are_ebusy)
{
	struct fwact_activator a;
	pthread_t t;

	ASSERT_EQ(0, fwact_stage_version(NONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(NONE, "slow_us", 500000));
	ASSERT_EQ(0, fwact_activator_start(&a, NONE, NULL, &t));
	ASSERT_TRUE(fwact_state_wait(NONE, "activating"));
	/* Past prepare: the action runs (slow_us), no way back. */
	usleep(100000);
	EXPECT_EQ(-EBUSY, fwact_stage_version(NONE, 3, 100));
	if (!access(FWACT_FW_DIR "/" FWACT_FW_GOOD, R_OK))
		EXPECT_EQ(-EBUSY, fwact_attr_write(NONE, "stage_firmware",
						   FWACT_FW_GOOD));
	EXPECT_EQ(-EBUSY, fwact_attr_write(NONE, "cancel", "1"));
	EXPECT_EQ(-EBUSY, fwact_attr_write(NONE, "activate", "1"));
	fwact_activator_join(&a, t);
	ASSERT_EQ(0, a.ret);
	ASSERT_TRUE(fwact_attr_is(NONE, "state", "activated"));
	ASSERT_TRUE(fwact_attr_is(NONE, "current_version", "2"));
}

TEST_F(fwact, reads_do_not_wait_for_an_activation)
{
	static const char * const files[] = {
		"state", "current_version", "pending_version",
		"activation_pending", "rendezvous_mode", "last_error",
		"last_activation/count", "max_blackout_us",
	};
	struct fwact_activator a;
	unsigned int i;
	long long t0;
	char buf[64];
	pthread_t t;

	ASSERT_EQ(0, fwact_stage_version(NONE, 2, 100));
	/* Reads that waited would take ~2 s; allow 1 s for a TCG stall. */
	ASSERT_EQ(0, fwact_knob_set(NONE, "slow_us", 2000000));
	ASSERT_EQ(0, fwact_activator_start(&a, NONE, NULL, &t));
	ASSERT_TRUE(fwact_state_wait(NONE, "activating"));
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		t0 = fwact_now_ns();
		EXPECT_EQ(0, fwact_attr_read(NONE, files[i], buf, sizeof(buf)));
		EXPECT_LT(fwact_now_ns() - t0, 1000000000LL)
			TH_LOG("reading %s waited for the activation", files[i]);
	}
	t0 = fwact_now_ns();
	free(fwact_path_slurp(FWACT_SYSFS "/journal", NULL));
	EXPECT_LT(fwact_now_ns() - t0, 1000000000LL);
	/* Still running: the reads above raced nothing. */
	EXPECT_TRUE(fwact_attr_is(NONE, "state", "activating"));
	fwact_activator_join(&a, t);
	ASSERT_EQ(0, a.ret);
}

TEST_F(fwact, cancel_during_prepare_is_ecanceled)
{
	long long calls = fwact_knob_ll(ONE, "calls");
	struct fwact_activator a;
	pthread_t t;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(ONE, "prepare_ms", 500));
	ASSERT_EQ(0, fwact_activator_start(&a, ONE, NULL, &t));
	ASSERT_TRUE(fwact_state_wait(ONE, "activating"));
	ASSERT_EQ(0, fwact_attr_write(ONE, "cancel", "1"));
	fwact_activator_join(&a, t);
	ASSERT_EQ(-ECANCELED, a.ret);
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "idle"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "N/A"));
	ASSERT_EQ(calls, fwact_knob_ll(ONE, "calls"));
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
	n->done_ns = fwact_now_ns();
	return NULL;
}

/*
 * A notification during an activation waits for it, so that it can never
 * write a stale state over the activation's result.
 */
TEST_F(fwact, notify_waits_for_an_activation_in_progress)
{
	struct notifier n = { .comp = ONE };
	struct fwact_activator a;
	long long activated_ns;
	pthread_t act, thread;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(ONE, "prepare_ms", 600));
	ASSERT_EQ(0, fwact_activator_start(&a, ONE, NULL, &act));
	ASSERT_TRUE(fwact_state_wait(ONE, "activating"));
	ASSERT_EQ(0, pthread_create(&thread, NULL, notifier_run, &n));
	fwact_activator_join(&a, act);
	activated_ns = fwact_now_ns();
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

/* Before the harness starts: skip the whole program without the module. */
static void __attribute__((constructor)) require_testmod(void)
{
	fwact_require_testmod();
}

TEST_HARNESS_MAIN
