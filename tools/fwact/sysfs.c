// SPDX-License-Identifier: GPL-2.0
/*
 * Access to the fwact sysfs directory (/sys/firmware/fwact, or --root for a
 * fake tree in tests): finding components, reading a text attribute whole,
 * and writing an attribute with a loop that carries on after the short
 * writes sysfs makes (it hands a binary attribute at most a page per call).
 * Every function returns 0 or a negative errno and prints nothing, so the
 * caller decides how to name the failure.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fwactctl.h"

/**
 * fwactctl_path() - build "<root>/<comp>/<attr>"
 * @ctx: the run
 * @buf: where to put the path
 * @size: size of @buf
 * @comp: component, or NULL for a file at the root (e.g. journal)
 * @attr: attribute, may contain a subdirectory ("last_activation/cpus")
 *
 * Return: 0, or -ENAMETOOLONG if the path does not fit.
 */
int fwactctl_path(const struct fwactctl_ctx *ctx, char *buf, size_t size,
		  const char *comp, const char *attr)
{
	int n;

	if (comp && attr)
		n = snprintf(buf, size, "%s/%s/%s", ctx->root, comp, attr);
	else if (comp || attr)
		n = snprintf(buf, size, "%s/%s", ctx->root, comp ? comp : attr);
	else
		n = snprintf(buf, size, "%s", ctx->root);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

/**
 * fwactctl_component_check() - check that @comp names a component
 * @ctx: the run
 * @comp: name from the command line
 *
 * A name that could leave the fwact directory is refused before any path
 * is built from it.
 *
 * Return: 0, -EINVAL for such a name, -ENOENT if there is no component
 * directory of that name, or another negative errno from lstat().
 */
int fwactctl_component_check(const struct fwactctl_ctx *ctx, const char *comp)
{
	char path[FWACTCTL_ATTR_MAX];
	struct stat st;
	int ret;

	if (!*comp || strchr(comp, '/') || !strcmp(comp, ".") ||
	    !strcmp(comp, ".."))
		return -EINVAL;
	ret = fwactctl_path(ctx, path, sizeof(path), comp, NULL);
	if (ret)
		return ret;
	if (lstat(path, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOENT;
	return 0;
}

static int fwactctl_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

static int fwactctl_names_add(char ***names, int *nr, const char *name)
{
	char **grown;
	char *copy;

	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	grown = realloc(*names, (*nr + 1) * sizeof(**names));
	if (!grown) {
		free(copy);
		return -ENOMEM;
	}
	grown[(*nr)++] = copy;
	*names = grown;
	return 0;
}

static bool fwactctl_dir_entry_wanted(int dfd, const char *name,
				      unsigned int kinds)
{
	struct stat st;

	if (name[0] == '.' ||
	    fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return false;
	if (S_ISDIR(st.st_mode))
		return kinds & FWACTCTL_LIST_DIRS;
	if (S_ISREG(st.st_mode) && (st.st_mode & 0400))
		return kinds & FWACTCTL_LIST_READABLE;
	return false;
}

/**
 * fwactctl_dir_list() - sorted names of some entries of a directory
 * @path: the directory
 * @kinds: FWACTCTL_LIST_* flags saying which entries to return; symbolic
 *	links and hidden names are never returned
 * @names: set to a malloc()ed array of malloc()ed names
 * @nr: set to the number of names
 *
 * Return: 0 or a negative errno; on failure nothing is left allocated.
 */
int fwactctl_dir_list(const char *path, unsigned int kinds, char ***names,
		      int *nr)
{
	struct dirent *de;
	DIR *dir;
	int ret = 0;

	*names = NULL;
	*nr = 0;
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (!fwactctl_dir_entry_wanted(dirfd(dir), de->d_name, kinds))
			continue;
		ret = fwactctl_names_add(names, nr, de->d_name);
		if (ret)
			goto free_names;
	}
	closedir(dir);
	if (*nr)
		qsort(*names, *nr, sizeof(**names), fwactctl_name_cmp);
	return 0;

free_names:
	fwactctl_names_free(*names, *nr);
	*names = NULL;
	*nr = 0;
	closedir(dir);
	return ret;
}

/**
 * fwactctl_component_list() - names of every component, sorted
 * @ctx: the run
 * @names: set to a malloc()ed array of malloc()ed names
 * @nr: set to the number of names
 *
 * Components are the subdirectories of the root; the files beside them
 * (journal) are not components.
 *
 * Return: 0 or a negative errno; on failure nothing is left allocated.
 */
int fwactctl_component_list(const struct fwactctl_ctx *ctx, char ***names,
			    int *nr)
{
	return fwactctl_dir_list(ctx->root, FWACTCTL_LIST_DIRS, names, nr);
}

/**
 * fwactctl_names_free() - free what fwactctl_dir_list() made
 * @names: the array
 * @nr: its length
 */
void fwactctl_names_free(char **names, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		free(names[i]);
	free(names);
}

/**
 * fwactctl_attr_read() - read a text attribute
 * @ctx: the run
 * @comp: component
 * @attr: attribute name relative to the component directory
 * @buf: receives the value without its trailing newline, NUL terminated
 * @size: size of @buf
 *
 * Return: 0 or a negative errno of open() or read().
 */
int fwactctl_attr_read(const struct fwactctl_ctx *ctx, const char *comp,
		       const char *attr, char *buf, size_t size)
{
	char path[FWACTCTL_ATTR_MAX];
	size_t len = 0;
	ssize_t n;
	int fd, ret;

	ret = fwactctl_path(ctx, path, sizeof(path), comp, attr);
	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return ret;
}

/**
 * fwactctl_fd_write() - write all of @buf to @fd
 * @fd: open file
 * @buf: bytes
 * @len: how many
 *
 * Return: 0 or a negative errno; a write that makes no progress is -EIO
 * rather than an endless loop.
 */
int fwactctl_fd_write(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -EIO;
		p += n;
		len -= n;
	}
	return 0;
}

/**
 * fwactctl_attr_write() - write a value to an attribute in one open
 * @ctx: the run
 * @comp: component
 * @attr: attribute name
 * @buf: value
 * @len: its length
 *
 * Return: 0 or the negative errno of open(), write() or close(); sysfs
 * returns the store method's error from write().
 */
int fwactctl_attr_write(const struct fwactctl_ctx *ctx, const char *comp,
			const char *attr, const void *buf, size_t len)
{
	char path[FWACTCTL_ATTR_MAX];
	int fd, ret;

	ret = fwactctl_path(ctx, path, sizeof(path), comp, attr);
	if (ret)
		return ret;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = fwactctl_fd_write(fd, buf, len);
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/**
 * fwactctl_text_clean() - make a value safe to print as text
 * @s: value read from sysfs, changed in place
 * @keep_newlines: leave '\n' alone (multi-line text such as the journal)
 *
 * Versions come from firmware and may hold any byte; a control character
 * (an escape sequence, a carriage return) printed as is could rewrite the
 * administrator's terminal or break the columns. They become '?'. JSON
 * output escapes them instead and needs no cleaning.
 *
 * Return: @s.
 */
char *fwactctl_text_clean(char *s, bool keep_newlines)
{
	unsigned char *p;

	for (p = (unsigned char *)s; *p; p++)
		if ((*p < 0x20 || *p == 0x7f) && !(keep_newlines && *p == '\n'))
			*p = '?';
	return s;
}

/**
 * fwactctl_file_read() - read a whole file into memory
 * @path: the file
 * @buf: set to a malloc()ed buffer, NUL terminated for text use
 * @len: set to the number of bytes read (without the NUL)
 *
 * Return: 0 or a negative errno; on failure nothing is left allocated.
 */
int fwactctl_file_read(const char *path, char **buf, size_t *len)
{
	size_t cap = 4096, used = 0;
	char *data, *grown;
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	data = malloc(cap);
	if (!data) {
		ret = -ENOMEM;
		goto close_fd;
	}
	for (;;) {
		if (used == cap - 1) {
			grown = realloc(data, cap * 2);
			if (!grown) {
				ret = -ENOMEM;
				goto free_data;
			}
			data = grown;
			cap *= 2;
		}
		n = read(fd, data + used, cap - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto free_data;
		}
		if (!n)
			break;
		used += n;
	}
	data[used] = '\0';
	*buf = data;
	*len = used;
	close(fd);
	return 0;

free_data:
	free(data);
close_fd:
	close(fd);
	return ret;
}
