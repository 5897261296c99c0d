/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types and helpers the image parsers of the backends
 * (microcode/ucode_parse.c, tdx/tdx_image.c) use, so that the same files
 * build in the kernel and in user space (the fwactctl ucode-info and
 * tdx-info commands, the host tests and the libFuzzer harnesses). In the
 * kernel this only pulls in the real headers; in user space it supplies
 * equivalents with the same names and semantics.
 */
#ifndef _FWACT_PARSE_COMPAT_H
#define _FWACT_PARSE_COMPAT_H

#ifdef __KERNEL__

#include <linux/errno.h>
#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/unaligned.h>

#else /* !__KERNEL__ */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#ifndef BIT
#define BIT(n)		(1UL << (n))
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* Byte-wise, so that it is correct for any alignment and host order. */
static inline u32 get_unaligned_le32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 |
	       (u32)b[3] << 24;
}

static inline u16 get_unaligned_le16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] | b[1] << 8);
}

static inline u64 get_unaligned_le64(const void *p)
{
	return (u64)get_unaligned_le32(p) |
	       (u64)get_unaligned_le32((const u8 *)p + 4) << 32;
}

static inline void put_unaligned_le32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = (u8)v;
	b[1] = (u8)(v >> 8);
	b[2] = (u8)(v >> 16);
	b[3] = (u8)(v >> 24);
}

static inline void put_unaligned_le64(u64 v, void *p)
{
	put_unaligned_le32((u32)v, p);
	put_unaligned_le32((u32)(v >> 32), (u8 *)p + 4);
}

/* The first byte of @p[0..@n) that is not @c, or NULL. */
static inline void *memchr_inv(const void *p, int c, size_t n)
{
	const u8 *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != (u8)c)
			return (void *)(b + i);
	return NULL;
}

#endif /* __KERNEL__ */

#endif /* _FWACT_PARSE_COMPAT_H */
