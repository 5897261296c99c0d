// SPDX-License-Identifier: GPL-2.0
/*
 * The commands that change a component: "stage" uploads an image (or names
 * one in /lib/firmware) and stages it, "activate" runs an activation and
 * prints what the core measured, "cancel" drops what was staged. Each
 * failed write is reported with the errno the kernel returned, which also
 * becomes the exit status.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fwactctl.h"
#include "fwactctl-attrs.h"

/* Bytes handed to one write() of the image; sysfs takes a page at a time. */
#define FWACTCTL_CHUNK	65536

/* Index of --firmware in fwactctl_stage_opts. */
#define FWACTCTL_STAGE_FIRMWARE	0

/* Print the state a command left the component in, and a few attributes. */
static void fwactctl_state_print(const struct fwactctl_ctx *ctx,
				 struct fwactctl_json *j, const char *comp,
				 const char *const *attrs)
{
	char buf[FWACTCTL_ATTR_MAX];

	for (; *attrs; attrs++) {
		/* The write succeeded; a failed read only shortens the report. */
		if (fwactctl_attr_read(ctx, comp, *attrs, buf, sizeof(buf)))
			continue;
		if (j)
			fwactctl_json_string(j, *attrs, buf);
		else
			printf(", %s %s", *attrs,
			       fwactctl_text_clean(buf, false));
	}
}

/*
 * Copy @fd to the component's image attribute. The image is opened only
 * once the first bytes are in hand: an empty FILE must not start a new
 * (empty) upload that would leave the previous one half replaced.
 */
static int fwactctl_image_upload(const struct fwactctl_ctx *ctx,
				 const char *comp, const char *file, int fd,
				 size_t *total)
{
	char path[FWACTCTL_ATTR_MAX];
	int img = -1, ret = 0;
	ssize_t n;
	char *buf;

	*total = 0;
	ret = fwactctl_path(ctx, path, sizeof(path), comp, "image");
	if (ret)
		return fwactctl_error(-ret, "stage %s: image", comp);
	buf = malloc(FWACTCTL_CHUNK);
	if (!buf)
		return fwactctl_error(ENOMEM, "stage %s", comp);
	for (;;) {
		n = read(fd, buf, FWACTCTL_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = fwactctl_error(errno, "stage %s: %s", comp, file);
			break;
		}
		if (!n)
			break;
		if (img < 0) {
			img = open(path, O_WRONLY | O_CLOEXEC);
			if (img < 0) {
				ret = fwactctl_error(errno, "stage %s: image",
						     comp);
				break;
			}
		}
		ret = fwactctl_fd_write(img, buf, n);
		if (ret) {
			ret = fwactctl_error(-ret, "stage %s: image", comp);
			break;
		}
		*total += n;
	}
	if (img >= 0 && close(img) && !ret)
		ret = fwactctl_error(errno, "stage %s: image", comp);
	if (!ret && !*total)
		ret = fwactctl_error(ENODATA, "stage %s: %s: empty image",
				     comp, file);
	free(buf);
	return ret;
}

static int fwactctl_stage_file(const struct fwactctl_ctx *ctx,
			       const char *comp, const char *file,
			       size_t *total)
{
	int fd, ret;

	if (!strcmp(file, "-")) {
		fd = STDIN_FILENO;
	} else {
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return fwactctl_error(errno, "stage %s: %s", comp, file);
	}
	ret = fwactctl_image_upload(ctx, comp, file, fd, total);
	if (fd != STDIN_FILENO)
		close(fd);
	if (ret)
		return ret;
	ret = fwactctl_attr_write(ctx, comp, "stage", "1", 1);
	if (ret)
		return fwactctl_error(-ret, "stage %s", comp);
	return 0;
}

static int fwactctl_stage_run(struct fwactctl_ctx *ctx, int argc, char **argv)
{
	static const char *const report[] = {
		"state", "pending_version", NULL
	};
	const char *fw = ctx->opt[FWACTCTL_STAGE_FIRMWARE];
	const char *comp = argv[0];
	struct fwactctl_json j;
	size_t total = 0;
	int ret;

	if (fw && argc != 1)
		return fwactctl_usage_error(ctx, "stage: give FILE or --firmware NAME, not both");
	if (!fw && argc != 2)
		return fwactctl_usage_error(ctx, "stage: missing FILE");
	/* A zero-length write would not reach the kernel at all. */
	if (fw && !*fw)
		return fwactctl_usage_error(ctx, "stage: empty firmware name");
	ret = fwactctl_component_check(ctx, comp);
	if (ret)
		return fwactctl_error(-ret, "stage %s", comp);
	if (fw) {
		ret = fwactctl_attr_write(ctx, comp, "stage_firmware", fw,
					  strlen(fw));
		if (ret)
			return fwactctl_error(-ret, "stage %s: firmware '%s'",
					      comp, fw);
	} else {
		ret = fwactctl_stage_file(ctx, comp, argv[1], &total);
		if (ret)
			return ret;
	}

	if (ctx->json) {
		fwactctl_json_init(&j, stdout);
		fwactctl_json_object_begin(&j, NULL);
		fwactctl_json_string(&j, "component", comp);
		if (fw) {
			fwactctl_json_string(&j, "firmware", fw);
		} else {
			fwactctl_json_string(&j, "file", argv[1]);
			fwactctl_json_int(&j, "bytes", total);
		}
		fwactctl_state_print(ctx, &j, comp, report);
		fwactctl_json_object_end(&j);
	} else {
		if (fw)
			printf("%s: staged firmware '%s'", comp, fw);
		else
			printf("%s: staged %zu bytes from %s", comp, total,
			       argv[1]);
		fwactctl_state_print(ctx, NULL, comp, report);
		putchar('\n');
	}
	return 0;
}

