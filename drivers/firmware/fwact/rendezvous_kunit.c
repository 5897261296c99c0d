// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the rendezvous engine's failure word: an errno, a step and
 * a CPU packed into the one 64-bit word the CPUs set with a single
 * compare-and-exchange. Every failure packs to a word other than "none"
 * (0) and unpacks to what was packed, at the edges of each field; an
 * action's result that is not an errno becomes -EIO.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/limits.h>

#include "fwact-internal.h"

static const int fwact_kunit_errs[] = {
	-EPERM, -EIO, -ETIMEDOUT, -ECANCELED, -MAX_ERRNO,
};

static const int fwact_kunit_steps[] = {
	FWACT_RV_GATHER, 0, 1, FWACT_MAX_STEPS - 1, FWACT_MAX_STEPS,
};

/* No CPU (-1), the first, CPUs past 16 bits, the largest number it holds. */
static const int fwact_kunit_cpus[] = {
	-1, 0, 1, 65536, 1 << 20, INT_MAX - 1,
};

static void fwact_kunit_every_failure_round_trips(struct kunit *test)
{
	unsigned int e, s, c;
	int err, step, cpu;
	s64 word;

	for (e = 0; e < ARRAY_SIZE(fwact_kunit_errs); e++)
		for (s = 0; s < ARRAY_SIZE(fwact_kunit_steps); s++)
			for (c = 0; c < ARRAY_SIZE(fwact_kunit_cpus); c++) {
				word = fwact_rv_pack(fwact_kunit_errs[e],
						     fwact_kunit_steps[s],
						     fwact_kunit_cpus[c]);
				KUNIT_EXPECT_NE(test, word, 0LL);
				fwact_rv_unpack(word, &err, &step, &cpu);
				KUNIT_EXPECT_EQ(test, err, fwact_kunit_errs[e]);
				KUNIT_EXPECT_EQ(test, step,
						fwact_kunit_steps[s]);
				KUNIT_EXPECT_EQ(test, cpu, fwact_kunit_cpus[c]);
			}
}

/* A gather timeout names the CPU that did not arrive, and no step. */
static void fwact_kunit_gather_timeout_word(struct kunit *test)
{
	int err, step, cpu;

	fwact_rv_unpack(fwact_rv_pack(-ETIMEDOUT, FWACT_RV_GATHER, 3),
			&err, &step, &cpu);
	KUNIT_EXPECT_EQ(test, err, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, step, -1);
	KUNIT_EXPECT_EQ(test, cpu, 3);
}

/* The fields do not bleed into each other. */
static void fwact_kunit_fields_are_apart(struct kunit *test)
{
	s64 a = fwact_rv_pack(-MAX_ERRNO, FWACT_RV_GATHER, -1);
	s64 b = fwact_rv_pack(-1, FWACT_MAX_STEPS, -1);
	s64 c = fwact_rv_pack(-1, FWACT_RV_GATHER, 0);

	KUNIT_EXPECT_EQ(test, a & ~0xffffLL, 0LL);
	KUNIT_EXPECT_EQ(test, b & ~0xffffffffLL, 0LL);
	KUNIT_EXPECT_EQ(test, (b >> 16) & 0xffff, (s64)FWACT_MAX_STEPS + 1);
	KUNIT_EXPECT_EQ(test, c >> 32, 1LL);
	KUNIT_EXPECT_EQ(test, c & 0xffffffffLL, 1LL);
}

static void fwact_kunit_results_that_are_no_errno(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, fwact_rv_errno(0), 0);
	KUNIT_EXPECT_EQ(test, fwact_rv_errno(-ENOSPC), -ENOSPC);
	KUNIT_EXPECT_EQ(test, fwact_rv_errno(-MAX_ERRNO), -MAX_ERRNO);
	KUNIT_EXPECT_EQ(test, fwact_rv_errno(1), -EIO);
	KUNIT_EXPECT_EQ(test, fwact_rv_errno(INT_MAX), -EIO);
	KUNIT_EXPECT_EQ(test, fwact_rv_errno(-MAX_ERRNO - 1), -EIO);
	KUNIT_EXPECT_EQ(test, fwact_rv_errno(INT_MIN), -EIO);
}

static struct kunit_case fwact_rv_kunit_cases[] = {
	KUNIT_CASE(fwact_kunit_every_failure_round_trips),
	KUNIT_CASE(fwact_kunit_gather_timeout_word),
	KUNIT_CASE(fwact_kunit_fields_are_apart),
	KUNIT_CASE(fwact_kunit_results_that_are_no_errno),
	{}
};

static struct kunit_suite fwact_rv_kunit_suite = {
	.name = "fwact_rv_word",
	.test_cases = fwact_rv_kunit_cases,
};

kunit_test_suite(fwact_rv_kunit_suite);
