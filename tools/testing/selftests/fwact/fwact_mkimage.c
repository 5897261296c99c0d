// SPDX-License-Identifier: GPL-2.0
/*
 * fwact_mkimage: write a test backend image (see modules/fwact_testmod.h)
 * to a file. Used by "make firmware" to generate the images in firmware/
 * that the selftests stage by name through stage_firmware.
 *
 *	fwact_mkimage OUT VERSION PAYLOAD_SIZE [badcrc]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwact_image.h"

int main(int argc, char **argv)
{
	size_t len, payload;
	unsigned long version;
	uint8_t *img;
	FILE *f;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: %s OUT VERSION PAYLOAD_SIZE [badcrc]\n",
			argv[0]);
		return 2;
	}
	version = strtoul(argv[2], NULL, 0);
	payload = strtoul(argv[3], NULL, 0);
	img = fwact_image_build(version, payload, &len);
	if (!img)
		return 1;
	if (argc == 5 && !strcmp(argv[4], "badcrc"))
		img[len - 1] ^= 0xff;

	f = fopen(argv[1], "wb");
	if (!f || fwrite(img, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	free(img);
	return 0;
}
