/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Builds PFRU capsules for the tests (the KUnit suite beside it, the
 * selftests, the host tests) and the demo; it compiles in the kernel and
 * in user space, and nothing but tests includes it: an EFI capsule holding
 * an FMP capsule with optional embedded drivers and one FMP image (header
 * version 1, 2 or 3) whose authentication header carries the test
 * signature the emulated firmware (tools/testing/selftests/pfru/acpi/
 * pfru-emu.asl) checks: a
 * WIN_CERTIFICATE_UEFI_GUID of type PKCS7 with data "FWACTSIG" followed by
 * the 32-bit sum of the payload header and payload taken as little-endian
 * 32-bit words, the last one zero-padded (words, not bytes: AML sums a word
 * in the time it takes to sum a byte). The offsets of the pieces are
 * exported so tests can corrupt each one.
 */
#ifndef PFRU_CAPSULE_BUILD_H
#define PFRU_CAPSULE_BUILD_H

#include <linux/types.h>
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

#define PFRU_CAP_CODE		0
#define PFRU_CAP_DRIVER		1

/* The emulator's fault injection: hw_ver 0xFA17xxss fails with status ss. */
#define PFRU_FAULT_STAGE(st)	(0xFA170000u | (st))
#define PFRU_FAULT_ACTIVATE(st)	(0xFA170100u | (st))

struct pfru_cap_params {
	int type;		/* PFRU_CAP_CODE or PFRU_CAP_DRIVER */
	unsigned int img_ver;	/* FMP image header version: 1, 2 or 3 */
	__u32 rt_ver;
	__u32 svn;
	__u32 hw_ver;
	unsigned int nr_drv;	/* embedded drivers before the payload */
	unsigned int payload_len;
	__u8 seed;		/* payload bytes are seed + i */
	int no_svn;		/* 36-byte payload header without the SVN */
};

/* Where each piece of a built capsule is. */
struct pfru_cap_layout {
	size_t fmp, list, img, auth, cert_data, payload, end;
};