static const struct fwactctl_opt fwactctl_stage_opts[] = {
	[FWACTCTL_STAGE_FIRMWARE] = {
		"firmware", "NAME",
		"stage /lib/firmware/NAME (loaded by the kernel) instead of FILE"
	},
	{ }
};

const struct fwactctl_cmd fwactctl_cmd_stage = {
	.name = "stage",
	.args = "COMPONENT FILE | COMPONENT --firmware NAME",
	.summary = "upload an image and stage it for activation",
	.help = "Writes the bytes of FILE (\"-\" for standard input) to the image\n"
		"attribute of COMPONENT, starting a new upload, then writes 1 to stage\n"
		"so that the backend validates the image and hands it to the firmware.\n"
		"With --firmware, writes NAME to stage_firmware instead and the kernel\n"
		"loads the image itself. Nothing is activated yet.",
	.opts = fwactctl_stage_opts,
	.min_args = 1,
	.max_args = 2,
	.run = fwactctl_stage_run,
};

/* The measurements "activate" prints as text, with their labels. */
static const struct {
	const char *attr;
	const char *label;
} fwactctl_times[] = {
	{ "blackout_ns", "blackout" },
	{ "arrival_skew_ns", "arrival skew" },
	{ "irqoff_max_ns", "irq-off max" },
	{ "irqoff_mean_ns", "irq-off mean" },
	{ "action_ns", "action time" },
	{ "fw_auth_ns", "fw auth time" },
	{ "fw_exec_ns", "fw exec time" },
};

/* Read last_activation/@name; "?" if it cannot be read. */
static const char *fwactctl_last_read(const struct fwactctl_ctx *ctx,
				      const char *comp, const char *name,
				      char *buf, size_t size)
{
	char attr[64];

	snprintf(attr, sizeof(attr), "last_activation/%s", name);
	if (fwactctl_attr_read(ctx, comp, attr, buf, size))
		snprintf(buf, size, "?");
	return fwactctl_text_clean(buf, false);
}

static void fwactctl_ns_print(const char *label, const char *val)
{
	long long ns;

	if (fwactctl_parse_ll(val, &ns) && ns >= 0)
		printf("  %-14s %lld.%03lld us\n", label, ns / 1000, ns % 1000);
	else
		printf("  %-14s %s\n", label, val);
}

static void fwactctl_activation_text(const struct fwactctl_ctx *ctx,
				     const char *comp)
{
	char res[64], from[FWACTCTL_ATTR_MAX], to[FWACTCTL_ATTR_MAX];
	char buf[FWACTCTL_ATTR_MAX];
	long long err;
	size_t i;

	fwactctl_last_read(ctx, comp, "result", res, sizeof(res));
	fwactctl_last_read(ctx, comp, "version_before", from, sizeof(from));
	fwactctl_last_read(ctx, comp, "version_after", to, sizeof(to));
	if (!strcmp(res, "0")) {
		printf("%s: activated, version %s -> %s\n", comp, from, to);
	} else {
		printf("%s: activation failed", comp);
		if (fwactctl_parse_ll(res, &err) && err < 0 &&
		    fwactctl_errno_name(-err))
			printf(" (%s)", fwactctl_errno_name(-err));
		printf(", result %s, version %s -> %s\n", res, from, to);
		printf("  %-14s %s\n", "failed step",
		       fwactctl_last_read(ctx, comp, "failed_step", buf,
					  sizeof(buf)));
		printf("  %-14s %s\n", "failed cpu",
		       fwactctl_last_read(ctx, comp, "failed_cpu", buf,
					  sizeof(buf)));
	}
	printf("  %-14s %s\n", "mode",
	       fwactctl_last_read(ctx, comp, "mode", buf, sizeof(buf)));
	printf("  %-14s %s\n", "cpus",
	       fwactctl_last_read(ctx, comp, "cpus", buf, sizeof(buf)));
	for (i = 0; i < ARRAY_SIZE(fwactctl_times); i++)
		fwactctl_ns_print(fwactctl_times[i].label,
				  fwactctl_last_read(ctx, comp,
						     fwactctl_times[i].attr,
						     buf, sizeof(buf)));
}

