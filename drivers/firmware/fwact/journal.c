// SPDX-License-Identifier: GPL-2.0
/*
 * fwact activation journal: the last FWACT_JOURNAL_LEN activation attempts
 * of every component, read as text from /sys/firmware/fwact/journal.
 *
 * The journal is a ring: when it is full the oldest record makes room for
 * the newest, which is never lost. Every record carries a sequence number
 * that is never reused, so a reader can tell how many records were dropped
 * between two reads (the first seq it sees minus the last it saw, minus 1).
 * Each reader reads a snapshot taken when it starts, never a torn record.
 */

#include <kunit/visibility.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "fwact-internal.h"

/* Protects fwact_journal. */
static DEFINE_SPINLOCK(fwact_journal_lock);
static struct fwact_journal_ring fwact_journal;

/**
 * fwact_journal_ring_add() - append a record to a ring, dropping the oldest
 * @ring: the ring; its user serializes the calls
 * @rec: the record; its @seq is assigned here
 */
VISIBLE_IF_KUNIT void fwact_journal_ring_add(struct fwact_journal_ring *ring,
					     struct fwact_journal_rec *rec)
{
	rec->seq = ++ring->seq;
	ring->rec[(rec->seq - 1) % FWACT_JOURNAL_LEN] = *rec;
}
EXPORT_SYMBOL_IF_KUNIT(fwact_journal_ring_add);

/**
 * fwact_journal_ring_copy() - the records a ring keeps, oldest first
 * @ring: the ring; its user keeps it from changing meanwhile
 * @out: room for %FWACT_JOURNAL_LEN records
 *
 * Return: the number of records copied.
 */
VISIBLE_IF_KUNIT unsigned int
fwact_journal_ring_copy(const struct fwact_journal_ring *ring,
			struct fwact_journal_rec *out)
{
	u64 seq, first;
	unsigned int n = 0;

