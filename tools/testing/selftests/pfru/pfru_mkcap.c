// SPDX-License-Identifier: GPL-2.0
/*
 * pfru_mkcap: write a test capsule for the emulated PFRU firmware to
 * stdout, for the demo and for regenerating firmware/. Usage:
 *   pfru_mkcap code|driver RT_VER [SVN [IMAGE_HEADER_VERSION]] > file.cap
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../../drivers/firmware/fwact/pfru/pfru_capsule_build.h"

int main(int argc, char **argv)
{
	struct pfru_cap_params p = { .img_ver = 2, .payload_len = 64,
				     .seed = 0x40 };
	struct pfru_cap_layout l;
	static __u8 buf[4096];
	size_t size;

	if (argc < 3 || (strcmp(argv[1], "code") && strcmp(argv[1], "driver"))) {
		fprintf(stderr, "usage: %s code|driver RT_VER [SVN [IMG_HDR_VER]]\n",
			argv[0]);
		return 2;
	}
	p.type = strcmp(argv[1], "code") ? PFRU_CAP_DRIVER : PFRU_CAP_CODE;
	p.rt_ver = strtoul(argv[2], NULL, 0);
	p.svn = argc > 3 ? strtoul(argv[3], NULL, 0) : p.rt_ver;
	if (argc > 4)
		p.img_ver = strtoul(argv[4], NULL, 0);
	if (p.img_ver < 1 || p.img_ver > 3) {
		fprintf(stderr, "image header version must be 1, 2 or 3\n");
		return 2;
	}
	size = pfru_cap_build(buf, &p, &l);
	return fwrite(buf, 1, size, stdout) == size ? 0 : 1;
}
