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

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
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

/*
 * What one open file of the journal reads. kernfs hands a reader at most a
 * page per read(), so reading the whole journal takes several; the text is
 * made once, when a reader reads offset 0, and later reads of the same
 * file are served from it, so that no reader sees a record torn by one
 * added in between (as seq_file does for /proc files). A snapshot is freed
 * when its reader reads past the end; one whose reader went away early is
 * reused for the next new reader.
 */
struct fwact_journal_snap {
	const struct file *file;
	char *text;
	size_t len;
};

#define FWACT_JOURNAL_SNAPS	4

static DEFINE_MUTEX(fwact_journal_snap_lock);
static struct fwact_journal_snap fwact_journal_snaps[FWACT_JOURNAL_SNAPS];
static unsigned int fwact_journal_snap_next;

/* Format every kept record, oldest first, into a new text. */
static char *fwact_journal_text(size_t *lenp)
{
	const size_t size = FWACT_JOURNAL_LEN * FWACT_JOURNAL_LINE;
	struct fwact_journal_rec *snap;
	u64 newest, seq;
	size_t len = 0;
	char *text;

	snap = kvmalloc_array(FWACT_JOURNAL_LEN, sizeof(*snap), GFP_KERNEL);
	text = kvmalloc(size, GFP_KERNEL);
	if (!snap || !text) {
		kvfree(text);
		kvfree(snap);
		return NULL;
	}

	spin_lock(&fwact_journal_lock);
	memcpy(snap, fwact_journal, sizeof(fwact_journal));
	newest = fwact_journal_seq;
	spin_unlock(&fwact_journal_lock);

	seq = newest > FWACT_JOURNAL_LEN ? newest - FWACT_JOURNAL_LEN + 1 : 1;
	for (; seq <= newest; seq++)
		len += fwact_journal_format(text + len, size - len,
					    &snap[(seq - 1) % FWACT_JOURNAL_LEN]);
	kvfree(snap);
	*lenp = len;
	return text;
}

static void fwact_journal_snap_drop(struct fwact_journal_snap *snap)
{
	kvfree(snap->text);
	snap->text = NULL;
	snap->file = NULL;
	snap->len = 0;
}

/* The snapshot of @file; a new one if @fresh or if it has none. */
static struct fwact_journal_snap *
fwact_journal_snap_get(const struct file *file, bool fresh)
{
	struct fwact_journal_snap *snap = NULL;
	unsigned int i;
	size_t len;
	char *text;

	for (i = 0; i < FWACT_JOURNAL_SNAPS; i++)
		if (fwact_journal_snaps[i].file == file)
			snap = &fwact_journal_snaps[i];
	if (snap && !fresh)
		return snap;

	text = fwact_journal_text(&len);
	if (!text)
		return NULL;
	if (!snap) {
		snap = &fwact_journal_snaps[fwact_journal_snap_next];
		fwact_journal_snap_next = (fwact_journal_snap_next + 1) %
					  FWACT_JOURNAL_SNAPS;
	}
	fwact_journal_snap_drop(snap);
	snap->file = file;
	snap->text = text;
	snap->len = len;
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
 * Return: bytes copied, 0 at the end, or -ENOMEM.
 */
ssize_t fwact_journal_read(const struct file *file, char *buf, loff_t off,
			   size_t count)
{
	struct fwact_journal_snap *snap;
	ssize_t ret;

	mutex_lock(&fwact_journal_snap_lock);
	snap = fwact_journal_snap_get(file, off == 0);
	if (!snap) {
		ret = -ENOMEM;
	} else if (off >= snap->len) {
		fwact_journal_snap_drop(snap);
		ret = 0;
	} else {
		ret = min_t(size_t, count, snap->len - off);
		memcpy(buf, snap->text + off, ret);
	}
	mutex_unlock(&fwact_journal_snap_lock);
	return ret;
}

/**
 * fwact_journal_exit() - free the snapshots readers left behind
 */
void fwact_journal_exit(void)
{
	unsigned int i;

	mutex_lock(&fwact_journal_snap_lock);
	for (i = 0; i < FWACT_JOURNAL_SNAPS; i++)
		fwact_journal_snap_drop(&fwact_journal_snaps[i]);
	mutex_unlock(&fwact_journal_snap_lock);
}
