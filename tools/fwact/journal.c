// SPDX-License-Identifier: GPL-2.0
/*
 * "journal": the core's record of activation attempts
 * (<root>/journal, one "key=value key=value ..." line per attempt, oldest
 * first). As text it is copied as is; with --json every line becomes an
 * object whose members are its keys, numbers where the value is a decimal
 * integer, so scripts need not parse the line format themselves.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fwactctl.h"

/* Most key=value pairs on one journal line. */
#define FWACTCTL_JOURNAL_KEYS	32

/* Keys whose values are always strings, even when they look like numbers. */
static const char *const fwactctl_journal_strings[] = {
	"time", "component", "backend", "from", "to", "mode", NULL
};

struct fwactctl_kv {
	char *key;
	char *val;
};

static enum fwactctl_type fwactctl_journal_type(const char *key)
{
	const char *const *s;

	for (s = fwactctl_journal_strings; *s; s++)
		if (!strcmp(*s, key))
			return FWACTCTL_STR;
	return FWACTCTL_INT;
}

/*
 * Split @line in place into key=value pairs. A word without '=' continues
 * the previous value, so a version string with spaces in it stays whole.
 * Returns the number of pairs, or -EBADMSG for a line that does not start
 * with a pair or has too many.
 */
static int fwactctl_journal_split(char *line, struct fwactctl_kv *kv)
{
	char *p = line, *tok, *end, *eq, *prev_end = NULL;
	int n = 0;

	for (;;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		tok = p;
		p += strcspn(p, " ");
		end = p;
		if (*p)
			*p++ = '\0';
		eq = strchr(tok, '=');
		if (!eq) {
			if (!n)
				return -EBADMSG;
			/* Undo the cut before this word: it is part of the value. */
			*prev_end = ' ';
		} else {
			if (n == FWACTCTL_JOURNAL_KEYS || eq == tok)
				return -EBADMSG;
			*eq = '\0';
			kv[n].key = tok;
			kv[n].val = eq + 1;
			n++;
		}
		prev_end = end;
	}
	return n;
}

static int fwactctl_journal_json(char *text)
{
	struct fwactctl_kv kv[FWACTCTL_JOURNAL_KEYS];
	char *line, *next;
	unsigned int nr = 0;
	struct fwactctl_json j;
	int n, i, status = 0;

	fwactctl_json_init(&j, stdout);
	fwactctl_json_array_begin(&j, NULL);
	for (line = text; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		nr++;
		n = fwactctl_journal_split(line, kv);
		if (n < 0) {
			/* Report it and go on: the other lines are still good. */
			n = fwactctl_error(-n, "journal: line %u", nr);
			if (!status)
				status = n;
			continue;
		}
		if (!n)
			continue;
		fwactctl_json_object_begin(&j, NULL);
		for (i = 0; i < n; i++)
			fwactctl_json_typed(&j, kv[i].key, kv[i].val,
					    fwactctl_journal_type(kv[i].key));
		fwactctl_json_object_end(&j);
	}
	fwactctl_json_array_end(&j);
	return status;
}

static int fwactctl_journal_run(struct fwactctl_ctx *ctx, int argc,
				char **argv)
{
	char path[FWACTCTL_ATTR_MAX];
	size_t len;
	char *text;
	int ret;

	(void)argc;
	(void)argv;
	ret = fwactctl_path(ctx, path, sizeof(path), NULL, "journal");
	if (!ret)
		ret = fwactctl_file_read(path, &text, &len);
	if (ret)
		return fwactctl_error(-ret, "journal: %s", path);
	/* The text ends at a NUL, which the kernel never writes into it. */
	if (ctx->json) {
		ret = fwactctl_journal_json(text);
	} else {
		fwactctl_text_clean(text, true);
		fputs(text, stdout);
	}
	free(text);
	return ret;
}

const struct fwactctl_cmd fwactctl_cmd_journal = {
	.name = "journal",
	.args = "",
	.summary = "print the journal of activation attempts",
	.help = "Prints <root>/journal: one line per activation attempt, oldest\n"
		"first, as \"key=value\" words (seq, time, component, backend, from, to,\n"
		"result, mode, cpus, blackout_ns, skew_ns, irqoff_max_ns, action_ns,\n"
		"failed_step, failed_cpu). With --json, an array with one object per\n"
		"line; time, component, backend, from, to and mode are strings, the\n"
		"other values numbers.",
	.min_args = 0,
	.max_args = 0,
	.run = fwactctl_journal_run,
};
