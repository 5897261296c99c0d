// SPDX-License-Identifier: GPL-2.0
/*
 * How fwactctl reports a failure: one line on stderr naming the command, the
 * object and the kernel's errno both as text and as its symbolic name
 * ("fwactctl: activate test-one: Device or resource busy (EBUSY)"), and an
 * exit status equal to that errno so scripts can test for it. The symbolic
 * names come from a table of our own rather than a libc extension, so the
 * tool builds the same against glibc and musl.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fwactctl.h"

/* Kernel-internal "not supported" that some drivers let reach user space. */
#define FWACTCTL_ENOTSUPP	524

struct fwactctl_errno {
	int err;
	const char *name;
};

#define FWACTCTL_ERRNO(e) { e, #e }

/*
 * The errnos the fwact ABI documents, then those the VFS, sysfs,
 * request_firmware() and signature checks can return on the same paths.
 */
static const struct fwactctl_errno fwactctl_errnos[] = {
	FWACTCTL_ERRNO(EPERM),
	FWACTCTL_ERRNO(ENOENT),
	FWACTCTL_ERRNO(EBUSY),
	FWACTCTL_ERRNO(EINVAL),
	FWACTCTL_ERRNO(EFBIG),
	FWACTCTL_ERRNO(ENODATA),
	FWACTCTL_ERRNO(EOPNOTSUPP),
	FWACTCTL_ERRNO(ETIMEDOUT),
	FWACTCTL_ERRNO(ECANCELED),
	FWACTCTL_ERRNO(EBADMSG),
	FWACTCTL_ERRNO(ESRCH),
	FWACTCTL_ERRNO(EINTR),
	FWACTCTL_ERRNO(EIO),
	FWACTCTL_ERRNO(ENXIO),
	FWACTCTL_ERRNO(E2BIG),
	FWACTCTL_ERRNO(EBADF),
	FWACTCTL_ERRNO(EAGAIN),
	FWACTCTL_ERRNO(ENOMEM),
	FWACTCTL_ERRNO(EACCES),
	FWACTCTL_ERRNO(EFAULT),
	FWACTCTL_ERRNO(EEXIST),
	FWACTCTL_ERRNO(ENODEV),
	FWACTCTL_ERRNO(ENOTDIR),
	FWACTCTL_ERRNO(EISDIR),
	FWACTCTL_ERRNO(ENFILE),
	FWACTCTL_ERRNO(EMFILE),
	FWACTCTL_ERRNO(ENOSPC),
	FWACTCTL_ERRNO(EROFS),
	FWACTCTL_ERRNO(ERANGE),
	FWACTCTL_ERRNO(ENAMETOOLONG),
	FWACTCTL_ERRNO(ELOOP),
	FWACTCTL_ERRNO(ETIME),
	FWACTCTL_ERRNO(EPROTO),
	FWACTCTL_ERRNO(EOVERFLOW),
	FWACTCTL_ERRNO(EILSEQ),
	FWACTCTL_ERRNO(EALREADY),
	FWACTCTL_ERRNO(EINPROGRESS),
	FWACTCTL_ERRNO(ENOKEY),
	FWACTCTL_ERRNO(EKEYEXPIRED),
	FWACTCTL_ERRNO(EKEYREVOKED),
	FWACTCTL_ERRNO(EKEYREJECTED),
	{ FWACTCTL_ENOTSUPP, "ENOTSUPP" },
};

/**
 * fwactctl_errno_name() - symbolic name of an errno
 * @err: positive errno
 *
 * Return: "EBUSY" style name, or NULL if @err is not in the table.
 */
const char *fwactctl_errno_name(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fwactctl_errnos); i++)
		if (fwactctl_errnos[i].err == err)
			return fwactctl_errnos[i].name;
	return NULL;
}

/**
 * fwactctl_exit_code() - exit status for a failure with errno @err
 * @err: positive errno
 *
 * Return: @err itself when it fits an exit status, 255 for the
 * kernel-internal errnos above that, so no failure ever exits 0.
 */
int fwactctl_exit_code(int err)
{
	if (err <= 0)
		return 255;
	return err < 255 ? err : 255;
}

/**
 * fwactctl_error() - report a failed operation
 * @err: positive errno of the failure
 * @fmt: what failed (command and object), printf style
 *
 * Return: the exit status for @err.
 */
int fwactctl_error(int err, const char *fmt, ...)
{
	const char *name = fwactctl_errno_name(err);
	va_list ap;

	fputs("fwactctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (name)
		fprintf(stderr, ": %s (%s)\n", strerror(err), name);
	else
		fprintf(stderr, ": %s (errno %d)\n", strerror(err), err);
	return fwactctl_exit_code(err);
}

/**
 * fwactctl_usage_error() - report a command-line error
 * @ctx: the run, to name the command in the hint
 * @fmt: what is wrong, printf style
 *
 * Return: %FWACTCTL_EXIT_USAGE.
 */
int fwactctl_usage_error(const struct fwactctl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fputs("fwactctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (ctx && ctx->cmd)
		fprintf(stderr, "\nTry 'fwactctl %s --help'.\n", ctx->cmd);
	else
		fputs("\nTry 'fwactctl --help'.\n", stderr);
	return FWACTCTL_EXIT_USAGE;
}