/* Little-endian stores, a byte at a time: @p need not be aligned. */
static inline void pfru_cap_put32(__u8 *p, __u32 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static inline void pfru_cap_put16(__u8 *p, __u16 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
}

static inline void pfru_cap_guid(__u8 *p, __u32 a, __u16 b,
				 __u16 c, const __u8 d[8])
{
	pfru_cap_put32(p, a);
	pfru_cap_put16(p + 4, b);
	pfru_cap_put16(p + 6, c);
	memcpy(p + 8, d, 8);
}

static inline void pfru_cap_put64(__u8 *p, __u64 v)
{
	pfru_cap_put32(p, v & 0xffffffff);
	pfru_cap_put32(p + 4, v >> 32);
}

static inline __u32 pfru_cap_get32(const __u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (__u32)p[3] << 24;
}

static const __u8 pfru_guid_fmp_d[8] = { 0xbd, 0xa1, 0x71, 0x94, 0x19, 0x9a, 0xd9, 0x2a };
static const __u8 pfru_guid_code_d[8] = { 0x88, 0x5f, 0x3f, 0xb9, 0xbb, 0x18, 0x54, 0x02 };
static const __u8 pfru_guid_drv_d[8] = { 0xa3, 0xd6, 0x24, 0xde, 0x80, 0x97, 0xa0, 0xdf };
static const __u8 pfru_guid_pkcs7_d[8] = { 0x8a, 0xa9, 0x34, 0x7d, 0x37, 0x56, 0x65, 0xa7 };
static const __u8 pfru_guid_plat_d[8] = { 0x9d, 0x4e, 0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f };

/* Recompute the test signature after a test changed the payload. */
static inline void pfru_cap_sign(__u8 *buf, const struct pfru_cap_layout *l)
{
	__u32 sum = 0;
	size_t i;

	for (i = l->payload; i < l->end; i++)
		sum += (__u32)buf[i] << 8 * ((i - l->payload) % 4);
	pfru_cap_put32(buf + l->cert_data + 8, sum);
}

/* Build a capsule into @buf (at least 4096 bytes); returns its size. */
static inline size_t pfru_cap_build(__u8 *buf,
				    const struct pfru_cap_params *p,
				    struct pfru_cap_layout *l)
{
	static const unsigned int img_size[] = { 0, 32, 40, 48 };
	unsigned int nr = p->nr_drv + 1, i;
	size_t hsz = p->no_svn ? 36 : 40, size, drv;
	__u32 image_size;

	memset(buf, 0, 4096);
	l->fmp = 28;
	l->list = l->fmp + 8;
	l->img = l->list + 8 * nr;
	l->auth = l->img + img_size[p->img_ver];
	l->cert_data = l->auth + 32;
	l->payload = l->cert_data + 12;
	l->end = l->payload + hsz + p->payload_len;
	image_size = l->end - l->auth;
	drv = l->end;
	size = drv + 16 * p->nr_drv;

	/* EFI capsule header. */
	pfru_cap_guid(buf, 0x6dcbd5ed, 0xe82d, 0x4c44, pfru_guid_fmp_d);
	pfru_cap_put32(buf + 16, 28);
	pfru_cap_put32(buf + 20, 0x50000);
	pfru_cap_put32(buf + 24, size);
	/* FMP capsule header: embedded drivers after the image. */
	pfru_cap_put32(buf + l->fmp, 1);
	pfru_cap_put16(buf + l->fmp + 4, p->nr_drv);
	pfru_cap_put16(buf + l->fmp + 6, 1);
	for (i = 0; i < p->nr_drv; i++) {
		pfru_cap_put64(buf + l->list + 8 * i, drv + 16 * i - l->fmp);
		memset(buf + drv + 16 * i, 0xd0 + i, 16);
	}
	pfru_cap_put64(buf + l->list + 8 * p->nr_drv, l->img - l->fmp);
	/* FMP image header. */
	pfru_cap_put32(buf + l->img, p->img_ver);
	if (p->type == PFRU_CAP_CODE)
		pfru_cap_guid(buf + l->img + 4, 0xb2f84b79, 0x7b6e, 0x4e45,
			      pfru_guid_code_d);
	else
		pfru_cap_guid(buf + l->img + 4, 0x4569dd8c, 0x75f1, 0x429a,
			      pfru_guid_drv_d);
	buf[l->img + 20] = 1;
	pfru_cap_put32(buf + l->img + 24, image_size);
	/* Authentication: monotonic count, WIN_CERTIFICATE_UEFI_GUID. */
	pfru_cap_put64(buf + l->auth, 1);
	pfru_cap_put32(buf + l->auth + 8, 24 + 12);
	pfru_cap_put16(buf + l->auth + 12, 0x0200);
	pfru_cap_put16(buf + l->auth + 14, 0x0ef1);
	pfru_cap_guid(buf + l->auth + 16, 0x4aafd29d, 0x68df, 0x49ee,
		      pfru_guid_pkcs7_d);
	memcpy(buf + l->cert_data, "FWACTSIG", 8);
	/* PFRU payload header and payload. */
	pfru_cap_put32(buf + l->payload, 0x31494353);
	pfru_cap_put32(buf + l->payload + 4, 1);
	pfru_cap_put32(buf + l->payload + 8, hsz);
	pfru_cap_put32(buf + l->payload + 12, p->hw_ver);
	pfru_cap_put32(buf + l->payload + 16, p->rt_ver);
	pfru_cap_guid(buf + l->payload + 20, 0x8b0d7c2a, 0x4c8e, 0x4f3b,
		      pfru_guid_plat_d);
	if (!p->no_svn)
		pfru_cap_put32(buf + l->payload + 36, p->svn);
	for (i = 0; i < p->payload_len; i++)
		buf[l->payload + hsz + i] = p->seed + i;
	pfru_cap_sign(buf, l);
	return size;
}

#endif /* PFRU_CAPSULE_BUILD_H */
