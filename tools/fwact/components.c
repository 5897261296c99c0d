// SPDX-License-Identifier: GPL-2.0
/*
 * The read-only commands on components: "list" prints one line (or JSON
 * object) per component with the attributes an administrator looks at
 * first, "show" prints every readable attribute of one component,
 * including the measurements of its last activation. Attributes the table
 * below does not know (added to the ABI later) are still shown, as strings
 * after the known ones, so the tool never hides what the kernel exports.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fwactctl.h"
#include "fwactctl-attrs.h"

/* The attributes of a component, in the order the ABI documents them. */
const struct fwactctl_attr fwactctl_comp_attrs[] = {
	{ "name", FWACTCTL_STR },
	{ "backend", FWACTCTL_STR },
	{ "state", FWACTCTL_STR },
	{ "current_version", FWACTCTL_STR },
	{ "pending_version", FWACTCTL_STR },
	{ "activation_capable", FWACTCTL_BOOL },
	{ "activation_pending", FWACTCTL_BOOL },
	{ "may_reset_cpu", FWACTCTL_BOOL },
	{ "cpu_rendezvous", FWACTCTL_BOOL },
	{ "force_cpu_rendezvous", FWACTCTL_BOOL },
	{ "max_blackout_us", FWACTCTL_INT },
	{ "rendezvous_mode", FWACTCTL_STR },
	{ "last_error", FWACTCTL_INT },
	{ "last_fw_status", FWACTCTL_STR },
	{ }
};

/* The files of last_activation/, in the order the ABI documents them. */
const struct fwactctl_attr fwactctl_last_attrs[] = {
	{ "result", FWACTCTL_INT },
	{ "mode", FWACTCTL_STR },
	{ "cpus", FWACTCTL_INT },
	{ "blackout_ns", FWACTCTL_INT },
	{ "arrival_skew_ns", FWACTCTL_INT },
	{ "irqoff_max_ns", FWACTCTL_INT },
	{ "irqoff_mean_ns", FWACTCTL_INT },
	{ "action_ns", FWACTCTL_INT },
	{ "fw_auth_ns", FWACTCTL_INT },
	{ "fw_exec_ns", FWACTCTL_INT },
	{ "failed_step", FWACTCTL_INT },
	{ "failed_cpu", FWACTCTL_INT },
	{ "version_before", FWACTCTL_STR },
	{ "version_after", FWACTCTL_STR },
	{ "count", FWACTCTL_INT },
	{ }
};

/**
 * fwactctl_attr_type() - JSON type of a known attribute
 * @table: attribute table ended by an empty entry, or NULL
 * @name: attribute name
 *
 * Return: its type, or %FWACTCTL_STR for an attribute the table lacks.
 */
enum fwactctl_type fwactctl_attr_type(const struct fwactctl_attr *table,
				      const char *name)
{
	for (; table && table->name; table++)
		if (!strcmp(table->name, name))
			return table->type;
	return FWACTCTL_STR;
}

/*
 * "list": the columns, named after the attributes so that JSON keys and
 * sysfs files match; the component itself is the directory name.
 */
static const struct fwactctl_attr fwactctl_list_cols[] = {
	{ "backend", FWACTCTL_STR },
	{ "state", FWACTCTL_STR },
	{ "current_version", FWACTCTL_STR },
	{ "pending_version", FWACTCTL_STR },
	{ "activation_capable", FWACTCTL_BOOL },
	{ "activation_pending", FWACTCTL_BOOL },
};

#define FWACTCTL_LIST_NR_COLS ARRAY_SIZE(fwactctl_list_cols)

static const char *const fwactctl_list_heads[FWACTCTL_LIST_NR_COLS + 1] = {
	"COMPONENT", "BACKEND", "STATE", "CURRENT", "PENDING_VERSION",
	"CAPABLE", "PENDING",
};

/* One row of "list": the component name then one value per column. */
struct fwactctl_list_row {
	char *val[FWACTCTL_LIST_NR_COLS + 1];
};

static void fwactctl_list_rows_free(struct fwactctl_list_row *rows, int nr)
{
	size_t c;
	int i;

	for (i = 0; i < nr; i++)
		for (c = 0; c <= FWACTCTL_LIST_NR_COLS; c++)
			free(rows[i].val[c]);
	free(rows);
}

/*
 * Read one row. An attribute that cannot be read is reported and shown as
 * "?" (left out of JSON), and the first such errno is kept for the exit
 * status, so one broken component does not hide the others.
 */
