// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the fwact core's journal (/sys/firmware/fwact/journal),
 * driven against the emulated components of fwact_testmod.ko: one record
 * per activation attempt with what it did, consecutive sequence numbers,
 * the newest 64 attempts kept, and reads in small pieces or by sixteen
 * readers during activations that see whole, contiguous records. Each test
 * checks one behaviour and is named after it; the fixture brings every
 * test component back to idle with default knobs.
 *
 * Skips (exit 4) when the core or the test module is not loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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
		ASSERT_EQ(0, fwact_stage_version(NONE, FWACT_BASE_VERSION + 1 + i,
						 16));
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

/* --- readers during activations --- */

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

/* Before the harness starts: skip the whole program without the module. */
static void __attribute__((constructor)) require_testmod(void)
{
	fwact_require_testmod();
}

TEST_HARNESS_MAIN
