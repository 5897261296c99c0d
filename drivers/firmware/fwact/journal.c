// SPDX-License-Identifier: GPL-2.0
/*
 * fwact activation journal: the last FWACT_JOURNAL_LEN activation attempts
 * of every component, read as text from /sys/firmware/fwact/journal.
 *
 * The journal is a ring: when it is full the oldest record makes room for
 * the newest, which is never lost. Every record carries a sequence number
 * that is never reused, so a reader can tell how many records were dropped
 * between two reads (the first seq it sees minus the last it saw, minus 1).
 */

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "fwact-internal.h"

/* Longest text of one record. */
#define FWACT_JOURNAL_LINE	(400 + 2 * FWACT_VERSION_LEN)

static DEFINE_SPINLOCK(fwact_journal_lock);
static struct fwact_journal_rec fwact_journal[FWACT_JOURNAL_LEN];
static u64 fwact_journal_seq;	/* seq of the newest record, 0 if none */

/**
 * fwact_journal_add() - append a record, dropping the oldest if full
 * @rec: the record; its @seq is assigned here
 */
void fwact_journal_add(struct fwact_journal_rec *rec)
{
	spin_lock(&fwact_journal_lock);
	rec->seq = ++fwact_journal_seq;
	fwact_journal[(rec->seq - 1) % FWACT_JOURNAL_LEN] = *rec;
	spin_unlock(&fwact_journal_lock);
}

static int fwact_journal_format(char *buf, size_t size,
				const struct fwact_journal_rec *rec)
{
	const struct fwact_measure *m = &rec->m;

	return scnprintf(buf, size,
			 "seq=%llu time=%lld.%09ld component=%s backend=%s from=%s to=%s result=%d mode=%s cpus=%u blackout_ns=%llu skew_ns=%llu irqoff_max_ns=%llu action_ns=%llu failed_step=%d failed_cpu=%d\n",
			 rec->seq, (long long)rec->time.tv_sec,
			 rec->time.tv_nsec, rec->component, rec->backend,
			 rec->from[0] ? rec->from : "-",
			 rec->to[0] ? rec->to : "-", rec->result, rec->mode,
			 m->cpus, m->blackout_ns, m->arrival_skew_ns,
			 m->irqoff_max_ns, m->action_ns, m->failed_step,
			 m->failed_cpu);
}

/**
 * fwact_journal_read() - read the journal as text, oldest record first
 * @buf: where to put the text
 * @off: offset into the text
 * @count: size of @buf
 *
 * The text is made anew from a snapshot of the ring on every call, so a
 * reader that needs several reads may see a record added in between; the
 * seq numbers show it.
 *
 * Return: bytes copied, 0 at the end, or -ENOMEM.
 */
ssize_t fwact_journal_read(char *buf, loff_t off, size_t count)
{
	const size_t size = FWACT_JOURNAL_LEN * FWACT_JOURNAL_LINE;
	struct fwact_journal_rec *snap;
	size_t len = 0;
	u64 newest, seq;
	char *text;
	ssize_t ret;

	snap = kvmalloc_array(FWACT_JOURNAL_LEN, sizeof(*snap), GFP_KERNEL);
	text = kvmalloc(size, GFP_KERNEL);
	if (!snap || !text) {
		ret = -ENOMEM;
		goto out_free;
	}

	spin_lock(&fwact_journal_lock);
	memcpy(snap, fwact_journal, sizeof(fwact_journal));
	newest = fwact_journal_seq;
	spin_unlock(&fwact_journal_lock);

	seq = newest > FWACT_JOURNAL_LEN ? newest - FWACT_JOURNAL_LEN + 1 : 1;
	for (; seq <= newest; seq++)
		len += fwact_journal_format(text + len, size - len,
					    &snap[(seq - 1) % FWACT_JOURNAL_LEN]);

	if (off >= len) {
		ret = 0;
		goto out_free;
	}
	ret = min_t(size_t, count, len - off);
	memcpy(buf, text + off, ret);
out_free:
	kvfree(text);
	kvfree(snap);
	return ret;
}
