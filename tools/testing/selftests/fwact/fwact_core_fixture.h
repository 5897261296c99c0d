/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture of the core's selftests (fwact_*_test.c, one program per
 * subject, but fwact_unload_test.c, which reloads the module): every test
 * starts with fwact_testmod loaded and every test component idle with its
 * default knobs, and leaves them disarmed. Included once by each program,
 * after kselftest_harness.h and fwact_util.h.
 */
#ifndef FWACT_CORE_FIXTURE_H
#define FWACT_CORE_FIXTURE_H

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
	fwact_test_comps_disarm();
}

#endif /* FWACT_CORE_FIXTURE_H */
