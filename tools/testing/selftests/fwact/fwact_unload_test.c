// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of unloading a backend with its components registered with
 * the fwact core, with fwact_testmod.ko (which these tests unload and load
 * again, from $FWACT_TESTMOD_KO or the guest's /fwact/modules/): its
 * components go away however busy user space left them, a file opened
 * before is dead rather than dangling, the unload waits for an activation
 * in progress and for a CPU still in an overrunning action, and the
 * components come back new. Each test checks one behaviour and is named
 * after it; the fixture brings every test component back to idle with
 * default knobs, and loads the module back if a test left it unloaded.
 *
 * Skips (exit 4) when the core or the test module is not loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "fwact_util.h"

#define ONE	"test-one"
#define NONE	"test-none"

/* What a new component's max_blackout_us reads. */
#define DEFAULT_BUDGET_US	1000000

FIXTURE(fwact) {
	int online;
	int first_cpu;
};

FIXTURE_SETUP(fwact)
{
	const char *comp = "";

	ASSERT_TRUE(fwact_testmod_loaded())
		TH_LOG("fwact_testmod (or debugfs) went away");
	ASSERT_EQ(0, fwact_test_comps_reset(&comp))
		TH_LOG("cannot reset %s", comp);
	self->online = fwact_nr_online();
	self->first_cpu = fwact_first_online();
	ASSERT_GT(self->online, 0);
}

FIXTURE_TEARDOWN(fwact)
{
	/* A test that failed half way may have left the module unloaded. */
	if (!fwact_testmod_loaded()) {
		fwact_testmod_load();
		fwact_debugfs_mount();
	}
	fwact_test_comps_disarm();
}

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
	uev = fwact_uevent_open();
	ASSERT_GE(uev, 0);

	ASSERT_EQ(0, fwact_testmod_unload());
	EXPECT_TRUE(fwact_uevent_wait_action(uev, ONE, "remove"));
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
	EXPECT_TRUE(fwact_uevent_wait_action(uev, ONE, "add"));
	close(uev);
	fwact_debugfs_mount();
	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++) {
		const char *comp = fwact_test_comps[i];

		EXPECT_TRUE(comp_dir_exists(comp));
		EXPECT_TRUE(fwact_attr_is(comp, "state", "idle"));
		EXPECT_TRUE(fwact_attr_is(comp, "current_version", "1"));
		EXPECT_TRUE(fwact_attr_is(comp, "pending_version", "N/A"));
		EXPECT_EQ(0, fwact_attr_ll(comp, "last_activation/count"));
		/* Defaults of a new component. */
		EXPECT_EQ(DEFAULT_BUDGET_US,
			  fwact_attr_ll(comp, "max_blackout_us"));
		EXPECT_TRUE(fwact_attr_is(comp, "force_cpu_rendezvous",
					  strcmp(comp, NONE) ? "1" : "0"));
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
	struct fwact_activator a;
	long long t0;
	pthread_t t;
	int i;

	if (access(fwact_testmod_ko(), R_OK))
		SKIP(return, "%s not found", fwact_testmod_ko());
	ASSERT_EQ(0, fwact_stage_version(NONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(NONE, "slow_us", 1000000));
	t0 = fwact_now_ns();
	ASSERT_EQ(0, fwact_activator_start(&a, NONE, NULL, &t));
	ASSERT_TRUE(fwact_state_wait(NONE, "activating"));

	ASSERT_EQ(0, fwact_testmod_unload());
	/* The action spins 1 s: the unload must have waited for it. */
	EXPECT_GE(fwact_now_ns() - t0, 900000000LL);
	fwact_activator_join(&a, t);
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

/* Before the harness starts: skip the whole program without the module. */
static void __attribute__((constructor)) require_testmod(void)
{
	fwact_require_testmod();
}

TEST_HARNESS_MAIN
