/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the microcode selftests share: the component's sysfs paths and
 * small helpers to read and write its files and stage an image.
 */
#ifndef _UCODE_SYSFS_H
#define _UCODE_SYSFS_H

#include <errno.h>
#include <fcntl.h>
#include <linux/types.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COMP		"/sys/firmware/fwact/cpu-microcode"
#define EMU		"/sys/kernel/debug/fwact_ucode_emu"
#define PARAM		"/sys/module/fwact_microcode/parameters"

static inline int file_write(const char *path, const char *val)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
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

/* Read a whole (small) file; trailing newline removed. */
static inline int file_read(const char *path, char *buf, size_t size)
{
	ssize_t n, len = 0;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	if (n < 0)
		return -errno;
	buf[len] = '\0';
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return len;
}

static inline long file_read_long(const char *path)
{
	char buf[64];

	if (file_read(path, buf, sizeof(buf)) < 0)
		return -1000000;
	return strtol(buf, NULL, 0);
}

static inline int image_stage(const void *data, size_t len)
{
	const __u8 *p = data;
	size_t done = 0;
	ssize_t n;
	int fd;

	fd = open(COMP "/image", O_WRONLY);
	if (fd < 0)
		return -errno;
	while (done < len) {
		n = write(fd, p + done, len - done);
		if (n <= 0) {
			n = n < 0 ? -errno : -EIO;
			close(fd);
			return n;
		}
		done += n;
	}
	close(fd);
	return file_write(COMP "/stage", "1");
}

#endif /* _UCODE_SYSFS_H */