static int fwactctl_list_row_read(const struct fwactctl_ctx *ctx,
				  const char *comp,
				  struct fwactctl_list_row *row, int *status)
{
	char buf[FWACTCTL_ATTR_MAX];
	size_t c;
	int ret;

	row->val[0] = strdup(comp);
	if (!row->val[0])
		return -ENOMEM;
	for (c = 0; c < FWACTCTL_LIST_NR_COLS; c++) {
		ret = fwactctl_attr_read(ctx, comp, fwactctl_list_cols[c].name,
					 buf, sizeof(buf));
		if (ret) {
			ret = fwactctl_error(-ret, "list: %s: %s", comp,
					     fwactctl_list_cols[c].name);
			if (!*status)
				*status = ret;
			continue;
		}
		row->val[c + 1] = strdup(buf);
		if (!row->val[c + 1])
			return -ENOMEM;
		/* JSON keeps the raw text; the table gets the printable form. */
		if (!ctx->json)
			fwactctl_text_clean(row->val[c + 1], false);
	}
	return 0;
}

static void fwactctl_list_json(const struct fwactctl_list_row *rows, int nr)
{
	struct fwactctl_json j;
	size_t c;
	int i;

	fwactctl_json_init(&j, stdout);
	fwactctl_json_array_begin(&j, NULL);
	for (i = 0; i < nr; i++) {
		fwactctl_json_object_begin(&j, NULL);
		fwactctl_json_string(&j, "name", rows[i].val[0]);
		for (c = 0; c < FWACTCTL_LIST_NR_COLS; c++)
			if (rows[i].val[c + 1])
				fwactctl_json_typed(&j, fwactctl_list_cols[c].name,
						    rows[i].val[c + 1],
						    fwactctl_list_cols[c].type);
		fwactctl_json_object_end(&j);
	}
	fwactctl_json_array_end(&j);
}

static void fwactctl_list_text(const struct fwactctl_list_row *rows, int nr)
{
	int width[FWACTCTL_LIST_NR_COLS + 1];
	const char *val;
	size_t c;
	int i;

	for (c = 0; c <= FWACTCTL_LIST_NR_COLS; c++) {
		width[c] = strlen(fwactctl_list_heads[c]);
		for (i = 0; i < nr; i++)
			if (rows[i].val[c] && (int)strlen(rows[i].val[c]) > width[c])
				width[c] = strlen(rows[i].val[c]);
	}
	for (i = -1; i < nr; i++) {
		for (c = 0; c <= FWACTCTL_LIST_NR_COLS; c++) {
			if (i < 0)
				val = fwactctl_list_heads[c];
			else
				val = rows[i].val[c] ? rows[i].val[c] : "?";
			if (c == FWACTCTL_LIST_NR_COLS)
				printf("%s\n", val);
			else
				printf("%-*s  ", width[c], val);
		}
	}
}

static int fwactctl_list_run(struct fwactctl_ctx *ctx, int argc, char **argv)
{
	struct fwactctl_list_row *rows;
	int nr, i, ret, status = 0;
	char **names;

	(void)argc;
	(void)argv;
	ret = fwactctl_component_list(ctx, &names, &nr);
	if (ret)
		return fwactctl_error(-ret, "list: %s", ctx->root);
	rows = calloc(nr ? nr : 1, sizeof(*rows));
	if (!rows) {
		ret = -ENOMEM;
		goto free_names;
	}
	for (i = 0; i < nr; i++) {
		ret = fwactctl_list_row_read(ctx, names[i], &rows[i], &status);
		if (ret)
			goto free_rows;
	}
	if (ctx->json)
		fwactctl_list_json(rows, nr);
	else
		fwactctl_list_text(rows, nr);
	ret = 0;

free_rows:
	fwactctl_list_rows_free(rows, nr);
free_names:
	fwactctl_names_free(names, nr);
	if (ret)
		return fwactctl_error(-ret, "list");
	return status;
}

const struct fwactctl_cmd fwactctl_cmd_list = {
	.name = "list",
	.args = "",
	.summary = "list every component with its state and versions",
	.help = "Prints one line per component (directory under the root): its\n"
		"backend, state, current and pending version, whether it can be\n"
		"activated at run time (CAPABLE) and whether the firmware holds an\n"
		"image ready to activate (PENDING). With --json, an array of objects\n"
		"whose keys are the sysfs attribute names, plus \"name\".",
	.min_args = 0,
	.max_args = 0,
	.run = fwactctl_list_run,
};