	first = ring->seq > FWACT_JOURNAL_LEN ?
		ring->seq - FWACT_JOURNAL_LEN + 1 : 1;
	for (seq = first; seq <= ring->seq; seq++)
		out[n++] = ring->rec[(seq - 1) % FWACT_JOURNAL_LEN];
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(fwact_journal_ring_copy);

/**
 * fwact_journal_add() - append a record, dropping the oldest if full
 * @rec: the record; its @seq is assigned here
 */
void fwact_journal_add(struct fwact_journal_rec *rec)
{
	spin_lock(&fwact_journal_lock);
	fwact_journal_ring_add(&fwact_journal, rec);
	spin_unlock(&fwact_journal_lock);
}

/**
 * fwact_journal_format() - one record as the journal's line of text
 * @buf: where to put it
 * @size: size of @buf; %FWACT_JOURNAL_LINE holds any record whole
 * @rec: the record
 *
 * Return: the length of the line, without its terminating NUL.
 */
VISIBLE_IF_KUNIT int fwact_journal_format(char *buf, size_t size,
					  const struct fwact_journal_rec *rec)
{
	const struct fwact_measure *m = &rec->m;

	return scnprintf(buf, size,
			 "seq=%llu time=%lld.%09ld component=%s backend=%s from=%s to=%s result=%d mode=%s cpus=%u blackout_ns=%llu skew_ns=%llu irqoff_max_ns=%llu action_ns=%llu failed_step=%d failed_cpu=%d overrun_step=%d overrun_cpu=%d\n",
			 rec->seq, (long long)rec->time.tv_sec,
			 rec->time.tv_nsec, rec->component, rec->backend,
			 rec->from[0] ? rec->from : "-",
			 rec->to[0] ? rec->to : "-", rec->result, rec->mode,
			 m->cpus, m->blackout_ns, m->arrival_skew_ns,
			 m->irqoff_max_ns, m->action_ns, m->failed_step,
			 m->failed_cpu, m->overrun_step, m->overrun_cpu);
}
EXPORT_SYMBOL_IF_KUNIT(fwact_journal_format);

/*
 * What one open file of the journal reads. kernfs hands a reader at most a
 * page per read(), so reading the whole journal takes several; the text is
 * made once, when a reader reads offset 0, and later reads of the same
 * file are served from it, so that no reader sees a record torn by one
 * added in between (as seq_file does for /proc files). Every reader has
 * its own snapshot, however many read at once; a snapshot is freed when
 * its reader reads past the end. Snapshots of readers that went away
 * early are reclaimed, least recently used first, once
 * FWACT_JOURNAL_SNAPS_MAX exist; a reader whose snapshot was reclaimed
 * gets -ESTALE rather than a torn record, and reads again from offset 0.
 */
struct fwact_journal_snap {
	struct list_head node;
	const struct file *file;
	char *text;
	size_t len;
};

#define FWACT_JOURNAL_SNAPS_MAX	256

/* Protects the list of snapshots; the list is kept most recent first. */
static DEFINE_MUTEX(fwact_journal_snap_lock);
static LIST_HEAD(fwact_journal_snaps);
static unsigned int fwact_journal_nr_snaps;

/* Format every kept record, oldest first, into a new text. */
static char *fwact_journal_text(size_t *lenp)
{
	const size_t size = FWACT_JOURNAL_LEN * FWACT_JOURNAL_LINE;
	struct fwact_journal_rec *snap;
	char *buf, *text = NULL;
	unsigned int i, n;
	size_t len = 0;

	snap = kvmalloc_array(FWACT_JOURNAL_LEN, sizeof(*snap), GFP_KERNEL);
	buf = kvmalloc(size, GFP_KERNEL);
	if (!snap || !buf)
		goto out_free;

	spin_lock(&fwact_journal_lock);
	n = fwact_journal_ring_copy(&fwact_journal, snap);
	spin_unlock(&fwact_journal_lock);

	for (i = 0; i < n; i++)
		len += fwact_journal_format(buf + len, size - len, &snap[i]);
	/* Only what the records take is kept while the reader reads. */
	text = kvmalloc(max_t(size_t, len, 1), GFP_KERNEL);
	if (text) {
		memcpy(text, buf, len);
		*lenp = len;
	}
out_free:
	kvfree(buf);
	kvfree(snap);
	return text;
}

static void fwact_journal_snap_free(struct fwact_journal_snap *snap)
{
	lockdep_assert_held(&fwact_journal_snap_lock);
	list_del(&snap->node);
	fwact_journal_nr_snaps--;
	kvfree(snap->text);
	kfree(snap);
}

static struct fwact_journal_snap *
fwact_journal_snap_find(const struct file *file)
{
	struct fwact_journal_snap *snap;

	lockdep_assert_held(&fwact_journal_snap_lock);
	list_for_each_entry(snap, &fwact_journal_snaps, node)
		if (snap->file == file)
			return snap;
	return NULL;
}

/* A new snapshot for @file, which starts reading at offset 0. */
static struct fwact_journal_snap *
fwact_journal_snap_new(const struct file *file)
{
	struct fwact_journal_snap *snap;

	lockdep_assert_held(&fwact_journal_snap_lock);
	snap = fwact_journal_snap_find(file);
	if (snap)
		fwact_journal_snap_free(snap);
	if (fwact_journal_nr_snaps >= FWACT_JOURNAL_SNAPS_MAX) {
		snap = list_last_entry(&fwact_journal_snaps,
				       struct fwact_journal_snap, node);
		fwact_journal_snap_free(snap);
	}
	snap = kzalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return NULL;
	snap->text = fwact_journal_text(&snap->len);
	if (!snap->text) {
		kfree(snap);
		return NULL;
	}
	snap->file = file;
	list_add(&snap->node, &fwact_journal_snaps);
	fwact_journal_nr_snaps++;
	return snap;
}

/**
 * fwact_journal_read() - read the journal as text, oldest record first
 * @file: the open file being read
 * @buf: where to put the text
 * @off: offset into the text
 * @count: size of @buf
 *
 * A read at offset 0 takes a snapshot of the journal for @file; later
 * reads of @file return the rest of that snapshot, whatever was added
 * since. Records added meanwhile are seen by the next reader.
 *
 * Return: bytes copied, 0 at the end, -ENOMEM, or -ESTALE if the reader's
 * snapshot was reclaimed (see above).
 */
ssize_t fwact_journal_read(const struct file *file, char *buf, loff_t off,
			   size_t count)
{
	struct fwact_journal_snap *snap;
	ssize_t ret;

	mutex_lock(&fwact_journal_snap_lock);
	if (off == 0) {
		snap = fwact_journal_snap_new(file);
		ret = -ENOMEM;
	} else {
		snap = fwact_journal_snap_find(file);
		ret = -ESTALE;
	}
	if (!snap)
		goto out_unlock;
	if (off >= snap->len) {
		fwact_journal_snap_free(snap);
		ret = 0;
		goto out_unlock;
	}
	list_move(&snap->node, &fwact_journal_snaps);
	ret = min_t(size_t, count, snap->len - off);
	memcpy(buf, snap->text + off, ret);
out_unlock:
	mutex_unlock(&fwact_journal_snap_lock);
	return ret;
}

/**
 * fwact_journal_exit() - free the snapshots readers left behind
 */
void fwact_journal_exit(void)
{
	struct fwact_journal_snap *snap, *next;

	mutex_lock(&fwact_journal_snap_lock);
	list_for_each_entry_safe(snap, next, &fwact_journal_snaps, node)
		fwact_journal_snap_free(snap);
	mutex_unlock(&fwact_journal_snap_lock);
}
