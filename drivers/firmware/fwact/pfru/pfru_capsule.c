// SPDX-License-Identifier: GPL-2.0
/*
 * Validation of PFRU capsules before anything reaches the firmware. A
 * capsule is an EFI capsule holding an FMP capsule whose first payload
 * item is an FMP image (header version 1, 2 or 3) of the code injection or
 * driver update type: an authentication header, the PFRU payload header and
 * the payload. Every offset and length in it comes from user space, so
 * each one is checked against the capsule's bytes before it is followed;
 * then the version rules of the firmware's capability are applied, so that
 * images the firmware would refuse never cost a firmware call.
 */
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/overflow.h>
#include <linux/unaligned.h>
#include <kunit/visibility.h>

#include "pfru.h"

/* EFI_CAPSULE_HEADER: GUID, header size, flags, capsule image size. */
#define PFRU_EFI_HDR_SIZE	28
#define PFRU_EFI_HDR_HSIZE	16
#define PFRU_EFI_HDR_ISIZE	24
/* EFI_FIRMWARE_MANAGEMENT_CAPSULE_HEADER without its offset list. */
#define PFRU_FMP_HDR_SIZE	8
#define PFRU_FMP_VERSION	1
/* EFI_FIRMWARE_MANAGEMENT_CAPSULE_IMAGE_HEADER fields. */
#define PFRU_IMG_TYPE		4
#define PFRU_IMG_SIZE		24
#define PFRU_IMG_VENDOR_SIZE	28
/* EFI_FIRMWARE_IMAGE_AUTHENTICATION: monotonic count + WIN_CERTIFICATE. */
#define PFRU_AUTH_HDR_SIZE	32
#define PFRU_AUTH_CERT_LEN	8
#define PFRU_AUTH_CERT_TYPE	14
#define PFRU_CERT_MIN_LEN	24
#define PFRU_WIN_CERT_TYPE_EFI_GUID	0x0ef1
/* PFRU payload header without and with the SVN field. */
#define PFRU_PAYLOAD_MIN_SIZE	offsetof(struct pfru_payload_hdr, svn_ver)
#define PFRU_PAYLOAD_SVN_SIZE	sizeof(struct pfru_payload_hdr)

static const guid_t pfru_fmp_capsule_guid =
	GUID_INIT(0x6dcbd5ed, 0xe82d, 0x4c44,
		  0xbd, 0xa1, 0x71, 0x94, 0x19, 0x9a, 0xd9, 0x2a);
static const guid_t pfru_code_inj_guid =
	GUID_INIT(0xb2f84b79, 0x7b6e, 0x4e45,
		  0x88, 0x5f, 0x3f, 0xb9, 0xbb, 0x18, 0x54, 0x02);
static const guid_t pfru_drv_update_guid =
	GUID_INIT(0x4569dd8c, 0x75f1, 0x429a,
		  0xa3, 0xd6, 0x24, 0xde, 0x80, 0x97, 0xa0, 0xdf);

/* The bytes being validated; every read goes through the helpers below. */
struct pfru_capsule_walk {
	const u8 *data;
	size_t size;
};

static bool pfru_capsule_fits(const struct pfru_capsule_walk *w, u64 off,
			      u64 len)
{
	return off <= w->size && len <= w->size - off;
}

static u32 pfru_capsule_u32(const struct pfru_capsule_walk *w, u64 off)
{
	return get_unaligned_le32(w->data + off);
}

static u64 pfru_capsule_u64(const struct pfru_capsule_walk *w, u64 off)
{
	return get_unaligned_le64(w->data + off);
}