/* Print one attribute of "show"; reports and remembers a failed read. */
static void fwactctl_show_attr(const struct fwactctl_ctx *ctx,
			       struct fwactctl_json *j, const char *comp,
			       const char *sub, const char *name,
			       enum fwactctl_type type, int *status)
{
	char attr[FWACTCTL_ATTR_MAX], buf[FWACTCTL_ATTR_MAX];
	int ret;

	snprintf(attr, sizeof(attr), "%s%s%s", sub ? sub : "", sub ? "/" : "",
		 name);
	ret = fwactctl_attr_read(ctx, comp, attr, buf, sizeof(buf));
	if (ret) {
		ret = fwactctl_error(-ret, "show %s: %s", comp, attr);
		if (!*status)
			*status = ret;
		return;
	}
	if (j)
		fwactctl_json_typed(j, name, buf, type);
	else
		printf("%-32s %s\n", attr, fwactctl_text_clean(buf, false));
}

/*
 * Print the readable files of the component directory (@sub NULL) or of one
 * of its subdirectories: first those @table knows, in its order, then the
 * others by name.
 */
static void fwactctl_show_files(const struct fwactctl_ctx *ctx,
				struct fwactctl_json *j, const char *comp,
				const char *sub,
				const struct fwactctl_attr *table,
				char **names, int nr, int *status)
{
	const struct fwactctl_attr *a;
	int i;

	for (a = table; a && a->name; a++)
		for (i = 0; i < nr; i++)
			if (names[i] && !strcmp(names[i], a->name)) {
				fwactctl_show_attr(ctx, j, comp, sub, a->name,
						   a->type, status);
				free(names[i]);
				names[i] = NULL;
			}
	for (i = 0; i < nr; i++)
		if (names[i])
			fwactctl_show_attr(ctx, j, comp, sub, names[i],
					   FWACTCTL_STR, status);
}

static int fwactctl_show_dir(const struct fwactctl_ctx *ctx,
			     struct fwactctl_json *j, const char *comp,
			     const char *sub, int *status)
{
	const struct fwactctl_attr *table = fwactctl_comp_attrs;
	char path[FWACTCTL_ATTR_MAX];
	char **names, **dirs = NULL;
	int nr, nr_dirs = 0, i, ret;

	if (sub)
		table = strcmp(sub, "last_activation") ? NULL :
			fwactctl_last_attrs;
	ret = fwactctl_path(ctx, path, sizeof(path), comp, sub);
	if (ret)
		return ret;
	ret = fwactctl_dir_list(path, FWACTCTL_LIST_READABLE, &names, &nr);
	if (ret)
		return ret;
	/* One level of subdirectories: last_activation/ and any later one. */
	if (!sub) {
		ret = fwactctl_dir_list(path, FWACTCTL_LIST_DIRS, &dirs,
					&nr_dirs);
		if (ret)
			goto free_names;
	}
	fwactctl_show_files(ctx, j, comp, sub, table, names, nr, status);
	for (i = 0; i < nr_dirs; i++) {
		if (j)
			fwactctl_json_object_begin(j, dirs[i]);
		ret = fwactctl_show_dir(ctx, j, comp, dirs[i], status);
		if (j)
			fwactctl_json_object_end(j);
		if (ret)
			break;
	}
	fwactctl_names_free(dirs, nr_dirs);
free_names:
	fwactctl_names_free(names, nr);
	return ret;
}

static int fwactctl_show_run(struct fwactctl_ctx *ctx, int argc, char **argv)
{
	const char *comp = argv[0];
	struct fwactctl_json j;
	int ret, status = 0;

	(void)argc;
	ret = fwactctl_component_check(ctx, comp);
	if (ret)
		return fwactctl_error(-ret, "show %s", comp);
	if (ctx->json) {
		fwactctl_json_init(&j, stdout);
		fwactctl_json_object_begin(&j, NULL);
	}
	ret = fwactctl_show_dir(ctx, ctx->json ? &j : NULL, comp, NULL,
				&status);
	if (ctx->json)
		fwactctl_json_object_end(&j);
	if (ret)
		return fwactctl_error(-ret, "show %s", comp);
	return status;
}

const struct fwactctl_cmd fwactctl_cmd_show = {
	.name = "show",
	.args = "COMPONENT",
	.summary = "print every attribute of a component",
	.help = "Prints every readable attribute of COMPONENT, then those of its\n"
		"last_activation/ directory (the measurements of its last activation)\n"
		"as \"last_activation/NAME\". With --json, one object keyed by attribute\n"
		"name with last_activation as a nested object; 0/1 flags are booleans,\n"
		"counts and errnos are numbers, versions are strings.",
	.min_args = 1,
	.max_args = 1,
	.run = fwactctl_show_run,
};
