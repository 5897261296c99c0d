// SPDX-License-Identifier: GPL-2.0
/*
 * fwactctl: command-line front end of the fwact sysfs ABI
 * (Documentation/firmware/fwactctl.rst). This file holds the command table,
 * parses the options common to every command plus the ones a command
 * declares in its &struct fwactctl_cmd, prints help and runs the command.
 * The commands themselves live in their own files.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwactctl.h"

/* Built from fwactctl-commands.h; add a command there, not here. */
static const struct fwactctl_cmd *const fwactctl_cmds[] = {
#define FWACTCTL_COMMAND(id) (&fwactctl_cmd_##id),
#include "fwactctl-commands.h"
#undef FWACTCTL_COMMAND
};

#define FWACTCTL_NR_CMDS ARRAY_SIZE(fwactctl_cmds)

/* Options every command takes; a command's own come after these. */
enum {
	FWACTCTL_OPT_JSON = 1,
	FWACTCTL_OPT_ROOT,
	FWACTCTL_OPT_HELP,
	FWACTCTL_OPT_VERSION,
	FWACTCTL_OPT_CMD,	/* + index in &fwactctl_cmd.opts */
};

static const struct option fwactctl_common_opts[] = {
	{ "json", no_argument, NULL, FWACTCTL_OPT_JSON },
	{ "root", required_argument, NULL, FWACTCTL_OPT_ROOT },
	{ "help", no_argument, NULL, FWACTCTL_OPT_HELP },
	{ "version", no_argument, NULL, FWACTCTL_OPT_VERSION },
};

#define FWACTCTL_NR_COMMON ARRAY_SIZE(fwactctl_common_opts)

static void fwactctl_help_print(void)
{
	size_t i;

	printf("Usage: fwactctl [--root DIR] [--json] COMMAND [ARGS...]\n"
	       "       fwactctl COMMAND --help\n"
	       "       fwactctl --version\n\n"
	       "Stage and activate platform firmware on a running machine through\n"
	       "the fwact sysfs interface.\n\n"
	       "Commands:\n");
	for (i = 0; i < FWACTCTL_NR_CMDS; i++)
		printf("  %-10s %s\n", fwactctl_cmds[i]->name,
		       fwactctl_cmds[i]->summary);
	printf("\nOptions (before or after COMMAND):\n"
	       "  --root DIR  fwact sysfs directory (default %s)\n"
	       "  --json      print one JSON value on standard output\n"
	       "  --help      print help (of COMMAND if given) and exit\n"
	       "  --version   print the version and exit\n\n"
	       "Exit status: 0 on success, %d for a command-line error, otherwise\n"
	       "the errno of the operation that failed (e.g. 16 EBUSY, 61 ENODATA).\n",
	       FWACTCTL_DEFAULT_ROOT, FWACTCTL_EXIT_USAGE);
}

static void fwactctl_cmd_help_print(const struct fwactctl_cmd *cmd)
{
	const struct fwactctl_opt *opt;
	char left[64];

	printf("Usage: fwactctl [--root DIR] [--json] %s %s\n\n%s\n\n%s\n",
	       cmd->name, cmd->args, cmd->summary, cmd->help);
	if (!cmd->opts)
		return;
	printf("\nOptions:\n");
	for (opt = cmd->opts; opt->name; opt++) {
		snprintf(left, sizeof(left), "--%s%s%s", opt->name,
			 opt->arg ? " " : "", opt->arg ? opt->arg : "");
		printf("  %-18s %s\n", left, opt->help);
	}
}

static const struct fwactctl_cmd *fwactctl_cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < FWACTCTL_NR_CMDS; i++)
		if (!strcmp(fwactctl_cmds[i]->name, name))
			return fwactctl_cmds[i];
	return NULL;
}

/*
 * Fill @lopts with the common options followed by @cmd's own. Returns how
 * many of the command's options there are, or -1 if it declares too many
 * (a bug in the command table, caught on its first run).
 */
