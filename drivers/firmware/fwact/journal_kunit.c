// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the activation journal's ring and its text: records come
 * back oldest first, the oldest is dropped when the ring is full, a seq is
 * never reused, and a line holds any record whole (names of the longest
 * length allowed, every number at its widest).
 */
#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "fwact-internal.h"

/* A record whose every field says which one it was: the n-th added. */
static void fwact_kunit_rec(struct fwact_journal_rec *rec, unsigned int n)
{
	memset(rec, 0, sizeof(*rec));
	snprintf(rec->component, sizeof(rec->component), "comp-%u", n);
	strscpy(rec->backend, "kunit", sizeof(rec->backend));
	rec->result = -(int)(n % 100);
	rec->mode = "all";
	rec->m.cpus = n;
}

static struct fwact_journal_ring *fwact_kunit_ring(struct kunit *test)
{
	struct fwact_journal_ring *ring;

	ring = kunit_kzalloc(test, sizeof(*ring), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ring);
	return ring;
}

static struct fwact_journal_rec *fwact_kunit_out(struct kunit *test)
{
	struct fwact_journal_rec *out;

	out = kunit_kcalloc(test, FWACT_JOURNAL_LEN, sizeof(*out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	return out;
}

/* Add records 1..@n; check that each got the next seq. */
static void fwact_kunit_fill(struct kunit *test,
			     struct fwact_journal_ring *ring, unsigned int n)
{
	struct fwact_journal_rec rec;
	unsigned int i;

	for (i = 1; i <= n; i++) {
		fwact_kunit_rec(&rec, i);
		rec.seq = 12345;	/* whatever the caller left there */
		fwact_journal_ring_add(ring, &rec);
		KUNIT_ASSERT_EQ(test, rec.seq, (u64)i);
	}
}

/* @n records copied, the newest @last, each whole and in order. */
static void fwact_kunit_expect_copy(struct kunit *test,
				    const struct fwact_journal_rec *out,
				    unsigned int n, unsigned int last)
{
	char name[FWACT_NAME_LEN];
	unsigned int i, want;

	for (i = 0; i < n; i++) {
		want = last - n + 1 + i;
		snprintf(name, sizeof(name), "comp-%u", want);
		KUNIT_EXPECT_EQ(test, out[i].seq, (u64)want);
		KUNIT_EXPECT_STREQ(test, out[i].component, name);
		KUNIT_EXPECT_EQ(test, out[i].m.cpus, want);
		KUNIT_EXPECT_EQ(test, out[i].result, -(int)(want % 100));
	}
}

static void fwact_kunit_empty_ring_has_nothing(struct kunit *test)
{
	struct fwact_journal_ring *ring = fwact_kunit_ring(test);

	KUNIT_EXPECT_EQ(test, fwact_journal_ring_copy(ring,
						      fwact_kunit_out(test)),
			0U);
}

static void fwact_kunit_ring_keeps_all_until_full(struct kunit *test)
{
	struct fwact_journal_ring *ring = fwact_kunit_ring(test);
	struct fwact_journal_rec *out = fwact_kunit_out(test);
	unsigned int n;

	fwact_kunit_fill(test, ring, 3);
	n = fwact_journal_ring_copy(ring, out);
	KUNIT_ASSERT_EQ(test, n, 3U);
	fwact_kunit_expect_copy(test, out, n, 3);

	ring = fwact_kunit_ring(test);
	fwact_kunit_fill(test, ring, FWACT_JOURNAL_LEN);
	n = fwact_journal_ring_copy(ring, out);
	KUNIT_ASSERT_EQ(test, n, (unsigned int)FWACT_JOURNAL_LEN);
	fwact_kunit_expect_copy(test, out, n, FWACT_JOURNAL_LEN);
}

/* One past full, and twice round and a bit: the oldest go first. */
static void fwact_kunit_full_ring_drops_the_oldest(struct kunit *test)
{
	static const unsigned int totals[] = {
		FWACT_JOURNAL_LEN + 1, 2 * FWACT_JOURNAL_LEN + 5,
	};
	struct fwact_journal_rec *out = fwact_kunit_out(test);
	struct fwact_journal_ring *ring;
	unsigned int t, n;

	for (t = 0; t < ARRAY_SIZE(totals); t++) {
		ring = fwact_kunit_ring(test);
		fwact_kunit_fill(test, ring, totals[t]);
		n = fwact_journal_ring_copy(ring, out);
		KUNIT_ASSERT_EQ(test, n, (unsigned int)FWACT_JOURNAL_LEN);
		fwact_kunit_expect_copy(test, out, n, totals[t]);
		KUNIT_EXPECT_EQ(test, ring->seq, (u64)totals[t]);
	}
}

/* The widest record there can be: every name full, every number widest. */
static void fwact_kunit_widest_rec(struct fwact_journal_rec *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->seq = U64_MAX;
	rec->time.tv_sec = S64_MIN;
	rec->time.tv_nsec = 999999999;
	memset(rec->component, 'c', sizeof(rec->component) - 1);
	memset(rec->backend, 'b', sizeof(rec->backend) - 1);
	memset(rec->from, 'f', sizeof(rec->from) - 1);
	memset(rec->to, 't', sizeof(rec->to) - 1);
	rec->result = INT_MIN;
	rec->mode = "per_core";
	rec->m.cpus = U32_MAX;
	rec->m.blackout_ns = U64_MAX;
	rec->m.arrival_skew_ns = U64_MAX;
	rec->m.irqoff_max_ns = U64_MAX;
	rec->m.action_ns = U64_MAX;
	rec->m.failed_step = INT_MIN;
	rec->m.failed_cpu = INT_MIN;
	rec->m.overrun_step = INT_MIN;
	rec->m.overrun_cpu = INT_MIN;
}

static void fwact_kunit_line_holds_the_widest_record(struct kunit *test)
{
	struct fwact_journal_rec *rec;
	char *buf, *p;
	int len;

	rec = kunit_kzalloc(test, sizeof(*rec), GFP_KERNEL);
	buf = kunit_kzalloc(test, FWACT_JOURNAL_LINE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	fwact_kunit_widest_rec(rec);
	len = fwact_journal_format(buf, FWACT_JOURNAL_LINE, rec);
	/* Not cut: scnprintf() stops at FWACT_JOURNAL_LINE - 1. */
	KUNIT_EXPECT_LT(test, len, FWACT_JOURNAL_LINE - 1);
	KUNIT_EXPECT_EQ(test, (size_t)len, strlen(buf));
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_EXPECT_EQ(test, buf[len - 1], '\n');
	/* The longest component name is kept whole. */
	p = strstr(buf, " component=");
	KUNIT_ASSERT_NOT_NULL(test, p);
	p += strlen(" component=");
	KUNIT_EXPECT_EQ(test, strspn(p, "c"), (size_t)FWACT_NAME_LEN - 1);
	KUNIT_EXPECT_EQ(test, p[FWACT_NAME_LEN - 1], ' ');
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, " overrun_cpu=-2147483648\n"));
}

static void fwact_kunit_line_of_a_first_activation(struct kunit *test)
{
	static const char * const want[] = {
		"seq=7 time=0.000000000 ",
		/* No version before or after reads as "-". */
		" component=comp-7 backend=kunit from=- to=- result=-7 mode=all cpus=7 ",
		" failed_step=-1 failed_cpu=1 overrun_step=-1 overrun_cpu=-1\n",
	};
	struct fwact_journal_rec rec;
	char buf[FWACT_JOURNAL_LINE];
	unsigned int i;

	fwact_kunit_rec(&rec, 7);
	rec.seq = 7;
	rec.m.failed_step = FWACT_RV_GATHER;
	rec.m.failed_cpu = 1;
	rec.m.overrun_step = -1;
	rec.m.overrun_cpu = -1;
	fwact_journal_format(buf, sizeof(buf), &rec);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(buf, want[i]),
					  "no \"%s\" in \"%s\"", want[i], buf);
}

static struct kunit_case fwact_journal_kunit_cases[] = {
	KUNIT_CASE(fwact_kunit_empty_ring_has_nothing),
	KUNIT_CASE(fwact_kunit_ring_keeps_all_until_full),
	KUNIT_CASE(fwact_kunit_full_ring_drops_the_oldest),
	KUNIT_CASE(fwact_kunit_line_holds_the_widest_record),
	KUNIT_CASE(fwact_kunit_line_of_a_first_activation),
	{}
};

static struct kunit_suite fwact_journal_kunit_suite = {
	.name = "fwact_journal",
	.test_cases = fwact_journal_kunit_cases,
};

kunit_test_suite(fwact_journal_kunit_suite);
