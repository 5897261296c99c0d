/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel's headers to compile the PFRU backend's capsule
 * validation (drivers/firmware/fwact/pfru/pfru_capsule.c) unchanged in user
 * space, so it can be run under AddressSanitizer, UBSan and libFuzzer on
 * the host. The kernel headers pfru_capsule.c and pfru.h include are shimmed
 * in linux/ and asm/ here, and all include this one.
 */
#ifndef PFRU_HOST_KCOMPAT_H
#define PFRU_HOST_KCOMPAT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/types.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the host build of pfru_capsule.c assumes a little-endian host"
#endif

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The kernel's mixed-endian GUID layout, on a little-endian host. */
struct kcompat_guid {
	__u32 a;
	__u16 b;
	__u16 c;
	__u8 d[8];
};

#define guid_t struct kcompat_guid

#define GUID_INIT(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7)		\
	((guid_t){ (a), (b), (c), { (d0), (d1), (d2), (d3),		\
				    (d4), (d5), (d6), (d7) } })

static inline bool guid_equal(const guid_t *a, const guid_t *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static inline u16 get_unaligned_le16(const void *p)
{
	const u8 *b = p;

	return b[0] | b[1] << 8;
}

static inline u32 get_unaligned_le32(const void *p)
{
	const u8 *b = p;

	return b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24;
}

static inline u64 get_unaligned_le64(const void *p)
{
	return get_unaligned_le32(p) |
	       (u64)get_unaligned_le32((const u8 *)p + 4) << 32;
}

struct device {
	int quiet;
};

/* Count the log lines: every rejection must print exactly one. */
extern unsigned int kcompat_log_lines;

#define dev_warn(dev, fmt, ...)						\
do {									\
	kcompat_log_lines++;						\
	if (!(dev)->quiet)						\
		fprintf(stderr, "dev_warn: " fmt, ##__VA_ARGS__);	\
} while (0)

/* Not rate-limited here, so that every line is counted. */
#define dev_warn_ratelimited(dev, fmt, ...) dev_warn(dev, fmt, ##__VA_ARGS__)

/* <kunit/visibility.h>: nothing is exported in a host build. */
#define EXPORT_SYMBOL_IF_KUNIT(symbol)

#define acpi_handle void *
union acpi_object;

#endif /* PFRU_HOST_KCOMPAT_H */