static int fwactctl_opts_build(const struct fwactctl_cmd *cmd,
			       struct option *lopts)
{
	int n = 0;

	memcpy(lopts, fwactctl_common_opts, sizeof(fwactctl_common_opts));
	for (; cmd && cmd->opts && cmd->opts[n].name; n++) {
		if (n == FWACTCTL_MAX_OPTS)
			return -1;
		lopts[FWACTCTL_NR_COMMON + n] = (struct option) {
			.name = cmd->opts[n].name,
			.has_arg = cmd->opts[n].arg ? required_argument :
						      no_argument,
			.val = FWACTCTL_OPT_CMD + n,
		};
	}
	memset(&lopts[FWACTCTL_NR_COMMON + n], 0, sizeof(*lopts));
	return n;
}

/*
 * Parse options. With @cmd NULL, stop at the first word (the command);
 * otherwise accept options anywhere among the command's arguments. Returns
 * -1 to go on, or the exit status when the run is over (help, version,
 * usage error).
 */
static int fwactctl_opts_parse(struct fwactctl_ctx *ctx,
			       const struct fwactctl_cmd *cmd,
			       int argc, char **argv)
{
	struct option lopts[FWACTCTL_NR_COMMON + FWACTCTL_MAX_OPTS + 1];
	bool help = false;
	int c;

	if (fwactctl_opts_build(cmd, lopts) < 0)
		return fwactctl_usage_error(ctx, "too many options in the table");
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, cmd ? ":" : "+:", lopts,
				NULL)) != -1) {
		switch (c) {
		case FWACTCTL_OPT_JSON:
			ctx->json = true;
			break;
		case FWACTCTL_OPT_ROOT:
			ctx->root = optarg;
			break;
		case FWACTCTL_OPT_HELP:
			help = true;
			break;
		case FWACTCTL_OPT_VERSION:
			printf("fwactctl %s\n", FWACTCTL_VERSION);
			return 0;
		case ':':
			return fwactctl_usage_error(ctx, "option '%s' needs an argument",
						    argv[optind - 1]);
		case '?':
			return fwactctl_usage_error(ctx, "unknown option '%s'",
						    argv[optind - 1]);
		default:
			ctx->opt[c - FWACTCTL_OPT_CMD] = optarg ? optarg : "1";
			break;
		}
	}
	if (!help)
		return -1;
	/* "fwactctl --help list" asks for the help of list. */
	if (!cmd && optind < argc)
		cmd = fwactctl_cmd_find(argv[optind]);
	if (cmd)
		fwactctl_cmd_help_print(cmd);
	else
		fwactctl_help_print();
	return 0;
}

int main(int argc, char **argv)
{
	struct fwactctl_ctx ctx = { .root = FWACTCTL_DEFAULT_ROOT };
	const struct fwactctl_cmd *cmd;
	int ret, nargs;

	ret = fwactctl_opts_parse(&ctx, NULL, argc, argv);
	if (ret >= 0)
		return ret;
	if (optind >= argc)
		return fwactctl_usage_error(&ctx, "no command given");
	cmd = fwactctl_cmd_find(argv[optind]);
	if (!cmd)
		return fwactctl_usage_error(&ctx, "unknown command '%s'",
					    argv[optind]);
	ctx.cmd = cmd->name;

	/* Reparse from the command on; argv[0] is skipped by getopt. */
	argc -= optind;
	argv += optind;
	ret = fwactctl_opts_parse(&ctx, cmd, argc, argv);
	if (ret >= 0)
		return ret;
	nargs = argc - optind;
	if (nargs < cmd->min_args)
		return fwactctl_usage_error(&ctx, "%s: missing argument",
					    cmd->name);
	if (nargs > cmd->max_args)
		return fwactctl_usage_error(&ctx, "%s: unexpected argument '%s'",
					    cmd->name,
					    argv[optind + cmd->max_args]);
	ret = cmd->run(&ctx, nargs, argv + optind);
	if (fflush(stdout) && !ret)
		ret = fwactctl_error(errno, "%s: standard output", cmd->name);
	return ret;
}
