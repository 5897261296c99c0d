/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Image format of the fwact test backend (fwact_testmod.ko), shared by the
 * module and the user-space tests that build images for it. An image is a
 * fixed little-endian header followed by an opaque payload:
 *
 *	offset  size  field
 *	     0     8  magic, "FWTSTIMG" (no NUL)
 *	     8     4  version: must be greater than the running version
 *	    12     4  payload_size: exactly the bytes that follow the header
 *	    16     4  crc32 of the payload: the zlib/IEEE CRC-32, i.e.
 *		      crc32_le(~0, payload, payload_size) ^ ~0
 *	    20     4  reserved, must be 0
 *	    24     n  payload
 */
#ifndef _FWACT_TESTMOD_H
#define _FWACT_TESTMOD_H

#include <linux/types.h>

#define FWACT_TESTMOD_MAGIC		"FWTSTIMG"
#define FWACT_TESTMOD_MAGIC_LEN		8
/* Largest image the test components accept: 1 MiB. */
#define FWACT_TESTMOD_MAX_IMAGE		(1024 * 1024)

/**
 * struct fwact_testmod_hdr - header of a test backend image
 * @magic: FWACT_TESTMOD_MAGIC
 * @version: version the image carries
 * @payload_size: bytes of payload after the header
 * @crc32: CRC-32 of the payload
 * @reserved: must be 0
 */
struct fwact_testmod_hdr {
	char magic[FWACT_TESTMOD_MAGIC_LEN];
	__le32 version;
	__le32 payload_size;
	__le32 crc32;
	__le32 reserved;
};

#endif /* _FWACT_TESTMOD_H */
