/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the microcode selftests share: the component's sysfs paths and the
 * shapes of fwact_util.h's file helpers these tests are written with
 * (a string to write, the length read, a number or -1000000).
 */
#ifndef _UCODE_SYSFS_H
#define _UCODE_SYSFS_H

#include <linux/types.h>
#include <stdarg.h>

#include "../fwact/fwact_util.h"

#define COMP_NAME	"cpu-microcode"
#define COMP		FWACT_SYSFS "/" COMP_NAME
#define EMU		"/sys/kernel/debug/fwact_ucode_emu"
#define PARAM		"/sys/module/fwact_microcode/parameters"

static inline int file_write(const char *path, const char *val)
{
	return fwact_path_write(path, val, strlen(val));
}

static inline int file_writef(const char *path, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return file_write(path, buf);
}

/* A small file without its trailing newline; its length, or -errno. */
static inline int file_read(const char *path, char *buf, size_t size)
{
	int ret = fwact_path_read(path, buf, size);

	return ret ? ret : (int)strlen(buf);
}

static inline long file_read_long(const char *path)
{
	char buf[64];

	if (fwact_path_read(path, buf, sizeof(buf)))
		return -1000000;
	return strtol(buf, NULL, 0);
}

static inline int image_stage(const void *data, size_t len)
{
	int ret = fwact_image_upload(COMP_NAME, data, len, 4096);

	return ret ? ret : file_write(COMP "/stage", "1");
}

#endif /* _UCODE_SYSFS_H */