static const char *pfru_capsule_check_efi(struct pfru_capsule_walk *w,
					  size_t len, u64 *fmp)
{
	u32 hsize, isize;

	if (len < PFRU_EFI_HDR_SIZE)
		return "truncated EFI capsule header";
	if (!guid_equal((const guid_t *)w->data, &pfru_fmp_capsule_guid))
		return "capsule GUID is not the FMP capsule GUID";
	hsize = pfru_capsule_u32(w, PFRU_EFI_HDR_HSIZE);
	isize = pfru_capsule_u32(w, PFRU_EFI_HDR_ISIZE);
	if (isize > len)
		return "truncated: capsule image size exceeds the bytes written";
	if (hsize < PFRU_EFI_HDR_SIZE || hsize > isize)
		return "EFI capsule header size out of range";
	/* From here on nothing may be read beyond the capsule's own size. */
	w->size = isize;
	*fmp = hsize;
	return NULL;
}

static const char *pfru_capsule_check_fmp(const struct pfru_capsule_walk *w,
					  u64 fmp, u64 *img)
{
	u32 nr_drv, nr_payload, i;
	u64 list_len, off;

	if (!pfru_capsule_fits(w, fmp, PFRU_FMP_HDR_SIZE))
		return "truncated FMP capsule header";
	if (pfru_capsule_u32(w, fmp) != PFRU_FMP_VERSION)
		return "unsupported FMP capsule header version";
	nr_drv = get_unaligned_le16(w->data + fmp + 4);
	nr_payload = get_unaligned_le16(w->data + fmp + 6);
	if (!nr_payload)
		return "FMP capsule has no payload item";
	list_len = (u64)(nr_drv + nr_payload) * sizeof(u64);
	if (!pfru_capsule_fits(w, fmp + PFRU_FMP_HDR_SIZE, list_len))
		return "FMP item count exceeds the capsule";
	for (i = 0; i < nr_drv + nr_payload; i++) {
		off = pfru_capsule_u64(w, fmp + PFRU_FMP_HDR_SIZE + i * 8);
		if (off < PFRU_FMP_HDR_SIZE + list_len ||
		    !pfru_capsule_fits(w, fmp, off) || fmp + off == w->size)
			return "FMP item offset outside the capsule";
	}
	/* Only the first payload item describes the update. */
	off = pfru_capsule_u64(w, fmp + PFRU_FMP_HDR_SIZE + nr_drv * 8);
	*img = fmp + off;
	return NULL;
}

static const char *pfru_capsule_check_image(const struct pfru_capsule_walk *w,
					    u64 img,
					    struct pfru_capsule_info *info,
					    u64 *auth, u32 *image_size)
{
	static const u32 hdr_size[] = { 0, 32, 40, 48 };
	const guid_t *type;
	u32 ver, vendor;

	if (!pfru_capsule_fits(w, img, sizeof(u32)))
		return "truncated FMP image header";
	ver = pfru_capsule_u32(w, img);
	if (ver < 1 || ver >= ARRAY_SIZE(hdr_size))
		return "unsupported FMP image header version";
	if (!pfru_capsule_fits(w, img, hdr_size[ver]))
		return "truncated FMP image header";
	type = (const guid_t *)(w->data + img + PFRU_IMG_TYPE);
	if (guid_equal(type, &pfru_code_inj_guid))
		info->type = PFRU_TYPE_CODE;
	else if (guid_equal(type, &pfru_drv_update_guid))
		info->type = PFRU_TYPE_DRIVER;
	else
		return "unknown image type GUID";
	*image_size = pfru_capsule_u32(w, img + PFRU_IMG_SIZE);
	vendor = pfru_capsule_u32(w, img + PFRU_IMG_VENDOR_SIZE);
	if (!pfru_capsule_fits(w, img + hdr_size[ver],
			       (u64)*image_size + vendor))
		return "image and vendor code sizes exceed the capsule";
	info->image_hdr_ver = ver;
	*auth = img + hdr_size[ver];
	return NULL;
}

static const char *pfru_capsule_check_payload(const struct pfru_capsule_walk *w,
					      u64 auth, u32 image_size,
					      struct pfru_capsule_info *info)
{
	u32 cert_len, left, hsize;
	u64 payload;

