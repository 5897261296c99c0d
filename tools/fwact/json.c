// SPDX-License-Identifier: GPL-2.0
/*
 * A streaming JSON writer for --json: objects, arrays, strings, integers and
 * booleans, indented two spaces per level so that the output is also easy
 * to read and to grep. Strings are escaped as RFC 8259 requires, and bytes
 * that are not valid UTF-8 (sysfs and firmware version strings are not
 * guaranteed to be) become U+FFFD, so the output is always valid JSON.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fwactctl.h"

/**
 * fwactctl_json_init() - start a JSON value on @out
 * @j: writer state
 * @out: stream
 */
void fwactctl_json_init(struct fwactctl_json *j, FILE *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

static void fwactctl_json_indent(struct fwactctl_json *j)
{
	int i;

	for (i = 0; i < j->depth; i++)
		fputs("  ", j->out);
}

/* Length of the valid UTF-8 sequence at @s, or 0 if it is not one. */
static size_t fwactctl_utf8_len(const unsigned char *s)
{
	unsigned int cp;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and values past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static void fwactctl_json_quote(struct fwactctl_json *j, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len;

	fputc('"', j->out);
	while (*s) {
		if (*s == '"' || *s == '\\') {
			fprintf(j->out, "\\%c", *s++);
		} else if (*s == '\n') {
			fputs("\\n", j->out);
			s++;
		} else if (*s == '\t') {
			fputs("\\t", j->out);
			s++;
		} else if (*s < 0x20 || *s == 0x7f) {
			fprintf(j->out, "\\u%04x", *s++);
		} else {
			len = fwactctl_utf8_len(s);
			if (len) {
				fwrite(s, 1, len, j->out);
				s += len;
			} else {
				fputs("\\ufffd", j->out);
				s++;
			}
		}
	}
	fputc('"', j->out);
}

/* Separate, indent and name the next member of the open object or array. */
static void fwactctl_json_member(struct fwactctl_json *j, const char *key)
{
	if (j->depth) {
		fputs(j->members[j->depth - 1] ? ",\n" : "\n", j->out);
		j->members[j->depth - 1]++;
		fwactctl_json_indent(j);
	}
	if (key) {
		fwactctl_json_quote(j, key);
		fputs(": ", j->out);
	}
}

static void fwactctl_json_open(struct fwactctl_json *j, const char *key,
			       char bracket)
{
	fwactctl_json_member(j, key);
	fputc(bracket, j->out);
	/* Nesting is fixed by the commands and never deeper than this. */
	if (j->depth < FWACTCTL_JSON_DEPTH)
		j->members[j->depth++] = 0;
}

static void fwactctl_json_close(struct fwactctl_json *j, char bracket)
{
	if (!j->depth)
		return;
	j->depth--;
	if (j->members[j->depth]) {
		fputc('\n', j->out);
		fwactctl_json_indent(j);
	}
	fputc(bracket, j->out);
	if (!j->depth)
		fputc('\n', j->out);
}

/**
 * fwactctl_json_object_begin() - open an object
 * @j: writer state
 * @key: its name in the enclosing object, NULL in an array or at the top
 */
void fwactctl_json_object_begin(struct fwactctl_json *j, const char *key)
{
	fwactctl_json_open(j, key, '{');
}

/**
 * fwactctl_json_object_end() - close the innermost object
 * @j: writer state
 */
void fwactctl_json_object_end(struct fwactctl_json *j)
{
	fwactctl_json_close(j, '}');
}

/**
 * fwactctl_json_array_begin() - open an array
 * @j: writer state
 * @key: its name in the enclosing object, NULL in an array or at the top
 */
void fwactctl_json_array_begin(struct fwactctl_json *j, const char *key)
{
	fwactctl_json_open(j, key, '[');
}

/**
 * fwactctl_json_array_end() - close the innermost array
 * @j: writer state
 */
void fwactctl_json_array_end(struct fwactctl_json *j)
{
	fwactctl_json_close(j, ']');
}

/**
 * fwactctl_json_string() - print a string member
 * @j: writer state
 * @key: member name, NULL in an array
 * @val: the string
 */
void fwactctl_json_string(struct fwactctl_json *j, const char *key,
			  const char *val)
{
	fwactctl_json_member(j, key);
	fwactctl_json_quote(j, val);
}

/**
 * fwactctl_json_int() - print an integer member
 * @j: writer state
 * @key: member name, NULL in an array
 * @val: the number
 */
void fwactctl_json_int(struct fwactctl_json *j, const char *key,
		       long long val)
{
	fwactctl_json_member(j, key);
	fprintf(j->out, "%lld", val);
}

/**
 * fwactctl_json_bool() - print a boolean member
 * @j: writer state
 * @key: member name, NULL in an array
 * @val: the value
 */
void fwactctl_json_bool(struct fwactctl_json *j, const char *key, bool val)
{
	fwactctl_json_member(j, key);
	fputs(val ? "true" : "false", j->out);
}

/**
 * fwactctl_parse_ll() - parse a whole string as a decimal integer
 * @s: text such as a sysfs value ("-22", "1500")
 * @val: set to the number on success
 *
 * Return: true if all of @s is one decimal integer in range.
 */
bool fwactctl_parse_ll(const char *s, long long *val)
{
	char *end;

	if (!*s || (*s != '-' && (*s < '0' || *s > '9')))
		return false;
	errno = 0;
	*val = strtoll(s, &end, 10);
	return !errno && !*end;
}

/**
 * fwactctl_json_typed() - print a sysfs text value as its JSON type
 * @j: writer state
 * @key: member name, NULL in an array
 * @val: the text
 * @type: how to type it
 *
 * Text that does not have the expected form is printed as a string, so
 * nothing the kernel says is lost or misrepresented.
 */
void fwactctl_json_typed(struct fwactctl_json *j, const char *key,
			 const char *val, enum fwactctl_type type)
{
	long long n;

	if (type == FWACTCTL_BOOL && (!strcmp(val, "0") || !strcmp(val, "1")))
		fwactctl_json_bool(j, key, val[0] == '1');
	else if (type == FWACTCTL_INT && fwactctl_parse_ll(val, &n))
		fwactctl_json_int(j, key, n);
	else
		fwactctl_json_string(j, key, val);
}
