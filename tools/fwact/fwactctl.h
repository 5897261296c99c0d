/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fwactctl internals shared by the command files: the command descriptor
 * that the table in fwactctl.c is built from, the per-run context, sysfs
 * attribute access relative to --root, error reporting that carries the
 * kernel's errno into the exit status, and a small JSON writer so that every
 * command can print one valid JSON value with --json.
 */
#ifndef FWACTCTL_H
#define FWACTCTL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The kernel's helpers, for a tool that builds without kernel headers. */
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)		__attribute((__format__(__printf__, a, b)))

#define FWACTCTL_VERSION	"1.0"
#define FWACTCTL_DEFAULT_ROOT	"/sys/firmware/fwact"

/*
 * Exit status for a command-line error. Every other failure exits with the
 * errno of the operation that failed; 64 (EX_USAGE in sysexits.h) is ENONET,
 * which the fwact ABI never returns, so the two cannot be confused.
 */
#define FWACTCTL_EXIT_USAGE	64

/* Most options one command may add to the common ones. */
#define FWACTCTL_MAX_OPTS	4

/* Longest value of a text attribute (sysfs text files hold one page). */
#define FWACTCTL_ATTR_MAX	4096

/**
 * struct fwactctl_opt - an option a command accepts besides the common ones
 * @name: long option name without the leading dashes
 * @arg: name of its argument in the help text, or NULL for a flag
 * @help: one line for ``fwactctl COMMAND --help``
 */
struct fwactctl_opt {
	const char *name;
	const char *arg;
	const char *help;
};

/**
 * struct fwactctl_ctx - what a command runs with
 * @root: the fwact sysfs directory (--root)
 * @cmd: name of the running command, the first word of its messages
 * @json: print one JSON value instead of text (--json)
 * @opt: value of each of the command's options, indexed like
 *	&fwactctl_cmd.opts; "1" for a flag that was given, NULL if absent
 */
struct fwactctl_ctx {
	const char *root;
	const char *cmd;
	bool json;
	const char *opt[FWACTCTL_MAX_OPTS];
};

/**
 * struct fwactctl_cmd - one command of fwactctl
 * @name: the word that selects it
 * @args: synopsis of its positional arguments and options, for help
 * @summary: one line for ``fwactctl --help``
 * @help: paragraph for ``fwactctl COMMAND --help``
 * @opts: its own options (at most %FWACTCTL_MAX_OPTS), ended by an empty
 *	entry; NULL if none
 * @min_args: fewest positional arguments
 * @max_args: most positional arguments
 * @run: does the work; returns 0, an errno (the exit status) or
 *	%FWACTCTL_EXIT_USAGE, and has printed the message for a failure
 *
 * Commands live outside fwactctl.c; each defines one of these named
 * ``fwactctl_cmd_<id>`` and is listed once in fwactctl-commands.h.
 */
struct fwactctl_cmd {
	const char *name;
	const char *args;
	const char *summary;
	const char *help;
	const struct fwactctl_opt *opts;
	int min_args;
	int max_args;
	int (*run)(struct fwactctl_ctx *ctx, int argc, char **argv);
};

/*
 * Declare every command listed in fwactctl-commands.h as one declaration
 * with a declarator per command; the last name closes the list and is
 * never defined or used.
 */
#define FWACTCTL_COMMAND(id) fwactctl_cmd_##id,
extern const struct fwactctl_cmd
#include "fwactctl-commands.h"
	fwactctl_cmd_list_end;
#undef FWACTCTL_COMMAND

/* errors.c: messages and exit status */
const char *fwactctl_errno_name(int err);
int fwactctl_exit_code(int err);
__printf(2, 3)
int fwactctl_error(int err, const char *fmt, ...);
__printf(2, 3)
int fwactctl_usage_error(const struct fwactctl_ctx *ctx, const char *fmt, ...);

/* sysfs.c: the fwact directory under --root */
int fwactctl_component_check(const struct fwactctl_ctx *ctx, const char *comp);
/* What fwactctl_dir_list() returns. */
#define FWACTCTL_LIST_DIRS	0x1	/* subdirectories */
#define FWACTCTL_LIST_READABLE	0x2	/* regular files with an owner read bit */
int fwactctl_dir_list(const char *path, unsigned int kinds, char ***names,
		      int *nr);
int fwactctl_component_list(const struct fwactctl_ctx *ctx, char ***names,
			    int *nr);
void fwactctl_names_free(char **names, int nr);
int fwactctl_path(const struct fwactctl_ctx *ctx, char *buf, size_t size,
		  const char *comp, const char *attr);
int fwactctl_attr_read(const struct fwactctl_ctx *ctx, const char *comp,
		       const char *attr, char *buf, size_t size);
int fwactctl_attr_write(const struct fwactctl_ctx *ctx, const char *comp,
			const char *attr, const void *buf, size_t len);
int fwactctl_fd_write(int fd, const void *buf, size_t len);
int fwactctl_file_read(const char *path, char **buf, size_t *len);
char *fwactctl_text_clean(char *s, bool keep_newlines);

/* json.c: a streaming writer, one value per run */
#define FWACTCTL_JSON_DEPTH	8

/**
 * struct fwactctl_json - state of the JSON being printed
 * @out: where it goes
 * @depth: number of open objects and arrays
 * @members: members printed so far at each depth
 */
struct fwactctl_json {
	FILE *out;
	int depth;
	unsigned int members[FWACTCTL_JSON_DEPTH];
};

/* How a text value is typed in JSON. */
enum fwactctl_type {
	FWACTCTL_STR,	/* always a string */
	FWACTCTL_INT,	/* a number if the whole text is a decimal integer */
	FWACTCTL_BOOL,	/* true/false for "1"/"0" */
};

void fwactctl_json_init(struct fwactctl_json *j, FILE *out);
void fwactctl_json_object_begin(struct fwactctl_json *j, const char *key);
void fwactctl_json_object_end(struct fwactctl_json *j);
void fwactctl_json_array_begin(struct fwactctl_json *j, const char *key);
void fwactctl_json_array_end(struct fwactctl_json *j);
void fwactctl_json_string(struct fwactctl_json *j, const char *key,
			  const char *val);
void fwactctl_json_int(struct fwactctl_json *j, const char *key,
		       long long val);
void fwactctl_json_bool(struct fwactctl_json *j, const char *key, bool val);
void fwactctl_json_typed(struct fwactctl_json *j, const char *key,
			 const char *val, enum fwactctl_type type);
bool fwactctl_parse_ll(const char *s, long long *val);

#endif /* FWACTCTL_H */