	if (image_size < PFRU_AUTH_HDR_SIZE)
		return "truncated authentication header";
	cert_len = pfru_capsule_u32(w, auth + PFRU_AUTH_CERT_LEN);
	if (cert_len < PFRU_CERT_MIN_LEN)
		return "authentication certificate length too small";
	if (cert_len > image_size - sizeof(u64))
		return "authentication certificate exceeds the image";
	if (get_unaligned_le16(w->data + auth + PFRU_AUTH_CERT_TYPE) !=
	    PFRU_WIN_CERT_TYPE_EFI_GUID)
		return "certificate type is not WIN_CERT_TYPE_EFI_GUID";

	payload = auth + sizeof(u64) + cert_len;
	left = image_size - sizeof(u64) - cert_len;
	if (left < PFRU_PAYLOAD_MIN_SIZE)
		return "truncated payload header";
	hsize = pfru_capsule_u32(w, payload +
				 offsetof(struct pfru_payload_hdr, hdr_size));
	if (hsize < PFRU_PAYLOAD_MIN_SIZE || hsize > left)
		return "payload header size out of range";
	if (info->type == PFRU_TYPE_DRIVER && hsize < PFRU_PAYLOAD_SVN_SIZE)
		return "driver update payload header has no SVN";
	info->rt_ver = pfru_capsule_u32(w, payload +
					offsetof(struct pfru_payload_hdr,
						 rt_ver));
	info->svn = 0;
	if (hsize >= PFRU_PAYLOAD_SVN_SIZE)
		info->svn = pfru_capsule_u32(w, payload +
					     offsetof(struct pfru_payload_hdr,
						      svn_ver));
	return NULL;
}

static const char *pfru_capsule_check(struct pfru_capsule_walk *w, size_t len,
				      struct pfru_capsule_info *info)
{
	u64 fmp, img, auth;
	const char *why;
	u32 image_size;

	why = pfru_capsule_check_efi(w, len, &fmp);
	if (!why)
		why = pfru_capsule_check_fmp(w, fmp, &img);
	if (!why)
		why = pfru_capsule_check_image(w, img, info, &auth,
					       &image_size);
	if (!why)
		why = pfru_capsule_check_payload(w, auth, image_size, info);
	info->size = w->size;
	return why;
}

/**
 * pfru_capsule_validate() - check a capsule before it reaches the firmware
 * @dev: device to log a rejection against
 * @data: the capsule
 * @len: bytes at @data
 * @cap: the firmware's capability (for the version rules)
 * @info: filled with what the capsule holds
 *
 * Checks every header and every offset and length of the capsule against
 * @len, then the version rules: a code injection payload's runtime version
 * must not be older than the running one, and a driver update payload's
 * SVN must not be lower than the running driver's.
 *
 * Return: 0, or -EINVAL after one log line naming the reason.
 */
int pfru_capsule_validate(struct device *dev, const void *data, size_t len,
			  const struct pfru_update_cap_info *cap,
			  struct pfru_capsule_info *info)
{
	struct pfru_capsule_walk w = { .data = data, .size = len };
	const char *why;

	why = pfru_capsule_check(&w, len, info);
	if (why) {
		dev_warn_ratelimited(dev, "capsule rejected: %s\n", why);
		return -EINVAL;
	}
	if (info->type == PFRU_TYPE_CODE &&
	    info->rt_ver < cap->code_rt_version) {
		dev_warn_ratelimited(dev, "capsule rejected: code runtime version %u older than running %u\n",
				     info->rt_ver, cap->code_rt_version);
		return -EINVAL;
	}
	if (info->type == PFRU_TYPE_DRIVER && info->svn < cap->drv_svn) {
		dev_warn_ratelimited(dev, "capsule rejected: driver SVN %u lower than running %u\n",
				     info->svn, cap->drv_svn);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pfru_capsule_validate);
