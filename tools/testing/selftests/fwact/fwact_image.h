/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building test backend images in user space, for the fwact selftests and
 * for fwact_mkimage, which generates the images in firmware/. The format
 * is described in modules/fwact_testmod.h.
 */
#ifndef _FWACT_IMAGE_H
#define _FWACT_IMAGE_H

#include <endian.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "modules/fwact_testmod.h"

#define FWACT_IMAGE_HDR_SIZE	sizeof(struct fwact_testmod_hdr)

/* The zlib/IEEE CRC-32 (reflected 0xedb88320, ~0 in and out). */
static inline uint32_t fwact_image_crc32(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t crc = ~0U;
	int bit;

	while (len--) {
		crc ^= *p++;
		for (bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (0xedb88320U & -(crc & 1));
	}
	return ~crc;
}

/*
 * Return a malloc()ed valid image of @version with @payload_size bytes of
 * a deterministic payload, its length in *@len.
 */
static inline uint8_t *fwact_image_build(uint32_t version, size_t payload_size,
					 size_t *len)
{
	struct fwact_testmod_hdr hdr;
	uint8_t *img, *payload;
	size_t i;

	*len = sizeof(hdr) + payload_size;
	img = malloc(*len ? *len : 1);
	if (!img)
		return NULL;
	payload = img + sizeof(hdr);
	for (i = 0; i < payload_size; i++)
		payload[i] = (uint8_t)(i * 7 + version);

	memset(&hdr, 0, sizeof(hdr));
	memcpy(hdr.magic, FWACT_TESTMOD_MAGIC, FWACT_TESTMOD_MAGIC_LEN);
	hdr.version = htole32(version);
	hdr.payload_size = htole32(payload_size);
	hdr.crc32 = htole32(fwact_image_crc32(payload, payload_size));
	memcpy(img, &hdr, sizeof(hdr));
	return img;
}

/* Patch a field of a built image (for building bad ones). */
static inline void fwact_image_set_u32(uint8_t *img, size_t offset,
				       uint32_t val)
{
	val = htole32(val);
	memcpy(img + offset, &val, sizeof(val));
}

#endif /* _FWACT_IMAGE_H */