static void fwactctl_activation_json(const struct fwactctl_ctx *ctx,
				     const char *comp)
{
	const struct fwactctl_attr *a;
	char attr[64], buf[FWACTCTL_ATTR_MAX];
	struct fwactctl_json j;

	fwactctl_json_init(&j, stdout);
	fwactctl_json_object_begin(&j, NULL);
	fwactctl_json_string(&j, "component", comp);
	for (a = fwactctl_last_attrs; a->name; a++) {
		snprintf(attr, sizeof(attr), "last_activation/%s", a->name);
		if (!fwactctl_attr_read(ctx, comp, attr, buf, sizeof(buf)))
			fwactctl_json_typed(&j, a->name, buf, a->type);
	}
	fwactctl_json_object_end(&j);
}

/* last_activation/count, or -1 if it cannot be read. */
static long long fwactctl_activation_count(const struct fwactctl_ctx *ctx,
					   const char *comp)
{
	char buf[64];
	long long n;

	if (fwactctl_attr_read(ctx, comp, "last_activation/count", buf,
			       sizeof(buf)) || !fwactctl_parse_ll(buf, &n))
		return -1;
	return n;
}

static int fwactctl_activate_run(struct fwactctl_ctx *ctx, int argc,
				 char **argv)
{
	const char *comp = argv[0];
	long long before, after;
	int ret;

	(void)argc;
	ret = fwactctl_component_check(ctx, comp);
	if (ret)
		return fwactctl_error(-ret, "activate %s", comp);
	before = fwactctl_activation_count(ctx, comp);
	ret = fwactctl_attr_write(ctx, comp, "activate", "1", 1);
	after = fwactctl_activation_count(ctx, comp);
	/*
	 * A refused activation (busy, nothing staged) leaves the previous
	 * measurements in place; print them only if this attempt made new ones.
	 */
	if (!ret || (before >= 0 && after > before)) {
		if (ctx->json)
			fwactctl_activation_json(ctx, comp);
		else
			fwactctl_activation_text(ctx, comp);
	}
	if (ret)
		return fwactctl_error(-ret, "activate %s", comp);
	return 0;
}

const struct fwactctl_cmd fwactctl_cmd_activate = {
	.name = "activate",
	.args = "COMPONENT",
	.summary = "activate the staged or pending image and print measurements",
	.help = "Writes 1 to the activate attribute of COMPONENT, which returns when\n"
		"the activation is over, then prints what the core measured\n"
		"(last_activation/): versions before and after, rendezvous mode, CPUs,\n"
		"blackout, arrival skew, longest and mean time with interrupts off,\n"
		"time of the action and the firmware's authentication and execution\n"
		"times. A failed activation that was attempted prints the same, then\n"
		"the error; a refused one prints only the error.",
	.min_args = 1,
	.max_args = 1,
	.run = fwactctl_activate_run,
};

static int fwactctl_cancel_run(struct fwactctl_ctx *ctx, int argc, char **argv)
{
	static const char *const report[] = { "state", NULL };
	const char *comp = argv[0];
	struct fwactctl_json j;
	int ret;

	(void)argc;
	ret = fwactctl_component_check(ctx, comp);
	if (ret)
		return fwactctl_error(-ret, "cancel %s", comp);
	ret = fwactctl_attr_write(ctx, comp, "cancel", "1", 1);
	if (ret)
		return fwactctl_error(-ret, "cancel %s", comp);
	if (ctx->json) {
		fwactctl_json_init(&j, stdout);
		fwactctl_json_object_begin(&j, NULL);
		fwactctl_json_string(&j, "component", comp);
		fwactctl_state_print(ctx, &j, comp, report);
		fwactctl_json_object_end(&j);
	} else {
		printf("%s: cancelled", comp);
		fwactctl_state_print(ctx, NULL, comp, report);
		putchar('\n');
	}
	return 0;
}

const struct fwactctl_cmd fwactctl_cmd_cancel = {
	.name = "cancel",
	.args = "COMPONENT",
	.summary = "drop the staged image (or stop an activation not yet begun)",
	.help = "Writes 1 to the cancel attribute of COMPONENT: a staged image is\n"
		"dropped, and an activation that has not yet stopped the CPUs ends\n"
		"with ECANCELED.",
	.min_args = 1,
	.max_args = 1,
	.run = fwactctl_cancel_run,
};
